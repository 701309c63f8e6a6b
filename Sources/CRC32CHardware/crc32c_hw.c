#include "crc32c_hw.h"
#include <string.h>

#if defined(__x86_64__)
#include <nmmintrin.h>

/* The crc32 instruction takes 3 cycles but a new one can start every cycle, so one stream
 * of data uses a third of it. Three streams of `len` bytes each are summed at once and then
 * joined: the CRC register is linear, so running stream A's value through `len` zero bytes
 * (a multiplication by x^(8 len) modulo the polynomial) and adding stream B's value gives
 * the value of A followed by B. The method and the GF(2) arithmetic are those of Mark
 * Adler's crc32c.c and zlib's crc32_combine. */

#define POLY 0x82f63b78u

/* a * b modulo the polynomial, both in the reflected representation (x^0 is bit 31). */
static uint32_t multmodp(uint32_t a, uint32_t b) {
    uint32_t m = (uint32_t)1 << 31, p = 0;
    for (;;) {
        if (a & m) {
            p ^= b;
            if ((a & (m - 1)) == 0) break;
        }
        m >>= 1;
        b = (b & 1) ? (b >> 1) ^ POLY : b >> 1;
    }
    return p;
}

/* Stream lengths, longest first, and for each x^(8 len) modulo the polynomial: the factor
 * that moves a CRC past len zero bytes. Constants, so no thread computes them while another
 * reads them; the tests check them against the table-driven CRC at every stream length. */
#define LEVELS 3
static const size_t stream_bytes[LEVELS] = { 8192, 1024, 128 };
static const uint32_t stream_factor[LEVELS] = { 0x28461564u, 0xe4172b16u, 0xb8fdb1e7u };

__attribute__((target("sse4.2")))
static uint32_t crc32c_sse42(uint32_t crc, const unsigned char *p, size_t n) {
    uint64_t c = crc;
    for (int level = 0; level < LEVELS; level++) {
        const size_t len = stream_bytes[level];
        while (n >= 3 * len) {
            uint64_t c1 = 0, c2 = 0;
            for (size_t i = 0; i < len; i += 8) {
                uint64_t v0, v1, v2;
                memcpy(&v0, p + i, 8);
                memcpy(&v1, p + len + i, 8);
                memcpy(&v2, p + 2 * len + i, 8);
                c = _mm_crc32_u64(c, v0);
                c1 = _mm_crc32_u64(c1, v1);
                c2 = _mm_crc32_u64(c2, v2);
            }
            uint32_t joined = multmodp(stream_factor[level], (uint32_t)c) ^ (uint32_t)c1;
            c = multmodp(stream_factor[level], joined) ^ (uint32_t)c2;
            p += 3 * len;
            n -= 3 * len;
        }
    }
    while (n >= 8) {
        uint64_t v;
        memcpy(&v, p, 8);
        c = _mm_crc32_u64(c, v);
        p += 8;
        n -= 8;
    }
    uint32_t c32 = (uint32_t)c;
    while (n > 0) {
        c32 = _mm_crc32_u8(c32, *p++);
        n--;
    }
    return c32;
}

uint32_t virtlab_crc32c_update(uint32_t crc, const void *data, size_t n, int *handled) {
    static int has_sse42 = -1;
    if (has_sse42 < 0) {
        __builtin_cpu_init();
        has_sse42 = __builtin_cpu_supports("sse4.2") ? 1 : 0;
    }
    if (!has_sse42) { *handled = 0; return crc; }
    *handled = 1;
    return crc32c_sse42(crc, (const unsigned char *)data, n);
}
#else
uint32_t virtlab_crc32c_update(uint32_t crc, const void *data, size_t n, int *handled) {
    (void)data; (void)n;
    *handled = 0;
    return crc;
}
#endif
