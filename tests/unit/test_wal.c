/* test_wal.c — the WAL through its public API: LSN text, commits that
 * survive a reopen (rows, indexes, DDL, counters), a prepared commit is
 * invisible and keeps its locks until it commits, checkpoints and their
 * fallback when a snapshot is corrupt, a torn tail, the folder's lock. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wal/wal.h"

/* ---- helpers ----------------------------------------------------------------------- */

static char dir[256];

static int setup(void **state) {
    snprintf(dir, sizeof dir, "/tmp/strand-test-wal.XXXXXX");
    assert_non_null(mkdtemp(dir));
    return 0;
}

static int teardown(void **state) {
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    return 0;
}

static Wal *open_wal(Storage **s) {
    WalConfig cfg = {.dir = dir, .sync_method = WAL_SYNC_FDATASYNC, .writer_delay_ms = 10};
    Error err = {0};
    Wal *w = wal_open(&cfg, s, &err);
    if (!w) fail_msg("wal_open: %s", err.message);
    return w;
}

static Txn *begin(Storage *s) {
    Txn *t = storage_txn_begin(s, ISO_READ_COMMITTED);
    storage_txn_statement_begin(t);
    return t;
}

static void wait_flushed(Wal *w, uint64_t lsn) {
    for (int i = 0; i < 5000 && wal_flushed_lsn(w) < lsn; i++) usleep(1000);
    assert_true(wal_flushed_lsn(w) >= lsn);
}

/* The engine's commit sequence: prepare, log, wait for the flush, commit. */
static void commit_durably(Wal *w, Txn *t) {
    Error err = {0};
    assert_true(storage_txn_prepare(t, &err));
    uint64_t end = wal_append_commit(w, storage_txn_changes(t), storage_txn_xid(t), true, NULL, &err);
    assert_true(end > 0);
    wait_flushed(w, end);
    assert_true(storage_txn_commit(t, NULL, &err));
}

static Table *make_table(Storage *s, Wal *w) {
    ColumnDesc cols[3] = {{(char *)"id", TYPE_INT4, -1, true},
                          {(char *)"name", TYPE_TEXT, -1, false},
                          {(char *)"score", TYPE_INT8, -1, false}};
    int pkey[1] = {0};
    TableDesc d = {(char *)"t", 3, cols, 1, pkey, (char *)"t_pkey"};
    Error err = {0};
    Txn *t = begin(s);
    Table *tb;
    assert_true(storage_table_create(s, t, &d, &tb, &err));
    commit_durably(w, t);
    t = begin(s);
    int icols[1] = {1};
    bool no[1] = {false};
    IndexDesc ix = {(char *)"t_name", 1, icols, no, no, true, false, false};
    assert_int_equal(storage_index_create(s, t, tb, &ix, &err), STORAGE_OK);
    commit_durably(w, t);
    return tb;
}

static void insert(Storage *s, Wal *w, Table *tb, int from, int to) {
    Error err = {0};
    Txn *t = begin(s);
    for (int i = from; i < to; i++) {
        char name[32];
        int n = snprintf(name, sizeof name, "name-%d", i);
        Value v[3] = {value_int(TYPE_INT4, i),
                      i % 7 ? value_string(TYPE_TEXT, name, (uint32_t)n) : value_null(TYPE_TEXT),
                      value_int(TYPE_INT8, (int64_t)i * 1000000007)};
        assert_int_equal(storage_row_insert(tb, t, v, &err), STORAGE_OK);
    }
    commit_durably(w, t);
}

/* Checks that t holds exactly ids [from, to) with the values insert() gave,
 * reached through both indexes. */
static void check_rows(Storage *s, int from, int to) {
    Txn *t = begin(s);
    Table *tb = storage_table_lookup(s, t, "t");
    assert_non_null(tb);
    assert_int_equal(storage_table_nindexes(tb, t), 2);
    TableScan scan;
    storage_scan_begin(tb, t, &scan);
    Error err = {0};
    RowId rid;
    int n = 0;
    for (const Row *r; (r = storage_scan_next(&scan, &rid, &err)); n++) {
        Value v[3];
        storage_row_decode(tb, r, v);
        int id = (int)v[0].u.i;
        assert_true(id >= from && id < to);
        assert_int_equal(v[2].u.i, (int64_t)id * 1000000007);
        assert_int_equal(v[1].isnull, id % 7 == 0);
        /* the unique index on name finds it */
        if (!v[1].isnull) {
            Index *ix = storage_index_lookup(s, t, "t_name");
            assert_non_null(ix);
            IndexBound b = {&v[1], 1, true};
            IndexScan is;
            storage_index_scan_begin(ix, t, &b, &b, false, &is);
            RowId found;
            assert_non_null(storage_index_scan_next(&is, &found, &err));
            assert_int_equal(found, rid);
        }
    }
    assert_int_equal(n, to - from);
    storage_txn_abort(t);
}

static void reopen(Wal **w, Storage **s) {
    wal_close(*w);
    storage_destroy(*s);
    *w = open_wal(s);
}

/* ---- tests --------------------------------------------------------------------------- */

static void test_lsn_text(void **state) {
    char buf[32];
    assert_string_equal(wal_format_lsn(0x16B3748, buf), "0/16B3748");
    assert_string_equal(wal_format_lsn(0xFFFFFFFFFFFFFFFFull, buf), "FFFFFFFF/FFFFFFFF");
    uint64_t v;
    assert_true(wal_parse_lsn("AB/cd", &v));
    assert_int_equal(v, 0xAB000000CDull);
    assert_false(wal_parse_lsn("0/", &v));
    assert_false(wal_parse_lsn("/0", &v));
    assert_false(wal_parse_lsn("123456789/0", &v));
    assert_false(wal_parse_lsn("G/0", &v));
}

/* Rows, DDL, updates and deletes come back after a reopen; the counters go
 * on above them. */
static void test_reopen(void **state) {
    Storage *s;
    Wal *w = open_wal(&s);
    Table *tb = make_table(s, w);
    insert(s, w, tb, 0, 500);
    Error err = {0};
    Txn *t = begin(s);
    /* delete ids >= 400 */
    TableScan scan;
    storage_scan_begin(tb, t, &scan);
    RowId rid;
    for (const Row *r; (r = storage_scan_next(&scan, &rid, &err));) {
        Value v[3];
        storage_row_decode(tb, r, v);
        if (v[0].u.i >= 400) assert_int_equal(storage_row_delete(tb, t, rid, r, &err), STORAGE_OK);
    }
    commit_durably(w, t);
    uint32_t next_oid = storage_next_oid(s);
    uint64_t next_xid = storage_next_xid(s);
    reopen(&w, &s);
    check_rows(s, 0, 400);
    assert_true(storage_next_oid(s) >= next_oid);
    assert_true(storage_next_xid(s) >= next_xid);
    /* deleted row ids are reused, and that too survives */
    t = begin(s);
    tb = storage_table_lookup(s, t, "t");
    storage_txn_abort(t);
    insert(s, w, tb, 400, 450);
    reopen(&w, &s);
    check_rows(s, 0, 450);
    wal_close(w);
    storage_destroy(s);
}

/* A prepared transaction is still in progress for everyone else: its rows
 * invisible, its locks held; only its commit shows them. */
static void test_prepared_invisible(void **state) {
    Storage *s;
    Wal *w = open_wal(&s);
    Table *tb = make_table(s, w);
    insert(s, w, tb, 0, 1);
    Error err = {0};
    Txn *t = begin(s);
    Value v[3] = {value_int(TYPE_INT4, 1), value_string(TYPE_TEXT, "x", 1), value_int(TYPE_INT8, 0)};
    assert_int_equal(storage_row_insert(tb, t, v, &err), STORAGE_OK);
    assert_true(storage_txn_prepare(t, &err));
    uint64_t end = wal_append_commit(w, storage_txn_changes(t), storage_txn_xid(t), true, NULL, &err);
    Txn *other = begin(s);
    TableScan scan;
    storage_scan_begin(tb, other, &scan);
    RowId rid;
    int n = 0;
    while (storage_scan_next(&scan, &rid, &err)) n++;
    assert_int_equal(n, 1);
    assert_int_equal(storage_row_insert(tb, other, v, &err), STORAGE_BUSY); /* the key is held */
    storage_txn_abort(other);
    wait_flushed(w, end);
    assert_true(storage_txn_commit(t, NULL, &err));
    reopen(&w, &s);
    Txn *r = begin(s);
    storage_scan_begin(storage_table_lookup(s, r, "t"), r, &scan);
    n = 0;
    while (storage_scan_next(&scan, &rid, &err)) n++;
    assert_int_equal(n, 2);
    storage_txn_abort(r);
    wal_close(w);
    storage_destroy(s);
}

static void run_checkpoint(Wal *w, Storage *s) {
    Error err = {0};
    Txn *t = begin(s);
    assert_true(wal_checkpoint_begin(w, s, t, wal_insert_lsn(w), &err));
    bool ok = false;
    for (int i = 0; i < 100000; i++) {
        wal_checkpoint_step(w, 100);
        if (wal_checkpoint_poll(w, &ok, &err)) break;
        usleep(100);
    }
    assert_true(ok);
}

static int count_files(const char *sub) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, sub);
    DIR *d = opendir(path);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));) n += e->d_name[0] != '.';
    if (d) closedir(d);
    return n;
}

static void corrupt_newest_snapshot(void) {
    char path[1024], newest[256] = "";
    snprintf(path, sizeof path, "%s/snapshots", dir);
    DIR *d = opendir(path);
    for (struct dirent *e; d && (e = readdir(d));)
        if (strstr(e->d_name, ".snap") && strcmp(e->d_name, newest) > 0)
            snprintf(newest, sizeof newest, "%s", e->d_name);
    closedir(d);
    snprintf(path, sizeof path, "%s/snapshots/%s", dir, newest);
    int fd = open(path, O_RDWR);
    assert_true(fd >= 0);
    struct stat st;
    fstat(fd, &st);
    char b = 0x5a;
    assert_int_equal(pwrite(fd, &b, 1, st.st_size / 2), 1);
    close(fd);
}

/* Checkpoints keep two snapshots; a corrupt newest one falls back to the
 * older one plus the WAL, and nothing is lost. */
static void test_checkpoints(void **state) {
    Storage *s;
    Wal *w = open_wal(&s);
    Table *tb = make_table(s, w);
    insert(s, w, tb, 0, 3000);
    run_checkpoint(w, s);
    assert_int_equal(count_files("snapshots"), 1);
    insert(s, w, tb, 3000, 4000);
    run_checkpoint(w, s);
    insert(s, w, tb, 4000, 4100);
    run_checkpoint(w, s);
    assert_int_equal(count_files("snapshots"), 2);
    insert(s, w, tb, 4100, 4200);
    reopen(&w, &s);
    check_rows(s, 0, 4200);
    corrupt_newest_snapshot();
    reopen(&w, &s);
    check_rows(s, 0, 4200);
    wal_close(w);
    storage_destroy(s);
}

/* A record cut short ends the log there: the commits before it are kept. */
static void test_torn_tail(void **state) {
    Storage *s;
    Wal *w = open_wal(&s);
    Table *tb = make_table(s, w);
    insert(s, w, tb, 0, 10);
    uint64_t before = wal_insert_lsn(w);
    insert(s, w, tb, 10, 20);
    uint64_t after = wal_insert_lsn(w);
    wal_close(w);
    storage_destroy(s);
    /* zero the second half of the last record */
    char path[512];
    snprintf(path, sizeof path, "%s/wal/000000010000000000000001", dir);
    int fd = open(path, O_RDWR);
    assert_true(fd >= 0);
    static const char zeros[4096];
    uint64_t mid = (before + after) / 2 - (1u << 24);
    assert_true(pwrite(fd, zeros, (size_t)(after - (before + after) / 2), (off_t)mid) > 0);
    close(fd);
    w = open_wal(&s);
    assert_int_equal(wal_insert_lsn(w), before);
    check_rows(s, 0, 10);
    wal_close(w);
    storage_destroy(s);
}

static void test_folder_lock(void **state) {
    Storage *s, *s2 = NULL;
    Wal *w = open_wal(&s);
    WalConfig cfg = {.dir = dir};
    Error err = {0};
    assert_null(wal_open(&cfg, &s2, &err));
    assert_string_equal(err.sqlstate, "55006");
    assert_non_null(strstr(err.message, "in use by another strand server"));
    wal_close(w);
    storage_destroy(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lsn_text),
        cmocka_unit_test_setup_teardown(test_reopen, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prepared_invisible, setup, teardown),
        cmocka_unit_test_setup_teardown(test_checkpoints, setup, teardown),
        cmocka_unit_test_setup_teardown(test_torn_tail, setup, teardown),
        cmocka_unit_test_setup_teardown(test_folder_lock, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
