//! Builds the corpus for the list: reads every article file in parallel for its date and
//! title, or takes them from the list cache when the file has not changed since.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::corpus::{Article, Corpus, Fingerprint, Warning};
use crate::store::cache::{self, Entry, Stamp};
use crate::store::read::{Loaded, read_article, skipped};
use crate::store::walk::{Folder, Found};
use crate::text::display::shown;

/// Files larger than this are skipped unless the user raises the limit.
pub const DEFAULT_MAX_SIZE: u64 = 64 * 1024 * 1024;

#[derive(Clone, Debug)]
pub struct LoadOptions {
    pub max_size: u64,
    /// The list cache to use and update (see `cache`), if any.
    pub cache: Option<PathBuf>,
}

impl Default for LoadOptions {
    fn default() -> Self {
        Self {
            max_size: DEFAULT_MAX_SIZE,
            cache: None,
        }
    }
}

/// Told `(done, total)` from time to time while reading.
pub type Progress<'a> = &'a (dyn Fn(usize, usize) + Sync);

/// How often, in files, progress is reported.
const REPORT_EVERY: usize = 512;

/// Reads `files` for what the list shows (dates, titles), in parallel, and sorts them
/// newest first. A file the list cache knows, unchanged since, is not read at all. The
/// words are not read yet: see `search::catalog`. The cache update is for the caller to save
/// when it suits it (after the first frame).
pub fn load(found: Found, options: &LoadOptions, progress: Progress<'_>) -> (Corpus, CacheUpdate) {
    let (corpus, update, _) = load_stamped(found, options, progress);
    (corpus, update)
}

/// As [`load`], with the stamp each article's file had when looked at (only with a cache,
/// which needs them; `None` otherwise), by article of the list: what the search index
/// compares with, so the files are not looked at twice. The folders walked are kept in the
/// cache with the files.
pub fn load_stamped(
    found: Found,
    options: &LoadOptions,
    progress: Progress<'_>,
) -> (Corpus, CacheUpdate, Vec<Option<Stamp>>) {
    let Found {
        files,
        mut warnings,
        folders,
    } = found;
    let mut folders_then = Vec::new();
    let mut cached: Vec<Option<(PathBuf, Stamp, Entry)>> = match &options.cache {
        None => Vec::new(),
        Some(path) => match cache::read(path) {
            Ok(mut contents) => {
                folders_then = std::mem::take(&mut contents.folders);
                contents.entries().map(Some).collect()
            }
            Err(err) => {
                warnings.push(Warning {
                    path: shown(path),
                    reason: err.to_string(),
                    skipped: false,
                });
                Vec::new()
            }
        },
    };
    let known = cached.len();
    // What each file is now, to compare with what the cache saw.
    let stamps: Vec<Option<Stamp>> = match options.cache {
        Some(_) => Stamp::of_all(&files),
        None => vec![None; files.len()],
    };
    // The cache lists files in the order of the walk that wrote it, usually this walk's
    // order: match the two in step, and look a path up only when they part.
    let mut next = 0;
    let mut by_path: Option<FxHashMap<Vec<u8>, usize>> = None;
    let mut take = |path: &Path| -> Option<(Stamp, Entry)> {
        let bytes = path.as_os_str().as_encoded_bytes();
        let in_step = cached
            .get(next)
            .and_then(Option::as_ref)
            .is_some_and(|(p, _, _)| p.as_os_str().as_encoded_bytes() == bytes);
        let at = if in_step {
            next
        } else {
            let map = by_path.get_or_insert_with(|| {
                cached
                    .iter()
                    .enumerate()
                    .filter_map(|(i, e)| {
                        let (p, _, _) = e.as_ref()?;
                        Some((p.as_os_str().as_encoded_bytes().to_vec(), i))
                    })
                    .collect()
            });
            *map.get(bytes)?
        };
        next = at + 1;
        cached
            .get_mut(at)?
            .take()
            .map(|(_, stamp, entry)| (stamp, entry))
    };
    let matched: Vec<Option<Entry>> = files
        .iter()
        .zip(&stamps)
        .map(|(path, stamp)| {
            let (then, entry) = take(path)?;
            (Some(then) == *stamp).then_some(entry)
        })
        .collect();
    // For each file: what the list has of it, and its cache entry when it came from there.
    let mut results: Vec<Option<(Outcome, Option<Entry>)>> = files
        .iter()
        .zip(matched)
        .map(|(path, entry)| {
            let entry = entry?;
            Some((from_entry(path, &entry), Some(entry)))
        })
        .collect();
    let hits = results.iter().filter(|r| r.is_some()).count();
    let done = AtomicUsize::new(hits);
    let read: Vec<(usize, Result<Loaded, Warning>)> = results
        .iter()
        .enumerate()
        .filter(|(_, r)| r.is_none())
        .map(|(i, _)| i)
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|i| {
            let result = read_article(&files[i], options);
            let n = done.fetch_add(1, Ordering::Relaxed) + 1;
            if n % REPORT_EVERY == 0 {
                progress(n, files.len());
            }
            (i, result)
        })
        .collect();
    let words_counted = read.is_empty()
        && results
            .iter()
            .flatten()
            .all(|(_, entry)| !matches!(entry, Some(Entry::Article { words: None, .. })));
    // Also rewritten while word counts are missing, so that they get saved once known.
    let stale = !read.is_empty() || known != hits || !words_counted || folders != folders_then;
    for (i, result) in read {
        results[i] = Some((result, None));
    }
    let mut entries = Vec::new();
    let mut loaded = Vec::with_capacity(results.len());
    let mut article_stamps = Vec::with_capacity(results.len());
    for ((path, stamp), result) in files.iter().zip(&stamps).zip(results) {
        let Some((result, entry)) = result else {
            continue;
        };
        if let (true, Some(stamp)) = (stale, *stamp) {
            let entry = entry.unwrap_or_else(|| to_entry(&result));
            entries.push((path.clone(), stamp, entry));
        }
        if result.is_ok() {
            article_stamps.push(*stamp);
        }
        loaded.push(result);
    }
    let update = CacheUpdate(
        options
            .cache
            .clone()
            .filter(|_| stale)
            .map(|path| (path, folders, entries)),
    );
    let (mut corpus, stamps) = sorted_with(loaded, warnings, article_stamps);
    corpus.words_counted = words_counted;
    (corpus, update, stamps)
}

/// What reading one file for the list gives.
type Outcome = Result<Loaded, Warning>;

/// The cache file, and the entries it should now hold.
type CacheWrite = (PathBuf, Vec<Folder>, Vec<cache::Cached>);

/// What the list cache should now hold, once saved.
pub struct CacheUpdate(Option<CacheWrite>);

impl CacheUpdate {
    /// Adds to the entries the number of words and the fingerprint of each article of
    /// `corpus`, once indexed: `kiosque list` need not index again, and the reader's first
    /// frame, drawn from the cache, knows what was read.
    pub fn with_words(mut self, corpus: &Corpus) -> CacheUpdate {
        // By the paths' bytes: hashing a `Path` goes component by component.
        let known: FxHashMap<&[u8], (usize, Option<Fingerprint>)> = corpus
            .articles
            .iter()
            .map(|a| {
                (
                    a.path.as_os_str().as_encoded_bytes(),
                    (a.words, a.fingerprint),
                )
            })
            .collect();
        if let Some((_, _, entries)) = &mut self.0 {
            for (path, _, entry) in entries.iter_mut() {
                if let Entry::Article {
                    words, fingerprint, ..
                } = entry
                {
                    let known = known.get(path.as_os_str().as_encoded_bytes());
                    *words = known.map(|&(n, _)| n as u32);
                    *fingerprint = known.and_then(|&(_, f)| f).map(|f| f.0);
                }
            }
        }
        self
    }

    /// Writes the cache, when anything changed. A cache that cannot be written only costs
    /// the next start its speed, so the error is dropped.
    pub fn save(self) {
        if let Some((path, folders, entries)) = self.0 {
            let _ = cache::write(&path, &folders, entries);
        }
    }
}

/// The list's view of an article from the cache, without reading the file.
fn from_entry(path: &Path, entry: &Entry) -> Result<Loaded, Warning> {
    from_owned_entry(path.to_path_buf(), entry.clone())
}

/// As [`from_entry`], taking the entry's strings rather than copying them.
pub(crate) fn from_owned_entry(path: PathBuf, entry: Entry) -> Result<Loaded, Warning> {
    let date = entry.date();
    match entry {
        Entry::Skipped { reason } => Err(skipped(&path, reason)),
        Entry::Article {
            title,
            encoding,
            note,
            words,
            origin,
            fingerprint,
            ..
        } => Ok(Loaded {
            note: note.map(|reason| Warning {
                path: shown(&path),
                reason,
                skipped: false,
            }),
            article: Article {
                path,
                bytes: None,
                date,
                title,
                words: words.map_or(0, |n| n as usize),
                encoding: encoding.as_deref().and_then(static_encoding),
                word_ids: Box::default(),
                title_ids: Box::default(),
                fingerprint: fingerprint.map(Fingerprint),
                origin: origin.as_ref().map(|o| Box::new(o.into())),
            },
        }),
    }
}

fn to_entry(result: &Result<Loaded, Warning>) -> Entry {
    match result {
        Ok(loaded) => Entry::Article {
            date: Entry::encode_date(loaded.article.date),
            title: loaded.article.title.clone(),
            encoding: loaded.article.encoding.map(str::to_owned),
            note: loaded.note.as_ref().map(|w| w.reason.clone()),
            words: None,
            origin: loaded.article.origin.as_deref().map(Into::into),
            fingerprint: None,
        },
        Err(warning) => Entry::Skipped {
            reason: warning.reason.clone(),
        },
    }
}

/// The name of an encoding `decode` reports, as the `'static` string it uses.
fn static_encoding(name: &str) -> Option<&'static str> {
    ["UTF-16LE", "UTF-16BE", "UTF-8 (invalid bytes replaced)"]
        .into_iter()
        .find(|known| *known == name)
        .or_else(|| encoding_rs::Encoding::for_label(name.as_bytes()).map(|e| e.name()))
}

/// The articles of `results`, sorted newest first, and the warnings they carry.
pub(crate) fn sorted(results: Vec<Result<Loaded, Warning>>, warnings: Vec<Warning>) -> Corpus {
    sorted_with(results, warnings, Vec::new()).0
}

/// As [`sorted`], with `stamps` (one per article of `results`, or none) put in the same
/// order as the articles.
fn sorted_with(
    results: Vec<Result<Loaded, Warning>>,
    mut warnings: Vec<Warning>,
    stamps: Vec<Option<Stamp>>,
) -> (Corpus, Vec<Option<Stamp>>) {
    let mut articles = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(loaded) => {
                warnings.extend(loaded.note);
                articles.push(loaded.article);
            }
            Err(warning) => warnings.push(warning),
        }
    }
    let order = newest_first_order(&articles);
    gather_in_place(&mut articles, &order);
    let stamps = match stamps.len() {
        0 => stamps,
        _ => order.iter().map(|&i| stamps[i as usize]).collect(),
    };
    let corpus = Corpus {
        articles,
        warnings,
        words_counted: false,
    };
    (corpus, stamps)
}

/// Where each article of the list sorted by
/// [`newest_first`](crate::corpus::newest_first) is in `articles`, stably. The articles are
/// large: their dates are sorted apart, then the articles moved once (see
/// [`gather_in_place`]).
pub(crate) fn newest_first_order(articles: &[Article]) -> Vec<u32> {
    use chrono::Datelike;
    // The newest day is the smallest key; undated articles come last.
    let mut keys: Vec<(u64, u32)> = articles
        .iter()
        .enumerate()
        .map(|(i, article)| {
            let key = article.date.map_or(u64::MAX, |d| {
                (i64::from(i32::MAX) - i64::from(d.first.num_days_from_ce())) as u64
            });
            (key, i as u32)
        })
        .collect();
    keys.par_sort_unstable();
    keys.into_iter().map(|(_, i)| i).collect()
}

/// Rearranges `items` so that the item at `k` is the one that was at `order[k]`, without a
/// second copy of them: each cycle of the permutation is followed, one swap per item.
pub(crate) fn gather_in_place<T>(items: &mut [T], order: &[u32]) {
    let mut placed = vec![false; items.len()];
    for start in 0..items.len() {
        let mut k = start;
        while !placed[k] {
            placed[k] = true;
            let from = order[k] as usize;
            if from == start {
                break;
            }
            items.swap(k, from);
            k = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::gather_in_place;

    #[test]
    fn gathering_in_place_is_gathering_into_a_copy() {
        let orders: [&[u32]; 5] = [
            &[],
            &[0],
            &[3, 0, 4, 1, 2, 5],
            &[1, 0, 3, 2],
            &[4, 3, 2, 1, 0],
        ];
        for order in orders {
            let items: Vec<usize> = (0..order.len()).map(|i| i * 10).collect();
            let copy: Vec<usize> = order.iter().map(|&i| items[i as usize]).collect();
            let mut in_place = items.clone();
            gather_in_place(&mut in_place, order);
            assert_eq!(in_place, copy, "{order:?}");
        }
    }
}
