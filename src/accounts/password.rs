//! argon2id password hashing, run off the async threads (a hash costs ~50 ms of CPU).

use argon2::{Argon2, PasswordHasher as _, PasswordVerifier as _};

/// A valid hash of a random password, verified against when the e-mail has no
/// account, so a miss costs the same time as a wrong password.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$ZTnUAA1Tt1N5mRZAd8m2HVx0mmMSwSO+WR7Id8z+dJs";

/// Why a new password is refused (a message id), if it is.
pub fn refusal(password: &str, production: bool) -> Option<&'static str> {
    let len = password.chars().count();
    if !(8..=128).contains(&len) {
        return Some("register-password-length");
    }
    if production && is_demo_password(password) {
        return Some("password-demo");
    }
    None
}

/// One of the demo accounts' passwords, which are public (README): a live
/// shop takes none of them, at sign-in or when a password is set.
pub fn is_demo_password(password: &str) -> bool {
    demo_passwords().iter().any(|p| p == password)
}

pub fn hash(password: &str) -> anyhow::Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))
}

pub async fn hash_async(password: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || hash(&password)).await?
}

pub fn verify(password: &str, hash: &str) -> bool {
    Argon2::default().verify_password(password.as_bytes(), hash).is_ok()
}

/// Verifies on a blocking thread; `None` as the hash checks against a dummy and fails.
pub async fn verify_async(password: String, hash: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || {
        let ok = verify(&password, hash.as_deref().unwrap_or(DUMMY_HASH));
        ok && hash.is_some()
    })
    .await
    .unwrap_or(false)
}

/// The demo accounts' passwords (printed in the README): production accepts
/// none of them, for any account.
pub fn demo_passwords() -> &'static [String] {
    static PASSWORDS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    PASSWORDS.get_or_init(|| {
        #[derive(serde::Deserialize)]
        struct Users {
            users: Vec<PasswordOnly>,
        }
        #[derive(serde::Deserialize)]
        struct PasswordOnly {
            password: String,
        }
        serde_json::from_str::<Users>(include_str!("../../seeds/nextgen.json"))
            .map(|d| d.users.into_iter().map(|u| u.password).collect())
            .unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_and_verify() {
        let h = hash("Customer123!").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("Customer123!", &h));
        assert!(!verify("customer123!", &h));
        assert!(!verify("x", DUMMY_HASH));
    }
}
