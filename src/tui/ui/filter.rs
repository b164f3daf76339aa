//! The filter pane: the query line, the result count and what is wrong with the query.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use super::pane;
use crate::search::catalog::Stage;
use crate::tui::action::Action;
use crate::tui::app::{App, Sort};
use crate::tui::keymap::Mode;
use crate::tui::layout::Focus;

const PROMPT: &str = "/ ";

pub fn render(app: &App, frame: &mut Frame<'_>, area: Rect) {
    if area.is_empty() {
        return;
    }
    let focused = app.focus == Focus::Filter;
    let mut block = pane("Filter", focused);
    if let Some(error) = &app.filter.error {
        block = block.title_bottom(Line::styled(
            format!(" {error} "),
            Style::new().fg(Color::Red),
        ));
    } else if app.filter.waiting {
        let (stage, percent) = match app.status.loading {
            Some((stage, done, total)) if total > 0 => (stage, done * 100 / total),
            Some((stage, _, _)) => (stage, 0),
            None => (Stage::Indexing, 100),
        };
        let what = stage.label();
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
        app.list.results.len(),
        app.catalog.corpus.articles.len()
    );
    let width = usize::from(inner.width);
    let count_width = if count.width() + PROMPT.width() + 4 <= width {
        count.width()
    } else {
        0
    };
    let room = width.saturating_sub(PROMPT.width() + count_width);
    let (shown, cursor_x) = visible_part(app.filter.input.text(), app.filter.input.cursor(), room);
    let dim = Style::new().add_modifier(Modifier::DIM);
    let mut spans = vec![Span::styled(PROMPT, dim)];
    if app.filter.input.text().is_empty() && !focused {
        if let Some(key) = app.settings.keys.label(&Action::FocusFilter, Mode::List) {
            let hint = format!("press {key} to filter by words or dates");
            spans.push(Span::styled(
                crate::text::width::fit(&hint, room).into_owned(),
                dim,
            ));
        }
    } else if focused {
        spans.push(Span::raw(shown.to_owned()));
    } else {
        // Not being edited: the query from its start.
        spans.push(Span::raw(
            crate::text::width::fit(app.filter.input.text(), room).into_owned(),
        ));
    }
    let used: usize = spans.iter().map(|s| s.width()).sum();
    if count_width > 0 {
        spans.push(Span::raw(
            " ".repeat(width.saturating_sub(used + count_width)),
        ));
        spans.push(Span::styled(count, dim));
    }
    let [input, below] =
        Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(inner);
    frame.render_widget(Paragraph::new(Line::from(spans)), input);
    if below.height >= 2 {
        timeline(app, frame, below);
    }
    if focused && !inner.is_empty() {
        let x = inner.x + (PROMPT.width() + cursor_x).min(width.saturating_sub(1)) as u16;
        frame.set_cursor_position(Position::new(x, inner.y));
    }
}

/// The timeline under the query: per month (or year), all the articles as a dim bar and
/// the query's results as a solid one, the current date range underlined in the axis and
/// its results in colour; `[` `]` move the range, `{` `}` widen it.
fn timeline(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let t = &app.filter.timeline;
    let units = t.totals.len();
    if units == 0 || area.width == 0 {
        frame.render_widget(
            Paragraph::new(Line::styled(
                "No dated article: no timeline.",
                Style::new().add_modifier(Modifier::DIM),
            )),
            area,
        );
        return;
    }
    let width = usize::from(area.width);
    let covered = t.covered(app.filter.query.range());
    // Each column shows the units that fall under it: several columns per month when the
    // months are few, several months per column when they are many (then their average,
    // so a column of two months is not twice as tall).
    let span = |x: usize| {
        let lo = x * units / width;
        lo..((x + 1) * units / width).max(lo + 1).min(units)
    };
    let mean = |counts: &[usize], x: usize| {
        let units = span(x);
        counts[units.clone()].iter().sum::<usize>() as f64 / units.len() as f64
    };
    let totals: Vec<f64> = (0..width).map(|x| mean(&t.totals, x)).collect();
    let results: Vec<f64> = (0..width).map(|x| mean(&t.results, x)).collect();
    let in_range: Vec<bool> = (0..width)
        .map(|x| {
            covered
                .as_ref()
                .is_some_and(|c| span(x).any(|u| c.contains(&u)))
        })
        .collect();
    let rows = usize::from(area.height) - 1;
    let highest = totals.iter().copied().fold(0.0, f64::max).max(1.0);
    // Whole cells, rounded up, so a month of one article still shows.
    let cells = |n: f64| (n * rows as f64 / highest).ceil() as usize;
    let buffer = frame.buffer_mut();
    let dim = Style::new().add_modifier(Modifier::DIM);
    let hit = Style::new().add_modifier(Modifier::BOLD);
    let hit_in_range = hit.fg(Color::Yellow);
    for (c, (&total, &result)) in totals.iter().zip(&results).enumerate() {
        let x = area.x + c as u16;
        let (all, kept) = (cells(total), cells(result));
        for r in 0..rows {
            let y = area.y + (rows - 1 - r) as u16;
            let (symbol, style) = if r < kept {
                ("█", if in_range[c] { hit_in_range } else { hit })
            } else if r < all {
                ("░", dim)
            } else {
                continue;
            };
            buffer[(x, y)].set_symbol(symbol).set_style(style);
        }
        let axis = if in_range[c] {
            (
                "━",
                Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            )
        } else {
            ("─", dim)
        };
        buffer[(x, area.y + rows as u16)]
            .set_symbol(axis.0)
            .set_style(axis.1);
    }
    // The first and last unit under the axis' ends, and the range in words.
    let axis_y = area.y + rows as u16;
    let first = t.label(0);
    let last = t.label(units - 1);
    let range = covered.as_ref().map(|c| {
        let count: usize = t.totals[c.clone()].iter().sum();
        let name = if c.start() == c.end() {
            t.label(*c.start())
        } else {
            format!("{}..{}", t.label(*c.start()), t.label(*c.end()))
        };
        format!(" {name}: {count} ")
    });
    let mut labels = vec![(area.x, first.clone())];
    if let Some(range) = range {
        let x = area.x + (width.saturating_sub(range.width()) / 2) as u16;
        labels.push((x, range));
    }
    labels.push((area.x + width.saturating_sub(last.width()) as u16, last));
    let mut free_from = area.x;
    for (x, label) in labels {
        let end = x + label.width() as u16;
        if x < free_from || end > area.x + area.width {
            continue;
        }
        buffer.set_string(x, axis_y, &label, dim);
        free_from = end + 1;
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
