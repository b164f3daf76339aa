//! The real `kiosque` binary driven in tmux as a user would: it lists the articles newest
//! first, opens one, filters, quits, and leaves the terminal as it found it.
//!
//! The flows run on ../shared/seeds when it is beside the project (on the embedded sample,
//! saying so on stderr, when it is not; CI fails without it), and always on the embedded
//! sample, whose expected order comes from `kiosque list`. The screen is read with the
//! parsers of `tests/common/screen.rs`.

use std::path::Path;

use serde_json::Value;

use crate::common::screen::{
    Row, UNDATED, check_list, ensure, expect, filter_line, flowing, hint, list_rows, reader_has,
    row, status_line, stty,
};
use crate::common::tmux::{PROMPT, TIMEOUT, Tmux};
use crate::common::{Home, KIOSQUE, seeds, shell_quote};

/// From this width on the list and the reader are side by side (`layout::WIDE`).
const WIDE: u16 = 100;
const EXITED: &str = "kiosque exited with";

/// What one run of kiosque is expected to show.
struct Fixture {
    /// Arguments after `kiosque`.
    args: Vec<String>,
    /// How the status bar names what was opened.
    source: String,
    /// Every article, in the order the list must show them.
    rows: Vec<Row>,
    /// Words of the first article's body (not of its title), shown once it is opened.
    body: String,
    /// What to type in the filter, and the articles it must leave, in order.
    filter: String,
    filtered: Vec<Row>,
}

fn seeds_fixture() -> Option<Fixture> {
    let seeds = seeds("the same flow on the embedded sample")?;
    let seeds = seeds.to_string_lossy().into_owned();
    Some(Fixture {
        args: vec![seeds.clone()],
        source: seeds,
        rows: vec![
            row(
                "2026-03-06",
                "Sam Altman a publié sur X une note interne concernant l’accord conclu avec \
                 l’armée américaine",
            ),
            row(
                "2026-03-03",
                "Alors que les critiques fusent à l'encontre d'OpenAI, Sam Altman fait son mea \
                 culpa.",
            ),
            row(
                "2026-01-21",
                "Lors d'un échange houleux avec Elon Musk sur les réseaux, Sam Altman a reconnu \
                 que combiner utilité et sécurité était un challenge particulièrement complexe.",
            ),
            row(
                "2023-05",
                "Sam Altman, le patron d’OpenAI qui s’occupe de ChatGPT, réclame un « juste \
                 équilibre entre protection et l’impact positif » que peut avoir \
                 l’intelligence…",
            ),
            row(
                UNDATED,
                "Le feuilleton OpenAI, le père de ChatGPT, continue encore en cette fin de \
                 semaine.",
            ),
        ],
        body: "Selon des données récentes".to_owned(),
        filter: "leike".to_owned(),
        filtered: vec![row(
            UNDATED,
            "Le feuilleton OpenAI, le père de ChatGPT, continue encore en cette fin de semaine.",
        )],
    })
}

/// The embedded sample, with the order and the filter results that `kiosque list` prints.
fn sample_fixture() -> Fixture {
    let all = list_json(&[]);
    let filter = "canicule";
    let filtered = list_json(&["--query", filter]);
    assert!(
        !filtered.is_empty() && filtered.len() < all.len(),
        "`kiosque list --query {filter}` should keep some of the {} sample articles, not {}",
        all.len(),
        filtered.len()
    );
    // The first paragraph after the title line of the newest article, as written in its file.
    let (first, path) = &all[0];
    let name = path
        .strip_prefix("sample/")
        .unwrap_or_else(|| panic!("a sample path starts with sample/: {path}"));
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/sample")
        .join(name);
    let text = std::fs::read_to_string(&file)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
    let paragraph = text
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .nth(1)
        .unwrap_or_else(|| panic!("{} has no paragraph after its title", file.display()));
    let body = paragraph
        .split_whitespace()
        .take(5)
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        !first.title.contains(&body) && !body.contains('-'),
        "pick other body words than “{body}” for {}",
        file.display()
    );
    Fixture {
        args: Vec::new(),
        source: "sample".to_owned(),
        rows: all.into_iter().map(|(row, _)| row).collect(),
        body,
        filter: filter.to_owned(),
        filtered: filtered.into_iter().map(|(row, _)| row).collect(),
    }
}

/// `kiosque list --json args…` on the sample, as (row, path).
fn list_json(args: &[&str]) -> Vec<(Row, String)> {
    let home = Home::new();
    let output = home
        .command()
        .args(["list", "--json"])
        .args(args)
        .output()
        .expect("run kiosque list");
    assert!(output.status.success(), "kiosque list failed: {output:?}");
    String::from_utf8(output.stdout)
        .expect("kiosque list prints UTF-8")
        .lines()
        .map(|line| {
            let v: Value = serde_json::from_str(line).expect("one JSON object per line");
            let field = |k: &str| v[k].as_str().map(str::to_owned);
            let row = Row {
                date: field("date").unwrap_or_else(|| UNDATED.to_owned()),
                title: field("title").expect("a title"),
            };
            (row, field("path").expect("a path"))
        })
        .collect()
}

/// The whole flow at one terminal size: list, open, filter, quit, terminal restored.
fn run_flow(fixture: &Fixture, width: u16, height: u16) {
    let wide = width >= WIDE;
    let total = fixture.rows.len();
    // The list pane's rows: the screen less the status bar, the filter pane and 2 borders.
    let room = usize::from(height) - 1 - 3 - 2;
    let term = Tmux::start(width, height);
    let before = stty(&term, "STTY-BEFORE");

    let mut line = shell_quote(KIOSQUE);
    for arg in &fixture.args {
        line.push(' ');
        line.push_str(&shell_quote(arg));
    }
    term.send_line(&format!("{line}; echo \"{EXITED} $?\""));

    // The list, newest first, the first article selected and nothing filtered yet. Beside
    // it when the screen is wide, the reader shows that article; on a narrow one, nothing.
    // The status bar names what was opened, cut from the left when the keys need room.
    let count = format!(" · {total} articles ");
    expect(&term, "the article list", |s| {
        check_list(s, &fixture.rows, room)?;
        filter_line(s, "press / to filter by words or dates", total, total)?;
        let shown = status_line(s);
        let named = shown.split_once(&count).is_some_and(|(name, _)| {
            name == format!(" {}", fixture.source)
                || name
                    .strip_prefix(" …")
                    .is_some_and(|tail| tail.len() >= 5 && fixture.source.ends_with(tail))
        });
        ensure(named, || {
            format!(
                "the status bar {shown:?} should name {:?}{count:?}",
                fixture.source
            )
        })?;
        hint(s, "Enter read")?;
        reader_has(s, &fixture.body, wide)
    });
    assert_eq!(term.current_command(), "kiosque");

    // Enter reads the selected article.
    term.send_keys(&["Enter"]);
    expect(&term, "the reader", |s| {
        hint(s, "Esc back")?;
        reader_has(s, &fixture.body, true)?;
        let first = s.lines().next().unwrap_or("");
        if wide {
            check_list(s, &fixture.rows, room)?;
            ensure(
                first.starts_with("┌ Filter ") && first.contains("┐┌ Article "),
                || format!("the filter and the reader should be side by side: {first:?}"),
            )
        } else {
            ensure(
                list_rows(s).is_empty() && !s.contains("┌ Filter ") && !s.contains("┌ Articles "),
                || "the reader should be alone on a narrow screen".to_owned(),
            )?;
            ensure(
                first.starts_with("┌ Article ")
                    && first.ends_with('┐')
                    && first.chars().count() == usize::from(width),
                || format!("the reader should span all {width} columns: {first:?}"),
            )
        }
    });
    if wide {
        // `/` in the reader searches the article, like less: the matches are counted in
        // the reader's frame, Enter goes to the first one.
        let word = fixture
            .body
            .split_whitespace()
            .find(|w| w.chars().count() >= 5 && w.chars().all(char::is_alphabetic))
            .expect("a word to search for in the article");
        term.send_keys(&["/"]);
        expect(&term, "the search prompt", |s| hint(s, "Esc cancel"));
        term.send_text(word);
        expect(&term, "the matches counted", |s| {
            let top = s.lines().next().unwrap_or("");
            ensure(status_line(s).starts_with(&format!(" /{word}")), || {
                format!("the prompt should show /{word}")
            })?;
            ensure(top.contains(" match"), || {
                format!("no match count in {top:?}")
            })
        });
        term.send_keys(&["Enter"]);
        expect(&term, "the first match", |s| {
            let top = s.lines().next().unwrap_or("");
            ensure(top.contains(" match 1/"), || {
                format!("{top:?} is not at match 1")
            })?;
            hint(s, "Esc back")
        });
        // Escape, then a pause before the next key: Escape and a key sent together read
        // as Alt and that key, in any terminal.
        term.send_keys(&["Escape"]);
        expect(&term, "the list to take the keyboard back", |s| {
            hint(s, "Enter read")
        });
    } else {
        // Escape goes back to the list, which takes the whole screen again.
        term.send_keys(&["Escape"]);
        expect(&term, "the list after Escape", |s| {
            hint(s, "Enter read")?;
            check_list(s, &fixture.rows, room)?;
            ensure(!flowing(s.lines()).contains(&fixture.body), || {
                "the article should be gone".to_owned()
            })
        });
    }

    // `/` then the words: the list keeps only the matching articles.
    term.send_keys(&["/"]);
    expect(&term, "the filter to take the keyboard", |s| {
        hint(s, "Esc leave")
    });
    term.send_text(&fixture.filter);
    let kept = fixture.filtered.len();
    expect(&term, "the filtered list", |s| {
        filter_line(s, &fixture.filter, kept, total)?;
        check_list(s, &fixture.filtered, room)
    });

    // Escape leaves the filter, which stays applied; then `q` quits.
    term.send_keys(&["Escape"]);
    expect(&term, "the list to take the keyboard back", |s| {
        hint(s, "q quit")?;
        filter_line(s, &fixture.filter, kept, total)?;
        check_list(s, &fixture.filtered, room)
    });
    term.send_keys(&["q"]);

    // The shell is back, kiosque exited with 0, and the terminal settings are unchanged.
    expect(&term, "kiosque to exit and the prompt to come back", |s| {
        let lines: Vec<&str> = s.lines().filter(|l| !l.trim().is_empty()).collect();
        ensure(
            lines.ends_with(&[format!("{EXITED} 0").as_str(), PROMPT.trim_end()]),
            || format!("the last lines should be “{EXITED} 0” and the prompt"),
        )?;
        ensure(
            list_rows(s).is_empty() && !s.contains("┌ Articles "),
            || "the list is still on the screen".to_owned(),
        )
    });
    assert_eq!(term.current_command(), "sh", "kiosque is still running");
    let after = stty(&term, "STTY-AFTER");
    assert_eq!(
        before, after,
        "kiosque left the terminal settings changed (`stty -g` before and after)"
    );
}

fn seeds_or_sample() -> Fixture {
    seeds_fixture().unwrap_or_else(sample_fixture)
}

#[test]
fn seeds_side_by_side_at_120x40() {
    run_flow(&seeds_or_sample(), 120, 40);
}

#[test]
fn seeds_one_pane_at_a_time_at_80x24() {
    run_flow(&seeds_or_sample(), 80, 24);
}

#[test]
fn sample_side_by_side_at_120x40() {
    run_flow(&sample_fixture(), 120, 40);
}

#[test]
fn sample_one_pane_at_a_time_at_80x24() {
    run_flow(&sample_fixture(), 80, 24);
}

/// Read and starred marks as a user lives with them: opening an article marks it read, `s`
/// stars it, both survive quitting, and `kiosque list` sees them.
#[test]
fn marks_survive_a_restart() {
    let term = Tmux::start(120, 40);
    let start = format!("{}; echo \"{EXITED} $?\"", shell_quote(KIOSQUE));
    term.send_line(&start);
    let first_row = |s: &str| list_rows(s).into_iter().next();
    expect(&term, "every article unread", |s| {
        let rows = list_rows(s);
        ensure(
            rows.len() == 14 && rows.iter().all(|r| r.mark == '•'),
            || format!("14 unread rows expected: {rows:?}"),
        )
    });
    term.send_keys(&["Enter"]);
    expect(&term, "the first article read", |s| {
        ensure(first_row(s).is_some_and(|r| r.mark == ' '), || {
            format!("{:?} should have lost its dot", first_row(s))
        })
    });
    term.send_keys(&["s"]);
    expect(&term, "the first article starred", |s| {
        ensure(first_row(s).is_some_and(|r| r.mark == '★'), || {
            format!("{:?} should be starred", first_row(s))
        })
    });
    term.send_keys(&["q"]);
    expect(&term, "kiosque to exit", |s| {
        ensure(s.contains(&format!("{EXITED} 0")), || {
            "no exit yet".to_owned()
        })
    });

    let listed = |query: &str| -> Vec<String> {
        let output = term
            .home
            .command()
            .args(["list", "--json", "-q", query])
            .output()
            .expect("kiosque list runs");
        assert!(output.status.success(), "{output:?}");
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .map(|l| {
                let row: Value = serde_json::from_str(l).expect("JSON");
                row["path"].as_str().unwrap_or("").to_owned()
            })
            .collect()
    };
    let opened = ["sample/lunar-lander-south-pole-2026.txt"];
    assert_eq!(listed("is:read"), opened);
    assert_eq!(listed("is:starred"), opened);
    assert_eq!(listed("is:unread").len(), 13);

    // Exported, and imported on "another machine" (another state folder): the marks follow.
    let elsewhere = tempfile::tempdir().expect("another state folder");
    let file = elsewhere.path().join("marks.json");
    let state = |home: &Path, args: &[&str]| {
        let out = term
            .home
            .command()
            .env("XDG_STATE_HOME", home)
            .arg("state")
            .args(args)
            .arg(&file)
            .output()
            .expect("kiosque state runs");
        assert!(out.status.success(), "{out:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert!(state(&term.state_home(), &["export"]).starts_with("1 read and 1 starred"));
    let other = elsewhere.path().join("state");
    assert!(state(&other, &["import"]).contains("you now have 1 read and 1 starred"));
    let starred_there = term
        .home
        .command()
        .env("XDG_STATE_HOME", &other)
        .args(["list", "-q", "is:starred"])
        .output()
        .expect("kiosque list runs");
    assert!(String::from_utf8_lossy(&starred_there.stdout).contains(opened[0]));

    // Started again, kiosque remembers.
    term.send_line(&start);
    expect(&term, "the marks again", |s| {
        let rows = list_rows(s);
        ensure(
            rows.len() == 14 && rows[0].mark == '★' && rows[1..].iter().all(|r| r.mark == '•'),
            || format!("{rows:?}"),
        )
    });
    term.send_keys(&["q"]);
}

/// `o` lists the article's links and Enter hands the chosen one to `$BROWSER` as a single
/// argument, with no shell to reinterpret it; in an ssh session without a display, kiosque
/// does not start a browser the user cannot see, and copies the link instead with OSC 52,
/// which reaches tmux's clipboard.
#[test]
fn links_open_in_the_browser_as_one_argument() {
    let term = Tmux::start(120, 40);
    // Let programs in the pane set tmux's clipboard (paste buffers) with OSC 52.
    term.run(&["set-option", "-s", "set-clipboard", "on"]);
    let dir = tempfile::tempdir().expect("a folder");
    let record = dir.path().join("args");
    let browser = dir.path().join("browser");
    // The record is written whole, then renamed into place: once it exists it is complete.
    std::fs::write(
        &browser,
        format!(
            "#!/bin/sh\nfor a in \"$@\"; do printf '[%s]\\n' \"$a\"; done > {partial} && mv {partial} {record}\n",
            partial = shell_quote(&format!("{}.partial", record.display())),
            record = shell_quote(&record.display().to_string())
        ),
    )
    .expect("a fake browser");
    std::fs::set_permissions(
        &browser,
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .expect("executable");
    term.send_line(&format!(
        "BROWSER={} {}; echo \"{EXITED} $?\"",
        shell_quote(&browser.display().to_string()),
        shell_quote(KIOSQUE)
    ));
    expect(&term, "the list", |s| hint(s, "Enter read"));
    term.send_keys(&["Enter"]);
    expect(&term, "the reader", |s| hint(s, "Esc back"));
    term.send_keys(&["o"]);
    expect(&term, "the links", |s| {
        ensure(
            s.contains("Links: 1") && s.contains("https://example.org/report"),
            || "the link list should show the article's one link".to_owned(),
        )
    });
    term.send_keys(&["Enter"]);
    let deadline = std::time::Instant::now() + TIMEOUT;
    while !record.exists() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let args = std::fs::read_to_string(&record).expect("the browser was started");
    assert_eq!(args, "[https://example.org/report]\n");
    term.send_keys(&["q"]);
    expect(&term, "kiosque to exit", |s| {
        ensure(s.contains(&format!("{EXITED} 0")), || {
            "no exit yet".to_owned()
        })
    });
    assert_eq!(
        term.buffers(),
        "",
        "opening a link in the browser copies nothing"
    );

    // Over ssh with no display: no browser, a way to copy instead.
    std::fs::remove_file(&record).expect("reset");
    term.send_line("clear");
    term.send_line(&format!(
        "SSH_CONNECTION='10.0.0.1 50000 10.0.0.2 22' BROWSER={} {}; echo \"{EXITED} $?\"",
        shell_quote(&browser.display().to_string()),
        shell_quote(KIOSQUE)
    ));
    expect(&term, "the list", |s| hint(s, "Enter read"));
    term.send_keys(&["Enter"]);
    expect(&term, "the reader", |s| hint(s, "Esc back"));
    term.send_keys(&["o"]);
    expect(&term, "the links, over ssh", |s| {
        ensure(s.contains("No browser from here"), || {
            "the list should say links are copied here".to_owned()
        })
    });
    // Enter copies instead of opening: the link reaches tmux's clipboard as OSC 52.
    term.send_keys(&["Enter"]);
    expect(&term, "the copy", |s| {
        ensure(status_line(s).contains("no browser from here"), || {
            format!("status: {:?}", status_line(s))
        })
    });
    let copied = term
        .wait_for(|_| !term.buffers().is_empty(), TIMEOUT)
        .map(|_| term.buffers());
    assert_eq!(
        copied.as_deref(),
        Ok("https://example.org/report\n"),
        "Enter over ssh sends the link with OSC 52"
    );
    term.run(&["delete-buffer"]);
    // So does c.
    term.send_keys(&["o"]);
    expect(&term, "the links again", |s| {
        ensure(s.contains("No browser from here"), || "no list".to_owned())
    });
    term.send_keys(&["c"]);
    expect(&term, "the copy with c", |s| {
        ensure(status_line(s).contains("clipboard"), || {
            format!("status: {:?}", status_line(s))
        })
    });
    let copied = term
        .wait_for(|_| !term.buffers().is_empty(), TIMEOUT)
        .map(|_| term.buffers());
    assert_eq!(
        copied.as_deref(),
        Ok("https://example.org/report\n"),
        "c sends the link with OSC 52"
    );
    term.send_keys(&["q"]);
    expect(&term, "kiosque to exit, over ssh", |s| {
        ensure(s.contains(&format!("{EXITED} 0")), || {
            "no exit yet".to_owned()
        })
    });
    // kiosque has exited, so any browser it started was started (a spawn returns once the
    // program runs). Such a browser is either still running, or done and its record is
    // written: looked for in that order, neither can slip between the two looks.
    let browser_name = browser.display().to_string();
    let running: Vec<String> = std::fs::read_dir("/proc")
        .expect("/proc")
        .flatten()
        .filter_map(|entry| std::fs::read(entry.path().join("cmdline")).ok())
        .map(|cmdline| String::from_utf8_lossy(&cmdline).replace('\0', " "))
        .filter(|cmdline| cmdline.contains(&browser_name))
        .collect();
    assert_eq!(running, Vec::<String>::new(), "a browser is running");
    assert!(!record.exists(), "no browser may start without a display");
}

/// The mouse is off unless the config turns it on; then the wheel moves the selection, a
/// click selects the article under it, and quitting turns mouse reporting off again.
#[test]
fn the_mouse_works_only_when_asked_for_and_is_given_back() {
    let term = Tmux::start(120, 40);
    let start = format!("{}; echo \"{EXITED} $?\"", shell_quote(KIOSQUE));
    term.send_line(&start);
    expect(&term, "the list", |s| hint(s, "Enter read"));
    assert_eq!(
        term.format("#{mouse_any_flag}"),
        "0",
        "mouse reporting is off by default"
    );
    term.send_keys(&["q"]);
    expect(&term, "kiosque to exit", |s| {
        ensure(s.contains(&format!("{EXITED} 0")), || {
            "no exit yet".to_owned()
        })
    });

    let config = term.config_home().join("kiosque");
    std::fs::create_dir_all(&config).expect("a config folder");
    std::fs::write(config.join("config.toml"), "mouse = true\n").expect("a config file");
    term.send_line("clear");
    term.send_line(&start);
    expect(&term, "the list", |s| hint(s, "Enter read"));
    assert_eq!(
        term.format("#{mouse_any_flag}"),
        "1",
        "mouse reporting is on"
    );
    let selected = |s: &str| list_rows(s).iter().position(|r| r.selected);
    // SGR mouse reports, as a terminal sends them (1-based column and row): wheel down
    // over the list, then a left click on its fifth article (screen row 8).
    term.send_text("\u{1b}[<65;10;10M");
    expect(&term, "the wheel to move the selection", |s| {
        ensure(selected(s) == Some(1), || {
            format!("selected: {:?}", selected(s))
        })
    });
    term.send_text("\u{1b}[<0;11;9M\u{1b}[<0;11;9m");
    expect(&term, "the click to select", |s| {
        ensure(selected(s) == Some(4), || {
            format!("selected: {:?}", selected(s))
        })
    });
    term.send_keys(&["q"]);
    expect(&term, "kiosque to exit again", |s| {
        ensure(
            s.matches(&format!("{EXITED} 0")).count() >= 1 && s.contains(PROMPT.trim_end()),
            || "no exit yet".to_owned(),
        )
    });
    let deadline = std::time::Instant::now() + TIMEOUT;
    while term.format("#{mouse_any_flag}") != "0" && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(
        term.format("#{mouse_any_flag}"),
        "0",
        "mouse reporting is off after quitting"
    );
}

/// With hyperlinks on, the list of links reaches the terminal as OSC 8 hyperlinks; with the
/// default inside tmux (an unknown outer terminal), it does not.
#[test]
fn links_are_osc8_hyperlinks_when_asked_for() {
    for (setting, expected) in [("\"on\"", true), ("\"auto\"", false)] {
        let term = Tmux::start(120, 40);
        let config = term.config_home().join("kiosque");
        std::fs::create_dir_all(&config).expect("a config folder");
        std::fs::write(
            config.join("config.toml"),
            format!("hyperlinks = {setting}\n"),
        )
        .expect("a config file");
        let dir = tempfile::tempdir().expect("a folder");
        let log = dir.path().join("output");
        term.record_output(&log);
        term.send_line(&format!("{}; echo \"{EXITED} $?\"", shell_quote(KIOSQUE)));
        expect(&term, "the list", |s| hint(s, "Enter read"));
        term.send_keys(&["Enter"]);
        expect(&term, "the reader", |s| hint(s, "Esc back"));
        term.send_keys(&["o"]);
        expect(&term, "the links", |s| {
            ensure(s.contains("Links: 1"), || "no list of links".to_owned())
        });
        // The screen shows the link's text as before, hyperlink or not.
        expect(&term, "the link's text", |s| {
            ensure(s.contains(" https://example.org/report "), || {
                "no link".to_owned()
            })
        });
        term.send_keys(&["Escape"]);
        expect(&term, "the reader again", |s| hint(s, "Esc back"));
        term.send_keys(&["q"]);
        expect(&term, "kiosque to exit", |s| {
            ensure(s.contains(&format!("{EXITED} 0")), || {
                "no exit yet".to_owned()
            })
        });
        let bytes = term.recorded(&log, &format!("{EXITED} 0"));
        let output = String::from_utf8_lossy(&bytes);
        let link = "\u{1b}]8;;https://example.org/report\u{1b}\\https://example.org/report\u{1b}]8;;\u{1b}\\";
        assert_eq!(output.contains(link), expected, "hyperlinks = {setting}");
        if !expected {
            assert!(
                !output.contains("\u{1b}]8;"),
                "no OSC 8 at all with {setting}"
            );
        }
    }
}

/// The terminals kiosque is used in, by the name they give in TERM: each shows the list,
/// colours or not, and gives the terminal back as it found it.
#[test]
fn every_usual_term_works() {
    for name in [
        "xterm-256color",
        "screen-256color",
        "tmux-256color",
        "linux",
    ] {
        let term = Tmux::start(80, 24);
        let before = stty(&term, "STTY-BEFORE");
        term.send_line(&format!(
            "TERM={name} {}; echo \"{EXITED} $?\"",
            shell_quote(KIOSQUE)
        ));
        expect(&term, "the list", |s| {
            hint(s, "Enter read")?;
            ensure(list_rows(s).len() == 14, || {
                format!("{name}: {:?}", list_rows(s))
            })
        });
        term.send_keys(&["j", "Enter"]);
        expect(&term, "the reader", |s| hint(s, "Esc back"));
        term.send_keys(&["q"]);
        expect(&term, "kiosque to exit", |s| {
            ensure(s.contains(&format!("{EXITED} 0")), || {
                format!("{name}: no exit")
            })
        });
        assert_eq!(stty(&term, "STTY-AFTER"), before, "{name}: stty changed");
    }
}

/// The colours in an SGR parameter list (`CSI … m`, as `capture-pane -e` writes them):
/// foreground and background, basic, bright, 256 or RGB.
fn colours(params: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut parts = params.split(';').peekable();
    while let Some(p) = parts.next() {
        let n: u32 = p.parse().unwrap_or(0);
        match n {
            30..=37 | 40..=47 | 90..=97 | 100..=107 => found.push(p.to_owned()),
            38 | 48 => {
                // 38;5;N or 38;2;R;G;B.
                let rest: Vec<&str> = match parts.next() {
                    Some("5") => parts.next().into_iter().collect(),
                    Some("2") => (0..3).filter_map(|_| parts.next()).collect(),
                    _ => Vec::new(),
                };
                found.push(format!("{n};{}", rest.join(";")));
            }
            _ => {}
        }
    }
    found
}

/// Every SGR sequence's parameters in a `capture-pane -e` screen.
fn sgr_params(screen: &str) -> Vec<&str> {
    screen
        .split("\u{1b}[")
        .skip(1)
        .filter_map(|s| {
            let end = s.find(|c: char| !c.is_ascii_digit() && c != ';')?;
            (s[end..].starts_with('m')).then(|| &s[..end])
        })
        .collect()
}

#[test]
fn the_colour_parsers_read_tmux_s_sgr() {
    let screen = "a\u{1b}[33mb\u{1b}[1;7mc\u{1b}[38;5;1;49md\u{1b}[48;2;1;2;3me\u{1b}[0m\u{1b}[2J";
    assert_eq!(
        sgr_params(screen),
        ["33", "1;7", "38;5;1;49", "48;2;1;2;3", "0"]
    );
    let found: Vec<String> = sgr_params(screen).into_iter().flat_map(colours).collect();
    assert_eq!(found, ["33", "38;1", "48;1;2;3"]);
}

/// `--no-color` and `NO_COLOR` (set, not empty) draw no colour at all; selection and
/// matches still show, in reverse video and underline. Checked on the screen tmux shows,
/// with its attributes (`capture-pane -e`), the filter highlighting a word.
#[test]
fn no_color_and_the_no_color_variable_draw_without_colour() {
    for (how, prefix, flag) in [
        ("by default", "", ""),
        ("with --no-color", "", " --no-color"),
        ("with NO_COLOR=1", "NO_COLOR=1 ", ""),
    ] {
        let term = Tmux::start(120, 40);
        term.send_line(&format!(
            "{prefix}{}{flag}; echo \"{EXITED} $?\"",
            shell_quote(KIOSQUE)
        ));
        expect(&term, "the list", |s| hint(s, "Enter read"));
        term.send_keys(&["/"]);
        expect(&term, "the filter", |s| hint(s, "Esc leave"));
        term.send_text("metropole");
        term.send_keys(&["Enter"]);
        expect(&term, "the filtered list, selected", |s| {
            filter_line(s, "metropole", 1, 14)?;
            hint(s, "Enter read")
        });
        let screen = term.capture_styled();
        let params = sgr_params(&screen);
        let found: Vec<String> = params.iter().copied().flat_map(colours).collect();
        if how == "by default" {
            // The control: colours are drawn, so the checks below can see them.
            assert!(!found.is_empty(), "{how}: no colour drawn: {params:?}");
        } else {
            assert_eq!(found, Vec::<String>::new(), "{how}: colours drawn");
            let has = |attribute: &str| {
                params
                    .iter()
                    .any(|p| p.split(';').any(|part| part == attribute))
            };
            assert!(has("7"), "{how}: no reverse video: {params:?}");
            assert!(has("4"), "{how}: no underline: {params:?}");
        }
        term.send_keys(&["q"]);
        expect(&term, "kiosque to exit", |s| {
            ensure(s.contains(&format!("{EXITED} 0")), || {
                "no exit yet".to_owned()
            })
        });
    }
}

/// `show` with no `--width` on a terminal: the terminal's width, up to the config's width
/// (100 by default).
#[test]
fn show_on_a_terminal_fits_the_terminal_up_to_the_config_width() {
    let dir = tempfile::tempdir().expect("a folder");
    let file = dir.path().join("long.txt");
    let paragraph = "Le conseil a voté le budget après une longue séance et les élus ont \
                     annoncé un recours devant le tribunal dans les jours qui viennent. "
        .repeat(3);
    std::fs::write(
        &file,
        format!("date 2026-03-06 Un titre.\n{paragraph}\n{paragraph}\n"),
    )
    .expect("an article");
    for (width, config, expected) in [(120, "", 100), (70, "", 70), (120, "width = 60\n", 60)] {
        let term = Tmux::start(width, 40);
        if !config.is_empty() {
            term.home.write_config(config);
        }
        // The markers are printed by the shell, split in the command line so that only the
        // printed ones stand alone on a line.
        term.send_line(&format!(
            "echo BEG''IN; {} show {}; echo E''ND",
            shell_quote(KIOSQUE),
            shell_quote(&file.display().to_string())
        ));
        term.wait_for(|s| s.lines().any(|l| l == "END"), TIMEOUT)
            .unwrap_or_else(|e| panic!("show did not finish: {e}"));
        let screen = term.capture_history();
        let text: Vec<&str> = screen
            .lines()
            .skip_while(|l| *l != "BEGIN")
            .skip(1)
            .take_while(|l| *l != "END")
            .collect();
        assert!(
            text.first() == Some(&"Un titre."),
            "{width}: {}",
            text.join("\n")
        );
        let widest = text.iter().map(|l| l.chars().count()).max().unwrap_or(0);
        assert!(
            (expected - 6..=expected).contains(&widest),
            "{width} columns, config {config:?}: the widest line is {widest}, not about \
             {expected}:\n{}",
            text.join("\n")
        );
    }
}
