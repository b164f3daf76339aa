//! Cutting text to a number of terminal columns, only ever between graphemes.

use std::borrow::Cow;

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// `text` cut to `width` columns, ending with `…` when something was cut. Cuts only between
/// graphemes, so no accent or emoji is split.
pub fn fit(text: &str, width: usize) -> Cow<'_, str> {
    cut(text, width, false)
}

/// Cuts `text` to `width` display columns from the left, keeping its end: a path keeps the
/// folders nearest the articles (`…/shared/seeds`), which say the most about them.
pub fn fit_tail(text: &str, width: usize) -> Cow<'_, str> {
    cut(text, width, true)
}

/// `text` in `width` columns, `…` standing for what was cut at its end, or at its start
/// when `keep_end`; only between graphemes.
fn cut(text: &str, width: usize, keep_end: bool) -> Cow<'_, str> {
    if text.width() <= width {
        return Cow::Borrowed(text);
    }
    if width == 0 {
        return Cow::Borrowed("");
    }
    let graphemes: Box<dyn Iterator<Item = &str>> = if keep_end {
        Box::new(text.graphemes(true).rev())
    } else {
        Box::new(text.graphemes(true))
    };
    let mut kept = Vec::new();
    let mut used = 0;
    for g in graphemes {
        let w = g.width();
        if used + w > width - 1 {
            break;
        }
        kept.push(g);
        used += w;
    }
    if keep_end {
        kept.reverse();
        Cow::Owned(format!("…{}", kept.concat()))
    } else {
        Cow::Owned(format!("{}…", kept.concat()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_cuts_by_display_width() {
        assert_eq!(fit("sécurité", 8), "sécurité");
        assert_eq!(fit("sécurité", 5), "sécu…");
        assert_eq!(fit("東京タワー", 5), "東京…");
        assert_eq!(fit("abc", 0), "");
        assert_eq!(fit("abc", 1), "…");
    }

    #[test]
    fn fit_tail_keeps_the_end() {
        assert_eq!(fit_tail("/home/léa/news", 14), "/home/léa/news");
        assert_eq!(fit_tail("/home/léa/news", 8), "…éa/news");
        assert_eq!(fit_tail("東京/タワー", 5), "…ワー");
        assert_eq!(fit_tail("abc", 0), "");
        assert_eq!(fit_tail("abc", 1), "…");
    }
}
