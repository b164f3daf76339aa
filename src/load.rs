//! Builds the corpus: walks the paths the user gave, reads and parses every article in
//! parallel, and collects a warning for every file it could not use instead of stopping.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use std::sync::Arc;

use crate::article::{Article, Body, newest_first};
use crate::decode::decode;
use crate::fold::for_each_word;
use crate::index::{Index, Interner};
use crate::parse::{head, parse};
use crate::sanitize::{Place, sanitize};

/// Files larger than this are skipped unless the user raises the limit.
pub const DEFAULT_MAX_SIZE: u64 = 64 * 1024 * 1024;

#[derive(Clone, Debug)]
pub struct LoadOptions {
    pub max_size: u64,
}

impl Default for LoadOptions {
    fn default() -> Self {
        Self {
            max_size: DEFAULT_MAX_SIZE,
        }
    }
}

/// A problem with one path: the file was skipped, or loaded with a caveat.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// The path as shown to the user.
    pub path: String,
    pub reason: String,
    /// True when the file is not in the corpus because of this problem.
    pub skipped: bool,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let verb = if self.skipped { "skipped" } else { "note" };
        write!(f, "{verb} {}: {}", self.path, self.reason)
    }
}

/// Every article loaded, newest first, what went wrong on the way, and the search index.
#[derive(Clone, Default)]
pub struct Corpus {
    pub articles: Vec<Article>,
    pub warnings: Vec<Warning>,
    pub index: Index,
}

impl Corpus {
    /// How many files were skipped.
    pub fn skipped(&self) -> usize {
        self.warnings.iter().filter(|w| w.skipped).count()
    }

    /// Builds a corpus from files already in memory (the embedded sample, tests).
    pub fn from_memory<'a>(files: impl IntoIterator<Item = (PathBuf, &'a [u8])>) -> Self {
        let files: Vec<_> = files.into_iter().collect();
        let batches = files
            .par_chunks(BATCH)
            .map(|chunk| {
                let mut interner = Interner::default();
                let results = chunk
                    .iter()
                    .map(|(path, bytes)| {
                        article_from_bytes(path, bytes, Some(Arc::from(*bytes)), &mut interner)
                    })
                    .collect();
                (results, interner)
            })
            .collect();
        assemble(batches, Vec::new())
    }
}

/// Files parsed together, sharing one word numbering, before the corpus-wide index.
const BATCH: usize = 256;

type Batch = (Vec<Result<Loaded, Warning>>, Interner);

/// Loads every article under `paths` (files, or folders walked recursively).
pub fn load(paths: &[PathBuf], options: &LoadOptions) -> Corpus {
    let mut files = Vec::new();
    let mut warnings = Vec::new();
    for path in paths {
        walk(path, &mut files, &mut warnings);
    }
    let batches = files
        .par_chunks(BATCH)
        .map(|chunk| {
            let mut interner = Interner::default();
            let results = chunk
                .iter()
                .map(|path| read_article(path, options, &mut interner))
                .collect();
            (results, interner)
        })
        .collect();
    assemble(batches, warnings)
}

fn assemble(batches: Vec<Batch>, mut warnings: Vec<Warning>) -> Corpus {
    let mut articles = Vec::new();
    let mut numbering = Vec::with_capacity(batches.len());
    for (results, interner) in batches {
        let before = articles.len();
        for result in results {
            match result {
                Ok(loaded) => {
                    warnings.extend(loaded.note);
                    articles.push(loaded.article);
                }
                Err(warning) => warnings.push(warning),
            }
        }
        numbering.push((articles.len() - before, interner));
    }
    let words = Index::renumber(&mut articles, numbering);
    articles.par_sort_by(newest_first);
    let index = Index::new(words, &articles);
    Corpus {
        articles,
        warnings,
        index,
    }
}

/// The path as the user should see it: lossy for names that are not UTF-8, and never able
/// to send a control sequence to the terminal.
pub fn shown(path: &Path) -> String {
    sanitize(&path.to_string_lossy(), Place::Title)
}

fn skipped(path: &Path, reason: impl Into<String>) -> Warning {
    Warning {
        path: shown(path),
        reason: reason.into(),
        skipped: true,
    }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.as_encoded_bytes().first() == Some(&b'.')
}

fn is_txt(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("txt"))
}

/// Collects the article files under `root` in a stable order (by name at every level).
fn walk(root: &Path, files: &mut Vec<PathBuf>, warnings: &mut Vec<Warning>) {
    let walker = WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err.path().unwrap_or(root).to_path_buf();
                let reason = if err.loop_ancestor().is_some() {
                    "symbolic link loop".to_owned()
                } else {
                    io_reason(err.io_error(), "cannot be read")
                };
                warnings.push(skipped(&path, reason));
                continue;
            }
        };
        let kind = entry.file_type();
        let named_by_user = entry.depth() == 0;
        if kind.is_dir() {
            continue;
        }
        if !named_by_user && !is_txt(entry.path()) {
            continue;
        }
        if kind.is_file() {
            files.push(entry.into_path());
        } else {
            // A FIFO, socket or device is never opened: reading it could block forever.
            warnings.push(skipped(entry.path(), "not a regular file"));
        }
    }
}

fn io_reason(err: Option<&std::io::Error>, fallback: &str) -> String {
    match err.map(std::io::Error::kind) {
        Some(std::io::ErrorKind::NotFound) => "no such file or folder".to_owned(),
        Some(std::io::ErrorKind::PermissionDenied) => "permission denied".to_owned(),
        _ => err.map_or_else(|| fallback.to_owned(), |e| e.to_string()),
    }
}

struct Loaded {
    article: Article,
    note: Option<Warning>,
}

fn read_article(
    path: &Path,
    options: &LoadOptions,
    interner: &mut Interner,
) -> Result<Loaded, Warning> {
    let size = std::fs::metadata(path)
        .map_err(|e| skipped(path, io_reason(Some(&e), "cannot be read")))?
        .len();
    if size > options.max_size {
        return Err(skipped(
            path,
            format!(
                "{} is over the size limit of {} (see --max-size)",
                human_size(size),
                human_size(options.max_size)
            ),
        ));
    }
    let bytes =
        std::fs::read(path).map_err(|e| skipped(path, io_reason(Some(&e), "cannot be read")))?;
    article_from_bytes(path, &bytes, None, interner)
}

/// Reads what the list and the index need of one article; the body itself is not kept.
fn article_from_bytes(
    path: &Path,
    bytes: &[u8],
    keep: Option<Arc<[u8]>>,
    interner: &mut Interner,
) -> Result<Loaded, Warning> {
    let decoded = decode(bytes).map_err(|e| skipped(path, e.to_string()))?;
    let head = head(&decoded.text).map_err(|e| skipped(path, e.to_string()))?;
    // The title is a sentence of the body, so the body alone is indexed.
    let mut word_ids = Vec::with_capacity(decoded.text.len() / 6);
    let mut scratch = String::new();
    for_each_word(&decoded.text[head.body_start..], &mut scratch, |w| {
        word_ids.push(interner.intern(w))
    });
    let note = head.warning.map(|reason| Warning {
        path: shown(path),
        reason,
        skipped: false,
    });
    Ok(Loaded {
        article: Article {
            path: path.to_path_buf(),
            shown_path: shown(path),
            bytes: keep,
            date: head.date,
            title: head.title,
            words: word_ids.len(),
            encoding: decoded.encoding,
            word_ids: word_ids.into_boxed_slice(),
        },
        note,
    })
}

impl Corpus {
    /// The decoded text of article `i`, read again from its source.
    pub fn text(&self, i: usize) -> Result<String, String> {
        let article = &self.articles[i];
        let read;
        let bytes: &[u8] = match &article.bytes {
            Some(bytes) => bytes,
            None => {
                read = std::fs::read(&article.path)
                    .map_err(|e| format!("it {}", io_reason(Some(&e), "cannot be read")))?;
                &read
            }
        };
        decode(bytes)
            .map(|d| d.text)
            .map_err(|e| format!("it is now a {e}"))
    }

    /// The body of article `i`, for the reader: read and parsed now, so the reader shows
    /// what the file holds now. A file that went away or broke gives a body that says so.
    pub fn body(&self, i: usize) -> Body {
        let article = &self.articles[i];
        let parsed = self
            .text(i)
            .and_then(|text| parse(&text).map_err(|e| format!("it now holds {e}")));
        match parsed {
            Ok(parsed) => Body {
                date: parsed.head.date,
                title: parsed.head.title,
                blocks: parsed.blocks,
                problem: None,
            },
            Err(problem) => Body {
                date: article.date,
                title: article.title.clone(),
                blocks: Vec::new(),
                problem: Some(format!("This article could not be read again: {problem}.")),
            },
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn write(dir: &Path, name: &str, text: &[u8]) -> PathBuf {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).unwrap();
        }
        fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn walks_folders_sorts_newest_first_and_skips_hidden_and_other_files() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "b.txt", b"date 2024-05 Mai.");
        write(dir.path(), "a.txt", b"date 2024-05-01 Premier mai.");
        write(dir.path(), "sub/c.txt", b"date 2025-01-01 Nouvel an.");
        write(dir.path(), "sub/undated.txt", b"Sans date.");
        write(dir.path(), "sub/aaa-undated.txt", b"Aussi sans date.");
        write(
            dir.path(),
            ".hidden/x.txt",
            b"date 2030-01-01 Cach\xc3\xa9.",
        );
        write(dir.path(), ".secret.txt", b"date 2030-01-01 Cach\xc3\xa9.");
        write(dir.path(), "notes.md", b"date 2030-01-01 Pas un article.");
        let corpus = load(&[dir.path().to_path_buf()], &LoadOptions::default());
        let titles: Vec<_> = corpus.articles.iter().map(|a| a.title.as_str()).collect();
        // `a.txt` (a day) and `b.txt` (a month, sorting as its first day) share a date, so
        // path order decides; undated articles come last, by path.
        assert_eq!(
            titles,
            [
                "Nouvel an.",
                "Premier mai.",
                "Mai.",
                "Aussi sans date.",
                "Sans date."
            ]
        );
        assert!(corpus.warnings.is_empty(), "{:?}", corpus.warnings);
    }

    #[test]
    fn bad_files_are_warnings_not_aborts() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "good.txt", b"date 2024-01-01 Bon.");
        write(dir.path(), "empty.txt", b"");
        write(dir.path(), "blank.txt", b"  \n\n ");
        write(dir.path(), "binary.txt", b"\x7fELF\x00\x00\x01");
        write(dir.path(), "header-only.txt", b"date 2024-01-01\n");
        write(dir.path(), "bad-date.txt", b"date 2026-02-30 Texte.");
        let missing = dir.path().join("missing");
        let corpus = load(
            &[dir.path().to_path_buf(), missing.clone()],
            &LoadOptions::default(),
        );
        assert_eq!(corpus.articles.len(), 2);
        assert_eq!(corpus.skipped(), 5);
        let reason = |name: &str| {
            corpus
                .warnings
                .iter()
                .find(|w| w.path.ends_with(name))
                .map(|w| w.reason.clone())
                .unwrap_or_else(|| panic!("no warning for {name}"))
        };
        assert_eq!(reason("empty.txt"), "no text");
        assert_eq!(reason("blank.txt"), "no text");
        assert_eq!(reason("binary.txt"), "binary file (contains NUL bytes)");
        assert_eq!(reason("header-only.txt"), "no text after the date header");
        assert_eq!(reason("missing"), "no such file or folder");
        assert!(reason("bad-date.txt").contains("2026-02-30"));
    }

    #[test]
    fn size_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            dir.path(),
            "big.txt",
            "Un gros article.".repeat(100).as_bytes(),
        );
        let corpus = load(&[path], &LoadOptions { max_size: 1000 });
        assert!(corpus.articles.is_empty());
        assert!(
            corpus.warnings[0]
                .reason
                .contains("over the size limit of 1000 B")
        );
    }

    #[cfg(unix)]
    #[test]
    fn fifos_are_never_opened_and_link_loops_end() {
        use std::process::Command;
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "ok.txt", b"Bon.");
        let fifo = dir.path().join("pipe.txt");
        assert!(
            Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).unwrap();
        let corpus = load(&[dir.path().to_path_buf()], &LoadOptions::default());
        assert_eq!(corpus.articles.len(), 1);
        let reasons: Vec<_> = corpus.warnings.iter().map(|w| w.reason.as_str()).collect();
        assert!(reasons.contains(&"not a regular file"), "{reasons:?}");
        assert!(reasons.contains(&"symbolic link loop"), "{reasons:?}");
    }

    #[test]
    fn the_body_is_indexed_as_folded_words() {
        let corpus = Corpus::from_memory([(
            PathBuf::from("x.txt"),
            "date 2024-01-01 La SÉCURITÉ.\n• Cœur".as_bytes(),
        )]);
        let index = &corpus.index;
        let words: Vec<&str> = corpus.articles[0]
            .word_ids
            .iter()
            .map(|&w| index.word(w))
            .collect();
        assert_eq!(words, ["la", "securite", "coeur"]);
    }
}
