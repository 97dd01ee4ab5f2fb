//! WASI preview1 conformance: the C programs in `tests/wasi/` (built with wasi-libc) run
//! on both engines through the embedding API, their standard output compared byte for
//! byte with `tests/wasi/<name>.expected`, and the host filesystem checked afterwards.
//! Small wat modules cover what C cannot reach (signatures, bad pointers, no memory).

use kiln::{Error, ExitError, FSConfig, ModuleConfig, Runtime, RuntimeConfig};
use kiln_tests::wasi_command::Capture;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Both engines.
fn engines() -> [(&'static str, RuntimeConfig); 2] {
    [("interpreter", RuntimeConfig::interpreter()), ("compiler", RuntimeConfig::compiler())]
}

/// A directory under the system temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(label: &str) -> TempDir {
        use std::sync::atomic::{AtomicU32, Ordering};
        static N: AtomicU32 = AtomicU32::new(0);
        let p = std::env::temp_dir().join(format!(
            "kiln-wasi-{}-{label}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn program(name: &str) -> Vec<u8> {
    kiln_tests::build_wasi_program(&format!("{name}.c")).unwrap_or_else(|e| panic!("{e}"))
}

fn expected(name: &str) -> Vec<u8> {
    let p = kiln_tests::wasi_dir().join(format!("{name}.expected"));
    std::fs::read(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
}

/// Runs `wasm` as a command on `rt_config` with `config` (stdout and stderr captured):
/// the instantiation result, stdout and stderr.
fn run(
    rt_config: RuntimeConfig,
    wasm: &[u8],
    config: ModuleConfig,
) -> (Result<(), Error>, Vec<u8>, Vec<u8>) {
    let rt = Runtime::with_config(rt_config);
    kiln::wasi::instantiate(&rt).unwrap();
    let module = rt.compile(wasm).unwrap();
    let (out, err) = (Capture::default(), Capture::default());
    let r =
        rt.instantiate(&module, config.with_stdout(out.clone()).with_stderr(err.clone())).map(drop);
    (r, out.bytes(), err.bytes())
}

fn assert_output(what: &str, got: &[u8], want: &[u8]) {
    if got != want {
        panic!(
            "{what}: stdout differs from the expected file\n--- got ---\n{}\n--- expected ---\n{}",
            String::from_utf8_lossy(got),
            String::from_utf8_lossy(want)
        );
    }
}

/// Runs program `name` on both engines with a fresh empty directory mounted at
/// `/sandbox`, expecting success and `<name>.expected`; returns each engine's directory
/// (kept until the caller drops it) for host-side checks.
fn check_in_sandbox(name: &str, args: &[&str]) -> Vec<TempDir> {
    let wasm = program(name);
    let want = expected(name);
    let mut dirs = Vec::new();
    for (engine, rc) in engines() {
        let dir = TempDir::new(name);
        let config = ModuleConfig::new()
            .with_args(std::iter::once(name).chain(args.iter().copied()))
            .with_fs_config(FSConfig::new().with_dir_mount(dir.path(), "/sandbox"));
        let (r, out, err) = run(rc, &wasm, config);
        assert!(r.is_ok(), "{name} on {engine}: {r:?}; stdout:\n{}", String::from_utf8_lossy(&out));
        assert_output(&format!("{name} on {engine}"), &out, &want);
        assert!(
            err.is_empty(),
            "{name} on {engine} wrote to stderr: {}",
            String::from_utf8_lossy(&err)
        );
        dirs.push(dir);
    }
    dirs
}

#[test]
fn files() {
    for dir in check_in_sandbox("files", &[]) {
        // The guest's writes are on the host.
        let lines = std::fs::read_to_string(dir.path().join("lines")).unwrap();
        assert_eq!(lines.lines().count(), 1000);
        assert_eq!(lines.lines().last(), Some("line 999"));
        assert_eq!(std::fs::read(dir.path().join("log")).unwrap(), b"one\ntwo\n");
        // fd_allocate is ENOTSUP (as in wasmtime): the file keeps its size.
        assert_eq!(std::fs::metadata(dir.path().join("f.txt")).unwrap().len(), 100);
    }
}

#[test]
fn directories() {
    for dir in check_in_sandbox("dirs", &[]) {
        assert!(!dir.path().join("d").exists());
        assert_eq!(std::fs::read(dir.path().join("w/rel")).unwrap(), b"relative");
    }
}

#[test]
fn readdir_large_directory() {
    for dir in check_in_sandbox("readdir", &[]) {
        assert_eq!(std::fs::read_dir(dir.path().join("big")).unwrap().count(), 3001);
    }
}

#[test]
fn seek_and_tell() {
    check_in_sandbox("seek", &[]);
}

#[test]
fn poll_oneoff_with_fake_clocks() {
    check_in_sandbox("poll", &[]);
}

#[test]
fn poll_oneoff_really_sleeps_with_sys_clocks() {
    let wasm = program("poll");
    for (engine, rc) in engines() {
        let dir = TempDir::new("poll-sys");
        let config = ModuleConfig::new()
            .with_fs_config(FSConfig::new().with_dir_mount(dir.path(), "/sandbox"))
            .with_sys_nanotime()
            .with_sys_walltime()
            .with_sys_nanosleep();
        let start = std::time::Instant::now();
        let (r, out, _) = run(rc, &wasm, config);
        let elapsed = start.elapsed();
        assert!(r.is_ok(), "{engine}: {r:?}");
        assert_output(&format!("poll (real clocks) on {engine}"), &out, &expected("poll"));
        // 1 + 5 + 20 + 2 + 50 + 30 ms of sleeping, at least.
        assert!(
            elapsed >= std::time::Duration::from_millis(108),
            "{engine}: slept only {elapsed:?}"
        );
    }
}

#[test]
fn args_and_environment_edge_cases() {
    let wasm = program("args_env");
    let many_args: Vec<String> =
        std::iter::once("prog".to_string()).chain((1..1000).map(|i| format!("arg{i}"))).collect();
    let cases: Vec<(&str, ModuleConfig)> = vec![
        ("args_env_empty", ModuleConfig::new()),
        (
            "args_env_unicode",
            ModuleConfig::new()
                .with_args(["prog", "", "héllo wörld", "日本語", "tab\there", "emoji 🎉"])
                .with_env("EMPTY", "")
                .with_env("UNICODE", "ünïcödé ✓")
                .with_env("WITH_EQUALS", "a=b=c"),
        ),
        ("args_env_many", {
            let mut c = ModuleConfig::new().with_args(many_args.clone());
            for i in 0..100 {
                c = c.with_env(format!("VAR{i}"), "x".repeat(i));
            }
            c
        }),
    ];
    for (name, config) in cases {
        let want = expected(name);
        for (engine, rc) in engines() {
            // ModuleConfig is consumed per instantiation: rebuild it for each engine.
            let config = rebuild(&config);
            let (r, out, _) = run(rc, &wasm, config);
            assert!(r.is_ok(), "{name} on {engine}: {r:?}");
            assert_output(&format!("{name} on {engine}"), &out, &want);
        }
    }
}

fn rebuild(c: &ModuleConfig) -> ModuleConfig {
    let mut n = ModuleConfig::new().with_args(c.args().iter().cloned());
    for (k, v) in c.env() {
        n = n.with_env(k.clone(), v.clone());
    }
    n
}

#[test]
fn fake_clocks_and_deterministic_random_by_default() {
    let wasm = program("clock_random");
    let want = expected("clock_random");
    for (engine, rc) in engines() {
        let (r, out, _) = run(rc, &wasm, ModuleConfig::new());
        assert!(r.is_ok(), "{engine}: {r:?}");
        assert_output(&format!("clock_random on {engine}"), &out, &want);
    }
}

#[test]
fn clocks_and_random_sources_from_the_embedder() {
    let wasm = program("clock_random");
    for (engine, rc) in engines() {
        // A custom wall clock and random source show through.
        let config = ModuleConfig::new()
            .with_walltime(|| 1_000_000_000_000_000_000, 7)
            .with_rand_source(std::io::repeat(0xab));
        let (r, out, _) = run(rc.clone(), &wasm, config);
        assert!(r.is_ok(), "{engine}: {r:?}");
        let out = String::from_utf8(out).unwrap();
        assert!(
            out.contains("resolution 7 ns, first read 1000000000000000000, advances 0 ns"),
            "{engine}: {out}"
        );
        assert!(out.contains("today: 2001-09-09"), "{engine}: {out}");
        assert!(
            out.contains("bytes: ab ab ab ab ab ab ab ab ab ab ab ab ab ab ab ab\n"),
            "{engine}: {out}"
        );
        // A source that runs dry: EIO.
        let config = ModuleConfig::new().with_rand_source(std::io::Cursor::new(vec![1u8; 20]));
        let (_, out, _) = run(rc.clone(), &wasm, config);
        let out = String::from_utf8(out).unwrap();
        assert!(out.contains("random_get 100000: EIO"), "{engine}: {out}");
        // The host's source differs between runs; the host's clock is today.
        let a = run(rc.clone(), &wasm, ModuleConfig::new().with_sys_rand().with_sys_walltime()).1;
        let b = run(rc.clone(), &wasm, ModuleConfig::new().with_sys_rand()).1;
        let bytes = |o: &[u8]| {
            String::from_utf8_lossy(o).lines().find(|l| l.starts_with("bytes:")).map(str::to_string)
        };
        assert_ne!(bytes(&a), bytes(&b), "{engine}");
        assert!(!String::from_utf8_lossy(&a).contains("today: 2022-01-01"), "{engine}");
    }
}

#[test]
fn proc_exit_codes() {
    let wasm = program("exit");
    for (engine, rc) in engines() {
        for (mode, code) in [
            ("exit", 3u32),
            ("return", 7),
            ("raw", 42),
            ("exit", 255),
            ("exit", 0),
            ("return", 0),
            ("raw", 0),
        ] {
            let config = ModuleConfig::new().with_args(["exit", mode, &code.to_string()]);
            let (r, out, _) = run(rc.clone(), &wasm, config);
            match r {
                Ok(()) => assert_eq!(code, 0, "{engine} {mode}: exit code 0 is success"),
                Err(Error::Exit(ExitError { code: c })) => assert_eq!(c, code, "{engine} {mode}"),
                Err(e) => panic!("{engine} {mode} {code}: {e}"),
            }
            assert_eq!(
                String::from_utf8(out).unwrap(),
                format!("exiting with {code} via {mode}\n"),
                "{engine}"
            );
        }
        let (r, out, _) = run(rc, &wasm, ModuleConfig::new().with_args(["exit", "raise", "5"]));
        assert!(matches!(r, Err(Error::Exit(ExitError { code: 5 }))), "{engine}: {r:?}");
        assert_output(&format!("exit raise on {engine}"), &out, &expected("exit_raise"));
    }
}

#[test]
fn sandbox_escapes_are_refused() {
    let wasm = program("sandbox");
    let want = expected("sandbox");
    for (engine, rc) in engines() {
        let root = TempDir::new("sandbox");
        let sb = root.path().join("sb");
        std::fs::create_dir_all(sb.join("sub")).unwrap();
        std::fs::write(sb.join("file"), "inside").unwrap();
        std::fs::write(root.path().join("secret"), "secret").unwrap();
        std::os::unix::fs::symlink("/", sb.join("to_root")).unwrap();
        std::os::unix::fs::symlink("../..", sb.join("up")).unwrap();
        let config =
            ModuleConfig::new().with_fs_config(FSConfig::new().with_dir_mount(&sb, "/sandbox"));
        let (r, out, _) = run(rc, &wasm, config);
        assert!(r.is_ok(), "{engine}: {r:?}");
        assert_output(&format!("sandbox on {engine}"), &out, &want);
        // Nothing outside the mount changed.
        let mut outside: Vec<String> = std::fs::read_dir(root.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        outside.sort();
        assert_eq!(outside, ["sb", "secret"], "{engine}");
        assert_eq!(std::fs::read(root.path().join("secret")).unwrap(), b"secret");
        assert!(!Path::new("/tmp/kiln-escape").exists());
        assert!(
            !sb.join("abs").exists() && !sb.join("slash").exists(),
            "{engine}: absolute symlinks were refused"
        );
    }
}

#[test]
fn read_only_mounts_refuse_changes_with_erofs() {
    let wasm = program("readonly");
    let want = expected("readonly");
    for (engine, rc) in engines() {
        let ro = TempDir::new("ro");
        let rw = TempDir::new("rw");
        std::fs::write(ro.path().join("data"), "read-only data").unwrap();
        std::fs::create_dir(ro.path().join("dir")).unwrap();
        let before = std::fs::metadata(ro.path().join("data")).unwrap().modified().unwrap();
        let fs = FSConfig::new()
            .with_read_only_dir_mount(ro.path(), "/ro")
            .with_dir_mount(rw.path(), "/rw");
        let (r, out, _) = run(rc, &wasm, ModuleConfig::new().with_fs_config(fs));
        assert!(r.is_ok(), "{engine}: {r:?}");
        assert_output(&format!("readonly on {engine}"), &out, &want);
        let mut names: Vec<String> = std::fs::read_dir(ro.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, ["data", "dir"], "{engine}");
        assert_eq!(std::fs::read(ro.path().join("data")).unwrap(), b"read-only data");
        assert_eq!(std::fs::metadata(ro.path().join("data")).unwrap().modified().unwrap(), before);
        assert_eq!(std::fs::read(rw.path().join("copy")).unwrap(), b"read-only data");
    }
}

#[test]
fn descriptor_operations_and_stdio() {
    let wasm = program("fdops");
    let want = expected("fdops");
    for (engine, rc) in engines() {
        let dir = TempDir::new("fdops");
        let config = ModuleConfig::new()
            .with_fs_config(FSConfig::new().with_dir_mount(dir.path(), "/sandbox"))
            .with_stdin(std::io::Cursor::new(b"line one\nline two\n".to_vec()));
        let (r, out, err) = run(rc, &wasm, config);
        assert!(r.is_ok(), "{engine}: {r:?}");
        assert_output(&format!("fdops on {engine}"), &out, &want);
        assert_eq!(err, b"to stderr\n", "{engine}");
    }
}

#[test]
fn stdio_is_discarded_and_stdin_empty_by_default() {
    // fdops echoes stdin and writes to stdout and stderr: with nothing given, stdin is
    // empty and the output goes nowhere, and the program still succeeds.
    let wasm = program("fdops");
    let dir = TempDir::new("discard");
    let rt = Runtime::with_config(RuntimeConfig::interpreter());
    kiln::wasi::instantiate(&rt).unwrap();
    let module = rt.compile(&wasm).unwrap();
    let config =
        ModuleConfig::new().with_fs_config(FSConfig::new().with_dir_mount(dir.path(), "/sandbox"));
    rt.instantiate(&module, config).unwrap();
    // And with stdout captured, stdin reads as empty.
    let (r, out, _) = run(
        RuntimeConfig::interpreter(),
        &wasm,
        ModuleConfig::new().with_fs_config(FSConfig::new().with_dir_mount(dir.path(), "/sandbox")),
    );
    assert!(r.is_ok(), "{r:?}");
    assert!(String::from_utf8(out).unwrap().contains("stdin bytes 0, then end of file\n"));
}

#[test]
fn sockets_on_a_preopened_listener() {
    let wasm = program("sockets");
    let want = expected("sockets");
    for (engine, rc) in engines() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let client = std::thread::spawn(move || {
            let mut s = std::net::TcpStream::connect(addr).unwrap();
            s.set_read_timeout(Some(std::time::Duration::from_secs(20))).unwrap();
            s.write_all(b"hello kiln").unwrap();
            let mut reply = [0u8; 10];
            s.read_exact(&mut reply).unwrap();
            // The guest shut down its writing side: end of stream.
            let mut rest = Vec::new();
            s.read_to_end(&mut rest).unwrap();
            (reply, rest)
        });
        let config = ModuleConfig::new().with_args(["sockets", "3"]).with_tcp_listener(listener);
        let (r, out, _) = run(rc, &wasm, config);
        let (reply, rest) = client.join().unwrap();
        assert!(r.is_ok(), "{engine}: {r:?}");
        assert_output(&format!("sockets on {engine}"), &out, &want);
        assert_eq!(&reply, b"HELLO KILN", "{engine}");
        assert!(rest.is_empty(), "{engine}");
    }
}

#[test]
fn bad_configuration_is_a_typed_error() {
    let rt = Runtime::new();
    kiln::wasi::instantiate(&rt).unwrap();
    let module = rt.compile(&wat::parse_str("(module)").unwrap()).unwrap();
    let missing = std::env::temp_dir().join("kiln-wasi-no-such-dir-for-mount");
    let err = rt
        .instantiate(
            &module,
            ModuleConfig::new().with_fs_config(FSConfig::new().with_dir_mount(&missing, "/x")),
        )
        .unwrap_err();
    assert!(matches!(&err, Error::Mount { host_path, .. } if *host_path == missing), "{err}");
    let err = rt.instantiate(&module, ModuleConfig::new().with_args(["a\0b"])).unwrap_err();
    assert!(matches!(err, Error::InvalidConfig(_)), "{err}");
    let err = rt.instantiate(&module, ModuleConfig::new().with_env("A=B", "c")).unwrap_err();
    assert!(matches!(err, Error::InvalidConfig(_)), "{err}");
    assert!(matches!(kiln::wasi::instantiate(&rt), Err(Error::DuplicateModuleName(_))));
}

/// The witx signature of each function, as wasm types (`i` = i32, `I` = i64), params
/// then results.
const SIGNATURES: [(&str, &str, &str); 46] = [
    ("args_get", "ii", "i"),
    ("args_sizes_get", "ii", "i"),
    ("environ_get", "ii", "i"),
    ("environ_sizes_get", "ii", "i"),
    ("clock_res_get", "ii", "i"),
    ("clock_time_get", "iIi", "i"),
    ("fd_advise", "iIIi", "i"),
    ("fd_allocate", "iII", "i"),
    ("fd_close", "i", "i"),
    ("fd_datasync", "i", "i"),
    ("fd_fdstat_get", "ii", "i"),
    ("fd_fdstat_set_flags", "ii", "i"),
    ("fd_fdstat_set_rights", "iII", "i"),
    ("fd_filestat_get", "ii", "i"),
    ("fd_filestat_set_size", "iI", "i"),
    ("fd_filestat_set_times", "iIIi", "i"),
    ("fd_pread", "iiiIi", "i"),
    ("fd_prestat_get", "ii", "i"),
    ("fd_prestat_dir_name", "iii", "i"),
    ("fd_pwrite", "iiiIi", "i"),
    ("fd_read", "iiii", "i"),
    ("fd_readdir", "iiiIi", "i"),
    ("fd_renumber", "ii", "i"),
    ("fd_seek", "iIii", "i"),
    ("fd_sync", "i", "i"),
    ("fd_tell", "ii", "i"),
    ("fd_write", "iiii", "i"),
    ("path_create_directory", "iii", "i"),
    ("path_filestat_get", "iiiii", "i"),
    ("path_filestat_set_times", "iiiiIIi", "i"),
    ("path_link", "iiiiiii", "i"),
    ("path_open", "iiiiiIIii", "i"),
    ("path_readlink", "iiiiii", "i"),
    ("path_remove_directory", "iii", "i"),
    ("path_rename", "iiiiii", "i"),
    ("path_symlink", "iiiii", "i"),
    ("path_unlink_file", "iii", "i"),
    ("poll_oneoff", "iiii", "i"),
    ("proc_exit", "i", ""),
    ("proc_raise", "i", "i"),
    ("sched_yield", "", "i"),
    ("random_get", "ii", "i"),
    ("sock_accept", "iii", "i"),
    ("sock_recv", "iiiiii", "i"),
    ("sock_send", "iiiii", "i"),
    ("sock_shutdown", "ii", "i"),
];

fn wat_types(s: &str) -> String {
    s.chars().map(|c| if c == 'I' { " i64" } else { " i32" }).collect()
}

#[test]
fn all_46_functions_link_with_their_witx_signatures() {
    let names: Vec<&str> = SIGNATURES.iter().map(|s| s.0).collect();
    assert_eq!(names, kiln::wasi::FUNCTIONS);
    let mut imports = String::new();
    for (name, params, results) in SIGNATURES {
        let results = if results.is_empty() {
            String::new()
        } else {
            format!("(result{})", wat_types(results))
        };
        imports.push_str(&format!(
            "(import \"wasi_snapshot_preview1\" \"{name}\" (func $${name} (param{}) {results}))\n",
            wat_types(params)
        ));
    }
    let wasm = wat::parse_str(format!("(module {imports} (memory 1))")).unwrap();
    for (engine, rc) in engines() {
        let rt = Runtime::with_config(rc);
        kiln::wasi::instantiate(&rt).unwrap();
        let module = rt.compile(&wasm).unwrap();
        rt.instantiate(&module, ModuleConfig::new()).unwrap_or_else(|e| panic!("{engine}: {e}"));
        // A wrong signature does not link.
        let bad = wat::parse_str(r#"(module (import "wasi_snapshot_preview1" "fd_write" (func (param i32) (result i32))))"#)
            .unwrap();
        let bad = rt.compile(&bad).unwrap();
        assert!(
            matches!(rt.instantiate(&bad, ModuleConfig::new()), Err(Error::Link(_))),
            "{engine}"
        );
    }
}

/// A module exporting `go`, which calls one WASI function with the given arguments
/// and returns its errno.
fn call_module(import: &str, params: &str, args: &str, memory: bool) -> Vec<u8> {
    let mem = if memory { "(memory (export \"memory\") 1)" } else { "" };
    wat::parse_str(format!(
        r#"(module
             (import "wasi_snapshot_preview1" "{import}" (func $f (param{}) (result i32)))
             {mem}
             (func (export "go") (result i32) (call $f {args})))"#,
        wat_types(params)
    ))
    .unwrap()
}

fn errno_of(rc: RuntimeConfig, wasm: &[u8], config: ModuleConfig) -> i32 {
    let rt = Runtime::with_config(rc);
    kiln::wasi::instantiate(&rt).unwrap();
    let module = rt.compile(wasm).unwrap();
    let inst = rt.instantiate(&module, config).unwrap();
    inst.typed_func::<(), i32>("go").unwrap().call(()).unwrap()
}

#[test]
fn bad_pointers_are_efault_never_a_crash() {
    let efault = i32::from(kiln::wasi::Errno::EFAULT.0);
    let cases = [
        // iovec array past the end of memory.
        ("fd_write", "iiii", "(i32.const 1) (i32.const 65532) (i32.const 2) (i32.const 0)", true),
        // iovec inside, its buffer past the end.
        ("fd_write", "iiii", "(i32.const 1) (i32.const 0) (i32.const 1) (i32.const 100)", true),
        // result pointer at the very end.
        ("args_sizes_get", "ii", "(i32.const 65535) (i32.const 0)", true),
        ("clock_time_get", "iIi", "(i32.const 0) (i64.const 0) (i32.const -1)", true),
        ("random_get", "ii", "(i32.const 65000) (i32.const 1000)", true),
        ("fd_read", "iiii", "(i32.const 0) (i32.const -8) (i32.const 1) (i32.const 0)", true),
        (
            "poll_oneoff",
            "iiii",
            "(i32.const 0) (i32.const 65530) (i32.const 1) (i32.const 0)",
            true,
        ),
        // No memory at all.
        ("args_sizes_get", "ii", "(i32.const 0) (i32.const 4)", false),
        ("fd_write", "iiii", "(i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)", false),
    ];
    for (engine, rc) in engines() {
        for (f, params, args, memory) in cases {
            let wasm = if f == "fd_write" && memory && args.contains("65532") {
                call_module(f, params, args, memory)
            } else if f == "fd_write" && memory {
                // iovec {buf: 65530, len: 100} at 0.
                wat::parse_str(format!(
                    r#"(module
                         (import "wasi_snapshot_preview1" "fd_write" (func $f (param i32 i32 i32 i32) (result i32)))
                         (memory 1)
                         (func (export "go") (result i32)
                           (i32.store (i32.const 0) (i32.const 65530))
                           (i32.store (i32.const 4) (i32.const 100))
                           (call $f {args})))"#
                ))
                .unwrap()
            } else {
                call_module(f, params, args, memory)
            };
            let config =
                ModuleConfig::new().with_args(["prog", "arg"]).with_stdout(Capture::default());
            assert_eq!(
                errno_of(rc.clone(), &wasm, config),
                efault,
                "{engine}: {f} {args} memory={memory}"
            );
        }
    }
}

#[test]
fn proc_exit_from_wat_and_host_call_without_instance() {
    let wasm = wat::parse_str(
        r#"(module
             (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
             (func (export "_start") (call $exit (i32.const 0)) unreachable)
             (func (export "fail") (call $exit (i32.const 9)) unreachable))"#,
    )
    .unwrap();
    for (engine, rc) in engines() {
        let rt = Runtime::with_config(rc);
        kiln::wasi::instantiate(&rt).unwrap();
        let module = rt.compile(&wasm).unwrap();
        // proc_exit(0) in _start: instantiation succeeds; the unreachable after it never runs.
        let inst = rt
            .instantiate(&module, ModuleConfig::new())
            .unwrap_or_else(|e| panic!("{engine}: {e}"));
        let err = inst.call("fail", &[]).unwrap_err();
        assert!(matches!(err, Error::Exit(ExitError { code: 9 })), "{engine}: {err}");
    }
}

/// WASI's functions are declared once per process and created in a runtime when an import
/// first names one (one function per name and runtime: `HostModuleDecl`'s unit test):
/// imports of the same function by several instances and runtimes all work, and unknown
/// and mistyped imports fail as they did when all were created at registration.
#[test]
fn wasi_functions_created_on_first_import_link_as_before() {
    // Calls the import on fd 99, which is not open.
    let importer = |field: &str| {
        wat::parse_str(format!(
            r#"(module
              (import "wasi_snapshot_preview1" "{field}"
                (func $f (param i32 i32 i32 i32) (result i32)))
              (memory (export "memory") 1)
              (func (export "call") (result i32)
                (call $f (i32.const 99) (i32.const 0) (i32.const 0) (i32.const 0))))"#
        ))
        .unwrap()
    };
    let ebadf = |rt: &Runtime, field: &str| {
        let m = rt.compile(&importer(field)).unwrap();
        let i = rt.instantiate(&m, ModuleConfig::new()).unwrap();
        i.typed_func::<(), i32>("call").unwrap().call(()).unwrap()
    };
    for (engine, config) in engines() {
        let rt = Runtime::with_config(config.clone());
        kiln::wasi::instantiate(&rt).unwrap();
        assert!(rt.has_module("wasi_snapshot_preview1") && rt.has_module("wasi_unstable"));
        let other = Runtime::with_config(config.clone());
        kiln::wasi::instantiate(&other).unwrap();
        for (rt, field) in
            [(&rt, "fd_write"), (&rt, "fd_write"), (&rt, "fd_read"), (&other, "fd_write")]
        {
            assert_eq!(ebadf(rt, field), 8, "{engine}: {field}: EBADF");
        }

        match rt
            .instantiate(&rt.compile(&importer("no_such_function")).unwrap(), ModuleConfig::new())
        {
            Err(Error::Link(e)) => {
                assert_eq!(e.kind, kiln::LinkErrorKind::UnknownImport, "{engine}");
                assert_eq!(e.name, "no_such_function");
            }
            r => panic!("{engine}: {:?}", r.map(|_| ())),
        }
        // fd_close takes one parameter, not four.
        match rt.instantiate(&rt.compile(&importer("fd_close")).unwrap(), ModuleConfig::new()) {
            Err(Error::Link(e)) => {
                assert_eq!(e.kind, kiln::LinkErrorKind::IncompatibleImportType, "{engine}");
                assert!(e.detail.contains("(i32) -> (i32)"), "{engine}: {}", e.detail);
            }
            r => panic!("{engine}: {:?}", r.map(|_| ())),
        }
        assert!(matches!(kiln::wasi::instantiate(&rt), Err(Error::DuplicateModuleName(_))));
    }
}
