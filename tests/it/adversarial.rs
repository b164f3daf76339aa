//! The real `kiosque list` on a folder of hostile files: the committed fixtures of
//! `tests/fixtures/adversarial` (escape injections of every kind, legacy and UTF-16 encodings,
//! CRLF, binary, empty and blank files, dates that do not exist), plus what cannot be
//! committed, made at run time: a FIFO, a symbolic link loop, a file name that is not UTF-8
//! and a 12 MB single-line article. Every file must be listed or skipped with its reason,
//! without a hang, and stdout must never carry a control sequence.

#![cfg(unix)]

use std::ffi::OsStr;
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use serde_json::{Value, json};

const TIMEOUT: Duration = Duration::from_secs(60);

/// Words of the 12 MB article: a first sentence of 8 words, then this many `Mot`.
const LONG_REPEATS: usize = 3_000_000;

fn fixtures() -> &'static Path {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/adversarial"
    ))
}

/// The fixtures copied into a fresh folder, with the run-time additions.
fn hostile_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for entry in fs::read_dir(fixtures()).expect("the fixture folder") {
        let entry = entry.expect("a fixture");
        fs::copy(entry.path(), dir.path().join(entry.file_name())).expect("a copy");
    }
    // A FIFO: opening it to read would block forever.
    let fifo = dir.path().join("pipe.txt");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success(), "mkfifo {}", fifo.display());
    // A symbolic link to the folder itself: following it would never end.
    std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).expect("a symlink");
    // A name that is not UTF-8: `caf\xE9.txt` (latin-1 `é`).
    fs::write(
        dir.path().join(OsStr::from_bytes(b"caf\xe9.txt")),
        "date 2020-01-01 Café au nom latin. Suite du texte.\n",
    )
    .expect("a latin-1 file name");
    // 12 MB on a single line.
    let mut long = String::from("date 2019-12-31 Un très long article sur une seule ligne. ");
    long.push_str(&"Mot ".repeat(LONG_REPEATS));
    assert!(long.len() > 12_000_000);
    fs::write(dir.path().join("long.txt"), long).expect("a long file");
    dir
}

fn json_lines(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l:?}")))
        .collect()
}

/// Fails when `out` holds ESC, any C0 control but a newline, DEL, or a C1 control (as a
/// character: U+0080–U+009F, whatever its UTF-8 bytes).
fn assert_no_control(what: &str, out: &[u8]) {
    assert!(
        !out.contains(&0x1b),
        "{what}: ESC byte in the output:\n{}",
        String::from_utf8_lossy(out)
    );
    let text = std::str::from_utf8(out).unwrap_or_else(|e| panic!("{what}: not UTF-8: {e}"));
    for (line, row) in text.lines().enumerate() {
        if let Some(c) = row.chars().find(|&c| c.is_control()) {
            panic!(
                "{what}: control U+{:04X} on line {}: {row:?}",
                u32::from(c),
                line + 1
            );
        }
    }
}

/// Runs `kiosque list ARGS DIR`, which must succeed within the time limit.
fn list(args: &[&str], dir: &Path) -> std::process::Output {
    crate::common::kiosque()
        .arg("list")
        .args(args)
        .arg(dir)
        .timeout(TIMEOUT)
        .assert()
        .success()
        .get_output()
        .clone()
}

#[test]
fn list_json_on_hostile_files() {
    let dir = hostile_folder();
    let root = dir.path().to_str().expect("a UTF-8 temporary path");
    let output = list(&["--json"], dir.path());
    assert_no_control("stdout", &output.stdout);
    let stdout = String::from_utf8(output.stdout.clone()).expect("UTF-8 stdout");
    let stderr = String::from_utf8(output.stderr.clone()).expect("UTF-8 stderr");

    let row = |name: &str, date: Option<&str>, title: &str, words: usize| json!({"path": format!("{root}/{name}"), "date": date, "title": title, "words": words});
    let expected = vec![
        row(
            "bidi.txt",
            Some("2026-03-07"),
            "Facture <U+202E>gpj.exe<U+202C> et <U+2066>isolé<U+2069> <U+200B>caché",
            38,
        ),
        row(
            "c1.txt",
            Some("2026-03-06"),
            "Contrôle <U+009B>31mrouge<U+009B>0m et <U+009D>0;pwned<U+009C> titre",
            41,
        ),
        row(
            "dcs.txt",
            Some("2026-03-05"),
            "Requête ^[P$q\"p^[\\ et sixel ^[Pq#0;2;0;0;0#0~~^[\\ fin",
            45,
        ),
        row(
            "osc52.txt",
            Some("2026-03-04"),
            "Presse-papiers ^[]52;c;aGVsbG8=^G volé",
            39,
        ),
        row(
            "osc8.txt",
            Some("2026-03-03"),
            "Lien ^[]8;;https://evil.example/^[\\cliquez ici^[]8;;^[\\ piégé",
            47,
        ),
        row(
            "osc-title.txt",
            Some("2026-03-02"),
            "Titre ^[]0;pwned^G puis ^[]2;x^[\\ fenêtre",
            42,
        ),
        row(
            "csi.txt",
            Some("2026-03-01"),
            "Alerte ^[[31mrouge^[[0m et ^[[2J^[[H écran effacé",
            47,
        ),
        row(
            "utf16be.txt",
            Some("2025-06-01"),
            "Été caniculaire à Orléans.",
            10,
        ),
        row(
            "utf16le.txt",
            Some("2025-06-01"),
            "Été caniculaire à Besançon.",
            10,
        ),
        row(
            "c1-8bit.txt",
            Some("2025-02-03"),
            "La sécurité <U+009D>0;pwnedœ et <U+0081> contrôle à l’hôpital, où l’on a décidé de réduire les dépenses.",
            23,
        ),
        row(
            "cp1252.txt",
            Some("2024-01-02"),
            "La sécurité « renforcée » à l’hôpital coûte 5 € de plus.",
            29,
        ),
        row(
            "crlf.txt",
            Some("2023-09-15"),
            "Rentrée scolaire sous tension.",
            12,
        ),
        row(
            "lf.txt",
            Some("2023-09-15"),
            "Rentrée scolaire sous tension.",
            12,
        ),
        row(
            "caf\u{FFFD}.txt",
            Some("2020-01-01"),
            "Café au nom latin.",
            7,
        ),
        row(
            "long.txt",
            Some("2019-12-31"),
            "Un très long article sur une seule ligne.",
            8 + LONG_REPEATS,
        ),
        // Undated articles come last, by path: the dates that do not exist were dropped.
        row("impossible-date.txt", None, "Une date impossible.", 7),
        row("month-13.txt", None, "Un treizième mois.", 7),
    ];
    let rows = json_lines(&stdout);
    let names = |rows: &[Value]| -> Vec<String> {
        rows.iter()
            .map(|r| r["path"].as_str().unwrap_or("?").to_owned())
            .collect()
    };
    assert_eq!(
        names(&rows),
        names(&expected),
        "which files, in which order"
    );
    for (got, want) in rows.iter().zip(&expected) {
        assert_eq!(got, want);
    }
    // CRLF line ends read exactly like LF ones.
    let crlf = rows
        .iter()
        .position(|r| r["path"] == format!("{root}/crlf.txt"));
    let lf = rows
        .iter()
        .position(|r| r["path"] == format!("{root}/lf.txt"));
    let (crlf, lf) = (crlf.expect("crlf.txt"), lf.expect("lf.txt"));
    assert_eq!(rows[crlf]["title"], rows[lf]["title"]);
    assert_eq!(rows[crlf]["date"], rows[lf]["date"]);
    assert_eq!(rows[crlf]["words"], rows[lf]["words"]);

    let mut lines: Vec<&str> = stderr.lines().collect();
    lines.sort_unstable();
    let mut expected_stderr = vec![
        format!("kiosque: skipped {root}/binary.txt: binary file (contains NUL bytes)"),
        format!("kiosque: skipped {root}/empty.txt: no text"),
        format!("kiosque: skipped {root}/whitespace.txt: no text"),
        format!("kiosque: skipped {root}/pipe.txt: not a regular file"),
        format!("kiosque: skipped {root}/loop: symbolic link loop"),
        format!(
            "kiosque: note {root}/impossible-date.txt: the date 2026-02-30 does not exist; \
             the article is shown as undated"
        ),
        format!(
            "kiosque: note {root}/month-13.txt: the date 2026-13 does not exist; \
             the article is shown as undated"
        ),
    ];
    expected_stderr.sort_unstable();
    assert_eq!(lines, expected_stderr, "stderr:\n{stderr}");
}

#[test]
fn list_as_text_on_hostile_files() {
    let dir = hostile_folder();
    let root = dir.path().to_str().expect("a UTF-8 temporary path");
    let output = list(&[], dir.path());
    assert_no_control("stdout", &output.stdout);
    assert_no_control("stderr", &output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let rows: Vec<&str> = stdout.lines().collect();
    assert_eq!(rows.len(), 17, "{stdout}");
    assert!(
        rows.contains(&format!("2020-01-01  Café au nom latin.  {root}/caf\u{FFFD}.txt").as_str()),
        "{stdout}"
    );
    assert!(
        rows.contains(
            &format!(
                "2026-03-02  Titre ^[]0;pwned^G puis ^[]2;x^[\\ fenêtre  {root}/osc-title.txt"
            )
            .as_str()
        ),
        "{stdout}"
    );
}

/// A file name is as hostile as a file's text: `kiosque list --json` must not print a C1
/// control from a name raw. JSON can escape it (`\u009b`), so the path still decodes to the
/// exact name for scripts.
#[test]
fn list_json_never_prints_a_c1_control_from_a_file_name() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let name = "rouge\u{9b}31m\u{9d}0;pwned\u{9c}.txt";
    fs::write(dir.path().join(name), "date 2024-01-01 Un nom piégé.\n").expect("a file");
    let output = list(&["--json"], dir.path());
    let stdout = String::from_utf8_lossy(&output.stdout);
    let rows = json_lines(&stdout);
    assert_eq!(rows.len(), 1, "{stdout}");
    assert_eq!(
        rows[0]["path"],
        format!("{}/{name}", dir.path().display()),
        "the path still decodes to the real name"
    );
    assert_no_control("stdout", &output.stdout);
}
