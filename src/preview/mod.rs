//! `gongkai serve`: the editors' preview. The site lives in memory
//! ([`store`]); a file [`watch`]er hands changed paths to the incremental
//! [`engine`], which reloads only those inputs and marks stale only the pages
//! whose [`keys`](crate::render::keys) changed; the HTTP [`server`] renders stale pages on demand
//! and tells open pages to reload over Server-Sent Events ([`events`]).

pub(crate) mod engine;
pub(crate) mod events;
pub(crate) mod request;
pub(crate) mod server;
pub(crate) mod store;
pub(crate) mod watch;
