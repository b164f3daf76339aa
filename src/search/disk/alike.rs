//! Related articles from the index kept on disk, for a reader that keeps no words in memory:
//! the words of the article open are weighed as the in-memory related articles weigh them
//! (`1 + ln tf`, `idf = ln(1 + N / df)`; stop words, numbers, one-letter words and words too
//! common or found in no other article left out), and its strongest make one query whose
//! best matches (BM25) are its related articles.

use rustc_hash::FxHashMap;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Score, Term};

use super::Snapshot;
use crate::search::related::{MAX_DF_SHARE, MIN_DF_LIMIT, QUERY_TERMS, is_stop_word};
use crate::text::fold::for_each_word;

impl Snapshot {
    /// The `n` articles most like the one at position `own`, whose text is `text`, best
    /// first; never the article itself.
    pub fn related(&self, text: &str, own: usize, n: usize) -> tantivy::Result<Vec<usize>> {
        let mut counts: FxHashMap<String, u32> = FxHashMap::default();
        for_each_word(text, &mut String::new(), |word| {
            let mut chars = word.chars();
            let long_enough = chars.next().is_some() && chars.next().is_some();
            if long_enough && !word.chars().all(char::is_numeric) && !is_stop_word(word) {
                *counts.entry(word.to_owned()).or_default() += 1;
            }
        });
        let articles = self.searcher.num_docs().max(1);
        let df_limit = (articles / MAX_DF_SHARE as u64).max(MIN_DF_LIMIT as u64);
        let mut weighed: Vec<(Score, Term)> = Vec::new();
        for (word, tf) in counts {
            let term = Term::from_field_text(self.fields.body, &word);
            let df = self.searcher.doc_freq(&term)?;
            if df < 2 || df > df_limit {
                continue;
            }
            let idf = (1.0 + articles as f64 / df as f64).ln() as Score;
            weighed.push(((1.0 + (tf as Score).ln()) * idf, term));
        }
        weighed.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        weighed.truncate(QUERY_TERMS);
        if weighed.is_empty() {
            return Ok(Vec::new());
        }
        let clauses: Vec<(Occur, Box<dyn Query>)> = weighed
            .into_iter()
            .map(|(weight, term)| {
                let query = TermQuery::new(term, IndexRecordOption::WithFreqs);
                let boosted: Box<dyn Query> = Box::new(BoostQuery::new(Box::new(query), weight));
                (Occur::Should, boosted)
            })
            .collect();
        // A few more than asked: the article itself, and documents of files gone since.
        let found = self
            .searcher
            .search(&BooleanQuery::new(clauses), &TopDocs::with_limit(n + 8))?;
        Ok(found
            .into_iter()
            .filter_map(|(_, at)| self.position(at.segment_ord as usize, at.doc_id))
            .filter(|&at| at != own)
            .take(n)
            .collect())
    }
}
