//! Finding articles: the query language, the word index, related articles and the timeline.

pub mod catalog;
pub mod disk;
pub(crate) mod index;
pub mod loading;
pub mod query;
pub mod related;
pub mod sources;
pub(crate) mod timeline;
pub mod trusted;
