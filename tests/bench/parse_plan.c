/*
 * parse_plan — what a statement costs before it runs, for typical OLTP
 * statements: tree-sitter's parse, the binder and planner, and the plan
 * cache's hit (normalising the text, looking it up, converting its
 * literals to the parameters' types), in microseconds per statement.
 * In-process, over storage with the tables the statements use; no server.
 * Usage: parse_plan [ITERATIONS]   (default 20000)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "planner/planner.h"

static const char *const SETUP[] = {
    "CREATE TABLE accounts (aid int PRIMARY KEY, bid int, abalance int, filler text)",
    "CREATE TABLE branches (bid int PRIMARY KEY, bbalance int, filler text)",
    "CREATE TABLE messages (id int8 PRIMARY KEY, room int, sender text, sent timestamptz, body text)",
    "CREATE INDEX messages_room ON messages (room, sent)",
};

static const char *const STATEMENTS[] = {
    "SELECT abalance FROM accounts WHERE aid = 48213",
    "UPDATE accounts SET abalance = abalance + -2341 WHERE aid = 48213",
    "INSERT INTO messages VALUES (1200334, 7, 'alice', '2026-11-29 10:00:00+00', 'hello there')",
    "SELECT id, sender, body FROM messages WHERE room = 7 ORDER BY sent DESC LIMIT 50",
    "SELECT a.aid, b.bbalance FROM accounts a JOIN branches b ON a.bid = b.bid WHERE a.aid = 17",
    "SELECT room, count(*), max(sent) FROM messages WHERE sender = 'bob' GROUP BY room ORDER BY 2 DESC",
    "DELETE FROM messages WHERE id = 99",
};

static double now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static void die(const char *what, const Error *err) {
    fprintf(stderr, "parse_plan: %s: %s\n", what, err->message);
    exit(1);
}

static Txn *begin(Storage *st) {
    Txn *t = storage_txn_begin(st, ISO_READ_COMMITTED);
    storage_txn_statement_begin(t);
    return t;
}

static void setup(Storage *st, SqlParser *parser, Arena *arena) {
    for (size_t i = 0; i < sizeof SETUP / sizeof *SETUP; i++) {
        StmtList list;
        Error err = {0};
        Plan *plan;
        ExecResult res;
        Txn *t = begin(st);
        if (!sql_parse(parser, SETUP[i], strlen(SETUP[i]), arena, &list, &err) ||
            !planner_bind(st, t, list.items[0], SETUP[i], NULL, arena, &plan, &err) ||
            planner_execute(plan, st, t, NULL, arena, NULL, &res, &err) != STORAGE_OK ||
            !storage_txn_commit(t, NULL, &err))
            die(SETUP[i], &err);
        arena_reset(arena);
    }
}

/* Microseconds per parse, per bind (with literals, as a simple Query
 * without the cache), and per cache hit. */
static void measure(Storage *st, SqlParser *parser, const char *sql, int iterations) {
    Arena *arena = arena_create(0);
    size_t len = strlen(sql);
    StmtList list;
    Error err = {0};
    double t0 = now_us();
    for (int i = 0; i < iterations; i++) {
        arena_reset(arena);
        if (!sql_parse(parser, sql, len, arena, &list, &err)) die(sql, &err);
    }
    double parse = (now_us() - t0) / iterations;

    Txn *t = begin(st);
    Plan *plan;
    t0 = now_us();
    Arena *plan_arena = arena_create(0);
    for (int i = 0; i < iterations; i++) {
        arena_reset(plan_arena);
        if (!planner_bind(st, t, list.items[0], sql, NULL, plan_arena, &plan, &err)) die(sql, &err);
    }
    double bind = (now_us() - t0) / iterations;

    /* the cache's hit: normalise, look up, convert the literals */
    char text[4096];
    SqlNormalized norm;
    if (!sql_normalize(sql, len, text, sizeof text, &norm)) die(sql, &(Error){.message = "not normalised"});
    StmtList nlist;
    Arena *entry = arena_create(0);
    char *kept = arena_strndup(entry, text, norm.len);
    if (!sql_parse(parser, kept, norm.len, entry, &nlist, &err)) die(kept, &err);
    TypeId types[SQL_NORMALIZE_MAX_LITERALS];
    for (int i = 0; i < norm.n; i++)
        types[i] = norm.lits[i].kind == SQL_LITERAL_INT4      ? TYPE_INT4
                   : norm.lits[i].kind == SQL_LITERAL_INT8    ? TYPE_INT8
                   : norm.lits[i].kind == SQL_LITERAL_NUMERIC ? TYPE_NUMERIC
                                                              : TYPE_INVALID;
    ParamTypes params = {types, norm.n, norm.n};
    if (!planner_bind(st, t, nlist.items[0], kept, &params, entry, &plan, &err)) die(kept, &err);
    StrMap cache;
    strmap_init(&cache);
    strmap_put(&cache, kept, plan);
    Value values[SQL_NORMALIZE_MAX_LITERALS];
    t0 = now_us();
    for (int i = 0; i < iterations; i++) {
        arena_reset(arena);
        if (!sql_normalize(sql, len, text, sizeof text, &norm) || strmap_get(&cache, text) != plan) abort();
        for (int k = 0; k < norm.n; k++) {
            size_t n;
            const char *v = sql_literal_value(sql, &norm.lits[k], arena, &n);
            if (!value_from_text(params.types[k], v, n, arena, &values[k], &err)) die(sql, &err);
        }
    }
    double hit = (now_us() - t0) / iterations;
    storage_txn_abort(t);
    printf("parse_plan  parse %6.2f us   bind+plan %6.2f us   cache hit %5.2f us   (%.0fx)   %.60s\n", parse, bind, hit,
           (parse + bind) / hit, sql);
    strmap_deinit(&cache);
    arena_destroy(entry);
    arena_destroy(plan_arena);
    arena_destroy(arena);
}

int main(int argc, char **argv) {
    int iterations = argc > 1 ? atoi(argv[1]) : 20000;
    if (iterations < 1) iterations = 1;
    Storage *st = storage_create();
    SqlParser *parser = sql_parser_create();
    Arena *arena = arena_create(0);
    setup(st, parser, arena);
    printf("parse_plan: %d iterations per statement, microseconds per statement\n", iterations);
    for (size_t i = 0; i < sizeof STATEMENTS / sizeof *STATEMENTS; i++) measure(st, parser, STATEMENTS[i], iterations);
    arena_destroy(arena);
    sql_parser_destroy(parser);
    storage_destroy(st);
    return 0;
}
