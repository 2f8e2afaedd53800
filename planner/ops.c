/*
 * ops.c — the operators of the executor tree (plan.c builds it): each
 * returns its next row when its parent pulls it, so a LIMIT stops the
 * scans below it and rows stream from the table to the client.
 *
 * Memory. The operator state lives in the statement's arena. Each
 * operator has a scratch arena for the temporaries of the row it is
 * making (its expressions' results), emptied when it is pulled again: a
 * row stays valid until then, which is all a streaming parent needs. An
 * operator that keeps rows (SORT) copies them into an arena of its own;
 * values read from a table point into its row versions, which live until
 * the statement ends.
 *
 * Yielding. A statement that runs in steps (Run.yield_at) stops at a row
 * boundary of a scan once its time is up: the scan returns false with
 * run->yielded set, and every operator above it returns false too, its
 * state kept as it was, so that the next pull goes on where it stopped.
 * Operators that read their whole input first (SORT, JOIN's inner side,
 * AGG, WINDOW, SETOP) are written as resumable fills for that reason.
 *
 * INTERFACE (planner-internal): planner__open, planner__next, planner__close
 */
#define _GNU_SOURCE /* qsort_r */
#include "planner/planner_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define INLINE_KEYS 4

typedef struct SortRow {
    Value *row, *keys;
    size_t seq; /* arrival order: equal keys keep it */
} SortRow;

struct Op {
    const PlanNode *node;
    Run *run;
    Op *child;
    Arena scratch; /* the current row's temporaries */
    Value *out;    /* the row this operator makes (PROJECT) */
    bool started, done;
    bool filled;   /* SORT, JOIN, AGG, WINDOW, SETOP: the whole input is in */
    uint64_t rows; /* returned (EXPLAIN ANALYZE) */
    union {
        struct {
            TableScan seq;
            IndexScan index;
            Value lo_keys[INLINE_KEYS], hi_keys[INLINE_KEYS];
            Value *row;
        } scan;
        struct {
            Arena keep; /* the rows, copied */
            SortRow *rows;
            size_t n, cap, next, added;
            int64_t bound; /* keep only this many (-1: all) */
        } sort;
        struct {
            int64_t limit, offset; /* -1: none */
            uint64_t returned;
            Value *last; /* WITH TIES: the last row's sort keys */
        } limit;
        struct {
            size_t next; /* the row to make next */
        } values;
        struct {
            Value cur, stop, step, zero; /* SERIES */
            int sign;                    /* SERIES: +1 up, -1 down */
            ArrayReader array;           /* UNNEST */
            int64_t ordinal;             /* WITH ORDINALITY: rows given so far */
            Op **parts;                  /* ZIP: each part's scan */
            bool *done;                  /* ZIP: the parts run out */
        } func;
        struct {
            Arena keep;
            Value **rows, **results; /* every input row (copied) and its calls' values */
            size_t *order;           /* the order they are returned in */
            size_t n, cap, next;
        } window;
        struct {
            Op *inner;
            Arena keep;         /* the inner rows, copied */
            Arena keys;         /* the current outer row's keys */
            Value **rows;       /* the inner rows */
            Value **key_values; /* their keys (hash join) */
            uint64_t *hashes;
            uint32_t *next;    /* hash chains: JOIN_NONE ends one */
            uint32_t *buckets; /* nbuckets heads */
            uint32_t nbuckets;
            bool *matched; /* RIGHT, FULL: inner rows that found an outer one */
            size_t n, cap;
            Value *row; /* the joined row */
            Value *outer_key_values;
            bool have_outer, outer_matched, outer_done;
            uint64_t hash;    /* of the outer row's keys */
            uint32_t cand;    /* the next inner row to try: a chain's, or an index */
            size_t unmatched; /* RIGHT, FULL: where the pass over the unmatched inner rows is */
        } join;
        struct {
            Op **funcs;      /* each function's operator, opened anew for each row (in keep) */
            bool *done;      /* ... that has no more values for this row */
            const Value *in; /* the row */
            Arena keep;
        } srf;
        struct {
            Arena keep;            /* the groups: keys and states */
            struct Group **groups; /* in the order first seen */
            size_t n, cap, next;
            uint32_t *buckets; /* heads of hash chains (indexes into groups) */
            uint32_t nbuckets;
            Value *vals; /* a call's arguments and ORDER BY keys for one row */
        } agg;
        struct {
            Arena keep;   /* the keys seen */
            Value **keys; /* each distinct key, first seen first (SETOP: the left's rows) */
            uint64_t *hashes;
            uint32_t *next, *buckets;
            int64_t *counts; /* SETOP: per key, the left's count and the right's */
            size_t n, cap, emit;
            uint32_t nbuckets;
            int64_t repeat; /* SETOP: copies of the current row still to return */
            Op *inner_op;
            /* RECURSIVE: every row made (in rows; kept distinct in keys for UNION), those of the last round */
            Value **rows;
            size_t nrows, rows_cap, round_start, round_end;
        } set;
    } u;
};

typedef struct Group {
    Value *keys;
    uint64_t hash;
    uint32_t next; /* the chain */
    AggState **states;
} Group;

#define JOIN_NONE UINT32_MAX

static const Value NO_COLUMNS[1];

static Run *current_run; /* planner__current_run: everything runs on the engine thread */

Run *planner__current_run(void) { return current_run; }

Run *planner__enter_run(Run *run) {
    Run *previous = current_run;
    current_run = run;
    return previous;
}

void planner__leave_run(Run *previous) { current_run = previous; }

static bool fail(Op *op, StorageStatus st) {
    op->run->status = st;
    return false;
}

static bool eval_error(Op *op) { return fail(op, STORAGE_ERROR); }

/* The qual on row, with this row's temporaries. */
static bool qual_holds(Op *op, const Value *row, bool *holds) {
    const BExpr *q = op->node->qual;
    *holds = true;
    if (!q) return true;
    arena_reset(&op->scratch);
    return planner__eval_bool(q, row, op->run->params, &op->scratch, holds, op->run->err) || eval_error(op);
}

/* Whether a stepping run's time is up (looked at every 256 rows). */
static bool time_to_yield(Op *op) {
    Run *r = op->run;
    if (LIKELY(!r->yield_at) || r->no_yield || LIKELY(++r->yield_polls < 256)) return false;
    r->yield_polls = 0;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    if ((uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec < r->yield_at) return false;
    r->yielded = true;
    return true;
}

static bool poll_interrupt(Op *op) {
    Run *r = op->run;
    if (LIKELY(++r->polls != PLANNER_POLL_ROWS)) return true;
    r->polls = 0;
    return !planner__interrupted(r->err) || eval_error(op);
}

/* ---- RESULT ------------------------------------------------------------------------ */

static bool result_next(Op *op, const Value **row) {
    *row = NULL;
    if (op->done) return true;
    op->done = true;
    bool holds;
    if (!qual_holds(op, NO_COLUMNS, &holds)) return false;
    if (holds) *row = NO_COLUMNS;
    return true;
}

/* ---- SCAN ------------------------------------------------------------------------- */

/* An index bound's key prefix; *empty if a key is NULL (no row matches). */
static bool eval_bound(Op *op, BExpr **exprs, int n, bool inclusive, Value *inline_keys, IndexBound *b, bool *empty) {
    Run *r = op->run;
    Value *keys = n <= INLINE_KEYS ? inline_keys : arena_alloc(r->arena, (size_t)(n + 1) * sizeof *keys);
    for (int i = 0; i < n; i++) {
        if (!planner__eval(exprs[i], NULL, r->params, r->arena, &keys[i], r->err)) return eval_error(op);
        if (keys[i].isnull) *empty = true;
    }
    *b = (IndexBound){keys, n, inclusive};
    return true;
}

static bool scan_start(Op *op) {
    const RowSource *src = op->node->u.scan.src;
    op->started = true;
    if (!src->index) {
        storage_scan_begin(src->table, op->run->txn, &op->u.scan.seq);
        return true;
    }
    IndexBound lo, hi;
    bool empty = false;
    if (!eval_bound(op, src->lo, src->nlo, src->lo_inclusive, op->u.scan.lo_keys, &lo, &empty)) return false;
    if (!eval_bound(op, src->hi, src->nhi, src->hi_inclusive, op->u.scan.hi_keys, &hi, &empty)) return false;
    op->done = empty;
    storage_index_scan_begin(src->index, op->run->txn, &lo, &hi, src->backward, &op->u.scan.index);
    return true;
}

static bool scan_next(Op *op, const Value **row) {
    const RowSource *src = op->node->u.scan.src;
    Run *r = op->run;
    *row = NULL;
    if (!op->started && !scan_start(op)) return false;
    while (!op->done) {
        if (!poll_interrupt(op) || time_to_yield(op)) return false;
        RowId rid = 0;
        const Row *seen = src->index ? storage_index_scan_next(&op->u.scan.index, &rid, r->err)
                                     : storage_scan_next(&op->u.scan.seq, &rid, r->err);
        if (r->err->set) return eval_error(op);
        if (!seen) {
            op->done = true;
            break;
        }
        Value *values = op->u.scan.row;
        storage_row_decode(src->table, seen, values);
        if (op->node->u.scan.junk) {
            int ncols = op->node->width - 2;
            values[ncols] = value_int(TYPE_INT8, (int64_t)rid);
            values[ncols + 1] = value_int(TYPE_INT8, (int64_t)(intptr_t)seen);
        }
        bool holds;
        if (!qual_holds(op, values, &holds)) return false;
        if (holds) {
            *row = values;
            return true;
        }
    }
    return true;
}

/* ---- FILTER, PROJECT, LOCK ------------------------------------------------------- */

static bool filter_next(Op *op, const Value **row) {
    for (;;) {
        if (!planner__next(op->child, row)) return false;
        if (!*row) return true;
        bool holds;
        if (!qual_holds(op, *row, &holds)) return false;
        if (holds) return true;
    }
}

static bool project_next(Op *op, const Value **row) {
    const Value *in;
    *row = NULL;
    if (!planner__next(op->child, &in)) return false;
    if (!in) return true;
    arena_reset(&op->scratch);
    BExpr *const *exprs = op->node->u.project.exprs;
    for (int i = 0; i < op->node->width; i++)
        if (!planner__eval(exprs[i], in, op->run->params, &op->scratch, &op->out[i], op->run->err))
            return eval_error(op);
    *row = op->out;
    return true;
}

static bool lock_next(Op *op, const Value **row) {
    const PlanNode *n = op->node;
    for (;;) {
        if (!planner__next(op->child, row)) return false;
        if (!*row) return true;
        RowId rid = (RowId)(*row)[n->u.lock.junk].u.i;
        const Row *seen = (const Row *)(intptr_t)(*row)[n->u.lock.junk + 1].u.i;
        StorageStatus st =
            storage_row_lock(n->u.lock.table, op->run->txn, rid, seen, n->u.lock.mode, n->u.lock.wait, op->run->err);
        if (st == STORAGE_OK) return true;
        if (st != STORAGE_SKIP) return fail(op, st);
    }
}

/* ---- LIMIT ------------------------------------------------------------------------ */

static bool same_keys(const Value *a, const Value *b, int n);
static Value *copy_row(const Value *in, int n, Arena *arena);

/* LIMIT's or OFFSET's count: -1 for none (NULL too, as in PostgreSQL). */
static bool eval_count(Run *r, const BExpr *e, const char *what, const char *sqlstate, int64_t *out) {
    Value v;
    *out = -1;
    if (!e) return true;
    if (!planner__eval(e, NULL, r->params, r->arena, &v, r->err)) return false;
    if (v.isnull) return true;
    if (v.u.i < 0) return error_set(r->err, sqlstate, "%s must not be negative", what);
    *out = v.u.i;
    return true;
}

static bool eval_limit(Run *r, const BExpr *limit, const BExpr *offset, int64_t *l, int64_t *o) {
    return eval_count(r, limit, "LIMIT", SQLSTATE_INVALID_ROW_COUNT_IN_LIMIT_CLAUSE, l) &&
           eval_count(r, offset, "OFFSET", SQLSTATE_INVALID_ROW_COUNT_IN_RESULT_OFFSET_CLAUSE, o);
}

/* Rows skipped by OFFSET are pulled through the operators below (and
 * may fail there), as under PostgreSQL's Limit node. */
static bool limit_next(Op *op, const Value **row) {
    *row = NULL;
    if (!op->started) {
        op->started = true;
        if (!eval_limit(op->run, op->node->u.limit.limit, op->node->u.limit.offset, &op->u.limit.limit,
                        &op->u.limit.offset))
            return eval_error(op);
    }
    const PlanNode *n = op->node;
    bool full = op->u.limit.limit >= 0 && op->u.limit.returned >= (uint64_t)op->u.limit.limit;
    if (full && (!n->u.limit.nties || !op->u.limit.last)) return true;
    for (; op->u.limit.offset > 0; op->u.limit.offset--) {
        if (!planner__next(op->child, row)) return false;
        if (!*row) return true;
    }
    if (!planner__next(op->child, row)) return false;
    if (!*row) return true;
    if (full) { /* WITH TIES: a row equal to the last one on the sort keys goes too */
        if (!same_keys(*row + n->u.limit.ties, op->u.limit.last, n->u.limit.nties)) *row = NULL;
        return true;
    }
    op->u.limit.returned++;
    if (n->u.limit.nties && op->u.limit.returned == (uint64_t)op->u.limit.limit) {
        arena_reset(&op->scratch);
        op->u.limit.last = copy_row(*row + n->u.limit.ties, n->u.limit.nties, &op->scratch);
    }
    return true;
}

/* ---- SORT ------------------------------------------------------------------------- */

static int compare_sort_rows(const void *pa, const void *pb, void *ctx) {
    const PlanNode *n = ctx;
    const SortRow *a = pa, *b = pb;
    for (int i = 0; i < n->u.sort.nkeys; i++) {
        const SortKey *k = &n->u.sort.keys[i];
        int c = planner__compare_ordered(&a->keys[i], &b->keys[i], k->desc, k->nulls_first);
        if (c) return c;
    }
    return a->seq < b->seq ? -1 : a->seq > b->seq ? 1 : 0;
}

static Value *copy_row(const Value *in, int n, Arena *arena) {
    Value *row = arena_alloc(arena, (size_t)(n + 1) * sizeof *row);
    for (int i = 0; i < n; i++) {
        row[i] = in[i];
        value_detach(&row[i], arena);
    }
    return row;
}

/* Top-N: once twice the bound is held, the rows past the bound are
 * dropped (and the arena they were in), so memory stays O(bound). */
static void sort_truncate(Op *op) {
    const PlanNode *n = op->node;
    qsort_r(op->u.sort.rows, op->u.sort.n, sizeof(SortRow), compare_sort_rows, (void *)n);
    op->u.sort.n = (size_t)op->u.sort.bound;
    Arena fresh;
    arena_init(&fresh, 0);
    for (size_t i = 0; i < op->u.sort.n; i++) {
        SortRow *s = &op->u.sort.rows[i];
        s->row = copy_row(s->row, n->width, &fresh);
        s->keys = copy_row(s->keys, n->u.sort.nkeys, &fresh);
    }
    arena_deinit(&op->u.sort.keep);
    op->u.sort.keep = fresh;
}

static bool sort_add(Op *op, const Value *in) {
    const PlanNode *n = op->node;
    Run *r = op->run;
    if (op->u.sort.n == op->u.sort.cap) {
        op->u.sort.cap = op->u.sort.cap ? 2 * op->u.sort.cap : 64;
        op->u.sort.rows = realloc(op->u.sort.rows, op->u.sort.cap * sizeof(SortRow));
        if (!op->u.sort.rows) abort();
    }
    SortRow *s = &op->u.sort.rows[op->u.sort.n];
    s->seq = op->u.sort.added++;
    s->row = copy_row(in, n->width, &op->u.sort.keep);
    s->keys = arena_alloc(&op->u.sort.keep, (size_t)(n->u.sort.nkeys + 1) * sizeof(Value));
    arena_reset(&op->scratch);
    for (int i = 0; i < n->u.sort.nkeys; i++) {
        if (!planner__eval(n->u.sort.keys[i].expr, s->row, r->params, &op->scratch, &s->keys[i], r->err))
            return eval_error(op);
        value_detach(&s->keys[i], &op->u.sort.keep);
    }
    op->u.sort.n++;
    if (op->u.sort.bound >= 0 && op->u.sort.n >= 2 * (size_t)op->u.sort.bound + 64) sort_truncate(op);
    return true;
}

static bool sort_fill(Op *op) {
    const PlanNode *n = op->node;
    if (!op->started) {
        op->started = true;
        op->u.sort.bound = -1;
        if (n->u.sort.limit) {
            int64_t limit, offset;
            if (!eval_limit(op->run, n->u.sort.limit, n->u.sort.offset, &limit, &offset)) return eval_error(op);
            if (limit >= 0) op->u.sort.bound = limit + (offset > 0 ? offset : 0);
        }
    }
    for (;;) {
        const Value *in;
        if (!planner__next(op->child, &in)) return false;
        if (!in) break;
        if (!sort_add(op, in)) return false;
    }
    if (op->u.sort.n > 1) qsort_r(op->u.sort.rows, op->u.sort.n, sizeof(SortRow), compare_sort_rows, (void *)n);
    if (op->u.sort.bound >= 0 && op->u.sort.n > (size_t)op->u.sort.bound) op->u.sort.n = (size_t)op->u.sort.bound;
    return op->filled = true;
}

static bool sort_next(Op *op, const Value **row) {
    *row = NULL;
    if (!op->filled && !sort_fill(op)) return false;
    if (op->u.sort.next < op->u.sort.n) *row = op->u.sort.rows[op->u.sort.next++].row;
    return true;
}

/* ---- JOIN --------------------------------------------------------------------------
 * The inner side is read once and kept (with a hash table on its keys for
 * a hash join); each outer row is then tried against the inner rows its
 * keys find (or all of them), the condition deciding. A LEFT or FULL join
 * returns an outer row that matched nothing with NULLs for the inner
 * side; a RIGHT or FULL join, once the outer rows are done, each inner
 * row that matched nothing with NULLs for the outer side. A NULL key
 * matches nothing, as = says. */

static uint64_t hash_keys(const Value *keys, int n) {
    uint64_t h = 0x51ed27;
    for (int i = 0; i < n; i++) h = (h ^ value_hash(&keys[i])) * 0x100000001b3ULL;
    return h;
}

static bool keys_have_null(const Value *keys, int n) {
    for (int i = 0; i < n; i++)
        if (keys[i].isnull) return true;
    return false;
}

/* Evaluates exprs over row into out (memory from arena). */
static bool eval_keys(Op *op, BExpr *const *exprs, int n, const Value *row, Arena *arena, Value *out) {
    for (int i = 0; i < n; i++)
        if (!planner__eval(exprs[i], row, op->run->params, arena, &out[i], op->run->err)) return eval_error(op);
    return true;
}

static bool join_keep_inner(Op *op, const Value *in) {
    const PlanNode *n = op->node;
    int width = n->width - n->u.join.outer_width, nkeys = n->u.join.nkeys;
    if (op->u.join.n == op->u.join.cap) {
        size_t cap = op->u.join.cap ? 2 * op->u.join.cap : 64;
        Value **rows = arena_alloc(&op->u.join.keep, cap * sizeof *rows);
        Value **keys = arena_alloc(&op->u.join.keep, cap * sizeof *keys);
        uint64_t *hashes = arena_alloc(&op->u.join.keep, cap * sizeof *hashes);
        if (op->u.join.n) {
            memcpy(rows, op->u.join.rows, op->u.join.n * sizeof *rows);
            memcpy(keys, op->u.join.key_values, op->u.join.n * sizeof *keys);
            memcpy(hashes, op->u.join.hashes, op->u.join.n * sizeof *hashes);
        }
        op->u.join.rows = rows, op->u.join.key_values = keys, op->u.join.hashes = hashes;
        op->u.join.cap = cap;
    }
    size_t i = op->u.join.n++;
    op->u.join.rows[i] = copy_row(in, width, &op->u.join.keep);
    if (!nkeys) return true;
    Value *keys = arena_alloc(&op->u.join.keep, (size_t)nkeys * sizeof *keys);
    arena_reset(&op->scratch);
    if (!eval_keys(op, n->u.join.inner_keys, nkeys, op->u.join.rows[i], &op->scratch, keys)) return false;
    for (int k = 0; k < nkeys; k++) value_detach(&keys[k], &op->u.join.keep);
    op->u.join.key_values[i] = keys;
    op->u.join.hashes[i] = hash_keys(keys, nkeys);
    return true;
}

static void join_build_hash(Op *op) {
    size_t n = op->u.join.n;
    uint32_t nb = 16;
    while (nb < n) nb *= 2;
    op->u.join.nbuckets = nb;
    op->u.join.buckets = arena_alloc(&op->u.join.keep, nb * sizeof(uint32_t));
    op->u.join.next = arena_alloc(&op->u.join.keep, (n + 1) * sizeof(uint32_t));
    memset(op->u.join.buckets, 0xff, nb * sizeof(uint32_t));
    for (size_t i = n; i-- > 0;) { /* chains in arrival order */
        if (keys_have_null(op->u.join.key_values[i], op->node->u.join.nkeys)) continue;
        uint32_t *head = &op->u.join.buckets[op->u.join.hashes[i] & (nb - 1)];
        op->u.join.next[i] = *head;
        *head = (uint32_t)i;
    }
}

static bool join_start(Op *op) {
    for (;;) {
        const Value *in;
        if (!planner__next(op->u.join.inner, &in)) return false;
        if (!in) break;
        if (!join_keep_inner(op, in)) return false;
    }
    if (op->node->u.join.nkeys) join_build_hash(op);
    SqlJoinType t = op->node->u.join.type;
    if (t == SQL_JOIN_RIGHT || t == SQL_JOIN_FULL)
        op->u.join.matched = arena_zalloc(&op->u.join.keep, op->u.join.n + 1);
    return op->filled = true;
}

static void set_nulls(Value *row, const TypeId *types, int from, int to) {
    for (int i = from; i < to; i++) row[i] = value_null(types[i]);
}

/* The next outer row, its keys and the first inner row to try; *row NULL
 * (with outer_done) when there is none. */
static bool join_next_outer(Op *op) {
    const PlanNode *n = op->node;
    const Value *outer;
    if (!planner__next(op->child, &outer)) return false;
    if (!outer) {
        op->u.join.outer_done = true;
        return true;
    }
    memcpy(op->u.join.row, outer, (size_t)n->u.join.outer_width * sizeof(Value));
    op->u.join.have_outer = true;
    op->u.join.outer_matched = false;
    if (!n->u.join.nkeys) {
        op->u.join.cand = 0;
        return true;
    }
    arena_reset(&op->u.join.keys);
    Value *keys = op->u.join.outer_key_values;
    if (!eval_keys(op, n->u.join.outer_keys, n->u.join.nkeys, outer, &op->u.join.keys, keys)) return false;
    op->u.join.cand = JOIN_NONE;
    if (keys_have_null(keys, n->u.join.nkeys)) return true;
    op->u.join.hash = hash_keys(keys, n->u.join.nkeys);
    op->u.join.cand = op->u.join.buckets[op->u.join.hash & (op->u.join.nbuckets - 1)];
    return true;
}

/* The next inner row to try for this outer row, or JOIN_NONE. */
static uint32_t join_candidate(Op *op) {
    const PlanNode *n = op->node;
    if (!n->u.join.nkeys) {
        uint32_t i = op->u.join.cand;
        if (i >= op->u.join.n) return JOIN_NONE;
        op->u.join.cand++;
        return i;
    }
    while (op->u.join.cand != JOIN_NONE) {
        uint32_t i = op->u.join.cand;
        op->u.join.cand = op->u.join.next[i];
        if (op->u.join.hashes[i] != op->u.join.hash) continue;
        const Value *a = op->u.join.outer_key_values, *b = op->u.join.key_values[i];
        bool equal = true;
        for (int k = 0; k < n->u.join.nkeys && equal; k++) equal = value_compare(&a[k], &b[k]) == 0;
        if (equal) return i;
    }
    return JOIN_NONE;
}

/* LATERAL: the inner side is opened anew for each outer row, its
 * parameters set from that row; its operators and their memory live in
 * the join's `keep` arena, emptied each time. */
static bool lateral_open_inner(Op *op, const Value *outer) {
    const PlanNode *n = op->node;
    Run *r = op->run;
    planner__close(op->u.join.inner);
    op->u.join.inner = NULL;
    arena_reset(&op->u.join.keep);
    for (int i = 0; i < n->u.join.nlateral; i++)
        if (!planner__eval(n->u.join.lateral_exprs[i], outer, r->params, &op->u.join.keep,
                           &r->exec[n->u.join.lateral_slots[i]], r->err))
            return eval_error(op);
    Arena *saved = r->arena;
    r->arena = &op->u.join.keep;
    op->u.join.inner = planner__open(r, n->inner);
    r->arena = saved;
    return true;
}

static bool lateral_pull(Op *op, const Value **row) {
    Run *r = op->run;
    Arena *saved = r->arena;
    r->arena = &op->u.join.keep;
    bool ok = planner__next(op->u.join.inner, row);
    r->arena = saved;
    return ok;
}

static bool lateral_next(Op *op, const Value **row) {
    const PlanNode *n = op->node;
    int ow = n->u.join.outer_width;
    Value *joined = op->u.join.row;
    *row = NULL;
    for (;;) {
        if (!op->u.join.have_outer) {
            const Value *outer;
            if (!planner__next(op->child, &outer)) return false;
            if (!outer) return true;
            memcpy(joined, outer, (size_t)ow * sizeof(Value));
            if (!lateral_open_inner(op, outer)) return false;
            op->u.join.have_outer = true;
            op->u.join.outer_matched = false;
        }
        const Value *in;
        if (!lateral_pull(op, &in)) return false;
        if (in) {
            memcpy(joined + ow, in, (size_t)(n->width - ow) * sizeof(Value));
            bool holds;
            if (!qual_holds(op, joined, &holds)) return false;
            if (!holds) continue;
            op->u.join.outer_matched = true;
            *row = joined;
            return true;
        }
        op->u.join.have_outer = false;
        if (!op->u.join.outer_matched && n->u.join.type == SQL_JOIN_LEFT) {
            set_nulls(joined, n->u.join.types, ow, n->width);
            *row = joined;
            return true;
        }
    }
}

static bool join_next(Op *op, const Value **row) {
    const PlanNode *n = op->node;
    int ow = n->u.join.outer_width;
    Value *joined = op->u.join.row;
    *row = NULL;
    if (n->u.join.nlateral) return lateral_next(op, row);
    if (!op->filled && !join_start(op)) return false;
    while (!op->u.join.outer_done) {
        if (!op->u.join.have_outer) {
            if (!join_next_outer(op)) return false;
            continue;
        }
        uint32_t i;
        while ((i = join_candidate(op)) != JOIN_NONE) {
            memcpy(joined + ow, op->u.join.rows[i], (size_t)(n->width - ow) * sizeof(Value));
            bool holds;
            if (!qual_holds(op, joined, &holds)) return false;
            if (!holds) continue;
            op->u.join.outer_matched = true;
            if (op->u.join.matched) op->u.join.matched[i] = true;
            *row = joined;
            return true;
        }
        op->u.join.have_outer = false;
        if (!op->u.join.outer_matched && (n->u.join.type == SQL_JOIN_LEFT || n->u.join.type == SQL_JOIN_FULL)) {
            set_nulls(joined, n->u.join.types, ow, n->width);
            *row = joined;
            return true;
        }
    }
    if (!op->u.join.matched) return true;
    while (op->u.join.unmatched < op->u.join.n) {
        size_t i = op->u.join.unmatched++;
        if (op->u.join.matched[i]) continue;
        set_nulls(joined, n->u.join.types, 0, ow);
        memcpy(joined + ow, op->u.join.rows[i], (size_t)(n->width - ow) * sizeof(Value));
        *row = joined;
        return true;
    }
    return true;
}

/* ---- AGG ----------------------------------------------------------------------------
 * Every input row is read first: its group found by its keys in a hash
 * table (NULL keys group together, as GROUP BY says), and each call's
 * state given the row's arguments (if its FILTER holds). Then one row per
 * group, in the order the groups were first seen: the calls' results, then
 * the keys. Without GROUP BY there is one group, even with no rows. */

/* The keys that identify a group: GROUP BY's, then the grouping set's number. */
static int agg_width(const PlanNode *n) { return n->u.agg.nkeys + (n->u.agg.nsets ? 1 : 0); }

static Group *agg_new_group(Op *op, const Value *keys, uint64_t hash) {
    const PlanNode *n = op->node;
    Group *g = arena_alloc(&op->u.agg.keep, sizeof *g);
    g->keys = copy_row(keys, agg_width(n), &op->u.agg.keep);
    g->hash = hash;
    g->next = JOIN_NONE;
    g->states = arena_alloc(&op->u.agg.keep, (size_t)(n->u.agg.ncalls + 1) * sizeof *g->states);
    for (int i = 0; i < n->u.agg.ncalls; i++) g->states[i] = planner__agg_new(n->u.agg.calls[i], &op->u.agg.keep);
    if (op->u.agg.n == op->u.agg.cap) {
        op->u.agg.cap = op->u.agg.cap ? 2 * op->u.agg.cap : 16;
        op->u.agg.groups = realloc(op->u.agg.groups, op->u.agg.cap * sizeof *op->u.agg.groups);
        if (!op->u.agg.groups) abort();
    }
    op->u.agg.groups[op->u.agg.n++] = g;
    return g;
}

static void agg_rehash(Op *op) {
    uint32_t nb = op->u.agg.nbuckets ? 2 * op->u.agg.nbuckets : 64;
    op->u.agg.buckets = arena_alloc(&op->u.agg.keep, nb * sizeof(uint32_t));
    memset(op->u.agg.buckets, 0xff, nb * sizeof(uint32_t));
    op->u.agg.nbuckets = nb;
    for (size_t i = 0; i < op->u.agg.n; i++) {
        Group *g = op->u.agg.groups[i];
        uint32_t *head = &op->u.agg.buckets[g->hash & (nb - 1)];
        g->next = *head;
        *head = (uint32_t)i;
    }
}

static bool same_keys(const Value *a, const Value *b, int n) {
    for (int i = 0; i < n; i++)
        if (!value_equal(&a[i], &b[i])) return false;
    return true;
}

static Group *agg_group(Op *op, const Value *keys) {
    int nkeys = agg_width(op->node);
    if (!nkeys) return op->u.agg.n ? op->u.agg.groups[0] : agg_new_group(op, keys, 0);
    uint64_t h = hash_keys(keys, nkeys);
    if (op->u.agg.nbuckets)
        for (uint32_t i = op->u.agg.buckets[h & (op->u.agg.nbuckets - 1)]; i != JOIN_NONE;) {
            Group *g = op->u.agg.groups[i];
            if (g->hash == h && same_keys(g->keys, keys, nkeys)) return g;
            i = g->next;
        }
    Group *g = agg_new_group(op, keys, h);
    if (op->u.agg.n > op->u.agg.nbuckets) {
        agg_rehash(op);
    } else {
        uint32_t *head = &op->u.agg.buckets[h & (op->u.agg.nbuckets - 1)];
        g->next = *head;
        *head = (uint32_t)(op->u.agg.n - 1);
    }
    return g;
}

/* The row's arguments into the states of group g. */
static bool agg_step_group(Op *op, Group *g, const Value *row);

/* One input row into its group's states: of each grouping set's group. */
static bool agg_add_row(Op *op, const Value *row) {
    const PlanNode *n = op->node;
    int nkeys = n->u.agg.nkeys;
    arena_reset(&op->scratch);
    Value *keys = arena_alloc(&op->scratch, (size_t)(nkeys + 2) * sizeof *keys);
    if (!eval_keys(op, n->u.agg.keys, nkeys, row, &op->scratch, keys)) return false;
    if (!n->u.agg.nsets) return agg_step_group(op, agg_group(op, keys), row);
    Value *set_keys = arena_alloc(&op->scratch, (size_t)(nkeys + 2) * sizeof *set_keys);
    for (int s = 0; s < n->u.agg.nsets; s++) {
        for (int i = 0; i < nkeys; i++)
            set_keys[i] = n->u.agg.sets[s] & ((uint64_t)1 << i) ? keys[i] : value_null((TypeId)n->u.agg.keys[i]->type);
        set_keys[nkeys] = value_int(TYPE_INT4, s);
        if (!agg_step_group(op, agg_group(op, set_keys), row)) return false;
    }
    return true;
}

static bool agg_step_group(Op *op, Group *g, const Value *row) {
    const PlanNode *n = op->node;
    Run *r = op->run;
    for (int i = 0; i < n->u.agg.ncalls; i++) {
        const AggCall *c = n->u.agg.calls[i];
        if (c->fn == AGG_GROUPING) continue;
        if (c->filter) {
            bool holds;
            if (!planner__eval_bool(c->filter, row, r->params, &op->scratch, &holds, r->err)) return eval_error(op);
            if (!holds) continue;
        }
        Value *vals = op->u.agg.vals;
        if (!eval_keys(op, c->args, c->nargs, row, &op->scratch, vals)) return false;
        for (int k = 0; k < c->norder; k++)
            if (!planner__eval(c->order[k].expr, row, r->params, &op->scratch, &vals[c->nargs + k], r->err))
                return eval_error(op);
        if (!planner__agg_step(c, g->states[i], vals, &op->scratch, r->err)) return eval_error(op);
    }
    return true;
}

/* GROUPING(...) of group g: a bit per argument, set if its set leaves the key out. */
static Value grouping_value(const PlanNode *n, const AggCall *c, const Group *g) {
    uint64_t set = n->u.agg.nsets ? n->u.agg.sets[g->keys[n->u.agg.nkeys].u.i] : ~(uint64_t)0;
    int64_t bits = 0;
    for (int a = 0; a < c->nargs; a++) bits = bits << 1 | !(set & ((uint64_t)1 << c->grouping_keys[a]));
    return value_int(TYPE_INT4, bits);
}

static bool agg_set_seen(const Op *op, int set) {
    int at = op->node->u.agg.nkeys;
    for (size_t i = 0; i < op->u.agg.n; i++)
        if (op->u.agg.groups[i]->keys[at].u.i == set) return true;
    return false;
}

static bool agg_fill(Op *op) {
    const PlanNode *n = op->node;
    if (!op->started) {
        int most = 0;
        op->started = true;
        for (int i = 0; i < n->u.agg.ncalls; i++)
            if (n->u.agg.calls[i]->nargs + n->u.agg.calls[i]->norder > most)
                most = n->u.agg.calls[i]->nargs + n->u.agg.calls[i]->norder;
        op->u.agg.vals = arena_alloc(op->run->arena, (size_t)(most + 1) * sizeof(Value));
    }
    for (;;) {
        const Value *in;
        if (!planner__next(op->child, &in)) return false;
        if (!in) break;
        if (!agg_add_row(op, in) || !poll_interrupt(op)) return false;
    }
    if (!agg_width(n) && !op->u.agg.n) agg_new_group(op, NULL, 0);
    for (int s = 0; s < n->u.agg.nsets; s++) /* an empty set has its group (its total) even of no rows */
        if (!n->u.agg.sets[s] && !agg_set_seen(op, s)) {
            Value *keys = arena_alloc(&op->scratch, (size_t)(n->u.agg.nkeys + 2) * sizeof *keys);
            for (int i = 0; i < n->u.agg.nkeys; i++) keys[i] = value_null((TypeId)n->u.agg.keys[i]->type);
            keys[n->u.agg.nkeys] = value_int(TYPE_INT4, s);
            agg_group(op, keys);
        }
    return op->filled = true;
}

static bool agg_next(Op *op, const Value **row) {
    const PlanNode *n = op->node;
    *row = NULL;
    if (!op->filled && !agg_fill(op)) return false;
    if (op->u.agg.next >= op->u.agg.n) return true;
    Group *g = op->u.agg.groups[op->u.agg.next++];
    arena_reset(&op->scratch);
    for (int i = 0; i < n->u.agg.ncalls; i++) {
        const AggCall *c = n->u.agg.calls[i];
        if (c->fn == AGG_GROUPING) {
            op->out[i] = grouping_value(n, c, g);
            continue;
        }
        if (!planner__agg_final(c, g->states[i], &op->scratch, &op->out[i], op->run->err)) return eval_error(op);
    }
    for (int i = 0; i < agg_width(n); i++) op->out[n->u.agg.ncalls + i] = g->keys[i];
    *row = op->out;
    return true;
}

/* ---- VALUES, APPEND -------------------------------------------------------------------- */

static bool values_next(Op *op, const Value **row) {
    const PlanNode *n = op->node;
    *row = NULL;
    if (op->u.values.next >= (size_t)n->u.values.nrows) return true;
    BExpr **exprs = n->u.values.rows[op->u.values.next++];
    arena_reset(&op->scratch);
    for (int i = 0; i < n->width; i++)
        if (!planner__eval(exprs[i], NULL, op->run->params, &op->scratch, &op->out[i], op->run->err))
            return eval_error(op);
    *row = op->out;
    return true;
}

static bool append_next(Op *op, const Value **row) {
    if (!op->done) {
        if (!planner__next(op->child, row)) return false;
        if (*row) return true;
        op->done = true;
    }
    return planner__next(op->u.set.inner_op, row);
}

/* ---- DISTINCT, INTERSECT, EXCEPT ---------------------------------------------------------
 * A hash set of the keys seen (NULLs equal to each other, as DISTINCT and
 * the set operations compare). DISTINCT returns each row whose key is new;
 * INTERSECT and EXCEPT count each distinct row of both sides, then return
 * the left's rows in the order first seen: INTERSECT those on both sides
 * (ALL: as often as on the side with fewer), EXCEPT those only on the left
 * (ALL: as many more times as the left has them). */

static const Value *key_of(const PlanNode *n, const Value *row, Value *buf) {
    if (n->kind != NODE_DISTINCT || !n->u.distinct.cols) return row;
    for (int i = 0; i < n->u.distinct.ncols; i++) buf[i] = row[n->u.distinct.cols[i]];
    return buf;
}

static int set_key_width(const PlanNode *n) { return n->kind == NODE_DISTINCT ? n->u.distinct.ncols : n->width; }

/* The index of key in the set, added if new (*added); counts grow with it. */
static size_t set_find(Op *op, const Value *key, bool add, bool *added) {
    int w = set_key_width(op->node);
    uint64_t h = hash_keys(key, w);
    *added = false;
    if (op->u.set.nbuckets)
        for (uint32_t i = op->u.set.buckets[h & (op->u.set.nbuckets - 1)]; i != JOIN_NONE; i = op->u.set.next[i])
            if (op->u.set.hashes[i] == h && same_keys(op->u.set.keys[i], key, w)) return i;
    if (!add) return SIZE_MAX;
    if (op->u.set.n == op->u.set.cap) {
        size_t cap = op->u.set.cap ? 2 * op->u.set.cap : 64;
        op->u.set.keys = realloc(op->u.set.keys, cap * sizeof *op->u.set.keys);
        op->u.set.hashes = realloc(op->u.set.hashes, cap * sizeof *op->u.set.hashes);
        op->u.set.next = realloc(op->u.set.next, cap * sizeof *op->u.set.next);
        op->u.set.counts = realloc(op->u.set.counts, 2 * cap * sizeof *op->u.set.counts);
        if (!op->u.set.keys || !op->u.set.hashes || !op->u.set.next || !op->u.set.counts) abort();
        op->u.set.cap = cap;
        uint32_t nb = 1;
        while (nb < cap) nb *= 2;
        op->u.set.buckets = realloc(op->u.set.buckets, nb * sizeof *op->u.set.buckets);
        if (!op->u.set.buckets) abort();
        op->u.set.nbuckets = nb;
        memset(op->u.set.buckets, 0xff, nb * sizeof *op->u.set.buckets);
        for (size_t i = 0; i < op->u.set.n; i++) {
            uint32_t *head = &op->u.set.buckets[op->u.set.hashes[i] & (nb - 1)];
            op->u.set.next[i] = *head;
            *head = (uint32_t)i;
        }
    }
    size_t i = op->u.set.n++;
    op->u.set.keys[i] = copy_row(key, w, &op->u.set.keep);
    op->u.set.hashes[i] = h;
    op->u.set.counts[2 * i] = op->u.set.counts[2 * i + 1] = 0;
    uint32_t *head = &op->u.set.buckets[h & (op->u.set.nbuckets - 1)];
    op->u.set.next[i] = *head;
    *head = (uint32_t)i;
    *added = true;
    return i;
}

static bool distinct_next(Op *op, const Value **row) {
    Value buf[64];
    const PlanNode *n = op->node;
    Value *kb = n->u.distinct.cols && n->u.distinct.ncols > 64
                    ? arena_alloc(op->run->arena, (size_t)n->u.distinct.ncols * sizeof(Value))
                    : buf;
    for (;;) {
        if (!planner__next(op->child, row)) return false;
        if (!*row) return true;
        if (!poll_interrupt(op)) return false;
        bool added;
        set_find(op, key_of(n, *row, kb), true, &added);
        if (added) return true;
    }
}

static bool setop_count(Op *op, Op *side, int which) {
    for (;;) {
        const Value *row;
        if (!planner__next(side, &row)) return false;
        if (!row) return true;
        if (!poll_interrupt(op)) return false;
        bool added;
        size_t i = set_find(op, row, which == 0, &added);
        if (i != SIZE_MAX) op->u.set.counts[2 * i + which]++;
    }
}

static bool setop_next(Op *op, const Value **row) {
    const PlanNode *n = op->node;
    *row = NULL;
    if (!op->started) { /* the left side counted (and kept), then the right */
        if (!setop_count(op, op->child, 0)) return false;
        op->started = true;
    }
    if (!op->filled) {
        if (!setop_count(op, op->u.set.inner_op, 1)) return false;
        op->filled = true;
    }
    for (;;) {
        if (op->u.set.repeat > 0) {
            op->u.set.repeat--;
            *row = op->u.set.keys[op->u.set.emit - 1];
            return true;
        }
        if (op->u.set.emit >= op->u.set.n) return true;
        size_t i = op->u.set.emit++;
        int64_t l = op->u.set.counts[2 * i], r = op->u.set.counts[2 * i + 1];
        if (n->u.setop.op == SQL_SETOP_INTERSECT)
            op->u.set.repeat = r == 0 ? 0 : n->u.setop.all ? (l < r ? l : r) : 1;
        else
            op->u.set.repeat = n->u.setop.all ? (l > r ? l - r : 0) : r == 0;
    }
}

/* ---- WINDOW -------------------------------------------------------------------------------
 * Every input row is read and kept; window.c computes each call's value
 * for each row; the rows then come out, each followed by its values, in
 * the order of the last window's sort (as PostgreSQL's last WindowAgg). */

static bool window_fill(Op *op) {
    const PlanNode *n = op->node;
    int w = n->child->width < n->width - n->u.window.ncalls ? n->child->width : n->width - n->u.window.ncalls;
    for (;;) {
        const Value *in;
        if (!planner__next(op->child, &in)) return false;
        if (!in) break;
        if (!poll_interrupt(op)) return false;
        if (op->u.window.n == op->u.window.cap) {
            op->u.window.cap = op->u.window.cap ? 2 * op->u.window.cap : 64;
            op->u.window.rows = realloc(op->u.window.rows, op->u.window.cap * sizeof *op->u.window.rows);
            if (!op->u.window.rows) abort();
        }
        op->u.window.rows[op->u.window.n++] = copy_row(in, w, &op->u.window.keep);
    }
    size_t rows = op->u.window.n;
    op->u.window.results = arena_alloc(&op->u.window.keep, (rows + 1) * sizeof(Value *));
    op->u.window.order = arena_alloc(&op->u.window.keep, (rows + 1) * sizeof(size_t));
    for (size_t i = 0; i < rows; i++)
        op->u.window.results[i] = arena_zalloc(&op->u.window.keep, (size_t)(n->u.window.ncalls + 1) * sizeof(Value));
    if (!planner__window_compute(op->run, n->u.window.calls, n->u.window.ncalls, op->u.window.rows, rows,
                                 op->u.window.results, op->u.window.order, &op->u.window.keep, op->run->err))
        return eval_error(op);
    return op->filled = true;
}

static bool window_next(Op *op, const Value **row) {
    const PlanNode *n = op->node;
    *row = NULL;
    if (!op->filled && !window_fill(op)) return false;
    if (op->u.window.next >= op->u.window.n) return true;
    size_t i = op->u.window.order[op->u.window.next++];
    int w = n->width - n->u.window.ncalls;
    memcpy(op->out, op->u.window.rows[i], (size_t)w * sizeof(Value));
    memcpy(op->out + w, op->u.window.results[i], (size_t)n->u.window.ncalls * sizeof(Value));
    *row = op->out;
    return true;
}

/* ---- RECURSIVE, WORKTABLE ------------------------------------------------------------------
 * WITH RECURSIVE: the first side's rows, then round after round the
 * second side's over the rows the round before made (its WORKTABLE reads
 * them), until a round makes none; UNION drops rows made before. */

static bool recursive_add(Op *op, const Value *row) {
    if (!op->node->u.recursive.all) {
        bool added;
        set_find(op, row, true, &added);
        if (!added) return true;
    }
    if (op->u.set.nrows == op->u.set.rows_cap) {
        op->u.set.rows_cap = op->u.set.rows_cap ? 2 * op->u.set.rows_cap : 64;
        op->u.set.rows = realloc(op->u.set.rows, op->u.set.rows_cap * sizeof *op->u.set.rows);
        if (!op->u.set.rows) abort();
    }
    op->u.set.rows[op->u.set.nrows++] = copy_row(row, op->node->width, &op->u.set.keep);
    return true;
}

static bool recursive_round(Op *op, Op *side) {
    size_t before = op->u.set.nrows;
    for (;;) {
        const Value *row;
        if (!planner__next(side, &row)) return false;
        if (!row) break;
        if (!poll_interrupt(op) || !recursive_add(op, row)) return false;
    }
    op->u.set.round_start = before;
    op->u.set.round_end = op->u.set.nrows;
    return true;
}

static bool recursive_pull_next(Op *op, const Value **row);

static bool recursive_next(Op *op, const Value **row) {
    Run *r = op->run;
    r->no_yield++; /* a round is not resumable: it runs whole */
    bool ok = recursive_pull_next(op, row);
    r->no_yield--;
    return ok;
}

static bool recursive_pull_next(Op *op, const Value **row) {
    const PlanNode *n = op->node;
    Run *r = op->run;
    *row = NULL;
    if (!op->started) {
        op->started = true;
        if (!recursive_round(op, op->child)) return false;
    }
    while (op->u.set.emit >= op->u.set.nrows) {
        if (op->u.set.round_start == op->u.set.round_end) return true; /* the last round made nothing */
        WorkTable *w = &r->worktables[n->u.recursive.id];
        w->rows = op->u.set.rows + op->u.set.round_start;
        w->n = op->u.set.round_end - op->u.set.round_start;
        Op *side = planner__open(r, n->inner);
        bool ok = recursive_round(op, side);
        planner__close(side);
        if (!ok) return false;
    }
    *row = op->u.set.rows[op->u.set.emit++];
    return true;
}

static bool worktable_next(Op *op, const Value **row) {
    const WorkTable *w = &op->run->worktables[op->node->u.recursive.id];
    *row = op->u.values.next < w->n ? w->rows[op->u.values.next++] : NULL;
    return true;
}

/* ---- FUNCTION -------------------------------------------------------------------------------
 * A function in FROM: generate_series counts from start to stop by step
 * (integers and numerics; timestamps by an interval), as PostgreSQL's,
 * with its errors for a zero, NaN or infinite step or bound; unnest gives
 * the array's elements; any other function one row of its value. A NULL
 * argument gives no rows. */

static bool series_error(Op *op, const char *msg) {
    error_set(op->run->err, SQLSTATE_INVALID_PARAMETER_VALUE, "%s", msg);
    return eval_error(op);
}

static bool numeric_special(const Value *v, const char *what, Op *op) {
    char buf[VALUE_TEXT_BUF];
    int len;
    const char *t = value_to_text(v, buf, &len);
    if (len == 3 && !memcmp(t, "NaN", 3)) {
        error_set(op->run->err, SQLSTATE_INVALID_PARAMETER_VALUE, "%s value cannot be NaN", what);
        return true;
    }
    if ((len == 8 && !memcmp(t, "Infinity", 8)) || (len == 9 && !memcmp(t, "-Infinity", 9))) {
        error_set(op->run->err, SQLSTATE_INVALID_PARAMETER_VALUE, "%s value cannot be infinity", what);
        return true;
    }
    return false;
}

/* ZIP: a scan of each part (one column each). */
static void zip_start(Op *op) {
    const FuncScan *fs = op->node->u.func;
    Run *r = op->run;
    op->u.func.parts = arena_zalloc(r->arena, (size_t)fs->nparts * sizeof *op->u.func.parts);
    op->u.func.done = arena_zalloc(r->arena, (size_t)fs->nparts * sizeof *op->u.func.done);
    for (int k = 0; k < fs->nparts; k++) {
        PlanNode *part = arena_zalloc(r->arena, sizeof *part);
        part->kind = NODE_FUNCTION;
        part->width = 1;
        part->u.func = fs->parts[k];
        op->u.func.parts[k] = planner__open(r, part);
    }
}

/* ZIP: a row of every part's next value, NULL for the parts run out; none
 * when all have. */
static bool zip_next(Op *op, const Value **row) {
    const FuncScan *fs = op->node->u.func;
    Run *r = op->run;
    bool any = false;
    for (int k = 0; k < fs->nparts; k++) {
        const Value *v = NULL;
        if (!op->u.func.done[k]) {
            r->no_yield++; /* a row's values come together */
            bool ok = planner__next(op->u.func.parts[k], &v);
            r->no_yield--;
            if (!ok) return false;
            op->u.func.done[k] = !v;
        }
        op->out[k] = v ? v[0] : value_null(fs->parts[k]->type);
        any |= v != NULL;
    }
    *row = any ? op->out : NULL;
    return true;
}

static bool function_start(Op *op) {
    const FuncScan *fs = op->node->u.func;
    Run *r = op->run;
    Value a[3];
    op->started = true;
    op->u.func.ordinal = 0;
    if (fs->kind == FUNC_ZIP) {
        zip_start(op);
        return true;
    }
    for (int i = 0; i < fs->nargs; i++) {
        if (!planner__eval(fs->args[i], NULL, r->params, r->arena, &a[i], r->err)) return eval_error(op);
        value_detach(&a[i], r->arena);
        if (a[i].isnull && fs->kind != FUNC_SCALAR) op->done = true;
    }
    if (op->done) return true;
    if (fs->kind == FUNC_SCALAR) {
        op->out[0] = a[0];
        return true;
    }
    if (fs->kind == FUNC_UNNEST) {
        array_read(&a[0], &op->u.func.array);
        return true;
    }
    op->u.func.cur = a[0], op->u.func.stop = a[1];
    if (fs->type == TYPE_NUMERIC) {
        if (numeric_special(&a[0], "start", op) || numeric_special(&a[1], "stop", op) ||
            (fs->nargs == 3 && numeric_special(&a[2], "step size", op)))
            return eval_error(op);
    }
    Value one;
    if (fs->nargs == 3) {
        op->u.func.step = a[2];
    } else if (fs->type == TYPE_NUMERIC) {
        numeric_from_int(1, r->arena, &one);
        op->u.func.step = one;
    } else {
        op->u.func.step = value_int(fs->type, 1);
    }
    if (fs->add) { /* an interval: is the step positive? */
        Value zero = value_string(TYPE_UNKNOWN, "0", 1);
        if (!planner__cast_value(&zero, TYPE_INTERVAL, -1, false, r->arena, r->err)) return eval_error(op);
        op->u.func.zero = zero;
    } else if (fs->type == TYPE_NUMERIC) {
        numeric_from_int(0, r->arena, &op->u.func.zero);
    } else {
        op->u.func.zero = value_int(fs->type, 0);
    }
    int sign = value_compare(&op->u.func.step, &op->u.func.zero);
    if (!sign) return series_error(op, "step size cannot equal zero");
    op->u.func.sign = sign > 0 ? 1 : -1;
    return true;
}

static bool series_advance(Op *op) {
    const FuncScan *fs = op->node->u.func;
    Run *r = op->run;
    Value *cur = &op->u.func.cur, next;
    if (fs->add) {
        Value args[3] = {*cur, op->u.func.step, {.type = TYPE_INVALID}};
        if (!fs->add->call(args, r->arena, &next, r->err)) return eval_error(op);
    } else if (fs->type == TYPE_NUMERIC) {
        if (!numeric_arith(NUMERIC_ADD, cur, &op->u.func.step, r->arena, &next, r->err)) return eval_error(op);
    } else {
        int64_t v;
        if (__builtin_add_overflow(cur->u.i, op->u.func.step.u.i, &v) ||
            (fs->type == TYPE_INT4 && (v > INT32_MAX || v < INT32_MIN))) {
            op->done = true; /* past the type's end: PostgreSQL stops there too */
            return true;
        }
        next = value_int(fs->type, v);
    }
    *cur = next;
    return true;
}

static bool function_row(Op *op, const Value **row);

/* The next row of the function, numbered if WITH ORDINALITY asks. */
static bool function_next(Op *op, const Value **row) {
    if (!function_row(op, row)) return false;
    if (*row && op->node->u.func->ordinality) op->out[op->node->width - 1] = value_int(TYPE_INT8, ++op->u.func.ordinal);
    return true;
}

static bool function_row(Op *op, const Value **row) {
    const FuncScan *fs = op->node->u.func;
    *row = NULL;
    if (!op->started && !function_start(op)) return false;
    if (op->done) return true;
    if (fs->kind == FUNC_ZIP) return zip_next(op, row);
    if (fs->kind == FUNC_SCALAR) {
        op->done = true;
        *row = op->out;
        return true;
    }
    if (fs->kind == FUNC_UNNEST) {
        if (!array_next(&op->u.func.array, &op->out[0])) return true;
        *row = op->out;
        return true;
    }
    if (!poll_interrupt(op) || time_to_yield(op)) return false;
    if (value_compare(&op->u.func.cur, &op->u.func.stop) * op->u.func.sign > 0) {
        op->done = true;
        return true;
    }
    op->out[0] = op->u.func.cur;
    *row = op->out;
    return series_advance(op);
}

/* ---- PROJECT_SET -------------------------------------------------------------------------
 * Set-returning functions in the select list, as PostgreSQL's ProjectSet:
 * for each row of the child, every function runs over it (its arguments'
 * parameters set from the row) and the row comes out once per value of
 * the longest, the others' columns NULL once they run out; a row whose
 * functions all give nothing does not come out. */

static bool srf_start(Op *op, const Value *in) {
    const PlanNode *n = op->node;
    Run *r = op->run;
    for (int k = 0; k < n->u.srf.n; k++) planner__close(op->u.srf.funcs[k]), op->u.srf.funcs[k] = NULL;
    arena_reset(&op->u.srf.keep);
    Arena *saved = r->arena;
    r->arena = &op->u.srf.keep;
    for (int k = 0; k < n->u.srf.n; k++) {
        const FromNode *f = n->u.srf.funcs[k];
        for (int i = 0; i < f->nlateral; i++)
            if (!planner__eval(f->lateral_exprs[i], in, r->params, &op->u.srf.keep, &r->exec[f->lateral_slots[i]],
                               r->err))
                return r->arena = saved, eval_error(op);
        PlanNode *fn = arena_zalloc(&op->u.srf.keep, sizeof *fn);
        fn->kind = NODE_FUNCTION;
        fn->width = 1;
        fn->u.func = f->func;
        op->u.srf.funcs[k] = planner__open(r, fn);
        op->u.srf.done[k] = false;
    }
    r->arena = saved;
    op->u.srf.in = in;
    return true;
}

static bool project_set_next(Op *op, const Value **row) {
    const PlanNode *n = op->node;
    Run *r = op->run;
    int w = n->width - n->u.srf.n;
    *row = NULL;
    for (;;) {
        if (!op->u.srf.in) {
            const Value *in;
            if (!planner__next(op->child, &in)) return false;
            if (!in) return true;
            if (!srf_start(op, in)) return false;
        }
        bool any = false;
        for (int k = 0; k < n->u.srf.n; k++) {
            const Value *v = NULL;
            if (!op->u.srf.done[k]) {
                Arena *saved = r->arena;
                r->arena = &op->u.srf.keep;
                r->no_yield++; /* one output row's values come together */
                bool ok = planner__next(op->u.srf.funcs[k], &v);
                r->no_yield--;
                r->arena = saved;
                if (!ok) return false;
                op->u.srf.done[k] = !v;
            }
            op->out[w + k] = v ? v[0] : value_null(n->u.srf.funcs[k]->func->type);
            any |= v != NULL;
        }
        if (any) {
            memcpy(op->out, op->u.srf.in, (size_t)w * sizeof(Value));
            *row = op->out;
            return true;
        }
        op->u.srf.in = NULL; /* every function ran out: the next row */
    }
}

/* ---- the tree ---------------------------------------------------------------------- */

Op *planner__open(Run *run, const PlanNode *node) {
    Op *op = arena_zalloc(run->arena, sizeof *op);
    op->node = node;
    op->run = run;
    arena_init(&op->scratch, 0);
    if (node->child) op->child = planner__open(run, node->child);
    switch (node->kind) {
    case NODE_SCAN: op->u.scan.row = arena_alloc(run->arena, (size_t)(node->width + 1) * sizeof(Value)); break;
    case NODE_PROJECT: op->out = arena_alloc(run->arena, (size_t)(node->width + 1) * sizeof(Value)); break;
    case NODE_SORT: arena_init(&op->u.sort.keep, 0); break;
    case NODE_VALUES:
    case NODE_FUNCTION: op->out = arena_alloc(run->arena, (size_t)(node->width + 1) * sizeof(Value)); break;
    case NODE_WINDOW:
        arena_init(&op->u.window.keep, 0);
        op->out = arena_alloc(run->arena, (size_t)(node->width + 1) * sizeof(Value));
        break;
    case NODE_APPEND:
    case NODE_SETOP:
    case NODE_DISTINCT:
    case NODE_RECURSIVE:
        arena_init(&op->u.set.keep, 0);
        if (node->inner && node->kind != NODE_RECURSIVE) op->u.set.inner_op = planner__open(run, node->inner);
        break;
    case NODE_AGG:
        arena_init(&op->u.agg.keep, 0);
        op->out = arena_alloc(run->arena, (size_t)(node->width + 1) * sizeof(Value));
        break;
    case NODE_PROJECT_SET:
        op->out = arena_alloc(run->arena, (size_t)(node->width + 1) * sizeof(Value));
        op->u.srf.funcs = arena_zalloc(run->arena, (size_t)(node->u.srf.n + 1) * sizeof *op->u.srf.funcs);
        op->u.srf.done = arena_zalloc(run->arena, (size_t)node->u.srf.n + 1);
        arena_init(&op->u.srf.keep, 0);
        break;
    case NODE_JOIN:
        if (!node->u.join.nlateral) op->u.join.inner = planner__open(run, node->inner);
        arena_init(&op->u.join.keep, 0);
        arena_init(&op->u.join.keys, 0);
        op->u.join.row = arena_alloc(run->arena, (size_t)(node->width + 1) * sizeof(Value));
        op->u.join.outer_key_values = arena_alloc(run->arena, (size_t)(node->u.join.nkeys + 1) * sizeof(Value));
        break;
    default: break;
    }
    return op;
}

static bool next_row(Op *op, const Value **row);

bool planner__next(Op *op, const Value **row) {
    bool ok = next_row(op, row);
    op->rows += ok && *row;
    return ok;
}

uint64_t planner__op_rows(const Op *op) { return op->rows; }

const Op *planner__op_child(const Op *op, int which) {
    if (!which) return op->child;
    NodeKind k = op->node->kind;
    if (k == NODE_JOIN) return op->u.join.inner;
    if (k == NODE_APPEND || k == NODE_SETOP || k == NODE_DISTINCT) return op->u.set.inner_op;
    return NULL;
}

static bool next_row(Op *op, const Value **row) {
    switch (op->node->kind) {
    case NODE_RESULT: return result_next(op, row);
    case NODE_SCAN: return scan_next(op, row);
    case NODE_FILTER: return filter_next(op, row);
    case NODE_PROJECT: return project_next(op, row);
    case NODE_SORT: return sort_next(op, row);
    case NODE_LOCK: return lock_next(op, row);
    case NODE_LIMIT: return limit_next(op, row);
    case NODE_JOIN: return join_next(op, row);
    case NODE_AGG: return agg_next(op, row);
    case NODE_VALUES: return values_next(op, row);
    case NODE_APPEND: return append_next(op, row);
    case NODE_DISTINCT: return distinct_next(op, row);
    case NODE_SETOP: return setop_next(op, row);
    case NODE_WINDOW: return window_next(op, row);
    case NODE_RECURSIVE: return recursive_next(op, row);
    case NODE_WORKTABLE: return worktable_next(op, row);
    case NODE_FUNCTION: return function_next(op, row);
    case NODE_PROJECT_SET: return project_set_next(op, row);
    }
    *row = NULL;
    error_set(op->run->err, SQLSTATE_INTERNAL_ERROR, "unknown plan node %d", (int)op->node->kind);
    return eval_error(op);
}

void planner__close(Op *op) {
    if (!op) return;
    planner__close(op->child);
    arena_deinit(&op->scratch);
    if (op->node->kind == NODE_SORT) {
        arena_deinit(&op->u.sort.keep);
        free(op->u.sort.rows);
    }
    NodeKind k = op->node->kind;
    if (k == NODE_APPEND || k == NODE_SETOP || k == NODE_DISTINCT || k == NODE_RECURSIVE) {
        planner__close(op->u.set.inner_op);
        free(op->u.set.rows);
        free(op->u.set.keys), free(op->u.set.hashes), free(op->u.set.next), free(op->u.set.counts);
        free(op->u.set.buckets);
        arena_deinit(&op->u.set.keep);
    }
    if (k == NODE_WINDOW) {
        free(op->u.window.rows);
        arena_deinit(&op->u.window.keep);
    }
    if (op->node->kind == NODE_AGG) {
        for (size_t i = 0; i < op->u.agg.n; i++)
            for (int k = 0; k < op->node->u.agg.ncalls; k++) planner__agg_free(op->u.agg.groups[i]->states[k]);
        free(op->u.agg.groups);
        arena_deinit(&op->u.agg.keep);
    }
    if (k == NODE_FUNCTION && op->node->u.func->kind == FUNC_ZIP && op->u.func.parts)
        for (int p = 0; p < op->node->u.func->nparts; p++) planner__close(op->u.func.parts[p]);
    if (op->node->kind == NODE_PROJECT_SET) {
        for (int k = 0; k < op->node->u.srf.n; k++) planner__close(op->u.srf.funcs[k]);
        arena_deinit(&op->u.srf.keep);
    }
    if (op->node->kind == NODE_JOIN) {
        planner__close(op->u.join.inner);
        arena_deinit(&op->u.join.keep);
        arena_deinit(&op->u.join.keys);
    }
}
