//! Work the reader hands to threads of its own so that no key ever waits for it: fetching
//! the feeds, and reading the files again once new articles arrived. Each thread reports
//! back as actions, through the one channel the runner listens to.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use crate::feeds::fetch::{FeedResult, FetchSettings};
use crate::feeds::fulltext::fetch_full_text;
use crate::feeds::http::{Client, ProxyEnv};
use crate::feeds::places::{Places, load_subscriptions};
use crate::feeds::refresh::{self, clean};
use crate::search::loading;
use crate::store::load::LoadOptions;
use crate::tui::action::{Action, FeedNews, Shared};
use crate::tui::effects::QueryJob;

/// How long a refresh waits for a `kiosque fetch` running elsewhere before saying so.
const FETCH_LOCK_WAIT: Duration = Duration::from_secs(2);

/// What the reader read, to read it again, and how it fetches.
pub struct Background {
    paths: Vec<PathBuf>,
    options: LoadOptions,
    fetch: FetchSettings,
    send: Sender<Action>,
    receive: Receiver<Action>,
    /// Threads started and not done yet.
    running: Arc<AtomicUsize>,
    /// Held while a page is fetched for its full text: one request at a time, however
    /// many articles the user asks for, so no site gets more than fetching would send it.
    pages: Arc<Mutex<()>>,
}

impl Background {
    pub fn new(paths: Vec<PathBuf>, options: LoadOptions, fetch: FetchSettings) -> Self {
        let (send, receive) = mpsc::channel();
        Background {
            paths,
            options,
            fetch,
            send,
            receive,
            running: Arc::new(AtomicUsize::new(0)),
            pages: Arc::new(Mutex::new(())),
        }
    }

    /// True while a thread is at work: the runner then wakes up often to show its news. A
    /// thread counts as done only once it has sent all it had: the news taken after this
    /// says false is all there is.
    pub fn busy(&self) -> bool {
        self.running.load(Ordering::SeqCst) > 0
    }

    /// The news the threads sent, waiting to be handed to `update`.
    pub fn news(&self) -> impl Iterator<Item = Action> + '_ {
        self.receive.try_iter()
    }

    /// Fetches the feeds `targets` names (every feed when empty): `Action::FeedFetched` for
    /// each feed as it ends, then `Action::FetchDone`. The subscriptions are read now, so a
    /// feed added in another terminal since the reader started is fetched too.
    pub fn fetch(&self, targets: Vec<String>) {
        let settings = self.fetch.clone();
        self.spawn("fetch", move |send| {
            let progress = |result: &FeedResult, done: usize, total: usize| {
                let _ = send.send(Action::FeedFetched(news_of(result, done, total)));
            };
            let run = || -> Result<Vec<String>, String> {
                let places = Places::from_env()?;
                let subs = load_subscriptions(&places)?;
                let chosen = refresh::choose(&subs, &targets)?;
                let run = refresh::run(
                    &places,
                    &subs,
                    &chosen,
                    &settings,
                    FETCH_LOCK_WAIT,
                    progress,
                )
                .map_err(|err| clean(&err.to_string()))?;
                Ok(run.notes)
            };
            let _ = send.send(Action::FetchDone(run()));
        })
        .unwrap_or_else(|why| {
            let _ = self.send.send(Action::FetchDone(Err(why)));
        });
    }

    /// Fetches the page of the feed article in `path` and saves its full text below its
    /// summary, with the same limits as fetching (timeouts, size caps): answered by
    /// `Action::FullTextDone`.
    pub fn full_text(&self, path: PathBuf) {
        let settings = self.fetch.http.clone();
        let done = path.clone();
        let pages = Arc::clone(&self.pages);
        self.spawn("page", move |send| {
            let _one_at_a_time = pages.lock().unwrap_or_else(PoisonError::into_inner);
            let result = Client::new(settings, &ProxyEnv::from_env())
                .map_err(|err| clean(&err.to_string()))
                .and_then(|client| {
                    fetch_full_text(&client, &path)
                        .map(|text| text.words)
                        .map_err(|err| clean(&err.to_string()))
                });
            let _ = send.send(Action::FullTextDone(path, result));
        })
        .unwrap_or_else(|why| {
            let _ = self.send.send(Action::FullTextDone(done, Err(why)));
        });
    }

    /// Reads every file again, new ones included, and indexes their words:
    /// `Action::Reloaded`. The list cache and the words of unchanged files make it quick.
    pub fn reload(&self) {
        let (paths, options) = (self.paths.clone(), self.options.clone());
        self.spawn("reload", move |send| {
            let catalog = loading::reload(&paths, &options);
            let _ = send.send(Action::Reloaded(Shared(Arc::new(catalog))));
        })
        .unwrap_or_else(|why| {
            let _ = self.send.send(Action::Notice(why));
        });
    }

    /// Runs `work` on a thread named `name`, counted while it runs, or says why it could
    /// not start. A send fails only once the reader quit: the work is then simply dropped.
    fn spawn(
        &self,
        name: &str,
        work: impl FnOnce(&Sender<Action>) + Send + 'static,
    ) -> Result<(), String> {
        let send = self.send.clone();
        let running = Arc::clone(&self.running);
        running.fetch_add(1, Ordering::SeqCst);
        let started = std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || {
                work(&send);
                running.fetch_sub(1, Ordering::SeqCst);
            });
        started.map(drop).map_err(|err| {
            self.running.fetch_sub(1, Ordering::SeqCst);
            format!("cannot start the {name}: {err}")
        })
    }
}

/// What the status bar and the warnings need of one feed's result.
fn news_of(result: &FeedResult, done: usize, total: usize) -> FeedNews {
    FeedNews {
        done,
        total,
        feed: clean(&result.feed),
        new: result.new,
        updated: result.updated,
        error: result
            .error
            .as_deref()
            .filter(|_| !result.status.succeeded())
            .map(clean),
    }
}

/// The thread that runs the queries typed over a large list, so that no key waits for one:
/// it runs the last query asked and skips those a later key made stale.
pub struct QueryThread {
    jobs: Sender<QueryJob>,
    answers: Receiver<Action>,
    /// The number of the last query asked, and of the last one answered.
    asked: u64,
    answered: u64,
}

impl QueryThread {
    pub fn start() -> std::io::Result<Self> {
        let (jobs, todo) = mpsc::channel::<QueryJob>();
        let (answer, answers) = mpsc::channel();
        std::thread::Builder::new()
            .name("query".into())
            .spawn(move || {
                while let Ok(mut job) = todo.recv() {
                    // Keys typed while the last query ran: only the newest counts.
                    while let Ok(newer) = todo.try_recv() {
                        job = newer;
                    }
                    if answer.send(job.run()).is_err() {
                        return;
                    }
                }
            })?;
        Ok(QueryThread {
            jobs,
            answers,
            asked: 0,
            answered: 0,
        })
    }

    /// Hands `job` to the thread, or gives it back if the thread is gone.
    pub fn ask(&mut self, job: QueryJob) -> Result<(), QueryJob> {
        let generation = job.generation;
        self.jobs.send(job).map_err(|failed| failed.0)?;
        self.asked = generation;
        Ok(())
    }

    /// True while the last query asked is not answered: the runner then looks often.
    pub fn busy(&self) -> bool {
        self.answered < self.asked
    }

    /// The answers come so far.
    pub fn answers(&mut self) -> Vec<Action> {
        let answers: Vec<Action> = self.answers.try_iter().collect();
        for answer in &answers {
            if let Action::QueryDone(generation, _) = answer {
                self.answered = self.answered.max(*generation);
            }
        }
        answers
    }
}
