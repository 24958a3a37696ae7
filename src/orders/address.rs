//! Iranian shipping addresses: province from the 31 provinces, city, street,
//! a 10-digit postal code and a mobile number (regional.md §3.4–3.5).

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;
use crate::text::{ascii_digits, iranian_mobile_e164};

/// (code, Persian name, English name). Arabic pages show the Persian names,
/// which are the places' own names in Arabic script too.
pub const PROVINCES: [(&str, &str, &str); 31] = [
    ("THR", "تهران", "Tehran"),
    ("ALB", "البرز", "Alborz"),
    ("ESF", "اصفهان", "Isfahan"),
    ("FAR", "فارس", "Fars"),
    ("KHR", "خراسان رضوی", "Razavi Khorasan"),
    ("AZE", "آذربایجان شرقی", "East Azerbaijan"),
    ("AZW", "آذربایجان غربی", "West Azerbaijan"),
    ("ARD", "اردبیل", "Ardabil"),
    ("BSH", "بوشهر", "Bushehr"),
    ("CHB", "چهارمحال و بختیاری", "Chaharmahal and Bakhtiari"),
    ("KHS", "خراسان جنوبی", "South Khorasan"),
    ("KHN", "خراسان شمالی", "North Khorasan"),
    ("KHZ", "خوزستان", "Khuzestan"),
    ("ZAN", "زنجان", "Zanjan"),
    ("SEM", "سمنان", "Semnan"),
    ("SIS", "سیستان و بلوچستان", "Sistan and Baluchestan"),
    ("QAZ", "قزوین", "Qazvin"),
    ("QOM", "قم", "Qom"),
    ("KRD", "کردستان", "Kurdistan"),
    ("KRM", "کرمان", "Kerman"),
    ("KRS", "کرمانشاه", "Kermanshah"),
    ("KBA", "کهگیلویه و بویراحمد", "Kohgiluyeh and Boyer-Ahmad"),
    ("GLS", "گلستان", "Golestan"),
    ("GIL", "گیلان", "Gilan"),
    ("LOR", "لرستان", "Lorestan"),
    ("MAZ", "مازندران", "Mazandaran"),
    ("MRK", "مرکزی", "Markazi"),
    ("HRM", "هرمزگان", "Hormozgan"),
    ("HMD", "همدان", "Hamadan"),
    ("YZD", "یزد", "Yazd"),
    ("ILM", "ایلام", "Ilam"),
];

pub fn province_name(code: &str, lang: Lang) -> Option<&'static str> {
    PROVINCES.iter().find(|p| p.0 == code).map(|p| if lang == Lang::En { p.2 } else { p.1 })
}

/// An address as stored on the order (a snapshot) and in `addresses`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Address {
    pub full_name: String,
    /// E.164, `+989XXXXXXXXX`.
    pub mobile: String,
    /// A code from PROVINCES.
    pub province: String,
    pub city: String,
    pub street: String,
    pub postal_code: String,
}

impl Address {
    /// The mobile number as Iranians write it: `0912 345 6789`.
    pub fn mobile_display(&self) -> String {
        let n = self.mobile.trim_start_matches("+98");
        if n.len() == 10 { format!("0{} {} {}", &n[..3], &n[3..6], &n[6..]) } else { self.mobile.clone() }
    }

    pub fn one_line(&self, lang: Lang) -> String {
        let province = province_name(&self.province, lang).unwrap_or(&self.province);
        format!("{province}، {}، {}", self.city, self.street)
    }
}

/// The fields as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AddressInput {
    #[serde(default)]
    pub full_name: String,
    #[serde(default)]
    pub mobile: String,
    #[serde(default)]
    pub province: String,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub street: String,
    #[serde(default)]
    pub postal_code: String,
    /// Ticked when the shopper confirms a postal code that fails the usual pattern.
    #[serde(default)]
    pub postal_confirm: Option<String>,
}

/// Message ids per field.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct AddressErrors {
    pub full_name: Option<&'static str>,
    pub mobile: Option<&'static str>,
    pub province: Option<&'static str>,
    pub city: Option<&'static str>,
    pub street: Option<&'static str>,
    pub postal_code: Option<&'static str>,
    /// The postal code is 10 digits but not of the usual shape: shown as a
    /// warning the shopper may confirm (regional.md calls this rule lore).
    pub postal_warning: bool,
}

impl AddressErrors {
    pub fn any(&self) -> bool {
        self.full_name.is_some()
            || self.mobile.is_some()
            || self.province.is_some()
            || self.city.is_some()
            || self.street.is_some()
            || self.postal_code.is_some()
            || self.postal_warning
    }
}

/// Digits only, from any script, with dashes and spaces dropped.
pub fn normalize_postal(raw: &str) -> String {
    ascii_digits(raw).chars().filter(|c| !matches!(c, ' ' | '-' | '\u{200c}')).collect()
}

/// The community pattern from regional.md §3.5:
/// `^(?!(\d)\1{3})[13-9]{4}[1346-9][013-9]{5}$`, written out (no regex crate for one check).
pub fn postal_code_looks_valid(code: &str) -> bool {
    let b = code.as_bytes();
    if b.len() != 10 || !b.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let starts_with_run = b[..4].iter().all(|&c| c == b[0]);
    let first = b[..4].iter().all(|&c| c != b'0' && c != b'2');
    let fifth = matches!(b[4], b'1' | b'3' | b'4' | b'6'..=b'9');
    let rest = b[5..].iter().all(|&c| c != b'2');
    !starts_with_run && first && fifth && rest
}

fn text_ok(s: &str, max: usize) -> bool {
    let n = s.chars().count();
    n >= 2 && n <= max
}

pub fn validate(input: &AddressInput) -> Result<Address, AddressErrors> {
    let mut e = AddressErrors::default();
    let full_name = input.full_name.trim().to_owned();
    if !text_ok(&full_name, 120) {
        e.full_name = Some("address-name-required");
    }
    let mobile = iranian_mobile_e164(&input.mobile);
    if mobile.is_none() {
        e.mobile = Some("address-mobile-invalid");
    }
    let province = input.province.trim().to_owned();
    if province_name(&province, Lang::En).is_none() {
        e.province = Some("address-province-required");
    }
    let city = input.city.trim().to_owned();
    if !text_ok(&city, 80) {
        e.city = Some("address-city-required");
    }
    let street = input.street.trim().to_owned();
    if !text_ok(&street, 300) {
        e.street = Some("address-street-required");
    }
    let postal_code = normalize_postal(&input.postal_code);
    if postal_code.len() != 10 || !postal_code.bytes().all(|b| b.is_ascii_digit()) {
        e.postal_code = Some("address-postal-invalid");
    } else if !postal_code_looks_valid(&postal_code) && input.postal_confirm.is_none() {
        e.postal_warning = true;
    }
    if e.any() {
        return Err(e);
    }
    Ok(Address { full_name, mobile: mobile.unwrap_or_default(), province, city, street, postal_code })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postal_code_pattern_vectors() {
        for ok in ["3715813511", "1316936315", "1465765768", "3711111111"] {
            assert!(postal_code_looks_valid(ok), "{ok}");
        }
        for bad in ["1234567890", "1111111111", "5555555555", "9999999999", "1000000000", "123456789"] {
            assert!(!postal_code_looks_valid(bad), "{bad}");
        }
        assert_eq!(normalize_postal("۱۳۱۶۹-۳۶۳۱۵"), "1316936315");
    }

    fn input() -> AddressInput {
        AddressInput {
            full_name: "سارا محمدی".into(),
            mobile: "۰۹۱۲۱۱۱۰۰۰۲".into(),
            province: "THR".into(),
            city: "تهران".into(),
            street: "خیابان ولیعصر، پلاک ۱۲".into(),
            postal_code: "13169-36315".into(),
            postal_confirm: None,
        }
    }

    #[test]
    fn a_good_address_is_normalised() {
        let a = validate(&input()).unwrap();
        assert_eq!(a.mobile, "+989121110002");
        assert_eq!(a.postal_code, "1316936315");
        assert_eq!(a.mobile_display(), "0912 111 0002");
    }

    #[test]
    fn each_bad_field_gets_its_message() {
        let mut i = input();
        i.mobile = "0980".into();
        i.postal_code = "12345".into();
        i.province = "XX".into();
        let e = validate(&i).unwrap_err();
        assert_eq!(e.mobile, Some("address-mobile-invalid"));
        assert_eq!(e.postal_code, Some("address-postal-invalid"));
        assert_eq!(e.province, Some("address-province-required"));
        assert_eq!(e.city, None);
    }

    #[test]
    fn an_unusual_postal_code_needs_a_confirmation() {
        let mut i = input();
        i.postal_code = "1234567890".into();
        assert!(validate(&i).unwrap_err().postal_warning);
        i.postal_confirm = Some("1".into());
        assert!(validate(&i).is_ok());
    }
}
