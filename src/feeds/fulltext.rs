//! The full article behind a feed item that carries only a summary: its page fetched with
//! the feeds' HTTP client, its main text found by a readability algorithm (`dom_smoothie`),
//! turned into article text by the same path as feed content (`feeds::html`), and saved
//! below the summary.
//!
//! A file given its full text keeps its header, with a `fulltext:` line saying when, then
//! its summary, an empty line, a `⁂` line, and the full text:
//!
//! ```text
//! date 2026-03-06
//! kiosque-article 1
//! title: Municipales : ce qui change au second tour
//! link: https://www.example.fr/politique/municipales.html
//! feed: L'Exemple
//! feed-key: https://www.example.fr/rss.xml
//! id: https://www.example.fr/politique/municipales.html
//! published: 2026-03-06T08:15:00+01:00
//! fulltext: 2026-03-06T09:02:41+01:00
//! kiosque-article end
//! Le résumé que donne le flux.
//! https://www.example.fr/politique/municipales.html
//!
//! ⁂
//! Le premier paragraphe de l'article entier.
//! [image: La mairie]
//! ↳ La mairie de Brest, dimanche.
//! Un paragraphe qui cite une source [1].
//! • [1] https://www.example.fr/source.html
//! ```
//!
//! The article keeps its identity (its feed and item id, see `store::header::identity`), so
//! its read and starred marks stay; a later fetch of the same item keeps the full text below
//! the summary, even when it updates the summary.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use encoding_rs::{Encoding, UTF_8};
use url::Url;

use crate::feeds::http::{self, Body, Client, Conditional, Fetched, HttpError};
use crate::store::header;
use crate::text::display::shown;

/// The line between an article's summary and its full text, after an empty line. kiosque
/// never writes an empty line in a summary, so the first empty line of a body is this one.
pub const SEPARATOR: &str = "⁂";

/// Pages with more elements than this are not read: a news article needs far fewer, and a
/// hostile page would only make the extraction slow.
const MAX_ELEMENTS: usize = 200_000;

/// Pages whose elements nest deeper than this are not read: parsing takes time in the square
/// of the depth, and no article nests nearly so deep.
const MAX_DEPTH: usize = 1_000;

/// Elements whose end tag is usually left out (so they do not count in [`nesting`]), and
/// those that have none.
const UNCLOSED: &[&str] = &[
    "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody", "tfoot",
    "colgroup", "rp", "rt", "html", "head", "body", "br", "img", "meta", "link", "input", "hr",
    "wbr", "source", "area", "base", "col", "embed", "param", "track",
];

/// At most this many articles are named when a feed's full texts could not all be fetched.
const NAMED_FAILURES: usize = 3;

/// What fetching a full text did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FullText {
    /// The words of the full text now below the summary.
    pub words: usize,
    /// The page that was read, after redirects.
    pub url: String,
    /// When, as the article's header now says (`fulltext:`).
    pub fetched: DateTime<FixedOffset>,
}

/// Why an article did not get its full text; the article file is then as it was. Each
/// message is written for the user.
#[derive(Debug, thiserror::Error)]
pub enum FullTextError {
    #[error("cannot read {path}: {reason}")]
    Read { path: String, reason: String },
    #[error("this article has no link to fetch: only articles saved from a feed have one")]
    NoLink,
    #[error("the article's link is not a web address (http or https): {url}")]
    NotHttp { url: String },
    #[error("the full text is already in this article (fetched {when})")]
    AlreadyFetched { when: String },
    #[error("cannot fetch the page: {0}")]
    Network(#[from] HttpError),
    #[error("the link leads to {media_type}, not a web page")]
    NotHtml { media_type: String },
    #[error(
        "the page is too large to read (more than {MAX_ELEMENTS} elements, or nested more than \
         {MAX_DEPTH} deep)"
    )]
    TooLarge,
    #[error("nothing on the page reads as more than the summary; the article stays as it was")]
    NothingReadable,
    #[error("cannot save the full text into {path}: {reason}")]
    Write { path: String, reason: String },
}

/// Fetches the page the article file at `path` links to, finds its main text, and saves it
/// below the summary. Blocks for at most the client's timeout. Only a file saved from a
/// feed (with a `kiosque-article` header and a `link:`) can be given its full text, once;
/// on any error the file is left unchanged.
pub fn fetch_full_text(client: &Client, path: &Path) -> Result<FullText, FullTextError> {
    fetch_with(path, |url| client.get(url, &Conditional::default()))
}

/// [`fetch_full_text`], getting the page with `get` (the fetch pool counts its requests).
pub(crate) fn fetch_with(
    path: &Path,
    get: impl FnOnce(&str) -> Result<Fetched, HttpError>,
) -> Result<FullText, FullTextError> {
    let text = read(path)?;
    let meta = header::split(&text).ok_or(FullTextError::NoLink)?.meta;
    if let Some(when) = meta.fulltext {
        return Err(already(when));
    }
    let link = meta.link.ok_or(FullTextError::NoLink)?;
    let url = http::parse_url(&link).map_err(|_| FullTextError::NotHttp { url: link })?;
    let fetched = get(url.as_str())?;
    let html = page_html(&fetched)?;
    let base = Url::parse(&fetched.url).unwrap_or(url);
    let full = extract(&html, &base)?;
    let words = prose_words(&full);
    if words <= prose_words(&text[body_start(&text)..]) {
        return Err(FullTextError::NothingReadable);
    }
    let fetched_at = chrono::Local::now().fixed_offset();
    save(path, &text, fetched_at, &full)?;
    Ok(FullText {
        words,
        url: base.to_string(),
        fetched: fetched_at,
    })
}

fn already(when: DateTime<FixedOffset>) -> FullTextError {
    FullTextError::AlreadyFetched {
        when: when.format("%Y-%m-%d %H:%M").to_string(),
    }
}

fn read(path: &Path) -> Result<String, FullTextError> {
    fs::read_to_string(path).map_err(|err| FullTextError::Read {
        path: shown(path),
        reason: err.to_string(),
    })
}

fn body_start(text: &str) -> usize {
    header::split(text).map_or(0, |s| s.body_start)
}

/// Writes `full` below the summary of `text`, the file as it was read. A file that changed
/// meanwhile (a fetch updated its summary) gets the full text below its new summary.
fn save(
    path: &Path,
    text: &str,
    at: DateTime<FixedOffset>,
    full: &str,
) -> Result<(), FullTextError> {
    let now = read(path)?;
    if now != text {
        if let Some(when) = header::split(&now).and_then(|s| s.meta.fulltext) {
            return Err(already(when));
        }
    }
    let composed = compose(&now, at, full).ok_or(FullTextError::NoLink)?;
    crate::feeds::write::replace(path, composed.as_bytes()).map_err(|err| FullTextError::Write {
        path: shown(path),
        reason: err.to_string(),
    })
}

/// The article file `text` (a summary, without full text) with `full` below its summary and
/// `at` in its header; `None` when `text` has no header.
pub fn compose(text: &str, at: DateTime<FixedOffset>, full: &str) -> Option<String> {
    let split = header::split(text)?;
    let meta = header::Meta {
        fulltext: Some(at),
        ..split.meta
    };
    let summary = text[split.body_start..].trim_end();
    let full = full.trim_end();
    Some(format!(
        "{}{summary}\n\n{SEPARATOR}\n{full}\n",
        header::render(&meta)
    ))
}

/// The time and the full text saved in the article file `text`, if it has them.
pub fn saved(text: &str) -> Option<(DateTime<FixedOffset>, &str)> {
    let split = header::split(text)?;
    let at = split.meta.fulltext?;
    let body = &text[split.body_start..];
    let marker = format!("\n\n{SEPARATOR}\n");
    let start = body.find(&marker)? + marker.len();
    Some((at, &body[start..]))
}

/// `fresh`, an item's file as a fetch writes it (its summary), with the full text that
/// `old`, the file it replaces, was given: a fetch never takes a full text away.
pub fn keep(fresh: String, old: &str) -> String {
    match saved(old) {
        Some((at, full)) => compose(&fresh, at, full).unwrap_or(fresh),
        None => fresh,
    }
}

/// The HTML of a fetched page, decoded; an error for anything that is not a web page.
fn page_html(fetched: &Fetched) -> Result<String, FullTextError> {
    let Body::Full {
        bytes,
        charset,
        media_type,
    } = &fetched.body
    else {
        // Nothing was asked conditionally: a 304 is the server's error.
        return Err(FullTextError::Network(HttpError::Status {
            code: "304 Not Modified".to_owned(),
        }));
    };
    match media_type.as_deref() {
        Some("text/html" | "application/xhtml+xml") => {}
        Some(other) => {
            return Err(FullTextError::NotHtml {
                media_type: header::one_line(other),
            });
        }
        None if looks_like_html(bytes) => {}
        None => {
            return Err(FullTextError::NotHtml {
                media_type: "a file of no stated type".to_owned(),
            });
        }
    }
    Ok(decode(bytes, charset.as_deref()))
}

/// A page served without a `Content-Type`: HTML if it starts like HTML.
fn looks_like_html(bytes: &[u8]) -> bool {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    let head = String::from_utf8_lossy(&bytes[start..bytes.len().min(start + 64)]);
    let head = head.to_ascii_lowercase();
    ["<!doctype html", "<html", "<head", "<body"]
        .iter()
        .any(|tag| head.starts_with(tag))
}

/// The text of a page: a byte order mark first, then the server's charset, then a
/// `<meta charset>` near the start, then UTF-8 if it is, else a guess.
fn decode(bytes: &[u8], http_charset: Option<&str>) -> String {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        return encoding
            .decode_without_bom_handling(&bytes[bom..])
            .0
            .into_owned();
    }
    let label = |l: &str| Encoding::for_label(l.trim().trim_matches(['"', '\'']).as_bytes());
    // A page cannot declare UTF-16 in ASCII: HTML reads such a declaration as UTF-8.
    let declared = http_charset.and_then(label).or_else(|| {
        meta_charset(bytes)
            .and_then(|l| label(&l))
            .map(|e| if e.is_ascii_compatible() { e } else { UTF_8 })
    });
    if let Some(encoding) = declared.filter(|e| e.is_ascii_compatible()) {
        return encoding.decode_without_bom_handling(bytes).0.into_owned();
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return text.to_owned();
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let encoding = detector.guess(None, chardetng::Utf8Detection::Deny);
    encoding.decode_without_bom_handling(bytes).0.into_owned()
}

/// The `charset=` of a `<meta>` in the first 1024 bytes, as browsers prescan for it.
fn meta_charset(bytes: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_ascii_lowercase();
    let mut rest = head.as_str();
    while let Some(at) = rest.find("<meta") {
        rest = &rest[at + 5..];
        let tag = &rest[..rest.find('>').unwrap_or(rest.len())];
        if let Some(at) = tag.find("charset=") {
            let value = tag[at + 8..].trim_start_matches(['"', '\'', ' ']);
            let end = value
                .find(|c: char| !(c.is_ascii_alphanumeric() || "-_:.".contains(c)))
                .unwrap_or(value.len());
            if end > 0 {
                return Some(value[..end].to_owned());
            }
        }
    }
    None
}

/// The main text of a page as article text, links resolved against `base`.
pub fn extract(html: &str, base: &Url) -> Result<String, FullTextError> {
    if nesting(html) > MAX_DEPTH {
        return Err(FullTextError::TooLarge);
    }
    let config = dom_smoothie::Config {
        max_elements_to_parse: MAX_ELEMENTS,
        ..dom_smoothie::Config::default()
    };
    let mut readability = dom_smoothie::Readability::new(html, Some(base.as_str()), Some(config))
        .map_err(|_| FullTextError::NothingReadable)?;
    // A home page, a cookie wall or a list of links is not an article: the algorithm would
    // still pick its largest block.
    if !readability.is_probably_readable() {
        return Err(FullTextError::NothingReadable);
    }
    let article = readability.parse().map_err(|err| match err {
        dom_smoothie::ReadabilityError::TooManyElements(..) => FullTextError::TooLarge,
        _ => FullTextError::NothingReadable,
    })?;
    let text = crate::feeds::html::to_text(&article.content, Some(base));
    if text.trim().is_empty() {
        return Err(FullTextError::NothingReadable);
    }
    Ok(text)
}

/// How deep the elements of `html` nest, counted from its tags without parsing it: elements
/// whose end tag is usually left out do not count, nor what scripts, styles and comments
/// hold.
fn nesting(html: &str) -> usize {
    let lower = html.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let (mut depth, mut deepest, mut at) = (0usize, 0usize, 0usize);
    let skip_to = |from: usize, end: &str| {
        memchr::memmem::find(&bytes[from..], end.as_bytes()).map_or(bytes.len(), |i| from + i)
    };
    while let Some(found) = memchr::memchr(b'<', &bytes[at..]) {
        let start = at + found + 1;
        at = start;
        if bytes[start..].starts_with(b"!--") {
            at = skip_to(start, "-->");
            continue;
        }
        let closing = bytes.get(start) == Some(&b'/');
        let name_start = start + usize::from(closing);
        let name_len = bytes[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
            .count();
        if name_len == 0 || !bytes[name_start].is_ascii_alphabetic() {
            continue;
        }
        let name = &lower[name_start..name_start + name_len];
        let tag_end = skip_to(name_start, ">");
        if closing {
            if !UNCLOSED.contains(&name) {
                depth = depth.saturating_sub(1);
            }
        } else if name == "script" || name == "style" {
            at = skip_to(tag_end, &format!("</{name}"));
        } else if !(UNCLOSED.contains(&name) || bytes[..tag_end].ends_with(b"/")) {
            depth += 1;
            deepest = deepest.max(depth);
        }
    }
    deepest
}

/// The words of article text a reader reads: the list of links that ends a text and a line
/// that is only an address are not counted.
fn prose_words(text: &str) -> usize {
    let mut words = 0;
    let mut scratch = String::new();
    for line in text.lines().map(str::trim) {
        let listed_link = line
            .strip_prefix("• [")
            .and_then(|rest| rest.split_once("] "))
            .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        let bare_link = !line.contains(' ') && line.contains("://");
        if !(listed_link || bare_link) {
            crate::text::fold::for_each_word(line, &mut scratch, |_| words += 1);
        }
    }
    words
}

/// Fetches the full text of each article file of `paths` (a feed's new articles) through
/// `get`. Returns how many got it, and a note naming those that did not and why; each of
/// those keeps its summary.
pub fn fill(
    paths: &[PathBuf],
    get: impl Fn(&str) -> Result<Fetched, HttpError>,
) -> (usize, Option<String>) {
    let mut added = 0;
    let mut failed = Vec::new();
    for path in paths {
        match fetch_with(path, &get) {
            Ok(_) => added += 1,
            Err(err) => failed.push(format!("“{}”: {err}", title(path))),
        }
    }
    if failed.is_empty() {
        return (added, None);
    }
    let count = failed.len();
    let mut note = format!(
        "no full text for {count} of {} new article{}: ",
        paths.len(),
        if paths.len() == 1 { "" } else { "s" }
    );
    note.push_str(&failed[..count.min(NAMED_FAILURES)].join("; "));
    if count > NAMED_FAILURES {
        note.push_str(&format!("; and {} more", count - NAMED_FAILURES));
    }
    (added, Some(note))
}

/// The title an article file's header gives, else its file name.
fn title(path: &Path) -> String {
    fs::read_to_string(path)
        .ok()
        .and_then(|text| header::split(&text)?.meta.title)
        .unwrap_or_else(|| {
            let name = path.file_name().unwrap_or_default();
            shown(Path::new(name))
        })
}

#[cfg(test)]
#[path = "fulltext_tests.rs"]
mod tests;
