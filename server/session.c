/*
 * session.c — one client session: the pgwire callbacks, the transaction
 * state machine with savepoints, settings, prepared statements and
 * portals, and statements that park on a lock and re-run.
 *
 * Transaction states (PostgreSQL's, simplified):
 *
 *            statement (begin_implicit)              end of Query / Sync (finish_implicit)
 *   IDLE ─────────────────────────────▶ IMPLICIT ───────────────────────────────▶ IDLE
 *    │                                     │ BEGIN (txn_begin)
 *    │ BEGIN (txn_begin)                   ▼
 *    └──────────────────────────────────▶ BLOCK ── COMMIT / ROLLBACK (txn_end) ──▶ IDLE
 *                                        │    ▲
 *                  error (statement_failed)    │ ROLLBACK TO a savepoint (rollback_to)
 *                                        ▼    │
 *                                        FAILED ── COMMIT / ROLLBACK (txn_end) ──▶ IDLE
 *
 * Invariants:
 *   T1. session->txn is non-NULL in IMPLICIT and BLOCK, and in FAILED
 *       exactly when the block has savepoints (the transaction lives on;
 *       only the work since the innermost savepoint was undone).
 *   T2. In FAILED only COMMIT, ROLLBACK and ROLLBACK TO run; anything else
 *       is 25P02.
 *   T3. An error in IMPLICIT aborts it (IDLE): a multi-statement Query or a
 *       pipeline up to Sync is all-or-nothing, as in PostgreSQL.
 *   T4. A statement that meets another transaction's lock is undone
 *       (storage_txn_statement_undo), its output taken back, and parked:
 *       the connection is suspended until it re-runs to completion or
 *       fails (lock_timeout, deadlock, or its own error). While parked the
 *       session runs nothing else; its transaction keeps what it held
 *       before the statement.
 *   T5. A commit that wrote waits for its WAL record to be durable
 *       (synchronous_commit on; group commit): the session is IDLE at once
 *       and the transaction is the engine's, but the connection is
 *       suspended and the replies from the COMMIT on are held until the
 *       engine reports the record durable (session__durable); then the
 *       rest of a simple Query runs. If the record cannot be made durable
 *       the held replies are replaced by the error. CHECKPOINT waits the
 *       same way.
 *   C1. COPY FROM STDIN runs in two turns: the first sends CopyInResponse
 *       and stops the Query or Execute (RUN_COPY) with the transaction
 *       open; the data is collected until CopyDone, then the same
 *       statement runs again with all of it, as one statement (it may
 *       park and re-run like any other). CopyFail, or a bad message,
 *       fails it like a statement error (T3).
 *   C2. COPY TO of a table runs in steps of COPY_OUT_BATCH rows, one step
 *       per loop turn, its statement open in between and the connection
 *       suspended; while more than PGWIRE_OUT_HIGH_WATER bytes wait for
 *       the client it takes no step (pgwire calls back once they drain),
 *       so a slow reader holds the COPY, not the server's memory. At the
 *       end the statement runs again to complete (steps_done), as C1.
 *   Q1. A plain SELECT whose rows go to the client runs in steps too
 *       (planner_query_step): a step ends after QUERY_STEP_NS at a row
 *       boundary of its scans, the operators keeping their state, and the
 *       next one runs on a later turn as C2's, so that a long report does
 *       not hold the engine thread while others wait for point queries.
 *       Its operators live in the statement's arena, which stays until the
 *       statement completes.
 *   P1. An Execute with a row limit of a plain SELECT streams: it sends
 *       that many rows and PortalSuspended, and its query stays open in
 *       the portal (statement and snapshot too) for the next Execute of
 *       that portal, past a Sync inside a transaction block too. Any other
 *       message first settles it (the rest of its rows kept in the portal,
 *       the statement ended), so nothing runs beside an open query; a
 *       session ending just closes it.
 *   X1. A statement stops with 57014 when statement_timeout passes or a
 *       CancelRequest names its session: a parked one at once, one running
 *       in steps (C2) at its next step, one running in this turn at its
 *       next poll (planner__interrupted, every PLANNER_POLL_ROWS rows; a
 *       CancelRequest cannot be read meanwhile, the loop being busy). An
 *       idle session holds a deadline only for the idle timeouts, which
 *       end it with FATAL 25P03 or 57P05.
 *
 * It does not parse protocol bytes (pgwire) or SQL (sql), bind (planner) or
 * touch rows (storage); it sequences them.
 *
 * INTERFACE: engine_callbacks
 * INTERFACE (server-internal): session__retry, session__timeout
 */
#include "jit/jit.h"
#include "planner/planner.h"
#include "server/server_int.h"
#include "sql/sql.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

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
    uint64_t plan_settings;  /* plan cache entries: the settings_epoch it was bound under */
    bool plan_reads_catalog; /* binding read names from the catalog (regclass): any DDL outdates it */
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
    RowStore kept; /* materialized results, when run with a row limit (in `arena`) */
    size_t next_row;
    ExecResult result;
    /* P1: a SELECT run with a row limit streams: its query stays open
     * (in `arena`, its statement open) between Executes */
    struct PlannerQuery *query;
    bool streamed;         /* its rows went to the client as they came, not to `kept` */
    uint64_t sent;         /* rows sent by the Executes before this one */
    RowSink sink;          /* the wire, or `kept` once settled */
    struct WireSink *wire; /* in `arena` */
} Portal;

typedef struct Savepoint {
    char *name;
    StorageSavepoint mark;
    Settings settings, committed; /* as they were when it was set */
} Savepoint;

/* What a parked statement will resume: the rest of a simple Query, or an
 * Execute. */
typedef struct Resume {
    bool is_execute;
    StmtList list; /* Query: its statements (in query_arena), the next to run */
    int next;
    const char *sql;
    Portal *portal; /* Execute */
    int32_t max_rows;
    Prepared *cached;    /* Query: the plan cache's entry for its one statement */
    const Value *params; /* ... and its literals, as that plan's parameters */
} Resume;

/* The plan cache (simple Query): bound plans by normalised text. */
#define PLAN_CACHE_MAX 256
#define PLAN_CACHE_TEXT_MAX 4096

/* Rows to the client as DataRows, in the formats Bind asked for. */
typedef struct WireSink {
    struct Session *session;
    const int16_t *formats;
    int nformats;
} WireSink;

typedef struct Session {
    Engine *engine;
    PgConn *conn;
    SqlParser *parser;
    int32_t pid;
    char user[64];  /* the session user */
    RoleInfo login; /* its role as it was at login */
    RoleInfo role;  /* current_role()'s answer, valid while the catalog is at role_version */
    uint64_t role_version;
    int64_t txn_time_us;      /* the transaction's start (strand_now) */
    TypeCatalog type_catalog; /* regclass's names, answered from this session's transaction */
    bool read_catalog;        /* type_catalog was asked (a plan that folded a regclass holds only until any DDL) */
    bool connected;           /* client_connected hooks ran */
    Arena stmt_arena;         /* reset after every statement */
    Arena query_arena;        /* a simple Query's parse tree, reset per Query */
    Txn *txn;
    TxnState state;
    bool read_only;        /* BEGIN READ ONLY: the block may not write */
    Settings settings;     /* in effect */
    Settings committed;    /* what they become if the transaction commits (SET LOCAL goes) */
    Settings at_begin;     /* what they go back to if it aborts */
    Settings reported;     /* as the client last heard of them (ParameterStatus) */
    bool settings_saved;   /* at_begin and committed hold this transaction's (save_settings) */
    bool settings_changed; /* something may differ from `reported` */
    Settings reset_to;     /* what RESET goes back to: the server's, then the startup packet's */
    Savepoint *savepoints;
    int nsavepoints, cap_savepoints;
    StrMap prepared, portals; /* the named ones, by name */
    Prepared *unnamed_prepared;
    Portal *unnamed_portal;
    Portal *spare; /* the last unnamed portal, kept for reuse: no allocation per Bind */
    Resume resume;
    Parked parked;
    /* Waiting for the disk: a commit's WAL record (durable) or a CHECKPOINT.
     * Replies from wait_mark on are held until it ends. */
    Durable *durable;
    bool checkpointing;
    bool wait_in_query; /* the rest of a simple Query runs after it */
    size_t wait_mark;
    /* COPY FROM STDIN (C1): the data collected until CopyDone, kept until
     * the COPY ran to its end (a parked COPY re-runs from it). */
    bool copy_in;       /* in copy-in mode: CopyData arrives */
    bool copy_complete; /* CopyDone arrived: the COPY may run */
    StrBuf copy_data;
    /* COPY TO in steps (C2): the cursor, and its outcome once done. */
    PlannerCopyOut *copy_out;
    /* A SELECT in steps (Q1), with where its rows go. */
    PlannerQuery *query;
    RowSink query_sink;
    WireSink query_wire;
    /* Either of them: its next step, and its outcome once done. */
    Parked step_turn; /* queued to run its next step on the next turn */
    bool steps_done;
    ExecResult steps_result;
    /* Stopping statements (X1). */
    uint64_t statement_deadline; /* monotonic ms (now_ms), 0: none: statement_timeout */
    bool cancel_pending;         /* a CancelRequest for the statement running in steps */
    Parked idle_wait;            /* idle_in_transaction_session_timeout, idle_session_timeout */
    /* LISTEN / NOTIFY (N1). */
    Notification *notify_pending; /* NOTIFY in the open transaction, folded */
    Notification *notify_durable; /* ... of a commit waiting for the disk */
    Notification *listen_ops;     /* LISTEN (payload "L") / UNLISTEN ("U", channel "" for *) to apply at commit */
    Notification *inbox;          /* for the client, once it is idle */
    StrMap cursors;               /* DECLAREd, by name */
    /* The plan cache: normalised text -> Prepared, or UNCACHEABLE for a
     * text that does not bind with parameters (keys in plan_cache_keys). */
    StrMap plan_cache;
    Arena plan_cache_keys;
    uint64_t settings_epoch; /* bumped by every SET: a cached plan folded constants under the old ones */
    uint64_t uncacheable_at; /* the catalog version of the last UNCACHEABLE entry: any DDL retries them */
    SqlNormalized norm;
    char norm_text[PLAN_CACHE_TEXT_MAX]; /* the normalised text, then the rest of its key */
    size_t key_len;
} Session;

/* RUN_WAIT: done, but the connection waits for the disk (T5).
 * RUN_COPY: a COPY FROM STDIN waits for its data (C1).
 * RUN_STREAM: a COPY TO goes on in later turns (C2).
 * RUN_SUSPENDED: a portal's SELECT sent its rows for this Execute and
 * stays open for the next (P1). */
typedef enum RunResult { RUN_OK, RUN_ERROR, RUN_PARKED, RUN_WAIT, RUN_COPY, RUN_STREAM, RUN_SUSPENDED } RunResult;

static void report_settings(Session *s, bool all);

/* Settings may have changed: the client hears of it, and the plan cache's
 * plans rebind (DateStyle, TimeZone, ... shape what binding folds). */
static void settings_touched(Session *s) {
    s->settings_changed = true;
    s->settings_epoch++;
}
static void cursors_end_txn(Session *s, bool committed);

/* ---- transaction state machine ------------------------------------------------------- */

static StorageIsolation isolation_of(int32_t iso) {
    if (iso == SETTING_ISO_SERIALIZABLE) return ISO_SERIALIZABLE;
    return iso == SETTING_ISO_REPEATABLE_READ ? ISO_REPEATABLE_READ : ISO_READ_COMMITTED;
}

static int32_t setting_isolation(SqlIsolation iso, int32_t dflt) {
    switch (iso) {
    case SQL_ISO_READ_UNCOMMITTED: return SETTING_ISO_READ_UNCOMMITTED;
    case SQL_ISO_READ_COMMITTED: return SETTING_ISO_READ_COMMITTED;
    case SQL_ISO_REPEATABLE_READ: return SETTING_ISO_REPEATABLE_READ;
    case SQL_ISO_SERIALIZABLE: return SETTING_ISO_SERIALIZABLE;
    default: return dflt;
    }
}

static Storage *storage_of(Session *s) { return server__storage(s->engine); }

static int64_t wall_clock_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static uint64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* ---- roles ------------------------------------------------------------------------------ */

static const char *current_user(const Session *s) {
    return strcmp(s->settings.role, "none") ? s->settings.role : s->user;
}

/* The current role as the catalog has it now (its own transaction when
 * none is open); the login role if it is gone. Every CALL asks (for the
 * superuser flag), so the answer is kept until the catalog changes (role
 * DDL marks it changed, in the transaction and again at its end) or SET
 * ROLE names another role. */
static RoleInfo current_role(Session *s) {
    Storage *st = server__storage(s->engine);
    uint64_t version = storage_catalog_version(st);
    const char *name = current_user(s);
    if (s->role_version == version && !strcmp(s->role.name, name)) return s->role;
    Txn *t = s->txn ? s->txn : storage_txn_begin(st, ISO_READ_COMMITTED);
    storage_txn_statement_begin(t);
    bool found = roles_find(st, t, name, &s->role);
    storage_txn_statement_end(t);
    if (t != s->txn) storage_txn_abort(t);
    if (!found) return s->login; /* not kept: a role of that name may come */
    s->role_version = version;
    return s->role;
}

/* Microseconds since 1970 as PostgreSQL counts them: since 2000. */
static int64_t pg_time(int64_t unix_us) { return unix_us - INT64_C(946684800000000); }

/* ---- regclass: relations by name and OID, as the session's transaction sees them ---- */

static uint32_t relation_oid(void *ctx, const char *name) {
    Session *s = ctx;
    s->read_catalog = true;
    if (!s->txn) return 0;
    Table *t = storage_table_lookup(storage_of(s), s->txn, name);
    if (t) return storage_table_oid(t);
    Index *ix = storage_index_lookup(storage_of(s), s->txn, name);
    return ix ? storage_index_oid(ix) : 0;
}

/* A table's name, double-quoted unless it is a plain lower-case identifier. */
static bool relation_name(void *ctx, uint32_t oid, char *buf, size_t cap) {
    Session *s = ctx;
    s->read_catalog = true;
    if (!s->txn) return false;
    size_t n = storage_tables(storage_of(s), s->txn, NULL, 0);
    Table **tables = malloc((n + 1) * sizeof *tables);
    if (!tables) return false;
    n = storage_tables(storage_of(s), s->txn, tables, n);
    const char *name = NULL;
    for (size_t i = 0; i < n && !name; i++)
        if (storage_table_oid(tables[i]) == oid) name = storage_table_desc(tables[i])->name;
    free(tables);
    if (!name) return false;
    bool plain = (name[0] >= 'a' && name[0] <= 'z') || name[0] == '_';
    for (const char *c = name; *c && plain; c++)
        plain = (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_';
    snprintf(buf, cap, plain ? "%s" : "\"%s\"", name);
    return true;
}

/* The session the engine now works for: its settings are the ones values
 * read and print with (types_use_settings). Every callback begins here. */
static Session *serve(void *session) {
    Session *s = session;
    s->type_catalog = (TypeCatalog){s, relation_oid, relation_name};
    s->settings.types.catalog = &s->type_catalog;
    types_use_settings(&s->settings.types);
    types_set_now(pg_time(s->txn_time_us));
    return s;
}

void session__caller(void *session, JitCaller *out) {
    Session *s = serve(session);
    *out = (JitCaller){current_user(s), s->pid, s->txn_time_us, s->settings.reducer_timeout, current_role(s).superuser};
}

/* What a transaction's settings go back to if it aborts, and become when it
 * commits (SET LOCAL's end with it): copied at its first change, not at
 * every BEGIN, since nearly no transaction changes any (and Settings holds
 * strings). */
static void save_settings(Session *s) {
    if (s->settings_saved) return;
    s->at_begin = s->committed = s->settings;
    s->settings_saved = true;
}

static void open_txn(Session *s, int32_t iso) {
    s->txn_time_us = wall_clock_us();
    types_set_now(pg_time(s->txn_time_us));
    s->txn = storage_txn_begin(storage_of(s), isolation_of(iso));
    storage_txn_set_owner(s->txn, s);
    s->settings_saved = false; /* copied at the transaction's first SET (save_settings) */
    s->read_only = s->settings.default_read_only;
    if (s->read_only) storage_txn_declare_read_only(s->txn);
}

static void begin_implicit(Session *s) {
    if (s->state != TXN_IDLE) return;
    open_txn(s, s->settings.default_isolation);
    storage_txn_set_brief(s->txn, true);
    s->state = TXN_IMPLICIT;
}

static void drop_savepoints(Session *s, int keep) {
    while (s->nsavepoints > keep) free(s->savepoints[--s->nsavepoints].name);
}

/* ---- LISTEN / NOTIFY (N1) -------------------------------------------------------------------- */

static void apply_listen_ops(Session *s) {
    for (Notification *op = s->listen_ops; op; op = op->next) {
        if (op->payload[0] == 'L')
            notify__listen(s->engine, s, op->channel);
        else
            notify__unlisten(s->engine, s, op->channel[0] ? op->channel : NULL);
    }
}

/* The transaction ended: on commit LISTENs apply and the notifications go
 * out (after the disk, if the commit waits for it). */
static void notify_end_txn(Session *s, bool committed, bool durable_wait) {
    if (committed) {
        apply_listen_ops(s);
        if (durable_wait) {
            s->notify_durable = s->notify_pending;
            s->notify_pending = NULL;
        } else {
            notify__publish(s->engine, s->notify_pending);
        }
    }
    notify_free(s->notify_pending);
    notify_free(s->listen_ops);
    s->notify_pending = s->listen_ops = NULL;
}

/* A COPY TO or a SELECT runs in steps (C2, Q1). */
static bool stepping(const Session *s) { return s->copy_out || s->query; }

static bool is_idle(const Session *s) {
    return s->state == TXN_IDLE && !s->parked.linked && !s->durable && !s->checkpointing && !stepping(s) && !s->copy_in;
}

/* Sends what the inbox holds if the client waits for nothing else. */
static void deliver_notifications(Session *s) {
    if (!s->inbox || !is_idle(s)) return;
    for (Notification *n = s->inbox; n; n = n->next) pgwire_send_notification(s->conn, n->pid, n->channel, n->payload);
    notify_free(s->inbox);
    s->inbox = NULL;
}

void session__notified(void *session, const Notification *n) {
    Session *s = serve(session);
    notify_add(&s->inbox, n->pid, n->channel, n->payload, false);
    server__run_soon(s->engine, &s->step_turn); /* delivered on the next turn, outside any callback */
}

static bool notify_stmt(Session *s, const NotifyStmt *st, Error *err) {
    if (!st->channel || !st->channel[0])
        return error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "channel name cannot be empty");
    if (strlen(st->channel) >= 64) return error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "channel name too long");
    if (strlen(st->payload) >= 8000) return error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "payload string too long");
    begin_implicit(s);
    notify_add(&s->notify_pending, s->pid, st->channel, st->payload, true);
    return true;
}

bool session__notify(void *session, const char *channel, const char *payload, Error *err) {
    NotifyStmt st = {channel, payload};
    return notify_stmt(session, &st, err);
}

static bool listen_stmt(Session *s, const NotifyStmt *st, bool listen, char *tag) {
    strcpy(tag, listen ? "LISTEN" : "UNLISTEN");
    begin_implicit(s);
    notify_add(&s->listen_ops, s->pid, st->channel ? st->channel : "", listen ? "L" : "U", false);
    return true;
}

/* Ends the storage transaction; a commit may fail (SERIALIZABLE), and
 * then it is rolled back. Waiters on it re-run. */
static void portals_abandon(Session *s);

static bool end_txn(Session *s, bool commit, Error *err) {
    bool ok = true;
    if (s->txn) portals_abandon(s); /* a streaming portal's query ends with its transaction (P1) */
    if (s->txn) {
        uint64_t id = storage_txn_id(s->txn);
        Durable *d = NULL;
        bool wait = s->settings.synchronous_commit != SYNC_COMMIT_OFF;
        if (!commit || !(ok = server__commit(s->engine, s->txn, s, wait, &d, err))) storage_txn_abort(s->txn);
        s->txn = NULL;
        if (d) {
            s->durable = d; /* T5: the engine completes it */
            s->wait_mark = pgwire_output_mark(s->conn);
        } else {
            server__txn_event(s->engine, id);
            server__txn_ended(s->engine);
        }
        notify_end_txn(s, commit && ok, d != NULL);
    }
    cursors_end_txn(s, commit && ok);
    if (s->state != TXN_IDLE && s->settings_saved) {
        s->settings = commit && ok ? s->committed : s->at_begin;
        settings_touched(s);
    }
    s->settings_saved = false;
    drop_savepoints(s, 0);
    s->state = TXN_IDLE;
    s->read_only = false;
    return ok;
}

static bool finish_implicit(Session *s, Error *err) {
    if (s->state != TXN_IMPLICIT) return true;
    return end_txn(s, true, err);
}

/* T1, T3 and the FAILED edge: a block with savepoints keeps its
 * transaction and undoes only the work since the innermost one (its
 * subtransaction, in PostgreSQL's terms). */
static void statement_failed(Session *s) {
    if (s->txn) portals_abandon(s); /* P1: nothing reads on past a failure */
    if (s->state == TXN_BLOCK && s->nsavepoints > 0) {
        Savepoint *sp = &s->savepoints[s->nsavepoints - 1];
        storage_txn_rollback_to(s->txn, sp->mark);
        server__txn_event(s->engine, storage_txn_id(s->txn));
        s->state = TXN_FAILED;
        return;
    }
    if (s->state == TXN_IMPLICIT || s->state == TXN_BLOCK) {
        bool block = s->state == TXN_BLOCK;
        end_txn(s, false, NULL);
        if (block) s->state = TXN_FAILED;
    }
}

/* client_min_messages decides which notices the client gets. */
static void send_notice(void *session, const Error *notice) {
    Session *s = serve(session);
    int level = notice->severity == SEV_WARNING ? MSG_LEVEL_WARNING : MSG_LEVEL_NOTICE;
    if (level >= s->settings.client_min_messages) pgwire_send_notice(s->conn, notice);
}

static void warn(Session *s, const char *sqlstate, const char *msg) {
    Error w;
    error_set(&w, sqlstate, "%s", msg);
    w.severity = SEV_WARNING;
    send_notice(s, &w);
}

static void txn_begin(Session *s, const TxnStmt *st, char *tag) {
    strcpy(tag, st->start ? "START TRANSACTION" : "BEGIN");
    if (s->state == TXN_BLOCK || s->state == TXN_FAILED) {
        warn(s, SQLSTATE_ACTIVE_SQL_TRANSACTION, "there is already a transaction in progress");
        return;
    }
    if (s->state == TXN_IDLE) open_txn(s, setting_isolation(st->isolation, s->settings.default_isolation));
    s->state = TXN_BLOCK;
    if (st->read_only || st->read_write) s->read_only = st->read_only;
    if (s->read_only) storage_txn_declare_read_only(s->txn);
}

static bool txn_end(Session *s, bool commit, char *tag, Error *err) {
    strcpy(tag, commit && s->state != TXN_FAILED ? "COMMIT" : "ROLLBACK");
    if (s->state == TXN_IDLE || s->state == TXN_IMPLICIT)
        warn(s, SQLSTATE_NO_ACTIVE_SQL_TRANSACTION, "there is no transaction in progress");
    return end_txn(s, commit && s->state != TXN_FAILED, err);
}

/* ---- savepoints --------------------------------------------------------------------------- */

static int find_savepoint(const Session *s, const char *name) {
    for (int i = s->nsavepoints - 1; i >= 0; i--)
        if (strcmp(s->savepoints[i].name, name) == 0) return i;
    return -1;
}

static bool in_block(Session *s, const char *what, Error *err) {
    if (s->state == TXN_BLOCK || s->state == TXN_FAILED) return true;
    return error_set(err, SQLSTATE_NO_ACTIVE_SQL_TRANSACTION, "%s can only be used in transaction blocks", what);
}

static bool no_savepoint(const char *name, Error *err) {
    return error_set(err, SQLSTATE_INVALID_SAVEPOINT_SPECIFICATION, "savepoint \"%s\" does not exist", name);
}

static bool savepoint_set(Session *s, const char *name, Error *err) {
    if (!in_block(s, "SAVEPOINT", err)) return false;
    if (s->nsavepoints == s->cap_savepoints) {
        s->cap_savepoints = s->cap_savepoints ? s->cap_savepoints * 2 : 4;
        Savepoint *p = realloc(s->savepoints, (size_t)s->cap_savepoints * sizeof *p);
        if (!p) abort();
        s->savepoints = p;
    }
    Savepoint *sp = &s->savepoints[s->nsavepoints++];
    sp->name = strdup(name);
    if (!sp->name) abort();
    sp->mark = storage_txn_savepoint(s->txn);
    save_settings(s);
    sp->settings = s->settings;
    sp->committed = s->committed;
    return true;
}

static bool savepoint_release(Session *s, const char *name, Error *err) {
    if (!in_block(s, "RELEASE SAVEPOINT", err)) return false;
    int i = find_savepoint(s, name);
    if (i < 0) return no_savepoint(name, err);
    drop_savepoints(s, i);
    return true;
}

/* Undoes everything since the savepoint (rows, locks, settings) and makes
 * a failed block usable again; the savepoint itself stays. */
static bool savepoint_rollback_to(Session *s, const char *name, Error *err) {
    if (!in_block(s, "ROLLBACK TO SAVEPOINT", err)) return false;
    int i = find_savepoint(s, name);
    if (i < 0) return no_savepoint(name, err);
    Savepoint *sp = &s->savepoints[i];
    storage_txn_rollback_to(s->txn, sp->mark);
    server__txn_event(s->engine, storage_txn_id(s->txn));
    s->settings = sp->settings;
    s->committed = sp->committed;
    settings_touched(s);
    drop_savepoints(s, i + 1);
    s->state = TXN_BLOCK;
    return true;
}

/* ---- settings ------------------------------------------------------------------------------ */

static bool set_transaction(Session *s, const TxnStmt *st, Error *err) {
    if (s->state != TXN_BLOCK) {
        warn(s, SQLSTATE_NO_ACTIVE_SQL_TRANSACTION, "SET TRANSACTION can only be used in transaction blocks");
        return true;
    }
    if (st->isolation != SQL_ISO_DEFAULT &&
        !storage_txn_set_isolation(s->txn, isolation_of(setting_isolation(st->isolation, 0))))
        return error_set(err, SQLSTATE_ACTIVE_SQL_TRANSACTION,
                         "SET TRANSACTION ISOLATION LEVEL must be called before any query");
    if (st->read_only) {
        s->read_only = true;
        storage_txn_declare_read_only(s->txn);
    }
    return true;
}

/* SET ROLE: to a role that exists, and (without role memberships yet) only
 * to itself unless the session user is a superuser. */
static bool check_set_role(Session *s, const char *name, Error *err) {
    RoleInfo r;
    if (!strcmp(name, "none")) return true;
    begin_implicit(s);
    storage_txn_statement_begin(s->txn);
    bool found = roles_find(storage_of(s), s->txn, name, &r);
    storage_txn_statement_end(s->txn);
    if (!found) return error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "role \"%s\" does not exist", name);
    if (!s->login.superuser && strcmp(name, s->user) != 0)
        return error_set(err, SQLSTATE_INSUFFICIENT_PRIVILEGE, "permission denied to set role \"%s\"", name);
    return true;
}

static bool set_setting(Session *s, const SetStmt *st, char *tag, Error *err) {
    strcpy(tag, st->nvalues || !st->reset ? "SET" : "RESET");
    if (!st->name) { /* RESET ALL */
        save_settings(s);
        s->settings = s->committed = s->reset_to;
        settings_touched(s);
        return true;
    }
    if (strcmp(st->name, "transaction_isolation") == 0) {
        int32_t iso;
        if (st->nvalues != 1 || !settings_parse_isolation(st->values[0], &iso))
            return error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "invalid value for parameter \"%s\"", st->name);
        TxnStmt t = {.isolation = iso == SETTING_ISO_SERIALIZABLE      ? SQL_ISO_SERIALIZABLE
                                  : iso == SETTING_ISO_REPEATABLE_READ ? SQL_ISO_REPEATABLE_READ
                                                                       : SQL_ISO_READ_COMMITTED};
        return set_transaction(s, &t, err);
    }
    if (strcmp(st->name, "role") == 0 && st->nvalues == 1 && !check_set_role(s, st->values[0], err)) return false;
    if (st->local && s->state != TXN_BLOCK) {
        warn(s, SQLSTATE_NO_ACTIVE_SQL_TRANSACTION, "SET LOCAL can only be used in transaction blocks");
        Settings scratch = s->settings;
        return settings_set(&scratch, &s->reset_to, st->name, st->values, st->nvalues, err);
    }
    save_settings(s);
    if (!settings_set(&s->settings, &s->reset_to, st->name, st->values, st->nvalues, err)) return false;
    if (!st->local) settings_set(&s->committed, &s->reset_to, st->name, st->values, st->nvalues, err);
    settings_touched(s);
    return true;
}

static void send_text_row_description(Session *s, int n, const char *const *names) {
    PgField f[3];
    for (int i = 0; i < n; i++) f[i] = (PgField){names[i], 0, 0, TYPE_TEXT, -1, -1, 0};
    pgwire_send_row_description(s->conn, n, f);
}

static void send_text_row(Session *s, int n, const char *const *values) {
    pgwire_datarow_begin(s->conn, n);
    for (int i = 0; i < n; i++) pgwire_datarow_add(s->conn, values[i], (int32_t)strlen(values[i]));
    pgwire_datarow_end(s->conn);
}

/* Settings that are the session's state rather than a stored value. */
static bool show_session_value(Session *s, const char *name, char *value, size_t cap) {
    if (strcasecmp(name, "transaction_isolation") == 0) {
        StorageIsolation iso = s->txn ? storage_txn_isolation(s->txn) : isolation_of(s->settings.default_isolation);
        settings_format_isolation(iso == ISO_SERIALIZABLE      ? SETTING_ISO_SERIALIZABLE
                                  : iso == ISO_REPEATABLE_READ ? SETTING_ISO_REPEATABLE_READ
                                                               : SETTING_ISO_READ_COMMITTED,
                                  value, cap);
        return true;
    }
    if (strcasecmp(name, "transaction_read_only") == 0) {
        snprintf(value, cap, "%s",
                 (s->state == TXN_IDLE ? s->settings.default_read_only : s->read_only) ? "on" : "off");
        return true;
    }
    if (strcasecmp(name, "session_authorization") == 0 || strcasecmp(name, "session_user") == 0) {
        snprintf(value, cap, "%s", s->user);
        return true;
    }
    if (strcasecmp(name, "current_user") == 0) {
        snprintf(value, cap, "%s", current_user(s));
        return true;
    }
    if (strcasecmp(name, "is_superuser") == 0) {
        snprintf(value, cap, "%s", current_role(s).superuser ? "on" : "off");
        return true;
    }
    return false;
}

/* A setting's value as SHOW and current_setting() give it. */
static bool setting_value(Session *s, const char *name, char *value, size_t cap, Error *err) {
    return show_session_value(s, name, value, cap) || settings_show(&s->settings, name, value, cap, err);
}

static bool show_setting(Session *s, const ShowStmt *st, bool describe, char *tag, Error *err) {
    char value[256];
    strcpy(tag, "SHOW");
    if (!st->name) {
        static const char *const COLS[] = {"name", "setting", "description"};
        if (describe) send_text_row_description(s, 3, COLS);
        for (int i = 0; i < settings_count(); i++) {
            settings_show(&s->settings, settings_name(i), value, sizeof value, err);
            const char *row[] = {settings_name(i), value, settings_description(i)};
            send_text_row(s, 3, row);
        }
        return true;
    }
    if (!setting_value(s, st->name, value, sizeof value, err)) return false;
    const char *canonical = settings_canonical_name(st->name); /* SHOW timezone: "TimeZone" */
    const char *cols[] = {canonical ? canonical : st->name}, *row[] = {value};
    if (describe) send_text_row_description(s, 1, cols);
    send_text_row(s, 1, row);
    return true;
}

bool session__setting_get(void *session, const char *name, char *buf, size_t cap, Error *err) {
    return setting_value(session, name, buf, cap, err);
}

/* set_config(): SET or SET LOCAL, then the value it has now. */
bool session__setting_set(void *session, const char *name, const char *value, bool local, char *buf, size_t cap,
                          Error *err) {
    Session *s = serve(session);
    char tag[16];
    SetStmt st = {.name = name, .values = &value, .nvalues = 1, .local = local};
    return set_setting(s, &st, tag, err) && setting_value(s, name, buf, cap, err);
}

/* ParameterStatus for each reported setting whose value the client has
 * not heard yet, before ReadyForQuery (PostgreSQL's ReportChangedGUCOptions). */
static void report_settings(Session *s, bool all) {
    char now[256], before[256];
    Error ignore = {0};
    if (!all && !s->settings_changed) return; /* the usual case: nothing was set */
    s->settings_changed = false;
    if (!all && memcmp(&s->settings, &s->reported, sizeof s->settings) == 0) return;
    for (int i = 0; i < settings_count(); i++) {
        if (!settings_reported(i)) continue;
        const char *name = settings_name(i);
        settings_show(&s->settings, name, now, sizeof now, &ignore);
        settings_show(&s->reported, name, before, sizeof before, &ignore);
        if (all || strcmp(now, before) != 0) pgwire_send_parameter_status(s->conn, name, now);
    }
    s->reported = s->settings;
}

/* ---- checks before a statement ------------------------------------------------------------- */

static bool is_txn_control(const Stmt *stmt) { return stmt && sql_stmt_is_session_control(stmt->kind); }

static const char *write_kind(const Stmt *stmt) {
    switch (stmt->kind) {
    case STMT_INSERT: return "INSERT";
    case STMT_UPDATE: return "UPDATE";
    case STMT_DELETE: return "DELETE";
    case STMT_CREATE_TABLE: return "CREATE TABLE";
    case STMT_ALTER_TABLE: return "ALTER TABLE";
    case STMT_DROP_TABLE: return "DROP TABLE";
    case STMT_CREATE_INDEX: return "CREATE INDEX";
    case STMT_DROP_INDEX: return "DROP INDEX";
    case STMT_COPY: return stmt->u.copy.from ? "COPY FROM" : NULL;
    case STMT_SELECT: {
        static const char *const LOCKS[] = {NULL, "SELECT FOR KEY SHARE", "SELECT FOR SHARE",
                                            "SELECT FOR NO KEY UPDATE", "SELECT FOR UPDATE"};
        for (int i = 0; i < stmt->u.select.nctes; i++) /* WITH x AS (INSERT ...) SELECT: a write */
            if (stmt->u.select.ctes[i].query->kind != STMT_SELECT) return "SELECT";
        return LOCKS[stmt->u.select.locking.strength];
    }
    default: return NULL;
    }
}

static bool check_writable(const Session *s, const Stmt *stmt, Error *err) {
    bool read_only = s->state == TXN_IDLE ? s->settings.default_read_only : s->read_only;
    const char *kind = read_only ? write_kind(stmt) : NULL;
    if (!kind) return true;
    return error_set(err, SQLSTATE_READ_ONLY_SQL_TRANSACTION, "cannot execute %s in a read-only transaction", kind);
}

static bool check_not_failed(Session *s, const Stmt *stmt, Error *err) {
    if (s->state != TXN_FAILED) return true;
    if (stmt && (stmt->kind == STMT_COMMIT || stmt->kind == STMT_ROLLBACK || stmt->kind == STMT_ROLLBACK_TO))
        return true;
    return error_set(err, SQLSTATE_IN_FAILED_SQL_TRANSACTION,
                     "current transaction is aborted, commands ignored until end of transaction block");
}

/* VACUUM runs in a transaction of its own (PostgreSQL's PreventInTransactionBlock). */
static bool check_outside_block(Session *s, const Stmt *stmt, bool single, Error *err) {
    if (stmt->kind != STMT_VACUUM || (s->state == TXN_IDLE && single)) return true;
    return error_set(err, SQLSTATE_ACTIVE_SQL_TRANSACTION, "VACUUM cannot run inside a transaction block");
}

/* ---- result rows ----------------------------------------------------------------------- */

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
    Portal *stream; /* P1: the portal whose SELECT may stream, stream_rows at a time */
    int32_t stream_rows;
    bool describe; /* send RowDescription first (simple Query) */
    bool single;   /* the only statement of its Query */
    const int16_t *formats;
    int nformats;
} Run;

/* Whether a plan bound again returns the columns the statement was
 * described with (PostgreSQL's RevalidateCachedQuery). */
static bool same_result_type(const Prepared *p, const Plan *plan) {
    if (p->stmt->kind == STMT_DECLARE) return true;
    if (planner_plan_returns_rows(plan) != p->returns_rows || planner_plan_ncols(plan) != p->ncols) return false;
    const PlanColumn *cols = planner_plan_columns(plan);
    for (int i = 0; i < p->ncols; i++)
        if (cols[i].type != p->cols[i].type || cols[i].typmod != p->cols[i].typmod) return false;
    return true;
}

/* Whether p's plan holds: nothing changed in the catalog since it was
 * bound, or nothing it uses (planner_plan_current). */
static bool plan_is_current(Session *s, const Prepared *p) {
    Storage *storage = storage_of(s);
    if (!p->plan) return false;
    if (p->plan_version == storage_catalog_version(storage)) return true;
    return !p->plan_reads_catalog && planner_plan_current(p->plan, storage, p->plan_version);
}

/* A prepared statement's plan in txn, bound again only when DDL changed
 * what it uses. */
static Plan *prepared_plan(Session *s, Prepared *p, Txn *txn, Error *err) {
    Storage *storage = storage_of(s);
    if (plan_is_current(s, p)) return p->plan;
    uint64_t version = storage_catalog_version(storage);
    arena_reset(&p->plan_arena);
    s->read_catalog = false;
    bool ok = planner_bind(storage, txn, p->stmt, p->sql, &p->params, &p->plan_arena, &p->plan, err);
    p->plan_reads_catalog = s->read_catalog;
    if (!ok) {
        p->plan = NULL;
        return NULL;
    }
    if (p->cols && !same_result_type(p, p->plan)) {
        p->plan = NULL; /* its RowDescription is what the client knows */
        error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED, "cached plan must not change result type");
        return NULL;
    }
    p->plan_version = version;
    return p->plan;
}

/* CREATE / ALTER / DROP ROLE, in the transaction (roles.c). A role row
 * locked by another transaction makes this one wait as no utility
 * statement can: it fails with 55P03 instead. */
static bool role_ddl(Session *s, const Stmt *stmt, RowSink *sink, char *tag, Error *err) {
    strcpy(tag, sql_stmt_kind_name(stmt->kind));
    if (s->read_only)
        return error_set(err, SQLSTATE_READ_ONLY_SQL_TRANSACTION, "cannot execute %s in a read-only transaction", tag);
    RoleInfo who = current_role(s);
    begin_implicit(s);
    storage_txn_statement_begin(s->txn);
    StorageStatus st =
        stmt->kind == STMT_CREATE_ROLE  ? roles_create(storage_of(s), s->txn, &stmt->u.role, &who, sink, err)
        : stmt->kind == STMT_ALTER_ROLE ? roles_alter(storage_of(s), s->txn, &stmt->u.role, &who, s->user, sink, err)
                                        : roles_drop(storage_of(s), s->txn, &stmt->u.role, &who, s->user, sink, err);
    storage_txn_statement_end(s->txn);
    if (st == STORAGE_BUSY) {
        storage_txn_statement_undo(s->txn);
        return error_set(err, SQLSTATE_LOCK_NOT_AVAILABLE, "could not obtain lock on role \"%s\"",
                         stmt->u.role.name ? stmt->u.role.name : stmt->u.role.names[0]);
    }
    return st == STORAGE_OK;
}

/* ---- cursors ------------------------------------------------------------------------------- */

static void cursor_drop(Session *s, Cursor *c) {
    strmap_remove(&s->cursors, c->name);
    cursor_free(c);
}

/* Any cursor of the map that `pred` picks, or NULL. */
static Cursor *find_cursor_where(const Session *s, bool (*pred)(const Cursor *, bool), bool arg) {
    for (size_t i = 0; i < s->cursors.cap; i++) {
        Cursor *c = s->cursors.values[i];
        if (c && pred(c, arg)) return c;
    }
    return NULL;
}

/* At a transaction's end a cursor without HOLD closes, and so does a WITH
 * HOLD one declared in a transaction that aborted. */
static bool ends_with_txn(const Cursor *c, bool committed) { return !c->hold || (!committed && c->new_in_txn); }
static bool any_cursor(const Cursor *c, bool unused) { return true; }

static void cursors_end_txn(Session *s, bool committed) {
    if (!s->cursors.count) return;
    for (Cursor *c; (c = find_cursor_where(s, ends_with_txn, committed));) cursor_drop(s, c);
    for (size_t i = 0; i < s->cursors.cap; i++)
        if (s->cursors.values[i]) ((Cursor *)s->cursors.values[i])->new_in_txn = false;
}

static void cursors_close_all(Session *s) {
    for (Cursor *c; (c = find_cursor_where(s, any_cursor, false));) cursor_drop(s, c);
}

/* DECLARE: the query runs now and its rows are kept (cursor.c). */
static StorageStatus declare_cursor(Session *s, const Run *r, const Plan *plan, ExecResult *res, Error *err) {
    const CursorStmt *st = &r->stmt->u.cursor;
    strcpy(res->tag, "DECLARE CURSOR");
    if (strmap_get(&s->cursors, st->name)) {
        error_set(err, SQLSTATE_DUPLICATE_CURSOR, "cursor \"%s\" already exists", st->name);
        return STORAGE_ERROR;
    }
    if (!st->hold && s->state != TXN_BLOCK) {
        error_set(err, SQLSTATE_NO_ACTIVE_SQL_TRANSACTION, "DECLARE CURSOR can only be used in transaction blocks");
        return STORAGE_ERROR;
    }
    Cursor *c = cursor_new(st->name, planner_plan_ncols(plan), planner_plan_columns(plan), st);
    RowSink keep = {rowstore_add, &c->rows, send_notice, s, s};
    ExecResult inner;
    StorageStatus status = planner_execute(plan, storage_of(s), s->txn, r->params, &s->stmt_arena, &keep, &inner, err);
    if (status != STORAGE_OK) {
        cursor_free(c);
        return status;
    }
    c->new_in_txn = true;
    strmap_put(&s->cursors, c->name, c);
    return STORAGE_OK;
}

static Cursor *find_cursor(Session *s, const char *name, Error *err) {
    Cursor *c = strmap_get(&s->cursors, name);
    if (!c) error_set(err, SQLSTATE_INVALID_CURSOR_NAME, "cursor \"%s\" does not exist", name);
    return c;
}

typedef struct FetchOut {
    Session *s;
    int ncols;
    int16_t format;
} FetchOut;

static void fetch_row(void *ctx, const Value *row) {
    FetchOut *o = ctx;
    send_datarow(o->s->conn, row, o->ncols, &o->format, 1);
}

/* FETCH / MOVE: RowDescription (a simple Query), the rows, "FETCH n". */
static bool fetch_cursor(Session *s, const CursorStmt *st, bool describe, char *tag, Error *err) {
    Cursor *c = find_cursor(s, st->name, err);
    if (!c) return false;
    int16_t format = c->binary ? 1 : 0;
    if (describe && !st->move) send_row_description(s, true, c->ncols, c->cols, &format, 1);
    FetchOut out = {s, c->ncols, format};
    uint64_t n;
    if (!cursor_fetch(c, st, st->move ? NULL : fetch_row, &out, &n, err)) return false;
    snprintf(tag, 64, "%s %llu", st->move ? "MOVE" : "FETCH", (unsigned long long)n);
    return true;
}

static bool close_cursor(Session *s, const CursorStmt *st, char *tag, Error *err) {
    strcpy(tag, st->name ? "CLOSE CURSOR" : "CLOSE CURSOR ALL");
    if (!st->name) {
        cursors_close_all(s);
        return true;
    }
    Cursor *c = find_cursor(s, st->name, err);
    if (c) cursor_drop(s, c);
    return c != NULL;
}

/* ---- COPY (C1) ---------------------------------------------------------------------------- */

static void copy_in_begin(Session *s, const Plan *plan) {
    storage_txn_set_brief(s->txn, false); /* it lives on past this turn */
    s->copy_in = true;
    strbuf_reset(&s->copy_data);
    pgwire_copy_in_begin(s->conn, planner_copy_binary(plan), planner_copy_ncols(plan));
}

static void copy_in_forget(Session *s) {
    s->copy_in = s->copy_complete = false;
    strbuf_deinit(&s->copy_data);
    strbuf_init(&s->copy_data);
}

static bool copy_write(void *ctx, const char *data, size_t len, Error *err) {
    PgConn *conn = ctx;
    pgwire_copydata_begin(conn);
    pgwire_copydata_add(conn, data, len);
    pgwire_copydata_end(conn);
    return true;
}

#define COPY_OUT_BATCH 1000  /* rows per step: about a millisecond */
#define QUERY_STEP_NS 500000 /* a SELECT's step: half a millisecond */

static void steps_finish(Session *s) {
    planner_copy_out_end(s->copy_out);
    s->copy_out = NULL;
    planner_query_end(s->query);
    s->query = NULL;
}

/* The next step waits for the client if too much waits for it already,
 * else for the next turn of the loop. */
static void steps_schedule(Session *s) {
    pgwire_flush(s->conn);
    if (pgwire_output_pending(s->conn) > PGWIRE_OUT_HIGH_WATER) {
        pgwire_conn_want_writable(s->conn);
        return;
    }
    server__run_soon(s->engine, &s->step_turn);
}

/* The statement goes on in steps on later turns (C2, Q1). */
static RunResult steps_later(Session *s) {
    storage_txn_set_brief(s->txn, false); /* it lives on past this turn */
    pgwire_output_release(s->conn);
    steps_schedule(s);
    return RUN_STREAM;
}

/* Starts a COPY TO and runs its first step: RUN_OK if that was all,
 * RUN_STREAM if it goes on (C2), else *st says why it stopped. */
static RunResult copy_out_start(Session *s, const Plan *plan, const Run *r, ExecResult *res, StorageStatus *st,
                                Error *err) {
    pgwire_send_copy_out_response(s->conn, planner_copy_binary(plan), planner_copy_ncols(plan));
    s->copy_out = planner_copy_out_begin(plan, storage_of(s), s->txn, r->params, &s->stmt_arena, copy_write, s->conn,
                                         r->sink, err);
    if (!s->copy_out) {
        *st = err->set ? STORAGE_ERROR : STORAGE_BUSY;
        return RUN_ERROR;
    }
    bool done;
    *st = planner_copy_out_step(s->copy_out, COPY_OUT_BATCH, &done, res, err);
    if (*st != STORAGE_OK || done) {
        steps_finish(s);
        if (*st == STORAGE_OK) pgwire_send_copy_done(s->conn);
        return *st == STORAGE_OK ? RUN_OK : RUN_ERROR;
    }
    return steps_later(s);
}

/* Starts a SELECT that can run in steps (Q1) and runs its first: RUN_OK if
 * that was all, RUN_STREAM if it goes on, RUN_ERROR if *st is not OK; or
 * RUN_WAIT if the plan does not run in steps (run it whole). */
static RunResult query_start(Session *s, const Plan *plan, const Run *r, ExecResult *res, StorageStatus *st,
                             Error *err) {
    PlannerQuery *q = NULL;
    if (r->sink->row != wire_row) return RUN_WAIT; /* a cursor's rows, kept: whole */
    s->query_wire = *(const WireSink *)r->sink->ctx;
    s->query_sink = *r->sink;
    s->query_sink.ctx = &s->query_wire;
    *st = planner_query_begin(plan, storage_of(s), s->txn, r->params, &s->stmt_arena, &s->query_sink, &q, err);
    if (*st != STORAGE_OK) return RUN_ERROR;
    if (!q) return RUN_WAIT;
    s->query = q;
    bool done;
    *st = planner_query_step(q, QUERY_STEP_NS, &done, res, err);
    if (*st != STORAGE_OK || done) {
        steps_finish(s);
        return *st == STORAGE_OK ? RUN_OK : RUN_ERROR;
    }
    return steps_later(s);
}

static void finish_parked(Session *s, RunResult rr, const Error *err);
static RunResult resume_statement(Session *s, Error *err);
static void idle_begin(Session *s);

/* ---- portals that stream (P1) -------------------------------------------------------------
 * An Execute with a row limit of a plain SELECT sends that many rows and
 * PortalSuspended, the query open in the portal's arena and its statement
 * open (its snapshot too, which keeps what it reads from being reclaimed);
 * the next Execute of that portal goes on from there. Any other message
 * first settles it: the rest of its rows are kept in the portal (as a
 * portal run with a limit always was) and its statement ends, so nothing
 * else ever runs beside an open query. */

static RunResult portal_stream_start(Session *s, const Plan *plan, const Run *r, ExecResult *res, StorageStatus *st,
                                     Error *err) {
    Portal *p = r->stream;
    PlannerQuery *q = NULL;
    p->wire = arena_alloc(&p->arena, sizeof *p->wire);
    *p->wire = (WireSink){s, p->formats, p->nformats};
    p->sink = (RowSink){wire_row, p->wire, send_notice, s, s};
    *st = planner_query_begin(plan, storage_of(s), s->txn, r->params, &p->arena, &p->sink, &q, err);
    if (*st != STORAGE_OK) return RUN_ERROR;
    if (!q) return RUN_WAIT; /* not a plain SELECT: run whole, its rows kept */
    p->streamed = true;
    bool done;
    *st = planner_query_fetch(q, (uint64_t)r->stream_rows, &done, res, err);
    if (*st != STORAGE_OK || done) {
        planner_query_end(q);
        return *st == STORAGE_OK ? RUN_OK : RUN_ERROR;
    }
    p->query = q;
    p->sent = res->rows;
    storage_txn_set_brief(s->txn, false); /* it lives on past this turn */
    return RUN_SUSPENDED;
}

/* The end of a streaming portal's query and of its statement. */
static void portal_stream_close(Session *s, Portal *p) {
    planner_query_end(p->query);
    p->query = NULL;
    storage_txn_statement_end(s->txn);
    server__txn_ended(s->engine);
}

/* Up to max_rows more of a streaming portal's rows (0: all) to its sink. */
static StorageStatus portal_rows(Session *s, Portal *p, uint64_t max_rows, bool *done, ExecResult *res, Error *err) {
    s->engine->running = s; /* current_setting(), planner__interrupted */
    StorageStatus st = planner_query_fetch(p->query, max_rows, done, res, err);
    s->engine->running = NULL;
    return st;
}

/* The next Execute of a streaming portal: up to max_rows more (0: all). */
static bool portal_stream_fetch(Session *s, Portal *p, int32_t max_rows, Error *err) {
    ExecResult res;
    bool done;
    StorageStatus st = portal_rows(s, p, max_rows > 0 ? (uint64_t)max_rows : 0, &done, &res, err);
    if (st == STORAGE_OK && !done) {
        p->sent = res.rows;
        pgwire_send_portal_suspended(s->conn);
        return true;
    }
    portal_stream_close(s, p);
    p->finished = true;
    if (st != STORAGE_OK) return err->set ? false : error_set(err, SQLSTATE_INTERNAL_ERROR, "portal run failed");
    char tag[64]; /* the last piece reports its own count, as PostgreSQL's */
    snprintf(tag, sizeof tag, "SELECT %llu", (unsigned long long)(res.rows - p->sent));
    pgwire_send_command_complete(s->conn, tag);
    return true;
}

/* The portal whose query is open, if any: never more than one, since any
 * other message settles it first. */
static Portal *streaming_portal(Session *s) {
    if (s->unnamed_portal && s->unnamed_portal->query) return s->unnamed_portal;
    for (size_t i = 0; i < s->portals.cap; i++) {
        Portal *q = s->portals.values[i];
        if (q && q->query) return q;
    }
    return NULL;
}

/* Before any other message (but an Execute of `next`): the streaming
 * portal's rows left are kept in it, and its statement ends. */
static bool portals_settle(Session *s, const Portal *next, Error *err) {
    Portal *p = streaming_portal(s);
    if (!p || p == next) return true;
    p->kept = (RowStore){.arena = &p->arena};
    p->next_row = 0;
    p->sink.row = rowstore_add;
    p->sink.ctx = &p->kept;
    p->streamed = false;
    ExecResult res;
    bool done;
    StorageStatus st = portal_rows(s, p, 0, &done, &res, err);
    portal_stream_close(s, p);
    if (st == STORAGE_OK) return true;
    p->finished = true;
    return err->set ? false : error_set(err, SQLSTATE_INTERNAL_ERROR, "portal run failed");
}

/* The transaction ending (or failing): an open query closed, the rest of
 * its rows not wanted. */
static void portals_abandon(Session *s) {
    Portal *p = streaming_portal(s);
    if (!p) return;
    portal_stream_close(s, p);
    p->finished = true;
}

/* One more step of a COPY TO (C2) or a SELECT (Q1); at its end the
 * statement completes and what follows it runs. */
static void steps_continue(Session *s) {
    Error err = {0};
    bool done;
    if (!stepping(s)) return;
    server__unpark(s->engine, &s->step_turn); /* a cancel may come before its turn */
    s->engine->running = s;
    bool copy = s->copy_out != NULL;
    StorageStatus st = copy ? planner_copy_out_step(s->copy_out, COPY_OUT_BATCH, &done, &s->steps_result, &err)
                            : planner_query_step(s->query, QUERY_STEP_NS, &done, &s->steps_result, &err);
    s->engine->running = NULL;
    if (st == STORAGE_OK && !done) {
        steps_schedule(s);
        return;
    }
    steps_finish(s);
    storage_txn_statement_end(s->txn);
    RunResult rr = RUN_ERROR;
    if (st != STORAGE_OK) {
        statement_failed(s);
    } else {
        if (copy) pgwire_send_copy_done(s->conn);
        s->steps_done = true;
        rr = resume_statement(s, &err);
        if (rr == RUN_ERROR && s->resume.is_execute) statement_failed(s); /* a Query's own loop did it */
    }
    finish_parked(s, rr, &err);
}

void session__continue(void *session) {
    Session *s = serve(session);
    if (stepping(s)) {
        steps_continue(s);
        return;
    }
    deliver_notifications(s);
    pgwire_flush(s->conn);
}

static void on_writable(void *session) {
    Session *s = serve(session);
    if (stepping(s)) steps_continue(s);
}

/* Binds (or reuses) and executes a planned statement in the current
 * transaction. A statement blocked by another transaction is undone and
 * its output taken back (T4). */
static RunResult run_planned(Session *s, const Run *r, ExecResult *res, Error *err) {
    if (!check_writable(s, r->stmt, err) || !check_outside_block(s, r->stmt, r->single, err)) return RUN_ERROR;
    begin_implicit(s);
    size_t mark = pgwire_output_mark(s->conn);
    storage_txn_statement_begin(s->txn);
    Plan *plan = NULL;
    StorageStatus st = STORAGE_ERROR;
    if (r->prepared)
        plan = prepared_plan(s, r->prepared, s->txn, err);
    else if (!planner_bind(storage_of(s), s->txn, r->stmt, r->sql, NULL, &s->stmt_arena, &plan, err))
        plan = NULL;
    s->engine->running = s; /* current_setting(), planner__interrupted */
    PlannerCopyKind copy = plan ? planner_copy_kind(plan) : PLANNER_NOT_COPY;
    if (copy == PLANNER_COPY_FROM && !s->copy_complete) {
        storage_txn_statement_end(s->txn);
        pgwire_output_release(s->conn);
        copy_in_begin(s, plan);
        s->engine->running = NULL;
        return RUN_COPY;
    }
    if (copy == PLANNER_COPY_FROM) {
        st = planner_copy_from(plan, storage_of(s), s->txn, s->copy_data.data, s->copy_data.len, &s->stmt_arena, res,
                               err);
    } else if (copy == PLANNER_COPY_TO && s->steps_done) {
        *res = s->steps_result; /* C2: it ran in steps, and is complete */
        s->steps_done = false;
        st = STORAGE_OK;
    } else if (copy == PLANNER_COPY_TO) {
        if (copy_out_start(s, plan, r, res, &st, err) == RUN_STREAM) {
            s->engine->running = NULL;
            return RUN_STREAM;
        }
    } else if (plan && r->stmt->kind == STMT_DECLARE) {
        st = declare_cursor(s, r, plan, res, err);
    } else if (plan && s->steps_done) {
        *res = s->steps_result; /* Q1: it ran in steps, and is complete */
        s->steps_done = false;
        st = STORAGE_OK;
    } else if (plan) {
        if (r->describe && planner_plan_returns_rows(plan))
            send_row_description(s, true, planner_plan_ncols(plan), planner_plan_columns(plan), r->formats,
                                 r->nformats);
        RunResult rr =
            r->stream ? portal_stream_start(s, plan, r, res, &st, err) : query_start(s, plan, r, res, &st, err);
        if (rr == RUN_STREAM) {
            s->engine->running = NULL;
            return RUN_STREAM;
        }
        if (rr == RUN_SUSPENDED) { /* its statement stays open for the next Execute */
            s->engine->running = NULL;
            pgwire_output_release(s->conn);
            return RUN_SUSPENDED;
        }
        if (rr == RUN_WAIT)
            st = planner_execute(plan, storage_of(s), s->txn, r->params, &s->stmt_arena, r->sink, res, err);
    }
    s->engine->running = NULL;
    storage_txn_statement_end(s->txn);
    if (copy == PLANNER_COPY_FROM && st != STORAGE_BUSY) copy_in_forget(s);
    if (st == STORAGE_BUSY) {
        storage_txn_statement_undo(s->txn);
        pgwire_output_rewind(s->conn, mark);
        pgwire_output_release(s->conn);
        return RUN_PARKED;
    }
    pgwire_output_release(s->conn);
    server__txn_ended(s->engine);
    return st == STORAGE_OK ? RUN_OK : RUN_ERROR;
}

static bool checkpoint(Session *s, char *tag, Error *err) {
    strcpy(tag, "CHECKPOINT");
    bool wait = false;
    if (!server__checkpoint(s->engine, s, &wait, err)) return false;
    if (wait) {
        s->checkpointing = true;
        s->wait_mark = pgwire_output_mark(s->conn);
    }
    return true;
}

static bool waiting(const Session *s) { return s->durable || s->checkpointing; }

/* Transaction control and settings: they never park. */
static bool run_utility(Session *s, const Run *r, ExecResult *res, Error *err) {
    const Stmt *stmt = r->stmt;
    switch (stmt->kind) {
    case STMT_CHECKPOINT: return checkpoint(s, res->tag, err);
    case STMT_BEGIN: txn_begin(s, &stmt->u.txn, res->tag); return true;
    case STMT_COMMIT: return txn_end(s, true, res->tag, err);
    case STMT_ROLLBACK: return txn_end(s, false, res->tag, err);
    case STMT_SAVEPOINT: strcpy(res->tag, "SAVEPOINT"); return savepoint_set(s, stmt->u.savepoint.name, err);
    case STMT_RELEASE: strcpy(res->tag, "RELEASE"); return savepoint_release(s, stmt->u.savepoint.name, err);
    case STMT_ROLLBACK_TO: strcpy(res->tag, "ROLLBACK"); return savepoint_rollback_to(s, stmt->u.savepoint.name, err);
    case STMT_SET_TRANSACTION: strcpy(res->tag, "SET"); return set_transaction(s, &stmt->u.txn, err);
    case STMT_SET: begin_implicit(s); return set_setting(s, &stmt->u.set, res->tag, err);
    case STMT_SHOW: begin_implicit(s); return show_setting(s, &stmt->u.show, r->describe, res->tag, err);
    case STMT_LISTEN: return listen_stmt(s, &stmt->u.notify, true, res->tag);
    case STMT_UNLISTEN: return listen_stmt(s, &stmt->u.notify, false, res->tag);
    case STMT_NOTIFY: strcpy(res->tag, "NOTIFY"); return notify_stmt(s, &stmt->u.notify, err);
    case STMT_FETCH: begin_implicit(s); return fetch_cursor(s, &stmt->u.cursor, r->describe, res->tag, err);
    case STMT_CLOSE: return close_cursor(s, &stmt->u.cursor, res->tag, err);
    case STMT_CREATE_ROLE:
    case STMT_ALTER_ROLE:
    case STMT_DROP_ROLE: return role_ddl(s, stmt, r->sink, res->tag, err);
    default: return error_set(err, SQLSTATE_INTERNAL_ERROR, "not a utility statement");
    }
}

/* Runs one statement; fills res->tag. */
static RunResult run_statement(Session *s, const Run *r, ExecResult *res, Error *err) {
    memset(res, 0, sizeof *res);
    s->cancel_pending = false;
    s->statement_deadline = s->settings.statement_timeout > 0 ? now_ms() + (uint64_t)s->settings.statement_timeout : 0;
    if (!check_not_failed(s, r->stmt, err)) return RUN_ERROR;
    if (is_txn_control(r->stmt)) {
        if (!run_utility(s, r, res, err)) return RUN_ERROR;
        return waiting(s) ? RUN_WAIT : RUN_OK;
    }
    return run_planned(s, r, res, err);
}

/* ---- parking (T4) -------------------------------------------------------------------------- */

/* Suspends the connection until the statement re-runs (session__retry) or
 * a deadline fails it (session__timeout). */
static void park(Session *s) {
    Parked *p = &s->parked;
    uint64_t now = server__now(s->engine);
    p->session = s;
    p->nblockers = storage_txn_blockers(s->txn, p->blockers, PARK_MAX_BLOCKERS);
    p->lock_deadline = s->settings.lock_timeout > 0 ? now + (uint64_t)s->settings.lock_timeout : 0;
    p->deadlock_deadline = now + (uint64_t)s->settings.deadlock_timeout;
    uint64_t mono = now_ms();
    p->statement_deadline = !s->statement_deadline          ? 0
                            : s->statement_deadline <= mono ? now
                                                            : now + (s->statement_deadline - mono);
    storage_txn_set_brief(s->txn, false); /* it lives on past this turn */
    storage_txn_wait_begin(s->txn);
    server__park(s->engine, p);
    pgwire_conn_suspend(s->conn);
}

static void unpark(Session *s) {
    server__unpark(s->engine, &s->parked);
    if (s->txn) storage_txn_wait_end(s->txn);
}

static RunResult continue_query(Session *s, Error *err);
static RunResult run_portal(Session *s, Portal *portal, int32_t max_rows, Error *err);

static RunResult resume_statement(Session *s, Error *err) {
    if (s->resume.is_execute) return run_portal(s, s->resume.portal, s->resume.max_rows, err);
    return continue_query(s, err);
}

/* Ends a parked statement's wait with its outcome: the held replies go out
 * (with its error, if it failed) and the connection reads on. */
static void finish_parked(Session *s, RunResult rr, const Error *err) {
    if (rr == RUN_PARKED) {
        park(s);
        return;
    }
    if (rr == RUN_WAIT || rr == RUN_STREAM) return; /* still suspended: for the disk (T5), or C2 */
    if (rr == RUN_ERROR) pgwire_conn_fail_suspended(s->conn, err);
    report_settings(s, false);
    deliver_notifications(s);
    idle_begin(s);
    pgwire_conn_resume(s->conn);
}

void session__retry(void *session) {
    Session *s = serve(session);
    Error err = {0};
    unpark(s);
    RunResult rr = resume_statement(s, &err);
    if (rr == RUN_ERROR && s->resume.is_execute) statement_failed(s);
    finish_parked(s, rr, &err);
}

/* PostgreSQL's report: each waiting process, the transaction it waits for
 * and the process holding it, starting with the one that found the cycle. */
static void deadlock_error(Session *s, Txn **cycle, int n, Error *err) {
    error_set(err, SQLSTATE_DEADLOCK_DETECTED, "deadlock detected");
    StrBuf d;
    strbuf_init(&d);
    for (int i = 0; i < n; i++) {
        Txn *next = cycle[(i + 1) % n];
        Session *a = storage_txn_owner(cycle[i]), *b = storage_txn_owner(next);
        strbuf_appendf(&d, "%sProcess %d waits for ShareLock on transaction %llu; blocked by process %d.",
                       i ? "\n" : "", a ? a->pid : 0, (unsigned long long)storage_txn_xid(next), b ? b->pid : 0);
    }
    error_detail(err, "%s", d.data);
    strbuf_deinit(&d);
    error_hint(err, "See server log for query details.");
}

static void idle_timeout(Session *s);

/* A parked statement fails (a deadline, a cancel): its wait ends with err. */
static void fail_parked(Session *s, const Error *err) {
    unpark(s);
    statement_failed(s);
    finish_parked(s, RUN_ERROR, err);
}

void session__timeout(void *session, ParkTimeout why) {
    Session *s = serve(session);
    Error err = {0};
    if (why == PARK_DEADLOCK_CHECK) {
        Txn *cycle[64];
        int n = storage_deadlock_find(s->txn, cycle, (int)ARRAY_LEN(cycle));
        if (!n) return;
        deadlock_error(s, cycle, n, &err);
    } else if (why == PARK_IDLE_TIMEOUT) {
        idle_timeout(s);
        return;
    } else if (why == PARK_STATEMENT_TIMEOUT) {
        error_set(&err, SQLSTATE_QUERY_CANCELED, "canceling statement due to statement timeout");
    } else {
        error_set(&err, SQLSTATE_LOCK_NOT_AVAILABLE, "canceling statement due to lock timeout");
    }
    fail_parked(s, &err);
}

/* ---- cancel and timeouts (X1) ------------------------------------------------------------------ */

bool session__interrupted(void *session, Error *err) {
    Session *s = serve(session);
    if (s->cancel_pending) {
        s->cancel_pending = false;
        error_set(err, SQLSTATE_QUERY_CANCELED, "canceling statement due to user request");
        return true;
    }
    if (!s->statement_deadline || now_ms() < s->statement_deadline) return false;
    error_set(err, SQLSTATE_QUERY_CANCELED, "canceling statement due to statement timeout");
    return true;
}

static void on_cancel(void *session) {
    Session *s = serve(session);
    if (s->parked.linked) {
        Error err = {0};
        error_set(&err, SQLSTATE_QUERY_CANCELED, "canceling statement due to user request");
        fail_parked(s, &err);
    } else if (stepping(s)) {
        s->cancel_pending = true;
        steps_continue(s);
    }
}

/* Waiting for the client's next query: the idle timeouts run (X1). */
static void idle_begin(Session *s) {
    bool in_block = s->state == TXN_BLOCK || s->state == TXN_FAILED;
    int32_t ms = in_block ? s->settings.idle_in_transaction_session_timeout : s->settings.idle_session_timeout;
    if (ms <= 0 || s->parked.linked || waiting(s) || stepping(s) || s->copy_in) return;
    s->idle_wait.session = s;
    s->idle_wait.idle_deadline = server__now(s->engine) + (uint64_t)ms;
    server__park(s->engine, &s->idle_wait);
}

/* A message arrived: the session is no longer idle. */
static void idle_end(Session *s) {
    if (UNLIKELY(s->idle_wait.linked)) server__unpark(s->engine, &s->idle_wait);
}

static void idle_timeout(Session *s) {
    bool in_block = s->state == TXN_BLOCK || s->state == TXN_FAILED;
    Error err;
    server__unpark(s->engine, &s->idle_wait);
    if (in_block)
        error_set(&err, SQLSTATE_IDLE_IN_TRANSACTION_SESSION_TIMEOUT,
                  "terminating connection due to idle-in-transaction timeout");
    else
        error_set(&err, SQLSTATE_IDLE_SESSION_TIMEOUT, "terminating connection due to idle-session timeout");
    err.severity = SEV_FATAL;
    pgwire_send_error(s->conn, &err); /* closes it; the session ends with it */
}

/* ---- simple query ---------------------------------------------------------------------------- */

/* Runs the Query's statements from the next one on: the whole Query, or
 * what follows a statement that parked. */
static RunResult continue_query(Session *s, Error *err) {
    Resume *q = &s->resume;
    while (q->next < q->list.n) {
        WireSink w = {s, NULL, 0};
        RowSink sink = {wire_row, &w, send_notice, s, s};
        ExecResult res;
        Run run = {.stmt = q->list.items[q->next],
                   .sql = q->sql,
                   .prepared = q->cached,
                   .params = q->params,
                   .sink = &sink,
                   .describe = true,
                   .single = q->list.n == 1};
        RunResult rr = run_statement(s, &run, &res, err);
        if (rr == RUN_STREAM) return rr; /* its steps go on using the statement's arena */
        arena_reset(&s->stmt_arena);
        if (rr == RUN_PARKED || rr == RUN_COPY) return rr;
        if (rr == RUN_ERROR) {
            statement_failed(s);
            return rr;
        }
        /* As PostgreSQL does, the implicit transaction of a Query commits
         * before its last CommandComplete: a commit that fails (or waits
         * for the disk) holds back that reply too. */
        if (q->next + 1 == q->list.n && rr == RUN_OK && !finish_implicit(s, err)) return RUN_ERROR;
        if (waiting(s)) rr = RUN_WAIT;
        pgwire_send_command_complete(s->conn, res.tag);
        q->next++;
        if (rr == RUN_WAIT) {
            s->wait_in_query = true;
            return rr;
        }
    }
    if (!finish_implicit(s, err)) return RUN_ERROR;
    return waiting(s) ? RUN_WAIT : RUN_OK;
}

/* The disk wait ended (T5): the held replies go out, or the error instead
 * of them; a simple Query goes on with its next statement. */
static void wait_done(Session *s, bool ok, const Error *err) {
    bool in_query = s->wait_in_query;
    s->wait_in_query = false;
    if (!ok) {
        pgwire_output_rewind(s->conn, s->wait_mark);
        pgwire_output_release(s->conn);
        if (in_query) statement_failed(s);
        pgwire_conn_fail_suspended(s->conn, err);
        pgwire_conn_resume(s->conn);
        return;
    }
    pgwire_output_release(s->conn);
    if (in_query) {
        Error e = {0};
        RunResult rr = continue_query(s, &e);
        if (rr == RUN_ERROR) {
            pgwire_conn_fail_suspended(s->conn, &e);
            pgwire_conn_resume(s->conn);
            return;
        }
        finish_parked(s, rr, &e);
        return;
    }
    pgwire_conn_resume(s->conn);
}

void session__durable(void *session, bool ok, const Error *err) {
    Session *s = serve(session);
    s->durable = NULL;
    if (ok) notify__publish(s->engine, s->notify_durable);
    notify_free(s->notify_durable);
    s->notify_durable = NULL;
    wait_done(s, ok, err);
}

void session__checkpoint_done(void *session, bool ok, const Error *err) {
    Session *s = serve(session);
    s->checkpointing = false;
    wait_done(s, ok, err);
}

/* ---- the plan cache ---------------------------------------------------------------------------- */

/* A simple Query of one statement is looked up by its normalised text
 * (sql_normalize: literals replaced by $1..$n) among plans bound with those
 * parameters, typed as the literals are (an integer int4, int8 or numeric
 * by magnitude, a string unknown until the binder infers it). A hit costs
 * no parse and no bind; only a miss reaches tree-sitter. Whatever does not
 * bind that way (or whose literal does not convert to its parameter's
 * type) takes the ordinary path, which reports its errors where
 * PostgreSQL does. A plan rebinds when the catalog or a setting changed. */
static Prepared UNCACHEABLE;

static void prepared_free(Prepared *prep) {
    arena_deinit(&prep->arena);
    arena_deinit(&prep->plan_arena);
    free(prep->name);
    free(prep);
}

static void plan_cache_clear(Session *s) {
    for (size_t i = 0; i < s->plan_cache.cap; i++) {
        Prepared *p = s->plan_cache.values[i];
        if (p && p != &UNCACHEABLE) prepared_free(p);
    }
    strmap_deinit(&s->plan_cache);
    strmap_init(&s->plan_cache);
    arena_reset(&s->plan_cache_keys);
}

static bool cacheable_kind(const Stmt *stmt) {
    switch (stmt->kind) {
    case STMT_SELECT:
    case STMT_INSERT:
    case STMT_UPDATE:
    case STMT_DELETE:
    case STMT_CALL: return true;
    default: return false;
    }
}

static TypeId literal_type(SqlLiteralKind kind) {
    switch (kind) {
    case SQL_LITERAL_INT4: return TYPE_INT4;
    case SQL_LITERAL_INT8: return TYPE_INT8;
    case SQL_LITERAL_NUMERIC: return TYPE_NUMERIC;
    default: return TYPE_INVALID; /* inferred by the binder, as an undeclared parameter's */
    }
}

/* Binds p's statement in the session's transaction, or a scratch one. */
static bool plan_cache_bind(Session *s, Prepared *p) {
    Error ignored = {0};
    p->plan = NULL;
    Txn *txn = s->txn ? s->txn : storage_txn_begin(storage_of(s), ISO_READ_COMMITTED);
    if (!s->txn) storage_txn_statement_begin(txn);
    bool ok = prepared_plan(s, p, txn, &ignored) != NULL;
    if (!s->txn) storage_txn_abort(txn);
    p->plan_settings = s->settings_epoch;
    if (!ok || p->params.n != s->norm.n || planner_plan_folds_params(p->plan)) return false;
    /* An interval's text means what its column's fields say ('7' into an
     * interval year is 7 years), which a parameter's input does not know;
     * grouping sets match a string written twice by its text. */
    for (int i = 0; i < p->params.n; i++)
        if (s->norm.lits[i].kind == SQL_LITERAL_STRING &&
            (p->params.types[i] == TYPE_INTERVAL || planner_plan_has_grouping_sets(p->plan)))
            return false;
    return true;
}

static void plan_cache_put(Session *s, Prepared *p) {
    if (s->plan_cache.count >= PLAN_CACHE_MAX) plan_cache_clear(s);
    if (p == &UNCACHEABLE) s->uncacheable_at = storage_catalog_version(storage_of(s));
    strmap_put(&s->plan_cache, arena_strndup(&s->plan_cache_keys, s->norm_text, s->key_len), p);
}

/* A new entry for s->norm_text: parsed and bound, or NULL. */
static Prepared *plan_cache_fill(Session *s) {
    Prepared *p = calloc(1, sizeof *p);
    if (!p) abort();
    arena_init(&p->arena, 1024);
    arena_init(&p->plan_arena, 2048);
    p->sql = arena_strndup(&p->arena, s->norm_text, s->norm.len);
    p->params.cap = p->params.n = s->norm.n;
    p->params.types = arena_alloc(&p->arena, (size_t)(s->norm.n + 1) * sizeof *p->params.types);
    for (int i = 0; i < s->norm.n; i++) p->params.types[i] = literal_type(s->norm.lits[i].kind);
    StmtList list;
    Error ignored = {0};
    bool ok = sql_parse(s->parser, p->sql, s->norm.len, &p->arena, &list, &ignored) && list.n == 1 &&
              cacheable_kind(list.items[0]);
    if (ok) p->stmt = list.items[0];
    if (ok && !plan_cache_bind(s, p)) ok = false;
    plan_cache_put(s, ok ? p : &UNCACHEABLE);
    if (ok) return p;
    prepared_free(p);
    return NULL;
}

/* The cache's key: the normalised text, then its literals' kinds (an
 * entry's parameter types were inferred for those). */
static bool normalize_key(Session *s, const char *sql, size_t len) {
    size_t cap = sizeof s->norm_text - SQL_NORMALIZE_MAX_LITERALS - 2;
    if (!sql_normalize(sql, len, s->norm_text, cap, &s->norm)) return false;
    char *k = s->norm_text + s->norm.len;
    *k++ = '\x01';
    for (int i = 0; i < s->norm.n; i++) *k++ = (char)('a' + s->norm.lits[i].kind);
    *k = '\0';
    s->key_len = (size_t)(k - s->norm_text);
    return true;
}

/* Sets s->resume up to run a Query from the plan cache; false: the
 * ordinary path runs it. */
static bool plan_cache_lookup(Session *s, const char *sql, size_t len) {
    if (!normalize_key(s, sql, len)) return false;
    Prepared *p = strmap_get(&s->plan_cache, s->norm_text);
    if (p == &UNCACHEABLE && s->uncacheable_at == storage_catalog_version(storage_of(s))) return false;
    if (p == &UNCACHEABLE) { /* DDL since: it may bind now (its table created) */
        strmap_remove(&s->plan_cache, s->norm_text);
        p = NULL;
    }
    if (!p && !(p = plan_cache_fill(s))) return false;
    bool stale = !plan_is_current(s, p) || p->plan_settings != s->settings_epoch;
    if (stale && !plan_cache_bind(s, p)) {
        strmap_remove(&s->plan_cache, s->norm_text);
        prepared_free(p);
        plan_cache_put(s, &UNCACHEABLE);
        return false;
    }
    Value *params = arena_alloc(&s->query_arena, (size_t)(p->params.n + 1) * sizeof *params);
    for (int i = 0; i < p->params.n; i++) {
        size_t n;
        const char *text = sql_literal_value(sql, &s->norm.lits[i], &s->query_arena, &n);
        Error ignored = {0};
        if (!value_from_text(p->params.types[i], text, n, &s->query_arena, &params[i], &ignored)) return false;
    }
    Stmt **items = arena_alloc(&s->query_arena, sizeof *items);
    items[0] = p->stmt;
    s->resume.list = (StmtList){items, 1};
    s->resume.cached = p;
    s->resume.params = params;
    s->resume.sql = p->sql;
    return true;
}

static bool portals_settle(Session *s, const Portal *next, Error *err);

static bool on_query(void *session, const char *sql, size_t len, Error *err) {
    Session *s = serve(session);
    idle_end(s);
    if (!portals_settle(s, NULL, err)) {
        statement_failed(s);
        idle_begin(s);
        return false;
    }
    arena_reset(&s->stmt_arena);
    arena_reset(&s->query_arena);
    s->resume = (Resume){.sql = sql};
    if (!plan_cache_lookup(s, sql, len)) {
        s->resume = (Resume){.sql = sql};
        if (!sql_parse(s->parser, sql, len, &s->query_arena, &s->resume.list, err)) {
            statement_failed(s);
            idle_begin(s);
            return false;
        }
        /* The text lives in pgwire's message only while this callback runs. */
        s->resume.sql = arena_strndup(&s->query_arena, sql, len);
        if (s->resume.list.n == 0) pgwire_send_empty_query(s->conn);
    }
    RunResult rr = continue_query(s, err);
    if (rr == RUN_PARKED) park(s);
    if (rr == RUN_WAIT || rr == RUN_STREAM) pgwire_conn_suspend(s->conn);
    report_settings(s, false);
    deliver_notifications(s);
    idle_begin(s);
    return rr != RUN_ERROR;
}

/* ---- extended protocol: prepared statements ---------------------------------------------------- */

/* The unnamed statement and portal, used for nearly every query by most
 * drivers, live outside the maps: no hashing on the hot path. */
static Prepared *find_prepared(Session *s, const char *name) {
    return *name ? strmap_get(&s->prepared, name) : s->unnamed_prepared;
}

static Portal *find_portal(Session *s, const char *name) {
    return *name ? strmap_get(&s->portals, name) : s->unnamed_portal;
}

static void register_prepared(Session *s, Prepared *p, bool add) {
    if (!*p->name)
        s->unnamed_prepared = add ? p : NULL;
    else if (add)
        strmap_put(&s->prepared, p->name, p);
    else
        strmap_remove(&s->prepared, p->name);
}

static void register_portal(Session *s, Portal *p, bool add) {
    if (!*p->name)
        s->unnamed_portal = add ? p : NULL;
    else if (add)
        strmap_put(&s->portals, p->name, p);
    else
        strmap_remove(&s->portals, p->name);
}

static void portal_stream_close(Session *s, Portal *p);

static void portal_drop(Session *s, Portal *portal) {
    if (portal->query) portal_stream_close(s, portal);
    register_portal(s, portal, false);
    if (!*portal->name && !s->spare) {
        arena_reset(&portal->arena);
        s->spare = portal;
        return;
    }
    arena_deinit(&portal->arena);
    free(portal->name);
    free(portal);
}

/* A new portal, the spare one if it fits. */
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
    register_portal(s, portal, true);
    return portal;
}

/* A portal of the map made from `prep` (any portal if prep is NULL). A
 * drop moves entries, so callers look again after each one. */
static Portal *portal_of(const Session *s, const Prepared *prep) {
    for (size_t i = 0; i < s->portals.cap; i++) {
        Portal *p = s->portals.values[i];
        if (p && (!prep || p->prepared == prep)) return p;
    }
    return NULL;
}

static Prepared *any_prepared(const Session *s) {
    for (size_t i = 0; i < s->prepared.cap; i++)
        if (s->prepared.values[i]) return s->prepared.values[i];
    return NULL;
}

static void drop_portals_of(Session *s, Prepared *prep) {
    if (s->unnamed_portal && s->unnamed_portal->prepared == prep) portal_drop(s, s->unnamed_portal);
    Portal *p;
    while ((p = portal_of(s, prep))) portal_drop(s, p);
}

static void prepared_drop(Session *s, Prepared *prep) {
    drop_portals_of(s, prep);
    register_prepared(s, prep, false);
    prepared_free(prep);
}

/* Binds at Parse time: infers parameter types and result columns for
 * Describe, and caches the plan for Execute (prepared_plan), inside a
 * scratch transaction if none is open. */
static bool describe_prepared(Session *s, Prepared *p, Error *err) {
    if (p->stmt && p->stmt->kind == STMT_FETCH && !p->stmt->u.cursor.move) {
        Cursor *c = find_cursor(s, p->stmt->u.cursor.name, err); /* its rows are the cursor's */
        if (!c) return false;
        p->returns_rows = true;
        p->ncols = c->ncols;
        p->cols = arena_alloc(&p->arena, (size_t)(c->ncols + 1) * sizeof *p->cols);
        for (int i = 0; i < c->ncols; i++) {
            p->cols[i] = c->cols[i];
            p->cols[i].name = arena_strdup(&p->arena, c->cols[i].name);
        }
        return true;
    }
    if (!p->stmt || is_txn_control(p->stmt)) {
        p->returns_rows = p->stmt && p->stmt->kind == STMT_SHOW;
        if (p->returns_rows) {
            static const char *const ALL[] = {"name", "setting", "description"};
            const char *name = p->stmt->u.show.name;
            p->ncols = name ? 1 : 3;
            p->cols = arena_zalloc(&p->arena, 3 * sizeof *p->cols);
            for (int i = 0; i < p->ncols; i++) p->cols[i] = (PlanColumn){name ? name : ALL[i], TYPE_TEXT, -1, 0, 0};
        }
        return true;
    }
    Txn *txn = s->txn ? s->txn : storage_txn_begin(storage_of(s), ISO_READ_COMMITTED);
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
    p->returns_rows = planner_plan_returns_rows(p->plan) && p->stmt->kind != STMT_DECLARE;
    p->ncols = p->returns_rows ? planner_plan_ncols(p->plan) : 0;
    p->cols = arena_alloc(&p->arena, (size_t)(p->ncols + 1) * sizeof *p->cols);
    if (p->ncols) memcpy(p->cols, planner_plan_columns(p->plan), (size_t)p->ncols * sizeof *p->cols);
    /* The names belong to the table, which may be dropped while the
     * statement lives on. */
    for (int i = 0; i < p->ncols; i++) p->cols[i].name = arena_strdup(&p->arena, p->cols[i].name);
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
    register_prepared(s, p, true);
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
    while (portal->next_row < portal->kept.n && (max_rows <= 0 || sent < (uint64_t)max_rows)) {
        send_datarow(s->conn, portal->kept.rows[portal->next_row++], portal->prepared->ncols, portal->formats,
                     portal->nformats);
        sent++;
    }
    if (portal->next_row < portal->kept.n) {
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

/* The first run of a portal: its statement, its rows (kept if Execute
 * limits them) and its CommandComplete. */
static RunResult run_portal(Session *s, Portal *portal, int32_t max_rows, Error *err) {
    Prepared *p = portal->prepared;
    WireSink w = {s, portal->formats, portal->nformats};
    RowSink wire = {wire_row, &w, send_notice, s, s}, keep = {rowstore_add, &portal->kept, send_notice, s, s};
    bool limited = max_rows > 0 && p->returns_rows;
    Run run = {.stmt = p->stmt,
               .sql = p->sql,
               .prepared = p,
               .params = portal->params,
               .sink = limited ? &keep : &wire,
               .stream = limited && p->stmt->kind == STMT_SELECT ? portal : NULL,
               .stream_rows = max_rows,
               .single = true,
               .formats = portal->formats,
               .nformats = portal->nformats};
    portal->kept = (RowStore){.arena = &portal->arena};
    portal->next_row = 0;
    portal->streamed = false;
    RunResult rr = run_statement(s, &run, &portal->result, err);
    if (rr == RUN_STREAM) return rr; /* its steps go on using the statement's arena */
    arena_reset(&s->stmt_arena);
    if (rr == RUN_SUSPENDED) {
        pgwire_send_portal_suspended(s->conn);
        return RUN_OK;
    }
    if (rr != RUN_OK && rr != RUN_WAIT) return rr; /* RUN_COPY: it runs again at CopyDone */
    if (limited && !portal->streamed) {
        send_portal_rows(s, portal, max_rows);
    } else {
        pgwire_send_command_complete(s->conn, portal->result.tag);
        portal->finished = true;
    }
    return rr;
}

static bool execute_portal(Session *s, const char *name, int32_t max_rows, Error *err) {
    Portal *portal = find_portal(s, name);
    if (!portal) return error_set(err, SQLSTATE_INVALID_CURSOR_NAME, "portal \"%s\" does not exist", name);
    if (!portal->prepared->stmt) {
        pgwire_send_empty_query(s->conn);
        return true;
    }
    if (portal->started) {
        if (portal->query) return portal_stream_fetch(s, portal, max_rows, err);
        if (portal->finished) {
            pgwire_send_command_complete(s->conn, "SELECT 0");
            return true;
        }
        send_portal_rows(s, portal, max_rows);
        return true;
    }
    portal->started = true;
    s->resume = (Resume){.is_execute = true, .portal = portal, .max_rows = max_rows};
    RunResult rr = run_portal(s, portal, max_rows, err);
    if (rr == RUN_PARKED) park(s);
    if (rr == RUN_WAIT || rr == RUN_STREAM) pgwire_conn_suspend(s->conn);
    return rr != RUN_ERROR;
}

static bool on_close(void *session, char kind, const char *name, Error *err) {
    Session *s = serve(session);
    idle_end(s);
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
    Session *s = serve(session);
    idle_end(s);
    /* in a block a named portal streams on past Sync (JDBC's fetch size);
     * a Sync that ends the transaction settles it first */
    if (s->state != TXN_BLOCK && !portals_settle(s, NULL, err)) statement_failed(s);
    bool ok = !err->set && finish_implicit(s, err);
    report_settings(s, false);
    if (ok && waiting(s)) pgwire_conn_suspend(s->conn);
    /* Unnamed portals end with their transaction's Sync in PostgreSQL. */
    Portal *unnamed = find_portal(s, "");
    if (unnamed) portal_drop(s, unnamed);
    deliver_notifications(s);
    idle_begin(s);
    return ok;
}

/* The extended-protocol callbacks: any error aborts the transaction it
 * happened in (T3, and FAILED in a block), as in PostgreSQL. */
static bool abort_on_error(Session *s, bool ok) {
    idle_end(s);
    if (!ok) statement_failed(s);
    return ok;
}

static bool on_parse(void *session, const char *name, const char *sql, int nparams, const uint32_t *types, Error *err) {
    Session *s = serve(session);
    return abort_on_error(s, portals_settle(s, NULL, err) && parse_statement(s, name, sql, nparams, types, err));
}

static bool on_bind(void *session, const PgBind *b, Error *err) {
    Session *s = serve(session);
    /* the unnamed portal a Bind replaces is dropped, not settled */
    return abort_on_error(s, portals_settle(s, *b->portal ? NULL : s->unnamed_portal, err) && bind_portal(s, b, err));
}

static bool on_describe(void *session, char kind, const char *name, Error *err) {
    Session *s = serve(session);
    return abort_on_error(s, portals_settle(s, NULL, err) && describe(s, kind, name, err));
}

static bool on_execute(void *session, const char *portal, int32_t max_rows, Error *err) {
    Session *s = serve(session);
    return abort_on_error(s,
                          portals_settle(s, find_portal(s, portal), err) && execute_portal(s, portal, max_rows, err));
}

/* ---- COPY FROM STDIN's data (C1) ------------------------------------------------------------------ */

static bool on_copy_data(void *session, const char *data, size_t len, Error *err) {
    Session *s = serve(session);
    strbuf_append(&s->copy_data, data, len);
    return true;
}

/* The data is all there: the COPY runs again, now to its end, and a
 * simple Query goes on after it. */
static bool on_copy_done(void *session, Error *err) {
    Session *s = serve(session);
    s->copy_in = false;
    s->copy_complete = true;
    RunResult rr = resume_statement(s, err);
    if (rr == RUN_ERROR && s->resume.is_execute) statement_failed(s);
    if (rr == RUN_PARKED) park(s);
    if (rr == RUN_WAIT || rr == RUN_STREAM) pgwire_conn_suspend(s->conn);
    report_settings(s, false);
    return rr != RUN_ERROR;
}

static void on_copy_abort(void *session) {
    Session *s = serve(session);
    copy_in_forget(s);
    statement_failed(s);
    report_settings(s, false);
}

static char on_txn_status(void *session) {
    const Session *s = session;
    return s->state == TXN_BLOCK ? 'T' : s->state == TXN_FAILED ? 'E' : 'I';
}

/* ---- session lifecycle ------------------------------------------------------------------------------ */

/* At startup, every reported setting, and who the session is. */
static void send_parameter_statuses(Session *s) {
    report_settings(s, true);
    pgwire_send_parameter_status(s->conn, "is_superuser", s->login.superuser ? "on" : "off");
    pgwire_send_parameter_status(s->conn, "session_authorization", s->user);
}

/* Startup parameters other than these are settings (PostgreSQL's
 * process_startup_options), applied like SET. */
static bool apply_startup_settings(Session *s, const PgStartup *startup, Error *err) {
    static const char *const NOT_SETTINGS[] = {"user", "database", "options", "replication"};
    for (int i = 0; i < startup->n; i++) {
        bool skip = false;
        for (size_t k = 0; k < ARRAY_LEN(NOT_SETTINGS); k++) skip |= strcmp(startup->names[i], NOT_SETTINGS[k]) == 0;
        if (skip) continue;
        const char *value = startup->values[i];
        if (!settings_set(&s->settings, &s->reset_to, startup->names[i], &value, 1, err)) return false;
    }
    return true;
}

/* The role may log in here: it exists, may LOGIN, is under its CONNECTION
 * LIMIT, and the database is the one there is. */
static bool check_login(Session *s, const PgStartup *startup, Error *err) {
    const char *user = pgwire_startup_get(startup, "user");
    const char *db = pgwire_startup_get(startup, "database");
    Storage *st = storage_of(s);
    Txn *t = storage_txn_begin(st, ISO_READ_COMMITTED);
    storage_txn_statement_begin(t);
    bool found = roles_find(st, t, user ? user : "", &s->login);
    storage_txn_statement_end(t);
    storage_txn_abort(t);
    if (!found) return error_set(err, SQLSTATE_INVALID_AUTHORIZATION_SPECIFICATION, "role \"%s\" does not exist", user);
    if (!s->login.login)
        return error_set(err, SQLSTATE_INVALID_AUTHORIZATION_SPECIFICATION, "role \"%s\" is not permitted to log in",
                         user);
    if (strcmp(db ? db : "", "postgres") != 0)
        return error_set(err, SQLSTATE_INVALID_CATALOG_NAME, "database \"%s\" does not exist", db ? db : "");
    RoleCount *rc = strmap_get(&s->engine->logins, s->login.name);
    if (s->login.conn_limit >= 0 && !s->login.superuser && rc && rc->n >= s->login.conn_limit)
        return error_set(err, SQLSTATE_TOO_MANY_CONNECTIONS, "too many connections for role \"%s\"", user);
    if (!rc) {
        if (!(rc = calloc(1, sizeof *rc))) abort();
        snprintf(rc->name, sizeof rc->name, "%s", s->login.name);
        strmap_put(&s->engine->logins, rc->name, rc);
    }
    rc->n++;
    return true;
}

static void count_logout(Session *s) {
    RoleCount *rc = s->login.name[0] ? strmap_get(&s->engine->logins, s->login.name) : NULL;
    if (!rc || --rc->n > 0) return;
    strmap_remove(&s->engine->logins, rc->name);
    free(rc);
}

/* How a connection authenticates: strand_hba.conf's method, and for a
 * password the role's verifier (none: the exchange fails as a wrong
 * password would, PostgreSQL's rule for unknown roles). */
static bool on_authenticate(void *engine, const PgStartup *startup, const PgPeer *peer, PgAuth *auth, Error *err) {
    Engine *e = engine;
    const char *user = pgwire_startup_get(startup, "user"), *db = pgwire_startup_get(startup, "database");
    HbaMethod m;
    if (!hba_method(e->config.data_dir, peer, db ? db : "", user ? user : "", &m, err)) return false;
    if (m == HBA_REJECT)
        return error_set(err, SQLSTATE_INVALID_AUTHORIZATION_SPECIFICATION,
                         "strand_hba.conf rejects connection for host \"%s\", user \"%s\", database \"%s\", %s",
                         peer->local ? "[local]" : peer->addr, user, db,
                         peer->tls ? "SSL encryption" : "no encryption");
    auth->method = m == HBA_TRUST ? PGAUTH_TRUST : m == HBA_PASSWORD ? PGAUTH_PASSWORD : PGAUTH_SCRAM;
    if (m == HBA_TRUST) return true;
    RoleInfo r;
    Txn *t = storage_txn_begin(e->storage, ISO_READ_COMMITTED);
    storage_txn_statement_begin(t);
    bool found = roles_find(e->storage, t, user ? user : "", &r);
    storage_txn_statement_end(t);
    storage_txn_abort(t);
    auth->has_verifier = found && r.has_password;
    if (auth->has_verifier) snprintf(auth->verifier, sizeof auth->verifier, "%s", r.verifier);
    return true;
}

static void on_session_close(void *session);

/* The next blank-separated word of a startup options string, a backslash
 * escaping the next character (PostgreSQL's pg_split_opts); "" at the end. */
static const char *next_option_word(const char **opts, char *word, size_t cap) {
    const char *p = *opts;
    while (*p == ' ' || *p == '\t') p++;
    size_t n = 0;
    for (; *p && *p != ' ' && *p != '\t'; p++) {
        if (*p == '\\' && p[1]) p++;
        if (n + 1 < cap) word[n++] = *p;
    }
    word[n] = '\0';
    *opts = p;
    return word;
}

/* The startup packet's options (PGOPTIONS): "-c name=value", "-cname=value"
 * or "--name=value", each a setting for this session. */
static bool apply_startup_options(Session *s, const char *opts, Error *err) {
    char word[1024];
    while (opts && *next_option_word(&opts, word, sizeof word)) {
        char *setting;
        if (strcmp(word, "-c") == 0)
            setting = (char *)next_option_word(&opts, word, sizeof word);
        else if (strncmp(word, "--", 2) == 0 || strncmp(word, "-c", 2) == 0)
            setting = word + 2;
        else
            return error_set(err, SQLSTATE_SYNTAX_ERROR, "invalid command-line argument for server process: %s", word);
        char *eq = strchr(setting, '=');
        if (!eq) return error_set(err, SQLSTATE_SYNTAX_ERROR, "-c %s requires a value", setting);
        *eq = '\0';
        for (char *p = setting; *p; p++)
            if (*p == '-') *p = '_';
        const char *value = eq + 1;
        if (!settings_set(&s->settings, &s->reset_to, setting, &value, 1, err)) return false;
    }
    return true;
}

/* Modules' client_connected / client_disconnected hooks, in a transaction of
 * their own (committed without waiting for the disk: the client is not
 * told about it). A hook meeting another transaction's lock cannot park
 * here: it fails (55P03). */
static bool run_session_hook(Session *s, bool connected, Error *err) {
    Jit *jit = server__jit(s->engine);
    if (!jit) return true;
    Txn *t = storage_txn_begin(storage_of(s), ISO_READ_COMMITTED);
    uint64_t id = storage_txn_id(t);
    StorageStatus st = connected ? jit_client_connected(jit, t, s, err) : jit_client_disconnected(jit, t, s, err);
    if (st == STORAGE_BUSY)
        error_set(err, SQLSTATE_LOCK_NOT_AVAILABLE, "could not run the %s hooks: a row they need is locked",
                  connected ? "client_connected" : "client_disconnected");
    Durable *d;
    bool ok = st == STORAGE_OK && server__commit(s->engine, t, NULL, false, &d, err);
    if (!ok) storage_txn_abort(t);
    server__txn_event(s->engine, id);
    server__txn_ended(s->engine);
    return ok;
}

static bool run_connect_hooks(Session *s, Error *err) {
    s->txn_time_us = wall_clock_us();
    return run_session_hook(s, true, err);
}

static void *on_session_open(void *engine, PgConn *conn, const PgStartup *startup, Error *err) {
    Session *s = calloc(1, sizeof *s);
    if (!s) abort();
    s->engine = engine;
    s->conn = conn;
    s->step_turn.session = s;
    s->pid = pgwire_conn_process_id(conn);
    const char *user = pgwire_startup_get(startup, "user");
    snprintf(s->user, sizeof s->user, "%s", user ? user : "");
    s->parser = sql_parser_create();
    arena_init(&s->stmt_arena, 16384);
    arena_init(&s->query_arena, 16384);
    strmap_init(&s->prepared);
    strmap_init(&s->portals);
    strmap_init(&s->cursors);
    strmap_init(&s->plan_cache);
    arena_init(&s->plan_cache_keys, 4096);
    strbuf_init(&s->copy_data);
    s->settings = s->reset_to = *server__boot_settings(engine);
    serve(s);
    if (!check_login(s, startup, err)) {
        on_session_close(s);
        err->severity = SEV_FATAL;
        return NULL;
    }
    if (!apply_startup_options(s, pgwire_startup_get(startup, "options"), err) ||
        !apply_startup_settings(s, startup, err)) {
        on_session_close(s);
        err->severity = SEV_FATAL;
        return NULL;
    }
    s->reset_to = s->settings; /* RESET goes back to what the client connected with */
    if (!run_connect_hooks(s, err)) {
        on_session_close(s);
        err->severity = SEV_FATAL;
        return NULL;
    }
    s->connected = true; /* its client_disconnected hooks will run */
    send_parameter_statuses(s);
    return s;
}

/* A client that leaves while parked gives up its wait and everything its
 * transaction held, and whoever waited for it re-runs. */
static void on_session_close(void *session) {
    Session *s = serve(session);
    if (!s) return;
    unpark(s);
    server__unpark(s->engine, &s->step_turn);
    server__unpark(s->engine, &s->idle_wait);
    notify__unlisten(s->engine, s, NULL);
    if (stepping(s)) {
        steps_finish(s);
        storage_txn_statement_end(s->txn);
    }
    end_txn(s, false, NULL);
    if (s->connected) {
        Error err = {0};
        s->txn_time_us = wall_clock_us();
        if (!run_session_hook(s, false, &err)) log_warn("client_disconnected: %s", err.message);
    }
    if (s->durable) server__durable_forget(s->engine, s->durable);
    if (s->checkpointing) server__checkpoint_forget(s->engine, s);
    if (s->unnamed_prepared) prepared_drop(s, s->unnamed_prepared);
    if (s->unnamed_portal) portal_drop(s, s->unnamed_portal);
    Portal *portal;
    while ((portal = portal_of(s, NULL))) portal_drop(s, portal);
    for (Prepared *p; (p = any_prepared(s));) prepared_drop(s, p);
    if (s->spare) {
        arena_deinit(&s->spare->arena);
        free(s->spare->name);
        free(s->spare);
    }
    cursors_close_all(s);
    count_logout(s);
    strmap_deinit(&s->prepared);
    strmap_deinit(&s->portals);
    strmap_deinit(&s->cursors);
    plan_cache_clear(s);
    strmap_deinit(&s->plan_cache);
    arena_deinit(&s->plan_cache_keys);
    free(s->savepoints);
    sql_parser_destroy(s->parser);
    arena_deinit(&s->stmt_arena);
    arena_deinit(&s->query_arena);
    strbuf_deinit(&s->copy_data);
    notify_free(s->notify_pending);
    notify_free(s->notify_durable);
    notify_free(s->listen_ops);
    notify_free(s->inbox);
    free(s);
    types_use_settings(NULL); /* its settings went with it */
}

static const PgwireCallbacks CALLBACKS = {
    .authenticate = on_authenticate,
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
    .copy_data = on_copy_data,
    .copy_done = on_copy_done,
    .copy_abort = on_copy_abort,
    .writable = on_writable,
    .cancel = on_cancel,
};

const PgwireCallbacks *engine_callbacks(void) { return &CALLBACKS; }
