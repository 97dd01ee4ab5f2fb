/* Exit codes: `exit.wasm MODE CODE`: MODE "exit" calls exit(CODE), "return" returns it
 * from main, "raw" calls proc_exit directly; output before exiting is kept. */
#include "common.h"

/* wasi-libc no longer declares proc_raise; import it directly. */
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_raise"))) int32_t
raw_proc_raise(int32_t sig);

int main(int argc, char **argv) {
    if (argc < 3) return 2;
    int code = atoi(argv[2]);
    printf("exiting with %d via %s\n", code, argv[1]);
    if (!strcmp(argv[1], "exit")) exit(code);
    if (!strcmp(argv[1], "raw")) {
        fflush(stdout);
        __wasi_proc_exit(code);
    }
    if (!strcmp(argv[1], "raise")) {
        printf("proc_raise: %s\n", errname(raw_proc_raise(15 /* SIGTERM */)));
        printf("sched_yield: %s\n", errname(__wasi_sched_yield()));
    }
    return code;
}
