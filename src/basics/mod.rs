//! The vocabulary every stage shares: dates and months.

pub mod dates;
