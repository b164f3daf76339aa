//! The list cache: what the list knows of every article of a folder (date, title, or why
//! the file was skipped), with the size and modification time it was read at, so the next
//! start reads only the files that changed. It lives in the user's cache folder; a cache
//! that cannot be read is a warning and is rebuilt, never a wrong list.

use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::corpus::{ArticleDate, Origin, Precision};
use crate::store::walk::Folder;

/// Bumped whenever the format or what is cached changes: an old cache is then ignored.
pub(crate) const FORMAT: u32 = 7;

/// A file as it was when read: a cached entry is used only while both still match.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    pub size: u64,
    /// Modification time, in nanoseconds since 1970 (to the year 2262): 16 bytes a stamp,
    /// kept for every file.
    pub modified: i64,
}

impl Stamp {
    fn from_stat(stat: &rustix::fs::Stat) -> Stamp {
        #[allow(clippy::unnecessary_cast)] // the field types differ between architectures
        Stamp {
            size: stat.st_size as u64,
            modified: (stat.st_mtime as i64)
                .saturating_mul(1_000_000_000)
                .saturating_add(stat.st_mtime_nsec as i64),
        }
    }

    /// The stamp of the file at `path` now (following links, as loading does).
    pub fn of(path: &Path) -> std::io::Result<Stamp> {
        Ok(Stamp::from_stat(&rustix::fs::stat(path)?))
    }

    /// The stamps of `files`, in parallel. Files of one folder are looked up relative to
    /// the folder, opened once, rather than each by its whole path: at 100,000 files that
    /// path walking was most of a next start.
    pub fn of_all<P: AsRef<Path> + Sync>(files: &[P]) -> Vec<Option<Stamp>> {
        use rayon::prelude::*;
        let mut folders: Vec<&[P]> = Vec::new();
        let mut start = 0;
        let parent = |i: usize| files[i].as_ref().parent();
        for i in 1..=files.len() {
            if i == files.len() || parent(i) != parent(start) {
                folders.push(&files[start..i]);
                start = i;
            }
        }
        folders
            .par_iter()
            .flat_map_iter(|group| {
                let folder = group[0]
                    .as_ref()
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty());
                let dir = folder.and_then(|f| {
                    use rustix::fs::{Mode, OFlags};
                    let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
                    rustix::fs::open(f, flags, Mode::empty()).ok()
                });
                group
                    .iter()
                    .map(move |path| match (&dir, path.as_ref().file_name()) {
                        (Some(dir), Some(name)) => {
                            rustix::fs::statat(dir, name, rustix::fs::AtFlags::empty())
                                .ok()
                                .map(|stat| Stamp::from_stat(&stat))
                        }
                        _ => Stamp::of(path.as_ref()).ok(),
                    })
            })
            .collect()
    }
}

/// What the list needs of one file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
// Nearly every entry is an article: boxing it would cost an allocation each, for the rare
// skipped file.
#[allow(clippy::large_enum_variant)]
pub enum Entry {
    Article {
        /// Days since 0001-01-01 of the first day, and whether the date is a month.
        date: Option<(i32, bool)>,
        title: String,
        encoding: Option<String>,
        /// A note the article was loaded with (an impossible date).
        note: Option<String>,
        /// Its number of words, once indexed.
        words: Option<u32>,
        /// Where an article saved from a feed comes from.
        origin: Option<CachedOrigin>,
        /// What the read state knows the article by, once indexed.
        fingerprint: Option<u128>,
    },
    Skipped {
        reason: String,
    },
}

/// [`Origin`] as the cache keeps it: the time as RFC 3339 text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CachedOrigin {
    pub feed: String,
    pub link: Option<String>,
    pub author: Option<String>,
    pub published: Option<String>,
    pub feed_key: Option<String>,
}

impl From<&Origin> for CachedOrigin {
    fn from(origin: &Origin) -> Self {
        CachedOrigin {
            feed: origin.feed.clone(),
            link: origin.link.clone(),
            author: origin.author.clone(),
            published: origin.published.map(|p| p.to_rfc3339()),
            feed_key: origin.feed_key.clone(),
        }
    }
}

impl From<&CachedOrigin> for Origin {
    fn from(cached: &CachedOrigin) -> Self {
        Origin {
            feed: cached.feed.clone(),
            link: cached.link.clone(),
            author: cached.author.clone(),
            published: cached
                .published
                .as_deref()
                .and_then(|p| chrono::DateTime::parse_from_rfc3339(p).ok()),
            feed_key: cached.feed_key.clone(),
        }
    }
}

impl Entry {
    pub fn date(&self) -> Option<ArticleDate> {
        let Entry::Article {
            date: Some((days, month)),
            ..
        } = self
        else {
            return None;
        };
        let first = NaiveDate::from_num_days_from_ce_opt(*days)?;
        Some(ArticleDate {
            first,
            precision: if *month {
                Precision::Month
            } else {
                Precision::Day
            },
        })
    }

    pub fn encode_date(date: Option<ArticleDate>) -> Option<(i32, bool)> {
        use chrono::Datelike;
        date.map(|d| (d.first.num_days_from_ce(), d.precision == Precision::Month))
    }
}

/// One cached file: its path, its stamp, what the list needs of it.
pub type Cached = (PathBuf, Stamp, Entry);

/// Entries per part. The file is the format, the header's length, the header (the folders
/// walked with their stamps, every part's length), then the parts of entries, each encoded
/// by itself so that they are read and decoded on every core at once: at a million
/// articles, decoding is most of a next start.
const CHUNK: usize = 4096;

/// The cache file for the folders and files `roots`, in `dir`.
pub fn path_for(dir: &Path, roots: &[PathBuf]) -> PathBuf {
    let mut key = Vec::new();
    for root in roots {
        let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.clone());
        key.extend_from_slice(root.as_os_str().as_encoded_bytes());
        key.push(0);
    }
    let hash = xxhash_rust::xxh3::xxh3_128(&key);
    dir.join(format!("list-{hash:032x}.bin"))
}

/// The user's cache folder for kiosque: `$XDG_CACHE_HOME/kiosque`, else `~/.cache/kiosque`.
pub fn default_dir() -> Option<PathBuf> {
    crate::store::dirs::cache_dir()
}

/// Why a cache could not be used.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} is damaged ({detail}); it will be rebuilt")]
    Damaged { path: String, detail: String },
}

/// Reads the cache at `path`: empty when there is none yet, or when it was written by
/// another version of kiosque.
pub fn read(path: &Path) -> Result<Contents<Vec<Cached>>, CacheError> {
    read_each(path, |cached| cached)
}

/// What the cache holds: the folders walked, with their stamps then, and an entry per file
/// in parts (see [`CHUNK`]), each part as the reader made it.
#[derive(Debug, PartialEq, Eq)]
pub struct Contents<P> {
    pub folders: Vec<Folder>,
    pub parts: Vec<P>,
    /// The stamp of the cache file read (none when there was none).
    pub file: Option<Stamp>,
}

impl<P> Default for Contents<P> {
    fn default() -> Self {
        Contents {
            folders: Vec::new(),
            parts: Vec::new(),
            file: None,
        }
    }
}

impl<T> Contents<Vec<T>> {
    /// Every entry, in order.
    pub fn entries(self) -> impl Iterator<Item = T> {
        self.parts.into_iter().flatten()
    }

    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.parts.iter().all(Vec::is_empty)
    }
}

/// As [`read`], each entry made into what the caller needs by `make`, on every core at
/// once; the entries come in parts, in order. Nothing is moved twice: at a million
/// articles, a copy of the whole list costs as much as decoding it.
pub fn read_each<T: Send>(
    path: &Path,
    make: impl Fn(Cached) -> T + Sync,
) -> Result<Contents<Vec<T>>, CacheError> {
    read_parts(path, |part| part.into_iter().map(&make).collect())
}

/// As [`read`], each part of entries made into what the caller needs by `make`, on every
/// core at once. Each part is read from the file, decoded and made in turn: only the parts
/// being made are in memory with what `make` keeps of the others, never the whole file.
pub fn read_parts<P: Send>(
    path: &Path,
    make: impl Fn(Vec<Cached>) -> P + Sync,
) -> Result<Contents<P>, CacheError> {
    let shown = || crate::text::display::shown(path);
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Contents::default()),
        Err(source) => {
            return Err(CacheError::Read {
                path: shown(),
                source,
            });
        }
    };
    let failed = |source| CacheError::Read {
        path: shown(),
        source,
    };
    let damaged = |detail: &str| CacheError::Damaged {
        path: shown(),
        detail: detail.to_owned(),
    };
    // The stamp of the very file read: the cache is replaced, never written over.
    let stamp = Stamp::from_stat(&rustix::fs::fstat(&file).map_err(|e| failed(e.into()))?);
    // The format number comes first, so a cache of another version is told apart from a
    // damaged one; then the header's length, the header, and the parts.
    let read = |bytes: &mut [u8], offset| match file.read_exact_at(bytes, offset) {
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
            Err(damaged("shorter than its header"))
        }
        done => done.map_err(failed),
    };
    let (mut format, mut length) = ([0u8; 4], [0u8; 8]);
    read(&mut format, 0)?;
    if format != FORMAT.to_le_bytes() {
        return Ok(Contents::default());
    }
    read(&mut length, 4)?;
    let length = u64::from_le_bytes(length);
    let at = |offset: u64, length: u64| -> Result<Vec<u8>, CacheError> {
        let fits = offset
            .checked_add(length)
            .is_some_and(|end| end <= stamp.size);
        if !fits {
            return Err(damaged("a part is missing"));
        }
        let mut bytes = vec![0; length as usize];
        file.read_exact_at(&mut bytes, offset).map_err(failed)?;
        Ok(bytes)
    };
    let header = at(12, length)?;
    let (folders, lengths): (Vec<Folder>, Vec<u64>) =
        postcard::from_bytes(&header).map_err(|e| damaged(&e.to_string()))?;
    let mut offsets = Vec::with_capacity(lengths.len());
    let mut offset = 12 + length;
    for length in lengths {
        offsets.push((offset, length));
        offset = offset.saturating_add(length);
    }
    if offset != stamp.size {
        return Err(damaged("its parts do not add up to its size"));
    }
    use rayon::prelude::*;
    let parts = offsets
        .par_iter()
        .map(|&(offset, length)| {
            let bytes = at(offset, length)?;
            let entries =
                postcard::from_bytes::<Vec<Cached>>(&bytes).map_err(|e| damaged(&e.to_string()))?;
            drop(bytes);
            Ok(make(entries))
        })
        .collect::<Result<Vec<_>, CacheError>>()?;
    Ok(Contents {
        folders,
        parts,
        file: Some(stamp),
    })
}

/// Writes the cache at `path`, replacing the old one in one step: a reader sees the old
/// cache or the new one, never a part. Failing to write a cache only costs speed.
pub fn write(path: &Path, folders: &[Folder], entries: Vec<Cached>) -> std::io::Result<()> {
    use rayon::prelude::*;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let chunks = entries
        .par_chunks(CHUNK)
        .map(postcard::to_allocvec)
        .collect::<Result<Vec<_>, _>>()
        .map_err(std::io::Error::other)?;
    let lengths: Vec<u64> = chunks.iter().map(|c| c.len() as u64).collect();
    let header = postcard::to_allocvec(&(folders, lengths)).map_err(std::io::Error::other)?;
    let mut bytes = FORMAT.to_le_bytes().to_vec();
    bytes.extend((header.len() as u64).to_le_bytes());
    bytes.extend(header);
    for chunk in chunks {
        bytes.extend(chunk);
    }
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let temporary = path.with_extension(format!("tmp-{}-{nanos}", std::process::id()));
    std::fs::write(&temporary, bytes)?;
    std::fs::rename(&temporary, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&temporary);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries() -> Vec<Cached> {
        let date = ArticleDate::month(2023, 5);
        vec![
            (
                PathBuf::from("a.txt"),
                Stamp {
                    size: 12,
                    modified: 1_700_000_000_123_456_789,
                },
                Entry::Article {
                    date: Entry::encode_date(date),
                    title: "Sécurité « ok »".into(),
                    encoding: Some("windows-1252".into()),
                    note: None,
                    words: Some(3),
                    origin: Some(CachedOrigin {
                        feed: "Le Monde".into(),
                        link: Some("https://www.lemonde.fr/a".into()),
                        author: None,
                        published: Some("2026-03-06T14:05:00+01:00".into()),
                        feed_key: Some("https://www.lemonde.fr/rss/une.xml".into()),
                    }),
                    fingerprint: Some(u128::MAX - 7),
                },
            ),
            (
                PathBuf::from("b.txt"),
                Stamp {
                    size: 0,
                    modified: -5,
                },
                Entry::Skipped {
                    reason: "no text".into(),
                },
            ),
        ]
    }

    #[test]
    fn round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("list.bin");
        assert!(read(&path).unwrap().is_empty(), "no cache yet");
        let folders = [(PathBuf::from("articles"), entries()[0].1)];
        write(&path, &folders, entries()).unwrap();
        let back = read(&path).unwrap();
        assert_eq!(back.folders, folders);
        let back: Vec<Cached> = back.entries().collect();
        assert_eq!(back, entries());
        assert_eq!(back[0].2.date(), ArticleDate::month(2023, 5));
    }

    #[test]
    fn a_cache_of_several_chunks_comes_back_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("list.bin");
        let one = entries().remove(0);
        let many: Vec<Cached> = (0..CHUNK * 2 + 5)
            .map(|i| (PathBuf::from(format!("{i}.txt")), one.1, one.2.clone()))
            .collect();
        write(&path, &[], many.clone()).unwrap();
        let back = read(&path).unwrap();
        assert_eq!(back.parts.len(), 3);
        assert_eq!(back.entries().collect::<Vec<_>>(), many);
    }

    #[test]
    fn a_damaged_cache_is_an_error_and_another_version_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("list.bin");
        write(&path, &[], entries()).unwrap();
        let mut bytes = std::fs::read(&path).unwrap();
        bytes.truncate(bytes.len() / 2);
        std::fs::write(&path, &bytes).unwrap();
        let err = read(&path).unwrap_err().to_string();
        assert!(
            err.contains("is damaged") && err.contains("rebuilt"),
            "{err}"
        );
        let mut other = (FORMAT + 1).to_le_bytes().to_vec();
        other.extend([1, 1, 7]);
        std::fs::write(&path, other).unwrap();
        assert!(read(&path).unwrap().is_empty());
        // An older kiosque's cache, its format a postcard number.
        let old = postcard::to_allocvec(&(4u32, "an older list")).unwrap();
        std::fs::write(&path, old).unwrap();
        assert!(read(&path).unwrap().is_empty());
    }

    #[test]
    fn stamps_by_folder_are_stamps_by_path() {
        let dir = tempfile::tempdir().unwrap();
        let mut files = Vec::new();
        for (folder, name) in [("a", "1.txt"), ("a", "2.txt"), ("b", "1.txt")] {
            let path = dir.path().join(folder).join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, name).unwrap();
            files.push(path);
        }
        files.push(dir.path().join("missing.txt"));
        let each: Vec<_> = files.iter().map(|f| Stamp::of(f).ok()).collect();
        assert_eq!(Stamp::of_all(&files), each);
        assert!(each[0].is_some() && each[3].is_none());
        assert_eq!(each[0].map(|s| s.size), Some(5));
        // The same instant std reports.
        let modified = std::fs::metadata(&files[0]).unwrap().modified().unwrap();
        let nanos = modified.duration_since(UNIX_EPOCH).unwrap().as_nanos() as i64;
        assert_eq!(each[0].map(|s| s.modified), Some(nanos));
    }

    #[test]
    fn one_cache_per_set_of_folders() {
        let dir = Path::new("/cache");
        let a = path_for(dir, &[PathBuf::from("/nonexistent/a")]);
        let b = path_for(dir, &[PathBuf::from("/nonexistent/b")]);
        assert_ne!(a, b);
        assert_eq!(a, path_for(dir, &[PathBuf::from("/nonexistent/a")]));
    }
}
