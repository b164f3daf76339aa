//! The search index: every word of the corpus in sorted order, and for each word the
//! articles it appears in. A term is a word prefix, so it is a range of the sorted
//! vocabulary, and its articles are the union of that range's postings; for the shortest
//! prefixes, whose ranges are huge, that union is computed once, at build time.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::corpus::Article;

/// Word ids of one batch of articles, given while loading in parallel; `Index::build`
/// renumbers them into the corpus-wide sorted order.
#[derive(Default)]
pub struct Interner {
    ids: FxHashMap<Box<str>, u32>,
    words: Vec<Box<str>>,
}

impl Interner {
    pub fn intern(&mut self, word: &str) -> u32 {
        if let Some(&id) = self.ids.get(word) {
            return id;
        }
        let id = self.words.len() as u32;
        self.words.push(word.into());
        self.ids.insert(word.into(), id);
        id
    }
}

/// A set of article positions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bitset(Vec<u64>);

impl Bitset {
    pub fn empty(len: usize) -> Self {
        Bitset(vec![0; len.div_ceil(64)])
    }

    pub fn full(len: usize) -> Self {
        let mut set = Bitset(vec![u64::MAX; len.div_ceil(64)]);
        if len % 64 != 0 {
            if let Some(last) = set.0.last_mut() {
                *last = (1u64 << (len % 64)) - 1;
            }
        }
        set
    }

    pub fn insert(&mut self, i: usize) {
        self.0[i / 64] |= 1 << (i % 64);
    }

    pub fn contains(&self, i: usize) -> bool {
        self.0.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    pub fn intersect(&mut self, other: &Bitset) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a &= b;
        }
    }

    pub fn union(&mut self, other: &Bitset) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a |= b;
        }
    }

    /// Every position below `len` that is not in the set.
    pub fn complement(&self, len: usize) -> Bitset {
        let mut set = Bitset::full(len);
        for (a, b) in set.0.iter_mut().zip(&self.0) {
            *a &= !b;
        }
        set
    }

    pub fn count(&self) -> usize {
        self.0.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// The positions in the set, ascending.
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.0.iter().enumerate().flat_map(|(w, &bits)| {
            let mut bits = bits;
            std::iter::from_fn(move || {
                if bits == 0 {
                    return None;
                }
                let b = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                Some(w * 64 + b)
            })
        })
    }
}

/// Prefixes up to this many characters get their article set computed at build time.
const SHORT_PREFIX: usize = 2;

#[derive(Clone, Default)]
pub struct Index {
    /// Every word, sorted; a word's id is its position here. Shared by the body and title
    /// indexes of a corpus.
    words: Arc<[Box<str>]>,
    /// `postings[starts[w]..starts[w + 1]]`: the articles (ascending) holding word `w`.
    starts: Vec<u32>,
    postings: Vec<u32>,
    /// Article sets of the short prefixes, by prefix, when computed (see `short_prefixes`).
    short: FxHashMap<Box<str>, Bitset>,
    short_computed: bool,
    articles: usize,
}

impl Index {
    /// Renumbers the words of `articles` (each batch of `batches` numbered by its own
    /// interner: `articles[..n0]` by the first, and so on) into one sorted vocabulary,
    /// which it returns for [`Index::new`].
    pub fn renumber(articles: &mut [Article], batches: Vec<(usize, Interner)>) -> Vec<Box<str>> {
        // Merge the batch vocabularies.
        let mut global: FxHashMap<Box<str>, u32> = FxHashMap::default();
        let mut words: Vec<Box<str>> = Vec::new();
        let mut start = 0;
        let mut ranges = Vec::new();
        for (len, interner) in batches {
            let remap: Vec<u32> = interner
                .words
                .into_iter()
                .map(|w| match global.get(&w) {
                    Some(&id) => id,
                    None => {
                        let id = words.len() as u32;
                        words.push(w.clone());
                        global.insert(w, id);
                        id
                    }
                })
                .collect();
            ranges.push((start..start + len, remap));
            start += len;
        }
        drop(global);
        // Sort the vocabulary so that a prefix is a range of ids.
        let mut order: Vec<u32> = (0..words.len() as u32).collect();
        order.sort_unstable_by(|&a, &b| words[a as usize].cmp(&words[b as usize]));
        let mut rank = vec![0u32; words.len()];
        for (r, &id) in order.iter().enumerate() {
            rank[id as usize] = r as u32;
        }
        for (range, remap) in ranges {
            for article in &mut articles[range] {
                for t in article
                    .word_ids
                    .iter_mut()
                    .chain(article.title_ids.iter_mut())
                {
                    *t = rank[remap[*t as usize] as usize];
                }
            }
        }
        let mut slots: Vec<Option<Box<str>>> = words.into_iter().map(Some).collect();
        let words: Vec<Box<str>> = order
            .iter()
            .map(|&id| slots[id as usize].take().unwrap_or_default())
            .collect();
        words
    }

    /// Builds the postings of `articles`, in their final order, whose word ids point into
    /// `words` (sorted, from [`Index::renumber`]).
    pub fn new(words: Vec<Box<str>>, articles: &[Article]) -> Index {
        let mut index = Index::build(words.into(), articles.len(), |a| &articles[a].word_ids);
        index.short = index.short_prefixes();
        index.short_computed = true;
        index
    }

    /// The index of the articles' titles, over the same vocabulary. Titles are short: a
    /// prefix's postings are few, so no prefix sets are computed ahead.
    pub fn titles(&self, articles: &[Article]) -> Index {
        Index::build(Arc::clone(&self.words), articles.len(), |a| {
            &articles[a].title_ids
        })
    }

    fn build<'a>(words: Arc<[Box<str>]>, len: usize, stream: impl Fn(usize) -> &'a [u32]) -> Index {
        // Count each word once per article, then fill: articles are visited in order, so
        // every posting list comes out sorted.
        let mut last = vec![u32::MAX; words.len()];
        let mut counts = vec![0u32; words.len() + 1];
        for a in 0..len {
            for &w in stream(a) {
                if last[w as usize] != a as u32 {
                    last[w as usize] = a as u32;
                    counts[w as usize + 1] += 1;
                }
            }
        }
        for i in 1..counts.len() {
            counts[i] += counts[i - 1];
        }
        let starts = counts;
        let mut postings = vec![0u32; starts.last().copied().unwrap_or(0) as usize];
        let mut next = starts.clone();
        last.fill(u32::MAX);
        for a in 0..len {
            for &w in stream(a) {
                if last[w as usize] != a as u32 {
                    last[w as usize] = a as u32;
                    postings[next[w as usize] as usize] = a as u32;
                    next[w as usize] += 1;
                }
            }
        }
        Index {
            words,
            starts,
            postings,
            short: FxHashMap::default(),
            short_computed: false,
            articles: len,
        }
    }

    /// The article sets of every prefix of one or two characters.
    fn short_prefixes(&self) -> FxHashMap<Box<str>, Bitset> {
        let mut short: FxHashMap<Box<str>, Bitset> = FxHashMap::default();
        for (id, word) in self.words.iter().enumerate() {
            let mut ends = word.char_indices().map(|(i, c)| i + c.len_utf8());
            for end in ends.by_ref().take(SHORT_PREFIX) {
                let set = short
                    .entry(word[..end].into())
                    .or_insert_with(|| Bitset::empty(self.articles));
                for &a in self.postings_of(id) {
                    set.insert(a as usize);
                }
            }
        }
        short
    }

    fn postings_of(&self, word: usize) -> &[u32] {
        let (s, e) = (self.starts[word] as usize, self.starts[word + 1] as usize);
        &self.postings[s..e]
    }

    /// Number of distinct words.
    pub fn vocabulary(&self) -> usize {
        self.words.len()
    }

    pub fn word(&self, id: u32) -> &str {
        self.words.get(id as usize).map_or("", |w| w)
    }

    /// The id of `word` exactly, if it occurs.
    pub fn find(&self, word: &str) -> Option<u32> {
        self.words
            .binary_search_by(|w| (**w).cmp(word))
            .ok()
            .map(|i| i as u32)
    }

    /// The ids of the words starting with `prefix`.
    pub fn prefix_range(&self, prefix: &str) -> std::ops::Range<u32> {
        let lo = self.words.partition_point(|w| &**w < prefix);
        let hi = lo + self.words[lo..].partition_point(|w| w.starts_with(prefix));
        lo as u32..hi as u32
    }

    /// The articles holding a word that starts with `prefix`.
    pub fn articles_with_prefix(&self, prefix: &str) -> Bitset {
        if let Some(set) = self.short.get(prefix) {
            return set.clone();
        }
        let mut set = Bitset::empty(self.articles);
        if self.short_computed && prefix.chars().count() <= SHORT_PREFIX {
            // Every short prefix that occurs is precomputed: this one occurs nowhere.
            return set;
        }
        for w in self.prefix_range(prefix) {
            for &a in self.postings_of(w as usize) {
                set.insert(a as usize);
            }
        }
        set
    }

    /// The articles holding exactly `word`.
    pub fn articles_with_word(&self, word: &str) -> Bitset {
        let mut set = Bitset::empty(self.articles);
        if let Some(id) = self.find(word) {
            for &a in self.postings_of(id as usize) {
                set.insert(a as usize);
            }
        }
        set
    }
}
