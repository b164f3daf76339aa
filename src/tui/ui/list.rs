//! The list pane: one row per result, date then title, the selection always in view.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Margin, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Gauge, HighlightSpacing, List, ListItem, ListState, Paragraph};
use unicode_width::UnicodeWidthStr;

use super::{highlighted, pane};
use crate::store::marks::Mark;
use crate::text::width::fit;
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::keymap::Mode;
use crate::tui::layout::Focus;

const DATE_WIDTH: usize = 10;
const GAP: &str = "  ";
const SYMBOL: &str = "▌";
/// The read and star marks before the date.
const MARK_WIDTH: usize = 2;

pub fn render(app: &mut App, frame: &mut Frame<'_>, area: Rect) {
    if area.is_empty() {
        return;
    }
    let focused = app.focus == Focus::List;
    let block = pane("Articles", focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if let (true, Some((_, done, total))) = (app.catalog.corpus.articles.is_empty(), app.loading) {
        // The articles are being read: say how far along, rather than a blank pane.
        let ratio = if total == 0 {
            0.0
        } else {
            done as f64 / total as f64
        };
        let label = format!("Reading articles: {done} / {total}");
        let [row] = Layout::vertical([Constraint::Length(1)])
            .flex(Flex::Center)
            .areas(inner.inner(Margin::new(1, 0)));
        frame.render_widget(
            Gauge::default()
                .ratio(ratio.clamp(0.0, 1.0))
                .label(label)
                .use_unicode(true),
            row,
        );
        return;
    }
    if app.results.is_empty() {
        let mut message = vec![Line::from("No article matches the filter.")];
        if let Some(key) = app.keys.label(&Action::ClearFilter, Mode::List) {
            message.push(Line::styled(
                format!("{key} clears it."),
                Style::new().add_modifier(Modifier::DIM),
            ));
        }
        frame.render_widget(Paragraph::new(message), inner.inner(Margin::new(1, 0)));
        return;
    }
    let height = usize::from(inner.height);
    let offset = keep_in_view(app.ui.list_offset, app.selected, height, app.results.len());
    app.ui.list_offset = offset;
    let title_width = usize::from(inner.width)
        .saturating_sub(SYMBOL.width() + MARK_WIDTH + DATE_WIDTH + GAP.len());
    let date_style = Style::new().add_modifier(Modifier::DIM);
    let items: Vec<ListItem<'_>> = app.results[offset..]
        .iter()
        .take(height)
        .map(|&i| {
            let article = &app.catalog.corpus.articles[i];
            let date = article.date.map_or_else(|| "—".to_owned(), |d| d.iso());
            // Unread articles are bold with a dot, starred ones have a star; an article not
            // fingerprinted yet (still indexing) shows neither.
            let unread = app.knows(i) && !app.is(i, Mark::Read);
            let mark = if app.is(i, Mark::Starred) {
                "★ "
            } else if unread {
                "• "
            } else {
                "  "
            };
            let title_style = if unread {
                Style::new().add_modifier(Modifier::BOLD)
            } else {
                Style::new()
            };
            let mut spans = vec![
                Span::styled(mark, Style::new().fg(Color::Yellow)),
                Span::styled(format!("{date:<DATE_WIDTH$}"), date_style),
                Span::raw(GAP),
            ];
            let title = fit(&article.title, title_width);
            spans.extend(highlighted(&title, &app.highlight, title_style));
            ListItem::new(Line::from(spans))
        })
        .collect();
    let highlight = if focused {
        Style::new().add_modifier(Modifier::REVERSED)
    } else {
        Style::new().add_modifier(Modifier::BOLD)
    };
    let list = List::new(items)
        .highlight_style(highlight)
        .highlight_symbol(SYMBOL)
        .highlight_spacing(HighlightSpacing::Always);
    let mut state = ListState::default().with_selected(Some(app.selected - offset));
    frame.render_stateful_widget(list, inner, &mut state);
}

/// The first row to show so that `selected` is visible, moving as little as possible, and
/// never leaving empty rows at the bottom when there are rows above to show.
fn keep_in_view(offset: usize, selected: usize, height: usize, len: usize) -> usize {
    let height = height.max(1);
    let offset = if selected < offset {
        selected
    } else if selected >= offset + height {
        selected + 1 - height
    } else {
        offset
    };
    offset.min(len.saturating_sub(height))
}

#[cfg(test)]
mod tests {
    use super::keep_in_view;

    #[test]
    fn the_selection_stays_visible() {
        assert_eq!(keep_in_view(0, 5, 10, 100), 0);
        assert_eq!(keep_in_view(0, 10, 10, 100), 1);
        assert_eq!(keep_in_view(50, 49, 10, 100), 49);
        assert_eq!(keep_in_view(95, 99, 10, 100), 90);
        assert_eq!(keep_in_view(3, 3, 10, 5), 0);
        assert_eq!(keep_in_view(0, 0, 0, 5), 0);
    }
}
