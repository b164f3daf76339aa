//! Tests of feed parsing on the fixtures of `tests/fixtures/feeds`, which copy the shapes
//! of real feeds (Le Monde, France Info, WordPress, Blogger, Mastodon, YouTube, a podcast).

use super::*;

pub(super) fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/feeds/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

pub(super) fn now() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-03-06T12:00:00+01:00").unwrap()
}

pub(super) fn parsed(name: &str) -> FeedDoc {
    parse_feed(&fixture(name), None, "https://feed.example/rss.xml", now()).unwrap()
}

/// The body of each item, as saved.
fn bodies(doc: &FeedDoc) -> Vec<&str> {
    doc.items.iter().map(|i| i.body.as_str()).collect()
}

fn date(s: &str) -> Option<DateTime<FixedOffset>> {
    Some(DateTime::parse_from_rfc3339(s).unwrap())
}

#[test]
fn rss2_le_monde_keeps_time_zone_ttl_and_image() {
    let doc = parsed("rss2-lemonde.xml");
    assert_eq!(doc.ttl_minutes, Some(15));
    assert!(doc.repairs.is_empty(), "{:?}", doc.repairs);
    let first = &doc.items[0];
    assert_eq!(
        first.title,
        "Municipales 2026 : ce qui change pour le second tour"
    );
    assert_eq!(first.published, date("2026-03-06T08:15:00+01:00"));
    assert!(!first.published_guessed);
    assert_eq!(
        first.id,
        "https://www.lemonde.fr/politique/article/2026/03/06/municipales-2026-ce-qui-change_6171234_823448.html"
    );
    assert_eq!(
        first.body,
        "Les règles du scrutin évoluent dans les communes de moins de 1 000 habitants. Explications.\n"
    );
    assert_eq!(
        first.enclosures[0].url,
        "https://img.lemde.fr/2026/03/06/0/0/5000/3333/644/0/75/0/a1b2c3d_upload.jpg"
    );
}

#[test]
fn rss2_france_info_drops_the_tracking_pixel_and_numbers_links() {
    let doc = parsed("rss2-franceinfo.xml");
    assert_eq!(doc.title.as_deref(), Some("Franceinfo - Les Titres"));
    assert_eq!(
        bodies(&doc),
        [
            "[image: Des arbres arrachés à Brest (Finistère), le 5 mars 2026.]\n\
             Les rafales ont atteint 150\u{a0}km/h sur la pointe du Finistère, selon Météo-France [1].\n\
             • [1] https://meteofrance.com/\n",
            "Le Sénat a adopté le texte dans la nuit.\n",
        ]
    );
    assert_eq!(doc.items[0].id, "7012345");
    assert_eq!(
        doc.items[0].enclosures,
        [Enclosure {
            url: "https://www.francetvinfo.fr/pictures/abc/432x243/tempete.jpg".into(),
            mime: Some("image/jpeg".into()),
            length: None,
        }]
    );
}

#[test]
fn wordpress_content_becomes_the_article_format() {
    let doc = parsed("rss2-wordpress.xml");
    let item = &doc.items[0];
    assert_eq!(item.author.as_deref(), Some("Lucie"));
    assert_eq!(
        item.body,
        "C’est le moment de semer les tomates sous abri 🍅.\n\
         Ce qu’il faut\n\
         • des graines (Cœur de bœuf, Noire de Crimée)\n\
         • du terreau fin\n  • ◦ tamisé\n\
         [image: Des godets de semis sur un rebord de fenêtre]\n\
         ↳ Mes semis de l’an dernier.\n\
         > Qui sème tôt récolte tôt.\n\
         Voir aussi mes semis de 2025 [1].\n\
         • [1] https://carnet.example.org/2025/03/10/les-semis/\n"
    );
}

#[test]
fn atom_blogger_youtube_and_xml_base() {
    let blogger = parsed("atom-blogger.xml");
    assert_eq!(blogger.items[0].title, "Revoir « Le Samouraï »");
    assert_eq!(
        blogger.items[0].published,
        date("2026-02-27T21:30:00+01:00")
    );
    assert_eq!(
        blogger.items[0].link.as_deref(),
        Some("https://carnetsdepaul.blogspot.com/2026/02/revoir-le-samourai.html")
    );
    assert!(
        blogger.items[0]
            .body
            .contains("\n↳ Jef Costello dans sa chambre\n")
    );
    let youtube = parsed("atom-youtube.xml");
    assert_eq!(
        youtube.items[0].body,
        "Dans une classe de 23 élèves, il y a plus d'une chance sur deux que deux d'entre eux \
         soient nés le même jour.\nPourquoi ? On fait le calcul.\n"
    );
    assert_eq!(youtube.items[0].id, "yt:video:dQw4w9WgXcQ");
    let based = parsed("atom-xml-base.xml");
    let item = &based.items[0];
    assert_eq!(item.title, "Liens relatifs");
    assert_eq!(
        item.link.as_deref(),
        Some("https://blog.example.net/fr/billets/2026/liens-relatifs.html")
    );
    assert_eq!(
        item.body,
        "Voir le plan [1] et [image: la carte].\n• [1] https://static.example.net/pages/plan.html\n"
    );
    assert_eq!(
        item.enclosures,
        [Enclosure {
            url: "https://blog.example.net/media/lecture.ogg".into(),
            mime: Some("audio/ogg".into()),
            length: Some(1234),
        }]
    );
    assert_eq!(
        based.items[1].link.as_deref(),
        Some("https://blog.example.net/sans-date")
    );
    assert!(based.items[1].published_guessed);
    assert_eq!(based.items[1].published, Some(now()));
    assert_eq!(
        based.repairs,
        ["1 item(s) had no date that could be read; dated 2026-03-06 12:00 instead"]
    );
}

#[test]
fn old_rss_and_rdf() {
    let rss090 = parsed("rss090.rdf");
    assert_eq!(rss090.title.as_deref(), Some("Mozilla Dot Org"));
    let titles: Vec<_> = rss090.items.iter().map(|i| i.title.as_str()).collect();
    assert_eq!(titles, ["New Status Updates", "Bugzilla Reorganized"]);
    let rss091 = parsed("rss091.xml");
    assert_eq!(rss091.items[1].title, "Syndication discussions hot up");
    let rdf = parsed("rss1-rdf.xml");
    assert_eq!(rdf.items[0].author.as_deref(), Some("Camille Martin"));
    assert_eq!(rdf.items[0].published, date("2026-03-02T09:30:00+01:00"));
    // An RSS 1.0 description is plain text to feed-rs, but this one holds HTML.
    assert_eq!(
        rdf.items[1].body,
        "Une version majeure pour le navigateur.\n"
    );
}

#[test]
fn atom_0_3_and_rss_without_a_version() {
    let atom03 = parsed("atom03.xml");
    let item = &atom03.items[0];
    assert_eq!(item.title, "Premier billet");
    assert_eq!(item.published, date("2006-05-02T11:12:00+02:00"));
    assert_eq!(
        item.body,
        "Bonjour la suite [1].\n• [1] http://vieux.blogspot.com/2006/05/suite.html\n"
    );
    let unversioned = parsed("rss-no-version.xml");
    assert_eq!(unversioned.items[0].title, "Fermeture du pont mobile");
    assert_eq!(
        unversioned.items[0].published,
        date("2026-03-05T08:00:00+01:00")
    );
}

#[test]
fn json_feed_1_0_and_1_1() {
    let v1 = parsed("jsonfeed-1.0.json");
    assert_eq!(v1.items[0].published, date("2026-03-01T10:00:00-05:00"));
    assert_eq!(
        v1.items[0].body,
        "Nous avons publié JSON Feed en mai 2017 [1].\n\
         • [1] https://jsonfeed.org/2017/05/17/announcing_json_feed\n"
    );
    // No title: the first sentence of the body, as for a plain article.
    assert_eq!(v1.items[1].title, "Un billet court, sans titre.");
    // content_text is plain text, whatever it looks like.
    let json = r#"{"version": "https://jsonfeed.org/version/1.1", "title": "t", "items": [
        {"id": "1", "title": "a <b> &amp; c", "content_text": "x <p>y</p> &eacute;"}]}"#;
    let doc = parse_feed(json.as_bytes(), None, "https://x.example/", now()).unwrap();
    assert_eq!(doc.items[0].title, "a <b> &amp; c");
    assert_eq!(doc.items[0].body, "x <p>y</p> &eacute;\n");
    let v11 = parsed("jsonfeed-1.1.json");
    let item = &v11.items[0];
    assert_eq!(item.author.as_deref(), Some("Sophie Lenoir"));
    assert_eq!(
        item.enclosures,
        [Enclosure {
            url: "https://radiolumiere.example/media/42.m4a".into(),
            mime: Some("audio/x-m4a".into()),
            length: Some(89_970_236),
        }]
    );
}

#[test]
fn mastodon_posts_without_titles_and_podcasts() {
    let mastodon = parsed("rss2-mastodon.xml");
    assert_eq!(
        mastodon.items[0].title,
        "Premier jour de printemps au marché."
    );
    let podcast = parsed("rss2-podcast.xml");
    let episode = &podcast.items[0];
    assert_eq!(episode.enclosures[0].mime.as_deref(), Some("audio/mpeg"));
    assert_eq!(episode.enclosures[0].length, Some(27_840_627));
    assert_eq!(
        episode.body,
        "Ils vivent sur des péniches, à Paris.\nReportage : Inès Léraud.\n"
    );
}

#[test]
fn relative_links_resolve_against_the_feed_then_the_item() {
    let xml = "<rss version=\"2.0\"><channel><title>t</title><link>/</link><item><title>Caf&amp;eacute; \
               &amp;amp; co</title><link>/post/1</link><description>&lt;a href=\"img/x.png\"&gt;vue&lt;/a&gt;\
               </description></item></channel></rss>";
    let doc = parse_feed(
        xml.as_bytes(),
        None,
        "https://site.example/blog/feed.xml",
        now(),
    )
    .unwrap();
    assert_eq!(doc.site.as_deref(), Some("https://site.example/"));
    let item = &doc.items[0];
    assert_eq!(item.link.as_deref(), Some("https://site.example/post/1"));
    assert_eq!(
        item.body,
        "vue [1]\n• [1] https://site.example/post/img/x.png\n"
    );
    // A title escaped twice, as some feeds do, is read once more as HTML.
    assert_eq!(item.title, "Café & co");
}

#[test]
fn ids_come_from_the_guid_else_the_link_else_the_content() {
    let doc = parsed("duplicate-guids.xml");
    let ids: Vec<_> = doc.items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "post-7",
            "post-7",
            "https://double.example/sans-guid",
            "kiosque:0227012a9c1240d6147921d9a6c2128d"
        ]
    );
    assert_eq!(doc.items[3].title, "Ni titre, ni lien, ni guid.");
}

#[test]
fn dates_as_feeds_write_them() {
    let d = |s| parse_date(s).map(|d| d.to_rfc3339());
    assert_eq!(
        d("Fri, 06 Mar 2026 08:15:00 +0100").as_deref(),
        Some("2026-03-06T08:15:00+01:00")
    );
    // A wrong weekday, a zone name, no zone, a day alone.
    assert_eq!(
        d("Mon, 06 Mar 2026 08:15:00 GMT").as_deref(),
        Some("2026-03-06T08:15:00+00:00")
    );
    assert_eq!(
        d("Ven, 06 Mar 2026 08:15:00 CET").as_deref(),
        Some("2026-03-06T08:15:00+01:00")
    );
    assert_eq!(
        d("2026-03-06T08:15:00+0100").as_deref(),
        Some("2026-03-06T08:15:00+01:00")
    );
    assert_eq!(
        d("2026-03-06 08:15:00").as_deref(),
        Some("2026-03-06T08:15:00+00:00")
    );
    assert_eq!(
        d("2026-03-06").as_deref(),
        Some("2026-03-06T00:00:00+00:00")
    );
    assert_eq!(d("hier"), None);
    assert_eq!(d("2026-02-30"), None);
}

#[test]
fn autodiscovery_finds_the_announced_feeds() {
    assert_eq!(
        discover(
            &fixture("autodiscovery.html"),
            "https://carnet.example.org/blog/"
        ),
        [
            "https://carnet.example.org/feed/",
            "https://carnet.example.org/comments/feed/",
            "https://carnet.example.org/blog/atom.xml",
            "https://carnet.example.org/feed.json",
            "https://carnet.example.org/other.json",
        ]
    );
    assert!(discover(b"<p>rien</p>", "https://x.example/").is_empty());
}
