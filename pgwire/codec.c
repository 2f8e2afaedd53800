/*
 * codec.c — encoding of every backend message into the connection's output
 * buffer, and writing that buffer out. Each message is documented here, next
 * to the code that writes it.
 *
 * Every backend message has the same frame:
 *
 *     offset 0  Byte1  type            ('T', 'D', 'C', 'E', 'Z', ...)
 *     offset 1  Int32  length          of the message without the type byte,
 *                                      these four bytes included
 *     offset 5  ...    body            (fields below, per message)
 *
 * Integers are big-endian (network order), signed unless noted; String is
 * NUL-terminated UTF-8. A message is built in place: pgwire__msg_begin
 * appends the type and a length placeholder, the fields follow, and
 * pgwire__msg_end patches the length. Nothing is allocated per message; the
 * output StrBuf only grows, and is handed to the transport in one write per
 * batch (ReadyForQuery, Flush, pgwire_flush, or the soft limit).
 *
 * It does not decode (conn.c does, with the reader in pgwire_int.h), and it
 * decides nothing about the session: when to send ReadyForQuery or whether
 * an error closes the connection is conn.c's business, except that a FATAL
 * ErrorResponse always closes after it is written.
 *
 * INTERFACE
 *   exported:  pgwire_send_parameter_status, pgwire_send_row_description,
 *              pgwire_send_no_data, pgwire_send_parameter_description,
 *              pgwire_datarow_begin, pgwire_datarow_add, pgwire_datarow_end,
 *              pgwire_send_command_complete, pgwire_send_empty_query,
 *              pgwire_send_parse_complete, pgwire_send_bind_complete,
 *              pgwire_send_close_complete, pgwire_send_portal_suspended,
 *              pgwire_send_notice, pgwire_send_error, pgwire_flush,
 *              pgwire_send_copy_out_response, pgwire_copydata_*,
 *              pgwire_send_copy_done, pgwire_send_notification
 *   internal:  pgwire__msg_begin, pgwire__msg_end, pgwire__put_*,
 *              pgwire__send_raw_byte, pgwire__send_auth_ok,
 *              pgwire__send_backend_key, pgwire__send_ready,
 *              pgwire__send_negotiate, pgwire__send_error_v2,
 *              pgwire__send_copy_in_response
 */
#include "pgwire/pgwire_int.h"

#include <stdio.h>

/* ---- primitives ---------------------------------------------------------- */

static void put_be32(char *p, uint32_t v) {
    p[0] = (char)(v >> 24);
    p[1] = (char)(v >> 16);
    p[2] = (char)(v >> 8);
    p[3] = (char)v;
}

void pgwire__put_int16(PgConn *c, int16_t v) {
    char b[2] = {(char)((uint16_t)v >> 8), (char)v};
    strbuf_append(&c->out, b, 2);
}

void pgwire__put_int32(PgConn *c, int32_t v) {
    char b[4];
    put_be32(b, (uint32_t)v);
    strbuf_append(&c->out, b, 4);
}

void pgwire__put_str(PgConn *c, const char *s) { strbuf_append(&c->out, s, strlen(s) + 1); }

void pgwire__put_bytes(PgConn *c, const void *p, size_t n) { strbuf_append(&c->out, p, n); }

/* Appends the type byte and a length placeholder; returns the offset of the
 * type byte, which pgwire__msg_end needs. */
size_t pgwire__msg_begin(PgConn *c, char type) {
    size_t start = c->out.len;
    char hdr[5] = {type, 0, 0, 0, 0};
    strbuf_append(&c->out, hdr, 5);
    return start;
}

/* Patches the length (everything after the type byte). */
void pgwire__msg_end(PgConn *c, size_t start) {
    put_be32(c->out.data + start + 1, (uint32_t)(c->out.len - start - 1));
    if (UNLIKELY(c->out.len >= PGWIRE_OUT_SOFT_LIMIT) && !c->hold_output) pgwire_flush(c);
}

/* A message with an empty body: ParseComplete, BindComplete, ... */
static void send_empty(PgConn *c, char type) { pgwire__msg_end(c, pgwire__msg_begin(c, type)); }

/* Hands the buffer to the transport. A failing write means the peer is gone:
 * the connection is closed and later output is dropped. */
void pgwire_flush(PgConn *c) {
    if (c->out.len == 0) return;
    if (c->state == PGW_CLOSED) {
        strbuf_reset(&c->out);
        return;
    }
    bool ok = c->tr.write(c->tr.ctx, c->out.data, c->out.len);
    strbuf_reset(&c->out);
    c->want_flush = false;
    if (!ok) {
        c->state = PGW_CLOSED;
        c->tr.close(c->tr.ctx);
    }
}

/* ---- startup replies ----------------------------------------------------- */

/* The single unframed byte 'N' that refuses SSLRequest / GSSENCRequest. */
void pgwire__send_raw_byte(PgConn *c, char b) { strbuf_append_char(&c->out, b); }

/* AuthenticationOk: 'R' len=8, Int32 0 (the auth request code "ok"). */
void pgwire__send_auth_ok(PgConn *c) { pgwire__send_auth(c, 0, NULL, 0); }

/* Authentication* 'R': Int32 code, then the code's data: 3 cleartext
 * password (none), 10 SASL (the mechanisms, each a String, then a NUL),
 * 11 SASLContinue and 12 SASLFinal (the mechanism's bytes). */
void pgwire__send_auth(PgConn *c, int32_t code, const void *data, size_t len) {
    size_t m = pgwire__msg_begin(c, 'R');
    pgwire__put_int32(c, code);
    if (len) pgwire__put_bytes(c, data, len);
    pgwire__msg_end(c, m);
}

/* BackendKeyData: 'K' len=12, Int32 process id, Int32 secret key; the
 * client quotes both in a CancelRequest. */
void pgwire__send_backend_key(PgConn *c) {
    size_t m = pgwire__msg_begin(c, 'K');
    pgwire__put_int32(c, c->process_id);
    pgwire__put_int32(c, c->secret);
    pgwire__msg_end(c, m);
}

/* ReadyForQuery: 'Z' len=5, Byte1 status 'I' idle / 'T' in a block /
 * 'E' in a failed block. It always ends a batch, so it asks for a flush. */
void pgwire__send_ready(PgConn *c, char txn_status) {
    size_t m = pgwire__msg_begin(c, 'Z');
    pgwire__put_bytes(c, &txn_status, 1);
    pgwire__msg_end(c, m);
    c->want_flush = true;
}

/* NegotiateProtocolVersion: 'v' len, Int32 newest version supported
 * (0x00030000 = 3.0), Int32 count of unrecognized "_pq_." options, then
 * that many Strings (the option names). Sent when a client asks for 3.x
 * with x > 0, as PostgreSQL does, instead of refusing it. */
void pgwire__send_negotiate(PgConn *c, int nopts, const char *const *opts) {
    size_t m = pgwire__msg_begin(c, 'v');
    pgwire__put_int32(c, (int32_t)PGWIRE_PROTO_V3);
    pgwire__put_int32(c, nopts);
    for (int i = 0; i < nopts; i++) pgwire__put_str(c, opts[i]);
    pgwire__msg_end(c, m);
}

/* A protocol-2.0 error: 'E' then the String "FATAL:  message\n" with no
 * length. PostgreSQL answers a client asking for protocol < 3 this way,
 * since that client cannot parse a v3 ErrorResponse. */
void pgwire__send_error_v2(PgConn *c, const char *message) {
    strbuf_append_char(&c->out, 'E');
    strbuf_appendf(&c->out, "FATAL:  %s\n", message);
    strbuf_append_char(&c->out, '\0');
}

/* ---- query results ------------------------------------------------------- */

/* ParameterStatus: 'S' len, String name, String value. */
void pgwire_send_parameter_status(PgConn *c, const char *name, const char *value) {
    size_t m = pgwire__msg_begin(c, 'S');
    pgwire__put_str(c, name);
    pgwire__put_str(c, value);
    pgwire__msg_end(c, m);
}

/* RowDescription: 'T' len, Int16 field count, then per field: String name,
 * Int32 table OID (0 if none), Int16 column attnum (0 if none), Int32 type
 * OID, Int16 typlen (-1 varlena), Int32 typmod (-1 none), Int16 format code
 * (0 text, 1 binary). */
void pgwire_send_row_description(PgConn *c, int nfields, const PgField *fields) {
    size_t m = pgwire__msg_begin(c, 'T');
    pgwire__put_int16(c, (int16_t)nfields);
    for (int i = 0; i < nfields; i++) {
        const PgField *f = &fields[i];
        pgwire__put_str(c, f->name ? f->name : "");
        pgwire__put_int32(c, (int32_t)f->table_oid);
        pgwire__put_int16(c, f->attnum);
        pgwire__put_int32(c, (int32_t)f->type_oid);
        pgwire__put_int16(c, f->typlen);
        pgwire__put_int32(c, f->typmod);
        pgwire__put_int16(c, f->format);
    }
    pgwire__msg_end(c, m);
}

/* NoData: 'n' len=4 (Describe of something that returns no rows). */
void pgwire_send_no_data(PgConn *c) { send_empty(c, 'n'); }

/* ParameterDescription: 't' len, Int16 count, Int32 type OID per parameter. */
void pgwire_send_parameter_description(PgConn *c, int nparams, const uint32_t *type_oids) {
    size_t m = pgwire__msg_begin(c, 't');
    pgwire__put_int16(c, (int16_t)nparams);
    for (int i = 0; i < nparams; i++) pgwire__put_int32(c, (int32_t)type_oids[i]);
    pgwire__msg_end(c, m);
}

/* DataRow: 'D' len, Int16 column count, then per column Int32 value length
 * (-1 = NULL, no bytes follow) and that many bytes. Built in place: begin
 * remembers where the message starts, end patches its length. */
void pgwire_datarow_begin(PgConn *c, int ncols) {
    c->row_start = pgwire__msg_begin(c, 'D');
    pgwire__put_int16(c, (int16_t)ncols);
}

void pgwire_datarow_add(PgConn *c, const char *data, int32_t len) {
    /* One reserve for length and bytes, so a column costs one bounds check. */
    size_t n = len > 0 ? (size_t)len : 0;
    strbuf_reserve(&c->out, 4 + n);
    put_be32(c->out.data + c->out.len, (uint32_t)(len < 0 ? -1 : len));
    if (n) memcpy(c->out.data + c->out.len + 4, data, n);
    c->out.len += 4 + n;
    c->out.data[c->out.len] = '\0';
}

void pgwire_datarow_end(PgConn *c) { pgwire__msg_end(c, c->row_start); }

/* CopyInResponse 'G' / CopyOutResponse 'H': Int8 overall format (0 text,
 * 1 binary), Int16 column count n, Int16 format x n (all the overall one,
 * as PostgreSQL sends them). */
static void send_copy_response(PgConn *c, char type, bool binary, int ncols) {
    size_t m = pgwire__msg_begin(c, type);
    pgwire__send_raw_byte(c, binary ? 1 : 0);
    pgwire__put_int16(c, (int16_t)ncols);
    for (int i = 0; i < ncols; i++) pgwire__put_int16(c, binary ? 1 : 0);
    pgwire__msg_end(c, m);
}

void pgwire__send_copy_in_response(PgConn *c, bool binary, int ncols) { send_copy_response(c, 'G', binary, ncols); }

void pgwire_send_copy_out_response(PgConn *c, bool binary, int ncols) { send_copy_response(c, 'H', binary, ncols); }

/* CopyData 'd': the bytes, built in place like a DataRow. */
void pgwire_copydata_begin(PgConn *c) { c->row_start = pgwire__msg_begin(c, 'd'); }
void pgwire_copydata_add(PgConn *c, const char *data, size_t len) { strbuf_append(&c->out, data, len); }
void pgwire_copydata_end(PgConn *c) { pgwire__msg_end(c, c->row_start); }

/* NotificationResponse 'A': Int32 the notifying process id, String
 * channel, String payload. */
void pgwire_send_notification(PgConn *c, int32_t pid, const char *channel, const char *payload) {
    size_t m = pgwire__msg_begin(c, 'A');
    pgwire__put_int32(c, pid);
    pgwire__put_str(c, channel);
    pgwire__put_str(c, payload);
    pgwire__msg_end(c, m);
}

/* CopyDone 'c': len=4, no body. */
void pgwire_send_copy_done(PgConn *c) { send_empty(c, 'c'); }

/* CommandComplete: 'C' len, String tag ("SELECT 3", "INSERT 0 1", ...). */
void pgwire_send_command_complete(PgConn *c, const char *tag) {
    size_t m = pgwire__msg_begin(c, 'C');
    pgwire__put_str(c, tag);
    pgwire__msg_end(c, m);
}

/* EmptyQueryResponse 'I', ParseComplete '1', BindComplete '2',
 * CloseComplete '3', PortalSuspended 's': all len=4, no body. */
void pgwire_send_empty_query(PgConn *c) { send_empty(c, 'I'); }
void pgwire_send_parse_complete(PgConn *c) { send_empty(c, '1'); }
void pgwire_send_bind_complete(PgConn *c) { send_empty(c, '2'); }
void pgwire_send_close_complete(PgConn *c) { send_empty(c, '3'); }
void pgwire_send_portal_suspended(PgConn *c) { send_empty(c, 's'); }

/* ---- errors and notices -------------------------------------------------- */

static void put_field(PgConn *c, char code, const char *value) {
    if (!value[0]) return;
    pgwire__put_bytes(c, &code, 1);
    pgwire__put_str(c, value);
}

/*
 * ErrorResponse 'E' / NoticeResponse 'N': len, then fields, each Byte1 code
 * + String value, ended by a zero byte. Fields sent, in PostgreSQL's order:
 *   S severity (localized)   V severity (never localized)   C SQLSTATE
 *   M message   D detail   H hint   P position (decimal, 1-based characters)
 *   s schema   t table   c column   n constraint
 * Empty fields are left out; S, V, C and M are always present. The schema
 * is "public" whenever a table is named: strand has one schema for tables.
 */
static void send_fields(PgConn *c, char type, const char *severity, const Error *e) {
    size_t m = pgwire__msg_begin(c, type);
    put_field(c, 'S', severity);
    put_field(c, 'V', severity);
    put_field(c, 'C', e->sqlstate[0] ? e->sqlstate : "XX000");
    pgwire__put_bytes(c, "M", 1);
    pgwire__put_str(c, e->message);
    put_field(c, 'D', e->detail);
    put_field(c, 'H', e->hint);
    if (e->position > 0) {
        char pos[16];
        snprintf(pos, sizeof pos, "%d", e->position);
        put_field(c, 'P', pos);
    }
    put_field(c, 'W', e->context);
    if (e->table[0]) put_field(c, 's', "public");
    put_field(c, 't', e->table);
    put_field(c, 'c', e->column);
    put_field(c, 'n', e->constraint);
    pgwire__put_bytes(c, "", 1);
    pgwire__msg_end(c, m);
}

/* Severity NOTICE unless the error says WARNING. */
void pgwire_send_notice(PgConn *c, const Error *e) {
    send_fields(c, 'N', e->severity == SEV_WARNING ? "WARNING" : "NOTICE", e);
}

/* Severity ERROR, or FATAL: then the error is written out at once and the
 * connection closes (the transport's close runs after the queued bytes). */
void pgwire_send_error(PgConn *c, const Error *e) {
    bool fatal = e->severity == SEV_FATAL;
    send_fields(c, 'E', fatal ? "FATAL" : "ERROR", e);
    if (!fatal || c->state == PGW_CLOSED) return;
    pgwire_flush(c);
    if (c->state == PGW_CLOSED) return; /* the write failed and closed it */
    c->state = PGW_CLOSED;
    c->tr.close(c->tr.ctx);
}
