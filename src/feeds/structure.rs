//! Repairs the structure of XML a parser refused: end tags that match nothing are dropped,
//! elements left open are closed (an unescaped `<br>` in a description, a file cut short),
//! and failing that, the longest run of whole items that reads is kept.

/// `xml` with its tags balanced, and how many tags were added or dropped; `None` when the
/// tags already balance. Comments, CDATA sections, processing instructions and the
/// doctype are copied as they are.
pub fn balance(xml: &str) -> Option<(String, usize)> {
    let mut out = String::with_capacity(xml.len() + 64);
    let mut open: Vec<&str> = Vec::new();
    let mut fixes = 0;
    let mut rest = xml;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let verbatim = [("<!--", "-->"), ("<![CDATA[", "]]>"), ("<?", "?>")]
            .into_iter()
            .find(|(start, _)| rest.starts_with(start));
        let len = match verbatim {
            Some((start, end)) => rest[start.len()..]
                .find(end)
                .map_or(rest.len(), |i| start.len() + i + end.len()),
            None if rest.starts_with("<!") => doctype_len(rest),
            None => tag_len(rest),
        };
        let tag = &rest[..len];
        rest = &rest[len..];
        if !tag.ends_with('>') && rest.is_empty() && verbatim.is_none() {
            // A file cut short inside a tag: the piece of tag goes.
            fixes += 1;
            continue;
        }
        if verbatim.is_some() || tag.starts_with("<!") || !tag.ends_with('>') {
            out.push_str(tag);
            continue;
        }
        let name = tag_name(tag);
        if let Some(name) = name.strip_prefix('/') {
            // Looked for among the innermost open elements only: a stray end tag costs at
            // most that much, however deep a hostile document nests.
            let reach = open.len().saturating_sub(MAX_REACH);
            match open[reach..]
                .iter()
                .rposition(|n| *n == name)
                .map(|i| reach + i)
            {
                Some(depth) => {
                    // Elements opened inside this one and never closed end with it.
                    for unclosed in open.drain(depth + 1..).rev() {
                        out.push_str(&format!("</{unclosed}>"));
                        fixes += 1;
                    }
                    open.pop();
                    out.push_str(tag);
                }
                None => fixes += 1,
            }
            continue;
        }
        if VOID.contains(&name) && !tag.ends_with("/>") {
            // An HTML `<br>` or `<img>` left unescaped in the XML never has an end tag: it
            // becomes the text it was meant to be, which is read as HTML with the rest.
            out.push_str("&lt;");
            out.push_str(&tag[1..tag.len() - 1]);
            out.push_str("&gt;");
            fixes += 1;
            continue;
        }
        if !name.is_empty() && !tag.ends_with("/>") {
            open.push(name);
        }
        out.push_str(tag);
    }
    out.push_str(rest);
    for unclosed in open.drain(..).rev() {
        out.push_str(&format!("</{unclosed}>"));
        fixes += 1;
    }
    (fixes > 0).then_some((out, fixes))
}

/// How many open elements an end tag may close at once.
const MAX_REACH: usize = 64;

/// HTML elements that never have content, as they appear unescaped in feeds (not `link`
/// or `source`: RSS has elements of those names).
const VOID: [&str; 6] = ["br", "hr", "img", "wbr", "input", "col"];

/// The length of the tag `rest` starts with, up to its `>` outside quotes, or all of
/// `rest` when it never ends.
fn tag_len(rest: &str) -> usize {
    let mut quote = None;
    for (i, c) in rest.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return i + 1,
            _ => {}
        }
    }
    rest.len()
}

/// The length of a `<!DOCTYPE …>`, internal subset included.
fn doctype_len(rest: &str) -> usize {
    let gt = rest.find('>').map_or(rest.len(), |i| i + 1);
    match rest[..gt].find('[') {
        Some(_) => rest.find("]>").map_or(rest.len(), |i| i + 2),
        None => gt,
    }
}

/// `item` for `<item a="b">`, `/item` for `</item>`.
fn tag_name(tag: &str) -> &str {
    let inner = &tag[1..];
    let end = inner
        .char_indices()
        .find(|&(i, c)| c.is_whitespace() || c == '>' || (c == '/' && i > 0))
        .map_or(inner.len(), |(i, _)| i);
    &inner[..end]
}

/// The feed made of the longest run of whole items of `xml` that `parse` reads, with the
/// number of items in it: for a feed cut short or broken after some item. The ends of items
/// are tried by bisection, so a feed of a thousand items is parsed about ten times.
pub fn longest_readable<T>(xml: &str, parse: impl Fn(&str) -> Option<T>) -> Option<(T, usize)> {
    let root = root_name(xml)?;
    let closing = if root == "rss" {
        "</channel></rss>".to_owned()
    } else {
        format!("</{root}>")
    };
    let ends: Vec<usize> = ["</item>", "</entry>"]
        .iter()
        .flat_map(|tag| xml.match_indices(tag).map(|(at, tag)| at + tag.len()))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let attempt = |n: usize| parse(&format!("{}{closing}", &xml[..ends[n - 1]]));
    // Find the most items `n` (1..=ends.len()) whose prefix reads.
    let (mut good, mut bad) = (None, ends.len() + 1);
    let mut low = 1;
    while low < bad {
        let mid = low + (bad - low) / 2;
        match attempt(mid) {
            Some(feed) => {
                good = Some((feed, mid));
                low = mid + 1;
            }
            None => bad = mid,
        }
    }
    good
}

/// The name of the root element: the first tag that is not a declaration or a comment.
fn root_name(xml: &str) -> Option<&str> {
    let mut rest = xml;
    loop {
        let at = rest.find('<')?;
        rest = &rest[at + 1..];
        if !rest.starts_with(['?', '!']) {
            let end = rest.find(|c: char| c.is_whitespace() || c == '>' || c == '/')?;
            return Some(&rest[..end]).filter(|n| !n.is_empty());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stray_end_tags_go_and_open_elements_are_closed() {
        let (fixed, fixes) = balance(
            "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY a \"<b>\">]><rss><channel>\
             <image></height></image><item><description>a<br>b</description></item>\
             <item><title a=\"x>y\">t</title><![CDATA[<p>]]><!-- <q> --><x/><description>cut",
        )
        .unwrap();
        assert_eq!(
            fixed,
            "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY a \"<b>\">]><rss><channel>\
             <image></image><item><description>a&lt;br&gt;b</description></item>\
             <item><title a=\"x>y\">t</title><![CDATA[<p>]]><!-- <q> --><x/><description>cut\
             </description></item></channel></rss>"
        );
        assert_eq!(fixes, 6);
        assert_eq!(
            balance("<rss><item>abc</ite"),
            Some(("<rss><item>abc</item></rss>".to_owned(), 3))
        );
        assert_eq!(balance("<rss><a>x</a><b/></rss>"), None);
    }

    #[test]
    fn the_longest_readable_run_of_items_is_found() {
        let xml = "<?xml version=\"1.0\"?><!-- x --><rss version=\"2.0\"><channel>\
                   <item>1</item><item>2</item><item>3</item><item><b>4</item></b>";
        let parse = |s: &str| {
            s.contains("<item>3</item></channel></rss>")
                .then_some(s.len())
        };
        assert_eq!(longest_readable(xml, parse).map(|(_, n)| n), Some(3));
        let attempts = std::cell::Cell::new(0);
        let ok_up_to_700 = |s: &str| {
            attempts.set(attempts.get() + 1);
            (s.matches("</entry>").count() <= 700).then_some(())
        };
        let atom = format!("<feed>{}", "<entry>x</entry>".repeat(1000));
        assert_eq!(
            longest_readable(&atom, ok_up_to_700).map(|(_, n)| n),
            Some(700)
        );
        assert!(attempts.get() <= 11, "{}", attempts.get());
        assert_eq!(
            longest_readable("<feed><entry>", |_| Some(())).map(|(_, n)| n),
            None
        );
    }
}
