//! The list: moving the selection, the first row shown, the wheel and clicks on the panes.

use ratatui::layout::Position;

use crate::tui::app::App;
use crate::tui::layout::{Focus, areas, inner_height};

impl App {
    /// Selects the result at `position` (within the list); another article starts at its top.
    pub(super) fn select(&mut self, position: usize) {
        let position = position.min(self.list.results.len().saturating_sub(1));
        if position != self.list.selected {
            self.list.selected = position;
            self.reader.scroll = 0;
            self.reader.current_match = None;
        }
    }

    pub(super) fn move_selection(&mut self, delta: isize) {
        self.select(self.list.selected.saturating_add_signed(delta));
    }

    /// Rows of the list pane, for page up and down.
    pub(super) fn list_page(&self) -> usize {
        inner_height(areas(self.screen, self.focus).list).max(1)
    }

    /// Keeps the selected row within the rows shown, moving them as little as possible.
    pub(super) fn keep_selection_in_view(&mut self) {
        let list = areas(self.screen, self.focus).list;
        // A hidden or empty list keeps its place for when it shows again.
        if list.is_empty() || self.list.results.is_empty() {
            return;
        }
        self.list.offset = keep_in_view(
            self.list.offset,
            self.list.selected,
            inner_height(list),
            self.list.results.len(),
        );
    }

    /// The wheel scrolls the overlay, or the pane under the pointer.
    pub(super) fn wheel(&mut self, x: u16, y: u16, lines: isize) {
        if self.overlay.shown.is_some() {
            self.overlay.scroll = self.overlay.scroll.saturating_add_signed(lines);
            return;
        }
        let areas = areas(self.screen, self.focus);
        let at = Position::new(x, y);
        if areas.list.contains(at) {
            self.move_selection(lines.signum());
        } else if areas.reader.contains(at) {
            self.reader.scroll = self.reader.scroll.saturating_add_signed(lines);
        }
    }

    /// A click gives the pane under it the keyboard; on a row of the list, selects it.
    pub(super) fn click(&mut self, x: u16, y: u16, now: u64) {
        if self.overlay.shown.is_some() || self.status.question.is_some() {
            return;
        }
        let areas = areas(self.screen, self.focus);
        let at = Position::new(x, y);
        if areas.filter.contains(at) {
            self.focus = Focus::Filter;
        } else if areas.reader.contains(at) {
            self.focus = Focus::Reader;
            self.read_what_is_open(now);
        } else if areas.list.contains(at) {
            self.focus = Focus::List;
            // Inside the border: the row under the pointer, from the first one shown.
            let row = usize::from(y.saturating_sub(areas.list.y + 1));
            if y > areas.list.y && row < inner_height(areas.list) {
                let position = self.list.offset + row;
                if position < self.list.results.len() {
                    self.select(position);
                }
            }
        }
    }
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
