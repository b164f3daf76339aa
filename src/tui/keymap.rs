//! The one key table: which key does what in each mode. The keys in effect (`keys.rs`), the
//! help overlay and every hint on screen are drawn from it, so they never disagree with it.

use ratatui::crossterm::event::KeyCode;

use crate::tui::action::Action;

/// Which keys apply: the focused pane, or the overlay on top.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    List,
    Reader,
    Filter,
    Help,
    Warnings,
    /// Typing a search in the open article.
    Find,
    /// A yes-or-no question in the status bar.
    Confirm,
    /// The list of the open article's links.
    Links,
    /// The list of the feeds and folders the articles come from.
    Sources,
}

/// A key as the table writes it: a key code, with or without Ctrl.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

pub(crate) const fn key(code: KeyCode) -> Key {
    Key { code, ctrl: false }
}

pub(crate) const fn ch(c: char) -> Key {
    key(KeyCode::Char(c))
}

pub(crate) const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: true,
    }
}

/// One row of the table.
#[derive(Clone, Debug)]
pub struct Binding {
    pub modes: &'static [Mode],
    /// What the config file calls it, in `[keys]`.
    pub name: &'static str,
    pub keys: &'static [Key],
    pub action: Action,
    /// What the key does, for the help overlay.
    pub help: &'static str,
    /// A short label for the status bar, for the keys worth a hint there.
    pub hint: Option<&'static str>,
}

use Mode::{Confirm, Filter, Find, Help, Links, List, Reader, Sources, Warnings};

const BROWSING: &[Mode] = &[List, Reader];
const PANES: &[Mode] = &[List, Reader, Filter];
const OVERLAYS: &[Mode] = &[Help, Warnings, Links, Sources];
/// Where a line of text is being typed.
const TYPING: &[Mode] = &[Filter, Find];
const EVERYWHERE: &[Mode] = &[
    List, Reader, Filter, Help, Warnings, Find, Confirm, Links, Sources,
];

/// Every key kiosque knows. The first row that matches wins.
pub const BINDINGS: &[Binding] = &[
    Binding {
        modes: &[List],
        keys: &[ch('j'), key(KeyCode::Down)],
        action: Action::Down,
        name: "next-article",
        help: "next article",
        hint: Some("move"),
    },
    Binding {
        modes: &[List],
        keys: &[ch('k'), key(KeyCode::Up)],
        action: Action::Up,
        name: "previous-article",
        help: "previous article",
        hint: None,
    },
    Binding {
        modes: &[Reader, Help, Warnings, Links, Sources],
        keys: &[ch('j'), key(KeyCode::Down)],
        action: Action::Down,
        name: "scroll-down",
        help: "scroll down a line",
        hint: Some("scroll"),
    },
    Binding {
        modes: &[Reader, Help, Warnings, Links, Sources],
        keys: &[ch('k'), key(KeyCode::Up)],
        action: Action::Up,
        name: "scroll-up",
        help: "scroll up a line",
        hint: None,
    },
    Binding {
        modes: &[List, Reader, Help, Warnings],
        keys: &[key(KeyCode::PageDown), ch(' ')],
        action: Action::PageDown,
        name: "page-down",
        help: "page down",
        hint: None,
    },
    Binding {
        modes: &[List, Reader, Help, Warnings],
        keys: &[key(KeyCode::PageUp)],
        action: Action::PageUp,
        name: "page-up",
        help: "page up",
        hint: None,
    },
    Binding {
        modes: &[List, Reader, Help, Warnings],
        keys: &[ch('g'), key(KeyCode::Home)],
        action: Action::Top,
        name: "top",
        help: "go to the top",
        hint: None,
    },
    Binding {
        modes: &[List, Reader, Help, Warnings],
        keys: &[ch('G'), key(KeyCode::End)],
        action: Action::Bottom,
        name: "bottom",
        help: "go to the bottom",
        hint: None,
    },
    Binding {
        modes: &[List],
        keys: &[key(KeyCode::Enter)],
        action: Action::Open,
        name: "read",
        help: "read the selected article",
        hint: Some("read"),
    },
    Binding {
        modes: &[Reader],
        keys: &[key(KeyCode::Esc)],
        action: Action::Back,
        name: "back",
        help: "back to the list",
        hint: Some("back"),
    },
    Binding {
        modes: &[Reader],
        keys: &[ch('1'), ch('2'), ch('3'), ch('4'), ch('5')],
        action: Action::OpenRelated(0),
        name: "related",
        help: "open a related article (listed at the end)",
        hint: None,
    },
    Binding {
        modes: &[Reader],
        keys: &[ch('/')],
        action: Action::FindInArticle,
        name: "find",
        help: "search this article",
        hint: Some("find"),
    },
    Binding {
        modes: &[Reader],
        keys: &[ch('o')],
        action: Action::ShowLinks,
        name: "links",
        help: "the article's links: open or copy one",
        hint: None,
    },
    Binding {
        modes: &[Links],
        keys: &[key(KeyCode::Enter)],
        action: Action::OpenLink,
        name: "open-link",
        help: "open the link in the browser",
        hint: Some("open"),
    },
    Binding {
        modes: &[Links],
        keys: &[ch('c')],
        action: Action::CopyLink,
        name: "copy-link",
        help: "copy the link to the clipboard (through the terminal, also over ssh)",
        hint: Some("copy"),
    },
    Binding {
        modes: &[Sources],
        keys: &[key(KeyCode::Enter)],
        action: Action::FilterSource,
        name: "filter-source",
        help: "list only the articles of this feed or folder",
        hint: Some("filter"),
    },
    Binding {
        modes: &[Sources],
        keys: &[ch('S')],
        action: Action::SortSources,
        name: "sort-sources",
        help: "sources by name, or by unread articles",
        hint: Some("sort"),
    },
    Binding {
        modes: &[Reader],
        keys: &[ch('n')],
        action: Action::NextMatch,
        name: "next-match",
        help: "next match of the search or the filter",
        hint: None,
    },
    Binding {
        modes: &[Reader],
        keys: &[ch('N')],
        action: Action::PrevMatch,
        name: "previous-match",
        help: "previous match",
        hint: None,
    },
    Binding {
        modes: &[Find],
        keys: &[key(KeyCode::Enter)],
        action: Action::Submit,
        name: "find-submit",
        help: "go to the first match below",
        hint: Some("find"),
    },
    Binding {
        modes: &[Find],
        keys: &[key(KeyCode::Esc)],
        action: Action::Back,
        name: "find-cancel",
        help: "cancel the search",
        hint: Some("cancel"),
    },
    Binding {
        modes: &[Find],
        keys: &[ctrl('u')],
        action: Action::ClearFilter,
        name: "find-clear",
        help: "clear the search",
        hint: None,
    },
    Binding {
        modes: &[List],
        keys: &[ch('/')],
        action: Action::FocusFilter,
        name: "filter",
        help: "filter by words, phrases, dates or read state",
        hint: Some("filter"),
    },
    Binding {
        modes: BROWSING,
        keys: &[ch('m')],
        action: Action::ToggleRead,
        name: "toggle-read",
        help: "mark read or unread",
        hint: None,
    },
    Binding {
        modes: BROWSING,
        keys: &[ch('M')],
        action: Action::MarkAllRead,
        name: "mark-all-read",
        help: "mark every article of the list read",
        hint: None,
    },
    Binding {
        modes: BROWSING,
        keys: &[ch('s')],
        action: Action::ToggleStar,
        name: "toggle-star",
        help: "star or unstar",
        hint: None,
    },
    Binding {
        modes: &[List, Reader, Sources],
        keys: &[ch('F')],
        action: Action::ShowSources,
        name: "sources",
        help: "the sources: feeds and folders, unread, last fetch",
        hint: None,
    },
    Binding {
        modes: BROWSING,
        keys: &[ch('t')],
        action: Action::FetchFullText,
        name: "full-text",
        help: "fetch the whole article from its page",
        hint: None,
    },
    Binding {
        modes: BROWSING,
        keys: &[ch('r')],
        action: Action::Refresh,
        name: "refresh",
        help: "fetch every feed (no feed: read the folders again)",
        hint: None,
    },
    Binding {
        modes: BROWSING,
        keys: &[ch('R')],
        action: Action::RefreshSource,
        name: "refresh-feed",
        help: "fetch only the feed of the selected article",
        hint: None,
    },
    Binding {
        modes: &[Confirm],
        keys: &[ch('y')],
        action: Action::Confirm,
        name: "yes",
        help: "yes",
        hint: Some("yes"),
    },
    Binding {
        modes: &[Confirm],
        keys: &[ch('n'), key(KeyCode::Esc)],
        action: Action::Back,
        name: "no",
        help: "no",
        hint: Some("no"),
    },
    Binding {
        modes: &[List, Filter],
        keys: &[ch('[')],
        action: Action::MoveRange(-1, 0),
        name: "range-earlier",
        help: "date range one month (or year) earlier, on the timeline",
        hint: None,
    },
    Binding {
        modes: &[List, Filter],
        keys: &[ch(']')],
        action: Action::MoveRange(1, 0),
        name: "range-later",
        help: "date range one month (or year) later",
        hint: None,
    },
    Binding {
        modes: &[List, Filter],
        keys: &[ch('{')],
        action: Action::MoveRange(0, -1),
        name: "widen-earlier",
        help: "widen the date range a month (or year) earlier",
        hint: None,
    },
    Binding {
        modes: &[List, Filter],
        keys: &[ch('}')],
        action: Action::MoveRange(0, 1),
        name: "widen-later",
        help: "widen the date range a month (or year) later",
        hint: None,
    },
    Binding {
        modes: BROWSING,
        keys: &[ch('S')],
        action: Action::CycleSort,
        name: "sort",
        help: "sort: newest first, oldest first, by relevance",
        hint: None,
    },
    Binding {
        modes: &[Filter],
        keys: &[key(KeyCode::Enter), key(KeyCode::Down)],
        action: Action::Submit,
        name: "results",
        help: "go to the results",
        hint: Some("results"),
    },
    Binding {
        modes: &[Filter],
        keys: &[key(KeyCode::Esc)],
        action: Action::Back,
        name: "leave-filter",
        help: "leave the filter (it stays applied)",
        hint: Some("leave"),
    },
    Binding {
        modes: PANES,
        keys: &[key(KeyCode::Tab)],
        action: Action::FocusNext,
        name: "next-pane",
        help: "next pane",
        hint: Some("pane"),
    },
    Binding {
        modes: PANES,
        keys: &[key(KeyCode::BackTab)],
        action: Action::FocusPrev,
        name: "previous-pane",
        help: "previous pane",
        hint: None,
    },
    Binding {
        modes: PANES,
        keys: &[ctrl('u')],
        action: Action::ClearFilter,
        name: "clear-filter",
        help: "clear the filter",
        hint: Some("clear"),
    },
    Binding {
        modes: TYPING,
        keys: &[ctrl('w')],
        action: Action::DeleteWord,
        name: "delete-word",
        help: "delete the word before the cursor",
        hint: None,
    },
    Binding {
        modes: TYPING,
        keys: &[key(KeyCode::Backspace)],
        action: Action::Backspace,
        name: "backspace",
        help: "delete the character before the cursor",
        hint: None,
    },
    Binding {
        modes: TYPING,
        keys: &[key(KeyCode::Delete)],
        action: Action::Delete,
        name: "delete",
        help: "delete the character under the cursor",
        hint: None,
    },
    Binding {
        modes: TYPING,
        keys: &[key(KeyCode::Left)],
        action: Action::CursorLeft,
        name: "cursor-left",
        help: "move the cursor left",
        hint: None,
    },
    Binding {
        modes: TYPING,
        keys: &[key(KeyCode::Right)],
        action: Action::CursorRight,
        name: "cursor-right",
        help: "move the cursor right",
        hint: None,
    },
    Binding {
        modes: TYPING,
        keys: &[key(KeyCode::Home), ctrl('a')],
        action: Action::CursorHome,
        name: "cursor-start",
        help: "cursor to the start",
        hint: None,
    },
    Binding {
        modes: TYPING,
        keys: &[key(KeyCode::End), ctrl('e')],
        action: Action::CursorEnd,
        name: "cursor-end",
        help: "cursor to the end",
        hint: None,
    },
    Binding {
        modes: &[List, Reader, Warnings],
        keys: &[ch('w')],
        action: Action::ToggleWarnings,
        name: "warnings",
        help: "warnings: files skipped, feeds failing",
        hint: None,
    },
    Binding {
        modes: &[List, Reader, Help],
        keys: &[ch('?')],
        action: Action::ToggleHelp,
        name: "help",
        help: "show or hide this help",
        hint: Some("help"),
    },
    Binding {
        modes: OVERLAYS,
        keys: &[key(KeyCode::Esc), ch('q')],
        action: Action::Back,
        name: "close",
        help: "close",
        hint: Some("close"),
    },
    Binding {
        modes: BROWSING,
        keys: &[ch('q')],
        action: Action::Quit,
        name: "quit",
        help: "quit",
        hint: Some("quit"),
    },
    Binding {
        modes: EVERYWHERE,
        keys: &[ctrl('z')],
        action: Action::Suspend,
        name: "suspend",
        help: "suspend to the shell (fg comes back)",
        hint: None,
    },
    Binding {
        modes: EVERYWHERE,
        keys: &[ctrl('c')],
        action: Action::Quit,
        name: "quit-anywhere",
        help: "quit",
        hint: None,
    },
];

/// Every mode, for checks over the whole table.
pub const MODES: [Mode; 9] = [
    List, Reader, Filter, Help, Warnings, Find, Confirm, Links, Sources,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique() {
        for (i, b) in BINDINGS.iter().enumerate() {
            assert!(
                BINDINGS[i + 1..].iter().all(|o| o.name != b.name),
                "{} twice",
                b.name
            );
        }
    }
}
