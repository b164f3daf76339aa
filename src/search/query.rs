//! The filter language, one for the filter pane and `kiosque list --query`. Clauses are
//! separated by spaces and must all hold:
//!
//! - `otan`: a word starting with `otan`, ignoring case and accents; `l'armee` is `l`
//!   followed by a word starting with `armee`;
//! - `"accord conclu"`: these words, whole and in a row;
//! - `title:otan`, `title:"sam altman"`: in the title;
//! - `-otan`, `-"phrase"`, `-title:otan`: not this;
//! - `otan OR onu`: either (as many `OR` as wanted, between single clauses);
//! - `is:unread`, `is:read`, `is:starred`: read state;
//! - `feed:monde`, `author:dupont`: an article saved from a feed whose name, or whose
//!   author, has these words (the last one a prefix, as for any word);
//! - `tag:tech`: an article saved from a feed that feeds.toml gives a tag with these words
//!   (`tag:sci` finds the tag `science-fiction`, as `feed:` finds a feed's name);
//! - `folder:presse`: an article not saved from a feed, under the folder given (on the
//!   command line or in `paths`) with these words in its name;
//! - dates: `2026`, `2026-03`, `2026-03-06`, ranges `2025-11..2026-03`, `2026-01..`,
//!   `..2024`, `since:2026-01-05`, `until:2025-12`, and relative to today: `today`,
//!   `yesterday`, `7d`, `4w`, `3m`, `1y` (the last 7 days, 4 weeks, 3 months, a year).

mod eval;
mod highlight;
mod parse;

use crate::corpus::DateRange;

pub use highlight::Highlighter;
pub use parse::QueryError;

/// A parsed query, ready to match articles.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    /// All must hold; each is one or more alternatives joined by `OR`.
    clauses: Vec<Vec<Literal>>,
    range: Option<DateRange>,
}

/// One alternative of a clause: a condition, or its opposite.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Literal {
    negated: bool,
    atom: Atom,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Atom {
    Text(Term),
    Is(State),
    /// `feed:`, `author:`, `tag:` or `folder:`: words of where an article comes from.
    Origin(Origin, Term),
}

/// What `feed:`, `author:`, `tag:` and `folder:` look in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Origin {
    Feed,
    Author,
    /// The tags of the article's feed in the subscriptions.
    Tag,
    /// The folder given on the command line that holds an article not saved from a feed.
    Folder,
}

/// `is:` conditions on the read state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Read,
    Unread,
    Starred,
}

/// Folded words that must appear in a row: whole, except the last of a plain term, which is
/// a prefix (`l'armee` is `l` followed by a word starting with `armee`).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Term {
    words: Vec<String>,
    /// The last word is a prefix (plain terms) or whole (phrases).
    prefix: bool,
    /// Only in the title.
    title: bool,
}

impl Query {
    /// True when the query selects every article.
    pub fn is_empty(&self) -> bool {
        self.clauses.is_empty() && self.range.is_none()
    }

    /// True when the query needs the index (words) or the articles' fingerprints (read
    /// state), both built after the list: not only dates.
    pub fn has_words(&self) -> bool {
        !self.clauses.is_empty()
    }

    /// True when the query asks about read state (`is:unread`…).
    pub fn uses_state(&self) -> bool {
        self.clauses
            .iter()
            .flatten()
            .any(|l| matches!(l.atom, Atom::Is(_)))
    }

    /// True when the query asks about the feeds' tags (`tag:`), which the subscriptions give.
    pub fn uses_tags(&self) -> bool {
        self.clauses
            .iter()
            .flatten()
            .any(|l| matches!(l.atom, Atom::Origin(Origin::Tag, _)))
    }

    /// True when some clause looks for words, so results can be ranked by relevance.
    pub fn can_rank(&self) -> bool {
        self.positive_terms().next().is_some()
    }

    /// The same query without its words: its dates alone.
    pub fn dates_only(&self) -> Query {
        Query {
            clauses: Vec::new(),
            range: self.range,
        }
    }

    /// The date range the query selects, if it selects one.
    pub fn range(&self) -> Option<DateRange> {
        self.range
    }

    fn positive_terms(&self) -> impl Iterator<Item = &Term> {
        self.clauses.iter().flatten().filter_map(|l| match &l.atom {
            Atom::Text(term) if !l.negated => Some(term),
            _ => None,
        })
    }

    /// What to highlight in text shown with this query's results.
    pub fn highlighter(&self) -> Highlighter {
        Highlighter {
            terms: self
                .positive_terms()
                .map(|t| (t.words.clone(), t.prefix))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::catalog::Catalog;
    use crate::store::marks::Marks;
    use chrono::NaiveDate;
    use parse::looks_like_date;
    use std::path::PathBuf;

    fn catalog() -> Catalog {
        let files: [(&str, &str); 6] = [
            ("a.txt", "date 2026-03-06 La SÉCURITÉ des données."),
            ("b.txt", "date 2026-03 Le cœur du problème."),
            ("c.txt", "date 2025-11-30 L’insécurité grandit à Noël."),
            ("d.txt", "date 2024-02-29 Un élève naïf."),
            ("e.txt", "Sans date : sécurité et cœur."),
            ("f.txt", "date 2023-05 Le Premier ministre."),
        ];
        Catalog::from_memory(files.iter().map(|(p, t)| (PathBuf::from(p), t.as_bytes())))
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 8).unwrap()
    }

    fn parse(query: &str) -> Result<Query, QueryError> {
        Query::parse(query, today())
    }

    fn paths(query: &str) -> Vec<String> {
        paths_with(query, &Marks::default())
    }

    fn paths_with(query: &str, marks: &Marks) -> Vec<String> {
        matched(&catalog(), query, marks)
    }

    /// The paths of the articles of `c` that `query` keeps, once the index and the plain
    /// reading of every article have been checked to agree.
    fn matched(c: &Catalog, query: &str, marks: &Marks) -> Vec<String> {
        let q = parse(query).unwrap_or_else(|e| panic!("{query:?}: {e}"));
        let found = q.filter(c, marks);
        let plain: Vec<usize> = (0..c.corpus.articles.len())
            .filter(|&i| q.matches_plain(c, marks, i))
            .collect();
        assert_eq!(found, plain, "index and plain scan differ for {query:?}");
        found
            .into_iter()
            .map(|i| c.corpus.articles[i].path.display().to_string())
            .collect()
    }

    #[test]
    fn empty_query_matches_everything() {
        assert_eq!(paths("  ").len(), 6);
        assert!(parse("").unwrap().is_empty());
    }

    #[test]
    fn terms_ignore_case_and_accents() {
        assert_eq!(paths("securite"), ["a.txt", "e.txt"]);
        assert_eq!(paths("SÉCURITÉ"), ["a.txt", "e.txt"]);
        assert_eq!(paths("coeur"), ["b.txt", "e.txt"]);
        assert_eq!(paths("noel"), ["c.txt"]);
        assert_eq!(paths("eleve naif"), ["d.txt"]);
    }

    #[test]
    fn terms_match_at_the_start_of_a_word() {
        assert_eq!(paths("secu"), ["a.txt", "e.txt"]);
        assert_eq!(paths("insecu"), ["c.txt"]);
        assert_eq!(paths("curite"), Vec::<String>::new());
        assert_eq!(paths("l'insecurite"), ["c.txt"]);
    }

    #[test]
    fn all_terms_must_match() {
        assert_eq!(paths("securite coeur"), ["e.txt"]);
        assert_eq!(paths("securite 2026"), ["a.txt"]);
    }

    #[test]
    fn date_terms_select_ranges() {
        assert_eq!(paths("2026"), ["a.txt", "b.txt"]);
        assert_eq!(paths("2026-03"), ["a.txt", "b.txt"]);
        assert_eq!(paths("2025-11..2026-03"), ["a.txt", "b.txt", "c.txt"]);
        assert_eq!(paths("2025.."), ["a.txt", "b.txt", "c.txt"]);
        assert_eq!(paths("..2024"), ["d.txt", "f.txt"]);
        assert_eq!(paths("2024-02-29"), ["d.txt"]);
    }

    #[test]
    fn a_month_article_matches_any_range_its_month_overlaps() {
        assert_eq!(paths("2026-03-15"), ["b.txt"]);
        assert_eq!(paths("2026-03-06"), ["a.txt", "b.txt"]);
        assert_eq!(paths("2023-05-31..2023-06"), ["f.txt"]);
        assert_eq!(paths("..2026-02-28"), ["c.txt", "d.txt", "f.txt"]);
    }

    #[test]
    fn undated_articles_never_match_a_date() {
        assert_eq!(paths("1900..").len(), 5);
        assert!(!paths("1900..").contains(&"e.txt".to_owned()));
    }

    #[test]
    fn several_dates_intersect() {
        assert_eq!(paths("2026 ..2026-03-05"), ["b.txt"]);
        assert_eq!(paths("2024 2026"), Vec::<String>::new());
    }

    #[test]
    fn invalid_dates_say_what_is_wrong() {
        let err = |q: &str| parse(q).unwrap_err().to_string();
        assert_eq!(err("2026-13"), "there is no month 13 in “2026-13”");
        assert_eq!(err("2026-02-30"), "there is no day 2026-02-30");
        assert_eq!(
            err("2026-1"),
            "unfinished date “2026-1”: write YYYY, YYYY-MM or YYYY-MM-DD"
        );
        assert!(matches!(parse("2026-"), Err(QueryError::Unfinished(_))));
        assert_eq!(
            err("2026..2025"),
            "the range “2026..2025” ends before it starts"
        );
        assert_eq!(
            err(".."),
            "a range needs at least one end, as in 2026.. or ..2026"
        );
        assert!(matches!(parse("2026..abc"), Err(QueryError::Unfinished(_))));
        assert!(matches!(
            parse("2026-03-06-01"),
            Err(QueryError::Unfinished(_))
        ));
    }

    #[test]
    fn words_with_digits_are_text() {
        assert!(!looks_like_date("gpt-4o"));
        assert!(!looks_like_date("295"));
        assert!(looks_like_date("2026"));
        assert!(!looks_like_date("2026a"));
    }

    /// Articles whose title is their first sentence, with more after it.
    fn news() -> Catalog {
        let files: [(&str, &str); 7] = [
            (
                "n1.txt",
                "date 2026-03-08 Accord conclu avec l’armée. Le texte de l’accord n’a pas été conclu hier, mais l’accord tient.",
            ),
            (
                "n2.txt",
                "date 2026-03-07 L’armée recrute. Un accord a été conclu.",
            ),
            (
                "n3.txt",
                "date 2026-03-01 Le climat change. Les accords de Paris.",
            ),
            (
                "n4.txt",
                "date 2026-02 La réforme des retraites. Accord en vue.",
            ),
            (
                "n5.txt",
                "date 2025-03-09 Un an plus tôt. Rien de neuf sur le climat.",
            ),
            ("n6.txt", "date 2024-12-31 Fin d’année. Bonne année."),
            ("n7.txt", "Sans date. Un accord conclu."),
        ];
        Catalog::from_memory(files.iter().map(|(p, t)| (PathBuf::from(p), t.as_bytes())))
    }

    fn found_with(query: &str, marks: &Marks) -> Vec<String> {
        matched(&news(), query, marks)
            .into_iter()
            .map(|path| path.replace(".txt", ""))
            .collect()
    }

    fn found(query: &str) -> Vec<String> {
        found_with(query, &Marks::default())
    }

    #[test]
    fn phrases_are_whole_words_in_a_row() {
        assert_eq!(found("\"accord conclu\""), ["n1", "n7"]);
        assert_eq!(found("\"ACCORD  Conclu\""), ["n1", "n7"]);
        assert_eq!(found("\"accord\""), ["n1", "n2", "n4", "n7"]);
        assert_eq!(found("accord"), ["n1", "n2", "n3", "n4", "n7"]);
        assert_eq!(found("\"l'armee\""), ["n1", "n2"]);
        assert_eq!(found("\"accord conc\""), Vec::<String>::new());
    }

    #[test]
    fn a_minus_excludes() {
        assert_eq!(found("accord -conclu"), ["n3", "n4"]);
        assert_eq!(found("-\"accord conclu\""), ["n2", "n3", "n4", "n5", "n6"]);
        assert_eq!(found("-accord -climat"), ["n6"]);
        // A dash inside a word, or alone, excludes nothing.
        assert_eq!(found("accord -"), found("accord"));
    }

    #[test]
    fn title_looks_only_in_the_title() {
        assert_eq!(found("title:armee"), ["n1", "n2"]);
        assert_eq!(found("title:accord"), ["n1"]);
        assert_eq!(found("TITLE:\"accord conclu\""), ["n1"]);
        assert_eq!(found("accord -title:accord"), ["n2", "n3", "n4", "n7"]);
        assert_eq!(found("title:climat"), ["n3"]);
    }

    #[test]
    fn or_joins_alternatives() {
        assert_eq!(found("climat OR retraites"), ["n3", "n4", "n5"]);
        assert_eq!(found("climat OR retraites 2026"), ["n3", "n4"]);
        assert_eq!(
            found("armee OR retraites OR paris"),
            ["n1", "n2", "n3", "n4"]
        );
        assert_eq!(found("title:armee OR -accord"), ["n1", "n2", "n5", "n6"]);
        // Lower case `or` is a word like any other.
        assert_eq!(found("climat or"), Vec::<String>::new());
    }

    #[test]
    fn relative_dates_count_back_from_today() {
        // Today is 2026-03-08.
        assert_eq!(found("today"), ["n1"]);
        assert_eq!(found("yesterday"), ["n2"]);
        assert_eq!(found("7d"), ["n1", "n2"]);
        assert_eq!(found("2w"), ["n1", "n2", "n3", "n4"]);
        assert_eq!(found("1m"), ["n1", "n2", "n3", "n4"]);
        assert_eq!(found("1y"), ["n1", "n2", "n3", "n4", "n5"]);
        assert_eq!(found("2y climat"), ["n3", "n5"]);
        assert_eq!(found("since:2026-03-07"), ["n1", "n2"]);
        assert_eq!(found("until:2025"), ["n5", "n6"]);
        assert_eq!(found("since:2025 until:2025-12"), ["n5"]);
        assert_eq!(found("since:yesterday"), ["n1", "n2"]);
        // Relative dates are words when they are not alone: `7days` is text.
        assert_eq!(found("7days"), Vec::<String>::new());
    }

    #[test]
    fn read_state_is_a_clause_like_any_other() {
        let c = news();
        let mut marks = Marks::default();
        let fp = |i: usize| c.corpus.articles[i].fingerprint.unwrap();
        let _ = marks.set_read(fp(0), true);
        let _ = marks.set_read(fp(2), true);
        let _ = marks.set_starred(fp(2), true);
        assert_eq!(found_with("is:read", &marks), ["n1", "n3"]);
        assert_eq!(found_with("is:unread accord", &marks), ["n2", "n4", "n7"]);
        assert_eq!(found_with("is:starred", &marks), ["n3"]);
        assert_eq!(found_with("-is:starred is:read", &marks), ["n1"]);
        assert_eq!(found_with("is:starred OR retraites", &marks), ["n3", "n4"]);
        assert!(parse("is:read").unwrap().uses_state());
        assert!(!parse("accord").unwrap().uses_state());
    }

    #[test]
    fn malformed_queries_say_what_is_wrong() {
        let err = |q: &str| parse(q).unwrap_err().to_string();
        assert_eq!(
            err("otan \"accord conclu"),
            "the quote in \"accord conclu is never closed: add \" at its end"
        );
        assert_eq!(
            err("title:"),
            "“title:” needs something after it, as in title:otan"
        );
        assert_eq!(
            err("-title: otan"),
            "“title:” needs something after it, as in title:otan"
        );
        assert_eq!(err("2026-13.."), "there is no month 13 in “2026-13”");
        assert_eq!(
            err("since:"),
            "“since:” needs a date after it, as in since:2026-01"
        );
        assert_eq!(
            err("until:2026-1"),
            "unfinished date “2026-1”: write YYYY, YYYY-MM or YYYY-MM-DD"
        );
        assert_eq!(
            err("is:new"),
            "unknown state “new”: write is:unread, is:read or is:starred"
        );
        for lone in ["OR otan", "otan OR", "a OR OR b", "a OR —"] {
            assert_eq!(
                err(lone),
                "OR needs a word or phrase on each side, as in otan OR onu",
                "{lone}"
            );
        }
        assert!(matches!(parse("-2026"), Err(QueryError::DateInClause(_))));
        assert!(matches!(
            parse("a OR 2026"),
            Err(QueryError::DateInClause(_))
        ));
        assert_eq!(err("0d"), "“0d” covers no day: count from 1, as in 1d");
        assert!(matches!(parse("99999999y"), Err(QueryError::TooFar(_))));
        assert!(matches!(parse("title:—"), Err(QueryError::NoWord(_))));
        assert!(matches!(parse("\"«»\""), Err(QueryError::NoWord(_))));
    }

    /// Two articles saved from feeds and one plain file.
    fn from_feeds() -> Catalog {
        let saved = |feed: &str, author: &str, id: &str, body: &str| {
            format!(
                "date 2026-03-06\nkiosque-article 1\ntitle: {body}\nfeed: {feed}\n\
                 feed-key: https://{id}.example/rss\nauthor: {author}\nid: {id}\n\
                 kiosque-article end\n{body}\n"
            )
        };
        let files = [
            (
                "monde.txt",
                saved("Le Monde", "Jeanne Dupont", "m1", "La sécurité des trains."),
            ),
            (
                "info.txt",
                saved("France Info", "Élise Durand", "f1", "Le budget voté."),
            ),
            (
                "plain.txt",
                "date 2026-03-05 Le Monde en fichier.".to_owned(),
            ),
        ];
        Catalog::from_memory(files.iter().map(|(p, t)| (PathBuf::from(p), t.as_bytes())))
    }

    #[test]
    fn feed_and_author_look_where_a_feed_article_comes_from() {
        let c = from_feeds();
        let none = Marks::default();
        let found = |q: &str| matched(&c, q, &none);
        assert_eq!(found("feed:monde"), ["monde.txt"]);
        assert_eq!(
            found("feed:mon"),
            ["monde.txt"],
            "a prefix, as for any word"
        );
        assert_eq!(found("feed:\"france info\""), ["info.txt"]);
        assert_eq!(found("feed:FRANCE"), ["info.txt"], "folded like any word");
        assert_eq!(found("author:elise"), ["info.txt"]);
        assert_eq!(found("author:dupont securite"), ["monde.txt"]);
        assert_eq!(found("-feed:monde"), ["info.txt", "plain.txt"]);
        assert_eq!(found("feed:monde OR feed:info"), ["monde.txt", "info.txt"]);
        // A word alone looks in the text: the plain file says "Le Monde" there, the feed
        // article only as where it comes from.
        assert_eq!(found("monde"), ["plain.txt"]);
        assert!(found("feed:lemonde").is_empty());
        assert!(matches!(parse("feed:!!"), Err(QueryError::NoWord(_))));
    }

    #[test]
    fn folder_looks_in_the_name_of_the_folder_given_that_holds_a_plain_article() {
        let files = [
            ("/n/presse/a.txt", "date 2026-03-06 Un."),
            ("/n/presse/2026/b.txt", "date 2026-03-05 Deux."),
            ("/n/Archives Été/c.txt", "date 2026-03-04 Trois."),
            ("/n/ailleurs.txt", "date 2026-03-03 Quatre."),
        ];
        let mut c =
            Catalog::from_memory(files.iter().map(|(p, t)| (PathBuf::from(p), t.as_bytes())));
        let roots = ["/n/presse", "/n/Archives Été", "/n/ailleurs.txt"].map(PathBuf::from);
        c.set_sources(crate::search::sources::Sources::new(&roots, []));
        let none = Marks::default();
        let found = |q: &str| matched(&c, q, &none);
        assert_eq!(
            found("folder:presse"),
            ["/n/presse/a.txt", "/n/presse/2026/b.txt"]
        );
        assert_eq!(found("folder:ete"), ["/n/Archives Été/c.txt"], "folded");
        assert_eq!(found("folder:\"archives ete\""), ["/n/Archives Été/c.txt"]);
        // A file given by itself is named by the folder that holds it.
        assert_eq!(found("folder:n"), ["/n/ailleurs.txt"]);
        assert_eq!(found("-folder:presse").len(), 2);
        // Feed articles are found by their feed, not their folder.
        let feeds = from_feeds();
        assert_eq!(matched(&feeds, "folder:monde", &none), Vec::<String>::new());
    }

    #[test]
    fn tag_looks_in_the_tags_feeds_toml_gives_the_article_s_feed() {
        let mut c = from_feeds();
        let tags = [
            (
                "https://m1.example/rss",
                vec!["Actualité", "science-fiction"],
            ),
            ("https://f1.example/rss", vec!["actu"]),
            ("https://other.example/rss", vec!["tech"]),
        ];
        c.set_sources(crate::search::sources::Sources::new(
            &[],
            tags.map(|(key, tags)| {
                (
                    key.to_owned(),
                    tags.into_iter().map(str::to_owned).collect(),
                )
            }),
        ));
        let none = Marks::default();
        let found = |q: &str| matched(&c, q, &none);
        assert_eq!(
            found("tag:actualite"),
            ["monde.txt"],
            "folded like any word"
        );
        assert_eq!(
            found("tag:ACTU"),
            ["monde.txt", "info.txt"],
            "a prefix of a tag"
        );
        assert_eq!(found("tag:fiction"), ["monde.txt"], "a word of a tag");
        assert_eq!(found("tag:\"science fiction\""), ["monde.txt"]);
        assert!(found("tag:\"actu\"").contains(&"info.txt".to_owned()));
        assert!(
            !found("tag:\"actu\"").contains(&"monde.txt".to_owned()),
            "whole"
        );
        assert!(found("tag:tech").is_empty(), "no article of that feed");
        assert!(found("tag:iction").is_empty(), "at the start of a word");
        assert_eq!(found("-tag:science"), ["info.txt", "plain.txt"]);
        assert_eq!(found("tag:actu budget"), ["info.txt"]);
        assert_eq!(found("tag:fiction OR feed:info"), ["monde.txt", "info.txt"]);
        assert!(parse("tag:tech").unwrap().uses_tags());
        assert!(!parse("feed:tech").unwrap().uses_tags());
        assert!(matches!(parse("tag:!!"), Err(QueryError::NoWord(_))));
        assert_eq!(
            parse("tag:").unwrap_err().to_string(),
            "“tag:” needs something after it, as in tag:otan"
        );
        // Without the subscriptions, no article has a tag.
        assert!(matched(&from_feeds(), "tag:actu", &none).is_empty());
    }

    #[test]
    fn constructs_combine() {
        assert_eq!(
            found("accord OR climat -conclu since:2025"),
            ["n3", "n4", "n5"]
        );
        assert_eq!(
            found("title:\"l'armee\" OR \"accords de paris\" 7d"),
            ["n1", "n2"]
        );
        assert_eq!(found("\"accord\" -title:accord 2026-03"), ["n2"]);
    }

    #[test]
    fn dates_can_be_taken_out_of_a_query() {
        let out = |q: &str| Query::without_dates(q, today());
        assert_eq!(
            out("otan 2026 \"accord conclu\" since:2025 -onu 7d").as_deref(),
            Some("otan \"accord conclu\" -onu")
        );
        assert_eq!(out("a OR b 2026-01..").as_deref(), Some("a OR b"));
        assert_eq!(out("2026").as_deref(), Some(""));
        assert_eq!(out("\"unclosed"), None);
    }

    #[test]
    fn other_colons_stay_words() {
        let q = parse("12:30 http://exemple.fr").unwrap();
        assert!(q.has_words() && q.range().is_none());
    }

    #[test]
    fn highlights_show_the_original_letters() {
        let q = parse("securite \"accord conclu\" -armee 2026").unwrap();
        let text = "La SÉCURITÉ, l’armée et l’accord   conclu. Sécurités, sécuritaire.";
        let shown: Vec<&str> = q
            .highlighter()
            .find(text)
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(shown, ["SÉCURITÉ", "accord   conclu", "Sécurités"]);
        assert!(parse("2026 -otan").unwrap().highlighter().is_empty());
    }

    #[test]
    fn relevance_puts_the_strongest_match_first() {
        let c = news();
        let q = parse("accord").unwrap();
        let mut results = q.filter(&c, &Marks::default());
        q.rank(&c, &mut results);
        // n1 says it in its title and twice more; the others once.
        assert_eq!(results[0], 0);
        assert_eq!(results.len(), 5);
        let mut sorted = results.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, q.filter(&c, &Marks::default()));
    }
}
