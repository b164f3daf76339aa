//! Related articles: the articles most similar to a given one, by TF-IDF cosine over their words.
//!
//! Each article becomes a TF-IDF vector over its folded words (`Article::word_ids`, into the
//! corpus's [`Index`] vocabulary), leaving out stop words, numbers and one-letter words. Term
//! frequency is sublinear (`1 + ln tf`, so a word repeated ten times does not outweigh ten
//! different shared words) and `idf = ln(1 + N / df)`, which stays above zero: in a small
//! corpus where every article shares a word, that word still counts a little, not nothing.
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
//! would make the longest posting lists. Weights are kept as `u16` to shrink the index, and
//! products are summed as integers so that scores do not depend on summation order.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use rayon::prelude::*;

use crate::corpus::Article;
use crate::search::index::Index;

/// How many of an article's strongest terms are used to find its neighbours.
pub(crate) const QUERY_TERMS: usize = 32;
/// How many of an article's strongest terms it can be found by.
const INDEXED_TERMS: usize = 64;
/// A term in more than this share of the articles cannot match…
pub(crate) const MAX_DF_SHARE: usize = 10;
/// … unless it is in at most this many articles: below that, posting lists are short anyway,
/// and small corpora keep every shared word.
pub(crate) const MIN_DF_LIMIT: usize = 1000;
/// A weight of 1.0 once quantised.
const ONE: f32 = u16::MAX as f32;

/// Finds the articles most similar to a given one (see the module documentation).
#[derive(Clone, Default)]
pub struct RelatedIndex {
    articles: usize,
    /// By article: its strongest terms (word id, weight), strongest first.
    queries: Lists,
    /// By word id: the articles (article index, weight) that count it among their strongest
    /// terms, in article order.
    postings: Lists,
}

impl std::fmt::Debug for RelatedIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RelatedIndex")
            .field("articles", &self.articles)
            .field("postings", &self.postings.ids.len())
            .field("heap_bytes", &self.heap_bytes())
            .finish()
    }
}

/// Lists of (id, weight) pairs stored end to end: list `i` is `ids[start[i]..start[i + 1]]`,
/// with `weights` alongside (apart, so that a pair takes 6 bytes instead of 8).
#[derive(Clone)]
struct Lists {
    start: Vec<usize>,
    ids: Vec<u32>,
    weights: Vec<u16>,
}

impl Default for Lists {
    fn default() -> Self {
        Lists {
            start: vec![0],
            ids: Vec::new(),
            weights: Vec::new(),
        }
    }
}

impl Lists {
    /// List `i`, empty when there is no such list.
    fn get(&self, i: usize) -> (&[u32], &[u16]) {
        match (self.start.get(i), self.start.get(i + 1)) {
            (Some(&from), Some(&to)) => (&self.ids[from..to], &self.weights[from..to]),
            _ => (&[], &[]),
        }
    }

    fn push(&mut self, pairs: &[(u32, u16)]) {
        self.ids.extend(pairs.iter().map(|&(id, _)| id));
        self.weights.extend(pairs.iter().map(|&(_, weight)| weight));
        self.start.push(self.ids.len());
    }

    fn heap_bytes(&self) -> usize {
        self.start.capacity() * size_of::<usize>()
            + self.ids.capacity() * size_of::<u32>()
            + self.weights.capacity() * size_of::<u16>()
    }
}

impl RelatedIndex {
    /// Builds the index for `articles` (indices are positions in that slice), whose word ids
    /// point into `words`' vocabulary. Articles whose words are not indexed yet (ids outside
    /// the vocabulary) are related to nothing.
    pub fn build(articles: &[Article], words: &Index) -> RelatedIndex {
        let n = articles.len();
        let terms = terms(words);
        let df = document_frequencies(articles, &terms);
        let df_limit = (n / MAX_DF_SHARE).max(MIN_DF_LIMIT);
        let weights = Weights {
            idf: df.iter().map(|&df| idf(n, df)).collect(),
            matchable: df
                .iter()
                .map(|&df| df >= 2 && df as usize <= df_limit)
                .collect(),
            sublinear: (0..64).map(|tf| 1.0 + (tf as f32).ln()).collect(),
        };
        drop(df);

        let strongest: Vec<Vec<(u32, u16)>> = articles
            .par_iter()
            .map_init(Scratch::default, |scratch, article| {
                strongest_terms(&article.word_ids, &terms, &weights, scratch)
            })
            .collect();

        let mut queries = Lists::default();
        for pairs in &strongest {
            queries.push(&pairs[..pairs.len().min(QUERY_TERMS)]);
        }

        // Inverted index by counting sort: sizes first, then each list filled in article order.
        let mut start = vec![0; terms.len() + 1];
        for &(term, _) in strongest.iter().flatten() {
            start[term as usize + 1] += 1;
        }
        for t in 1..start.len() {
            start[t] += start[t - 1];
        }
        let total = start[terms.len()];
        let mut ids = vec![0; total];
        let mut weights = vec![0; total];
        let mut next = start.clone();
        for (doc, pairs) in strongest.iter().enumerate() {
            for &(term, weight) in pairs {
                let slot = &mut next[term as usize];
                // Fewer than 2^32 articles: each takes far more than a byte of memory.
                ids[*slot] = doc as u32;
                weights[*slot] = weight;
                *slot += 1;
            }
        }

        RelatedIndex {
            articles: n,
            queries,
            postings: Lists {
                start,
                ids,
                weights,
            },
        }
    }

    /// The `n` articles most similar to `articles[index]`, best first, with their score in
    /// (0, 1]; never the article itself; ties broken by index. Empty when `index` is out of
    /// range or the article has no word another article shares.
    pub fn related(&self, index: usize, n: usize) -> Vec<(usize, f32)> {
        if index >= self.articles || n == 0 {
            return Vec::new();
        }
        let (terms, query_weights) = self.queries.get(index);
        if terms.is_empty() {
            return Vec::new();
        }
        // A dense accumulator is cheaper than a map: one zeroed allocation, then plain adds.
        let mut scores = vec![0u64; self.articles];
        for (&term, &query_weight) in terms.iter().zip(query_weights) {
            let (docs, weights) = self.postings.get(term as usize);
            for (&doc, &weight) in docs.iter().zip(weights) {
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

    /// True when no article was given (a catalog whose related articles come from the index
    /// on disk instead).
    pub fn is_empty(&self) -> bool {
        self.articles == 0
    }

    /// The memory the index holds, in bytes.
    pub fn heap_bytes(&self) -> usize {
        self.queries.heap_bytes() + self.postings.heap_bytes()
    }
}

fn idf(articles: usize, df: u32) -> f32 {
    (1.0 + articles as f64 / f64::from(df.max(1))).ln() as f32
}

/// Which words of the vocabulary, by id, can be terms: at least two characters, not a
/// number, not a stop word.
fn terms(words: &Index) -> Vec<bool> {
    let mut terms: Vec<bool> = (0..words.vocabulary())
        .into_par_iter()
        .map(|id| {
            // Word ids are `u32`: the vocabulary has fewer than 2^32 words.
            let word = words.word(id as u32);
            let mut chars = word.chars();
            chars.next().is_some() && chars.next().is_some() && !word.chars().all(char::is_numeric)
        })
        .collect();
    for stop in stop_words() {
        if let Some(id) = words.find(stop) {
            terms[id as usize] = false;
        }
    }
    terms
}

/// How many articles each term is in, by word id (0 for words that are not terms).
fn document_frequencies(articles: &[Article], terms: &[bool]) -> Vec<u32> {
    // One count per thread, added up at the end.
    let chunk = articles.len().div_ceil(rayon::current_num_threads()).max(1);
    articles
        .par_chunks(chunk)
        .map(|chunk| {
            // (articles counted, position in the chunk + 1 of the last one): a word is counted
            // once per article without sorting its words. Fewer than 2^32 articles.
            let mut counts = vec![(0u32, 0u32); terms.len()];
            for (i, article) in chunk.iter().enumerate() {
                let mark = i as u32 + 1;
                for &id in article.word_ids.iter() {
                    if let (Some(true), Some(count)) =
                        (terms.get(id as usize), counts.get_mut(id as usize))
                    {
                        if count.1 != mark {
                            count.0 += 1;
                            count.1 = mark;
                        }
                    }
                }
            }
            counts.into_iter().map(|(df, _)| df).collect::<Vec<u32>>()
        })
        .reduce_with(|mut a, b| {
            for (a, b) in a.iter_mut().zip(b) {
                *a += b;
            }
            a
        })
        .unwrap_or_else(|| vec![0; terms.len()])
}

/// How terms are weighed, by word id.
struct Weights {
    idf: Vec<f32>,
    /// In at least two articles and not in too many: worth indexing.
    matchable: Vec<bool>,
    /// `1 + ln tf` for the common small `tf`, as `ln` would be much of the weighing.
    sublinear: Vec<f32>,
}

impl Weights {
    fn tf(&self, tf: usize) -> f32 {
        match self.sublinear.get(tf) {
            Some(&weight) => weight,
            None => 1.0 + (tf as f32).ln(),
        }
    }
}

/// Buffers reused from one article to the next.
#[derive(Default)]
struct Scratch {
    terms: Vec<u32>,
    weighted: Vec<(u32, f32)>,
}

/// The `INDEXED_TERMS` strongest matchable terms of an article, strongest first, with their
/// weight divided by the norm of the article's whole vector.
fn strongest_terms(
    word_ids: &[u32],
    terms: &[bool],
    weights: &Weights,
    scratch: &mut Scratch,
) -> Vec<(u32, u16)> {
    let Scratch {
        terms: found,
        weighted,
    } = scratch;
    found.clear();
    found.extend(
        word_ids
            .iter()
            .copied()
            .filter(|&id| terms.get(id as usize) == Some(&true)),
    );
    found.sort_unstable();
    let mut norm2 = 0.0f64;
    weighted.clear();
    for run in found.chunk_by(|a, b| a == b) {
        // `chunk_by` never yields an empty run, and terms are ids of the vocabulary, which
        // `weights` covers.
        let term = run[0];
        let weight = weights.tf(run.len()) * weights.idf[term as usize];
        norm2 += f64::from(weight) * f64::from(weight);
        if weights.matchable[term as usize] {
            weighted.push((term, weight));
        }
    }
    if weighted.is_empty() {
        return Vec::new();
    }
    // Strongest first; equal weights in vocabulary order, so the index does not depend on
    // the number of threads.
    weighted.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let norm = norm2.sqrt() as f32;
    // Collected from a slice, so the vector is allocated at its exact size.
    weighted[..weighted.len().min(INDEXED_TERMS)]
        .iter()
        // At least 1, so that any shared term gives a score above zero.
        .map(|&(term, weight)| (term, (weight / norm * ONE).round().clamp(1.0, ONE) as u16))
        .collect()
}

/// True for a folded word too common in French or English to tell articles apart.
pub(crate) fn is_stop_word(word: &str) -> bool {
    static STOP: std::sync::OnceLock<rustc_hash::FxHashSet<&'static str>> =
        std::sync::OnceLock::new();
    STOP.get_or_init(|| stop_words().collect()).contains(word)
}

fn stop_words() -> impl Iterator<Item = &'static str> {
    FRENCH_STOP_WORDS
        .split_whitespace()
        .chain(ENGLISH_STOP_WORDS.split_whitespace())
}

/// Folded French words too common to tell articles apart.
const FRENCH_STOP_WORDS: &str = "\
    ainsi alors apres as au aucun aucune aujourd aupres aura aurait auront aussi autant \
    autre autres aux avaient avais avait avant avec avez avoir avons ayant beaucoup bien \
    bon ca car ce ceci cela celle celles celui cependant certains certaines ces cet cette \
    ceux chaque chez comme comment contre dans de deja depuis des deux dit dite doit donc \
    dont du egalement elle elles en encore entre es est et etaient etais etait etant ete \
    etes etre eu eux fait faire fais faut font fois hui ici il ils je jusqu la le les \
    leur leurs lors lorsqu lorsque lui ma mais me meme memes mes moi moins mon ne ni non \
    nos notamment notre nous on ont ou oui par parce pas pendant peu peut peuvent plus \
    plusieurs pour pourquoi pourrait pres puis qu quand que quel quelle quelles quels qui \
    quoi sa sans se selon sera serait ses si sien soit son sont sous suis sur ta tant te \
    tes toi ton toujours tous tout toute toutes tres trop tu un une va vers via vont vos \
    votre vous";

/// Folded English words too common to tell articles apart.
const ENGLISH_STOP_WORDS: &str = "\
    about above after again against all also am among an and any are aren around as at be \
    because been before being below between both but by can could did didn do does doesn \
    doing don done down during each even ever every few for from further get got had has \
    have having he her here hers him his how if in into is isn it its just like ll many \
    may me might more most much must my new no nor not now of off on once one only or \
    other our ours out over own per re said same says shall she should so some still such \
    than that the their theirs them then there these they this those through to too two \
    under until up upon us ve very was wasn we were what when where whether which while \
    who whom whose why will with within without won would yet you your yours";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::catalog::Catalog;
    use crate::text::fold::words;
    use std::path::{Path, PathBuf};

    fn corpus(files: &[(&str, &str)]) -> Catalog {
        Catalog::from_memory(
            files
                .iter()
                .map(|(path, text)| (PathBuf::from(path), text.as_bytes())),
        )
    }

    fn build(corpus: &Catalog) -> RelatedIndex {
        RelatedIndex::build(&corpus.corpus.articles, &corpus.index)
    }

    /// Position of the article loaded from `path` (the corpus sorts newest first).
    fn at(corpus: &Catalog, path: &str) -> usize {
        corpus
            .corpus
            .articles
            .iter()
            .position(|a| a.path == Path::new(path))
            .unwrap_or_else(|| panic!("no article {path}"))
    }

    fn names(corpus: &Catalog, related: &[(usize, f32)]) -> Vec<String> {
        related
            .iter()
            .map(|&(i, _)| {
                corpus.corpus.articles[i]
                    .path
                    .to_string_lossy()
                    .into_owned()
            })
            .collect()
    }

    fn topics() -> Catalog {
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
        let corpus = topics();
        let index = build(&corpus);
        for (a, b) in [("rugby1.txt", "rugby2.txt"), ("budget.txt", "dette.txt")] {
            let (ia, ib) = (at(&corpus, a), at(&corpus, b));
            assert_eq!(index.related(ia, 5)[0].0, ib, "{a}");
            assert_eq!(index.related(ib, 5)[0].0, ia, "{b}");
        }
    }

    #[test]
    fn never_the_article_itself_and_sorted_best_first() {
        let corpus = topics();
        let index = build(&corpus);
        for i in 0..corpus.corpus.articles.len() {
            let related = index.related(i, 10);
            assert!(!related.is_empty());
            assert!(related.iter().all(|&(j, _)| j != i));
            assert!(
                related
                    .windows(2)
                    .all(|w| w[0].1 > w[1].1 || (w[0].1 == w[1].1 && w[0].0 < w[1].0)),
                "{related:?}"
            );
            assert!(related.iter().all(|&(_, s)| s > 0.0 && s <= 1.0));
        }
        // `n` bounds the list; an index out of range has no related articles.
        let rugby = at(&corpus, "rugby1.txt");
        assert_eq!(index.related(rugby, 1).len(), 1);
        assert!(index.related(rugby, 0).is_empty());
        assert!(index.related(corpus.corpus.articles.len(), 5).is_empty());
    }

    #[test]
    fn stop_words_and_numbers_alone_do_not_make_articles_similar() {
        let corpus = corpus(&[
            (
                "a.txt",
                "date 2024-01-01 Le chat dort dans la cuisine avec les enfants, en 2024.",
            ),
            (
                "b.txt",
                "date 2024-01-02 The engine of the car is in the garage and it is broken, \
                 mais le chat dans la cuisine pour les enfants.",
            ),
            (
                "c.txt",
                "date 2024-01-03 Un orage avec de la grêle dans la vallée et pour les \
                 vendanges de 2024, the end of the harvest.",
            ),
        ]);
        let index = build(&corpus);
        let (a, b, c) = (
            at(&corpus, "a.txt"),
            at(&corpus, "b.txt"),
            at(&corpus, "c.txt"),
        );
        // `a` and `b` share `chat`, `cuisine`, `enfants`; `c` shares only stop words and a
        // year with them.
        assert_eq!(names(&corpus, &index.related(a, 5)), ["b.txt"]);
        assert_eq!(names(&corpus, &index.related(b, 5)), ["a.txt"]);
        assert!(index.related(c, 5).is_empty());
    }

    #[test]
    fn accents_and_case_are_ignored() {
        let corpus = corpus(&[
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
        let index = build(&corpus);
        let (a, b) = (at(&corpus, "a.txt"), at(&corpus, "b.txt"));
        assert_eq!(names(&corpus, &index.related(a, 5)), ["b.txt"]);
        assert_eq!(names(&corpus, &index.related(b, 5)), ["a.txt"]);
    }

    #[test]
    fn identical_articles_score_one() {
        let text = "date 2024-01-01 Grêle sur les vignes du Bordelais.";
        let corpus = corpus(&[("a.txt", text), ("b.txt", text), ("c.txt", "Autre chose.")]);
        let index = build(&corpus);
        let related = index.related(at(&corpus, "a.txt"), 5);
        assert_eq!(names(&corpus, &related), ["b.txt"]);
        assert!((related[0].1 - 1.0).abs() < 1e-3, "{related:?}");
    }

    #[test]
    fn ties_are_broken_by_index() {
        let text = "date 2024-01-01 Grêle sur les vignes.";
        let corpus = corpus(&[("a.txt", text), ("b.txt", text), ("c.txt", text)]);
        let index = build(&corpus);
        let related = index.related(1, 5);
        assert_eq!(related.iter().map(|&(i, _)| i).collect::<Vec<_>>(), [0, 2]);
        assert_eq!(related[0].1, related[1].1);
    }

    #[test]
    fn degenerate_corpora_give_empty_lists() {
        let index = build(&Catalog::default());
        assert!(index.related(0, 5).is_empty());

        let one = corpus(&[("a.txt", "date 2024-01-01 Un seul article sur la grêle.")]);
        let index = build(&one);
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
        let index = build(&stop_only);
        for i in 0..stop_only.corpus.articles.len() {
            assert!(index.related(i, 5).is_empty());
        }
    }

    #[test]
    fn words_not_indexed_yet_relate_nothing() {
        let corpus = topics();
        let index = RelatedIndex::build(&corpus.corpus.articles, &Index::default());
        for i in 0..corpus.corpus.articles.len() {
            assert!(index.related(i, 5).is_empty());
        }
    }

    #[test]
    fn stop_words_are_folded_single_words() {
        let mut count = 0;
        for word in stop_words() {
            assert_eq!(words(word), [word]);
            count += 1;
        }
        assert!(count > 300, "{count}");
    }
}
