//! Artifact signatures (DESIGN.md principle 2): digests prove an artifact is intact,
//! an Ed25519 signature proves who built it.
//!
//! An artifact has one signature slot of [`SLOT_SIZE`] bytes: the signer's public key (32
//! bytes) then the signature (64 bytes); all zero when it is unsigned. A blob keeps it in
//! its header ([`super::header`]), an object in its `.kiln.sig` section. The signature is
//! over [`CONTEXT`] followed by the bytes that name everything else: a blob's header
//! without the slot and the header checksum (so the format and ABI versions, target, CPU
//! features, settings, section table, file length and the payload and cold-section
//! digests), an object's whole `.kiln.meta` section (its facts, item table and the digest
//! of every part, sealed). Signing therefore covers every byte the loader uses, and a
//! signature is checked before any of them is.
//!
//! Keys are stored as text, one line each:
//!
//! ```text
//! NAME.key   kiln-ed25519-secret-key <64 hex digits: the 32-byte Ed25519 seed>
//! NAME.pub   kiln-ed25519-public-key <64 hex digits: the 32-byte public key>
//! ```
//!
//! A key is shown by its fingerprint ([`KeyFingerprint`]): the first 16 bytes of the
//! SHA-256 of the public key, in hex.

use super::error::ArtifactError;
use ed25519_dalek::{Signer as _, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};
use std::fmt;

/// Size of a signature slot in bytes: the public key (32) and the signature (64).
pub const SLOT_SIZE: usize = 96;

/// The bytes every signed message starts with (so an artifact signature can never be
/// mistaken for a signature over anything else).
pub const CONTEXT: &[u8] = b"kiln artifact signature v1\0";

const SECRET_TAG: &str = "kiln-ed25519-secret-key";
const PUBLIC_TAG: &str = "kiln-ed25519-public-key";

/// An Ed25519 public key that signatures are checked against.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PublicKey([u8; 32]);

/// An Ed25519 signing key (secret; the 32-byte seed).
#[derive(Clone)]
pub struct SecretKey(SigningKey);

/// A short name for a public key: the first 16 bytes of its SHA-256.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct KeyFingerprint(pub [u8; 16]);

impl fmt::Display for KeyFingerprint {
    /// 32 lowercase hex digits.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({})", self.fingerprint())
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretKey(public {})", self.public_key().fingerprint())
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The 32 bytes after `tag` on the single line of `text`.
fn parse_line(text: &str, tag: &str) -> Result<[u8; 32], String> {
    let line = text.trim();
    let digits = line
        .strip_prefix(tag)
        .map(str::trim_start)
        .filter(|_| !line.contains('\n'))
        .ok_or_else(|| format!("not a `{tag}` line"))?;
    if digits.len() != 64 || !digits.bytes().all(|c| c.is_ascii_hexdigit()) {
        return Err(format!("`{tag}` needs 64 hex digits"));
    }
    let mut out = [0u8; 32];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(&digits[2 * i..2 * i + 2], 16).map_err(|e| e.to_string())?;
    }
    Ok(out)
}

impl PublicKey {
    /// The key with these 32 bytes.
    ///
    /// # Errors
    /// A message when the bytes are not a point of the curve.
    pub fn from_bytes(bytes: [u8; 32]) -> Result<Self, String> {
        VerifyingKey::from_bytes(&bytes).map_err(|e| format!("invalid Ed25519 public key: {e}"))?;
        Ok(Self(bytes))
    }

    /// The key's 32 bytes.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.0
    }

    /// The key's fingerprint.
    pub fn fingerprint(&self) -> KeyFingerprint {
        let d = Sha256::digest(self.0);
        KeyFingerprint(d[..16].try_into().expect("16 bytes"))
    }

    /// Reads a `.pub` file's text (see the module docs).
    ///
    /// # Errors
    /// A message when the text is not one `kiln-ed25519-public-key` line with a valid key.
    pub fn parse(text: &str) -> Result<Self, String> {
        Self::from_bytes(parse_line(text, PUBLIC_TAG)?)
    }

    /// The `.pub` file's text, one line ending in a newline.
    pub fn to_text(&self) -> String {
        format!("{PUBLIC_TAG} {}\n", hex(&self.0))
    }
}

impl SecretKey {
    /// The key whose Ed25519 seed is `seed` (32 bytes from a cryptographically secure
    /// random source for a new key).
    pub fn from_seed(seed: [u8; 32]) -> Self {
        Self(SigningKey::from_bytes(&seed))
    }

    /// Reads a `.key` file's text (see the module docs).
    ///
    /// # Errors
    /// A message when the text is not one `kiln-ed25519-secret-key` line.
    pub fn parse(text: &str) -> Result<Self, String> {
        Ok(Self::from_seed(parse_line(text, SECRET_TAG)?))
    }

    /// The `.key` file's text, one line ending in a newline.
    pub fn to_text(&self) -> String {
        format!("{SECRET_TAG} {}\n", hex(&self.0.to_bytes()))
    }

    /// The matching public key.
    pub fn public_key(&self) -> PublicKey {
        PublicKey(self.0.verifying_key().to_bytes())
    }

    /// The signature slot for `message` (already without [`CONTEXT`]): this key's public key
    /// and its signature over [`CONTEXT`] followed by `message`.
    pub fn sign(&self, message: &[u8]) -> [u8; SLOT_SIZE] {
        let mut signed = CONTEXT.to_vec();
        signed.extend_from_slice(message);
        let sig = self.0.sign(&signed);
        let mut slot = [0u8; SLOT_SIZE];
        slot[..32].copy_from_slice(&self.public_key().0);
        slot[32..].copy_from_slice(&sig.to_bytes());
        slot
    }
}

/// Why an artifact's signature was not accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignatureError {
    /// A safe load was asked for with no trusted key configured (load with keys, or use the
    /// unsafe loading functions that let the caller vouch for the artifact).
    NoTrustedKeys,
    /// The artifact carries no signature.
    Unsigned,
    /// The artifact is signed by a key that is not trusted.
    UntrustedKey {
        /// The signer's fingerprint.
        signer: KeyFingerprint,
    },
    /// The signature does not match what it signs (the artifact was altered after signing,
    /// or the signature is forged or damaged).
    Invalid {
        /// The fingerprint of the key the artifact names as its signer.
        signer: KeyFingerprint,
    },
}

impl fmt::Display for SignatureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignatureError::NoTrustedKeys => f.write_str(
                "no trusted signing key is configured (add one, or load unsigned artifacts with the unsafe loading functions)",
            ),
            SignatureError::Unsigned => f.write_str("artifact is not signed"),
            SignatureError::UntrustedKey { signer } => {
                write!(f, "artifact is signed by key {signer}, which is not trusted")
            }
            SignatureError::Invalid { signer } => write!(
                f,
                "artifact signature by key {signer} does not verify (altered or forged)"
            ),
        }
    }
}

/// Who signed an artifact, as read from its slot (for `kiln inspect`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signer {
    /// No signature.
    Unsigned,
    /// Signed by `key`; `valid` when the signature verifies against it.
    Signed {
        /// The signer's public key.
        key: PublicKey,
        /// Whether the signature verifies.
        valid: bool,
    },
}

/// The signature slot's `(public key, valid)` reading for `message`: `Unsigned` when the
/// slot is all zero.
pub fn signer(slot: &[u8; SLOT_SIZE], message: &[u8]) -> Signer {
    if slot.iter().all(|b| *b == 0) {
        return Signer::Unsigned;
    }
    let key_bytes: [u8; 32] = slot[..32].try_into().expect("32 bytes");
    let sig = ed25519_dalek::Signature::from_bytes(slot[32..].try_into().expect("64 bytes"));
    let valid = VerifyingKey::from_bytes(&key_bytes).is_ok_and(|k| {
        let mut signed = CONTEXT.to_vec();
        signed.extend_from_slice(message);
        k.verify_strict(&signed, &sig).is_ok()
    });
    Signer::Signed { key: PublicKey(key_bytes), valid }
}

/// The public keys whose signature a runtime requires on the artifacts it loads (empty: no
/// signature policy).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedKeys(Vec<PublicKey>);

impl TrustedKeys {
    /// No keys: no signature policy.
    pub const fn none() -> Self {
        Self(Vec::new())
    }

    /// Trusts `key` too (several keys at once let keys rotate).
    pub fn add(&mut self, key: PublicKey) {
        if !self.0.contains(&key) {
            self.0.push(key);
        }
    }

    /// The trusted keys.
    pub fn keys(&self) -> &[PublicKey] {
        &self.0
    }

    /// Whether no key is trusted (no signature policy).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Checks the signature `slot` over `message`: it must be present, name a trusted key
    /// and verify (strict Ed25519 verification). Returns the signer's fingerprint.
    ///
    /// # Errors
    /// [`ArtifactError::Signature`] with [`SignatureError::NoTrustedKeys`] when no key is
    /// trusted, [`SignatureError::Unsigned`], [`SignatureError::UntrustedKey`] or
    /// [`SignatureError::Invalid`], in that order.
    pub fn check(
        &self,
        slot: &[u8; SLOT_SIZE],
        message: &[u8],
    ) -> Result<KeyFingerprint, ArtifactError> {
        let fail = |e| Err(ArtifactError::Signature(e));
        if self.is_empty() {
            return fail(SignatureError::NoTrustedKeys);
        }
        let key_bytes: [u8; 32] = slot[..32].try_into().expect("32 bytes");
        if slot.iter().all(|b| *b == 0) {
            return fail(SignatureError::Unsigned);
        }
        let signer = PublicKey(key_bytes).fingerprint();
        if !self.0.iter().any(|k| k.0 == key_bytes) {
            return fail(SignatureError::UntrustedKey { signer });
        }
        match self::signer(slot, message) {
            Signer::Signed { valid: true, .. } => Ok(signer),
            _ => fail(SignatureError::Invalid { signer }),
        }
    }
}

impl FromIterator<PublicKey> for TrustedKeys {
    fn from_iter<I: IntoIterator<Item = PublicKey>>(iter: I) -> Self {
        let mut t = Self::none();
        iter.into_iter().for_each(|k| t.add(k));
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_through_text_and_signatures_check() {
        let a = SecretKey::from_seed([7; 32]);
        let b = SecretKey::from_seed([9; 32]);
        let a2 = SecretKey::parse(&a.to_text()).unwrap();
        assert_eq!(a2.public_key(), a.public_key());
        assert_eq!(PublicKey::parse(&a.public_key().to_text()).unwrap(), a.public_key());
        assert!(PublicKey::parse(&a.to_text()).is_err(), "a secret key is not a public key");
        assert!(PublicKey::parse("kiln-ed25519-public-key 00").is_err());
        assert_eq!(a.public_key().fingerprint().to_string().len(), 32);

        let slot = a.sign(b"header");
        let mut trusted = TrustedKeys::none();
        assert_eq!(
            trusted.check(&slot, b"header"),
            Err(ArtifactError::Signature(SignatureError::NoTrustedKeys))
        );
        trusted.add(b.public_key());
        let a_fp = a.public_key().fingerprint();
        assert_eq!(
            trusted.check(&slot, b"header"),
            Err(ArtifactError::Signature(SignatureError::UntrustedKey { signer: a_fp }))
        );
        trusted.add(a.public_key());
        assert_eq!(trusted.check(&slot, b"header"), Ok(a_fp), "either of two keys");
        assert_eq!(
            trusted.check(&slot, b"Header"),
            Err(ArtifactError::Signature(SignatureError::Invalid { signer: a_fp }))
        );
        assert_eq!(
            trusted.check(&[0; SLOT_SIZE], b"header"),
            Err(ArtifactError::Signature(SignatureError::Unsigned))
        );
        let mut forged = slot;
        forged[40] ^= 1;
        assert_eq!(
            signer(&forged, b"header"),
            Signer::Signed { key: a.public_key(), valid: false }
        );
        assert_eq!(signer(&slot, b"header"), Signer::Signed { key: a.public_key(), valid: true });
    }
}
