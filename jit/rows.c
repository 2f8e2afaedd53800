/*
 * rows.c — strand.h's direct row API: insert, update and delete by primary
 * key, look up by the primary key or any index, iterate a table. Straight
 * to storage, without SQL: no parsing, no plan.
 *
 * Each function is one statement of the call's transaction (a new command
 * id; in READ COMMITTED a new snapshot), so it sees what the call did
 * before it. Values are converted to the columns' types as an INSERT
 * would (through their text form when the types differ); a row lock held
 * by another transaction parks the whole call, which re-runs later.
 * Variadic forms read as many strand_values as the table has columns (or
 * the key has columns): the host knows how many, from the catalog.
 *
 * INTERFACE: strand_insert, strand_update, strand_delete, strand_find,
 *   strand_find_by, strand_scan (strand.h)
 */
#include "jit/jit_int.h"

#include <stdio.h>
#include <string.h>

static Table *table_named(strand_ctx *ctx, const char *name) {
    if (!ctx->txn) strand_error(ctx, "0A000", "the row API cannot run while a module declares itself");
    jit__enter(ctx, JIT_COPY);
    char copy[128];
    snprintf(copy, sizeof copy, "%s", name ? name : "");
    jit__enter(ctx, JIT_HOST);
    Table *tb = storage_table_lookup(ctx->storage, ctx->txn, copy);
    if (!tb) strand_error(ctx, "42P01", "relation \"%s\" does not exist", copy);
    return tb;
}

/* n values from ap, converted to the types of cols[0..n) of the table. */
static void read_values(strand_ctx *ctx, const TableDesc *d, const int *cols, int n, va_list *ap, Value *out) {
    jit__enter(ctx, JIT_COPY);
    for (int i = 0; i < n; i++) {
        strand_value v = va_arg(*ap, strand_value);
        if (!jit__value_in(ctx->arena, &v, &out[i], ctx->err)) jit__fail(ctx, STORAGE_ERROR);
    }
    jit__enter(ctx, JIT_HOST);
    for (int i = 0; i < n; i++) {
        const ColumnDesc *c = &d->cols[cols ? cols[i] : i];
        Value *v = &out[i];
        if (v->isnull) {
            *v = value_null(c->type);
            continue;
        }
        if ((TypeId)v->type != c->type) {
            char buf[VALUE_TEXT_BUF];
            int len;
            const char *t = value_to_text(v, buf, &len);
            if (!value_from_text(c->type, t, (size_t)len, ctx->arena, v, ctx->err)) jit__fail(ctx, STORAGE_ERROR);
        }
        if (!value_apply_typmod(v, c->typmod, false, ctx->arena, ctx->err)) jit__fail(ctx, STORAGE_ERROR);
    }
}

static void begin(strand_ctx *ctx, Table *tb, TableLockMode mode) {
    storage_txn_statement_begin(ctx->txn);
    StorageStatus st = storage_table_lock(tb, ctx->txn, mode);
    if (st != STORAGE_OK) {
        storage_txn_statement_end(ctx->txn);
        jit__fail(ctx, st);
    }
}

static void end(strand_ctx *ctx, StorageStatus st) {
    storage_txn_statement_end(ctx->txn);
    if (st != STORAGE_OK) jit__fail(ctx, st);
    jit__leave(ctx);
}

static strand_result *new_result(strand_ctx *ctx, int ncols) {
    strand_result *r = arena_zalloc(ctx->arena, sizeof *r);
    r->ncols = ncols;
    r->returns_rows = true;
    return r;
}

/* Keeps a row version's values, strings copied into the call's memory. */
static void keep(strand_ctx *ctx, strand_result *r, const Table *tb, const Row *row) {
    Value values[64];
    int n = storage_table_desc(tb)->ncols;
    Value *v = n <= (int)ARRAY_LEN(values) ? values : arena_alloc(ctx->arena, (size_t)n * sizeof *v);
    storage_row_decode(tb, row, v);
    jit__keep_row(ctx, r, v, n);
}

void strand_insert(strand_ctx *ctx, const char *table, ...) {
    Table *tb = table_named(ctx, table);
    const TableDesc *d = storage_table_desc(tb);
    Value *values = arena_alloc(ctx->arena, (size_t)d->ncols * sizeof *values);
    va_list ap;
    va_start(ap, table);
    read_values(ctx, d, NULL, d->ncols, &ap, values);
    va_end(ap);
    begin(ctx, tb, TLOCK_ROW_EXCLUSIVE);
    end(ctx, storage_row_insert(tb, ctx->txn, values, ctx->err));
}

/* The index a lookup goes through: the primary key (name NULL) or by name. */
static Index *index_of(strand_ctx *ctx, Table *tb, const char *name) {
    if (!name) {
        Index *pk = storage_table_nindexes(tb, ctx->txn) ? storage_table_index(tb, ctx->txn, 0) : NULL;
        if (!pk || !storage_index_desc(pk)->primary)
            strand_error(ctx, "42P10", "table \"%s\" has no primary key", storage_table_desc(tb)->name);
        return pk;
    }
    jit__enter(ctx, JIT_COPY);
    char copy[128];
    snprintf(copy, sizeof copy, "%s", name);
    jit__enter(ctx, JIT_HOST);
    Index *ix = storage_index_lookup(ctx->storage, ctx->txn, copy);
    if (!ix || storage_index_table(ix) != tb)
        strand_error(ctx, "42704", "index \"%s\" of table \"%s\" does not exist", copy, storage_table_desc(tb)->name);
    return ix;
}

/* Runs each(row) for the rows whose key is key[0..nkeys). */
static void lookup(strand_ctx *ctx, Index *ix, const Value *key, int nkeys,
                   bool (*each)(strand_ctx *ctx, Table *tb, RowId rid, const Row *row, void *arg), void *arg) {
    IndexBound b = {key, nkeys, true};
    IndexScan scan;
    storage_index_scan_begin(ix, ctx->txn, &b, &b, false, &scan);
    RowId rid;
    for (const Row *row; (row = storage_index_scan_next(&scan, &rid, ctx->err));)
        if (!each(ctx, storage_index_table(ix), rid, row, arg)) return;
    if (ctx->err->set) {
        storage_txn_statement_end(ctx->txn);
        jit__fail(ctx, STORAGE_ERROR);
    }
}

static bool collect(strand_ctx *ctx, Table *tb, RowId rid, const Row *row, void *arg) {
    (void)rid;
    keep(ctx, arg, tb, row);
    return true;
}

static strand_result *find(strand_ctx *ctx, const char *table, const char *index, va_list *ap) {
    Table *tb = table_named(ctx, table);
    Index *ix = index_of(ctx, tb, index);
    const IndexDesc *id = storage_index_desc(ix);
    Value *key = arena_alloc(ctx->arena, (size_t)id->ncols * sizeof *key);
    read_values(ctx, storage_table_desc(tb), id->cols, id->ncols, ap, key);
    strand_result *r = new_result(ctx, storage_table_desc(tb)->ncols);
    begin(ctx, tb, TLOCK_ACCESS_SHARE);
    lookup(ctx, ix, key, id->ncols, collect, r);
    end(ctx, STORAGE_OK);
    return r;
}

strand_result *strand_find(strand_ctx *ctx, const char *table, ...) {
    va_list ap;
    va_start(ap, table);
    strand_result *r = find(ctx, table, NULL, &ap);
    va_end(ap);
    return r;
}

strand_result *strand_find_by(strand_ctx *ctx, const char *table, const char *index, ...) {
    va_list ap;
    va_start(ap, index);
    strand_result *r = find(ctx, table, index, &ap);
    va_end(ap);
    return r;
}

strand_result *strand_scan(strand_ctx *ctx, const char *table) {
    Table *tb = table_named(ctx, table);
    strand_result *r = new_result(ctx, storage_table_desc(tb)->ncols);
    begin(ctx, tb, TLOCK_ACCESS_SHARE);
    TableScan scan;
    storage_scan_begin(tb, ctx->txn, &scan);
    RowId rid;
    for (const Row *row; (row = storage_scan_next(&scan, &rid, ctx->err));) keep(ctx, r, tb, row);
    end(ctx, ctx->err->set ? STORAGE_ERROR : STORAGE_OK);
    return r;
}

typedef struct Change {
    const Value *values; /* NULL: delete */
    StorageStatus status;
    int64_t rows;
} Change;

static bool change(strand_ctx *ctx, Table *tb, RowId rid, const Row *row, void *arg) {
    Change *c = arg;
    c->status = c->values ? storage_row_update(tb, ctx->txn, rid, row, c->values, ctx->err)
                          : storage_row_delete(tb, ctx->txn, rid, row, ctx->err);
    if (c->status == STORAGE_OK) c->rows++;
    return c->status == STORAGE_OK;
}

/* Key (the primary key's columns), then for an update every column. */
static int64_t modify(strand_ctx *ctx, const char *table, bool update, va_list *ap) {
    Table *tb = table_named(ctx, table);
    const TableDesc *d = storage_table_desc(tb);
    Index *pk = index_of(ctx, tb, NULL);
    const IndexDesc *id = storage_index_desc(pk);
    Value *key = arena_alloc(ctx->arena, (size_t)id->ncols * sizeof *key);
    read_values(ctx, d, id->cols, id->ncols, ap, key);
    Value *values = NULL;
    if (update) {
        values = arena_alloc(ctx->arena, (size_t)d->ncols * sizeof *values);
        read_values(ctx, d, NULL, d->ncols, ap, values);
    }
    Change c = {values, STORAGE_OK, 0};
    begin(ctx, tb, TLOCK_ROW_EXCLUSIVE);
    lookup(ctx, pk, key, id->ncols, change, &c);
    end(ctx, c.status);
    return c.rows;
}

int64_t strand_update(strand_ctx *ctx, const char *table, ...) {
    va_list ap;
    va_start(ap, table);
    int64_t n = modify(ctx, table, true, &ap);
    va_end(ap);
    return n;
}

int64_t strand_delete(strand_ctx *ctx, const char *table, ...) {
    va_list ap;
    va_start(ap, table);
    int64_t n = modify(ctx, table, false, &ap);
    va_end(ap);
    return n;
}
