/* Clocks and random_get under the default sandbox: fake clocks (2022-01-01, +1 ms per
 * read) and the deterministic random sequence. */
#include "common.h"
#include <time.h>

int main(void) {
    const char *names[] = {"realtime", "monotonic", "process_cputime", "thread_cputime"};
    for (int id = 0; id < 4; id++) {
        __wasi_timestamp_t res, t1, t2;
        WASI(names[id], __wasi_clock_res_get(id, &res));
        /* The CPU-time clocks are not provided (EBADF, as in wasmtime). */
        if (id >= 2) {
            WASI("  time", __wasi_clock_time_get(id, 1, &t1));
            continue;
        }
        if (__wasi_clock_time_get(id, 1, &t1) || __wasi_clock_time_get(id, 1, &t2)) return 1;
        printf("  resolution %llu ns, first read %llu, advances %llu ns per read\n", (unsigned long long)res,
               (unsigned long long)t1, (unsigned long long)(t2 - t1));
    }
    __wasi_timestamp_t t;
    WASI("unknown clock res", __wasi_clock_res_get(4, &t));
    WASI("unknown clock time", __wasi_clock_time_get(77, 0, &t));
    WASI("time to bad pointer", __wasi_clock_time_get(0, 0, (void *)0xfffffffc));
    time_t now = time(NULL);
    struct tm *tm = gmtime(&now);
    char buf[64];
    strftime(buf, sizeof buf, "%Y-%m-%d", tm);
    printf("today: %s\n", buf);

    unsigned char r[16];
    WASI("random_get", __wasi_random_get(r, sizeof r));
    printf("bytes:");
    for (int i = 0; i < 16; i++) printf(" %02x", r[i]);
    printf("\n");
    WASI("random_get 0 bytes", __wasi_random_get(r, 0));
    WASI("random_get out of memory", __wasi_random_get((void *)0xfffffff0, 64));
    unsigned char big[100000];
    WASI("random_get 100000", __wasi_random_get(big, sizeof big));
    int counts[256] = {0};
    for (size_t i = 0; i < sizeof big; i++) counts[big[i]]++;
    int min = 1 << 30, max = 0;
    for (int i = 0; i < 256; i++) {
        if (counts[i] < min) min = counts[i];
        if (counts[i] > max) max = counts[i];
    }
    printf("every byte value between 250 and 550 times: %d\n", min > 250 && max < 550);
    return 0;
}
