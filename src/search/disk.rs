//! The full-text index kept on disk (tantivy), derived from the article files: opened in
//! a millisecond, brought up to date file by file, shared by every kiosque on the folders.
//!
//! It lives in the cache folder, one per set of folders, like the list cache. Being derived
//! data, an index that cannot be opened (deleted, damaged, written by another version) is
//! removed and rebuilt with a note, never trusted. Several kiosque processes may use it: one
//! writes at a time (tantivy's writer lock), the others read and pick up its commits. Every
//! commit is atomic, so a kiosque killed while indexing leaves the last commit intact.

mod alike;
mod lookup;
mod schema;
mod sync;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use tantivy::directory::MmapDirectory;
use tantivy::query::{PhrasePrefixQuery, PhraseQuery};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocId, Index, IndexReader, ReloadPolicy, Searcher, SegmentReader};

use crate::corpus::{Article, Corpus, Fingerprint};
use crate::search::index::Bitset;
use crate::store::cache::Stamp;
use schema::{FoldTokenizer, TOKENIZER};
use tantivy::schema::Field;

pub use schema::Fields;
pub use sync::{Changes, stamps};

/// Bumped whenever the schema or the meaning of a field changes: an index of another
/// format sits in another folder and is never opened.
const FORMAT: u32 = 4;

/// Why the disk index could not be used. The message leaves the folder out: the warning
/// that carries it names the folder already.
#[derive(Debug, thiserror::Error)]
pub enum DiskError {
    #[error("the search index cannot be used: {source}")]
    Tantivy {
        path: String,
        source: tantivy::TantivyError,
    },
    #[error("the search index cannot be used: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    /// Another kiosque is writing the index: it will commit what this one needs.
    #[error("another kiosque is updating the search index")]
    Busy,
}

/// The folder of the index for the list cache file `list_cache` (both are per set of
/// folders): `index-v4-HASH` beside `list-HASH.bin`.
pub fn dir_for(list_cache: &Path) -> PathBuf {
    let stem = list_cache
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let hash = stem.strip_prefix("list-").unwrap_or(&stem);
    let parent = list_cache.parent().unwrap_or(Path::new("."));
    parent.join(format!("index-v{FORMAT}-{hash}"))
}

/// How many times an index that fails to open is opened again before being rebuilt.
const ATTEMPTS: usize = 3;

/// How long to wait between two attempts.
const RETRY_AFTER: std::time::Duration = std::time::Duration::from_millis(50);

/// An opened disk index.
pub struct DiskIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    dir: PathBuf,
}

impl DiskIndex {
    /// Opens the index in `dir`, creating it if need be. One that cannot be opened is
    /// removed and created again: the note says so, for the status bar or stderr.
    pub fn open(dir: &Path) -> Result<(DiskIndex, Option<String>), DiskError> {
        let mut failed = None;
        // Another kiosque may commit and remove the files of the segments it merged away
        // between our reading of the list of segments and our opening them: look again
        // before calling the index damaged and removing it.
        for _ in 0..ATTEMPTS {
            match Self::try_open(dir) {
                Ok(index) => return Ok((index, None)),
                Err(err) => failed = Some(err),
            }
            std::thread::sleep(RETRY_AFTER);
        }
        let note = failed.map(|err| format!("{err}; it is rebuilt"));
        let _ = std::fs::remove_dir_all(dir);
        Ok((Self::try_open(dir)?, note))
    }

    fn try_open(dir: &Path) -> Result<DiskIndex, DiskError> {
        let path = dir.display().to_string();
        let io = |source| DiskError::Io {
            path: path.clone(),
            source,
        };
        let tantivy = |source| DiskError::Tantivy {
            path: path.clone(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(io)?;
        let directory = MmapDirectory::open(dir).map_err(|e| tantivy(e.into()))?;
        let (schema, fields) = schema::schema();
        let index = Index::open_or_create(directory, schema).map_err(tantivy)?;
        index
            .tokenizers()
            .register(TOKENIZER, TextAnalyzer::from(FoldTokenizer::default()));
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()
            .map_err(tantivy)?;
        let opened = DiskIndex {
            index,
            reader,
            fields,
            dir: dir.to_path_buf(),
        };
        // Open every segment's columns and word lists once: a missing or damaged file shows
        // here, not mid-query.
        opened.check().map_err(tantivy)?;
        Ok(opened)
    }

    fn error(&self, source: tantivy::TantivyError) -> DiskError {
        DiskError::Tantivy {
            path: self.dir.display().to_string(),
            source,
        }
    }

    /// How many articles the index holds now.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// True when the index holds no article.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// What the index knows of `corpus` now, for queries: the search is over this one
    /// commit, whatever is written meanwhile. The corpus's articles get their fingerprints
    /// and word counts from it.
    pub fn snapshot(&self, corpus: &mut Corpus) -> Result<Snapshot, DiskError> {
        let (snapshot, known) = self.snapshot_of(corpus, None)?;
        known.apply(corpus);
        Ok(snapshot)
    }

    /// As [`DiskIndex::snapshot`], without changing `corpus`: what the index knows of its
    /// articles comes apart, to give them once the corpus can be changed. With `stamps` (by
    /// article), a document indexed from a file of another stamp does not count: the
    /// article is read by the query instead, as one the index does not hold.
    pub fn snapshot_of(
        &self,
        corpus: &Corpus,
        stamps: Option<&[Stamp]>,
    ) -> Result<(Snapshot, Known), DiskError> {
        let _ = self.reader.reload();
        let searcher = self.reader.searcher();
        // The list's articles by key, sorted: each segment's documents, sorted the same way,
        // are matched to them in one merge. A hash table looked up at random cost most of
        // the time at a million articles.
        let mut by_key: Vec<(u64, u32)> = (corpus.articles)
            .par_iter()
            .enumerate()
            .map(|(i, article)| (sync::key(&article.path), i as u32))
            .collect();
        by_key.par_sort_unstable();
        // Two paths of one key (odds of 1 in 10^7 at a million articles): neither is
        // trusted to the index, both are read instead.
        let shared = |k: usize| {
            let key = by_key[k].0;
            (k > 0 && by_key[k - 1].0 == key) || by_key.get(k + 1).is_some_and(|n| n.0 == key)
        };
        let by_key: Vec<(u64, u32)> = (0..by_key.len())
            .filter(|&k| !shared(k))
            .map(|k| by_key[k])
            .collect();
        let matched = searcher
            .segment_readers()
            .par_iter()
            .map(|segment| self.match_segment(segment, &by_key, &corpus.articles, stamps))
            .collect::<tantivy::Result<Vec<_>>>()
            .map_err(|e| self.error(e))?;
        drop(by_key);
        let mut positions = Vec::with_capacity(matched.len());
        let mut known = vec![false; corpus.articles.len()];
        let mut found = Vec::with_capacity(matched.len());
        for (map, segment_found) in matched {
            for &at in map.iter().filter(|&&at| at != NOWHERE) {
                known[at as usize] = true;
            }
            found.push(segment_found);
            positions.push(Arc::from(map));
        }
        let missing = known
            .iter()
            .enumerate()
            .filter(|(_, k)| !**k)
            .map(|(i, _)| i)
            .collect();
        let snapshot = Snapshot {
            searcher,
            fields: self.fields,
            positions,
            len: corpus.articles.len(),
            missing,
            short: Arc::default(),
        };
        Ok((snapshot, Known(found)))
    }

    /// The position in the list of each document of `segment` (or [`NOWHERE`]), and what the
    /// index knows of the articles found that they do not know yet (the list cache keeps
    /// fingerprints and word counts too): `by_key` is the list's `articles` by key, sorted. A
    /// document indexed from a file of another stamp than `stamps` gives is not taken.
    #[allow(clippy::type_complexity)]
    fn match_segment(
        &self,
        segment: &SegmentReader,
        by_key: &[(u64, u32)],
        articles: &[Article],
        stamps: Option<&[Stamp]>,
    ) -> tantivy::Result<(Vec<u32>, Vec<(usize, Fingerprint, usize)>)> {
        let mut docs: Vec<(u64, DocId)> = Vec::with_capacity(segment.num_docs() as usize);
        sync::each_doc(segment, &self.fields, |doc, key| docs.push((key, doc)))?;
        docs.par_sort_unstable();
        let mut map = vec![NOWHERE; segment.max_doc() as usize];
        let (mut a, mut d) = (0, 0);
        while let (Some(&(article_key, at)), Some(&(doc_key, doc))) = (by_key.get(a), docs.get(d)) {
            match article_key.cmp(&doc_key) {
                std::cmp::Ordering::Less => a += 1,
                std::cmp::Ordering::Greater => d += 1,
                std::cmp::Ordering::Equal => {
                    map[doc as usize] = at;
                    d += 1;
                }
            }
        }
        drop(docs);
        // In the order of the documents, as the columns are laid out.
        let columns = sync::Columns::of(segment, &self.fields)?;
        let mut found = Vec::new();
        for (doc, at) in map.iter_mut().enumerate() {
            if *at == NOWHERE {
                continue;
            }
            let (doc, i) = (doc as DocId, *at as usize);
            let as_indexed = stamps
                .and_then(|stamps| stamps.get(i))
                .is_none_or(|&stamp| stamp == columns.stamp(doc));
            if !as_indexed {
                *at = NOWHERE;
                continue;
            }
            let (fingerprint, words) = (columns.fingerprint(doc), columns.words(doc));
            let article = &articles[i];
            // A file that could not be read when indexed has no fingerprint (see sync).
            let known = (fingerprint.0 != 0).then_some(fingerprint);
            if article.fingerprint != known || article.words != words {
                found.push((i, fingerprint, words));
            }
        }
        Ok((map, found))
    }

    /// Opens what a query and an update read of every segment: its fast columns, its keys,
    /// the dictionaries and postings of its words. Nothing is read through: at a million
    /// articles, reading every key took a tenth of `kiosque list -q`.
    fn check(&self) -> tantivy::Result<()> {
        for segment in self.reader.searcher().segment_readers() {
            sync::Columns::of(segment, &self.fields)?;
            let key = segment.schema().get_field_name(self.fields.key);
            segment.fast_fields().u64(key)?;
            for field in [self.fields.title, self.fields.body] {
                segment.inverted_index(field)?;
            }
        }
        Ok(())
    }

    /// The stamp of every article the index holds, by path.
    fn stored(&self) -> tantivy::Result<FxHashMap<u64, crate::store::cache::Stamp>> {
        let searcher = self.reader.searcher();
        let mut stored = FxHashMap::default();
        for segment in searcher.segment_readers() {
            let columns = sync::Columns::of(segment, &self.fields)?;
            sync::each_doc(segment, &self.fields, |doc, key| {
                stored.insert(key, columns.stamp(doc));
            })?;
        }
        Ok(stored)
    }
}

/// What the index knows of a corpus's articles: by position, the fingerprint of the text it
/// indexed and its word count, segment by segment.
#[derive(Clone, Debug, Default)]
pub struct Known(Vec<Vec<(usize, Fingerprint, usize)>>);

impl Known {
    /// Gives the articles of `corpus` (the one the snapshot was taken of) what the index
    /// knows of them.
    pub fn apply(self, corpus: &mut Corpus) {
        for (at, fingerprint, words) in self.0.into_iter().flatten() {
            let Some(article) = corpus.articles.get_mut(at) else {
                continue;
            };
            // A file that could not be read when indexed has no fingerprint (see sync).
            article.fingerprint = (fingerprint.0 != 0).then_some(fingerprint);
            article.words = words;
        }
    }
}

/// Article sets by field and prefix.
type ShortSets = Mutex<FxHashMap<(Field, Box<str>), Bitset>>;

/// A document that belongs to no article of the corpus (deleted, or from a newer commit).
const NOWHERE: u32 = u32::MAX;

/// One commit of the index, read against one corpus: documents are translated to the
/// corpus's positions (the list, newest first).
#[derive(Clone)]
pub struct Snapshot {
    searcher: Searcher,
    fields: Fields,
    /// For each segment, the position of each document in the corpus, or [`NOWHERE`].
    positions: Vec<Arc<[u32]>>,
    len: usize,
    /// Positions of the articles the index does not hold (a file that could not be read
    /// when indexing): the query looks at these by reading them.
    missing: Vec<usize>,
    /// The article sets of the shortest prefixes (one or two letters) once looked up, by
    /// field and prefix: their ranges hold most of the dictionary, and a user typing
    /// starts with them every time.
    short: Arc<ShortSets>,
}

impl Snapshot {
    /// The articles of the corpus the index does not hold.
    pub fn missing(&self) -> &[usize] {
        &self.missing
    }

    fn position(&self, segment: usize, doc: DocId) -> Option<usize> {
        let at = *self.positions.get(segment)?.get(doc as usize)?;
        (at != NOWHERE).then_some(at as usize)
    }

    fn phrase(&self, field: Field, words: &[String], prefix: bool) -> Phrase {
        let terms: Vec<tantivy::Term> = words
            .iter()
            .map(|w| tantivy::Term::from_field_text(field, w))
            .collect();
        if prefix {
            let mut query = PhrasePrefixQuery::new(terms);
            // Every word of the range, not tantivy's default 50: a phrase means all of them.
            // (tantivy reserves room for that many ahead, so the count must be real.)
            let last = words.last().map_or("", String::as_str);
            query.set_max_expansions(self.range_size(field, last).max(1));
            Phrase::Prefix(query)
        } else {
            Phrase::Whole(PhraseQuery::new(terms))
        }
    }
}

impl Snapshot {
    /// The most words starting with `prefix` in any one segment.
    fn range_size(&self, field: Field, prefix: &str) -> u32 {
        let mut most = 0;
        for (_, segment) in segments(&self.searcher) {
            let Ok(inverted) = segment.inverted_index(field) else {
                continue;
            };
            let Ok(mut keys) = inverted.terms().range().ge(prefix.as_bytes()).into_stream() else {
                continue;
            };
            let mut n = 0u32;
            while keys.advance() && keys.key().starts_with(prefix.as_bytes()) {
                n += 1;
            }
            most = most.max(n);
        }
        most
    }
}

/// A phrase of two words or more, the last one whole or a prefix.
enum Phrase {
    Whole(PhraseQuery),
    Prefix(PhrasePrefixQuery),
}

/// The fingerprint kept in two `u64` halves.
fn fingerprint(high: u64, low: u64) -> Fingerprint {
    Fingerprint((u128::from(high) << 64) | u128::from(low))
}

/// The segment readers are visited in order; segment `ord` is `searcher.segment_reader(ord)`.
fn segments(searcher: &Searcher) -> impl Iterator<Item = (usize, &SegmentReader)> {
    searcher.segment_readers().iter().enumerate()
}
