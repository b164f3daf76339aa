//! A start that draws before it checks: the reader shows the list the list cache kept at
//! once, then looks at the files behind it and applies what changed while it was closed
//! (new, changed and deleted files), the selection staying on its article.

use std::fs;

use crate::common::screen::{ShownRow, expect, list_rows, status_line};
use crate::common::tmux::Tmux;
use crate::common::{KIOSQUE, shell_quote};

fn titles(rows: &[ShownRow]) -> Vec<String> {
    rows.iter()
        .map(|r| format!("{} {}", r.date, r.title))
        .collect()
}

/// A folder `news` holding `files` (name, text), in a temporary folder kept alive with it.
fn folder(files: &[(&str, &str)]) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let news = dir.path().join("news");
    fs::create_dir_all(&news).unwrap();
    for (name, text) in files {
        fs::write(news.join(name), text).unwrap();
    }
    (dir, news)
}

/// Starts kiosque on `news` and waits for its `rows` articles.
fn start_on(term: &Tmux, news: &std::path::Path, rows: usize) {
    term.send_line(&format!(
        "{} {}",
        shell_quote(KIOSQUE),
        shell_quote(&news.to_string_lossy())
    ));
    expect(term, "the list", |s| {
        crate::common::screen::ensure(list_rows(s).len() == rows, || "not listed".to_owned())
    });
}

#[test]
fn files_changed_while_closed_are_applied_after_the_list_from_the_cache() {
    let term = Tmux::start(100, 24);
    let (_dir, news) = folder(&[
        ("a.txt", "date 2026-03-01 Premier article.\nTexte."),
        ("b.txt", "date 2026-03-02 Deuxième article.\nTexte."),
        ("c.txt", "date 2026-03-03 Troisième article.\nTexte."),
    ]);
    // A first start fills the list cache.
    start_on(&term, &news, 3);
    term.send_keys(&["q"]);
    expect(&term, "the shell back", |s| {
        crate::common::screen::ensure(
            s.lines().filter(|l| l.starts_with("PROMPT$")).count() >= 2,
            || "still running".to_owned(),
        )
    });
    // While kiosque is closed: one deleted, one changed, one new.
    fs::remove_file(news.join("b.txt")).unwrap();
    fs::write(
        news.join("c.txt"),
        "date 2026-03-03 Troisième, revu.\nTexte revu.",
    )
    .unwrap();
    fs::write(
        news.join("d.txt"),
        "date 2026-03-04 Quatrième article.\nZeppelin.",
    )
    .unwrap();
    term.send_line(&format!(
        "{} {}",
        shell_quote(KIOSQUE),
        shell_quote(&news.to_string_lossy())
    ));
    let screen = expect(&term, "the files as they are now", |s| {
        let shown = titles(&list_rows(s));
        crate::common::screen::ensure(
            shown
                == [
                    "2026-03-04 Quatrième article.",
                    "2026-03-03 Troisième, revu.",
                    "2026-03-01 Premier article.",
                ],
            || format!("{shown:?}"),
        )
    });
    assert!(status_line(&screen).contains("3 articles"), "{screen}");
    // The new file's words are searchable once the check is done.
    term.send_keys(&["/"]);
    term.send_text("zeppelin");
    expect(&term, "the new article found by a word", |s| {
        crate::common::screen::ensure(list_rows(s).len() == 1, || "not found".to_owned())
    });
    term.send_keys(&["Escape"]);
    term.send_keys(&["q"]);
}

#[test]
fn r_reads_the_folders_again_for_files_added_while_it_runs() {
    let term = Tmux::start(100, 24);
    let (_dir, news) = folder(&[
        ("a.txt", "date 2026-03-01 Premier article.\nTexte."),
        ("b.txt", "date 2026-03-02 Deuxième article.\nTexte."),
    ]);
    start_on(&term, &news, 2);
    term.send_keys(&["j"]);
    fs::write(
        news.join("c.txt"),
        "date 2026-03-03 Troisième, ajouté.\nZeppelin.",
    )
    .unwrap();
    term.send_keys(&["r"]);
    let screen = expect(&term, "the file added while kiosque ran", |s| {
        crate::common::screen::ensure(list_rows(s).len() == 3, || "not added".to_owned())
    });
    let selected: Vec<String> = list_rows(&screen)
        .into_iter()
        .filter(|r| r.selected)
        .map(|r| r.title)
        .collect();
    assert_eq!(selected, ["Premier article."], "{screen}");
    term.send_keys(&["q"]);
}
