//! The optional header of an article file saved from a feed: title, link, feed, author, item
//! id, publication time and enclosures, between two exact marker lines.
//!
//! ```text
//! date 2026-03-06
//! kiosque-article 1
//! title: Municipales : ce qui change au second tour
//! link: https://www.lemonde.fr/politique/article/2026/03/06/municipales_1.html
//! feed: Le Monde
//! feed-key: https://www.lemonde.fr/rss/une.xml
//! author: Jeanne Dupont
//! id: https://www.lemonde.fr/politique/article/2026/03/06/municipales_1.html
//! published: 2026-03-06T08:15:00+01:00
//! fulltext: 2026-03-06T09:02:41+01:00
//! enclosure: https://www.lemonde.fr/img/une.jpg image/jpeg 48213
//! kiosque-article end
//! Le corps de l'article, dans le format habituel.
//! ```
//!
//! The header is recognised only when the text is, exactly: an optional `date TOKEN` line,
//! the line `kiosque-article 1`, lines of the form `key: value` (lower-case keys), and the
//! line `kiosque-article end`. Anything else, a single malformed line included, makes the
//! whole text a plain article, read as before: a plain file is never taken for one with a
//! header by accident. The `date` line comes first so that older kiosque versions and
//! `grep '^date 2026-03'` still see the date.

use chrono::{DateTime, FixedOffset, SecondsFormat};

use crate::corpus::{Fingerprint, fingerprint};

/// The first line of a header (after the optional `date` line).
pub const MAGIC: &str = "kiosque-article 1";
/// The line that closes a header; the body starts on the next line.
pub const END: &str = "kiosque-article end";
/// In a file with a header, a body line starting with this marks a figure caption.
pub const CAPTION: char = '↳';

/// A file attached to an item, as the header holds it.
pub use crate::corpus::Enclosure;

/// What a header says of its article. Values are single lines, as written in the file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Meta {
    pub title: Option<String>,
    pub link: Option<String>,
    /// The feed's name, as shown.
    pub feed: Option<String>,
    /// What the feed is known by (its address): with `id`, what the article is known by.
    pub feed_key: Option<String>,
    pub author: Option<String>,
    /// The item's id in its feed.
    pub id: Option<String>,
    pub published: Option<DateTime<FixedOffset>>,
    /// When the article's full page was fetched and saved below its summary (see
    /// `feeds::fulltext`); files without it were never given their full text.
    pub fulltext: Option<DateTime<FixedOffset>>,
    pub enclosures: Vec<Enclosure>,
}

/// A header found at the start of a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Split {
    pub meta: Meta,
    /// Byte offset where the body starts, after the `kiosque-article end` line.
    pub body_start: usize,
}

/// Reads the header at the start of `text`, if it has one (see the module documentation).
pub fn split(text: &str) -> Option<Split> {
    // Most articles have no header: tell them at once, without looking for a line end.
    if !(text.starts_with("date ") || text.starts_with(MAGIC)) {
        return None;
    }
    // Nor is a text whose `date` line goes on with its body, as most do.
    if let Some(after) = text.strip_prefix("date ") {
        let token = after.trim_start_matches(|c: char| c.is_ascii_digit() || c == '-');
        if !token.starts_with(['\n', '\r']) {
            return None;
        }
    }
    let mut rest = text;
    let mut next_line = || -> Option<&str> {
        let end = rest.find('\n')?;
        let line = &rest[..end];
        rest = &rest[end + 1..];
        Some(line.strip_suffix('\r').unwrap_or(line))
    };
    let mut line = next_line()?;
    if let Some(token) = line.strip_prefix("date ") {
        if token.is_empty() || !token.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
            return None;
        }
        line = next_line()?;
    }
    if line != MAGIC {
        return None;
    }
    let mut meta = Meta::default();
    loop {
        let line = next_line()?;
        if line == END {
            break;
        }
        let (key, value) = line.split_once(':')?;
        if key.is_empty() || !key.bytes().all(|b| b.is_ascii_lowercase() || b == b'-') {
            return None;
        }
        let value = match value.strip_prefix(' ') {
            Some(v) => v,
            None if value.is_empty() => value,
            None => return None,
        };
        read_field(&mut meta, key, value)?;
    }
    Some(Split {
        meta,
        body_start: text.len() - rest.len(),
    })
}

/// Sets one field of `meta`; `None` for a value the header cannot hold (an impossible
/// time). Unknown keys are left for newer versions to read.
fn read_field(meta: &mut Meta, key: &str, value: &str) -> Option<()> {
    let text = || (!value.is_empty()).then(|| value.to_owned());
    match key {
        "title" => meta.title = text(),
        "link" => meta.link = text(),
        "feed" => meta.feed = text(),
        "feed-key" => meta.feed_key = text(),
        "author" => meta.author = text(),
        "id" => meta.id = text(),
        "published" => meta.published = Some(DateTime::parse_from_rfc3339(value).ok()?),
        "fulltext" => meta.fulltext = Some(DateTime::parse_from_rfc3339(value).ok()?),
        "enclosure" => meta.enclosures.push(enclosure(value)?),
        _ => {}
    }
    Some(())
}

/// `URL [MIME] [LENGTH]`: a type always holds a `/`, a length only digits.
fn enclosure(value: &str) -> Option<Enclosure> {
    let mut parts = value.split(' ');
    let url = parts.next().filter(|u| !u.is_empty())?.to_owned();
    let mut found = Enclosure {
        url,
        mime: None,
        length: None,
    };
    for part in parts {
        if part.contains('/') && found.mime.is_none() && found.length.is_none() {
            found.mime = Some(part.to_owned());
        } else if found.length.is_none() && part.bytes().all(|b| b.is_ascii_digit()) {
            found.length = Some(part.parse().ok()?);
        } else {
            return None;
        }
    }
    Some(found)
}

/// A value as the header can hold it: one line, every control character and run of white
/// space made one space, trimmed (the text of a feed is untrusted). No-break spaces stay:
/// French puts them before `:` and inside `« »`.
pub fn one_line(value: &str) -> String {
    value
        .split(|c: char| (c.is_whitespace() && c != '\u{a0}' && c != '\u{202f}') || c.is_control())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A single word for an enclosure's address or type: nothing a space would split.
fn word(value: &str) -> Option<String> {
    let w = one_line(value);
    (!w.is_empty() && !w.contains(' ')).then_some(w)
}

/// The header of `meta` as written at the start of a file, ending with a newline: the
/// `date` line (the day of `published` where it was published), then the fields.
pub fn render(meta: &Meta) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    if let Some(published) = meta.published {
        let _ = writeln!(out, "date {}", published.format("%Y-%m-%d"));
    }
    out.push_str(MAGIC);
    out.push('\n');
    let fields = [
        ("title", &meta.title),
        ("link", &meta.link),
        ("feed", &meta.feed),
        ("feed-key", &meta.feed_key),
        ("author", &meta.author),
        ("id", &meta.id),
    ];
    for (key, value) in fields {
        let value = value.as_deref().map(one_line).unwrap_or_default();
        if !value.is_empty() {
            let _ = writeln!(out, "{key}: {value}");
        }
    }
    let times = [("published", meta.published), ("fulltext", meta.fulltext)];
    for (key, time) in times {
        if let Some(time) = time {
            let _ = writeln!(
                out,
                "{key}: {}",
                time.to_rfc3339_opts(SecondsFormat::Secs, false)
            );
        }
    }
    for e in &meta.enclosures {
        let Some(url) = word(&e.url) else { continue };
        let _ = write!(out, "enclosure: {url}");
        if let Some(mime) = e.mime.as_deref().and_then(word).filter(|m| m.contains('/')) {
            let _ = write!(out, " {mime}");
        }
        if let Some(length) = e.length {
            let _ = write!(out, " {length}");
        }
        out.push('\n');
    }
    out.push_str(END);
    out.push('\n');
    out
}

/// What the marks of a feed article are keyed by: its feed (by key, else by name) and its
/// item id, so an item updated upstream keeps them. `None` for any other text. The NUL
/// separators keep it apart from any article text, which never holds a NUL.
pub fn identity(text: &str) -> Option<String> {
    let meta = split(text)?.meta;
    let feed = meta.feed_key.or(meta.feed)?;
    let id = meta.id?;
    Some(format!("{MAGIC}\0{feed}\0{id}"))
}

/// What the marks of the article with this text are keyed by: a file saved from a feed by its
/// feed and item id (see [`identity`]), so an item updated upstream keeps its marks; any
/// other article by its text.
pub fn identity_fingerprint(text: &str) -> Fingerprint {
    match identity(text) {
        Some(identity) => fingerprint(&identity),
        None => fingerprint(text),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn sample() -> Meta {
        Meta {
            title: Some("Municipales : ce qui change".into()),
            link: Some("https://www.lemonde.fr/a.html".into()),
            feed: Some("Le Monde".into()),
            feed_key: Some("https://www.lemonde.fr/rss/une.xml".into()),
            author: Some("Jeanne Dupont".into()),
            id: Some("https://www.lemonde.fr/a.html".into()),
            published: DateTime::parse_from_rfc3339("2026-03-06T08:15:00+01:00").ok(),
            fulltext: DateTime::parse_from_rfc3339("2026-03-06T09:02:41+01:00").ok(),
            enclosures: vec![
                Enclosure {
                    url: "https://x.fr/e.mp3".into(),
                    mime: Some("audio/mpeg".into()),
                    length: Some(123),
                },
                Enclosure {
                    url: "https://x.fr/i.jpg".into(),
                    mime: None,
                    length: None,
                },
            ],
        }
    }

    #[test]
    fn a_header_is_written_exactly_so_and_read_back() {
        let text = format!("{}Le corps.\n", render(&sample()));
        assert_eq!(
            text,
            "date 2026-03-06\nkiosque-article 1\ntitle: Municipales : ce qui change\n\
             link: https://www.lemonde.fr/a.html\nfeed: Le Monde\n\
             feed-key: https://www.lemonde.fr/rss/une.xml\nauthor: Jeanne Dupont\n\
             id: https://www.lemonde.fr/a.html\npublished: 2026-03-06T08:15:00+01:00\n\
             fulltext: 2026-03-06T09:02:41+01:00\n\
             enclosure: https://x.fr/e.mp3 audio/mpeg 123\nenclosure: https://x.fr/i.jpg\n\
             kiosque-article end\nLe corps.\n"
        );
        let found = split(&text).unwrap();
        assert_eq!(found.meta, sample());
        assert_eq!(&text[found.body_start..], "Le corps.\n");
    }

    #[test]
    fn values_from_a_feed_cannot_break_out_of_their_line() {
        let meta = Meta {
            title: Some("a\nkiosque-article end\nb\u{1b}[31m\r".into()),
            ..Meta::default()
        };
        let text = render(&meta);
        assert_eq!(
            text,
            "kiosque-article 1\ntitle: a kiosque-article end b [31m\nkiosque-article end\n"
        );
        assert_eq!(
            split(&text).unwrap().meta.title.as_deref(),
            Some("a kiosque-article end b [31m")
        );
    }

    #[test]
    fn anything_short_of_a_whole_header_is_plain_text() {
        for text in [
            "kiosque-article 1\n",
            "kiosque-article 1\ntitle: x\n",
            "kiosque-article 1\ntitle: x\nkiosque-article end",
            " kiosque-article 1\nkiosque-article end\n",
            "kiosque-article 1 \nkiosque-article end\n",
            "kiosque-article 1\nTitle: x\nkiosque-article end\n",
            "kiosque-article 1\ntitle:x\nkiosque-article end\n",
            "kiosque-article 1\njust a line\nkiosque-article end\n",
            "kiosque-article 1\npublished: yesterday\nkiosque-article end\n",
            "kiosque-article 1\nfulltext: yesterday\nkiosque-article end\n",
            "kiosque-article 1\nenclosure: u v w\nkiosque-article end\n",
            "date 2026-03-06 kiosque-article 1\nkiosque-article end\n",
            "date 2026-03-06\nTitre\nkiosque-article 1\nkiosque-article end\n",
            "Titre\nkiosque-article 1\nkiosque-article end\n",
        ] {
            assert_eq!(split(text), None, "{text:?}");
        }
    }

    #[test]
    fn crlf_and_unknown_keys_are_read() {
        let text = "date 2026-03-06\r\nkiosque-article 1\r\nmood: calm\r\nid: 7\r\n\
                    kiosque-article end\r\nCorps";
        let found = split(text).unwrap();
        assert_eq!(found.meta.id.as_deref(), Some("7"));
        assert_eq!(&text[found.body_start..], "Corps");
    }

    #[test]
    fn files_written_before_full_texts_read_as_before() {
        let text = "date 2026-03-06\nkiosque-article 1\ntitle: T\nfeed-key: k\nid: 7\n\
                    published: 2026-03-06T08:15:00+01:00\nkiosque-article end\nCorps.\n";
        let meta = split(text).unwrap().meta;
        assert_eq!(meta.fulltext, None);
        assert_eq!(meta.title.as_deref(), Some("T"));
        // Fetching the full text adds a line to the header, and the article stays itself.
        let fetched = Meta {
            fulltext: DateTime::parse_from_rfc3339("2026-03-07T10:00:00+01:00").ok(),
            ..meta
        };
        let with_full_text = format!("{}Corps.\n\n⁂\nLa suite.\n", render(&fetched));
        assert!(with_full_text.contains("\nfulltext: 2026-03-07T10:00:00+01:00\n"));
        assert_eq!(identity(&with_full_text), identity(text));
    }

    #[test]
    fn the_identity_is_the_feed_and_the_item_id() {
        let text = render(&sample());
        assert_eq!(
            identity(&text).unwrap(),
            "kiosque-article 1\0https://www.lemonde.fr/rss/une.xml\0https://www.lemonde.fr/a.html"
        );
        let no_id = Meta {
            id: None,
            ..sample()
        };
        assert_eq!(identity(&render(&no_id)), None);
        assert_eq!(identity("Un article ordinaire."), None);
    }

    /// Every plain article kiosque knows (the shared seeds beside the project, the embedded
    /// sample) is read exactly as before: no header, so no explicit captions either.
    #[test]
    fn plain_files_never_have_a_header() {
        let mut texts: Vec<(String, String)> = Vec::new();
        let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
        for entry in std::fs::read_dir(&seeds).into_iter().flatten() {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            let text = crate::store::decode::decode(&bytes).unwrap().text;
            texts.push((path.display().to_string(), text));
        }
        let sample = crate::store::sample::corpus();
        assert!(!sample.articles.is_empty());
        for article in &sample.articles {
            let text = crate::store::read::text(article).unwrap();
            texts.push((article.path.display().to_string(), text));
        }
        for (path, text) in &texts {
            assert_eq!(split(text), None, "{path}");
            assert_eq!(identity(text), None, "{path}");
            let parsed = crate::store::parse::parse(text).unwrap();
            assert_eq!(parsed.head.meta, None, "{path}");
            assert_eq!(
                crate::store::header::identity_fingerprint(text),
                crate::corpus::fingerprint(text),
                "{path}"
            );
        }
    }

    #[test]
    fn the_caption_marker_counts_only_in_files_with_a_header() {
        use crate::corpus::Block;
        let plain = crate::store::parse::parse("Titre\n↳ pas une légende").unwrap();
        assert_eq!(
            plain.blocks[1],
            Block::Paragraph("↳ pas une légende".into())
        );
        let feed = crate::store::parse::parse(
            "kiosque-article 1\ntitle: Le titre\nkiosque-article end\n↳ Une légende\nCorps.",
        )
        .unwrap();
        assert_eq!(feed.head.title, "Le titre");
        assert_eq!(
            feed.blocks,
            [
                Block::Caption("Une légende".into()),
                Block::Paragraph("Corps.".into())
            ]
        );
        // Without a title field, the title comes from the body, captions left aside.
        let untitled = crate::store::parse::parse(
            "kiosque-article 1\nkiosque-article end\n↳ Légende\nCorps. Suite.",
        )
        .unwrap();
        assert_eq!(untitled.head.title, "Corps.");
    }

    #[test]
    fn a_feed_article_is_marked_by_its_feed_and_item_id_whatever_its_text() {
        let first = format!("{}Premier texte.\n", render(&sample()));
        let updated = Meta {
            title: Some("Titre corrigé".into()),
            ..sample()
        };
        let second = format!("{}Texte corrigé.\n", render(&updated));
        let key = crate::store::header::identity_fingerprint;
        assert_eq!(key(&first), key(&second));
        assert_ne!(key(&first), crate::corpus::fingerprint(&first));
        let other_feed = Meta {
            feed_key: Some("https://autre.example/rss".into()),
            ..sample()
        };
        assert_ne!(
            key(&first),
            key(&format!("{}Premier texte.\n", render(&other_feed)))
        );
        // The reader keys marks the same way when it reads the body.
        let corpus = crate::store::read::from_memory([(
            std::path::PathBuf::from("f.txt"),
            first.as_bytes(),
        )]);
        let body = crate::store::read::body(&corpus.articles[0]);
        assert_eq!(body.fingerprint, Some(key(&second)));
        assert_eq!(corpus.articles[0].title, "Municipales : ce qui change");
    }

    fn words() -> impl Strategy<Value = String> {
        "[a-zA-Z0-9éàœ«»:/.?=&'’-]{1,12}( [a-zA-Z0-9éàœ«»:/.?=&'’-]{1,12}){0,4}"
    }

    fn time((secs, offset): (i64, i32)) -> Option<DateTime<FixedOffset>> {
        let offset = FixedOffset::east_opt(offset / 60 * 60)?;
        Some(DateTime::from_timestamp(secs, 0)?.with_timezone(&offset))
    }

    fn meta() -> impl Strategy<Value = Meta> {
        let enclosure = (
            "https://[a-z]{1,8}\\.example/[a-z0-9/._-]{0,20}",
            proptest::option::of("(audio|video|image)/[a-z0-9.+-]{1,10}"),
            proptest::option::of(0u64..u64::MAX),
        )
            .prop_map(|(url, mime, length)| Enclosure { url, mime, length });
        (
            proptest::option::of(words()),
            proptest::option::of(words()),
            proptest::option::of(words()),
            proptest::option::of(words()),
            proptest::option::of(words()),
            proptest::option::of(words()),
            proptest::option::of((0i64..4_000_000_000, -50_400i32..50_400)),
            proptest::option::of((0i64..4_000_000_000, -50_400i32..50_400)),
            proptest::collection::vec(enclosure, 0..3),
        )
            .prop_map(
                |(title, link, feed, feed_key, author, id, at, fulltext, enclosures)| Meta {
                    title,
                    link,
                    feed,
                    feed_key,
                    author,
                    id,
                    published: at.and_then(time),
                    fulltext: fulltext.and_then(time),
                    enclosures,
                },
            )
    }

    fn blocks() -> impl Strategy<Value = Vec<crate::corpus::Block>> {
        use crate::corpus::Block;
        let text = "[a-zA-Zé0-9][a-zA-Zé0-9 ,.;!?'’«»()-]{0,40}";
        let block = prop_oneof![
            text.prop_map(Block::Paragraph),
            text.prop_map(Block::Bullet),
            text.prop_map(Block::Caption),
        ];
        proptest::collection::vec(block, 1..8).prop_map(|mut blocks| {
            // A line repeated is read as one caption: the writer never repeats one.
            blocks.dedup_by(|a, b| a.text().trim_end() == b.text().trim_end());
            blocks
        })
    }

    proptest! {
        /// Writing a header and a body then reading them back gives the same article.
        #[test]
        fn written_then_read_gives_the_same_article(meta in meta(), blocks in blocks()) {
            use crate::corpus::Block;
            let mut text = render(&meta);
            let blocks: Vec<Block> = blocks
                .into_iter()
                .map(|b| match b {
                    Block::Paragraph(t) => Block::Paragraph(t.trim_end().to_owned()),
                    Block::Bullet(t) => Block::Bullet(t.trim_end().to_owned()),
                    Block::Caption(t) => Block::Caption(t.trim_end().to_owned()),
                })
                .collect();
            for block in &blocks {
                match block {
                    Block::Paragraph(t) => text.push_str(t),
                    Block::Bullet(t) => text.push_str(&format!("• {t}")),
                    Block::Caption(t) => text.push_str(&format!("{CAPTION} {t}")),
                }
                text.push('\n');
            }
            let parsed = crate::store::parse::parse(&text).unwrap();
            prop_assert_eq!(parsed.head.meta.as_ref(), Some(&meta));
            prop_assert_eq!(&parsed.blocks, &blocks);
            prop_assert_eq!(
                parsed.head.date,
                meta.published.map(|p| crate::corpus::ArticleDate::day(p.date_naive()))
            );
            if let Some(title) = &meta.title {
                prop_assert_eq!(&parsed.head.title, title);
            }
        }
    }
}
