//! The subcommands, one file each, and what they share: the config in effect, the load
//! options the command line asks for, and how a command fails.

pub(crate) mod completions;
pub(crate) mod config;
pub(crate) mod feeds;
pub(crate) mod fetch;
pub(crate) mod list;
pub(crate) mod read;
pub(crate) mod show;
pub(crate) mod state;

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use crate::cli::{Cli, Command};
use crate::config::Config;
use crate::corpus::Warning;
use crate::feeds::subscriptions::{self, Subscriptions};
use crate::search::sources::Sources;
use crate::store::cache;
use crate::store::load::LoadOptions;
use crate::store::marks::{self, Marks, Recovery, Store};
use crate::text::display::shown;
use crate::tui::ui::typeset::Typesetting;

/// Why a command stopped: `main` prints it once, as `kiosque: MESSAGE`, and exits with its
/// status.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// What the user asked for cannot be understood (a bad query, a bad config, a folder
    /// where a file was expected): exit status 2, as for a bad command line.
    #[error("{0}")]
    Usage(String),
    /// The command could not do its work: exit status 1.
    #[error("{0}")]
    Failed(String),
}

impl Failure {
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Failure::Usage(_) => ExitCode::from(2),
            Failure::Failed(_) => ExitCode::FAILURE,
        }
    }
}

/// What every command may need: the command line's global flags and the config in effect.
pub struct Context {
    pub cli: Cli,
    pub config: Config,
    /// Where the config file is (or would be), when there is a home to put it in.
    pub config_path: Option<PathBuf>,
}

impl Context {
    /// Reads the config the command line and the environment point at.
    pub fn new(cli: Cli) -> Result<Self, Failure> {
        let config_path = crate::config::default_path();
        // The locale as the C library reads it: LC_ALL first, then LANG.
        let lang = ["LC_ALL", "LANG"]
            .iter()
            .find_map(|name| std::env::var(name).ok().filter(|v| !v.is_empty()));
        let home = std::env::var_os("HOME").map(PathBuf::from);
        let config = match &config_path {
            Some(path) => crate::config::load(path, lang.as_deref(), home.as_deref())
                .map_err(|err| Failure::Usage(format!("{}, {err}", shown(path))))?,
            None => Config::defaults(lang.as_deref()),
        };
        Ok(Self {
            cli,
            config,
            config_path,
        })
    }

    /// The paths to read: the ones given, else the config's and the feeds folder (empty
    /// means the sample).
    pub fn paths_or_configured(&self, paths: &[PathBuf]) -> Vec<PathBuf> {
        if paths.is_empty() {
            crate::feeds::places::default_paths(&self.config.paths)
        } else {
            paths.to_vec()
        }
    }

    /// How to load `paths`: the size limit, and the list cache unless `--no-cache`.
    pub fn load_options(&self, paths: &[PathBuf]) -> LoadOptions {
        LoadOptions {
            max_size: self.cli.max_size,
            cache: cache::default_dir()
                .filter(|_| !self.cli.no_cache && !paths.is_empty())
                .map(|dir| cache::path_for(&dir, paths)),
        }
    }

    /// How articles are set: the config's choices, `--hyphenate` on top.
    pub fn typesetting(&self) -> Typesetting {
        Typesetting {
            dates: self.config.dates,
            hyphenate: self.cli.hyphenate || self.config.hyphenate,
            zone: None,
        }
    }
}

/// Runs the command the command line names.
pub fn run(cli: Cli) -> Result<ExitCode, Failure> {
    // These two need no config: they work even when the config file is broken.
    match &cli.command {
        Some(Command::Completions { shell }) => return completions::completions(*shell),
        Some(Command::Man) => return completions::man(),
        _ => {}
    }
    let context = Context::new(cli)?;
    match &context.cli.command {
        Some(Command::List { paths, query, json }) => {
            list::run(&context, paths, query.as_deref(), *json)
        }
        Some(Command::Show { path, width }) => show::run(&context, path, *width),
        Some(Command::Config { default }) => config::run(&context, *default),
        Some(Command::State { action }) => state::run(action),
        Some(Command::Feeds { action }) => Ok(feeds::run(action, &context.config)),
        Some(Command::Fetch { feeds, json }) => Ok(fetch::run(feeds, *json, &context.config)),
        Some(Command::Completions { .. } | Command::Man) | None => read::run(&context),
    }
}

/// Writes each warning to stderr, one line each.
pub fn report_warnings(warnings: &[Warning]) {
    let mut err = io::stderr().lock();
    for warning in warnings {
        let _ = writeln!(err, "kiosque: {warning}");
    }
}

/// The user's read and starred marks, and whether a damaged state file was set aside.
pub fn open_marks() -> Result<(Store, Marks, Option<Recovery>), Failure> {
    let path = marks::default_path().ok_or_else(|| {
        Failure::Failed("no folder for the read state: set HOME or XDG_STATE_HOME".into())
    })?;
    Store::open(path).map_err(|err| Failure::Failed(err.to_string()))
}

/// Ends a command that wrote to stdout: a closed pipe (`kiosque list | head`) is success,
/// since the reader has all it wanted.
pub fn finish_output(written: io::Result<()>) -> Result<ExitCode, Failure> {
    match written {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(err) => Err(Failure::Failed(err.to_string())),
    }
}

/// How the status bar names what was opened.
pub fn source_name(paths: &[PathBuf]) -> String {
    match paths {
        [one] => shown(one),
        many => format!("{} paths", many.len()),
    }
}

/// Where the articles under `paths` come from: the paths themselves (the list's source
/// column), and the tags feeds.toml gives each feed (`tag:`). A feeds.toml that cannot be
/// read gives no tags, and a note that says why.
pub fn sources(paths: &[PathBuf]) -> Sources {
    // The sample comes from no feed.
    let subscriptions = match subscriptions::default_path().filter(|_| !paths.is_empty()) {
        Some(path) => subscriptions::load(&path),
        None => Ok(Subscriptions::default()),
    };
    let (feeds, note) = match subscriptions {
        Ok(subscriptions) => (subscriptions.feeds, None),
        Err(err) => (
            Vec::new(),
            Some(format!("the feeds' tags are unknown: {err}")),
        ),
    };
    let tags = feeds
        .into_iter()
        .filter(|feed| !feed.tags.is_empty())
        .map(|feed| (feed.key().to_owned(), feed.tags));
    let mut sources = Sources::new(paths, tags);
    sources.note = note;
    sources
}
