//! The one generator of article corpora for kiosque's benchmarks, shared by
//! `examples/gen_corpus.rs` (which writes the articles to a folder) and `benches/related.rs`
//! (which keeps them in memory), each including this file as a module.
//!
//! Articles average about 3 KB with a long tail up to 40 KB; about 5% are dated by month
//! and 4% undated; some have bullets and captions; the vocabulary is French-like, accented,
//! Zipf-distributed, and keeps growing as real news does (Heaps' law): besides the common
//! words, a long tail of names, numbers and rare words drawn by Zipf's law from a vocabulary
//! of `K · t^β` words after `t` of them were written, several hundred thousand distinct words
//! at 100,000 articles, most of them rare, so that one- and two-letter prefixes are the hard
//! case they are in real news. Marker words appear at known rates so benchmarks can check counts:
//! `kiosqueun` in 1% of articles, `kiosquedix` in 10%, `kiosquemoitie` in 50%
//! (every article whose number is a multiple of 100, 10 and 2 respectively).
//!
//! With topics, each article also belongs to one of `articles / 40` topics, each with a
//! vocabulary of 60 invented words, and one word in eight comes from it: articles then have
//! real neighbours, as related articles need.

// Each includer uses part of it.
#![allow(dead_code)]

use std::path::PathBuf;

/// xorshift64*: small, fast and the same everywhere, which is all a generator needs.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

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

/// Articles in a topic, on average, and words in a topic's vocabulary.
const ARTICLES_PER_TOPIC: usize = 40;
const TOPIC_WORDS: usize = 60;

const SYLLABLES: &[&str] = &[
    "ba", "be", "bi", "bo", "ca", "ce", "ci", "co", "cha", "che", "da", "dé", "di", "do", "fa",
    "fé", "fi", "ga", "ge", "gi", "gra", "grè", "ja", "la", "le", "li", "lo", "lu", "ma", "mé",
    "mi", "mo", "na", "ne", "ni", "no", "pa", "pé", "pi", "po", "pra", "pré", "pro", "qua", "que",
    "ra", "re", "ri", "ro", "sa", "se", "si", "so", "ta", "té", "ti", "to", "tra", "trê", "va",
    "ve", "vi", "vo", "ment", "tion", "eur", "ier", "ette", "ance", "ique", "isme", "oir", "age",
    "ard", "ois", "ain", "eau", "on", "en", "an", "in", "ou", "aî", "ei", "au", "ço", "œu",
];

fn invented_word(rng: &mut Rng) -> String {
    let syllables = 3 + rng.below(3);
    (0..syllables)
        .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
        .collect()
}

/// Makes the articles of one corpus, in order: the same seed gives the same articles.
pub struct Generator {
    rng: Rng,
    /// The topics' vocabularies, when the corpus has topics.
    topics: Vec<Vec<String>>,
    /// Words of the long tail written so far: its vocabulary grows with them.
    tail: u64,
}

impl Generator {
    /// A generator of `articles` articles from `seed`, with topics or not.
    pub fn new(seed: u64, articles: usize, topics: bool) -> Generator {
        let topics = if topics {
            // From a generator of their own, so that the articles' draws stay the same.
            let mut rng = Rng::new(seed ^ 0x0070_91C5);
            (0..articles.div_ceil(ARTICLES_PER_TOPIC).max(1))
                .map(|_| (0..TOPIC_WORDS).map(|_| invented_word(&mut rng)).collect())
                .collect()
        } else {
            Vec::new()
        };
        Generator {
            rng: Rng::new(seed),
            topics,
            tail: 0,
        }
    }

    /// The text of article number `n`.
    pub fn article(&mut self, n: usize) -> String {
        let topic = if self.topics.is_empty() {
            None
        } else {
            // From the article's number, without a draw: about as many articles in each.
            Some(n * 7_919 % self.topics.len())
        };
        let mut vocab = Vocab {
            topic: topic.map(|t| self.topics[t].as_slice()),
            tail: &mut self.tail,
        };
        article(&mut self.rng, &mut vocab, n)
    }
}

/// Where article `n` goes in a corpus folder: a hundred articles a folder, as people file
/// them by source or month.
pub fn path(n: usize) -> PathBuf {
    PathBuf::from(format!("{:04}", n / 100)).join(format!("{n:06}.txt"))
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

/// What words are drawn from: the article's topic, if any, and the long tail so far.
struct Vocab<'a> {
    topic: Option<&'a [String]>,
    /// Tail words written so far in the corpus.
    tail: &'a mut u64,
}

/// The long tail's growth: after `t` tail words, the tail vocabulary holds `K · t^β` words
/// (Heaps' law; β about 0.5–0.6 for news). Tuned so that 100,000 articles hold about
/// 400,000 distinct words.
const HEAPS_K: f64 = 70.0;
const HEAPS_BETA: f64 = 0.55;

/// Syllables the rare words are made of: French-like, some accented, so that one- and
/// two-letter prefixes spread over the alphabet as in real text.
const TAIL_SYLLABLES: &[&str] = &[
    "ba", "be", "bi", "bo", "bou", "ca", "ce", "ci", "co", "cha", "che", "da", "de", "di", "do",
    "dé", "fa", "fe", "fi", "fo", "ga", "gi", "go", "gue", "la", "le", "li", "lo", "lu", "ma",
    "me", "mi", "mo", "mu", "na", "ne", "ni", "no", "pa", "pe", "pi", "po", "pré", "ra", "re",
    "ri", "ro", "ru", "sa", "se", "si", "so", "ta", "te", "ti", "to", "tou", "va", "ve", "vi",
    "vo", "za", "zé", "an", "en", "in", "on", "ou", "é", "è", "tr", "str", "gn", "x", "k", "ph",
    "w", "y", "qu", "ar", "or", "ur", "il", "al",
];

/// A word: fillers most of the time, then common stems with a Zipf-like skew, then the
/// long tail; with topics, one word in eight of the article's topic.
fn word(rng: &mut Rng, vocab: &mut Vocab<'_>) -> String {
    if let Some(words) = vocab.topic {
        if rng.chance(12) {
            // Squared, as for the stems: a topic's first words are its most frequent.
            let r = rng.below(1000) as f64 / 1000.0;
            return words[((r * r) * words.len() as f64) as usize % words.len()].clone();
        }
    }
    let kind = rng.below(100);
    if kind < 45 {
        return FILLERS[rng.below(FILLERS.len())].to_owned();
    }
    if kind < 80 {
        // Squaring a uniform draw skews towards the first stems.
        let r = rng.below(1000) as f64 / 1000.0;
        let stem = STEMS[((r * r) * STEMS.len() as f64) as usize % STEMS.len()];
        return if rng.chance(20) {
            format!("{stem}{}", SUFFIXES[rng.below(SUFFIXES.len())])
        } else {
            stem.to_owned()
        };
    }
    *vocab.tail += 1;
    let size = (HEAPS_K * (*vocab.tail as f64).powf(HEAPS_BETA)).max(2.0);
    // Zipf with exponent 1: the rank is log-uniform over the vocabulary so far.
    let u = rng.next() as f64 / u64::MAX as f64;
    let rank = (size.powf(u) as u64).saturating_sub(1);
    rare(rank)
}

/// The word of rank `rank` in the long tail: distinct ranks give distinct words. One in
/// five is a name, one in seven a number.
fn rare(rank: u64) -> String {
    // A bijective scramble, so that neighbouring ranks do not share their first letters.
    let mut n = rank.wrapping_mul(0x9E37_79B9) & 0xFFFF_FFFF;
    if rank % 7 == 3 {
        return format!("{}", n % 1_000_000);
    }
    let mut word = String::new();
    // Bijective base-S numeral: every number has exactly one spelling.
    loop {
        word.push_str(TAIL_SYLLABLES[(n % TAIL_SYLLABLES.len() as u64) as usize]);
        n /= TAIL_SYLLABLES.len() as u64;
        if n == 0 {
            break;
        }
        n -= 1;
    }
    if word.chars().count() < 4 {
        word.push_str("ac");
    }
    if rank % 5 == 0 {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            return first.to_uppercase().chain(chars).collect();
        }
    }
    word
}

/// A sentence of `min` to `min + spread - 1` words.
fn sentence(rng: &mut Rng, vocab: &mut Vocab<'_>, min: usize, spread: usize) -> String {
    let words = min + rng.below(spread.max(1));
    let mut s = String::new();
    for i in 0..words {
        let w = word(rng, vocab);
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

fn article(rng: &mut Rng, vocab: &mut Vocab<'_>, n: usize) -> String {
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
        let caption = format!("{} © Agence {}", sentence(rng, vocab, 8, 1), n % 97);
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
    text.push_str(&sentence(rng, vocab, 8, 10));
    text.push('\n');
    let target = body_size(rng);
    let double = rng.chance(50);
    while text.len() < target {
        if rng.chance(5) {
            for _ in 0..3 + rng.below(3) {
                text.push_str("• ");
                text.push_str(&sentence(rng, vocab, 5, 8));
                text.push('\n');
            }
        } else {
            let sentences = 2 + rng.below(5);
            let paragraph: Vec<String> = (0..sentences)
                .map(|_| sentence(rng, vocab, 8, 16))
                .collect();
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
