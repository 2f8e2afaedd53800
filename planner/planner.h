/*
 * planner.h — binds parsed statements to the catalog (names, types, casts),
 * plans them (scan or primary-key lookup → filter → project → sort → limit)
 * and executes them against storage.
 *
 * The planner knows no sockets and no files: rows leave through a RowSink,
 * and transaction control (BEGIN/COMMIT/ROLLBACK) is the engine's job.
 *
 * INTERFACE
 *   planner_bind        Stmt → Plan (errors: 42P01, 42703, 42804, 42883, 22P02, ...)
 *   planner_execute     runs a Plan in a transaction, rows to a RowSink
 *   planner_plan_*      what a Plan returns (for RowDescription)
 *   planner_set_server_info  what built-in functions read of the server (WAL positions)
 *
 * A Plan and everything it points to live in the Arena given to
 * planner_bind; it stays valid while the catalog objects it names exist
 * (callers re-bind per execution for now; plan caching comes later).
 */
#ifndef STRAND_PLANNER_H
#define STRAND_PLANNER_H

#include "common/common.h"
#include "sql/sql.h"
#include "storage/storage.h"

#define PLANNER_MAX_PARAMS 65535 /* the protocol counts them in 16 bits */

typedef struct Plan Plan;

typedef struct PlanColumn {
    const char *name;
    TypeId type;
    int32_t typmod;
    uint32_t table_oid; /* 0 unless a plain column of a table */
    int16_t attnum;     /* 1-based; 0 unless a plain column */
} PlanColumn;

/* Where a statement's output goes: result rows (return false with err set
 * to stop execution) and notices (severity NOTICE or WARNING, sent before
 * the statement completes, e.g. DROP TABLE IF EXISTS of a missing table). */
typedef struct RowSink {
    bool (*row)(void *ctx, const Value *values, int ncols, Error *err);
    void *ctx;
    void (*notice)(void *notice_ctx, const Error *notice);
    void *notice_ctx;
    void *caller; /* who runs the statement (the session), opaque: for procedure calls */
} RowSink;

typedef struct ExecResult {
    char tag[64]; /* CommandComplete tag: "SELECT 3", "INSERT 0 1", ... */
    uint64_t rows;
} ExecResult;

/* A statement's parameter types: n in use, cap allocated. TYPE_INVALID marks
 * a type the client did not declare, to be inferred from context. */
typedef struct ParamTypes {
    TypeId *types;
    int n, cap;
} ParamTypes;

/*
 * Binds `stmt` (from `sql`, the text positions refer to). `params` is NULL
 * when the statement may not use parameters (a simple Query: $n is 42P02);
 * otherwise the binder grows it (in `arena`) to the highest $n used and
 * infers the undeclared types (text where nothing says otherwise).
 * Transaction-control statements are not planned (the engine handles them).
 */
bool planner_bind(Storage *storage, Txn *txn, const Stmt *stmt, const char *sql, ParamTypes *params, Arena *arena,
                  Plan **out, Error *err);

/* Whether some expression of the parameters alone (and constants) would
 * have been evaluated at plan time had they been literals: `$1 / $2`,
 * `abs($1)`, `coalesce(a, $1 / 0)` (a bare parameter, or one coerced to
 * another type, does not count). The plan cache then keeps the literals,
 * so that such errors come when PostgreSQL raises them. */
bool planner_plan_folds_params(const Plan *plan);

/* Whether some query of the statement groups by GROUPING SETS, ROLLUP or
 * CUBE: its keys are matched with the select list's expressions by their
 * constants, and a key left out of a set is NULL, so a parameter standing
 * for a literal that is written twice can change rows (the plan cache
 * keeps such statements' strings). */
bool planner_plan_has_grouping_sets(const Plan *plan);

/* Whether a plan bound at catalog version `bound_at` still holds: no DDL
 * on the tables it uses since (made, undone or committed). DDL on other
 * tables leaves it be; a CALL's plan holds only while nothing changed. */
bool planner_plan_current(const Plan *plan, Storage *storage, uint64_t bound_at);

/* Whether the statement returns rows (a SELECT, even of no columns, or a
 * write with RETURNING): it then gets a RowDescription, else NoData. */
bool planner_plan_returns_rows(const Plan *plan);
/* Result columns (RowDescription). */
int planner_plan_ncols(const Plan *plan);
const PlanColumn *planner_plan_columns(const Plan *plan);

/*
 * Runs the plan in txn (the caller has called storage_txn_statement_begin).
 * params: one Value per parameter, already of the bound types. Temporaries
 * come from `arena`. Returns STORAGE_OK, STORAGE_ERROR (err set) or
 * STORAGE_BUSY (a row is locked by another open transaction; nothing the
 * statement did may be kept: the caller aborts or re-runs it).
 */
StorageStatus planner_execute(const Plan *plan, Storage *storage, Txn *txn, const Value *params, Arena *arena,
                              RowSink *sink, ExecResult *result, Error *err);

/* ---- a SELECT in steps ------------------------------------------------------------
 * A long query must not hold the engine thread (DESIGN, Threads): a plain
 * SELECT (no FOR UPDATE) can run in steps of about budget_ns each, its
 * rows going to `sink` as they come, and the engine serves others between
 * them. begin sets *out to NULL for any other plan (run it with
 * planner_execute); it fails (ERROR, or BUSY: the table is locked) as
 * planner_execute would. The query lives in `arena` (no allocation of its
 * own); between steps the caller keeps txn's statement open and the plan,
 * params, arena and sink (and what its ctx points to) alive; at *done,
 * res->tag is "SELECT n". end closes its operators. */
typedef struct PlannerQuery PlannerQuery;
StorageStatus planner_query_begin(const Plan *plan, Storage *storage, Txn *txn, const Value *params, Arena *arena,
                                  RowSink *sink, PlannerQuery **out, Error *err);
StorageStatus planner_query_step(PlannerQuery *q, uint64_t budget_ns, bool *done, ExecResult *res, Error *err);
/* A portal's Execute with a row limit: up to max_rows more rows (0: all
 * that are left), however long that takes; *done at the end. */
StorageStatus planner_query_fetch(PlannerQuery *q, uint64_t max_rows, bool *done, ExecResult *res, Error *err);
void planner_query_end(PlannerQuery *q);

/* ---- COPY ------------------------------------------------------------------------
 * A bound COPY is a Plan too, so Parse / Bind / Execute carry it like any
 * statement (its RowDescription is NoData); it is run by the two calls
 * below instead of planner_execute. The data are bytes in PostgreSQL's
 * text, CSV or binary COPY format (copy.c documents them). */
typedef enum PlannerCopyKind { PLANNER_NOT_COPY, PLANNER_COPY_FROM, PLANNER_COPY_TO } PlannerCopyKind;
PlannerCopyKind planner_copy_kind(const Plan *plan);
bool planner_copy_binary(const Plan *plan);
int planner_copy_ncols(const Plan *plan);
/* COPY FROM: reads all of data[0..len) and inserts its rows in txn (the
 * caller has begun a statement). res->tag is "COPY n". Errors carry
 * PostgreSQL's CONTEXT (COPY t, line 3, column b: "x"); BUSY as for
 * planner_execute. */
StorageStatus planner_copy_from(const Plan *plan, Storage *storage, Txn *txn, const char *data, size_t len,
                                Arena *arena, ExecResult *res, Error *err);
/* COPY TO, in steps so that a slow client can hold it up without the
 * output piling up: begin takes the table's lock and writes the header;
 * each step writes up to max_rows rows (the query form: all of them, in
 * its first step) and sets *done at the end, where res->tag is "COPY n".
 * Each piece of output (a row; the header line; binary's header goes with
 * the first row and its trailer alone) is handed to write. Between steps
 * the caller keeps txn's statement open; the cursor does not use the
 * plan's memory after begin. begin returns NULL with err (or BUSY: err
 * unset, the lock is held by another transaction). */
typedef bool (*CopyWrite)(void *ctx, const char *data, size_t len, Error *err);
typedef struct PlannerCopyOut PlannerCopyOut;
PlannerCopyOut *planner_copy_out_begin(const Plan *plan, Storage *storage, Txn *txn, const Value *params, Arena *arena,
                                       CopyWrite write, void *ctx, RowSink *notices, Error *err);
StorageStatus planner_copy_out_step(PlannerCopyOut *o, uint64_t max_rows, bool *done, ExecResult *res, Error *err);
void planner_copy_out_end(PlannerCopyOut *o);

/* ---- the server, as built-in functions see it ---------------------------------
 * Some built-in functions report the state of the server around the
 * planner, which it cannot know itself (it knows no WAL): the engine
 * registers callbacks here. The functions call them when a plan runs, not
 * when it is bound, so a prepared statement sees the current value at each
 * execution.
 *
 * The registration is process-wide rather than per Storage or per call
 * because a process runs one engine (DESIGN.md, Threads: everything runs on
 * the engine thread), and passing it through every planner_execute would
 * widen an interface nothing else needs. Without it (unit tests, tools) the
 * WAL functions fail as PostgreSQL's do on a standby: 55000 "recovery is in
 * progress", HINT "WAL control functions cannot be executed during
 * recovery." */
typedef enum PlannerWalPosition {
    PLANNER_WAL_WRITE,  /* pg_current_wal_lsn(): written (PostgreSQL: write position) */
    PLANNER_WAL_INSERT, /* pg_current_wal_insert_lsn(): the end of the log in memory */
    PLANNER_WAL_FLUSH,  /* pg_current_wal_flush_lsn(): the end of the log on disk */
} PlannerWalPosition;

typedef struct PlannerServerInfo {
    /* A position in the log (an LSN). Called on the engine thread while a
     * statement runs; PostgreSQL's order must hold between the three:
     * flush <= write <= insert. NULL: no log (the functions fail, 55000). */
    uint64_t (*wal_lsn)(void *ctx, PlannerWalPosition which);
    /* current_setting() and set_config(): the settings of the session
     * running the statement, as SHOW and SET see them; the value (after a
     * set, the new one) into buf. NULL: the functions fail (0A000). */
    bool (*setting_get)(void *ctx, const char *name, char *buf, size_t cap, Error *err);
    bool (*setting_set)(void *ctx, const char *name, const char *value, bool local, char *buf, size_t cap, Error *err);
    /* Whether the running statement must stop now (statement_timeout, a
     * cancel): true with err set (57014). Polled every so many rows, and
     * between the steps of a COPY. NULL: never. */
    bool (*interrupted)(void *ctx, Error *err);
    /* pg_notify(channel, payload): NOTIFY in the running statement's
     * transaction. NULL: the function fails (0A000). */
    bool (*notify)(void *ctx, const char *channel, const char *payload, Error *err);
    void *ctx;
} PlannerServerInfo;

/* Copies *info (NULL: forget it); call before serving and again with NULL
 * before what ctx points to goes away. */
void planner_set_server_info(const PlannerServerInfo *info);

/* ---- procedures ------------------------------------------------------------------
 * CREATE PROCEDURE, DROP PROCEDURE and CALL: the planner resolves the
 * parameter types, finds the procedure a CALL means among those of its
 * name (PostgreSQL's rules: exact types, then implicit casts; 42883, 42725)
 * and binds the arguments; what a procedure is, where it is kept and how
 * it runs belongs to the layer above (jit/), which registers these
 * callbacks. Without them the statements fail with 0A000. Like the server
 * information above, the registration is process-wide. */
typedef struct PlannerProcParam {
    const char *name; /* NULL: unnamed */
    SqlParamMode mode;
    TypeId type;
} PlannerProcParam;

/* CREATE [OR REPLACE] PROCEDURE / MODULE, types resolved. */
typedef struct PlannerProcDef {
    const char *name;
    bool or_replace, module;
    const PlannerProcParam *params;
    int nparams;
    const char *language;
    const char *body;
} PlannerProcDef;

/* A procedure as the callbacks describe it; handle is theirs. */
typedef struct PlannerProc {
    const char *name;
    const PlannerProcParam *params;
    int nparams;
    void *handle;
} PlannerProc;

typedef struct PlannerProcedures {
    /* Creates (or replaces) it in t for `caller` (RowSink.caller). Errors:
     * 42P13, 42723, 42501, ... */
    StorageStatus (*create)(void *ctx, Storage *s, Txn *t, const PlannerProcDef *def, void *caller, Error *err);
    /* Drops the procedure (or module) of that name whose parameter types
     * are types[ntypes] (ntypes < 0: the only one of that name); *found
     * false when there is none (no error set). */
    StorageStatus (*drop)(void *ctx, Storage *s, Txn *t, const char *name, bool module, const TypeId *types, int ntypes,
                          bool *found, Error *err);
    /* The procedures named `name` visible to t, up to max, into out (memory
     * from arena); returns how many there are. */
    int (*lookup)(void *ctx, Storage *s, Txn *t, const char *name, Arena *arena, PlannerProc *out, int max);
    /* Calls it with one value per parameter (OUT ones NULL); fills outs[i]
     * for each OUT or INOUT parameter i, in order. BUSY: blocked by another
     * transaction, with everything the call did undone. */
    StorageStatus (*call)(void *ctx, const PlannerProc *proc, Storage *s, Txn *t, const Value *args, Value *outs,
                          Arena *arena, RowSink *sink, Error *err);
    void *ctx;
} PlannerProcedures;

/* Copies *procs (NULL: forget them). */
void planner_set_procedures(const PlannerProcedures *procs);

#endif
