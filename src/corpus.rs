//! The shared model: articles, their dates and fingerprints, the corpus they make and the
//! warnings collected on the way. Every layer above speaks in these types.

mod article;
mod date;
mod fingerprint;

pub use article::*;
pub use date::*;
pub use fingerprint::{Fingerprint, fingerprint};

/// A problem with one path: the file was skipped, or loaded with a caveat.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Warning {
    /// The path as shown to the user.
    pub path: String,
    pub reason: String,
    /// True when the file is not in the corpus because of this problem.
    pub skipped: bool,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let verb = if self.skipped { "skipped" } else { "note" };
        write!(f, "{verb} {}: {}", self.path, self.reason)
    }
}

/// Every article loaded, newest first, and what went wrong on the way.
#[derive(Clone, Debug, Default)]
pub struct Corpus {
    pub articles: Vec<Article>,
    pub warnings: Vec<Warning>,
    /// True when every article's word count is known without the index (from the cache).
    pub words_counted: bool,
}

impl Corpus {
    /// How many files were skipped.
    pub fn skipped(&self) -> usize {
        self.warnings.iter().filter(|w| w.skipped).count()
    }
}
