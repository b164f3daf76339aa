//! `kiosque feeds add|list|remove|import|export`: the subscription list from the command
//! line.

use std::fs;
use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::SystemTime;

use crate::cli::FeedsCommand;
use crate::config::Config;
use crate::feeds::fetch::{self, Context, Job, Status};
use crate::feeds::fetch_state::{self, FeedState, StateFile, clock, from_millis};
use crate::feeds::http::{self, Body, Client, Conditional, Fetched, ProxyEnv};
use crate::feeds::item::FeedDoc;
use crate::feeds::places::{
    Places, articles, feed_folder, fingerprint_of, is_starred_fn, load_subscriptions, marks,
};
use crate::feeds::subscriptions::{self, Subscription, Subscriptions};
use crate::feeds::{opml, parse};
use crate::text::display::shown;
use crate::text::sanitize::{Place, sanitize};

/// Feed text (or anything that came from a server) made safe to print: one line, no
/// control or invisible character.
pub fn clean(text: &str) -> String {
    sanitize(text, Place::Title)
}

/// Where feeds live and the subscription list, or the exit of a command that cannot find
/// them (it said why).
pub(crate) fn subscriptions() -> Result<(Places, Subscriptions), ExitCode> {
    let places = Places::from_env().map_err(|err| fail(&err, 2))?;
    let subs = load_subscriptions(&places).map_err(|err| fail(&err, 2))?;
    Ok((places, subs))
}

pub fn run(action: &FeedsCommand, config: &Config) -> ExitCode {
    let (places, subs) = match subscriptions() {
        Ok(found) => found,
        Err(code) => return code,
    };
    match action {
        FeedsCommand::Add { url, name } => add(&places, &subs, url, name.as_deref(), config),
        FeedsCommand::List { json } => list(&places, &subs, *json),
        FeedsCommand::Remove {
            feed,
            delete_articles,
        } => remove(&places, &subs, feed, *delete_articles),
        FeedsCommand::Import { file } => import(&places, file),
        FeedsCommand::Export => {
            let mut out = io::stdout().lock();
            match out.write_all(&opml::export(&subs.feeds)) {
                Err(err) if err.kind() != io::ErrorKind::BrokenPipe => fail(&err, 1),
                _ => ExitCode::SUCCESS,
            }
        }
    }
}

/// Says what went wrong and gives the exit status.
pub(crate) fn fail(message: &dyn std::fmt::Display, code: u8) -> ExitCode {
    eprintln!("kiosque: {message}");
    ExitCode::from(code)
}

fn parsed(fetched: &Fetched) -> Result<FeedDoc, String> {
    let now = chrono::Local::now().fixed_offset();
    match &fetched.body {
        Body::Full { bytes, charset, .. } => {
            parse::parse_feed(bytes, charset.as_deref(), &fetched.url, now)
                .map_err(|e| e.to_string())
        }
        Body::NotModified => {
            Err("the server answered 304 Not Modified to a plain request".to_owned())
        }
    }
}

fn add(
    places: &Places,
    subs: &Subscriptions,
    url: &str,
    name: Option<&str>,
    config: &Config,
) -> ExitCode {
    if let Err(err) = http::parse_url(url) {
        return fail(&err, 2);
    }
    let already = |url: &str| subs.feeds.iter().find(|f| f.url == url || f.key() == url);
    if let Some(feed) = already(url) {
        return fail(
            &format!(
                "already subscribed to {} as “{}”",
                clean(url),
                clean(&feed.label())
            ),
            1,
        );
    }
    let client = match Client::new(config.fetch.http.clone(), &ProxyEnv::from_env()) {
        Ok(client) => client,
        Err(err) => return fail(&err, 2),
    };
    let fetched = match client.get(url, &Conditional::default()) {
        Ok(fetched) => fetched,
        Err(err) => return fail(&format!("cannot fetch {}: {err}", clean(url)), 1),
    };
    let (feed_url, fetched, doc) = match parsed(&fetched) {
        Ok(doc) => (
            fetched.moved_to.clone().unwrap_or_else(|| url.to_owned()),
            fetched,
            doc,
        ),
        Err(problem) => {
            let Body::Full { bytes, .. } = &fetched.body else {
                return fail(&problem, 1);
            };
            // A web page: the feeds it announces, first readable one wins.
            let candidates = parse::discover(bytes, &fetched.url);
            let mut found = None;
            for candidate in candidates.iter().take(8) {
                if let Some(feed) = already(candidate) {
                    return fail(
                        &format!(
                            "{} announces {}, already subscribed as “{}”",
                            clean(url),
                            clean(candidate),
                            clean(&feed.label())
                        ),
                        1,
                    );
                }
                let Ok(answer) = client.get(candidate, &Conditional::default()) else {
                    continue;
                };
                if let Ok(doc) = parsed(&answer) {
                    found = Some((
                        answer.moved_to.clone().unwrap_or_else(|| candidate.clone()),
                        answer,
                        doc,
                    ));
                    break;
                }
            }
            match found {
                Some(found) => found,
                None if candidates.is_empty() => {
                    return fail(
                        &format!(
                            "{} is not a feed ({}) and announces none",
                            clean(url),
                            clean(&problem)
                        ),
                        2,
                    );
                }
                None => {
                    return fail(
                        &format!(
                            "{} is not a feed, and none of the {} feeds it announces could be read",
                            clean(url),
                            candidates.len()
                        ),
                        2,
                    );
                }
            }
        }
    };
    if let Some(feed) = already(&feed_url) {
        return fail(
            &format!(
                "already subscribed to {} as “{}”",
                clean(&feed_url),
                clean(&feed.label())
            ),
            1,
        );
    }
    let mut feed = Subscription::new(&feed_url);
    feed.name = name
        .map(str::to_owned)
        .or_else(|| doc.title.as_deref().map(crate::store::header::one_line))
        .filter(|n| !n.trim().is_empty());
    if let Err(err) = subscriptions::edit(&places.subscriptions, &places.edit_lock(), |_, doc| {
        subscriptions::append(doc, &feed)
    }) {
        return fail(&err, 1);
    }
    let (state_file, state) = match StateFile::open(places.fetch_state.clone()) {
        Ok(opened) => opened,
        Err(err) => return fail(&err, 1),
    };
    let is_starred = is_starred_fn();
    let cx = Context {
        client: &client,
        feeds_root: &places.feeds_root,
        state: &state,
        now: SystemTime::now(),
        is_starred: &is_starred,
    };
    let mut with_feed = subs.clone();
    with_feed.feeds.push(feed.clone());
    let job = Job::new(&with_feed, &feed);
    let fresh = FeedState {
        last_attempt: Some(fetch_state::millis(cx.now)),
        ..FeedState::default()
    };
    let (result, feed_state) = fetch::adopt(&job, &cx, fresh, &fetched, Some(doc));
    if let Err(err) = state_file.update(|s| {
        s.feeds.insert(job.key.clone(), feed_state);
    }) {
        eprintln!("kiosque: {err}");
    }
    let label = clean(&feed.label());
    match result.status {
        Status::Ok => {
            println!(
                "subscribed to “{label}” ({}): {} saved",
                clean(&feed_url),
                articles_count(result.new + result.updated)
            );
            ExitCode::SUCCESS
        }
        _ => fail(
            &format!(
                "subscribed to “{label}”, but {}",
                clean(
                    result
                        .error
                        .as_deref()
                        .unwrap_or("its articles could not be saved")
                )
            ),
            1,
        ),
    }
}

fn list(places: &Places, subs: &Subscriptions, json: bool) -> ExitCode {
    let state = StateFile::open(places.fetch_state.clone())
        .map(|(_, s)| s)
        .unwrap_or_default();
    let marks = marks().unwrap_or_default();
    let mut out = io::BufWriter::new(io::stdout().lock());
    for feed in &subs.feeds {
        let st = state.feeds.get(feed.key()).cloned().unwrap_or_default();
        let files = feed_folder(&places.feeds_root, feed.key())
            .map(|f| articles(&f))
            .unwrap_or_default();
        let unread = files
            .iter()
            .filter(|p| fingerprint_of(p).is_some_and(|f| !marks.is_read(f)))
            .count();
        let last_fetch = st.last_attempt.map(|t| clock(from_millis(t)));
        let written = if json {
            let row = serde_json::json!({
                "name": clean(&feed.label()),
                "url": clean(&feed.url),
                "tags": feed.tags.iter().map(|t| clean(t)).collect::<Vec<_>>(),
                "last_fetch": last_fetch,
                "result": st.last_status,
                "error": st.last_error.as_deref().filter(|_| st.last_status.as_deref() != Some("ok") && st.last_status.as_deref() != Some("not-modified")).map(clean),
                "articles": files.len(),
                "unread": unread,
                "ttl_minutes": st.ttl_minutes,
                "max_age": st.max_age,
                "moved": st.moved.as_deref().map(clean),
            });
            writeln!(out, "{row}")
        } else {
            let tags = if feed.tags.is_empty() {
                String::new()
            } else {
                format!(
                    "  [{}]",
                    feed.tags
                        .iter()
                        .map(|t| clean(t))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            let fetched = match (&last_fetch, &st.last_status) {
                (Some(when), Some(status)) => match st
                    .last_error
                    .as_deref()
                    .filter(|_| status == "failed" || status == "deferred")
                {
                    Some(error) => format!("last fetch {when}: {status}: {}", clean(error)),
                    None => format!("last fetch {when}: {status}"),
                },
                _ => "never fetched".to_owned(),
            };
            let ttl = match (st.ttl_minutes, st.max_age) {
                (Some(ttl), _) => format!(", ttl {ttl} min"),
                (None, Some(age)) => format!(", max-age {age} s"),
                (None, None) => String::new(),
            };
            writeln!(
                out,
                "{}{tags}\n  {}\n  {fetched}; {}, {unread} unread{ttl}",
                clean(&feed.label()),
                clean(&feed.url),
                articles_count(files.len())
            )
        };
        if written.is_err() {
            return ExitCode::SUCCESS;
        }
    }
    if subs.feeds.is_empty() && !json {
        let _ = writeln!(
            out,
            "no subscriptions yet: add a feed with `kiosque feeds add URL`"
        );
    }
    let _ = out.flush();
    ExitCode::SUCCESS
}

fn remove(places: &Places, subs: &Subscriptions, what: &str, delete: bool) -> ExitCode {
    let matching: Vec<&Subscription> = subs
        .feeds
        .iter()
        .filter(|f| f.is_named(what) || f.key() == what)
        .collect();
    let feed = match matching[..] {
        [feed] => feed,
        [] => {
            return fail(
                &format!(
                    "no feed is called “{}” (see `kiosque feeds list`)",
                    clean(what)
                ),
                1,
            );
        }
        _ => {
            return fail(
                &format!(
                    "“{}” names {} feeds: give the URL",
                    clean(what),
                    matching.len()
                ),
                2,
            );
        }
    };
    if let Err(err) = subscriptions::edit(&places.subscriptions, &places.edit_lock(), |_, doc| {
        subscriptions::remove(doc, &feed.url)
    }) {
        return fail(&err, 1);
    }
    if let Ok((file, _)) = StateFile::open(places.fetch_state.clone()) {
        let _ = file.update(|s| {
            s.feeds.remove(feed.key());
        });
    }
    let label = clean(&feed.label());
    let folder = feed_folder(&places.feeds_root, feed.key());
    match (folder, delete) {
        (Some(folder), true) => {
            let count = articles(&folder).len();
            // feed_folder only returns a real folder directly inside the feeds folder.
            match fs::remove_dir_all(&folder) {
                Ok(()) => println!("removed “{label}” and deleted its {count} articles"),
                Err(err) => {
                    return fail(
                        &format!(
                            "removed “{label}”, but cannot delete {}: {err}",
                            shown(&folder)
                        ),
                        1,
                    );
                }
            }
        }
        (Some(folder), false) => println!(
            "removed “{label}”; its {} stay in {} (--delete-articles deletes them)",
            articles_count(articles(&folder).len()),
            shown(&folder)
        ),
        (None, _) => println!("removed “{label}”"),
    }
    ExitCode::SUCCESS
}

fn import(places: &Places, file: &Path) -> ExitCode {
    let too_big = fs::metadata(file).is_ok_and(|m| m.len() > opml::MAX_OPML as u64);
    let bytes = match fs::read(file) {
        Ok(_) if too_big => {
            return fail(
                &format!(
                    "{} is over {} MB: not a list of feeds",
                    shown(file),
                    opml::MAX_OPML >> 20
                ),
                2,
            );
        }
        Ok(bytes) => bytes,
        Err(err) => return fail(&format!("cannot read {}: {err}", shown(file)), 2),
    };
    let feeds = match opml::import(&bytes) {
        Ok(feeds) => feeds,
        Err(err) => return fail(&format!("{}, {err}", shown(file)), 2),
    };
    let done = subscriptions::edit(
        &places.subscriptions,
        &places.edit_lock(),
        |current, doc| {
            let mut added: Vec<&Subscription> = Vec::new();
            let mut skipped = Vec::new();
            for feed in &feeds {
                let known = current
                    .feeds
                    .iter()
                    .any(|f| f.url == feed.url || f.key() == feed.url)
                    || added.iter().any(|f| f.url == feed.url);
                if known {
                    skipped.push(feed.url.clone());
                } else {
                    subscriptions::append(doc, feed)?;
                    added.push(feed);
                }
            }
            Ok((added.len(), skipped))
        },
    );
    match done {
        Ok((added, skipped)) => {
            for url in &skipped {
                eprintln!("kiosque: skipped {} (already subscribed)", clean(url));
            }
            println!(
                "imported {added} feeds from {}; {} skipped as duplicates{}",
                shown(file),
                skipped.len(),
                if added > 0 {
                    "; run `kiosque fetch` to fetch them"
                } else {
                    ""
                }
            );
            ExitCode::SUCCESS
        }
        Err(err) => fail(&err, 1),
    }
}

/// `1 article`, `3 articles`.
fn articles_count(n: usize) -> String {
    if n == 1 {
        "1 article".to_owned()
    } else {
        format!("{n} articles")
    }
}
