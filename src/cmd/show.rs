//! `kiosque show`: one article laid out as the reader shows it, for pipes and pagers.

use std::fmt::Write as _;
use std::io::{self, IsTerminal, Write as _};
use std::path::Path;
use std::process::ExitCode;

use ratatui::style::Modifier;
use ratatui::text::Line;

use crate::cmd::{Context, Failure, finish_output, report_warnings};
use crate::corpus::{Article, Body};
use crate::store::load::{self, LoadOptions};
use crate::store::read;
use crate::text::display::shown;
use crate::tui::ui::typeset::{Typeset, Typesetting};

pub fn run(context: &Context, path: &Path, width: Option<u16>) -> Result<ExitCode, Failure> {
    if path.is_dir() {
        return Err(Failure::Usage(format!(
            "{} is a folder: show takes one article file",
            shown(path)
        )));
    }
    let options = LoadOptions {
        cache: None,
        ..context.load_options(&[])
    };
    let found = crate::store::walk::Found {
        files: vec![path.to_path_buf()],
        ..Default::default()
    };
    let (corpus, _) = load::load(found, &options, &|_, _| {});
    let Some(article) = corpus.articles.first() else {
        report_warnings(&corpus.warnings);
        return Ok(ExitCode::FAILURE);
    };
    let body = read::body(article);
    if let Some(problem) = &body.problem {
        return Err(Failure::Failed(problem.clone()));
    }
    let stdout = io::stdout();
    let terminal = stdout.is_terminal();
    let widest = context.config.width;
    let width = match width {
        Some(width) => usize::from(width),
        None if terminal => {
            ratatui::crossterm::terminal::size().map_or(80, |(w, _)| usize::from(w).min(widest))
        }
        None => widest.min(80),
    };
    let text = render(article, &body, width, context.typesetting(), terminal);
    let mut out = stdout.lock();
    finish_output(out.write_all(text.as_bytes()).and_then(|()| out.flush()))
}

/// The article as text at `width` columns, one line per reader line. With `styled`, bold,
/// dim, italic and underline are kept as SGR escape sequences (for a terminal); without,
/// the text is plain. Article text never brings its own escape sequences: it was made safe
/// when parsed.
pub fn render(
    article: &Article,
    body: &Body,
    width: usize,
    set: Typesetting,
    styled: bool,
) -> String {
    let mut layout = Typeset::new(article, body, width, Vec::new(), set);
    layout.complete(body);
    let mut out = String::new();
    for line in layout.lines() {
        write_line(&mut out, line, styled);
        out.push('\n');
    }
    out
}

fn write_line(out: &mut String, line: &Line<'_>, styled: bool) {
    let mut text = String::new();
    for span in &line.spans {
        let style = line.style.patch(span.style);
        let sgr = sgr(style.add_modifier);
        if styled && !sgr.is_empty() {
            let _ = write!(text, "\x1b[{sgr}m{}\x1b[0m", span.content);
        } else {
            text.push_str(&span.content);
        }
    }
    // Lines end where their text does: no padding for a pager to show.
    out.push_str(text.trim_end_matches(' '));
}

/// The SGR parameters for the modifiers kiosque uses: `1;3` for bold italic.
fn sgr(modifiers: Modifier) -> String {
    [
        (Modifier::BOLD, "1"),
        (Modifier::DIM, "2"),
        (Modifier::ITALIC, "3"),
        (Modifier::UNDERLINED, "4"),
        (Modifier::REVERSED, "7"),
    ]
    .iter()
    .filter(|(m, _)| modifiers.contains(*m))
    .map(|(_, code)| *code)
    .collect::<Vec<_>>()
    .join(";")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::catalog::Catalog;
    use std::path::PathBuf;

    fn shown(text: &str, width: usize, styled: bool) -> String {
        let corpus = Catalog::from_memory([(PathBuf::from("a.txt"), text.as_bytes())]);
        render(
            &corpus.corpus.articles[0],
            &read::body(&corpus.corpus.articles[0]),
            width,
            Typesetting::default(),
            styled,
        )
    }

    #[test]
    fn plain_text_is_the_reader_without_escapes() {
        let out = shown(
            "date 2026-03-06 Le titre est court. Puis un paragraphe qui doit passer à la ligne.\n• un point",
            30,
            false,
        );
        assert!(!out.contains('\x1b'));
        assert!(
            out.starts_with("Le titre est court.\n2026-03-06 · a.txt"),
            "{out}"
        );
        assert!(out.contains("\n• un point\n"), "{out}");
        assert!(
            out.lines()
                .all(|l| unicode_width::UnicodeWidthStr::width(l) <= 30),
            "{out}"
        );
    }

    #[test]
    fn styled_text_keeps_bold_and_dim_only_as_sgr() {
        let out = shown("Titre. Corps \u{1b}]0;pwned\u{7} du texte.", 40, true);
        assert!(out.starts_with("\x1b[1mTitre.\x1b[0m\n\x1b[2m"), "{out:?}");
        // The escape in the article arrives as a visible marker, never as an escape.
        assert!(!out.contains("\x1b]"), "{out:?}");
    }
}
