//! Tests of fetching, extracting and saving the full text of an article; pages are given
//! by hand, never fetched.

use std::cell::Cell;

use super::*;
use crate::feeds::item::Item;
use crate::feeds::write::save_items;
use crate::store::header::identity_fingerprint;

const KEY: &str = "https://www.exemple.fr/rss.xml";
const LINK: &str = "https://www.exemple.fr/planete/huitres.html";
const SUMMARY: &str = "Les producteurs d'huîtres de la rade s'inquiètent.";

fn news_page() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pages/news-article.html");
    fs::read_to_string(path).unwrap()
}

fn page(body: &str, media_type: Option<&str>) -> Fetched {
    Fetched {
        url: LINK.to_owned(),
        moved_to: None,
        body: Body::Full {
            bytes: body.as_bytes().to_vec(),
            charset: None,
            media_type: media_type.map(str::to_owned),
        },
        validators: Conditional::default(),
        max_age: None,
    }
}

fn html(body: &str) -> Fetched {
    page(body, Some("text/html"))
}

fn item(summary: &str) -> Item {
    Item {
        id: LINK.to_owned(),
        title: "Les ostréiculteurs face à l'hiver".to_owned(),
        link: Some(LINK.to_owned()),
        author: Some("Jeanne Dupont".to_owned()),
        published: DateTime::parse_from_rfc3339("2026-03-06T08:15:00+01:00").ok(),
        published_guessed: false,
        body: format!("{summary}\n"),
        enclosures: Vec::new(),
    }
}

/// A feeds folder holding one article saved from a feed, and that article's file.
fn saved_article() -> (tempfile::TempDir, PathBuf) {
    let root = tempfile::tempdir().unwrap();
    let report = save_items(root.path(), KEY, "L'Exemple", &[item(SUMMARY)]).unwrap();
    let path = report.paths[0].clone();
    (root, path)
}

/// A page whose article is `paragraphs`, long enough for the readability algorithm.
fn article_page(paragraphs: &[&str]) -> String {
    let mut out = String::from(
        "<html><head><title>T</title></head><body><nav><a href=/>Accueil</a></nav><article>",
    );
    for p in paragraphs {
        out.push_str(&format!("<p>{p}</p>"));
    }
    out.push_str("</article></body></html>");
    out
}

const LONG: &str = "Les ostréiculteurs de la rade comptent leurs pertes après un automne trop \
    doux, et la filière tout entière attend une aide de l'État avant les fêtes de fin d'année.";

#[test]
fn a_news_page_gives_its_article_and_nothing_else() {
    let base = Url::parse(LINK).unwrap();
    let text = extract(&news_page(), &base).unwrap();
    for kept in [
        "Sur l'estran de Logonna-Daoulas, à marée basse",
        "« Nous avons perdu près de la moitié des jeunes huîtres en trois semaines »",
        "[image: Des tables ostréicoles à marée basse]",
        "↳ Les tables ostréicoles de Logonna-Daoulas, à marée basse, en février. © Jeanne Dupont",
        "un rapport de l'Ifremer publié l'an dernier [",
        "https://www.exemple.fr/planete/rapport-ifremer-2025",
        "La préfecture doit réunir les professionnels à la fin du mois",
    ] {
        assert!(text.contains(kept), "{kept:?} is missing from:\n{text}");
    }
    for dropped in [
        "Abonnez-vous",
        "Économie",
        "Publicité",
        "Croisières Hublot",
        "Contenu sponsorisé",
        "Marcel29",
        "algues vertes alors",
        "À lire aussi",
        "Marées vertes",
        "Mentions légales",
        "cookies",
        "dataLayer",
        "Partager sur",
    ] {
        assert!(!text.contains(dropped), "{dropped:?} was kept in:\n{text}");
    }
    // Lines as feed content gives them: one per paragraph, no empty line.
    assert!(text.lines().all(|l| !l.trim().is_empty()), "{text}");
    assert!(text.lines().count() >= 8, "{text}");
}

#[test]
fn a_page_with_nothing_readable_is_said_so_and_the_file_is_left_alone() {
    let (_root, path) = saved_article();
    let before = fs::read(&path).unwrap();
    let menu = "<html><body><nav><ul><li><a href=/a>Politique</a></li><li><a href=/b>Sport</a>\
                </li></ul></nav><footer>© L'Exemple</footer></body></html>";
    let cookie_wall = "<html><body><div class=consent><p>Acceptez les cookies pour lire \
                       la suite.</p></div></body></html>";
    for page in [menu, cookie_wall, ""] {
        let err = fetch_with(&path, |_| Ok(html(page))).unwrap_err();
        assert!(matches!(err, FullTextError::NothingReadable), "{err:?}");
        assert_eq!(fs::read(&path).unwrap(), before);
    }
    assert_eq!(
        FullTextError::NothingReadable.to_string(),
        "nothing on the page reads as more than the summary; the article stays as it was"
    );
    // An article no longer than the summary adds nothing either.
    let same = article_page(&[SUMMARY, SUMMARY]);
    let err = fetch_with(&path, |_| Ok(html(&same))).unwrap_err();
    assert!(matches!(err, FullTextError::NothingReadable), "{err:?}");
    assert_eq!(fs::read(&path).unwrap(), before);
}

#[test]
fn the_full_text_goes_below_the_summary_and_the_article_stays_itself() {
    let (_root, path) = saved_article();
    let before = fs::read_to_string(&path).unwrap();
    let asked = Cell::new(None);
    let done = fetch_with(&path, |url| {
        asked.set(Some(url.to_owned()));
        Ok(html(&news_page()))
    })
    .unwrap();
    assert_eq!(asked.take().as_deref(), Some(LINK));
    assert_eq!(done.url, LINK);
    assert!(done.words > 250, "{done:?}");
    let after = fs::read_to_string(&path).unwrap();

    let (head, body) = after.split_once("kiosque-article end\n").unwrap();
    let (old_head, old_body) = before.split_once("kiosque-article end\n").unwrap();
    let fulltext_line = format!(
        "fulltext: {}\n",
        done.fetched
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
    );
    assert_eq!(head, format!("{old_head}{fulltext_line}"));
    let (summary, full) = body.split_once("\n\n⁂\n").unwrap();
    assert_eq!(format!("{summary}\n"), old_body);
    assert!(summary.starts_with(SUMMARY), "{summary}");
    assert!(
        full.starts_with("Sur l'estran de Logonna-Daoulas"),
        "{full}"
    );
    assert_eq!(saved(&after).map(|(_, f)| f), Some(full));

    // Marks are keyed by the article's identity, which did not change.
    assert_eq!(identity_fingerprint(&after), identity_fingerprint(&before));
    // The reader sees the summary, the separator, then the article, under the same title.
    let parsed = crate::store::parse::parse(&after).unwrap();
    assert_eq!(parsed.head.title, "Les ostréiculteurs face à l'hiver");
    use crate::corpus::Block;
    let at = parsed
        .blocks
        .iter()
        .position(|b| *b == Block::Paragraph(SEPARATOR.to_owned()))
        .unwrap();
    assert_eq!(parsed.blocks[0], Block::Paragraph(SUMMARY.to_owned()));
    assert_eq!(parsed.blocks[at - 1], Block::Paragraph(LINK.to_owned()));
    assert!(parsed.blocks[at + 1].text().starts_with("Sur l'estran"));

    // Once is enough: a second request is not even made.
    let err = fetch_with(&path, |_| panic!("asked again")).unwrap_err();
    assert!(
        matches!(err, FullTextError::AlreadyFetched { .. }),
        "{err:?}"
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), after);
}

#[test]
fn a_later_fetch_of_the_item_keeps_the_full_text() {
    let (root, path) = saved_article();
    fetch_with(&path, |_| Ok(html(&news_page()))).unwrap();
    let with_full_text = fs::read_to_string(&path).unwrap();

    // The same item again: nothing to write.
    let again = save_items(root.path(), KEY, "L'Exemple", &[item(SUMMARY)]).unwrap();
    assert_eq!((again.new, again.updated, again.unchanged), (0, 0, 1));
    assert_eq!(fs::read_to_string(&path).unwrap(), with_full_text);

    // Its summary corrected upstream: the new summary, above the same full text.
    let corrected = "Les producteurs d'huîtres de la rade de Brest s'inquiètent.";
    let report = save_items(root.path(), KEY, "L'Exemple", &[item(corrected)]).unwrap();
    assert_eq!((report.new, report.updated, report.unchanged), (0, 1, 0));
    assert_eq!(report.paths, std::slice::from_ref(&path));
    let updated = fs::read_to_string(&path).unwrap();
    assert!(
        updated.contains(&format!("end\n{corrected}\n")),
        "{updated}"
    );
    assert_eq!(saved(&updated), saved(&with_full_text));
    assert_eq!(
        identity_fingerprint(&updated),
        identity_fingerprint(&with_full_text)
    );
}

#[test]
fn hostile_characters_in_a_page_never_reach_the_file() {
    let (_root, path) = saved_article();
    let hostile = article_page(&[
        &format!("{LONG} \u{1b}]0;pwned\u{7}\u{1b}[31m rouge"),
        &format!("{LONG} \u{9b}31m et \u{85} suivi"),
        &format!("{LONG} \u{202e}txt.exe\u{202c} et \u{2066}isolé\u{2069}"),
    ]);
    fetch_with(&path, |_| Ok(html(&hostile))).unwrap();
    let text = fs::read_to_string(&path).unwrap();
    let unsafe_char = text
        .chars()
        .find(|&c| c != '\n' && crate::text::sanitize::is_unsafe(c));
    assert_eq!(unsafe_char, None, "{text:?}");
    for shown in [
        "^[]0;pwned^G^[[31m rouge",
        "<U+009B>31m",
        "<U+202E>txt.exe<U+202C>",
    ] {
        assert!(text.contains(shown), "{shown:?} missing from {text:?}");
    }
}

#[test]
fn a_deeply_nested_page_is_read_without_overflowing() {
    let (_root, path) = saved_article();
    let page = format!(
        "<html><body><article><p>{LONG}</p><p>{LONG}</p>{}<p>{LONG}</p>{}</article></body></html>",
        "<div>".repeat(500),
        "</div>".repeat(500)
    );
    // On a thread with the small stack the fetch pool's workers have.
    let outcome = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || fetch_with(&path, |_| Ok(html(&page))).map(|done| done.words))
        .unwrap()
        .join()
        .unwrap();
    assert!(outcome.is_ok_and(|words| words > 50));
    // Deeper than any article, a page is not read: reading it would take minutes.
    let deeper = format!(
        "<article><p>{LONG}</p>{}<p>{LONG}</p></article>",
        "<div><span>".repeat(MAX_DEPTH)
    );
    let (_other_root, other) = saved_article();
    let err = fetch_with(&other, |_| Ok(html(&deeper))).unwrap_err();
    assert!(matches!(err, FullTextError::TooLarge), "{err:?}");
}

#[test]
fn nesting_is_counted_from_the_tags() {
    assert_eq!(nesting("<div><p>a<p>b<ul><li>c<li>d</ul></div>"), 2);
    assert_eq!(
        nesting("<DIV><Span>x</span><br/><img src=a><x-y/></DIV>"),
        2
    );
    assert_eq!(
        nesting("<script>for(i=0;i<n;i++){a<b}</script><style>a<b</style><div>"),
        1
    );
    assert_eq!(nesting("<!-- <div><div> --> 1 < 2 <"), 0);
    assert_eq!(nesting(&"<div>".repeat(3000)), 3000);
    assert_eq!(nesting(&"<p>".repeat(3000)), 0);
}

#[test]
fn only_a_web_page_behind_a_feed_link_is_read() {
    let (root, path) = saved_article();
    let before = fs::read(&path).unwrap();
    let pdf = fetch_with(&path, |_| Ok(page("%PDF-1.7", Some("application/pdf")))).unwrap_err();
    assert_eq!(
        pdf.to_string(),
        "the link leads to application/pdf, not a web page"
    );
    let untyped = fetch_with(&path, |_| Ok(page("%PDF-1.7", None))).unwrap_err();
    assert!(
        matches!(untyped, FullTextError::NotHtml { .. }),
        "{untyped:?}"
    );
    let missing = fetch_with(&path, |_| {
        Err(HttpError::Status {
            code: "404 Not Found".to_owned(),
        })
    })
    .unwrap_err();
    assert_eq!(
        missing.to_string(),
        "cannot fetch the page: the server answered 404 Not Found"
    );
    assert_eq!(fs::read(&path).unwrap(), before);
    // A page served without a type that starts as HTML is read.
    let news = news_page();
    assert!(fetch_with(&path, |_| Ok(page(&news, None))).is_ok());

    let plain = root.path().join("plain.txt");
    fs::write(&plain, "Un article ordinaire.\nSans en-tête.\n").unwrap();
    let no_link = fetch_with(&plain, |_| panic!("nothing to ask")).unwrap_err();
    assert!(matches!(no_link, FullTextError::NoLink), "{no_link:?}");
    let ftp = root.path().join("ftp.txt");
    fs::write(
        &ftp,
        "kiosque-article 1\nlink: ftp://exemple.fr/a\nkiosque-article end\nRésumé.\n",
    )
    .unwrap();
    let not_http = fetch_with(&ftp, |_| panic!("nothing to ask")).unwrap_err();
    assert!(
        matches!(not_http, FullTextError::NotHttp { .. }),
        "{not_http:?}"
    );
    let gone = fetch_with(&root.path().join("gone.txt"), |_| panic!("nothing to ask"));
    assert!(matches!(gone, Err(FullTextError::Read { .. })));
}

#[test]
fn pages_are_decoded_as_they_say() {
    let latin1 = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; \
                   charset=iso-8859-1\"></head><body>\xe9t\xe9</body></html>";
    assert!(decode(latin1, None).contains("<body>été</body>"));
    assert!(decode("<p>été</p>".as_bytes(), None).contains("été"));
    assert!(decode(b"<p>\xe9t\xe9</p>", Some("windows-1252")).contains("été"));
    // A server that says UTF-8 of UTF-8 bytes, a page that claims UTF-16 in ASCII.
    let claims_utf16 = "<meta charset=utf-16><p>été</p>";
    assert!(decode(claims_utf16.as_bytes(), None).contains("été"));
    assert_eq!(
        meta_charset(b"<meta charset=\"UTF-8\">"),
        Some("utf-8".into())
    );
    assert_eq!(meta_charset(b"<p>charset=x</p>"), None);
}

#[test]
fn a_feed_reports_the_articles_left_without_their_full_text() {
    let root = tempfile::tempdir().unwrap();
    let mut items = Vec::new();
    for n in ["un", "deux", "trois"] {
        let mut it = item(SUMMARY);
        it.id = format!("{LINK}?{n}");
        it.link = Some(format!("{LINK}?{n}"));
        it.title = format!("Article {n}");
        items.push(it);
    }
    let report = save_items(root.path(), KEY, "L'Exemple", &items).unwrap();
    assert_eq!(report.new_paths, report.paths);
    let (added, note) = fill(&report.new_paths, |url| {
        if url.ends_with("un") {
            Ok(html(&news_page()))
        } else if url.ends_with("deux") {
            Err(HttpError::Status {
                code: "404 Not Found".to_owned(),
            })
        } else {
            Ok(page("{}", Some("application/json")))
        }
    });
    assert_eq!(added, 1);
    assert_eq!(
        note.as_deref(),
        Some(
            "no full text for 2 of 3 new articles: “Article deux”: cannot fetch the page: the \
             server answered 404 Not Found; “Article trois”: the link leads to \
             application/json, not a web page"
        )
    );
    assert!(saved(&fs::read_to_string(&report.paths[0]).unwrap()).is_some());
    assert!(saved(&fs::read_to_string(&report.paths[1]).unwrap()).is_none());
}
