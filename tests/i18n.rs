//! Every message in every language, and every message the code uses exists.

use std::collections::BTreeSet;
use std::path::Path;

fn ids(lang: &str) -> BTreeSet<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales").join(lang);
    let mut out = BTreeSet::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for line in text.lines() {
            if let Some((id, _)) = line.split_once('=')
                && !line.starts_with([' ', '#', '\t'])
                && !id.trim().is_empty()
            {
                out.insert(id.trim().to_owned());
            }
        }
    }
    out
}

/// A message id defined twice (in one file or across a language's files) would shadow the other.
#[test]
fn no_message_is_defined_twice() {
    for lang in ["fa", "ar", "en"] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales").join(lang);
        let mut seen = BTreeSet::new();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            for line in text.lines().filter(|l| !l.starts_with([' ', '#', '\t'])) {
                if let Some((id, _)) = line.split_once('=') {
                    assert!(seen.insert(id.trim().to_owned()), "{lang}: {} is defined twice", id.trim());
                }
            }
        }
    }
}

#[test]
fn every_language_has_every_message() {
    let (fa, ar, en) = (ids("fa"), ids("ar"), ids("en"));
    let all: BTreeSet<_> = fa.union(&ar).chain(en.iter()).cloned().collect();
    for (lang, set) in [("fa", &fa), ("ar", &ar), ("en", &en)] {
        let missing: Vec<_> = all.difference(set).collect();
        assert!(missing.is_empty(), "{lang} is missing {missing:?}");
    }
}

/// Message ids written literally in templates and code (`t("…")`, `t1("…"`, `"error-…"`).
fn used_ids() -> BTreeSet<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["templates", "src"] {
        let mut stack = vec![root.join(dir)];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() { stack.push(p) } else { files.push(p) }
            }
        }
    }
    let mut out = BTreeSet::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for pat in [".t(\"", ".t1(\"", "Forbidden(\"", "BadRequest(\"", "Conflict(\"", "Unprocessable(\"", "t(lang, \""]
        {
            for part in text.split(pat).skip(1) {
                if let Some(id) = part.split('"').next()
                    && !id.is_empty()
                    && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                {
                    out.insert(id.to_owned());
                }
            }
        }
    }
    out
}

#[test]
fn every_message_the_code_uses_exists() {
    let en = ids("en");
    let used = used_ids();
    assert!(used.len() > 50, "found {} ids", used.len());
    let missing: Vec<_> = used.iter().filter(|id| !en.contains(*id)).collect();
    assert!(missing.is_empty(), "used but not defined: {missing:?}");
    for id in [
        "error-not-found",
        "error-bad-request",
        "error-csrf",
        "error-too-large",
        "error-unavailable",
        "error-internal",
        "error-forbidden",
        "error-bad-cursor",
    ] {
        assert!(en.contains(id) && en.contains(&format!("{id}-title")), "{id}");
    }
    for m in 1..=12 {
        assert!(en.contains(&format!("month-{m}")) && en.contains(&format!("jalali-month-{m}")));
    }
}

#[test]
fn dates_read_as_each_language_expects() {
    use bazaar::i18n::{Lang, calendar::long_date, format::Digits};
    let at = time::macros::datetime!(2026-11-23 10:00 UTC);
    assert_eq!(long_date(at, Lang::Fa, Digits::Persian), "۲ آذر ۱۴۰۵");
    assert_eq!(long_date(at, Lang::En, Digits::Latin), "23 November 2026");
    assert_eq!(long_date(at, Lang::Ar, Digits::ArabicIndic), "٢٣ نوفمبر ٢٠٢٦");
}
