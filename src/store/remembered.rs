//! The list as the list cache remembers it, read without looking at a single article file:
//! what the reader draws first and `kiosque list -q` answers from, and how to tell whether
//! anything changed since without walking the folders again.
//!
//! Nothing changed when every folder walked then has the same stamp (no file in it was
//! added, removed or renamed) and so has every file (none was rewritten in place): one look
//! at each, where a check also lists every folder and matches the files found to the cache.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::corpus::{Article, Corpus, Warning};
use crate::store::cache::{self, Cached, Entry, Stamp};
use crate::store::load::{LoadOptions, from_owned_entry, gather_in_place, newest_first_order};
use crate::store::read::skipped;
use crate::store::walk::Folder;

/// What the list cache knew beside the list it gave: enough to tell later whether anything
/// changed since (see [`still_as_remembered`]).
pub struct Remembered {
    /// The stamp each article's file had, by article of the list.
    pub stamps: Vec<Stamp>,
    /// The list cache file as it was read: another kiosque may have written a newer one
    /// since, of files as they are later.
    file: Option<Stamp>,
}

/// The list as the list cache last saw it, without looking at a single file: what the
/// reader draws first, before it checks the files (see `load::load`). `None` without a
/// cache, or with one that cannot be read or is empty.
pub fn from_cache(options: &LoadOptions) -> Option<(Corpus, Remembered)> {
    let contents = cache::read_parts(options.cache.as_deref()?, Part::of).ok()?;
    if contents.parts.iter().all(Part::is_empty) {
        return None;
    }
    let (corpus, stamps) = sorted(contents.parts);
    let file = contents.file;
    Some((corpus, Remembered { stamps, file }))
}

/// True when nothing changed since `remembered` was read from the list cache: the cache is
/// the same file, and every folder and file it knows has its stamp still. Looks at the
/// files, not at their text.
pub fn still_as_remembered(options: &LoadOptions, remembered: &Remembered) -> bool {
    let Some(path) = options.cache.as_deref() else {
        return false;
    };
    // Each part is looked at as it is read, and dropped: the list is in memory already.
    let same = cache::read_parts(path, |part| {
        files_unchanged(part.iter().map(|(path, stamp, _)| (path.as_path(), *stamp)))
    });
    let Ok(contents) = same else {
        return false;
    };
    contents.file.is_some()
        && contents.file == remembered.file
        && folders_unchanged(&contents.folders)
        && contents.parts.iter().all(|same| *same)
}

/// The list as the list cache last saw it, with the stamp of each article's file, when
/// nothing changed since (see the module). No folder is listed again: at 100,000 articles,
/// that walk costs as much as everything else here. `None` without a cache, when the cache
/// cannot vouch for the folders, or when anything changed.
pub fn from_cache_unchanged(options: &LoadOptions) -> Option<(Corpus, Vec<Stamp>)> {
    let contents = cache::read_parts(options.cache.as_deref()?, Part::of).ok()?;
    let same =
        folders_unchanged(&contents.folders) && contents.parts.par_iter().all(Part::unchanged);
    same.then(|| sorted(contents.parts))
}

/// One part of the list cache made into articles, on a core of its own.
struct Part {
    articles: Vec<Article>,
    /// The stamp of each article's file, by article.
    stamps: Vec<Stamp>,
    /// The files skipped, with their stamps: looked at too, they may be readable now.
    skipped: Vec<(PathBuf, Stamp)>,
    /// Why files were skipped, and notes the articles were read with, in the cache's order.
    warnings: Vec<Warning>,
}

impl Part {
    fn of(entries: Vec<Cached>) -> Part {
        let mut part = Part {
            articles: Vec::with_capacity(entries.len()),
            stamps: Vec::with_capacity(entries.len()),
            skipped: Vec::new(),
            warnings: Vec::new(),
        };
        for (path, stamp, entry) in entries {
            if let Entry::Skipped { reason } = entry {
                part.warnings.push(skipped(&path, reason));
                part.skipped.push((path, stamp));
                continue;
            }
            // An entry that is not skipped is an article.
            if let Ok(loaded) = from_owned_entry(path, entry) {
                part.warnings.extend(loaded.note);
                part.articles.push(loaded.article);
                part.stamps.push(stamp);
            }
        }
        part
    }

    /// True when the part knows no file at all (a list of skipped files is still a list to
    /// show: its warnings say why).
    fn is_empty(&self) -> bool {
        self.articles.is_empty() && self.skipped.is_empty()
    }

    /// True when every file of the part has its stamp still.
    fn unchanged(&self) -> bool {
        let articles = self.articles.iter().map(|a| a.path.as_path());
        let skipped = self
            .skipped
            .iter()
            .map(|(path, stamp)| (path.as_path(), *stamp));
        files_unchanged(articles.zip(self.stamps.iter().copied()).chain(skipped))
    }
}

/// The parts put together, newest first, with each article's stamp. Each part's articles are
/// moved once into the list, then once into place: at a million articles, memory and its
/// traffic are most of the cost.
fn sorted(parts: Vec<Part>) -> (Corpus, Vec<Stamp>) {
    let total = parts.iter().map(|part| part.articles.len()).sum();
    let mut articles = Vec::with_capacity(total);
    let mut stamps = Vec::with_capacity(total);
    let mut warnings = Vec::new();
    for mut part in parts {
        articles.append(&mut part.articles);
        stamps.append(&mut part.stamps);
        warnings.append(&mut part.warnings);
    }
    let order = newest_first_order(&articles);
    gather_in_place(&mut articles, &order);
    let stamps = order.iter().map(|&i| stamps[i as usize]).collect();
    let corpus = Corpus {
        articles,
        warnings,
        words_counted: false,
    };
    (corpus, stamps)
}

/// True when every folder of `folders` has its stamp still. False without folders: nothing
/// vouches then that no file was added.
fn folders_unchanged(folders: &[Folder]) -> bool {
    let same = |(path, then): &Folder| Stamp::of(path).is_ok_and(|now| now == *then);
    !folders.is_empty() && folders.par_iter().all(same)
}

/// True when every file of `files` has its stamp still. Given in the order of the walk that
/// wrote the cache: the files of a folder come together, looked up in it.
fn files_unchanged<'a>(files: impl Iterator<Item = (&'a Path, Stamp)>) -> bool {
    let (paths, then): (Vec<&Path>, Vec<Stamp>) = files.unzip();
    let now = Stamp::of_all(&paths);
    then.into_iter()
        .zip(now)
        .all(|(then, now)| now == Some(then))
}
