//! Repairs what real feeds break before the XML parser sees them: the encoding, junk
//! before the XML, bare `&` and HTML entities. Each repair is said in words for a warning.
//!
//! Entities are never expanded here: a named entity that is not one of XML's five or an
//! HTML one becomes literal text, so a document's own entities (a "billion laughs") cost
//! nothing.

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_8};

/// The text of a feed, decoded. Precedence: a byte order mark, then the XML declaration,
/// then the HTTP charset, then a guess; a declaration or charset the bytes contradict (UTF-8
/// announced, other bytes found; or valid UTF-8 announced as a single-byte encoding) is
/// passed over, with a repair said.
pub fn decode(bytes: &[u8], http_charset: Option<&str>, repairs: &mut Vec<String>) -> String {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom..]);
        return text.into_owned();
    }
    // UTF-16 without a byte order mark shows in the first two characters, `<?` (XML 1.0,
    // appendix F).
    let utf16 = match bytes.get(..4) {
        Some([b'<', 0, b'?', 0]) => Some(encoding_rs::UTF_16LE),
        Some([0, b'<', 0, b'?']) => Some(encoding_rs::UTF_16BE),
        _ => None,
    };
    if let Some(encoding) = utf16 {
        return encoding.decode_without_bom_handling(bytes).0.into_owned();
    }
    let declared = declared_encoding(bytes);
    let claims = [
        declared.map(|e| (e, "its XML declaration")),
        http_charset
            .and_then(|c| Encoding::for_label(c.trim().trim_matches('"').as_bytes()))
            .map(|e| (e, "the server")),
    ];
    let utf8 = std::str::from_utf8(bytes).ok();
    for (encoding, source) in claims.into_iter().flatten() {
        if encoding == UTF_8 {
            if let Some(text) = utf8 {
                return text.to_owned();
            }
            repairs.push(format!("{source} says the feed is UTF-8 but it is not"));
            continue;
        }
        if let Some(text) = utf8.filter(|t| !t.is_ascii()) {
            repairs.push(format!(
                "{source} says the feed is {} but it is UTF-8; read as UTF-8",
                encoding.name()
            ));
            return text.to_owned();
        }
        // UTF-16 without a byte order mark cannot have been declared in ASCII: only
        // ASCII-compatible encodings come this far.
        if encoding.is_ascii_compatible() {
            return encoding.decode_without_bom_handling(bytes).0.into_owned();
        }
    }
    if let Some(text) = utf8 {
        return text.to_owned();
    }
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let encoding = detector.guess(None, Utf8Detection::Deny);
    repairs.push(format!(
        "the feed is not UTF-8; read as {} (guessed)",
        encoding.name()
    ));
    encoding.decode_without_bom_handling(bytes).0.into_owned()
}

/// The encoding named by `<?xml … encoding="…"?>` at the start of `bytes`.
fn declared_encoding(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(1024)];
    let start = memchr::memmem::find(head, b"<?xml")?;
    let end = start + memchr::memmem::find(&head[start..], b"?>")?;
    let decl = &head[start..end];
    let at = memchr::memmem::find(decl, b"encoding")? + "encoding".len();
    let rest = &decl[at..];
    let quote_at = rest.iter().position(|&b| b == b'"' || b == b'\'')?;
    let quote = rest[quote_at];
    let value = &rest[quote_at + 1..];
    let value = &value[..value.iter().position(|&b| b == quote)?];
    Encoding::for_label(value)
}

/// The XML made parseable: junk before it dropped, the declaration removed (the text is
/// UTF-8 now, whatever it said), entities and bare `&` repaired. JSON is left as it is.
pub fn xml(text: &str, repairs: &mut Vec<String>) -> String {
    let trimmed = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if trimmed.starts_with('{') {
        return trimmed.to_owned();
    }
    // Junk ends at the declaration (a PHP warning may hold tags), unless the feed itself
    // starts before it (a declaration later on is from another feed pasted in).
    let is_root = |at: &usize| {
        ["<rss", "<feed", "<rdf:RDF", "<RDF"]
            .iter()
            .all(|root| !trimmed[..*at].contains(root))
    };
    let start = trimmed
        .find("<?xml")
        .filter(is_root)
        .or_else(|| trimmed.find('<'))
        .unwrap_or(0);
    let junk = trimmed[..start].trim();
    if !junk.is_empty() {
        repairs.push(format!(
            "{} character(s) before the XML were dropped",
            junk.chars().count()
        ));
    }
    let (xml, misplaced) = without_declarations(&trimmed[start..]);
    if misplaced > 0 {
        repairs.push(format!(
            "{misplaced} XML declaration(s) in the middle of the feed were dropped"
        ));
    }
    entities(&xml, repairs)
}

/// `xml` without any XML declaration, and how many there were after its start: the text is UTF-8 now, and
/// a declaration naming another encoding anywhere but at the start makes quick-xml panic
/// (feeds pasted together have one in the middle). Removed wherever it is, even inside a
/// CDATA section: what quick-xml takes for one is not worth telling apart.
fn without_declarations(xml: &str) -> (String, usize) {
    let mut out = String::with_capacity(xml.len());
    let mut count = 0;
    let mut rest = xml;
    while let Some(at) = rest.find("<?xml") {
        let after = &rest[at + "<?xml".len()..];
        out.push_str(&rest[..at]);
        // `<?xml-stylesheet …?>` is another processing instruction: it stays.
        if after.starts_with([' ', '\t', '\r', '\n', '?']) {
            count += usize::from(!out.is_empty() || at > 0);
            rest = after.find("?>").map_or("", |end| &after[end + 2..]);
        } else {
            out.push_str("<?xml");
            rest = after;
        }
    }
    out.push_str(rest);
    (out, count)
}

/// XML's own entities, kept as they are.
const XML_ENTITIES: [&str; 5] = ["amp", "lt", "gt", "quot", "apos"];

/// Rewrites `&` that XML would refuse or leave unexpanded: HTML entities (`&eacute;`,
/// `&nbsp;`) become character references, any other `&` literal text. CDATA sections and
/// comments are copied as they are.
fn entities(xml: &str, repairs: &mut Vec<String>) -> String {
    let mut out = String::with_capacity(xml.len() + xml.len() / 16);
    let (mut html, mut bare) = (0usize, 0usize);
    let mut rest = xml;
    while let Some(at) = rest.find(['&', '<']) {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        if rest.starts_with('<') {
            let verbatim = [("<![CDATA[", "]]>"), ("<!--", "-->")]
                .iter()
                .find(|(open, _)| rest.starts_with(open));
            let len = match verbatim {
                Some((open, close)) => rest[open.len()..]
                    .find(close)
                    .map_or(rest.len(), |end| open.len() + end + close.len()),
                None => 1,
            };
            out.push_str(&rest[..len]);
            rest = &rest[len..];
            continue;
        }
        let name_len = rest[1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
            .unwrap_or(rest.len() - 1);
        let name = &rest[1..1 + name_len];
        let closed = rest[1 + name_len..].starts_with(';') && !name.is_empty();
        if closed && (XML_ENTITIES.contains(&name) || char_ref(name)) {
            out.push_str(&rest[..name_len + 2]);
            rest = &rest[name_len + 2..];
            continue;
        }
        let decoded = closed
            .then(|| html5ever::data::NAMED_ENTITIES.get(&format!("{name};")[..]))
            .flatten();
        match decoded {
            Some(&(first, second)) => {
                for code in [first, second].into_iter().filter(|&c| c != 0) {
                    out.push_str(&format!("&#{code};"));
                }
                html += 1;
                rest = &rest[name_len + 2..];
            }
            None => {
                out.push_str("&amp;");
                bare += 1;
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    if html > 0 {
        repairs.push(format!("{html} HTML entit(ies) such as &nbsp; were read"));
    }
    if bare > 0 {
        repairs.push(format!("{bare} bare & were read as text"));
    }
    out
}

/// True for `#233` or `#xE9` naming a character XML allows.
fn char_ref(name: &str) -> bool {
    let Some(number) = name.strip_prefix('#') else {
        return false;
    };
    let code = match number.strip_prefix(['x', 'X']) {
        Some(hex) => u32::from_str_radix(hex, 16).ok(),
        None => number.parse().ok(),
    };
    code.and_then(char::from_u32)
        .is_some_and(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r') || c >= '\u{80}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities_are_repaired_and_said() {
        let mut repairs = Vec::new();
        assert_eq!(
            entities(
                "<t a=\"?x=1&y=2\">Caf&eacute;&nbsp;&amp; b&#233;b&eacute &lol9;</t><![CDATA[&nbsp;]]>",
                &mut repairs
            ),
            "<t a=\"?x=1&amp;y=2\">Caf&#233;&#160;&amp; b&#233;b&amp;eacute &amp;lol9;</t><![CDATA[&nbsp;]]>"
        );
        assert_eq!(
            repairs,
            [
                "2 HTML entit(ies) such as &nbsp; were read",
                "3 bare & were read as text"
            ]
        );
    }

    #[test]
    fn a_declaration_in_the_middle_goes() {
        let mut repairs = Vec::new();
        assert_eq!(
            xml(
                "<rss><a>x</a>\n<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><?xml-stylesheet href=\"s\"?><b/>",
                &mut repairs
            ),
            "<rss><a>x</a>\n<?xml-stylesheet href=\"s\"?><b/>"
        );
        assert_eq!(
            repairs,
            ["1 XML declaration(s) in the middle of the feed were dropped"]
        );
    }

    #[test]
    fn a_control_character_reference_is_text() {
        let mut repairs = Vec::new();
        assert_eq!(
            entities("&#27;&#x1b;&#10;", &mut repairs),
            "&amp;#27;&amp;#x1b;&#10;"
        );
    }

    #[test]
    fn junk_and_the_declaration_go() {
        let mut repairs = Vec::new();
        assert_eq!(
            xml(
                "\n\nWarning: x\n<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss/>",
                &mut repairs
            ),
            "<rss/>"
        );
        assert_eq!(repairs, ["10 character(s) before the XML were dropped"]);
    }

    #[test]
    fn utf16_without_a_byte_order_mark_is_known_by_its_start() {
        let text = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><t>été</t>";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        let mut repairs = Vec::new();
        assert_eq!(decode(&le, None, &mut repairs), text);
        assert_eq!(decode(&be, Some("utf-8"), &mut repairs), text);
        assert!(repairs.is_empty());
    }

    #[test]
    fn encodings_by_precedence() {
        let latin1 = b"<?xml version=\"1.0\" encoding=\"utf-8\"?><t>\xe9t\xe9</t>";
        let mut repairs = Vec::new();
        assert_eq!(
            decode(latin1, None, &mut repairs),
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><t>été</t>"
        );
        assert_eq!(
            repairs,
            [
                "its XML declaration says the feed is UTF-8 but it is not",
                "the feed is not UTF-8; read as windows-1252 (guessed)"
            ]
        );
        let mut repairs = Vec::new();
        let declared = b"<?xml version=\"1.0\" encoding=\"iso-8859-15\"?><t>\xa4</t>";
        assert_eq!(
            decode(declared, Some("utf-8"), &mut repairs),
            "<?xml version=\"1.0\" encoding=\"iso-8859-15\"?><t>€</t>"
        );
        assert!(repairs.is_empty());
        let http = "<t>\u{e9}</t>".as_bytes();
        assert_eq!(decode(http, Some("windows-1252"), &mut repairs), "<t>é</t>");
        assert_eq!(
            repairs,
            ["the server says the feed is windows-1252 but it is UTF-8; read as UTF-8"]
        );
    }
}
