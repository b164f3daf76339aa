//! Feeds from inside the reader, in a real terminal (tmux), against feeds served on a
//! loopback address: `r` fetches in the background while the user moves, new articles
//! join the list without moving the selection, a failing feed shows in `w`, and the
//! reader fetches by itself when the last fetch is old enough.

use std::fs;
use std::net::Ipv4Addr;
use std::time::Duration;

use crate::common::http::{Request, Response, Server};
use crate::common::screen::{ShownRow, expect, list_rows, status_line};
use crate::common::tmux::Tmux;
use crate::common::{KIOSQUE, shell_quote};

const LOCAL: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 1);

/// An RSS feed named `title` whose items are `(guid, day of March 2026)`.
fn rss(title: &str, items: &[(&str, u32)]) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{title}</title><link>http://127.0.0.1/</link>"
    );
    for (guid, day) in items {
        out.push_str(&format!(
            "<item><title>{title} {guid}</title><guid>{guid}</guid><link>http://127.0.0.1/{guid}.html</link><pubDate>{day:02} Mar 2026 10:00:00 +0000</pubDate><description>Texte de {guid}, publié le {day} mars.</description></item>"
        ));
    }
    out.push_str("</channel></rss>");
    out
}

/// Subscribes the terminal's user to `feeds` (name, address), with `config` as their
/// config file.
fn subscribe(term: &Tmux, feeds: &[(&str, String)], config: &str) {
    let dir = term.config_home().join("kiosque");
    fs::create_dir_all(&dir).unwrap();
    let list: String = feeds
        .iter()
        .map(|(name, url)| format!("[[feed]]\nurl = \"{url}\"\nname = \"{name}\"\n\n"))
        .collect();
    fs::write(dir.join("feeds.toml"), list).unwrap();
    fs::write(dir.join("config.toml"), config).unwrap();
}

fn start(term: &Tmux) {
    term.send_line(&shell_quote(KIOSQUE));
}

fn selected(screen: &str) -> Option<ShownRow> {
    list_rows(screen).into_iter().find(|row| row.selected)
}

#[test]
fn r_fetches_in_the_background_and_new_articles_join_the_list_in_place() {
    let server = Server::start(LOCAL, |r: &Request| match r.path.as_str() {
        "/rapide" => Response::ok(
            "application/rss+xml",
            rss("Rapide", &[("r1", 2), ("r2", 3), ("r3", 4)]),
        ),
        // Newer articles, slow enough for the user to move meanwhile; bounded.
        "/lent" => Response::ok("application/rss+xml", rss("Lent", &[("l1", 5), ("l2", 6)]))
            .delay(Duration::from_secs(3)),
        _ => Response::new(404, "not here"),
    });
    let term = Tmux::start(100, 24);
    subscribe(
        &term,
        &[
            ("Rapide", server.url("/rapide")),
            ("Lent", server.url("/lent")),
            ("Disparu", server.url("/disparu")),
        ],
        "[fetch]\nrefresh = \"never\"\n",
    );
    start(&term);
    expect(&term, "the hint that says how to fetch", |s| {
        crate::common::screen::ensure(
            s.contains("no articles yet from your 3 feeds: r fetches them"),
            || "no hint".to_owned(),
        )
    });
    // `refresh = "never"`: nothing was fetched by itself.
    assert_eq!(server.request_count(), 0);

    term.send_keys(&["r"]);
    // The fast feed's articles are listed while the slow one is still being fetched.
    let screen = expect(&term, "the first feed's articles during the fetch", |s| {
        let status = status_line(s);
        crate::common::screen::ensure(
            list_rows(s).len() == 3 && status.contains("fetching") && status.contains("3 new"),
            || format!("rows {:?}, status {status:?}", list_rows(s).len()),
        )
    });
    assert!(status_line(&screen).contains("/3"), "{screen}");
    term.send_keys(&["j"]);
    let screen = expect(&term, "the second row selected", |s| {
        crate::common::screen::ensure(
            selected(s).is_some_and(|row| row.title == "Rapide r2"),
            || format!("selected {:?}", selected(s)),
        )
    });
    assert!(status_line(&screen).contains("fetching"), "{screen}");

    // The slow feed's newer articles arrive above; the selection stays on its article.
    let screen = expect(&term, "the end of the fetch", |s| {
        crate::common::screen::ensure(
            status_line(s).contains("fetched 3 feeds · 5 new") && list_rows(s).len() == 5,
            || format!("status {:?}", status_line(s)),
        )
    });
    assert_eq!(
        selected(&screen).map(|row| row.title),
        Some("Rapide r2".to_owned()),
        "{screen}"
    );
    assert!(status_line(&screen).contains("1 feed failing"), "{screen}");
    let titles: Vec<String> = list_rows(&screen).into_iter().map(|r| r.title).collect();
    for title in ["Lent l2", "Lent l1", "Rapide r3", "Rapide r2", "Rapide r1"] {
        assert!(titles.contains(&title.to_owned()), "{title}: {screen}");
    }

    // The failing feed, with its reason and time, in the warnings.
    term.send_keys(&["w"]);
    let screen = expect(&term, "the failing feed in the warnings", |s| {
        crate::common::screen::ensure(s.contains("failing Disparu"), || "not listed".to_owned())
    });
    assert!(screen.contains("fetch failed at "), "{screen}");
    assert!(screen.contains("404"), "{screen}");
    term.send_keys(&["Escape"]);
    // Closed before the next key: an Escape and a key read together are Alt and that key.
    expect(&term, "the warnings closed", |s| {
        crate::common::screen::ensure(!s.contains("Warnings:"), || "still open".to_owned())
    });
    // The sources: each feed with its counts and last fetch, the failing one marked.
    term.send_keys(&["F"]);
    let screen = expect(&term, "the sources window", |s| {
        crate::common::screen::ensure(s.contains("Sources: 3 · by name"), || {
            "no window".to_owned()
        })
    });
    let line = |name: &str| {
        screen
            .lines()
            .find(|l| l.contains(&format!("  {name}  ")) || l.contains(&format!("✗ {name}")))
            .unwrap_or_else(|| panic!("{name}: {screen}"))
            .to_owned()
    };
    assert!(line("Disparu").contains("✗ Disparu"), "{screen}");
    assert!(line("Lent").contains("2 / 2"), "{screen}");
    assert!(line("Rapide").contains("3 / 3"), "{screen}");
    // By name: Disparu, Lent, Rapide. Enter on Lent keeps its articles, and says so.
    term.send_keys(&["j"]);
    term.send_keys(&["Enter"]);
    let screen = expect(&term, "the list of one feed", |s| {
        crate::common::screen::ensure(list_rows(s).len() == 2, || "not filtered".to_owned())
    });
    assert!(screen.contains("feed:\"Lent\""), "{screen}");
    assert!(screen.contains("2 / 5"), "{screen}");
    term.send_keys(&["C-u"]);
    // The new articles are searchable: the index came with them.
    term.send_keys(&["/"]);
    term.send_text("lent");
    let screen = expect(&term, "the slow feed's articles found by a word", |s| {
        crate::common::screen::ensure(list_rows(s).len() == 2, || "not filtered".to_owned())
    });
    assert!(screen.contains("2 / 5"), "{screen}");
    term.send_keys(&["Escape"]);
    term.send_keys(&["q"]);
}

#[test]
fn the_reader_fetches_by_itself_only_when_the_last_fetch_is_old() {
    let server = Server::start(LOCAL, |_: &Request| {
        Response::ok("application/rss+xml", rss("Seul", &[("s1", 2), ("s2", 3)]))
    });
    let term = Tmux::start(100, 24);
    // The default refresh (every hour): the first start fetches without a key.
    subscribe(&term, &[("Seul", server.url("/seul"))], "");
    start(&term);
    expect(&term, "the articles fetched at start", |s| {
        crate::common::screen::ensure(list_rows(s).len() == 2, || "no article yet".to_owned())
    });
    assert_eq!(server.request_count(), 1);
    term.send_keys(&["q"]);
    expect(&term, "the shell back", |s| {
        crate::common::screen::ensure(
            s.lines()
                .any(|l| l.starts_with("PROMPT$") && !l.contains("kiosque")),
            || "still running".to_owned(),
        )
    });
    // Started again at once: the last fetch is recent, nothing is fetched.
    start(&term);
    expect(&term, "the articles read from disk", |s| {
        crate::common::screen::ensure(list_rows(s).len() == 2, || "no article".to_owned())
    });
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(server.request_count(), 1);
    term.send_keys(&["q"]);
}

#[test]
fn t_fetches_the_whole_article_of_a_summary_only_feed() {
    let page = fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/pages/news-article.html"),
    )
    .unwrap();
    let server = Server::start(LOCAL, move |r: &Request| match r.path.as_str() {
        // The items link to pages of this same server, by the address the client asked.
        "/feed" => {
            let host = r.header("host").unwrap_or("127.0.0.1");
            Response::ok(
                "application/rss+xml",
                format!(
                    "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Résumés</title>\
                     <item><title>Les huîtres</title><link>http://{host}/huitres</link><guid>h</guid>\
                     <pubDate>06 Mar 2026 10:00:00 +0000</pubDate>\
                     <description>Un résumé de deux lignes.</description></item>\
                     <item><title>Sans page</title><link>http://{host}/rien</link><guid>r</guid>\
                     <pubDate>05 Mar 2026 10:00:00 +0000</pubDate>\
                     <description>Un autre résumé.</description></item></channel></rss>"
                ),
            )
        }
        "/huitres" => Response::ok("text/html; charset=utf-8", page.clone()),
        _ => Response::new(404, "not here"),
    });
    let term = Tmux::start(100, 30);
    subscribe(
        &term,
        &[("Résumés", server.url("/feed"))],
        "[fetch]\nrefresh = \"never\"\n",
    );
    start(&term);
    expect(&term, "the hint", |s| {
        crate::common::screen::ensure(s.contains("r fetches them"), || "no hint".to_owned())
    });
    term.send_keys(&["r"]);
    expect(&term, "the two summaries", |s| {
        crate::common::screen::ensure(list_rows(s).len() == 2, || "not fetched".to_owned())
    });
    // The second article's page is missing: the reader says why, the summary stays.
    term.send_keys(&["j"]);
    term.send_keys(&["t"]);
    let screen = expect(&term, "why the page gave nothing", |s| {
        crate::common::screen::ensure(s.contains("404"), || "no reason".to_owned())
    });
    assert!(screen.contains("Un autre résumé."), "{screen}");
    // The first one's page has the whole article: it shows below the summary, searchable.
    term.send_keys(&["k"]);
    term.send_keys(&["t"]);
    let screen = expect(&term, "the whole article in the reader", |s| {
        crate::common::screen::ensure(
            s.contains("words below the summary") && s.contains("Logonna"),
            || format!("status {:?}", status_line(s)),
        )
    });
    assert!(screen.contains("Un résumé de deux lignes."), "{screen}");
    assert!(screen.contains("⁂"), "{screen}");
    term.send_keys(&["/"]);
    term.send_text("logonna");
    expect(&term, "the article found by a word of its page", |s| {
        crate::common::screen::ensure(list_rows(s).len() == 1, || "not found".to_owned())
    });
    term.send_keys(&["Escape"]);
    term.send_keys(&["q"]);
    assert_eq!(server.requests("/huitres").len(), 1);
}
