//! Dates as people read them: Jalali for Persian (ICU4X's Persian calendar),
//! Gregorian for Arabic and English, both in Tehran's local time by default.

use icu_calendar::Date;
use icu_calendar::cal::Persian;
use time::{OffsetDateTime, UtcOffset};

use super::format::Digits;
use super::{Lang, t};

/// Tehran is UTC+03:30 all year since 2023.
pub const TEHRAN: UtcOffset = match UtcOffset::from_hms(3, 30, 0) {
    Ok(o) => o,
    Err(_) => panic!("valid offset"),
};

/// (year, month, day) in the Jalali calendar for a Gregorian date.
pub fn to_jalali(year: i32, month: u8, day: u8) -> Option<(i32, u8, u8)> {
    let iso = Date::try_new_iso(year, month, day).ok()?;
    let p = iso.to_calendar(Persian);
    Some((p.extended_year(), p.month().ordinal, p.day_of_month().0))
}

/// A long date: `۲ آذر ۱۴۰۵` in fa, `2 نوفمبر 2026` in ar, `23 November 2026` in en.
pub fn long_date(at: OffsetDateTime, lang: Lang, digits: Digits) -> String {
    let local = at.to_offset(TEHRAN);
    let (y, m, d) = match lang {
        Lang::Fa => to_jalali(local.year(), local.month() as u8, local.day()).unwrap_or((0, 1, 1)),
        _ => (local.year(), local.month() as u8, local.day()),
    };
    let month_key = match lang {
        Lang::Fa => format!("jalali-month-{m}"),
        _ => format!("month-{m}"),
    };
    let month = t(lang, &month_key);
    digits.apply(&format!("{d} {month} {y}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jalali_vectors() {
        // regional.md §6.1, sourced from jalaali-js.
        let table = [
            ((1925, 3, 22), (1304, 1, 2)),
            ((1981, 8, 17), (1360, 5, 26)),
            ((2000, 1, 1), (1378, 10, 11)),
            ((2013, 1, 10), (1391, 10, 21)),
            ((2014, 8, 4), (1393, 5, 13)),
            ((2016, 4, 11), (1395, 1, 23)),
            ((2021, 3, 21), (1400, 1, 1)),
            ((2024, 3, 19), (1402, 12, 29)),
            ((2024, 3, 20), (1403, 1, 1)),
            ((2025, 3, 20), (1403, 12, 30)),
            ((2025, 3, 21), (1404, 1, 1)),
            ((2026, 3, 21), (1405, 1, 1)),
        ];
        for ((gy, gm, gd), want) in table {
            assert_eq!(to_jalali(gy, gm, gd), Some(want), "{gy}-{gm}-{gd}");
        }
    }

    #[test]
    fn tehran_midnight_is_the_next_jalali_day() {
        // 21:00 UTC on 2026-03-20 is 00:30 on 1 Farvardin 1405 in Tehran.
        let at = time::macros::datetime!(2026-03-20 21:00 UTC);
        assert_eq!(
            long_date(at, Lang::En, Digits::Latin),
            "21 month-3 2026".replace("month-3", &t(Lang::En, "month-3"))
        );
        assert!(long_date(at, Lang::Fa, Digits::Persian).starts_with("۱ "));
        assert!(long_date(at, Lang::Fa, Digits::Persian).ends_with("۱۴۰۵"));
    }
}
