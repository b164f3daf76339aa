//! kiosque's integration tests, in one test binary so the crate and the dev-dependencies are
//! linked once rather than once per file. Each module is what used to be a test file of its
//! own; `cargo test --test it MODULE::` runs one of them.
//!
//! - `cli`, `adversarial`: the real binary as scripts use it (`list`, `show`, exit codes).
//! - `e2e_tmux`, `terminal`, `ssh`, `reader_feeds`: the real binary in a real terminal
//!   (tmux), and over a real ssh connection to a private sshd; feeds served on loopback.
//! - `view`, `feed_view`, `escapes`, `props`, `fast_paths`, `seeds`: the library's frames,
//!   bytes, and
//!   properties on random and real input.
//! - `feeds`, `fulltext`: `kiosque feeds` and `kiosque fetch` against loopback servers.
//! - `state`: the state file under kills and concurrent processes (the child processes are
//!   this test binary run again: see `state::child_process`).
//!
//! Helpers shared by the modules are in `tests/common`.

#[path = "../common/mod.rs"]
mod common;

mod adversarial;
mod cli;
mod e2e_tmux;
mod escapes;
mod fast_paths;
mod feed_view;
mod feeds;
mod fulltext;
mod index;
mod props;
mod reader_feeds;
mod seeds;
mod ssh;
mod start;
mod state;
mod terminal;
mod view;
