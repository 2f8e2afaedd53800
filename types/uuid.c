/*
 * uuid.c — uuid: 16 bytes (Value.u.s/len), PostgreSQL's uuid_in, uuid_out,
 * uuid_send/recv (the 16 bytes) and order (bytewise), and gen_random_uuid
 * (version 4, from the kernel's random source).
 *
 * INTERFACE (types-internal): types__uuid_from_text, types__uuid_to_text,
 *   gen_random_uuid
 */
#include "types/types_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

/* uuid_in: 32 hex digits, optionally in braces, with an optional hyphen
 * after any group of four digits but the last. */
bool types__uuid_from_text(const char *s, size_t len, Arena *arena, Value *out, Error *err) {
    size_t i = 0;
    bool braces = len && s[0] == '{';
    i += braces;
    uint8_t *bytes = arena_alloc(arena, 16);
    for (int b = 0; b < 16; b++) {
        int hi = i < len ? types__hex_value((unsigned char)s[i]) : -1,
            lo = i + 1 < len ? types__hex_value((unsigned char)s[i + 1]) : -1;
        if (hi < 0 || lo < 0) return types__invalid_syntax(TYPE_UUID, s, len, err);
        bytes[b] = (uint8_t)(hi << 4 | lo);
        i += 2;
        if (b % 2 == 1 && b < 15 && i < len && s[i] == '-') i++;
    }
    if (braces && (i >= len || s[i++] != '}')) return types__invalid_syntax(TYPE_UUID, s, len, err);
    if (i != len) return types__invalid_syntax(TYPE_UUID, s, len, err);
    *out = value_string(TYPE_UUID, (const char *)bytes, 16);
    return true;
}

/* uuid_out: lower-case 8-4-4-4-12. */
int types__uuid_to_text(const Value *v, char *buf) {
    static const char HEX[] = "0123456789abcdef";
    const uint8_t *b = (const uint8_t *)v->u.s;
    char *o = buf;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10) *o++ = '-';
        *o++ = HEX[b[i] >> 4];
        *o++ = HEX[b[i] & 15];
    }
    *o = '\0';
    return (int)(o - buf);
}

/* gen_random_uuid(): RFC 4122 version 4. */
bool gen_random_uuid(const Value *args, Arena *arena, Value *out, Error *err) {
    (void)args;
    uint8_t *b = arena_alloc(arena, 16);
    if (getrandom(b, 16, 0) != 16) return error_set(err, SQLSTATE_INTERNAL_ERROR, "could not generate random values");
    b[6] = (uint8_t)((b[6] & 0x0f) | 0x40); /* version 4 */
    b[8] = (uint8_t)((b[8] & 0x3f) | 0x80); /* the RFC 4122 variant */
    *out = value_string(TYPE_UUID, (const char *)b, 16);
    return true;
}
