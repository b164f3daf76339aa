//! The keys in effect: the table's with the config's overrides, the action a pressed key
//! asks for, and keys written as labels (`Ctrl-U`) or read from the config (`ctrl-u`).

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::tui::action::Action;
use crate::tui::keymap::{BINDINGS, Binding, Key, MODES, Mode};

/// The keys in effect: the table's, or those the config file gives a row instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Keys {
    /// The keys of each row of [`BINDINGS`], in the same order.
    rows: Vec<Vec<Key>>,
}

impl Default for Keys {
    fn default() -> Self {
        Keys {
            rows: BINDINGS.iter().map(|b| b.keys.to_vec()).collect(),
        }
    }
}

/// Why the keys of a config file cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum KeysError {
    #[error("no key action is called “{0}” (see `kiosque config --default`)")]
    Unknown(String),
    #[error("the related-article keys are the digits 1 to 5 and cannot be changed")]
    Fixed,
    #[error("{key} would do two things: “{first}” and “{second}”")]
    Twice {
        key: String,
        first: &'static str,
        second: &'static str,
    },
    #[error("“{0}” has no key left")]
    NoKey(String),
}

impl Keys {
    /// The table with the keys of the named rows replaced. No key may end up doing two
    /// things in one mode.
    pub fn with(overrides: &[(String, Vec<Key>)]) -> Result<Keys, (String, KeysError)> {
        let mut keys = Keys::default();
        for (name, new) in overrides {
            let fail = |e| (name.clone(), e);
            let row = BINDINGS
                .iter()
                .position(|b| b.name == name)
                .ok_or_else(|| fail(KeysError::Unknown(name.clone())))?;
            if matches!(BINDINGS[row].action, Action::OpenRelated(_)) && new != BINDINGS[row].keys {
                return Err(fail(KeysError::Fixed));
            }
            if new.is_empty() {
                return Err(fail(KeysError::NoKey(name.clone())));
            }
            keys.rows[row] = new.clone();
        }
        let overridden = |name: &str| overrides.iter().any(|(n, _)| n == name);
        for mode in MODES {
            let mut seen: Vec<(Key, &'static str)> = Vec::new();
            for (binding, row) in BINDINGS.iter().zip(&keys.rows) {
                if !binding.modes.contains(&mode) {
                    continue;
                }
                for key in row {
                    if let Some(&(_, first)) = seen.iter().find(|(k, _)| k == key) {
                        // Blame the line of the config file that made the clash.
                        let culprit = if overridden(binding.name) {
                            binding.name
                        } else {
                            first
                        };
                        return Err((
                            culprit.to_owned(),
                            KeysError::Twice {
                                key: key_label(key),
                                first,
                                second: binding.name,
                            },
                        ));
                    }
                    seen.push((*key, binding.name));
                }
            }
        }
        Ok(keys)
    }

    /// The action for a key pressed in `mode`, if any. In the filter and the reader's
    /// search, printable characters that no row claims are typed.
    pub fn action(&self, event: KeyEvent, mode: Mode) -> Option<Action> {
        let pressed = Key {
            code: event.code,
            ctrl: event.modifiers.contains(KeyModifiers::CONTROL),
        };
        let found = BINDINGS
            .iter()
            .zip(&self.rows)
            .find(|(b, keys)| b.modes.contains(&mode) && keys.contains(&pressed))
            .map(|(b, _)| match (&b.action, event.code) {
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
            (Mode::Filter | Mode::Find, KeyCode::Char(c))
                if !event
                    .modifiers
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
            {
                Some(Action::Insert(c))
            }
            _ => None,
        }
    }

    /// The rows that apply in `mode`, in table order, with their keys.
    pub fn bindings_for(&self, mode: Mode) -> impl Iterator<Item = (&'static Binding, &[Key])> {
        BINDINGS
            .iter()
            .zip(&self.rows)
            .filter(move |(b, _)| b.modes.contains(&mode))
            .map(|(b, keys)| (b, keys.as_slice()))
    }

    /// Every row with its keys, in table order.
    pub fn all(&self) -> impl Iterator<Item = (&'static Binding, &[Key])> {
        BINDINGS.iter().zip(self.rows.iter().map(Vec::as_slice))
    }

    /// How the key that does `action` in `mode` is written (its row's first key), for a
    /// hint inside a sentence: "Ctrl-U clears it", "press / to filter". Hints written by hand
    /// would go wrong as soon as the config rebinds the key.
    pub fn label(&self, action: &Action, mode: Mode) -> Option<String> {
        self.bindings_for(mode)
            .find(|(b, _)| b.action == *action)
            .and_then(|(_, keys)| keys.first())
            .map(key_label)
    }
}

/// A key as the config file writes it: `x`, `X`, `ctrl-u`, `enter`, `esc`, `tab`,
/// `shift-tab`, `up`, `down`, `left`, `right`, `pageup`, `pagedown`, `home`, `end`, `space`,
/// `backspace`, `delete`.
pub fn parse_key(text: &str) -> Result<Key, String> {
    let lower = text.to_ascii_lowercase();
    let (ctrl, rest) = match lower.strip_prefix("ctrl-") {
        Some(_) => (true, &text["ctrl-".len()..]),
        None => (false, text),
    };
    let named = match rest.to_ascii_lowercase().as_str() {
        "enter" | "return" => Some(KeyCode::Enter),
        "esc" | "escape" => Some(KeyCode::Esc),
        "tab" => Some(KeyCode::Tab),
        "shift-tab" | "backtab" => Some(KeyCode::BackTab),
        "up" => Some(KeyCode::Up),
        "down" => Some(KeyCode::Down),
        "left" => Some(KeyCode::Left),
        "right" => Some(KeyCode::Right),
        "pageup" | "pgup" => Some(KeyCode::PageUp),
        "pagedown" | "pgdn" => Some(KeyCode::PageDown),
        "home" => Some(KeyCode::Home),
        "end" => Some(KeyCode::End),
        "space" => Some(KeyCode::Char(' ')),
        "backspace" => Some(KeyCode::Backspace),
        "delete" | "del" => Some(KeyCode::Delete),
        _ => None,
    };
    let mut chars = rest.chars();
    let code = match (named, chars.next(), chars.next()) {
        (Some(code), _, _) => code,
        (None, Some(c), None) if !c.is_control() && !c.is_whitespace() => {
            // Ctrl with a letter arrives as the lower-case letter.
            KeyCode::Char(if ctrl { c.to_ascii_lowercase() } else { c })
        }
        _ => {
            return Err(format!(
                "“{text}” is not a key: write a character (x, X, ?), ctrl-x, or a name such as enter, esc, tab, up, pagedown, space"
            ));
        }
    };
    Ok(Key { code, ctrl })
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::keymap::Mode::{Confirm, Filter, Find, Help, Links, List, Reader, Warnings};
    use crate::tui::keymap::{ch, ctrl, key};

    fn keymap(event: KeyEvent, mode: Mode) -> Option<Action> {
        Keys::default().action(event, mode)
    }

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
                Keys::default()
                    .bindings_for(mode)
                    .any(|(b, _)| matches!(b.action, Action::Quit | Action::Back)),
                "{mode:?}"
            );
        }
    }

    #[test]
    fn no_key_is_bound_twice_in_one_mode() {
        // The check the config's overrides go through accepts the table itself.
        assert_eq!(Keys::with(&[]), Ok(Keys::default()));
    }

    #[test]
    fn overrides_replace_a_row_s_keys() {
        let keys = Keys::with(&[("quit".to_owned(), vec![ch('x')])]).unwrap();
        assert_eq!(keys.action(plain('x'), List), Some(Action::Quit));
        assert_eq!(keys.action(plain('q'), List), None);
        // Ctrl-C still quits: it is another row.
        let ctrl_c = press(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(keys.action(ctrl_c, List), Some(Action::Quit));
    }

    #[test]
    fn overrides_that_clash_or_make_no_sense_are_refused() {
        let one = |name: &str, key: Key| Keys::with(&[(name.to_owned(), vec![key])]);
        assert_eq!(
            one("quit", ch('j')),
            Err((
                "quit".to_owned(),
                KeysError::Twice {
                    key: "j".to_owned(),
                    first: "next-article",
                    second: "quit"
                }
            ))
        );
        assert_eq!(
            one("next-article", ch('q')).unwrap_err().0,
            "next-article",
            "the line to blame is the override's"
        );
        assert_eq!(
            one("qiut", ch('x')),
            Err(("qiut".to_owned(), KeysError::Unknown("qiut".to_owned())))
        );
        assert_eq!(one("related", ch('x')).unwrap_err().1, KeysError::Fixed);
        assert_eq!(
            Keys::with(&[("quit".to_owned(), vec![])]).unwrap_err().1,
            KeysError::NoKey("quit".to_owned())
        );
    }

    #[test]
    fn keys_are_written_as_in_the_config() {
        assert_eq!(parse_key("x"), Ok(ch('x')));
        assert_eq!(parse_key("X"), Ok(ch('X')));
        assert_eq!(parse_key("ctrl-u"), Ok(ctrl('u')));
        assert_eq!(parse_key("Ctrl-U"), Ok(ctrl('u')));
        assert_eq!(parse_key("enter"), Ok(key(KeyCode::Enter)));
        assert_eq!(parse_key("PageDown"), Ok(key(KeyCode::PageDown)));
        assert_eq!(parse_key("space"), Ok(ch(' ')));
        assert_eq!(parse_key("é"), Ok(ch('é')));
        assert!(parse_key("").is_err());
        assert!(parse_key("xy").is_err());
        assert!(parse_key("ctrl-").is_err());
    }

    #[test]
    fn a_hint_shows_the_key_the_config_gives() {
        let keys = Keys::default();
        assert_eq!(
            keys.label(&Action::ClearFilter, List).as_deref(),
            Some("Ctrl-U")
        );
        assert_eq!(keys.label(&Action::NextMatch, Reader).as_deref(), Some("n"));
        assert_eq!(keys.label(&Action::NextMatch, List), None);
        let keys = Keys::with(&[("clear-filter".to_owned(), vec![ctrl('x'), ctrl('u')])])
            .expect("valid keys");
        assert_eq!(
            keys.label(&Action::ClearFilter, List).as_deref(),
            Some("Ctrl-X")
        );
    }

    #[test]
    fn labels() {
        assert_eq!(key_label(&ctrl('u')), "Ctrl-U");
        assert_eq!(key_label(&key(KeyCode::PageDown)), "PgDn");
        assert_eq!(key_label(&ch(' ')), "Space");
        assert_eq!(key_label(&ch('G')), "G");
    }
}
