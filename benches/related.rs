//! Benchmarks `RelatedIndex::related` on synthetic French-like corpora of 1k, 10k and 100k articles.
//!
//! `cargo bench --bench related`. The articles are those of `examples/gen_corpus.rs` with
//! `--topics` (its generator, `examples/corpus/mod.rs`, is included here): about 3 KB of
//! French-like prose, stop words at the rate of real French, a Zipf-skewed vocabulary with
//! accents, and a topic vocabulary shared by about 40 articles so that articles have real
//! neighbours. The articles are loaded through
//! `Catalog::from_memory`, so their words are folded and indexed as kiosque does. The build is
//! timed once per size and printed (wall and CPU time: the machine may be busy); criterion
//! measures `related(i, 5)` over many `i`.

#[path = "../examples/corpus/mod.rs"]
mod corpus;

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Instant;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use kiosque::search::catalog::Catalog;
use kiosque::search::related::RelatedIndex;

const SIZES: [usize; 3] = [1_000, 10_000, 100_000];

/// `n` article files with topics, deterministic for a given `n`: the corpus that
/// `cargo run --release --example gen_corpus -- DIR n --seed n --topics` writes.
fn files(n: usize) -> Vec<(PathBuf, Vec<u8>)> {
    let mut generator = corpus::Generator::new(n as u64, n, true);
    (0..n)
        .map(|i| (corpus::path(i), generator.article(i).into_bytes()))
        .collect()
}

/// CPU time this process has used, in seconds (Linux): the build's cost on a busy machine.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    // `sysconf(_SC_CLK_TCK)` is 100 on Linux.
    Some(ticks / 100.0)
}

fn related(c: &mut Criterion) {
    let mut group = c.benchmark_group("related");
    for n in SIZES {
        let files = files(n);
        let bytes: usize = files.iter().map(|(_, text)| text.len()).sum();
        let corpus = Catalog::from_memory(
            files
                .iter()
                .map(|(path, text)| (path.clone(), text.as_slice())),
        );
        drop(files);
        let cpu_before = cpu_seconds();
        let start = Instant::now();
        let index = RelatedIndex::build(&corpus.corpus.articles, &corpus.index);
        let elapsed = start.elapsed();
        let cpu = match (cpu_before, cpu_seconds()) {
            (Some(before), Some(after)) => format!("{:.2} s", after - before),
            _ => "unknown".to_owned(),
        };
        eprintln!(
            "build {n} articles ({:.1} MiB, {} distinct words): {elapsed:.2?} (CPU {cpu}), \
             index {:.1} MiB, {index:?}",
            bytes as f64 / 1048576.0,
            corpus.index.vocabulary(),
            index.heap_bytes() as f64 / 1048576.0,
        );
        let mut i = 0;
        group.bench_with_input(BenchmarkId::from_parameter(n), &index, |b, index| {
            b.iter(|| {
                // A different article each time: a large prime step visits them all.
                i = (i + 7_919) % n;
                black_box(index.related(black_box(i), 5))
            })
        });
    }
    group.finish();
}

criterion_group!(benches, related);
criterion_main!(benches);
