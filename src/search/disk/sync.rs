//! Bringing the disk index up to date with the files: what it holds is compared by stamp
//! (size, modification time) with what is on disk, and only what changed is written.

use std::sync::atomic::{AtomicUsize, Ordering};

use std::path::Path;

use rayon::prelude::*;
use rustc_hash::FxHashSet;
use tantivy::columnar::Column;
use tantivy::{DocId, IndexWriter, SegmentReader, TantivyDocument, Term};

use super::{DiskError, DiskIndex, Fields, fingerprint};
use crate::corpus::{Article, Fingerprint};
use crate::store::cache::Stamp;
use crate::store::header::identity_fingerprint as fingerprint_of;
use crate::store::parse::head;
use crate::store::read;
use crate::text::fold::for_each_word;

/// Documents written between two commits: what a kiosque killed meanwhile loses, and how
/// often another kiosque sees progress.
const COMMIT_EVERY: usize = 10_000;

/// Memory the writer may use before it writes a segment out (split between its threads).
const WRITER_MEMORY: usize = 96 << 20;

/// What an update did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// Articles indexed: new files, or files changed since they were indexed.
    pub indexed: usize,
    /// Documents removed: files gone, or changed (then indexed again).
    pub removed: usize,
}

/// The fast columns of one segment.
pub(super) struct Columns {
    size: Column<u64>,
    modified: Column<i64>,
    high: Column<u64>,
    low: Column<u64>,
    words: Column<u64>,
}

impl Columns {
    pub(super) fn of(segment: &SegmentReader, fields: &Fields) -> tantivy::Result<Columns> {
        let fast = segment.fast_fields();
        let schema = segment.schema();
        let name = |f| schema.get_field_name(f);
        Ok(Columns {
            size: fast.u64(name(fields.size))?,
            modified: fast.i64(name(fields.modified))?,
            high: fast.u64(name(fields.fingerprint_high))?,
            low: fast.u64(name(fields.fingerprint_low))?,
            words: fast.u64(name(fields.words))?,
        })
    }

    pub(super) fn stamp(&self, doc: DocId) -> Stamp {
        Stamp {
            size: self.size.first(doc).unwrap_or(0),
            modified: self.modified.first(doc).unwrap_or(0),
        }
    }

    pub(super) fn fingerprint(&self, doc: DocId) -> Fingerprint {
        fingerprint(
            self.high.first(doc).unwrap_or(0),
            self.low.first(doc).unwrap_or(0),
        )
    }

    pub(super) fn words(&self, doc: DocId) -> usize {
        self.words.first(doc).unwrap_or(0) as usize
    }
}

/// The key of the article at `path`: see [`Fields::key`].
pub fn key(path: &Path) -> u64 {
    xxhash_rust::xxh3::xxh3_64(path.as_os_str().as_encoded_bytes())
}

/// Calls `found(doc, key)` for every live document of `segment`.
pub(super) fn each_doc(
    segment: &SegmentReader,
    fields: &Fields,
    mut found: impl FnMut(DocId, u64),
) -> tantivy::Result<()> {
    let name = segment.schema().get_field_name(fields.key);
    let keys = segment.fast_fields().u64(name)?;
    for doc in segment.doc_ids_alive() {
        if let Some(key) = keys.first(doc) {
            found(doc, key);
        }
    }
    Ok(())
}

impl DiskIndex {
    /// Makes the index hold exactly `articles` as they are now (`stamps[i]` is the stamp of
    /// `articles[i]`, `None` when it could not be had: that article is left as it is).
    /// `progress(done, total)` is told as articles are indexed. When another kiosque is
    /// writing, nothing is done and the answer is [`DiskError::Busy`]: try again later.
    pub fn update(
        &self,
        articles: &[Article],
        stamps: &[Option<Stamp>],
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<Changes, DiskError> {
        let _ = self.reader.reload();
        let stored = self.stored().map_err(|e| self.error(e))?;
        let keys: Vec<u64> = articles.iter().map(|a| key(&a.path)).collect();
        let mut present: FxHashSet<u64> = FxHashSet::default();
        let mut todo = Vec::new();
        for (i, (&key, stamp)) in keys.iter().zip(stamps).enumerate() {
            present.insert(key);
            if let Some(stamp) = stamp {
                if stored.get(&key) != Some(stamp) {
                    todo.push(i);
                }
            }
        }
        let gone: Vec<u64> = stored
            .keys()
            .filter(|k| !present.contains(k))
            .copied()
            .collect();
        if todo.is_empty() && gone.is_empty() {
            return Ok(Changes::default());
        }
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
        let mut writer: IndexWriter =
            match self.index.writer_with_num_threads(threads, WRITER_MEMORY) {
                Ok(writer) => writer,
                Err(tantivy::TantivyError::LockFailure(..)) => return Err(DiskError::Busy),
                Err(err) => return Err(self.error(err)),
            };
        let mut changes = Changes::default();
        for key in gone {
            writer.delete_term(Term::from_field_u64(self.fields.key, key));
            changes.removed += 1;
        }
        let done = AtomicUsize::new(0);
        for batch in todo.chunks(COMMIT_EVERY) {
            let docs: Vec<(bool, TantivyDocument)> = batch
                .par_iter()
                .map(|&i| {
                    let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                    if n % 1000 == 0 {
                        progress(n, todo.len());
                    }
                    let known = stored.contains_key(&keys[i]);
                    (
                        known,
                        self.document(
                            &articles[i],
                            stamps[i].unwrap_or(Stamp {
                                size: 0,
                                modified: 0,
                            }),
                        ),
                    )
                })
                .collect();
            for ((known, doc), &i) in docs.into_iter().zip(batch) {
                if known {
                    writer.delete_term(Term::from_field_u64(self.fields.key, keys[i]));
                    changes.removed += 1;
                }
                writer.add_document(doc).map_err(|e| self.error(e))?;
                changes.indexed += 1;
            }
            writer.commit().map_err(|e| self.error(e))?;
        }
        writer.commit().map_err(|e| self.error(e))?;
        progress(todo.len(), todo.len());
        let _ = writer.wait_merging_threads();
        let _ = self.reader.reload();
        Ok(changes)
    }

    /// The document of one article, read from its file now.
    fn document(&self, article: &Article, stamp: Stamp) -> TantivyDocument {
        let f = &self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_bytes(f.path, article.path.as_os_str().as_encoded_bytes());
        doc.add_u64(f.key, key(&article.path));
        let (date, precision) = match article.date {
            Some(d) => (
                i64::from(chrono::Datelike::num_days_from_ce(&d.first)),
                match d.precision {
                    crate::corpus::Precision::Day => 1,
                    crate::corpus::Precision::Month => 2,
                },
            ),
            None => (-1, 0),
        };
        doc.add_i64(f.date, date);
        doc.add_u64(f.precision, precision);
        doc.add_u64(f.size, stamp.size);
        doc.add_i64(f.modified, stamp.modified);
        // An article that can no longer be read keeps no words (its body will say why).
        let (fp, words) = match read::text(article) {
            Ok(text) => {
                let fp = fingerprint_of(&text);
                let (start, title, header) = match head(&text) {
                    Ok(h) => (h.body_start, h.title, h.meta.is_some()),
                    Err(_) => (text.len(), String::new(), false),
                };
                let body = &text[start..];
                let mut words = 0;
                for_each_word(body, &mut String::new(), |_| words += 1);
                doc.add_text(f.title, &title);
                // A feed article's title is in its header, not its body: its words are
                // found by any word query all the same, as a plain article's first line.
                if header {
                    doc.add_text(f.body, &title);
                }
                doc.add_text(f.body, body);
                (fp, words)
            }
            Err(_) => (Fingerprint(0), 0),
        };
        doc.add_u64(f.fingerprint_high, (fp.0 >> 64) as u64);
        doc.add_u64(f.fingerprint_low, fp.0 as u64);
        doc.add_u64(f.words, words as u64);
        doc
    }
}

/// The stamps of `articles` now, looked up folder by folder.
pub fn stamps(articles: &[Article]) -> Vec<Option<Stamp>> {
    let mut order: Vec<usize> = (0..articles.len()).collect();
    order.sort_unstable_by(|&a, &b| articles[a].path.cmp(&articles[b].path));
    let paths: Vec<std::path::PathBuf> = order.iter().map(|&i| articles[i].path.clone()).collect();
    let found = Stamp::of_all(&paths);
    let mut stamps = vec![None; articles.len()];
    for (i, stamp) in order.into_iter().zip(found) {
        stamps[i] = stamp;
    }
    stamps
}
