//! kiosque: a terminal reader for news articles kept as text files.
//!
//! The layers, each importing only from the ones below it (see ARCHITECTURE.md):
//! `cmd` (one file per subcommand) → `config` → `tui` (with `tui::ui`, the view) →
//! `search` → `store` → `corpus` → `text`.

#![forbid(unsafe_code)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod cli;
pub mod cmd;
pub(crate) mod config;
pub mod corpus;
pub mod feeds;
pub mod search;
pub mod store;
pub mod text;
pub mod tui;
