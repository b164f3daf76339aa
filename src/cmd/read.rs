//! `kiosque [PATH]...`: the interactive reader. Loads on a thread of its own so the first
//! frame comes at once, applies the config, opens the marks, and hands over to the runner.

use std::io::{self, IsTerminal};
use std::process::ExitCode;

use crate::cmd::{Context, Failure, open_marks, report_warnings, source_name};
use crate::config::{Hyperlinks, Links};
use crate::feeds::places;
use crate::search::catalog::{self, Catalog};
use crate::store::{sample, walk};
use crate::text::links;
use crate::tui::{self, app::App};

pub fn run(context: &Context) -> Result<ExitCode, Failure> {
    if !io::stdout().is_terminal() || !io::stdin().is_terminal() {
        return Err(Failure::Usage(
            "the reader needs a terminal; for scripts, use `kiosque list`".into(),
        ));
    }
    let paths = context.paths_or_configured(&context.cli.paths);
    let (mut app, loader) = if paths.is_empty() {
        (App::new(Catalog::indexed(sample::corpus()), "sample"), None)
    } else {
        let source = source_name(&paths);
        let (files, warnings) = walk::find(&paths);
        // Subscribed but nothing fetched yet: an empty list whose status bar says how to fetch.
        let nothing_fetched = places::nothing_fetched(&paths).filter(|_| files.is_empty());
        if let Some(hint) = nothing_fetched {
            (App::new(Catalog::default(), hint), None)
        } else if files.is_empty() {
            report_warnings(&warnings);
            return Err(Failure::Failed(format!("no article to show in {source}")));
        } else {
            let loader = catalog::spawn(files, warnings, context.load_options(&paths))
                .map_err(|err| Failure::Failed(format!("cannot start loading: {err}")))?;
            (App::loading(source), Some(loader))
        }
    };
    app.set_sources(crate::cmd::sources(&paths));
    let config = &context.config;
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
    tui::run(&mut app, loader, store.as_ref())
        .map_err(|err| Failure::Failed(format!("{err:#}")))?;
    Ok(ExitCode::SUCCESS)
}
