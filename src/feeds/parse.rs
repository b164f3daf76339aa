//! Reads the bytes of a feed (RSS 0.9x, RSS 1.0, RSS 2.0, Atom, JSON Feed) into a
//! [`FeedDoc`] with feed-rs, after repairing what real feeds break: the encoding, junk
//! before the XML, bare `&` and HTML entities. Also finds feeds announced by a web page.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};
use feed_rs::model::{Entry, Feed, FeedType, Text};
use url::Url;

use super::item::{Enclosure, FeedDoc, Item};
use super::repair;
use super::{contacts, dialect, html, structure};
use crate::store::header::one_line;
use crate::store::parse::{TITLE_MAX_CHARS, cut, first_sentence};

/// Why bytes are not a feed.
#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    #[error("no feed in it (neither RSS, Atom nor JSON Feed): {0}")]
    NotAFeed(String),
    #[error("the feed address {0:?} is not a URL")]
    BadUrl(String),
}

/// Titles longer than this are cut: a title is a line, not a document.
const TITLE_MAX: usize = 1000;

/// Offsets of the dates read, by the instant they name: feed-rs keeps dates in UTC, and a
/// header keeps the time zone the feed gave.
type Offsets = Arc<Mutex<HashMap<i64, FixedOffset>>>;

/// Parses a feed. `http_charset` is the charset of the HTTP `Content-Type`, `base_url` the
/// address the feed was fetched from (relative links resolve against it), and `now` the
/// date given to items that have none.
pub fn parse_feed(
    bytes: &[u8],
    http_charset: Option<&str>,
    base_url: &str,
    now: DateTime<FixedOffset>,
) -> Result<FeedDoc, FeedError> {
    let base = Url::parse(base_url).map_err(|_| FeedError::BadUrl(base_url.to_owned()))?;
    let mut repairs = Vec::new();
    let text = repair::decode(bytes, http_charset, &mut repairs);
    let text = repair::xml(&text, &mut repairs);
    let text = dialect::normalize(text);
    let text = contacts::separate(text);
    let offsets = Offsets::default();
    let read = |xml: &str| parse_xml_or_json(xml, &base, &offsets);
    let feed = match read(&text) {
        Ok(feed) => feed,
        Err(error) => {
            let balanced =
                structure::balance(&text).and_then(|(xml, fixes)| Some((read(&xml).ok()?, fixes)));
            if let Some((feed, fixes)) = balanced {
                repairs.push(format!(
                    "{fixes} unmatched tag(s) were closed, dropped or read as text ({error})"
                ));
                feed
            } else {
                // Broken further down: keep the longest run of whole items that reads.
                let (feed, items) = structure::longest_readable(&text, |p| read(p).ok())
                    .ok_or_else(|| FeedError::NotAFeed(error.clone()))?;
                repairs.push(format!(
                    "the feed breaks after its item {items} ({error}); the items before were read"
                ));
                feed
            }
        }
    };
    let offsets = offsets
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    Ok(document(feed, &base, now, &offsets, repairs))
}

thread_local! {
    /// This thread is inside the feed parser, where a panic is caught and becomes an error.
    static PARSING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Keeps a panic caught in the feed parser quiet: the hook in place (the reader's restores
/// the terminal, the default prints to stderr) would leave the reader's screen or a
/// `kiosque fetch` line in pieces for an error kiosque handles. Every other panic goes to
/// that hook as before.
fn quiet_panics_while_parsing() {
    static QUIET: std::sync::Once = std::sync::Once::new();
    QUIET.call_once(|| {
        let hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !PARSING.get() {
                hook(info);
            }
        }));
    });
}

/// Parses a feed with a parser of its own: a feed-rs parser keeps state from a failed
/// parse and must not be used again. A panic inside the parser is an error, not a crash:
/// the input is hostile by nature.
fn parse_xml_or_json(text: &str, base: &Url, offsets: &Offsets) -> Result<Feed, String> {
    let recorded = Arc::clone(offsets);
    let parser = feed_rs::parser::Builder::new()
        .base_uri(Some(base.as_str()))
        .sanitize_content(false)
        // An empty id is "none": kiosque makes its own, stable across fetches (feed-rs would
        // make a random one for an item with neither link nor title).
        .id_generator(|_, _, _| String::new())
        .timestamp_parser(move |s| {
            let date = parse_date(s)?;
            recorded
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .insert(date.timestamp(), *date.offset());
            Some(date.with_timezone(&Utc))
        })
        .build();
    quiet_panics_while_parsing();
    PARSING.set(true);
    let parsed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        parser.parse(text.as_bytes())
    }));
    PARSING.set(false);
    match parsed {
        Ok(result) => result.map_err(|e| e.to_string()),
        Err(_) => Err("the feed parser failed on it".to_owned()),
    }
}

fn document(
    feed: Feed,
    base: &Url,
    now: DateTime<FixedOffset>,
    offsets: &HashMap<i64, FixedOffset>,
    mut repairs: Vec<String>,
) -> FeedDoc {
    let site = feed
        .links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .and_then(|l| absolute(&l.href, base));
    // JSON Feed says plainly which text is HTML; XML feeds are sniffed (see `is_plain`).
    let sniff = feed.feed_type != FeedType::JSON;
    let mut undated = 0;
    let items = feed
        .entries
        .into_iter()
        .map(|entry| {
            let item = item(entry, base, now, offsets, sniff);
            undated += usize::from(item.published_guessed);
            item
        })
        .collect();
    if undated > 0 {
        repairs.push(format!(
            "{undated} item(s) had no date that could be read; dated {} instead",
            now.format("%Y-%m-%d %H:%M")
        ));
    }
    FeedDoc {
        title: feed
            .title
            .map(|t| text_line(&t, sniff))
            .filter(|t| !t.is_empty()),
        site,
        ttl_minutes: feed.ttl,
        items,
        repairs,
    }
}

fn item(
    entry: Entry,
    base: &Url,
    now: DateTime<FixedOffset>,
    offsets: &HashMap<i64, FixedOffset>,
    sniff: bool,
) -> Item {
    let link = entry
        .links
        .iter()
        .find(|l| {
            l.rel.as_deref().is_none_or(|r| r == "alternate")
                && l.media_type
                    .as_deref()
                    .is_none_or(|m| m.starts_with("text/html"))
        })
        .and_then(|l| absolute(&l.href, base));
    // Relative links in the content resolve against the item's own base, else its page.
    let content_base = entry
        .base
        .as_deref()
        .and_then(|b| base.join(b).ok())
        .or_else(|| link.as_deref().and_then(|l| Url::parse(l).ok()))
        .unwrap_or_else(|| base.clone());
    let body = body(&entry, &content_base, sniff);
    let title = entry
        .title
        .as_ref()
        .map(|t| text_line(t, sniff))
        .filter(|t| !t.is_empty())
        .map(|t| cut(&t, TITLE_MAX))
        .unwrap_or_else(|| title_from_body(&body));
    let published = entry.published.or(entry.updated).map(|utc| {
        let offset = offsets
            .get(&utc.timestamp())
            .copied()
            .unwrap_or_else(|| FixedOffset::east_opt(0).unwrap_or(*now.offset()));
        utc.with_timezone(&offset)
    });
    let id = Some(entry.id.trim())
        .filter(|id| !id.is_empty())
        .map(str::to_owned)
        .or_else(|| link.clone())
        .unwrap_or_else(|| {
            let hash = xxhash_rust::xxh3::xxh3_128(format!("{title}\0{body}").as_bytes());
            format!("kiosque:{hash:032x}")
        });
    // Nothing to make a title of: the item's address says what it is.
    let title = if title.is_empty() {
        cut(&one_line(link.as_deref().unwrap_or(&id)), TITLE_MAX)
    } else {
        title
    };
    Item {
        id: one_line(&id),
        title,
        link,
        author: entry
            .authors
            .iter()
            // RSS writes `mail@example.com (Name)`, which gives a name in parentheses.
            .filter_map(|p| {
                p.name
                    .as_deref()
                    .map(|n| one_line(n.trim_matches(['(', ')'])))
            })
            .find(|n| !n.is_empty()),
        published_guessed: published.is_none(),
        published: Some(published.unwrap_or(now)),
        body,
        enclosures: enclosures(&entry, base),
    }
}

/// The body: the content, else the summary, else a media description (YouTube).
fn body(entry: &Entry, base: &Url, sniff: bool) -> String {
    if let Some(content) = &entry.content {
        if let Some(text) = content.body.as_deref().filter(|b| !b.trim().is_empty()) {
            let kind = content.content_type.to_string();
            let text = if is_plain(&kind, text, sniff) {
                html::plain_to_text(text)
            } else {
                html::to_text(text, Some(base))
            };
            if !text.is_empty() {
                return text;
            }
        }
    }
    let descriptions = entry.media.iter().filter_map(|m| m.description.as_ref());
    for text in entry.summary.iter().chain(descriptions) {
        let text = text_body(text, base, sniff);
        if !text.is_empty() {
            return text;
        }
    }
    String::new()
}

/// A text construct as article text: HTML converted, plain text kept.
fn text_body(text: &Text, base: &Url, sniff: bool) -> String {
    if is_plain(text.content_type.as_ref(), &text.content, sniff) {
        html::plain_to_text(&text.content)
    } else {
        html::to_text(&text.content, Some(base))
    }
}

/// True when text said to be of type `kind` is to be read as plain text. RSS 1.0 and
/// RSS 0.9x descriptions and RSS titles are "plain" to feed-rs but hold HTML in the wild:
/// text with a tag or an escaped entity (`&amp;eacute;` in the XML) in it is read as HTML
/// when `sniff` (not for JSON Feed, whose `content_text` is plain text by definition).
fn is_plain(kind: &str, text: &str, sniff: bool) -> bool {
    let after = |i: usize| text[i + 1..].chars().next();
    let tagged = text
        .match_indices('<')
        .any(|(i, _)| after(i).is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!'));
    let escaped = text.match_indices('&').any(|(i, _)| {
        let name = text[i + 1..].split(';').next().unwrap_or_default();
        text[i + 1..].contains(';')
            && (1..=10).contains(&name.len())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '#')
    });
    kind.starts_with("text/plain") && !(sniff && (tagged || escaped))
}

/// A text construct (a title) as one line of plain text.
fn text_line(text: &Text, sniff: bool) -> String {
    let shown = if is_plain(text.content_type.as_ref(), &text.content, sniff) {
        text.content.clone()
    } else {
        html::to_text(&text.content, None)
    };
    one_line(&shown)
}

/// The title of an item that has none: the first sentence of its first paragraph, as a
/// plain article's title is made.
fn title_from_body(body: &str) -> String {
    let line = body
        .lines()
        .find(|l| !l.starts_with(crate::store::header::CAPTION) && !l.starts_with("[image"))
        .unwrap_or_default();
    let line = line.strip_prefix("• ").unwrap_or(line);
    cut(first_sentence(line), TITLE_MAX_CHARS)
}

fn enclosures(entry: &Entry, base: &Url) -> Vec<Enclosure> {
    let mut found: Vec<Enclosure> = Vec::new();
    let links = entry.links.iter().filter(|l| {
        l.rel.as_deref() == Some("enclosure")
            || (l.rel.is_none()
                && l.media_type
                    .as_deref()
                    .is_some_and(|m| !m.starts_with("text/")))
    });
    for l in links {
        if let Some(url) = absolute(&l.href, base) {
            found.push(Enclosure {
                url,
                mime: l.media_type.clone(),
                length: l.length.filter(|&n| n > 0),
            });
        }
    }
    for content in entry.media.iter().flat_map(|m| &m.content) {
        let Some(url) = content
            .url
            .as_ref()
            .and_then(|u| absolute(u.as_str(), base))
        else {
            continue;
        };
        if found.iter().any(|e| e.url == url) {
            continue;
        }
        found.push(Enclosure {
            url,
            mime: content.content_type.as_ref().map(ToString::to_string),
            length: content.size.filter(|&n| n > 0),
        });
    }
    found
}

/// `href` made absolute against `base`, if it is a web address.
fn absolute(href: &str, base: &Url) -> Option<String> {
    let url = base.join(href.trim()).ok()?;
    matches!(url.scheme(), "http" | "https").then(|| url.to_string())
}

/// A date as feeds write them: RFC 2822 (RSS), RFC 3339 (Atom, JSON Feed), and the usual
/// mistakes: a wrong weekday, a zone name, no zone (taken as UTC), a day alone.
pub fn parse_date(s: &str) -> Option<DateTime<FixedOffset>> {
    let s = s.trim();
    if let Ok(d) = DateTime::parse_from_rfc2822(s) {
        return Some(d);
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d);
    }
    // A weekday that does not match the date, or is not English: drop it.
    let no_weekday = s.split_once(',').map_or(s, |(_, rest)| rest.trim());
    let zoned = [
        (" UTC", " +0000"),
        (" CEST", " +0200"),
        (" CET", " +0100"),
        (" BST", " +0100"),
    ]
    .iter()
    .find_map(|(name, offset)| {
        no_weekday
            .strip_suffix(name)
            .map(|d| format!("{d}{offset}"))
    })
    .unwrap_or_else(|| no_weekday.to_owned());
    if let Ok(d) = DateTime::parse_from_rfc2822(&zoned) {
        return Some(d);
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%.f%z",
        "%d %b %Y %H:%M:%S %z",
    ] {
        if let Ok(d) = DateTime::parse_from_str(&zoned, format) {
            return Some(d);
        }
    }
    let utc = FixedOffset::east_opt(0)?;
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(d) = NaiveDateTime::parse_from_str(s, format) {
            return utc.from_local_datetime(&d).single();
        }
    }
    let day = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    utc.from_local_datetime(&day.and_hms_opt(0, 0, 0)?).single()
}

/// The feeds a web page announces in its `<link rel="alternate" type="…">` tags, absolute,
/// in page order, each once.
pub fn discover(html: &[u8], base_url: &str) -> Vec<String> {
    let text = String::from_utf8_lossy(html);
    let doc = scraper::Html::parse_document(&text);
    let Ok(selector) = scraper::Selector::parse("link[href]") else {
        return Vec::new();
    };
    let base = Url::parse(base_url).ok();
    let mut found: Vec<String> = Vec::new();
    for link in doc.select(&selector) {
        let e = link.value();
        let alternate = e.attr("rel").is_some_and(|r| {
            r.split_ascii_whitespace()
                .any(|w| w.eq_ignore_ascii_case("alternate"))
        });
        let kind = e
            .attr("type")
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        let is_feed = matches!(
            kind.split(';').next().unwrap_or_default().trim(),
            "application/rss+xml"
                | "application/atom+xml"
                | "application/feed+json"
                | "application/json"
                | "application/rdf+xml"
        );
        let Some(href) = e.attr("href").map(str::trim) else {
            continue;
        };
        if !alternate || !is_feed {
            continue;
        }
        let url = match &base {
            Some(base) => base.join(href).ok(),
            None => Url::parse(href).ok(),
        };
        let Some(url) = url.filter(|u| matches!(u.scheme(), "http" | "https")) else {
            continue;
        };
        let url = url.to_string();
        if !found.contains(&url) {
            found.push(url);
        }
    }
    found
}

#[cfg(test)]
#[path = "parse_broken_tests.rs"]
mod broken_tests;
#[cfg(test)]
#[path = "parse_tests.rs"]
mod tests;
