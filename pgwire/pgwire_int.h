/*
 * pgwire_int.h — what the files of pgwire/ share and nobody else sees: the
 * PgConn structure, the output-encoding helpers (codec.c), the bounds-checked
 * message reader and the protocol constants. No other folder includes this.
 *
 * INTERFACE (folder-internal)
 *   output:  pgwire__msg_begin, pgwire__msg_end, pgwire__put_*,
 *            pgwire__send_auth_ok, pgwire__send_backend_key,
 *            pgwire__send_ready, pgwire__send_negotiate,
 *            pgwire__send_error_v2, pgwire__send_raw_byte
 *   input:   PgReader with pgwire__get_* (static inline, hot path)
 */
#ifndef STRAND_PGWIRE_INT_H
#define STRAND_PGWIRE_INT_H

#include "pgwire/pgwire.h"

#include <string.h>

/* Protocol codes of the startup packet (PostgreSQL's pqcomm.h). */
#define PGWIRE_PROTO_V3 196608u         /* 3.0 */
#define PGWIRE_CANCEL_REQUEST 80877102u /* 1234.5678 */
#define PGWIRE_SSL_REQUEST 80877103u    /* 1234.5679 */
#define PGWIRE_GSSENC_REQUEST 80877104u /* 1234.5680 */

/* Limits, as PostgreSQL 15 sets them: a startup packet is at most 10000
 * bytes; Query/Parse/Bind/CopyData/FunctionCall may be up to 1 GiB - 1;
 * every other message (Sync, Execute, Describe, ...) at most 10000 bytes. */
#define PGWIRE_MAX_STARTUP_LEN 10000u
#define PGWIRE_LARGE_MSG_LIMIT 0x3fffffffu
#define PGWIRE_SMALL_MSG_LIMIT 10000u

/* Output is written out by itself once this much is buffered at a message
 * boundary, so a huge result does not pile up in memory. */
#define PGWIRE_OUT_SOFT_LIMIT (256u * 1024u)

typedef struct PgScram PgScram;

/*
 * Session states; conn.c holds the diagram and the functions behind the
 * edges. PGW_BUSY is "in query": a callback is running and may send.
 */
typedef enum PgConnState {
    PGW_STARTUP = 0, /* waiting for the startup packet */
    PGW_AUTH,        /* asked for a password or a SASL step, waiting for 'p' */
    PGW_IDLE,        /* authenticated, dispatching messages */
    PGW_BUSY,        /* inside an engine callback */
    PGW_SKIP,        /* extended-protocol error: ignoring all until Sync */
    PGW_CLOSED,      /* nothing more is read or written */
} PgConnState;

struct PgConn {
    const PgwireCallbacks *cb;
    void *engine;
    void *session; /* session_open's result; NULL before */
    PgTransport tr;
    int32_t process_id, secret;
    uint32_t max_message; /* the largest Query, Parse, Bind or CopyData accepted */
    PgConnState state;
    bool ssl_answered;  /* SSLRequest was answered once already */
    bool tls_switch;    /* SSLRequest accepted in this feed: nothing plain may follow */
    bool tls;           /* the session runs over TLS */
    bool gss_answered;  /* GSSENCRequest was refused once already */
    bool want_flush;    /* write the output when this feed ends */
    bool suspended;     /* pgwire_conn_suspend: dispatch nothing more */
    bool pending_ready; /* ReadyForQuery held by the suspension */
    bool in_extended;   /* the message being run is extended-protocol */
    bool hold_output;   /* pgwire_output_mark: no write at the soft limit */
    bool copy_in;       /* pgwire_copy_in_begin: CopyData goes to the engine */
    bool copy_extended; /* ... and the COPY came from Execute, not Query */
    bool want_writable; /* pgwire_conn_want_writable: cb->writable once drained */
    StrBuf in;          /* a message still incomplete from the last feed */
    StrBuf out;         /* replies not yet handed to the transport */
    size_t row_start;   /* offset in `out` of the DataRow being built */
    char *scratch;      /* decoded arrays (Bind, Parse, startup); grows only */
    size_t scratch_cap;
    Error err; /* filled by a failing callback */
    /* Authentication (PGW_AUTH): the method, its state, and the startup
     * packet kept for session_open. */
    PgAuth auth;
    PgScram *scram;
    int sasl_step;      /* 0: SASLInitialResponse expected, 1: SASLResponse */
    char *startup_copy; /* its name/value pairs */
    size_t startup_len;
    char auth_user[64];
    PgPeer peer;
};

/* ---- SCRAM (scram.c) ---------------------------------------------------------- */
PgScram *pgwire__scram_begin(const char *verifier); /* NULL or not one: a mock that always fails */
void pgwire__scram_free(PgScram *s);
const char *pgwire__scram_first(PgScram *s, const char *msg, size_t len, char *out, size_t cap);
const char *pgwire__scram_final(PgScram *s, const char *msg, size_t len, bool *ok, char *out, size_t cap);

/* ---- TLS (tls.c) ------------------------------------------------------------ */
typedef struct ssl_ctx_st SSL_CTX;
typedef struct PgTlsConn PgTlsConn;
SSL_CTX *pgwire__tls_context(const char *cert_file, const char *key_file, Error *err);
void pgwire__tls_context_free(SSL_CTX *ctx);
PgTlsConn *pgwire__tls_start(SSL_CTX *ctx);
void pgwire__tls_free(PgTlsConn *t);
bool pgwire__tls_ready(const PgTlsConn *t);
bool pgwire__tls_received(PgTlsConn *t, const char *data, size_t len, void (*deliver)(void *, const char *, size_t),
                          void *ctx);
bool pgwire__tls_send(PgTlsConn *t, const char *data, size_t len);
void pgwire__tls_shutdown(PgTlsConn *t);
size_t pgwire__tls_pending(const PgTlsConn *t);
size_t pgwire__tls_take(PgTlsConn *t, char *out, size_t cap);

/* ---- output (codec.c) ---------------------------------------------------- */
size_t pgwire__msg_begin(PgConn *c, char type);
void pgwire__msg_end(PgConn *c, size_t start);
void pgwire__put_int16(PgConn *c, int16_t v);
void pgwire__put_int32(PgConn *c, int32_t v);
void pgwire__put_str(PgConn *c, const char *s); /* with its NUL */
void pgwire__put_bytes(PgConn *c, const void *p, size_t n);

void pgwire__send_raw_byte(PgConn *c, char b);
void pgwire__send_auth_ok(PgConn *c);
void pgwire__send_auth(PgConn *c, int32_t code, const void *data, size_t len);
void pgwire__send_backend_key(PgConn *c);
void pgwire__send_ready(PgConn *c, char txn_status);
void pgwire__send_negotiate(PgConn *c, int nopts, const char *const *opts);
void pgwire__send_error_v2(PgConn *c, const char *message);
void pgwire__send_copy_in_response(PgConn *c, bool binary, int ncols);

/* ---- input: a bounds-checked reader over one message body ---------------
 * Every get checks the remaining length first; the first failure records
 * PostgreSQL's message for it (pqformat.c wording) and makes every later get
 * fail too, so a decoder reads all fields and checks `bad` once at the end. */
typedef struct PgReader {
    const char *p, *end;
    const char *bad; /* NULL, or why the message is malformed */
} PgReader;

static inline void pgwire__reader_init(PgReader *r, const char *p, size_t n) {
    r->p = p;
    r->end = p + n;
    r->bad = NULL;
}

static inline bool pgwire__need(PgReader *r, size_t n) {
    if (LIKELY(!r->bad && (size_t)(r->end - r->p) >= n)) return true;
    if (!r->bad) r->bad = "insufficient data left in message";
    return false;
}

/* Big-endian integers read byte by byte: the body has no alignment. */
static inline int16_t pgwire__get_int16(PgReader *r) {
    if (!pgwire__need(r, 2)) return 0;
    const unsigned char *u = (const unsigned char *)r->p;
    r->p += 2;
    return (int16_t)(uint16_t)((u[0] << 8) | u[1]);
}

static inline int32_t pgwire__get_int32(PgReader *r) {
    if (!pgwire__need(r, 4)) return 0;
    const unsigned char *u = (const unsigned char *)r->p;
    r->p += 4;
    return (int32_t)(((uint32_t)u[0] << 24) | ((uint32_t)u[1] << 16) | ((uint32_t)u[2] << 8) | u[3]);
}

static inline char pgwire__get_byte(PgReader *r) {
    if (!pgwire__need(r, 1)) return 0;
    return *r->p++;
}

/* A NUL-terminated string that must end inside the body. The result points
 * into the message (valid as long as the message is). */
static inline const char *pgwire__get_str(PgReader *r) {
    if (r->bad) return "";
    const char *nul = memchr(r->p, '\0', (size_t)(r->end - r->p));
    if (!nul) {
        r->bad = "invalid string in message";
        return "";
    }
    const char *s = r->p;
    r->p = nul + 1;
    return s;
}

static inline const char *pgwire__get_bytes(PgReader *r, int32_t n) {
    if (n < 0) {
        if (!r->bad) r->bad = "insufficient data left in message";
        return NULL;
    }
    if (!pgwire__need(r, (size_t)n)) return NULL;
    const char *s = r->p;
    r->p += n;
    return s;
}

/* The body must be used up exactly (pq_getmsgend). */
static inline bool pgwire__get_end(PgReader *r) {
    if (!r->bad && r->p != r->end) r->bad = "invalid message format";
    return r->bad == NULL;
}

static inline uint32_t pgwire__be32(const char *p) {
    const unsigned char *u = (const unsigned char *)p;
    return ((uint32_t)u[0] << 24) | ((uint32_t)u[1] << 16) | ((uint32_t)u[2] << 8) | u[3];
}

#endif
