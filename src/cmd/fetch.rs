//! `kiosque fetch [NAME|TAG...]`: fetches the subscribed feeds into the feeds folder.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;
use std::time::Duration;

use crate::cmd::feeds::{clean, fail, subscriptions};
use crate::config::Config;
use crate::feeds::fetch::{FeedResult, Status};
use crate::feeds::refresh::{self, RefreshError};

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
    let chosen = match refresh::choose(&subs, targets) {
        Ok(chosen) => chosen,
        Err(err) => return fail(&err, 2),
    };
    let progress_line = !json && io::stderr().is_terminal();
    let mut new_total = 0;
    let progress = |result: &FeedResult, done: usize, total: usize| {
        new_total += result.new;
        if progress_line {
            let mut err = io::stderr().lock();
            let _ = write!(
                err,
                "\r\x1b[Kfetching: {done}/{total} feeds, {new_total} new articles"
            );
            let _ = err.flush();
        }
    };
    let run = refresh::run(
        &places,
        &subs,
        &chosen,
        &config.fetch,
        RUN_LOCK_WAIT,
        progress,
    );
    if progress_line {
        eprint!("\r\x1b[K");
    }
    let run = match run {
        Ok(run) => run,
        Err(err @ RefreshError::Settings(_)) => return fail(&err, 2),
        Err(err) => return fail(&err, 1),
    };
    for note in &run.notes {
        eprintln!("kiosque: {note}");
    }
    let mut out = io::stdout().lock();
    for result in &run.results {
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
        let _ = writeln!(out, "{}", summary(&run.results));
    }
    if run.results.iter().all(|r| r.status.succeeded()) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
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
