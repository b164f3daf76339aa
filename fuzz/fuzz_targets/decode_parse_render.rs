//! Arbitrary bytes through everything kiosque does with a file: decode, parse, sanitize,
//! then draw it in the list and the reader at a fuzzed terminal size, checking that no
//! control character (ESC included) ever reaches a cell of the screen.
//!
//! ratatui itself silently drops any grapheme holding a control character when it renders
//! a span, so the cell check alone would hide a sanitizer bug. The target therefore also
//! checks kiosque's own promise (src/sanitize.rs) on the loaded article: no title, path,
//! block or warning text holds a control character or a character `sanitize::is_unsafe`
//! says it never lets through (a zero-width joiner is allowed: it is kept inside emoji).
//!
//! Input layout: byte 0 = terminal width (clamped to 1..=300), byte 1 = terminal height
//! (clamped to 1..=100), the rest = the contents of the file.
#![no_main]

use std::path::PathBuf;

use kiosque::tui::action::Action;
use kiosque::tui::app::App;
use kiosque::tui::effects::step;
use kiosque::tui::ui::{ViewState, view};
use kiosque::search::catalog::Catalog;
use kiosque::search::query::Query;
use kiosque::text::sanitize::is_unsafe;
use libfuzzer_sys::fuzz_target;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// One action at a fixed time, the bodies it asks for read at once, as the runner does.
fn update(app: &mut App, action: Action) {
    let now = chrono::DateTime::parse_from_rfc3339("2026-03-08T12:00:00+01:00").expect("a time");
    step(app, action, now);
}

fn draw(terminal: &mut Terminal<TestBackend>, app: &mut App, step: &str) {
    terminal
        .draw(|f| {
            view(app, &mut ViewState::default(), f);
        })
        .expect("TestBackend draw cannot fail");
    let buffer = terminal.backend().buffer();
    let width = usize::from(buffer.area.width.max(1));
    for (i, cell) in buffer.content().iter().enumerate() {
        let symbol = cell.symbol();
        if let Some(c) = symbol.chars().find(|&c| c.is_control() || c == '\u{1b}') {
            panic!(
                "control character {:?} (U+{:04X}) in cell ({}, {}) after {step}: symbol {:?}",
                c,
                u32::from(c),
                i % width,
                i / width,
                symbol
            );
        }
    }
}

fn check_text(what: &str, text: &str) {
    if let Some(c) = text
        .chars()
        .find(|&c| c.is_control() || (is_unsafe(c) && c != '\u{200d}'))
    {
        panic!(
            "unsanitized character {:?} (U+{:04X}) in {what}: {:?}",
            c,
            u32::from(c),
            text
        );
    }
}

fn check_corpus(catalog: &Catalog) {
    let corpus = &catalog.corpus;
    for article in &corpus.articles {
        check_text("article title", &article.title);
        check_text("article shown_path", &article.shown_path());
        let body = kiosque::store::read::body(article);
        check_text("body title", &body.title);
        for (i, block) in body.blocks.iter().enumerate() {
            check_text(&format!("article block {i}"), block.text());
        }
    }
    for warning in &corpus.warnings {
        check_text("warning path", &warning.path);
        check_text("warning reason", &warning.reason);
    }
}

fuzz_target!(|input: &[u8]| {
    if input.len() < 2 {
        return;
    }
    let (size, data) = input.split_at(2);
    let w = u16::from(size[0]).clamp(1, 300);
    let h = u16::from(size[1]).clamp(1, 100);

    let today = chrono::NaiveDate::from_ymd_opt(2026, 3, 6).expect("a real day");
    let _ = Query::parse(&String::from_utf8_lossy(input), today);

    let corpus = Catalog::from_memory([(PathBuf::from("fuzz.txt"), data)]);
    check_corpus(&corpus);
    if corpus.corpus.articles.is_empty() {
        return;
    }

    let mut app = App::new(corpus, "fuzz");
    update(&mut app, Action::Resize(w, h));
    let mut terminal =
        Terminal::new(TestBackend::new(w, h)).expect("TestBackend terminal cannot fail");
    draw(&mut terminal, &mut app, "first frame");

    update(&mut app, Action::Open);
    draw(&mut terminal, &mut app, "Open");
    for (i, action) in [Action::PageDown, Action::PageDown, Action::Bottom, Action::PageDown]
        .into_iter()
        .enumerate()
    {
        let step = format!("{action:?} (step {i})");
        update(&mut app, action);
        draw(&mut terminal, &mut app, &step);
    }

    // The warnings overlay shows what loading noted about the file (sanitized path and reason).
    update(&mut app, Action::ToggleWarnings);
    draw(&mut terminal, &mut app, "ToggleWarnings");
});
