//! The vocabulary every stage shares: dates and months, and small text facts.

pub mod dates;
pub mod paths;
pub mod text;
