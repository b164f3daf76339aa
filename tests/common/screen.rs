//! Reading kiosque's screen as tmux captures it: the list's rows, the filter pane's line,
//! the reader's text, the status bar; and waiting until a screen passes a check, with the
//! reason it does not when it never does. The parsers are themselves tested below on lines
//! captured from kiosque.

use std::cell::RefCell;

use super::tmux::{TIMEOUT, Tmux};

/// Columns of the list's date column.
pub const DATE_WIDTH: usize = 10;
/// What the date column shows for an undated article.
pub const UNDATED: &str = "—";

/// An article as the list shows it: its date (or `—`) and its title.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub date: String,
    pub title: String,
}

pub fn row(date: &str, title: &str) -> Row {
    Row {
        date: date.to_owned(),
        title: title.to_owned(),
    }
}

/// A list row on the screen: whether it is selected, its date column and its title, which
/// may have been cut to the pane with `…`.
#[derive(Debug)]
pub struct ShownRow {
    pub selected: bool,
    /// The mark before the date: `•` unread, `★` starred, or a space.
    pub mark: char,
    pub date: String,
    pub title: String,
}

/// The text of the leftmost pane on each screen line that starts with a pane border: the
/// list and filter panes, or in narrow layouts whichever pane is shown.
pub fn left_pane_lines(screen: &str) -> impl Iterator<Item = &str> {
    screen
        .lines()
        .filter_map(|line| line.strip_prefix('│')?.split('│').next())
}

pub fn is_date(text: &str) -> bool {
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let parts: Vec<&str> = text.split('-').collect();
    text == UNDATED
        || (digits(parts[0], 4)
            && parts.len() <= 3
            && parts[1..].iter().all(|part| digits(part, 2)))
}

/// The rows of the list pane: the lines that carry a date column (or the `—` marker).
pub fn list_rows(screen: &str) -> Vec<ShownRow> {
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
pub fn shows(shown: &ShownRow, expected: &Row) -> bool {
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
pub fn check_list(screen: &str, expected: &[Row], room: usize) -> Result<(), String> {
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
pub fn filter_shows(screen: &str, text: &str, shown: usize, total: usize) -> bool {
    left_pane_lines(screen).any(|content| {
        content
            .trim_end()
            .strip_prefix(&format!("/ {text}"))
            .and_then(|rest| rest.strip_suffix(&format!(" {shown} / {total}")))
            .is_some_and(|blanks| blanks.chars().all(|c| c == ' '))
    })
}

pub fn status_line(screen: &str) -> &str {
    screen.lines().last().unwrap_or("")
}

/// The text with every run of blanks and line ends made one space, so that words the
/// reader wrapped onto two lines are found together.
pub fn flowing<'a>(lines: impl IntoIterator<Item = &'a str>) -> String {
    let words: Vec<&str> = lines.into_iter().flat_map(str::split_whitespace).collect();
    words.join(" ")
}

/// The text of the rightmost pane: on each line, what follows the last `│` before the right
/// border (`│`, or `█` where the scrollbar is). That is the reader, beside the list or alone.
pub fn reader_text(screen: &str) -> String {
    flowing(screen.lines().filter_map(|line| {
        let mut chars = line.chars();
        chars.next_back()?;
        chars.as_str().rsplit_once('│').map(|(_, text)| text)
    }))
}

/// Waits until `check` passes on the screen, and returns that screen. If it never does,
/// panics with `what`, why the last screen failed the check, and that screen.
pub fn expect(term: &Tmux, what: &str, check: impl Fn(&str) -> Result<(), String>) -> String {
    let why = RefCell::new(String::new());
    let passes = |screen: &str| check(screen).map_err(|e| *why.borrow_mut() = e).is_ok();
    term.wait_for(passes, TIMEOUT)
        .unwrap_or_else(|e| panic!("waiting for {what}: {}\n{e}", why.borrow()))
}

/// `Ok` when `condition` holds, else the error `message`.
pub fn ensure(condition: bool, message: impl FnOnce() -> String) -> Result<(), String> {
    if condition { Ok(()) } else { Err(message()) }
}

/// The status bar shows `hint` (status hints name the keys of the current mode).
pub fn hint(screen: &str, hint: &str) -> Result<(), String> {
    let status = status_line(screen);
    ensure(status.contains(hint), || {
        format!("the status bar {status:?} has no {hint:?}")
    })
}

pub fn filter_line(screen: &str, text: &str, shown: usize, total: usize) -> Result<(), String> {
    ensure(filter_shows(screen, text, shown, total), || {
        format!("the filter pane does not show “/ {text}” and “{shown} / {total}”")
    })
}

pub fn reader_has(screen: &str, words: &str, expected: bool) -> Result<(), String> {
    ensure(reader_text(screen).contains(words) == expected, || {
        let not = if expected { "" } else { "not " };
        format!("the reader should {not}show “{words}”")
    })
}

/// Prints `stty -g` in the pane after a marker and reads it back.
pub fn stty(term: &Tmux, marker: &str) -> String {
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
