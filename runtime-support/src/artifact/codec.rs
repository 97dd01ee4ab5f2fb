//! The metadata codec: the one place that knows the metadata section is bincode (2.0.1,
//! serde, standard configuration: little-endian, variable-length integers), so the
//! encoding can be swapped by changing this file and the format version.

use serde::Serialize;
use serde::de::DeserializeOwned;

/// Upper bound on what decoding may allocate, in bytes (a corrupted length prefix fails
/// instead of exhausting memory).
const LIMIT: usize = 256 << 20;

fn config() -> impl bincode::config::Config {
    bincode::config::standard().with_limit::<LIMIT>()
}

/// Encodes `value`.
///
/// # Panics
/// Never for the metadata types (they serialize infallibly); a failure is a Kiln bug.
pub(crate) fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    bincode::serde::encode_to_vec(value, config()).expect("metadata serializes")
}

/// Decodes a `T` that must use all of `bytes`.
///
/// # Errors
/// A message when the bytes do not decode or are not all used.
pub(crate) fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    let (value, used) =
        bincode::serde::decode_from_slice(bytes, config()).map_err(|e| e.to_string())?;
    if used != bytes.len() {
        return Err(format!("{} trailing bytes", bytes.len() - used));
    }
    Ok(value)
}
