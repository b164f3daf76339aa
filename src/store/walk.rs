//! Finds the article files under the paths the user gave: folders walked recursively in a
//! stable order, hidden entries and non-`.txt` files skipped, link loops ended.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

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
        Ok(meta) if meta.is_dir() => walk_folder(root, files, warnings),
        Ok(meta) if meta.is_file() => files.push(root.to_path_buf()),
        // A FIFO, socket or device is never opened: reading it could block forever.
        Ok(_) => warnings.push(skipped(root, "not a regular file")),
    }
}

/// Walks one folder with walkdir: links are followed, and its loop detection ends a link
/// back up the tree. The kind of each entry comes with the folder listing, so a plain file
/// costs no extra system call.
fn walk_folder(root: &Path, files: &mut Vec<PathBuf>, warnings: &mut Vec<Warning>) {
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
        if kind.is_dir() || !is_txt(entry.path()) {
            continue;
        }
        if kind.is_file() {
            files.push(entry.into_path());
        } else {
            warnings.push(skipped(entry.path(), "not a regular file"));
        }
    }
}
