//! The reader pane: the selected article, wrapped once per width and scrolled by line.

use ratatui::Frame;
use ratatui::layout::{Margin, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState};

use super::{mark, match_style, pane};
use std::ops::Range;
use std::sync::Arc;

use crate::corpus::Body;
use crate::search::query::Highlighter;
use crate::tui::action::Action;
use crate::tui::app::{App, RELATED};
use crate::tui::keymap::Mode;
use crate::tui::layout::Focus;
use crate::tui::ui::typeset::Typeset;

/// The open article's layout, and which article and body it is.
pub(super) struct Wrapped {
    article: usize,
    body: Arc<Body>,
    layout: Typeset,
    /// Where the reader's search or the filter's words match, once the whole article is laid
    /// out, and for which words.
    matches: Option<(Highlighter, Vec<Match>)>,
}

/// One match: its line, and the bytes of that line's text it covers.
struct Match {
    line: usize,
    range: Range<usize>,
}

/// Finds every match in the laid-out lines.
fn find_matches(lines: &[Line<'_>], highlight: &Highlighter) -> Vec<Match> {
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
        for range in highlight.find(&text) {
            found.push(Match { line: i, range });
        }
    }
    found
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
    let width = usize::from(text_area.width).clamp(1, app.reading_width.max(1));
    let article = &app.catalog.corpus.articles[index];
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
            fingerprint: None,
        }),
    };
    let highlight = app.reader_highlight().clone();
    let wrapped = match &mut app.ui.reader {
        Some(w)
            if w.article == index && Arc::ptr_eq(&w.body, &body) && w.layout.width() == width =>
        {
            w
        }
        slot => {
            let related = app
                .catalog
                .related
                .related(index, RELATED)
                .into_iter()
                .map(|(i, _)| {
                    let other = &app.catalog.corpus.articles[i];
                    let date = other.date.map_or_else(|| "—".to_owned(), |d| d.iso());
                    (date, other.title.clone())
                })
                .collect();
            slot.insert(Wrapped {
                article: index,
                layout: Typeset::new(article, &body, width, related, app.typesetting),
                body,
                matches: None,
            })
        }
    };
    let layout = &mut wrapped.layout;
    let height = usize::from(text_area.height);
    // A jump needs every match: lay the whole article out (at once for most articles).
    if app.jump != 0 && !highlight.is_empty() {
        layout.complete(&wrapped.body);
    }
    // Lay out only what this frame shows, unless the reader asked for the end.
    let wanted = app.reader_scroll.saturating_add(height);
    layout.extend_to(&wrapped.body, wanted);
    if layout.is_complete()
        && wrapped
            .matches
            .as_ref()
            .is_none_or(|(h, _)| *h != highlight)
    {
        // Nothing to look for: no need to read every line (each move opens an article).
        let found = if highlight.is_empty() {
            Vec::new()
        } else {
            find_matches(layout.lines(), &highlight)
        };
        wrapped.matches = Some((highlight.clone(), found));
    }
    let matches = wrapped
        .matches
        .as_ref()
        .filter(|(h, _)| *h == highlight && !h.is_empty())
        .map_or(&[][..], |(_, m)| m.as_slice());
    // Jumps are made here, where the lines of the matches are known.
    let jump = std::mem::take(&mut app.jump);
    if jump != 0 && !matches.is_empty() {
        let n = matches.len() as isize;
        let target = match app.reader_match {
            Some(k) => k as isize + jump,
            // From no match yet: the first from the top of the screen down counts as one
            // step forward, the last above it as one step back.
            None if jump > 0 => {
                let first = matches
                    .iter()
                    .position(|m| m.line >= app.reader_scroll)
                    .unwrap_or(0);
                first as isize + jump - 1
            }
            None => {
                let last = matches
                    .iter()
                    .rposition(|m| m.line < app.reader_scroll)
                    .map_or(n - 1, |k| k as isize);
                last + jump + 1
            }
        };
        let target = target.rem_euclid(n) as usize;
        app.reader_match = Some(target);
        let line = matches[target].line;
        // In view already: stay; else show it a third of the way down.
        if line < app.reader_scroll || line >= app.reader_scroll + height {
            app.reader_scroll = line.saturating_sub(height / 3);
        }
    }
    let current = app.reader_match.filter(|&k| k < matches.len());
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
    let found = match (matches.len(), current) {
        _ if highlight.is_empty() || !layout.is_complete() => None,
        (0, _) => Some("no match".to_owned()),
        (n, Some(k)) => Some(format!("match {}/{n}", k + 1)),
        (n, None) => {
            let found = if n == 1 {
                "1 match".to_owned()
            } else {
                format!("{n} matches")
            };
            Some(match app.keys.label(&Action::NextMatch, Mode::Reader) {
                Some(key) => format!("{found} · {key}"),
                None => found,
            })
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
