//! gongkai (公开): a static-site generator for government information-disclosure
//! reports. The folders are the pipeline, in order:
//!
//! files → `load` (front matter, Markdown, months and items) → `model`
//! (projects, departments, leaders, merged cells) → `render` (pages in each
//! [`View`]) and `outputs` (search, feeds, open data) → `publish` (the build,
//! written atomically). `preview` is `gongkai serve`. The editors' tools run
//! the other way and write content: `authoring`. ARCHITECTURE.md is the map.
//!
//! Everything inside is `pub(crate)`; what follows is the library's surface:
//! what the command line (`src/cmd/`), the tests and the benchmarks use.

mod authoring;
mod basics;
mod diagnostics;
mod error;
mod load;
mod model;
mod os;
mod outputs;
mod preview;
mod publish;
mod render;
mod urls;

pub use authoring::import::{ImportOptions, ImportReport, IndexFile, import};
pub use authoring::init::{InitReport, init};
pub use authoring::new_month::{NewMonth, new_month};
pub use basics::dates::{Date, YearMonth};
pub use diagnostics::{Diagnostic, Diagnostics, Severity};
pub use error::{Error, Result};
pub use preview::engine::{Engine, Update};
pub use preview::server::{IDLE as PREVIEW_IDLE, Reporter, ServeOptions, serve};
pub use publish::build::{BuildOptions, BuildReport, Timings, build, check, load};
pub use publish::staging::Change;
pub use publish::upload;
pub use render::{RenderOptions, Renderer};
pub use urls::{Page, View};

/// Single stages, for the benchmarks (`benches/hot_paths.rs`) and the tests
/// that measure or check one stage directly (`tests/it/`). Not an interface
/// for other programs: it changes with the code.
#[doc(hidden)]
pub mod internals {
    use crate::error::Result;

    pub use crate::load::content::{Content, Item, LoadOptions, load as load_content};
    pub use crate::load::fields::ITEM as ITEM_FIELDS;
    pub use crate::load::front_matter::{FrontMatter, split as split_front_matter};
    pub use crate::load::markdown::Rendered;
    pub use crate::load::markdown::render as render_markdown;
    pub use crate::model::Site;
    pub use crate::model::slug::slugify;
    pub use crate::outputs::search::{
        RESULTS_PER_PAGE, SearchIndex, build as build_search_index, searched_texts,
    };
    pub use crate::publish::staging::{MANIFEST, MARKER};
    pub use crate::render::qr::{modules_from_svg, svg as qr_svg};
    pub use crate::render::{Shared, page_data};

    use std::path::Path;

    use crate::basics::dates::YearMonth;
    use crate::diagnostics::Diagnostics;

    // For the fuzz targets (fuzz/fuzz_targets/): each reader of untrusted
    // bytes, from bytes.

    /// The fast front-matter reader's answer and the YAML library's, for the
    /// same YAML text (the differential target compares them).
    pub fn yaml_readers(
        yaml: &str,
    ) -> (
        Option<serde_yaml::Value>,
        std::result::Result<serde_yaml::Value, String>,
    ) {
        crate::load::front_matter::both_readers(yaml)
    }

    /// One item file of July 2020, from its bytes: the item, or diagnostics.
    pub fn load_item_bytes(path: &Path, bytes: Vec<u8>) -> (Option<Item>, Diagnostics) {
        let ym = YearMonth::parse("2020-07").expect("a valid month");
        crate::load::content::item_from_bytes(ym, "01", path, bytes)
    }

    /// An item body cut into its three sections (progress, problems, plan),
    /// each rendered as the loader renders it for a file of `2020-07/`.
    pub fn render_item_body(body: &str) -> [crate::load::markdown::Rendered; 3] {
        let split = crate::load::markdown::split_sections(body);
        [split.progress, split.problems, split.plan]
            .map(|cell| crate::load::markdown::render_in(&cell, Some("2020-07/")))
    }

    /// What `gongkai import` would write for a file, read by its extension
    /// (`.csv`, `.docx`, `.html`; a workbook in any format calamine reads
    /// otherwise), as (file name, text): a saved page's `_index.md` first,
    /// then the items, of the page's month or else July 2020.
    pub fn import_bytes(path: &Path, bytes: Vec<u8>) -> Result<Vec<(String, String)>> {
        import_month_bytes(path, bytes).map(|(_, files)| files)
    }

    /// [`import_bytes`], with the month the files are for.
    pub fn import_month_bytes(
        path: &Path,
        bytes: Vec<u8>,
    ) -> Result<(YearMonth, Vec<(String, String)>)> {
        let ym = YearMonth::parse("2020-07").expect("a valid month");
        crate::authoring::import::item_files(path, bytes, ym)
    }

    /// Loads the month folder `content/YYYY-MM` with the content folder's
    /// `site.yaml`, ignoring other months: the month and every diagnostic.
    pub fn load_month_folder(
        content: &Path,
        ym: YearMonth,
    ) -> std::result::Result<(crate::load::content::Month, Diagnostics), crate::Error> {
        crate::load::content::load_month_only(content, ym, Default::default())
    }

    /// The preview's answer to a raw request path, for a site that holds the
    /// files `exists` says: `Some(output path)` for a file, `None` otherwise.
    pub fn resolve_request(raw: &str, exists: &dyn Fn(&str) -> bool) -> Option<String> {
        use crate::preview::request::{Target, resolve};
        match resolve(raw, exists) {
            Target::File(path) => Some(path),
            Target::Events { page, .. } => page,
            _ => None,
        }
    }
}
