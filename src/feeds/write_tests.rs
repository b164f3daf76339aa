//! Tests of saving feed items as article files.

use std::os::unix::fs::symlink;

use chrono::{DateTime, Duration, FixedOffset, Utc};

use super::*;
use crate::feeds::item::Enclosure;

fn item(id: &str, title: &str, published: &str, body: &str) -> Item {
    Item {
        id: id.into(),
        title: title.into(),
        link: None,
        author: None,
        published: DateTime::parse_from_rfc3339(published).ok(),
        published_guessed: false,
        body: body.into(),
        enclosures: Vec::new(),
    }
}

/// Every file under `dir`, relative, sorted.
fn files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() && !p.is_symlink() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(dir).unwrap().to_string_lossy().into_owned());
            }
        }
    }
    out.sort();
    out
}

const KEY: &str = "https://www.lemonde.fr/rss/une.xml";

#[test]
fn items_are_saved_once_updated_in_place_and_left_alone_when_unchanged() {
    let root = tempfile::tempdir().unwrap();
    let first = item(
        "a-1",
        "Élections : le 2d tour",
        "2026-03-06T08:15:00+01:00",
        "Corps.\n",
    );
    let report = save_items(root.path(), KEY, "Le Monde", std::slice::from_ref(&first)).unwrap();
    assert_eq!((report.new, report.updated, report.unchanged), (1, 0, 0));
    let name = format!(
        "le-monde-{}/2026-03/2026-03-06-elections-le-2d-tour-{}.txt",
        key_hash(KEY),
        id_hash("a-1")
    );
    assert_eq!(files(root.path()), std::slice::from_ref(&name));
    assert_eq!(report.paths, [root.path().join(&name)]);
    let text = fs::read_to_string(root.path().join(&name)).unwrap();
    assert!(
        text.starts_with("date 2026-03-06\nkiosque-article 1\ntitle: Élections : le 2d tour\n"),
        "{text}"
    );
    assert!(text.ends_with("kiosque-article end\nCorps.\n"), "{text}");

    let again = save_items(root.path(), KEY, "Le Monde", std::slice::from_ref(&first)).unwrap();
    assert_eq!((again.new, again.updated, again.unchanged), (0, 0, 1));

    // Changed upstream, retitled and redated into another month: the same file, rewritten.
    let changed = item(
        "a-1",
        "Un autre titre",
        "2026-04-01T08:00:00+02:00",
        "Corps corrigé.\n",
    );
    let report = save_items(root.path(), KEY, "Le Monde renamed", &[changed]).unwrap();
    assert_eq!((report.new, report.updated, report.unchanged), (0, 1, 0));
    assert_eq!(files(root.path()), std::slice::from_ref(&name));
    let text = fs::read_to_string(root.path().join(&name)).unwrap();
    assert!(text.contains("title: Un autre titre\n") && text.ends_with("Corps corrigé.\n"));
}

#[test]
fn the_first_of_two_items_with_one_id_wins() {
    let root = tempfile::tempdir().unwrap();
    let items = [
        item("post-7", "Corrigé", "2026-03-03T10:30:00+01:00", "Bon.\n"),
        item("post-7", "Fautif", "2026-03-03T10:00:00+01:00", "Faute.\n"),
    ];
    let report = save_items(root.path(), KEY, "Flux", &items).unwrap();
    assert_eq!((report.new, report.updated, report.unchanged), (1, 0, 0));
    assert_eq!(report.paths.len(), 1);
    assert!(
        fs::read_to_string(&report.paths[0])
            .unwrap()
            .ends_with("Bon.\n")
    );
}

#[test]
fn hostile_names_never_reach_a_path() {
    let root = tempfile::tempdir().unwrap();
    let long = "x".repeat(10_000);
    let items = [
        item("../../x", "../../x", "2026-03-02T10:00:00+00:00", "a"),
        item(
            "/etc/passwd\0",
            "\u{1b}]0;t\u{7}/..\\",
            "2026-03-02T10:00:00+00:00",
            "b",
        ),
        item(&long, &long, "2026-03-02T10:00:00+00:00", "c"),
        item("東京", "東京", "2026-03-02T10:00:00+00:00", "d"),
    ];
    let report = save_items(root.path(), "../../evil\n", "../..", &items).unwrap();
    assert_eq!(report.new, 4);
    let folder = format!("feed-{}", key_hash("../../evil\n"));
    let expected: Vec<String> = [
        format!("{folder}/2026-03/2026-03-02-x-{}.txt", id_hash("../../x")),
        format!(
            "{folder}/2026-03/2026-03-02-0-t-{}.txt",
            id_hash("/etc/passwd\0")
        ),
        format!(
            "{folder}/2026-03/2026-03-02-{}-{}.txt",
            "x".repeat(60),
            id_hash(&long)
        ),
        format!(
            "{folder}/2026-03/2026-03-02-article-{}.txt",
            id_hash("東京")
        ),
    ]
    .into_iter()
    .collect::<std::collections::BTreeSet<_>>()
    .into_iter()
    .collect();
    assert_eq!(files(root.path()), expected);
}

#[test]
fn slugs_are_folded_ascii_cut_at_a_dash() {
    assert_eq!(
        slug("Élections : le 2d tour !", 60, "a"),
        "elections-le-2d-tour"
    );
    assert_eq!(
        slug("Cœur de bœuf, Noire de Crimée", 15, "a"),
        "coeur-de-boeuf"
    );
    assert_eq!(slug("../..", 10, "feed"), "feed");
    assert_eq!(slug(&"ab".repeat(100), 10, "a"), "ababababab");
}

#[test]
fn a_saved_item_reads_back_with_its_header() {
    let root = tempfile::tempdir().unwrap();
    let mut it = item(
        "ep-42",
        "Épisode 42",
        "2026-03-04T06:00:00+01:00",
        "On regarde le ciel.\n↳ Une légende\n",
    );
    it.link = Some("https://exemple.fr/5".into());
    it.enclosures = vec![Enclosure {
        url: "https://radio.example/42.m4a".into(),
        mime: Some("audio/x-m4a".into()),
        length: Some(89_970_236),
    }];
    let report = save_items(root.path(), KEY, "Radio", &[it]).unwrap();
    let text = fs::read_to_string(&report.paths[0]).unwrap();
    let parsed = crate::store::parse::parse(&text).unwrap();
    assert_eq!(parsed.head.title, "Épisode 42");
    assert_eq!(parsed.head.date.unwrap().iso(), "2026-03-04");
    assert_eq!(
        parsed.blocks,
        [
            crate::corpus::Block::Paragraph("On regarde le ciel.".into()),
            crate::corpus::Block::Caption("Une légende".into()),
            crate::corpus::Block::Paragraph("https://exemple.fr/5".into()),
            crate::corpus::Block::Paragraph("[audio/x-m4a] https://radio.example/42.m4a".into()),
        ]
    );
    let meta = parsed.head.meta.unwrap();
    assert_eq!(meta.enclosures[0].length, Some(89_970_236));
    assert_eq!(meta.feed.as_deref(), Some("Radio"));
}

#[test]
fn an_item_without_body_says_its_title_and_link() {
    let mut it = item("x", "Un lien", "2026-03-04T06:00:00+01:00", "  ");
    it.link = Some("https://exemple.fr/1".into());
    let text = article_text(KEY, "F", &it);
    assert!(
        text.ends_with("kiosque-article end\nUn lien\nhttps://exemple.fr/1\n"),
        "{text}"
    );
    assert_eq!(
        crate::store::parse::parse(&text).unwrap().head.title,
        "Un lien"
    );
}

#[test]
fn retain_deletes_old_unstarred_files_and_nothing_outside() {
    let root = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    let today = Utc::now().with_timezone(&FixedOffset::east_opt(0).unwrap());
    let old = (today - Duration::days(40)).to_rfc3339();
    let items = [
        item("old", "Vieux", &old, "v"),
        item("starred", "Étoilé", &old, "s"),
        item("new", "Neuf", &today.to_rfc3339(), "n"),
    ];
    let report = save_items(root.path(), KEY, "F", &items).unwrap();
    // A link inside the feed folder to a file and a folder outside it, both "old".
    let victim = outside.path().join("2000-01-01-victim.txt");
    fs::write(&victim, "keep me").unwrap();
    let feed = report.paths[0]
        .parent()
        .unwrap()
        .parent()
        .unwrap()
        .to_path_buf();
    let month = report.paths[0].parent().unwrap();
    symlink(&victim, month.join("2000-01-01-link.txt")).unwrap();
    symlink(outside.path(), feed.join("2000-01")).unwrap();
    let starred = report.paths[1].clone();
    let deleted = retain(root.path(), KEY, Duration::days(30), |p| p == starred).unwrap();
    assert_eq!(deleted, 1);
    assert!(!report.paths[0].exists());
    assert!(report.paths[1].exists() && report.paths[2].exists());
    assert_eq!(fs::read_to_string(&victim).unwrap(), "keep me");
    assert_eq!(
        retain(
            root.path(),
            "https://other.example/",
            Duration::days(0),
            |_| false
        )
        .unwrap(),
        0
    );
}

#[test]
fn a_feed_with_duplicate_guids_saves_each_item_once_and_again_nothing() {
    let bytes = fs::read(format!(
        "{}/tests/fixtures/feeds/duplicate-guids.xml",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let now = DateTime::parse_from_rfc3339("2026-03-06T12:00:00+01:00").unwrap();
    let doc =
        crate::feeds::parse::parse_feed(&bytes, None, "https://double.example/rss", now).unwrap();
    let root = tempfile::tempdir().unwrap();
    let first = save_items(
        root.path(),
        "https://double.example/rss",
        "Double",
        &doc.items,
    )
    .unwrap();
    assert_eq!((first.new, first.updated, first.unchanged), (3, 0, 0));
    assert!(
        fs::read_to_string(&first.paths[0])
            .unwrap()
            .contains("Le texte corrigé.")
    );
    let again = save_items(
        root.path(),
        "https://double.example/rss",
        "Double",
        &doc.items,
    )
    .unwrap();
    assert_eq!((again.new, again.updated, again.unchanged), (0, 0, 3));
    assert_eq!(again.paths, first.paths);
    assert_eq!(files(root.path()).len(), 3);
}

#[test]
fn an_undated_item_keeps_the_date_it_was_first_seen() {
    let root = tempfile::tempdir().unwrap();
    let mut it = item(
        "sans-date",
        "Sans date",
        "2026-03-06T12:00:00+01:00",
        "Corps.",
    );
    it.published_guessed = true;
    let first = save_items(root.path(), KEY, "F", std::slice::from_ref(&it)).unwrap();
    it.published = DateTime::parse_from_rfc3339("2026-03-07T09:00:00+01:00").ok();
    let again = save_items(root.path(), KEY, "F", std::slice::from_ref(&it)).unwrap();
    assert_eq!((again.new, again.updated, again.unchanged), (0, 0, 1));
    let text = fs::read_to_string(&first.paths[0]).unwrap();
    assert!(text.starts_with("date 2026-03-06\n"), "{text}");
    // A date the feed gives is its own: a changed one is saved.
    it.published_guessed = false;
    let dated = save_items(root.path(), KEY, "F", &[it]).unwrap();
    assert_eq!(dated.updated, 1);
    assert!(
        fs::read_to_string(&first.paths[0])
            .unwrap()
            .starts_with("date 2026-03-07\n")
    );
}
