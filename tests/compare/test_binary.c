/*
 * test_binary.c — binary format, byte for byte against PostgreSQL 15: every
 * type strand has, as a result (send) and as a parameter read back (recv
 * then send), and binary COPY out and in. Runs under with-postgres.sh:
 * strand at PGHOST/PGPORT, PostgreSQL at 127.0.0.1:COMPARE_PORT.
 */
#include <libpq-fe.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../integration/pq_util.h"
#include "../integration/tap.h"

typedef struct Bytes {
    char *p;
    size_t n;
    bool null, ok;
} Bytes;

static void ignore_notice(void *arg, const char *message) {
    (void)arg;
    (void)message;
}

static PGconn *connect_to(const char *port) {
    char conninfo[256];
    snprintf(conninfo, sizeof conninfo, "host=127.0.0.1 port=%s user=postgres dbname=postgres", port);
    PGconn *c = PQconnectdb(conninfo);
    if (PQstatus(c) != CONNECTION_OK) {
        fprintf(stderr, "connect to %s: %s", port, PQerrorMessage(c));
        exit(1);
    }
    PQsetNoticeProcessor(c, ignore_notice, NULL);
    return c;
}

static Bytes copy_bytes(PGresult *r) {
    Bytes b = {0};
    b.ok = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;
    if (b.ok && PQgetisnull(r, 0, 0)) b.null = true;
    if (b.ok && !b.null) {
        b.n = (size_t)PQgetlength(r, 0, 0);
        b.p = malloc(b.n + 1);
        memcpy(b.p, PQgetvalue(r, 0, 0), b.n);
    }
    if (!b.ok) fprintf(stderr, "  %s", PQresultErrorMessage(r));
    PQclear(r);
    return b;
}

/* SELECT $1::type with the parameter in text, the result in binary. */
static Bytes send_form(PGconn *c, const char *type, const char *text) {
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT $1::%s", type);
    const char *values[1] = {text};
    return copy_bytes(PQexecParams(c, sql, 1, NULL, values, NULL, NULL, 1));
}

/* SELECT $1 with the parameter in binary of that type, the result in binary. */
static Bytes recv_send(PGconn *c, const char *type, Oid oid, const Bytes *in) {
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT $1::%s", type);
    const char *values[1] = {in->p};
    int lengths[1] = {(int)in->n}, formats[1] = {1};
    return copy_bytes(PQexecParams(c, sql, 1, &oid, values, lengths, formats, 1));
}

static bool same(const Bytes *a, const Bytes *b) {
    return a->ok && b->ok && a->null == b->null && a->n == b->n && (a->n == 0 || memcmp(a->p, b->p, a->n) == 0);
}

typedef struct TypeCase {
    const char *type;
    Oid oid;
    const char *values[8];
} TypeCase;

static const TypeCase CASES[] = {
    {"int2", 21, {"0", "-32768", "32767", "42"}},
    {"int4", 23, {"0", "-2147483648", "2147483647", "7"}},
    {"int8", 20, {"0", "-9223372036854775808", "9223372036854775807", "123456789012"}},
    {"float8", 701, {"0", "-0", "1.5", "1e308", "-2.2250738585072014e-308", "NaN", "Infinity", "-Infinity"}},
    {"float4", 700, {"0", "-0", "1.5", "3.4028235e38", "1e-45", "NaN", "-Infinity", "0.1"}},
    {"bool", 16, {"t", "f"}},
    {"text", 25, {"", "hello", "ünïcödé ✓", "tab\there"}},
    {"varchar", 1043, {"", "abc", "x y z"}},
    {"varchar(5)", 1043, {"abc", "abcde"}},
    {"char(5)", 1042, {"ab", "abcde", "", "é"}},
    {"numeric", 1700, {"0", "1.5", "-12345.678", "1e20", "NaN", "0.00010", "-0.000", "123456789.987654321"}},
    {"timestamptz",
     1184,
     {"2026-11-29 09:44:34.123456+00", "2000-01-01 00:00:00+00", "infinity", "-infinity", "1970-01-01",
      "0044-03-15 12:00:00 BC"}},
    {"pg_lsn", 3220, {"0/0", "16/B374D848", "FFFFFFFF/FFFFFFFF"}},
    {"date", 1082, {"2024-01-05", "infinity", "-infinity", "4713-11-24 BC", "5874897-12-31"}},
    {"time", 1083, {"00:00", "23:59:59.999999", "12:34:56.5"}},
    {"timestamp", 1114, {"2024-01-05 10:00", "infinity", "0044-03-15 12:00 BC", "294276-12-31 23:59:59.999999"}},
    {"interval", 1186, {"1 year 2 mons 3 days 04:05:06.789", "-1 days +02:00", "0", "-178956970 years -8 mons"}},
    {"numeric(10,3)", 1700, {"1.5", "-99.9995", "1234567.0004"}},
    {"bytea", 17, {"", "\\x00ff", "\\xdeadbeef", "abc"}},
    {"uuid", 2950, {"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "00000000-0000-0000-0000-000000000000"}},
    {"regtype", 2206, {"integer", "numeric", "text"}},
    {"oid", 26, {"0", "4294967295", "17"}},
    {"regproc", 24, {"now", "-", "1299"}},
    {"regprocedure", 2202, {"abs(integer)"}},
    {"regnamespace", 4089, {"pg_catalog", "public"}},
    {"oid[]", 1028, {"{1,4294967295}"}},
    {"regclass", 2205, {"-", "1259"}},
    {"regnamespace[]", 4090, {"{pg_catalog,public}"}},
    {"json", 114, {"{\"b\": 1,  \"a\": [1, 2.50]}", "\"\\u00e9\"", "null", "[]"}},
    {"int4[]", 1007, {"{1,2,NULL}", "{}", "[0:1]={-1,2147483647}", "{NULL}"}},
    {"text[]", 1009, {"{a,\"b c\",\"\"}", "{NULL,x}", "{}"}},
    {"int8[]", 1016, {"{1,-9223372036854775808}"}},
    {"float8[]", 1022, {"{1.5,NaN,-Infinity}"}},
    {"bool[]", 1000, {"{t,f,NULL}"}},
    {"numeric[]", 1231, {"{1.50,-0.001,NaN}", "{}"}},
    {"timestamptz[]", 1185, {"{\"2024-02-29 13:14:15+00\",infinity}"}},
    {"date[]", 1182, {"{2024-01-05,NULL}"}},
    {"timetz", 1266, {"13:14:15.5+02", "00:00-15:59", "24:00:00+00", "12:00-04:56:02"}},
    {"timetz[]", 1270, {"{\"13:14:15+05:30\",NULL}"}},
    {"interval[]", 1187, {"{\"1 day\",\"-2 mons\"}"}},
    {"uuid[]", 2951, {"{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}"}},
    {"varchar[]", 1015, {"{abc,NULL}"}},
    {"bytea[]", 1001, {"{\"\\\\x00ff\"}"}},
    {"jsonb[]", 3807, {"{\"{\\\"b\\\": 1}\",null}"}},
    {"jsonb", 3802, {"{\"b\": 1,  \"a\": [1, 2.50], \"b\": null}", "\"\\u00e9\\n\"", "1e3", "[[], {}]"}},
};

static void check_types(PGconn *strand, PGconn *pg) {
    for (size_t t = 0; t < sizeof CASES / sizeof CASES[0]; t++) {
        const TypeCase *tc = &CASES[t];
        for (int i = 0; i < 8 && tc->values[i]; i++) {
            Bytes a = send_form(strand, tc->type, tc->values[i]), b = send_form(pg, tc->type, tc->values[i]);
            check(same(&a, &b), "%s '%s': binary result the same as PostgreSQL's (%zu and %zu bytes)", tc->type,
                  tc->values[i], a.n, b.n);
            if (b.ok) {
                Bytes a2 = recv_send(strand, tc->type, tc->oid, &b), b2 = recv_send(pg, tc->type, tc->oid, &b);
                check(same(&a2, &b2), "%s '%s': binary parameter read back the same", tc->type, tc->values[i]);
                free(a2.p);
                free(b2.p);
            }
            free(a.p);
            free(b.p);
        }
    }
}

/* All of a COPY TO STDOUT's bytes. */
static Bytes copy_out(PGconn *c, const char *sql) {
    Bytes b = {0};
    PGresult *r = PQexec(c, sql);
    b.ok = PQresultStatus(r) == PGRES_COPY_OUT;
    PQclear(r);
    char *buf;
    int n;
    while (b.ok && (n = PQgetCopyData(c, &buf, 0)) > 0) {
        b.p = realloc(b.p, b.n + (size_t)n + 1);
        memcpy(b.p + b.n, buf, (size_t)n);
        b.n += (size_t)n;
        PQfreemem(buf);
    }
    while ((r = PQgetResult(c))) {
        if (PQresultStatus(r) != PGRES_COMMAND_OK) b.ok = false;
        PQclear(r);
    }
    return b;
}

static bool copy_in(PGconn *c, const char *sql, const Bytes *data, char *status, size_t cap) {
    PGresult *r = PQexec(c, sql);
    bool ok = PQresultStatus(r) == PGRES_COPY_IN;
    PQclear(r);
    ok = ok && PQputCopyData(c, data->p, (int)data->n) == 1 && PQputCopyEnd(c, NULL) == 1;
    snprintf(status, cap, "%s", ok ? "" : PQerrorMessage(c));
    while ((r = PQgetResult(c))) {
        if (PQresultStatus(r) != PGRES_COMMAND_OK) {
            ok = false;
            snprintf(status, cap, "%s", PQresultErrorMessage(r));
        } else {
            snprintf(status, cap, "%s", PQcmdStatus(r));
        }
        PQclear(r);
    }
    return ok;
}

static const char *TABLE = "CREATE TABLE bc (id int PRIMARY KEY, s int2, b int8, f float8, ok bool, t text, "
                           "v varchar(10), ts timestamptz, l pg_lsn)";
static const char *ROWS = "INSERT INTO bc VALUES (1, 1, -1, 1.5, true, 'a\tb', 'x', '2026-11-29 10:00:00+00', "
                          "'1/2'), (2, NULL, 9223372036854775807, -0.25, false, '', NULL, 'infinity', NULL), "
                          "(3, -32768, 0, 1e-300, NULL, 'ünï', 'zz', '1999-12-31 23:59:59.5+00', '0/0')";

static void check_copy(PGconn *strand, PGconn *pg) {
    PGconn *both[2] = {strand, pg};
    for (int i = 0; i < 2; i++) {
        pq_run(both[i], "DROP TABLE IF EXISTS bc");
        pq_run(both[i], "DROP TABLE IF EXISTS bc2");
        check(pq_run(both[i], TABLE) && pq_run(both[i], ROWS), "%s: the table", i ? "postgres" : "strand");
        pq_run(both[i], "CREATE TABLE bc2 (id int PRIMARY KEY, s int2, b int8, f float8, ok bool, t text, "
                        "v varchar(10), ts timestamptz, l pg_lsn)");
    }
    const char *out = "COPY bc TO STDOUT WITH (FORMAT binary)";
    Bytes a = copy_out(strand, out), b = copy_out(pg, out);
    check(same(&a, &b), "COPY TO binary: the same %zu bytes as PostgreSQL (strand sent %zu)", b.n, a.n);
    Bytes a2 = copy_out(strand, "COPY (SELECT id, t FROM bc WHERE id > 1) TO STDOUT (FORMAT binary)");
    Bytes b2 = copy_out(pg, "COPY (SELECT id, t FROM bc WHERE id > 1) TO STDOUT (FORMAT binary)");
    check(same(&a2, &b2), "COPY (query) TO binary: the same bytes");
    char status[512];
    check(copy_in(strand, "COPY bc2 FROM STDIN WITH (FORMAT binary)", &b, status, sizeof status) &&
              strcmp(status, "COPY 3") == 0,
          "COPY FROM binary of PostgreSQL's bytes: %s", status);
    Bytes a3 = copy_out(strand, "COPY bc2 TO STDOUT WITH (FORMAT binary)");
    check(same(&a3, &b), "... and they come back the same");
    Bytes bad = {.p = "PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0\0\1\0\0\0\4\0\0\0\1", .n = 25, .ok = true};
    check(!copy_in(strand, "COPY bc2 FROM STDIN WITH (FORMAT binary)", &bad, status, sizeof status) &&
              strstr(status, "row field count is 1, expected 9"),
          "a short binary row: %s", status);
    Bytes sig = {.p = "PGCOPY\nxx", .n = 9, .ok = true};
    check(!copy_in(strand, "COPY bc2 FROM STDIN (FORMAT binary)", &sig, status, sizeof status) &&
              strstr(status, "COPY file signature not recognized"),
          "a wrong signature: %s", status);
    free(a.p);
    free(b.p);
    free(a2.p);
    free(b2.p);
    free(a3.p);
}

int main(void) {
    const char *pg_port = getenv("COMPARE_PORT"), *port = getenv("PGPORT");
    if (!pg_port || !port) {
        fprintf(stderr, "run under tests/integration/with-postgres.sh\n");
        return 2;
    }
    PGconn *strand = connect_to(port), *pg = connect_to(pg_port);
    pq_run(pg, "SET TimeZone = 'UTC'");
    check_types(strand, pg);
    check_copy(strand, pg);
    PQfinish(strand);
    PQfinish(pg);
    printf("%d passed, %d failed\n", n_checks - n_failed, n_failed);
    return n_failed != 0;
}
