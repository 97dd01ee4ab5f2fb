// SIMD kernels written with wasm_simd128.h intrinsics, built as a WASI command:
//
//   python3 -m ziglang cc -target wasm32-wasi -O3 -msimd128 simd_kernels.c -o simd_kernels.wasm
//
// Each kernel runs on generated data, is checked against a scalar version of itself, and
// prints a line of results (checksums, the float results' bits) that must be the same on
// every engine: a dot product (f32, and i16 with i32x4.dot_i16x8_s), a 3x3 image
// convolution (u8 pixels widened to i16, narrowed back with saturation), base64 encoding
// and decoding (swizzles, shifts, lane-wise range tests), UTF-8 validation (an all-ASCII
// fast path per 16 bytes), a byte histogram (lane compares counted with subtractions and
// pairwise widening adds) and a byte reversal with i8x16.shuffle. `argv[1]` repeats the
// whole set that many times (default 1, for benchmarks); only the last round prints, so
// the output is the same for any count.
//
// Built with -DSIMD_KERNELS_BENCH (and -mexec-model=reactor) it is a library for the
// benchmarks instead: no main, nothing printed, and one export per kernel,
// `bench_<kernel>(rounds) -> i32`, running the kernel `rounds` times and returning how many
// rounds agreed with the scalar version plus a checksum of the generator state, so engines
// can be compared on each kernel with no WASI imports.

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasm_simd128.h>

#ifdef SIMD_KERNELS_BENCH
#define printf(...) ((void)0)
#endif

static uint32_t rng_state = 0x2545f491u;

// Whether the kernels print their results (the last round only).
static int report = 1;

static uint32_t rng(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

static uint32_t fnv1a(uint32_t h, const uint8_t *p, size_t n) {
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 16777619u;
    }
    return h;
}

static uint32_t float_bits(float f) {
    uint32_t u;
    memcpy(&u, &f, 4);
    return u;
}

// ---- dot products --------------------------------------------------------------------

static float dot_f32_simd(const float *a, const float *b, size_t n) {
    v128_t acc0 = wasm_f32x4_splat(0.0f), acc1 = wasm_f32x4_splat(0.0f);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        acc0 = wasm_f32x4_add(acc0, wasm_f32x4_mul(wasm_v128_load(a + i), wasm_v128_load(b + i)));
        acc1 = wasm_f32x4_add(acc1,
                              wasm_f32x4_mul(wasm_v128_load(a + i + 4), wasm_v128_load(b + i + 4)));
    }
    v128_t acc = wasm_f32x4_add(acc0, acc1);
    float s = (wasm_f32x4_extract_lane(acc, 0) + wasm_f32x4_extract_lane(acc, 1)) +
              (wasm_f32x4_extract_lane(acc, 2) + wasm_f32x4_extract_lane(acc, 3));
    for (; i < n; i++) s += a[i] * b[i];
    return s;
}

// The same association order as dot_f32_simd, so the results are bit-identical.
static float dot_f32_scalar(const float *a, const float *b, size_t n) {
    float acc[8] = {0};
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (int k = 0; k < 8; k++) acc[k] = acc[k] + a[i + k] * b[i + k];
    float l[4];
    for (int k = 0; k < 4; k++) l[k] = acc[k] + acc[k + 4];
    float s = (l[0] + l[1]) + (l[2] + l[3]);
    for (; i < n; i++) s += a[i] * b[i];
    return s;
}

static int32_t dot_i16_simd(const int16_t *a, const int16_t *b, size_t n) {
    v128_t acc = wasm_i32x4_splat(0);
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        acc = wasm_i32x4_add(acc, wasm_i32x4_dot_i16x8(wasm_v128_load(a + i), wasm_v128_load(b + i)));
    int32_t s = wasm_i32x4_extract_lane(acc, 0) + wasm_i32x4_extract_lane(acc, 1) +
                wasm_i32x4_extract_lane(acc, 2) + wasm_i32x4_extract_lane(acc, 3);
    for (; i < n; i++) s += a[i] * b[i];
    return s;
}

static int32_t dot_i16_scalar(const int16_t *a, const int16_t *b, size_t n) {
    int32_t s = 0;
    for (size_t i = 0; i < n; i++) s += a[i] * b[i];
    return s;
}

static int kernel_dot(void) {
    enum { N = 4099 };
    static float fa[N], fb[N];
    static int16_t ia[N], ib[N];
    for (int i = 0; i < N; i++) {
        fa[i] = (float)((int)(rng() % 2001) - 1000) / 256.0f;
        fb[i] = (float)((int)(rng() % 2001) - 1000) / 512.0f;
        ia[i] = (int16_t)(rng() % 4001) - 2000;
        ib[i] = (int16_t)(rng() % 4001) - 2000;
    }
    float fs = dot_f32_simd(fa, fb, N);
    int32_t is = dot_i16_simd(ia, ib, N);
    int ok = float_bits(fs) == float_bits(dot_f32_scalar(fa, fb, N)) &&
             is == dot_i16_scalar(ia, ib, N);
    if (report) printf("dot: f32 %.4f (%08x) i16 %d %s\n", (double)fs, (unsigned)float_bits(fs), (int)is,
           ok ? "ok" : "MISMATCH");
    return ok;
}

// ---- 3x3 convolution -----------------------------------------------------------------

enum { W = 131, H = 67 };

// out = clamp((sum of k[dy][dx] * in) >> 4, 0, 255) on the interior; the border is copied.
static const int16_t K[3][3] = {{1, 2, 1}, {2, 4, 2}, {1, 2, 1}};
static const int16_t SHARP[3][3] = {{0, -4, 0}, {-4, 32, -4}, {0, -4, 0}};

static void conv_scalar(const uint8_t *in, uint8_t *out, const int16_t k[3][3]) {
    memcpy(out, in, W * H);
    for (int y = 1; y < H - 1; y++)
        for (int x = 1; x < W - 1; x++) {
            int s = 0;
            for (int dy = -1; dy <= 1; dy++)
                for (int dx = -1; dx <= 1; dx++)
                    s += k[dy + 1][dx + 1] * in[(y + dy) * W + x + dx];
            s >>= 4;
            out[y * W + x] = (uint8_t)(s < 0 ? 0 : s > 255 ? 255 : s);
        }
}

static void conv_simd(const uint8_t *in, uint8_t *out, const int16_t k[3][3]) {
    memcpy(out, in, W * H);
    for (int y = 1; y < H - 1; y++) {
        int x = 1;
        for (; x + 16 <= W - 1; x += 16) {
            v128_t lo = wasm_i16x8_splat(0), hi = wasm_i16x8_splat(0);
            for (int dy = -1; dy <= 1; dy++)
                for (int dx = -1; dx <= 1; dx++) {
                    v128_t p = wasm_v128_load(in + (y + dy) * W + x + dx);
                    v128_t w = wasm_i16x8_splat(k[dy + 1][dx + 1]);
                    lo = wasm_i16x8_add(lo, wasm_i16x8_mul(wasm_u16x8_extend_low_u8x16(p), w));
                    hi = wasm_i16x8_add(hi, wasm_i16x8_mul(wasm_u16x8_extend_high_u8x16(p), w));
                }
            lo = wasm_i16x8_shr(lo, 4);
            hi = wasm_i16x8_shr(hi, 4);
            wasm_v128_store(out + y * W + x, wasm_u8x16_narrow_i16x8(lo, hi));
        }
        for (; x < W - 1; x++) {
            int s = 0;
            for (int dy = -1; dy <= 1; dy++)
                for (int dx = -1; dx <= 1; dx++)
                    s += k[dy + 1][dx + 1] * in[(y + dy) * W + x + dx];
            s >>= 4;
            out[y * W + x] = (uint8_t)(s < 0 ? 0 : s > 255 ? 255 : s);
        }
    }
}

static int kernel_convolution(void) {
    static uint8_t img[W * H], a[W * H], b[W * H];
    for (int i = 0; i < W * H; i++) img[i] = (uint8_t)(rng() >> 24);
    int ok = 1;
    uint32_t h = 2166136261u;
    const int16_t(*kernels[2])[3] = {K, SHARP};
    for (int n = 0; n < 2; n++) {
        conv_simd(img, a, kernels[n]);
        conv_scalar(img, b, kernels[n]);
        ok &= memcmp(a, b, sizeof a) == 0;
        h = fnv1a(h, a, sizeof a);
    }
    if (report) printf("convolution: %dx%d fnv %08x %s\n", W, H, (unsigned)h, ok ? "ok" : "MISMATCH");
    return ok;
}

// ---- base64 --------------------------------------------------------------------------

static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static size_t b64_encode_scalar(const uint8_t *in, size_t n, char *out) {
    size_t o = 0, i = 0;
    for (; i + 3 <= n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
        out[o++] = B64[v >> 18];
        out[o++] = B64[(v >> 12) & 63];
        out[o++] = B64[(v >> 6) & 63];
        out[o++] = B64[v & 63];
    }
    if (n - i == 1) {
        uint32_t v = (uint32_t)in[i] << 16;
        out[o++] = B64[v >> 18];
        out[o++] = B64[(v >> 12) & 63];
        out[o++] = '=';
        out[o++] = '=';
    } else if (n - i == 2) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
        out[o++] = B64[v >> 18];
        out[o++] = B64[(v >> 12) & 63];
        out[o++] = B64[(v >> 6) & 63];
        out[o++] = '=';
    }
    return o;
}

// 12 input bytes to 16 characters per step; the tail goes through the scalar encoder.
// `in` must be readable 4 bytes past each 12-byte group (the caller pads its buffers).
static size_t b64_encode_simd(const uint8_t *in, size_t n, char *out) {
    const v128_t gather = wasm_i8x16_make(2, 1, 0, -128, 5, 4, 3, -128, 8, 7, 6, -128, 11, 10, 9, -128);
    const v128_t m63 = wasm_i32x4_splat(63);
    size_t i = 0, o = 0;
    for (; i + 12 <= n; i += 12, o += 16) {
        v128_t v = wasm_i8x16_swizzle(wasm_v128_load(in + i), gather);
        v128_t idx = wasm_v128_or(
            wasm_v128_or(wasm_v128_and(wasm_u32x4_shr(v, 18), m63),
                         wasm_i32x4_shl(wasm_v128_and(wasm_u32x4_shr(v, 12), m63), 8)),
            wasm_v128_or(wasm_i32x4_shl(wasm_v128_and(wasm_u32x4_shr(v, 6), m63), 16),
                         wasm_i32x4_shl(wasm_v128_and(v, m63), 24)));
        v128_t off = wasm_i8x16_splat('A');
        off = wasm_v128_bitselect(wasm_i8x16_splat('a' - 26), off, wasm_i8x16_gt(idx, wasm_i8x16_splat(25)));
        off = wasm_v128_bitselect(wasm_i8x16_splat('0' - 52), off, wasm_i8x16_gt(idx, wasm_i8x16_splat(51)));
        off = wasm_v128_bitselect(wasm_i8x16_splat('+' - 62), off, wasm_i8x16_eq(idx, wasm_i8x16_splat(62)));
        off = wasm_v128_bitselect(wasm_i8x16_splat('/' - 63), off, wasm_i8x16_eq(idx, wasm_i8x16_splat(63)));
        wasm_v128_store(out + o, wasm_i8x16_add(idx, off));
    }
    return o + b64_encode_scalar(in + i, n - i, out + o);
}

static int b64_value(int c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

// Decodes `n` characters (a multiple of 4, padding allowed at the end); -1 when invalid.
static long b64_decode_scalar(const char *in, size_t n, uint8_t *out) {
    size_t o = 0;
    for (size_t i = 0; i < n; i += 4) {
        int pad = (in[i + 3] == '=') + (in[i + 2] == '=');
        if (pad && i + 4 != n) return -1;
        int a = b64_value(in[i]), b = b64_value(in[i + 1]);
        int c = pad >= 2 ? 0 : b64_value(in[i + 2]), d = pad >= 1 ? 0 : b64_value(in[i + 3]);
        if (a < 0 || b < 0 || c < 0 || d < 0) return -1;
        uint32_t v = (uint32_t)a << 18 | (uint32_t)b << 12 | (uint32_t)c << 6 | (uint32_t)d;
        out[o++] = (uint8_t)(v >> 16);
        if (pad < 2) out[o++] = (uint8_t)(v >> 8);
        if (pad < 1) out[o++] = (uint8_t)v;
    }
    return (long)o;
}

// 16 characters to 12 bytes per step while no padding is near; `out` must have 4 bytes of
// room past the decoded length.
static long b64_decode_simd(const char *in, size_t n, uint8_t *out) {
    const v128_t scatter = wasm_i8x16_make(2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -128, -128, -128, -128);
    size_t i = 0, o = 0;
    for (; i + 16 < n; i += 16, o += 12) {
        v128_t c = wasm_v128_load(in + i);
        v128_t upper = wasm_v128_and(wasm_u8x16_ge(c, wasm_u8x16_splat('A')), wasm_u8x16_le(c, wasm_u8x16_splat('Z')));
        v128_t lower = wasm_v128_and(wasm_u8x16_ge(c, wasm_u8x16_splat('a')), wasm_u8x16_le(c, wasm_u8x16_splat('z')));
        v128_t digit = wasm_v128_and(wasm_u8x16_ge(c, wasm_u8x16_splat('0')), wasm_u8x16_le(c, wasm_u8x16_splat('9')));
        v128_t plus = wasm_i8x16_eq(c, wasm_i8x16_splat('+'));
        v128_t slash = wasm_i8x16_eq(c, wasm_i8x16_splat('/'));
        v128_t valid = wasm_v128_or(wasm_v128_or(upper, lower), wasm_v128_or(digit, wasm_v128_or(plus, slash)));
        if (!wasm_i8x16_all_true(valid)) return -1;
        v128_t off = wasm_v128_and(upper, wasm_i8x16_splat(-'A'));
        off = wasm_v128_or(off, wasm_v128_and(lower, wasm_i8x16_splat(26 - 'a')));
        off = wasm_v128_or(off, wasm_v128_and(digit, wasm_i8x16_splat(52 - '0')));
        off = wasm_v128_or(off, wasm_v128_and(plus, wasm_i8x16_splat(62 - '+')));
        off = wasm_v128_or(off, wasm_v128_and(slash, wasm_i8x16_splat(63 - '/')));
        v128_t v = wasm_i8x16_add(c, off);
        v128_t m = wasm_i32x4_splat(0xff);
        v128_t w = wasm_v128_or(
            wasm_v128_or(wasm_i32x4_shl(wasm_v128_and(v, m), 18),
                         wasm_i32x4_shl(wasm_v128_and(wasm_u32x4_shr(v, 8), m), 12)),
            wasm_v128_or(wasm_i32x4_shl(wasm_v128_and(wasm_u32x4_shr(v, 16), m), 6),
                         wasm_u32x4_shr(v, 24)));
        wasm_v128_store(out + o, wasm_i8x16_swizzle(w, scatter));
    }
    long rest = b64_decode_scalar(in + i, n - i, out + o);
    return rest < 0 ? -1 : (long)o + rest;
}

static int kernel_base64(void) {
    enum { N = 3001 };
    static uint8_t data[N + 16], back[N + 32];
    static char text[N * 2 + 32], ref[N * 2 + 32];
    int ok = 1;
    uint32_t h = 2166136261u;
    for (size_t n = N - 40; n <= N; n++) {
        for (size_t i = 0; i < n; i++) data[i] = (uint8_t)(rng() >> 16);
        size_t len = b64_encode_simd(data, n, text);
        ok &= len == b64_encode_scalar(data, n, ref) && memcmp(text, ref, len) == 0;
        long dec = b64_decode_simd(text, len, back);
        ok &= dec == (long)n && memcmp(back, data, n) == 0;
        h = fnv1a(h, (const uint8_t *)text, len);
    }
    text[100] = '*';
    ok &= b64_decode_simd(text, 4 * (N / 3), back) == -1;
    if (report) printf("base64: fnv %08x %s\n", (unsigned)h, ok ? "ok" : "MISMATCH");
    return ok;
}

// ---- UTF-8 validation ----------------------------------------------------------------

// The length of the well-formed UTF-8 sequence at `p` (at most `n` bytes), or 0.
static size_t utf8_char(const uint8_t *p, size_t n) {
    uint8_t c = p[0];
    if (c < 0x80) return 1;
    size_t len;
    uint32_t cp, min;
    if ((c & 0xe0) == 0xc0) len = 2, cp = c & 0x1f, min = 0x80;
    else if ((c & 0xf0) == 0xe0) len = 3, cp = c & 0x0f, min = 0x800;
    else if ((c & 0xf8) == 0xf0) len = 4, cp = c & 0x07, min = 0x10000;
    else return 0;
    if (len > n) return 0;
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xc0) != 0x80) return 0;
        cp = cp << 6 | (p[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
    return len;
}

static int utf8_valid_scalar(const uint8_t *p, size_t n) {
    for (size_t i = 0; i < n;) {
        size_t l = utf8_char(p + i, n - i);
        if (!l) return 0;
        i += l;
    }
    return 1;
}

// 16 ASCII bytes at a time (no byte with its top bit set); anything else one character.
static int utf8_valid_simd(const uint8_t *p, size_t n) {
    size_t i = 0;
    while (i < n) {
        if (i + 16 <= n && wasm_i8x16_bitmask(wasm_v128_load(p + i)) == 0) {
            i += 16;
            continue;
        }
        size_t l = utf8_char(p + i, n - i);
        if (!l) return 0;
        i += l;
    }
    return 1;
}

static int kernel_utf8(void) {
    static const char *pieces[] = {"plain ascii text, ", "caf\xc3\xa9 ", "\xe2\x82\xac", "\xf0\x9f\x98\x80",
                                   "\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5 ", "0123456789abcdef"};
    static const char *bad[] = {"\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe2\x82", "\x80", "\xff"};
    enum { N = 8192 };
    static uint8_t buf[N + 8];
    size_t n = 0;
    while (n < N - 32) {
        const char *s = pieces[rng() % 6];
        size_t l = strlen(s);
        memcpy(buf + n, s, l);
        n += l;
    }
    int ok = 1, valid = 0, invalid = 0;
    for (int t = 0; t < 64; t++) {
        size_t len = n - (size_t)t * 97;
        uint8_t saved[4];
        size_t at = 0, bl = 0;
        if (t % 2) {
            const char *b = bad[t / 2 % 6];
            bl = strlen(b);
            at = (size_t)rng() % (len - bl);
            memcpy(saved, buf + at, bl);
            memcpy(buf + at, b, bl);
        }
        int s = utf8_valid_simd(buf, len);
        ok &= s == utf8_valid_scalar(buf, len);
        if (s) valid++; else invalid++;
        if (t % 2) memcpy(buf + at, saved, bl);
    }
    if (report) printf("utf8: %d valid %d invalid %s\n", valid, invalid, ok ? "ok" : "MISMATCH");
    return ok;
}

// ---- byte histogram ------------------------------------------------------------------

// For each byte value, count its occurrences: lane compares subtracted from a per-lane
// 8-bit counter (a match is -1), flushed to 32-bit counters before they can overflow.
static void histogram_simd(const uint8_t *p, size_t n, uint32_t counts[256]) {
    for (int v = 0; v < 256; v++) {
        v128_t needle = wasm_u8x16_splat((uint8_t)v);
        v128_t total = wasm_i32x4_splat(0);
        size_t i = 0;
        while (i + 16 <= n) {
            v128_t acc = wasm_i8x16_splat(0);
            for (int k = 0; k < 255 && i + 16 <= n; k++, i += 16)
                acc = wasm_i8x16_sub(acc, wasm_i8x16_eq(wasm_v128_load(p + i), needle));
            total = wasm_i32x4_add(total, wasm_u32x4_extadd_pairwise_u16x8(wasm_u16x8_extadd_pairwise_u8x16(acc)));
        }
        uint32_t c = wasm_u32x4_extract_lane(total, 0) + wasm_u32x4_extract_lane(total, 1) +
                     wasm_u32x4_extract_lane(total, 2) + wasm_u32x4_extract_lane(total, 3);
        for (; i < n; i++) c += p[i] == v;
        counts[v] = c;
    }
}

static int kernel_histogram(void) {
    enum { N = 20011 };
    static uint8_t data[N];
    for (int i = 0; i < N; i++) {
        uint32_t r = rng();
        data[i] = (uint8_t)((r >> 8) % (1 + (r & 255)));  // skewed toward small values
    }
    uint32_t a[256], b[256] = {0};
    histogram_simd(data, N, a);
    for (int i = 0; i < N; i++) b[data[i]]++;
    int ok = memcmp(a, b, sizeof a) == 0;
    if (report) printf("histogram: [0]=%u [1]=%u [255]=%u fnv %08x %s\n", (unsigned)a[0], (unsigned)a[1],
           (unsigned)a[255], (unsigned)fnv1a(2166136261u, (const uint8_t *)a, sizeof a),
           ok ? "ok" : "MISMATCH");
    return ok;
}

// ---- byte reversal with a shuffle ----------------------------------------------------

static int kernel_reverse(void) {
    enum { N = 4096 };
    static uint8_t data[N], out[N];
    for (int i = 0; i < N; i++) data[i] = (uint8_t)rng();
    for (int i = 0; i < N; i += 16) {
        v128_t v = wasm_v128_load(data + i);
        v = wasm_i8x16_shuffle(v, v, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
        wasm_v128_store(out + N - 16 - i, v);
    }
    int ok = 1;
    for (int i = 0; i < N; i++) ok &= out[i] == data[N - 1 - i];
    if (report) printf("reverse: fnv %08x %s\n", (unsigned)fnv1a(2166136261u, out, N), ok ? "ok" : "MISMATCH");
    return ok;
}

#ifdef SIMD_KERNELS_BENCH
#define BENCH(name)                                                        \
    __attribute__((export_name("bench_" #name))) int bench_##name(int rounds) { \
        int ok = 0;                                                        \
        rng_state = 0x2545f491u;                                           \
        report = 0;                                                        \
        for (int r = 0; r < rounds; r++) ok += kernel_##name();            \
        return ok + (int)(rng_state & 0xffff) * 1000;                      \
    }
BENCH(dot)
BENCH(convolution)
BENCH(base64)
BENCH(utf8)
BENCH(histogram)
BENCH(reverse)
#else
int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 1;
    int ok = 1;
    for (int r = 0; r < rounds; r++) {
        rng_state = 0x2545f491u;
        report = r + 1 == rounds;
        ok &= kernel_dot();
        ok &= kernel_convolution();
        ok &= kernel_base64();
        ok &= kernel_utf8();
        ok &= kernel_histogram();
        ok &= kernel_reverse();
    }
    printf("%s\n", ok ? "all kernels ok" : "SOME KERNELS FAILED");
    return ok ? 0 : 1;
}
#endif
