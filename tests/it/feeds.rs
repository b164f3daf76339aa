//! `kiosque feeds` and `kiosque fetch` against feeds served on loopback addresses: formats,
//! compression, conditional requests, redirects, waits, limits, and what reaches the terminal.

use std::fs;
use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::common::http::{Request, Response, Server, files};
use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::{Value, json};

const LOCAL: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 1);

/// A user of their own (the `fulltext` tests have them too): config, data, state, cache and home in a temporary folder.
pub(crate) struct User {
    dir: tempfile::TempDir,
}

impl User {
    pub(crate) fn new() -> User {
        User {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub(crate) fn path(&self, sub: &str) -> PathBuf {
        self.dir.path().join(sub)
    }

    pub(crate) fn kiosque(&self) -> assert_cmd::Command {
        let mut cmd = cargo_bin_cmd!("kiosque");
        for (var, sub) in [
            ("XDG_CONFIG_HOME", "config"),
            ("XDG_DATA_HOME", "data"),
            ("XDG_STATE_HOME", "state"),
            ("XDG_CACHE_HOME", "cache"),
            ("HOME", "home"),
        ] {
            cmd.env(var, self.path(sub));
        }
        for var in [
            "HTTP_PROXY",
            "http_proxy",
            "HTTPS_PROXY",
            "https_proxy",
            "ALL_PROXY",
            "all_proxy",
            "NO_PROXY",
            "no_proxy",
        ] {
            cmd.env_remove(var);
        }
        cmd.timeout(Duration::from_secs(60));
        cmd
    }

    fn feeds_toml(&self) -> String {
        fs::read_to_string(self.path("config/kiosque/feeds.toml")).unwrap_or_default()
    }

    fn subscribe(&self, feeds: &[(&str, &str)]) {
        let mut text = String::new();
        for (name, url) in feeds {
            text.push_str(&format!("[[feed]]\nurl = \"{url}\"\nname = \"{name}\"\n\n"));
        }
        self.write("config/kiosque/feeds.toml", &text);
    }

    pub(crate) fn write(&self, sub: &str, text: &str) {
        let path = self.path(sub);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    /// Every article file under the feeds folder, sorted, relative to it.
    pub(crate) fn articles(&self) -> Vec<PathBuf> {
        let root = self.path("data/kiosque/feeds");
        let mut found = Vec::new();
        walk(&root, &mut found);
        found.sort();
        found
            .iter()
            .map(|p| p.strip_prefix(&root).unwrap().to_path_buf())
            .collect()
    }

    /// `kiosque fetch --json`: the exit code and one object per feed.
    fn fetch_json(&self, args: &[&str]) -> (i32, Vec<Value>, String) {
        let out = self
            .kiosque()
            .arg("fetch")
            .arg("--json")
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code().unwrap(),
            json_lines(&out.stdout),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if entry.file_type().unwrap().is_dir() {
            walk(&path, found);
        } else if path.extension().is_some_and(|e| e == "txt") {
            found.push(path);
        }
    }
}

pub(crate) fn json_lines(bytes: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(bytes)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn fixture(name: &str) -> Vec<u8> {
    fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/feeds")
            .join(name),
    )
    .unwrap()
}

fn rss(title: &str, items: &[(&str, &str)]) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{title}</title><link>https://example.org/</link>"
    );
    for (guid, text) in items {
        out.push_str(&format!(
            "<item><title>Item {guid}</title><guid>{guid}</guid><pubDate>Mon, 02 Mar 2026 10:00:00 +0000</pubDate><description>{text}</description></item>"
        ));
    }
    out.push_str("</channel></rss>");
    out
}

fn ok(results: &[Value], feed: &str, new: u64) -> Value {
    let url = results
        .iter()
        .find(|r| r["feed"] == feed)
        .map(|r| r["url"].clone())
        .unwrap_or(Value::Null);
    json!({"feed": feed, "url": url, "status": "ok", "new": new, "updated": 0, "error": null})
}

#[test]
fn every_format_is_fetched() {
    let served = [
        ("rss2", "rss2-lemonde.xml", "application/rss+xml"),
        ("rss090", "rss090.rdf", "application/rdf+xml"),
        ("rss1", "rss1-rdf.xml", "application/rdf+xml"),
        ("rss091", "rss091.xml", "text/xml"),
        ("atom", "atom-blogger.xml", "application/atom+xml"),
        ("json10", "jsonfeed-1.0.json", "application/feed+json"),
        ("json11", "jsonfeed-1.1.json", "application/feed+json"),
    ];
    let map = served
        .iter()
        .map(|(name, file, mime)| (format!("/{name}"), Response::ok(mime, fixture(file))))
        .collect();
    let server = Server::start(LOCAL, files(map));
    let user = User::new();
    let urls: Vec<(String, String)> = served
        .iter()
        .map(|(n, ..)| (n.to_string(), server.url(&format!("/{n}"))))
        .collect();
    user.subscribe(
        &urls
            .iter()
            .map(|(n, u)| (n.as_str(), u.as_str()))
            .collect::<Vec<_>>(),
    );
    let (code, results, stderr) = user.fetch_json(&[]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let counts: Vec<(String, u64)> = results
        .iter()
        .map(|r| {
            (
                r["feed"].as_str().unwrap().to_owned(),
                r["new"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        counts,
        [
            ("rss2", 2),
            ("rss090", 2),
            ("rss1", 2),
            ("rss091", 2),
            ("atom", 1),
            ("json10", 2),
            ("json11", 1)
        ]
        .map(|(n, c)| (n.to_owned(), c))
    );
    for (result, (name, url)) in results.iter().zip(&urls) {
        assert_eq!(
            *result,
            json!({"feed": name, "url": url, "status": "ok", "new": result["new"], "updated": 0, "error": null})
        );
    }
    assert_eq!(user.articles().len(), 12);
    // `kiosque list` reads the feeds folder with no PATH.
    let listed = user.kiosque().args(["list", "--json"]).output().unwrap();
    assert_eq!(json_lines(&listed.stdout).len(), 12);
    // The feed's own ttl is kept for `feeds list`.
    let feeds = json_lines(
        &user
            .kiosque()
            .args(["feeds", "list", "--json"])
            .output()
            .unwrap()
            .stdout,
    );
    let ttls: Vec<Value> = feeds.iter().map(|f| f["ttl_minutes"].clone()).collect();
    assert_eq!(
        ttls,
        [
            json!(15),
            Value::Null,
            Value::Null,
            Value::Null,
            Value::Null,
            Value::Null,
            Value::Null
        ]
    );
}

#[test]
fn gzip_is_decoded_and_a_bomb_is_an_error() {
    use std::io::Write;
    let body = rss("Compressed", &[("1", "one"), ("2", "two")]);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(body.as_bytes()).unwrap();
    let gzipped = gz.finish().unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    for _ in 0..64 {
        gz.write_all(&[b' '; 1 << 16]).unwrap();
    }
    let bomb = gz.finish().unwrap();
    assert!(bomb.len() < 64 * 1024);
    let accepts = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&accepts);
    let server = Server::start(LOCAL, move |r: &Request| {
        seen.lock()
            .unwrap()
            .push(r.header("accept-encoding").unwrap_or("").to_owned());
        match r.path.as_str() {
            "/gz" => Response::ok("application/rss+xml", gzipped.clone())
                .header("Content-Encoding", "gzip"),
            _ => {
                Response::ok("application/rss+xml", bomb.clone()).header("Content-Encoding", "gzip")
            }
        }
    });
    let user = User::new();
    user.write(
        "config/kiosque/config.toml",
        "[fetch]\nmax_size = \"64K\"\n",
    );
    user.subscribe(&[("gz", &server.url("/gz")), ("bomb", &server.url("/bomb"))]);
    let (code, results, _) = user.fetch_json(&[]);
    assert_eq!(code, 1);
    assert_eq!(results[0], ok(&results, "gz", 2));
    assert_eq!(results[1]["status"], "failed");
    assert_eq!(
        results[1]["error"],
        "the feed is larger than 256.0 KiB once decompressed"
    );
    assert_eq!(*accepts.lock().unwrap(), ["gzip, br", "gzip, br"]);
}

#[test]
fn an_unchanged_feed_costs_a_304_and_rewrites_nothing() {
    let body = rss("Conditional", &[("1", "one")]);
    let (etag_body, date_body) = (body.clone(), body);
    let server = Server::start(LOCAL, move |r: &Request| match r.path.as_str() {
        "/etag" if r.header("if-none-match") == Some("\"v1\"") => Response::new(304, ""),
        "/etag" => Response::ok("application/rss+xml", etag_body.clone()).header("ETag", "\"v1\""),
        _ if r.header("if-modified-since") == Some("Mon, 02 Mar 2026 10:00:00 GMT") => {
            Response::new(304, "")
        }
        _ => Response::ok("application/rss+xml", date_body.clone())
            .header("Last-Modified", "Mon, 02 Mar 2026 10:00:00 GMT"),
    });
    let user = User::new();
    user.subscribe(&[
        ("etag", &server.url("/etag")),
        ("date", &server.url("/date")),
    ]);
    let (code, first, _) = user.fetch_json(&[]);
    assert_eq!(
        (code, first[0]["new"].clone(), first[1]["new"].clone()),
        (0, json!(1), json!(1))
    );
    let files = user.articles();
    let stamp = |files: &[PathBuf]| {
        files
            .iter()
            .map(|f| {
                fs::metadata(user.path("data/kiosque/feeds").join(f))
                    .unwrap()
                    .modified()
                    .unwrap()
            })
            .collect::<Vec<_>>()
    };
    let before = stamp(&files);
    let (code, second, _) = user.fetch_json(&[]);
    assert_eq!(code, 0);
    for (result, name) in second.iter().zip(["etag", "date"]) {
        assert_eq!(
            *result,
            json!({"feed": name, "url": server.url(&format!("/{name}")), "status": "not-modified", "new": 0, "updated": 0, "error": null})
        );
    }
    assert_eq!(user.articles(), files);
    assert_eq!(stamp(&files), before);
    let etags: Vec<_> = server
        .requests("/etag")
        .iter()
        .map(|r| r.header("if-none-match").map(str::to_owned))
        .collect();
    assert_eq!(etags, [None, Some("\"v1\"".to_owned())]);
    let dates: Vec<_> = server
        .requests("/date")
        .iter()
        .map(|r| r.header("if-modified-since").map(str::to_owned))
        .collect();
    assert_eq!(
        dates,
        [None, Some("Mon, 02 Mar 2026 10:00:00 GMT".to_owned())]
    );
    let listed = user
        .kiosque()
        .args(["feeds", "list", "--json"])
        .output()
        .unwrap();
    let rows = json_lines(&listed.stdout);
    assert_eq!(
        (
            rows[0]["result"].clone(),
            rows[0]["articles"].clone(),
            rows[0]["unread"].clone()
        ),
        (json!("not-modified"), json!(1), json!(1))
    );
}

#[test]
fn a_permanent_redirect_moves_the_subscription_and_a_temporary_one_does_not() {
    let body = rss("Moved", &[("1", "one")]);
    let server = Server::start(LOCAL, move |r: &Request| match r.path.as_str() {
        "/old" => Response::new(301, "").header("Location", "/new"),
        "/tmp" => Response::new(302, "").header("Location", "/here"),
        "/loop-a" => Response::new(307, "").header("Location", "/loop-b"),
        "/loop-b" => Response::new(308, "").header("Location", "/loop-a"),
        "/local" => Response::new(302, "").header("Location", "file:///etc/passwd"),
        chain if chain.starts_with("/chain/") => {
            let n: u32 = chain[7..].parse().unwrap();
            Response::new(302, "").header("Location", &format!("/chain/{}", n + 1))
        }
        _ => Response::ok("application/rss+xml", body.clone()),
    });
    let user = User::new();
    user.subscribe(&[
        ("moved", &server.url("/old")),
        ("temporary", &server.url("/tmp")),
        ("loop", &server.url("/loop-a")),
        ("local", &server.url("/local")),
        ("chain", &server.url("/chain/0")),
    ]);
    let (code, results, stderr) = user.fetch_json(&[]);
    assert_eq!(
        results[3]["error"],
        "file:///etc/passwd is not http or https"
    );
    assert_eq!(results[4]["error"], "more than 8 redirects");
    assert_eq!(server.requests("/chain/8").len(), 1);
    assert_eq!(server.requests("/chain/9").len(), 0);
    assert_eq!(code, 1);
    assert_eq!(results[0]["url"], server.url("/new"));
    assert_eq!(results[0]["status"], "ok");
    assert_eq!(
        results[1],
        json!({"feed": "temporary", "url": server.url("/tmp"), "status": "ok", "new": 1, "updated": 0, "error": null})
    );
    assert_eq!(
        results[2],
        json!({"feed": "loop", "url": server.url("/loop-a"), "status": "failed", "new": 0, "updated": 0, "error": format!("redirect loop through {}", server.url("/loop-a"))})
    );
    assert_eq!(
        stderr,
        format!(
            "kiosque: moved moved for good; feeds.toml now says {}\n",
            server.url("/new")
        )
    );
    let toml = user.feeds_toml();
    assert!(
        toml.contains(&format!(
            "url = \"{}\"\nname = \"moved\"\nkey = \"{}\"",
            server.url("/new"),
            server.url("/old")
        )),
        "{toml}"
    );
    assert!(toml.contains(&format!("url = \"{}\"", server.url("/tmp"))));
    // The next fetch goes straight to the new address, keeps the folder, and finds nothing new.
    let (_, again, _) = user.fetch_json(&["moved", "temporary"]);
    assert_eq!(
        (again[0]["new"].clone(), again[1]["new"].clone()),
        (json!(0), json!(0))
    );
    assert_eq!(server.requests("/old").len(), 1);
    assert_eq!(server.requests("/tmp").len(), 2);
    assert_eq!(user.articles().len(), 2);
}

#[test]
fn retry_after_defers_the_host_now_and_next_time() {
    let server = Server::start(LOCAL, |r: &Request| match r.path.as_str() {
        "/busy" => Response::new(429, "slow down").header("Retry-After", "3600"),
        _ => Response::ok("application/rss+xml", rss("Other", &[("1", "one")])),
    });
    let other_host = Server::start(Ipv4Addr::new(127, 0, 0, 2), |_: &Request| {
        Response::ok("application/rss+xml", rss("Elsewhere", &[("1", "one")]))
    });
    let user = User::new();
    user.subscribe(&[
        ("busy", &server.url("/busy")),
        ("same-host", &server.url("/other")),
        ("elsewhere", &other_host.url("/feed")),
    ]);
    for run in 0..2 {
        let (code, results, _) = user.fetch_json(&[]);
        assert_eq!(code, 1);
        let statuses: Vec<_> = results
            .iter()
            .map(|r| r["status"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(statuses, ["deferred", "deferred", "ok"], "run {run}");
        let error = results[0]["error"].as_str().unwrap();
        let expected = if run == 0 {
            "the server answered 429 Too Many Requests and asks to wait until "
        } else {
            "not fetched: 127.0.0.1 asked to wait until "
        };
        assert!(error.starts_with(expected), "{error}");
        let error = results[1]["error"].as_str().unwrap();
        assert!(
            error.starts_with("not fetched: 127.0.0.1 asked to wait until "),
            "{error}"
        );
    }
    // One request in all to that host: the 429.
    assert_eq!(server.request_count(), 1);
    assert_eq!(other_host.request_count(), 2);
}

#[test]
fn limits_end_a_feed_not_the_fetch() {
    let big = rss("Big", &[("1", &"x".repeat(100 * 1024))]);
    let server = Server::start(LOCAL, move |r: &Request| match r.path.as_str() {
        "/slow" => {
            Response::ok("application/rss+xml", rss("Slow", &[])).delay(Duration::from_secs(20))
        }
        "/big" => Response::ok("application/rss+xml", big.clone()),
        "/gone" => Response::new(404, "no"),
        "/page" => Response::ok("text/html", "<html><body>no feed here</body></html>"),
        _ => Response::ok("application/rss+xml", rss("Fine", &[("1", "one")])),
    });
    let user = User::new();
    user.write(
        "config/kiosque/config.toml",
        "[fetch]\ntimeout = 1\nmax_size = \"64K\"\n",
    );
    user.subscribe(&[
        ("slow", &server.url("/slow")),
        ("big", &server.url("/big")),
        ("gone", &server.url("/gone")),
        ("page", &server.url("/page")),
        ("fine", &server.url("/fine")),
    ]);
    let (code, results, _) = user.fetch_json(&[]);
    assert_eq!(code, 1);
    let errors: Vec<_> = results.iter().map(|r| r["error"].clone()).collect();
    assert_eq!(errors[0], "no answer within 1 s");
    assert_eq!(errors[1], "the feed is larger than 64.0 KiB (sent size)");
    assert_eq!(errors[2], "the server answered 404 Not Found");
    assert!(
        errors[3].as_str().unwrap().starts_with("not a feed: "),
        "{}",
        errors[3]
    );
    assert_eq!(results[4], ok(&results, "fine", 1));
    assert_eq!(user.articles().len(), 1);
}

#[test]
fn feeds_add_finds_the_feed_a_page_announces() {
    let server = Server::start(LOCAL, |r: &Request| match r.path.as_str() {
        "/blog/" => Response::ok(
            "text/html; charset=utf-8",
            "<!DOCTYPE html><html><head><title>Blog</title><link rel=\"alternate\" type=\"application/rss+xml\" href=\"feed.xml\"></head><body>Hi</body></html>",
        ),
        "/blog/feed.xml" => Response::ok(
            "application/rss+xml",
            rss("Le Blog", &[("1", "one"), ("2", "two")]),
        ),
        _ => Response::ok(
            "text/html",
            "<html><head><title>Nothing</title></head></html>",
        ),
    });
    let user = User::new();
    let added = user
        .kiosque()
        .args(["feeds", "add", &server.url("/blog/")])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&added.stdout),
        format!(
            "subscribed to “Le Blog” ({}): 2 articles saved\n",
            server.url("/blog/feed.xml")
        )
    );
    assert_eq!(added.status.code(), Some(0));
    assert!(user.feeds_toml().contains(&format!(
        "[[feed]]\nurl = \"{}\"\nname = \"Le Blog\"\n",
        server.url("/blog/feed.xml")
    )));
    assert_eq!(user.articles().len(), 2);
    let again = user
        .kiosque()
        .args(["feeds", "add", &server.url("/blog/feed.xml")])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&again.stderr),
        format!(
            "kiosque: already subscribed to {} as “Le Blog”\n",
            server.url("/blog/feed.xml")
        )
    );
    let none = user
        .kiosque()
        .args(["feeds", "add", &server.url("/plain")])
        .output()
        .unwrap();
    assert_eq!(none.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&none.stderr);
    assert!(
        stderr.starts_with(&format!(
            "kiosque: {} is not a feed (",
            server.url("/plain")
        )),
        "{stderr}"
    );
    assert!(stderr.ends_with(") and announces none\n"), "{stderr}");
    assert_eq!(
        user.kiosque()
            .args(["feeds", "list", "--json"])
            .output()
            .unwrap()
            .stdout
            .iter()
            .filter(|&&b| b == b'\n')
            .count(),
        1
    );
}

#[test]
fn duplicate_guids_make_one_article() {
    let server = Server::start(LOCAL, |_: &Request| {
        Response::ok("application/rss+xml", fixture("duplicate-guids.xml"))
    });
    let user = User::new();
    user.subscribe(&[("double", &server.url("/feed"))]);
    let (code, results, _) = user.fetch_json(&[]);
    assert_eq!((code, results[0]["new"].clone()), (0, json!(3)));
    assert_eq!(user.articles().len(), 3);
}

#[test]
fn an_item_updated_upstream_keeps_its_read_mark() {
    let version = Arc::new(Mutex::new(1));
    let current = Arc::clone(&version);
    let server = Server::start(LOCAL, move |_: &Request| {
        let text = if *current.lock().unwrap() == 1 {
            "First text."
        } else {
            "Corrected text."
        };
        Response::ok("application/rss+xml", rss("Updates", &[("post-1", text)]))
    });
    let user = User::new();
    user.subscribe(&[("updates", &server.url("/feed"))]);
    user.fetch_json(&[]);
    let [file] = &user.articles()[..] else {
        panic!("{:?}", user.articles())
    };
    let file = user.path("data/kiosque/feeds").join(file);
    let identity = |path: &Path| {
        kiosque::store::header::identity_fingerprint(&fs::read_to_string(path).unwrap())
    };
    let (store, mut marks, _) =
        kiosque::store::marks::Store::open(user.path("state/kiosque/state.json")).unwrap();
    let change = marks.set_read(identity(&file), true);
    store.save(&[change]).unwrap();
    *version.lock().unwrap() = 2;
    let (_, results, _) = user.fetch_json(&[]);
    assert_eq!(
        (results[0]["new"].clone(), results[0]["updated"].clone()),
        (json!(0), json!(1))
    );
    assert!(
        fs::read_to_string(&file)
            .unwrap()
            .contains("Corrected text.")
    );
    let (_, marks, _) =
        kiosque::store::marks::Store::open(user.path("state/kiosque/state.json")).unwrap();
    assert!(marks.is_read(identity(&file)));
    let rows = json_lines(
        &user
            .kiosque()
            .args(["feeds", "list", "--json"])
            .output()
            .unwrap()
            .stdout,
    );
    assert_eq!(
        (rows[0]["articles"].clone(), rows[0]["unread"].clone()),
        (json!(1), json!(0))
    );
}

/// No escape, C1 control or bidi override from a feed reaches the terminal.
fn assert_clean(output: &[u8], what: &str) {
    let text = String::from_utf8_lossy(output);
    let bad: Vec<char> = text
        .chars()
        .filter(|&c| {
            (c.is_control() && c != '\n')
                || ('\u{202a}'..='\u{202e}').contains(&c)
                || ('\u{2066}'..='\u{2069}').contains(&c)
        })
        .collect();
    assert!(bad.is_empty(), "{what}: {bad:?} in {text}");
}

#[test]
fn hostile_titles_never_reach_the_terminal() {
    let server = Server::start(LOCAL, |r: &Request| match r.path.as_str() {
        "/hostile" => Response::ok("application/rss+xml", fixture("hostile.xml")),
        _ => Response::new(500, ""),
    });
    let user = User::new();
    let added = user
        .kiosque()
        .args(["feeds", "add", &server.url("/hostile")])
        .output()
        .unwrap();
    assert_eq!(
        added.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    assert_clean(&added.stdout, "feeds add");
    let said = String::from_utf8_lossy(&added.stdout);
    assert!(
        said.starts_with("subscribed to “../../etc/passwd ]0;pwned Feed” ("),
        "{said}"
    );
    for args in [
        &["fetch"][..],
        &["fetch", "--json"],
        &["feeds", "list"],
        &["feeds", "list", "--json"],
        &["list"],
        &["feeds", "export"],
    ] {
        let out = user.kiosque().args(args).output().unwrap();
        assert_clean(&out.stdout, &args.join(" "));
        assert_clean(&out.stderr, &args.join(" "));
    }
    for file in user.articles() {
        assert!(file.components().count() == 3, "{file:?}");
    }
}

#[test]
fn one_request_at_a_time_per_host() {
    // Three hosts, four feeds each; every answer waits until all three hosts are busy (or
    // two seconds pass), so feeds of different hosts are fetched at the same time.
    let busy: Arc<Mutex<[usize; 3]>> = Arc::default();
    let peak = Arc::new(Mutex::new(0));
    let servers: Vec<Server> = (0..3)
        .map(|h| {
            let (busy, peak) = (Arc::clone(&busy), Arc::clone(&peak));
            Server::start(
                Ipv4Addr::new(127, 0, 0, 10 + h as u8),
                move |r: &Request| {
                    {
                        let mut busy = busy.lock().unwrap();
                        busy[h] += 1;
                        let hosts = busy.iter().filter(|&&n| n > 0).count();
                        let mut peak = peak.lock().unwrap();
                        *peak = (*peak).max(hosts);
                    }
                    for _ in 0..400 {
                        if busy.lock().unwrap().iter().all(|&n| n > 0) {
                            break;
                        }
                        std::thread::sleep(Duration::from_millis(5));
                    }
                    let response =
                        Response::ok("application/rss+xml", rss(&r.path, &[("1", "one")]))
                            .delay(Duration::from_millis(20));
                    busy.lock().unwrap()[h] -= 1;
                    response
                },
            )
        })
        .collect();
    let user = User::new();
    let names: Vec<(String, String)> = (0..12)
        .map(|i| (format!("f{i}"), servers[i % 3].url(&format!("/f{i}"))))
        .collect();
    user.subscribe(
        &names
            .iter()
            .map(|(n, u)| (n.as_str(), u.as_str()))
            .collect::<Vec<_>>(),
    );
    let (code, results, _) = user.fetch_json(&[]);
    assert_eq!(code, 0);
    assert!(results.iter().all(|r| r["status"] == "ok"));
    let most: Vec<usize> = servers.iter().map(Server::most_active).collect();
    assert_eq!(most, [1, 1, 1]);
    // ... while the three hosts were served at once.
    assert_eq!(*peak.lock().unwrap(), 3);
    assert!(servers.iter().all(|s| s.request_count() == 4));
}

#[test]
fn a_second_fetch_says_another_is_running() {
    let user = User::new();
    user.subscribe(&[("x", "http://127.0.0.1:9/feed")]);
    fs::create_dir_all(user.path("data/kiosque")).unwrap();
    let _held =
        kiosque::feeds::fetch_state::lock(&user.path("data/kiosque/fetch.lock"), Duration::ZERO)
            .unwrap();
    user.kiosque()
        .arg("fetch")
        .assert()
        .code(1)
        .stdout("")
        .stderr("kiosque: another kiosque is fetching the feeds; try again once it ends\n");
}

#[test]
fn opml_import_export_and_remove() {
    let user = User::new();
    user.subscribe(&[("Known", "https://known.example/feed")]);
    user.write(
        "in.opml",
        r#"<?xml version="1.0"?><opml version="2.0"><head/><body>
<outline text="Tech"><outline text="A &amp; B" xmlUrl="https://a.example/rss" category="x"/></outline>
<outline text="known" xmlUrl="https://known.example/feed"/>
<outline text="https://c.example/atom" xmlUrl="https://c.example/atom"/>
<outline text="again" xmlUrl="https://a.example/rss"/>
</body></opml>"#,
    );
    user.kiosque()
        .args(["feeds", "import"])
        .arg(user.path("in.opml"))
        .assert()
        .success()
        .stdout(format!("imported 2 feeds from {}; 2 skipped as duplicates; run `kiosque fetch` to fetch them\n", user.path("in.opml").display()))
        .stderr("kiosque: skipped https://known.example/feed (already subscribed)\nkiosque: skipped https://a.example/rss (already subscribed)\n");
    let exported = user
        .kiosque()
        .args(["feeds", "export"])
        .output()
        .unwrap()
        .stdout;
    user.write("out.opml", &String::from_utf8(exported).unwrap());
    let other = User::new();
    other
        .kiosque()
        .args(["feeds", "import"])
        .arg(user.path("out.opml"))
        .assert()
        .success();
    let rows = |u: &User| {
        let mut rows: Vec<Value> = json_lines(
            &u.kiosque()
                .args(["feeds", "list", "--json"])
                .output()
                .unwrap()
                .stdout,
        )
        .into_iter()
        .map(|r| json!([r["name"], r["url"], r["tags"]]))
        .collect();
        rows.sort_by_key(|r| r.to_string());
        rows
    };
    assert_eq!(rows(&other), rows(&user));
    assert_eq!(
        rows(&user),
        [
            json!(["A & B", "https://a.example/rss", ["Tech", "x"]]),
            json!(["Known", "https://known.example/feed", []]),
            json!(["c.example/atom", "https://c.example/atom", []]),
        ]
    );
    user.kiosque()
        .args(["feeds", "remove", "a & b"])
        .assert()
        .success()
        .stdout("removed “A & B”\n");
    user.kiosque()
        .args(["feeds", "remove", "nothing"])
        .assert()
        .code(1)
        .stderr("kiosque: no feed is called “nothing” (see `kiosque feeds list`)\n");
    assert_eq!(rows(&user).len(), 2);
    // Edits leave nothing else in the config folder (people keep it in version control).
    let config: Vec<_> = fs::read_dir(user.path("config/kiosque"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(config, ["feeds.toml"]);
    let bad = user
        .kiosque()
        .args(["feeds", "import"])
        .arg(user.path("feeds.toml"))
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn remove_can_delete_the_articles() {
    let server = Server::start(LOCAL, |_: &Request| {
        Response::ok("application/rss+xml", rss("R", &[("1", "a"), ("2", "b")]))
            .header("Cache-Control", "public, max-age=3600")
    });
    let user = User::new();
    user.subscribe(&[("r", &server.url("/feed"))]);
    user.fetch_json(&[]);
    assert_eq!(user.articles().len(), 2);
    let listed = String::from_utf8(
        user.kiosque()
            .args(["feeds", "list"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let lines: Vec<&str> = listed.lines().collect();
    assert_eq!(lines.len(), 3, "{listed}");
    assert_eq!(
        lines[..2],
        ["r".to_owned(), format!("  {}", server.url("/feed"))]
    );
    assert!(
        lines[2].starts_with("  last fetch 20")
            && lines[2].ends_with(": ok; 2 articles, 2 unread, max-age 3600 s"),
        "{listed}"
    );
    user.kiosque()
        .args(["feeds", "remove", &server.url("/feed"), "--delete-articles"])
        .assert()
        .success()
        .stdout("removed “r” and deleted its 2 articles\n");
    assert_eq!(user.articles().len(), 0);
    assert!(user.path("data/kiosque/feeds").is_dir());
}

#[test]
fn subscribed_but_not_fetched_says_how_to_fetch() {
    let user = User::new();
    user.subscribe(&[("x", "https://x.example/feed")]);
    user.kiosque()
        .arg("list")
        .assert()
        .success()
        .stdout("")
        .stderr("kiosque: no articles yet from your 1 feed: run `kiosque fetch`\n");
    let empty = User::new();
    // No subscription, no configured path: the embedded sample.
    let sample = empty.kiosque().args(["list", "--json"]).output().unwrap();
    assert_eq!(json_lines(&sample.stdout).len(), 14);
}

#[test]
fn a_malformed_feeds_toml_names_its_line() {
    let user = User::new();
    user.write(
        "config/kiosque/feeds.toml",
        "[[feed]]\nurl = \"https://x.example/\"\nkeep = \"forever\"\n",
    );
    user.kiosque().arg("fetch").assert().code(2).stderr(format!(
        "kiosque: {}, line 3: keep is “forever”: write a number and d, w, m or y, as \"6m\"\n",
        user.path("config/kiosque/feeds.toml").display()
    ));
}

#[test]
fn fetch_names_feeds_and_tags() {
    let server = Server::start(LOCAL, |r: &Request| {
        Response::ok("application/rss+xml", rss(&r.path, &[("1", "a")]))
    });
    let user = User::new();
    user.write(
        "config/kiosque/feeds.toml",
        &format!(
            "[[feed]]\nurl = \"{}\"\nname = \"One\"\ntags = [\"news\"]\n\n[[feed]]\nurl = \"{}\"\nname = \"Two\"\n\n[[feed]]\nurl = \"{}\"\ntags = [\"News\"]\n",
            server.url("/1"),
            server.url("/2"),
            server.url("/3")
        ),
    );
    let (_, results, _) = user.fetch_json(&["news"]);
    let fetched: Vec<_> = results.iter().map(|r| r["url"].clone()).collect();
    assert_eq!(fetched, [json!(server.url("/1")), json!(server.url("/3"))]);
    let text = user.kiosque().args(["fetch", "two"]).output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&text.stdout),
        "Two: 1 new, 0 updated\n1 feed: 1 fetched, 0 not modified, 0 failed, 0 deferred; 1 new article, 0 updated (read them with `kiosque`)\n"
    );
    user.kiosque()
        .args(["fetch", "three"])
        .assert()
        .code(2)
        .stderr("kiosque: no feed or tag is called “three” (see `kiosque feeds list`)\n");
}

#[test]
fn proxies_come_from_the_environment() {
    let server = Server::start(LOCAL, |_: &Request| {
        Response::ok("application/rss+xml", rss("P", &[("1", "a")]))
    });
    let proxy = Server::start(Ipv4Addr::new(127, 0, 0, 3), |_: &Request| {
        Response::new(403, "no")
    });
    let user = User::new();
    user.subscribe(&[("p", &server.url("/feed"))]);
    let run = |vars: &[(&str, String)]| {
        let mut cmd = user.kiosque();
        cmd.args(["fetch", "--json"]);
        for (name, value) in vars {
            cmd.env(name, value);
        }
        let result = json_lines(&cmd.output().unwrap().stdout)[0].clone();
        (result["status"].clone(), result["error"].clone())
    };
    let via = format!("http://{}", proxy.addr);
    assert_eq!(
        run(&[("HTTP_PROXY", via.clone())]),
        (
            json!("failed"),
            json!("the proxy would not connect: proxy server responded 403/403")
        )
    );
    let asked: Vec<_> = proxy
        .stats
        .requests
        .lock()
        .unwrap()
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert_eq!(asked, [format!("CONNECT {}", server.addr)]);
    let ok = (json!("ok"), Value::Null);
    assert_eq!(
        run(&[
            ("HTTP_PROXY", via.clone()),
            ("NO_PROXY", "localhost,127.0.0.1".to_owned())
        ]),
        ok
    );
    // An https proxy is for https feeds only.
    assert_eq!(run(&[("https_proxy", via)]), ok);
    assert_eq!(proxy.request_count(), 1);
    assert_eq!(server.request_count(), 2);
}

#[test]
fn fetch_on_a_terminal_shows_progress_then_a_summary() {
    use crate::common::tmux::{TIMEOUT, Tmux};
    let server = Server::start(LOCAL, |r: &Request| {
        let response = Response::ok("application/rss+xml", rss("T", &[("1", "a")]));
        match r.path.as_str() {
            // Slow enough for the progress line to be seen, and bounded.
            "/slow" => response.delay(Duration::from_secs(3)),
            _ => response,
        }
    });
    let term = Tmux::start(100, 20);
    let config = term.config_home().join("kiosque");
    fs::create_dir_all(&config).unwrap();
    fs::write(
        config.join("feeds.toml"),
        format!(
            "[[feed]]\nurl = \"{}\"\nname = \"Fast\"\n[[feed]]\nurl = \"{}\"\nname = \"Slow\"\n",
            server.url("/fast"),
            server.url("/slow")
        ),
    )
    .unwrap();
    let data = tempfile::tempdir().unwrap();
    term.send_line(&format!(
        "XDG_DATA_HOME={} {} fetch",
        crate::common::shell_quote(&data.path().to_string_lossy()),
        crate::common::shell_quote(crate::common::KIOSQUE)
    ));
    term.wait_for(
        |s| s.contains("fetching: 1/2 feeds, 1 new articles"),
        TIMEOUT,
    )
    .unwrap_or_else(|screen| panic!("{screen}"));
    let screen = term
        .wait_for(|s| s.contains("2 feeds: 2 fetched"), TIMEOUT)
        .unwrap_or_else(|screen| panic!("{screen}"));
    assert!(!screen.contains("fetching:"), "{screen}");
    assert!(
        screen.contains(
            "Fast: 1 new, 0 updated\nSlow: 1 new, 0 updated\n2 feeds: 2 fetched, 0 not modified"
        ),
        "{screen}"
    );
}

#[test]
fn keep_deletes_old_articles_but_not_starred_ones() {
    let now = chrono::Utc::now().to_rfc2822();
    let old = "Mon, 05 Mar 2001 10:00:00 +0000";
    let items: String = [("old-one", old), ("old-two", old), ("fresh", now.as_str())]
        .map(|(guid, date)| {
            format!("<item><title>{guid}</title><guid>{guid}</guid><pubDate>{date}</pubDate><description>Text {guid}.</description></item>")
        })
        .concat();
    let body = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>K</title>{items}</channel></rss>"
    );
    let server = Server::start(LOCAL, move |_: &Request| {
        Response::ok("application/rss+xml", body.clone())
    });
    let user = User::new();
    user.subscribe(&[("k", &server.url("/feed"))]);
    assert_eq!(user.fetch_json(&[]).1[0]["new"], 3);
    let root = user.path("data/kiosque/feeds");
    let starred = root.join(
        user.articles()
            .into_iter()
            .find(|f| f.to_string_lossy().contains("old-two"))
            .unwrap(),
    );
    let identity =
        kiosque::store::header::identity_fingerprint(&fs::read_to_string(&starred).unwrap());
    let (store, mut marks, _) =
        kiosque::store::marks::Store::open(user.path("state/kiosque/state.json")).unwrap();
    store.save(&[marks.set_starred(identity, true)]).unwrap();
    let toml = format!("keep = \"30d\"\n\n{}", user.feeds_toml());
    user.write("config/kiosque/feeds.toml", &toml);
    let first = user.kiosque().arg("fetch").output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&first.stdout).lines().next(),
        Some("k: 0 new, 0 updated, 1 old deleted")
    );
    let names: Vec<String> = user
        .articles()
        .iter()
        .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(
        names[0].contains("old-two") || names[1].contains("old-two"),
        "{names:?}"
    );
    assert!(names.iter().any(|n| n.contains("fresh")), "{names:?}");
    // What keep deleted does not come back with the next fetch.
    let again = user.kiosque().arg("fetch").output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&again.stdout).lines().next(),
        Some("k: 0 new, 0 updated")
    );
    assert_eq!(user.articles().len(), 2);
}

#[test]
fn kiosque_list_reads_the_configured_paths_and_the_feeds() {
    let server = Server::start(LOCAL, |_: &Request| {
        Response::ok("application/rss+xml", rss("F", &[("1", "From the feed.")]))
    });
    let user = User::new();
    user.write(
        "mine/note.txt",
        "A note of mine\n\nWritten by hand, kept in my own folder.\n",
    );
    user.write(
        "config/kiosque/config.toml",
        &format!("paths = [\"{}\"]\n", user.path("mine").display()),
    );
    user.subscribe(&[("f", &server.url("/feed"))]);
    user.fetch_json(&[]);
    let listed = user.kiosque().args(["list", "--json"]).output().unwrap();
    let mut titles: Vec<String> = json_lines(&listed.stdout)
        .iter()
        .map(|r| r["title"].as_str().unwrap().to_owned())
        .collect();
    titles.sort();
    assert_eq!(titles, ["A note of mine", "Item 1"]);
}

/// `tag:` finds the articles of the feeds feeds.toml tags so (by their key, which a moved
/// feed keeps), from the files and then from the list cache; a feeds.toml that cannot be
/// read says why the tags are unknown, to a query that asks for them only.
#[test]
fn tag_finds_the_articles_of_the_feeds_tagged_so() {
    let user = User::new();
    user.write(
        "config/kiosque/feeds.toml",
        "[[feed]]\nurl = \"https://a.example/rss\"\nname = \"A\"\ntags = [\"Science-fiction\", \"fr\"]\n\n\
         [[feed]]\nurl = \"https://b.example/moved\"\nkey = \"https://b.example/rss\"\nname = \"B\"\ntags = [\"tech\"]\n\n\
         [[feed]]\nurl = \"https://c.example/rss\"\nname = \"C\"\n",
    );
    let saved = |key: &str, id: &str, day: u32| {
        format!(
            "date 2026-03-0{day}\nkiosque-article 1\ntitle: Article {id}\nfeed: Feed {id}\n\
             feed-key: {key}\nid: {id}\nkiosque-article end\nTexte {id}.\n"
        )
    };
    user.write("articles/a.txt", &saved("https://a.example/rss", "a", 3));
    user.write("articles/b.txt", &saved("https://b.example/rss", "b", 2));
    user.write("articles/c.txt", &saved("https://c.example/rss", "c", 1));
    user.write("articles/plain.txt", "date 2026-03-04 Un fichier tech.");
    let articles = user.path("articles");
    let titles = |query: &str| -> Vec<String> {
        let out = user
            .kiosque()
            .args(["list", "--json", "--query", query])
            .arg(&articles)
            .output()
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "{query}");
        json_lines(&out.stdout)
            .iter()
            .map(|row| row["title"].as_str().unwrap().to_owned())
            .collect()
    };
    for from in ["the files", "the list cache"] {
        assert_eq!(titles("tag:science"), ["Article a"], "{from}");
        assert_eq!(titles("tag:FICTION"), ["Article a"], "{from}");
        assert_eq!(titles("tag:tech"), ["Article b"], "{from}: a moved feed");
        assert_eq!(
            titles("tag:fr OR tag:tech"),
            ["Article a", "Article b"],
            "{from}"
        );
        assert_eq!(
            titles("-tag:tech"),
            ["Un fichier tech.", "Article a", "Article c"],
            "{from}"
        );
        assert_eq!(
            titles("tag:\"science\""),
            ["Article a"],
            "{from}: a whole word"
        );
        assert!(
            titles("tag:\"scien\"").is_empty(),
            "{from}: a whole word only"
        );
        assert!(user.path("cache").exists(), "{from}");
    }
    user.write("config/kiosque/feeds.toml", "[[feed]]\nurl = 3\n");
    let broken = user
        .kiosque()
        .args(["list", "--query", "tag:tech"])
        .arg(&articles)
        .output()
        .unwrap();
    assert!(broken.status.success());
    assert!(broken.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&broken.stderr);
    assert!(
        stderr.starts_with("kiosque: the feeds' tags are unknown: ") && stderr.contains("line 2"),
        "{stderr}"
    );
    assert_eq!(
        titles("feed:c"),
        ["Article c"],
        "no tag asked for, nothing said"
    );
}
