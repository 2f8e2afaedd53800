/*
 * agg.c — the aggregate functions: which one a call means (PostgreSQL's
 * signatures and result types) and how a group's state takes in its rows
 * and gives the result.
 *
 * Result types are PostgreSQL's: count is bigint; sum of smallint or
 * integer is bigint, of bigint or numeric numeric, of a float the float,
 * of an interval an interval; avg of an integer or numeric is numeric, of
 * a float double precision; the variance family numeric or double
 * precision; min and max the argument's type (text for varchar).
 *
 * The arithmetic is PostgreSQL's too, so results print the same: integer
 * sums are exact (128 bits, then numeric), avg divides with numeric
 * division's scale, float avg and variance follow float8_accum
 * (Youngs-Cramer), numeric variance numeric_stddev_internal.
 *
 * A call with DISTINCT or ORDER BY keeps its argument rows (with the
 * ORDER BY keys) until the group ends, then sorts (and, for DISTINCT,
 * drops repeats) and feeds them in that order. A NULL argument is skipped
 * by every aggregate but array_agg, json_agg and the json object ones.
 *
 * INTERFACE (planner-internal): planner__is_aggregate, planner__agg_resolve,
 *   planner__agg_new, planner__agg_step, planner__agg_final
 */
#define _GNU_SOURCE /* qsort_r */
#include "planner/planner_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name;
    AggFn fn;
    int nargs;
} AGGREGATES[] = {
    {"count", AGG_COUNT, 1},
    {"sum", AGG_SUM, 1},
    {"avg", AGG_AVG, 1},
    {"min", AGG_MIN, 1},
    {"max", AGG_MAX, 1},
    {"bool_and", AGG_BOOL_AND, 1},
    {"every", AGG_BOOL_AND, 1},
    {"bool_or", AGG_BOOL_OR, 1},
    {"string_agg", AGG_STRING_AGG, 2},
    {"array_agg", AGG_ARRAY_AGG, 1},
    {"json_agg", AGG_JSON_AGG, 1},
    {"jsonb_agg", AGG_JSONB_AGG, 1},
    {"json_object_agg", AGG_JSON_OBJECT_AGG, 2},
    {"jsonb_object_agg", AGG_JSONB_OBJECT_AGG, 2},
    {"variance", AGG_VAR_SAMP, 1},
    {"var_samp", AGG_VAR_SAMP, 1},
    {"var_pop", AGG_VAR_POP, 1},
    {"stddev", AGG_STDDEV_SAMP, 1},
    {"stddev_samp", AGG_STDDEV_SAMP, 1},
    {"stddev_pop", AGG_STDDEV_POP, 1},
};

bool planner__is_aggregate(const char *name) {
    for (size_t i = 0; i < ARRAY_LEN(AGGREGATES); i++)
        if (strcmp(AGGREGATES[i].name, name) == 0) return true;
    return false;
}

/* ---- resolution ------------------------------------------------------------------------ */

static bool is_int(TypeId t) { return t == TYPE_INT2 || t == TYPE_INT4 || t == TYPE_INT8; }
static bool is_float(TypeId t) { return t == TYPE_FLOAT4 || t == TYPE_FLOAT8; }
static bool is_string(TypeId t) { return t == TYPE_TEXT || t == TYPE_VARCHAR || t == TYPE_BPCHAR; }

/* The types min and max are defined for (PostgreSQL 15's pg_aggregate). */
static bool has_min_max(TypeId t) {
    switch (t) {
    case TYPE_INT2:
    case TYPE_INT4:
    case TYPE_INT8:
    case TYPE_OID:
    case TYPE_FLOAT4:
    case TYPE_FLOAT8:
    case TYPE_DATE:
    case TYPE_TIME:
    case TYPE_TIMETZ:
    case TYPE_TIMESTAMP:
    case TYPE_TIMESTAMPTZ:
    case TYPE_INTERVAL:
    case TYPE_TEXT:
    case TYPE_VARCHAR:
    case TYPE_BPCHAR:
    case TYPE_NUMERIC:
    case TYPE_PG_LSN: return true;
    default: return type_is_array(t);
    }
}

/*
 * The result type of fn on an argument of type t (the first argument),
 * and the type the argument is converted to (*arg), or TYPE_INVALID when
 * fn takes no such argument. An unknown literal is text where text is one
 * of fn's types, and ambiguous (*ambiguous) where several are.
 */
static TypeId result_type(AggFn fn, TypeId t, TypeId *arg, bool *ambiguous) {
    *arg = t;
    *ambiguous = false;
    bool unknown = t == TYPE_UNKNOWN;
    switch (fn) {
    case AGG_GROUPING: return TYPE_INT4; /* not resolved by name: bind.c makes it */
    case AGG_COUNT: return TYPE_INT8;
    case AGG_SUM:
        if (unknown) return *ambiguous = true, TYPE_INVALID;
        if (t == TYPE_INT2 || t == TYPE_INT4) return TYPE_INT8;
        if (t == TYPE_INT8 || t == TYPE_NUMERIC) return TYPE_NUMERIC;
        if (is_float(t) || t == TYPE_INTERVAL) return t;
        return TYPE_INVALID;
    case AGG_AVG:
        if (unknown) return *ambiguous = true, TYPE_INVALID;
        if (is_int(t) || t == TYPE_NUMERIC) return TYPE_NUMERIC;
        if (is_float(t)) return TYPE_FLOAT8;
        return t == TYPE_INTERVAL ? TYPE_INTERVAL : TYPE_INVALID;
    case AGG_VAR_SAMP:
    case AGG_VAR_POP:
    case AGG_STDDEV_SAMP:
    case AGG_STDDEV_POP:
        if (unknown) return *ambiguous = true, TYPE_INVALID;
        if (is_int(t) || t == TYPE_NUMERIC) return TYPE_NUMERIC;
        return is_float(t) ? TYPE_FLOAT8 : TYPE_INVALID;
    case AGG_MIN:
    case AGG_MAX:
        if (unknown) return *ambiguous = true, TYPE_INVALID;
        if (!has_min_max(t)) return TYPE_INVALID;
        if (t == TYPE_VARCHAR) *arg = TYPE_TEXT;
        return *arg;
    case AGG_BOOL_AND:
    case AGG_BOOL_OR: *arg = TYPE_BOOL; return unknown || t == TYPE_BOOL ? TYPE_BOOL : TYPE_INVALID;
    case AGG_STRING_AGG:
        if (unknown || is_string(t)) return *arg = TYPE_TEXT;
        return t == TYPE_BYTEA ? TYPE_BYTEA : TYPE_INVALID;
    case AGG_ARRAY_AGG:
        if (unknown) return *ambiguous = true, TYPE_INVALID;
        return type_is_array(t) ? TYPE_INVALID : type_array_of(t);
    case AGG_JSON_AGG: *arg = unknown ? TYPE_TEXT : t; return TYPE_JSON;
    case AGG_JSONB_AGG: *arg = unknown ? TYPE_TEXT : t; return TYPE_JSONB;
    case AGG_JSON_OBJECT_AGG: *arg = unknown ? TYPE_TEXT : t; return TYPE_JSON;
    case AGG_JSONB_OBJECT_AGG: *arg = unknown ? TYPE_TEXT : t; return TYPE_JSONB;
    }
    return TYPE_INVALID;
}

static const BuiltinFunc *builtin(const char *name, int nargs, bool operator, TypeId a0, TypeId a1) {
    const PlannerFunc *c[16];
    int n = planner__func_candidates(name, nargs, operator, c, 16);
    for (int i = 0; i < n && i < 16; i++)
        if (c[i]->argtypes[0] == a0 && (nargs < 2 || c[i]->argtypes[1] == a1)) return c[i];
    return n > 0 ? c[0] : NULL;
}

AggResolution planner__agg_resolve(const char *name, int nargs, const TypeId *types, AggCall *call) {
    bool arity = false;
    for (size_t i = 0; i < ARRAY_LEN(AGGREGATES); i++) {
        if (strcmp(AGGREGATES[i].name, name) != 0) continue;
        if (AGGREGATES[i].nargs != nargs) continue;
        arity = true;
        bool ambiguous;
        TypeId arg;
        TypeId result = result_type(AGGREGATES[i].fn, types[0], &arg, &ambiguous);
        if (ambiguous) return AGG_AMBIGUOUS;
        if (result == TYPE_INVALID) continue;
        call->fn = AGGREGATES[i].fn;
        call->name = AGGREGATES[i].name;
        call->type = result;
        call->argtype = arg;
        call->argtype2 = nargs > 1 ? (call->fn == AGG_STRING_AGG ? arg
                                      : types[1] == TYPE_UNKNOWN ? TYPE_TEXT
                                                                 : types[1])
                                   : TYPE_INVALID;
        if (call->fn == AGG_STRING_AGG && types[1] != TYPE_UNKNOWN && types[1] != arg &&
            !(arg == TYPE_TEXT && is_string(types[1])))
            return AGG_NONE;
        if (arg == TYPE_INTERVAL) {
            call->add = builtin("+", 2, true, TYPE_INTERVAL, TYPE_INTERVAL);
            call->div = builtin("/", 2, true, TYPE_INTERVAL, TYPE_FLOAT8);
        }
        if (call->fn == AGG_JSON_AGG || call->fn == AGG_JSON_OBJECT_AGG || call->fn == AGG_JSONB_AGG ||
            call->fn == AGG_JSONB_OBJECT_AGG)
            call->to_json = builtin("to_json", 1, false, TYPE_ANY, TYPE_INVALID);
        return AGG_FOUND;
    }
    (void)arity;
    return AGG_NONE;
}

/* ---- state ------------------------------------------------------------------------------ */

typedef struct Buffered {
    Value *vals; /* the arguments, then the ORDER BY keys */
    size_t seq;
} Buffered;

struct AggState {
    int64_t count;
    __int128 isum;     /* integer sums */
    double n, sx, sxx; /* float8_accum's N, Sx, Sxx; sum(float) in sx */
    Value v, v2;       /* numeric or interval sum (and sum of squares), min / max; detached */
    bool seen, b;
    StrBuf text;  /* string_agg, json_agg, json_object_agg */
    Value *items; /* array_agg */
    size_t nitems, cap;
    Buffered *rows; /* DISTINCT / ORDER BY: the rows, until the group ends */
    size_t nrows, rows_cap;
    Arena *keep;
};

AggState *planner__agg_new(const AggCall *c, Arena *keep) {
    (void)c;
    AggState *s = arena_zalloc(keep, sizeof *s);
    s->keep = keep;
    s->v.isnull = s->v2.isnull = true;
    strbuf_init(&s->text);
    return s;
}

void planner__agg_free(AggState *s) {
    strbuf_deinit(&s->text);
    free(s->items);
    free(s->rows);
}

static bool overflow(Error *err, const char *what) {
    return error_set(err, SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "%s out of range", what);
}

static void int128_to_numeric(__int128 v, Arena *arena, Value *out) {
    char buf[48];
    int k = sizeof buf;
    buf[--k] = '\0';
    bool neg = v < 0;
    unsigned __int128 u = neg ? -(unsigned __int128)v : (unsigned __int128)v;
    do buf[--k] = (char)('0' + (int)(u % 10));
    while ((u /= 10) > 0);
    if (neg) buf[--k] = '-';
    Error ignore;
    numeric_from_text(buf + k, strlen(buf + k), arena, out, &ignore);
}

static bool numeric_add_into(Value *sum, const Value *x, Arena *keep, Error *err) {
    if (sum->isnull) {
        *sum = *x;
        value_detach(sum, keep);
        return true;
    }
    Value r;
    if (!numeric_arith(NUMERIC_ADD, sum, x, keep, &r, err)) return false;
    *sum = r;
    return true;
}

/* float8_accum: N, Sx and Sxx by Youngs-Cramer, with its overflow checks. */
static bool float_accum(AggState *s, double x, Error *err) {
    double n = s->n + 1.0, sx = s->sx + x, sxx = s->sxx;
    if (s->n > 0.0) {
        double tmp = x * n - sx;
        sxx += tmp * tmp / (n * s->n);
        if (isinf(sx) || isinf(sxx)) {
            if (!isinf(s->sx) && !isinf(x))
                return error_set(err, SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "value out of range: overflow");
            sxx = NAN;
        }
    } else if (isnan(x) || isinf(x)) {
        sxx = NAN;
    }
    s->n = n, s->sx = sx, s->sxx = sxx;
    return true;
}

static bool append_json(const AggCall *c, StrBuf *b, const Value *v, Arena *arena, Error *err) {
    if (v->isnull) {
        strbuf_append_str(b, "null");
        return true;
    }
    Value args[2] = {*v, {.type = TYPE_INVALID}}, j;
    if (!c->to_json->call(args, arena, &j, err)) return false;
    strbuf_append(b, j.u.s, j.len);
    return true;
}

/* One row's arguments into the state (no DISTINCT / ORDER BY left to do). */
static bool transition(const AggCall *c, AggState *s, const Value *a, Arena *scratch, Error *err) {
    if (c->star) {
        s->count++;
        return true;
    }
    const Value *x = &a[0];
    bool is_json = c->fn == AGG_JSON_AGG || c->fn == AGG_JSONB_AGG || c->fn == AGG_JSON_OBJECT_AGG ||
                   c->fn == AGG_JSONB_OBJECT_AGG;
    if (x->isnull && c->fn != AGG_ARRAY_AGG && !is_json) return true;
    switch (c->fn) {
    case AGG_GROUPING: return true; /* the AGG computes it from the group's set */
    case AGG_COUNT: s->count++; return true;
    case AGG_SUM:
    case AGG_AVG:
    case AGG_VAR_SAMP:
    case AGG_VAR_POP:
    case AGG_STDDEV_SAMP:
    case AGG_STDDEV_POP:
        s->count++;
        if (is_int(c->argtype)) {
            s->isum += x->u.i;
            if (c->fn != AGG_SUM && c->fn != AGG_AVG) {
                Value xn, sq;
                numeric_from_int(x->u.i, scratch, &xn);
                if (!numeric_arith(NUMERIC_MUL, &xn, &xn, scratch, &sq, err)) return false;
                if (!numeric_add_into(&s->v2, &sq, s->keep, err)) return false;
            }
            return true;
        }
        if (c->argtype == TYPE_NUMERIC) {
            if (!numeric_add_into(&s->v, x, s->keep, err)) return false;
            if (c->fn == AGG_SUM || c->fn == AGG_AVG) return true;
            Value sq;
            if (!numeric_arith(NUMERIC_MUL, x, x, scratch, &sq, err)) return false;
            return numeric_add_into(&s->v2, &sq, s->keep, err);
        }
        if (c->argtype == TYPE_INTERVAL) {
            if (s->v.isnull) {
                s->v = *x;
                value_detach(&s->v, s->keep);
                return true;
            }
            Value args[3] = {s->v, *x, {.type = TYPE_INVALID}}, r;
            if (!c->add->call(args, s->keep, &r, err)) return false;
            s->v = r;
            return true;
        }
        if (c->fn == AGG_SUM) { /* float4pl / float8pl */
            double sum = c->argtype == TYPE_FLOAT4 ? (double)((float)s->sx + (float)x->u.f) : s->sx + x->u.f;
            if (isinf(sum) && !isinf(s->sx) && !isinf(x->u.f))
                return error_set(err, SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "value out of range: overflow");
            s->sx = sum;
            return true;
        }
        return float_accum(s, x->u.f, err);
    case AGG_MIN:
    case AGG_MAX: {
        int c0 = s->v.isnull ? 0 : value_compare(x, &s->v);
        if (s->v.isnull || (c->fn == AGG_MIN ? c0 < 0 : c0 > 0)) {
            s->v = *x;
            value_detach(&s->v, s->keep);
        }
        return true;
    }
    case AGG_BOOL_AND:
    case AGG_BOOL_OR:
        s->b = s->seen ? (c->fn == AGG_BOOL_AND ? s->b && x->u.b : s->b || x->u.b) : x->u.b;
        s->seen = true;
        return true;
    case AGG_STRING_AGG:
        if (s->seen && !a[1].isnull) strbuf_append(&s->text, a[1].u.s, a[1].len);
        strbuf_append(&s->text, x->u.s, x->len);
        s->seen = true;
        return true;
    case AGG_ARRAY_AGG:
        if (s->nitems == s->cap) {
            s->cap = s->cap ? 2 * s->cap : 16;
            if (!(s->items = realloc(s->items, s->cap * sizeof *s->items))) abort();
        }
        s->items[s->nitems] = *x;
        value_detach(&s->items[s->nitems++], s->keep);
        return true;
    case AGG_JSON_AGG:
    case AGG_JSONB_AGG:
        strbuf_append_str(&s->text, s->seen ? ", " : "[");
        s->seen = true;
        return append_json(c, &s->text, x, scratch, err);
    case AGG_JSON_OBJECT_AGG:
    case AGG_JSONB_OBJECT_AGG: {
        if (x->isnull) return error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "field name must not be null");
        strbuf_append_str(&s->text, s->seen ? ", " : "{ ");
        s->seen = true;
        char buf[VALUE_TEXT_BUF];
        int len;
        const char *key = value_to_text(x, buf, &len);
        json_escape_string(&s->text, key, (size_t)len);
        strbuf_append_str(&s->text, " : ");
        return append_json(c, &s->text, &a[1], scratch, err);
    }
    }
    return true;
}

/* ---- DISTINCT and ORDER BY ------------------------------------------------------------ */

typedef struct BufferOrder {
    const AggCall *c;
} BufferOrder;

static int compare_buffered(const void *pa, const void *pb, void *ctx) {
    const AggCall *c = ctx;
    const Buffered *a = pa, *b = pb;
    for (int i = 0; i < c->norder; i++) {
        int r = planner__compare_ordered(&a->vals[c->nargs + i], &b->vals[c->nargs + i], c->order[i].desc,
                                         c->order[i].nulls_first);
        if (r) return r;
    }
    if (c->distinct) /* then by the arguments, so that repeats lie together */
        for (int i = 0; i < c->nargs; i++) {
            int r = planner__compare_ordered(&a->vals[i], &b->vals[i], false, false);
            if (r) return r;
        }
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static bool same_arguments(const AggCall *c, const Buffered *a, const Buffered *b) {
    for (int i = 0; i < c->nargs; i++)
        if (planner__compare_ordered(&a->vals[i], &b->vals[i], false, false) != 0) return false;
    return true;
}

bool planner__agg_step(const AggCall *c, AggState *s, const Value *vals, Arena *scratch, Error *err) {
    if (!c->distinct && !c->norder) return transition(c, s, vals, scratch, err);
    if (s->nrows == s->rows_cap) {
        s->rows_cap = s->rows_cap ? 2 * s->rows_cap : 16;
        if (!(s->rows = realloc(s->rows, s->rows_cap * sizeof *s->rows))) abort();
    }
    int n = c->nargs + c->norder;
    Buffered *r = &s->rows[s->nrows];
    r->seq = s->nrows++;
    r->vals = arena_alloc(s->keep, (size_t)(n + 1) * sizeof(Value));
    for (int i = 0; i < n; i++) {
        r->vals[i] = vals[i];
        value_detach(&r->vals[i], s->keep);
    }
    return true;
}

/* ---- results ------------------------------------------------------------------------------ */

static bool numeric_variance(const AggCall *c, AggState *s, Arena *arena, Value *out, Error *err) {
    bool sample = c->fn == AGG_VAR_SAMP || c->fn == AGG_STDDEV_SAMP;
    bool stddev = c->fn == AGG_STDDEV_SAMP || c->fn == AGG_STDDEV_POP;
    if (s->count <= (sample ? 1 : 0)) {
        *out = value_null(c->type);
        return true;
    }
    Value n, sumx = s->v;
    numeric_from_int(s->count, arena, &n);
    if (is_int(c->argtype)) int128_to_numeric(s->isum, arena, &sumx);
    return numeric_variance_of(&n, &sumx, &s->v2, sample, stddev, arena, out, err);
}

static bool float_variance(const AggCall *c, AggState *s, Value *out) {
    bool sample = c->fn == AGG_VAR_SAMP || c->fn == AGG_STDDEV_SAMP;
    bool stddev = c->fn == AGG_STDDEV_SAMP || c->fn == AGG_STDDEV_POP;
    if (s->n <= (sample ? 1.0 : 0.0)) {
        *out = value_null(TYPE_FLOAT8);
        return true;
    }
    double v = s->sxx / (sample ? s->n - 1.0 : s->n);
    *out = value_float8(stddev ? sqrt(v) : v);
    return true;
}

static bool average(const AggCall *c, AggState *s, Arena *arena, Value *out, Error *err) {
    if (!s->count) {
        *out = value_null(c->type);
        return true;
    }
    if (is_float(c->argtype)) {
        *out = value_float8(s->sx / s->n);
        return true;
    }
    if (c->argtype == TYPE_INTERVAL) {
        Value args[3] = {s->v, value_float8((double)s->count), {.type = TYPE_INVALID}};
        return c->div->call(args, arena, out, err);
    }
    Value sum = s->v, n;
    if (is_int(c->argtype)) int128_to_numeric(s->isum, arena, &sum);
    numeric_from_int(s->count, arena, &n);
    return numeric_arith(NUMERIC_DIV, &sum, &n, arena, out, err);
}

static bool sum(const AggCall *c, AggState *s, Arena *arena, Value *out, Error *err) {
    if (!s->count) {
        *out = value_null(c->type);
        return true;
    }
    if (c->argtype == TYPE_INT2 || c->argtype == TYPE_INT4) {
        if (s->isum > INT64_MAX || s->isum < INT64_MIN) return overflow(err, "bigint");
        *out = value_int(TYPE_INT8, (int64_t)s->isum);
    } else if (c->argtype == TYPE_INT8) {
        int128_to_numeric(s->isum, arena, out);
    } else if (is_float(c->argtype)) {
        *out = value_float(c->argtype, s->sx);
    } else {
        *out = s->v;
    }
    return true;
}

static bool text_result(const AggCall *c, AggState *s, const char *close, Arena *arena, Value *out, Error *err) {
    if (!s->seen) {
        *out = value_null(c->type);
        return true;
    }
    size_t len = s->text.len, extra = close ? strlen(close) : 0; /* the state stays as it was: windows add to it */
    char *copy = arena_alloc(arena, len + extra + 1);
    memcpy(copy, s->text.data, len);
    if (extra) memcpy(copy + len, close, extra);
    copy[len + extra] = '\0';
    *out = value_string(c->fn == AGG_STRING_AGG ? c->type : TYPE_JSON, copy, (uint32_t)(len + extra));
    if (c->type == TYPE_JSONB && !planner__cast_value(out, TYPE_JSONB, -1, false, arena, err)) return false;
    out->type = c->type;
    return true;
}

static bool result(const AggCall *c, AggState *s, Arena *arena, Value *out, Error *err) {
    switch (c->fn) {
    case AGG_GROUPING: return error_set(err, SQLSTATE_INTERNAL_ERROR, "GROUPING outside its AGG");
    case AGG_COUNT: *out = value_int(TYPE_INT8, s->count); return true;
    case AGG_SUM: return sum(c, s, arena, out, err);
    case AGG_AVG: return average(c, s, arena, out, err);
    case AGG_VAR_SAMP:
    case AGG_VAR_POP:
    case AGG_STDDEV_SAMP:
    case AGG_STDDEV_POP:
        return is_float(c->argtype) ? float_variance(c, s, out) : numeric_variance(c, s, arena, out, err);
    case AGG_MIN:
    case AGG_MAX:
        *out = s->v;
        out->type = c->type;
        if (c->type == TYPE_TEXT && !out->isnull) out->width = 0;
        return true;
    case AGG_BOOL_AND:
    case AGG_BOOL_OR: *out = s->seen ? value_bool(s->b) : value_null(TYPE_BOOL); return true;
    case AGG_STRING_AGG: return text_result(c, s, NULL, arena, out, err);
    case AGG_JSON_AGG:
    case AGG_JSONB_AGG: return text_result(c, s, "]", arena, out, err);
    case AGG_JSON_OBJECT_AGG:
    case AGG_JSONB_OBJECT_AGG: return text_result(c, s, " }", arena, out, err);
    case AGG_ARRAY_AGG:
        if (!s->nitems)
            *out = value_null(c->type);
        else
            array_make(c->type, 1, s->items, (uint32_t)s->nitems, arena, out);
        return true;
    }
    return true;
}

bool planner__agg_final(const AggCall *c, AggState *s, Arena *arena, Value *out, Error *err) {
    if (c->distinct || c->norder) {
        if (s->nrows > 1) qsort_r(s->rows, s->nrows, sizeof *s->rows, compare_buffered, (void *)c);
        for (size_t i = 0; i < s->nrows; i++) {
            if (c->distinct && i > 0 && same_arguments(c, &s->rows[i - 1], &s->rows[i])) continue;
            if (!transition(c, s, s->rows[i].vals, arena, err)) return false;
        }
    }
    return result(c, s, arena, out, err);
}
