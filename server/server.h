/*
 * server.h — the engine that joins pgwire, sql, planner and storage, and the
 * command line around it.
 *
 * The engine owns the Storage and every session. It implements pgwire's
 * callback table: sessions, the transaction state machine (idle, implicit,
 * block, failed) with savepoints and settings, prepared statements and
 * portals of the extended protocol, statements parked on locks (re-run when
 * a blocker ends, failed at lock_timeout or on a deadlock), and the commit
 * sequence: storage prepare, WAL append, and once the WAL thread reports
 * the record durable, the commit becomes visible and is acknowledged
 * (group commit); checkpoints run in the background.
 *
 * INTERFACE: engine_create, engine_listen, engine_open_data, engine_destroy, engine_callbacks
 */
#ifndef STRAND_SERVER_H
#define STRAND_SERVER_H

#include "common/common.h"
#include "pgwire/pgwire.h"

typedef struct Engine Engine;

typedef struct EngineConfig {
    const char *data_dir; /* NULL: nothing is written (unit tests) */
    const char *listen_addr;
    int port;
    const char *socket_dir;     /* Unix socket folder, "/tmp"; NULL: none */
    const char *const *options; /* "name=value" settings (strand start -c) */
    int noptions;
    /* TLS: PEM certificate and key (--tls-cert, --tls-key); NULL: those of
     * the data folder, server.crt and server.key, self-signed on first
     * start. No data folder and none given: no TLS. */
    const char *tls_cert, *tls_key;
} EngineConfig;

/* `loop` is the uv_loop_t* the engine and pgwire run on (the engine
 * thread). Applies the options (NULL with err if one is bad). */
Engine *engine_create(void *loop, const EngineConfig *config, Error *err);
/* Opens the listeners. Errors: the port or socket is taken (message as
 * PostgreSQL's "could not bind ..."). */
bool engine_listen(Engine *e, Error *err);
/* Opens the data folder: takes its lock and recovers the store (wal_open).
 * After engine_listen, as PostgreSQL binds before it recovers: a server
 * that cannot have its port does not touch the folder, and clients that
 * connect meanwhile wait in the listen backlog until recovery is done. */
bool engine_open_data(Engine *e, Error *err);
/* Closes listeners and sessions; run the loop afterwards so handles close. */
void engine_stop(Engine *e);
void engine_destroy(Engine *e);

/* The callbacks pgwire calls, for tests that drive sessions without sockets. */
const PgwireCallbacks *engine_callbacks(void);

/* strand publish [--db NAME] [--name MODULE] FILE.c (publish.c): argv as main's. */
int server_publish(int argc, char **argv);

#endif
