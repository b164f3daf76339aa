//! Exclusive locks between kiosque processes: an `flock` on a lock file, so two sessions on
//! the same files take turns, and a process that dies (even by SIGKILL) lets go at once.

use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::time::{Duration, Instant};

use rustix::fs::{FlockOperation, flock};
use rustix::io::Errno;

/// Why a lock was not taken.
#[derive(Debug)]
pub enum LockError {
    /// The lock file could not be opened or locked.
    Io(io::Error),
    /// Another process held it for longer than the wait.
    Busy,
}

/// Takes an exclusive lock on `path` (created when missing), waiting up to `wait`; released
/// when the returned file is dropped or the process dies. Polled rather than blocking, so a
/// hung holder makes an error instead of a frozen screen.
pub fn exclusive(path: &Path, wait: Duration) -> Result<File, LockError> {
    // Never removed: deleting a lock file lets two processes lock two different files.
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .open(path)
        .map_err(LockError::Io)?;
    let deadline = Instant::now() + wait;
    let mut pause = Duration::from_millis(1);
    loop {
        match flock(&file, FlockOperation::NonBlockingLockExclusive) {
            Ok(()) => return Ok(file),
            Err(Errno::INTR) => continue,
            Err(Errno::WOULDBLOCK) => {}
            Err(errno) => return Err(LockError::Io(errno.into())),
        }
        if Instant::now() >= deadline {
            return Err(LockError::Busy);
        }
        std::thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(16));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_held_lock_makes_the_next_wait_then_say_busy_and_is_free_once_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.lock");
        let held = exclusive(&path, Duration::ZERO).unwrap();
        // flock locks belong to the open file: a second open is a second holder.
        assert!(matches!(
            exclusive(&path, Duration::from_millis(30)),
            Err(LockError::Busy)
        ));
        drop(held);
        assert!(exclusive(&path, Duration::ZERO).is_ok());
        assert!(path.exists(), "the lock file stays");
    }
}
