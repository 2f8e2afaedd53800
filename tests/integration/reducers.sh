#!/usr/bin/env bash
# reducers: C procedures published with CREATE PROCEDURE ... LANGUAGE c and
# called with CALL, through psql against a strand of its own (jit/).
#
# What each check shows (issue "Reducers in C", acceptance 2):
#   - a call's writes commit with it; strand_error's SQLSTATE and message
#     reach the client and every write of the call is rolled back;
#   - a compile error names the body's line; a call of a function reducers
#     may not use (system) is refused at publish;
#   - a segfault, a stack overflow and an endless loop (reducer_timeout)
#     each end only their call: XX000 / 57014, nothing written, and the
#     server answers the next statement;
#   - OUT parameters come back as one row; CALL inside a block rolls back
#     with it; overloads resolve by argument types; 42883 when none fits;
#   - procedures are kept across a restart (recompiled at start).
#
# Usage: reducers.sh STRAND_BINARY
# Prints TAP lines and a final "N passed, N failed"; exits 1 if anything failed.
set -uo pipefail

if (($# != 1)); then
    echo "usage: $0 STRAND_BINARY" >&2
    exit 2
fi
bin=$(realpath "$1") || exit 2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib/server.sh
source "$here/../lib/server.sh"
# shellcheck source=../lib/tap.sh
source "$here/../lib/tap.sh"
test_clean_client_env
trap 'strand_cleanup' EXIT

# sql SQL... -> psql's output (errors with their SQLSTATE), one -c per argument
sql() {
    local args=() s
    for s in "$@"; do args+=(-c "$s"); done
    test_psql "$STRAND_PORT" -At -v VERBOSITY=verbose "${args[@]}" 2>&1 |
        sed -e 's/^psql:[^ ]* //' -e '/^LOCATION:/d' -e '/^[A-Z]* NAME:/d' -e '/^LINE [0-9]*:/d' -e '/^ *^$/d'
}

strand_start "$bin" || {
    strand_log_tail
    exit 1
}

sql "CREATE TABLE message (id int PRIMARY KEY, sender text NOT NULL, body text NOT NULL)" >/dev/null

# ---- publishing and calling ----------------------------------------------------
out=$(sql 'CREATE PROCEDURE send_message(id int, body text) LANGUAGE c AS $$
#include <strand.h>
void send_message(strand_ctx *ctx, int32_t id, const char *body) {
    if (!*body) strand_error(ctx, "22023", "empty message");
    strand_exec(ctx, "INSERT INTO message VALUES ($1, $2, $3)",
                STRAND_INT4(id), STRAND_TEXT(strand_sender(ctx)), STRAND_TEXT(body));
}
$$')
check "CREATE PROCEDURE publishes" "CREATE PROCEDURE" "$out"
check "CALL runs it" "CALL" "$(sql "CALL send_message(1, 'hello')")"
check "its write is committed" "1|postgres|hello" "$(sql 'SELECT * FROM message')"
check "strand_error: the SQLSTATE and message reach the client" "ERROR:  22023: empty message" \
    "$(sql "CALL send_message(2, '')")"

out=$(sql 'CREATE PROCEDURE send_two(id int) LANGUAGE c AS $$
void send_two(strand_ctx *ctx, int32_t id) {
    strand_exec(ctx, "INSERT INTO message VALUES ($1, $2, $3)", STRAND_INT4(id), STRAND_TEXT("a"), STRAND_TEXT("x"));
    strand_exec(ctx, "INSERT INTO message VALUES ($1, $2, $3)", STRAND_INT4(id + 1), STRAND_TEXT("a"), STRAND_TEXT("y"));
    if (id > 100) strand_error(ctx, "P0001", "too big: %d", id);
}
$$' "CALL send_two(10)" "CALL send_two(200)" "CALL send_two(1)" "SELECT id FROM message ORDER BY id")
check "an error rolls back every write of the call; a failed SQL statement ends it" \
    "CREATE PROCEDURE
CALL
ERROR:  P0001: too big: 200
ERROR:  23505: duplicate key value violates unique constraint \"message_pkey\"
DETAIL:  Key (id)=(1) already exists.
1
10
11" "$out"

sql "BEGIN" "CALL send_message(50, 'in a block')" "ROLLBACK" >/dev/null
check "CALL inside a block rolls back with it" "" "$(sql 'SELECT id FROM message WHERE id = 50')"

# ---- OUT parameters and argument resolution ------------------------------------------
out=$(sql 'CREATE PROCEDURE last_message(OUT n int8, OUT body text) LANGUAGE c AS $$
void last_message(strand_ctx *ctx, int64_t *n, const char **body) {
    strand_result *r = strand_exec(ctx, "SELECT body FROM message ORDER BY id DESC");
    *n = strand_nrows(r);
    *body = strand_text(strand_get(r, 0, 0));
}
$$' "CALL last_message(NULL, NULL)")
check "OUT parameters come back as one row" "CREATE PROCEDURE
3|y" "$out"

out=$(sql 'CREATE PROCEDURE twice(x int, INOUT y int8) LANGUAGE c AS $$
void twice(strand_ctx *ctx, int32_t x, int64_t *y) { *y = *y * 2 + x; }
$$' 'CREATE PROCEDURE twice(x text, INOUT y int8) LANGUAGE c AS $$
#include <string.h>
void twice(strand_ctx *ctx, const char *x, int64_t *y) { *y = (int64_t)strlen(x); }
$$' "CALL twice(1, 20)" "CALL twice('abcd', 0)" "CALL twice(true, 1)" "CALL twice(NULL::int, 1)")
check "INOUT parameters and overloads resolve by argument types" "CREATE PROCEDURE
CREATE PROCEDURE
41
4
ERROR:  42883: procedure twice(boolean, integer) does not exist
HINT:  No procedure matches the given name and argument types. You might need to add explicit type casts.
ERROR:  22004: null value not allowed for parameter 1 (\"x\") of procedure \"twice\"" "$out"

# ---- publish errors ------------------------------------------------------------------
out=$(sql 'CREATE PROCEDURE broken() LANGUAGE c AS $$
void broken(strand_ctx *ctx) {
    int x = 1;
    return y;
}
$$')
check "a compile error names the body's line" \
    "ERROR:  42P13: procedure \"broken\" does not compile: line 4: 'y' undeclared" "$out"
out=$(sql 'CREATE PROCEDURE shell() LANGUAGE c AS $$
int system(const char *);
void shell(strand_ctx *ctx) { system("touch /tmp/strand-reducer-escaped"); }
$$')
check "a function reducers may not use is refused at publish" \
    "ERROR:  42P13: procedure \"shell\" calls \"system\", which reducers may not use
HINT:  Reducers may call strand.h's functions and the C library's string, memory, character, formatting and math functions." \
    "$out"
out=$(sql 'CREATE PROCEDURE wrong(a int) LANGUAGE c AS $$
void wrong(strand_ctx *ctx, const char *a) {}
$$')
check "a C function that does not match the signature is refused" \
    "ERROR:  42P13: procedure \"wrong\" must define the C function void wrong(strand_ctx *ctx, int32_t a)
DETAIL:  incompatible types for redefinition of 'wrong'" "$out"
check "a failed publish leaves nothing behind" "0" "$(sql "SELECT proname FROM strand_proc WHERE proname = 'broken'" | wc -l)"

# ---- containment -----------------------------------------------------------------------
sql 'CREATE PROCEDURE segv(id int) LANGUAGE c AS $$
void segv(strand_ctx *ctx, int32_t id) {
    strand_exec(ctx, "INSERT INTO message VALUES ($1, $2, $3)", STRAND_INT4(id), STRAND_TEXT("s"), STRAND_TEXT("s"));
    *(volatile int *)8 = 1;
}
$$' 'CREATE PROCEDURE deep(n int) LANGUAGE c AS $$
int down(int n) { volatile char pad[512]; pad[0] = (char)n; return down(n + 1) + pad[0]; }
void deep(strand_ctx *ctx, int32_t n) { down(n); }
$$' 'CREATE PROCEDURE spin(id int) LANGUAGE c AS $$
void spin(strand_ctx *ctx, int32_t id) {
    strand_exec(ctx, "INSERT INTO message VALUES ($1, $2, $3)", STRAND_INT4(id), STRAND_TEXT("s"), STRAND_TEXT("s"));
    for (volatile int i = 0;; i++) ;
}
$$' >/dev/null
check "a segfault ends only its call (XX000)" "ERROR:  XX000: procedure \"segv\" crashed: segmentation fault
DETAIL:  Everything the call did was rolled back; the server goes on." "$(sql 'CALL segv(70)')"
check "a stack overflow ends only its call" "ERROR:  XX000: procedure \"deep\" crashed: stack overflow
DETAIL:  Everything the call did was rolled back; the server goes on." "$(sql 'CALL deep(1)')"
check "an endless loop ends at reducer_timeout (57014)" "SET
ERROR:  57014: canceling statement due to reducer timeout
DETAIL:  Procedure \"spin\" ran longer than reducer_timeout (300 ms)." "$(sql "SET reducer_timeout = '300ms'" 'CALL spin(71)')"
check "nothing the contained calls wrote is there, and the server answers" "1|hello" \
    "$(sql 'SELECT id, body FROM message WHERE id = 70 OR id = 71 OR id = 1')"
check "the procedures still run after containment" "CALL" "$(sql "CALL send_message(72, 'after')")"

# ---- the row API ------------------------------------------------------------------------
out=$(sql "CREATE TABLE kv (k text PRIMARY KEY, v int8 NOT NULL, note varchar(5))" "CREATE INDEX kv_v ON kv (v)" \
    'CREATE PROCEDURE rows_demo(OUT found int8, OUT total int8, OUT gone int8) LANGUAGE c AS $$
void rows_demo(strand_ctx *ctx, int64_t *found, int64_t *total, int64_t *gone) {
    strand_insert(ctx, "kv", STRAND_TEXT("a"), STRAND_INT4(1), STRAND_TEXT("x"));
    strand_insert(ctx, "kv", STRAND_TEXT("b"), STRAND_INT8(2), STRAND_NULL);
    strand_insert(ctx, "kv", STRAND_TEXT("c"), STRAND_TEXT("2"), STRAND_TEXT("note"));
    strand_result *r = strand_find(ctx, "kv", STRAND_TEXT("b"));
    *found = strand_int8(strand_get(r, 0, 1));
    strand_update(ctx, "kv", STRAND_TEXT("a"), STRAND_TEXT("a"), STRAND_INT8(10), STRAND_TEXT("y"));
    *total = strand_nrows(strand_find_by(ctx, "kv", "kv_v", STRAND_INT8(2)));
    *gone = strand_delete(ctx, "kv", STRAND_TEXT("c")) + strand_delete(ctx, "kv", STRAND_TEXT("zz"));
    strand_log(ctx, "scan: %lld rows", (long long)strand_nrows(strand_scan(ctx, "kv")));
}
$$' 'CREATE PROCEDURE rows_dup() LANGUAGE c AS $$
void rows_dup(strand_ctx *ctx) {
    strand_insert(ctx, "kv", STRAND_TEXT("z"), STRAND_INT4(5), STRAND_NULL);
    strand_insert(ctx, "kv", STRAND_TEXT("a"), STRAND_INT4(1), STRAND_NULL);
}
$$' "CALL rows_demo(NULL, NULL, NULL)" "CALL rows_dup()" "SELECT * FROM kv ORDER BY k")
check "the row API: insert (values converted), find by key and by index, update, delete, scan; errors end the call" \
    "CREATE TABLE
CREATE INDEX
CREATE PROCEDURE
CREATE PROCEDURE
NOTICE:  00000: scan: 2 rows
2|2|1
ERROR:  23505: duplicate key value violates unique constraint \"kv_pkey\"
DETAIL:  Key (k)=(a) already exists.
a|10|y
b|2|" "$out"

# ---- DROP ---------------------------------------------------------------------------------
out=$(sql 'DROP PROCEDURE twice' 'DROP PROCEDURE twice(text, int8)' 'DROP PROCEDURE IF EXISTS twice(text, int8)' \
    "CALL twice('x', 1)")
check "DROP PROCEDURE: ambiguous, by types, IF EXISTS" "ERROR:  42725: procedure name \"twice\" is not unique
HINT:  Specify the argument list to select the procedure unambiguously.
DROP PROCEDURE
NOTICE:  00000: procedure twice(text, bigint) does not exist, skipping
DROP PROCEDURE
ERROR:  22P02: invalid input syntax for type integer: \"x\"" "$out"

# ---- kept across a restart ---------------------------------------------------------------
if strand_restart "$bin"; then
    check "after a restart the procedures are compiled again and run" "CALL
73|after restart" "$(sql "CALL send_message(73, 'after restart')" 'SELECT id, body FROM message WHERE id = 73')"
    check "the start log says how many were compiled" "1" "$(grep -c 'compiled [0-9]* procedures and modules (0 failed)' "$STRAND_LOG")"
else
    not_ok "strand stops and starts again on its data folder" "$(tail -5 "$STRAND_LOG")"
fi

strand_stop || not_ok "strand still running at the end" "$(tail -20 "$STRAND_LOG")"
tap_summary || {
    strand_log_tail
    exit 1
}
