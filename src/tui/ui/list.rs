//! The list pane: one row per result, date, source (when the articles come from several)
//! then title, from the first row `update` keeps in view.

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
/// The source column (a feed's or a folder's name) is at most this wide…
const SOURCE_MAX: usize = 14;
/// …and shown only when this much of a name fits (less when every name is shorter)…
const SOURCE_MIN: usize = 6;
/// …while the title keeps this much: the source is cut first, the title last.
const TITLE_MIN: usize = 20;

/// The width of the source column when `rest` columns are left for it and the title: none
/// when the articles come from one source, else as wide as the widest name up to
/// [`SOURCE_MAX`], narrower as the pane narrows, and none once [`SOURCE_MIN`] no longer fits.
fn source_width(several: bool, widest: usize, rest: usize) -> usize {
    if !several {
        return 0;
    }
    let room = rest.saturating_sub(TITLE_MIN + GAP.len());
    let width = widest.min(SOURCE_MAX).min(room);
    if width == 0 || width < SOURCE_MIN.min(widest) {
        0
    } else {
        width
    }
}

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
    let rest = usize::from(inner.width)
        .saturating_sub(SYMBOL.width() + MARK_WIDTH + DATE_WIDTH + GAP.len());
    let sources = &app.catalog.sources;
    let source_width = source_width(sources.several(), sources.widest(), rest);
    let title_width = match source_width {
        0 => rest,
        w => rest - w - GAP.len(),
    };
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
            if source_width > 0 {
                let source = fit(sources.name(article), source_width);
                let pad = source_width.saturating_sub(source.width());
                spans.push(Span::styled(
                    format!("{source}{:pad$}{GAP}", ""),
                    date_style,
                ));
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_source_column_gives_way_before_the_title() {
        // One source: no column.
        assert_eq!(source_width(false, 11, 200), 0);
        // As wide as the widest name, up to its most.
        assert_eq!(source_width(true, 11, 63), 11);
        assert_eq!(source_width(true, 40, 63), SOURCE_MAX);
        // Narrower as the pane narrows, the title keeping its room…
        assert_eq!(source_width(true, 11, 31), 9);
        // …and gone once too little of a name would show.
        assert_eq!(source_width(true, 11, 27), 0);
        assert_eq!(source_width(true, 4, 26), 4, "a short name fits whole");
        assert_eq!(source_width(true, 11, 0), 0);
    }
}
