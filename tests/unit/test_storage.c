/* test_storage.c — storage: values, MVCC visibility, constraints, DDL. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "storage/storage.h"

static const char *text_of(Value v, char *buf) {
    int len;
    const char *p = value_to_text(&v, buf, &len);
    if (p != buf) memcpy(buf, p, (size_t)len);
    buf[len] = '\0';
    return buf;
}

/* storage-value-1: float8 prints as PostgreSQL 15 does (shortest exact). */
static void test_float8_text(void **state) {
    (void)state;
    char buf[VALUE_TEXT_BUF];
    assert_string_equal(text_of(value_float8(0.1 + 0.2), buf), "0.30000000000000004");
    assert_string_equal(text_of(value_float8(1e15), buf), "1e+15");
    assert_string_equal(text_of(value_float8(1e14), buf), "100000000000000");
    assert_string_equal(text_of(value_float8(1.5e-5), buf), "1.5e-05");
    assert_string_equal(text_of(value_float8(0.0001), buf), "0.0001");
    assert_string_equal(text_of(value_float8(123456789012345678.0), buf), "1.2345678901234568e+17");
    assert_string_equal(text_of(value_float8(-2.5), buf), "-2.5");
    assert_string_equal(text_of(value_float8(100), buf), "100");
    assert_string_equal(text_of(value_float8(-0.0), buf), "-0");
    assert_string_equal(text_of(value_float8(INFINITY), buf), "Infinity");
    assert_string_equal(text_of(value_float8(NAN), buf), "NaN");
    /* 4.611686016279904e+18 is exactly halfway to the next double down:
     * PostgreSQL (Ryu without bounds) prints one more digit. */
    assert_string_equal(text_of(value_float8(-4611686016279904256.0), buf), "-4.6116860162799043e+18");
    /* Next to a power of two (2^122) the shortest decimal is not the
     * correctly rounded one of its length. */
    assert_string_equal(text_of(value_float8(5.3169119831396635e+36), buf), "5.316911983139664e+36");
    assert_string_equal(text_of(value_float8(-0.017319091), buf), "-0.017319091");
    assert_string_equal(text_of(value_float8(4.9e-324), buf), "5e-324");
    assert_string_equal(text_of(value_float8(1.7976931348623157e308), buf), "1.7976931348623157e+308");
}

/* storage-value-2: integer and boolean input, with PostgreSQL's errors. */
static void test_int_bool_input(void **state) {
    (void)state;
    Arena *a = arena_create(0);
    Value v;
    Error err = {0};
    assert_true(value_from_text(TYPE_INT4, " -42 ", 5, a, &v, &err));
    assert_int_equal(v.u.i, -42);
    assert_false(value_from_text(TYPE_INT4, "abc", 3, a, &v, &err));
    assert_string_equal(err.sqlstate, "22P02");
    assert_string_equal(err.message, "invalid input syntax for type integer: \"abc\"");
    assert_false(value_from_text(TYPE_INT4, "2147483648", 10, a, &v, &err));
    assert_string_equal(err.sqlstate, "22003");
    assert_string_equal(err.message, "value \"2147483648\" is out of range for type integer");
    assert_true(value_from_text(TYPE_INT4, "-2147483648", 11, a, &v, &err));
    assert_true(value_from_text(TYPE_INT8, "9223372036854775807", 19, a, &v, &err));
    assert_int_equal(v.u.i, INT64_MAX);
    assert_true(value_from_text(TYPE_BOOL, "yes", 3, a, &v, &err));
    assert_true(v.u.b);
    assert_true(value_from_text(TYPE_BOOL, "OFF", 3, a, &v, &err));
    assert_false(v.u.b);
    assert_false(value_from_text(TYPE_BOOL, "o", 1, a, &v, &err));
    arena_destroy(a);
}

/* storage-value-3: varchar(n) typmod: assignment fails, explicit truncates. */
static void test_typmod(void **state) {
    (void)state;
    Error err = {0};
    Value v = value_string(TYPE_VARCHAR, "abcd", 4);
    assert_false(value_apply_typmod(&v, 3 + 4, false, &err));
    assert_string_equal(err.message, "value too long for type character varying(3)");
    assert_true(value_apply_typmod(&v, 3 + 4, true, &err));
    assert_int_equal(v.len, 3);
    Value spaces = value_string(TYPE_VARCHAR, "ab   ", 5);
    assert_true(value_apply_typmod(&spaces, 3 + 4, false, &err));
    assert_int_equal(spaces.len, 3);
}

static uint64_t lsn_in(const char *s, Error *err, bool *ok) {
    Arena *a = arena_create(0);
    Value v = {0};
    *ok = value_from_text(TYPE_PG_LSN, s, strlen(s), a, &v, err);
    arena_destroy(a);
    if (*ok) assert_int_equal(v.type, TYPE_PG_LSN);
    return (uint64_t)v.u.i;
}

/* storage-value-4: pg_lsn text input and output, PostgreSQL's pg_lsn_in
 * and pg_lsn_out: "%X/%X", each half 1 to 8 hex digits, nothing around. */
static void test_pg_lsn_text(void **state) {
    (void)state;
    char buf[VALUE_TEXT_BUF];
    Error err = {0};
    bool ok;
    assert_true(lsn_in("0/16B3748", &err, &ok) == 0x16B3748 && ok);
    assert_true(lsn_in("FFFFFFFF/FFFFFFFF", &err, &ok) == UINT64_MAX && ok);
    assert_true(lsn_in("ffffffff/0", &err, &ok) == 0xFFFFFFFF00000000ull && ok);
    assert_true(lsn_in("00000000/00000001", &err, &ok) == 1 && ok);
    assert_true(lsn_in("aB/Cd", &err, &ok) == (0xABull << 32 | 0xCD) && ok);
    assert_string_equal(text_of(value_int(TYPE_PG_LSN, (int64_t)UINT64_MAX), buf), "FFFFFFFF/FFFFFFFF");
    assert_string_equal(text_of(value_int(TYPE_PG_LSN, 0), buf), "0/0");
    assert_string_equal(text_of(value_int(TYPE_PG_LSN, (int64_t)(0x16ull << 32 | 0xB374D848)), buf), "16/B374D848");
    /* Round trip across both halves. */
    static const uint64_t samples[] = {
        0,         1, 0xFFFFFFFF, 0x100000000ull, 0x7FFFFFFFFFFFFFFFull, 0x8000000000000000ull, 0x123456789ABCDEFull,
        UINT64_MAX};
    for (size_t i = 0; i < sizeof samples / sizeof *samples; i++) {
        text_of(value_int(TYPE_PG_LSN, (int64_t)samples[i]), buf);
        assert_true(lsn_in(buf, &err, &ok) == samples[i] && ok);
    }
    static const char *const bad[] = {"0/",    "/0",   "G/0",  "123456789/0", "0/123456789", "",
                                      "/",     "0",    " 0/1", "0/1 ",        "0/0/0",       "+1/0",
                                      "0x1/0", "-1/0", "0/-1", "1 /0",        "0/ 1",        "0/1\n"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        err = (Error){0};
        lsn_in(bad[i], &err, &ok);
        assert_false(ok);
        assert_string_equal(err.sqlstate, "22P02");
        char want[128];
        snprintf(want, sizeof want, "invalid input syntax for type pg_lsn: \"%s\"", bad[i]);
        assert_string_equal(err.message, want);
    }
    /* The input is the given length, not up to a NUL. */
    Arena *a = arena_create(0);
    Value v;
    assert_true(value_from_text(TYPE_PG_LSN, "1/2/3", 3, a, &v, &err));
    assert_true((uint64_t)v.u.i == (1ull << 32 | 2));
    arena_destroy(a);
}

/* storage-value-5: pg_lsn's binary form (an int8, big-endian), its order
 * (unsigned) and hash, and its type entry. */
static void test_pg_lsn_binary_order(void **state) {
    (void)state;
    Arena *a = arena_create(0);
    Error err = {0};
    char buf[VALUE_TEXT_BUF];
    int len;
    Value v = value_int(TYPE_PG_LSN, (int64_t)0x8000000100000002ull), back;
    assert_true(value_has_binary(TYPE_PG_LSN));
    const char *p = value_to_binary(&v, buf, &len);
    assert_int_equal(len, 8);
    assert_memory_equal(p, "\x80\x00\x00\x01\x00\x00\x00\x02", 8);
    assert_true(value_from_binary(TYPE_PG_LSN, p, 8, a, &back, &err));
    assert_int_equal(back.type, TYPE_PG_LSN);
    assert_true(back.u.i == v.u.i);
    assert_false(value_from_binary(TYPE_PG_LSN, p, 4, a, &back, &err));
    assert_string_equal(err.sqlstate, "22P03");
    Value lo = value_int(TYPE_PG_LSN, 1), hi = value_int(TYPE_PG_LSN, (int64_t)UINT64_MAX);
    assert_int_equal(value_compare(&lo, &hi), -1); /* unsigned: FFFFFFFF/FFFFFFFF is the largest */
    assert_int_equal(value_compare(&hi, &v), 1);
    assert_int_equal(value_compare(&v, &v), 0);
    assert_true(value_equal(&back, &v));
    assert_true(value_hash(&back) == value_hash(&v));
    const TypeInfo *ti = type_by_name("pg_lsn");
    assert_non_null(ti);
    assert_int_equal(ti->id, 3220);
    assert_int_equal(ti->typlen, 8);
    assert_int_equal(ti->category, TYPCAT_USER);
    assert_ptr_equal(type_info(TYPE_PG_LSN), ti);
    arena_destroy(a);
}

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
        cmocka_unit_test(test_float8_text),    cmocka_unit_test(test_int_bool_input),
        cmocka_unit_test(test_typmod),         cmocka_unit_test(test_visibility),
        cmocka_unit_test(test_rollback),       cmocka_unit_test(test_constraints),
        cmocka_unit_test(test_write_conflict), cmocka_unit_test(test_halloween),
        cmocka_unit_test(test_pg_lsn_text),    cmocka_unit_test(test_pg_lsn_binary_order),
        cmocka_unit_test(test_pg_lsn_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
