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
};

Storage *server__storage(Engine *e);

#endif
