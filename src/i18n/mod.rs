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
    if let Some(found) = memo::get(lang, key) {
        return found.to_string();
    }
    match LOCALES.try_lookup(lang.langid(), key) {
        Some(text) => memo::put(lang, key, text).to_string(),
        None => {
            tracing::warn!(key, lang = lang.code(), "missing message");
            key.to_owned()
        }
    }
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

/// [`t_args`] with one argument, for a message printed many times a page (the
/// price on every card) whose text does not choose a variant by the argument's
/// value: the message is resolved once, around a placeholder, and kept as the
/// text before and after the argument.
pub fn t_around(lang: Lang, key: &str, name: &str, value: &str) -> String {
    let affixes = memo::around(lang, key, || {
        let text = t_args(lang, key, &[(name, memo::PLACEHOLDER.to_owned())]);
        text.split_once(memo::PLACEHOLDER)
            .filter(|(_, after)| !after.contains(memo::PLACEHOLDER))
            .map(|(before, after)| (before.into(), after.into()))
    });
    match affixes {
        Some((before, after)) => {
            let mut out = String::with_capacity(before.len() + value.len() + after.len());
            out.push_str(&before);
            out.push_str(value);
            out.push_str(&after);
            out
        }
        None => t_args(lang, key, &[(name, value.to_owned())]),
    }
}

/// Resolved messages, kept for the life of the process. Fluent resolves every
/// lookup anew (a language negotiation, a lookup per bundle, the pattern
/// written out), and a listing page prints over a hundred messages; that was a
/// tenth of the server's time on a category page. Keys come from the code,
/// never from a request, so the maps stay as small as the `.ftl` files.
mod memo {
    use std::collections::HashMap;
    use std::sync::{Arc, LazyLock, RwLock};

    use super::Lang;

    /// A private-use character no message or argument contains.
    pub const PLACEHOLDER: &str = "\u{F8FF}";

    type Around = Option<(Arc<str>, Arc<str>)>;

    struct Memo {
        plain: RwLock<HashMap<Box<str>, Arc<str>>>,
        around: RwLock<HashMap<Box<str>, Around>>,
    }

    static MEMO: LazyLock<[Memo; 3]> =
        LazyLock::new(|| std::array::from_fn(|_| Memo { plain: RwLock::default(), around: RwLock::default() }));

    fn of(lang: Lang) -> &'static Memo {
        &MEMO[lang as usize]
    }

    pub fn get(lang: Lang, key: &str) -> Option<Arc<str>> {
        of(lang).plain.read().unwrap_or_else(|e| e.into_inner()).get(key).cloned()
    }

    pub fn put(lang: Lang, key: &str, text: String) -> Arc<str> {
        let text: Arc<str> = text.into();
        of(lang).plain.write().unwrap_or_else(|e| e.into_inner()).insert(key.into(), text.clone());
        text
    }

    /// The message's text around its argument, resolved by `resolve` on first use.
    pub fn around(lang: Lang, key: &str, resolve: impl FnOnce() -> Around) -> Around {
        if let Some(found) = of(lang).around.read().unwrap_or_else(|e| e.into_inner()).get(key) {
            return found.clone();
        }
        let resolved = resolve();
        of(lang).around.write().unwrap_or_else(|e| e.into_inner()).insert(key.into(), resolved.clone());
        resolved
    }
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
    fn a_message_resolved_around_its_argument_reads_as_fluent_writes_it() {
        for lang in Lang::ALL {
            for key in ["unit-toman", "unit-rial", "unit-sar", "unit-aed", "unit-usd", "percent-off"] {
                let name = if key == "percent-off" { "pct" } else { "amount" };
                for value in ["۳۹۹٬۹۰۰", "1,234.50", "11"] {
                    let direct = t_args(lang, key, &[(name, value.to_owned())]);
                    assert!(direct.contains(value), "{key} in {lang:?} prints its argument");
                    // Twice: the first call resolves the message, the second reads it back.
                    assert_eq!(t_around(lang, key, name, value), direct, "{key} in {lang:?}");
                    assert_eq!(t_around(lang, key, name, value), direct, "{key} in {lang:?}, kept");
                }
            }
            let fluent = LOCALES.try_lookup(lang.langid(), "cart-add").expect("cart-add exists");
            assert_eq!(t(lang, "cart-add"), fluent);
            assert_eq!(t(lang, "cart-add"), fluent, "kept");
        }
        assert_eq!(t_around(Lang::En, "no-such-message", "amount", "5"), "no-such-message");
    }

    #[test]
    fn content_falls_back_in_order() {
        assert_eq!(Lang::Fa.pick(Some("Book"), None, Some("كتاب")), "Book");
        assert_eq!(Lang::En.pick(None, Some("کتاب"), Some("كتاب")), "کتاب");
        assert_eq!(Lang::Ar.pick(Some("Book"), Some("کتاب"), Some(" ")), "Book");
    }
}
