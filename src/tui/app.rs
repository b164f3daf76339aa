//! The application state (the model), in one struct per area of the screen, and the
//! questions the view and the runner ask of it. It changes only in `update`.

use std::sync::Arc;

use chrono::NaiveDate;
use ratatui::layout::Rect;

use crate::corpus::{Article, Body, Fingerprint, Warning};
use crate::search::catalog::{Catalog, Stage};
use crate::search::query::{Highlighter, Query};
use crate::search::sources::Sources;
use crate::search::timeline::Timeline;
use crate::store::marks::{Change, Mark, Marks};
use crate::tui::input::LineInput;
use crate::tui::keymap::Mode;
use crate::tui::keys::Keys;
use crate::tui::layout::Focus;
use crate::tui::page::Page;
use crate::tui::ui::typeset::{MAX_TEXT_WIDTH, Typesetting};

/// How many related articles the reader lists.
pub(crate) const RELATED: usize = 5;

/// Marking more articles read than this at once asks first.
pub(crate) const CONFIRM_OVER: usize = 50;

/// A question the status bar asks before doing something hard to undo.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Question {
    /// Mark these articles (corpus positions) read?
    MarkRead(Vec<usize>),
}

/// The order of the results.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Sort {
    #[default]
    Newest,
    Oldest,
    /// Best matches of the query's words first; only when it has words.
    Relevance,
}

impl Sort {
    pub fn label(self) -> &'static str {
        match self {
            Sort::Newest => "newest first",
            Sort::Oldest => "oldest first",
            Sort::Relevance => "by relevance",
        }
    }
}

/// A window drawn over the panes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Overlay {
    Help,
    Warnings,
    /// The links of the open article.
    Links,
    /// The feeds and folders the articles come from.
    Sources,
}

/// What the config and the environment decide, set before the reader runs.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Whether to use colours (`--no-color` and `NO_COLOR` turn them off).
    pub colour: bool,
    /// Mouse reporting asked for (the config's `mouse = true`).
    pub mouse: bool,
    /// The widest the reader's text may be, and how it is set (dates, hyphenation).
    pub reading_width: usize,
    pub typesetting: Typesetting,
    /// The keys in effect (the table's, with the config's overrides).
    pub keys: Keys,
    /// Links are copied, not opened: an ssh session without a display, or the config's
    /// `links = "copy"`.
    pub remote: bool,
    /// Links in the list drawn as OSC 8 hyperlinks, for a terminal known to support them.
    pub hyperlinks: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            colour: true,
            mouse: false,
            reading_width: MAX_TEXT_WIDTH,
            typesetting: Typesetting::default(),
            keys: Keys::default(),
            remote: false,
            hyperlinks: false,
        }
    }
}

/// The filter pane: the query being typed, what it found, and in which order.
pub(crate) struct Filter {
    pub(crate) input: LineInput,
    /// Why the text is not a valid query; the results of the last valid one stay.
    pub(crate) error: Option<String>,
    /// The query has words but the index is still being built: it runs once it is.
    pub(crate) waiting: bool,
    /// The last valid query, and its words, to show where they match.
    pub(crate) query: Query,
    pub(crate) highlight: Highlighter,
    /// The order asked for with `S`; relevance applies only to queries with words.
    pub(crate) sort: Sort,
    /// Articles per month (or year) for the timeline under the query.
    pub(crate) timeline: Timeline,
    /// A query typed and run on the query thread, not answered yet: its number and itself.
    /// The results of the last one answered stay until it is.
    pub(crate) pending: Option<(u64, Query)>,
    /// The number of the last query asked for, and of the last one sent to the thread.
    pub(crate) asked: u64,
    pub(crate) sent: u64,
}

/// The list pane.
pub(crate) struct List {
    /// Corpus positions of the articles the filter keeps, in the order shown.
    pub(crate) results: Vec<usize>,
    /// Index into `results` of the selected article.
    pub(crate) selected: usize,
    /// First result shown: kept by `update` so that a click knows which row is which.
    pub(crate) offset: usize,
}

/// The reader pane: the open article, how far down it is read, and the search within it.
#[derive(Default)]
pub(crate) struct Reader {
    /// First line shown.
    pub(crate) scroll: usize,
    /// The body of the selected article, by corpus position, once the runner read it.
    pub(crate) body: Option<(usize, Arc<Body>)>,
    /// The body asked of the runner and not arrived yet, so it is asked once.
    pub(crate) requested: Option<usize>,
    /// The article laid out at the reader's width (derived: see `page.rs`).
    pub(crate) page: Option<Page>,
    /// The search within the article (`/` in the reader), and whether its prompt is open.
    pub(crate) find: LineInput,
    pub(crate) finding: bool,
    /// What the search finds, when its text is a valid query.
    pub(crate) find_highlight: Highlighter,
    /// The match the last `n` or `N` went to (from 0).
    pub(crate) current_match: Option<usize>,
}

/// The window over the panes, if any, and the links it may list.
#[derive(Default)]
pub(crate) struct Overlays {
    pub(crate) shown: Option<Overlay>,
    /// First line shown.
    pub(crate) scroll: usize,
    /// The links of the open article, while they are listed, and the selected one.
    pub(crate) links: Vec<Link>,
    pub(crate) link_selected: usize,
    /// The sources, while they are listed (made when the window opens and whenever what
    /// they count changes), the selected one, and their order.
    pub(crate) sources: Vec<SourceRow>,
    pub(crate) source_selected: usize,
    pub(crate) sources_by_unread: bool,
}

/// A line of the sources window: a feed subscribed to, or a folder given.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct SourceRow {
    /// Made safe to show.
    pub(crate) name: String,
    /// The query term that keeps only its articles (`feed:"Le Monde"`).
    pub(crate) term: String,
    pub(crate) unread: usize,
    pub(crate) total: usize,
    /// A feed's last fetch, as the user reads the time (`14:05`, `3 Dec 14:05`), and whether
    /// it failed; nothing for a folder.
    pub(crate) fetched: Option<String>,
    pub(crate) failing: bool,
    pub(crate) tags: Vec<String>,
}

/// A feed subscribed to, as the sources window lists it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Subscribed {
    /// The name kiosque fetches it by, made safe to show.
    pub name: String,
    /// Its key: what its articles' `feed-key` says.
    pub key: String,
    pub tags: Vec<String>,
    /// When it was last fetched (milliseconds since 1970), and whether that failed.
    pub last_fetch: Option<u64>,
    pub failing: bool,
}

/// A link the links window offers: an address kiosque may open, and what it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Link {
    pub(crate) url: String,
    pub(crate) kind: LinkKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum LinkKind {
    /// The page of the feed item the article was saved from.
    Page,
    /// A link found in the text.
    Text,
    /// A file attached to the item: its type and size, as the feed gave them.
    Enclosure {
        mime: Option<String>,
        length: Option<u64>,
    },
}

/// Which articles are read and starred, and the changes not saved yet.
#[derive(Default)]
pub(crate) struct MarkState {
    pub(crate) known: Marks,
    /// Changes asked to be saved (`Effect::SaveMarks`) and not known saved yet.
    pub(crate) pending: Vec<Change>,
}

/// The status bar's own state: a notice, a question, a load in progress.
#[derive(Default)]
pub(crate) struct Status {
    /// A short message, until the next key.
    pub(crate) notice: Option<String>,
    /// A question waiting for y or n.
    pub(crate) question: Option<Question>,
    /// A load in progress: stage, files done, files in all.
    pub(crate) loading: Option<(Stage, usize, usize)>,
    /// What kiosque itself has to say (its state file…), listed with the files' warnings.
    pub(crate) notes: Vec<Warning>,
}

/// The feeds behind the list: whether there are any, when they were last fetched, a fetch
/// in progress, the feeds that failed, and the reload that brings new articles in.
#[derive(Default)]
pub(crate) struct Feeds {
    /// How many feeds are subscribed: none means nothing to fetch.
    pub(crate) subscribed: usize,
    /// Fetch by itself when the last fetch is older than this many milliseconds.
    pub(crate) every: Option<u64>,
    /// When the last fetch started (milliseconds since 1970), as far as kiosque knows.
    pub(crate) last_fetch: Option<u64>,
    /// A fetch in progress, if any.
    pub(crate) fetching: Option<Fetching>,
    /// The feeds whose last fetch failed, by name: listed with the warnings.
    pub(crate) failing: Vec<Warning>,
    /// A reload of the files is running (`Effect::Reload`), and whether more arrived since
    /// it started, so that another follows it.
    pub(crate) reloading: bool,
    pub(crate) reload_again: bool,
    /// The name of what is read, shown once the files are read again.
    pub(crate) source: Option<String>,
    /// Every feed subscribed to, for the sources window.
    pub(crate) subscriptions: Vec<Subscribed>,
    /// The user asked to read the folders again (`r` without subscriptions): the reload
    /// says what it found.
    pub(crate) rereading: bool,
    /// The articles whose page is being fetched for their full text.
    pub(crate) pages: Vec<std::path::PathBuf>,
}

/// How far a fetch has come.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Fetching {
    pub(crate) done: usize,
    pub(crate) total: usize,
    /// New articles saved so far.
    pub(crate) new: usize,
    /// What is fetched, when it is not every feed: the name of a source.
    pub(crate) only: Option<String>,
}

/// What the reader knows of the feeds when it starts (see [`App::start_with_feeds`]).
#[derive(Clone, Debug, Default)]
pub struct FeedsAtStart {
    pub subscribed: usize,
    /// The `refresh` setting.
    pub every: Option<std::time::Duration>,
    /// The last fetch, from the fetch state (milliseconds since 1970).
    pub last_fetch: Option<u64>,
    /// Feeds whose last fetch failed: name, and why and when.
    pub failing: Vec<Warning>,
    /// The name of what is read, for the status bar once articles arrive (until then it
    /// may say that nothing was fetched yet).
    pub source: String,
    /// Every feed subscribed to.
    pub subscriptions: Vec<Subscribed>,
}

/// The whole state of the reader.
pub struct App {
    /// Shared with the thread that runs the costlier queries while the user types.
    pub(crate) catalog: Arc<Catalog>,
    /// What was opened, for the status bar: "sample" or the paths given.
    pub(crate) source: String,
    pub settings: Settings,
    pub(crate) filter: Filter,
    pub(crate) list: List,
    pub(crate) reader: Reader,
    pub(crate) overlay: Overlays,
    pub(crate) marks: MarkState,
    pub(crate) status: Status,
    pub(crate) feeds: Feeds,
    pub(crate) focus: Focus,
    /// The terminal's size, as the last `Action::Resize` said.
    pub(crate) screen: Rect,
    /// The day relative dates in queries (`7d`, `yesterday`) count back from: the day of the
    /// last action, given to `update` with it.
    pub(crate) today: NaiveDate,
}

impl App {
    pub fn new(catalog: Catalog, source: impl Into<String>) -> Self {
        let results: Vec<usize> = (0..catalog.corpus.articles.len()).collect();
        let timeline = Timeline::new(&catalog.corpus.articles, &results);
        Self {
            catalog: Arc::new(catalog),
            source: source.into(),
            settings: Settings::default(),
            filter: Filter {
                input: LineInput::default(),
                error: None,
                waiting: false,
                query: Query::default(),
                highlight: Highlighter::default(),
                sort: Sort::default(),
                timeline,
                pending: None,
                asked: 0,
                sent: 0,
            },
            list: List {
                results,
                selected: 0,
                offset: 0,
            },
            reader: Reader::default(),
            overlay: Overlays::default(),
            marks: MarkState::default(),
            status: Status::default(),
            feeds: Feeds::default(),
            focus: Focus::List,
            screen: Rect::new(0, 0, 80, 24),
            // Replaced by the day of the first action; no query is parsed before it.
            today: NaiveDate::default(),
        }
    }

    /// An app waiting for a load started elsewhere (see `loading::spawn`): no article yet.
    pub fn loading(source: impl Into<String>) -> Self {
        let mut app = App::new(Catalog::default(), source);
        app.status.loading = Some((Stage::Reading, 0, 0));
        app
    }

    /// An app showing the list the list cache gave, while a check started elsewhere (see
    /// `loading::spawn_checked`) looks at the files.
    pub fn checking(catalog: Catalog, source: impl Into<String>) -> Self {
        let total = catalog.corpus.articles.len();
        let mut app = App::new(catalog, source);
        app.status.loading = Some((Stage::Checking, 0, total));
        app
    }

    /// The order to start in (`S` changes it).
    pub fn sort_by(&mut self, sort: Sort) {
        self.filter.sort = sort;
    }

    /// Adds a note about kiosque itself to the warnings (`w`).
    pub fn note(&mut self, reason: String) {
        let note = Warning {
            path: "kiosque".to_owned(),
            reason,
            skipped: false,
        };
        Arc::make_mut(&mut self.catalog)
            .corpus
            .warnings
            .push(note.clone());
        self.status.notes.push(note);
    }

    /// Says where the articles come from (the paths given, the feeds' tags), for the
    /// list's source column and `tag:`; kept for every catalog the load sends after.
    pub fn set_sources(&mut self, mut sources: Sources) {
        if let Some(note) = sources.note.take() {
            self.note(note);
        }
        Arc::make_mut(&mut self.catalog).set_sources(sources);
    }

    /// The keys that apply now.
    pub fn mode(&self) -> Mode {
        if self.status.question.is_some() {
            return Mode::Confirm;
        }
        match (self.overlay.shown, self.focus) {
            (Some(Overlay::Help), _) => Mode::Help,
            (None, Focus::Reader) if self.reader.finding => Mode::Find,
            (Some(Overlay::Warnings), _) => Mode::Warnings,
            (Some(Overlay::Links), _) => Mode::Links,
            (Some(Overlay::Sources), _) => Mode::Sources,
            (None, Focus::Filter) => Mode::Filter,
            (None, Focus::List) => Mode::List,
            (None, Focus::Reader) => Mode::Reader,
        }
    }

    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    pub fn screen(&self) -> Rect {
        self.screen
    }

    pub fn focus(&self) -> Focus {
        self.focus
    }

    pub fn today(&self) -> NaiveDate {
        self.today
    }

    pub fn marks(&self) -> &Marks {
        &self.marks.known
    }

    /// Starts with the marks the state file holds: what the list shows as read and starred
    /// before any key is pressed.
    pub fn start_with_marks(&mut self, marks: Marks) {
        self.marks.known = marks;
    }

    /// Starts knowing the feeds: how many, how often to fetch them, which ones failed.
    pub fn start_with_feeds(&mut self, feeds: FeedsAtStart) {
        self.feeds.subscribed = feeds.subscribed;
        self.feeds.every = feeds
            .every
            .map(|every| u64::try_from(every.as_millis()).unwrap_or(u64::MAX));
        self.feeds.last_fetch = feeds.last_fetch;
        self.feeds.failing = feeds.failing;
        self.feeds.source = Some(feeds.source);
        self.feeds.subscriptions = feeds.subscriptions;
    }

    /// Every warning, as `w` lists them: the files', kiosque's own notes, failing feeds.
    pub fn warnings(&self) -> impl Iterator<Item = &Warning> {
        self.catalog
            .corpus
            .warnings
            .iter()
            .chain(&self.feeds.failing)
    }

    /// The text of the filter, as typed.
    pub fn filter_text(&self) -> &str {
        self.filter.input.text()
    }

    /// Corpus positions of the articles listed, in the order shown.
    pub fn results(&self) -> &[usize] {
        &self.list.results
    }

    /// Index into `results` of the selected article.
    pub fn selected(&self) -> usize {
        self.list.selected
    }

    /// First line of the article shown in the reader.
    pub fn reader_scroll(&self) -> usize {
        self.reader.scroll
    }

    /// Index into `corpus.articles` of the selected article.
    pub fn selected_index(&self) -> Option<usize> {
        self.list.results.get(self.list.selected).copied()
    }

    pub fn selected_article(&self) -> Option<&Article> {
        self.selected_index()
            .map(|i| &self.catalog.corpus.articles[i])
    }

    /// The order the list is shown in, as the filter pane names it.
    pub(crate) fn sort_shown(&self) -> Sort {
        self.sort_in_effect(&self.filter.query)
    }

    /// The order results of `query` are in: relevance needs words to rank by.
    pub(crate) fn sort_in_effect(&self, query: &Query) -> Sort {
        match self.filter.sort {
            Sort::Relevance if !query.can_rank() || self.filter.waiting => Sort::Newest,
            sort => sort,
        }
    }

    /// What the reader highlights and `n` jumps to: its own search, else the filter's words.
    pub(crate) fn reader_highlight(&self) -> &Highlighter {
        if self.reader.find_highlight.is_empty() {
            &self.filter.highlight
        } else {
            &self.reader.find_highlight
        }
    }

    /// The fingerprints article `i` is known by: from the index, and from its text as the
    /// reader read it, when that changed since.
    pub(crate) fn fingerprints(&self, i: usize) -> Vec<Fingerprint> {
        let mut known = Vec::with_capacity(2);
        for f in self.fingerprints_of(i) {
            if !known.contains(&f) {
                known.push(f);
            }
        }
        known
    }

    /// The same, perhaps twice, without allocating: for questions asked of every article
    /// (the sources window counts the unread ones).
    fn fingerprints_of(&self, i: usize) -> impl Iterator<Item = Fingerprint> + '_ {
        let read_now = self
            .reader
            .body
            .as_ref()
            .filter(|(b, _)| *b == i)
            .and_then(|(_, body)| body.fingerprint);
        self.catalog.corpus.articles[i]
            .fingerprint
            .into_iter()
            .chain(read_now)
    }

    /// True when article `i` carries `mark`.
    pub(crate) fn is(&self, i: usize, mark: Mark) -> bool {
        self.fingerprints_of(i)
            .any(|f| self.marks.known.is(f, mark))
    }

    /// True when the read state of article `i` is known (its text was fingerprinted).
    pub(crate) fn knows(&self, i: usize) -> bool {
        self.fingerprints_of(i).next().is_some()
    }
}
