//! gongkai (公开): a static-site generator for government information-disclosure
//! reports. The folders are the pipeline, in order:
//!
//! files → [`load`] (front matter, Markdown, months and items) → [`model`]
//! (projects, departments, leaders, merged cells) → [`render`] (pages in each
//! [`urls::View`]) and [`outputs`] (search, feeds, open data) → [`publish`]
//! (the build, written atomically). [`preview`] is `gongkai serve`.
//!
//! The editors' tools run the other way and write content: [`authoring`].

pub mod authoring;
pub mod basics;
pub mod diagnostics;
pub mod error;
pub mod load;
pub mod model;
pub mod outputs;
pub mod preview;
pub mod publish;
pub mod render;
pub mod urls;

pub use error::{Error, Result};
