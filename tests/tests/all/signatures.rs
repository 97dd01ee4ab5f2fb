//! Signed artifacts (DESIGN.md principle 2): under a signature policy an artifact loads only
//! when a trusted key signed it; unsigned, wrongly signed, forged and altered artifacts are
//! refused with typed errors before any byte is mapped executable; two keys can be trusted
//! at once (rotation); the safe loading functions need a policy; the cache's own files load
//! whatever the policy.

use kiln::aot::{AotOptions, Emit, compile_artifact};
use kiln::{
    ArtifactError, ArtifactHeader, ArtifactPart, CompilationCache, Error, ModuleConfig, PublicKey,
    Runtime, RuntimeConfig, SecretKey, SignatureError, Signer,
};
use kiln_runtime_support::artifact::HEADER_SIZE;
use kiln_runtime_support::vm::code_memory::executable_mappings_on_this_thread;

const WAT: &str = r#"(module (func (export "answer") (result i32) i32.const 42))"#;

fn key(seed: u8) -> SecretKey {
    SecretKey::from_seed([seed; 32])
}

fn unsigned(emit: Emit) -> Vec<u8> {
    let wasm = wat::parse_str(WAT).unwrap();
    compile_artifact(&wasm, &AotOptions { emit, ..AotOptions::default() }).unwrap()
}

fn signed(emit: Emit, key: &SecretKey) -> Vec<u8> {
    let mut a = unsigned(emit);
    kiln::sign_artifact(&mut a, key).unwrap();
    a
}

fn trusting(keys: &[PublicKey]) -> Runtime {
    let config = keys.iter().fold(RuntimeConfig::new(), |c, k| c.with_trusted_key(*k));
    Runtime::with_config(config)
}

fn answer(rt: &Runtime, m: &kiln::CompiledModule) -> i32 {
    let inst = rt.instantiate(m, ModuleConfig::new().with_name("")).unwrap();
    inst.typed_func::<(), i32>("answer").unwrap().call(()).unwrap()
}

/// The error of loading `bytes` in `rt` (from memory and from a file), asserting that
/// neither mapped anything executable.
fn refused(rt: &Runtime, bytes: &[u8]) -> ArtifactError {
    let path = std::env::temp_dir().join(format!(
        "kiln-signatures-{}-{}.kiln",
        std::process::id(),
        std::thread::current().name().unwrap_or("t").replace("::", "-")
    ));
    std::fs::write(&path, bytes).unwrap();
    let before = executable_mappings_on_this_thread();
    let from_bytes = rt.load_artifact_bytes(bytes).map(|_| ());
    let from_file = rt.load_artifact(&path).map(|_| ());
    assert_eq!(executable_mappings_on_this_thread(), before, "a refused artifact mapped code");
    let _ = std::fs::remove_file(&path);
    match (from_bytes, from_file) {
        (Err(Error::Artifact(a)), Err(Error::Artifact(b))) => {
            assert_eq!(a, b, "bytes and file agree");
            a
        }
        other => panic!("expected two artifact errors, got {other:?}"),
    }
}

#[test]
fn signed_artifacts_load_under_a_policy_and_others_are_refused() {
    let (a, b) = (key(1), key(2));
    for emit in [Emit::Blob, Emit::Obj] {
        let rt = trusting(&[a.public_key()]);
        let good = signed(emit, &a);
        assert_eq!(answer(&rt, &rt.load_artifact_bytes(&good).unwrap()), 42, "{emit:?}");
        assert_eq!(
            kiln::artifact_signer(&good).unwrap(),
            Signer::Signed { key: a.public_key(), valid: true }
        );
        assert_eq!(
            kiln::inspect_artifact(&good).unwrap().signer,
            Signer::Signed { key: a.public_key(), valid: true }
        );

        // Unsigned, and signed by a key the runtime does not trust.
        assert_eq!(
            refused(&rt, &unsigned(emit)),
            ArtifactError::Signature(SignatureError::Unsigned),
            "{emit:?}"
        );
        assert_eq!(kiln::artifact_signer(&unsigned(emit)).unwrap(), Signer::Unsigned);
        let other = signed(emit, &b);
        assert_eq!(
            refused(&rt, &other),
            ArtifactError::Signature(SignatureError::UntrustedKey {
                signer: b.public_key().fingerprint()
            }),
            "{emit:?}"
        );

        // The trusted key's name with a damaged signature.
        let mut forged = good.clone();
        if emit == Emit::Blob {
            let mut h = ArtifactHeader::decode(&good).unwrap();
            h.signature[40] ^= 1;
            forged[..HEADER_SIZE].copy_from_slice(&h.encode());
        } else {
            let name = a.public_key().to_bytes();
            let at = good.windows(32).position(|w| w == name).expect("the slot is there");
            forged[at + 40] ^= 1;
        }
        assert_eq!(
            refused(&rt, &forged),
            ArtifactError::Signature(SignatureError::Invalid {
                signer: a.public_key().fingerprint()
            }),
            "{emit:?}"
        );
        assert_eq!(
            kiln::artifact_signer(&forged).unwrap(),
            Signer::Signed { key: a.public_key(), valid: false }
        );
    }
}

#[test]
fn altering_a_signed_artifact_is_caught() {
    let a = key(3);
    let rt = trusting(&[a.public_key()]);
    let good = signed(Emit::Blob, &a);
    let h = ArtifactHeader::decode(&good).unwrap();

    // A header field changed and the header checksum recomputed: the signature no longer
    // matches the header.
    let mut altered = good.clone();
    let mut h2 = h.clone();
    h2.settings_fingerprint ^= 1;
    altered[..HEADER_SIZE].copy_from_slice(&h2.encode());
    assert_eq!(
        refused(&rt, &altered),
        ArtifactError::Signature(SignatureError::Invalid { signer: a.public_key().fingerprint() })
    );
    // The payload changed (the header, and so the signature, still names the old digest).
    let mut altered = good.clone();
    let code = h.sections.range(kiln::Section::Code);
    altered[code.start] ^= 0x40;
    assert!(matches!(
        refused(&rt, &altered),
        ArtifactError::Corrupt { part: ArtifactPart::Payload, .. }
    ));
    // An altered object part.
    let obj = signed(Emit::Obj, &a);
    let text = {
        use object::{Object, ObjectSection};
        let elf = object::File::parse(&*obj).unwrap();
        let s = elf.section_by_name(".text").unwrap();
        s.file_range().unwrap().0 as usize
    };
    let mut altered = obj.clone();
    altered[text] ^= 0x40;
    assert!(matches!(refused(&rt, &altered), ArtifactError::Corrupt { .. }));
}

#[test]
fn two_trusted_keys_let_keys_rotate() {
    let (old, new, stranger) = (key(4), key(5), key(6));
    let rt = trusting(&[old.public_key(), new.public_key()]);
    for emit in [Emit::Blob, Emit::Obj] {
        for k in [&old, &new] {
            let m = rt.load_artifact_bytes(&signed(emit, k)).unwrap();
            assert_eq!(answer(&rt, &m), 42);
        }
        assert!(matches!(
            refused(&rt, &signed(emit, &stranger)),
            ArtifactError::Signature(SignatureError::UntrustedKey { .. })
        ));
    }
    // After the rotation only the new key is trusted.
    let rt = trusting(&[new.public_key()]);
    assert!(rt.load_artifact_bytes(&signed(Emit::Blob, &new)).is_ok());
    assert!(matches!(
        refused(&rt, &signed(Emit::Blob, &old)),
        ArtifactError::Signature(SignatureError::UntrustedKey { .. })
    ));
}

#[test]
fn safe_loading_needs_a_policy_and_unsafe_loading_vouches() {
    let rt = Runtime::new();
    let a = key(7);
    // Without trusted keys the safe functions refuse even a signed artifact.
    assert_eq!(
        refused(&rt, &signed(Emit::Blob, &a)),
        ArtifactError::Signature(SignatureError::NoTrustedKeys)
    );
    let e = rt
        .load_artifact_or_wasm(
            "/nonexistent.kiln",
            &wat::parse_str(WAT).unwrap(),
            kiln::ArtifactFallback::Fail,
        )
        .unwrap_err();
    assert!(matches!(e, Error::Artifact(ArtifactError::Signature(_))), "{e}");
    // The unsafe function loads an unsigned one (the caller vouches for it) ...
    // SAFETY: compiled by this test.
    let m = unsafe { rt.load_artifact_bytes_unsigned(&unsigned(Emit::Blob)) }.unwrap();
    assert_eq!(answer(&rt, &m), 42);
    // ... and under a policy it is the safe function: the policy still applies.
    let strict = trusting(&[a.public_key()]);
    // SAFETY: compiled by this test.
    let e = unsafe { strict.load_artifact_bytes_unsigned(&unsigned(Emit::Blob)) }.unwrap_err();
    assert!(matches!(e, Error::Artifact(ArtifactError::Signature(SignatureError::Unsigned))));
}

#[test]
fn the_compilation_cache_loads_its_own_files_under_a_policy() {
    let dir = std::env::temp_dir().join(format!("kiln-signatures-cache-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let cache = CompilationCache::with_directory(&dir).unwrap();
    let config = RuntimeConfig::compiler()
        .with_trusted_key(key(8).public_key())
        .with_compilation_cache(cache.clone());
    let rt = Runtime::with_config(config.clone());
    let wasm = wat::parse_str(WAT).unwrap();
    assert_eq!(answer(&rt, &rt.compile(&wasm).unwrap()), 42);
    cache.clear_memory();
    let rt = Runtime::with_config(config);
    assert_eq!(answer(&rt, &rt.compile(&wasm).unwrap()), 42);
    assert_eq!(cache.stats().disk_hits, 1, "the unsigned cache entry loaded");
    let _ = std::fs::remove_dir_all(&dir);
}
