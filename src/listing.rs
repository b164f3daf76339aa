//! `kiosque list`: the sorted, filtered list as text rows or JSON lines, for scripts.

use std::io::{self, Write};

use serde::Serialize;

use crate::article::Article;

#[derive(Serialize)]
struct Row<'a> {
    path: std::borrow::Cow<'a, str>,
    date: Option<String>,
    title: &'a str,
    words: usize,
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
            };
            serde_json::to_writer(&mut *out, &row)?;
            writeln!(out)?;
        } else {
            let date = date.as_deref().unwrap_or("—");
            writeln!(out, "{date:<10}  {}  {}", article.title, article.shown_path)?;
        }
    }
    out.flush()
}
