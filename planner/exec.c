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
 * INTERFACE: planner_execute
 */
#define _GNU_SOURCE /* qsort_r */
#include "planner/planner_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Exec {
    const Plan *plan;
    Storage *storage;
    Txn *txn;
    const Value *params;
    Arena *arena; /* the statement's */
    Arena row;    /* reset per row */
    RowSink *sink;
    Error *err;
    /* the row source */
    TableScan scan;
    bool started, done;
} Exec;

/* ---- row sources ------------------------------------------------------------------- */

static const Value NO_COLUMNS[1];

/* The next input row (its values), or NULL at the end; *row is its version
 * (NULL without FROM). Returns false on an error evaluating a key. */
static bool next_row(Exec *x, RowVersion **row, const Value **values) {
    const RowSource *src = &x->plan->source;
    *row = NULL;
    *values = NULL;
    if (!src->table) {
        if (!x->done) *values = NO_COLUMNS;
        x->done = true;
        return true;
    }
    if (src->pk_key) {
        if (x->done) return true;
        x->done = true;
        const TableDesc *d = storage_table_desc(src->table);
        Value *key = arena_alloc(x->arena, (size_t)d->npkey * sizeof *key);
        for (int i = 0; i < d->npkey; i++)
            if (!planner__eval(src->pk_key[i], NULL, x->params, x->arena, &key[i], x->err)) return false;
        *row = storage_pk_lookup(src->table, x->txn, key);
    } else {
        if (!x->started) storage_scan_begin(src->table, x->txn, &x->scan);
        x->started = true;
        *row = storage_scan_next(&x->scan);
    }
    if (*row) *values = storage_row_values(*row);
    return true;
}

/* Applies the filter; *keep says whether the row passes. */
static bool filter_row(Exec *x, const Value *values, bool *keep) {
    if (!x->plan->filter) {
        *keep = true;
        return true;
    }
    return planner__eval_bool(x->plan->filter, values, x->params, &x->row, keep, x->err);
}

static bool project(Exec *x, const Value *in, Arena *arena, Value *out) {
    const Plan *p = x->plan;
    for (int i = 0; i < p->ncols; i++)
        if (!planner__eval(p->targets[i], in, x->params, arena, &out[i], x->err)) return false;
    return true;
}

static bool emit(Exec *x, const Value *out) { return x->sink->row(x->sink->ctx, out, x->plan->ncols, x->err); }

/* RETURNING: project the written row and send it. */
static bool emit_returning(Exec *x, const Value *row_values) {
    if (!x->plan->ncols) return true;
    Value *out = arena_alloc(&x->row, (size_t)x->plan->ncols * sizeof *out);
    return project(x, row_values, &x->row, out) && emit(x, out);
}

/* ---- SELECT --------------------------------------------------------------------------- */

static bool eval_count(Exec *x, const BExpr *e, const char *what, const char *sqlstate, int64_t *out) {
    Value v;
    *out = -1; /* none */
    if (!e) return true;
    if (!planner__eval(e, NULL, x->params, x->arena, &v, x->err)) return false;
    if (v.isnull) return true;
    if (v.u.i < 0) return error_set(x->err, sqlstate, "%s must not be negative", what);
    *out = v.u.i;
    return true;
}

typedef struct SortRow {
    Value *out;
    Value *keys;
    size_t seq;
} SortRow;

static int compare_sort_rows(const void *pa, const void *pb, void *ctx) {
    const Plan *sort_plan = ctx;
    const SortRow *a = pa, *b = pb;
    for (int i = 0; i < sort_plan->nsort; i++) {
        const SortKey *k = &sort_plan->sort[i];
        const Value *va = &a->keys[i], *vb = &b->keys[i];
        int c;
        if (va->isnull || vb->isnull) {
            if (va->isnull && vb->isnull) continue;
            c = va->isnull ? 1 : -1;
            if (k->nulls_first) c = -c;
            return c;
        }
        c = value_compare(va, vb);
        if (c) return k->desc ? -c : c;
    }
    return a->seq < b->seq ? -1 : a->seq > b->seq ? 1 : 0;
}

/* Reads, filters, projects and sorts every row. Which rows' expressions
 * are evaluated beyond a LIMIT depends on the plan in PostgreSQL too (an
 * index scan in key order evaluates lazily, a sort evaluates everything); this
 * is the sort's behaviour, until ordered indexes exist. */
static bool collect_sorted(Exec *x, SortRow **rows_out, size_t *n_out) {
    const Plan *p = x->plan;
    size_t n = 0, cap = 64;
    SortRow *rows = malloc(cap * sizeof *rows);
    RowVersion *rv;
    const Value *in;
    for (;;) {
        if (!next_row(x, &rv, &in)) goto fail;
        if (!in) break;
        bool keep;
        if (!filter_row(x, in, &keep)) goto fail;
        if (!keep) continue;
        if (n == cap && !(rows = realloc(rows, (cap *= 2) * sizeof *rows))) abort();
        SortRow *r = &rows[n];
        r->out = arena_alloc(x->arena, (size_t)(p->ncols + 1) * sizeof *r->out);
        r->keys = arena_alloc(x->arena, (size_t)p->nsort * sizeof *r->keys);
        r->seq = n++;
        if (!project(x, in, x->arena, r->out)) goto fail;
        for (int i = 0; i < p->nsort; i++)
            if (!planner__eval(p->sort[i].expr, in, x->params, x->arena, &r->keys[i], x->err)) goto fail;
    }
    qsort_r(rows, n, sizeof *rows, compare_sort_rows, (void *)p);
    *rows_out = rows;
    *n_out = n;
    return true;
fail:
    free(rows);
    return false;
}

static bool select_sorted(Exec *x, int64_t offset, int64_t limit, ExecResult *res) {
    SortRow *rows;
    size_t n;
    if (!collect_sorted(x, &rows, &n)) return false;
    bool ok = true;
    for (size_t i = offset > 0 ? (size_t)offset : 0; i < n && ok; i++) {
        if (limit >= 0 && res->rows >= (uint64_t)limit) break;
        ok = emit(x, rows[i].out);
        res->rows++;
    }
    free(rows);
    return ok;
}

/* Rows skipped by OFFSET are still projected (and may fail), as under
 * PostgreSQL's Limit node, which pulls them through the projection below it. */
static bool select_streaming(Exec *x, int64_t offset, int64_t limit, ExecResult *res) {
    Value *out = arena_alloc(x->arena, (size_t)(x->plan->ncols + 1) * sizeof *out);
    RowVersion *rv;
    const Value *in;
    while (limit < 0 || res->rows < (uint64_t)limit) {
        arena_reset(&x->row);
        if (!next_row(x, &rv, &in)) return false;
        if (!in) break;
        bool keep;
        if (!filter_row(x, in, &keep)) return false;
        if (!keep) continue;
        if (!project(x, in, &x->row, out)) return false;
        if (offset > 0) {
            offset--;
            continue;
        }
        if (!emit(x, out)) return false;
        res->rows++;
    }
    return true;
}

static bool exec_select(Exec *x, ExecResult *res) {
    int64_t limit, offset;
    if (!eval_count(x, x->plan->limit, "LIMIT", SQLSTATE_INVALID_ROW_COUNT_IN_LIMIT_CLAUSE, &limit)) return false;
    if (!eval_count(x, x->plan->offset, "OFFSET", SQLSTATE_INVALID_ROW_COUNT_IN_RESULT_OFFSET_CLAUSE, &offset))
        return false;
    bool ok = x->plan->nsort ? select_sorted(x, offset, limit, res) : select_streaming(x, offset, limit, res);
    snprintf(res->tag, sizeof res->tag, "SELECT %llu", (unsigned long long)res->rows);
    return ok;
}

/* ---- writes ------------------------------------------------------------------------------ */

static StorageStatus exec_insert(Exec *x, ExecResult *res) {
    const Plan *p = x->plan;
    Table *table = p->source.table;
    const TableDesc *d = storage_table_desc(table);
    Value *vals = arena_alloc(x->arena, (size_t)d->ncols * sizeof *vals);
    for (int r = 0; r < p->ninsert_rows; r++) {
        arena_reset(&x->row);
        for (int c = 0; c < d->ncols; c++) {
            const BExpr *e = p->insert_rows[r][c];
            vals[c] = value_null(d->cols[c].type);
            if (e && !planner__eval(e, NULL, x->params, &x->row, &vals[c], x->err)) return STORAGE_ERROR;
        }
        StorageStatus st = storage_row_insert(table, x->txn, vals, x->err);
        if (st != STORAGE_OK) return st;
        if (!emit_returning(x, vals)) return STORAGE_ERROR;
        res->rows++;
    }
    snprintf(res->tag, sizeof res->tag, "INSERT 0 %llu", (unsigned long long)res->rows);
    return STORAGE_OK;
}

static StorageStatus update_row(Exec *x, RowVersion *rv, const Value *old) {
    const Plan *p = x->plan;
    Table *table = p->source.table;
    int ncols = storage_table_desc(table)->ncols;
    Value *vals = arena_alloc(&x->row, (size_t)ncols * sizeof *vals);
    for (int c = 0; c < ncols; c++) {
        vals[c] = old[c];
        if (p->update_values[c] && !planner__eval(p->update_values[c], old, x->params, &x->row, &vals[c], x->err))
            return STORAGE_ERROR;
    }
    StorageStatus st = storage_row_update(table, x->txn, rv, vals, x->err);
    if (st == STORAGE_OK && !emit_returning(x, vals)) return STORAGE_ERROR;
    return st;
}

static StorageStatus exec_modify(Exec *x, ExecResult *res) {
    const Plan *p = x->plan;
    RowVersion *rv;
    const Value *in;
    for (;;) {
        arena_reset(&x->row);
        if (!next_row(x, &rv, &in)) return STORAGE_ERROR;
        if (!in) break;
        bool keep;
        if (!filter_row(x, in, &keep)) return STORAGE_ERROR;
        if (!keep) continue;
        StorageStatus st;
        if (p->kind == PLAN_UPDATE) {
            st = update_row(x, rv, in);
        } else {
            st = storage_row_delete(p->source.table, x->txn, rv, x->err);
            if (st == STORAGE_OK && !emit_returning(x, in)) st = STORAGE_ERROR;
        }
        if (st != STORAGE_OK) return st;
        res->rows++;
    }
    snprintf(res->tag, sizeof res->tag, "%s %llu", p->kind == PLAN_UPDATE ? "UPDATE" : "DELETE",
             (unsigned long long)res->rows);
    return STORAGE_OK;
}

/* ---- DDL ---------------------------------------------------------------------------------- */

static void notice(Exec *x, const char *sqlstate, const char *fmt, const char *name) {
    Error n;
    error_set(&n, sqlstate, fmt, name);
    n.severity = SEV_NOTICE;
    if (x->sink->notice) x->sink->notice(x->sink->notice_ctx, &n);
}

static StorageStatus exec_create_table(Exec *x, ExecResult *res) {
    const Plan *p = x->plan;
    snprintf(res->tag, sizeof res->tag, "CREATE TABLE");
    if (p->if_not_exists && storage_table_lookup(x->storage, x->txn, p->create.name)) {
        notice(x, SQLSTATE_DUPLICATE_TABLE, "relation \"%s\" already exists, skipping", p->create.name);
        return STORAGE_OK;
    }
    return storage_table_create(x->storage, x->txn, &p->create, x->err) ? STORAGE_OK : STORAGE_ERROR;
}

static StorageStatus exec_drop_table(Exec *x, ExecResult *res) {
    const Plan *p = x->plan;
    snprintf(res->tag, sizeof res->tag, "DROP TABLE");
    for (int i = 0; i < p->ndrop; i++) {
        StorageStatus st = storage_table_drop(x->storage, x->txn, p->drop_tables[i], x->err);
        if (st != STORAGE_OK) return st;
    }
    for (int i = 0; i < p->ndrop_missing; i++)
        notice(x, SQLSTATE_SUCCESSFUL_COMPLETION, "table \"%s\" does not exist, skipping", p->drop_missing[i]);
    return STORAGE_OK;
}

StorageStatus planner_execute(const Plan *plan, Storage *storage, Txn *txn, const Value *params, Arena *arena,
                              RowSink *sink, ExecResult *result, Error *err) {
    Exec x = {.plan = plan, .storage = storage, .txn = txn, .params = params, .arena = arena, .sink = sink, .err = err};
    arena_init(&x.row, 4096);
    memset(result, 0, sizeof *result);
    error_clear(err);
    StorageStatus st;
    switch (plan->kind) {
    case PLAN_SELECT: st = exec_select(&x, result) ? STORAGE_OK : STORAGE_ERROR; break;
    case PLAN_INSERT: st = exec_insert(&x, result); break;
    case PLAN_UPDATE:
    case PLAN_DELETE: st = exec_modify(&x, result); break;
    case PLAN_CREATE_TABLE: st = exec_create_table(&x, result); break;
    case PLAN_DROP_TABLE: st = exec_drop_table(&x, result); break;
    default:
        st = STORAGE_ERROR;
        error_set(err, SQLSTATE_INTERNAL_ERROR, "unknown plan kind");
        break;
    }
    arena_deinit(&x.row);
    return st;
}
