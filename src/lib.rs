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
mod outputs;
mod preview;
mod publish;
mod render;
mod urls;

pub use authoring::import::{ImportOptions, ImportReport, IndexFile, import};
pub use authoring::new_month::{NewMonth, new_month};
pub use basics::dates::{Date, YearMonth};
pub use diagnostics::{Diagnostic, Diagnostics};
pub use error::{Error, Result};
pub use preview::engine::{Engine, Update};
pub use preview::server::{Reporter, ServeOptions, serve};
pub use publish::build::{BuildOptions, BuildReport, Timings, build, check, load};
pub use publish::staging::Change;
pub use render::{RenderOptions, Renderer};
pub use urls::{Page, View};

/// Single stages, for the benchmarks (`benches/hot_paths.rs`) and the tests
/// that measure or check one stage directly (`tests/it/`). Not an interface
/// for other programs: it changes with the code.
#[doc(hidden)]
pub mod internals {
    pub use crate::load::content::{Content, Item, LoadOptions, load as load_content};
    pub use crate::load::fields::ITEM as ITEM_FIELDS;
    pub use crate::load::front_matter::{FrontMatter, split as split_front_matter};
    pub use crate::load::markdown::render as render_markdown;
    pub use crate::model::Site;
    pub use crate::model::slug::slugify;
    pub use crate::outputs::search::{RESULTS_PER_PAGE, SearchIndex, build as build_search_index};
    pub use crate::publish::staging::{MANIFEST, MARKER};
    pub use crate::render::qr::{modules_from_svg, svg as qr_svg};
    pub use crate::render::{Shared, page_data};
}
