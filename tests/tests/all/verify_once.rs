//! Verify once (DESIGN.md principle 2): the first load of an artifact file hashes its
//! payload and records it; later loads of the unchanged file skip the hashing; a file
//! changed in any way, even with its modification time restored, is verified again (its
//! change time moved), and a corrupt record counts as none.

use kiln::aot::{AotOptions, Emit, compile_artifact};
use kiln::{ArtifactError, ArtifactHeader, Error, ModuleConfig, Runtime, RuntimeConfig};
use kiln_loader::{LoadOptions, VerifiedFiles, verified};
use kiln_runtime_support::artifact::TrustedKeys;
use std::path::{Path, PathBuf};

const WAT: &str = r#"(module (func (export "answer") (result i32) i32.const 42))"#;

fn dir(label: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("kiln-verify-once-{}-{label}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Writes `bytes` to `path` and waits until the write is old enough to be recorded.
fn write_settled(path: &Path, bytes: &[u8]) {
    std::fs::write(path, bytes).unwrap();
    std::thread::sleep(verified::RACY_MARGIN * 2);
}

/// Loads `path` through the loader with records in `records`: whether the payload was
/// hashed, or the error.
fn load(path: &Path, records: &VerifiedFiles) -> Result<bool, ArtifactError> {
    let settings = Runtime::new().code_settings();
    let trust = TrustedKeys::none();
    let options = LoadOptions { settings: &settings, trust: &trust, verified_files: Some(records) };
    // SAFETY: the test's own artifacts, or altered copies the loader must refuse.
    unsafe { kiln_loader::load_file_unsigned(path, &options) }.map(|l| l.payload_hashed)
}

#[test]
fn unchanged_files_are_hashed_once_and_altered_ones_again() {
    let d = dir("alter");
    let records = VerifiedFiles::new(d.join("records"));
    let wasm = wat::parse_str(WAT).unwrap();
    for emit in [Emit::Blob, Emit::Obj] {
        let artifact =
            compile_artifact(&wasm, &AotOptions { emit, ..AotOptions::default() }).unwrap();
        let path = d.join(format!("answer-{emit:?}"));
        write_settled(&path, &artifact);
        assert_eq!(load(&path, &records), Ok(true), "{emit:?}: the first load hashes");
        assert_eq!(load(&path, &records), Ok(false), "{emit:?}: later loads do not");
        assert_eq!(load(&path, &records), Ok(false));

        // Alter one payload byte in place and put the modification time back.
        let mtime = std::fs::metadata(&path).unwrap().modified().unwrap();
        let mut altered = artifact.clone();
        let at = match emit {
            Emit::Blob => {
                ArtifactHeader::decode(&artifact).unwrap().sections.range(kiln::Section::Code).start
            }
            Emit::Obj => {
                use object::{Object, ObjectSection};
                let elf = object::File::parse(&*artifact).unwrap();
                elf.section_by_name(".text").unwrap().file_range().unwrap().0 as usize
            }
        };
        altered[at] ^= 0x01;
        {
            use std::io::{Seek, SeekFrom, Write};
            let mut f = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
            f.seek(SeekFrom::Start(at as u64)).unwrap();
            f.write_all(&altered[at..at + 1]).unwrap();
            f.set_modified(mtime).unwrap();
        }
        assert_eq!(std::fs::metadata(&path).unwrap().modified().unwrap(), mtime);
        assert_eq!(std::fs::metadata(&path).unwrap().len(), artifact.len() as u64);
        let e = load(&path, &records).unwrap_err();
        assert!(matches!(e, ArtifactError::Corrupt { .. }), "{emit:?}: {e:?}");
        // Still refused at every later load: a failed load records nothing.
        assert!(load(&path, &records).is_err());

        // Restored: verified in full again, then recorded.
        write_settled(&path, &artifact);
        assert_eq!(load(&path, &records), Ok(true));
        assert_eq!(load(&path, &records), Ok(false));
    }
}

#[test]
fn corrupt_records_and_fresh_files_are_verified() {
    let d = dir("records");
    let records = VerifiedFiles::new(d.join("records"));
    let artifact = compile_artifact(&wat::parse_str(WAT).unwrap(), &AotOptions::default()).unwrap();
    let path = d.join("answer.kiln");
    // A file changed just now is verified but not recorded (its change time could be shared
    // by a change in the same clock tick).
    std::fs::write(&path, &artifact).unwrap();
    assert_eq!(load(&path, &records), Ok(true));
    std::thread::sleep(verified::RACY_MARGIN * 2);
    assert_eq!(load(&path, &records), Ok(true), "recorded only now");
    assert_eq!(load(&path, &records), Ok(false));
    // Damage every record: each load hashes again (and rewrites it).
    for entry in std::fs::read_dir(records.dir()).unwrap() {
        std::fs::write(entry.unwrap().path(), b"not a record").unwrap();
    }
    assert_eq!(load(&path, &records), Ok(true));
    assert_eq!(load(&path, &records), Ok(false));
    // Bytes never use records.
    let rt = Runtime::with_config(RuntimeConfig::new().with_verify_once_dir(records.dir()));
    assert!(kiln_tests::load_own_bytes(&rt, &artifact).is_ok());
}

#[test]
fn the_runtime_verifies_once_and_can_be_told_not_to() {
    let d = dir("runtime");
    let artifact = compile_artifact(&wat::parse_str(WAT).unwrap(), &AotOptions::default()).unwrap();
    let path = d.join("answer.kiln");
    write_settled(&path, &artifact);
    let records = d.join("records");
    let rt = Runtime::with_config(RuntimeConfig::new().with_verify_once_dir(&records));
    let m = kiln_tests::load_own(&rt, &path).unwrap();
    let inst = rt.instantiate(&m, ModuleConfig::new()).unwrap();
    assert_eq!(inst.typed_func::<(), i32>("answer").unwrap().call(()).unwrap(), 42);
    assert_eq!(std::fs::read_dir(&records).unwrap().count(), 1, "one record");
    assert_eq!(load(&path, &VerifiedFiles::new(&records)), Ok(false), "the runtime's record");

    // Off: nothing is recorded.
    let off = d.join("off");
    let rt = Runtime::with_config(
        RuntimeConfig::new().with_verify_once_dir(&off).with_verify_once(false),
    );
    kiln_tests::load_own(&rt, &path).unwrap();
    assert!(!off.exists());

    // A record never makes an altered file load: same length, restored mtime.
    let mtime = std::fs::metadata(&path).unwrap().modified().unwrap();
    let mut bytes = artifact.clone();
    let n = bytes.len();
    bytes[n - 1] ^= 0x80;
    std::fs::write(&path, &bytes).unwrap();
    std::fs::File::options().write(true).open(&path).unwrap().set_modified(mtime).unwrap();
    let rt = Runtime::with_config(RuntimeConfig::new().with_verify_once_dir(&records));
    match kiln_tests::load_own(&rt, &path) {
        Err(Error::Artifact(ArtifactError::Corrupt { .. })) => {}
        other => panic!("an altered artifact loaded or failed otherwise: {:?}", other.err()),
    }
}
