//! The status bar: what is loaded, what was skipped, and the main keys of the current mode.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use crate::search::catalog::Stage;
use crate::tui::action::Action;
use crate::tui::app::{App, Question};
use crate::tui::keymap::Mode;
use crate::tui::keys::key_label;

pub fn render(app: &App, frame: &mut Frame<'_>, area: Rect) {
    if area.is_empty() {
        return;
    }
    let width = usize::from(area.width);
    if app.mode() == Mode::Find {
        find_prompt(app, frame, area);
        return;
    }
    if let Some(question) = &app.status.question {
        let text = match question {
            Question::MarkRead(articles) => format!(" Mark {} articles read?", articles.len()),
        };
        let hints = hints(app, width);
        let pad = width.saturating_sub(text.width() + hints.width() + 1);
        let line = Line::from(vec![
            Span::styled(text, Style::new().add_modifier(Modifier::BOLD)),
            Span::raw(" ".repeat(pad)),
            Span::styled(hints, Style::new().add_modifier(Modifier::DIM)),
        ]);
        frame.render_widget(Paragraph::new(line), area);
        return;
    }
    let count = match app.catalog.corpus.articles.len() {
        _ if matches!(app.status.loading, Some((Stage::Reading, _, _))) => String::new(),
        1 => " · 1 article".to_owned(),
        n => format!(" · {n} articles"),
    };
    let mut left = vec![Span::raw(format!(" {}{count}", app.source))];
    if let Some((stage, done, total)) = app.status.loading {
        let what = stage.label();
        left.push(Span::styled(
            format!(" · {what} {done}/{total}"),
            Style::new().add_modifier(Modifier::DIM),
        ));
    }
    if let Some(fetching) = &app.feeds.fetching {
        let what = fetching.only.as_deref().unwrap_or("");
        let what = if what.is_empty() {
            String::new()
        } else {
            format!(" {}", crate::text::width::fit(what, 20))
        };
        let progress = if fetching.total == 0 {
            String::new()
        } else {
            format!(" {}/{}", fetching.done, fetching.total)
        };
        left.push(Span::styled(
            format!(" · fetching{what}{progress} · {} new", fetching.new),
            Style::new().fg(Color::Cyan),
        ));
    }
    // The order, unless it is the usual newest first.
    if app.sort_shown() != crate::tui::app::Sort::Newest {
        left.push(Span::styled(
            format!(" · {}", app.sort_shown().label()),
            Style::new().add_modifier(Modifier::BOLD),
        ));
    }
    if let Some(notice) = &app.status.notice {
        left.push(Span::raw(" · "));
        left.push(Span::styled(notice.clone(), Style::new().fg(Color::Yellow)));
    }
    let warnings = warnings_summary(app);
    if !warnings.is_empty() {
        left.push(Span::raw(" · "));
        left.push(Span::styled(warnings, Style::new().fg(Color::Yellow)));
    }
    // The name of what was opened gives way to the keys, keeping its end (`…/news/2026`):
    // first so that every hint fits, down to its last folder; then further, down to a
    // stub, so that the keys for help and quit always keep their room.
    let mut used: usize = left.iter().map(Span::width).sum();
    let mut shown = app.source.width();
    let source = shown;
    let last = app.source.rsplit('/').find(|part| !part.is_empty());
    let floor = last.map_or(0, |part| part.width() + 2).max(12).min(source);
    for (keys, floor) in [
        (hints(app, usize::MAX), floor),
        (hints(app, 0), 8.min(source)),
    ] {
        let over = (used + keys.width() + 2).saturating_sub(width);
        if over > 0 {
            let keep = shown.saturating_sub(over).max(floor).min(shown);
            let name = crate::text::width::fit_tail(&app.source, keep);
            shown = name.width();
            left[0] = Span::raw(format!(" {name}{count}"));
            used = left.iter().map(Span::width).sum();
        }
    }
    let hints = hints(app, width.saturating_sub(used + 2));
    let pad = width.saturating_sub(used + hints.width() + 1);
    left.push(Span::raw(" ".repeat(pad)));
    left.push(Span::styled(
        hints,
        Style::new().add_modifier(Modifier::DIM),
    ));
    frame.render_widget(Paragraph::new(Line::from(left)), area);
}

/// The reader's search being typed, like less's prompt: `/` and the text, then the keys.
fn find_prompt(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let width = usize::from(area.width);
    let hints = hints(app, width / 2);
    let room = width.saturating_sub(hints.width() + 3).max(1);
    let (shown, cursor) =
        super::visible_part(app.reader.find.text(), app.reader.find.cursor(), room);
    let text = crate::text::width::fit(shown, room).into_owned();
    let pad = width.saturating_sub(2 + text.width() + hints.width() + 1);
    let line = Line::from(vec![
        Span::raw(" /"),
        Span::raw(text),
        Span::raw(" ".repeat(pad)),
        Span::styled(hints, Style::new().add_modifier(Modifier::DIM)),
    ]);
    frame.render_widget(Paragraph::new(line), area);
    let x = (2 + cursor).min(width.saturating_sub(1)) as u16;
    frame.set_cursor_position(Position::new(area.x + x, area.y));
}

/// `2 skipped, 1 note, 1 feed failing (w)`, the key that lists them from the key table, or nothing when every file loaded cleanly.
fn warnings_summary(app: &App) -> String {
    let skipped = app.catalog.corpus.skipped();
    let notes = app.catalog.corpus.warnings.len() - skipped;
    let mut parts = Vec::new();
    if skipped > 0 {
        parts.push(format!("{skipped} skipped"));
    }
    match notes {
        0 => {}
        1 => parts.push("1 note".to_owned()),
        n => parts.push(format!("{n} notes")),
    }
    match app.feeds.failing.len() {
        0 => {}
        1 => parts.push("1 feed failing".to_owned()),
        n => parts.push(format!("{n} feeds failing")),
    }
    if parts.is_empty() {
        return String::new();
    }
    match app.settings.keys.label(&Action::ToggleWarnings, Mode::List) {
        Some(key) => format!("{} ({key})", parts.join(", ")),
        None => parts.join(", "),
    }
}

/// The hinted keys of the current mode that fit in `room` columns, in table order. The keys
/// that show the help, close or quit are kept first, so a new user always sees a way on.
fn hints(app: &App, room: usize) -> String {
    // With no room, the essential keys alone, for the caller to measure.
    let essential_only = room == 0;
    let hinted: Vec<(String, bool)> = app
        .settings
        .keys
        .bindings_for(app.mode())
        .filter_map(|(b, keys)| {
            let label = b.hint?;
            let key = keys.first()?;
            let essential = matches!(b.action, Action::ToggleHelp | Action::Quit | Action::Back);
            Some((format!("{} {label}", key_label(key)), essential))
        })
        .collect();
    const SEP: usize = 2;
    let cost = |h: &String| h.width() + SEP;
    let mut budget = room.saturating_add(SEP);
    let mut keep = vec![false; hinted.len()];
    for essential_pass in [true, false] {
        for (i, (hint, essential)) in hinted.iter().enumerate() {
            if essential_only {
                keep[i] = *essential;
                continue;
            }
            if *essential == essential_pass && cost(hint) <= budget {
                budget -= cost(hint);
                keep[i] = true;
            }
        }
    }
    let kept: Vec<&str> = hinted
        .iter()
        .zip(keep)
        .filter(|(_, k)| *k)
        .map(|((h, _), _)| h.as_str())
        .collect();
    kept.join("  ")
}
