//! Accent- and case-insensitive folding of text for search: `SÉCURITÉ`, `sécurité` and
//! `securite` all fold to `securite`, `œ` to `oe`.
//!
//! Folding is defined one character at a time, so a position in folded text can always be
//! traced back to the character of the original text it came from (used to highlight matches).

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Folds `text` into a new string.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(text, &mut out);
    out
}

/// Appends the folded form of `text` to `out`.
pub fn fold_into(text: &str, out: &mut String) {
    for c in text.chars() {
        fold_char(c, out);
    }
}

/// Appends the folded form of one character to `out` (possibly nothing, possibly several
/// characters: `œ` gives `oe`, a lone combining accent gives nothing).
pub fn fold_char(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    if let Some(plain) = latin_letter(c) {
        out.push(plain);
        return;
    }
    match c {
        'œ' | 'Œ' => out.push_str("oe"),
        'æ' | 'Æ' => out.push_str("ae"),
        'ß' | 'ẞ' => out.push_str("ss"),
        'ø' | 'Ø' => out.push('o'),
        'đ' | 'Đ' => out.push('d'),
        'ł' | 'Ł' => out.push('l'),
        // Typographic apostrophes and quotes fold to their ASCII forms so that `l'armee`
        // finds `l’armée`.
        '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{2032}' => out.push('\''),
        '\u{2010}' | '\u{2011}' => out.push('-'),
        // Non-breaking and narrow spaces, common before French punctuation.
        '\u{00A0}' | '\u{202F}' | '\u{2009}' | '\u{2007}' => out.push(' '),
        _ => {
            // Compatibility decomposition splits accents off (`é` → `e` + U+0301) and
            // expands ligatures (`ﬁ` → `fi`); the marks are then dropped.
            for d in std::iter::once(c).nfkd() {
                if is_combining_mark(d) {
                    continue;
                }
                for l in d.to_lowercase() {
                    out.push(l);
                }
            }
        }
    }
}

/// The folded form of the accented Latin letters French uses most, without going through
/// Unicode decomposition (the same result, measured several times faster on French text).
fn latin_letter(c: char) -> Option<char> {
    Some(match c {
        'à' | 'â' | 'ä' | 'á' | 'ã' | 'å' | 'À' | 'Â' | 'Ä' | 'Á' | 'Ã' | 'Å' => 'a',
        'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'e',
        'î' | 'ï' | 'í' | 'ì' | 'Î' | 'Ï' | 'Í' | 'Ì' => 'i',
        'ô' | 'ö' | 'ó' | 'ò' | 'õ' | 'Ô' | 'Ö' | 'Ó' | 'Ò' | 'Õ' => 'o',
        'ù' | 'û' | 'ü' | 'ú' | 'Ù' | 'Û' | 'Ü' | 'Ú' => 'u',
        'ç' | 'Ç' => 'c',
        'ÿ' | 'ý' | 'Ÿ' | 'Ý' => 'y',
        'ñ' | 'Ñ' => 'n',
        _ => return None,
    })
}

/// True when `c` can be part of a word for prefix matching.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Calls `word` with each word of `text`, folded: the runs of letters and digits left once
/// the text is folded (`L’Armée` gives `l` then `armee`). `scratch` is reused between calls.
pub fn for_each_word(text: &str, scratch: &mut String, mut word: impl FnMut(&str)) {
    for_each_word_at(text, scratch, |w, _| word(w));
}

/// As [`for_each_word`], with the bytes of `text` each word was folded from: what a match
/// highlights (`SÉCURITÉ` for `securite`).
pub fn for_each_word_at(
    text: &str,
    scratch: &mut String,
    mut word: impl FnMut(&str, std::ops::Range<usize>),
) {
    let mut folded = String::new();
    scratch.clear();
    let bytes = text.as_bytes();
    let (mut start, mut at) = (0, 0);
    while at < bytes.len() {
        let b = bytes[at];
        // Most of a French text is ASCII: handle it a byte at a time.
        if b.is_ascii() {
            if b.is_ascii_alphanumeric() {
                if scratch.is_empty() {
                    start = at;
                }
                scratch.push(char::from(b.to_ascii_lowercase()));
            } else if !scratch.is_empty() {
                word(scratch, start..at);
                scratch.clear();
            }
            at += 1;
            continue;
        }
        let Some(c) = text[at..].chars().next() else {
            break;
        };
        let here = at;
        at += c.len_utf8();
        if let Some(plain) = latin_letter(c) {
            if scratch.is_empty() {
                start = here;
            }
            scratch.push(plain);
            continue;
        }
        folded.clear();
        fold_char(c, &mut folded);
        for f in folded.chars() {
            if is_word_char(f) {
                if scratch.is_empty() {
                    start = here;
                }
                scratch.push(f);
            } else if !scratch.is_empty() {
                // A word ends before this character, unless the character began it.
                word(scratch, start..if start == here { at } else { here });
                scratch.clear();
            }
        }
    }
    if !scratch.is_empty() {
        word(scratch, start..bytes.len());
        scratch.clear();
    }
}

/// The folded words of `text`, as owned strings (for queries and tests).
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_word(text, &mut String::new(), |w| out.push(w.to_owned()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_know_where_they_came_from() {
        let text = "L’ARMÉE «cœur» naïve, 1 000.";
        let mut found = Vec::new();
        for_each_word_at(text, &mut String::new(), |w, at| {
            found.push((w.to_owned(), &text[at]));
        });
        let expected = [
            ("l", "L"),
            ("armee", "ARMÉE"),
            ("coeur", "cœur"),
            ("naive", "naïve"),
            ("1", "1"),
            ("000", "000"),
        ];
        let expected: Vec<(String, &str)> = expected
            .iter()
            .map(|(w, o)| ((*w).to_owned(), *o))
            .collect();
        assert_eq!(found, expected);
    }

    #[test]
    fn folds_case_and_accents() {
        assert_eq!(fold("SÉCURITÉ"), "securite");
        assert_eq!(fold("Sécurité"), "securite");
        assert_eq!(fold("Noël à l’hôpital"), "noel a l'hopital");
        assert_eq!(fold("naïf, ça, où"), "naif, ca, ou");
    }

    #[test]
    fn folds_ligatures() {
        assert_eq!(fold("cœur Œuvre"), "coeur oeuvre");
        assert_eq!(fold("Lætitia"), "laetitia");
        assert_eq!(fold("ﬁn"), "fin");
        assert_eq!(fold("Straße"), "strasse");
    }

    #[test]
    fn the_latin_shortcut_agrees_with_decomposition() {
        for c in "àâäáãåÀÂÄÁÃÅéèêëÉÈÊËîïíìÎÏÍÌôöóòõÔÖÓÒÕùûüúÙÛÜÚçÇÿýŸÝñÑ".chars()
        {
            let mut slow = String::new();
            for d in std::iter::once(c).nfkd() {
                if !is_combining_mark(d) {
                    slow.extend(d.to_lowercase());
                }
            }
            assert_eq!(latin_letter(c).map(String::from), Some(slow), "{c}");
        }
    }

    #[test]
    fn keeps_scripts_without_accents() {
        assert_eq!(fold("東京 Москва"), "東京 москва");
    }

    #[test]
    fn drops_lone_combining_marks() {
        // `e` followed by a combining acute accent (decomposed input).
        assert_eq!(fold("se\u{301}curite\u{301}"), "securite");
    }

    #[test]
    fn words_are_folded_runs_of_letters_and_digits() {
        assert_eq!(
            words("L’Armée a grimpé de 295 % !"),
            ["l", "armee", "a", "grimpe", "de", "295"]
        );
        assert_eq!(
            words("Cœur-de-Lion, GPT-4o"),
            ["coeur", "de", "lion", "gpt", "4o"]
        );
        assert_eq!(words("東京 Москва"), ["東京", "москва"]);
        assert_eq!(words("e\u{301}te\u{301}"), ["ete"]);
        assert!(words(" — … ").is_empty());
    }

    #[test]
    fn folds_spaces_and_apostrophes() {
        assert_eq!(fold("295\u{202F}%"), "295 %");
        assert_eq!(fold("l’armée"), "l'armee");
    }
}
