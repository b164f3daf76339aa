//! Read and starred marks, keyed by article content, kept in one file that processes share.
//!
//! A mark is keyed by the [`Fingerprint`] of the article's decoded text, so a moved or renamed
//! file keeps it. Every flag remembers when it was last set, on or off: merging two sets of
//! marks keeps the newer value of each flag, so an unmark is never undone by a process that
//! saved an older view of the file.
//!
//! The file (`$XDG_STATE_HOME/kiosque/state.json`) is compact JSON:
//!
//! ```json
//! {"version":1,"marks":{"99aa06d3014798d86001c324468d497f":{"r":[true,1741255871123]}}}
//! ```
//!
//! `r` is read, `s` starred; each is `[on, milliseconds since 1970 when it was set]` and is
//! absent when never set. Unmarked flags stay in the file: forgetting them would let an older
//! mark come back on the next merge.
//!
//! A save holds an exclusive `flock` on `state.json.lock`, reads the file as it is then, applies
//! only this process's changes, writes `state.json.tmp`, syncs it and renames it over: a reader
//! sees the old file or the new one, never a part, even if the writer is killed.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fmt;
use std::fs::{self, DirBuilder, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::corpus::Fingerprint;
use crate::store::lock::LockError;
use crate::text::display::shown;

/// The only file format version this kiosque reads and writes.
pub const VERSION: u64 = 1;

/// How long a save waits for another kiosque to release the lock: a save takes milliseconds,
/// so a lock held this long belongs to a stopped or hung process, and the UI must not freeze.
const LOCK_WAIT: Duration = Duration::from_secs(10);

/// Which of an article's two marks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mark {
    Read,
    Starred,
}

/// One flag's value and when it was set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "(bool, u64)", into = "(bool, u64)")]
struct Flag {
    on: bool,
    /// Milliseconds since 1970-01-01 UTC.
    at: u64,
}

impl From<(bool, u64)> for Flag {
    fn from((on, at): (bool, u64)) -> Self {
        Flag { on, at }
    }
}

impl From<Flag> for (bool, u64) {
    fn from(flag: Flag) -> Self {
        (flag.on, flag.at)
    }
}

impl Flag {
    /// The order that decides which value wins: the later one, and on a tie (two processes in
    /// the same millisecond) `on`, so that merging gives the same result in any order.
    fn rank(self) -> (u64, bool) {
        (self.at, self.on)
    }
}

/// The marks of one article.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Entry {
    #[serde(rename = "r", default, skip_serializing_if = "Option::is_none")]
    read: Option<Flag>,
    #[serde(rename = "s", default, skip_serializing_if = "Option::is_none")]
    starred: Option<Flag>,
}

impl Entry {
    fn slot(&mut self, mark: Mark) -> &mut Option<Flag> {
        match mark {
            Mark::Read => &mut self.read,
            Mark::Starred => &mut self.starred,
        }
    }

    fn get(&self, mark: Mark) -> Option<Flag> {
        match mark {
            Mark::Read => self.read,
            Mark::Starred => self.starred,
        }
    }
}

/// One mark set or cleared on one article, at a time: what a process saves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Change {
    pub fingerprint: Fingerprint,
    pub mark: Mark,
    pub on: bool,
    /// Milliseconds since 1970-01-01 UTC.
    pub at: u64,
}

/// Which articles are read and which are starred, with when each flag was last set.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Marks {
    entries: BTreeMap<Fingerprint, Entry>,
}

impl Marks {
    pub fn is(&self, fingerprint: Fingerprint, mark: Mark) -> bool {
        self.entries
            .get(&fingerprint)
            .and_then(|e| e.get(mark))
            .is_some_and(|flag| flag.on)
    }

    /// How many articles are read, and how many starred.
    pub fn counts(&self) -> (usize, usize) {
        let on = |mark| {
            self.entries
                .values()
                .filter(|e| e.get(mark).is_some_and(|flag| flag.on))
                .count()
        };
        (on(Mark::Read), on(Mark::Starred))
    }

    pub fn is_read(&self, fingerprint: Fingerprint) -> bool {
        self.is(fingerprint, Mark::Read)
    }

    pub fn is_starred(&self, fingerprint: Fingerprint) -> bool {
        self.is(fingerprint, Mark::Starred)
    }

    /// Sets or clears a mark at `at` (milliseconds since the Unix epoch) and returns the
    /// change to give to [`Store::save`]. The time is a parameter so that the reader's
    /// `update` stays free of the clock: its caller says when the key was pressed.
    ///
    /// The change is dated after what these marks know of the flag, even if the clock went
    /// back, so what the user just did always wins over what they saw.
    #[must_use = "save the change with Store::save, or it is lost on exit"]
    pub fn set(&mut self, fingerprint: Fingerprint, mark: Mark, on: bool, at: u64) -> Change {
        let known = self
            .entries
            .get(&fingerprint)
            .and_then(|e| e.get(mark))
            .map_or(0, |flag| flag.at.saturating_add(1));
        let change = Change {
            fingerprint,
            mark,
            on,
            at: at.max(known),
        };
        self.apply(&change);
        change
    }

    /// Sets or clears the read mark now, by the clock: for tools and tests that have no
    /// time of their own to give.
    #[must_use = "save the change with Store::save, or it is lost on exit"]
    pub fn set_read(&mut self, fingerprint: Fingerprint, on: bool) -> Change {
        self.set(fingerprint, Mark::Read, on, now_millis())
    }

    /// Sets or clears the star now, by the clock (see [`Marks::set_read`]).
    #[must_use = "save the change with Store::save, or it is lost on exit"]
    pub fn set_starred(&mut self, fingerprint: Fingerprint, on: bool) -> Change {
        self.set(fingerprint, Mark::Starred, on, now_millis())
    }

    /// Applies a change unless the flag was set later; returns whether anything changed.
    /// Applying the same change twice is harmless, so a failed save can simply be retried.
    pub fn apply(&mut self, change: &Change) -> bool {
        let new = Flag {
            on: change.on,
            at: change.at,
        };
        let slot = self
            .entries
            .entry(change.fingerprint)
            .or_default()
            .slot(change.mark);
        match slot {
            Some(old) if old.rank() >= new.rank() => false,
            _ => {
                *slot = Some(new);
                true
            }
        }
    }

    /// Keeps, for every flag of every article, the newer of the two values.
    pub fn merge(&mut self, other: &Marks) {
        for change in other.changes() {
            self.apply(&change);
        }
    }

    /// Every flag these marks know, set or cleared, as changes: saving them into a store
    /// merges these marks into it.
    pub fn changes(&self) -> Vec<Change> {
        let mut changes = Vec::new();
        for (&fingerprint, entry) in &self.entries {
            for mark in [Mark::Read, Mark::Starred] {
                if let Some(flag) = entry.get(mark) {
                    changes.push(Change {
                        fingerprint,
                        mark,
                        on: flag.on,
                        at: flag.at,
                    });
                }
            }
        }
        changes
    }
}

fn now_millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// What went wrong with a state file, said with the file's name.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("{} is not a file path", shown(.path))]
    NotAFile { path: PathBuf },
    #[error("cannot create the folder {}: {source}", shown(.path))]
    CreateDir { path: PathBuf, source: io::Error },
    #[error("cannot lock {}: {source}", shown(.path))]
    Lock { path: PathBuf, source: io::Error },
    #[error(
        "another kiosque has held the lock {} for over {} s; marks were not saved",
        shown(.path),
        LOCK_WAIT.as_secs()
    )]
    Busy { path: PathBuf },
    #[error("cannot read {}: {source}", shown(.path))]
    Read { path: PathBuf, source: io::Error },
    #[error("cannot write {}: {source}", shown(.path))]
    Write { path: PathBuf, source: io::Error },
    #[error("cannot move the damaged {} aside: {source}", shown(.path))]
    MoveAside { path: PathBuf, source: io::Error },
    #[error("{} is not a kiosque state file: {problem}", shown(.path))]
    Format { path: PathBuf, problem: String },
}

/// A damaged state file was moved aside and the marks started empty: tell the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recovery {
    pub file: PathBuf,
    /// Holds the damaged file's bytes, untouched.
    pub backup: PathBuf,
    pub problem: String,
}

impl fmt::Display for Recovery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the state file {} was damaged ({}); it was moved to {} and read and starred marks start empty",
            shown(&self.file),
            self.problem,
            shown(&self.backup)
        )
    }
}

/// `$XDG_STATE_HOME/kiosque/state.json`.
pub fn default_path() -> Option<PathBuf> {
    crate::store::dirs::state_file()
}

/// The state file of one user, shared by all their kiosque processes.
#[derive(Clone, Debug)]
pub struct Store {
    path: PathBuf,
    lock: PathBuf,
    temp: PathBuf,
    dir: PathBuf,
}

impl Store {
    /// Opens the state file at `path`, creating its folder when missing. A missing file means
    /// no marks yet. A damaged file is moved aside (see [`Recovery`]) and the marks start
    /// empty: losing marks is better than refusing to start, and the backup keeps them.
    pub fn open(path: PathBuf) -> Result<(Store, Marks, Option<Recovery>), StateError> {
        let store = Store::new(path)?;
        // Under the lock, so a file another process is replacing is never moved aside.
        let _lock = store.lock()?;
        let (marks, recovery) = store.read_or_recover()?;
        Ok((store, marks, recovery))
    }

    fn new(path: PathBuf) -> Result<Store, StateError> {
        let Some(name) = path.file_name().map(OsString::from) else {
            return Err(StateError::NotAFile { path });
        };
        let dir = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        };
        // 0700, as the XDG base directory specification asks: marks are the user's business.
        DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&dir)
            .map_err(|source| StateError::CreateDir {
                path: dir.clone(),
                source,
            })?;
        let sibling = |suffix: &str| {
            let mut sibling = name.clone();
            sibling.push(suffix);
            dir.join(sibling)
        };
        Ok(Store {
            lock: sibling(".lock"),
            temp: sibling(".tmp"),
            path,
            dir,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Applies `changes` to the file as it is now, newest value winning per article and flag,
    /// and returns the merged marks, which include what other processes marked since.
    ///
    /// Only this process's changes are written, never its whole view, so two processes never
    /// lose each other's marks. On error nothing was written: keep the changes and retry.
    pub fn save(&self, changes: &[Change]) -> Result<(Marks, Option<Recovery>), StateError> {
        let _lock = self.lock()?;
        let (mut marks, recovery) = self.read_or_recover()?;
        let mut changed = false;
        for change in changes {
            changed |= marks.apply(change);
        }
        if changed {
            write_atomically(&marks, &self.path, &self.temp, &self.dir)?;
        }
        Ok((marks, recovery))
    }

    /// Takes the exclusive lock, released when the returned file is dropped (or the process
    /// dies, even by SIGKILL: the kernel drops `flock` locks with the descriptor).
    fn lock(&self) -> Result<File, StateError> {
        crate::store::lock::exclusive(&self.lock, LOCK_WAIT).map_err(|err| match err {
            LockError::Busy => StateError::Busy {
                path: self.lock.clone(),
            },
            LockError::Io(source) => StateError::Lock {
                path: self.lock.clone(),
                source,
            },
        })
    }

    /// Reads the file; called under the lock.
    fn read_or_recover(&self) -> Result<(Marks, Option<Recovery>), StateError> {
        let bytes = match fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok((Marks::default(), None)),
            // Unreadable is not damaged (permissions, I/O): moving it aside could lose marks.
            Err(source) => {
                return Err(StateError::Read {
                    path: self.path.clone(),
                    source,
                });
            }
        };
        match parse(&bytes) {
            Ok(marks) => Ok((marks, None)),
            Err(problem) => {
                let backup = self.move_aside()?;
                let recovery = Recovery {
                    file: self.path.clone(),
                    backup,
                    problem,
                };
                Ok((Marks::default(), Some(recovery)))
            }
        }
    }

    /// Renames the damaged file to `state.json.corrupt-<UTC time>`, never over an older backup.
    fn move_aside(&self) -> Result<PathBuf, StateError> {
        let move_error = |source: io::Error| StateError::MoveAside {
            path: self.path.clone(),
            source,
        };
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ").to_string();
        let mut name = self.path.as_os_str().to_owned();
        name.push(format!(".corrupt-{stamp}"));
        let mut backup = PathBuf::from(&name);
        let mut n = 1;
        // Another damaged file in the same second: number it. Only kiosque, under the lock,
        // makes these names, so nothing can appear between this check and the rename.
        while backup.try_exists().map_err(move_error)? {
            n += 1;
            let mut numbered = name.clone();
            numbered.push(format!("-{n}"));
            backup = PathBuf::from(numbered);
        }
        fs::rename(&self.path, &backup).map_err(move_error)?;
        sync_dir(&self.dir).map_err(move_error)?;
        Ok(backup)
    }
}

/// The file as written: the version first, so a reader can tell a newer format apart.
#[derive(Serialize)]
struct FileOut<'a> {
    version: u64,
    marks: &'a BTreeMap<Fingerprint, Entry>,
}

#[derive(Deserialize)]
struct FileIn {
    version: u64,
    marks: BTreeMap<Fingerprint, Entry>,
}

/// Only the version, read when the whole file did not parse, to say why.
#[derive(Deserialize)]
struct Header {
    version: u64,
}

fn parse(bytes: &[u8]) -> Result<Marks, String> {
    let version_problem =
        |v: u64| format!("format version {v}, but this kiosque reads version {VERSION}");
    match serde_json::from_slice::<FileIn>(bytes) {
        Ok(file) if file.version == VERSION => Ok(Marks {
            entries: file.marks,
        }),
        Ok(file) => Err(version_problem(file.version)),
        Err(e) => match serde_json::from_slice::<Header>(bytes) {
            Ok(header) if header.version != VERSION => Err(version_problem(header.version)),
            _ => Err(format!("not valid state JSON: {e}")),
        },
    }
}

/// Writes `marks` to `temp`, syncs it, renames it over `path` and syncs the folder, so that
/// after a crash or power loss `path` holds the old marks or the new ones, whole.
fn write_atomically(marks: &Marks, path: &Path, temp: &Path, dir: &Path) -> Result<(), StateError> {
    let write = || -> io::Result<()> {
        let file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(temp)?;
        let mut out = BufWriter::new(file);
        let body = FileOut {
            version: VERSION,
            marks: &marks.entries,
        };
        serde_json::to_writer(&mut out, &body)?;
        out.write_all(b"\n")?;
        let file = out.into_inner().map_err(io::IntoInnerError::into_error)?;
        file.sync_all()?;
        fs::rename(temp, path)
    };
    if let Err(source) = write() {
        // Best effort: the old file is intact either way, and the next save truncates this.
        let _ = fs::remove_file(temp);
        return Err(StateError::Write {
            path: path.to_path_buf(),
            source,
        });
    }
    // The rename is only durable once the folder is synced.
    sync_dir(dir).map_err(|source| StateError::Write {
        path: path.to_path_buf(),
        source,
    })
}

fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

/// Writes `marks`, unmarks included, to `file` in the state file format, atomically.
pub fn export(marks: &Marks, file: &Path) -> Result<(), StateError> {
    let Some(name) = file.file_name() else {
        return Err(StateError::NotAFile {
            path: file.to_path_buf(),
        });
    };
    let dir = match file.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    // Named by process: two exports to one file never share a temporary file.
    let mut temp = name.to_owned();
    temp.push(format!(".tmp-{}", std::process::id()));
    write_atomically(marks, file, &dir.join(temp), dir)
}

/// Reads marks exported by [`export`] (or a state file). To merge them into a store, save
/// their [`Marks::changes`]: the newer value of each flag wins. A damaged file is an error
/// here, not moved aside: it is the user's own file.
pub fn import(file: &Path) -> Result<Marks, StateError> {
    let bytes = fs::read(file).map_err(|source| StateError::Read {
        path: file.to_path_buf(),
        source,
    })?;
    parse(&bytes).map_err(|problem| StateError::Format {
        path: file.to_path_buf(),
        problem,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::fingerprint;

    fn f(n: u128) -> Fingerprint {
        Fingerprint(n)
    }

    fn change(n: u128, mark: Mark, on: bool, at: u64) -> Change {
        Change {
            fingerprint: f(n),
            mark,
            on,
            at,
        }
    }

    #[test]
    fn newest_value_wins_whatever_the_order() {
        let changes = [
            change(1, Mark::Read, true, 10),
            change(1, Mark::Read, false, 20),
            change(1, Mark::Starred, true, 5),
            change(2, Mark::Starred, false, 7),
            change(2, Mark::Starred, true, 7),
        ];
        let mut forward = Marks::default();
        let mut backward = Marks::default();
        for c in &changes {
            forward.apply(c);
        }
        for c in changes.iter().rev() {
            backward.apply(c);
        }
        assert_eq!(forward, backward);
        assert!(!forward.is_read(f(1)));
        assert!(forward.is_starred(f(1)));
        // A tie in the same millisecond goes to `on`, whichever came first.
        assert!(forward.is_starred(f(2)));
        assert!(!forward.is_read(f(3)));
    }

    #[test]
    fn set_is_dated_after_what_is_known_even_when_the_clock_is_behind() {
        let mut marks = Marks::default();
        let future = u64::MAX / 2;
        marks.apply(&change(1, Mark::Read, true, future));
        let unmark = marks.set_read(f(1), false);
        assert_eq!(unmark.at, future + 1);
        assert!(!marks.is_read(f(1)));
        // Otherwise a change is dated with the time it is given.
        let star = marks.set(f(2), Mark::Starred, true, 1_234);
        assert_eq!(star.at, 1_234);
    }

    #[test]
    fn merge_is_commutative_and_keeps_unmarks() {
        let mut a = Marks::default();
        a.apply(&change(1, Mark::Read, true, 1));
        a.apply(&change(2, Mark::Read, false, 9));
        let mut b = Marks::default();
        b.apply(&change(1, Mark::Read, false, 5));
        b.apply(&change(2, Mark::Read, true, 3));
        b.apply(&change(3, Mark::Starred, true, 3));
        let mut ab = a.clone();
        ab.merge(&b);
        let mut ba = b.clone();
        ba.merge(&a);
        assert_eq!(ab, ba);
        assert!(!ab.is_read(f(1)) && !ab.is_read(f(2)) && ab.is_starred(f(3)));
    }

    #[test]
    fn fingerprint_hex_round_trips_and_rejects_other_strings() {
        let fp = fingerprint("Un article.");
        let hex = fp.to_string();
        assert_eq!(hex.len(), 32);
        assert_eq!(hex.parse::<Fingerprint>(), Ok(fp));
        for bad in [
            "",
            "+0000000000000000000000000000001",
            "xyz",
            &"0".repeat(33),
        ] {
            assert!(bad.parse::<Fingerprint>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn file_format_is_compact_and_versioned() {
        let mut marks = Marks::default();
        marks.apply(&change(0xab, Mark::Read, true, 1_741_255_871_123));
        marks.apply(&change(0xab, Mark::Starred, false, 2));
        let body = FileOut {
            version: VERSION,
            marks: &marks.entries,
        };
        assert_eq!(
            serde_json::to_string(&body).unwrap(),
            r#"{"version":1,"marks":{"000000000000000000000000000000ab":{"r":[true,1741255871123],"s":[false,2]}}}"#
        );
        assert_eq!(
            parse(br#"{"version":2,"marks":{"x":1}}"#),
            Err("format version 2, but this kiosque reads version 1".to_owned())
        );
        assert!(
            parse(br#"{"version":1,"marks":{"zz":{}}}"#)
                .unwrap_err()
                .contains("not a fingerprint")
        );
    }
}
