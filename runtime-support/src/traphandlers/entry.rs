//! The host-to-wasm entry stub (inline assembly) and its landing pad.
//!
//! `kiln_wasm_entry(body, callee_vmctx, caller_vmctx, values, len, state) -> u32` saves
//! every callee-saved register in its own frame, stores its frame pointer and stack pointer
//! into `state` ([`EntryRegs`]), and calls `body(callee_vmctx, caller_vmctx, values, len)`
//! (an array-call function), returning its `bool` widened to `u32`. When wasm code under it
//! traps, the signal handler resumes execution at `kiln_wasm_entry_landing` with the saved
//! stack and frame pointers: the landing pad restores the callee-saved registers from the
//! stub's frame and returns 0 from the stub, as if `body` had returned `false`. Only frames
//! of compiled wasm code and trampolines (which own no Rust values) are skipped; Rust
//! frames below the stub (host functions, builtins) have always returned by then, because
//! traps are only resumed from faults in compiled code.

/// Where the stub's frame is, for the signal handler to resume at.
#[repr(C)]
#[derive(Debug, Default)]
pub struct EntryRegs {
    /// The stub's frame pointer (offset 0, written by the stub).
    pub fp: usize,
    /// The stub's stack pointer after it saved the registers (offset 8).
    pub sp: usize,
}

#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
std::arch::global_asm!(
    ".text",
    ".p2align 4",
    ".globl kiln_wasm_entry",
    ".hidden kiln_wasm_entry",
    ".type kiln_wasm_entry, @function",
    "kiln_wasm_entry:",
    "push rbp",
    "mov rbp, rsp",
    "push rbx",
    "push r12",
    "push r13",
    "push r14",
    "push r15",
    "sub rsp, 8",
    "mov [r9], rbp",
    "mov [r9 + 8], rsp",
    "mov rax, rdi",
    "mov rdi, rsi",
    "mov rsi, rdx",
    "mov rdx, rcx",
    "mov rcx, r8",
    "call rax",
    "movzx eax, al",
    ".globl kiln_wasm_entry_exit",
    ".hidden kiln_wasm_entry_exit",
    "kiln_wasm_entry_exit:",
    "add rsp, 8",
    "pop r15",
    "pop r14",
    "pop r13",
    "pop r12",
    "pop rbx",
    "pop rbp",
    "ret",
    ".globl kiln_wasm_entry_landing",
    ".hidden kiln_wasm_entry_landing",
    "kiln_wasm_entry_landing:",
    "xor eax, eax",
    "jmp kiln_wasm_entry_exit",
    ".size kiln_wasm_entry, . - kiln_wasm_entry",
);

#[cfg(all(target_arch = "aarch64", target_os = "linux"))]
std::arch::global_asm!(
    ".text",
    ".p2align 4",
    ".globl kiln_wasm_entry",
    ".hidden kiln_wasm_entry",
    ".type kiln_wasm_entry, %function",
    "kiln_wasm_entry:",
    "stp x29, x30, [sp, #-16]!",
    "mov x29, sp",
    "stp x19, x20, [sp, #-16]!",
    "stp x21, x22, [sp, #-16]!",
    "stp x23, x24, [sp, #-16]!",
    "stp x25, x26, [sp, #-16]!",
    "stp x27, x28, [sp, #-16]!",
    "stp d8, d9, [sp, #-16]!",
    "stp d10, d11, [sp, #-16]!",
    "stp d12, d13, [sp, #-16]!",
    "stp d14, d15, [sp, #-16]!",
    "str x29, [x5]",
    "mov x9, sp",
    "str x9, [x5, #8]",
    "mov x9, x0",
    "mov x0, x1",
    "mov x1, x2",
    "mov x2, x3",
    "mov x3, x4",
    "blr x9",
    "and w0, w0, #0xff",
    ".globl kiln_wasm_entry_exit",
    ".hidden kiln_wasm_entry_exit",
    "kiln_wasm_entry_exit:",
    "ldp d14, d15, [sp], #16",
    "ldp d12, d13, [sp], #16",
    "ldp d10, d11, [sp], #16",
    "ldp d8, d9, [sp], #16",
    "ldp x27, x28, [sp], #16",
    "ldp x25, x26, [sp], #16",
    "ldp x23, x24, [sp], #16",
    "ldp x21, x22, [sp], #16",
    "ldp x19, x20, [sp], #16",
    "ldp x29, x30, [sp], #16",
    "ret",
    ".globl kiln_wasm_entry_landing",
    ".hidden kiln_wasm_entry_landing",
    "kiln_wasm_entry_landing:",
    "mov w0, #0",
    "b kiln_wasm_entry_exit",
    ".size kiln_wasm_entry, . - kiln_wasm_entry",
);

unsafe extern "C" {
    /// The entry stub (see the module docs).
    pub fn kiln_wasm_entry(
        body: crate::vm::ArrayCallFn,
        callee_vmctx: *mut crate::vm::VMOpaqueContext,
        caller_vmctx: *mut crate::vm::VMContext,
        values: *mut crate::vm::ValRaw,
        len: usize,
        regs: *mut EntryRegs,
    ) -> u32;
    /// The landing pad the signal handler resumes at (not callable).
    pub fn kiln_wasm_entry_landing();
}
