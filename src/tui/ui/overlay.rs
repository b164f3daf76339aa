//! Windows drawn over the panes: the help, built from the key table, and the list of files
//! that were skipped or loaded with a note.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::keymap::{Binding, Mode};
use crate::tui::keys::key_label;

const KEYS_WIDTH: usize = 18;
/// Where a warning's reason starts, under the path.
const INDENT: &str = "        ";

/// Overlays are at most 80 columns wide and leave a margin around them.
fn window_width(screen: Rect) -> u16 {
    screen.width.saturating_sub(4).min(80)
}

pub fn help(app: &mut App, frame: &mut Frame<'_>) {
    let mut lines = Vec::new();
    for (title, section) in SECTIONS {
        let rows: Vec<(&Binding, &[crate::tui::keymap::Key])> = app
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
    let _ = show(app, frame, " Keys ", lines);
}

pub fn warnings(app: &mut App, frame: &mut Frame<'_>) {
    let reason_width = usize::from(window_width(frame.area()).saturating_sub(2))
        .saturating_sub(INDENT.len())
        .max(1);
    let mut lines = Vec::new();
    if app.catalog.corpus.warnings.is_empty() {
        lines.push(Line::from("Every file loaded cleanly."));
    }
    for warning in &app.catalog.corpus.warnings {
        let (mark, style) = if warning.skipped {
            ("skipped ", Style::new().fg(Color::Yellow))
        } else {
            ("note    ", Style::new().add_modifier(Modifier::DIM))
        };
        lines.push(Line::from(vec![
            Span::styled(mark, style),
            Span::raw(warning.path.clone()),
        ]));
        for line in textwrap::wrap(&warning.reason, reason_width) {
            lines.push(Line::from(format!("{INDENT}{line}")));
        }
    }
    let title = format!(
        " Files with problems: {} ",
        app.catalog.corpus.warnings.len()
    );
    show(app, frame, &title, lines);
}

pub fn links(app: &mut App, frame: &mut Frame<'_>) {
    let dim = Style::new().add_modifier(Modifier::DIM);
    let room = usize::from(window_width(frame.area()).saturating_sub(4));
    let key = |action| app.keys.label(&action, Mode::Links).unwrap_or_default();
    let (open, copy) = (key(Action::OpenLink), key(Action::CopyLink));
    let mut lines = vec![Line::styled(
        if app.remote {
            format!(
                "No browser from here: {open} or {copy} copies a link to your terminal's clipboard."
            )
        } else {
            format!("{open} opens a link in the browser; {copy} copies it (also through ssh).")
        },
        dim,
    )];
    lines.push(Line::default());
    for (i, url) in app.links.iter().enumerate() {
        let style = if i == app.link_selected {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new()
        };
        lines.push(Line::styled(
            format!(" {} ", crate::text::width::fit(url, room)),
            style,
        ));
    }
    // The selected link stays in view.
    let page = usize::from(frame.area().height.saturating_sub(4)).max(1);
    let selected_line = app.link_selected + 2;
    if selected_line < app.overlay_scroll {
        app.overlay_scroll = selected_line;
    } else if selected_line >= app.overlay_scroll + page {
        app.overlay_scroll = selected_line + 1 - page;
    }
    let title = format!(" Links: {} ", app.links.len());
    let shown: Vec<String> = app
        .links
        .iter()
        .map(|url| crate::text::width::fit(url, room).into_owned())
        .collect();
    let Some(inner) = show(app, frame, &title, lines) else {
        return;
    };
    // Where each visible link was drawn, for the runner to make it an OSC 8 hyperlink.
    let scroll = app.overlay_scroll;
    for (i, (url, text)) in app.links.iter().zip(shown).enumerate() {
        let line = i + 2;
        if line < scroll || line - scroll >= usize::from(inner.height) {
            continue;
        }
        app.ui.hyperlinks.push(super::Hyperlink {
            x: inner.x + 1,
            y: inner.y + (line - scroll) as u16,
            text,
            url: url.clone(),
            selected: i == app.link_selected,
        });
    }
}

/// Draws `lines` in a centred window, scrolled by `app.overlay_scroll`; returns the area
/// inside its border, if it could be drawn.
fn show(
    app: &mut App,
    frame: &mut Frame<'_>,
    title: &str,
    lines: Vec<Line<'static>>,
) -> Option<Rect> {
    let screen = frame.area();
    let width = window_width(screen);
    let height = (lines.len() as u16)
        .saturating_add(2)
        .min(screen.height.saturating_sub(2));
    let area = centered(screen, width, height);
    if area.is_empty() {
        return None;
    }
    let inner_height = usize::from(area.height.saturating_sub(2));
    app.overlay_scroll = app
        .overlay_scroll
        .min(lines.len().saturating_sub(inner_height));
    let more = lines.len() > inner_height;
    let mut block = Block::bordered().title(Line::from(title.to_owned()));
    if more {
        let mode = app.mode();
        let keys = [Action::Down, Action::Up].map(|a| app.keys.label(&a, mode));
        let scroll = match keys {
            [Some(down), Some(up)] => format!(" · {down}/{up} scroll"),
            _ => String::new(),
        };
        let hint = format!(
            " {}/{}{scroll} ",
            app.overlay_scroll + inner_height,
            lines.len()
        );
        block = block.title_bottom(Line::from(hint).right_aligned());
    }
    frame.render_widget(Clear, area);
    let visible: Vec<Line<'static>> = lines.into_iter().skip(app.overlay_scroll).collect();
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
    ("Windows: help, warnings, links", Section::Windows),
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
