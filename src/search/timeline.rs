//! The timeline of the filter pane: how many articles each month (or year, for a corpus
//! spanning many years) holds, and how many of them the current query keeps; and moving the
//! query's date range along it.

use chrono::{Datelike, NaiveDate};

use crate::corpus::Article;
use crate::corpus::DateRange;

/// A corpus spanning more months than this is counted by year.
const MONTHS_AT_MOST: i32 = 8 * 12;

/// The step of the timeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    Month,
    Year,
}

/// Article counts per unit of time, from the oldest dated article to the newest.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Timeline {
    pub unit: Option<Unit>,
    /// The first unit, as a number: `year * 12 + month - 1` for months, the year for years.
    pub first: i32,
    /// Articles per unit, all of them.
    pub totals: Vec<usize>,
    /// Articles per unit among the results of the query.
    pub results: Vec<usize>,
}

/// The unit number of a day.
fn unit_of(unit: Unit, date: NaiveDate) -> i32 {
    match unit {
        Unit::Month => date.year() * 12 + date.month0() as i32,
        Unit::Year => date.year(),
    }
}

impl Timeline {
    /// Counts `articles` (sorted newest first, undated last), and `results` among them.
    pub fn new(articles: &[Article], results: &[usize]) -> Timeline {
        let dated: Vec<NaiveDate> = articles
            .iter()
            .map_while(|a| a.date.map(|d| d.first))
            .collect();
        let (Some(&newest), Some(&oldest)) = (dated.first(), dated.last()) else {
            return Timeline::default();
        };
        let months = unit_of(Unit::Month, newest) - unit_of(Unit::Month, oldest) + 1;
        let unit = if months > MONTHS_AT_MOST {
            Unit::Year
        } else {
            Unit::Month
        };
        let first = unit_of(unit, oldest);
        let len = (unit_of(unit, newest) - first + 1) as usize;
        let mut timeline = Timeline {
            unit: Some(unit),
            first,
            totals: vec![0; len],
            results: vec![0; len],
        };
        for date in &dated {
            timeline.totals[(unit_of(unit, *date) - first) as usize] += 1;
        }
        timeline.count_results(articles, results);
        timeline
    }

    /// Counts the results again, for a new query over the same articles.
    pub fn count_results(&mut self, articles: &[Article], results: &[usize]) {
        let Some(unit) = self.unit else {
            return;
        };
        self.results.iter_mut().for_each(|n| *n = 0);
        for &i in results {
            if let Some(date) = articles[i].date {
                let at = unit_of(unit, date.first) - self.first;
                if let Some(n) = usize::try_from(at)
                    .ok()
                    .and_then(|at| self.results.get_mut(at))
                {
                    *n += 1;
                }
            }
        }
    }

    /// The units (positions in `totals`) that `range` covers, clipped to the timeline.
    pub fn covered(&self, range: Option<DateRange>) -> Option<std::ops::RangeInclusive<usize>> {
        let unit = self.unit?;
        let range = range?;
        let last = self.totals.len() as i32 - 1;
        let start = range
            .start
            .map_or(0, |d| unit_of(unit, d) - self.first)
            .max(0);
        let end = range
            .end
            .map_or(last, |d| unit_of(unit, d) - self.first)
            .min(last);
        (start <= end).then_some(start as usize..=end as usize)
    }

    /// The range after moving `range` by `shift` units and widening it by `widen` units
    /// (less than 0: earlier, more than 0: later), as a query clause (`2026-03`,
    /// `2025-11..2026-03`, `2019..2021`). Without a range, it starts from the newest unit.
    pub fn moved(&self, range: Option<DateRange>, shift: i32, widen: i32) -> Option<String> {
        let unit = self.unit?;
        let newest = self.first + self.totals.len() as i32 - 1;
        // An open end stays open (`2019..` moves to `2018-12..`); with no range yet, the
        // newest unit is the start.
        let (mut start, mut end) = match range {
            Some(range) => (
                range.start.map(|d| unit_of(unit, d)),
                range.end.map(|d| unit_of(unit, d)),
            ),
            None => (Some(newest), Some(newest)),
        };
        start = start.map(|s| s + shift + widen.min(0));
        end = end.map(|e| e + shift + widen.max(0));
        // Only dates a query can say: years 0 to 9999.
        let highest = match unit {
            Unit::Month => 9999 * 12 + 11,
            Unit::Year => 9999,
        };
        let name = |n: i32| {
            let n = n.clamp(0, highest);
            match unit {
                Unit::Month => format!("{:04}-{:02}", n.div_euclid(12), n.rem_euclid(12) + 1),
                Unit::Year => format!("{n:04}"),
            }
        };
        Some(match (start.map(name), end.map(name)) {
            (Some(s), Some(e)) if s == e => s,
            (s, e) => format!("{}..{}", s.unwrap_or_default(), e.unwrap_or_default()),
        })
    }

    /// The label of unit `at`: `2026-03` or `2026`.
    pub fn label(&self, at: usize) -> String {
        let n = self.first + at as i32;
        match self.unit {
            Some(Unit::Year) => format!("{n}"),
            _ => format!("{:04}-{:02}", n.div_euclid(12), n.rem_euclid(12) + 1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::catalog::Catalog;
    use std::path::PathBuf;

    fn corpus(dates: &[&str]) -> Catalog {
        let texts: Vec<String> = dates
            .iter()
            .map(|d| {
                if d.is_empty() {
                    "Sans date.".to_owned()
                } else {
                    format!("date {d} Un article.")
                }
            })
            .collect();
        Catalog::from_memory(
            texts
                .iter()
                .enumerate()
                .map(|(i, t)| (PathBuf::from(format!("{i}.txt")), t.as_bytes())),
        )
    }

    #[test]
    fn months_are_counted_from_the_oldest_to_the_newest() {
        let c = corpus(&["2026-03-06", "2026-03", "2026-01-02", "2025-11-30", ""]);
        let all: Vec<usize> = (0..5).collect();
        let t = Timeline::new(&c.corpus.articles, &all);
        assert_eq!(t.unit, Some(Unit::Month));
        assert_eq!(t.totals, [1, 0, 1, 0, 2]);
        assert_eq!(t.label(0), "2025-11");
        assert_eq!(t.label(4), "2026-03");
        let mut t = t;
        t.count_results(&c.corpus.articles, &[0, 3]);
        assert_eq!(t.results, [1, 0, 0, 0, 1]);
    }

    #[test]
    fn many_years_are_counted_by_year() {
        let c = corpus(&["2026-01-01", "2016-05", "2015-12-31"]);
        let t = Timeline::new(&c.corpus.articles, &[0, 1, 2]);
        assert_eq!(t.unit, Some(Unit::Year));
        assert_eq!(t.totals.len(), 12);
        assert_eq!((t.totals[0], t.totals[1], t.totals[11]), (1, 1, 1));
        assert!(
            Timeline::new(&corpus(&[""]).corpus.articles, &[0])
                .unit
                .is_none()
        );
    }

    #[test]
    fn ranges_move_and_widen_by_unit() {
        let c = corpus(&["2026-03-06", "2025-11-30"]);
        let t = Timeline::new(&c.corpus.articles, &[0, 1]);
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        let march = Some(DateRange {
            start: day(2026, 3, 1),
            end: day(2026, 3, 31),
        });
        assert_eq!(t.moved(None, -1, 0).as_deref(), Some("2026-02"));
        assert_eq!(t.moved(march, -1, 0).as_deref(), Some("2026-02"));
        assert_eq!(t.moved(march, 1, 0).as_deref(), Some("2026-04"));
        assert_eq!(t.moved(march, 0, -1).as_deref(), Some("2026-02..2026-03"));
        assert_eq!(t.moved(march, -2, 1).as_deref(), Some("2026-01..2026-02"));
        let open = Some(DateRange {
            start: day(2025, 12, 15),
            end: None,
        });
        // Open ends stay open; widening an open end changes nothing there.
        assert_eq!(t.moved(open, 0, 0).as_deref(), Some("2025-12.."));
        assert_eq!(t.moved(open, -1, 0).as_deref(), Some("2025-11.."));
        assert_eq!(t.moved(open, 0, 1).as_deref(), Some("2025-12.."));
        let until = Some(DateRange {
            start: None,
            end: day(2026, 1, 10),
        });
        assert_eq!(t.moved(until, 1, 0).as_deref(), Some("..2026-02"));
        assert_eq!(t.covered(open), Some(1..=4));
        assert_eq!(t.covered(march), Some(4..=4));
        assert_eq!(t.covered(None), None);
    }
}
