//! The config file: `$XDG_CONFIG_HOME/kiosque/config.toml` (default
//! `~/.config/kiosque/config.toml`). Every setting is optional; anything wrong in it (an
//! unknown setting, a wrong type, a key doing two things) is an error naming the line, never
//! silently ignored.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::corpus::DateStyle;
use crate::feeds::fetch::FetchSettings;
use crate::tui::keys::{Keys, key_label, parse_key};

/// The commented default file that `kiosque config --default` prints.
pub const DEFAULT: &str = include_str!("../assets/config.toml");

const WIDTHS: std::ops::RangeInclusive<i64> = 20..=200;

/// The settings in effect.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// What to open when no path is given; empty means the embedded sample.
    pub paths: Vec<PathBuf>,
    /// The widest the reader's text may be.
    pub width: usize,
    pub colour: bool,
    /// As written in the file (`auto` included), and as it applies.
    pub dates_setting: Dates,
    pub dates: DateStyle,
    /// Hyphenate long words in the reader (French or English patterns, by article).
    pub hyphenate: bool,
    /// Mouse reporting: wheel and clicks, at the cost of the terminal's own selection.
    pub mouse: bool,
    /// What Enter does to a link.
    pub links: Links,
    /// OSC 8 hyperlinks in the list of links.
    pub hyperlinks: Hyperlinks,
    pub keys: Keys,
    /// How `kiosque fetch` fetches (the `[fetch]` table).
    pub fetch: FetchSettings,
}

impl Config {
    /// The defaults, with `auto` dates from `lang` (the value of `LANG`).
    pub fn defaults(lang: Option<&str>) -> Config {
        Config {
            paths: Vec::new(),
            width: crate::tui::ui::typeset::MAX_TEXT_WIDTH,
            colour: true,
            dates_setting: Dates::Auto,
            dates: DateStyle::from_lang(lang),
            hyphenate: false,
            mouse: false,
            links: Links::Auto,
            hyperlinks: Hyperlinks::Auto,
            keys: Keys::default(),
            fetch: FetchSettings::default(),
        }
    }
}

/// `dates`: how the reader writes dates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Dates {
    /// French for a French `LC_ALL` or `LANG`, else English.
    Auto,
    Iso,
    Fr,
    En,
}

/// `links`: what Enter does to a link.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Links {
    /// Copy in an ssh session without a display, else open.
    Auto,
    Open,
    Copy,
}

/// `hyperlinks`: OSC 8 hyperlinks in the list of links.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Hyperlinks {
    /// On in terminals known to support them.
    Auto,
    On,
    Off,
}

/// What is wrong with a config file, and on which line.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}{message}", line.map(|l| format!("line {l}: ")).unwrap_or_default())]
pub struct ConfigError {
    pub line: Option<usize>,
    pub message: String,
}

/// The file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    paths: Option<Vec<String>>,
    width: Option<Spanned<i64>>,
    #[serde(alias = "color")]
    colour: Option<bool>,
    dates: Option<Dates>,
    hyphenate: Option<bool>,
    mouse: Option<bool>,
    links: Option<Links>,
    hyperlinks: Option<Hyperlinks>,
    keys: Option<BTreeMap<String, Spanned<KeyList>>>,
    fetch: Option<FetchFile>,
}

/// The `[fetch]` table as written: times in seconds.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FetchFile {
    timeout: Option<Spanned<f64>>,
    connect_timeout: Option<Spanned<f64>>,
    workers: Option<Spanned<i64>>,
    per_host: Option<Spanned<i64>>,
    max_size: Option<Spanned<String>>,
    refresh: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum KeyList {
    One(String),
    Many(Vec<String>),
}

/// `$XDG_CONFIG_HOME/kiosque/config.toml`, else `~/.config/kiosque/config.toml`.
pub fn default_path() -> Option<PathBuf> {
    crate::store::dirs::config_file()
}

/// Reads the config file at `path`; a missing file means the defaults.
pub fn load(path: &Path, lang: Option<&str>, home: Option<&Path>) -> Result<Config, ConfigError> {
    match crate::store::read::text_file(path) {
        Ok(Some(text)) => parse(&text, lang, home),
        Ok(None) => Ok(Config::defaults(lang)),
        Err(err) => Err(ConfigError {
            line: None,
            message: format!("cannot be read: {err}"),
        }),
    }
}

/// The line of byte `at` in `text`.
fn line_of(text: &str, at: usize) -> usize {
    text.as_bytes()[..at.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Reads the settings of a config file's text.
pub fn parse(text: &str, lang: Option<&str>, home: Option<&Path>) -> Result<Config, ConfigError> {
    let file: File = toml::from_str(text).map_err(|err| ConfigError {
        line: err.span().map(|span| line_of(text, span.start)),
        message: err.message().trim_end().to_owned(),
    })?;
    let at = |span: std::ops::Range<usize>, message: String| ConfigError {
        line: Some(line_of(text, span.start)),
        message,
    };
    let mut config = Config::defaults(lang);
    if let Some(paths) = file.paths {
        config.paths = paths.iter().map(|p| expand_home(p, home)).collect();
    }
    if let Some(width) = file.width {
        let value = *width.get_ref();
        if !WIDTHS.contains(&value) {
            return Err(at(
                width.span(),
                format!("width is {value}: it must be between 20 and 200 columns"),
            ));
        }
        config.width = value as usize;
    }
    if let Some(colour) = file.colour {
        config.colour = colour;
    }
    if let Some(hyphenate) = file.hyphenate {
        config.hyphenate = hyphenate;
    }
    if let Some(mouse) = file.mouse {
        config.mouse = mouse;
    }
    if let Some(links) = file.links {
        config.links = links;
    }
    if let Some(hyperlinks) = file.hyperlinks {
        config.hyperlinks = hyperlinks;
    }
    if let Some(dates) = file.dates {
        config.dates = match dates {
            Dates::Auto => DateStyle::from_lang(lang),
            Dates::Iso => DateStyle::Iso,
            Dates::Fr => DateStyle::French,
            Dates::En => DateStyle::English,
        };
        config.dates_setting = dates;
    }
    if let Some(fetch) = file.fetch {
        let settings = &mut config.fetch;
        for (name, value, slot) in [
            ("timeout", fetch.timeout, &mut settings.http.timeout),
            (
                "connect_timeout",
                fetch.connect_timeout,
                &mut settings.http.connect_timeout,
            ),
        ] {
            if let Some(value) = value {
                let seconds = *value.get_ref();
                if !(0.1..=600.0).contains(&seconds) {
                    return Err(at(
                        value.span(),
                        format!("{name} is {seconds}: write seconds between 0.1 and 600"),
                    ));
                }
                *slot = std::time::Duration::from_secs_f64(seconds);
            }
        }
        for (name, value, slot, most) in [
            ("workers", fetch.workers, &mut settings.pool.workers, 64),
            ("per_host", fetch.per_host, &mut settings.pool.per_host, 8),
        ] {
            if let Some(value) = value {
                let n = *value.get_ref();
                if !(1..=most).contains(&n) {
                    return Err(at(
                        value.span(),
                        format!("{name} is {n}: write 1 to {most}"),
                    ));
                }
                *slot = n as usize;
            }
        }
        if let Some(size) = fetch.max_size {
            let bytes = crate::cli::parse_size(size.get_ref())
                .ok()
                .filter(|&b| b >= 1024)
                .ok_or_else(|| {
                    at(
                        size.span(),
                        format!(
                            "max_size is “{}”: write a size of at least 1K, as \"16M\"",
                            size.get_ref()
                        ),
                    )
                })?;
            settings.http.max_body = bytes;
            settings.http.max_decoded = bytes.saturating_mul(4);
        }
        if let Some(refresh) = fetch.refresh {
            settings.refresh = crate::feeds::fetch::parse_refresh(refresh.get_ref())
                .map_err(|message| at(refresh.span(), message))?;
        }
    }
    if let Some(keys) = file.keys {
        let mut overrides = Vec::new();
        let mut spans = Vec::new();
        for (name, list) in &keys {
            let written: Vec<&String> = match list.get_ref() {
                KeyList::One(key) => vec![key],
                KeyList::Many(keys) => keys.iter().collect(),
            };
            let parsed = written
                .iter()
                .map(|k| parse_key(k))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|message| at(list.span(), format!("{name}: {message}")))?;
            overrides.push((name.clone(), parsed));
            spans.push((name.clone(), list.span()));
        }
        config.keys = Keys::with(&overrides).map_err(|(name, err)| {
            let span = spans
                .iter()
                .find(|(n, _)| *n == name)
                .map_or(0..0, |(_, s)| s.clone());
            at(span, err.to_string())
        })?;
    }
    Ok(config)
}

fn expand_home(path: &str, home: Option<&Path>) -> PathBuf {
    match (path.strip_prefix("~/"), home) {
        (Some(rest), Some(home)) => home.join(rest),
        _ if path == "~" => home.map_or_else(|| PathBuf::from(path), Path::to_path_buf),
        _ => PathBuf::from(path),
    }
}

/// The settings in effect, in the file's own format.
pub fn effective(config: &Config) -> String {
    let mut out = String::new();
    let paths: Vec<String> = config
        .paths
        .iter()
        .map(|p| toml_string(&p.to_string_lossy()))
        .collect();
    let _ = writeln!(out, "paths = [{}]", paths.join(", "));
    let _ = writeln!(out, "width = {}", config.width);
    let _ = writeln!(out, "colour = {}", config.colour);
    let _ = writeln!(out, "hyphenate = {}", config.hyphenate);
    let _ = writeln!(out, "mouse = {}", config.mouse);
    let _ = writeln!(out, "links = {}", setting(config.links));
    let _ = writeln!(out, "hyperlinks = {}", setting(config.hyperlinks));
    let _ = writeln!(
        out,
        "dates = {}  # {}",
        setting(config.dates_setting),
        config.dates.example()
    );
    let fetch = &config.fetch;
    let _ = writeln!(out, "\n[fetch]");
    let _ = writeln!(out, "timeout = {}", fetch.http.timeout.as_secs_f64());
    let _ = writeln!(
        out,
        "connect_timeout = {}",
        fetch.http.connect_timeout.as_secs_f64()
    );
    let _ = writeln!(out, "workers = {}", fetch.pool.workers);
    let _ = writeln!(out, "per_host = {}", fetch.pool.per_host);
    let size = fetch.http.max_body;
    let size = match (size % (1 << 20), size % 1024) {
        (0, _) => format!("{}M", size >> 20),
        (_, 0) => format!("{}K", size >> 10),
        _ => size.to_string(),
    };
    let _ = writeln!(out, "max_size = \"{size}\"");
    let _ = writeln!(
        out,
        "refresh = \"{}\"",
        crate::feeds::fetch::refresh_text(fetch.refresh)
    );
    let _ = writeln!(out, "\n[keys]");
    for (binding, keys) in config.keys.all() {
        let names: Vec<String> = keys.iter().map(|k| toml_string(&key_name(k))).collect();
        // The digits of the related articles are not for changing: shown, commented out.
        let fixed = matches!(binding.action, crate::tui::action::Action::OpenRelated(_));
        let _ = writeln!(
            out,
            "{}{} = [{}]  # {}{}",
            if fixed { "# " } else { "" },
            binding.name,
            names.join(", "),
            binding.help,
            if fixed { " (fixed)" } else { "" }
        );
    }
    out
}

/// A key as the config file writes it (the inverse of `parse_key`).
fn key_name(key: &crate::tui::keymap::Key) -> String {
    use ratatui::crossterm::event::KeyCode;
    let name = match key.code {
        KeyCode::Char(' ') => "space".to_owned(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Enter => "enter".to_owned(),
        KeyCode::Esc => "esc".to_owned(),
        KeyCode::Tab => "tab".to_owned(),
        KeyCode::BackTab => "shift-tab".to_owned(),
        KeyCode::PageUp => "pageup".to_owned(),
        KeyCode::PageDown => "pagedown".to_owned(),
        KeyCode::Delete => "delete".to_owned(),
        _ => key_label(key)
            .to_lowercase()
            .replace('↑', "up")
            .replace('↓', "down")
            .replace('←', "left")
            .replace('→', "right"),
    };
    if key.ctrl && !name.starts_with("ctrl-") {
        format!("ctrl-{name}")
    } else {
        name
    }
}

/// A TOML basic string.
/// A setting's value as the file writes it: `"auto"`.
fn setting(value: impl Serialize) -> String {
    // A unit variant is a plain lowercase word: as JSON, the same quoted string as in TOML.
    serde_json::to_string(&value).unwrap_or_default()
}

fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::keys::Keys;

    fn parsed(text: &str) -> Result<Config, ConfigError> {
        parse(text, Some("fr_FR.UTF-8"), Some(Path::new("/home/lea")))
    }

    #[test]
    fn the_default_file_is_the_defaults() {
        assert_eq!(parsed(DEFAULT), Ok(Config::defaults(Some("fr_FR.UTF-8"))));
        assert_eq!(parsed(""), Ok(Config::defaults(Some("fr_FR.UTF-8"))));
    }

    #[test]
    fn settings_are_read() {
        let config = parsed(
            "paths = [\"~/presse\", \"/srv/news\"]\nwidth = 72\ncolor = false\ndates = \"en\"\nhyphenate = true\nlinks = \"copy\"\nhyperlinks = \"off\"\n[keys]\nquit = \"x\"\ntoggle-star = [\"f\", \"ctrl-s\"]\n",
        )
        .unwrap();
        assert_eq!(
            config.paths,
            [
                PathBuf::from("/home/lea/presse"),
                PathBuf::from("/srv/news")
            ]
        );
        assert_eq!(config.width, 72);
        assert!(!config.colour);
        assert_eq!(config.dates, DateStyle::English);
        assert!(config.hyphenate);
        assert_eq!(
            (config.links, config.hyperlinks),
            (Links::Copy, Hyperlinks::Off)
        );
        assert_ne!(config.keys, Keys::default());
        // What `kiosque config` prints reads back as the same settings.
        assert_eq!(parsed(&effective(&config)), Ok(config));
    }

    #[test]
    fn mistakes_name_their_line() {
        let err = |text: &str| parsed(text).unwrap_err().to_string();
        assert!(
            err("width = 80\ncolr = true\n").starts_with("line 2: unknown field `colr`"),
            "{}",
            err("width = 80\ncolr = true\n")
        );
        assert!(
            err("width = \"wide\"\n").starts_with("line 1: invalid type"),
            "{}",
            err("width = \"wide\"\n")
        );
        assert_eq!(
            err("\n\nwidth = 5\n"),
            "line 3: width is 5: it must be between 20 and 200 columns"
        );
        assert_eq!(
            err("links = \"browser\""),
            "line 1: unknown variant `browser`, expected one of `auto`, `open`, `copy`"
        );
        assert_eq!(
            err("dates = \"de\""),
            "line 1: unknown variant `de`, expected one of `auto`, `iso`, `fr`, `en`"
        );
        assert_eq!(
            err("[keys]\nnext-article = \"j\"\nquit = \"j\"\n"),
            "line 3: j would do two things: “next-article” and “quit”"
        );
        assert_eq!(
            err("[keys]\nqiut = \"x\"\n"),
            "line 2: no key action is called “qiut” (see `kiosque config --default`)"
        );
        assert!(err("[keys]\nquit = \"xy\"\n").starts_with("line 2: quit: “xy” is not a key"));
        assert!(
            err("width = 80\nwidth = 90\n").starts_with("line 2: duplicate key"),
            "{}",
            err("width = 80\nwidth = 90\n")
        );
        assert!(err("[keys\n").starts_with("line 1:"));
    }

    #[test]
    fn fetch_settings_are_read_and_checked() {
        let config = parsed(
            "[fetch]\ntimeout = 0.5\nconnect_timeout = 2\nworkers = 4\nper_host = 2\nmax_size = \"1500\"\n",
        )
        .unwrap();
        let fetch = &config.fetch;
        assert_eq!(fetch.http.timeout, std::time::Duration::from_millis(500));
        assert_eq!(
            fetch.http.connect_timeout,
            std::time::Duration::from_secs(2)
        );
        assert_eq!((fetch.pool.workers, fetch.pool.per_host), (4, 2));
        assert_eq!((fetch.http.max_body, fetch.http.max_decoded), (1500, 6000));
        assert_eq!(parsed(&effective(&config)), Ok(config));
        let err = |text: &str| parsed(text).unwrap_err().to_string();
        assert_eq!(
            err("[fetch]\ntimeout = 0\n"),
            "line 2: timeout is 0: write seconds between 0.1 and 600"
        );
        assert_eq!(
            err("[fetch]\nworkers = 0\n"),
            "line 2: workers is 0: write 1 to 64"
        );
        assert_eq!(
            err("[fetch]\nmax_size = \"12\"\n"),
            "line 2: max_size is “12”: write a size of at least 1K, as \"16M\""
        );
        assert!(err("[fetch]\nretries = 3\n").starts_with("line 2: unknown field `retries`"));
        assert_eq!(
            err("[fetch]\nrefresh = \"1s\"\n"),
            "line 2: refresh is “1s”: write \"never\", or a number and min, h or d, as \"1h\""
        );
    }

    #[test]
    fn the_reader_refreshes_hourly_unless_told_otherwise() {
        let hour = Some(std::time::Duration::from_secs(3600));
        assert_eq!(parsed("").unwrap().fetch.refresh, hour);
        let never = parsed("[fetch]\nrefresh = \"never\"\n").unwrap();
        assert_eq!(never.fetch.refresh, None);
        assert_eq!(parsed(&effective(&never)), Ok(never));
        let often = parsed("[fetch]\nrefresh = \"15min\"\n").unwrap();
        assert_eq!(
            often.fetch.refresh,
            Some(std::time::Duration::from_secs(900))
        );
    }
}
