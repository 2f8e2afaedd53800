/*
 * exec.c — the executor: rows from a scan, a primary-key lookup or (no FROM)
 * a single empty row; then filter → project → sort → offset/limit for
 * SELECT, and the writes of INSERT / UPDATE / DELETE with RETURNING; DDL
 * goes straight to the storage catalog.
 *
 * Per-row temporaries come from a row arena reset after every row, so a
 * scan of any size runs in constant memory unless it sorts (sorted rows are
 * kept in the statement arena until they are sent).
 *
 * INTERFACE: planner_execute, planner_query_begin, planner_query_step,
 *            planner_query_end
 */
#include "planner/planner_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define EXEC_INLINE_KEYS 4

typedef struct Exec {
    const Plan *plan;
    Storage *storage;
    Txn *txn;
    const Value *params;
    Arena *arena;  /* the statement's */
    ArenaMark row; /* per-row temporaries come after it, dropped at each row */
    bool row_marked;
    RowSink *sink;
    Error *err;
    StorageStatus status; /* why a step failed: STORAGE_ERROR (err set) or STORAGE_BUSY */
    /* the row source */
    TableScan scan;
    IndexScan iscan;
    Value lo_keys[EXEC_INLINE_KEYS], hi_keys[EXEC_INLINE_KEYS]; /* the bounds of a short key */
    bool started, done;
    Value *input;   /* the current row, decoded */
    uint32_t polls; /* rows since the last look at planner__interrupted */
} Exec;

/* ---- row sources ------------------------------------------------------------------- */

/* Drops the previous row's temporaries (everything allocated since the
 * first call, which must come after what outlives the loop). */
static void next_row_temporaries(Exec *x) {
    if (x->row_marked) {
        arena_rewind(x->arena, x->row);
        return;
    }
    x->row = arena_mark(x->arena);
    x->row_marked = true;
}

static const Value NO_COLUMNS[1];

static bool fail(Exec *x, StorageStatus st) {
    x->status = st;
    return false;
}

/* Evaluates an index bound's key prefix; false if a key is NULL (no row
 * can match a comparison with NULL). */
static bool eval_bound(Exec *x, BExpr **exprs, int n, bool inclusive, Value *inline_keys, IndexBound *b, bool *empty) {
    Value *keys = n <= EXEC_INLINE_KEYS ? inline_keys : arena_alloc(x->arena, (size_t)(n + 1) * sizeof *keys);
    for (int i = 0; i < n; i++) {
        if (!planner__eval(exprs[i], NULL, x->params, x->arena, &keys[i], x->err)) return fail(x, STORAGE_ERROR);
        if (keys[i].isnull) *empty = true;
    }
    *b = (IndexBound){keys, n, inclusive};
    return true;
}

static bool start_source(Exec *x) {
    const RowSource *src = &x->plan->source;
    x->started = true;
    if (src->table)
        x->input = arena_alloc(x->arena, ((size_t)storage_table_desc(src->table)->ncols + 1) * sizeof(Value));
    if (!src->index) {
        if (src->table) storage_scan_begin(src->table, x->txn, &x->scan);
        return true;
    }
    IndexBound lo, hi;
    bool empty = false;
    if (!eval_bound(x, src->lo, src->nlo, src->lo_inclusive, x->lo_keys, &lo, &empty)) return false;
    if (!eval_bound(x, src->hi, src->nhi, src->hi_inclusive, x->hi_keys, &hi, &empty)) return false;
    x->done = empty;
    storage_index_scan_begin(src->index, x->txn, &lo, &hi, src->backward, &x->iscan);
    return true;
}

/* The next input row: *values (NULL at the end), and for a table its row id
 * and the version read. */
static bool next_row(Exec *x, RowId *rid, const Row **seen, const Value **values) {
    const RowSource *src = &x->plan->source;
    *seen = NULL;
    *values = NULL;
    if (!x->started && !start_source(x)) return false;
    if (x->done) return true;
    if (UNLIKELY(++x->polls == PLANNER_POLL_ROWS)) {
        x->polls = 0;
        if (planner__interrupted(x->err)) return fail(x, STORAGE_ERROR);
    }
    if (!src->table) {
        *values = NO_COLUMNS;
        x->done = true;
        return true;
    }
    *seen = src->index ? storage_index_scan_next(&x->iscan, rid, x->err) : storage_scan_next(&x->scan, rid, x->err);
    if (x->err->set) return fail(x, STORAGE_ERROR);
    if (!*seen) {
        x->done = true;
        return true;
    }
    storage_row_decode(src->table, *seen, x->input);
    *values = x->input;
    return true;
}

/* Applies the filter; *keep says whether the row passes. */
static bool filter_row(Exec *x, const Value *values, bool *keep) {
    if (!x->plan->filter) {
        *keep = true;
        return true;
    }
    if (!planner__eval_bool(x->plan->filter, values, x->params, x->arena, keep, x->err)) return fail(x, STORAGE_ERROR);
    return true;
}

static bool project(Exec *x, const Value *in, Arena *arena, Value *out) {
    const Plan *p = x->plan;
    for (int i = 0; i < p->ncols; i++)
        if (!planner__eval(p->targets[i], in, x->params, arena, &out[i], x->err)) return fail(x, STORAGE_ERROR);
    return true;
}

static bool emit(Exec *x, const Value *out) {
    if (!x->sink->row(x->sink->ctx, out, x->plan->ncols, x->err)) return fail(x, STORAGE_ERROR);
    return true;
}

/* RETURNING: project the written row and send it. */
static bool emit_returning(Exec *x, const Value *row_values) {
    if (!x->plan->ncols) return true;
    Value *out = arena_alloc(x->arena, (size_t)x->plan->ncols * sizeof *out);
    return project(x, row_values, x->arena, out) && emit(x, out);
}

/* A command tag "PREFIX n" without printf, which costs more than the rest
 * of a point query's tag handling. */
static void set_tag(char *tag, const char *prefix, uint64_t n) {
    char digits[24];
    int k = 0;
    do digits[k++] = (char)('0' + n % 10);
    while ((n /= 10) > 0);
    size_t len = strlen(prefix);
    memcpy(tag, prefix, len);
    tag[len++] = ' ';
    while (k > 0) tag[len++] = digits[--k];
    tag[len] = '\0';
}

/* ---- SELECT --------------------------------------------------------------------------- */

/* The operator tree's rows to the sink (its first ncols columns: the rest
 * are sort keys and row ids the operators needed). */
static bool exec_select(Exec *x, ExecResult *res) {
    Run *run = planner__current_run();
    Op *root = planner__open(run, x->plan->root);
    bool ok;
    for (;;) {
        const Value *row;
        if (!(ok = planner__next(root, &row)) || !row) break;
        if (!(ok = emit(x, row))) break;
        res->rows++;
    }
    planner__close(root);
    if (!ok && run->status != STORAGE_OK) x->status = run->status;
    set_tag(res->tag, "SELECT", res->rows);
    return ok;
}

/* ---- SELECT in steps ---------------------------------------------------------------------- */

struct PlannerQuery {
    const Plan *plan;
    RowSink *sink;
    Run run;
    Arena keep;
    Op *root;
    ExecResult res;
};

void planner__run_init(Run *run, const Plan *plan, Storage *storage, Txn *txn, const Value *params, Arena *arena,
                       Arena *keep, Error *err) {
    arena_init(keep, 0); /* not the statement's: writes drop each row's temporaries from that */
    *run = (Run){.storage = storage,
                 .txn = txn,
                 .params = params,
                 .arena = arena,
                 .err = err,
                 .status = STORAGE_OK,
                 .keep = keep};
    if (plan->nexec) run->exec = arena_zalloc(keep, (size_t)plan->nexec * sizeof *run->exec);
    if (plan->nsublinks) run->cache = arena_zalloc(keep, (size_t)plan->nsublinks * sizeof *run->cache);
    if (plan->nworktables) run->worktables = arena_zalloc(keep, (size_t)plan->nworktables * sizeof *run->worktables);
}

StorageStatus planner_query_begin(const Plan *plan, Storage *storage, Txn *txn, const Value *params, Arena *arena,
                                  RowSink *sink, PlannerQuery **out, Error *err) {
    error_clear(err);
    *out = NULL;
    if (plan->kind != PLAN_SELECT || plan->locking || plan->nwrites) return STORAGE_OK;
    StorageStatus st =
        plan->source.table ? storage_table_lock(plan->source.table, txn, TLOCK_ACCESS_SHARE) : STORAGE_OK;
    if (st != STORAGE_OK) return st;
    PlannerQuery *q = arena_zalloc(arena, sizeof *q); /* the statement's: no malloc per SELECT */
    q->plan = plan;
    q->sink = sink;
    planner__run_init(&q->run, plan, storage, txn, params, arena, &q->keep, err);
    Run *previous = planner__enter_run(&q->run);
    q->root = planner__open(&q->run, plan->root);
    planner__leave_run(previous);
    *out = q;
    return STORAGE_OK;
}

/* Rows to the sink until the budget (0: none) or max_rows more (0: any) or the end. */
static StorageStatus query_run(PlannerQuery *q, uint64_t budget_ns, uint64_t max_rows, bool *done, ExecResult *res,
                               Error *err) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    error_clear(err);
    *done = false;
    if (planner__interrupted(err)) return STORAGE_ERROR;
    q->run.err = err;
    q->run.yield_at = budget_ns ? (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec + budget_ns : 0;
    q->run.yielded = false;
    Run *previous = planner__enter_run(&q->run);
    StorageStatus st = STORAGE_OK;
    uint64_t stop = max_rows ? q->res.rows + max_rows : UINT64_MAX;
    while (q->res.rows < stop) {
        const Value *row;
        if (!planner__next(q->root, &row)) {
            if (!q->run.yielded) st = q->run.status != STORAGE_OK ? q->run.status : STORAGE_ERROR;
            break;
        }
        if (!row) {
            *done = true;
            break;
        }
        if (!q->sink->row(q->sink->ctx, row, q->plan->ncols, err)) {
            st = STORAGE_ERROR;
            break;
        }
        q->res.rows++;
    }
    planner__leave_run(previous);
    set_tag(q->res.tag, "SELECT", q->res.rows);
    *res = q->res;
    return st;
}

StorageStatus planner_query_step(PlannerQuery *q, uint64_t budget_ns, bool *done, ExecResult *res, Error *err) {
    return query_run(q, budget_ns, 0, done, res, err);
}

StorageStatus planner_query_fetch(PlannerQuery *q, uint64_t max_rows, bool *done, ExecResult *res, Error *err) {
    return query_run(q, 0, max_rows, done, res, err);
}

void planner_query_end(PlannerQuery *q) {
    if (!q) return;
    planner__close(q->root);
    arena_deinit(&q->keep);
}

/* ---- writes ------------------------------------------------------------------------------ */

static bool exec_insert(Exec *x, ExecResult *res) {
    const Plan *p = x->plan;
    Table *table = p->source.table;
    const TableDesc *d = storage_table_desc(table);
    Value *vals = arena_alloc(x->arena, (size_t)d->ncols * sizeof *vals);
    for (int r = 0; r < p->ninsert_rows; r++) {
        next_row_temporaries(x);
        for (int c = 0; c < d->ncols; c++) {
            const BExpr *e = p->insert_rows[r][c];
            vals[c] = value_null(d->cols[c].type);
            if (e && !planner__eval(e, NULL, x->params, x->arena, &vals[c], x->err)) return fail(x, STORAGE_ERROR);
        }
        StorageStatus st = storage_row_insert(table, x->txn, vals, x->err);
        if (st != STORAGE_OK) return fail(x, st);
        if (!emit_returning(x, vals)) return false;
        res->rows++;
    }
    set_tag(res->tag, "INSERT 0", res->rows);
    return true;
}

static StorageStatus update_row(Exec *x, RowId rid, const Row *seen, const Value *old, Value **written) {
    const Plan *p = x->plan;
    Table *table = p->source.table;
    int ncols = storage_table_desc(table)->ncols;
    Value *vals = arena_alloc(x->arena, (size_t)ncols * sizeof *vals);
    for (int c = 0; c < ncols; c++) {
        vals[c] = old[c];
        if (p->update_values[c] && !planner__eval(p->update_values[c], old, x->params, x->arena, &vals[c], x->err))
            return STORAGE_ERROR;
    }
    *written = vals;
    return storage_row_update(table, x->txn, rid, seen, vals, x->err);
}

/* A row this statement already changed (reached again through an index
 * entry of its new key) is skipped, as PostgreSQL skips "self-modified"
 * tuples. */
static bool exec_modify(Exec *x, ExecResult *res) {
    const Plan *p = x->plan;
    RowId rid = 0;
    const Row *seen;
    const Value *in;
    if (!x->started && !start_source(x)) return false; /* before the per-row mark */
    for (;;) {
        next_row_temporaries(x);
        if (!next_row(x, &rid, &seen, &in)) return false;
        if (!in) break;
        bool keep;
        if (!filter_row(x, in, &keep)) return false;
        if (!keep) continue;
        const Value *written = in;
        StorageStatus st = p->kind == PLAN_UPDATE ? update_row(x, rid, seen, in, (Value **)&written)
                                                  : storage_row_delete(p->source.table, x->txn, rid, seen, x->err);
        if (st == STORAGE_SKIP) continue;
        if (st != STORAGE_OK) return fail(x, st);
        if (!emit_returning(x, written)) return false;
        res->rows++;
    }
    set_tag(res->tag, p->kind == PLAN_UPDATE ? "UPDATE" : "DELETE", res->rows);
    return true;
}

/* The table lock a statement takes before it reads or writes (PostgreSQL
 * takes it while parsing; here at execution, which is where a wait can
 * park the statement). */
static bool lock_table(Exec *x) {
    const Plan *p = x->plan;
    Table *table = p->source.table;
    if (!table) return true;
    TableLockMode mode =
        p->kind == PLAN_SELECT ? (p->locking ? TLOCK_ROW_SHARE : TLOCK_ACCESS_SHARE) : TLOCK_ROW_EXCLUSIVE;
    StorageStatus st = storage_table_lock(table, x->txn, mode);
    return st == STORAGE_OK || fail(x, st);
}

static void exec_init(Exec *x, const Plan *plan, Storage *storage, Txn *txn, const Value *params, Arena *arena,
                      RowSink *sink, Error *err) {
    x->plan = plan; /* not zeroed as a whole: its scans are large and set up when used */
    x->storage = storage;
    x->txn = txn;
    x->params = params;
    x->arena = arena;
    x->sink = sink;
    x->err = err;
    x->status = STORAGE_OK;
    x->started = x->done = x->row_marked = false;
    x->polls = 0;
    x->input = NULL;
}

/* ---- data-modifying WITH queries ------------------------------------------------------- */

typedef struct Returned {
    WorkTable *table;
    Arena *arena;
    int ncols;
    size_t cap;
} Returned;

static bool keep_returned(void *ctx, const Value *values, int ncols, Error *err) {
    (void)err;
    Returned *r = ctx;
    WorkTable *w = r->table;
    if (w->n == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 16;
        Value **rows = arena_alloc(r->arena, r->cap * sizeof *rows);
        if (w->n) memcpy(rows, w->rows, w->n * sizeof *rows);
        w->rows = rows;
    }
    Value *row = arena_alloc(r->arena, (size_t)(ncols + 1) * sizeof *row);
    for (int i = 0; i < ncols; i++) {
        row[i] = values[i];
        value_detach(&row[i], r->arena);
    }
    w->rows[w->n++] = row;
    return true;
}

/* The statement's WITH writes, each run once to its end before it, their
 * RETURNING rows kept in their work tables (in the run's arena) for the
 * statement's references to read. They run under the statement's command
 * id, so the statement sees the tables as they were (as in PostgreSQL). */
static StorageStatus run_writes(const Plan *plan, Run *run, Storage *storage, Txn *txn, const Value *params,
                                Arena *arena, RowSink *sink, Error *err) {
    for (int i = 0; i < plan->nwrites; i++) {
        const Plan *w = plan->writes[i];
        Returned r = {&run->worktables[w->worktable - 1], run->keep, w->ncols, 0};
        RowSink keep = {keep_returned, &r, sink->notice, sink->notice_ctx, sink->caller};
        Exec x;
        ExecResult res;
        memset(&res, 0, sizeof res);
        exec_init(&x, w, storage, txn, params, arena, &keep, err);
        bool ok = lock_table(&x) && (w->kind == PLAN_INSERT ? exec_insert(&x, &res) : exec_modify(&x, &res));
        if (!ok) return x.status;
    }
    return STORAGE_OK;
}

StorageStatus planner_execute(const Plan *plan, Storage *storage, Txn *txn, const Value *params, Arena *arena,
                              RowSink *sink, ExecResult *result, Error *err) {
    Exec x;
    exec_init(&x, plan, storage, txn, params, arena, sink, err);
    memset(result, 0, sizeof *result);
    error_clear(err);
    /* what the statement's operators and sublinks share */
    Arena keep;
    Run run;
    planner__run_init(&run, plan, storage, txn, params, arena, &keep, err);
    Run *previous = planner__enter_run(&run);
    StorageStatus written = plan->nwrites ? run_writes(plan, &run, storage, txn, params, arena, sink, err) : STORAGE_OK;
    if (written != STORAGE_OK) x.status = written;
    bool ok = written == STORAGE_OK && lock_table(&x);
    if (ok) {
        switch (plan->kind) {
        case PLAN_SELECT: ok = exec_select(&x, result); break;
        case PLAN_INSERT: ok = exec_insert(&x, result); break;
        case PLAN_UPDATE:
        case PLAN_DELETE: ok = exec_modify(&x, result); break;
        case PLAN_CREATE_PROCEDURE:
        case PLAN_DROP_PROCEDURE:
        case PLAN_CALL:
            x.status = planner__execute_procedure(plan, storage, txn, params, arena, sink, result, err);
            ok = x.status == STORAGE_OK;
            break;
        case PLAN_EXPLAIN:
            x.status = planner__execute_explain(plan, storage, txn, params, arena, sink, result, err);
            ok = x.status == STORAGE_OK;
            break;
        case PLAN_COPY:
            error_set(err, SQLSTATE_INTERNAL_ERROR, "COPY runs through planner_copy_from / _to");
            ok = fail(&x, STORAGE_ERROR);
            break;
        default:
            x.status = planner__execute_ddl(plan, storage, txn, sink, result, err);
            ok = x.status == STORAGE_OK;
            break;
        }
    }
    planner__leave_run(previous);
    arena_deinit(&keep);
    return ok ? STORAGE_OK : x.status;
}
