//! The sample corpus compiled into the binary, so `kiosque` with no argument shows something
//! real wherever it is installed.

use std::path::PathBuf;

use include_dir::{Dir, include_dir};

use crate::corpus::Corpus;

static SAMPLE: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/assets/sample");

/// The sample articles, read through the same parser as files on disk.
pub fn corpus() -> Corpus {
    let mut files: Vec<_> = SAMPLE
        .files()
        .filter(|f| f.path().extension().is_some_and(|e| e == "txt"))
        .map(|f| (PathBuf::from("sample").join(f.path()), f.contents()))
        .collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    crate::store::read::from_memory(files)
}

#[cfg(test)]
mod tests {
    use crate::corpus::Precision;

    #[test]
    fn the_sample_is_varied_and_loads_cleanly() {
        let corpus = super::corpus();
        assert!(corpus.articles.len() >= 12, "{}", corpus.articles.len());
        assert!(corpus.warnings.is_empty(), "{:?}", corpus.warnings);
        let months = corpus
            .articles
            .iter()
            .filter(|a| a.date.is_some_and(|d| d.precision == Precision::Month))
            .count();
        let undated = corpus.articles.iter().filter(|a| a.date.is_none()).count();
        assert!(
            months >= 1 && undated >= 1,
            "{months} months, {undated} undated"
        );
        assert!(corpus.articles.iter().all(|a| a.path.starts_with("sample")));
    }
}
