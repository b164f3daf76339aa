//! `kiosque list`: the sorted, filtered list as text rows or JSON lines, for scripts.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use serde::Serialize;

use crate::cmd::{Context, Failure, finish_output, open_marks, report_warnings};
use crate::corpus::Article;
use crate::search::catalog::{self, Catalog};
use crate::search::query::Query;
use crate::search::trusted;
use crate::store::marks::Marks;
use crate::store::sample;
use crate::text::sanitize::is_unsafe;

pub fn run(
    context: &Context,
    paths: &[PathBuf],
    query: Option<&str>,
    json: bool,
) -> Result<ExitCode, Failure> {
    let today = chrono::Local::now().date_naive();
    let query = Query::parse(query.unwrap_or(""), today)
        .map_err(|err| Failure::Usage(format!("invalid query: {err}")))?;
    let paths = context.paths_or_configured(paths);
    let options = context.load_options(&paths);
    // Words are answered from the caches when no file or folder changed since they were
    // written; else every file is read again first, and the index brought up to date.
    let mut catalog = if paths.is_empty() {
        Catalog::indexed(sample::corpus())
    } else if query.has_words() {
        trusted::load(&options).unwrap_or_else(|| catalog::load_indexed(&paths, &options))
    } else {
        catalog::load_list(&paths, &options)
    };
    let mut sources = crate::cmd::sources(&paths);
    if let Some(note) = sources.note.take().filter(|_| query.uses_tags()) {
        eprintln!("kiosque: {note}");
    }
    // Only `tag:` and `folder:` ask for the sources here; the list's source column, which
    // `set_sources` measures every article for, is the reader's.
    catalog.sources = sources;
    let corpus = &catalog.corpus;
    report_warnings(&corpus.warnings);
    if let Some(hint) = crate::feeds::places::nothing_fetched(&paths, "run `kiosque fetch`")
        .filter(|_| corpus.articles.is_empty())
    {
        eprintln!("kiosque: {hint}");
    }
    let marks = if query.uses_state() {
        let (_, marks, recovery) = open_marks()?;
        if let Some(recovery) = recovery {
            eprintln!("kiosque: {recovery}");
        }
        marks
    } else {
        Marks::default()
    };
    let matching = query
        .filter(&catalog, &marks)
        .into_iter()
        .map(|i| &corpus.articles[i]);
    let mut out = io::BufWriter::new(io::stdout().lock());
    let written = finish_output(write(&mut out, matching, json))?;
    // Nothing could be read at all: a script should not mistake that for an empty folder.
    let failed = corpus.articles.is_empty() && corpus.skipped() > 0;
    // The process ends with this command: freeing every article one by one would only
    // delay the exit (a twentieth of `kiosque list -q` at 100,000 articles).
    std::mem::forget(catalog);
    if failed {
        return Ok(ExitCode::FAILURE);
    }
    Ok(written)
}

#[derive(Serialize)]
struct Row<'a> {
    path: std::borrow::Cow<'a, str>,
    date: Option<String>,
    title: &'a str,
    words: usize,
    /// For an article saved from a feed: the subscription's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    feed: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    link: Option<&'a str>,
    /// RFC 3339, when the feed gave it.
    #[serde(skip_serializing_if = "Option::is_none")]
    published: Option<String>,
}

/// Writes one row per article: `DATE  TITLE  PATH`, or one JSON object per line.
pub fn write<'a>(
    out: &mut impl Write,
    articles: impl IntoIterator<Item = &'a Article>,
    json: bool,
) -> io::Result<()> {
    for article in articles {
        let date = article.date.map(|d| d.iso());
        if json {
            let row = Row {
                path: article.path.to_string_lossy(),
                date,
                title: &article.title,
                words: article.words,
                feed: article.origin.as_ref().map(|o| o.feed.as_str()),
                link: article.origin.as_ref().and_then(|o| o.link.as_deref()),
                published: article
                    .origin
                    .as_ref()
                    .and_then(|o| o.published)
                    .map(|p| p.to_rfc3339()),
            };
            let json = serde_json::to_string(&row).map_err(io::Error::other)?;
            writeln!(out, "{}", escape_unsafe(&json))?;
        } else {
            let date = date.as_deref().unwrap_or("—");
            writeln!(
                out,
                "{date:<10}  {}  {}",
                article.title,
                article.shown_path()
            )?;
        }
    }
    out.flush()
}

/// JSON with every character that could act on a terminal (C1 controls, bidi overrides,
/// invisible format characters) written as a `\uXXXX` escape: the same string for a JSON
/// reader, and nothing a terminal would interpret when the output is simply printed.
/// serde_json already escapes the C0 controls.
fn escape_unsafe(json: &str) -> std::borrow::Cow<'_, str> {
    if !json.chars().any(is_unsafe) {
        return json.into();
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if is_unsafe(c) {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    out.into()
}

#[cfg(test)]
mod tests {
    use super::{escape_unsafe, write};
    use crate::search::catalog::Catalog;
    use std::path::PathBuf;

    #[test]
    fn json_rows_of_feed_articles_say_their_feed_link_and_time() {
        let saved = "date 2026-03-06\nkiosque-article 1\ntitle: Municipales : ce qui change\nlink: https://www.lemonde.fr/a.html\nfeed: Le Monde\nfeed-key: https://www.lemonde.fr/rss/une.xml\nid: a-1\npublished: 2026-03-06T14:05:00+01:00\nkiosque-article end\nLe texte du jour.\n";
        let plain = "date 2026-03-05 Un fichier ordinaire.";
        let catalog = Catalog::from_memory([
            (PathBuf::from("feed.txt"), saved.as_bytes()),
            (PathBuf::from("plain.txt"), plain.as_bytes()),
        ]);
        let mut out = Vec::new();
        write(&mut out, &catalog.corpus.articles, true).unwrap();
        let rows: Vec<serde_json::Value> = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(
            rows[0],
            serde_json::json!({
                "path": "feed.txt", "date": "2026-03-06", "title": "Municipales : ce qui change",
                "words": 4, "feed": "Le Monde", "link": "https://www.lemonde.fr/a.html",
                "published": "2026-03-06T14:05:00+01:00"
            })
        );
        // A plain file keeps the fields it always had, and only those.
        assert_eq!(
            rows[1],
            serde_json::json!({
                "path": "plain.txt", "date": "2026-03-05", "title": "Un fichier ordinaire.",
                "words": 3
            })
        );
    }

    #[test]
    fn json_never_carries_terminal_controls_but_means_the_same() {
        let raw = serde_json::to_string("a\u{9b}31m\u{202e}b\u{1b}").unwrap();
        let escaped = escape_unsafe(&raw);
        assert_eq!(escaped, r#""a\u009b31m\u202eb\u001b""#);
        let back: String = serde_json::from_str(&escaped).unwrap();
        assert_eq!(back, "a\u{9b}31m\u{202e}b\u{1b}");
    }
}
