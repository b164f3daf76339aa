//! Subcommands whose work is more than wiring: one file each, called by the binary.

pub mod feeds;
pub mod fetch;
