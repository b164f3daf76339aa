//! Whole frames drawn with ratatui's TestBackend and compared with reviewed snapshots: what
//! a user sees at 80×24 and 120×40 on the embedded sample.

use kiosque::corpus::Warning;
use kiosque::search::catalog::Catalog;
use kiosque::store::sample;
use kiosque::tui::action::Action;
use kiosque::tui::app::App;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::common::frame::{act, frame, row, rows, status, typed, update};

fn app(width: u16, height: u16) -> App {
    app_with(width, height, Vec::new())
}

/// The sample, with `warnings` as if loading had found them.
fn app_with(width: u16, height: u16, warnings: Vec<Warning>) -> App {
    let mut catalog = Catalog::indexed(sample::corpus());
    catalog.corpus.warnings.extend(warnings);
    let mut app = App::new(catalog, "sample");
    act(&mut app, &[Action::Resize(width, height)]);
    app
}

fn draw(app: &mut App) -> Terminal<TestBackend> {
    frame(app)
}

#[test]
fn list_80x24() {
    let mut app = app(80, 24);
    insta::assert_snapshot!(draw(&mut app).backend());
}

#[test]
fn list_and_reader_side_by_side_120x40() {
    let mut app = app(120, 40);
    act(&mut app, &[Action::Down, Action::Down]);
    insta::assert_snapshot!(draw(&mut app).backend());
}

#[test]
fn reader_alone_80x24_scrolled() {
    let mut app = app(80, 24);
    act(
        &mut app,
        &[Action::Down, Action::Open, Action::Down, Action::Down],
    );
    insta::assert_snapshot!(draw(&mut app).backend());
}

#[test]
fn reader_bullets_and_caption_120x40() {
    let mut app = app(120, 40);
    act(&mut app, &[Action::FocusFilter]);
    typed(&mut app, "lyon velo");
    act(&mut app, &[Action::Submit, Action::Open]);
    insta::assert_snapshot!(draw(&mut app).backend());
}

#[test]
fn filter_ignores_accents_80x24() {
    let mut app = app(80, 24);
    act(&mut app, &[Action::FocusFilter]);
    typed(&mut app, "SECURITE 2022..");
    insta::assert_snapshot!(draw(&mut app).backend());
}

#[test]
fn invalid_filter_says_why_and_keeps_results_80x24() {
    let mut app = app(80, 24);
    act(&mut app, &[Action::FocusFilter]);
    typed(&mut app, "2020-13");
    insta::assert_snapshot!(draw(&mut app).backend());
}

#[test]
fn no_result_80x24() {
    let mut app = app(80, 24);
    act(&mut app, &[Action::FocusFilter]);
    typed(&mut app, "zzz");
    act(&mut app, &[Action::Back]);
    insta::assert_snapshot!(draw(&mut app).backend());
}

#[test]
fn help_overlay_120x40() {
    let mut app = app(120, 40);
    act(&mut app, &[Action::ToggleHelp]);
    insta::assert_snapshot!(draw(&mut app).backend());
}

#[test]
fn warnings_overlay_80x24() {
    let mut app = app_with(
        80,
        24,
        vec![
            Warning {
                path: "articles/vide.txt".into(),
                reason: "no text".into(),
                skipped: true,
            },
            Warning {
                path: "articles/fevrier.txt".into(),
                reason: "the date 2026-02-30 does not exist; the article is shown as undated"
                    .into(),
                skipped: false,
            },
        ],
    );
    insta::assert_snapshot!("warnings_status_80x24", draw(&mut app).backend());
    act(&mut app, &[Action::ToggleWarnings]);
    // The column beside the window's border is cleared: no cut-off title's `…` of the list
    // behind it shows against the border.
    insta::assert_snapshot!(draw(&mut app).backend());
}

#[test]
fn every_size_draws_without_panic() {
    let mut app = app(80, 24);
    act(&mut app, &[Action::Open]);
    for width in [0, 1, 2, 5, 10, 39, 40, 99, 100, 101, 300] {
        for height in [0, 1, 2, 3, 4, 5, 10, 100] {
            for focus in [Action::Back, Action::Open, Action::FocusFilter] {
                update(&mut app, Action::Resize(width, height));
                update(&mut app, focus);
                draw(&mut app);
                update(&mut app, Action::ToggleHelp);
                draw(&mut app);
                update(&mut app, Action::ToggleHelp);
            }
        }
    }
}

#[test]
fn loading_shows_progress_80x24() {
    let mut app = App::loading("articles");
    update(&mut app, Action::Resize(80, 24));
    update(
        &mut app,
        Action::Loading(kiosque::search::catalog::Stage::Reading, 41_984, 100_000),
    );
    insta::assert_snapshot!(draw(&mut app).backend());
}

#[test]
fn reader_ends_with_related_articles_120x40() {
    let mut app = app(120, 40);
    act(&mut app, &[Action::FocusFilter]);
    typed(&mut app, "canicule marseille");
    act(&mut app, &[Action::Submit, Action::Open, Action::Bottom]);
    let screen = draw(&mut app);
    insta::assert_snapshot!(screen.backend());
    // The first related article opens with `1`, even though the filter hid it.
    act(&mut app, &[Action::OpenRelated(0)]);
    assert_eq!(app.filter_text(), "");
    assert_eq!(app.focus(), kiosque::tui::layout::Focus::Reader);
    // It is the one listed first under "Related" in the snapshot, not the article the
    // reader showed.
    assert_eq!(
        app.selected_article()
            .map(|a| a.path.to_string_lossy().into_owned()),
        Some("sample/cyberattaque-hopital-val-de-lys-2022.txt".to_owned())
    );
    let reader = rows(&draw(&mut app)).join("\n");
    assert!(
        reader.contains("Les écrans sont restés noirs"),
        "the reader shows the related article:\n{reader}"
    );
}

fn status_of(terminal: &Terminal<TestBackend>) -> String {
    status(terminal)
}

#[test]
fn a_long_folder_name_gives_way_to_the_keys() {
    let long = "/srv/users/lea/archives/presse/quotidiens/nationaux/2026/novembre";
    let mut app = App::new(Catalog::indexed(sample::corpus()), long);
    update(&mut app, Action::Resize(80, 24));
    let status = status_of(&draw(&mut app));
    assert!(
        status.starts_with(" …") && status.contains("novembre · 14 articles"),
        "{status:?}"
    );
    for hint in ["Enter read", "/ filter", "? help", "q quit"] {
        assert!(status.contains(hint), "{hint:?} missing from {status:?}");
    }

    // Narrower, hints go but the name keeps its last folder, and help and quit stay.
    update(&mut app, Action::Resize(52, 24));
    let status = status_of(&draw(&mut app));
    assert!(status.contains("/novembre · 14 articles"), "{status:?}");
    assert!(
        status.contains("? help") && status.contains("q quit"),
        "{status:?}"
    );
    assert!(!status.contains("/srv"), "{status:?}");
}

/// The cells of `line` (a row of the frame) whose text is `word`, as (x, style) pairs.
fn styles_of(terminal: &Terminal<TestBackend>, y: u16, word: &str) -> Vec<ratatui::style::Style> {
    let buffer = terminal.backend().buffer();
    let row: Vec<&str> = (0..buffer.area.width)
        .map(|x| buffer[(x, y)].symbol())
        .collect();
    let chars: Vec<&str> = word.chars().map(|_| "").collect();
    let len = chars.len();
    for x in 0..row.len().saturating_sub(len) {
        let here: String = row[x..x + len].concat();
        if here == word {
            return (x..x + len)
                .map(|x| buffer[(x as u16, y)].style())
                .collect();
        }
    }
    panic!("{word:?} is not on row {y}: {:?}", row.concat());
}

#[test]
fn matched_words_stand_out_in_the_list_and_the_reader() {
    let mut app = app(120, 40);
    act(&mut app, &[Action::FocusFilter]);
    typed(&mut app, "metropole");
    act(&mut app, &[Action::Submit]);
    let terminal = draw(&mut app);
    // The list row and the reader's title both show MÉTROPOLE-as-written highlighted.
    let in_list = styles_of(&terminal, 4, "métropole");
    assert!(
        in_list
            .iter()
            .all(|s| s.fg == Some(ratatui::style::Color::Yellow)),
        "{in_list:?}"
    );
    let before = styles_of(&terminal, 4, "La ");
    assert!(
        before
            .iter()
            .all(|s| s.fg != Some(ratatui::style::Color::Yellow))
    );
}

#[test]
fn n_and_shift_n_go_through_the_matches() {
    let mut app = app(120, 40);
    act(&mut app, &[Action::FocusFilter]);
    typed(&mut app, "velo");
    act(&mut app, &[Action::Submit, Action::Open]);
    let top = |t: &Terminal<TestBackend>| row(t, 0);
    let first = top(&draw(&mut app));
    let count: usize = first
        .split(" matches · n")
        .next()
        .and_then(|s| s.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no match count in {first:?}"));
    assert!(count >= 3, "{first}");
    act(&mut app, &[Action::NextMatch]);
    assert!(top(&draw(&mut app)).contains(&format!(" match 1/{count} ")));
    act(&mut app, &[Action::NextMatch]);
    assert!(top(&draw(&mut app)).contains(&format!(" match 2/{count} ")));
    act(&mut app, &[Action::PrevMatch, Action::PrevMatch]);
    assert!(top(&draw(&mut app)).contains(&format!(" match {count}/{count} ")));
    act(&mut app, &[Action::NextMatch]);
    assert!(top(&draw(&mut app)).contains(&format!(" match 1/{count} ")));
}

#[test]
fn slash_in_the_reader_searches_the_article() {
    let mut app = app(80, 24);
    act(&mut app, &[Action::Open, Action::FindInArticle]);
    typed(&mut app, "water");
    let terminal = draw(&mut app);
    assert!(
        status_of(&terminal).starts_with(" /water "),
        "{:?}",
        status_of(&terminal)
    );
    act(&mut app, &[Action::Submit]);
    let terminal = draw(&mut app);
    let text = row(&terminal, 0);
    assert!(text.contains(" match 1/"), "{text}");
    // The match is on screen, in the reverse video of the current match.
    let buffer = terminal.backend().buffer();
    let shown = (1..buffer.area.height - 1).any(|y| {
        (0..buffer.area.width).any(|x| {
            let cell = &buffer[(x, y)];
            cell.style()
                .add_modifier
                .contains(ratatui::style::Modifier::REVERSED)
                && cell.symbol() == "w"
        })
    });
    assert!(shown, "the current match is not shown");
    // Escape in the reader goes back; the filter was never touched.
    act(&mut app, &[Action::Back]);
    assert_eq!(app.filter_text(), "");
    assert_eq!(app.results().len(), 14);
}

#[test]
fn without_colour_everything_still_shows() {
    use ratatui::style::{Color, Modifier};
    let mut app = app_with(
        120,
        40,
        vec![Warning {
            path: "x.txt".into(),
            reason: "no text".into(),
            skipped: true,
        }],
    );
    app.settings.colour = false;
    act(&mut app, &[Action::FocusFilter]);
    typed(&mut app, "metropole");
    act(&mut app, &[Action::Submit]);
    let terminal = draw(&mut app);
    let buffer = terminal.backend().buffer();
    assert!(
        buffer
            .content
            .iter()
            .all(|c| c.fg == Color::Reset && c.bg == Color::Reset),
        "a colour was drawn"
    );
    // The selection is reverse video and the match underlined, with or without colour.
    let row = styles_of(&terminal, 4, "métropole");
    assert!(
        row.iter()
            .all(|s| s.add_modifier.contains(Modifier::REVERSED))
    );
    assert!(
        row.iter()
            .all(|s| s.add_modifier.contains(Modifier::UNDERLINED))
    );
}

#[test]
fn the_timeline_shows_in_the_filter_80x24() {
    let mut app = app(80, 24);
    act(&mut app, &[Action::FocusFilter]);
    typed(&mut app, "la 2023");
    act(
        &mut app,
        &[Action::MoveRange(0, 1), Action::MoveRange(0, 1)],
    );
    assert_eq!(app.filter_text(), "la 2023-01..2024-02");
    insta::assert_snapshot!(draw(&mut app).backend());
    // The count under the axis is what `kiosque list` finds for the same range.
    let dates_only = kiosque::search::query::Query::parse("2023-01..2024-02", app.today())
        .expect("a range")
        .filter(app.catalog(), app.marks())
        .len();
    let status = row(&draw(&mut app), 7);
    assert!(
        status.contains(&format!("2023-01..2024-02: {dates_only} ")),
        "{status}"
    );
}

#[test]
fn reader_text_is_never_wider_than_a_reading_width() {
    let mut app = app(300, 40);
    act(&mut app, &[Action::Open]);
    let terminal = draw(&mut app);
    let buffer = terminal.backend().buffer();
    // The reader starts at 40% of the width; its text at most 100 columns after that.
    let start = 120 + 2;
    // Rows 1 to 37: inside the reader's borders.
    for y in 1..38 {
        let beyond: String = (start + kiosque::tui::ui::typeset::MAX_TEXT_WIDTH as u16..299)
            .map(|x| buffer[(x, y)].symbol())
            .collect();
        assert!(
            beyond.trim().is_empty(),
            "row {y} runs past 100 columns: {beyond:?}"
        );
    }
}

#[test]
fn keys_from_the_config_show_in_the_help_and_the_status_bar() {
    let mut app = app(120, 40);
    app.settings.keys = kiosque::tui::keys::Keys::with(&[(
        "quit".to_owned(),
        vec![kiosque::tui::keys::parse_key("x").expect("a key")],
    )])
    .expect("valid keys");
    let status = status_of(&draw(&mut app));
    assert!(
        status.contains("x quit") && !status.contains("q quit"),
        "{status}"
    );
    act(&mut app, &[Action::ToggleHelp]);
    let terminal = draw(&mut app);
    let buffer = terminal.backend().buffer();
    let screen: String = (0..buffer.area.height)
        .flat_map(|y| (0..buffer.area.width).map(move |x| (x, y)))
        .map(|(x, y)| buffer[(x, y)].symbol().to_owned())
        .collect();
    assert!(
        screen.contains("  x                 quit"),
        "the help lists the new key"
    );
}

#[test]
fn the_status_bar_says_which_order_is_in_use() {
    let mut app = app(120, 40);
    assert!(!status_of(&draw(&mut app)).contains("first"));
    act(&mut app, &[Action::CycleSort]);
    assert!(status_of(&draw(&mut app)).contains(" · oldest first"));
    act(&mut app, &[Action::FocusFilter]);
    typed(&mut app, "lyon");
    act(&mut app, &[Action::Submit, Action::CycleSort]);
    assert!(status_of(&draw(&mut app)).contains(" · by relevance"));
}
