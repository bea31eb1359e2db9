//! Every front-matter key gongkai knows: its English name, its Chinese alias,
//! whether it is required and what it means. This table is the one place a
//! key is declared; loading, `check`, `new month` and the docs all read it.

/// One front-matter key.
#[derive(Debug)]
pub struct Field {
    /// The canonical English name, used in code and in open data.
    pub name: &'static str,
    /// The Chinese alias an editor may write instead.
    pub alias: &'static str,
    pub required: bool,
    /// What the key means, shown in help and error messages.
    pub meaning: &'static str,
}

const fn field(
    name: &'static str,
    alias: &'static str,
    required: bool,
    meaning: &'static str,
) -> Field {
    Field {
        name,
        alias,
        required,
        meaning,
    }
}

/// Keys of `site.yaml`.
pub(crate) const SITE: &[Field] = &[
    field("title", "站点名称", false, "site name"),
    field(
        "publisher",
        "发布机构",
        false,
        "default 发布机构 for every month",
    ),
    field(
        "base_url",
        "网址",
        false,
        "absolute URL the site is published at",
    ),
    field("language", "语言", false, "page language, default zh-CN"),
    field(
        "views",
        "视图",
        false,
        "views to write: html, print, mobile",
    ),
    field(
        "organizer",
        "主办单位",
        false,
        "office that runs the site (footer), default publisher",
    ),
    field(
        "site_id_code",
        "网站标识码",
        false,
        "the site's 网站标识码 (footer, SiteIDCode tag)",
    ),
    field("icp", "ICP备案号", false, "ICP filing number (footer)"),
    field(
        "police_record",
        "公安备案号",
        false,
        "public-security filing number (footer)",
    ),
    field(
        "index_prefix",
        "索引号前缀",
        false,
        "front part of 索引号: <prefix>/<YYYY>-<NNNNN>",
    ),
];

/// Keys of a month's `_index.md`.
pub(crate) const MONTH: &[Field] = &[
    field("title", "标题", false, "report title"),
    field(
        "doc_number",
        "文号",
        false,
        "document number, may be empty or 无",
    ),
    field("index_number", "索引号", false, "disclosure index number"),
    field("publisher", "发布机构", false, "issuing body"),
    field("issued", "发文日期", true, "date of issue"),
    field("published", "发布时间", false, "publication date"),
    field("updated", "更新时间", false, "last update date"),
    field(
        "validity",
        "有效性",
        false,
        "有效, 失效, 废止, 已修改 or 尚未生效",
    ),
    field(
        "validity_changed",
        "有效性变更日期",
        false,
        "date the validity changed",
    ),
    field(
        "superseded_by",
        "替代文件",
        false,
        "link or month that replaces this document",
    ),
    field("topic", "主题分类", false, "topic classification"),
    field("source", "来源", false, "source"),
    field("attachments", "附件", false, "list of {title, file}"),
    field("changes", "更正记录", false, "list of {date, note}"),
];

/// Keys of one table row's item file.
pub const ITEM: &[Field] = &[
    field(
        "number",
        "序号",
        false,
        "row number shown in the 序号 column",
    ),
    field(
        "leaders",
        "责任领导",
        true,
        "responsible leader, a name or a list",
    ),
    field("project", "项目名称", true, "project name"),
    field("department", "责任部门", true, "responsible department"),
    field("key", "项目标识", false, "cross-month project identity"),
    field(
        "draft",
        "草稿",
        false,
        "draft items appear only with --drafts",
    ),
];

/// Keys of one entry of `attachments`.
pub(crate) const ATTACHMENT: &[Field] = &[
    field("title", "标题", true, "attachment title"),
    field("file", "文件", true, "file name in the month folder"),
];

/// Keys of one entry of `changes`.
pub(crate) const CHANGE: &[Field] = &[
    field("date", "日期", true, "date of the change"),
    field("note", "说明", true, "what changed"),
];

/// The 有效性 values a document may carry.
pub(crate) const VALIDITY_VALUES: &[&str] = &["有效", "失效", "废止", "已修改", "尚未生效"];

/// The three body sections of an item, by their headings.
pub(crate) const SECTION_PROGRESS: &str = "本月进度情况";
pub(crate) const SECTION_PROBLEMS: &str = "存在问题";
pub(crate) const SECTION_PLAN: &str = "下月安排";

/// Finds the field a key names, in either language.
pub(crate) fn lookup<'a>(fields: &'a [Field], key: &str) -> Option<&'a Field> {
    fields.iter().find(|f| f.name == key || f.alias == key)
}

/// The known key closest to a misspelt one, for "did you mean" hints.
pub(crate) fn suggest<'a>(fields: &'a [Field], key: &str) -> Option<&'a Field> {
    let lower = key.to_lowercase();
    // Two typos in an English name; one wrong character in a Chinese alias
    // (two of a four-character alias would be half of it).
    let english = |f: &Field| {
        let d = strsim::damerau_levenshtein(&lower, f.name);
        (d <= 2.max(f.name.len() / 3)).then_some(d)
    };
    let chinese = |f: &Field| {
        let d = strsim::damerau_levenshtein(key, f.alias);
        (d <= 1.max(f.alias.chars().count() / 4)).then_some(d)
    };
    fields
        .iter()
        .filter_map(|f| {
            english(f)
                .into_iter()
                .chain(chinese(f))
                .min()
                .map(|d| (d, f))
        })
        .min_by_key(|(d, _)| *d)
        .map(|(_, f)| f)
}

/// "department (责任部门)": how error messages name a field.
pub(crate) fn label(f: &Field) -> String {
    format!("{} ({})", f.alias, f.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_resolve_to_one_field() {
        assert_eq!(lookup(ITEM, "责任部门").unwrap().name, "department");
        assert_eq!(lookup(ITEM, "department").unwrap().alias, "责任部门");
        assert!(lookup(ITEM, "departmnet").is_none());
    }

    #[test]
    fn misspelt_keys_get_a_suggestion() {
        assert_eq!(suggest(ITEM, "departmnet").unwrap().name, "department");
        assert_eq!(suggest(ITEM, "leader").unwrap().name, "leaders");
        assert_eq!(suggest(MONTH, "isued").unwrap().name, "issued");
        assert!(suggest(ITEM, "zzzzzzzzzz").is_none());
        assert_eq!(suggest(ITEM, "责任部們").unwrap().name, "department");
        assert_eq!(suggest(MONTH, "发文日起").unwrap().name, "issued");
        assert!(suggest(ITEM, "颜色").is_none());
    }
}
