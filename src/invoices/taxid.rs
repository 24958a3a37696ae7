//! The 22-character Moodian tax id (regional.md §1.1): memory id (6) + hex
//! day number (5) + hex serial (10) + a Verhoeff check digit over the decimal
//! form. Written here: it is a few lines of arithmetic, and no crate does it.

use time::OffsetDateTime;

const D: [[u8; 10]; 10] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
    [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
    [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const P: [[u8; 10]; 8] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
    [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
    [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];
const INV: [u8; 10] = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9];

fn digits(s: &str) -> Option<Vec<u8>> {
    s.bytes().map(|b| b.is_ascii_digit().then(|| b - b'0')).collect()
}

/// The Verhoeff check digit of a decimal string.
pub fn verhoeff_digit(number: &str) -> Option<u8> {
    let ds = digits(number)?;
    let mut c = 0u8;
    for (i, d) in ds.iter().rev().enumerate() {
        c = D[c as usize][P[(i + 1) % 8][*d as usize] as usize];
    }
    Some(INV[c as usize])
}

/// True when a decimal string ends with its correct Verhoeff check digit.
pub fn verhoeff_valid(number: &str) -> bool {
    let Some(ds) = digits(number) else { return false };
    let mut c = 0u8;
    for (i, d) in ds.iter().rev().enumerate() {
        c = D[c as usize][P[i % 8][*d as usize] as usize];
    }
    !ds.is_empty() && c == 0
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TaxIdError {
    #[error("the memory id must be 6 letters A–Z or digits")]
    MemoryId,
    #[error("the serial must be between 1 and 999,999,999,999")]
    Serial,
    #[error("the instant is before 1970")]
    Date,
}

/// Days since 1970-01-01 in **UTC**: an invoice issued between 00:00 and 03:30
/// Tehran time belongs to the previous day here.
pub fn utc_day(at: OffsetDateTime) -> Result<i64, TaxIdError> {
    let secs = at.unix_timestamp();
    if secs < 0 { Err(TaxIdError::Date) } else { Ok(secs / 86_400) }
}

pub fn tax_id(memory_id: &str, at: OffsetDateTime, serial: i64) -> Result<String, TaxIdError> {
    let memory_id = memory_id.to_ascii_uppercase();
    if memory_id.len() != 6 || !memory_id.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()) {
        return Err(TaxIdError::MemoryId);
    }
    if !(1..=999_999_999_999).contains(&serial) {
        return Err(TaxIdError::Serial);
    }
    let day = utc_day(at)?;
    let mut check_input: String =
        memory_id.bytes().map(|b| if b.is_ascii_digit() { (b as char).to_string() } else { b.to_string() }).collect();
    check_input.push_str(&format!("{day:06}{serial:012}"));
    let check = verhoeff_digit(&check_input).ok_or(TaxIdError::MemoryId)?;
    Ok(format!("{memory_id}{day:05X}{serial:010X}{check}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn sourced_taxid_vectors() {
        assert_eq!(tax_id("DEF5GH", datetime!(2020-07-20 01:00:10 UTC), 12).unwrap(), "DEF5GH0481F000000000C2");
        assert_eq!(tax_id("DEF5GH", datetime!(2020-07-20 08:30:30 UTC), 8173).unwrap(), "DEF5GH0481F0000001FED8");
        assert_eq!(
            tax_id("DEF5GH", datetime!(2020-07-20 23:11:12 UTC), 2_572_613_409).unwrap(),
            "DEF5GH0481F009956F7211"
        );
    }

    #[test]
    fn self_computed_taxid_vectors() {
        assert_eq!(tax_id("A11T1F", datetime!(2024-03-20 00:00 UTC), 1).unwrap(), "A11T1F04D5A00000000015");
        assert_eq!(tax_id("A3NFZT", datetime!(2025-03-21 00:00 UTC), 123_456_789).unwrap(), "A3NFZT04EC800075BCD153");
        assert_eq!(tax_id("TESTID", datetime!(2024-01-01 00:00 UTC), 1).unwrap(), "TESTID04D0B00000000019");
    }

    #[test]
    fn tehran_midnight_is_the_previous_utc_day() {
        // 01:00:10 in Tehran on 20 July 2020 is still 19 July in UTC.
        let tehran = datetime!(2020-07-20 01:00:10 +03:30);
        assert_eq!(tax_id("DEF5GH", tehran, 12).unwrap(), "DEF5GH0481E000000000C0");
    }

    #[test]
    fn verhoeff_vectors() {
        assert_eq!(verhoeff_digit("68697057172018463000000000012"), Some(2));
        assert_eq!(verhoeff_digit("68697057172018463000000008173"), Some(8));
        assert_eq!(verhoeff_digit("68697057172018463002572613409"), Some(1));
        assert!(verhoeff_valid("686970571720184630000000000122"));
        assert!(!verhoeff_valid("686970571720184630000000081737"));
        assert!(!verhoeff_valid("686970571720184630025726134092"));
    }

    #[test]
    fn bad_inputs_are_refused() {
        let at = datetime!(2024-01-01 00:00 UTC);
        assert_eq!(tax_id("ABC", at, 1), Err(TaxIdError::MemoryId));
        assert_eq!(tax_id("ABC-12", at, 1), Err(TaxIdError::MemoryId));
        assert_eq!(tax_id("ABC123", at, 0), Err(TaxIdError::Serial));
        assert_eq!(tax_id("ABC123", at, 1_000_000_000_000), Err(TaxIdError::Serial));
    }
}
