//! OPML import and export: URL, name and tags survive a round trip; nested outline folders
//! become tags, and export puts each feed in the folder of its first tag.
//!
//! Only XML's predefined entities and character references are expanded (quick-xml's
//! default), so an OPML file cannot grow in memory through entity definitions.

use std::io::Write;

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, Event};
use quick_xml::{Reader, Writer, XmlVersion};

use crate::feeds::subscriptions::Subscription;

/// OPML files larger than this are refused: a list of feeds is kilobytes.
pub const MAX_OPML: usize = 16 << 20;

/// Outline folders deeper than this are refused.
const MAX_DEPTH: usize = 64;

/// What is wrong with an OPML file, and where.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("line {line}: {message}")]
pub struct OpmlError {
    pub line: usize,
    pub message: String,
}

/// The feeds of an OPML file, in order, with the folders around them as tags.
pub fn import(bytes: &[u8]) -> Result<Vec<Subscription>, OpmlError> {
    if bytes.len() > MAX_OPML {
        return Err(OpmlError {
            line: 1,
            message: format!(
                "the file is over {} MB: not a list of feeds",
                MAX_OPML >> 20
            ),
        });
    }
    let text = decode(bytes)?;
    let line_at = |at: u64| {
        let at = usize::try_from(at).unwrap_or(usize::MAX).min(text.len());
        text.as_bytes()[..at]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1
    };
    // Text already decoded: quick-xml's decoding reader, which can panic on a declaration
    // that changes the encoding midway, is never used.
    let mut reader = Reader::from_str(&text);
    // One entry per open <outline>: the folder title it gives its children, if a folder.
    let mut folders: Vec<Option<String>> = Vec::new();
    let mut feeds = Vec::new();
    let mut saw_opml = false;
    let mut first = true;
    loop {
        let at = reader.buffer_position();
        let event = reader.read_event().map_err(|err| OpmlError {
            line: line_at(reader.error_position()),
            message: format!("not well-formed XML: {err}"),
        })?;
        let error = |message: String| OpmlError {
            line: line_at(at),
            message,
        };
        if matches!(event, Event::Decl(_)) && !first {
            return Err(error(
                "a second XML declaration: not one OPML file".to_owned(),
            ));
        }
        first = false;
        match event {
            Event::Eof => break,
            Event::Start(ref tag) | Event::Empty(ref tag) => {
                let name = tag.local_name();
                if name.as_ref() == "opml" {
                    saw_opml = true;
                }
                if name.as_ref() != "outline" {
                    continue;
                }
                let attrs = attributes(tag).map_err(error)?;
                let get = |key: &str| {
                    attrs
                        .iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case(key))
                        .map(|(_, v)| v.trim().to_owned())
                        .filter(|v| !v.is_empty())
                };
                let title = get("title").or_else(|| get("text"));
                let is_start = matches!(event, Event::Start(_));
                match get("xmlUrl") {
                    Some(url) => {
                        crate::feeds::http::parse_url(&url)
                            .map_err(|err| error(err.to_string()))?;
                        let mut feed = Subscription::new(&url);
                        feed.name = title.filter(|t| *t != url);
                        let categories = get("category").unwrap_or_default();
                        let tags = folders.iter().flatten().cloned().chain(
                            categories
                                .split(',')
                                .map(|c| c.trim().trim_matches('/').to_owned()),
                        );
                        for tag in tags {
                            let tag = tag.replace(',', " ");
                            if !tag.is_empty() && !feed.tags.contains(&tag) {
                                feed.tags.push(tag);
                            }
                        }
                        feeds.push(feed);
                        if is_start {
                            folders.push(None);
                        }
                    }
                    None if is_start => {
                        if folders.len() >= MAX_DEPTH {
                            return Err(error(format!("folders nested over {MAX_DEPTH} deep")));
                        }
                        folders.push(title);
                    }
                    None => {}
                }
            }
            Event::End(ref tag) if tag.local_name().as_ref() == "outline" => {
                folders.pop();
            }
            Event::DocType(_) => {
                return Err(error(
                    "a DOCTYPE in an OPML file is not allowed (it could define entities)"
                        .to_owned(),
                ));
            }
            _ => {}
        }
    }
    if !saw_opml {
        return Err(OpmlError {
            line: 1,
            message: "this is not OPML: no <opml> element".to_owned(),
        });
    }
    Ok(feeds)
}

/// The file as text: its byte order mark, else the encoding its XML declaration names,
/// else UTF-8. Bytes that are not of that encoding are an error, not a guess.
fn decode(bytes: &[u8]) -> Result<String, OpmlError> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(200)]);
    let declared = head
        .strip_prefix("<?xml")
        .and_then(|rest| rest.split("?>").next())
        .and_then(|decl| decl.split("encoding").nth(1))
        .and_then(|rest| rest.trim_start().strip_prefix('='))
        .and_then(|rest| rest.trim_start().split(['"', '\'']).nth(1))
        .and_then(|label| encoding_rs::Encoding::for_label(label.as_bytes()));
    let encoding = declared.unwrap_or(encoding_rs::UTF_8);
    // `decode` lets a byte order mark win over the declaration, as XML says.
    let (text, used, bad) = encoding.decode(bytes);
    if bad {
        return Err(OpmlError {
            line: 1,
            message: format!("the file is not valid {}", used.name()),
        });
    }
    Ok(text.into_owned())
}

fn attributes(tag: &BytesStart<'_>) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    for attr in tag.attributes() {
        let attr = attr.map_err(|err| format!("bad attribute: {err}"))?;
        let key = attr.key.local_name().as_ref().to_owned();
        let value = attr
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|err| format!("attribute {key}: {err}"))?;
        out.push((key, value.into_owned()));
    }
    Ok(out)
}

/// `feeds` as an OPML 2.0 document: feeds grouped in folders by their first tag, every tag
/// also in `category`, so [`import`] gives back the same URL, name and tags.
pub fn export(feeds: &[Subscription]) -> Vec<u8> {
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    // Writing to a Vec cannot fail; the results are ignored for that reason.
    let _ = writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)));
    let _ = writer.write_event(Event::Start(
        BytesStart::new("opml").with_attributes([("version", "2.0")]),
    ));
    let _ = writer.create_element("head").write_inner_content(|w| {
        w.create_element("title")
            .write_text_content(quick_xml::events::BytesText::new("kiosque subscriptions"))?;
        Ok(())
    });
    let _ = writer.write_event(Event::Start(BytesStart::new("body")));
    let mut folders: Vec<Option<&str>> = Vec::new();
    for feed in feeds {
        let first = feed.tags.first().map(String::as_str);
        if !folders.contains(&first) {
            folders.push(first);
        }
    }
    for folder in folders {
        if let Some(title) = folder {
            let _ = writer.write_event(Event::Start(
                BytesStart::new("outline").with_attributes([("text", title), ("title", title)]),
            ));
        }
        for feed in feeds
            .iter()
            .filter(|f| f.tags.first().map(String::as_str) == folder)
        {
            let _ = writer.write_event(Event::Empty(outline(feed)));
        }
        if folder.is_some() {
            let _ = writer.write_event(Event::End(BytesEnd::new("outline")));
        }
    }
    let _ = writer.write_event(Event::End(BytesEnd::new("body")));
    let _ = writer.write_event(Event::End(BytesEnd::new("opml")));
    let mut out = writer.into_inner();
    let _ = out.write_all(b"\n");
    out
}

fn outline(feed: &Subscription) -> BytesStart<'static> {
    let mut tag = BytesStart::new("outline");
    let text = feed.name.clone().unwrap_or_else(|| feed.url.clone());
    tag.push_attribute(("type", "rss"));
    tag.push_attribute(("text", text.as_str()));
    if let Some(name) = &feed.name {
        tag.push_attribute(("title", name.as_str()));
    }
    tag.push_attribute(("xmlUrl", feed.url.as_str()));
    if !feed.tags.is_empty() {
        tag.push_attribute(("category", feed.tags.join(",").as_str()));
    }
    tag
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed(url: &str, name: Option<&str>, tags: &[&str]) -> Subscription {
        let mut f = Subscription::new(url);
        f.name = name.map(str::to_owned);
        f.tags = tags.iter().map(|t| (*t).to_owned()).collect();
        f
    }

    #[test]
    fn folders_become_tags() {
        let opml = br#"<?xml version="1.0"?>
<opml version="1.0"><head><title>x</title></head><body>
  <outline text="Tech">
    <outline text="Rust &amp; co">
      <outline type="rss" text="This Week" xmlUrl="https://this-week.example/rss.xml?a=1&amp;b=2" category="/news,weekly"/>
    </outline>
  </outline>
  <outline type="rss" text="https://plain.example/feed" xmlUrl="https://plain.example/feed"/>
</body></opml>"#;
        let feeds = import(opml).unwrap();
        assert_eq!(
            feeds,
            [
                feed(
                    "https://this-week.example/rss.xml?a=1&b=2",
                    Some("This Week"),
                    &["Tech", "Rust & co", "news", "weekly"]
                ),
                feed("https://plain.example/feed", None, &[])
            ]
        );
    }

    #[test]
    fn export_then_import_is_exact() {
        let feeds = vec![
            feed(
                "https://a.example/feed?x=1&y=<2>",
                Some("A \"quoted\" <name> & co"),
                &["b", "a"],
            ),
            feed("https://b.example/", None, &[]),
            feed("https://c.example/atom", Some("Ç"), &["a"]),
            feed("https://d.example/rss", Some("D"), &["b"]),
        ];
        let back = import(&export(&feeds)).unwrap();
        // Grouped in folders by first tag, folders in the order their tags first appear.
        let grouped = [&feeds[0], &feeds[3], &feeds[1], &feeds[2]].map(Clone::clone);
        assert_eq!(back, grouped);
        assert_eq!(export(&back), export(&grouped));
    }

    #[test]
    fn the_declared_encoding_is_read() {
        let mut latin1 =
            b"<?xml version='1.0' encoding='ISO-8859-1'?><opml><body><outline text='Caf".to_vec();
        latin1.extend([0xe9]);
        latin1.extend(b"' xmlUrl='https://cafe.example/rss'/></body></opml>");
        assert_eq!(import(&latin1).unwrap()[0].name.as_deref(), Some("Café"));
        latin1.drain(..latin1.iter().position(|&b| b == b'>').unwrap() + 1);
        assert_eq!(
            import(&latin1).unwrap_err().message,
            "the file is not valid UTF-8"
        );
    }

    #[test]
    fn hostile_files_are_refused() {
        let bomb = br#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>
<opml><body><outline text="&lol2;" xmlUrl="https://a.example/"/></body></opml>"#;
        assert_eq!(
            import(bomb).unwrap_err().message,
            "a DOCTYPE in an OPML file is not allowed (it could define entities)"
        );
        let unknown =
            br#"<opml><body><outline text="&lol;" xmlUrl="https://a.example/"/></body></opml>"#;
        assert!(
            import(unknown)
                .unwrap_err()
                .message
                .starts_with("attribute text:")
        );
        assert_eq!(
            import(b"<rss></rss>").unwrap_err().message,
            "this is not OPML: no <opml> element"
        );
        let err = import(b"<opml>\n<body>\n<outline xmlUrl=\"file:///etc/passwd\"/></body></opml>")
            .unwrap_err();
        assert_eq!(
            err,
            OpmlError {
                line: 3,
                message: "file:///etc/passwd is not http or https".to_owned()
            }
        );
        assert!(import(b"<opml><body><outline></body></opml>").is_err());
        // quick-xml's decoding reader panics on a declaration that changes the encoding.
        let two = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><opml><body>\n<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><outline xmlUrl=\"https://a.example/\"/></body></opml>";
        assert_eq!(
            import(two).unwrap_err(),
            OpmlError {
                line: 2,
                message: "a second XML declaration: not one OPML file".to_owned()
            }
        );
        let deep = format!(
            "<opml><body>{}</body></opml>",
            "<outline text=\"f\">".repeat(100)
        );
        assert!(
            import(deep.as_bytes())
                .unwrap_err()
                .message
                .contains("nested")
        );
    }
}
