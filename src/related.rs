//! Related articles: the articles most similar to a given one, by TF-IDF cosine over folded words.
//!
//! Each article becomes a TF-IDF vector over the words of its folded text (`Article::search`),
//! without stop words, numbers and one-letter words. Term frequency is sublinear
//! (`1 + ln tf`, so a word repeated ten times does not outweigh ten different shared words)
//! and `idf = ln(1 + N / df)`, which stays above zero: in a small corpus where every article
//! shares a word, that word still counts a little instead of nothing.
//!
//! Comparing one article with all others must stay fast at 100,000 articles, so the index
//! keeps, per article, only its strongest terms, normalised by the norm of its *whole* vector:
//! - its `QUERY_TERMS` strongest terms, used to look for neighbours;
//! - its `INDEXED_TERMS` strongest terms, in an inverted index (term → articles) by which it
//!   can be found.
//!
//! The score of `b` for `a` is the sum of `a_t · b_t` over the terms both keep: a lower bound
//! of their cosine, missing only products of weak weights. Only terms at least two articles
//! share can match, and terms in too many articles are left out: they tell little apart and
//! would make the longest posting lists. Weights are kept as `u16` to halve the index, and
//! products are summed as integers so scores do not depend on summation order.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::hash::{BuildHasher, Hasher, RandomState};

use rayon::prelude::*;

use crate::article::Article;

/// How many of an article's strongest terms are used to find its neighbours.
const QUERY_TERMS: usize = 32;
/// How many of an article's strongest terms it can be found by.
const INDEXED_TERMS: usize = 64;
/// A term in more than this share of the articles cannot match…
const MAX_DF_SHARE: usize = 10;
/// … unless it is in at most this many articles: below that, posting lists are short anyway,
/// and small corpora keep every shared word.
const MIN_DF_LIMIT: usize = 1000;
/// A weight of 1.0 once quantised.
const ONE: f32 = u16::MAX as f32;

/// Finds the articles most similar to a given one (see the module documentation).
#[derive(Clone, Default)]
pub struct RelatedIndex {
    articles: usize,
    /// `query[query_start[i]..query_start[i + 1]]`: article `i`'s strongest terms (term id,
    /// weight), strongest first.
    query_start: Vec<usize>,
    query: Vec<(u32, u16)>,
    /// `posting_docs[posting_start[t]..posting_start[t + 1]]`: the articles that count term `t`
    /// among their strongest, in article order; `posting_weights` holds the weights alongside
    /// (apart from the ids, so that an entry takes 6 bytes instead of 8).
    posting_start: Vec<usize>,
    posting_docs: Vec<u32>,
    posting_weights: Vec<u16>,
}

impl std::fmt::Debug for RelatedIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RelatedIndex")
            .field("articles", &self.articles)
            .field("terms", &self.posting_start.len().saturating_sub(1))
            .field("postings", &self.posting_docs.len())
            .finish()
    }
}

/// What the build knows of a term once every article has been read.
#[derive(Clone, Copy)]
struct TermStats {
    idf: f32,
    /// In at least two articles and not too common: worth indexing.
    matchable: bool,
}

impl RelatedIndex {
    /// Builds the index for `articles` (indices are positions in that slice).
    pub fn build(articles: &[Article]) -> RelatedIndex {
        let n = articles.len();
        let t0 = std::time::Instant::now();
        let hashing = KeyHashing::new();
        let count: usize = articles.iter().map(|a| words(&a.search).count()).sum();
        eprintln!("TMP tokens {count} {:?}", t0.elapsed());
        let t0 = std::time::Instant::now();
        let sum: u64 = articles
            .iter()
            .map(|a| words(&a.search).map(word_key).fold(0, u64::wrapping_add))
            .fold(0, u64::wrapping_add);
        eprintln!("TMP keys {sum} {:?}", t0.elapsed());
        let t0 = std::time::Instant::now();
        let mut frequencies = document_frequencies(articles, hashing);
        for word in FRENCH_STOP_WORDS.iter().chain(ENGLISH_STOP_WORDS) {
            frequencies.remove(&word_key(word));
        }

        eprintln!("TMP df {:?}", t0.elapsed());
        // Term ids follow the order of word keys, so that equal weights break ties the same
        // way whatever the seed of the maps or the number of threads.
        let mut vocabulary: Vec<(u64, u32)> = frequencies
            .into_iter()
            .map(|(key, (df, _))| (key, df))
            .collect();
        vocabulary.par_sort_unstable_by_key(|&(key, _)| key);
        let df_limit = (n / MAX_DF_SHARE).max(MIN_DF_LIMIT);
        let stats: Vec<TermStats> = vocabulary
            .iter()
            .map(|&(_, df)| TermStats {
                idf: (1.0 + n as f64 / f64::from(df)).ln() as f32,
                matchable: df >= 2 && df as usize <= df_limit,
            })
            .collect();
        let mut ids: KeyMap<u32> = KeyMap::with_capacity_and_hasher(vocabulary.len(), hashing);
        // Fewer than 2^32 words: each took at least a byte of text and 16 bytes of map.
        ids.extend(
            vocabulary
                .iter()
                .enumerate()
                .map(|(id, &(key, _))| (key, id as u32)),
        );
        drop(vocabulary);
        eprintln!("TMP vocab {:?}", t0.elapsed());

        let strongest: Vec<Vec<(u32, u16)>> = articles
            .par_iter()
            .map_init(Scratch::default, |scratch, article| {
                strongest_terms(&article.search, &ids, &stats, scratch)
            })
            .collect();
        drop(ids);
        eprintln!("TMP weigh {:?}", t0.elapsed());

        let mut query_start = Vec::with_capacity(n + 1);
        let mut query = Vec::new();
        query_start.push(0);
        for terms in &strongest {
            query.extend_from_slice(&terms[..terms.len().min(QUERY_TERMS)]);
            query_start.push(query.len());
        }

        // Inverted index by counting sort: sizes first, then each list filled in article order.
        let mut posting_start = vec![0; stats.len() + 1];
        for &(term, _) in strongest.iter().flatten() {
            posting_start[term as usize + 1] += 1;
        }
        for t in 1..posting_start.len() {
            posting_start[t] += posting_start[t - 1];
        }
        let total = posting_start[stats.len()];
        let mut posting_docs = vec![0; total];
        let mut posting_weights = vec![0; total];
        let mut next = posting_start.clone();
        for (doc, terms) in strongest.iter().enumerate() {
            for &(term, weight) in terms {
                let slot = &mut next[term as usize];
                // Fewer than 2^32 articles: each takes far more than a byte of memory.
                posting_docs[*slot] = doc as u32;
                posting_weights[*slot] = weight;
                *slot += 1;
            }
        }

        eprintln!("TMP postings {:?}", t0.elapsed());
        RelatedIndex {
            articles: n,
            query_start,
            query,
            posting_start,
            posting_docs,
            posting_weights,
        }
    }

    /// The `n` articles most similar to `articles[index]`, best first, with their score in
    /// (0, 1]; never the article itself; ties broken by index. Empty when `index` is out of
    /// range or the article has no word another article shares.
    pub fn related(&self, index: usize, n: usize) -> Vec<(usize, f32)> {
        if index >= self.articles || n == 0 {
            return Vec::new();
        }
        let query = &self.query[self.query_start[index]..self.query_start[index + 1]];
        if query.is_empty() {
            return Vec::new();
        }
        // A dense accumulator is cheaper than a map: one zeroed allocation, then plain adds.
        let mut scores = vec![0u64; self.articles];
        for &(term, query_weight) in query {
            let range = self.posting_start[term as usize]..self.posting_start[term as usize + 1];
            for (&doc, &weight) in self.posting_docs[range.clone()]
                .iter()
                .zip(&self.posting_weights[range])
            {
                scores[doc as usize] += u64::from(query_weight) * u64::from(weight);
            }
        }
        scores[index] = 0;

        // The `n` best so far, worst on top: lowest score, then highest index.
        let mut best: BinaryHeap<Reverse<(u64, Reverse<usize>)>> =
            BinaryHeap::with_capacity(n.min(self.articles));
        for (doc, &score) in scores.iter().enumerate() {
            if score == 0 {
                continue;
            }
            let candidate = Reverse((score, Reverse(doc)));
            if best.len() < n {
                best.push(candidate);
            } else if best.peek().is_some_and(|worst| candidate < *worst) {
                best.pop();
                best.push(candidate);
            }
        }
        let scale = f64::from(ONE) * f64::from(ONE);
        best.into_sorted_vec()
            .into_iter()
            .map(|Reverse((score, Reverse(doc)))| (doc, ((score as f64 / scale) as f32).min(1.0)))
            .collect()
    }
}

/// The words of folded text that can carry meaning: runs of letters and digits of at least
/// two characters that are not a number. Stop words are removed later, once per distinct word.
fn words(search: &str) -> Words<'_> {
    Words {
        text: search,
        at: 0,
    }
}

struct Words<'a> {
    text: &'a str,
    /// Always on a character boundary.
    at: usize,
}

impl Words<'_> {
    /// The character at `self.at`, known not to be ASCII.
    fn wide_char(&self) -> Option<char> {
        self.text.get(self.at..)?.chars().next()
    }
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        // Folded text is mostly ASCII: bytes are tested directly and only the rest is decoded.
        let bytes = self.text.as_bytes();
        loop {
            let start = loop {
                let byte = *bytes.get(self.at)?;
                if byte.is_ascii_alphanumeric() {
                    break self.at;
                } else if byte.is_ascii() {
                    self.at += 1;
                } else {
                    let c = self.wide_char()?;
                    if c.is_alphanumeric() {
                        break self.at;
                    }
                    self.at += c.len_utf8();
                }
            };
            let mut chars = 0;
            let mut number = true;
            while let Some(&byte) = bytes.get(self.at) {
                if byte.is_ascii() {
                    if !byte.is_ascii_alphanumeric() {
                        break;
                    }
                    number &= byte.is_ascii_digit();
                    self.at += 1;
                } else {
                    let Some(c) = self.wide_char().filter(|c| c.is_alphanumeric()) else {
                        break;
                    };
                    number &= c.is_numeric();
                    self.at += c.len_utf8();
                }
                chars += 1;
            }
            if chars >= 2 && !number {
                return Some(&self.text[start..self.at]);
            }
        }
    }
}

/// A map keyed by `word_key`.
type KeyMap<V> = HashMap<u64, V, KeyHashing>;

/// A fixed 64-bit key for a word: maps keyed by it hash and compare one integer instead of
/// following a pointer into the text, which made the build several times slower. Two words
/// could share a key and be counted as one term; with a million distinct words the odds are
/// about one in thirty million, and the cost a slightly wrong score.
fn word_key(word: &str) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let bytes = word.as_bytes();
    let mut h = bytes.len() as u64;
    for chunk in bytes.chunks(8) {
        let mut block = [0; 8];
        block[..chunk.len()].copy_from_slice(chunk);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(block)).wrapping_mul(K);
    }
    mix(h)
}

/// MurmurHash3's finaliser: every bit of the input affects every bit of the output.
fn mix(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// Hashes word keys with a random seed, so that words crafted to share buckets cannot slow
/// the maps down (word keys themselves are fixed, and so could be targeted).
#[derive(Clone, Copy)]
struct KeyHashing {
    seed: u64,
}

impl KeyHashing {
    fn new() -> Self {
        Self {
            seed: RandomState::new().hash_one(0u64),
        }
    }
}

impl BuildHasher for KeyHashing {
    type Hasher = KeyHasher;

    fn build_hasher(&self) -> KeyHasher {
        KeyHasher(self.seed)
    }
}

struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn write(&mut self, bytes: &[u8]) {
        // Only `u64` keys are hashed; this keeps other input correct all the same.
        for &byte in bytes {
            self.write_u64(u64::from(byte));
        }
    }

    fn write_u64(&mut self, key: u64) {
        self.0 = mix(self.0 ^ key);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// How many articles each word key is in (and a scratch field).
fn document_frequencies(articles: &[Article], hashing: KeyHashing) -> KeyMap<(u32, u32)> {
    // One map per thread, merged at the end: merging is the costly part, so few large chunks.
    let chunk = articles.len().div_ceil(rayon::current_num_threads()).max(1);
    articles
        .par_chunks(chunk)
        .map(|chunk| {
            // (articles counted, position in the chunk + 1 of the last one): a word is counted
            // once per article without a set per article. Fewer than 2^32 articles.
            let mut counts: KeyMap<(u32, u32)> = KeyMap::with_hasher(hashing);
            for (i, article) in chunk.iter().enumerate() {
                let mark = i as u32 + 1;
                for word in words(&article.search) {
                    let entry = counts.entry(word_key(word)).or_insert((0, 0));
                    if entry.1 != mark {
                        entry.0 += 1;
                        entry.1 = mark;
                    }
                }
            }
            counts
        })
        .reduce(
            || KeyMap::with_hasher(hashing),
            |a, b| {
                let (mut into, from) = if a.len() >= b.len() { (a, b) } else { (b, a) };
                for (key, (df, _)) in from {
                    into.entry(key).or_insert((0, 0)).0 += df;
                }
                into
            },
        )
}

/// Buffers reused from one article to the next.
#[derive(Default)]
struct Scratch {
    ids: Vec<u32>,
    weighted: Vec<(u32, f32)>,
}

/// An article's `INDEXED_TERMS` strongest matchable terms, strongest first, with their weight
/// divided by the norm of the article's whole vector.
fn strongest_terms(
    search: &str,
    ids: &KeyMap<u32>,
    stats: &[TermStats],
    scratch: &mut Scratch,
) -> Vec<(u32, u16)> {
    scratch.ids.clear();
    scratch
        .ids
        .extend(words(search).filter_map(|word| ids.get(&word_key(word)).copied()));
    scratch.ids.sort_unstable();
    scratch.weighted.clear();
    let mut norm2 = 0.0f64;
    for run in scratch.ids.chunk_by(|a, b| a == b) {
        // `chunk_by` never yields an empty run.
        let term = run[0];
        let stat = stats[term as usize];
        let weight = (1.0 + (run.len() as f32).ln()) * stat.idf;
        norm2 += f64::from(weight) * f64::from(weight);
        if stat.matchable {
            scratch.weighted.push((term, weight));
        }
    }
    if scratch.weighted.is_empty() {
        return Vec::new();
    }
    scratch
        .weighted
        .sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let norm = norm2.sqrt() as f32;
    // Collected from a slice, so the vector is allocated at its exact size.
    scratch.weighted[..scratch.weighted.len().min(INDEXED_TERMS)]
        .iter()
        // At least 1, so that any shared term gives a score above zero.
        .map(|&(term, weight)| (term, (weight / norm * ONE).round().clamp(1.0, ONE) as u16))
        .collect()
}

/// Folded French words too common to tell articles apart.
const FRENCH_STOP_WORDS: &[&str] = &[
    "ainsi",
    "alors",
    "apres",
    "as",
    "au",
    "aucun",
    "aucune",
    "aujourd",
    "aupres",
    "aura",
    "aurait",
    "auront",
    "aussi",
    "autant",
    "autre",
    "autres",
    "aux",
    "avaient",
    "avais",
    "avait",
    "avant",
    "avec",
    "avez",
    "avoir",
    "avons",
    "ayant",
    "beaucoup",
    "bien",
    "bon",
    "ca",
    "car",
    "ce",
    "ceci",
    "cela",
    "celle",
    "celles",
    "celui",
    "cependant",
    "certains",
    "certaines",
    "ces",
    "cet",
    "cette",
    "ceux",
    "chaque",
    "chez",
    "comme",
    "comment",
    "contre",
    "dans",
    "de",
    "deja",
    "depuis",
    "des",
    "deux",
    "dit",
    "dite",
    "doit",
    "donc",
    "dont",
    "du",
    "egalement",
    "elle",
    "elles",
    "en",
    "encore",
    "entre",
    "es",
    "est",
    "et",
    "etaient",
    "etais",
    "etait",
    "etant",
    "ete",
    "etes",
    "etre",
    "eu",
    "eux",
    "fait",
    "faire",
    "fais",
    "faut",
    "font",
    "fois",
    "hui",
    "ici",
    "il",
    "ils",
    "je",
    "jusqu",
    "la",
    "le",
    "les",
    "leur",
    "leurs",
    "lors",
    "lorsqu",
    "lorsque",
    "lui",
    "ma",
    "mais",
    "me",
    "meme",
    "memes",
    "mes",
    "moi",
    "moins",
    "mon",
    "ne",
    "ni",
    "non",
    "nos",
    "notamment",
    "notre",
    "nous",
    "on",
    "ont",
    "ou",
    "oui",
    "par",
    "parce",
    "pas",
    "pendant",
    "peu",
    "peut",
    "peuvent",
    "plus",
    "plusieurs",
    "pour",
    "pourquoi",
    "pourrait",
    "pres",
    "puis",
    "qu",
    "quand",
    "que",
    "quel",
    "quelle",
    "quelles",
    "quels",
    "qui",
    "quoi",
    "sa",
    "sans",
    "se",
    "selon",
    "sera",
    "serait",
    "ses",
    "si",
    "sien",
    "soit",
    "son",
    "sont",
    "sous",
    "suis",
    "sur",
    "ta",
    "tant",
    "te",
    "tes",
    "toi",
    "ton",
    "toujours",
    "tous",
    "tout",
    "toute",
    "toutes",
    "tres",
    "trop",
    "tu",
    "un",
    "une",
    "va",
    "vers",
    "via",
    "vont",
    "vos",
    "votre",
    "vous",
];

/// Folded English words too common to tell articles apart.
const ENGLISH_STOP_WORDS: &[&str] = &[
    "about", "above", "after", "again", "against", "all", "also", "am", "among", "an", "and",
    "any", "are", "aren", "around", "as", "at", "be", "because", "been", "before", "being",
    "below", "between", "both", "but", "by", "can", "could", "did", "didn", "do", "does", "doesn",
    "doing", "don", "done", "down", "during", "each", "even", "ever", "every", "few", "for",
    "from", "further", "get", "got", "had", "has", "have", "having", "he", "her", "here", "hers",
    "him", "his", "how", "if", "in", "into", "is", "isn", "it", "its", "just", "like", "ll",
    "many", "may", "me", "might", "more", "most", "much", "must", "my", "new", "no", "nor", "not",
    "now", "of", "off", "on", "once", "one", "only", "or", "other", "our", "ours", "out", "over",
    "own", "per", "re", "said", "same", "says", "shall", "she", "should", "so", "some", "still",
    "such", "than", "that", "the", "their", "theirs", "them", "then", "there", "these", "they",
    "this", "those", "through", "to", "too", "two", "under", "until", "up", "upon", "us", "ve",
    "very", "was", "wasn", "we", "were", "what", "when", "where", "whether", "which", "while",
    "who", "whom", "whose", "why", "will", "with", "within", "without", "won", "would", "yet",
    "you", "your", "yours",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fold::fold;
    use crate::load::Corpus;
    use std::path::PathBuf;

    fn corpus(files: &[(&str, &str)]) -> Vec<Article> {
        Corpus::from_memory(
            files
                .iter()
                .map(|(path, text)| (PathBuf::from(path), text.as_bytes())),
        )
        .articles
    }

    /// Position of the article loaded from `path` (the corpus sorts newest first).
    fn at(articles: &[Article], path: &str) -> usize {
        articles
            .iter()
            .position(|a| a.path == PathBuf::from(path))
            .unwrap_or_else(|| panic!("no article {path}"))
    }

    fn names(articles: &[Article], related: &[(usize, f32)]) -> Vec<String> {
        related
            .iter()
            .map(|&(i, _)| articles[i].path.to_string_lossy().into_owned())
            .collect()
    }

    fn topics() -> Vec<Article> {
        corpus(&[
            (
                "rugby1.txt",
                "date 2024-03-01 Le XV de France bat l'Irlande au Tournoi des Six Nations. \
                 Les avants français ont dominé la mêlée et la touche ; le demi de mêlée a \
                 marqué deux essais.",
            ),
            (
                "rugby2.txt",
                "date 2024-03-08 Tournoi des Six Nations : la mêlée française impressionne. \
                 Après l'Irlande, le XV de France prépare l'Écosse ; essais et touche au \
                 programme.",
            ),
            (
                "budget.txt",
                "date 2024-03-02 Le budget de l'État prévoit une hausse des impôts. Le \
                 ministre des finances défend le déficit et la dette publique devant \
                 l'Assemblée.",
            ),
            (
                "dette.txt",
                "date 2024-03-03 La dette publique inquiète : le déficit du budget dépasse \
                 les prévisions du ministre des finances.",
            ),
            (
                "meteo.txt",
                "date 2024-03-04 Orages et grêle sur la Bretagne : Météo-France place le \
                 Finistère en vigilance orange. La France sous la pluie.",
            ),
        ])
    }

    #[test]
    fn articles_on_the_same_topic_list_each_other_first() {
        let articles = topics();
        let index = RelatedIndex::build(&articles);
        for (a, b) in [("rugby1.txt", "rugby2.txt"), ("budget.txt", "dette.txt")] {
            let (ia, ib) = (at(&articles, a), at(&articles, b));
            assert_eq!(index.related(ia, 5)[0].0, ib, "{a}");
            assert_eq!(index.related(ib, 5)[0].0, ia, "{b}");
        }
    }

    #[test]
    fn never_the_article_itself_and_sorted_best_first() {
        let articles = topics();
        let index = RelatedIndex::build(&articles);
        for i in 0..articles.len() {
            let related = index.related(i, 10);
            assert!(related.iter().all(|&(j, _)| j != i));
            assert!(related.len() < articles.len());
            assert!(
                related
                    .windows(2)
                    .all(|w| w[0].1 > w[1].1 || (w[0].1 == w[1].1 && w[0].0 < w[1].0)),
                "{related:?}"
            );
            assert!(related.iter().all(|&(_, s)| s > 0.0 && s <= 1.0));
        }
        // `n` bounds the list.
        let rugby = at(&articles, "rugby1.txt");
        assert_eq!(index.related(rugby, 1).len(), 1);
        assert!(index.related(rugby, 0).is_empty());
    }

    #[test]
    fn stop_words_alone_do_not_make_articles_similar() {
        let articles = corpus(&[
            (
                "a.txt",
                "date 2024-01-01 Le chat dort dans la cuisine avec les enfants et pour toujours.",
            ),
            (
                "b.txt",
                "date 2024-01-02 The engine of the car is in the garage and it is broken, \
                 mais le chat dans la cuisine pour les enfants.",
            ),
            (
                "c.txt",
                "date 2024-01-03 Un orage avec de la grêle dans la vallée et pour les \
                 vendanges, the end of the harvest.",
            ),
        ]);
        let index = RelatedIndex::build(&articles);
        let (a, b, c) = (
            at(&articles, "a.txt"),
            at(&articles, "b.txt"),
            at(&articles, "c.txt"),
        );
        // `a` and `b` share `chat`, `cuisine`, `enfants`; `c` shares only stop words with them.
        assert_eq!(names(&articles, &index.related(a, 5)), ["b.txt"]);
        assert_eq!(names(&articles, &index.related(b, 5)), ["a.txt"]);
        assert!(index.related(c, 5).is_empty());
    }

    #[test]
    fn accents_and_case_are_ignored() {
        let articles = corpus(&[
            (
                "a.txt",
                "date 2024-01-01 La sécurité des données préoccupe les élèves.",
            ),
            ("b.txt", "date 2024-01-02 SECURITE DES DONNEES : ALERTE."),
            (
                "c.txt",
                "date 2024-01-03 Le marché du poisson ouvre à l'aube.",
            ),
        ]);
        let index = RelatedIndex::build(&articles);
        let (a, b) = (at(&articles, "a.txt"), at(&articles, "b.txt"));
        assert_eq!(names(&articles, &index.related(a, 5)), ["b.txt"]);
        assert_eq!(names(&articles, &index.related(b, 5)), ["a.txt"]);
    }

    #[test]
    fn identical_articles_score_one() {
        let text = "date 2024-01-01 Grêle sur les vignes du Bordelais.";
        let articles = corpus(&[("a.txt", text), ("b.txt", text), ("c.txt", "Autre chose.")]);
        let index = RelatedIndex::build(&articles);
        let related = index.related(at(&articles, "a.txt"), 5);
        assert_eq!(related.len(), 1);
        assert!((related[0].1 - 1.0).abs() < 1e-3, "{related:?}");
    }

    #[test]
    fn degenerate_corpora_give_empty_lists() {
        let index = RelatedIndex::build(&[]);
        assert!(index.related(0, 5).is_empty());

        let one = corpus(&[("a.txt", "date 2024-01-01 Un seul article sur la grêle.")]);
        let index = RelatedIndex::build(&one);
        assert!(index.related(0, 5).is_empty());
        assert!(index.related(1, 5).is_empty());

        let stop_only = corpus(&[
            ("a.txt", "date 2024-01-01 Le la les et de the of and."),
            (
                "b.txt",
                "date 2024-01-02 Le la les et de the of and, 12 34.",
            ),
            ("c.txt", "date 2024-01-03 Il y a 3 ans : « … »"),
        ]);
        let index = RelatedIndex::build(&stop_only);
        for i in 0..stop_only.len() {
            assert!(index.related(i, 5).is_empty());
        }
    }

    #[test]
    fn ties_are_broken_by_index() {
        let text = "date 2024-01-01 Grêle sur les vignes.";
        let articles = corpus(&[("a.txt", text), ("b.txt", text), ("c.txt", text)]);
        let index = RelatedIndex::build(&articles);
        let related = index.related(1, 5);
        assert_eq!(related.iter().map(|&(i, _)| i).collect::<Vec<_>>(), [0, 2]);
        assert_eq!(related[0].1, related[1].1);
    }

    #[test]
    fn words_are_runs_of_letters_and_digits_without_numbers_or_single_letters() {
        let found: Vec<_> = words("l'armee a 295 % gpt-4o\n2026 x ia").collect();
        assert_eq!(found, ["armee", "gpt", "4o", "ia"]);
    }

    #[test]
    fn stop_words_are_folded_single_words() {
        for word in FRENCH_STOP_WORDS.iter().chain(ENGLISH_STOP_WORDS) {
            assert_eq!(fold(word), *word);
            assert_eq!(words(word).collect::<Vec<_>>(), [*word]);
        }
    }
}
