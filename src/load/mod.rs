//! Stage 1, loading: content files → [`content::Content`] (site settings, months,
//! items), with every problem collected as a diagnostic. Loading knows nothing
//! of the model or of rendering.

pub mod content;
pub mod fields;
pub mod front_matter;
pub mod links;
pub mod markdown;
