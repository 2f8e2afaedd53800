/*
 * engine.c — the Engine: owns the Storage, opens pgwire's listeners and
 * hands pgwire the session callbacks (session.c); runs what happens
 * between messages on the engine thread: re-running parked statements
 * whose blockers moved, failing those whose lock_timeout passed or that
 * close a deadlock cycle, and reclaiming dead versions in small steps.
 *
 * Parked statements re-run from the loop's idle phase, never from inside
 * the callback that released their blocker: a COMMIT that wakes three
 * waiters returns first, and each waiter then runs as if its client had
 * just sent the statement, in the order they parked (PostgreSQL's lock
 * queue is first come, first served too).
 *
 * Commits (DESIGN.md, Threads): a commit that changed something is
 * prepared, its record appended to the WAL, and with synchronous_commit on
 * it waits in the Durable list (in LSN order) while its client's
 * connection is suspended. The WAL thread's notification (a uv_async)
 * completes every commit its flush covered: visible to all, locks given
 * back, waiters woken, client acknowledged. Checkpoints serialise rows in
 * the idle phase, a few thousand per turn, while their writer thread
 * compresses and writes.
 *
 * INTERFACE: engine_create, engine_listen, engine_open_data, engine_stop, engine_destroy
 * INTERFACE (server-internal): server__storage, server__boot_settings,
 *   server__txn_ended, server__txn_event, server__now, server__park,
 *   server__unpark, server__run_soon, server__commit, server__durable_forget,
 *   server__checkpoint, server__checkpoint_forget
 */
#include "jit/jit.h"
#include "planner/planner.h"
#include "server/server_int.h"
#include "wal/wal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

/* Reclaiming runs in steps of this many changes per loop turn, so that no
 * turn pauses the engine for long (storage.h, S6). */
#define RECLAIM_BUDGET 512
/* A checkpoint serialises this many rows per loop turn (about half a
 * millisecond): the longest pause it adds to any query. */
#define CHECKPOINT_BUDGET 2000

static Parked *first_woken(Engine *e) {
    for (Parked *p = e->parked_head; p; p = p->next)
        if (p->wake) return p;
    return NULL;
}

static Parked *first_soon(Engine *e) {
    for (Parked *p = e->parked_head; p; p = p->next)
        if (p->soon) return p;
    return NULL;
}

/* Those queued by server__run_soon before this turn, once each: one that
 * queues itself again waits for the next turn. */
static void run_soon_ones(Engine *e) {
    int n = 0;
    for (Parked *p = e->parked_head; p; p = p->next) n += p->soon;
    Parked *p;
    while (n-- > 0 && (p = first_soon(e))) {
        server__unpark(e, p);
        session__continue(p->session);
    }
}

static void on_idle(uv_idle_t *h) {
    Engine *e = h->data;
    Parked *p;
    run_soon_ones(e);
    while ((p = first_woken(e))) session__retry(p->session);
    if (e->checkpoint_wants_step) e->checkpoint_wants_step = wal_checkpoint_step(e->wal, CHECKPOINT_BUDGET);
    bool more = storage_reclaim(e->storage, RECLAIM_BUDGET);
    if (!more && !first_woken(e) && !first_soon(e) && !e->checkpoint_wants_step) uv_idle_stop(h);
}

static void start_idle(Engine *e) {
    if (e->idle) uv_idle_start(e->idle, on_idle);
}

void server__txn_ended(Engine *e) {
    if (storage_reclaim_pending(e->storage)) start_idle(e);
}

void server__txn_event(Engine *e, uint64_t id) {
    bool any = false;
    for (Parked *p = e->parked_head; p; p = p->next)
        for (int i = 0; i < p->nblockers && !p->wake; i++)
            if (p->blockers[i] == id) p->wake = any = true;
    if (any) start_idle(e);
}

uint64_t server__now(Engine *e) { return uv_now(e->loop); }

/* ---- deadlines ------------------------------------------------------------------------ */

/* The deadlines of a waiting session, with what each one means. */
static int deadlines(const Parked *p, uint64_t at[4], ParkTimeout why[4]) {
    int n = 0;
    if (p->lock_deadline) at[n] = p->lock_deadline, why[n++] = PARK_LOCK_TIMEOUT;
    if (p->deadlock_deadline) at[n] = p->deadlock_deadline, why[n++] = PARK_DEADLOCK_CHECK;
    if (p->statement_deadline) at[n] = p->statement_deadline, why[n++] = PARK_STATEMENT_TIMEOUT;
    if (p->idle_deadline) at[n] = p->idle_deadline, why[n++] = PARK_IDLE_TIMEOUT;
    return n;
}

static uint64_t next_deadline(const Engine *e) {
    uint64_t next = 0, at[4];
    ParkTimeout why[4];
    for (const Parked *p = e->parked_head; p; p = p->next) {
        int n = deadlines(p, at, why);
        for (int i = 0; i < n; i++)
            if (!next || at[i] < next) next = at[i];
    }
    return next;
}

static void on_timer(uv_timer_t *h);

static void arm_timer(Engine *e) {
    if (!e->timer) return;
    uint64_t next = next_deadline(e), now = server__now(e);
    if (!next) {
        uv_timer_stop(e->timer);
        return;
    }
    uv_timer_start(e->timer, on_timer, next > now ? next - now : 0, 0);
}

/* The first parked statement whose deadline passed, and which one. */
static Parked *first_expired(Engine *e, uint64_t now, ParkTimeout *why) {
    uint64_t at[4];
    ParkTimeout whys[4];
    for (Parked *p = e->parked_head; p; p = p->next) {
        int n = deadlines(p, at, whys);
        for (int i = 0; i < n; i++) {
            if (at[i] > now) continue;
            *why = whys[i];
            return p;
        }
    }
    return NULL;
}

static void on_timer(uv_timer_t *h) {
    Engine *e = h->data;
    uv_update_time(e->loop);
    uint64_t now = server__now(e);
    ParkTimeout why;
    Parked *p;
    while ((p = first_expired(e, now, &why))) {
        if (why == PARK_DEADLOCK_CHECK) p->deadlock_deadline = 0; /* checked once, as PostgreSQL does */
        session__timeout(p->session, why);
    }
    arm_timer(e);
}

void server__park(Engine *e, Parked *p) {
    p->prev = e->parked_tail;
    p->next = NULL;
    if (e->parked_tail)
        e->parked_tail->next = p;
    else
        e->parked_head = p;
    e->parked_tail = p;
    p->linked = true;
    p->wake = false;
    arm_timer(e);
}

void server__unpark(Engine *e, Parked *p) {
    if (!p->linked) return;
    if (p->prev)
        p->prev->next = p->next;
    else
        e->parked_head = p->next;
    if (p->next)
        p->next->prev = p->prev;
    else
        e->parked_tail = p->prev;
    p->linked = false;
    p->wake = p->soon = false;
    arm_timer(e);
}

void server__run_soon(Engine *e, Parked *p) {
    if (p->linked) return; /* queued already */
    p->nblockers = 0;
    p->lock_deadline = p->deadlock_deadline = p->statement_deadline = p->idle_deadline = 0;
    server__park(e, p);
    p->soon = true;
    start_idle(e);
}

/* ---- the commit sequence ----------------------------------------------------------- */

static Durable *durable_new(Engine *e) {
    Durable *d = e->durable_spare;
    if (d)
        e->durable_spare = d->next;
    else if (!(d = malloc(sizeof *d)))
        abort();
    return d;
}

static void maybe_checkpoint_for_size(Engine *e);

bool server__commit(Engine *e, Txn *t, void *session, bool wait, Durable **out, Error *err) {
    *out = NULL;
    if (!e->wal || !storage_txn_wrote(t)) return storage_txn_commit(t, NULL, err);
    if (!storage_txn_prepare(t, err)) return false;
    uint64_t start, end = wal_append_commit(e->wal, storage_txn_changes(t), storage_txn_xid(t), wait, &start, err);
    if (!end) return false;
    if (!wait) {
        bool ok = storage_txn_commit(t, NULL, err); /* prepared: cannot fail */
        maybe_checkpoint_for_size(e);
        return ok;
    }
    Durable *d = durable_new(e);
    *d = (Durable){NULL, t, start, end, session};
    if (e->durable_tail)
        e->durable_tail->next = d;
    else
        e->durable_head = d;
    e->durable_tail = d;
    *out = d;
    /* Only now: a checkpoint's redo point must cover this waiting commit. */
    maybe_checkpoint_for_size(e);
    return true;
}

void server__durable_forget(Engine *e, Durable *d) {
    d->session = NULL;
    storage_txn_set_owner(d->txn, NULL);
}

/* Completes the commits whose records are durable, in order; if the WAL
 * failed, the rest fail (nothing after the failure is acknowledged). */
static Durable *durable_pop(Engine *e) {
    Durable *d = e->durable_head;
    e->durable_head = d->next;
    if (!e->durable_head) e->durable_tail = NULL;
    return d;
}

static void complete_durable(Engine *e) {
    uint64_t flushed = wal_flushed_lsn(e->wal);
    Error failure = {0};
    bool failed = false;
    while (e->durable_head) {
        if (e->durable_head->end > flushed && !(failed = failed || wal_failed(e->wal, &failure))) break;
        Durable *d = durable_pop(e);
        uint64_t id = storage_txn_id(d->txn);
        bool ok = d->end <= flushed;
        if (ok)
            storage_txn_commit(d->txn, NULL, NULL); /* prepared: cannot fail */
        else
            storage_txn_abort(d->txn);
        server__txn_event(e, id);
        server__txn_ended(e);
        void *session = d->session;
        d->next = e->durable_spare;
        e->durable_spare = d;
        if (session) session__durable(session, ok, &failure);
    }
}

/* ---- checkpoints --------------------------------------------------------------------- */

/* Replay must start at the oldest commit not yet visible: a commit still
 * waiting for its flush is in the log but not in the snapshot. */
static uint64_t redo_point(const Engine *e) {
    return e->durable_head ? e->durable_head->start : wal_insert_lsn(e->wal);
}

static bool checkpoint_start(Engine *e, Error *err) {
    if (wal_checkpoint_running(e->wal)) return true;
    Txn *t = storage_txn_begin(e->storage, ISO_REPEATABLE_READ);
    storage_txn_statement_begin(t);
    if (!wal_checkpoint_begin(e->wal, e->storage, t, redo_point(e), err)) return false;
    e->checkpoint_wants_step = true;
    start_idle(e);
    return true;
}

static void maybe_checkpoint_for_size(Engine *e) {
    /* PostgreSQL starts one when about half of max_wal_size is used since the last. */
    if (wal_bytes_since_checkpoint(e->wal) < (uint64_t)e->boot.max_wal_size * (1u << 20) / 2) return;
    if (wal_checkpoint_running(e->wal)) return;
    Error err = {0};
    if (!checkpoint_start(e, &err)) log_error("could not start a checkpoint: %s", err.message);
}

/* PostgreSQL checkpoints at the end of crash recovery, so that the next
 * crash does not replay the same log again; here it runs in the background
 * while the server already serves, and only if the replay was long. */
#define RECOVERY_CHECKPOINT_BYTES (16u << 20)

static void checkpoint_after_recovery(Engine *e) {
    if (!e->wal || wal_bytes_since_checkpoint(e->wal) < RECOVERY_CHECKPOINT_BYTES) return;
    Error err = {0};
    if (!checkpoint_start(e, &err)) log_error("could not start a checkpoint: %s", err.message);
}

static void on_checkpoint_timer(uv_timer_t *h) {
    Engine *e = h->data;
    /* Nothing written since the last one: nothing to do (PostgreSQL skips it too). */
    if (wal_bytes_since_checkpoint(e->wal) == 0) return;
    Error err = {0};
    if (!checkpoint_start(e, &err)) log_error("could not start a checkpoint: %s", err.message);
}

bool server__checkpoint(Engine *e, void *session, bool *wait, Error *err) {
    *wait = false;
    if (!e->wal) return true; /* nothing to write */
    if (!checkpoint_start(e, err)) return false;
    *wait = true;
    if (e->ncheckpoint_waiters == e->cap_checkpoint_waiters) {
        e->cap_checkpoint_waiters = e->cap_checkpoint_waiters ? e->cap_checkpoint_waiters * 2 : 8;
        void **p = realloc(e->checkpoint_waiters, (size_t)e->cap_checkpoint_waiters * sizeof *p);
        if (!p) abort();
        e->checkpoint_waiters = p;
    }
    e->checkpoint_waiters[e->ncheckpoint_waiters++] = session;
    return true;
}

void server__checkpoint_forget(Engine *e, void *session) {
    for (int i = 0; i < e->ncheckpoint_waiters; i++)
        if (e->checkpoint_waiters[i] == session)
            e->checkpoint_waiters[i--] = e->checkpoint_waiters[--e->ncheckpoint_waiters];
}

static void poll_checkpoint(Engine *e) {
    bool ok;
    Error err = {0};
    if (!wal_checkpoint_poll(e->wal, &ok, &err)) {
        /* The writer took a chunk: serialising may go on. */
        if (wal_checkpoint_running(e->wal) && !e->checkpoint_wants_step) {
            e->checkpoint_wants_step = true;
            start_idle(e);
        }
        return;
    }
    e->checkpoint_wants_step = false;
    int n = e->ncheckpoint_waiters;
    e->ncheckpoint_waiters = 0;
    for (int i = 0; i < n; i++) session__checkpoint_done(e->checkpoint_waiters[i], ok, &err);
}

static void on_wal_async(uv_async_t *h) {
    Engine *e = h->data;
    complete_durable(e);
    poll_checkpoint(e);
}

/* current_setting() and set_config(): of the session whose statement runs. */
static bool engine_setting_get(void *ctx, const char *name, char *buf, size_t cap, Error *err) {
    Engine *e = ctx;
    if (!e->running) return error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED, "settings are not available here");
    return session__setting_get(e->running, name, buf, cap, err);
}

static bool engine_setting_set(void *ctx, const char *name, const char *value, bool local, char *buf, size_t cap,
                               Error *err) {
    Engine *e = ctx;
    if (!e->running) return error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED, "settings are not available here");
    return session__setting_set(e->running, name, value, local, buf, cap, err);
}

static bool engine_notify(void *ctx, const char *channel, const char *payload, Error *err) {
    Engine *e = ctx;
    if (!e->running) return error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED, "notifications are not available here");
    return session__notify(e->running, channel, payload, err);
}

static bool engine_interrupted(void *ctx, Error *err) {
    Engine *e = ctx;
    return e->running && session__interrupted(e->running, err);
}

/* pg_current_wal_lsn() and friends (planner.h). The WAL thread writes and
 * flushes together, so the write position is the flushed one. */
static uint64_t engine_wal_lsn(void *ctx, PlannerWalPosition which) {
    Engine *e = ctx;
    if (!e->wal) return 0;
    return which == PLANNER_WAL_INSERT ? wal_insert_lsn(e->wal) : wal_flushed_lsn(e->wal);
}

/* Called on the WAL thread and the checkpoint writer. */
static void wal_notify(void *ctx) { uv_async_send(ctx); }

/* ---- the engine ------------------------------------------------------------------------- */

static void free_handle(uv_handle_t *h) { free(h); }

static bool apply_options(Engine *e, Error *err) {
    settings_defaults(&e->boot);
    for (int i = 0; i < e->config.noptions; i++) {
        const char *opt = e->config.options[i], *eq = strchr(opt, '=');
        if (!eq) return error_set(err, SQLSTATE_SYNTAX_ERROR, "-c %s requires a value", opt);
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)(eq - opt) < 63 ? (int)(eq - opt) : 63, opt);
        if (!settings_configure(&e->boot, name, eq + 1, err)) return false;
    }
    return true;
}

static bool open_wal(Engine *e, Error *err) {
    uv_async_t *async = malloc(sizeof *async);
    if (!async) abort();
    uv_async_init(e->loop, async, on_wal_async);
    async->data = e;
    e->wal_async = async;
    WalConfig wc = {.dir = e->config.data_dir,
                    .sync_method = (WalSyncMethod)e->boot.wal_sync_method,
                    .writer_delay_ms = e->boot.wal_writer_delay,
                    .notify = wal_notify,
                    .notify_ctx = async};
    Storage *s = NULL;
    if (!(e->wal = wal_open(&wc, &s, err))) return false;
    storage_destroy(e->storage);
    e->storage = s;
    planner_set_server_info(&(PlannerServerInfo){.wal_lsn = engine_wal_lsn,
                                                 .setting_get = engine_setting_get,
                                                 .setting_set = engine_setting_set,
                                                 .interrupted = engine_interrupted,
                                                 .notify = engine_notify,
                                                 .ctx = e});
    uv_timer_t *timer = malloc(sizeof *timer);
    if (!timer) abort();
    uv_timer_init(e->loop, timer);
    timer->data = e;
    uv_timer_start(timer, on_checkpoint_timer, (uint64_t)e->boot.checkpoint_timeout,
                   (uint64_t)e->boot.checkpoint_timeout);
    uv_unref((uv_handle_t *)timer);
    e->checkpoint_timer = timer;
    return true;
}

Engine *engine_create(void *loop, const EngineConfig *config, Error *err) {
    Engine *e = calloc(1, sizeof *e);
    if (!e) abort();
    e->loop = loop;
    e->config = *config;
    e->storage = storage_create();
    strmap_init(&e->logins);
    if (!apply_options(e, err)) {
        engine_stop(e);
        uv_run(loop, UV_RUN_NOWAIT); /* let closing handles finish */
        engine_destroy(e);
        return NULL;
    }
    e->server = pgwire_server_create(loop, engine_callbacks(), e);
    pgwire_server_set_auth_timeout(e->server, (uint64_t)e->boot.authentication_timeout);
    pgwire_server_set_max_message(
        e->server, e->boot.max_message_size >= 1024 ? 0x3fffffffu : (uint32_t)e->boot.max_message_size << 20);
    uv_idle_t *idle = malloc(sizeof *idle);
    uv_timer_t *timer = malloc(sizeof *timer);
    if (!idle || !timer) abort();
    uv_idle_init(loop, idle);
    uv_timer_init(loop, timer);
    idle->data = timer->data = e;
    e->idle = idle;
    e->timer = timer;
    return e;
}

/* ---- scheduled reducers ---------------------------------------------------------------- */

#define SCHEDULE_TICK_MS 10
#define SCHEDULE_RUNS_PER_TICK 64 /* then the loop serves others before the rest */

/* Runs the scheduled reducers that are due, each in its own transaction
 * (committed without waiting for the disk: no client waits for it). */
static void on_schedule_timer(uv_timer_t *h) {
    Engine *e = h->data;
    int64_t now = jit_now_us();
    for (int i = 0; i < SCHEDULE_RUNS_PER_TICK; i++) {
        Txn *t = storage_txn_begin(e->storage, ISO_READ_COMMITTED);
        uint64_t id = storage_txn_id(t);
        Error err = {0}, cerr = {0};
        JitDue due = jit_run_due(e->jit, t, now, &err);
        Durable *d;
        if (due == JIT_FAILED) log_warn("scheduled reducer failed: %s: %s", err.sqlstate, err.message);
        bool ran = due == JIT_RAN || due == JIT_FAILED;
        if (!ran || !server__commit(e, t, NULL, false, &d, &cerr)) {
            if (cerr.set) log_warn("scheduled reducer not committed: %s", cerr.message);
            storage_txn_abort(t);
            ran = false;
        }
        server__txn_event(e, id);
        server__txn_ended(e);
        if (!ran) break;
    }
}

static void start_schedules(Engine *e) {
    uv_timer_t *timer = malloc(sizeof *timer);
    if (!timer) abort();
    uv_timer_init(e->loop, timer);
    timer->data = e;
    uv_timer_start(timer, on_schedule_timer, SCHEDULE_TICK_MS, SCHEDULE_TICK_MS);
    uv_unref((uv_handle_t *)timer);
    e->schedule_timer = timer;
}

static void jit_caller(void *ctx, void *session, JitCaller *out) {
    (void)ctx;
    session__caller(session, out);
}

/* Procedures: their catalog made on the first start (committed like any
 * transaction), then everything in it compiled. */
static bool start_jit(Engine *e, Error *err) {
    char dir[600];
    if (e->config.data_dir) snprintf(dir, sizeof dir, "%s/include", e->config.data_dir);
    JitConfig jc = {.include_dir = e->config.data_dir ? dir : NULL, .caller = jit_caller, .ctx = e};
    if (!(e->jit = jit_create(e->storage, &jc, err))) return false;
    Txn *t = storage_txn_begin(e->storage, ISO_READ_COMMITTED);
    Durable *d;
    storage_txn_statement_begin(t);
    bool roles = roles_bootstrap(e->storage, t, err);
    storage_txn_statement_end(t);
    if (!roles || !jit_bootstrap(e->jit, t, err) || !server__commit(e, t, NULL, false, &d, err)) {
        storage_txn_abort(t);
        return false;
    }
    t = storage_txn_begin(e->storage, ISO_REPEATABLE_READ);
    storage_txn_statement_begin(t);
    jit_load(e->jit, t);
    storage_txn_statement_end(t);
    storage_txn_commit(t, NULL, err);
    start_schedules(e);
    return true;
}

static bool file_exists(const char *path) { return access(path, F_OK) == 0; }

/* TLS from the files given, or those of the data folder, made self-signed
 * if neither exists yet (a half pair is an error: it is not ours to
 * replace). */
static bool start_tls(Engine *e, Error *err) {
    char cert[512], key[512];
    if (e->config.tls_cert || e->config.tls_key) {
        if (!e->config.tls_cert || !e->config.tls_key)
            return error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "--tls-cert and --tls-key go together");
        return pgwire_server_set_tls(e->server, e->config.tls_cert, e->config.tls_key, err);
    }
    if (!e->config.data_dir) return true;
    snprintf(cert, sizeof cert, "%s/server.crt", e->config.data_dir);
    snprintf(key, sizeof key, "%s/server.key", e->config.data_dir);
    if (!file_exists(cert) && !file_exists(key)) {
        if (!pgwire_tls_make_self_signed(cert, key, err)) return false;
        log_info("made a self-signed TLS certificate: %s", cert);
    }
    return pgwire_server_set_tls(e->server, cert, key, err);
}

bool engine_open_data(Engine *e, Error *err) {
    if (e->config.data_dir) {
        if (!open_wal(e, err)) return false;
        checkpoint_after_recovery(e);
    }
    return start_tls(e, err) && start_jit(e, err);
}

bool engine_listen(Engine *e, Error *err) {
    if (!pgwire_server_listen_tcp(e->server, e->config.listen_addr, e->config.port, err)) return false;
    if (e->config.socket_dir) {
        char path[256];
        snprintf(path, sizeof path, "%s/.s.PGSQL.%d", e->config.socket_dir, e->config.port);
        if (!pgwire_server_listen_unix(e->server, path, err)) return false;
    }
    return true;
}

/* At shutdown, after the WAL threads stopped: commits still waiting were
 * never acknowledged; their records, if they reached the disk, are replayed
 * at the next start. In memory they only need to end. */
static void settle_durable(Engine *e) {
    while (e->durable_head) {
        Durable *d = durable_pop(e);
        storage_txn_abort(d->txn);
        free(d);
    }
    while (e->durable_spare) {
        Durable *d = e->durable_spare;
        e->durable_spare = d->next;
        free(d);
    }
}

void engine_stop(Engine *e) {
    if (e->server) pgwire_server_destroy(e->server);
    e->server = NULL;
    if (e->wal) {
        planner_set_server_info(NULL);
        wal_close(e->wal); /* flushes what was appended, joins the threads */
    }
    e->wal = NULL;
    settle_durable(e);
    if (e->wal_async) uv_close((uv_handle_t *)e->wal_async, free_handle);
    if (e->checkpoint_timer) uv_close((uv_handle_t *)e->checkpoint_timer, free_handle);
    e->wal_async = e->checkpoint_timer = NULL;
    if (e->schedule_timer) uv_close((uv_handle_t *)e->schedule_timer, free_handle);
    e->schedule_timer = NULL;
    if (e->idle) uv_close((uv_handle_t *)e->idle, free_handle);
    if (e->timer) uv_close((uv_handle_t *)e->timer, free_handle);
    e->idle = e->timer = NULL;
}

void engine_destroy(Engine *e) {
    if (!e) return;
    engine_stop(e);
    jit_destroy(e->jit);
    storage_destroy(e->storage);
    free(e->checkpoint_waiters);
    strmap_deinit(&e->logins); /* empty: each session's count went with it */
    free(e);
}

Storage *server__storage(Engine *e) { return e->storage; }
void *server__jit(Engine *e) { return e->jit; }
const Settings *server__boot_settings(Engine *e) { return &e->boot; }
