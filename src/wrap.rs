//! Lays an article out as lines for the reader at a given width: title, date and path, then
//! the body wrapped with textwrap, paragraphs apart, bullets with a hanging indent.

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use textwrap::Options;

use crate::article::{Article, Block};

/// Text never runs wider than this, however wide the terminal: long lines tire the eye.
pub const MAX_TEXT_WIDTH: usize = 100;

const BULLET: &str = "• ";
const HANGING: &str = "  ";

/// The styled lines of `article` wrapped to `width` columns.
pub fn article_lines(article: &Article, width: usize) -> Vec<Line<'static>> {
    let width = width.clamp(1, MAX_TEXT_WIDTH);
    let mut lines = Vec::new();
    let bold = Style::new().add_modifier(Modifier::BOLD);
    let dim = Style::new().add_modifier(Modifier::DIM);
    push_wrapped(&mut lines, &article.title, Options::new(width), bold);
    push_wrapped(&mut lines, &meta(article), Options::new(width), dim);
    let mut previous: Option<&Block> = None;
    for block in body(article) {
        let tight = matches!(
            (previous, block),
            (Some(Block::Bullet(_)), Block::Bullet(_))
        );
        if !tight {
            lines.push(Line::default());
        }
        match block {
            Block::Paragraph(text) => {
                push_wrapped(&mut lines, text, Options::new(width), Style::new())
            }
            Block::Bullet(text) => {
                let options = Options::new(width)
                    .initial_indent(BULLET)
                    .subsequent_indent(HANGING);
                push_wrapped(&mut lines, text, options, Style::new());
            }
            Block::Caption(text) => {
                let style = Style::new().add_modifier(Modifier::ITALIC | Modifier::DIM);
                push_wrapped(&mut lines, text, Options::new(width), style);
            }
        }
        previous = Some(block);
    }
    lines
}

/// `2026-03-06 · sample/file.txt · 532 words · windows-1252`.
fn meta(article: &Article) -> String {
    let mut parts = vec![
        article
            .date
            .map_or_else(|| "undated".to_owned(), |d| d.iso()),
        article.shown_path.clone(),
        format!("{} words", article.words),
    ];
    if let Some(encoding) = article.encoding {
        parts.push(format!("decoded from {encoding}"));
    }
    parts.join(" · ")
}

/// The blocks to show under the title: all of them, but a first paragraph that is the
/// title itself is not printed twice.
fn body(article: &Article) -> impl Iterator<Item = &Block> {
    let repeat = article
        .blocks
        .iter()
        .position(|b| !matches!(b, Block::Caption(_)))
        .filter(|&i| article.blocks[i].text() == article.title);
    article
        .blocks
        .iter()
        .enumerate()
        .filter(move |(i, _)| Some(*i) != repeat)
        .map(|(_, b)| b)
}

fn push_wrapped(lines: &mut Vec<Line<'static>>, text: &str, options: Options<'_>, style: Style) {
    for line in textwrap::wrap(text, options) {
        lines.push(Line::from(Span::styled(line.into_owned(), style)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::Corpus;
    use std::path::PathBuf;

    fn article(text: &str) -> Article {
        let corpus = Corpus::from_memory([(PathBuf::from("a.txt"), text.as_bytes())]);
        corpus.articles.into_iter().next().unwrap()
    }

    fn plain(lines: &[Line<'_>]) -> Vec<String> {
        lines.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn title_meta_and_paragraphs() {
        let a = article("date 2026-03-06 Un titre\nPremier paragraphe assez long.\n\nSecond.");
        assert_eq!(
            plain(&article_lines(&a, 20)),
            [
                "Un titre",
                "2026-03-06 · a.txt ·",
                "7 words",
                "",
                "Premier paragraphe",
                "assez long.",
                "",
                "Second.",
            ]
        );
    }

    #[test]
    fn bullets_hang_and_stay_together() {
        let a = article("Titre.\nListe :\n• un point qui déborde\n• deux");
        let lines = plain(&article_lines(&a, 14));
        assert_eq!(
            lines[lines.len() - 6..],
            ["", "Liste :", "", "• un point qui", "  déborde", "• deux"]
        );
    }

    #[test]
    fn the_lede_is_kept_when_the_title_is_only_its_first_sentence() {
        let a = article("Titre. Suite du chapeau.");
        assert_eq!(
            plain(&article_lines(&a, 40))[2..],
            ["", "Titre. Suite du chapeau."]
        );
    }

    #[test]
    fn width_is_capped_for_reading() {
        let a = article(&"mot ".repeat(100));
        let lines = article_lines(&a, 300);
        assert!(lines.iter().all(|l| l.width() <= MAX_TEXT_WIDTH));
    }
}
