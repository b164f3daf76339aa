//! Writes a deterministic corpus of N articles in kiosque's format, for benchmarks:
//! `cargo run --release --example gen_corpus -- DIR N [--seed S] [--topics]`.
//!
//! The articles are made by `examples/corpus/mod.rs`, the generator `benches/related.rs`
//! uses too; its documentation says what they are like. `--topics` gives articles shared
//! topic vocabularies (real neighbours for related articles).

mod corpus;

use std::fs;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: gen_corpus DIR N [--seed S] [--topics]";
    let (Some(dir), Some(n)) = (
        args.first(),
        args.get(1).and_then(|n| n.parse::<usize>().ok()),
    ) else {
        eprintln!("{usage}");
        return ExitCode::from(2);
    };
    let seed = match args.iter().position(|a| a == "--seed") {
        Some(i) => match args.get(i + 1).and_then(|s| s.parse::<u64>().ok()) {
            Some(seed) => seed,
            None => {
                eprintln!("{usage}");
                return ExitCode::from(2);
            }
        },
        None => 1,
    };
    let topics = args.iter().any(|a| a == "--topics");
    let dir = PathBuf::from(dir);
    let mut generator = corpus::Generator::new(seed, n, topics);
    let mut bytes = 0usize;
    for i in 0..n {
        let path = dir.join(corpus::path(i));
        if i % 100 == 0 {
            if let Some(folder) = path.parent() {
                if let Err(err) = fs::create_dir_all(folder) {
                    eprintln!("gen_corpus: {}: {err}", folder.display());
                    return ExitCode::FAILURE;
                }
            }
        }
        let text = generator.article(i);
        bytes += text.len();
        let written = fs::File::create(&path).and_then(|mut f| f.write_all(text.as_bytes()));
        if let Err(err) = written {
            eprintln!("gen_corpus: {}: {err}", path.display());
            return ExitCode::FAILURE;
        }
    }
    println!(
        "{n} articles, {:.1} MB, average {:.0} bytes, in {}",
        bytes as f64 / 1e6,
        bytes as f64 / n.max(1) as f64,
        dir.display()
    );
    ExitCode::SUCCESS
}
