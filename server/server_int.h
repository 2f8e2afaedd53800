/* server_int.h — internals shared by engine.c and session.c. */
#ifndef STRAND_SERVER_INT_H
#define STRAND_SERVER_INT_H

#include "server/server.h"
#include "storage/storage.h"

struct Engine {
    void *loop;
    EngineConfig config;
    Storage *storage;
    PgServer *server;
    int32_t next_process_id;
    void *reclaimer; /* uv_idle_t: reclaims in small steps while there is work */
};

Storage *server__storage(Engine *e);
/* After a transaction or statement ended: reclaiming may have work. */
void server__txn_ended(Engine *e);

#endif
