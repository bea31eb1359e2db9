//! Running the pipeline and writing its result: [`build`] loads, checks, renders
//! and collects every file; [`staging`] writes them beside the output and swaps
//! them in atomically.

pub(crate) mod build;
pub(crate) mod corrections;
pub(crate) mod record;
pub(crate) mod staging;
pub mod upload;
