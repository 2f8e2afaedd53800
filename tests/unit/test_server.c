/*
 * test_server.c — the engine's sessions driven through pgwire without
 * sockets: transaction states as ReadyForQuery reports them, implicit
 * transactions, prepared statements, portals run in pieces, Close.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "server/server.h"

/* ---- a client speaking raw protocol into a memory transport ---------------- */

typedef struct Client {
    StrBuf sent; /* what the server wrote */
    size_t read; /* how much of it the test consumed */
    PgConn *conn;
    Engine *engine;
    uv_loop_t loop;
} Client;

static bool mem_write(void *ctx, const char *d, size_t n) {
    strbuf_append(&((Client *)ctx)->sent, d, n);
    return true;
}
static void mem_close(void *ctx) { (void)ctx; }

static void put32(StrBuf *b, uint32_t v) {
    v = htonl(v);
    strbuf_append(b, &v, 4);
}
static void put16(StrBuf *b, uint16_t v) {
    v = htons(v);
    strbuf_append(b, &v, 2);
}
static void putstr(StrBuf *b, const char *s) { strbuf_append(b, s, strlen(s) + 1); }

/* Frames body as a message of type t and feeds it. */
static void send_msg(Client *c, char t, const StrBuf *body) {
    StrBuf m;
    strbuf_init(&m);
    strbuf_append_char(&m, t);
    put32(&m, (uint32_t)(body->len + 4));
    strbuf_append(&m, body->data, body->len);
    pgwire_conn_feed(c->conn, m.data, m.len);
    strbuf_deinit(&m);
}

/* The types of the messages the server sent since the last call, as a string
 * ("ZT" = ReadyForQuery then RowDescription ...), plus ReadyForQuery's status. */
static const char *received(Client *c, char *status) {
    static char types[256];
    size_t n = 0;
    while (c->read + 5 <= c->sent.len && n + 1 < sizeof types) {
        const char *p = c->sent.data + c->read;
        uint32_t len;
        memcpy(&len, p + 1, 4);
        len = ntohl(len);
        types[n++] = p[0];
        if (p[0] == 'Z' && status) *status = p[5];
        c->read += 1 + len;
    }
    types[n] = '\0';
    return types;
}

static void query(Client *c, const char *sql) {
    StrBuf b;
    strbuf_init(&b);
    putstr(&b, sql);
    send_msg(c, 'Q', &b);
    strbuf_deinit(&b);
}

static void parse(Client *c, const char *name, const char *sql) {
    StrBuf b;
    strbuf_init(&b);
    putstr(&b, name);
    putstr(&b, sql);
    put16(&b, 0);
    send_msg(c, 'P', &b);
    strbuf_deinit(&b);
}

static void bind1(Client *c, const char *portal, const char *stmt, const char *param) {
    StrBuf b;
    strbuf_init(&b);
    putstr(&b, portal);
    putstr(&b, stmt);
    put16(&b, 0);
    put16(&b, param ? 1 : 0);
    if (param) {
        put32(&b, (uint32_t)strlen(param));
        strbuf_append(&b, param, strlen(param));
    }
    put16(&b, 0);
    send_msg(c, 'B', &b);
    strbuf_deinit(&b);
}

static void named(Client *c, char type, char kind, const char *name) {
    StrBuf b;
    strbuf_init(&b);
    strbuf_append_char(&b, kind);
    putstr(&b, name);
    send_msg(c, type, &b);
    strbuf_deinit(&b);
}

static void execute(Client *c, const char *portal, uint32_t max_rows) {
    StrBuf b;
    strbuf_init(&b);
    putstr(&b, portal);
    put32(&b, max_rows);
    send_msg(c, 'E', &b);
    strbuf_deinit(&b);
}

static void sync_(Client *c) {
    StrBuf b;
    strbuf_init(&b);
    send_msg(c, 'S', &b);
    strbuf_deinit(&b);
}

/* Opens c's session on `engine` with a startup packet; checks the handshake. */
static void connect_client(Client *c, Engine *engine, int32_t pid) {
    c->engine = engine;
    strbuf_init(&c->sent);
    c->conn = pgwire_conn_create(engine_callbacks(), engine,
                                 (PgTransport){.write = mem_write, .close = mem_close, .ctx = c}, pid, 2);
    StrBuf start;
    strbuf_init(&start);
    put32(&start, 0);
    put32(&start, 196608);
    putstr(&start, "user");
    putstr(&start, "postgres");
    strbuf_append_char(&start, '\0');
    uint32_t len = htonl((uint32_t)start.len);
    memcpy(start.data, &len, 4);
    pgwire_conn_feed(c->conn, start.data, start.len);
    strbuf_deinit(&start);
    char status = 0;
    const char *types = received(c, &status);
    assert_int_equal(types[0], 'R');
    assert_int_equal(types[strlen(types) - 1], 'Z');
    assert_int_equal(status, 'I');
}

static int setup(void **state) {
    Client *c = calloc(1, sizeof *c);
    uv_loop_init(&c->loop);
    EngineConfig cfg = {.data_dir = NULL, .listen_addr = "127.0.0.1", .port = 0};
    connect_client(c, engine_create(&c->loop, &cfg, NULL), 1);
    *state = c;
    return 0;
}

static int teardown(void **state) {
    Client *c = *state;
    pgwire_conn_destroy(c->conn);
    engine_destroy(c->engine);
    uv_run(&c->loop, UV_RUN_NOWAIT);
    uv_loop_close(&c->loop);
    strbuf_deinit(&c->sent);
    free(c);
    return 0;
}

/* server-session-1: ReadyForQuery reports I, T and E through a block. */
static void test_block_states(void **state) {
    Client *c = *state;
    char st = 0;
    query(c, "CREATE TABLE s1 (id int PRIMARY KEY)");
    assert_string_equal(received(c, &st), "CZ");
    assert_int_equal(st, 'I');
    query(c, "BEGIN");
    assert_string_equal(received(c, &st), "CZ");
    assert_int_equal(st, 'T');
    query(c, "INSERT INTO s1 VALUES (1)");
    assert_string_equal(received(c, &st), "CZ");
    assert_int_equal(st, 'T');
    query(c, "INSERT INTO s1 VALUES (1)");
    assert_string_equal(received(c, &st), "EZ");
    assert_int_equal(st, 'E');
    query(c, "SELECT 1");
    assert_string_equal(received(c, &st), "EZ"); /* 25P02 */
    query(c, "COMMIT");
    assert_string_equal(received(c, &st), "CZ"); /* tag ROLLBACK */
    assert_int_equal(st, 'I');
    query(c, "SELECT * FROM s1");
    assert_string_equal(received(c, &st), "TCZ"); /* the block was rolled back: no rows */
    query(c, "");
    assert_string_equal(received(c, &st), "IZ");
}

/* server-session-2: a portal run in pieces (Execute with max_rows), then
 * Close, within one implicit transaction ended by Sync. */
static void test_portal_in_pieces(void **state) {
    Client *c = *state;
    char st = 0;
    query(c, "CREATE TABLE s2 (id int PRIMARY KEY); INSERT INTO s2 VALUES (1), (2), (3)");
    assert_string_equal(received(c, &st), "CCZ");
    parse(c, "q", "SELECT id FROM s2 WHERE id >= $1 ORDER BY id");
    bind1(c, "p", "q", "1");
    named(c, 'D', 'P', "p");
    execute(c, "p", 2);
    execute(c, "p", 2);
    named(c, 'C', 'P', "p");
    sync_(c);
    /* ParseComplete, BindComplete, RowDescription, 2 DataRows, PortalSuspended,
     * 1 DataRow, CommandComplete, CloseComplete, ReadyForQuery */
    assert_string_equal(received(c, &st), "12TDDsDC3Z");
    assert_int_equal(st, 'I');
    /* The closed portal is gone; the statement stays. */
    execute(c, "p", 0);
    sync_(c);
    assert_string_equal(received(c, &st), "EZ");
    named(c, 'D', 'S', "q");
    sync_(c);
    assert_string_equal(received(c, &st), "tTZ");
}

/* server-session-3: an error in the extended protocol skips to Sync and
 * rolls back the implicit transaction it happened in. */
static void test_extended_error_rolls_back(void **state) {
    Client *c = *state;
    char st = 0;
    query(c, "CREATE TABLE s3 (id int PRIMARY KEY)");
    received(c, &st);
    parse(c, "", "INSERT INTO s3 VALUES ($1)");
    bind1(c, "", "", "7");
    execute(c, "", 0);
    bind1(c, "", "", "7");
    execute(c, "", 0); /* duplicate key */
    bind1(c, "", "", "8");
    execute(c, "", 0); /* skipped */
    sync_(c);
    assert_string_equal(received(c, &st), "12C2EZ");
    query(c, "SELECT * FROM s3");
    assert_string_equal(received(c, &st), "TCZ"); /* neither 7 nor 8 */
}

/* server-session-5: any extended-protocol error fails an open block, and a
 * result-format list that does not fit the columns is refused. */
static void test_extended_error_in_block(void **state) {
    Client *c = *state;
    char st = 0;
    query(c, "BEGIN");
    received(c, &st);
    bind1(c, "", "missing", NULL);
    sync_(c);
    assert_string_equal(received(c, &st), "EZ");
    assert_int_equal(st, 'E');
    query(c, "ROLLBACK");
    received(c, &st);
    parse(c, "two", "SELECT 1");
    StrBuf b;
    strbuf_init(&b);
    putstr(&b, "");
    putstr(&b, "two");
    put16(&b, 0);
    put16(&b, 0);
    put16(&b, 2); /* two result formats for one column */
    put16(&b, 0);
    put16(&b, 0);
    send_msg(c, 'B', &b);
    strbuf_deinit(&b);
    sync_(c);
    assert_string_equal(received(c, &st), "1EZ");
    assert_int_equal(st, 'I');
}

/* server-session-4: two sessions interleave under MVCC: a block's writes
 * are invisible to the other session until COMMIT (READ COMMITTED). */
static void test_two_sessions(void **state) {
    Client *a = *state;
    Client b = {0};
    connect_client(&b, a->engine, 2);
    char st;

    query(a, "CREATE TABLE s4 (id int PRIMARY KEY, v text)");
    received(a, &st);
    query(a, "BEGIN; INSERT INTO s4 VALUES (1, 'a')");
    assert_string_equal(received(a, &st), "CCZ");
    assert_int_equal(st, 'T');
    query(&b, "SELECT * FROM s4");
    assert_string_equal(received(&b, &st), "TCZ"); /* no DataRow: not committed */
    query(a, "COMMIT");
    received(a, &st);
    query(&b, "SELECT * FROM s4");
    assert_string_equal(received(&b, &st), "TDCZ");
    pgwire_conn_destroy(b.conn);
    strbuf_deinit(&b.sent);
}

/* server-session-6: random frontend messages (valid framing, random
 * bodies) against the real engine: errors, never a crash or a leak. */
static void test_random_messages(void **state) {
    Client *c = *state;
    uint64_t rng = 42;
    static const char TYPES[] = "QPBDESCH";
    static const char *const SQL[] = {"SELECT 1",
                                      "CREATE TABLE r (id int PRIMARY KEY)",
                                      "INSERT INTO r VALUES ($1)",
                                      "SELECT * FROM r WHERE id = $1",
                                      "BEGIN",
                                      "COMMIT",
                                      "",
                                      "SELEC",
                                      "DROP TABLE r"};
    int reconnects = 0;
    for (int i = 0; i < 3000; i++) {
        if (pgwire_conn_is_closed(c->conn)) { /* a malformed body ended it: the next client comes */
            pgwire_conn_destroy(c->conn);
            strbuf_deinit(&c->sent);
            c->read = 0;
            connect_client(c, c->engine, 3 + reconnects++);
        }
        rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
        uint32_t r = (uint32_t)(rng >> 33);
        StrBuf b;
        strbuf_init(&b);
        char type = TYPES[r % (sizeof TYPES - 1)];
        if (type == 'Q' || type == 'P') {
            if (type == 'P') putstr(&b, r & 64 ? "s" : "");
            putstr(&b, SQL[(r >> 8) % ARRAY_LEN(SQL)]);
            if (type == 'P') put16(&b, 0);
        } else if (type == 'B') {
            bind1(c, r & 64 ? "p" : "", r & 128 ? "s" : "", r & 256 ? "7" : NULL);
        } else {
            /* random body bytes: most are malformed and end the connection */
            int n = (int)((r >> 4) % 12);
            for (int k = 0; k < n; k++) strbuf_append_char(&b, (char)(r >> (k % 24)));
        }
        if (type != 'B') send_msg(c, type, &b);
        strbuf_deinit(&b);
        received(c, NULL);
    }
    assert_true(reconnects > 0);
    if (pgwire_conn_is_closed(c->conn)) return;
    /* The session still works: leave any skip-to-Sync and failed block. */
    char st;
    sync_(c);
    query(c, "ROLLBACK");
    received(c, &st);
    query(c, "SELECT 1");
    assert_string_equal(received(c, &st), "TDCZ");
    assert_int_equal(st, 'I');
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_block_states, setup, teardown),
        cmocka_unit_test_setup_teardown(test_portal_in_pieces, setup, teardown),
        cmocka_unit_test_setup_teardown(test_extended_error_rolls_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_sessions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_extended_error_in_block, setup, teardown),
        cmocka_unit_test_setup_teardown(test_random_messages, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
