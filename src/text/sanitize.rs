//! Turns untrusted article text into text that is safe to draw: no character of an article
//! ever reaches the terminal as a control code, and invisible characters that could hide or
//! reorder text are made visible.
//!
//! Controls become caret notation (`^[` for ESC, `^?` for DEL), C1 controls and bidi or
//! invisible format characters become `<U+202E>`-style markers, tabs are expanded to the
//! next 8-column stop. Newlines never reach this module: the parser splits lines first.

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

const TAB_STOP: usize = 8;

/// Where the text is shown: titles mark everything, bodies drop soft hyphens (a legitimate
/// hyphenation hint that is invisible in a body but could hide text inside a title).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    Title,
    Body,
}

/// What to do with one character.
enum Fate {
    Keep,
    Drop,
    Caret(char),
    Marker,
}

fn fate(c: char, place: Place) -> Fate {
    match c {
        '\u{0}'..='\u{1f}' => Fate::Caret(char::from(c as u8 ^ 0x40)),
        '\u{7f}' => Fate::Caret('?'),
        '\u{80}'..='\u{9f}' => Fate::Marker,
        '\u{ad}' => match place {
            Place::Title => Fate::Marker,
            Place::Body => Fate::Drop,
        },
        // Zero-width spaces and joiners, bidi marks and embeddings, isolates, line and
        // paragraph separators, invisible operators, the deprecated format characters, the
        // Arabic letter mark and the byte order mark.
        '\u{200b}'..='\u{200f}'
        | '\u{2028}'..='\u{202e}'
        | '\u{2060}'..='\u{206f}'
        | '\u{061c}'
        | '\u{180e}'
        | '\u{feff}'
        | '\u{fff9}'..='\u{fffb}' => Fate::Marker,
        _ => Fate::Keep,
    }
}

/// Characters that extend the one before them in a grapheme: combining marks, variation
/// selectors, joiners, emoji skin tones and emoji tags.
fn is_extend(c: char) -> bool {
    unicode_normalization::char::is_combining_mark(c)
        || matches!(
            c,
            '\u{fe00}'..='\u{fe0f}'
                | '\u{200c}'
                | '\u{200d}'
                | '\u{1f3fb}'..='\u{1f3ff}'
                | '\u{e0020}'..='\u{e007f}'
        )
}

/// True when `c` is a character this module never lets through as it is.
pub fn is_unsafe(c: char) -> bool {
    !matches!(fate(c, Place::Title), Fate::Keep)
}

/// Returns `line` made safe for the terminal. `line` holds no newline.
pub fn sanitize(line: &str, place: Place) -> String {
    if !line.chars().any(is_unsafe) {
        return line.to_owned();
    }
    let mut out = String::with_capacity(line.len() + 8);
    for grapheme in line.graphemes(true) {
        let mut chars = grapheme.chars().peekable();
        while let Some(c) = chars.next() {
            // A zero-width joiner inside an emoji sequence (👨‍👩‍👧) joins two pictographs
            // into one glyph and is kept; anywhere else it is invisible and gets a marker.
            // Within one grapheme, only a pictograph may follow a joiner that is not merely
            // extending the character before it (UAX #29, rule GB11).
            if c == '\u{200d}' && chars.peek().is_some_and(|&next| !is_extend(next)) {
                out.push(c);
                continue;
            }
            match fate(c, place) {
                Fate::Keep => out.push(c),
                Fate::Drop => {}
                Fate::Caret('I') => {
                    let col = out.width();
                    let spaces = TAB_STOP - col % TAB_STOP;
                    out.extend(std::iter::repeat_n(' ', spaces));
                }
                Fate::Caret(shown) => {
                    out.push('^');
                    out.push(shown);
                }
                Fate::Marker => {
                    use std::fmt::Write;
                    let _ = write!(out, "<U+{:04X}>", u32::from(c));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_unchanged() {
        assert_eq!(sanitize("Sécurité « ok »", Place::Body), "Sécurité « ok »");
    }

    #[test]
    fn escape_sequences_become_visible() {
        assert_eq!(
            sanitize("a\u{1b}[31mred\u{1b}]0;title\u{7}", Place::Title),
            "a^[[31mred^[]0;title^G"
        );
        assert_eq!(sanitize("del\u{7f}", Place::Body), "del^?");
        assert_eq!(sanitize("nul\u{0}", Place::Body), "nul^@");
    }

    #[test]
    fn c1_and_bidi_become_markers() {
        assert_eq!(sanitize("x\u{9b}31m", Place::Body), "x<U+009B>31m");
        assert_eq!(sanitize("abc\u{202e}fed", Place::Title), "abc<U+202E>fed");
        assert_eq!(
            sanitize("\u{2066}x\u{2069}", Place::Body),
            "<U+2066>x<U+2069>"
        );
        assert_eq!(
            sanitize("zero\u{200b}width", Place::Body),
            "zero<U+200B>width"
        );
        assert_eq!(sanitize("\u{feff}bom", Place::Body), "<U+FEFF>bom");
    }

    #[test]
    fn soft_hyphen_is_marked_in_titles_and_dropped_in_bodies() {
        assert_eq!(sanitize("sécu\u{ad}rité", Place::Title), "sécu<U+00AD>rité");
        assert_eq!(sanitize("sécu\u{ad}rité", Place::Body), "sécurité");
    }

    #[test]
    fn tabs_expand_to_the_next_stop() {
        assert_eq!(sanitize("ab\tc", Place::Body), "ab      c");
        assert_eq!(sanitize("\tc", Place::Body), "        c");
        assert_eq!(sanitize("été\tx", Place::Body), "été     x");
    }

    #[test]
    fn emoji_joiners_are_kept_but_lone_joiners_are_marked() {
        let family = "👨\u{200d}👩\u{200d}👧";
        assert_eq!(sanitize(family, Place::Title), family);
        assert_eq!(sanitize("a\u{200d}", Place::Title), "a<U+200D>");
        assert_eq!(
            sanitize("a\u{200d}\u{301}", Place::Body),
            "a<U+200D>\u{301}"
        );
        assert_eq!(sanitize("a\u{200d}b", Place::Body), "a<U+200D>b");
    }

    #[test]
    fn a_joiner_before_a_skin_tone_after_a_letter_is_marked() {
        // The skin tone extends the joiner's grapheme, so it says nothing of an emoji
        // sequence: the joiner joins nothing and would be invisible.
        assert_eq!(
            sanitize("a\u{200d}\u{1f3ff}", Place::Body),
            "a<U+200D>\u{1f3ff}"
        );
        // A real sequence keeps it: man, dark skin tone, joiner, curly hair.
        let man = "\u{1f468}\u{1f3ff}\u{200d}\u{1f9b1}";
        assert_eq!(sanitize(man, Place::Body), man);
    }
}
