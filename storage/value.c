/*
 * value.c — the built-in types and their PostgreSQL text and binary forms.
 *
 * Output follows PostgreSQL 15 exactly (float8 prints the shortest string
 * that reads back to the same double, switching to exponent form below 1e-4
 * and from 1e15 on), because clients and golden files compare text.
 * It does not know about casts between types or operators: the planner does.
 *
 * pg_lsn, a WAL position, is a uint64 (in Value.u.i) written as two hex
 * numbers, the high and low 32 bits ("16/B374D848"); its text form is here
 * rather than borrowed from wal/, which storage must not depend on.
 *
 * INTERFACE: type_info, type_by_name, value_from_text, value_from_binary,
 *            value_to_text, value_to_binary, value_compare, value_equal,
 *            value_hash, value_apply_typmod
 */
#include "storage/storage.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const TypeInfo TYPES[] = {
    {TYPE_BOOL, "bool", "boolean", 1, TYPCAT_BOOL, 0},
    {TYPE_INT2, "int2", "smallint", 2, TYPCAT_NUMERIC, 1},
    {TYPE_INT4, "int4", "integer", 4, TYPCAT_NUMERIC, 2},
    {TYPE_INT8, "int8", "bigint", 8, TYPCAT_NUMERIC, 3},
    {TYPE_NUMERIC, "numeric", "numeric", -1, TYPCAT_NUMERIC, 4},
    {TYPE_FLOAT4, "float4", "real", 4, TYPCAT_NUMERIC, 5},
    {TYPE_FLOAT8, "float8", "double precision", 8, TYPCAT_NUMERIC, 6},
    {TYPE_TEXT, "text", "text", -1, TYPCAT_STRING, 0},
    {TYPE_VARCHAR, "varchar", "character varying", -1, TYPCAT_STRING, 0},
    {TYPE_BPCHAR, "bpchar", "character", -1, TYPCAT_STRING, 0},
    {TYPE_UNKNOWN, "unknown", "unknown", -2, TYPCAT_UNKNOWN, 0},
    {TYPE_PG_LSN, "pg_lsn", "pg_lsn", 8, TYPCAT_USER, 0},
    {TYPE_VOID, "void", "void", 4, TYPCAT_USER, 0},
    {TYPE_TIMESTAMPTZ, "timestamptz", "timestamp with time zone", 8, TYPCAT_DATETIME, 0},
};

const TypeInfo *type_info(TypeId t) {
    for (size_t i = 0; i < ARRAY_LEN(TYPES); i++)
        if (TYPES[i].id == t) return &TYPES[i];
    return NULL;
}

const TypeInfo *type_by_name(const char *typname) {
    for (size_t i = 0; i < ARRAY_LEN(TYPES); i++)
        if (strcmp(TYPES[i].name, typname) == 0) return &TYPES[i];
    return NULL;
}

/* ---- text input ----------------------------------------------------------- */

static bool invalid_syntax(TypeId t, const char *s, size_t len, Error *err) {
    return error_set(err, SQLSTATE_INVALID_TEXT_REPRESENTATION, "invalid input syntax for type %s: \"%.*s\"",
                     type_info(t)->sql_name, (int)len, s);
}

static bool out_of_range(TypeId t, const char *s, size_t len, Error *err) {
    return error_set(err, SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "value \"%.*s\" is out of range for type %s", (int)len,
                     s, type_info(t)->sql_name);
}

static void trim(const char **s, size_t *len) {
    while (*len && isspace((unsigned char)**s)) (*s)++, (*len)--;
    while (*len && isspace((unsigned char)(*s)[*len - 1])) (*len)--;
}

static bool int_from_text(TypeId t, const char *s0, size_t len0, Value *out, Error *err) {
    const char *s = s0;
    size_t len = len0;
    trim(&s, &len);
    bool neg = false;
    size_t i = 0;
    if (i < len && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
    if (i == len) return invalid_syntax(t, s0, len0, err);
    uint64_t acc = 0;
    bool overflow = false;
    for (; i < len; i++) {
        if (!isdigit((unsigned char)s[i])) return invalid_syntax(t, s0, len0, err);
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
    trim(&s, &len);
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
    return invalid_syntax(TYPE_BOOL, s0, len0, err);
}

/* Parses a trimmed, NUL-terminated float8 text (PostgreSQL's float8in). */
static bool float8_parse(const char *buf, const char *s0, size_t len0, Value *out, Error *err) {
    const char *p = buf;
    bool neg = false;
    if (*p == '+' || *p == '-') neg = *p++ == '-';
    if (strcasecmp(p, "nan") == 0) {
        *out = value_float8(NAN);
        return true;
    }
    if (strcasecmp(p, "infinity") == 0 || strcasecmp(p, "inf") == 0) {
        *out = value_float8(neg ? -INFINITY : INFINITY);
        return true;
    }
    /* strtod would accept hex and "nan(...)"; PostgreSQL's syntax is decimal only. */
    for (const char *q = p; *q; q++)
        if (!isdigit((unsigned char)*q) && *q != '.' && *q != 'e' && *q != 'E' && *q != '+' && *q != '-')
            return invalid_syntax(TYPE_FLOAT8, s0, len0, err);
    char *end;
    errno = 0;
    double d = strtod(buf, &end);
    if (end == buf || *end) return invalid_syntax(TYPE_FLOAT8, s0, len0, err);
    if (errno == ERANGE && (d == HUGE_VAL || d == -HUGE_VAL || d == 0.0))
        return error_set(err, SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "\"%.*s\" is out of range for type double precision",
                         (int)len0, s0);
    *out = value_float8(d);
    return true;
}

static bool float8_from_text(const char *s0, size_t len0, Value *out, Error *err) {
    const char *s = s0;
    size_t len = len0;
    trim(&s, &len);
    if (len == 0) return invalid_syntax(TYPE_FLOAT8, s0, len0, err);
    char local[128];
    char *buf = len < sizeof local ? local : malloc(len + 1);
    if (!buf) abort();
    memcpy(buf, s, len);
    buf[len] = '\0';
    bool ok = float8_parse(buf, s0, len0, out, err);
    if (buf != local) free(buf);
    return ok;
}

/* NaN and the infinities, in numeric's spelling; false if s is none. */
static bool numeric_special(const char *s, size_t len, Value *out) {
    static const struct {
        const char *in, *out;
    } SPECIAL[] = {
        {"nan", "NaN"},      {"infinity", "Infinity"}, {"+infinity", "Infinity"}, {"-infinity", "-Infinity"},
        {"inf", "Infinity"}, {"+inf", "Infinity"},     {"-inf", "-Infinity"},
    };
    for (size_t i = 0; i < ARRAY_LEN(SPECIAL); i++) {
        if (strlen(SPECIAL[i].in) == len && strncasecmp(s, SPECIAL[i].in, len) == 0) {
            *out = value_string(TYPE_NUMERIC, SPECIAL[i].out, (uint32_t)strlen(SPECIAL[i].out));
            return true;
        }
    }
    return false;
}

/*
 * numeric values exist only as literals for now (their arithmetic comes
 * later), kept as text in PostgreSQL's canonical form, as numeric_in and
 * numeric_out would give it: no exponent, no leading zeros, and as many
 * fraction digits as the input had once its exponent is applied
 * (1e3 -> 1000, 1.50 -> 1.50, .5 -> 0.5, 1.5e-5 -> 0.000015).
 */
static bool numeric_from_text(const char *s0, size_t len0, Arena *arena, Value *out, Error *err) {
    const char *s = s0;
    size_t len = len0;
    trim(&s, &len);
    if (numeric_special(s, len, out)) return true;
    size_t i = 0;
    bool neg = false;
    if (i < len && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
    size_t int_start = i;
    while (i < len && isdigit((unsigned char)s[i])) i++;
    size_t nint = i - int_start, frac_start = i, nfrac = 0;
    if (i < len && s[i] == '.') {
        frac_start = ++i;
        while (i < len && isdigit((unsigned char)s[i])) i++;
        nfrac = i - frac_start;
    }
    long exp = 0;
    if (nint + nfrac && i < len && (s[i] == 'e' || s[i] == 'E')) {
        size_t e = ++i;
        if (e < len && (s[e] == '+' || s[e] == '-')) e++;
        if (e == len) return invalid_syntax(TYPE_NUMERIC, s0, len0, err);
        for (size_t k = e; k < len; k++) {
            if (!isdigit((unsigned char)s[k])) return invalid_syntax(TYPE_NUMERIC, s0, len0, err);
            if (exp < 1000000) exp = exp * 10 + (s[k] - '0');
        }
        if (s[i] == '-') exp = -exp;
        i = len;
    }
    if (!(nint + nfrac) || i != len) return invalid_syntax(TYPE_NUMERIC, s0, len0, err);
    long point = (long)nint + exp; /* the decimal point's place among the digits */
    long dscale = (long)nfrac - exp > 0 ? (long)nfrac - exp : 0;
    if (point > 131072 || dscale > 16383)
        return error_set(err, SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "value overflows numeric format");
    long ndigits = (long)(nint + nfrac);
    char *o = arena_alloc(arena, (size_t)((point > 0 ? point : 1) + dscale + 3)), *start = o;
    if (neg) *o++ = '-';
    char *int_part = o;
    bool nonzero = false;
    for (long k = 0; k < (point > 0 ? point : 0); k++) {
        char c = k < ndigits ? (k < (long)nint ? s[int_start + k] : s[frac_start + k - nint]) : '0';
        if (c == '0' && o == int_part) continue; /* a leading zero */
        *o++ = c;
        nonzero = true;
    }
    if (o == int_part) *o++ = '0';
    if (dscale > 0) *o++ = '.';
    for (long k = point; k < point + dscale; k++) {
        char c = k >= 0 && k < ndigits ? (k < (long)nint ? s[int_start + k] : s[frac_start + k - nint]) : '0';
        nonzero |= c != '0';
        *o++ = c;
    }
    if (neg && !nonzero) memmove(start, start + 1, (size_t)(--o - start)); /* -0.0 is 0.0 */
    *out = value_string(TYPE_NUMERIC, start, (uint32_t)(o - start));
    return true;
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
        return invalid_syntax(TYPE_PG_LSN, s, len, err);
    *out = value_int(TYPE_PG_LSN, (int64_t)((uint64_t)hi << 32 | lo));
    return true;
}

/* ---- timestamptz --------------------------------------------------------------
 * Microseconds since 2000-01-01 00:00:00 UTC, as PostgreSQL keeps them, the
 * proleptic Gregorian calendar on both sides of it; the extremes of int64
 * are 'infinity' and '-infinity'. Text is ISO (DateStyle ISO), always
 * shown in UTC: TimeZone is UTC until the data types issue brings named
 * zones. Input: YYYY-MM-DD[( |T)HH:MM[:SS[.frac]]][ ][zone][ BC], zone being
 * Z, UTC, GMT or an offset +HH[:MM[:SS]] / +HHMM; a missing zone is UTC. */
#define USECS_PER_DAY INT64_C(86400000000)
#define PG_EPOCH_DAYS 10957 /* 2000-01-01 in days since 1970-01-01 */
#define TS_INFINITY INT64_MAX
#define TS_MINUS_INFINITY INT64_MIN

/* Days since 1970-01-01 of a civil date (H. Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, int m, int d) {
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d) {
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int days_in_month(int64_t y, int m) {
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

static int timestamptz_to_text(int64_t ts, char *buf) {
    if (ts == TS_INFINITY) return sprintf(buf, "infinity");
    if (ts == TS_MINUS_INFINITY) return sprintf(buf, "-infinity");
    int64_t days = ts / USECS_PER_DAY, us = ts % USECS_PER_DAY;
    if (us < 0) us += USECS_PER_DAY, days--;
    int64_t y;
    int m, d;
    civil_from_days(days + PG_EPOCH_DAYS, &y, &m, &d);
    bool bc = y <= 0;
    int64_t secs = us / 1000000, frac = us % 1000000;
    int n = sprintf(buf, "%04lld-%02d-%02d %02d:%02d:%02d", (long long)(bc ? 1 - y : y), m, d, (int)(secs / 3600),
                    (int)(secs / 60 % 60), (int)(secs % 60));
    if (frac) {
        n += sprintf(buf + n, ".%06lld", (long long)frac);
        while (buf[n - 1] == '0') n--; /* PostgreSQL drops trailing zeros */
    }
    n += sprintf(buf + n, "+00");
    if (bc) n += sprintf(buf + n, " BC");
    return n;
}

/* Reads exactly `digits` digits (or 1..digits if !exact); -1 if none. */
static int64_t read_number(const char *s, size_t len, size_t *i, int digits, bool exact) {
    int64_t v = 0;
    int n = 0;
    while (*i < len && n < digits && s[*i] >= '0' && s[*i] <= '9') v = v * 10 + (s[(*i)++] - '0'), n++;
    return n == 0 || (exact && n != digits) ? -1 : v;
}

static bool skip_word(const char *s, size_t len, size_t *i, const char *w) {
    size_t n = strlen(w);
    if (len - *i < n || strncasecmp(s + *i, w, n) != 0) return false;
    *i += n;
    return true;
}

/* A zone after the time: Z, UTC, GMT, +HH[:MM[:SS]], +HHMM. Seconds east. */
static bool read_zone(const char *s, size_t len, size_t *i, int64_t *offset, bool *out_of_range) {
    *offset = 0;
    *out_of_range = false;
    if (skip_word(s, len, i, "UTC") || skip_word(s, len, i, "GMT") || skip_word(s, len, i, "Z")) return true;
    if (*i >= len || (s[*i] != '+' && s[*i] != '-')) return false;
    int sign = s[(*i)++] == '-' ? -1 : 1;
    int64_t h = read_number(s, len, i, 2, false), mi = 0, se = 0;
    if (h < 0) return false;
    if (*i < len && s[*i] == ':') {
        (*i)++;
        if ((mi = read_number(s, len, i, 2, true)) < 0) return false;
        if (*i < len && s[*i] == ':' && (++*i, (se = read_number(s, len, i, 2, true)) < 0)) return false;
    } else if (*i < len && s[*i] >= '0' && s[*i] <= '9') {
        if ((mi = read_number(s, len, i, 2, true)) < 0) return false;
    }
    *offset = sign * (h * 3600 + mi * 60 + se);
    *out_of_range = h > 15 || mi > 59 || se > 59;
    return true;
}

static bool timestamptz_bad(const char *s, size_t len, const char *sqlstate, Error *err) {
    if (strcmp(sqlstate, SQLSTATE_DATETIME_FIELD_OVERFLOW) == 0)
        return error_set(err, sqlstate, "date/time field value out of range: \"%.*s\"", (int)len, s);
    return error_set(err, sqlstate, "invalid input syntax for type timestamp with time zone: \"%.*s\"", (int)len, s);
}

static bool timestamptz_from_text(const char *s, size_t len, Value *out, Error *err) {
    size_t i = 0, end = len;
    while (i < end && isspace((unsigned char)s[i])) i++;
    while (end > i && isspace((unsigned char)s[end - 1])) end--;
    const char *bad = SQLSTATE_INVALID_DATETIME_FORMAT;
    if (end - i == 8 && strncasecmp(s + i, "infinity", 8) == 0)
        return *out = value_int(TYPE_TIMESTAMPTZ, TS_INFINITY), true;
    if (end - i == 9 && strncasecmp(s + i, "-infinity", 9) == 0)
        return *out = value_int(TYPE_TIMESTAMPTZ, TS_MINUS_INFINITY), true;
    if (end - i == 5 && strncasecmp(s + i, "epoch", 5) == 0)
        return *out = value_int(TYPE_TIMESTAMPTZ, -(int64_t)PG_EPOCH_DAYS * USECS_PER_DAY), true;
    int64_t y = read_number(s, end, &i, 7, false), mo = -1, d = -1, h = 0, mi = 0, se = 0, us = 0, offset = 0;
    if (y >= 0 && i < end && s[i] == '-' && (++i, (mo = read_number(s, end, &i, 2, false)) >= 0) && i < end &&
        s[i] == '-')
        ++i, d = read_number(s, end, &i, 2, false);
    if (y < 0 || mo < 0 || d < 0) return timestamptz_bad(s, len, bad, err);
    if (i < end && (s[i] == ' ' || s[i] == 'T' || s[i] == 't')) {
        size_t at = i++;
        while (i < end && s[i] == ' ') i++;
        if (i < end && s[i] >= '0' && s[i] <= '9') {
            if ((h = read_number(s, end, &i, 2, false)) < 0 || i >= end || s[i++] != ':' ||
                (mi = read_number(s, end, &i, 2, true)) < 0)
                return timestamptz_bad(s, len, bad, err);
            if (i < end && s[i] == ':') {
                i++;
                if ((se = read_number(s, end, &i, 2, true)) < 0) return timestamptz_bad(s, len, bad, err);
                if (i < end && s[i] == '.') {
                    size_t from = i++;
                    while (i < end && s[i] >= '0' && s[i] <= '9') i++;
                    if (i == from + 1 || i - from > 32) return timestamptz_bad(s, len, bad, err);
                    char frac[40];
                    snprintf(frac, sizeof frac, "0%.*s", (int)(i - from), s + from);
                    us = (int64_t)rint(strtod(frac, NULL) * 1e6); /* as PostgreSQL: half to even */
                }
            }
        } else {
            i = at;
        }
    }
    while (i < end && s[i] == ' ') i++;
    bool zone_range = false;
    if (i < end && !(end - i >= 2 && strncasecmp(s + i, "BC", 2) == 0) && !read_zone(s, end, &i, &offset, &zone_range))
        return timestamptz_bad(s, len, bad, err);
    while (i < end && s[i] == ' ') i++;
    bool bc = skip_word(s, end, &i, "BC");
    if (i != end) return timestamptz_bad(s, len, bad, err);
    if (zone_range)
        return error_set(err, SQLSTATE_INVALID_TIME_ZONE_DISPLACEMENT_VALUE,
                         "time zone displacement out of range: \"%.*s\"", (int)len, s);
    if (mo > 12) {
        timestamptz_bad(s, len, SQLSTATE_DATETIME_FIELD_OVERFLOW, err);
        return error_hint(err, "Perhaps you need a different \"datestyle\" setting."), false;
    }
    if (mo < 1 || d < 1 || y == 0 || d > days_in_month(bc ? 1 - y : y, (int)mo) || h > 24 || mi > 59 || se > 60 ||
        (h == 24 && (mi || se || us)))
        return timestamptz_bad(s, len, SQLSTATE_DATETIME_FIELD_OVERFLOW, err);
    int64_t days = days_from_civil(bc ? 1 - y : y, (int)mo, (int)d) - PG_EPOCH_DAYS;
    if (days > 106741034 || days < -2451545 - 1721060) /* PostgreSQL's range: 4713 BC .. 294276 AD */
        return error_set(err, SQLSTATE_DATETIME_VALUE_OUT_OF_RANGE, "timestamp out of range: \"%.*s\"", (int)len, s);
    int64_t secs = h * 3600 + mi * 60 + se - offset;
    *out = value_int(TYPE_TIMESTAMPTZ, days * USECS_PER_DAY + secs * 1000000 + us);
    return true;
}

bool value_from_text(TypeId t, const char *s, size_t len, Arena *arena, Value *out, Error *err) {
    switch (t) {
    case TYPE_INT2:
    case TYPE_INT4:
    case TYPE_INT8: return int_from_text(t, s, len, out, err);
    case TYPE_BOOL: return bool_from_text(s, len, out, err);
    case TYPE_FLOAT8:
    case TYPE_FLOAT4: return float8_from_text(s, len, out, err);
    case TYPE_NUMERIC: return numeric_from_text(s, len, arena, out, err);
    case TYPE_PG_LSN: return pg_lsn_from_text(s, len, out, err);
    case TYPE_TIMESTAMPTZ: return timestamptz_from_text(s, len, out, err);
    case TYPE_TEXT:
    case TYPE_VARCHAR:
    case TYPE_BPCHAR:
    case TYPE_UNKNOWN: *out = value_string(t, arena_strndup(arena, s, len), (uint32_t)len); return true;
    default: break;
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

/* ---- numeric's binary form (numeric_send / numeric_recv) -------------------
 *   Int16 ndigits, Int16 weight, Int16 sign (0x0000 +, 0x4000 -, 0xC000 NaN,
 *   0xD000 Infinity, 0xF000 -Infinity), Int16 dscale, then ndigits Int16
 *   base-10000 digits, the first worth 10000^weight; no leading or trailing
 *   zero digits, and zero has none. Here values are kept in PostgreSQL's
 *   canonical text ([-]digits[.digits], NaN, Infinity), which both
 *   directions go through. */
#define NUMERIC_NEG 0x4000
#define NUMERIC_NAN 0xC000
#define NUMERIC_PINF 0xD000
#define NUMERIC_NINF 0xF000
#define NUMERIC_MAX_DSCALE 0x3FFF

static bool numeric_binary_special(const char *s, uint32_t len, uint16_t *sign) {
    if (len == 3 && !memcmp(s, "NaN", 3)) return *sign = NUMERIC_NAN, true;
    if (len == 8 && !memcmp(s, "Infinity", 8)) return *sign = NUMERIC_PINF, true;
    if (len == 9 && !memcmp(s, "-Infinity", 9)) return *sign = NUMERIC_NINF, true;
    return false;
}

/* The base-10000 digit of the decimal digits d[0..n) that ends at end
 * (exclusive), reading zeros outside them. */
static int nbase_digit(const char *d, long n, long end) {
    int v = 0;
    for (long k = end - 4; k < end; k++) v = v * 10 + (k >= 0 && k < n ? d[k] - '0' : 0);
    return v;
}

/* Group k of the digits, counting from the most significant: the integer
 * part's igroups groups, then the fraction's. */
static int numeric_group(const char *d, long nint, const char *frac, long nfrac, long igroups, long k) {
    return k < igroups ? nbase_digit(d, nint, nint - (igroups - 1 - k) * 4)
                       : nbase_digit(frac, nfrac, (k - igroups + 1) * 4);
}

/* numeric_send into a buffer of its own (it may be longer than the
 * caller's), valid until the next call: one thread sends at a time. */
static size_t numeric_to_binary(const char *s, uint32_t len, char **out) {
    static char *buf;
    static size_t cap;
    size_t need = 8 + 2 * ((size_t)len / 4 + 2);
    if (need > cap) {
        char *p = realloc(buf, need);
        if (!p) abort();
        buf = p, cap = need;
    }
    *out = buf;
    uint16_t sign = 0;
    long ndigits = 0, weight = 0, dscale = 0;
    if (!numeric_binary_special(s, len, &sign)) {
        bool neg = len && s[0] == '-';
        const char *d = s + neg, *dot = memchr(d, '.', len - neg);
        long nint = dot ? dot - d : (long)len - neg, nfrac = dot ? (long)len - neg - nint - 1 : 0;
        long igroups = (nint + 3) / 4, total = igroups + (nfrac + 3) / 4, first = 0, last = total - 1;
        const char *frac = dot ? dot + 1 : "";
        dscale = nfrac;
        while (first < total && !numeric_group(d, nint, frac, nfrac, igroups, first)) first++;
        while (last >= first && !numeric_group(d, nint, frac, nfrac, igroups, last)) last--;
        if (first <= last) { /* zero has no digits, and no sign */
            ndigits = last - first + 1;
            weight = igroups - 1 - first;
            for (long k = 0; k < ndigits; k++)
                store_be(buf + 8 + 2 * k, (uint64_t)numeric_group(d, nint, frac, nfrac, igroups, first + k), 2);
            if (neg) sign = NUMERIC_NEG;
        }
    }
    store_be(buf, (uint64_t)(uint16_t)ndigits, 2);
    store_be(buf + 2, (uint64_t)(uint16_t)(int16_t)weight, 2);
    store_be(buf + 4, sign, 2);
    store_be(buf + 6, (uint64_t)(uint16_t)dscale, 2);
    return 8 + 2 * (size_t)ndigits;
}

static bool bad_numeric(const char *what, Error *err) {
    return error_set(err, SQLSTATE_INVALID_BINARY_REPRESENTATION, "invalid %s in external \"numeric\" value", what);
}

/* numeric_recv: the digits written out as canonical text, to dscale
 * fraction digits (digits beyond it are cut, as PostgreSQL truncates). */
static bool numeric_from_binary(const char *p, size_t len, Arena *arena, Value *out, Error *err) {
    if (len < 8) return error_set(err, SQLSTATE_INVALID_BINARY_REPRESENTATION, "insufficient data left in message");
    int ndigits = (int16_t)load_be(p, 2), weight = (int16_t)load_be(p + 2, 2);
    uint16_t sign = (uint16_t)load_be(p + 4, 2);
    int dscale = (int16_t)load_be(p + 6, 2);
    if (ndigits < 0 || len != 8 + 2 * (size_t)ndigits)
        return error_set(err, SQLSTATE_INVALID_BINARY_REPRESENTATION, "incorrect binary data format in bind parameter");
    if (sign == NUMERIC_NAN || sign == NUMERIC_PINF || sign == NUMERIC_NINF) {
        const char *t = sign == NUMERIC_NAN ? "NaN" : sign == NUMERIC_PINF ? "Infinity" : "-Infinity";
        *out = value_string(TYPE_NUMERIC, t, (uint32_t)strlen(t));
        return true;
    }
    if (sign != 0 && sign != NUMERIC_NEG) return bad_numeric("sign", err);
    if (dscale < 0 || dscale > NUMERIC_MAX_DSCALE) return bad_numeric("scale", err);
    int *g = arena_alloc(arena, (size_t)(ndigits + 1) * sizeof *g);
    for (int i = 0; i < ndigits; i++) {
        g[i] = (int16_t)load_be(p + 8 + 2 * i, 2);
        if (g[i] < 0 || g[i] >= 10000) return bad_numeric("digit", err);
    }
    int ngroups_int = weight >= 0 ? weight + 1 : 0;
    size_t cap = 2 + 4 * (size_t)ngroups_int + 2 + (size_t)dscale + 8;
    char *t = arena_alloc(arena, cap), *o = t;
    bool any = false;
    for (int k = 0; k < ngroups_int; k++) { /* group k is worth 10000^(weight - k) */
        int v = k < ndigits ? g[k] : 0;
        o += any ? sprintf(o, "%04d", v) : (v ? sprintf(o, "%d", v) : 0);
        any |= v != 0;
    }
    if (!any) *o++ = '0';
    if (dscale > 0) {
        *o++ = '.';
        for (int k = 0; k < dscale; k++) { /* fraction digit k sits in group weight + 1 + k / 4 */
            int gi = weight + 1 + k / 4, v = gi >= 0 && gi < ndigits ? g[gi] : 0;
            static const int POW[] = {1000, 100, 10, 1};
            *o++ = (char)('0' + v / POW[k % 4] % 10);
        }
    }
    *o = '\0';
    bool zero = true;
    for (const char *c = t; *c; c++) zero &= *c == '0' || *c == '.';
    if (sign == NUMERIC_NEG && !zero) {
        memmove(t + 1, t, (size_t)(o - t) + 1);
        t[0] = '-';
        o++;
    }
    *out = value_string(TYPE_NUMERIC, t, (uint32_t)(o - t));
    return true;
}

bool value_from_binary(TypeId t, const char *p, size_t len, Arena *arena, Value *out, Error *err) {
    size_t want = t == TYPE_INT2                                                                    ? 2
                  : t == TYPE_INT4                                                                  ? 4
                  : t == TYPE_INT8 || t == TYPE_FLOAT8 || t == TYPE_PG_LSN || t == TYPE_TIMESTAMPTZ ? 8
                  : t == TYPE_BOOL                                                                  ? 1
                                                                                                    : 0;
    if (want && len != want)
        return error_set(err, SQLSTATE_INVALID_BINARY_REPRESENTATION, "incorrect binary data format in bind parameter");
    switch (t) {
    case TYPE_INT2: *out = value_int(t, (int16_t)load_be(p, 2)); return true;
    case TYPE_INT4: *out = value_int(t, (int32_t)load_be(p, 4)); return true;
    case TYPE_INT8:
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
    case TYPE_TEXT:
    case TYPE_VARCHAR:
    case TYPE_BPCHAR:
    case TYPE_UNKNOWN: *out = value_string(t, arena_strndup(arena, p, len), (uint32_t)len); return true;
    case TYPE_NUMERIC: return numeric_from_binary(p, len, arena, out, err);
    default: break;
    }
    return error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED, "binary format for type %s is not supported",
                     type_info(t) ? type_info(t)->sql_name : "?");
}

bool value_has_binary(TypeId t) {
    return t == TYPE_INT2 || t == TYPE_INT4 || t == TYPE_INT8 || t == TYPE_BOOL || t == TYPE_FLOAT8 || t == TYPE_TEXT ||
           t == TYPE_VARCHAR || t == TYPE_BPCHAR || t == TYPE_PG_LSN || t == TYPE_TIMESTAMPTZ || t == TYPE_NUMERIC;
}

const char *value_to_binary(const Value *v, char *buf, int *len) {
    switch (v->type) {
    case TYPE_INT2:
        store_be(buf, (uint64_t)v->u.i, 2);
        *len = 2;
        return buf;
    case TYPE_INT4:
        store_be(buf, (uint64_t)v->u.i, 4);
        *len = 4;
        return buf;
    case TYPE_INT8:
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
    case TYPE_NUMERIC: { /* in a buffer of its own: it may be longer than buf */
        char *out;
        *len = (int)numeric_to_binary(v->u.s, v->len, &out);
        return out;
    }
    default: *len = (int)v->len; return v->u.s;
    }
}

/* ---- text output ----------------------------------------------------------- */

/* ---- exact comparison of a decimal with a binary midpoint ----------------
 * Big unsigned integers, little-endian 32-bit limbs: just enough arithmetic
 * (multiply by a small number, add, compare) to decide exactly whether a
 * decimal string equals the midpoint between two doubles. 128 limbs hold
 * 2^4096, more than 10^340 * 2^1076. */
typedef struct Big {
    uint32_t limb[128];
    int n;
} Big;

static void big_set(Big *b, uint64_t v) {
    b->n = 0;
    for (; v; v >>= 32) b->limb[b->n++] = (uint32_t)v;
}

static void big_mul(Big *b, uint32_t f) {
    uint64_t carry = 0;
    for (int i = 0; i < b->n; i++) {
        carry += (uint64_t)b->limb[i] * f;
        b->limb[i] = (uint32_t)carry;
        carry >>= 32;
    }
    if (carry) b->limb[b->n++] = (uint32_t)carry;
}

static void big_mul_pow(Big *b, uint32_t base, int exp) {
    uint32_t chunk = base == 2 ? 1u << 31 : 1000000000u; /* 2^31 or 10^9 */
    int step = base == 2 ? 31 : 9;
    for (; exp >= step; exp -= step) big_mul(b, chunk);
    while (exp-- > 0) big_mul(b, base);
}

static void big_add(Big *a, const Big *b) {
    uint64_t carry = 0;
    int n = a->n > b->n ? a->n : b->n;
    for (int i = 0; i < n; i++) {
        carry += (uint64_t)(i < a->n ? a->limb[i] : 0) + (i < b->n ? b->limb[i] : 0);
        a->limb[i] = (uint32_t)carry;
        carry >>= 32;
    }
    a->n = n;
    if (carry) a->limb[a->n++] = (uint32_t)carry;
}

static int big_cmp(const Big *a, const Big *b) {
    if (a->n != b->n) return a->n < b->n ? -1 : 1;
    for (int i = a->n - 1; i >= 0; i--)
        if (a->limb[i] != b->limb[i]) return a->limb[i] < b->limb[i] ? -1 : 1;
    return 0;
}

/* d > 0 as mant * 2^exp with mant < 2^53. */
static void split_double(double d, uint64_t *mant, int *exp) {
    int e;
    double f = frexp(d, &e);
    *mant = (uint64_t)ldexp(f, 53);
    *exp = e - 53;
}

/* Whether c * 10^x == (a + b) / 2 exactly, for positive finite a, b. */
static bool decimal_is_midpoint(uint64_t c, int x, double a, double b) {
    uint64_t ma, mb;
    int ea, eb;
    split_double(a, &ma, &ea);
    split_double(b, &mb, &eb);
    int k2 = -(ea < eb ? ea : eb), k10 = x < 0 ? -x : 0;
    if (k2 < 0) k2 = 0;
    Big lhs, rhs, part;
    big_set(&lhs, c); /* 2 * c * 10^(x + k10) * 2^k2 */
    big_mul_pow(&lhs, 10, x + k10);
    big_mul_pow(&lhs, 2, k2 + 1);
    big_set(&rhs, ma); /* (ma * 2^(ea + k2) + mb * 2^(eb + k2)) * 10^k10 */
    big_mul_pow(&rhs, 2, ea + k2);
    big_set(&part, mb);
    big_mul_pow(&part, 2, eb + k2);
    big_add(&rhs, &part);
    big_mul_pow(&rhs, 10, k10);
    return big_cmp(&lhs, &rhs) == 0;
}

/* Whether c * 10^x lies strictly between the midpoints to d's neighbours.
 * PostgreSQL's Ryu excludes the midpoints themselves (a decimal exactly
 * halfway reads back as d only by round-half-even), so such a string must
 * not be chosen even though strtod accepts it. */
static bool strictly_inside(double d, uint64_t c, int x) {
    double up = nextafter(d, INFINITY), down = nextafter(d, 0);
    if (!isinf(up) && decimal_is_midpoint(c, x, d, up)) return false;
    return down == 0 || !decimal_is_midpoint(c, x, down, d);
}

/* Whether m * 10^e reads back as d and lies strictly inside d's rounding
 * interval (see strictly_inside). */
/* False when c * 10^x surely is no midpoint between two doubles around a
 * normal d: a midpoint is an odd number of at least 53 bits times a power
 * of two, and c * 10^x is either not of that form or its odd part is
 * small. Spares the big-number check of nearly every candidate. */
static bool may_be_midpoint(double d, uint64_t c, int x) {
    if (!isnormal(d) || x > 27 || x < -27) return true;
    unsigned __int128 v = c;
    for (int i = 0; i < x; i++) v *= 5;
    for (int i = 0; i < -x; i++) {
        if (v % 5) return false; /* not a binary fraction at all */
        v /= 5;
    }
    while (v && !(v & 1)) v >>= 1;
    return v >= ((unsigned __int128)1 << 52);
}

static bool represents(double d, uint64_t m, int e) {
    char s[48];
    snprintf(s, sizeof s, "%llue%d", (unsigned long long)m, e);
    return strtod(s, NULL) == d && (!may_be_midpoint(d, m, e) || strictly_inside(d, m, e));
}

/*
 * The shortest decimal m * 10^e (m without trailing zeros) inside the
 * rounding interval of d > 0, as PostgreSQL's Ryu finds it. At each length
 * the correctly rounded digits come first; their neighbours one unit up or
 * down are tried too, because next to a power of two the interval is
 * lopsided and the correctly rounded candidate can fall outside it while a
 * neighbour of the same length does not.
 */
/* d correctly rounded to prec significant digits: m * 10^x. */
static void round_decimal(double d, int prec, uint64_t *m, int *x) {
    char e[40];
    snprintf(e, sizeof e, "%.*e", prec - 1, d);
    const char *p = e;
    *m = 0;
    for (; *p != 'e'; p++)
        if (*p != '.') *m = *m * 10 + (uint64_t)(*p - '0');
    *x = atoi(p + 1) - (prec - 1);
}

static void strip_zeros(uint64_t *m, int *x) {
    while (*m % 10 == 0) *m /= 10, (*x)++;
}

static void shortest_decimal(double d, uint64_t *mant, int *exp10) {
    /* Nearly every value has a representation of at most 15 digits, and then
     * it is the 15-digit rounding without its trailing zeros: a double is
     * within 2^-53 of it, closer than half a unit of the 15th digit (not so
     * a subnormal, whose precision is less). One rounding instead of one
     * per length. */
    round_decimal(d, 15, mant, exp10);
    if (isnormal(d) && represents(d, *mant, *exp10)) {
        strip_zeros(mant, exp10);
        return;
    }
    for (int prec = 1; prec <= 17; prec++) {
        uint64_t m;
        int x;
        round_decimal(d, prec, &m, &x);
        static const int64_t deltas[3] = {0, 1, -1};
        for (int i = 0; i < 3; i++) {
            uint64_t c = m + (uint64_t)deltas[i];
            if (c == 0 || !represents(d, c, x)) continue;
            strip_zeros(&c, &x);
            *mant = c;
            *exp10 = x;
            return;
        }
    }
    /* 17 digits always read back; not reached. */
    *mant = 0;
    *exp10 = 0;
}

/* PostgreSQL's float8out: the shortest decimal that reads back exactly, in
 * plain notation for decimal exponents -4..14, otherwise d.ddde[+-]XX. */
static int float8_to_text(double d, char *buf) {
    if (isnan(d)) return sprintf(buf, "NaN");
    if (isinf(d)) return sprintf(buf, d < 0 ? "-Infinity" : "Infinity");
    if (d == 0) return sprintf(buf, signbit(d) ? "-0" : "0");
    uint64_t m;
    int x;
    shortest_decimal(fabs(d), &m, &x);
    char digits[24];
    int nd = sprintf(digits, "%llu", (unsigned long long)m);
    int exp10 = x + nd - 1; /* the exponent of the first digit */
    char *o = buf;
    if (d < 0) *o++ = '-';
    if (exp10 < -4 || exp10 >= 15) {
        *o++ = digits[0];
        if (nd > 1) {
            *o++ = '.';
            memcpy(o, digits + 1, (size_t)nd - 1);
            o += nd - 1;
        }
        o += sprintf(o, "e%c%02d", exp10 < 0 ? '-' : '+', exp10 < 0 ? -exp10 : exp10);
    } else if (exp10 < 0) {
        *o++ = '0';
        *o++ = '.';
        for (int i = -1; i > exp10; i--) *o++ = '0';
        memcpy(o, digits, (size_t)nd);
        o += nd;
    } else {
        for (int i = 0; i <= exp10 || i < nd; i++) {
            if (i == exp10 + 1) *o++ = '.';
            *o++ = i < nd ? digits[i] : '0';
        }
    }
    *o = '\0';
    return (int)(o - buf);
}

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
    case TYPE_FLOAT4: *len = float8_to_text(v->u.f, buf); return buf;
    case TYPE_PG_LSN: /* pg_lsn_out: "%X/%X" */
        *len = sprintf(buf, "%X/%X", (unsigned)((uint64_t)v->u.i >> 32), (unsigned)(uint32_t)v->u.i);
        return buf;
    case TYPE_TIMESTAMPTZ: *len = timestamptz_to_text(v->u.i, buf); return buf;
    default: *len = (int)v->len; return v->u.s;
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
    case TYPE_INT8: return a->u.i < b->u.i ? -1 : a->u.i > b->u.i ? 1 : 0;
    case TYPE_PG_LSN: {
        uint64_t x = (uint64_t)a->u.i, y = (uint64_t)b->u.i;
        return x < y ? -1 : x > y ? 1 : 0;
    }
    case TYPE_BOOL: return (int)a->u.b - (int)b->u.b;
    case TYPE_FLOAT8:
    case TYPE_FLOAT4: return cmp_float8(a->u.f, b->u.f);
    default: return cmp_bytes(a, b);
    }
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
    case TYPE_PG_LSN: return hash_mix((uint64_t)v->u.i);
    case TYPE_BOOL: return hash_mix(v->u.b);
    case TYPE_FLOAT8:
    case TYPE_FLOAT4: {
        double d = v->u.f == 0 ? 0 : v->u.f; /* -0 and 0 are equal */
        uint64_t bits;
        memcpy(&bits, &d, sizeof bits);
        return hash_mix(bits);
    }
    default: return hash_bytes(v->u.s, v->len, 0);
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

bool value_apply_typmod(Value *v, int32_t typmod, bool is_explicit, Error *err) {
    if (v->isnull || typmod < 4 || (v->type != TYPE_VARCHAR && v->type != TYPE_BPCHAR)) return true;
    int maxlen = typmod - 4;
    int nchars = utf8_char_count(v->u.s, v->len);
    if (nchars <= maxlen) return true;
    size_t keep = utf8_prefix_bytes(v->u.s, v->len, maxlen);
    if (!is_explicit) {
        /* Trailing spaces beyond the limit are dropped silently, as in PostgreSQL. */
        for (size_t i = keep; i < v->len; i++)
            if (v->u.s[i] != ' ')
                return error_set(err, SQLSTATE_STRING_DATA_RIGHT_TRUNCATION, "value too long for type %s(%d)",
                                 type_info(v->type)->sql_name, maxlen);
    }
    v->len = (uint32_t)keep;
    return true;
}
