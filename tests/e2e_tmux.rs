//! The real `kiosque` binary driven in tmux as a user would: it lists the articles newest
//! first, opens one, filters, quits, and leaves the terminal as it found it.
//!
//! The flows run on ../shared/seeds when it is beside the project (falling back to the
//! embedded sample when it is not), and always on the embedded sample, whose expected order
//! comes from `kiosque list`.

mod common;

use std::cell::RefCell;
use std::path::Path;
use std::process::Command;

use common::tmux::{PROMPT, TIMEOUT, Tmux};
use common::{KIOSQUE, shell_quote};
use serde_json::Value;

const SEEDS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/seeds");
/// From this width on the list and the reader are side by side (`layout::WIDE`).
const WIDE: u16 = 100;
const DATE_WIDTH: usize = 10;
const UNDATED: &str = "—";
const EXITED: &str = "kiosque exited with";

/// An article as the list shows it: its date (or `—`) and its title.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Row {
    date: String,
    title: String,
}

fn row(date: &str, title: &str) -> Row {
    Row {
        date: date.to_owned(),
        title: title.to_owned(),
    }
}

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
    if !Path::new(SEEDS).is_dir() {
        return None;
    }
    Some(Fixture {
        args: vec![SEEDS.to_owned()],
        source: SEEDS.to_owned(),
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
    let output = Command::new(KIOSQUE)
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

/// A list row on the screen: whether it is selected, its date column and its title, which
/// may have been cut to the pane with `…`.
#[derive(Debug)]
struct ShownRow {
    selected: bool,
    /// The mark before the date: `•` unread, `★` starred, or a space.
    mark: char,
    date: String,
    title: String,
}

/// The text of the leftmost pane on each screen line that starts with a pane border: the
/// list and filter panes, or in narrow layouts whichever pane is shown.
fn left_pane_lines(screen: &str) -> impl Iterator<Item = &str> {
    screen
        .lines()
        .filter_map(|line| line.strip_prefix('│')?.split('│').next())
}

fn is_date(text: &str) -> bool {
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let parts: Vec<&str> = text.split('-').collect();
    text == UNDATED
        || (digits(parts[0], 4)
            && parts.len() <= 3
            && parts[1..].iter().all(|part| digits(part, 2)))
}

/// The rows of the list pane: the lines that carry a date column (or the `—` marker).
fn list_rows(screen: &str) -> Vec<ShownRow> {
    left_pane_lines(screen)
        .filter_map(|content| {
            let chars: Vec<char> = content.chars().collect();
            // `▌` when selected, the mark and a space, the date, two spaces, the title.
            const DATE: usize = 3;
            if chars.len() < DATE + DATE_WIDTH + 3
                || !matches!(chars[0], '▌' | ' ')
                || !matches!(chars[1], '•' | '★' | ' ')
                || chars[2] != ' '
            {
                return None;
            }
            let date: String = chars[DATE..DATE + DATE_WIDTH].iter().collect();
            let gap: String = chars[DATE + DATE_WIDTH..DATE + DATE_WIDTH + 2]
                .iter()
                .collect();
            let date = date.trim_end();
            if gap != "  " || !is_date(date) {
                return None;
            }
            Some(ShownRow {
                selected: chars[0] == '▌',
                mark: chars[1],
                date: date.to_owned(),
                title: chars[DATE + DATE_WIDTH + 2..]
                    .iter()
                    .collect::<String>()
                    .trim_end()
                    .to_owned(),
            })
        })
        .collect()
}

/// Whether `shown` is `expected` as the list draws it: whole, or cut with `…`.
fn shows(shown: &ShownRow, expected: &Row) -> bool {
    if shown.date != expected.date {
        return false;
    }
    match shown.title.strip_suffix('…') {
        Some(stem) if shown.title != expected.title => {
            stem.chars().count() >= 10 && expected.title.starts_with(stem)
        }
        _ => shown.title == expected.title,
    }
}

/// Checks that the list shows `expected` from the top, as many as fit in `room` rows,
/// with the first one selected.
fn check_list(screen: &str, expected: &[Row], room: usize) -> Result<(), String> {
    let shown = list_rows(screen);
    let want = &expected[..expected.len().min(room)];
    let problem = if shown.len() != want.len() {
        Some(format!("{} rows, not {}", shown.len(), want.len()))
    } else if let Some((s, e)) = shown.iter().zip(want).find(|(s, e)| !shows(s, e)) {
        Some(format!("{s:?} is not {e:?}"))
    } else if !shown.first().is_some_and(|s| s.selected) || shown.iter().skip(1).any(|s| s.selected)
    {
        Some("the first row, and only it, should be selected".to_owned())
    } else {
        None
    };
    match problem {
        Some(p) => Err(format!("list: {p}; rows seen: {shown:#?}")),
        None => Ok(()),
    }
}

/// The filter pane's line: `/ TEXT`, blanks, then `SHOWN / TOTAL`.
fn filter_shows(screen: &str, text: &str, shown: usize, total: usize) -> bool {
    left_pane_lines(screen).any(|content| {
        content
            .trim_end()
            .strip_prefix(&format!("/ {text}"))
            .and_then(|rest| rest.strip_suffix(&format!(" {shown} / {total}")))
            .is_some_and(|blanks| blanks.chars().all(|c| c == ' '))
    })
}

fn status_line(screen: &str) -> &str {
    screen.lines().last().unwrap_or("")
}

/// The text with every run of blanks and line ends made one space, so that words the
/// reader wrapped onto two lines are found together.
fn flowing<'a>(lines: impl IntoIterator<Item = &'a str>) -> String {
    let words: Vec<&str> = lines.into_iter().flat_map(str::split_whitespace).collect();
    words.join(" ")
}

/// The text of the rightmost pane: on each line, what follows the last `│` before the right
/// border (`│`, or `█` where the scrollbar is). That is the reader, beside the list or alone.
fn reader_text(screen: &str) -> String {
    flowing(screen.lines().filter_map(|line| {
        let mut chars = line.chars();
        chars.next_back()?;
        chars.as_str().rsplit_once('│').map(|(_, text)| text)
    }))
}

/// Waits until `check` passes on the screen, and returns that screen. If it never does,
/// panics with `what`, why the last screen failed the check, and that screen.
fn expect(term: &Tmux, what: &str, check: impl Fn(&str) -> Result<(), String>) -> String {
    let why = RefCell::new(String::new());
    let passes = |screen: &str| check(screen).map_err(|e| *why.borrow_mut() = e).is_ok();
    term.wait_for(passes, TIMEOUT)
        .unwrap_or_else(|e| panic!("waiting for {what}: {}\n{e}", why.borrow()))
}

/// `Ok` when `condition` holds, else the error `message`.
fn ensure(condition: bool, message: impl FnOnce() -> String) -> Result<(), String> {
    if condition { Ok(()) } else { Err(message()) }
}

/// The status bar shows `hint` (status hints name the keys of the current mode).
fn hint(screen: &str, hint: &str) -> Result<(), String> {
    let status = status_line(screen);
    ensure(status.contains(hint), || {
        format!("the status bar {status:?} has no {hint:?}")
    })
}

fn filter_line(screen: &str, text: &str, shown: usize, total: usize) -> Result<(), String> {
    ensure(filter_shows(screen, text, shown, total), || {
        format!("the filter pane does not show “/ {text}” and “{shown} / {total}”")
    })
}

fn reader_has(screen: &str, words: &str, expected: bool) -> Result<(), String> {
    ensure(reader_text(screen).contains(words) == expected, || {
        let not = if expected { "" } else { "not " };
        format!("the reader should {not}show “{words}”")
    })
}

/// Prints `stty -g` in the pane after a marker and reads it back.
fn stty(term: &Tmux, marker: &str) -> String {
    term.send_line(&format!("printf '{marker}=%s\\n' \"$(stty -g)\""));
    let prefix = format!("{marker}=");
    // Joined lines: at 80 columns the settings wrap.
    let find = |screen: &str| {
        screen
            .lines()
            .find_map(|l| l.strip_prefix(&prefix))
            .map(|s| s.trim_end().to_owned())
    };
    let screen = term
        .wait_for_joined(|s| find(s).is_some(), TIMEOUT)
        .unwrap_or_else(|e| panic!("waiting for `stty -g` after {marker}: {e}"));
    let settings = find(&screen).unwrap_or_default();
    assert!(
        settings.contains(':') && settings.chars().all(|c| c == ':' || c.is_ascii_hexdigit()),
        "`stty -g` printed {settings:?}"
    );
    settings
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
    seeds_fixture().unwrap_or_else(|| {
        eprintln!("{SEEDS} is missing: running this flow on the embedded sample");
        sample_fixture()
    })
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

#[test]
fn the_screen_parsers_read_what_kiosque_draws() {
    // Lines as captured from kiosque at 120x40, so the parsers above can be trusted.
    let screen = "\
┌ Filter ──────────────────────────────────────┐┌ Article ───────────┐
│/ leike                                  1 / 5││ 2026-03-06 · x.txt █
└──────────────────────────────────────────────┘│                    █
┌ Articles ────────────────────────────────────┐│ Selon des données  █
│▌• —           Le feuilleton OpenAI, le père d…││ récentes, les      │
│   2023-05     Sam Altman                     ││                    │
│                                              ││                    │
 /work/shared/seeds · 5 articles   j move  q quit";
    let rows = list_rows(screen);
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows[0].selected && !rows[1].selected);
    assert_eq!((rows[0].mark, rows[1].mark), ('•', ' '));
    assert!(shows(
        &rows[0],
        &row(UNDATED, "Le feuilleton OpenAI, le père de ChatGPT")
    ));
    assert!(!shows(&rows[0], &row(UNDATED, "Le feuilleton")));
    assert!(!shows(
        &rows[0],
        &row("2023-05", "Le feuilleton OpenAI, le père de ChatGPT")
    ));
    assert!(shows(&rows[1], &row("2023-05", "Sam Altman")));
    assert!(!shows(&rows[1], &row("2023-05", "Sam Altman, le patron")));
    assert!(filter_shows(screen, "leike", 1, 5));
    assert!(!filter_shows(screen, "leik", 1, 5));
    assert!(!filter_shows(screen, "leike", 2, 5));
    assert_eq!(
        reader_text(screen),
        "2026-03-06 · x.txt Selon des données récentes, les"
    );
    assert!(!reader_text(screen).contains("OpenAI"));
    assert_eq!(
        status_line(screen),
        " /work/shared/seeds · 5 articles   j move  q quit"
    );
    assert!(is_date("2026-03-06") && is_date("2023-05") && is_date("2023"));
    assert!(!is_date("2026-3-06") && !is_date("Sam") && !is_date("2026-03-06-01"));
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
        let output = Command::new(KIOSQUE)
            .env("XDG_STATE_HOME", term.state_home())
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
        let out = Command::new(KIOSQUE)
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
    let starred_there = Command::new(KIOSQUE)
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
/// does not start a browser the user cannot see.
#[test]
fn links_open_in_the_browser_as_one_argument() {
    let term = Tmux::start(120, 40);
    let dir = tempfile::tempdir().expect("a folder");
    let record = dir.path().join("args");
    let browser = dir.path().join("browser");
    std::fs::write(
        &browser,
        format!(
            "#!/bin/sh\nfor a in \"$@\"; do printf '[%s]\\n' \"$a\"; done > {}\n",
            shell_quote(&record.display().to_string())
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

    // Over ssh with no display: no browser, a way to copy instead.
    std::fs::remove_file(&record).expect("reset");
    term.send_line(&format!(
        "SSH_CONNECTION='10.0.0.1 50000 10.0.0.2 22' BROWSER={} {}",
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
    // Enter copies instead of opening; so does c.
    term.send_keys(&["Enter"]);
    expect(&term, "the copy", |s| {
        ensure(status_line(s).contains("no browser from here"), || {
            format!("status: {:?}", status_line(s))
        })
    });
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
    assert!(!record.exists(), "no browser may start without a display");
    term.send_keys(&["q"]);
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
        let bytes = std::fs::read(&log).expect("the recorded output");
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
