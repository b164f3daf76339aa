//! `kiosque` run as a program: the `list` command for scripts, its exit codes and stderr.

use std::path::Path;
use std::process::{Command, Stdio};

use predicates::prelude::*;
use serde_json::Value;

use crate::common::{Kiosque, kiosque, seeds};

fn json_lines(output: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(output)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON object per line"))
        .collect()
}

#[test]
fn list_json_on_the_sample() {
    let out = kiosque().args(["list", "--json"]).assert().success();
    let rows = json_lines(&out.get_output().stdout);
    assert_eq!(rows.len(), 14);
    assert_eq!(
        rows[0],
        serde_json::json!({
            "path": "sample/lunar-lander-south-pole-2026.txt",
            "date": "2026-02-17",
            "title": "A European robotic lander touched down near the Moon's south pole on Tuesday, ending a tense descent that lasted just under 12 minutes.",
            "words": 326,
        })
    );
    assert_eq!(rows[2]["date"], "2024-04");
    assert_eq!(rows[13]["date"], Value::Null);
    assert!(rows.iter().all(|r| r["words"].as_u64().unwrap() > 100));
}

#[test]
fn list_json_on_the_seeds() {
    let Some(seeds) = seeds("the order of the embedded sample's dated and undated articles") else {
        // The same promises on the sample: newest first, month dates, undated last.
        let out = kiosque()
            .args(["list", "--json"])
            .assert()
            .success()
            .stderr("");
        let rows = json_lines(&out.get_output().stdout);
        let dates: Vec<Option<&str>> = rows.iter().map(|r| r["date"].as_str()).collect();
        assert_eq!(
            &dates[..3],
            [Some("2026-02-17"), Some("2025-06-14"), Some("2024-04")]
        );
        assert_eq!(&dates[dates.len() - 2..], [None, None]);
        return;
    };
    let out = kiosque()
        .args(["list", "--json"])
        .arg(&seeds)
        .assert()
        .success()
        .stderr("");
    let rows = json_lines(&out.get_output().stdout);
    let dates: Vec<_> = rows.iter().map(|r| r["date"].clone()).collect();
    assert_eq!(
        dates,
        ["2026-03-06", "2026-03-03", "2026-01-21", "2023-05"]
            .map(Value::from)
            .into_iter()
            .chain([Value::Null])
            .collect::<Vec<_>>()
    );
    assert!(
        rows[4]["path"]
            .as_str()
            .unwrap()
            .ends_with("004_fb59310a6e7e8ae2.txt")
    );
    assert_eq!(
        rows[4]["title"],
        "Le feuilleton OpenAI, le père de ChatGPT, continue encore en cette fin de semaine."
    );
}

#[test]
fn list_text_rows_and_query() {
    kiosque()
        .args(["list", "--query", "CANICULE 2020"])
        .assert()
        .success()
        .stdout(
            "2020-08-28  En Bourgogne, les vendanges commencent avec près de trois semaines d'avance après un été marqué par la canicule.  sample/vendanges-bourgogne-2020.txt\n",
        );
}

#[test]
fn an_invalid_query_exits_2_and_says_why() {
    kiosque()
        .args(["list", "-q", "2026-13"])
        .assert()
        .code(2)
        .stdout("")
        .stderr("kiosque: invalid query: there is no month 13 in “2026-13”\n");
}

#[test]
fn every_malformed_query_exits_2_with_the_filter_pane_message() {
    for (query, message) in [
        (
            "\"unclosed",
            "the quote in \"unclosed is never closed: add \" at its end",
        ),
        (
            "title:",
            "“title:” needs something after it, as in title:otan",
        ),
        ("2026-13..", "there is no month 13 in “2026-13”"),
        (
            "OR velo",
            "OR needs a word or phrase on each side, as in otan OR onu",
        ),
        (
            "is:lu",
            "unknown state “lu”: write is:unread, is:read or is:starred",
        ),
    ] {
        kiosque()
            .args(["list", "-q", query])
            .assert()
            .code(2)
            .stdout("")
            .stderr(format!("kiosque: invalid query: {message}\n"));
    }
}

/// The paths `kiosque list` prints for `query` on the sample.
fn listed(query: &str, state: &Path) -> Vec<String> {
    let out = kiosque()
        .env("XDG_STATE_HOME", state)
        .args(["list", "--json", "-q", query])
        .assert()
        .success();
    json_lines(&out.get_output().stdout)
        .iter()
        .map(|row| row["path"].as_str().unwrap_or("").to_owned())
        .collect()
}

#[test]
fn the_query_language_works_in_list() {
    let state = tempfile::tempdir().expect("a state folder");
    let state = state.path();
    assert_eq!(
        listed("\"plan velo\"", state),
        ["sample/velo-lyon-plan-2025.txt"]
    );
    assert_eq!(
        listed("title:lyon", state),
        ["sample/velo-lyon-plan-2025.txt"]
    );
    let lyon = listed("lyon", state);
    assert_eq!(lyon.len(), 2, "{lyon:?}");
    assert_eq!(
        listed("lyon -title:lyon", state),
        ["sample/greve-sncf-avril-2024.txt"]
    );
    assert_eq!(listed("canicule OR vendanges until:2019", state).len(), 1);
    // Nothing is read yet in a fresh state.
    assert_eq!(listed("is:unread", state).len(), 14);
    assert!(listed("is:read", state).is_empty());
    assert!(listed("is:starred", state).is_empty());
}

#[test]
fn marks_move_between_machines_with_export_and_import() {
    // Machine A reads two articles: their marks, as an export would carry them, are written
    // by marking them through the state file itself.
    let a = tempfile::tempdir().expect("a state folder");
    let b = tempfile::tempdir().expect("another");
    let file = a.path().join("marks.json");
    kiosque()
        .env("XDG_STATE_HOME", a.path())
        .args(["state", "export"])
        .arg(&file)
        .assert()
        .success()
        .stdout(format!(
            "0 read and 0 starred written to {}\n",
            file.display()
        ));
    // A file that is not an export is refused with a reason, and nothing changes.
    let junk = a.path().join("junk.json");
    std::fs::write(&junk, "{ not json").expect("a junk file");
    kiosque()
        .env("XDG_STATE_HOME", b.path())
        .args(["state", "import"])
        .arg(&junk)
        .assert()
        .failure()
        .stderr(predicate::str::contains("is not a kiosque state file"));
    kiosque()
        .env("XDG_STATE_HOME", b.path())
        .args(["state", "import"])
        .arg(a.path().join("missing.json"))
        .assert()
        .failure()
        .stderr(predicate::str::starts_with("kiosque: "));
    kiosque()
        .env("XDG_STATE_HOME", b.path())
        .args(["state", "import"])
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "you now have 0 read and 0 starred",
        ));
}

#[test]
fn show_prints_one_article_as_the_reader_lays_it_out() {
    let dir = tempfile::tempdir().expect("a folder");
    let file = dir.path().join("a.txt");
    std::fs::write(
        &file,
        "date 2026-03-06 Un titre. Un paragraphe assez long pour passer à la ligne : voilà « ceci » et 1 000 euros.\n• un point",
    )
    .expect("an article");
    let out = kiosque()
        .env("LC_ALL", "fr_FR.UTF-8")
        .args(["show", "--width", "24"])
        .arg(&file)
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    // The date in long form, in the language of the locale.
    assert!(text.starts_with("Un titre.\n6 mars 2026 · "), "{text}");
    let english = kiosque()
        .env("LC_ALL", "")
        .env("LANG", "en_GB.UTF-8")
        .args(["show", "--width", "24"])
        .arg(&file)
        .assert()
        .success();
    let english = String::from_utf8_lossy(&english.get_output().stdout).into_owned();
    assert!(
        english.starts_with("Un titre.\n6 March 2026 · "),
        "{english}"
    );
    assert!(text.contains("\n• un point\n"), "{text}");
    assert!(
        !text.contains('\u{1b}'),
        "no escape codes in a pipe: {text:?}"
    );
    for line in text.lines().skip(2) {
        assert!(line.chars().count() <= 24, "{line:?} is wider than 24");
        assert!(!line.starts_with(':') && !line.ends_with('«'), "{line:?}");
    }
    assert!(text.contains("1 000"), "{text}");
}

#[test]
fn show_refuses_what_is_not_one_readable_article() {
    let dir = tempfile::tempdir().expect("a folder");
    kiosque()
        .arg("show")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "is a folder: show takes one article file",
        ));
    let binary = dir.path().join("b.txt");
    std::fs::write(&binary, b"\x00\x01\x02binary\x00").expect("a file");
    kiosque()
        .arg("show")
        .arg(&binary)
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::starts_with("kiosque: skipped "));
    kiosque()
        .args(["show", "--width", "3"])
        .arg(&binary)
        .assert()
        .code(2);
}

#[test]
fn show_never_passes_an_escape_sequence_through() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/adversarial");
    for name in [
        "osc-title.txt",
        "osc52.txt",
        "osc8.txt",
        "csi.txt",
        "dcs.txt",
        "c1.txt",
    ] {
        let out = kiosque()
            .arg("show")
            .arg(fixtures.join(name))
            .assert()
            .success();
        let stdout = &out.get_output().stdout;
        assert!(!stdout.contains(&0x1b), "{name}: an ESC reached stdout");
        assert!(
            !String::from_utf8_lossy(stdout)
                .chars()
                .any(|c| ('\u{80}'..='\u{9f}').contains(&c)),
            "{name}: a C1 control reached stdout"
        );
    }
}

#[test]
fn skipped_files_are_reported_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("good.txt"), "date 2024-01-02 Bon article.").unwrap();
    std::fs::write(dir.path().join("empty.txt"), "").unwrap();
    let missing = dir.path().join("absent");
    let out = kiosque()
        .arg("list")
        .arg(dir.path())
        .arg(&missing)
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    let empty = dir.path().join("empty.txt");
    assert!(
        stderr.contains(&format!("kiosque: skipped {}: no text\n", empty.display())),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "kiosque: skipped {}: no such file or folder\n",
            missing.display()
        )),
        "{stderr}"
    );
    assert!(String::from_utf8_lossy(&out.get_output().stdout).contains("Bon article."));
}

#[test]
fn nothing_to_list_because_of_errors_exits_1() {
    kiosque()
        .args(["list", "/nonexistent/kiosque-test"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no such file or folder"));
}

#[test]
fn the_reader_refuses_to_run_without_a_terminal() {
    kiosque()
        .assert()
        .code(2)
        .stderr(predicate::str::contains("use `kiosque list`"));
}

/// A folder of `n` short dated articles with long titles, for output longer than a pipe holds.
fn many_articles(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a folder");
    for i in 0..n {
        std::fs::write(
            dir.path().join(format!("{i:05}.txt")),
            format!(
                "date 2024-{:02}-{:02} Article numéro {i}, dont le titre est assez long pour \
                 remplir une ligne entière de la sortie de kiosque list. Suite.",
                i % 12 + 1,
                i % 28 + 1
            ),
        )
        .expect("an article");
    }
    dir
}

/// The size of the kernel's pipe buffer on Linux: output beyond it blocks until read.
const PIPE_BUFFER: usize = 64 * 1024;

#[test]
fn a_closed_pipe_ends_quietly() {
    let articles = many_articles(2_000);
    for format in [&["--json"][..], &[]] {
        // Read whole, the output is several times what a pipe holds...
        let whole = kiosque()
            .arg("list")
            .args(format)
            .arg(articles.path())
            .assert()
            .success();
        let size = whole.get_output().stdout.len();
        assert!(size > 4 * PIPE_BUFFER, "{format:?}: only {size} bytes");
        // ...so when the reader reads one line and hangs up, like `| head -1`, kiosque is
        // still writing, and its next write fails with a broken pipe: it must end with
        // success and say nothing.
        let home = crate::common::Home::new();
        let mut child = home
            .command()
            .arg("list")
            .args(format)
            .arg(articles.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("kiosque starts");
        let mut stdout = std::io::BufReader::new(child.stdout.take().expect("its stdout"));
        let mut line = String::new();
        std::io::BufRead::read_line(&mut stdout, &mut line).expect("a first line");
        assert!(line.contains("Article numéro"), "{line:?}");
        drop(stdout);
        let output = child.wait_with_output().expect("kiosque ends");
        assert!(output.status.success(), "{format:?}: {:?}", output.status);
        assert_eq!(String::from_utf8_lossy(&output.stderr), "", "{format:?}");
    }
}

#[test]
fn help_and_version() {
    kiosque()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("kiosque list"));
    kiosque()
        .arg("--version")
        .assert()
        .success()
        .stdout(format!("kiosque {}\n", env!("CARGO_PKG_VERSION")));
}

/// `kiosque` with `config` as its config file.
fn with_config(config: &str) -> Kiosque {
    let cmd = kiosque();
    cmd.home.write_config(config);
    cmd
}

#[test]
fn config_default_prints_the_commented_defaults_which_read_back() {
    let out = kiosque().args(["config", "--default"]).assert().success();
    let default = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(default.starts_with("# kiosque's configuration file"));
    // The printed file, used as a config file, gives the same settings as none at all.
    let mut cmd = with_config(&default);
    let with_default = cmd.arg("config").assert().success();
    let empty = tempfile::tempdir().expect("a folder");
    let without = kiosque()
        .env("XDG_CONFIG_HOME", empty.path())
        .arg("config")
        .assert()
        .success();
    let settings = |out: &[u8]| {
        String::from_utf8_lossy(out)
            .lines()
            .skip_while(|l| l.starts_with('#'))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(
        settings(&with_default.get_output().stdout),
        settings(&without.get_output().stdout)
    );
}

#[test]
fn a_bad_config_stops_kiosque_with_its_line() {
    for (config, message) in [
        (
            "width = 80\ncolr = true\n",
            ", line 2: unknown field `colr`",
        ),
        ("width = \"wide\"\n", ", line 1: invalid type"),
        (
            "[keys]\nnext-article = \"j\"\nquit = \"j\"\n",
            ", line 3: j would do two things: “next-article” and “quit”",
        ),
    ] {
        for args in [&["list"][..], &["config"], &[]] {
            let mut cmd = with_config(config);
            cmd.args(args)
                .assert()
                .code(2)
                .stdout("")
                .stderr(predicate::str::contains(message));
        }
    }
}

#[test]
fn the_config_s_paths_open_when_none_is_given() {
    let articles = tempfile::tempdir().expect("a folder");
    std::fs::write(
        articles.path().join("a.txt"),
        "date 2026-03-06 Un article à moi.",
    )
    .expect("an article");
    let mut cmd = with_config(&format!(
        "paths = [\"{}\"]\ndates = \"fr\"\nwidth = 30\n",
        articles.path().display()
    ));
    cmd.arg("list")
        .assert()
        .success()
        .stdout(predicate::str::starts_with("2026-03-06  Un article à moi."));
    // `show` writes dates as the config asks, at its width in a pipe.
    let mut cmd = with_config("dates = \"fr\"\nwidth = 30\n");
    let out = cmd
        .arg("show")
        .arg(articles.path().join("a.txt"))
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(text.contains("\n6 mars 2026 · "), "{text}");
}

#[test]
fn completions_and_man_page_are_generated() {
    for shell in ["bash", "zsh", "fish"] {
        let out = kiosque().args(["completions", shell]).assert().success();
        let script = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
        for word in ["list", "show", "state", "config", "no-color", "hyphenate"] {
            assert!(script.contains(word), "{shell} completion lacks {word}");
        }
    }
    // The bash script is valid bash.
    let out = kiosque().args(["completions", "bash"]).assert().success();
    let dir = tempfile::tempdir().expect("a folder");
    let file = dir.path().join("kiosque.bash");
    std::fs::write(&file, &out.get_output().stdout).expect("the script");
    let syntax = Command::new("bash")
        .arg("-n")
        .arg(&file)
        .status()
        .expect("bash runs");
    assert!(syntax.success(), "bash -n rejects the completion script");

    let out = kiosque().arg("man").assert().success();
    let page = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        page.starts_with(".ie") && page.contains(".TH kiosque 1"),
        "{page}"
    );
    for word in ["list", "show", "\\-\\-max\\-size"] {
        assert!(page.contains(word), "the man page lacks {word}");
    }
    kiosque().args(["completions", "tcsh"]).assert().code(2);
}

/// The rows `kiosque list` prints (text), with their paths.
fn list_paths(args: &[&str]) -> Vec<String> {
    let out = kiosque()
        .arg("list")
        .args(args)
        .assert()
        .success()
        .stderr("");
    String::from_utf8_lossy(&out.get_output().stdout)
        .lines()
        .map(|l| l.rsplit("  ").next().unwrap_or("").to_owned())
        .collect()
}

/// A query may start with `-` (an exclusion) however it is written on the command line:
/// `-q -word`, `--query=-word`, `--query -"a phrase" …`. clap must not take it for an option.
#[test]
fn a_query_starting_with_a_minus_excludes_through_the_binary() {
    let all = list_paths(&[]);
    assert_eq!(all.len(), 14);
    let lyon = list_paths(&["-q", "lyon"]);
    assert_eq!(
        lyon,
        [
            "sample/velo-lyon-plan-2025.txt",
            "sample/greve-sncf-avril-2024.txt"
        ]
    );
    let others: Vec<String> = all.iter().filter(|p| !lyon.contains(p)).cloned().collect();
    for args in [
        &["-q", "-lyon"][..],
        &["--query", "-lyon"],
        &["--query=-lyon"],
        &["-q-lyon"],
    ] {
        assert_eq!(list_paths(args), others, "{args:?}");
    }

    // An excluded phrase beside a date: only the phrase as written is excluded.
    let dir = tempfile::tempdir().expect("a folder");
    for (name, text) in [
        (
            "phrase.txt",
            "date 2026-03-06 Une note interne fuite. Le texte de la note interne suit.",
        ),
        (
            "words.txt",
            "date 2026-02-01 Une note de service. Le règlement interne change.",
        ),
        (
            "old.txt",
            "date 2025-12-31 Rien de tout cela. Une autre année.",
        ),
    ] {
        std::fs::write(dir.path().join(name), text).expect("an article");
    }
    let folder = dir.path().to_str().expect("a UTF-8 folder");
    let kept = list_paths(&["--query", "-\"note interne\" 2026", folder]);
    assert_eq!(kept, [format!("{folder}/words.txt")]);
    let kept = list_paths(&["-q", "-\"note interne\"", folder]);
    assert_eq!(
        kept,
        [format!("{folder}/words.txt"), format!("{folder}/old.txt")]
    );
}

#[test]
fn the_list_cache_is_written_unless_no_cache() {
    let articles = many_articles(20);
    // The control: a plain run writes its list cache in XDG_CACHE_HOME/kiosque.
    let mut run = kiosque();
    run.arg("list").arg(articles.path()).assert().success();
    let written = run.home.cache_files();
    assert_eq!(written.len(), 1, "{written:?}");
    assert!(
        written[0].starts_with(run.home.cache().join("kiosque")),
        "{written:?}"
    );
    // With --no-cache every file is read, and nothing is written.
    let mut run = kiosque();
    let out = run
        .args(["list", "--no-cache"])
        .arg(articles.path())
        .assert()
        .success();
    let rows = String::from_utf8_lossy(&out.get_output().stdout)
        .lines()
        .count();
    assert_eq!(rows, 20);
    assert_eq!(run.home.cache_files(), Vec::<std::path::PathBuf>::new());
}

#[test]
fn a_file_over_max_size_is_skipped_with_the_reason() {
    let dir = tempfile::tempdir().expect("a folder");
    std::fs::write(
        dir.path().join("small.txt"),
        "date 2024-01-02 Petit article.",
    )
    .unwrap();
    let big = dir.path().join("big.txt");
    let text = format!("date 2024-01-03 Grand article. {}", "Mot ".repeat(1_000));
    std::fs::write(&big, &text).unwrap();
    let out = kiosque()
        .args(["list", "--max-size", "1K"])
        .arg(dir.path())
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(stdout.contains("Petit article.") && !stdout.contains("Grand article."));
    assert_eq!(
        String::from_utf8_lossy(&out.get_output().stderr),
        format!(
            "kiosque: skipped {}: 3.9 KiB is over the size limit of 1.0 KiB (see --max-size)\n",
            big.display()
        )
    );
    // Under the default limit, the same file is read.
    let out = kiosque()
        .arg("list")
        .arg(dir.path())
        .assert()
        .success()
        .stderr("");
    assert!(String::from_utf8_lossy(&out.get_output().stdout).contains("Grand article."));
}

/// Inside a folder only `.txt` files are articles; a file named on the command line is read
/// whatever its name.
#[test]
fn a_file_named_on_the_command_line_is_read_whatever_its_extension() {
    let dir = tempfile::tempdir().expect("a folder");
    let notes = dir.path().join("notes.md");
    std::fs::write(&notes, "date 2024-05-06 Des notes en Markdown. Suite.").unwrap();
    let bare = dir.path().join("LISEZMOI");
    std::fs::write(&bare, "date 2024-05-07 Un fichier sans extension. Suite.").unwrap();
    kiosque()
        .arg("list")
        .arg(dir.path())
        .assert()
        .success()
        .stdout("")
        .stderr("");
    let out = kiosque()
        .arg("list")
        .arg(&notes)
        .arg(&bare)
        .assert()
        .success()
        .stderr("");
    assert_eq!(
        String::from_utf8_lossy(&out.get_output().stdout),
        format!(
            "2024-05-07  Un fichier sans extension.  {}\n2024-05-06  Des notes en Markdown.  {}\n",
            bare.display(),
            notes.display()
        )
    );
    let out = kiosque().args(["show"]).arg(&notes).assert().success();
    assert!(
        String::from_utf8_lossy(&out.get_output().stdout).starts_with("Des notes en Markdown.\n")
    );
}

/// A long article for the width checks: paragraphs of short words, so that lines come close
/// to the width they are wrapped at.
fn long_article() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a folder");
    let paragraph = "Le conseil a voté le budget après une longue séance et les élus ont \
                     annoncé un recours devant le tribunal dans les jours qui viennent. "
        .repeat(6);
    std::fs::write(
        dir.path().join("long.txt"),
        format!("date 2026-03-06 Un titre.\n{paragraph}\n{paragraph}\n"),
    )
    .expect("an article");
    dir
}

/// The width of the widest line of `text`, in characters.
fn widest(text: &str) -> usize {
    text.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

/// `show` with no `--width`, in a pipe: 80 columns, or the config's width when narrower.
#[test]
fn show_is_80_columns_wide_in_a_pipe() {
    let dir = long_article();
    let file = dir.path().join("long.txt");
    let out = kiosque().arg("show").arg(&file).assert().success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!((75..=80).contains(&widest(&text)), "{text}");
    // The config's width of 100 (the default) is wider than 80: 80 it is.
    let out = with_config("width = 120\n")
        .arg("show")
        .arg(&file)
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!((75..=80).contains(&widest(&text)), "{text}");
    let out = with_config("width = 50\n")
        .arg("show")
        .arg(&file)
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!((45..=50).contains(&widest(&text)), "{text}");
}
