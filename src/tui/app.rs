//! The application state and `update`, the one place where it changes: every action is
//! carried out here, with no I/O and no terminal, so sequences of keys are plain unit tests.

use std::sync::Arc;

use chrono::NaiveDate;
use ratatui::layout::Rect;

use crate::corpus::{Article, Block, Body, Fingerprint, Warning};
use crate::search::catalog::{Catalog, Stage};
use crate::search::query::{Highlighter, Query};
use crate::search::timeline::Timeline;
use crate::store::marks::{Change, Mark, Marks};
use crate::tui::action::Action;
use crate::tui::input::LineInput;
use crate::tui::keymap::Mode;
use crate::tui::keys::Keys;
use crate::tui::layout::{Focus, areas, inner_height};
use crate::tui::ui::ViewState;
use crate::tui::ui::typeset::Typesetting;

/// How many related articles the reader lists.
pub const RELATED: usize = 5;

/// Marking more articles read than this at once asks first.
pub const CONFIRM_OVER: usize = 50;

/// A question the status bar asks before doing something hard to undo.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Question {
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
pub enum Overlay {
    Help,
    Warnings,
    /// The links of the open article.
    Links,
}

/// Something for the runner to do outside the terminal's screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outgoing {
    /// Open a link in the user's browser.
    Open(String),
    /// Put a link in the clipboard of the user's terminal.
    Copy(String),
}

pub struct App {
    pub catalog: Catalog,
    /// What was opened, for the status bar: "sample" or the paths given.
    pub source: String,
    pub filter: LineInput,
    /// Why the filter text is not a valid query; the results of the last valid one stay.
    pub filter_error: Option<String>,
    /// The filter has words but the index is still being built: it runs once it is.
    pub filter_waiting: bool,
    /// A load in progress: stage, files done, files in all.
    pub loading: Option<(Stage, usize, usize)>,
    /// The day relative dates in queries (`7d`, `yesterday`) count back from.
    pub today: NaiveDate,
    /// Whether to use colours (`--no-color` and `NO_COLOR` turn them off).
    pub colour: bool,
    /// Articles per month (or year) for the filter pane's timeline.
    pub timeline: Timeline,
    /// Mouse reporting asked for (the config's `mouse = true`).
    pub mouse: bool,
    /// The widest the reader's text may be, and how it is set (dates, hyphenation).
    pub reading_width: usize,
    pub typesetting: Typesetting,
    /// The keys in effect (the table's, with the config's overrides).
    pub keys: Keys,
    /// The order asked for with `S`; relevance applies only to queries with words.
    pub sort: Sort,
    /// The words of the current query, to show where they match.
    pub highlight: Highlighter,
    /// The search within the open article (`/` in the reader), and whether its prompt is open.
    pub find: LineInput,
    pub finding: bool,
    /// What the reader's search finds, when its text is a valid query.
    pub find_highlight: Highlighter,
    /// The match of the reader the last jump went to (from 0).
    pub reader_match: Option<usize>,
    /// Matches to move by (`n` +1, `N` -1) before the next frame. The view carries the jump
    /// out: it knows on which line each match falls.
    pub jump: isize,
    /// Which articles are read and starred.
    pub marks: Marks,
    /// Changes to the marks not saved yet: the runner saves them after each action.
    pub pending: Vec<Change>,
    /// A question waiting for y or n.
    pub question: Option<Question>,
    /// The links of the open article, while they are listed, and the selected one.
    pub links: Vec<String>,
    pub link_selected: usize,
    /// Links are copied, not opened: an ssh session without a display, or the config's
    /// `links = "copy"`.
    pub remote: bool,
    /// Links in the list drawn as OSC 8 hyperlinks, for a terminal known to support them.
    pub hyperlinks: bool,
    /// What the runner is asked to do next.
    pub outgoing: Option<Outgoing>,
    /// A short message for the status bar, until the next key.
    pub notice: Option<String>,
    /// What kiosque itself has to say (its state file…), listed with the files' warnings.
    pub notes: Vec<Warning>,
    /// The last valid query.
    pub query: Query,
    /// Indices into `corpus.articles` of the articles the filter keeps, newest first.
    pub results: Vec<usize>,
    /// Index into `results` of the selected article.
    pub selected: usize,
    pub focus: Focus,
    pub overlay: Option<Overlay>,
    /// First line shown in an overlay; the view keeps it within the content.
    pub overlay_scroll: usize,
    /// First line of the article shown in the reader; the view keeps it within the article.
    pub reader_scroll: usize,
    /// The body of the article in the reader, by corpus position, once the runner read it.
    pub body: Option<(usize, Arc<Body>)>,
    pub screen: Rect,
    pub running: bool,
    /// Ctrl-Z was pressed: the runner gives the terminal back and stops the process.
    pub suspend_requested: bool,
    /// State that only the view reads and writes (list offset, wrapped text).
    pub ui: ViewState,
}

impl App {
    pub fn new(catalog: Catalog, source: impl Into<String>) -> Self {
        let results: Vec<usize> = (0..catalog.corpus.articles.len()).collect();
        let timeline = Timeline::new(&catalog.corpus.articles, &results);
        Self {
            catalog,
            source: source.into(),
            filter: LineInput::default(),
            filter_error: None,
            filter_waiting: false,
            loading: None,
            today: chrono::Local::now().date_naive(),
            colour: true,
            keys: Keys::default(),
            reading_width: crate::tui::ui::typeset::MAX_TEXT_WIDTH,
            mouse: false,
            typesetting: Typesetting::default(),
            timeline,
            sort: Sort::default(),
            highlight: Highlighter::default(),
            find: LineInput::default(),
            finding: false,
            find_highlight: Highlighter::default(),
            reader_match: None,
            jump: 0,
            marks: Marks::default(),
            pending: Vec::new(),
            question: None,
            notice: None,
            notes: Vec::new(),
            links: Vec::new(),
            link_selected: 0,
            remote: false,
            hyperlinks: false,
            outgoing: None,
            query: Query::default(),
            results,
            selected: 0,
            focus: Focus::List,
            overlay: None,
            overlay_scroll: 0,
            reader_scroll: 0,
            body: None,
            screen: Rect::new(0, 0, 80, 24),
            running: true,
            suspend_requested: false,
            ui: ViewState::default(),
        }
    }

    /// An app waiting for a load started elsewhere (see `load::spawn`): no article yet.
    pub fn loading(source: impl Into<String>) -> Self {
        let mut app = App::new(Catalog::default(), source);
        app.loading = Some((Stage::Reading, 0, 0));
        app
    }

    /// The keys that apply now.
    pub fn mode(&self) -> Mode {
        if self.question.is_some() {
            return Mode::Confirm;
        }
        match (self.overlay, self.focus) {
            (Some(Overlay::Help), _) => Mode::Help,
            (None, Focus::Reader) if self.finding => Mode::Find,
            (Some(Overlay::Warnings), _) => Mode::Warnings,
            (Some(Overlay::Links), _) => Mode::Links,
            (None, Focus::Filter) => Mode::Filter,
            (None, Focus::List) => Mode::List,
            (None, Focus::Reader) => Mode::Reader,
        }
    }

    /// Index into `corpus.articles` of the selected article.
    pub fn selected_index(&self) -> Option<usize> {
        self.results.get(self.selected).copied()
    }

    pub fn selected_article(&self) -> Option<&Article> {
        self.selected_index()
            .map(|i| &self.catalog.corpus.articles[i])
    }

    /// The article whose body the reader is about to show and does not have yet.
    pub fn wanted_body(&self) -> Option<usize> {
        let reader_shown = !areas(self.screen, self.focus).reader.is_empty();
        let wanted = self.selected_index().filter(|_| reader_shown)?;
        match &self.body {
            Some((i, _)) if *i == wanted => None,
            _ => Some(wanted),
        }
    }

    fn select(&mut self, position: usize) {
        let position = position.min(self.results.len().saturating_sub(1));
        if position != self.selected {
            self.selected = position;
            self.reader_scroll = 0;
            self.reader_match = None;
        }
    }

    fn move_selection(&mut self, delta: isize) {
        self.select(self.selected.saturating_add_signed(delta));
    }

    fn list_page(&self) -> usize {
        inner_height(areas(self.screen, self.focus).list).max(1)
    }

    fn reader_page(&self) -> usize {
        inner_height(areas(self.screen, Focus::Reader).reader).max(1)
    }

    fn overlay_page(&self) -> usize {
        usize::from(self.screen.height.saturating_sub(4)).max(1)
    }

    /// Runs the filter text as a query; on error the last valid results stay.
    fn apply_filter(&mut self) {
        let query = match Query::parse(self.filter.text(), self.today) {
            Ok(query) => query,
            Err(err) => {
                self.filter_error = Some(err.to_string());
                return;
            }
        };
        self.filter_error = None;
        // Words and read state need the index; until it is built, the dates apply alone.
        self.filter_waiting = query.has_words() && !self.catalog.is_indexed();
        let mut results = if self.filter_waiting {
            query.dates_only().filter(&self.catalog, &self.marks)
        } else {
            query.filter(&self.catalog, &self.marks)
        };
        match self.sort_in_effect(&query) {
            Sort::Newest => {}
            Sort::Oldest => {
                // Oldest dated first; undated articles stay at the end.
                let dated =
                    results.partition_point(|&i| self.catalog.corpus.articles[i].date.is_some());
                results[..dated].reverse();
            }
            Sort::Relevance => query.rank(&self.catalog, &mut results),
        }
        self.highlight = query.highlighter();
        self.query = query;
        self.timeline
            .count_results(&self.catalog.corpus.articles, &results);
        self.show(results);
    }

    /// The order the results are in: relevance needs words to rank by.
    fn sort_in_effect(&self, query: &Query) -> Sort {
        match self.sort {
            Sort::Relevance if !query.can_rank() || self.filter_waiting => Sort::Newest,
            sort => sort,
        }
    }

    /// The order the list is shown in, as the filter pane names it.
    pub fn sort_shown(&self) -> Sort {
        self.sort_in_effect(&self.query)
    }

    /// Shows `results`, keeping the selected article selected when it is still there.
    fn show(&mut self, results: Vec<usize>) {
        let kept = self.selected_index();
        self.results = results;
        let position = kept
            .and_then(|k| self.results.iter().position(|&i| i == k))
            .unwrap_or(0);
        if kept != self.results.get(position).copied() {
            self.reader_scroll = 0;
            self.reader_match = None;
        }
        self.selected = position;
    }

    fn scroll(&mut self, delta: isize) {
        if self.overlay.is_some() {
            self.overlay_scroll = self.overlay_scroll.saturating_add_signed(delta);
        } else {
            self.reader_scroll = self.reader_scroll.saturating_add_signed(delta);
        }
    }

    /// Moves in whatever the current mode scrolls: the list selection, or text.
    fn step(&mut self, delta: isize, page: bool) {
        let mode = self.mode();
        if mode == Mode::Links {
            let last = self.links.len().saturating_sub(1);
            self.link_selected = self.link_selected.saturating_add_signed(delta).min(last);
            return;
        }
        let size = match mode {
            Mode::List => self.list_page(),
            Mode::Reader => self.reader_page(),
            _ => self.overlay_page(),
        };
        let delta = if page { delta * size as isize } else { delta };
        match mode {
            Mode::List => self.move_selection(delta),
            Mode::Filter => {}
            _ => self.scroll(delta),
        }
    }

    /// Edits the line being typed: the reader's search when its prompt is open, else the
    /// filter.
    fn edit(&mut self, edit: impl FnOnce(&mut LineInput)) {
        if self.mode() == Mode::Find {
            let before = self.find.text().to_owned();
            edit(&mut self.find);
            if self.find.text() != before {
                self.apply_find();
            }
        } else {
            self.edit_filter(edit);
        }
    }

    fn edit_filter(&mut self, edit: impl FnOnce(&mut LineInput)) {
        let before = self.filter.text().to_owned();
        edit(&mut self.filter);
        if self.filter.text() != before {
            self.apply_filter();
        }
    }

    /// The reader's search: the same language as the filter; dates mean nothing in one
    /// article, words do. A text that does not parse keeps the last valid search.
    fn apply_find(&mut self) {
        if let Ok(query) = Query::parse(self.find.text(), self.today) {
            self.find_highlight = query.highlighter();
            self.reader_match = None;
        }
    }

    /// Adds a note about kiosque itself to the warnings (`w`).
    pub fn note(&mut self, reason: String) {
        let note = Warning {
            path: "kiosque".to_owned(),
            reason,
            skipped: false,
        };
        self.catalog.corpus.warnings.push(note.clone());
        self.notes.push(note);
    }

    /// The fingerprints article `i` is known by: from the index, and from its text as the
    /// reader read it, when that changed since.
    fn fingerprints(&self, i: usize) -> Vec<Fingerprint> {
        let mut known: Vec<Fingerprint> = self.catalog.corpus.articles[i]
            .fingerprint
            .into_iter()
            .collect();
        if let Some((b, body)) = &self.body {
            if *b == i {
                known.extend(body.fingerprint.filter(|f| !known.contains(f)));
            }
        }
        known
    }

    /// True when article `i` carries `mark`.
    pub fn is(&self, i: usize, mark: Mark) -> bool {
        self.fingerprints(i).iter().any(|&f| self.marks.is(f, mark))
    }

    /// True when the read state of article `i` is known (its text was fingerprinted).
    pub fn knows(&self, i: usize) -> bool {
        !self.fingerprints(i).is_empty()
    }

    fn set_mark(&mut self, i: usize, mark: Mark, on: bool) {
        for f in self.fingerprints(i) {
            if self.marks.is(f, mark) != on {
                let change = self.marks.set(f, mark, on);
                self.pending.push(change);
            }
        }
    }

    /// Opening an article in the reader marks it read, once its text is known.
    fn read_what_is_open(&mut self) {
        if self.focus == Focus::Reader {
            if let Some(i) = self.selected_index() {
                self.set_mark(i, Mark::Read, true);
            }
        }
    }

    fn toggle_mark(&mut self, mark: Mark) {
        let Some(i) = self.selected_index() else {
            return;
        };
        if !self.knows(i) {
            self.notice = Some("still indexing: marks work once it is done".to_owned());
            return;
        }
        let on = !self.is(i, mark);
        self.set_mark(i, mark, on);
    }

    fn mark_read(&mut self, articles: &[usize]) {
        for &i in articles {
            self.set_mark(i, Mark::Read, true);
        }
        self.notice = Some(match articles.len() {
            1 => "1 article marked read".to_owned(),
            n => format!("{n} articles marked read"),
        });
    }

    /// What the reader highlights and `n` jumps to: its own search, else the filter's words.
    pub fn reader_highlight(&self) -> &Highlighter {
        if self.find_highlight.is_empty() {
            &self.highlight
        } else {
            &self.find_highlight
        }
    }
}

/// Carries out one action.
pub fn update(app: &mut App, action: Action) {
    if !action.is_news() {
        app.notice = None;
    }
    match action {
        Action::Up => app.step(-1, false),
        Action::Down => app.step(1, false),
        Action::PageUp => app.step(-1, true),
        Action::PageDown => app.step(1, true),
        Action::Top => match app.mode() {
            Mode::List => app.select(0),
            _ => app.scroll(isize::MIN),
        },
        Action::Bottom => match app.mode() {
            Mode::List => app.select(usize::MAX),
            _ => app.scroll(isize::MAX),
        },
        Action::Open => {
            if app.selected_index().is_some() {
                app.focus = Focus::Reader;
                app.read_what_is_open();
            }
        }
        Action::Back => {
            if app.question.take().is_some() || app.overlay.take().is_some() {
                return;
            }
            if app.mode() == Mode::Find {
                // Like less: leaving the prompt forgets the search.
                app.finding = false;
                app.find.clear();
                app.apply_find();
            } else {
                app.focus = Focus::List;
            }
        }
        Action::FocusNext => {
            app.focus = match app.focus {
                Focus::Filter => Focus::List,
                Focus::List if app.selected_index().is_some() => Focus::Reader,
                Focus::List | Focus::Reader => Focus::Filter,
            }
        }
        Action::FocusPrev => {
            app.focus = match app.focus {
                Focus::Filter if app.selected_index().is_some() => Focus::Reader,
                Focus::Filter | Focus::Reader => Focus::List,
                Focus::List => Focus::Filter,
            }
        }
        Action::FocusFilter => {
            app.focus = Focus::Filter;
            app.filter.end();
        }
        Action::Submit if app.mode() == Mode::Find => {
            app.finding = false;
            app.reader_match = None;
            app.jump = 1;
        }
        Action::Submit => app.focus = Focus::List,
        Action::Insert(c) => app.edit(|f| f.insert(c)),
        Action::Backspace => app.edit(LineInput::backspace),
        Action::Delete => app.edit(LineInput::delete),
        Action::DeleteWord => app.edit(LineInput::delete_word),
        Action::ClearFilter => app.edit(LineInput::clear),
        Action::CursorLeft => app.edit(LineInput::left),
        Action::CursorRight => app.edit(LineInput::right),
        Action::CursorHome => app.edit(LineInput::home),
        Action::CursorEnd => app.edit(LineInput::end),
        Action::FindInArticle => {
            app.finding = true;
            app.find.clear();
            app.apply_find();
        }
        Action::NextMatch => app.jump += 1,
        Action::PrevMatch => app.jump -= 1,
        Action::ToggleHelp => toggle(app, Overlay::Help),
        Action::ToggleWarnings => toggle(app, Overlay::Warnings),
        Action::Resize(width, height) => app.screen = Rect::new(0, 0, width, height),
        Action::OpenRelated(n) => {
            let Some(open) = app.selected_index() else {
                return;
            };
            let Some(&(target, _)) = app.catalog.related.related(open, RELATED).get(n) else {
                return;
            };
            if !app.results.contains(&target) {
                // Filtered out: show everything again rather than refuse.
                app.edit_filter(LineInput::clear);
            }
            if let Some(position) = app.results.iter().position(|&i| i == target) {
                app.selected = position;
                app.reader_scroll = 0;
                app.focus = Focus::Reader;
                app.read_what_is_open();
            }
        }
        Action::MoveRange(shift, widen) => {
            let Some(rest) = Query::without_dates(app.filter.text(), app.today) else {
                app.notice = Some("the filter has an error: fix it first".to_owned());
                return;
            };
            let Some(range) = app.timeline.moved(app.query.range(), shift, widen) else {
                app.notice = Some("no dated article to move along".to_owned());
                return;
            };
            let text = if rest.is_empty() {
                range
            } else {
                format!("{rest} {range}")
            };
            app.edit_filter(|f| f.set(&text));
        }
        Action::Wheel(x, y, lines) => {
            if app.overlay.is_some() {
                app.overlay_scroll = app.overlay_scroll.saturating_add_signed(lines);
                return;
            }
            let areas = areas(app.screen, app.focus);
            let at = ratatui::layout::Position::new(x, y);
            if areas.list.contains(at) {
                app.move_selection(lines.signum());
            } else if areas.reader.contains(at) {
                app.reader_scroll = app.reader_scroll.saturating_add_signed(lines);
            }
        }
        Action::Click(x, y) => {
            if app.overlay.is_some() || app.question.is_some() {
                return;
            }
            let areas = areas(app.screen, app.focus);
            let at = ratatui::layout::Position::new(x, y);
            if areas.filter.contains(at) {
                app.focus = Focus::Filter;
            } else if areas.reader.contains(at) {
                app.focus = Focus::Reader;
                app.read_what_is_open();
            } else if areas.list.contains(at) {
                app.focus = Focus::List;
                // Inside the border: the row under the pointer, from the first one shown.
                let row = usize::from(y.saturating_sub(areas.list.y + 1));
                if y > areas.list.y && row < inner_height(areas.list) {
                    let position = app.ui.list_offset + row;
                    if position < app.results.len() {
                        app.select(position);
                    }
                }
            }
        }
        Action::CycleSort => {
            app.sort = match app.sort {
                Sort::Newest => Sort::Oldest,
                Sort::Oldest if app.query.can_rank() => Sort::Relevance,
                Sort::Oldest | Sort::Relevance => Sort::Newest,
            };
            app.apply_filter();
        }
        Action::Suspend => app.suspend_requested = true,
        Action::BodyLoaded(index, body) => {
            app.body = Some((index, body));
            app.read_what_is_open();
        }
        Action::Loading(stage, done, total) => app.loading = Some((stage, done, total)),
        Action::Catalog(corpus) => {
            // The same files in the same order as any corpus shown before it: the list
            // from a load that has now indexed its words. Positions stay valid.
            app.catalog = Arc::unwrap_or_clone(corpus.0);
            app.catalog
                .corpus
                .warnings
                .extend(app.notes.iter().cloned());
            app.timeline = Timeline::new(&app.catalog.corpus.articles, &[]);
            app.loading = if app.catalog.is_indexed() {
                None
            } else {
                Some((Stage::Indexing, 0, app.catalog.corpus.articles.len()))
            };
            app.body = None;
            app.results = (0..app.catalog.corpus.articles.len()).collect();
            app.apply_filter();
        }
        Action::ToggleRead => app.toggle_mark(Mark::Read),
        Action::ToggleStar => app.toggle_mark(Mark::Starred),
        Action::MarkAllRead => {
            let unread: Vec<usize> = app
                .results
                .iter()
                .copied()
                .filter(|&i| app.knows(i) && !app.is(i, Mark::Read))
                .collect();
            if unread.is_empty() {
                app.notice = Some("nothing unread here".to_owned());
            } else if unread.len() > CONFIRM_OVER {
                app.question = Some(Question::MarkRead(unread));
            } else {
                app.mark_read(&unread);
            }
        }
        Action::Confirm => match app.question.take() {
            Some(Question::MarkRead(articles)) => app.mark_read(&articles),
            None => {}
        },
        Action::MarksSaved(marks) => {
            app.marks = Arc::unwrap_or_clone(marks.0);
            app.pending.clear();
        }
        Action::ShowLinks => {
            let body = app
                .body
                .as_ref()
                .filter(|(i, _)| Some(*i) == app.selected_index());
            let Some((_, body)) = body else {
                return;
            };
            app.links = crate::text::links::find(body.blocks.iter().map(Block::text));
            app.link_selected = 0;
            if app.links.is_empty() {
                app.notice = Some("no link in this article".to_owned());
            } else {
                app.overlay = Some(Overlay::Links);
            }
        }
        Action::OpenLink => {
            let Some(url) = app.links.get(app.link_selected).cloned() else {
                return;
            };
            // No browser can show it from here: the link goes to the user's clipboard.
            let (notice, outgoing) = if app.remote {
                (
                    "no browser from here: link sent to your terminal's clipboard".to_owned(),
                    Outgoing::Copy(url),
                )
            } else {
                (format!("opening {url}"), Outgoing::Open(url))
            };
            app.notice = Some(notice);
            app.outgoing = Some(outgoing);
            app.overlay = None;
        }
        Action::CopyLink => {
            if let Some(url) = app.links.get(app.link_selected).cloned() {
                app.notice = Some("link sent to your terminal's clipboard".to_owned());
                app.outgoing = Some(Outgoing::Copy(url));
                app.overlay = None;
            }
        }
        Action::Notice(text) => app.notice = Some(text),
        Action::SaveFailed(why) => {
            app.notice = Some(format!("read state not saved: {why}"));
        }
        Action::Quit => app.running = false,
    }
}

/// Reads the body the reader is about to show, if it does not have it: the one piece of
/// I/O between `update` and `view`, done by the runner (and by tests that draw).
pub fn fetch_body(app: &mut App) {
    if let Some(index) = app.wanted_body() {
        let body = Arc::new(crate::store::read::body(
            &app.catalog.corpus.articles[index],
        ));
        update(app, Action::BodyLoaded(index, body));
    }
}

fn toggle(app: &mut App, overlay: Overlay) {
    app.overlay = if app.overlay == Some(overlay) {
        None
    } else {
        Some(overlay)
    };
    app.overlay_scroll = 0;
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn app() -> App {
        let texts = [
            "date 2026-03-06 La sécurité avant tout.",
            "date 2026-03-03 Le cœur du sujet.",
            "date 2025-01-21 Sécurité et liberté.",
            "date 2023-05 Un mois de mai.",
            "Sans date.",
        ];
        let corpus = Catalog::from_memory(
            texts
                .iter()
                .enumerate()
                .map(|(i, t)| (PathBuf::from(format!("{i}.txt")), t.as_bytes())),
        );
        App::new(corpus, "test")
    }

    fn run(app: &mut App, actions: &[Action]) {
        for a in actions {
            update(app, a.clone());
        }
    }

    fn typed(app: &mut App, text: &str) {
        for c in text.chars() {
            update(app, Action::Insert(c));
        }
    }

    fn titles(app: &App) -> Vec<&str> {
        app.results
            .iter()
            .map(|&i| app.catalog.corpus.articles[i].title.as_str())
            .collect()
    }

    #[test]
    fn moving_stays_within_the_list() {
        let mut app = app();
        run(&mut app, &[Action::Up, Action::Down, Action::Down]);
        assert_eq!(app.selected, 2);
        run(&mut app, &[Action::Bottom]);
        assert_eq!(app.selected, 4);
        run(&mut app, &[Action::Down, Action::PageDown]);
        assert_eq!(app.selected, 4);
        run(&mut app, &[Action::PageUp]);
        assert_eq!(app.selected, 0);
    }

    #[test]
    fn filtering_live_keeps_the_selected_article_when_it_still_matches() {
        let mut app = app();
        run(&mut app, &[Action::Down, Action::Down, Action::FocusFilter]);
        assert_eq!(app.mode(), Mode::Filter);
        typed(&mut app, "secu");
        assert_eq!(
            titles(&app),
            ["La sécurité avant tout.", "Sécurité et liberté."]
        );
        assert_eq!(
            app.selected_article().unwrap().title,
            "Sécurité et liberté."
        );
        typed(&mut app, "x");
        assert!(app.results.is_empty());
        assert_eq!(app.selected_article().map(|a| a.title.as_str()), None);
        update(&mut app, Action::Backspace);
        assert_eq!(app.results.len(), 2);
        assert_eq!(app.selected, 0);
    }

    #[test]
    fn words_wait_for_the_index_but_dates_apply_at_once() {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in [
            ("a.txt", "date 2026-03-06 La sécurité avant tout."),
            ("b.txt", "date 2026-03-03 Le cœur du sujet."),
            ("c.txt", "date 2025-01-21 Sécurité et liberté."),
        ] {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        let (files, warnings) = crate::store::walk::find(&[dir.path().to_path_buf()]);
        let options = crate::store::load::LoadOptions::default();
        let (listed, _) = crate::store::load::load(&files, warnings, &options, &|_, _| {});
        let listed = Catalog::listed(listed);
        let mut app = App::loading("test");
        let shared = |c: Catalog| Action::Catalog(crate::tui::action::Shared(Arc::new(c)));
        update(&mut app, shared(listed.clone()));
        assert_eq!(app.loading.map(|l| l.0), Some(Stage::Indexing));
        update(&mut app, Action::FocusFilter);
        typed(&mut app, "securite 2026");
        assert!(app.filter_waiting);
        assert_eq!(
            titles(&app),
            ["La sécurité avant tout.", "Le cœur du sujet."]
        );
        update(
            &mut app,
            shared(crate::search::catalog::index(listed, &|_, _, _| {})),
        );
        assert!(!app.filter_waiting);
        assert_eq!(app.loading, None);
        assert_eq!(titles(&app), ["La sécurité avant tout."]);
    }

    #[test]
    fn an_invalid_query_keeps_the_last_valid_results() {
        let mut app = app();
        update(&mut app, Action::FocusFilter);
        typed(&mut app, "2026");
        assert_eq!(app.results.len(), 2);
        typed(&mut app, "-1");
        assert_eq!(app.results.len(), 2);
        assert!(
            app.filter_error
                .as_deref()
                .unwrap()
                .contains("unfinished date")
        );
        typed(&mut app, "3");
        assert_eq!(
            app.filter_error.as_deref(),
            Some("there is no month 13 in “2026-13”")
        );
        run(
            &mut app,
            &[
                Action::Backspace,
                Action::Backspace,
                Action::Insert('0'),
                Action::Insert('3'),
            ],
        );
        assert_eq!(app.filter_error, None);
        assert_eq!(
            titles(&app),
            ["La sécurité avant tout.", "Le cœur du sujet."]
        );
    }

    #[test]
    fn escape_leaves_the_filter_and_keeps_it() {
        let mut app = app();
        update(&mut app, Action::FocusFilter);
        typed(&mut app, "coeur");
        update(&mut app, Action::Back);
        assert_eq!(app.focus, Focus::List);
        assert_eq!(app.filter.text(), "coeur");
        assert_eq!(titles(&app), ["Le cœur du sujet."]);
        update(&mut app, Action::ClearFilter);
        assert_eq!(app.results.len(), 5);
        assert_eq!(app.selected_article().unwrap().title, "Le cœur du sujet.");
    }

    #[test]
    fn open_read_scroll_and_go_back() {
        let mut app = app();
        run(&mut app, &[Action::Down, Action::Open]);
        assert_eq!(app.mode(), Mode::Reader);
        run(&mut app, &[Action::Down, Action::Down, Action::PageDown]);
        assert_eq!(app.reader_scroll, 2 + 21);
        run(&mut app, &[Action::Top]);
        assert_eq!(app.reader_scroll, 0);
        run(&mut app, &[Action::Back]);
        assert_eq!(app.mode(), Mode::List);
        assert_eq!(app.selected, 1);
    }

    #[test]
    fn selecting_another_article_starts_it_at_the_top() {
        let mut app = app();
        run(
            &mut app,
            &[Action::Open, Action::Down, Action::Back, Action::Down],
        );
        assert_eq!(app.reader_scroll, 0);
    }

    #[test]
    fn tab_cycles_through_the_panes() {
        let mut app = app();
        run(&mut app, &[Action::FocusNext]);
        assert_eq!(app.focus, Focus::Reader);
        run(&mut app, &[Action::FocusNext]);
        assert_eq!(app.focus, Focus::Filter);
        run(&mut app, &[Action::FocusNext]);
        assert_eq!(app.focus, Focus::List);
        run(&mut app, &[Action::FocusPrev]);
        assert_eq!(app.focus, Focus::Filter);
    }

    #[test]
    fn with_no_result_there_is_nothing_to_open() {
        let mut app = app();
        update(&mut app, Action::FocusFilter);
        typed(&mut app, "introuvable");
        run(&mut app, &[Action::Submit, Action::Open, Action::FocusNext]);
        assert_eq!(app.focus, Focus::Filter);
    }

    #[test]
    fn overlays_take_the_keys_and_close() {
        let mut app = app();
        update(&mut app, Action::ToggleHelp);
        assert_eq!(app.mode(), Mode::Help);
        run(&mut app, &[Action::Down, Action::Down]);
        assert_eq!((app.overlay_scroll, app.selected), (2, 0));
        update(&mut app, Action::Back);
        assert_eq!(app.mode(), Mode::List);
        run(&mut app, &[Action::ToggleWarnings, Action::ToggleWarnings]);
        assert_eq!(app.overlay, None);
    }

    #[test]
    fn quit() {
        let mut app = app();
        update(&mut app, Action::Quit);
        assert!(!app.running);
    }

    #[test]
    fn s_cycles_the_order_and_relevance_needs_words() {
        let mut app = app();
        run(&mut app, &[Action::CycleSort]);
        assert_eq!(app.sort_shown(), Sort::Oldest);
        assert_eq!(
            titles(&app),
            [
                "Un mois de mai.",
                "Sécurité et liberté.",
                "Le cœur du sujet.",
                "La sécurité avant tout.",
                "Sans date."
            ]
        );
        // No words to rank by: back to newest first.
        run(&mut app, &[Action::CycleSort]);
        assert_eq!(app.sort_shown(), Sort::Newest);
        run(&mut app, &[Action::FocusFilter]);
        typed(&mut app, "securite");
        run(
            &mut app,
            &[Action::Submit, Action::CycleSort, Action::CycleSort],
        );
        assert_eq!(app.sort_shown(), Sort::Relevance);
        assert_eq!(app.results.len(), 2);
        // Clearing the words keeps the choice, shown as newest first until words return.
        run(&mut app, &[Action::ClearFilter]);
        assert_eq!(app.sort, Sort::Relevance);
        assert_eq!(app.sort_shown(), Sort::Newest);
        assert_eq!(app.results, [0, 1, 2, 3, 4]);
    }

    #[test]
    fn relative_dates_count_from_the_injected_day() {
        let mut app = app();
        app.today = NaiveDate::from_ymd_opt(2026, 3, 8).unwrap();
        run(&mut app, &[Action::FocusFilter]);
        typed(&mut app, "7d");
        assert_eq!(
            titles(&app),
            ["La sécurité avant tout.", "Le cœur du sujet."]
        );
        app.today = NaiveDate::from_ymd_opt(2026, 3, 5).unwrap();
        run(&mut app, &[Action::Backspace]);
        typed(&mut app, "d");
        assert_eq!(titles(&app), ["Le cœur du sujet."]);
    }

    #[test]
    fn the_reader_search_is_its_own() {
        let mut app = app();
        run(&mut app, &[Action::Open, Action::FindInArticle]);
        assert_eq!(app.mode(), Mode::Find);
        typed(&mut app, "sujet");
        assert!(!app.reader_highlight().is_empty());
        assert_eq!(app.filter.text(), "");
        run(&mut app, &[Action::Submit]);
        assert_eq!(app.mode(), Mode::Reader);
        assert_eq!(app.jump, 1);
        // Escape while typing forgets the search.
        run(&mut app, &[Action::FindInArticle]);
        typed(&mut app, "x");
        run(&mut app, &[Action::Back]);
        assert_eq!(app.mode(), Mode::Reader);
        assert!(app.reader_highlight().is_empty());
    }

    fn bold_dots(app: &App) -> Vec<bool> {
        app.results
            .iter()
            .map(|&i| !app.is(i, Mark::Read))
            .collect()
    }

    #[test]
    fn opening_marks_read_and_m_toggles() {
        let mut app = app();
        assert_eq!(bold_dots(&app), [true; 5]);
        // The list alone marks nothing; opening does, once the body is read.
        run(&mut app, &[Action::Down, Action::Open]);
        fetch_body(&mut app);
        assert_eq!(bold_dots(&app), [true, false, true, true, true]);
        assert_eq!(app.pending.len(), 1);
        run(&mut app, &[Action::ToggleRead]);
        assert_eq!(bold_dots(&app), [true; 5]);
        run(&mut app, &[Action::ToggleStar]);
        assert!(app.is(1, Mark::Starred));
        run(&mut app, &[Action::ToggleStar]);
        assert!(!app.is(1, Mark::Starred));
        assert_eq!(app.pending.len(), 4);
        // Saved: the store's merged marks replace the app's, and nothing is pending.
        let saved = app.marks.clone();
        run(
            &mut app,
            &[Action::MarksSaved(crate::tui::action::Shared(Arc::new(
                saved,
            )))],
        );
        assert!(app.pending.is_empty());
    }

    #[test]
    fn shift_m_marks_the_results_read() {
        let mut app = app();
        run(&mut app, &[Action::FocusFilter]);
        typed(&mut app, "securite");
        run(&mut app, &[Action::Submit, Action::MarkAllRead]);
        assert_eq!(app.notice.as_deref(), Some("2 articles marked read"));
        run(&mut app, &[Action::ClearFilter]);
        assert_eq!(bold_dots(&app), [false, true, false, true, true]);
        run(&mut app, &[Action::MarkAllRead]);
        assert_eq!(bold_dots(&app), [false; 5]);
        run(&mut app, &[Action::MarkAllRead]);
        assert_eq!(app.notice.as_deref(), Some("nothing unread here"));
    }

    #[test]
    fn marking_many_asks_first() {
        let texts: Vec<String> = (0..CONFIRM_OVER + 1)
            .map(|i| format!("Article numéro {i}."))
            .collect();
        let corpus = Catalog::from_memory(
            texts
                .iter()
                .enumerate()
                .map(|(i, t)| (PathBuf::from(format!("{i:03}.txt")), t.as_bytes())),
        );
        let mut app = App::new(corpus, "test");
        run(&mut app, &[Action::MarkAllRead]);
        assert_eq!(app.mode(), Mode::Confirm);
        assert!(app.pending.is_empty());
        // No: nothing happens.
        run(&mut app, &[Action::Back]);
        assert_eq!(app.mode(), Mode::List);
        assert!(app.pending.is_empty());
        run(&mut app, &[Action::MarkAllRead, Action::Confirm]);
        assert_eq!(app.pending.len(), CONFIRM_OVER + 1);
        assert!(bold_dots(&app).iter().all(|unread| !unread));
    }

    #[test]
    fn the_timeline_keys_rewrite_only_the_dates_of_the_query() {
        let mut app = app();
        run(&mut app, &[Action::FocusFilter]);
        typed(&mut app, "securite 2025..");
        // The range is written in months; its open end stays open.
        run(&mut app, &[Action::MoveRange(0, 0)]);
        assert_eq!(app.filter.text(), "securite 2025-01..");
        run(&mut app, &[Action::MoveRange(1, 0)]);
        assert_eq!(app.filter.text(), "securite 2025-02..");
        run(&mut app, &[Action::ClearFilter, Action::MoveRange(-1, 0)]);
        assert_eq!(app.filter.text(), "2026-02");
        run(&mut app, &[Action::MoveRange(0, -2)]);
        assert_eq!(app.filter.text(), "2025-12..2026-02");
        assert_eq!(titles(&app), Vec::<&str>::new());
        run(&mut app, &[Action::MoveRange(0, 1)]);
        assert_eq!(
            titles(&app),
            ["La sécurité avant tout.", "Le cœur du sujet."]
        );
        // A query with an error is left for the user to fix.
        run(&mut app, &[Action::ClearFilter]);
        typed(&mut app, "\"abc");
        run(&mut app, &[Action::MoveRange(1, 0)]);
        assert_eq!(app.filter.text(), "\"abc");
        assert!(app.notice.is_some());
    }

    #[test]
    fn the_wheel_and_clicks_go_where_the_pointer_is() {
        let mut app = app();
        run(&mut app, &[Action::Resize(120, 40)]);
        // The list is rows 3 to 38 at the left (its first article on row 4).
        run(&mut app, &[Action::Wheel(10, 10, 3)]);
        assert_eq!(app.selected, 1);
        run(&mut app, &[Action::Click(10, 4 + 3)]);
        assert_eq!((app.selected, app.focus), (3, Focus::List));
        // Below the last article, or on the border: nothing is selected.
        run(&mut app, &[Action::Click(10, 30), Action::Click(10, 3)]);
        assert_eq!(app.selected, 3);
        // The reader scrolls under the wheel, and a click gives it the keyboard.
        run(&mut app, &[Action::Wheel(80, 10, 3)]);
        assert_eq!(app.reader_scroll, 3);
        run(&mut app, &[Action::Click(80, 10)]);
        assert_eq!(app.focus, Focus::Reader);
        run(&mut app, &[Action::Click(10, 1)]);
        assert_eq!(app.focus, Focus::Filter);
    }
}
