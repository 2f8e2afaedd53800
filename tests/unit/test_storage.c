/* test_storage.c — storage: MVCC visibility, constraints, DDL. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "storage/storage.h"

static Table *make_table(Storage *s, Txn *t, const char *name) {
    ColumnDesc cols[2] = {{(char *)"id", TYPE_INT4, -1, true}, {(char *)"name", TYPE_TEXT, -1, false}};
    int pkey[1] = {0};
    char pkname[64];
    snprintf(pkname, sizeof pkname, "%s_pkey", name);
    TableDesc d = {(char *)name, 2, cols, 1, pkey, pkname};
    Error err = {0};
    assert_true(storage_table_create(s, t, &d, NULL, &err));
    storage_txn_statement_begin(t); /* DDL is visible from the next statement on */
    return storage_table_lookup(s, t, name);
}

static StorageStatus insert(Table *tb, Txn *t, int id, const char *name, Error *err) {
    Value row[2] = {value_int(TYPE_INT4, id),
                    name ? value_string(TYPE_TEXT, name, (uint32_t)strlen(name)) : value_null(TYPE_TEXT)};
    return storage_row_insert(tb, t, row, err);
}

static int count_rows(Table *tb, Txn *t) {
    TableScan scan;
    RowId rid;
    int n = 0;
    storage_scan_begin(tb, t, &scan);
    while (storage_scan_next(&scan, &rid, NULL)) n++;
    return n;
}

/* The row with primary key id, through the primary-key index. */
static const Row *pk_get(Table *tb, Txn *t, int id, RowId *rid) {
    Value key = value_int(TYPE_INT4, id);
    IndexBound b = {&key, 1, true};
    IndexScan scan;
    Error err = {0};
    storage_index_scan_begin(storage_table_index(tb, t, 0), t, &b, &b, false, &scan);
    return storage_index_scan_next(&scan, rid, &err);
}

static void commit(Txn *t) {
    Error err = {0};
    assert_true(storage_txn_commit(t, NULL, &err));
}

/* storage-S1: uncommitted rows are invisible to others until commit. */
static void test_visibility(void **state) {
    (void)state;
    Storage *s = storage_create();
    Error err = {0};
    Txn *t1 = storage_txn_begin(s, ISO_READ_COMMITTED);
    storage_txn_statement_begin(t1);
    Table *tb = make_table(s, t1, "t");
    assert_int_equal(insert(tb, t1, 1, "a", &err), STORAGE_OK);
    commit(t1);

    Txn *w = storage_txn_begin(s, ISO_READ_COMMITTED);
    Txn *r = storage_txn_begin(s, ISO_READ_COMMITTED);
    Txn *rr = storage_txn_begin(s, ISO_REPEATABLE_READ);
    storage_txn_statement_begin(w);
    storage_txn_statement_begin(r);
    storage_txn_statement_begin(rr);
    assert_int_equal(storage_txn_xid(w), 0); /* no xid before the first write */
    assert_int_equal(insert(tb, w, 2, "b", &err), STORAGE_OK);
    assert_true(storage_txn_xid(w) > 0);
    assert_int_equal(count_rows(tb, r), 1);
    assert_int_equal(storage_txn_xid(r), 0); /* readers never take one */
    storage_txn_statement_begin(w);
    assert_int_equal(count_rows(tb, w), 2);
    commit(w);
    storage_txn_statement_begin(r);
    storage_txn_statement_begin(rr);
    assert_int_equal(count_rows(tb, r), 2);  /* READ COMMITTED: new snapshot */
    assert_int_equal(count_rows(tb, rr), 1); /* REPEATABLE READ: first snapshot */
    commit(r);
    storage_txn_abort(rr);
    storage_destroy(s);
}

/* storage-S5: rollback undoes inserts, updates, deletes and DDL. */
static void test_rollback(void **state) {
    (void)state;
    Storage *s = storage_create();
    Error err = {0};
    Txn *t = storage_txn_begin(s, ISO_READ_COMMITTED);
    storage_txn_statement_begin(t);
    Table *tb = make_table(s, t, "t");
    assert_int_equal(insert(tb, t, 1, "a", &err), STORAGE_OK);
    commit(t);

    t = storage_txn_begin(s, ISO_READ_COMMITTED);
    storage_txn_statement_begin(t);
    RowId rid;
    const Row *row = pk_get(tb, t, 1, &rid);
    assert_non_null(row);
    Value upd[2] = {value_int(TYPE_INT4, 1), value_string(TYPE_TEXT, "changed", 7)};
    assert_int_equal(storage_row_update(tb, t, rid, row, upd, &err), STORAGE_OK);
    assert_int_equal(insert(tb, t, 2, "b", &err), STORAGE_OK);
    make_table(s, t, "u");
    storage_txn_statement_begin(t);
    row = pk_get(tb, t, 1, &rid);
    assert_memory_equal(storage_row_get(tb, row, 1).u.s, "changed", 7);
    storage_txn_abort(t);

    t = storage_txn_begin(s, ISO_READ_COMMITTED);
    storage_txn_statement_begin(t);
    row = pk_get(tb, t, 1, &rid);
    assert_memory_equal(storage_row_get(tb, row, 1).u.s, "a", 1);
    assert_int_equal(count_rows(tb, t), 1);
    assert_null(storage_table_lookup(s, t, "u"));
    /* A rolled-back key can be inserted again. */
    assert_int_equal(insert(tb, t, 2, "b2", &err), STORAGE_OK);
    commit(t);
    storage_destroy(s);
}

/* storage-constraint-1: duplicate keys and NULLs give PostgreSQL's errors. */
static void test_constraints(void **state) {
    (void)state;
    Storage *s = storage_create();
    Error err = {0};
    Txn *t = storage_txn_begin(s, ISO_READ_COMMITTED);
    storage_txn_statement_begin(t);
    Table *tb = make_table(s, t, "t");
    assert_int_equal(insert(tb, t, 1, "a", &err), STORAGE_OK);
    assert_int_equal(insert(tb, t, 1, "b", &err), STORAGE_ERROR);
    assert_string_equal(err.sqlstate, "23505");
    assert_string_equal(err.message, "duplicate key value violates unique constraint \"t_pkey\"");
    assert_string_equal(err.detail, "Key (id)=(1) already exists.");
    Value row[2] = {value_null(TYPE_INT4), value_null(TYPE_TEXT)};
    assert_int_equal(storage_row_insert(tb, t, row, &err), STORAGE_ERROR);
    assert_string_equal(err.sqlstate, "23502");
    assert_string_equal(err.detail, "Failing row contains (null, null).");
    /* Deleting a key frees it for a later statement. */
    storage_txn_statement_begin(t);
    RowId rid;
    const Row *r1 = pk_get(tb, t, 1, &rid);
    assert_int_equal(storage_row_delete(tb, t, rid, r1, &err), STORAGE_OK);
    storage_txn_statement_begin(t);
    assert_int_equal(insert(tb, t, 1, "c", &err), STORAGE_OK);
    commit(t);
    storage_destroy(s);
}

/* storage-S3: a row written by an open transaction is busy. */
static void test_write_conflict(void **state) {
    (void)state;
    Storage *s = storage_create();
    Error err = {0};
    Txn *t = storage_txn_begin(s, ISO_READ_COMMITTED);
    storage_txn_statement_begin(t);
    Table *tb = make_table(s, t, "t");
    assert_int_equal(insert(tb, t, 1, "a", &err), STORAGE_OK);
    commit(t);
    Txn *a = storage_txn_begin(s, ISO_READ_COMMITTED);
    Txn *b = storage_txn_begin(s, ISO_READ_COMMITTED);
    storage_txn_statement_begin(a);
    storage_txn_statement_begin(b);
    RowId ra, rb;
    const Row *va = pk_get(tb, a, 1, &ra), *vb = pk_get(tb, b, 1, &rb);
    assert_int_equal(storage_row_delete(tb, a, ra, va, &err), STORAGE_OK);
    assert_int_equal(storage_row_delete(tb, b, rb, vb, &err), STORAGE_BUSY);
    uint64_t blockers[4];
    assert_int_equal(storage_txn_blockers(b, blockers, 4), 1);
    assert_int_equal(blockers[0], storage_txn_id(a));
    storage_txn_statement_begin(b);
    assert_int_equal(insert(tb, b, 1, "x", &err), STORAGE_BUSY);
    storage_txn_abort(a);
    assert_int_equal(storage_row_delete(tb, b, rb, vb, &err), STORAGE_OK);
    commit(b);
    storage_destroy(s);
}

/* storage-S4: a statement does not see its own new versions. */
static void test_halloween(void **state) {
    (void)state;
    Storage *s = storage_create();
    Error err = {0};
    Txn *t = storage_txn_begin(s, ISO_READ_COMMITTED);
    storage_txn_statement_begin(t);
    Table *tb = make_table(s, t, "t");
    for (int i = 1; i <= 3; i++) assert_int_equal(insert(tb, t, i * 10, "x", &err), STORAGE_OK);
    storage_txn_statement_begin(t);
    TableScan scan;
    const Row *row;
    RowId rid;
    int updated = 0;
    storage_scan_begin(tb, t, &scan);
    while ((row = storage_scan_next(&scan, &rid, NULL))) {
        Value v[2] = {value_int(TYPE_INT4, storage_row_get(tb, row, 0).u.i + 1), storage_row_get(tb, row, 1)};
        assert_int_equal(storage_row_update(tb, t, rid, row, v, &err), STORAGE_OK);
        updated++;
    }
    assert_int_equal(updated, 3);
    storage_txn_statement_begin(t);
    assert_int_equal(count_rows(tb, t), 3);
    assert_non_null(pk_get(tb, t, 21, &rid));
    assert_null(pk_get(tb, t, 20, &rid));
    commit(t);
    storage_destroy(s);
}

/* storage-value-6: a pg_lsn primary key: 8 bytes in rows and index
 * entries, ordered as unsigned (above 2^63 too), duplicates reported in
 * its text form. */
static void test_pg_lsn_table(void **state) {
    (void)state;
    Storage *s = storage_create();
    Error err = {0};
    Txn *t = storage_txn_begin(s, ISO_READ_COMMITTED);
    storage_txn_statement_begin(t);
    ColumnDesc cols[2] = {{(char *)"l", TYPE_PG_LSN, -1, true}, {(char *)"m", TYPE_PG_LSN, -1, false}};
    int pkey[1] = {0};
    TableDesc d = {(char *)"lsns", 2, cols, 1, pkey, (char *)"lsns_pkey"};
    assert_true(storage_table_create(s, t, &d, NULL, &err));
    storage_txn_statement_begin(t);
    Table *tb = storage_table_lookup(s, t, "lsns");
    static const uint64_t keys[] = {0xFFFFFFFFFFFFFFFFull, 1, 0x8000000000000000ull, 0x7FFFFFFFFFFFFFFFull, 0};
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
        Value row[2] = {value_int(TYPE_PG_LSN, (int64_t)keys[i]),
                        i % 2 ? value_null(TYPE_PG_LSN) : value_int(TYPE_PG_LSN, (int64_t)~keys[i])};
        assert_int_equal(storage_row_insert(tb, t, row, &err), STORAGE_OK);
    }
    storage_txn_statement_begin(t);
    Value dup[2] = {value_int(TYPE_PG_LSN, (int64_t)0x8000000000000000ull), value_null(TYPE_PG_LSN)};
    assert_int_equal(storage_row_insert(tb, t, dup, &err), STORAGE_ERROR);
    assert_string_equal(err.sqlstate, "23505");
    assert_string_equal(err.detail, "Key (l)=(80000000/0) already exists.");
    storage_txn_statement_undo(t);
    storage_txn_statement_begin(t);
    err = (Error){0};
    assert_int_equal(count_rows(tb, t), 5);
    static const uint64_t sorted[] = {0, 1, 0x7FFFFFFFFFFFFFFFull, 0x8000000000000000ull, 0xFFFFFFFFFFFFFFFFull};
    IndexScan scan;
    RowId rid;
    const Row *row;
    size_t n = 0;
    storage_index_scan_begin(storage_table_index(tb, t, 0), t, NULL, NULL, false, &scan);
    while ((row = storage_index_scan_next(&scan, &rid, &err))) {
        assert_true(n < 5);
        Value l = storage_row_get(tb, row, 0), m = storage_row_get(tb, row, 1);
        assert_int_equal(l.type, TYPE_PG_LSN);
        assert_true((uint64_t)l.u.i == sorted[n]);
        if (!m.isnull) assert_true((uint64_t)m.u.i == ~sorted[n]);
        n++;
    }
    assert_int_equal(n, 5);
    /* A range from 2^63 on: the two largest keys. */
    Value from = value_int(TYPE_PG_LSN, (int64_t)0x8000000000000000ull);
    IndexBound lo = {&from, 1, true};
    n = 0;
    storage_index_scan_begin(storage_table_index(tb, t, 0), t, &lo, NULL, false, &scan);
    while ((row = storage_index_scan_next(&scan, &rid, &err))) n++;
    assert_int_equal(n, 2);
    commit(t);
    storage_destroy(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_visibility),     cmocka_unit_test(test_rollback),  cmocka_unit_test(test_constraints),
        cmocka_unit_test(test_write_conflict), cmocka_unit_test(test_halloween), cmocka_unit_test(test_pg_lsn_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
