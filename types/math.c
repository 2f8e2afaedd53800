/*
 * math.c — the mathematical functions of PostgreSQL's documentation
 * (chapter 9.3) for the integers, float8 and numeric, and the table of
 * built-in functions generated from types.def.
 *
 * Errors are PostgreSQL's: 22003 for results out of range, 22012 for
 * division by zero, 2201E/2201F for logarithms and powers, 2201G for
 * width_bucket's bounds.
 *
 * random() and setseed() share one generator, PostgreSQL 15's: xoroshiro128**
 * seeded through splitmix64, 52 random bits per double; setseed(x) gives
 * the same sequence as PostgreSQL's setseed(x). The state is the engine
 * thread's, so sessions share it (PostgreSQL keeps one per backend).
 *
 * INTERFACE: builtin_funcs
 */
#include "types/types_int.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

static bool out_of_range(TypeId t, Error *err) {
    return error_set(err, SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "%s out of range", type_info(t)->sql_name);
}

static bool division_by_zero(Error *err) { return error_set(err, SQLSTATE_DIVISION_BY_ZERO, "division by zero"); }

static bool fits(TypeId t, int64_t v) {
    return t == TYPE_INT2 ? v >= INT16_MIN && v <= INT16_MAX : t == TYPE_INT4 ? v >= INT32_MIN && v <= INT32_MAX : true;
}

/* A float8 result, with float8's overflow and underflow checks (float_overflow_error). */
static bool float_result(double r, bool may_overflow, bool may_underflow, Value *out, Error *err) {
    if (isinf(r) && may_overflow)
        return error_set(err, SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "value out of range: overflow");
    if (r == 0 && may_underflow)
        return error_set(err, SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "value out of range: underflow");
    *out = value_float8(r);
    return true;
}

/* ---- integers ----------------------------------------------------------------- */

static bool int_abs(TypeId t, const Value *args, Value *out, Error *err) {
    int64_t v = args[0].u.i;
    if (v < 0 && (v == INT64_MIN || !fits(t, -v))) return out_of_range(t, err);
    *out = value_int(t, v < 0 ? -v : v);
    return true;
}

bool int2abs(const Value *a, Arena *arena, Value *out, Error *err) { return int_abs(TYPE_INT2, a, out, err); }
bool int4abs(const Value *a, Arena *arena, Value *out, Error *err) { return int_abs(TYPE_INT4, a, out, err); }
bool int8abs(const Value *a, Arena *arena, Value *out, Error *err) { return int_abs(TYPE_INT8, a, out, err); }

static bool int_mod(TypeId t, const Value *args, Value *out, Error *err) {
    int64_t a = args[0].u.i, b = args[1].u.i;
    if (b == 0) return division_by_zero(err);
    *out = value_int(t, b == -1 ? 0 : a % b); /* INT_MIN % -1 would trap */
    return true;
}

bool int2mod(const Value *a, Arena *arena, Value *out, Error *err) { return int_mod(TYPE_INT2, a, out, err); }
bool int4mod(const Value *a, Arena *arena, Value *out, Error *err) { return int_mod(TYPE_INT4, a, out, err); }
bool int8mod(const Value *a, Arena *arena, Value *out, Error *err) { return int_mod(TYPE_INT8, a, out, err); }

/* gcd by Euclid on non-positive numbers, so INT_MIN needs no negation until the end. */
static bool int_gcd(TypeId t, int64_t a, int64_t b, int64_t *out, Error *err) {
    if (a > 0) a = -a;
    if (b > 0) b = -b;
    while (b != 0) {
        int64_t r = a % b;
        a = b;
        b = r;
    }
    int64_t min = t == TYPE_INT4 ? INT32_MIN : INT64_MIN;
    if (a == min) return out_of_range(t, err);
    *out = -a;
    return true;
}

static bool gcd(TypeId t, const Value *args, Value *out, Error *err) {
    int64_t g = 0;
    if (!int_gcd(t, args[0].u.i, args[1].u.i, &g, err)) return false;
    *out = value_int(t, g);
    return true;
}

static bool lcm(TypeId t, const Value *args, Value *out, Error *err) {
    int64_t a = args[0].u.i, b = args[1].u.i, g = 0, r;
    if (a == 0 || b == 0) return *out = value_int(t, 0), true;
    if (!int_gcd(t, a, b, &g, err)) return false;
    if (__builtin_mul_overflow(a / g, b, &r) || r == INT64_MIN || !fits(t, r < 0 ? -r : r)) return out_of_range(t, err);
    *out = value_int(t, r < 0 ? -r : r);
    return true;
}

bool int4gcd(const Value *a, Arena *arena, Value *out, Error *err) { return gcd(TYPE_INT4, a, out, err); }
bool int8gcd(const Value *a, Arena *arena, Value *out, Error *err) { return gcd(TYPE_INT8, a, out, err); }
bool int4lcm(const Value *a, Arena *arena, Value *out, Error *err) { return lcm(TYPE_INT4, a, out, err); }
bool int8lcm(const Value *a, Arena *arena, Value *out, Error *err) { return lcm(TYPE_INT8, a, out, err); }

/* Bitwise operators; a shift count is taken as the C shift of that width
 * takes it (PostgreSQL does no range check either). */
#define BITWISE(name, type, ctype, expr)                                                                               \
    bool name(const Value *a, Arena *arena, Value *out, Error *err) {                                                  \
        ctype x = (ctype)a[0].u.i, y = (ctype)a[1].u.i;                                                                \
        (void)y;                                                                                                       \
        *out = value_int(TYPE_##type, (ctype)(expr));                                                                  \
        return true;                                                                                                   \
    }
/* ~x, the prefix operator */
#define BITNOT(name, type, ctype)                                                                                      \
    bool name(const Value *a, Arena *arena, Value *out, Error *err) {                                                  \
        *out = value_int(TYPE_##type, (ctype) ~(ctype)a[0].u.i);                                                       \
        return true;                                                                                                   \
    }
BITNOT(int2not, INT2, int16_t)
BITNOT(int4not, INT4, int32_t)
BITNOT(int8not, INT8, int64_t)
BITWISE(int2and, INT2, int16_t, x &y)
BITWISE(int4and, INT4, int32_t, x &y)
BITWISE(int8and, INT8, int64_t, x &y)
BITWISE(int2or, INT2, int16_t, x | y)
BITWISE(int4or, INT4, int32_t, x | y)
BITWISE(int8or, INT8, int64_t, x | y)
BITWISE(int2xor, INT2, int16_t, x ^ y)
BITWISE(int4xor, INT4, int32_t, x ^ y)
BITWISE(int8xor, INT8, int64_t, x ^ y)
BITWISE(int2shl, INT2, int16_t, (uint32_t)x << (a[1].u.i & 31))
BITWISE(int4shl, INT4, int32_t, (uint32_t)x << (a[1].u.i & 31))
BITWISE(int8shl, INT8, int64_t, (uint64_t)x << (a[1].u.i & 63))
BITWISE(int2shr, INT2, int16_t, x >> (a[1].u.i & 31))
BITWISE(int4shr, INT4, int32_t, x >> (a[1].u.i & 31))
BITWISE(int8shr, INT8, int64_t, x >> (a[1].u.i & 63))

/* ---- float8 ---------------------------------------------------------------------- */

bool float8abs(const Value *a, Arena *arena, Value *out, Error *err) {
    *out = value_float8(fabs(a[0].u.f));
    return true;
}

bool float4abs(const Value *a, Arena *arena, Value *out, Error *err) {
    *out = value_float(TYPE_FLOAT4, fabs(a[0].u.f));
    return true;
}

bool float8sign(const Value *a, Arena *arena, Value *out, Error *err) {
    double d = a[0].u.f;
    *out = value_float8(d > 0 ? 1 : d < 0 ? -1 : 0);
    return true;
}

bool dround(const Value *a, Arena *arena, Value *out, Error *err) { /* half to even, as rint */
    *out = value_float8(rint(a[0].u.f));
    return true;
}

bool dtrunc(const Value *a, Arena *arena, Value *out, Error *err) {
    *out = value_float8(a[0].u.f >= 0 ? floor(a[0].u.f) : -floor(-a[0].u.f));
    return true;
}

bool dceil(const Value *a, Arena *arena, Value *out, Error *err) {
    *out = value_float8(ceil(a[0].u.f));
    return true;
}

bool dfloor(const Value *a, Arena *arena, Value *out, Error *err) {
    *out = value_float8(floor(a[0].u.f));
    return true;
}

bool dsqrt(const Value *a, Arena *arena, Value *out, Error *err) {
    double d = a[0].u.f;
    if (d < 0)
        return error_set(err, SQLSTATE_INVALID_ARGUMENT_FOR_POWER_FUNCTION,
                         "cannot take square root of a negative number");
    return float_result(sqrt(d), !isinf(d), d != 0, out, err);
}

bool dcbrt(const Value *a, Arena *arena, Value *out, Error *err) {
    double d = a[0].u.f;
    return float_result(cbrt(d), !isinf(d), d != 0, out, err);
}

/* power with PostgreSQL's special cases (dpow): its errors, and the IEEE
 * results for NaN and the infinities whatever the C library says. */
bool dpow(const Value *a, Arena *arena, Value *out, Error *err) {
    double x = a[0].u.f, y = a[1].u.f;
    if (isnan(x)) return *out = value_float8(y == 0 ? 1 : NAN), true;
    if (isnan(y)) return *out = value_float8(x == 1 ? 1 : NAN), true;
    if (x == 0 && y < 0)
        return error_set(err, SQLSTATE_INVALID_ARGUMENT_FOR_POWER_FUNCTION,
                         "zero raised to a negative power is undefined");
    if (x < 0 && floor(y) != y && !isinf(y))
        return error_set(err, SQLSTATE_INVALID_ARGUMENT_FOR_POWER_FUNCTION,
                         "a negative number raised to a non-integer power yields a complex result");
    double r;
    if (isinf(y)) {
        double ax = fabs(x);
        r = ax == 1 ? 1 : (ax > 1) == (y > 0) ? INFINITY : 0;
    } else if (isinf(x)) {
        bool odd = fmod(fabs(y), 2) == 1;
        r = y == 0 ? 1 : y < 0 ? (x < 0 && odd ? -0.0 : 0) : (x < 0 && odd ? -INFINITY : INFINITY);
    } else {
        r = pow(x, y);
        if (isinf(r)) return error_set(err, SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "value out of range: overflow");
        if (r == 0 && x != 0)
            return error_set(err, SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "value out of range: underflow");
    }
    *out = value_float8(r);
    return true;
}

bool dexp(const Value *a, Arena *arena, Value *out, Error *err) {
    double d = a[0].u.f;
    if (isnan(d) || isinf(d)) return *out = value_float8(isinf(d) && d < 0 ? 0 : d), true;
    return float_result(exp(d), true, true, out, err);
}

static bool log_argument(double d, Error *err) {
    if (d == 0) return error_set(err, SQLSTATE_INVALID_ARGUMENT_FOR_LOGARITHM, "cannot take logarithm of zero");
    if (d < 0)
        return error_set(err, SQLSTATE_INVALID_ARGUMENT_FOR_LOGARITHM, "cannot take logarithm of a negative number");
    return true;
}

bool dlog1(const Value *a, Arena *arena, Value *out, Error *err) {
    double d = a[0].u.f;
    return log_argument(d, err) && float_result(log(d), !isinf(d), d != 1, out, err);
}

bool dlog10(const Value *a, Arena *arena, Value *out, Error *err) {
    double d = a[0].u.f;
    return log_argument(d, err) && float_result(log10(d), !isinf(d), d != 1, out, err);
}

bool dpi(const Value *a, Arena *arena, Value *out, Error *err) {
    *out = value_float8(M_PI);
    return true;
}

/* width_bucket(operand, b1, b2, count): which of count equal buckets
 * between b1 and b2 holds operand; 0 below, count + 1 above. */
bool width_bucket_float8(const Value *a, Arena *arena, Value *out, Error *err) {
    double op = a[0].u.f, b1 = a[1].u.f, b2 = a[2].u.f;
    int64_t count = a[3].u.i, r;
    const char *bad = SQLSTATE_INVALID_ARGUMENT_FOR_WIDTH_BUCKET_FUNCTION;
    if (count <= 0) return error_set(err, bad, "count must be greater than zero");
    if (isnan(op) || isnan(b1) || isnan(b2))
        return error_set(err, bad, "operand, lower bound, and upper bound cannot be NaN");
    if (isinf(b1) || isinf(b2)) return error_set(err, bad, "lower and upper bounds must be finite");
    if (b1 == b2) return error_set(err, bad, "lower bound cannot equal upper bound");
    bool below = b1 < b2 ? op < b1 : op > b1, above = b1 < b2 ? op >= b2 : op <= b2;
    if (below) {
        r = 0;
    } else if (above) {
        r = count + 1;
        if (r > INT32_MAX) return out_of_range(TYPE_INT4, err);
    } else {
        double span = b2 - b1, part = op - b1;
        if (isinf(span)) span = b2 / 2 - b1 / 2, part = op / 2 - b1 / 2;
        r = (int64_t)((double)count * (part / span));
        if (r >= count) r = count - 1; /* the product may round up to count */
        r++;
    }
    *out = value_int(TYPE_INT4, r);
    return true;
}

/* ---- random ------------------------------------------------------------------------ */

static uint64_t prng[2];
static bool prng_seeded;

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static uint64_t splitmix64(uint64_t *state) {
    uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static void prng_seed(uint64_t seed) {
    prng[0] = splitmix64(&seed);
    prng[1] = splitmix64(&seed);
    if (!prng[0] && !prng[1]) prng[0] = 1; /* the one state xoroshiro cannot leave */
    prng_seeded = true;
}

static uint64_t prng_next(void) {
    uint64_t s0 = prng[0], s1 = prng[1], r = rotl(s0 * 5, 7) * 9;
    s1 ^= s0;
    prng[0] = rotl(s0, 24) ^ s1 ^ (s1 << 16);
    prng[1] = rotl(s1, 37);
    return r;
}

bool drandom(const Value *a, Arena *arena, Value *out, Error *err) {
    if (!prng_seeded) {
        uint64_t seed;
        if (getrandom(&seed, sizeof seed, 0) != (ssize_t)sizeof seed)
            seed = (uint64_t)(uintptr_t)&seed ^ (uint64_t)rand();
        prng_seed(seed);
    }
    *out = value_float8(ldexp((double)(prng_next() >> 12), -52)); /* 52 bits in [0, 1) */
    return true;
}

bool setseed(const Value *a, Arena *arena, Value *out, Error *err) {
    double seed = a[0].u.f;
    if (seed < -1 || seed > 1 || isnan(seed))
        return error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "setseed parameter %g is out of allowed range [-1,1]",
                         seed);
    prng_seed((uint64_t)(int64_t)((double)((UINT64_C(1) << 52) - 1) * seed));
    *out = value_string(TYPE_VOID, "", 0);
    return true;
}

/* ---- numeric ---------------------------------------------------------------------- */

bool numeric_abs_fn(const Value *a, Arena *arena, Value *out, Error *err) {
    numeric_abs(&a[0], arena, out);
    return true;
}

bool numeric_sign_fn(const Value *a, Arena *arena, Value *out, Error *err) {
    numeric_sign(&a[0], arena, out);
    return true;
}

bool numeric_round_0(const Value *a, Arena *arena, Value *out, Error *err) {
    return numeric_round(NUMERIC_ROUND, &a[0], 0, arena, out);
}
bool numeric_round_n(const Value *a, Arena *arena, Value *out, Error *err) {
    return numeric_round(NUMERIC_ROUND, &a[0], (int)a[1].u.i, arena, out);
}
bool numeric_trunc_0(const Value *a, Arena *arena, Value *out, Error *err) {
    return numeric_round(NUMERIC_TRUNC, &a[0], 0, arena, out);
}
bool numeric_trunc_n(const Value *a, Arena *arena, Value *out, Error *err) {
    return numeric_round(NUMERIC_TRUNC, &a[0], (int)a[1].u.i, arena, out);
}
bool numeric_ceil(const Value *a, Arena *arena, Value *out, Error *err) {
    return numeric_round(NUMERIC_CEIL, &a[0], 0, arena, out);
}
bool numeric_floor(const Value *a, Arena *arena, Value *out, Error *err) {
    return numeric_round(NUMERIC_FLOOR, &a[0], 0, arena, out);
}

bool numeric_mod(const Value *a, Arena *arena, Value *out, Error *err) {
    return numeric_arith(NUMERIC_MOD, &a[0], &a[1], arena, out, err);
}

bool numeric_div_trunc(const Value *a, Arena *arena, Value *out, Error *err) {
    return numeric_arith(NUMERIC_DIV_TRUNC, &a[0], &a[1], arena, out, err);
}

bool numeric_sqrt_fn(const Value *a, Arena *arena, Value *out, Error *err) {
    return numeric_sqrt(&a[0], arena, out, err);
}

bool numeric_exp_fn(const Value *a, Arena *arena, Value *out, Error *err) {
    return numeric_exp(&a[0], arena, out, err);
}
bool numeric_ln_fn(const Value *a, Arena *arena, Value *out, Error *err) { return numeric_ln(&a[0], arena, out, err); }
bool numeric_log_fn(const Value *a, Arena *arena, Value *out, Error *err) {
    return numeric_log(&a[0], &a[1], arena, out, err);
}
/* log(x) and log10(x): log(10, x), as PostgreSQL defines them (SQL
 * functions: their errors say so in a CONTEXT line). */
static bool log10_as(const char *name, const Value *a, Arena *arena, Value *out, Error *err) {
    Value ten;
    numeric_from_int(10, arena, &ten);
    if (numeric_log(&ten, &a[0], arena, out, err)) return true;
    error_context(err, "SQL function \"%s\" statement 1", name);
    return false;
}
bool numeric_log10_fn(const Value *a, Arena *arena, Value *out, Error *err) {
    return log10_as("log", a, arena, out, err);
}
bool numeric_log10_named_fn(const Value *a, Arena *arena, Value *out, Error *err) {
    return log10_as("log10", a, arena, out, err);
}
bool numeric_power_fn(const Value *a, Arena *arena, Value *out, Error *err) {
    return numeric_power(&a[0], &a[1], arena, out, err);
}

/* The fraction digits of canonical numeric text: all, or the significant ones. */
static int fraction_digits(const Value *v, bool significant) {
    const char *dot = memchr(v->u.s, '.', v->len);
    if (!dot) return 0;
    int n = (int)(v->u.s + v->len - dot - 1);
    while (significant && n > 0 && dot[n] == '0') n--;
    return n;
}

static bool is_finite_numeric(const Value *v) {
    return v->len && (v->u.s[0] == '-' || (v->u.s[0] >= '0' && v->u.s[0] <= '9')) && !(v->len > 1 && v->u.s[1] == 'I');
}

bool numeric_scale(const Value *a, Arena *arena, Value *out, Error *err) {
    if (!is_finite_numeric(&a[0])) return *out = value_null(TYPE_INT4), true;
    *out = value_int(TYPE_INT4, fraction_digits(&a[0], false));
    return true;
}

bool numeric_min_scale(const Value *a, Arena *arena, Value *out, Error *err) {
    if (!is_finite_numeric(&a[0])) return *out = value_null(TYPE_INT4), true;
    *out = value_int(TYPE_INT4, fraction_digits(&a[0], true));
    return true;
}

bool numeric_trim_scale(const Value *a, Arena *arena, Value *out, Error *err) {
    if (!is_finite_numeric(&a[0])) return *out = a[0], true;
    int keep = fraction_digits(&a[0], true), all = fraction_digits(&a[0], false);
    *out = a[0];
    out->len -= (uint32_t)(all - keep + (all && !keep)); /* the zeros, and the point if nothing is left */
    return true;
}

/* factorial(n): exact, by repeated multiplication in numeric. */
bool numeric_fac(const Value *a, Arena *arena, Value *out, Error *err) {
    int64_t n = a[0].u.i;
    if (n < 0) return error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "factorial of a negative number is undefined");
    if (n > 32177) return error_set(err, SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "value overflows numeric format");
    numeric_from_int(1, arena, out);
    for (int64_t i = 2; i <= n; i++) {
        Value f;
        numeric_from_int(i, arena, &f);
        if (!numeric_arith(NUMERIC_MUL, out, &f, arena, out, err)) return false;
    }
    return true;
}

/* ---- the table -------------------------------------------------------------------- */

#define VOLATILITY_IMMUTABLE FUNC_IMMUTABLE
#define VOLATILITY_STABLE FUNC_STABLE
#define VOLATILITY_VOLATILE FUNC_VOLATILE
#define ARGS(...) ARGS_(__VA_ARGS__, 8, 7, 6, 5, 4, 3, 2, 1)
#define ARGS_(a, b, c, d, e, f, g, h, n, ...) n
#define T1(a)                                                                                                          \
    (const TypeId[]) { TYPE_##a }
#define T2(a, b)                                                                                                       \
    (const TypeId[]) { TYPE_##a, TYPE_##b }
#define T3(a, b, c)                                                                                                    \
    (const TypeId[]) { TYPE_##a, TYPE_##b, TYPE_##c }
#define T4(a, b, c, d)                                                                                                 \
    (const TypeId[]) { TYPE_##a, TYPE_##b, TYPE_##c, TYPE_##d }
#define T5(a, b, c, d, e)                                                                                              \
    (const TypeId[]) { TYPE_##a, TYPE_##b, TYPE_##c, TYPE_##d, TYPE_##e }
#define T6(a, b, c, d, e, f)                                                                                           \
    (const TypeId[]) { TYPE_##a, TYPE_##b, TYPE_##c, TYPE_##d, TYPE_##e, TYPE_##f }
#define T7(a, b, c, d, e, f, g)                                                                                        \
    (const TypeId[]) { TYPE_##a, TYPE_##b, TYPE_##c, TYPE_##d, TYPE_##e, TYPE_##f, TYPE_##g }
#define TYPES_OF(n, ...) TYPES_OF_(n, __VA_ARGS__)
#define TYPES_OF_(n, ...) T##n(__VA_ARGS__)

#define ENTRY(oid, name, impl, result, volatility, nonstrict, variadic, ...)                                           \
    {oid,                                                                                                              \
     name,                                                                                                             \
     ARGS(__VA_ARGS__),                                                                                                \
     TYPES_OF(ARGS(__VA_ARGS__), __VA_ARGS__),                                                                         \
     TYPE_##result,                                                                                                    \
     VOLATILITY_##volatility,                                                                                          \
     impl,                                                                                                             \
     nonstrict,                                                                                                        \
     variadic,                                                                                                         \
     false},
#define ENTRY0(oid, name, impl, result, volatility, nonstrict, variadic)                                               \
    {oid, name, 0, NULL, TYPE_##result, VOLATILITY_##volatility, impl, nonstrict, variadic, false},

static const BuiltinFunc FUNCS[] = {
#define FUNC(oid, name, impl, result, volatility, ...)                                                                 \
    ENTRY(oid, name, impl, result, volatility, false, false, __VA_ARGS__)
#define FUNC0(oid, name, impl, result, volatility) ENTRY0(oid, name, impl, result, volatility, false, false)
#define FUNC_NONSTRICT(oid, name, impl, result, volatility, ...)                                                       \
    ENTRY(oid, name, impl, result, volatility, true, false, __VA_ARGS__)
#define FUNC_VARIADIC(oid, name, impl, result, volatility, ...)                                                        \
    ENTRY(oid, name, impl, result, volatility, true, true, __VA_ARGS__)
#define FUNC_VARIADIC0(oid, name, impl, result, volatility) ENTRY0(oid, name, impl, result, volatility, true, true)
#define OPER(oid, name, impl, result, left, right)                                                                     \
    {oid, name, 2, T2(left, right), TYPE_##result, FUNC_IMMUTABLE, impl, false, false, true},
#define PREFIX_OPER(oid, name, impl, result, right)                                                                    \
    {oid, name, 1, T1(right), TYPE_##result, FUNC_IMMUTABLE, impl, false, false, true},
#include "types/types.def"
};

const BuiltinFunc *builtin_funcs(size_t *n) {
    *n = ARRAY_LEN(FUNCS);
    return FUNCS;
}

/* numeric's stored text names its special values. */
static bool numeric_is_nan(const Value *v) { return v->len == 3 && !memcmp(v->u.s, "NaN", 3); }
static bool numeric_is_finite(const Value *v) { return !numeric_is_nan(v) && !memchr(v->u.s, 'I', v->len); }

/* width_bucket(numeric, numeric, numeric, int): as for float8, computed
 * exactly: trunc((operand - b1) * count / (b2 - b1)) + 1. */
bool width_bucket_numeric(const Value *a, Arena *arena, Value *out, Error *err) {
    const Value *op = &a[0], *b1 = &a[1], *b2 = &a[2];
    int64_t count = a[3].u.i;
    const char *bad = SQLSTATE_INVALID_ARGUMENT_FOR_WIDTH_BUCKET_FUNCTION;
    if (count <= 0) return error_set(err, bad, "count must be greater than zero");
    if (!numeric_is_finite(op) || !numeric_is_finite(b1) || !numeric_is_finite(b2)) {
        if (numeric_is_nan(op) || numeric_is_nan(b1) || numeric_is_nan(b2))
            return error_set(err, bad, "operand, lower bound, and upper bound cannot be NaN");
        if (!numeric_is_finite(b1) || !numeric_is_finite(b2))
            return error_set(err, bad, "lower and upper bounds must be finite");
    }
    int c = numeric_compare(b1, b2);
    if (c == 0) return error_set(err, bad, "lower bound cannot equal upper bound");
    bool reversed = c > 0;
    int below = numeric_compare(op, b1), above = numeric_compare(op, b2);
    int64_t r;
    if (reversed ? below > 0 : below < 0) {
        r = 0;
    } else if (reversed ? above <= 0 : above >= 0) {
        r = count + 1;
        if (r > INT32_MAX) return out_of_range(TYPE_INT4, err);
    } else {
        Value n, d, cnt, q;
        numeric_from_int(count, arena, &cnt);
        if (!numeric_arith(NUMERIC_SUB, reversed ? b1 : op, reversed ? op : b1, arena, &n, err) ||
            !numeric_arith(NUMERIC_SUB, reversed ? b1 : b2, reversed ? b2 : b1, arena, &d, err) ||
            !numeric_arith(NUMERIC_MUL, &n, &cnt, arena, &n, err) ||
            !numeric_arith(NUMERIC_DIV_TRUNC, &n, &d, arena, &q, err) || !numeric_to_int(&q, TYPE_INT8, arena, &r, err))
            return false;
        r++;
    }
    *out = value_int(TYPE_INT4, r);
    return true;
}
