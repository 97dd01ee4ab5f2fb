// Programs that trap, built with `-g` so the module carries DWARF (tests/tests/dwarf_backtrace.rs
// and tests/tests/cross.rs). The tests find the expected source lines by the `LINE:` markers,
// so the code can move freely.

#define EXPORT(name) __attribute__((export_name(#name), visibility("default")))

__attribute__((noinline)) int divide(int a, int b) {
    return a / b; // LINE:divide
}

__attribute__((noinline)) int load_at(const int *p) {
    return *p; // LINE:load
}

__attribute__((noinline)) void fail(void) {
    __builtin_trap(); // LINE:trap
}

EXPORT(run_divide) int run_divide(int a, int b) {
    int q = divide(a, b); // LINE:run_divide
    return q + 1;
}

EXPORT(run_load) int run_load(int address) {
    int v = load_at((const int *)(unsigned long)address); // LINE:run_load
    return v * 3;
}

EXPORT(run_trap) int run_trap(int x) {
    if (x > 0) {
        fail(); // LINE:run_trap
    }
    return x;
}
