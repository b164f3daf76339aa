//! The filter: typing a query (or the reader's search), running it, the order of the
//! results, and moving its date range along the timeline.

use std::sync::Arc;

use crate::search::catalog::Catalog;
use crate::search::query::Query;
use crate::store::marks::Marks;
use crate::tui::action::Shared;
use crate::tui::app::{App, Sort};
use crate::tui::effects::QueryJob;
use crate::tui::input::LineInput;
use crate::tui::keymap::Mode;

/// From this many articles, a query typed with words runs on the query thread; below, every
/// query takes well under a millisecond and is answered at once.
const THREAD_FROM: usize = 5_000;

/// The articles of `catalog` that `query` keeps, in the order `sort` asks; only its dates
/// when `dates_only` (the words wait for the index).
pub(crate) fn evaluate(
    catalog: &Catalog,
    marks: &Marks,
    query: &Query,
    sort: Sort,
    dates_only: bool,
) -> Vec<usize> {
    let mut results = if dates_only {
        query.dates_only().filter(catalog, marks)
    } else {
        query.filter(catalog, marks)
    };
    match sort {
        Sort::Newest => {}
        Sort::Oldest => {
            // Oldest dated first; undated articles stay at the end.
            let dated = results.partition_point(|&i| catalog.corpus.articles[i].date.is_some());
            results[..dated].reverse();
        }
        Sort::Relevance => query.rank(catalog, &mut results),
    }
    results
}

impl App {
    /// Edits the line being typed: the reader's search when its prompt is open, else the
    /// filter.
    pub(super) fn edit(&mut self, edit: impl FnOnce(&mut LineInput)) {
        if self.mode() == Mode::Find {
            let before = self.reader.find.text().to_owned();
            edit(&mut self.reader.find);
            if self.reader.find.text() != before {
                self.apply_find();
            }
        } else {
            self.edit_filter(edit);
        }
    }

    /// Edits the filter's text; a changed query runs as the user types (see
    /// [`App::run_typed`]).
    pub(super) fn edit_filter(&mut self, edit: impl FnOnce(&mut LineInput)) {
        let before = self.filter.input.text().to_owned();
        edit(&mut self.filter.input);
        if self.filter.input.text() != before {
            self.run_typed();
        }
    }

    /// Runs the text typed: at once over a small list or for dates alone, else on the query
    /// thread, so that no key waits for a costly query; its results replace the list's when
    /// they come, unless a later key asked for another query meanwhile.
    fn run_typed(&mut self) {
        let query = match Query::parse(self.filter.input.text(), self.today) {
            Ok(query) => query,
            Err(err) => {
                self.filter.error = Some(err.to_string());
                return;
            }
        };
        let at_once = self.catalog.corpus.articles.len() < THREAD_FROM
            || !self.catalog.is_indexed()
            || !query.has_words();
        if at_once {
            self.apply_filter();
            return;
        }
        self.filter.error = None;
        self.filter.asked += 1;
        self.filter.pending = Some((self.filter.asked, query));
    }

    /// The query to send to the query thread, once.
    pub(super) fn wanted_query(&mut self) -> Option<QueryJob> {
        let (generation, query) = self.filter.pending.as_ref()?;
        if *generation == self.filter.sent {
            return None;
        }
        self.filter.sent = *generation;
        let marks = query
            .uses_state()
            .then(|| Shared(Arc::new(self.marks.known.clone())));
        Some(QueryJob {
            generation: *generation,
            catalog: Shared(Arc::clone(&self.catalog)),
            marks,
            query: query.clone(),
            sort: self.sort_in_effect(query),
        })
    }

    /// The query thread answered: the results are shown if they answer the last query asked.
    pub(super) fn query_done(&mut self, generation: u64, results: Vec<usize>) {
        match self.filter.pending.take() {
            Some((asked, query)) if asked == generation => {
                self.filter.waiting = false;
                self.show_results(query, results);
            }
            other => self.filter.pending = other,
        }
    }

    /// Runs the filter text as a query, here and now; on error the last valid results stay.
    pub(super) fn apply_filter(&mut self) {
        // Whatever the query thread is running is answered here first.
        self.filter.pending = None;
        let query = match Query::parse(self.filter.input.text(), self.today) {
            Ok(query) => query,
            Err(err) => {
                self.filter.error = Some(err.to_string());
                return;
            }
        };
        self.filter.error = None;
        // Words and read state need the index; until it is built, the dates apply alone.
        self.filter.waiting = query.has_words() && !self.catalog.is_indexed();
        let sort = self.sort_in_effect(&query);
        let results = evaluate(
            &self.catalog,
            &self.marks.known,
            &query,
            sort,
            self.filter.waiting,
        );
        self.show_results(query, results);
    }

    /// Shows `results` of `query`: the list, the words highlighted, the timeline's counts.
    fn show_results(&mut self, query: Query, results: Vec<usize>) {
        self.filter.highlight = query.highlighter();
        self.filter.query = query;
        self.filter
            .timeline
            .count_results(&self.catalog.corpus.articles, &results);
        self.show(results);
    }

    /// Shows `results`, keeping the selected article selected when it is still there.
    fn show(&mut self, results: Vec<usize>) {
        let kept = self.selected_index();
        self.list.results = results;
        let position = kept
            .and_then(|k| self.list.results.iter().position(|&i| i == k))
            .unwrap_or(0);
        if kept != self.list.results.get(position).copied() {
            self.reader.scroll = 0;
            self.reader.current_match = None;
        }
        self.list.selected = position;
    }

    /// Newest first, oldest first, by relevance (when the query has words), and round.
    pub(super) fn cycle_sort(&mut self) {
        self.filter.sort = match self.filter.sort {
            Sort::Newest => Sort::Oldest,
            Sort::Oldest if self.filter.query.can_rank() => Sort::Relevance,
            Sort::Oldest | Sort::Relevance => Sort::Newest,
        };
        self.apply_filter();
    }

    /// Rewrites the dates of the query (and only them) to move or widen its range.
    pub(super) fn move_range(&mut self, shift: i32, widen: i32) {
        let Some(rest) = Query::without_dates(self.filter.input.text(), self.today) else {
            self.status.notice = Some("the filter has an error: fix it first".to_owned());
            return;
        };
        let Some(range) = self
            .filter
            .timeline
            .moved(self.filter.query.range(), shift, widen)
        else {
            self.status.notice = Some("no dated article to move along".to_owned());
            return;
        };
        let text = if rest.is_empty() {
            range
        } else {
            format!("{rest} {range}")
        };
        self.edit_filter(|f| f.set(&text));
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use chrono::DateTime;

    use crate::search::catalog::Catalog;
    use crate::tui::action::Action;
    use crate::tui::app::App;
    use crate::tui::effects::Effect;
    use crate::tui::update::update;

    /// A list large enough for typed queries to run on the query thread.
    fn large() -> App {
        let texts: Vec<(PathBuf, String)> = (0..super::THREAD_FROM + 10)
            .map(|i| {
                let word = if i % 100 == 0 { "zeppelin" } else { "train" };
                let text = format!("date 2026-03-{:02} Article {i} sur le {word}.", i % 28 + 1);
                (PathBuf::from(format!("{i}.txt")), text)
            })
            .collect();
        let catalog = Catalog::from_memory(texts.iter().map(|(p, t)| (p.clone(), t.as_bytes())));
        App::new(catalog, "large")
    }

    fn now() -> DateTime<chrono::FixedOffset> {
        DateTime::parse_from_rfc3339("2026-03-08T12:00:00+01:00").unwrap()
    }

    /// Types `c` and returns the query it asks the query thread for, if any.
    fn key(app: &mut App, c: char) -> Option<crate::tui::effects::QueryJob> {
        update(app, Action::Insert(c), now())
            .into_iter()
            .find_map(|e| match e {
                Effect::Query(job) => Some(job),
                _ => None,
            })
    }

    #[test]
    fn a_key_never_waits_for_a_query_and_stale_answers_are_dropped() {
        let mut app = large();
        let all = app.list.results.len();
        update(&mut app, Action::FocusFilter, now());
        let first = key(&mut app, 'z').expect("asked of the query thread");
        // The key is answered without the query: the list stays as it was.
        assert_eq!(app.list.results.len(), all);
        let second = key(&mut app, 'e').expect("asked again");
        assert!(second.generation > first.generation);
        // The first query's answer comes late: a later key made it stale.
        update(&mut app, first.run(), now());
        assert_eq!(app.list.results.len(), all);
        update(&mut app, second.run(), now());
        assert_eq!(app.list.results.len(), 51);
        assert_eq!(app.filter.query, second.query);
        // Dates alone are answered at once.
        update(&mut app, Action::ClearFilter, now());
        assert_eq!(app.list.results.len(), all);
        // `2`, `20`, `202` are words (numbers) until they make a year.
        for c in "202".chars() {
            assert!(key(&mut app, c).is_some());
        }
        let mut asked = Vec::new();
        for c in "6-03-01".chars() {
            asked.extend(key(&mut app, c));
        }
        assert!(asked.is_empty(), "{asked:?}");
        assert!(
            app.filter.pending.is_none(),
            "the word's query is answered by the date"
        );
        let first_of_march = (0..super::THREAD_FROM + 10).filter(|i| i % 28 == 0).count();
        assert_eq!(app.list.results.len(), first_of_march);
    }
}
