//! Where kiosque keeps its files: the XDG base directories, on every Unix.
//!
//! macOS included: `directories` would put them under `~/Library/Application Support`, but
//! the users of a terminal program look in `~/.config`, and a config synced between a Linux
//! and a Mac machine should sit at the same place on both. etcetera's XDG strategy follows
//! the specification: a relative `XDG_*_HOME` is ignored, and the home falls back to the
//! password database when `HOME` is unset.

use std::path::PathBuf;

use etcetera::BaseStrategy;
use etcetera::base_strategy::Xdg;

const APP: &str = "kiosque";

/// kiosque's own folder in each base directory, or `None` when there is no home at all.
fn base() -> Option<Xdg> {
    Xdg::new().ok()
}

/// `$XDG_CONFIG_HOME/kiosque/config.toml`.
pub fn config_file() -> Option<PathBuf> {
    Some(base()?.config_dir().join(APP).join("config.toml"))
}

/// `$XDG_STATE_HOME/kiosque/state.json`: read and starred marks.
pub fn state_file() -> Option<PathBuf> {
    Some(base()?.state_dir()?.join(APP).join("state.json"))
}

/// `$XDG_CACHE_HOME/kiosque`: derived data, safe to delete.
pub fn cache_dir() -> Option<PathBuf> {
    Some(base()?.cache_dir().join(APP))
}

/// `$XDG_DATA_HOME/kiosque`: what kiosque makes that only it has.
pub fn data_dir() -> Option<PathBuf> {
    Some(base()?.data_dir().join(APP))
}
