//! The subscription list, `$XDG_CONFIG_HOME/kiosque/feeds.toml`: read with errors that name
//! the line, and edited in place so the user's comments and layout survive.
//!
//! ```toml
//! keep = "6m"              # every feed: delete articles older than this (starred ones stay)
//!
//! [[feed]]
//! url = "https://example.org/feed.xml"
//! name = "Example"         # default: the feed's title when added
//! tags = ["tech", "fr"]
//! keep = "1y"              # this feed only
//! fulltext = false
//! key = "https://example.org/rss"  # written by kiosque when the feed moved: its first URL
//! ```
//!
//! A feed's *key* (its first URL unless the file says otherwise) names its articles' folder
//! and its fetch state: a renamed or moved feed keeps both.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;

use crate::text::display::shown;

/// The header of a feeds.toml that kiosque creates.
const NEW_FILE: &str = "# kiosque's subscriptions: one [[feed]] table per feed. \
See `kiosque feeds --help`.\n# keep = \"6m\"  # delete articles older than this \
(d, w, m or y); starred ones stay\n";

/// One subscription.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subscription {
    pub url: String,
    pub name: Option<String>,
    pub tags: Vec<String>,
    pub keep: Option<Keep>,
    pub fulltext: bool,
    /// The feed's identity when it is not its URL: the first URL of a feed that moved.
    pub key: Option<String>,
}

impl Subscription {
    pub fn new(url: &str) -> Subscription {
        Subscription {
            url: url.to_owned(),
            name: None,
            tags: Vec::new(),
            keep: None,
            fulltext: false,
            key: None,
        }
    }

    /// What identifies the feed's folder and fetch state: the `key` setting, else the URL.
    pub fn key(&self) -> &str {
        self.key.as_deref().unwrap_or(&self.url)
    }

    /// What the user calls this feed: its name, else its URL without the scheme.
    pub fn label(&self) -> String {
        self.name.clone().unwrap_or_else(|| url_words(&self.url))
    }

    /// True when `what` is this feed's name (in any case) or URL.
    pub fn is_named(&self, what: &str) -> bool {
        self.url == what
            || self
                .name
                .as_deref()
                .is_some_and(|n| n.eq_ignore_ascii_case(what))
    }
}

fn url_words(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.trim_end_matches('/').to_owned()
}

/// How long articles are kept: `30d`, `2w`, `6m` (30 days each), `1y` (365 days).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Keep {
    pub text: String,
    pub duration: Duration,
}

impl Keep {
    pub fn parse(text: &str) -> Result<Keep, String> {
        let t = text.trim();
        let problem = || format!("keep is “{text}”: write a number and d, w, m or y, as \"6m\"");
        let unit = t.chars().last().ok_or_else(problem)?;
        let days: u64 = match unit {
            'd' => 1,
            'w' => 7,
            'm' => 30,
            'y' => 365,
            _ => return Err(problem()),
        };
        let n: u64 = t[..t.len() - 1].parse().map_err(|_| problem())?;
        if n == 0 {
            return Err(problem());
        }
        let seconds = n
            .checked_mul(days * 86_400)
            .filter(|s| *s < 1 << 40)
            .ok_or_else(problem)?;
        Ok(Keep {
            text: t.to_owned(),
            duration: Duration::from_secs(seconds),
        })
    }
}

/// Every subscription, in the file's order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Subscriptions {
    pub keep: Option<Keep>,
    pub feeds: Vec<Subscription>,
}

impl Subscriptions {
    /// How long `feed`'s articles are kept: its own `keep`, else the global one.
    pub fn keep_for<'a>(&'a self, feed: &'a Subscription) -> Option<&'a Keep> {
        feed.keep.as_ref().or(self.keep.as_ref())
    }
}

/// What is wrong with feeds.toml, and where.
#[derive(Debug, thiserror::Error)]
pub enum SubscriptionError {
    #[error("{}{}: {message}", shown(.path), line.map(|l| format!(", line {l}")).unwrap_or_default())]
    Invalid {
        path: PathBuf,
        line: Option<usize>,
        message: String,
    },
    #[error("cannot read {}: {source}", shown(.path))]
    Read { path: PathBuf, source: io::Error },
    #[error("cannot write {}: {source}", shown(.path))]
    Write { path: PathBuf, source: io::Error },
    #[error(transparent)]
    Lock(#[from] crate::feeds::fetch_state::FetchStateError),
}

/// `$XDG_CONFIG_HOME/kiosque/feeds.toml`, beside the config file.
pub fn default_path() -> Option<PathBuf> {
    crate::store::dirs::config_file().map(|config| config.with_file_name("feeds.toml"))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileIn {
    keep: Option<Spanned<String>>,
    #[serde(default)]
    feed: Vec<Spanned<FeedIn>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FeedIn {
    url: Spanned<String>,
    name: Option<Spanned<String>>,
    #[serde(default)]
    tags: Vec<Spanned<String>>,
    keep: Option<Spanned<String>>,
    #[serde(default)]
    fulltext: bool,
    key: Option<Spanned<String>>,
}

fn line_of(text: &str, at: usize) -> usize {
    text.as_bytes()[..at.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Reads the subscriptions at `path`; a missing file means none.
pub fn load(path: &Path) -> Result<Subscriptions, SubscriptionError> {
    match fs::read_to_string(path) {
        Ok(text) => parse(&text).map_err(|(line, message)| SubscriptionError::Invalid {
            path: path.to_path_buf(),
            line,
            message,
        }),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(Subscriptions::default()),
        Err(source) => Err(SubscriptionError::Read {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// Reads the subscriptions of feeds.toml's text; an error gives its line.
pub fn parse(text: &str) -> Result<Subscriptions, (Option<usize>, String)> {
    let file: FileIn = toml::from_str(text).map_err(|err| {
        (
            err.span().map(|span| line_of(text, span.start)),
            err.message().trim_end().to_owned(),
        )
    })?;
    let at =
        |span: std::ops::Range<usize>, message: String| (Some(line_of(text, span.start)), message);
    let keep = |value: &Option<Spanned<String>>| -> Result<Option<Keep>, (Option<usize>, String)> {
        value
            .as_ref()
            .map(|k| Keep::parse(k.get_ref()).map_err(|m| at(k.span(), m)))
            .transpose()
    };
    let mut subscriptions = Subscriptions {
        keep: keep(&file.keep)?,
        feeds: Vec::new(),
    };
    let mut lines: Vec<usize> = Vec::new();
    for entry in &file.feed {
        let feed = entry.get_ref();
        let url = feed.url.get_ref().trim();
        crate::feeds::http::parse_url(url).map_err(|err| at(feed.url.span(), err.to_string()))?;
        let name = match &feed.name {
            Some(name) if name.get_ref().trim().is_empty() => {
                return Err(at(name.span(), "name is empty".to_owned()));
            }
            Some(name) => Some(name.get_ref().trim().to_owned()),
            None => None,
        };
        let mut tags = Vec::new();
        for tag in &feed.tags {
            let t = tag.get_ref().trim();
            if t.is_empty() || t.contains(',') {
                return Err(at(
                    tag.span(),
                    format!("tag “{t}”: a tag is not empty and has no comma"),
                ));
            }
            if !tags.iter().any(|x| x == t) {
                tags.push(t.to_owned());
            }
        }
        let key = match &feed.key {
            Some(key) if key.get_ref().trim().is_empty() => {
                return Err(at(key.span(), "key is empty".to_owned()));
            }
            Some(key) => Some(key.get_ref().trim().to_owned()),
            None => None,
        };
        let subscription = Subscription {
            url: url.to_owned(),
            name,
            tags,
            keep: keep(&feed.keep)?,
            fulltext: feed.fulltext,
            key,
        };
        let line = line_of(text, entry.span().start);
        for (other, other_line) in subscriptions.feeds.iter().zip(&lines) {
            if other.url == subscription.url {
                return Err((
                    Some(line),
                    format!(
                        "{} is already subscribed on line {other_line}",
                        subscription.url
                    ),
                ));
            }
            if other.key() == subscription.key() {
                return Err((
                    Some(line),
                    format!(
                        "this feed and the one on line {other_line} have the same key “{}”",
                        subscription.key()
                    ),
                ));
            }
        }
        subscriptions.feeds.push(subscription);
        lines.push(line);
    }
    Ok(subscriptions)
}

/// Changes feeds.toml under the lock file `lock` (kept out of the config folder, which people
/// keep in version control): reads it (it must be valid), lets `change` edit the document,
/// and writes it atomically. Comments and layout the edit does not touch stay.
pub fn edit<T>(
    path: &Path,
    lock: &Path,
    change: impl FnOnce(&Subscriptions, &mut toml_edit::DocumentMut) -> Result<T, String>,
) -> Result<T, SubscriptionError> {
    for dir in [path, lock].map(|p| p.parent().unwrap_or(Path::new("."))) {
        crate::feeds::fetch_state::create_dir(dir)?;
    }
    let _lock = crate::feeds::fetch_state::lock(lock, Duration::from_secs(10))?;
    let text = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) if err.kind() == io::ErrorKind::NotFound => NEW_FILE.to_owned(),
        Err(source) => {
            return Err(SubscriptionError::Read {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    let invalid = |line, message| SubscriptionError::Invalid {
        path: path.to_path_buf(),
        line,
        message,
    };
    let current = parse(&text).map_err(|(line, message)| invalid(line, message))?;
    let mut doc: toml_edit::DocumentMut = text
        .parse()
        .map_err(|err: toml_edit::TomlError| invalid(None, err.message().to_owned()))?;
    let out = change(&current, &mut doc).map_err(|message| invalid(None, message))?;
    let new_text = doc.to_string();
    // What kiosque writes must read back: never leave a file the next run refuses.
    parse(&new_text).map_err(|(line, message)| {
        invalid(line, format!("kiosque made an invalid edit: {message}"))
    })?;
    let mut temp = path.as_os_str().to_owned();
    temp.push(".tmp");
    let temp = PathBuf::from(temp);
    let write = || -> io::Result<()> {
        let mut file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&temp)?;
        file.write_all(new_text.as_bytes())?;
        file.sync_all()?;
        fs::rename(&temp, path)
    };
    write().map_err(|source| {
        let _ = fs::remove_file(&temp);
        SubscriptionError::Write {
            path: path.to_path_buf(),
            source,
        }
    })?;
    Ok(out)
}

/// The `[[feed]]` array of `doc`, created when missing.
fn feed_tables(doc: &mut toml_edit::DocumentMut) -> Result<&mut toml_edit::ArrayOfTables, String> {
    doc.entry("feed")
        .or_insert_with(|| toml_edit::Item::ArrayOfTables(toml_edit::ArrayOfTables::new()))
        .as_array_of_tables_mut()
        .ok_or_else(|| "`feed` is not a list of [[feed]] tables".to_owned())
}

/// Appends `feed` as a new `[[feed]]` table.
pub fn append(doc: &mut toml_edit::DocumentMut, feed: &Subscription) -> Result<(), String> {
    let mut table = toml_edit::Table::new();
    table.insert("url", toml_edit::value(feed.url.as_str()));
    if let Some(name) = &feed.name {
        table.insert("name", toml_edit::value(name.as_str()));
    }
    if !feed.tags.is_empty() {
        let tags: toml_edit::Array = feed.tags.iter().map(String::as_str).collect();
        table.insert("tags", toml_edit::value(tags));
    }
    if let Some(keep) = &feed.keep {
        table.insert("keep", toml_edit::value(keep.text.as_str()));
    }
    if feed.fulltext {
        table.insert("fulltext", toml_edit::value(true));
    }
    if let Some(key) = &feed.key {
        table.insert("key", toml_edit::value(key.as_str()));
    }
    // toml_edit keeps the comments of a file without tables after everything; before the
    // first feed they stay where the user wrote them, at the top.
    let trailing = doc.trailing().as_str().unwrap_or_default().to_owned();
    let feeds = feed_tables(doc)?;
    let first = feeds.is_empty() && !trailing.trim().is_empty();
    if first {
        table
            .decor_mut()
            .set_prefix(format!("{}\n", trailing.trim_end()) + "\n");
    }
    feeds.push(table);
    if first {
        doc.set_trailing("");
    }
    Ok(())
}

/// Removes the `[[feed]]` whose URL is `url`; true when there was one.
pub fn remove(doc: &mut toml_edit::DocumentMut, url: &str) -> Result<bool, String> {
    let feeds = feed_tables(doc)?;
    let before = feeds.len();
    feeds.retain(|t| t.get("url").and_then(|u| u.as_str()).map(str::trim) != Some(url));
    Ok(feeds.len() != before)
}

/// Points the feed at `old` to `new`, keeping its key (its first URL) so its articles and
/// fetch state stay with it.
pub fn move_url(doc: &mut toml_edit::DocumentMut, old: &str, new: &str) -> Result<bool, String> {
    for table in feed_tables(doc)?.iter_mut() {
        if table.get("url").and_then(|u| u.as_str()).map(str::trim) == Some(old) {
            table.insert("url", toml_edit::value(new));
            if table.get("key").is_none() {
                table.insert("key", toml_edit::value(old));
            }
            return Ok(true);
        }
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_read() {
        let subs = parse(
            "keep = \"6m\"\n\n[[feed]]\nurl = \"https://example.org/feed.xml\"\nname = \"Le Monde · Tech\"\ntags = [\"tech\", \"fr\", \"tech\"]\nkeep = \"2w\"\nfulltext = true\n\n[[feed]]\nurl = \"http://blog.example/atom\"\n",
        )
        .unwrap();
        assert_eq!(subs.keep.as_ref().unwrap().duration.as_secs(), 180 * 86_400);
        let [a, b] = &subs.feeds[..] else { panic!() };
        assert_eq!(a.key(), "https://example.org/feed.xml");
        assert_eq!(a.label(), "Le Monde · Tech");
        assert_eq!(a.tags, ["tech", "fr"]);
        assert_eq!(subs.keep_for(a).unwrap().text, "2w");
        assert!(a.fulltext);
        assert_eq!(b.label(), "blog.example/atom");
        assert_eq!(subs.keep_for(b).unwrap().text, "6m");
    }

    #[test]
    fn mistakes_name_their_line() {
        let err = |text: &str| {
            let (line, message) = parse(text).unwrap_err();
            format!("{}: {message}", line.unwrap_or(0))
        };
        assert_eq!(
            err("[[feed]]\nurl = \"https://a.example/\"\nkeep = \"6 months\"\n"),
            "3: keep is “6 months”: write a number and d, w, m or y, as \"6m\""
        );
        assert!(
            err("[[feed]]\nurl = \"https://a.example/\"\nnmae = \"x\"\n")
                .starts_with("3: unknown field `nmae`")
        );
        assert!(err("[[feed]]\nname = \"x\"\n").starts_with("1: missing field `url`"));
        assert_eq!(
            err("[[feed]]\nurl = \"ftp://a.example/\"\n"),
            "2: ftp://a.example/ is not http or https"
        );
        assert_eq!(
            err("[[feed]]\nurl = \"https://a.example/\"\n[[feed]]\nurl = \"https://a.example/\"\n"),
            "3: https://a.example/ is already subscribed on line 1"
        );
        assert_eq!(
            err(
                "[[feed]]\nurl = \"https://a.example/\"\n[[feed]]\nurl = \"https://b.example/\"\nkey = \"https://a.example/\"\n"
            ),
            "3: this feed and the one on line 1 have the same key “https://a.example/”"
        );
        assert_eq!(
            err("[[feed]]\nurl = \"https://a.example/\"\ntags = [\"a,b\"]\n"),
            "3: tag “a,b”: a tag is not empty and has no comma"
        );
        assert!(err("[[feed]\n").starts_with("1:"));
    }

    #[test]
    fn edits_keep_comments() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kiosque").join("feeds.toml");
        let lock = dir.path().join("state").join("feeds.toml.lock");
        let mut feed = Subscription::new("https://a.example/feed");
        feed.tags = vec!["x".into()];
        edit(&path, &lock, |_, doc| append(doc, &feed)).unwrap();
        let text = fs::read_to_string(&path).unwrap();
        fs::write(&path, text.replace("\n[[feed]]", "\n# mine\n[[feed]]")).unwrap();
        edit(&path, &lock, |_, doc| {
            append(doc, &Subscription::new("https://b.example/"))
        })
        .unwrap();
        edit(&path, &lock, |_, doc| {
            move_url(doc, "https://b.example/", "https://c.example/")
        })
        .unwrap();
        let subs = load(&path).unwrap();
        assert_eq!(subs.feeds[0], feed);
        assert_eq!(subs.feeds[1].url, "https://c.example/");
        assert_eq!(subs.feeds[1].key(), "https://b.example/");
        assert!(
            fs::read_to_string(&path)
                .unwrap()
                .contains("# mine\n[[feed]]")
        );
        assert!(edit(&path, &lock, |_, doc| remove(doc, "https://a.example/feed")).unwrap());
        assert_eq!(load(&path).unwrap().feeds.len(), 1);
    }

    #[test]
    fn keeps() {
        assert_eq!(Keep::parse("30d").unwrap().duration.as_secs(), 30 * 86_400);
        assert!(Keep::parse("0d").is_err());
        assert!(Keep::parse("1").is_err());
        assert!(Keep::parse("99999999999y").is_err());
    }
}
