//! Text in and out: folding for search, sanitizing for the terminal, cutting to a width,
//! and finding links. Knows nothing of articles.

pub mod display;
pub(crate) mod fold;
pub(crate) mod links;
pub mod sanitize;
pub(crate) mod width;
