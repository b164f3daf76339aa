//! One polite HTTP GET of a feed: conditional headers, redirects followed by hand, timeouts,
//! size caps on the compressed and the decompressed body, proxies from the environment.

use std::io::Read;
use std::time::{Duration, Instant, SystemTime};

use ureq::Agent;
use ureq::http::{HeaderMap, StatusCode};
use url::Url;

/// The `User-Agent` of every request: servers can tell kiosque apart, and its version.
pub const USER_AGENT: &str = concat!("kiosque/", env!("CARGO_PKG_VERSION"));

/// The longest a `Retry-After` is obeyed: a server asking for a month is wrong, not polite.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(7 * 24 * 3600);

/// How a fetch behaves; the config file's `[fetch]` table sets these.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// Waiting for the TCP (and TLS) connection.
    pub connect_timeout: Duration,
    /// The whole request, redirects and body included.
    pub timeout: Duration,
    /// The body as sent (compressed).
    pub max_body: u64,
    /// The body once decompressed: a gzip bomb stops here.
    pub max_decoded: u64,
    /// Redirects followed before giving up.
    pub max_redirects: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            max_body: 16 << 20,
            max_decoded: 64 << 20,
            max_redirects: 8,
        }
    }
}

/// What the previous fetch stored, sent back so an unchanged feed costs a 304.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Conditional {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// A successful exchange.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fetched {
    /// The URL that answered, after redirects.
    pub url: String,
    /// Where the subscription now lives, when the server moved it for good (301 or 308,
    /// before any temporary redirect).
    pub moved_to: Option<String>,
    pub body: Body,
    pub validators: Conditional,
    /// `Cache-Control: max-age`, in seconds.
    pub max_age: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Body {
    /// 304: what kiosque has is current.
    NotModified,
    Full {
        bytes: Vec<u8>,
        /// The `charset` parameter of `Content-Type`.
        charset: Option<String>,
        /// The media type of `Content-Type`, lowercase, without parameters.
        media_type: Option<String>,
    },
}

/// Why a fetch failed, said for the user.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    #[error("“{url}” is not a web address: {reason}")]
    BadUrl { url: String, reason: String },
    #[error("{url} is not http or https")]
    Scheme { url: String },
    #[error("no answer within {} s", .0.as_secs_f32())]
    Timeout(Duration),
    #[error("cannot reach {host}: {reason}")]
    Connect { host: String, reason: String },
    #[error("the server answered {code}")]
    Status { code: String },
    #[error("the server answered {code} and asks to wait until {}", crate::feeds::fetch_state::clock(*.until))]
    RetryAfter { code: String, until: SystemTime },
    #[error("the feed is larger than {} (sent size)", human(*.0))]
    TooLarge(u64),
    #[error("the feed is larger than {} once decompressed", human(*.0))]
    TooLargeDecoded(u64),
    #[error("cannot decompress the {encoding} body: {reason}")]
    Decompress { encoding: String, reason: String },
    #[error("the server answered {code} without saying where to go")]
    NoLocation { code: u16 },
    #[error("redirect loop through {url}")]
    RedirectLoop { url: String },
    #[error("more than {0} redirects")]
    TooManyRedirects(usize),
    #[error("the proxy would not connect: {0}")]
    Proxy(String),
    #[error("{0}")]
    Other(String),
}

fn human(bytes: u64) -> String {
    crate::text::display::human_size(bytes)
}

/// The HTTP client of one run: agents keep connections to a host open between its feeds.
#[derive(Debug)]
pub struct Client {
    direct: Agent,
    http_proxy: Option<Agent>,
    https_proxy: Option<Agent>,
    no_proxy: NoProxy,
    settings: Settings,
}

/// The proxy variables, read once.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProxyEnv {
    pub http: Option<String>,
    pub https: Option<String>,
    pub no_proxy: Option<String>,
}

impl ProxyEnv {
    /// `HTTPS_PROXY` for https, `HTTP_PROXY` for http, `ALL_PROXY` for either when those are
    /// unset; lowercase names too, as curl reads them. Empty means unset.
    pub fn from_env() -> ProxyEnv {
        let var = |names: &[&str]| {
            names
                .iter()
                .find_map(|n| std::env::var(n).ok().filter(|v| !v.trim().is_empty()))
        };
        let all = var(&["ALL_PROXY", "all_proxy"]);
        ProxyEnv {
            http: var(&["HTTP_PROXY", "http_proxy"]).or_else(|| all.clone()),
            https: var(&["HTTPS_PROXY", "https_proxy"]).or(all),
            no_proxy: var(&["NO_PROXY", "no_proxy"]),
        }
    }
}

/// `NO_PROXY`: hosts reached directly. `*` is every host; `example.com`, `.example.com` and
/// `*.example.com` each match example.com and its subdomains; a `:port` is ignored.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct NoProxy {
    all: bool,
    domains: Vec<String>,
}

impl NoProxy {
    fn parse(text: &str) -> NoProxy {
        let mut no_proxy = NoProxy::default();
        for entry in text
            .split([',', ' '])
            .map(str::trim)
            .filter(|e| !e.is_empty())
        {
            if entry == "*" {
                no_proxy.all = true;
                continue;
            }
            let entry = entry.trim_start_matches('*').trim_start_matches('.');
            // `[::1]:8080`, `host:8080`: the port does not matter here.
            let host = match entry.rsplit_once(':') {
                Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => host,
                _ => entry,
            };
            let host = host.trim_start_matches('[').trim_end_matches(']');
            no_proxy.domains.push(host.to_ascii_lowercase());
        }
        no_proxy
    }

    fn matches(&self, host: &str) -> bool {
        let host = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_ascii_lowercase();
        self.all
            || self.domains.iter().any(|d| {
                host == *d
                    || host
                        .strip_suffix(d.as_str())
                        .is_some_and(|rest| rest.ends_with('.'))
            })
    }
}

fn agent(settings: &Settings, proxy: Option<ureq::Proxy>) -> Agent {
    Agent::config_builder()
        .proxy(proxy)
        .http_status_as_error(false)
        .max_redirects(0)
        .max_redirects_will_error(false)
        .user_agent(USER_AGENT)
        .timeout_connect(Some(settings.connect_timeout))
        .timeout_global(Some(settings.timeout))
        .build()
        .new_agent()
}

impl Client {
    /// A client for `settings`, going through the proxies of `env`.
    pub fn new(settings: Settings, env: &ProxyEnv) -> Result<Client, HttpError> {
        let proxied = |url: &Option<String>| -> Result<Option<Agent>, HttpError> {
            let Some(url) = url else { return Ok(None) };
            let with_scheme = if url.contains("://") {
                url.clone()
            } else {
                format!("http://{url}")
            };
            let proxy = ureq::Proxy::new(&with_scheme).map_err(|err| HttpError::BadUrl {
                url: url.clone(),
                reason: format!("not a usable proxy: {err}"),
            })?;
            Ok(Some(agent(&settings, Some(proxy))))
        };
        Ok(Client {
            direct: agent(&settings, None),
            http_proxy: proxied(&env.http)?,
            https_proxy: proxied(&env.https)?,
            no_proxy: env
                .no_proxy
                .as_deref()
                .map(NoProxy::parse)
                .unwrap_or_default(),
            settings,
        })
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    fn agent_for(&self, url: &Url) -> &Agent {
        let proxy = match url.scheme() {
            "https" => self.https_proxy.as_ref(),
            _ => self.http_proxy.as_ref(),
        };
        match (proxy, url.host_str()) {
            (Some(proxy), Some(host)) if !self.no_proxy.matches(host) => proxy,
            _ => &self.direct,
        }
    }

    /// GETs `url`, sending `conditional`'s validators, following up to `max_redirects`.
    pub fn get(&self, url: &str, conditional: &Conditional) -> Result<Fetched, HttpError> {
        let deadline = Instant::now() + self.settings.timeout;
        let mut current = parse_url(url)?;
        let mut seen = vec![current.clone()];
        // Still true while every hop so far was a permanent redirect.
        let mut permanent = true;
        let mut moved_to = None;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(HttpError::Timeout(self.settings.timeout));
            }
            let mut request = self
                .agent_for(&current)
                .get(current.as_str())
                .header("Accept-Encoding", "gzip, br")
                .header(
                    "Accept",
                    "application/rss+xml, application/atom+xml, application/feed+json, \
                     application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.5, */*;q=0.1",
                );
            // On every hop: behind a temporary redirect, the last server gave the validators.
            if let Some(etag) = &conditional.etag {
                request = request.header("If-None-Match", etag);
            }
            if let Some(date) = &conditional.last_modified {
                request = request.header("If-Modified-Since", date);
            }
            let mut response = request
                .config()
                .timeout_global(Some(left))
                .build()
                .call()
                .map_err(|err| self.error(err, &current))?;
            let status = response.status();
            let headers = response.headers().clone();
            if status.is_redirection() && status != StatusCode::NOT_MODIFIED {
                let code = status.as_u16();
                let location =
                    header(&headers, "location").ok_or(HttpError::NoLocation { code })?;
                let next = current.join(&location).map_err(|err| HttpError::BadUrl {
                    url: location.clone(),
                    reason: err.to_string(),
                })?;
                check_scheme(&next)?;
                if seen.contains(&next) {
                    return Err(HttpError::RedirectLoop {
                        url: next.to_string(),
                    });
                }
                if seen.len() > self.settings.max_redirects {
                    return Err(HttpError::TooManyRedirects(self.settings.max_redirects));
                }
                permanent &= matches!(code, 301 | 308);
                if permanent {
                    moved_to = Some(next.to_string());
                }
                seen.push(next.clone());
                current = next;
                continue;
            }
            let validators = Conditional {
                etag: header(&headers, "etag"),
                last_modified: header(&headers, "last-modified"),
            };
            let max_age = header(&headers, "cache-control").and_then(|v| max_age(&v));
            let fetched = |body| Fetched {
                url: current.to_string(),
                moved_to: moved_to.clone(),
                body,
                validators: validators.clone(),
                max_age,
            };
            if status == StatusCode::NOT_MODIFIED {
                return Ok(fetched(Body::NotModified));
            }
            if matches!(status.as_u16(), 429 | 503) {
                if let Some(wait) =
                    header(&headers, "retry-after").and_then(|v| retry_after(&v, SystemTime::now()))
                {
                    return Err(HttpError::RetryAfter {
                        code: status_text(status),
                        until: wait,
                    });
                }
            }
            if !status.is_success() {
                return Err(HttpError::Status {
                    code: status_text(status),
                });
            }
            let raw = response
                .body_mut()
                .with_config()
                .limit(self.settings.max_body)
                .read_to_vec()
                .map_err(|err| match err {
                    ureq::Error::BodyExceedsLimit(_) => HttpError::TooLarge(self.settings.max_body),
                    other => self.error(other, &current),
                })?;
            let encoding = header(&headers, "content-encoding");
            let bytes = decode(raw, encoding.as_deref(), self.settings.max_decoded)?;
            let (media_type, charset) = content_type(header(&headers, "content-type").as_deref());
            return Ok(fetched(Body::Full {
                bytes,
                charset,
                media_type,
            }));
        }
    }

    fn error(&self, err: ureq::Error, url: &Url) -> HttpError {
        let host = url.host_str().unwrap_or_default().to_owned();
        match err {
            ureq::Error::Timeout(_) => HttpError::Timeout(self.settings.timeout),
            ureq::Error::HostNotFound => HttpError::Connect {
                host,
                reason: "host not found".to_owned(),
            },
            ureq::Error::ConnectionFailed => HttpError::Connect {
                host,
                reason: "connection failed".to_owned(),
            },
            ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => {
                HttpError::Timeout(self.settings.timeout)
            }
            ureq::Error::Io(io) => HttpError::Connect {
                host,
                reason: io.to_string(),
            },
            ureq::Error::ConnectProxyFailed(why) => HttpError::Proxy(why),
            other => HttpError::Other(other.to_string()),
        }
    }
}

/// A feed address, checked: absolute, http or https.
pub fn parse_url(url: &str) -> Result<Url, HttpError> {
    let parsed = Url::parse(url.trim()).map_err(|err| HttpError::BadUrl {
        url: url.to_owned(),
        reason: err.to_string(),
    })?;
    check_scheme(&parsed)?;
    Ok(parsed)
}

fn check_scheme(url: &Url) -> Result<(), HttpError> {
    match url.scheme() {
        "http" | "https" if url.host_str().is_some() => Ok(()),
        _ => Err(HttpError::Scheme {
            url: url.to_string(),
        }),
    }
}

/// The host a URL's requests go to: what the one-request-per-host rule counts.
pub fn host_of(url: &str) -> String {
    Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
        .unwrap_or_default()
}

fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

fn status_text(status: StatusCode) -> String {
    match status.canonical_reason() {
        Some(reason) => format!("{} {reason}", status.as_u16()),
        None => status.as_u16().to_string(),
    }
}

/// Decompresses `raw` as `Content-Encoding` says, stopping past `max` bytes.
fn decode(raw: Vec<u8>, encoding: Option<&str>, max: u64) -> Result<Vec<u8>, HttpError> {
    let encoding = encoding.unwrap_or("identity").to_ascii_lowercase();
    let reader: Box<dyn Read + '_> = match encoding.as_str() {
        "identity" | "none" => {
            if raw.len() as u64 > max {
                return Err(HttpError::TooLargeDecoded(max));
            }
            return Ok(raw);
        }
        "gzip" | "x-gzip" => Box::new(flate2::read::MultiGzDecoder::new(raw.as_slice())),
        "deflate" => Box::new(flate2::read::ZlibDecoder::new(raw.as_slice())),
        "br" => Box::new(brotli_decompressor::Decompressor::new(raw.as_slice(), 4096)),
        other => {
            return Err(HttpError::Decompress {
                encoding: other.to_owned(),
                reason: "kiosque does not know this encoding".to_owned(),
            });
        }
    };
    let mut out = Vec::with_capacity(raw.len().saturating_mul(4).min(max as usize));
    reader
        .take(max.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|err| HttpError::Decompress {
            encoding: encoding.clone(),
            reason: err.to_string(),
        })?;
    if out.len() as u64 > max {
        return Err(HttpError::TooLargeDecoded(max));
    }
    Ok(out)
}

/// `Content-Type: application/rss+xml; charset=ISO-8859-1` → (media type, charset).
fn content_type(value: Option<&str>) -> (Option<String>, Option<String>) {
    let Some(value) = value else {
        return (None, None);
    };
    let mut parts = value.split(';');
    let media = parts
        .next()
        .map(|m| m.trim().to_ascii_lowercase())
        .filter(|m| !m.is_empty());
    let charset = parts.find_map(|p| {
        let (name, value) = p.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches('"').to_owned())
            .filter(|v| !v.is_empty())
    });
    (media, charset)
}

/// `Cache-Control: public, max-age=3600` → 3600.
fn max_age(value: &str) -> Option<u64> {
    value.split(',').find_map(|directive| {
        let (name, seconds) = directive.split_once('=')?;
        (name.trim().eq_ignore_ascii_case("max-age"))
            .then(|| seconds.trim().trim_matches('"').parse().ok())
            .flatten()
    })
}

/// `Retry-After: 120` or `Retry-After: Wed, 02 Dec 2026 14:00:00 GMT`, as a time; a date
/// in the past means now, and waits are capped at a week.
pub fn retry_after(value: &str, now: SystemTime) -> Option<SystemTime> {
    let until = match value.trim().parse::<u64>() {
        Ok(seconds) => now + Duration::from_secs(seconds).min(MAX_RETRY_AFTER),
        Err(_) => httpdate::parse_http_date(value.trim()).ok()?,
    };
    Some(until.clamp(now, now + MAX_RETRY_AFTER))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn no_proxy_matches_hosts_and_their_subdomains() {
        let np = NoProxy::parse("localhost, .corp.example,*.lan ,10.0.0.1:8080,[::1]");
        for host in [
            "localhost",
            "corp.example",
            "news.corp.example",
            "a.lan",
            "10.0.0.1",
            "[::1]",
        ] {
            assert!(np.matches(host), "{host}");
        }
        for host in ["notcorp.example", "example.org", "10.0.0.10", "lan.com"] {
            assert!(!np.matches(host), "{host}");
        }
        assert!(NoProxy::parse("*").matches("anything.org"));
        assert!(!NoProxy::default().matches("anything.org"));
    }

    #[test]
    fn each_scheme_takes_its_own_proxy() {
        let env = ProxyEnv {
            http: Some("127.0.0.1:3128".to_owned()),
            https: None,
            no_proxy: Some("direct.example".to_owned()),
        };
        let client = Client::new(Settings::default(), &env).unwrap();
        let via = |url: &str| {
            let agent = client.agent_for(&Url::parse(url).unwrap());
            agent.config().proxy().map(|p| p.host().to_owned())
        };
        assert_eq!(
            via("http://news.example/feed"),
            Some("127.0.0.1".to_owned())
        );
        assert_eq!(via("https://news.example/feed"), None);
        assert_eq!(via("http://direct.example/feed"), None);
    }

    #[test]
    fn retry_after_takes_seconds_or_a_date() {
        let now = httpdate::parse_http_date("Wed, 02 Dec 2026 12:00:00 GMT").unwrap();
        assert_eq!(
            retry_after("120", now),
            Some(now + Duration::from_secs(120))
        );
        assert_eq!(
            retry_after("Wed, 02 Dec 2026 12:30:00 GMT", now),
            Some(now + Duration::from_secs(1800))
        );
        assert_eq!(retry_after("Tue, 01 Dec 2026 12:00:00 GMT", now), Some(now));
        assert_eq!(retry_after("99999999999", now), Some(now + MAX_RETRY_AFTER));
        assert_eq!(retry_after("soon", now), None);
    }

    #[test]
    fn headers_are_read() {
        assert_eq!(max_age("public, max-age=3600"), Some(3600));
        assert_eq!(max_age("no-cache"), None);
        assert_eq!(
            content_type(Some("application/RSS+xml; charset=\"ISO-8859-1\"")),
            (
                Some("application/rss+xml".to_owned()),
                Some("ISO-8859-1".to_owned())
            )
        );
        assert_eq!(
            content_type(Some("text/xml")),
            (Some("text/xml".to_owned()), None)
        );
    }

    #[test]
    fn decompression_is_capped() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&vec![b'a'; 100_000]).unwrap();
        let bomb = gz.finish().unwrap();
        assert!(bomb.len() < 1000);
        assert_eq!(
            decode(bomb.clone(), Some("gzip"), 100_000).unwrap().len(),
            100_000
        );
        assert!(matches!(
            decode(bomb, Some("gzip"), 99_999),
            Err(HttpError::TooLargeDecoded(99_999))
        ));
        assert!(matches!(
            decode(b"not gzip".to_vec(), Some("gzip"), 100),
            Err(HttpError::Decompress { .. })
        ));
        assert!(matches!(
            decode(b"x".to_vec(), Some("zstd"), 100),
            Err(HttpError::Decompress { .. })
        ));
    }

    #[test]
    fn brotli_is_decoded() {
        // `brotli.compress` (Python's brotli 1.x) of the text below.
        let compressed = [
            0x1b, 0x3c, 0x00, 0x18, 0x9c, 0x07, 0xc6, 0x2d, 0xf3, 0x2e, 0x8c, 0x6a, 0xba, 0x10,
            0x9f, 0xe3, 0xd7, 0x92, 0x47, 0x48, 0x2e, 0x5f, 0x60, 0x64, 0xca, 0x67, 0xae, 0x44,
            0x5c, 0xc0, 0x21, 0x07, 0xce, 0x6f, 0x8b, 0x03, 0x69, 0x0b, 0xa8, 0x3e, 0xa1, 0x40,
            0x43, 0xa3, 0xf3, 0x17, 0xba, 0x07, 0x1b, 0xda, 0x14, 0x16, 0x14,
        ];
        let text = b"<rss version=\"2.0\"><channel><title>Br</title></channel></rss>";
        assert_eq!(decode(compressed.to_vec(), Some("br"), 100).unwrap(), text);
        assert!(matches!(
            decode(compressed.to_vec(), Some("br"), 60),
            Err(HttpError::TooLargeDecoded(60))
        ));
    }

    #[test]
    fn only_web_addresses_are_fetched() {
        assert!(parse_url("https://example.org/feed").is_ok());
        assert!(matches!(
            parse_url("file:///etc/passwd"),
            Err(HttpError::Scheme { .. })
        ));
        assert!(matches!(
            parse_url("example.org/feed"),
            Err(HttpError::BadUrl { .. })
        ));
    }
}
