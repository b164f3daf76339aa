//! A small HTTP/1.1 server on a loopback address for the feed tests: answers each request
//! with what the test's handler says, one connection per request, and counts requests and
//! simultaneous connections. It stops when dropped; every wait in it is bounded.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// At most this many connections per server: a runaway client cannot make a test hang.
const MAX_CONNECTIONS: usize = 5_000;
/// How long the server waits for a request's head.
const READ_TIMEOUT: Duration = Duration::from_secs(5);

/// One request as received.
#[derive(Clone, Debug)]
pub struct Request {
    pub method: String,
    pub path: String,
    /// Names in lowercase.
    pub headers: Vec<(String, String)>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What to answer.
#[derive(Clone, Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Waited before answering (interrupted when the server stops).
    pub delay: Duration,
}

impl Response {
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Response {
        Response {
            status,
            headers: Vec::new(),
            body: body.into(),
            delay: Duration::ZERO,
        }
    }

    pub fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Response {
        Response::new(200, body).header("Content-Type", content_type)
    }

    pub fn header(mut self, name: &str, value: &str) -> Response {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn delay(mut self, delay: Duration) -> Response {
        self.delay = delay;
        self
    }
}

pub type Handler = Arc<dyn Fn(&Request) -> Response + Send + Sync>;

/// What a server saw.
#[derive(Default)]
pub struct Stats {
    pub requests: Mutex<Vec<Request>>,
    active: AtomicUsize,
    most_active: AtomicUsize,
}

pub struct Server {
    pub addr: SocketAddr,
    pub stats: Arc<Stats>,
    stop: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
}

impl Server {
    /// Serves `handler` on `ip` (any 127.x.y.z), on a free port.
    pub fn start(
        ip: Ipv4Addr,
        handler: impl Fn(&Request) -> Response + Send + Sync + 'static,
    ) -> Server {
        let listener = TcpListener::bind((ip, 0)).expect("bind a loopback port");
        let addr = listener.local_addr().expect("the bound address");
        let stats = Arc::new(Stats::default());
        let stop = Arc::new(AtomicBool::new(false));
        let handler: Handler = Arc::new(handler);
        let accept = {
            let (stats, stop) = (Arc::clone(&stats), Arc::clone(&stop));
            thread::spawn(move || {
                for (n, stream) in listener.incoming().enumerate() {
                    if stop.load(Ordering::SeqCst) || n >= MAX_CONNECTIONS {
                        return;
                    }
                    let Ok(stream) = stream else { continue };
                    let (stats, stop, handler) =
                        (Arc::clone(&stats), Arc::clone(&stop), Arc::clone(&handler));
                    thread::spawn(move || serve(stream, &stats, &stop, &handler));
                }
            })
        };
        Server {
            addr,
            stats,
            stop,
            accept: Some(accept),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The requests made for `path`, in order.
    pub fn requests(&self, path: &str) -> Vec<Request> {
        let all = self
            .stats
            .requests
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        all.iter().filter(|r| r.path == path).cloned().collect()
    }

    pub fn request_count(&self) -> usize {
        self.stats
            .requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .len()
    }

    /// The most connections this server had open at once.
    pub fn most_active(&self) -> usize {
        self.stats.most_active.load(Ordering::SeqCst)
    }

    /// Connections open now.
    pub fn active(&self) -> usize {
        self.stats.active.load(Ordering::SeqCst)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop, which then sees the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
    }
}

fn serve(stream: TcpStream, stats: &Stats, stop: &AtomicBool, handler: &Handler) {
    let now = stats.active.fetch_add(1, Ordering::SeqCst) + 1;
    stats.most_active.fetch_max(now, Ordering::SeqCst);
    if let Some(request) = read_request(&stream) {
        stats
            .requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(request.clone());
        let response = handler(&request);
        let until = Instant::now() + response.delay;
        while Instant::now() < until && !stop.load(Ordering::SeqCst) {
            thread::sleep(Duration::from_millis(5).min(until - Instant::now()));
        }
        // Counted out before the answer goes: a client that waits for the answer before its
        // next request is then never seen twice, however the threads are scheduled.
        stats.active.fetch_sub(1, Ordering::SeqCst);
        let _ = write_response(&stream, &response, request.method == "HEAD");
    } else {
        stats.active.fetch_sub(1, Ordering::SeqCst);
    }
}

fn read_request(stream: &TcpStream) -> Option<Request> {
    stream.set_read_timeout(Some(READ_TIMEOUT)).ok()?;
    // The head of a request is small: 64 KB is plenty and bounds a bad client.
    let mut reader = BufReader::new(stream.take(64 * 1024));
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_owned();
    let path = parts.next()?.to_owned();
    let mut headers = Vec::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).ok()? == 0 {
            break;
        }
        let trimmed = line.trim_end();
        if trimmed.is_empty() {
            break;
        }
        if let Some((name, value)) = trimmed.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
    }
    Some(Request {
        method,
        path,
        headers,
    })
}

fn write_response(
    mut stream: &TcpStream,
    response: &Response,
    head_only: bool,
) -> std::io::Result<()> {
    let mut head = format!("HTTP/1.1 {} X\r\nConnection: close\r\n", response.status);
    let has_length = response
        .headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("content-length"));
    for (name, value) in &response.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if !has_length {
        head.push_str(&format!("Content-Length: {}\r\n", response.body.len()));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(&response.body)?;
    }
    stream.flush()
}

/// Serves files by path from a map, 404 otherwise.
pub fn files(
    map: HashMap<String, Response>,
) -> impl Fn(&Request) -> Response + Send + Sync + 'static {
    move |request: &Request| {
        map.get(&request.path)
            .cloned()
            .unwrap_or_else(|| Response::new(404, "not found"))
    }
}
