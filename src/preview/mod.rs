//! `gongkai serve`: the editors' preview. The site lives in memory
//! ([`store`]); a file watcher ([`watch`]) hands changed paths to the
//! incremental [`engine`], which reloads only those inputs and marks stale
//! only the pages whose [`keys`] changed; the HTTP [`server`] renders stale
//! pages on demand and tells open browsers to reload over Server-Sent Events.

pub mod engine;
pub mod keys;
pub mod store;

pub use engine::{Engine, Update};
pub use store::{Fetch, Store};
