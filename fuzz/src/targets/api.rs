//! `api`: random sequences of embedding-API calls over up to four runtimes (interpreter and
//! compiler): compile, instantiate (also a module compiled by another runtime), call with
//! arguments that may come from any runtime, memory grow/read/write, table get/set/grow,
//! global get/set, host modules re-exporting handles of any runtime, and drops of
//! runtimes, modules, instances and handles in any order. Checked: no panic, no crash, and
//! every failure is a typed [`kiln::Error`]. A handle of one runtime given to another
//! must be refused with [`kiln::Error::WrongRuntime`], never stored.

use crate::finding::{Finding, Input, set_current_input};
use crate::rng::Rng;
use kiln::{
    CompiledModule, Error, Extern, ExternRef, Func, Global, Instance, Memory, ModuleConfig,
    Runtime, RuntimeConfig, Table, Val,
};
use std::fmt::Write as _;

/// The modules the sequences use: one that exports one of everything, and one that
/// imports one of everything from `env` (satisfied by host modules re-exporting handles).
const MODULES: [&str; 2] = [
    r#"(module
      (memory (export "mem") 1 4)
      (table $t (export "tab") 4 10 funcref)
      (table $e (export "etab") 2 externref)
      (global (export "gi") (mut i32) (i32.const 7))
      (global (export "gf") (mut f64) (f64.const 1.5))
      (global $ge (export "ge") (mut externref) (ref.null extern))
      (global (export "gfr") (mut funcref) (ref.func $add))
      (elem (table $t) (i32.const 0) func $add $load)
      (elem declare func $add)
      (func $add (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
      (func $load (export "load") (param i32 i32) (result i32) (i32.load (local.get 0)))
      (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
      (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
      (func (export "call_ind") (param i32 i32 i32) (result i32)
        (call_indirect $t (param i32 i32) (result i32) (local.get 0) (local.get 1) (local.get 2)))
      (func (export "set_ext") (param externref i32) (table.set $e (local.get 1) (local.get 0))
        (global.set $ge (local.get 0)))
      (func (export "get_ext") (param i32) (result externref) (table.get $e (local.get 0)))
      (func (export "set_fn") (param i32 funcref) (table.set $t (local.get 0) (local.get 1)))
      (func (export "get_fn") (param i32) (result funcref) (table.get $t (local.get 0)))
      (func (export "tgrow") (param funcref i32) (result i32) (table.grow $t (local.get 0) (local.get 1))))"#,
    r#"(module
      (import "env" "f" (func $f (param i32 i32) (result i32)))
      (import "env" "mem" (memory 1))
      (import "env" "tab" (table 1 funcref))
      (import "env" "g" (global (mut i32)))
      (func (export "use") (param i32) (result i32)
        (i32.store (i32.const 0) (local.get 0))
        (global.set 0 (i32.add (global.get 0) (i32.const 1)))
        (i32.add
          (call $f (i32.load (i32.const 0)) (global.get 0))
          (call_indirect (param i32 i32) (result i32) (i32.const 1) (i32.const 2) (i32.const 0)))))"#,
];

/// The handles a sequence holds, each tagged with the id of the runtime it came from, so
/// that a runtime can be dropped together with every handle of it (which frees its store:
/// anything another runtime kept of it would then dangle).
#[derive(Default)]
struct Pool {
    runtimes: Vec<(u32, Runtime)>,
    modules: Vec<CompiledModule>,
    instances: Vec<(u32, Instance)>,
    funcs: Vec<(u32, Func)>,
    memories: Vec<(u32, Memory)>,
    tables: Vec<(u32, Table)>,
    globals: Vec<(u32, Global)>,
    externrefs: Vec<ExternRef>,
    host_names: u32,
    next_runtime: u32,
}

fn take<T>(rng: &mut Rng, v: &mut Vec<T>) -> Option<T> {
    (!v.is_empty()).then(|| v.swap_remove(rng.below(v.len() as u64) as usize))
}

fn any<'a, T>(rng: &mut Rng, v: &'a [T]) -> Option<&'a T> {
    (!v.is_empty()).then(|| rng.pick(v))
}

impl Pool {
    fn value(&mut self, rng: &mut Rng, ty: kiln::ValType) -> Val {
        match ty {
            kiln::ValType::I32 => Val::I32(rng.interesting_u32() as i32),
            kiln::ValType::I64 => Val::I64(rng.interesting_u64() as i64),
            kiln::ValType::F32 => Val::F32(f32::from_bits(rng.interesting_f32_bits())),
            kiln::ValType::F64 => Val::F64(f64::from_bits(rng.interesting_f64_bits())),
            kiln::ValType::FUNCREF => Val::FuncRef(if rng.chance(1, 4) {
                None
            } else {
                any(rng, &self.funcs).map(|f| f.1.clone())
            }),
            _ => Val::ExternRef(if rng.chance(1, 4) {
                None
            } else if rng.chance(1, 2) || self.externrefs.is_empty() {
                let e = ExternRef::new(rng.next_u64());
                self.externrefs.push(e.clone());
                Some(e)
            } else {
                any(rng, &self.externrefs).cloned()
            }),
        }
    }

    fn collect_exports(&mut self, id: u32, inst: &Instance) {
        let names: Vec<String> = inst.export_names().map(str::to_string).collect();
        for n in names {
            match inst.get_export(&n) {
                Some(Extern::Func(f)) => self.funcs.push((id, f)),
                Some(Extern::Memory(m)) => self.memories.push((id, m)),
                Some(Extern::Table(t)) => self.tables.push((id, t)),
                Some(Extern::Global(g)) => self.globals.push((id, g)),
                Some(Extern::Tag(_) | Extern::SharedMemory(_)) | None => {}
            }
        }
    }

    fn extern_of(&self, rng: &mut Rng, kind: u64) -> Option<Extern> {
        Some(match kind {
            0 => Extern::Func(any(rng, &self.funcs)?.1.clone()),
            1 => Extern::Memory(any(rng, &self.memories)?.1.clone()),
            2 => Extern::Table(any(rng, &self.tables)?.1.clone()),
            _ => Extern::Global(any(rng, &self.globals)?.1.clone()),
        })
    }

    /// Drops runtime `id` and every handle of it.
    fn drop_runtime_and_handles(&mut self, id: u32) {
        self.runtimes.retain(|r| r.0 != id);
        self.instances.retain(|r| r.0 != id);
        self.funcs.retain(|r| r.0 != id);
        self.memories.retain(|r| r.0 != id);
        self.tables.retain(|r| r.0 != id);
        self.globals.retain(|r| r.0 != id);
    }

    /// One random operation; its description is appended to `log`.
    fn step(&mut self, rng: &mut Rng, log: &mut String) -> Result<(), String> {
        let op = rng.below(16);
        let _ = write!(log, "op {op}: ");
        let r: Result<(), Error> = match op {
            0 => {
                if self.runtimes.len() < 4 {
                    let c = if rng.chance(1, 2) {
                        RuntimeConfig::interpreter()
                    } else {
                        RuntimeConfig::compiler()
                    };
                    let c = c.with_memory_limit_pages(rng.range(1, 8));
                    let _ = write!(log, "new runtime {:?}", c.engine());
                    self.next_runtime += 1;
                    self.runtimes.push((self.next_runtime, Runtime::with_config(c)));
                }
                Ok(())
            }
            1 => {
                if let Some((id, _)) = any(rng, &self.runtimes) {
                    let id = *id;
                    if rng.chance(1, 2) {
                        let _ = write!(log, "drop runtime {id} and its handles");
                        self.drop_runtime_and_handles(id);
                    } else {
                        let _ = write!(log, "drop runtime {id}");
                        self.runtimes.retain(|r| r.0 != id);
                    }
                }
                Ok(())
            }
            2 | 3 => match any(rng, &self.runtimes) {
                Some((_, rt)) => {
                    let m = rng.below(MODULES.len() as u64) as usize;
                    let _ = write!(log, "compile module {m}");
                    let wasm = wat::parse_str(MODULES[m]).expect("fixed modules parse");
                    rt.compile(&wasm).map(|c| self.modules.push(c))
                }
                None => Ok(()),
            },
            4 | 5 => {
                let (Some((id, rt)), Some(m)) = (any(rng, &self.runtimes), any(rng, &self.modules))
                else {
                    return Ok(());
                };
                let id = *id;
                let _ = write!(log, "instantiate (native {})", m.is_native());
                let cfg =
                    ModuleConfig::new().with_name("").with_start_functions(Vec::<String>::new());
                match rt.instantiate(m, cfg) {
                    Ok(i) => {
                        self.collect_exports(id, &i);
                        self.instances.push((id, i));
                        Ok(())
                    }
                    Err(e) => Err(e),
                }
            }
            6 | 7 => {
                let Some((id, f)) = any(rng, &self.funcs).cloned() else { return Ok(()) };
                let args: Vec<Val> =
                    f.ty().params().to_vec().into_iter().map(|t| self.value(rng, t)).collect();
                let _ = write!(log, "call {} {args:?}", f.ty());
                f.call(&args).map(|r| {
                    for v in r {
                        match v {
                            Val::FuncRef(Some(f)) => self.funcs.push((id, f)),
                            Val::ExternRef(Some(e)) => self.externrefs.push(e),
                            _ => {}
                        }
                    }
                })
            }
            8 => {
                let Some((_, m)) = any(rng, &self.memories).cloned() else { return Ok(()) };
                let off = rng.interesting_u32() as u64 % (m.data_size() + 16);
                let len = rng.below(64) as usize;
                let _ = write!(log, "memory rw {off} {len}");
                match rng.below(3) {
                    0 => m.grow(rng.below(3)).map(drop),
                    1 => m.write(off, &vec![0xAB; len]),
                    _ => m.read_vec(off, len).map(drop),
                }
            }
            9 | 10 => {
                let Some((id, t)) = any(rng, &self.tables).cloned() else { return Ok(()) };
                let idx = rng.below(t.size() as u64 + 2) as u32;
                let ty = kiln::ValType::Ref(t.ty().element);
                let other = if ty == kiln::ValType::FUNCREF {
                    kiln::ValType::EXTERNREF
                } else {
                    kiln::ValType::FUNCREF
                };
                let vt = if rng.chance(1, 8) { other } else { ty };
                let v = self.value(rng, vt);
                let _ = write!(log, "table {idx} {v:?}");
                match rng.below(3) {
                    0 => t.set(idx, v),
                    1 => t.grow(rng.below(3) as u32, v).map(drop),
                    _ => {
                        match t.get(idx) {
                            Some(Val::FuncRef(Some(f))) => self.funcs.push((id, f)),
                            Some(Val::ExternRef(Some(e))) => self.externrefs.push(e),
                            _ => {}
                        }
                        Ok(())
                    }
                }
            }
            11 => {
                let Some((_, g)) = any(rng, &self.globals).cloned() else { return Ok(()) };
                let v = self.value(rng, g.ty().content);
                let _ = write!(log, "global set {v:?}");
                let r = g.set(v);
                let _ = g.get();
                r
            }
            12 => {
                if self.runtimes.is_empty() {
                    return Ok(());
                }
                let ri = rng.below(self.runtimes.len() as u64) as usize;
                self.host_names += 1;
                let name = format!("host{}", self.host_names);
                let mut exports: Vec<(String, Extern)> = Vec::new();
                for i in 0..rng.below(4) {
                    let kind = rng.below(4);
                    if let Some(e) = self.extern_of(rng, kind) {
                        exports.push((format!("x{i}"), e));
                    }
                }
                for (k, n) in ["f", "mem", "tab", "g"].into_iter().enumerate() {
                    if let Some(e) = self.extern_of(rng, k as u64) {
                        exports.push((n.to_string(), e));
                    }
                }
                let (id, rt) = (self.runtimes[ri].0, &self.runtimes[ri].1);
                let mut b = rt.host_module(&name);
                for (n, e) in &exports {
                    b = b.export(n, e);
                }
                let _ = write!(log, "host module {name}");
                let made = b.instantiate().and_then(|()| {
                    let wasm =
                        wat::parse_str(MODULES[1].replace("\"env\"", &format!("\"{name}\"")))
                            .expect("fixed modules parse");
                    let m = rt.compile(&wasm)?;
                    let cfg = ModuleConfig::new()
                        .with_name("")
                        .with_start_functions(Vec::<String>::new());
                    rt.instantiate(&m, cfg)
                });
                made.map(|i| {
                    self.collect_exports(id, &i);
                    self.instances.push((id, i));
                })
            }
            13 => {
                let _ = write!(log, "drop handles");
                match rng.below(7) {
                    0 => drop(take(rng, &mut self.funcs)),
                    1 => drop(take(rng, &mut self.memories)),
                    2 => drop(take(rng, &mut self.tables)),
                    3 => drop(take(rng, &mut self.globals)),
                    4 => drop(take(rng, &mut self.instances)),
                    5 => drop(take(rng, &mut self.modules)),
                    _ => drop(take(rng, &mut self.externrefs)),
                }
                Ok(())
            }
            14 => {
                let Some((_, i)) = any(rng, &self.instances).cloned() else { return Ok(()) };
                let _ = write!(log, "typed add");
                match i.typed_func::<(i32, i32), i32>("add") {
                    Ok(f) => f.call((rng.next_u64() as i32, 3)).map(drop),
                    Err(e) => Err(e),
                }
            }
            _ => {
                let Some((_, rt)) = any(rng, &self.runtimes) else { return Ok(()) };
                let _ = write!(log, "register");
                match any(rng, &self.instances) {
                    Some((_, i)) => {
                        self.host_names += 1;
                        rt.register(&format!("reg{}", self.host_names), i)
                    }
                    None => Ok(()),
                }
            }
        };
        match r {
            Ok(()) => {
                crate::stats::note("op ok");
                log.push('\n');
                Ok(())
            }
            Err(e) => {
                crate::stats::note(if matches!(e, Error::WrongRuntime) {
                    "wrong runtime refused"
                } else {
                    "typed error"
                });
                let _ = writeln!(log, " -> {e}");
                check_typed(&e)
            }
        }
    }
}

/// Every error an API call returns must be one of the kinds its documentation names; a
/// trap must carry a spec trap code.
fn check_typed(e: &Error) -> Result<(), String> {
    match e {
        Error::Trap(_)
        | Error::Link(_)
        | Error::Resource(_)
        | Error::TypeMismatch(_)
        | Error::OutOfBounds { .. }
        | Error::ImmutableGlobal
        | Error::NotFound { .. }
        | Error::DuplicateModuleName(_)
        | Error::IncompatibleModule { .. }
        | Error::WrongRuntime => Ok(()),
        e => Err(format!("untyped-error: {e:?}")),
    }
}

/// Runs the case of `seed`.
///
/// # Errors
/// `untyped-error` (or a panic or crash, caught by the driver).
pub fn run(seed: u64) -> Result<(), Finding> {
    let mut rng = Rng::new(seed, 1);
    let mut pool = Pool::default();
    pool.runtimes.push((0, Runtime::with_config(RuntimeConfig::interpreter())));
    let mut log = String::new();
    for _ in 0..rng.range(5, 80) {
        let r = pool.step(&mut rng, &mut log);
        if std::env::var_os("KILN_FUZZ_TRACE").is_some() {
            eprint!("{}", log.lines().last().map(|l| format!("{l}\n")).unwrap_or_default());
        }
        set_current_input(log.as_bytes(), "txt");
        if let Err(m) = r {
            return Err(Finding::new(m, Some(Input { bytes: log.into_bytes(), ext: "txt" })));
        }
    }
    // Drop everything in a random order.
    while !(pool.runtimes.is_empty() && pool.instances.is_empty() && pool.funcs.is_empty()) {
        match rng.below(3) {
            0 => drop(take(&mut rng, &mut pool.runtimes)),
            1 => drop(take(&mut rng, &mut pool.instances)),
            _ => drop(take(&mut rng, &mut pool.funcs)),
        }
    }
    Ok(())
}
