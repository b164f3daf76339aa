//! Arbitrary bytes as a feed, through everything kiosque does with one: repair, parse, HTML
//! to article text, the article file with its header, then that file read back as an
//! article. Checks that no control character but the newline reaches an article file, that
//! every saved item reads back as an article with its header, and that nothing a feed says
//! is drawn unsanitized. Also runs feed autodiscovery on the same bytes as a web page.
#![no_main]

use chrono::DateTime;
use kiosque::feeds::parse::{discover, parse_feed};
use kiosque::feeds::write::article_text;
use kiosque::text::sanitize::is_unsafe;
use libfuzzer_sys::fuzz_target;

const URL: &str = "https://fuzz.example/feed.xml";

fuzz_target!(|data: &[u8]| {
    let now =
        DateTime::parse_from_rfc3339("2026-03-06T12:00:00+01:00").expect("a fixed, valid date");
    let _ = discover(data, URL);
    let Ok(doc) = parse_feed(data, None, URL, now) else {
        return;
    };
    let name = doc.title.as_deref().unwrap_or("feed");
    for item in &doc.items {
        let text = article_text(URL, name, item);
        if let Some(c) = text.chars().find(|&c| c.is_control() && c != '\n') {
            panic!(
                "control character U+{:04X} in an article file: {text:?}",
                u32::from(c)
            );
        }
        let parsed = kiosque::store::parse::parse(&text)
            .unwrap_or_else(|e| panic!("a saved item is not an article ({e}): {text:?}"));
        assert!(
            parsed.head.meta.is_some(),
            "the header was not read back: {text:?}"
        );
        let shown = std::iter::once(parsed.head.title.as_str())
            .chain(parsed.blocks.iter().map(|b| b.text()));
        for s in shown {
            assert!(
                !s.chars().any(|c| c != '\u{200d}' && is_unsafe(c)),
                "unsafe character drawn: {s:?}"
            );
        }
    }
});
