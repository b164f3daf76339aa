//! The windows over the panes: help, warnings and the open article's links, their scroll,
//! and opening or copying a link.

use crate::corpus::{Block, Body};
use crate::tui::app::{App, Link, LinkKind, Overlay};
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
        let selected = match shown {
            Overlay::Links => Some(self.overlay.link_selected),
            Overlay::Sources => Some(self.overlay.source_selected),
            Overlay::Help | Overlay::Warnings => None,
        };
        if let Some(selected) = selected {
            // Two lines of explanation come before the links (or the sources).
            let selected_line = selected + 2;
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

    /// Lists the links of the article in the reader, if it has any: its own page first,
    /// then the links of its text, then the files attached to it.
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
        self.overlay.links = offered(body);
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
            .get(self.overlay.link_selected)?
            .url
            .clone();
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
            .get(self.overlay.link_selected)?
            .url
            .clone();
        self.status.notice = Some("link sent to your terminal's clipboard".to_owned());
        self.overlay.shown = None;
        Some(Effect::CopyLink(url))
    }
}

/// The links of `body` the links window offers, each address once: the item's page, the
/// links of the text, then the attached files. A file the text links to is listed with the
/// files, where its type and size are known.
fn offered(body: &Body) -> Vec<Link> {
    let page = body.link.iter().map(|url| Link {
        url: url.clone(),
        kind: LinkKind::Page,
    });
    let text = crate::text::links::find(body.blocks.iter().map(Block::text))
        .into_iter()
        .filter(|url| !body.enclosures.iter().any(|e| e.url == *url))
        .map(|url| Link {
            url,
            kind: LinkKind::Text,
        });
    let files = body.enclosures.iter().map(|e| Link {
        url: e.url.clone(),
        kind: LinkKind::Enclosure {
            mime: e.mime.clone(),
            length: e.length,
        },
    });
    let mut links: Vec<Link> = Vec::new();
    for link in page.chain(text).chain(files) {
        if !links.iter().any(|l| l.url == link.url) {
            links.push(link);
        }
    }
    links
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Enclosure;

    #[test]
    fn the_page_comes_first_then_the_text_then_the_files_each_once() {
        let file = |url: &str, mime: Option<&str>, length| Enclosure {
            url: url.to_owned(),
            mime: mime.map(str::to_owned),
            length,
        };
        let body = Body {
            date: None,
            title: "Titre".to_owned(),
            words: 9,
            blocks: vec![Block::Paragraph(
                "Voir https://x.fr/a.html, https://x.fr/rapport et https://x.fr/e.mp3.".to_owned(),
            )],
            problem: None,
            fingerprint: None,
            link: Some("https://x.fr/a.html".to_owned()),
            enclosures: vec![
                file("https://x.fr/e.mp3", Some("audio/mpeg"), Some(123)),
                file("https://x.fr/a.html", None, None),
            ],
        };
        let link = |url: &str, kind| Link {
            url: url.to_owned(),
            kind,
        };
        assert_eq!(
            offered(&body),
            [
                link("https://x.fr/a.html", LinkKind::Page),
                link("https://x.fr/rapport", LinkKind::Text),
                link(
                    "https://x.fr/e.mp3",
                    LinkKind::Enclosure {
                        mime: Some("audio/mpeg".to_owned()),
                        length: Some(123)
                    }
                ),
            ]
        );
        let plain = Body {
            link: None,
            enclosures: Vec::new(),
            ..body
        };
        assert_eq!(
            offered(&plain),
            [
                link("https://x.fr/a.html", LinkKind::Text),
                link("https://x.fr/rapport", LinkKind::Text),
                link("https://x.fr/e.mp3", LinkKind::Text),
            ]
        );
    }
}
