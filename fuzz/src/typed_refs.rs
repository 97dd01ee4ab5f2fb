//! Modules that use typed function references (WebAssembly 3.0), for the differential
//! target: wasm-smith generates them only in its GC mode, whose struct and array types Kiln
//! does not implement, so this generator writes them itself.
//!
//! A module has five function types: `$t0` `[i32] -> [i32]`, `$t1` `[i32 i32] -> [i32]`,
//! `$t2` `[i64] -> [i64]`, `$t3` `[(ref null $t0) i32] -> [i32]` (takes a function) and
//! `$t4` `[] -> [(ref null $t0)]` (returns one). Functions `$f0`..`$f4` have these types in
//! order, then up to eight more of random types, then five more of the five types that call
//! nothing; `ref.func` mostly names a later function, so most call chains end. State: a table of `(ref null $t0)`
//! (initialised by an element segment of typed expressions), a mutable global of
//! `(ref null $t0)`, an immutable non-nullable global of `(ref $t0)`, and an exported fuel
//! counter every function decrements on entry (trapping `unreachable` at zero), so every
//! call ends. Bodies are typed expression trees over `call_ref`, `return_call_ref`,
//! `ref.as_non_null`, `br_on_null`, `br_on_non_null`, `ref.is_null`, `ref.func`,
//! typed `select`, `table.get`/`table.set`, `call_indirect` through the typed table, global
//! access and non-nullable locals, with integer arithmetic around them. The functions of
//! numeric types are exported.

use crate::rng::Rng;
use std::fmt::Write as _;

/// The value types expressions produce.
#[derive(Clone, Copy, PartialEq)]
enum Ty {
    I32,
    I64,
    /// `(ref null $t0)`.
    NullT0,
    /// `(ref $tN)`.
    Ref(u8),
}

/// Each type's parameters and result.
const TYPES: [(&[Ty], Ty); 5] = [
    (&[Ty::I32], Ty::I32),
    (&[Ty::I32, Ty::I32], Ty::I32),
    (&[Ty::I64], Ty::I64),
    (&[Ty::NullT0, Ty::I32], Ty::I32),
    (&[], Ty::NullT0),
];

const TABLE_SIZE: u64 = 8;

struct Gen<'a> {
    rng: &'a mut Rng,
    /// Each function's type index.
    funcs: Vec<u8>,
    /// The current function's parameters.
    params: &'static [Ty],
    /// Whether the current function has its non-nullable local `$nn` (set first thing).
    has_nn_local: bool,
    /// How many block labels have been named (each new one is `$l<count>`).
    labels: u32,
    /// The function being generated: `ref.func` prefers later functions, so that most call
    /// chains end (cycles still form through the table and the global).
    current: usize,
    /// The current function calls nothing (the last function of each type is such a leaf).
    leaf_only: bool,
}

impl Gen<'_> {
    fn funcs_of(&self, t: u8) -> Vec<usize> {
        (0..self.funcs.len()).filter(|&i| self.funcs[i] == t).collect()
    }

    fn ref_func(&mut self, t: u8) -> String {
        let all = self.funcs_of(t);
        let later: Vec<usize> = all.iter().copied().filter(|&j| j > self.current).collect();
        let fs = if later.is_empty() || self.rng.chance(1, 16) { all } else { later };
        format!("(ref.func $f{})", self.rng.pick(&fs))
    }

    fn local_of(&mut self, ty: Ty) -> Option<String> {
        let ls: Vec<usize> = (0..self.params.len()).filter(|&i| self.params[i] == ty).collect();
        (!ls.is_empty()).then(|| format!("(local.get {})", self.rng.pick(&ls)))
    }

    fn i32_const(&mut self) -> String {
        format!("(i32.const {})", self.rng.interesting_u32() as i32)
    }

    fn index(&mut self) -> String {
        // Mostly in bounds, sometimes not (a trap).
        let i = if self.rng.chance(15, 16) { self.rng.below(TABLE_SIZE) } else { TABLE_SIZE + 3 };
        format!("(i32.const {i})")
    }

    /// The arguments of a call to type `t`, then the callee expression.
    fn call_ref(&mut self, t: u8, depth: u32) -> String {
        let (params, _) = TYPES[t as usize];
        let mut s = format!("(call_ref $t{t}");
        for &p in params {
            let _ = write!(s, " {}", self.expr(p, depth + 1));
        }
        let callee = self.expr(Ty::Ref(t), depth + 1);
        let _ = write!(s, " {callee})");
        s
    }

    fn label(&mut self) -> String {
        self.labels += 1;
        format!("$l{}", self.labels)
    }

    fn expr(&mut self, ty: Ty, depth: u32) -> String {
        let leaf = self.leaf_only || depth >= 4 || self.rng.chance(1, 3);
        match ty {
            Ty::I32 => self.i32_expr(leaf, depth),
            Ty::I64 => {
                if leaf {
                    return self
                        .local_of(Ty::I64)
                        .filter(|_| self.rng.chance(1, 2))
                        .unwrap_or_else(|| {
                            format!("(i64.const {})", self.rng.interesting_u64() as i64)
                        });
                }
                match self.rng.below(4) {
                    0 => format!(
                        "(i64.add {} {})",
                        self.expr(Ty::I64, depth + 1),
                        self.expr(Ty::I64, depth + 1)
                    ),
                    1 => format!("(i64.extend_i32_s {})", self.expr(Ty::I32, depth + 1)),
                    _ => self.call_ref(2, depth),
                }
            }
            Ty::NullT0 => self.null_t0_expr(leaf, depth),
            Ty::Ref(t) => {
                if leaf || self.rng.chance(1, 2) {
                    return self.ref_func(t);
                }
                match (t, self.rng.below(4)) {
                    (0, 0) => "(global.get $nn)".to_string(),
                    (0, 1) if self.has_nn_local => "(local.get $nn)".to_string(),
                    (0, _) => format!("(ref.as_non_null {})", self.expr(Ty::NullT0, depth + 1)),
                    (_, 0) => format!("(ref.as_non_null (ref.null $t{t}))"),
                    _ => self.ref_func(t),
                }
            }
        }
    }

    fn i32_expr(&mut self, leaf: bool, depth: u32) -> String {
        if leaf {
            return match self.local_of(Ty::I32) {
                Some(l) if self.rng.chance(1, 2) => l,
                _ => self.i32_const(),
            };
        }
        let d = depth + 1;
        match self.rng.below(14) {
            0 => format!("(i32.add {} {})", self.expr(Ty::I32, d), self.expr(Ty::I32, d)),
            1 => format!("(i32.wrap_i64 {})", self.expr(Ty::I64, d)),
            2 => format!("(ref.is_null {})", self.expr(Ty::NullT0, d)),
            3 => {
                let c = self.expr(Ty::I32, d);
                format!(
                    "(if (result i32) {c} (then {}) (else {}))",
                    self.expr(Ty::I32, d),
                    self.expr(Ty::I32, d)
                )
            }
            4 => {
                // `br_on_null`: on null, the block ends with the pushed i32.
                let l = self.label();
                let arg = self.expr(Ty::I32, d);
                let r = self.expr(Ty::NullT0, d);
                format!("(block {l} (result i32) (call_ref $t0 (br_on_null {l} {arg} {r})))")
            }
            5 => {
                // `br_on_non_null`: a non-null reference leaves the inner block and is
                // called; null falls through to the outer block's other value.
                let (outer, inner) = (self.label(), self.label());
                let arg = self.expr(Ty::I32, d);
                let r = self.expr(Ty::NullT0, d);
                let other = self.expr(Ty::I32, d);
                format!(
                    "(block {outer} (result i32) (call_ref $t0 {arg} (block {inner} (result \
                     (ref $t0)) (br_on_non_null {inner} {r}) (br {outer} {other}))))"
                )
            }
            6 => {
                let idx = self.index();
                format!("(call_indirect $tab (type $t0) {} {idx})", self.expr(Ty::I32, d))
            }
            7 => {
                let idx = self.index();
                format!("(call_ref $t0 {} (table.get $tab {idx}))", self.expr(Ty::I32, d))
            }
            8 => {
                // A side effect on the table or the global, then a value.
                let v = self.expr(Ty::NullT0, d);
                let set = if self.rng.chance(1, 2) {
                    let idx = self.index();
                    format!("(table.set $tab {idx} {v})")
                } else {
                    format!("(global.set $g {v})")
                };
                format!("(block (result i32) {set} {})", self.expr(Ty::I32, d))
            }
            9 => self.call_ref(1, depth),
            10 => self.call_ref(3, depth),
            11 => "(table.size $tab)".to_string(),
            _ => self.call_ref(0, depth),
        }
    }

    fn null_t0_expr(&mut self, leaf: bool, depth: u32) -> String {
        if leaf {
            return match self.rng.below(8) {
                0 => "(ref.null $t0)".to_string(),
                1 => self.local_of(Ty::NullT0).unwrap_or_else(|| "(global.get $g)".to_string()),
                2 => "(global.get $g)".to_string(),
                _ => self.ref_func(0),
            };
        }
        let d = depth + 1;
        match self.rng.below(5) {
            0 => format!("(table.get $tab {})", self.index()),
            1 => self.call_ref(4, depth),
            2 => format!(
                "(select (result (ref null $t0)) {} {} {})",
                self.expr(Ty::NullT0, d),
                self.expr(Ty::NullT0, d),
                self.expr(Ty::I32, d)
            ),
            3 => self.expr(Ty::Ref(0), d),
            _ => "(global.get $g)".to_string(),
        }
    }

    /// A function of type `t`: the fuel check, maybe a non-nullable local, then its result
    /// (through `return_call_ref` one time in four, when the result is `i32`).
    fn function(&mut self, i: usize, t: u8) -> String {
        let (params, result) = TYPES[t as usize];
        self.current = i;
        self.leaf_only = self.funcs_of(t).last() == Some(&i);
        self.params = params;
        let nn_local = self.rng.chance(1, 3);
        self.has_nn_local = false;
        let mut s = format!("  (func $f{i} (type $t{t})");
        if nn_local {
            s.push_str(" (local $nn (ref $t0))");
        }
        s.push_str(
            "\n    (if (i32.eqz (global.get $fuel)) (then unreachable))\n    \
             (global.set $fuel (i32.sub (global.get $fuel) (i32.const 1)))\n",
        );
        if nn_local {
            // Its value cannot read it: it is not set yet.
            let v = self.expr(Ty::Ref(0), 1);
            let _ = writeln!(s, "    (local.set $nn {v})");
            self.has_nn_local = true;
        }
        let body = if result == Ty::I32 && !self.leaf_only && self.rng.chance(1, 4) {
            let callee = *self.rng.pick(&[0u8, 1, 3]);
            self.call_ref(callee, 0).replacen("(call_ref", "(return_call_ref", 1)
        } else {
            self.expr(result, 0)
        };
        let _ = writeln!(s, "    {body})");
        s
    }
}

/// A module as described in the module docs, from `rng`.
pub fn generate(rng: &mut Rng) -> Vec<u8> {
    let mut funcs: Vec<u8> = (0..5).collect();
    for _ in 0..rng.below(9) {
        funcs.push(rng.below(5) as u8);
    }
    funcs.extend(0..5);
    let mut g = Gen {
        rng,
        funcs,
        params: &[],
        has_nn_local: false,
        labels: 0,
        current: 0,
        leaf_only: false,
    };
    let mut w = String::from("(module\n");
    w.push_str(
        "  (type $t0 (func (param i32) (result i32)))\n  \
         (type $t1 (func (param i32 i32) (result i32)))\n  \
         (type $t2 (func (param i64) (result i64)))\n  \
         (type $t3 (func (param (ref null $t0) i32) (result i32)))\n  \
         (type $t4 (func (result (ref null $t0))))\n",
    );
    let fuel = g.rng.range(100, 5000);
    let _ = writeln!(w, "  (global $fuel (export \"fuel\") (mut i32) (i32.const {fuel}))");
    let _ = writeln!(w, "  (table $tab {TABLE_SIZE} (ref null $t0))");
    let mut items = String::new();
    for _ in 0..g.rng.range(1, TABLE_SIZE) {
        let item = if g.rng.chance(1, 8) { "(ref.null $t0)".to_string() } else { g.ref_func(0) };
        let _ = write!(items, " {item}");
    }
    let _ = writeln!(w, "  (elem (table $tab) (i32.const 0) (ref null $t0){items})");
    let init = if g.rng.chance(1, 6) { "(ref.null $t0)".to_string() } else { g.ref_func(0) };
    let _ = writeln!(w, "  (global $g (mut (ref null $t0)) {init})");
    let nn = g.ref_func(0);
    let _ = writeln!(w, "  (global $nn (ref $t0) {nn})");
    let all: String = (0..g.funcs.len()).map(|i| format!(" $f{i}")).collect();
    let _ = writeln!(w, "  (elem declare func{all})");
    for i in 0..g.funcs.len() {
        let t = g.funcs[i];
        let f = g.function(i, t);
        w.push_str(&f);
        if t <= 2 {
            let _ = writeln!(w, "  (export \"f{i}\" (func $f{i}))");
        }
    }
    w.push_str(")\n");
    let wasm = wat::parse_str(&w).unwrap_or_else(|e| panic!("typed_refs: invalid text: {e}\n{w}"));
    // A module this generator writes must be valid, or the cases built on it test nothing.
    let features = wasmparser::WasmFeatures::all();
    if let Err(e) = wasmparser::Validator::new_with_features(features).validate_all(&wasm) {
        panic!("typed_refs: invalid module: {e}\n{w}");
    }
    wasm
}
