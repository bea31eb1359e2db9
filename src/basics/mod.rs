//! The vocabulary every stage shares: dates and months, small text facts, and
//! which names every file system accepts.

pub(crate) mod dates;
pub(crate) mod paths;
pub(crate) mod portable;
pub(crate) mod text;
