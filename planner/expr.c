/*
 * expr.c — evaluation of bound expressions: constants, columns, parameters,
 * casts, arithmetic with PostgreSQL's overflow and division errors,
 * comparisons and three-valued logic; the built-in functions.
 *
 * Types were settled by the binder: operands of an arithmetic node already
 * have the node's type (except pg_lsn's operators, whose operands are
 * pg_lsn and numeric), operands of a comparison share one type. Runtime
 * errors carry no position, as in PostgreSQL.
 *
 * INTERFACE: planner_set_server_info
 *   planner-internal: planner__eval, planner__eval_bool, planner__cast_value,
 *                     planner__func_lookup
 */
#include "planner/planner_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool int_out_of_range(TypeId t, Error *err) {
    const char *name = t == TYPE_INT2 ? "smallint" : t == TYPE_INT4 ? "integer" : "bigint";
    return error_set(err, SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "%s out of range", name);
}

static bool int_fits(TypeId t, int64_t v) {
    if (t == TYPE_INT2) return v >= INT16_MIN && v <= INT16_MAX;
    if (t == TYPE_INT4) return v >= INT32_MIN && v <= INT32_MAX;
    return true;
}

static bool is_int(TypeId t) { return t == TYPE_INT2 || t == TYPE_INT4 || t == TYPE_INT8; }
static bool is_float(TypeId t) { return t == TYPE_FLOAT4 || t == TYPE_FLOAT8; }
static bool is_string(TypeId t) { return t == TYPE_TEXT || t == TYPE_VARCHAR || t == TYPE_BPCHAR || t == TYPE_UNKNOWN; }

/* ---- casts ---------------------------------------------------------------------- */

static bool float_out_of_range(bool overflow, Error *err) {
    return error_set(err, SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "value out of range: %s",
                     overflow ? "overflow" : "underflow");
}

/* float8_to_float4: rounded, with the overflow and underflow errors. */
static bool float8_to_float4(Value *v, Error *err) {
    float f = (float)v->u.f;
    if (isinf(f) && !isinf(v->u.f)) return float_out_of_range(true, err);
    if (f == 0 && v->u.f != 0) return float_out_of_range(false, err);
    *v = value_float(TYPE_FLOAT4, f);
    return true;
}

static bool float_to_int(Value *v, TypeId to, Error *err) {
    double d = rint(v->u.f); /* PostgreSQL rounds float8 → int half to even */
    if (isnan(d) || d < -9223372036854775808.0 || d >= 9223372036854775808.0 || !int_fits(to, (int64_t)d))
        return int_out_of_range(to, err);
    *v = value_int(to, (int64_t)d);
    return true;
}

static void to_string(Value *v, TypeId to, Arena *arena) {
    char buf[VALUE_TEXT_BUF];
    int len;
    const char *p = value_to_text(v, buf, &len);
    if (p != v->u.s) p = arena_strndup(arena, p, (size_t)len); /* buf, or types' own buffer */
    *v = value_string(to, p, (uint32_t)len);
}

/* An array cast: each element cast as a value of its type would be. */
static bool convert_array(Value *v, TypeId to, Arena *arena, Error *err) {
    uint32_t n = array_count(v);
    Value *items = arena_alloc(arena, ((size_t)n + 1) * sizeof *items);
    ArrayReader r;
    array_read(v, &r);
    for (uint32_t i = 0; array_next(&r, &items[i]); i++)
        if (!planner__cast_value(&items[i], type_info(to)->elem, -1, true, arena, err)) return false;
    array_make(to, r.lbound, items, n, arena, v);
    return true;
}

/* The conversion itself, for a non-NULL value of another type. */
static bool convert(Value *v, TypeId to, Arena *arena, Error *err) {
    TypeId from = v->type;
    if (type_is_array(from) && type_is_array(to)) return convert_array(v, to, arena, err);
    if (is_string(to)) {
        if (from == TYPE_BOOL) /* bool → text gives "true"/"false" in PostgreSQL, unlike its output "t"/"f" */
            *v = value_string(to, v->u.b ? "true" : "false", v->u.b ? 4 : 5);
        else if (!is_string(from)) /* a bpchar casts to text without its trailing spaces: its bytes */
            to_string(v, to, arena);
        v->type = to;
        v->width = 0;
        if (to == TYPE_BPCHAR) value_make_bpchar(v);
        return true;
    }
    if (is_string(from)) { /* through the input function: char(n) gives it its padded text */
        char buf[VALUE_TEXT_BUF];
        int len;
        const char *text = from == TYPE_BPCHAR ? value_to_text(v, buf, &len) : v->u.s;
        return value_from_text(to, text, from == TYPE_BPCHAR ? (size_t)len : v->len, arena, v, err);
    }
    bool handled;
    if (type_cast(v, to, arena, &handled, err)) return true;
    if (handled) return false;
    if (is_int(from) && is_int(to)) {
        if (!int_fits(to, v->u.i)) return int_out_of_range(to, err);
        v->type = to;
        return true;
    }
    if (is_int(from) && is_float(to)) {
        *v = value_float(to, (double)v->u.i);
        return true;
    }
    if (is_float(from) && is_int(to)) return float_to_int(v, to, err);
    if (from == TYPE_FLOAT4 && to == TYPE_FLOAT8) {
        v->type = TYPE_FLOAT8;
        return true;
    }
    if (from == TYPE_FLOAT8 && to == TYPE_FLOAT4) return float8_to_float4(v, err);
    if (from == TYPE_NUMERIC && (to == TYPE_FLOAT8 || to == TYPE_FLOAT4)) return numeric_to_float(v, to, arena, v, err);
    if (from == TYPE_NUMERIC && is_int(to)) {
        int64_t i;
        if (!numeric_to_int(v, to, arena, &i, err)) return false;
        *v = value_int(to, i);
        return true;
    }
    if (to == TYPE_NUMERIC && is_int(from)) {
        numeric_from_int(v->u.i, arena, v);
        return true;
    }
    if (to == TYPE_NUMERIC && (from == TYPE_FLOAT8 || from == TYPE_FLOAT4))
        return numeric_from_float(v->u.f, from, arena, v, err);
    if (from == TYPE_INT4 && to == TYPE_BOOL) {
        *v = value_bool(v->u.i != 0);
        return true;
    }
    if (from == TYPE_BOOL && to == TYPE_INT4) {
        *v = value_int(TYPE_INT4, v->u.b);
        return true;
    }
    return error_set(err, SQLSTATE_CANNOT_COERCE, "cannot cast type %s to %s", type_info(from)->sql_name,
                     type_info(to)->sql_name);
}

bool planner__cast_value(Value *v, TypeId to, int32_t typmod, bool is_explicit, Arena *arena, Error *err) {
    if (v->isnull) {
        *v = value_null(to);
        return true;
    }
    if (to == TYPE_INTERVAL && typmod >= 0 && is_string(v->type)) { /* INTERVAL '2' HOUR: the fields read the text */
        char buf[VALUE_TEXT_BUF];
        int len;
        const char *text = value_to_text(v, buf, &len);
        if (!interval_from_text_typmod(text, (size_t)len, typmod, arena, v, err)) return false;
    } else if (v->type != to && !convert(v, to, arena, err)) {
        return false;
    }
    return value_apply_typmod(v, typmod, is_explicit, arena, err);
}

/* ---- arithmetic ------------------------------------------------------------------- */

static bool division_by_zero(Error *err) { return error_set(err, SQLSTATE_DIVISION_BY_ZERO, "division by zero"); }

static bool int_arith(SqlOp op, TypeId t, int64_t a, int64_t b, Value *out, Error *err) {
    int64_t r;
    switch (op) {
    case SQL_OP_ADD:
        if (__builtin_add_overflow(a, b, &r)) return int_out_of_range(t, err);
        break;
    case SQL_OP_SUB:
        if (__builtin_sub_overflow(a, b, &r)) return int_out_of_range(t, err);
        break;
    case SQL_OP_MUL:
        if (__builtin_mul_overflow(a, b, &r)) return int_out_of_range(t, err);
        break;
    case SQL_OP_DIV:
        if (b == 0) return division_by_zero(err);
        if (b == -1) {
            if (__builtin_sub_overflow((int64_t)0, a, &r)) return int_out_of_range(t, err);
        } else {
            r = a / b;
        }
        break;
    case SQL_OP_MOD:
        if (b == 0) return division_by_zero(err);
        r = b == -1 ? 0 : a % b;
        break;
    default: return error_set(err, SQLSTATE_INTERNAL_ERROR, "unexpected integer operator");
    }
    if (!int_fits(t, r)) return int_out_of_range(t, err);
    *out = value_int(t, r);
    return true;
}

/* float8pl/mi/mul/div (float4pl, ... for t float4: computed in double and
 * rounded once, which for these four operations equals float arithmetic)
 * with PostgreSQL's overflow and underflow checks. */
static bool float_arith(SqlOp op, TypeId t, double a, double b, Value *out, Error *err) {
    double r;
    bool overflow, underflow = false;
    switch (op) {
    case SQL_OP_ADD: r = a + b; break;
    case SQL_OP_SUB: r = a - b; break;
    case SQL_OP_MUL:
        r = a * b;
        underflow = r == 0 && a != 0 && b != 0;
        break;
    case SQL_OP_DIV:
        if (b == 0 && !isnan(a)) return division_by_zero(err); /* NaN / 0 is NaN */
        r = a / b;
        underflow = r == 0 && a != 0 && !isinf(b);
        break;
    default: return error_set(err, SQLSTATE_INTERNAL_ERROR, "unexpected float operator");
    }
    if (t == TYPE_FLOAT4) {
        float f = (float)r;
        underflow |= f == 0 && r != 0;
        r = f;
    }
    overflow = isinf(r) && !isinf(a) && (op == SQL_OP_DIV || !isinf(b));
    if (overflow || underflow) return float_out_of_range(overflow, err);
    *out = value_float(t, r);
    return true;
}

/* ---- pg_lsn arithmetic ----------------------------------------------------------
 * PostgreSQL's pg_lsn_mi, pg_lsn_pli (and numeric_pl_pg_lsn) and pg_lsn_mii.
 * It computes lsn +/- n exactly in numeric and rounds the sum to an integer
 * half away from zero (numeric_pg_lsn); the result must lie in
 * 0 .. 2^64 - 1. numeric is text here, so the sum is worked out from the
 * numeric's integer part and where its fraction lies against one half. */

static bool lsn_out_of_range(Error *err) {
    return error_set(err, SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "pg_lsn out of range");
}

/* pg_lsn - pg_lsn: the distance in bytes, as numeric (negative if b > a). */
static void lsn_diff(uint64_t a, uint64_t b, Arena *arena, Value *out) {
    char buf[32];
    int n = a < b ? snprintf(buf, sizeof buf, "-%llu", (unsigned long long)(b - a))
                  : snprintf(buf, sizeof buf, "%llu", (unsigned long long)(a - b));
    *out = value_string(TYPE_NUMERIC, arena_strndup(arena, buf, (size_t)n), (uint32_t)n);
}

/* A finite numeric as sign, integer part and fraction. */
typedef struct Decimal {
    bool neg;
    bool huge;      /* the integer part is above 2^64 - 1 */
    uint64_t whole; /* the integer part, if not huge */
    int frac;       /* the fraction against 1/2: 0 none, 1 below, 2 exactly, 3 above */
} Decimal;

/* Reads numeric's canonical text (numeric_from_text's: [-]digits[.digits]);
 * false if s is not in that form. */
static bool decimal_parse(const char *s, size_t len, Decimal *d) {
    size_t i = 0;
    *d = (Decimal){0};
    if (i < len && s[i] == '-') d->neg = true, i++;
    size_t start = i;
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
        uint64_t digit = (uint64_t)(s[i] - '0');
        if (__builtin_mul_overflow(d->whole, 10, &d->whole) || __builtin_add_overflow(d->whole, digit, &d->whole))
            d->huge = true;
    }
    if (i == start) return false;
    if (i == len) return true;
    if (s[i++] != '.') return false;
    size_t first = i;
    bool rest_nonzero = false;
    for (; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') return false;
        if (i > first && s[i] != '0') rest_nonzero = true;
    }
    if (first == len) return true;
    char f = s[first];
    d->frac = f > '5' || (f == '5' && rest_nonzero) ? 3 : f == '5' ? 2 : f > '0' || rest_nonzero ? 1 : 0;
    return true;
}

/* lsn + n (sign 1) or lsn - n (sign -1), rounded as numeric_pg_lsn does. */
static bool lsn_add_numeric(uint64_t lsn, const Value *num, int sign, Arena *arena, Value *out, Error *err) {
    Decimal d;
    if (num->len == 3 && memcmp(num->u.s, "NaN", 3) == 0)
        return error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                         sign > 0 ? "cannot add NaN to pg_lsn" : "cannot subtract NaN from pg_lsn");
    size_t sign_len = num->len && num->u.s[0] == '-';
    if (num->len - sign_len == 8 && memcmp(num->u.s + sign_len, "Infinity", 8) == 0) /* so is the sum */
        return error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED, "cannot convert infinity to pg_lsn");
    if (!decimal_parse(num->u.s, num->len, &d)) /* numerics are kept in canonical text (types/numeric.c) */
        return error_set(err, SQLSTATE_INTERNAL_ERROR, "malformed numeric \"%.*s\"", (int)num->len, num->u.s);
    bool up = sign > 0 ? !d.neg : d.neg; /* the sum lies above lsn */
    if (d.huge) return lsn_out_of_range(err);
    uint64_t r;
    if (up) {
        /* lsn + whole + frac: rounds up from one half. */
        if (__builtin_add_overflow(lsn, d.whole, &r) || __builtin_add_overflow(r, d.frac >= 2, &r))
            return lsn_out_of_range(err);
    } else {
        /* r - frac, with r = lsn - whole >= 0: a fraction up to one half
         * rounds back to r (when r >= 1 the sum is positive, so exactly
         * half rounds up), a larger one down to r - 1; from r = 0 any
         * fraction of at least one half rounds to -1, out of range. */
        if (d.whole > lsn) return lsn_out_of_range(err);
        r = lsn - d.whole;
        if (d.frac == 3 || (r == 0 && d.frac == 2)) {
            if (r == 0) return lsn_out_of_range(err);
            r--;
        }
    }
    *out = value_int(TYPE_PG_LSN, (int64_t)r);
    return true;
}

static bool lsn_arith(SqlOp op, const Value *a, const Value *b, Arena *arena, Value *out, Error *err) {
    if (a->type == TYPE_PG_LSN && b->type == TYPE_PG_LSN) {
        lsn_diff((uint64_t)a->u.i, (uint64_t)b->u.i, arena, out);
        return true;
    }
    if (a->type == TYPE_PG_LSN) return lsn_add_numeric((uint64_t)a->u.i, b, op == SQL_OP_SUB ? -1 : 1, arena, out, err);
    return lsn_add_numeric((uint64_t)b->u.i, a, 1, arena, out, err); /* numeric + pg_lsn */
}

static NumericOp numeric_op(SqlOp op) {
    switch (op) {
    case SQL_OP_ADD: return NUMERIC_ADD;
    case SQL_OP_SUB: return NUMERIC_SUB;
    case SQL_OP_MUL: return NUMERIC_MUL;
    case SQL_OP_DIV: return NUMERIC_DIV;
    default: return NUMERIC_MOD;
    }
}

static void concat(const Value *a, const Value *b, Arena *arena, Value *out) {
    char *p = arena_alloc(arena, (size_t)a->len + b->len + 1);
    memcpy(p, a->u.s, a->len);
    memcpy(p + a->len, b->u.s, b->len);
    p[a->len + b->len] = '\0';
    *out = value_string(TYPE_TEXT, p, a->len + b->len);
}

/* ---- comparison -------------------------------------------------------------------- */

static bool compare_result(SqlOp op, int c) {
    switch (op) {
    case SQL_OP_EQ: return c == 0;
    case SQL_OP_NE: return c != 0;
    case SQL_OP_LT: return c < 0;
    case SQL_OP_LE: return c <= 0;
    case SQL_OP_GT: return c > 0;
    default: return c >= 0;
    }
}

/* ---- built-in functions ------------------------------------------------------------
 * Those that need the server; the rest are types.def's. To add one: a row
 * here, with its pg_proc OID and name, argument and result types and
 * volatility, and a function computing it. */

static PlannerServerInfo server_info; /* see planner_set_server_info */

void planner_set_server_info(const PlannerServerInfo *info) { server_info = info ? *info : (PlannerServerInfo){0}; }

bool planner__interrupted(Error *err) {
    return server_info.interrupted && server_info.interrupted(server_info.ctx, err);
}

/* PostgreSQL's pg_current_wal_*lsn: a position in the log, or (no log
 * here) the error it gives during recovery. */
static bool wal_position(PlannerWalPosition which, Value *out, Error *err) {
    if (!server_info.wal_lsn) {
        error_set(err, SQLSTATE_OBJECT_NOT_IN_PREREQUISITE_STATE, "recovery is in progress");
        error_hint(err, "WAL control functions cannot be executed during recovery.");
        return false;
    }
    *out = value_int(TYPE_PG_LSN, (int64_t)server_info.wal_lsn(server_info.ctx, which));
    return true;
}

static bool fn_current_wal_lsn(const Value *args, Arena *arena, Value *out, Error *err) {
    (void)args, (void)arena;
    return wal_position(PLANNER_WAL_WRITE, out, err);
}

static bool fn_current_wal_insert_lsn(const Value *args, Arena *arena, Value *out, Error *err) {
    (void)args, (void)arena;
    return wal_position(PLANNER_WAL_INSERT, out, err);
}

static bool fn_current_wal_flush_lsn(const Value *args, Arena *arena, Value *out, Error *err) {
    (void)args, (void)arena;
    return wal_position(PLANNER_WAL_FLUSH, out, err);
}

/* current_setting(name [, missing_ok]) and set_config(name, value, is_local). */
static bool setting_result(bool ok, const char *buf, Arena *arena, Value *out) {
    if (ok) *out = value_string(TYPE_TEXT, arena_strdup(arena, buf), (uint32_t)strlen(buf));
    return ok;
}

static bool no_session(Error *err) {
    return error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED, "settings are not available here");
}

static bool fn_current_setting(const Value *args, Arena *arena, Value *out, Error *err) {
    char buf[256];
    if (!server_info.setting_get) return no_session(err);
    const char *name = arena_strndup(arena, args[0].u.s, args[0].len);
    return setting_result(server_info.setting_get(server_info.ctx, name, buf, sizeof buf, err), buf, arena, out);
}

static bool fn_current_setting_missing_ok(const Value *args, Arena *arena, Value *out, Error *err) {
    if (fn_current_setting(args, arena, out, err)) return true;
    if (!args[1].u.b || strcmp(err->sqlstate, SQLSTATE_UNDEFINED_OBJECT) != 0) return false;
    error_clear(err);
    *out = value_null(TYPE_TEXT);
    return true;
}

/* current_user and session_user: the session's roles (through the
 * settings callback, which knows the session). */
static bool session_value(const char *name, Arena *arena, Value *out, Error *err) {
    char buf[256];
    if (!server_info.setting_get) return no_session(err);
    return setting_result(server_info.setting_get(server_info.ctx, name, buf, sizeof buf, err), buf, arena, out);
}

static bool fn_current_user(const Value *args, Arena *arena, Value *out, Error *err) {
    (void)args;
    return session_value("current_user", arena, out, err);
}

static bool fn_session_user(const Value *args, Arena *arena, Value *out, Error *err) {
    (void)args;
    return session_value("session_user", arena, out, err);
}

static bool fn_set_config(const Value *args, Arena *arena, Value *out, Error *err) {
    char buf[256];
    if (!server_info.setting_set) return no_session(err);
    const char *name = arena_strndup(arena, args[0].u.s, args[0].len);
    const char *value = arena_strndup(arena, args[1].u.s, args[1].len);
    return setting_result(server_info.setting_set(server_info.ctx, name, value, args[2].u.b, buf, sizeof buf, err), buf,
                          arena, out);
}

/* pg_notify(channel, payload): returns void. */
static bool fn_pg_notify(const Value *args, Arena *arena, Value *out, Error *err) {
    if (!server_info.notify)
        return error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED, "notifications are not available here");
    const char *channel = arena_strndup(arena, args[0].u.s, args[0].len);
    const char *payload = arena_strndup(arena, args[1].u.s, args[1].len);
    if (!server_info.notify(server_info.ctx, channel, payload, err)) return false;
    *out = value_string(TYPE_VOID, "", 0);
    return true;
}

static const TypeId TEXT_ARG[] = {TYPE_TEXT}, TEXT_BOOL_ARGS[] = {TYPE_TEXT, TYPE_BOOL},
                    TEXT_TEXT_ARGS[] = {TYPE_TEXT, TYPE_TEXT}, SET_CONFIG_ARGS[] = {TYPE_TEXT, TYPE_TEXT, TYPE_BOOL};

static const PlannerFunc FUNCS[] = {
    {2077, "current_setting", 1, TEXT_ARG, TYPE_TEXT, FUNC_STABLE, fn_current_setting, false, false, false},
    {3294, "current_setting", 2, TEXT_BOOL_ARGS, TYPE_TEXT, FUNC_STABLE, fn_current_setting_missing_ok, false, false,
     false},
    {2078, "set_config", 3, SET_CONFIG_ARGS, TYPE_TEXT, FUNC_VOLATILE, fn_set_config, false, false, false},
    {745, "current_user", 0, NULL, TYPE_TEXT, FUNC_STABLE, fn_current_user, false, false, false},
    {746, "session_user", 0, NULL, TYPE_TEXT, FUNC_STABLE, fn_session_user, false, false, false},
    {3036, "pg_notify", 2, TEXT_TEXT_ARGS, TYPE_VOID, FUNC_VOLATILE, fn_pg_notify, false, false, false},
    {2849, "pg_current_wal_lsn", 0, NULL, TYPE_PG_LSN, FUNC_VOLATILE, fn_current_wal_lsn, false, false, false},
    {2852, "pg_current_wal_insert_lsn", 0, NULL, TYPE_PG_LSN, FUNC_VOLATILE, fn_current_wal_insert_lsn, false, false,
     false},
    {3330, "pg_current_wal_flush_lsn", 0, NULL, TYPE_PG_LSN, FUNC_VOLATILE, fn_current_wal_flush_lsn, false, false,
     false},
};

int planner__func_candidates(const char *name, int nargs, bool operator, const PlannerFunc ** out, int max) {
    size_t nbuiltin;
    const BuiltinFunc *builtin = builtin_funcs(&nbuiltin);
    int n = 0;
    for (size_t i = 0; i < nbuiltin + ARRAY_LEN(FUNCS); i++) {
        const PlannerFunc *f = i < nbuiltin ? &builtin[i] : &FUNCS[i - nbuiltin];
        if (f->operator!= operator||(f->variadic ? nargs <= f->nargs : f->nargs != nargs) || strcmp(f->name, name) != 0)
            continue;
        if (n < max) out[n] = f;
        n++;
    }
    return n;
}

static bool eval_func(const BExpr *e, const Value *row, const Value *params, Arena *arena, Value *out, Error *err) {
    const PlannerFunc *fn = e->u.func.fn;
    int n = e->u.func.nargs;
    Value *args = arena_alloc(arena, (size_t)(n + 1) * sizeof *args);
    for (int i = 0; i < n; i++) {
        if (!planner__eval(e->u.func.args[i], row, params, arena, &args[i], err)) return false;
        if (args[i].isnull && !fn->nonstrict) {
            *out = value_null(fn->result);
            return true;
        }
    }
    args[n] = (Value){.type = TYPE_INVALID}; /* a variadic function's end */
    return fn->call(args, arena, out, err);
}

/* ---- evaluation -------------------------------------------------------------------- */

static bool eval_arith(const BExpr *e, const Value *row, const Value *params, Arena *arena, Value *out, Error *err) {
    Value a, b;
    if (!planner__eval(e->u.op.left, row, params, arena, &a, err)) return false;
    if (!planner__eval(e->u.op.right, row, params, arena, &b, err)) return false;
    if (a.isnull || b.isnull) {
        *out = value_null(e->type);
        return true;
    }
    if (e->u.op.op == SQL_OP_CONCAT) {
        concat(&a, &b, arena, out);
        return true;
    }
    if (e->u.op.left->type == TYPE_PG_LSN || e->u.op.right->type == TYPE_PG_LSN)
        return lsn_arith(e->u.op.op, &a, &b, arena, out, err);
    if (is_int(e->type)) return int_arith(e->u.op.op, e->type, a.u.i, b.u.i, out, err);
    if (e->type == TYPE_NUMERIC) return numeric_arith(numeric_op(e->u.op.op), &a, &b, arena, out, err);
    return float_arith(e->u.op.op, e->type, a.u.f, b.u.f, out, err);
}

static bool eval_neg(const BExpr *e, const Value *row, const Value *params, Arena *arena, Value *out, Error *err) {
    if (!planner__eval(e->u.arg, row, params, arena, out, err)) return false;
    if (out->isnull) return true;
    if (is_float(out->type)) {
        out->u.f = -out->u.f;
        return true;
    }
    if (out->type == TYPE_NUMERIC) {
        numeric_negate(out, arena, out);
        return true;
    }
    if (out->type == TYPE_INTERVAL) return interval_negate(out, arena, out, err);
    return int_arith(SQL_OP_SUB, e->type, 0, out->u.i, out, err);
}

static bool eval_compare(const BExpr *e, const Value *row, const Value *params, Arena *arena, Value *out, Error *err) {
    Value a, b;
    if (!planner__eval(e->u.op.left, row, params, arena, &a, err)) return false;
    if (!planner__eval(e->u.op.right, row, params, arena, &b, err)) return false;
    if (a.isnull || b.isnull)
        *out = value_null(TYPE_BOOL);
    else
        *out = value_bool(compare_result(e->u.op.op, value_compare(&a, &b)));
    return true;
}

/* AND/OR with SQL's three-valued logic; the right side is skipped when the
 * left decides. */
static bool eval_logic(const BExpr *e, const Value *row, const Value *params, Arena *arena, Value *out, Error *err) {
    bool is_and = e->kind == BEXPR_AND;
    Value a, b;
    if (!planner__eval(e->u.op.left, row, params, arena, &a, err)) return false;
    if (!a.isnull && a.u.b != is_and) {
        *out = a;
        return true;
    }
    if (!planner__eval(e->u.op.right, row, params, arena, &b, err)) return false;
    if (!b.isnull && b.u.b != is_and)
        *out = b;
    else if (a.isnull || b.isnull)
        *out = value_null(TYPE_BOOL);
    else
        *out = value_bool(is_and);
    return true;
}

static bool eval_array(const BExpr *e, const Value *row, const Value *params, Arena *arena, Value *out, Error *err) {
    int n = e->u.array.n;
    Value *items = arena_alloc(arena, (size_t)(n + 1) * sizeof *items);
    for (int i = 0; i < n; i++)
        if (!planner__eval(e->u.array.items[i], row, params, arena, &items[i], err)) return false;
    array_make(e->type, 1, items, (uint32_t)n, arena, out);
    return true;
}

/* An optional int4 subscript: *present false for an open end, *isnull for NULL. */
static bool eval_bound(const BExpr *e, const Value *row, const Value *params, Arena *arena, int64_t *out, bool *present,
                       bool *isnull, Error *err) {
    *present = e != NULL;
    if (!e) return true;
    Value v;
    if (!planner__eval(e, row, params, arena, &v, err)) return false;
    *isnull |= v.isnull;
    *out = v.u.i;
    return true;
}

static bool eval_subscript(const BExpr *e, const Value *row, const Value *params, Arena *arena, Value *out,
                           Error *err) {
    Value a;
    int64_t i = 0, lo = 0, hi = 0;
    bool has_i, has_lo, has_hi, isnull = false;
    if (!planner__eval(e->u.subscript.value, row, params, arena, &a, err) ||
        !eval_bound(e->u.subscript.index, row, params, arena, &i, &has_i, &isnull, err) ||
        !eval_bound(e->u.subscript.lower, row, params, arena, &lo, &has_lo, &isnull, err) ||
        !eval_bound(e->u.subscript.upper, row, params, arena, &hi, &has_hi, &isnull, err))
        return false;
    if (a.isnull || isnull) {
        *out = value_null(e->type);
        return true;
    }
    if (e->u.subscript.slice)
        array_slice(&a, has_lo ? &lo : NULL, has_hi ? &hi : NULL, arena, out);
    else
        array_element(&a, i, out);
    return true;
}

/* x op ANY (a): true if it holds for some element, else NULL if x or an
 * element is NULL, else false; ALL the other way round. */
static bool eval_any(const BExpr *e, const Value *row, const Value *params, Arena *arena, Value *out, Error *err) {
    Value x, a, v;
    if (!planner__eval(e->u.any.left, row, params, arena, &x, err)) return false;
    if (!planner__eval(e->u.any.right, row, params, arena, &a, err)) return false;
    *out = value_null(TYPE_BOOL);
    if (a.isnull) return true;
    bool all = e->u.any.all, saw_null = false;
    ArrayReader r;
    array_read(&a, &r);
    while (array_next(&r, &v)) {
        if (x.isnull || v.isnull) {
            saw_null = true;
            continue;
        }
        if (compare_result(e->u.any.op, value_compare(&x, &v)) != all) {
            *out = value_bool(!all);
            return true;
        }
    }
    if (!saw_null) *out = value_bool(all);
    return true;
}

/* CASE x WHEN ...: the value of x while its WHEN comparisons run. A
 * nested CASE saves and restores it, so one slot serves every level (as
 * PostgreSQL's executor keeps one caseValue per expression context); all
 * evaluation runs on the engine thread. */
static const Value *case_value;

/* x op ANY (SELECT ...): the subquery row being compared, its columns the
 * test reads (see case_value). */
static const Value *sublink_value;

/* ---- sublinks ---------------------------------------------------------------------------
 * A subquery in an expression runs in the statement's run, with its
 * correlation parameters set from the row first; an uncorrelated one runs
 * once per run and its result is kept (a scalar, EXISTS's answer, or the
 * values ANY and ALL compare with). */

static Value kept(const Value *v, Arena *arena) {
    Value c = *v;
    value_detach(&c, arena);
    return c;
}

/* ANY / ALL of the test over the values: three-valued, as PostgreSQL's. */
static bool compare_all(const BExpr *e, const Value *values, size_t n, const Value *row, const Value *params,
                        Arena *arena, Value *out, Error *err) {
    bool all = e->u.sublink.kind == SQL_SUBLINK_ALL, saw_null = false;
    const Value *saved = sublink_value;
    for (size_t i = 0; i < n; i++) {
        Value r;
        sublink_value = &values[i * (size_t)e->u.sublink.ncols];
        bool ok = planner__eval(e->u.sublink.test, row, params, arena, &r, err);
        sublink_value = saved;
        if (!ok) return false;
        if (r.isnull) {
            saw_null = true;
            continue;
        }
        if (r.u.b != all) {
            *out = value_bool(!all);
            return true;
        }
    }
    *out = saw_null ? value_null(TYPE_BOOL) : value_bool(all);
    return true;
}

/* Runs the subquery: EXISTS's answer, the scalar (NULL without a row;
 * 21000 with two), or every row's first ncols columns (ANY / ALL) into
 * *values (*n rows). */
static bool run_sublink(const BExpr *e, Run *run, Arena *arena, Arena *keep, Value *out, Value **values, size_t *n,
                        Error *err) {
    Run sub = *run;
    sub.arena = arena;
    sub.status = STORAGE_OK;
    sub.yield_at = 0; /* it runs inside an expression: whole */
    Op *root = planner__open(&sub, e->u.sublink.plan->root);
    SqlSublinkKind kind = e->u.sublink.kind;
    const Value *row;
    bool ok = planner__next(root, &row);
    size_t cap = 0;
    *n = 0;
    if (ok && kind == SQL_SUBLINK_EXISTS) {
        *out = value_bool(row != NULL);
    } else if (ok && kind == SQL_SUBLINK_EXPR) {
        *out = row ? kept(&row[0], keep) : value_null(e->type);
        if (row && (ok = planner__next(root, &row)) && row)
            ok = error_set(err, SQLSTATE_CARDINALITY_VIOLATION,
                           "more than one row returned by a subquery used as an expression");
    } else {
        size_t k = (size_t)e->u.sublink.ncols;
        for (; ok && row; ok = planner__next(root, &row)) {
            if (*n == cap) {
                cap = cap ? 2 * cap : 16;
                Value *grown = arena_alloc(keep, cap * k * sizeof *grown);
                if (*n) memcpy(grown, *values, *n * k * sizeof *grown);
                *values = grown;
            }
            for (size_t j = 0; j < k; j++) (*values)[*n * k + j] = kept(&row[j], keep);
            (*n)++;
        }
    }
    planner__close(root);
    return ok;
}

bool planner__eval_sublink(const BExpr *e, const Value *row, const Value *params, Arena *arena, Value *out,
                           Error *err) {
    Run *run = planner__current_run();
    if (!run) return error_set(err, SQLSTATE_INTERNAL_ERROR, "a subquery outside a running statement");
    for (int i = 0; i < e->u.sublink.nparams; i++)
        if (!planner__eval(e->u.sublink.args[i], row, params, arena, &run->exec[e->u.sublink.slots[i]], err))
            return false;
    SublinkCache *cache = e->u.sublink.cache >= 0 ? &run->cache[e->u.sublink.cache] : NULL;
    Value value, *values = NULL;
    size_t n = 0;
    if (cache && cache->done) {
        value = cache->value, values = cache->rows, n = cache->nrows;
    } else {
        if (!run_sublink(e, run, arena, cache ? run->keep : arena, &value, &values, &n, err)) return false;
        if (cache) *cache = (SublinkCache){true, value, values, n};
    }
    if (e->u.sublink.kind == SQL_SUBLINK_EXISTS || e->u.sublink.kind == SQL_SUBLINK_EXPR) {
        *out = value;
        return true;
    }
    if (e->u.sublink.kind == SQL_SUBLINK_ARRAY) { /* every row's value, in order; none: an empty array */
        array_make((TypeId)e->type, 1, values, (uint32_t)n, arena, out);
        return true;
    }
    return compare_all(e, values, n, row, params, arena, out, err);
}

static bool eval_case(const BExpr *e, const Value *row, const Value *params, Arena *arena, Value *out, Error *err) {
    Value arg, cond;
    const Value *saved = case_value;
    if (e->u.case_.arg && !planner__eval(e->u.case_.arg, row, params, arena, &arg, err)) return false;
    const BExpr *result = e->u.case_.else_;
    for (int i = 0; i < e->u.case_.n; i++) {
        if (e->u.case_.arg) case_value = &arg;
        bool ok = planner__eval(e->u.case_.whens[i], row, params, arena, &cond, err);
        case_value = saved;
        if (!ok) return false;
        if (!cond.isnull && cond.u.b) {
            result = e->u.case_.thens[i];
            break;
        }
    }
    return planner__eval(result, row, params, arena, out, err);
}

/* IS [NOT] DISTINCT FROM: NULL is equal to NULL and distinct from any value. */
static bool eval_distinct(const BExpr *e, const Value *row, const Value *params, Arena *arena, Value *out, Error *err) {
    Value a, b;
    if (!planner__eval(e->u.op.left, row, params, arena, &a, err)) return false;
    if (!planner__eval(e->u.op.right, row, params, arena, &b, err)) return false;
    bool equal = a.isnull || b.isnull ? a.isnull == b.isnull : value_compare(&a, &b) == 0;
    *out = value_bool(equal == (e->u.op.op == SQL_OP_EQ));
    return true;
}

static bool eval_booltest(const BExpr *e, const Value *row, const Value *params, Arena *arena, Value *out, Error *err) {
    Value a;
    if (!planner__eval(e->u.booltest.arg, row, params, arena, &a, err)) return false;
    bool holds =
        e->u.booltest.test == SQL_IS_UNKNOWN ? a.isnull : !a.isnull && a.u.b == (e->u.booltest.test == SQL_IS_TRUE);
    *out = value_bool(holds != e->u.booltest.negated);
    return true;
}

/* COALESCE: the items are evaluated only up to the first that is not NULL. */
static bool eval_coalesce(const BExpr *e, const Value *row, const Value *params, Arena *arena, Value *out, Error *err) {
    for (int i = 0; i < e->u.list.n; i++) {
        if (!planner__eval(e->u.list.items[i], row, params, arena, out, err)) return false;
        if (!out->isnull) return true;
    }
    *out = value_null(e->type);
    return true;
}

/* GREATEST / LEAST: NULLs are ignored; NULL only if every item is. */
static bool eval_minmax(const BExpr *e, const Value *row, const Value *params, Arena *arena, Value *out, Error *err) {
    int sign = e->kind == BEXPR_GREATEST ? 1 : -1;
    *out = value_null(e->type);
    for (int i = 0; i < e->u.list.n; i++) {
        Value v;
        if (!planner__eval(e->u.list.items[i], row, params, arena, &v, err)) return false;
        if (!v.isnull && (out->isnull || sign * value_compare(&v, out) > 0)) *out = v;
    }
    return true;
}

static bool eval_nullif(const BExpr *e, const Value *row, const Value *params, Arena *arena, Value *out, Error *err) {
    Value b;
    if (!planner__eval(e->u.op.left, row, params, arena, out, err)) return false;
    if (!planner__eval(e->u.op.right, row, params, arena, &b, err)) return false;
    if (!out->isnull && !b.isnull && value_compare(out, &b) == 0) *out = value_null(e->type);
    return true;
}

bool planner__eval(const BExpr *e, const Value *row, const Value *params, Arena *arena, Value *out, Error *err) {
    switch (e->kind) {
    case BEXPR_COLUMN: *out = row[e->u.column]; return true;
    case BEXPR_CONST: *out = e->u.constant; return true;
    case BEXPR_PARAM: *out = params[e->u.param]; return true;
    default: break;
    }
    if (!stack_check(err)) return false; /* only the recursive kinds below */
    switch (e->kind) {
    case BEXPR_CAST:
        if (!planner__eval(e->u.cast.arg, row, params, arena, out, err)) return false;
        return planner__cast_value(out, e->type, e->u.cast.typmod, e->u.cast.is_explicit, arena, err);
    case BEXPR_ARITH: return eval_arith(e, row, params, arena, out, err);
    case BEXPR_NEG: return eval_neg(e, row, params, arena, out, err);
    case BEXPR_COMPARE: return eval_compare(e, row, params, arena, out, err);
    case BEXPR_AND:
    case BEXPR_OR: return eval_logic(e, row, params, arena, out, err);
    case BEXPR_NOT:
        if (!planner__eval(e->u.arg, row, params, arena, out, err)) return false;
        if (!out->isnull) out->u.b = !out->u.b;
        return true;
    case BEXPR_IS_NULL: {
        Value a;
        if (!planner__eval(e->u.isnull.arg, row, params, arena, &a, err)) return false;
        *out = value_bool(a.isnull != e->u.isnull.negated);
        return true;
    }
    case BEXPR_FUNC: return eval_func(e, row, params, arena, out, err);
    case BEXPR_ARRAY: return eval_array(e, row, params, arena, out, err);
    case BEXPR_SUBSCRIPT: return eval_subscript(e, row, params, arena, out, err);
    case BEXPR_ANY: return eval_any(e, row, params, arena, out, err);
    case BEXPR_CASE: return eval_case(e, row, params, arena, out, err);
    case BEXPR_CASE_VALUE:
        if (!case_value) return error_set(err, SQLSTATE_INTERNAL_ERROR, "CASE value outside its CASE");
        *out = *case_value;
        return true;
    case BEXPR_DISTINCT: return eval_distinct(e, row, params, arena, out, err);
    case BEXPR_BOOLTEST: return eval_booltest(e, row, params, arena, out, err);
    case BEXPR_COALESCE: return eval_coalesce(e, row, params, arena, out, err);
    case BEXPR_GREATEST:
    case BEXPR_LEAST: return eval_minmax(e, row, params, arena, out, err);
    case BEXPR_NULLIF: return eval_nullif(e, row, params, arena, out, err);
    case BEXPR_SUBLINK: return planner__eval_sublink(e, row, params, arena, out, err);
    case BEXPR_SUBLINK_VALUE:
        if (!sublink_value) return error_set(err, SQLSTATE_INTERNAL_ERROR, "subquery value outside its subquery");
        *out = sublink_value[e->u.param];
        return true;
    case BEXPR_EXEC_PARAM: {
        Run *run = planner__current_run();
        if (!run || !run->exec) return error_set(err, SQLSTATE_INTERNAL_ERROR, "correlation parameter outside a run");
        *out = run->exec[e->u.param];
        return true;
    }
    default: break;
    }
    return error_set(err, SQLSTATE_INTERNAL_ERROR, "unknown expression kind %d", (int)e->kind);
}

bool planner__eval_bool(const BExpr *e, const Value *row, const Value *params, Arena *arena, bool *out, Error *err) {
    Value v;
    if (!planner__eval(e, row, params, arena, &v, err)) return false;
    *out = !v.isnull && v.u.b;
    return true;
}

/* ---- walking expressions ---------------------------------------------------------------- */

static bool visit_all(BExpr **slots, int n, BExprVisit visit, void *ctx) {
    for (int i = 0; i < n; i++)
        if (slots[i] && !visit(&slots[i], ctx)) return false;
    return true;
}

int planner__compare_ordered(const Value *a, const Value *b, bool desc, bool nulls_first) {
    if (a->isnull || b->isnull) {
        if (a->isnull && b->isnull) return 0;
        int r = a->isnull ? 1 : -1;
        return nulls_first ? -r : r;
    }
    int r = value_compare(a, b);
    return desc ? -r : r;
}

typedef struct FindKind {
    BExprKind kind;
    const BExpr *found;
} FindKind;

static bool find_kind(BExpr **slot, void *ctx) {
    FindKind *f = ctx;
    if ((*slot)->kind == f->kind) f->found = *slot;
    return f->found || planner__visit_children(*slot, find_kind, ctx);
}

const BExpr *planner__find_kind(BExpr *e, BExprKind kind) {
    FindKind f = {kind, NULL};
    find_kind(&e, &f);
    return f.found;
}

bool planner__visit_children(BExpr *e, BExprVisit visit, void *ctx) {
    switch (e->kind) {
    case BEXPR_CONST:
    case BEXPR_COLUMN:
    case BEXPR_PARAM:
    case BEXPR_CASE_VALUE:
    case BEXPR_SUBLINK_VALUE:
    case BEXPR_EXEC_PARAM:
    case BEXPR_WINDOW:
    case BEXPR_AGGREF: return true; /* its arguments are its call's, over another row */
    case BEXPR_SUBLINK:             /* its test and parameters read this row; its subquery is a query of its own */
        if (e->u.sublink.test && !visit(&e->u.sublink.test, ctx)) return false;
        return visit_all(e->u.sublink.args, e->u.sublink.nparams, visit, ctx);
    case BEXPR_CAST: return visit(&e->u.cast.arg, ctx);
    case BEXPR_NEG:
    case BEXPR_NOT: return visit(&e->u.arg, ctx);
    case BEXPR_IS_NULL: return visit(&e->u.isnull.arg, ctx);
    case BEXPR_BOOLTEST: return visit(&e->u.booltest.arg, ctx);
    case BEXPR_ARITH:
    case BEXPR_COMPARE:
    case BEXPR_AND:
    case BEXPR_OR:
    case BEXPR_DISTINCT:
    case BEXPR_NULLIF: return visit(&e->u.op.left, ctx) && visit(&e->u.op.right, ctx);
    case BEXPR_ANY: return visit(&e->u.any.left, ctx) && visit(&e->u.any.right, ctx);
    case BEXPR_FUNC: return visit_all(e->u.func.args, e->u.func.nargs, visit, ctx);
    case BEXPR_ARRAY: return visit_all(e->u.array.items, e->u.array.n, visit, ctx);
    case BEXPR_COALESCE:
    case BEXPR_GREATEST:
    case BEXPR_LEAST: return visit_all(e->u.list.items, e->u.list.n, visit, ctx);
    case BEXPR_SUBSCRIPT:
        return visit(&e->u.subscript.value, ctx) && (!e->u.subscript.index || visit(&e->u.subscript.index, ctx)) &&
               (!e->u.subscript.lower || visit(&e->u.subscript.lower, ctx)) &&
               (!e->u.subscript.upper || visit(&e->u.subscript.upper, ctx));
    case BEXPR_CASE:
        if (e->u.case_.arg && !visit(&e->u.case_.arg, ctx)) return false;
        for (int i = 0; i < e->u.case_.n; i++)
            if (!visit(&e->u.case_.whens[i], ctx) || !visit(&e->u.case_.thens[i], ctx)) return false;
        return visit(&e->u.case_.else_, ctx);
    }
    return true;
}

static BExpr **copy_slots(BExpr *const *slots, int n, Arena *arena) {
    BExpr **copy = arena_alloc(arena, (size_t)(n + 1) * sizeof *copy);
    if (n) memcpy(copy, slots, (size_t)n * sizeof *copy);
    return copy;
}

BExpr *planner__copy_node(const BExpr *e, Arena *arena) {
    BExpr *k = arena_alloc(arena, sizeof *k);
    *k = *e;
    switch (e->kind) {
    case BEXPR_FUNC: k->u.func.args = copy_slots(e->u.func.args, e->u.func.nargs, arena); break;
    case BEXPR_ARRAY: k->u.array.items = copy_slots(e->u.array.items, e->u.array.n, arena); break;
    case BEXPR_COALESCE:
    case BEXPR_GREATEST:
    case BEXPR_LEAST: k->u.list.items = copy_slots(e->u.list.items, e->u.list.n, arena); break;
    case BEXPR_SUBLINK: k->u.sublink.args = copy_slots(e->u.sublink.args, e->u.sublink.nparams, arena); break;
    case BEXPR_CASE:
        k->u.case_.whens = copy_slots(e->u.case_.whens, e->u.case_.n, arena);
        k->u.case_.thens = copy_slots(e->u.case_.thens, e->u.case_.n, arena);
        break;
    default: break;
    }
    return k;
}

static bool values_equal(const Value *a, const Value *b) {
    if (a->type != b->type || a->isnull != b->isnull) return false;
    return a->isnull || value_compare(a, b) == 0;
}

typedef struct EqualWalk {
    BExpr **slots;
    int n, cap;
} EqualWalk;

static bool collect_child(BExpr **slot, void *ctx) {
    EqualWalk *w = ctx;
    if (w->n < w->cap) w->slots[w->n] = *slot;
    w->n++;
    return true;
}

/* The node's own fields (not its children) equal. */
static bool same_node(const BExpr *a, const BExpr *b) {
    if (a->kind != b->kind || a->type != b->type || a->typmod != b->typmod) return false;
    switch (a->kind) {
    case BEXPR_CONST: return values_equal(&a->u.constant, &b->u.constant);
    case BEXPR_COLUMN: return a->u.column == b->u.column;
    case BEXPR_PARAM: return a->u.param == b->u.param;
    case BEXPR_CAST: return a->u.cast.typmod == b->u.cast.typmod && a->u.cast.is_explicit == b->u.cast.is_explicit;
    case BEXPR_ARITH:
    case BEXPR_COMPARE:
    case BEXPR_DISTINCT: return a->u.op.op == b->u.op.op;
    case BEXPR_IS_NULL: return a->u.isnull.negated == b->u.isnull.negated;
    case BEXPR_BOOLTEST:
        return a->u.booltest.test == b->u.booltest.test && a->u.booltest.negated == b->u.booltest.negated;
    case BEXPR_FUNC: return a->u.func.fn == b->u.func.fn && a->u.func.nargs == b->u.func.nargs;
    case BEXPR_ARRAY: return a->u.array.n == b->u.array.n;
    case BEXPR_SUBSCRIPT:
        return a->u.subscript.slice == b->u.subscript.slice && !a->u.subscript.index == !b->u.subscript.index &&
               !a->u.subscript.lower == !b->u.subscript.lower && !a->u.subscript.upper == !b->u.subscript.upper;
    case BEXPR_ANY: return a->u.any.op == b->u.any.op && a->u.any.all == b->u.any.all;
    case BEXPR_CASE: return !a->u.case_.arg == !b->u.case_.arg && a->u.case_.n == b->u.case_.n;
    case BEXPR_COALESCE:
    case BEXPR_GREATEST:
    case BEXPR_LEAST: return a->u.list.n == b->u.list.n;
    case BEXPR_AGGREF: return a->u.aggref.index == b->u.aggref.index;
    case BEXPR_SUBLINK:
        return a->u.sublink.kind == b->u.sublink.kind && a->u.sublink.nparams == b->u.sublink.nparams &&
               a->u.sublink.len == b->u.sublink.len &&
               !memcmp(a->u.sublink.text, b->u.sublink.text, a->u.sublink.len) &&
               !a->u.sublink.test == !b->u.sublink.test;
    case BEXPR_EXEC_PARAM:
    case BEXPR_WINDOW: return a->u.param == b->u.param;
    default: return true;
    }
}

bool planner__bexpr_equal(const BExpr *a, const BExpr *b) {
    if (!same_node(a, b)) return false;
    BExpr *sa[8], *sb[8];
    EqualWalk wa = {sa, 0, 8}, wb = {sb, 0, 8};
    planner__visit_children((BExpr *)a, collect_child, &wa);
    planner__visit_children((BExpr *)b, collect_child, &wb);
    if (wa.n != wb.n) return false;
    if (wa.n > 8) { /* many children: walk them again into room for all */
        wa = (EqualWalk){malloc((size_t)wa.n * sizeof(BExpr *)), 0, wa.n};
        wb = (EqualWalk){malloc((size_t)wb.n * sizeof(BExpr *)), 0, wb.n};
        if (!wa.slots || !wb.slots) abort();
        planner__visit_children((BExpr *)a, collect_child, &wa);
        planner__visit_children((BExpr *)b, collect_child, &wb);
    }
    bool equal = true;
    for (int i = 0; i < wa.n && equal; i++) equal = planner__bexpr_equal(wa.slots[i], wb.slots[i]);
    if (wa.slots != sa) free(wa.slots), free(wb.slots);
    return equal;
}
