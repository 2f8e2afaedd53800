/*
 * test_protocol_errors.c — malformed wire-protocol input on raw sockets.
 *
 * Each bad connection must be refused on its own: the server sends at most
 * one ErrorResponse with SQLSTATE 08P01 (0A000 for an unsupported protocol
 * version) and closes that connection, while a healthy libpq connection
 * opened before keeps working and new connections are accepted.
 *
 * What PostgreSQL 15 itself does, which these checks follow (verified
 * against it):
 *   - startup packet of a bad length (< 8 or > 10000 bytes), or a message
 *     whose length field is < 4 or too large: the connection is closed,
 *     without an ErrorResponse (the error goes only to the server log). A
 *     server that sends a FATAL 08P01 first is accepted too.
 *   - startup packet whose last byte is not the terminating NUL: FATAL 08P01
 *     "invalid startup packet layout: expected terminator as last byte".
 *   - protocol 2.0: the error goes out in the protocol-2 format the client
 *     asked for, 'E' then "FATAL:  unsupported frontend protocol 2.0: server
 *     supports 3.0 to 3.0\n" and a NUL (no length word, no SQLSTATE; the
 *     server logs it as 0A000), then close. A v3 ErrorResponse with FATAL
 *     0A000 is accepted too.
 *   - unknown message type after startup: FATAL 08P01 "invalid frontend
 *     message type N", then close.
 *   - a Query whose text lacks its NUL within the declared length: ERROR
 *     08P01 "invalid string in message" and the session goes on
 *     (ReadyForQuery); closing the connection after the error is accepted.
 *
 * Uses PGHOST / PGPORT from with-server.sh. Prints "ok N - what" /
 * "not ok N - what" and a final "N passed, N failed"; exits 1 on failure.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <libpq-fe.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "tap.h"

#define PROTOCOL_3_0 196608 /* 3 << 16 */
#define PROTOCOL_2_0 131072 /* 2 << 16 */
#define READ_TIMEOUT_SECONDS 5

/* ---- raw socket helpers ---- */

static int tcp_connect(void) {
    const char *host = getenv("PGHOST"), *port = getenv("PGPORT");
    struct addrinfo hints = {0}, *ai;
    struct timeval tv = {READ_TIMEOUT_SECONDS, 0};
    int fd;

    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    if (!host || host[0] == '/') host = "127.0.0.1";
    if (getaddrinfo(host, port ? port : "5432", &hints, &ai) != 0) return -1;
    fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
    if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
        close(fd);
        fd = -1;
    }
    freeaddrinfo(ai);
    if (fd >= 0) setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return fd;
}

static int send_all(int fd, const void *buf, size_t len) {
    const char *p = buf;
    while (len > 0) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static void put32(char *p, uint32_t v) {
    v = htonl(v);
    memcpy(p, &v, 4);
}

/* Outcome of reading one message. */
enum { MSG_OK = 1, MSG_CLOSED = 0, MSG_TIMEOUT = -1, MSG_BAD = -2 };

/* Reads exactly len bytes: MSG_OK, MSG_CLOSED (EOF or reset) or MSG_TIMEOUT. */
static int recv_all(int fd, char *buf, size_t len, size_t *got) {
    *got = 0;
    while (*got < len) {
        ssize_t n = recv(fd, buf + *got, len - *got, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n == 0 || (n < 0 && (errno == ECONNRESET || errno == EPIPE))) return MSG_CLOSED;
        if (n < 0) return MSG_TIMEOUT;
        *got += (size_t)n;
    }
    return MSG_OK;
}

typedef struct {
    char type;
    uint32_t len; /* body length, without the type byte and length word */
    char body[8192];
} Msg;

static int read_msg(int fd, Msg *m) {
    char head[5];
    size_t got;
    int r = recv_all(fd, head, 5, &got);
    if (r != MSG_OK) return (r == MSG_CLOSED && got > 0) ? MSG_BAD : r;
    m->type = head[0];
    memcpy(&m->len, head + 1, 4);
    m->len = ntohl(m->len);
    if (m->len < 4 || m->len - 4 >= sizeof m->body) return MSG_BAD;
    m->len -= 4;
    r = recv_all(fd, m->body, m->len, &got);
    if (r != MSG_OK) return r == MSG_CLOSED ? MSG_BAD : r;
    m->body[m->len] = '\0';
    return MSG_OK;
}

/* The value of field `code` of an ErrorResponse / NoticeResponse, or "". */
static const char *error_field(const Msg *m, char code) {
    uint32_t i = 0;
    while (i < m->len && m->body[i] != '\0') {
        char c = m->body[i++];
        const char *value = m->body + i;
        if (c == code) return value;
        i += (uint32_t)strlen(value) + 1;
    }
    return "";
}

static const char *outcome(int r) {
    switch (r) {
    case MSG_OK: return "a message";
    case MSG_CLOSED: return "connection closed";
    case MSG_TIMEOUT: return "no answer (timeout)";
    default: return "a truncated or malformed message";
    }
}

/* Sends a startup packet: length, version, then `params` (len bytes) as is. */
static int send_startup(int fd, uint32_t declared_len, uint32_t version, const char *params, size_t len) {
    char buf[1024];
    put32(buf, declared_len);
    put32(buf + 4, version);
    memcpy(buf + 8, params, len);
    return send_all(fd, buf, 8 + len);
}

static const char good_params[] = "user\0postgres\0database\0postgres\0"; /* + the final NUL of the literal */

/* Opens a raw connection and completes a trust startup up to ReadyForQuery. */
static int raw_session(const char *what) {
    Msg m;
    int fd = tcp_connect(), r, authed = 0;

    if (fd < 0) {
        check(0, "%s: connect", what);
        return -1;
    }
    send_startup(fd, 8 + sizeof good_params, PROTOCOL_3_0, good_params, sizeof good_params);
    while ((r = read_msg(fd, &m)) == MSG_OK && m.type != 'Z') {
        if (m.type == 'R' && m.len >= 4 && memcmp(m.body, "\0\0\0\0", 4) == 0) authed = 1;
        if (m.type == 'E') break;
    }
    if (!check(r == MSG_OK && m.type == 'Z' && authed,
               "%s: startup reaches AuthenticationOk and ReadyForQuery (%s%s%s)", what, outcome(r),
               r == MSG_OK && m.type == 'E' ? ": " : "", r == MSG_OK && m.type == 'E' ? error_field(&m, 'M') : "")) {
        close(fd);
        return -1;
    }
    return fd;
}

/*
 * Expects the server to end the connection. With `strict`, an ErrorResponse
 * with severity FATAL and SQLSTATE `state` must come first; otherwise it may
 * also close without one (what PostgreSQL does for bad length words).
 */
static void expect_refused(int fd, const char *state, int strict, const char *what) {
    Msg m;
    int r = read_msg(fd, &m);

    if (r == MSG_CLOSED && !strict) {
        check(1, "%s: connection closed", what);
    } else if (r == MSG_OK && m.type == 'E') {
        check(strcmp(error_field(&m, 'C'), state) == 0 && strcmp(error_field(&m, 'S'), "FATAL") == 0,
              "%s: FATAL %s (got %s %s: %s)", what, state, error_field(&m, 'S'), error_field(&m, 'C'),
              error_field(&m, 'M'));
        r = read_msg(fd, &m);
        check(r == MSG_CLOSED, "%s: connection closed after the error (got %s%s%c)", what, outcome(r),
              r == MSG_OK ? " of type " : "", r == MSG_OK ? m.type : ' ');
    } else {
        check(0, "%s: expected %s%s, got %s%s%c", what, strict ? "FATAL " : "close or FATAL ", state, outcome(r),
              r == MSG_OK ? " of type " : "", r == MSG_OK ? m.type : ' ');
    }
    close(fd);
}

/* Sends a simple Query on a raw session and checks it answers 1 and ReadyForQuery. */
static void raw_select_one(int fd, const char *what) {
    static const char q[] = "SELECT 1";
    static const char one_row[7] = {0, 1, 0, 0, 0, 1, '1'}; /* 1 column, length 1, "1" */
    char buf[64];
    Msg m;
    int r, rows = 0, value_ok = 0;

    buf[0] = 'Q';
    put32(buf + 1, 4 + sizeof q);
    memcpy(buf + 5, q, sizeof q);
    send_all(fd, buf, 5 + sizeof q);
    while ((r = read_msg(fd, &m)) == MSG_OK && m.type != 'Z') {
        if (m.type == 'D') {
            rows++;
            value_ok = m.len == 2 + 4 + 1 && memcmp(m.body, one_row, 7) == 0;
        }
    }
    check(r == MSG_OK && rows == 1 && value_ok, "%s: SELECT 1 answers one row '1' then ReadyForQuery", what);
}

/*
 * Reads everything up to the close and checks it is one error for a
 * protocol-2 startup: the protocol-2 form PostgreSQL sends, or a v3
 * ErrorResponse FATAL 0A000.
 */
static void expect_v2_refusal(int fd) {
    static const char what[] = "startup with protocol 2.0";
    char buf[4096];
    size_t len = 0;
    int r = MSG_OK;

    while (r == MSG_OK && len < sizeof buf - 1) {
        ssize_t n = recv(fd, buf + len, sizeof buf - 1 - len, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n == 0 || (n < 0 && errno == ECONNRESET))
            r = MSG_CLOSED;
        else if (n < 0)
            r = MSG_TIMEOUT;
        else
            len += (size_t)n;
    }
    buf[len] = '\0';
    close(fd);
    if (!check(r == MSG_CLOSED, "%s: connection closed (%s)", what, outcome(r))) return;
    if (len >= 2 && buf[0] == 'E' && strncmp(buf + 1, "FATAL:  ", 8) == 0) {
        check(buf[len - 1] == '\0' && strlen(buf + 1) == len - 2 &&
                  strcmp(buf + 1, "FATAL:  unsupported frontend protocol 2.0: server supports 3.0 to 3.0\n") == 0,
              "%s: protocol-2 error 'FATAL:  unsupported frontend protocol 2.0: server supports 3.0 to 3.0'", what);
    } else if (len >= 5 && buf[0] == 'E') {
        Msg m;
        uint32_t mlen;
        memcpy(&mlen, buf + 1, 4);
        mlen = ntohl(mlen);
        m.len = mlen >= 4 && mlen - 4 < sizeof m.body && 1 + mlen == len ? mlen - 4 : 0;
        memcpy(m.body, buf + 5, m.len);
        m.body[m.len] = '\0';
        check(m.len > 0 && strcmp(error_field(&m, 'C'), "0A000") == 0 && strcmp(error_field(&m, 'S'), "FATAL") == 0,
              "%s: ErrorResponse FATAL 0A000 and nothing else (got %s %s)", what, error_field(&m, 'S'),
              error_field(&m, 'C'));
    } else {
        check(0, "%s: expected an error before the close, got %zu bytes", what, len);
    }
}

/* ---- the checks ---- */

static void test_bad_startup_packets(void) {
    char buf[16];
    int fd;

    fd = tcp_connect();
    put32(buf, 4);
    send_all(fd, buf, 4);
    expect_refused(fd, "08P01", 0, "startup packet of length 4");

    fd = tcp_connect();
    put32(buf, 100000);
    put32(buf + 4, PROTOCOL_3_0);
    send_all(fd, buf, 8);
    expect_refused(fd, "08P01", 0, "startup packet of length 100000");

    /* The parameters lack the final NUL (and the last value its own). */
    fd = tcp_connect();
    send_startup(fd, 8 + 31, PROTOCOL_3_0, "user\0postgres\0database\0postgres", 31);
    expect_refused(fd, "08P01", 1, "startup packet without its terminator");

    fd = tcp_connect();
    send_startup(fd, 8 + sizeof good_params, PROTOCOL_2_0, good_params, sizeof good_params);
    expect_v2_refusal(fd);
}

static void test_bad_messages(void) {
    char buf[16];
    int fd;

    if ((fd = raw_session("session C")) >= 0) {
        buf[0] = 'Q';
        put32(buf + 1, 3);
        send_all(fd, buf, 5);
        expect_refused(fd, "08P01", 0, "Query with length 3");
    }
    if ((fd = raw_session("session D")) >= 0) {
        buf[0] = 'Q';
        put32(buf + 1, 0xFFFFFFFFu);
        send_all(fd, buf, 5);
        expect_refused(fd, "08P01", 0, "Query with length -1");
    }
    if ((fd = raw_session("session E")) >= 0) {
        buf[0] = 'Q';
        put32(buf + 1, 0x7FFFFFFFu);
        send_all(fd, buf, 5);
        expect_refused(fd, "08P01", 0, "Query with length 2^31-1");
    }
    if ((fd = raw_session("session F")) >= 0) {
        buf[0] = 'y';
        put32(buf + 1, 4);
        send_all(fd, buf, 5);
        expect_refused(fd, "08P01", 1, "unknown message type 'y'");
    }
}

static void test_query_without_terminator(void) {
    char buf[16];
    Msg m;
    int fd, r;

    if ((fd = raw_session("session G")) < 0) return;
    buf[0] = 'Q';
    put32(buf + 1, 4 + 5);
    memcpy(buf + 5, "hello", 5);
    send_all(fd, buf, 10);
    r = read_msg(fd, &m);
    if (check(r == MSG_OK && m.type == 'E' && strcmp(error_field(&m, 'C'), "08P01") == 0,
              "Query text without NUL: ErrorResponse 08P01 (got %s%s%s)", outcome(r), r == MSG_OK ? ": " : "",
              r == MSG_OK ? error_field(&m, 'M') : "")) {
        r = read_msg(fd, &m);
        if (r == MSG_OK && m.type == 'Z') {
            check(1, "Query text without NUL: session goes on (ReadyForQuery), as in PostgreSQL");
            raw_select_one(fd, "session G after the bad Query");
        } else {
            check(r == MSG_CLOSED, "Query text without NUL: then ReadyForQuery or close (got %s)", outcome(r));
        }
    }
    close(fd);
}

static void check_select_one(PGconn *conn, const char *what) {
    PGresult *res = PQexec(conn, "SELECT 1");
    int ok = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0), "1") == 0;
    if (!check(ok, "%s", what)) printf("#   %s", PQerrorMessage(conn));
    PQclear(res);
}

int main(void) {
    PGconn *a = PQconnectdb(""), *b;
    int fd;

    if (!check(PQstatus(a) == CONNECTION_OK, "libpq connection A")) {
        printf("#   %s", PQerrorMessage(a));
        printf("%d passed, %d failed\n", n_checks - n_failed, n_failed);
        return 1;
    }
    check_select_one(a, "connection A: SELECT 1");

    if ((fd = raw_session("raw session")) >= 0) {
        raw_select_one(fd, "raw session");
        close(fd);
    }
    test_bad_startup_packets();
    test_bad_messages();
    test_query_without_terminator();

    check(PQstatus(a) == CONNECTION_OK, "connection A still open");
    check_select_one(a, "connection A: SELECT 1 after the bad connections");
    b = PQconnectdb("");
    check(PQstatus(b) == CONNECTION_OK, "new libpq connection after the bad connections");
    check_select_one(b, "new connection: SELECT 1");
    PQfinish(b);
    PQfinish(a);

    printf("%d passed, %d failed\n", n_checks - n_failed, n_failed);
    return n_failed ? 1 : 0;
}
