//! Feeds become article files: parsing RSS, Atom and JSON Feed, turning item HTML into
//! article text, and saving items into the store. Knows nothing of the UI.

pub mod html;
pub mod item;
pub mod parse;
pub mod repair;
pub mod write;
