/*
 * test_sql.c — unit tests of sql/: every statement kind lowered to the AST,
 * operator precedence (checked through a fully parenthesized rendering),
 * names, literals, parameters, several statements in one string, and
 * syntax errors with the messages and positions PostgreSQL 15 gives (each
 * expected value below was taken from a real PostgreSQL 15 server).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sql/sql.h"

typedef struct Fixture {
    SqlParser *parser;
    Arena *arena;
    StmtList list;
    Error err;
} Fixture;

static int setup(void **state) {
    Fixture *f = calloc(1, sizeof *f);
    f->parser = sql_parser_create();
    f->arena = arena_create(4096);
    *state = f;
    return 0;
}

static int teardown(void **state) {
    Fixture *f = *state;
    arena_destroy(f->arena);
    sql_parser_destroy(f->parser);
    free(f);
    return 0;
}

static bool parse(Fixture *f, const char *text) {
    arena_reset(f->arena);
    memset(&f->err, 0, sizeof f->err);
    return sql_parse(f->parser, text, strlen(text), f->arena, &f->list, &f->err);
}

/* Parses one statement that must succeed. */
static Stmt *one(Fixture *f, const char *text) {
    bool ok = parse(f, text);
    if (!ok) print_error("unexpected error for <%s>: %s\n", text, f->err.message);
    assert_true(ok);
    assert_int_equal(f->list.n, 1);
    return f->list.items[0];
}

/* Checks the error of a statement that must fail. */
static void fails(Fixture *f, const char *text, const char *sqlstate, int position, const char *message) {
    bool ok = parse(f, text);
    if (ok) print_error("unexpected success for <%s>\n", text);
    assert_false(ok);
    assert_string_equal(f->err.sqlstate, sqlstate);
    assert_string_equal(f->err.message, message);
    assert_int_equal(f->err.position, position);
}

/* ---- a fully parenthesized rendering of expressions ---------------------- */

static void render(const Expr *e, char *buf, size_t cap);

static void append(char *buf, size_t cap, const char *fmt, ...) {
    size_t n = strlen(buf);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + n, cap - n, fmt, ap);
    va_end(ap);
}

static void render_type(const SqlTypeName *t, char *buf, size_t cap) {
    append(buf, cap, "%s", t->name);
    for (int i = 0; i < t->ntypmods; i++) append(buf, cap, "%s%d", i ? "," : "(", t->typmods[i]);
    if (t->ntypmods) append(buf, cap, ")");
    if (t->array) append(buf, cap, "[]");
}

static void render(const Expr *e, char *buf, size_t cap) {
    switch (e->kind) {
    case EXPR_INTEGER: append(buf, cap, "%s", e->u.text); break;
    case EXPR_DECIMAL: append(buf, cap, "dec:%s", e->u.text); break;
    case EXPR_STRING: append(buf, cap, "'%s'", e->u.text); break;
    case EXPR_BOOL: append(buf, cap, e->u.bval ? "true" : "false"); break;
    case EXPR_NULL: append(buf, cap, "null"); break;
    case EXPR_DEFAULT: append(buf, cap, "default"); break;
    case EXPR_PARAM: append(buf, cap, "$%d", e->u.param); break;
    case EXPR_COLUMN:
        if (e->u.column.table) append(buf, cap, "%s.", e->u.column.table);
        append(buf, cap, "%s", e->u.column.name);
        break;
    case EXPR_STAR:
        if (e->u.column.table) append(buf, cap, "%s.", e->u.column.table);
        append(buf, cap, "*");
        break;
    case EXPR_UNARY:
        append(buf, cap, "(%s ", sql_op_name(e->u.unary.op));
        render(e->u.unary.arg, buf, cap);
        append(buf, cap, ")");
        break;
    case EXPR_BINARY:
        append(buf, cap, "(");
        render(e->u.binary.left, buf, cap);
        append(buf, cap, " %s ", sql_op_name(e->u.binary.op));
        render(e->u.binary.right, buf, cap);
        append(buf, cap, ")");
        break;
    case EXPR_IS_NULL:
        append(buf, cap, "(");
        render(e->u.isnull.arg, buf, cap);
        append(buf, cap, e->u.isnull.negated ? " IS NOT NULL)" : " IS NULL)");
        break;
    case EXPR_CAST:
        append(buf, cap, "cast(");
        render(e->u.cast.arg, buf, cap);
        append(buf, cap, " as ");
        render_type(&e->u.cast.type, buf, cap);
        append(buf, cap, ")");
        break;
    case EXPR_FIELD:
        append(buf, cap, "(");
        render(e->u.field.arg, buf, cap);
        append(buf, cap, ").%s", e->u.field.name ? e->u.field.name : "*");
        break;
    case EXPR_COLLATE:
        append(buf, cap, "(");
        render(e->u.collate.arg, buf, cap);
        append(buf, cap, " COLLATE %s%s%s)", e->u.collate.schema ? e->u.collate.schema : "",
               e->u.collate.schema ? "." : "", e->u.collate.name);
        break;
    case EXPR_FUNC:
        append(buf, cap, "%s(%s", e->u.func.name, e->u.func.star ? "*" : "");
        for (int i = 0; i < e->u.func.nargs; i++) {
            if (i) append(buf, cap, ", ");
            render(e->u.func.args[i], buf, cap);
        }
        append(buf, cap, ")");
        break;
    case EXPR_BOUND: append(buf, cap, "<bound>"); break;
    case EXPR_GROUPING: append(buf, cap, "<grouping %d>", (int)e->u.grouping.kind); break;
    case EXPR_ROW:
    case EXPR_ARRAY:
        append(buf, cap, e->kind == EXPR_ROW ? "row(" : "array[");
        for (int i = 0; i < e->u.array.n; i++) {
            if (i) append(buf, cap, ", ");
            render(e->u.array.items[i], buf, cap);
        }
        append(buf, cap, e->kind == EXPR_ROW ? ")" : "]");
        break;
    case EXPR_SUBSCRIPT:
        render(e->u.subscript.value, buf, cap);
        append(buf, cap, "[");
        if (e->u.subscript.index) render(e->u.subscript.index, buf, cap);
        if (e->u.subscript.lower) render(e->u.subscript.lower, buf, cap);
        if (e->u.subscript.slice) append(buf, cap, ":");
        if (e->u.subscript.upper) render(e->u.subscript.upper, buf, cap);
        append(buf, cap, "]");
        break;
    case EXPR_QUANTIFIED:
        append(buf, cap, "(");
        render(e->u.quantified.left, buf, cap);
        append(buf, cap, " %s %s(", sql_op_name(e->u.quantified.op), e->u.quantified.all ? "ALL" : "ANY");
        render(e->u.quantified.right, buf, cap);
        append(buf, cap, "))");
        break;
    case EXPR_CASE:
        append(buf, cap, "case");
        if (e->u.case_.arg) append(buf, cap, " "), render(e->u.case_.arg, buf, cap);
        for (int i = 0; i < e->u.case_.n; i++) {
            append(buf, cap, " when ");
            render(e->u.case_.whens[i], buf, cap);
            append(buf, cap, " then ");
            render(e->u.case_.thens[i], buf, cap);
        }
        if (e->u.case_.else_) append(buf, cap, " else "), render(e->u.case_.else_, buf, cap);
        append(buf, cap, " end");
        break;
    case EXPR_IN:
        append(buf, cap, "(");
        render(e->u.in.left, buf, cap);
        append(buf, cap, e->u.in.negated ? " NOT IN (" : " IN (");
        for (int i = 0; i < e->u.in.n; i++) {
            if (i) append(buf, cap, ", ");
            render(e->u.in.items[i], buf, cap);
        }
        append(buf, cap, "))");
        break;
    case EXPR_DISTINCT:
        append(buf, cap, "(");
        render(e->u.distinct.left, buf, cap);
        append(buf, cap, e->u.distinct.negated ? " IS NOT DISTINCT FROM " : " IS DISTINCT FROM ");
        render(e->u.distinct.right, buf, cap);
        append(buf, cap, ")");
        break;
    case EXPR_SUBLINK:
        append(buf, cap, "(");
        if (e->u.sublink.left) {
            render(e->u.sublink.left, buf, cap);
            append(buf, cap, " %s %s ", sql_op_name(e->u.sublink.op),
                   e->u.sublink.kind == SQL_SUBLINK_ALL ? "ALL" : "ANY");
        }
        append(buf, cap, "%s(subquery))", e->u.sublink.kind == SQL_SUBLINK_EXISTS ? "EXISTS " : "");
        break;
    case EXPR_BOOLTEST:
        append(buf, cap, "(");
        render(e->u.booltest.arg, buf, cap);
        append(buf, cap, " IS %s%s)", e->u.booltest.negated ? "NOT " : "",
               (const char *[]){"TRUE", "FALSE", "UNKNOWN"}[e->u.booltest.test]);
        break;
    }
}

/* The rendering of the first target of `SELECT <expr>`. */
static void expect_expr(Fixture *f, const char *expr, const char *expected) {
    char text[512], buf[1024] = "";
    snprintf(text, sizeof text, "SELECT %s", expr);
    Stmt *s = one(f, text);
    assert_int_equal(s->kind, STMT_SELECT);
    render(s->u.select.targets[0].expr, buf, sizeof buf);
    assert_string_equal(buf, expected);
}

/* ---- statements ------------------------------------------------------------ */

/* sql-select-1 */
static void test_select_full(void **state) {
    Fixture *f = *state;
    Stmt *s = one(f, "SELECT a, T.b AS x, c y, t.*, * FROM Tab AS t WHERE a > 1 "
                     "ORDER BY a DESC NULLS FIRST, b LIMIT 10 OFFSET 5");
    SelectStmt *q = &s->u.select;
    assert_int_equal(s->kind, STMT_SELECT);
    assert_int_equal(q->ntargets, 5);
    assert_string_equal(q->targets[0].expr->u.column.name, "a");
    assert_null(q->targets[0].alias);
    assert_string_equal(q->targets[1].expr->u.column.table, "t");
    assert_string_equal(q->targets[1].alias, "x");
    assert_string_equal(q->targets[2].alias, "y");
    assert_int_equal(q->targets[3].expr->kind, EXPR_STAR);
    assert_string_equal(q->targets[3].expr->u.column.table, "t");
    assert_int_equal(q->targets[4].expr->kind, EXPR_STAR);
    assert_null(q->targets[4].expr->u.column.table);
    assert_int_equal(q->nfrom, 1);
    assert_int_equal(q->from[0]->kind, FROM_TABLE);
    assert_string_equal(q->from[0]->name, "tab");
    assert_string_equal(q->from[0]->alias, "t");
    assert_int_equal(q->from[0]->pos, 37);
    assert_int_equal(q->where->kind, EXPR_BINARY);
    assert_int_equal(q->where->u.binary.op, SQL_OP_GT);
    assert_int_equal(q->norder, 2);
    assert_true(q->order[0].desc);
    assert_int_equal(q->order[0].nulls, 1);
    assert_false(q->order[1].desc);
    assert_int_equal(q->order[1].nulls, 0);
    assert_string_equal(q->limit->u.text, "10");
    assert_string_equal(q->offset->u.text, "5");
}

/* Joins associate to the left; comma-separated items stay a list. */
static void test_select_joins(void **state) {
    Fixture *f = *state;
    SelectStmt *q = &one(f, "SELECT * FROM a JOIN b ON a.x = b.y LEFT OUTER JOIN c AS k (p, q) USING (z), "
                            "d CROSS JOIN e NATURAL RIGHT JOIN (f FULL JOIN g ON true) AS h")
                         ->u.select;
    assert_int_equal(q->nfrom, 2);
    const FromItem *j = q->from[0];
    assert_int_equal(j->kind, FROM_JOIN);
    assert_int_equal(j->join_type, SQL_JOIN_LEFT);
    assert_int_equal(j->nusing, 1);
    assert_string_equal(j->using[0], "z");
    assert_string_equal(j->right->alias, "k");
    assert_int_equal(j->right->ncolumn_aliases, 2);
    assert_string_equal(j->right->column_aliases[1], "q");
    assert_int_equal(j->left->kind, FROM_JOIN);
    assert_int_equal(j->left->join_type, SQL_JOIN_INNER);
    assert_string_equal(j->left->left->name, "a");
    assert_int_equal(j->left->on->kind, EXPR_BINARY);
    j = q->from[1];
    assert_int_equal(j->join_type, SQL_JOIN_RIGHT);
    assert_true(j->natural);
    assert_int_equal(j->left->join_type, SQL_JOIN_CROSS);
    assert_string_equal(j->right->alias, "h");
    assert_int_equal(j->right->join_type, SQL_JOIN_FULL);
    q = &one(f, "SELECT x FROM (SELECT 1 AS x) AS s")->u.select;
    assert_int_equal(q->from[0]->kind, FROM_SUBQUERY);
    assert_int_equal(q->from[0]->subquery->kind, STMT_SELECT);
}

/* sql-select-2: the optional parts */
static void test_select_minimal(void **state) {
    Fixture *f = *state;
    SelectStmt *q = &one(f, "select 1")->u.select;
    assert_int_equal(q->ntargets, 1);
    assert_int_equal(q->nfrom, 0);
    assert_null(q->where);
    assert_null(q->limit);
    q = &one(f, "SELECT * FROM t t2 LIMIT ALL")->u.select;
    assert_string_equal(q->from[0]->alias, "t2");
    assert_null(q->limit);
    q = &one(f, "SELECT FROM t")->u.select; /* PostgreSQL allows no columns */
    assert_int_equal(q->ntargets, 0);
    q = &one(f, "SELECT 1 OFFSET 2 LIMIT 3")->u.select;
    assert_non_null(q->limit);
    assert_non_null(q->offset);
    q = &one(f, "SELECT a FROM t ORDER BY a NULLS LAST")->u.select;
    assert_int_equal(q->order[0].nulls, 2);
}

/* sql-insert-1 */
static void test_insert(void **state) {
    Fixture *f = *state;
    InsertStmt *q = &one(f, "INSERT INTO t (a, \"B\") VALUES (1, 'x'), (DEFAULT, NULL) RETURNING a, b AS bb")->u.insert;
    assert_string_equal(q->table.name, "t");
    assert_int_equal(q->table.pos, 12);
    assert_int_equal(q->ncolumns, 2);
    assert_string_equal(q->columns[0], "a");
    assert_string_equal(q->columns[1], "B");
    assert_int_equal(q->column_pos[1], 18);
    assert_int_equal(q->nrows, 2);
    assert_int_equal(q->row_len[0], 2);
    assert_int_equal(q->rows[0][0]->kind, EXPR_INTEGER);
    assert_string_equal(q->rows[0][1]->u.text, "x");
    assert_int_equal(q->rows[1][0]->kind, EXPR_DEFAULT);
    assert_int_equal(q->rows[1][1]->kind, EXPR_NULL);
    assert_int_equal(q->nreturning, 2);
    assert_string_equal(q->returning[1].alias, "bb");
    assert_false(q->default_values);

    q = &one(f, "insert into t default values")->u.insert;
    assert_true(q->default_values);
    assert_int_equal(q->nrows, 0);
    assert_null(q->columns);

    q = &one(f, "INSERT INTO t VALUES (1)")->u.insert;
    assert_null(q->columns);
    assert_int_equal(q->nrows, 1);
}

/* sql-update-1 */
static void test_update(void **state) {
    Fixture *f = *state;
    UpdateStmt *q = &one(f, "UPDATE t AS x SET a = a + 1, b = DEFAULT WHERE id = $1 RETURNING *")->u.update;
    assert_string_equal(q->table.name, "t");
    assert_string_equal(q->table.alias, "x");
    assert_int_equal(q->nsets, 2);
    assert_string_equal(q->sets[0].column, "a");
    assert_int_equal(q->sets[0].pos, 18);
    assert_int_equal(q->sets[0].value->kind, EXPR_BINARY);
    assert_int_equal(q->sets[1].value->kind, EXPR_DEFAULT);
    assert_int_equal(q->where->u.binary.right->kind, EXPR_PARAM);
    assert_int_equal(q->where->u.binary.right->u.param, 1);
    assert_int_equal(q->nreturning, 1);
    q = &one(f, "UPDATE t y SET a = 1")->u.update;
    assert_string_equal(q->table.alias, "y");
    assert_null(q->where);
}

/* sql-delete-1 */
static void test_delete(void **state) {
    Fixture *f = *state;
    DeleteStmt *q = &one(f, "DELETE FROM t WHERE a IS NULL RETURNING a")->u.del;
    assert_string_equal(q->table.name, "t");
    assert_int_equal(q->where->kind, EXPR_IS_NULL);
    assert_int_equal(q->nreturning, 1);
    q = &one(f, "delete from t")->u.del;
    assert_null(q->where);
    assert_int_equal(q->nreturning, 0);
}

/* sql-create-1 */
static void test_create_table(void **state) {
    Fixture *f = *state;
    CreateTableStmt *q = &one(f, "CREATE TABLE IF NOT EXISTS t (a int PRIMARY KEY, b varchar(10) NOT NULL, "
                                 "c numeric(10,2) NULL, d double precision, e character varying(5), "
                                 "f char, g character(3), h bigint, i smallint, j boolean, k real, "
                                 "l text, m int8, n decimal, o float, p float(10), q \"Foo\")")
                              ->u.create_table;
    static const char *const names[] = {"int4",   "varchar", "numeric", "float8", "varchar", "bpchar",
                                        "bpchar", "int8",    "int2",    "bool",   "float4",  "text",
                                        "int8",   "numeric", "float8",  "float4", "Foo"};
    assert_true(q->if_not_exists);
    assert_string_equal(q->table.name, "t");
    assert_int_equal(q->ncolumns, 17);
    for (int i = 0; i < 17; i++) assert_string_equal(q->columns[i].type.name, names[i]);
    assert_true(q->columns[0].primary_key);
    assert_true(q->columns[1].not_null);
    assert_int_equal(q->columns[1].type.ntypmods, 1);
    assert_int_equal(q->columns[1].type.typmods[0], 10);
    assert_true(q->columns[2].null_ok);
    assert_int_equal(q->columns[2].type.ntypmods, 2);
    assert_int_equal(q->columns[2].type.typmods[1], 2);
    assert_int_equal(q->columns[5].type.ntypmods, 1); /* char is char(1) */
    assert_int_equal(q->columns[5].type.typmods[0], 1);
    assert_int_equal(q->columns[6].type.typmods[0], 3);
    assert_int_equal(q->columns[15].type.ntypmods, 0);
    assert_int_equal(q->npkey, 0);

    q = &one(f, "create table T2 (a int, b int, constraint pk primary key (b, a))")->u.create_table;
    assert_false(q->if_not_exists);
    assert_string_equal(q->table.name, "t2");
    assert_int_equal(q->npkey, 2);
    assert_string_equal(q->pkey[0], "b");
    assert_string_equal(q->pkey[1], "a");
    assert_int_equal(q->pkey_constraint_pos, 31);

    q = &one(f, "CREATE TABLE e ()")->u.create_table;
    assert_int_equal(q->ncolumns, 0);
}

/* sql-drop-1 */
static void test_drop_table(void **state) {
    Fixture *f = *state;
    DropTableStmt *q = &one(f, "DROP TABLE IF EXISTS a, \"B\" CASCADE")->u.drop_table;
    assert_true(q->if_exists);
    assert_true(q->cascade);
    assert_int_equal(q->ntables, 2);
    assert_string_equal(q->tables[0].name, "a");
    assert_string_equal(q->tables[1].name, "B");
    q = &one(f, "drop table a restrict")->u.drop_table;
    assert_false(q->if_exists);
    assert_false(q->cascade);
    assert_int_equal(q->ntables, 1);
}

/* sql-txn-1 */
static void test_transactions(void **state) {
    Fixture *f = *state;
    static const struct {
        const char *text;
        StmtKind kind;
        SqlIsolation iso;
    } cases[] = {
        {"BEGIN", STMT_BEGIN, SQL_ISO_DEFAULT},
        {"begin work", STMT_BEGIN, SQL_ISO_DEFAULT},
        {"BEGIN TRANSACTION ISOLATION LEVEL SERIALIZABLE", STMT_BEGIN, SQL_ISO_SERIALIZABLE},
        {"BEGIN ISOLATION LEVEL REPEATABLE READ", STMT_BEGIN, SQL_ISO_REPEATABLE_READ},
        {"START TRANSACTION ISOLATION LEVEL READ COMMITTED", STMT_BEGIN, SQL_ISO_READ_COMMITTED},
        {"START TRANSACTION ISOLATION LEVEL READ UNCOMMITTED, READ WRITE", STMT_BEGIN, SQL_ISO_READ_UNCOMMITTED},
        {"COMMIT", STMT_COMMIT, SQL_ISO_DEFAULT},
        {"commit transaction", STMT_COMMIT, SQL_ISO_DEFAULT},
        {"END", STMT_COMMIT, SQL_ISO_DEFAULT},
        {"END WORK", STMT_COMMIT, SQL_ISO_DEFAULT},
        {"ROLLBACK", STMT_ROLLBACK, SQL_ISO_DEFAULT},
        {"ROLLBACK WORK", STMT_ROLLBACK, SQL_ISO_DEFAULT},
        {"ABORT", STMT_ROLLBACK, SQL_ISO_DEFAULT},
        {"abort transaction", STMT_ROLLBACK, SQL_ISO_DEFAULT},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        Stmt *s = one(f, cases[i].text);
        assert_int_equal(s->kind, cases[i].kind);
        assert_int_equal(s->u.txn.isolation, cases[i].iso);
    }
    assert_true(one(f, "BEGIN READ ONLY")->u.txn.read_only);
    assert_true(one(f, "COMMIT AND CHAIN")->u.txn.chain);
    assert_false(one(f, "ROLLBACK AND NO CHAIN")->u.txn.chain);
    assert_string_equal(sql_stmt_kind_name(STMT_CREATE_TABLE), "CREATE TABLE");
    assert_string_equal(sql_stmt_kind_name(STMT_ROLLBACK), "ROLLBACK");
}

/* ---- expressions ------------------------------------------------------------- */

/* sql-expr-1: PostgreSQL's precedence */
static void test_precedence(void **state) {
    Fixture *f = *state;
    expect_expr(f, "1 + 2 * 3", "(1 + (2 * 3))");
    expect_expr(f, "1 - 2 - 3", "((1 - 2) - 3)");
    expect_expr(f, "(1 + 2) * 3 % 4", "(((1 + 2) * 3) % 4)");
    expect_expr(f, "a OR b AND c", "(a OR (b AND c))");
    expect_expr(f, "NOT a = b", "(NOT (a = b))");
    expect_expr(f, "NOT a AND b", "((NOT a) AND b)");
    expect_expr(f, "a = b IS NULL", "((a = b) IS NULL)");
    expect_expr(f, "NOT a IS NOT NULL", "(NOT (a IS NOT NULL))");
    expect_expr(f, "a ISNULL", "(a IS NULL)");
    expect_expr(f, "a NOTNULL OR b", "((a IS NOT NULL) OR b)");
    expect_expr(f, "a || b = c", "((a || b) = c)");
    expect_expr(f, "a || b + c", "(a || (b + c))");
    expect_expr(f, "-1 * 2", "((- 1) * 2)");
    expect_expr(f, "-a::int", "(- cast(a as int4))");
    expect_expr(f, "- 2 + +3", "((- 2) + (+ 3))");
    expect_expr(f, "a <> b AND c != d", "((a <> b) AND (c <> d))");
    expect_expr(f, "a < b OR a <= b OR a > b OR a >= b", "((((a < b) OR (a <= b)) OR (a > b)) OR (a >= b))");
    expect_expr(f, "1 + 2 < 3 * 4", "((1 + 2) < (3 * 4))");
    expect_expr(f, "(1 = 2) = true", "((1 = 2) = true)");
    expect_expr(f, "a IS NULL IS NULL", "((a IS NULL) IS NULL)");
    /* arrays: subscripts bind tightest; ANY / ALL compare like = */
    expect_expr(f, "-a[1] + b[2:3][1]", "((- a[1]) + b[2:3][1])");
    expect_expr(f, "x[:2] || ARRAY[1, 2 + 3]::int[]", "(x[:2] || cast(array[1, (2 + 3)] as int4[]))");
    expect_expr(f, "a + 1 = ANY (b) AND c <> ALL ('{1}')", "(((a + 1) = ANY(b)) AND (c <> ALL('{1}')))");
    /* BETWEEN's bounds stop at AND; IN and BETWEEN sit with LIKE, IS DISTINCT FROM with IS */
    expect_expr(f, "a BETWEEN b + 1 AND c AND d", "(((a >= (b + 1)) AND (a <= c)) AND d)");
    expect_expr(f, "a NOT BETWEEN b AND c", "((a < b) OR (a > c))");
    expect_expr(f, "a BETWEEN SYMMETRIC 1 AND 2", "(((a >= 1) AND (a <= 2)) OR ((a >= 2) AND (a <= 1)))");
    expect_expr(f, "a IN (1, b + 2) OR c NOT IN (3)", "((a IN (1, (b + 2))) OR (c NOT IN (3)))");
    expect_expr(f, "a + 1 IN (2) = true", "(((a + 1) IN (2)) = true)");
    expect_expr(f, "position('b' IN 'abc') IN (2)", "(position('abc', 'b') IN (2))");
    expect_expr(f, "a = b IS NOT DISTINCT FROM c", "((a = b) IS NOT DISTINCT FROM c)");
    expect_expr(f, "NOT a IS TRUE AND b IS NOT UNKNOWN", "((NOT (a IS TRUE)) AND (b IS NOT UNKNOWN))");
    expect_expr(f, "CASE WHEN a THEN 1 WHEN b THEN 2 ELSE 3 END + 1",
                "(case when a then 1 when b then 2 else 3 end + 1)");
    expect_expr(f, "CASE a WHEN 1 THEN CASE WHEN b THEN 2 END END", "case a when 1 then case when b then 2 end end");
    /* subqueries: as values, EXISTS, IN and quantified comparisons; ((SELECT 1)) is one */
    expect_expr(f, "(SELECT 1) + 1", "(((subquery)) + 1)");
    expect_expr(f, "((SELECT 1))", "((subquery))");
    expect_expr(f, "NOT EXISTS (SELECT 1) OR a IN (SELECT b)", "((NOT (EXISTS (subquery))) OR (a = ANY (subquery)))");
    expect_expr(f, "a NOT IN (SELECT b UNION SELECT c)", "(NOT (a = ANY (subquery)))");
    expect_expr(f, "a < ALL (SELECT b) AND a = ANY ((SELECT b))", "((a < ALL (subquery)) AND (a = ANY (subquery)))");
}

/* sql-expr-2 */
static void test_casts_and_functions(void **state) {
    Fixture *f = *state;
    expect_expr(f, "CAST(x AS varchar(3))", "cast(x as varchar(3))");
    expect_expr(f, "'1'::integer::text", "cast(cast('1' as int4) as text)");
    expect_expr(f, "x::double precision", "cast(x as float8)");
    expect_expr(f, "x::numeric(5, -2)", "cast(x as numeric(5,-2))");
    expect_expr(f, "count(*)", "count(*)");
    expect_expr(f, "Upper(a || 'x')", "upper((a || 'x'))");
    expect_expr(f, "now()", "now()");
    expect_expr(f, "coalesce(a, b, 1)", "coalesce(a, b, 1)");
    expect_expr(f, "left(a, 2)", "left(a, 2)");
    Stmt *s = one(f, "SELECT a::int4, CAST(b AS bpchar)");
    assert_int_equal(s->u.select.targets[0].expr->pos, 8); /* the :: */
    assert_int_equal(s->u.select.targets[0].expr->u.cast.type.pos, 10);
    assert_int_equal(s->u.select.targets[1].expr->pos, 16);
    assert_int_equal(s->u.select.targets[1].expr->u.cast.type.ntypmods, 0);
}

/* sql-expr-3 */
static void test_literals(void **state) {
    Fixture *f = *state;
    expect_expr(f, "12345678901234567890", "12345678901234567890");
    expect_expr(f, "1.5", "dec:1.5");
    expect_expr(f, ".5", "dec:.5");
    expect_expr(f, "1e3", "dec:1e3");
    expect_expr(f, "2.5E-3", "dec:2.5E-3");
    expect_expr(f, "1.", "dec:1.");
    expect_expr(f, "'it''s'", "'it's'");
    expect_expr(f, "''", "''");
    expect_expr(f, "'a\\nb'", "'a\\nb'"); /* standard strings keep backslashes */
    expect_expr(f, "TRUE AND false", "(true AND false)");
    expect_expr(f, "NULL", "null");
    expect_expr(f, "$12", "$12");
    expect_expr(f, "E'a\\x41\\101\\u00e9\\'\\\\q\\z'", "'aAAé'\\qz'");
    Stmt *s = one(f, "SELECT E'\\n\\t\\r\\b\\f'");
    assert_string_equal(s->u.select.targets[0].expr->u.text, "\n\t\r\b\f");
    s = one(f, "SELECT e'x''y', 'é', 42");
    assert_string_equal(s->u.select.targets[0].expr->u.text, "x'y");
    assert_int_equal(s->u.select.targets[1].expr->pos, 16);
    assert_int_equal(s->u.select.targets[2].expr->pos, 22);
}

/* Dollar quoting (PostgreSQL 4.1.2.4): the body as written, tags that must
 * match, $n still a parameter. */
static void test_dollar_quotes(void **state) {
    Fixture *f = *state;
    expect_expr(f, "$$it's$$", "'it's'");
    expect_expr(f, "$$$$", "''");
    expect_expr(f, "$a$x$$y$b$z$a$", "'x$$y$b$z'");
    expect_expr(f, "$_1$ \\n $_1$", "' \\n '");
    expect_expr(f, "$1 + $$2$$", "($1 + '2')");
    Stmt *s = one(f, "SELECT $q$a;b$q$, 1");
    assert_string_equal(s->u.select.targets[0].expr->u.text, "a;b");
    assert_int_equal(s->u.select.ntargets, 2);
    fails(f, "SELECT $$abc", "42601", 8, "unterminated dollar-quoted string at or near \"$$abc\"");
    fails(f, "SELECT $x$abc$y$", "42601", 8, "unterminated dollar-quoted string at or near \"$x$abc$y$\"");
}

static void test_procedures(void **state) {
    Fixture *f = *state;
    Stmt *s = one(f, "CREATE OR REPLACE PROCEDURE p(a int, OUT b text, INOUT int8 DEFAULT 3) LANGUAGE c AS $x$\n"
                     "void p(void) {}$x$");
    assert_int_equal(s->kind, STMT_CREATE_PROCEDURE);
    const CreateProcedureStmt *c = &s->u.create_proc;
    assert_true(c->or_replace);
    assert_false(c->module);
    assert_string_equal(c->name, "p");
    assert_int_equal(c->nparams, 3);
    assert_string_equal(c->params[0].name, "a");
    assert_string_equal(c->params[0].type.name, "int4");
    assert_int_equal(c->params[1].mode, SQL_PARAM_OUT);
    assert_string_equal(c->params[1].type.name, "text");
    assert_null(c->params[2].name);
    assert_int_equal(c->params[2].mode, SQL_PARAM_INOUT);
    assert_string_equal(c->params[2].type.name, "int8");
    assert_non_null(c->params[2].dflt);
    assert_string_equal(c->language, "c");
    assert_string_equal(c->body, "\nvoid p(void) {}");
    assert_int_equal(c->body_pos, 88);
    s = one(f, "CREATE MODULE chat AS 'int x;' LANGUAGE C");
    assert_true(s->u.create_proc.module);
    assert_string_equal(s->u.create_proc.body, "int x;");
    assert_string_equal(s->u.create_proc.language, "c");
    s = one(f, "DROP PROCEDURE IF EXISTS p(int, text), q, r()");
    assert_int_equal(s->kind, STMT_DROP_PROCEDURE);
    assert_true(s->u.drop_proc.if_exists);
    assert_int_equal(s->u.drop_proc.nprocs, 3);
    assert_int_equal(s->u.drop_proc.procs[0].nparams, 2);
    assert_false(s->u.drop_proc.procs[1].has_args);
    assert_true(s->u.drop_proc.procs[2].has_args);
    assert_int_equal(s->u.drop_proc.procs[2].nparams, 0);
    s = one(f, "DROP MODULE chat");
    assert_true(s->u.drop_proc.module);
    s = one(f, "CALL send_message('hi', $1, 2 + 3)");
    assert_int_equal(s->kind, STMT_CALL);
    assert_string_equal(s->u.call.name, "send_message");
    assert_int_equal(s->u.call.nargs, 3);
    s = one(f, "CALL tick()");
    assert_int_equal(s->u.call.nargs, 0);
    fails(f, "CREATE PROCEDURE p() LANGUAGE c LANGUAGE c AS ''", "42601", 33, "conflicting or redundant options");
}

/* sql-names-1: case folding and quoting */
static void test_names(void **state) {
    Fixture *f = *state;
    expect_expr(f, "MyCol", "mycol");
    expect_expr(f, "\"MyCol\"", "MyCol");
    expect_expr(f, "\"a\"\"b\"", "a\"b");
    expect_expr(f, "\"select\"", "select");
    expect_expr(f, "Tab.\"Col\"", "tab.Col");
    expect_expr(f, "t.select", "t.select"); /* after a dot any keyword is a name */
    expect_expr(f, "é", "é");
    expect_expr(f, "level + nulls + first", "((level + nulls) + first)"); /* unreserved keywords */
    Stmt *s = one(f, "SELECT 1 AS \"Hello World\", 2 AS from, 3 select");
    assert_string_equal(s->u.select.targets[0].alias, "Hello World");
    assert_string_equal(s->u.select.targets[1].alias, "from");
    assert_string_equal(s->u.select.targets[2].alias, "select");
    s = one(f, "SELECT aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    assert_int_equal(strlen(s->u.select.targets[0].expr->u.column.name), 63);
}

/* sql-pos-1: positions are byte offsets */
static void test_positions(void **state) {
    Fixture *f = *state;
    Stmt *s = one(f, "SELECT a + b, -c, f(x), t.y FROM t WHERE z IS NULL");
    ResTarget *t = s->u.select.targets;
    assert_int_equal(t[0].expr->pos, 9);
    assert_int_equal(t[0].expr->u.binary.left->pos, 7);
    assert_int_equal(t[1].expr->pos, 14);
    assert_int_equal(t[2].expr->pos, 18);
    assert_int_equal(t[3].expr->pos, 24);
    assert_int_equal(s->u.select.where->pos, 43);
}

/* ---- strings of statements ---------------------------------------------------- */

/* sql-multi-1 */
static void test_multiple_statements(void **state) {
    Fixture *f = *state;
    const char *text = "BEGIN; INSERT INTO t VALUES (1);;\n SELECT 1 -- done\n; COMMIT;";
    assert_true(parse(f, text));
    assert_int_equal(f->list.n, 4);
    assert_int_equal(f->list.items[0]->kind, STMT_BEGIN);
    assert_int_equal(f->list.items[1]->kind, STMT_INSERT);
    assert_int_equal(f->list.items[2]->kind, STMT_SELECT);
    assert_int_equal(f->list.items[3]->kind, STMT_COMMIT);
    assert_int_equal(f->list.items[1]->start, 7);
    assert_int_equal(f->list.items[1]->end, 31);
    assert_int_equal(f->list.items[2]->start, 35);
    assert_int_equal(f->list.items[2]->end, 43);
    assert_true(parse(f, "SELECT /* a comment */ 1 /* another */ + 2"));
    assert_int_equal(f->list.n, 1);
    assert_int_equal(f->list.items[0]->u.select.targets[0].expr->kind, EXPR_BINARY);
    assert_true(parse(f, "INSERT INTO t VALUES (1, /* x */ 2)"));
    assert_int_equal(f->list.items[0]->u.insert.row_len[0], 2);
}

/* sql-multi-2 */
static void test_empty(void **state) {
    Fixture *f = *state;
    static const char *const empties[] = {"", "   ", ";", ";;  ;", "-- only a comment", "/* c */ ;\n"};
    for (size_t i = 0; i < ARRAY_LEN(empties); i++) {
        assert_true(parse(f, empties[i]));
        assert_int_equal(f->list.n, 0);
    }
}

/* ---- errors --------------------------------------------------------------------- */

/* sql-error-1: syntax errors point where PostgreSQL 15 points */
static void test_syntax_errors(void **state) {
    Fixture *f = *state;
    static const struct {
        const char *text;
        int pos;
        const char *msg;
    } cases[] = {
        {"SELEC 1", 1, "syntax error at or near \"SELEC\""},
        {"SELECT 1 +;", 11, "syntax error at or near \";\""},
        {"SELECT 1 +  ", 13, "syntax error at end of input"},
        {"SELECT 1 + -- hi", 17, "syntax error at end of input"},
        {"CREATE TABLE (", 14, "syntax error at or near \"(\""},
        {"INSERT INTO t VALUES (1,", 25, "syntax error at end of input"},
        {"SELECT a b c FROM t", 12, "syntax error at or near \"c\""},
        {"SELECT 1 = 2 = 3", 14, "syntax error at or near \"=\""},
        {"SELECT 'a' 'b'", 12, "syntax error at or near \"'b'\""},
        {"SELECT 'é' +", 13, "syntax error at end of input"},
        {"SELECT (1))", 11, "syntax error at or near \")\""},
        {"SELECT 1 2", 10, "syntax error at or near \"2\""},
        {"INSERT INTO t (a b) VALUES (1)", 18, "syntax error at or near \"b\""},
        {"CREATE TABLE t (a int,)", 23, "syntax error at or near \")\""},
        {"SELECT 1 FROM select", 15, "syntax error at or near \"select\""},
        {"CREATE TABLE select (a int)", 14, "syntax error at or near \"select\""},
        {"CREATE TABLE t (a int, from int)", 24, "syntax error at or near \"from\""},
        {"SELECT left FROM t", 13, "syntax error at or near \"FROM\""},
        {"SELECT a FROM t WHERE a = = 1", 27, "syntax error at or near \"=\""},
        {"UPDATE t SET select = 1", 14, "syntax error at or near \"select\""},
        {"SELECT 1; SELEC 2", 11, "syntax error at or near \"SELEC\""},
        {"SELECT 1 SELECT 2", 17, "syntax error at or near \"2\""},
        {"DROP TABLE", 11, "syntax error at end of input"},
        {"SELECT a FROM t ORDER BY a NULLS LIMIT 1", 28, "syntax error at or near \"NULLS\""},
        {"SELECT 1 /* c */ +", 19, "syntax error at end of input"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++)
        fails(f, cases[i].text, SQLSTATE_SYNTAX_ERROR, cases[i].pos, cases[i].msg);
}

/* sql-error-2: the lexer's errors */
static void test_lexical_errors(void **state) {
    Fixture *f = *state;
    fails(f, "SELECT 'abc", "42601", 8, "unterminated quoted string at or near \"'abc\"");
    fails(f, "SELECT E'abc", "42601", 8, "unterminated quoted string at or near \"E'abc\"");
    fails(f, "SELECT \"abc", "42601", 8, "unterminated quoted identifier at or near \"\"abc\"");
    fails(f, "SELECT \"\"", "42601", 8, "zero-length delimited identifier at or near \"\"\"\"");
    fails(f, "SELECT /* abc", "42601", 8, "unterminated /* comment at or near \"/* abc\"");
    fails(f, "SELECT 123abc", "42601", 8, "trailing junk after numeric literal at or near \"123abc\"");
    fails(f, "SELECT 1.5abc", "42601", 8, "trailing junk after numeric literal at or near \"1.5abc\"");
    fails(f, "SELECT $1abc", "42601", 8, "trailing junk after parameter at or near \"$1abc\"");
    /* the grammar fails first: PostgreSQL never lexes the string */
    fails(f, "SELEC 'abc", "42601", 1, "syntax error at or near \"SELEC\"");
}

/* sql-error-3: errors after the grammar */
static void test_semantic_errors(void **state) {
    Fixture *f = *state;
    fails(f, "CREATE TABLE t (a int PRIMARY KEY, b int, PRIMARY KEY (b))", "42P16", 43,
          "multiple primary keys for table \"t\" are not allowed");
    fails(f, "SELECT x::float(60)", "22023", 17, "precision for type float must be less than 54 bits");
    /* an error leaves no statements behind */
    assert_false(parse(f, "SELECT 1; SELECT 1 +"));
    assert_int_equal(f->list.n, 0);
}

/* ---- normalising for the plan cache ---------------------------------------- */

static void normalizes(const char *text, const char *want) {
    char out[512];
    SqlNormalized n;
    bool ok = sql_normalize(text, strlen(text), out, sizeof out, &n);
    if (!ok) print_error("not normalised: <%s>\n", text);
    assert_true(ok);
    assert_string_equal(out, want);
    assert_int_equal(n.len, strlen(want));
}

static void refused(const char *text) {
    char out[512];
    SqlNormalized n;
    bool ok = sql_normalize(text, strlen(text), out, sizeof out, &n);
    if (ok) print_error("normalised: <%s> as <%s>\n", text, out);
    assert_false(ok);
}

static void test_normalize(void **state) {
    (void)state;
    normalizes("SELECT v FROM kv WHERE id = 42", "select v from kv where id = $1");
    normalizes("select 'it''s', -1.5e3, 2147483648, x from T where \"Name\" = 'a';",
               "select $1, $2, $3, x from t where \"Name\" = $4;");
    normalizes("select x-1, (-2), 3 - -4, a[-5], - 6 where y = -7",
               "select x-$1, ($2), $3 - $4, a[$5], - $6 where y = $7");
    normalizes("select '5'::interval minute, cast('1' as int), '{}'::jsonb - 0",
               "select '5'::interval minute, cast('1' as int), '{}'::jsonb - $1");
    normalizes("insert into t values (1, 'a', 2.5), (2, 'b', null)",
               "insert into t values ($1, $2, $3), ($4, $5, null)");
    normalizes("select x + 1, 'a' from t group by x + 1, 'a', 1.0, '1'",
               "select x + $1, $2 from t group by x + $1, $3, 1.0, $4");
    /* ordinals and type modifiers stay */
    normalizes("select a, b from t order by 2 desc, 1 limit 10", "select a, b from t order by 2 desc, 1 limit $1");
    normalizes("select a from t group by 1 having count(*) > 2 order by a + 1",
               "select a from t group by 1 having count(*) > $1 order by a + $2");
    normalizes("select distinct on (1) a from t", "select distinct on (1) a from t");
    normalizes("select x::varchar(10), y::numeric(10, 2), round(z, 2) from t",
               "select x::varchar(10), y::numeric(10, 2), round(z, $1) from t");
    normalizes("select (select a from u order by 1) from t order by 1",
               "select (select a from u order by 1) from t order by 1");
    /* typed literals and special strings stay */
    normalizes("select date '2020-01-01', interval '1' day, now() at time zone 'UTC'",
               "select date '2020-01-01', interval '1' day, now() at time zone 'UTC'");
    normalizes("select E'a\\n', B'101', X'1F', U&'d\\0061', $$x$$ where a like 'p%'",
               "select E'a\\n', b'101', x'1F', u&'d\\0061', $$x$$ where a like $1");
    normalizes("select 1 -- comment 'x'\n/* 2 */ + 3", "select $1 -- comment 'x'\n/* 2 */ + $2");
    refused("select 1; select 2");
    refused("select $1");
    refused("select 'abc");
    refused("select 'abc''");
    refused("select 'a'\n'b'");
    refused("select 123abc");
    refused("select (1");
    refused("(select 1)");

    const char *text = "select 'it''s', 'plain', 12";
    char out[64];
    SqlNormalized n;
    assert_true(sql_normalize(text, strlen(text), out, sizeof out, &n));
    assert_int_equal(n.n, 3);
    Arena a;
    arena_init(&a, 256);
    size_t len;
    const char *v = sql_literal_value(text, &n.lits[0], &a, &len);
    assert_int_equal(len, 4);
    assert_memory_equal(v, "it's", 4);
    v = sql_literal_value(text, &n.lits[1], &a, &len);
    assert_memory_equal(v, "plain", len);
    assert_int_equal(n.lits[2].kind, SQL_LITERAL_INT4);
    SqlNormalized m;
    assert_true(sql_normalize("select -2147483648, 2147483648, -9223372036854775809", 52, out, sizeof out, &m));
    assert_int_equal(m.lits[0].kind, SQL_LITERAL_INT4);
    assert_int_equal(m.lits[1].kind, SQL_LITERAL_INT8);
    assert_int_equal(m.lits[2].kind, SQL_LITERAL_NUMERIC);
    v = sql_literal_value(text, &n.lits[2], &a, &len);
    assert_memory_equal(v, "12", len);
    arena_deinit(&a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_select_full, setup, teardown),
        cmocka_unit_test_setup_teardown(test_select_joins, setup, teardown),
        cmocka_unit_test_setup_teardown(test_select_minimal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_insert, setup, teardown),
        cmocka_unit_test_setup_teardown(test_update, setup, teardown),
        cmocka_unit_test_setup_teardown(test_delete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_create_table, setup, teardown),
        cmocka_unit_test_setup_teardown(test_drop_table, setup, teardown),
        cmocka_unit_test_setup_teardown(test_transactions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_precedence, setup, teardown),
        cmocka_unit_test_setup_teardown(test_casts_and_functions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_literals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_positions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_multiple_statements, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty, setup, teardown),
        cmocka_unit_test_setup_teardown(test_syntax_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lexical_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dollar_quotes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_procedures, setup, teardown),
        cmocka_unit_test_setup_teardown(test_semantic_errors, setup, teardown),
        cmocka_unit_test(test_normalize),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
