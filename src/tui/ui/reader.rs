//! The reader pane: the selected article as `update` laid it out (`tui::page`), from the
//! line it scrolled to, with the matches of the search.

use ratatui::Frame;
use ratatui::layout::{Margin, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState};

use super::{mark, match_style, pane};
use std::ops::Range;

use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::keymap::Mode;
use crate::tui::layout::{Focus, reader_text};

pub fn render(app: &App, frame: &mut Frame<'_>, area: Rect) {
    if area.is_empty() {
        return;
    }
    let block = pane("Article", app.focus == Focus::Reader);
    let selected = app.selected_index();
    // `update` lays out the selected article whenever the reader shows: no page means no
    // article, or a frame drawn before any action.
    let page = app
        .reader
        .page
        .as_ref()
        .filter(|p| Some(p.article()) == selected);
    let Some(page) = page else {
        let inner = block.inner(area);
        frame.render_widget(block, area);
        if selected.is_none() {
            let hint = Line::styled(
                "No article selected.",
                Style::new().add_modifier(Modifier::DIM),
            );
            frame.render_widget(Paragraph::new(hint), inner.inner(Margin::new(1, 0)));
        }
        return;
    };
    let text_area = reader_text(area);
    let height = usize::from(text_area.height);
    let highlight = app.reader_highlight();
    let matches = page.matches(highlight);
    let current = app.reader.current_match.filter(|&k| k < matches.len());
    let lines = page.lines();
    let scroll = app.reader.scroll.min(lines.len());
    let total = page.estimated_len();

    let position = if page.is_complete() && lines.len() <= height {
        "all".to_owned()
    } else {
        format!("{}%", (scroll + height).min(total) * 100 / total.max(1))
    };
    let found = match (matches.len(), current) {
        _ if highlight.is_empty() || !page.is_complete() => None,
        (0, _) => Some("no match".to_owned()),
        (n, Some(k)) => Some(format!("match {}/{n}", k + 1)),
        (n, None) => {
            let found = if n == 1 {
                "1 match".to_owned()
            } else {
                format!("{n} matches")
            };
            Some(
                match app.settings.keys.label(&Action::NextMatch, Mode::Reader) {
                    Some(key) => format!("{found} · {key}"),
                    None => found,
                },
            )
        }
    };
    let block = match found {
        Some(found) => block.title(Line::from(format!(" {found} ")).right_aligned()),
        None => block,
    };
    let block = block.title_bottom(Line::from(format!(" {position} ")).right_aligned());
    frame.render_widget(block, area);
    let visible: Vec<Line<'static>> = lines
        .iter()
        .enumerate()
        .skip(scroll)
        .take(height)
        .map(|(i, line)| {
            let first = matches.partition_point(|m| m.line < i);
            let here = matches[first..].iter().take_while(|m| m.line == i);
            let marks: Vec<(Range<usize>, Style)> = here
                .enumerate()
                .map(|(j, m)| {
                    let style = if current == Some(first + j) {
                        match_style().add_modifier(Modifier::REVERSED)
                    } else {
                        match_style()
                    };
                    (m.range.clone(), style)
                })
                .collect();
            if marks.is_empty() {
                line.clone()
            } else {
                mark(&line.spans, &marks).style(line.style)
            }
        })
        .collect();
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
