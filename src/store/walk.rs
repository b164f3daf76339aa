//! Finds the article files under the paths the user gave: folders walked recursively in a
//! stable order, hidden entries and non-`.txt` files skipped, link loops ended.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use crate::corpus::Warning;
use crate::store::read::{io_reason, skipped};

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
