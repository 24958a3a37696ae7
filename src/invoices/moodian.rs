//! The Moodian invoice JSON (regional.md §1.2): `{header, body, payments}`
//! with the authority's short field names, amounts in whole Rials, and the
//! header equal to the sums of its lines. `check` states those invariants; the
//! sandbox responder uses it to accept or reject what we send.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde_json::{Value, json};
use time::OffsetDateTime;

/// Unit code for "piece" (عدد) and for a service counted once.
pub const UNIT_PIECE: &str = "1627";

pub struct Line<'a> {
    /// The 13-digit goods/service id from the tax organisation's catalogue.
    pub sstid: &'a str,
    pub description: &'a str,
    pub quantity: i64,
    pub fee: Decimal,
    pub discount: Decimal,
    pub vat_rate: Decimal,
    pub vat: Decimal,
}

pub struct Header<'a> {
    pub taxid: &'a str,
    pub issued_at: OffsetDateTime,
    /// The internal serial as the taxid carries it (10 hex digits).
    pub inno: &'a str,
    pub seller_economic_code: &'a str,
    pub buyer_national_id: Option<&'a str>,
    pub buyer_postal_code: Option<&'a str>,
}

pub struct Payment<'a> {
    /// 5 = internet gateway (IPG), 8 = other (wallet).
    pub method: u8,
    pub amount: Decimal,
    pub at: OffsetDateTime,
    pub trace: Option<&'a str>,
}

fn rial(d: Decimal) -> Value {
    match d.to_i64() {
        Some(i) if d.fract().is_zero() => json!(i),
        _ => json!(d.to_string().parse::<f64>().unwrap_or_default()),
    }
}

fn millis(at: OffsetDateTime) -> i64 {
    (at.unix_timestamp_nanos() / 1_000_000) as i64
}

pub fn build(h: &Header, lines: &[Line], payments: &[Payment]) -> Value {
    let mut body = Vec::with_capacity(lines.len());
    let (mut tprdis, mut tdis, mut tadis, mut tvam) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    for l in lines {
        let prdis = l.fee * Decimal::from(l.quantity);
        let adis = prdis - l.discount;
        tprdis += prdis;
        tdis += l.discount;
        tadis += adis;
        tvam += l.vat;
        body.push(json!({
            "sstid": l.sstid,
            "sstt": l.description,
            "mu": UNIT_PIECE,
            "am": l.quantity,
            "fee": rial(l.fee),
            "prdis": rial(prdis),
            "dis": rial(l.discount),
            "adis": rial(adis),
            "vra": rial(l.vat_rate),
            "vam": rial(l.vat),
            "odam": 0,
            "olam": 0,
            "tsstam": rial(adis + l.vat),
        }));
    }
    let tbill = tadis + tvam;
    let mut header = json!({
        "taxid": h.taxid,
        "indatim": millis(h.issued_at),
        "indati2m": millis(h.issued_at),
        // Type 2: the buyer need not be fully identified (retail sale).
        "inty": 2,
        "inno": h.inno,
        "inp": 1,
        "ins": 1,
        "tins": h.seller_economic_code,
        "tob": 1,
        "tprdis": rial(tprdis),
        "tdis": rial(tdis),
        "tadis": rial(tadis),
        "tvam": rial(tvam),
        "todam": 0,
        "tbill": rial(tbill),
        "setm": 1,
        "cap": rial(tbill),
        "insp": 0,
    });
    if let Some(b) = h.buyer_national_id {
        header["bid"] = json!(b);
    }
    if let Some(p) = h.buyer_postal_code {
        header["bpc"] = json!(p);
    }
    let payments: Vec<Value> = payments
        .iter()
        .map(|p| {
            let mut v = json!({"pmt": p.method, "pv": rial(p.amount), "pdt": millis(p.at)});
            if let Some(t) = p.trace {
                v["trn"] = json!(t);
            }
            v
        })
        .collect();
    json!({"header": header, "body": body, "payments": payments})
}

fn num(v: &Value, key: &str) -> Option<Decimal> {
    match v.get(key)? {
        Value::Number(n) => n.to_string().parse().ok(),
        _ => None,
    }
}

/// The invariants of §1.2: each line consistent, the header the sum of its
/// lines, and a taxid with a valid check digit. Returns the errors found.
pub fn check(invoice: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    let Some(header) = invoice.get("header") else { return vec!["no header".into()] };
    let Some(body) = invoice.get("body").and_then(Value::as_array) else { return vec!["no body".into()] };
    let taxid = header.get("taxid").and_then(Value::as_str).unwrap_or_default();
    if taxid.len() != 22 || !taxid_check_ok(taxid) {
        errors.push(format!("taxid {taxid} is not valid"));
    }
    let mut sums = [Decimal::ZERO; 4];
    for (i, line) in body.iter().enumerate() {
        let get = |k| num(line, k).unwrap_or(Decimal::MIN);
        let (am, fee, prdis, dis, adis, vra, vam, tsstam) =
            (get("am"), get("fee"), get("prdis"), get("dis"), get("adis"), get("vra"), get("vam"), get("tsstam"));
        if prdis != am * fee {
            errors.push(format!("line {i}: prdis != am*fee"));
        }
        if adis != prdis - dis {
            errors.push(format!("line {i}: adis != prdis-dis"));
        }
        // The rounding rule is unconfirmed (regional.md): accept floor or half-up.
        let exact = adis * vra / Decimal::ONE_HUNDRED;
        if vam != exact.floor() && vam != exact.round() {
            errors.push(format!("line {i}: vam is not adis*vra/100"));
        }
        if tsstam != adis + vam {
            errors.push(format!("line {i}: tsstam != adis+vam"));
        }
        for (s, v) in sums.iter_mut().zip([prdis, dis, adis, vam]) {
            *s += v;
        }
    }
    for (key, sum) in ["tprdis", "tdis", "tadis", "tvam"].iter().zip(sums) {
        if num(header, key) != Some(sum) {
            errors.push(format!("header {key} is not the sum of its lines"));
        }
    }
    if num(header, "tbill") != Some(sums[2] + sums[3]) {
        errors.push("header tbill != tadis+tvam+todam".into());
    }
    errors
}

/// Recomputes the check digit of a taxid from its parts (§1.1).
fn taxid_check_ok(taxid: &str) -> bool {
    let (Some(memory), Some(day), Some(serial), Some(check)) =
        (taxid.get(..6), taxid.get(6..11), taxid.get(11..21), taxid.get(21..))
    else {
        return false;
    };
    let (Ok(day), Ok(serial)) = (i64::from_str_radix(day, 16), i64::from_str_radix(serial, 16)) else { return false };
    let mut s: String =
        memory.bytes().map(|b| if b.is_ascii_digit() { (b as char).to_string() } else { b.to_string() }).collect();
    s.push_str(&format!("{day:06}{serial:012}{check}"));
    super::taxid::verhoeff_valid(&s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn worked_example_builds_consistent_json() {
        let at = datetime!(2024-03-20 00:00 UTC);
        let taxid = super::super::taxid::tax_id("A11T1F", at, 1).unwrap();
        let h = Header {
            taxid: &taxid,
            issued_at: at,
            inno: "0000000001",
            seller_economic_code: "10101234567",
            buyer_national_id: None,
            buyer_postal_code: Some("1316936315"),
        };
        let lines = [Line {
            sstid: "2720000114542",
            description: "x",
            quantity: 2,
            fee: d("1250000"),
            discount: d("100000"),
            vat_rate: d("10"),
            vat: d("240000"),
        }];
        let v = build(&h, &lines, &[Payment { method: 5, amount: d("2640000"), at, trace: Some("12345") }]);
        assert_eq!(v["header"]["tbill"], json!(2_640_000));
        assert_eq!(v["header"]["tvam"], json!(240_000));
        assert_eq!(v["body"][0]["tsstam"], json!(2_640_000));
        assert_eq!(v["header"]["indatim"], json!(1_710_892_800_000i64));
        assert!(check(&v).is_empty(), "{:?}", check(&v));
        let mut broken = v.clone();
        broken["header"]["tvam"] = json!(1);
        broken["header"]["taxid"] = json!("A11T1F04D5A00000000016");
        let errors = check(&broken);
        assert_eq!(errors.len(), 2, "{errors:?}");
    }
}
