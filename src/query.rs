//! The filter language: whitespace-separated terms that must all match, where a term is a
//! word prefix (ignoring case and accents) or a date range (`2026`, `2026-03`, `2026-03-06`,
//! `2025-11..2026-03`, `2026-01..`, `..2024`).

use chrono::NaiveDate;
use memchr::memmem::Finder;

use crate::article::{Article, ArticleDate, last_day_of_month};
use crate::fold::{fold, is_word_char};

/// A parsed query, ready to match articles.
#[derive(Clone, Debug, Default)]
pub struct Query {
    words: Vec<Finder<'static>>,
    range: Option<DateRange>,
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
                let folded = fold(term);
                if !folded.is_empty() {
                    query
                        .words
                        .push(Finder::new(folded.as_bytes()).into_owned());
                }
            }
        }
        Ok(query)
    }

    /// True when the query selects every article.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty() && self.range.is_none()
    }

    /// The date range of the query, if it has one.
    pub fn range(&self) -> Option<DateRange> {
        self.range
    }

    pub fn matches(&self, article: &Article) -> bool {
        if let Some(range) = self.range {
            match article.date {
                Some(date) if range.overlaps(date) => {}
                _ => return false,
            }
        }
        self.words
            .iter()
            .all(|w| matches_word_prefix(&article.search, w))
    }

    /// Indices of the matching articles, in corpus order.
    pub fn filter(&self, articles: &[Article]) -> Vec<usize> {
        articles
            .iter()
            .enumerate()
            .filter(|(_, a)| self.matches(a))
            .map(|(i, _)| i)
            .collect()
    }
}

/// True when `needle` occurs in `haystack` at the start of a word: `secu` is found in
/// `la securite` but not in `l'insecurite`.
fn matches_word_prefix(haystack: &str, needle: &Finder<'_>) -> bool {
    let starts_with_word_char = std::str::from_utf8(needle.needle())
        .ok()
        .and_then(|s| s.chars().next())
        .is_some_and(is_word_char);
    needle.find_iter(haystack.as_bytes()).any(|at| {
        !starts_with_word_char || !haystack[..at].chars().next_back().is_some_and(is_word_char)
    })
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
        q.filter(&c.articles)
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
