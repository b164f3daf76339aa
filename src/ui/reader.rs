//! The reader pane: the selected article, wrapped once per width and scrolled by line.

use ratatui::Frame;
use ratatui::layout::{Margin, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState};

use super::pane;
use crate::app::App;
use crate::layout::Focus;
use crate::wrap::{MAX_TEXT_WIDTH, article_lines};

/// One article laid out at one width.
pub(super) struct Wrapped {
    article: usize,
    width: usize,
    lines: Vec<Line<'static>>,
}

pub fn render(app: &mut App, frame: &mut Frame<'_>, area: Rect) {
    if area.is_empty() {
        return;
    }
    let block = pane("Article", app.focus == Focus::Reader);
    let Some(index) = app.selected_index() else {
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let hint = Line::styled(
            "No article selected.",
            Style::new().add_modifier(Modifier::DIM),
        );
        frame.render_widget(Paragraph::new(hint), inner.inner(Margin::new(1, 0)));
        return;
    };
    let text_area = block.inner(area).inner(Margin::new(1, 0));
    let width = usize::from(text_area.width).min(MAX_TEXT_WIDTH);
    let stale = app
        .ui
        .reader
        .as_ref()
        .is_none_or(|w| w.article != index || w.width != width);
    if stale {
        app.ui.reader = Some(Wrapped {
            article: index,
            width,
            lines: article_lines(&app.corpus.articles[index], width),
        });
    }
    let lines = app.ui.reader.as_ref().map_or(&[][..], |w| &w.lines[..]);
    let height = usize::from(text_area.height);
    let max_scroll = lines.len().saturating_sub(height);
    app.reader_scroll = app.reader_scroll.min(max_scroll);
    let scroll = app.reader_scroll;

    let position = if lines.len() <= height {
        "all".to_owned()
    } else {
        format!(
            "{}%",
            (scroll + height).min(lines.len()) * 100 / lines.len()
        )
    };
    let block = block.title_bottom(Line::from(format!(" {position} ")).right_aligned());
    frame.render_widget(block, area);
    let visible: Vec<Line<'static>> = lines.iter().skip(scroll).take(height).cloned().collect();
    frame.render_widget(Paragraph::new(visible), text_area);
    if lines.len() > height {
        let mut state = ScrollbarState::new(max_scroll).position(scroll);
        frame.render_stateful_widget(
            Scrollbar::new(ScrollbarOrientation::VerticalRight)
                .begin_symbol(None)
                .end_symbol(None)
                .track_symbol(Some("│")),
            area.inner(Margin::new(0, 1)),
            &mut state,
        );
    }
}
