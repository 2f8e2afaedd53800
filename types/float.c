/*
 * float.c — float8 (and float4, held as a double) text input and output.
 *
 * Output follows PostgreSQL 15 exactly (float8 prints the shortest string
 * that reads back to the same double, switching to exponent form below 1e-4
 * and from 1e15 on), because clients and golden files compare text; with
 * extra_float_digits 0 or below, DBL_DIG + extra_float_digits digits.
 *
 * float4 is held as a double rounded to float; it reads with strtof and
 * prints the shortest string that reads back to the same float.
 *
 * INTERFACE (types-internal): types__float_from_text, types__float_to_text
 */
#include "types/types_int.h"

#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parses a trimmed, NUL-terminated float8 or float4 text (PostgreSQL's
 * float8in, float4in: strtod or strtof, decimal syntax only). */
static bool float_parse(TypeId t, const char *buf, const char *s0, size_t len0, Value *out, Error *err) {
    const char *p = buf;
    bool neg = false;
    if (*p == '+' || *p == '-') neg = *p++ == '-';
    if (strcasecmp(p, "nan") == 0) {
        *out = value_float(t, NAN);
        return true;
    }
    if (strcasecmp(p, "infinity") == 0 || strcasecmp(p, "inf") == 0) {
        *out = value_float(t, neg ? -INFINITY : INFINITY);
        return true;
    }
    /* strtod would accept hex and "nan(...)"; PostgreSQL's syntax is decimal only. */
    for (const char *q = p; *q; q++)
        if (!isdigit((unsigned char)*q) && *q != '.' && *q != 'e' && *q != 'E' && *q != '+' && *q != '-')
            return types__invalid_syntax(t, s0, len0, err);
    char *end;
    errno = 0;
    double d = t == TYPE_FLOAT4 ? (double)strtof(buf, &end) : strtod(buf, &end);
    if (end == buf || *end) return types__invalid_syntax(t, s0, len0, err);
    if (errno == ERANGE && (isinf(d) || d == 0.0))
        return error_set(err, SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "\"%.*s\" is out of range for type %s", (int)len0,
                         s0, type_info(t)->sql_name);
    *out = value_float(t, d);
    return true;
}

bool types__float_from_text(TypeId t, const char *s0, size_t len0, Value *out, Error *err) {
    const char *s = s0;
    size_t len = len0;
    types__trim(&s, &len);
    if (len == 0) return types__invalid_syntax(t, s0, len0, err);
    char local[128];
    char *buf = len < sizeof local ? local : malloc(len + 1);
    if (!buf) abort();
    memcpy(buf, s, len);
    buf[len] = '\0';
    bool ok = float_parse(t, buf, s0, len0, out, err);
    if (buf != local) free(buf);
    return ok;
}

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
static bool strictly_inside(double d, bool single, uint64_t c, int x) {
    double up = single ? nextafterf((float)d, INFINITY) : nextafter(d, INFINITY);
    double down = single ? nextafterf((float)d, 0) : nextafter(d, 0);
    if (!isinf(up) && decimal_is_midpoint(c, x, d, up)) return false;
    return down == 0 || !decimal_is_midpoint(c, x, down, d);
}

/* False when c * 10^x surely is no midpoint between two doubles around a
 * normal d: a midpoint is an odd number of at least 53 bits times a power
 * of two, and c * 10^x is either not of that form or its odd part is
 * small. Spares the big-number check of nearly every candidate. */
static bool may_be_midpoint(double d, bool single, uint64_t c, int x) {
    if (!(single ? isnormal((float)d) : isnormal(d)) || x > 27 || x < -27) return true;
    unsigned __int128 v = c;
    for (int i = 0; i < x; i++) v *= 5;
    for (int i = 0; i < -x; i++) {
        if (v % 5) return false; /* not a binary fraction at all */
        v /= 5;
    }
    while (v && !(v & 1)) v >>= 1;
    return v >= ((unsigned __int128)1 << (single ? 23 : 52));
}

/* Whether m * 10^e reads back as d (a float when single) and lies strictly
 * inside its rounding interval (see strictly_inside). */
static bool represents(double d, bool single, uint64_t m, int e) {
    char s[48];
    snprintf(s, sizeof s, "%llue%d", (unsigned long long)m, e);
    bool back = single ? (double)strtof(s, NULL) == d : strtod(s, NULL) == d;
    return back && (!may_be_midpoint(d, single, m, e) || strictly_inside(d, single, m, e));
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

static void shortest_decimal(double d, bool single, uint64_t *mant, int *exp10) {
    /* Nearly every value has a representation of at most 15 digits, and then
     * it is the 15-digit rounding without its trailing zeros: a double is
     * within 2^-53 of it, closer than half a unit of the 15th digit (not so
     * a subnormal, whose precision is less). One rounding instead of one
     * per length. */
    int sure = single ? 6 : 15; /* FLT_DIG, DBL_DIG: these many digits always read back */
    round_decimal(d, sure, mant, exp10);
    if ((single ? isnormal((float)d) : isnormal(d)) && represents(d, single, *mant, *exp10)) {
        strip_zeros(mant, exp10);
        return;
    }
    for (int prec = 1; prec <= (single ? 9 : 17); prec++) {
        uint64_t m;
        int x;
        round_decimal(d, prec, &m, &x);
        static const int64_t deltas[3] = {0, 1, -1};
        for (int i = 0; i < 3; i++) {
            uint64_t c = m + (uint64_t)deltas[i];
            if (c == 0 || !represents(d, single, c, x)) continue;
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

/* PostgreSQL's float8out and float4out: the shortest decimal that reads
 * back exactly, in plain notation for decimal exponents from -4 to below
 * DBL_DIG (FLT_DIG), otherwise d.ddde[+-]XX. */
int types__float_to_text(TypeId t, double d, char *buf) {
    if (isnan(d)) return sprintf(buf, "NaN");
    if (isinf(d)) return sprintf(buf, d < 0 ? "-Infinity" : "Infinity");
    bool single = t == TYPE_FLOAT4;
    int dig = single ? FLT_DIG : DBL_DIG;
    int extra = types__settings()->extra_float_digits;
    if (extra <= 0) { /* extra_float_digits of 0 and below: DIG + n significant digits, %g's form */
        int ndig = dig + extra;
        return sprintf(buf, "%.*g", ndig < 1 ? 1 : ndig, d);
    }
    if (d == 0) return sprintf(buf, signbit(d) ? "-0" : "0");
    uint64_t m;
    int x;
    shortest_decimal(fabs(d), single, &m, &x);
    char digits[24];
    int nd = sprintf(digits, "%llu", (unsigned long long)m);
    int exp10 = x + nd - 1; /* the exponent of the first digit */
    char *o = buf;
    if (d < 0) *o++ = '-';
    if (exp10 < -4 || exp10 >= dig) {
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
