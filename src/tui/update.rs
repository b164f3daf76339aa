//! `update`: every change to the state, one arm per action, with no I/O, no terminal and no
//! clock. It takes the time of the action as input and returns the effects it wants (read a
//! body, save marks, open a link…) for the runner to carry out; their results come back as
//! actions. The helpers of each area of the screen are in `update/`.

mod feeds;
mod filter;

pub(crate) use filter::evaluate;
mod list;
mod marks;
mod overlay;
mod reader;
mod sources;

use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use ratatui::layout::Rect;

use crate::search::catalog::{Catalog, Stage};
use crate::search::timeline::Timeline;
use crate::store::marks::Mark;
use crate::tui::action::Action;
use crate::tui::app::{App, Overlay, Question};
use crate::tui::effects::Effect;
use crate::tui::input::LineInput;
use crate::tui::keymap::Mode;
use crate::tui::layout::{Focus, areas};

/// Carries out one action at `now` and returns what the runner should do about it.
pub fn update(app: &mut App, action: Action, now: DateTime<FixedOffset>) -> Vec<Effect> {
    app.today = now.date_naive();
    let millis = u64::try_from(now.timestamp_millis()).unwrap_or(0);
    let answers_a_save = matches!(action, Action::MarksSaved(..) | Action::SaveFailed(_));
    if !action.is_news() {
        app.status.notice = None;
    }
    // What the sources window counts may change with these: counted again after them.
    let recount = matches!(
        action,
        Action::Catalog(_)
            | Action::Reloaded(_)
            | Action::FeedFetched(_)
            | Action::MarksSaved(..)
            | Action::BodyRead(..)
    );
    let mut effects = Vec::new();
    carry_out(app, action, now, millis, &mut effects);
    if recount && app.overlay.shown == Some(Overlay::Sources) {
        app.count_sources(now);
    }
    settle(app);
    if let Some(job) = app.wanted_query() {
        effects.push(Effect::Query(job));
    }
    if let Some(index) = wanted_body(app) {
        app.reader.requested = Some(index);
        effects.push(Effect::ReadBody(index));
    }
    // Marks are saved as soon as they change, so a dropped ssh link loses none; a save that
    // failed is tried again with the next action (not with the news of its own failure,
    // which would try forever).
    if !answers_a_save && !app.marks.pending.is_empty() {
        effects.push(Effect::SaveMarks(app.marks.pending.clone()));
    }
    effects
}

fn carry_out(
    app: &mut App,
    action: Action,
    clock: DateTime<FixedOffset>,
    now: u64,
    effects: &mut Vec<Effect>,
) {
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
                app.read_what_is_open(now);
            }
        }
        Action::Back => {
            if app.status.question.take().is_some() || app.overlay.shown.take().is_some() {
                return;
            }
            if app.mode() == Mode::Find {
                // Like less: leaving the prompt forgets the search.
                app.reader.finding = false;
                app.reader.find.clear();
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
            app.filter.input.end();
        }
        Action::Submit if app.mode() == Mode::Find => {
            app.reader.finding = false;
            app.reader.current_match = None;
            app.jump(1);
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
            app.reader.finding = true;
            app.reader.find.clear();
            app.apply_find();
        }
        Action::NextMatch => app.jump(1),
        Action::PrevMatch => app.jump(-1),
        Action::ToggleHelp => app.toggle(Overlay::Help),
        Action::ToggleWarnings => app.toggle(Overlay::Warnings),
        Action::Resize(width, height) => app.screen = Rect::new(0, 0, width, height),
        Action::OpenRelated(n) => app.open_related(n, now),
        Action::MoveRange(shift, widen) => app.move_range(shift, widen),
        Action::Wheel(x, y, lines) => app.wheel(x, y, lines),
        Action::Click(x, y) => app.click(x, y, now),
        Action::CycleSort => app.cycle_sort(),
        Action::Suspend => effects.push(Effect::Suspend),
        Action::BodyRead(index, body) => {
            app.reader.body = Some((index, body));
            app.reader.requested = None;
            app.read_what_is_open(now);
        }
        Action::Loading(stage, done, total) => app.status.loading = Some((stage, done, total)),
        Action::Catalog(catalog) => {
            // The same files in the same order as any catalog shown before it: the list
            // from a load that has now indexed its words. Positions stay valid.
            app.take_catalog(catalog.0);
            app.loaded(effects);
        }
        Action::ShowSources => app.toggle_sources(clock),
        Action::FilterSource => app.filter_source(),
        Action::SortSources => app.sort_sources(),
        Action::Answered(shown, answer) => {
            // Only for the very list it was taken of: a catalog that came since has its own.
            if Arc::as_ptr(&app.catalog) as usize == shown {
                let (snapshot, known) = Arc::unwrap_or_clone(answer.0);
                Arc::make_mut(&mut app.catalog).answer_from(snapshot, known);
                app.apply_filter();
            }
        }
        Action::Unchanged(shown) => {
            if Arc::as_ptr(&app.catalog) as usize == shown {
                app.status.loading = None;
                app.loaded(effects);
            }
        }
        Action::QueryDone(generation, results) => {
            app.query_done(generation, Arc::unwrap_or_clone(results.0));
        }
        Action::FetchFullText => app.fetch_full_text(effects),
        Action::FullTextDone(path, result) => app.full_text_done(&path, result, effects),
        Action::Refresh => app.refresh(now, effects),
        Action::RefreshSource => app.refresh_source(now, effects),
        Action::Tick => app.tick(now, effects),
        Action::FeedFetched(news) => app.feed_fetched(news, clock, effects),
        Action::FetchDone(result) => app.fetch_done(result),
        Action::Reloaded(catalog) => app.reloaded(catalog.0, effects),
        Action::ToggleRead => app.toggle_mark(Mark::Read, now),
        Action::ToggleStar => app.toggle_mark(Mark::Starred, now),
        Action::MarkAllRead => app.mark_all_read(now),
        Action::Confirm => match app.status.question.take() {
            Some(Question::MarkRead(articles)) => app.mark_read(&articles, now),
            None => {}
        },
        Action::MarksSaved(marks, saved) => app.marks_saved(Arc::unwrap_or_clone(marks.0), &saved),
        Action::SaveFailed(why) => {
            app.status.notice = Some(format!("read state not saved: {why}"));
        }
        Action::ShowLinks => app.show_links(),
        Action::OpenLink => effects.extend(app.open_link()),
        Action::CopyLink => effects.extend(app.copy_link()),
        Action::Notice(text) => app.status.notice = Some(text),
        Action::Quit => effects.push(Effect::Quit),
    }
}

/// Brings what derives from the state in line with it after an action: the list's first
/// row, the reader's page and scroll, the overlay's scroll. The view draws these as they are.
fn settle(app: &mut App) {
    app.keep_selection_in_view();
    app.settle_reader();
    app.settle_overlay();
}

/// The article whose body the reader is about to show and that was not asked for yet.
fn wanted_body(app: &App) -> Option<usize> {
    let reader_shown = !areas(app.screen, app.focus).reader.is_empty();
    let wanted = app.selected_index().filter(|_| reader_shown)?;
    let have = app.reader.body.as_ref().map(|(i, _)| *i);
    (have != Some(wanted) && app.reader.requested != Some(wanted)).then_some(wanted)
}

impl App {
    /// Shows `catalog` in place of the one shown: the timeline, the filter and the warnings
    /// are made again from it, and bodies are read again.
    fn take_catalog(&mut self, catalog: Arc<Catalog>) {
        // The sources (feeds.toml's tags, the paths given) were set when the reader started.
        let mut catalog = Arc::unwrap_or_clone(catalog);
        catalog.set_sources(self.catalog.sources.clone());
        catalog
            .corpus
            .warnings
            .extend(self.status.notes.iter().cloned());
        self.catalog = Arc::new(catalog);
        self.filter.timeline = Timeline::new(&self.catalog.corpus.articles, &[]);
        self.status.loading = if self.catalog.is_indexed() {
            None
        } else {
            Some((Stage::Indexing, 0, self.catalog.corpus.articles.len()))
        };
        self.reader.body = None;
        self.reader.requested = None;
        self.reader.page = None;
        self.list.results = (0..self.catalog.corpus.articles.len()).collect();
        self.apply_filter();
    }

    /// Moves in whatever the current mode scrolls: the list selection, a link, or text.
    fn step(&mut self, delta: isize, page: bool) {
        let mode = self.mode();
        // The windows that list things to choose move their selection.
        let chosen = match mode {
            Mode::Links => Some((&mut self.overlay.link_selected, self.overlay.links.len())),
            Mode::Sources => Some((
                &mut self.overlay.source_selected,
                self.overlay.sources.len(),
            )),
            _ => None,
        };
        if let Some((selected, len)) = chosen {
            *selected = selected
                .saturating_add_signed(delta)
                .min(len.saturating_sub(1));
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

    /// Scrolls the overlay when there is one, else the reader.
    fn scroll(&mut self, delta: isize) {
        if self.overlay.shown.is_some() {
            self.overlay.scroll = self.overlay.scroll.saturating_add_signed(delta);
        } else {
            self.reader.scroll = self.reader.scroll.saturating_add_signed(delta);
        }
    }
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{Block, Body};
    use crate::search::catalog::Catalog;
    use crate::tui::app::{CONFIRM_OVER, Sort};
    use crate::tui::effects::step;
    use chrono::NaiveDate;
    use std::path::PathBuf;

    /// The body of the second article: long enough to scroll, with a rare word twice.
    fn long_text() -> String {
        let paragraphs: Vec<String> = (0..60)
            .map(|i| match i {
                10 | 40 => format!("Paragraphe {i} : une baleine passe."),
                _ => format!("Paragraphe {i}."),
            })
            .collect();
        format!(
            "date 2026-03-03 Le cœur du sujet.\n{}",
            paragraphs.join("\n\n")
        )
    }

    fn app() -> App {
        let long = long_text();
        let texts = [
            "date 2026-03-06 La sécurité avant tout.",
            long.as_str(),
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

    /// A fixed time: 8 March 2026, noon in Paris.
    fn now() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2026-03-08T12:00:00+01:00").unwrap()
    }

    /// One action, the bodies it asks for read at once (from memory), as the runner does.
    fn act(app: &mut App, action: Action) -> Vec<Effect> {
        step(app, action, now())
    }

    fn run(app: &mut App, actions: &[Action]) {
        for a in actions {
            act(app, a.clone());
        }
    }

    fn typed(app: &mut App, text: &str) {
        for c in text.chars() {
            act(app, Action::Insert(c));
        }
    }

    fn titles(app: &App) -> Vec<&str> {
        app.list
            .results
            .iter()
            .map(|&i| app.catalog.corpus.articles[i].title.as_str())
            .collect()
    }

    #[test]
    fn moving_stays_within_the_list() {
        let mut app = app();
        run(&mut app, &[Action::Up, Action::Down, Action::Down]);
        assert_eq!(app.list.selected, 2);
        run(&mut app, &[Action::Bottom]);
        assert_eq!(app.list.selected, 4);
        run(&mut app, &[Action::Down, Action::PageDown]);
        assert_eq!(app.list.selected, 4);
        run(&mut app, &[Action::PageUp]);
        assert_eq!(app.list.selected, 0);
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
        assert!(app.list.results.is_empty());
        assert_eq!(app.selected_article().map(|a| a.title.as_str()), None);
        act(&mut app, Action::Backspace);
        assert_eq!(app.list.results.len(), 2);
        assert_eq!(app.list.selected, 0);
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
        let found = crate::store::walk::find(&[dir.path().to_path_buf()]);
        let options = crate::store::load::LoadOptions::default();
        let (listed, _) = crate::store::load::load(found, &options, &|_, _| {});
        let listed = Catalog::listed(listed);
        let mut app = App::loading("test");
        let shared = |c: Catalog| Action::Catalog(crate::tui::action::Shared(Arc::new(c)));
        act(&mut app, shared(listed.clone()));
        assert_eq!(app.status.loading.map(|l| l.0), Some(Stage::Indexing));
        act(&mut app, Action::FocusFilter);
        typed(&mut app, "securite 2026");
        assert!(app.filter.waiting);
        assert_eq!(
            titles(&app),
            ["La sécurité avant tout.", "Le cœur du sujet."]
        );
        act(
            &mut app,
            shared(crate::search::catalog::index(listed, &|_, _, _| {})),
        );
        assert!(!app.filter.waiting);
        assert_eq!(app.status.loading, None);
        assert_eq!(titles(&app), ["La sécurité avant tout."]);
    }

    #[test]
    fn an_invalid_query_keeps_the_last_valid_results() {
        let mut app = app();
        act(&mut app, Action::FocusFilter);
        typed(&mut app, "2026");
        assert_eq!(app.list.results.len(), 2);
        typed(&mut app, "-1");
        assert_eq!(app.list.results.len(), 2);
        assert!(
            app.filter
                .error
                .as_deref()
                .unwrap()
                .contains("unfinished date")
        );
        typed(&mut app, "3");
        assert_eq!(
            app.filter.error.as_deref(),
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
        assert_eq!(app.filter.error, None);
        assert_eq!(
            titles(&app),
            ["La sécurité avant tout.", "Le cœur du sujet."]
        );
    }

    #[test]
    fn escape_leaves_the_filter_and_keeps_it() {
        let mut app = app();
        act(&mut app, Action::FocusFilter);
        typed(&mut app, "coeur");
        act(&mut app, Action::Back);
        assert_eq!(app.focus, Focus::List);
        assert_eq!(app.filter.input.text(), "coeur");
        assert_eq!(titles(&app), ["Le cœur du sujet."]);
        act(&mut app, Action::ClearFilter);
        assert_eq!(app.list.results.len(), 5);
        assert_eq!(app.selected_article().unwrap().title, "Le cœur du sujet.");
    }

    #[test]
    fn open_read_scroll_and_go_back() {
        let mut app = app();
        run(&mut app, &[Action::Down, Action::Open]);
        assert_eq!(app.mode(), Mode::Reader);
        run(&mut app, &[Action::Down, Action::Down, Action::PageDown]);
        assert_eq!(app.reader.scroll, 2 + 21);
        run(&mut app, &[Action::Top]);
        assert_eq!(app.reader.scroll, 0);
        run(&mut app, &[Action::Back]);
        assert_eq!(app.mode(), Mode::List);
        assert_eq!(app.list.selected, 1);
    }

    #[test]
    fn selecting_another_article_starts_it_at_the_top() {
        let mut app = app();
        run(
            &mut app,
            &[Action::Open, Action::Down, Action::Back, Action::Down],
        );
        assert_eq!(app.reader.scroll, 0);
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
        act(&mut app, Action::FocusFilter);
        typed(&mut app, "introuvable");
        run(&mut app, &[Action::Submit, Action::Open, Action::FocusNext]);
        assert_eq!(app.focus, Focus::Filter);
    }

    #[test]
    fn overlays_take_the_keys_and_close() {
        let mut app = app();
        act(&mut app, Action::ToggleHelp);
        assert_eq!(app.mode(), Mode::Help);
        run(&mut app, &[Action::Down, Action::Down]);
        assert_eq!((app.overlay.scroll, app.list.selected), (2, 0));
        act(&mut app, Action::Back);
        assert_eq!(app.mode(), Mode::List);
        run(&mut app, &[Action::ToggleWarnings, Action::ToggleWarnings]);
        assert_eq!(app.overlay.shown, None);
    }

    #[test]
    fn quit() {
        let mut app = app();
        assert_eq!(act(&mut app, Action::Quit), [Effect::Quit]);
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
        assert_eq!(app.list.results.len(), 2);
        // Clearing the words keeps the choice, shown as newest first until words return.
        run(&mut app, &[Action::ClearFilter]);
        assert_eq!(app.filter.sort, Sort::Relevance);
        assert_eq!(app.sort_shown(), Sort::Newest);
        assert_eq!(app.list.results, [0, 1, 2, 3, 4]);
    }

    #[test]
    fn relative_dates_count_from_the_injected_day() {
        let mut app = app();
        let on = |day: u32| {
            DateTime::parse_from_rfc3339(&format!("2026-03-{day:02}T23:30:00+01:00")).unwrap()
        };
        for action in [
            Action::FocusFilter,
            Action::Insert('7'),
            Action::Insert('d'),
        ] {
            step(&mut app, action, on(8));
        }
        assert_eq!(app.today(), NaiveDate::from_ymd_opt(2026, 3, 8).unwrap());
        assert_eq!(
            titles(&app),
            ["La sécurité avant tout.", "Le cœur du sujet."]
        );
        // Another day: the same text counts back from it.
        step(&mut app, Action::Backspace, on(5));
        step(&mut app, Action::Insert('d'), on(5));
        assert_eq!(titles(&app), ["Le cœur du sujet."]);
    }

    #[test]
    fn the_reader_search_is_its_own() {
        let mut app = app();
        run(
            &mut app,
            &[Action::Down, Action::Open, Action::FindInArticle],
        );
        assert_eq!(app.mode(), Mode::Find);
        typed(&mut app, "sujet");
        assert!(!app.reader_highlight().is_empty());
        assert_eq!(app.filter.input.text(), "");
        // Enter goes to the first match: in the title, on the first line.
        run(&mut app, &[Action::Submit]);
        assert_eq!(app.mode(), Mode::Reader);
        assert_eq!(app.reader.current_match, Some(0));
        // Escape while typing forgets the search.
        run(&mut app, &[Action::FindInArticle]);
        typed(&mut app, "x");
        run(&mut app, &[Action::Back]);
        assert_eq!(app.mode(), Mode::Reader);
        assert!(app.reader_highlight().is_empty());
    }

    fn bold_dots(app: &App) -> Vec<bool> {
        app.list
            .results
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
        assert_eq!(bold_dots(&app), [true, false, true, true, true]);
        assert_eq!(app.marks.pending.len(), 1);
        run(&mut app, &[Action::ToggleRead]);
        assert_eq!(bold_dots(&app), [true; 5]);
        run(&mut app, &[Action::ToggleStar]);
        assert!(app.is(1, Mark::Starred));
        run(&mut app, &[Action::ToggleStar]);
        assert!(!app.is(1, Mark::Starred));
        assert_eq!(app.marks.pending.len(), 4);
        // Saved: the store's merged marks replace the app's, and nothing is pending.
        let saved = app.marks.known.clone();
        let changes = app.marks.pending.clone();
        run(
            &mut app,
            &[Action::MarksSaved(
                crate::tui::action::Shared(Arc::new(saved)),
                changes,
            )],
        );
        assert!(app.marks.pending.is_empty());
    }

    #[test]
    fn shift_m_marks_the_results_read() {
        let mut app = app();
        run(&mut app, &[Action::FocusFilter]);
        typed(&mut app, "securite");
        run(&mut app, &[Action::Submit, Action::MarkAllRead]);
        assert_eq!(app.status.notice.as_deref(), Some("2 articles marked read"));
        run(&mut app, &[Action::ClearFilter]);
        assert_eq!(bold_dots(&app), [false, true, false, true, true]);
        run(&mut app, &[Action::MarkAllRead]);
        assert_eq!(bold_dots(&app), [false; 5]);
        run(&mut app, &[Action::MarkAllRead]);
        assert_eq!(app.status.notice.as_deref(), Some("nothing unread here"));
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
        assert!(app.marks.pending.is_empty());
        // No: nothing happens.
        run(&mut app, &[Action::Back]);
        assert_eq!(app.mode(), Mode::List);
        assert!(app.marks.pending.is_empty());
        run(&mut app, &[Action::MarkAllRead, Action::Confirm]);
        assert_eq!(app.marks.pending.len(), CONFIRM_OVER + 1);
        assert!(bold_dots(&app).iter().all(|unread| !unread));
    }

    #[test]
    fn the_timeline_keys_rewrite_only_the_dates_of_the_query() {
        let mut app = app();
        run(&mut app, &[Action::FocusFilter]);
        typed(&mut app, "securite 2025..");
        // The range is written in months; its open end stays open.
        run(&mut app, &[Action::MoveRange(0, 0)]);
        assert_eq!(app.filter.input.text(), "securite 2025-01..");
        run(&mut app, &[Action::MoveRange(1, 0)]);
        assert_eq!(app.filter.input.text(), "securite 2025-02..");
        run(&mut app, &[Action::ClearFilter, Action::MoveRange(-1, 0)]);
        assert_eq!(app.filter.input.text(), "2026-02");
        run(&mut app, &[Action::MoveRange(0, -2)]);
        assert_eq!(app.filter.input.text(), "2025-12..2026-02");
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
        assert_eq!(app.filter.input.text(), "\"abc");
        assert!(app.status.notice.is_some());
    }

    #[test]
    fn the_wheel_and_clicks_go_where_the_pointer_is() {
        let mut app = app();
        run(&mut app, &[Action::Resize(120, 40)]);
        // The list is rows 3 to 38 at the left (its first article on row 4).
        run(&mut app, &[Action::Wheel(10, 10, 3)]);
        assert_eq!(app.list.selected, 1);
        run(&mut app, &[Action::Click(10, 4 + 3)]);
        assert_eq!((app.list.selected, app.focus), (3, Focus::List));
        // Below the last article, or on the border: nothing is selected.
        run(&mut app, &[Action::Click(10, 30), Action::Click(10, 3)]);
        assert_eq!(app.list.selected, 3);
        run(&mut app, &[Action::Click(10, 4 + 1)]);
        assert_eq!(app.list.selected, 1);
        // The reader scrolls under the wheel, and a click gives it the keyboard.
        run(&mut app, &[Action::Wheel(80, 10, 3)]);
        assert_eq!(app.reader.scroll, 3);
        run(&mut app, &[Action::Click(80, 10)]);
        assert_eq!(app.focus, Focus::Reader);
        run(&mut app, &[Action::Click(10, 1)]);
        assert_eq!(app.focus, Focus::Filter);
    }

    #[test]
    fn update_asks_for_the_body_and_lays_it_out_when_it_arrives() {
        let mut app = app();
        let noon = now();
        let millis = u64::try_from(noon.timestamp_millis()).unwrap();
        // Narrow: the list alone shows, no body is wanted.
        assert_eq!(update(&mut app, Action::Resize(80, 24), noon), []);
        assert_eq!(update(&mut app, Action::Down, noon), []);
        // Opening wants the body, and marks the article read (known by its index) at the
        // time given, to be saved.
        let effects = update(&mut app, Action::Open, noon);
        let Some(Effect::SaveMarks(changes)) = effects.get(1) else {
            panic!("no save in {effects:?}");
        };
        assert_eq!(effects[0], Effect::ReadBody(1));
        assert_eq!(changes.len(), 1);
        assert_eq!((changes[0].on, changes[0].at), (true, millis));
        // Until the body comes, the title the list knows stands in; it is not asked twice.
        let shown = |app: &App| -> Vec<String> {
            let page = app.reader.page.as_ref().unwrap();
            page.lines().iter().map(|l| l.to_string()).collect()
        };
        assert_eq!(shown(&app)[0], "Le cœur du sujet.");
        assert!(!update(&mut app, Action::Down, noon).contains(&Effect::ReadBody(1)));
        let body = Body {
            date: None,
            title: "Le cœur du sujet.".to_owned(),
            words: 5,
            blocks: vec![Block::Paragraph("Un texte lu pour l’essai.".to_owned())],
            problem: None,
            fingerprint: None,
            link: None,
            enclosures: Vec::new(),
        };
        update(&mut app, Action::BodyRead(1, Arc::new(body)), noon);
        assert_eq!(
            shown(&app),
            [
                "Le cœur du sujet.",
                "undated · 1.txt · 5 words",
                "",
                "Un texte lu pour l’essai."
            ]
        );
    }

    #[test]
    fn marks_are_dated_with_the_time_of_the_action() {
        let mut app = app();
        let time = DateTime::parse_from_rfc3339("2026-03-08T09:15:00.250+01:00").unwrap();
        let effects = update(&mut app, Action::ToggleStar, time);
        assert!(app.is(0, Mark::Starred));
        let [Effect::SaveMarks(changes)] = effects.as_slice() else {
            panic!("{effects:?}");
        };
        assert_eq!(changes[0].at, 1_772_957_700_250);
        // Saved: nothing is asked again, and a failed save is retried with the next key.
        update(&mut app, Action::SaveFailed("disk full".to_owned()), time);
        assert_eq!(
            app.status.notice.as_deref(),
            Some("read state not saved: disk full")
        );
        let retried = update(&mut app, Action::Down, time);
        assert_eq!(retried, [Effect::SaveMarks(changes.clone())]);
    }

    #[test]
    fn n_and_shift_n_go_through_the_matches_and_scroll_to_them() {
        let mut app = app();
        run(
            &mut app,
            &[Action::Down, Action::Open, Action::FindInArticle],
        );
        typed(&mut app, "baleine");
        let lines: Vec<usize> = {
            let page = app.reader.page.as_ref().unwrap();
            page.lines()
                .iter()
                .enumerate()
                .filter(|(_, l)| l.to_string().contains("baleine"))
                .map(|(i, _)| i)
                .collect()
        };
        assert_eq!(lines.len(), 2);
        // Both are below the 21 rows shown: each jump puts its match a third of the way down.
        run(&mut app, &[Action::Submit]);
        assert_eq!(app.reader.current_match, Some(0));
        assert_eq!(app.reader.scroll, lines[0] - 7);
        run(&mut app, &[Action::NextMatch]);
        assert_eq!(
            (app.reader.current_match, app.reader.scroll),
            (Some(1), lines[1] - 7)
        );
        // Round the end to the first, and back.
        run(&mut app, &[Action::NextMatch]);
        assert_eq!(
            (app.reader.current_match, app.reader.scroll),
            (Some(0), lines[0] - 7)
        );
        run(&mut app, &[Action::PrevMatch]);
        assert_eq!(app.reader.current_match, Some(1));
        // The end of the article stays at the bottom of the screen.
        run(&mut app, &[Action::Bottom]);
        let len = app.reader.page.as_ref().unwrap().lines().len();
        assert_eq!(app.reader.scroll, len - 21);
    }
}
