//! Links in an article's text, and which of them kiosque is willing to hand to a browser.

use linkify::{LinkFinder, LinkKind};

/// The links of an article's paragraphs, in order of appearance, each once: `http`,
/// `https` and `mailto` only (an e-mail address alone becomes a `mailto:` link).
pub fn find<'a>(paragraphs: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut finder = LinkFinder::new();
    finder.kinds(&[LinkKind::Url, LinkKind::Email]);
    let mut links: Vec<String> = Vec::new();
    for paragraph in paragraphs {
        for link in finder.links(paragraph) {
            let url = match link.kind() {
                LinkKind::Email => format!("mailto:{}", link.as_str()),
                _ => link.as_str().to_owned(),
            };
            if safe(&url) && !links.contains(&url) {
                links.push(url);
            }
        }
    }
    links
}

/// True for a link kiosque may open: `http://`, `https://` or `mailto:`, nothing a program
/// could take for an option (`-`), and no control or invisible character (the text shown
/// is then exactly what is opened).
pub fn safe(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    ["http://", "https://", "mailto:"]
        .iter()
        .any(|scheme| lower.starts_with(scheme) && url.len() > scheme.len())
        && !url.starts_with('-')
        && url
            .chars()
            .all(|c| !c.is_whitespace() && !crate::text::sanitize::is_unsafe(c))
}

/// In an ssh session with no display of its own, a browser would open far from the user:
/// kiosque offers to copy the link to the local clipboard instead.
pub fn remote_without_display(env: impl Fn(&str) -> Option<String>) -> bool {
    let set = |name: &str| env(name).is_some_and(|v| !v.is_empty());
    (set("SSH_CONNECTION") || set("SSH_TTY")) && !set("DISPLAY") && !set("WAYLAND_DISPLAY")
}

/// True when the terminal is known to make OSC 8 hyperlinks clickable, from what it says of
/// itself in the environment. Unknown terminals get none: some print the sequence's text.
pub fn hyperlinks_supported(env: impl Fn(&str) -> Option<String>) -> bool {
    let var = |name: &str| env(name).filter(|v| !v.is_empty());
    // Inside tmux or screen, the outer terminal is unknown.
    if var("TMUX").is_some() || var("STY").is_some() {
        return false;
    }
    let term = var("TERM").unwrap_or_default();
    let program = var("TERM_PROGRAM").unwrap_or_default();
    [
        "xterm-kitty",
        "alacritty",
        "foot",
        "wezterm",
        "xterm-ghostty",
    ]
    .iter()
    .any(|t| term.starts_with(t))
        || ["iTerm.app", "WezTerm", "vscode", "ghostty"].contains(&program.as_str())
        || var("KITTY_WINDOW_ID").is_some()
        || var("WT_SESSION").is_some()
        || var("VTE_VERSION")
            .and_then(|v| v.parse::<u32>().ok())
            .is_some_and(|v| v >= 5000)
}

/// `text` drawn at (`x`, `y`) (0-based) as an OSC 8 hyperlink to `url`, in reverse video
/// when `reverse`: the same characters the screen already shows there, now a link. `url`
/// must be [`safe`]: it goes into an escape sequence.
pub fn osc8(x: u16, y: u16, text: &str, url: &str, reverse: bool) -> String {
    format!(
        "\x1b[{};{}H{}\x1b]8;;{url}\x1b\\{text}\x1b]8;;\x1b\\\x1b[0m",
        u32::from(y) + 1,
        u32::from(x) + 1,
        if reverse { "\x1b[7m" } else { "" },
    )
}

/// The escape sequence that asks the terminal to put `text` in the system clipboard
/// (OSC 52), understood by most terminals and passed through by tmux with `set-clipboard`.
pub fn osc52(text: &str) -> String {
    use base64::Engine as _;
    let encoded = base64::engine::general_purpose::STANDARD.encode(text);
    format!("\x1b]52;c;{encoded}\x07")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links_of(text: &str) -> Vec<String> {
        find(text.lines())
    }

    #[test]
    fn links_are_found_once_in_order() {
        assert_eq!(
            links_of(
                "Titre. Voir https://exemple.fr/a?b=1, puis http://x.org et https://exemple.fr/a?b=1.\nÉcrire à redaction@exemple.fr."
            ),
            [
                "https://exemple.fr/a?b=1",
                "http://x.org",
                "mailto:redaction@exemple.fr"
            ]
        );
    }

    #[test]
    fn only_safe_schemes_are_kept() {
        assert!(links_of("Titre. file:///etc/passwd javascript:alert(1) ftp://x.org").is_empty());
        assert!(safe("https://exemple.fr"));
        assert!(!safe("https://"));
        assert!(!safe("-https://x"));
        assert!(!safe("https://x\u{202e}y"));
        assert!(!safe("https://x\u{1b}y"));
        assert!(!safe("ssh://x"));
    }

    /// An environment holding only `vars`.
    fn env(vars: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn ssh_without_display_is_detected() {
        assert!(remote_without_display(env(&[(
            "SSH_CONNECTION",
            "1 2 3 4"
        )])));
        assert!(!remote_without_display(env(&[
            ("SSH_CONNECTION", "1 2 3 4"),
            ("DISPLAY", ":0")
        ])));
        assert!(!remote_without_display(env(&[("DISPLAY", ":0")])));
        assert!(!remote_without_display(env(&[])));
    }

    #[test]
    fn known_terminals_get_hyperlinks_and_others_do_not() {
        assert!(hyperlinks_supported(env(&[("TERM", "xterm-kitty")])));
        assert!(hyperlinks_supported(env(&[("VTE_VERSION", "7200")])));
        assert!(hyperlinks_supported(env(&[("TERM_PROGRAM", "iTerm.app")])));
        assert!(!hyperlinks_supported(env(&[("TERM", "xterm-256color")])));
        assert!(!hyperlinks_supported(env(&[("TERM", "linux")])));
        assert!(!hyperlinks_supported(env(&[
            ("TERM", "xterm-kitty"),
            ("TMUX", "/tmp/t,1,0")
        ])));
        assert_eq!(
            osc8(0, 2, "x.fr", "https://x.fr", true),
            "\x1b[3;1H\x1b[7m\x1b]8;;https://x.fr\x1b\\x.fr\x1b]8;;\x1b\\\x1b[0m"
        );
    }

    #[test]
    fn osc52_carries_the_link_in_base64() {
        assert_eq!(osc52("https://x.fr"), "\x1b]52;c;aHR0cHM6Ly94LmZy\x07");
    }
}
