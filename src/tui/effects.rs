//! The effects `update` asks for, and carrying them out: reading an article's body, saving
//! the marks, opening a link in the browser, copying one through the terminal (OSC 52).
//! Each result comes back to `update` as an action.

use std::collections::VecDeque;
use std::sync::Arc;
use std::thread;

use chrono::{DateTime, FixedOffset};

use crate::store::marks::{Change, Store};
use crate::tui::action::{Action, Shared};
use crate::tui::app::App;
use crate::tui::update::update;

/// A query to run away from the keys: the catalog and marks it runs on, in the order asked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryJob {
    /// Its number: only the answer to the last one asked is shown.
    pub generation: u64,
    pub catalog: Shared<crate::search::catalog::Catalog>,
    /// The marks, for a query about the read state (`is:`).
    pub marks: Option<Shared<crate::store::marks::Marks>>,
    pub query: crate::search::query::Query,
    pub sort: crate::tui::app::Sort,
}

impl QueryJob {
    /// Runs the query: the results in the order asked for.
    pub fn run(&self) -> Action {
        let none = crate::store::marks::Marks::default();
        let marks = self.marks.as_ref().map_or(&none, |m| &*m.0);
        let results =
            crate::tui::update::evaluate(&self.catalog.0, marks, &self.query, self.sort, false);
        Action::QueryDone(self.generation, Shared(Arc::new(results)))
    }
}

/// Something `update` wants done outside the model.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Effect {
    /// Read the body of the article at this corpus position; answered by
    /// `Action::BodyRead`.
    ReadBody(usize),
    /// Save these changes to the marks; answered by `Action::MarksSaved` or
    /// `Action::SaveFailed`.
    SaveMarks(Vec<Change>),
    /// Open a link in the user's browser; a failure comes back as `Action::Notice`.
    OpenLink(String),
    /// Put a link in the clipboard of the user's terminal (OSC 52), also through ssh.
    CopyLink(String),
    /// Fetch these feeds (names or addresses; none means every one) on a thread of their
    /// own; answered by `Action::FeedFetched` for each, then `Action::FetchDone`.
    Fetch(Vec<String>),
    /// Fetch the page of the feed article in this file and save its full text below the
    /// summary, on a thread of its own; answered by `Action::FullTextDone`.
    FetchFullText(std::path::PathBuf),
    /// Run a query typed over a large list on the query thread; answered by
    /// `Action::QueryDone`.
    Query(QueryJob),
    /// Read the files again, new ones included, on a thread of their own; answered by
    /// `Action::Reloaded`.
    Reload,
    /// Give the terminal back to the shell until `fg` (Ctrl-Z).
    Suspend,
    /// End the reader.
    Quit,
}

/// Carries out one effect and returns the actions that report its results. Without a store
/// the marks are not saved (kiosque said why at start). Suspending and quitting change the
/// runner's loop, not the world: the runner takes them before they get here.
pub(crate) fn perform(effect: Effect, app: &App, store: Option<&Store>) -> Vec<Action> {
    match effect {
        Effect::ReadBody(index) => read_body(app, index).into_iter().collect(),
        Effect::SaveMarks(changes) => store.map_or_else(Vec::new, |s| save(s, changes)),
        Effect::OpenLink(url) => open_in_browser(&url)
            .err()
            .map(Action::Notice)
            .into_iter()
            .collect(),
        Effect::CopyLink(url) => {
            match crate::tui::terminal::write_raw(crate::text::links::osc52(&url).as_bytes()) {
                Ok(()) => Vec::new(),
                Err(err) => vec![Action::Notice(format!("could not copy the link: {err}"))],
            }
        }
        // Work for the background (`tui::background`): the runner starts it.
        // Run inline: `step` (tests, benches) and a reader without its query thread.
        Effect::Query(job) => vec![job.run()],
        Effect::Fetch(_)
        | Effect::FetchFullText(_)
        | Effect::Reload
        | Effect::Suspend
        | Effect::Quit => Vec::new(),
    }
}

/// Runs `action` through `update` and reads at once the bodies it asks for, feeding them
/// back, as the runner does before it draws. Returns every other effect asked for on the
/// way, for the caller to look at. For tests, benches and tools that drive the reader
/// without a terminal.
pub fn step(app: &mut App, action: Action, now: DateTime<FixedOffset>) -> Vec<Effect> {
    let mut queue = VecDeque::from([action]);
    let mut others = Vec::new();
    while let Some(action) = queue.pop_front() {
        for effect in update(app, action, now) {
            match effect {
                Effect::ReadBody(index) => queue.extend(read_body(app, index)),
                Effect::Query(job) => queue.push_back(job.run()),
                other => others.push(other),
            }
        }
    }
    others
}

/// Reads the body of article `index` from its file.
fn read_body(app: &App, index: usize) -> Option<Action> {
    let article = app.catalog.corpus.articles.get(index)?;
    let body = crate::store::read::body(article);
    Some(Action::BodyRead(index, Arc::new(body)))
}

/// Saves `changes` and reports the marks as merged with what other kiosque processes saved
/// meanwhile, or why they could not be saved.
fn save(store: &Store, changes: Vec<Change>) -> Vec<Action> {
    match store.save(&changes) {
        Ok((marks, recovery)) => {
            let mut actions = vec![Action::MarksSaved(Shared(Arc::new(marks)), changes)];
            if let Some(recovery) = recovery {
                actions.push(Action::SaveFailed(recovery.to_string()));
            }
            actions
        }
        Err(err) => vec![Action::SaveFailed(err.to_string())],
    }
}

/// Starts `$BROWSER` (its first entry, as a program and its own arguments) or `xdg-open`
/// with the link as one argument, no shell in between, and lets it run on its own.
fn open_in_browser(url: &str) -> Result<(), String> {
    if !crate::text::links::safe(url) {
        return Err(format!(
            "not opened: {url} is not an http, https or mailto link"
        ));
    }
    let browser = std::env::var("BROWSER").unwrap_or_default();
    let mut words = browser
        .split(':')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .map(str::to_owned)
        .collect::<Vec<_>>()
        .into_iter();
    let program = words.next().unwrap_or_else(|| "xdg-open".to_owned());
    let mut child = std::process::Command::new(&program)
        .args(words)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|err| format!("could not start {program}: {err}"))?;
    // Reaped when it ends, so no process is left behind as a zombie.
    thread::spawn(move || child.wait());
    Ok(())
}
