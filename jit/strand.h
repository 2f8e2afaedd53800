/*
 * strand.h — the API of reducers: C procedures that run inside strand.
 *
 *   CREATE PROCEDURE send_message(text text) LANGUAGE c AS $$
 *   #include <strand.h>
 *   void send_message(strand_ctx *ctx, const char *text) {
 *       if (!*text) strand_error(ctx, "22023", "empty message");
 *       strand_exec(ctx, "INSERT INTO message(sender, text) VALUES ($1, $2)",
 *                   STRAND_TEXT(strand_sender(ctx)), STRAND_TEXT(text));
 *   }
 *   $$;
 *   CALL send_message('hello');
 *
 * The procedure's C function has its name and takes the context, then one
 * parameter per SQL parameter in order:
 *
 *   SQL type                    IN / (INOUT and OUT: a pointer to it)
 *   smallint (int2)             int16_t
 *   integer (int4)              int32_t
 *   bigint (int8)               int64_t
 *   double precision (float8)   double
 *   boolean                     bool
 *   text, varchar, char(n)      const char *   (NULL for SQL NULL)
 *   any other type              strand_value
 *
 * A NULL argument for a parameter of a C scalar type (int, double, bool)
 * is an error (22004) before the call. OUT and INOUT parameters are
 * pointers the function fills; CALL returns their values as one row. An
 * OUT text left NULL is returned as NULL.
 *
 * A call runs on strand's engine thread, alone, to completion: it is
 * atomic (all its writes commit or roll back together) and serializable by
 * construction. Its memory (strand_alloc, results, the strings handed to
 * it) lives until the call ends.
 *
 * Errors: strand_error, and any SQL error in strand_exec, end the call:
 * everything it wrote is rolled back and the caller gets the SQLSTATE and
 * message. A crash (SIGSEGV, SIGBUS, SIGFPE, SIGILL, a stack overflow) or
 * running longer than reducer_timeout does the same, with XX000 or 57014.
 *
 * Compiled code may call only what this file declares and the libc
 * functions listed in jit/README.md (string, memory, formatting, math);
 * anything else is refused when the procedure is published (42P13).
 */
#ifndef STRAND_H
#define STRAND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct strand_ctx strand_ctx;
typedef struct strand_result strand_result;

/* One SQL value. `type` is the PostgreSQL type OID; text and bytea point
 * at `len` bytes (text is also NUL-terminated; len < 0 when made by
 * STRAND_TEXT: the length is taken with strlen). */
typedef struct strand_value {
    int32_t type;
    int32_t isnull;
    int64_t len;
    union {
        int64_t i;
        double f;
        const char *s;
    } u;
} strand_value;

#define STRAND_NULL ((strand_value){0, 1, 0, {.i = 0}})
#define STRAND_BOOL(b) ((strand_value){16, 0, 0, {.i = (b) ? 1 : 0}})
#define STRAND_INT4(x) ((strand_value){23, 0, 0, {.i = (int32_t)(x)}})
#define STRAND_INT8(x) ((strand_value){20, 0, 0, {.i = (int64_t)(x)}})
#define STRAND_FLOAT8(x) ((strand_value){701, 0, 0, {.f = (double)(x)}})
#define STRAND_TEXT(x) ((strand_value){25, 0, -1, {.s = (x)}}) /* a NULL pointer is SQL NULL */
#define STRAND_BYTEA(p, n) ((strand_value){17, 0, (int64_t)(n), {.s = (const char *)(p)}})
#define STRAND_TIMESTAMP(us) ((strand_value){1184, 0, 0, {.i = (int64_t)(us)}})

/* ---- the call ---------------------------------------------------------------------- */
const char *strand_sender(strand_ctx *ctx);       /* the calling role's name */
int64_t strand_connection_id(strand_ctx *ctx);    /* the caller's backend pid */
int64_t strand_now(strand_ctx *ctx);              /* transaction time: microseconds since 1970 */
uint64_t strand_random(strand_ctx *ctx);          /* a generator seeded for each call */
void *strand_alloc(strand_ctx *ctx, size_t size); /* zeroed; freed when the call ends */

/* Ends the call: its writes are rolled back and the caller gets `sqlstate`
 * (five characters, e.g. "P0001") and the formatted message. */
void strand_error(strand_ctx *ctx, const char *sqlstate, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 3, 4)));
/* A NOTICE to the caller and a line in the server's log. */
void strand_log(strand_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- SQL ------------------------------------------------------------------------------ */
/* Runs one statement with $1, $2, ... bound to the values that follow, one
 * strand_value (STRAND_INT4(x), STRAND_TEXT(s), ...) for each parameter
 * the statement uses, no more and no fewer. Parameter types come from
 * where they are used, as for a prepared statement, and values are
 * converted to them. The statement's plan is kept for the next call with
 * the same text. An SQL error ends the call as strand_error does. */
strand_result *strand_exec(strand_ctx *ctx, const char *sql, ...);
/* The same with the values in an array (n of them). */
strand_result *strand_exec_values(strand_ctx *ctx, const char *sql, int n, const strand_value *values);

int64_t strand_nrows(const strand_result *r); /* rows returned, or rows affected */
int strand_ncols(const strand_result *r);
strand_value strand_get(const strand_result *r, int64_t row, int col); /* NULL past the end */

static inline bool strand_is_null(strand_value v) { return v.isnull != 0; }
static inline bool strand_bool(strand_value v) { return !v.isnull && v.u.i != 0; }
static inline int64_t strand_int8(strand_value v) { return v.isnull ? 0 : v.u.i; } /* any integer */
static inline double strand_float8(strand_value v) {
    if (v.isnull) return 0;
    return v.type == 701 || v.type == 700 ? v.u.f : (double)v.u.i;
}
/* The value's text form (PostgreSQL's output), NULL for NULL; valid until
 * the call ends. */
const char *strand_text(strand_value v);

/* ---- rows, without SQL ------------------------------------------------------------------
 * Straight to the table: no parsing, no plan. Values follow `table` as
 * strand_values, converted to the columns' types; their number comes from
 * the table, as for strand_exec. Each is one statement of the call (it sees
 * what the call did before); errors end the call. */
/* Inserts a row: one value per column, in order. */
void strand_insert(strand_ctx *ctx, const char *table, ...);
/* The row whose primary key is the values that follow (one per key column). */
strand_result *strand_find(strand_ctx *ctx, const char *table, ...);
/* The rows whose key in the index `index` (by name) is the values that follow. */
strand_result *strand_find_by(strand_ctx *ctx, const char *table, const char *index, ...);
/* Every row of the table. */
strand_result *strand_scan(strand_ctx *ctx, const char *table);
/* The row with that primary key (its values first) gets the values that
 * follow (one per column); returns 1, or 0 if there is no such row. */
int64_t strand_update(strand_ctx *ctx, const char *table, ...);
/* Deletes the row with that primary key; returns 1, or 0 if none. */
int64_t strand_delete(strand_ctx *ctx, const char *table, ...);

/* ---- modules ----------------------------------------------------------------------------
 * A module is one C file with many reducers, published with
 *   CREATE OR REPLACE MODULE chat LANGUAGE c AS $$ ... $$   or   strand publish chat.c
 * It defines strand_module(), which declares what it offers (and does
 * nothing else: it runs at every publish and every start):
 *
 *   void strand_module(strand_module_def *m) {
 *       strand_reducer(m, "send_message(body text)", send_message);
 *       strand_on_connect(m, connected);
 *       strand_schedule_every(m, "tick", 100);
 *   }
 *
 * A reducer's C function takes the parameters its signature gives, as the
 * table at the top says; strand cannot check that it does. Republishing
 * replaces the whole module at once; a module that fails to compile leaves
 * the old one in place. */
typedef struct strand_module_def strand_module_def;
typedef void (*strand_hook)(strand_ctx *ctx);

void strand_module(strand_module_def *m);
/* signature: "name(params)" as CREATE PROCEDURE writes it. */
void strand_declare_reducer(strand_module_def *m, const char *signature, void *fn);
#define strand_reducer(m, signature, fn) strand_declare_reducer((m), (signature), (void *)(fn))
void strand_on_init(strand_module_def *m, strand_hook fn);       /* once, at the first publish, in its transaction */
void strand_on_connect(strand_module_def *m, strand_hook fn);    /* each new session; strand_error refuses it */
void strand_on_disconnect(strand_module_def *m, strand_hook fn); /* each session that ends */
/* Runs the module's reducer `reducer` (it takes no parameters) every
 * every_ms milliseconds, each run its own transaction. */
void strand_schedule_every(strand_module_def *m, const char *reducer, int64_t every_ms);
/* From a reducer: runs the module's reducer `reducer` (no parameters) once
 * at at_us (strand_now's clock). Both kinds of schedule are rows of the
 * table strand_schedule: they survive restarts, and one made by a call
 * that rolls back never runs. */
void strand_schedule_at(strand_ctx *ctx, const char *reducer, int64_t at_us);

#endif
