//! Properties over random input: any bytes load and draw at any size without a panic and
//! without a control character in any cell; any filter text parses or says why, and filters
//! without a panic; any sequence of actions keeps the selection within the results.

use std::path::PathBuf;

use kiosque::search::catalog::Catalog;
use kiosque::search::query::Query;
use kiosque::tui::action::Action;
use kiosque::tui::app::App;
use kiosque::tui::effects::step;
use kiosque::tui::ui::{ViewState, view};
use proptest::prelude::*;

use crate::common::bytes::ByteTerminal;
use crate::fast_paths::marked;
use proptest::sample::select;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// One action at a fixed time, the bodies it asks for read at once, as the runner does.
fn update(app: &mut App, action: Action) {
    let now = chrono::DateTime::parse_from_rfc3339("2026-03-08T12:00:00+01:00").expect("a time");
    step(app, action, now);
}

// ---------------------------------------------------------------------------------------------
// Strategies

fn utf8(text: &str) -> Vec<u8> {
    text.as_bytes().to_vec()
}

fn utf16(text: &str, little_endian: bool) -> Vec<u8> {
    let mut bytes = if little_endian {
        vec![0xFF, 0xFE]
    } else {
        vec![0xFE, 0xFF]
    };
    for unit in text.encode_utf16() {
        if little_endian {
            bytes.extend(unit.to_le_bytes());
        } else {
            bytes.extend(unit.to_be_bytes());
        }
    }
    bytes
}

/// Escape sequences of every kind a hostile article could carry.
const ESCAPES: &[&str] = &[
    "\u{1b}[31m",
    "\u{1b}[2J",
    "\u{1b}[H",
    "\u{1b}[?1049h",
    "\u{1b}]0;pwned\u{7}",
    "\u{1b}]2;x\u{1b}\\",
    "\u{1b}]8;;https://evil.example/\u{1b}\\",
    "\u{1b}]52;c;aGVsbG8=\u{7}",
    "\u{1b}P$q\"p\u{1b}\\",
    "\u{1b}c",
    "\u{1b}7",
    "\u{9b}31m",
    "\u{9d}0;x\u{9c}",
];

/// Text that stresses width, grapheme and line handling.
const TRICKY: &[&str] = &[
    "東京タワー",
    "한국어",
    "👨\u{200d}👩\u{200d}👧",
    "🏳\u{fe0f}\u{200d}🌈",
    "👍🏽",
    "e\u{301}\u{302}\u{303}",
    "\u{301}",
    "a\u{200d}",
    "\u{200d}\u{301}",
    "\t",
    "\r\n",
    "\r",
    "\n",
    "\u{b}\u{c}",
    "\u{7f}",
    "\u{ad}",
    "\u{202e}",
    "\u{2066}",
    "\u{200b}",
    "\u{feff}",
    "\u{2028}",
    "•",
    "©",
    "…",
    ". ",
    "œ",
    "ﬁ",
    "’",
    "\u{a0}",
];

/// A date header, valid or not, at the start of an article.
fn date_header() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u32..=13, 0u32..=32).prop_map(|(m, d)| format!("date 2026-{m:02}-{d:02} ")),
        (0u32..=13).prop_map(|m| format!("date 2026-{m:02} ")),
        "date [0-9]{4}-[0-9]{2}(-[0-9]{2})?[ \t\n]?",
        Just("date ".to_owned()),
        Just("date 2026-02-29 ".to_owned()),
        Just("date 2024-02-29 ".to_owned()),
    ]
}

/// One piece of an article, as bytes.
fn fragment() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => "[A-Za-zÀ-ÿ ,;:'()-]{1,24}[.!?…]? ?".prop_map(|s| utf8(&s)),
        2 => select(ESCAPES).prop_map(utf8),
        2 => select(TRICKY).prop_map(utf8),
        1 => (0u8..0x20).prop_map(|b| vec![b]),
        1 => (0x80u8..0xA0).prop_map(|b| vec![b]),
        1 => (0x80u32..0xA0).prop_map(|c| utf8(&char::from_u32(c).map(String::from).unwrap_or_default())),
        1 => Just(vec![0x1b]),
        1 => Just(vec![0]),
        1 => select(vec![vec![0xFF, 0xFE], vec![0xFE, 0xFF], vec![0xEF, 0xBB, 0xBF]]),
        1 => "[\u{4e00}-\u{9fff}]{1,8}".prop_map(|s| utf8(&s)),
        1 => "[\u{1F300}-\u{1F64F}\u{1F900}-\u{1F9FF}]{1,4}".prop_map(|s| utf8(&s)),
        1 => "[a-z][\u{300}-\u{36f}]{1,4}".prop_map(|s| utf8(&s)),
        1 => any::<char>().prop_map(|c| utf8(&String::from(c))),
        1 => prop::collection::vec(any::<u8>(), 1..16),
        1 => date_header().prop_map(|s| utf8(&s)),
    ]
}

/// The bytes of one file: pure noise, or pieces biased toward what breaks terminals and
/// parsers, or such text encoded as UTF-16 with a byte order mark.
fn file_bytes() -> impl Strategy<Value = Vec<u8>> {
    let pieces = || prop::collection::vec(fragment(), 0..120).prop_map(|f| f.concat());
    let header_then = |body: BoxedStrategy<Vec<u8>>| {
        (prop::option::of(date_header()), body).prop_map(|(header, body)| {
            let mut bytes = header.map(|h| h.into_bytes()).unwrap_or_default();
            bytes.extend(body);
            bytes
        })
    };
    prop_oneof![
        2 => prop::collection::vec(any::<u8>(), 0..4096),
        4 => header_then(pieces().boxed()),
        1 => (any::<bool>(), pieces()).prop_map(|(le, bytes)| {
            utf16(&String::from_utf8_lossy(&bytes), le)
        }),
    ]
}

/// A file name, sometimes hostile.
fn file_name() -> impl Strategy<Value = String> {
    "[a-z0-9\u{1b}\u{9b}\u{202e}\u{200b}\u{7f}\t東👍 ]{0,12}".prop_map(|s| format!("{s}.txt"))
}

fn corpus_files() -> impl Strategy<Value = Vec<(String, Vec<u8>)>> {
    prop::collection::vec((file_name(), file_bytes()), 1..5)
}

fn action(max_width: u16, max_height: u16) -> impl Strategy<Value = Action> {
    prop_oneof![
        8 => select(vec![
            Action::Up,
            Action::Down,
            Action::PageUp,
            Action::PageDown,
            Action::Top,
            Action::Bottom,
            Action::Open,
            Action::Back,
            Action::FocusNext,
            Action::FocusPrev,
            Action::FocusFilter,
            Action::Submit,
            Action::Backspace,
            Action::Delete,
            Action::CursorLeft,
            Action::CursorRight,
            Action::CursorHome,
            Action::CursorEnd,
            Action::DeleteWord,
            Action::ClearFilter,
            Action::ToggleHelp,
            Action::ToggleWarnings,
            Action::CycleSort,
            Action::Quit,
        ]),
        3 => prop_oneof![
            any::<char>(),
            select(vec!['2', '0', '6', '-', '.', ' ', 'a', 'é', '\u{301}', '東', '"', ':', 'O', 'R']),
        ]
        .prop_map(Action::Insert),
        1 => (0..=max_width, 0..=max_height).prop_map(|(w, h)| Action::Resize(w, h)),
        // Along the timeline, find in the article, marks, links, questions, the mouse.
        4 => select(vec![
            Action::FindInArticle,
            Action::NextMatch,
            Action::PrevMatch,
            Action::ToggleRead,
            Action::ToggleStar,
            Action::MarkAllRead,
            Action::Confirm,
            Action::ShowLinks,
            Action::OpenLink,
            Action::CopyLink,
            Action::Suspend,
        ]),
        2 => (-30i32..=30, -30i32..=30).prop_map(|(by, widen)| Action::MoveRange(by, widen)),
        1 => (0usize..8).prop_map(Action::OpenRelated),
        2 => (0..=max_width, 0..=max_height, -20isize..=20)
            .prop_map(|(x, y, lines)| Action::Wheel(x, y, lines)),
        2 => (0..=max_width, 0..=max_height).prop_map(|(x, y)| Action::Click(x, y)),
    ]
}

/// Read and starred marks for the first articles of a corpus: (read, starred) for each.
fn mark_flags() -> impl Strategy<Value = Vec<(bool, bool)>> {
    prop::collection::vec((any::<bool>(), any::<bool>()), 0..10)
}

// ---------------------------------------------------------------------------------------------
// Helpers

fn load(files: &[(String, Vec<u8>)]) -> Catalog {
    Catalog::from_memory(
        files
            .iter()
            .map(|(name, bytes)| (PathBuf::from(name), bytes.as_slice())),
    )
}

/// An invisible format character that kiosque marks in article text: bidi controls,
/// zero-width spaces and marks, the byte order mark. The zero-width joiner is left to
/// `a_zero_width_joiner_outside_an_emoji_is_marked` and
/// `an_emoji_sequence_is_not_split_in_a_narrow_reader`, since emoji sequences keep it.
fn hidden_format(symbol: &str) -> Option<char> {
    symbol.chars().find(|&c| {
        matches!(
            c,
            '\u{ad}'
                | '\u{61c}'
                | '\u{180e}'
                | '\u{200b}'
                | '\u{200c}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{2028}'..='\u{202e}'
                | '\u{2060}'..='\u{206f}'
                | '\u{feff}'
                | '\u{fff9}'..='\u{fffb}'
        )
    })
}

/// Draws a frame and checks every cell. `strict` also refuses invisible format characters:
/// it is off when such a character was typed into the filter, which shows what the user typed.
fn draw(
    terminal: &mut Terminal<TestBackend>,
    app: &mut App,
    strict: bool,
) -> Result<(), TestCaseError> {
    // The terminal follows the size the app was told, as the real one does.
    let (width, height) = (app.screen().width, app.screen().height);
    let size = terminal.backend().buffer().area;
    if (size.width, size.height) != (width, height) {
        terminal.backend_mut().resize(width, height);
    }
    terminal
        .draw(|frame| view(app, &mut ViewState::default(), frame))
        .map_err(|e| TestCaseError::fail(format!("draw: {e}")))?;
    let buffer = terminal.backend().buffer();
    for (i, cell) in buffer.content().iter().enumerate() {
        let symbol = cell.symbol();
        let (x, y) = buffer.pos_of(i);
        prop_assert!(
            !symbol.chars().any(char::is_control),
            "control character in cell ({x}, {y}): {symbol:?}"
        );
        if strict {
            prop_assert!(
                hidden_format(symbol).is_none(),
                "invisible format character in cell ({x}, {y}): {symbol:?}"
            );
        }
    }
    Ok(())
}

fn check_selection(app: &App) -> Result<(), TestCaseError> {
    if !app.results().is_empty() {
        prop_assert!(
            app.selected() < app.results().len(),
            "selected {} of {} results",
            app.selected(),
            app.results().len()
        );
    }
    Ok(())
}

fn typed_hidden(actions: &[Action]) -> bool {
    actions.iter().any(|a| match a {
        Action::Insert(c) => hidden_format(&c.to_string()).is_some(),
        _ => false,
    })
}

/// A small corpus of ordinary and hostile articles, dated and undated.
fn small_corpus() -> Catalog {
    let files: Vec<(String, Vec<u8>)> = [
        ("a.txt", "date 2026-03-06 La SÉCURITÉ des données. Suite."),
        (
            "b.txt",
            "date 2026-03 Le cœur du problème.\n• un point\n• deux",
        ),
        ("c.txt", "date 2025-11-30 L’insécurité grandit à Noël."),
        ("d.txt", "date 2024-02-29 Un élève naïf © Photo"),
        ("e.txt", "Sans date : sécurité et cœur."),
        ("f.txt", "date 2026-02-30 Date \u{1b}]0;x\u{7} impossible."),
        (
            "g.txt",
            "date 0000-01 L'an zéro.\n東京タワー 👨\u{200d}👩\u{200d}👧",
        ),
        ("h.txt", ""),
    ]
    .iter()
    .map(|(p, t)| (p.to_string(), t.as_bytes().to_vec()))
    .collect();
    load(&files)
}

fn query_text() -> impl Strategy<Value = String> {
    let term = prop_oneof![
        "[0-9]{0,5}(-[0-9]{0,3}){0,3}",
        "[0-9-]{0,12}\\.\\.[0-9-]{0,12}",
        "\\.{1,4}[0-9]{0,4}",
        "[a-zéœ’'\u{301}-]{1,8}",
        any::<String>(),
        Just("9999-12-31..".to_owned()),
        Just("..0000".to_owned()),
        Just("2026-02-29".to_owned()),
        Just("2024-02-29..2024-02".to_owned()),
        "-?(title:|is:|since:|until:)?\"?[a-zé ]{0,8}\"?",
        "[0-9]{1,10}[dwmy]",
        Just("OR".to_owned()),
        Just("today".to_owned()),
        Just("-\"«»".to_owned()),
        Just("is:read".to_owned()),
        Just("is:unread".to_owned()),
        Just("is:starred".to_owned()),
        Just("-is:starred".to_owned()),
    ];
    prop::collection::vec(term, 0..5).prop_map(|t| t.join(" "))
}

// ---------------------------------------------------------------------------------------------
// Properties

proptest! {
    #![proptest_config(crate::common::proptest_config(64))]

    /// Any files load, and draw in the list, in the reader scrolled through, and after any
    /// actions, at any size, without a panic and without a control character in a cell.
    #[test]
    fn any_bytes_load_and_draw_safely(
        files in corpus_files(),
        width in 1u16..=300,
        height in 1u16..=100,
        actions in prop::collection::vec(action(300, 100), 0..12),
        flags in mark_flags(),
    ) {
        let corpus = load(&files);
        let mut app = App::new(corpus, "props");
        app.start_with_marks(marked(app.catalog(), &flags));
        update(&mut app, Action::Resize(width, height));
        let mut terminal =
            Terminal::new(TestBackend::new(width, height)).expect("a test terminal");
        draw(&mut terminal, &mut app, true)?;
        update(&mut app, Action::Open);
        draw(&mut terminal, &mut app, true)?;
        for _ in 0..3 {
            update(&mut app, Action::PageDown);
            draw(&mut terminal, &mut app, true)?;
        }
        update(&mut app, Action::Bottom);
        draw(&mut terminal, &mut app, true)?;
        update(&mut app, Action::ToggleWarnings);
        draw(&mut terminal, &mut app, true)?;
        update(&mut app, Action::Back);
        let strict = !typed_hidden(&actions);
        for action in actions {
            update(&mut app, action);
            check_selection(&app)?;
            draw(&mut terminal, &mut app, strict)?;
        }
    }

    /// Any filter text parses or says why, and a parsed query filters without a panic.
    #[test]
    fn any_query_parses_or_says_why(
        text in prop_oneof![query_text(), any::<String>()],
        flags in mark_flags(),
    ) {
        let corpus = small_corpus();
        let marks = marked(&corpus, &flags);
        let today = chrono::NaiveDate::from_ymd_opt(2026, 3, 8).expect("a date");
        match Query::parse(&text, today) {
            Ok(query) => {
                let mut kept = query.filter(&corpus, &marks);
                prop_assert!(kept.len() <= corpus.corpus.articles.len());
                prop_assert!(kept.windows(2).all(|w| w[0] < w[1]));
                // The index agrees with reading every article again.
                let plain: Vec<usize> = (0..corpus.corpus.articles.len())
                    .filter(|&i| query.matches_plain(&corpus, &marks, i))
                    .collect();
                prop_assert_eq!(&kept, &plain);
                // Ranking reorders the results, never changes them.
                query.rank(&corpus, &mut kept);
                kept.sort_unstable();
                prop_assert_eq!(kept, plain);
            }
            Err(err) => prop_assert!(!err.to_string().is_empty()),
        }
    }

    /// Any sequence of actions, each followed by a frame, never panics and keeps the selection
    /// within the results.
    #[test]
    fn any_actions_keep_the_selection_in_range(
        actions in prop::collection::vec(action(300, 100), 0..24),
        flags in mark_flags(),
    ) {
        let mut app = App::new(small_corpus(), "props");
        app.start_with_marks(marked(app.catalog(), &flags));
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("a test terminal");
        draw(&mut terminal, &mut app, true)?;
        for action in actions {
            update(&mut app, action);
            check_selection(&app)?;
            draw(&mut terminal, &mut app, false)?;
            check_selection(&app)?;
        }
    }

    /// Any files, drawn after any actions at any size through ratatui's crossterm backend:
    /// the bytes, parsed as a terminal parses them, are printed text and the few CSI
    /// sequences ratatui draws with, never a control, an OSC, a DCS or another escape.
    #[test]
    fn any_bytes_reach_the_terminal_only_as_text(
        files in corpus_files(),
        width in 1u16..=300,
        height in 1u16..=100,
        actions in prop::collection::vec(action(300, 100), 0..16),
        flags in mark_flags(),
    ) {
        let corpus = load(&files);
        let mut app = App::new(corpus, "props");
        app.start_with_marks(marked(app.catalog(), &flags));
        update(&mut app, Action::Resize(width, height));
        let mut terminal = ByteTerminal::new(width, height);
        terminal.draw(&mut app);
        update(&mut app, Action::Open);
        terminal.draw(&mut app);
        update(&mut app, Action::PageDown);
        terminal.draw(&mut app);
        let typed_hidden = typed_hidden(&actions);
        for action in actions {
            // The terminal follows the size the app was told, as the real one does.
            if let Action::Resize(w, h) = action {
                terminal = ByteTerminal::new(w, h);
            }
            update(&mut app, action);
            terminal.draw(&mut app);
        }
        let recorder = &terminal.recorder;
        prop_assert!(
            recorder.violations.is_empty(),
            "{} forbidden things reached the terminal, first ones: {:#?}",
            recorder.violations.len(),
            &recorder.violations[..recorder.violations.len().min(20)]
        );
        prop_assert!(
            typed_hidden || recorder.invisible.is_empty(),
            "invisible characters reached the terminal: {:?}",
            recorder.invisible
        );
        let unexpected = terminal.unexpected_csi();
        prop_assert!(unexpected.is_empty(), "unexpected CSI sequences {:?}", unexpected);
    }
}

/// A family emoji is one grapheme two columns wide: a reader two columns wide shows it whole.
/// Cutting it between its code points leaves a zero-width joiner dangling at the end of a
/// cell, an invisible character sent to the terminal on its own, and shows three people on
/// three lines instead of one family.
#[test]
fn an_emoji_sequence_is_not_split_in_a_narrow_reader() {
    let family = "👨\u{200d}👩\u{200d}👧";
    let text = format!("date 2026-01-01 {family}\n{family} {family}\n");
    let corpus = load(&[("family.txt".to_owned(), text.into_bytes())]);
    for width in 6..=9 {
        let mut app = App::new(corpus.clone(), "props");
        update(&mut app, Action::Resize(width, 12));
        update(&mut app, Action::Open);
        let mut terminal = Terminal::new(TestBackend::new(width, 12)).expect("a test terminal");
        terminal
            .draw(|frame| view(&app, &mut ViewState::default(), frame))
            .expect("a frame");
        let cells: Vec<&str> = terminal
            .backend()
            .buffer()
            .content()
            .iter()
            .map(|c| c.symbol())
            .collect();
        let cut: Vec<&&str> = cells
            .iter()
            .filter(|s| s.contains('\u{200d}') && **s != family)
            .collect();
        assert!(
            cut.is_empty(),
            "{width} columns: the family emoji is cut into {cut:?}\n{}",
            terminal.backend()
        );
    }
}

/// The sanitizer keeps a zero-width joiner only inside an emoji sequence; anywhere else it is
/// invisible and must be shown as a marker. After a letter and before a combining accent it
/// joins nothing.
#[test]
fn a_zero_width_joiner_outside_an_emoji_is_marked() {
    let text = "date 2026-01-01 Titre.\nUn a\u{200d}\u{301} caché.\n";
    let corpus = load(&[("zwj.txt".to_owned(), text.as_bytes().to_vec())]);
    let mut app = App::new(corpus, "props");
    update(&mut app, Action::Resize(80, 24));
    update(&mut app, Action::Open);
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("a test terminal");
    terminal
        .draw(|frame| view(&app, &mut ViewState::default(), frame))
        .expect("a frame");
    let screen = terminal.backend().to_string();
    let leaks: Vec<String> = screen
        .lines()
        .filter(|l| l.contains('\u{200d}'))
        .map(|l| l.escape_debug().to_string())
        .collect();
    assert!(
        leaks.is_empty(),
        "a zero-width joiner reached a cell: {leaks:#?}"
    );
    assert!(screen.contains("<U+200D>"), "no marker:\n{screen}");
}
