//! `kiosque fetch` end to end: 200 feeds of 50 items (about 21 MB) on 20 loopback hosts
//! (127.0.0.1 to 127.0.0.20), each answer sent after 100 ms. Times `feeds import` of the OPML,
//! the first `kiosque fetch`, and a second one where every feed answers 304; peak memory of
//! each run comes from `/usr/bin/time -f %M`.
//!
//! `cargo bench --bench fetch` (the binary is the optimised one Cargo builds for benches);
//! `TMPDIR=/dev/shm cargo bench --bench fetch` keeps the disk out of the measure.

#[path = "../tests/common/http.rs"]
#[allow(dead_code)]
mod http;

use std::fmt::Write as _;
use std::net::Ipv4Addr;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use http::{Request, Response, Server};

const HOSTS: usize = 20;
const FEEDS: usize = 200;
const ITEMS: usize = 50;
const DELAY: Duration = Duration::from_millis(100);

/// One feed's RSS: 50 items of about 2 KB of HTML each, deterministic.
fn feed(f: usize) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel>\
         <title>Feed {f}</title><link>https://feed{f}.example/</link><ttl>60</ttl>\n"
    );
    for i in 0..ITEMS {
        let mut body = String::new();
        for p in 0..7 {
            let _ = write!(
                body,
                "&lt;p&gt;Paragraphe {p} de l’article {i} du flux {f} : les élus ont débattu \
                 longuement du budget, de la santé et des transports, puis la séance a été \
                 levée tard dans la soirée sans &lt;a href=\"https://feed{f}.example/{i}/{p}\"&gt;vote&lt;/a&gt; final.&lt;/p&gt;"
            );
        }
        let _ = writeln!(
            out,
            "<item><title>Article {i} du flux {f}</title><link>https://feed{f}.example/{i}</link>\
             <guid>feed{f}-item{i}</guid><pubDate>Mon, {:02} Mar 2026 {:02}:00:00 +0100</pubDate>\
             <description>{body}</description></item>",
            1 + i % 28,
            i % 24
        );
    }
    out.push_str("</channel></rss>\n");
    out
}

/// Runs kiosque under `/usr/bin/time`: (seconds, CPU seconds, peak RSS in MB, stdout).
fn timed(kiosque: &str, home: &Path, args: &[&str]) -> (f64, f64, f64, String) {
    let mut command = Command::new("/usr/bin/time");
    command.args(["-f", "%U %S %M"]).arg(kiosque).args(args);
    for (var, sub) in [
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CACHE_HOME", "cache"),
        ("HOME", "home"),
    ] {
        command.env(var, home.join(sub));
    }
    for var in [
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
    ] {
        command.env_remove(var);
    }
    let start = Instant::now();
    let out = command.output().expect("run /usr/bin/time kiosque");
    let seconds = start.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let numbers: Vec<f64> = stderr
        .lines()
        .last()
        .unwrap_or_default()
        .split_whitespace()
        .filter_map(|n| n.parse().ok())
        .collect();
    let (cpu, kb) = match numbers[..] {
        [user, system, kb] => (user + system, kb),
        _ => (f64::NAN, f64::NAN),
    };
    (
        seconds,
        cpu,
        kb / 1024.0,
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn main() {
    let kiosque = env!("CARGO_BIN_EXE_kiosque");
    let bodies: Arc<Vec<String>> = Arc::new((0..FEEDS).map(feed).collect());
    let total: usize = bodies.iter().map(String::len).sum();
    let servers: Vec<Server> = (0..HOSTS)
        .map(|h| {
            let bodies = Arc::clone(&bodies);
            Server::start(Ipv4Addr::new(127, 0, 0, 1 + h as u8), move |r: &Request| {
                let f: usize = r
                    .path
                    .trim_start_matches("/feed/")
                    .parse()
                    .unwrap_or(usize::MAX);
                let Some(body) = bodies.get(f) else {
                    return Response::new(404, "");
                };
                let etag = format!("\"v{f}\"");
                let response = if r.header("if-none-match") == Some(etag.as_str()) {
                    Response::new(304, "")
                } else {
                    Response::ok("application/rss+xml", body.clone())
                };
                response.header("ETag", &etag).delay(DELAY)
            })
        })
        .collect();
    let home = tempfile::tempdir().expect("a temporary folder");
    let mut opml = String::from("<?xml version=\"1.0\"?><opml version=\"2.0\"><head/><body>\n");
    for f in 0..FEEDS {
        let url = servers[f % HOSTS].url(&format!("/feed/{f}"));
        let _ = writeln!(opml, "<outline text=\"Feed {f}\" xmlUrl=\"{url}\"/>");
    }
    opml.push_str("</body></opml>\n");
    let opml_path = home.path().join("feeds.opml");
    std::fs::write(&opml_path, opml).expect("write the OPML");
    println!(
        "{FEEDS} feeds × {ITEMS} items, {:.1} MB, on {HOSTS} hosts answering after {} ms",
        total as f64 / 1e6,
        DELAY.as_millis()
    );
    let opml_arg = opml_path.to_string_lossy().into_owned();
    let (s, cpu, mb, _) = timed(kiosque, home.path(), &["feeds", "import", &opml_arg]);
    println!("feeds import:       {s:6.3} s  cpu {cpu:6.2} s  peak {mb:6.1} MB");
    for name in ["first fetch:      ", "refetch (all 304):"] {
        let (s, cpu, mb, out) = timed(kiosque, home.path(), &["fetch"]);
        let summary = out.lines().last().unwrap_or("");
        println!("{name}  {s:6.3} s  cpu {cpu:6.2} s  peak {mb:6.1} MB  ({summary})");
    }
    let requests: usize = servers.iter().map(Server::request_count).sum();
    let most = servers.iter().map(Server::most_active).max().unwrap_or(0);
    println!("requests served: {requests}; most at once on one host: {most}");
}
