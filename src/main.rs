//! The `kiosque` binary: parses the command line and hands over to the library.

#![forbid(unsafe_code)]

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use kiosque::app::App;
use kiosque::cli::{Cli, Command, StateCommand};
use kiosque::config::{self, Config};
use kiosque::load::{self, LoadOptions, Warning};
use kiosque::query::Query;
use kiosque::state::{self, Marks};
use kiosque::wrap::Typesetting;
use kiosque::{cache, listing, sample, show, tui};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let config_path = config::default_path();
    // The locale as the C library reads it: LC_ALL first, then LANG.
    let lang = ["LC_ALL", "LANG"]
        .iter()
        .find_map(|name| std::env::var(name).ok().filter(|v| !v.is_empty()));
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let config = match &config_path {
        Some(path) => config::load(path, lang.as_deref(), home.as_deref()),
        None => Ok(Config::defaults(lang.as_deref())),
    };
    let config = match config {
        Ok(config) => config,
        Err(err) => {
            let file = config_path.as_deref().map_or_else(String::new, load::shown);
            eprintln!("kiosque: {file}, {err}");
            return ExitCode::from(2);
        }
    };
    let options = |paths: &[PathBuf]| LoadOptions {
        max_size: cli.max_size,
        cache: cache::default_dir()
            .filter(|_| !cli.no_cache && !paths.is_empty())
            .map(|dir| cache::path_for(&dir, paths)),
    };
    // No path: the config's and the feeds folder, else the embedded sample.
    let or_configured = |paths: &Vec<PathBuf>| {
        if paths.is_empty() {
            kiosque::feeds::places::default_paths(&config.paths)
        } else {
            paths.clone()
        }
    };
    match &cli.command {
        Some(Command::List { paths, query, json }) => {
            let paths = or_configured(paths);
            list(&paths, &options(&paths), query.as_deref(), *json)
        }
        Some(Command::State { action }) => state_command(action),
        Some(Command::Feeds { action }) => kiosque::cmd::feeds::run(action, &config),
        Some(Command::Fetch { feeds, json }) => kiosque::cmd::fetch::run(feeds, *json, &config),
        Some(Command::Completions { shell }) => {
            let mut command = Cli::command();
            clap_complete::generate(*shell, &mut command, "kiosque", &mut io::stdout());
            ExitCode::SUCCESS
        }
        Some(Command::Man) => {
            match clap_mangen::Man::new(Cli::command()).render(&mut io::stdout()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(err) if err.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(err) => {
                    eprintln!("kiosque: {err}");
                    ExitCode::FAILURE
                }
            }
        }
        Some(Command::Show { path, width }) => show(
            path,
            *width,
            &options(&[]),
            typesetting(&config, cli.hyphenate),
            config.width,
        ),
        Some(Command::Config { default }) => {
            if *default {
                print!("{}", config::DEFAULT);
            } else {
                let file = config_path.as_deref().map_or_else(
                    || "none (HOME is not set)".to_owned(),
                    |p| match p.exists() {
                        true => load::shown(p),
                        false => format!("{} (not there: the defaults apply)", load::shown(p)),
                    },
                );
                println!("# config file: {file}\n# settings in effect:\n");
                print!("{}", config::effective(&config));
            }
            ExitCode::SUCCESS
        }
        None => {
            let paths = or_configured(&cli.paths);
            read(
                &paths,
                &options(&paths),
                &config,
                cli.no_color,
                cli.hyphenate,
            )
        }
    }
}

/// How the status bar names what was opened.
fn source_name(paths: &[PathBuf]) -> String {
    match paths {
        [one] => load::shown(one),
        many => format!("{} paths", many.len()),
    }
}

fn report_warnings(warnings: &[Warning]) {
    let mut err = io::stderr().lock();
    for warning in warnings {
        let _ = writeln!(err, "kiosque: {warning}");
    }
}

/// How articles are set: the config's choices, `--hyphenate` on top.
fn typesetting(config: &Config, hyphenate: bool) -> Typesetting {
    Typesetting {
        dates: config.dates,
        hyphenate: hyphenate || config.hyphenate,
    }
}

fn read(
    paths: &[PathBuf],
    options: &LoadOptions,
    config: &Config,
    no_color: bool,
    hyphenate: bool,
) -> ExitCode {
    if !io::stdout().is_terminal() || !io::stdin().is_terminal() {
        eprintln!("kiosque: the reader needs a terminal; for scripts, use `kiosque list`");
        return ExitCode::from(2);
    }
    let (mut app, loader) = if paths.is_empty() {
        (App::new(sample::corpus(), "sample"), None)
    } else {
        let source = source_name(paths);
        let (files, warnings) = load::find(paths);
        // Subscribed but nothing fetched yet: an empty list that says how to fetch.
        let nothing_fetched =
            kiosque::feeds::places::nothing_fetched(paths).filter(|_| files.is_empty());
        if let Some(hint) = nothing_fetched {
            // The status bar names the source: there it says what to do.
            (App::new(load::Corpus::default(), hint), None)
        } else if files.is_empty() {
            report_warnings(&warnings);
            eprintln!("kiosque: no article to show in {source}");
            return ExitCode::FAILURE;
        } else {
            match load::spawn(files, warnings, options.clone()) {
                Ok(loader) => (App::loading(source), Some(loader)),
                Err(err) => {
                    eprintln!("kiosque: cannot start loading: {err}");
                    return ExitCode::FAILURE;
                }
            }
        }
    };
    let env = |name: &str| std::env::var(name).ok();
    app.remote = match config.links.as_str() {
        "open" => false,
        "copy" => true,
        _ => kiosque::links::remote_without_display(env),
    };
    app.hyperlinks = match config.hyperlinks.as_str() {
        "on" => true,
        "off" => false,
        _ => kiosque::links::hyperlinks_supported(env),
    };
    // https://no-color.org: set and not empty.
    app.colour =
        config.colour && !no_color && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    app.keys = config.keys.clone();
    app.reading_width = config.width;
    app.mouse = config.mouse;
    app.typesetting = typesetting(config, hyphenate);
    // Read and starred marks: without them kiosque still reads, and says why.
    let store = match open_state() {
        Ok((store, marks, recovery)) => {
            app.marks = marks;
            if let Some(recovery) = recovery {
                app.note(recovery.to_string());
            }
            Some(store)
        }
        Err(err) => {
            app.note(format!("read and starred marks will not be saved: {err:#}"));
            None
        }
    };
    match tui::run(&mut app, loader, store.as_ref()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("kiosque: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// The user's read and starred marks, and whether a damaged state file was set aside.
fn open_state() -> anyhow::Result<(state::Store, Marks, Option<state::Recovery>)> {
    let path = state::default_path().ok_or_else(|| {
        anyhow::anyhow!("no folder for the read state: set HOME or XDG_STATE_HOME")
    })?;
    Ok(state::Store::open(path)?)
}

fn show(
    path: &Path,
    width: Option<u16>,
    options: &LoadOptions,
    set: Typesetting,
    widest: usize,
) -> ExitCode {
    if path.is_dir() {
        eprintln!(
            "kiosque: {} is a folder: show takes one article file",
            load::shown(path)
        );
        return ExitCode::from(2);
    }
    let options = LoadOptions {
        cache: None,
        ..options.clone()
    };
    let (corpus, _) = load::list(&[path.to_path_buf()], Vec::new(), &options, &|_, _, _| {});
    if corpus.articles.is_empty() {
        report_warnings(&corpus.warnings);
        return ExitCode::FAILURE;
    }
    let body = corpus.body(0);
    if let Some(problem) = &body.problem {
        eprintln!("kiosque: {problem}");
        return ExitCode::FAILURE;
    }
    let stdout = io::stdout();
    let terminal = stdout.is_terminal();
    let width = match width {
        Some(width) => usize::from(width),
        None if terminal => {
            ratatui::crossterm::terminal::size().map_or(80, |(w, _)| usize::from(w).min(widest))
        }
        None => widest.min(80),
    };
    let text = show::render(&corpus.articles[0], &body, width, set, terminal);
    let mut out = stdout.lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("kiosque: {err}");
            ExitCode::FAILURE
        }
    }
}

fn state_command(action: &StateCommand) -> ExitCode {
    let (store, marks, recovery) = match open_state() {
        Ok(opened) => opened,
        Err(err) => {
            eprintln!("kiosque: {err:#}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(recovery) = recovery {
        eprintln!("kiosque: {recovery}");
    }
    let done = match action {
        StateCommand::Export { file } => state::export(&marks, file).map(|()| {
            let (read, starred) = marks.counts();
            println!(
                "{read} read and {starred} starred written to {}",
                file.display()
            );
        }),
        StateCommand::Import { file } => state::import(file).and_then(|theirs| {
            let (read, starred) = theirs.counts();
            store.save(&theirs.changes()).map(|(merged, _)| {
                let (all_read, all_starred) = merged.counts();
                println!(
                    "merged {read} read and {starred} starred from {}; \
                     you now have {all_read} read and {all_starred} starred",
                    file.display()
                );
            })
        }),
    };
    match done {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("kiosque: {err}");
            ExitCode::FAILURE
        }
    }
}

fn list(paths: &[PathBuf], options: &LoadOptions, query: Option<&str>, json: bool) -> ExitCode {
    let today = chrono::Local::now().date_naive();
    let query = match Query::parse(query.unwrap_or(""), today) {
        Ok(query) => query,
        Err(err) => {
            eprintln!("kiosque: invalid query: {err}");
            return ExitCode::from(2);
        }
    };
    let corpus = if paths.is_empty() {
        sample::corpus()
    } else if query.has_words() {
        load::load(paths, options)
    } else {
        load::load_list(paths, options)
    };
    report_warnings(&corpus.warnings);
    if let Some(hint) =
        kiosque::feeds::places::nothing_fetched(paths).filter(|_| corpus.articles.is_empty())
    {
        eprintln!("kiosque: {hint}");
    }
    let marks = if query.uses_state() {
        match open_state() {
            Ok((_, marks, recovery)) => {
                if let Some(recovery) = recovery {
                    eprintln!("kiosque: {recovery}");
                }
                marks
            }
            Err(err) => {
                eprintln!("kiosque: {err}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        Marks::default()
    };
    let matching = query
        .filter(&corpus, &marks)
        .into_iter()
        .map(|i| &corpus.articles[i]);
    let mut out = io::BufWriter::new(io::stdout().lock());
    match listing::write(&mut out, matching, json) {
        // Nothing could be read at all: a script should not mistake that for an empty folder.
        Ok(()) if corpus.articles.is_empty() && corpus.skipped() > 0 => ExitCode::FAILURE,
        Ok(()) => ExitCode::SUCCESS,
        // `kiosque list | head`: the reader has all it wanted.
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("kiosque: {err}");
            ExitCode::FAILURE
        }
    }
}
