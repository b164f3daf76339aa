//! How paths and sizes are written for people.

use std::path::Path;

use crate::text::sanitize::{Place, sanitize};

/// The path as the user should see it: lossy for names that are not UTF-8, and never able
/// to send a control sequence to the terminal.
pub fn shown(path: &Path) -> String {
    sanitize(&path.to_string_lossy(), Place::Title)
}

/// `12.5 MiB`, `640 B`.
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}
