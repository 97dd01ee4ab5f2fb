//! Signing artifacts (DESIGN.md principle 2; the format is
//! [`kiln_runtime_support::artifact::signature`]): making an Ed25519 key pair, signing a
//! blob or an object in place, and reading who signed one. Checking signatures is the
//! loader's job, under the keys a runtime trusts ([`crate::RuntimeConfig::with_trusted_key`]).

use crate::error::Error;
use kiln_runtime_support::artifact::{self, ArtifactError, SecretKey, Signer};

/// A new signing key from the operating system's cryptographically secure random source
/// (`getrandom(2)`).
///
/// # Errors
/// [`Error::Artifact`] with [`ArtifactError::Io`] when the random source fails.
pub fn generate_signing_key() -> Result<SecretKey, Error> {
    let mut seed = [0u8; 32];
    let mut filled = 0;
    while filled < seed.len() {
        filled +=
            rustix::rand::getrandom(&mut seed[filled..], rustix::rand::GetRandomFlags::empty())
                .map_err(|e| ArtifactError::Io(format!("cannot read random bytes: {e}")))?;
    }
    Ok(SecretKey::from_seed(seed))
}

/// Signs the artifact in `bytes` (a blob or an object) with `key`, in place: a blob's
/// header signature slot, or an object's `.kiln.sig` section, receives the key's public key
/// and its signature over the header (`.kiln.meta`), which names every other byte by its
/// digest. A signature already there is replaced.
///
/// # Errors
/// [`Error::Artifact`] when `bytes` is not an artifact or its header (`.kiln.meta`) is
/// corrupted.
pub fn sign_artifact(bytes: &mut [u8], key: &SecretKey) -> Result<(), Error> {
    if kiln_loader::object::is_object(bytes) {
        kiln_loader::object::sign(bytes, key)?;
    } else {
        artifact::sign(bytes, key)?;
    }
    Ok(())
}

/// Who signed the artifact in `bytes` and whether the signature verifies against that key
/// (whether the key is trusted is for the caller to say).
///
/// # Errors
/// [`Error::Artifact`] when `bytes` is not an artifact or its header is corrupted.
pub fn artifact_signer(bytes: &[u8]) -> Result<Signer, Error> {
    if kiln_loader::object::is_object(bytes) {
        return Ok(kiln_loader::object::signer(bytes)?);
    }
    let header = artifact::ArtifactHeader::decode(bytes)?;
    Ok(artifact::signer(&header, bytes))
}
