//! Benchmarks `RelatedIndex::related` on synthetic French-like corpora of 1k, 10k and 100k articles.
//!
//! Bodies are about 3 KB of folded text: stop words at the rate of real French prose, words
//! drawn from a Zipf distribution over a few thousand invented words, a topic vocabulary shared
//! by a few dozen articles (so that articles have real neighbours), and rare names. The build is
//! timed once per size and printed; criterion measures `related(i, 5)` over many `i`.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Instant;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use kiosque::article::Article;
use kiosque::related::RelatedIndex;

const SIZES: [usize; 3] = [1_000, 10_000, 100_000];
const VOCABULARY: usize = 6_000;
const ARTICLES_PER_TOPIC: usize = 40;
const TOPIC_WORDS: usize = 60;

/// xorshift64*: deterministic, and enough randomness for text.
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
    "ba", "be", "bi", "bo", "ca", "ce", "ci", "co", "cha", "che", "da", "de", "di", "do", "fa",
    "fe", "fi", "ga", "ge", "gi", "gra", "gre", "ja", "la", "le", "li", "lo", "lu", "ma", "me",
    "mi", "mo", "na", "ne", "ni", "no", "pa", "pe", "pi", "po", "pra", "pre", "pro", "qua",
    "que", "ra", "re", "ri", "ro", "sa", "se", "si", "so", "ta", "te", "ti", "to", "tra", "tre",
    "va", "ve", "vi", "vo", "ment", "tion", "eur", "ier", "ette", "ance", "ique", "isme", "oir",
    "age", "ard", "ois", "ain", "eau", "on", "en", "an", "in", "ou", "ai", "ei", "au",
];

const STOP: &[&str] = &[
    "de", "la", "le", "et", "les", "des", "en", "un", "du", "une", "que", "est", "pour", "qui",
    "dans", "par", "plus", "pas", "au", "sur", "ne", "se", "ce", "il", "sont", "avec", "ou",
    "son", "aux", "mais", "comme", "elle", "ont", "ses", "cette", "leur", "aussi", "deja",
    "entre", "selon", "apres", "nous", "tout", "etre", "fait", "depuis", "ils", "sa",
];

fn invented_word(rng: &mut Rng) -> String {
    let syllables = 2 + rng.below(3);
    (0..syllables)
        .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
        .collect()
}

fn corpus(n: usize) -> Vec<Article> {
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
            let mut text = String::with_capacity(size + 64);
            let mut in_sentence = 0;
            while text.len() < size {
                let roll = rng.unit();
                if roll < 0.45 {
                    text.push_str(STOP[stop_zipf.sample(&mut rng)]);
                } else if roll < 0.47 {
                    text.push_str(["l'", "d'", "qu'"][rng.below(3)]);
                    text.push_str(&vocabulary[zipf.sample(&mut rng)]);
                } else if roll < 0.48 {
                    text.push_str(&(rng.below(3000)).to_string());
                } else if roll < 0.49 {
                    // Names, typos: mostly words no other article has.
                    text.push_str(&invented_word(&mut rng));
                    text.push_str(&invented_word(&mut rng));
                } else if roll < 0.64 {
                    text.push_str(&vocabulary[topic[topic_zipf.sample(&mut rng)]]);
                } else {
                    text.push_str(&vocabulary[zipf.sample(&mut rng)]);
                }
                in_sentence += 1;
                if in_sentence > 8 + rng.below(20) {
                    text.push_str(if rng.below(6) == 0 { ".\n" } else { ". " });
                    in_sentence = 0;
                } else {
                    text.push(' ');
                }
            }
            Article {
                path: PathBuf::from(format!("{i:06}.txt")),
                shown_path: format!("{i:06}.txt"),
                date: None,
                title: String::new(),
                blocks: Vec::new(),
                words: 0,
                encoding: None,
                search: text,
            }
        })
        .collect()
}

/// Resident memory of this process in bytes (Linux), to show what the index costs.
fn rss() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

fn related(c: &mut Criterion) {
    let mut group = c.benchmark_group("related");
    for n in SIZES {
        let articles = corpus(n);
        let bytes: usize = articles.iter().map(|a| a.search.len()).sum();
        let before = rss();
        let start = Instant::now();
        let index = RelatedIndex::build(&articles);
        let elapsed = start.elapsed();
        let growth = match (before, rss()) {
            (Some(b), Some(a)) => format!("{:.1} MiB", a.saturating_sub(b) as f64 / 1048576.0),
            _ => "unknown".to_owned(),
        };
        eprintln!(
            "build {n} articles ({:.1} MiB of text): {elapsed:.2?}, resident memory +{growth}, {index:?}",
            bytes as f64 / 1048576.0
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
