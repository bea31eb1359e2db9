//! The files made from the model that are not pages: the search index, the
//! feeds and sitemap, and the open data.

pub(crate) mod feeds;
pub(crate) mod opendata;
pub(crate) mod search;
