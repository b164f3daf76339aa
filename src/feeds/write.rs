//! Saves feed items as article files: `<feeds root>/<feed folder>/<YYYY-MM>/<file>.txt`,
//! one per item, each written whole or not at all, and deletes old ones.
//!
//! Folder and file names are made only of a folded ASCII slug, a date and a hash (of the
//! feed key, of the item id), never of raw feed text: no `/`, `..`, NUL or control character
//! from a feed can reach a path. The hash at the end of a file name is the item's identity:
//! an item seen again is found by it, even if its title or month changed.

use std::collections::HashMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::item::Item;
use crate::store::header::{self, Meta};
use crate::text::sanitize::{Place, sanitize};

/// What one save did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SaveReport {
    pub new: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// The file of every item saved, new, updated or unchanged, in the order of the items.
    pub paths: Vec<PathBuf>,
    /// The files of the new items, in the order of the items.
    pub new_paths: Vec<PathBuf>,
}

/// Longest slug of a feed name, of a title.
const FEED_SLUG: usize = 40;
const TITLE_SLUG: usize = 60;

/// Saves `items` of the feed known by `feed_key` (its address) and shown as `feed_name`.
/// An item already saved (same id) is rewritten in place when its text changed and left
/// alone otherwise, keeping the full text it was given (`feeds::fulltext`); of two items
/// with the same id in one batch, the first is kept.
pub fn save_items(
    feeds_root: &Path,
    feed_key: &str,
    feed_name: &str,
    items: &[Item],
) -> io::Result<SaveReport> {
    let folder = match feed_folder(feeds_root, feed_key)? {
        Some(existing) => existing,
        None => feeds_root.join(format!(
            "{}-{}",
            slug(feed_name, FEED_SLUG, "feed"),
            key_hash(feed_key)
        )),
    };
    let mut known = existing_items(&folder)?;
    let mut report = SaveReport::default();
    let mut batch = Batch::default();
    for item in items {
        let hash = id_hash(&item.id);
        let path = match known.get(&hash) {
            Some(path) if report.paths.contains(path) => continue,
            Some(path) => {
                let old = fs::read_to_string(path).ok();
                let mut text = article_text(feed_key, feed_name, &kept_date(item, old.as_deref()));
                if let Some(old) = &old {
                    text = super::fulltext::keep(text, old);
                }
                if old.is_some_and(|old| old == text) {
                    report.unchanged += 1;
                } else {
                    batch.write(path, text.as_bytes())?;
                    report.updated += 1;
                }
                path.clone()
            }
            None => {
                let text = article_text(feed_key, feed_name, item);
                let date = item.published.map(|d| d.date_naive());
                let month =
                    date.map_or_else(|| "undated".to_owned(), |d| d.format("%Y-%m").to_string());
                let day = date.map_or_else(String::new, |d| d.format("%Y-%m-%d-").to_string());
                let dir = folder.join(month);
                fs::create_dir_all(&dir)?;
                let path = dir.join(format!(
                    "{day}{}-{hash}.txt",
                    slug(&item.title, TITLE_SLUG, "article")
                ));
                batch.write(&path, text.as_bytes())?;
                report.new += 1;
                report.new_paths.push(path.clone());
                known.insert(hash, path.clone());
                path
            }
        };
        report.paths.push(path);
    }
    batch.commit(&folder)?;
    Ok(report)
}

/// `item`, with the date its saved file already has when its own is a guess: an item
/// without a date is dated when first seen, not again at every fetch.
fn kept_date<'a>(item: &'a Item, saved: Option<&str>) -> std::borrow::Cow<'a, Item> {
    let saved = saved
        .filter(|_| item.published_guessed)
        .and_then(header::split)
        .and_then(|s| s.meta.published);
    match saved {
        Some(published) => std::borrow::Cow::Owned(Item {
            published: Some(published),
            ..item.clone()
        }),
        None => std::borrow::Cow::Borrowed(item),
    }
}

/// The whole file of an item: its header, then its body.
pub fn article_text(feed_key: &str, feed_name: &str, item: &Item) -> String {
    let meta = Meta {
        title: Some(item.title.clone()),
        link: item.link.clone(),
        feed: Some(feed_name.to_owned()),
        feed_key: Some(feed_key.to_owned()),
        author: item.author.clone(),
        id: Some(item.id.clone()),
        published: item.published,
        fulltext: None,
        enclosures: item.enclosures.clone(),
    };
    let mut text = header::render(&meta);
    let body = item.body.trim();
    // An item that is only a title and a link: the body says them, so it is an article
    // (and an item with nothing at all says its id).
    let first = [
        item.title.as_str(),
        item.link.as_deref().unwrap_or_default(),
        item.id.as_str(),
    ]
    .into_iter()
    .map(header::one_line)
    .find(|s| !s.is_empty())
    .unwrap_or_else(|| "—".to_owned());
    let mut lines = vec![if body.is_empty() {
        first
    } else {
        body.to_owned()
    }];
    // The reader finds links in the body only: the item's own page and its media (a podcast
    // episode) end it, so `o` opens them.
    if let Some(link) = item.link.as_deref().filter(|l| !body.contains(l)) {
        lines.push(header::one_line(link));
    }
    for e in &item.enclosures {
        let mime = e.mime.as_deref().map(header::one_line).unwrap_or_default();
        if mime.starts_with("image/") || body.contains(&e.url) {
            continue;
        }
        let kind = if mime.is_empty() { "file" } else { &mime };
        let line = format!("[{kind}] {}", header::one_line(&e.url));
        lines.push(sanitize(&line, Place::Body));
    }
    for line in lines {
        text.push_str(&line);
        text.push('\n');
    }
    text
}

/// Deletes the articles of the feed known by `feed_key` dated more than `keep` ago, unless
/// starred. Only regular files inside the feed's folder are looked at: a symbolic link is
/// never followed, so nothing outside the feeds folder can be deleted. Returns how many
/// files went.
pub fn retain(
    feeds_root: &Path,
    feed_key: &str,
    keep: chrono::Duration,
    is_starred: impl Fn(&Path) -> bool,
) -> io::Result<usize> {
    let Some(folder) = feed_folder(feeds_root, feed_key)? else {
        return Ok(0);
    };
    let cutoff = (chrono::Utc::now() - keep).date_naive();
    let mut deleted = 0;
    for month in real_entries(&folder, true)? {
        for file in real_entries(&month, false)? {
            let old = file_date(&file).is_some_and(|d| d < cutoff);
            if old && !is_starred(&file) {
                fs::remove_file(&file)?;
                deleted += 1;
            }
        }
        // Gone once empty; still there (an error) when something is left in it.
        let _ = fs::remove_dir(&month);
    }
    Ok(deleted)
}

/// The date a file name starts with (`2026-03-06-…`).
fn file_date(path: &Path) -> Option<NaiveDate> {
    let name = path.file_name()?.to_str()?;
    NaiveDate::parse_from_str(name.get(..10)?, "%Y-%m-%d").ok()
}

/// The folders (`dirs`) or `.txt` files directly in `dir` that are what they seem, not
/// symbolic links; none when `dir` does not exist.
fn real_entries(dir: &Path, dirs: bool) -> io::Result<Vec<PathBuf>> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry?;
        let kind = entry.file_type()?;
        let path = entry.path();
        let wanted = if dirs {
            kind.is_dir()
        } else {
            kind.is_file() && path.extension().is_some_and(|e| e == "txt")
        };
        if wanted {
            found.push(path);
        }
    }
    found.sort();
    Ok(found)
}

/// The folder of the feed known by `feed_key`, found by the hash its name ends with, so a
/// renamed feed keeps its folder.
fn feed_folder(feeds_root: &Path, feed_key: &str) -> io::Result<Option<PathBuf>> {
    let suffix = format!("-{}", key_hash(feed_key));
    Ok(real_entries(feeds_root, true)?.into_iter().find(|p| {
        p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.ends_with(&suffix))
    }))
}

/// The items already saved in a feed folder, by the id hash their file names end with.
fn existing_items(folder: &Path) -> io::Result<HashMap<String, PathBuf>> {
    let mut known = HashMap::new();
    for month in real_entries(folder, true)? {
        for file in real_entries(&month, false)? {
            let hash = file
                .file_stem()
                .and_then(|s| s.to_str())
                .and_then(|s| s.rsplit_once('-'))
                .map(|(_, h)| h.to_owned());
            if let Some(hash) = hash.filter(|h| h.len() == 16) {
                known.entry(hash).or_insert(file);
            }
        }
    }
    Ok(known)
}

/// 8 hex digits of a feed key: enough to tell a user's feeds apart.
fn key_hash(key: &str) -> String {
    format!("{:08x}", xxhash_rust::xxh3::xxh3_64(key.as_bytes()) >> 32)
}

/// 16 hex digits of an item id: ids of one feed never collide in practice.
fn id_hash(id: &str) -> String {
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(id.as_bytes()))
}

/// `Élections : le 2d tour` → `elections-le-2d-tour`: folded, ASCII letters and digits
/// only, runs of anything else one `-`, at most `max` characters cut at a `-`; `fallback`
/// when nothing is left.
pub fn slug(text: &str, max: usize, fallback: &str) -> String {
    // Folding a few thousand characters is enough for any slug.
    let head: String = text.chars().take(max * 8).collect();
    let mut out = String::new();
    for c in crate::text::fold::fold(&head).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    if out.len() > max {
        let cut = out[..=max].rfind('-').filter(|&i| i > 0).unwrap_or(max);
        out.truncate(cut);
    }
    let out = out.trim_matches('-');
    if out.is_empty() {
        fallback.to_owned()
    } else {
        out.to_owned()
    }
}

/// Replaces the file at `path` whole or not at all: written to a hidden temporary file
/// beside it, synced, renamed over it, and its folder synced.
pub fn replace(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut batch = Batch::default();
    batch.write(path, bytes)?;
    if let Err(err) = batch.sync_each() {
        for (temp, _) in &batch.pending {
            let _ = fs::remove_file(temp);
        }
        return Err(err);
    }
    batch.put_in_place()
}

/// The files of one save, written whole or not at all: each goes to a hidden temporary file
/// in its folder; once all are written they are made durable together, renamed over their
/// paths, and each folder is synced so the renames survive a crash. The loader skips hidden
/// files, so a leftover temporary file (a fetch killed mid-way) is never an article.
///
/// Durable together, because syncing each of 10,000 new articles on its own made a first
/// fetch spend most of its time waiting for the disk (BENCHMARKS.md): one `syncfs` of the
/// feeds' file system flushes them all at once.
#[derive(Default)]
struct Batch {
    /// (temporary file, final path), in the order written.
    pending: Vec<(PathBuf, PathBuf)>,
}

impl Batch {
    fn write(&mut self, path: &Path, bytes: &[u8]) -> io::Result<()> {
        let dir = path.parent().unwrap_or(Path::new("."));
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("article");
        let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
        let written = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&temp)
            .and_then(|mut file| file.write_all(bytes));
        if let Err(err) = written {
            let _ = fs::remove_file(&temp);
            return Err(err);
        }
        self.pending.push((temp, path.to_path_buf()));
        Ok(())
    }

    /// Makes the written files durable, then puts them in place.
    fn commit(self, folder: &Path) -> io::Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let synced =
            File::open(folder).and_then(|f| rustix::fs::syncfs(&f).map_err(io::Error::from));
        if synced.is_err() {
            // A file system without syncfs: each file on its own, as a last resort.
            self.sync_each()?;
        }
        self.put_in_place()
    }

    fn sync_each(&self) -> io::Result<()> {
        for (temp, _) in &self.pending {
            File::open(temp)?.sync_all()?;
        }
        Ok(())
    }

    /// Renames the written files over their paths and syncs their folders.
    fn put_in_place(self) -> io::Result<()> {
        let mut folders: Vec<&Path> = Vec::new();
        for (temp, path) in &self.pending {
            if let Err(err) = fs::rename(temp, path) {
                for (temp, _) in &self.pending {
                    let _ = fs::remove_file(temp);
                }
                return Err(err);
            }
            if let Some(dir) = path.parent().filter(|d| !folders.contains(d)) {
                folders.push(dir);
            }
        }
        for dir in folders {
            File::open(dir)?.sync_all()?;
        }
        Ok(())
    }
}

#[cfg(test)]
#[path = "write_tests.rs"]
mod tests;
