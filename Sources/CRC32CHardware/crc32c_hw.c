#include "crc32c_hw.h"
#include <string.h>

#if defined(__x86_64__)
#include <nmmintrin.h>

__attribute__((target("sse4.2")))
static uint32_t crc32c_sse42(uint32_t crc, const unsigned char *p, size_t n) {
    uint64_t c = crc;
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
