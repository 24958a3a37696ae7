//! Secrets kept in the database are encrypted with a key that is not: TOTP
//! secrets today. AES-256-GCM, a fresh 96-bit nonce per value, and the user's
//! id as associated data (a ciphertext copied onto another account does not
//! open). A stored value reads `v1:<key id>:<nonce>:<ciphertext>` (base64url),
//! where the key id is the first 8 hex digits of the key's SHA-256, so old
//! keys can be kept for reading while a new one writes.
//!
//! Keys come from the environment: `BAZAAR_SECRET_KEY` (32 random bytes in
//! base64, the key that writes) and `BAZAAR_OLD_SECRET_KEYS` (comma-separated,
//! only read). To rotate: put the current key into `BAZAAR_OLD_SECRET_KEYS`,
//! a new one into `BAZAAR_SECRET_KEY`, restart, and run `bazaar secrets
//! rotate` (it rewrites every value with the new key; `serve` does the same at
//! start); then drop the old key. In development, without a key, one is made
//! and kept in the data folder (`secret.key`, readable by its owner only).

use std::sync::Arc;

use aes_gcm::aead::{Aead, Payload};
use aes_gcm::{Aes256Gcm, KeyInit};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use sha2::{Digest, Sha256};

const PREFIX: &str = "v1";

#[derive(Clone)]
struct Key {
    id: String,
    cipher: Aes256Gcm,
}

impl Key {
    fn new(bytes: &[u8]) -> anyhow::Result<Self> {
        anyhow::ensure!(bytes.len() == 32, "a secret key must be 32 bytes (base64 of 32 random bytes)");
        let id = Sha256::digest(bytes).iter().take(4).map(|b| format!("{b:02x}")).collect();
        Ok(Self { id, cipher: Aes256Gcm::new_from_slice(bytes).map_err(|e| anyhow::anyhow!("{e}"))? })
    }
}

/// The keys secrets are sealed and opened with.
#[derive(Clone)]
pub struct SecretBox {
    current: Arc<Key>,
    old: Arc<[Key]>,
}

impl std::fmt::Debug for SecretBox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SecretBox(key {}, {} old)", self.current.id, self.old.len())
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum OpenError {
    #[error("sealed with a key we do not have (key id {0})")]
    UnknownKey(String),
    #[error("the sealed value is damaged or belongs to another record")]
    Damaged,
}

impl SecretBox {
    /// From base64 keys: the current one and any old ones.
    pub fn from_base64(current: &str, old: &[&str]) -> anyhow::Result<Self> {
        let decode = |k: &str| STANDARD.decode(k.trim()).map_err(|_| anyhow::anyhow!("a secret key must be base64"));
        let current = Key::new(&decode(current)?)?;
        let old = old
            .iter()
            .filter(|k| !k.trim().is_empty())
            .map(|k| Key::new(&decode(k)?))
            .collect::<anyhow::Result<Vec<_>>>()?;
        Ok(Self { current: Arc::new(current), old: old.into() })
    }

    /// A box with a key made now (development processes and tests).
    pub fn random() -> Self {
        let bytes: [u8; 32] = rand::random();
        Self { current: Arc::new(Key::new(&bytes).expect("32 bytes")), old: Arc::new([]) }
    }

    /// A new random key, in base64, for `BAZAAR_SECRET_KEY`.
    pub fn new_key_base64() -> String {
        STANDARD.encode(rand::random::<[u8; 32]>())
    }

    /// The key a development data folder keeps (made on first use).
    pub fn from_file(path: &std::path::Path) -> anyhow::Result<Self> {
        if !path.exists() {
            std::fs::write(path, Self::new_key_base64())?;
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
        }
        Self::from_base64(&std::fs::read_to_string(path)?, &[])
    }

    /// Seals `plain` for the record `context` (its id).
    pub fn seal(&self, plain: &str, context: &str) -> String {
        let nonce: [u8; 12] = rand::random();
        let sealed = self
            .current
            .cipher
            .encrypt((&nonce).into(), Payload { msg: plain.as_bytes(), aad: context.as_bytes() })
            .expect("AES-GCM encryption of a short value");
        format!("{PREFIX}:{}:{}:{}", self.current.id, URL_SAFE_NO_PAD.encode(nonce), URL_SAFE_NO_PAD.encode(sealed))
    }

    /// Opens a value made by [`seal`](Self::seal) for the same `context`. A
    /// value stored before encryption (no `v1:` prefix) is returned as it is,
    /// until `bazaar secrets rotate` seals it.
    pub fn open(&self, stored: &str, context: &str) -> Result<String, OpenError> {
        let Some(rest) = stored.strip_prefix("v1:") else { return Ok(stored.to_owned()) };
        let mut parts = rest.splitn(3, ':');
        let (Some(kid), Some(nonce), Some(sealed)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(OpenError::Damaged);
        };
        let key = std::iter::once(self.current.as_ref())
            .chain(self.old.iter())
            .find(|k| k.id == kid)
            .ok_or_else(|| OpenError::UnknownKey(kid.to_owned()))?;
        let nonce: [u8; 12] =
            URL_SAFE_NO_PAD.decode(nonce).ok().and_then(|n| n.try_into().ok()).ok_or(OpenError::Damaged)?;
        let sealed = URL_SAFE_NO_PAD.decode(sealed).map_err(|_| OpenError::Damaged)?;
        let plain = key
            .cipher
            .decrypt((&nonce).into(), Payload { msg: &sealed, aad: context.as_bytes() })
            .map_err(|_| OpenError::Damaged)?;
        String::from_utf8(plain).map_err(|_| OpenError::Damaged)
    }

    /// Whether a stored value is already sealed with the current key.
    pub fn is_current(&self, stored: &str) -> bool {
        stored.strip_prefix("v1:").and_then(|r| r.split(':').next()) == Some(self.current.id.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_for_their_record_only_and_survive_a_rotation() {
        let old_key = SecretBox::new_key_base64();
        let old = SecretBox::from_base64(&old_key, &[]).unwrap();
        let sealed = old.seal("JBSWY3DPEHPK3PXP", "user-1");
        assert!(sealed.starts_with("v1:") && !sealed.contains("JBSWY3DP"), "{sealed}");
        assert_ne!(old.seal("JBSWY3DPEHPK3PXP", "user-1"), sealed, "a fresh nonce each time");
        assert_eq!(old.open(&sealed, "user-1").unwrap(), "JBSWY3DPEHPK3PXP");
        assert_eq!(old.open(&sealed, "user-2"), Err(OpenError::Damaged), "bound to its record");
        // Rotated: the new box still reads the old value and writes with the new key.
        let new = SecretBox::from_base64(&SecretBox::new_key_base64(), &[&old_key]).unwrap();
        assert_eq!(new.open(&sealed, "user-1").unwrap(), "JBSWY3DPEHPK3PXP");
        assert!(!new.is_current(&sealed));
        assert!(new.is_current(&new.seal("x", "user-1")));
        // Without the old key it cannot be read.
        let stranger = SecretBox::random();
        assert!(matches!(stranger.open(&sealed, "user-1"), Err(OpenError::UnknownKey(_))));
        // A value from before encryption reads as it is.
        assert_eq!(new.open("JBSWY3DPEHPK3PXP", "user-1").unwrap(), "JBSWY3DPEHPK3PXP");
        assert!(SecretBox::from_base64("c2hvcnQ=", &[]).is_err(), "a short key is refused");
    }
}
