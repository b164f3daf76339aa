//! The sources window: every feed subscribed to and every folder given, with their unread
//! and total counts, last fetch and tags; `Enter` filters the list by one, writing its term
//! in the filter so the user sees what happened.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset};

use crate::store::marks::Mark;
use crate::tui::app::{App, Overlay, SourceRow};
use crate::tui::layout::Focus;

/// Unread and total articles.
#[derive(Clone, Copy, Default)]
struct Counts {
    unread: usize,
    total: usize,
}

impl Counts {
    fn add(&mut self, unread: bool) {
        self.total += 1;
        self.unread += usize::from(unread);
    }
}

impl App {
    /// Shows the sources, or hides them.
    pub(super) fn toggle_sources(&mut self, clock: DateTime<FixedOffset>) {
        if self.overlay.shown == Some(Overlay::Sources) {
            self.overlay.shown = None;
            return;
        }
        self.overlay.shown = Some(Overlay::Sources);
        self.overlay.scroll = 0;
        self.overlay.source_selected = 0;
        self.overlay.sources.clear();
        self.count_sources(clock);
    }

    /// Counts the articles of each source again, keeping the selected one selected.
    pub(super) fn count_sources(&mut self, clock: DateTime<FixedOffset>) {
        let selected = self
            .overlay
            .sources
            .get(self.overlay.source_selected)
            .map(|row| row.term.clone());
        self.overlay.sources = self.source_rows(clock);
        self.sort_source_rows();
        self.overlay.source_selected = selected
            .and_then(|term| self.overlay.sources.iter().position(|r| r.term == term))
            .unwrap_or(0);
    }

    /// By name, or by unread articles (most first), and back.
    pub(super) fn sort_sources(&mut self) {
        let selected = self
            .overlay
            .sources
            .get(self.overlay.source_selected)
            .map(|row| row.term.clone());
        self.overlay.sources_by_unread = !self.overlay.sources_by_unread;
        self.sort_source_rows();
        self.overlay.source_selected = selected
            .and_then(|term| self.overlay.sources.iter().position(|r| r.term == term))
            .unwrap_or(0);
    }

    fn sort_source_rows(&mut self) {
        let by_unread = self.overlay.sources_by_unread;
        self.overlay.sources.sort_by(|a, b| {
            let by_name = crate::text::fold::fold(&a.name).cmp(&crate::text::fold::fold(&b.name));
            if by_unread {
                b.unread.cmp(&a.unread).then(by_name)
            } else {
                by_name
            }
        });
    }

    /// Keeps only the selected source's articles: its term becomes the filter's text.
    pub(super) fn filter_source(&mut self) {
        let Some(row) = self.overlay.sources.get(self.overlay.source_selected) else {
            return;
        };
        let term = row.term.clone();
        self.overlay.shown = None;
        self.focus = Focus::List;
        self.edit_filter(|input| input.set(&term));
    }

    /// The feeds subscribed to (in feeds.toml's order), then feeds whose articles stay
    /// without a subscription, then the folders given, each with its counts.
    fn source_rows(&self, clock: DateTime<FixedOffset>) -> Vec<SourceRow> {
        let articles = &self.catalog.corpus.articles;
        // Feeds by key, with the name their articles give them; folders by name.
        let mut feeds: HashMap<&str, (Counts, &str)> = HashMap::new();
        let mut folders: Vec<(&str, Counts)> = Vec::new();
        for (i, article) in articles.iter().enumerate() {
            let unread = !self.is(i, Mark::Read);
            match &article.origin {
                Some(origin) => {
                    let key = origin.feed_key.as_deref().unwrap_or(&origin.feed);
                    feeds
                        .entry(key)
                        .or_insert((Counts::default(), &origin.feed))
                        .0
                        .add(unread);
                }
                None => {
                    let name = self.catalog.sources.name(article);
                    match folders.iter_mut().find(|(n, _)| *n == name) {
                        Some((_, counts)) => counts.add(unread),
                        None => {
                            let mut counts = Counts::default();
                            counts.add(unread);
                            folders.push((name, counts));
                        }
                    }
                }
            }
        }
        let mut rows = Vec::new();
        for sub in &self.feeds.subscriptions {
            let (counts, named) = feeds
                .remove(sub.key.as_str())
                .unwrap_or((Counts::default(), sub.name.as_str()));
            rows.push(SourceRow {
                // A feed without a name in feeds.toml is known by its own title, as its
                // articles say; by its address until it has some.
                name: named.to_owned(),
                term: term("feed", named),
                unread: counts.unread,
                total: counts.total,
                fetched: Some(match sub.last_fetch {
                    Some(at) => moment(at, clock),
                    None => "never".to_owned(),
                }),
                failing: sub.failing,
                tags: sub.tags.clone(),
            });
        }
        let mut rest: Vec<(&str, (Counts, &str))> = feeds.into_iter().collect();
        rest.sort_by_key(|(key, _)| *key);
        for (_, (counts, name)) in rest {
            rows.push(source_row(name, term("feed", name), counts));
        }
        // Articles under no folder given (the embedded sample) are no source to filter by.
        for (name, counts) in folders.into_iter().filter(|(name, _)| !name.is_empty()) {
            rows.push(source_row(name, term("folder", name), counts));
        }
        rows
    }
}

fn source_row(name: &str, term: String, counts: Counts) -> SourceRow {
    SourceRow {
        name: name.to_owned(),
        term,
        unread: counts.unread,
        total: counts.total,
        ..SourceRow::default()
    }
}

/// The query term that keeps the articles of the feed (or folder) named `name`: a phrase,
/// so that every word of the name counts.
fn term(field: &str, name: &str) -> String {
    let words: String = name.chars().filter(|&c| c != '"').collect();
    format!("{field}:\"{}\"", words.trim())
}

/// A moment as the sources window shows it, on the user's clock: the time alone today,
/// with the date before.
fn moment(millis: u64, clock: DateTime<FixedOffset>) -> String {
    let Some(at) = i64::try_from(millis)
        .ok()
        .and_then(DateTime::from_timestamp_millis)
    else {
        return "?".to_owned();
    };
    let at = at.with_timezone(clock.offset());
    if at.date_naive() == clock.date_naive() {
        at.format("%H:%M").to_string()
    } else {
        at.format("%Y-%m-%d %H:%M").to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn articles_under_no_folder_given_are_no_source() {
        use crate::search::catalog::Catalog;
        let catalog = Catalog::from_memory([(
            std::path::PathBuf::from("sample/a.txt"),
            "date 2026-03-01 Un.".as_bytes(),
        )]);
        let mut app = App::new(catalog, "sample");
        let clock = DateTime::parse_from_rfc3339("2026-03-08T12:00:00+01:00").unwrap();
        app.toggle_sources(clock);
        assert_eq!(app.overlay.shown, Some(Overlay::Sources));
        assert!(app.overlay.sources.is_empty(), "{:?}", app.overlay.sources);
        // Enter on no source writes nothing.
        app.filter_source();
        assert_eq!(app.filter_text(), "");
    }

    #[test]
    fn a_source_s_term_is_a_phrase_its_name_cannot_break() {
        assert_eq!(term("feed", "Le Monde"), "feed:\"Le Monde\"");
        assert_eq!(term("feed", "Le \"vrai\" blog "), "feed:\"Le vrai blog\"");
        assert_eq!(term("folder", "notes"), "folder:\"notes\"");
    }

    #[test]
    fn a_fetch_shows_its_time_today_and_its_date_before() {
        let clock = DateTime::parse_from_rfc3339("2026-03-08T12:00:00+01:00").unwrap();
        let ms = |rfc: &str| {
            u64::try_from(
                DateTime::parse_from_rfc3339(rfc)
                    .unwrap()
                    .timestamp_millis(),
            )
            .unwrap()
        };
        assert_eq!(moment(ms("2026-03-08T09:30:00Z"), clock), "10:30");
        assert_eq!(moment(ms("2026-03-07T23:30:00Z"), clock), "00:30");
        assert_eq!(
            moment(ms("2026-03-07T22:30:00Z"), clock),
            "2026-03-07 23:30"
        );
    }
}
