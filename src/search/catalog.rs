//! The catalog: the corpus with its search indexes (every word, the titles, related
//! articles), and the load that builds it on a thread of its own, list first.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::corpus::{Corpus, Fingerprint, Warning};
use crate::search::disk::{DiskError, DiskIndex, Known, Snapshot};
use crate::search::index::{Index, Interner};
use crate::search::related::RelatedIndex;
use crate::search::sources::Sources;
use crate::store::cache::Stamp;
use crate::store::header::identity_fingerprint;
use crate::store::load::{CacheUpdate, LoadOptions};
use crate::store::parse::head;
use crate::store::{load, read, walk};
use crate::text::fold::for_each_word;

/// The corpus and what finds things in it.
#[derive(Clone, Default)]
pub struct Catalog {
    pub corpus: Corpus,
    pub index: Index,
    /// The words of the titles alone, for `title:` queries.
    pub titles: Index,
    /// The articles most like each one, once the words are indexed.
    pub related: RelatedIndex,
    /// The words, from the index kept on disk, when the catalog was loaded with it: then
    /// `index` and `titles` stay empty.
    pub disk: Option<Snapshot>,
    /// Where the articles come from: the paths given, the feeds' tags (see
    /// [`Catalog::set_sources`]).
    pub sources: Sources,
    indexed: bool,
}

impl Catalog {
    /// A catalog whose words are not indexed yet: the list can be shown, word queries wait.
    pub fn listed(corpus: Corpus) -> Self {
        Self {
            corpus,
            ..Self::default()
        }
    }

    /// A catalog with every word of `corpus` indexed and related articles found, built on
    /// this thread: for corpora held in memory (the embedded sample, tests).
    pub fn indexed(corpus: Corpus) -> Self {
        relate(index(Self::listed(corpus), &|_, _, _| {}))
    }

    /// Builds a catalog from files already in memory (the embedded sample, tests).
    pub fn from_memory<'a>(files: impl IntoIterator<Item = (PathBuf, &'a [u8])>) -> Self {
        Self::indexed(read::from_memory(files))
    }

    /// True once the words of the articles are indexed (see [`index`]).
    pub fn is_indexed(&self) -> bool {
        self.indexed
    }

    /// Says where the articles come from, which the commands know (the paths given, the
    /// subscriptions' tags), and counts their sources once for the list.
    pub fn set_sources(&mut self, mut sources: Sources) {
        sources.count(&self.corpus.articles);
        self.sources = sources;
    }
}

/// What a load is doing, for the progress gauge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Reading every file for its date and title: the list comes out of this.
    Reading,
    /// Checking the files against the list shown from the cache: new, changed and
    /// deleted files are applied in place.
    Checking,
    /// Reading the words of every article into the index: the filter needs this.
    Indexing,
}

impl Stage {
    /// What the status bar calls it.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Reading => "reading",
            Stage::Checking => "checking",
            Stage::Indexing => "indexing",
        }
    }
}

/// Told `(stage, done, total)` from time to time while loading.
pub type Progress<'a> = &'a (dyn Fn(Stage, usize, usize) + Sync);

/// Loads every article under `paths`, words indexed.
pub fn load(paths: &[PathBuf], options: &LoadOptions) -> Catalog {
    load_for(paths, options, true)
}

/// Loads every article under `paths` for the list only: words are indexed only when the
/// list cache does not already know how many each article has. For `kiosque list`
/// without words to look for.
pub fn load_list(paths: &[PathBuf], options: &LoadOptions) -> Catalog {
    load_for(paths, options, false)
}

fn load_for(paths: &[PathBuf], options: &LoadOptions, words_needed: bool) -> Catalog {
    let (corpus, cache) = load::load(walk::find(paths), options, &|_, _| {});
    if !words_needed && corpus.words_counted {
        cache.save();
        return Catalog::listed(corpus);
    }
    let catalog = index(Catalog::listed(corpus), &|_, _, _| {});
    save_with_words(cache, &catalog);
    catalog
}

/// Loads every article under `paths`, its words answered by the index kept on disk, brought
/// up to date first (only what changed is read). Without a cache folder, or with an index
/// that cannot be used, the words are indexed in memory as before, with a warning saying why.
pub fn load_indexed(paths: &[PathBuf], options: &LoadOptions) -> Catalog {
    let Some(dir) = options.cache.as_deref().map(crate::search::disk::dir_for) else {
        return load(paths, options);
    };
    let (corpus, cache, stamps) = load::load_stamped(walk::find(paths), options, &|_, _| {});
    let mut catalog = Catalog::listed(corpus);
    match with_disk(&mut catalog, &dir, &stamps) {
        // The word counts came from the index: saved, `kiosque list` needs no index.
        Ok(()) => save_with_words(cache, &catalog),
        Err(err) => {
            catalog.corpus.warnings.push(Warning {
                path: dir.display().to_string(),
                reason: err.to_string(),
                skipped: false,
            });
            catalog = index(catalog, &|_, _, _| {});
            save_with_words(cache, &catalog);
        }
    }
    catalog
}

/// How long to wait before looking again when another kiosque is writing the index.
const BUSY_WAIT: std::time::Duration = std::time::Duration::from_millis(50);

/// Brings the disk index in `dir` up to date with `catalog`'s articles, and answers the
/// catalog's words from it. While another kiosque writes, waits for its commits.
pub(crate) fn with_disk(
    catalog: &mut Catalog,
    dir: &std::path::Path,
    stamps: &[Option<Stamp>],
) -> Result<(), DiskError> {
    let (disk, note) = DiskIndex::open(dir)?;
    if let Some(note) = note {
        catalog.corpus.warnings.push(Warning {
            path: dir.display().to_string(),
            reason: note,
            skipped: false,
        });
    }
    let mut failures = 0;
    loop {
        match disk.update(&catalog.corpus.articles, stamps, &|_, _| {}) {
            Err(DiskError::Busy) => std::thread::sleep(BUSY_WAIT),
            // A commit of another kiosque can remove files between two reads: look again.
            Err(_) if failures < 2 => {
                failures += 1;
                std::thread::sleep(BUSY_WAIT);
            }
            Err(err) => return Err(err),
            Ok(_) => break,
        }
    }
    catalog.disk = Some(disk.snapshot(&mut catalog.corpus)?);
    catalog.indexed = true;
    Ok(())
}

/// Articles a query may read itself, beyond 1% of the list, rather than have the index
/// brought up to date first.
const FEW: usize = 16;

/// What the index kept in `dir` answers of `catalog`'s articles as it is, without bringing
/// it up to date: for a list drawn from the list cache, before the files are checked or
/// when they are found unchanged. Only when the index already holds nearly every article:
/// the query reads the few others itself.
///
/// A document indexed from a file of another stamp than the list's (by article, `stamps`)
/// does not count: the query reads that article instead.
pub(crate) fn disk_as_is(
    catalog: &Catalog,
    dir: &std::path::Path,
    stamps: &[Stamp],
) -> Option<(Snapshot, Known)> {
    if !dir.exists() {
        return None;
    }
    let Ok((disk, None)) = DiskIndex::open(dir) else {
        return None;
    };
    let (snapshot, known) = disk.snapshot_of(&catalog.corpus, Some(stamps)).ok()?;
    let few = catalog.corpus.articles.len() / 100 + FEW;
    (snapshot.missing().len() <= few).then_some((snapshot, known))
}

impl Catalog {
    /// Answers the words from `snapshot`, taken of this very list (see [`disk_as_is`]).
    pub fn answer_from(&mut self, snapshot: Snapshot, known: Known) {
        known.apply(&mut self.corpus);
        self.disk = Some(snapshot);
        self.indexed = true;
    }
}

/// Saved once the words are counted too, so `kiosque list` can use the cache whole.
pub(crate) fn save_with_words(cache: CacheUpdate, catalog: &Catalog) {
    cache.with_words(&catalog.corpus).save();
}

/// Articles whose words are read together, sharing one word numbering, before the
/// corpus-wide index renumbers them.
const BATCH: usize = 256;

/// What indexing finds in one article.
#[derive(Default)]
struct Indexed {
    words: Box<[u32]>,
    /// How many of them are the body's (a feed article's title comes first).
    body_words: usize,
    title: Box<[u32]>,
    fingerprint: Option<Fingerprint>,
}

/// Reads the words of every article of `corpus` again from its source, and indexes them.
/// An article that can no longer be read keeps no words (its body will say why).
pub fn index(mut catalog: Catalog, progress: Progress<'_>) -> Catalog {
    let corpus = &mut catalog.corpus;
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
                    if let Ok(text) = read::text(&corpus.articles[i]) {
                        found.fingerprint = Some(identity_fingerprint(&text));
                        let (start, title, header) = match head(&text) {
                            Ok(h) => (h.body_start, h.title, h.meta.is_some()),
                            Err(_) => (text.len(), String::new(), false),
                        };
                        let mut ids = Vec::new();
                        // A feed article's title is in its header, not its body: its
                        // words are found all the same, as a plain article's first line.
                        if header {
                            for_each_word(&title, &mut scratch, |w| ids.push(interner.intern(w)));
                        }
                        let in_title = ids.len();
                        for_each_word(&text[start..], &mut scratch, |w| {
                            ids.push(interner.intern(w))
                        });
                        found.body_words = ids.len() - in_title;
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
            article.words = found.body_words;
            article.word_ids = found.words;
            article.title_ids = found.title;
            article.fingerprint = found.fingerprint;
            at += 1;
        }
    }
    let words = Index::renumber(&mut corpus.articles, numbering);
    catalog.index = Index::new(words, &corpus.articles);
    catalog.titles = catalog.index.titles(&corpus.articles);
    catalog.indexed = true;
    catalog
}

/// Finds the articles related to each one, from the index: for the reader, which lists
/// them (`kiosque list` has no use for it).
pub fn relate(mut catalog: Catalog) -> Catalog {
    catalog.related = RelatedIndex::build(&catalog.corpus.articles, &catalog.index);
    catalog
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use std::path::Path;

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
        let titles: Vec<_> = corpus
            .corpus
            .articles
            .iter()
            .map(|a| a.title.as_str())
            .collect();
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
        assert!(
            corpus.corpus.warnings.is_empty(),
            "{:?}",
            corpus.corpus.warnings
        );
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
        assert_eq!(corpus.corpus.articles.len(), 2);
        assert_eq!(corpus.corpus.skipped(), 5);
        let reason = |name: &str| {
            corpus
                .corpus
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
        assert!(corpus.corpus.articles.is_empty());
        assert!(
            corpus.corpus.warnings[0]
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
        assert_eq!(corpus.corpus.articles.len(), 1);
        let reasons: Vec<_> = corpus
            .corpus
            .warnings
            .iter()
            .map(|w| w.reason.as_str())
            .collect();
        assert!(reasons.contains(&"not a regular file"), "{reasons:?}");
        assert!(reasons.contains(&"symbolic link loop"), "{reasons:?}");
    }

    fn titles(corpus: &Catalog) -> Vec<(String, Option<String>)> {
        corpus
            .corpus
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
        assert_eq!(first.corpus.warnings, plain.corpus.warnings);
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
        assert_eq!(second.corpus.warnings, plain.corpus.warnings);
        assert_eq!(
            read::body(&second.corpus.articles[0]).title,
            "Nouveau titre"
        );

        // A new modification time: read again.
        let later = then + std::time::Duration::from_secs(2);
        fs::File::options()
            .write(true)
            .open(&a)
            .unwrap()
            .set_modified(later)
            .unwrap();
        let third = load(&roots, &cached);
        assert_eq!(third.corpus.articles[0].title, "Nouveau titre");
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
        let counts = |c: &Catalog| {
            c.corpus
                .articles
                .iter()
                .map(|a| a.words)
                .collect::<Vec<_>>()
        };
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
    fn a_feed_articles_title_words_are_found_like_a_first_line() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("articles");
        write(
            &root,
            "feed.txt",
            "date 2026-03-06\nkiosque-article 1\ntitle: Le zeppelin de Lyon\nfeed: Le Monde\nkiosque-article end\nUn texte sans ce mot.\n".as_bytes(),
        );
        write(
            &root,
            "plain.txt",
            b"date 2026-03-05 Un autre zeppelin.\nSuite.",
        );
        let roots = [root];
        let options = LoadOptions {
            cache: Some(dir.path().join("cache").join("list.bin")),
            ..LoadOptions::default()
        };
        let today = chrono::NaiveDate::from_ymd_opt(2026, 3, 8).unwrap();
        let found = |catalog: &Catalog, query: &str| {
            let query = crate::search::query::Query::parse(query, today).unwrap();
            query
                .filter(catalog, &crate::store::marks::Marks::default())
                .len()
        };
        for catalog in [load(&roots, &options), load_indexed(&roots, &options)] {
            assert_eq!(found(&catalog, "zeppelin"), 2);
            assert_eq!(found(&catalog, "lyon"), 1);
            assert_eq!(found(&catalog, "\"zeppelin de lyon\""), 1);
            assert_eq!(found(&catalog, "texte"), 1);
            // The words shown as its length stay the body's.
            assert_eq!(catalog.corpus.articles[0].words, 5);
        }
    }

    #[test]
    fn the_list_from_the_cache_needs_no_file() {
        use crate::store::remembered::{from_cache, still_as_remembered};
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("articles");
        write(&root, "a.txt", b"date 2024-01-01 Un.\nTexte.");
        write(&root, "b.txt", b"date 2024-02-01 Deux.\nTexte.");
        write(&root, "bad.txt", b"\xff\xfe\x00\x00binary\x00");
        let roots = [root.clone()];
        let options = LoadOptions {
            cache: Some(dir.path().join("list.bin")),
            ..LoadOptions::default()
        };
        assert!(from_cache(&options).is_none(), "no cache yet");
        let full = load(&roots, &options);
        std::fs::remove_dir_all(&root).unwrap();
        let (cached, remembered) = from_cache(&options).expect("the cached list");
        assert_eq!(titles(&Catalog::listed(cached.clone())), titles(&full));
        assert_eq!(cached.skipped(), full.corpus.skipped());
        assert_eq!(remembered.stamps.len(), cached.articles.len());
        // What was read is known from the first frame: the fingerprints are kept too.
        let prints = |articles: &[crate::corpus::Article]| {
            let mut prints: Vec<_> = articles
                .iter()
                .map(|a| (a.path.clone(), a.fingerprint))
                .collect();
            prints.sort();
            prints
        };
        assert_eq!(prints(&cached.articles), prints(&full.corpus.articles));
        assert!(cached.articles.iter().all(|a| a.fingerprint.is_some()));
        // Gone since: nothing vouches for the list any more.
        assert!(!still_as_remembered(&options, &remembered));
    }

    #[test]
    fn a_damaged_list_cache_is_a_note_and_a_rebuild() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("articles");
        let roots = [root.clone()];
        write(&root, "a.txt", b"date 2024-01-01 Titre.");
        let cache = dir.path().join("list.bin");
        // The right format number, then garbage: damaged, not merely from another version.
        let mut damaged = crate::store::cache::FORMAT.to_le_bytes().to_vec();
        damaged.extend_from_slice(b"\xff\xff\xff\xff garbage");
        fs::write(&cache, damaged).unwrap();
        let options = LoadOptions {
            cache: Some(cache.clone()),
            ..LoadOptions::default()
        };
        let corpus = load(&roots, &options);
        assert_eq!(corpus.corpus.articles[0].title, "Titre.");
        assert_eq!(corpus.corpus.warnings.len(), 1);
        assert!(!corpus.corpus.warnings[0].skipped);
        assert!(
            corpus.corpus.warnings[0].reason.contains("is damaged"),
            "{:?}",
            corpus.corpus.warnings
        );
        // Rebuilt: the next load is clean.
        let again = load(&roots, &options);
        assert!(
            again.corpus.warnings.is_empty(),
            "{:?}",
            again.corpus.warnings
        );
    }

    #[test]
    fn the_body_is_indexed_as_folded_words() {
        let corpus = Catalog::from_memory([(
            PathBuf::from("x.txt"),
            "date 2024-01-01 La SÉCURITÉ.\n• Cœur".as_bytes(),
        )]);
        let index = &corpus.index;
        let words: Vec<&str> = corpus.corpus.articles[0]
            .word_ids
            .iter()
            .map(|&w| index.word(w))
            .collect();
        assert_eq!(words, ["la", "securite", "coeur"]);
    }
}
