//! Every integration test in one binary: one link step for all of them after
//! a change in `src/`, and one real-content build shared by the tests that only
//! read it. A module per area; `common` holds the helpers, `cdp` the browser.
//!
//! All tests share one process and run on parallel threads, so none may change
//! process-wide state (environment, current directory): the binary under test
//! gets its environment and folder per command instead.
//!
//! The browser is driven over the pipes of `--remote-debugging-pipe`, given
//! to chromium as descriptors 3 and 4: a Unix arrangement, so the modules that
//! use it (`cdp` and those marked below) are built on Unix only. The rest
//! build everywhere; `.ci/run` runs the Windows binary's checks under Wine
//! (`scripts/cross-check.sh`).

#[cfg(unix)]
mod cdp;
mod common;

mod addresses;
mod archive_nav;
mod bad_input;
#[cfg(unix)] // the browser (cdp)
mod browser;
mod course;
#[cfg(target_os = "linux")] // Wine and qemu-user run the other systems' binaries
mod cross;
mod feeds;
mod generator;
mod help;
mod import;
mod import_pages;
mod init;
mod inspection;
mod new_month;
mod opendata;
mod portable_names;
mod preview_incremental;
#[cfg(unix)] // hard links told apart by inode
mod publishing;
#[cfg(unix)] // the browser (cdp)
mod search;
#[cfg(unix)] // the browser (cdp)
mod search_archive;
#[cfg(unix)] // the browser (cdp)
mod serve;
mod upload;
mod validity;
mod views;
mod xss;
