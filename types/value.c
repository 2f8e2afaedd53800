/*
 * value.c — the table of built-in types (from types.def) and each value
 * operation dispatched by type: text and binary input and output,
 * comparison, hashing and typmods. The integers, bool, the strings and
 * pg_lsn are here; float.c, numeric.c and datetime.c hold their families.
 *
 * pg_lsn, a WAL position, is a uint64 (in Value.u.i) written as two hex
 * numbers, the high and low 32 bits ("16/B374D848").
 *
 * INTERFACE: type_info, type_by_name, value_from_text, value_from_binary,
 *            value_to_text, value_has_binary, value_to_binary, value_compare,
 *            value_equal, value_hash, value_apply_typmod
 */
#include "types/types_int.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const TypeInfo TYPES[] = {
#define TYPE(NAME, oid, typname, sql_name, typlen, category, preferred, rank)                                          \
    {TYPE_##NAME, typname, sql_name, typlen, category, preferred, rank, TYPE_INVALID},
#define ARRAY_TYPE(NAME, oid, typname, sql_name, elem)                                                                 \
    {TYPE_##NAME, typname, sql_name, -1, TYPCAT_ARRAY, false, 0, TYPE_##elem},
#include "types/types.def"
#undef TYPE
#undef ARRAY_TYPE
};

const TypeInfo *types__all(size_t *n) {
    *n = ARRAY_LEN(TYPES);
    return TYPES;
}

static const char *bpchar_padded(const Value *v, int *len);
static const char *jsonb_send(const Value *v, int *len);

static const TypeSettings DEFAULT_SETTINGS = TYPE_SETTINGS_DEFAULT;
static const TypeSettings *settings = &DEFAULT_SETTINGS;

void types_use_settings(const TypeSettings *s) { settings = s ? s : &DEFAULT_SETTINGS; }

const TypeSettings *types__settings(void) { return settings; }

const TypeInfo *type_info(TypeId t) {
    for (size_t i = 0; i < ARRAY_LEN(TYPES); i++)
        if (TYPES[i].id == t) return &TYPES[i];
    return NULL;
}

static const struct {
    TypeId from, to;
    CastContext context;
} CASTS[] = {
#define CAST(source, target, context) {TYPE_##source, TYPE_##target, CAST_##context},
#include "types/types.def"
};

CastContext type_cast_context(TypeId from, TypeId to) {
    for (size_t i = 0; i < ARRAY_LEN(CASTS); i++)
        if (CASTS[i].from == from && CASTS[i].to == to) return CASTS[i].context;
    return CAST_NONE;
}

bool type_is_array(TypeId t) {
    switch (t) {
#define ARRAY_TYPE(NAME, oid, typname, sql_name, elem) case TYPE_##NAME:
#include "types/types.def"
#undef ARRAY_TYPE
        return true;
    default: return false;
    }
}

/* json has no ordering; nor has an array of a type without one. */
bool type_is_orderable(TypeId t) { return t != TYPE_JSON && t != TYPE_JSONARRAY; }

bool type_cast(Value *v, TypeId to, Arena *arena, bool *handled, Error *err) {
    bool ok = types__datetime_cast(v, to, arena, handled, err);
    if (*handled) return ok;
    ok = types__oid_cast(v, to, handled, err);
    if (*handled) return ok;
    return types__json_cast(v, to, arena, handled, err);
}

const TypeInfo *type_by_name(const char *typname) {
    for (size_t i = 0; i < ARRAY_LEN(TYPES); i++)
        if (strcmp(TYPES[i].name, typname) == 0) return &TYPES[i];
    return NULL;
}

/* ---- text input ----------------------------------------------------------- */

bool types__invalid_syntax(TypeId t, const char *s, size_t len, Error *err) {
    return error_set(err, SQLSTATE_INVALID_TEXT_REPRESENTATION, "invalid input syntax for type %s: \"%.*s\"",
                     type_info(t)->sql_name, (int)len, s);
}

static bool out_of_range(TypeId t, const char *s, size_t len, Error *err) {
    return error_set(err, SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "value \"%.*s\" is out of range for type %s", (int)len,
                     s, type_info(t)->sql_name);
}

void types__trim(const char **s, size_t *len) {
    while (*len && isspace((unsigned char)**s)) (*s)++, (*len)--;
    while (*len && isspace((unsigned char)(*s)[*len - 1])) (*len)--;
}

static bool int_from_text(TypeId t, const char *s0, size_t len0, Value *out, Error *err) {
    const char *s = s0;
    size_t len = len0;
    types__trim(&s, &len);
    bool neg = false;
    size_t i = 0;
    if (i < len && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
    if (i == len) return types__invalid_syntax(t, s0, len0, err);
    uint64_t acc = 0;
    bool overflow = false;
    for (; i < len; i++) {
        if (!isdigit((unsigned char)s[i])) return types__invalid_syntax(t, s0, len0, err);
        if (acc > (UINT64_MAX - 9) / 10)
            overflow = true;
        else
            acc = acc * 10 + (uint64_t)(s[i] - '0');
    }
    int64_t hi = t == TYPE_INT2 ? INT16_MAX : t == TYPE_INT4 ? INT32_MAX : INT64_MAX;
    if (overflow || (!neg && acc > (uint64_t)hi) || (neg && acc > (uint64_t)hi + 1))
        return out_of_range(t, s0, len0, err);
    *out = value_int(t, neg ? (int64_t)(0 - acc) : (int64_t)acc);
    return true;
}

/* PostgreSQL's boolin: t/true/y/yes/on/1 and f/false/n/no/off/0, any case,
 * any unambiguous prefix of the words. */
static bool bool_from_text(const char *s0, size_t len0, Value *out, Error *err) {
    const char *s = s0;
    size_t len = len0;
    types__trim(&s, &len);
    static const struct {
        const char *word;
        size_t min;
        bool value;
    } WORDS[] = {
        {"true", 1, true}, {"false", 1, false}, {"yes", 1, true}, {"no", 1, false},
        {"on", 2, true},   {"off", 2, false},   {"1", 1, true},   {"0", 1, false},
    };
    for (size_t i = 0; i < ARRAY_LEN(WORDS); i++) {
        if (len >= WORDS[i].min && len <= strlen(WORDS[i].word) && strncasecmp(s, WORDS[i].word, len) == 0) {
            *out = value_bool(WORDS[i].value);
            return true;
        }
    }
    return types__invalid_syntax(TYPE_BOOL, s0, len0, err);
}

/* One half of an LSN: 1 to 8 hex digits (PostgreSQL's strspn over
 * "0123456789abcdefABCDEF": no sign, no 0x, no spaces). */
static bool lsn_half(const char *s, size_t len, uint32_t *out) {
    if (len < 1 || len > 8) return false;
    uint32_t v = 0;
    for (size_t i = 0; i < len; i++) {
        int c = (unsigned char)s[i];
        int d = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (d < 0) return false;
        v = v << 4 | (uint32_t)d;
    }
    *out = v;
    return true;
}

/* PostgreSQL's pg_lsn_in: "%X/%X", each half 1 to 8 hex digits, nothing
 * around it (unlike the numeric types, no surrounding spaces either). */
static bool pg_lsn_from_text(const char *s, size_t len, Value *out, Error *err) {
    const char *slash = memchr(s, '/', len);
    uint32_t hi, lo;
    if (!slash || !lsn_half(s, (size_t)(slash - s), &hi) || !lsn_half(slash + 1, len - (size_t)(slash - s) - 1, &lo))
        return types__invalid_syntax(TYPE_PG_LSN, s, len, err);
    *out = value_int(TYPE_PG_LSN, (int64_t)((uint64_t)hi << 32 | lo));
    return true;
}

/* regtype_in: a type's name (pg_type's or format_type's) or its OID. */
static bool regtype_from_text(const char *s0, size_t len0, Value *out, Error *err) {
    const char *s = s0;
    size_t len = len0;
    types__trim(&s, &len);
    if (len && len < 11 && strspn(s, "0123456789") == len) {
        *out = value_int(TYPE_REGTYPE, strtoll(s, NULL, 10));
        return true;
    }
    for (size_t i = 0; i < ARRAY_LEN(TYPES); i++) {
        const TypeInfo *ti = &TYPES[i];
        if ((strlen(ti->name) == len && strncasecmp(ti->name, s, len) == 0) ||
            (strlen(ti->sql_name) == len && strncasecmp(ti->sql_name, s, len) == 0)) {
            *out = value_int(TYPE_REGTYPE, ti->id);
            return true;
        }
    }
    return error_set(err, SQLSTATE_UNDEFINED_OBJECT, "type \"%.*s\" does not exist", (int)len0, s0);
}

/* regtype_out: format_type's name, or the number of an unknown OID. */
static int regtype_to_text(int64_t oid, char *buf) {
    const TypeInfo *ti = type_info((TypeId)oid);
    return ti ? sprintf(buf, "%s", ti->sql_name) : sprintf(buf, "%lld", (long long)oid);
}

/* pg_typeof's value: the binder replaces a call by its argument's declared
 * type; this runtime form serves calls it could not see. */
bool pg_typeof(const Value *args, Arena *arena, Value *out, Error *err) {
    (void)arena, (void)err;
    *out = value_int(TYPE_REGTYPE, args[0].type);
    return true;
}

bool value_from_text(TypeId t, const char *s, size_t len, Arena *arena, Value *out, Error *err) {
    switch (t) {
    case TYPE_INT2:
    case TYPE_INT4:
    case TYPE_INT8: return int_from_text(t, s, len, out, err);
    case TYPE_BOOL: return bool_from_text(s, len, out, err);
    case TYPE_FLOAT8:
    case TYPE_FLOAT4: return types__float_from_text(t, s, len, out, err);
    case TYPE_NUMERIC: return numeric_from_text(s, len, arena, out, err);
    case TYPE_PG_LSN: return pg_lsn_from_text(s, len, out, err);
    case TYPE_REGTYPE: return regtype_from_text(s, len, out, err);
    case TYPE_OID:
    case TYPE_REGPROC:
    case TYPE_REGPROCEDURE:
    case TYPE_REGCLASS:
    case TYPE_REGNAMESPACE: return types__oid_from_text(t, s, len, out, err);
    case TYPE_UUID: return types__uuid_from_text(s, len, arena, out, err);
    case TYPE_BYTEA: return types__bytea_from_text(s, len, arena, out, err);
    case TYPE_DATE:
    case TYPE_TIME:
    case TYPE_TIMESTAMP:
    case TYPE_TIMESTAMPTZ: return types__datetime_from_text(t, s, len, out, err);
    case TYPE_INTERVAL: return types__interval_from_text(s, len, arena, out, err);
    case TYPE_TIMETZ: return types__timetz_from_text(s, len, arena, out, err);
    case TYPE_JSON: return types__json_from_text(s, len, arena, out, err);
    case TYPE_JSONB: return types__jsonb_from_text(s, len, arena, out, err);
    case TYPE_TEXT:
    case TYPE_VARCHAR:
    case TYPE_UNKNOWN: *out = value_string(t, arena_strndup(arena, s, len), (uint32_t)len); return true;
    case TYPE_BPCHAR:
        *out = value_string(t, arena_strndup(arena, s, len), (uint32_t)len);
        value_make_bpchar(out);
        return true;
    default:
        if (type_is_array(t)) return types__array_from_text(t, s, len, arena, out, err);
        break;
    }
    return error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED, "type %u is not supported", (unsigned)t);
}

/* ---- binary input/output: network byte order ------------------------------ */

static uint64_t load_be(const char *p, size_t n) {
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) v = (v << 8) | (unsigned char)p[i];
    return v;
}

static void store_be(char *p, uint64_t v, size_t n) {
    for (size_t i = 0; i < n; i++) p[i] = (char)(v >> (8 * (n - 1 - i)));
}

bool value_from_binary(TypeId t, const char *p, size_t len, Arena *arena, Value *out, Error *err) {
    size_t want = t == TYPE_INT2                                                                  ? 2
                  : t == TYPE_INT4 || types__is_oid_type(t) || t == TYPE_FLOAT4 || t == TYPE_DATE ? 4
                  : t == TYPE_INT8 || t == TYPE_FLOAT8 || t == TYPE_PG_LSN || t == TYPE_TIMESTAMPTZ ||
                          t == TYPE_TIMESTAMP || t == TYPE_TIME
                      ? 8
                  : t == TYPE_INTERVAL ? 16
                  : t == TYPE_BOOL     ? 1
                  : t == TYPE_UUID     ? 16
                                       : 0;
    if (want && len != want)
        return error_set(err, SQLSTATE_INVALID_BINARY_REPRESENTATION, "incorrect binary data format in bind parameter");
    switch (t) {
    case TYPE_INT2: *out = value_int(t, (int16_t)load_be(p, 2)); return true;
    case TYPE_INT4:
    case TYPE_DATE: *out = value_int(t, (int32_t)load_be(p, 4)); return true;
    case TYPE_INTERVAL: { /* interval_recv: int8 microseconds, int4 days, int4 months */
        char *b = arena_alloc(arena, 16);
        int64_t us = (int64_t)load_be(p, 8);
        int32_t days = (int32_t)load_be(p + 8, 4), months = (int32_t)load_be(p + 12, 4);
        memcpy(b, &us, 8), memcpy(b + 8, &days, 4), memcpy(b + 12, &months, 4);
        *out = value_string(TYPE_INTERVAL, b, 16);
        return true;
    }
    case TYPE_OID:
    case TYPE_REGPROC:
    case TYPE_REGPROCEDURE:
    case TYPE_REGCLASS:
    case TYPE_REGNAMESPACE:
    case TYPE_REGTYPE: *out = value_int(t, (int64_t)load_be(p, 4)); return true; /* an unsigned OID */
    case TYPE_INT8:
    case TYPE_TIME:
    case TYPE_TIMESTAMP:
    case TYPE_TIMESTAMPTZ: /* timestamptz_recv: int8 microseconds since 2000 */
    case TYPE_PG_LSN: *out = value_int(t, (int64_t)load_be(p, 8)); return true; /* pg_lsn_recv: an int8 */
    case TYPE_BOOL: *out = value_bool(p[0] != 0); return true;
    case TYPE_FLOAT8: {
        uint64_t bits = load_be(p, 8);
        double d;
        memcpy(&d, &bits, sizeof d);
        *out = value_float8(d);
        return true;
    }
    case TYPE_FLOAT4: {
        uint32_t bits = (uint32_t)load_be(p, 4);
        float f;
        memcpy(&f, &bits, sizeof f);
        *out = value_float(TYPE_FLOAT4, f);
        return true;
    }
    case TYPE_TEXT:
    case TYPE_VARCHAR:
    case TYPE_UUID:
    case TYPE_BYTEA:
    case TYPE_UNKNOWN: *out = value_string(t, arena_strndup(arena, p, len), (uint32_t)len); return true;
    case TYPE_BPCHAR:
        *out = value_string(t, arena_strndup(arena, p, len), (uint32_t)len);
        value_make_bpchar(out);
        return true;
    case TYPE_NUMERIC: return numeric_from_binary(p, len, arena, out, err);
    case TYPE_TIMETZ: return types__timetz_from_binary(p, len, arena, out, err);
    case TYPE_JSON: return types__json_from_text(p, len, arena, out, err);
    case TYPE_JSONB: /* jsonb_recv: a version byte, 1, then the text */
        if (len < 1 || p[0] != 1)
            return error_set(err, SQLSTATE_INVALID_BINARY_REPRESENTATION, "unsupported jsonb version number %d",
                             len ? p[0] : 0);
        return types__jsonb_from_text(p + 1, len - 1, arena, out, err);
    default:
        if (type_is_array(t)) return types__array_from_binary(t, p, len, arena, out, err);
        break;
    }
    return error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED, "binary format for type %s is not supported",
                     type_info(t) ? type_info(t)->sql_name : "?");
}

bool value_has_binary(TypeId t) {
    return t == TYPE_INT2 || t == TYPE_INT4 || t == TYPE_INT8 || t == TYPE_BOOL || t == TYPE_FLOAT8 ||
           t == TYPE_FLOAT4 || t == TYPE_TEXT || t == TYPE_VARCHAR || t == TYPE_BPCHAR || t == TYPE_PG_LSN ||
           types__is_oid_type(t) || t == TYPE_TIMESTAMPTZ || t == TYPE_NUMERIC || t == TYPE_REGTYPE || t == TYPE_UUID ||
           t == TYPE_BYTEA || t == TYPE_DATE || t == TYPE_TIME || t == TYPE_TIMESTAMP || t == TYPE_INTERVAL ||
           t == TYPE_TIMETZ || t == TYPE_JSON || t == TYPE_JSONB ||
           (type_is_array(t) && value_has_binary(type_info(t)->elem));
}

const char *value_to_binary(const Value *v, char *buf, int *len) {
    switch (v->type) {
    case TYPE_INT2:
        store_be(buf, (uint64_t)v->u.i, 2);
        *len = 2;
        return buf;
    case TYPE_INT4:
    case TYPE_DATE:
    case TYPE_OID:
    case TYPE_REGPROC:
    case TYPE_REGPROCEDURE:
    case TYPE_REGCLASS:
    case TYPE_REGNAMESPACE:
    case TYPE_REGTYPE:
        store_be(buf, (uint64_t)v->u.i, 4);
        *len = 4;
        return buf;
    case TYPE_INT8:
    case TYPE_TIME:
    case TYPE_TIMESTAMP:
    case TYPE_TIMESTAMPTZ:
    case TYPE_PG_LSN: /* pg_lsn_send: an int8 */
        store_be(buf, (uint64_t)v->u.i, 8);
        *len = 8;
        return buf;
    case TYPE_BOOL:
        buf[0] = v->u.b;
        *len = 1;
        return buf;
    case TYPE_FLOAT8: {
        uint64_t bits;
        memcpy(&bits, &v->u.f, sizeof bits);
        store_be(buf, bits, 8);
        *len = 8;
        return buf;
    }
    case TYPE_FLOAT4: {
        float f = (float)v->u.f;
        uint32_t bits;
        memcpy(&bits, &f, sizeof bits);
        store_be(buf, bits, 4);
        *len = 4;
        return buf;
    }
    case TYPE_NUMERIC: { /* in a buffer of its own: it may be longer than buf */
        char *out;
        *len = (int)numeric_to_binary(v, &out);
        return out;
    }
    case TYPE_BPCHAR: return bpchar_padded(v, len);
    case TYPE_JSONB: return jsonb_send(v, len);
    case TYPE_TIMETZ:
        types__timetz_to_binary(v, buf);
        *len = 12;
        return buf;
    case TYPE_INTERVAL: {
        int64_t us;
        int32_t days, months;
        memcpy(&us, v->u.s, 8), memcpy(&days, v->u.s + 8, 4), memcpy(&months, v->u.s + 12, 4);
        store_be(buf, (uint64_t)us, 8);
        store_be(buf + 8, (uint32_t)days, 4);
        store_be(buf + 12, (uint32_t)months, 4);
        *len = 16;
        return buf;
    }
    default:
        if (type_is_array(v->type)) return types__array_to_binary(v, len);
        *len = (int)v->len;
        return v->u.s;
    }
}

/* ---- bpchar ----------------------------------------------------------------
 * Kept without its trailing spaces, which PostgreSQL ignores when it
 * compares and drops when it casts to text; width restores them on output. */

void value_make_bpchar(Value *v) {
    int chars = utf8_char_count(v->u.s, v->len);
    while (v->len && v->u.s[v->len - 1] == ' ') v->len--;
    v->type = TYPE_BPCHAR;
    v->width = (uint32_t)chars;
}

/* The bpchar with its trailing spaces, in a buffer of this file's valid
 * until the next call (or its own bytes when it has none). */
static const char *bpchar_padded(const Value *v, int *len) {
    static char *buf;
    static size_t cap;
    int chars = utf8_char_count(v->u.s, v->len);
    if (v->width <= (uint32_t)chars) {
        *len = (int)v->len;
        return v->u.s;
    }
    size_t need = v->len + (v->width - (uint32_t)chars) + 1;
    if (need > cap) {
        char *p = realloc(buf, need);
        if (!p) abort();
        buf = p, cap = need;
    }
    memcpy(buf, v->u.s, v->len);
    memset(buf + v->len, ' ', need - 1 - v->len);
    *len = (int)(need - 1);
    return buf;
}

/* jsonb_send: version 1, then the text; in a buffer of this file's valid until the next call. */
static const char *jsonb_send(const Value *v, int *len) {
    static char *buf;
    static size_t cap;
    if (v->len + 1 > cap) {
        char *p = realloc(buf, v->len + 1);
        if (!p) abort();
        buf = p, cap = v->len + 1;
    }
    buf[0] = 1;
    memcpy(buf + 1, v->u.s, v->len);
    *len = (int)v->len + 1;
    return buf;
}

/* ---- text output ----------------------------------------------------------- */

const char *value_to_text(const Value *v, char *buf, int *len) {
    switch (v->type) {
    case TYPE_INT2:
    case TYPE_INT4:
    case TYPE_INT8: *len = sprintf(buf, "%lld", (long long)v->u.i); return buf;
    case TYPE_BOOL:
        buf[0] = v->u.b ? 't' : 'f';
        buf[1] = '\0';
        *len = 1;
        return buf;
    case TYPE_FLOAT8:
    case TYPE_FLOAT4: *len = types__float_to_text(v->type, v->u.f, buf); return buf;
    case TYPE_PG_LSN: /* pg_lsn_out: "%X/%X" */
        *len = sprintf(buf, "%X/%X", (unsigned)((uint64_t)v->u.i >> 32), (unsigned)(uint32_t)v->u.i);
        return buf;
    case TYPE_DATE:
    case TYPE_TIME:
    case TYPE_TIMESTAMP:
    case TYPE_TIMESTAMPTZ: *len = types__datetime_to_text(v, buf); return buf;
    case TYPE_INTERVAL: *len = types__interval_to_text(v, buf); return buf;
    case TYPE_TIMETZ: *len = types__timetz_to_text(v, buf); return buf;
    case TYPE_REGTYPE: *len = regtype_to_text(v->u.i, buf); return buf;
    case TYPE_OID:
    case TYPE_REGPROC:
    case TYPE_REGPROCEDURE:
    case TYPE_REGCLASS:
    case TYPE_REGNAMESPACE: *len = types__oid_to_text(v, buf); return buf;
    case TYPE_UUID: *len = types__uuid_to_text(v, buf); return buf;
    case TYPE_BYTEA: return types__bytea_to_text(v, len);
    case TYPE_BPCHAR: return bpchar_padded(v, len);
    default:
        if (type_is_array(v->type)) return types__array_to_text(v, len);
        *len = (int)v->len;
        return v->u.s;
    }
}

/* ---- comparison and hashing ------------------------------------------------ */

static int cmp_float8(double a, double b) {
    /* PostgreSQL orders NaN above every other value, and equal to itself. */
    if (isnan(a)) return isnan(b) ? 0 : 1;
    if (isnan(b)) return -1;
    return a < b ? -1 : a > b ? 1 : 0;
}

static int cmp_bytes(const Value *a, const Value *b) {
    size_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->u.s, b->u.s, n);
    if (c) return c < 0 ? -1 : 1;
    return a->len < b->len ? -1 : a->len > b->len ? 1 : 0;
}

int value_compare(const Value *a, const Value *b) {
    switch (a->type) {
    case TYPE_INT2:
    case TYPE_INT4:
    case TYPE_TIMESTAMPTZ:
    case TYPE_TIMESTAMP:
    case TYPE_DATE:
    case TYPE_TIME:
    case TYPE_OID:
    case TYPE_REGPROC:
    case TYPE_REGPROCEDURE:
    case TYPE_REGCLASS:
    case TYPE_REGNAMESPACE:
    case TYPE_REGTYPE:
    case TYPE_INT8: return a->u.i < b->u.i ? -1 : a->u.i > b->u.i ? 1 : 0;
    case TYPE_INTERVAL: return types__interval_compare(a, b);
    case TYPE_TIMETZ: return types__timetz_compare(a, b);
    case TYPE_PG_LSN: {
        uint64_t x = (uint64_t)a->u.i, y = (uint64_t)b->u.i;
        return x < y ? -1 : x > y ? 1 : 0;
    }
    case TYPE_BOOL: return (int)a->u.b - (int)b->u.b;
    case TYPE_NUMERIC: return numeric_compare(a, b);
    case TYPE_JSONB: return types__jsonb_compare(a, b);
    case TYPE_FLOAT8:
    case TYPE_FLOAT4: return cmp_float8(a->u.f, b->u.f);
    default: return type_is_array(a->type) ? types__array_compare(a, b) : cmp_bytes(a, b);
    }
}

bool type_by_reference(TypeId t) {
    return type_info(t)->typlen < 0 || t == TYPE_INTERVAL || t == TYPE_UUID || t == TYPE_TIMETZ;
}

void value_detach(Value *v, Arena *arena) {
    if (v->isnull || !type_by_reference((TypeId)v->type)) return;
    char *copy = arena_alloc(arena, v->len + 1);
    memcpy(copy, v->u.s, v->len);
    copy[v->len] = '\0';
    v->u.s = copy;
}

bool value_equal(const Value *a, const Value *b) {
    if (a->isnull || b->isnull) return a->isnull && b->isnull;
    return value_compare(a, b) == 0;
}

uint64_t value_hash(const Value *v) {
    if (v->isnull) return 0x9e3779b97f4a7c15ULL;
    switch (v->type) {
    case TYPE_INT2:
    case TYPE_INT4:
    case TYPE_INT8:
    case TYPE_TIMESTAMPTZ:
    case TYPE_TIMESTAMP:
    case TYPE_DATE:
    case TYPE_TIME:
    case TYPE_OID:
    case TYPE_REGPROC:
    case TYPE_REGPROCEDURE:
    case TYPE_REGCLASS:
    case TYPE_REGNAMESPACE:
    case TYPE_REGTYPE:
    case TYPE_PG_LSN: return hash_mix((uint64_t)v->u.i);
    case TYPE_INTERVAL: return types__interval_hash(v);
    case TYPE_TIMETZ: return types__timetz_hash(v);
    case TYPE_BOOL: return hash_mix(v->u.b);
    case TYPE_NUMERIC: return numeric_hash(v);
    case TYPE_JSONB: return types__jsonb_hash(v);
    case TYPE_FLOAT8:
    case TYPE_FLOAT4: {
        double d = v->u.f == 0 ? 0 : v->u.f; /* -0 and 0 are equal */
        uint64_t bits;
        memcpy(&bits, &d, sizeof bits);
        return hash_mix(bits);
    }
    default: return type_is_array(v->type) ? types__array_hash(v) : hash_bytes(v->u.s, v->len, 0);
    }
}

/* ---- typmods ------------------------------------------------------------------ */

static size_t utf8_prefix_bytes(const char *s, size_t len, int nchars) {
    size_t i = 0;
    for (int c = 0; i < len; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80 && c++ == nchars) break;
    }
    return i;
}

/* char(n): longer values fail on assignment (their extra characters are
 * not spaces: those are gone already) and are cut by an explicit cast;
 * the value shows n characters. */
static bool bpchar_apply_typmod(Value *v, int n, bool is_explicit, Error *err) {
    if (utf8_char_count(v->u.s, v->len) > n) {
        if (!is_explicit)
            return error_set(err, SQLSTATE_STRING_DATA_RIGHT_TRUNCATION, "value too long for type character(%d)", n);
        v->len = (uint32_t)utf8_prefix_bytes(v->u.s, v->len, n);
        while (v->len && v->u.s[v->len - 1] == ' ') v->len--;
    }
    v->width = (uint32_t)n;
    return true;
}

/* timestamp(p), time(p): seconds to p fraction digits, rounded half away from zero. */
static void round_seconds(Value *v, int32_t p) {
    static const int64_t SCALE[] = {1000000, 100000, 10000, 1000, 100, 10, 1};
    if (p > 6 || v->u.i == INT64_MIN || v->u.i == INT64_MAX) return; /* the infinities stay */
    int64_t scale = SCALE[p], half = scale / 2, t = v->u.i;
    v->u.i = t >= 0 ? (t + half) / scale * scale : -((-t + half) / scale * scale);
}

/* varchar(n): longer values fail on assignment (unless the excess is
 * spaces, dropped silently as in PostgreSQL) and are cut by explicit casts. */
static bool varchar_apply_typmod(Value *v, int maxlen, bool is_explicit, Error *err) {
    if (utf8_char_count(v->u.s, v->len) <= maxlen) return true;
    size_t keep = utf8_prefix_bytes(v->u.s, v->len, maxlen);
    for (size_t i = keep; !is_explicit && i < v->len; i++)
        if (v->u.s[i] != ' ')
            return error_set(err, SQLSTATE_STRING_DATA_RIGHT_TRUNCATION, "value too long for type %s(%d)",
                             type_info(v->type)->sql_name, maxlen);
    v->len = (uint32_t)keep;
    return true;
}

/* Typmods are the types' own encodings: n + 4 for the strings, numeric's
 * packed precision and scale, the fraction digits of times. */
bool value_apply_typmod(Value *v, int32_t typmod, bool is_explicit, Arena *arena, Error *err) {
    if (v->isnull || typmod < 0) return true;
    switch (v->type) {
    case TYPE_TIMESTAMP:
    case TYPE_TIMESTAMPTZ:
    case TYPE_TIME: round_seconds(v, typmod); return true;
    case TYPE_TIMETZ: types__timetz_round(v, typmod, arena); return true;
    case TYPE_INTERVAL: types__interval_apply_typmod(v, typmod, arena); return true;
    case TYPE_NUMERIC: return numeric_apply_typmod(v, typmod, arena, err);
    case TYPE_BPCHAR: return typmod < 4 || bpchar_apply_typmod(v, typmod - 4, is_explicit, err);
    case TYPE_VARCHAR: return typmod < 4 || varchar_apply_typmod(v, typmod - 4, is_explicit, err);
    default: return !type_is_array(v->type) || types__array_apply_typmod(v, typmod, is_explicit, arena, err);
    }
}
