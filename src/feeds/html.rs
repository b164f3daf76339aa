//! Turns the HTML of a feed item into article text: a line per paragraph, `•` bullets,
//! `↳` captions, `[image: alt]` lines, tables row by row, and links numbered in the text
//! (`text [1]`) and listed at the end (`• [1] https://…`), where the reader's `o` finds them.
//!
//! Every line goes through the sanitizer, so the text holds no control character but the
//! newlines between lines: nothing a feed says can reach the terminal as an escape sequence.

use std::collections::HashMap;

use ego_tree::NodeRef;
use scraper::{Html, Node};
use url::Url;

use crate::store::header::CAPTION;
use crate::text::sanitize::{Place, sanitize};

/// Elements nested deeper than this are read as plain text: the walk is recursive, and a
/// hostile item could nest a million `<div>`s.
const MAX_DEPTH: usize = 128;

/// The article text of an HTML fragment. Relative links resolve against `base`.
pub fn to_text(html: &str, base: Option<&Url>) -> String {
    let doc = Html::parse_fragment(html);
    let mut out = Out {
        base,
        ..Out::default()
    };
    out.walk(doc.tree.root(), 0);
    out.finish()
}

/// The article text of plain text: a line per non-empty line.
pub fn plain_to_text(text: &str) -> String {
    let mut out = Out::default();
    for line in text.lines() {
        out.text(line);
        out.flush();
    }
    out.finish()
}

#[derive(Default)]
struct Out<'a> {
    base: Option<&'a Url>,
    lines: Vec<String>,
    /// The line being built, white space already collapsed.
    line: String,
    space: bool,
    /// Put before the next line that holds text: a list item's bullet.
    pending_prefix: Option<String>,
    quote_depth: usize,
    caption_depth: usize,
    /// The open lists: ordered or not, and the number of the next item.
    lists: Vec<(bool, usize)>,
    links: Vec<String>,
    /// The number of each link, by its address.
    numbers: HashMap<String, usize>,
}

impl Out<'_> {
    fn walk(&mut self, node: NodeRef<'_, Node>, depth: usize) {
        if depth > MAX_DEPTH {
            for d in node.descendants() {
                if let Node::Text(t) = d.value() {
                    self.text(t);
                }
            }
            return;
        }
        match node.value() {
            Node::Text(t) => self.text(t),
            Node::Element(e) => self.element(node, e, depth),
            Node::Document | Node::Fragment => self.children(node, depth),
            _ => {}
        }
    }

    fn children(&mut self, node: NodeRef<'_, Node>, depth: usize) {
        for child in node.children() {
            self.walk(child, depth + 1);
        }
    }

    fn element(&mut self, node: NodeRef<'_, Node>, e: &scraper::node::Element, depth: usize) {
        match e.name() {
            "script" | "style" | "noscript" | "template" | "head" | "title" | "svg" | "math"
            | "button" | "form" | "select" | "input" | "textarea" | "object" | "embed" => {}
            "br" | "hr" => self.flush(),
            "img" => self.image(e),
            "a" => self.link(node, e, depth),
            "iframe" => {
                if let Some(url) = e.attr("src").and_then(|s| self.absolute(s)) {
                    self.flush();
                    self.text(&format!("[embedded: {url}]"));
                    self.flush();
                }
            }
            "ul" | "ol" => {
                self.flush();
                self.lists.push((e.name() == "ol", 1));
                self.children(node, depth);
                self.lists.pop();
                self.flush();
            }
            "li" => {
                self.flush();
                let level = self.lists.len().max(1);
                let mut prefix = "  ".repeat(level - 1);
                prefix.push_str("• ");
                match self.lists.last_mut() {
                    Some((true, n)) => {
                        prefix.push_str(&format!("{n}. "));
                        *n += 1;
                    }
                    // A nested item shows its depth in the reader too, which trims lines.
                    _ if level > 1 => prefix.push_str("◦ "),
                    _ => {}
                }
                self.pending_prefix = Some(prefix);
                self.children(node, depth);
                self.flush();
                self.pending_prefix = None;
            }
            "blockquote" => {
                self.flush();
                self.quote_depth += 1;
                self.children(node, depth);
                self.flush();
                self.quote_depth -= 1;
            }
            // Blogger and old WordPress mark their captions with a class.
            _ if e.attr("class").is_some_and(|c| {
                c.split_ascii_whitespace()
                    .any(|w| w == "tr-caption" || w == "wp-caption-text")
            }) =>
            {
                self.flush();
                self.caption_depth += 1;
                self.children(node, depth);
                self.flush();
                self.caption_depth -= 1;
            }
            "figcaption" => {
                self.flush();
                self.caption_depth += 1;
                self.children(node, depth);
                self.flush();
                self.caption_depth -= 1;
            }
            "pre" => {
                self.flush();
                let raw: String = node
                    .descendants()
                    .filter_map(|d| match d.value() {
                        Node::Text(t) => Some(&**t),
                        _ => None,
                    })
                    .collect();
                for line in raw.lines() {
                    self.text(line);
                    self.flush();
                }
            }
            "tr" => {
                self.flush();
                let mut first = true;
                for cell in node.children() {
                    let is_cell =
                        matches!(cell.value(), Node::Element(c) if matches!(c.name(), "td" | "th"));
                    if !is_cell {
                        continue;
                    }
                    if !first {
                        self.text(" | ");
                    }
                    first = false;
                    self.walk(cell, depth + 1);
                }
                self.flush();
            }
            name if is_block(name) => {
                self.flush();
                self.children(node, depth);
                self.flush();
            }
            _ => self.children(node, depth),
        }
    }

    fn image(&mut self, e: &scraper::node::Element) {
        let size = |name| {
            e.attr(name)
                .map(|v| v.trim().trim_end_matches("px").trim().parse::<u32>().ok())
        };
        // A 1×1 (or 0×0) image is a tracking pixel, not something to read.
        if matches!((size("width"), size("height")), (Some(Some(w)), Some(Some(h))) if w <= 1 && h <= 1)
        {
            return;
        }
        let alt = e.attr("alt").map(str::trim).unwrap_or_default();
        // WordPress draws emoji as images whose alt text is the emoji itself.
        let class = e.attr("class").unwrap_or_default();
        if (class.contains("emoji") || class.contains("wp-smiley")) && !alt.is_empty() {
            self.text(alt);
            return;
        }
        if alt.is_empty() {
            self.text(" [image]");
        } else {
            self.text(&format!(" [image: {alt}]"));
        }
    }

    fn link(&mut self, node: NodeRef<'_, Node>, e: &scraper::node::Element, depth: usize) {
        let before = self.line.len();
        self.children(node, depth);
        let Some(url) = e
            .attr("href")
            .filter(|h| !h.trim_start().starts_with('#'))
            .and_then(|h| self.absolute(h))
        else {
            return;
        };
        // The text of the link, if it is still on this line.
        let shown = self.line.get(before..).unwrap_or_default().trim();
        let bare = |u: &str| u.trim_end_matches('/').to_owned();
        let shows_itself = bare(shown) == bare(&url)
            || bare(shown) == bare(url.split_once("://").map_or(&url[..], |(_, r)| r));
        if shows_itself {
            return;
        }
        let next = self.numbers.len() + 1;
        let n = *self.numbers.entry(url.clone()).or_insert(next);
        if n == next {
            self.links.push(url);
        }
        self.space = false;
        self.text(&format!(" [{n}]"));
    }

    /// `href` made absolute, if it is a link a reader may follow: http, https or mailto.
    fn absolute(&self, href: &str) -> Option<String> {
        let href = href.trim();
        let url = match self.base {
            Some(base) => base.join(href).ok()?,
            None => Url::parse(href).ok()?,
        };
        matches!(url.scheme(), "http" | "https" | "mailto").then(|| url.to_string())
    }

    /// Adds inline text, white space collapsed to single spaces.
    fn text(&mut self, text: &str) {
        for c in text.chars() {
            // A no-break space is kept: French puts one before `:` and `»`.
            if c.is_whitespace() && c != '\u{a0}' && c != '\u{202f}' {
                self.space = !self.line.is_empty();
            } else {
                if self.space {
                    self.line.push(' ');
                    self.space = false;
                }
                self.line.push(c);
            }
        }
    }

    /// Ends the line being built, if it holds text.
    fn flush(&mut self) {
        self.space = false;
        let text = std::mem::take(&mut self.line);
        let text = text.trim();
        if text.is_empty() {
            return;
        }
        let mut line = String::new();
        if let Some(prefix) = self.pending_prefix.take() {
            line.push_str(&prefix);
        }
        for _ in 0..self.quote_depth {
            line.push_str("> ");
        }
        if self.caption_depth > 0 {
            line.push(CAPTION);
            line.push(' ');
        }
        line.push_str(text);
        self.lines.push(sanitize(&line, Place::Body));
    }

    fn finish(mut self) -> String {
        self.flush();
        for (i, url) in self.links.iter().enumerate() {
            self.lines.push(format!("• [{}] {url}", i + 1));
        }
        let mut text = self.lines.join("\n");
        if !text.is_empty() {
            text.push('\n');
        }
        text
    }
}

/// Elements that stand on their own lines.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "section"
            | "article"
            | "aside"
            | "header"
            | "footer"
            | "main"
            | "nav"
            | "address"
            | "figure"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "dl"
            | "dt"
            | "dd"
            | "table"
            | "thead"
            | "tbody"
            | "tfoot"
            | "caption"
            | "details"
            | "summary"
            | "center"
            | "video"
            | "audio"
            | "picture"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(html: &str) -> String {
        let base = Url::parse("https://www.exemple.fr/blog/billet.html").unwrap();
        to_text(html, Some(&base))
    }

    #[test]
    fn paragraphs_headings_and_line_breaks() {
        assert_eq!(
            text("<h2>Le  point</h2><p>Un\n  premier paragraphe.</p><p>Ligne<br>suivante</p>"),
            "Le point\nUn premier paragraphe.\nLigne\nsuivante\n"
        );
    }

    #[test]
    fn lists_nested_and_ordered() {
        assert_eq!(
            text(
                "<ul><li>un<ul><li>sous-point</li></ul></li><li>deux</li></ul><ol><li>a</li><li>b</li></ol>"
            ),
            "• un\n  • ◦ sous-point\n• deux\n• 1. a\n• 2. b\n"
        );
    }

    #[test]
    fn quotes_figures_and_images() {
        assert_eq!(
            text(
                "<blockquote><p>Citation.</p></blockquote><figure><img src=a.jpg alt=\"Le port\">\
                 <figcaption>Le port de Brest. © AFP</figcaption></figure>\
                 <p>Avant <img src=p.gif width=1 height=1>après <img src=x.png></p>"
            ),
            "> Citation.\n[image: Le port]\n↳ Le port de Brest. © AFP\nAvant après [image]\n"
        );
    }

    #[test]
    fn links_are_numbered_once_and_listed_at_the_end() {
        assert_eq!(
            text(
                "<p>Lire <a href=\"/a.html\">notre enquête</a>, <a href=\"../a.html\">encore</a>, \
                 <a href=\"https://x.org/\">https://x.org</a> et <a href=\"javascript:alert(1)\">rien</a> \
                 ou <a href=\"#note\">note</a>.</p>"
            ),
            "Lire notre enquête [1], encore [1], https://x.org et rien ou note.\n\
             • [1] https://www.exemple.fr/a.html\n"
        );
    }

    #[test]
    fn tables_row_by_row_and_scripts_dropped() {
        assert_eq!(
            text(
                "<script>alert('x')</script><style>p{}</style><table><tr><th>Ville</th><th>Voix</th></tr>\
                 <tr><td>Brest</td><td>51 %</td></tr></table>"
            ),
            "Ville | Voix\nBrest | 51 %\n"
        );
    }

    #[test]
    fn escapes_become_visible() {
        assert_eq!(
            text("<p>\u{1b}]0;pwned\u{7}</p><p>\u{9b}31m</p>"),
            "^[]0;pwned^G\n<U+009B>31m\n"
        );
        assert_eq!(text("a &amp; b &eacute;t&eacute;"), "a & b été\n");
    }

    #[test]
    fn deep_nesting_is_read_without_recursing_forever() {
        let html = format!(
            "{}fond{}",
            "<div><span>".repeat(5_000),
            "</span></div>".repeat(10)
        );
        assert_eq!(text(&html), "fond\n");
    }

    #[test]
    fn plain_text_keeps_its_lines() {
        assert_eq!(
            plain_to_text("Un <b>texte</b>\n\n  brut\u{1b}  "),
            "Un <b>texte</b>\nbrut^[\n"
        );
    }
}
