//! The parser and loader on real articles: ../shared/seeds when it is beside the project,
//! and always on the embedded sample, so a clone without ../shared still tests real text.

use kiosque::corpus::Precision;
use kiosque::search::catalog::{Catalog, load};
use kiosque::store::load::LoadOptions;
use kiosque::store::sample;

/// (file name prefix, date, precision, title), newest first.
type Expected = (
    &'static str,
    Option<&'static str>,
    Option<Precision>,
    &'static str,
);

fn check(dir_articles: &[kiosque::corpus::Article], expected: &[Expected]) {
    assert_eq!(dir_articles.len(), expected.len());
    for (article, (prefix, date, precision, title)) in dir_articles.iter().zip(expected) {
        let name = article.path.file_name().unwrap().to_string_lossy();
        assert!(name.starts_with(prefix), "{name} is not {prefix}…");
        assert_eq!(article.date.map(|d| d.iso()).as_deref(), *date, "{name}");
        assert_eq!(article.date.map(|d| d.precision), *precision, "{name}");
        assert_eq!(&article.title, title, "{name}");
    }
}

#[test]
fn seeds_parse_and_sort_as_expected() {
    let Some(dir) = crate::common::seeds("the same promises on the embedded sample") else {
        check_the_sample();
        return;
    };
    let corpus = load(&[dir], &LoadOptions::default());
    assert!(
        corpus.corpus.warnings.is_empty(),
        "{:?}",
        corpus.corpus.warnings
    );
    use Precision::{Day, Month};
    check(
        &corpus.corpus.articles,
        &[
            (
                "002_",
                Some("2026-03-06"),
                Some(Day),
                "Sam Altman a publié sur X une note interne concernant l’accord conclu avec l’armée américaine",
            ),
            (
                "001_",
                Some("2026-03-03"),
                Some(Day),
                "Alors que les critiques fusent à l'encontre d'OpenAI, Sam Altman fait son mea culpa.",
            ),
            (
                "000_",
                Some("2026-01-21"),
                Some(Day),
                "Lors d'un échange houleux avec Elon Musk sur les réseaux, Sam Altman a reconnu que combiner utilité et sécurité était un challenge particulièrement complexe.",
            ),
            (
                "003_",
                Some("2023-05"),
                Some(Month),
                "Sam Altman, le patron d’OpenAI qui s’occupe de ChatGPT, réclame un « juste équilibre entre protection et l’impact positif » que peut avoir l’intelligence…",
            ),
            (
                "004_",
                None,
                None,
                "Le feuilleton OpenAI, le père de ChatGPT, continue encore en cette fin de semaine.",
            ),
        ],
    );
    // The undated article opens with a photo credit printed twice: one caption, shown once.
    let undated = kiosque::store::read::body(&corpus.corpus.articles[4]);
    assert!(matches!(
        &undated.blocks[0],
        kiosque::corpus::Block::Caption(c) if c.contains("© Rokas Tenys")
    ));
    assert!(!undated.blocks[1].text().contains('©'));
    // Month-precision title is over 160 characters and cut at a word.
    assert!(corpus.corpus.articles[3].title.chars().count() <= 160);
}

#[test]
fn the_sample_parses_and_sorts_as_expected() {
    check_the_sample();
}

/// The sample's articles: dated by day and month, undated last, a repeated caption shown
/// once, dates never going up the list.
fn check_the_sample() {
    let corpus = Catalog::indexed(sample::corpus());
    assert!(
        corpus.corpus.warnings.is_empty(),
        "{:?}",
        corpus.corpus.warnings
    );
    use Precision::{Day, Month};
    let first_and_last: Vec<Expected> = vec![
        (
            "lunar-lander",
            Some("2026-02-17"),
            Some(Day),
            "A European robotic lander touched down near the Moon's south pole on Tuesday, ending a tense descent that lasted just under 12 minutes.",
        ),
        (
            "velo-lyon",
            Some("2025-06-14"),
            Some(Day),
            "La métropole de Lyon a voté mardi un plan vélo de 40 millions d’euros pour les cinq prochaines années.",
        ),
        (
            "greve-sncf",
            Some("2024-04"),
            Some(Month),
            "Les syndicats de cheminots appellent à une grève SNCF reconductible à partir du 18 avril, en plein cœur des vacances de printemps.",
        ),
    ];
    check(&corpus.corpus.articles[..3], &first_and_last);
    // Undated articles come last, by path; the museum story opens with a repeated caption.
    let n = corpus.corpus.articles.len();
    check(
        &corpus.corpus.articles[n - 2..],
        &[
            (
                "musee-evreux",
                None,
                None,
                "Après trois ans de travaux, le musée Delaunay-Herbelin d’Évreux rouvre ses portes au public ce samedi.",
            ),
            (
                "night-trains",
                None,
                None,
                "Sleeper trains are making a quiet comeback across Europe as travellers look for alternatives to short-haul flights.",
            ),
        ],
    );
    let museum = kiosque::store::read::body(&corpus.corpus.articles[n - 2]);
    assert!(matches!(
        &museum.blocks[0],
        kiosque::corpus::Block::Caption(_)
    ));
    assert!(matches!(
        &museum.blocks[1],
        kiosque::corpus::Block::Paragraph(_)
    ));
    // Dates never go up the list.
    let dates: Vec<_> = corpus
        .corpus
        .articles
        .iter()
        .filter_map(|a| a.date)
        .collect();
    assert!(dates.windows(2).all(|w| w[0].first >= w[1].first));
}

/// The articles most like `name`'s, by both ways kiosque finds them: TF-IDF over the words in
/// memory, and the index kept on disk queried with the article's own words.
fn related_both_ways(dir: &std::path::Path, name: &str) -> (Vec<String>, Vec<String>) {
    let cache = tempfile::tempdir().unwrap();
    let options = LoadOptions {
        cache: Some(cache.path().join("list.bin")),
        ..LoadOptions::default()
    };
    let memory =
        kiosque::search::catalog::relate(load(&[dir.to_path_buf()], &LoadOptions::default()));
    let disk = kiosque::search::catalog::load_indexed(&[dir.to_path_buf()], &options);
    let names = |catalog: &Catalog, found: Vec<usize>| -> Vec<String> {
        found
            .into_iter()
            .map(|i| {
                let path = &catalog.corpus.articles[i].path;
                path.file_name().unwrap().to_string_lossy().into_owned()
            })
            .collect()
    };
    let at = |catalog: &Catalog| {
        catalog
            .corpus
            .articles
            .iter()
            .position(|a| {
                a.path
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with(name)
            })
            .unwrap_or_else(|| panic!("no {name}"))
    };
    let (m, d) = (at(&memory), at(&disk));
    let in_memory = memory
        .related
        .related(m, 5)
        .into_iter()
        .map(|(i, _)| i)
        .collect();
    let body = kiosque::store::read::body(&disk.corpus.articles[d]);
    let text: Vec<&str> = body.blocks.iter().map(|b| b.text()).collect();
    let on_disk = disk
        .disk
        .as_ref()
        .expect("the index on disk")
        .related(&format!("{}\n{}", body.title, text.join("\n")), d, 5)
        .unwrap();
    (names(&memory, in_memory), names(&disk, on_disk))
}

#[test]
fn the_same_story_is_the_first_related_article_either_way() {
    let (dir, pairs): (std::path::PathBuf, &[(&str, &str)]) =
        match crate::common::seeds("the sample's related articles") {
            Some(dir) => (dir, &[("001_", "002_"), ("002_", "001_")]),
            // Without the seeds, the sample has no pair known to be one story.
            None => (
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/sample"),
                &[],
            ),
        };
    for (from, first) in pairs {
        let (memory, disk) = related_both_ways(&dir, from);
        assert!(
            memory[0].starts_with(first),
            "in memory, {from}: {memory:?}"
        );
        assert!(disk[0].starts_with(first), "on disk, {from}: {disk:?}");
    }
    // Whatever the corpus, both ways find something for each article and never itself.
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".txt"))
        .collect();
    for name in &names {
        let (memory, disk) = related_both_ways(&dir, name);
        assert!(!disk.is_empty() && !memory.is_empty(), "{name}");
        assert!(!disk.contains(name) && !memory.contains(name), "{name}");
    }
}
