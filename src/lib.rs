//! gongkai (公开): a static-site generator for government information-disclosure
//! reports. The pipeline, one module per stage:
//!
//! files → [`front_matter`] + [`markdown`] → [`content`] (loaded months and items)
//! → [`model`] (projects, departments, leaders, merged cells) → [`render`] with a
//! [`theme`] in each [`urls::View`] → [`output`] (atomic write). [`build`] runs it.

pub mod build;
pub mod content;
pub mod dates;
pub mod diagnostics;
pub mod error;
pub mod fields;
pub mod front_matter;
pub mod links;
pub mod markdown;
pub mod model;
pub mod output;
pub mod qr;
pub mod render;
pub mod slug;
pub mod theme;
pub mod urls;

pub use error::{Error, Result};
