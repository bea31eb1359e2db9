//! The vocabulary every stage shares: dates and months, and small text facts.

pub(crate) mod dates;
pub(crate) mod paths;
pub(crate) mod text;
