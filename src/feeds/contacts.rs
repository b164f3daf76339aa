//! Keeps feed-rs from panicking on an author such as `jean@exemple.fr«Jean»`: its parser
//! of `e-mail (name)` cuts the text one byte before or after the address, inside a
//! character that takes more than one byte. A space is put between such an address and
//! its neighbour, in the RSS contact elements and in JSON Feed author names, where feed-rs
//! reads people this way.

use serde_json::Value;

/// The RSS elements whose text feed-rs reads as `e-mail (name)`.
const CONTACTS: [&str; 3] = ["author", "managingEditor", "webMaster"];

/// `xml` (or JSON Feed text) with every e-mail address of a contact set apart by a space
/// from a non-ASCII neighbour. Unchanged when nothing needs it.
pub fn separate(text: String) -> String {
    if !text.contains('@') {
        return text;
    }
    if text.starts_with('{') {
        return json(text);
    }
    // Every contact element's start, found in one pass per name: looking for the nearest of
    // three names again after each would be quadratic in a feed of many items.
    let mut starts: Vec<(usize, &str)> = CONTACTS
        .iter()
        .flat_map(|name| {
            let open = format!("<{name}>");
            text.match_indices(open.as_str())
                .map(|(at, _)| (at, *name))
                .collect::<Vec<_>>()
        })
        .collect();
    starts.sort_unstable();
    let mut out = String::with_capacity(text.len());
    let mut done = 0;
    for (at, name) in starts {
        if at < done {
            continue;
        }
        let open = at + name.len() + 2;
        let close = text[open..]
            .find(&format!("</{name}>"))
            .map_or(text.len(), |end| open + end);
        out.push_str(&text[done..open]);
        out.push_str(&spaced(&text[open..close], true));
        done = close;
    }
    out.push_str(&text[done..]);
    out
}

/// JSON Feed: the `name` of every author of the feed and of its items.
fn json(text: String) -> String {
    let Ok(mut feed) = serde_json::from_str::<Value>(&text) else {
        return text;
    };
    let mut changed = false;
    people(&mut feed, &mut changed);
    if let Some(items) = feed.get_mut("items").and_then(Value::as_array_mut) {
        for item in items {
            people(item, &mut changed);
        }
    }
    if changed { feed.to_string() } else { text }
}

/// Fixes the names of the `author` and `authors` of a feed or an item.
fn people(holder: &mut Value, changed: &mut bool) {
    let mut fix = |person: &mut Value| {
        if let Some(Value::String(name)) = person.get_mut("name") {
            let fixed = spaced(name, false);
            if fixed != *name {
                *name = fixed;
                *changed = true;
            }
        }
    };
    if let Some(person) = holder.get_mut("author") {
        fix(person);
    }
    if let Some(list) = holder.get_mut("authors").and_then(Value::as_array_mut) {
        list.iter_mut().for_each(fix);
    }
}

/// `text` with a space between each e-mail address and a neighbour that is not ASCII
/// (or, in XML, `&` or `;`: a character reference may stand for one).
fn spaced(text: &str, xml: bool) -> String {
    let risky =
        |c: Option<char>| c.is_some_and(|c| !c.is_ascii() || (xml && (c == '&' || c == ';')));
    let local = |c: char| c.is_ascii_alphanumeric() || "._%+-".contains(c);
    let domain = |c: char| c.is_ascii_alphanumeric() || c == '.' || c == '-';
    let mut out = String::with_capacity(text.len() + 4);
    let mut from = 0;
    for (at, _) in text.match_indices('@') {
        let start = text[..at].trim_end_matches(local).len();
        let end = at + 1 + text[at + 1..].len() - text[at + 1..].trim_start_matches(domain).len();
        if start == at || end == at + 1 || start < from {
            continue;
        }
        out.push_str(&text[from..start]);
        if risky(text[..start].chars().next_back()) {
            out.push(' ');
        }
        out.push_str(&text[start..end]);
        if risky(text[end..].chars().next()) {
            out.push(' ');
        }
        from = end;
    }
    out.push_str(&text[from..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_next_to_other_characters_are_set_apart() {
        assert_eq!(
            separate(
                "<item><author>jean@exemple.fr«Jean»</author><title>a@b.fr«</title></item>".into()
            ),
            "<item><author>jean@exemple.fr «Jean»</author><title>a@b.fr«</title></item>"
        );
        assert_eq!(
            separate(
                "<author>Groß\u{a0}j@x.de&#163;</author><webMaster>w@x.io (W)</webMaster>".into()
            ),
            "<author>Groß\u{a0} j@x.de &#163;</author><webMaster>w@x.io (W)</webMaster>"
        );
        assert_eq!(
            separate(
                r#"{"items":[{"authors":[{"name":"a@b.fr£"}]}],"author":{"name":"ok"}}"#.into()
            ),
            r#"{"author":{"name":"ok"},"items":[{"authors":[{"name":"a@b.fr £"}]}]}"#
        );
        let plain = r#"{"author": {"name": "x@y.fr"}}"#;
        assert_eq!(separate(plain.into()), plain);
    }

    /// The panic this module avoids, found by fuzz/feed_to_article.
    #[test]
    fn feed_rs_reads_such_authors_without_panicking() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-03-06T12:00:00+01:00").unwrap();
        let xml = "<rss version=\"2.0\"><channel><title>t</title><item><title>a</title>\
                   <author>jean@exemple.fr\u{a0}(Jean Dupont)</author></item></channel></rss>";
        let doc = crate::feeds::parse::parse_feed(xml.as_bytes(), None, "https://x.example/", now)
            .unwrap();
        assert_eq!(doc.items[0].author.as_deref(), Some("Jean Dupont"));
    }
}
