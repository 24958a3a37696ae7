//! Order arithmetic, in one place and free of I/O: line totals, the discount
//! spread over lines, VAT per line on the discounted amount (as Moodian wants
//! it: `vam = R(adis × vra / 100)`), shipping, and the total. Every amount is
//! rounded by the currency's rule (IRR has no minor unit) at the line, and
//! the order's figures are exact sums of its lines.

use rust_decimal::Decimal;
use uuid::Uuid;

use crate::i18n::format::Currency;

#[derive(Debug, Clone)]
pub struct PriceLine {
    pub product_id: Uuid,
    pub vendor_id: Uuid,
    pub unit_price: Decimal,
    pub quantity: i32,
    /// Percent, e.g. 10.
    pub tax_rate: Decimal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiscountKind {
    Percentage,
    Fixed,
}

#[derive(Debug, Clone, Copy)]
pub struct DiscountRule {
    pub kind: DiscountKind,
    pub value: Decimal,
    pub max_amount: Option<Decimal>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineTotals {
    /// quantity × unit price (Moodian `prdis`).
    pub gross: Decimal,
    /// This line's share of the order discount (`dis`).
    pub discount: Decimal,
    /// gross − discount (`adis`).
    pub net: Decimal,
    /// VAT on net (`vam`).
    pub tax: Decimal,
    /// net + tax (`tsstam`).
    pub total: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Totals {
    pub lines: Vec<LineTotals>,
    pub subtotal: Decimal,
    pub discount: Decimal,
    pub shipping: Decimal,
    pub tax: Decimal,
    pub total: Decimal,
}

/// The discount an order of `subtotal` gets: a percentage (capped) or a fixed
/// amount, never more than the subtotal.
pub fn discount_amount(currency: Currency, rule: &DiscountRule, subtotal: Decimal) -> Decimal {
    let raw = match rule.kind {
        DiscountKind::Percentage => currency.round(subtotal * rule.value / Decimal::ONE_HUNDRED),
        DiscountKind::Fixed => rule.value,
    };
    let capped = rule.max_amount.map_or(raw, |m| raw.min(m));
    currency.round(capped.min(subtotal).max(Decimal::ZERO))
}

pub fn compute(currency: Currency, lines: &[PriceLine], discount: Option<&DiscountRule>, shipping: Decimal) -> Totals {
    let gross: Vec<Decimal> = lines.iter().map(|l| currency.round(l.unit_price * Decimal::from(l.quantity))).collect();
    let subtotal: Decimal = gross.iter().copied().sum();
    let discount_total = discount.map_or(Decimal::ZERO, |d| discount_amount(currency, d, subtotal));
    // Spread the discount in proportion to each line; the last line takes the
    // rounding remainder so the shares add up exactly.
    let mut shares = Vec::with_capacity(lines.len());
    let mut given = Decimal::ZERO;
    for (i, g) in gross.iter().enumerate() {
        let share = if i + 1 == gross.len() {
            discount_total - given
        } else if subtotal.is_zero() {
            Decimal::ZERO
        } else {
            currency.round(discount_total * *g / subtotal)
        };
        given += share;
        shares.push(share);
    }
    let line_totals: Vec<LineTotals> = lines
        .iter()
        .zip(gross.iter().zip(shares))
        .map(|(l, (g, dis))| {
            let net = *g - dis;
            let tax = currency.round(net * l.tax_rate / Decimal::ONE_HUNDRED);
            LineTotals { gross: *g, discount: dis, net, tax, total: net + tax }
        })
        .collect();
    let tax: Decimal = line_totals.iter().map(|l| l.tax).sum();
    let shipping = currency.round(shipping);
    Totals {
        total: subtotal - discount_total + tax + shipping,
        lines: line_totals,
        subtotal,
        discount: discount_total,
        shipping,
        tax,
    }
}

/// The commission a vendor owes on `base` at `rate` percent.
pub fn commission(currency: Currency, base: Decimal, rate: Decimal) -> Decimal {
    currency.round(base * rate / Decimal::ONE_HUNDRED)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().expect("decimal")
    }

    fn line(price: &str, qty: i32, rate: &str) -> PriceLine {
        PriceLine {
            product_id: Uuid::nil(),
            vendor_id: Uuid::nil(),
            unit_price: d(price),
            quantity: qty,
            tax_rate: d(rate),
        }
    }

    #[test]
    fn moodian_worked_example() {
        // regional.md §1.2: am=2, fee=1,250,000, dis=100,000, vra=10.
        let rule = DiscountRule { kind: DiscountKind::Fixed, value: d("100000"), max_amount: None };
        let t = compute(Currency::Irr, &[line("1250000", 2, "10")], Some(&rule), Decimal::ZERO);
        assert_eq!(
            t.lines[0],
            LineTotals {
                gross: d("2500000"),
                discount: d("100000"),
                net: d("2400000"),
                tax: d("240000"),
                total: d("2640000")
            }
        );
        assert_eq!((t.subtotal, t.discount, t.tax, t.total), (d("2500000"), d("100000"), d("240000"), d("2640000")));
    }

    #[test]
    fn rial_vat_is_rounded_to_whole_rials() {
        // 999,999 × 10 % = 99,999.9 → 100,000 (half away from zero, one rule everywhere).
        let t = compute(Currency::Irr, &[line("333333", 3, "10")], None, Decimal::ZERO);
        assert_eq!(t.tax, d("100000"));
        assert_eq!(t.total, d("1099999"));
        // Two-decimal currencies keep their cents.
        let t = compute(Currency::Sar, &[line("10.05", 1, "15")], None, Decimal::ZERO);
        assert_eq!(t.tax, d("1.51"));
    }

    #[test]
    fn discount_shares_add_up_exactly() {
        let rule = DiscountRule { kind: DiscountKind::Percentage, value: d("10"), max_amount: Some(d("500000")) };
        let lines = [line("333333", 1, "10"), line("333333", 1, "10"), line("333334", 1, "10")];
        let t = compute(Currency::Irr, &lines, Some(&rule), d("50000"));
        assert_eq!(t.discount, d("100000"));
        assert_eq!(t.lines.iter().map(|l| l.discount).sum::<Decimal>(), t.discount);
        assert_eq!(t.tax, t.lines.iter().map(|l| l.tax).sum::<Decimal>());
        assert_eq!(t.total, t.subtotal - t.discount + t.tax + t.shipping);
    }

    #[test]
    fn percentage_discount_is_capped_and_never_exceeds_the_subtotal() {
        let pct = DiscountRule { kind: DiscountKind::Percentage, value: d("15"), max_amount: Some(d("1500000")) };
        assert_eq!(discount_amount(Currency::Irr, &pct, d("20000000")), d("1500000"));
        assert_eq!(discount_amount(Currency::Irr, &pct, d("1000000")), d("150000"));
        let fixed = DiscountRule { kind: DiscountKind::Fixed, value: d("200000"), max_amount: None };
        assert_eq!(discount_amount(Currency::Irr, &fixed, d("150000")), d("150000"));
    }

    #[test]
    fn commission_is_the_vendors_rate() {
        assert_eq!(commission(Currency::Irr, d("2400000"), d("8")), d("192000"));
        assert_eq!(commission(Currency::Irr, d("1005"), d("12")), d("121"));
    }
}
