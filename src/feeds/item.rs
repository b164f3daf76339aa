//! The model every feed format is read into: a feed document and its items.

use chrono::{DateTime, FixedOffset};

/// One parsed feed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FeedDoc {
    pub title: Option<String>,
    /// The site the feed belongs to (its home page), absolute.
    pub site: Option<String>,
    /// How long the feed asks readers to wait between fetches (RSS `<ttl>`).
    pub ttl_minutes: Option<u32>,
    pub items: Vec<Item>,
    /// What lenient parsing repaired, in words, for a warning.
    pub repairs: Vec<String>,
}

/// One item of a feed, ready to become an article file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    /// The feed's id or guid for the item, else its link, else a hash of title and content.
    pub id: String,
    pub title: String,
    /// Absolute.
    pub link: Option<String>,
    pub author: Option<String>,
    pub published: Option<DateTime<FixedOffset>>,
    /// True when the feed gave no usable date and `published` is the time of reading.
    pub published_guessed: bool,
    /// The body in the article format, already converted from HTML.
    pub body: String,
    pub enclosures: Vec<Enclosure>,
}

/// A file attached to an item: a podcast episode, a video, an image. The header of an
/// article file holds them as they are.
pub use crate::store::header::Enclosure;
