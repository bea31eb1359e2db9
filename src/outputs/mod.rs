//! The files made from the model that are not pages: the search index, the
//! feeds and sitemap, the open data, and the record of page addresses.

pub(crate) mod addresses;
pub(crate) mod feeds;
pub(crate) mod opendata;
pub(crate) mod search;
