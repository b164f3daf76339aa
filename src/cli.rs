//! The command line: `kiosque [PATH]...` opens the reader, `kiosque list` prints for scripts.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "kiosque",
    version,
    about = "Read news articles kept as text files, in the terminal",
    long_about = "Read news articles kept as text files, in the terminal.\n\n\
        Each PATH is an article (.txt) or a folder searched recursively. \
        With no PATH, kiosque opens its embedded sample articles.",
    after_help = "Examples:\n  \
        kiosque                         read the sample articles\n  \
        kiosque ~/articles              read every .txt article under ~/articles\n  \
        kiosque list -q 'securite 2026' print matching articles, newest first\n  \
        kiosque list --json ~/articles  one JSON object per article\n\n\
        In the reader, press ? for the keys."
)]
pub struct Cli {
    /// Article files or folders to read (default: the embedded sample)
    pub paths: Vec<PathBuf>,

    /// Skip files larger than SIZE (bytes, or with a K, M or G suffix)
    #[arg(long, global = true, value_name = "SIZE", default_value = "64M", value_parser = parse_size)]
    pub max_size: u64,

    /// Read every file, without using or updating the list cache
    #[arg(long, global = true)]
    pub no_cache: bool,

    /// No colours, only bold, dim, underline and reverse video (as does NO_COLOR=1)
    #[arg(long, global = true)]
    pub no_color: bool,

    /// Hyphenate long words in the reader and in `show` (French or English, by article)
    #[arg(long, global = true)]
    pub hyphenate: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the sorted, filtered list of articles instead of opening the reader
    List {
        /// Article files or folders to read (default: the embedded sample)
        paths: Vec<PathBuf>,
        /// Keep only the articles matching QUERY (the filter pane's language)
        #[arg(short, long, value_name = "QUERY", allow_hyphen_values = true)]
        query: Option<String>,
        /// One JSON object per line: path, date, title, words
        #[arg(long)]
        json: bool,
    },
    /// Print one article as the reader lays it out, for pipes and pagers
    Show {
        /// The article file
        path: PathBuf,
        /// Columns to wrap at (default: the terminal's width up to 100, else 80)
        #[arg(long, short, value_name = "N", value_parser = clap::value_parser!(u16).range(10..))]
        width: Option<u16>,
    },
    /// Show the config file's path and the settings in effect
    Config {
        /// Print a commented config file with the default settings instead
        #[arg(long)]
        default: bool,
    },
    /// Print a completion script for a shell (bash, zsh, fish)
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print kiosque's man page (roff), as in `kiosque man | man -l -`
    Man,
    /// Move read and starred marks between machines
    State {
        #[command(subcommand)]
        action: StateCommand,
    },
    /// Subscribe to feeds: add, list, remove, import and export (OPML)
    Feeds {
        #[command(subcommand)]
        action: FeedsCommand,
    },
    /// Fetch the subscribed feeds (all, or those named or tagged) into article files
    Fetch {
        /// Feeds to fetch, by name, URL or tag (default: every feed)
        #[arg(value_name = "NAME|TAG")]
        feeds: Vec<String>,
        /// One JSON object per feed: feed, url, status, new, updated, error
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum FeedsCommand {
    /// Subscribe to the feed at URL, or to the feed a web page announces
    Add {
        url: String,
        /// What to call the feed (default: its title)
        #[arg(long)]
        name: Option<String>,
    },
    /// Each feed with its last fetch, its articles and how many are unread
    List {
        /// One JSON object per feed
        #[arg(long)]
        json: bool,
    },
    /// Unsubscribe from a feed, given by name or URL
    Remove {
        #[arg(value_name = "NAME|URL")]
        feed: String,
        /// Also delete its articles (only inside the feeds folder)
        #[arg(long)]
        delete_articles: bool,
    },
    /// Subscribe to the feeds of an OPML file; feeds already there are skipped
    Import { file: PathBuf },
    /// Print every subscription as OPML
    Export,
}

#[derive(Debug, Subcommand)]
pub enum StateCommand {
    /// Write every read and starred mark to FILE
    Export { file: PathBuf },
    /// Merge the marks of FILE (made by export) into yours; the newer mark wins
    Import { file: PathBuf },
}

/// `4096`, `512K`, `64M`, `1G` (powers of 1024; a trailing `B` or `iB` is allowed).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let t = t
        .strip_suffix("iB")
        .or_else(|| t.strip_suffix('B'))
        .unwrap_or(t);
    let (digits, shift) = match t.chars().last().map(|c| c.to_ascii_uppercase()) {
        Some('K') => (&t[..t.len() - 1], 10),
        Some('M') => (&t[..t.len() - 1], 20),
        Some('G') => (&t[..t.len() - 1], 30),
        _ => (t, 0),
    };
    let n: u64 = digits
        .trim()
        .parse()
        .map_err(|_| format!("“{text}” is not a size: write 4096, 512K, 64M or 1G"))?;
    n.checked_mul(1 << shift)
        .ok_or_else(|| format!("“{text}” is too large"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("4096"), Ok(4096));
        assert_eq!(parse_size("512K"), Ok(512 * 1024));
        assert_eq!(parse_size("64M"), Ok(64 << 20));
        assert_eq!(parse_size("64MiB"), Ok(64 << 20));
        assert_eq!(parse_size("1g"), Ok(1 << 30));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("99999999999G").is_err());
    }

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn list_takes_paths_and_a_query() {
        let cli = Cli::try_parse_from(["kiosque", "list", "a", "b", "--query", "2026", "--json"])
            .unwrap();
        match cli.command {
            Some(Command::List { paths, query, json }) => {
                assert_eq!(paths, [PathBuf::from("a"), PathBuf::from("b")]);
                assert_eq!(query.as_deref(), Some("2026"));
                assert!(json);
            }
            other => panic!("{other:?}"),
        }
        let cli = Cli::try_parse_from(["kiosque", "dir"]).unwrap();
        assert_eq!(cli.paths, [PathBuf::from("dir")]);
        assert!(cli.command.is_none());
    }

    #[test]
    fn a_query_may_start_with_a_minus_for_an_exclusion() {
        for args in [
            &["kiosque", "list", "-q", "-word"][..],
            &["kiosque", "list", "--query", "-word"],
            &["kiosque", "list", "--query=-word"],
            &["kiosque", "list", "-q", "-\"note interne\" 2026"],
        ] {
            let cli = Cli::try_parse_from(args.iter().copied())
                .unwrap_or_else(|e| panic!("{args:?}: {e}"));
            let Some(Command::List { query, .. }) = cli.command else {
                panic!("{args:?}: not a list command");
            };
            assert_eq!(
                query.as_deref(),
                args.last().map(|a| a.trim_start_matches("--query="))
            );
        }
    }

    #[test]
    fn global_flags_go_before_or_after_the_subcommand() {
        for args in [
            &["kiosque", "--no-cache", "list", "dir"][..],
            &["kiosque", "list", "--no-cache", "dir"],
            &["kiosque", "list", "dir", "--no-cache"],
        ] {
            let cli = Cli::try_parse_from(args.iter().copied())
                .unwrap_or_else(|e| panic!("{args:?}: {e}"));
            assert!(cli.no_cache, "{args:?}");
            let Some(Command::List { paths, .. }) = cli.command else {
                panic!("{args:?}: not a list command");
            };
            assert_eq!(paths, [PathBuf::from("dir")], "{args:?}");
        }
    }

    #[test]
    fn paths_stay_paths() {
        let cli = Cli::try_parse_from(["kiosque", "dir"]).unwrap();
        assert_eq!(cli.paths, [PathBuf::from("dir")]);
        assert!(cli.command.is_none());
    }
}
