//! The JOSE pieces of the Moodian v2 transport (regional.md §1.3): a compact
//! JWS (RS256) with the taxpayer's certificate in `x5c` and the signing time
//! as a critical `sigT`, and a compact JWE (RSA-OAEP-256 + A256GCM) to the tax
//! authority's key. Written here on the RustCrypto primitives (rsa, aes-gcm,
//! x509-cert) because the JOSE crates either leave out JWE or need OpenSSL,
//! and the authority's header (`sigT` under `crit`) is its own.
//!
//! The verifying and decrypting halves serve the sandbox, which plays the
//! authority, and the tests.

use std::str::FromStr as _;
use std::sync::{Arc, OnceLock};

use aes_gcm::aead::{Aead, Payload};
use aes_gcm::{Aes256Gcm, KeyInit};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use rand::RngCore as _;
use rsa::pkcs1::DecodeRsaPrivateKey as _;
use rsa::pkcs1v15::{Signature, SigningKey, VerifyingKey};
use rsa::pkcs8::{DecodePrivateKey as _, DecodePublicKey as _, EncodePublicKey as _};
use rsa::sha2::Sha256;
use rsa::signature::{SignatureEncoding as _, Signer as _, Verifier as _};
use rsa::{Generate as _, PrivateKey, PublicKey};
use serde_json::{Value, json};
use time::OffsetDateTime;
use x509_cert::der::{Decode as _, DecodePem as _, Encode as _};

/// The taxpayer's signing key and the certificate the authority issued for it.
pub struct TaxpayerKey {
    key: PrivateKey,
    cert_der: Vec<u8>,
}

impl std::fmt::Debug for TaxpayerKey {
    // Never the key itself, not even in a debug log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TaxpayerKey {{ certificate: {} bytes }}", self.cert_der.len())
    }
}

impl TaxpayerKey {
    /// From PEM text: the private key (PKCS#8 or PKCS#1) and its certificate;
    /// refused when the certificate is for another key.
    pub fn from_pem(key_pem: &str, cert_pem: &str) -> anyhow::Result<Self> {
        let key = PrivateKey::from_pkcs8_pem(key_pem)
            .or_else(|_| PrivateKey::from_pkcs1_pem(key_pem))
            .map_err(|e| anyhow::anyhow!("the Moodian private key is not an RSA key in PEM: {e}"))?;
        let cert = x509_cert::Certificate::from_pem(cert_pem)
            .map_err(|e| anyhow::anyhow!("the Moodian certificate is not a PEM certificate: {e}"))?;
        let cert_der = cert.to_der()?;
        if certificate_key(&cert_der)? != key.to_public_key() {
            anyhow::bail!("the Moodian certificate does not belong to the private key");
        }
        Ok(Self { key, cert_der })
    }

    /// A fresh key with a self-signed certificate, for development and the sandbox.
    pub fn self_signed() -> anyhow::Result<Self> {
        use x509_cert::builder::{Builder as _, CertificateBuilder, profile};
        let key = PrivateKey::generate();
        let spki = x509_cert::spki::SubjectPublicKeyInfoOwned::from_key(&key.to_public_key())?;
        let subject = x509_cert::name::Name::from_str("CN=Bazaar development taxpayer,O=Bazaar,C=IR")?;
        let validity = x509_cert::time::Validity::from_now(std::time::Duration::from_secs(10 * 365 * 86_400))?;
        let serial = x509_cert::serial_number::SerialNumber::from(rand::random::<u32>());
        let signer = SigningKey::<Sha256>::new(key.clone());
        let cert = CertificateBuilder::new(profile::cabf::Root::new(false, subject)?, serial, validity, spki)?
            .build::<_, Signature>(&signer)?;
        Ok(Self { key, cert_der: cert.to_der()? })
    }

    /// The key (PKCS#8) and certificate as PEM text, as [`Self::from_pem`] reads them.
    pub fn to_pem(&self) -> anyhow::Result<(String, String)> {
        use rsa::pkcs8::EncodePrivateKey as _;
        use x509_cert::der::EncodePem as _;
        let key = self.key.to_pkcs8_pem(Default::default())?.to_string();
        let cert = x509_cert::Certificate::from_der(&self.cert_der)?.to_pem(Default::default())?;
        Ok((key, cert))
    }

    /// One key per process for tests and tools that configure none.
    pub fn ephemeral() -> Arc<Self> {
        static KEY: OnceLock<Arc<TaxpayerKey>> = OnceLock::new();
        KEY.get_or_init(|| Arc::new(Self::self_signed().expect("generate a development key"))).clone()
    }

    /// A compact JWS (RS256) of `payload` with the authority's header.
    pub fn sign(&self, payload: &[u8], now: OffsetDateTime) -> String {
        let sig_t = format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            now.year(),
            u8::from(now.month()),
            now.day(),
            now.hour(),
            now.minute(),
            now.second()
        );
        let header = json!({
            "alg": "RS256",
            "typ": "jose",
            "x5c": [STANDARD.encode(&self.cert_der)],
            "sigT": sig_t,
            "crit": ["sigT"],
            "cty": "text/plain",
        });
        let input = format!("{}.{}", URL_SAFE_NO_PAD.encode(header.to_string()), URL_SAFE_NO_PAD.encode(payload));
        let signature = SigningKey::<Sha256>::new(self.key.clone()).sign(input.as_bytes());
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature.to_bytes()))
    }
}

/// The public key inside a DER certificate.
fn certificate_key(der: &[u8]) -> anyhow::Result<PublicKey> {
    let cert = x509_cert::Certificate::from_der(der)?;
    let spki = cert.tbs_certificate().subject_public_key_info().to_der()?;
    Ok(PublicKey::from_public_key_der(&spki)?)
}

/// An RSA public key as `server-information` gives it (base64 DER SubjectPublicKeyInfo).
pub fn public_key_from_base64(b64: &str) -> Result<PublicKey, String> {
    let der = STANDARD.decode(b64.trim()).map_err(|e| format!("public key is not base64: {e}"))?;
    PublicKey::from_public_key_der(&der).map_err(|e| format!("public key is not RSA: {e}"))
}

pub fn public_key_to_base64(key: &PublicKey) -> String {
    key.to_public_key_der().map(|d| STANDARD.encode(d.as_bytes())).unwrap_or_default()
}

/// A compact JWE of `plain` to the authority's key `kid`.
pub fn encrypt(plain: &[u8], to: &PublicKey, kid: &str) -> Result<String, String> {
    let header = URL_SAFE_NO_PAD.encode(json!({"alg": "RSA-OAEP-256", "enc": "A256GCM", "kid": kid}).to_string());
    let mut cek = [0u8; 32];
    let mut iv = [0u8; 12];
    rand::rng().fill_bytes(&mut cek);
    rand::rng().fill_bytes(&mut iv);
    let wrapped = to.oaep_encrypt::<Sha256>(&cek).map_err(|e| format!("cannot wrap the content key: {e}"))?;
    let cipher = Aes256Gcm::new_from_slice(&cek).map_err(|e| e.to_string())?;
    let sealed = cipher
        .encrypt((&iv).into(), Payload { msg: plain, aad: header.as_bytes() })
        .map_err(|_| "cannot encrypt the packet".to_owned())?;
    let (ciphertext, tag) = sealed.split_at(sealed.len() - 16);
    Ok([header.as_str(), &b64(&wrapped), &b64(&iv), &b64(ciphertext), &b64(tag)].join("."))
}

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn unb64(part: &str, what: &str) -> Result<Vec<u8>, String> {
    URL_SAFE_NO_PAD.decode(part).map_err(|_| format!("{what} is not base64url"))
}

/// Opens a compact JWE made by [`encrypt`]: (kid, plaintext).
pub fn decrypt(jwe: &str, key: &PrivateKey) -> Result<(String, Vec<u8>), String> {
    let parts: Vec<&str> = jwe.split('.').collect();
    let [header, wrapped, iv, ciphertext, tag] = parts.as_slice() else {
        return Err("not a compact JWE (five parts)".into());
    };
    let h: Value = serde_json::from_slice(&unb64(header, "JWE header")?).map_err(|_| "JWE header is not JSON")?;
    if h["alg"] != "RSA-OAEP-256" || h["enc"] != "A256GCM" {
        return Err(format!("unsupported JWE algorithms: {} / {}", h["alg"], h["enc"]));
    }
    let kid = h["kid"].as_str().unwrap_or_default().to_owned();
    let cek = key.oaep_decrypt::<Sha256>(&unb64(wrapped, "encrypted key")?).map_err(|_| "content key not for us")?;
    let iv = unb64(iv, "IV")?;
    if iv.len() != 12 {
        return Err("IV must be 12 bytes".into());
    }
    let mut sealed = unb64(ciphertext, "ciphertext")?;
    sealed.extend(unb64(tag, "tag")?);
    let cipher = Aes256Gcm::new_from_slice(&cek).map_err(|_| "content key must be 32 bytes")?;
    let iv: [u8; 12] = iv.try_into().map_err(|_| "IV must be 12 bytes")?;
    let plain = cipher
        .decrypt((&iv).into(), Payload { msg: &sealed, aad: header.as_bytes() })
        .map_err(|_| "JWE does not decrypt (tampered, or another key)")?;
    Ok((kid, plain))
}

/// A JWS whose signature checked out against the certificate it carries.
pub struct Verified {
    pub payload: Vec<u8>,
    /// The signer's certificate (DER), to compare with the one registered.
    pub cert_der: Vec<u8>,
}

/// Checks a compact JWS made by [`TaxpayerKey::sign`]: RS256, `sigT` critical
/// and present, signed by the key of the certificate in `x5c`.
pub fn verify(jws: &str) -> Result<Verified, String> {
    let parts: Vec<&str> = jws.split('.').collect();
    let [header, payload, signature] = parts.as_slice() else {
        return Err("not a compact JWS (three parts)".into());
    };
    let h: Value = serde_json::from_slice(&unb64(header, "JWS header")?).map_err(|_| "JWS header is not JSON")?;
    if h["alg"] != "RS256" {
        return Err(format!("unsupported JWS algorithm {}", h["alg"]));
    }
    if h["crit"] != json!(["sigT"]) || !h["sigT"].is_string() {
        return Err("sigT must be given and critical".into());
    }
    let cert_der =
        h["x5c"][0].as_str().and_then(|c| STANDARD.decode(c).ok()).ok_or("x5c must carry the signer's certificate")?;
    let signer = certificate_key(&cert_der).map_err(|e| format!("x5c is not an RSA certificate: {e}"))?;
    let sig = Signature::try_from(unb64(signature, "signature")?.as_slice()).map_err(|_| "malformed signature")?;
    VerifyingKey::<Sha256>::new(signer)
        .verify(format!("{header}.{payload}").as_bytes(), &sig)
        .map_err(|_| "signature does not verify")?;
    Ok(Verified { payload: unb64(payload, "JWS payload")?, cert_der })
}

/// The authority's side of the sandbox: one key pair per process.
pub fn sandbox_authority_key() -> &'static PrivateKey {
    static KEY: OnceLock<PrivateKey> = OnceLock::new();
    KEY.get_or_init(PrivateKey::generate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_and_encrypted_packet_opens_only_with_the_right_keys() {
        let taxpayer = TaxpayerKey::ephemeral();
        let now = time::macros::datetime!(2026-03-20 20:31:05 UTC);
        let jws = taxpayer.sign(br#"{"header":{"taxid":"A1"}}"#, now);
        let header: Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(jws.split('.').next().unwrap()).unwrap()).unwrap();
        assert_eq!(header["alg"], "RS256");
        assert_eq!(header["sigT"], "2026-03-20T20:31:05Z");
        assert_eq!(header["crit"], json!(["sigT"]));
        let verified = verify(&jws).unwrap();
        assert_eq!(verified.payload, br#"{"header":{"taxid":"A1"}}"#);

        // A changed payload, or a signature by another key, fails.
        let mut parts: Vec<String> = jws.split('.').map(str::to_owned).collect();
        parts[1] = URL_SAFE_NO_PAD.encode(br#"{"header":{"taxid":"B2"}}"#);
        assert_eq!(verify(&parts.join(".")).err().as_deref(), Some("signature does not verify"));

        let authority = sandbox_authority_key();
        let jwe = encrypt(jws.as_bytes(), &authority.to_public_key(), "kid-1").unwrap();
        assert_eq!(jwe.split('.').count(), 5);
        let (kid, plain) = decrypt(&jwe, authority).unwrap();
        assert_eq!((kid.as_str(), plain.as_slice()), ("kid-1", jws.as_bytes()));
        // Tampering with any part breaks the seal.
        let mut parts: Vec<String> = jwe.split('.').map(str::to_owned).collect();
        let mut ct = URL_SAFE_NO_PAD.decode(&parts[3]).unwrap();
        ct[0] ^= 1;
        parts[3] = URL_SAFE_NO_PAD.encode(ct);
        assert!(decrypt(&parts.join("."), authority).is_err());
        // Our own key is not the authority's.
        assert!(decrypt(&jwe, &taxpayer.key).is_err());
    }

    #[test]
    fn keys_load_from_pem_and_a_certificate_for_another_key_is_refused() {
        let made = TaxpayerKey::self_signed().unwrap();
        let pem = |k: &TaxpayerKey| k.to_pem().unwrap().1;
        let key_pem = made.to_pem().unwrap().0;
        let loaded = TaxpayerKey::from_pem(&key_pem, &pem(&made)).unwrap();
        assert_eq!(loaded.cert_der, made.cert_der);
        assert!(format!("{loaded:?}").starts_with("TaxpayerKey { certificate: "), "the key never shows in logs");
        let err = TaxpayerKey::from_pem(&key_pem, &pem(&TaxpayerKey::ephemeral())).unwrap_err();
        assert!(err.to_string().contains("does not belong"), "{err}");
        assert!(TaxpayerKey::from_pem("not a key", &pem(&made)).is_err());
    }
}
