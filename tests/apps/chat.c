/*
 * chat — users and messages (issue "Reducers in C", acceptance 1).
 *
 * A user is a connection: client_connected adds it (or marks it online
 * again), client_disconnected marks it offline. set_name names the
 * caller's user; send_message posts a message from it. Tables are made by
 * init, at the first publish.
 */
#include <strand.h>
#include <string.h>

static void init(strand_ctx *ctx) {
    strand_exec(ctx, "CREATE TABLE chat_user (conn int8 PRIMARY KEY, name text, online bool NOT NULL)");
    strand_exec(ctx, "CREATE TABLE chat_message (id int8 PRIMARY KEY, sender int8 NOT NULL, "
                     "body text NOT NULL, sent timestamptz NOT NULL)");
}

static void connected(strand_ctx *ctx) {
    strand_value me = STRAND_INT8(strand_connection_id(ctx));
    strand_result *r = strand_exec(ctx, "UPDATE chat_user SET online = true WHERE conn = $1", me);
    if (strand_nrows(r) == 0) strand_exec(ctx, "INSERT INTO chat_user VALUES ($1, NULL, true)", me);
}

static void disconnected(strand_ctx *ctx) {
    strand_exec(ctx, "UPDATE chat_user SET online = false WHERE conn = $1", STRAND_INT8(strand_connection_id(ctx)));
}

static void set_name(strand_ctx *ctx, const char *name) {
    if (!name || !*name) strand_error(ctx, "22023", "names must not be empty");
    if (strlen(name) > 32) strand_error(ctx, "22001", "names are at most 32 bytes, not %d", (int)strlen(name));
    strand_result *r = strand_exec(ctx, "UPDATE chat_user SET name = $2 WHERE conn = $1",
                                   STRAND_INT8(strand_connection_id(ctx)), STRAND_TEXT(name));
    if (strand_nrows(r) != 1)
        strand_error(ctx, "P0002", "no user for connection %lld", (long long)strand_connection_id(ctx));
}

static void send_message(strand_ctx *ctx, const char *text) {
    if (!text || !*text) strand_error(ctx, "22023", "messages must not be empty");
    strand_result *last = strand_exec(ctx, "SELECT id FROM chat_message ORDER BY id DESC LIMIT 1");
    int64_t id = strand_nrows(last) ? strand_int8(strand_get(last, 0, 0)) + 1 : 1;
    strand_exec(ctx, "INSERT INTO chat_message VALUES ($1, $2, $3, $4)", STRAND_INT8(id),
                STRAND_INT8(strand_connection_id(ctx)), STRAND_TEXT(text), STRAND_TIMESTAMP(strand_now(ctx)));
}

void strand_module(strand_module_def *m) {
    strand_on_init(m, init);
    strand_on_connect(m, connected);
    strand_on_disconnect(m, disconnected);
    strand_reducer(m, "set_name(name text)", set_name);
    strand_reducer(m, "send_message(text text)", send_message);
}
