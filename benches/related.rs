//! Benchmarks `RelatedIndex::related` on synthetic French-like corpora of 1k, 10k and 100k articles.
//!
//! `cargo bench --bench related`. Bodies are about 3 KB: stop words at the rate of real French
//! prose, words drawn from a Zipf distribution over a few thousand invented words (accents and
//! capitals included), a topic vocabulary shared by a few dozen articles so that articles have
//! real neighbours, numbers, and rare names. The articles are loaded through
//! `Catalog::from_memory`, so their words are folded and indexed as kiosque does. The build is
//! timed once per size and printed (wall and CPU time: the machine may be busy); criterion
//! measures `related(i, 5)` over many `i`.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Instant;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use kiosque::search::catalog::Catalog;
use kiosque::search::related::RelatedIndex;

const SIZES: [usize; 3] = [1_000, 10_000, 100_000];
const VOCABULARY: usize = 6_000;
const ARTICLES_PER_TOPIC: usize = 40;
const TOPIC_WORDS: usize = 60;

/// xorshift64*: deterministic, and random enough for text.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Samples ranks `0..n` with probability proportional to `1 / (rank + 2.7)`.
struct Zipf(Vec<f64>);

impl Zipf {
    fn new(n: usize) -> Self {
        let mut total = 0.0;
        Zipf(
            (0..n)
                .map(|rank| {
                    total += 1.0 / (rank as f64 + 2.7);
                    total
                })
                .collect(),
        )
    }

    fn sample(&self, rng: &mut Rng) -> usize {
        let total = self.0.last().copied().unwrap_or(0.0);
        let target = rng.unit() * total;
        self.0
            .partition_point(|&c| c < target)
            .min(self.0.len() - 1)
    }
}

const SYLLABLES: &[&str] = &[
    "ba", "be", "bi", "bo", "ca", "ce", "ci", "co", "cha", "che", "da", "dé", "di", "do", "fa",
    "fé", "fi", "ga", "ge", "gi", "gra", "grè", "ja", "la", "le", "li", "lo", "lu", "ma", "mé",
    "mi", "mo", "na", "ne", "ni", "no", "pa", "pé", "pi", "po", "pra", "pré", "pro", "qua", "que",
    "ra", "re", "ri", "ro", "sa", "se", "si", "so", "ta", "té", "ti", "to", "tra", "trê", "va",
    "ve", "vi", "vo", "ment", "tion", "eur", "ier", "ette", "ance", "ique", "isme", "oir", "age",
    "ard", "ois", "ain", "eau", "on", "en", "an", "in", "ou", "aî", "ei", "au", "ço", "œu",
];

const STOP: &[&str] = &[
    "de", "la", "le", "et", "les", "des", "en", "un", "du", "une", "que", "est", "pour", "qui",
    "dans", "par", "plus", "pas", "au", "sur", "ne", "se", "ce", "il", "sont", "avec", "ou", "son",
    "aux", "mais", "comme", "elle", "ont", "ses", "cette", "leur", "aussi", "déjà", "entre",
    "selon", "après", "nous", "tout", "être", "fait", "depuis", "ils", "sa", "a", "à",
];

fn invented_word(rng: &mut Rng) -> String {
    let syllables = 2 + rng.below(3);
    (0..syllables)
        .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
        .collect()
}

/// `n` article files, deterministic for a given `n`.
fn files(n: usize) -> Vec<(PathBuf, Vec<u8>)> {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ n as u64);
    let vocabulary: Vec<String> = (0..VOCABULARY).map(|_| invented_word(&mut rng)).collect();
    let zipf = Zipf::new(VOCABULARY);
    let stop_zipf = Zipf::new(STOP.len());
    let topics: Vec<Vec<usize>> = (0..n.div_ceil(ARTICLES_PER_TOPIC))
        .map(|_| {
            // Topic words come from the middle and the tail, where words tell topics apart.
            (0..TOPIC_WORDS)
                .map(|_| 200 + rng.below(VOCABULARY - 200))
                .collect()
        })
        .collect();
    let topic_zipf = Zipf::new(TOPIC_WORDS);
    (0..n)
        .map(|i| {
            let topic = &topics[rng.below(topics.len())];
            let size = 2_000 + rng.below(2_000);
            let mut text = format!(
                "date 20{:02}-{:02}-{:02} ",
                10 + rng.below(16),
                1 + rng.below(12),
                1 + rng.below(28)
            );
            let mut in_sentence = 0;
            while text.len() < size {
                let roll = rng.unit();
                let word = if roll < 0.45 {
                    STOP[stop_zipf.sample(&mut rng)].to_owned()
                } else if roll < 0.47 {
                    let elided = ["l’", "d’", "qu’", "l'"][rng.below(4)];
                    format!("{elided}{}", vocabulary[zipf.sample(&mut rng)])
                } else if roll < 0.48 {
                    rng.below(3000).to_string()
                } else if roll < 0.49 {
                    // Names, typos: mostly words no other article has.
                    let mut name = invented_word(&mut rng);
                    name.push_str(&invented_word(&mut rng));
                    name
                } else if roll < 0.64 {
                    vocabulary[topic[topic_zipf.sample(&mut rng)]].clone()
                } else {
                    vocabulary[zipf.sample(&mut rng)].clone()
                };
                if in_sentence == 0 {
                    let mut chars = word.chars();
                    if let Some(first) = chars.next() {
                        text.extend(first.to_uppercase());
                        text.push_str(chars.as_str());
                    }
                } else {
                    text.push_str(&word);
                }
                in_sentence += 1;
                if in_sentence > 8 + rng.below(20) {
                    text.push_str(if rng.below(6) == 0 { ".\n" } else { ". " });
                    in_sentence = 0;
                } else {
                    text.push_str(if rng.below(12) == 0 { ", " } else { " " });
                }
            }
            (PathBuf::from(format!("{i:06}.txt")), text.into_bytes())
        })
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
