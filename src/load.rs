//! Builds the corpus: walks the paths the user gave, reads and parses every article in
//! parallel, and collects a warning for every file it could not use instead of stopping.

use std::io::Read;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver};

use rustc_hash::FxHashMap;

use crate::article::{Article, Body, newest_first};
use crate::cache::{self, Entry, Stamp};
use crate::decode::{DecodeError, Decoded, decode, decode_owned};
use crate::fold::for_each_word;
use crate::index::{Index, Interner};
use crate::parse::{head, parse};
use crate::related::RelatedIndex;
use crate::sanitize::{Place, sanitize};
use crate::state::{Fingerprint, identity_fingerprint};

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

/// A problem with one path: the file was skipped, or loaded with a caveat.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// The path as shown to the user.
    pub path: String,
    pub reason: String,
    /// True when the file is not in the corpus because of this problem.
    pub skipped: bool,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let verb = if self.skipped { "skipped" } else { "note" };
        write!(f, "{verb} {}: {}", self.path, self.reason)
    }
}

/// Every article loaded, newest first, what went wrong on the way, and the search index.
#[derive(Clone, Default)]
pub struct Corpus {
    pub articles: Vec<Article>,
    pub warnings: Vec<Warning>,
    pub index: Index,
    /// The words of the titles alone, for `title:` queries.
    pub titles: Index,
    /// The articles most like each one, once the words are indexed.
    pub related: RelatedIndex,
    indexed: bool,
    /// True when every article's word count is known without the index (from the cache).
    words_counted: bool,
}

impl Corpus {
    /// How many files were skipped.
    pub fn skipped(&self) -> usize {
        self.warnings.iter().filter(|w| w.skipped).count()
    }

    /// Builds a corpus from files already in memory (the embedded sample, tests).
    pub fn from_memory<'a>(files: impl IntoIterator<Item = (PathBuf, &'a [u8])>) -> Self {
        let files: Vec<_> = files.into_iter().collect();
        let results = files
            .par_iter()
            .map(|(path, bytes)| article_from_bytes(path, bytes, Some(Arc::from(*bytes))))
            .collect();
        relate(index(sorted(results, Vec::new()), &|_, _, _| {}))
    }

    /// True once the words of the articles are indexed (see [`index`]).
    pub fn is_indexed(&self) -> bool {
        self.indexed
    }
}

/// What a load is doing, for the progress gauge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Reading every file for its date and title: the list comes out of this.
    Reading,
    /// Reading the words of every article into the index: the filter needs this.
    Indexing,
}

/// Told `(stage, done, total)` from time to time while loading.
pub type Progress<'a> = &'a (dyn Fn(Stage, usize, usize) + Sync);

/// How often, in files, progress is reported.
const REPORT_EVERY: usize = 512;

/// The article files under `paths` (files, or folders walked recursively), and a warning
/// for every path that could not be walked.
pub fn find(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<Warning>) {
    let mut files = Vec::new();
    let mut warnings = Vec::new();
    for path in paths {
        walk(path, &mut files, &mut warnings);
    }
    (files, warnings)
}

/// Loads every article under `paths`, words indexed.
pub fn load(paths: &[PathBuf], options: &LoadOptions) -> Corpus {
    load_for(paths, options, true)
}

/// Loads every article under `paths` for the list only: words are indexed only when the
/// list cache does not already know how many each article has. For `kiosque list`
/// without words to look for.
pub fn load_list(paths: &[PathBuf], options: &LoadOptions) -> Corpus {
    load_for(paths, options, false)
}

fn load_for(paths: &[PathBuf], options: &LoadOptions, words_needed: bool) -> Corpus {
    let (files, warnings) = find(paths);
    let (corpus, cache) = list(&files, warnings, options, &|_, _, _| {});
    if !words_needed && corpus.words_counted {
        cache.save();
        return corpus;
    }
    let corpus = index(corpus, &|_, _, _| {});
    // Saved once the words are counted too, so `kiosque list` can use it whole.
    cache.with_words(&corpus).save();
    corpus
}

/// Reads `files` for what the list shows (dates, titles), in parallel, and sorts them
/// newest first. A file the list cache knows, unchanged since, is not read at all. The
/// words are not read yet: see [`index`]. The cache update is for the caller to save
/// when it suits it (after the first frame).
pub fn list(
    files: &[PathBuf],
    mut warnings: Vec<Warning>,
    options: &LoadOptions,
    progress: Progress<'_>,
) -> (Corpus, CacheUpdate) {
    let mut cached: Vec<Option<(PathBuf, Stamp, Entry)>> = match &options.cache {
        None => Vec::new(),
        Some(path) => match cache::read(path) {
            Ok(entries) => entries.into_iter().map(Some).collect(),
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
        Some(_) => Stamp::of_all(files),
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
                progress(Stage::Reading, n, files.len());
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
    let stale = !read.is_empty() || known != hits || !words_counted;
    for (i, result) in read {
        results[i] = Some((result, None));
    }
    let mut entries = Vec::new();
    let mut loaded = Vec::with_capacity(results.len());
    for ((path, stamp), result) in files.iter().zip(stamps).zip(results) {
        let Some((result, entry)) = result else {
            continue;
        };
        if let (true, Some(stamp)) = (stale, stamp) {
            let entry = entry.unwrap_or_else(|| to_entry(&result));
            entries.push((path.clone(), stamp, entry));
        }
        loaded.push(result);
    }
    let update = CacheUpdate(
        options
            .cache
            .clone()
            .filter(|_| stale)
            .map(|path| (path, entries)),
    );
    let mut corpus = sorted(loaded, warnings);
    corpus.words_counted = words_counted;
    (corpus, update)
}

/// What reading one file for the list gives.
type Outcome = Result<Loaded, Warning>;

/// The cache file, and the entries it should now hold.
type CacheWrite = (PathBuf, Vec<(PathBuf, Stamp, Entry)>);

/// What the list cache should now hold, once saved.
pub struct CacheUpdate(Option<CacheWrite>);

impl CacheUpdate {
    /// Adds to the entries the number of words of each article of `corpus`, once indexed,
    /// so that `kiosque list` need not index again.
    pub fn with_words(mut self, corpus: &Corpus) -> CacheUpdate {
        if !corpus.is_indexed() {
            return self;
        }
        let counts: FxHashMap<&Path, usize> = corpus
            .articles
            .iter()
            .map(|a| (a.path.as_path(), a.words))
            .collect();
        if let Some((_, entries)) = &mut self.0 {
            for (path, _, entry) in entries.iter_mut() {
                if let Entry::Article { words, .. } = entry {
                    *words = counts.get(path.as_path()).map(|&n| n as u32);
                }
            }
        }
        self
    }

    /// Writes the cache, when anything changed. A cache that cannot be written only costs
    /// the next start its speed, so the error is dropped.
    pub fn save(self) {
        if let Some((path, entries)) = self.0 {
            let _ = cache::write(&path, entries);
        }
    }
}

/// The list's view of an article from the cache, without reading the file.
fn from_entry(path: &Path, entry: &Entry) -> Result<Loaded, Warning> {
    match entry {
        Entry::Skipped { reason } => Err(skipped(path, reason.clone())),
        Entry::Article {
            title,
            encoding,
            note,
            words,
            ..
        } => Ok(Loaded {
            article: Article {
                path: path.to_path_buf(),
                bytes: None,
                date: entry.date(),
                title: title.clone(),
                words: words.map_or(0, |n| n as usize),
                encoding: encoding.as_deref().and_then(static_encoding),
                word_ids: Box::default(),
                title_ids: Box::default(),
                fingerprint: None,
            },
            note: note.as_ref().map(|reason| Warning {
                path: shown(path),
                reason: reason.clone(),
                skipped: false,
            }),
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

fn sorted(results: Vec<Result<Loaded, Warning>>, mut warnings: Vec<Warning>) -> Corpus {
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
    articles.par_sort_by(newest_first);
    Corpus {
        articles,
        warnings,
        index: Index::default(),
        titles: Index::default(),
        related: RelatedIndex::default(),
        indexed: false,
        words_counted: false,
    }
}

/// What a load running on its own thread reports.
pub enum LoadEvent {
    Progress(Stage, usize, usize),
    /// The articles, sorted, ready to list; their words are being indexed.
    Listed(Corpus),
    /// The same articles with their words indexed: the load is done.
    Indexed(Corpus),
}

/// Loads `files` on a thread of its own, so the screen stays alive and shows progress.
pub fn spawn(
    files: Vec<PathBuf>,
    warnings: Vec<Warning>,
    options: LoadOptions,
) -> std::io::Result<Receiver<LoadEvent>> {
    let (send, receive) = mpsc::channel();
    std::thread::Builder::new()
        .name("load".into())
        .spawn(move || {
            // A send fails only once the reader quit: then the work is simply dropped.
            let progress = |stage, done, total| {
                let _ = send.send(LoadEvent::Progress(stage, done, total));
            };
            let (corpus, cache) = list(&files, warnings, &options, &progress);
            let _ = send.send(LoadEvent::Listed(corpus.clone()));
            let corpus = index(corpus, &progress);
            // Saved once the words are counted too, so `kiosque list` can use it whole.
            cache.with_words(&corpus).save();
            let _ = send.send(LoadEvent::Indexed(relate(corpus)));
        })?;
    Ok(receive)
}

/// Articles whose words are read together, sharing one word numbering, before the
/// corpus-wide index renumbers them.
const BATCH: usize = 256;

/// What indexing finds in one article.
#[derive(Default)]
struct Indexed {
    words: Box<[u32]>,
    title: Box<[u32]>,
    fingerprint: Option<Fingerprint>,
}

/// Reads the words of every article of `corpus` again from its source, and indexes them.
/// An article that can no longer be read keeps no words (its body will say why).
pub fn index(mut corpus: Corpus, progress: Progress<'_>) -> Corpus {
    let done = AtomicUsize::new(0);
    let total = corpus.articles.len();
    let batches: Vec<(Vec<Indexed>, Interner)> = (0..total)
        .collect::<Vec<_>>()
        .par_chunks(BATCH)
        .map(|chunk| {
            let mut interner = Interner::default();
            let mut scratch = String::new();
            let words = chunk
                .iter()
                .map(|&i| {
                    let mut found = Indexed::default();
                    if let Ok(text) = corpus.text(i) {
                        found.fingerprint = Some(identity_fingerprint(&text));
                        let (start, title) = match head(&text) {
                            Ok(h) => (h.body_start, h.title),
                            Err(_) => (text.len(), String::new()),
                        };
                        let mut ids = Vec::new();
                        for_each_word(&text[start..], &mut scratch, |w| {
                            ids.push(interner.intern(w))
                        });
                        found.words = ids.into_boxed_slice();
                        let mut ids = Vec::new();
                        for_each_word(&title, &mut scratch, |w| ids.push(interner.intern(w)));
                        found.title = ids.into_boxed_slice();
                    }
                    found
                })
                .collect();
            let n = done.fetch_add(chunk.len(), Ordering::Relaxed) + chunk.len();
            progress(Stage::Indexing, n, total);
            (words, interner)
        })
        .collect();
    let mut numbering = Vec::with_capacity(batches.len());
    let mut at = 0;
    for (words, interner) in batches {
        numbering.push((words.len(), interner));
        for found in words {
            let article = &mut corpus.articles[at];
            article.words = found.words.len();
            article.word_ids = found.words;
            article.title_ids = found.title;
            article.fingerprint = found.fingerprint;
            at += 1;
        }
    }
    let words = Index::renumber(&mut corpus.articles, numbering);
    corpus.index = Index::new(words, &corpus.articles);
    corpus.titles = corpus.index.titles(&corpus.articles);
    corpus.indexed = true;
    corpus
}

/// Finds the articles related to each one, from the index: for the reader, which lists
/// them (`kiosque list` has no use for it).
pub fn relate(mut corpus: Corpus) -> Corpus {
    corpus.related = RelatedIndex::build(&corpus.articles, &corpus.index);
    corpus
}

/// A load running on its own thread, so the screen stays alive: what it sends.
/// The path as the user should see it: lossy for names that are not UTF-8, and never able
/// to send a control sequence to the terminal.
pub fn shown(path: &Path) -> String {
    sanitize(&path.to_string_lossy(), Place::Title)
}

fn skipped(path: &Path, reason: impl Into<String>) -> Warning {
    Warning {
        path: shown(path),
        reason: reason.into(),
        skipped: true,
    }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.as_encoded_bytes().first() == Some(&b'.')
}

fn is_txt(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("txt"))
}

/// Collects the article files under `root` in a stable order (by name at every level).
/// A path the user named is read whatever its name; inside folders, only `.txt` files,
/// and nothing hidden.
fn walk(root: &Path, files: &mut Vec<PathBuf>, warnings: &mut Vec<Warning>) {
    match std::fs::metadata(root) {
        Err(err) => warnings.push(skipped(root, io_reason(Some(&err), "cannot be read"))),
        Ok(meta) if meta.is_dir() => {
            let mut ancestors = vec![(meta.dev(), meta.ino())];
            walk_folder(root, &mut ancestors, files, warnings);
        }
        Ok(meta) if meta.is_file() => files.push(root.to_path_buf()),
        // A FIFO, socket or device is never opened: reading it could block forever.
        Ok(_) => warnings.push(skipped(root, "not a regular file")),
    }
}

/// Walks one folder. The kind of each entry comes with the folder listing, so a plain
/// file costs no extra system call here; only links and folders are looked at more
/// closely. `ancestors` (device, inode) catches a link back up the tree.
fn walk_folder(
    folder: &Path,
    ancestors: &mut Vec<(u64, u64)>,
    files: &mut Vec<PathBuf>,
    warnings: &mut Vec<Warning>,
) {
    let listing = match std::fs::read_dir(folder) {
        Ok(listing) => listing,
        Err(err) => {
            warnings.push(skipped(folder, io_reason(Some(&err), "cannot be read")));
            return;
        }
    };
    let mut entries: Vec<(std::ffi::OsString, Option<std::fs::FileType>)> = listing
        .filter_map(Result::ok)
        .filter(|e| !is_hidden(&e.file_name()))
        .map(|e| (e.file_name(), e.file_type().ok()))
        .collect();
    entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    for (name, kind) in entries {
        let path = folder.join(&name);
        let followed = match kind {
            Some(kind) if !kind.is_symlink() && !kind.is_dir() => None,
            // Links are followed; folders need their identity for the loop check.
            _ => match std::fs::metadata(&path) {
                Ok(meta) => Some(meta),
                Err(err) => {
                    if is_txt(&path) || kind.is_some_and(|k| k.is_dir()) {
                        warnings.push(skipped(&path, io_reason(Some(&err), "cannot be read")));
                    }
                    continue;
                }
            },
        };
        let is_dir = followed.as_ref().is_some_and(std::fs::Metadata::is_dir);
        if is_dir {
            let meta = followed.as_ref();
            let id = meta.map(|m| (m.dev(), m.ino())).unwrap_or_default();
            if ancestors.contains(&id) {
                warnings.push(skipped(&path, "symbolic link loop"));
                continue;
            }
            ancestors.push(id);
            walk_folder(&path, ancestors, files, warnings);
            ancestors.pop();
            continue;
        }
        if !is_txt(&path) {
            continue;
        }
        let is_file = match &followed {
            Some(meta) => meta.is_file(),
            None => kind.is_some_and(|k| k.is_file()),
        };
        if is_file {
            files.push(path);
        } else {
            warnings.push(skipped(&path, "not a regular file"));
        }
    }
}

fn io_reason(err: Option<&std::io::Error>, fallback: &str) -> String {
    match err.map(std::io::Error::kind) {
        Some(std::io::ErrorKind::NotFound) => "no such file or folder".to_owned(),
        Some(std::io::ErrorKind::PermissionDenied) => "permission denied".to_owned(),
        _ => err.map_or_else(|| fallback.to_owned(), |e| e.to_string()),
    }
}

struct Loaded {
    article: Article,
    note: Option<Warning>,
}

fn read_article(path: &Path, options: &LoadOptions) -> Result<Loaded, Warning> {
    let cannot = |e: std::io::Error| skipped(path, io_reason(Some(&e), "cannot be read"));
    // Size from the open file, not the path: one path lookup per article, as a plain read.
    let mut file = std::fs::File::open(path).map_err(cannot)?;
    let size = file.metadata().map_err(cannot)?.len();
    if size > options.max_size {
        return Err(skipped(
            path,
            format!(
                "{} is over the size limit of {} (see --max-size)",
                human_size(size),
                human_size(options.max_size)
            ),
        ));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0).saturating_add(1));
    file.read_to_end(&mut bytes).map_err(cannot)?;
    article_from_decoded(path, decode_owned(bytes), None)
}

/// Reads what the list needs of one article; the body itself is not kept.
fn article_from_bytes(
    path: &Path,
    bytes: &[u8],
    keep: Option<Arc<[u8]>>,
) -> Result<Loaded, Warning> {
    article_from_decoded(path, decode(bytes), keep)
}

fn article_from_decoded(
    path: &Path,
    decoded: Result<Decoded, DecodeError>,
    keep: Option<Arc<[u8]>>,
) -> Result<Loaded, Warning> {
    let decoded = decoded.map_err(|e| skipped(path, e.to_string()))?;
    let head = head(&decoded.text).map_err(|e| skipped(path, e.to_string()))?;
    let note = head.warning.map(|reason| Warning {
        path: shown(path),
        reason,
        skipped: false,
    });
    Ok(Loaded {
        article: Article {
            path: path.to_path_buf(),
            bytes: keep,
            date: head.date,
            title: head.title,
            words: 0,
            encoding: decoded.encoding,
            word_ids: Box::default(),
            title_ids: Box::default(),
            fingerprint: None,
        },
        note,
    })
}

impl Corpus {
    /// The decoded text of article `i`, read again from its source.
    pub fn text(&self, i: usize) -> Result<String, String> {
        let article = &self.articles[i];
        let decoded = match &article.bytes {
            Some(bytes) => decode(bytes),
            None => decode_owned(
                std::fs::read(&article.path)
                    .map_err(|e| format!("it {}", io_reason(Some(&e), "cannot be read")))?,
            ),
        };
        decoded
            .map(|d| d.text)
            .map_err(|e| format!("it is now a {e}"))
    }

    /// The body of article `i`, for the reader: read and parsed now, so the reader shows
    /// what the file holds now. A file that went away or broke gives a body that says so.
    pub fn body(&self, i: usize) -> Body {
        let article = &self.articles[i];
        let parsed = self.text(i).and_then(|text| {
            let fingerprint = identity_fingerprint(&text);
            parse(&text)
                .map(|parsed| (parsed, fingerprint))
                .map_err(|e| format!("it now holds {e}"))
        });
        match parsed {
            Ok((parsed, fingerprint)) => Body {
                date: parsed.head.date,
                title: parsed.head.title,
                words: parsed.words,
                blocks: parsed.blocks,
                problem: None,
                fingerprint: Some(fingerprint),
            },
            Err(problem) => Body {
                date: article.date,
                title: article.title.clone(),
                words: 0,
                blocks: Vec::new(),
                problem: Some(format!("This article could not be read again: {problem}.")),
                fingerprint: None,
            },
        }
    }
}

/// `12.5 MiB`, `640 B`.
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn write(dir: &Path, name: &str, text: &[u8]) -> PathBuf {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).unwrap();
        }
        fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn walks_folders_sorts_newest_first_and_skips_hidden_and_other_files() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "b.txt", b"date 2024-05 Mai.");
        write(dir.path(), "a.txt", b"date 2024-05-01 Premier mai.");
        write(dir.path(), "sub/c.txt", b"date 2025-01-01 Nouvel an.");
        write(dir.path(), "sub/undated.txt", b"Sans date.");
        write(dir.path(), "sub/aaa-undated.txt", b"Aussi sans date.");
        write(
            dir.path(),
            ".hidden/x.txt",
            b"date 2030-01-01 Cach\xc3\xa9.",
        );
        write(dir.path(), ".secret.txt", b"date 2030-01-01 Cach\xc3\xa9.");
        write(dir.path(), "notes.md", b"date 2030-01-01 Pas un article.");
        let corpus = load(&[dir.path().to_path_buf()], &LoadOptions::default());
        let titles: Vec<_> = corpus.articles.iter().map(|a| a.title.as_str()).collect();
        // `a.txt` (a day) and `b.txt` (a month, sorting as its first day) share a date, so
        // path order decides; undated articles come last, by path.
        assert_eq!(
            titles,
            [
                "Nouvel an.",
                "Premier mai.",
                "Mai.",
                "Aussi sans date.",
                "Sans date."
            ]
        );
        assert!(corpus.warnings.is_empty(), "{:?}", corpus.warnings);
    }

    #[test]
    fn bad_files_are_warnings_not_aborts() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "good.txt", b"date 2024-01-01 Bon.");
        write(dir.path(), "empty.txt", b"");
        write(dir.path(), "blank.txt", b"  \n\n ");
        write(dir.path(), "binary.txt", b"\x7fELF\x00\x00\x01");
        write(dir.path(), "header-only.txt", b"date 2024-01-01\n");
        write(dir.path(), "bad-date.txt", b"date 2026-02-30 Texte.");
        let missing = dir.path().join("missing");
        let corpus = load(
            &[dir.path().to_path_buf(), missing.clone()],
            &LoadOptions::default(),
        );
        assert_eq!(corpus.articles.len(), 2);
        assert_eq!(corpus.skipped(), 5);
        let reason = |name: &str| {
            corpus
                .warnings
                .iter()
                .find(|w| w.path.ends_with(name))
                .map(|w| w.reason.clone())
                .unwrap_or_else(|| panic!("no warning for {name}"))
        };
        assert_eq!(reason("empty.txt"), "no text");
        assert_eq!(reason("blank.txt"), "no text");
        assert_eq!(reason("binary.txt"), "binary file (contains NUL bytes)");
        assert_eq!(reason("header-only.txt"), "no text after the date header");
        assert_eq!(reason("missing"), "no such file or folder");
        assert!(reason("bad-date.txt").contains("2026-02-30"));
    }

    #[test]
    fn size_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            dir.path(),
            "big.txt",
            "Un gros article.".repeat(100).as_bytes(),
        );
        let options = LoadOptions {
            max_size: 1000,
            ..LoadOptions::default()
        };
        let corpus = load(&[path], &options);
        assert!(corpus.articles.is_empty());
        assert!(
            corpus.warnings[0]
                .reason
                .contains("over the size limit of 1000 B")
        );
    }

    #[cfg(unix)]
    #[test]
    fn fifos_are_never_opened_and_link_loops_end() {
        use std::process::Command;
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "ok.txt", b"Bon.");
        let fifo = dir.path().join("pipe.txt");
        assert!(
            Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).unwrap();
        let corpus = load(&[dir.path().to_path_buf()], &LoadOptions::default());
        assert_eq!(corpus.articles.len(), 1);
        let reasons: Vec<_> = corpus.warnings.iter().map(|w| w.reason.as_str()).collect();
        assert!(reasons.contains(&"not a regular file"), "{reasons:?}");
        assert!(reasons.contains(&"symbolic link loop"), "{reasons:?}");
    }

    fn titles(corpus: &Corpus) -> Vec<(String, Option<String>)> {
        corpus
            .articles
            .iter()
            .map(|a| (a.title.clone(), a.date.map(|d| d.iso())))
            .collect()
    }

    #[test]
    fn the_list_cache_skips_unchanged_files_and_rereads_changed_ones() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("articles");
        let roots = [root.clone()];
        let a = write(&root, "a.txt", b"date 2024-01-01 Ancien titre.");
        write(&root, "b.txt", b"date 2023-05 Mai.");
        write(&root, "empty.txt", b"");
        let cached = LoadOptions {
            cache: Some(dir.path().join("cache").join("list.bin")),
            ..LoadOptions::default()
        };
        let plain = load(&roots, &LoadOptions::default());
        let first = load(&roots, &cached);
        assert_eq!(titles(&first), titles(&plain));
        assert_eq!(first.warnings, plain.warnings);
        assert!(cached.cache.as_ref().unwrap().exists());

        // Same size, same modification time: the cache is trusted and the file not read
        // for the list; the reader still reads it, so it shows the text as it is now.
        let then = fs::metadata(&a).unwrap().modified().unwrap();
        fs::write(&a, b"date 2024-01-01 Nouveau titre").unwrap();
        fs::File::options()
            .write(true)
            .open(&a)
            .unwrap()
            .set_modified(then)
            .unwrap();
        let second = load(&roots, &cached);
        assert_eq!(titles(&second), titles(&plain));
        assert_eq!(second.warnings, plain.warnings);
        assert_eq!(second.body(0).title, "Nouveau titre");

        // A new modification time: read again.
        let later = then + std::time::Duration::from_secs(2);
        fs::File::options()
            .write(true)
            .open(&a)
            .unwrap()
            .set_modified(later)
            .unwrap();
        let third = load(&roots, &cached);
        assert_eq!(third.articles[0].title, "Nouveau titre");
        assert_eq!(
            titles(&third),
            titles(&load(&roots, &LoadOptions::default()))
        );
    }

    #[test]
    fn listing_from_the_cache_needs_no_index_once_words_are_counted() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("articles");
        write(
            &root,
            "a.txt",
            b"date 2024-01-01 Un titre.\nL'armee a quatre mots.",
        );
        write(&root, "b.txt", b"Sans date, cinq mots ici.");
        let roots = [root];
        let options = LoadOptions {
            cache: Some(dir.path().join("list.bin")),
            ..LoadOptions::default()
        };
        let full = load(&roots, &options);
        let counts = |c: &Corpus| c.articles.iter().map(|a| a.words).collect::<Vec<_>>();
        assert_eq!(counts(&full), [7, 5]);
        let listed = load_list(&roots, &options);
        assert!(!listed.is_indexed(), "the cache had every word count");
        assert_eq!(counts(&listed), counts(&full));
        assert_eq!(titles(&listed), titles(&full));
        // Without a cache, the words are counted by indexing.
        let uncached = load_list(&roots, &LoadOptions::default());
        assert!(uncached.is_indexed());
        assert_eq!(counts(&uncached), counts(&full));
    }

    #[test]
    fn a_damaged_list_cache_is_a_note_and_a_rebuild() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("articles");
        let roots = [root.clone()];
        write(&root, "a.txt", b"date 2024-01-01 Titre.");
        let cache = dir.path().join("list.bin");
        // The right format number, then garbage: damaged, not merely from another version.
        let mut damaged = postcard::to_allocvec(&crate::cache::FORMAT).unwrap();
        damaged.extend_from_slice(b"\xff\xff\xff\xff garbage");
        fs::write(&cache, damaged).unwrap();
        let options = LoadOptions {
            cache: Some(cache.clone()),
            ..LoadOptions::default()
        };
        let corpus = load(&roots, &options);
        assert_eq!(corpus.articles[0].title, "Titre.");
        assert_eq!(corpus.warnings.len(), 1);
        assert!(!corpus.warnings[0].skipped);
        assert!(
            corpus.warnings[0].reason.contains("is damaged"),
            "{:?}",
            corpus.warnings
        );
        // Rebuilt: the next load is clean.
        let again = load(&roots, &options);
        assert!(again.warnings.is_empty(), "{:?}", again.warnings);
    }

    #[test]
    fn the_body_is_indexed_as_folded_words() {
        let corpus = Corpus::from_memory([(
            PathBuf::from("x.txt"),
            "date 2024-01-01 La SÉCURITÉ.\n• Cœur".as_bytes(),
        )]);
        let index = &corpus.index;
        let words: Vec<&str> = corpus.articles[0]
            .word_ids
            .iter()
            .map(|&w| index.word(w))
            .collect();
        assert_eq!(words, ["la", "securite", "coeur"]);
    }
}
