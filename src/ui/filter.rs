//! The filter pane: the query line, the result count and what is wrong with the query.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use super::pane;
use crate::app::{App, Sort};
use crate::layout::Focus;
use crate::load::Stage;

const PROMPT: &str = "/ ";

pub fn render(app: &App, frame: &mut Frame<'_>, area: Rect) {
    if area.is_empty() {
        return;
    }
    let focused = app.focus == Focus::Filter;
    let mut block = pane("Filter", focused);
    if let Some(error) = &app.filter_error {
        block = block.title_bottom(Line::styled(
            format!(" {error} "),
            Style::new().fg(Color::Red),
        ));
    } else if app.filter_waiting {
        let (stage, percent) = match app.loading {
            Some((stage, done, total)) if total > 0 => (stage, done * 100 / total),
            Some((stage, _, _)) => (stage, 0),
            None => (Stage::Indexing, 100),
        };
        let what = match stage {
            Stage::Reading => "reading",
            Stage::Indexing => "indexing",
        };
        block = block.title_bottom(Line::styled(
            format!(" words wait for the index: {what} {percent}% "),
            Style::new().fg(Color::Yellow),
        ));
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);

    let sort = match app.sort_shown() {
        Sort::Newest => String::new(),
        sort => format!(" {} ·", sort.label()),
    };
    let count = format!(
        "{sort} {} / {}",
        app.results.len(),
        app.corpus.articles.len()
    );
    let width = usize::from(inner.width);
    let count_width = if count.width() + PROMPT.width() + 4 <= width {
        count.width()
    } else {
        0
    };
    let room = width.saturating_sub(PROMPT.width() + count_width);
    let (shown, cursor_x) = visible_part(app.filter.text(), app.filter.cursor(), room);
    let dim = Style::new().add_modifier(Modifier::DIM);
    let mut spans = vec![Span::styled(PROMPT, dim)];
    if app.filter.text().is_empty() && !focused {
        spans.push(Span::styled(
            super::fit("press / to filter by words or dates", room).into_owned(),
            dim,
        ));
    } else if focused {
        spans.push(Span::raw(shown.to_owned()));
    } else {
        // Not being edited: the query from its start.
        spans.push(Span::raw(super::fit(app.filter.text(), room).into_owned()));
    }
    let used: usize = spans.iter().map(|s| s.width()).sum();
    if count_width > 0 {
        spans.push(Span::raw(
            " ".repeat(width.saturating_sub(used + count_width)),
        ));
        spans.push(Span::styled(count, dim));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), inner);
    if focused && !inner.is_empty() {
        let x = inner.x + (PROMPT.width() + cursor_x).min(width.saturating_sub(1)) as u16;
        frame.set_cursor_position(Position::new(x, inner.y));
    }
}

/// The part of `text` to show in `room` columns so that the cursor is visible, and the
/// cursor's column within it.
pub(super) fn visible_part(text: &str, cursor: usize, room: usize) -> (&str, usize) {
    let mut start = 0;
    let mut before = text[..cursor].width();
    let mut graphemes = text.grapheme_indices(true);
    while before >= room.max(1) {
        match graphemes.next() {
            Some((_, g)) => {
                start += g.len();
                before -= g.width();
            }
            None => break,
        }
    }
    (&text[start..], before)
}

#[cfg(test)]
mod tests {
    use super::visible_part;

    #[test]
    fn the_cursor_stays_visible_in_a_long_query() {
        assert_eq!(visible_part("abc", 3, 10), ("abc", 3));
        assert_eq!(visible_part("abcdef", 6, 4), ("def", 3));
        assert_eq!(visible_part("abcdef", 2, 4), ("abcdef", 2));
        assert_eq!(visible_part("ééé", 6, 2), ("é", 1));
    }
}
