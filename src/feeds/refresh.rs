//! One fetch run, as `kiosque fetch` and the reader's refresh both do it: one run at a time
//! (a lock beside the feeds), the fetch state read before and saved after, and the
//! subscriptions of feeds that moved for good pointed to their new address.

use std::time::{Duration, SystemTime};

use crate::feeds::fetch::{self, Context, FeedResult, FetchSettings, Job, Status};
use crate::feeds::fetch_state::{self, FetchStateError, StateFile, now_millis};
use crate::feeds::http::{Client, ProxyEnv};
use crate::feeds::places::{Places, is_starred_fn};
use crate::feeds::subscriptions::{self, Subscription, Subscriptions};
use crate::text::sanitize::{Place, sanitize};

/// What a run did.
#[derive(Debug, Default)]
pub struct Run {
    /// One per feed fetched, in the order of the subscriptions chosen.
    pub results: Vec<FeedResult>,
    /// What the user should know besides the results: feeds moved for good, a fetch state
    /// that could not be saved. One line each, safe to show.
    pub notes: Vec<String>,
}

/// Why a run did not start.
#[derive(Debug, thiserror::Error)]
pub enum RefreshError {
    /// Another kiosque is fetching (a `kiosque fetch`, or another reader's refresh).
    #[error("another kiosque is fetching the feeds; try again once it ends")]
    Busy,
    /// The `[fetch]` settings cannot make a client (a bad proxy address…).
    #[error("{0}")]
    Settings(String),
    #[error("{0}")]
    State(FetchStateError),
}

/// What the reader shows of the feeds when it starts.
#[derive(Debug, Default)]
pub struct Overview {
    /// How many feeds are subscribed.
    pub subscribed: usize,
    /// When the last fetch of any feed started (milliseconds since 1970).
    pub last_fetch: Option<u64>,
    /// The feeds whose last fetch failed: name, and why and when, safe to show.
    pub failing: Vec<(String, String)>,
    /// Every feed, in feeds.toml's order.
    pub feeds: Vec<FeedOverview>,
}

/// One feed as the reader lists it among the sources.
#[derive(Debug, Default)]
pub struct FeedOverview {
    /// Its name, safe to show.
    pub name: String,
    pub key: String,
    /// Safe to show.
    pub tags: Vec<String>,
    /// When it was last fetched (milliseconds since 1970), and whether that failed.
    pub last_fetch: Option<u64>,
    pub failing: bool,
}

/// The subscriptions and their fetch state, as the reader shows them.
pub fn overview(places: &Places) -> Result<Overview, String> {
    let subs = crate::feeds::places::load_subscriptions(places)?;
    let state = StateFile::open(places.fetch_state.clone())
        .map(|(_, state)| state)
        .map_err(|err| err.to_string())?;
    let mut overview = Overview {
        subscribed: subs.feeds.len(),
        ..Overview::default()
    };
    for feed in &subs.feeds {
        let st = state.feeds.get(feed.key());
        let failing =
            st.is_some_and(|st| st.last_status.as_deref() == Some(Status::Failed.as_str()));
        overview.feeds.push(FeedOverview {
            name: clean(&feed.label()),
            key: feed.key().to_owned(),
            tags: feed.tags.iter().map(|t| clean(t)).collect(),
            last_fetch: st.and_then(|st| st.last_attempt),
            failing,
        });
        let Some(st) = st else {
            continue;
        };
        overview.last_fetch = overview.last_fetch.max(st.last_attempt);
        if failing {
            let when = st
                .last_error_at
                .map(|at| format!(" at {}", fetch_state::clock(fetch_state::from_millis(at))))
                .unwrap_or_default();
            let why = st.last_error.as_deref().unwrap_or("no reason given");
            overview.failing.push((
                clean(&feed.label()),
                clean(&format!("fetch failed{when}: {why}")),
            ));
        }
    }
    Ok(overview)
}

/// Fetches `chosen` (feeds of `subs`) into the feeds folder, calling
/// `progress(result, done, total)` as each feed ends. Waits up to `wait` for another run.
pub fn run(
    places: &Places,
    subs: &Subscriptions,
    chosen: &[&Subscription],
    settings: &FetchSettings,
    wait: Duration,
    progress: impl FnMut(&FeedResult, usize, usize),
) -> Result<Run, RefreshError> {
    let _running = fetch_state::create_dir(&places.data)
        .and_then(|()| fetch_state::lock(&places.data.join("fetch.lock"), wait))
        .map_err(|err| match err {
            FetchStateError::Busy { .. } => RefreshError::Busy,
            other => RefreshError::State(other),
        })?;
    let (state_file, state) =
        StateFile::open(places.fetch_state.clone()).map_err(RefreshError::State)?;
    let client = Client::new(settings.http.clone(), &ProxyEnv::from_env())
        .map_err(|err| RefreshError::Settings(err.to_string()))?;
    let jobs: Vec<Job> = chosen.iter().map(|feed| Job::new(subs, feed)).collect();
    let is_starred = is_starred_fn();
    let cx = Context {
        client: &client,
        feeds_root: &places.feeds_root,
        state: &state,
        now: SystemTime::now(),
        is_starred: &is_starred,
    };
    let outcome = fetch::fetch_all(&jobs, &settings.pool, &cx, progress);
    let mut notes = Vec::new();
    let saved = state_file.update(|saved| {
        let now = now_millis();
        saved.hosts.retain(|_, until| *until > now);
        saved.hosts.extend(outcome.hosts.clone());
        for (key, feed) in &outcome.states {
            saved.feeds.insert(key.clone(), feed.clone());
        }
    });
    if let Err(err) = saved {
        notes.push(clean(&err.to_string()));
    }
    notes.extend(apply_moves(places, &outcome.results));
    Ok(Run {
        results: outcome.results,
        notes,
    })
}

/// The feeds `targets` name (by name, URL or tag, in any case), or all of them.
pub fn choose<'a>(
    subs: &'a Subscriptions,
    targets: &[String],
) -> Result<Vec<&'a Subscription>, String> {
    if targets.is_empty() {
        return Ok(subs.feeds.iter().collect());
    }
    let mut chosen: Vec<&Subscription> = Vec::new();
    for target in targets {
        let matching: Vec<&Subscription> = subs
            .feeds
            .iter()
            .filter(|f| {
                f.is_named(target)
                    || f.key() == target
                    || f.tags.iter().any(|t| t.eq_ignore_ascii_case(target))
            })
            .collect();
        if matching.is_empty() {
            return Err(format!(
                "no feed or tag is called “{}” (see `kiosque feeds list`)",
                clean(target)
            ));
        }
        for feed in matching {
            if !chosen.iter().any(|c| c.url == feed.url) {
                chosen.push(feed);
            }
        }
    }
    Ok(chosen)
}

/// Points the subscriptions of feeds moved for good (301, 308) to their new address, and
/// says so.
fn apply_moves(places: &Places, results: &[FeedResult]) -> Vec<String> {
    let moves: Vec<(&FeedResult, &String)> = results
        .iter()
        .filter_map(|r| r.moved_to.as_ref().map(|to| (r, to)))
        .collect();
    if moves.is_empty() {
        return Vec::new();
    }
    let edited = subscriptions::edit(
        &places.subscriptions,
        &places.edit_lock(),
        |current, doc| {
            for (result, to) in &moves {
                let old = current
                    .feeds
                    .iter()
                    .find(|f| f.key() == result.key)
                    .map(|f| f.url.clone());
                if let Some(old) = old {
                    subscriptions::move_url(doc, &old, to)?;
                }
            }
            Ok(())
        },
    );
    moves
        .iter()
        .map(|(result, to)| match &edited {
            Ok(()) => format!(
                "{} moved for good; feeds.toml now says {}",
                clean(&result.feed),
                clean(to)
            ),
            Err(err) => format!(
                "{} moved for good to {}, but feeds.toml could not say so: {}",
                clean(&result.feed),
                clean(to),
                clean(&err.to_string())
            ),
        })
        .collect()
}

/// Text from a feed or the network, made safe to print or draw on one line.
pub fn clean(text: &str) -> String {
    sanitize(text, Place::Title)
}
