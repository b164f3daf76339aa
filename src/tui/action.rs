//! Everything a user can ask kiosque to do, and the news `update` hears from outside (the
//! terminal's size, a load, the results of its effects), as plain values.

use std::sync::Arc;

use crate::corpus::Body;
use crate::search::catalog::{Catalog, Stage};
use crate::store::marks::{Change, Marks};

/// A value too large to copy, carried by an action. Two actions carrying one are equal
/// when they carry the very same value.
#[derive(Clone)]
pub struct Shared<T>(pub Arc<T>);

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> Eq for Shared<T> {}

impl<T> std::fmt::Debug for Shared<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Shared({})", std::any::type_name::<T>())
    }
}

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
    /// Open the n-th (from 0) of the articles listed as related to the one in the reader.
    OpenRelated(usize),
    /// Search the open article's text (like `/` in less).
    FindInArticle,
    /// The next or previous match in the reader.
    NextMatch,
    PrevMatch,
    /// Mark the selected article read, or unread if it was.
    ToggleRead,
    /// Mark every article of the results read (asks first when there are many).
    MarkAllRead,
    /// Star the selected article, or unstar it.
    ToggleStar,
    /// Yes to the question asked (`y`).
    Confirm,
    /// The marks as saved, merged with what other kiosque processes saved meanwhile, and the
    /// changes that save carried.
    MarksSaved(Shared<Marks>, Vec<Change>),
    /// Saving the marks failed: why. They stay pending and are saved with the next change.
    SaveFailed(String),
    /// Move the query's date range along the timeline by this many months (or years), and
    /// widen it by this many: less than 0 earlier, more than 0 later.
    MoveRange(i32, i32),
    /// List the links of the open article.
    ShowLinks,
    /// Open the selected link in a browser (or say why not).
    OpenLink,
    /// Copy the selected link to the clipboard of the user's terminal (OSC 52).
    CopyLink,
    /// Something to tell the user in the status bar (a browser that would not start…).
    Notice(String),
    /// The mouse wheel turned over a cell (column, row): lines to scroll, up if below 0.
    Wheel(u16, u16, isize),
    /// A left click on a cell (column, row): selects, or gives a pane the keyboard.
    Click(u16, u16),
    /// Newest first, oldest first, by relevance (when the query has words), and round.
    CycleSort,
    /// Give the terminal back to the shell until `fg` (Ctrl-Z).
    Suspend,
    /// The body of article `usize` (a corpus position), read for the reader
    /// (`Effect::ReadBody`).
    BodyRead(usize, Arc<Body>),
    /// How far loading has come: stage, files done, files in all.
    Loading(Stage, usize, usize),
    /// The loaded articles, listed (and later indexed).
    Catalog(Shared<Catalog>),
    /// Show the feeds and folders the articles come from (or hide them).
    ShowSources,
    /// Keep only the articles of the selected source, writing its term in the filter.
    FilterSource,
    /// Sources by name, or by unread articles, and back.
    SortSources,
    /// Fetch the whole article of the selected feed article from its page, below its
    /// summary.
    FetchFullText,
    /// The page of the article in this file was read: the words of its full text now in the
    /// file, or why not.
    FullTextDone(std::path::PathBuf, Result<usize, String>),
    /// The words of the list shown (the catalog at this address), answered by the index on
    /// disk as it is, while the files are checked.
    Answered(
        usize,
        Shared<(crate::search::disk::Snapshot, crate::search::disk::Known)>,
    ),
    /// The files of the list shown (the catalog at this address) are all as the list cache
    /// knew them: the check is over, nothing to change.
    Unchanged(usize),
    /// The results of the query of this number, run on the query thread, in order.
    QueryDone(u64, Shared<Vec<usize>>),
    /// Fetch every subscribed feed, in the background.
    Refresh,
    /// Fetch only the feed of the selected article.
    RefreshSource,
    /// Time passes (the runner's clock, now and then): fetch by itself when it is time.
    Tick,
    /// A feed of the fetch in progress is done.
    FeedFetched(FeedNews),
    /// The fetch ended: what the user should know (moved feeds…), or why it did not run.
    FetchDone(Result<Vec<String>, String>),
    /// The files read again after a fetch: the same articles and the new ones, indexed.
    Reloaded(Shared<Catalog>),
    Quit,
}

/// What the fetch says of one feed as it ends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeedNews {
    /// Feeds done and in all.
    pub done: usize,
    pub total: usize,
    /// The feed's name, made safe to show.
    pub feed: String,
    /// Articles saved new, and updated.
    pub new: usize,
    pub updated: usize,
    /// Why it failed, made safe to show, if it did.
    pub error: Option<String>,
}

impl Action {
    /// True for news from outside (a load, a read, a save, the terminal's size), false for
    /// what the user asked.
    pub fn is_news(&self) -> bool {
        matches!(
            self,
            Action::Resize(..)
                | Action::BodyRead(..)
                | Action::Loading(..)
                | Action::Catalog(_)
                | Action::Tick
                | Action::FeedFetched(_)
                | Action::FetchDone(_)
                | Action::Reloaded(_)
                | Action::FullTextDone(..)
                | Action::QueryDone(..)
                | Action::Answered(..)
                | Action::Unchanged(_)
                | Action::MarksSaved(..)
                | Action::SaveFailed(_)
                | Action::Notice(_)
        )
    }
}
