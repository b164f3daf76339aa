//! The index kept on disk against the in-memory index it replaces, in one run on one
//! corpus: building it, a next start, 100 new files, each query form typed key by key, and
//! its size; beside them the floor (every file read in parallel).
//!
//! `cargo bench --bench index -- DIR [CACHE]` (make corpora with
//! `cargo run --release --example gen_corpus -- DIR N`). CACHE (default `DIR.cache`) is
//! where the list cache and the index go; it is emptied first.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use kiosque::search::catalog::{self, Catalog};
use kiosque::search::disk::dir_for;
use kiosque::search::query::Query;
use kiosque::store::load::LoadOptions;
use kiosque::store::marks::Marks;
use kiosque::store::walk::find;
use rayon::prelude::*;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed())
}

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    let i = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[i]
}

fn size_of(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

/// The query forms, each typed key by key: every prefix of the text is one query.
const FORMS: [(&str, &str); 10] = [
    ("one-letter prefix", "s"),
    ("two-letter prefix", "se"),
    ("a word typed key by key", "securite"),
    ("rare marker word", "kiosqueun"),
    ("phrase of common words", "\"de la\""),
    ("word then prefix (l'ar)", "l'ar"),
    ("title:", "title:climat"),
    ("negation", "-kiosquedix"),
    ("OR", "climat OR budget"),
    ("two words and a date", "securite climat 2020.."),
];

/// Results-complete time of each key of `text` typed one at a time, `rounds` times, with
/// relevance order too when `rank`; and the number of results of the whole text.
fn typed(catalog: &Catalog, text: &str, rounds: usize, rank: bool) -> (Vec<Duration>, usize) {
    let today = NaiveDate::from_ymd_opt(2026, 3, 8).unwrap_or_default();
    let marks = Marks::default();
    let mut keys = Vec::new();
    let mut found = 0;
    for _ in 0..rounds {
        for end in text.char_indices().map(|(i, c)| i + c.len_utf8()) {
            let start = Instant::now();
            // An unfinished phrase is an error the filter shows: nothing to search.
            if let Ok(query) = Query::parse(&text[..end], today) {
                let mut results = query.filter(catalog, &marks);
                if rank {
                    query.rank(catalog, &mut results);
                }
                found = results.len();
            }
            keys.push(start.elapsed());
        }
    }
    (keys, found)
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let Some(dir) = args.first().map(PathBuf::from) else {
        eprintln!("usage: cargo bench --bench index -- DIR [CACHE]");
        return;
    };
    let cache = args
        .get(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(format!("{}.cache", dir.display())));
    let _ = std::fs::remove_dir_all(&cache);
    let roots = vec![dir.clone()];
    let options = LoadOptions {
        cache: Some(cache.join("list.bin")),
        ..LoadOptions::default()
    };
    let index_dir = dir_for(&cache.join("list.bin"));
    let files = find(&roots).files;
    let bytes: u64 = files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    println!(
        "# {} — {} articles, {:.0} MB",
        dir.display(),
        files.len(),
        bytes as f64 / 1e6
    );
    let (_, floor) = timed(|| {
        files
            .par_iter()
            .map(|f| std::fs::read(f).map_or(0, |b| b.len()))
            .sum::<usize>()
    });
    println!("read floor (every file, in parallel): {:.0} ms", ms(floor));

    // Before: the list cache, then every word indexed in memory.
    let (_, first_list) = timed(|| catalog::load_list(&roots, &options));
    let (memory, before_start) = timed(|| catalog::load(&roots, &options));
    println!("before: list cache written in {:.0} ms", ms(first_list));
    println!(
        "before: next start, words searchable (list cache + in-memory index): {:.0} ms",
        ms(before_start)
    );

    // After: the index on disk, built from nothing, then opened with nothing changed.
    let (_, build) = timed(|| catalog::load_indexed(&roots, &options));
    println!(
        "after: index built (list cached): {:.0} ms, {:.1} MB on disk ({:.2}× corpus)",
        ms(build),
        size_of(&index_dir) as f64 / 1e6,
        size_of(&index_dir) as f64 / bytes as f64
    );
    let mut starts = Vec::new();
    let mut disk = None;
    for _ in 0..5 {
        let (c, t) = timed(|| catalog::load_indexed(&roots, &options));
        starts.push(t);
        disk = Some(c);
    }
    let Some(disk) = disk else { return };
    println!(
        "after: next start, words searchable (list cache + index checked): median {:.0} ms",
        ms(percentile(&mut starts, 0.5))
    );
    assert!(
        disk.corpus.warnings.is_empty(),
        "{:?}",
        disk.corpus.warnings
    );

    // 100 new files while closed.
    let new = dir.join("zz-new");
    let _ = std::fs::create_dir_all(&new);
    for i in 0..100 {
        let _ = std::fs::write(
            new.join(format!("{i:03}.txt")),
            format!(
                "date 2026-03-0{} Un article nouveau {i}.\nLe zeppelin survole la ville.",
                1 + i % 9
            ),
        );
    }
    let (added, t) = timed(|| catalog::load_indexed(&roots, &options));
    let zeppelin = Query::parse("zeppelin", NaiveDate::default())
        .map(|q| q.filter(&added, &Marks::default()).len());
    println!(
        "after: 100 new files, listed and searchable: {:.0} ms (zeppelin: {zeppelin:?})",
        ms(t)
    );
    let _ = std::fs::remove_dir_all(&new);
    let (_, t) = timed(|| catalog::load_indexed(&roots, &options));
    println!("after: the 100 files removed again: {:.0} ms", ms(t));

    println!();
    println!("| query form (typed key by key) | before p95 | after p95 | results |");
    println!("|---|---|---|---|");
    for (name, text) in FORMS {
        let (mut b, nb) = typed(&memory, text, 5, false);
        let (mut a, na) = typed(&disk, text, 5, false);
        assert_eq!(nb, na, "{text}");
        println!(
            "| {name} `{text}` | {:.2} ms | {:.2} ms | {na} |",
            ms(percentile(&mut b, 0.95)),
            ms(percentile(&mut a, 0.95))
        );
    }
    for text in ["securite", "s", "\"de la\""] {
        let (mut b, nb) = typed(&memory, text, 5, true);
        let (mut a, na) = typed(&disk, text, 5, true);
        assert_eq!(nb, na, "{text}");
        println!(
            "| relevance order, `{text}` | {:.2} ms | {:.2} ms | {na} |",
            ms(percentile(&mut b, 0.95)),
            ms(percentile(&mut a, 0.95))
        );
    }
}
