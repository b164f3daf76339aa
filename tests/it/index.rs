//! The index kept on disk against the plain ways: every query form finds what reading each
//! article again finds; changes are applied file by file; a damaged index is rebuilt; two
//! kiosque processes share one index; a kiosque killed while indexing leaves it usable.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use chrono::NaiveDate;
use kiosque::search::catalog::{self as load, Catalog};
use kiosque::search::disk::{Changes, DiskIndex, dir_for, stamps};
use kiosque::search::query::Query;
use kiosque::store::load::LoadOptions;
use kiosque::store::marks::Marks;
use proptest::prelude::*;
use proptest::strategy::ValueTree;

/// French-like words with accents, ligatures and shared prefixes.
const WORDS: [&str; 20] = [
    "sécurité",
    "sécuritaire",
    "SÉCURITÉ",
    "insécurité",
    "cœur",
    "coeur",
    "armée",
    "l’armée",
    "accord",
    "accords",
    "conclu",
    "élève",
    "Noël",
    "défense",
    "ministre",
    "premier",
    "forêt",
    "États-Unis",
    "1 000",
    "295 %",
];

/// One article of the words above.
fn article() -> impl Strategy<Value = String> {
    crate::common::articles::article_of(&WORDS)
}

/// Every form of the language: prefixes down to one letter, whole words, phrases (with a
/// prefix last or not), titles, negations, OR, dates and read state.
fn query() -> impl Strategy<Value = String> {
    let word = prop::sample::select(vec![
        "secu", "securite", "coeur", "l'armee", "armee", "accord", "conclu", "eleve", "noel",
        "ministre", "m", "e", "s", "se", "foret", "etats", "1", "295", "zzz",
    ]);
    let clause = prop_oneof![
        word.clone().prop_map(str::to_owned),
        word.clone().prop_map(|w| format!("-{w}")),
        word.clone().prop_map(|w| format!("title:{w}")),
        word.clone().prop_map(|w| format!("\"{w}\"")),
        Just("\"accord conclu\"".to_owned()),
        Just("\"securite insecurite\"".to_owned()),
        Just("accord con".to_owned()),
        Just("title:\"l'armee\"".to_owned()),
        Just("-\"cœur armée\"".to_owned()),
        (word.clone(), word.clone()).prop_map(|(a, b)| format!("{a} OR {b}")),
        Just("2021..2024".to_owned()),
        Just("is:unread".to_owned()),
    ];
    prop::collection::vec(clause, 1..4).prop_map(|c| c.join(" "))
}

fn write_all(folder: &Path, texts: &[String]) {
    std::fs::create_dir_all(folder).expect("a folder");
    for (i, text) in texts.iter().enumerate() {
        std::fs::write(folder.join(format!("{i:04}.txt")), text).expect("an article file");
    }
}

fn cached(dir: &Path) -> LoadOptions {
    LoadOptions {
        cache: Some(dir.join("cache").join("list.bin")),
        ..LoadOptions::default()
    }
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 8).expect("a day")
}

/// The positions `query` keeps in `catalog`, checked against a plain reading of each
/// article; ranking reorders them and drops none.
fn checked(catalog: &Catalog, text: &str) -> Vec<usize> {
    let query = Query::parse(text, today()).expect("a valid query");
    let marks = Marks::default();
    let found = query.filter(catalog, &marks);
    let plain: Vec<usize> = (0..catalog.corpus.articles.len())
        .filter(|&i| query.matches_plain(catalog, &marks, i))
        .collect();
    assert_eq!(found, plain, "query {text:?}");
    let mut ranked = found.clone();
    query.rank(catalog, &mut ranked);
    ranked.sort_unstable();
    assert_eq!(ranked, plain, "ranking {text:?}");
    found
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 24,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn the_disk_index_agrees_with_a_plain_scan(
        texts in prop::collection::vec(article(), 20..100),
        queries in prop::collection::vec(query(), 1..8),
    ) {
        let dir = tempfile::tempdir().expect("a folder");
        let articles = dir.path().join("articles");
        write_all(&articles, &texts);
        let catalog = load::load_indexed(&[articles], &cached(dir.path()));
        prop_assert!(catalog.disk.is_some(), "{:?}", catalog.corpus.warnings);
        prop_assert!(catalog.disk.as_ref().is_some_and(|d| d.missing().is_empty()));
        for text in &queries {
            checked(&catalog, text);
        }
    }
}

/// A corpus of `n` generated articles, always the same.
fn generated(n: usize) -> Vec<String> {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    (0..n)
        .map(|_| {
            article()
                .new_tree(&mut runner)
                .expect("an article")
                .current()
        })
        .collect()
}

fn paths(catalog: &Catalog, found: &[usize]) -> Vec<String> {
    found
        .iter()
        .map(|&i| {
            let path = &catalog.corpus.articles[i].path;
            path.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
        .collect()
}

#[test]
fn changes_are_applied_file_by_file() {
    let dir = tempfile::tempdir().expect("a folder");
    let articles = dir.path().join("articles");
    write_all(&articles, &generated(200));
    let options = cached(dir.path());
    let roots = [articles.clone()];
    let index_dir = dir_for(options.cache.as_deref().expect("a cache"));
    let first = load::load_indexed(&roots, &options);
    assert!(
        first.corpus.warnings.is_empty(),
        "{:?}",
        first.corpus.warnings
    );

    // One file changes, one goes, one comes.
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(
        articles.join("0001.txt"),
        "date 2026-03-06 Un zeppelin changé.",
    )
    .expect("changed");
    std::fs::remove_file(articles.join("0002.txt")).expect("removed");
    std::fs::write(
        articles.join("new.txt"),
        "date 2026-01-01 Un zeppelin nouveau.",
    )
    .expect("added");
    let listed = load::load_list(&roots, &LoadOptions::default());
    let (disk, note) = DiskIndex::open(&index_dir).expect("the index opens");
    assert_eq!(note, None);
    let changes = disk
        .update(
            &listed.corpus.articles,
            &stamps(&listed.corpus.articles),
            &|_, _| {},
        )
        .expect("an update");
    assert_eq!(
        changes,
        Changes {
            indexed: 2,
            removed: 2
        }
    );
    assert_eq!(disk.len(), 200);
    drop(disk);

    let catalog = load::load_indexed(&roots, &options);
    assert_eq!(
        paths(&catalog, &checked(&catalog, "zeppelin")),
        ["0001.txt", "new.txt"]
    );
    for query in ["s", "se", "\"accord conclu\"", "title:armee", "-coeur", "1"] {
        checked(&catalog, query);
    }
}

#[test]
fn a_damaged_index_is_rebuilt_with_a_note() {
    let dir = tempfile::tempdir().expect("a folder");
    let articles = dir.path().join("articles");
    write_all(&articles, &generated(50));
    let options = cached(dir.path());
    let roots = [articles];
    load::load_indexed(&roots, &options);
    let index_dir = dir_for(options.cache.as_deref().expect("a cache"));
    std::fs::write(index_dir.join("meta.json"), b"{ not json").expect("damaged");
    let catalog = load::load_indexed(&roots, &options);
    let reasons: Vec<&str> = catalog
        .corpus
        .warnings
        .iter()
        .map(|w| w.reason.as_str())
        .collect();
    assert_eq!(reasons.len(), 1, "{reasons:?}");
    assert!(reasons[0].ends_with("; it is rebuilt"), "{reasons:?}");
    assert!(
        catalog
            .disk
            .as_ref()
            .is_some_and(|d| d.missing().is_empty())
    );
    checked(&catalog, "secu");
    // Rebuilt: the next start says nothing.
    let again = load::load_indexed(&roots, &options);
    assert!(
        again.corpus.warnings.is_empty(),
        "{:?}",
        again.corpus.warnings
    );
}

#[test]
fn relevance_puts_the_title_and_repeated_words_first() {
    let dir = tempfile::tempdir().expect("a folder");
    let articles = dir.path().join("articles");
    let texts = [
        "date 2026-03-07 L’armée recrute. Un accord a été conclu.",
        "date 2026-03-08 Accord conclu avec l’armée. Le texte de l’accord tient, l’accord.",
        "date 2026-03-01 Le climat change. Les accords de Paris.",
    ];
    write_all(&articles, &texts.map(str::to_owned));
    let catalog = load::load_indexed(&[articles], &cached(dir.path()));
    let query = Query::parse("accord", today()).expect("a query");
    let mut found = checked(&catalog, "accord");
    query.rank(&catalog, &mut found);
    assert_eq!(paths(&catalog, &found)[0], "0001.txt");
}

/// `kiosque list -q WORD ROOT` with its cache in `cache`, started.
fn list(cache: &Path, root: &Path, word: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kiosque"));
    cmd.env("XDG_CONFIG_HOME", "/nonexistent/kiosque-tests")
        .env("XDG_CACHE_HOME", cache)
        .args(["list", "-q", word])
        .arg(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// What `kiosque list -q WORD` prints when it reads every file, with no cache at all.
fn plain_list(root: &Path, word: &str) -> String {
    printed(
        Command::new(env!("CARGO_BIN_EXE_kiosque"))
            .env("XDG_CONFIG_HOME", "/nonexistent/kiosque-tests")
            .args(["list", "--no-cache", "-q", word])
            .arg(root),
    )
}

/// What `command` prints, once it ran and succeeded.
fn printed(command: &mut Command) -> String {
    let out = command.output().expect("kiosque runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Dates every file and folder under `root` an hour back, as folders left alone are: only
/// then does `kiosque list -q` trust the stamps of the folders (a folder changed within the
/// last seconds may change again unseen).
fn settle(root: &Path) {
    let then = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for entry in walkdir::WalkDir::new(root) {
        let entry = entry.expect("a file or folder");
        let file = std::fs::File::open(entry.path()).expect("opened");
        file.set_modified(then).expect("dated");
    }
}

#[test]
fn list_answers_from_the_caches_yet_sees_every_change() {
    let dir = tempfile::tempdir().expect("a folder");
    let articles = dir.path().join("articles");
    let cache = dir.path().join("cache");
    let texts = [
        "date 2026-03-06 Un zeppelin au-dessus de Paris.",
        "date 2026-03-05 La pluie.",
        "date 2025-01-21 Le beau temps.",
    ];
    write_all(&articles.join("2026"), &texts.map(str::to_owned));
    let listed = |word: &str| {
        let listed = printed(&mut list(&cache, &articles, word));
        assert_eq!(
            listed,
            plain_list(&articles, word),
            "kiosque list -q {word}"
        );
        listed
    };
    let changes: [(&str, &dyn Fn()); 4] = [
        ("nothing", &|| {}),
        ("the article found, rewritten in place", &|| {
            std::fs::write(articles.join("2026/0000.txt"), "date 2026-03-06 Rien.").unwrap();
        }),
        ("another rewritten in place", &|| {
            std::fs::write(articles.join("2026/0001.txt"), "Un zeppelin, enfin.").unwrap();
        }),
        ("a new article", &|| {
            std::fs::write(articles.join("2026/new.txt"), "Deux zeppelins.").unwrap();
        }),
    ];
    for (change, make) in changes {
        settle(&articles);
        // The first run checks every file and vouches for the folders; the next ones trust
        // them while nothing changes.
        listed("zeppelin");
        listed("zeppelin");
        make();
        let after = listed("zeppelin");
        eprintln!("after {change}: {after:?}");
    }
    assert_eq!(
        listed("zeppel").lines().count(),
        2,
        "the new article and 0001.txt"
    );
    std::fs::remove_file(articles.join("2026/new.txt")).expect("removed");
    assert_eq!(listed("zeppel").lines().count(), 1, "0001.txt");
}

fn big_corpus(dir: &Path) -> PathBuf {
    let articles = dir.join("articles");
    let texts = generated(400);
    for copy in 0..10 {
        write_all(&articles.join(format!("{copy}")), &texts);
    }
    articles
}

#[test]
fn two_kiosques_index_the_same_folders_side_by_side() {
    let dir = tempfile::tempdir().expect("a folder");
    let articles = big_corpus(dir.path());
    let cache = dir.path().join("cache");
    let expected = plain_list(&articles, "secu");
    assert_eq!(
        expected.lines().count(),
        10 * plain_list(&articles.join("0"), "secu").lines().count()
    );
    let both: Vec<_> = (0..2)
        .map(|_| {
            list(&cache, &articles, "secu")
                .spawn()
                .expect("kiosque starts")
        })
        .collect();
    for child in both {
        let out = child.wait_with_output().expect("kiosque ends");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(String::from_utf8_lossy(&out.stdout), expected);
        assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    }
    let out = list(&cache, &articles, "secu")
        .output()
        .expect("kiosque runs");
    assert_eq!(String::from_utf8_lossy(&out.stdout), expected);
}

#[test]
fn a_kiosque_killed_while_indexing_starts_cleanly_next_time() {
    let dir = tempfile::tempdir().expect("a folder");
    let articles = big_corpus(dir.path());
    let cache = dir.path().join("cache");
    let expected = plain_list(&articles, "armee");
    let mut child = list(&cache, &articles, "armee")
        .spawn()
        .expect("kiosque starts");
    // Killed (SIGKILL) once the index folder exists, while it indexes: the next run must
    // list exactly what a plain scan lists.
    let kiosque = cache.join("kiosque");
    while !kiosque.exists()
        || !std::fs::read_dir(&kiosque)
            .expect("the cache folder")
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with("index-"))
    {
        if child.try_wait().expect("a status").is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    let _ = child.kill();
    let status = child.wait().expect("a status");
    // Killed, not finished: the index was left mid-way.
    assert_eq!(
        std::os::unix::process::ExitStatusExt::signal(&status),
        Some(9)
    );
    let out = list(&cache, &articles, "armee")
        .output()
        .expect("kiosque runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), expected);
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}
