//! Answering the query language from the disk index: the articles holding a word, a word
//! prefix (a range of the term dictionary) or a phrase (positions), and BM25 relevance.

use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader, Term};

use super::{Phrase, Snapshot, segments};
use crate::search::index::Bitset;

/// At most this many words of a prefix's range take part in its relevance (the rarest
/// prefixes expand to a few words; a one-letter prefix to thousands).
const RANKED_EXPANSIONS: usize = 32;

/// Prefixes up to this many letters have their article sets kept once looked up.
const SHORT_PREFIX: usize = 2;

/// How much more a word counts in the title than in the body.
const TITLE_BOOST: Score = 2.0;

impl Snapshot {
    /// The articles holding the words in a row (the last a prefix when `prefix`), in their
    /// title or their body.
    pub fn matching(&self, words: &[String], prefix: bool, title: bool) -> tantivy::Result<Bitset> {
        let field = if title {
            self.fields.title
        } else {
            self.fields.body
        };
        match words {
            [] => Ok(Bitset::full(self.len)),
            [word] => self.word_set(field, word, prefix),
            _ => {
                let collector = SetCollector {
                    positions: self.positions.clone(),
                };
                let found = match self.phrase(field, words, prefix) {
                    Phrase::Whole(q) => self.searcher.search(&q, &collector)?,
                    Phrase::Prefix(q) => self.searcher.search(&q, &collector)?,
                };
                Ok(self.set_of(found))
            }
        }
    }

    /// The articles holding `word` exactly, or a word starting with it: the postings of a
    /// range of the term dictionary.
    fn word_set(&self, field: Field, word: &str, prefix: bool) -> tantivy::Result<Bitset> {
        if !prefix || word.chars().count() > SHORT_PREFIX {
            return self.range_set(field, word, prefix);
        }
        let key = (field, Box::from(word));
        if let Some(set) = self.short.lock().ok().and_then(|s| s.get(&key).cloned()) {
            return Ok(set);
        }
        let set = self.range_set(field, word, prefix)?;
        if let Ok(mut short) = self.short.lock() {
            short.insert(key, set.clone());
        }
        Ok(set)
    }

    fn range_set(&self, field: Field, word: &str, prefix: bool) -> tantivy::Result<Bitset> {
        let mut set = Bitset::empty(self.len);
        for (ord, segment) in segments(&self.searcher) {
            let inverted = segment.inverted_index(field)?;
            let mut terms = inverted.terms().range().ge(word.as_bytes()).into_stream()?;
            let mut reused = None;
            while terms.advance() {
                let key = terms.key();
                let inside = if prefix {
                    key.starts_with(word.as_bytes())
                } else {
                    key == word.as_bytes()
                };
                if !inside {
                    break;
                }
                // One block reader per segment, reset for each word: a short prefix's
                // range holds thousands of words, most of them in one or two articles.
                let block = match &mut reused {
                    Some(block) => {
                        inverted.reset_block_postings_from_terminfo(terms.value(), block)?;
                        block
                    }
                    None => reused.insert(inverted.read_block_postings_from_terminfo(
                        terms.value(),
                        IndexRecordOption::Basic,
                    )?),
                };
                loop {
                    let docs = block.docs();
                    if docs.is_empty() {
                        break;
                    }
                    for &doc in docs {
                        if let Some(at) = self.position(ord, doc) {
                            set.insert(at);
                        }
                    }
                    block.advance();
                }
            }
        }
        Ok(set)
    }

    fn set_of(&self, found: Vec<Vec<u32>>) -> Bitset {
        let mut set = Bitset::empty(self.len);
        for at in found.into_iter().flatten() {
            set.insert(at as usize);
        }
        set
    }

    /// The relevance of every article for `terms` (words, last a prefix, title only), by
    /// corpus position: BM25, a match in the title counting [`TITLE_BOOST`] times.
    pub fn scores(&self, terms: &[(Vec<String>, bool, bool)]) -> tantivy::Result<Vec<Score>> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (words, prefix, title) in terms {
            if !title {
                clauses.push((
                    Occur::Should,
                    self.scored(self.fields.body, words, *prefix)?,
                ));
            }
            let in_title = self.scored(self.fields.title, words, *prefix)?;
            clauses.push((
                Occur::Should,
                Box::new(BoostQuery::new(in_title, TITLE_BOOST)),
            ));
        }
        let collector = ScoreCollector {
            positions: self.positions.clone(),
        };
        let found = self
            .searcher
            .search(&BooleanQuery::new(clauses), &collector)?;
        let mut scores = vec![0.0; self.len];
        for (at, score) in found.into_iter().flatten() {
            scores[at as usize] = score;
        }
        Ok(scores)
    }

    /// A query scoring one term in `field`.
    fn scored(
        &self,
        field: Field,
        words: &[String],
        prefix: bool,
    ) -> tantivy::Result<Box<dyn Query>> {
        Ok(match words {
            [] => Box::new(BooleanQuery::new(Vec::new())),
            [word] if prefix => {
                let mut expansions = Vec::new();
                'segments: for (_, segment) in segments(&self.searcher) {
                    let inverted = segment.inverted_index(field)?;
                    let mut keys = inverted.terms().range().ge(word.as_bytes()).into_stream()?;
                    while keys.advance() && keys.key().starts_with(word.as_bytes()) {
                        if !expansions.iter().any(|k: &Vec<u8>| k == keys.key()) {
                            if expansions.len() == RANKED_EXPANSIONS {
                                break 'segments;
                            }
                            expansions.push(keys.key().to_vec());
                        }
                    }
                }
                let clauses = expansions
                    .into_iter()
                    .map(|key| {
                        let term = Term::from_field_text(field, &String::from_utf8_lossy(&key));
                        let query: Box<dyn Query> =
                            Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs));
                        (Occur::Should, query)
                    })
                    .collect();
                Box::new(BooleanQuery::new(clauses))
            }
            [word] => Box::new(TermQuery::new(
                Term::from_field_text(field, word),
                IndexRecordOption::WithFreqs,
            )),
            _ => match self.phrase(field, words, prefix) {
                Phrase::Whole(q) => Box::new(q),
                Phrase::Prefix(q) => Box::new(q),
            },
        })
    }
}

/// Collects the corpus positions of the matching documents.
struct SetCollector {
    positions: Vec<Arc<[u32]>>,
}

struct SegmentSet {
    positions: Arc<[u32]>,
    found: Vec<u32>,
}

impl Collector for SetCollector {
    type Fruit = Vec<Vec<u32>>;
    type Child = SegmentSet;

    fn for_segment(&self, ord: SegmentOrdinal, _: &SegmentReader) -> tantivy::Result<SegmentSet> {
        Ok(SegmentSet {
            positions: self
                .positions
                .get(ord as usize)
                .cloned()
                .unwrap_or_else(|| Arc::from([])),
            found: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Vec<u32>>) -> tantivy::Result<Vec<Vec<u32>>> {
        Ok(fruits)
    }
}

impl SegmentCollector for SegmentSet {
    type Fruit = Vec<u32>;

    fn collect(&mut self, doc: DocId, _: Score) {
        if let Some(&at) = self.positions.get(doc as usize) {
            if at != super::NOWHERE {
                self.found.push(at);
            }
        }
    }

    fn harvest(self) -> Vec<u32> {
        self.found
    }
}

/// Collects the score of every matching document, by corpus position.
struct ScoreCollector {
    positions: Vec<Arc<[u32]>>,
}

struct SegmentScores {
    positions: Arc<[u32]>,
    found: Vec<(u32, Score)>,
}

impl Collector for ScoreCollector {
    type Fruit = Vec<Vec<(u32, Score)>>;
    type Child = SegmentScores;

    fn for_segment(
        &self,
        ord: SegmentOrdinal,
        _: &SegmentReader,
    ) -> tantivy::Result<SegmentScores> {
        Ok(SegmentScores {
            positions: self
                .positions
                .get(ord as usize)
                .cloned()
                .unwrap_or_else(|| Arc::from([])),
            found: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(
        &self,
        fruits: Vec<Vec<(u32, Score)>>,
    ) -> tantivy::Result<Vec<Vec<(u32, Score)>>> {
        Ok(fruits)
    }
}

impl SegmentCollector for SegmentScores {
    type Fruit = Vec<(u32, Score)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        if let Some(&at) = self.positions.get(doc as usize) {
            if at != super::NOWHERE {
                self.found.push((at, score));
            }
        }
    }

    fn harvest(self) -> Vec<(u32, Score)> {
        self.found
    }
}
