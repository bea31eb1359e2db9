//! Themes: Tera templates plus static files. The default theme is compiled
//! into the binary so `gongkai` builds from any folder; a theme folder on disk
//! overrides it file by file. A print or mobile page template the theme does
//! not have is made from the html one (see [`derive_page`]).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};
use walkdir::WalkDir;

use crate::error::{Error, Result};
use crate::urls::{self, View};

/// The default theme, embedded at compile time.
static DEFAULT: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// A theme's files: `templates/…` by template name, `static/…` by output path.
#[derive(Debug, Clone, Default)]
pub(crate) struct Theme {
    /// Template name (e.g. `html/month.html`) → (source, where it came from).
    pub templates: BTreeMap<String, (String, String)>,
    /// Output path under `static/` → bytes.
    pub statics: BTreeMap<String, Vec<u8>>,
    /// Page template made from the html one (`print/item.html`) → the one it
    /// was made from (`html/item.html`), so errors name the file that exists.
    pub derived: BTreeMap<String, String>,
}

impl Theme {
    /// The embedded default theme overlaid with `dir`, when it exists.
    pub(crate) fn load(dir: Option<&Path>) -> Result<Theme> {
        let mut theme = Theme::default();
        add_embedded(&DEFAULT, &mut theme);
        if let Some(dir) = dir.filter(|d| d.is_dir()) {
            for entry in WalkDir::new(dir).sort_by_file_name() {
                let entry = entry.map_err(|e| Error::Io(format!("{}: {e}", dir.display())))?;
                if !entry.file_type().is_file() {
                    continue;
                }
                let rel = entry
                    .path()
                    .strip_prefix(dir)
                    .expect("walkdir stays under its root");
                let rel = rel.to_string_lossy().replace('\\', "/");
                let bytes = fs::read(entry.path()).map_err(|e| Error::io(e, entry.path()))?;
                theme.add(&rel, bytes, entry.path().display().to_string());
            }
        }
        theme.derive_pages();
        Ok(theme)
    }

    /// Fills each missing `print/<kind>.html` and `mobile/<kind>.html` from
    /// `html/<kind>.html`. Runs after the overlay, so a site's html page
    /// template reaches every view whose own template the site and the
    /// built-in theme both leave out.
    fn derive_pages(&mut self) {
        for view in View::ALL.into_iter().filter(|v| *v != View::Html) {
            for kind in urls::PAGE_TEMPLATES {
                let name = format!("{}/{kind}", view.name());
                let from = format!("{}/{kind}", View::Html.name());
                if self.templates.contains_key(&name) {
                    continue;
                }
                let Some((src, origin)) = self.templates.get(&from) else {
                    continue;
                };
                let Some(src) = derive_page(src, view) else {
                    continue;
                };
                let origin = origin.clone();
                self.templates.insert(name.clone(), (src, origin));
                self.derived.insert(name, from);
            }
        }
    }

    fn add(&mut self, rel: &str, bytes: Vec<u8>, origin: String) {
        if let Some(name) = rel.strip_prefix("templates/") {
            if crate::load::content::is_ignored(name.rsplit('/').next().unwrap_or(name)) {
                return;
            }
            self.templates.insert(
                name.to_owned(),
                (String::from_utf8_lossy(&bytes).into_owned(), origin),
            );
        } else if let Some(name) = rel.strip_prefix("static/") {
            self.statics.insert(name.to_owned(), bytes);
        }
    }
}

/// The tag an html page template extends its base with.
const HTML_BASE: &str = r#"{% extends "html/base.html" %}"#;

/// `src`, an html page template, for `view`: its first
/// `{% extends "html/base.html" %}`, exactly so written, names
/// `<view>/base.html` instead. `None` when there is no such tag: the page
/// would otherwise wear the desktop frame in that view.
pub(crate) fn derive_page(src: &str, view: View) -> Option<String> {
    src.contains(HTML_BASE).then(|| {
        let own = format!(r#"{{% extends "{}/base.html" %}}"#, view.name());
        src.replacen(HTML_BASE, &own, 1)
    })
}

fn add_embedded(dir: &Dir<'static>, theme: &mut Theme) {
    for file in dir.files() {
        let rel = file.path().to_string_lossy().replace('\\', "/");
        theme.add(
            &rel,
            file.contents().to_vec(),
            format!("(built-in) themes/default/{rel}"),
        );
    }
    for sub in dir.dirs() {
        add_embedded(sub, theme);
    }
}

/// Where to look for a theme named `name`: `--themes DIR` or `./themes`.
pub(crate) fn theme_dir(themes: Option<&Path>, name: &str) -> PathBuf {
    themes
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("themes"))
        .join(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(src: &str) -> String {
        format!("{src}{{% block main %}}页{{% endblock main %}}\n")
    }

    #[test]
    fn a_derived_page_extends_its_own_views_base() {
        let src = "{% extends \"html/base.html\" %}\n{% block main %}{% include \"partials/x.html\" %}{% endblock main %}\n";
        assert_eq!(
            derive_page(src, View::Print).unwrap(),
            "{% extends \"print/base.html\" %}\n{% block main %}{% include \"partials/x.html\" %}{% endblock main %}\n"
        );
        // Only the first tag, and only as written exactly.
        let twice = format!("{HTML_BASE}{HTML_BASE}");
        assert_eq!(
            derive_page(&twice, View::Mobile).unwrap(),
            format!("{{% extends \"mobile/base.html\" %}}{HTML_BASE}")
        );
        assert_eq!(
            derive_page("{%- extends \"html/base.html\" %}", View::Print),
            None
        );
        assert_eq!(derive_page("<p>alone</p>", View::Print), None);
    }

    #[test]
    fn the_built_in_theme_derives_the_pages_it_leaves_out() {
        let theme = Theme::load(None).unwrap();
        for view in View::ALL {
            for kind in urls::PAGE_TEMPLATES {
                let name = format!("{}/{kind}", view.name());
                let (src, _) = &theme.templates[&name];
                if view != View::Html {
                    assert!(
                        src.contains(&format!("extends \"{}/base.html\"", view.name())),
                        "{name}"
                    );
                }
            }
        }
        // print/item.html is its own file (no item navigation on paper).
        assert!(!theme.derived.contains_key("print/item.html"));
        assert!(!theme.templates["print/item.html"].0.contains("item-nav"));
        assert_eq!(theme.derived["mobile/item.html"], "html/item.html");
        let (src, origin) = &theme.templates["mobile/group.html"];
        assert_eq!(
            src,
            &derive_page(&theme.templates["html/group.html"].0, View::Mobile).unwrap()
        );
        assert_eq!(
            origin,
            "(built-in) themes/default/templates/html/group.html"
        );
    }

    #[test]
    fn a_site_override_reaches_the_views_it_does_not_override() {
        let dir = std::env::temp_dir().join(format!("gongkai-theme-{}", std::process::id()));
        let templates = dir.join("templates");
        fs::create_dir_all(templates.join("html")).unwrap();
        fs::create_dir_all(templates.join("print")).unwrap();
        let group = page(HTML_BASE);
        fs::write(templates.join("html/group.html"), &group).unwrap();
        let print = page(r#"{% extends "print/base.html" %}纸上"#);
        fs::write(templates.join("print/group.html"), &print).unwrap();
        fs::write(templates.join("html/item.html"), page(HTML_BASE)).unwrap();
        let theme = Theme::load(Some(&dir)).unwrap();
        fs::remove_dir_all(&dir).unwrap();

        // The site's html page, on the mobile base.
        let (src, origin) = &theme.templates["mobile/group.html"];
        assert_eq!(src, &derive_page(&group, View::Mobile).unwrap());
        assert_eq!(
            origin,
            &templates.join("html/group.html").display().to_string()
        );
        // The site's own print page wins over the derived one.
        assert_eq!(theme.templates["print/group.html"].0, print);
        assert!(!theme.derived.contains_key("print/group.html"));
        // A view template the built-in theme has stays, whatever the site's html one says.
        assert!(theme.templates["print/item.html"].0.contains("item-body"));
        assert_eq!(theme.derived["mobile/item.html"], "html/item.html");
        assert_eq!(
            theme.templates["mobile/item.html"].0,
            derive_page(&page(HTML_BASE), View::Mobile).unwrap()
        );
    }
}
