//! The reader pane: the selected article, wrapped once per width and scrolled by line.

use ratatui::Frame;
use ratatui::layout::{Margin, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState};

use super::pane;
use std::sync::Arc;

use crate::app::{App, RELATED};
use crate::article::Body;
use crate::layout::Focus;
use crate::wrap::{Layout, MAX_TEXT_WIDTH};

/// The open article's layout, and which article and body it is.
pub(super) struct Wrapped {
    article: usize,
    body: Arc<Body>,
    layout: Layout,
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
    let width = usize::from(text_area.width).clamp(1, MAX_TEXT_WIDTH);
    let article = &app.corpus.articles[index];
    // The runner reads the body before drawing (`app::fetch_body`); without it, an empty
    // one stands in, showing the title the list knows.
    let body = match &app.body {
        Some((i, body)) if *i == index => Arc::clone(body),
        _ => Arc::new(Body {
            date: article.date,
            title: article.title.clone(),
            words: article.words,
            blocks: Vec::new(),
            problem: None,
        }),
    };
    let wrapped = match &mut app.ui.reader {
        Some(w)
            if w.article == index && Arc::ptr_eq(&w.body, &body) && w.layout.width() == width =>
        {
            w
        }
        slot => {
            let related = app
                .corpus
                .related
                .related(index, RELATED)
                .into_iter()
                .map(|(i, _)| {
                    let other = &app.corpus.articles[i];
                    let date = other.date.map_or_else(|| "—".to_owned(), |d| d.iso());
                    (date, other.title.clone())
                })
                .collect();
            slot.insert(Wrapped {
                article: index,
                layout: Layout::new(article, &body, width, related),
                body,
            })
        }
    };
    let layout = &mut wrapped.layout;
    let height = usize::from(text_area.height);
    // Lay out only what this frame shows, unless the reader asked for the end.
    let wanted = app.reader_scroll.saturating_add(height);
    layout.extend_to(&wrapped.body, wanted);
    if layout.is_complete() {
        app.reader_scroll = app
            .reader_scroll
            .min(layout.lines().len().saturating_sub(height));
    }
    let lines = layout.lines();
    let scroll = app.reader_scroll.min(lines.len());
    let total = layout.estimated_len();

    let position = if layout.is_complete() && lines.len() <= height {
        "all".to_owned()
    } else {
        format!("{}%", (scroll + height).min(total) * 100 / total.max(1))
    };
    let block = block.title_bottom(Line::from(format!(" {position} ")).right_aligned());
    frame.render_widget(block, area);
    let visible: Vec<Line<'static>> = lines.iter().skip(scroll).take(height).cloned().collect();
    frame.render_widget(Paragraph::new(visible), text_area);
    if total > height {
        let mut state = ScrollbarState::new(total.saturating_sub(height)).position(scroll);
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
