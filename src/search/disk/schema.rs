//! What the disk index holds of each article (its fields) and kiosque's one definition of a
//! word as a tantivy tokenizer.

use tantivy::schema::{
    BytesOptions, FAST, Field, INDEXED, IndexRecordOption, STORED, Schema, TextFieldIndexing,
    TextOptions,
};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::text::fold::for_each_word_at;

/// The name the tokenizer is registered under, in the schema and in every opened index.
pub const TOKENIZER: &str = "kiosque-fold";

/// The fields of the schema, looked up once.
#[derive(Clone, Copy, Debug)]
pub struct Fields {
    /// The file's path, bytes as the system gives them.
    pub path: Field,
    /// The key of a document: the 64-bit XXH3 of its path bytes, a fast column, so that
    /// matching 100,000 documents to the list's articles is a pass over a column.
    pub key: Field,
    /// The title's words, with positions; the title itself is stored for the list.
    pub title: Field,
    /// The body's words, with positions for phrases; not stored (the file is the text).
    pub body: Field,
    /// Days since 0001-01-01 of the article's first day, or -1 when undated.
    pub date: Field,
    /// 0 undated, 1 a day, 2 a month.
    pub precision: Field,
    /// The file's size and modification time when indexed: a changed stamp means re-index.
    pub size: Field,
    pub modified: Field,
    /// The article's fingerprint (what marks know it by), in two halves.
    pub fingerprint_high: Field,
    pub fingerprint_low: Field,
    /// How many words the body has.
    pub words: Field,
}

/// The schema and its fields.
pub fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let words = |stored: bool| {
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions);
        let options = TextOptions::default().set_indexing_options(indexing);
        if stored {
            options.set_stored()
        } else {
            options
        }
    };
    let fields = Fields {
        path: builder.add_bytes_field("path", BytesOptions::default().set_stored()),
        key: builder.add_u64_field("key", FAST | INDEXED),
        title: builder.add_text_field("title", words(true)),
        body: builder.add_text_field("body", words(false)),
        date: builder.add_i64_field("date", FAST | STORED | INDEXED),
        precision: builder.add_u64_field("precision", FAST | STORED),
        size: builder.add_u64_field("size", FAST | STORED),
        modified: builder.add_i64_field("modified", FAST | STORED),
        fingerprint_high: builder.add_u64_field("fingerprint_high", FAST | STORED),
        fingerprint_low: builder.add_u64_field("fingerprint_low", FAST | STORED),
        words: builder.add_u64_field("words", FAST | STORED),
    };
    (builder.build(), fields)
}

/// kiosque's words as tantivy tokens: the same folding, the same splitting (`l’Armée` is
/// `l` then `armee`), so the index, the live filter and the highlighter always agree.
#[derive(Clone, Default)]
pub struct FoldTokenizer {
    scratch: String,
    /// The folded words of the current text, one after the other, and where each one is
    /// in it and came from: one buffer for the whole text, not a string per word.
    words: String,
    spans: Vec<Span>,
}

/// One word of a text: its bytes in the folded buffer, and in the text it came from.
#[derive(Clone, Copy, Default)]
struct Span {
    folded: (usize, usize),
    from: (usize, usize),
}

/// The tokens of one text, folded ahead (a text is one field of one article).
pub struct FoldTokens<'a> {
    words: &'a str,
    spans: std::slice::Iter<'a, Span>,
    current: Token,
}

impl Tokenizer for FoldTokenizer {
    type TokenStream<'a> = FoldTokens<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> FoldTokens<'a> {
        self.words.clear();
        self.spans.clear();
        let (words, spans) = (&mut self.words, &mut self.spans);
        for_each_word_at(text, &mut self.scratch, |word, at| {
            let start = words.len();
            words.push_str(word);
            spans.push(Span {
                folded: (start, words.len()),
                from: (at.start, at.end),
            });
        });
        FoldTokens {
            words: &self.words,
            spans: self.spans.iter(),
            current: Token {
                position: usize::MAX,
                ..Token::default()
            },
        }
    }
}

impl TokenStream for FoldTokens<'_> {
    fn advance(&mut self) -> bool {
        let Some(span) = self.spans.next() else {
            return false;
        };
        let token = &mut self.current;
        token.text.clear();
        token
            .text
            .push_str(&self.words[span.folded.0..span.folded.1]);
        token.offset_from = span.from.0;
        token.offset_to = span.from.1;
        token.position = token.position.wrapping_add(1);
        token.position_length = 1;
        true
    }

    fn token(&self) -> &Token {
        &self.current
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.current
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_kiosque_words_in_order() {
        let mut tokenizer = FoldTokenizer::default();
        let mut stream = tokenizer.token_stream("L’Armée, le CŒUR!");
        let mut seen = Vec::new();
        while stream.advance() {
            let t = stream.token();
            seen.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
        }
        assert_eq!(
            seen,
            [
                ("l".to_owned(), 0, 0, 1),
                ("armee".to_owned(), 1, 4, 10),
                ("le".to_owned(), 2, 12, 14),
                ("coeur".to_owned(), 3, 15, 20),
            ]
        );
    }
}
