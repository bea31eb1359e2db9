//! Calendar dates and report months, without a time zone: official
//! documents carry dates, never instants.

use std::fmt;

/// A calendar date such as 发文日期.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// Accepts `YYYY-MM-DD` and `YYYY年M月D日`, and checks the day exists.
    pub(crate) fn parse(s: &str) -> Result<Date, String> {
        let s = s.trim();
        let parts: Vec<&str> = if let Some(rest) = s.strip_suffix('日') {
            rest.split(['年', '月']).collect()
        } else {
            s.split('-').collect()
        };
        let bad = || format!("“{s}” 不是有效日期：请写成 2020-10-27 或 2020年10月27日");
        if parts.len() != 3
            || parts
                .iter()
                .any(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_digit()))
        {
            return Err(bad());
        }
        let year: i32 = parts[0].parse().map_err(|_| bad())?;
        let month: u32 = parts[1].parse().map_err(|_| bad())?;
        let day: u32 = parts[2].parse().map_err(|_| bad())?;
        if !(1900..=2999).contains(&year) || !(1..=12).contains(&month) {
            return Err(bad());
        }
        if day == 0 || day > days_in_month(year, month) {
            return Err(format!("“{s}” 不是有效日期：{year}年{month}月没有{day}日"));
        }
        Ok(Date { year, month, day })
    }

    /// "2020年10月27日", as notices and feeds show dates to readers.
    pub(crate) fn chinese(&self) -> String {
        format!("{}年{}月{}日", self.year, self.month, self.day)
    }
}

impl Date {
    /// Today in China (UTC+8), where the offices are, from the system clock.
    pub fn today_in_china() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        Date::from_days((secs + 8 * 3600).div_euclid(86_400))
    }

    /// The date `days` days after 1970-01-01 (Howard Hinnant's `civil_from_days`).
    fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// A report month, the name of its folder (`2020-07`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    pub year: i32,
    pub month: u32,
}

impl YearMonth {
    /// Parses a folder name: exactly `YYYY-MM`.
    pub fn parse(s: &str) -> Option<YearMonth> {
        let (y, m) = s.split_once('-')?;
        if y.len() != 4 || m.len() != 2 || !y.chars().chain(m.chars()).all(|c| c.is_ascii_digit()) {
            return None;
        }
        let (year, month) = (y.parse().ok()?, m.parse().ok()?);
        (1..=12)
            .contains(&month)
            .then_some(YearMonth { year, month })
    }

    pub(crate) fn next(self) -> YearMonth {
        if self.month == 12 {
            YearMonth {
                year: self.year + 1,
                month: 1,
            }
        } else {
            YearMonth {
                month: self.month + 1,
                ..self
            }
        }
    }

    /// "2020年7月".
    pub(crate) fn chinese(&self) -> String {
        format!("{}年{}月", self.year, self.month)
    }

    /// The report's default title: "7月工作进展情况及8月安排".
    pub(crate) fn default_title(&self) -> String {
        format!("{}月工作进展情况及{}月安排", self.month, self.next().month)
    }

    /// The plan column's heading: "8月具体进度安排" for July.
    pub fn plan_heading(&self) -> String {
        format!("{}月具体进度安排", self.next().month)
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Written out by hand: every link of every page holds a month.
        match (u16::try_from(self.year), u16::try_from(self.month)) {
            (Ok(y @ 0..=9999), Ok(m @ 0..=99)) => {
                let digit = |n: u16| b'0' + (n % 10) as u8;
                let text = [
                    digit(y / 1000),
                    digit(y / 100),
                    digit(y / 10),
                    digit(y),
                    b'-',
                    digit(m / 10),
                    digit(m),
                ];
                f.write_str(std::str::from_utf8(&text).expect("ASCII digits"))
            }
            _ => write!(f, "{:04}-{:02}", self.year, self.month),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_since_1970_are_calendar_dates() {
        let d = |y, m, day| Date {
            year: y,
            month: m,
            day,
        };
        assert_eq!(Date::from_days(0), d(1970, 1, 1));
        assert_eq!(Date::from_days(18_470), d(2020, 7, 27));
        assert_eq!(Date::from_days(11_016), d(2000, 2, 29));
        assert_eq!(Date::from_days(-1), d(1969, 12, 31));
        assert_eq!(Date::from_days(20_791), d(2026, 12, 4));
    }

    #[test]
    fn both_date_formats_parse() {
        let d = Date {
            year: 2020,
            month: 10,
            day: 27,
        };
        assert_eq!(Date::parse("2020-10-27"), Ok(d));
        assert_eq!(Date::parse("2020年10月27日"), Ok(d));
        assert_eq!(Date::parse("2020年2月29日").unwrap().day, 29);
    }

    #[test]
    fn impossible_dates_are_refused() {
        for bad in [
            "2020-13-40",
            "2020年2月30日",
            "2019-02-29",
            "2020-1",
            "昨天",
            "2020-00-10",
        ] {
            assert!(Date::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn months_print_as_folder_names() {
        for (year, month, text) in [
            (2020, 7, "2020-07"),
            (999, 12, "0999-12"),
            (2016, 1, "2016-01"),
        ] {
            assert_eq!(YearMonth { year, month }.to_string(), text);
        }
        // Outside what a folder name can hold, the general formatting.
        assert_eq!(
            YearMonth {
                year: 12345,
                month: 1
            }
            .to_string(),
            "12345-01"
        );
    }

    #[test]
    fn december_plans_for_january() {
        let dec = YearMonth::parse("2020-12").unwrap();
        assert_eq!(dec.plan_heading(), "1月具体进度安排");
        assert_eq!(dec.default_title(), "12月工作进展情况及1月安排");
        assert_eq!(dec.next().to_string(), "2021-01");
        assert!(YearMonth::parse("2020-7").is_none());
        assert!(YearMonth::parse("2020-13").is_none());
    }
}
