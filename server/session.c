/*
 * session.c — one client session: the pgwire callbacks, the transaction
 * state machine, prepared statements and portals.
 *
 * Transaction states (PostgreSQL's, simplified):
 *
 *            statement (begin_implicit)              end of Query / Sync (finish_implicit)
 *   IDLE ─────────────────────────────▶ IMPLICIT ───────────────────────────────▶ IDLE
 *    │                                     │ BEGIN (txn_begin)
 *    │ BEGIN (txn_begin)                   ▼
 *    └──────────────────────────────────▶ BLOCK ── COMMIT / ROLLBACK (txn_end) ──▶ IDLE
 *                                          │ error (statement_failed)
 *                                          ▼
 *                                        FAILED ── COMMIT / ROLLBACK (txn_end) ──▶ IDLE
 *
 * Invariants:
 *   T1. session->txn is non-NULL exactly in IMPLICIT and BLOCK.
 *   T2. In FAILED only COMMIT and ROLLBACK run; anything else is 25P02.
 *   T3. An error in IMPLICIT aborts it (IDLE): a multi-statement Query or a
 *       pipeline up to Sync is all-or-nothing, as in PostgreSQL.
 *
 * It does not parse protocol bytes (pgwire) or SQL (sql), bind (planner) or
 * touch rows (storage); it sequences them.
 *
 * INTERFACE: engine_callbacks
 */
#include "planner/planner.h"
#include "server/server_int.h"
#include "sql/sql.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum TxnState { TXN_IDLE, TXN_IMPLICIT, TXN_BLOCK, TXN_FAILED } TxnState;

/* A parsed statement kept by Parse ("" = the unnamed one). */
typedef struct Prepared {
    char *name;
    Arena arena;
    const char *sql;
    Stmt *stmt;        /* NULL: an empty query */
    ParamTypes params; /* in `arena` */
    bool returns_rows; /* RowDescription (possibly of no columns) or NoData */
    int ncols;
    PlanColumn *cols;
    Arena plan_arena; /* the cached plan, rebound when the catalog changes */
    Plan *plan;
    uint64_t plan_version;
    struct Prepared *next;
} Prepared;

/* A bound statement: parameters and result formats, and the rows of a run
 * that Execute stopped early (max_rows). */
typedef struct Portal {
    char *name;
    Arena arena;
    Prepared *prepared;
    Value *params;
    int nformats;
    int16_t *formats;
    bool started, finished;
    Value **rows; /* materialized results, when run with a row limit */
    size_t nrows, caprows, next_row;
    ExecResult result;
    struct Portal *next;
} Portal;

typedef struct Session {
    Engine *engine;
    PgConn *conn;
    SqlParser *parser;
    Arena stmt_arena;  /* reset after every statement */
    Arena query_arena; /* a simple Query's parse tree, reset per Query */
    Txn *txn;
    TxnState state;
    bool read_only; /* BEGIN READ ONLY: the block may not write */
    Prepared *prepared;
    Portal *portals;
    Portal *spare; /* the last unnamed portal, kept for reuse: no allocation per Bind */
} Session;

/* ---- transaction state machine ------------------------------------------------------- */

static StorageIsolation isolation_of(SqlIsolation iso) {
    if (iso == SQL_ISO_SERIALIZABLE) return ISO_SERIALIZABLE;
    return iso == SQL_ISO_REPEATABLE_READ ? ISO_REPEATABLE_READ : ISO_READ_COMMITTED;
}

static void begin_implicit(Session *s) {
    if (s->state != TXN_IDLE) return;
    s->txn = storage_txn_begin(server__storage(s->engine), ISO_READ_COMMITTED);
    s->state = TXN_IMPLICIT;
}

static void finish_implicit(Session *s) {
    if (s->state != TXN_IMPLICIT) return;
    Error err;
    if (!storage_txn_commit(s->txn, NULL, &err)) storage_txn_abort(s->txn);
    s->txn = NULL;
    s->state = TXN_IDLE;
    server__txn_ended(s->engine);
}

/* T3 and the FAILED edge. */
static void statement_failed(Session *s) {
    if (s->state == TXN_IMPLICIT || s->state == TXN_BLOCK) {
        storage_txn_abort(s->txn);
        s->txn = NULL;
        s->state = s->state == TXN_BLOCK ? TXN_FAILED : TXN_IDLE;
        server__txn_ended(s->engine);
    }
}

static void send_notice(void *session, const Error *notice) { pgwire_send_notice(((Session *)session)->conn, notice); }

static void warn(Session *s, const char *sqlstate, const char *msg) {
    Error w;
    error_set(&w, sqlstate, "%s", msg);
    w.severity = SEV_WARNING;
    pgwire_send_notice(s->conn, &w);
}

static void txn_begin(Session *s, const TxnStmt *st, char *tag) {
    strcpy(tag, st->start ? "START TRANSACTION" : "BEGIN");
    if (s->state == TXN_BLOCK || s->state == TXN_FAILED) {
        warn(s, SQLSTATE_ACTIVE_SQL_TRANSACTION, "there is already a transaction in progress");
        return;
    }
    if (s->state == TXN_IDLE) s->txn = storage_txn_begin(server__storage(s->engine), isolation_of(st->isolation));
    s->state = TXN_BLOCK;
    s->read_only = st->read_only;
}

static void txn_end(Session *s, bool commit, char *tag) {
    strcpy(tag, commit && s->state != TXN_FAILED ? "COMMIT" : "ROLLBACK");
    if (s->state == TXN_IDLE || s->state == TXN_IMPLICIT)
        warn(s, SQLSTATE_NO_ACTIVE_SQL_TRANSACTION, "there is no transaction in progress");
    if (s->txn) {
        Error err;
        if (!commit || !storage_txn_commit(s->txn, NULL, &err)) storage_txn_abort(s->txn);
        server__txn_ended(s->engine);
    }
    s->txn = NULL;
    s->state = TXN_IDLE;
    s->read_only = false;
}

static bool is_txn_control(const Stmt *stmt) {
    return stmt && (stmt->kind == STMT_BEGIN || stmt->kind == STMT_COMMIT || stmt->kind == STMT_ROLLBACK);
}

static const char *write_kind(const Stmt *stmt) {
    switch (stmt->kind) {
    case STMT_INSERT: return "INSERT";
    case STMT_UPDATE: return "UPDATE";
    case STMT_DELETE: return "DELETE";
    case STMT_CREATE_TABLE: return "CREATE TABLE";
    case STMT_DROP_TABLE: return "DROP TABLE";
    default: return NULL;
    }
}

static bool check_writable(const Session *s, const Stmt *stmt, Error *err) {
    const char *kind = s->read_only && s->state == TXN_BLOCK ? write_kind(stmt) : NULL;
    if (!kind) return true;
    return error_set(err, SQLSTATE_READ_ONLY_SQL_TRANSACTION, "cannot execute %s in a read-only transaction", kind);
}

static bool check_not_failed(Session *s, const Stmt *stmt, Error *err) {
    if (s->state != TXN_FAILED || (stmt && (stmt->kind == STMT_COMMIT || stmt->kind == STMT_ROLLBACK))) return true;
    return error_set(err, SQLSTATE_IN_FAILED_SQL_TRANSACTION,
                     "current transaction is aborted, commands ignored until end of transaction block");
}

/* ---- result rows ----------------------------------------------------------------------- */

typedef struct WireSink {
    Session *session;
    const int16_t *formats;
    int nformats;
} WireSink;

static int16_t format_of(const int16_t *formats, int nformats, int col) {
    if (nformats == 0) return 0;
    return nformats == 1 ? formats[0] : formats[col];
}

static void send_datarow(PgConn *conn, const Value *values, int ncols, const int16_t *formats, int nformats) {
    char buf[VALUE_TEXT_BUF];
    pgwire_datarow_begin(conn, ncols);
    for (int i = 0; i < ncols; i++) {
        if (values[i].isnull) {
            pgwire_datarow_add(conn, NULL, -1);
            continue;
        }
        int len;
        const char *p = format_of(formats, nformats, i) ? value_to_binary(&values[i], buf, &len)
                                                        : value_to_text(&values[i], buf, &len);
        pgwire_datarow_add(conn, p, len);
    }
    pgwire_datarow_end(conn);
}

static bool wire_row(void *ctx, const Value *values, int ncols, Error *err) {
    WireSink *w = ctx;
    send_datarow(w->session->conn, values, ncols, w->formats, w->nformats);
    return true;
}

static void send_row_description(Session *s, bool returns_rows, int ncols, const PlanColumn *cols,
                                 const int16_t *formats, int nformats) {
    if (!returns_rows) {
        pgwire_send_no_data(s->conn);
        return;
    }
    PgField *f = arena_alloc(&s->stmt_arena, (size_t)(ncols + 1) * sizeof *f);
    for (int i = 0; i < ncols; i++) {
        const TypeInfo *ti = type_info(cols[i].type);
        f[i] = (PgField){cols[i].name,
                         cols[i].table_oid,
                         cols[i].attnum,
                         (uint32_t)cols[i].type,
                         ti ? ti->typlen : -1,
                         cols[i].typmod,
                         format_of(formats, nformats, i)};
    }
    pgwire_send_row_description(s->conn, ncols, f);
}

/* Copies a row into the portal's arena, for Execute with a row limit. */
static bool portal_row(void *ctx, const Value *values, int ncols, Error *err) {
    Portal *p = ctx;
    if (p->nrows == p->caprows) {
        size_t cap = p->caprows ? p->caprows * 2 : 64;
        Value **rows = arena_alloc(&p->arena, cap * sizeof *rows);
        if (p->nrows) memcpy(rows, p->rows, p->nrows * sizeof *rows);
        p->rows = rows;
        p->caprows = cap;
    }
    Value *row = arena_alloc(&p->arena, (size_t)(ncols + 1) * sizeof *row);
    for (int i = 0; i < ncols; i++) {
        row[i] = values[i];
        if (!values[i].isnull && type_info(values[i].type)->typlen < 0)
            row[i].u.s = arena_strndup(&p->arena, values[i].u.s, values[i].len);
    }
    p->rows[p->nrows++] = row;
    return true;
}

/* ---- running one statement --------------------------------------------------------------- */

/* One statement to run: from a simple Query (prepared == NULL: bound
 * afresh, no parameters) or from a portal (its prepared statement's cached
 * plan, its parameters and result formats). */
typedef struct Run {
    const Stmt *stmt;
    const char *sql;
    Prepared *prepared;
    const Value *params;
    RowSink *sink;
    bool describe; /* send RowDescription first (simple Query) */
    const int16_t *formats;
    int nformats;
} Run;

/* A prepared statement's plan in txn, bound again only when the catalog
 * changed since (storage_catalog_version). */
static Plan *prepared_plan(Session *s, Prepared *p, Txn *txn, Error *err) {
    Storage *storage = server__storage(s->engine);
    uint64_t version = storage_catalog_version(storage);
    if (p->plan && p->plan_version == version) return p->plan;
    arena_reset(&p->plan_arena);
    if (!planner_bind(storage, txn, p->stmt, p->sql, &p->params, &p->plan_arena, &p->plan, err)) {
        p->plan = NULL;
        return NULL;
    }
    p->plan_version = version;
    return p->plan;
}

/* Binds (or reuses) and executes a planned statement in the current transaction. */
static bool run_planned(Session *s, const Run *r, ExecResult *res, Error *err) {
    Storage *storage = server__storage(s->engine);
    if (!check_writable(s, r->stmt, err)) return false;
    begin_implicit(s);
    storage_txn_statement_begin(s->txn);
    Plan *plan;
    if (r->prepared) {
        if (!(plan = prepared_plan(s, r->prepared, s->txn, err))) return false;
    } else if (!planner_bind(storage, s->txn, r->stmt, r->sql, NULL, &s->stmt_arena, &plan, err)) {
        return false;
    }
    if (r->describe && planner_plan_returns_rows(plan))
        send_row_description(s, true, planner_plan_ncols(plan), planner_plan_columns(plan), r->formats, r->nformats);
    StorageStatus st = planner_execute(plan, storage, s->txn, r->params, &s->stmt_arena, r->sink, res, err);
    storage_txn_statement_end(s->txn);
    if (st == STORAGE_BUSY) /* Parking until the other transaction ends comes with the lock manager. */
        return error_set(err, SQLSTATE_SERIALIZATION_FAILURE, "could not serialize access due to concurrent update");
    if (st != STORAGE_OK) return false;
    return true;
}

/* Runs one statement; fills res->tag. */
static bool run_statement(Session *s, const Run *r, ExecResult *res, Error *err) {
    memset(res, 0, sizeof *res);
    if (!check_not_failed(s, r->stmt, err)) return false;
    switch (r->stmt->kind) {
    case STMT_BEGIN: txn_begin(s, &r->stmt->u.txn, res->tag); return true;
    case STMT_COMMIT: txn_end(s, true, res->tag); return true;
    case STMT_ROLLBACK: txn_end(s, false, res->tag); return true;
    default: break;
    }
    return run_planned(s, r, res, err);
}

/* ---- simple query ---------------------------------------------------------------------------- */

static bool on_query(void *session, const char *sql, size_t len, Error *err) {
    Session *s = session;
    StmtList list;
    arena_reset(&s->stmt_arena);
    arena_reset(&s->query_arena);
    bool ok = sql_parse(s->parser, sql, len, &s->query_arena, &list, err);
    if (ok && list.n == 0) pgwire_send_empty_query(s->conn);
    for (int i = 0; ok && i < list.n; i++) {
        WireSink w = {s, NULL, 0};
        RowSink sink = {wire_row, &w, send_notice, s};
        ExecResult res;
        Run run = {.stmt = list.items[i], .sql = sql, .sink = &sink, .describe = true};
        ok = run_statement(s, &run, &res, err);
        if (ok) pgwire_send_command_complete(s->conn, res.tag);
        arena_reset(&s->stmt_arena);
    }
    if (ok)
        finish_implicit(s);
    else
        statement_failed(s);
    return ok;
}

/* ---- extended protocol: prepared statements ---------------------------------------------------- */

static Prepared *find_prepared(Session *s, const char *name) {
    for (Prepared *p = s->prepared; p; p = p->next)
        if (strcmp(p->name, name) == 0) return p;
    return NULL;
}

static Portal *find_portal(Session *s, const char *name) {
    for (Portal *p = s->portals; p; p = p->next)
        if (strcmp(p->name, name) == 0) return p;
    return NULL;
}

static void portal_drop(Session *s, Portal *portal) {
    for (Portal **pp = &s->portals; *pp; pp = &(*pp)->next) {
        if (*pp == portal) {
            *pp = portal->next;
            break;
        }
    }
    if (!*portal->name && !s->spare) {
        arena_reset(&portal->arena);
        s->spare = portal;
        return;
    }
    arena_deinit(&portal->arena);
    free(portal->name);
    free(portal);
}

/* A new portal at the head of the list, the spare one if it fits. */
static Portal *portal_create(Session *s, const char *name, Prepared *prepared) {
    Portal *portal = s->spare;
    if (portal && !*name) {
        s->spare = NULL;
        Arena arena = portal->arena;
        char *empty = portal->name;
        memset(portal, 0, sizeof *portal);
        portal->arena = arena;
        portal->name = empty;
    } else {
        if (!(portal = calloc(1, sizeof *portal))) abort();
        portal->name = strdup(name);
        arena_init(&portal->arena, 4096);
    }
    portal->prepared = prepared;
    portal->next = s->portals;
    s->portals = portal;
    return portal;
}

static void prepared_drop(Session *s, Prepared *prep) {
    for (Portal *p = s->portals, *next; p; p = next) {
        next = p->next;
        if (p->prepared == prep) portal_drop(s, p);
    }
    for (Prepared **pp = &s->prepared; *pp; pp = &(*pp)->next) {
        if (*pp == prep) {
            *pp = prep->next;
            break;
        }
    }
    arena_deinit(&prep->arena);
    arena_deinit(&prep->plan_arena);
    free(prep->name);
    free(prep);
}

/* Binds at Parse time: infers parameter types and result columns for
 * Describe, and caches the plan for Execute (prepared_plan), inside a
 * scratch transaction if none is open. */
static bool describe_prepared(Session *s, Prepared *p, Error *err) {
    if (!p->stmt || is_txn_control(p->stmt)) return true;
    Txn *txn = s->txn ? s->txn : storage_txn_begin(server__storage(s->engine), ISO_READ_COMMITTED);
    if (!s->txn) storage_txn_statement_begin(txn);
    bool ok = prepared_plan(s, p, txn, err) != NULL;
    if (!s->txn) storage_txn_abort(txn);
    if (!ok) return false;
    /* The binder grew the types in plan_arena, which a rebind resets; every
     * type is known from here on, so later binds never grow them. */
    TypeId *types = arena_alloc(&p->arena, (size_t)(p->params.n + 1) * sizeof *types);
    if (p->params.n) memcpy(types, p->params.types, (size_t)p->params.n * sizeof *types);
    p->params.types = types;
    p->params.cap = p->params.n;
    p->returns_rows = planner_plan_returns_rows(p->plan);
    p->ncols = planner_plan_ncols(p->plan);
    p->cols = arena_alloc(&p->arena, (size_t)(p->ncols + 1) * sizeof *p->cols);
    if (p->ncols) memcpy(p->cols, planner_plan_columns(p->plan), (size_t)p->ncols * sizeof *p->cols);
    return true;
}

static bool parse_statement(Session *s, const char *name, const char *sql, int nparams, const uint32_t *types,
                            Error *err) {
    Prepared *old = find_prepared(s, name);
    if (old && *name)
        return error_set(err, SQLSTATE_DUPLICATE_PREPARED_STATEMENT, "prepared statement \"%s\" already exists", name);
    if (old) prepared_drop(s, old);
    Prepared *p = calloc(1, sizeof *p);
    if (!p) abort();
    p->name = strdup(name);
    arena_init(&p->arena, 4096);
    arena_init(&p->plan_arena, 4096);
    p->sql = arena_strdup(&p->arena, sql);
    p->params.cap = p->params.n = nparams;
    p->params.types = arena_alloc(&p->arena, (size_t)(nparams + 1) * sizeof *p->params.types);
    for (int i = 0; i < nparams; i++) p->params.types[i] = (TypeId)types[i];
    p->next = s->prepared;
    s->prepared = p;
    StmtList list;
    bool ok = sql_parse(s->parser, p->sql, strlen(p->sql), &p->arena, &list, err);
    if (ok && list.n > 1)
        ok = error_set(err, SQLSTATE_SYNTAX_ERROR, "cannot insert multiple commands into a prepared statement");
    if (ok) p->stmt = list.n ? list.items[0] : NULL;
    if (ok) ok = check_not_failed(s, p->stmt, err) && describe_prepared(s, p, err);
    if (!ok) {
        prepared_drop(s, p);
        return false;
    }
    pgwire_send_parse_complete(s->conn);
    return true;
}

/* ---- extended protocol: portals ------------------------------------------------------------------ */

static bool bind_params(Portal *portal, const PgBind *b, Error *err) {
    Prepared *p = portal->prepared;
    if (b->nparams != p->params.n)
        return error_set(err, SQLSTATE_PROTOCOL_VIOLATION,
                         "bind message supplies %d parameters, but prepared statement \"%s\" requires %d", b->nparams,
                         p->name, p->params.n);
    portal->params = arena_alloc(&portal->arena, (size_t)(b->nparams + 1) * sizeof *portal->params);
    for (int i = 0; i < b->nparams; i++) {
        TypeId t = p->params.types[i];
        const PgValue *v = &b->params[i];
        int16_t fmt = b->param_formats ? b->param_formats[i] : 0;
        if (v->len < 0) {
            portal->params[i] = value_null(t);
            continue;
        }
        bool ok = fmt ? value_from_binary(t, v->data, (size_t)v->len, &portal->arena, &portal->params[i], err)
                      : value_from_text(t, v->data, (size_t)v->len, &portal->arena, &portal->params[i], err);
        if (!ok) return false;
    }
    return true;
}

/* Format codes are 0 (text) or 1 (binary); result formats are none, one for
 * all columns, or one per column (PostgreSQL's errors); binary output needs a
 * type that has a binary form here. */
static bool check_formats(const PgBind *b, const Prepared *p, Error *err) {
    for (int i = 0; i < b->nparams; i++)
        if (b->param_formats && b->param_formats[i] != 0 && b->param_formats[i] != 1)
            return error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "unsupported format code: %d", b->param_formats[i]);
    for (int i = 0; i < b->nresult_formats; i++)
        if (b->result_formats[i] != 0 && b->result_formats[i] != 1)
            return error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "unsupported format code: %d",
                             b->result_formats[i]);
    if (b->nresult_formats > 1 && b->nresult_formats != p->ncols)
        return error_set(err, SQLSTATE_PROTOCOL_VIOLATION,
                         "bind message has %d result formats but query has %d columns", b->nresult_formats, p->ncols);
    for (int i = 0; i < p->ncols; i++)
        if (format_of(b->result_formats, b->nresult_formats, i) && !value_has_binary(p->cols[i].type))
            return error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED, "binary output for type %s is not supported yet",
                             type_info(p->cols[i].type)->sql_name);
    return true;
}

static bool bind_portal(Session *s, const PgBind *b, Error *err) {
    Prepared *p = find_prepared(s, b->statement);
    if (!p) {
        if (*b->statement)
            return error_set(err, SQLSTATE_INVALID_SQL_STATEMENT_NAME, "prepared statement \"%s\" does not exist",
                             b->statement);
        return error_set(err, SQLSTATE_INVALID_SQL_STATEMENT_NAME, "unnamed prepared statement does not exist");
    }
    if (!check_not_failed(s, p->stmt, err)) return false;
    Portal *old = find_portal(s, b->portal);
    if (old && *b->portal) return error_set(err, SQLSTATE_DUPLICATE_CURSOR, "cursor \"%s\" already exists", b->portal);
    if (old) portal_drop(s, old);
    if (!check_formats(b, p, err)) return false;
    Portal *portal = portal_create(s, b->portal, p);
    portal->nformats = b->nresult_formats;
    portal->formats = arena_alloc(&portal->arena, (size_t)(b->nresult_formats + 1) * sizeof *portal->formats);
    if (b->nresult_formats)
        memcpy(portal->formats, b->result_formats, (size_t)b->nresult_formats * sizeof *portal->formats);
    if (!bind_params(portal, b, err)) {
        portal_drop(s, portal);
        return false;
    }
    pgwire_send_bind_complete(s->conn);
    return true;
}

static bool describe(Session *s, char kind, const char *name, Error *err) {
    if (kind == 'S') {
        Prepared *p = find_prepared(s, name);
        if (!p)
            return error_set(err, SQLSTATE_INVALID_SQL_STATEMENT_NAME, "prepared statement \"%s\" does not exist",
                             name);
        uint32_t *oids = arena_alloc(&s->stmt_arena, (size_t)(p->params.n + 1) * sizeof *oids);
        for (int i = 0; i < p->params.n; i++) oids[i] = (uint32_t)p->params.types[i];
        pgwire_send_parameter_description(s->conn, p->params.n, oids);
        send_row_description(s, p->returns_rows, p->ncols, p->cols, NULL, 0);
        return true;
    }
    Portal *portal = find_portal(s, name);
    if (!portal) return error_set(err, SQLSTATE_INVALID_CURSOR_NAME, "portal \"%s\" does not exist", name);
    send_row_description(s, portal->prepared->returns_rows, portal->prepared->ncols, portal->prepared->cols,
                         portal->formats, portal->nformats);
    return true;
}

/* Sends up to max_rows of a materialized portal; PortalSuspended if more remain. */
static void send_portal_rows(Session *s, Portal *portal, int32_t max_rows) {
    uint64_t sent = 0;
    while (portal->next_row < portal->nrows && (max_rows <= 0 || sent < (uint64_t)max_rows)) {
        send_datarow(s->conn, portal->rows[portal->next_row++], portal->prepared->ncols, portal->formats,
                     portal->nformats);
        sent++;
    }
    if (portal->next_row < portal->nrows) {
        pgwire_send_portal_suspended(s->conn);
        return;
    }
    char tag[64];
    /* As in PostgreSQL, the last piece of a SELECT run in pieces reports its own count. */
    if (strncmp(portal->result.tag, "SELECT", 6) == 0)
        snprintf(tag, sizeof tag, "SELECT %llu", (unsigned long long)sent);
    else
        snprintf(tag, sizeof tag, "%s", portal->result.tag);
    pgwire_send_command_complete(s->conn, tag);
    portal->finished = true;
}

static bool execute_portal(Session *s, const char *name, int32_t max_rows, Error *err) {
    Portal *portal = find_portal(s, name);
    if (!portal) return error_set(err, SQLSTATE_INVALID_CURSOR_NAME, "portal \"%s\" does not exist", name);
    Prepared *p = portal->prepared;
    if (!p->stmt) {
        pgwire_send_empty_query(s->conn);
        return true;
    }
    if (portal->started) {
        if (portal->finished) {
            pgwire_send_command_complete(s->conn, "SELECT 0");
            return true;
        }
        send_portal_rows(s, portal, max_rows);
        return true;
    }
    portal->started = true;
    WireSink w = {s, portal->formats, portal->nformats};
    RowSink wire = {wire_row, &w, send_notice, s}, keep = {portal_row, portal, send_notice, s};
    bool limited = max_rows > 0 && p->returns_rows;
    Run run = {.stmt = p->stmt,
               .sql = p->sql,
               .prepared = p,
               .params = portal->params,
               .sink = limited ? &keep : &wire,
               .formats = portal->formats,
               .nformats = portal->nformats};
    bool ok = run_statement(s, &run, &portal->result, err);
    arena_reset(&s->stmt_arena);
    if (!ok) return false;
    if (limited) {
        send_portal_rows(s, portal, max_rows);
    } else {
        pgwire_send_command_complete(s->conn, portal->result.tag);
        portal->finished = true;
    }
    return true;
}

static bool on_close(void *session, char kind, const char *name, Error *err) {
    Session *s = session;
    if (kind == 'S') {
        Prepared *p = find_prepared(s, name);
        if (p) prepared_drop(s, p);
    } else {
        Portal *portal = find_portal(s, name);
        if (portal) portal_drop(s, portal);
    }
    pgwire_send_close_complete(s->conn);
    return true;
}

static bool on_sync(void *session, Error *err) {
    Session *s = session;
    finish_implicit(s);
    /* Unnamed portals end with their transaction's Sync in PostgreSQL. */
    Portal *unnamed = find_portal(s, "");
    if (unnamed) portal_drop(s, unnamed);
    return true;
}

/* The extended-protocol callbacks: any error aborts the transaction it
 * happened in (T3, and FAILED in a block), as in PostgreSQL. */
static bool abort_on_error(Session *s, bool ok) {
    if (!ok) statement_failed(s);
    return ok;
}

static bool on_parse(void *session, const char *name, const char *sql, int nparams, const uint32_t *types, Error *err) {
    return abort_on_error(session, parse_statement(session, name, sql, nparams, types, err));
}

static bool on_bind(void *session, const PgBind *b, Error *err) {
    return abort_on_error(session, bind_portal(session, b, err));
}

static bool on_describe(void *session, char kind, const char *name, Error *err) {
    return abort_on_error(session, describe(session, kind, name, err));
}

static bool on_execute(void *session, const char *portal, int32_t max_rows, Error *err) {
    return abort_on_error(session, execute_portal(session, portal, max_rows, err));
}

static char on_txn_status(void *session) {
    const Session *s = session;
    return s->state == TXN_BLOCK ? 'T' : s->state == TXN_FAILED ? 'E' : 'I';
}

/* ---- session lifecycle ------------------------------------------------------------------------------ */

static void send_parameter_statuses(PgConn *conn, const PgStartup *startup) {
    const char *app = pgwire_startup_get(startup, "application_name");
    static const char *const FIXED[][2] = {
        {"client_encoding", "UTF8"},
        {"DateStyle", "ISO, MDY"},
        {"default_transaction_read_only", "off"},
        {"in_hot_standby", "off"},
        {"integer_datetimes", "on"},
        {"IntervalStyle", "postgres"},
        {"is_superuser", "on"},
        {"server_encoding", "UTF8"},
        {"server_version", "15.0 (strand 0.1)"},
        {"session_authorization", "postgres"},
        {"standard_conforming_strings", "on"},
        {"TimeZone", "UTC"},
    };
    pgwire_send_parameter_status(conn, "application_name", app ? app : "");
    for (size_t i = 0; i < ARRAY_LEN(FIXED); i++) pgwire_send_parameter_status(conn, FIXED[i][0], FIXED[i][1]);
}

static bool check_startup(const PgStartup *startup, Error *err) {
    const char *user = pgwire_startup_get(startup, "user");
    const char *db = pgwire_startup_get(startup, "database");
    if (!db || !*db) db = user;
    if (!user || strcmp(user, "postgres") != 0) {
        error_set(err, SQLSTATE_INVALID_AUTHORIZATION_SPECIFICATION, "role \"%s\" does not exist", user ? user : "");
        err->severity = SEV_FATAL;
        return false;
    }
    if (strcmp(db, "postgres") != 0) {
        error_set(err, SQLSTATE_INVALID_CATALOG_NAME, "database \"%s\" does not exist", db);
        err->severity = SEV_FATAL;
        return false;
    }
    return true;
}

static void *on_session_open(void *engine, PgConn *conn, const PgStartup *startup, Error *err) {
    if (!check_startup(startup, err)) return NULL;
    Session *s = calloc(1, sizeof *s);
    if (!s) abort();
    s->engine = engine;
    s->conn = conn;
    s->parser = sql_parser_create();
    arena_init(&s->stmt_arena, 16384);
    arena_init(&s->query_arena, 16384);
    send_parameter_statuses(conn, startup);
    return s;
}

static void on_session_close(void *session) {
    Session *s = session;
    if (!s) return;
    if (s->txn) storage_txn_abort(s->txn);
    while (s->prepared) prepared_drop(s, s->prepared);
    while (s->portals) portal_drop(s, s->portals);
    if (s->spare) {
        arena_deinit(&s->spare->arena);
        free(s->spare->name);
        free(s->spare);
    }
    sql_parser_destroy(s->parser);
    arena_deinit(&s->stmt_arena);
    arena_deinit(&s->query_arena);
    free(s);
}

static const PgwireCallbacks CALLBACKS = {
    .session_open = on_session_open,
    .session_close = on_session_close,
    .query = on_query,
    .parse = on_parse,
    .bind = on_bind,
    .describe = on_describe,
    .execute = on_execute,
    .close = on_close,
    .sync = on_sync,
    .txn_status = on_txn_status,
};

const PgwireCallbacks *engine_callbacks(void) { return &CALLBACKS; }
