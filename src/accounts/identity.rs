//! When two e-mail addresses are one identity. A browser or a keyboard can
//! send the same address in many spellings (fullwidth letters, a zero-width
//! space, composed and decomposed forms): they are normalised to one before
//! anything is looked up or stored. An address that only *looks* like another
//! (a Cyrillic «а» in `admin@…`) is a different string; Unicode's confusable
//! skeletons (UTS #39, the `unicode-security` crate) tell them apart, and
//! registration refuses such a look-alike of an existing account.

use unicode_normalization::UnicodeNormalization as _;

/// The one spelling of an e-mail address: NFKC (fullwidth and compatibility
/// forms to plain letters), invisible and direction characters removed,
/// trimmed, lower-cased.
pub fn normalize_email(input: &str) -> String {
    let folded: String = input.nfkc().filter(|c| !crate::text::is_invisible(*c)).collect();
    folded.trim().to_lowercase()
}

/// The address's confusable skeleton: two addresses with one skeleton look
/// alike on screen. Stored beside each address (`users.email_skeleton`).
pub fn email_skeleton(email: &str) -> String {
    unicode_security::skeleton(email).collect::<String>().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_address_become_one() {
        assert_eq!(normalize_email(" Admin@NextGen.local "), "admin@nextgen.local");
        assert_eq!(normalize_email("ａｄｍｉｎ@nextgen.local"), "admin@nextgen.local", "fullwidth");
        assert_eq!(normalize_email("ad\u{200B}min@next\u{200D}gen.local"), "admin@nextgen.local", "zero-width");
        assert_eq!(normalize_email("admin\u{202E}@nextgen.local"), "admin@nextgen.local", "bidi override");
    }

    #[test]
    fn a_look_alike_has_the_same_skeleton_and_a_different_address_does_not() {
        let latin = "admin@nextgen.local";
        let cyrillic_a = "\u{0430}dmin@nextgen.local";
        assert_ne!(normalize_email(cyrillic_a), latin);
        assert_eq!(email_skeleton(cyrillic_a), email_skeleton(latin));
        assert_eq!(email_skeleton("\u{0430}dm\u{0456}n@nextgen.local"), email_skeleton(latin), "whole-script");
        assert_ne!(email_skeleton("admins@nextgen.local"), email_skeleton(latin));
    }
}
