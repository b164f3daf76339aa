//! The open article laid out for the reader (its lines at the reader's width, and where the
//! search matches), kept in the model as derived data.
//!
//! Why in the model and not in the view: what `j`, `G`, `n` and `N` do depends on the laid-out
//! lines (how many there are, on which line each match falls). `update` carries those keys
//! out, so it must know the lines; the view only draws them. `update` lays the article out
//! with the same pure function the view used to (`ui::typeset::Typeset`), from values in the
//! model only: the article, its body, the reader's width (from `layout`, a pure function of
//! the screen size that `Action::Resize` gives) and the typesetting settings. The result is
//! the same for the same model, so tests of `update` see exactly what the user would.
//!
//! The page is rebuilt when any of its inputs changes (another article, the body read at
//! last, a new width); it stays lazy as `Typeset` is: only the lines up to the bottom of the
//! screen are laid out, unless a jump to a match or to the end needs them all.

use std::ops::Range;
use std::sync::Arc;

use ratatui::text::Line;

use crate::corpus::{Article, Body};
use crate::search::query::Highlighter;
use crate::tui::ui::typeset::{Typeset, Typesetting};

/// One match: its line, and the bytes of that line's text it covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Match {
    pub line: usize,
    pub range: Range<usize>,
}

/// An article laid out at one width, with the matches of the words sought.
pub struct Page {
    article: usize,
    /// The body the lines come from; `None` while it is being read (then the title the
    /// list knows stands in, with no text).
    read: Option<Arc<Body>>,
    body: Arc<Body>,
    set: Typesetting,
    layout: Typeset,
    /// Where the words sought match, once the whole article is laid out, and which words.
    matches: Option<(Highlighter, Vec<Match>)>,
}

/// What a page is made from: the same inputs give the same lines.
pub struct Source<'a> {
    pub index: usize,
    pub article: &'a Article,
    /// The body, once read.
    pub body: Option<&'a Arc<Body>>,
    pub width: usize,
    pub set: Typesetting,
}

impl Page {
    /// Lays out the start of an article; `related` (date, title) are listed at its end.
    pub fn new(source: &Source<'_>, related: Vec<(String, String)>) -> Page {
        let body = match source.body {
            Some(body) => Arc::clone(body),
            None => Arc::new(stand_in(source.article)),
        };
        Page {
            article: source.index,
            read: source.body.map(Arc::clone),
            layout: Typeset::new(source.article, &body, source.width, related, source.set),
            body,
            set: source.set,
            matches: None,
        }
    }

    /// True when this page is `source` laid out: nothing to redo.
    pub fn is_of(&self, source: &Source<'_>) -> bool {
        let same_body = match (&self.read, source.body) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        };
        self.article == source.index
            && same_body
            && self.layout.width() == source.width.max(1)
            && self.set == source.set
    }

    /// The corpus position of the article laid out.
    pub fn article(&self) -> usize {
        self.article
    }

    /// The lines laid out so far.
    pub fn lines(&self) -> &[Line<'static>] {
        self.layout.lines()
    }

    pub fn is_complete(&self) -> bool {
        self.layout.is_complete()
    }

    /// Lines the whole article will take: exact once complete, else estimated.
    pub fn estimated_len(&self) -> usize {
        self.layout.estimated_len()
    }

    /// Lays out lines until there are at least `wanted`, or the article ends.
    pub fn extend_to(&mut self, wanted: usize) {
        self.layout.extend_to(&self.body, wanted);
    }

    /// Lays out the whole article.
    pub fn complete(&mut self) {
        self.layout.complete(&self.body);
    }

    /// Finds the matches of `highlight` once the article is whole, unless they are known.
    pub fn find(&mut self, highlight: &Highlighter) {
        if !self.is_complete() || self.matches.as_ref().is_some_and(|(h, _)| h == highlight) {
            return;
        }
        // Nothing to look for: no need to read every line (each move opens an article).
        let found = if highlight.is_empty() {
            Vec::new()
        } else {
            find_matches(self.layout.lines(), highlight)
        };
        self.matches = Some((highlight.clone(), found));
    }

    /// The matches of `highlight`, as far as they are known (none until the article is
    /// whole).
    pub fn matches(&self, highlight: &Highlighter) -> &[Match] {
        self.matches
            .as_ref()
            .filter(|(h, _)| h == highlight && !h.is_empty())
            .map_or(&[][..], |(_, m)| m.as_slice())
    }
}

/// Finds every match in the laid-out lines.
fn find_matches(lines: &[Line<'_>], highlight: &Highlighter) -> Vec<Match> {
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
        for range in highlight.find(&text) {
            found.push(Match { line: i, range });
        }
    }
    found
}

/// The body shown while the real one is read: the title the list knows, no text.
fn stand_in(article: &Article) -> Body {
    Body {
        date: article.date,
        title: article.title.clone(),
        words: article.words,
        blocks: Vec::new(),
        problem: None,
        fingerprint: None,
        link: None,
        enclosures: Vec::new(),
    }
}

/// Which match `n` (`delta` 1) or `N` (-1) goes to, from the current one, or from the screen
/// shown (its first line `scroll`) when none is current yet: the first match from the top of
/// the screen down counts as one step forward, the last above it as one step back. Wraps
/// around at either end. `None` when there is no match.
pub fn jump_target(
    matches: &[Match],
    current: Option<usize>,
    scroll: usize,
    delta: isize,
) -> Option<usize> {
    if matches.is_empty() || delta == 0 {
        return None;
    }
    let n = matches.len() as isize;
    let target = match current {
        Some(k) => k as isize + delta,
        None if delta > 0 => {
            let first = matches.iter().position(|m| m.line >= scroll).unwrap_or(0);
            first as isize + delta - 1
        }
        None => {
            let last = matches
                .iter()
                .rposition(|m| m.line < scroll)
                .map_or(n - 1, |k| k as isize);
            last + delta + 1
        }
    };
    Some(target.rem_euclid(n) as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(lines: &[usize]) -> Vec<Match> {
        lines
            .iter()
            .map(|&line| Match { line, range: 0..1 })
            .collect()
    }

    #[test]
    fn jumps_start_from_the_screen_and_wrap_around() {
        let matches = at(&[2, 10, 30]);
        assert_eq!(jump_target(&matches, None, 0, 1), Some(0));
        assert_eq!(jump_target(&matches, None, 5, 1), Some(1));
        assert_eq!(jump_target(&matches, None, 5, -1), Some(0));
        assert_eq!(jump_target(&matches, None, 0, -1), Some(2));
        assert_eq!(jump_target(&matches, None, 40, 1), Some(0));
        assert_eq!(jump_target(&matches, Some(2), 0, 1), Some(0));
        assert_eq!(jump_target(&matches, Some(0), 0, -1), Some(2));
        assert_eq!(jump_target(&[], None, 0, 1), None);
    }
}
