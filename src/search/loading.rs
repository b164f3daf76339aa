//! The reader's load, on a thread of its own so the screen stays alive: the list first
//! (from the list cache at once when there is one, then checked against the files), then the
//! words, answered by the index kept on disk as soon as it is up to date. Each step is sent
//! as it is ready.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender};

use crate::corpus::Warning;
use crate::search::catalog::{
    Catalog, Stage, disk_as_is, index, relate, save_with_words, with_disk,
};
use crate::search::disk::{Known, Snapshot, dir_for};
use crate::store::cache::Stamp;
use crate::store::load::{self, CacheUpdate, LoadOptions};
use crate::store::remembered::{Remembered, still_as_remembered};
use crate::store::walk::{self, Found};

/// What a load running on its own thread reports.
pub enum LoadEvent {
    Progress(Stage, usize, usize),
    /// The articles, sorted, ready to list; their words are being indexed.
    Listed(Catalog),
    /// The files as they are now, after a list drawn from the cache: the same articles
    /// where nothing changed, in their place, with the new, changed and deleted ones
    /// applied. Their words are being indexed.
    Checked(Catalog),
    /// The same articles with their words indexed.
    Indexed(Catalog),
    /// The words of the list shown (the one from the cache, known by the address of the
    /// catalog shared with the load), answered by the index on disk as it is, while the
    /// files are checked.
    Answered(usize, Snapshot, Known),
    /// The files of the list shown (known as above) are as the list cache knew them, and
    /// the words answered hold every article as it is: the check is over.
    Unchanged(usize),
}

/// Loads `files` on a thread of its own, so the screen stays alive and shows progress.
pub fn spawn(found: Found, options: LoadOptions) -> std::io::Result<Receiver<LoadEvent>> {
    run("load", move |send| {
        let reading = |done, total| progress(send, Stage::Reading, done, total);
        let (corpus, cache, stamps) = load::load_stamped(found, &options, &reading);
        let catalog = Catalog::listed(corpus);
        let _ = send.send(LoadEvent::Listed(catalog.clone()));
        keep_short_prefixes_ready(words(send, catalog, stamps, cache, &options, None));
    })
}

/// Checks on a thread of its own the files under `paths` against `cached`, the list the
/// list cache gave, which the reader already shows: answers its words at once from the
/// index on disk as it is, then walks the folders, looks at every file, reads the new and
/// changed ones, and reports the list as it is now, with its words.
pub fn spawn_checked(
    cached: std::sync::Arc<Catalog>,
    remembered: Remembered,
    paths: Vec<PathBuf>,
    options: LoadOptions,
) -> std::io::Result<Receiver<LoadEvent>> {
    run("check", move |send| {
        let total = cached.corpus.articles.len();
        progress(send, Stage::Checking, 0, total);
        let dir = options.cache.as_deref().map(dir_for);
        let early = dir.and_then(|dir| disk_as_is(&cached, &dir, &remembered.stamps));
        let shown = std::sync::Arc::as_ptr(&cached) as usize;
        // The list shown is the reader's again, to change without a copy.
        drop(cached);
        let answered = early.is_some();
        if let Some((snapshot, known)) = early {
            // Words typed now are answered; the check follows.
            let whole = snapshot.missing().is_empty();
            let kept = snapshot.clone();
            let _ = send.send(LoadEvent::Answered(shown, snapshot, known));
            // Nothing changed, and the index holds every article as it is: nothing to
            // read, nothing to index, no list to make again.
            if whole && still_as_remembered(&options, &remembered) {
                let _ = send.send(LoadEvent::Unchanged(shown));
                keep_short_prefixes_ready(Some(kept));
                return;
            }
        }
        drop(remembered);
        let checking = |done, total| progress(send, Stage::Checking, done, total);
        let (corpus, cache, stamps) = load::load_stamped(walk::find(&paths), &options, &checking);
        let catalog = Catalog::listed(corpus);
        // With words answered already, the checked list comes with its words, so they
        // never stop being answered; else the list first, then its words.
        let first = if answered {
            Some(LoadEvent::Checked as fn(Catalog) -> LoadEvent)
        } else {
            let _ = send.send(LoadEvent::Checked(catalog.clone()));
            None
        };
        keep_short_prefixes_ready(words(send, catalog, stamps, cache, &options, first));
    })
}

/// Reads the files under `paths` again, words and related articles included, on this
/// thread: for the reader once new articles arrived (a fetch, a full text). Unchanged files
/// cost a look at their stamp; the index on disk is brought up to date with the others.
pub fn reload(paths: &[PathBuf], options: &LoadOptions) -> Catalog {
    let (send, receive) = mpsc::channel();
    let (corpus, cache, stamps) = load::load_stamped(walk::find(paths), options, &|_, _| {});
    words(&send, Catalog::listed(corpus), stamps, cache, options, None);
    drop(send);
    // The last catalog sent is the whole one: related articles found.
    let mut last = None;
    for event in receive {
        if let LoadEvent::Indexed(catalog) = event {
            last = Some(catalog);
        }
    }
    last.unwrap_or_default()
}

fn run(
    name: &str,
    work: impl FnOnce(&Sender<LoadEvent>) + Send + 'static,
) -> std::io::Result<Receiver<LoadEvent>> {
    let (send, receive) = mpsc::channel();
    std::thread::Builder::new()
        .name(name.into())
        .spawn(move || work(&send))?;
    Ok(receive)
}

/// A send fails only once the reader quit: then the work is simply dropped.
fn progress(send: &Sender<LoadEvent>, stage: Stage, done: usize, total: usize) {
    let _ = send.send(LoadEvent::Progress(stage, done, total));
}

/// The words of `catalog`'s articles: from the index kept on disk, brought up to date with
/// only what changed, when there is a cache to keep it in; it finds related articles too.
/// Without a disk index (no cache folder, an index that cannot be used) every word is
/// indexed in memory, as before, and the related articles with them. `first`, when given,
/// is how the catalog with its words is sent (else as indexed). Returns the snapshot of the
/// index on disk the catalog sent answers from, if it does.
fn words(
    send: &Sender<LoadEvent>,
    catalog: Catalog,
    stamps: Vec<Option<Stamp>>,
    cache: CacheUpdate,
    options: &LoadOptions,
    first: Option<fn(Catalog) -> LoadEvent>,
) -> Option<Snapshot> {
    let catalog = match options.cache.as_deref().map(dir_for) {
        Some(dir) => from_disk(catalog, &dir, &stamps),
        None => catalog,
    };
    let disk = match catalog.disk {
        Some(_) => catalog,
        None => {
            if let Some(first) = first {
                let _ = send.send(first(catalog.clone()));
            }
            let catalog = index(catalog, &|stage, done, total| {
                progress(send, stage, done, total)
            });
            save_with_words(cache, &catalog);
            let _ = send.send(LoadEvent::Indexed(relate(catalog)));
            return None;
        }
    };
    save_with_words(cache, &disk);
    let snapshot = disk.disk.clone();
    // Related articles come from the index on disk too, for the article open.
    let _ = send.send(first.unwrap_or(LoadEvent::Indexed)(disk));
    snapshot
}

/// Looks up every one-letter prefix now, in the title and the body, so that the first key
/// of any word typed finds its set ready: a one-letter prefix is a range of tens of
/// thousands of words, the costliest look-up there is (the reader shares these sets).
fn keep_short_prefixes_ready(snapshot: Option<Snapshot>) {
    let Some(snapshot) = snapshot else {
        return;
    };
    let letters = ('a'..='z').chain('0'..='9');
    for letter in letters {
        let word = [letter.to_string()];
        for title in [true, false] {
            if snapshot.matching(&word, true, title).is_err() {
                return;
            }
        }
    }
}

/// `catalog` with its words answered by the index kept in `dir` (its `disk`), brought up to
/// date first; when it cannot be used, the catalog as it was, the reason added to its
/// warnings. No copy is made: the index changes the catalog only once it answers (a million
/// articles copied was a second of a reload).
fn from_disk(mut catalog: Catalog, dir: &Path, stamps: &[Option<Stamp>]) -> Catalog {
    if let Err(err) = with_disk(&mut catalog, dir, stamps) {
        catalog.corpus.warnings.push(Warning {
            path: dir.display().to_string(),
            reason: err.to_string(),
            skipped: false,
        });
    }
    catalog
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::query::Query;
    use crate::store::marks::Marks;

    #[test]
    fn an_index_that_cannot_be_kept_leaves_the_words_in_memory() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("articles");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(root.join("a.txt"), "date 2026-03-06 Un zeppelin passe.").unwrap();
        std::fs::write(root.join("b.txt"), "date 2026-03-05 La pluie.").unwrap();
        // The cache folder is a file: no list cache and no index can be kept there.
        std::fs::write(dir.path().join("cache"), "a file").unwrap();
        let options = LoadOptions {
            cache: Some(dir.path().join("cache").join("list.bin")),
            ..LoadOptions::default()
        };
        let catalog = reload(&[root], &options);
        assert_eq!(catalog.corpus.articles.len(), 2);
        assert!(catalog.disk.is_none() && catalog.is_indexed());
        let why = &catalog.corpus.warnings;
        assert!(
            why.iter().any(|w| w.reason.contains("search index")),
            "{why:?}"
        );
        let found = Query::parse("zeppelin", chrono::NaiveDate::MIN)
            .unwrap()
            .filter(&catalog, &Marks::default());
        assert_eq!(found.len(), 1);
        assert_eq!(
            catalog.corpus.articles[found[0]].title,
            "Un zeppelin passe."
        );
    }
}
