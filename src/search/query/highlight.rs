//! Finding a query's words in text to show them, on the original letters.

use std::ops::Range;

use crate::text::fold::for_each_word_at;

/// Finds the words of a query in text, to show them: matched on folded words, reported as
/// the bytes of the original text (`SÉCURITÉ` for `securite`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Highlighter {
    pub(super) terms: Vec<(Vec<String>, bool)>,
}

impl Highlighter {
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The byte ranges of `text` that match, in order and not overlapping; a term of
    /// several words gives one range from its first word to its last.
    pub fn find(&self, text: &str) -> Vec<Range<usize>> {
        if self.terms.is_empty() {
            return Vec::new();
        }
        let mut found: Vec<(String, Range<usize>)> = Vec::new();
        for_each_word_at(text, &mut String::new(), |w, at| {
            found.push((w.to_owned(), at))
        });
        let mut out: Vec<Range<usize>> = Vec::new();
        let mut i = 0;
        while i < found.len() {
            let hit = self.terms.iter().find_map(|(words, prefix)| {
                let (last, whole) = words.split_last()?;
                let run = found.get(i..i + words.len())?;
                let fits = run[..whole.len()].iter().zip(whole).all(|(f, w)| f.0 == *w)
                    && if *prefix {
                        run[whole.len()].0.starts_with(last.as_str())
                    } else {
                        run[whole.len()].0 == *last
                    };
                fits.then_some(words.len())
            });
            match hit {
                Some(n) => {
                    out.push(found[i].1.start..found[i + n - 1].1.end);
                    i += n;
                }
                None => i += 1,
            }
        }
        out
    }
}
