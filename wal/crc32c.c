/*
 * crc32c.c — CRC-32C (Castagnoli), the checksum of WAL records and
 * snapshots, as PostgreSQL uses it: the SSE 4.2 instruction where the CPU
 * has it, else a table (slicing by one byte: recovery is not its hot path,
 * the hardware is).
 *
 * INTERFACE (wal-internal): wal__crc32c
 */
#include "wal/wal_int.h"

static uint32_t table[256];

static void make_table(void) {
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = c & 1 ? (c >> 1) ^ 0x82F63B78u : c >> 1;
        table[i] = c;
    }
}

static uint32_t crc_soft(uint32_t crc, const uint8_t *p, size_t n) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, make_table);
    while (n--) crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return crc;
}

#if defined(__x86_64__)
__attribute__((target("sse4.2"))) static uint32_t crc_hard(uint32_t crc, const uint8_t *p, size_t n) {
    uint64_t c = crc;
    while (n >= 8) {
        uint64_t v;
        memcpy(&v, p, 8);
        c = __builtin_ia32_crc32di(c, v);
        p += 8;
        n -= 8;
    }
    uint32_t c32 = (uint32_t)c;
    while (n--) c32 = __builtin_ia32_crc32qi(c32, *p++);
    return c32;
}
#endif

uint32_t wal__crc32c(uint32_t crc, const void *p, size_t n) {
    crc = ~crc;
#if defined(__x86_64__)
    static int hard = -1;
    if (hard < 0) hard = __builtin_cpu_supports("sse4.2");
    crc = hard ? crc_hard(crc, p, n) : crc_soft(crc, p, n);
#else
    crc = crc_soft(crc, p, n);
#endif
    return ~crc;
}
