//! `gongkai serve`: the editors' preview. The site lives in memory
//! ([`store`]); a file [`watch`]er hands changed paths to the incremental
//! [`engine`], which reloads only those inputs and marks stale only the pages
//! whose [`keys`] changed; the HTTP [`server`] renders stale pages on demand
//! and tells open pages to reload over Server-Sent Events ([`events`]).

pub mod engine;
pub mod events;
pub mod keys;
pub mod request;
pub mod server;
pub mod store;
pub mod watch;

pub use engine::{Engine, Update};
pub use server::{Reporter, ServeOptions, serve};
pub use store::{Fetch, Store};
