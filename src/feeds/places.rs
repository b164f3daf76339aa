//! Where feeds live on disk: the subscription list, the feeds folder (one folder per feed,
//! as `write::save_items` names them), the fetch state; and what `kiosque` reads without a
//! PATH.

use std::fs;
use std::path::{Path, PathBuf};

use crate::corpus::Fingerprint;
use crate::feeds::fetch_state;
use crate::feeds::subscriptions::{self, Subscriptions};
use crate::store::header::identity_fingerprint;
use crate::store::marks::{self, Marks};

/// Where the subscriptions, the feeds' articles and their fetch state are.
#[derive(Clone, Debug)]
pub struct Places {
    /// `$XDG_CONFIG_HOME/kiosque/feeds.toml`.
    pub subscriptions: PathBuf,
    /// `$XDG_DATA_HOME/kiosque`.
    pub data: PathBuf,
    /// `$XDG_DATA_HOME/kiosque/feeds`: one folder per feed.
    pub feeds_root: PathBuf,
    /// `$XDG_STATE_HOME/kiosque/feeds.json`.
    pub fetch_state: PathBuf,
}

impl Places {
    pub fn from_env() -> Result<Places, String> {
        let missing = |what: &str| {
            format!(
                "no folder for {what}: set HOME or XDG_{}_HOME",
                what.to_uppercase()
            )
        };
        let data = crate::store::dirs::data_dir().ok_or_else(|| missing("data"))?;
        Ok(Places {
            subscriptions: subscriptions::default_path().ok_or_else(|| missing("config"))?,
            feeds_root: data.join("feeds"),
            data,
            fetch_state: fetch_state::default_path().ok_or_else(|| missing("state"))?,
        })
    }

    /// The lock file of edits to feeds.toml, beside the fetch state.
    pub fn edit_lock(&self) -> PathBuf {
        self.fetch_state.with_file_name("feeds.toml.lock")
    }
}

pub fn load_subscriptions(places: &Places) -> Result<Subscriptions, String> {
    subscriptions::load(&places.subscriptions).map_err(|err| err.to_string())
}

/// The user's read and starred marks; none when they cannot be read.
pub fn marks() -> Option<Marks> {
    let path = marks::default_path()?;
    marks::Store::open(path).ok().map(|(_, marks, _)| marks)
}

pub fn fingerprint_of(path: &Path) -> Option<Fingerprint> {
    let bytes = fs::read(path).ok()?;
    let text = crate::store::decode::decode_owned(bytes).ok()?.text;
    Some(identity_fingerprint(&text))
}

/// Whether an article file is starred. Without readable marks every file counts as starred,
/// so `keep` deletes nothing it should not.
pub fn is_starred_fn() -> impl Fn(&Path) -> bool + Sync {
    let marks = marks();
    move |path: &Path| match (&marks, fingerprint_of(path)) {
        (Some(marks), Some(fingerprint)) => marks.is_starred(fingerprint),
        _ => true,
    }
}

/// The folder of the feed whose key is `key`: `write::save_items` names it `<slug>-<hash>`
/// with these 8 hex digits, so a renamed feed keeps it.
pub fn feed_folder(feeds_root: &Path, key: &str) -> Option<PathBuf> {
    let suffix = format!("-{:08x}", xxhash_rust::xxh3::xxh3_64(key.as_bytes()) >> 32);
    fs::read_dir(feeds_root).ok()?.flatten().find_map(|entry| {
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        let named = entry
            .file_name()
            .to_str()
            .is_some_and(|n| n.ends_with(&suffix));
        (is_dir && named).then(|| entry.path())
    })
}

/// The article files of a feed folder (`<folder>/<month>/<file>.txt`).
pub fn articles(folder: &Path) -> Vec<PathBuf> {
    let Ok(months) = fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut files = Vec::new();
    for month in months
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
    {
        let Ok(entries) = fs::read_dir(month.path()) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if !name.starts_with('.')
                && name.ends_with(".txt")
                && entry.file_type().is_ok_and(|t| t.is_file())
            {
                files.push(entry.path());
            }
        }
    }
    files
}

/// What `kiosque` and `kiosque list` read without a PATH: the configured paths, and the
/// feeds folder when there are subscriptions (created, so an empty one is no error).
pub fn default_paths(configured: &[PathBuf]) -> Vec<PathBuf> {
    let mut paths = configured.to_vec();
    let Ok(places) = Places::from_env() else {
        return paths;
    };
    match load_subscriptions(&places) {
        Ok(subs) if !subs.feeds.is_empty() => {
            if fs::create_dir_all(&places.feeds_root).is_ok() && !paths.contains(&places.feeds_root)
            {
                paths.push(places.feeds_root);
            }
        }
        Ok(_) => {}
        Err(err) => eprintln!("kiosque: {err}"),
    }
    paths
}

/// What to say when reading `paths` found no article because no feed was fetched yet:
/// `how` says how to fetch them (`run \`kiosque fetch\``, `press r`).
pub fn nothing_fetched(paths: &[PathBuf], how: &str) -> Option<String> {
    let places = Places::from_env().ok()?;
    if !paths.contains(&places.feeds_root) {
        return None;
    }
    let count = load_subscriptions(&places).ok()?.feeds.len();
    Some(format!(
        "no articles yet from your {count} feed{}: {how}",
        if count == 1 { "" } else { "s" }
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feeds::item::Item;

    #[test]
    fn the_folder_is_found_where_save_items_puts_it() {
        let root = tempfile::tempdir().unwrap();
        let item = Item {
            id: "1".into(),
            title: "T".into(),
            link: None,
            author: None,
            published: None,
            published_guessed: false,
            body: "Body.".into(),
            enclosures: Vec::new(),
        };
        let key = "https://a.example/feed";
        let report = crate::feeds::write::save_items(root.path(), key, "A feed", &[item]).unwrap();
        let folder = feed_folder(root.path(), key).unwrap();
        assert!(report.paths[0].starts_with(&folder));
        assert_eq!(articles(&folder), report.paths);
        assert_eq!(feed_folder(root.path(), "https://b.example/feed"), None);
    }
}
