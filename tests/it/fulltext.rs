//! `fulltext = true` in feeds.toml: `kiosque fetch` gives each new article of the feed the
//! full text of its page, served like the feed on a loopback address.

use std::fs;
use std::net::Ipv4Addr;
use std::path::Path;
use std::time::Duration;

use std::sync::{Arc, OnceLock};

use crate::common::http::{Request, Response, Server};
use crate::feeds::{User, json_lines};

const LOCAL: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 1);

fn news_page() -> Vec<u8> {
    fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pages/news-article.html"))
        .unwrap()
}

/// A feed whose items `a`, `b`, `c` link to `/a`, `/b`, `/c` on `server`, each with a one
/// line summary.
fn feed(server: &Server) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Exemple</title>\
         <link>https://example.org/</link>",
    );
    for (n, day) in [("a", "02"), ("b", "03"), ("c", "04")] {
        out.push_str(&format!(
            "<item><title>Item {n}</title><link>{}</link><guid>{n}</guid>\
             <pubDate>Mon, {day} Mar 2026 10:00:00 +0000</pubDate>\
             <description>Le résumé de l'article {n}.</description></item>",
            server.url(&format!("/{n}"))
        ));
    }
    out.push_str("</channel></rss>");
    out
}

/// The text of the one article file whose name holds `day`.
fn article(user: &User, day: &str) -> String {
    let found: Vec<_> = user
        .articles()
        .into_iter()
        .filter(|p| p.to_string_lossy().contains(day))
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    fs::read_to_string(user.path("data/kiosque/feeds").join(&found[0])).unwrap()
}

/// The titles `kiosque list` shows for `query`.
fn titles(user: &User, query: &str) -> Vec<String> {
    let out = user
        .kiosque()
        .args(["list", "--json", "-q", query])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    json_lines(&out.stdout)
        .iter()
        .map(|row| row["title"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn fetch_saves_the_full_text_of_new_articles_and_says_what_it_could_not() {
    // The feed's items link to pages on its own server: its address must be known first.
    let pages = Arc::new(OnceLock::<String>::new());
    let shared = Arc::clone(&pages);
    let server = Server::start(LOCAL, move |request: &Request| {
        match request.path.as_str() {
            "/feed" => Response::ok(
                "application/rss+xml",
                shared.get().cloned().unwrap_or_default(),
            ),
            "/a" => Response::ok("text/html; charset=utf-8", news_page()),
            "/c" => Response::ok("application/pdf", "%PDF-1.7"),
            _ => Response::new(404, "not found"),
        }
    });
    pages.set(feed(&server)).unwrap();
    let user = User::new();
    user.write(
        "config/kiosque/feeds.toml",
        &format!(
            "[[feed]]\nurl = \"{}\"\nname = \"Exemple\"\nfulltext = true\n",
            server.url("/feed")
        ),
    );
    let out = user.kiosque().arg("fetch").output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(
        stdout.lines().next(),
        Some(
            "Exemple: 3 new, 0 updated, 1 full text: no full text for 2 of 3 new articles: \
             “Item b”: cannot fetch the page: the server answered 404 Not Found; “Item c”: the \
             link leads to application/pdf, not a web page"
        ),
        "{stdout}"
    );
    assert_eq!(user.articles().len(), 3);

    let a = article(&user, "2026-03-02");
    let (head, body) = a.split_once("kiosque-article end\n").unwrap();
    assert!(head.contains("\nfulltext: 2"), "{a}");
    let (summary, full) = body.split_once("\n\n⁂\n").unwrap();
    assert!(summary.starts_with("Le résumé de l'article a."), "{a}");
    assert!(full.starts_with("Sur l'estran de Logonna-Daoulas"), "{a}");
    assert!(
        !full.contains("Abonnez-vous") && !full.contains("Marcel29"),
        "{a}"
    );
    for (day, n) in [("2026-03-03", "b"), ("2026-03-04", "c")] {
        let text = article(&user, day);
        assert!(
            text.ends_with(&format!(
                "kiosque-article end\nLe résumé de l'article {n}.\n{}\n",
                server.url(&format!("/{n}"))
            )),
            "{text}"
        );
    }
    // A word only the full text has finds the article; one of the summaries finds all three.
    assert_eq!(titles(&user, "Logonna"), ["Item a"]);
    assert_eq!(titles(&user, "résumé").len(), 3);

    // The next fetch finds nothing new: no page is asked for again, the full text stays.
    let asked = server.request_count();
    let again = user.kiosque().arg("fetch").output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&again.stdout).lines().next(),
        Some("Exemple: 0 new, 0 updated")
    );
    assert_eq!(server.request_count(), asked + 1);
    assert_eq!(server.requests("/a").len(), 1);
    assert_eq!(article(&user, "2026-03-02"), a);
    assert_eq!(titles(&user, "Logonna"), ["Item a"]);
}

#[test]
fn without_fulltext_no_page_is_fetched() {
    let feed_only = Arc::new(OnceLock::<String>::new());
    let shared = Arc::clone(&feed_only);
    let server = Server::start(LOCAL, move |request: &Request| {
        match request.path.as_str() {
            "/feed" => Response::ok(
                "application/rss+xml",
                shared.get().cloned().unwrap_or_default(),
            ),
            _ => Response::ok("text/html", news_page()),
        }
    });
    feed_only.set(feed(&server)).unwrap();
    let user = User::new();
    user.write(
        "config/kiosque/feeds.toml",
        &format!(
            "[[feed]]\nurl = \"{}\"\nname = \"Exemple\"\n",
            server.url("/feed")
        ),
    );
    let out = user.kiosque().arg("fetch").output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).lines().next(),
        Some("Exemple: 3 new, 0 updated")
    );
    assert_eq!(server.request_count(), 1);
    assert!(titles(&user, "Logonna").is_empty());
}

#[test]
fn pages_count_in_the_limit_of_one_request_at_a_time_per_host() {
    // Two feeds on one host, three articles each: the second feed must not be asked for
    // while pages of the first are, nor two pages at once.
    let feeds = Arc::new(OnceLock::<[String; 2]>::new());
    let shared = Arc::clone(&feeds);
    let server = Server::start(LOCAL, move |request: &Request| {
        let feeds = shared.get();
        match request.path.as_str() {
            "/one" => Response::ok("application/rss+xml", feeds.unwrap()[0].clone()),
            "/two" => Response::ok("application/rss+xml", feeds.unwrap()[1].clone()),
            _ => Response::ok("text/html", news_page()).delay(Duration::from_millis(40)),
        }
    });
    let one = feed(&server).replace("<guid>", "<guid>one-");
    let two = feed(&server)
        .replace("<guid>", "<guid>two-")
        .replace("/a<", "/d<")
        .replace("/b<", "/e<")
        .replace("/c<", "/f<");
    feeds.set([one, two]).unwrap();
    let user = User::new();
    user.write(
        "config/kiosque/feeds.toml",
        &format!(
            "[[feed]]\nurl = \"{}\"\nname = \"Un\"\nfulltext = true\n\n\
             [[feed]]\nurl = \"{}\"\nname = \"Deux\"\nfulltext = true\n",
            server.url("/one"),
            server.url("/two")
        ),
    );
    let out = user.kiosque().arg("fetch").output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        stdout.lines().take(2).collect::<Vec<_>>(),
        [
            "Un: 3 new, 0 updated, 3 full texts",
            "Deux: 3 new, 0 updated, 3 full texts"
        ],
        "{stdout}"
    );
    assert_eq!(server.request_count(), 8);
    assert_eq!(server.most_active(), 1);
    assert_eq!(titles(&user, "Logonna").len(), 6);
}
