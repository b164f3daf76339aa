//! `view`: draws the whole screen from the application state, which it cannot change: what
//! a key does, scrolling included, is done in `update`. The only state it writes is its own
//! (`ViewState`).

mod filter;
mod list;
pub(crate) mod overlay;
mod reader;
mod sources;
mod status;
pub mod typeset;

use std::ops::Range;

use ratatui::Frame;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Block;

use crate::search::query::Highlighter;
use crate::tui::app::App;
use crate::tui::layout::areas;
use filter::visible_part;

/// What the view keeps for the runner, which owns it. The open article's lines are not here:
/// `update` needs them to scroll, so they are derived data of the model (see `tui::page`).
#[derive(Default)]
pub struct ViewState {
    /// The links drawn in the last frame, which the runner may turn into OSC 8 hyperlinks.
    pub hyperlinks: Vec<Hyperlink>,
}

/// A link as drawn on the screen: where its text starts, the text, and where it leads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hyperlink {
    pub x: u16,
    pub y: u16,
    pub text: String,
    pub url: String,
    /// Drawn in reverse video (the selected link).
    pub selected: bool,
}

/// Draws one frame.
pub fn view(app: &App, state: &mut ViewState, frame: &mut Frame<'_>) {
    state.hyperlinks.clear();
    let areas = areas(frame.area(), app.focus);
    filter::render(app, frame, areas.filter);
    list::render(app, frame, areas.list);
    reader::render(app, frame, areas.reader);
    status::render(app, frame, areas.status);
    if let Some(shown) = app.overlay.shown {
        overlay::render(app, shown, state, frame);
    }
    if !app.settings.colour {
        // Colour is a second signal everywhere kiosque uses it (the selection is reverse
        // video, matches are underlined, unread is bold with a dot): without it, nothing
        // is lost.
        for cell in &mut frame.buffer_mut().content {
            cell.set_fg(Color::Reset).set_bg(Color::Reset);
        }
    }
}

/// A pane's frame: bold borders and title when it has the keyboard.
fn pane(title: &str, focused: bool) -> Block<'static> {
    let style = if focused {
        Style::new().add_modifier(Modifier::BOLD)
    } else {
        Style::new().add_modifier(Modifier::DIM)
    };
    Block::bordered()
        .border_style(style)
        .title(Line::styled(format!(" {title} "), style))
}

/// The style of words that match the query.
pub fn match_style() -> Style {
    Style::new()
        .fg(Color::Yellow)
        .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
}

/// `text` as spans in `style`, the words the query matches standing out.
pub fn highlighted(text: &str, highlight: &Highlighter, style: Style) -> Vec<Span<'static>> {
    let marks: Vec<(Range<usize>, Style)> = highlight
        .find(text)
        .into_iter()
        .map(|r| (r, match_style()))
        .collect();
    mark(&[Span::styled(text.to_owned(), style)], &marks).spans
}

/// `spans` with the byte ranges of their joined text (sorted, not overlapping) restyled:
/// each range's style is patched onto the spans it covers.
pub fn mark(spans: &[Span<'_>], marks: &[(Range<usize>, Style)]) -> Line<'static> {
    let mut out = Vec::with_capacity(spans.len() + 2 * marks.len());
    let mut base = 0;
    for span in spans {
        let text = span.content.as_ref();
        let end = base + text.len();
        let mut at = 0;
        for (range, style) in marks {
            let start = range.start.clamp(base, end) - base;
            let stop = range.end.clamp(base, end) - base;
            if start >= stop || start < at {
                continue;
            }
            if !text.is_char_boundary(start) || !text.is_char_boundary(stop) {
                continue;
            }
            if start > at {
                out.push(Span::styled(text[at..start].to_owned(), span.style));
            }
            out.push(Span::styled(
                text[start..stop].to_owned(),
                span.style.patch(*style),
            ));
            at = stop;
        }
        if at < text.len() || text.is_empty() {
            out.push(Span::styled(text[at..].to_owned(), span.style));
        }
        base = end;
    }
    Line::from(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::catalog::Catalog;
    use crate::tui::action::Action;
    use crate::tui::effects::step;
    use crate::tui::keys::{Keys, parse_key};
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use std::path::PathBuf;

    fn app(keys: &[(&str, &str)]) -> App {
        let texts = [
            "date 2026-03-06 La sécurité avant tout.\nVoir https://example.org/a et https://example.org/b.",
            "date 2026-03-03 Le cœur du sujet.",
        ];
        let catalog = Catalog::from_memory(
            texts
                .iter()
                .enumerate()
                .map(|(i, t)| (PathBuf::from(format!("{i}.txt")), t.as_bytes())),
        );
        let mut app = App::new(catalog, "test");
        let overrides: Vec<(String, Vec<crate::tui::keymap::Key>)> = keys
            .iter()
            .map(|(name, key)| ((*name).to_owned(), vec![parse_key(key).unwrap()]))
            .collect();
        app.settings.keys = Keys::with(&overrides).unwrap();
        update(&mut app, Action::Resize(120, 12));
        app
    }

    fn update(app: &mut App, action: Action) {
        let now = chrono::DateTime::parse_from_rfc3339("2026-03-08T12:00:00+01:00").unwrap();
        step(app, action, now);
    }

    fn screen(app: &App) -> String {
        let mut terminal = Terminal::new(TestBackend::new(120, 12)).unwrap();
        terminal
            .draw(|f| view(app, &mut ViewState::default(), f))
            .unwrap();
        let buffer = terminal.backend().buffer();
        (0..buffer.area.height)
            .map(|y| {
                let row: String = (0..buffer.area.width)
                    .map(|x| buffer[(x, y)].symbol())
                    .collect();
                row.trim_end().to_owned() + "\n"
            })
            .collect()
    }

    #[test]
    fn hints_in_sentences_show_the_keys_the_config_gives() {
        let mut app = app(&[
            ("filter", "f"),
            ("clear-filter", "ctrl-x"),
            ("next-match", "ctrl-n"),
            ("scroll-down", "J"),
            ("scroll-up", "K"),
            ("open-link", "O"),
            ("copy-link", "y"),
            ("warnings", "W"),
        ]);
        app.note("a note".to_owned());
        let list = screen(&app);
        assert!(
            list.contains("press f to filter by words or dates"),
            "{list}"
        );
        assert!(list.contains("1 note (W)"), "{list}");
        for key in ["press / to", "(w)"] {
            assert!(!list.contains(key), "{key} in {list}");
        }
        update(&mut app, Action::FocusFilter);
        for c in "introuvable".chars() {
            update(&mut app, Action::Insert(c));
        }
        let empty = screen(&app);
        assert!(empty.contains("Ctrl-X clears it."), "{empty}");
        update(&mut app, Action::ClearFilter);
        for c in "securite".chars() {
            update(&mut app, Action::Insert(c));
        }
        update(&mut app, Action::Submit);
        update(&mut app, Action::Open);
        let reader = screen(&app);
        assert!(reader.contains(" 1 match · Ctrl-N "), "{reader}");
        update(&mut app, Action::ShowLinks);
        let links = screen(&app);
        assert!(
            links.contains("O opens a link in the browser; y copies it (also through ssh)."),
            "{links}"
        );
        update(&mut app, Action::Back);
        update(&mut app, Action::ToggleHelp);
        let help = screen(&app);
        assert!(help.contains(" · J/K scroll "), "{help}");
    }
}
