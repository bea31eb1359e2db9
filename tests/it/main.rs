//! Every integration test in one binary: one link step for all of them after
//! a change in `src/`, and one real-content build shared by the tests that only
//! read it. A module per area; `common` holds the helpers, `cdp` the browser.
//!
//! All tests share one process and run on parallel threads, so none may change
//! process-wide state (environment, current directory): the binary under test
//! gets its environment and folder per command instead.

mod cdp;
mod common;

mod addresses;
mod archive_nav;
mod bad_input;
mod browser;
mod course;
mod feeds;
mod generator;
mod import;
mod import_pages;
mod inspection;
mod new_month;
mod opendata;
mod portable_names;
mod preview_incremental;
mod publishing;
mod search;
mod search_archive;
mod serve;
mod validity;
mod views;
mod xss;
