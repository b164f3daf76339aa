//! The one key table: it maps keys to actions in each mode, and the help overlay and the
//! status bar hints are drawn from it, so they can never disagree with the keys.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::action::Action;

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
}

/// A key as the table writes it: a key code, with or without Ctrl.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

const fn key(code: KeyCode) -> Key {
    Key { code, ctrl: false }
}

const fn ch(c: char) -> Key {
    key(KeyCode::Char(c))
}

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: true,
    }
}

/// One row of the table.
#[derive(Clone, Debug)]
pub struct Binding {
    pub modes: &'static [Mode],
    pub keys: &'static [Key],
    pub action: Action,
    /// What the key does, for the help overlay.
    pub help: &'static str,
    /// A short label for the status bar, for the keys worth a hint there.
    pub hint: Option<&'static str>,
}

use Mode::{Confirm, Filter, Find, Help, Links, List, Reader, Warnings};

const BROWSING: &[Mode] = &[List, Reader];
const PANES: &[Mode] = &[List, Reader, Filter];
const OVERLAYS: &[Mode] = &[Help, Warnings, Links];
/// Where a line of text is being typed.
const TYPING: &[Mode] = &[Filter, Find];
const EVERYWHERE: &[Mode] = &[List, Reader, Filter, Help, Warnings, Find, Confirm, Links];

/// Every key kiosque knows. The first row that matches wins.
pub const BINDINGS: &[Binding] = &[
    Binding {
        modes: &[List],
        keys: &[ch('j'), key(KeyCode::Down)],
        action: Action::Down,
        help: "next article",
        hint: Some("move"),
    },
    Binding {
        modes: &[List],
        keys: &[ch('k'), key(KeyCode::Up)],
        action: Action::Up,
        help: "previous article",
        hint: None,
    },
    Binding {
        modes: &[Reader, Help, Warnings, Links],
        keys: &[ch('j'), key(KeyCode::Down)],
        action: Action::Down,
        help: "scroll down a line",
        hint: Some("scroll"),
    },
    Binding {
        modes: &[Reader, Help, Warnings, Links],
        keys: &[ch('k'), key(KeyCode::Up)],
        action: Action::Up,
        help: "scroll up a line",
        hint: None,
    },
    Binding {
        modes: &[List, Reader, Help, Warnings],
        keys: &[key(KeyCode::PageDown), ch(' ')],
        action: Action::PageDown,
        help: "page down",
        hint: None,
    },
    Binding {
        modes: &[List, Reader, Help, Warnings],
        keys: &[key(KeyCode::PageUp)],
        action: Action::PageUp,
        help: "page up",
        hint: None,
    },
    Binding {
        modes: &[List, Reader, Help, Warnings],
        keys: &[ch('g'), key(KeyCode::Home)],
        action: Action::Top,
        help: "go to the top",
        hint: None,
    },
    Binding {
        modes: &[List, Reader, Help, Warnings],
        keys: &[ch('G'), key(KeyCode::End)],
        action: Action::Bottom,
        help: "go to the bottom",
        hint: None,
    },
    Binding {
        modes: &[List],
        keys: &[key(KeyCode::Enter)],
        action: Action::Open,
        help: "read the selected article",
        hint: Some("read"),
    },
    Binding {
        modes: &[Reader],
        keys: &[key(KeyCode::Esc)],
        action: Action::Back,
        help: "back to the list",
        hint: Some("back"),
    },
    Binding {
        modes: &[Reader],
        keys: &[ch('1'), ch('2'), ch('3'), ch('4'), ch('5')],
        action: Action::OpenRelated(0),
        help: "open a related article (listed at the end)",
        hint: None,
    },
    Binding {
        modes: &[Reader],
        keys: &[ch('/')],
        action: Action::FindInArticle,
        help: "search this article (n and N go through the matches)",
        hint: Some("find"),
    },
    Binding {
        modes: &[Reader],
        keys: &[ch('o')],
        action: Action::ShowLinks,
        help: "the article's links: open or copy one",
        hint: None,
    },
    Binding {
        modes: &[Links],
        keys: &[key(KeyCode::Enter)],
        action: Action::OpenLink,
        help: "open the link in the browser",
        hint: Some("open"),
    },
    Binding {
        modes: &[Links],
        keys: &[ch('c')],
        action: Action::CopyLink,
        help: "copy the link to the clipboard (through the terminal, also over ssh)",
        hint: Some("copy"),
    },
    Binding {
        modes: &[Reader],
        keys: &[ch('n')],
        action: Action::NextMatch,
        help: "next match of the search or the filter",
        hint: None,
    },
    Binding {
        modes: &[Reader],
        keys: &[ch('N')],
        action: Action::PrevMatch,
        help: "previous match",
        hint: None,
    },
    Binding {
        modes: &[Find],
        keys: &[key(KeyCode::Enter)],
        action: Action::Submit,
        help: "go to the first match below",
        hint: Some("find"),
    },
    Binding {
        modes: &[Find],
        keys: &[key(KeyCode::Esc)],
        action: Action::Back,
        help: "cancel the search",
        hint: Some("cancel"),
    },
    Binding {
        modes: &[Find],
        keys: &[ctrl('u')],
        action: Action::ClearFilter,
        help: "clear the search",
        hint: None,
    },
    Binding {
        modes: &[List],
        keys: &[ch('/')],
        action: Action::FocusFilter,
        help: "filter by words, phrases, dates or read state",
        hint: Some("filter"),
    },
    Binding {
        modes: BROWSING,
        keys: &[ch('m')],
        action: Action::ToggleRead,
        help: "mark read or unread",
        hint: None,
    },
    Binding {
        modes: BROWSING,
        keys: &[ch('M')],
        action: Action::MarkAllRead,
        help: "mark every article of the list read",
        hint: None,
    },
    Binding {
        modes: BROWSING,
        keys: &[ch('s')],
        action: Action::ToggleStar,
        help: "star or unstar",
        hint: None,
    },
    Binding {
        modes: &[Confirm],
        keys: &[ch('y')],
        action: Action::Confirm,
        help: "yes",
        hint: Some("yes"),
    },
    Binding {
        modes: &[Confirm],
        keys: &[ch('n'), key(KeyCode::Esc)],
        action: Action::Back,
        help: "no",
        hint: Some("no"),
    },
    Binding {
        modes: &[List, Filter],
        keys: &[ch('[')],
        action: Action::MoveRange(-1, 0),
        help: "date range one month (or year) earlier, on the timeline",
        hint: None,
    },
    Binding {
        modes: &[List, Filter],
        keys: &[ch(']')],
        action: Action::MoveRange(1, 0),
        help: "date range one month (or year) later",
        hint: None,
    },
    Binding {
        modes: &[List, Filter],
        keys: &[ch('{')],
        action: Action::MoveRange(0, -1),
        help: "widen the date range a month (or year) earlier",
        hint: None,
    },
    Binding {
        modes: &[List, Filter],
        keys: &[ch('}')],
        action: Action::MoveRange(0, 1),
        help: "widen the date range a month (or year) later",
        hint: None,
    },
    Binding {
        modes: BROWSING,
        keys: &[ch('S')],
        action: Action::CycleSort,
        help: "sort: newest first, oldest first, by relevance",
        hint: None,
    },
    Binding {
        modes: &[Filter],
        keys: &[key(KeyCode::Enter), key(KeyCode::Down)],
        action: Action::Submit,
        help: "go to the results",
        hint: Some("results"),
    },
    Binding {
        modes: &[Filter],
        keys: &[key(KeyCode::Esc)],
        action: Action::Back,
        help: "leave the filter (it stays applied)",
        hint: Some("leave"),
    },
    Binding {
        modes: PANES,
        keys: &[key(KeyCode::Tab)],
        action: Action::FocusNext,
        help: "next pane",
        hint: Some("pane"),
    },
    Binding {
        modes: PANES,
        keys: &[key(KeyCode::BackTab)],
        action: Action::FocusPrev,
        help: "previous pane",
        hint: None,
    },
    Binding {
        modes: PANES,
        keys: &[ctrl('u')],
        action: Action::ClearFilter,
        help: "clear the filter",
        hint: Some("clear"),
    },
    Binding {
        modes: TYPING,
        keys: &[ctrl('w')],
        action: Action::DeleteWord,
        help: "delete the word before the cursor",
        hint: None,
    },
    Binding {
        modes: TYPING,
        keys: &[key(KeyCode::Backspace)],
        action: Action::Backspace,
        help: "delete the character before the cursor",
        hint: None,
    },
    Binding {
        modes: TYPING,
        keys: &[key(KeyCode::Delete)],
        action: Action::Delete,
        help: "delete the character under the cursor",
        hint: None,
    },
    Binding {
        modes: TYPING,
        keys: &[key(KeyCode::Left)],
        action: Action::CursorLeft,
        help: "move the cursor left",
        hint: None,
    },
    Binding {
        modes: TYPING,
        keys: &[key(KeyCode::Right)],
        action: Action::CursorRight,
        help: "move the cursor right",
        hint: None,
    },
    Binding {
        modes: TYPING,
        keys: &[key(KeyCode::Home), ctrl('a')],
        action: Action::CursorHome,
        help: "cursor to the start",
        hint: None,
    },
    Binding {
        modes: TYPING,
        keys: &[key(KeyCode::End), ctrl('e')],
        action: Action::CursorEnd,
        help: "cursor to the end",
        hint: None,
    },
    Binding {
        modes: &[List, Reader, Warnings],
        keys: &[ch('w')],
        action: Action::ToggleWarnings,
        help: "show or hide the files that were skipped",
        hint: None,
    },
    Binding {
        modes: &[List, Reader, Help],
        keys: &[ch('?')],
        action: Action::ToggleHelp,
        help: "show or hide this help",
        hint: Some("help"),
    },
    Binding {
        modes: OVERLAYS,
        keys: &[key(KeyCode::Esc), ch('q')],
        action: Action::Back,
        help: "close",
        hint: Some("close"),
    },
    Binding {
        modes: BROWSING,
        keys: &[ch('q')],
        action: Action::Quit,
        help: "quit",
        hint: Some("quit"),
    },
    Binding {
        modes: EVERYWHERE,
        keys: &[ctrl('z')],
        action: Action::Suspend,
        help: "suspend to the shell (fg comes back)",
        hint: None,
    },
    Binding {
        modes: EVERYWHERE,
        keys: &[ctrl('c')],
        action: Action::Quit,
        help: "quit",
        hint: None,
    },
];

/// The action for a key pressed in `mode`, if any. In the filter, printable characters
/// that no row claims are typed into the query.
pub fn keymap(event: KeyEvent, mode: Mode) -> Option<Action> {
    let pressed = Key {
        code: event.code,
        ctrl: event.modifiers.contains(KeyModifiers::CONTROL),
    };
    let found = BINDINGS
        .iter()
        .find(|b| b.modes.contains(&mode) && b.keys.contains(&pressed))
        .map(|b| match (&b.action, event.code) {
            // One row for the five digit keys: the digit says which related article.
            (Action::OpenRelated(_), KeyCode::Char(c @ '1'..='9')) => {
                Action::OpenRelated(c as usize - '1' as usize)
            }
            (action, _) => action.clone(),
        });
    if found.is_some() {
        return found;
    }
    match (mode, event.code) {
        (Filter | Find, KeyCode::Char(c))
            if !event
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            Some(Action::Insert(c))
        }
        _ => None,
    }
}

/// How a key is written in the help and the status bar: `j`, `↓`, `Ctrl-U`, `PgDn`.
pub fn key_label(key: &Key) -> String {
    let name = match key.code {
        KeyCode::Char(' ') => "Space".to_owned(),
        KeyCode::Char(c) if key.ctrl => c.to_ascii_uppercase().to_string(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Up => "↑".to_owned(),
        KeyCode::Down => "↓".to_owned(),
        KeyCode::Left => "←".to_owned(),
        KeyCode::Right => "→".to_owned(),
        KeyCode::PageUp => "PgUp".to_owned(),
        KeyCode::PageDown => "PgDn".to_owned(),
        KeyCode::Home => "Home".to_owned(),
        KeyCode::End => "End".to_owned(),
        KeyCode::Enter => "Enter".to_owned(),
        KeyCode::Esc => "Esc".to_owned(),
        KeyCode::Tab => "Tab".to_owned(),
        KeyCode::BackTab => "Shift-Tab".to_owned(),
        KeyCode::Backspace => "Backspace".to_owned(),
        KeyCode::Delete => "Del".to_owned(),
        other => format!("{other:?}"),
    };
    if key.ctrl {
        format!("Ctrl-{name}")
    } else {
        name
    }
}

/// The bindings that apply in `mode`, in table order.
pub fn bindings_for(mode: Mode) -> impl Iterator<Item = &'static Binding> {
    BINDINGS.iter().filter(move |b| b.modes.contains(&mode))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    fn plain(c: char) -> KeyEvent {
        press(KeyCode::Char(c), KeyModifiers::NONE)
    }

    #[test]
    fn browsing_keys() {
        assert_eq!(keymap(plain('j'), List), Some(Action::Down));
        assert_eq!(
            keymap(press(KeyCode::Up, KeyModifiers::NONE), List),
            Some(Action::Up)
        );
        assert_eq!(keymap(plain('q'), List), Some(Action::Quit));
        assert_eq!(keymap(plain('/'), List), Some(Action::FocusFilter));
        assert_eq!(keymap(plain('/'), Reader), Some(Action::FindInArticle));
        assert_eq!(keymap(plain('n'), Reader), Some(Action::NextMatch));
        assert_eq!(keymap(plain('N'), Reader), Some(Action::PrevMatch));
        assert_eq!(keymap(plain('S'), List), Some(Action::CycleSort));
        assert_eq!(keymap(plain('n'), Find), Some(Action::Insert('n')));
        assert_eq!(keymap(plain(' '), Reader), Some(Action::PageDown));
        assert_eq!(keymap(plain('x'), List), None);
    }

    #[test]
    fn shifted_letters_arrive_with_shift_and_still_match() {
        assert_eq!(
            keymap(press(KeyCode::Char('G'), KeyModifiers::SHIFT), List),
            Some(Action::Bottom)
        );
        assert_eq!(
            keymap(press(KeyCode::Char('?'), KeyModifiers::SHIFT), List),
            Some(Action::ToggleHelp)
        );
    }

    #[test]
    fn digits_open_related_articles_in_the_reader() {
        assert_eq!(keymap(plain('1'), Reader), Some(Action::OpenRelated(0)));
        assert_eq!(keymap(plain('5'), Reader), Some(Action::OpenRelated(4)));
        assert_eq!(keymap(plain('6'), Reader), None);
        assert_eq!(keymap(plain('1'), Filter), Some(Action::Insert('1')));
    }

    #[test]
    fn letters_are_typed_in_the_filter() {
        assert_eq!(keymap(plain('q'), Filter), Some(Action::Insert('q')));
        assert_eq!(keymap(plain('j'), Filter), Some(Action::Insert('j')));
        assert_eq!(keymap(plain('é'), Filter), Some(Action::Insert('é')));
        assert_eq!(
            keymap(press(KeyCode::Char('U'), KeyModifiers::SHIFT), Filter),
            Some(Action::Insert('U'))
        );
        assert_eq!(
            keymap(press(KeyCode::Char('u'), KeyModifiers::CONTROL), Filter),
            Some(Action::ClearFilter)
        );
        assert_eq!(
            keymap(press(KeyCode::Char('x'), KeyModifiers::ALT), Filter),
            None
        );
    }

    #[test]
    fn ctrl_c_quits_everywhere() {
        let ctrl_c = press(KeyCode::Char('c'), KeyModifiers::CONTROL);
        for mode in [List, Reader, Filter, Help, Warnings, Find, Confirm, Links] {
            assert_eq!(keymap(ctrl_c, mode), Some(Action::Quit), "{mode:?}");
        }
    }

    #[test]
    fn every_mode_has_a_way_out() {
        for mode in [List, Reader, Filter, Help, Warnings, Find, Confirm, Links] {
            assert!(
                bindings_for(mode).any(|b| matches!(b.action, Action::Quit | Action::Back)),
                "{mode:?}"
            );
        }
    }

    #[test]
    fn no_key_is_bound_twice_in_one_mode() {
        for mode in [List, Reader, Filter, Help, Warnings, Find, Confirm, Links] {
            let keys: Vec<Key> = bindings_for(mode)
                .flat_map(|b| b.keys.iter().copied())
                .collect();
            for (i, k) in keys.iter().enumerate() {
                assert!(
                    !keys[i + 1..].contains(k),
                    "{} is bound twice in {mode:?}",
                    key_label(k)
                );
            }
        }
    }

    #[test]
    fn labels() {
        assert_eq!(key_label(&ctrl('u')), "Ctrl-U");
        assert_eq!(key_label(&key(KeyCode::PageDown)), "PgDn");
        assert_eq!(key_label(&ch(' ')), "Space");
        assert_eq!(key_label(&ch('G')), "G");
    }
}
