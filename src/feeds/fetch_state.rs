//! What kiosque remembers between fetches of each feed (validators, last result, waits), in
//! `$XDG_STATE_HOME/kiosque/feeds.json`, saved atomically under a lock as the marks are.
//!
//! The file is keyed by each feed's folder name, which stays put when its URL moves:
//!
//! ```json
//! {"version":1,"feeds":{"example":{"etag":"\"abc\"","last_success":1764633600000}},"hosts":{}}
//! ```
//!
//! Times are milliseconds since 1970 UTC. A save holds an exclusive `flock` on
//! `feeds.json.lock`, reads the file as it is then, replaces only the feeds this run fetched,
//! writes `feeds.json.tmp`, syncs it and renames it over, as `state.rs` does for the marks.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fs::{self, DirBuilder, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::store::lock::LockError;
use crate::text::display::shown;

const VERSION: u64 = 1;

/// How long a save waits for another kiosque to release the lock (a save takes milliseconds).
const LOCK_WAIT: Duration = Duration::from_secs(10);

/// One feed's memory of its fetches.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FeedState {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
    /// The URL the validators belong to: a moved feed must not send another URL's ETag.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub validated_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_attempt: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_success: Option<u64>,
    /// `ok`, `not-modified`, `failed` or `deferred`, as `kiosque fetch --json` says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_error_at: Option<u64>,
    /// No request before this time: the server said so with `Retry-After`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
    /// The feed's own `ttl`, in minutes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ttl_minutes: Option<u32>,
    /// `Cache-Control: max-age`, in seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_age: Option<u64>,
    /// The last permanent move, said for `feeds list`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moved: Option<String>,
}

/// Every feed's state, and the hosts that asked kiosque to wait.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FetchState {
    pub version: u64,
    #[serde(default)]
    pub feeds: BTreeMap<String, FeedState>,
    /// Host → no request before this time (milliseconds since 1970).
    #[serde(default)]
    pub hosts: BTreeMap<String, u64>,
}

/// What went wrong with the fetch state file or a lock, with the file's name.
#[derive(Debug, thiserror::Error)]
pub enum FetchStateError {
    #[error("cannot create the folder {}: {source}", shown(.path))]
    CreateDir { path: PathBuf, source: io::Error },
    #[error("cannot lock {}: {source}", shown(.path))]
    Lock { path: PathBuf, source: io::Error },
    #[error("{} is held by another kiosque", shown(.path))]
    Busy { path: PathBuf },
    #[error("cannot read {}: {source}", shown(.path))]
    Read { path: PathBuf, source: io::Error },
    #[error("cannot write {}: {source}", shown(.path))]
    Write { path: PathBuf, source: io::Error },
}

/// `$XDG_STATE_HOME/kiosque/feeds.json`, beside the marks.
pub fn default_path() -> Option<PathBuf> {
    crate::store::marks::default_path().map(|marks| marks.with_file_name("feeds.json"))
}

/// Now, in milliseconds since 1970.
pub fn now_millis() -> u64 {
    millis(SystemTime::now())
}

pub fn millis(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

pub fn from_millis(ms: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_millis(ms)
}

/// A time as the user reads it: local, to the minute.
pub fn clock(time: SystemTime) -> String {
    chrono::DateTime::<chrono::Local>::from(time)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// The fetch state file of one user.
#[derive(Clone, Debug)]
pub struct StateFile {
    path: PathBuf,
    lock: PathBuf,
    temp: PathBuf,
    dir: PathBuf,
}

impl StateFile {
    /// The file at `path` (created on first save) and what it holds now. A damaged file
    /// reads as empty: it only saves requests, and the next save replaces it.
    pub fn open(path: PathBuf) -> Result<(StateFile, FetchState), FetchStateError> {
        let dir = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        };
        create_dir(&dir)?;
        let sibling = |suffix: &str| {
            let mut name: OsString = path.file_name().map(OsString::from).unwrap_or_default();
            name.push(suffix);
            dir.join(name)
        };
        let file = StateFile {
            lock: sibling(".lock"),
            temp: sibling(".tmp"),
            path: path.clone(),
            dir,
        };
        let state = file.read()?;
        Ok((file, state))
    }

    fn read(&self) -> Result<FetchState, FetchStateError> {
        match fs::read(&self.path) {
            Ok(bytes) => Ok(serde_json::from_slice::<FetchState>(&bytes)
                .ok()
                .filter(|s| s.version == VERSION)
                .unwrap_or_default()),
            Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(FetchState::default()),
            Err(source) => Err(FetchStateError::Read {
                path: self.path.clone(),
                source,
            }),
        }
    }

    /// Applies `change` to the file as it is now, under the lock, and writes it atomically:
    /// what another process saved meanwhile stays.
    pub fn update(
        &self,
        change: impl FnOnce(&mut FetchState),
    ) -> Result<FetchState, FetchStateError> {
        let _lock = lock(&self.lock, LOCK_WAIT)?;
        let mut state = self.read()?;
        change(&mut state);
        state.version = VERSION;
        let write = || -> io::Result<()> {
            let mut file = OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true)
                .mode(0o600)
                .open(&self.temp)?;
            let mut bytes = serde_json::to_vec(&state)?;
            bytes.push(b'\n');
            file.write_all(&bytes)?;
            file.sync_all()?;
            fs::rename(&self.temp, &self.path)?;
            File::open(&self.dir)?.sync_all()
        };
        write().map_err(|source| {
            let _ = fs::remove_file(&self.temp);
            FetchStateError::Write {
                path: self.path.clone(),
                source,
            }
        })?;
        Ok(state)
    }
}

/// Creates `dir` and its parents, private to the user as XDG asks.
pub fn create_dir(dir: &Path) -> Result<(), FetchStateError> {
    DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|source| FetchStateError::CreateDir {
            path: dir.to_path_buf(),
            source,
        })
}

/// Takes an exclusive `flock` on `path`, waiting up to `wait`; released when the file is
/// dropped or the process dies. Polled so a hung holder gives an error, not a hang.
pub fn lock(path: &Path, wait: Duration) -> Result<File, FetchStateError> {
    crate::store::lock::exclusive(path, wait).map_err(|err| match err {
        LockError::Busy => FetchStateError::Busy {
            path: path.to_path_buf(),
        },
        LockError::Io(source) => FetchStateError::Lock {
            path: path.to_path_buf(),
            source,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn updates_keep_what_others_saved() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state").join("feeds.json");
        let (one, empty) = StateFile::open(path.clone()).unwrap();
        assert_eq!(empty, FetchState::default());
        let (two, _) = StateFile::open(path.clone()).unwrap();
        one.update(|s| {
            s.feeds.entry("a".into()).or_default().etag = Some("\"1\"".into());
        })
        .unwrap();
        let after = two
            .update(|s| {
                s.feeds.entry("b".into()).or_default().ttl_minutes = Some(60);
            })
            .unwrap();
        assert_eq!(after.feeds["a"].etag.as_deref(), Some("\"1\""));
        assert_eq!(after.feeds["b"].ttl_minutes, Some(60));
        let (_, read) = StateFile::open(path.clone()).unwrap();
        assert_eq!(read, after);
        // A damaged file reads as empty and is replaced by the next save.
        fs::write(&path, b"{not json").unwrap();
        let (three, state) = StateFile::open(path).unwrap();
        assert_eq!(state, FetchState::default());
        assert_eq!(three.update(|_| {}).unwrap().version, VERSION);
    }

    #[test]
    fn a_held_lock_is_busy() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fetch.lock");
        let held = lock(&path, Duration::ZERO).unwrap();
        assert!(matches!(
            lock(&path, Duration::from_millis(5)),
            Err(FetchStateError::Busy { .. })
        ));
        drop(held);
        assert!(lock(&path, Duration::ZERO).is_ok());
    }
}
