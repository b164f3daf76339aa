//! Helpers shared by the integration tests (`tests/it`): the one way to run the real
//! `kiosque` binary ([`Home`], [`kiosque`]), the seeds folder ([`seeds`]), a terminal
//! ([`tmux`]) and what is read off its screen ([`screen`]).

// Not every helper is used by every module, nor in every configuration.
#![allow(dead_code)]

pub mod articles;
pub mod bytes;
pub mod frame;
pub mod http;
pub mod screen;
pub mod tmux;

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The `kiosque` binary Cargo built for these tests.
pub const KIOSQUE: &str = env!("CARGO_BIN_EXE_kiosque");

/// Variables of the user's environment that change what kiosque does, removed from every
/// run of the binary: colour, browser, ssh and display detection, the locale (tests that
/// care set it), and kiosque's own test hooks.
const USER_ENVIRONMENT: &[&str] = &[
    "NO_COLOR",
    "BROWSER",
    "SSH_CONNECTION",
    "SSH_CLIENT",
    "SSH_TTY",
    "DISPLAY",
    "WAYLAND_DISPLAY",
    "TERM_PROGRAM",
    "LC_ALL",
    "LC_MESSAGES",
    "LC_TIME",
    "LANG",
    "LANGUAGE",
    "KIOSQUE_TEST_PANIC",
    "TMUX",
];

/// A home of the test's own for runs of the binary: `HOME` and the four XDG base folders
/// (config, cache, state, data) point inside a temporary folder, so no run reads the user's
/// config, writes into their cache, or changes their read marks. Removed when dropped.
pub struct Home {
    dir: tempfile::TempDir,
}

impl Default for Home {
    fn default() -> Self {
        Self::new()
    }
}

impl Home {
    pub fn new() -> Home {
        Home {
            dir: tempfile::Builder::new()
                .prefix("kiosque-home-")
                .tempdir()
                .expect("a temporary home for kiosque"),
        }
    }

    /// `HOME`: the temporary folder itself.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `XDG_CONFIG_HOME` (kiosque's config file is `kiosque/config.toml` in it).
    pub fn config(&self) -> PathBuf {
        self.dir.path().join("config")
    }

    /// `XDG_CACHE_HOME` (the list cache is written in `kiosque/` in it).
    pub fn cache(&self) -> PathBuf {
        self.dir.path().join("cache")
    }

    /// `XDG_STATE_HOME` (the read and starred marks are `kiosque/state.json` in it).
    pub fn state(&self) -> PathBuf {
        self.dir.path().join("state")
    }

    /// `XDG_DATA_HOME`.
    pub fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// Writes `text` as kiosque's config file.
    pub fn write_config(&self, text: &str) {
        let folder = self.config().join("kiosque");
        std::fs::create_dir_all(&folder).expect("the config folder");
        std::fs::write(folder.join("config.toml"), text).expect("the config file");
    }

    /// The files under the cache folder, at any depth.
    pub fn cache_files(&self) -> Vec<PathBuf> {
        fn walk(dir: &Path, found: &mut Vec<PathBuf>) {
            for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, found);
                } else {
                    found.push(path);
                }
            }
        }
        let mut found = Vec::new();
        walk(&self.cache(), &mut found);
        found
    }

    /// The variables every run of the binary gets, as (name, value).
    pub fn vars(&self) -> Vec<(&'static str, OsString)> {
        vec![
            ("HOME", self.path().into()),
            ("XDG_CONFIG_HOME", self.config().into()),
            ("XDG_CACHE_HOME", self.cache().into()),
            ("XDG_STATE_HOME", self.state().into()),
            ("XDG_DATA_HOME", self.data().into()),
        ]
    }

    /// The same variables as `NAME=VALUE` words for a shell command line, quoted.
    pub fn shell_assignments(&self) -> String {
        self.vars()
            .iter()
            .map(|(name, value)| format!("{name}={}", shell_quote(&value.to_string_lossy())))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The `kiosque` binary with this home and none of the user's environment that changes
    /// what it does ([`USER_ENVIRONMENT`]).
    pub fn command(&self) -> std::process::Command {
        let mut command = std::process::Command::new(KIOSQUE);
        for name in USER_ENVIRONMENT {
            command.env_remove(name);
        }
        command.envs(self.vars());
        command
    }

    /// [`Home::command`] as an `assert_cmd` command.
    pub fn assert_command(&self) -> assert_cmd::Command {
        assert_cmd::Command::from_std(self.command())
    }
}

/// A run of the binary with a [`Home`] of its own, kept as long as the command: an
/// `assert_cmd::Command` (through `Deref`) that also gives the home, to look in its cache or
/// write a config.
pub struct Kiosque {
    command: assert_cmd::Command,
    pub home: Home,
}

impl std::ops::Deref for Kiosque {
    type Target = assert_cmd::Command;
    fn deref(&self) -> &assert_cmd::Command {
        &self.command
    }
}

impl std::ops::DerefMut for Kiosque {
    fn deref_mut(&mut self) -> &mut assert_cmd::Command {
        &mut self.command
    }
}

/// The binary in a fresh [`Home`]: no config, an empty cache, no marks.
pub fn kiosque() -> Kiosque {
    let home = Home::new();
    Kiosque {
        command: home.assert_command(),
        home,
    }
}

/// `text` quoted for a POSIX shell command line, whatever it contains.
pub fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// `../shared/seeds`, the real articles kiosque is developed against, when it is beside the
/// project. A clone without it still passes, but never silently: this says on stderr that
/// the seeds were not checked and that `fallback` was checked instead, and the caller must
/// check it. In CI (`CI=true`), which always has the seeds, their absence is a failure.
/// `KIOSQUE_TEST_SEEDS` names another folder, to run the fallbacks on a machine that has the
/// seeds (`KIOSQUE_TEST_SEEDS=/nonexistent cargo test`).
pub fn seeds(fallback: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("KIOSQUE_TEST_SEEDS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds"),
        PathBuf::from,
    );
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        !matches!(std::env::var("CI").as_deref(), Ok("true")),
        "seeds absent: {} is not a folder, and CI always has it",
        dir.display()
    );
    // Straight to the process's stderr: libtest captures `eprintln!` of passing tests, and
    // this must show in every `cargo test`.
    let _ = writeln!(
        std::io::stderr(),
        "seeds absent: {} is not there; checked {fallback} instead",
        dir.display()
    );
    None
}

/// The configuration of kiosque's property tests: `cases` unless `PROPTEST_CASES` asks for
/// more or fewer (so a long run can look harder), and failures saved in
/// `tests/proptest-regressions/` (beside `tests/it`, as proptest places it) to be tried
/// first on every later run.
pub fn proptest_config(cases: u32) -> proptest::test_runner::Config {
    use proptest::test_runner::{Config, FileFailurePersistence};
    Config {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(cases),
        failure_persistence: Some(Box::new(FileFailurePersistence::SourceParallel(
            "proptest-regressions",
        ))),
        ..Config::default()
    }
}
