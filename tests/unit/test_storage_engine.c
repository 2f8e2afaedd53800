/* test_storage_engine.c — the storage engine through its public API:
 * reclaiming (S6) keeps memory and the xid registry bounded, dropped tables
 * are freed, savepoints undo rows, keys and locks (S5), committed change
 * sets carry full row images, ordered index scans, row-lock conflicts,
 * waits and deadlock cycles, and the packed row size. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "storage/storage.h"

/* ---- helpers ----------------------------------------------------------------------- */

static Storage *S;

static int setup(void **state) {
    S = storage_create();
    return 0;
}

static int teardown(void **state) {
    storage_destroy(S);
    S = NULL;
    return 0;
}

static Txn *begin(StorageIsolation iso) {
    Txn *t = storage_txn_begin(S, iso);
    storage_txn_statement_begin(t);
    return t;
}

static void commit(Txn *t) {
    Error err = {0};
    assert_true(storage_txn_commit(t, NULL, &err));
}

/* kv (id int4 primary key, a int4, b int4, f text): the memory benchmark's shape. */
static Table *make_kv(const char *name) {
    ColumnDesc cols[4] = {{(char *)"id", TYPE_INT4, -1, true},
                          {(char *)"a", TYPE_INT4, -1, false},
                          {(char *)"b", TYPE_INT4, -1, false},
                          {(char *)"f", TYPE_TEXT, -1, false}};
    int pkey[1] = {0};
    char pkname[64];
    snprintf(pkname, sizeof pkname, "%s_pkey", name);
    TableDesc d = {(char *)name, 4, cols, 1, pkey, pkname};
    Error err = {0};
    Txn *t = begin(ISO_READ_COMMITTED);
    Table *tb;
    assert_true(storage_table_create(S, t, &d, &tb, &err));
    commit(t);
    return tb;
}

static const char FILLER[] = "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdef";

static StorageStatus put(Table *tb, Txn *t, int id, int a, Error *err) {
    Value v[4] = {value_int(TYPE_INT4, id), value_int(TYPE_INT4, a), value_int(TYPE_INT4, id),
                  value_string(TYPE_TEXT, FILLER, 84)};
    return storage_row_insert(tb, t, v, err);
}

static const Row *get(Table *tb, Txn *t, int id, RowId *rid) {
    Value key = value_int(TYPE_INT4, id);
    IndexBound b = {&key, 1, true};
    IndexScan scan;
    Error err = {0};
    storage_index_scan_begin(storage_table_index(tb, t, 0), t, &b, &b, false, &scan);
    return storage_index_scan_next(&scan, rid, &err);
}

static StorageStatus set_a(Table *tb, Txn *t, int id, int a, Error *err) {
    RowId rid;
    const Row *r = get(tb, t, id, &rid);
    assert_non_null(r);
    Value v[4];
    storage_row_decode(tb, r, v);
    v[1] = value_int(TYPE_INT4, a);
    return storage_row_update(tb, t, rid, r, v, err);
}

static void reclaim_all(void) {
    while (storage_reclaim(S, 64)) {
    }
}

static StorageStats stats(void) {
    StorageStats st;
    storage_stats(S, &st);
    return st;
}

/* ---- reclaiming ------------------------------------------------------------------------ */

/* storage-S6-1: after many updates, versions, bytes and xids return to what
 * the live rows need. */
static void test_updates_reclaimed(void **state) {
    Table *tb = make_kv("kv");
    Error err = {0};
    Txn *t = begin(ISO_READ_COMMITTED);
    for (int i = 0; i < 1000; i++) assert_int_equal(put(tb, t, i, 0, &err), STORAGE_OK);
    commit(t);
    reclaim_all();
    StorageStats before = stats();
    assert_int_equal(before.row_versions, 1000);
    for (int round = 0; round < 20000; round++) {
        t = begin(ISO_READ_COMMITTED);
        assert_int_equal(set_a(tb, t, round % 1000, round, &err), STORAGE_OK);
        commit(t);
        if (round % 100 == 0) storage_reclaim(S, 1000);
    }
    reclaim_all();
    StorageStats after = stats();
    assert_int_equal(after.row_versions, 1000);
    assert_int_equal(after.row_bytes, before.row_bytes);
    assert_int_equal(after.index_entries, 1000);
    assert_int_equal(after.xids, 0);
    assert_int_equal(after.queued_commits, 0);
}

/* storage-S6-2: an open snapshot holds back reclaiming; its end frees it. */
static void test_snapshot_holds_horizon(void **state) {
    Table *tb = make_kv("kv");
    Error err = {0};
    Txn *t = begin(ISO_READ_COMMITTED);
    assert_int_equal(put(tb, t, 1, 0, &err), STORAGE_OK);
    commit(t);
    Txn *reader = begin(ISO_REPEATABLE_READ);
    RowId rid;
    assert_non_null(get(tb, reader, 1, &rid));
    for (int i = 1; i <= 10; i++) {
        t = begin(ISO_READ_COMMITTED);
        assert_int_equal(set_a(tb, t, 1, i, &err), STORAGE_OK);
        commit(t);
    }
    reclaim_all();
    assert_int_equal(stats().row_versions, 11);
    storage_txn_statement_begin(reader);
    assert_int_equal(storage_row_get(tb, get(tb, reader, 1, &rid), 1).u.i, 0); /* still its snapshot */
    commit(reader);
    reclaim_all();
    assert_int_equal(stats().row_versions, 1);
    assert_int_equal(stats().xids, 0);
}

/* storage-S6-3: deleted rows leave the table and its indexes; a dropped
 * table is freed once reclaimed; aborted creates leave nothing. */
static void test_deletes_and_drops_freed(void **state) {
    Table *tb = make_kv("kv");
    Error err = {0};
    Txn *t = begin(ISO_READ_COMMITTED);
    for (int i = 0; i < 100; i++) assert_int_equal(put(tb, t, i, 0, &err), STORAGE_OK);
    commit(t);
    t = begin(ISO_READ_COMMITTED);
    for (int i = 0; i < 100; i += 2) {
        RowId rid;
        const Row *r = get(tb, t, i, &rid);
        assert_int_equal(storage_row_delete(tb, t, rid, r, &err), STORAGE_OK);
    }
    commit(t);
    reclaim_all();
    assert_int_equal(stats().rows, 50);
    assert_int_equal(stats().index_entries, 50);
    assert_int_equal(stats().tables_alive, 1);
    t = begin(ISO_READ_COMMITTED);
    assert_int_equal(storage_table_drop(S, t, tb, &err), STORAGE_OK);
    commit(t);
    reclaim_all();
    assert_int_equal(stats().tables_alive, 0);
    assert_int_equal(stats().relations, 0);
    assert_int_equal(stats().row_bytes, 0);
    /* A rolled-back CREATE TABLE is freed at once. */
    t = begin(ISO_READ_COMMITTED);
    ColumnDesc col = {(char *)"x", TYPE_INT4, -1, false};
    TableDesc d = {(char *)"gone", 1, &col, 0, NULL, NULL};
    assert_true(storage_table_create(S, t, &d, NULL, &err));
    assert_int_equal(stats().tables_alive, 1);
    storage_txn_abort(t);
    assert_int_equal(stats().tables_alive, 0);
}

/* ---- savepoints and statements ------------------------------------------------------------- */

/* storage-S5-1: rolling back to a savepoint undoes rows, their keys and row
 * locks taken after it, and keeps what came before. */
static void test_savepoint_undo(void **state) {
    Table *tb = make_kv("kv");
    Error err = {0};
    Txn *t = begin(ISO_READ_COMMITTED);
    assert_int_equal(put(tb, t, 1, 0, &err), STORAGE_OK);
    assert_int_equal(put(tb, t, 2, 0, &err), STORAGE_OK);
    commit(t);
    t = begin(ISO_READ_COMMITTED);
    assert_int_equal(set_a(tb, t, 1, 10, &err), STORAGE_OK);
    StorageSavepoint sp = storage_txn_savepoint(t);
    storage_txn_statement_begin(t);
    assert_int_equal(set_a(tb, t, 1, 11, &err), STORAGE_OK);
    assert_int_equal(put(tb, t, 3, 0, &err), STORAGE_OK);
    RowId rid;
    const Row *r2 = get(tb, t, 2, &rid);
    assert_int_equal(storage_row_lock(tb, t, rid, r2, RLOCK_UPDATE, RLOCK_WAIT, &err), STORAGE_OK);
    assert_int_equal(stats().row_locks, 1);
    storage_txn_rollback_to(t, sp);
    assert_int_equal(stats().row_locks, 0);
    storage_txn_statement_begin(t);
    assert_int_equal(storage_row_get(tb, get(tb, t, 1, &rid), 1).u.i, 10);
    assert_null(get(tb, t, 3, &rid));
    assert_int_equal(stats().index_entries, 2);
    /* The key is free again. */
    assert_int_equal(put(tb, t, 3, 5, &err), STORAGE_OK);
    commit(t);
}

/* storage-S5-2: a statement that meets a lock is undone whole; its blocker
 * is named by id. */
static void test_statement_undo(void **state) {
    Table *tb = make_kv("kv");
    Error err = {0};
    Txn *t = begin(ISO_READ_COMMITTED);
    for (int i = 1; i <= 3; i++) assert_int_equal(put(tb, t, i, 0, &err), STORAGE_OK);
    commit(t);
    Txn *holder = begin(ISO_READ_COMMITTED);
    assert_int_equal(set_a(tb, holder, 3, 1, &err), STORAGE_OK);
    Txn *w = begin(ISO_READ_COMMITTED);
    assert_int_equal(set_a(tb, w, 1, 1, &err), STORAGE_OK);
    assert_int_equal(set_a(tb, w, 2, 1, &err), STORAGE_OK);
    assert_int_equal(set_a(tb, w, 3, 1, &err), STORAGE_BUSY);
    uint64_t ids[4];
    assert_int_equal(storage_txn_blockers(w, ids, 4), 1);
    assert_int_equal(ids[0], storage_txn_id(holder));
    storage_txn_statement_undo(w);
    storage_txn_statement_begin(holder);
    RowId rid;
    assert_int_equal(storage_row_get(tb, get(tb, holder, 1, &rid), 1).u.i, 0);
    commit(holder);
    storage_txn_statement_begin(w);
    assert_int_equal(set_a(tb, w, 3, 2, &err), STORAGE_OK);
    commit(w);
}

/* ---- change sets ------------------------------------------------------------------------------ */

typedef struct Seen {
    int n;
    StorageChangeKind kinds[8];
    int64_t old_a[8], new_a[8];
} Seen;

static void on_commit(void *ctx, const StorageChangeSet *cs, uint64_t csn) {
    Seen *seen = ctx;
    for (size_t i = 0; i < storage_changes_count(cs); i++) {
        StorageChange c = storage_change_get(cs, i);
        if (c.kind != CHANGE_INSERT && c.kind != CHANGE_UPDATE && c.kind != CHANGE_DELETE) continue;
        seen->kinds[seen->n] = c.kind;
        seen->old_a[seen->n] = c.kind == CHANGE_INSERT ? -1 : storage_row_get(c.table, c.old_row, 1).u.i;
        seen->new_a[seen->n] = c.kind == CHANGE_DELETE ? -1 : storage_row_get(c.table, c.new_row, 1).u.i;
        seen->n++;
    }
}

/* storage-changes-1: the commit hook sees every change with full images. */
static void test_commit_hook_images(void **state) {
    Table *tb = make_kv("kv");
    Seen seen = {0};
    storage_set_commit_hook(S, on_commit, &seen);
    Error err = {0};
    Txn *t = begin(ISO_READ_COMMITTED);
    assert_int_equal(put(tb, t, 1, 7, &err), STORAGE_OK);
    commit(t);
    t = begin(ISO_READ_COMMITTED);
    assert_int_equal(set_a(tb, t, 1, 8, &err), STORAGE_OK);
    RowId rid;
    storage_txn_statement_begin(t);
    const Row *r = get(tb, t, 1, &rid);
    assert_int_equal(storage_row_delete(tb, t, rid, r, &err), STORAGE_OK);
    commit(t);
    assert_int_equal(seen.n, 3);
    assert_int_equal(seen.kinds[0], CHANGE_INSERT);
    assert_int_equal(seen.new_a[0], 7);
    assert_int_equal(seen.kinds[1], CHANGE_UPDATE);
    assert_int_equal(seen.old_a[1], 7);
    assert_int_equal(seen.new_a[1], 8);
    assert_int_equal(seen.kinds[2], CHANGE_DELETE);
    assert_int_equal(seen.old_a[2], 8);
}

/* ---- indexes ------------------------------------------------------------------------------------- */

/* storage-index-1: (a DESC NULLS LAST, b) ordering, prefix equality,
 * ranges both ways, and a row reached once after its key changed. */
static void test_index_order_and_ranges(void **state) {
    Table *tb = make_kv("kv");
    Error err = {0};
    Txn *t = begin(ISO_READ_COMMITTED);
    int as[] = {3, 1, 2, 3, -1, 2};
    for (int i = 0; i < 6; i++) {
        Value v[4] = {value_int(TYPE_INT4, i), as[i] < 0 ? value_null(TYPE_INT4) : value_int(TYPE_INT4, as[i]),
                      value_int(TYPE_INT4, 10 - i), value_null(TYPE_TEXT)};
        assert_int_equal(storage_row_insert(tb, t, v, &err), STORAGE_OK);
    }
    int cols[2] = {1, 2};
    bool desc[2] = {true, false}, nulls_first[2] = {false, false};
    IndexDesc d = {(char *)"kv_a_b", 2, cols, desc, nulls_first, false, false, false};
    assert_int_equal(storage_index_create(S, t, tb, &d, &err), STORAGE_OK);
    storage_txn_statement_begin(t);
    Index *ix = storage_index_lookup(S, t, "kv_a_b");
    assert_non_null(ix);
    IndexScan scan;
    RowId rid;
    const Row *r;
    int order[8], n = 0;
    storage_index_scan_begin(ix, t, NULL, NULL, false, &scan);
    while ((r = storage_index_scan_next(&scan, &rid, &err))) order[n++] = (int)storage_row_get(tb, r, 0).u.i;
    int expect[] = {3, 0, 5, 2, 1, 4}; /* a: 3 (b 7), 3 (b 10), 2 (b 5), 2 (b 8), 1, NULL */
    assert_int_equal(n, 6);
    assert_memory_equal(order, expect, sizeof expect);
    Value two = value_int(TYPE_INT4, 2);
    IndexBound eq = {&two, 1, true};
    n = 0;
    storage_index_scan_begin(ix, t, &eq, &eq, true, &scan);
    while ((r = storage_index_scan_next(&scan, &rid, &err))) order[n++] = (int)storage_row_get(tb, r, 0).u.i;
    assert_int_equal(n, 2);
    assert_int_equal(order[0], 2);
    assert_int_equal(order[1], 5);
    /* a < 3 in a descending column: from the bound on, in index order, exclusive */
    Value three = value_int(TYPE_INT4, 3);
    IndexBound after3 = {&three, 1, false};
    n = 0;
    storage_index_scan_begin(ix, t, &after3, NULL, false, &scan);
    while ((r = storage_index_scan_next(&scan, &rid, &err))) order[n++] = (int)storage_row_get(tb, r, 0).u.i;
    assert_int_equal(n, 4); /* 5, 2, 1 and the NULL */
    /* Moving a row's key ahead of the scan returns it once. */
    storage_txn_statement_begin(t);
    n = 0;
    storage_index_scan_begin(ix, t, NULL, NULL, false, &scan);
    while ((r = storage_index_scan_next(&scan, &rid, &err))) {
        Value v[4];
        storage_row_decode(tb, r, v);
        v[1] = value_int(TYPE_INT4, 0); /* to the end of the order */
        assert_int_equal(storage_row_update(tb, t, rid, r, v, &err), STORAGE_OK);
        n++;
    }
    assert_int_equal(n, 6);
    commit(t);
}

/* ---- row locks and waits -------------------------------------------------------------------------- */

/* storage-locks-1: PostgreSQL's conflict table, NOWAIT and SKIP LOCKED. */
static void test_row_lock_conflicts(void **state) {
    Table *tb = make_kv("kv");
    Error err = {0};
    Txn *t = begin(ISO_READ_COMMITTED);
    assert_int_equal(put(tb, t, 1, 0, &err), STORAGE_OK);
    commit(t);
    static const struct {
        RowLockMode held, want;
        bool conflict;
    } CASES[] = {
        {RLOCK_KEY_SHARE, RLOCK_KEY_SHARE, false},
        {RLOCK_KEY_SHARE, RLOCK_NO_KEY_UPDATE, false},
        {RLOCK_KEY_SHARE, RLOCK_UPDATE, true},
        {RLOCK_SHARE, RLOCK_SHARE, false},
        {RLOCK_SHARE, RLOCK_NO_KEY_UPDATE, true},
        {RLOCK_NO_KEY_UPDATE, RLOCK_KEY_SHARE, false},
        {RLOCK_NO_KEY_UPDATE, RLOCK_NO_KEY_UPDATE, true},
        {RLOCK_UPDATE, RLOCK_KEY_SHARE, true},
    };
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        Txn *a = begin(ISO_READ_COMMITTED), *b = begin(ISO_READ_COMMITTED);
        RowId rid;
        const Row *ra = get(tb, a, 1, &rid), *rb = get(tb, b, 1, &rid);
        assert_int_equal(storage_row_lock(tb, a, rid, ra, CASES[i].held, RLOCK_WAIT, &err), STORAGE_OK);
        StorageStatus st = storage_row_lock(tb, b, rid, rb, CASES[i].want, RLOCK_WAIT, &err);
        assert_int_equal(st, CASES[i].conflict ? STORAGE_BUSY : STORAGE_OK);
        if (CASES[i].conflict) {
            assert_int_equal(storage_row_lock(tb, b, rid, rb, CASES[i].want, RLOCK_SKIP_LOCKED, &err), STORAGE_SKIP);
            assert_int_equal(storage_row_lock(tb, b, rid, rb, CASES[i].want, RLOCK_NOWAIT, &err), STORAGE_ERROR);
            assert_string_equal(err.sqlstate, "55P03");
        }
        storage_txn_abort(b);
        storage_txn_abort(a);
    }
    assert_int_equal(stats().row_locks, 0);
}

/* storage-locks-2: a cycle of parked transactions is found from any of them. */
static void test_deadlock_cycle(void **state) {
    Table *tb = make_kv("kv");
    Error err = {0};
    Txn *t = begin(ISO_READ_COMMITTED);
    for (int i = 1; i <= 3; i++) assert_int_equal(put(tb, t, i, 0, &err), STORAGE_OK);
    commit(t);
    Txn *x[3];
    for (int i = 0; i < 3; i++) {
        x[i] = begin(ISO_READ_COMMITTED);
        assert_int_equal(set_a(tb, x[i], i + 1, 1, &err), STORAGE_OK);
    }
    for (int i = 0; i < 3; i++) {
        storage_txn_statement_begin(x[i]);
        assert_int_equal(set_a(tb, x[i], (i + 1) % 3 + 1, 2, &err), STORAGE_BUSY);
        storage_txn_statement_undo(x[i]);
        storage_txn_wait_begin(x[i]);
        Txn *cycle[8];
        assert_int_equal(storage_deadlock_find(x[i], cycle, 8), i == 2 ? 3 : 0);
    }
    Txn *cycle[8];
    assert_int_equal(storage_deadlock_find(x[0], cycle, 8), 3);
    assert_ptr_equal(cycle[0], x[0]);
    assert_ptr_equal(cycle[1], x[1]);
    assert_ptr_equal(cycle[2], x[2]);
    for (int i = 0; i < 3; i++) storage_txn_abort(x[i]);
}

/* ---- compact rows -------------------------------------------------------------------------------- */

/* storage-rows-1: a frozen (int4, int4, int4, text(84)) row is its flags byte
 * and its columns: 98 bytes, kept in a 104-byte class. */
static void test_compact_rows(void **state) {
    Table *tb = make_kv("kv");
    Error err = {0};
    Txn *t = begin(ISO_READ_COMMITTED);
    for (int i = 0; i < 1000; i++) assert_int_equal(put(tb, t, i, 0, &err), STORAGE_OK);
    commit(t);
    reclaim_all();
    assert_int_equal(stats().row_bytes, 1000 * 104);
}

/* ---- group commit: the prepared state --------------------------------------------------- */

/* Write skew with the first commit still waiting for its WAL record: a
 * prepared SERIALIZABLE transaction counts as committed for SSI (as
 * PostgreSQL's prepared ones do), so the second one fails at its commit,
 * and the first, once durable, commits. Meanwhile the prepared one's rows
 * stay invisible and its row locks held. */
static void test_prepared_serializable(void **state) {
    Table *tb = make_kv("kv");
    Error err = {0};
    Txn *t = begin(ISO_READ_COMMITTED);
    assert_int_equal(put(tb, t, 1, 1, &err), STORAGE_OK);
    assert_int_equal(put(tb, t, 2, 1, &err), STORAGE_OK);
    commit(t);
    Txn *t1 = begin(ISO_SERIALIZABLE), *t2 = begin(ISO_SERIALIZABLE);
    RowId rid;
    /* both read both rows */
    assert_non_null(get(tb, t1, 1, &rid));
    assert_non_null(get(tb, t1, 2, &rid));
    assert_non_null(get(tb, t2, 1, &rid));
    assert_non_null(get(tb, t2, 2, &rid));
    storage_txn_statement_begin(t1);
    assert_int_equal(set_a(tb, t1, 1, 0, &err), STORAGE_OK);
    assert_true(storage_txn_prepare(t1, &err));
    assert_true(storage_txn_wrote(t1));
    /* t1 is prepared: another transaction still sees the old row and waits for its lock */
    Txn *rc = begin(ISO_READ_COMMITTED);
    Value v[4];
    storage_row_decode(tb, get(tb, rc, 1, &rid), v);
    assert_int_equal(v[1].u.i, 1);
    assert_int_equal(set_a(tb, rc, 1, 5, &err), STORAGE_BUSY);
    storage_txn_abort(rc);
    storage_txn_statement_begin(t2);
    StorageStatus st = set_a(tb, t2, 2, 0, &err);
    bool failed = st == STORAGE_ERROR || !storage_txn_commit(t2, NULL, &err);
    assert_true(failed);
    assert_string_equal(err.sqlstate, "40001");
    storage_txn_abort(t2); /* after a failed write or commit, as the engine does */
    commit(t1);            /* its record is durable now */
    rc = begin(ISO_READ_COMMITTED);
    storage_row_decode(tb, get(tb, rc, 1, &rid), v);
    assert_int_equal(v[1].u.i, 0);
    storage_row_decode(tb, get(tb, rc, 2, &rid), v);
    assert_int_equal(v[1].u.i, 1);
    commit(rc);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_updates_reclaimed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prepared_serializable, setup, teardown),
        cmocka_unit_test_setup_teardown(test_snapshot_holds_horizon, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deletes_and_drops_freed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_savepoint_undo, setup, teardown),
        cmocka_unit_test_setup_teardown(test_statement_undo, setup, teardown),
        cmocka_unit_test_setup_teardown(test_commit_hook_images, setup, teardown),
        cmocka_unit_test_setup_teardown(test_index_order_and_ranges, setup, teardown),
        cmocka_unit_test_setup_teardown(test_row_lock_conflicts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deadlock_cycle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_compact_rows, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
