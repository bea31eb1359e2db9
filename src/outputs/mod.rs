//! The files made from the model that are not pages: the search index, the
//! feeds and sitemap, and the open data.

pub mod feeds;
pub mod opendata;
pub mod search;
