/*
 * numeric.c — exact decimal numbers, PostgreSQL's numeric.
 *
 * Stored form. A numeric value (Value.u.s/len) is its canonical text, as
 * numeric_out writes it: [-]digits[.digits] with no leading zeros, exactly
 * dscale fraction digits, no sign on zero, or NaN, Infinity, -Infinity.
 * Output is then free, and comparison and hashing read the digits in place
 * (numeric_compare, numeric_hash) without converting anything.
 *
 * Arithmetic. Values are unpacked into NumVar: base-10000 digits with a
 * weight and a display scale (dscale), PostgreSQL's own representation. We
 * chose it over GMP because PostgreSQL's results are defined in its terms —
 * the scale of a quotient is chosen from the weights and first base-10000
 * digits of the operands (select_div_scale), rounding is half away from
 * zero at a decimal position, and the binary wire form (numeric_send) is
 * these very digits — so with NumVar each rule is one line, where GMP would
 * need conversions and scale bookkeeping around every call.
 *
 *   value = sign * sum(digits[i] * 10000^(weight - i)), 0 <= digit < 10000
 *
 * A NumVar is stripped (no leading or trailing zero digits; zero has none
 * and weight 0) whenever it leaves a function here.
 *
 * INTERFACE: numeric_from_text, numeric_to_binary, numeric_from_binary,
 *            numeric_compare, numeric_hash, numeric_arith, numeric_negate,
 *            numeric_abs, numeric_sign, numeric_round, numeric_from_int,
 *            numeric_to_int, numeric_from_float, numeric_to_float,
 *            numeric_typmod, numeric_apply_typmod
 */
#include "types/types_int.h"

#include <ctype.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NBASE 10000
#define DEC_DIGITS 4
#define MIN_SIG_DIGITS 16 /* a quotient keeps at least this many digits */
#define MAX_DISPLAY_SCALE 1000
#define MAX_WEIGHT 32767 /* base-10000 digits before the point: 131072 decimal digits */
#define MAX_DSCALE 0x3FFF
#define MAX_PRECISION 1000      /* numeric(p, s): 1 <= p <= 1000, -1000 <= s <= 1000 */
#define MAX_EXPONENT 1073741823 /* INT_MAX / 2: numeric_in's bound on an exponent */

/* Signs as numeric_send writes them. */
#define NUMERIC_POS 0x0000
#define NUMERIC_NEG 0x4000
#define NUMERIC_NAN 0xC000
#define NUMERIC_PINF 0xD000
#define NUMERIC_NINF 0xF000

typedef struct NumVar {
    int ndigits;
    int weight;
    int sign;
    int dscale;
    int32_t *digits; /* arena memory, or NULL when ndigits is 0 */
} NumVar;

static bool is_special(const NumVar *v) { return v->sign != NUMERIC_POS && v->sign != NUMERIC_NEG; }

static NumVar special(int sign) { return (NumVar){.sign = sign}; }

static bool overflows(Error *err) {
    return error_set(err, SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "value overflows numeric format");
}

/* Drops leading and trailing zero digits; zero becomes positive. */
static void strip(NumVar *v) {
    while (v->ndigits > 0 && v->digits[0] == 0) v->digits++, v->ndigits--, v->weight--;
    while (v->ndigits > 0 && v->digits[v->ndigits - 1] == 0) v->ndigits--;
    if (v->ndigits == 0) v->weight = 0, v->sign = NUMERIC_POS;
}

static NumVar alloc_var(Arena *arena, int ndigits, int weight, int sign, int dscale) {
    NumVar v = {.ndigits = ndigits, .weight = weight, .sign = sign, .dscale = dscale};
    v.digits = arena_zalloc(arena, (size_t)(ndigits + 1) * sizeof *v.digits);
    return v;
}

/* ---- text ------------------------------------------------------------------ */

static bool match_word(const char *s, size_t len, const char *word) {
    return strlen(word) == len && strncasecmp(s, word, len) == 0;
}

/* NaN and the infinities in any of numeric_in's spellings. */
static bool parse_special(const char *s, size_t len, NumVar *v) {
    if (match_word(s, len, "nan")) return *v = special(NUMERIC_NAN), true;
    bool neg = len && s[0] == '-', sign = len && (s[0] == '-' || s[0] == '+');
    if (match_word(s + sign, len - sign, "infinity") || match_word(s + sign, len - sign, "inf"))
        return *v = special(neg ? NUMERIC_NINF : NUMERIC_PINF), true;
    return false;
}

static bool bad_syntax(const char *s, size_t len, Error *err) {
    return error_set(err, SQLSTATE_INVALID_TEXT_REPRESENTATION, "invalid input syntax for type numeric: \"%.*s\"",
                     (int)len, s);
}

/* numeric_in: [+-]digits[.digits][e[+-]digits] or .digits..., spaces
 * around. What fits is what the storage format holds: up to 131072 digits
 * before the point and 16383 after. */
static bool parse_text(const char *s0, size_t len0, Arena *arena, NumVar *out, Error *err) {
    const char *s = s0;
    size_t len = len0;
    while (len && isspace((unsigned char)*s)) s++, len--;
    while (len && isspace((unsigned char)s[len - 1])) len--;
    if (parse_special(s, len, out)) return true;
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
    if (nint + nfrac == 0) return bad_syntax(s0, len0, err);
    long exp = 0;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        size_t e = ++i;
        if (e < len && (s[e] == '+' || s[e] == '-')) e++;
        if (e == len) return bad_syntax(s0, len0, err);
        for (size_t k = e; k < len; k++) {
            if (!isdigit((unsigned char)s[k])) return bad_syntax(s0, len0, err);
            if (exp < MAX_EXPONENT) exp = exp * 10 + (s[k] - '0');
        }
        if (exp >= MAX_EXPONENT) return overflows(err);
        if (s[i] == '-') exp = -exp;
        i = len;
    }
    if (i != len) return bad_syntax(s0, len0, err);
    /* Decimal digit k (of the nint + nfrac written) is worth 10^(point - 1 - k). */
    long ndec = (long)(nint + nfrac), point = (long)nint + exp;
    long dscale = (long)nfrac - exp > 0 ? (long)nfrac - exp : 0;
    long top = point - 1, bottom = point - ndec; /* powers of ten of the first and last digit */
    long wtop = top >= 0 ? top / 4 : -((-top + 3) / 4), wbottom = bottom >= 0 ? bottom / 4 : -((-bottom + 3) / 4);
    if (dscale > MAX_DSCALE) return overflows(err);
    NumVar v = alloc_var(arena, (int)(wtop - wbottom + 1), (int)wtop, neg ? NUMERIC_NEG : NUMERIC_POS, (int)dscale);
    for (long k = 0; k < ndec; k++) {
        char c = k < (long)nint ? s[int_start + k] : s[frac_start + k - (long)nint];
        long p = point - 1 - k, w = p >= 0 ? p / 4 : -((-p + 3) / 4);
        static const int POW10[] = {1, 10, 100, 1000};
        v.digits[wtop - w] += (c - '0') * POW10[p - w * 4];
    }
    strip(&v);
    if (v.ndigits && v.weight > MAX_WEIGHT) return overflows(err);
    *out = v;
    return true;
}

/* Canonical text, numeric_out's (get_str_from_var): the digits to dscale. */
static Value format_var(const NumVar *v, Arena *arena) {
    if (is_special(v)) {
        const char *t = v->sign == NUMERIC_NAN ? "NaN" : v->sign == NUMERIC_PINF ? "Infinity" : "-Infinity";
        return value_string(TYPE_NUMERIC, t, (uint32_t)strlen(t));
    }
    int igroups = v->weight >= 0 ? v->weight + 1 : 0;
    size_t cap = 3 + (size_t)igroups * DEC_DIGITS + (size_t)v->dscale + DEC_DIGITS;
    char *buf = arena_alloc(arena, cap), *o = buf;
    if (v->sign == NUMERIC_NEG && v->ndigits) *o++ = '-';
    bool any = false;
    for (int g = 0; g < igroups; g++) { /* digit g of the integer part is worth 10000^(weight - g) */
        int d = g < v->ndigits ? v->digits[g] : 0;
        o += any ? sprintf(o, "%04d", d) : d ? sprintf(o, "%d", d) : 0;
        any |= d != 0;
    }
    if (!any) *o++ = '0';
    if (v->dscale > 0) {
        *o++ = '.';
        for (int k = 0; k < v->dscale; k++) { /* fraction digit k lies in group weight + 1 + k / 4 */
            int gi = v->weight + 1 + k / DEC_DIGITS, d = gi >= 0 && gi < v->ndigits ? v->digits[gi] : 0;
            static const int DIV[] = {1000, 100, 10, 1};
            *o++ = (char)('0' + d / DIV[k % DEC_DIGITS] % 10);
        }
    }
    *o = '\0';
    return value_string(TYPE_NUMERIC, buf, (uint32_t)(o - buf));
}

bool numeric_from_text(const char *s, size_t len, Arena *arena, Value *out, Error *err) {
    NumVar v;
    if (!parse_text(s, len, arena, &v, err)) return false;
    *out = format_var(&v, arena);
    return true;
}

/* A stored numeric (canonical text) unpacked; it was made by this file. */
static NumVar unpack(const Value *v, Arena *arena) {
    NumVar n;
    Error err = {0};
    if (!parse_text(v->u.s, v->len, arena, &n, &err)) n = special(NUMERIC_NAN); /* not reached */
    return n;
}

/* ---- comparison and hashing on the stored text --------------------------------- */

/* The parts of canonical text: specials ranked -Infinity < finite < Infinity < NaN. */
typedef struct Digits {
    int rank; /* 0 -Infinity, 1 finite, 2 Infinity, 3 NaN */
    bool neg, zero;
    const char *ip, *fp; /* integer and fraction digits */
    size_t ni, nf;
} Digits;

static Digits split(const Value *v) {
    Digits d = {.rank = 1};
    const char *s = v->u.s;
    size_t len = v->len;
    if (len && (s[0] == 'N')) return d.rank = 3, d;
    if (len && (s[0] == 'I')) return d.rank = 2, d;
    if (len > 1 && s[0] == '-' && s[1] == 'I') return d.rank = 0, d;
    d.neg = len && s[0] == '-';
    d.ip = s + d.neg;
    const char *dot = memchr(d.ip, '.', len - d.neg);
    d.ni = dot ? (size_t)(dot - d.ip) : len - d.neg;
    d.fp = dot ? dot + 1 : "";
    d.nf = dot ? len - d.neg - d.ni - 1 : 0;
    while (d.nf && d.fp[d.nf - 1] == '0') d.nf--; /* 1.50 = 1.5 */
    d.zero = d.ni == 1 && d.ip[0] == '0' && d.nf == 0;
    return d;
}

static int compare_magnitude(const Digits *a, const Digits *b) {
    if (a->ni != b->ni) return a->ni < b->ni ? -1 : 1; /* no leading zeros: longer is larger */
    int c = memcmp(a->ip, b->ip, a->ni);
    if (c) return c < 0 ? -1 : 1;
    size_t n = a->nf < b->nf ? a->nf : b->nf;
    c = memcmp(a->fp, b->fp, n);
    if (c) return c < 0 ? -1 : 1;
    return a->nf < b->nf ? -1 : a->nf > b->nf ? 1 : 0; /* the longer has a nonzero digit more */
}

int numeric_compare(const Value *a, const Value *b) {
    Digits x = split(a), y = split(b);
    if (x.rank != y.rank) return x.rank < y.rank ? -1 : 1;
    if (x.rank != 1) return 0;
    int sx = x.zero ? 0 : x.neg ? -1 : 1, sy = y.zero ? 0 : y.neg ? -1 : 1;
    if (sx != sy) return sx < sy ? -1 : 1;
    if (sx == 0) return 0;
    int c = compare_magnitude(&x, &y);
    return sx < 0 ? -c : c;
}

/* Equal values hash alike: trailing fraction zeros (and a bare point) are not hashed. */
uint64_t numeric_hash(const Value *v) {
    Digits d = split(v);
    if (d.rank != 1) return hash_mix((uint64_t)d.rank + 17);
    uint64_t h = hash_bytes(d.ip, d.ni, d.neg);
    return d.nf ? hash_bytes(d.fp, d.nf, h) : h;
}

/* ---- binary form: numeric_send / numeric_recv ---------------------------------
 *   Int16 ndigits, Int16 weight, Int16 sign, Int16 dscale, then ndigits
 *   Int16 base-10000 digits: exactly a stripped NumVar. */

static uint64_t load_be16(const char *p) { return (uint64_t)((unsigned char)p[0] << 8 | (unsigned char)p[1]); }

static void store_be16(char *p, int v) {
    p[0] = (char)((unsigned)v >> 8);
    p[1] = (char)v;
}

size_t numeric_to_binary(const Value *v, char **out) {
    static char *buf; /* valid until the next call: one thread sends at a time */
    static size_t cap;
    static Arena arena; /* its first block is kept by arena_reset */
    static bool ready;
    if (!ready) arena_init(&arena, 4096), ready = true;
    NumVar n = unpack(v, &arena);
    size_t need = 8 + 2 * (size_t)n.ndigits;
    if (need > cap) {
        char *p = realloc(buf, need);
        if (!p) abort();
        buf = p, cap = need;
    }
    store_be16(buf, n.ndigits);
    store_be16(buf + 2, n.weight);
    store_be16(buf + 4, n.sign);
    store_be16(buf + 6, is_special(&n) ? 0 : n.dscale);
    for (int i = 0; i < n.ndigits; i++) store_be16(buf + 8 + 2 * i, n.digits[i]);
    arena_reset(&arena);
    *out = buf;
    return need;
}

static bool bad_binary(const char *what, Error *err) {
    return error_set(err, SQLSTATE_INVALID_BINARY_REPRESENTATION, "invalid %s in external \"numeric\" value", what);
}

/* numeric_recv: digits beyond dscale are cut (PostgreSQL rounds them away
 * by truncation too: its output shows dscale digits). */
bool numeric_from_binary(const char *p, size_t len, Arena *arena, Value *out, Error *err) {
    if (len < 8) return error_set(err, SQLSTATE_INVALID_BINARY_REPRESENTATION, "insufficient data left in message");
    int ndigits = (int16_t)load_be16(p), weight = (int16_t)load_be16(p + 2);
    int sign = (int)load_be16(p + 4), dscale = (int16_t)load_be16(p + 6);
    if (ndigits < 0 || len != 8 + 2 * (size_t)ndigits)
        return error_set(err, SQLSTATE_INVALID_BINARY_REPRESENTATION, "incorrect binary data format in bind parameter");
    if (sign == NUMERIC_NAN || sign == NUMERIC_PINF || sign == NUMERIC_NINF) {
        NumVar s = special(sign);
        *out = format_var(&s, arena);
        return true;
    }
    if (sign != NUMERIC_POS && sign != NUMERIC_NEG) return bad_binary("sign", err);
    if (dscale < 0 || dscale > MAX_DSCALE) return bad_binary("scale", err);
    NumVar v = alloc_var(arena, ndigits, weight, sign, dscale);
    for (int i = 0; i < ndigits; i++) {
        v.digits[i] = (int16_t)load_be16(p + 8 + 2 * i);
        if (v.digits[i] < 0 || v.digits[i] >= NBASE) return bad_binary("digit", err);
    }
    strip(&v);
    *out = format_var(&v, arena);
    return true;
}

/* ---- magnitudes ------------------------------------------------------------------ */

static int lowest_weight(const NumVar *v) { return v->weight - v->ndigits + 1; }

static int32_t digit_at(const NumVar *v, int w) { /* the digit worth 10000^w */
    int i = v->weight - w;
    return i >= 0 && i < v->ndigits ? v->digits[i] : 0;
}

static int cmp_abs(const NumVar *a, const NumVar *b) {
    if (!a->ndigits || !b->ndigits) return a->ndigits ? 1 : b->ndigits ? -1 : 0;
    if (a->weight != b->weight) return a->weight < b->weight ? -1 : 1;
    int lo = lowest_weight(a) < lowest_weight(b) ? lowest_weight(a) : lowest_weight(b);
    for (int w = a->weight; w >= lo; w--) {
        int32_t x = digit_at(a, w), y = digit_at(b, w);
        if (x != y) return x < y ? -1 : 1;
    }
    return 0;
}

/* |a| + |b| (subtract false) or |a| - |b| with |a| >= |b|, sign and dscale given. */
static NumVar add_abs(const NumVar *a, const NumVar *b, bool subtract, int sign, int dscale, Arena *arena) {
    int hi = (a->weight > b->weight ? a->weight : b->weight) + 1;
    int lo = a->ndigits ? lowest_weight(a) : 0;
    if (b->ndigits && lowest_weight(b) < lo) lo = lowest_weight(b);
    if (!a->ndigits && b->ndigits) lo = lowest_weight(b);
    NumVar r = alloc_var(arena, hi - lo + 1, hi, sign, dscale);
    int32_t carry = 0;
    for (int w = lo; w <= hi; w++) {
        int32_t d = digit_at(a, w) + (subtract ? -digit_at(b, w) : digit_at(b, w)) + carry;
        carry = d >= NBASE ? 1 : d < 0 ? -1 : 0;
        r.digits[hi - w] = d - carry * NBASE;
    }
    strip(&r);
    return r;
}

/* a + b, or a - b when negate_b, for finite values (add_var, sub_var). */
static NumVar add_var(const NumVar *a, const NumVar *b, bool negate_b, Arena *arena) {
    int bsign = negate_b ? (b->sign == NUMERIC_POS ? NUMERIC_NEG : NUMERIC_POS) : b->sign;
    int dscale = a->dscale > b->dscale ? a->dscale : b->dscale;
    if (a->sign == bsign) return add_abs(a, b, false, a->sign, dscale, arena);
    if (cmp_abs(a, b) >= 0) return add_abs(a, b, true, a->sign, dscale, arena);
    return add_abs(b, a, true, bsign, dscale, arena);
}

static NumVar mul_var(const NumVar *a, const NumVar *b, int dscale, Arena *arena) {
    int n = a->ndigits + b->ndigits;
    NumVar r = alloc_var(arena, n, a->weight + b->weight + 1, a->sign == b->sign ? NUMERIC_POS : NUMERIC_NEG, dscale);
    if (!a->ndigits || !b->ndigits) {
        strip(&r);
        return r;
    }
    int64_t *acc = arena_zalloc(arena, (size_t)n * sizeof *acc);
    for (int i = 0; i < a->ndigits; i++)
        for (int j = 0; j < b->ndigits; j++) acc[i + j + 1] += (int64_t)a->digits[i] * b->digits[j];
    int64_t carry = 0;
    for (int k = n - 1; k >= 0; k--) {
        int64_t d = acc[k] + carry;
        r.digits[k] = (int32_t)(d % NBASE);
        carry = d / NBASE;
    }
    strip(&r);
    return r;
}

/* Rounds (half away from zero) or truncates to `scale` decimal places, which
 * may be negative (round_var, trunc_var); dscale becomes max(scale, 0). */
static void round_var(NumVar *v, int scale, bool truncate, Arena *arena) {
    v->dscale = scale > 0 ? scale : 0;
    if (is_special(v) || !v->ndigits) return;
    long keep = (long)(v->weight + 1) * DEC_DIGITS + scale; /* decimal digits kept, counted from the top group */
    if (keep < 0) {
        v->ndigits = 0;
        strip(v);
        return;
    }
    int groups = (int)((keep + DEC_DIGITS - 1) / DEC_DIGITS), within = (int)(keep % DEC_DIGITS);
    if (groups > v->ndigits || (groups == v->ndigits && within == 0)) return; /* nothing below the place */
    /* Cut below the place; rounding up adds one unit at index `at` and carries. */
    bool up = false;
    int at = groups - 1;
    if (within == 0) {
        up = !truncate && v->digits[groups] >= NBASE / 2;
    } else {
        static const int32_t UNIT[] = {0, 1000, 100, 10};
        int32_t unit = UNIT[within], extra = v->digits[groups - 1] % unit;
        v->digits[groups - 1] -= extra;
        if (!truncate && extra >= unit / 2 && (v->digits[groups - 1] += unit) >= NBASE) {
            v->digits[groups - 1] -= NBASE;
            up = true;
            at = groups - 2;
        }
    }
    v->ndigits = groups;
    for (; up && at >= 0; at--) {
        if (++v->digits[at] < NBASE)
            up = false;
        else
            v->digits[at] = 0;
    }
    if (up) { /* the carry left the top digit: one more, worth 10000^(weight + 1) */
        int32_t *d = arena_zalloc(arena, (size_t)(v->ndigits + 2) * sizeof *d);
        d[0] = 1;
        memcpy(d + 1, v->digits, (size_t)v->ndigits * sizeof *d);
        v->digits = d;
        v->ndigits++;
        v->weight++;
    }
    strip(v);
}

/* ---- division ------------------------------------------------------------------------
 * Long division of big integers in base 10000, little-endian: exact, so a
 * quotient truncated one decimal place below the result scale, then rounded,
 * is correctly rounded half away from zero, as div_var's is. */

typedef struct Big {
    int32_t *d; /* little-endian base-10000 digits */
    int n;
} Big;

static void big_trim(Big *b) {
    while (b->n > 0 && b->d[b->n - 1] == 0) b->n--;
}

static int big_cmp(const Big *a, const Big *b) {
    if (a->n != b->n) return a->n < b->n ? -1 : 1;
    for (int i = a->n - 1; i >= 0; i--)
        if (a->d[i] != b->d[i]) return a->d[i] < b->d[i] ? -1 : 1;
    return 0;
}

/* out = b * q, out having room for b->n + 1 digits. */
static void big_mul_small(const Big *b, int32_t q, Big *out) {
    int64_t carry = 0;
    for (int i = 0; i < b->n; i++) {
        int64_t t = (int64_t)b->d[i] * q + carry;
        out->d[i] = (int32_t)(t % NBASE);
        carry = t / NBASE;
    }
    out->n = b->n;
    if (carry) out->d[out->n++] = (int32_t)carry;
    big_trim(out);
}

static void big_sub(Big *a, const Big *b) { /* a -= b, a >= b */
    int32_t borrow = 0;
    for (int i = 0; i < a->n; i++) {
        int32_t t = a->d[i] - (i < b->n ? b->d[i] : 0) - borrow;
        borrow = t < 0;
        a->d[i] = t + (borrow ? NBASE : 0);
    }
    big_trim(a);
}

/* The magnitude of v times 10^shift (shift >= 0 decimal places) as an integer,
 * given v's digits from weight `lo` up. */
static Big big_from_var(const NumVar *v, int lo, int shift, Arena *arena) {
    int n = v->weight - lo + 1 + shift / DEC_DIGITS + 2;
    Big b = {arena_zalloc(arena, (size_t)(n > 0 ? n : 1) * sizeof(int32_t)), 0};
    static const int32_t POW10[] = {1, 10, 100, 1000};
    int64_t mult = POW10[shift % DEC_DIGITS], carry = 0;
    int at = shift / DEC_DIGITS;
    for (int w = lo; w <= v->weight; w++) {
        int64_t t = (int64_t)digit_at(v, w) * mult + carry;
        b.d[at + (w - lo)] = (int32_t)(t % NBASE);
        carry = t / NBASE;
    }
    b.n = at + (v->weight - lo + 1);
    if (carry) b.d[b.n++] = (int32_t)carry;
    big_trim(&b);
    return b;
}

/* A Big as an integral NumVar. */
static NumVar var_from_big(const Big *b, int sign, Arena *arena) {
    NumVar v = alloc_var(arena, b->n, b->n - 1, sign, 0);
    for (int i = 0; i < b->n; i++) v.digits[i] = b->d[b->n - 1 - i];
    return v;
}

/* The value of b * 10^-k (k > 0): b padded to whole base-10000 digits below the point. */
static NumVar var_from_scaled(const Big *b, int k, int sign, Arena *arena) {
    int groups = (k + DEC_DIGITS - 1) / DEC_DIGITS;
    NumVar r = var_from_big(b, sign, arena);
    if (groups * DEC_DIGITS != k) {
        Big padded = big_from_var(&r, 0, groups * DEC_DIGITS - k, arena);
        r = var_from_big(&padded, sign, arena);
    }
    r.weight -= groups;
    return r;
}

/* The leading value of x as a double, in units of 10000^(x.n - 1). */
static double big_top(const Big *x) {
    double v = 0, scale = 1;
    for (int i = x->n - 1; i >= 0 && i >= x->n - 3; i--, scale /= NBASE) v += x->d[i] * scale;
    return v;
}

/* floor(a / b), b nonzero: schoolbook long division from the top, each
 * quotient digit estimated from the leading digits (in doubles) and then
 * corrected, so it is exact. */
static Big big_div(const Big *a, const Big *b, Arena *arena) {
    Big q = {arena_zalloc(arena, (size_t)(a->n + 1) * sizeof(int32_t)), a->n};
    Big r = {arena_zalloc(arena, (size_t)(b->n + 2) * sizeof(int32_t)), 0};
    Big t = {arena_zalloc(arena, (size_t)(b->n + 2) * sizeof(int32_t)), 0};
    double btop = big_top(b);
    for (int i = a->n - 1; i >= 0; i--) {
        memmove(r.d + 1, r.d, (size_t)r.n * sizeof *r.d); /* r = r * 10000 + a[i] */
        r.d[0] = a->d[i];
        r.n++;
        big_trim(&r);
        int32_t digit = 0;
        if (big_cmp(&r, b) >= 0) {
            double est = big_top(&r) / btop * (r.n > b->n ? NBASE : 1);
            digit = est >= NBASE - 1 ? NBASE - 1 : est < 1 ? 1 : (int32_t)est;
            big_mul_small(b, digit, &t);
            while (big_cmp(&t, &r) > 0) big_mul_small(b, --digit, &t);
            big_sub(&r, &t);
            while (big_cmp(&r, b) >= 0) big_sub(&r, b), digit++;
        }
        q.d[i] = digit;
    }
    big_trim(&q);
    return q;
}

static NumVar div_var(const NumVar *a, const NumVar *b, int scale, bool truncate, Arena *arena) {
    int sign = a->sign == b->sign ? NUMERIC_POS : NUMERIC_NEG;
    if (!a->ndigits) {
        NumVar z = {.sign = NUMERIC_POS, .dscale = scale > 0 ? scale : 0};
        return z;
    }
    /* |a| / |b| * 10^k with k = scale + 1 digits: with A, B the digit
     * strings as integers, a = A * 10000^la, b = B * 10000^lb, the quotient is
     * A * 10^e / B for e = 4 (la - lb) + k (moved to B when negative). */
    int k = scale + 1, la = lowest_weight(a), lb = lowest_weight(b);
    long e = 4L * (la - lb) + k;
    Big A = big_from_var(a, la, e > 0 ? (int)e : 0, arena);
    Big B = big_from_var(b, lb, e < 0 ? (int)-e : 0, arena);
    Big Q = big_div(&A, &B, arena);
    NumVar r = var_from_scaled(&Q, k, sign, arena);
    strip(&r);
    r.sign = r.ndigits ? sign : NUMERIC_POS;
    round_var(&r, scale, truncate, arena);
    return r;
}

/* The scale of a quotient (select_div_scale): at least 16 significant
 * digits, at least either operand's scale, at most 1000. */
static int div_scale(const NumVar *a, const NumVar *b) {
    int w1 = a->ndigits ? a->weight : 0, w2 = b->ndigits ? b->weight : 0;
    int f1 = a->ndigits ? a->digits[0] : 0, f2 = b->ndigits ? b->digits[0] : 0;
    int qweight = w1 - w2 - (f1 <= f2);
    int scale = MIN_SIG_DIGITS - qweight * DEC_DIGITS;
    if (scale < a->dscale) scale = a->dscale;
    if (scale < b->dscale) scale = b->dscale;
    if (scale < 0) scale = 0;
    return scale > MAX_DISPLAY_SCALE ? MAX_DISPLAY_SCALE : scale;
}

static void big_add(Big *a, const Big *b) { /* a += b, a having room for one more digit */
    int32_t carry = 0;
    int n = a->n > b->n ? a->n : b->n;
    for (int i = 0; i < n; i++) {
        int32_t t = (i < a->n ? a->d[i] : 0) + (i < b->n ? b->d[i] : 0) + carry;
        carry = t >= NBASE;
        a->d[i] = t - (carry ? NBASE : 0);
    }
    a->n = n;
    if (carry) a->d[a->n++] = 1;
}

static void big_half(Big *a) {
    int32_t rem = 0;
    for (int i = a->n - 1; i >= 0; i--) {
        int32_t t = rem * NBASE + a->d[i];
        a->d[i] = t / 2;
        rem = t % 2;
    }
    big_trim(a);
}

/* floor(sqrt(n)) by Newton's iteration from above. */
static Big big_sqrt(const Big *n, Arena *arena) {
    int cap = n->n + 2;
    Big x = {arena_zalloc(arena, (size_t)cap * sizeof(int32_t)), (n->n + 1) / 2 + 1};
    x.d[x.n - 1] = 1; /* 10000^ceil(n/2) >= sqrt(n) */
    if (!n->n) return (Big){x.d, 0};
    if (n->n >= 4) { /* start near the root, from above: sqrt of the leading digits (j of them below, j even) */
        int j = (n->n - 4) % 2 ? n->n - 3 : n->n - 4;
        double top = 0;
        for (int i = n->n - 1; i >= j; i--) top = top * NBASE + n->d[i];
        uint64_t est = (uint64_t)(sqrt(top) * (1 + 1e-9)) + 2;
        memset(x.d, 0, (size_t)cap * sizeof(int32_t));
        x.n = j / 2;
        for (; est; est /= NBASE) x.d[x.n++] = (int32_t)(est % NBASE);
    }
    for (;;) {
        Big q = big_div(n, &x, arena), y = {arena_zalloc(arena, (size_t)cap * sizeof(int32_t)), q.n};
        memcpy(y.d, q.d, (size_t)q.n * sizeof *y.d);
        big_add(&y, &x);
        big_half(&y);
        if (big_cmp(&y, &x) >= 0) return x;
        x = y;
    }
}

/* ---- operators ------------------------------------------------------------------------ */

static bool division_by_zero(Error *err) { return error_set(err, SQLSTATE_DIVISION_BY_ZERO, "division by zero"); }

static int inf_sign(const NumVar *v) { return v->sign == NUMERIC_PINF ? 1 : v->sign == NUMERIC_NINF ? -1 : 0; }

/* -1, 0 or 1 for a finite or infinite value (not NaN). */
static int sign_of(const NumVar *v) {
    if (is_special(v)) return inf_sign(v);
    return !v->ndigits ? 0 : v->sign == NUMERIC_NEG ? -1 : 1;
}

static NumVar infinity(int sign) { return special(sign > 0 ? NUMERIC_PINF : NUMERIC_NINF); }

/* PostgreSQL 14's rules for NaN and the infinities; false if neither
 * operand is special. */
static bool special_arith(NumericOp op, const NumVar *a, const NumVar *b, NumVar *r, Error *err, bool *ok) {
    *ok = true;
    if (!is_special(a) && !is_special(b)) return false;
    if (a->sign == NUMERIC_NAN || b->sign == NUMERIC_NAN) return *r = special(NUMERIC_NAN), true;
    int sa = sign_of(a), sb = sign_of(b), ia = inf_sign(a), ib = inf_sign(b);
    switch (op) {
    case NUMERIC_ADD: *r = ia && ib && ia != ib ? special(NUMERIC_NAN) : infinity(ia ? ia : ib); break;
    case NUMERIC_SUB: *r = ia && ib && ia == ib ? special(NUMERIC_NAN) : infinity(ia ? ia : -ib); break;
    case NUMERIC_MUL: *r = sa * sb == 0 ? special(NUMERIC_NAN) : infinity(sa * sb); break;
    case NUMERIC_DIV:
    case NUMERIC_DIV_TRUNC:
        if (sb == 0) return *ok = division_by_zero(err), true;
        if (ia && ib)
            *r = special(NUMERIC_NAN);
        else if (ib)
            *r = (NumVar){.sign = NUMERIC_POS}; /* finite / infinity = 0 */
        else
            *r = infinity(sa * sb);
        break;
    case NUMERIC_MOD:
        if (sb == 0) return *ok = division_by_zero(err), true;
        if (ia)
            *r = special(NUMERIC_NAN);
        else
            *r = *a; /* finite % infinity = the finite value */
        break;
    }
    return true;
}

bool numeric_arith(NumericOp op, const Value *x, const Value *y, Arena *arena, Value *out, Error *err) {
    NumVar a = unpack(x, arena), b = unpack(y, arena), r;
    bool ok;
    if (special_arith(op, &a, &b, &r, err, &ok)) {
        if (ok) *out = format_var(&r, arena);
        return ok;
    }
    switch (op) {
    case NUMERIC_ADD:
    case NUMERIC_SUB: r = add_var(&a, &b, op == NUMERIC_SUB, arena); break;
    case NUMERIC_MUL:
        /* Exact: the scales add up; beyond what numeric holds, rounded. */
        r = mul_var(&a, &b, a.dscale + b.dscale, arena);
        if (r.dscale > MAX_DSCALE) round_var(&r, MAX_DSCALE, false, arena);
        break;
    case NUMERIC_DIV:
        if (!b.ndigits) return division_by_zero(err);
        r = div_var(&a, &b, div_scale(&a, &b), false, arena);
        break;
    case NUMERIC_DIV_TRUNC: /* div(a, b): the integer part of the quotient */
        if (!b.ndigits) return division_by_zero(err);
        r = div_var(&a, &b, 0, true, arena);
        break;
    case NUMERIC_MOD: { /* a - trunc(a / b) * b */
        if (!b.ndigits) return division_by_zero(err);
        NumVar q = div_var(&a, &b, 0, true, arena);
        NumVar p = mul_var(&b, &q, b.dscale, arena);
        r = add_var(&a, &p, true, arena);
        break;
    }
    }
    if (r.ndigits && r.weight > MAX_WEIGHT) return overflows(err);
    *out = format_var(&r, arena);
    return true;
}

/* sqrt with PostgreSQL's result scale: at least 16 significant digits and
 * the operand's scale, correctly rounded (numeric_sqrt). */
bool numeric_sqrt(const Value *x, Arena *arena, Value *out, Error *err) {
    NumVar a = unpack(x, arena);
    if (a.sign == NUMERIC_NEG || a.sign == NUMERIC_NINF)
        return error_set(err, SQLSTATE_INVALID_ARGUMENT_FOR_POWER_FUNCTION,
                         "cannot take square root of a negative number");
    if (is_special(&a)) {
        *out = format_var(&a, arena);
        return true;
    }
    int sweight = (a.weight + 1) * DEC_DIGITS / 2 - 1;
    int scale = MIN_SIG_DIGITS - sweight;
    if (scale < a.dscale) scale = a.dscale;
    if (scale < 0) scale = 0;
    if (scale > MAX_DISPLAY_SCALE) scale = MAX_DISPLAY_SCALE;
    /* floor(sqrt(a * 10^2k)) with k = scale + 1 is sqrt(a) truncated to k places. */
    int k = scale + 1, lo = a.ndigits ? lowest_weight(&a) : 0;
    long e = 4L * lo + 2L * k;
    Big n = big_from_var(&a, lo, e > 0 ? (int)e : 0, arena);
    if (e < 0) {
        NumVar one = alloc_var(arena, 1, 0, NUMERIC_POS, 0);
        one.digits[0] = 1;
        Big divisor = big_from_var(&one, 0, (int)-e, arena);
        n = big_div(&n, &divisor, arena);
    }
    Big root = big_sqrt(&n, arena);
    NumVar r = var_from_scaled(&root, k, NUMERIC_POS, arena);
    strip(&r);
    round_var(&r, scale, false, arena);
    *out = format_var(&r, arena);
    return true;
}

void numeric_negate(const Value *x, Arena *arena, Value *out) {
    NumVar v = unpack(x, arena);
    if (v.sign == NUMERIC_PINF)
        v.sign = NUMERIC_NINF;
    else if (v.sign == NUMERIC_NINF)
        v.sign = NUMERIC_PINF;
    else if (v.sign != NUMERIC_NAN && v.ndigits)
        v.sign = v.sign == NUMERIC_POS ? NUMERIC_NEG : NUMERIC_POS;
    *out = format_var(&v, arena);
}

void numeric_abs(const Value *x, Arena *arena, Value *out) {
    NumVar v = unpack(x, arena);
    if (v.sign == NUMERIC_NINF)
        v.sign = NUMERIC_PINF;
    else if (v.sign == NUMERIC_NEG)
        v.sign = NUMERIC_POS;
    *out = format_var(&v, arena);
}

void numeric_sign(const Value *x, Arena *arena, Value *out) {
    NumVar v = unpack(x, arena);
    if (v.sign == NUMERIC_NAN) {
        *out = format_var(&v, arena);
        return;
    }
    int s = sign_of(&v);
    *out = value_string(TYPE_NUMERIC, s < 0 ? "-1" : s > 0 ? "1" : "0", s < 0 ? 2 : 1);
}

bool numeric_round(NumericRounding how, const Value *x, int scale, Arena *arena, Value *out) {
    NumVar v = unpack(x, arena);
    if (is_special(&v)) {
        *out = format_var(&v, arena);
        return true;
    }
    if (how == NUMERIC_CEIL || how == NUMERIC_FLOOR) {
        NumVar t = v;
        round_var(&t, 0, true, arena);
        bool up = how == NUMERIC_CEIL ? v.sign == NUMERIC_POS : v.sign == NUMERIC_NEG;
        if (up && cmp_abs(&t, &v) != 0) {
            NumVar one = alloc_var(arena, 1, 0, v.sign, 0);
            one.digits[0] = 1;
            t = add_var(&t, &one, false, arena);
        }
        *out = format_var(&t, arena);
        return true;
    }
    /* PostgreSQL's limits: what numeric holds, with a digit to spare before the point */
    if (scale > MAX_DSCALE) scale = MAX_DSCALE;
    if (scale < -(MAX_WEIGHT + 1) * DEC_DIGITS - 1) scale = -(MAX_WEIGHT + 1) * DEC_DIGITS - 1;
    round_var(&v, scale, how == NUMERIC_TRUNC, arena);
    *out = format_var(&v, arena);
    return true;
}

/* ---- casts -------------------------------------------------------------------------- */

void numeric_from_int(int64_t i, Arena *arena, Value *out) {
    char buf[24];
    int n = snprintf(buf, sizeof buf, "%lld", (long long)i);
    *out = value_string(TYPE_NUMERIC, arena_strndup(arena, buf, (size_t)n), (uint32_t)n);
}

/* numeric → int2/int4/int8: rounded half away from zero. */
bool numeric_to_int(const Value *x, TypeId to, Arena *arena, int64_t *out, Error *err) {
    NumVar v = unpack(x, arena);
    const char *name = type_info(to)->sql_name;
    if (is_special(&v))
        return error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED, "cannot convert %s to %s",
                         v.sign == NUMERIC_NAN ? "NaN" : "infinity", name);
    round_var(&v, 0, false, arena);
    int64_t lim = to == TYPE_INT2 ? INT16_MAX : to == TYPE_INT4 ? INT32_MAX : INT64_MAX;
    uint64_t mag = 0;
    bool over = v.weight > 4;
    for (int w = v.weight; !over && w >= 0 && v.ndigits; w--) {
        over = mag > (UINT64_MAX - NBASE) / NBASE;
        mag = mag * NBASE + (uint64_t)digit_at(&v, w);
    }
    if (over || mag > (uint64_t)lim + (v.sign == NUMERIC_NEG))
        return error_set(err, SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "%s out of range", name);
    *out = v.sign == NUMERIC_NEG ? (int64_t)(0 - mag) : (int64_t)mag;
    return true;
}

/* float4/float8 → numeric: PostgreSQL writes the float with FLT_DIG or
 * DBL_DIG significant digits and reads that back. */
bool numeric_from_float(double d, TypeId from, Arena *arena, Value *out, Error *err) {
    if (isnan(d) || isinf(d)) {
        NumVar s = special(isnan(d) ? NUMERIC_NAN : d > 0 ? NUMERIC_PINF : NUMERIC_NINF);
        *out = format_var(&s, arena);
        return true;
    }
    char buf[64];
    int n = snprintf(buf, sizeof buf, "%.*g", from == TYPE_FLOAT4 ? FLT_DIG : DBL_DIG, d);
    return numeric_from_text(buf, (size_t)n, arena, out, err);
}

/* numeric → float4/float8 through the text, as PostgreSQL does (with its errors). */
bool numeric_to_float(const Value *x, TypeId to, Arena *arena, Value *out, Error *err) {
    Digits d = split(x);
    if (d.rank != 1) {
        *out = value_float8(d.rank == 3 ? NAN : d.rank == 2 ? INFINITY : -INFINITY);
        out->type = to;
        return true;
    }
    return value_from_text(to, x->u.s, x->len, arena, out, err);
}

/* ---- typmods: numeric(precision, scale) --------------------------------------------------
 * PostgreSQL's encoding: ((precision << 16) | (scale & 0x7ff)) + 4, the
 * scale an 11-bit two's complement number. */

bool numeric_typmod(int nmods, const int *mods, int32_t *typmod, Error *err) {
    if (nmods < 1 || nmods > 2)
        return error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "invalid NUMERIC type modifier");
    int precision = mods[0], scale = nmods == 2 ? mods[1] : 0;
    if (precision < 1 || precision > MAX_PRECISION)
        return error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "NUMERIC precision %d must be between 1 and %d",
                         precision, MAX_PRECISION);
    if (scale < -MAX_PRECISION || scale > MAX_PRECISION)
        return error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "NUMERIC scale %d must be between %d and %d", scale,
                         -MAX_PRECISION, MAX_PRECISION);
    *typmod = (int32_t)(((uint32_t)precision << 16) | ((uint32_t)scale & 0x7ff)) + 4;
    return true;
}

void numeric_typmod_parts(int32_t typmod, int *precision, int *scale) {
    *precision = ((typmod - 4) >> 16) & 0xffff;
    *scale = (((typmod - 4) & 0x7ff) ^ 1024) - 1024;
}

/* Rounds to the scale and checks the digits left of the point fit
 * precision - scale (apply_typmod). */
bool numeric_apply_typmod(Value *x, int32_t typmod, Arena *arena, Error *err) {
    if (typmod < 4) return true;
    int precision, scale;
    numeric_typmod_parts(typmod, &precision, &scale);
    NumVar v = unpack(x, arena);
    if (v.sign == NUMERIC_NAN) return true;
    if (is_special(&v)) {
        error_set(err, SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "numeric field overflow");
        return error_detail(err, "A field with precision %d, scale %d cannot hold an infinite value.", precision,
                            scale),
               false;
    }
    round_var(&v, scale, false, arena);
    int maxdigits = precision - scale;
    if (v.ndigits) {
        int top = v.digits[0], ddigits = (v.weight + 1) * DEC_DIGITS;
        ddigits -= top < 10 ? 3 : top < 100 ? 2 : top < 1000 ? 1 : 0;
        if (ddigits > maxdigits) {
            error_set(err, SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "numeric field overflow");
            error_detail(err, "A field with precision %d, scale %d must round to an absolute value less than %s%d.",
                         precision, scale, maxdigits ? "10^" : "", maxdigits ? maxdigits : 1);
            return false;
        }
    }
    *x = format_var(&v, arena);
    return true;
}

/* ---- exp, ln, log and power ----------------------------------------------------------
 * PostgreSQL's result scales (numeric_exp, numeric_ln, log_var, power_var,
 * power_var_int: at least 16 significant digits and the operands' scales),
 * computed to more digits than the result keeps and then rounded. ln
 * reduces its argument to [1, 10) by powers of ten and then near 1 by
 * square roots, and sums the series of atanh; exp halves its argument
 * below 0.01, sums the Taylor series and squares back. log and power
 * follow PostgreSQL's steps (their intermediate roundings included), so
 * the digits agree. */

#define MAX_RESULT_SCALE 2000 /* NUMERIC_MAX_PRECISION * 2 */

static NumVar var_int(int64_t i, Arena *arena) {
    Value v;
    numeric_from_int(i, arena, &v);
    return unpack(&v, arena);
}

static NumVar var_text(const char *s, Arena *arena) {
    NumVar v;
    Error ignored = {0};
    parse_text(s, strlen(s), arena, &v, &ignored);
    return v;
}

static double var_double(const NumVar *v, Arena *arena) {
    Value t = format_var(v, arena);
    char *s = arena_strndup(arena, t.u.s, t.len);
    return strtod(s, NULL);
}

static int clamp_scale(int s) { return s < 0 ? 0 : s > MAX_DISPLAY_SCALE ? MAX_DISPLAY_SCALE : s; }

static NumVar mul_round(const NumVar *a, const NumVar *b, int scale, Arena *arena) {
    NumVar r = mul_var(a, b, a->dscale + b->dscale, arena);
    round_var(&r, scale, false, arena);
    return r;
}

/* a / d for a small positive d, truncated at `scale` places (short division). */
static NumVar div_small(const NumVar *a, int64_t d, int scale, Arena *arena) {
    int groups = (scale + DEC_DIGITS - 1) / DEC_DIGITS + 1, hi = a->weight, lo = -groups;
    if (!a->ndigits) return (NumVar){.sign = NUMERIC_POS, .dscale = scale};
    NumVar r = alloc_var(arena, hi - lo + 1, hi, a->sign, scale);
    int64_t rem = 0;
    for (int w = hi; w >= lo; w--) {
        int64_t cur = rem * NBASE + digit_at(a, w);
        r.digits[hi - w] = (int32_t)(cur / d);
        rem = cur % d;
    }
    strip(&r);
    round_var(&r, scale, true, arena);
    return r;
}

/* sqrt(a), a > 0, to `scale` places (truncated: the guard digits absorb it). */
static NumVar sqrt_scaled(const NumVar *a, int scale, Arena *arena) {
    int k = scale, lo = lowest_weight(a);
    long e = 4L * lo + 2L * k;
    Big n = big_from_var(a, lo, e > 0 ? (int)e : 0, arena);
    if (e < 0) {
        NumVar one = var_int(1, arena);
        Big divisor = big_from_var(&one, 0, (int)-e, arena);
        n = big_div(&n, &divisor, arena);
    }
    Big root = big_sqrt(&n, arena);
    NumVar r = k > 0 ? var_from_scaled(&root, k, NUMERIC_POS, arena) : var_from_big(&root, NUMERIC_POS, arena);
    strip(&r);
    r.dscale = scale;
    return r;
}

/* ln(x) for x in [1, 10), good to `scale` places and carrying more (x
 * near 1 through square roots). */
static NumVar ln_small(const NumVar *x, int scale, Arena *arena) {
    NumVar hi = var_text("1.01", arena);
    int roots = 0;
    NumVar y = *x;
    int ws = scale + 12; /* 2^8 at most from the roots of a value below 10, and guard digits */
    while (add_var(&y, &hi, true, arena).sign == NUMERIC_POS && cmp_abs(&y, &hi) > 0) {
        y = sqrt_scaled(&y, ws, arena);
        roots++;
    }
    NumVar one = var_int(1, arena);
    NumVar num = add_var(&y, &one, true, arena), den = add_var(&y, &one, false, arena);
    NumVar z = div_var(&num, &den, ws, false, arena), z2 = mul_round(&z, &z, ws, arena);
    NumVar sum = z, term = z;
    for (int64_t i = 3;; i += 2) {
        term = mul_round(&term, &z2, ws, arena);
        NumVar part = div_small(&term, i, ws, arena);
        if (!part.ndigits) break;
        sum = add_var(&sum, &part, false, arena);
    }
    NumVar factor = var_int((int64_t)2 << roots, arena);
    return mul_round(&sum, &factor, ws, arena); /* unrounded: the caller rounds once */
}

/* ln(x), x > 0 finite, to `scale` places: x = m * 10^e with m in [1, 10). */
static NumVar ln_scaled(const NumVar *x, int scale, Arena *arena) {
    /* the decimal exponent of x's first digit */
    int first = x->digits[0], lead = first >= 1000 ? 3 : first >= 100 ? 2 : first >= 10 ? 1 : 0;
    long e = (long)x->weight * DEC_DIGITS + lead;
    int extra = 2 + (e ? (int)log10((double)labs(e)) + 1 : 0);
    NumVar m = *x;
    long groups = e >= 0 ? e / DEC_DIGITS : -((-e + DEC_DIGITS - 1) / DEC_DIGITS);
    int rest = (int)(e - groups * DEC_DIGITS); /* 0..3 */
    m.weight -= (int)groups;                   /* m = x / 10^e: whole groups, then the digits left */
    if (rest) {
        static const int32_t P[] = {1, 10, 100, 1000};
        m = div_small(&m, P[rest], m.dscale + 4 * (int)groups + DEC_DIGITS, arena);
    }
    NumVar r = ln_small(&m, scale + extra, arena);
    if (e) {
        NumVar ten = var_int(10, arena), ln10 = ln_small(&ten, scale + extra, arena), ev = var_int(e, arena);
        NumVar shift = mul_round(&ln10, &ev, scale + extra + 12, arena);
        r = add_var(&r, &shift, false, arena);
    }
    round_var(&r, scale, false, arena);
    return r;
}

/* PostgreSQL's estimate of the decimal weight of ln(x) (estimate_ln_dweight). */
static int ln_dweight(const NumVar *x, Arena *arena) {
    if (x->sign != NUMERIC_POS || !x->ndigits) return 0;
    NumVar lo = var_text("0.9", arena), hi = var_text("1.1", arena);
    if (cmp_abs(x, &lo) >= 0 && cmp_abs(x, &hi) <= 0) {
        NumVar one = var_int(1, arena), d = add_var(x, &one, true, arena);
        return d.ndigits ? d.weight * DEC_DIGITS + (int)log10(d.digits[0]) : 0;
    }
    int digits = x->digits[0], dweight = x->weight * DEC_DIGITS;
    if (x->ndigits > 1) digits = digits * NBASE + x->digits[1], dweight -= DEC_DIGITS;
    double ln = log((double)digits) + dweight * 2.302585092994046;
    return (int)log10(fabs(ln));
}

/* exp(x) for finite x to `scale` places; 22003 when it overflows. */
static bool exp_scaled(const NumVar *x, int scale, Arena *arena, NumVar *out, Error *err) {
    double val = var_double(x, arena);
    if (fabs(val) > MAX_RESULT_SCALE * 3) {
        if (val > 0) return overflows(err);
        *out = (NumVar){.sign = NUMERIC_POS, .dscale = scale};
        return true;
    }
    double dweight = val * 0.434294481903252;
    int sig = scale + (int)dweight + 12; /* significant digits kept along the way */
    if (sig < 12) sig = 12;
    /* enough halvings that the series is short: |r| below 0.01 and about sqrt(sig) of them */
    int halvings = 0;
    while (fabs(val) / pow(2, halvings) > 0.01 || halvings * halvings < sig) halvings++;
    sig += (int)(halvings * 0.302) + 1;
    /* r = x / 2^halvings, with sig digits below its own weight */
    NumVar r = *x;
    for (int i = 0; i < halvings; i++) r = div_small(&r, 2, sig + 2 + 4 * halvings / 10 + 2, arena);
    NumVar one = var_int(1, arena), sum = one, term = one;
    for (int64_t i = 1;; i++) {
        term = mul_round(&term, &r, sig + 2, arena);
        term = div_small(&term, i, sig + 2, arena);
        if (!term.ndigits) break;
        sum = add_var(&sum, &term, false, arena);
    }
    for (int i = 0; i < halvings; i++) {
        NumVar sq = mul_var(&sum, &sum, sum.dscale * 2, arena);
        int keep = sig - (sq.ndigits ? (sq.weight + 1) * DEC_DIGITS : 0);
        round_var(&sq, keep > 0 ? keep : 0, false, arena);
        sum = sq;
        if (sum.weight > 32767) return overflows(err);
    }
    round_var(&sum, scale, false, arena);
    if (sum.ndigits && sum.weight > 32767) return overflows(err);
    *out = sum;
    return true;
}

static bool logarithm_error(bool zero, Error *err) {
    return error_set(err, SQLSTATE_INVALID_ARGUMENT_FOR_LOGARITHM,
                     zero ? "cannot take logarithm of zero" : "cannot take logarithm of a negative number");
}

bool numeric_ln(const Value *x, Arena *arena, Value *out, Error *err) {
    NumVar a = unpack(x, arena);
    if (a.sign == NUMERIC_NAN || a.sign == NUMERIC_PINF) return *out = format_var(&a, arena), true;
    if (a.sign == NUMERIC_NINF || a.sign == NUMERIC_NEG) return logarithm_error(false, err);
    if (!a.ndigits) return logarithm_error(true, err);
    int scale = MIN_SIG_DIGITS - ln_dweight(&a, arena);
    if (scale < a.dscale) scale = a.dscale;
    NumVar r = ln_scaled(&a, clamp_scale(scale), arena);
    *out = format_var(&r, arena);
    return true;
}

bool numeric_exp(const Value *x, Arena *arena, Value *out, Error *err) {
    NumVar a = unpack(x, arena);
    if (a.sign == NUMERIC_NAN || a.sign == NUMERIC_PINF) return *out = format_var(&a, arena), true;
    if (a.sign == NUMERIC_NINF) return numeric_from_text("0", 1, arena, out, err);
    double val = var_double(&a, arena) * 0.434294481903252;
    if (val > MAX_RESULT_SCALE) val = MAX_RESULT_SCALE;
    if (val < -MAX_RESULT_SCALE) val = -MAX_RESULT_SCALE;
    int scale = MIN_SIG_DIGITS - (int)val;
    if (scale < a.dscale) scale = a.dscale;
    NumVar r;
    if (!exp_scaled(&a, clamp_scale(scale), arena, &r, err)) return false;
    *out = format_var(&r, arena);
    return true;
}

/* log(base, x) as log_var computes it: ln of each to a few more digits, divided. */
bool numeric_log(const Value *b, const Value *x, Arena *arena, Value *out, Error *err) {
    NumVar base = unpack(b, arena), num = unpack(x, arena);
    if (base.sign == NUMERIC_NAN || num.sign == NUMERIC_NAN) return numeric_from_text("NaN", 3, arena, out, err);
    int s1 = sign_of(&base), s2 = sign_of(&num);
    if (!is_special(&base) && !is_special(&num)) { /* ln(base) fails first, then ln(x) */
        if (s1 <= 0) return logarithm_error(s1 == 0, err);
        if (s2 <= 0) return logarithm_error(s2 == 0, err);
    }
    if (s1 < 0 || s2 < 0) return logarithm_error(false, err);
    if (s1 == 0 || s2 == 0) return logarithm_error(true, err);
    if (base.sign == NUMERIC_PINF)
        return numeric_from_text(num.sign == NUMERIC_PINF ? "NaN" : "0", num.sign == NUMERIC_PINF ? 3 : 1, arena, out,
                                 err);
    if (num.sign == NUMERIC_PINF) return numeric_from_text("Infinity", 8, arena, out, err);
    int wb = ln_dweight(&base, arena), wn = ln_dweight(&num, arena), wr = wn - wb;
    int scale = MIN_SIG_DIGITS - wr;
    if (scale < base.dscale) scale = base.dscale;
    if (scale < num.dscale) scale = num.dscale;
    scale = clamp_scale(scale);
    int sb = scale + wr - wb + 8, sn = scale + wr - wn + 8;
    NumVar lb = ln_scaled(&base, sb > 0 ? sb : 0, arena), ln = ln_scaled(&num, sn > 0 ? sn : 0, arena);
    if (!lb.ndigits) return error_set(err, SQLSTATE_DIVISION_BY_ZERO, "division by zero");
    NumVar r = div_var(&ln, &lb, scale, false, arena);
    *out = format_var(&r, arena);
    return true;
}

static bool power_error(const char *msg, Error *err) {
    return error_set(err, SQLSTATE_INVALID_ARGUMENT_FOR_POWER_FUNCTION, "%s", msg);
}

static bool is_integral(const NumVar *v) { return !is_special(v) && (v->ndigits == 0 || v->ndigits <= v->weight + 1); }

static bool is_odd(const NumVar *v) {
    return v->ndigits > 0 && v->ndigits == v->weight + 1 && (v->digits[v->ndigits - 1] & 1);
}

/* power_var_int (PostgreSQL 15's): base^exp for an int32 exponent, at
 * the base's scale and at least 16 places. */
static bool power_int(const NumVar *base, int64_t exp, Arena *arena, NumVar *out, Error *err) {
    int scale = clamp_scale(base->dscale > MIN_SIG_DIGITS ? base->dscale : MIN_SIG_DIGITS);
    double f = 0;
    if (base->ndigits) {
        double d = base->digits[0];
        int p = base->weight * DEC_DIGITS;
        for (int i = 1; i < base->ndigits && i * DEC_DIGITS < 16; i++) d = d * NBASE + base->digits[i], p -= DEC_DIGITS;
        f = (double)exp * (log10(d) + p);
    }
    if (exp != 0 && exp != 1 && exp != -1 && exp != 2 && base->ndigits) {
        if (f > 3.0 * 32767 * DEC_DIGITS) return overflows(err);
        if (f + 1 < -scale || f + 1 < -MAX_DISPLAY_SCALE) {
            *out = (NumVar){.sign = NUMERIC_POS, .dscale = scale};
            return true;
        }
    }
    NumVar one = var_int(1, arena);
    if (exp == 0) {
        *out = one;
        out->dscale = scale;
        return true;
    }
    if (!base->ndigits) {
        if (exp < 0) return error_set(err, SQLSTATE_DIVISION_BY_ZERO, "division by zero");
        *out = (NumVar){.sign = NUMERIC_POS, .dscale = scale};
        return true;
    }
    /* |exp| multiplications keep sig digits: the error stays below the guard */
    int sig = 1 + scale + (int)f + (int)log(fabs((double)exp)) + 12;
    uint64_t mask = (uint64_t)(exp < 0 ? -exp : exp);
    NumVar result = one, prod = *base;
    for (;;) {
        if (mask & 1) {
            NumVar m = mul_var(&result, &prod, result.dscale + prod.dscale, arena);
            int keep = sig - (m.ndigits ? (m.weight + 1) * DEC_DIGITS : 0);
            if (keep < m.dscale) round_var(&m, keep > 0 ? keep : 0, false, arena);
            result = m;
        }
        if (!(mask >>= 1)) break;
        NumVar sq = mul_var(&prod, &prod, prod.dscale * 2, arena);
        int keep = sig - (sq.ndigits ? (sq.weight + 1) * DEC_DIGITS : 0);
        if (keep < sq.dscale) round_var(&sq, keep > 0 ? keep : 0, false, arena);
        prod = sq;
        if (prod.weight > 32767 || result.weight > 32767) {
            if (exp > 0) return overflows(err);
            *out = (NumVar){.sign = NUMERIC_POS, .dscale = scale};
            return true;
        }
    }
    if (exp < 0)
        result = div_var(&one, &result, scale, false, arena);
    else
        round_var(&result, scale, false, arena);
    *out = result;
    return true;
}

/* power_var: integral exponents by multiplication, others as exp(ln(base) * exp). */
static bool power_var(const NumVar *base0, const NumVar *exp, Arena *arena, NumVar *out, Error *err) {
    if (is_integral(exp)) {
        Value ev = format_var(exp, arena);
        int64_t e;
        Error ignore = {0};
        if (numeric_to_int(&ev, TYPE_INT8, arena, &e, &ignore) && e >= INT32_MIN && e <= INT32_MAX)
            return power_int(base0, e, arena, out, err);
    }
    if (!base0->ndigits) {
        *out = (NumVar){.sign = NUMERIC_POS, .dscale = MIN_SIG_DIGITS};
        return true;
    }
    NumVar base = *base0;
    int sign = NUMERIC_POS;
    if (base.sign == NUMERIC_NEG) {
        if (!is_integral(exp))
            return power_error("a negative number raised to a non-integer power yields a complex result", err);
        sign = is_odd(exp) ? NUMERIC_NEG : NUMERIC_POS;
        base.sign = NUMERIC_POS;
    }
    int lw = ln_dweight(&base, arena), local = 8 - lw;
    if (local < 0) local = 0;
    NumVar lnb = ln_scaled(&base, local, arena), lnn = mul_round(&lnb, exp, local, arena);
    double val = var_double(&lnn, arena);
    if (fabs(val) > MAX_RESULT_SCALE * 3.01) {
        if (val > 0) return overflows(err);
        *out = (NumVar){.sign = NUMERIC_POS, .dscale = MAX_DISPLAY_SCALE};
        return true;
    }
    val *= 0.434294481903252;
    int scale = MIN_SIG_DIGITS - (int)val;
    if (scale < base.dscale) scale = base.dscale;
    if (scale < exp->dscale) scale = exp->dscale;
    scale = clamp_scale(scale);
    int sig = scale + (int)val;
    if (sig < 0) sig = 0;
    local = sig - lw + 8;
    if (local < 0) local = 0;
    lnb = ln_scaled(&base, local, arena);
    lnn = mul_round(&lnb, exp, local, arena);
    if (!exp_scaled(&lnn, scale, arena, out, err)) return false;
    if (sign == NUMERIC_NEG && out->ndigits) out->sign = NUMERIC_NEG;
    return true;
}

/* power with numeric_power's special values (POSIX pow's rules for NaN and the infinities). */
bool numeric_power(const Value *x, const Value *y, Arena *arena, Value *out, Error *err) {
    NumVar a = unpack(x, arena), b = unpack(y, arena);
    if (is_special(&a) || is_special(&b)) {
        NumVar one = var_int(1, arena);
        if (a.sign == NUMERIC_NAN)
            return numeric_from_text(b.sign != NUMERIC_NAN && sign_of(&b) == 0 && !is_special(&b) ? "1" : "NaN",
                                     b.sign != NUMERIC_NAN && sign_of(&b) == 0 && !is_special(&b) ? 1 : 3, arena, out,
                                     err);
        if (b.sign == NUMERIC_NAN) {
            bool is_one = !is_special(&a) && a.sign == NUMERIC_POS && cmp_abs(&a, &one) == 0;
            return numeric_from_text(is_one ? "1" : "NaN", is_one ? 1 : 3, arena, out, err);
        }
        int s1 = sign_of(&a), s2 = sign_of(&b);
        if (s1 == 0 && s2 < 0) return power_error("zero raised to a negative power is undefined", err);
        if (s1 < 0 && !is_special(&b) && !is_integral(&b))
            return power_error("a negative number raised to a non-integer power yields a complex result", err);
        const char *r;
        if (is_special(&b)) { /* x ^ ±Infinity */
            int c = is_special(&a) ? 1 : cmp_abs(&a, &one);
            if (c == 0)
                r = "1";
            else
                r = (c > 0) == (s2 > 0) ? "Infinity" : "0";
        } else if (s2 == 0) {
            r = "1";
        } else if (a.sign == NUMERIC_NINF) { /* -Infinity ^ y */
            bool odd = is_integral(&b) && is_odd(&b);
            r = s2 < 0 ? "0" : odd ? "-Infinity" : "Infinity";
        } else { /* Infinity ^ y */
            r = s2 < 0 ? "0" : "Infinity";
        }
        return numeric_from_text(r, strlen(r), arena, out, err);
    }
    if (!a.ndigits && sign_of(&b) < 0) return power_error("zero raised to a negative power is undefined", err);
    if (a.sign == NUMERIC_NEG && !is_integral(&b))
        return power_error("a negative number raised to a non-integer power yields a complex result", err);
    NumVar r;
    if (!power_var(&a, &b, arena, &r, err)) return false;
    *out = format_var(&r, arena);
    return true;
}

/* var_samp / var_pop / stddev_* of numeric inputs from their count, sum
 * and sum of squares, as PostgreSQL's numeric_stddev_internal computes
 * them: (n * sumx2 - sumx^2) / (n * (n - 1)) (population: n * n) with
 * division's result scale, 0 when rounding makes the numerator negative,
 * the square root at that same scale; NaN when an input was NaN or
 * infinite. */
bool numeric_variance_of(const Value *count, const Value *sumx, const Value *sumx2, bool sample, bool stddev,
                         Arena *arena, Value *out, Error *err) {
    (void)err;
    NumVar n = unpack(count, arena), sx = unpack(sumx, arena), sx2 = unpack(sumx2, arena);
    if (is_special(&sx) || is_special(&sx2)) {
        NumVar nan = special(NUMERIC_NAN);
        *out = format_var(&nan, arena);
        return true;
    }
    int rscale = sx.dscale * 2;
    NumVar sq = mul_var(&sx, &sx, rscale, arena), nsx2 = mul_var(&n, &sx2, rscale, arena);
    NumVar num = add_var(&nsx2, &sq, true, arena);
    if (!num.ndigits || num.sign == NUMERIC_NEG) {
        NumVar zero = var_int(0, arena);
        *out = format_var(&zero, arena);
        return true;
    }
    NumVar one = var_int(1, arena);
    NumVar n1 = sample ? add_var(&n, &one, true, arena) : n;
    NumVar den = mul_var(&n, &n1, 0, arena);
    int scale = div_scale(&num, &den);
    NumVar r = div_var(&num, &den, scale, false, arena);
    if (stddev && r.ndigits) {
        r = sqrt_scaled(&r, scale + 1, arena);
        round_var(&r, scale, false, arena);
    }
    *out = format_var(&r, arena);
    return true;
}
