//! The list pane: one row per result, date then title, from the first row `update` keeps
//! in view.

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

pub fn render(app: &App, frame: &mut Frame<'_>, area: Rect) {
    if area.is_empty() {
        return;
    }
    let focused = app.focus == Focus::List;
    let block = pane("Articles", focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if let (true, Some((_, done, total))) =
        (app.catalog.corpus.articles.is_empty(), app.status.loading)
    {
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
    if app.list.results.is_empty() {
        let mut message = vec![Line::from("No article matches the filter.")];
        if let Some(key) = app.settings.keys.label(&Action::ClearFilter, Mode::List) {
            message.push(Line::styled(
                format!("{key} clears it."),
                Style::new().add_modifier(Modifier::DIM),
            ));
        }
        frame.render_widget(Paragraph::new(message), inner.inner(Margin::new(1, 0)));
        return;
    }
    let height = usize::from(inner.height);
    // `update` keeps the selection within the rows shown; the bound is for a frame drawn at
    // another size than the one it was told.
    let offset = app.list.offset.min(app.list.selected);
    let title_width = usize::from(inner.width)
        .saturating_sub(SYMBOL.width() + MARK_WIDTH + DATE_WIDTH + GAP.len());
    let date_style = Style::new().add_modifier(Modifier::DIM);
    let items: Vec<ListItem<'_>> = app.list.results[offset..]
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
            spans.extend(highlighted(&title, &app.filter.highlight, title_style));
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
    let mut state = ListState::default().with_selected(Some(app.list.selected - offset));
    frame.render_stateful_widget(list, inner, &mut state);
}
