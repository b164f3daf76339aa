//! Where each pane goes for a given terminal size: one pure function that both `update`
//! (to know page sizes) and `view` (to draw) use, so they always agree.

use ratatui::layout::{Constraint, Layout, Rect};

/// From this width on, the list and the reader sit side by side.
pub const WIDE: u16 = 100;
/// Height of the filter pane, borders included.
const FILTER_HEIGHT: u16 = 3;
/// Rows of the timeline, shown under the query while the filter has the keyboard.
pub const TIMELINE_HEIGHT: u16 = 6;
/// The timeline shows only on screens at least this tall, so the list keeps room.
const TIMELINE_SCREEN: u16 = 20;

/// Which pane has the keyboard.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Focus {
    Filter,
    #[default]
    List,
    Reader,
}

/// The rectangles of one frame. A pane that is not shown has an empty rectangle.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Areas {
    pub filter: Rect,
    pub list: Rect,
    pub reader: Rect,
    pub status: Rect,
}

pub fn areas(screen: Rect, focus: Focus) -> Areas {
    let [main, status] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(screen);
    let (left, reader) = if screen.width >= WIDE {
        let [left, reader] =
            Layout::horizontal([Constraint::Percentage(40), Constraint::Fill(1)]).areas(main);
        (left, reader)
    } else if focus == Focus::Reader {
        (Rect::default(), main)
    } else {
        (main, Rect::default())
    };
    let filter_height = if focus == Focus::Filter && screen.height >= TIMELINE_SCREEN {
        FILTER_HEIGHT + TIMELINE_HEIGHT
    } else {
        FILTER_HEIGHT
    };
    let [filter, list] =
        Layout::vertical([Constraint::Length(filter_height), Constraint::Fill(1)]).areas(left);
    Areas {
        filter,
        list,
        reader,
        status,
    }
}

/// Where the reader's text goes in its pane: inside the border, a column of margin on
/// each side.
pub fn reader_text(pane: Rect) -> Rect {
    Rect {
        x: pane.x.saturating_add(2),
        y: pane.y.saturating_add(1),
        width: pane.width.saturating_sub(4),
        height: pane.height.saturating_sub(2),
    }
}

/// Rows of text inside a bordered pane.
pub fn inner_height(area: Rect) -> usize {
    usize::from(area.height.saturating_sub(2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_screens_show_list_and_reader_side_by_side() {
        let a = areas(Rect::new(0, 0, 120, 40), Focus::List);
        assert_eq!(a.filter, Rect::new(0, 0, 48, 3));
        assert_eq!(a.list, Rect::new(0, 3, 48, 36));
        assert_eq!(a.reader, Rect::new(48, 0, 72, 39));
        assert_eq!(a.status, Rect::new(0, 39, 120, 1));
    }

    #[test]
    fn narrow_screens_show_one_pane_at_a_time() {
        let list = areas(Rect::new(0, 0, 80, 24), Focus::List);
        assert_eq!(list.list, Rect::new(0, 3, 80, 20));
        assert!(list.reader.is_empty());
        let reader = areas(Rect::new(0, 0, 80, 24), Focus::Reader);
        assert_eq!(reader.reader, Rect::new(0, 0, 80, 23));
        assert!(reader.list.is_empty() && reader.filter.is_empty());
    }

    #[test]
    fn the_filter_grows_a_timeline_when_it_has_the_keyboard() {
        let a = areas(Rect::new(0, 0, 80, 24), Focus::Filter);
        assert_eq!(a.filter, Rect::new(0, 0, 80, 9));
        assert_eq!(a.list, Rect::new(0, 9, 80, 14));
        let short = areas(Rect::new(0, 0, 80, 12), Focus::Filter);
        assert_eq!(short.filter.height, 3);
    }

    #[test]
    fn tiny_screens_do_not_underflow() {
        for (w, h) in [(0, 0), (1, 1), (3, 2), (100, 1)] {
            let a = areas(Rect::new(0, 0, w, h), Focus::Reader);
            assert!(a.status.height <= h);
            assert_eq!(inner_height(Rect::new(0, 0, w, 1)), 0);
        }
    }
}
