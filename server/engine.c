/*
 * engine.c — the Engine: owns the Storage, opens pgwire's listeners and
 * hands pgwire the session callbacks (session.c).
 *
 * INTERFACE: engine_create, engine_listen, engine_stop, engine_destroy
 */
#include "server/server_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

/* Reclaiming runs in steps of this many changes per loop turn, so that no
 * turn pauses the engine for long (storage.h, S6). */
#define RECLAIM_BUDGET 512

static void on_reclaim(uv_idle_t *h) {
    Engine *e = h->data;
    if (!storage_reclaim(e->storage, RECLAIM_BUDGET)) uv_idle_stop(h);
}

void server__txn_ended(Engine *e) {
    if (e->reclaimer && storage_reclaim_pending(e->storage)) uv_idle_start(e->reclaimer, on_reclaim);
}

static void free_handle(uv_handle_t *h) { free(h); }

Engine *engine_create(void *loop, const EngineConfig *config) {
    Engine *e = calloc(1, sizeof *e);
    if (!e) abort();
    e->loop = loop;
    e->config = *config;
    e->storage = storage_create();
    e->server = pgwire_server_create(loop, engine_callbacks(), e);
    uv_idle_t *idle = malloc(sizeof *idle);
    if (!idle) abort();
    uv_idle_init(loop, idle);
    idle->data = e;
    e->reclaimer = idle;
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
    if (e->reclaimer) uv_close((uv_handle_t *)e->reclaimer, free_handle);
    e->reclaimer = NULL;
}

void engine_destroy(Engine *e) {
    if (!e) return;
    engine_stop(e);
    storage_destroy(e->storage);
    free(e);
}

Storage *server__storage(Engine *e) { return e->storage; }
