//! The sources window's lines: each feed and folder with its unread and total counts, its
//! last fetch (a failing feed marked in red) and its tags, in columns that give way from
//! the right so the name stays readable.

use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use crate::text::width::fit;
use crate::tui::action::Action;
use crate::tui::app::{App, SourceRow};
use crate::tui::keymap::Mode;

/// The fewest columns a name keeps before the tags, then the last fetch, give way.
const NAME_MIN: usize = 14;
/// The most columns the tags take.
const TAGS_MAX: usize = 20;

/// The window's title.
pub(crate) fn title(app: &App) -> String {
    let order = if app.overlay.sources_by_unread {
        "by unread"
    } else {
        "by name"
    };
    format!(" Sources: {} · {order} ", app.overlay.sources.len())
}

/// Two lines saying what the keys do, then one line per source, at `inner` columns.
pub(crate) fn lines(app: &App, inner: usize) -> Vec<Line<'static>> {
    let dim = Style::new().add_modifier(Modifier::DIM);
    let key = |action| {
        app.settings
            .keys
            .label(&action, Mode::Sources)
            .unwrap_or_default()
    };
    let (filter, sort) = (key(Action::FilterSource), key(Action::SortSources));
    let other = if app.overlay.sources_by_unread {
        "name"
    } else {
        "unread articles"
    };
    let mut lines = vec![
        Line::styled(
            fit(
                &format!("{filter} lists only the source's articles; {sort} sorts by {other}."),
                inner,
            )
            .into_owned(),
            dim,
        ),
        Line::default(),
    ];
    let rows = &app.overlay.sources;
    if rows.is_empty() {
        lines.push(Line::from("No source: no feed subscribed, no folder read."));
        return lines;
    }
    let widest = |f: &dyn Fn(&SourceRow) -> usize| rows.iter().map(f).max().unwrap_or(0);
    let counts_w = widest(&|r| counts(r).width());
    let mut fetched_w = widest(&|r| r.fetched.as_deref().map_or(0, UnicodeWidthStr::width));
    let mut tags_w = widest(&|r| r.tags.join(", ").width()).min(TAGS_MAX);
    // Mark, name, counts, fetch, tags, with a gap of two before each column that shows.
    let room = |fetched: usize, tags: usize| {
        let gap = |w: usize| if w == 0 { 0 } else { w + 2 };
        inner.saturating_sub(2 + gap(counts_w) + gap(fetched) + gap(tags) + 1)
    };
    if room(fetched_w, tags_w) < NAME_MIN {
        tags_w = 0;
    }
    if room(fetched_w, tags_w) < NAME_MIN {
        fetched_w = 0;
    }
    let name_w = room(fetched_w, tags_w).max(1);
    for (i, row) in rows.iter().enumerate() {
        let selected = i == app.overlay.source_selected;
        let base = if selected {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new()
        };
        let alarm = base.fg(Color::Red);
        let name = fit(&row.name, name_w);
        let mut spans = vec![
            Span::styled(if row.failing { "✗ " } else { "  " }, alarm),
            Span::styled(padded(&name, name_w), base),
            Span::styled(
                format!("  {:>width$}", counts(row), width = counts_w),
                if row.unread > 0 {
                    base.add_modifier(Modifier::BOLD)
                } else {
                    base
                },
            ),
        ];
        if fetched_w > 0 {
            let fetched = row.fetched.as_deref().unwrap_or("");
            let style = if row.failing {
                alarm
            } else {
                base.add_modifier(Modifier::DIM)
            };
            spans.push(Span::styled(
                format!("  {}", padded(fetched, fetched_w)),
                style,
            ));
        }
        if tags_w > 0 {
            let tags = fit(&row.tags.join(", "), tags_w).into_owned();
            spans.push(Span::styled(format!("  {}", padded(&tags, tags_w)), base));
        }
        spans.push(Span::styled(" ", base));
        lines.push(Line::from(spans));
    }
    lines
}

/// `text` and blanks up to `width` columns.
fn padded(text: &str, width: usize) -> String {
    format!("{text}{}", " ".repeat(width.saturating_sub(text.width())))
}

/// `12 / 340`: unread, then every article.
fn counts(row: &SourceRow) -> String {
    format!("{} / {}", row.unread, row.total)
}
