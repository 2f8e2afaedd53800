/* test_planner.c — binder and executor over real storage, through the parser. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "planner/planner.h"

typedef struct Fixture {
    Storage *storage;
    SqlParser *parser;
    Arena *arena;
    StrBuf out; /* rows as "a|b\n" */
    Error err;
    char tag[64];
} Fixture;

static bool collect(void *ctx, const Value *values, int ncols, Error *err) {
    StrBuf *b = ctx;
    char buf[VALUE_TEXT_BUF];
    for (int i = 0; i < ncols; i++) {
        int len;
        if (i) strbuf_append_char(b, '|');
        if (values[i].isnull) {
            strbuf_append_str(b, "NULL");
            continue;
        }
        const char *p = value_to_text(&values[i], buf, &len);
        strbuf_append(b, p, (size_t)len);
    }
    strbuf_append_char(b, '\n');
    return true;
}

/* Runs every statement of sql in its own committed transaction; returns
 * false at the first error (f->err). */
static bool run(Fixture *f, const char *sql) {
    StmtList list;
    strbuf_reset(&f->out);
    arena_reset(f->arena);
    if (!sql_parse(f->parser, sql, strlen(sql), f->arena, &list, &f->err)) return false;
    for (int i = 0; i < list.n; i++) {
        Txn *t = storage_txn_begin(f->storage, ISO_READ_COMMITTED);
        storage_txn_statement_begin(t);
        Plan *plan;
        ExecResult res;
        RowSink sink = {collect, &f->out, NULL, NULL, NULL};
        if (!planner_bind(f->storage, t, list.items[i], sql, NULL, f->arena, &plan, &f->err) ||
            planner_execute(plan, f->storage, t, NULL, f->arena, &sink, &res, &f->err) != STORAGE_OK) {
            storage_txn_abort(t);
            return false;
        }
        snprintf(f->tag, sizeof f->tag, "%s", res.tag);
        assert_true(storage_txn_commit(t, NULL, &f->err));
    }
    return true;
}

static int setup(void **state) {
    static Fixture f;
    f.storage = storage_create();
    f.parser = sql_parser_create();
    f.arena = arena_create(0);
    strbuf_init(&f.out);
    *state = &f;
    return 0;
}

static int teardown(void **state) {
    Fixture *f = *state;
    storage_destroy(f->storage);
    sql_parser_destroy(f->parser);
    arena_destroy(f->arena);
    strbuf_deinit(&f->out);
    return 0;
}

/* planner-exec-1: insert, point lookup, scan with filter, sort and limit. */
static void test_select_paths(void **state) {
    Fixture *f = *state;
    assert_true(run(f, "CREATE TABLE p (id int8 PRIMARY KEY, name text, score float8)"));
    assert_true(run(f, "INSERT INTO p VALUES (3, 'c', 1.5), (1, 'a', NULL), (2, 'b', -2)"));
    assert_string_equal(f->tag, "INSERT 0 3");
    assert_true(run(f, "SELECT name FROM p WHERE id = 2"));
    assert_string_equal(f->out.data, "b\n");
    assert_true(run(f, "SELECT id, score FROM p ORDER BY score DESC NULLS LAST, id LIMIT 2"));
    assert_string_equal(f->out.data, "3|1.5\n2|-2\n");
    assert_true(run(f, "SELECT id * 10 AS x FROM p WHERE score IS NULL OR name > 'b' ORDER BY x"));
    assert_string_equal(f->out.data, "10\n30\n");
    assert_true(run(f, "SELECT id FROM p ORDER BY 1 OFFSET 1"));
    assert_string_equal(f->out.data, "2\n3\n");
    assert_true(run(f, "DROP TABLE p"));
}

/* planner-exec-2: UPDATE of the key (Halloween-safe), DELETE, RETURNING. */
static void test_writes(void **state) {
    Fixture *f = *state;
    assert_true(run(f, "CREATE TABLE w (id int PRIMARY KEY, v varchar(5) NOT NULL)"));
    assert_true(run(f, "INSERT INTO w VALUES (1, 'x'), (3, 'y') RETURNING id, v || '!'"));
    assert_string_equal(f->out.data, "1|x!\n3|y!\n");
    assert_true(run(f, "UPDATE w SET id = id + 10 RETURNING id"));
    assert_string_equal(f->tag, "UPDATE 2");
    assert_true(run(f, "SELECT id FROM w ORDER BY id"));
    assert_string_equal(f->out.data, "11\n13\n");
    assert_true(run(f, "DELETE FROM w WHERE id = 11 RETURNING *"));
    assert_string_equal(f->out.data, "11|x\n");
    assert_true(run(f, "SELECT count_rows FROM w") == false);
    assert_string_equal(f->err.sqlstate, "42703");
    assert_true(run(f, "DROP TABLE w"));
}

/* planner-bind-1: PostgreSQL's errors, with positions. */
static void test_bind_errors(void **state) {
    Fixture *f = *state;
    assert_false(run(f, "SELECT * FROM missing"));
    assert_string_equal(f->err.sqlstate, "42P01");
    assert_string_equal(f->err.message, "relation \"missing\" does not exist");
    assert_int_equal(f->err.position, 15);
    assert_true(run(f, "CREATE TABLE e (id int PRIMARY KEY, t text)"));
    assert_false(run(f, "INSERT INTO e VALUES ('1'::text, 'x')"));
    assert_string_equal(f->err.sqlstate, "42804");
    assert_string_equal(f->err.message, "column \"id\" is of type integer but expression is of type text");
    assert_false(run(f, "SELECT 1 + 'a'"));
    assert_string_equal(f->err.sqlstate, "22P02");
    assert_int_equal(f->err.position, 12);
    assert_false(run(f, "SELECT id FROM e WHERE t = 1"));
    assert_string_equal(f->err.message, "operator does not exist: text = integer");
    assert_false(run(f, "SELECT 2147483647 + 1"));
    assert_string_equal(f->err.message, "integer out of range");
    assert_false(run(f, "SELECT 1 / 0"));
    assert_string_equal(f->err.sqlstate, "22012");
    assert_false(run(f, "SELECT $1"));
    assert_string_equal(f->err.sqlstate, "42P02");
    assert_true(run(f, "DROP TABLE e"));
}

/* planner-bind-2: nesting deeper than the stack allows is an error (54001),
 * not a crash, in the parser's lowering and in the binder. */
static void test_deep_nesting(void **state) {
    Fixture *f = *state;
    StrBuf sql;
    strbuf_init(&sql);
    strbuf_append_str(&sql, "SELECT 1");
    for (int i = 0; i < 300000; i++) strbuf_append_str(&sql, " + 1");
    assert_false(run(f, sql.data));
    assert_string_equal(f->err.sqlstate, "54001");
    assert_string_equal(f->err.message, "stack depth limit exceeded");
    assert_int_equal(f->err.position, 0);
    strbuf_reset(&sql);
    strbuf_append_str(&sql, "SELECT 1");
    for (int i = 0; i < 100; i++) strbuf_append_str(&sql, " + 1");
    assert_true(run(f, sql.data));
    assert_string_equal(f->out.data, "101\n");
    strbuf_deinit(&sql);
}

/* A plan bound now, over a statement that lives in its own arena. */
static Plan *bind_kept(Fixture *f, Arena *arena, const char *sql, ParamTypes *params) {
    StmtList list;
    assert_true(sql_parse(f->parser, sql, strlen(sql), arena, &list, &f->err));
    Txn *t = storage_txn_begin(f->storage, ISO_READ_COMMITTED);
    storage_txn_statement_begin(t);
    Plan *plan = NULL;
    bool ok = planner_bind(f->storage, t, list.items[0], sql, params, arena, &plan, &f->err);
    storage_txn_abort(t);
    if (!ok) print_error("%s: %s\n", sql, f->err.message);
    assert_true(ok);
    return plan;
}

/* Plan invalidation: DDL on a table outdates the plans over it (made,
 * rolled back or committed), and only those. */
static void test_plan_currency(void **state) {
    Fixture *f = *state;
    assert_true(run(f, "CREATE TABLE a (id int PRIMARY KEY, v text); CREATE TABLE b (id int PRIMARY KEY)"));
    Arena *arena = arena_create(0);
    uint64_t at = storage_catalog_version(f->storage);
    ParamTypes params = {0};
    Plan *pa = bind_kept(f, arena, "SELECT v FROM a WHERE id = $1", &params);
    Plan *pab = bind_kept(f, arena, "SELECT count(*) FROM a JOIN b USING (id) WHERE a.id IN (SELECT 1)", &params);
    Plan *pb = bind_kept(f, arena, "UPDATE b SET id = id + 1", &params);
    assert_false(planner_plan_folds_params(pa));

    assert_true(run(f, "CREATE TABLE c (x int); CREATE INDEX c_x ON c (x); DROP TABLE c"));
    assert_int_not_equal(storage_catalog_version(f->storage), at);
    assert_true(planner_plan_current(pa, f->storage, at));
    assert_true(planner_plan_current(pab, f->storage, at));
    assert_true(planner_plan_current(pb, f->storage, at));

    /* an index on b, rolled back: b's plans rebind, a's do not */
    Txn *t = storage_txn_begin(f->storage, ISO_READ_COMMITTED);
    storage_txn_statement_begin(t);
    Table *b = storage_table_lookup(f->storage, t, "b");
    bool asc[1] = {false};
    int cols[1] = {0};
    IndexDesc ix = {"b_extra", 1, cols, asc, asc, false, false, false};
    assert_int_equal(storage_index_create(f->storage, t, b, &ix, &f->err), STORAGE_OK);
    assert_false(planner_plan_current(pb, f->storage, at));
    uint64_t during = storage_catalog_version(f->storage);
    storage_txn_abort(t);
    assert_false(planner_plan_current(pab, f->storage, during));
    assert_true(planner_plan_current(pa, f->storage, at));

    /* dropping a, committed: a's plans are gone for good */
    at = storage_catalog_version(f->storage);
    pa = bind_kept(f, arena, "SELECT v FROM a WHERE id = $1", &params);
    assert_true(run(f, "DROP TABLE a"));
    assert_false(planner_plan_current(pa, f->storage, at));
    assert_true(run(f, "DROP TABLE b"));
    arena_destroy(arena);
}

/* Expressions of parameters alone, which literals would have folded. */
static void test_folds_params(void **state) {
    Fixture *f = *state;
    assert_true(run(f, "CREATE TABLE n (id int PRIMARY KEY, v int8)"));
    Arena *arena = arena_create(0);
    static const struct {
        const char *sql;
        bool folds;
    } cases[] = {
        {"SELECT v FROM n WHERE id = $1 AND v > $2", false},
        {"SELECT v + $1 FROM n WHERE v = $2 LIMIT $3", false},
        {"SELECT coalesce(v, $1 / $2) FROM n", true},
        {"SELECT abs($1) FROM n", true},
        {"INSERT INTO n VALUES ($1, $2)", false},
        {"INSERT INTO n VALUES ($1, -$2)", true},
        {"SELECT v FROM n WHERE id = $1 OR $2 = 0", true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        TypeId types[4] = {TYPE_INT4, TYPE_INT4, TYPE_INT4, TYPE_INT4};
        ParamTypes params = {types, 4, 4};
        Plan *p = bind_kept(f, arena, cases[i].sql, &params);
        if (planner_plan_folds_params(p) != cases[i].folds) print_error("%s\n", cases[i].sql);
        assert_int_equal(planner_plan_folds_params(p), cases[i].folds);
    }
    arena_destroy(arena);
    assert_true(run(f, "DROP TABLE n"));
}

/* EXPLAIN draws the operator tree as PostgreSQL's text format does. */
static void test_explain(void **state) {
    Fixture *f = *state;
    assert_true(run(f, "CREATE TABLE ea (id int PRIMARY KEY, v int); CREATE TABLE eb (id int, a_id int)"));
    assert_true(run(f, "CREATE INDEX eb_a ON eb (a_id)"));
    assert_true(
        run(f, "INSERT INTO ea VALUES (1, 10), (2, 20), (3, 30); INSERT INTO eb VALUES (1, 1), (2, 1), (3, 2)"));
    assert_true(run(f, "EXPLAIN SELECT * FROM ea WHERE id = 2"));
    assert_string_equal(f->out.data, "Index Scan using ea_pkey on ea\n");
    assert_string_equal(f->tag, "EXPLAIN");
    assert_true(run(f, "EXPLAIN SELECT v, count(*) FROM ea JOIN eb ON eb.a_id = ea.id GROUP BY v ORDER BY 2 LIMIT 5"));
    assert_string_equal(f->out.data, "Limit\n"
                                     "  ->  Sort\n"
                                     "        ->  HashAggregate\n"
                                     "              ->  Hash Join\n"
                                     "                    ->  Seq Scan on ea\n"
                                     "                    ->  Seq Scan on eb\n");
    assert_true(run(f, "EXPLAIN ANALYZE SELECT * FROM ea LEFT JOIN eb ON eb.a_id = ea.id"));
    assert_non_null(strstr(f->out.data, "Hash Left Join (actual rows=4 loops=1)\n"
                                        "  ->  Seq Scan on ea (actual rows=3 loops=1)\n"
                                        "  ->  Seq Scan on eb (actual rows=3 loops=1)\n"
                                        "Execution Time: "));
    assert_true(run(f, "EXPLAIN UPDATE ea SET v = 0 WHERE id = 1"));
    assert_string_equal(f->out.data, "Update on ea\n  ->  Index Scan using ea_pkey on ea\n");
    assert_true(run(f, "EXPLAIN ANALYZE DELETE FROM eb WHERE a_id = 2")); /* made, as in PostgreSQL */
    assert_true(run(f, "SELECT count(*) FROM eb"));
    assert_string_equal(f->out.data, "2\n");
    assert_true(run(f, "EXPLAIN SELECT x FROM generate_series(1, 3) x, LATERAL unnest(ARRAY[x]) u"));
    assert_string_equal(f->out.data, "Nested Loop\n"
                                     "  ->  Function Scan on generate_series\n"
                                     "  ->  Function Scan on unnest\n");
    assert_false(run(f, "EXPLAIN (FORMAT JSON) SELECT 1"));
    assert_string_equal(f->err.sqlstate, "0A000");
    assert_true(run(f, "DROP TABLE ea; DROP TABLE eb"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_select_paths), cmocka_unit_test(test_writes),        cmocka_unit_test(test_bind_errors),
        cmocka_unit_test(test_deep_nesting), cmocka_unit_test(test_plan_currency), cmocka_unit_test(test_folds_params),
        cmocka_unit_test(test_explain),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
