//! `kiosque fetch [NAME|TAG...]`: fetches the subscribed feeds into the feeds folder.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;
use std::time::{Duration, SystemTime};

use crate::cmd::feeds::{clean, fail, subscriptions};
use crate::config::Config;
use crate::feeds::fetch::{self, Context, FeedResult, Job, Status};
use crate::feeds::fetch_state::{self, FetchStateError, StateFile, now_millis};
use crate::feeds::http::{Client, ProxyEnv};
use crate::feeds::places::{Places, is_starred_fn};
use crate::feeds::subscriptions::{self, Subscription, Subscriptions};

/// How long a second `kiosque fetch` waits for the first before saying so.
const RUN_LOCK_WAIT: Duration = Duration::from_secs(2);

pub fn run(targets: &[String], json: bool, config: &Config) -> ExitCode {
    let (places, subs) = match subscriptions() {
        Ok(found) => found,
        Err(code) => return code,
    };
    if subs.feeds.is_empty() {
        eprintln!("kiosque: no subscriptions yet: add a feed with `kiosque feeds add URL`");
        return ExitCode::SUCCESS;
    }
    let chosen = match choose(&subs, targets) {
        Ok(chosen) => chosen,
        Err(err) => return fail(&err, 2),
    };
    let _running = match fetch_state::create_dir(&places.data)
        .and_then(|()| fetch_state::lock(&places.data.join("fetch.lock"), RUN_LOCK_WAIT))
    {
        Ok(lock) => lock,
        Err(FetchStateError::Busy { .. }) => {
            return fail(
                &"another `kiosque fetch` is running; try again once it ends",
                1,
            );
        }
        Err(err) => return fail(&err, 1),
    };
    let (state_file, state) = match StateFile::open(places.fetch_state.clone()) {
        Ok(opened) => opened,
        Err(err) => return fail(&err, 1),
    };
    let client = match Client::new(config.fetch.http.clone(), &ProxyEnv::from_env()) {
        Ok(client) => client,
        Err(err) => return fail(&err, 2),
    };
    let jobs: Vec<Job> = chosen.iter().map(|feed| Job::new(&subs, feed)).collect();
    let is_starred = is_starred_fn();
    let cx = Context {
        client: &client,
        feeds_root: &places.feeds_root,
        state: &state,
        now: SystemTime::now(),
        is_starred: &is_starred,
    };
    let progress_line = !json && io::stderr().is_terminal();
    let mut new_total = 0;
    let outcome = fetch::fetch_all(&jobs, &config.fetch.pool, &cx, |result, done, total| {
        new_total += result.new;
        if progress_line {
            let mut err = io::stderr().lock();
            let _ = write!(
                err,
                "\r\x1b[Kfetching: {done}/{total} feeds, {new_total} new articles"
            );
            let _ = err.flush();
        }
    });
    if progress_line {
        eprint!("\r\x1b[K");
    }
    let saved = state_file.update(|saved| {
        let now = now_millis();
        saved.hosts.retain(|_, until| *until > now);
        saved.hosts.extend(outcome.hosts.clone());
        for (key, feed) in &outcome.states {
            saved.feeds.insert(key.clone(), feed.clone());
        }
    });
    if let Err(err) = saved {
        eprintln!("kiosque: {err}");
    }
    apply_moves(&places, &outcome.results);
    let mut out = io::stdout().lock();
    for result in &outcome.results {
        let line = if json {
            json_line(result)
        } else {
            text_line(result)
        };
        if let Err(err) = writeln!(out, "{line}") {
            if err.kind() == io::ErrorKind::BrokenPipe {
                break;
            }
        }
    }
    if !json {
        let _ = writeln!(out, "{}", summary(&outcome.results));
    }
    if outcome.results.iter().all(|r| r.status.succeeded()) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// The feeds `targets` name (by name, URL or tag, in any case), or all of them.
fn choose<'a>(
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
            .filter(|f| f.is_named(target) || f.tags.iter().any(|t| t.eq_ignore_ascii_case(target)))
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

/// Points the subscriptions of feeds moved for good (301, 308) to their new address.
fn apply_moves(places: &Places, results: &[FeedResult]) {
    let moves: Vec<(&FeedResult, &String)> = results
        .iter()
        .filter_map(|r| r.moved_to.as_ref().map(|to| (r, to)))
        .collect();
    if moves.is_empty() {
        return;
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
    for (result, to) in &moves {
        match &edited {
            Ok(()) => eprintln!(
                "kiosque: {} moved for good; feeds.toml now says {}",
                clean(&result.feed),
                clean(to)
            ),
            Err(err) => eprintln!(
                "kiosque: {} moved for good to {}, but feeds.toml could not say so: {err}",
                clean(&result.feed),
                clean(to)
            ),
        }
    }
}

fn json_line(result: &FeedResult) -> String {
    serde_json::json!({
        "feed": clean(&result.feed),
        "url": clean(&result.url),
        "status": result.status.as_str(),
        "new": result.new,
        "updated": result.updated,
        "error": result.error.as_deref().map(clean),
    })
    .to_string()
}

fn text_line(result: &FeedResult) -> String {
    let feed = clean(&result.feed);
    let what = match result.status {
        Status::Ok => {
            let mut what = format!("{} new, {} updated", result.new, result.updated);
            if result.full_texts > 0 {
                let plural = if result.full_texts == 1 { "" } else { "s" };
                what.push_str(&format!(", {} full text{plural}", result.full_texts));
            }
            if result.removed > 0 {
                what.push_str(&format!(", {} old deleted", result.removed));
            }
            what
        }
        Status::NotModified => "not modified".to_owned(),
        Status::Failed => "failed".to_owned(),
        Status::Deferred => "deferred".to_owned(),
    };
    match &result.error {
        Some(error) => format!("{feed}: {what}: {}", clean(error)),
        None => format!("{feed}: {what}"),
    }
}

fn summary(results: &[FeedResult]) -> String {
    let count = |s: Status| results.iter().filter(|r| r.status == s).count();
    let new: usize = results.iter().map(|r| r.new).sum();
    let updated: usize = results.iter().map(|r| r.updated).sum();
    let feeds = match results.len() {
        1 => "1 feed".to_owned(),
        n => format!("{n} feeds"),
    };
    let new = match new {
        1 => "1 new article".to_owned(),
        n => format!("{n} new articles"),
    };
    let mut line = format!(
        "{feeds}: {} fetched, {} not modified, {} failed, {} deferred; {new}, {updated} updated",
        count(Status::Ok),
        count(Status::NotModified),
        count(Status::Failed),
        count(Status::Deferred),
    );
    if results.iter().any(|r| r.new > 0) {
        line.push_str(" (read them with `kiosque`)");
    }
    line
}
