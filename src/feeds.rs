//! Feeds become article files: parsing RSS, Atom and JSON Feed, turning item HTML into
//! article text, and saving items into the store. Knows nothing of the UI.

pub mod contacts;
pub mod dialect;
pub mod fetch;
pub mod fetch_state;
pub mod fulltext;
pub mod html;
pub mod http;
pub mod item;
pub mod opml;
pub mod parse;
pub mod places;
pub mod refresh;
pub mod repair;
pub mod structure;
pub mod subscriptions;
pub mod write;
