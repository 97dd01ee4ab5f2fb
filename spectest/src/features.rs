//! Names of core feature sets and proposals, as `kiln wast --features` and
//! `kiln-spectest --features` accept them, mapped onto [`CoreFeatures`].

use kiln::CoreFeatures;

/// A WebAssembly proposal by the name of its repository under
/// <https://github.com/WebAssembly/> (e.g. `bulk-memory`).
#[derive(Clone, Copy, Debug)]
pub struct Proposal {
    /// The name `--features` accepts.
    pub name: &'static str,
    /// Kiln's flag for it, or `None` when Kiln has none: Kiln does not implement the
    /// proposal, and its validator refuses modules that use it whatever the flags say.
    pub features: Option<CoreFeatures>,
}

/// Every proposal name `--features` accepts, Core 2.0's first. The proposals without a flag
/// fail validation.
pub const PROPOSALS: &[Proposal] = &[
    Proposal { name: "mutable-global", features: Some(CoreFeatures::MUTABLE_GLOBAL) },
    Proposal {
        name: "nontrapping-float-to-int",
        features: Some(CoreFeatures::NONTRAPPING_FLOAT_TO_INT),
    },
    Proposal { name: "sign-extension", features: Some(CoreFeatures::SIGN_EXTENSION) },
    Proposal { name: "multi-value", features: Some(CoreFeatures::MULTI_VALUE) },
    Proposal { name: "bulk-memory", features: Some(CoreFeatures::BULK_MEMORY) },
    Proposal { name: "reference-types", features: Some(CoreFeatures::REFERENCE_TYPES) },
    Proposal { name: "simd", features: Some(CoreFeatures::SIMD) },
    Proposal { name: "relaxed-simd", features: Some(CoreFeatures::RELAXED_SIMD) },
    Proposal { name: "tail-call", features: Some(CoreFeatures::TAIL_CALL) },
    Proposal { name: "extended-const", features: Some(CoreFeatures::EXTENDED_CONST) },
    Proposal { name: "multi-memory", features: Some(CoreFeatures::MULTI_MEMORY) },
    Proposal { name: "memory64", features: Some(CoreFeatures::MEMORY64) },
    Proposal { name: "exception-handling", features: Some(CoreFeatures::EXCEPTIONS) },
    Proposal { name: "function-references", features: Some(CoreFeatures::FUNCTION_REFERENCES) },
    Proposal { name: "gc", features: None },
    Proposal { name: "threads", features: Some(CoreFeatures::THREADS) },
    Proposal { name: "custom-page-sizes", features: None },
    Proposal { name: "wide-arithmetic", features: None },
];

/// No feature beyond the WebAssembly 1.0 MVP (not even mutable-global import/export).
pub const MVP: CoreFeatures = CoreFeatures::V1.difference(CoreFeatures::V1);

/// Every feature Kiln has a flag for (the union of [`PROPOSALS`]' flags).
pub fn all() -> CoreFeatures {
    PROPOSALS.iter().filter_map(|p| p.features).fold(MVP, CoreFeatures::union)
}

/// A `--features` list that names no known set or proposal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownFeature {
    /// The name as given (empty for an empty list item).
    pub name: String,
}

impl std::fmt::Display for UnknownFeature {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.name.is_empty() {
            write!(f, "empty feature name")?;
        } else {
            write!(f, "unknown feature `{}`", self.name)?;
        }
        let names: Vec<&str> = PROPOSALS.iter().map(|p| p.name).collect();
        write!(f, " (known: v1, v2, v3, all, {})", names.join(", "))
    }
}

impl std::error::Error for UnknownFeature {}

/// Parses a comma-separated list of set names (`v1`: [`CoreFeatures::V1`], `v2`:
/// [`CoreFeatures::V2`], `v3`: [`CoreFeatures::V3`], `all`: [`all`]) and [`PROPOSALS`] names into the union of their
/// features; e.g. `v1,bulk-memory`. Names of proposals Kiln has no flag for add nothing.
///
/// # Errors
/// [`UnknownFeature`] for the first item that is neither a set nor a proposal name
/// (including an empty item).
pub fn parse(list: &str) -> Result<CoreFeatures, UnknownFeature> {
    let mut features = MVP;
    for item in list.split(',').map(str::trim) {
        let named = match item {
            "v1" => CoreFeatures::V1,
            "v2" => CoreFeatures::V2,
            "v3" => CoreFeatures::V3,
            "all" => all(),
            name => match PROPOSALS.iter().find(|p| p.name == name) {
                Some(p) => p.features.unwrap_or(MVP),
                None => return Err(UnknownFeature { name: name.to_string() }),
            },
        };
        features = features.union(named);
    }
    Ok(features)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_and_proposals() {
        assert_eq!(parse("v1"), Ok(CoreFeatures::V1));
        assert_eq!(parse("v2"), Ok(CoreFeatures::V2));
        let v3_so_far = [
            CoreFeatures::RELAXED_SIMD,
            CoreFeatures::TAIL_CALL,
            CoreFeatures::EXTENDED_CONST,
            CoreFeatures::FUNCTION_REFERENCES,
            CoreFeatures::MULTI_MEMORY,
            CoreFeatures::MEMORY64,
            CoreFeatures::EXCEPTIONS,
            CoreFeatures::THREADS,
        ];
        assert_eq!(
            parse("all"),
            Ok(v3_so_far.into_iter().fold(CoreFeatures::V2, CoreFeatures::union))
        );
        assert!(CoreFeatures::V2.contains(CoreFeatures::SIMD));
        assert_eq!(parse("v3"), parse("all"), "every flag Kiln has is in 3.0 or threads");
        assert_eq!(parse("v3"), Ok(CoreFeatures::default()));
        assert_eq!(parse("v1, bulk-memory"), Ok(CoreFeatures::V1.union(CoreFeatures::BULK_MEMORY)));
        assert_eq!(parse("tail-call"), Ok(MVP.union(CoreFeatures::TAIL_CALL)));
        assert_eq!(parse("gc"), Ok(MVP));
        let err = parse("v2,tail-calls").unwrap_err();
        assert_eq!(err.name, "tail-calls");
        assert!(
            err.to_string().starts_with("unknown feature `tail-calls` (known: v1, v2, v3, all,")
        );
        assert_eq!(parse("v2,").unwrap_err().name, "");
    }

    #[test]
    fn names_are_unique() {
        for (i, p) in PROPOSALS.iter().enumerate() {
            assert!(PROPOSALS[i + 1..].iter().all(|q| q.name != p.name), "{}", p.name);
            assert!(!["v1", "v2", "v3", "all"].contains(&p.name));
        }
    }
}
