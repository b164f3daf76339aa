//! Frames of articles saved from feeds, drawn in memory at 80×24 and 120×40: the source
//! column of the list, the line under a feed article's title, and the links window with the
//! article's own page and attached files.

use std::path::PathBuf;

use kiosque::corpus::DateStyle;
use kiosque::search::catalog::Catalog;
use kiosque::search::sources::Sources;
use kiosque::tui::action::Action;
use kiosque::tui::app::{App, FeedsAtStart, Subscribed};
use kiosque::tui::effects::{Effect, step};

use crate::common::frame::{act, frame, now, rows};

/// An article as `kiosque fetch` saves it.
struct Saved {
    path: &'static str,
    feed: &'static str,
    key: &'static str,
    title: &'static str,
    author: Option<&'static str>,
    published: &'static str,
    link: &'static str,
    enclosures: &'static [&'static str],
    body: &'static str,
}

impl Saved {
    fn text(&self) -> String {
        let mut text = format!(
            "date {}\nkiosque-article 1\ntitle: {}\nlink: {}\nfeed: {}\nfeed-key: {}\n",
            &self.published[..10],
            self.title,
            self.link,
            self.feed,
            self.key
        );
        if let Some(author) = self.author {
            text.push_str(&format!("author: {author}\n"));
        }
        text.push_str(&format!(
            "id: {}\npublished: {}\n",
            self.link, self.published
        ));
        for enclosure in self.enclosures {
            text.push_str(&format!("enclosure: {enclosure}\n"));
        }
        text.push_str(&format!("kiosque-article end\n{}\n", self.body));
        text
    }
}

const MONDE: &str = "https://www.lemonde.fr/rss/une.xml";
const INFO: &str = "https://www.francetvinfo.fr/titres.rss";

const ARTICLES: &[Saved] = &[
    Saved {
        path: "feeds/le-monde/municipales.txt",
        feed: "Le Monde",
        key: MONDE,
        title: "Municipales : ce qui change au second tour",
        author: Some("Jeanne Dupont"),
        published: "2026-03-06T14:05:00+01:00",
        link: "https://www.lemonde.fr/politique/article/2026/03/06/municipales_1.html",
        enclosures: &[
            "https://media.lemonde.fr/podcasts/municipales.mp3 audio/mpeg 27893760",
            "https://img.lemonde.fr/2026/03/06/une.jpg image/jpeg 48213",
        ],
        body: "Dimanche, les électeurs de 1 500 communes retournent aux urnes.\n\
               Les résultats du premier tour sont sur https://www.interieur.gouv.fr/elections \
               et notre carte sur https://www.lemonde.fr/politique/article/2026/03/06/municipales_1.html.",
    },
    Saved {
        path: "feeds/france-info/budget.txt",
        feed: "France Info",
        key: INFO,
        title: "Le budget de la Sécurité sociale adopté en première lecture",
        author: Some("Élise Durand"),
        published: "2026-03-05T08:30:00+01:00",
        link: "https://www.francetvinfo.fr/economie/budget.html",
        enclosures: &[],
        body: "Les députés ont adopté le texte par 289 voix contre 250.",
    },
    Saved {
        path: "feeds/le-monde/cop31.txt",
        feed: "Le Monde",
        key: MONDE,
        title: "Climat : la COP31 s'ouvre à Antalya",
        author: None,
        published: "2026-03-04T10:00:00+01:00",
        link: "https://www.lemonde.fr/planete/article/2026/03/04/cop31.html",
        enclosures: &[],
        body: "La conférence s'ouvre dans un climat de défiance.",
    },
    Saved {
        path: "feeds/france-info/greve.txt",
        feed: "France Info",
        key: INFO,
        title: "Grève à la SNCF : les prévisions de trafic pour la journée de mardi, ligne par ligne, et nos conseils",
        author: None,
        published: "2026-03-03T18:45:00+01:00",
        link: "https://www.francetvinfo.fr/transports/greve.html",
        enclosures: &[],
        body: "Le trafic sera très perturbé sur les lignes TER.",
    },
];

/// The four articles of two feeds at `width`×`height`, moments shown on a Paris clock in
/// winter, as the subscriptions would say (`feeds` given on the command line).
fn feeds_app(width: u16, height: u16) -> App {
    let texts: Vec<(PathBuf, String)> = ARTICLES
        .iter()
        .map(|a| (PathBuf::from(a.path), a.text()))
        .collect();
    let catalog = Catalog::from_memory(texts.iter().map(|(p, t)| (p.clone(), t.as_bytes())));
    let mut app = App::new(catalog, "feeds");
    app.set_sources(Sources::new(&[PathBuf::from("feeds")], []));
    app.settings.typesetting.zone = chrono::FixedOffset::east_opt(3600);
    act(&mut app, &[Action::Resize(width, height)]);
    app
}

#[test]
fn feed_list_names_each_article_s_feed_80x24() {
    let mut app = feeds_app(80, 24);
    insta::assert_snapshot!(frame(&mut app).backend());
}

#[test]
fn feed_list_beside_the_reader_120x40() {
    let mut app = feeds_app(120, 40);
    insta::assert_snapshot!(frame(&mut app).backend());
}

/// The line under the title as a French reader set it up (`dates = "french"`).
fn in_french(mut app: App) -> App {
    app.settings.typesetting.dates = DateStyle::French;
    app
}

#[test]
fn feed_article_header_80x24() {
    let mut app = in_french(feeds_app(80, 24));
    act(&mut app, &[Action::Open]);
    insta::assert_snapshot!(frame(&mut app).backend());
}

#[test]
fn feed_article_header_120x40() {
    let mut app = in_french(feeds_app(120, 40));
    act(&mut app, &[Action::Open]);
    insta::assert_snapshot!(frame(&mut app).backend());
}

#[test]
fn feed_article_links_80x24() {
    let mut app = feeds_app(80, 24);
    act(&mut app, &[Action::Open, Action::ShowLinks]);
    insta::assert_snapshot!(frame(&mut app).backend());
}

/// What `action` asks of the browser or the clipboard (the marks it saves left aside).
fn link_effects(app: &mut App, action: Action) -> Vec<Effect> {
    step(app, action, now())
        .into_iter()
        .filter(|e| matches!(e, Effect::OpenLink(_) | Effect::CopyLink(_)))
        .collect()
}

/// The attached podcast opens in the browser and is copied exactly as a link of the text.
#[test]
fn an_attached_file_opens_and_copies_like_a_link() {
    let mut app = feeds_app(80, 24);
    act(&mut app, &[Action::Open, Action::ShowLinks]);
    let podcast = "https://media.lemonde.fr/podcasts/municipales.mp3";
    for _ in 0..2 {
        step(&mut app, Action::Down, now());
    }
    assert_eq!(
        link_effects(&mut app, Action::OpenLink),
        [Effect::OpenLink(podcast.to_owned())]
    );
    act(
        &mut app,
        &[Action::ShowLinks, Action::Down, Action::Down, Action::Down],
    );
    assert_eq!(
        link_effects(&mut app, Action::CopyLink),
        [Effect::CopyLink(
            "https://img.lemonde.fr/2026/03/06/une.jpg".to_owned()
        )]
    );
    act(&mut app, &[Action::ShowLinks]);
    assert_eq!(
        link_effects(&mut app, Action::OpenLink),
        [Effect::OpenLink(ARTICLES[0].link.to_owned())],
        "the article's page comes first"
    );
}

/// Articles of one folder and no feed need no source column; files of two folders given
/// are named by them.
#[test]
fn files_are_named_by_the_folder_given_when_there_are_several() {
    let files = [
        ("notes/2026/a.txt", "date 2026-03-06 Une note de mars."),
        ("archives/b.txt", "date 2026-03-05 Une vieille archive."),
    ];
    let catalog = Catalog::from_memory(files.iter().map(|(p, t)| (PathBuf::from(p), t.as_bytes())));
    let mut one = App::new(catalog.clone(), "notes");
    one.set_sources(Sources::new(&[PathBuf::from(".")], []));
    act(&mut one, &[Action::Resize(80, 24)]);
    let shown = rows(&frame(&mut one)).join("\n");
    assert!(
        shown.contains("2026-03-06  Une note de mars."),
        "no column for one source: {shown}"
    );
    let mut two = App::new(catalog, "2 paths");
    two.set_sources(Sources::new(
        &[PathBuf::from("notes"), PathBuf::from("archives")],
        [],
    ));
    act(&mut two, &[Action::Resize(80, 24)]);
    let shown = rows(&frame(&mut two)).join("\n");
    assert!(
        shown.contains("2026-03-06  notes     Une note de mars."),
        "{shown}"
    );
    assert!(
        shown.contains("2026-03-05  archives  Une vieille archive."),
        "{shown}"
    );
}

/// A feed's hostile page address, attached file address or type never reaches the screen as
/// an escape: the addresses are not offered, the type is drawn made safe.
#[test]
fn hostile_types_and_addresses_never_reach_the_links_window() {
    let text = "kiosque-article 1\ntitle: Piège\nlink: https://x.example/\u{202e}gpj.exe\n\
                feed: F\nfeed-key: https://x.example/rss\n\
                enclosure: https://x.example/a.mp3 audio/mpeg\u{1b}]52;c;aGk=\u{7}\u{9b}2J 10\n\
                enclosure: https://x.example/b\u{1b}[2J.mp3 audio/mpeg\n\
                kiosque-article end\nVoir https://x.example/ok.\n";
    let catalog = Catalog::from_memory([(PathBuf::from("f.txt"), text.as_bytes())]);
    let mut app = App::new(catalog, "f.txt");
    act(
        &mut app,
        &[Action::Resize(80, 24), Action::Open, Action::ShowLinks],
    );
    let shown = rows(&frame(&mut app)).join("\n");
    assert!(shown.contains(" Links: 2 "), "{shown}");
    assert!(shown.contains("https://x.example/ok"), "{shown}");
    assert!(
        shown.contains("https://x.example/a.mp3  audio/mpeg"),
        "{shown}"
    );
    assert!(
        !shown.contains("gpj") && !shown.contains("b.mp3"),
        "{shown}"
    );
    let bad: Vec<char> = shown
        .lines()
        .flat_map(str::chars)
        .filter(|&c| crate::common::bytes::forbidden(c))
        .collect();
    assert!(bad.is_empty(), "{bad:?} in {shown}");
}

/// The two feeds' articles and a note from a folder, read with three subscriptions: Le
/// Monde fetched half an hour ago, France Info failing since yesterday, a blog never
/// fetched. The first article is read.
fn sources_app(width: u16, height: u16) -> App {
    let mut texts: Vec<(PathBuf, String)> = ARTICLES
        .iter()
        .map(|a| (PathBuf::from(a.path), a.text()))
        .collect();
    texts.push((
        PathBuf::from("notes/idee.txt"),
        "date 2026-03-04 Une idée à creuser.\nTexte.".to_owned(),
    ));
    let catalog = Catalog::from_memory(texts.iter().map(|(p, t)| (p.clone(), t.as_bytes())));
    let mut app = App::new(catalog, "2 paths");
    app.set_sources(Sources::new(
        &[PathBuf::from("feeds"), PathBuf::from("notes")],
        [(MONDE.to_owned(), vec!["actu".to_owned(), "fr".to_owned()])],
    ));
    let at = |minutes_ago: i64| {
        u64::try_from((now() - chrono::Duration::minutes(minutes_ago)).timestamp_millis()).ok()
    };
    let feed = |name: &str, key: &str, tags: &[&str], last_fetch, failing| Subscribed {
        name: name.to_owned(),
        key: key.to_owned(),
        tags: tags.iter().map(|t| (*t).to_owned()).collect(),
        last_fetch,
        failing,
    };
    app.start_with_feeds(FeedsAtStart {
        subscribed: 3,
        subscriptions: vec![
            feed("Le Monde", MONDE, &["actu", "fr"], at(30), false),
            feed("France Info", INFO, &[], at(26 * 60), true),
            feed(
                "blog.example/feed",
                "https://blog.example/feed",
                &[],
                None,
                false,
            ),
        ],
        ..FeedsAtStart::default()
    });
    act(
        &mut app,
        &[Action::Resize(width, height), Action::ToggleRead],
    );
    app
}

#[test]
fn sources_window_80x24() {
    let mut app = sources_app(80, 24);
    act(&mut app, &[Action::ShowSources]);
    insta::assert_snapshot!(frame(&mut app).backend());
}

#[test]
fn sources_window_by_unread_120x40() {
    let mut app = sources_app(120, 40);
    act(&mut app, &[Action::ShowSources, Action::SortSources]);
    insta::assert_snapshot!(frame(&mut app).backend());
}

#[test]
fn enter_on_a_source_writes_its_term_in_the_filter() {
    let mut app = sources_app(120, 40);
    // By name: blog, France Info, Le Monde, notes.
    act(&mut app, &[Action::ShowSources, Action::Down, Action::Down]);
    act(&mut app, &[Action::FilterSource]);
    assert_eq!(app.filter_text(), "feed:\"Le Monde\"");
    let titles: Vec<&str> = app
        .results()
        .iter()
        .map(|&i| app.catalog().corpus.articles[i].title.as_str())
        .collect();
    assert_eq!(titles.len(), 2, "{titles:?}");
    assert!(titles.iter().all(|t| !t.contains("budget")), "{titles:?}");
    // A folder is written as one too.
    act(&mut app, &[Action::ShowSources]);
    act(
        &mut app,
        &[
            Action::Down,
            Action::Down,
            Action::Down,
            Action::FilterSource,
        ],
    );
    assert_eq!(app.filter_text(), "folder:\"notes\"");
    assert_eq!(app.results().len(), 1);
    // Sorted by unread, the feed with the most unread articles comes first; the source
    // selected stays selected.
    act(
        &mut app,
        &[Action::ShowSources, Action::Down, Action::SortSources],
    );
    act(&mut app, &[Action::FilterSource]);
    assert_eq!(app.filter_text(), "feed:\"France Info\"");
    act(
        &mut app,
        &[
            Action::ShowSources,
            Action::SortSources,
            Action::FilterSource,
        ],
    );
    assert_eq!(app.filter_text(), "feed:\"France Info\"", "first by unread");
}
