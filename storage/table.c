/*
 * table.c — rows: version chains, the primary-key hash index, scans,
 * insert / update / delete with their constraint checks (NOT NULL, primary
 * key uniqueness) and write-write conflict detection (S3 in storage.h).
 *
 * It does not reclaim dead versions (vacuum comes later) and does not wait
 * for locks: a write that meets another open transaction's write returns
 * STORAGE_BUSY before changing anything, so the caller can park and re-run
 * the statement.
 *
 * INTERFACE: storage_scan_begin, storage_scan_next, storage_pk_lookup,
 *            storage_row_values, storage_row_insert, storage_row_update,
 *            storage_row_delete
 */
#include "storage/storage_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- versions ------------------------------------------------------------------ */

static RowVersion *version_create(const Table *table, const Txn *t, const Value *values) {
    int ncols = table->desc.ncols;
    size_t bytes = sizeof(RowVersion) + (size_t)ncols * sizeof(Value);
    for (int i = 0; i < ncols; i++)
        if (!values[i].isnull && type_info(values[i].type)->typlen < 0) bytes += values[i].len;
    RowVersion *v = malloc(bytes);
    if (!v) abort();
    v->xmin = t->xid;
    v->cmin = t->cid;
    v->xmax = 0;
    v->cmax = 0;
    v->older = NULL;
    char *strings = (char *)&v->values[ncols];
    for (int i = 0; i < ncols; i++) {
        v->values[i] = values[i];
        v->values[i].type = table->desc.cols[i].type;
        if (!values[i].isnull && type_info(values[i].type)->typlen < 0) {
            memcpy(strings, values[i].u.s, values[i].len);
            v->values[i].u.s = strings;
            strings += values[i].len;
        }
    }
    return v;
}

static bool xid_aborted(const Txn *t, uint64_t xid) {
    return xid != t->xid && storage__csn(t->storage, xid) == CSN_ABORTED;
}

static bool xid_in_progress_elsewhere(const Txn *t, uint64_t xid) {
    return xid != t->xid && storage__csn(t->storage, xid) == CSN_IN_PROGRESS;
}

/* The newest version whose creator did not abort: the only one a writer may
 * end (S3). */
static RowVersion *chain_head(const Txn *t, const Chain *c) {
    RowVersion *v = c->newest;
    while (v && xid_aborted(t, v->xmin)) v = v->older;
    return v;
}

static void chain_push(Chain *c, RowVersion *v) {
    v->chain = c;
    v->older = c->newest;
    c->newest = v;
}

static Chain *chain_create(Table *table, uint64_t key_hash) {
    Chain *c = calloc(1, sizeof *c);
    if (!c) abort();
    c->key_hash = key_hash;
    if (table->nchains == table->cap_chains) {
        table->cap_chains = table->cap_chains ? table->cap_chains * 2 : 64;
        Chain **p = realloc(table->chains, table->cap_chains * sizeof *p);
        if (!p) abort();
        table->chains = p;
    }
    table->chains[table->nchains++] = c;
    return c;
}

/* ---- the primary-key index ----------------------------------------------------- */

static uint64_t key_hash_of(const Table *table, const Value *row) {
    uint64_t h = 0;
    for (int i = 0; i < table->desc.npkey; i++) h = hash_mix(h ^ value_hash(&row[table->desc.pkey[i]]));
    return h;
}

static bool key_matches(const Table *table, const Chain *c, uint64_t h, const Value *key, bool key_is_row) {
    if (c->key_hash != h) return false;
    const Value *have = c->newest->values;
    for (int i = 0; i < table->desc.npkey; i++) {
        int col = table->desc.pkey[i];
        if (!value_equal(&have[col], key_is_row ? &key[col] : &key[i])) return false;
    }
    return true;
}

static Chain *pk_find(const Table *table, const Value *key, bool key_is_row) {
    if (!table->pk.cap) return NULL;
    uint64_t h = 0;
    for (int i = 0; i < table->desc.npkey; i++)
        h = hash_mix(h ^ value_hash(key_is_row ? &key[table->desc.pkey[i]] : &key[i]));
    size_t mask = table->pk.cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        Chain *c = table->pk.slots[i];
        if (!c) return NULL;
        if (key_matches(table, c, h, key, key_is_row)) return c;
    }
}

static void pk_place(PkIndex *pk, Chain *c) {
    size_t mask = pk->cap - 1;
    size_t i = c->key_hash & mask;
    while (pk->slots[i]) i = (i + 1) & mask;
    pk->slots[i] = c;
    pk->count++;
}

static void pk_insert(Table *table, Chain *c) {
    PkIndex *pk = &table->pk;
    if ((pk->count + 1) * 10 > pk->cap * 7) {
        PkIndex grown = {.cap = pk->cap ? pk->cap * 2 : 64};
        grown.slots = calloc(grown.cap, sizeof *grown.slots);
        if (!grown.slots) abort();
        for (size_t i = 0; i < pk->cap; i++)
            if (pk->slots[i]) pk_place(&grown, pk->slots[i]);
        free(pk->slots);
        *pk = grown;
    }
    pk_place(pk, c);
}

/* ---- reading --------------------------------------------------------------------- */

static RowVersion *chain_visible(const Txn *t, const Chain *c) {
    for (RowVersion *v = c->newest; v; v = v->older)
        if (storage__version_visible(t, v->xmin, v->cmin, v->xmax, v->cmax)) return v;
    return NULL;
}

void storage_scan_begin(Table *table, Txn *t, TableScan *scan) {
    scan->table = table;
    scan->txn = t;
    scan->next = 0;
    scan->end = table->nchains;
}

RowVersion *storage_scan_next(TableScan *scan) {
    while (scan->next < scan->end) {
        RowVersion *v = chain_visible(scan->txn, scan->table->chains[scan->next++]);
        if (v) return v;
    }
    return NULL;
}

RowVersion *storage_pk_lookup(Table *table, Txn *t, const Value *key) {
    Chain *c = pk_find(table, key, false);
    return c ? chain_visible(t, c) : NULL;
}

const Value *storage_row_values(const RowVersion *row) { return row->values; }

/* ---- constraint errors ----------------------------------------------------------- */

static void append_value_text(StrBuf *b, const Value *v) {
    char buf[VALUE_TEXT_BUF];
    int len;
    if (v->isnull) {
        strbuf_append_str(b, "null");
        return;
    }
    const char *p = value_to_text(v, buf, &len);
    strbuf_append(b, p, (size_t)len);
}

static StorageStatus not_null_violation(const Table *table, int col, const Value *values, Error *err) {
    error_set(err, SQLSTATE_NOT_NULL_VIOLATION,
              "null value in column \"%s\" of relation \"%s\" violates not-null constraint", table->desc.cols[col].name,
              table->desc.name);
    StrBuf b;
    strbuf_init(&b);
    for (int i = 0; i < table->desc.ncols; i++) {
        if (i) strbuf_append_str(&b, ", ");
        append_value_text(&b, &values[i]);
    }
    error_detail(err, "Failing row contains (%s).", b.data);
    strbuf_deinit(&b);
    snprintf(err->table, sizeof err->table, "%s", table->desc.name);
    snprintf(err->column, sizeof err->column, "%s", table->desc.cols[col].name);
    return STORAGE_ERROR;
}

static StorageStatus unique_violation(const Table *table, const Value *values, Error *err) {
    error_set(err, SQLSTATE_UNIQUE_VIOLATION, "duplicate key value violates unique constraint \"%s\"",
              table->desc.pkey_name);
    StrBuf names, vals;
    strbuf_init(&names);
    strbuf_init(&vals);
    for (int i = 0; i < table->desc.npkey; i++) {
        int col = table->desc.pkey[i];
        if (i) strbuf_append_str(&names, ", "), strbuf_append_str(&vals, ", ");
        strbuf_append_str(&names, table->desc.cols[col].name);
        append_value_text(&vals, &values[col]);
    }
    error_detail(err, "Key (%s)=(%s) already exists.", names.data, vals.data);
    strbuf_deinit(&names);
    strbuf_deinit(&vals);
    snprintf(err->table, sizeof err->table, "%s", table->desc.name);
    snprintf(err->constraint, sizeof err->constraint, "%s", table->desc.pkey_name);
    return STORAGE_ERROR;
}

static StorageStatus check_not_null(const Table *table, const Value *values, Error *err) {
    for (int i = 0; i < table->desc.ncols; i++)
        if (values[i].isnull && table->desc.cols[i].not_null) return not_null_violation(table, i, values, err);
    return STORAGE_OK;
}

/* ---- writing ---------------------------------------------------------------------- */

/* Whether `c` may take a new version for its key: its head is dead for good
 * (ended by a committed transaction or by us). *out_chain is c then. */
static StorageStatus key_slot_check(const Table *table, const Txn *t, const Chain *c, const Value *values, Error *err) {
    RowVersion *head = chain_head(t, c);
    if (!head) return STORAGE_OK;
    if (xid_in_progress_elsewhere(t, head->xmin)) return STORAGE_BUSY;
    if (head->xmax == 0 || xid_aborted(t, head->xmax)) return unique_violation(table, values, err);
    if (xid_in_progress_elsewhere(t, head->xmax)) return STORAGE_BUSY;
    return STORAGE_OK;
}

/* Finds or makes the chain for a new version with these values, checking
 * uniqueness; *out is NULL for a table without a primary key. */
static StorageStatus target_chain(Table *table, const Txn *t, const Value *values, Chain **out, Error *err) {
    *out = NULL;
    if (!table->desc.npkey) return STORAGE_OK;
    Chain *c = pk_find(table, values, true);
    if (c) {
        StorageStatus st = key_slot_check(table, t, c, values, err);
        if (st != STORAGE_OK) return st;
    }
    *out = c;
    return STORAGE_OK;
}

static void place_version(Table *table, Chain *c, RowVersion *v, const Value *values) {
    if (!c) {
        c = chain_create(table, table->desc.npkey ? key_hash_of(table, values) : 0);
        chain_push(c, v);
        if (table->desc.npkey) pk_insert(table, c);
        return;
    }
    chain_push(c, v);
}

StorageStatus storage_row_insert(Table *table, Txn *t, const Value *values, Error *err) {
    storage__xid_assign(t);
    StorageStatus st = check_not_null(table, values, err);
    if (st != STORAGE_OK) return st;
    Chain *c;
    st = target_chain(table, t, values, &c, err);
    if (st != STORAGE_OK) return st;
    place_version(table, c, version_create(table, t, values), values);
    return STORAGE_OK;
}

/* S3: `row` must be its chain's head and not ended by anyone else. */
static StorageStatus lock_check(const Txn *t, RowVersion *row, Error *err) {
    RowVersion *head = chain_head(t, row->chain);
    uint64_t blocker = head != row ? head->xmin : row->xmax;
    if (blocker == 0 || blocker == t->xid || xid_aborted(t, blocker)) return STORAGE_OK;
    if (storage__csn(t->storage, blocker) == CSN_IN_PROGRESS) return STORAGE_BUSY;
    error_set(err, SQLSTATE_SERIALIZATION_FAILURE, "could not serialize access due to concurrent update");
    return STORAGE_ERROR;
}

static bool same_key(const Table *table, const Value *a, const Value *b) {
    for (int i = 0; i < table->desc.npkey; i++) {
        int col = table->desc.pkey[i];
        if (!value_equal(&a[col], &b[col])) return false;
    }
    return true;
}

static void end_version(const Txn *t, RowVersion *row) {
    row->xmax = t->xid;
    row->cmax = t->cid;
}

StorageStatus storage_row_update(Table *table, Txn *t, RowVersion *row, const Value *values, Error *err) {
    storage__xid_assign(t);
    StorageStatus st = lock_check(t, row, err);
    if (st == STORAGE_OK) st = check_not_null(table, values, err);
    if (st != STORAGE_OK) return st;
    Chain *c = row->chain;
    if (table->desc.npkey && !same_key(table, row->values, values)) {
        st = target_chain(table, t, values, &c, err);
        if (st != STORAGE_OK) return st;
    }
    end_version(t, row);
    place_version(table, c, version_create(table, t, values), values);
    return STORAGE_OK;
}

StorageStatus storage_row_delete(Table *table, Txn *t, RowVersion *row, Error *err) {
    storage__xid_assign(t);
    StorageStatus st = lock_check(t, row, err);
    if (st != STORAGE_OK) return st;
    end_version(t, row);
    return STORAGE_OK;
}
