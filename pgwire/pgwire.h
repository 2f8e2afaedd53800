/*
 * pgwire.h — the PostgreSQL v3 wire protocol: sockets (libuv, TCP and Unix
 * socket), the startup handshake, the message codec, the session state
 * machine of the simple and extended query protocols, and ErrorResponse.
 *
 * pgwire knows no SQL and no storage. It decodes messages and hands them to
 * the engine through PgwireCallbacks; the engine answers through the
 * pgwire_send_* functions. pgwire itself sends what is protocol-level:
 * authentication, BackendKeyData, ErrorResponse for a failed callback,
 * skipping to Sync after an error in the extended protocol, and
 * ReadyForQuery (with the status the engine reports).
 *
 * INTERFACE
 *   server:    pgwire_server_create, pgwire_server_listen_tcp,
 *              pgwire_server_listen_unix, pgwire_server_destroy
 *   transport: pgwire_conn_create, pgwire_conn_feed, pgwire_conn_destroy
 *              (drive a connection without sockets, as the unit tests do),
 *              pgwire_conn_suspend, pgwire_conn_resume (group commit)
 *   replies:   pgwire_send_* below
 */
#ifndef STRAND_PGWIRE_H
#define STRAND_PGWIRE_H

#include "common/common.h"

typedef struct PgConn PgConn;
typedef struct PgServer PgServer;

/* Startup parameters as the client sent them (user, database, options,
 * application_name, client_encoding, ...). Valid during session_open. */
typedef struct PgStartup {
    const char **names;
    const char **values;
    int n;
} PgStartup;

const char *pgwire_startup_get(const PgStartup *s, const char *name);

/* Who is connecting: how (Unix socket or TCP, with TLS or not) and from
 * where (an IPv4 or IPv6 address as text; "" for a Unix socket). */
typedef struct PgPeer {
    bool local; /* a Unix-domain socket */
    bool tls;
    char addr[64];
} PgPeer;

/* How a connection proves who it is (the engine decides, from its
 * strand_hba.conf): trust, or a password checked against `verifier` (a
 * SCRAM-SHA-256 verifier, or NULL for a role without one or unknown: the
 * exchange still runs and fails as a wrong password would). md5 runs as
 * SCRAM, as PostgreSQL does when the password is kept as a verifier. */
typedef enum PgAuthMethod { PGAUTH_TRUST, PGAUTH_PASSWORD, PGAUTH_SCRAM } PgAuthMethod;
typedef struct PgAuth {
    PgAuthMethod method;
    char verifier[256];
    bool has_verifier;
} PgAuth;

/* One parameter or column value: len -1 means NULL. */
typedef struct PgValue {
    const char *data;
    int32_t len;
} PgValue;

typedef struct PgBind {
    const char *portal;    /* "" = unnamed */
    const char *statement; /* "" = unnamed */
    int nparams;
    const int16_t *param_formats; /* per parameter: 0 text, 1 binary */
    const PgValue *params;
    int nresult_formats; /* 0: all text; 1: one for all; else one per column */
    const int16_t *result_formats;
} PgBind;

/*
 * The engine's side. Every callback but session_open/session_close returns
 * true on success, or false with `err` filled: pgwire then sends the
 * ErrorResponse and, in the extended protocol, discards messages up to the
 * next Sync. A FATAL severity in `err` closes the connection after sending.
 * `session` is what session_open returned.
 */
typedef struct PgwireCallbacks {
    /* After startup: validate user/database, send ParameterStatus messages
     * (pgwire_send_parameter_status). Return the session, or NULL with err
     * (sent as FATAL; the connection closes). */
    void *(*session_open)(void *engine, PgConn *conn, const PgStartup *startup, Error *err);
    /* Before session_open: how this connection must authenticate. False
     * with err (sent as FATAL): refused outright (no strand_hba.conf entry,
     * reject). NULL callback: trust. */
    bool (*authenticate)(void *engine, const PgStartup *startup, const PgPeer *peer, PgAuth *auth, Error *err);
    void (*session_close)(void *session);
    /* Simple query: the whole string, possibly several statements. The
     * engine sends each statement's results; pgwire sends ReadyForQuery. */
    bool (*query)(void *session, const char *sql, size_t len, Error *err);
    bool (*parse)(void *session, const char *name, const char *sql, int nparams, const uint32_t *param_types,
                  Error *err);
    bool (*bind)(void *session, const PgBind *bind, Error *err);
    /* kind 'S' (statement) or 'P' (portal) */
    bool (*describe)(void *session, char kind, const char *name, Error *err);
    /* max_rows 0 = all; the engine sends PortalSuspended when it stops early */
    bool (*execute)(void *session, const char *portal, int32_t max_rows, Error *err);
    bool (*close)(void *session, char kind, const char *name, Error *err);
    /* Sync: end the implicit transaction. pgwire then sends ReadyForQuery. */
    bool (*sync)(void *session, Error *err);
    /* 'I' idle, 'T' in a transaction block, 'E' in a failed block */
    char (*txn_status)(void *session);
    /* COPY FROM STDIN, once query or execute called pgwire_copy_in_begin:
     * the CopyData bytes (message boundaries mean nothing), then copy_done
     * at CopyDone, which finishes the COPY (and, for a simple Query, runs
     * the rest of it). A false return ends the COPY with err. copy_abort:
     * the client sent CopyFail or a message that has no place in COPY;
     * the engine undoes the COPY (and drops the rest of a simple Query),
     * pgwire sends the error. */
    bool (*copy_data)(void *session, const char *data, size_t len, Error *err);
    bool (*copy_done)(void *session, Error *err);
    void (*copy_abort)(void *session);
    /* After pgwire_conn_want_writable: the client has read enough that the
     * output waiting for it is below PGWIRE_OUT_LOW_WATER again. */
    void (*writable)(void *session);
    /* A CancelRequest with this session's BackendKeyData arrived: stop the
     * statement it is running, if any (57014). */
    void (*cancel)(void *session);
} PgwireCallbacks;

/* ---- transports: where a connection's bytes go ------------------------- */
typedef struct PgTransport {
    /* Write all bytes (may queue). Returns false if the peer is gone. */
    bool (*write)(void *ctx, const char *data, size_t len);
    /* Close after the queued bytes are written. */
    void (*close)(void *ctx);
    /* Bytes taken by write but not yet on the wire (NULL: none ever wait).
     * The transport calls pgwire_conn_drained when it has written some. */
    size_t (*queued)(void *ctx);
    /* CancelRequest: find the connection with that process id and secret
     * and call pgwire_conn_cancel on it (NULL: cancel is not possible). */
    void (*cancel)(void *ctx, int32_t process_id, int32_t secret);
    /* SSLRequest: after the plain 'S', the transport speaks TLS from the
     * next byte on. NULL: no TLS here, SSLRequest is answered 'N'. */
    void (*start_tls)(void *ctx);
    void *ctx;
} PgTransport;

/* A connection without a socket: feed it bytes, see its replies through the
 * transport. `process_id`/`secret` go into BackendKeyData. */
PgConn *pgwire_conn_create(const PgwireCallbacks *cb, void *engine, PgTransport transport, int32_t process_id,
                           int32_t secret);
/* Decodes and dispatches every complete message in data[0..len). Returns
 * false once the connection is closed (Terminate, FATAL, protocol error). */
bool pgwire_conn_feed(PgConn *c, const char *data, size_t len);
void pgwire_conn_destroy(PgConn *c);
bool pgwire_conn_is_closed(const PgConn *c);
/* The session returned by session_open, or NULL before it. */
void *pgwire_conn_session(const PgConn *c);
/* The process id sent in BackendKeyData (what PostgreSQL calls the pid). */
int32_t pgwire_conn_process_id(const PgConn *c);
/* The largest Query, Parse, Bind, FunctionCall or CopyData message taken
 * (1 GiB - 1 by default, as PostgreSQL; never more): a longer one is FATAL
 * 08P01 "invalid message length". */
void pgwire_conn_set_max_message(PgConn *c, uint32_t bytes);
/* A CancelRequest for c: true if the secret is c's (then cb->cancel ran). */
bool pgwire_conn_cancel(PgConn *c, int32_t secret);
/* Holding replies back (group commit: CommandComplete only once the commit
 * is durable). Called inside a callback, suspend makes pgwire send nothing
 * more of its own for that message (the ReadyForQuery after Query/Sync is
 * held) and dispatch no further message; later input is buffered. Later the
 * engine sends the held replies and calls resume, which sends the held
 * ReadyForQuery, dispatches the buffered messages and flushes. A resume
 * inside the same callback just cancels the suspend. */
void pgwire_conn_suspend(PgConn *c);
void pgwire_conn_resume(PgConn *c);
/* The suspended message failed after all (a parked statement's error):
 * sends the ErrorResponse and, for an extended-protocol message, skips to
 * Sync as for any failed message. Call before pgwire_conn_resume. */
void pgwire_conn_fail_suspended(PgConn *c, const Error *err);

/* A bounded output: a long result is produced in steps, and a step waits
 * while more than PGWIRE_OUT_HIGH_WATER bytes wait for a slow client
 * (pgwire_output_pending); pgwire_conn_want_writable asks for one
 * cb->writable once they are down to PGWIRE_OUT_LOW_WATER. */
#define PGWIRE_OUT_HIGH_WATER (1024u * 1024u)
#define PGWIRE_OUT_LOW_WATER (256u * 1024u)
size_t pgwire_output_pending(PgConn *c);
void pgwire_conn_want_writable(PgConn *c);
/* The transport wrote some of its queue out. */
void pgwire_conn_drained(PgConn *c);

/* Taking back replies (a statement that parks is re-run later): the mark
 * is the output so far, and until the release nothing is written out by
 * itself, so a rewind to the mark drops what was added since. */
size_t pgwire_output_mark(PgConn *c);
void pgwire_output_rewind(PgConn *c, size_t mark);
void pgwire_output_release(PgConn *c);

/* ---- the server (libuv) -------------------------------------------------- */
/* `loop` is a uv_loop_t*; the server runs on it, on the engine thread. */
PgServer *pgwire_server_create(void *loop, const PgwireCallbacks *cb, void *engine);
/* Returns false with err (e.g. 'could not bind ... Address already in use'). */
bool pgwire_server_listen_tcp(PgServer *s, const char *addr, int port, Error *err);
bool pgwire_server_listen_unix(PgServer *s, const char *path, Error *err);
/* TLS for every later connection (SSLRequest answered 'S'): the PEM
 * certificate (chain) and key. Errors: unreadable or mismatched files. */
bool pgwire_server_set_tls(PgServer *s, const char *cert_file, const char *key_file, Error *err);
/* Writes a new self-signed certificate and key for localhost (EC P-256,
 * ten years) to files that must not exist yet; the key is mode 0600. */
bool pgwire_tls_make_self_signed(const char *cert_file, const char *key_file, Error *err);
/* Whether the connection runs over TLS. */
bool pgwire_conn_is_tls(const PgConn *c);
/* Where the connection comes from (server.c sets it at accept). */
void pgwire_conn_set_peer(PgConn *c, bool local, const char *addr);
/* Whether it is still in the startup or authentication exchange. */
bool pgwire_conn_authenticating(const PgConn *c);
/* The SCRAM-SHA-256 verifier of a password (PostgreSQL's text form, with a
 * random salt, 4096 iterations) into out; false if it does not fit. */
bool pgwire_scram_verifier(const char *password, char *out, size_t cap);
bool pgwire_is_scram_verifier(const char *s);
/* Whether password is the one the verifier was made from. */
bool pgwire_password_matches(const char *verifier, const char *password);
/* Connections that have not finished startup and authentication within
 * ms are closed (0: never). */
void pgwire_server_set_auth_timeout(PgServer *s, uint64_t ms);
/* For every later connection: pgwire_conn_set_max_message. */
void pgwire_server_set_max_message(PgServer *s, uint32_t bytes);
/* Closes listeners and connections; run the loop afterwards to finish. */
void pgwire_server_destroy(PgServer *s);

/* ---- replies ------------------------------------------------------------- */
typedef struct PgField {
    const char *name;
    uint32_t table_oid; /* 0 if not a plain table column */
    int16_t attnum;     /* 0 if not a plain table column */
    uint32_t type_oid;
    int16_t typlen; /* -1 for varlena */
    int32_t typmod; /* -1 if none */
    int16_t format; /* 0 text, 1 binary */
} PgField;

void pgwire_send_parameter_status(PgConn *c, const char *name, const char *value);
void pgwire_send_row_description(PgConn *c, int nfields, const PgField *fields);
void pgwire_send_no_data(PgConn *c);
void pgwire_send_parameter_description(PgConn *c, int nparams, const uint32_t *type_oids);
/* DataRow, built in place in the output buffer: begin, one add per column
 * (len -1 = NULL), end. No allocation per row. */
void pgwire_datarow_begin(PgConn *c, int ncols);
void pgwire_datarow_add(PgConn *c, const char *data, int32_t len);
void pgwire_datarow_end(PgConn *c);
void pgwire_send_command_complete(PgConn *c, const char *tag);
void pgwire_send_empty_query(PgConn *c);
void pgwire_send_parse_complete(PgConn *c);
void pgwire_send_bind_complete(PgConn *c);
void pgwire_send_close_complete(PgConn *c);
void pgwire_send_portal_suspended(PgConn *c);
/* COPY FROM STDIN: CopyInResponse (format for all columns); until CopyDone
 * or CopyFail the connection is in copy-in mode (copy_data, copy_done,
 * copy_abort). The ReadyForQuery of the Query waits for its end. */
void pgwire_copy_in_begin(PgConn *c, bool binary, int ncols);
/* COPY TO STDOUT: CopyOutResponse, one CopyData per row (built in place),
 * CopyDone; then the engine sends CommandComplete "COPY n". */
void pgwire_send_copy_out_response(PgConn *c, bool binary, int ncols);
void pgwire_copydata_begin(PgConn *c);
void pgwire_copydata_add(PgConn *c, const char *data, size_t len);
void pgwire_copydata_end(PgConn *c);
void pgwire_send_copy_done(PgConn *c);
/* NotificationResponse (LISTEN / NOTIFY). */
void pgwire_send_notification(PgConn *c, int32_t pid, const char *channel, const char *payload);
/* NoticeResponse (severity from e: NOTICE or WARNING). */
void pgwire_send_notice(PgConn *c, const Error *e);
void pgwire_send_error(PgConn *c, const Error *e);
/* Writes out everything buffered. pgwire flushes at ReadyForQuery and Flush
 * on its own; the engine calls this only for long-running output. */
void pgwire_flush(PgConn *c);

#endif
