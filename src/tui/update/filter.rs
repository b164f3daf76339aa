//! The filter: typing a query (or the reader's search), running it, the order of the
//! results, and moving its date range along the timeline.

use crate::search::query::Query;
use crate::tui::app::{App, Sort};
use crate::tui::input::LineInput;
use crate::tui::keymap::Mode;

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

    pub(super) fn edit_filter(&mut self, edit: impl FnOnce(&mut LineInput)) {
        let before = self.filter.input.text().to_owned();
        edit(&mut self.filter.input);
        if self.filter.input.text() != before {
            self.apply_filter();
        }
    }

    /// Runs the filter text as a query; on error the last valid results stay.
    pub(super) fn apply_filter(&mut self) {
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
        let mut results = if self.filter.waiting {
            query.dates_only().filter(&self.catalog, &self.marks.known)
        } else {
            query.filter(&self.catalog, &self.marks.known)
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
