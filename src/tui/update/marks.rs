//! Read and starred marks: opening marks read, `m`, `s`, `M` and its question, and taking in
//! what a save of the marks found.

use crate::store::marks::{Change, Mark, Marks};
use crate::tui::app::{App, CONFIRM_OVER, Question};
use crate::tui::layout::Focus;

impl App {
    /// Sets `mark` on article `i` at `now`, keeping the change to be saved.
    fn set_mark(&mut self, i: usize, mark: Mark, on: bool, now: u64) {
        for f in self.fingerprints(i) {
            if self.marks.known.is(f, mark) != on {
                let change = self.marks.known.set(f, mark, on, now);
                self.marks.pending.push(change);
            }
        }
    }

    /// Opening an article in the reader marks it read, once its text is known.
    pub(super) fn read_what_is_open(&mut self, now: u64) {
        if self.focus == Focus::Reader {
            if let Some(i) = self.selected_index() {
                self.set_mark(i, Mark::Read, true, now);
            }
        }
    }

    pub(super) fn toggle_mark(&mut self, mark: Mark, now: u64) {
        let Some(i) = self.selected_index() else {
            return;
        };
        if !self.knows(i) {
            self.status.notice = Some("still indexing: marks work once it is done".to_owned());
            return;
        }
        let on = !self.is(i, mark);
        self.set_mark(i, mark, on, now);
    }

    /// Marks every unread result read, asking first when they are many.
    pub(super) fn mark_all_read(&mut self, now: u64) {
        let unread: Vec<usize> = self
            .list
            .results
            .iter()
            .copied()
            .filter(|&i| self.knows(i) && !self.is(i, Mark::Read))
            .collect();
        if unread.is_empty() {
            self.status.notice = Some("nothing unread here".to_owned());
        } else if unread.len() > CONFIRM_OVER {
            self.status.question = Some(Question::MarkRead(unread));
        } else {
            self.mark_read(&unread, now);
        }
    }

    pub(super) fn mark_read(&mut self, articles: &[usize], now: u64) {
        for &i in articles {
            self.set_mark(i, Mark::Read, true, now);
        }
        self.status.notice = Some(match articles.len() {
            1 => "1 article marked read".to_owned(),
            n => format!("{n} articles marked read"),
        });
    }

    /// The store saved `saved` and merged them with what other kiosque processes saved
    /// meanwhile into `marks`. Changes made since that save are still to be saved: they stay
    /// pending, and apply on top of the merged marks.
    pub(super) fn marks_saved(&mut self, mut marks: Marks, saved: &[Change]) {
        self.marks.pending.retain(|change| !saved.contains(change));
        for change in &self.marks.pending {
            marks.apply(change);
        }
        self.marks.known = marks;
    }
}
