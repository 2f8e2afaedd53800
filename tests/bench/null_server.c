/*
 * null_server.c — a PostgreSQL server that does nothing: pgwire (strand's
 * own protocol layer, TLS included) with an engine that answers every
 * statement with one row of one int4 column, "1", without looking at it.
 * Its throughput under pgbench is the machine's ceiling for a protocol
 * round trip, which tests/bench/protocol.sh reports strand's share of.
 * Usage: null_server PORT [CERT KEY]
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <uv.h>

#include "pgwire/pgwire.h"

/* The session is its connection: every reply goes straight to it. */
static void *on_open(void *engine, PgConn *c, const PgStartup *st, Error *err) {
    pgwire_send_parameter_status(c, "server_version", "15.0");
    pgwire_send_parameter_status(c, "client_encoding", "UTF8");
    pgwire_send_parameter_status(c, "standard_conforming_strings", "on");
    return c;
}

static void on_close_session(void *s) {}

static const PgField ONE = {.name = "?column?", .type_oid = 23, .typlen = 4, .typmod = -1};

static void one_row(PgConn *c) {
    pgwire_datarow_begin(c, 1);
    pgwire_datarow_add(c, "1", 1);
    pgwire_datarow_end(c);
    pgwire_send_command_complete(c, "SELECT 1");
}

static bool on_query(void *s, const char *sql, size_t len, Error *err) {
    pgwire_send_row_description(s, 1, &ONE);
    one_row(s);
    return true;
}

static bool on_parse(void *s, const char *name, const char *sql, int n, const uint32_t *t, Error *err) {
    pgwire_send_parse_complete(s);
    return true;
}

static bool on_bind(void *s, const PgBind *b, Error *err) {
    pgwire_send_bind_complete(s);
    return true;
}

static bool on_describe(void *s, char kind, const char *name, Error *err) {
    if (kind == 'S') pgwire_send_parameter_description(s, 0, NULL);
    pgwire_send_row_description(s, 1, &ONE);
    return true;
}

static bool on_execute(void *s, const char *portal, int32_t max_rows, Error *err) {
    one_row(s);
    return true;
}

static bool on_close(void *s, char kind, const char *name, Error *err) {
    pgwire_send_close_complete(s);
    return true;
}

static bool on_sync(void *s, Error *err) { return true; }
static char on_status(void *s) { return 'I'; }

static const PgwireCallbacks CALLBACKS = {
    .session_open = on_open,
    .session_close = on_close_session,
    .query = on_query,
    .parse = on_parse,
    .bind = on_bind,
    .describe = on_describe,
    .execute = on_execute,
    .close = on_close,
    .sync = on_sync,
    .txn_status = on_status,
};

int main(int argc, char **argv) {
    if (argc != 2 && argc != 4) {
        fprintf(stderr, "usage: %s PORT [CERT KEY]\n", argv[0]);
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    uv_loop_t *loop = uv_default_loop();
    PgServer *srv = pgwire_server_create(loop, &CALLBACKS, NULL);
    Error err = {0};
    if ((argc == 4 && !pgwire_server_set_tls(srv, argv[2], argv[3], &err)) ||
        !pgwire_server_listen_tcp(srv, "127.0.0.1", atoi(argv[1]), &err)) {
        fprintf(stderr, "null_server: %s\n", err.message);
        return 1;
    }
    fprintf(stderr, "null_server: listening on 127.0.0.1 port %s\n", argv[1]);
    return uv_run(loop, UV_RUN_DEFAULT);
}
