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
 * INTERFACE: engine_create, engine_listen, engine_stop, engine_destroy
 * INTERFACE (server-internal): server__storage, server__txn_ended,
 *   server__txn_event, server__now, server__park, server__unpark
 */
#include "server/server_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

/* Reclaiming runs in steps of this many changes per loop turn, so that no
 * turn pauses the engine for long (storage.h, S6). */
#define RECLAIM_BUDGET 512

static Parked *first_woken(Engine *e) {
    for (Parked *p = e->parked_head; p; p = p->next)
        if (p->wake) return p;
    return NULL;
}

static void on_idle(uv_idle_t *h) {
    Engine *e = h->data;
    Parked *p;
    while ((p = first_woken(e))) session__retry(p->session);
    if (!storage_reclaim(e->storage, RECLAIM_BUDGET) && !first_woken(e)) uv_idle_stop(h);
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

static uint64_t next_deadline(const Engine *e) {
    uint64_t next = 0;
    for (const Parked *p = e->parked_head; p; p = p->next) {
        if (p->lock_deadline && (!next || p->lock_deadline < next)) next = p->lock_deadline;
        if (p->deadlock_deadline && (!next || p->deadlock_deadline < next)) next = p->deadlock_deadline;
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
    for (Parked *p = e->parked_head; p; p = p->next) {
        if (p->lock_deadline && p->lock_deadline <= now) {
            *why = PARK_LOCK_TIMEOUT;
            return p;
        }
        if (p->deadlock_deadline && p->deadlock_deadline <= now) {
            *why = PARK_DEADLOCK_CHECK;
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
    p->wake = false;
    arm_timer(e);
}

/* ---- the engine ------------------------------------------------------------------------- */

static void free_handle(uv_handle_t *h) { free(h); }

Engine *engine_create(void *loop, const EngineConfig *config) {
    Engine *e = calloc(1, sizeof *e);
    if (!e) abort();
    e->loop = loop;
    e->config = *config;
    e->storage = storage_create();
    e->server = pgwire_server_create(loop, engine_callbacks(), e);
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

bool engine_listen(Engine *e, Error *err) {
    if (!pgwire_server_listen_tcp(e->server, e->config.listen_addr, e->config.port, err)) return false;
    if (e->config.socket_dir) {
        char path[256];
        snprintf(path, sizeof path, "%s/.s.PGSQL.%d", e->config.socket_dir, e->config.port);
        if (!pgwire_server_listen_unix(e->server, path, err)) return false;
    }
    return true;
}

void engine_stop(Engine *e) {
    if (e->server) pgwire_server_destroy(e->server);
    e->server = NULL;
    if (e->idle) uv_close((uv_handle_t *)e->idle, free_handle);
    if (e->timer) uv_close((uv_handle_t *)e->timer, free_handle);
    e->idle = e->timer = NULL;
}

void engine_destroy(Engine *e) {
    if (!e) return;
    engine_stop(e);
    storage_destroy(e->storage);
    free(e);
}

Storage *server__storage(Engine *e) { return e->storage; }
