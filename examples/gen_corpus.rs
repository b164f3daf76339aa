//! Writes a deterministic corpus of N articles in kiosque's format, for benchmarks:
//! `cargo run --release --example gen_corpus -- DIR N [--seed S]`.
//!
//! Articles average about 3 KB with a long tail up to 40 KB; about 5% are dated by month
//! and 4% undated; some have bullets and captions; the vocabulary is French-like, accented,
//! Zipf-distributed. Marker words appear at known rates so benchmarks can check counts:
//! `kiosqueun` in 1% of articles, `kiosquedix` in 10%, `kiosquemoitie` in 50%
//! (every article whose number is a multiple of 100, 10 and 2 respectively).

use std::fs;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// xorshift64*: small, fast and the same everywhere, which is all a generator needs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const STEMS: &[&str] = &[
    "sécurité",
    "été",
    "élève",
    "forêt",
    "hôpital",
    "noël",
    "naïf",
    "cœur",
    "œuvre",
    "sœur",
    "canicule",
    "grève",
    "réforme",
    "député",
    "ministère",
    "écologie",
    "énergie",
    "vélo",
    "métro",
    "musée",
    "théâtre",
    "cinéma",
    "économie",
    "santé",
    "présidentielle",
    "élection",
    "sénat",
    "région",
    "département",
    "collège",
    "lycée",
    "université",
    "recherche",
    "espace",
    "fusée",
    "satellite",
    "climat",
    "sécheresse",
    "inondation",
    "récolte",
    "vendanges",
    "boulangerie",
    "fromage",
    "marché",
    "entreprise",
    "salarié",
    "chômage",
    "inflation",
    "budget",
    "impôt",
    "retraite",
    "syndicat",
    "manifestation",
    "police",
    "justice",
    "tribunal",
    "procès",
    "prison",
    "football",
    "rugby",
    "cyclisme",
    "tennis",
    "olympique",
    "médaille",
    "championnat",
    "équipe",
    "entraîneur",
    "stade",
    "supporter",
    "numérique",
    "réseau",
    "cyberattaque",
    "données",
    "logiciel",
    "intelligence",
    "artificielle",
    "robot",
    "téléphone",
    "internet",
    "piéton",
    "autoroute",
    "aéroport",
    "gare",
    "train",
    "tramway",
    "bus",
    "voiture",
    "électrique",
    "batterie",
    "nucléaire",
    "éolienne",
    "solaire",
    "forêts",
    "océan",
    "glacier",
    "montagne",
    "village",
    "commune",
    "maire",
    "conseil",
    "préfet",
    "agriculteur",
    "élevage",
    "pêche",
];

const FILLERS: &[&str] = &[
    "le", "la", "les", "de", "des", "du", "un", "une", "et", "à", "en", "dans", "pour", "sur",
    "par", "avec", "qui", "que", "est", "a", "sont", "ont", "plus", "pas", "ne", "au", "aux", "ce",
    "cette", "ces", "son", "sa", "ses", "leur", "leurs", "selon", "après", "avant", "depuis",
    "très", "déjà", "aussi", "encore", "où", "dont", "mais", "ou", "donc", "car",
];

const SUFFIXES: &[&str] = &[
    "", "s", "e", "es", "al", "aux", "ique", "isme", "iste", "ité",
];

/// A word: fillers most of the time, then stems with a Zipf-like skew.
fn word(rng: &mut Rng) -> String {
    if rng.chance(45) {
        return FILLERS[rng.below(FILLERS.len())].to_owned();
    }
    // Squaring a uniform draw skews towards the first stems.
    let r = rng.below(1000) as f64 / 1000.0;
    let stem = STEMS[((r * r) * STEMS.len() as f64) as usize % STEMS.len()];
    if rng.chance(20) {
        format!("{stem}{}", SUFFIXES[rng.below(SUFFIXES.len())])
    } else {
        stem.to_owned()
    }
}

/// A sentence of `min` to `min + spread - 1` words.
fn sentence(rng: &mut Rng, min: usize, spread: usize) -> String {
    let words = min + rng.below(spread.max(1));
    let mut s = String::new();
    for i in 0..words {
        let w = word(rng);
        if i == 0 {
            let mut chars = w.chars();
            if let Some(first) = chars.next() {
                s.extend(first.to_uppercase());
                s.push_str(chars.as_str());
            }
        } else {
            s.push(' ');
            s.push_str(&w);
        }
        if i > 3 && i + 2 < words && rng.chance(6) {
            s.push(',');
        }
    }
    s.push('.');
    s
}

/// Target body size: mostly 1–3.6 KB, a tail up to 40 KB; mean about 3 KB.
fn body_size(rng: &mut Rng) -> usize {
    if rng.chance(3) {
        8_000 + rng.below(32_000)
    } else {
        1_000 + rng.below(2_600)
    }
}

fn article(rng: &mut Rng, n: usize) -> String {
    let mut text = String::new();
    let year = 2012 + rng.below(15);
    let month = 1 + rng.below(12);
    let day = 1 + rng.below(28);
    let kind = rng.below(100);
    if kind < 4 {
        // undated
    } else if kind < 9 {
        text.push_str(&format!("date {year:04}-{month:02} "));
    } else {
        text.push_str(&format!("date {year:04}-{month:02}-{day:02} "));
    }
    if rng.chance(8) {
        let caption = format!("{} © Agence {}", sentence(rng, 8, 1), n % 97);
        text.push_str(&caption);
        text.push('\n');
        if rng.chance(50) {
            text.push_str(&caption);
            text.push('\n');
        }
    }
    let mut markers = Vec::new();
    if n % 100 == 0 {
        markers.push("kiosqueun");
    }
    if n % 10 == 0 {
        markers.push("kiosquedix");
    }
    if n % 2 == 0 {
        markers.push("kiosquemoitie");
    }
    text.push_str(&sentence(rng, 8, 10));
    text.push('\n');
    let target = body_size(rng);
    let double = rng.chance(50);
    while text.len() < target {
        if rng.chance(5) {
            for _ in 0..3 + rng.below(3) {
                text.push_str("• ");
                text.push_str(&sentence(rng, 5, 8));
                text.push('\n');
            }
        } else {
            let sentences = 2 + rng.below(5);
            let paragraph: Vec<String> = (0..sentences).map(|_| sentence(rng, 8, 16)).collect();
            text.push_str(&paragraph.join(" "));
            text.push('\n');
        }
        if double {
            text.push('\n');
        }
    }
    if !markers.is_empty() {
        text.push_str(&format!("Mots repères : {}.\n", markers.join(" ")));
    }
    text
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: gen_corpus DIR N [--seed S]";
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
    let dir = PathBuf::from(dir);
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut bytes = 0usize;
    for i in 0..n {
        // A hundred articles a folder, as people file them by source or month.
        let folder = dir.join(format!("{:04}", i / 100));
        if i % 100 == 0 {
            if let Err(err) = fs::create_dir_all(&folder) {
                eprintln!("gen_corpus: {}: {err}", folder.display());
                return ExitCode::FAILURE;
            }
        }
        let text = article(&mut rng, i);
        bytes += text.len();
        let path = folder.join(format!("{i:06}.txt"));
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
