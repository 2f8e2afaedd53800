/*
 * test_planner_fuzz.c — token soup through the parser, binder and executor:
 * every input must end in a result or in an error with a SQLSTATE and a
 * message, never in a crash, a leak (ASan) or undefined behaviour (UBSan).
 * Deterministic: a fixed seed and a fixed number of inputs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "planner/planner.h"

#ifndef FUZZ_COUNT
#define FUZZ_COUNT 20000
#endif

static const char *const TOKENS[] = {
    "SELECT",
    "FROM",
    "WHERE",
    "INSERT",
    "INTO",
    "VALUES",
    "UPDATE",
    "SET",
    "DELETE",
    "CREATE",
    "TABLE",
    "DROP",
    "IF",
    "EXISTS",
    "NOT",
    "NULL",
    "PRIMARY",
    "KEY",
    "ORDER",
    "BY",
    "LIMIT",
    "OFFSET",
    "ASC",
    "DESC",
    "NULLS",
    "FIRST",
    "LAST",
    "AND",
    "OR",
    "IS",
    "TRUE",
    "FALSE",
    "RETURNING",
    "DEFAULT",
    "CAST",
    "AS",
    "int",
    "int8",
    "int2",
    "text",
    "varchar(3)",
    "float8",
    "bool",
    "numeric",
    "(",
    ")",
    ",",
    ";",
    "*",
    "+",
    "-",
    "/",
    "%",
    "=",
    "<>",
    "<",
    "<=",
    ">",
    ">=",
    "||",
    "::",
    ".",
    "$1",
    "0",
    "1",
    "-1",
    "2147483647",
    "9223372036854775807",
    "99999999999999999999",
    "1.5",
    "1e308",
    "'a'",
    "''",
    "'1'",
    "'x''y'",
    "E'\\n'",
    "t",
    "id",
    "v",
    "f",
    "x",
    "\"Id\"",
    "count(*)",
    "t.id",
    "t.*",
    "--c\n",
    "/* c */",
    "é",
    "\\",
    "'",
    "\"",
    "$",
    "ê'",
};

static uint64_t rng = 0x9e3779b97f4a7c15ULL;
static uint32_t next_random(void) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)rng;
}

static bool discard(void *ctx, const Value *values, int ncols, Error *err) { return true; }

/* planner-fuzz-1: 20000 random token strings, each in its own transaction,
 * against a table t (id int PRIMARY KEY, v text, f float8). */
static void test_token_soup(void **state) {
    Storage *storage = storage_create();
    SqlParser *parser = sql_parser_create();
    Arena *arena = arena_create(0);
    const char *setup = "CREATE TABLE t (id int PRIMARY KEY, v text, f float8)";
    int ok = 0, failed = 0;
    for (int i = -1; i < FUZZ_COUNT; i++) {
        char sql[512];
        size_t len = 0;
        if (i < 0) {
            len = (size_t)snprintf(sql, sizeof sql, "%s", setup);
        } else {
            int n = 1 + (int)(next_random() % 14);
            for (int k = 0; k < n && len < sizeof sql - 64; k++)
                len += (size_t)snprintf(sql + len, sizeof sql - len, "%s ", TOKENS[next_random() % ARRAY_LEN(TOKENS)]);
        }
        arena_reset(arena);
        StmtList list;
        Error err = {0};
        bool good = sql_parse(parser, sql, len, arena, &list, &err);
        for (int s = 0; good && s < list.n; s++) {
            Txn *t = storage_txn_begin(storage, ISO_READ_COMMITTED);
            storage_txn_statement_begin(t);
            Plan *plan;
            ExecResult res;
            RowSink sink = {discard, NULL, NULL, NULL, NULL};
            ParamTypes params = {0};
            good = planner_bind(storage, t, list.items[s], sql, &params, arena, &plan, &err);
            Value *values = arena_zalloc(arena, (size_t)(params.n + 1) * sizeof *values);
            for (int p = 0; p < params.n; p++) values[p] = value_null(params.types[p]);
            if (good) good = planner_execute(plan, storage, t, values, arena, &sink, &res, &err) == STORAGE_OK;
            if (good)
                good = storage_txn_commit(t, NULL, &err);
            else
                storage_txn_abort(t);
        }
        if (good) {
            ok++;
            continue;
        }
        failed++;
        assert_int_equal(strlen(err.sqlstate), 5);
        assert_true(err.message[0] != '\0');
    }
    assert_true(ok > 0);
    assert_true(failed > 0);
    sql_parser_destroy(parser);
    arena_destroy(arena);
    storage_destroy(storage);
}

int main(void) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_token_soup)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
