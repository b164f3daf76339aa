//! Evaluating a query over the catalog: each clause a set of articles from the index, the
//! date range a slice of the list, and relevance by BM25.

use chrono::Datelike;

use std::ops::Range;

use super::{Atom, Literal, Origin, Query, State, Term};
use crate::corpus::{Article, DateRange};
use crate::search::catalog::Catalog;
use crate::search::disk::Snapshot;
use crate::search::index::Bitset;
use crate::search::sources::Sources;
use crate::store::marks::{Mark, Marks};
use crate::text::fold::words;

impl Query {
    /// Positions of the matching articles, in catalog order (newest first), found with the
    /// index: each clause is a set of articles from the postings, and the date range is a
    /// slice of the list, which is sorted by date.
    pub fn filter(&self, catalog: &Catalog, marks: &Marks) -> Vec<usize> {
        let articles = &catalog.corpus.articles;
        let slice = match self.range {
            Some(range) => dated_slice(articles, range),
            None => 0..articles.len(),
        };
        let mut set: Option<Bitset> = None;
        for clause in &self.clauses {
            let mut any = Bitset::empty(articles.len());
            for literal in clause {
                let found = match &literal.atom {
                    Atom::Text(term) if term.title => title_articles(catalog, term),
                    Atom::Text(term) => term_articles(catalog, term),
                    Atom::Is(state) => state_articles(articles, marks, *state, &slice),
                    Atom::Origin(origin, term) => origin_articles(catalog, *origin, term, &slice),
                };
                if literal.negated {
                    any.union(&found.complement(articles.len()));
                } else {
                    any.union(&found);
                }
            }
            match &mut set {
                Some(s) => s.intersect(&any),
                None => set = Some(any),
            }
        }
        let in_range = |i: usize| {
            self.range
                .is_none_or(|r| articles[i].date.is_some_and(|d| r.overlaps(d)))
        };
        slice
            .filter(|&i| set.as_ref().is_none_or(|s| s.contains(i)) && in_range(i))
            .collect()
    }

    /// The reference the index must agree with: article `i` matched by reading its text
    /// again and looking through its words one by one.
    pub fn matches_plain(&self, catalog: &Catalog, marks: &Marks, i: usize) -> bool {
        let article = &catalog.corpus.articles[i];
        if let Some(range) = self.range {
            if !article.date.is_some_and(|d| range.overlaps(d)) {
                return false;
            }
        }
        let Some((body, title)) = plain_words(catalog, i) else {
            return false;
        };
        let holds = |literal: &Literal| {
            let yes = match &literal.atom {
                Atom::Text(term) => term.found_in(if term.title { &title } else { &body }),
                Atom::Is(state) => is(article, marks, *state),
                Atom::Origin(origin, term) => comes_from(&catalog.sources, article, *origin, term),
            };
            yes != literal.negated
        };
        self.clauses.iter().all(|clause| clause.iter().any(&holds))
    }

    /// Orders `results` by relevance: how often and how rarely the query's words occur in
    /// each article (BM25), a match in the title counting more; ties stay newest first.
    pub fn rank(&self, catalog: &Catalog, results: &mut [usize]) {
        let terms: Vec<&Term> = self.positive_terms().collect();
        if terms.is_empty() || results.is_empty() {
            return;
        }
        if let Some(disk) = &catalog.disk {
            let terms: Vec<(Vec<String>, bool, bool)> = terms
                .iter()
                .map(|t| (t.words.clone(), t.prefix, t.title))
                .collect();
            // Without scores (an index that fails now), the order stays newest first.
            if let Ok(scores) = disk.scores(&terms) {
                results.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
            }
            return;
        }
        let articles = &catalog.corpus.articles;
        let n = articles.len().max(1) as f64;
        let average = articles.iter().map(|a| a.word_ids.len()).sum::<usize>() as f64 / n;
        let weighted: Vec<(Ids, f64)> = terms
            .iter()
            .map(|term| {
                let found = if term.title {
                    title_articles(catalog, term)
                } else {
                    term_articles(catalog, term)
                };
                let df = found.count() as f64;
                let idf = ((n - df + 0.5) / (df + 0.5)).ln_1p();
                (Ids::of(catalog, term), idf)
            })
            .collect();
        let score = |i: usize| -> f64 {
            let article = &articles[i];
            let len = article.word_ids.len() as f64;
            weighted
                .iter()
                .zip(&terms)
                .map(|((ids, idf), term)| {
                    let title = ids.count(&article.title_ids) as f64;
                    let body = if term.title {
                        0.0
                    } else {
                        ids.count(&article.word_ids) as f64
                    };
                    let tf = body + 2.0 * title;
                    const K1: f64 = 1.2;
                    const B: f64 = 0.75;
                    idf * tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * len / average.max(1.0)))
                })
                .sum()
        };
        let mut scored: Vec<(f64, usize)> = results.iter().map(|&i| (score(i), i)).collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        for (slot, (_, i)) in results.iter_mut().zip(scored) {
            *slot = i;
        }
    }
}

impl Term {
    /// True when the folded `text` holds the term's words in a row.
    fn found_in(&self, text: &[String]) -> bool {
        let Some((last, whole)) = self.words.split_last() else {
            return true;
        };
        text.windows(self.words.len()).any(|run| {
            run[..whole.len()] == *whole
                && if self.prefix {
                    run[whole.len()].starts_with(last.as_str())
                } else {
                    run[whole.len()] == *last
                }
        })
    }
}

/// A term as word ids of the index: the whole words, then the range of ids the last one
/// may take.
struct Ids {
    whole: Option<Vec<u32>>,
    last: Range<u32>,
}

impl Ids {
    fn of(catalog: &Catalog, term: &Term) -> Ids {
        let index = &catalog.index;
        let Some((last, whole)) = term.words.split_last() else {
            return Ids {
                whole: None,
                last: 0..0,
            };
        };
        let whole: Option<Vec<u32>> = whole.iter().map(|w| index.find(w)).collect();
        let last = if term.prefix {
            index.prefix_range(last)
        } else {
            index.find(last).map_or(0..0, |id| id..id + 1)
        };
        Ids { whole, last }
    }

    /// True when the term starts at `at` in `stream` (which holds enough words after it).
    fn at(&self, whole: &[u32], stream: &[u32], at: usize) -> bool {
        whole.iter().zip(&stream[at..]).all(|(w, s)| w == s)
            && self.last.contains(&stream[at + whole.len()])
    }

    /// How many times the term occurs in a stream of word ids.
    fn count(&self, stream: &[u32]) -> usize {
        let Some(whole) = &self.whole else {
            return 0;
        };
        if self.last.is_empty() || stream.len() < whole.len() + 1 {
            return 0;
        }
        if whole.is_empty() {
            // One word: a plain count over the stream, which the compiler vectorises.
            let (lo, hi) = (self.last.start, self.last.end);
            return stream.iter().filter(|&&w| w >= lo && w < hi).count();
        }
        starts_of(stream, whole[0], stream.len() - whole.len())
            .filter(|&at| self.at(whole, stream, at))
            .count()
    }

    fn found_in(&self, stream: &[u32]) -> bool {
        let Some(whole) = &self.whole else {
            return false;
        };
        if self.last.is_empty() || stream.len() < whole.len() + 1 {
            return false;
        }
        if whole.is_empty() {
            let (lo, hi) = (self.last.start, self.last.end);
            return stream.chunks(CHUNK).any(|chunk| {
                chunk
                    .iter()
                    .fold(false, |hit, &w| hit | (w >= lo && w < hi))
            });
        }
        starts_of(stream, whole[0], stream.len() - whole.len()).any(|at| self.at(whole, stream, at))
    }
}

/// Words looked at together: the test of a whole chunk has no branch, so it is vectorised.
const CHUNK: usize = 32;

/// The positions below `end` where `stream` holds `word`: chunks without it are skipped
/// in one test each.
fn starts_of(stream: &[u32], word: u32, end: usize) -> impl Iterator<Item = usize> + '_ {
    stream[..end]
        .chunks(CHUNK)
        .enumerate()
        .filter(move |(_, chunk)| chunk.iter().fold(false, |hit, &w| hit | (w == word)))
        .flat_map(move |(n, chunk)| {
            chunk
                .iter()
                .enumerate()
                .filter(move |&(_, &w)| w == word)
                .map(move |(i, _)| n * CHUNK + i)
        })
}

/// The articles a term matches in their body, from the index.
fn term_articles(catalog: &Catalog, term: &Term) -> Bitset {
    match &catalog.disk {
        Some(disk) => disk_articles(catalog, disk, term),
        None => matching(catalog, term, &catalog.index, |a| &a.word_ids),
    }
}

/// The articles whose title holds the term, from the title index.
fn title_articles(catalog: &Catalog, term: &Term) -> Bitset {
    match &catalog.disk {
        Some(disk) => disk_articles(catalog, disk, term),
        None => matching(catalog, term, &catalog.titles, |a| &a.title_ids),
    }
}

/// The articles holding the term, from the disk index; the articles it lacks, and all of
/// them if it fails now, are read instead: slower, never wrong.
fn disk_articles(catalog: &Catalog, disk: &Snapshot, term: &Term) -> Bitset {
    let len = catalog.corpus.articles.len();
    let (mut set, unknown) = match disk.matching(&term.words, term.prefix, term.title) {
        Ok(set) => (set, disk.missing().to_vec()),
        Err(_) => (Bitset::empty(len), (0..len).collect()),
    };
    for i in unknown {
        let holds = plain_words(catalog, i)
            .is_some_and(|(body, title)| term.found_in(if term.title { &title } else { &body }));
        if holds {
            set.insert(i);
        }
    }
    set
}

/// The folded words of article `i`'s body and title, read from its source now.
fn plain_words(catalog: &Catalog, i: usize) -> Option<(Vec<String>, Vec<String>)> {
    let text = crate::store::read::text(&catalog.corpus.articles[i]).ok()?;
    let head = crate::store::parse::head(&text).ok();
    let body = words(&text[head.as_ref().map_or(0, |h| h.body_start)..]);
    let title = words(head.as_ref().map_or("", |h| &h.title));
    Some((body, title))
}

/// The articles holding the term in the words `index` has of them, `words` in order.
fn matching(
    catalog: &Catalog,
    term: &Term,
    index: &crate::search::index::Index,
    words: impl Fn(&Article) -> &[u32],
) -> Bitset {
    let len = catalog.corpus.articles.len();
    let Some((last, whole)) = term.words.split_last() else {
        return Bitset::full(len);
    };
    let mut set = if term.prefix {
        index.articles_with_prefix(last)
    } else {
        index.articles_with_word(last)
    };
    if whole.is_empty() {
        return set;
    }
    // Several words: articles holding all of them, then those holding them in a row.
    for word in whole {
        set.intersect(&index.articles_with_word(word));
    }
    let ids = Ids::of(catalog, term);
    let mut in_a_row = Bitset::empty(len);
    for a in set.iter() {
        if ids.found_in(words(&catalog.corpus.articles[a])) {
            in_a_row.insert(a);
        }
    }
    in_a_row
}

fn is(article: &Article, marks: &Marks, state: State) -> bool {
    let mark = |m| article.fingerprint.is_some_and(|f| marks.is(f, m));
    match state {
        State::Read => mark(Mark::Read),
        State::Unread => !mark(Mark::Read),
        State::Starred => mark(Mark::Starred),
    }
}

/// What `origin` tells articles apart by: the feed's name, the author, or the feed's key
/// (for its tags) of a feed article; the name of the folder given that holds any other.
/// `None` when the article has no such thing.
fn origin_key<'a>(sources: &'a Sources, article: &'a Article, origin: Origin) -> Option<&'a str> {
    if origin == Origin::Folder {
        return Some(sources.name(article)).filter(|_| article.origin.is_none());
    }
    let from = article.origin.as_ref()?;
    match origin {
        Origin::Feed => Some(from.feed.as_str()),
        Origin::Author => from.author.as_deref(),
        Origin::Tag => from.feed_key.as_deref(),
        Origin::Folder => None,
    }
}

/// True when the feed's name or the author `key` has the words of `term`, or, for `tag:`,
/// one of the tags of the feed known by `key`.
fn key_matches(sources: &Sources, origin: Origin, key: &str, term: &Term) -> bool {
    match origin {
        Origin::Feed | Origin::Author | Origin::Folder => term.found_in(&words(key)),
        Origin::Tag => sources
            .tags(key)
            .iter()
            .any(|tag| term.found_in(&words(tag))),
    }
}

/// True when the feed (or author, or feed's tags) that `article` was saved from has the
/// words of `term`.
fn comes_from(sources: &Sources, article: &Article, origin: Origin, term: &Term) -> bool {
    origin_key(sources, article, origin).is_some_and(|key| key_matches(sources, origin, key, term))
}

/// The articles of `slice` saved from a feed (or by an author, or from a feed with a tag)
/// matching `term`: read off the list, which keeps where each feed article comes from.
fn origin_articles(catalog: &Catalog, origin: Origin, term: &Term, slice: &Range<usize>) -> Bitset {
    let articles = &catalog.corpus.articles;
    // A few feeds and authors stand behind many articles: each is looked at once.
    let mut known: std::collections::HashMap<&str, bool> = std::collections::HashMap::new();
    let mut set = Bitset::empty(articles.len());
    for i in slice.clone() {
        let Some(key) = origin_key(&catalog.sources, &articles[i], origin) else {
            continue;
        };
        let found = *known
            .entry(key)
            .or_insert_with(|| key_matches(&catalog.sources, origin, key, term));
        if found {
            set.insert(i);
        }
    }
    set
}

fn state_articles(
    articles: &[Article],
    marks: &Marks,
    state: State,
    slice: &Range<usize>,
) -> Bitset {
    let mut set = Bitset::empty(articles.len());
    for i in slice.clone() {
        if is(&articles[i], marks, state) {
            set.insert(i);
        }
    }
    set
}

/// The part of the list (newest first, undated last) that can hold articles in `range`.
fn dated_slice(articles: &[Article], range: DateRange) -> std::ops::Range<usize> {
    let lo = range.end.map_or(0, |end| {
        articles.partition_point(|a| a.date.is_some_and(|d| d.first > end))
    });
    // A month-precision article starts on the 1st: it may overlap a range starting later.
    let hi = match range.start {
        Some(start) => {
            let month = start.with_day(1).unwrap_or(start);
            articles.partition_point(|a| a.date.is_some_and(|d| d.first >= month))
        }
        None => articles.partition_point(|a| a.date.is_some()),
    };
    lo..hi.max(lo)
}
