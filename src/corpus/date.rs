//! Dates: an article's day or month, how the reader writes it, the ranges queries select,
//! and the one parser of written dates that article headers and queries share.

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

    /// A moment, as the reader writes a feed article's publication: `6 mars 2026 à 14 h 05`,
    /// `6 March 2026, 14:05`, `2026-03-06 14:05`.
    pub fn format_moment(self, at: chrono::NaiveDateTime) -> String {
        use chrono::Timelike;
        let day = self.format(&ArticleDate::day(at.date()));
        let (hour, minute) = (at.hour(), at.minute());
        match self {
            DateStyle::Iso => format!("{day} {hour:02}:{minute:02}"),
            DateStyle::French => format!("{day} à {hour} h {minute:02}"),
            DateStyle::English => format!("{day}, {hour:02}:{minute:02}"),
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

/// A date as people write it, in an article's header or a query, recognised by its shape
/// before anyone checks that it exists: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Written {
    Year(i32),
    Month(i32, u32),
    Day(i32, u32, u32),
}

/// Why a written date of the right shape is not a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Missing {
    /// There is no such month (`2026-13`).
    Month(u32),
    /// There is no such day in that month (`2026-02-30`).
    Day,
}

impl Written {
    /// The shape of `text`: four digits for the year, then two for the month and the day,
    /// joined by `-`; anything else is not a written date.
    pub fn parse(text: &str) -> Option<Written> {
        fn digits(s: &str, n: usize) -> Option<u32> {
            (s.len() == n && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse().ok())
                .flatten()
        }
        let mut parts = text.split('-');
        let year = digits(parts.next()?, 4)? as i32;
        let Some(month) = parts.next() else {
            return Some(Written::Year(year));
        };
        let month = digits(month, 2)?;
        match (parts.next(), parts.next()) {
            (None, _) => Some(Written::Month(year, month)),
            (Some(day), None) => Some(Written::Day(year, month, digits(day, 2)?)),
            _ => None,
        }
    }

    /// The first and last day the date covers.
    pub fn period(self) -> Result<(NaiveDate, NaiveDate), Missing> {
        let month_start =
            |year, month| NaiveDate::from_ymd_opt(year, month, 1).ok_or(Missing::Month(month));
        match self {
            Written::Year(year) => {
                let first = month_start(year, 1)?;
                Ok((first, month_start(year, 12).map(last_day_of_month)?))
            }
            Written::Month(year, month) => {
                let first = month_start(year, month)?;
                Ok((first, last_day_of_month(first)))
            }
            Written::Day(year, month, day) => {
                month_start(year, month)?;
                let date = NaiveDate::from_ymd_opt(year, month, day).ok_or(Missing::Day)?;
                Ok((date, date))
            }
        }
    }

    /// The date as an article's date: a day or a month (an article is never dated by a
    /// year alone); `None` for a year.
    pub fn article_date(self) -> Option<Result<ArticleDate, Missing>> {
        let (first, _) = match self {
            Written::Year(_) => return None,
            _ => match self.period() {
                Ok(period) => period,
                Err(missing) => return Some(Err(missing)),
            },
        };
        let precision = match self {
            Written::Day(..) => Precision::Day,
            _ => Precision::Month,
        };
        Some(Ok(ArticleDate { first, precision }))
    }
}

/// Inclusive range of days; an open end is `None`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateRange {
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
}

impl DateRange {
    /// True when the article's day or month overlaps the range.
    pub fn overlaps(&self, date: ArticleDate) -> bool {
        self.start.is_none_or(|s| date.last() >= s) && self.end.is_none_or(|e| date.first <= e)
    }

    /// The days both ranges hold.
    pub fn intersect(self, other: DateRange) -> DateRange {
        DateRange {
            start: later(self.start, other.start),
            end: earlier(self.end, other.end),
        }
    }
}

fn later(a: Option<NaiveDate>, b: Option<NaiveDate>) -> Option<NaiveDate> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        _ => a.or(b),
    }
}

fn earlier(a: Option<NaiveDate>, b: Option<NaiveDate>) -> Option<NaiveDate> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        _ => a.or(b),
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

    #[test]
    fn moments_are_written_the_way_each_language_does() {
        let at = d(2026, 3, 6).and_hms_opt(14, 5, 0).unwrap();
        assert_eq!(DateStyle::French.format_moment(at), "6 mars 2026 à 14 h 05");
        assert_eq!(DateStyle::English.format_moment(at), "6 March 2026, 14:05");
        assert_eq!(DateStyle::Iso.format_moment(at), "2026-03-06 14:05");
        let first = d(2026, 8, 1).and_hms_opt(9, 0, 0).unwrap();
        assert_eq!(
            DateStyle::French.format_moment(first),
            "1er août 2026 à 9 h 00"
        );
    }

    #[test]
    fn written_dates_are_recognised_by_shape_then_checked() {
        assert_eq!(Written::parse("2026"), Some(Written::Year(2026)));
        assert_eq!(Written::parse("2026-03"), Some(Written::Month(2026, 3)));
        assert_eq!(
            Written::parse("2026-02-30"),
            Some(Written::Day(2026, 2, 30))
        );
        for not_a_date in [
            "",
            "26",
            "2026-3",
            "2026-03-6",
            "2026-03-06-01",
            "2026-0a",
            "２０２６",
        ] {
            assert_eq!(Written::parse(not_a_date), None, "{not_a_date}");
        }
        assert_eq!(
            Written::Year(2024).period(),
            Ok((d(2024, 1, 1), d(2024, 12, 31)))
        );
        assert_eq!(
            Written::Month(2024, 2).period(),
            Ok((d(2024, 2, 1), d(2024, 2, 29)))
        );
        assert_eq!(Written::Month(2024, 13).period(), Err(Missing::Month(13)));
        assert_eq!(Written::Day(2026, 2, 30).period(), Err(Missing::Day));
        assert_eq!(Written::Day(2026, 13, 1).period(), Err(Missing::Month(13)));
        assert_eq!(Written::Year(2026).article_date(), None);
        assert_eq!(
            Written::Month(2023, 5).article_date(),
            Some(Ok(ArticleDate::month(2023, 5).unwrap()))
        );
        assert_eq!(
            Written::Day(2026, 3, 6).article_date(),
            Some(Ok(ArticleDate::day(d(2026, 3, 6))))
        );
    }
}
