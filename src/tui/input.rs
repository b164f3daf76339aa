//! A one-line text editor for the filter: insert, delete and move by grapheme, so an accent
//! typed as two code points is deleted as one letter.

use unicode_segmentation::UnicodeSegmentation;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineInput {
    text: String,
    /// Byte offset of the cursor, always on a grapheme boundary.
    cursor: usize,
}

impl LineInput {
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    pub fn insert(&mut self, c: char) {
        self.text.insert(self.cursor, c);
        self.cursor += c.len_utf8();
    }

    pub fn backspace(&mut self) {
        if let Some(start) = self.previous_boundary() {
            self.text.replace_range(start..self.cursor, "");
            self.cursor = start;
        }
    }

    pub fn delete(&mut self) {
        if let Some(end) = self.next_boundary() {
            self.text.replace_range(self.cursor..end, "");
        }
    }

    pub fn left(&mut self) {
        if let Some(start) = self.previous_boundary() {
            self.cursor = start;
        }
    }

    pub fn right(&mut self) {
        if let Some(end) = self.next_boundary() {
            self.cursor = end;
        }
    }

    pub fn home(&mut self) {
        self.cursor = 0;
    }

    pub fn end(&mut self) {
        self.cursor = self.text.len();
    }

    /// Deletes back to the start of the word before the cursor, like Ctrl-W in a shell.
    pub fn delete_word(&mut self) {
        let before = &self.text[..self.cursor];
        let trimmed = before.trim_end();
        let start = trimmed.rfind(char::is_whitespace).map_or(0, |i| {
            i + trimmed[i..].chars().next().map_or(1, char::len_utf8)
        });
        self.text.replace_range(start..self.cursor, "");
        self.cursor = start;
    }

    pub fn clear(&mut self) {
        self.text.clear();
        self.cursor = 0;
    }

    /// Replaces the whole line, the cursor at its end.
    pub fn set(&mut self, text: &str) {
        self.text = text.to_owned();
        self.cursor = self.text.len();
    }

    fn previous_boundary(&self) -> Option<usize> {
        self.text[..self.cursor]
            .grapheme_indices(true)
            .next_back()
            .map(|(i, _)| i)
    }

    fn next_boundary(&self) -> Option<usize> {
        self.text[self.cursor..]
            .graphemes(true)
            .next()
            .map(|g| self.cursor + g.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(s: &str) -> LineInput {
        let mut input = LineInput::default();
        s.chars().for_each(|c| input.insert(c));
        input
    }

    #[test]
    fn typing_and_deleting() {
        let mut input = typed("sécu");
        assert_eq!((input.text(), input.cursor()), ("sécu", 5));
        input.backspace();
        assert_eq!(input.text(), "séc");
        input.left();
        input.left();
        input.delete();
        assert_eq!(input.text(), "sc");
        input.insert('é');
        assert_eq!(input.text(), "séc");
        input.home();
        input.backspace();
        assert_eq!(input.text(), "séc");
        input.end();
        input.right();
        assert_eq!(input.cursor(), 4);
    }

    #[test]
    fn a_decomposed_accent_is_one_letter() {
        let mut input = typed("se\u{301}");
        input.backspace();
        assert_eq!(input.text(), "s");
    }

    #[test]
    fn delete_word() {
        let mut input = typed("sécurité 2026-03  ");
        input.delete_word();
        assert_eq!(input.text(), "sécurité ");
        input.delete_word();
        assert_eq!(input.text(), "");
        input.delete_word();
        assert_eq!((input.text(), input.cursor()), ("", 0));
    }
}
