//! Reads one article file: its bytes, decoded and parsed, for the list or for the reader.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::corpus::{Article, Body, Corpus, Origin, Warning};
use crate::store::decode::{DecodeError, Decoded, decode, decode_owned};
use crate::store::header::identity_fingerprint;
use crate::store::load::LoadOptions;
use crate::store::parse::{head, parse};
use crate::text::display::{human_size, shown};
use crate::text::sanitize::{Place, sanitize};

/// Where an article with a feed header comes from, each part made safe to show.
fn origin(meta: &crate::store::header::Meta) -> Option<Box<Origin>> {
    let safe = |text: &str| sanitize(text, Place::Title);
    Some(Box::new(Origin {
        feed: safe(meta.feed.as_deref()?),
        link: meta.link.as_deref().map(safe),
        author: meta.author.as_deref().map(safe),
        published: meta.published,
    }))
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
        Ok((parsed, fingerprint)) => Body {
            date: parsed.head.date,
            title: parsed.head.title,
            words: parsed.words,
            blocks: parsed.blocks,
            problem: None,
            fingerprint: Some(fingerprint),
        },
        Err(problem) => Body {
            date: article.date,
            title: article.title.clone(),
            words: 0,
            blocks: Vec::new(),
            problem: Some(format!("This article could not be read again: {problem}.")),
            fingerprint: None,
        },
    }
}
