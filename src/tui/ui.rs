//! `view`: draws the whole screen from the application state. The only state it writes is
//! its own (`ViewState`, and keeping scroll positions within what there is to show).

mod filter;
mod list;
mod overlay;
mod reader;
mod status;
pub mod typeset;

use std::ops::Range;

use ratatui::Frame;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Block;

use crate::search::query::Highlighter;
use crate::tui::app::{App, Overlay};
use crate::tui::layout::areas;
use filter::visible_part;

/// What the view keeps between frames.
#[derive(Default)]
pub struct ViewState {
    /// First result shown in the list pane.
    pub list_offset: usize,
    /// The links drawn in this frame, which the runner may turn into OSC 8 hyperlinks.
    pub hyperlinks: Vec<Hyperlink>,
    /// The open article wrapped at the reader's width, so scrolling never re-wraps it.
    reader: Option<reader::Wrapped>,
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
pub fn view(app: &mut App, frame: &mut Frame<'_>) {
    app.ui.hyperlinks.clear();
    let areas = areas(frame.area(), app.focus);
    filter::render(app, frame, areas.filter);
    list::render(app, frame, areas.list);
    reader::render(app, frame, areas.reader);
    status::render(app, frame, areas.status);
    match app.overlay {
        Some(Overlay::Help) => overlay::help(app, frame),
        Some(Overlay::Warnings) => overlay::warnings(app, frame),
        Some(Overlay::Links) => overlay::links(app, frame),
        None => {}
    }
    if !app.colour {
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
