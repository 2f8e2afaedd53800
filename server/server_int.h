/* server_int.h — internals shared by engine.c and session.c. */
#ifndef STRAND_SERVER_INT_H
#define STRAND_SERVER_INT_H

#include "server/server.h"
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
    int32_t default_isolation; /* SETTING_ISO_* */
} Settings;

void settings_defaults(Settings *st);
/* SET name = values (n == 0: back to the default). Errors: 42704
 * unrecognized configuration parameter, 22023 invalid value. */
bool settings_set(Settings *st, const char *name, const char *const *values, int n, Error *err);
bool settings_show(const Settings *st, const char *name, char *buf, size_t cap, Error *err);
int settings_count(void);
const char *settings_name(int i);
const char *settings_description(int i);
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
    bool wake;   /* a blocker moved: re-run it */
    bool linked; /* in the engine's list */
} Parked;

typedef enum ParkTimeout { PARK_LOCK_TIMEOUT, PARK_DEADLOCK_CHECK } ParkTimeout;

struct Engine {
    void *loop;
    EngineConfig config;
    Storage *storage;
    PgServer *server;
    int32_t next_process_id;
    void *idle;  /* uv_idle_t: wakes parked statements, then reclaims in small steps */
    void *timer; /* uv_timer_t: the nearest deadline of a parked statement */
    Parked *parked_head, *parked_tail;
};

Storage *server__storage(Engine *e);
/* After a transaction or statement ended: reclaiming may have work. */
void server__txn_ended(Engine *e);
/* Transaction `id` ended or gave back locks: statements parked on it
 * re-run (from the loop, not from inside the caller). */
void server__txn_event(Engine *e, uint64_t id);
uint64_t server__now(Engine *e);
void server__park(Engine *e, Parked *p);
void server__unpark(Engine *e, Parked *p);

/* ---- session.c, called by the engine ---------------------------------------------- */
void session__retry(void *session);
void session__timeout(void *session, ParkTimeout why);

#endif
