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

Engine *engine_create(void *loop, const EngineConfig *config) {
    Engine *e = calloc(1, sizeof *e);
    if (!e) abort();
    e->loop = loop;
    e->config = *config;
    e->storage = storage_create();
    e->server = pgwire_server_create(loop, engine_callbacks(), e);
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
}

void engine_destroy(Engine *e) {
    if (!e) return;
    engine_stop(e);
    storage_destroy(e->storage);
    free(e);
}

Storage *server__storage(Engine *e) { return e->storage; }
