//! The filter language: whitespace-separated terms that must all match, where a term is a
//! word prefix (ignoring case and accents) or a date range (`2026`, `2026-03`, `2026-03-06`,
//! `2025-11..2026-03`, `2026-01..`, `..2024`).

use chrono::{Datelike, NaiveDate};

use crate::article::{Article, ArticleDate, last_day_of_month};
use crate::fold::words;
use crate::index::Bitset;
use crate::load::Corpus;

/// A parsed query, ready to match articles.
#[derive(Clone, Debug, Default)]
pub struct Query {
    terms: Vec<Term>,
    range: Option<DateRange>,
}

/// A text term: its folded words, all but the last matched whole and in a row, the last
/// as a prefix (`l'armee` is `l` followed by a word starting with `armee`).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Term {
    words: Vec<String>,
}

/// Inclusive range of days; an open end is `None`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateRange {
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
}

impl DateRange {
    /// True when the article's day or month overlaps the range.
    pub fn overlaps(&self, date: ArticleDate) -> bool {
        self.start.is_none_or(|s| date.last() >= s) && self.end.is_none_or(|e| date.first <= e)
    }

    fn intersect(self, other: DateRange) -> DateRange {
        DateRange {
            start: later(self.start, other.start),
            end: earlier(self.end, other.end),
        }
    }
}

fn later(a: Option<NaiveDate>, b: Option<NaiveDate>) -> Option<NaiveDate> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        _ => a.or(b),
    }
}

fn earlier(a: Option<NaiveDate>, b: Option<NaiveDate>) -> Option<NaiveDate> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        _ => a.or(b),
    }
}

/// What is wrong with a query, in words for the filter pane.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("unfinished date “{0}”: write YYYY, YYYY-MM or YYYY-MM-DD")]
    Unfinished(String),
    #[error("there is no month {month} in “{term}”")]
    NoMonth { term: String, month: u32 },
    #[error("there is no day {0}")]
    NoDay(String),
    #[error("the range “{0}” ends before it starts")]
    Backwards(String),
    #[error("a range needs at least one end, as in 2026.. or ..2026")]
    NoEnds,
}

impl Query {
    /// Parses the text of the filter line.
    pub fn parse(input: &str) -> Result<Query, QueryError> {
        let mut query = Query::default();
        for term in input.split_whitespace() {
            if looks_like_date(term) {
                let range = parse_range(term)?;
                query.range = Some(match query.range {
                    Some(r) => r.intersect(range),
                    None => range,
                });
            } else {
                let words = words(term);
                // A term of punctuation alone (`—`, `%`) holds no word to look for.
                if !words.is_empty() {
                    query.terms.push(Term { words });
                }
            }
        }
        Ok(query)
    }

    /// True when the query selects every article.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty() && self.range.is_none()
    }

    /// True when the query has words to look up in the index (not only dates).
    pub fn has_words(&self) -> bool {
        !self.terms.is_empty()
    }

    /// The same query without its words: its dates alone.
    pub fn dates_only(&self) -> Query {
        Query {
            terms: Vec::new(),
            range: self.range,
        }
    }

    /// Positions of the matching articles, in corpus order (newest first), found with the
    /// index: each term is a set of articles from the postings, and the date range is a
    /// slice of the list, which is sorted by date.
    pub fn filter(&self, corpus: &Corpus) -> Vec<usize> {
        let articles = &corpus.articles;
        let slice = match self.range {
            Some(range) => dated_slice(articles, range),
            None => 0..articles.len(),
        };
        let mut set: Option<Bitset> = None;
        for term in &self.terms {
            let found = term_articles(corpus, term);
            match &mut set {
                Some(s) => s.intersect(&found),
                None => set = Some(found),
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
    pub fn matches_plain(&self, corpus: &Corpus, i: usize) -> bool {
        if let Some(range) = self.range {
            if !corpus.articles[i].date.is_some_and(|d| range.overlaps(d)) {
                return false;
            }
        }
        let Ok(text) = corpus.text(i) else {
            return false;
        };
        let body_start = crate::parse::head(&text).map_or(0, |h| h.body_start);
        let text = words(&text[body_start..]);
        self.terms.iter().all(|term| {
            let Some((last, whole)) = term.words.split_last() else {
                return true;
            };
            text.windows(term.words.len()).any(|run| {
                run[..whole.len()] == *whole && run[whole.len()].starts_with(last.as_str())
            })
        })
    }
}

/// The articles a term matches, from the index.
fn term_articles(corpus: &Corpus, term: &Term) -> Bitset {
    let index = &corpus.index;
    let Some((last, whole)) = term.words.split_last() else {
        return Bitset::full(corpus.articles.len());
    };
    let mut set = index.articles_with_prefix(last);
    if whole.is_empty() {
        return set;
    }
    // Several words: articles holding all of them, then those holding them in a row.
    let mut ids = Vec::with_capacity(whole.len());
    for word in whole {
        match index.find(word) {
            Some(id) => ids.push(id),
            None => return Bitset::empty(corpus.articles.len()),
        }
        set.intersect(&index.articles_with_word(word));
    }
    let range = index.prefix_range(last);
    let mut in_a_row = Bitset::empty(corpus.articles.len());
    for a in set.iter() {
        let stream = &corpus.articles[a].word_ids;
        let found = stream
            .windows(ids.len() + 1)
            .any(|run| run[..ids.len()] == ids[..] && range.contains(&run[ids.len()]));
        if found {
            in_a_row.insert(a);
        }
    }
    in_a_row
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

/// A term is a date when it starts with four digits and holds only digits and `-`, or when
/// it contains `..`.
fn looks_like_date(term: &str) -> bool {
    term.contains("..")
        || (term.len() >= 4
            && term.as_bytes()[..4].iter().all(u8::is_ascii_digit)
            && term.bytes().all(|b| b.is_ascii_digit() || b == b'-'))
}

fn parse_range(term: &str) -> Result<DateRange, QueryError> {
    let Some((from, to)) = term.split_once("..") else {
        let (start, end) = parse_period(term)?;
        return Ok(DateRange {
            start: Some(start),
            end: Some(end),
        });
    };
    if from.is_empty() && to.is_empty() {
        return Err(QueryError::NoEnds);
    }
    let start = (!from.is_empty())
        .then(|| parse_period(from).map(|p| p.0))
        .transpose()?;
    let end = (!to.is_empty())
        .then(|| parse_period(to).map(|p| p.1))
        .transpose()?;
    if let (Some(s), Some(e)) = (start, end) {
        if e < s {
            return Err(QueryError::Backwards(term.to_owned()));
        }
    }
    Ok(DateRange { start, end })
}

/// First and last day of `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
fn parse_period(text: &str) -> Result<(NaiveDate, NaiveDate), QueryError> {
    let unfinished = || QueryError::Unfinished(text.to_owned());
    let number = |part: &str, len: usize| -> Result<u32, QueryError> {
        if part.len() == len && part.bytes().all(|b| b.is_ascii_digit()) {
            part.parse().map_err(|_| unfinished())
        } else {
            Err(unfinished())
        }
    };
    let parts: Vec<&str> = text.split('-').collect();
    let year = number(parts[0], 4)? as i32;
    let month = match parts.get(1) {
        None => {
            let first = NaiveDate::from_ymd_opt(year, 1, 1).ok_or_else(unfinished)?;
            let last = NaiveDate::from_ymd_opt(year, 12, 31).ok_or_else(unfinished)?;
            return Ok((first, last));
        }
        Some(part) => number(part, 2)?,
    };
    let first = NaiveDate::from_ymd_opt(year, month, 1).ok_or(QueryError::NoMonth {
        term: text.to_owned(),
        month,
    })?;
    match parts[2..] {
        [] => Ok((first, last_day_of_month(first))),
        [day] => {
            let day = number(day, 2)?;
            let date = NaiveDate::from_ymd_opt(year, month, day)
                .ok_or_else(|| QueryError::NoDay(text.to_owned()))?;
            Ok((date, date))
        }
        _ => Err(unfinished()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::Corpus;
    use std::path::PathBuf;

    fn corpus() -> Corpus {
        let files: [(&str, &str); 6] = [
            ("a.txt", "date 2026-03-06 La SÉCURITÉ des données."),
            ("b.txt", "date 2026-03 Le cœur du problème."),
            ("c.txt", "date 2025-11-30 L’insécurité grandit à Noël."),
            ("d.txt", "date 2024-02-29 Un élève naïf."),
            ("e.txt", "Sans date : sécurité et cœur."),
            ("f.txt", "date 2023-05 Le Premier ministre."),
        ];
        Corpus::from_memory(files.iter().map(|(p, t)| (PathBuf::from(p), t.as_bytes())))
    }

    fn paths(query: &str) -> Vec<String> {
        let c = corpus();
        let q = Query::parse(query).unwrap();
        let found = q.filter(&c);
        // The index and the plain reading of every article agree.
        let plain: Vec<usize> = (0..c.articles.len())
            .filter(|&i| q.matches_plain(&c, i))
            .collect();
        assert_eq!(found, plain, "index and plain scan differ for {query:?}");
        found
            .into_iter()
            .map(|i| c.articles[i].path.display().to_string())
            .collect()
    }

    #[test]
    fn empty_query_matches_everything() {
        assert_eq!(paths("  ").len(), 6);
        assert!(Query::parse("").unwrap().is_empty());
    }

    #[test]
    fn terms_ignore_case_and_accents() {
        assert_eq!(paths("securite"), ["a.txt", "e.txt"]);
        assert_eq!(paths("SÉCURITÉ"), ["a.txt", "e.txt"]);
        assert_eq!(paths("coeur"), ["b.txt", "e.txt"]);
        assert_eq!(paths("noel"), ["c.txt"]);
        assert_eq!(paths("eleve naif"), ["d.txt"]);
    }

    #[test]
    fn terms_match_at_the_start_of_a_word() {
        assert_eq!(paths("secu"), ["a.txt", "e.txt"]);
        assert_eq!(paths("insecu"), ["c.txt"]);
        assert_eq!(paths("curite"), Vec::<String>::new());
        assert_eq!(paths("l'insecurite"), ["c.txt"]);
    }

    #[test]
    fn all_terms_must_match() {
        assert_eq!(paths("securite coeur"), ["e.txt"]);
        assert_eq!(paths("securite 2026"), ["a.txt"]);
    }

    #[test]
    fn date_terms_select_ranges() {
        assert_eq!(paths("2026"), ["a.txt", "b.txt"]);
        assert_eq!(paths("2026-03"), ["a.txt", "b.txt"]);
        assert_eq!(paths("2025-11..2026-03"), ["a.txt", "b.txt", "c.txt"]);
        assert_eq!(paths("2025.."), ["a.txt", "b.txt", "c.txt"]);
        assert_eq!(paths("..2024"), ["d.txt", "f.txt"]);
        assert_eq!(paths("2024-02-29"), ["d.txt"]);
    }

    #[test]
    fn a_month_article_matches_any_range_its_month_overlaps() {
        assert_eq!(paths("2026-03-15"), ["b.txt"]);
        assert_eq!(paths("2026-03-06"), ["a.txt", "b.txt"]);
        assert_eq!(paths("2023-05-31..2023-06"), ["f.txt"]);
        assert_eq!(paths("..2026-02-28"), ["c.txt", "d.txt", "f.txt"]);
    }

    #[test]
    fn undated_articles_never_match_a_date() {
        assert_eq!(paths("1900..").len(), 5);
        assert!(!paths("1900..").contains(&"e.txt".to_owned()));
    }

    #[test]
    fn several_dates_intersect() {
        assert_eq!(paths("2026 ..2026-03-05"), ["b.txt"]);
        assert_eq!(paths("2024 2026"), Vec::<String>::new());
    }

    #[test]
    fn invalid_dates_say_what_is_wrong() {
        let err = |q: &str| Query::parse(q).unwrap_err().to_string();
        assert_eq!(err("2026-13"), "there is no month 13 in “2026-13”");
        assert_eq!(err("2026-02-30"), "there is no day 2026-02-30");
        assert_eq!(
            err("2026-1"),
            "unfinished date “2026-1”: write YYYY, YYYY-MM or YYYY-MM-DD"
        );
        assert!(matches!(
            Query::parse("2026-"),
            Err(QueryError::Unfinished(_))
        ));
        assert_eq!(
            err("2026..2025"),
            "the range “2026..2025” ends before it starts"
        );
        assert_eq!(
            err(".."),
            "a range needs at least one end, as in 2026.. or ..2026"
        );
        assert!(matches!(
            Query::parse("2026..abc"),
            Err(QueryError::Unfinished(_))
        ));
        assert!(matches!(
            Query::parse("2026-03-06-01"),
            Err(QueryError::Unfinished(_))
        ));
    }

    #[test]
    fn words_with_digits_are_text() {
        assert!(!looks_like_date("gpt-4o"));
        assert!(!looks_like_date("295"));
        assert!(looks_like_date("2026"));
        assert!(!looks_like_date("2026a"));
    }
}
