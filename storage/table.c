/*
 * table.c — rows: slots holding version chains, visibility (S1), sequential
 * scans, and the writes: insert, update, delete and row locks, with their
 * constraint checks (NOT NULL, unique indexes) and their conflicts with
 * other transactions (S3).
 *
 * A write first claims the row: the version the statement saw must still
 * be the newest one, and no other open transaction may hold a conflicting
 * row lock. Then it pushes a new version (or a tombstone) on the chain,
 * adds index entries for keys that changed and records the change in the
 * transaction's change set, which is how it is undone (changes.c) and
 * later reclaimed (reclaim.c). It never waits: a conflict with an open
 * transaction returns STORAGE_BUSY with nothing changed.
 *
 * INTERFACE (storage-internal): table__create, table__free, table__release,
 *   table__alloc_rid, table__free_rid, table__free_chain,
 *   table__attach_index, table__detach_index, table__visible, table__check_unique
 * INTERFACE: storage_table_desc, storage_table_oid, storage_scan_begin,
 *   storage_scan_next, storage_row_insert, storage_row_update,
 *   storage_row_delete, storage_row_lock
 */
#include "storage/storage_int.h"

#include <stdio.h>
#include <stdlib.h>

/* ---- the table object ------------------------------------------------------------ */

static char *xstrdup(const char *s) {
    char *p = strdup(s);
    if (!p) abort();
    return p;
}

static void desc_copy(TableDesc *dst, const TableDesc *src) {
    dst->name = xstrdup(src->name);
    dst->ncols = src->ncols;
    dst->cols = calloc((size_t)src->ncols + 1, sizeof *dst->cols);
    if (!dst->cols) abort();
    for (int i = 0; i < src->ncols; i++) {
        dst->cols[i] = src->cols[i];
        dst->cols[i].name = xstrdup(src->cols[i].name);
    }
    dst->npkey = src->npkey;
    dst->pkey = calloc((size_t)src->npkey + 1, sizeof *dst->pkey);
    if (!dst->pkey) abort();
    if (src->npkey) memcpy(dst->pkey, src->pkey, (size_t)src->npkey * sizeof *dst->pkey);
    dst->pkey_name = src->pkey_name ? xstrdup(src->pkey_name) : NULL;
}

Table *table__create(Storage *s, const TableDesc *desc, uint32_t oid) {
    Table *t = calloc(1, sizeof *t);
    if (!t) abort();
    t->storage = s;
    s->tables_alive++;
    desc_copy(&t->desc, desc);
    t->rel = (Relation){.kind = REL_TABLE, .oid = oid, .name = t->desc.name};
    row__layout_init(&t->layout, &t->desc);
    heap__init(&t->heap);
    t->key_col = calloc((size_t)desc->ncols + 1, sizeof *t->key_col);
    if (!t->key_col) abort();
    return t;
}

/* Every version lives in the heap, so dropping a table is O(blocks). */
void table__free(Table *t) {
    t->storage->tables_alive--;
    for (int i = 0; i < t->nindexes; i++) index__free(t->indexes[i]);
    free(t->indexes);
    heap__deinit(&t->heap);
    row__layout_deinit(&t->layout);
    free(t->slots);
    free(t->used);
    free(t->free_rids);
    free(t->key_col);
    for (int i = 0; i < t->desc.ncols; i++) free(t->desc.cols[i].name);
    free(t->desc.cols);
    free(t->desc.pkey);
    free(t->desc.pkey_name);
    free(t->desc.name);
    free(t);
}

void table__release(Table *t) {
    if (--t->refs == 0 && t->rel.dead) table__free(t);
}

/* PostgreSQL's notion of a key update: a change to a column of some unique
 * index (FOR KEY SHARE lockers, like foreign keys, care about those). */
static void compute_key_columns(Table *t) {
    memset(t->key_col, 0, (size_t)t->desc.ncols * sizeof *t->key_col);
    for (int i = 0; i < t->nindexes; i++)
        if (t->indexes[i]->desc.unique)
            for (int c = 0; c < t->indexes[i]->desc.ncols; c++) t->key_col[t->indexes[i]->desc.cols[c]] = true;
}

void table__attach_index(Table *t, Index *ix) {
    if (t->nindexes == t->cap_indexes) {
        t->cap_indexes = t->cap_indexes ? t->cap_indexes * 2 : 4;
        Index **p = realloc(t->indexes, (size_t)t->cap_indexes * sizeof *p);
        if (!p) abort();
        t->indexes = p;
    }
    t->indexes[t->nindexes++] = ix;
    if (ix->desc.primary) t->pk = ix;
    compute_key_columns(t);
}

void table__detach_index(Table *t, Index *ix) {
    for (int i = 0; i < t->nindexes; i++) {
        if (t->indexes[i] != ix) continue;
        memmove(&t->indexes[i], &t->indexes[i + 1], (size_t)(t->nindexes - i - 1) * sizeof *t->indexes);
        t->nindexes--;
        break;
    }
    if (t->pk == ix) t->pk = NULL;
    compute_key_columns(t);
}

const TableDesc *storage_table_desc(const Table *table) { return &table->desc; }
uint32_t storage_table_oid(const Table *table) { return table->rel.oid; }

/* ---- slots -------------------------------------------------------------------------- */

RowId table__alloc_rid(Table *t) {
    RowId rid;
    if (t->nfree) {
        rid = t->free_rids[--t->nfree];
    } else {
        if (t->nslots == t->cap_slots) {
            RowId cap = t->cap_slots ? t->cap_slots * 2 : 64;
            Row **slots = realloc(t->slots, (size_t)cap * sizeof *slots);
            uint64_t *used = realloc(t->used, (size_t)cap / 64 * sizeof *used);
            if (!slots || !used) abort();
            memset(used + t->cap_slots / 64, 0, (size_t)(cap - t->cap_slots) / 64 * sizeof *used);
            t->slots = slots;
            t->used = used;
            t->cap_slots = cap;
        }
        rid = t->nslots++;
    }
    t->slots[rid] = NULL;
    t->used[rid / 64] |= 1ull << (rid % 64);
    return rid;
}

void table__free_rid(Table *t, RowId rid) {
    t->slots[rid] = NULL;
    t->used[rid / 64] &= ~(1ull << (rid % 64));
    if (t->nfree == t->cap_free) {
        t->cap_free = t->cap_free ? t->cap_free * 2 : 64;
        RowId *p = realloc(t->free_rids, t->cap_free * sizeof *p);
        if (!p) abort();
        t->free_rids = p;
    }
    t->free_rids[t->nfree++] = rid;
}

/* Frees every version of a deleted row, its index entries and its slot. */
void table__free_chain(Table *t, RowId rid) {
    Row *v = t->slots[rid];
    while (v) {
        Row *older = row__older(v);
        for (int i = 0; i < t->nindexes; i++) index__remove_unless_kept(t->indexes[i], v, rid, older);
        row__free(&t->heap, &t->layout, v);
        v = older;
    }
    table__free_rid(t, rid);
}

/* ---- reading ------------------------------------------------------------------------ */

/* A SERIALIZABLE reader records a conflict out to the maker of each
 * version it passes over; only then can this fail (NULL with err set). */
const Row *table__visible(Txn *t, const Row *v, Error *err) {
    for (; v; v = row__older(v)) {
        if ((v->flags & ROW_STAMPED) && !storage__stamp_visible(t, row__xmin(v), row__cmin(v))) {
            if (t->ssi && !ssi__conflict_out(t, row__xmin(v), err)) return NULL;
            continue;
        }
        return (v->flags & ROW_TOMBSTONE) ? NULL : v;
    }
    return NULL;
}

void storage_scan_begin(Table *table, Txn *t, TableScan *scan) {
    scan->table = table;
    scan->txn = t;
    scan->next = 0;
    scan->end = table->nslots;
    if (t->ssi) ssi__read_table(t, table);
}

/* Free slots are skipped a bitmap word at a time. */
const Row *storage_scan_next(TableScan *scan, RowId *rid, Error *err) {
    const Table *tb = scan->table;
    while (scan->next < scan->end) {
        RowId i = scan->next;
        uint64_t word = tb->used[i / 64] >> (i % 64);
        if (!word) {
            scan->next = (i / 64 + 1) * 64;
            continue;
        }
        i += (RowId)__builtin_ctzll(word);
        scan->next = i + 1;
        if (i >= scan->end) break;
        const Row *v = table__visible(scan->txn, tb->slots[i], err);
        if (err && err->set) return NULL;
        if (v) {
            *rid = i;
            return v;
        }
    }
    return NULL;
}

/* ---- constraint errors --------------------------------------------------------------- */

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

static StorageStatus check_not_null(const Table *table, const Value *values, Error *err) {
    for (int i = 0; i < table->desc.ncols; i++)
        if (values[i].isnull && table->desc.cols[i].not_null) return not_null_violation(table, i, values, err);
    return STORAGE_OK;
}

static StorageStatus unique_violation(const Index *ix, const uint8_t *e, Error *err) {
    error_set(err, SQLSTATE_UNIQUE_VIOLATION, "duplicate key value violates unique constraint \"%s\"", ix->desc.name);
    StrBuf names, vals;
    strbuf_init(&names);
    strbuf_init(&vals);
    index__key_text(ix, e, &names, &vals);
    error_detail(err, "Key (%s)=(%s) already exists.", names.data, vals.data);
    strbuf_deinit(&names);
    strbuf_deinit(&vals);
    snprintf(err->table, sizeof err->table, "%s", ix->table->desc.name);
    snprintf(err->constraint, sizeof err->constraint, "%s", ix->desc.name);
    return STORAGE_ERROR;
}

/* PostgreSQL says "delete" when a write finds the row deleted, "update"
 * otherwise (and for row locks). */
static StorageStatus concurrent_change(const Row *head, bool is_lock, Error *err) {
    bool deleted = !is_lock && (head->flags & ROW_TOMBSTONE);
    error_set(err, SQLSTATE_SERIALIZATION_FAILURE, "could not serialize access due to concurrent %s",
              deleted ? "delete" : "update");
    return STORAGE_ERROR;
}

/* ---- unique indexes ------------------------------------------------------------------ */

static bool version_has_key(const Index *ix, const Row *v, RowId rid, const uint8_t *key) {
    if (!v || (v->flags & ROW_TOMBSTONE)) return false;
    uint8_t e[STORAGE_INDEX_ENTRY_MAX];
    index__entry_of(ix, v, rid, e);
    return index__same_key(ix, e, key);
}

/* Whether row `rid` holds `key` for good (23505), may hold it once an open
 * transaction ends (BUSY), or does not. A row whose newest versions belong
 * to an open transaction X may end up with any of them (X can roll back to
 * a savepoint) or with the committed one below them: if any has the key,
 * the answer waits for X, as PostgreSQL waits for an in-progress inserter
 * or deleter. */
static StorageStatus key_holder(const Index *ix, Txn *t, RowId rid, const uint8_t *key, Error *err) {
    const Row *head = ix->table->slots[rid];
    if ((head->flags & ROW_STAMPED) && row__xmin(head) != t->xid && storage__xid_running(t->storage, row__xmin(head))) {
        uint64_t x = row__xmin(head);
        const Row *v = head;
        bool may_hold = false;
        for (; v && (v->flags & ROW_STAMPED) && row__xmin(v) == x; v = row__older(v))
            may_hold |= version_has_key(ix, v, rid, key);
        if (!may_hold && !version_has_key(ix, v, rid, key)) return STORAGE_OK;
        storage__block_on(t, storage__xid_txn(t->storage, x));
        return STORAGE_BUSY;
    }
    return version_has_key(ix, head, rid, key) ? unique_violation(ix, key, err) : STORAGE_OK;
}

typedef struct KeyProbe {
    const Index *ix;
    const uint8_t *key;
} KeyProbe;

static int probe_key(const void *ctx, const uint8_t *e) {
    const KeyProbe *p = ctx;
    /* Compare keys only: the rid is not part of the target. */
    uint8_t a[STORAGE_INDEX_ENTRY_MAX], b[STORAGE_INDEX_ENTRY_MAX];
    memcpy(a, e, p->ix->esize);
    memcpy(b, p->key, p->ix->esize);
    memset(a + p->ix->esize - 4, 0, 4);
    memset(b + p->ix->esize - 4, 0, 4);
    return p->ix->tree.cmp(p->ix, a, b);
}

/* The unique check of version v (about to become row `self`'s) in ix:
 * every other row whose entry has the same key is examined. NULLs never
 * conflict. */
StorageStatus table__check_unique(const Index *ix, Txn *t, const Row *v, RowId self, Error *err) {
    uint8_t key[STORAGE_INDEX_ENTRY_MAX];
    index__entry_of(ix, v, self, key);
    if (index__entry_has_null(ix, key)) return STORAGE_OK;
    KeyProbe p = {ix, key};
    BtCursor c;
    bt__seek(&ix->tree, probe_key, &p, false, &c);
    for (const uint8_t *e; (e = bt__at(&ix->tree, &c)) && probe_key(&p, e) == 0; bt__next(&ix->tree, &c)) {
        RowId rid;
        memcpy(&rid, e + ix->esize - 4, 4);
        if (rid == self) continue;
        StorageStatus st = key_holder(ix, t, rid, key, err);
        if (st != STORAGE_OK) return st;
    }
    return STORAGE_OK;
}

/* An index dropped by t, or by a commit (its tree lives on until
 * reclaiming frees it), constrains nothing. A drop by another open
 * transaction holds the table's ACCESS EXCLUSIVE lock: no write gets here. */
static bool enforced(const Index *ix, const Txn *t) {
    if (!ix->desc.unique) return false;
    return !ix->rel.xmax || (ix->rel.xmax != t->xid && storage__xid_running(t->storage, ix->rel.xmax));
}

/* Which indexes a new version changes the key of (all for an insert), as
 * a mask computed once per write; an index beyond the 64th counts as
 * changed (its checks then only cost a lookup more). */
static uint64_t changed_keys(const Table *tb, const Row *old, const Row *new, RowId rid) {
    if (!old) return UINT64_MAX;
    uint8_t a[STORAGE_INDEX_ENTRY_MAX], b[STORAGE_INDEX_ENTRY_MAX];
    uint64_t mask = 0;
    for (int i = 0; i < tb->nindexes && i < 64; i++) {
        index__entry_of(tb->indexes[i], old, rid, a);
        index__entry_of(tb->indexes[i], new, rid, b);
        if (!index__same_key(tb->indexes[i], a, b)) mask |= 1ull << i;
    }
    return mask;
}

static bool key_changed(uint64_t mask, int i) { return i >= 64 || (mask & (1ull << i)); }

static StorageStatus check_unique_all(Table *tb, Txn *t, uint64_t changed, const Row *new, RowId rid, Error *err) {
    for (int i = 0; i < tb->nindexes; i++) {
        if (!key_changed(changed, i) || !enforced(tb->indexes[i], t)) continue;
        StorageStatus st = table__check_unique(tb->indexes[i], t, new, rid, err);
        if (st != STORAGE_OK) return st;
    }
    return STORAGE_OK;
}

static void add_index_entries(Table *tb, uint64_t changed, const Row *new, RowId rid) {
    for (int i = 0; i < tb->nindexes; i++)
        if (key_changed(changed, i)) index__add(tb->indexes[i], new, rid);
}

/* ---- writing ----------------------------------------------------------------------------- */

StorageStatus storage_row_insert(Table *table, Txn *t, const Value *values, Error *err) {
    StorageStatus st = check_not_null(table, values, err);
    if (st != STORAGE_OK) return st;
    if (t->ssi && !ssi__doomed_check(t, err)) return STORAGE_ERROR;
    storage__xid_assign(t);
    Row *v = row__build(&table->heap, &table->layout, ROW_STAMPED, NULL, t->xid, t->cid, values);
    RowId rid = table__alloc_rid(table);
    st = check_unique_all(table, t, UINT64_MAX, v, rid, err);
    if (st == STORAGE_OK && t->ssi && !ssi__check_write(t, table, rid, v, err)) st = STORAGE_ERROR;
    if (st != STORAGE_OK) {
        row__free(&table->heap, &table->layout, v);
        table__free_rid(table, rid);
        return st;
    }
    table->slots[rid] = v;
    add_index_entries(table, UINT64_MAX, v, rid);
    changes__push(t, CHANGE_INSERT, table, rid, NULL, v, 0);
    return STORAGE_OK;
}

/* Whether an in-progress version conflicts with a request in `mode`: every
 * write holds at least FOR NO KEY UPDATE, a key update or delete FOR
 * UPDATE. */
static bool write_conflicts(const Row *head, RowLockMode mode) {
    bool key_write = head->flags & (ROW_KEY_UPDATE | ROW_TOMBSTONE);
    return mode != RLOCK_KEY_SHARE || key_write;
}

/*
 * Claims row `rid` for t in `mode` (S3): the version the statement saw
 * must be the newest, and no other open transaction may hold a conflicting
 * lock. Returns STORAGE_OK, STORAGE_SKIP (this statement already changed
 * the row), STORAGE_BUSY, or 40001 when a transaction t cannot see changed
 * the row (REPEATABLE READ and SERIALIZABLE; under READ COMMITTED the
 * statement took its snapshot when it started, and nothing commits while
 * it runs).
 */
static StorageStatus claim_row(Table *tb, Txn *t, RowId rid, const Row *seen, RowLockMode mode, bool is_lock,
                               Error *err) {
    const Row *head = tb->slots[rid];
    if (head != seen) {
        if (!(head->flags & ROW_STAMPED)) return concurrent_change(head, is_lock, err);
        uint64_t x = row__xmin(head);
        if (x == t->xid) return STORAGE_SKIP;
        if (!storage__xid_running(t->storage, x)) return concurrent_change(head, is_lock, err);
        if (write_conflicts(head, mode)) {
            storage__block_on(t, storage__xid_txn(t->storage, x));
            return STORAGE_BUSY;
        }
    }
    if (locks__row_conflicts(t, tb, rid, mode)) return STORAGE_BUSY;
    return STORAGE_OK;
}

static StorageStatus push_version(Table *tb, Txn *t, RowId rid, const Value *values, bool key_update, Error *err) {
    Row *old = tb->slots[rid];
    uint8_t flags = ROW_STAMPED | ROW_OLDER | (key_update ? ROW_KEY_UPDATE : 0);
    Row *v = row__build(&tb->heap, &tb->layout, flags, old, t->xid, t->cid, values);
    uint64_t changed = values ? changed_keys(tb, old, v, rid) : 0;
    StorageStatus st = values ? check_unique_all(tb, t, changed, v, rid, err) : STORAGE_OK;
    if (st == STORAGE_OK && t->ssi && !ssi__check_write(t, tb, rid, values ? v : NULL, err)) st = STORAGE_ERROR;
    if (st != STORAGE_OK) {
        row__free(&tb->heap, &tb->layout, v);
        return st;
    }
    tb->slots[rid] = v;
    if (values) add_index_entries(tb, changed, v, rid);
    changes__push(t, values ? CHANGE_UPDATE : CHANGE_DELETE, tb, rid, old, v, 0);
    return STORAGE_OK;
}

static bool changes_key(const Table *tb, const Row *old, const Value *values) {
    for (int c = 0; c < tb->desc.ncols; c++) {
        if (!tb->key_col[c]) continue;
        Value o = row__get(&tb->layout, old, c);
        if (o.isnull != values[c].isnull || (!o.isnull && value_compare(&o, &values[c]) != 0)) return true;
    }
    return false;
}

StorageStatus storage_row_update(Table *table, Txn *t, RowId rid, const Row *seen, const Value *values, Error *err) {
    if (t->ssi && !ssi__doomed_check(t, err)) return STORAGE_ERROR;
    bool key_update = changes_key(table, seen, values);
    StorageStatus st = claim_row(table, t, rid, seen, key_update ? RLOCK_UPDATE : RLOCK_NO_KEY_UPDATE, false, err);
    if (st == STORAGE_OK) st = check_not_null(table, values, err);
    if (st != STORAGE_OK) return st;
    storage__xid_assign(t);
    return push_version(table, t, rid, values, key_update, err);
}

StorageStatus storage_row_delete(Table *table, Txn *t, RowId rid, const Row *seen, Error *err) {
    if (t->ssi && !ssi__doomed_check(t, err)) return STORAGE_ERROR;
    StorageStatus st = claim_row(table, t, rid, seen, RLOCK_UPDATE, false, err);
    if (st != STORAGE_OK) return st;
    storage__xid_assign(t);
    return push_version(table, t, rid, NULL, true, err);
}

StorageStatus storage_row_lock(Table *table, Txn *t, RowId rid, const Row *seen, RowLockMode mode, RowLockWait wait,
                               Error *err) {
    if (t->ssi && !ssi__doomed_check(t, err)) return STORAGE_ERROR;
    StorageStatus st = claim_row(table, t, rid, seen, mode, true, err);
    if (st == STORAGE_BUSY && wait != RLOCK_WAIT) {
        t->nblockers = 0;
        if (wait == RLOCK_SKIP_LOCKED) return STORAGE_SKIP;
        error_set(err, SQLSTATE_LOCK_NOT_AVAILABLE, "could not obtain lock on row in relation \"%s\"",
                  table->desc.name);
        return STORAGE_ERROR;
    }
    if (st != STORAGE_OK) return st;
    storage__xid_assign(t);
    uint8_t held = locks__row_modes(t->storage, table, rid, t), want = (uint8_t)(held | (1u << mode));
    if (want == held) return STORAGE_OK;
    locks__row_set(t->storage, table, rid, t, want);
    changes__push(t, CHANGE_ROW_LOCK, table, rid, NULL, NULL, held);
    return STORAGE_OK;
}
