//! The fast paths against the plain ones, on generated corpora: the index answers every
//! kind of query exactly as reading each article again would, and a start from the list
//! cache gives the same list as reading every file.

use std::path::PathBuf;

use chrono::NaiveDate;
use kiosque::search::catalog::{self as load, Catalog};
use kiosque::search::query::Query;
use kiosque::store::load::LoadOptions;
use kiosque::store::marks::Marks;
use proptest::prelude::*;
use proptest::strategy::ValueTree;

/// French-like words with accents, ligatures and shared prefixes, so that prefixes, folding
/// and phrases all have something to find.
const WORDS: [&str; 24] = [
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
    "conclus",
    "élève",
    "naïf",
    "Noël",
    "défense",
    "ministre",
    "premier",
    "ministère",
    "forêt",
    "état",
    "États-Unis",
    "1 000",
    "295 %",
];

/// One article of the words above.
fn article() -> impl Strategy<Value = String> {
    crate::common::articles::article_of(&WORDS)
}

/// A query of one to three clauses of every kind the language has.
fn query() -> impl Strategy<Value = String> {
    let word = prop::sample::select(vec![
        "secu", "securite", "coeur", "l'armee", "armee", "accord", "conclu", "eleve", "noel",
        "ministre", "m", "e", "foret", "etats", "1", "295",
    ]);
    let clause = prop_oneof![
        word.clone().prop_map(str::to_owned),
        word.clone().prop_map(|w| format!("-{w}")),
        word.clone().prop_map(|w| format!("title:{w}")),
        Just("\"accord conclu\"".to_owned()),
        Just("\"securite insecurite\"".to_owned()),
        Just("-\"cœur armée\"".to_owned()),
        (word.clone(), word.clone()).prop_map(|(a, b)| format!("{a} OR {b}")),
        Just("2021..2024".to_owned()),
        Just("since:2025-06".to_owned()),
        Just("1y".to_owned()),
        Just("is:unread".to_owned()),
        Just("is:read".to_owned()),
        Just("is:starred".to_owned()),
        Just("-is:starred".to_owned()),
        Just("-is:read".to_owned()),
    ];
    prop::collection::vec(clause, 1..4).prop_map(|c| c.join(" "))
}

fn corpus(texts: &[String]) -> Catalog {
    Catalog::from_memory(
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| (PathBuf::from(format!("{i:04}.txt")), t.as_bytes())),
    )
}

proptest! {
    #![proptest_config(crate::common::proptest_config(48))]

    /// Every query over a generated corpus finds, through the index, exactly the articles
    /// that reading each one again finds; ranking reorders them and drops none.
    #[test]
    fn the_index_agrees_with_a_plain_scan(
        texts in prop::collection::vec(article(), 20..120),
        queries in prop::collection::vec(query(), 1..8),
        flags in prop::collection::vec((any::<bool>(), any::<bool>()), 0..120),
    ) {
        let corpus = corpus(&texts);
        let today = NaiveDate::from_ymd_opt(2026, 3, 8).expect("a day");
        let marks = marked(&corpus, &flags);
        for text in &queries {
            let query = Query::parse(text, today).expect("the generated queries are valid");
            let mut found = query.filter(&corpus, &marks);
            let plain: Vec<usize> = (0..corpus.corpus.articles.len())
                .filter(|&i| query.matches_plain(&corpus, &marks, i))
                .collect();
            prop_assert_eq!(&found, &plain, "query {:?}", text);
            query.rank(&corpus, &mut found);
            found.sort_unstable();
            prop_assert_eq!(found, plain);
        }
    }
}

/// Marks for the first articles of `corpus`: (read, starred) for each, in order.
pub fn marked(corpus: &Catalog, flags: &[(bool, bool)]) -> Marks {
    let mut marks = Marks::default();
    for (article, &(read, starred)) in corpus.corpus.articles.iter().zip(flags) {
        let fingerprint = article
            .fingerprint
            .expect("an article read from memory has one");
        let _ = marks.set_read(fingerprint, read);
        let _ = marks.set_starred(fingerprint, starred);
    }
    marks
}

/// What the list shows of each article: enough to tell two loads apart.
fn listed(corpus: &Catalog) -> Vec<(PathBuf, Option<String>, String, usize)> {
    corpus
        .corpus
        .articles
        .iter()
        .map(|a| {
            (
                a.path.clone(),
                a.date.map(|d| d.iso()),
                a.title.clone(),
                a.words,
            )
        })
        .collect()
}

#[test]
fn a_start_from_the_cache_lists_what_reading_every_file_lists() {
    let dir = tempfile::tempdir().expect("a folder");
    let articles = dir.path().join("articles");
    std::fs::create_dir_all(articles.join("sub")).expect("folders");
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let texts: Vec<String> = (0..300)
        .map(|_| {
            article()
                .new_tree(&mut runner)
                .expect("an article")
                .current()
        })
        .collect();
    for (i, text) in texts.iter().enumerate() {
        let folder = if i % 3 == 0 {
            articles.join("sub")
        } else {
            articles.clone()
        };
        std::fs::write(folder.join(format!("{i:04}.txt")), text).expect("an article file");
    }
    let roots = vec![articles.clone()];
    let plain = LoadOptions {
        cache: None,
        ..LoadOptions::default()
    };
    let cached = LoadOptions {
        cache: Some(dir.path().join("cache.bin")),
        ..LoadOptions::default()
    };
    let reference = listed(&load::load(&roots, &plain));
    // The first cached load writes the cache; the second lists from it.
    assert_eq!(listed(&load::load(&roots, &cached)), reference);
    assert_eq!(listed(&load::load_list(&roots, &cached)), reference);

    // One file changes, one goes, one comes.
    std::thread::sleep(std::time::Duration::from_millis(20));
    let changed = articles.join("0001.txt");
    let old = std::fs::read_to_string(&changed).expect("a file");
    let new: String = old.chars().rev().take(40).collect();
    std::fs::write(&changed, format!("date 2026-03-06 {new}")).expect("changed");
    std::fs::remove_file(articles.join("0002.txt")).expect("removed");
    std::fs::write(
        articles.join("new.txt"),
        "date 2026-01-01 Un nouvel article.",
    )
    .expect("added");
    let reference = listed(&load::load(&roots, &plain));
    assert_eq!(listed(&load::load_list(&roots, &cached)), reference);
    assert_eq!(listed(&load::load(&roots, &cached)), reference);
}
