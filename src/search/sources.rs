//! Where articles come from beyond their files: each article's source as the list names it
//! (its feed, or else the folder given on the command line that holds it), and the tags the
//! subscriptions give each feed, which `tag:` looks in.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use unicode_width::UnicodeWidthStr;

use crate::corpus::Article;
use crate::text::display::shown;

/// What the commands know of the articles' sources: the paths given and the feeds' tags.
/// Shared, so a catalog copied from the load thread copies none of it.
#[derive(Clone, Debug, Default)]
pub struct Sources {
    roots: Arc<[Root]>,
    /// The tags of each feed, by its key in the subscriptions (`Subscription::key`).
    tags: Arc<HashMap<String, Box<[String]>>>,
    /// True when the articles come from more than one source, and the columns the widest
    /// name takes: counted once, when the sources are given to a catalog (see
    /// `Catalog::set_sources`).
    several: bool,
    widest: usize,
    /// Why the feeds' tags are unknown (a feeds.toml that cannot be read), to tell the user.
    pub note: Option<String>,
}

/// A path given on the command line, and the names its articles are listed under.
#[derive(Debug)]
struct Root {
    path: PathBuf,
    /// The folder's own name (`articles` for `~/articles`), made safe to show.
    name: String,
    /// For a file given by itself, the name of the folder that holds it.
    parent: String,
    /// How many components the path has: the deepest root holding an article names it.
    depth: usize,
    /// True when the path is a file given by itself, not a folder.
    file: bool,
    /// True when the path is written as its components would be joined again (no `.`, no
    /// doubled or trailing `/`): then the paths walked under it start with its very bytes.
    plain: bool,
}

impl Root {
    /// True when `path` is this root or under it. Asked of every article for every root:
    /// compared as bytes, not component by component, when the root is written plainly.
    fn holds(&self, path: &Path) -> bool {
        let (bytes, root) = (
            path.as_os_str().as_encoded_bytes(),
            self.path.as_os_str().as_encoded_bytes(),
        );
        let boundary = root.ends_with(b"/") || matches!(bytes.get(root.len()), None | Some(b'/'));
        if bytes.starts_with(root) && boundary {
            return true;
        }
        !self.plain && path.starts_with(&self.path)
    }
}

/// The last part of `path`, made safe to show; the whole path when it has no last part
/// (`.`, `/`).
fn last_name(path: &Path) -> String {
    match path.file_name() {
        Some(name) => shown(Path::new(name)),
        None if path.as_os_str().is_empty() => ".".to_owned(),
        None => shown(path),
    }
}

impl Sources {
    /// The sources of articles found under `roots` (as given, in the order given), with the
    /// `tags` of each feed key.
    pub fn new(roots: &[PathBuf], tags: impl IntoIterator<Item = (String, Vec<String>)>) -> Self {
        let roots = roots
            .iter()
            .map(|path| Root {
                name: last_name(path),
                parent: last_name(path.parent().unwrap_or(Path::new(""))),
                depth: path.components().count(),
                file: path.is_file(),
                plain: path.components().collect::<PathBuf>().as_os_str() == path.as_os_str(),
                path: path.clone(),
            })
            .collect();
        Sources {
            roots,
            tags: Arc::new(
                tags.into_iter()
                    .map(|(key, tags)| (key, tags.into_boxed_slice()))
                    .collect(),
            ),
            several: false,
            widest: 0,
            note: None,
        }
    }

    /// The tags the subscriptions give the feed known by `key`.
    pub fn tags(&self, key: &str) -> &[String] {
        self.tags.get(key).map_or(&[], |tags| tags)
    }

    /// What the list names `article`'s source by: its feed, else the folder given that holds
    /// it (the deepest, when folders given hold one another); empty when neither is known.
    pub fn name<'a>(&'a self, article: &'a Article) -> &'a str {
        if let Some(origin) = &article.origin {
            return &origin.feed;
        }
        // One folder given: every article found is in it. Asked of every article at start,
        // its path is not even looked at.
        if let [root] = &self.roots[..]
            && !root.file
        {
            return &root.name;
        }
        let root = self
            .roots
            .iter()
            .filter(|r| r.holds(&article.path))
            .max_by_key(|r| r.depth);
        match root {
            Some(root) if article.path == root.path => &root.parent,
            Some(root) => &root.name,
            None => "",
        }
    }

    /// True when the articles come from more than one source, so the list names them.
    pub fn several(&self) -> bool {
        self.several
    }

    /// The columns the widest source name takes.
    pub fn widest(&self) -> usize {
        self.widest
    }

    /// Counts the sources of `articles`, and how wide their names are.
    pub(crate) fn count(&mut self, articles: &[Article]) {
        let mut first = None;
        let (mut several, mut widest) = (false, 0);
        let mut last = "";
        for article in articles {
            let name = self.name(article);
            several |= *first.get_or_insert(name) != name;
            // Articles of one feed or folder mostly come together: each name measured once.
            if name != last {
                widest = widest.max(name.width());
                last = name;
            }
        }
        (self.several, self.widest) = (several, widest);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::catalog::Catalog;

    fn article(feed: Option<&str>) -> String {
        match feed {
            Some(feed) => format!(
                "date 2026-03-06\nkiosque-article 1\ntitle: Titre\nfeed: {feed}\n\
                 feed-key: https://{feed}.example/rss\nkiosque-article end\nCorps.\n"
            ),
            None => "date 2026-03-06 Un fichier.".to_owned(),
        }
    }

    fn catalog(files: &[(&str, Option<&str>)], roots: &[&str]) -> Catalog {
        let texts: Vec<(PathBuf, String)> = files
            .iter()
            .map(|(path, feed)| (PathBuf::from(path), article(*feed)))
            .collect();
        let mut catalog =
            Catalog::from_memory(texts.iter().map(|(p, t)| (p.clone(), t.as_bytes())));
        let roots: Vec<PathBuf> = roots.iter().map(PathBuf::from).collect();
        catalog.set_sources(Sources::new(&roots, Vec::new()));
        catalog
    }

    fn names(catalog: &Catalog) -> Vec<&str> {
        let sources = &catalog.sources;
        let mut names: Vec<&str> = catalog
            .corpus
            .articles
            .iter()
            .map(|a| sources.name(a))
            .collect();
        names.sort_unstable();
        names
    }

    #[test]
    fn a_feed_article_comes_from_its_feed_a_file_from_the_folder_given() {
        let c = catalog(
            &[
                ("data/feeds/monde/1.txt", Some("monde")),
                ("data/feeds/info/2.txt", Some("info")),
                ("notes/2026/a.txt", None),
                ("notes/2025/b.txt", None),
                ("notes/deep/c.txt", None),
                ("loose/d.txt", None),
            ],
            &["data/feeds", "notes", "notes/deep", "loose/d.txt"],
        );
        assert_eq!(
            names(&c),
            ["deep", "info", "loose", "monde", "notes", "notes"]
        );
        assert!(c.sources.several());
    }

    #[test]
    fn one_folder_or_one_feed_is_one_source() {
        let folder = catalog(
            &[("notes/a.txt", None), ("notes/sub/b.txt", None)],
            &["notes"],
        );
        assert_eq!(names(&folder), ["notes", "notes"]);
        assert!(!folder.sources.several());
        let feed = catalog(
            &[("f/1.txt", Some("monde")), ("f/2.txt", Some("monde"))],
            &["f", "g"],
        );
        assert!(!feed.sources.several());
        let unknown = catalog(&[("a.txt", None), ("b/c.txt", None)], &[]);
        assert_eq!(names(&unknown), ["", ""]);
        assert!(!unknown.sources.several());
    }

    #[test]
    fn a_root_holds_what_is_under_it_however_it_is_written() {
        let roots: Vec<PathBuf> = ["/news", "/news/monde", "./notes", "/", "a//b", "/fil"]
            .iter()
            .map(PathBuf::from)
            .collect();
        let sources = Sources::new(&roots, []);
        let holds = |root: usize, path: &str| sources.roots[root].holds(Path::new(path));
        assert!(holds(0, "/news/a.txt") && holds(0, "/news/monde/b.txt") && holds(0, "/news"));
        assert!(!holds(0, "/newsletter/a.txt") && !holds(1, "/news/a.txt"));
        assert!(holds(1, "/news/monde/b.txt"));
        assert!(holds(2, "./notes/c.txt") && !holds(2, "./notes2/c.txt"));
        assert!(holds(3, "/news/a.txt") && holds(3, "/x.txt"));
        assert!(holds(4, "a/b/d.txt") && holds(4, "a//b/d.txt") && !holds(4, "a/bc/d.txt"));
        assert!(!holds(5, "/fi") && !holds(5, "/film/e.txt"));
        // The deepest root names the article.
        let c = catalog(
            &[("/news/monde/b.txt", None)],
            &["/news", "/news/monde", "/"],
        );
        assert_eq!(names(&c), ["monde"]);
    }

    #[test]
    fn names_of_folders_are_safe_to_show() {
        let sources = Sources::new(&[PathBuf::from("x/a\u{1b}[31m"), PathBuf::from(".")], []);
        assert!(!sources.roots[0].name.contains('\u{1b}'));
        assert_eq!(sources.roots[1].name, ".");
        assert_eq!(sources.roots[0].parent, "x");
    }

    #[test]
    fn tags_are_found_by_feed_key() {
        let sources = Sources::new(
            &[],
            [("https://a.example/rss".to_owned(), vec!["tech".to_owned()])],
        );
        assert_eq!(sources.tags("https://a.example/rss"), ["tech"]);
        assert!(sources.tags("https://b.example/rss").is_empty());
    }
}
