//! Lays an article out as lines for the reader at a given width: title, date and path, then
//! the body wrapped with textwrap, paragraphs apart, bullets with a hanging indent.
//!
//! Typesetting is lazy: lines are wrapped only as far as the reader needs them, and a very long
//! paragraph (a 12 MB article on one line) is wrapped a piece at a time, so opening or
//! resizing it costs a screenful, not the whole text.

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use std::sync::OnceLock;

use hyphenation::{Language, Load, Standard};
use textwrap::WordSeparator;
use textwrap::core::{Fragment, Word};
use textwrap::word_splitters::{WordSplitter, split_words};
use textwrap::wrap_algorithms::{Penalties, wrap_first_fit, wrap_optimal_fit};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use crate::corpus::{Article, Block, Body, DateStyle};

/// Text never runs wider than this, however wide the terminal: long lines tire the eye.
pub const MAX_TEXT_WIDTH: usize = 100;

/// Paragraphs longer than this are wrapped a piece at a time, first-fit; shorter ones get
/// textwrap's optimal fit, which balances line lengths.
const PIECE: usize = 32 * 1024;

/// Articles up to this size are laid out whole at once: it takes well under a millisecond
/// and gives the reader an exact length for its scroll position.
const EAGER: usize = 256 * 1024;

/// How an article is set, beyond its width: how its date is written, and whether long words
/// may be hyphenated (with the dictionary of the article's language).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Typesetting {
    pub dates: DateStyle,
    pub hyphenate: bool,
    /// The time zone moments are shown in: `None` for the user's own (the system's, with
    /// its summer time), a fixed offset for tests and tools.
    pub zone: Option<chrono::FixedOffset>,
}

impl Typesetting {
    /// `at` on the user's clock.
    fn local(&self, at: chrono::DateTime<chrono::FixedOffset>) -> chrono::NaiveDateTime {
        match self.zone {
            Some(offset) => at.with_timezone(&offset).naive_local(),
            None => at.with_timezone(&chrono::Local).naive_local(),
        }
    }
}

/// The French hyphenation patterns (see `assets/hyphenation/README.md`).
const FRENCH: &[u8] = include_bytes!("../../../assets/hyphenation/fr.standard.bincode");

/// The hyphenation dictionary of `language`, loaded once.
fn dictionary(language: Language) -> Option<&'static Standard> {
    static FRENCH_DICT: OnceLock<Option<Standard>> = OnceLock::new();
    static ENGLISH_DICT: OnceLock<Option<Standard>> = OnceLock::new();
    match language {
        Language::French => FRENCH_DICT
            .get_or_init(|| Standard::from_reader(Language::French, &mut &FRENCH[..]).ok())
            .as_ref(),
        _ => ENGLISH_DICT
            .get_or_init(|| Standard::from_embedded(Language::EnglishUS).ok())
            .as_ref(),
    }
}

/// French or English, from the most common short words of the text's start.
fn language_of(body: &Body) -> Language {
    const FRENCH_WORDS: [&str; 10] = [
        "le", "la", "les", "des", "est", "une", "que", "qui", "dans", "pour",
    ];
    const ENGLISH_WORDS: [&str; 10] = [
        "the", "and", "of", "to", "is", "in", "that", "for", "with", "was",
    ];
    let (mut french, mut english) = (0, 0);
    let mut seen = 0;
    for block in &body.blocks {
        for word in block.text().split(|c: char| !c.is_alphabetic()) {
            let lower = word.to_lowercase();
            french += usize::from(FRENCH_WORDS.contains(&lower.as_str()));
            english += usize::from(ENGLISH_WORDS.contains(&lower.as_str()));
            seen += 1;
        }
        if seen > 400 {
            break;
        }
    }
    if english > french {
        Language::EnglishUS
    } else {
        Language::French
    }
}

const BULLET: &str = "• ";
const HANGING: &str = "  ";

/// An article laid out at one width, as far as it has been needed.
pub struct Typeset {
    width: usize,
    lines: Vec<Line<'static>>,
    /// Where wrapping resumes: the index of the next block (into `body_blocks`) and the
    /// byte offset within it.
    next_block: usize,
    next_offset: usize,
    /// The blocks shown under the title (a first paragraph equal to the title is left out).
    body_blocks: Vec<usize>,
    /// Bytes of body text wrapped so far, and in all, to estimate the full length.
    done_bytes: usize,
    total_bytes: usize,
    /// The related articles (date, title) listed after the body, until they are.
    related: Option<Vec<(String, String)>>,
    /// How long words are split: at their hyphens, or by a hyphenation dictionary too.
    splitter: WordSplitter,
}

impl Typeset {
    /// Starts the layout of `article` at `width` columns: title and details, no body yet.
    pub fn new(
        article: &Article,
        body: &Body,
        width: usize,
        related: Vec<(String, String)>,
        set: Typesetting,
    ) -> Self {
        let width = width.max(1);
        let body_blocks = shown_blocks(body);
        let total_bytes = body_blocks
            .iter()
            .map(|&i| body.blocks[i].text().len())
            .sum();
        let mut layout = Typeset {
            width,
            lines: Vec::new(),
            next_block: 0,
            next_offset: 0,
            body_blocks,
            done_bytes: 0,
            total_bytes,
            related: Some(related).filter(|r| !r.is_empty()),
            // Title, date and path are never hyphenated: set below, once they are laid out.
            splitter: WordSplitter::HyphenSplitter,
        };
        let bold = Style::new().add_modifier(Modifier::BOLD);
        let dim = Style::new().add_modifier(Modifier::DIM);
        layout.push_paragraph(&body.title, "", "", bold);
        layout.push_paragraph(&meta(article, body, &set), "", "", dim);
        // A feed article's own page, on one line (`o` lists it first, to open or copy).
        if let Some(link) = &body.link {
            let shown = crate::text::width::fit(link, width).into_owned();
            layout
                .lines
                .push(Line::styled(shown, dim.add_modifier(Modifier::UNDERLINED)));
        }
        if let Some(problem) = &body.problem {
            layout.lines.push(Line::default());
            let style = Style::new().add_modifier(Modifier::BOLD | Modifier::ITALIC);
            layout.push_paragraph(problem, "", "", style);
        }
        if let Some(dictionary) = set
            .hyphenate
            .then(|| dictionary(language_of(body)))
            .flatten()
        {
            layout.splitter = WordSplitter::Hyphenation(dictionary.clone());
        }
        layout
    }

    pub fn width(&self) -> usize {
        self.width
    }

    /// The lines laid out so far.
    pub fn lines(&self) -> &[Line<'static>] {
        &self.lines
    }

    /// True once the whole article is laid out.
    pub fn is_complete(&self) -> bool {
        self.next_block >= self.body_blocks.len()
    }

    /// The number of lines the whole article will take: exact once complete, else
    /// estimated from the share of text wrapped so far.
    pub fn estimated_len(&self) -> usize {
        if self.is_complete() || self.done_bytes == 0 {
            return self.lines.len();
        }
        let ratio = self.total_bytes as f64 / self.done_bytes as f64;
        (self.lines.len() as f64 * ratio).ceil() as usize
    }

    /// Lays out lines until there are at least `wanted`, or the article ends.
    pub fn extend_to(&mut self, body: &Body, wanted: usize) {
        let wanted = if self.total_bytes <= EAGER {
            usize::MAX
        } else {
            wanted
        };
        while self.lines.len() < wanted && !self.is_complete() {
            self.step(body);
        }
        if self.is_complete() {
            if let Some(related) = self.related.take() {
                self.push_related(&related);
            }
        }
    }

    /// `Related`, then one line per article: the digit that opens it, its date, its title.
    fn push_related(&mut self, related: &[(String, String)]) {
        let bold = Style::new().add_modifier(Modifier::BOLD);
        let dim = Style::new().add_modifier(Modifier::DIM);
        self.lines.push(Line::default());
        self.lines.push(Line::styled("Related", bold));
        for (n, (date, title)) in related.iter().enumerate() {
            let lead = format!("{}  {date:<10}  ", n + 1);
            let room = self.width.saturating_sub(lead.width());
            self.lines.push(Line::from(vec![
                Span::styled(lead, dim),
                Span::raw(crate::text::width::fit(title, room).into_owned()),
            ]));
        }
    }

    /// Lays out the whole article.
    pub fn complete(&mut self, body: &Body) {
        self.extend_to(body, usize::MAX);
    }

    /// Wraps the next block, or the next piece of a long one.
    fn step(&mut self, body: &Body) {
        let index = self.body_blocks[self.next_block];
        let block = &body.blocks[index];
        let text = block.text();
        if self.next_offset == 0 {
            let previous = self
                .next_block
                .checked_sub(1)
                .map(|p| &body.blocks[self.body_blocks[p]]);
            let tight = matches!(
                (previous, block),
                (Some(Block::Bullet(_)), Block::Bullet(_))
            );
            if !tight {
                self.lines.push(Line::default());
            }
        }
        let (first, rest, style) = match block {
            Block::Paragraph(_) => ("", "", Style::new()),
            Block::Bullet(_) => (BULLET, HANGING, Style::new()),
            Block::Caption(_) => (
                "",
                "",
                Style::new().add_modifier(Modifier::ITALIC | Modifier::DIM),
            ),
        };
        let remaining = &text[self.next_offset..];
        let first = if self.next_offset == 0 { first } else { rest };
        if remaining.len() <= PIECE && self.next_offset == 0 {
            self.push_paragraph(remaining, first, rest, style);
            self.finish_block(text.len());
            return;
        }
        let mut end = PIECE.min(remaining.len());
        while !remaining.is_char_boundary(end) {
            end += 1;
        }
        let piece = &remaining[..end];
        let at_end = end == remaining.len();
        let mut wrapped = wrap(piece, self.width, first, rest, Fit::First, &self.splitter);
        // The last line of a piece may continue in the next one: wrap it again from its
        // start with what follows, unless it is the only line (then keep it, to progress).
        let carried = if at_end || wrapped.len() < 2 {
            None
        } else {
            wrapped.pop().map(|(start, _)| start)
        };
        for (_, line) in wrapped {
            self.lines.push(Line::from(Span::styled(line, style)));
        }
        match carried {
            Some(start) => {
                self.next_offset += start;
                self.done_bytes += start;
            }
            None if at_end => self.finish_block(remaining.len()),
            None => {
                self.next_offset += end;
                self.done_bytes += end;
            }
        }
    }

    fn finish_block(&mut self, bytes: usize) {
        self.done_bytes += bytes;
        self.next_block += 1;
        self.next_offset = 0;
    }

    fn push_paragraph(&mut self, text: &str, first: &str, rest: &str, style: Style) {
        for (_, line) in wrap(text, self.width, first, rest, Fit::Optimal, &self.splitter) {
            self.lines.push(Line::from(Span::styled(line, style)));
        }
    }
}

/// How lines are filled.
#[derive(Clone, Copy)]
enum Fit {
    /// Greedy, linear: for very long paragraphs.
    First,
    /// Balances line lengths over the paragraph (textwrap's optimal fit).
    Optimal,
}

/// Wraps `text` to `width` columns, the first line after `first`, the others after `rest`.
/// Returns each line with the byte offset in `text` where it starts.
///
/// This is textwrap's algorithm with two changes: widths are measured per grapheme, as the
/// terminal draws them (an emoji sequence such as 👨‍👩‍👧 is 2 columns, not 6), and a word
/// wider than a line is broken between graphemes, never inside one.
fn wrap(
    text: &str,
    width: usize,
    first: &str,
    rest: &str,
    fit: Fit,
    splitter: &WordSplitter,
) -> Vec<(usize, String)> {
    let indent = first.width().max(rest.width());
    let line_width = width.saturating_sub(indent).max(1);
    let words = WordSeparator::UnicodeBreakProperties.find_words(text);
    let mut pieces: Vec<Piece<'_>> = Vec::new();
    for word in french_spacing(text, split_words(words, splitter)) {
        push_broken(&mut pieces, word, line_width);
    }
    let widths = [line_width as f64];
    let lines = match fit {
        Fit::First => wrap_first_fit(&pieces, &widths),
        Fit::Optimal => wrap_optimal_fit(&pieces, &widths, &Penalties::new())
            .unwrap_or_else(|_| wrap_first_fit(&pieces, &widths)),
    };
    let base = text.as_ptr() as usize;
    let mut out = Vec::with_capacity(lines.len().max(1));
    for (i, line) in lines.iter().enumerate() {
        let prefix = if i == 0 { first } else { rest };
        let mut shown = String::from(prefix);
        let start = line
            .first()
            .map_or(0, |w| (w.word.as_ptr() as usize).saturating_sub(base));
        for (j, word) in line.iter().enumerate() {
            shown.push_str(word.word);
            if j + 1 < line.len() {
                shown.push_str(word.whitespace);
            } else {
                shown.push_str(word.penalty);
            }
        }
        out.push((start.min(text.len()), shown));
    }
    if out.is_empty() {
        out.push((0, first.to_owned()));
    }
    out
}

/// Joins words across the spaces French typography never breaks: before `:` `;` `!` `?`
/// `»` `%` `…`, after `«`, and between the groups of a number (`1 000`, `295 %`). Files
/// often use a plain space there where print would use a non-breaking one; a line must
/// still never start with `:` or end with `«`.
fn french_spacing<'a>(text: &'a str, words: impl Iterator<Item = Word<'a>>) -> Vec<Word<'a>> {
    let base = text.as_ptr() as usize;
    let mut out: Vec<Word<'a>> = Vec::new();
    for word in words {
        let glue = out.last().is_some_and(|previous| {
            !previous.whitespace.is_empty()
                && (word.word.starts_with([':', ';', '!', '?', '»', '%', '…'])
                    || previous.word.ends_with('«')
                    || (is_number_group(previous.word.rsplit(' ').next().unwrap_or(""), 1)
                        && is_number_group(word.word.trim_end_matches([',', '.', ';']), 3)))
        });
        match out.last_mut() {
            Some(previous) if glue => {
                // Both words lie in `text`, one after the other: take the slice over both.
                let start = previous.word.as_ptr() as usize - base;
                let end = word.word.as_ptr() as usize - base + word.word.len();
                previous.word = &text[start..end];
                previous.whitespace = word.whitespace;
                previous.penalty = word.penalty;
            }
            _ => out.push(word),
        }
    }
    out
}

/// One to three digits (`at_least` of them), as in the groups of `1 000 000`.
fn is_number_group(word: &str, at_least: usize) -> bool {
    (at_least..=3).contains(&word.len()) && word.bytes().all(|b| b.is_ascii_digit())
}

/// A word as the wrapping algorithms see it, with its width as the terminal draws it.
#[derive(Debug)]
struct Piece<'a> {
    word: &'a str,
    whitespace: &'a str,
    penalty: &'a str,
    width: usize,
}

impl Fragment for Piece<'_> {
    fn width(&self) -> f64 {
        self.width as f64
    }

    fn whitespace_width(&self) -> f64 {
        self.whitespace.width() as f64
    }

    fn penalty_width(&self) -> f64 {
        self.penalty.width() as f64
    }
}

/// Adds `word` to `pieces` with its width as drawn, split between graphemes into pieces of
/// at most `line_width` columns when it is wider than a line.
fn push_broken<'a>(pieces: &mut Vec<Piece<'a>>, word: Word<'a>, line_width: usize) {
    let width = word.word.width();
    if width <= line_width {
        pieces.push(Piece {
            word: word.word,
            whitespace: word.whitespace,
            penalty: word.penalty,
            width,
        });
        return;
    }
    let (mut start, mut used) = (0, 0);
    for (at, grapheme) in word.word.grapheme_indices(true) {
        let w = grapheme.width();
        if used > 0 && used + w > line_width {
            pieces.push(Piece {
                word: &word.word[start..at],
                whitespace: "",
                penalty: "",
                width: used,
            });
            (start, used) = (at, 0);
        }
        used += w;
    }
    pieces.push(Piece {
        word: &word.word[start..],
        whitespace: word.whitespace,
        penalty: word.penalty,
        width: used,
    });
}

/// `2026-03-06 · sample/file.txt · 532 words · decoded from windows-1252`.
/// The line under the title: where the article comes from and how long it is. A feed
/// article says its feed, author and publication time (on the user's clock); a file, its
/// date and path.
fn meta(article: &Article, body: &Body, set: &Typesetting) -> String {
    let date = || {
        body.date
            .map_or_else(|| "undated".to_owned(), |d| set.dates.format(&d))
    };
    let mut parts = match &article.origin {
        Some(origin) => {
            let mut parts = vec![origin.feed.clone()];
            parts.extend(origin.author.clone());
            parts.push(
                origin
                    .published
                    .map_or_else(date, |at| set.dates.format_moment(set.local(at))),
            );
            parts
        }
        None => vec![date(), article.shown_path()],
    };
    parts.push(match body.words {
        1 => "1 word".to_owned(),
        n => format!("{n} words"),
    });
    if let Some(encoding) = article.encoding {
        parts.push(format!("decoded from {encoding}"));
    }
    parts.join(" · ")
}

/// The blocks to show under the title: all of them, but a first paragraph that is the
/// title itself is not printed twice.
fn shown_blocks(body: &Body) -> Vec<usize> {
    let repeat = body
        .blocks
        .iter()
        .position(|b| !matches!(b, Block::Caption(_)))
        .filter(|&i| body.blocks[i].text() == body.title);
    (0..body.blocks.len())
        .filter(|&i| Some(i) != repeat)
        .collect()
}

/// The whole article laid out at `width` (for tests and tools that want every line).
pub fn article_lines(article: &Article, body: &Body, width: usize) -> Vec<Line<'static>> {
    let mut layout = Typeset::new(article, body, width, Vec::new(), Typesetting::default());
    layout.complete(body);
    layout.lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::catalog::Catalog;
    use std::path::PathBuf;

    fn article(text: &str) -> (Article, Body) {
        let corpus = Catalog::from_memory([(PathBuf::from("a.txt"), text.as_bytes())]);
        let body = crate::store::read::body(&corpus.corpus.articles[0]);
        (corpus.corpus.articles.into_iter().next().unwrap(), body)
    }

    fn plain(lines: &[Line<'_>]) -> Vec<String> {
        lines.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn a_feed_article_says_its_feed_author_and_time_on_the_users_clock() {
        let saved = "date 2026-03-06\nkiosque-article 1\ntitle: Municipales : ce qui change\nlink: https://www.lemonde.fr/a.html\nfeed: Le Monde\nfeed-key: https://www.lemonde.fr/rss/une.xml\nauthor: Jeanne Dupont\nid: a-1\npublished: 2026-03-06T13:05:00+00:00\nkiosque-article end\nLe texte du jour.\n";
        let (a, b) = article(saved);
        let paris = chrono::FixedOffset::east_opt(3600);
        let line = |dates| {
            let set = Typesetting {
                dates,
                hyphenate: false,
                zone: paris,
            };
            meta(&a, &b, &set)
        };
        assert_eq!(
            line(DateStyle::French),
            "Le Monde · Jeanne Dupont · 6 mars 2026 à 14 h 05 · 4 words"
        );
        assert_eq!(
            line(DateStyle::English),
            "Le Monde · Jeanne Dupont · 6 March 2026, 14:05 · 4 words"
        );
        // A plain file keeps its date and path.
        let (a, b) = article("date 2026-03-06 Un fichier ordinaire.");
        let set = Typesetting::default();
        assert_eq!(meta(&a, &b, &set), "2026-03-06 · a.txt · 3 words");
        let one = crate::store::read::from_memory([(PathBuf::from("b.txt"), "Seul.".as_bytes())]);
        let (a, b) = (&one.articles[0], crate::store::read::body(&one.articles[0]));
        assert_eq!(meta(a, &b, &set), "undated · b.txt · 1 word");
    }

    fn hyphenated(text: &str, width: usize) -> Vec<String> {
        let (a, b) = article(text);
        let set = Typesetting {
            hyphenate: true,
            ..Typesetting::default()
        };
        let mut layout = Typeset::new(&a, &b, width, Vec::new(), set);
        layout.complete(&b);
        plain(layout.lines())
    }

    #[test]
    fn hyphenation_follows_the_article_s_language() {
        let french = hyphenated(
            "Titre. La rentrée de septembre est celle des réformes dans les établissements.",
            16,
        );
        assert!(french.iter().any(|l| l.ends_with('-')), "{french:?}");
        // Only between French syllables: `sep-tembre`, `éta-blis-se-ments`, never `se-ptembre`.
        let syllables = [
            "ren-",
            "sep-",
            "éta-",
            "établis-",
            "établisse-",
            "ré-",
            "réfor-",
            "cel-",
        ];
        for width in 12..=20 {
            for line in hyphenated(
                "Titre. La rentrée de septembre est celle des réformes dans les établissements.",
                width,
            ) {
                if let Some(last) = line.rsplit(' ').next().filter(|w| w.ends_with('-')) {
                    assert!(syllables.contains(&last), "{last:?} at width {width}");
                }
            }
        }
        let english = hyphenated(
            "Title. The committee was considering extraordinary administrative arrangements for the institutions.",
            16,
        );
        assert!(english.iter().any(|l| l.ends_with('-')), "{english:?}");
        // Without the flag, words stay whole.
        let (a, b) = article("Titre. La rentrée de septembre est celle des réformes.");
        assert!(
            plain(&article_lines(&a, &b, 16))
                .iter()
                .all(|l| !l.ends_with('-'))
        );
    }

    #[test]
    fn the_title_and_path_are_never_hyphenated() {
        let lines = hyphenated("Extraordinairement administrativement. Suite du texte.", 14);
        let head: Vec<&String> = lines.iter().take_while(|l| !l.is_empty()).collect();
        assert!(head.iter().all(|l| !l.ends_with('-')), "{head:?}");
    }

    #[test]
    fn title_meta_and_paragraphs() {
        let a = article("date 2026-03-06 Un titre\nPremier paragraphe assez long.\n\nSecond.");
        assert_eq!(
            plain(&article_lines(&a.0, &a.1, 20)),
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
        let lines = plain(&article_lines(&a.0, &a.1, 14));
        assert_eq!(
            lines[lines.len() - 6..],
            ["", "Liste :", "", "• un point qui", "  déborde", "• deux"]
        );
    }

    #[test]
    fn the_lede_is_kept_when_the_title_is_only_its_first_sentence() {
        let a = article("Titre. Suite du chapeau.");
        assert_eq!(
            plain(&article_lines(&a.0, &a.1, 40))[2..],
            ["", "Titre. Suite du chapeau."]
        );
    }

    #[test]
    fn the_layout_takes_the_width_it_is_given() {
        // The reader caps it at MAX_TEXT_WIDTH; `kiosque show --width` may ask for more.
        let a = article(&"mot ".repeat(100));
        let lines = article_lines(&a.0, &a.1, 300);
        assert!(lines.iter().all(|l| l.width() <= 300));
        assert!(lines.iter().any(|l| l.width() > MAX_TEXT_WIDTH));
    }

    #[test]
    fn an_emoji_sequence_is_never_split_and_counts_as_drawn() {
        let family = "👨\u{200d}👩\u{200d}👧";
        let a = article(&format!("Titre.\n{family}{family}{family} fin"));
        for width in 1..8 {
            for line in article_lines(&a.0, &a.1, width) {
                let text = line.to_string();
                // Every piece of the sequence stays whole.
                assert_eq!(
                    text.matches('👨').count(),
                    text.matches('👧').count(),
                    "{text:?}"
                );
                if text.contains('👨') {
                    assert!(line.width() <= width.max(2), "{text:?} at {width}");
                }
            }
        }
        let lines = plain(&article_lines(&a.0, &a.1, 4));
        assert!(lines.contains(&format!("{family}{family}")), "{lines:?}");
    }

    #[test]
    fn french_punctuation_never_starts_a_line_and_numbers_stay_whole() {
        let text =
            "Il a dit : « oui » ! Les prix ont grimpé de 295 % pour 1 000 000 euros ; vraiment ?";
        let a = article(&format!("Titre.\n{text}"));
        // From the width of the longest unbreakable group ("« oui » !", "1 000 000") up.
        for width in 10..40 {
            let lines = plain(&article_lines(&a.0, &a.1, width));
            let body = lines.iter().skip_while(|l| !l.is_empty());
            for line in body {
                assert!(
                    !line.starts_with([':', ';', '!', '?', '»', '%', '…']),
                    "{line:?} at {width}: {lines:?}"
                );
                assert!(!line.trim_end().ends_with('«'), "{line:?} at {width}");
                assert!(!line.starts_with("000"), "{line:?} at {width}: {lines:?}");
            }
        }
        let lines = plain(&article_lines(&a.0, &a.1, 14));
        assert!(lines.iter().any(|l| l.contains("295 %")), "{lines:?}");
        assert!(lines.iter().any(|l| l.contains("1 000 000")), "{lines:?}");
    }

    #[test]
    fn long_words_break_between_graphemes() {
        let a = article("Titre.\nse\u{301}curite\u{301}se\u{301}curite\u{301}");
        for line in &plain(&article_lines(&a.0, &a.1, 5))[3..] {
            assert!(!line.starts_with('\u{301}'), "{line:?}");
        }
    }

    #[test]
    fn cjk_without_spaces_wraps_between_characters() {
        let a = article("東京都の新しい図書館は来月開館する予定です。市民の期待が高まっている。");
        let lines = article_lines(&a.0, &a.1, 10);
        assert!(lines.len() > 4);
        assert!(lines.iter().all(|l| l.width() <= 10), "{:?}", plain(&lines));
    }

    #[test]
    fn a_huge_paragraph_is_laid_out_lazily_and_identically_to_first_fit() {
        let words = [
            "sécurité",
            "le",
            "canicule",
            "cœur",
            "一二三四五六七八九十",
            "x",
        ];
        let text: String = (0..80_000)
            .map(|i| words[i * 7 % words.len()])
            .collect::<Vec<_>>()
            .join(" ");
        let a = article(&format!("Titre.\n{text}"));
        let mut layout = Typeset::new(&a.0, &a.1, 58, Vec::new(), Typesetting::default());
        layout.extend_to(&a.1, 30);
        assert!(layout.lines().len() < 2_000, "only a piece was wrapped");
        assert!(!layout.is_complete());
        let estimate = layout.estimated_len();
        layout.complete(&a.1);
        let exact = layout.lines().len();
        assert!(
            estimate.abs_diff(exact) * 10 < exact,
            "{estimate} vs {exact}"
        );
        // Piecewise wrapping gives the same lines as wrapping the paragraph in one go.
        let whole: Vec<String> = wrap(&text, 58, "", "", Fit::First, &WordSplitter::HyphenSplitter)
            .into_iter()
            .map(|(_, line)| line)
            .collect();
        let body_start = layout.lines().len() - whole.len();
        assert_eq!(plain(&layout.lines()[body_start..]), whole);
    }
}
