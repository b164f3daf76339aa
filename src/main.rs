//! The `kiosque` binary: parses the command line and hands over to the library.

#![forbid(unsafe_code)]

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use kiosque::app::App;
use kiosque::cli::{Cli, Command};
use kiosque::load::{Corpus, LoadOptions, load};
use kiosque::query::Query;
use kiosque::{listing, sample, tui};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let options = LoadOptions {
        max_size: cli.max_size,
    };
    match cli.command {
        Some(Command::List { paths, query, json }) => {
            list(&paths, &options, query.as_deref(), json)
        }
        None => read(&cli.paths, &options),
    }
}

/// The corpus to show, and how to name it in the status bar.
fn open(paths: &[PathBuf], options: &LoadOptions) -> (Corpus, String) {
    if paths.is_empty() {
        return (sample::corpus(), "sample".to_owned());
    }
    let source = match paths {
        [one] => kiosque::load::shown(one),
        many => format!("{} paths", many.len()),
    };
    (load(paths, options), source)
}

fn report_warnings(corpus: &Corpus) {
    let mut err = io::stderr().lock();
    for warning in &corpus.warnings {
        let _ = writeln!(err, "kiosque: {warning}");
    }
}

fn read(paths: &[PathBuf], options: &LoadOptions) -> ExitCode {
    if !io::stdout().is_terminal() || !io::stdin().is_terminal() {
        eprintln!("kiosque: the reader needs a terminal; for scripts, use `kiosque list`");
        return ExitCode::from(2);
    }
    let (corpus, source) = open(paths, options);
    if corpus.articles.is_empty() {
        report_warnings(&corpus);
        eprintln!("kiosque: no article to show in {source}");
        return ExitCode::FAILURE;
    }
    let mut app = App::new(corpus, source);
    match tui::run(&mut app) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("kiosque: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn list(paths: &[PathBuf], options: &LoadOptions, query: Option<&str>, json: bool) -> ExitCode {
    let query = match Query::parse(query.unwrap_or("")) {
        Ok(query) => query,
        Err(err) => {
            eprintln!("kiosque: invalid query: {err}");
            return ExitCode::from(2);
        }
    };
    let (corpus, _) = open(paths, options);
    report_warnings(&corpus);
    let matching = query
        .filter(&corpus)
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
