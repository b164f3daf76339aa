//! The reader: laying out the open article for the reader's width, scrolling it, the search
//! within it and `n`/`N`, and opening a related article.

use crate::search::query::Query;
use crate::tui::app::{App, RELATED};
use crate::tui::layout::{Focus, areas, inner_height, reader_text};
use crate::tui::page::{Page, Source, jump_target};

impl App {
    /// Rows of the reader, for page up and down.
    pub(super) fn reader_page(&self) -> usize {
        inner_height(areas(self.screen, Focus::Reader).reader).max(1)
    }

    /// The reader's search: the same language as the filter; dates mean nothing in one
    /// article, words do. A text that does not parse keeps the last valid search.
    pub(super) fn apply_find(&mut self) {
        if let Ok(query) = Query::parse(self.reader.find.text(), self.today) {
            self.reader.find_highlight = query.highlighter();
            self.reader.current_match = None;
        }
    }

    /// Lays out the selected article for the reader as far as the screen shows it, finds
    /// the words sought once it is whole, and keeps the scroll within it.
    pub(super) fn settle_reader(&mut self) {
        let Some(index) = self.selected_index() else {
            self.reader.page = None;
            return;
        };
        let pane = areas(self.screen, self.focus).reader;
        if pane.is_empty() {
            return;
        }
        let text = reader_text(pane);
        let width = usize::from(text.width).clamp(1, self.settings.reading_width.max(1));
        let height = usize::from(text.height);
        self.lay_out(index, width);
        let highlight = self.reader_highlight().clone();
        let Some(page) = self.reader.page.as_mut() else {
            return;
        };
        // Only what the screen shows is laid out (all of it at once for most articles).
        page.extend_to(self.reader.scroll.saturating_add(height));
        page.find(&highlight);
        if page.is_complete() {
            self.reader.scroll = self
                .reader
                .scroll
                .min(page.lines().len().saturating_sub(height));
        }
    }

    /// Makes the page the selected article at `width`, unless it already is.
    fn lay_out(&mut self, index: usize, width: usize) {
        let body = self
            .reader
            .body
            .as_ref()
            .filter(|(i, _)| *i == index)
            .map(|(_, body)| body);
        let source = Source {
            index,
            article: &self.catalog.corpus.articles[index],
            body,
            width,
            set: self.settings.typesetting,
        };
        if self.reader.page.as_ref().is_some_and(|p| p.is_of(&source)) {
            return;
        }
        // The related articles are listed under the text, once there is a text.
        let related = match body {
            None => Vec::new(),
            Some(_) => self
                .related_to(index)
                .into_iter()
                .map(|i| {
                    let other = &self.catalog.corpus.articles[i];
                    let date = other.date.map_or_else(|| "—".to_owned(), |d| d.iso());
                    (date, other.title.clone())
                })
                .collect(),
        };
        self.reader.page = Some(Page::new(&source, related));
    }

    /// Goes `delta` matches on (`n` 1, `N` -1) and scrolls to show the match, a third of the
    /// way down the screen unless it is in view already.
    pub(super) fn jump(&mut self, delta: isize) {
        let highlight = self.reader_highlight().clone();
        if highlight.is_empty() {
            return;
        }
        self.settle_reader();
        let height = usize::from(reader_text(areas(self.screen, self.focus).reader).height);
        let selected = self.selected_index();
        let Some(page) = self
            .reader
            .page
            .as_mut()
            .filter(|p| Some(p.article()) == selected)
        else {
            return;
        };
        // Every match is needed: lay the whole article out (at once for most articles).
        page.complete();
        page.find(&highlight);
        let matches = page.matches(&highlight);
        let current = self.reader.current_match;
        let Some(target) = jump_target(matches, current, self.reader.scroll, delta) else {
            return;
        };
        self.reader.current_match = Some(target);
        let line = matches[target].line;
        let scroll = self.reader.scroll;
        if line < scroll || line >= scroll + height {
            self.reader.scroll = line.saturating_sub(height / 3);
        }
    }

    /// The articles most like article `index`: from the related articles found in memory,
    /// else from the index on disk, by the words of its text as the reader read it.
    fn related_to(&self, index: usize) -> Vec<usize> {
        let (Some(disk), true) = (&self.catalog.disk, self.catalog.related.is_empty()) else {
            return self
                .catalog
                .related
                .related(index, RELATED)
                .into_iter()
                .map(|(i, _)| i)
                .collect();
        };
        let Some((_, body)) = self.reader.body.as_ref().filter(|(i, _)| *i == index) else {
            return Vec::new();
        };
        let mut text = body.title.clone();
        for block in &body.blocks {
            text.push('\n');
            text.push_str(block.text());
        }
        disk.related(&text, index, RELATED).unwrap_or_default()
    }

    /// Opens the `n`-th related article, showing every article again if the filter hid it.
    pub(super) fn open_related(&mut self, n: usize, now: u64) {
        let Some(open) = self.selected_index() else {
            return;
        };
        let Some(&target) = self.related_to(open).get(n) else {
            return;
        };
        if !self.list.results.contains(&target) {
            // Filtered out: show everything again rather than refuse.
            self.edit_filter(crate::tui::input::LineInput::clear);
        }
        if let Some(position) = self.list.results.iter().position(|&i| i == target) {
            self.select(position);
            self.reader.scroll = 0;
            self.focus = Focus::Reader;
            self.read_what_is_open(now);
        }
    }
}
