/*
 * conn.c — one client session's state machine: framing of the input bytes,
 * the startup handshake, and the dispatch of each frontend message to the
 * engine's callbacks, with PostgreSQL's rules for errors (ErrorResponse, skip
 * to Sync in the extended protocol, FATAL closes) and for ReadyForQuery.
 *
 * It does not touch sockets (server.c feeds it bytes and gives it a
 * PgTransport), does not encode backend messages (codec.c), and knows
 * nothing of SQL: a Query string or a Bind value is passed through as bytes.
 *
 * INTERFACE
 *   pgwire_conn_create, pgwire_conn_feed, pgwire_conn_destroy,
 *   pgwire_conn_is_closed, pgwire_conn_session, pgwire_startup_get,
 *   pgwire_conn_suspend, pgwire_conn_resume, pgwire_conn_fail_suspended,
 *   pgwire_output_mark, pgwire_output_rewind, pgwire_output_release,
 *   pgwire_output_pending, pgwire_conn_want_writable, pgwire_conn_drained
 *
 * THE SESSION STATE MACHINE (PgConnState in pgwire_int.h)
 *
 *   pgwire_conn_create
 *          |
 *          v          SSLRequest / GSSENCRequest: answer 'N', stay
 *     +---------+     (answer_encryption)
 *     | STARTUP |<--+
 *     +---------+---+      CancelRequest (on_cancel_request),
 *          |               bad length / layout / version / no user
 *          |               (frame_size, run_startup, startup_fail) ---------+
 *          | run_startup: AuthenticationOk                                  |
 *          v                                                                |
 *     [  AUTH  ]  trust: nothing is asked yet (password/SCRAM go here)      |
 *          | cb->session_open; NULL -> FATAL (open_session) ----------------+
 *          | BackendKeyData, ReadyForQuery                                  |
 *          v                                                                |
 *     +---------+  begin_call: Q P B D E C S F   +---------+                |
 *     |  IDLE   |------------------------------->|  BUSY   | (in query)     |
 *     |         |<-------------------------------|         |                |
 *     +---------+  end_call: ok, or Q/S failed   +---------+                |
 *        ^   |     (ErrorResponse; Q and S then        | end_call: P B D E C|
 *        |   |      send ReadyForQuery)                | failed             |
 *        |   | H: flush (run_flush)                    v                    |
 *        |   +---------                          +---------+                |
 *        |                                       |  SKIP   | ignore all     |
 *        +---------------------------------------|         | but Sync and   |
 *            Sync: cb->sync, ReadyForQuery       +---------+ Terminate      |
 *            (run_sync)                                                     |
 *                                                                           v
 *     any state --- Terminate (run_terminate), unknown type or bad    +--------+
 *                   length (frame_size), malformed body (malformed),  | CLOSED |
 *                   FATAL error (pgwire_send_error), write failure -->+--------+
 *                   (pgwire_flush)
 *
 *   SUSPENDED is not a state but a flag over IDLE/SKIP: set by a callback
 *   (pgwire_conn_suspend), it holds that message's ReadyForQuery (ready) and
 *   stops dispatch (dispatch_all, complete_carry); input is buffered in
 *   c->in until pgwire_conn_resume sends the held ReadyForQuery and drains it.
 *
 *   COPY IN is a flag over IDLE too: set by a Query or Execute callback
 *   (pgwire_copy_in_begin), it routes CopyData to cb->copy_data until
 *   CopyDone (cb->copy_done) or CopyFail (cb->copy_abort, error 57014);
 *   Flush and Sync are ignored meanwhile, any other message fails the COPY
 *   (08P01) and is then handled normally. The Query's ReadyForQuery waits
 *   for the end (run_copy). Outside COPY, CopyData/CopyDone/CopyFail are
 *   ignored as PostgreSQL does (a driver may send a stray CopyFail after a
 *   failed COPY).
 *
 * INVARIANTS (tests cite them as pgwire-conn-N)
 *   1. A message is dispatched only once all of it has arrived, in arrival
 *      order; strings and values handed to a callback point into it and are
 *      valid only until the callback returns.
 *   2. In SKIP only Sync and Terminate are acted on; every message is still
 *      framed and type-checked, so a framing error still closes.
 *   3. Once CLOSED no callback runs and nothing more is written; the
 *      transport's close is called exactly once.
 *   4. session_close runs (in pgwire_conn_destroy) iff session_open returned
 *      a session.
 *   5. Output reaches the transport in one write per batch: at the end of a
 *      feed or resume that produced ReadyForQuery, Flush or an extended error,
 *      at pgwire_flush, at PGWIRE_OUT_SOFT_LIMIT, or before a FATAL close.
 *   6. Outside a suspension c->in holds at most one incomplete message.
 */
#include "pgwire/pgwire_int.h"

#include <stdio.h>
#include <stdlib.h>

/* ---- small helpers ------------------------------------------------------- */

/* A grow-only buffer for decoded arrays; realloc keeps its contents, which
 * Bind relies on when it grows the buffer twice. */
static void *scratch(PgConn *c, size_t n) {
    if (n > c->scratch_cap) {
        size_t cap = c->scratch_cap ? c->scratch_cap * 2 : 256;
        while (cap < n) cap *= 2;
        char *p = realloc(c->scratch, cap);
        if (!p) abort();
        c->scratch = p;
        c->scratch_cap = cap;
    }
    return c->scratch;
}

static bool is_open(const PgConn *c) { return c->state != PGW_CLOSED; }

/* Closes without a message (Terminate, CancelRequest): whatever is buffered
 * is still written first. */
static void close_quietly(PgConn *c) {
    pgwire_flush(c);
    if (!is_open(c)) return;
    c->state = PGW_CLOSED;
    c->tr.close(c->tr.ctx);
}

static void protocol_fatal(PgConn *c, const char *sqlstate, const char *fmt, ...) PRINTF_LIKE(3, 4);
static void protocol_fatal(PgConn *c, const char *sqlstate, const char *fmt, ...) {
    Error e;
    va_list ap;
    va_start(ap, fmt);
    error_setv(&e, sqlstate, fmt, ap);
    va_end(ap);
    e.severity = SEV_FATAL;
    pgwire_send_error(c, &e);
}

/* A body that does not match its length or layout: PostgreSQL's wording
 * from the reader, but FATAL, since strand ends such a connection. */
static void malformed(PgConn *c, const PgReader *r) { protocol_fatal(c, SQLSTATE_PROTOCOL_VIOLATION, "%s", r->bad); }

/* ---- calling the engine -------------------------------------------------- */

static Error *begin_call(PgConn *c, bool extended) {
    c->state = PGW_BUSY;
    c->in_extended = extended;
    c->err.set = false;
    return &c->err;
}

/* Sends the error a callback (or pgwire itself) left in c->err. */
static void report_failure(PgConn *c) {
    if (!c->err.set)
        error_set(&c->err, SQLSTATE_INTERNAL_ERROR, "internal error: request failed without an error message");
    pgwire_send_error(c, &c->err);
}

/* After a callback: back to IDLE, or on failure send the error and, in the
 * extended protocol, skip to Sync. The error is flushed at the end of the
 * feed even without Sync, as PostgreSQL does, so that a client waiting
 * after Flush sees it (Flush itself is skipped in SKIP). */
static void end_call(PgConn *c, bool ok) {
    if (!is_open(c)) return; /* the callback sent a FATAL, or a write failed */
    c->state = PGW_IDLE;
    if (ok) return;
    report_failure(c);
    if (!is_open(c) || !c->in_extended) return;
    c->state = PGW_SKIP;
    c->want_flush = true;
}

/* An extended-protocol message refused by pgwire itself (not malformed, but
 * invalid, e.g. a bad Describe kind): an ERROR, as in PostgreSQL. */
static void fail_extended(PgConn *c, const char *sqlstate, const char *fmt, ...) PRINTF_LIKE(3, 4);
static void fail_extended(PgConn *c, const char *sqlstate, const char *fmt, ...) {
    Error *e = begin_call(c, true);
    va_list ap;
    va_start(ap, fmt);
    error_setv(e, sqlstate, fmt, ap);
    va_end(ap);
    end_call(c, false);
}

static char txn_status(PgConn *c) { return c->cb->txn_status && c->session ? c->cb->txn_status(c->session) : 'I'; }

/* ReadyForQuery after Query, Sync or FunctionCall; held until
 * pgwire_conn_resume if the callback suspended the connection. */
static void ready(PgConn *c) {
    if (!is_open(c)) return;
    if (c->suspended || c->copy_in) {
        c->pending_ready = true;
        return;
    }
    pgwire__send_ready(c, txn_status(c));
}

/* ---- the startup packet --------------------------------------------------
 *
 * No type byte; it is the first thing a client sends:
 *     Int32 length     itself included; 8 .. 10000
 *     Int32 code       196608 (3.0), or one of the special requests below
 *   for a protocol 3.x startup:
 *     String name, String value   repeated ("user", "database", "options",
 *                                 "application_name", "_pq_.*" ...)
 *     Byte1 0                     terminator; must be the last byte
 *   CancelRequest:    Int32 16, Int32 80877102, Int32 process id, Int32 secret
 *   SSLRequest:       Int32 8,  Int32 80877103   -> answered by the byte 'N'
 *   GSSENCRequest:    Int32 8,  Int32 80877104   -> answered by the byte 'N'
 * After 'N' the client sends its real startup packet on the same socket.
 */

/* CancelRequest: the transport finds the target by its key; the
 * connection that carried the request is closed without a reply either
 * way, as PostgreSQL does (a wrong key is not told apart). */
static void on_cancel_request(PgConn *c, const char *p, size_t n) {
    if (n == 8 && c->tr.cancel) c->tr.cancel(c->tr.ctx, (int32_t)pgwire__be32(p), (int32_t)pgwire__be32(p + 4));
    close_quietly(c);
}

bool pgwire_conn_cancel(PgConn *c, int32_t secret) {
    if (secret != c->secret || !c->session || !is_open(c)) return false;
    if (c->cb->cancel) c->cb->cancel(c->session);
    return true;
}

static void answer_encryption(PgConn *c, bool *answered) {
    *answered = true;
    pgwire__send_raw_byte(c, 'N');
    c->want_flush = true;
}

/* SSLRequest: 'S' in the clear, then TLS from the next byte on; a client
 * must wait for the answer, so anything after the request in the same
 * feed is refused (PostgreSQL's CVE-2021-23214 rule). */
static void answer_ssl(PgConn *c) {
    if (!c->tr.start_tls) {
        answer_encryption(c, &c->ssl_answered);
        return;
    }
    c->ssl_answered = true;
    pgwire__send_raw_byte(c, 'S');
    pgwire_flush(c);
    c->tls_switch = c->tls = true;
    c->tr.start_tls(c->tr.ctx);
}

static void unsupported_protocol(PgConn *c, uint32_t proto) {
    char msg[128];
    snprintf(msg, sizeof msg, "unsupported frontend protocol %u.%u: server supports 3.0 to 3.0", proto >> 16,
             proto & 0xffffu);
    if ((proto >> 16) >= 3) {
        protocol_fatal(c, SQLSTATE_FEATURE_NOT_SUPPORTED, "%s", msg);
        return;
    }
    /* A client asking for 2.0 or older cannot read a v3 ErrorResponse. */
    pgwire__send_error_v2(c, msg);
    close_quietly(c);
}

/* Walks the name/value pairs as PostgreSQL does; returns the number of
 * pairs, or -1 if the terminator is not exactly the last byte. */
static int count_params(const char *p, size_t n) {
    size_t off = 0;
    int count = 0;
    while (off < n && p[off]) {
        const char *nend = memchr(p + off, '\0', n - off);
        if (!nend) return -1;
        size_t voff = (size_t)(nend - p) + 1;
        if (voff >= n) return -1; /* a name without a value */
        const char *vend = memchr(p + voff, '\0', n - voff);
        if (!vend) return -1;
        off = (size_t)(vend - p) + 1;
        count++;
    }
    return n > 0 && off == n - 1 ? count : -1;
}

/* Fills st with the pairs and collects "_pq_." protocol options apart; adds
 * "database" = user when it is missing or empty, as PostgreSQL does. */
static void fill_params(PgConn *c, const char *p, int count, PgStartup *st, const char ***pq, int *npq) {
    const char **arr = scratch(c, 3 * ((size_t)count + 1) * sizeof(char *));
    st->names = arr;
    st->values = arr + count + 1;
    *pq = arr + 2 * ((size_t)count + 1);
    st->n = *npq = 0;
    for (int i = 0; i < count; i++) {
        const char *name = p;
        const char *value = name + strlen(name) + 1;
        p = value + strlen(value) + 1;
        if (strncmp(name, "_pq_.", 5) == 0) {
            (*pq)[(*npq)++] = name;
            continue;
        }
        st->names[st->n] = name;
        st->values[st->n++] = value;
    }
}

static void default_database(PgStartup *st, const char *user) {
    for (int i = 0; i < st->n; i++) {
        if (strcmp(st->names[i], "database") != 0) continue;
        if (!st->values[i][0]) st->values[i] = user;
        return;
    }
    st->names[st->n] = "database";
    st->values[st->n++] = user;
}

static void open_session(PgConn *c, const PgStartup *st) {
    Error *e = begin_call(c, false);
    void *session = c->cb->session_open(c->engine, c, st, e);
    c->session = session;
    if (!is_open(c)) return; /* it sent a FATAL itself */
    if (!session) {
        if (!e->set) error_set(e, SQLSTATE_INTERNAL_ERROR, "could not open a session");
        e->severity = SEV_FATAL;
        pgwire_send_error(c, e);
        return;
    }
    pgwire__send_backend_key(c);
    c->state = PGW_IDLE;
    pgwire__send_ready(c, txn_status(c));
}

/* ---- authentication ------------------------------------------------------
 * Before the session opens, the engine says how the client must prove who
 * it is (cb->authenticate). Trust: AuthenticationOk at once. Otherwise:
 *   password  AuthenticationCleartextPassword (3); the client answers with
 *             PasswordMessage 'p': String password
 *   SCRAM     AuthenticationSASL (10) "SCRAM-SHA-256"; the client answers
 *             SASLInitialResponse 'p': String mechanism, Int32 length (-1:
 *             none), the client-first-message; AuthenticationSASLContinue
 *             (11) with server-first; SASLResponse 'p': client-final;
 *             AuthenticationSASLFinal (12) with server-final (scram.c)
 * then AuthenticationOk and the session. A wrong password is FATAL 28P01;
 * anything but 'p' meanwhile is FATAL 08P01.
 */

static void auth_failed(PgConn *c) {
    protocol_fatal(c, SQLSTATE_INVALID_PASSWORD, "password authentication failed for user \"%s\"", c->auth_user);
}

/* The startup packet's pairs into st (and "_pq_." options into pq); false
 * if the terminator is not exactly the last byte. Adds "database" = user
 * when it is missing, as PostgreSQL does. */
static bool parse_startup(PgConn *c, const char *pairs, size_t n, PgStartup *st, const char ***pq, int *npq) {
    int count = count_params(pairs, n);
    if (count < 0) return false;
    fill_params(c, pairs, count, st, pq, npq);
    const char *user = pgwire_startup_get(st, "user");
    if (user && user[0]) default_database(st, user);
    return true;
}

static void authenticated(PgConn *c) {
    PgStartup st;
    const char **pq;
    int npq;
    pgwire__scram_free(c->scram);
    c->scram = NULL;
    pgwire__send_auth_ok(c);
    parse_startup(c, c->startup_copy, c->startup_len, &st, &pq, &npq);
    open_session(c, &st);
    free(c->startup_copy);
    c->startup_copy = NULL;
}

/* Asks for the password or starts SASL; the startup packet is kept. */
static void ask_password(PgConn *c, const char *pairs, size_t n, const char *user) {
    c->startup_copy = malloc(n ? n : 1);
    if (!c->startup_copy) abort();
    memcpy(c->startup_copy, pairs, n);
    c->startup_len = n;
    snprintf(c->auth_user, sizeof c->auth_user, "%s", user);
    c->state = PGW_AUTH;
    c->want_flush = true;
    if (c->auth.method == PGAUTH_PASSWORD) {
        pgwire__send_auth(c, 3, NULL, 0);
        return;
    }
    static const char MECHANISMS[] = "SCRAM-SHA-256\0"; /* and the list's closing NUL */
    pgwire__send_auth(c, 10, MECHANISMS, sizeof MECHANISMS);
}

static void run_password(PgConn *c, PgReader *r) {
    const char *password = pgwire__get_str(r);
    if (!pgwire__get_end(r)) {
        malformed(c, r);
        return;
    }
    if (password[0] && c->auth.has_verifier && pgwire_password_matches(c->auth.verifier, password))
        authenticated(c);
    else
        auth_failed(c);
}

static void run_sasl(PgConn *c, PgReader *r) {
    char out[512];
    bool ok = false;
    const char *bad;
    if (c->sasl_step == 0) {
        const char *mech = pgwire__get_str(r);
        int32_t len = pgwire__get_int32(r);
        const char *data = pgwire__get_bytes(r, len < 0 ? 0 : len);
        if (!pgwire__get_end(r)) {
            malformed(c, r);
            return;
        }
        if (strcmp(mech, "SCRAM-SHA-256") != 0) {
            protocol_fatal(c, SQLSTATE_PROTOCOL_VIOLATION, "client selected an invalid SASL authentication mechanism");
            return;
        }
        c->scram = pgwire__scram_begin(c->auth.has_verifier ? c->auth.verifier : NULL);
        if ((bad = pgwire__scram_first(c->scram, data ? data : "", len < 0 ? 0 : (size_t)len, out, sizeof out))) {
            protocol_fatal(c, SQLSTATE_PROTOCOL_VIOLATION, "%s", bad);
            return;
        }
        c->sasl_step = 1;
        pgwire__send_auth(c, 11, out, strlen(out));
        c->want_flush = true;
        return;
    }
    size_t len = (size_t)(r->end - r->p);
    if ((bad = pgwire__scram_final(c->scram, r->p, len, &ok, out, sizeof out))) {
        protocol_fatal(c, SQLSTATE_PROTOCOL_VIOLATION, "%s", bad);
        return;
    }
    if (!ok) {
        auth_failed(c);
        return;
    }
    pgwire__send_auth(c, 12, out, strlen(out));
    authenticated(c);
}

/* PasswordMessage / SASLInitialResponse / SASLResponse ('p'). */
static void run_auth(PgConn *c, char type, PgReader *r) {
    if (type != 'p') {
        protocol_fatal(c, SQLSTATE_PROTOCOL_VIOLATION, "expected %s response, got message type %d",
                       c->auth.method == PGAUTH_SCRAM ? "SASL" : "password", (unsigned char)type);
        return;
    }
    if (c->auth.method == PGAUTH_PASSWORD)
        run_password(c, r);
    else
        run_sasl(c, r);
}

/* body = the packet after its length word: code, then the pairs. */
static void run_startup(PgConn *c, const char *body, size_t n) {
    uint32_t proto = pgwire__be32(body);
    if (proto == PGWIRE_CANCEL_REQUEST) {
        on_cancel_request(c, body + 4, n - 4);
        return;
    }
    if (proto == PGWIRE_SSL_REQUEST && !c->ssl_answered) {
        answer_ssl(c);
        return;
    }
    if (proto == PGWIRE_GSSENC_REQUEST && !c->gss_answered) {
        answer_encryption(c, &c->gss_answered);
        return;
    }
    if ((proto >> 16) != 3) {
        unsupported_protocol(c, proto);
        return;
    }
    PgStartup st;
    const char **pq;
    int npq;
    if (!parse_startup(c, body + 4, n - 4, &st, &pq, &npq)) {
        protocol_fatal(c, SQLSTATE_PROTOCOL_VIOLATION,
                       "invalid startup packet layout: expected terminator as last byte");
        return;
    }
    const char *user = pgwire_startup_get(&st, "user");
    if (!user || !user[0]) {
        protocol_fatal(c, SQLSTATE_INVALID_AUTHORIZATION_SPECIFICATION,
                       "no PostgreSQL user name specified in startup packet");
        return;
    }
    /* 3.x with x > 0, or options we do not know: say what we speak. */
    if ((proto & 0xffffu) != 0 || npq > 0) pgwire__send_negotiate(c, npq, pq);
    c->peer.tls = c->tls;
    c->auth = (PgAuth){.method = PGAUTH_TRUST};
    Error *e = begin_call(c, false);
    if (c->cb->authenticate && !c->cb->authenticate(c->engine, &st, &c->peer, &c->auth, e)) {
        e->severity = SEV_FATAL;
        pgwire_send_error(c, e);
        return;
    }
    c->state = PGW_STARTUP;
    if (c->auth.method != PGAUTH_TRUST) {
        ask_password(c, body + 4, n - 4, user);
        return;
    }
    pgwire__send_auth_ok(c);
    open_session(c, &st);
}

const char *pgwire_startup_get(const PgStartup *s, const char *name) {
    for (int i = 0; i < s->n; i++)
        if (strcmp(s->names[i], name) == 0) return s->values[i];
    return NULL;
}

/* ---- frontend messages ---------------------------------------------------
 * Frame, after the startup packet:
 *     Byte1 type, Int32 length (itself included, >= 4), body of length-4.
 * Each run_* below documents its body.
 */

/* Query 'Q': String sql (possibly several statements). Always answered by
 * ReadyForQuery, after an ErrorResponse if it failed. */
static void run_query(PgConn *c, PgReader *r) {
    const char *sql = pgwire__get_str(r);
    size_t len = r->bad ? 0 : (size_t)(r->p - sql) - 1;
    if (!pgwire__get_end(r)) {
        malformed(c, r);
        return;
    }
    Error *e = begin_call(c, false);
    end_call(c, c->cb->query(c->session, sql, len, e));
    ready(c);
}

/* Parse 'P': String statement name, String sql, Int16 parameter count n,
 * Int32 type OID x n (0 = unspecified). */
static void run_parse(PgConn *c, PgReader *r) {
    const char *name = pgwire__get_str(r);
    const char *sql = pgwire__get_str(r);
    int n = (uint16_t)pgwire__get_int16(r);
    if (!pgwire__need(r, (size_t)n * 4)) {
        malformed(c, r);
        return;
    }
    uint32_t *types = scratch(c, (size_t)n * sizeof(uint32_t) + 1);
    for (int i = 0; i < n; i++) types[i] = (uint32_t)pgwire__get_int32(r);
    if (!pgwire__get_end(r)) {
        malformed(c, r);
        return;
    }
    Error *e = begin_call(c, true);
    end_call(c, c->cb->parse(c->session, name, sql, n, types, e));
}

/* Expands Bind's parameter format codes to one per parameter. */
static bool expand_formats(int nf, const char *raw, int np, int16_t *out) {
    if (nf != 0 && nf != 1 && nf != np) return false;
    for (int i = 0; i < np; i++) {
        const char *f = nf == 0 ? NULL : raw + 2 * (nf == 1 ? 0 : i);
        out[i] = f ? (int16_t)(((unsigned char)f[0] << 8) | (unsigned char)f[1]) : 0;
    }
    return true;
}

/*
 * Bind 'B': String portal, String statement,
 *   Int16 format count nf, Int16 format x nf (0 text, 1 binary; nf = 0: all
 *         text, nf = 1: one for all parameters),
 *   Int16 parameter count np, then per parameter Int32 length (-1 = NULL)
 *         and that many bytes,
 *   Int16 result format count nr, Int16 format x nr.
 * Decoded into scratch as PgValue[np], int16 formats[np], int16 results[nr].
 */
static void run_bind(PgConn *c, PgReader *r) {
    PgBind b;
    b.portal = pgwire__get_str(r);
    b.statement = pgwire__get_str(r);
    int nf = (uint16_t)pgwire__get_int16(r);
    const char *fraw = pgwire__get_bytes(r, nf * 2);
    int np = (uint16_t)pgwire__get_int16(r);
    if (!pgwire__need(r, (size_t)np * 4)) {
        malformed(c, r);
        return;
    }
    size_t vsize = (size_t)np * sizeof(PgValue);
    PgValue *v = scratch(c, vsize);
    for (int i = 0; i < np; i++) {
        v[i].len = pgwire__get_int32(r);
        v[i].data = v[i].len == -1 ? NULL : pgwire__get_bytes(r, v[i].len);
    }
    int nr = (uint16_t)pgwire__get_int16(r);
    const char *rraw = pgwire__get_bytes(r, nr * 2);
    if (!pgwire__get_end(r)) {
        malformed(c, r);
        return;
    }

    char *base = scratch(c, vsize + ((size_t)np + (size_t)nr) * 2 + 1);
    int16_t *pf = (int16_t *)(base + vsize);
    int16_t *rf = pf + np;
    if (!expand_formats(nf, fraw, np, pf)) {
        fail_extended(c, SQLSTATE_PROTOCOL_VIOLATION, "bind message has %d parameter formats but %d parameters", nf,
                      np);
        return;
    }
    expand_formats(nr, rraw, nr, rf);
    b.nparams = np;
    b.params = (const PgValue *)base;
    b.param_formats = pf;
    b.nresult_formats = nr;
    b.result_formats = rf;
    Error *e = begin_call(c, true);
    end_call(c, c->cb->bind(c->session, &b, e));
}

/* Describe 'D' / Close 'C': Byte1 kind ('S' statement, 'P' portal),
 * String name. */
static void run_describe_or_close(PgConn *c, PgReader *r, bool is_close) {
    char kind = pgwire__get_byte(r);
    const char *name = pgwire__get_str(r);
    if (!pgwire__get_end(r)) {
        malformed(c, r);
        return;
    }
    if (kind != 'S' && kind != 'P') {
        fail_extended(c, SQLSTATE_PROTOCOL_VIOLATION, "invalid %s message subtype %d", is_close ? "CLOSE" : "DESCRIBE",
                      (unsigned char)kind);
        return;
    }
    Error *e = begin_call(c, true);
    bool ok = is_close ? c->cb->close(c->session, kind, name, e) : c->cb->describe(c->session, kind, name, e);
    end_call(c, ok);
}

/* Execute 'E': String portal, Int32 max rows (0 or negative = all). */
static void run_execute(PgConn *c, PgReader *r) {
    const char *portal = pgwire__get_str(r);
    int32_t max_rows = pgwire__get_int32(r);
    if (!pgwire__get_end(r)) {
        malformed(c, r);
        return;
    }
    Error *e = begin_call(c, true);
    end_call(c, c->cb->execute(c->session, portal, max_rows > 0 ? max_rows : 0, e));
}

/* Sync 'S': empty body. Ends SKIP; ReadyForQuery follows, after the
 * error of cb->sync if it failed. */
static void run_sync(PgConn *c, PgReader *r) {
    if (!pgwire__get_end(r)) {
        malformed(c, r);
        return;
    }
    Error *e = begin_call(c, false);
    end_call(c, c->cb->sync ? c->cb->sync(c->session, e) : true);
    ready(c);
}

/* Flush 'H': empty body. */
static void run_flush(PgConn *c, PgReader *r) {
    if (!pgwire__get_end(r)) {
        malformed(c, r);
        return;
    }
    c->want_flush = true;
}

/* FunctionCall 'F' (fast-path): not supported; answered like a failed
 * simple query, so the client gets ReadyForQuery and goes on. */
static void run_function_call(PgConn *c) {
    Error *e = begin_call(c, false);
    error_set(e, SQLSTATE_FEATURE_NOT_SUPPORTED, "fastpath function calls are not supported");
    end_call(c, false);
    ready(c);
}

/* ---- COPY FROM STDIN ------------------------------------------------------- */

void pgwire_copy_in_begin(PgConn *c, bool binary, int ncols) {
    pgwire__send_copy_in_response(c, binary, ncols);
    c->copy_in = true;
    c->copy_extended = c->in_extended;
    c->want_flush = true;
}

/* Leaves copy-in mode with the outcome: an error skips to Sync after an
 * Execute; after a Query the held ReadyForQuery goes out (or stays held
 * if the engine suspended the connection). */
static void end_copy(PgConn *c, bool ok) {
    c->copy_in = false;
    end_call(c, ok);
    if (c->copy_extended) return;
    c->pending_ready = false;
    ready(c);
}

static void abort_copy(PgConn *c, const char *sqlstate, const char *fmt, ...) PRINTF_LIKE(3, 4);
static void abort_copy(PgConn *c, const char *sqlstate, const char *fmt, ...) {
    Error *e = begin_call(c, c->copy_extended);
    va_list ap;
    va_start(ap, fmt);
    error_setv(e, sqlstate, fmt, ap);
    va_end(ap);
    if (c->cb->copy_abort) c->cb->copy_abort(c->session);
    end_copy(c, false);
}

/* One message in copy-in mode. CopyData 'd': the bytes; CopyDone 'c':
 * empty; CopyFail 'f': String message. */
static void run_copy(PgConn *c, char type, PgReader *r) {
    if (type == 'H' || type == 'S') return; /* ignored during COPY IN */
    if (type == 'd') {
        Error *e = begin_call(c, c->copy_extended);
        if (!c->cb->copy_data(c->session, r->p, (size_t)(r->end - r->p), e)) {
            if (c->cb->copy_abort) c->cb->copy_abort(c->session);
            end_copy(c, false);
            return;
        }
        c->state = PGW_IDLE;
        return;
    }
    if (type == 'c') {
        Error *e = begin_call(c, c->copy_extended);
        end_copy(c, c->cb->copy_done(c->session, e));
        return;
    }
    if (type == 'f') {
        const char *msg = pgwire__get_str(r);
        abort_copy(c, SQLSTATE_QUERY_CANCELED, "COPY from stdin failed: %s", msg);
        return;
    }
    abort_copy(c, SQLSTATE_PROTOCOL_VIOLATION, "unexpected message type 0x%02X during COPY from stdin",
               (unsigned char)type);
}

/* ---- framing and dispatch ------------------------------------------------ */

/* The largest body length a message type may announce (PostgreSQL's
 * SocketBackend limits), or 0 for a type that is not a frontend message. */
static uint32_t max_length(const PgConn *c, char type) {
    switch (type) {
    case 'Q':
    case 'P':
    case 'B':
    case 'F':
    case 'd': return c->max_message;
    case 'D':
    case 'E':
    case 'C':
    case 'S':
    case 'H':
    case 'X':
    case 'c':
    case 'f':
    case 'p': return PGWIRE_SMALL_MSG_LIMIT;
    default: return 0;
    }
}

static size_t header_len(const PgConn *c) { return c->state == PGW_STARTUP ? 4 : 5; }

/* The full size of the message starting at p (header included), 0 if its
 * header has not fully arrived, or -1 after a FATAL for a bad header. The
 * type is checked as soon as its byte is there, as PostgreSQL does. */
static int64_t frame_size(PgConn *c, const char *p, size_t n) {
    if (c->state == PGW_STARTUP) {
        if (n < 4) return 0;
        uint32_t len = pgwire__be32(p);
        if (len >= 8 && len <= PGWIRE_MAX_STARTUP_LEN) return len;
        protocol_fatal(c, SQLSTATE_PROTOCOL_VIOLATION, "invalid length of startup packet");
        return -1;
    }
    if (n < 1) return 0;
    uint32_t limit = max_length(c, p[0]);
    if (!limit) {
        protocol_fatal(c, SQLSTATE_PROTOCOL_VIOLATION, "invalid frontend message type %d", (unsigned char)p[0]);
        return -1;
    }
    if (n < 5) return 0;
    uint32_t len = pgwire__be32(p + 1);
    if (len >= 4 && len <= limit) return (int64_t)len + 1;
    protocol_fatal(c, SQLSTATE_PROTOCOL_VIOLATION, "invalid message length");
    return -1;
}

/* One complete message (invariant 1). The long switch is the accepted
 * exception to short functions: one line per message type. */
static void dispatch(PgConn *c, const char *p, size_t size) {
    if (c->state == PGW_STARTUP) {
        run_startup(c, p + 4, size - 4);
        return;
    }
    char type = p[0];
    if (c->state == PGW_SKIP && type != 'S' && type != 'X') return; /* invariant 2 */
    PgReader r;
    pgwire__reader_init(&r, p + 5, size - 5);
    if (c->state == PGW_AUTH) {
        if (type == 'X')
            close_quietly(c);
        else
            run_auth(c, type, &r);
        return;
    }
    if (c->copy_in) {
        bool in_copy = type == 'd' || type == 'c' || type == 'f' || type == 'H' || type == 'S';
        run_copy(c, type, &r);
        if (in_copy || !is_open(c)) return;
    }
    switch (type) {
    case 'Q': run_query(c, &r); break;
    case 'P': run_parse(c, &r); break;
    case 'B': run_bind(c, &r); break;
    case 'D': run_describe_or_close(c, &r, false); break;
    case 'C': run_describe_or_close(c, &r, true); break;
    case 'E': run_execute(c, &r); break;
    case 'S': run_sync(c, &r); break;
    case 'H': run_flush(c, &r); break;
    case 'X': close_quietly(c); break; /* Terminate: empty body */
    case 'F': run_function_call(c); break;
    case 'd':
    case 'c':
    case 'f': break; /* COPY messages outside COPY */
    }
}

/* Dispatches the complete messages in p[0..n); returns the bytes used. */
static size_t dispatch_all(PgConn *c, const char *p, size_t n) {
    size_t off = 0;
    while (off < n && is_open(c) && !c->suspended && !c->tls_switch) {
        int64_t size = frame_size(c, p + off, n - off);
        if (size <= 0 || (size_t)size > n - off) break;
        dispatch(c, p + off, (size_t)size);
        off += (size_t)size;
    }
    return off;
}

/* Completes the message carried over in c->in from earlier feeds, taking
 * no more bytes than it needs, so that what follows it can be dispatched
 * straight from the caller's buffer without a copy. Returns bytes taken. */
static size_t complete_carry(PgConn *c, const char *data, size_t len) {
    size_t used = 0;
    while (c->in.len > 0 && is_open(c) && !c->suspended && !c->tls_switch) {
        int64_t size = frame_size(c, c->in.data, c->in.len);
        if (size < 0) return len;
        if (size > 0 && c->in.len == (size_t)size) {
            dispatch(c, c->in.data, (size_t)size);
            /* Give back the memory of a huge message, keep a small buffer. */
            if (c->in.cap > (1u << 20)) {
                strbuf_deinit(&c->in);
                strbuf_init(&c->in);
            }
            strbuf_reset(&c->in);
            continue;
        }
        if (used == len) break;
        size_t need = (size ? (size_t)size : header_len(c)) - c->in.len;
        size_t take = need < len - used ? need : len - used;
        strbuf_append(&c->in, data + used, take);
        used += take;
    }
    return used;
}

/* ---- the public face ----------------------------------------------------- */

PgConn *pgwire_conn_create(const PgwireCallbacks *cb, void *engine, PgTransport transport, int32_t process_id,
                           int32_t secret) {
    PgConn *c = calloc(1, sizeof *c);
    if (!c) abort();
    c->cb = cb;
    c->engine = engine;
    c->tr = transport;
    c->process_id = process_id;
    c->secret = secret;
    c->state = PGW_STARTUP;
    c->max_message = PGWIRE_LARGE_MSG_LIMIT;
    strbuf_init(&c->in);
    strbuf_init(&c->out);
    return c;
}

/* Outside a suspension c->in holds at most one incomplete message; while
 * suspended it collects everything, and pgwire_conn_resume drains it. */
bool pgwire_conn_feed(PgConn *c, const char *data, size_t len) {
    if (!is_open(c)) return false;
    size_t used = c->suspended ? 0 : complete_carry(c, data, len);
    if (c->in.len == 0 && is_open(c) && !c->suspended && !c->tls_switch)
        used += dispatch_all(c, data + used, len - used);
    if (c->tls_switch) {
        c->tls_switch = false;
        if (used < len || c->in.len > 0) {
            protocol_fatal(c, SQLSTATE_PROTOCOL_VIOLATION, "received unencrypted data after SSL request");
            return false;
        }
    }
    if (is_open(c) && used < len) strbuf_append(&c->in, data + used, len - used);
    if (c->want_flush) pgwire_flush(c);
    return is_open(c);
}

void pgwire_conn_suspend(PgConn *c) { c->suspended = true; }

size_t pgwire_output_pending(PgConn *c) { return c->out.len + (c->tr.queued ? c->tr.queued(c->tr.ctx) : 0); }

void pgwire_conn_want_writable(PgConn *c) { c->want_writable = true; }

void pgwire_conn_drained(PgConn *c) {
    if (!c->want_writable || !is_open(c) || pgwire_output_pending(c) > PGWIRE_OUT_LOW_WATER) return;
    c->want_writable = false;
    if (c->cb->writable && c->session) c->cb->writable(c->session);
}

void pgwire_conn_fail_suspended(PgConn *c, const Error *err) {
    if (!is_open(c)) return;
    c->err = *err;
    report_failure(c);
    if (!is_open(c) || !c->in_extended) return;
    c->state = PGW_SKIP;
    c->want_flush = true;
}

size_t pgwire_output_mark(PgConn *c) {
    c->hold_output = true;
    return c->out.len;
}

void pgwire_output_rewind(PgConn *c, size_t mark) {
    if (mark <= c->out.len) {
        c->out.len = mark;
        c->out.data[mark] = '\0';
    }
}

void pgwire_output_release(PgConn *c) {
    c->hold_output = false;
    if (c->out.len >= PGWIRE_OUT_SOFT_LIMIT) pgwire_flush(c);
}

void pgwire_conn_resume(PgConn *c) {
    if (!c->suspended) return;
    c->suspended = false;
    /* Resumed by the very callback that suspended: nothing was held yet. */
    if (c->state == PGW_BUSY || !is_open(c)) return;
    if (c->pending_ready) {
        c->pending_ready = false;
        pgwire__send_ready(c, txn_status(c));
    }
    size_t done = dispatch_all(c, c->in.data, c->in.len);
    if (is_open(c)) {
        memmove(c->in.data, c->in.data + done, c->in.len - done);
        c->in.len -= done;
        c->in.data[c->in.len] = '\0';
    }
    if (c->want_flush) pgwire_flush(c);
}

/* Does not call the transport's close: the owner of the transport (server.c
 * or a test) is the one destroying, and closes its own end. */
void pgwire_conn_destroy(PgConn *c) {
    if (!c) return;
    if (c->session && c->cb->session_close) c->cb->session_close(c->session); /* invariant 4 */
    strbuf_deinit(&c->in);
    strbuf_deinit(&c->out);
    free(c->scratch);
    free(c->startup_copy);
    pgwire__scram_free(c->scram);
    free(c);
}

bool pgwire_conn_is_closed(const PgConn *c) { return c->state == PGW_CLOSED; }

void *pgwire_conn_session(const PgConn *c) { return c->session; }

int32_t pgwire_conn_process_id(const PgConn *c) { return c->process_id; }

bool pgwire_conn_is_tls(const PgConn *c) { return c->tls; }

void pgwire_conn_set_peer(PgConn *c, bool local, const char *addr) {
    c->peer.local = local;
    snprintf(c->peer.addr, sizeof c->peer.addr, "%s", addr ? addr : "");
}

bool pgwire_conn_authenticating(const PgConn *c) { return c->state == PGW_STARTUP || c->state == PGW_AUTH; }

void pgwire_conn_set_max_message(PgConn *c, uint32_t bytes) {
    c->max_message = bytes < PGWIRE_LARGE_MSG_LIMIT ? bytes : PGWIRE_LARGE_MSG_LIMIT;
}
