//! Languages: the three we serve, Fluent lookups, and display of numbers, money and dates.

pub mod calendar;
pub mod format;

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{Loader as _, static_loader};
use unic_langid::{LanguageIdentifier, langid};

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // Keep Fluent's isolation marks: they keep LTR names readable inside RTL text.
        customise: |bundle| bundle.set_use_isolating(true),
    };
}

static FA: LanguageIdentifier = langid!("fa");
static AR: LanguageIdentifier = langid!("ar");
static EN: LanguageIdentifier = langid!("en");

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Fa,
    Ar,
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Fa, Lang::Ar, Lang::En];

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "fa" => Some(Lang::Fa),
            "ar" => Some(Lang::Ar),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Fa => "fa",
            Lang::Ar => "ar",
            Lang::En => "en",
        }
    }

    pub fn is_rtl(self) -> bool {
        matches!(self, Lang::Fa | Lang::Ar)
    }

    pub fn dir(self) -> &'static str {
        if self.is_rtl() { "rtl" } else { "ltr" }
    }

    /// The language's own name, for the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Fa => "فارسی",
            Lang::Ar => "العربية",
            Lang::En => "English",
        }
    }

    fn langid(self) -> &'static LanguageIdentifier {
        match self {
            Lang::Fa => &FA,
            Lang::Ar => &AR,
            Lang::En => &EN,
        }
    }

    /// Order to try catalogue translations in when one is missing.
    pub fn content_fallback(self) -> [Lang; 3] {
        match self {
            Lang::Fa => [Lang::Fa, Lang::En, Lang::Ar],
            Lang::Ar => [Lang::Ar, Lang::En, Lang::Fa],
            Lang::En => [Lang::En, Lang::Fa, Lang::Ar],
        }
    }

    /// Picks the first present translation of a catalogue field in fallback order.
    pub fn pick<'a>(self, en: Option<&'a str>, fa: Option<&'a str>, ar: Option<&'a str>) -> &'a str {
        self.content_fallback()
            .into_iter()
            .find_map(|l| {
                match l {
                    Lang::En => en,
                    Lang::Fa => fa,
                    Lang::Ar => ar,
                }
                .filter(|s| !s.trim().is_empty())
            })
            .unwrap_or("")
    }

    /// Best language from an Accept-Language header (q-values honoured), if any is ours.
    pub fn from_accept_language(header: &str) -> Option<Self> {
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',') {
            let mut bits = part.trim().split(';');
            let tag = bits.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = bits.find_map(|b| b.trim().strip_prefix("q=").and_then(|v| v.parse::<f32>().ok())).unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or("");
            if let Some(lang) = Lang::from_code(primary)
                && q > 0.0
                && best.is_none_or(|(bq, _)| q > bq)
            {
                best = Some((q, lang));
            }
        }
        best.map(|(_, l)| l)
    }
}

/// Looks up a UI message. A missing message shows its id (and a test fails on it).
pub fn t(lang: Lang, key: &str) -> String {
    LOCALES.try_lookup(lang.langid(), key).unwrap_or_else(|| {
        tracing::warn!(key, lang = lang.code(), "missing message");
        key.to_owned()
    })
}

/// Looks up a message with string arguments. Numbers are passed already
/// formatted, so the page's digit setting applies (Fluent would print Latin digits).
pub fn t_args(lang: Lang, key: &str, args: &[(&str, String)]) -> String {
    let map: HashMap<Cow<'static, str>, FluentValue<'_>> = args
        .iter()
        .map(|(k, v)| (Cow::Owned((*k).to_owned()), FluentValue::String(Cow::Borrowed(v.as_str()))))
        .collect();
    LOCALES.try_lookup_with_args(lang.langid(), key, &map).unwrap_or_else(|| {
        tracing::warn!(key, lang = lang.code(), "missing message");
        key.to_owned()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_prefers_highest_q() {
        assert_eq!(Lang::from_accept_language("en-US,en;q=0.9,fa;q=0.8"), Some(Lang::En));
        assert_eq!(Lang::from_accept_language("de-DE, ar;q=0.5, fa;q=0.7"), Some(Lang::Fa));
        assert_eq!(Lang::from_accept_language("de, fr"), None);
        assert_eq!(Lang::from_accept_language("ar-SA"), Some(Lang::Ar));
    }

    #[test]
    fn content_falls_back_in_order() {
        assert_eq!(Lang::Fa.pick(Some("Book"), None, Some("كتاب")), "Book");
        assert_eq!(Lang::En.pick(None, Some("کتاب"), Some("كتاب")), "کتاب");
        assert_eq!(Lang::Ar.pick(Some("Book"), Some("کتاب"), Some(" ")), "Book");
    }
}
