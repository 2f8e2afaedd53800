/*
 * server.c — the libuv side of pgwire: TCP and Unix-socket listeners, one
 * uv stream per accepted connection, and the PgTransport that joins such a
 * stream to its PgConn (reads go to pgwire_conn_feed, the connection's
 * writes become uv_write, its close becomes shutdown-then-close).
 *
 * It does not look at the bytes (conn.c does) and owns no session state:
 * a connection's session lives and dies with its PgConn, which is destroyed
 * when its uv handle has closed (on EOF, error, pgwire's close, or server
 * destroy). Everything runs on the loop given to pgwire_server_create.
 *
 * INTERFACE
 *   pgwire_server_create, pgwire_server_listen_tcp,
 *   pgwire_server_listen_unix, pgwire_server_destroy
 *
 * LIFETIMES
 *   Every uv handle (listener or connection) counts in PgServer.handles
 *   and is freed in its close callback. pgwire_server_destroy starts the
 *   closes; the PgServer itself is freed by the last close callback (or at
 *   once if there is no handle), which is why the caller runs the loop after
 *   destroying.
 */
#include "pgwire/pgwire_int.h"

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <uv.h>

#define READ_BUF_SIZE (64 * 1024)

typedef union Stream {
    uv_handle_t handle;
    uv_stream_t stream;
    uv_tcp_t tcp;
    uv_pipe_t pipe;
} Stream;

typedef struct Listener {
    Stream h;
    PgServer *srv;
    struct Listener *next;
    char *unix_path; /* the socket file to unlink at destroy; NULL for TCP */
} Listener;

typedef struct SrvConn {
    Stream h;
    PgServer *srv;
    PgConn *conn;
    PgTlsConn *tls;    /* after an accepted SSLRequest: all bytes go through it */
    uint64_t accepted; /* loop time (ms) of the accept: authentication_timeout */
    struct SrvConn *prev, *next;
    bool closing; /* shutdown or close has begun */
    uv_shutdown_t shutdown;
} SrvConn;

/* A queued write: the request and a copy of the bytes in one allocation. */
typedef struct WriteReq {
    uv_write_t req;
    char data[];
} WriteReq;

struct PgServer {
    uv_loop_t *loop;
    const PgwireCallbacks *cb;
    void *engine;
    Listener *listeners;
    SrvConn *conns;
    int handles; /* uv handles not yet closed */
    bool destroyed;
    int32_t next_pid;       /* BackendKeyData process ids: a counter */
    uint32_t max_message;   /* pgwire_server_set_max_message; 0: the default */
    SSL_CTX *tls;           /* pgwire_server_set_tls; NULL: SSLRequest gets 'N' */
    uint64_t auth_timeout;  /* ms; 0: none */
    uv_timer_t *auth_timer; /* closes connections still authenticating past it */
    /* One read buffer for every connection: a read is decoded before the
     * loop reads again, and pgwire copies what it must keep (an incomplete
     * message), so idle connections cost no buffer. */
    char rbuf[READ_BUF_SIZE];
};

static void server_free(PgServer *s) {
    pgwire__tls_context_free(s->tls);
    free(s);
}

static void handle_released(PgServer *s) {
    if (--s->handles == 0 && s->destroyed) server_free(s);
}

/* ---- connections --------------------------------------------------------- */

static void on_conn_closed(uv_handle_t *h) {
    SrvConn *sc = h->data;
    PgServer *s = sc->srv;
    if (sc->prev)
        sc->prev->next = sc->next;
    else
        s->conns = sc->next;
    if (sc->next) sc->next->prev = sc->prev;
    pgwire_conn_destroy(sc->conn); /* calls session_close if one was opened */
    pgwire__tls_free(sc->tls);
    free(sc);
    handle_released(s);
}

static void close_now(SrvConn *sc) {
    sc->closing = true;
    if (!uv_is_closing(&sc->h.handle)) uv_close(&sc->h.handle, on_conn_closed);
}

static void on_write(uv_write_t *req, int status) {
    SrvConn *sc = req->data;
    free(req);
    if (status < 0 && status != UV_ECANCELED)
        close_now(sc);
    else if (!sc->closing && sc->conn)
        pgwire_conn_drained(sc->conn);
}

/* PgTransport.queued: what libuv (and TLS) still hold for the socket. */
static size_t conn_queued(void *ctx) {
    SrvConn *sc = ctx;
    return uv_stream_get_write_queue_size(&sc->h.stream) + (sc->tls ? pgwire__tls_pending(sc->tls) : 0);
}

/* PgTransport.start_tls: from now on every byte goes through TLS. */
static void conn_start_tls(void *ctx) {
    SrvConn *sc = ctx;
    sc->tls = pgwire__tls_start(sc->srv->tls);
}

/* Bytes for the socket: tried directly (no copy in the common case);
 * whatever it does not take is copied and queued behind uv_write. */
static bool raw_write(SrvConn *sc, const char *data, size_t len) {
    if (sc->closing) return false;
    uv_buf_t buf = uv_buf_init((char *)data, (unsigned)len);
    int n = uv_try_write(&sc->h.stream, &buf, 1);
    if (n == (int)len) return true;
    if (n < 0 && n != UV_EAGAIN) return false;
    size_t done = n > 0 ? (size_t)n : 0;
    WriteReq *w = malloc(sizeof *w + (len - done));
    if (!w) abort();
    memcpy(w->data, data + done, len - done);
    w->req.data = sc;
    buf = uv_buf_init(w->data, (unsigned)(len - done));
    if (uv_write(&w->req, &sc->h.stream, &buf, 1, on_write) != 0) {
        free(w);
        return false;
    }
    return true;
}

/* The ciphertext TLS has ready (records, handshake replies) to the socket. */
static bool flush_tls(SrvConn *sc) {
    char buf[16384];
    size_t n;
    while ((n = pgwire__tls_take(sc->tls, buf, sizeof buf)) > 0)
        if (!raw_write(sc, buf, n)) return false;
    return true;
}

/* PgTransport.write: plaintext, encrypted first on a TLS connection. */
static bool conn_write(void *ctx, const char *data, size_t len) {
    SrvConn *sc = ctx;
    if (!sc->tls) return raw_write(sc, data, len);
    return !sc->closing && pgwire__tls_send(sc->tls, data, len) && flush_tls(sc);
}

static void on_shutdown(uv_shutdown_t *req, int status) {
    SrvConn *sc = req->data;
    if (!uv_is_closing(&sc->h.handle)) uv_close(&sc->h.handle, on_conn_closed);
}

/* PgTransport.close: a shutdown waits for the queued writes (the FATAL
 * error must reach the client), then the handle closes. */
static void conn_close(void *ctx) {
    SrvConn *sc = ctx;
    if (sc->closing) return;
    if (sc->tls) {
        pgwire__tls_shutdown(sc->tls);
        flush_tls(sc);
    }
    sc->closing = true;
    uv_read_stop(&sc->h.stream);
    sc->shutdown.data = sc;
    if (uv_shutdown(&sc->shutdown, &sc->h.stream, on_shutdown) != 0) close_now(sc);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf) {
    SrvConn *sc = h->data;
    *buf = uv_buf_init(sc->srv->rbuf, sizeof sc->srv->rbuf);
}

/* Plaintext out of TLS, for pgwire. */
static void deliver_plain(void *ctx, const char *data, size_t len) {
    SrvConn *sc = ctx;
    if (!sc->closing) pgwire_conn_feed(sc->conn, data, len);
}

static void on_read(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf) {
    SrvConn *sc = stream->data;
    if (nread > 0 && sc->tls) {
        bool ok = pgwire__tls_received(sc->tls, buf->base, (size_t)nread, deliver_plain, sc);
        if (!sc->closing && !(ok && flush_tls(sc))) close_now(sc); /* a failed handshake or a bad record */
        return;
    }
    if (nread > 0) {
        /* A false return means pgwire closed the connection through
         * conn_close already; the close callback finishes the job. */
        pgwire_conn_feed(sc->conn, buf->base, (size_t)nread);
        return;
    }
    if (nread < 0) close_now(sc); /* EOF or error: the peer is gone */
}

static int32_t random_secret(void) {
    int32_t secret = 0;
    if (uv_random(NULL, NULL, &secret, sizeof secret, 0, NULL) != 0) secret = (int32_t)rand();
    return secret;
}

/* PgTransport.cancel: the connection with that key, if any, among this
 * server's. */
static void conn_cancel(void *ctx, int32_t pid, int32_t secret) {
    SrvConn *sc = ctx;
    for (SrvConn *t = sc->srv->conns; t; t = t->next)
        if (t->conn && t != sc && !t->closing && pgwire_conn_process_id(t->conn) == pid) {
            pgwire_conn_cancel(t->conn, secret);
            return;
        }
}

void pgwire_server_set_max_message(PgServer *s, uint32_t bytes) { s->max_message = bytes; }

/* Once a second: a connection that has not finished its startup and
 * authentication within the timeout is closed, as PostgreSQL's
 * authentication_timeout does (without a message: the client may be
 * anything). */
static void on_auth_timer(uv_timer_t *t) {
    PgServer *s = t->data;
    uint64_t now = uv_now(s->loop);
    for (SrvConn *sc = s->conns; sc; sc = sc->next)
        if (sc->conn && !sc->closing && pgwire_conn_authenticating(sc->conn) && now - sc->accepted >= s->auth_timeout)
            close_now(sc);
}

static void free_timer(uv_handle_t *h) { free(h); }

void pgwire_server_set_auth_timeout(PgServer *s, uint64_t ms) {
    s->auth_timeout = ms;
    if (!ms || s->auth_timer) return;
    s->auth_timer = malloc(sizeof *s->auth_timer);
    if (!s->auth_timer) abort();
    uv_timer_init(s->loop, s->auth_timer);
    s->auth_timer->data = s;
    uv_unref((uv_handle_t *)s->auth_timer);
    uv_timer_start(s->auth_timer, on_auth_timer, 1000, 1000);
}

bool pgwire_server_set_tls(PgServer *s, const char *cert_file, const char *key_file, Error *err) {
    SSL_CTX *ctx = pgwire__tls_context(cert_file, key_file, err);
    if (!ctx) return false;
    pgwire__tls_context_free(s->tls);
    s->tls = ctx;
    return true;
}

/* Gives an accepted stream its PgConn and starts reading. */
/* The peer's address as text ("" for a Unix socket). */
static void peer_of(SrvConn *sc, bool local, char *out, size_t cap) {
    struct sockaddr_storage ss;
    int len = sizeof ss;
    out[0] = '\0';
    if (local || uv_tcp_getpeername(&sc->h.tcp, (struct sockaddr *)&ss, &len) != 0) return;
    if (ss.ss_family == AF_INET)
        uv_ip4_name((struct sockaddr_in *)&ss, out, cap);
    else if (ss.ss_family == AF_INET6)
        uv_ip6_name((struct sockaddr_in6 *)&ss, out, cap);
}

static void start_conn(PgServer *s, SrvConn *sc, bool local) {
    PgTransport tr = {.write = conn_write,
                      .close = conn_close,
                      .queued = conn_queued,
                      .cancel = conn_cancel,
                      .start_tls = s->tls ? conn_start_tls : NULL,
                      .ctx = sc};
    int32_t pid = s->next_pid++;
    if (s->next_pid <= 0) s->next_pid = 1;
    sc->conn = pgwire_conn_create(s->cb, s->engine, tr, pid, random_secret());
    if (s->max_message) pgwire_conn_set_max_message(sc->conn, s->max_message);
    char addr[64];
    sc->accepted = uv_now(s->loop);
    peer_of(sc, local, addr, sizeof addr);
    pgwire_conn_set_peer(sc->conn, local, addr);
    uv_read_start(&sc->h.stream, on_alloc, on_read);
}

static void on_connection(uv_stream_t *server, int status) {
    Listener *l = server->data;
    PgServer *s = l->srv;
    if (status < 0) {
        log_warn("could not accept new connection: %s", uv_strerror(status));
        return;
    }
    SrvConn *sc = calloc(1, sizeof *sc);
    if (!sc) abort();
    sc->srv = s;
    int rc = l->unix_path ? uv_pipe_init(s->loop, &sc->h.pipe, 0) : uv_tcp_init(s->loop, &sc->h.tcp);
    if (rc != 0) {
        free(sc);
        return;
    }
    sc->h.handle.data = sc;
    s->handles++;
    /* Linked from here on: server destroy can close it, and the close
     * callback unlinks it (with or without a PgConn). */
    sc->next = s->conns;
    if (s->conns) s->conns->prev = sc;
    s->conns = sc;
    if (uv_accept(server, &sc->h.stream) != 0) {
        close_now(sc);
        return;
    }
    if (!l->unix_path) uv_tcp_nodelay(&sc->h.tcp, 1);
    start_conn(s, sc, l->unix_path != NULL);
}

/* ---- listeners ----------------------------------------------------------- */

static void on_listener_closed(uv_handle_t *h) {
    Listener *l = h->data;
    PgServer *s = l->srv;
    free(l->unix_path);
    free(l);
    handle_released(s);
}

static Listener *listener_new(PgServer *s) {
    Listener *l = calloc(1, sizeof *l);
    if (!l) abort();
    l->srv = s;
    return l;
}

/* After a successful init: the handle counts, and closes with the server. */
static void listener_add(PgServer *s, Listener *l) {
    l->h.handle.data = l;
    l->next = s->listeners;
    s->listeners = l;
    s->handles++;
}

/* Turns a failed listener back into nothing (its close is asynchronous). */
static void listener_drop(PgServer *s, Listener *l) {
    s->listeners = l->next;
    uv_close(&l->h.handle, on_listener_closed);
}

static const char *family_name(int family) { return family == AF_INET6 ? "IPv6" : "IPv4"; }

static void numeric_host(const struct sockaddr *sa, char *out, size_t n) {
    if (sa->sa_family == AF_INET6)
        uv_ip6_name((const struct sockaddr_in6 *)sa, out, n);
    else
        uv_ip4_name((const struct sockaddr_in *)sa, out, n);
}

/* libuv reports EADDRINUSE from bind only at listen; either way the
 * message is PostgreSQL's "could not bind". */
static bool tcp_fail(Error *err, const char *what, const struct sockaddr *sa, int rc, int port) {
    char host[64];
    numeric_host(sa, host, sizeof host);
    if (rc == UV_EADDRINUSE) what = "bind";
    error_set(err, SQLSTATE_CONNECTION_EXCEPTION, "could not %s %s address \"%s\": %s", what,
              family_name(sa->sa_family), host, strerror(-rc));
    if (rc == UV_EADDRINUSE)
        error_hint(err, "Is another server already running on port %d? If not, wait a few seconds and retry.", port);
    return false;
}

/* Returns 1 if listening, -1 on error, 0 if the address is not available
 * on this host (no IPv6, or not a local address): err is filled then too,
 * and the caller fails only if no address at all could be used, as
 * PostgreSQL does for "*" or "localhost" on a host without IPv6. */
static int listen_one_tcp(PgServer *s, const struct sockaddr *sa, int port, Error *err) {
    Listener *l = listener_new(s);
    if (uv_tcp_init(s->loop, &l->h.tcp) != 0) {
        free(l);
        error_set(err, SQLSTATE_INTERNAL_ERROR, "could not create %s socket", family_name(sa->sa_family));
        return -1;
    }
    listener_add(s, l);
    /* An IPv6 wildcard must not also take the IPv4 port: that one gets its
     * own listener (PostgreSQL sets IPV6_V6ONLY likewise). */
    unsigned flags = sa->sa_family == AF_INET6 ? UV_TCP_IPV6ONLY : 0;
    int rc = uv_tcp_bind(&l->h.tcp, sa, flags);
    const char *what = "bind";
    if (rc == 0) {
        rc = uv_listen(&l->h.stream, 128, on_connection);
        what = "listen on";
    }
    if (rc == 0) return 1;
    listener_drop(s, l);
    tcp_fail(err, what, sa, rc, port);
    return rc == UV_EAFNOSUPPORT || rc == UV_EADDRNOTAVAIL ? 0 : -1;
}

static bool same_addr(const struct addrinfo *a, const struct addrinfo *b) {
    return a->ai_addrlen == b->ai_addrlen && memcmp(a->ai_addr, b->ai_addr, a->ai_addrlen) == 0;
}

/* "*" or "" means every interface, IPv4 and IPv6; a host name listens on
 * each address it resolves to. */
bool pgwire_server_listen_tcp(PgServer *s, const char *addr, int port, Error *err) {
    const char *node = (!addr || !addr[0] || strcmp(addr, "*") == 0) ? NULL : addr;
    char service[16];
    snprintf(service, sizeof service, "%d", port);
    struct addrinfo hints = {
        .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
    struct addrinfo *res = NULL;
    int rc = getaddrinfo(node, service, &hints, &res);
    if (rc != 0)
        return error_set(err, SQLSTATE_CONNECTION_EXCEPTION,
                         "could not translate host name \"%s\", service \"%s\" to address: %s", node ? node : "*",
                         service, gai_strerror(rc));
    int listening = 0;
    err->set = false;
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        bool dup = false;
        for (struct addrinfo *p = res; p != ai && !dup; p = p->ai_next) dup = same_addr(p, ai);
        if (dup || (ai->ai_family != AF_INET && ai->ai_family != AF_INET6)) continue;
        int r = listen_one_tcp(s, ai->ai_addr, port, err);
        if (r < 0) {
            freeaddrinfo(res);
            return false;
        }
        listening += r;
    }
    freeaddrinfo(res);
    if (listening == 0 && err->set) return false; /* the last address's error */
    if (listening == 0)
        return error_set(err, SQLSTATE_CONNECTION_EXCEPTION, "could not create any TCP/IP sockets for \"%s\"",
                         node ? node : "*");
    return true;
}

/* Is a server accepting connections on this socket file? */
static bool socket_is_live(const char *path) {
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0) return false;
    struct sockaddr_un sun = {.sun_family = AF_UNIX};
    memcpy(sun.sun_path, path, strlen(path) + 1);
    bool live = connect(fd, (struct sockaddr *)&sun, sizeof sun) == 0;
    close(fd);
    return live;
}

static bool unix_fail(Error *err, const char *what, const char *path, int errnum) {
    error_set(err, SQLSTATE_CONNECTION_EXCEPTION, "could not %s Unix address \"%s\": %s", what, path, strerror(errnum));
    if (errnum == EADDRINUSE)
        error_hint(err,
                   "Is another server already running on this socket? If not, remove socket file \"%s\" and retry.",
                   path);
    return false;
}

/* A socket file left by a crashed server is removed; a live one (someone
 * accepts on it) is an error; anything not a socket is left alone and
 * makes the bind fail. */
bool pgwire_server_listen_unix(PgServer *s, const char *path, Error *err) {
    struct sockaddr_un sun;
    if (strlen(path) >= sizeof sun.sun_path)
        return error_set(err, SQLSTATE_CONNECTION_EXCEPTION,
                         "Unix-domain socket path \"%s\" is too long (maximum %d bytes)", path,
                         (int)sizeof sun.sun_path - 1);
    struct stat st;
    if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode)) {
        if (socket_is_live(path)) return unix_fail(err, "bind", path, EADDRINUSE);
        unlink(path);
    }
    Listener *l = listener_new(s);
    if (uv_pipe_init(s->loop, &l->h.pipe, 0) != 0) {
        free(l);
        return error_set(err, SQLSTATE_INTERNAL_ERROR, "could not create Unix-domain socket");
    }
    listener_add(s, l);
    int rc = uv_pipe_bind(&l->h.pipe, path);
    const char *what = "bind";
    if (rc == 0) {
        /* Owned by the listener from here: destroy unlinks it. */
        l->unix_path = strdup(path);
        if (!l->unix_path) abort();
        rc = uv_listen(&l->h.stream, 128, on_connection);
        what = "listen on";
    }
    if (rc != 0) {
        listener_drop(s, l);
        return unix_fail(err, rc == UV_EADDRINUSE ? "bind" : what, path, -rc);
    }
    /* Anyone may connect, as with PostgreSQL's default unix_socket_permissions;
     * authentication decides who gets in. */
    chmod(path, 0777);
    return true;
}

/* ---- the server ---------------------------------------------------------- */

PgServer *pgwire_server_create(void *loop, const PgwireCallbacks *cb, void *engine) {
    PgServer *s = calloc(1, sizeof *s);
    if (!s) abort();
    s->loop = loop;
    s->cb = cb;
    s->engine = engine;
    s->next_pid = 1;
    return s;
}

void pgwire_server_destroy(PgServer *s) {
    if (!s) return;
    s->destroyed = true;
    for (Listener *l = s->listeners; l; l = l->next) {
        if (l->unix_path) unlink(l->unix_path);
        uv_close(&l->h.handle, on_listener_closed);
    }
    s->listeners = NULL;
    if (s->auth_timer) uv_close((uv_handle_t *)s->auth_timer, free_timer);
    s->auth_timer = NULL;
    for (SrvConn *sc = s->conns; sc; sc = sc->next) close_now(sc);
    if (s->handles == 0) server_free(s);
}
