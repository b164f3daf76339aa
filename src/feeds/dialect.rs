//! Rewrites the feed dialects feed-rs does not read as the ones it does: RSS 0.90 as RSS
//! 1.0 (an older namespace), RSS with no or an unknown `version` (0.93, 0.94, 2.0.1) as
//! RSS 2.0, Atom 0.3 as Atom 1.0 (a namespace and a few renamed elements).

const RSS_090: &str = "http://my.netscape.com/rdf/simple/0.9/";
const RSS_10: &str = "http://purl.org/rss/1.0/";
const ATOM_03: &str = "http://purl.org/atom/ns#";
const ATOM_10: &str = "http://www.w3.org/2005/Atom";

/// The Atom 0.3 elements Atom 1.0 renamed.
const ATOM_RENAMED: [(&str, &str); 4] = [
    ("issued", "published"),
    ("modified", "updated"),
    ("tagline", "subtitle"),
    ("copyright", "rights"),
];

/// `xml` in a dialect feed-rs reads; unchanged when it already is one.
pub fn normalize(xml: String) -> String {
    let mut xml = if xml.contains(RSS_090) {
        xml.replace(RSS_090, RSS_10)
    } else {
        xml
    };
    if xml.contains(ATOM_03) {
        xml = xml.replace(ATOM_03, ATOM_10);
        for (old, new) in ATOM_RENAMED {
            xml = xml
                .replace(&format!("<{old}>"), &format!("<{new}>"))
                .replace(&format!("</{old}>"), &format!("</{new}>"));
        }
    }
    rss_version(xml)
}

/// Gives the `<rss>` root element the version `2.0` when it has none or one feed-rs does not
/// know (RSS 2.0 reads every 0.9x and 2.x element).
fn rss_version(xml: String) -> String {
    let Some(start) = root_rss(&xml) else {
        return xml;
    };
    let Some(len) = xml[start..].find('>') else {
        return xml;
    };
    let tag = &xml[start..start + len];
    let version = attribute(tag, "version");
    if version
        .as_ref()
        .is_some_and(|(_, v)| matches!(*v, "2.0" | "0.91" | "0.92"))
    {
        return xml;
    }
    let mut rewritten = String::with_capacity(xml.len() + 16);
    rewritten.push_str(&xml[..start]);
    rewritten.push_str("<rss version=\"2.0\"");
    let rest = &tag["<rss".len()..];
    match version {
        Some((range, _)) => {
            let range = range.start - "<rss".len()..range.end - "<rss".len();
            rewritten.push_str(&rest[..range.start]);
            rewritten.push_str(&rest[range.end..]);
        }
        None => rewritten.push_str(rest),
    }
    rewritten.push_str(&xml[start + len..]);
    rewritten
}

/// Where the root element starts, if it is `<rss>`.
fn root_rss(xml: &str) -> Option<usize> {
    let mut at = 0;
    loop {
        let found = at + xml[at..].find('<')?;
        let rest = &xml[found + 1..];
        if rest.starts_with("!--") {
            at = found + rest.find("-->")? + 1;
            continue;
        }
        if rest.starts_with(['?', '!']) {
            at = found + 1;
            continue;
        }
        let is_rss = rest.starts_with("rss")
            && rest[3..].starts_with(|c: char| c.is_whitespace() || c == '>' || c == '/');
        return is_rss.then_some(found);
    }
}

/// The byte range of `name="value"` in a start tag, and the value.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<(std::ops::Range<usize>, &'a str)> {
    let mut from = 0;
    while let Some(found) = tag[from..].find(name) {
        let at = from + found;
        from = at + name.len();
        let before = tag[..at].chars().next_back();
        if !before.is_some_and(char::is_whitespace) {
            continue;
        }
        let rest = tag[from..].trim_start();
        let Some(rest) = rest.strip_prefix('=') else {
            continue;
        };
        let rest = rest.trim_start();
        let quote = rest.chars().next().filter(|q| matches!(q, '"' | '\''))?;
        let value_start = tag.len() - rest.len() + 1;
        let value_len = tag[value_start..].find(quote)?;
        let value = &tag[value_start..value_start + value_len];
        return Some((at..value_start + value_len + 1, value));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rss_without_or_with_an_unknown_version_is_read_as_2_0() {
        let n = |s: &str| normalize(s.to_owned());
        assert_eq!(
            n("<rss><channel/></rss>"),
            "<rss version=\"2.0\"><channel/></rss>"
        );
        assert_eq!(
            n("<!-- <rss> --><rss xmlns:a=\"x\" version='0.94'>"),
            "<!-- <rss> --><rss version=\"2.0\" xmlns:a=\"x\" >"
        );
        assert_eq!(n("<rss version=\"2.0\">"), "<rss version=\"2.0\">");
        assert_eq!(n("<rss version=\"0.91\">"), "<rss version=\"0.91\">");
        assert_eq!(n("<rssx><rss>"), "<rssx><rss>");
        assert_eq!(
            n("<rss xversion=\"1\">"),
            "<rss version=\"2.0\" xversion=\"1\">"
        );
    }

    #[test]
    fn atom_0_3_is_read_as_atom_1_0() {
        assert_eq!(
            normalize(
                "<feed version=\"0.3\" xmlns=\"http://purl.org/atom/ns#\"><entry>\
                 <issued>2004-01-01T00:00:00Z</issued><modified>x</modified></entry></feed>"
                    .to_owned()
            ),
            "<feed version=\"0.3\" xmlns=\"http://www.w3.org/2005/Atom\"><entry>\
             <published>2004-01-01T00:00:00Z</published><updated>x</updated></entry></feed>"
        );
    }
}
