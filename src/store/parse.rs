//! Parses the text of one article file: the optional `date` header, paragraphs, bullets,
//! captions and the title.

use unicode_segmentation::UnicodeSegmentation;

use crate::corpus::{ArticleDate, Block, Written};
use crate::store::header::CAPTION;
use crate::text::sanitize::{Place, sanitize};

/// Titles longer than this many characters are cut at a word boundary.
pub const TITLE_MAX_CHARS: usize = 160;

/// What the list needs of an article: its date and title, and where its body starts.
/// Loading a corpus reads only this much structure; the blocks wait for the reader.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Head {
    pub date: Option<ArticleDate>,
    pub title: String,
    /// Something the user should know, the article still being shown (an impossible date).
    pub warning: Option<String>,
    /// Byte offset in the text where the body starts, after the date header.
    pub body_start: usize,
    /// The header of a file saved from a feed (see [`crate::store::header`]).
    pub meta: Option<crate::store::header::Meta>,
}

/// The whole article, for the reader.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parsed {
    pub head: Head,
    pub blocks: Vec<Block>,
    /// The number of words of the body, counted as the index counts them.
    pub words: usize,
}

/// Why a file's text is not an article.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("no text")]
    Empty,
    #[error("no text after the date header")]
    HeaderOnly,
}

/// Reads the date header and the title of an article, looking no further into the body
/// than the title. `text` is already decoded and without byte order mark.
pub fn head(text: &str) -> Result<Head, ParseError> {
    let header = split_header(text);
    // A file saved from a feed: its header holds the title, its body starts after it.
    let feed = crate::store::header::split(text);
    let body = feed.as_ref().map_or(header.body, |f| &text[f.body_start..]);
    let body_start = text.len() - body.len();
    let explicit = feed.is_some();
    let mut lines = lines(body).peekable();
    // The first line that is not a caption: not a photo credit, not repeated by the next.
    let mut first = None;
    let mut title_source = None;
    while let Some(line) = lines.next() {
        first.get_or_insert(line);
        if lines.peek() == Some(&line) {
            while lines.peek() == Some(&line) {
                lines.next();
            }
            continue;
        }
        if !(line.contains('©') || explicit && line.starts_with(CAPTION)) {
            title_source = Some(line);
            break;
        }
    }
    let Some(source) = title_source.or(first) else {
        return Err(match header.date {
            HeaderDate::None => ParseError::Empty,
            _ => ParseError::HeaderOnly,
        });
    };
    let source = source.strip_prefix('•').map_or(source, str::trim_start);
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
    let meta = feed.map(|f| f.meta);
    let title = match meta.as_ref().and_then(|m| m.title.as_deref()) {
        Some(title) => cut(&sanitize(title, Place::Title), TITLE_MAX_CHARS),
        None => title_of(source),
    };
    Ok(Head {
        date,
        title,
        warning,
        body_start,
        meta,
    })
}

/// Parses a whole article: its head and every block of its body.
pub fn parse(text: &str) -> Result<Parsed, ParseError> {
    let head = head(text)?;
    let explicit = head.meta.is_some();
    let blocks = sanitized(&split_blocks(&text[head.body_start..], explicit));
    if blocks.is_empty() {
        // Only soft hyphens or other characters a body drops: nothing to read.
        return Err(ParseError::Empty);
    }
    let mut words = 0;
    crate::text::fold::for_each_word(&text[head.body_start..], &mut String::new(), |_| words += 1);
    Ok(Parsed {
        head,
        blocks,
        words,
    })
}

/// The non-empty lines of a body, trimmed. A lone carriage return (old Mac files) ends a
/// line like a newline does.
fn lines(body: &str) -> impl Iterator<Item = &str> {
    body.split(['\n', '\r'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
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
    let date = match Written::parse(token).and_then(Written::article_date) {
        Some(date) => date.ok(),
        None => return none,
    };
    Header {
        date: date.map_or(HeaderDate::Invalid(token), HeaderDate::Valid),
        body,
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

/// Splits the body into blocks: one per non-empty line. `explicit`: the file has a header,
/// and a line starting with [`CAPTION`] is a caption.
fn split_blocks(body: &str, explicit: bool) -> Vec<Raw<'_>> {
    let mut blocks: Vec<Raw<'_>> = Vec::new();
    let mut previous: Option<&str> = None;
    for line in lines(body) {
        if previous == Some(line) {
            // A repeated line is a caption the source printed twice: show it once.
            if let Some(last) = blocks.last_mut() {
                last.kind = Kind::Caption;
            }
            continue;
        }
        previous = Some(line);
        let caption = line.strip_prefix(CAPTION).filter(|_| explicit);
        blocks.push(if let Some(text) = caption {
            Raw {
                kind: Kind::Caption,
                text: text.trim_start(),
            }
        } else if let Some(item) = line.strip_prefix('•') {
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

/// The title made of a block's raw text: its first sentence, made safe to draw with the
/// title rules (a title marks what a body drops, such as soft hyphens).
fn title_of(source: &str) -> String {
    // A title is at most TITLE_MAX_CHARS long, so a few times that much text is enough to
    // find it, however long the paragraph.
    let head = source
        .char_indices()
        .nth(TITLE_MAX_CHARS * 4)
        .map_or(source, |(end, _)| &source[..end]);
    cut(
        first_sentence(&sanitize(head, Place::Title)),
        TITLE_MAX_CHARS,
    )
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
    use crate::corpus::Precision;
    use chrono::NaiveDate;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn day_header_on_the_same_line_as_the_body() {
        let p = parse(" date 2026-01-21 Première phrase. Deuxième phrase.\nSuite.").unwrap();
        assert_eq!(p.head.date, Some(ArticleDate::day(d(2026, 1, 21))));
        assert_eq!(p.head.title, "Première phrase.");
        assert_eq!(
            p.blocks,
            vec![
                Block::Paragraph("Première phrase. Deuxième phrase.".into()),
                Block::Paragraph("Suite.".into()),
            ]
        );
        assert_eq!(p.head.warning, None);
    }

    #[test]
    fn month_header() {
        let p = parse("date 2023-05 Un titre").unwrap();
        let date = p.head.date.unwrap();
        assert_eq!(date.precision, Precision::Month);
        assert_eq!(date.first, d(2023, 5, 1));
        assert_eq!(p.head.title, "Un titre");
    }

    #[test]
    fn no_header_means_undated() {
        let p = parse("Le feuilleton continue.\n").unwrap();
        assert_eq!(p.head.date, None);
        assert_eq!(p.head.title, "Le feuilleton continue.");
    }

    #[test]
    fn impossible_date_is_removed_with_a_warning() {
        let p = parse("date 2026-02-30 Texte du corps").unwrap();
        assert_eq!(p.head.date, None);
        assert_eq!(p.head.title, "Texte du corps");
        assert!(p.head.warning.unwrap().contains("2026-02-30"));
        let p = parse("date 2026-13 Texte").unwrap();
        assert_eq!((p.head.date, p.head.title.as_str()), (None, "Texte"));
        assert!(p.head.warning.is_some());
    }

    #[test]
    fn text_that_only_starts_with_the_word_date_is_body() {
        let p = parse("date of the vote is unknown").unwrap();
        assert_eq!(p.head.date, None);
        assert_eq!(p.head.title, "date of the vote is unknown");
        let p = parse("date 2026-03-06x body").unwrap();
        assert_eq!(p.head.date, None);
        assert_eq!(p.head.warning, None);
        let p = parse("dated 2026-03-06 body").unwrap();
        assert_eq!(p.head.title, "dated 2026-03-06 body");
    }

    #[test]
    fn the_head_stops_at_the_title_and_says_where_the_body_starts() {
        let text = " date 2026-03-06 Photo © X\nPhoto © X\nLe titre. Suite.\nCorps.";
        let h = head(text).unwrap();
        assert_eq!(h.title, "Le titre.");
        assert_eq!(
            &text[h.body_start..],
            " Photo © X\nPhoto © X\nLe titre. Suite.\nCorps."
        );
        assert_eq!(head("• Un point\nSuite").unwrap().title, "Un point");
        assert_eq!(head("Légende\nLégende").unwrap().title, "Légende");
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
        assert_eq!(p.head.title, "Le vrai titre.");
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
        assert_eq!(p.head.title, "Titre ici");
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
        assert_eq!(p.head.title, "Sécu<U+00AD>rité cachée");
        assert_eq!(p.blocks, [Block::Paragraph("Sécurité cachée".into())]);
    }

    #[test]
    fn a_title_is_cut_from_a_huge_paragraph() {
        let text = format!("Début {}", "mot ".repeat(100_000));
        let p = parse(&text).unwrap();
        assert!(p.head.title.starts_with("Début mot mot") && p.head.title.ends_with('…'));
        assert!(p.head.title.chars().count() <= TITLE_MAX_CHARS);
    }

    #[test]
    fn control_characters_in_titles_are_visible() {
        let p = parse("date 2024-01-02 Titre\u{1b}]0;pwned\u{7} ici").unwrap();
        assert_eq!(p.head.title, "Titre^[]0;pwned^G ici");
    }
}
