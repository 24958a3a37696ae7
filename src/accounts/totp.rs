//! Time-based one-time codes (RFC 6238, via `totp-rs`) and recovery codes.
//!
//! The library checks a code within one step either side; remembering the last
//! accepted step (so a code is never accepted twice) is ours to do, in the
//! database (`users.totp_last_step`).

use rand::Rng as _;
use sha2::{Digest as _, Sha256};
use totp_rs::{Algorithm, Builder, Secret, Totp};

/// How many recovery codes a user gets at enrolment.
pub const RECOVERY_CODES: usize = 10;

/// A fresh 160-bit secret, base32 as authenticator apps expect it.
pub fn new_secret() -> String {
    let bytes: [u8; 20] = rand::random();
    Secret::new_stack(bytes).to_base32()
}

fn totp(secret: &str, account: &str, issuer: &str) -> Option<Totp> {
    let secret = Secret::try_from_base32(secret).ok()?;
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(30)
        .with_secret(secret)
        .with_account_name(account)
        .with_issuer(Some(issuer.replace(':', " ")))
        .build()
        .ok()
}

/// The `otpauth://` URL the QR code carries.
pub fn otpauth_url(secret: &str, account: &str, issuer: &str) -> Option<String> {
    totp(secret, account, issuer)?.to_url().ok()
}

/// The time step `code` belongs to, when it is right for `secret` at `unix`
/// (a step either side allowed for clock drift) and newer than `last_step`.
pub fn check(secret: &str, code: &str, unix: u64, last_step: Option<i64>) -> Option<i64> {
    let code: String = crate::text::ascii_digits(code).chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 {
        return None;
    }
    let step = totp(secret, "", "x")?.check(&code, unix)? as i64;
    (last_step.is_none_or(|last| step > last)).then_some(step)
}

/// The code for `secret` at `unix` (tests and the sandbox "authenticator").
pub fn code_at(secret: &str, unix: u64) -> Option<String> {
    Some(totp(secret, "", "x")?.generate(unix).to_string())
}

/// Ten codes like `k7q2m-x9f4t`: 50 random bits each, so a fast hash is enough.
pub fn new_recovery_codes() -> Vec<String> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rng();
    (0..RECOVERY_CODES)
        .map(|_| {
            let mut s: String = (0..10).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect();
            s.insert(5, '-');
            s
        })
        .collect()
}

/// What is stored of a recovery code; input is forgiving of case, spaces and the dash.
pub fn recovery_hash(code: &str) -> String {
    let clean: String = code.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_lowercase()).collect();
    let digest = Sha256::digest(clean.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 6238 appendix B, SHA-1, secret "12345678901234567890", truncated to 6 digits.
    const RFC_SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    #[test]
    fn codes_match_rfc_6238_vectors() {
        assert_eq!(code_at(RFC_SECRET, 59).as_deref(), Some("287082"));
        assert_eq!(code_at(RFC_SECRET, 1_111_111_109).as_deref(), Some("081804"));
        assert_eq!(code_at(RFC_SECRET, 1_234_567_890).as_deref(), Some("005924"));
    }

    #[test]
    fn a_code_is_accepted_once_and_within_one_step() {
        let now = 1_234_567_890;
        let code = code_at(RFC_SECRET, now).unwrap();
        let step = check(RFC_SECRET, &code, now, None).expect("valid now");
        assert_eq!(step, (now / 30) as i64);
        assert_eq!(check(RFC_SECRET, &code, now + 30, None), Some(step), "one step late is fine");
        assert_eq!(check(RFC_SECRET, &code, now + 90, None), None, "three steps late is not");
        assert_eq!(check(RFC_SECRET, &code, now, Some(step)), None, "a used step is refused");
        assert_eq!(check(RFC_SECRET, "۰۰۵۹۲۴", now, None), Some(step), "Persian digits are read");
        assert_eq!(check(RFC_SECRET, "12345", now, None), None);
    }

    #[test]
    fn recovery_codes_are_distinct_and_hash_forgivingly() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), 10);
        assert_eq!(codes.iter().collect::<std::collections::HashSet<_>>().len(), 10);
        let c = &codes[0];
        assert_eq!(recovery_hash(c), recovery_hash(&c.to_uppercase().replace('-', " ")));
        assert_ne!(recovery_hash(c), recovery_hash(&codes[1]));
    }
}
