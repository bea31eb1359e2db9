//! Stage 1, loading: content files → [`content::Content`] (site settings, months,
//! items), with every problem collected as a diagnostic. Loading knows nothing
//! of the model or of rendering.

pub(crate) mod content;
pub(crate) mod fields;
pub(crate) mod front_matter;
pub(crate) mod links;
pub(crate) mod markdown;
