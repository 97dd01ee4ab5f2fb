//! CPU features compiled code may require, as a stable bit set recorded in the artifact
//! header, and their detection on the host.

use std::fmt;

/// A set of CPU features (bits are stable: part of the artifact format).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct CpuFeatures(pub u64);

/// Every feature Kiln knows: `(bit, architecture, name)`. Names are those of Rust's
/// `is_x86_feature_detected!` / `is_aarch64_feature_detected!`.
const FEATURES: &[(u32, &str, &str)] = &[
    (0, "x86_64", "sse3"),
    (1, "x86_64", "ssse3"),
    (2, "x86_64", "sse4.1"),
    (3, "x86_64", "sse4.2"),
    (4, "x86_64", "popcnt"),
    (5, "x86_64", "cmpxchg16b"),
    (6, "x86_64", "avx"),
    (7, "x86_64", "avx2"),
    (8, "x86_64", "fma"),
    (9, "x86_64", "avxvnni"),
    (10, "x86_64", "avx512bitalg"),
    (11, "x86_64", "avx512dq"),
    (12, "x86_64", "avx512vl"),
    (13, "x86_64", "avx512vbmi"),
    (14, "x86_64", "avx512f"),
    (15, "x86_64", "avx512vnni"),
    (16, "x86_64", "bmi1"),
    (17, "x86_64", "bmi2"),
    (18, "x86_64", "lzcnt"),
    (32, "aarch64", "lse"),
    (33, "aarch64", "paca"),
    (34, "aarch64", "fp16"),
    (35, "aarch64", "dotprod"),
    (36, "aarch64", "i8mm"),
];

impl CpuFeatures {
    /// The empty set.
    pub const NONE: CpuFeatures = CpuFeatures(0);

    /// The feature named `name` (Rust's feature-detection name, e.g. `"sse4.2"`, `"lse"`).
    pub fn from_name(name: &str) -> Option<CpuFeatures> {
        FEATURES.iter().find(|f| f.2 == name).map(|f| CpuFeatures(1 << f.0))
    }

    /// `self` with `other` added.
    pub fn union(self, other: CpuFeatures) -> CpuFeatures {
        CpuFeatures(self.0 | other.0)
    }

    /// The features of `self` not in `other`.
    pub fn difference(self, other: CpuFeatures) -> CpuFeatures {
        CpuFeatures(self.0 & !other.0)
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The names of the features in the set, in bit order; a bit Kiln does not know is
    /// named `unknown feature bit N`.
    pub fn names(self) -> Vec<String> {
        (0..64)
            .filter(|b| self.0 & (1 << b) != 0)
            .map(|b| match FEATURES.iter().find(|f| f.0 == b) {
                Some(f) => f.2.to_string(),
                None => format!("unknown feature bit {b}"),
            })
            .collect()
    }

    /// The features of this host's CPU that Kiln knows (run-time detection).
    pub fn host() -> CpuFeatures {
        let mut set = CpuFeatures::NONE;
        for &(bit, _, name) in FEATURES {
            if detected(name) {
                set.0 |= 1 << bit;
            }
        }
        set
    }
}

impl fmt::Display for CpuFeatures {
    /// Formats as a comma-separated list of names, `none` when empty.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return f.write_str("none");
        }
        f.write_str(&self.names().join(","))
    }
}

#[cfg(target_arch = "x86_64")]
fn detected(name: &str) -> bool {
    use std::arch::is_x86_feature_detected as d;
    match name {
        "sse3" => d!("sse3"),
        "ssse3" => d!("ssse3"),
        "sse4.1" => d!("sse4.1"),
        "sse4.2" => d!("sse4.2"),
        "popcnt" => d!("popcnt"),
        "cmpxchg16b" => d!("cmpxchg16b"),
        "avx" => d!("avx"),
        "avx2" => d!("avx2"),
        "fma" => d!("fma"),
        "avxvnni" => d!("avxvnni"),
        "avx512bitalg" => d!("avx512bitalg"),
        "avx512dq" => d!("avx512dq"),
        "avx512vl" => d!("avx512vl"),
        "avx512vbmi" => d!("avx512vbmi"),
        "avx512f" => d!("avx512f"),
        "avx512vnni" => d!("avx512vnni"),
        "bmi1" => d!("bmi1"),
        "bmi2" => d!("bmi2"),
        "lzcnt" => d!("lzcnt"),
        _ => false,
    }
}

#[cfg(target_arch = "aarch64")]
fn detected(name: &str) -> bool {
    use std::arch::is_aarch64_feature_detected as d;
    match name {
        "lse" => d!("lse"),
        "paca" => d!("paca"),
        "fp16" => d!("fp16"),
        "dotprod" => d!("dotprod"),
        "i8mm" => d!("i8mm"),
        _ => false,
    }
}

#[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
fn detected(_name: &str) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_bits_are_named() {
        let s =
            CpuFeatures::from_name("sse4.2").unwrap().union(CpuFeatures::from_name("lse").unwrap());
        assert_eq!(s.names(), ["sse4.2", "lse"]);
        assert_eq!(CpuFeatures(1 << 63).names(), ["unknown feature bit 63"]);
        assert_eq!(CpuFeatures::NONE.to_string(), "none");
    }
}
