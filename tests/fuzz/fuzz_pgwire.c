/*
 * fuzz_pgwire.c — libFuzzer target: arbitrary bytes into pgwire's message
 * decoder and connection state machine (conn.c, codec.c), with a fake
 * engine that answers in every way a real one can (rows, errors, FATAL,
 * suspension and resumption, COPY IN, portal suspension), in chunks of
 * every size. What must hold: no crash, leak, undefined behaviour or hang,
 * and every byte written back is a well-framed backend message.
 *
 * Input: byte 0 chooses the chunk size, whether a valid startup packet
 * comes first (so most inputs reach the query protocols) and how the
 * client must authenticate (trust, a cleartext password, SCRAM-SHA-256);
 * the rest is fed.
 * Built and run by tests/fuzz/run.sh.
 */
#include "pgwire/pgwire_int.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

typedef struct Fake {
    PgConn *conn;
    int session;
    bool suspended, closed;
    int copies;
    StrBuf out; /* what the backend wrote, checked for framing */
} Fake;

static Fake fake;

static void *cb_open(void *engine, PgConn *c, const PgStartup *st, Error *err) {
    const char *user = pgwire_startup_get(st, "user");
    if (user && strcmp(user, "nobody") == 0) {
        error_set(err, SQLSTATE_INVALID_AUTHORIZATION_SPECIFICATION, "role \"%s\" does not exist", user);
        return NULL;
    }
    pgwire_send_parameter_status(c, "server_version", "15.0");
    return &fake.session;
}

static void cb_close_session(void *s) { (void)s; }

static PgAuthMethod auth_method;

/* The password is "pw" (its verifier made once). */
static bool cb_authenticate(void *engine, const PgStartup *st, const PgPeer *peer, PgAuth *auth, Error *err) {
    static char verifier[256];
    if (!verifier[0]) pgwire_scram_verifier("pw", verifier, sizeof verifier);
    auth->method = auth_method;
    auth->has_verifier = true;
    memcpy(auth->verifier, verifier, sizeof verifier);
    return true;
}

static void send_rows(int n) {
    PgField f = {.name = "a", .type_oid = 25, .typlen = -1, .typmod = -1};
    pgwire_send_row_description(fake.conn, 1, &f);
    for (int i = 0; i < n; i++) {
        pgwire_datarow_begin(fake.conn, 1);
        pgwire_datarow_add(fake.conn, i % 3 ? "x" : NULL, i % 3 ? 1 : -1);
        pgwire_datarow_end(fake.conn);
    }
    pgwire_send_command_complete(fake.conn, "SELECT");
}

/* The engine's answer chosen by the first letter of a text the client sent. */
static bool answer(const char *text, Error *err) {
    switch (text[0]) {
    case 'f': return error_set(err, SQLSTATE_SYNTAX_ERROR, "syntax error at or near \"%.10s\"", text);
    case 'F':
        error_set(err, "57P01", "terminating connection");
        err->severity = SEV_FATAL;
        return false;
    case 'r': send_rows((int)strlen(text)); return true;
    case 's':
        pgwire_conn_suspend(fake.conn);
        fake.suspended = true;
        return true;
    case 'c': pgwire_copy_in_begin(fake.conn, text[1] == 'b', 2); return true;
    case 'n': {
        Error n;
        error_set(&n, SQLSTATE_WARNING, "careful");
        n.severity = SEV_WARNING;
        pgwire_send_notice(fake.conn, &n);
        break;
    }
    case 'A': pgwire_send_notification(fake.conn, 1, "chan", text); break;
    }
    pgwire_send_command_complete(fake.conn, "OK");
    return true;
}

static bool cb_query(void *s, const char *sql, size_t len, Error *err) { return answer(sql, err); }

static bool cb_parse(void *s, const char *name, const char *sql, int n, const uint32_t *types, Error *err) {
    if (name[0] == 'f') return error_set(err, SQLSTATE_SYNTAX_ERROR, "bad");
    pgwire_send_parse_complete(fake.conn);
    return true;
}

static bool cb_bind(void *s, const PgBind *b, Error *err) {
    for (int i = 0; i < b->nparams; i++)
        if (b->params[i].len > 0 && b->params[i].data[0] == 'f')
            return error_set(err, SQLSTATE_INVALID_TEXT_REPRESENTATION, "bad");
    pgwire_send_bind_complete(fake.conn);
    return true;
}

static bool cb_describe(void *s, char kind, const char *name, Error *err) {
    if (name[0] == 'f') return error_set(err, SQLSTATE_INVALID_SQL_STATEMENT_NAME, "nope");
    pgwire_send_no_data(fake.conn);
    return true;
}

static bool cb_execute(void *s, const char *portal, int32_t max_rows, Error *err) {
    if (max_rows == 1) {
        pgwire_send_portal_suspended(fake.conn);
        return true;
    }
    return answer(portal, err);
}

static bool cb_close(void *s, char kind, const char *name, Error *err) {
    pgwire_send_close_complete(fake.conn);
    return true;
}

static bool cb_sync(void *s, Error *err) { return true; }

static char cb_txn_status(void *s) { return 'I'; }

static bool cb_copy_data(void *s, const char *data, size_t len, Error *err) {
    if (len > 0 && data[0] == 'f') return error_set(err, SQLSTATE_BAD_COPY_FILE_FORMAT, "bad data");
    return true;
}

static bool cb_copy_done(void *s, Error *err) {
    pgwire_send_command_complete(fake.conn, "COPY 1");
    return true;
}

static void cb_copy_abort(void *s) { fake.copies++; }

static const PgwireCallbacks CALLBACKS = {
    .authenticate = cb_authenticate,
    .session_open = cb_open,
    .session_close = cb_close_session,
    .query = cb_query,
    .parse = cb_parse,
    .bind = cb_bind,
    .describe = cb_describe,
    .execute = cb_execute,
    .close = cb_close,
    .sync = cb_sync,
    .txn_status = cb_txn_status,
    .copy_data = cb_copy_data,
    .copy_done = cb_copy_done,
    .copy_abort = cb_copy_abort,
};

static bool tr_write(void *ctx, const char *data, size_t len) {
    strbuf_append(&fake.out, data, len);
    return true;
}

static void tr_close(void *ctx) {
    assert(!fake.closed); /* pgwire-conn-3: once */
    fake.closed = true;
}

/* A protocol 2.0 ErrorResponse, for a client asking for 2.0: 'E' and a
 * NUL-terminated message, the last thing sent. */
static bool is_v2_error(const StrBuf *out, size_t off) {
    return out->data[off] == 'E' && memchr(out->data + off, '\0', out->len - off) == out->data + out->len - 1;
}

/* Every backend message is Byte1 type, Int32 length >= 4, body; before the
 * first one may come the single bytes answering SSLRequest/GSSENCRequest. */
static void check_framing(const StrBuf *out) {
    size_t off = 0;
    while (off < out->len && out->data[off] == 'N') off++;
    if (off < out->len && is_v2_error(out, off)) return;
    while (off < out->len) {
        assert(out->len - off >= 5);
        uint32_t len = pgwire__be32(out->data + off + 1);
        assert(len >= 4 && len <= out->len - off - 1);
        off += 1 + len;
    }
}

/* A valid startup packet: length, protocol 3.0, user, database, terminator. */
static size_t startup(char *buf) {
    static const char PAIRS[] = "user\0alice\0database\0db\0application_name\0f\0";
    size_t n = 8 + sizeof PAIRS; /* the pairs, and the terminating NUL of the literal */
    uint32_t be = (uint32_t)n, proto = PGWIRE_PROTO_V3;
    for (int i = 0; i < 4; i++) {
        buf[i] = (char)(be >> (24 - 8 * i));
        buf[4 + i] = (char)(proto >> (24 - 8 * i));
    }
    memcpy(buf + 8, PAIRS, sizeof PAIRS);
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size == 0) return 0;
    uint8_t mode = data[0];
    data++, size--;
    static const PgAuthMethod METHODS[] = {PGAUTH_TRUST, PGAUTH_TRUST, PGAUTH_PASSWORD, PGAUTH_SCRAM};
    auth_method = METHODS[(mode >> 4) & 3];
    memset(&fake, 0, sizeof fake);
    strbuf_init(&fake.out);
    PgTransport tr = {.write = tr_write, .close = tr_close};
    fake.conn = pgwire_conn_create(&CALLBACKS, NULL, tr, 7, 42);
    if (mode & 1) {
        char packet[64];
        pgwire_conn_feed(fake.conn, packet, startup(packet));
    }
    static const size_t CHUNKS[] = {1, 2, 3, 5, 8, 64, 4096, SIZE_MAX};
    size_t chunk = CHUNKS[(mode >> 1) & 7];
    for (size_t off = 0; off < size && !pgwire_conn_is_closed(fake.conn);) {
        size_t n = size - off < chunk ? size - off : chunk;
        pgwire_conn_feed(fake.conn, (const char *)data + off, n);
        off += n;
        if (fake.suspended) { /* the engine finishes later: replies, then resume */
            fake.suspended = false;
            pgwire_send_command_complete(fake.conn, "LATER");
            pgwire_conn_resume(fake.conn);
        }
    }
    pgwire_flush(fake.conn);
    check_framing(&fake.out);
    pgwire_conn_destroy(fake.conn);
    strbuf_deinit(&fake.out);
    return 0;
}
