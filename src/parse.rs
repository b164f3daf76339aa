//! Parses the text of one article file: the optional `date` header, paragraphs, bullets,
//! captions and the title.

use chrono::NaiveDate;
use unicode_segmentation::UnicodeSegmentation;

use crate::article::{ArticleDate, Block};
use crate::sanitize::{Place, sanitize};

/// Titles longer than this many characters are cut at a word boundary.
pub const TITLE_MAX_CHARS: usize = 160;

/// What the parser makes of a file's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parsed {
    pub date: Option<ArticleDate>,
    pub title: String,
    pub blocks: Vec<Block>,
    pub words: usize,
    /// Something the user should know, the article still being shown (an impossible date).
    pub warning: Option<String>,
}

/// Why a file's text is not an article.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("no text")]
    Empty,
    #[error("no text after the date header")]
    HeaderOnly,
}

/// Parses an article. `text` is already decoded and without byte order mark.
pub fn parse(text: &str) -> Result<Parsed, ParseError> {
    let header = split_header(text);
    let raw = split_blocks(header.body);
    let blocks = sanitized(&raw);
    if blocks.is_empty() {
        return Err(match header.date {
            HeaderDate::None => ParseError::Empty,
            _ => ParseError::HeaderOnly,
        });
    }
    let (date, warning) = match header.date {
        HeaderDate::None => (None, None),
        HeaderDate::Valid(d) => (Some(d), None),
        HeaderDate::Invalid(raw) => (
            None,
            Some(format!(
                "the date {} does not exist; the article is shown as undated",
                sanitize(raw, Place::Title)
            )),
        ),
    };
    let title = title_of(&raw);
    let words = blocks.iter().map(|b| count_words(b.text())).sum();
    Ok(Parsed {
        date,
        title,
        blocks,
        words,
        warning,
    })
}

enum HeaderDate<'a> {
    None,
    Valid(ArticleDate),
    Invalid(&'a str),
}

struct Header<'a> {
    date: HeaderDate<'a>,
    body: &'a str,
}

/// Splits `date YYYY-MM-DD ` or `date YYYY-MM ` off the start of `text`.
fn split_header(text: &str) -> Header<'_> {
    let none = Header {
        date: HeaderDate::None,
        body: text,
    };
    let rest = text.trim_start();
    let Some(rest) = rest.strip_prefix("date") else {
        return none;
    };
    if !rest.starts_with(char::is_whitespace) {
        return none;
    }
    let rest = rest.trim_start();
    let token_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
    let (token, body) = rest.split_at(token_end);
    let date = match date_shape(token) {
        Some(Shape::Day(y, m, d)) => NaiveDate::from_ymd_opt(y, m, d).map(ArticleDate::day),
        Some(Shape::Month(y, m)) => ArticleDate::month(y, m),
        None => return none,
    };
    Header {
        date: date.map_or(HeaderDate::Invalid(token), HeaderDate::Valid),
        body,
    }
}

enum Shape {
    Day(i32, u32, u32),
    Month(i32, u32),
}

/// Recognises `YYYY-MM-DD` and `YYYY-MM` by their shape, whether or not the date exists.
fn date_shape(token: &str) -> Option<Shape> {
    fn digits(s: &str, n: usize) -> Option<u32> {
        (s.len() == n && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    }
    let mut parts = token.split('-');
    let year = digits(parts.next()?, 4)? as i32;
    let month = digits(parts.next()?, 2)?;
    match (parts.next(), parts.next()) {
        (None, _) => Some(Shape::Month(year, month)),
        (Some(day), None) => Some(Shape::Day(year, month, digits(day, 2)?)),
        _ => None,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Paragraph,
    Bullet,
    Caption,
}

/// A block before sanitizing: the title is taken from it with the stricter title rules.
struct Raw<'a> {
    kind: Kind,
    text: &'a str,
}

/// Splits the body into blocks: one per non-empty line.
fn split_blocks(body: &str) -> Vec<Raw<'_>> {
    let mut blocks: Vec<Raw<'_>> = Vec::new();
    let mut previous: Option<&str> = None;
    // A lone carriage return (old Mac files) ends a line like a newline does.
    for line in body.split(['\n', '\r']) {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if previous == Some(line) {
            // A repeated line is a caption the source printed twice: show it once.
            if let Some(last) = blocks.last_mut() {
                last.kind = Kind::Caption;
            }
            continue;
        }
        previous = Some(line);
        blocks.push(if let Some(item) = line.strip_prefix('•') {
            Raw {
                kind: Kind::Bullet,
                text: item.trim_start(),
            }
        } else if line.contains('©') {
            Raw {
                kind: Kind::Caption,
                text: line,
            }
        } else {
            Raw {
                kind: Kind::Paragraph,
                text: line,
            }
        });
    }
    blocks
}

/// The blocks made safe to draw; a block left empty (only soft hyphens) is dropped.
fn sanitized(raw: &[Raw<'_>]) -> Vec<Block> {
    raw.iter()
        .filter_map(|r| {
            let text = sanitize(r.text, Place::Body);
            if text.is_empty() {
                return None;
            }
            Some(match r.kind {
                Kind::Paragraph => Block::Paragraph(text),
                Kind::Bullet => Block::Bullet(text),
                Kind::Caption => Block::Caption(text),
            })
        })
        .collect()
}

/// The first sentence of the first block that is not a caption, from the raw text: a title
/// marks what a body drops (soft hyphens).
fn title_of(raw: &[Raw<'_>]) -> String {
    let first = raw
        .iter()
        .find(|b| b.kind != Kind::Caption)
        .or(raw.first())
        .map_or("", |b| b.text);
    // A title is at most TITLE_MAX_CHARS long, so a few times that much text is enough to
    // find it, however long the paragraph.
    let head = first
        .char_indices()
        .nth(TITLE_MAX_CHARS * 4)
        .map_or(first, |(end, _)| &first[..end]);
    cut(
        first_sentence(&sanitize(head, Place::Title)),
        TITLE_MAX_CHARS,
    )
}

/// Words as a reader counts them: runs of text between spaces that hold a letter or digit
/// (`l’armée` is one word, a lone `%` or `—` none). Fast enough for 12 MB on one line.
pub fn count_words(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// Text up to the first `.`, `!`, `?` or `…` that is followed by a space and an upper-case
/// letter, or the whole text.
pub fn first_sentence(text: &str) -> &str {
    for (i, c) in text.char_indices() {
        if !matches!(c, '.' | '!' | '?' | '…') {
            continue;
        }
        let end = i + c.len_utf8();
        let after = &text[end..];
        let rest = after.trim_start();
        if rest.len() < after.len() && rest.chars().next().is_some_and(char::is_uppercase) {
            return &text[..end];
        }
    }
    text
}

/// Cuts `text` to at most `max` characters at a word boundary, ending with `…`.
pub fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut kept = String::new();
    let mut count = 0;
    for word in text.split_word_bounds() {
        let n = word.chars().count();
        if count + n + 1 > max {
            break;
        }
        kept.push_str(word);
        count += n;
    }
    let trimmed = kept.trim_end();
    if trimmed.is_empty() {
        // One word longer than the limit: cut it between graphemes.
        let mut out: String = text.graphemes(true).take(max - 1).collect();
        out.push('…');
        return out;
    }
    format!("{trimmed}…")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Precision;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn day_header_on_the_same_line_as_the_body() {
        let p = parse(" date 2026-01-21 Première phrase. Deuxième phrase.\nSuite.").unwrap();
        assert_eq!(p.date, Some(ArticleDate::day(d(2026, 1, 21))));
        assert_eq!(p.title, "Première phrase.");
        assert_eq!(
            p.blocks,
            vec![
                Block::Paragraph("Première phrase. Deuxième phrase.".into()),
                Block::Paragraph("Suite.".into()),
            ]
        );
        assert_eq!(p.words, 5);
        assert_eq!(p.warning, None);
    }

    #[test]
    fn month_header() {
        let p = parse("date 2023-05 Un titre").unwrap();
        let date = p.date.unwrap();
        assert_eq!(date.precision, Precision::Month);
        assert_eq!(date.first, d(2023, 5, 1));
        assert_eq!(p.title, "Un titre");
    }

    #[test]
    fn no_header_means_undated() {
        let p = parse("Le feuilleton continue.\n").unwrap();
        assert_eq!(p.date, None);
        assert_eq!(p.title, "Le feuilleton continue.");
    }

    #[test]
    fn impossible_date_is_removed_with_a_warning() {
        let p = parse("date 2026-02-30 Texte du corps").unwrap();
        assert_eq!(p.date, None);
        assert_eq!(p.title, "Texte du corps");
        assert!(p.warning.unwrap().contains("2026-02-30"));
        let p = parse("date 2026-13 Texte").unwrap();
        assert_eq!((p.date, p.title.as_str()), (None, "Texte"));
        assert!(p.warning.is_some());
    }

    #[test]
    fn text_that_only_starts_with_the_word_date_is_body() {
        let p = parse("date of the vote is unknown").unwrap();
        assert_eq!(p.date, None);
        assert_eq!(p.title, "date of the vote is unknown");
        let p = parse("date 2026-03-06x body").unwrap();
        assert_eq!(p.date, None);
        assert_eq!(p.warning, None);
        let p = parse("dated 2026-03-06 body").unwrap();
        assert_eq!(p.title, "dated 2026-03-06 body");
    }

    #[test]
    fn header_at_end_of_file_holds_no_text() {
        assert_eq!(parse("date 2026-03-06"), Err(ParseError::HeaderOnly));
        assert_eq!(parse("date 2026-03-06 \n\n  "), Err(ParseError::HeaderOnly));
        assert_eq!(parse(" \n\t\n"), Err(ParseError::Empty));
        assert_eq!(parse(""), Err(ParseError::Empty));
    }

    #[test]
    fn captions_are_never_the_title_and_are_shown_once() {
        let text = "Photo © Agence\nPhoto © Agence\n\nLe vrai titre. Et la suite.";
        let p = parse(text).unwrap();
        assert_eq!(p.title, "Le vrai titre.");
        assert_eq!(
            p.blocks,
            vec![
                Block::Caption("Photo © Agence".into()),
                Block::Paragraph("Le vrai titre. Et la suite.".into()),
            ]
        );
    }

    #[test]
    fn a_repeated_line_is_a_caption_even_without_credit() {
        let p = parse("Légende\nLégende\nTitre ici").unwrap();
        assert_eq!(p.blocks[0], Block::Caption("Légende".into()));
        assert_eq!(p.title, "Titre ici");
    }

    #[test]
    fn bullets() {
        let p = parse("Intro :\n  • premier point\n•second").unwrap();
        assert_eq!(
            p.blocks[1..],
            [
                Block::Bullet("premier point".into()),
                Block::Bullet("second".into())
            ]
        );
    }

    #[test]
    fn crlf_reads_like_lf() {
        let lf = parse("date 2024-01-02 Titre.\nCorps.\n").unwrap();
        let crlf = parse("date 2024-01-02 Titre.\r\nCorps.\r\n").unwrap();
        assert_eq!(lf, crlf);
    }

    #[test]
    fn words() {
        assert_eq!(count_words("L’armée a grimpé de 295 % — vraiment ?"), 6);
        assert_eq!(count_words("  "), 0);
    }

    #[test]
    fn sentence_ends() {
        assert_eq!(first_sentence("Il part. Elle reste."), "Il part.");
        assert_eq!(first_sentence("Vraiment ? Oui."), "Vraiment ?");
        assert_eq!(first_sentence("Attendez… Rien."), "Attendez…");
        assert_eq!(
            first_sentence("Version 2.0 est sortie"),
            "Version 2.0 est sortie"
        );
        assert_eq!(
            first_sentence("Fin. suite minuscule"),
            "Fin. suite minuscule"
        );
        assert_eq!(first_sentence("Une seule phrase."), "Une seule phrase.");
    }

    #[test]
    fn long_titles_are_cut_at_a_word() {
        let long = "mot ".repeat(60);
        let t = cut(long.trim_end(), 160);
        assert!(t.chars().count() <= 160, "{}", t.chars().count());
        assert!(t.ends_with("mot…"));
        let one_word = "a".repeat(300);
        let t = cut(&one_word, 160);
        assert_eq!(t.chars().count(), 160);
        assert!(t.ends_with('…'));
    }

    #[test]
    fn a_soft_hyphen_is_marked_in_the_title_and_dropped_from_the_body() {
        let p = parse("date 2026-02-28 Sécu\u{ad}rité cachée").unwrap();
        assert_eq!(p.title, "Sécu<U+00AD>rité cachée");
        assert_eq!(p.blocks, [Block::Paragraph("Sécurité cachée".into())]);
    }

    #[test]
    fn a_title_is_cut_from_a_huge_paragraph() {
        let text = format!("Début {}", "mot ".repeat(100_000));
        let p = parse(&text).unwrap();
        assert!(p.title.starts_with("Début mot mot") && p.title.ends_with('…'));
        assert!(p.title.chars().count() <= TITLE_MAX_CHARS);
    }

    #[test]
    fn control_characters_in_titles_are_visible() {
        let p = parse("date 2024-01-02 Titre\u{1b}]0;pwned\u{7} ici").unwrap();
        assert_eq!(p.title, "Titre^[]0;pwned^G ici");
    }
}
