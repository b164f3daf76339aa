//! `kiosque list -q` without walking the folders: the list and its words as the list cache
//! and the index kept on disk last saw them, when nothing changed since.
//!
//! Nothing changed when every folder walked then has the same stamp (no file in it was
//! added, removed or renamed) and so has every file (none was rewritten in place). That is
//! one look per folder and per file, where the full check also lists every folder, matches
//! the files found to the cache and brings the index up to date: at 100,000 articles, the
//! answer comes in a quarter of the time (0.12 s, was 0.5 s; BENCHMARKS.md).

use crate::search::catalog::{Catalog, disk_as_is};
use crate::search::disk::dir_for;
use crate::store::load::LoadOptions;
use crate::store::remembered::from_cache_unchanged;

/// The catalog as the caches last saw it, its words answered by the index on disk, when no
/// file or folder has changed since (see the module). `None` sends the caller to the full
/// check: no cache, anything changed, an index that does not hold nearly every article as
/// the list cache saw it.
pub fn load(options: &LoadOptions) -> Option<Catalog> {
    let dir = dir_for(options.cache.as_deref()?);
    if !dir.exists() {
        return None;
    }
    let (corpus, stamps) = from_cache_unchanged(options)?;
    let mut catalog = Catalog::listed(corpus);
    // The few articles the index does not hold as they are (`kiosque list` checks the files
    // without the index) are read by the query itself; more, and the full check brings the
    // index up to date.
    let (snapshot, known) = disk_as_is(&catalog, &dir, &stamps)?;
    catalog.answer_from(snapshot, known);
    Some(catalog)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::catalog::{load_indexed, load_list};
    use crate::search::query::Query;
    use crate::store::marks::Marks;
    use crate::store::remembered::{from_cache, still_as_remembered};
    use std::path::{Path, PathBuf};
    use std::time::{Duration, SystemTime};

    /// Dates every file and folder under `root` an hour back, as a folder left alone is:
    /// stamps that recent would not be kept (see `walk::find`).
    fn settle(root: &Path) {
        let then = SystemTime::now() - Duration::from_secs(3600);
        for entry in walkdir::WalkDir::new(root).contents_first(true) {
            let entry = entry.unwrap();
            let file = std::fs::File::open(entry.path()).unwrap();
            file.set_modified(then).unwrap();
        }
    }

    fn titles(catalog: &Catalog, query: &str) -> Vec<String> {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        let query = Query::parse(query, today).unwrap();
        query
            .filter(catalog, &Marks::default())
            .into_iter()
            .map(|i| catalog.corpus.articles[i].title.clone())
            .collect()
    }

    struct Folder {
        _dir: tempfile::TempDir,
        roots: Vec<PathBuf>,
        options: LoadOptions,
    }

    fn folder() -> Folder {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("articles");
        for (name, text) in [
            (
                "2026/a.txt",
                "date 2026-03-06 Un zeppelin au-dessus de Paris.",
            ),
            ("2026/b.txt", "date 2026-03-05 La pluie."),
            ("2025/c.txt", "date 2025-01-21 Le beau temps."),
        ] {
            let path = root.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        settle(&root);
        let options = LoadOptions {
            cache: Some(dir.path().join("cache").join("list.bin")),
            ..LoadOptions::default()
        };
        Folder {
            roots: vec![root],
            options,
            _dir: dir,
        }
    }

    #[test]
    fn the_caches_answer_while_no_folder_changed() {
        let f = folder();
        assert!(load(&f.options).is_none(), "nothing cached yet");
        let checked = load_indexed(&f.roots, &f.options);
        let trusted = load(&f.options).expect("answered from the caches");
        assert_eq!(trusted.corpus.articles.len(), 3);
        assert_eq!(titles(&trusted, "zeppelin"), titles(&checked, "zeppelin"));
        assert_eq!(
            titles(&trusted, "zeppelin"),
            ["Un zeppelin au-dessus de Paris."]
        );
    }

    #[test]
    fn a_file_added_removed_or_renamed_changes_its_folder_and_the_files_are_checked() {
        let f = folder();
        let root = &f.roots[0];
        load_indexed(&f.roots, &f.options);
        std::fs::write(
            root.join("2025/d.txt"),
            "date 2025-02-01 Un autre zeppelin.",
        )
        .unwrap();
        assert!(load(&f.options).is_none(), "a file was added");
        // Checked: the new stamps are kept once the folder has settled.
        settle(root);
        load_indexed(&f.roots, &f.options);
        let trusted = load(&f.options).expect("answered from the caches");
        assert_eq!(titles(&trusted, "zeppelin").len(), 2);

        std::fs::rename(root.join("2025/d.txt"), root.join("2025/e.txt")).unwrap();
        assert!(load(&f.options).is_none(), "a file was renamed");
        settle(root);
        load_indexed(&f.roots, &f.options);
        std::fs::remove_file(root.join("2025/e.txt")).unwrap();
        assert!(load(&f.options).is_none(), "a file was removed");
    }

    #[test]
    fn a_folder_changed_just_before_the_check_is_not_vouched_for() {
        let f = folder();
        std::fs::write(f.roots[0].join("2026/d.txt"), "date 2026-01-01 Neuf.").unwrap();
        // Changed a moment ago: it may change again within the same tick of the clock.
        load_indexed(&f.roots, &f.options);
        assert!(load(&f.options).is_none());
    }

    #[test]
    fn a_file_rewritten_in_place_is_seen() {
        let f = folder();
        load_indexed(&f.roots, &f.options);
        assert!(load(&f.options).is_some());
        // Rewritten in place: its folder is as it was, the file is not.
        let b = f.roots[0].join("2026/b.txt");
        std::fs::write(&b, "date 2026-03-05 Un zeppelin sous la pluie.").unwrap();
        assert!(load(&f.options).is_none());
        // `kiosque list` checks the files without the index: the list cache knows the new
        // version of the file, the index the old one. That document does not count: the
        // article is read by the query instead.
        load_list(&f.roots, &f.options);
        let trusted = load(&f.options).expect("answered from the caches");
        assert_eq!(titles(&trusted, "zeppelin").len(), 2);
        assert_eq!(titles(&trusted, "pluie"), ["Un zeppelin sous la pluie."]);
    }

    #[test]
    fn the_reader_s_list_from_the_cache_is_vouched_for_the_same_way() {
        let f = folder();
        let root = &f.roots[0];
        load_indexed(&f.roots, &f.options);
        let (corpus, remembered) = from_cache(&f.options).unwrap();
        assert_eq!(remembered.stamps.len(), corpus.articles.len());
        assert!(still_as_remembered(&f.options, &remembered));
        std::fs::write(root.join("2026/b.txt"), "date 2026-03-05 Grêle.").unwrap();
        assert!(!still_as_remembered(&f.options, &remembered), "in place");

        settle(root);
        load_indexed(&f.roots, &f.options);
        let (_, remembered) = from_cache(&f.options).unwrap();
        std::fs::write(root.join("2026/new.txt"), "Nouveau.").unwrap();
        assert!(!still_as_remembered(&f.options, &remembered), "added");

        // Another kiosque checked the files since and wrote the cache again: the list
        // shown is older than the cache, whatever the files say.
        settle(root);
        let (_, remembered) = from_cache(&f.options).unwrap();
        load_indexed(&f.roots, &f.options);
        assert!(
            load(&f.options).is_some(),
            "the files are as the new cache says"
        );
        assert!(
            !still_as_remembered(&f.options, &remembered),
            "another cache"
        );
    }

    #[test]
    fn without_a_cache_folder_or_an_index_the_files_are_checked() {
        let f = folder();
        assert!(load(&LoadOptions::default()).is_none());
        load_indexed(&f.roots, &f.options);
        let index = dir_for(f.options.cache.as_deref().unwrap());
        std::fs::remove_dir_all(index).unwrap();
        assert!(load(&f.options).is_none(), "no index");
    }
}
