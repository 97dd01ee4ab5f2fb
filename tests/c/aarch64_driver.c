/*
 * A test driver that runs Kiln's aarch64 code for one module under qemu-aarch64, without
 * the Rust runtime (there is no aarch64 Rust target on the test host).
 *
 * Linked statically with `aarch64-linux-gnu-gcc` against the module's relocatable object
 * (`kiln compile --target aarch64-unknown-linux-gnu --emit obj`, item symbols made global
 * with objcopy) and two headers `kiln_tests::aarch64_exec` generates: `kiln_builtins.h`,
 * rendered from runtime-support's one declaration of the builtins (slot numbers, the typed
 * table `struct kiln_builtins`, a prototype per builtin), and `kiln_module.h`, from
 * runtime-support's VM layout for the module. Every offset, size, slot and builtin
 * signature this file uses comes from those headers, none is written here: the builtins
 * this driver implements are defined below as the `kiln_builtin_*` functions their
 * prototypes declare (a changed signature fails to build), the others are the header's
 * weak stubs, linked in from the header compiled with KILN_BUILTIN_WEAK_STUBS.
 *
 * What it sets up, as the compiled-code ABI (compiler/src/lib.rs) expects:
 *   - a VMContext: magic, store context (stack limit, epoch deadline and counter), the
 *     builtins table, canonical type ids; each memory's { base, current_length }, and the
 *     pointer to it that compiled code reads for a shared memory; defined
 *     globals; tables of funcref pointers; one VMFuncRef per function;
 *   - each linear memory as a real 4 GiB + guard reservation: PROT_NONE except the current
 *     length, so guard-page bounds checks fault (64-bit memories, whose bounds compiled
 *     code checks explicitly, get the same reservation and never move);
 *   - the initial memory images, globals and table elements from a state file written by
 *     the host after instantiating the module on Kiln's interpreter:
 *       per memory: u64 length, the memory bytes,
 *       KILN_NUM_GLOBALS slots of KILN_GLOBAL_SIZE bytes,
 *       per table: u64 element count, then one u32 function index per element
 *       (0xffffffff for null),
 *       u32 data segment count, per segment u32 length and its bytes (empty when dropped),
 *       u32 element segment count, per segment u32 length and one u32 function index per
 *       element (empty unless passive and not dropped),
 *       u32 tag count, per tag u32 identity (equal for the same tag instance) and u32
 *       number of payload values,
 *       the handler table (runtime-support's vm::handler_table, offsets in the module's
 *       .text): u32 call-site count, per call site u32 return-address offset, frame
 *       offset, saved-VMContext offset, first clause and clause count (sorted by return
 *       address); u32 clause count, per clause u32 tag (KILN_CATCH_ALL: any) and u32
 *       landing-pad offset, all little-endian;
 *   - builtins in C: memory.grow/fill/copy/init, data.drop, table.fill/copy/init,
 *     elem.drop, memory.atomic.wait32/64 and notify (one thread: nothing wakes a waiter),
 *     the exception-handling builtins (exceptions in an arena, `throw` as an unwinder of
 *     the frame-pointer chain that resumes at a landing pad, as runtime-support's
 *     traphandlers/throw.rs does), and the host-to-wasm entry; the others (table.grow,
 *     epoch_reached, type_check, and any new one) are stubs that print `builtin N` (the
 *     slot) and exit with EXIT_BUILTIN;
 *   - SIGILL/SIGSEGV/SIGBUS/SIGFPE handlers that find the code item (function or
 *     trampoline symbol) holding the faulting PC and unwind to the entry with siglongjmp.
 *
 * Usage: driver STATE CALL...   where CALL is `EXPORT[:HEX[,HEX...]]`, EXPORT the export's
 * position in KILN_EXPORTS and HEX the raw bits of each argument (up to 128 bits: a v128 is
 * one 32-digit number, lane 0 in the low bits); or `driver STATE -`, which
 * reads the CALLs from standard input, one a line (for call lists longer than a command
 * line may be). Calls run in order in one instance. Per call, one line on stdout:
 *   `ok HEX...`                 the results' raw bits (i32/f32 as 32 bits, i64/f64 as 64,
 *                               v128 as 128),
 *   `trap ITEM OFFSET SIGNAL`   the faulting item (its position in KILN_ITEMS, which is its
 *                               position in .kiln.meta) and the PC's offset from its symbol;
 *   `exception ITEM OFFSET SIGNAL TAG HEX...`
 *                               an exception no compiled frame caught: the trap that ended
 *                               the call as above (the unwind-pending trap site), the tag's
 *                               module index and the payload's raw bits, each value's whole
 *                               16-byte slot (the host masks them to the value types).
 * Exit codes: 0 done, 2 bad usage or state file, 3 an unimplemented builtin was called,
 * 4 a fault outside the module's code or outside a call.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

/* The array-call slot `kiln_builtins.h` leaves to its includer (runtime-support's ValRaw). */
struct kiln_val_raw {
    uint64_t lo, hi;
} __attribute__((aligned(16)));
typedef struct kiln_val_raw ValRaw;

#include "kiln_builtins.h"

struct item {
    const char *symbol;
    const char *start;
    uint32_t size;
};
struct func {
    const char *array_entry;
    const char *wasm_call;
    uint32_t type_index;
};
struct export {
    const char *name;
    uint32_t func_index;
    uint32_t params;
    /* Width in bits of each result (32, 64 or 128); at most 16 results. */
    uint32_t results;
    uint8_t result_bits[16];
};

#include "kiln_module.h"

#define EXIT_USAGE 2
#define EXIT_BUILTIN 3
#define EXIT_FATAL 4

/* Stack wasm may use below the entry's frame before the prologue check traps. */
#define STACK_BUDGET (2u << 20)

static const struct item ITEMS[] = KILN_ITEMS;
static const struct func FUNCS[] = KILN_FUNCS;
static const struct export EXPORTS[] = KILN_EXPORTS;
#define NUM_ITEMS (sizeof ITEMS / sizeof ITEMS[0])
#define NUM_EXPORTS (sizeof EXPORTS / sizeof EXPORTS[0])

static unsigned char *vmctx;
static unsigned char store_ctx[KILN_STORE_SIZE] __attribute__((aligned(16)));
static uint64_t epoch_counter;
static const struct kiln_builtins builtins = KILN_BUILTINS_INIT;
static uint32_t type_ids[KILN_NUM_TYPES + 1];

#define FIELD(base, off, type) (*(type *)((unsigned char *)(base) + (off)))

/* ---- the innermost host-to-wasm entry and the last trap ---- */

struct entry {
    sigjmp_buf env;
    struct entry *prev;
    /* The entry's frame pointer: the unwinder stops below it. */
    uintptr_t fp;
};
static struct entry *volatile current_entry;
static volatile int trap_item = -1;
static volatile uint32_t trap_offset;
static volatile int trap_signal;

static int find_item(uintptr_t pc) {
    for (size_t i = 0; i < NUM_ITEMS; i++) {
        uintptr_t start = (uintptr_t)ITEMS[i].start;
        if (pc >= start && pc < start + ITEMS[i].size) return (int)i;
    }
    return -1;
}

static void on_fault(int sig, siginfo_t *info, void *context) {
    ucontext_t *uc = context;
    uintptr_t pc = (uintptr_t)uc->uc_mcontext.pc;
    int item = find_item(pc);
    if (item < 0 || current_entry == NULL) {
        /* Only async-signal-safe calls here. */
        char msg[160];
        int n = snprintf(msg, sizeof msg, "fatal signal %d at pc %#" PRIxPTR " (address %p) outside the module's code\n",
                         sig, pc, info->si_addr);
        if (n > 0) (void)!write(2, msg, (size_t)n);
        _exit(EXIT_FATAL);
    }
    trap_item = item;
    trap_offset = (uint32_t)(pc - (uintptr_t)ITEMS[item].start);
    trap_signal = sig;
    siglongjmp(current_entry->env, 1);
}

static void install_handlers(void) {
    static char alt_stack[1 << 16] __attribute__((aligned(16)));
    stack_t ss = {.ss_sp = alt_stack, .ss_size = sizeof alt_stack, .ss_flags = 0};
    if (sigaltstack(&ss, NULL) != 0) {
        perror("sigaltstack");
        exit(EXIT_USAGE);
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    int signals[] = {SIGILL, SIGSEGV, SIGBUS, SIGFPE};
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        if (sigaction(signals[i], &sa, NULL) != 0) {
            perror("sigaction");
            exit(EXIT_USAGE);
        }
    }
}

/* ---- builtins ---- */

/* A builtin this driver does not implement (a weak stub): ends the run loudly with its slot. */
void kiln_unimplemented_builtin(int slot) {
    printf("builtin %d\n", slot);
    fflush(stdout);
    _exit(EXIT_BUILTIN);
}

uint32_t kiln_builtin_enter_wasm(void *callee_vmctx, void *caller_vmctx, ValRaw *values, size_t len,
                                 kiln_array_call_fn body) {
    struct entry e;
    uintptr_t saved_limit = FIELD(store_ctx, KILN_OFF_STORE_STACK_LIMIT, uintptr_t);
    FIELD(store_ctx, KILN_OFF_STORE_STACK_LIMIT, uintptr_t) = (uintptr_t)__builtin_frame_address(0) - STACK_BUDGET;
    e.prev = current_entry;
    e.fp = (uintptr_t)__builtin_frame_address(0);
    current_entry = &e;
    uint32_t ok;
    if (sigsetjmp(e.env, 1) == 0) {
        ok = body(callee_vmctx, caller_vmctx, values, len) ? 1 : 0;
    } else {
        ok = 0;
    }
    current_entry = e.prev;
    FIELD(store_ctx, KILN_OFF_STORE_STACK_LIMIT, uintptr_t) = saved_limit;
    return ok;
}

/* The memory builtins are only called by modules with memories (every one defined: the
 * driver provides no imports), each with its own reservation. */
static const uint32_t memory_offsets[KILN_NUM_MEMORIES + 1] = KILN_MEMORY_OFFSETS;
static const uint64_t memory_max_pages[KILN_NUM_MEMORIES + 1] = KILN_MEMORY_MAX_PAGES;
static const uint32_t memory_pointer_offsets[KILN_NUM_MEMORIES + 1] = KILN_MEMORY_POINTER_OFFSETS;
static unsigned char *memory_def(uint32_t m) { return vmctx + memory_offsets[m]; }
static unsigned char *memory_base(uint32_t m) { return FIELD(memory_def(m), KILN_OFF_MEMDEF_BASE, unsigned char *); }
static uint64_t memory_length(uint32_t m) { return FIELD(memory_def(m), KILN_OFF_MEMDEF_LENGTH, uint64_t); }

uint64_t kiln_builtin_memory_grow(void *ctx, uint32_t memory, uint64_t delta) {
    (void)ctx;
    if (memory >= KILN_NUM_MEMORIES) return UINT64_MAX;
    uint64_t old_pages = memory_length(memory) / KILN_PAGE_SIZE;
    if (delta > memory_max_pages[memory] - old_pages) return UINT64_MAX;
    uint64_t new_pages = old_pages + delta;
    if (delta != 0 &&
        mprotect(memory_base(memory) + memory_length(memory), delta * KILN_PAGE_SIZE, PROT_READ | PROT_WRITE) != 0)
        return UINT64_MAX;
    FIELD(memory_def(memory), KILN_OFF_MEMDEF_LENGTH, uint64_t) = new_pages * KILN_PAGE_SIZE;
    return old_pages;
}

/* Whether [start, start + len) lies inside `size` bytes or elements (64-bit operands of
 * 64-bit memories and tables may be near 2^64, so the sum must not wrap). */
static bool in_bounds(uint64_t start, uint64_t len, uint64_t size) { return start <= size && len <= size - start; }

uint32_t kiln_builtin_memory_fill(void *ctx, uint32_t memory, uint64_t dst, uint32_t value, uint64_t len) {
    (void)ctx;
    if (memory >= KILN_NUM_MEMORIES || !in_bounds(dst, len, memory_length(memory))) return 1;
    memset(memory_base(memory) + dst, (int)(value & 0xff), len);
    return KILN_BUILTIN_OK;
}

uint32_t kiln_builtin_memory_copy(void *ctx, uint32_t dst_memory, uint32_t src_memory, uint64_t dst, uint64_t src,
                                  uint64_t len) {
    (void)ctx;
    if (dst_memory >= KILN_NUM_MEMORIES || src_memory >= KILN_NUM_MEMORIES) return 1;
    if (!in_bounds(dst, len, memory_length(dst_memory)) || !in_bounds(src, len, memory_length(src_memory))) return 1;
    memmove(memory_base(dst_memory) + dst, memory_base(src_memory) + src, len);
    return KILN_BUILTIN_OK;
}

/* Passive segments (from the state file). */
struct segment {
    uint32_t len;
    void *items; /* bytes for data segments, uint32_t function indices for elements */
};
static struct segment *data_segments, *elem_segments;
static uint32_t num_data_segments, num_elem_segments;

uint32_t kiln_builtin_memory_init(void *ctx, uint32_t memory, uint32_t data, uint64_t dst, uint32_t src, uint32_t len) {
    (void)ctx;
    if (memory >= KILN_NUM_MEMORIES || data >= num_data_segments) return 1;
    if ((uint64_t)src + len > data_segments[data].len || !in_bounds(dst, len, memory_length(memory))) return 1;
    if (len != 0) memcpy(memory_base(memory) + dst, (unsigned char *)data_segments[data].items + src, len);
    return KILN_BUILTIN_OK;
}

/* memory.atomic.wait32/64 and notify (threads; compiled code has checked the address and
 * that the memory is shared). The driver runs one thread, so nothing ever wakes a waiter:
 * a wait answers "not equal" (1) or sleeps out its timeout and answers "timed out" (2); a
 * negative timeout waits forever, as on the interpreter. A notify wakes nobody (0). */
static uint32_t wait_for(bool equal, uint64_t timeout) {
    if (!equal) return 1;
    if ((int64_t)timeout < 0) for (;;) pause();
    struct timespec t = { .tv_sec = (time_t)(timeout / 1000000000u), .tv_nsec = (long)(timeout % 1000000000u) };
    while (nanosleep(&t, &t) != 0 && errno == EINTR) {}
    return 2;
}

uint32_t kiln_builtin_memory_atomic_wait32(void *ctx, uint32_t memory, uint64_t addr, uint32_t expected,
                                           uint64_t timeout) {
    (void)ctx;
    if (memory >= KILN_NUM_MEMORIES) return 1;
    uint32_t v = __atomic_load_n((uint32_t *)(memory_base(memory) + addr), __ATOMIC_SEQ_CST);
    return wait_for(v == expected, timeout);
}

uint32_t kiln_builtin_memory_atomic_wait64(void *ctx, uint32_t memory, uint64_t addr, uint64_t expected,
                                           uint64_t timeout) {
    (void)ctx;
    if (memory >= KILN_NUM_MEMORIES) return 1;
    uint64_t v = __atomic_load_n((uint64_t *)(memory_base(memory) + addr), __ATOMIC_SEQ_CST);
    return wait_for(v == expected, timeout);
}

uint32_t kiln_builtin_memory_atomic_notify(void *ctx, uint32_t memory, uint64_t addr, uint32_t count) {
    (void)ctx, (void)memory, (void)addr, (void)count;
    return 0;
}

void kiln_builtin_data_drop(void *ctx, uint32_t data) {
    (void)ctx;
    if (data < num_data_segments) data_segments[data].len = 0;
}

void kiln_builtin_elem_drop(void *ctx, uint32_t elem) {
    (void)ctx;
    if (elem < num_elem_segments) elem_segments[elem].len = 0;
}

static const uint32_t table_offsets[KILN_NUM_TABLES + 1] = KILN_TABLE_OFFSETS;
static uintptr_t *table_base(uint32_t t) {
    return FIELD(vmctx + table_offsets[t], KILN_OFF_TABLEDEF_BASE, uintptr_t *);
}
static uint64_t table_length(uint32_t t) {
    return FIELD(vmctx + table_offsets[t], KILN_OFF_TABLEDEF_ELEMENTS, uint64_t);
}
static uintptr_t funcref(uint32_t func) {
    return func == UINT32_MAX ? 0 : (uintptr_t)(vmctx + KILN_OFF_FUNCREFS + (size_t)func * KILN_FUNCREF_SIZE);
}

uint32_t kiln_builtin_table_fill(void *ctx, uint32_t table, uint64_t dst, uintptr_t value, uint64_t len) {
    (void)ctx;
    if (table >= KILN_NUM_TABLES || !in_bounds(dst, len, table_length(table))) return 1;
    for (uint64_t i = 0; i < len; i++) table_base(table)[dst + i] = value;
    return KILN_BUILTIN_OK;
}

uint32_t kiln_builtin_table_copy(void *ctx, uint32_t dst_table, uint32_t src_table, uint64_t dst, uint64_t src,
                                 uint64_t len) {
    (void)ctx;
    if (dst_table >= KILN_NUM_TABLES || src_table >= KILN_NUM_TABLES) return 1;
    if (!in_bounds(dst, len, table_length(dst_table)) || !in_bounds(src, len, table_length(src_table))) return 1;
    if (len != 0) memmove(table_base(dst_table) + dst, table_base(src_table) + src, (size_t)len * sizeof(uintptr_t));
    return KILN_BUILTIN_OK;
}

uint32_t kiln_builtin_table_init(void *ctx, uint32_t table, uint32_t elem, uint64_t dst, uint32_t src, uint32_t len) {
    (void)ctx;
    if (table >= KILN_NUM_TABLES || elem >= num_elem_segments) return 1;
    if ((uint64_t)src + len > elem_segments[elem].len || !in_bounds(dst, len, table_length(table))) return 1;
    const uint32_t *funcs = elem_segments[elem].items;
    for (uint32_t i = 0; i < len; i++) table_base(table)[dst + i] = funcref(funcs[src + i]);
    return KILN_BUILTIN_OK;
}

/* ---- exception handling ---- */

/* The module's tags (from the state file): tags are compared by identity, as the runtime
 * compares VMTag addresses. */
struct tag {
    uint32_t identity;
    uint32_t params;
};
static struct tag *tags;
static uint32_t num_tags;

/* The handler table (from the state file; offsets in the module's .text). */
struct call_site {
    uint32_t ret_addr, frame_offset, vmctx_sp_offset, first_clause, num_clauses;
};
struct clause {
    uint32_t tag, landing;
};
static struct call_site *call_sites;
static uint32_t num_call_sites;
static struct clause *clauses;
static uint32_t num_clauses;

/* The exceptions arena: a raw exnref is the slot index plus one (0 is null). A caught
 * exception no reference to it remains of is released; an exposed one lives on. */
struct exception {
    bool live, exposed;
    uint32_t tag;
    ValRaw *payload;
};
static struct exception *exceptions;
static uint32_t num_exception_slots, exception_capacity;
static uint32_t *free_exceptions;
static uint32_t num_free_exceptions;

/* The exception no compiled frame caught, which ends the current call (0: none). */
static uintptr_t pending_exception;

static struct exception *exception_of(uintptr_t exn) {
    if (exn == 0 || exn > num_exception_slots || !exceptions[exn - 1].live) return NULL;
    return &exceptions[exn - 1];
}

static void fatal(const char *what) {
    printf("fatal: %s\n", what);
    fflush(stdout);
    _exit(EXIT_FATAL);
}

static void release_exception(uintptr_t exn) {
    struct exception *e = exception_of(exn);
    if (e == NULL || e->exposed) return;
    free(e->payload);
    e->payload = NULL;
    e->live = false;
    free_exceptions[num_free_exceptions++] = (uint32_t)(exn - 1);
}

uintptr_t kiln_builtin_exn_new(void *ctx, uint32_t tag, ValRaw *values) {
    (void)ctx;
    if (tag >= num_tags) fatal("exn_new of a tag the module does not have");
    uint32_t n = tags[tag].params;
    ValRaw *payload = malloc(n ? n * sizeof *payload : 1);
    if (payload == NULL) fatal("out of memory for an exception");
    if (n != 0) memcpy(payload, values, n * sizeof *payload);
    uint32_t i;
    if (num_free_exceptions != 0) {
        i = free_exceptions[--num_free_exceptions];
    } else {
        if (num_exception_slots == exception_capacity) {
            exception_capacity = exception_capacity ? 2 * exception_capacity : 64;
            exceptions = realloc(exceptions, exception_capacity * sizeof *exceptions);
            free_exceptions = realloc(free_exceptions, exception_capacity * sizeof *free_exceptions);
            if (exceptions == NULL || free_exceptions == NULL) fatal("out of memory for exceptions");
        }
        i = num_exception_slots++;
    }
    exceptions[i] = (struct exception){.live = true, .exposed = false, .tag = tag, .payload = payload};
    return (uintptr_t)i + 1;
}

void kiln_builtin_exn_catch(void *ctx, uintptr_t exn, ValRaw *values, uint32_t keep) {
    (void)ctx;
    struct exception *e = exception_of(exn);
    if (e == NULL) fatal("exn_catch of an exception that does not exist");
    if (values != NULL) memcpy(values, e->payload, tags[e->tag].params * sizeof *values);
    if (keep == 0) release_exception(exn);
    else e->exposed = true;
}

uint32_t kiln_builtin_exn_is(void *ctx, uintptr_t exn, uint32_t tag) {
    (void)ctx;
    struct exception *e = exception_of(exn);
    return e != NULL && tag < num_tags && tags[e->tag].identity == tags[tag].identity;
}

/* Where an exception is caught: the landing pad and the frame to run it in. */
struct landing {
    uintptr_t pc, sp, fp;
};

static uintptr_t text_start(void) { return KILN_TEXT_START; }

/* The call site whose return address is `ret`, if it has handlers (binary search). */
static const struct call_site *call_site_at(uintptr_t ret) {
    if (ret < text_start() || ret - text_start() > UINT32_MAX) return NULL;
    uint32_t offset = (uint32_t)(ret - text_start());
    uint32_t lo = 0, hi = num_call_sites;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (call_sites[mid].ret_addr == offset) return &call_sites[mid];
        if (call_sites[mid].ret_addr < offset) lo = mid + 1;
        else hi = mid;
    }
    return NULL;
}

/* The first compiled frame from the caller of the frame at `fp` up to the innermost entry
 * whose handlers catch an exception of module tag `tag`: each frame record is
 * { caller's FP, return address }, and the return address is looked up in the handler
 * table; the first clause of the call site that names the tag (or catches all) wins. */
static bool find_landing(uint32_t tag, uintptr_t fp, struct landing *out) {
    if (current_entry == NULL) return false;
    uintptr_t stop = current_entry->fp;
    while (fp != 0 && fp < stop && fp % 16 == 0) {
        uintptr_t caller_fp = ((const uintptr_t *)fp)[0];
        uintptr_t ret = ((const uintptr_t *)fp)[1];
        if (caller_fp <= fp) return false;
        const struct call_site *site = call_site_at(ret);
        if (site != NULL) {
            uintptr_t sp = caller_fp - site->frame_offset;
            for (uint32_t i = 0; i < site->num_clauses; i++) {
                const struct clause *c = &clauses[site->first_clause + i];
                bool hit = c->tag == KILN_CATCH_ALL;
                if (!hit) {
                    /* The runtime resolves the clause's tag through the instance of the
                     * VMContext the call site saved; the driver has one instance. */
                    if (FIELD(sp, site->vmctx_sp_offset, unsigned char *) != vmctx)
                        fatal("a call site's saved VMContext is not the instance's");
                    hit = tags[c->tag].identity == tags[tag].identity;
                }
                if (hit) {
                    *out = (struct landing){.pc = text_start() + c->landing, .sp = sp, .fp = caller_fp};
                    return true;
                }
            }
        }
        fp = caller_fp;
    }
    return false;
}

/* Continues at `pc` with stack pointer `sp`, frame pointer `fp` and `exn` in the first
 * exception payload register of Cranelift's try_call ABI (x0), the second (x1) zero. */
__attribute__((noreturn)) void kiln_driver_resume(uintptr_t pc, uintptr_t sp, uintptr_t fp, uintptr_t exn);
__asm__(".text\n"
        ".p2align 4\n"
        ".globl kiln_driver_resume\n"
        ".type kiln_driver_resume, %function\n"
        "kiln_driver_resume:\n"
        "    mov x16, x0\n"
        "    mov sp, x1\n"
        "    mov x29, x2\n"
        "    mov x0, x3\n"
        "    mov x1, xzr\n"
        "    br x16\n"
        ".size kiln_driver_resume, . - kiln_driver_resume\n");

/* `throw` once the throwing function's own handlers did not catch `exn`: resumes at the
 * landing pad of the first compiled frame above `fp` that catches it, else makes it the
 * pending exception and returns (the function then traps, ending the call). */
void kiln_builtin_throw(void *ctx, uintptr_t exn, uintptr_t fp) {
    (void)ctx;
    struct exception *e = exception_of(exn);
    if (e == NULL) fatal("throw of an exception that does not exist");
    struct landing l;
    if (find_landing(e->tag, fp, &l)) kiln_driver_resume(l.pc, l.sp, l.fp, exn);
    pending_exception = exn;
}

/* After an array call from compiled code returned false (a wasm-to-array trampoline):
 * the pending exception, if any, continues at the first compiled frame above `fp` that
 * catches it. */
void kiln_builtin_unwind_pending(void *ctx, uintptr_t fp) {
    (void)ctx;
    struct exception *e = exception_of(pending_exception);
    struct landing l;
    if (e != NULL && find_landing(e->tag, fp, &l)) {
        uintptr_t exn = pending_exception;
        pending_exception = 0;
        kiln_driver_resume(l.pc, l.sp, l.fp, exn);
    }
}

/* ---- setup ---- */

static void read_exact(FILE *f, void *buf, size_t n, const char *what) {
    if (n != 0 && fread(buf, 1, n, f) != n) {
        fprintf(stderr, "state file: cannot read %s\n", what);
        exit(EXIT_USAGE);
    }
}

/* Reads a u32 count, then per segment a u32 length and `length * item_size` bytes. */
static struct segment *read_segments(FILE *f, uint32_t *count, size_t item_size, const char *what) {
    read_exact(f, count, sizeof *count, what);
    struct segment *segments = calloc(*count ? *count : 1, sizeof *segments);
    if (segments == NULL) exit(EXIT_USAGE);
    for (uint32_t i = 0; i < *count; i++) {
        read_exact(f, &segments[i].len, sizeof segments[i].len, what);
        size_t bytes = (size_t)segments[i].len * item_size;
        segments[i].items = malloc(bytes ? bytes : 1);
        if (segments[i].items == NULL) exit(EXIT_USAGE);
        read_exact(f, segments[i].items, bytes, what);
    }
    return segments;
}

static void *read_array(FILE *f, uint32_t *count, size_t item_size, const char *what) {
    read_exact(f, count, sizeof *count, what);
    void *items = calloc(*count ? *count : 1, item_size);
    if (items == NULL) exit(EXIT_USAGE);
    read_exact(f, items, (size_t)*count * item_size, what);
    return items;
}

static void bad_state(const char *what, uint32_t i) {
    fprintf(stderr, "state file: %s %u\n", what, i);
    exit(EXIT_USAGE);
}

/* The tags and the handler table, checked so the unwinder indexes only what exists. */
static void read_exception_handling(FILE *f) {
    tags = read_array(f, &num_tags, sizeof *tags, "the tags");
    call_sites = read_array(f, &num_call_sites, sizeof *call_sites, "the handler call sites");
    clauses = read_array(f, &num_clauses, sizeof *clauses, "the handler clauses");
    for (uint32_t i = 0; i < num_tags; i++)
        if (tags[i].params > 1u << 20) bad_state("too many payload values of tag", i);
    for (uint32_t i = 0; i < num_call_sites; i++) {
        const struct call_site *c = &call_sites[i];
        if (i > 0 && call_sites[i - 1].ret_addr >= c->ret_addr) bad_state("unsorted call site", i);
        if (c->first_clause > num_clauses || c->num_clauses > num_clauses - c->first_clause)
            bad_state("clauses out of range at call site", i);
    }
    for (uint32_t i = 0; i < num_clauses; i++)
        if (clauses[i].tag != KILN_CATCH_ALL && clauses[i].tag >= num_tags) bad_state("unknown tag in clause", i);
}

static void setup(const char *state_path) {
    FILE *f = fopen(state_path, "rb");
    if (f == NULL) {
        fprintf(stderr, "cannot open state file %s: %s\n", state_path, strerror(errno));
        exit(EXIT_USAGE);
    }
    vmctx = aligned_alloc(16, KILN_VMCTX_SIZE);
    if (vmctx == NULL) exit(EXIT_USAGE);
    memset(vmctx, 0, KILN_VMCTX_SIZE);

    FIELD(store_ctx, KILN_OFF_STORE_STACK_LIMIT, uintptr_t) = 0;
    FIELD(store_ctx, KILN_OFF_STORE_EPOCH_DEADLINE, uint64_t) = UINT64_MAX;
    FIELD(store_ctx, KILN_OFF_STORE_EPOCH_COUNTER, uint64_t *) = &epoch_counter;

    static const uint32_t canonical[KILN_NUM_TYPES + 1] = KILN_TYPE_IDS;
    memcpy(type_ids, canonical, sizeof type_ids);

    FIELD(vmctx, KILN_OFF_MAGIC, uint32_t) = KILN_VMCTX_MAGIC;
    FIELD(vmctx, KILN_OFF_STORE, void *) = store_ctx;
    FIELD(vmctx, KILN_OFF_BUILTINS, const struct kiln_builtins *) = &builtins;
    FIELD(vmctx, KILN_OFF_TYPE_IDS, uint32_t *) = type_ids;

    for (uint32_t m = 0; m < KILN_NUM_MEMORIES; m++) {
        uint64_t length;
        read_exact(f, &length, sizeof length, "a memory length");
        if (length % KILN_PAGE_SIZE != 0 || length > memory_max_pages[m] * (uint64_t)KILN_PAGE_SIZE) {
            fprintf(stderr, "state file: bad length %" PRIu64 " of memory %" PRIu32 "\n", length, m);
            exit(EXIT_USAGE);
        }
        unsigned char *base = mmap(NULL, KILN_RESERVATION_BYTES, PROT_NONE,
                                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (base == MAP_FAILED) {
            perror("mmap the memory reservation");
            exit(EXIT_USAGE);
        }
        if (length != 0 && mprotect(base, length, PROT_READ | PROT_WRITE) != 0) {
            perror("mprotect");
            exit(EXIT_USAGE);
        }
        read_exact(f, base, length, "a memory image");
        FIELD(memory_def(m), KILN_OFF_MEMDEF_BASE, unsigned char *) = base;
        FIELD(memory_def(m), KILN_OFF_MEMDEF_LENGTH, uint64_t) = length;
        FIELD(vmctx, memory_pointer_offsets[m], unsigned char *) = memory_def(m);
    }

    read_exact(f, vmctx + KILN_OFF_GLOBALS, (size_t)KILN_NUM_GLOBALS * KILN_GLOBAL_SIZE, "the globals");

    for (uint32_t i = 0; i < KILN_NUM_FUNCS; i++) {
        unsigned char *r = vmctx + KILN_OFF_FUNCREFS + (size_t)i * KILN_FUNCREF_SIZE;
        FIELD(r, KILN_OFF_FUNCREF_ARRAY_CALL, const void *) = FUNCS[i].array_entry;
        FIELD(r, KILN_OFF_FUNCREF_WASM_CALL, const void *) = FUNCS[i].wasm_call;
        FIELD(r, KILN_OFF_FUNCREF_TYPE_ID, uint32_t) = type_ids[FUNCS[i].type_index];
        FIELD(r, KILN_OFF_FUNCREF_VMCTX, void *) = vmctx;
    }

    for (uint32_t t = 0; t < KILN_NUM_TABLES; t++) {
        uint64_t n;
        read_exact(f, &n, sizeof n, "a table length");
        uintptr_t *elements = calloc(n ? n : 1, sizeof *elements);
        if (elements == NULL) exit(EXIT_USAGE);
        for (uint64_t i = 0; i < n; i++) {
            uint32_t func;
            read_exact(f, &func, sizeof func, "a table element");
            if (func == UINT32_MAX) continue;
            if (func >= KILN_NUM_FUNCS) {
                fprintf(stderr, "state file: table %u element %" PRIu64 " names function %u\n", t, i, func);
                exit(EXIT_USAGE);
            }
            elements[i] = funcref(func);
        }
        FIELD(vmctx + table_offsets[t], KILN_OFF_TABLEDEF_BASE, uintptr_t *) = elements;
        FIELD(vmctx + table_offsets[t], KILN_OFF_TABLEDEF_ELEMENTS, uint64_t) = n;
    }
    data_segments = read_segments(f, &num_data_segments, 1, "data");
    elem_segments = read_segments(f, &num_elem_segments, sizeof(uint32_t), "element");
    for (uint32_t s = 0; s < num_elem_segments; s++) {
        const uint32_t *funcs = elem_segments[s].items;
        for (uint32_t i = 0; i < elem_segments[s].len; i++) {
            if (funcs[i] != UINT32_MAX && funcs[i] >= KILN_NUM_FUNCS) {
                fprintf(stderr, "state file: element segment %u names function %u\n", s, funcs[i]);
                exit(EXIT_USAGE);
            }
        }
    }
    read_exception_handling(f);
    if (fgetc(f) != EOF) {
        fprintf(stderr, "state file: trailing bytes\n");
        exit(EXIT_USAGE);
    }
    fclose(f);
}

/* ---- calls ---- */

/* Parses up to 32 hex digits at `p` into `v` (the low 64 bits in `lo`); `*end` is set past
 * them. Returns false when there are none or too many. */
static bool parse_bits(const char *p, const char **end, ValRaw *v) {
    unsigned __int128 bits = 0;
    int digits = 0;
    for (;; p++, digits++) {
        int d;
        if (*p >= '0' && *p <= '9') d = *p - '0';
        else if (*p >= 'a' && *p <= 'f') d = *p - 'a' + 10;
        else if (*p >= 'A' && *p <= 'F') d = *p - 'A' + 10;
        else break;
        bits = (bits << 4) | (unsigned)d;
    }
    *end = p;
    v->lo = (uint64_t)bits;
    v->hi = (uint64_t)(bits >> 64);
    return digits > 0 && digits <= 32;
}

static void run_call(const char *spec) {
    char *end;
    unsigned long k = strtoul(spec, &end, 10);
    if (end == spec || k >= NUM_EXPORTS || (*end != '\0' && *end != ':')) {
        fprintf(stderr, "bad call `%s`\n", spec);
        exit(EXIT_USAGE);
    }
    const struct export *x = &EXPORTS[k];
    size_t len = x->params > x->results ? x->params : x->results;
    ValRaw values[len ? len : 1];
    memset(values, 0, sizeof values);
    const char *p = *end == ':' ? end + 1 : end;
    for (uint32_t i = 0; i < x->params; i++) {
        const char *after;
        if (!parse_bits(p, &after, &values[i]) || (*after != ',' && *after != '\0')) {
            fprintf(stderr, "bad arguments in `%s` (%s takes %u)\n", spec, x->name, x->params);
            exit(EXIT_USAGE);
        }
        p = *after == ',' ? after + 1 : after;
    }
    if (*p != '\0') {
        fprintf(stderr, "too many arguments in `%s` (%s takes %u)\n", spec, x->name, x->params);
        exit(EXIT_USAGE);
    }
    kiln_array_call_fn entry = (kiln_array_call_fn)(const void *)FUNCS[x->func_index].array_entry;
    trap_item = -1;
    pending_exception = 0;
    if (entry(vmctx, NULL, values, len)) {
        printf("ok");
        for (uint32_t i = 0; i < x->results; i++) {
            if (x->result_bits[i] == 128 && values[i].hi != 0) {
                printf(" %" PRIx64 "%016" PRIx64, values[i].hi, values[i].lo);
                continue;
            }
            uint64_t bits = x->result_bits[i] == 32 ? (values[i].lo & 0xffffffffu) : values[i].lo;
            printf(" %" PRIx64, bits);
        }
        printf("\n");
    } else if (trap_item >= 0 && pending_exception != 0) {
        struct exception *e = exception_of(pending_exception);
        if (e == NULL) fatal("the pending exception does not exist");
        printf("exception %d %u %d %u", trap_item, trap_offset, trap_signal, e->tag);
        for (uint32_t i = 0; i < tags[e->tag].params; i++)
            printf(" %" PRIx64 "%016" PRIx64, e->payload[i].hi, e->payload[i].lo);
        printf("\n");
        release_exception(pending_exception);
        pending_exception = 0;
    } else if (trap_item >= 0) {
        printf("trap %d %u %d\n", trap_item, trap_offset, trap_signal);
    } else {
        printf("fatal: the call returned false without a trap\n");
        fflush(stdout);
        _exit(EXIT_FATAL);
    }
    fflush(stdout);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s STATE CALL...\n", argv[0]);
        return EXIT_USAGE;
    }
    install_handlers();
    setup(argv[1]);
    if (argc == 3 && strcmp(argv[2], "-") == 0) {
        char line[4096];
        while (fgets(line, sizeof line, stdin) != NULL) {
            size_t n = strlen(line);
            if (n == 0 || line[n - 1] != '\n') {
                fprintf(stderr, "call line too long or unterminated\n");
                return EXIT_USAGE;
            }
            line[n - 1] = '\0';
            run_call(line);
        }
        return 0;
    }
    for (int i = 2; i < argc; i++) run_call(argv[i]);
    return 0;
}
