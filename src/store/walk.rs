//! Finds the article files under the paths the user gave: folders walked recursively in a
//! stable order, hidden entries and non-`.txt` files skipped, link loops ended.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use walkdir::WalkDir;

use crate::corpus::Warning;
use crate::store::cache::Stamp;
use crate::store::read::{io_reason, skipped};

/// A folder walked, and its stamp when it was listed: while the stamp stays the same, no
/// file was added to the folder, removed or renamed (see `search::trusted`).
pub type Folder = (PathBuf, Stamp);

/// What a walk finds.
#[derive(Debug, Default)]
pub struct Found {
    /// The article files, in a stable order.
    pub files: Vec<PathBuf>,
    /// A warning for every path that could not be walked.
    pub warnings: Vec<Warning>,
    /// Every folder walked, with its stamp; empty when one of them cannot be vouched for
    /// (changed while it was listed, or a path given that is not a folder).
    pub folders: Vec<Folder>,
}

/// A folder changed this close to the walk may have changed again, within the same tick of
/// the file system's clock, after it was listed: its stamp would then vouch for a listing
/// it does not match. Such a stamp is not kept.
const SETTLED: Duration = Duration::from_secs(2);

/// The article files under `paths` (files, or folders walked recursively), a warning for
/// every path that could not be walked, and the folders' stamps.
pub fn find(paths: &[PathBuf]) -> Found {
    let began = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as i64);
    let mut found = Found::default();
    let mut vouched = true;
    for path in paths {
        vouched &= walk(path, &mut found);
    }
    let settled = began - SETTLED.as_nanos() as i64;
    if !vouched || found.folders.iter().any(|(_, s)| s.modified >= settled) {
        found.folders.clear();
    }
    found
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
/// True when every folder walked has its stamp in `found`.
fn walk(root: &Path, found: &mut Found) -> bool {
    match std::fs::metadata(root) {
        Err(err) => {
            let warning = skipped(root, io_reason(Some(&err), "cannot be read"));
            found.warnings.push(warning);
            false
        }
        Ok(meta) if meta.is_dir() => walk_folder(root, found),
        Ok(meta) if meta.is_file() => {
            found.files.push(root.to_path_buf());
            false
        }
        // A FIFO, socket or device is never opened: reading it could block forever.
        Ok(_) => {
            found.warnings.push(skipped(root, "not a regular file"));
            false
        }
    }
}

/// Walks one folder with walkdir: links are followed, and its loop detection ends a link
/// back up the tree. The kind of each entry comes with the folder listing, so a plain file
/// costs no extra system call; a folder costs one, for its stamp. True when every folder
/// has its stamp.
fn walk_folder(root: &Path, found: &mut Found) -> bool {
    let Found {
        files,
        warnings,
        folders,
    } = found;
    let mut vouched = true;
    let entries = WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let Some(path) = err.path().map(Path::to_path_buf) else {
                    continue;
                };
                vouched = false;
                if err.loop_ancestor().is_some() {
                    warnings.push(skipped(&path, "symbolic link loop"));
                } else if is_txt(&path) || path.is_dir() {
                    // A folder or an article that cannot be read is worth a word; a broken
                    // link to anything else is not.
                    warnings.push(skipped(&path, io_reason(err.io_error(), "cannot be read")));
                }
                continue;
            }
        };
        let kind = entry.file_type();
        if kind.is_dir() {
            // Listed already (walkdir reads a folder as it enters it): a change made since
            // shows as a stamp too recent to keep (see `find`).
            match Stamp::of(entry.path()) {
                Ok(stamp) => folders.push((entry.into_path(), stamp)),
                Err(_) => vouched = false,
            }
            continue;
        }
        if !is_txt(entry.path()) {
            continue;
        }
        if kind.is_file() {
            files.push(entry.into_path());
        } else {
            warnings.push(skipped(entry.path(), "not a regular file"));
        }
    }
    vouched
}
