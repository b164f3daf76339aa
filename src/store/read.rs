//! Reads one article file: its bytes, decoded and parsed, for the list or for the reader.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::corpus::{Article, Body, Corpus, Enclosure, Origin, Warning};
use crate::store::decode::{DecodeError, Decoded, decode, decode_owned};
use crate::store::header::{Meta, identity_fingerprint};
use crate::store::load::LoadOptions;
use crate::store::parse::{head, parse};
use crate::text::display::{human_size, shown};
use crate::text::links::safe;
use crate::text::sanitize::{Place, sanitize};

/// Where an article with a feed header comes from, each part made safe to show.
fn origin(meta: &Meta) -> Option<Box<Origin>> {
    let safe = |text: &str| sanitize(text, Place::Title);
    Some(Box::new(Origin {
        feed: safe(meta.feed.as_deref()?),
        link: meta.link.as_deref().map(safe),
        author: meta.author.as_deref().map(safe),
        published: meta.published,
        feed_key: meta.feed_key.clone(),
    }))
}

/// The item's page and attached files of a feed header, as the reader offers them: only
/// addresses kiosque may open, each type made safe to show.
fn attached(meta: Option<&Meta>) -> (Option<String>, Vec<Enclosure>) {
    let Some(meta) = meta else {
        return (None, Vec::new());
    };
    let link = meta.link.clone().filter(|l| safe(l));
    let enclosures = meta
        .enclosures
        .iter()
        .filter(|e| safe(&e.url))
        .map(|e| Enclosure {
            url: e.url.clone(),
            mime: e.mime.as_deref().map(|m| sanitize(m, Place::Title)),
            length: e.length,
        })
        .collect();
    (link, enclosures)
}

/// The text of a file of kiosque's own (the config), or `None` when there is none.
pub fn text_file(path: &Path) -> std::io::Result<Option<String>> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(err),
    }
}

/// Builds a corpus from files already in memory (the embedded sample, tests): every file
/// kept in memory, so its words can be indexed without touching the disk.
pub fn from_memory<'a>(files: impl IntoIterator<Item = (PathBuf, &'a [u8])>) -> Corpus {
    let files: Vec<_> = files.into_iter().collect();
    let results = files
        .par_iter()
        .map(|(path, bytes)| article_from_bytes(path, bytes, Some(Arc::from(*bytes))))
        .collect();
    crate::store::load::sorted(results, Vec::new())
}

pub(crate) fn skipped(path: &Path, reason: impl Into<String>) -> Warning {
    Warning {
        path: shown(path),
        reason: reason.into(),
        skipped: true,
    }
}

pub(crate) fn io_reason(err: Option<&std::io::Error>, fallback: &str) -> String {
    match err.map(std::io::Error::kind) {
        Some(std::io::ErrorKind::NotFound) => "no such file or folder".to_owned(),
        Some(std::io::ErrorKind::PermissionDenied) => "permission denied".to_owned(),
        _ => err.map_or_else(|| fallback.to_owned(), |e| e.to_string()),
    }
}

pub(crate) struct Loaded {
    pub(crate) article: Article,
    pub(crate) note: Option<Warning>,
}

pub(crate) fn read_article(path: &Path, options: &LoadOptions) -> Result<Loaded, Warning> {
    let cannot = |e: std::io::Error| skipped(path, io_reason(Some(&e), "cannot be read"));
    // Size from the open file, not the path: one path lookup per article, as a plain read.
    let mut file = std::fs::File::open(path).map_err(cannot)?;
    let size = file.metadata().map_err(cannot)?.len();
    if size > options.max_size {
        return Err(skipped(
            path,
            format!(
                "{} is over the size limit of {} (see --max-size)",
                human_size(size),
                human_size(options.max_size)
            ),
        ));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0).saturating_add(1));
    file.read_to_end(&mut bytes).map_err(cannot)?;
    article_from_decoded(path, decode_owned(bytes), None)
}

/// Reads what the list needs of one article; the body itself is not kept.
fn article_from_bytes(
    path: &Path,
    bytes: &[u8],
    keep: Option<Arc<[u8]>>,
) -> Result<Loaded, Warning> {
    article_from_decoded(path, decode(bytes), keep)
}

fn article_from_decoded(
    path: &Path,
    decoded: Result<Decoded, DecodeError>,
    keep: Option<Arc<[u8]>>,
) -> Result<Loaded, Warning> {
    let decoded = decoded.map_err(|e| skipped(path, e.to_string()))?;
    let head = head(&decoded.text).map_err(|e| skipped(path, e.to_string()))?;
    let note = head.warning.map(|reason| Warning {
        path: shown(path),
        reason,
        skipped: false,
    });
    Ok(Loaded {
        article: Article {
            path: path.to_path_buf(),
            bytes: keep,
            date: head.date,
            title: head.title,
            words: 0,
            encoding: decoded.encoding,
            word_ids: Box::default(),
            title_ids: Box::default(),
            fingerprint: None,
            origin: head.meta.as_ref().and_then(origin),
        },
        note,
    })
}

/// The decoded text of article `i`, read again from its source.
pub fn text(article: &Article) -> Result<String, String> {
    let decoded = match &article.bytes {
        Some(bytes) => decode(bytes),
        None => decode_owned(
            std::fs::read(&article.path)
                .map_err(|e| format!("it {}", io_reason(Some(&e), "cannot be read")))?,
        ),
    };
    decoded
        .map(|d| d.text)
        .map_err(|e| format!("it is now a {e}"))
}

/// The body of article `i`, for the reader: read and parsed now, so the reader shows
/// what the file holds now. A file that went away or broke gives a body that says so.
pub fn body(article: &Article) -> Body {
    let parsed = text(article).and_then(|text| {
        let fingerprint = identity_fingerprint(&text);
        parse(&text)
            .map(|parsed| (parsed, fingerprint))
            .map_err(|e| format!("it now holds {e}"))
    });
    match parsed {
        Ok((parsed, fingerprint)) => {
            let (link, enclosures) = attached(parsed.head.meta.as_ref());
            Body {
                date: parsed.head.date,
                title: parsed.head.title,
                words: parsed.words,
                blocks: parsed.blocks,
                problem: None,
                fingerprint: Some(fingerprint),
                link,
                enclosures,
            }
        }
        Err(problem) => Body {
            date: article.date,
            title: article.title.clone(),
            words: 0,
            blocks: Vec::new(),
            problem: Some(format!("This article could not be read again: {problem}.")),
            fingerprint: None,
            link: None,
            enclosures: Vec::new(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body_of(text: &str) -> (Article, Body) {
        let corpus = from_memory([(PathBuf::from("f.txt"), text.as_bytes())]);
        let article = corpus.articles[0].clone();
        let body = body(&article);
        (article, body)
    }

    #[test]
    fn a_feed_body_offers_its_page_and_files_and_nothing_unsafe() {
        let (article, body) = body_of(
            "kiosque-article 1\ntitle: T\nlink: https://x.fr/a.html\nfeed: F\n\
             feed-key: https://x.fr/rss\n\
             enclosure: https://x.fr/e.mp3 audio/mpeg\u{1b}[2J\u{9b}31m 27893760\n\
             enclosure: javascript:alert(1) text/html\n\
             enclosure: https://x.fr/e\u{202e}vil.jpg image/jpeg\n\
             enclosure: https://x.fr/i.jpg\nkiosque-article end\nCorps.\n",
        );
        assert_eq!(body.link.as_deref(), Some("https://x.fr/a.html"));
        let urls: Vec<&str> = body.enclosures.iter().map(|e| e.url.as_str()).collect();
        assert_eq!(urls, ["https://x.fr/e.mp3", "https://x.fr/i.jpg"]);
        let mime = body.enclosures[0].mime.as_deref().unwrap();
        assert!(mime.starts_with("audio/mpeg"), "{mime}");
        assert!(!mime.chars().any(is_unsafe_or_control), "{mime:?}");
        assert_eq!(body.enclosures[0].length, Some(27_893_760));
        assert_eq!(body.enclosures[1].mime, None);
        let origin = article.origin.as_deref().unwrap();
        assert_eq!(origin.feed_key.as_deref(), Some("https://x.fr/rss"));

        let (_, hostile) = body_of(
            "kiosque-article 1\nlink: javascript:alert(1)\nfeed: F\nkiosque-article end\nCorps.\n",
        );
        assert_eq!(hostile.link, None);
        let (_, plain) = body_of("date 2026-03-06 Un fichier https://x.fr/a.html.");
        assert_eq!((plain.link, plain.enclosures), (None, Vec::new()));
    }

    fn is_unsafe_or_control(c: char) -> bool {
        c.is_control() || crate::text::sanitize::is_unsafe(c)
    }
}
