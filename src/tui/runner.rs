//! The runner: the loop of the reader. It draws, blocks on the next event, maps it to an
//! action through the keys, hands it to `update` with the time, and carries out the effects
//! `update` returns, feeding their results back, until an effect says to quit.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError, TryRecvError};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use chrono::{DateTime, FixedOffset};
use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{self, Event, KeyEventKind, MouseButton, MouseEventKind};

use crate::search::loading::LoadEvent;
use crate::store::marks::Store;
use crate::tui::action::{Action, Shared};
use crate::tui::app::App;
use crate::tui::background::{Background, QueryThread};
use crate::tui::effects::{Effect, perform};
use crate::tui::terminal;
use crate::tui::ui::{ViewState, view};
use crate::tui::update::update;

/// Runs the interactive reader until the user quits, taking in the news of a load running
/// on its own thread (`loading::spawn`) when there is one.
pub fn run(
    app: &mut App,
    loader: Option<Receiver<LoadEvent>>,
    store: Option<&Store>,
    background: Option<Background>,
) -> Result<()> {
    let mut terminal = terminal::enter(app.settings.mouse)?;
    let mut runner = Runner {
        terminal: &mut terminal,
        store,
        background,
        queries: None,
        view: ViewState::default(),
        quit: false,
        suspend: false,
        last_tick: Instant::now(),
    };
    let result = runner.event_loop(app, loader);
    terminal::leave();
    result
}

/// Until a load has gone this long, the screen waits for the list rather than showing a
/// gauge that would only flash.
const QUIET_LOAD: Duration = Duration::from_millis(200);
/// While loading, how often the screen wakes up to show progress and take what the load
/// sent: the words answered at start wait at most this long (a frame at 60 Hz).
const PROGRESS_TICK: Duration = Duration::from_millis(16);
/// While a query runs on its thread, how often the screen looks for its answer.
const QUERY_TICK: Duration = Duration::from_millis(2);
/// How often the clock ticks for `update` (`Action::Tick`): fetching by itself is due at
/// most this late.
const CLOCK_TICK: Duration = Duration::from_secs(30);

struct Runner<'a> {
    terminal: &'a mut DefaultTerminal,
    store: Option<&'a Store>,
    /// The threads fetching and reading again, when the reader reads files.
    background: Option<Background>,
    /// The thread that runs queries typed over a large list, once one is.
    queries: Option<QueryThread>,
    /// What the view keeps between frames.
    view: ViewState,
    /// An effect said to quit, or to suspend once the effects of this event are done.
    quit: bool,
    suspend: bool,
    /// When `Action::Tick` was last given.
    last_tick: Instant,
}

/// The time of an action, as `update` takes it: the local date for relative dates, the
/// milliseconds for the marks.
fn now() -> DateTime<FixedOffset> {
    chrono::Local::now().fixed_offset()
}

impl Runner<'_> {
    fn event_loop(&mut self, app: &mut App, mut loader: Option<Receiver<LoadEvent>>) -> Result<()> {
        let size = self.terminal.size()?;
        self.dispatch(app, Action::Resize(size.width, size.height));
        if let Some(events) = &loader {
            let deadline = Instant::now() + QUIET_LOAD;
            while app.catalog.corpus.articles.is_empty() && app.status.loading.is_some() {
                let left = deadline.saturating_duration_since(Instant::now());
                match events.recv_timeout(left) {
                    Ok(event) => self.dispatch(app, action_of(event)),
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => {
                        loader = None;
                        break;
                    }
                }
            }
        }
        // The clock's first tick: fetching by itself may be due at once.
        self.dispatch(app, Action::Tick);
        while !self.quit {
            self.draw(app)?;
            #[cfg(debug_assertions)]
            if std::env::var_os("KIOSQUE_TEST_PANIC").is_some() {
                // Lets the end-to-end tests check that a panic gives the terminal back.
                panic!("panic requested by KIOSQUE_TEST_PANIC");
            }
            let busy = loader.is_some() || self.background.as_ref().is_some_and(Background::busy);
            // A background thread seen done sent all it had before it was: taken now, or
            // its last news would wait, unseen, behind a wait for a key that nothing ends.
            let news: Vec<Action> = self
                .background
                .as_ref()
                .map(|b| b.news().collect())
                .unwrap_or_default();
            if !news.is_empty() {
                for action in news {
                    self.dispatch(app, action);
                }
                continue;
            }
            let querying = self.queries.as_ref().is_some_and(QueryThread::busy);
            let wait = if querying {
                Some(QUERY_TICK)
            } else if busy {
                Some(PROGRESS_TICK)
            } else if app.feeds.every.is_some() && app.feeds.subscribed > 0 {
                Some(CLOCK_TICK.saturating_sub(self.last_tick.elapsed()))
            } else {
                // Nothing will happen by itself: block until the user does something.
                None
            };
            let event = match wait {
                None => Some(event::read().context("reading the terminal")?),
                Some(wait) if event::poll(wait).context("reading the terminal")? => {
                    Some(event::read().context("reading the terminal")?)
                }
                Some(_) => None,
            };
            if let Some(events) = &loader {
                loop {
                    match events.try_recv() {
                        Ok(news) => self.dispatch(app, action_of(news)),
                        Err(TryRecvError::Empty) => break,
                        Err(TryRecvError::Disconnected) => {
                            loader = None;
                            break;
                        }
                    }
                }
            }
            let news: Vec<Action> = self
                .background
                .as_ref()
                .map(|b| b.news().collect())
                .unwrap_or_default();
            for action in news {
                self.dispatch(app, action);
            }
            let answers = self
                .queries
                .as_mut()
                .map(QueryThread::answers)
                .unwrap_or_default();
            for action in answers {
                self.dispatch(app, action);
            }
            if self.last_tick.elapsed() >= CLOCK_TICK {
                self.last_tick = Instant::now();
                self.dispatch(app, Action::Tick);
            }
            if let Some(action) = event.and_then(|event| action_of_event(app, event)) {
                self.dispatch(app, action);
            }
            if std::mem::take(&mut self.suspend) {
                terminal::suspend(self.terminal)?;
                let size = self.terminal.size()?;
                self.dispatch(app, Action::Resize(size.width, size.height));
            }
        }
        Ok(())
    }

    /// Draws a frame, then turns the links it drew into OSC 8 hyperlinks when asked to.
    fn draw(&mut self, app: &App) -> Result<()> {
        {
            let _guard = terminal::lock();
            self.terminal
                .draw(|frame| view(app, &mut self.view, frame))?;
        }
        if app.settings.hyperlinks && !self.view.hyperlinks.is_empty() {
            // Over the text just drawn, the same text as a link: the screen is unchanged for
            // ratatui, and clickable for the user.
            let mut sequences = String::new();
            for link in &self.view.hyperlinks {
                if crate::text::links::safe(&link.url) {
                    sequences.push_str(&crate::text::links::osc8(
                        link.x,
                        link.y,
                        &link.text,
                        &link.url,
                        link.selected,
                    ));
                }
            }
            terminal::write_raw(sequences.as_bytes())?;
        }
        Ok(())
    }

    /// Hands `action` to `update`, carries out the effects it returns and hands their results
    /// back in turn, until nothing is left to do.
    fn dispatch(&mut self, app: &mut App, action: Action) {
        let mut queue = VecDeque::from([action]);
        while let Some(action) = queue.pop_front() {
            for effect in update(app, action, now()) {
                match effect {
                    Effect::Quit => self.quit = true,
                    Effect::Suspend => self.suspend = true,
                    Effect::Fetch(targets) => match &self.background {
                        Some(background) => background.fetch(targets),
                        None => queue.push_back(Action::FetchDone(Err(
                            "this reader shows no feeds".to_owned(),
                        ))),
                    },
                    Effect::FetchFullText(path) => match &self.background {
                        Some(background) => background.full_text(path),
                        None => queue.push_back(Action::FullTextDone(
                            path,
                            Err("this reader shows no feeds".to_owned()),
                        )),
                    },
                    Effect::Query(job) => {
                        if self.queries.is_none() {
                            self.queries = QueryThread::start().ok();
                        }
                        // Without its thread, the query runs here.
                        let unsent = match &mut self.queries {
                            Some(queries) => queries.ask(job).err(),
                            None => Some(job),
                        };
                        queue.extend(unsent.map(|job| job.run()));
                    }
                    Effect::Reload => match &self.background {
                        Some(background) => background.reload(),
                        None => queue.push_back(Action::Notice(
                            "the embedded sample has no folder to read again".to_owned(),
                        )),
                    },
                    other => queue.extend(perform(other, app, self.store)),
                }
            }
        }
    }
}

/// The action a terminal event asks for, if any: keys through the key table, the mouse
/// wheel and left clicks, and the terminal's new size.
fn action_of_event(app: &App, event: Event) -> Option<Action> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => {
            app.settings.keys.action(key, app.mode())
        }
        Event::Resize(width, height) => Some(Action::Resize(width, height)),
        Event::Mouse(mouse) => {
            let (x, y) = (mouse.column, mouse.row);
            match mouse.kind {
                MouseEventKind::ScrollDown => Some(Action::Wheel(x, y, 3)),
                MouseEventKind::ScrollUp => Some(Action::Wheel(x, y, -3)),
                MouseEventKind::Down(MouseButton::Left) => Some(Action::Click(x, y)),
                _ => None,
            }
        }
        _ => None,
    }
}

fn action_of(event: LoadEvent) -> Action {
    match event {
        LoadEvent::Progress(stage, done, total) => Action::Loading(stage, done, total),
        LoadEvent::Listed(catalog) | LoadEvent::Indexed(catalog) => {
            Action::Catalog(Shared(Arc::new(catalog)))
        }
        LoadEvent::Answered(shown, snapshot, known) => {
            Action::Answered(shown, Shared(Arc::new((snapshot, known))))
        }
        // Files may have come and gone since the cache: articles are found again by path.
        LoadEvent::Checked(catalog) => Action::Reloaded(Shared(Arc::new(catalog))),
        LoadEvent::Unchanged(shown) => Action::Unchanged(shown),
    }
}
