//! The windows over the panes: help, warnings and the open article's links, their scroll,
//! and opening or copying a link.

use crate::corpus::Block;
use crate::tui::app::{App, Overlay};
use crate::tui::effects::Effect;
use crate::tui::ui::overlay::{content, window};

impl App {
    /// Shows `overlay`, or hides it if it is the one shown.
    pub(super) fn toggle(&mut self, overlay: Overlay) {
        self.overlay.shown = if self.overlay.shown == Some(overlay) {
            None
        } else {
            Some(overlay)
        };
        self.overlay.scroll = 0;
    }

    /// Lines of an overlay's window, for page up and down.
    pub(super) fn overlay_page(&self) -> usize {
        usize::from(self.screen.height.saturating_sub(4)).max(1)
    }

    /// Keeps the selected link in view, and the scroll within the window's lines.
    pub(super) fn settle_overlay(&mut self) {
        let Some(shown) = self.overlay.shown else {
            return;
        };
        if shown == Overlay::Links {
            // Two lines of explanation come before the links.
            let selected_line = self.overlay.link_selected + 2;
            let page = self.overlay_page();
            if selected_line < self.overlay.scroll {
                self.overlay.scroll = selected_line;
            } else if selected_line >= self.overlay.scroll + page {
                self.overlay.scroll = selected_line + 1 - page;
            }
        }
        let (_, lines) = content(self, shown, self.screen);
        let area = window(self.screen, lines.len());
        if area.is_empty() {
            return;
        }
        let inner = usize::from(area.height.saturating_sub(2));
        self.overlay.scroll = self.overlay.scroll.min(lines.len().saturating_sub(inner));
    }

    /// Lists the links of the article in the reader, if it has any.
    pub(super) fn show_links(&mut self) {
        let selected = self.selected_index();
        let body = self
            .reader
            .body
            .as_ref()
            .filter(|(i, _)| Some(*i) == selected);
        let Some((_, body)) = body else {
            return;
        };
        self.overlay.links = crate::text::links::find(body.blocks.iter().map(Block::text));
        self.overlay.link_selected = 0;
        if self.overlay.links.is_empty() {
            self.status.notice = Some("no link in this article".to_owned());
        } else {
            self.overlay.shown = Some(Overlay::Links);
            self.overlay.scroll = 0;
        }
    }

    /// Opens the selected link in a browser, or copies it where no browser can show it.
    pub(super) fn open_link(&mut self) -> Option<Effect> {
        let url = self
            .overlay
            .links
            .get(self.overlay.link_selected)
            .cloned()?;
        let (notice, effect) = if self.settings.remote {
            (
                "no browser from here: link sent to your terminal's clipboard".to_owned(),
                Effect::CopyLink(url),
            )
        } else {
            (format!("opening {url}"), Effect::OpenLink(url))
        };
        self.status.notice = Some(notice);
        self.overlay.shown = None;
        Some(effect)
    }

    /// Copies the selected link to the clipboard of the user's terminal.
    pub(super) fn copy_link(&mut self) -> Option<Effect> {
        let url = self
            .overlay
            .links
            .get(self.overlay.link_selected)
            .cloned()?;
        self.status.notice = Some("link sent to your terminal's clipboard".to_owned());
        self.overlay.shown = None;
        Some(Effect::CopyLink(url))
    }
}
