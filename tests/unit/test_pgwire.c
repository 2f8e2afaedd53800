/*
 * test_pgwire.c — pgwire without an engine: PgConn driven through a memory
 * transport with fake callbacks (startup, framing, dispatch, errors, output
 * encoding), and the libuv server on the loopback and a Unix socket.
 * Test names are pgwire-<area>-<n>; invariants cited are those of conn.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "pgwire/pgwire.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <uv.h>

/* ---- the memory transport ------------------------------------------------ */

typedef struct Mem {
    StrBuf out;
    int writes, closes;
    bool fail;
} Mem;

static bool mem_write(void *ctx, const char *d, size_t n) {
    Mem *m = ctx;
    if (m->fail) return false;
    strbuf_append(&m->out, d, n);
    m->writes++;
    return true;
}

static void mem_close(void *ctx) { ((Mem *)ctx)->closes++; }

/* ---- the fake engine ----------------------------------------------------- */

typedef struct Fake {
    StrBuf log; /* one entry per callback, in call order */
    int opens, closes;
    bool sync_fail;
    int session; /* its address is the session */
} Fake;

static Fake fake;

static void *cb_open(void *engine, PgConn *c, const PgStartup *st, Error *err) {
    const char *user = pgwire_startup_get(st, "user");
    const char *db = pgwire_startup_get(st, "database");
    strbuf_appendf(&fake.log, "open user=%s db=%s;", user, db ? db : "(null)");
    if (strcmp(user, "nobody") == 0) {
        error_set(err, SQLSTATE_INVALID_CATALOG_NAME, "database \"%s\" does not exist", db);
        return NULL;
    }
    pgwire_send_parameter_status(c, "server_version", "15.0");
    fake.opens++;
    return &fake.session;
}

static void cb_close_session(void *session) {
    assert_ptr_equal(session, &fake.session);
    fake.closes++;
}

static PgConn *cur; /* the connection under test, for callbacks that reply */

static bool cb_query(void *s, const char *sql, size_t len, Error *err) {
    assert_int_equal(strlen(sql), len);
    strbuf_appendf(&fake.log, "Q:%s;", sql);
    if (strcmp(sql, "fail") == 0) return error_set(err, SQLSTATE_SYNTAX_ERROR, "syntax error at or near \"fail\"");
    if (strcmp(sql, "fatal") == 0) {
        error_set(err, "57P01", "terminating connection due to administrator command");
        err->severity = SEV_FATAL;
        return false;
    }
    if (strcmp(sql, "fields") == 0) {
        error_set(err, SQLSTATE_UNIQUE_VIOLATION, "duplicate key");
        error_detail(err, "Key (id)=(1) already exists.");
        error_hint(err, "a hint");
        err->position = 7;
        strcpy(err->table, "t");
        strcpy(err->column, "id");
        strcpy(err->constraint, "t_pkey");
        return false;
    }
    if (strcmp(sql, "rows") == 0) {
        PgField f = {.name = "a", .type_oid = 23, .typlen = 4, .typmod = -1};
        pgwire_send_row_description(cur, 1, &f);
        pgwire_datarow_begin(cur, 3);
        pgwire_datarow_add(cur, "12", 2);
        pgwire_datarow_add(cur, NULL, -1);
        pgwire_datarow_add(cur, "", 0);
        pgwire_datarow_end(cur);
        pgwire_send_command_complete(cur, "SELECT 1");
        return true;
    }
    if (strncmp(sql, "echo", 4) == 0) {
        PgField f = {.name = "e", .type_oid = 25, .typlen = -1, .typmod = -1};
        pgwire_send_row_description(cur, 1, &f);
        for (int i = 0; i < 5; i++) {
            pgwire_datarow_begin(cur, 1);
            pgwire_datarow_add(cur, sql, (int32_t)len);
            pgwire_datarow_end(cur);
        }
        pgwire_send_command_complete(cur, "SELECT 5");
        return true;
    }
    if (strcmp(sql, "suspend") == 0) {
        pgwire_conn_suspend(cur); /* replies come at resume */
        return true;
    }
    if (strcmp(sql, "copy") == 0) {
        pgwire_copy_in_begin(cur, false, 2);
        return true;
    }
    if (strcmp(sql, "flip") == 0) {
        pgwire_conn_suspend(cur); /* and changes its mind at once */
        pgwire_conn_resume(cur);
    }
    if (strcmp(sql, "notice") == 0) {
        Error n;
        error_set(&n, SQLSTATE_WARNING, "careful");
        n.severity = SEV_WARNING;
        pgwire_send_notice(cur, &n);
    }
    pgwire_send_command_complete(cur, "OK");
    return true;
}

static bool cb_parse(void *s, const char *name, const char *sql, int n, const uint32_t *types, Error *err) {
    strbuf_appendf(&fake.log, "P:%s:%s:%d", name, sql, n);
    for (int i = 0; i < n; i++) strbuf_appendf(&fake.log, ":%u", types[i]);
    strbuf_append_str(&fake.log, ";");
    if (strstr(sql, "bad")) return error_set(err, SQLSTATE_SYNTAX_ERROR, "syntax error at or near \"bad\"");
    pgwire_send_parse_complete(cur);
    return true;
}

static bool cb_bind(void *s, const PgBind *b, Error *err) {
    strbuf_appendf(&fake.log, "B:%s:%s:%d", b->portal, b->statement, b->nparams);
    for (int i = 0; i < b->nparams; i++) {
        if (b->params[i].len < 0)
            strbuf_appendf(&fake.log, ":f%d=NULL", b->param_formats[i]);
        else
            strbuf_appendf(&fake.log, ":f%d=%.*s", b->param_formats[i], (int)b->params[i].len, b->params[i].data);
    }
    strbuf_appendf(&fake.log, ":r%d", b->nresult_formats);
    for (int i = 0; i < b->nresult_formats; i++) strbuf_appendf(&fake.log, ",%d", b->result_formats[i]);
    strbuf_append_str(&fake.log, ";");
    pgwire_send_bind_complete(cur);
    return true;
}

static bool cb_describe(void *s, char kind, const char *name, Error *err) {
    strbuf_appendf(&fake.log, "D%c:%s;", kind, name);
    pgwire_send_no_data(cur);
    return true;
}

static bool cb_execute(void *s, const char *portal, int32_t max_rows, Error *err) {
    strbuf_appendf(&fake.log, "E:%s:%d;", portal, max_rows);
    if (strcmp(portal, "hold") == 0) {
        pgwire_conn_suspend(cur);
        return true;
    }
    pgwire_send_command_complete(cur, "EXEC");
    return true;
}

static bool cb_close(void *s, char kind, const char *name, Error *err) {
    strbuf_appendf(&fake.log, "C%c:%s;", kind, name);
    pgwire_send_close_complete(cur);
    return true;
}

static bool cb_sync(void *s, Error *err) {
    strbuf_append_str(&fake.log, "S;");
    if (fake.sync_fail) return error_set(err, SQLSTATE_SERIALIZATION_FAILURE, "could not serialize access");
    return true;
}

static char cb_txn_status(void *s) { return 'T'; }

static bool cb_copy_data(void *s, const char *data, size_t len, Error *err) {
    strbuf_appendf(&fake.log, "d:%.*s;", (int)len, data);
    if (strcmp(data, "bad") == 0) return error_set(err, SQLSTATE_BAD_COPY_FILE_FORMAT, "bad data");
    return true;
}

static bool cb_copy_done(void *s, Error *err) {
    strbuf_append_str(&fake.log, "c;");
    pgwire_send_command_complete(cur, "COPY 2");
    return true;
}

static void cb_copy_abort(void *s) { strbuf_append_str(&fake.log, "abort;"); }

static PgwireCallbacks callbacks = {
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

/* ---- building frontend bytes --------------------------------------------- */

static void put16(StrBuf *b, int v) {
    char x[2] = {(char)(v >> 8), (char)v};
    strbuf_append(b, x, 2);
}

static void put32(StrBuf *b, int32_t v) {
    uint32_t n = htonl((uint32_t)v);
    strbuf_append(b, &n, 4);
}

static void putstr(StrBuf *b, const char *s) { strbuf_append(b, s, strlen(s) + 1); }

/* Appends a message: type, length, body. */
static void msg(StrBuf *b, char type, const StrBuf *body) {
    strbuf_append_char(b, type);
    put32(b, (int32_t)body->len + 4);
    strbuf_append(b, body->data, body->len);
}

static void msg_str(StrBuf *b, char type, const char *s) {
    StrBuf body;
    strbuf_init(&body);
    if (s) putstr(&body, s);
    msg(b, type, &body);
    strbuf_deinit(&body);
}

/* A startup packet; kv is a NULL-terminated list of name, value. */
static void startup(StrBuf *b, uint32_t proto, const char *const *kv) {
    StrBuf body;
    strbuf_init(&body);
    put32(&body, (int32_t)proto);
    for (int i = 0; kv && kv[i]; i++) putstr(&body, kv[i]);
    strbuf_append_char(&body, '\0');
    put32(b, (int32_t)body.len + 4);
    strbuf_append(b, body.data, body.len);
    strbuf_deinit(&body);
}

static void parse_msg(StrBuf *b, const char *name, const char *sql, int n, const int32_t *oids) {
    StrBuf body;
    strbuf_init(&body);
    putstr(&body, name);
    putstr(&body, sql);
    put16(&body, n);
    for (int i = 0; i < n; i++) put32(&body, oids[i]);
    msg(b, 'P', &body);
    strbuf_deinit(&body);
}

static void kind_msg(StrBuf *b, char type, char kind, const char *name) {
    StrBuf body;
    strbuf_init(&body);
    strbuf_append_char(&body, kind);
    putstr(&body, name);
    msg(b, type, &body);
    strbuf_deinit(&body);
}

static void execute_msg(StrBuf *b, const char *portal, int32_t max_rows) {
    StrBuf body;
    strbuf_init(&body);
    putstr(&body, portal);
    put32(&body, max_rows);
    msg(b, 'E', &body);
    strbuf_deinit(&body);
}

/* ---- reading backend bytes ----------------------------------------------- */

static uint32_t be32(const char *p) {
    uint32_t v;
    memcpy(&v, p, 4);
    return ntohl(v);
}

/* The message types in out, in order ("RSKZ"). */
static const char *types(const StrBuf *out) {
    static char t[512];
    size_t n = 0;
    for (size_t off = 0; off + 5 <= out->len && n + 1 < sizeof t; off += 1 + be32(out->data + off + 1))
        t[n++] = out->data[off];
    t[n] = '\0';
    return t;
}

/* The body of the nth message of this type, or NULL. */
static const char *find_msg(const StrBuf *out, char type, int nth, uint32_t *len) {
    for (size_t off = 0; off + 5 <= out->len; off += 1 + be32(out->data + off + 1)) {
        if (out->data[off] != type || nth-- > 0) continue;
        if (len) *len = be32(out->data + off + 1) - 4;
        return out->data + off + 5;
    }
    return NULL;
}

/* A field of the first ErrorResponse (or NoticeResponse with type 'N'). */
static const char *nth_field(const StrBuf *out, char type, int nth, char code) {
    const char *p = find_msg(out, type, nth, NULL);
    if (!p) return NULL;
    while (*p) {
        if (*p == code) return p + 1;
        p += strlen(p) + 1;
    }
    return NULL;
}

static const char *field_of(const StrBuf *out, char type, char code) { return nth_field(out, type, 0, code); }

static const char *err_field(const StrBuf *out, char code) { return field_of(out, 'E', code); }

/* ---- fixtures ------------------------------------------------------------ */

static Mem mem;
static StrBuf in;

static int setup(void **state) {
    memset(&mem, 0, sizeof mem);
    strbuf_init(&mem.out);
    memset(&fake, 0, sizeof fake);
    strbuf_init(&fake.log);
    strbuf_init(&in);
    cur = NULL;
    return 0;
}

static int teardown(void **state) {
    if (cur) pgwire_conn_destroy(cur);
    strbuf_deinit(&mem.out);
    strbuf_deinit(&fake.log);
    strbuf_deinit(&in);
    return 0;
}

static PgConn *new_conn(void) {
    PgTransport tr = {.write = mem_write, .close = mem_close, .ctx = &mem};
    cur = pgwire_conn_create(&callbacks, NULL, tr, 42, 0x12345678);
    return cur;
}

static const char *const default_kv[] = {"user", "alice", "database", "db1", NULL};

/* A connection past startup, with its output and log cleared. */
static PgConn *connected(void) {
    PgConn *c = new_conn();
    StrBuf b;
    strbuf_init(&b);
    startup(&b, 196608, default_kv);
    assert_true(pgwire_conn_feed(c, b.data, b.len));
    strbuf_deinit(&b);
    assert_string_equal(types(&mem.out), "RSKZ");
    strbuf_reset(&mem.out);
    strbuf_reset(&fake.log);
    mem.writes = 0;
    return c;
}

static bool feed_in(PgConn *c) { return pgwire_conn_feed(c, in.data, in.len); }

/* ---- startup ------------------------------------------------------------- */

/* pgwire-startup-1: AuthenticationOk, ParameterStatus (from the engine),
 * BackendKeyData, ReadyForQuery, in one write. */
static void test_startup_handshake(void **state) {
    PgConn *c = new_conn();
    const char *kv[] = {"user", "alice", "database", "db1", "application_name", "psql", NULL};
    startup(&in, 196608, kv);
    assert_true(feed_in(c));
    assert_string_equal(types(&mem.out), "RSKZ");
    assert_int_equal(mem.writes, 1);
    static const char auth_ok[] = {'R', 0, 0, 0, 8, 0, 0, 0, 0};
    assert_memory_equal(mem.out.data, auth_ok, sizeof auth_ok);
    uint32_t len;
    const char *k = find_msg(&mem.out, 'K', 0, &len);
    assert_int_equal(len, 8);
    assert_int_equal(be32(k), 42);
    assert_int_equal(be32(k + 4), 0x12345678);
    const char *z = find_msg(&mem.out, 'Z', 0, &len);
    assert_int_equal(len, 1);
    assert_int_equal(z[0], 'T'); /* whatever txn_status says */
    assert_string_equal(fake.log.data, "open user=alice db=db1;");
    assert_ptr_equal(pgwire_conn_session(c), &fake.session);
    assert_false(pgwire_conn_is_closed(c));
}

/* pgwire-startup-2: no database: it defaults to the user, as in PostgreSQL. */
static void test_startup_default_database(void **state) {
    PgConn *c = new_conn();
    const char *kv[] = {"user", "bob", NULL};
    startup(&in, 196608, kv);
    assert_true(feed_in(c));
    assert_string_equal(fake.log.data, "open user=bob db=bob;");
}

/* pgwire-startup-3: SSLRequest and GSSENCRequest get the single byte 'N',
 * then the real startup packet follows on the same connection. */
static void test_startup_ssl_refused(void **state) {
    PgConn *c = new_conn();
    put32(&in, 8);
    put32(&in, 80877103);
    assert_true(feed_in(c));
    assert_int_equal(mem.out.len, 1);
    assert_int_equal(mem.out.data[0], 'N');
    strbuf_reset(&in);
    put32(&in, 8);
    put32(&in, 80877104);
    assert_true(feed_in(c));
    assert_int_equal(mem.out.len, 2);
    assert_int_equal(mem.out.data[1], 'N');
    strbuf_reset(&in);
    strbuf_reset(&mem.out);
    startup(&in, 196608, default_kv);
    assert_true(feed_in(c));
    assert_string_equal(types(&mem.out), "RSKZ");
}

/* pgwire-startup-4: protocol 4.0 -> FATAL 0A000 with PostgreSQL's words. */
static void test_startup_bad_version(void **state) {
    PgConn *c = new_conn();
    startup(&in, 4u << 16, default_kv);
    assert_false(feed_in(c));
    assert_true(pgwire_conn_is_closed(c));
    assert_int_equal(mem.closes, 1);
    assert_string_equal(err_field(&mem.out, 'S'), "FATAL");
    assert_string_equal(err_field(&mem.out, 'V'), "FATAL");
    assert_string_equal(err_field(&mem.out, 'C'), "0A000");
    assert_string_equal(err_field(&mem.out, 'M'), "unsupported frontend protocol 4.0: server supports 3.0 to 3.0");
    assert_int_equal(fake.opens, 0);
}

/* pgwire-startup-5: protocol 2.0 gets the error in the 2.0 format. */
static void test_startup_v2(void **state) {
    PgConn *c = new_conn();
    startup(&in, 2u << 16, default_kv);
    assert_false(feed_in(c));
    const char expect[] = "EFATAL:  unsupported frontend protocol 2.0: server supports 3.0 to 3.0\n";
    assert_int_equal(mem.out.len, sizeof expect);
    assert_memory_equal(mem.out.data, expect, sizeof expect);
}

/* pgwire-startup-6: 3.1 and a _pq_ option: NegotiateProtocolVersion. */
static void test_startup_negotiate(void **state) {
    PgConn *c = new_conn();
    const char *kv[] = {"user", "alice", "_pq_.foo", "x", NULL};
    startup(&in, 196609, kv);
    assert_true(feed_in(c));
    assert_string_equal(types(&mem.out), "vRSKZ");
    uint32_t len;
    const char *v = find_msg(&mem.out, 'v', 0, &len);
    assert_int_equal(be32(v), 196608);
    assert_int_equal(be32(v + 4), 1);
    assert_string_equal(v + 8, "_pq_.foo");
    assert_string_equal(fake.log.data, "open user=alice db=alice;");
}

static void expect_fatal(const char *sqlstate, const char *message) {
    assert_string_equal(err_field(&mem.out, 'S'), "FATAL");
    assert_string_equal(err_field(&mem.out, 'C'), sqlstate);
    assert_string_equal(err_field(&mem.out, 'M'), message);
    assert_int_equal(mem.closes, 1);
    assert_true(pgwire_conn_is_closed(cur));
}

/* pgwire-startup-7: startup packet lengths outside 8..10000. */
static void test_startup_bad_length(void **state) {
    PgConn *c = new_conn();
    put32(&in, 4);
    put32(&in, 196608);
    assert_false(feed_in(c));
    expect_fatal("08P01", "invalid length of startup packet");
    pgwire_conn_destroy(c);
    strbuf_reset(&mem.out);
    mem.closes = 0;
    c = new_conn();
    strbuf_reset(&in);
    put32(&in, 20000); /* refused from the header alone */
    assert_false(feed_in(c));
    expect_fatal("08P01", "invalid length of startup packet");
}

/* pgwire-startup-8: pairs not ended by a terminator as the last byte. */
static void test_startup_bad_layout(void **state) {
    static const char *const bodies[] = {"user\0pos", "user\0\0", "user\0alice\0x", "user"};
    static const size_t lens[] = {8, 6, 12, 4};
    for (size_t i = 0; i < 4; i++) {
        if (cur) pgwire_conn_destroy(cur);
        strbuf_reset(&mem.out);
        strbuf_reset(&in);
        mem.closes = 0;
        PgConn *c = new_conn();
        put32(&in, (int32_t)(8 + lens[i]));
        put32(&in, 196608);
        strbuf_append(&in, bodies[i], lens[i]);
        assert_false(feed_in(c));
        expect_fatal("08P01", "invalid startup packet layout: expected terminator as last byte");
    }
    assert_int_equal(fake.opens, 0);
}

/* pgwire-startup-9: no user. */
static void test_startup_no_user(void **state) {
    PgConn *c = new_conn();
    const char *kv[] = {"database", "db1", NULL};
    startup(&in, 196608, kv);
    assert_false(feed_in(c));
    expect_fatal("28000", "no PostgreSQL user name specified in startup packet");
}

/* pgwire-startup-10: session_open refuses: AuthenticationOk, then its error
 * as FATAL; no session, so no session_close (invariant 4). */
static void test_startup_session_refused(void **state) {
    PgConn *c = new_conn();
    const char *kv[] = {"user", "nobody", "database", "nope", NULL};
    startup(&in, 196608, kv);
    assert_false(feed_in(c));
    assert_string_equal(types(&mem.out), "RE");
    expect_fatal("3D000", "database \"nope\" does not exist");
    pgwire_conn_destroy(c);
    cur = NULL;
    assert_int_equal(fake.closes, 0);
}

/* pgwire-startup-11: CancelRequest closes without a reply. */
static void test_startup_cancel(void **state) {
    PgConn *c = new_conn();
    put32(&in, 16);
    put32(&in, 80877102);
    put32(&in, 42);
    put32(&in, 7);
    assert_false(feed_in(c));
    assert_int_equal(mem.out.len, 0);
    assert_int_equal(mem.closes, 1);
}

static int tls_starts;
static void mem_start_tls(void *ctx) { tls_starts++; }

/* pgwire-startup-tls: with TLS, SSLRequest is answered 'S' and the
 * transport switches; plaintext right behind the request is refused. */
static void test_startup_ssl_accepted(void **state) {
    PgTransport tr = {.write = mem_write, .close = mem_close, .start_tls = mem_start_tls, .ctx = &mem};
    cur = pgwire_conn_create(&callbacks, NULL, tr, 7, 42);
    tls_starts = 0;
    put32(&in, 8);
    put32(&in, 80877103);
    assert_true(feed_in(cur));
    assert_int_equal(mem.out.len, 1);
    assert_int_equal(mem.out.data[0], 'S');
    assert_int_equal(tls_starts, 1);
    assert_true(pgwire_conn_is_tls(cur));
    pgwire_conn_destroy(cur);

    strbuf_reset(&in);
    strbuf_reset(&mem.out);
    cur = pgwire_conn_create(&callbacks, NULL, tr, 7, 42);
    put32(&in, 8);
    put32(&in, 80877103);
    startup(&in, 196608, default_kv); /* sent without waiting for the answer */
    assert_false(feed_in(cur));
    assert_int_equal(mem.out.data[0], 'S');
    StrBuf after = {.data = mem.out.data + 1, .len = mem.out.len - 1}; /* the messages after the 'S' */
    assert_string_equal(nth_field(&after, 'E', 0, 'M'), "received unencrypted data after SSL request");
    pgwire_conn_destroy(cur);
    cur = NULL;
}

/* ---- framing ------------------------------------------------------------- */

/* pgwire-frame-1: a length below 4 is FATAL 08P01 and closes. */
static void test_frame_short_length(void **state) {
    PgConn *c = connected();
    strbuf_append(&in, "Q\0\0\0\3", 5);
    assert_false(feed_in(c));
    expect_fatal("08P01", "invalid message length");
    assert_string_equal(fake.log.data, "");
    /* invariant 3: nothing more happens once closed */
    strbuf_reset(&in);
    msg_str(&in, 'Q', "select 1");
    assert_false(feed_in(c));
    assert_string_equal(fake.log.data, "");
    assert_int_equal(mem.closes, 1);
}

/* pgwire-frame-2: a small message (Sync) announcing more than 10000 bytes,
 * and a Query announcing more than 1 GiB, are refused from the header. */
static void test_frame_too_long(void **state) {
    PgConn *c = connected();
    strbuf_append(&in, "S\0\0\x4e\x22", 5); /* 20002 */
    assert_false(feed_in(c));
    expect_fatal("08P01", "invalid message length");
    pgwire_conn_destroy(c);
    strbuf_reset(&in);
    strbuf_reset(&mem.out);
    mem.closes = 0;
    c = connected();
    strbuf_append(&in, "Q\x40\0\0\0", 5);
    assert_false(feed_in(c));
    expect_fatal("08P01", "invalid message length");
    /* A lower limit (max_message_size) applies to queries and copy data. */
    pgwire_conn_destroy(c);
    strbuf_reset(&in);
    strbuf_reset(&mem.out);
    mem.closes = 0;
    c = connected();
    pgwire_conn_set_max_message(c, 1000);
    char big[1200];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    msg_str(&in, 'Q', "ok");
    msg_str(&in, 'Q', big);
    assert_false(feed_in(c));
    expect_fatal("08P01", "invalid message length");
    assert_string_equal(fake.log.data, "Q:ok;");
}

/* pgwire-frame-3: unknown message type. */
static void test_frame_unknown_type(void **state) {
    PgConn *c = connected();
    strbuf_append(&in, "y", 1); /* the type alone is enough */
    assert_false(feed_in(c));
    expect_fatal("08P01", "invalid frontend message type 121");
}

/* pgwire-frame-4: bodies that do not match their length. */
static void test_frame_malformed_bodies(void **state) {
    struct {
        char type;
        const char *body;
        size_t len;
        const char *message;
    } cases[] = {
        {'Q', "select 1", 8, "invalid string in message"},
        {'S', "x", 1, "invalid message format"},
        {'Q', "a\0b\0", 4, "invalid message format"},
        {'E', "p\0\0\0", 4, "insufficient data left in message"},
        {'P', "\0q\0\0\5", 5, "insufficient data left in message"},                         /* 5 oids, none there */
        {'B', "\0\0\0\0\0\1\0\0\0\x09x\0\0", 13, "insufficient data left in message"},      /* value of 9 bytes */
        {'B', "\0\0\0\0\0\1\xff\xff\xff\xfe\0\0", 12, "insufficient data left in message"}, /* length -2 */
        {'B', "\0\0\0\x7f\xff", 5, "insufficient data left in message"},                    /* 32767 formats */
        {'D', "S", 1, "invalid string in message"},
        {'D', "", 0, "insufficient data left in message"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        if (cur) pgwire_conn_destroy(cur);
        strbuf_reset(&in);
        strbuf_reset(&mem.out);
        mem.closes = 0;
        PgConn *c = connected();
        StrBuf body;
        strbuf_init(&body);
        strbuf_append(&body, cases[i].body, cases[i].len);
        msg(&in, cases[i].type, &body);
        strbuf_deinit(&body);
        assert_false(feed_in(c));
        expect_fatal("08P01", cases[i].message);
        assert_string_equal(fake.log.data, "");
    }
}

/* pgwire-frame-5: input split into single bytes gives the same output, in
 * the same order, as the whole (invariant 1). */
static void test_frame_split(void **state) {
    startup(&in, 196608, default_kv);
    msg_str(&in, 'Q', "rows");
    parse_msg(&in, "s1", "select $1", 1, (int32_t[]){23});
    msg_str(&in, 'S', NULL);

    PgConn *c = new_conn();
    assert_true(feed_in(c));
    StrBuf whole;
    strbuf_init(&whole);
    strbuf_append(&whole, mem.out.data, mem.out.len);
    char *log = strdup(fake.log.data);
    pgwire_conn_destroy(c);

    strbuf_reset(&mem.out);
    strbuf_reset(&fake.log);
    c = new_conn();
    for (size_t i = 0; i < in.len; i++) assert_true(pgwire_conn_feed(c, in.data + i, 1));
    assert_int_equal(mem.out.len, whole.len);
    assert_memory_equal(mem.out.data, whole.data, whole.len);
    assert_string_equal(fake.log.data, log);
    assert_string_equal(types(&mem.out), "RSKZTDCZ1Z");
    free(log);
    strbuf_deinit(&whole);
}

/* pgwire-frame-6: a pipeline in one read: every message in order, one
 * write for the whole batch; and a message split across reads in the middle
 * of a pipeline. */
static void test_frame_pipelined(void **state) {
    PgConn *c = connected();
    parse_msg(&in, "", "select 1", 0, NULL);
    StrBuf bind;
    strbuf_init(&bind);
    putstr(&bind, "");
    putstr(&bind, "");
    put16(&bind, 0);
    put16(&bind, 0);
    put16(&bind, 0);
    msg(&in, 'B', &bind);
    strbuf_deinit(&bind);
    kind_msg(&in, 'D', 'P', "");
    execute_msg(&in, "", 0);
    msg_str(&in, 'S', NULL);
    msg_str(&in, 'Q', "a");
    msg_str(&in, 'Q', "b");
    assert_true(feed_in(c));
    assert_int_equal(mem.writes, 1);
    assert_string_equal(types(&mem.out), "12nCZCZCZ");
    assert_string_equal(fake.log.data, "P::select 1:0;B:::0:r0;DP:;E::0;S;Q:a;Q:b;");

    /* the same bytes cut at 7 and 19: carried, then the rest straight */
    strbuf_reset(&mem.out);
    strbuf_reset(&fake.log);
    assert_true(pgwire_conn_feed(c, in.data, 7));
    assert_true(pgwire_conn_feed(c, in.data + 7, 12));
    assert_true(pgwire_conn_feed(c, in.data + 19, in.len - 19));
    assert_string_equal(fake.log.data, "P::select 1:0;B:::0:r0;DP:;E::0;S;Q:a;Q:b;");
}

/* ---- queries and the extended protocol ----------------------------------- */

/* pgwire-query-1: a failed simple query: ErrorResponse then ReadyForQuery;
 * the session goes on. */
static void test_query_error(void **state) {
    PgConn *c = connected();
    msg_str(&in, 'Q', "fail");
    msg_str(&in, 'Q', "ok");
    assert_true(feed_in(c));
    assert_string_equal(types(&mem.out), "EZCZ");
    assert_string_equal(err_field(&mem.out, 'S'), "ERROR");
    assert_string_equal(err_field(&mem.out, 'C'), "42601");
    assert_null(err_field(&mem.out, 'D'));
    assert_null(err_field(&mem.out, 'P'));
}

/* pgwire-query-2: a FATAL from a callback is sent and closes. */
static void test_query_fatal(void **state) {
    PgConn *c = connected();
    msg_str(&in, 'Q', "fatal");
    msg_str(&in, 'Q', "never");
    assert_false(feed_in(c));
    assert_string_equal(types(&mem.out), "E");
    expect_fatal("57P01", "terminating connection due to administrator command");
    assert_string_equal(fake.log.data, "Q:fatal;");
}

/* pgwire-query-3: every optional field of an ErrorResponse. */
static void test_query_error_fields(void **state) {
    PgConn *c = connected();
    msg_str(&in, 'Q', "fields");
    assert_true(feed_in(c));
    assert_string_equal(err_field(&mem.out, 'C'), "23505");
    assert_string_equal(err_field(&mem.out, 'D'), "Key (id)=(1) already exists.");
    assert_string_equal(err_field(&mem.out, 'H'), "a hint");
    assert_string_equal(err_field(&mem.out, 'P'), "7");
    assert_string_equal(err_field(&mem.out, 's'), "public");
    assert_string_equal(err_field(&mem.out, 't'), "t");
    assert_string_equal(err_field(&mem.out, 'c'), "id");
    assert_string_equal(err_field(&mem.out, 'n'), "t_pkey");
}

/* pgwire-query-4: NoticeResponse with WARNING severity. */
static void test_query_notice(void **state) {
    PgConn *c = connected();
    msg_str(&in, 'Q', "notice");
    assert_true(feed_in(c));
    assert_string_equal(types(&mem.out), "NCZ");
    assert_string_equal(field_of(&mem.out, 'N', 'S'), "WARNING");
    assert_string_equal(field_of(&mem.out, 'N', 'C'), "01000");
    assert_string_equal(field_of(&mem.out, 'N', 'M'), "careful");
}

/* pgwire-query-5: RowDescription and DataRow bytes. */
static void test_query_datarow_encoding(void **state) {
    PgConn *c = connected();
    msg_str(&in, 'Q', "rows");
    assert_true(feed_in(c));
    assert_string_equal(types(&mem.out), "TDCZ");
    uint32_t len;
    const char *t = find_msg(&mem.out, 'T', 0, &len);
    static const char tdesc[] = {0, 1, 'a', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 23, 0, 4, -1, -1, -1, -1, 0, 0};
    assert_int_equal(len, sizeof tdesc);
    assert_memory_equal(t, tdesc, sizeof tdesc);
    const char *d = find_msg(&mem.out, 'D', 0, &len);
    static const char row[] = {0, 3, 0, 0, 0, 2, '1', '2', -1, -1, -1, -1, 0, 0, 0, 0};
    assert_int_equal(len, sizeof row);
    assert_memory_equal(d, row, sizeof row);
    assert_memory_equal(d - 5, "D\0\0\0\x14", 5);
    assert_string_equal(find_msg(&mem.out, 'C', 0, NULL), "SELECT 1");
}

/* pgwire-ext-1: an error in the extended protocol: ErrorResponse, then
 * everything up to Sync is skipped (invariant 2); Sync gives
 * ReadyForQuery and the session goes on. */
static void test_ext_error_skips_to_sync(void **state) {
    PgConn *c = connected();
    parse_msg(&in, "", "bad", 0, NULL);
    kind_msg(&in, 'D', 'S', "");
    execute_msg(&in, "", 0);
    msg_str(&in, 'H', NULL);
    msg_str(&in, 'Q', "skipped too");
    msg_str(&in, 'S', NULL);
    parse_msg(&in, "s2", "good", 2, (int32_t[]){23, 25});
    msg_str(&in, 'S', NULL);
    assert_true(feed_in(c));
    assert_string_equal(fake.log.data, "P::bad:0;S;P:s2:good:2:23:25;S;");
    assert_string_equal(types(&mem.out), "EZ1Z");
    assert_string_equal(err_field(&mem.out, 'C'), "42601");
    assert_int_equal(mem.writes, 1);
}

/* pgwire-ext-2: the error reaches the client without Sync (PostgreSQL
 * flushes errors), even though Flush is skipped. */
static void test_ext_error_flushed(void **state) {
    PgConn *c = connected();
    parse_msg(&in, "", "bad", 0, NULL);
    msg_str(&in, 'H', NULL);
    assert_true(feed_in(c));
    assert_string_equal(types(&mem.out), "E");
    /* still skipping: a Parse before Sync is ignored */
    strbuf_reset(&in);
    parse_msg(&in, "", "ok", 0, NULL);
    assert_true(feed_in(c));
    assert_string_equal(fake.log.data, "P::bad:0;");
}

/* pgwire-ext-3: a failing Sync: its error, then ReadyForQuery. */
static void test_ext_sync_fails(void **state) {
    PgConn *c = connected();
    fake.sync_fail = true;
    msg_str(&in, 'S', NULL);
    assert_true(feed_in(c));
    assert_string_equal(types(&mem.out), "EZ");
    assert_string_equal(err_field(&mem.out, 'C'), "40001");
}

/* pgwire-ext-4: Bind decoding: one format for all, a NULL, result formats. */
static void test_ext_bind_decoding(void **state) {
    PgConn *c = connected();
    StrBuf b;
    strbuf_init(&b);
    putstr(&b, "p1");
    putstr(&b, "s1");
    put16(&b, 1);
    put16(&b, 1); /* binary for all */
    put16(&b, 3);
    put32(&b, 2);
    strbuf_append(&b, "ab", 2);
    put32(&b, -1);
    put32(&b, 0);
    put16(&b, 2);
    put16(&b, 0);
    put16(&b, 1);
    msg(&in, 'B', &b);
    strbuf_reset(&b);
    putstr(&b, "");
    putstr(&b, "");
    put16(&b, 2); /* one per parameter */
    put16(&b, 0);
    put16(&b, 1);
    put16(&b, 2);
    put32(&b, 1);
    strbuf_append(&b, "x", 1);
    put32(&b, 1);
    strbuf_append(&b, "y", 1);
    put16(&b, 0);
    msg(&in, 'B', &b);
    strbuf_deinit(&b);
    execute_msg(&in, "p1", -5);
    kind_msg(&in, 'C', 'P', "p1");
    kind_msg(&in, 'C', 'S', "s1");
    msg_str(&in, 'S', NULL);
    assert_true(feed_in(c));
    assert_string_equal(fake.log.data, "B:p1:s1:3:f1=ab:f1=NULL:f1=:r2,0,1;B:::2:f0=x:f1=y:r0;E:p1:0;CP:p1;CS:s1;S;");
    assert_string_equal(types(&mem.out), "22C33Z");
}

/* pgwire-ext-5: invalid but well-formed: an ERROR, skip to Sync (as in
 * PostgreSQL), not FATAL. */
static void test_ext_invalid_requests(void **state) {
    PgConn *c = connected();
    StrBuf b;
    strbuf_init(&b);
    putstr(&b, "");
    putstr(&b, "");
    put16(&b, 2);
    put16(&b, 0);
    put16(&b, 0);
    put16(&b, 1);
    put32(&b, -1);
    put16(&b, 0);
    msg(&in, 'B', &b);
    strbuf_deinit(&b);
    msg_str(&in, 'S', NULL);
    kind_msg(&in, 'D', 'X', "");
    msg_str(&in, 'S', NULL);
    assert_true(feed_in(c));
    assert_string_equal(types(&mem.out), "EZEZ");
    assert_string_equal(err_field(&mem.out, 'M'), "bind message has 2 parameter formats but 1 parameters");
    assert_string_equal(nth_field(&mem.out, 'E', 1, 'M'), "invalid DESCRIBE message subtype 88");
    assert_string_equal(nth_field(&mem.out, 'E', 1, 'S'), "ERROR");
    assert_string_equal(fake.log.data, "S;S;");
}

/* pgwire-ext-6: Flush writes what is buffered, without ReadyForQuery. */
static void test_ext_flush(void **state) {
    PgConn *c = connected();
    parse_msg(&in, "", "x", 0, NULL);
    assert_true(feed_in(c));
    assert_int_equal(mem.writes, 0); /* batched until Flush or Sync */
    strbuf_reset(&in);
    msg_str(&in, 'H', NULL);
    assert_true(feed_in(c));
    assert_int_equal(mem.writes, 1);
    assert_string_equal(types(&mem.out), "1");
}

/* pgwire-misc-1: CopyData/CopyDone/CopyFail outside COPY are ignored. */
static void test_stray_copy_messages(void **state) {
    PgConn *c = connected();
    msg_str(&in, 'f', "COPY terminated by new PQexec");
    msg_str(&in, 'c', NULL);
    msg_str(&in, 'd', "1\t2");
    msg_str(&in, 'Q', "ok");
    assert_true(feed_in(c));
    assert_string_equal(types(&mem.out), "CZ");
    assert_string_equal(fake.log.data, "Q:ok;");
}

/* pgwire-copy-1: in copy-in mode CopyData goes to the engine (Flush and
 * Sync ignored) and the Query's ReadyForQuery waits for CopyDone. */
static void test_copy_in(void **state) {
    PgConn *c = connected();
    msg_str(&in, 'Q', "copy");
    assert_true(feed_in(c));
    assert_string_equal(types(&mem.out), "G");
    strbuf_reset(&in);
    strbuf_reset(&mem.out);
    msg_str(&in, 'd', "1\t");
    msg_str(&in, 'H', NULL);
    msg_str(&in, 'S', NULL);
    msg_str(&in, 'd', "2\n");
    msg_str(&in, 'c', NULL);
    msg_str(&in, 'Q', "ok");
    assert_true(feed_in(c));
    assert_string_equal(fake.log.data, "Q:copy;d:1\t;d:2\n;c;Q:ok;");
    assert_string_equal(types(&mem.out), "CZCZ");
}

/* pgwire-copy-2: CopyFail fails the COPY (57014), an unexpected message
 * does too (08P01) and is then handled; later copy messages are dropped. */
static void test_copy_fail(void **state) {
    PgConn *c = connected();
    msg_str(&in, 'Q', "copy");
    msg_str(&in, 'f', "no more");
    msg_str(&in, 'd', "late");
    msg_str(&in, 'Q', "copy");
    msg_str(&in, 'Q', "ok");
    assert_true(feed_in(c));
    assert_string_equal(types(&mem.out), "GEZGEZCZ");
    assert_string_equal(nth_field(&mem.out, 'E', 0, 'C'), "57014");
    assert_string_equal(nth_field(&mem.out, 'E', 0, 'M'), "COPY from stdin failed: no more");
    assert_string_equal(nth_field(&mem.out, 'E', 1, 'C'), "08P01");
    assert_string_equal(nth_field(&mem.out, 'E', 1, 'M'), "unexpected message type 0x51 during COPY from stdin");
    assert_string_equal(fake.log.data, "Q:copy;abort;Q:copy;abort;Q:ok;");
}

/* pgwire-copy-3: an error from copy_data ends the COPY at once. */
static void test_copy_data_error(void **state) {
    PgConn *c = connected();
    msg_str(&in, 'Q', "copy");
    msg_str(&in, 'd', "bad");
    msg_str(&in, 'd', "more");
    msg_str(&in, 'c', NULL);
    assert_true(feed_in(c));
    assert_string_equal(types(&mem.out), "GEZ");
    assert_string_equal(fake.log.data, "Q:copy;d:bad;abort;");
}

/* pgwire-misc-2: Terminate closes quietly; destroy closes the session. */
static void test_terminate(void **state) {
    PgConn *c = connected();
    msg_str(&in, 'X', NULL);
    assert_false(feed_in(c));
    assert_int_equal(mem.out.len, 0);
    assert_int_equal(mem.closes, 1);
    pgwire_conn_destroy(c);
    cur = NULL;
    assert_int_equal(fake.closes, 1);
}

/* pgwire-misc-3: a failed write (peer gone) closes the connection. */
static void test_write_failure(void **state) {
    PgConn *c = connected();
    mem.fail = true;
    msg_str(&in, 'Q', "ok");
    assert_false(feed_in(c));
    assert_true(pgwire_conn_is_closed(c));
    assert_int_equal(mem.closes, 1);
}

/* pgwire-misc-4: FunctionCall is refused with an ERROR, not a FATAL. */
static void test_function_call(void **state) {
    PgConn *c = connected();
    msg_str(&in, 'F', "x");
    assert_true(feed_in(c));
    assert_string_equal(types(&mem.out), "EZ");
    assert_string_equal(err_field(&mem.out, 'C'), "0A000");
}

/* pgwire-suspend-1: a suspended Query holds its ReadyForQuery and every
 * later message (pipelined or fed later) until resume, which sends the
 * held replies in order in one write (invariant 6). */
static void test_suspend_query(void **state) {
    PgConn *c = connected();
    msg_str(&in, 'Q', "suspend");
    msg_str(&in, 'Q', "a");
    assert_true(feed_in(c));
    assert_int_equal(mem.out.len, 0);
    assert_string_equal(fake.log.data, "Q:suspend;");
    strbuf_reset(&in);
    msg_str(&in, 'Q', "b");
    assert_true(pgwire_conn_feed(c, in.data, 3)); /* and a partial one */
    assert_string_equal(fake.log.data, "Q:suspend;");
    pgwire_send_command_complete(c, "COMMIT"); /* the commit is durable */
    pgwire_conn_resume(c);
    assert_int_equal(mem.writes, 1);
    assert_string_equal(types(&mem.out), "CZCZ");
    assert_string_equal(find_msg(&mem.out, 'C', 0, NULL), "COMMIT");
    assert_true(pgwire_conn_feed(c, in.data + 3, in.len - 3));
    assert_string_equal(fake.log.data, "Q:suspend;Q:a;Q:b;");
    assert_string_equal(types(&mem.out), "CZCZCZ");
    pgwire_conn_resume(c); /* not suspended: nothing */
    assert_int_equal(mem.writes, 2);
}

/* pgwire-suspend-2: suspended in Execute: the pipelined Sync waits; a
 * resume inside the same callback cancels the suspend. */
static void test_suspend_extended(void **state) {
    PgConn *c = connected();
    execute_msg(&in, "hold", 0);
    msg_str(&in, 'S', NULL);
    msg_str(&in, 'Q', "flip");
    assert_true(feed_in(c));
    assert_string_equal(fake.log.data, "E:hold:0;");
    assert_int_equal(mem.out.len, 0);
    pgwire_send_command_complete(c, "INSERT 0 1");
    pgwire_conn_resume(c);
    assert_string_equal(fake.log.data, "E:hold:0;S;Q:flip;");
    assert_string_equal(types(&mem.out), "CZCZ");
}

/* pgwire-misc-5: a result bigger than PGWIRE_OUT_SOFT_LIMIT goes out in
 * pieces instead of piling up; the bytes are the same. */
static void test_big_output(void **state) {
    PgConn *c = connected();
    char *big = malloc(100000);
    memset(big, 'x', 100000);
    memcpy(big, "echo", 4);
    big[99999] = '\0';
    msg_str(&in, 'Q', big);
    free(big);
    assert_true(feed_in(c));
    assert_true(mem.writes > 1);
    assert_string_equal(types(&mem.out), "TDDDDDCZ");
    uint32_t len;
    assert_non_null(find_msg(&mem.out, 'D', 4, &len));
    assert_int_equal(len, 2 + 4 + 99999);
}

/* pgwire-fuzz-1: random frames (valid types, lengths right or wrong,
 * random bodies) fed in random pieces never crash or read out of bounds
 * (ASan) and either keep the connection or close it with one close. */
static uint32_t rnd_state;
static uint32_t rnd(void) {
    rnd_state = rnd_state * 1103515245u + 12345u;
    return rnd_state >> 8;
}

static void valid_msg(StrBuf *b, uint32_t which) {
    StrBuf body;
    strbuf_init(&body);
    switch (which) {
    case 0: msg_str(b, 'Q', "q"); break;
    case 1: msg_str(b, 'S', NULL); break;
    case 2: parse_msg(b, "s", "x", 1, (int32_t[]){23}); break;
    case 3: kind_msg(b, 'D', 'S', "s"); break;
    case 4: execute_msg(b, "", 0); break;
    case 5: kind_msg(b, 'C', 'P', ""); break;
    case 6: msg_str(b, 'H', NULL); break;
    default:
        putstr(&body, "");
        putstr(&body, "s");
        put16(&body, 0);
        put16(&body, 1);
        put32(&body, 1);
        strbuf_append_char(&body, '7');
        put16(&body, 0);
        msg(b, 'B', &body);
    }
    strbuf_deinit(&body);
}

static void test_fuzz_frames(void **state) {
    static const char typeset[] = "QPBDECSHdcfF";
    int reached = 0, survived = 0; /* the fuzz must get past framing */
    for (uint32_t seed = 1; seed <= 3000; seed++) {
        rnd_state = seed;
        if (cur) pgwire_conn_destroy(cur);
        strbuf_reset(&in);
        strbuf_reset(&mem.out);
        mem.closes = 0;
        PgConn *c = connected();
        strbuf_reset(&in);
        for (int m = 0; m < 6; m++) {
            if (rnd() % 2) { /* a valid message, sometimes with one byte changed */
                size_t at = in.len;
                valid_msg(&in, rnd() % 8);
                if (rnd() % 3 == 0) in.data[at + 5 + rnd() % (in.len - at - 4) - 1] ^= (char)(1 + rnd() % 255);
                continue;
            }
            size_t n = rnd() % 24;
            StrBuf body;
            strbuf_init(&body);
            for (size_t i = 0; i < n; i++) {
                uint32_t r = rnd() % 8;
                strbuf_append_char(&body, r < 3 ? '\0' : r < 5 ? (char)(rnd() % 3) : (char)rnd());
            }
            char type = typeset[rnd() % (sizeof typeset - 1)];
            if (rnd() % 4)
                msg(&in, type, &body);
            else {
                strbuf_append_char(&in, type);
                put32(&in, (int32_t)(rnd() % 40));
                strbuf_append(&in, body.data, body.len);
            }
            strbuf_deinit(&body);
        }
        size_t off = 0;
        while (off < in.len) {
            size_t k = 1 + rnd() % 16;
            if (k > in.len - off) k = in.len - off;
            bool open = pgwire_conn_feed(c, in.data + off, k);
            assert_int_equal(open, !pgwire_conn_is_closed(c));
            off += k;
        }
        assert_true(mem.closes <= 1);
        assert_int_equal(mem.closes, pgwire_conn_is_closed(c) ? 1 : 0);
        reached += fake.log.len > 0;
        survived += !pgwire_conn_is_closed(c);
    }
    assert_true(reached > 300);
    assert_true(survived > 30);
}

/* ---- the server (libuv, real sockets) ------------------------------------ */

static int free_port(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    socklen_t len = sizeof sa;
    getsockname(fd, (struct sockaddr *)&sa, &len);
    close(fd);
    return ntohs(sa.sin_port);
}

/* Runs the loop until the client socket has `want` bytes or hits EOF. */
static size_t pump(uv_loop_t *loop, int fd, char *buf, size_t cap, size_t want) {
    size_t got = 0;
    for (int i = 0; i < 2000 && got < want; i++) {
        uv_run(loop, UV_RUN_NOWAIT);
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 1) <= 0) continue;
        ssize_t n = recv(fd, buf + got, cap - got, 0);
        if (n <= 0) break;
        got += (size_t)n;
    }
    return got;
}

static void handshake(uv_loop_t *loop, int fd) {
    StrBuf b;
    strbuf_init(&b);
    put32(&b, 8);
    put32(&b, 80877103);
    assert_int_equal(send(fd, b.data, b.len, 0), 8);
    char buf[512];
    assert_int_equal(pump(loop, fd, buf, sizeof buf, 1), 1);
    assert_int_equal(buf[0], 'N');
    strbuf_reset(&b);
    startup(&b, 196608, default_kv);
    msg_str(&b, 'Q', "rows");
    assert_int_equal(send(fd, b.data, b.len, 0), (ssize_t)b.len);
    StrBuf got;
    strbuf_init(&got);
    size_t n = pump(loop, fd, buf, sizeof buf, 80);
    strbuf_append(&got, buf, n);
    assert_string_equal(types(&got), "RSKZTDCZ");
    strbuf_deinit(&got);
    strbuf_deinit(&b);
}

/* pgwire-server-1: TCP on the loopback: handshake and a query; the same
 * port again is PostgreSQL's "could not bind ... Address already in use";
 * destroy closes the open connection (session_close) and frees all. */
static void test_server_tcp(void **state) {
    uv_loop_t loop;
    uv_loop_init(&loop);
    PgServer *s = pgwire_server_create(&loop, &callbacks, NULL);
    int port = free_port();
    Error err;
    assert_true(pgwire_server_listen_tcp(s, "127.0.0.1", port, &err));
    assert_false(pgwire_server_listen_tcp(s, "127.0.0.1", port, &err));
    char expect[128];
    snprintf(expect, sizeof expect, "could not bind IPv4 address \"127.0.0.1\": Address already in use");
    assert_string_equal(err.message, expect);

    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {
        .sin_family = AF_INET, .sin_port = htons((uint16_t)port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    /* the fake engine's callbacks reply through `cur`: find it through the
     * session_open call, which gets the PgConn */
    handshake(&loop, fd);
    assert_int_equal(fake.opens, 1);

    pgwire_server_destroy(s);
    uv_run(&loop, UV_RUN_DEFAULT);
    assert_int_equal(fake.closes, 1);
    char buf[16];
    assert_int_equal(recv(fd, buf, sizeof buf, 0), 0); /* closed by the server */
    close(fd);
    assert_int_equal(uv_loop_close(&loop), 0);
}

/* pgwire-server-2: Unix socket: mode 0777, a live socket is "in use", a
 * stale one is replaced, destroy unlinks it. */
static void test_server_unix(void **state) {
    char path[64];
    snprintf(path, sizeof path, "/tmp/.s.PGSQL.test%d", (int)getpid());
    unlink(path);
    uv_loop_t loop;
    uv_loop_init(&loop);
    PgServer *s = pgwire_server_create(&loop, &callbacks, NULL);
    Error err;
    assert_true(pgwire_server_listen_unix(s, path, &err));
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0777);
    assert_false(pgwire_server_listen_unix(s, path, &err));
    char expect[128];
    snprintf(expect, sizeof expect, "could not bind Unix address \"%s\": Address already in use", path);
    assert_string_equal(err.message, expect);

    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un sun = {.sun_family = AF_UNIX};
    strcpy(sun.sun_path, path);
    assert_int_equal(connect(fd, (struct sockaddr *)&sun, sizeof sun), 0);
    handshake(&loop, fd);
    /* the client goes away: the server notices EOF and closes the session */
    close(fd);
    for (int i = 0; i < 200 && fake.closes == 0; i++) {
        uv_run(&loop, UV_RUN_NOWAIT);
        usleep(1000);
    }
    assert_int_equal(fake.closes, 1);
    pgwire_server_destroy(s);
    uv_run(&loop, UV_RUN_DEFAULT);
    assert_int_equal(uv_loop_close(&loop), 0);
    assert_int_not_equal(stat(path, &st), 0);

    /* a stale socket file (nobody listening) is removed and replaced */
    int stale = socket(AF_UNIX, SOCK_STREAM, 0);
    assert_int_equal(bind(stale, (struct sockaddr *)&sun, sizeof sun), 0);
    close(stale);
    uv_loop_init(&loop);
    s = pgwire_server_create(&loop, &callbacks, NULL);
    assert_true(pgwire_server_listen_unix(s, path, &err));
    pgwire_server_destroy(s);
    uv_run(&loop, UV_RUN_DEFAULT);
    assert_int_equal(uv_loop_close(&loop), 0);
    assert_int_not_equal(stat(path, &st), 0);
}

/* The fake engine replies through `cur`; with a server the PgConn comes
 * from session_open, so remember it there. */
static void *cb_open_server(void *engine, PgConn *c, const PgStartup *st, Error *err) {
    cur = c;
    return cb_open(engine, c, st, err);
}

static int setup_server(void **state) {
    setup(state);
    callbacks.session_open = cb_open_server;
    return 0;
}

static int teardown_server(void **state) {
    callbacks.session_open = cb_open;
    cur = NULL; /* destroyed by the server */
    return teardown(state);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_startup_handshake, setup, teardown),
        cmocka_unit_test_setup_teardown(test_startup_default_database, setup, teardown),
        cmocka_unit_test_setup_teardown(test_startup_ssl_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_startup_bad_version, setup, teardown),
        cmocka_unit_test_setup_teardown(test_startup_v2, setup, teardown),
        cmocka_unit_test_setup_teardown(test_startup_negotiate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_startup_bad_length, setup, teardown),
        cmocka_unit_test_setup_teardown(test_startup_bad_layout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_startup_no_user, setup, teardown),
        cmocka_unit_test_setup_teardown(test_startup_session_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_startup_cancel, setup, teardown),
        cmocka_unit_test_setup_teardown(test_frame_short_length, setup, teardown),
        cmocka_unit_test_setup_teardown(test_frame_too_long, setup, teardown),
        cmocka_unit_test_setup_teardown(test_frame_unknown_type, setup, teardown),
        cmocka_unit_test_setup_teardown(test_frame_malformed_bodies, setup, teardown),
        cmocka_unit_test_setup_teardown(test_frame_split, setup, teardown),
        cmocka_unit_test_setup_teardown(test_frame_pipelined, setup, teardown),
        cmocka_unit_test_setup_teardown(test_query_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_query_fatal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_query_error_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(test_query_notice, setup, teardown),
        cmocka_unit_test_setup_teardown(test_query_datarow_encoding, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ext_error_skips_to_sync, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ext_error_flushed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ext_sync_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ext_bind_decoding, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ext_invalid_requests, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ext_flush, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stray_copy_messages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_startup_ssl_accepted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_copy_in, setup, teardown),
        cmocka_unit_test_setup_teardown(test_copy_fail, setup, teardown),
        cmocka_unit_test_setup_teardown(test_copy_data_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_terminate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_failure, setup, teardown),
        cmocka_unit_test_setup_teardown(test_function_call, setup, teardown),
        cmocka_unit_test_setup_teardown(test_suspend_query, setup, teardown),
        cmocka_unit_test_setup_teardown(test_suspend_extended, setup, teardown),
        cmocka_unit_test_setup_teardown(test_big_output, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fuzz_frames, setup, teardown),
        cmocka_unit_test_setup_teardown(test_server_tcp, setup_server, teardown_server),
        cmocka_unit_test_setup_teardown(test_server_unix, setup_server, teardown_server),
    };
    return cmocka_run_group_tests_name("pgwire", tests, NULL, NULL);
}
