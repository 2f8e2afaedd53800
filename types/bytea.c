/*
 * bytea.c — bytea: raw bytes (Value.u.s/len). PostgreSQL's byteain (the
 * hex form \x..., or the escape form with \\ and \ooo), byteaout in the
 * form bytea_output asks for, bytewise order, and the functions of the
 * binary string chapter: length, octet_length, encode and decode (hex,
 * base64, escape), md5, sha224 ... sha512 (OpenSSL's digests).
 *
 * INTERFACE (types-internal): types__bytea_from_text, types__bytea_to_text,
 *   and the functions named in types.def
 */
#include "types/types_int.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int types__hex_value(int c) {
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

static bool is_space(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

/* hex_decode: pairs of hex digits, white space between pairs. */
static bool hex_decode(const char *s, size_t len, Arena *arena, Value *out, Error *err) {
    uint8_t *b = arena_alloc(arena, len / 2 + 1);
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        if (is_space(s[i])) {
            i++;
            continue;
        }
        int hi = types__hex_value((unsigned char)s[i]);
        if (hi < 0) return error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "invalid hexadecimal digit: \"%c\"", s[i]);
        if (++i >= len)
            return error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "invalid hexadecimal data: odd number of digits");
        int lo = types__hex_value((unsigned char)s[i]);
        if (lo < 0) return error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "invalid hexadecimal digit: \"%c\"", s[i]);
        i++;
        b[n++] = (uint8_t)(hi << 4 | lo);
    }
    *out = value_string(TYPE_BYTEA, (const char *)b, (uint32_t)n);
    return true;
}

static bool is_octal(char c, char max) { return c >= '0' && c <= max; }

/* The escape form: bytes as they are, \\ for a backslash, \ooo for any byte. */
static bool escape_decode(const char *s, size_t len, Arena *arena, Value *out, Error *err) {
    uint8_t *b = arena_alloc(arena, len + 1);
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        if (s[i] != '\\') {
            b[n++] = (uint8_t)s[i++];
        } else if (i + 3 < len && is_octal(s[i + 1], '3') && is_octal(s[i + 2], '7') && is_octal(s[i + 3], '7')) {
            b[n++] = (uint8_t)((s[i + 1] - '0') << 6 | (s[i + 2] - '0') << 3 | (s[i + 3] - '0'));
            i += 4;
        } else if (i + 1 < len && s[i + 1] == '\\') {
            b[n++] = '\\';
            i += 2;
        } else {
            return error_set(err, SQLSTATE_INVALID_TEXT_REPRESENTATION, "invalid input syntax for type bytea");
        }
    }
    *out = value_string(TYPE_BYTEA, (const char *)b, (uint32_t)n);
    return true;
}

bool types__bytea_from_text(const char *s, size_t len, Arena *arena, Value *out, Error *err) {
    if (len >= 2 && s[0] == '\\' && s[1] == 'x') return hex_decode(s + 2, len - 2, arena, out, err);
    return escape_decode(s, len, arena, out, err);
}

static size_t hex_encode(const uint8_t *b, size_t n, char *o) {
    static const char HEX[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        *o++ = HEX[b[i] >> 4];
        *o++ = HEX[b[i] & 15];
    }
    return 2 * n;
}

static size_t escape_encode(const uint8_t *b, size_t n, char *o) {
    char *start = o;
    for (size_t i = 0; i < n; i++) {
        if (b[i] == '\\') {
            *o++ = '\\';
            *o++ = '\\';
        } else if (b[i] < 0x20 || b[i] > 0x7e) {
            o += sprintf(o, "\\%03o", b[i]);
        } else {
            *o++ = (char)b[i];
        }
    }
    return (size_t)(o - start);
}

/* byteaout, into a buffer of this file's: valid until the next call (the
 * caller copies it, as every caller of value_to_text does). */
const char *types__bytea_to_text(const Value *v, int *len) {
    static char *buf;
    static size_t cap;
    size_t need = 4 * (size_t)v->len + 3;
    if (need > cap) {
        char *p = realloc(buf, need);
        if (!p) abort();
        buf = p, cap = need;
    }
    const uint8_t *b = (const uint8_t *)v->u.s;
    size_t n;
    if (types__settings()->bytea_output == BYTEA_OUTPUT_HEX) {
        buf[0] = '\\', buf[1] = 'x';
        n = 2 + hex_encode(b, v->len, buf + 2);
    } else {
        n = escape_encode(b, v->len, buf);
    }
    buf[n] = '\0';
    *len = (int)n;
    return buf;
}

/* ---- functions ------------------------------------------------------------------- */

bool byteaoctetlen(const Value *a, Arena *arena, Value *out, Error *err) {
    *out = value_int(TYPE_INT4, a[0].len);
    return true;
}

/* bytea || bytea */
bool byteacat(const Value *a, Arena *arena, Value *out, Error *err) {
    char *p = arena_alloc(arena, (size_t)a[0].len + a[1].len + 1);
    if (a[0].len) memcpy(p, a[0].u.s, a[0].len);
    if (a[1].len) memcpy(p + a[0].len, a[1].u.s, a[1].len);
    *out = value_string(TYPE_BYTEA, p, a[0].len + a[1].len);
    return true;
}

static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* base64 with a newline every 76 characters, as PostgreSQL writes it. */
static size_t base64_encode(const uint8_t *b, size_t n, char *o) {
    char *start = o;
    size_t line = 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)b[i] << 16 | (i + 1 < n ? (uint32_t)b[i + 1] << 8 : 0) | (i + 2 < n ? b[i + 2] : 0);
        if (line >= 76) *o++ = '\n', line = 0;
        *o++ = B64[v >> 18 & 63];
        *o++ = B64[v >> 12 & 63];
        *o++ = i + 1 < n ? B64[v >> 6 & 63] : '=';
        *o++ = i + 2 < n ? B64[v & 63] : '=';
        line += 4;
    }
    return (size_t)(o - start);
}

/* base64 in groups of four symbols; '=' may end a group at its third or
 * fourth place, and then only two or one bytes of it count (as
 * PostgreSQL's pg_b64_decode reads it). */
static bool base64_decode(const char *s, size_t len, Arena *arena, Value *out, Error *err) {
    uint8_t *b = arena_alloc(arena, len + 1);
    size_t n = 0;
    uint32_t group = 0;
    int pos = 0, end = 0; /* end: the group's last byte when '=' was seen (1 or 2), or 0 */
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (is_space(c)) continue;
        uint32_t v = 0;
        if (c == '=') {
            if (!end) {
                if (pos != 2 && pos != 3)
                    return error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE,
                                     "unexpected \"=\" while decoding base64 sequence");
                end = pos - 1;
            }
        } else {
            const char *p = c ? strchr(B64, c) : NULL;
            if (!p)
                return error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE,
                                 "invalid symbol \"%c\" found while decoding base64 sequence", c);
            v = (uint32_t)(p - B64);
        }
        group = group << 6 | v;
        if (++pos == 4) {
            b[n++] = (uint8_t)(group >> 16);
            if (end == 0 || end > 1) b[n++] = (uint8_t)(group >> 8);
            if (end == 0 || end > 2) b[n++] = (uint8_t)group;
            group = 0;
            pos = 0;
        }
    }
    if (pos != 0) {
        error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "invalid base64 end sequence");
        error_hint(err, "Input data is missing padding, is truncated, or is otherwise corrupted.");
        return false;
    }
    *out = value_string(TYPE_BYTEA, (const char *)b, (uint32_t)n);
    return true;
}

static bool unknown_encoding(const Value *name, Error *err) {
    return error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "unrecognized encoding: \"%.*s\"", (int)name->len,
                     name->u.s);
}

static bool name_is(const Value *v, const char *name) {
    return v->len == strlen(name) && strncasecmp(v->u.s, name, v->len) == 0;
}

/* encode(bytea, 'hex' | 'base64' | 'escape') → text */
bool binary_encode(const Value *a, Arena *arena, Value *out, Error *err) {
    const uint8_t *b = (const uint8_t *)a[0].u.s;
    size_t n = a[0].len;
    char *o = arena_alloc(arena, 4 * n + n / 57 + 8);
    size_t len;
    if (name_is(&a[1], "hex"))
        len = hex_encode(b, n, o);
    else if (name_is(&a[1], "base64"))
        len = base64_encode(b, n, o);
    else if (name_is(&a[1], "escape")) {
        /* encode's escape form doubles backslashes and writes \ooo for zero and the high bytes only */
        char *p = o;
        for (size_t i = 0; i < n; i++) {
            if (b[i] == '\\')
                *p++ = '\\', *p++ = '\\';
            else if (b[i] == 0 || b[i] >= 0x80)
                p += sprintf(p, "\\%03o", b[i]);
            else
                *p++ = (char)b[i];
        }
        len = (size_t)(p - o);
    } else {
        return unknown_encoding(&a[1], err);
    }
    o[len] = '\0';
    *out = value_string(TYPE_TEXT, o, (uint32_t)len);
    return true;
}

/* decode(text, 'hex' | 'base64' | 'escape') → bytea */
bool binary_decode(const Value *a, Arena *arena, Value *out, Error *err) {
    if (name_is(&a[1], "hex")) return hex_decode(a[0].u.s, a[0].len, arena, out, err);
    if (name_is(&a[1], "base64")) return base64_decode(a[0].u.s, a[0].len, arena, out, err);
    if (name_is(&a[1], "escape")) return escape_decode(a[0].u.s, a[0].len, arena, out, err);
    return unknown_encoding(&a[1], err);
}

static bool digest(const char *name, const Value *in, uint8_t *md, unsigned *n, Error *err) {
    const EVP_MD *type = EVP_get_digestbyname(name);
    if (!type || !EVP_Digest(in->u.s, in->len, md, n, type, NULL))
        return error_set(err, SQLSTATE_INTERNAL_ERROR, "could not compute %s hash", name);
    return true;
}

/* md5(text | bytea) → its hex digest as text */
bool md5_text(const Value *a, Arena *arena, Value *out, Error *err) {
    uint8_t md[EVP_MAX_MD_SIZE];
    unsigned n;
    if (!digest("MD5", &a[0], md, &n, err)) return false;
    char *o = arena_alloc(arena, 2 * n + 1);
    o[hex_encode(md, n, o)] = '\0';
    *out = value_string(TYPE_TEXT, o, 2 * n);
    return true;
}

static bool sha(const char *name, const Value *a, Arena *arena, Value *out, Error *err) {
    uint8_t md[EVP_MAX_MD_SIZE];
    unsigned n;
    if (!digest(name, &a[0], md, &n, err)) return false;
    char *o = arena_alloc(arena, n);
    memcpy(o, md, n);
    *out = value_string(TYPE_BYTEA, o, n);
    return true;
}

bool sha224_bytea(const Value *a, Arena *arena, Value *out, Error *err) { return sha("SHA224", a, arena, out, err); }
bool sha256_bytea(const Value *a, Arena *arena, Value *out, Error *err) { return sha("SHA256", a, arena, out, err); }
bool sha384_bytea(const Value *a, Arena *arena, Value *out, Error *err) { return sha("SHA384", a, arena, out, err); }
bool sha512_bytea(const Value *a, Arena *arena, Value *out, Error *err) { return sha("SHA512", a, arena, out, err); }
