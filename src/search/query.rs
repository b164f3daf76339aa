//! The filter language, one for the filter pane and `kiosque list --query`. Clauses are
//! separated by spaces and must all hold:
//!
//! - `otan`: a word starting with `otan`, ignoring case and accents; `l'armee` is `l`
//!   followed by a word starting with `armee`;
//! - `"accord conclu"`: these words, whole and in a row;
//! - `title:otan`, `title:"sam altman"`: in the title;
//! - `-otan`, `-"phrase"`, `-title:otan`: not this;
//! - `otan OR onu`: either (as many `OR` as wanted, between single clauses);
//! - `is:unread`, `is:read`, `is:starred`: read state;
//! - dates: `2026`, `2026-03`, `2026-03-06`, ranges `2025-11..2026-03`, `2026-01..`,
//!   `..2024`, `since:2026-01-05`, `until:2025-12`, and relative to today: `today`,
//!   `yesterday`, `7d`, `4w`, `3m`, `1y` (the last 7 days, 4 weeks, 3 months, a year).

use std::ops::Range;

use chrono::{Datelike, Days, Months, NaiveDate};

use crate::corpus::{Article, ArticleDate, last_day_of_month};
use crate::search::catalog::Catalog;
use crate::search::index::Bitset;
use crate::store::marks::{Mark, Marks};
use crate::text::fold::{for_each_word_at, words};

/// A parsed query, ready to match articles.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    /// All must hold; each is one or more alternatives joined by `OR`.
    clauses: Vec<Vec<Literal>>,
    range: Option<DateRange>,
}

/// One alternative of a clause: a condition, or its opposite.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Literal {
    negated: bool,
    atom: Atom,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Atom {
    Text(Term),
    Is(State),
}

/// `is:` conditions on the read state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Read,
    Unread,
    Starred,
}

/// Folded words that must appear in a row: whole, except the last of a plain term, which is
/// a prefix (`l'armee` is `l` followed by a word starting with `armee`).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Term {
    words: Vec<String>,
    /// The last word is a prefix (plain terms) or whole (phrases).
    prefix: bool,
    /// Only in the title.
    title: bool,
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

/// What is wrong with a query, in words for the filter pane and `kiosque list`.
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
    #[error("the quote in {0} is never closed: add \" at its end")]
    Unclosed(String),
    #[error("“{0}” needs something after it, as in {0}otan")]
    Empty(String),
    #[error("“{0}” needs a date after it, as in {0}2026-01")]
    NoDate(String),
    #[error("unknown state “{0}”: write is:unread, is:read or is:starred")]
    UnknownState(String),
    #[error("OR needs a word or phrase on each side, as in otan OR onu")]
    LoneOr,
    #[error("“{0}” is a date: dates cannot be excluded or joined with OR; use a range")]
    DateInClause(String),
    #[error("“{0}” holds no word to look for")]
    NoWord(String),
    #[error("“{0}” is too far back")]
    TooFar(String),
    #[error("“{0}” covers no day: count from 1, as in 1{1}")]
    NoDays(String, char),
}

/// A piece of the query text, before it is understood.
#[derive(Debug)]
enum Token<'a> {
    Or,
    Clause {
        negated: bool,
        field: &'a str,
        body: Body<'a>,
        text: &'a str,
    },
}

#[derive(Debug)]
enum Body<'a> {
    Bare(&'a str),
    Quoted(&'a str),
}

/// Splits the query into tokens: a clause is an optional `-`, an optional `field:`, then a
/// bare word or a quoted phrase.
fn tokens(input: &str) -> Result<Vec<Token<'_>>, QueryError> {
    let mut out = Vec::new();
    let mut rest = input.trim_start();
    while !rest.is_empty() {
        let start = rest;
        let negated = rest.len() > 1 && rest.starts_with('-') && !rest[1..].starts_with(' ');
        if negated {
            rest = &rest[1..];
        }
        // `field:` only for the known fields, so that `12:30` or `http://…` stay words.
        let field = ["title:", "is:", "since:", "until:"]
            .into_iter()
            .find(|f| {
                rest.get(..f.len())
                    .is_some_and(|p| p.eq_ignore_ascii_case(f))
            })
            .unwrap_or("");
        rest = &rest[field.len()..];
        let body = if let Some(quoted) = rest.strip_prefix('"') {
            let Some(close) = quoted.find('"') else {
                let mut shown: String = start.chars().take(24).collect();
                if shown.len() < start.len() {
                    shown.push('…');
                }
                return Err(QueryError::Unclosed(shown));
            };
            rest = &quoted[close + 1..];
            Body::Quoted(&quoted[..close])
        } else {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            let (word, after) = rest.split_at(end);
            rest = after;
            Body::Bare(word)
        };
        let text = &start[..start.len() - rest.len()];
        match body {
            Body::Bare("OR") if !negated && field.is_empty() => out.push(Token::Or),
            Body::Bare("") if !field.is_empty() => {
                let field = &start[usize::from(negated)..][..field.len()];
                return Err(match field.to_ascii_lowercase().as_str() {
                    "since:" | "until:" => QueryError::NoDate(field.to_owned()),
                    _ => QueryError::Empty(field.to_owned()),
                });
            }
            body => out.push(Token::Clause {
                negated,
                field,
                body,
                text,
            }),
        }
        rest = rest.trim_start();
    }
    Ok(out)
}

/// What one clause token turned out to be.
enum Understood {
    Literal(Literal),
    Dates(DateRange),
    /// Punctuation alone (`—`, `%`): nothing to look for.
    Nothing,
}

fn understand(token: &Token<'_>, today: NaiveDate) -> Result<Understood, QueryError> {
    let Token::Clause {
        negated,
        field,
        body,
        text,
    } = token
    else {
        return Ok(Understood::Nothing);
    };
    let field = field.to_ascii_lowercase();
    let literal = |atom| {
        Ok(Understood::Literal(Literal {
            negated: *negated,
            atom,
        }))
    };
    let dates = |range: DateRange| {
        if *negated {
            Err(QueryError::DateInClause((*text).to_owned()))
        } else {
            Ok(Understood::Dates(range))
        }
    };
    match (field.as_str(), body) {
        ("is:", Body::Bare(state) | Body::Quoted(state)) => {
            let state = match state.to_ascii_lowercase().as_str() {
                "read" => State::Read,
                "unread" => State::Unread,
                "starred" => State::Starred,
                _ => return Err(QueryError::UnknownState((*state).to_owned())),
            };
            literal(Atom::Is(state))
        }
        ("since:" | "until:", Body::Bare(date) | Body::Quoted(date)) => {
            let (first, last) = match relative(date, today)? {
                Some(range) => (range.start.unwrap_or(today), range.end.unwrap_or(today)),
                None => parse_period(date)?,
            };
            dates(if field == "since:" {
                DateRange {
                    start: Some(first),
                    end: None,
                }
            } else {
                DateRange {
                    start: None,
                    end: Some(last),
                }
            })
        }
        ("", Body::Bare(word)) if looks_like_date(word) => dates(parse_range(word)?),
        ("", Body::Bare(word)) => match relative(word, today)? {
            Some(range) => dates(range),
            None => text_literal(*negated, false, body, text),
        },
        (field, body) => text_literal(*negated, field == "title:", body, text),
    }
}

/// A word or phrase to look for.
fn text_literal(
    negated: bool,
    title: bool,
    body: &Body<'_>,
    text: &str,
) -> Result<Understood, QueryError> {
    let (words, prefix) = match body {
        Body::Bare(word) => (words(word), true),
        Body::Quoted(phrase) => (words(phrase), false),
    };
    if words.is_empty() {
        // Punctuation alone is nothing to look for, unless something was asked of it.
        return match body {
            Body::Bare(_) if !title && !negated => Ok(Understood::Nothing),
            _ => Err(QueryError::NoWord(text.to_owned())),
        };
    }
    Ok(Understood::Literal(Literal {
        negated,
        atom: Atom::Text(Term {
            words,
            prefix,
            title,
        }),
    }))
}

/// `today`, `yesterday`, `7d`, `4w`, `3m`, `1y`: the days they cover, ending today.
fn relative(word: &str, today: NaiveDate) -> Result<Option<DateRange>, QueryError> {
    let day = |d: NaiveDate| DateRange {
        start: Some(d),
        end: Some(d),
    };
    match word.to_ascii_lowercase().as_str() {
        "today" => return Ok(Some(day(today))),
        "yesterday" => return Ok(today.pred_opt().map(day)),
        _ => {}
    }
    let Some(unit) = word.chars().last().filter(|u| "dwmy".contains(*u)) else {
        return Ok(None);
    };
    let count = &word[..word.len() - 1];
    if count.is_empty() || !count.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(None);
    }
    let too_far = || QueryError::TooFar(word.to_owned());
    let n: u32 = count.parse().map_err(|_| too_far())?;
    if n == 0 {
        return Err(QueryError::NoDays(word.to_owned(), unit));
    }
    // The last n days (today included), or since the same day n weeks, months or years ago.
    let start = match unit {
        'd' => today.checked_sub_days(Days::new(u64::from(n) - 1)),
        'w' => today
            .checked_sub_days(Days::new(u64::from(n) * 7))
            .and_then(|d| d.succ_opt()),
        'm' => today
            .checked_sub_months(Months::new(n))
            .and_then(|d| d.succ_opt()),
        _ => n
            .checked_mul(12)
            .and_then(|m| today.checked_sub_months(Months::new(m)))
            .and_then(|d| d.succ_opt()),
    }
    .ok_or_else(too_far)?;
    Ok(Some(DateRange {
        start: Some(start),
        end: Some(today),
    }))
}

impl Query {
    /// Parses the text of the filter line; relative dates count back from `today`.
    pub fn parse(input: &str, today: NaiveDate) -> Result<Query, QueryError> {
        let mut query = Query::default();
        let tokens = tokens(input)?;
        let mut joining = false;
        for (i, token) in tokens.iter().enumerate() {
            if let Token::Or = token {
                let next_is_clause = matches!(tokens.get(i + 1), Some(Token::Clause { .. }));
                if query.clauses.is_empty() || joining || !next_is_clause {
                    return Err(QueryError::LoneOr);
                }
                joining = true;
                continue;
            }
            let understood = understand(token, today)?;
            match understood {
                Understood::Literal(literal) if joining => {
                    if let Some(last) = query.clauses.last_mut() {
                        last.push(literal);
                    }
                }
                Understood::Literal(literal) => query.clauses.push(vec![literal]),
                Understood::Dates(_) if joining => {
                    let text = match token {
                        Token::Clause { text, .. } => (*text).to_owned(),
                        Token::Or => String::new(),
                    };
                    return Err(QueryError::DateInClause(text));
                }
                Understood::Dates(range) => {
                    query.range = Some(match query.range {
                        Some(r) => r.intersect(range),
                        None => range,
                    });
                }
                Understood::Nothing if joining => return Err(QueryError::LoneOr),
                Understood::Nothing => {}
            }
            joining = false;
        }
        // `a OR` followed by a date: the date was refused above; `OR` last is refused too.
        Ok(query)
    }

    /// The query text without its dates (ranges, relative dates, `since:`, `until:`), the
    /// rest as written; `None` when the text is not a valid query.
    pub fn without_dates(input: &str, today: NaiveDate) -> Option<String> {
        Query::parse(input, today).ok()?;
        let kept: Vec<&str> = tokens(input)
            .ok()?
            .iter()
            .filter_map(|token| match token {
                Token::Or => Some("OR"),
                Token::Clause { text, .. } => match understand(token, today) {
                    Ok(Understood::Dates(_)) => None,
                    _ => Some(*text),
                },
            })
            .collect();
        Some(kept.join(" "))
    }

    /// True when the query selects every article.
    pub fn is_empty(&self) -> bool {
        self.clauses.is_empty() && self.range.is_none()
    }

    /// True when the query needs the index (words) or the articles' fingerprints (read
    /// state), both built after the list: not only dates.
    pub fn has_words(&self) -> bool {
        !self.clauses.is_empty()
    }

    /// True when the query asks about read state (`is:unread`…).
    pub fn uses_state(&self) -> bool {
        self.clauses
            .iter()
            .flatten()
            .any(|l| matches!(l.atom, Atom::Is(_)))
    }

    /// True when some clause looks for words, so results can be ranked by relevance.
    pub fn can_rank(&self) -> bool {
        self.positive_terms().next().is_some()
    }

    /// The same query without its words: its dates alone.
    pub fn dates_only(&self) -> Query {
        Query {
            clauses: Vec::new(),
            range: self.range,
        }
    }

    /// The date range the query selects, if it selects one.
    pub fn range(&self) -> Option<DateRange> {
        self.range
    }

    fn positive_terms(&self) -> impl Iterator<Item = &Term> {
        self.clauses.iter().flatten().filter_map(|l| match &l.atom {
            Atom::Text(term) if !l.negated => Some(term),
            _ => None,
        })
    }

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
        let Ok(text) = crate::store::read::text(&catalog.corpus.articles[i]) else {
            return false;
        };
        let head = crate::store::parse::head(&text).ok();
        let body = words(&text[head.as_ref().map_or(0, |h| h.body_start)..]);
        let title = words(head.as_ref().map_or("", |h| &h.title));
        let holds = |literal: &Literal| {
            let yes = match &literal.atom {
                Atom::Text(term) => term.found_in(if term.title { &title } else { &body }),
                Atom::Is(state) => is(article, marks, *state),
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

    /// What to highlight in text shown with this query's results.
    pub fn highlighter(&self) -> Highlighter {
        Highlighter {
            terms: self
                .positive_terms()
                .map(|t| (t.words.clone(), t.prefix))
                .collect(),
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
    matching(catalog, term, &catalog.index, |a| &a.word_ids)
}

/// The articles whose title holds the term, from the title index.
fn title_articles(catalog: &Catalog, term: &Term) -> Bitset {
    matching(catalog, term, &catalog.titles, |a| &a.title_ids)
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

/// Finds the words of a query in text, to show them: matched on folded words, reported as
/// the bytes of the original text (`SÉCURITÉ` for `securite`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Highlighter {
    terms: Vec<(Vec<String>, bool)>,
}

impl Highlighter {
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The byte ranges of `text` that match, in order and not overlapping; a term of
    /// several words gives one range from its first word to its last.
    pub fn find(&self, text: &str) -> Vec<Range<usize>> {
        if self.terms.is_empty() {
            return Vec::new();
        }
        let mut found: Vec<(String, Range<usize>)> = Vec::new();
        for_each_word_at(text, &mut String::new(), |w, at| {
            found.push((w.to_owned(), at))
        });
        let mut out: Vec<Range<usize>> = Vec::new();
        let mut i = 0;
        while i < found.len() {
            let hit = self.terms.iter().find_map(|(words, prefix)| {
                let (last, whole) = words.split_last()?;
                let run = found.get(i..i + words.len())?;
                let fits = run[..whole.len()].iter().zip(whole).all(|(f, w)| f.0 == *w)
                    && if *prefix {
                        run[whole.len()].0.starts_with(last.as_str())
                    } else {
                        run[whole.len()].0 == *last
                    };
                fits.then_some(words.len())
            });
            match hit {
                Some(n) => {
                    out.push(found[i].1.start..found[i + n - 1].1.end);
                    i += n;
                }
                None => i += 1,
            }
        }
        out
    }
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
    use crate::search::catalog::Catalog;
    use std::path::PathBuf;

    fn catalog() -> Catalog {
        let files: [(&str, &str); 6] = [
            ("a.txt", "date 2026-03-06 La SÉCURITÉ des données."),
            ("b.txt", "date 2026-03 Le cœur du problème."),
            ("c.txt", "date 2025-11-30 L’insécurité grandit à Noël."),
            ("d.txt", "date 2024-02-29 Un élève naïf."),
            ("e.txt", "Sans date : sécurité et cœur."),
            ("f.txt", "date 2023-05 Le Premier ministre."),
        ];
        Catalog::from_memory(files.iter().map(|(p, t)| (PathBuf::from(p), t.as_bytes())))
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 8).unwrap()
    }

    fn parse(query: &str) -> Result<Query, QueryError> {
        Query::parse(query, today())
    }

    fn paths(query: &str) -> Vec<String> {
        paths_with(query, &Marks::default())
    }

    fn paths_with(query: &str, marks: &Marks) -> Vec<String> {
        matched(&catalog(), query, marks)
    }

    /// The paths of the articles of `c` that `query` keeps, once the index and the plain
    /// reading of every article have been checked to agree.
    fn matched(c: &Catalog, query: &str, marks: &Marks) -> Vec<String> {
        let q = parse(query).unwrap_or_else(|e| panic!("{query:?}: {e}"));
        let found = q.filter(c, marks);
        let plain: Vec<usize> = (0..c.corpus.articles.len())
            .filter(|&i| q.matches_plain(c, marks, i))
            .collect();
        assert_eq!(found, plain, "index and plain scan differ for {query:?}");
        found
            .into_iter()
            .map(|i| c.corpus.articles[i].path.display().to_string())
            .collect()
    }

    #[test]
    fn empty_query_matches_everything() {
        assert_eq!(paths("  ").len(), 6);
        assert!(parse("").unwrap().is_empty());
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
        let err = |q: &str| parse(q).unwrap_err().to_string();
        assert_eq!(err("2026-13"), "there is no month 13 in “2026-13”");
        assert_eq!(err("2026-02-30"), "there is no day 2026-02-30");
        assert_eq!(
            err("2026-1"),
            "unfinished date “2026-1”: write YYYY, YYYY-MM or YYYY-MM-DD"
        );
        assert!(matches!(parse("2026-"), Err(QueryError::Unfinished(_))));
        assert_eq!(
            err("2026..2025"),
            "the range “2026..2025” ends before it starts"
        );
        assert_eq!(
            err(".."),
            "a range needs at least one end, as in 2026.. or ..2026"
        );
        assert!(matches!(parse("2026..abc"), Err(QueryError::Unfinished(_))));
        assert!(matches!(
            parse("2026-03-06-01"),
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

    /// Articles whose title is their first sentence, with more after it.
    fn news() -> Catalog {
        let files: [(&str, &str); 7] = [
            (
                "n1.txt",
                "date 2026-03-08 Accord conclu avec l’armée. Le texte de l’accord n’a pas été conclu hier, mais l’accord tient.",
            ),
            (
                "n2.txt",
                "date 2026-03-07 L’armée recrute. Un accord a été conclu.",
            ),
            (
                "n3.txt",
                "date 2026-03-01 Le climat change. Les accords de Paris.",
            ),
            (
                "n4.txt",
                "date 2026-02 La réforme des retraites. Accord en vue.",
            ),
            (
                "n5.txt",
                "date 2025-03-09 Un an plus tôt. Rien de neuf sur le climat.",
            ),
            ("n6.txt", "date 2024-12-31 Fin d’année. Bonne année."),
            ("n7.txt", "Sans date. Un accord conclu."),
        ];
        Catalog::from_memory(files.iter().map(|(p, t)| (PathBuf::from(p), t.as_bytes())))
    }

    fn found_with(query: &str, marks: &Marks) -> Vec<String> {
        matched(&news(), query, marks)
            .into_iter()
            .map(|path| path.replace(".txt", ""))
            .collect()
    }

    fn found(query: &str) -> Vec<String> {
        found_with(query, &Marks::default())
    }

    #[test]
    fn phrases_are_whole_words_in_a_row() {
        assert_eq!(found("\"accord conclu\""), ["n1", "n7"]);
        assert_eq!(found("\"ACCORD  Conclu\""), ["n1", "n7"]);
        assert_eq!(found("\"accord\""), ["n1", "n2", "n4", "n7"]);
        assert_eq!(found("accord"), ["n1", "n2", "n3", "n4", "n7"]);
        assert_eq!(found("\"l'armee\""), ["n1", "n2"]);
        assert_eq!(found("\"accord conc\""), Vec::<String>::new());
    }

    #[test]
    fn a_minus_excludes() {
        assert_eq!(found("accord -conclu"), ["n3", "n4"]);
        assert_eq!(found("-\"accord conclu\""), ["n2", "n3", "n4", "n5", "n6"]);
        assert_eq!(found("-accord -climat"), ["n6"]);
        // A dash inside a word, or alone, excludes nothing.
        assert_eq!(found("accord -"), found("accord"));
    }

    #[test]
    fn title_looks_only_in_the_title() {
        assert_eq!(found("title:armee"), ["n1", "n2"]);
        assert_eq!(found("title:accord"), ["n1"]);
        assert_eq!(found("TITLE:\"accord conclu\""), ["n1"]);
        assert_eq!(found("accord -title:accord"), ["n2", "n3", "n4", "n7"]);
        assert_eq!(found("title:climat"), ["n3"]);
    }

    #[test]
    fn or_joins_alternatives() {
        assert_eq!(found("climat OR retraites"), ["n3", "n4", "n5"]);
        assert_eq!(found("climat OR retraites 2026"), ["n3", "n4"]);
        assert_eq!(
            found("armee OR retraites OR paris"),
            ["n1", "n2", "n3", "n4"]
        );
        assert_eq!(found("title:armee OR -accord"), ["n1", "n2", "n5", "n6"]);
        // Lower case `or` is a word like any other.
        assert_eq!(found("climat or"), Vec::<String>::new());
    }

    #[test]
    fn relative_dates_count_back_from_today() {
        // Today is 2026-03-08.
        assert_eq!(found("today"), ["n1"]);
        assert_eq!(found("yesterday"), ["n2"]);
        assert_eq!(found("7d"), ["n1", "n2"]);
        assert_eq!(found("2w"), ["n1", "n2", "n3", "n4"]);
        assert_eq!(found("1m"), ["n1", "n2", "n3", "n4"]);
        assert_eq!(found("1y"), ["n1", "n2", "n3", "n4", "n5"]);
        assert_eq!(found("2y climat"), ["n3", "n5"]);
        assert_eq!(found("since:2026-03-07"), ["n1", "n2"]);
        assert_eq!(found("until:2025"), ["n5", "n6"]);
        assert_eq!(found("since:2025 until:2025-12"), ["n5"]);
        assert_eq!(found("since:yesterday"), ["n1", "n2"]);
        // Relative dates are words when they are not alone: `7days` is text.
        assert_eq!(found("7days"), Vec::<String>::new());
    }

    #[test]
    fn read_state_is_a_clause_like_any_other() {
        let c = news();
        let mut marks = Marks::default();
        let fp = |i: usize| c.corpus.articles[i].fingerprint.unwrap();
        let _ = marks.set_read(fp(0), true);
        let _ = marks.set_read(fp(2), true);
        let _ = marks.set_starred(fp(2), true);
        assert_eq!(found_with("is:read", &marks), ["n1", "n3"]);
        assert_eq!(found_with("is:unread accord", &marks), ["n2", "n4", "n7"]);
        assert_eq!(found_with("is:starred", &marks), ["n3"]);
        assert_eq!(found_with("-is:starred is:read", &marks), ["n1"]);
        assert_eq!(found_with("is:starred OR retraites", &marks), ["n3", "n4"]);
        assert!(parse("is:read").unwrap().uses_state());
        assert!(!parse("accord").unwrap().uses_state());
    }

    #[test]
    fn malformed_queries_say_what_is_wrong() {
        let err = |q: &str| parse(q).unwrap_err().to_string();
        assert_eq!(
            err("otan \"accord conclu"),
            "the quote in \"accord conclu is never closed: add \" at its end"
        );
        assert_eq!(
            err("title:"),
            "“title:” needs something after it, as in title:otan"
        );
        assert_eq!(
            err("-title: otan"),
            "“title:” needs something after it, as in title:otan"
        );
        assert_eq!(err("2026-13.."), "there is no month 13 in “2026-13”");
        assert_eq!(
            err("since:"),
            "“since:” needs a date after it, as in since:2026-01"
        );
        assert_eq!(
            err("until:2026-1"),
            "unfinished date “2026-1”: write YYYY, YYYY-MM or YYYY-MM-DD"
        );
        assert_eq!(
            err("is:new"),
            "unknown state “new”: write is:unread, is:read or is:starred"
        );
        for lone in ["OR otan", "otan OR", "a OR OR b", "a OR —"] {
            assert_eq!(
                err(lone),
                "OR needs a word or phrase on each side, as in otan OR onu",
                "{lone}"
            );
        }
        assert!(matches!(parse("-2026"), Err(QueryError::DateInClause(_))));
        assert!(matches!(
            parse("a OR 2026"),
            Err(QueryError::DateInClause(_))
        ));
        assert_eq!(err("0d"), "“0d” covers no day: count from 1, as in 1d");
        assert!(matches!(parse("99999999y"), Err(QueryError::TooFar(_))));
        assert!(matches!(parse("title:—"), Err(QueryError::NoWord(_))));
        assert!(matches!(parse("\"«»\""), Err(QueryError::NoWord(_))));
    }

    #[test]
    fn constructs_combine() {
        assert_eq!(
            found("accord OR climat -conclu since:2025"),
            ["n3", "n4", "n5"]
        );
        assert_eq!(
            found("title:\"l'armee\" OR \"accords de paris\" 7d"),
            ["n1", "n2"]
        );
        assert_eq!(found("\"accord\" -title:accord 2026-03"), ["n2"]);
    }

    #[test]
    fn dates_can_be_taken_out_of_a_query() {
        let out = |q: &str| Query::without_dates(q, today());
        assert_eq!(
            out("otan 2026 \"accord conclu\" since:2025 -onu 7d").as_deref(),
            Some("otan \"accord conclu\" -onu")
        );
        assert_eq!(out("a OR b 2026-01..").as_deref(), Some("a OR b"));
        assert_eq!(out("2026").as_deref(), Some(""));
        assert_eq!(out("\"unclosed"), None);
    }

    #[test]
    fn other_colons_stay_words() {
        let q = parse("12:30 http://exemple.fr").unwrap();
        assert!(q.has_words() && q.range().is_none());
    }

    #[test]
    fn highlights_show_the_original_letters() {
        let q = parse("securite \"accord conclu\" -armee 2026").unwrap();
        let text = "La SÉCURITÉ, l’armée et l’accord   conclu. Sécurités, sécuritaire.";
        let shown: Vec<&str> = q
            .highlighter()
            .find(text)
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(shown, ["SÉCURITÉ", "accord   conclu", "Sécurités"]);
        assert!(parse("2026 -otan").unwrap().highlighter().is_empty());
    }

    #[test]
    fn relevance_puts_the_strongest_match_first() {
        let c = news();
        let q = parse("accord").unwrap();
        let mut results = q.filter(&c, &Marks::default());
        q.rank(&c, &mut results);
        // n1 says it in its title and twice more; the others once.
        assert_eq!(results[0], 0);
        assert_eq!(results.len(), 5);
        let mut sorted = results.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, q.filter(&c, &Marks::default()));
    }
}
