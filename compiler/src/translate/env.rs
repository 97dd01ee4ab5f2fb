//! Access to the VMContext from compiled code: memory and table definitions, globals,
//! builtin calls and the epoch check.

use super::Translator;
use crate::abi::{self, POINTER, POINTER_BYTES, clif_type, offsets};
use crate::settings::BoundsChecks;
use crate::traps;
use cranelift_codegen::ir::{
    AliasRegion, AliasRegionData, Function, InstBuilder, MemFlagsData, Value, condcodes::IntCC,
    types,
};
use kiln_runtime_support::vm::builtins::Builtin;

/// The disjoint kinds of memory compiled code touches, as Cranelift alias regions: a store
/// to one never changes what a load from another reads, so Cranelift's alias analysis may
/// reuse (and, for `readonly` + `can_move` loads, hoist) loads across stores to other
/// regions. Every access to a location must use the location's one region.
#[derive(Clone, Copy)]
pub(crate) struct Regions {
    /// VMContexts (header, memory and table definitions, function imports, funcrefs) and
    /// the runtime structures they point to (builtins table, canonical type ids).
    pub vmctx: AliasRegion,
    /// Linear memories.
    pub heap: AliasRegion,
    /// Table element arrays.
    pub table: AliasRegion,
    /// Global slots (defined ones in a VMContext, imported ones in another's).
    pub global: AliasRegion,
}

impl Regions {
    /// Declares the regions in `func`.
    pub fn declare(func: &mut Function) -> Self {
        let mut region = |user_id: u32, description: &'static str| {
            func.dfg
                .alias_regions
                .insert(AliasRegionData { user_id, description: description.into() })
        };
        Self {
            vmctx: region(0, "vmctx"),
            heap: region(1, "heap"),
            table: region(2, "table elements"),
            global: region(3, "globals"),
        }
    }
}

/// Flags of loads and stores of runtime structures: never trap, always aligned.
fn trusted(region: AliasRegion) -> MemFlagsData {
    MemFlagsData::trusted().with_alias_region(Some(region))
}

impl Translator<'_, '_> {
    /// Flags of loads of VMContext fields that may change while the function runs.
    pub fn vmctx_flags(&self) -> MemFlagsData {
        trusted(self.regions.vmctx)
    }

    /// Flags of loads of VMContext fields (and of what they point to) written once, when
    /// the instance is created, and always valid to read: they may be reused across any
    /// store or call and hoisted anywhere (`readonly`, `can_move`).
    pub fn vmctx_invariant_flags(&self) -> MemFlagsData {
        trusted(self.regions.vmctx).with_readonly().with_can_move()
    }

    /// Flags of loads and stores of table elements.
    pub fn table_flags(&self) -> MemFlagsData {
        trusted(self.regions.table)
    }

    /// Flags of linear-memory accesses (little-endian, possibly unaligned; the caller sets
    /// the trap code).
    pub fn heap_flags(&self) -> MemFlagsData {
        MemFlagsData::new()
            .with_endianness(cranelift_codegen::ir::Endianness::Little)
            .with_alias_region(Some(self.regions.heap))
    }

    /// Where an entity's definition lives: for an imported one, the pointer stored in the
    /// VMContext at `off`; for a defined one, the VMContext itself at `off`. Returns a base
    /// value and the constant offset to add to it.
    fn definition_addr(&mut self, imported: bool, off: u32) -> (Value, i32) {
        if imported {
            let flags = self.vmctx_invariant_flags();
            let p = self.b.ins().load(POINTER, flags, self.vmctx, off as i32);
            (p, 0)
        } else {
            (self.vmctx, off as i32)
        }
    }

    /// A pointer to memory `index`'s `VMMemoryDefinition` and the constant offset to add:
    /// through the VMContext's pointer for an imported memory and for a shared one (whose
    /// one definition, in the shared memory, every instance using it reads), in the
    /// VMContext itself for a defined unshared memory.
    pub fn memory_definition(&mut self, index: u32) -> (Value, i32) {
        let module = self.env.module;
        if index < module.num_imported_memories || module.memories[index as usize].shared {
            let off = self.env.offsets.memory_pointer(index);
            return self.definition_addr(true, off);
        }
        let off = self.env.offsets.defined_memory(index - module.num_imported_memories);
        self.definition_addr(false, off)
    }

    /// The current base address of memory `index`.
    ///
    /// With [`BoundsChecks::GuardPages`] the base never changes: every memory of a runtime
    /// that runs such code reserves 4 GiB plus the guard up front, so `memory.grow` (from
    /// wasm or the host) only makes more of the reservation accessible and never moves it
    /// (runtime-support `vm::memory`); imported memories come from the same runtime, so
    /// from the same reservation style. The load is then invariant and Cranelift hoists it
    /// out of loops. With [`BoundsChecks::Explicit`], and for a 64-bit memory (which reserves
    /// no more than it needs), a growth may move the memory, so the base is reloaded (alias
    /// analysis still reuses it across heap stores).
    pub fn memory_base(&mut self, index: u32) -> Value {
        let (p, off) = self.memory_definition(index);
        let ty = self.env.module.memories[index as usize];
        let flags = match self.env.settings.bounds_checks {
            // A shared memory never moves (runtime-support `vm::shared_memory`).
            _ if ty.shared => self.vmctx_invariant_flags(),
            BoundsChecks::GuardPages if !ty.index_type.is_64() => self.vmctx_invariant_flags(),
            _ => self.vmctx_flags(),
        };
        self.b.ins().load(POINTER, flags, p, off + offsets::MEMORY_BASE)
    }

    /// The current byte length of memory `index` (pointer-sized).
    pub fn memory_length(&mut self, index: u32) -> Value {
        let (p, off) = self.memory_definition(index);
        let flags = self.vmctx_flags();
        self.b.ins().load(POINTER, flags, p, off + offsets::MEMORY_LENGTH)
    }

    /// A pointer to table `index`'s `VMTableDefinition` and the constant offset to add.
    pub fn table_definition(&mut self, index: u32) -> (Value, i32) {
        let module = self.env.module;
        let imported = index < module.num_imported_tables;
        let off = if imported {
            self.env.offsets.imported_table(index)
        } else {
            self.env.offsets.defined_table(index - module.num_imported_tables)
        };
        self.definition_addr(imported, off)
    }

    /// The address of element `index` (an `i32`, or an `i64` of a 64-bit table) of table
    /// `table`, after checking it against the table's current size (trapping with `trap`
    /// when out of bounds).
    ///
    /// A table whose type fixes its size (maximum equal to minimum; for an import, the
    /// import's type, which the table linked to it must match) never grows, and its
    /// elements never move (runtime-support `vm::table`): the check is then against that
    /// constant, and the base is an invariant load that Cranelift may hoist, as wasmtime
    /// does for such tables. Toolchains emit one for the functions whose address is taken
    /// (`(table N N funcref)`), which every `call_indirect` goes through.
    pub fn table_element_addr(
        &mut self,
        table: u32,
        index: Value,
        trap: cranelift_codegen::ir::TrapCode,
    ) -> Value {
        let (p, off) = self.table_definition(table);
        let limits = self.env.module.tables[table as usize].ty.limits;
        let fixed = (limits.max == Some(limits.min)).then_some(limits.min);
        let index = if self.b.func.dfg.value_type(index) == POINTER {
            index
        } else {
            self.b.ins().uextend(POINTER, index)
        };
        let (len, flags) = match fixed {
            Some(n) => (self.b.ins().iconst(POINTER, n as i64), self.vmctx_invariant_flags()),
            None => {
                let flags = self.vmctx_flags();
                (self.b.ins().load(POINTER, flags, p, off + offsets::TABLE_ELEMENTS), flags)
            }
        };
        let oob = self.b.ins().icmp(IntCC::UnsignedGreaterThanOrEqual, index, len);
        self.b.ins().trapnz(oob, trap);
        let base = self.b.ins().load(POINTER, flags, p, off + offsets::TABLE_BASE);
        let scaled = self.b.ins().ishl_imm_u(index, i64::from(POINTER_BYTES.trailing_zeros()));
        self.b.ins().iadd(base, scaled)
    }

    /// The address of global `index`'s storage.
    fn global_addr(&mut self, index: u32) -> (Value, i32) {
        let module = self.env.module;
        let imported = index < module.num_imported_globals;
        let off = if imported {
            self.env.offsets.imported_global(index)
        } else {
            self.env.offsets.defined_global(index - module.num_imported_globals)
        };
        self.definition_addr(imported, off)
    }

    /// The value of global `index`.
    pub fn load_global(&mut self, index: u32) -> Value {
        let gty = self.env.module.globals[index as usize].ty;
        let (p, off) = self.global_addr(index);
        let flags = trusted(self.regions.global);
        let flags = if gty.mutable {
            flags
        } else {
            // Set when the instance is created, never written after.
            flags.with_readonly().with_can_move()
        };
        self.b.ins().load(clif_type(gty.content), flags, p, off)
    }

    /// Stores `v` in global `index`.
    pub fn store_global(&mut self, index: u32, v: Value) {
        let (p, off) = self.global_addr(index);
        let flags = trusted(self.regions.global);
        self.b.ins().store(flags, v, p, off);
    }

    /// Calls builtin `b` with `args` (after the implicit vmctx) and returns its results.
    /// For a fallible builtin, also emits the status check that raises its trap.
    pub fn call_builtin(&mut self, b: Builtin, args: &[Value]) -> Vec<Value> {
        let sig = self.builtin_sig(b);
        let flags = self.vmctx_invariant_flags();
        let table = self.b.ins().load(POINTER, flags, self.vmctx, offsets::HEADER_BUILTINS);
        let callee = self.b.ins().load(POINTER, flags, table, b.offset() as i32);
        let mut call_args = Vec::with_capacity(args.len() + 1);
        call_args.push(self.vmctx);
        call_args.extend_from_slice(args);
        let call = self.b.ins().call_indirect(sig, callee, &call_args);
        let results = self.b.inst_results(call).to_vec();
        if let Some(code) = b.trap_code() {
            let code = traps::to_clif(code).expect("builtins raise wasm traps");
            self.b.ins().trapnz(results[0], code);
        }
        results
    }

    /// An `i32` constant.
    pub fn i32_const(&mut self, v: u32) -> Value {
        self.b.ins().iconst(types::I32, i64::from(v))
    }

    /// The epoch check: if the engine's epoch counter reached the store's deadline, call
    /// the [`Builtin::EpochReached`] builtin (which traps `interrupted` or extends the
    /// deadline).
    pub fn epoch_check(&mut self) {
        let invariant = self.vmctx_invariant_flags();
        let store = self.b.ins().load(POINTER, invariant, self.vmctx, offsets::HEADER_STORE);
        let counter_ptr =
            self.b.ins().load(POINTER, invariant, store, offsets::STORE_EPOCH_COUNTER);
        // The counter (advanced by other threads) and the deadline (moved by the builtin)
        // get no alias region: they may alias anything, so any store or call in between
        // forces a reload.
        let changing = MemFlagsData::trusted();
        let counter = self.b.ins().load(types::I64, changing, counter_ptr, 0);
        let deadline =
            self.b.ins().load(types::I64, changing, store, offsets::STORE_EPOCH_DEADLINE);
        let reached = self.b.ins().icmp(IntCC::UnsignedGreaterThanOrEqual, counter, deadline);
        let slow = self.b.create_block();
        let cont = self.b.create_block();
        self.b.set_cold_block(slow);
        self.b.ins().brif(reached, slow, &[], cont, &[]);
        self.b.switch_to_block(slow);
        self.b.seal_block(slow);
        self.call_builtin(Builtin::EpochReached, &[]);
        self.b.ins().jump(cont, &[]);
        self.b.switch_to_block(cont);
        self.b.seal_block(cont);
    }

    /// The fuel check: consume one unit of the store's fuel and trap `all fuel consumed`
    /// when it goes below zero.
    pub fn fuel_check(&mut self) {
        let invariant = self.vmctx_invariant_flags();
        let store = self.b.ins().load(POINTER, invariant, self.vmctx, offsets::HEADER_STORE);
        // No alias region: host functions and builtins read and set the fuel too.
        let changing = MemFlagsData::trusted();
        let fuel = self.b.ins().load(types::I64, changing, store, offsets::STORE_FUEL);
        let left = self.b.ins().iadd_imm_s(fuel, -1);
        self.b.ins().store(changing, left, store, offsets::STORE_FUEL);
        let out = self.b.ins().icmp_imm_s(IntCC::SignedLessThan, left, 0);
        self.b.ins().trapnz(out, traps::OUT_OF_FUEL);
    }

    /// The entry and loop-header checks the settings ask for (epoch deadline, fuel).
    pub fn entry_checks(&mut self) {
        if self.env.settings.epoch_interruption {
            self.epoch_check();
        }
        if self.env.settings.fuel {
            self.fuel_check();
        }
    }

    /// The `i32` result of a comparison (`0` or `1`).
    pub fn bool_to_i32(&mut self, c: Value) -> Value {
        self.b.ins().uextend(types::I32, c)
    }
}

const _: () = assert!(abi::POINTER_BYTES as usize == std::mem::size_of::<usize>());
