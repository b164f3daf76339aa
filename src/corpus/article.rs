//! The article model: what one text file becomes once parsed.

use std::cmp::Ordering;
use std::path::PathBuf;
use std::sync::Arc;

use crate::corpus::ArticleDate;

/// One paragraph-level piece of an article body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    Paragraph(String),
    /// A list item; the text is without its `•`.
    Bullet(String),
    /// A photo credit or a line the source repeated: shown once, styled apart.
    Caption(String),
}

impl Block {
    pub fn text(&self) -> &str {
        match self {
            Block::Paragraph(t) | Block::Bullet(t) | Block::Caption(t) => t,
        }
    }
}

/// An article as the list knows it: what it needs to show, sort and search it. The body
/// is read again from its source when the reader opens it (see [`Body`]), so a corpus of
/// 100,000 articles holds their words as numbers, not their text.
#[derive(Clone, Debug)]
pub struct Article {
    pub path: PathBuf,
    /// The bytes of an article that is not a file (the embedded sample, tests).
    pub bytes: Option<Arc<[u8]>>,
    pub date: Option<ArticleDate>,
    pub title: String,
    /// How many words the body has: runs of letters and digits.
    pub words: usize,
    /// The text encoding the file was decoded from, when it was not UTF-8.
    pub encoding: Option<&'static str>,
    /// The folded words of the body, in order, as ids into the corpus's index vocabulary.
    pub word_ids: Box<[u32]>,
    /// The folded words of the title, the same way.
    pub title_ids: Box<[u32]>,
    /// What the read state knows the article by: a hash of its text, so a moved or renamed
    /// file keeps its marks. Known once the words are indexed.
    pub fingerprint: Option<crate::corpus::Fingerprint>,
    /// Where an article saved from a feed comes from; `None` for a plain file. Boxed: most
    /// articles of a large folder have none, and the list holds every article.
    pub origin: Option<Box<Origin>>,
}

/// What an article saved from a feed says of where it comes from (its header), made safe to
/// show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    /// The feed's name.
    pub feed: String,
    /// The item's own page.
    pub link: Option<String>,
    pub author: Option<String>,
    /// When the feed says the item was published, with its time zone.
    pub published: Option<chrono::DateTime<chrono::FixedOffset>>,
    /// What the feed is known by in the subscriptions (`Subscription::key`), to find its
    /// tags: compared, never shown.
    pub feed_key: Option<String>,
}

/// A file attached to a feed item: a podcast episode, a video, an image.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Enclosure {
    /// Absolute.
    pub url: String,
    /// Its media type, as the feed gave it (`audio/mpeg`).
    pub mime: Option<String>,
    /// Its size in bytes, as the feed gave it.
    pub length: Option<u64>,
}

impl Article {
    /// The path as shown to the user: lossy for names that are not UTF-8, and made safe to
    /// draw. Computed when shown, not for each of 100,000 articles at load.
    pub fn shown_path(&self) -> String {
        crate::text::display::shown(&self.path)
    }
}

/// An article's body, read from its source when the reader opens it. Its head is read
/// again too: the file may have changed since the corpus was loaded, and the reader always
/// shows what is on disk now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Body {
    pub date: Option<ArticleDate>,
    pub title: String,
    pub words: usize,
    pub blocks: Vec<Block>,
    /// Why the body could not be read (deleted, no longer text…), shown in its place.
    pub problem: Option<String>,
    /// The fingerprint of the text as read now, which the read state knows it by.
    pub fingerprint: Option<crate::corpus::Fingerprint>,
    /// The item's own page, for an article saved from a feed: only a link kiosque may open
    /// (see `text::links::safe`).
    pub link: Option<String>,
    /// The files attached to the item, each address one kiosque may open and each type made
    /// safe to show.
    pub enclosures: Vec<Enclosure>,
}

/// Newest first; a month sorts as its first day; undated articles last. Equal dates are
/// left as they are: sorting stably a list in path order keeps them in path order.
pub fn newest_first(a: &Article, b: &Article) -> Ordering {
    match (a.date, b.date) {
        (Some(x), Some(y)) => y.first.cmp(&x.first),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}
