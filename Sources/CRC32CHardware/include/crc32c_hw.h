#ifndef VIRTLAB_CRC32C_HW_H
#define VIRTLAB_CRC32C_HW_H
#include <stddef.h>
#include <stdint.h>

/// Continues a CRC-32C (Castagnoli) over `n` bytes: pass the running value (initially 0xFFFFFFFF)
/// and invert the result at the end. Uses SSE4.2 when the CPU has it; returns `crc` unchanged and
/// sets *handled to 0 when it does not, so the caller falls back to its table code.
uint32_t virtlab_crc32c_update(uint32_t crc, const void *data, size_t n, int *handled);

#endif
