//! Reading a query: its text cut into clauses, each understood as words, a read state or
//! dates, with a message for whatever cannot be understood.

use chrono::{Days, Months, NaiveDate};

use super::{Atom, Literal, Origin, Query, State, Term};
use crate::corpus::{DateRange, Missing, Written};
use crate::text::fold::words;

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
        let field = [
            "title:", "is:", "since:", "until:", "feed:", "author:", "tag:", "folder:",
        ]
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
        ("feed:" | "author:" | "tag:" | "folder:", body) => {
            let origin = match field.as_str() {
                "feed:" => Origin::Feed,
                "author:" => Origin::Author,
                "folder:" => Origin::Folder,
                _ => Origin::Tag,
            };
            match text_literal(*negated, false, body, text)? {
                Understood::Literal(Literal {
                    negated,
                    atom: Atom::Text(term),
                }) => Ok(Understood::Literal(Literal {
                    negated,
                    atom: Atom::Origin(origin, term),
                })),
                // Punctuation alone after `feed:` asks for nothing that can be found.
                _ => Err(QueryError::NoWord((*text).to_owned())),
            }
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
}

/// A term is a date when it starts with four digits and holds only digits and `-`, or when
/// it contains `..`.
pub(super) fn looks_like_date(term: &str) -> bool {
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
    let written = Written::parse(text).ok_or_else(|| QueryError::Unfinished(text.to_owned()))?;
    written.period().map_err(|missing| match missing {
        Missing::Month(month) => QueryError::NoMonth {
            term: text.to_owned(),
            month,
        },
        Missing::Day => QueryError::NoDay(text.to_owned()),
    })
}
