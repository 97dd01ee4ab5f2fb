/*
 * CPU-bound kernels for Kiln's tests and benchmarks.
 *
 * Plain freestanding C: no libc, no imports. Built with
 *   python3 -m ziglang cc -target wasm32-freestanding -O2 -nostdlib \
 *       -Wl,--no-entry -Wl,--export-dynamic kernels.c -o kernels.wasm
 * Every exported function takes a size parameter (or nothing) and returns a checksum, so
 * two engines (or the interpreter and the compiler) can be compared by result.
 *
 * The file also compiles natively (define __attribute__(x) away and #include it from a
 * main() that prints the results); the expected values in tests/tests/c_kernels.rs come
 * from such a gcc -O2 build on x86_64.
 */

typedef unsigned char u8;
typedef unsigned int u32;
typedef int i32;
typedef unsigned long long u64;

#define EXPORT(name) __attribute__((export_name(#name), visibility("default")))

/* A statically allocated work area in linear memory. */
#define BUF_BYTES (64 * 1024)
static u8 buffer[BUF_BYTES];
#define SORT_MAX 16384
static i32 sort_array[SORT_MAX];

/* xorshift32: a deterministic generator for the inputs. */
static u32 rng_state;
static u32 next_rand(void) {
    u32 x = rng_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    rng_state = x;
    return x;
}

static void fill_buffer(u32 len, u32 seed) {
    rng_state = seed ? seed : 0x9e3779b9u;
    for (u32 i = 0; i < len; i++) buffer[i] = (u8)next_rand();
}

/* ---- CRC-32 (IEEE 802.3, reflected, bitwise) ---------------------------------------- */

static u32 crc32_update(u32 crc, const u8 *p, u32 len) {
    crc = ~crc;
    for (u32 i = 0; i < len; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

/* CRC-32 of `rounds` passes over a 16 KiB pseudo-random buffer. */
EXPORT(crc32_bench)
u32 crc32_bench(u32 rounds) {
    fill_buffer(16384, 12345);
    u32 crc = 0;
    for (u32 r = 0; r < rounds; r++) crc = crc32_update(crc, buffer, 16384);
    return crc;
}

/* CRC-32 of the ASCII string "123456789": the standard check value 0xCBF43926. */
EXPORT(crc32_check)
u32 crc32_check(void) {
    const char *s = "123456789";
    for (int i = 0; i < 9; i++) buffer[i] = (u8)s[i];
    return crc32_update(0, buffer, 9);
}

/* ---- SHA-256 compression ------------------------------------------------------------- */

static const u32 K256[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static u32 rotr(u32 x, u32 n) { return (x >> n) | (x << (32 - n)); }

static void sha256_block(u32 h[8], const u8 *block) {
    u32 w[64];
    for (int i = 0; i < 16; i++)
        w[i] = ((u32)block[4 * i] << 24) | ((u32)block[4 * i + 1] << 16) | ((u32)block[4 * i + 2] << 8) |
               (u32)block[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        u32 s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
        u32 s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    u32 a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int i = 0; i < 64; i++) {
        u32 S1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
        u32 ch = (e & f) ^ (~e & g);
        u32 t1 = hh + S1 + ch + K256[i] + w[i];
        u32 S0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
        u32 mj = (a & b) ^ (a & c) ^ (b & c);
        u32 t2 = S0 + mj;
        hh = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
}

/* SHA-256 of `len` bytes already in `buffer` (len + 72 <= BUF_BYTES); returns h[0] and
 * leaves the whole digest at the start of `digest`. */
static u32 digest[8];
static u32 sha256_buffer(u32 len) {
    u32 h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    u32 full = len / 64;
    for (u32 i = 0; i < full; i++) sha256_block(h, buffer + 64 * i);
    u8 tail[128];
    u32 rem = len - 64 * full;
    for (u32 i = 0; i < 128; i++) tail[i] = 0;
    for (u32 i = 0; i < rem; i++) tail[i] = buffer[64 * full + i];
    tail[rem] = 0x80;
    u32 tail_len = rem < 56 ? 64 : 128;
    u64 bits = (u64)len * 8;
    for (int i = 0; i < 8; i++) tail[tail_len - 1 - i] = (u8)(bits >> (8 * i));
    sha256_block(h, tail);
    if (tail_len == 128) sha256_block(h, tail + 64);
    for (int i = 0; i < 8; i++) digest[i] = h[i];
    return h[0];
}

/* SHA-256 of "abc": first word of the standard digest, 0xba7816bf. */
EXPORT(sha256_check)
u32 sha256_check(void) {
    buffer[0] = 'a'; buffer[1] = 'b'; buffer[2] = 'c';
    return sha256_buffer(3);
}

/* `rounds` chained SHA-256 digests of a 16 KiB pseudo-random buffer; returns an xor of
 * the digests' first words. */
EXPORT(sha256_bench)
u32 sha256_bench(u32 rounds) {
    fill_buffer(16384, 777);
    u32 acc = 0;
    for (u32 r = 0; r < rounds; r++) {
        acc ^= sha256_buffer(16384) + r;
        /* feed the digest back in so every round differs */
        for (int i = 0; i < 8; i++) ((u32 *)buffer)[i] ^= digest[i];
    }
    return acc;
}

/* ---- quicksort ----------------------------------------------------------------------- */

static void quicksort(i32 *a, i32 lo, i32 hi) {
    while (lo < hi) {
        i32 pivot = a[lo + (hi - lo) / 2];
        i32 i = lo, j = hi;
        while (i <= j) {
            while (a[i] < pivot) i++;
            while (a[j] > pivot) j--;
            if (i <= j) {
                i32 t = a[i]; a[i] = a[j]; a[j] = t;
                i++; j--;
            }
        }
        /* recurse into the smaller half, loop over the larger: bounded depth */
        if (j - lo < hi - i) {
            quicksort(a, lo, j);
            lo = i;
        } else {
            quicksort(a, i, hi);
            hi = j;
        }
    }
}

/* Sorts `n` (capped at 16384) pseudo-random ints; returns 0xFFFFFFFF if the result is not
 * sorted, else a position-weighted checksum. */
EXPORT(quicksort_bench)
u32 quicksort_bench(u32 n) {
    if (n > SORT_MAX) n = SORT_MAX;
    rng_state = 424242;
    for (u32 i = 0; i < n; i++) sort_array[i] = (i32)(next_rand() % 1000000u) - 500000;
    if (n > 0) quicksort(sort_array, 0, (i32)n - 1);
    u32 sum = 0;
    for (u32 i = 0; i < n; i++) {
        if (i > 0 && sort_array[i - 1] > sort_array[i]) return 0xFFFFFFFFu;
        sum = sum * 31u + (u32)sort_array[i];
    }
    return sum;
}

/* ---- mandelbrot (f64) ---------------------------------------------------------------- */

/* Iteration counts over a `size` x `size` grid of [-2, 0.5] x [-1.25, 1.25], at most 255
 * iterations per point; returns the sum of the counts. */
EXPORT(mandelbrot)
u32 mandelbrot(u32 size) {
    u32 total = 0;
    if (size == 0) return 0;
    for (u32 y = 0; y < size; y++) {
        double ci = -1.25 + 2.5 * (double)y / (double)size;
        for (u32 x = 0; x < size; x++) {
            double cr = -2.0 + 2.5 * (double)x / (double)size;
            double zr = 0.0, zi = 0.0;
            u32 it = 0;
            while (it < 255 && zr * zr + zi * zi <= 4.0) {
                double t = zr * zr - zi * zi + cr;
                zi = 2.0 * zr * zi + ci;
                zr = t;
                it++;
            }
            total += it;
        }
    }
    return total;
}

/* ---- n-body (f64) -------------------------------------------------------------------- */

#define NBODIES 5
static double px[NBODIES], py[NBODIES], pz[NBODIES], vx[NBODIES], vy[NBODIES], vz[NBODIES], mass[NBODIES];

/* Square root without libm: the builtin lowers to wasm's f64.sqrt instruction. */
static double nb_sqrt(double x) {
    if (x <= 0.0) return 0.0;
    return __builtin_sqrt(x);
}

/* Simulates `steps` steps of five bodies under gravity; returns the final energy scaled
 * by 1e9 and truncated, as a checksum. */
EXPORT(nbody)
u32 nbody(u32 steps) {
    const double pi = 3.141592653589793, solar = 4.0 * pi * pi, dpy = 365.24;
    double init[NBODIES][7] = {
        {0, 0, 0, 0, 0, 0, solar},
        {4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
         1.66007664274403694e-03 * dpy, 7.69901118419740425e-03 * dpy, -6.90460016972063023e-05 * dpy,
         9.54791938424326609e-04 * solar},
        {8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
         -2.76742510726862411e-03 * dpy, 4.99852801234917238e-03 * dpy, 2.30417297573763929e-05 * dpy,
         2.85885980666130812e-04 * solar},
        {1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
         2.96460137564761618e-03 * dpy, 2.37847173959480950e-03 * dpy, -2.96589568540237556e-05 * dpy,
         4.36624404335156298e-05 * solar},
        {1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
         2.68067772490389322e-03 * dpy, 1.62824170038242295e-03 * dpy, -9.51592254519715870e-05 * dpy,
         5.15138902046611451e-05 * solar},
    };
    for (int i = 0; i < NBODIES; i++) {
        px[i] = init[i][0]; py[i] = init[i][1]; pz[i] = init[i][2];
        vx[i] = init[i][3]; vy[i] = init[i][4]; vz[i] = init[i][5]; mass[i] = init[i][6];
    }
    /* offset the sun's momentum so the system's total momentum is zero */
    double mx = 0.0, my = 0.0, mz = 0.0;
    for (int i = 0; i < NBODIES; i++) {
        mx += vx[i] * mass[i]; my += vy[i] * mass[i]; mz += vz[i] * mass[i];
    }
    vx[0] = -mx / solar; vy[0] = -my / solar; vz[0] = -mz / solar;
    const double dt = 0.01;
    for (u32 s = 0; s < steps; s++) {
        for (int i = 0; i < NBODIES; i++) {
            for (int j = i + 1; j < NBODIES; j++) {
                double dx = px[i] - px[j], dy = py[i] - py[j], dz = pz[i] - pz[j];
                double d2 = dx * dx + dy * dy + dz * dz;
                double dist = nb_sqrt(d2);
                double mag = dt / (d2 * dist);
                vx[i] -= dx * mass[j] * mag; vy[i] -= dy * mass[j] * mag; vz[i] -= dz * mass[j] * mag;
                vx[j] += dx * mass[i] * mag; vy[j] += dy * mass[i] * mag; vz[j] += dz * mass[i] * mag;
            }
        }
        for (int i = 0; i < NBODIES; i++) {
            px[i] += dt * vx[i]; py[i] += dt * vy[i]; pz[i] += dt * vz[i];
        }
    }
    double e = 0.0;
    for (int i = 0; i < NBODIES; i++) {
        e += 0.5 * mass[i] * (vx[i] * vx[i] + vy[i] * vy[i] + vz[i] * vz[i]);
        for (int j = i + 1; j < NBODIES; j++) {
            double dx = px[i] - px[j], dy = py[i] - py[j], dz = pz[i] - pz[j];
            e -= mass[i] * mass[j] / nb_sqrt(dx * dx + dy * dy + dz * dz);
        }
    }
    return (u32)(i32)(e * 1e9);
}

/* ---- small entry points for smoke tests ---------------------------------------------- */

/* Sum of 1..n as u32 (wrapping). */
EXPORT(sum_to)
u32 sum_to(u32 n) {
    u32 s = 0;
    for (u32 i = 1; i <= n; i++) s += i;
    return s;
}
