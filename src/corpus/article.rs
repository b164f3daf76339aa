//! The article model: what one text file becomes once parsed.

use std::cmp::Ordering;
use std::path::PathBuf;
use std::sync::Arc;

use chrono::{Datelike, Months, NaiveDate};

/// How precise an article's date is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Precision {
    Day,
    Month,
}

/// The date of an article: a day, or a whole month.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArticleDate {
    /// The day, or the first day of the month for month precision.
    pub first: NaiveDate,
    pub precision: Precision,
}

impl ArticleDate {
    pub fn day(date: NaiveDate) -> Self {
        Self {
            first: date,
            precision: Precision::Day,
        }
    }

    /// The month of `year`-`month`, or `None` when it does not exist.
    pub fn month(year: i32, month: u32) -> Option<Self> {
        Some(Self {
            first: NaiveDate::from_ymd_opt(year, month, 1)?,
            precision: Precision::Month,
        })
    }

    /// The last day the date covers.
    pub fn last(&self) -> NaiveDate {
        match self.precision {
            Precision::Day => self.first,
            Precision::Month => last_day_of_month(self.first),
        }
    }

    /// `2026-03-06` or `2023-05`.
    pub fn iso(&self) -> String {
        match self.precision {
            Precision::Day => self.first.format("%Y-%m-%d").to_string(),
            Precision::Month => format!("{:04}-{:02}", self.first.year(), self.first.month()),
        }
    }
}

/// How the reader writes dates.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DateStyle {
    /// `2026-03-06`, `2023-05`.
    #[default]
    Iso,
    /// `6 mars 2026`, `1er mars 2026`, `mai 2023`.
    French,
    /// `6 March 2026`, `May 2023`.
    English,
}

const MOIS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl DateStyle {
    /// French for a French locale (`fr_FR.UTF-8`, the value of `LC_ALL` or `LANG`), English
    /// for any other.
    pub fn from_lang(lang: Option<&str>) -> DateStyle {
        match lang.and_then(|l| l.get(..2)) {
            Some(l) if l.eq_ignore_ascii_case("fr") => DateStyle::French,
            _ => DateStyle::English,
        }
    }

    pub fn format(self, date: &ArticleDate) -> String {
        let (day, month, year) = (
            date.first.day(),
            date.first.month0() as usize,
            date.first.year(),
        );
        match (self, date.precision) {
            (DateStyle::Iso, _) => date.iso(),
            (DateStyle::French, Precision::Day) if day == 1 => {
                format!("1er {} {year}", MOIS[month])
            }
            (DateStyle::French, Precision::Day) => format!("{day} {} {year}", MOIS[month]),
            (DateStyle::French, Precision::Month) => format!("{} {year}", MOIS[month]),
            (DateStyle::English, Precision::Day) => format!("{day} {} {year}", MONTHS[month]),
            (DateStyle::English, Precision::Month) => format!("{} {year}", MONTHS[month]),
        }
    }

    /// What a date looks like in this style, for `kiosque config`.
    pub fn example(self) -> &'static str {
        match self {
            DateStyle::Iso => "2026-03-06",
            DateStyle::French => "6 mars 2026",
            DateStyle::English => "6 March 2026",
        }
    }
}

/// The last day of the month `date` falls in.
pub fn last_day_of_month(date: NaiveDate) -> NaiveDate {
    let first = date.with_day(1).unwrap_or(date);
    first
        .checked_add_months(Months::new(1))
        .and_then(|next| next.pred_opt())
        .unwrap_or(NaiveDate::MAX)
}

/// One paragraph-level piece of an article body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    Paragraph(String),
    /// A list item; the text is without its `•`.
    Bullet(String),
    /// A photo credit or a line the source repeated: shown once, styled apart.
    Caption(String),
}

impl Block {
    pub fn text(&self) -> &str {
        match self {
            Block::Paragraph(t) | Block::Bullet(t) | Block::Caption(t) => t,
        }
    }
}

/// An article as the list knows it: what it needs to show, sort and search it. The body
/// is read again from its source when the reader opens it (see [`Body`]), so a corpus of
/// 100,000 articles holds their words as numbers, not their text.
#[derive(Clone, Debug)]
pub struct Article {
    pub path: PathBuf,
    /// The bytes of an article that is not a file (the embedded sample, tests).
    pub bytes: Option<Arc<[u8]>>,
    pub date: Option<ArticleDate>,
    pub title: String,
    /// How many words the body has: runs of letters and digits.
    pub words: usize,
    /// The text encoding the file was decoded from, when it was not UTF-8.
    pub encoding: Option<&'static str>,
    /// The folded words of the body, in order, as ids into the corpus's index vocabulary.
    pub word_ids: Box<[u32]>,
    /// The folded words of the title, the same way.
    pub title_ids: Box<[u32]>,
    /// What the read state knows the article by: a hash of its text, so a moved or renamed
    /// file keeps its marks. Known once the words are indexed.
    pub fingerprint: Option<crate::corpus::Fingerprint>,
}

impl Article {
    /// The path as shown to the user: lossy for names that are not UTF-8, and made safe to
    /// draw. Computed when shown, not for each of 100,000 articles at load.
    pub fn shown_path(&self) -> String {
        crate::text::display::shown(&self.path)
    }
}

/// An article's body, read from its source when the reader opens it. Its head is read
/// again too: the file may have changed since the corpus was loaded, and the reader always
/// shows what is on disk now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Body {
    pub date: Option<ArticleDate>,
    pub title: String,
    pub words: usize,
    pub blocks: Vec<Block>,
    /// Why the body could not be read (deleted, no longer text…), shown in its place.
    pub problem: Option<String>,
    /// The fingerprint of the text as read now, which the read state knows it by.
    pub fingerprint: Option<crate::corpus::Fingerprint>,
}

/// Newest first; a month sorts as its first day; undated articles last. Equal dates are
/// left as they are: sorting stably a list in path order keeps them in path order.
pub fn newest_first(a: &Article, b: &Article) -> Ordering {
    match (a.date, b.date) {
        (Some(x), Some(y)) => y.first.cmp(&x.first),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_the_way_each_language_does() {
        let day = |y, m, d| ArticleDate::day(NaiveDate::from_ymd_opt(y, m, d).unwrap());
        let month = |y, m| ArticleDate::month(y, m).unwrap();
        assert_eq!(DateStyle::French.format(&day(2026, 3, 6)), "6 mars 2026");
        assert_eq!(DateStyle::French.format(&day(2026, 8, 1)), "1er août 2026");
        assert_eq!(DateStyle::French.format(&month(2023, 5)), "mai 2023");
        assert_eq!(DateStyle::English.format(&day(2026, 3, 1)), "1 March 2026");
        assert_eq!(DateStyle::English.format(&month(2023, 5)), "May 2023");
        assert_eq!(DateStyle::Iso.format(&month(2023, 5)), "2023-05");
        assert_eq!(DateStyle::from_lang(Some("fr_CA.UTF-8")), DateStyle::French);
        assert_eq!(
            DateStyle::from_lang(Some("en_GB.UTF-8")),
            DateStyle::English
        );
        assert_eq!(DateStyle::from_lang(Some("C.UTF-8")), DateStyle::English);
        assert_eq!(DateStyle::from_lang(Some("é")), DateStyle::English);
        assert_eq!(DateStyle::from_lang(None), DateStyle::English);
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn month_covers_the_whole_month() {
        let feb = ArticleDate::month(2024, 2).unwrap();
        assert_eq!(feb.first, d(2024, 2, 1));
        assert_eq!(feb.last(), d(2024, 2, 29));
        assert_eq!(
            ArticleDate::month(2023, 12).unwrap().last(),
            d(2023, 12, 31)
        );
        assert_eq!(feb.iso(), "2024-02");
        assert!(ArticleDate::month(2024, 13).is_none());
    }

    #[test]
    fn day_iso() {
        assert_eq!(ArticleDate::day(d(2026, 3, 6)).iso(), "2026-03-06");
    }
}
