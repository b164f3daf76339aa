//! `kiosque [PATH]...`: the interactive reader. Loads on a thread of its own so the first
//! frame comes at once, applies the config, opens the marks, and hands over to the runner.

use std::io::{self, IsTerminal};
use std::path::PathBuf;
use std::process::ExitCode;

use crate::cmd::{Context, Failure, open_marks, report_warnings, source_name};
use crate::config::{Hyperlinks, Links};
use crate::corpus::Warning;
use crate::feeds::places::{self, Places};
use crate::feeds::refresh;
use crate::search::catalog::Catalog;
use crate::search::loading;
use crate::store::remembered::from_cache;
use crate::store::{sample, walk};
use crate::text::links;
use crate::tui::action::Action;
use crate::tui::app::{App, FeedsAtStart, Subscribed};
use crate::tui::background::Background;
use crate::tui::keymap::Mode;
use crate::tui::{self};

pub fn run(context: &Context) -> Result<ExitCode, Failure> {
    if !io::stdout().is_terminal() || !io::stdin().is_terminal() {
        return Err(Failure::Usage(
            "the reader needs a terminal; for scripts, use `kiosque list`".into(),
        ));
    }
    let paths = context.paths_or_configured(&context.cli.paths);
    let config = &context.config;
    let refresh_key = config
        .keys
        .label(&Action::Refresh, Mode::List)
        .unwrap_or_else(|| "`kiosque fetch`".to_owned());
    let (cached, remembered) = (!paths.is_empty())
        .then(|| from_cache(&context.load_options(&paths)))
        .flatten()
        .unzip();
    let (mut app, mut loader) = if paths.is_empty() {
        (App::new(Catalog::indexed(sample::corpus()), "sample"), None)
    } else if let Some(corpus) = cached {
        // The list as it was last time, drawn at once; the files are checked behind it, by
        // a load started once the app is set up (below).
        (
            App::checking(Catalog::listed(corpus), source_name(&paths)),
            None,
        )
    } else {
        let source = source_name(&paths);
        let found = walk::find(&paths);
        // Subscribed but nothing fetched yet: an empty list whose status bar says how to fetch.
        let how = format!("{refresh_key} fetches them");
        let nothing_fetched =
            places::nothing_fetched(&paths, &how).filter(|_| found.files.is_empty());
        if let Some(hint) = nothing_fetched {
            (App::new(Catalog::default(), hint), None)
        } else if found.files.is_empty() {
            report_warnings(&found.warnings);
            return Err(Failure::Failed(format!("no article to show in {source}")));
        } else {
            let loader = loading::spawn(found, context.load_options(&paths))
                .map_err(|err| Failure::Failed(format!("cannot start loading: {err}")))?;
            (App::loading(source), Some(loader))
        }
    };
    app.set_sources(crate::cmd::sources(&paths));
    let env = |name: &str| std::env::var(name).ok();
    app.settings.remote = match config.links {
        Links::Open => false,
        Links::Copy => true,
        Links::Auto => links::remote_without_display(env),
    };
    app.settings.hyperlinks = match config.hyperlinks {
        Hyperlinks::On => true,
        Hyperlinks::Off => false,
        Hyperlinks::Auto => links::hyperlinks_supported(env),
    };
    // https://no-color.org: set and not empty.
    app.settings.colour = config.colour
        && !context.cli.no_color
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    app.settings.keys = config.keys.clone();
    app.settings.reading_width = config.width;
    app.settings.mouse = config.mouse;
    app.settings.typesetting = context.typesetting();
    // Read and starred marks: without them kiosque still reads, and says why.
    let store = match open_marks() {
        Ok((store, marks, recovery)) => {
            app.start_with_marks(marks);
            if let Some(recovery) = recovery {
                app.note(recovery.to_string());
            }
            Some(store)
        }
        Err(err) => {
            app.note(format!("read and starred marks will not be saved: {err}"));
            None
        }
    };
    let background = background(&mut app, &paths, context);
    if let Some(remembered) = remembered {
        // The load thread shares the list shown; its own copy is made there, not here.
        let shown = std::sync::Arc::clone(&app.catalog);
        let options = context.load_options(&paths);
        let started = loading::spawn_checked(shown, remembered, paths.clone(), options)
            .map_err(|err| Failure::Failed(format!("cannot start loading: {err}")))?;
        loader = Some(started);
    }
    tui::run(&mut app, loader, store.as_ref(), background)
        .map_err(|err| Failure::Failed(format!("{err:#}")))?;
    Ok(ExitCode::SUCCESS)
}

/// The threads that read the files again (after a full text, a fetch), and fetch the
/// feeds when the reader reads the feeds folder: then what it knows of them at start too.
fn background(app: &mut App, paths: &[PathBuf], context: &Context) -> Option<Background> {
    if paths.is_empty() {
        return None;
    }
    let background = Background::new(
        paths.to_vec(),
        context.load_options(paths),
        context.config.fetch.clone(),
    );
    let Some(places) = Places::from_env()
        .ok()
        .filter(|places| paths.contains(&places.feeds_root))
    else {
        return Some(background);
    };
    match refresh::overview(&places) {
        Ok(overview) => app.start_with_feeds(FeedsAtStart {
            subscribed: overview.subscribed,
            every: context.config.fetch.refresh,
            last_fetch: overview.last_fetch,
            failing: overview
                .failing
                .into_iter()
                .map(|(path, reason)| Warning {
                    path,
                    reason,
                    skipped: false,
                })
                .collect(),
            source: source_name(paths),
            subscriptions: overview
                .feeds
                .into_iter()
                .map(|feed| Subscribed {
                    name: feed.name,
                    key: feed.key,
                    tags: feed.tags,
                    last_fetch: feed.last_fetch,
                    failing: feed.failing,
                })
                .collect(),
        }),
        Err(err) => app.note(format!("the feeds cannot be fetched from here: {err}")),
    }
    Some(background)
}
