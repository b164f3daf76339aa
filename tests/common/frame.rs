//! Frames of the real view drawn in memory, for the tests of what kiosque draws (`view`,
//! `props`, `escapes`): an app on the embedded sample, a frame drawn as the runner draws it
//! (the open article's body read first), and the rows of a drawn frame as text. Every action
//! goes through `update` at one fixed time, so what a test sees never depends on the clock.

use kiosque::search::catalog::Catalog;
use kiosque::store::sample;
use kiosque::tui::action::Action;
use kiosque::tui::app::App;
use kiosque::tui::effects::step;
use kiosque::tui::ui::{ViewState, view};
use ratatui::Terminal;
use ratatui::backend::{Backend, TestBackend};

/// The embedded sample at `width`×`height`, as `kiosque` with no argument opens it.
pub fn sample_app(width: u16, height: u16) -> App {
    let mut app = App::new(Catalog::indexed(sample::corpus()), "sample");
    update(&mut app, Action::Resize(width, height));
    app
}

/// The time every test action happens at: a Sunday in March 2026, in France.
pub fn now() -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339("2026-03-08T12:00:00+01:00").expect("a fixed time")
}

/// One action at [`now`], the bodies it asks for read at once, as the runner does.
pub fn update(app: &mut App, action: Action) {
    step(app, action, now());
}

/// Draws one frame of `app` on `terminal`, as the runner does (the bodies `update` asked
/// for were read when it asked).
pub fn draw_on<B: Backend>(terminal: &mut Terminal<B>, app: &mut App) {
    terminal
        .draw(|frame| view(app, &mut ViewState::default(), frame))
        .unwrap_or_else(|_| panic!("a frame could not be drawn"));
}

/// A frame of `app` on a new test terminal of the app's size.
pub fn frame(app: &mut App) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(app.screen().width, app.screen().height))
        .expect("a test terminal");
    draw_on(&mut terminal, app);
    terminal
}

/// Applies `actions` in order.
pub fn act(app: &mut App, actions: &[Action]) {
    for action in actions {
        update(app, action.clone());
    }
}

/// Types `text` one character at a time.
pub fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        update(app, Action::Insert(c));
    }
}

/// Row `y` of a drawn frame, as text.
pub fn row(terminal: &Terminal<TestBackend>, y: u16) -> String {
    let buffer = terminal.backend().buffer();
    (0..buffer.area.width)
        .map(|x| buffer[(x, y)].symbol())
        .collect()
}

/// Every row of a drawn frame, as text.
pub fn rows(terminal: &Terminal<TestBackend>) -> Vec<String> {
    let area = terminal.backend().buffer().area;
    (area.top()..area.bottom())
        .map(|y| row(terminal, y))
        .collect()
}

/// The last row: the status bar.
pub fn status(terminal: &Terminal<TestBackend>) -> String {
    let area = terminal.backend().buffer().area;
    row(terminal, area.bottom().saturating_sub(1))
}
