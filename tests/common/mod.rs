//! Helpers shared by the integration tests that drive the real `kiosque` binary.

// Each integration test is its own crate and uses only part of the harness.
#![allow(dead_code)]

pub mod http;
pub mod tmux;

/// The `kiosque` binary Cargo built for these tests.
pub const KIOSQUE: &str = env!("CARGO_BIN_EXE_kiosque");

/// `text` quoted for a POSIX shell command line, whatever it contains.
pub fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}
