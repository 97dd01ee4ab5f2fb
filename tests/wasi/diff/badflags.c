/* Arguments outside the values witx defines (unknown flag bits, whence, advice, clock
 * ids, rights), and a result pointer that is not aligned to its type. Each run makes one
 * call, chosen by argv[1], because wasmtime stops the guest (a trap) on such values where
 * Kiln answers EINVAL (or, for the pointer, writes the result). Run 10 exits with status
 * 200, which wasmtime refuses (a trap: it allows 0 to 125). */
#include "diff.h"
#include <stdlib.h>

int main(int argc, char **argv) {
    int which = argc > 1 ? atoi(argv[1]) : 0;
    __wasi_fd_t fd = 0;
    __wasi_filesize_t pos = 0;
    __wasi_timestamp_t t = 0;
    switch (which) {
    case 0: E("unknown oflags", __wasi_path_open(SANDBOX, 0, "file.txt", 0x10, 0, 0, 0, &fd)); break;
    case 1: E("unknown fdflags", __wasi_path_open(SANDBOX, 0, "file.txt", 0, 0, 0, 0x20, &fd)); break;
    case 2: E("unknown rights", __wasi_path_open(SANDBOX, 0, "file.txt", 0, 1ull << 40, 0, 0, &fd)); break;
    case 3: E("unknown lookupflags", __wasi_path_open(SANDBOX, 2, "file.txt", 0, 0, 0, 0, &fd)); break;
    case 4: E("unknown whence", __wasi_fd_seek(SANDBOX + 0, 0, 3, &pos)); break;
    case 5: E("unknown advice", __wasi_fd_advise(SANDBOX, 0, 0, 6)); break;
    case 6: E("unknown clock", __wasi_clock_time_get(4, 1, &t)); break;
    case 7: E("unknown fstflags", __wasi_fd_filestat_set_times(SANDBOX, 0, 0, 0x10)); break;
    case 8: E("unknown fdstat flags", __wasi_fd_fdstat_set_flags(1, 0x20)); break;
    case 9: {
        static _Alignas(8) uint8_t buf[32];
        E("misaligned out-pointer", __wasi_fd_fdstat_get(SANDBOX, (__wasi_fdstat_t *)(buf + 4)));
        break;
    }
    case 10: __wasi_proc_exit(200); break;
    default: return 1;
    }
    return 0;
}
