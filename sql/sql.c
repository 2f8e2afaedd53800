/*
 * sql.c — the front door of sql/: the parser object (one per session,
 * wrapping a TSParser), sql_parse, and the names of operators and statement
 * kinds.
 *
 * sql_parse parses the whole string with tree-sitter, then decides which
 * error, if any, PostgreSQL would have raised first: a lexical error
 * (unterminated string, trailing junk), a syntax error (found by syntax.c,
 * since tree-sitter's ERROR nodes do not point at PostgreSQL's token), or a
 * reserved word used as a name. Only a clean tree is lowered (lower.c).
 *
 * It deliberately does not cache trees or plans: that is the planner's plan
 * cache, keyed by normalised text.
 *
 * INTERFACE
 *   sql_parser_create, sql_parser_destroy
 *   sql_parse
 *   sql_op_name, sql_stmt_kind_name, sql_stmt_is_session_control
 */
#include <stdlib.h>
#include <string.h>

#include "sql/sql_int.h"

struct SqlParser {
    TSParser *ts;
};

SqlParser *sql_parser_create(void) {
    SqlParser *p = malloc(sizeof *p);
    if (!p) abort(); /* as arena_alloc: no memory, no server */
    p->ts = ts_parser_new();
    ts_parser_set_language(p->ts, tree_sitter_sql());
    return p;
}

void sql_parser_destroy(SqlParser *p) {
    if (!p) return;
    ts_parser_delete(p->ts);
    free(p);
}

/* Keeps in `best` whichever problem PostgreSQL meets first. A lexical error
 * wins a tie: the lexer fails on the token before the grammar sees it. */
static void keep_first(SqlProblem *best, const SqlProblem *p) {
    if (p->found && (!best->found || p->offset < best->offset)) *best = *p;
}

static bool report(const SqlProblem *p, const char *text, size_t len, Error *err) {
    error_set(err, p->sqlstate, "%s", p->message);
    /* At end of input PostgreSQL points just past the last character. */
    err->position = (p->at_end ? utf8_char_count(text, len) : utf8_char_count(text, p->offset)) + 1;
    return false;
}

/* The first problem in a tree with ERROR or MISSING nodes. */
static void find_syntax_error(const char *text, size_t len, TSNode root, SqlProblem *best) {
    SqlProblem syn, reserved;
    sql__first_syntax_error(tree_sitter_sql(), text, len, &syn);
    if (!syn.found) sql__syntax_error_at(text, len, ts_node_start_byte(root), &syn); /* cannot happen */
    keep_first(best, &syn);
    sql__reserved_misuse(root, text, len, best->offset, &reserved);
    keep_first(best, &reserved);
}

bool sql_parse(SqlParser *p, const char *text, size_t len, Arena *arena, StmtList *out, Error *err) {
    SqlProblem best = {0};
    out->items = NULL;
    out->n = 0;
    sql__scan_lexical(text, len, &best);
    TSTree *tree = ts_parser_parse_string(p->ts, NULL, text, (uint32_t)len);
    if (!tree) return error_set(err, SQLSTATE_PROGRAM_LIMIT_EXCEEDED, "statement is too long to parse");
    TSNode root = ts_tree_root_node(tree);
    if (ts_node_has_error(root)) {
        SqlProblem syn = {0};
        find_syntax_error(text, len, root, &syn);
        keep_first(&best, &syn);
    } else {
        SqlProblem reserved;
        sql__reserved_misuse(root, text, len, best.found ? best.offset : (uint32_t)len + 1, &reserved);
        keep_first(&best, &reserved);
    }
    bool ok = !best.found;
    if (best.found)
        report(&best, text, len, err);
    else if (!(ok = sql__lower(root, text, arena, out, err)) && err->position > 0)
        err->position = utf8_char_count(text, (size_t)err->position - 1) + 1;
    ts_tree_delete(tree);
    if (!ok) out->n = 0;
    return ok;
}

const char *sql_op_name(SqlOp op) {
    static const char *const names[] = {
        [SQL_OP_ADD] = "+",  [SQL_OP_SUB] = "-",     [SQL_OP_MUL] = "*",   [SQL_OP_DIV] = "/",   [SQL_OP_MOD] = "%",
        [SQL_OP_EQ] = "=",   [SQL_OP_NE] = "<>",     [SQL_OP_LT] = "<",    [SQL_OP_LE] = "<=",   [SQL_OP_GT] = ">",
        [SQL_OP_GE] = ">=",  [SQL_OP_AND] = "AND",   [SQL_OP_OR] = "OR",   [SQL_OP_NOT] = "NOT", [SQL_OP_NEG] = "-",
        [SQL_OP_PLUS] = "+", [SQL_OP_CONCAT] = "||", [SQL_OP_OTHER] = "?",
    };
    return (unsigned)op < ARRAY_LEN(names) && names[op] ? names[op] : "?";
}

const char *sql_stmt_kind_name(StmtKind k) {
    static const char *const names[] = {
        [STMT_SELECT] = "SELECT",
        [STMT_INSERT] = "INSERT",
        [STMT_UPDATE] = "UPDATE",
        [STMT_DELETE] = "DELETE",
        [STMT_CREATE_TABLE] = "CREATE TABLE",
        [STMT_DROP_TABLE] = "DROP TABLE",
        [STMT_CREATE_INDEX] = "CREATE INDEX",
        [STMT_DROP_INDEX] = "DROP INDEX",
        [STMT_VACUUM] = "VACUUM",
        [STMT_BEGIN] = "BEGIN",
        [STMT_COMMIT] = "COMMIT",
        [STMT_ROLLBACK] = "ROLLBACK",
        [STMT_SAVEPOINT] = "SAVEPOINT",
        [STMT_RELEASE] = "RELEASE",
        [STMT_ROLLBACK_TO] = "ROLLBACK",
        [STMT_SET] = "SET",
        [STMT_SHOW] = "SHOW",
        [STMT_SET_TRANSACTION] = "SET",
        [STMT_CREATE_PROCEDURE] = "CREATE PROCEDURE",
        [STMT_DROP_PROCEDURE] = "DROP PROCEDURE",
        [STMT_CALL] = "CALL",
        [STMT_COPY] = "COPY",
        [STMT_LISTEN] = "LISTEN",
        [STMT_UNLISTEN] = "UNLISTEN",
        [STMT_NOTIFY] = "NOTIFY",
        [STMT_DECLARE] = "DECLARE CURSOR",
        [STMT_FETCH] = "FETCH",
        [STMT_CLOSE] = "CLOSE CURSOR",
        [STMT_CREATE_ROLE] = "CREATE ROLE",
        [STMT_ALTER_ROLE] = "ALTER ROLE",
        [STMT_DROP_ROLE] = "DROP ROLE",
        [STMT_EXPLAIN] = "EXPLAIN",
        [STMT_ALTER_TABLE] = "ALTER TABLE",
    };
    return (unsigned)k < ARRAY_LEN(names) && names[k] ? names[k] : "?";
}

bool sql_stmt_is_session_control(StmtKind k) {
    switch (k) {
    case STMT_BEGIN:
    case STMT_COMMIT:
    case STMT_ROLLBACK:
    case STMT_SAVEPOINT:
    case STMT_RELEASE:
    case STMT_ROLLBACK_TO:
    case STMT_SET:
    case STMT_SHOW:
    case STMT_CHECKPOINT:
    case STMT_SET_TRANSACTION:
    case STMT_LISTEN:
    case STMT_UNLISTEN:
    case STMT_NOTIFY:
    case STMT_FETCH:
    case STMT_CLOSE:
    case STMT_CREATE_ROLE:
    case STMT_ALTER_ROLE:
    case STMT_DROP_ROLE: return true;
    default: return false;
    }
}
