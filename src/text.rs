//! Search keys for Persian and Arabic text (regional.md §5.1): the indexed
//! text and the query are normalised by this one function so they meet.
//! Hand-written because the rules are a short fixed table and the candidate
//! crates (yekdast, charabia) differ from it in ZWNJ and digit policy.

use unicode_normalization::UnicodeNormalization as _;

const ZWNJ: char = '\u{200C}';

/// Characters that show nothing but can change how text reads or compares:
/// zero-width spaces and joiners, direction marks, overrides and isolates
/// (U+202E turns `gpj.exe` into `exe.jpg` on screen), the word joiner, the BOM.
pub fn is_invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{034F}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// A name as stored: direction overrides, embeddings and isolates removed
/// (they would reorder the text around the name wherever it is shown), kept
/// otherwise. ZWNJ stays: Persian words need it.
pub fn clean_name(input: &str) -> String {
    input
        .chars()
        .filter(|c| !matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
        .collect::<String>()
        .trim()
        .to_owned()
}

/// The search key with ZWNJ as a space (the token form). Used for queries.
pub fn search_key(input: &str) -> String {
    normalize(input, Zwnj::Space)
}

/// What is stored for indexing: the token form, plus the joined form (ZWNJ
/// removed) when the text had a ZWNJ, so `کتاب‌ها`, `کتاب ها` and `کتابها` all match.
pub fn index_key(input: &str) -> String {
    let spaced = normalize(input, Zwnj::Space);
    if input.contains(ZWNJ) {
        let joined = normalize(input, Zwnj::Remove);
        format!("{spaced} {joined}")
    } else {
        spaced
    }
}

#[derive(Clone, Copy)]
enum Zwnj {
    Space,
    Remove,
}

fn normalize(input: &str, zwnj: Zwnj) -> String {
    let mut out = String::with_capacity(input.len());
    let mut last_space = true; // trims leading whitespace
    for c in input.nfkc() {
        let mapped: Option<char> = match c {
            // Step 2: marks that carry no letter.
            '\u{0640}'
            | '\u{064B}'..='\u{0652}'
            | '\u{0670}'
            | '\u{0654}'
            | '\u{0655}'
            | '\u{200D}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{FEFF}'
            | '\u{066C}' => None,
            ZWNJ => match zwnj {
                Zwnj::Space => Some(' '),
                Zwnj::Remove => None,
            },
            // Step 3: Arabic letter forms to the Persian ones.
            '\u{064A}' | '\u{0649}' | '\u{0626}' => Some('\u{06CC}'),
            '\u{0643}' => Some('\u{06A9}'),
            '\u{06C0}' | '\u{0629}' => Some('\u{0647}'),
            '\u{0623}' | '\u{0625}' | '\u{0622}' | '\u{0671}' => Some('\u{0627}'),
            '\u{0624}' => Some('\u{0648}'),
            // Step 4: digits to ASCII.
            '\u{06F0}'..='\u{06F9}' | '\u{0660}'..='\u{0669}' => ascii_digit(c),
            '\u{066B}' => Some('.'),
            '\u{060C}' => Some(','),
            c if c.is_whitespace() || c.is_control() => Some(' '),
            c => Some(c),
        };
        let Some(m) = mapped else { continue };
        if m == ' ' {
            if !last_space {
                out.push(' ');
                last_space = true;
            }
            continue;
        }
        last_space = false;
        // Step 6: Latin lower case (to_lowercase leaves Persian and Arabic letters alone).
        out.extend(m.to_lowercase());
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_key_vectors() {
        // regional.md §5.1 vectors.
        assert_eq!(search_key("علي"), "علی");
        assert_eq!(search_key("تلفن همراه"), "تلفن همراه");
        assert_eq!(search_key(""), "");
        assert_eq!(search_key("٠١٢٣٤٥٦٧٨٩"), "0123456789");
        assert_eq!(search_key("89١٢٣4٥"), "8912345");
        assert_eq!(search_key("۸۹123۴۵"), "8912345");
        assert_eq!(search_key("0123۴۵۶789"), "0123456789");
        assert_eq!(search_key("حَذفِ اِعراب"), "حذف اعراب");
        assert_eq!(search_key("ســلام"), "سلام");
        assert_eq!(search_key("كتاب علي ٤٥ ۴۵"), "کتاب علی 45 45");
        assert_eq!(search_key("کتاب\u{200C}ها"), "کتاب ها");
        assert_eq!(index_key("کتاب\u{200C}ها"), "کتاب ها کتابها");
        // Presentation forms fold through NFKC (U+FEDB..: kaf forms; U+FEF3: yeh initial).
        assert_eq!(search_key("\u{FEEB}\u{FEE0}\u{FE8E}"), search_key("هلا"));
        assert_eq!(search_key("Galaxy  S۲۴ "), "galaxy s24");
        assert_eq!(search_key("\u{200F}كتاب\u{200E}"), "کتاب");
        assert_eq!(search_key("مدرسة"), "مدرسه");
        assert_eq!(search_key("أحمد إمام آب"), "احمد امام اب");
    }
}

/// Persian and Arabic-Indic digits to ASCII, other characters unchanged (for typed numbers).
pub fn ascii_digits(input: &str) -> String {
    input.chars().map(|c| ascii_digit(c).unwrap_or(c)).collect()
}

/// A Persian (U+06F0..) or Arabic-Indic (U+0660..) digit as ASCII.
fn ascii_digit(c: char) -> Option<char> {
    let zero = match c {
        '\u{06F0}'..='\u{06F9}' => 0x06F0,
        '\u{0660}'..='\u{0669}' => 0x0660,
        _ => return None,
    };
    char::from_u32(c as u32 - zero + '0' as u32)
}

/// Operator prefixes (9xx) in use (regional.md §3.4); data, as operators get new ranges.
const MOBILE_PREFIXES: &[u16] = &[
    900, 901, 902, 903, 904, 905, 910, 911, 912, 913, 914, 915, 916, 917, 918, 919, 920, 921, 922, 923, 930, 932, 933,
    935, 936, 937, 938, 939, 941, 990, 991, 992, 993, 994, 995, 996, 998, 999,
];

/// An Iranian mobile number as typed (09…, +989…, 00989…, 989…, 9…) in E.164 (`+989XXXXXXXXX`),
/// or None when it is not one (regional.md §3.4).
pub fn iranian_mobile_e164(input: &str) -> Option<String> {
    let digits: String = ascii_digits(input.trim()).chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    let national = digits
        .strip_prefix("+98")
        .or_else(|| digits.strip_prefix("0098"))
        .or_else(|| digits.strip_prefix("98").filter(|r| r.len() == 10))
        .or_else(|| digits.strip_prefix('0').filter(|r| r.len() == 10))
        .unwrap_or(&digits);
    let ok = national.len() == 10
        && national.bytes().all(|b| b.is_ascii_digit())
        && national[..3].parse::<u16>().is_ok_and(|p| MOBILE_PREFIXES.contains(&p));
    ok.then(|| format!("+98{national}"))
}

#[cfg(test)]
mod mobile_tests {
    use super::iranian_mobile_e164 as m;

    #[test]
    fn mobile_vectors() {
        for ok in [
            "09022002580",
            "09122002580",
            "09322002580",
            "09192002580",
            "09002002580",
            "+989022002580",
            "989022002580",
            "00989022002580",
            "9022002580",
            "۰۹۱۲۲۰۰۲۵۸۰",
        ] {
            assert!(m(ok).is_some(), "{ok}");
        }
        assert_eq!(m("+989373708555").as_deref(), Some("+989373708555"));
        assert_eq!(m("09373708555").as_deref(), Some("+989373708555"));
        assert_eq!(m("00989022002580").as_deref(), Some("+989022002580"));
        for bad in ["09802002580", "0", "+98", "99999999999", "   99999999     ", "000989022002580", ""] {
            assert_eq!(m(bad), None, "{bad}");
        }
    }
}

/// A number as people type it: Persian or Arabic-Indic digits, thousands
/// separators (`,` `٬` `،`, spaces, `_`), `.` or `٫` for the decimal point and
/// a leading `-` or `−`. None when anything else is left. Every form that
/// takes a number reads it through here; each form then checks its own range.
pub fn parse_number(input: &str) -> Option<rust_decimal::Decimal> {
    let cleaned: String = ascii_digits(input.trim())
        .chars()
        .filter(|c| !matches!(c, ',' | '٬' | '،' | '_') && !c.is_whitespace())
        .map(|c| match c {
            '٫' => '.',
            '−' => '-',
            c => c,
        })
        .collect();
    if cleaned.is_empty() || cleaned.len() > 40 {
        return None;
    }
    cleaned.parse().ok()
}

/// A whole number as people type it (see [`parse_number`]) that fits an i32.
pub fn parse_int(input: &str) -> Option<i32> {
    use rust_decimal::prelude::ToPrimitive as _;
    parse_number(input).filter(|d| d.fract().is_zero()).and_then(|d| d.to_i32())
}

/// A typed text field: trimmed, None when empty.
pub fn non_empty(input: &str) -> Option<String> {
    let s = input.trim();
    (!s.is_empty()).then(|| s.to_owned())
}

#[cfg(test)]
mod number_tests {
    use rust_decimal::Decimal;

    use super::{parse_int, parse_number};

    #[test]
    fn numbers_in_every_script_and_with_separators() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(parse_number("۱۲۳٬۴۵۶"), Some(d("123456")));
        assert_eq!(parse_number("١٢٣،٤٥٦٫٥"), Some(d("123456.5")));
        assert_eq!(parse_number(" 1,250,000 "), Some(d("1250000")));
        assert_eq!(parse_number("−۵"), Some(d("-5")));
        assert_eq!(parse_number("9.5"), Some(d("9.5")));
        for bad in ["", " ", "12a", "1.2.3", "--1", &"9".repeat(50)] {
            assert_eq!(parse_number(bad), None, "{bad}");
        }
        assert_eq!(parse_int("۱۲"), Some(12));
        assert_eq!(parse_int("-3"), Some(-3));
        assert_eq!(parse_int("1.5"), None);
        assert_eq!(parse_int("99999999999"), None);
    }
}
