/*
 * cursor.c — the rows a statement keeps for later: a portal run with a row
 * limit, and SQL cursors (DECLARE / FETCH / MOVE / CLOSE) with PostgreSQL's
 * positions and directions.
 *
 * A cursor holds the result of its query, taken when it is declared (the
 * executor that streams comes with the SQL query issue), and a position:
 * 0 before the first row, 1..n on a row, n + 1 after the last. FETCH
 * moves it as PostgreSQL's DoPortalRunFetch does:
 *   FORWARD k    the next k rows (ALL: the rest); past the end it stays at n + 1
 *   BACKWARD k   the previous k rows, in reverse; past the start it stays at 0
 *   ABSOLUTE k   row k (k < 0: from the end), or before / after the rows
 *   RELATIVE k   the row k away (0: the current one, again)
 * A NO SCROLL cursor refuses every move backwards (55000).
 *
 * INTERFACE (server-internal): rowstore_add, cursor_new, cursor_free,
 *   cursor_fetch
 */
#include "server/server_int.h"

#include <stdlib.h>
#include <string.h>

/* RowSink.row: a copy of the row, its strings too. */
bool rowstore_add(void *ctx, const Value *values, int ncols, Error *err) {
    RowStore *rs = ctx;
    (void)err;
    if (rs->n == rs->cap) {
        size_t cap = rs->cap ? rs->cap * 2 : 64;
        Value **rows = arena_alloc(rs->arena, cap * sizeof *rows);
        if (rs->n) memcpy(rows, rs->rows, rs->n * sizeof *rows);
        rs->rows = rows;
        rs->cap = cap;
    }
    Value *row = arena_alloc(rs->arena, (size_t)(ncols + 1) * sizeof *row);
    for (int i = 0; i < ncols; i++) {
        row[i] = values[i];
        value_detach(&row[i], rs->arena);
    }
    rs->rows[rs->n++] = row;
    return true;
}

Cursor *cursor_new(const char *name, int ncols, const PlanColumn *cols, const CursorStmt *st) {
    Cursor *c = calloc(1, sizeof *c);
    if (!c) abort();
    arena_init(&c->arena, 8192);
    c->rows.arena = &c->arena;
    c->name = arena_strdup(&c->arena, name);
    c->ncols = ncols;
    c->cols = arena_alloc(&c->arena, (size_t)(ncols + 1) * sizeof *c->cols);
    for (int i = 0; i < ncols; i++) {
        c->cols[i] = cols[i];
        c->cols[i].name = arena_strdup(&c->arena, cols[i].name);
    }
    c->binary = st->binary;
    c->no_scroll = st->no_scroll;
    c->hold = st->hold;
    return c;
}

void cursor_free(Cursor *c) {
    if (!c) return;
    arena_deinit(&c->arena);
    free(c);
}

static bool backward_refused(const Cursor *c, Error *err) {
    error_set(err, SQLSTATE_OBJECT_NOT_IN_PREREQUISITE_STATE, "cursor can only scan forward");
    error_hint(err, "Declare it with SCROLL option to enable backward scan.");
    return false;
}

/* Rows from the position onwards, k at most (forward or back). */
static uint64_t step(Cursor *c, bool forward, int64_t k, CursorEmit emit, void *ctx) {
    int64_t n = (int64_t)c->rows.n;
    uint64_t got = 0;
    for (int64_t i = 0; i < k; i++) {
        int64_t next = c->pos + (forward ? 1 : -1);
        if (next < 1 || next > n) {
            c->pos = next < 1 ? 0 : n + 1;
            break;
        }
        c->pos = next;
        if (emit) emit(ctx, c->rows.rows[next - 1]);
        got++;
    }
    return got;
}

/* Moves to row `at` (clamped to before / after the rows); the row, if any. */
static uint64_t jump(Cursor *c, int64_t at, CursorEmit emit, void *ctx) {
    int64_t n = (int64_t)c->rows.n;
    if (at < 1 || at > n) {
        c->pos = at < 1 ? 0 : n + 1;
        return 0;
    }
    c->pos = at;
    if (emit) emit(ctx, c->rows.rows[at - 1]);
    return 1;
}

bool cursor_fetch(Cursor *c, const CursorStmt *st, CursorEmit emit, void *ctx, uint64_t *count, Error *err) {
    int64_t n = (int64_t)c->rows.n, k = st->count;
    SqlFetchDir dir = st->dir;
    if ((dir == SQL_FETCH_FORWARD || dir == SQL_FETCH_BACKWARD) && k < 0 && !st->all) {
        dir = dir == SQL_FETCH_FORWARD ? SQL_FETCH_BACKWARD : SQL_FETCH_FORWARD;
        k = -k;
    }
    if ((dir == SQL_FETCH_FORWARD || dir == SQL_FETCH_BACKWARD) && k == 0 && !st->all)
        dir = SQL_FETCH_RELATIVE; /* FETCH 0: the current row again */
    int64_t target = dir == SQL_FETCH_ABSOLUTE ? (k >= 0 ? k : n + 1 + k) : c->pos + k;
    bool backward = dir == SQL_FETCH_BACKWARD || (dir != SQL_FETCH_FORWARD && target < c->pos);
    if (backward && c->no_scroll) return backward_refused(c, err);
    if (dir == SQL_FETCH_FORWARD || dir == SQL_FETCH_BACKWARD)
        *count = step(c, dir == SQL_FETCH_FORWARD, st->all ? INT64_MAX : k, emit, ctx);
    else
        *count = jump(c, target, emit, ctx);
    return true;
}
