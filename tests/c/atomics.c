/* C11 atomics built with `-matomics` (tests/src/lib.rs `atomics_wasm`): the compiler emits
 * the threads proposal's atomic read-modify-writes, compare-exchange, loads, stores and
 * fence on the (unshared) memory of a WASI command; its output is fixed by the arithmetic. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdint.h>

static _Atomic uint32_t counter;
static _Atomic uint64_t wide;
static _Atomic uint8_t small;

int main(void) {
    uint32_t expected = 0;
    for (int i = 0; i < 1000; i++) {
        atomic_fetch_add(&counter, 3);
        atomic_fetch_sub(&wide, 1);
        atomic_fetch_xor(&small, (uint8_t)i);
    }
    expected = atomic_load(&counter);
    int swapped = atomic_compare_exchange_strong(&counter, &expected, 42);
    uint32_t old = atomic_exchange(&counter, 7);
    atomic_thread_fence(memory_order_seq_cst);
    printf("counter=%u swapped=%d old=%u now=%u wide=%llu small=%u\n", expected, swapped, old,
           atomic_load(&counter), (unsigned long long)atomic_load(&wide), atomic_load(&small));
    return 0;
}
