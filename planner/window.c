/*
 * window.c — window functions: which one a call means, and each call's
 * value for every row of a WINDOW operator (ops.c reads all its rows first
 * and hands them here).
 *
 * For each window (its PARTITION BY and ORDER BY) the rows are sorted
 * (stably) by partition, then order; rows of a partition whose ORDER BY
 * keys are equal are peers. A row's frame is its partition by default
 * without ORDER BY, and with one RANGE BETWEEN UNBOUNDED PRECEDING AND
 * CURRENT ROW (to the last peer); ROWS counts rows, GROUPS peer groups,
 * RANGE takes whole peer groups (with an offset, the rows whose key is
 * within it of the current row's, as PostgreSQL's in_range: NULL keys are
 * peers of each other only, and come before or after every value as the
 * ORDER BY puts them); EXCLUDE drops the current row, its peers,
 * or its peers but itself. Aggregates over a frame that starts at the
 * partition's start add rows as the frame grows; others start over for
 * each row.
 *
 * INTERFACE (planner-internal): planner__window_function, planner__window_compute
 */
#define _GNU_SOURCE /* qsort_r */
#include "planner/planner_int.h"

#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name;
    WinFn fn;
    int min_args, max_args;
} WINDOW_FUNCTIONS[] = {
    {"row_number", WIN_ROW_NUMBER, 0, 0},
    {"rank", WIN_RANK, 0, 0},
    {"dense_rank", WIN_DENSE_RANK, 0, 0},
    {"percent_rank", WIN_PERCENT_RANK, 0, 0},
    {"cume_dist", WIN_CUME_DIST, 0, 0},
    {"ntile", WIN_NTILE, 1, 1},
    {"lag", WIN_LAG, 1, 3},
    {"lead", WIN_LEAD, 1, 3},
    {"first_value", WIN_FIRST_VALUE, 1, 1},
    {"last_value", WIN_LAST_VALUE, 1, 1},
    {"nth_value", WIN_NTH_VALUE, 2, 2},
};

TypeId planner__window_function(const char *name, int nargs, const TypeId *types, WinFn *fn, TypeId *want) {
    for (size_t i = 0; i < ARRAY_LEN(WINDOW_FUNCTIONS); i++) {
        if (strcmp(WINDOW_FUNCTIONS[i].name, name) != 0) continue;
        if (nargs < WINDOW_FUNCTIONS[i].min_args || nargs > WINDOW_FUNCTIONS[i].max_args) return TYPE_INVALID;
        *fn = WINDOW_FUNCTIONS[i].fn;
        switch (*fn) {
        case WIN_ROW_NUMBER:
        case WIN_RANK:
        case WIN_DENSE_RANK: return TYPE_INT8;
        case WIN_PERCENT_RANK:
        case WIN_CUME_DIST: return TYPE_FLOAT8;
        case WIN_NTILE: return want[0] = TYPE_INT4, TYPE_INT4;
        case WIN_LAG:
        case WIN_LEAD: /* (anycompatible, int, anycompatible): the binder finds the common type */
            want[0] = types[0];
            if (nargs > 1) want[1] = TYPE_INT4;
            if (nargs > 2) want[2] = types[0];
            return types[0];
        case WIN_NTH_VALUE: want[1] = TYPE_INT4; /* fall through */
        case WIN_FIRST_VALUE:
        case WIN_LAST_VALUE: return want[0] = types[0], types[0];
        case WIN_AGG: break;
        }
    }
    return TYPE_INVALID;
}

/* ---- sorting the rows of one window ----------------------------------------------------- */

typedef struct Keyed {
    Value *keys; /* partition keys, then order keys */
    size_t row;  /* its index among the operator's rows */
} Keyed;

static int compare_partition(const WindowDef *d, const Keyed *a, const Keyed *b) {
    for (int i = 0; i < d->npartition; i++) {
        int r = planner__compare_ordered(&a->keys[i], &b->keys[i], false, false);
        if (r) return r;
    }
    return 0;
}

static int compare_order(const WindowDef *d, const Keyed *a, const Keyed *b) {
    for (int i = 0; i < d->norder; i++) {
        int k = d->npartition + i;
        int r = planner__compare_ordered(&a->keys[k], &b->keys[k], d->order[i].desc, d->order[i].nulls_first);
        if (r) return r;
    }
    return 0;
}

static int compare_keyed(const void *pa, const void *pb, void *ctx) {
    const Keyed *a = pa, *b = pb;
    int r = compare_partition(ctx, a, b);
    if (!r) r = compare_order(ctx, a, b);
    return r ? r : a->row < b->row ? -1 : a->row > b->row;
}

/* ---- one partition ------------------------------------------------------------------------ */

typedef struct Part {
    Run *run;
    const WindowDef *def;
    Keyed *rows; /* the partition's, sorted */
    size_t n;
    Value **input;                          /* the operator's rows, by Keyed.row */
    size_t *peer_first, *peer_last, *group; /* per row: its peers' range and its peer group's number */
    size_t ngroups;
    size_t *group_first, *group_last;
    int64_t *range_lo, *range_hi; /* RANGE with offsets: each row's frame edges (range_edges) */
    Arena *arena;
    Error *err;
} Part;

static bool eval_on(Part *p, const BExpr *e, size_t i, Value *out) {
    Run *r = p->run;
    return planner__eval(e, p->input[p->rows[i].row], r->params, p->arena, out, p->err);
}

typedef struct Frame {
    int64_t start_offset, end_offset; /* ROWS, GROUPS */
    Value start_value, end_value;     /* RANGE */
} Frame;

/* An interval's microseconds (its days and months aside). */
static int64_t interval_usecs(const Value *v) {
    int64_t us;
    memcpy(&us, v->u.s, sizeof us);
    return us;
}

/* Whether a RANGE offset is below zero (PostgreSQL's in_range refuses it;
 * over time keys only its microseconds count, as they alone move a time). */
static bool negative_offset(const WindowDef *d, const Value *v, Arena *arena) {
    if (d->range_type == TYPE_TIME) return interval_usecs(v) < 0;
    switch (v->type) {
    case TYPE_INT8: return v->u.i < 0;
    case TYPE_FLOAT8: return v->u.f < 0;
    case TYPE_NUMERIC: {
        Value sign;
        numeric_sign(v, arena, &sign);
        return sign.u.s[0] == '-';
    }
    default: { /* an interval */
        Value zero = value_string(TYPE_UNKNOWN, "0", 1);
        Error ignored = {0};
        return planner__cast_value(&zero, TYPE_INTERVAL, -1, false, arena, &ignored) && value_compare(v, &zero) < 0;
    }
    }
}

/* A frame offset (evaluated once, as PostgreSQL does): not NULL, not
 * negative (RANGE's only once there is a row to compare it with). */
static bool frame_offset(Part *p, const BExpr *e, bool start, bool any_rows, Frame *f) {
    Value v;
    Run *r = p->run;
    if (!planner__eval(e, NULL, r->params, p->arena, &v, p->err)) return false;
    value_detach(&v, p->arena);
    if (v.isnull)
        return error_set(p->err, SQLSTATE_NULL_VALUE_NOT_ALLOWED, "frame %s offset must not be null",
                         start ? "starting" : "ending");
    if (p->def->mode == SQL_FRAME_RANGE) {
        if (any_rows && negative_offset(p->def, &v, p->arena))
            return error_set(p->err, SQLSTATE_INVALID_PRECEDING_OR_FOLLOWING_SIZE,
                             "invalid preceding or following size in window function");
        *(start ? &f->start_value : &f->end_value) = v;
        return true;
    }
    if (v.u.i < 0)
        return error_set(p->err, SQLSTATE_INVALID_PRECEDING_OR_FOLLOWING_SIZE, "frame %s offset must not be negative",
                         start ? "starting" : "ending");
    *(start ? &f->start_offset : &f->end_offset) = v.u.i;
    return true;
}

/* ---- RANGE frames with offsets -------------------------------------------------------------- */

/* key + offset (or - offset when sub) as a value comparable with the keys
 * (a date's as a timestamp); integers saturate rather than overflow, as
 * in_range treats a sum past the end as infinitely far. */
static bool range_bound(const Part *p, const Value *key, const Value *off, bool sub, Value *out) {
    const WindowDef *d = p->def;
    switch (d->range_offset_type) {
    case TYPE_INT8: {
        int64_t v;
        if (sub ? __builtin_sub_overflow(key->u.i, off->u.i, &v) : __builtin_add_overflow(key->u.i, off->u.i, &v))
            v = sub ? INT64_MIN : INT64_MAX;
        *out = value_int(TYPE_INT8, v);
        return true;
    }
    case TYPE_FLOAT8: *out = value_float8(sub ? key->u.f - off->u.f : key->u.f + off->u.f); return true;
    case TYPE_NUMERIC: return numeric_arith(sub ? NUMERIC_SUB : NUMERIC_ADD, key, off, p->arena, out, p->err);
    default: {
        if (key->type == TYPE_TIME) { /* without the wrap around midnight of time +/- interval, as in_range */
            *out = value_int(TYPE_TIME, key->u.i + (sub ? -interval_usecs(off) : interval_usecs(off)));
            return true;
        }
        const PlannerFunc *fn = sub ? d->range_sub : d->range_add;
        Value args[3] = {*key, *off, {.type = TYPE_INVALID}};
        if (key->type == TYPE_DATE && !planner__cast_value(&args[0], TYPE_TIMESTAMP, -1, false, p->arena, p->err))
            return false;
        if (!fn) return error_set(p->err, SQLSTATE_INTERNAL_ERROR, "no operator for RANGE over %u", key->type);
        return fn->call(args, p->arena, out, p->err);
    }
    }
}

/* A key compared with a bound of range_bound. */
static int range_compare(const Part *p, const Value *key, const Value *bound) {
    switch (p->def->range_offset_type) {
    case TYPE_INT8: return key->u.i < bound->u.i ? -1 : key->u.i > bound->u.i;
    case TYPE_FLOAT8: return key->u.f < bound->u.f ? -1 : key->u.f > bound->u.f;
    default:
        if (key->type == TYPE_TIME) return key->u.i < bound->u.i ? -1 : key->u.i > bound->u.i;
        if (key->type == TYPE_DATE) {
            Value k = *key;
            Error ignored = {0};
            if (planner__cast_value(&k, TYPE_TIMESTAMP, -1, false, p->arena, &ignored)) return value_compare(&k, bound);
        }
        return value_compare(key, bound);
    }
}

/* Row i's RANGE frame edge at an offset: the first row at or past the
 * start's bound, or the last row at or before the end's (in the ORDER BY's
 * direction). A NULL key's edges are those of its peers (the other NULLs);
 * a key's bound never reaches the NULLs, which lie before or after all
 * keys. Returns -2 on error. */
static int64_t range_edge(const Part *p, size_t i, const Value *off, bool preceding, bool start) {
    const WindowDef *d = p->def;
    const Value *key = &p->rows[i].keys[d->npartition];
    if (key->isnull) return start ? (int64_t)p->peer_first[i] : (int64_t)p->peer_last[i];
    bool desc = d->order[0].desc;
    Value bound;
    if (!range_bound(p, key, off, preceding != desc, &bound)) return -2;
    size_t a = 0, b = p->n; /* the rows with a key: [a, b) */
    while (a < b && p->rows[a].keys[d->npartition].isnull) a++;
    while (b > a && p->rows[b - 1].keys[d->npartition].isnull) b--;
    /* start: the first row whose key is at or past the bound; end: one
     * before the first row whose key is past it */
    size_t lo = a, hi = b;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = range_compare(p, &p->rows[mid].keys[d->npartition], &bound);
        if (desc) c = -c;
        bool before = start ? c < 0 : c <= 0;
        if (before)
            lo = mid + 1;
        else
            hi = mid;
    }
    return start ? (int64_t)lo : (int64_t)lo - 1;
}

/* Each row's RANGE frame edges at offsets, before frame_of reads them. */
static bool range_edges(Part *p, const Frame *f) {
    const WindowDef *d = p->def;
    for (size_t i = 0; i < p->n; i++) {
        p->range_lo[i] = p->range_hi[i] = 0;
        if (d->start == SQL_BOUND_PRECEDING || d->start == SQL_BOUND_FOLLOWING)
            p->range_lo[i] = range_edge(p, i, &f->start_value, d->start == SQL_BOUND_PRECEDING, true);
        if (d->end == SQL_BOUND_PRECEDING || d->end == SQL_BOUND_FOLLOWING)
            p->range_hi[i] = range_edge(p, i, &f->end_value, d->end == SQL_BOUND_PRECEDING, false);
        if (p->range_lo[i] == -2 || p->range_hi[i] == -2) return false;
    }
    return true;
}

static int64_t clamp(int64_t v, int64_t lo, int64_t hi) { return v < lo ? lo : v > hi ? hi : v; }

/* Row i's frame [*lo, *hi] (empty when *lo > *hi), before EXCLUDE. */
static void frame_of(const Part *p, const Frame *f, size_t i, int64_t *lo, int64_t *hi) {
    const WindowDef *d = p->def;
    int64_t n = (int64_t)p->n, g = (int64_t)p->group[i], ng = (int64_t)p->ngroups;
    if (d->mode == SQL_FRAME_DEFAULT) {
        *lo = 0;
        *hi = d->norder ? (int64_t)p->peer_last[i] : n - 1;
        return;
    }
    switch (d->start) {
    case SQL_BOUND_UNBOUNDED_PRECEDING: *lo = 0; break;
    case SQL_BOUND_CURRENT_ROW: *lo = d->mode == SQL_FRAME_ROWS ? (int64_t)i : (int64_t)p->peer_first[i]; break;
    case SQL_BOUND_PRECEDING:
        *lo = d->mode == SQL_FRAME_ROWS    ? (int64_t)i - f->start_offset
              : d->mode == SQL_FRAME_RANGE ? p->range_lo[i]
              : g - f->start_offset < 0    ? 0
                                           : (int64_t)p->group_first[g - f->start_offset];
        break;
    case SQL_BOUND_FOLLOWING:
        *lo = d->mode == SQL_FRAME_ROWS    ? (int64_t)i + f->start_offset
              : d->mode == SQL_FRAME_RANGE ? p->range_lo[i]
              : g + f->start_offset >= ng  ? n
                                           : (int64_t)p->group_first[g + f->start_offset];
        break;
    case SQL_BOUND_UNBOUNDED_FOLLOWING: *lo = n; break;
    }
    switch (d->end) {
    case SQL_BOUND_UNBOUNDED_FOLLOWING: *hi = n - 1; break;
    case SQL_BOUND_CURRENT_ROW: *hi = d->mode == SQL_FRAME_ROWS ? (int64_t)i : (int64_t)p->peer_last[i]; break;
    case SQL_BOUND_PRECEDING:
        *hi = d->mode == SQL_FRAME_ROWS    ? (int64_t)i - f->end_offset
              : d->mode == SQL_FRAME_RANGE ? p->range_hi[i]
              : g - f->end_offset < 0      ? -1
                                           : (int64_t)p->group_last[g - f->end_offset];
        break;
    case SQL_BOUND_FOLLOWING:
        *hi = d->mode == SQL_FRAME_ROWS    ? (int64_t)i + f->end_offset
              : d->mode == SQL_FRAME_RANGE ? p->range_hi[i]
              : g + f->end_offset >= ng    ? n - 1
                                           : (int64_t)p->group_last[g + f->end_offset];
        break;
    case SQL_BOUND_UNBOUNDED_PRECEDING: *hi = -1; break;
    }
    *lo = clamp(*lo, 0, n);
    *hi = clamp(*hi, -1, n - 1);
}

static bool excluded(const Part *p, size_t i, size_t j) {
    switch (p->def->exclude) {
    case SQL_EXCLUDE_CURRENT_ROW: return j == i;
    case SQL_EXCLUDE_GROUP: return p->group[j] == p->group[i];
    case SQL_EXCLUDE_TIES: return j != i && p->group[j] == p->group[i];
    default: return false;
    }
}

/* The k-th (0-based; from the end when from_end) row of i's frame, or -1. */
static int64_t frame_row(const Part *p, const Frame *f, size_t i, int64_t k, bool from_end) {
    int64_t lo, hi;
    frame_of(p, f, i, &lo, &hi);
    for (int64_t step = 0, j = from_end ? hi : lo; from_end ? j >= lo : j <= hi; j += from_end ? -1 : 1) {
        if (excluded(p, i, (size_t)j)) continue;
        if (step++ == k) return j;
    }
    return -1;
}

static bool agg_add(Part *p, const AggCall *c, AggState *s, size_t j, Value *vals) {
    if (c->filter) {
        bool holds;
        Run *r = p->run;
        if (!planner__eval_bool(c->filter, p->input[p->rows[j].row], r->params, p->arena, &holds, p->err)) return false;
        if (!holds) return true;
    }
    for (int a = 0; a < c->nargs; a++)
        if (!eval_on(p, c->args[a], j, &vals[a])) return false;
    return planner__agg_step(c, s, vals, p->arena, p->err);
}

/* An aggregate over each row's frame: kept and grown while the frame
 * only grows from the partition's start, else made again per row. */
static bool window_aggregate(Part *p, const WindowCall *w, const Frame *f, Value **results, int call) {
    const AggCall *c = w->agg;
    const WindowDef *d = p->def;
    bool growing =
        (d->mode == SQL_FRAME_DEFAULT || d->start == SQL_BOUND_UNBOUNDED_PRECEDING) && d->exclude == SQL_EXCLUDE_NONE;
    Value *vals = arena_alloc(p->arena, (size_t)(c->nargs + 1) * sizeof *vals);
    AggState *s = NULL;
    int64_t added = -1;
    bool ok = true;
    for (size_t i = 0; i < p->n && ok; i++) {
        int64_t lo, hi;
        frame_of(p, f, i, &lo, &hi);
        if (!growing || !s) {
            if (s) planner__agg_free(s);
            s = planner__agg_new(c, p->arena);
            added = lo - 1;
        }
        for (int64_t j = added + 1; j <= hi && ok; j++)
            if (!excluded(p, i, (size_t)j)) ok = agg_add(p, c, s, (size_t)j, vals);
        if (hi > added) added = hi;
        Value *out = &results[p->rows[i].row][call];
        ok = ok && planner__agg_final(c, s, p->arena, out, p->err);
        if (ok) value_detach(out, p->arena);
    }
    if (s) planner__agg_free(s);
    return ok;
}

static bool ntile(Part *p, const WindowCall *w, Value **results, int call) {
    Value k;
    if (!eval_on(p, w->args[0], 0, &k)) return false;
    if (k.isnull) {
        for (size_t i = 0; i < p->n; i++) results[p->rows[i].row][call] = value_null(TYPE_INT4);
        return true;
    }
    if (k.u.i <= 0)
        return error_set(p->err, SQLSTATE_INVALID_ARGUMENT_FOR_NTILE, "argument of ntile must be greater than zero");
    int64_t n = (int64_t)p->n, per = n / k.u.i, extra = n % k.u.i, big = extra * (per + 1);
    for (int64_t i = 0; i < n; i++) {
        int64_t bucket = i < big ? i / (per + 1) + 1 : (i - big) / (per ? per : 1) + extra + 1;
        results[p->rows[i].row][call] = value_int(TYPE_INT4, bucket);
    }
    return true;
}

/* lag / lead: the value offset rows away in the partition, else the default. */
static bool lag_lead(Part *p, const WindowCall *w, Value **results, int call) {
    for (size_t i = 0; i < p->n; i++) {
        Value *out = &results[p->rows[i].row][call];
        Value off = value_int(TYPE_INT4, 1);
        if (w->nargs > 1 && !eval_on(p, w->args[1], i, &off)) return false;
        if (off.isnull) {
            *out = value_null(w->type);
            continue;
        }
        int64_t j = (int64_t)i + (w->fn == WIN_LAG ? -off.u.i : off.u.i);
        bool ok;
        if (j >= 0 && j < (int64_t)p->n)
            ok = eval_on(p, w->args[0], (size_t)j, out);
        else if (w->nargs > 2)
            ok = eval_on(p, w->args[2], i, out);
        else
            ok = (*out = value_null(w->type), true);
        if (!ok) return false;
        value_detach(out, p->arena);
    }
    return true;
}

/* first_value, last_value, nth_value: a row of the frame. */
static bool frame_value(Part *p, const WindowCall *w, const Frame *f, Value **results, int call) {
    for (size_t i = 0; i < p->n; i++) {
        Value *out = &results[p->rows[i].row][call];
        int64_t k = 0;
        if (w->fn == WIN_NTH_VALUE) {
            Value nth;
            if (!eval_on(p, w->args[1], i, &nth)) return false;
            if (nth.isnull) {
                *out = value_null(w->type);
                continue;
            }
            if (nth.u.i <= 0)
                return error_set(p->err, SQLSTATE_INVALID_ARGUMENT_FOR_NTH_VALUE,
                                 "argument of nth_value must be greater than zero");
            k = nth.u.i - 1;
        }
        int64_t j = frame_row(p, f, i, k, w->fn == WIN_LAST_VALUE);
        if (j < 0) {
            *out = value_null(w->type);
            continue;
        }
        if (!eval_on(p, w->args[0], (size_t)j, out)) return false;
        value_detach(out, p->arena);
    }
    return true;
}

static bool compute_call(Part *p, const WindowCall *w, const Frame *f, Value **results, int call) {
    double n = (double)p->n;
    switch (w->fn) {
    case WIN_AGG: return window_aggregate(p, w, f, results, call);
    case WIN_NTILE: return ntile(p, w, results, call);
    case WIN_LAG:
    case WIN_LEAD: return lag_lead(p, w, results, call);
    case WIN_FIRST_VALUE:
    case WIN_LAST_VALUE:
    case WIN_NTH_VALUE: return frame_value(p, w, f, results, call);
    default: break;
    }
    for (size_t i = 0; i < p->n; i++) {
        Value *out = &results[p->rows[i].row][call];
        double rank = (double)(p->peer_first[i] + 1);
        switch (w->fn) {
        case WIN_ROW_NUMBER: *out = value_int(TYPE_INT8, (int64_t)i + 1); break;
        case WIN_RANK: *out = value_int(TYPE_INT8, (int64_t)rank); break;
        case WIN_DENSE_RANK: *out = value_int(TYPE_INT8, (int64_t)p->group[i] + 1); break;
        case WIN_PERCENT_RANK: *out = value_float8(n > 1 ? (rank - 1) / (n - 1) : 0); break;
        case WIN_CUME_DIST: *out = value_float8((double)(p->peer_last[i] + 1) / n); break;
        default: break;
        }
    }
    return true;
}

/* Peers and peer groups of a sorted partition. */
static void find_peers(Part *p) {
    size_t g = 0;
    for (size_t i = 0; i < p->n; i++) {
        bool new_group = i == 0 || compare_order(p->def, &p->rows[i - 1], &p->rows[i]) != 0;
        if (new_group && i > 0) g++;
        p->group[i] = g;
        if (new_group) p->group_first[g] = i;
        p->group_last[g] = i;
    }
    p->ngroups = p->n ? g + 1 : 0;
    for (size_t i = 0; i < p->n; i++) {
        p->peer_first[i] = p->group_first[p->group[i]];
        p->peer_last[i] = p->group_last[p->group[i]];
    }
}

/* The calls of one window over all rows; *order its sort. */
static bool compute_window(Run *run, const WindowDef *d, WindowCall *const *calls, int ncalls, Value **rows, size_t n,
                           Value **results, size_t *order, Arena *arena, Error *err) {
    Keyed *keyed = malloc((n + 1) * sizeof *keyed);
    size_t *buf = malloc((5 * n + 1) * sizeof *buf);
    int64_t *edges = malloc((2 * n + 1) * sizeof *edges);
    if (!keyed || !buf || !edges) abort();
    bool ok = true;
    int nkeys = d->npartition + d->norder;
    for (size_t i = 0; i < n && ok; i++) {
        keyed[i].row = i;
        keyed[i].keys = arena_alloc(arena, (size_t)(nkeys + 1) * sizeof(Value));
        for (int k = 0; k < nkeys && ok; k++) {
            const BExpr *e = k < d->npartition ? d->partition[k] : d->order[k - d->npartition].expr;
            ok = planner__eval(e, rows[i], run->params, arena, &keyed[i].keys[k], err);
            if (ok) value_detach(&keyed[i].keys[k], arena);
        }
    }
    if (ok) qsort_r(keyed, n, sizeof *keyed, compare_keyed, (void *)d);
    Frame f = {0};
    Part part = {.run = run, .def = d, .input = rows, .arena = arena, .err = err};
    bool range_offsets = d->mode == SQL_FRAME_RANGE && (d->start_offset || d->end_offset);
    if (ok && d->start_offset) ok = frame_offset(&part, d->start_offset, true, n > 0, &f);
    if (ok && d->end_offset) ok = frame_offset(&part, d->end_offset, false, n > 0, &f);
    for (size_t start = 0; ok && start < n;) {
        size_t end = start + 1;
        while (end < n && compare_partition(d, &keyed[start], &keyed[end]) == 0) end++;
        part.rows = keyed + start;
        part.n = end - start;
        part.peer_first = buf, part.peer_last = buf + n, part.group = buf + 2 * n;
        part.group_first = buf + 3 * n, part.group_last = buf + 4 * n;
        part.range_lo = edges, part.range_hi = edges + n;
        find_peers(&part);
        if (range_offsets && !(ok = range_edges(&part, &f))) break;
        for (int c = 0; c < ncalls && ok; c++)
            if (calls[c]->def == d) ok = compute_call(&part, calls[c], &f, results, c);
        start = end;
    }
    for (size_t i = 0; ok && i < n; i++) order[i] = keyed[i].row;
    free(keyed);
    free(buf);
    free(edges);
    return ok;
}

bool planner__window_compute(Run *run, WindowCall *const *calls, int ncalls, Value **rows, size_t n, Value **results,
                             size_t *order, Arena *arena, Error *err) {
    for (size_t i = 0; i < n; i++) order[i] = i;
    for (int c = 0; c < ncalls; c++) {
        bool first = true; /* each window once: at its first call */
        for (int k = 0; k < c && first; k++) first = calls[k]->def != calls[c]->def;
        if (first && !compute_window(run, calls[c]->def, calls, ncalls, rows, n, results, order, arena, err))
            return false;
    }
    return true;
}
