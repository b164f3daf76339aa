//! Everything a user can ask kiosque to do, as plain values: the keymap produces them and
//! `update` carries them out.

use std::sync::Arc;

use crate::article::Body;

/// One request from the user, or news from outside: the terminal's size, an article's body
/// read by the runner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Previous article in the list, or scroll up one line in the reader or an overlay.
    Up,
    /// Next article in the list, or scroll down one line in the reader or an overlay.
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    /// Open the selected article in the reader.
    Open,
    /// Leave the filter (keeping it), go back from the reader, or close an overlay.
    Back,
    FocusNext,
    FocusPrev,
    FocusFilter,
    /// Leave the filter for the list of results.
    Submit,
    Insert(char),
    Backspace,
    Delete,
    CursorLeft,
    CursorRight,
    CursorHome,
    CursorEnd,
    DeleteWord,
    ClearFilter,
    ToggleHelp,
    ToggleWarnings,
    Resize(u16, u16),
    /// Give the terminal back to the shell until `fg` (Ctrl-Z).
    Suspend,
    /// The body of article `usize` (a corpus position), read for the reader.
    BodyLoaded(usize, Arc<Body>),
    Quit,
}
