//! Numbers and money for display (regional.md §6.3).
//!
//! Written here rather than through icu_decimal: we need digit systems chosen
//! per tenant (Arabic pages in Arabic-Indic or Western digits), prices straight
//! from rust_decimal, and currency rules of our own (Toman is no ISO currency),
//! which is a few lines of grouping on top of the digit mapping.

use rust_decimal::{Decimal, RoundingStrategy};

/// Which digits a page shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Digits {
    Latin,
    /// Extended Arabic-Indic (U+06F0..), as Persian writes them.
    Persian,
    /// Arabic-Indic (U+0660..).
    ArabicIndic,
}

impl Digits {
    /// Swaps ASCII digits for the script's own; other characters pass through.
    pub fn apply(self, s: &str) -> String {
        s.chars().map(|c| self.digit(c)).collect()
    }

    /// An ASCII digit in this script; any other character as it is.
    fn digit(self, c: char) -> char {
        let zero = match self {
            Digits::Latin => return c,
            Digits::Persian => 0x06F0,
            Digits::ArabicIndic => 0x0660,
        };
        match c {
            '0'..='9' => char::from_u32(zero + (c as u32 - '0' as u32)).unwrap_or(c),
            _ => c,
        }
    }

    fn group_sep(self) -> char {
        match self {
            Digits::Latin => ',',
            _ => '\u{066C}',
        }
    }

    fn decimal_sep(self) -> char {
        match self {
            Digits::Latin => '.',
            _ => '\u{066B}',
        }
    }

    /// Groups thousands and sets digits: 1234567.89 → `۱٬۲۳۴٬۵۶۷٫۸۹`.
    pub fn number(self, value: Decimal, scale: u32) -> String {
        let mut v = value.round_dp_with_strategy(scale, RoundingStrategy::MidpointAwayFromZero);
        v.rescale(scale);
        // The digits of the mantissa, at least one before the point; cheaper
        // than Decimal's Display, and this runs for every price on a page.
        let mut text = v.mantissa().unsigned_abs().to_string();
        let scale = v.scale() as usize;
        if text.len() <= scale {
            text.insert_str(0, &"0".repeat(scale + 1 - text.len()));
        }
        let (int, frac) = text.split_at(text.len() - scale);
        // Persian and Arabic-Indic digits and separators are two bytes each.
        let mut out = String::with_capacity(2 * (text.len() + text.len() / 3) + 1);
        if v.is_sign_negative() && !v.is_zero() {
            out.push('-');
        }
        let len = int.len();
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (len - i) % 3 == 0 {
                out.push(self.group_sep());
            }
            out.push(self.digit(c));
        }
        if !frac.is_empty() {
            out.push(self.decimal_sep());
            out.extend(frac.chars().map(|c| self.digit(c)));
        }
        out
    }

    pub fn int(self, value: i64) -> String {
        self.number(Decimal::from(value), 0)
    }
}

/// A currency's rounding rule: IRR has no minor unit, the Gulf currencies two.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Currency {
    Irr,
    Sar,
    Aed,
    Usd,
}

impl Currency {
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "IRR" => Some(Currency::Irr),
            "SAR" => Some(Currency::Sar),
            "AED" => Some(Currency::Aed),
            "USD" => Some(Currency::Usd),
            _ => None,
        }
    }

    pub fn minor_units(self) -> u32 {
        match self {
            Currency::Irr => 0,
            _ => 2,
        }
    }

    /// Rounds an amount by this currency's rule (half away from zero).
    pub fn round(self, amount: Decimal) -> Decimal {
        amount.round_dp_with_strategy(self.minor_units(), RoundingStrategy::MidpointAwayFromZero)
    }

    pub fn code(self) -> &'static str {
        match self {
            Currency::Irr => "IRR",
            Currency::Sar => "SAR",
            Currency::Aed => "AED",
            Currency::Usd => "USD",
        }
    }
}

/// How a price shows: the unit (Rial, or Toman = Rial / 10 for IRR) and its digits.
/// Prices are stored in the currency's base unit (Rial for IRR) and never converted back.
#[derive(Clone, Copy, Debug)]
pub struct MoneyStyle {
    pub currency: Currency,
    pub toman: bool,
    pub digits: Digits,
}

impl MoneyStyle {
    /// The number part of a price, rounded by the display unit's rule.
    pub fn amount(&self, amount: Decimal) -> String {
        if self.currency == Currency::Irr && self.toman {
            self.digits.number(amount / Decimal::TEN, 0)
        } else {
            self.digits.number(self.currency.round(amount), self.currency.minor_units())
        }
    }

    /// How many base units (Rials) one displayed unit is: 10 for Toman, else 1.
    /// Amounts typed by a visitor are in the displayed unit.
    pub fn unit_in_base(&self) -> Decimal {
        if self.currency == Currency::Irr && self.toman { Decimal::TEN } else { Decimal::ONE }
    }

    /// The message of an amount in this unit (`unit-{unit}`).
    pub fn amount_message(&self) -> &'static str {
        match (self.currency, self.toman) {
            (Currency::Irr, true) => "unit-toman",
            (Currency::Irr, false) => "unit-rial",
            (Currency::Sar, _) => "unit-sar",
            (Currency::Aed, _) => "unit-aed",
            (Currency::Usd, _) => "unit-usd",
        }
    }

    /// The unit prices are shown in: `toman`, `rial`, `sar`, `aed` or `usd`. Its
    /// messages are `unit-{unit}` (an amount with its unit) and `unit-name-{unit}`.
    pub fn unit(&self) -> &'static str {
        self.amount_message().trim_start_matches("unit-")
    }
}

/// Percentage off that `compare` shows against `price`, rounded down (never overstated).
pub fn percent_off(price: Decimal, compare: Decimal) -> Option<i64> {
    if compare <= price || compare.is_zero() {
        return None;
    }
    let pct = ((compare - price) * Decimal::ONE_HUNDRED / compare).floor();
    i64::try_from(pct).ok().filter(|p| *p > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn money_format_fa_ar() {
        // regional.md §6.3: exact code points.
        assert_eq!(Digits::Persian.number(dec("1234567.89"), 2), "۱٬۲۳۴٬۵۶۷٫۸۹");
        assert_eq!(Digits::ArabicIndic.number(dec("1234567.89"), 2), "١٬٢٣٤٬٥٦٧٫٨٩");
        assert_eq!(Digits::Latin.number(dec("1234567.89"), 2), "1,234,567.89");
        assert_eq!(Digits::Persian.number(dec("100"), 0), "۱۰۰");
        assert_eq!(Digits::Latin.number(dec("-1234"), 0), "-1,234");
        assert_eq!(Digits::Latin.number(dec("0.5"), 0), "1");
        assert_eq!(Digits::Latin.number(dec("0.05"), 2), "0.05");
        assert_eq!(Digits::Latin.number(dec("-0.004"), 2), "0.00");
        assert_eq!(Digits::Latin.number(dec("12"), 2), "12.00");
        assert_eq!(Digits::Persian.number(dec("1000000.5"), 0), "۱٬۰۰۰٬۰۰۱");
    }

    #[test]
    fn irr_rounds_to_whole_rials_and_toman_is_a_tenth() {
        assert_eq!(Currency::Irr.round(dec("1000.5")), dec("1001"));
        assert_eq!(Currency::Sar.round(dec("10.005")), dec("10.01"));
        let toman = MoneyStyle { currency: Currency::Irr, toman: true, digits: Digits::Persian };
        assert_eq!(toman.amount(dec("3999000")), "۳۹۹٬۹۰۰");
        let rial = MoneyStyle { currency: Currency::Irr, toman: false, digits: Digits::Latin };
        assert_eq!(rial.amount(dec("3999000")), "3,999,000");
        assert_eq!((toman.unit(), toman.amount_message()), ("toman", "unit-toman"));
        assert_eq!((rial.unit(), rial.amount_message()), ("rial", "unit-rial"));
    }

    #[test]
    fn percent_off_is_rounded_down() {
        assert_eq!(percent_off(dec("3999000"), dec("4500000")), Some(11));
        assert_eq!(percent_off(dec("100"), dec("100")), None);
        assert_eq!(percent_off(dec("100"), dec("90")), None);
    }
}
