//! Copy-on-write memory images (DESIGN.md principle 3): an artifact loaded from a file maps
//! its initialized-memory image into each new linear memory instead of copying the data
//! segments, and a module compiled in process maps the same image from an in-memory file,
//! with exactly the interpreter's memory contents and spec behaviour; every other case
//! copies.

use kiln::aot::{AotOptions, compile_artifact};
use kiln::{Error, Instance, ModuleConfig, Runtime, RuntimeConfig};
use kiln_runtime_support::artifact::memory_image::MemoryImageDecl;
use kiln_runtime_support::artifact::metadata::ArtifactMetadata;
use kiln_runtime_support::artifact::{ArtifactHeader, Section};
use std::path::{Path, PathBuf};

/// 1 MiB of non-zero bytes for the big segment.
fn pattern() -> Vec<u8> {
    (0..1 << 20).map(|i: u32| (i.wrapping_mul(7) ^ (i >> 9)) as u8 | 1).collect()
}

fn wat_bytes(b: &[u8]) -> String {
    b.iter().map(|c| format!("\\{c:02x}")).collect()
}

/// A module with 1 MiB of data at 4096, an overlapping later segment, a passive segment, a
/// zero-length active segment, and functions that read, write, grow and `memory.init`.
fn big_module(memory: &str) -> Vec<u8> {
    wat::parse_str(format!(
        r#"(module
          {memory}
          (data (i32.const 4096) "{big}")
          (data (i32.const 500000) "OVERLAP")
          (data (i32.const 1200000) "")
          (data $p "passive bytes")
          (func (export "load") (param i32) (result i32) (i32.load8_u (local.get 0)))
          (func (export "store") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
          (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
          (func (export "init_passive") (param i32) (memory.init $p (local.get 0) (i32.const 0) (i32.const 13)))
          (func (export "init_active") (param i32) (memory.init 0 (local.get 0) (i32.const 0) (i32.const 1))))"#,
        big = wat_bytes(&pattern())
    ))
    .unwrap()
}

const DEFINED: &str = r#"(memory (export "mem") 20 100)"#;

fn dir() -> PathBuf {
    let d = std::env::temp_dir().join(format!("kiln-memory-image-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Private writable mappings of `path` in this process (the mapped memory images).
fn cow_mappings(path: &Path) -> usize {
    let path = std::fs::canonicalize(path).unwrap();
    let maps = std::fs::read_to_string("/proc/self/maps").unwrap();
    maps.lines()
        .filter(|l| {
            l.ends_with(path.to_str().unwrap()) && l.split_whitespace().nth(1) == Some("rw-p")
        })
        .count()
}

fn memory_of(inst: &Instance) -> Vec<u8> {
    let mem = inst.exported_memory("mem").unwrap();
    mem.read_vec(0, mem.data_size() as usize).unwrap()
}

fn call(inst: &Instance, name: &str, args: &[i32]) -> Result<Vec<kiln::Val>, Error> {
    let args: Vec<kiln::Val> = args.iter().map(|a| kiln::Val::I32(*a)).collect();
    inst.exported_function(name).unwrap().call(&args)
}

/// The single `i32` result of a call.
fn call_i32(inst: &Instance, name: &str, args: &[i32]) -> i32 {
    match call(inst, name, args).unwrap().as_slice() {
        [kiln::Val::I32(v)] => *v,
        other => panic!("{name}: {other:?}"),
    }
}

fn metadata(blob: &[u8]) -> ArtifactMetadata {
    let v = kiln_runtime_support::artifact::verify_integrity(blob).unwrap();
    v.metadata().unwrap()
}

#[test]
fn a_file_artifact_maps_its_image_copy_on_write() {
    let wasm = big_module(DEFINED);
    let blob = compile_artifact(&wasm, &AotOptions::default()).unwrap();
    let decl = metadata(&blob).memory_image.expect("the compiler wrote a memory image");
    assert_eq!((decl.memory, decl.offset), (0, 4096));
    assert_eq!(decl.len, (4096u64 + (1 << 20)).next_multiple_of(4096) - 4096);
    let h = ArtifactHeader::decode(&blob).unwrap();
    assert_eq!(
        h.sections.get(Section::Data).offset % 4096,
        0,
        "the image is page-aligned in the file"
    );

    let interp = Runtime::with_config(RuntimeConfig::interpreter());
    let expected_inst =
        interp.instantiate(&interp.compile(&wasm).unwrap(), ModuleConfig::new()).unwrap();
    let expected = memory_of(&expected_inst);
    assert_eq!(&expected[4096..4100], &pattern()[..4]);
    assert_eq!(&expected[500000..500007], b"OVERLAP");

    let path = dir().join("big.kiln");
    std::fs::write(&path, &blob).unwrap();
    let rt = Runtime::new();
    let m = kiln_tests::load_own(&rt, &path).unwrap();
    assert_eq!(cow_mappings(&path), 0, "nothing mapped writable at load");
    let a = rt.instantiate(&m, ModuleConfig::new().with_name("a")).unwrap();
    assert_eq!(cow_mappings(&path), 1, "the image is mapped from the file");
    let b = rt.instantiate(&m, ModuleConfig::new().with_name("b")).unwrap();
    assert_eq!(cow_mappings(&path), 2, "one private mapping per instance");
    assert!(memory_of(&a) == expected && memory_of(&b) == expected, "the interpreter's contents");

    // Copy-on-write: a write stays in its instance, and out of the file.
    call(&a, "store", &[4096, 0]).unwrap();
    call(&a, "store", &[500001, b'#' as i32]).unwrap();
    assert_eq!(call_i32(&a, "load", &[4096]), 0);
    assert_eq!(call_i32(&b, "load", &[4096]), pattern()[0] as i32);
    assert!(memory_of(&b) == expected);
    assert_eq!(std::fs::read(&path).unwrap(), blob, "the artifact file is unchanged");

    // Active segments are dropped after instantiation (spec: memory.init of one traps
    // unless empty); passive ones stay.
    let e = call(&a, "init_active", &[0]).unwrap_err();
    assert!(e.to_string().contains("out of bounds memory access"), "{e}");
    call(&a, "init_passive", &[1_100_000]).unwrap();
    assert_eq!(memory_of(&a)[1_100_000..1_100_013], *b"passive bytes");

    // Growth keeps the image and adds zero pages, in place or moved.
    assert_eq!(call_i32(&a, "grow", &[30]), 20);
    let grown = memory_of(&a);
    assert_eq!(grown.len(), 50 << 16);
    assert!(
        grown[8192..500000] == expected[8192..500000]
            && grown[500002..1 << 20] == expected[500002..1 << 20]
    );
    assert_eq!(grown[500001], b'#');
    assert!(grown[20 << 16..].iter().all(|b| *b == 0));
    call(&a, "store", &[(50 << 16) - 1, 9]).unwrap();
    assert_eq!(call_i32(&a, "load", &[(50 << 16) - 1]), 9);

    // Dropping the instances (with their runtime) keeps at most their two reservations with
    // the image mapped, reset, for the next instance; dropping the module unmaps it from
    // every kept reservation.
    drop((a, b, rt));
    assert!(cow_mappings(&path) <= 2);
    drop(m);
    assert_eq!(cow_mappings(&path), 0, "no mapping of a dropped module's file is kept");
}

/// Private writable mappings of Kiln's in-memory images (`memfd:kiln-memory-image`) of
/// exactly `len` bytes in this process.
fn in_memory_image_mappings(len: u64) -> usize {
    let maps = std::fs::read_to_string("/proc/self/maps").unwrap();
    maps.lines()
        .filter(|l| l.contains("/memfd:kiln-memory-image") && l.contains(" rw-p "))
        .filter(|l| {
            let range = l.split_whitespace().next().unwrap();
            let (start, end) = range.split_once('-').unwrap();
            let size =
                u64::from_str_radix(end, 16).unwrap() - u64::from_str_radix(start, 16).unwrap();
            size == len
        })
        .count()
}

#[test]
fn a_module_compiled_in_process_maps_an_in_memory_image_copy_on_write() {
    // 777 pages of data: an image size no other test's module has.
    let len = 777u64 * 4096;
    let data: Vec<u8> = (0..len).map(|i| (i % 251) as u8 | 1).collect();
    let wasm = wat::parse_str(format!(
        r#"(module
          (memory (export "mem") 60)
          (data (i32.const 8192) "{data}")
          (func (export "load") (param i32) (result i32) (i32.load8_u (local.get 0)))
          (func (export "store") (param i32 i32) (i32.store8 (local.get 0) (local.get 1))))"#,
        data = wat_bytes(&data)
    ))
    .unwrap();
    let interp = Runtime::with_config(RuntimeConfig::interpreter());
    let expected = memory_of(
        &interp.instantiate(&interp.compile(&wasm).unwrap(), ModuleConfig::new()).unwrap(),
    );
    let rt = Runtime::with_config(RuntimeConfig::compiler());
    let m = rt.compile(&wasm).unwrap();
    let a = rt.instantiate(&m, ModuleConfig::new().with_name("a")).unwrap();
    assert_eq!(in_memory_image_mappings(len), 1, "the image is mapped, not copied");
    let b = rt.instantiate(&m, ModuleConfig::new().with_name("b")).unwrap();
    assert_eq!(in_memory_image_mappings(len), 2, "one private mapping per instance");
    assert!(memory_of(&a) == expected && memory_of(&b) == expected);
    call(&a, "store", &[8192, 0]).unwrap();
    assert_eq!(call_i32(&a, "load", &[8192]), 0);
    assert_eq!(call_i32(&b, "load", &[8192]), data[0] as i32, "the write stays in its instance");
    drop((a, b));
    assert!(in_memory_image_mappings(len) <= 2, "kept, reset, for the next instances");
    // Instances that take a kept reservation see the image again, not what was written.
    for name in ["c", "d", "e"] {
        let i = rt.instantiate(&m, ModuleConfig::new().with_name(name)).unwrap();
        assert!(memory_of(&i) == expected, "{name}: the image and zeros");
        call(&i, "store", &[8192, 0]).unwrap();
        call(&i, "store", &[60 * 65536 - 1, 7]).unwrap();
        i.close();
    }
    drop((rt, m));
    assert_eq!(in_memory_image_mappings(len), 0, "unmapped with the module");
}

#[test]
fn every_other_path_copies_with_the_same_result() {
    let wasm = big_module(DEFINED);
    let blob = compile_artifact(&wasm, &AotOptions::default()).unwrap();
    let interp = Runtime::with_config(RuntimeConfig::interpreter());
    let expected = memory_of(
        &interp.instantiate(&interp.compile(&wasm).unwrap(), ModuleConfig::new()).unwrap(),
    );

    // From bytes: no file to map from.
    let rt = Runtime::new();
    let inst = rt
        .instantiate(&kiln_tests::load_own_bytes(&rt, &blob).unwrap(), ModuleConfig::new())
        .unwrap();
    assert_eq!(memory_of(&inst), expected);
    // Compiled in process (mapped from an in-memory image: see the next test).
    let rt = Runtime::with_config(RuntimeConfig::compiler());
    let inst = rt.instantiate(&rt.compile(&wasm).unwrap(), ModuleConfig::new()).unwrap();
    assert_eq!(memory_of(&inst), expected);

    // An imported memory: no image; the segments are copied into the importer's memory.
    let importer = big_module(r#"(import "host" "mem" (memory 20 100))"#);
    let blob = compile_artifact(&importer, &AotOptions::default()).unwrap();
    assert!(metadata(&blob).memory_image.is_none());
    let path = dir().join("importer.kiln");
    std::fs::write(&path, &blob).unwrap();
    let rt = Runtime::new();
    let provider = wat::parse_str(format!(r#"(module {DEFINED})"#)).unwrap();
    let p = rt
        .instantiate(&rt.compile(&provider).unwrap(), ModuleConfig::new().with_name("host"))
        .unwrap();
    rt.instantiate(&kiln_tests::load_own(&rt, &path).unwrap(), ModuleConfig::new()).unwrap();
    assert_eq!(cow_mappings(&path), 0);
    assert_eq!(memory_of(&p), expected);
}

#[test]
fn out_of_bounds_segments_fail_instantiation_as_before() {
    // The second segment ends past the initial memory: no image, and instantiation fails
    // with the interpreter's trap after writing the first segment.
    let wasm = wat::parse_str(format!(
        r#"(module (import "host" "mem" (memory 2))
             (data (i32.const 0) "{big}") (data (i32.const 131070) "too far"))"#,
        big = wat_bytes(&pattern()[..100_000])
    ))
    .unwrap();
    let defined = wat::parse_str(format!(
        r#"(module (memory 2) (data (i32.const 0) "{big}") (data (i32.const 131070) "too far"))"#,
        big = wat_bytes(&pattern()[..100_000])
    ))
    .unwrap();
    let blob = compile_artifact(&defined, &AotOptions::default()).unwrap();
    assert!(metadata(&blob).memory_image.is_none(), "an out-of-bounds segment means no image");
    let path = dir().join("oob.kiln");
    std::fs::write(&path, &blob).unwrap();
    let rt = Runtime::new();
    let e = rt
        .instantiate(&kiln_tests::load_own(&rt, &path).unwrap(), ModuleConfig::new())
        .unwrap_err();
    let interp = Runtime::with_config(RuntimeConfig::interpreter());
    let e2 =
        interp.instantiate(&interp.compile(&defined).unwrap(), ModuleConfig::new()).unwrap_err();
    assert_eq!(e.to_string(), e2.to_string());
    assert!(e.to_string().contains("out of bounds memory access"), "{e}");

    // Earlier segments' writes stay visible in an imported memory.
    let blob = compile_artifact(&wasm, &AotOptions::default()).unwrap();
    let rt = Runtime::new();
    let provider = wat::parse_str(r#"(module (memory (export "mem") 2))"#).unwrap();
    let p = rt
        .instantiate(&rt.compile(&provider).unwrap(), ModuleConfig::new().with_name("host"))
        .unwrap();
    assert!(
        rt.instantiate(&kiln_tests::load_own_bytes(&rt, &blob).unwrap(), ModuleConfig::new())
            .is_err()
    );
    assert_eq!(&memory_of(&p)[..100_000], &pattern()[..100_000]);
}

#[test]
fn a_sealed_artifact_whose_image_does_not_fit_is_refused() {
    let wasm = big_module(DEFINED);
    let blob = compile_artifact(&wasm, &AotOptions::default()).unwrap();
    let rt = Runtime::new();
    let path = dir().join("rewritten.kiln");
    let meta = metadata(&blob);
    std::fs::write(&path, kiln_tests::rewrite_artifact(&blob, &meta)).unwrap();
    kiln_tests::load_own(&rt, &path).expect("rewriting alone keeps it loadable");
    type Edit = fn(&mut MemoryImageDecl);
    let cases: [(&str, Edit); 4] = [
        ("past the memory's initial size", |d| d.offset = 19 << 16),
        ("misaligned", |d| d.offset += 1),
        ("an imported or missing memory", |d| d.memory = 1),
        ("longer than the data section", |d| d.len += 1 << 20),
    ];
    for (what, edit) in cases {
        let mut meta = metadata(&blob);
        edit(meta.memory_image.as_mut().unwrap());
        std::fs::write(&path, kiln_tests::rewrite_artifact(&blob, &meta)).unwrap();
        match kiln_tests::load_own(&rt, &path) {
            Err(Error::Artifact(kiln::ArtifactError::Corrupt {
                part: kiln::ArtifactPart::Metadata,
                detail,
            })) => {
                assert!(detail.contains("memory image"), "{what}: {detail}")
            }
            other => panic!("{what}: {other:?}"),
        }
    }
}
