//! Windows drawn over the panes: the help, built from the key table, the list of files that
//! were skipped or loaded with a note, and the open article's links.

use std::borrow::Cow;

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use unicode_width::UnicodeWidthStr;

use super::{Hyperlink, ViewState};
use crate::text::display::human_size;
use crate::text::width::fit;
use crate::tui::action::Action;
use crate::tui::app::{App, Link, LinkKind, Overlay};
use crate::tui::keymap::{Binding, Key, Mode};
use crate::tui::keys::key_label;

const KEYS_WIDTH: usize = 18;
/// Where a warning's reason starts, under the path.
const INDENT: &str = "        ";

/// Overlays are at most 80 columns wide and leave a margin around them.
fn window_width(screen: Rect) -> u16 {
    screen.width.saturating_sub(4).min(80)
}

/// Draws `shown` over the panes, and notes where its links were drawn.
pub fn render(app: &App, shown: Overlay, state: &mut ViewState, frame: &mut Frame<'_>) {
    let screen = frame.area();
    let (title, lines) = content(app, shown, screen);
    let Some(inner) = show(app, frame, &title, lines) else {
        return;
    };
    if shown != Overlay::Links {
        return;
    }
    // Where each visible link was drawn, for the runner to make it an OSC 8 hyperlink.
    let room = link_room(screen);
    let scroll = app.overlay.scroll;
    for (i, link) in app.overlay.links.iter().enumerate() {
        let line = i + 2;
        if line < scroll || line - scroll >= usize::from(inner.height) {
            continue;
        }
        state.hyperlinks.push(Hyperlink {
            x: inner.x + 1,
            y: inner.y + (line - scroll) as u16,
            text: link_parts(link, room).0.into_owned(),
            url: link.url.clone(),
            selected: i == app.overlay.link_selected,
        });
    }
}

/// The title and lines of `overlay` on a screen of `screen`'s size. `update` counts the lines
/// to keep the scroll within them.
pub(crate) fn content(app: &App, overlay: Overlay, screen: Rect) -> (String, Vec<Line<'static>>) {
    match overlay {
        Overlay::Help => (" Keys ".to_owned(), help(app)),
        Overlay::Warnings => (
            format!(" Warnings: {} ", app.warnings().count()),
            warnings(app, screen),
        ),
        Overlay::Links => (
            format!(" Links: {} ", app.overlay.links.len()),
            links(app, screen),
        ),
        Overlay::Sources => (
            super::sources::title(app),
            super::sources::lines(app, usize::from(window_width(screen).saturating_sub(2))),
        ),
    }
}

fn help(app: &App) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for (title, section) in SECTIONS {
        let rows: Vec<(&Binding, &[Key])> = app
            .settings
            .keys
            .all()
            .filter(|(b, _)| section_of(b) == *section)
            .collect();
        if rows.is_empty() {
            continue;
        }
        lines.push(Line::styled(
            *title,
            Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
        ));
        for (binding, keys) in rows {
            let keys: Vec<String> = keys.iter().map(key_label).collect();
            lines.push(Line::from(vec![
                Span::raw(format!("  {:<KEYS_WIDTH$}", keys.join(" "))),
                Span::raw(binding.help),
            ]));
        }
    }
    lines
}

fn warnings(app: &App, screen: Rect) -> Vec<Line<'static>> {
    let reason_width = usize::from(window_width(screen).saturating_sub(2))
        .saturating_sub(INDENT.len())
        .max(1);
    let mut lines = Vec::new();
    if app.warnings().next().is_none() {
        lines.push(Line::from("Every file loaded cleanly."));
    }
    let files = app.catalog.corpus.warnings.iter().map(|w| {
        if w.skipped {
            (w, "skipped ", Style::new().fg(Color::Yellow))
        } else {
            (w, "note    ", Style::new().add_modifier(Modifier::DIM))
        }
    });
    let feeds = app
        .feeds
        .failing
        .iter()
        .map(|w| (w, "failing ", Style::new().fg(Color::Red)));
    for (warning, mark, style) in files.chain(feeds) {
        lines.push(Line::from(vec![
            Span::styled(mark, style),
            Span::raw(warning.path.clone()),
        ]));
        for line in textwrap::wrap(&warning.reason, reason_width) {
            lines.push(Line::from(format!("{INDENT}{line}")));
        }
    }
    lines
}

/// Columns a link may take in the window.
fn link_room(screen: Rect) -> usize {
    usize::from(window_width(screen).saturating_sub(4))
}

fn links(app: &App, screen: Rect) -> Vec<Line<'static>> {
    let dim = Style::new().add_modifier(Modifier::DIM);
    let room = link_room(screen);
    let key = |action| {
        app.settings
            .keys
            .label(&action, Mode::Links)
            .unwrap_or_default()
    };
    let (open, copy) = (key(Action::OpenLink), key(Action::CopyLink));
    let mut lines = vec![Line::styled(
        if app.settings.remote {
            format!(
                "No browser from here: {open} or {copy} copies a link to your terminal's clipboard."
            )
        } else {
            format!("{open} opens a link in the browser; {copy} copies it (also through ssh).")
        },
        dim,
    )];
    lines.push(Line::default());
    for (i, link) in app.overlay.links.iter().enumerate() {
        let style = if i == app.overlay.link_selected {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new()
        };
        let (url, detail) = link_parts(link, room);
        let mut spans = vec![Span::styled(format!(" {url} "), style)];
        if !detail.is_empty() {
            spans.push(Span::styled(format!(" {detail}"), dim));
        }
        lines.push(Line::from(spans));
    }
    lines
}

/// A link as its line shows it in `room` columns: the address (cut if need be, never its
/// description), and what it is: the article's page, or an attached file's type and size.
/// Both are safe to draw: the address passed `text::links::safe`, the type the sanitizer.
fn link_parts(link: &Link, room: usize) -> (Cow<'_, str>, String) {
    let detail = match &link.kind {
        LinkKind::Text => String::new(),
        LinkKind::Page => "the article's page".to_owned(),
        LinkKind::Enclosure { mime, length } => {
            let parts: Vec<String> = mime.iter().cloned().chain(length.map(human_size)).collect();
            if parts.is_empty() {
                "attached file".to_owned()
            } else {
                parts.join(" · ")
            }
        }
    };
    let detail = fit(&detail, room / 2).into_owned();
    let used = if detail.is_empty() {
        0
    } else {
        detail.width() + 2
    };
    (fit(&link.url, room.saturating_sub(used).max(1)), detail)
}

/// Where the window of an overlay of `lines` lines goes: centred, as tall as its lines and
/// its border, within the screen.
pub(crate) fn window(screen: Rect, lines: usize) -> Rect {
    let width = window_width(screen);
    let height = u16::try_from(lines)
        .unwrap_or(u16::MAX)
        .saturating_add(2)
        .min(screen.height.saturating_sub(2));
    centered(screen, width, height)
}

/// Draws `lines` in a centred window, scrolled as `update` left it; returns the area inside
/// its border, if it could be drawn.
fn show(app: &App, frame: &mut Frame<'_>, title: &str, lines: Vec<Line<'static>>) -> Option<Rect> {
    let area = window(frame.area(), lines.len());
    if area.is_empty() {
        return None;
    }
    let inner_height = usize::from(area.height.saturating_sub(2));
    let scroll = app.overlay.scroll;
    let more = lines.len() > inner_height;
    let mut block = Block::bordered().title(Line::from(title.to_owned()));
    if more {
        let mode = app.mode();
        let keys = [Action::Down, Action::Up].map(|a| app.settings.keys.label(&a, mode));
        let keys = match keys {
            [Some(down), Some(up)] => format!(" · {down}/{up} scroll"),
            _ => String::new(),
        };
        let hint = format!(" {}/{}{keys} ", scroll + inner_height, lines.len());
        block = block.title_bottom(Line::from(hint).right_aligned());
    }
    // A column of margin on each side is cleared too, so the panes behind show no cut-off
    // text (a title's `…`) pressed against the window's border.
    let margin = Rect {
        x: area.x.saturating_sub(1),
        width: area.width.saturating_add(2),
        ..area
    }
    .intersection(frame.area());
    frame.render_widget(Clear, margin);
    let visible: Vec<Line<'static>> = lines.into_iter().skip(scroll).collect();
    frame.render_widget(Paragraph::new(visible).block(block), area);
    Some(area.inner(ratatui::layout::Margin::new(1, 1)))
}

fn centered(screen: Rect, width: u16, height: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(height)])
        .flex(Flex::Center)
        .areas(screen);
    let [area] = Layout::horizontal([Constraint::Length(width)])
        .flex(Flex::Center)
        .areas(row);
    area
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Everywhere,
    Browsing,
    List,
    Reader,
    Filter,
    Find,
    Question,
    Windows,
}

const SECTIONS: &[(&str, Section)] = &[
    ("Everywhere", Section::Everywhere),
    ("List and reader", Section::Browsing),
    ("List", Section::List),
    ("Reader", Section::Reader),
    ("Filter (and typing a search)", Section::Filter),
    ("Searching the article", Section::Find),
    ("When kiosque asks", Section::Question),
    ("Windows: help, warnings, links, sources", Section::Windows),
];

/// Where a binding is listed, from the modes it works in.
fn section_of(binding: &Binding) -> Section {
    let has = |m: Mode| binding.modes.contains(&m);
    match (has(Mode::List), has(Mode::Reader), has(Mode::Filter)) {
        (true, true, true) => Section::Everywhere,
        (true, true, false) => Section::Browsing,
        (true, false, _) => Section::List,
        (false, true, _) => Section::Reader,
        (false, false, true) => Section::Filter,
        (false, false, false) if has(Mode::Find) => Section::Find,
        (false, false, false) if has(Mode::Confirm) => Section::Question,
        (false, false, false) => Section::Windows,
    }
}
