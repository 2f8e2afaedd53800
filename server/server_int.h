/* server_int.h — internals shared by engine.c and session.c. */
#ifndef STRAND_SERVER_INT_H
#define STRAND_SERVER_INT_H

#include "server/server.h"
#include "pgwire/pgwire.h"
#include "planner/planner.h"
#include "storage/storage.h"

/* ---- settings.c ------------------------------------------------------------------- */
enum {
    SETTING_ISO_READ_UNCOMMITTED,
    SETTING_ISO_READ_COMMITTED,
    SETTING_ISO_REPEATABLE_READ,
    SETTING_ISO_SERIALIZABLE
};

typedef struct Settings {
    int32_t lock_timeout;     /* ms, 0: none */
    int32_t deadlock_timeout; /* ms */
    int32_t client_connection_check_interval;
    int32_t default_isolation;                   /* SETTING_ISO_* */
    int32_t synchronous_commit;                  /* SYNC_COMMIT_*: local, remote_write, remote_apply, on, off */
    int32_t wal_sync_method;                     /* WalSyncMethod */
    int32_t wal_writer_delay;                    /* ms */
    int32_t checkpoint_timeout;                  /* ms */
    int32_t max_wal_size;                        /* MB */
    int32_t max_message_size;                    /* MB: the largest protocol message taken (strand) */
    int32_t authentication_timeout;              /* ms */
    int32_t reducer_timeout;                     /* ms, 0: none */
    int32_t statement_timeout;                   /* ms, 0: none */
    int32_t idle_in_transaction_session_timeout; /* ms, 0: none */
    int32_t idle_session_timeout;                /* ms, 0: none */
    int32_t client_min_messages;                 /* MSG_LEVEL_* */
    int32_t default_read_only;                   /* bool */
    int32_t standard_conforming_strings;         /* bool: on only */
    TypeSettings types;                          /* extra_float_digits, bytea_output: what types/ reads */
    char application_name[64];
    char search_path[256];
    char datestyle[16];
    char timezone[128]; /* as timezone_name spells it; types.timezone is the zone */
    char intervalstyle[20];
    char client_encoding[16];
    char role[64]; /* SET ROLE: "none", or the role in effect */
} Settings;

/* client_min_messages, in PostgreSQL's order: a message is sent if its
 * level is at least the setting. */
enum {
    MSG_LEVEL_DEBUG5,
    MSG_LEVEL_DEBUG4,
    MSG_LEVEL_DEBUG3,
    MSG_LEVEL_DEBUG2,
    MSG_LEVEL_DEBUG1,
    MSG_LEVEL_LOG,
    MSG_LEVEL_NOTICE,
    MSG_LEVEL_WARNING,
    MSG_LEVEL_ERROR
};

#define SYNC_COMMIT_ON 3
#define SYNC_COMMIT_OFF 4

void settings_defaults(Settings *st);
/* SET name = values (n == 0: back to the server's value, `boot`). Errors:
 * 42704 unrecognized configuration parameter, 22023 invalid value, 55P02
 * for a setting fixed at start or read only, 0A000 for a value PostgreSQL
 * accepts but strand does not support. */
bool settings_set(Settings *st, const Settings *boot, const char *name, const char *const *values, int n, Error *err);
/* strand start -c name=value: any setting, before sessions exist. */
bool settings_configure(Settings *st, const char *name, const char *value, Error *err);
bool settings_show(const Settings *st, const char *name, char *buf, size_t cap, Error *err);
/* Every setting, sorted by name (SHOW ALL): name, description, and whether
 * a change is reported to the client (ParameterStatus, GUC_REPORT). */
int settings_count(void);
const char *settings_name(int i);
const char *settings_description(int i);
bool settings_reported(int i);
/* The canonical spelling of a name (SHOW timezone's column is TimeZone), or NULL. */
const char *settings_canonical_name(const char *name);
bool settings_parse_isolation(const char *value, int32_t *out);
void settings_format_isolation(int32_t iso, char *buf, size_t cap);

/* ---- lock waits (engine.c) ------------------------------------------------------------
 * A parked statement: its session, what it waits for, its deadlines (uv
 * loop milliseconds; 0: none). The engine keeps them in parking order and
 * re-runs them (session__retry) when one of their blockers ends or gives
 * locks back, or fails them when a deadline passes (session__timeout). */
#define PARK_MAX_BLOCKERS 16

typedef struct Parked {
    struct Parked *prev, *next;
    void *session;
    uint64_t blockers[PARK_MAX_BLOCKERS]; /* transaction ids */
    int nblockers;
    uint64_t lock_deadline, deadlock_deadline;
    uint64_t statement_deadline; /* statement_timeout */
    uint64_t idle_deadline;      /* idle_in_transaction_session_timeout, idle_session_timeout */
    bool wake;                   /* a blocker moved: re-run it */
    bool soon;                   /* server__run_soon: session__continue on the next turn */
    bool linked;                 /* in the engine's list */
} Parked;

typedef enum ParkTimeout {
    PARK_LOCK_TIMEOUT,
    PARK_DEADLOCK_CHECK,
    PARK_STATEMENT_TIMEOUT,
    PARK_IDLE_TIMEOUT
} ParkTimeout;

/* A commit waiting for its WAL record to be durable (group commit): the
 * prepared transaction, its record, and the session to tell (NULL once the
 * client left: the commit still completes). In LSN order. */
typedef struct Durable {
    struct Durable *next;
    Txn *txn;
    uint64_t start, end; /* its record */
    void *session;
} Durable;

struct Engine {
    void *loop;
    EngineConfig config;
    Settings boot; /* the server's settings: defaults, then strand start -c */
    Storage *storage;
    void *jit;              /* Jit*: procedures */
    void *wal;              /* Wal*; NULL: no data folder (unit tests), nothing is durable */
    void *wal_async;        /* uv_async_t: the WAL thread or checkpoint writer moved */
    void *checkpoint_timer; /* uv_timer_t: checkpoint_timeout */
    void *schedule_timer;   /* uv_timer_t: scheduled reducers */
    Durable *durable_head, *durable_tail, *durable_spare;
    void **checkpoint_waiters; /* sessions waiting in CHECKPOINT */
    int ncheckpoint_waiters, cap_checkpoint_waiters;
    bool checkpoint_wants_step;
    PgServer *server;
    int32_t next_process_id;
    void *idle;  /* uv_idle_t: wakes parked statements, then reclaims in small steps */
    void *timer; /* uv_timer_t: the nearest deadline of a parked statement */
    Parked *parked_head, *parked_tail;
    void *running;   /* the session whose statement runs now (current_setting()) */
    void *listening; /* notify.c: who LISTENs to what */
    StrMap logins;   /* role name -> RoleCount: sessions per role (CONNECTION LIMIT) */
};

typedef struct RoleCount {
    char name[64];
    int n;
} RoleCount;

/* ---- cursor.c: kept rows, and SQL cursors -------------------------------------- */

typedef struct RowStore {
    Arena *arena; /* where the rows and their strings go (its owner's) */
    Value **rows;
    size_t n, cap;
} RowStore;

/* A RowSink.row: keeps a copy. */
bool rowstore_add(void *ctx, const Value *values, int ncols, Error *err);

typedef struct Cursor {
    char *name;
    Arena arena;
    RowStore rows;
    int ncols;
    PlanColumn *cols;
    int64_t pos; /* 0: before the first row; rows.n + 1: after the last */
    bool binary, no_scroll, hold;
    bool new_in_txn; /* declared in the open transaction (a WITH HOLD one dies with its abort) */
} Cursor;

typedef void (*CursorEmit)(void *ctx, const Value *row);
Cursor *cursor_new(const char *name, int ncols, const PlanColumn *cols, const CursorStmt *st);
void cursor_free(Cursor *c);
/* FETCH / MOVE: moves, handing each row passed to emit (NULL: MOVE);
 * *count rows. 55000 for a backward move of a NO SCROLL cursor. */
bool cursor_fetch(Cursor *c, const CursorStmt *st, CursorEmit emit, void *ctx, uint64_t *count, Error *err);

/* ---- roles.c: the roles and their DDL ------------------------------------------ */
typedef struct RoleInfo {
    char name[64];
    bool superuser, createdb, login;
    int32_t conn_limit; /* -1: none */
    bool has_password;
    char verifier[256]; /* SCRAM-SHA-256 */
} RoleInfo;

/* strand_authid with the superuser postgres, if it is not there yet. */
bool roles_bootstrap(Storage *s, Txn *t, Error *err);
/* The role of that name visible to t (which has a statement open). */
bool roles_find(Storage *s, Txn *t, const char *name, RoleInfo *out);
/* CREATE / ALTER / DROP ROLE by `who` (the current role); notices (IF
 * EXISTS, an empty password) go to notices. */
StorageStatus roles_create(Storage *s, Txn *t, const RoleStmt *st, const RoleInfo *who, RowSink *notices, Error *err);
StorageStatus roles_alter(Storage *s, Txn *t, const RoleStmt *st, const RoleInfo *who, const char *session_user,
                          RowSink *notices, Error *err);
StorageStatus roles_drop(Storage *s, Txn *t, const RoleStmt *st, const RoleInfo *who, const char *session_user,
                         RowSink *notices, Error *err);

/* ---- hba.c: strand_hba.conf ------------------------------------------------------- */
typedef enum HbaMethod { HBA_TRUST, HBA_REJECT, HBA_PASSWORD, HBA_SCRAM } HbaMethod;
/* The method of the first line matching the connection. Errors: no line
 * matches (28000, PostgreSQL's wording), a malformed file (F0000). */
bool hba_method(const char *data_dir, const PgPeer *peer, const char *db, const char *user, HbaMethod *method,
                Error *err);

/* ---- notify.c: LISTEN / NOTIFY ----------------------------------------------------- */
typedef struct Notification {
    struct Notification *next;
    int32_t pid; /* the notifying session's process id */
    const char *channel, *payload;
    char text[]; /* both strings */
} Notification;

void notify__listen(Engine *e, void *session, const char *channel);
/* channel NULL: every channel of the session. */
void notify__unlisten(Engine *e, void *session, const char *channel);
/* A committed transaction's notifications: session__notified for each
 * listening session, in order. */
void notify__publish(Engine *e, const Notification *list);
/* Appends a copy; with fold, not if an equal one (channel and payload) is
 * there already. Returns whether it was added. */
bool notify_add(Notification **list, int32_t pid, const char *channel, const char *payload, bool fold);
void notify_free(Notification *list);

Storage *server__storage(Engine *e);
void *server__jit(Engine *e); /* Jit*, NULL before the data folder is open */
const Settings *server__boot_settings(Engine *e);
/* The commit sequence. A transaction that changed nothing commits at once.
 * One that did is prepared and its record appended to the WAL; with `wait`
 * (synchronous_commit on) it stays in progress until the record is
 * durable, and *out is its entry: the engine then commits it and calls
 * session__durable. Without `wait` it commits at once. Errors (the
 * transaction is still the caller's, to abort): 40001 from SERIALIZABLE,
 * 58030 / 53100 once the WAL has failed. */
bool server__commit(Engine *e, Txn *t, void *session, bool wait, Durable **out, Error *err);
/* The session is gone: its waiting commit completes without it. */
void server__durable_forget(Engine *e, Durable *d);
/* CHECKPOINT: starts one (or joins the one running); with *wait,
 * session__checkpoint_done follows when it is durable. Returns false with
 * err if it cannot start. */
bool server__checkpoint(Engine *e, void *session, bool *wait, Error *err);
void server__checkpoint_forget(Engine *e, void *session);
/* After a transaction or statement ended: reclaiming may have work. */
void server__txn_ended(Engine *e);
/* Transaction `id` ended or gave back locks: statements parked on it
 * re-run (from the loop, not from inside the caller). */
void server__txn_event(Engine *e, uint64_t id);
uint64_t server__now(Engine *e);
void server__park(Engine *e, Parked *p);
void server__unpark(Engine *e, Parked *p);
/* p->session's session__continue runs on the next turn of the loop (a
 * statement that goes on in steps, session.c C2); server__unpark cancels. */
void server__run_soon(Engine *e, Parked *p);

/* ---- session.c, called by the engine ---------------------------------------------- */
/* Who runs a statement, for procedure calls (RowSink.caller is the session). */
struct JitCaller;
void session__caller(void *session, struct JitCaller *out);
void session__retry(void *session);
void session__continue(void *session);
/* A notification for a channel the session listens on. */
void session__notified(void *session, const Notification *n);
/* pg_notify() in the running statement's session. */
bool session__notify(void *session, const char *channel, const char *payload, Error *err);
/* planner_set_server_info's interrupted, for the running statement's session. */
bool session__interrupted(void *session, Error *err);
/* current_setting() / set_config() for the running statement's session. */
bool session__setting_get(void *session, const char *name, char *buf, size_t cap, Error *err);
bool session__setting_set(void *session, const char *name, const char *value, bool local, char *buf, size_t cap,
                          Error *err);
void session__timeout(void *session, ParkTimeout why);
void session__durable(void *session, bool ok, const Error *err);
void session__checkpoint_done(void *session, bool ok, const Error *err);

#endif
