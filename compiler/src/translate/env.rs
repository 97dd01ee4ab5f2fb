//! Access to the VMContext from compiled code: memory and table definitions, globals,
//! builtin calls and the epoch check.

use super::Translator;
use crate::abi::{self, POINTER, POINTER_BYTES, clif_type, offsets};
use crate::traps;
use cranelift_codegen::ir::{InstBuilder, MemFlagsData, Value, condcodes::IntCC, types};
use kiln_runtime_support::vm::builtins::Builtin;

/// Flags for loads and stores of VMContext fields and runtime structures: never trap,
/// always aligned.
pub(crate) fn vm_flags() -> MemFlagsData {
    MemFlagsData::trusted()
}

impl Translator<'_, '_> {
    /// Where an entity's definition lives: for an imported one, the pointer stored in the
    /// VMContext at `off`; for a defined one, the VMContext itself at `off`. Returns a base
    /// value and the constant offset to add to it.
    fn definition_addr(&mut self, imported: bool, off: u32) -> (Value, i32) {
        if imported {
            let p = self.b.ins().load(POINTER, vm_flags().with_readonly(), self.vmctx, off as i32);
            (p, 0)
        } else {
            (self.vmctx, off as i32)
        }
    }

    /// A pointer to memory `index`'s `VMMemoryDefinition` and the constant offset to add.
    pub fn memory_definition(&mut self, index: u32) -> (Value, i32) {
        let module = self.env.module;
        let imported = index < module.num_imported_memories;
        let off = if imported {
            self.env.offsets.imported_memory(index)
        } else {
            self.env.offsets.defined_memory(index - module.num_imported_memories)
        };
        self.definition_addr(imported, off)
    }

    /// The current base address of memory `index`.
    pub fn memory_base(&mut self, index: u32) -> Value {
        let (p, off) = self.memory_definition(index);
        self.b
            .ins()
            .load(POINTER, vm_flags(), p, off + offsets::MEMORY_BASE)
    }

    /// The current byte length of memory `index` (pointer-sized).
    pub fn memory_length(&mut self, index: u32) -> Value {
        let (p, off) = self.memory_definition(index);
        self.b
            .ins()
            .load(POINTER, vm_flags(), p, off + offsets::MEMORY_LENGTH)
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

    /// The address of element `index` (an i32) of table `table`, after checking it against
    /// the table's current size (trapping with `trap` when out of bounds).
    pub fn table_element_addr(
        &mut self,
        table: u32,
        index: Value,
        trap: cranelift_codegen::ir::TrapCode,
    ) -> Value {
        let (p, off) = self.table_definition(table);
        let len = self
            .b
            .ins()
            .load(POINTER, vm_flags(), p, off + offsets::TABLE_ELEMENTS);
        let index = self.b.ins().uextend(POINTER, index);
        let oob = self
            .b
            .ins()
            .icmp(IntCC::UnsignedGreaterThanOrEqual, index, len);
        self.b.ins().trapnz(oob, trap);
        let base = self
            .b
            .ins()
            .load(POINTER, vm_flags(), p, off + offsets::TABLE_BASE);
        let scaled = self
            .b
            .ins()
            .ishl_imm_u(index, i64::from(POINTER_BYTES.trailing_zeros()));
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

    /// `global.get`.
    pub fn global_get(&mut self, index: u32) -> Value {
        let gty = self.env.module.globals[index as usize].ty;
        let (p, off) = self.global_addr(index);
        let flags = if gty.mutable {
            vm_flags()
        } else {
            vm_flags().with_readonly()
        };
        self.b.ins().load(clif_type(gty.content), flags, p, off)
    }

    /// `global.set`.
    pub fn global_set(&mut self, index: u32, v: Value) {
        let (p, off) = self.global_addr(index);
        self.b.ins().store(vm_flags(), v, p, off);
    }

    /// Calls builtin `b` with `args` (after the implicit vmctx) and returns its results.
    /// For a fallible builtin, also emits the status check that raises its trap.
    pub fn call_builtin(&mut self, b: Builtin, args: &[Value]) -> Vec<Value> {
        let sig = self.builtin_sig(b);
        let table = self.b.ins().load(
            POINTER,
            vm_flags().with_readonly(),
            self.vmctx,
            offsets::HEADER_BUILTINS,
        );
        let slot = (b.slot() * u32::from(POINTER_BYTES)) as i32;
        let callee = self
            .b
            .ins()
            .load(POINTER, vm_flags().with_readonly(), table, slot);
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
        let store = self.b.ins().load(
            POINTER,
            vm_flags().with_readonly(),
            self.vmctx,
            offsets::HEADER_STORE,
        );
        let counter_ptr = self.b.ins().load(
            POINTER,
            vm_flags().with_readonly(),
            store,
            offsets::STORE_EPOCH_COUNTER,
        );
        let counter = self.b.ins().load(types::I64, vm_flags(), counter_ptr, 0);
        let deadline =
            self.b
                .ins()
                .load(types::I64, vm_flags(), store, offsets::STORE_EPOCH_DEADLINE);
        let reached = self
            .b
            .ins()
            .icmp(IntCC::UnsignedGreaterThanOrEqual, counter, deadline);
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

    /// The `i32` result of a comparison (`0` or `1`).
    pub fn bool_to_i32(&mut self, c: Value) -> Value {
        self.b.ins().uextend(types::I32, c)
    }
}

const _: () = assert!(abi::POINTER_BYTES as usize == std::mem::size_of::<usize>());
