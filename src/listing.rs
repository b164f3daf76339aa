//! `kiosque list`: the sorted, filtered list as text rows or JSON lines, for scripts.

use std::io::{self, Write};

use serde::Serialize;

use crate::article::Article;
use crate::sanitize::is_unsafe;

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
    use super::escape_unsafe;

    #[test]
    fn json_never_carries_terminal_controls_but_means_the_same() {
        let raw = serde_json::to_string("a\u{9b}31m\u{202e}b\u{1b}").unwrap();
        let escaped = escape_unsafe(&raw);
        assert_eq!(escaped, r#""a\u009b31m\u202eb\u001b""#);
        let back: String = serde_json::from_str(&escaped).unwrap();
        assert_eq!(back, "a\u{9b}31m\u{202e}b\u{1b}");
    }
}
