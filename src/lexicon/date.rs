//! Dates of the lexicon: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.

use std::fmt;
use std::str::FromStr;

use super::push_decimal;

/// A date with optional month and day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

/// English month names, January first.
pub const MONTHS_EN: [&str; 12] = [
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

impl Date {
    /// `31 October 2024`, `June 2023`, `2021`.
    ///
    /// Written piece by piece rather than with `format!`, which cost three times as much:
    /// `edition-mismatch` gives a date in each finding about one.
    pub fn display_en(&self) -> String {
        // Room for `30 September 2024`, and a fifth digit of the year.
        let mut out = String::with_capacity(18);
        if let Some(m) = self.month {
            if let Some(d) = self.day {
                push_decimal(&mut out, d.into());
                out.push(' ');
            }
            out.push_str(MONTHS_EN[m as usize - 1]);
            out.push(' ');
        }
        push_decimal(&mut out, self.year.into());
        out
    }

    /// `31/10/2024`, `tháng 6/2023`, `năm 2021`.
    pub fn display_vi(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{d}/{m}/{}", self.year),
            (Some(m), None) => format!("tháng {m}/{}", self.year),
            _ => format!("năm {}", self.year),
        }
    }

    /// The English month name for a month number (1-based).
    pub fn month_name_en(m: u8) -> Option<&'static str> {
        MONTHS_EN.get(m.checked_sub(1)? as usize).copied()
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

impl FromStr for Date {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("malformed date `{s}`: expected YYYY, YYYY-MM or YYYY-MM-DD");
        let parts: Vec<&str> = s.split('-').collect();
        if parts.is_empty() || parts.len() > 3 {
            return Err(bad());
        }
        let num = |p: &str, len: usize| -> Result<u16, String> {
            if p.len() != len || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            p.parse().map_err(|_| bad())
        };
        let year = num(parts[0], 4)?;
        let month = parts.get(1).map(|p| num(p, 2)).transpose()?;
        let day = parts.get(2).map(|p| num(p, 2)).transpose()?;
        if let Some(m) = month
            && !(1..=12).contains(&m)
        {
            return Err(format!("malformed date `{s}`: month {m} is not 1 to 12"));
        }
        if let (Some(m), Some(d)) = (month, day) {
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
            let max = match m {
                2 if leap => 29,
                2 => 28,
                4 | 6 | 9 | 11 => 30,
                _ => 31,
            };
            if d == 0 || d > max {
                return Err(format!("malformed date `{s}`: day {d} is not in month {m}"));
            }
        }
        Ok(Date {
            year,
            month: month.map(|m| m as u8),
            day: day.map(|d| d as u8),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_displays() {
        let d: Date = "2024-10-31".parse().unwrap();
        assert_eq!(d.to_string(), "2024-10-31");
        assert_eq!(d.display_en(), "31 October 2024");
        assert_eq!(d.display_vi(), "31/10/2024");
        let m: Date = "2023-06".parse().unwrap();
        assert_eq!(m.display_en(), "June 2023");
        assert_eq!("2021".parse::<Date>().unwrap().display_vi(), "năm 2021");
    }

    /// [`Date::display_en`] as it was written with `format!`: the reference.
    fn display_en_reference(date: &Date) -> String {
        match (date.month, date.day) {
            (Some(m), Some(d)) => format!("{d} {} {}", MONTHS_EN[m as usize - 1], date.year),
            (Some(m), None) => format!("{} {}", MONTHS_EN[m as usize - 1], date.year),
            _ => date.year.to_string(),
        }
    }

    proptest::proptest! {
        #[test]
        fn display_en_writes_as_the_reference(
            year in proptest::prelude::any::<u16>(),
            month in proptest::option::of(1u8..=12),
            day in proptest::option::of(1u8..=31),
        ) {
            let date = Date { year, month, day };
            proptest::prop_assert_eq!(date.display_en(), display_en_reference(&date));
        }
    }

    #[test]
    fn rejects_malformed() {
        for s in [
            "2023-13",
            "2023-02-30",
            "23-06",
            "2023/06",
            "2023-6",
            "",
            "2023-06-01-02",
        ] {
            assert!(s.parse::<Date>().is_err(), "{s}");
        }
        assert!("2024-02-29".parse::<Date>().is_ok());
        assert!("2023-02-29".parse::<Date>().is_err());
    }
}
