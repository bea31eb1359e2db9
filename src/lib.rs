//! gongkai (公开): a static-site generator for government information-disclosure
//! reports. The pipeline, one module per stage:
//!
//! files → [`front_matter`] + [`markdown`] → [`content`] (loaded months and items)
//! → [`model`] (projects, departments, leaders, merged cells) → [`render`] with a
//! [`theme`] in each [`urls::View`] → [`output`] (atomic write). [`build`] runs it.
//! Beside the pages, the model also becomes a [`search`] index, [`feeds`] and
//! [`opendata`].
//!
//! The editors' tools run the other way and write content: [`scaffold`]
//! (`new month`) and [`import`] (Excel/CSV tables), both through [`content_writer`].

pub mod build;
pub mod content;
pub mod content_writer;
pub mod dates;
pub mod diagnostics;
pub mod error;
pub mod feeds;
pub mod fields;
pub mod front_matter;
pub mod import;
pub mod links;
pub mod markdown;
pub mod model;
pub mod opendata;
pub mod output;
pub mod preview;
pub mod qr;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod slug;
pub mod theme;
pub mod urls;

pub use error::{Error, Result};
