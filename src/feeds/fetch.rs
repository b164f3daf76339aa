//! Fetches many feeds at once on a pool of threads, never more than `per_host` requests at a
//! time to one host, and turns each answer into article files.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Condvar, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use serde::Serialize;

use crate::feeds::fetch_state::{FeedState, FetchState, clock, from_millis, millis};
use crate::feeds::http::{self, Body, Client, Conditional, Fetched, HttpError};
use crate::feeds::item::FeedDoc;
use crate::feeds::subscriptions::{Subscription, Subscriptions};

/// How many feeds are fetched at once, and how politely.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// Threads making requests.
    pub workers: usize,
    /// Requests at a time to one host.
    pub per_host: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            workers: 24,
            per_host: 1,
        }
    }
}

/// One feed to fetch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Job {
    /// Its folder under the feeds folder, and its key in the fetch state.
    pub key: String,
    /// What the user calls it.
    pub label: String,
    /// The name its articles carry: the subscription's, else the feed's own title.
    pub name: Option<String>,
    pub url: String,
    /// Articles older than this are deleted after the fetch (starred ones stay).
    pub keep: Option<std::time::Duration>,
    /// Whether each new article's page is fetched for its full text (`fulltext = true`).
    pub fulltext: bool,
}

impl Job {
    /// The job of fetching `feed`, one of `subs`.
    pub fn new(subs: &Subscriptions, feed: &Subscription) -> Job {
        Job {
            key: feed.key().to_owned(),
            label: feed.label(),
            name: feed.name.clone(),
            url: feed.url.clone(),
            keep: subs.keep_for(feed).map(|k| k.duration),
            fulltext: feed.fulltext,
        }
    }
}

/// How one feed's fetch ended, as `kiosque fetch --json` prints it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Fetched and saved.
    Ok,
    /// The server said nothing changed (304).
    NotModified,
    Failed,
    /// Not asked this time: the server asked kiosque to wait (`Retry-After`).
    Deferred,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::NotModified => "not-modified",
            Status::Failed => "failed",
            Status::Deferred => "deferred",
        }
    }

    pub fn succeeded(self) -> bool {
        matches!(self, Status::Ok | Status::NotModified)
    }
}

/// One feed's result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FeedResult {
    pub feed: String,
    pub url: String,
    pub status: Status,
    pub new: usize,
    pub updated: usize,
    pub error: Option<String>,
    /// The feed's new address when the server moved it for good.
    #[serde(skip)]
    pub moved_to: Option<String>,
    #[serde(skip)]
    pub key: String,
    /// Old articles deleted by `keep`.
    #[serde(skip)]
    pub removed: usize,
    /// The files of the new articles.
    #[serde(skip)]
    pub new_paths: Vec<PathBuf>,
    /// New articles given their full text (`fulltext = true`); those that could not be are
    /// named in `error`, the status staying `Ok`.
    #[serde(skip)]
    pub full_texts: usize,
}

/// What a fetch run needs besides its jobs.
pub struct Context<'a> {
    pub client: &'a Client,
    pub feeds_root: &'a Path,
    /// The fetch state as it was when the run started.
    pub state: &'a FetchState,
    pub now: SystemTime,
    /// Whether an article file is starred: `keep` never deletes those.
    pub is_starred: &'a (dyn Fn(&Path) -> bool + Sync),
}

/// What a run learnt, to save in the fetch state.
#[derive(Debug, Default)]
pub struct Outcome {
    /// In the order of the jobs.
    pub results: Vec<FeedResult>,
    pub states: BTreeMap<String, FeedState>,
    /// Hosts that asked to wait, and until when (milliseconds since 1970).
    pub hosts: BTreeMap<String, u64>,
}

/// The jobs not yet started and the requests running per host.
struct Queue {
    pending: Vec<usize>,
    active: HashMap<String, usize>,
    /// Hosts that asked to wait, until when.
    waiting: HashMap<String, SystemTime>,
}

/// Fetches every job, calling `progress(result, done, total)` on this thread as each ends.
pub fn fetch_all(
    jobs: &[Job],
    options: &Options,
    cx: &Context<'_>,
    mut progress: impl FnMut(&FeedResult, usize, usize),
) -> Outcome {
    let hosts: Vec<String> = jobs.iter().map(|j| http::host_of(&j.url)).collect();
    let waiting = cx
        .state
        .hosts
        .iter()
        .map(|(host, &until)| (host.clone(), from_millis(until)))
        .filter(|(_, until)| *until > cx.now)
        .collect();
    let queue = Mutex::new(Queue {
        pending: (0..jobs.len()).collect(),
        active: HashMap::new(),
        waiting,
    });
    let ready = Condvar::new();
    let (sender, receiver) = mpsc::channel();
    let per_host = options.per_host.max(1);
    let mut outcome = Outcome::default();
    let mut results: Vec<Option<FeedResult>> = vec![None; jobs.len()];
    std::thread::scope(|scope| {
        for _ in 0..options.workers.max(1).min(jobs.len()) {
            let sender = sender.clone();
            let (queue, ready, hosts) = (&queue, &ready, &hosts);
            scope.spawn(move || {
                while let Some((i, wait)) = next_job(queue, ready, hosts, per_host) {
                    let answered = match wait {
                        Some(until) => Err(Box::new(deferred(&jobs[i], cx, &hosts[i], until))),
                        None => request(&jobs[i], cx),
                    };
                    let asked = answered.as_ref().err().and_then(|done| done.2);
                    // The host is free once its answer is in: parsing and saving are not
                    // requests, and the next feed of that host need not wait for them.
                    {
                        let mut q = queue.lock().unwrap_or_else(PoisonError::into_inner);
                        if let Some(n) = q.active.get_mut(&hosts[i]) {
                            *n = n.saturating_sub(1);
                        }
                        if let Some(until) = asked {
                            q.waiting.insert(hosts[i].clone(), until);
                        }
                    }
                    ready.notify_all();
                    let (result, state, asked) = match answered {
                        Ok((state, fetched)) => {
                            let (mut result, state) = adopt(&jobs[i], cx, state, &fetched, None);
                            if jobs[i].fulltext {
                                let get = |url: &str| get_page(queue, ready, per_host, cx, url);
                                full_texts(&mut result, get);
                            }
                            (result, state, None)
                        }
                        Err(done) => *done,
                    };
                    if sender.send((i, result, state, asked)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(sender);
        let mut done = 0;
        for (i, result, state, asked) in receiver {
            done += 1;
            progress(&result, done, jobs.len());
            outcome.states.insert(jobs[i].key.clone(), state);
            if let Some(until) = asked {
                outcome.hosts.insert(hosts[i].clone(), millis(until));
            }
            results[i] = Some(result);
        }
    });
    outcome.results = results.into_iter().flatten().collect();
    outcome
}

/// The next job whose host is free, and when its host asked to wait until, if it did; `None`
/// once every job is taken. Blocks while every remaining job's host is busy.
fn next_job(
    queue: &Mutex<Queue>,
    ready: &Condvar,
    hosts: &[String],
    per_host: usize,
) -> Option<(usize, Option<SystemTime>)> {
    let mut q = queue.lock().unwrap_or_else(PoisonError::into_inner);
    loop {
        if q.pending.is_empty() {
            return None;
        }
        let free = q.pending.iter().position(|&i| {
            q.waiting.contains_key(&hosts[i])
                || q.active.get(&hosts[i]).copied().unwrap_or(0) < per_host
        });
        if let Some(at) = free {
            let i = q.pending.remove(at);
            *q.active.entry(hosts[i].clone()).or_insert(0) += 1;
            let wait = q.waiting.get(&hosts[i]).copied();
            return Some((i, wait));
        }
        q = ready.wait(q).unwrap_or_else(PoisonError::into_inner);
    }
}

type Done = (FeedResult, FeedState, Option<SystemTime>);

fn result(job: &Job, status: Status, error: Option<String>) -> FeedResult {
    FeedResult {
        feed: job.label.clone(),
        url: job.url.clone(),
        status,
        new: 0,
        updated: 0,
        error,
        moved_to: None,
        key: job.key.clone(),
        removed: 0,
        new_paths: Vec::new(),
        full_texts: 0,
    }
}

/// A job not fetched because its host asked to wait.
fn deferred(job: &Job, cx: &Context<'_>, host: &str, until: SystemTime) -> Done {
    let mut state = cx.state.feeds.get(&job.key).cloned().unwrap_or_default();
    let error = format!("not fetched: {host} asked to wait until {}", clock(until));
    state.last_status = Some(Status::Deferred.as_str().to_owned());
    state.last_error = Some(error.clone());
    (result(job, Status::Deferred, Some(error)), state, None)
}

/// Asks the server for one feed: its answer and the feed's state so far, or how it ended
/// (a wait still running, an error).
fn request(job: &Job, cx: &Context<'_>) -> Result<(FeedState, Fetched), Box<Done>> {
    let mut state = cx.state.feeds.get(&job.key).cloned().unwrap_or_default();
    let now_ms = millis(cx.now);
    if let Some(until) = state.retry_after.filter(|&t| t > now_ms) {
        let error = format!(
            "not fetched: the server asked to wait until {}",
            clock(from_millis(until))
        );
        state.last_status = Some(Status::Deferred.as_str().to_owned());
        state.last_error = Some(error.clone());
        return Err(Box::new((
            result(job, Status::Deferred, Some(error)),
            state,
            None,
        )));
    }
    state.last_attempt = Some(now_ms);
    state.retry_after = None;
    let conditional = if state.validated_url.as_deref() == Some(job.url.as_str()) {
        Conditional {
            etag: state.etag.clone(),
            last_modified: state.last_modified.clone(),
        }
    } else {
        Conditional::default()
    };
    let fail = |mut state: FeedState, status: Status, error: String| {
        state.last_status = Some(status.as_str().to_owned());
        state.last_error = Some(error.clone());
        state.last_error_at = Some(now_ms);
        (result(job, status, Some(error)), state)
    };
    match cx.client.get(&job.url, &conditional) {
        Ok(fetched) => Ok((state, fetched)),
        Err(HttpError::RetryAfter { code, until }) => {
            state.retry_after = Some(millis(until));
            let error = HttpError::RetryAfter { code, until }.to_string();
            let (result, state) = fail(state, Status::Deferred, error);
            Err(Box::new((result, state, Some(until))))
        }
        Err(err) => {
            let (result, state) = fail(state, Status::Failed, err.to_string());
            Err(Box::new((result, state, None)))
        }
    }
}

/// Turns a successful exchange into articles and the feed's new state: parses the body
/// (unless the caller already did, as `feeds add` does), saves the items, applies `keep`.
pub fn adopt(
    job: &Job,
    cx: &Context<'_>,
    mut state: FeedState,
    fetched: &Fetched,
    parsed: Option<FeedDoc>,
) -> (FeedResult, FeedState) {
    let now_ms = millis(cx.now);
    let fail = |mut state: FeedState, error: String| {
        state.last_status = Some(Status::Failed.as_str().to_owned());
        state.last_error = Some(error.clone());
        state.last_error_at = Some(now_ms);
        // The validators belong to a body kiosque could not use: ask for it whole next time.
        state.etag = None;
        state.last_modified = None;
        let mut failed = result(job, Status::Failed, Some(error));
        failed.url = fetched.moved_to.clone().unwrap_or_else(|| job.url.clone());
        failed.moved_to = fetched.moved_to.clone();
        (failed, state)
    };
    let mut out = result(job, Status::Ok, None);
    if let Some(to) = &fetched.moved_to {
        out.url = to.clone();
        state.moved = Some(format!(
            "moved from {} to {to} on {}",
            job.url,
            clock(cx.now)
        ));
    }
    out.moved_to = fetched.moved_to.clone();
    state.max_age = fetched.max_age;
    // A 304 may carry fresher validators; a 200 without any clears the old ones.
    if fetched.body != Body::NotModified
        || fetched.validators.etag.is_some()
        || fetched.validators.last_modified.is_some()
    {
        state.etag = fetched.validators.etag.clone();
        state.last_modified = fetched.validators.last_modified.clone();
    }
    state.validated_url = Some(out.url.clone());
    let Body::Full { bytes, charset, .. } = &fetched.body else {
        out.status = Status::NotModified;
        state.last_status = Some(out.status.as_str().to_owned());
        state.last_success = Some(now_ms);
        return (out, state);
    };
    let now = chrono::DateTime::<chrono::Local>::from(cx.now).fixed_offset();
    let mut doc = match parsed {
        Some(doc) => doc,
        None => match crate::feeds::parse::parse_feed(bytes, charset.as_deref(), &fetched.url, now)
        {
            Ok(doc) => doc,
            Err(err) => return fail(state, format!("not a feed: {err}")),
        },
    };
    state.ttl_minutes = doc.ttl_minutes;
    let keep = job.keep.and_then(|k| chrono::Duration::from_std(k).ok());
    if let Some(keep) = keep {
        // Items `keep` would delete are not saved: else every fetch would bring them back.
        doc.items
            .retain(|item| item.published.is_none_or(|date| date >= now - keep));
    }
    let name = job
        .name
        .clone()
        .or_else(|| doc.title.clone())
        .unwrap_or_else(|| job.label.clone());
    match crate::feeds::write::save_items(cx.feeds_root, &job.key, &name, &doc.items) {
        Ok(report) => {
            out.new = report.new;
            out.updated = report.updated;
            out.new_paths = report.new_paths;
        }
        Err(err) => return fail(state, format!("cannot save its articles: {err}")),
    }
    if let Some(keep) = keep {
        match crate::feeds::write::retain(cx.feeds_root, &job.key, keep, |p| (cx.is_starred)(p)) {
            Ok(removed) => out.removed = removed,
            Err(err) => out.error = Some(format!("saved, but old articles stay: {err}")),
        }
    }
    state.last_status = Some(out.status.as_str().to_owned());
    state.last_success = Some(now_ms);
    (out, state)
}

/// Fetches the full text of each new article of `result`'s feed, saying in its `error`
/// which could not be given theirs: the feed itself was fetched, and they keep their summary.
fn full_texts(result: &mut FeedResult, get: impl Fn(&str) -> Result<Fetched, HttpError>) {
    let (added, note) = crate::feeds::fulltext::fill(&result.new_paths, get);
    result.full_texts = added;
    if let Some(note) = note {
        result.error = Some(match result.error.take() {
            Some(error) => format!("{error}; {note}"),
            None => note,
        });
    }
}

/// GETs the page of a new article as one more request to its host: it waits while the host
/// has `per_host` requests running, and a host that asked kiosque to wait is not asked.
fn get_page(
    queue: &Mutex<Queue>,
    ready: &Condvar,
    per_host: usize,
    cx: &Context<'_>,
    url: &str,
) -> Result<Fetched, HttpError> {
    let host = http::host_of(url);
    {
        let mut q = queue.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            if let Some(&until) = q.waiting.get(&host) {
                return Err(HttpError::Other(format!(
                    "not fetched: {host} asked to wait until {}",
                    clock(until)
                )));
            }
            let active = q.active.entry(host.clone()).or_insert(0);
            if *active < per_host {
                *active += 1;
                break;
            }
            q = ready.wait(q).unwrap_or_else(PoisonError::into_inner);
        }
    }
    let answer = cx.client.get(url, &Conditional::default());
    {
        let mut q = queue.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(n) = q.active.get_mut(&host) {
            *n = n.saturating_sub(1);
        }
        if let Err(HttpError::RetryAfter { until, .. }) = &answer {
            q.waiting.insert(host, *until);
        }
    }
    ready.notify_all();
    answer
}

/// The `[fetch]` settings of the config file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FetchSettings {
    pub http: http::Settings,
    pub pool: Options,
    /// The reader fetches by itself when the last fetch is older than this, on start and
    /// then while it is open; `None` (`refresh = "never"`) leaves fetching to the user.
    pub refresh: Option<Duration>,
}

/// How often the reader fetches by itself unless the config says otherwise.
pub const DEFAULT_REFRESH: Duration = Duration::from_secs(3600);

impl Default for FetchSettings {
    fn default() -> Self {
        FetchSettings {
            http: http::Settings::default(),
            pool: Options::default(),
            refresh: Some(DEFAULT_REFRESH),
        }
    }
}

/// Reads a refresh period as the config writes it: `"never"`, or a number and `min`, `h`
/// or `d` (`"30min"`, `"1h"`, `"2d"`). Less than five minutes would only burden the
/// servers, more than a year is never.
pub fn parse_refresh(text: &str) -> Result<Option<Duration>, String> {
    let t = text.trim();
    if t.eq_ignore_ascii_case("never") {
        return Ok(None);
    }
    let problem =
        || format!("refresh is “{text}”: write \"never\", or a number and min, h or d, as \"1h\"");
    let digits = t.find(|c: char| !c.is_ascii_digit()).ok_or_else(problem)?;
    let n: u64 = t[..digits].parse().map_err(|_| problem())?;
    let unit = match t[digits..].trim() {
        "min" | "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return Err(problem()),
    };
    let seconds = n.checked_mul(unit).ok_or_else(problem)?;
    if seconds < 300 {
        return Err(format!(
            "refresh is “{text}”: at least 5min, so servers are not burdened"
        ));
    }
    if seconds > 366 * 86_400 {
        return Err(problem());
    }
    Ok(Some(Duration::from_secs(seconds)))
}

/// A refresh period as the config writes it.
pub fn refresh_text(refresh: Option<Duration>) -> String {
    let Some(every) = refresh else {
        return "never".to_owned();
    };
    let s = every.as_secs();
    if s % 86_400 == 0 {
        format!("{}d", s / 86_400)
    } else if s % 3600 == 0 {
        format!("{}h", s / 3600)
    } else {
        format!("{}min", s / 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn jobs_go_out_one_per_host_and_waiting_hosts_at_once() {
        let hosts: Vec<String> = ["a", "a", "b", "c"].map(str::to_owned).to_vec();
        let until = SystemTime::UNIX_EPOCH + Duration::from_secs(1);
        let queue = Mutex::new(Queue {
            pending: (0..4).collect(),
            active: HashMap::new(),
            waiting: HashMap::from([("c".to_owned(), until)]),
        });
        let ready = Condvar::new();
        let next = || next_job(&queue, &ready, &hosts, 1);
        assert_eq!(next(), Some((0, None)));
        // Host a is busy: its second feed waits, the others go.
        assert_eq!(next(), Some((2, None)));
        assert_eq!(next(), Some((3, Some(until))));
        queue.lock().unwrap().active.insert("a".to_owned(), 0);
        assert_eq!(next(), Some((1, None)));
        assert_eq!(next(), None);
    }

    #[test]
    fn refresh_periods_read_back_as_written() {
        for (text, seconds) in [
            ("1h", 3600),
            ("30min", 1800),
            ("2d", 172_800),
            ("90m", 5400),
        ] {
            let every = parse_refresh(text).unwrap();
            assert_eq!(every, Some(Duration::from_secs(seconds)), "{text}");
            assert_eq!(parse_refresh(&refresh_text(every)).unwrap(), every);
        }
        assert_eq!(parse_refresh("never").unwrap(), None);
        assert_eq!(refresh_text(None), "never");
        for bad in [
            "",
            "h",
            "1",
            "1s",
            "2min",
            "1x",
            "-1h",
            "99999999999999999999d",
            "400d",
        ] {
            assert!(parse_refresh(bad).is_err(), "{bad}");
        }
    }
}
