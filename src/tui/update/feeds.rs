//! The feeds from inside the reader: fetching in the background (by a key, or by itself when
//! the last fetch is old enough), its progress, the feeds that failed, and the files read
//! again as new articles arrive, without moving the selection or the rows shown.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};

use crate::corpus::Warning;
use crate::search::catalog::Catalog;
use crate::tui::action::FeedNews;
use crate::tui::app::{App, Fetching};
use crate::tui::effects::Effect;

impl App {
    /// Starts fetching every feed; without subscriptions, reads the folders again, for
    /// files added or changed since the reader started.
    pub(super) fn refresh(&mut self, now: u64, effects: &mut Vec<Effect>) {
        if self.feeds.subscribed == 0 {
            self.status.notice = Some("reading the folders again".to_owned());
            self.feeds.rereading = true;
            self.reload(effects);
            return;
        }
        self.start_fetch(Vec::new(), None, now, effects);
    }

    /// Starts fetching the feeds `targets` names (keys, addresses or names; all when empty),
    /// shown in the status bar as `only` when that is not every feed.
    fn start_fetch(
        &mut self,
        targets: Vec<String>,
        only: Option<String>,
        now: u64,
        effects: &mut Vec<Effect>,
    ) {
        if self.feeds.subscribed == 0 {
            self.status.notice =
                Some("no subscriptions yet: add a feed with `kiosque feeds add URL`".to_owned());
            return;
        }
        if self.feeds.fetching.is_some() {
            self.status.notice = Some("already fetching".to_owned());
            return;
        }
        self.feeds.fetching = Some(Fetching {
            only,
            ..Fetching::default()
        });
        self.feeds.last_fetch = Some(now);
        effects.push(Effect::Fetch(targets));
    }

    /// Fetches the feed the selected article came from.
    pub(super) fn refresh_source(&mut self, now: u64, effects: &mut Vec<Effect>) {
        // The feed is named by its key, its first address, which its articles keep even
        // when it was renamed since; its name is what the status bar says.
        let feed = self
            .selected_article()
            .and_then(|a| a.origin.as_ref())
            .map(|origin| (origin.feed_key.clone(), origin.feed.clone()));
        match feed {
            Some((key, name)) => {
                let target = key.unwrap_or_else(|| name.clone());
                self.start_fetch(vec![target], Some(name), now, effects);
            }
            None => {
                self.status.notice = Some("the selected article is not from a feed".to_owned());
            }
        }
    }

    /// Fetches the page of the selected feed article for its full text.
    pub(super) fn fetch_full_text(&mut self, effects: &mut Vec<Effect>) {
        let Some(article) = self.selected_article() else {
            return;
        };
        if article.origin.as_ref().is_none_or(|o| o.link.is_none()) {
            self.status.notice =
                Some("only an article saved from a feed has a page to fetch".to_owned());
            return;
        }
        let path = article.path.clone();
        if self.feeds.pages.contains(&path) {
            self.status.notice = Some("already fetching its page".to_owned());
            return;
        }
        self.status.notice = Some("fetching the whole article…".to_owned());
        self.feeds.pages.push(path.clone());
        effects.push(Effect::FetchFullText(path));
    }

    /// The page was read (or not): says so, and shows the full text once it is saved.
    pub(super) fn full_text_done(
        &mut self,
        path: &std::path::Path,
        result: Result<usize, String>,
        effects: &mut Vec<Effect>,
    ) {
        self.feeds.pages.retain(|p| p != path);
        match result {
            Ok(words) => {
                self.status.notice = Some(format!(
                    "the whole article: {words} words below the summary"
                ));
                // Read again: the reader's text, the list's words and the index.
                self.reader.body = None;
                self.reader.requested = None;
                self.reader.page = None;
                self.reload(effects);
            }
            Err(why) => self.status.notice = Some(why),
        }
    }

    /// Fetches by itself when the `refresh` setting says the last fetch is old enough.
    pub(super) fn tick(&mut self, now: u64, effects: &mut Vec<Effect>) {
        let Some(every) = self.feeds.every else {
            return;
        };
        if self.feeds.subscribed == 0 || self.feeds.fetching.is_some() {
            return;
        }
        let due = self
            .feeds
            .last_fetch
            .is_none_or(|last| now.saturating_sub(last) >= every);
        if due {
            self.refresh(now, effects);
        }
    }

    /// One feed is done: counts it, lists it with the warnings if it failed (or takes it off
    /// if it works again), and reads the files again when it brought something.
    pub(super) fn feed_fetched(
        &mut self,
        news: FeedNews,
        now: DateTime<FixedOffset>,
        effects: &mut Vec<Effect>,
    ) {
        if let Some(fetching) = &mut self.feeds.fetching {
            fetching.done = news.done;
            fetching.total = news.total;
            fetching.new += news.new;
        }
        if let Some(sub) = self
            .feeds
            .subscriptions
            .iter_mut()
            .find(|sub| sub.name == news.feed)
        {
            sub.last_fetch = Some(u64::try_from(now.timestamp_millis()).unwrap_or(0));
            sub.failing = news.error.is_some();
        }
        self.feeds.failing.retain(|w| w.path != news.feed);
        if let Some(error) = news.error {
            self.feeds.failing.push(Warning {
                path: news.feed,
                reason: format!("fetch failed at {}: {error}", now.format("%H:%M")),
                skipped: false,
            });
        }
        if news.new > 0 || news.updated > 0 {
            self.reload(effects);
        }
    }

    /// The fetch ended: says what it brought, or why it did not run.
    pub(super) fn fetch_done(&mut self, result: Result<Vec<String>, String>) {
        let fetched = self.feeds.fetching.take().unwrap_or_default();
        match result {
            Ok(notes) => {
                for note in notes {
                    self.note(note);
                }
                let feeds = match (fetched.total, &fetched.only) {
                    (_, Some(name)) => name.clone(),
                    (1, None) => "1 feed".to_owned(),
                    (n, None) => format!("{n} feeds"),
                };
                // The feeds failing are counted beside, with the key that lists them.
                self.status.notice = Some(format!("fetched {feeds} · {} new", fetched.new));
            }
            Err(why) => self.status.notice = Some(format!("not fetched: {why}")),
        }
    }

    /// Reads the files again, or once the read in progress is done.
    fn reload(&mut self, effects: &mut Vec<Effect>) {
        // The first load still running would bring its older catalog after this one.
        if self.feeds.reloading || self.status.loading.is_some() {
            self.feeds.reload_again = true;
        } else {
            self.feeds.reloading = true;
            effects.push(Effect::Reload);
        }
    }

    /// The first load is done: a reload asked for meanwhile can start.
    pub(super) fn loaded(&mut self, effects: &mut Vec<Effect>) {
        if self.status.loading.is_none() && std::mem::take(&mut self.feeds.reload_again) {
            self.reload(effects);
        }
    }

    /// The files read again: the new catalog takes the old one's place, and the selected
    /// article, the first row shown and the article being read stay where they were.
    pub(super) fn reloaded(&mut self, catalog: Arc<Catalog>, effects: &mut Vec<Effect>) {
        let path_of = |app: &App, i: usize| app.catalog.corpus.articles[i].path.clone();
        let selected = self.selected_index().map(|i| path_of(self, i));
        let top = self
            .list
            .results
            .get(self.list.offset)
            .map(|&i| path_of(self, i));
        let (scroll, current_match) = (self.reader.scroll, self.reader.current_match);
        let before = self.catalog.corpus.articles.len();
        let body = self
            .reader
            .body
            .take()
            .filter(|(i, _)| Some(*i) == self.selected_index());
        self.take_catalog(catalog);
        let position = |app: &App, path: &Option<PathBuf>| {
            let path = path.as_ref()?;
            let articles = &app.catalog.corpus.articles;
            app.list
                .results
                .iter()
                .position(|&i| articles[i].path == *path)
        };
        if let Some(at) = position(self, &selected) {
            self.list.selected = at;
            self.reader.scroll = scroll;
            self.reader.current_match = current_match;
            // The text shown until the file is read again: the page keeps its place.
            if let Some((_, body)) = body {
                let index = self.list.results[at];
                self.reader.body = Some((index, body));
                self.reader.requested = Some(index);
                effects.push(Effect::ReadBody(index));
            }
        }
        if let Some(at) = position(self, &top) {
            self.list.offset = at;
        }
        if std::mem::take(&mut self.feeds.rereading) {
            let now = self.catalog.corpus.articles.len();
            self.status.notice = Some(match now.cmp(&before) {
                std::cmp::Ordering::Equal => "the folders read again: nothing new".to_owned(),
                std::cmp::Ordering::Greater => {
                    format!("the folders read again: {} new", now - before)
                }
                std::cmp::Ordering::Less => {
                    format!("the folders read again: {} gone", before - now)
                }
            });
        }
        if let Some(source) = self.feeds.source.take() {
            self.source = source;
        }
        self.feeds.reloading = false;
        if std::mem::take(&mut self.feeds.reload_again) {
            self.reload(effects);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::sync::Arc;

    use chrono::{DateTime, FixedOffset};

    use crate::search::catalog::Catalog;
    use crate::tui::action::{Action, FeedNews, Shared};
    use crate::tui::app::{App, FeedsAtStart};
    use crate::tui::effects::{Effect, step};

    /// 8 March 2026, noon in Paris.
    fn now() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2026-03-08T12:00:00+01:00").unwrap()
    }

    fn millis(at: DateTime<FixedOffset>) -> u64 {
        u64::try_from(at.timestamp_millis()).unwrap()
    }

    fn catalog(days: &[u32]) -> Catalog {
        let texts: Vec<(PathBuf, String)> = days
            .iter()
            .map(|d| {
                let text = format!("date 2026-03-{d:02} Article du {d} mars.\n\nTexte.");
                (PathBuf::from(format!("{d:02}.txt")), text)
            })
            .collect();
        Catalog::from_memory(texts.iter().map(|(p, t)| (p.clone(), t.as_bytes())))
    }

    fn subscribed(days: &[u32], every_hours: Option<u64>, last: Option<u64>) -> App {
        let mut app = App::new(catalog(days), "feeds");
        app.start_with_feeds(FeedsAtStart {
            subscribed: 3,
            every: every_hours.map(|h| std::time::Duration::from_secs(h * 3600)),
            last_fetch: last,
            source: "feeds".to_owned(),
            subscriptions: vec![crate::tui::app::Subscribed {
                name: "Blog".to_owned(),
                key: "https://blog.example/feed".to_owned(),
                ..Default::default()
            }],
            ..FeedsAtStart::default()
        });
        app
    }

    fn news(feed: &str, new: usize, error: Option<&str>) -> Action {
        Action::FeedFetched(FeedNews {
            done: 1,
            total: 3,
            feed: feed.to_owned(),
            new,
            updated: 0,
            error: error.map(str::to_owned),
        })
    }

    fn selected_path(app: &App) -> PathBuf {
        app.selected_article().unwrap().path.clone()
    }

    #[test]
    fn a_check_that_found_nothing_changed_ends_for_its_own_list_only() {
        let mut app = App::checking(catalog(&[1, 2]), "folder");
        let shown = Arc::as_ptr(&app.catalog) as usize;
        // A list that came since (a reload) has its own check: this one is not its end.
        step(&mut app, Action::Unchanged(shown + 1), now());
        let checking = crate::search::catalog::Stage::Checking;
        assert!(matches!(app.status.loading, Some((stage, ..)) if stage == checking));
        step(&mut app, Action::Unchanged(shown), now());
        assert_eq!(app.status.loading, None);
        assert_eq!(app.catalog.corpus.articles.len(), 2, "the list as it was");
    }

    #[test]
    fn r_fetches_once_at_a_time_and_only_with_subscriptions() {
        // Without subscriptions, `r` reads the folders again, and the clock fetches nothing.
        let mut none = App::new(catalog(&[1]), "folder");
        assert_eq!(step(&mut none, Action::Refresh, now()), [Effect::Reload]);
        assert_eq!(
            none.status.notice.as_deref(),
            Some("reading the folders again")
        );
        let more = Action::Reloaded(Shared(Arc::new(catalog(&[1, 2, 3]))));
        step(&mut none, more, now());
        assert_eq!(
            none.status.notice.as_deref(),
            Some("the folders read again: 2 new")
        );
        assert!(step(&mut none, Action::Tick, now()).is_empty());
        assert!(step(&mut none, Action::RefreshSource, now()).is_empty());

        let mut app = subscribed(&[1, 2], None, None);
        assert_eq!(
            step(&mut app, Action::Refresh, now()),
            [Effect::Fetch(Vec::new())]
        );
        assert!(step(&mut app, Action::Refresh, now()).is_empty());
        assert_eq!(app.status.notice.as_deref(), Some("already fetching"));
        step(&mut app, Action::FetchDone(Ok(Vec::new())), now());
        assert!(app.feeds.fetching.is_none());
        assert_eq!(
            step(&mut app, Action::Refresh, now()),
            [Effect::Fetch(Vec::new())]
        );
    }

    #[test]
    fn the_clock_fetches_when_the_last_fetch_is_old_enough() {
        let hour = 3_600_000;
        let at = millis(now());
        let mut due = subscribed(&[1], Some(1), Some(at - 2 * hour));
        assert_eq!(
            step(&mut due, Action::Tick, now()),
            [Effect::Fetch(Vec::new())]
        );
        let mut never_fetched = subscribed(&[1], Some(1), None);
        assert_eq!(step(&mut never_fetched, Action::Tick, now()).len(), 1);
        let mut recent = subscribed(&[1], Some(1), Some(at - hour / 2));
        assert!(step(&mut recent, Action::Tick, now()).is_empty());
        let mut off = subscribed(&[1], None, None);
        assert!(step(&mut off, Action::Tick, now()).is_empty());
        // Fetched by the key a moment ago: the clock waits a whole period again.
        let mut pressed = subscribed(&[1], Some(1), None);
        step(&mut pressed, Action::Refresh, now());
        step(&mut pressed, Action::FetchDone(Ok(Vec::new())), now());
        assert!(step(&mut pressed, Action::Tick, now()).is_empty());
    }

    #[test]
    fn progress_new_articles_and_failures_show_as_they_come() {
        let mut app = subscribed(&[1], None, None);
        step(&mut app, Action::Refresh, now());
        assert_eq!(
            step(&mut app, news("Le Monde", 4, None), now()),
            [Effect::Reload]
        );
        // Another feed brings more while the files are read: read them again after.
        assert!(step(&mut app, news("Libération", 2, None), now()).is_empty());
        assert!(app.feeds.reload_again);
        step(&mut app, news("Blog", 0, Some("HTTP 404 Not Found")), now());
        let fetching = app.feeds.fetching.clone().unwrap();
        assert_eq!((fetching.done, fetching.total, fetching.new), (1, 3, 6));
        assert_eq!(app.feeds.failing.len(), 1);
        assert_eq!(app.feeds.failing[0].path, "Blog");
        assert_eq!(
            app.feeds.failing[0].reason,
            "fetch failed at 12:00: HTTP 404 Not Found"
        );
        assert_eq!(app.warnings().count(), 1);
        let blog = &app.feeds.subscriptions[0];
        assert!(blog.failing, "the sources window marks it");
        assert_eq!(blog.last_fetch, Some(millis(now())));
        let reloaded = Action::Reloaded(Shared(Arc::new(catalog(&[1, 5]))));
        assert_eq!(step(&mut app, reloaded, now()), [Effect::Reload]);
        step(&mut app, Action::FetchDone(Ok(Vec::new())), now());
        assert_eq!(
            app.status.notice.as_deref(),
            Some("fetched 3 feeds · 6 new")
        );
        // The feed works again: it leaves the warnings.
        step(&mut app, Action::Refresh, now());
        step(&mut app, news("Blog", 0, None), now());
        assert!(app.feeds.failing.is_empty());
    }

    #[test]
    fn new_articles_arrive_without_moving_the_selection_or_the_rows() {
        let mut app = subscribed(&[1, 2, 3, 4, 5, 6], None, None);
        step(&mut app, Action::Resize(80, 10), now());
        for _ in 0..4 {
            step(&mut app, Action::Down, now());
        }
        let (selected, offset) = (selected_path(&app), app.list.offset);
        let top = app.list.results[offset];
        let top = app.catalog.corpus.articles[top].path.clone();
        assert_eq!(selected, PathBuf::from("02.txt"));
        // Two newer articles arrive above, one older below.
        let more = Action::Reloaded(Shared(Arc::new(catalog(&[1, 2, 3, 4, 5, 6, 7, 8, 0]))));
        step(&mut app, more, now());
        assert_eq!(app.catalog.corpus.articles.len(), 9);
        assert_eq!(selected_path(&app), selected);
        let shown = app.list.results[app.list.offset];
        assert_eq!(app.catalog.corpus.articles[shown].path, top);
        // The current query applies to the new articles too.
        step(&mut app, Action::FocusFilter, now());
        for c in "mars 2026-03-08".chars() {
            step(&mut app, Action::Insert(c), now());
        }
        let more = Action::Reloaded(Shared(Arc::new(catalog(&[1, 8, 9]))));
        step(&mut app, more, now());
        assert_eq!(app.list.results.len(), 1);
    }

    #[test]
    fn the_article_being_read_stays_open_at_its_line() {
        let mut app = subscribed(&[1, 2, 3], None, None);
        step(&mut app, Action::Resize(120, 40), now());
        step(&mut app, Action::Down, now());
        step(&mut app, Action::Open, now());
        let reading = selected_path(&app);
        let effects = step(
            &mut app,
            Action::Reloaded(Shared(Arc::new(catalog(&[1, 2, 3, 4])))),
            now(),
        );
        // The body is read again from its file (at once here), nothing else is asked.
        assert!(
            effects.iter().all(|e| matches!(e, Effect::SaveMarks(_))),
            "{effects:?}"
        );
        assert_eq!(selected_path(&app), reading);
        let (index, _) = app.reader.body.as_ref().unwrap();
        assert_eq!(app.catalog.corpus.articles[*index].path, reading);
        assert_eq!(app.focus, crate::tui::layout::Focus::Reader);
    }

    #[test]
    fn r_on_a_feed_article_fetches_its_feed() {
        let mut app = subscribed(&[1], None, None);
        assert!(step(&mut app, Action::RefreshSource, now()).is_empty());
        assert_eq!(
            app.status.notice.as_deref(),
            Some("the selected article is not from a feed")
        );
        let saved = "date 2026-03-06\nkiosque-article 1\ntitle: Un titre\nfeed: Le Monde\n\
                     feed-key: https://www.lemonde.fr/rss/une.xml\nkiosque-article end\nTexte.\n";
        let mut app = App::new(
            Catalog::from_memory([(PathBuf::from("m.txt"), saved.as_bytes())]),
            "feeds",
        );
        app.start_with_feeds(FeedsAtStart {
            subscribed: 2,
            ..FeedsAtStart::default()
        });
        assert_eq!(
            step(&mut app, Action::RefreshSource, now()),
            [Effect::Fetch(vec![
                "https://www.lemonde.fr/rss/une.xml".to_owned()
            ])]
        );
        assert_eq!(
            app.feeds.fetching.as_ref().and_then(|f| f.only.as_deref()),
            Some("Le Monde")
        );
    }

    #[test]
    fn t_fetches_the_page_of_a_feed_article_once_and_shows_it_when_saved() {
        let mut plain = subscribed(&[1], None, None);
        assert!(step(&mut plain, Action::FetchFullText, now()).is_empty());
        assert_eq!(
            plain.status.notice.as_deref(),
            Some("only an article saved from a feed has a page to fetch")
        );
        let saved = "date 2026-03-06\nkiosque-article 1\ntitle: Un titre\nlink: https://x.fr/a\n\
                     feed: Le Monde\nkiosque-article end\nRésumé.\n";
        let mut app = App::new(
            Catalog::from_memory([(PathBuf::from("m.txt"), saved.as_bytes())]),
            "feeds",
        );
        let path = PathBuf::from("m.txt");
        assert_eq!(
            step(&mut app, Action::FetchFullText, now()),
            [Effect::FetchFullText(path.clone())]
        );
        assert!(step(&mut app, Action::FetchFullText, now()).is_empty());
        assert_eq!(
            app.status.notice.as_deref(),
            Some("already fetching its page")
        );
        let failed = Action::FullTextDone(path.clone(), Err("nothing readable".to_owned()));
        assert!(step(&mut app, failed, now()).is_empty());
        assert_eq!(app.status.notice.as_deref(), Some("nothing readable"));
        step(&mut app, Action::FetchFullText, now());
        let done = Action::FullTextDone(path, Ok(120));
        assert_eq!(step(&mut app, done, now()), [Effect::Reload]);
        assert_eq!(
            app.status.notice.as_deref(),
            Some("the whole article: 120 words below the summary")
        );
    }
}
