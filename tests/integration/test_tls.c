/*
 * test_tls.c — libpq over TLS: sslmode=require, verify-ca and verify-full
 * with the self-signed certificate strand made in its data folder, a wrong
 * root refused, and results large enough to span many TLS records. Run by
 * with-server.sh (STRAND_DATA is the data folder).
 */
#include <libpq-fe.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pgwire/pgwire.h"
#include "tap.h"

static PGconn *connect_with(const char *params) {
    char conninfo[1024];
    snprintf(conninfo, sizeof conninfo, "host=%s port=%s user=postgres dbname=postgres %s", getenv("PGHOST"),
             getenv("PGPORT"), params);
    return PQconnectdb(conninfo);
}

static void test_require(void) {
    PGconn *c = connect_with("sslmode=require");
    check(PQstatus(c) == CONNECTION_OK && PQsslInUse(c), "sslmode=require: TLS in use (%s)", PQerrorMessage(c));
    const char *proto = PQsslAttribute(c, "protocol");
    check(proto && (!strcmp(proto, "TLSv1.3") || !strcmp(proto, "TLSv1.2")), "TLS 1.2 or later (%s)",
          proto ? proto : "none");
    PGresult *r = PQexec(c, "CREATE TABLE tl (id int PRIMARY KEY, t text)");
    PQclear(r);
    for (int i = 0; i < 200; i++) {
        const char *v[2];
        char id[16], text[5001];
        snprintf(id, sizeof id, "%d", i);
        memset(text, 'a' + i % 26, 5000);
        text[5000] = '\0';
        v[0] = id;
        v[1] = text;
        r = PQexecParams(c, "INSERT INTO tl VALUES ($1, $2)", 2, NULL, v, NULL, NULL, 0);
        PQclear(r);
    }
    r = PQexec(c, "SELECT id, t FROM tl ORDER BY id");
    bool ok = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 200;
    for (int i = 0; ok && i < 200; i++)
        ok = strlen(PQgetvalue(r, i, 1)) == 5000 && PQgetvalue(r, i, 1)[0] == 'a' + i % 26;
    check(ok, "a 1 MB result arrives intact over TLS");
    PQclear(r);
    PQclear(PQexec(c, "DROP TABLE tl"));
    PQfinish(c);
}

static void test_verify(const char *data) {
    char params[1024];
    snprintf(params, sizeof params, "sslmode=verify-ca sslrootcert=%s/server.crt", data);
    PGconn *c = connect_with(params);
    check(PQstatus(c) == CONNECTION_OK && PQsslInUse(c), "sslmode=verify-ca with the server's certificate (%s)",
          PQerrorMessage(c));
    PQfinish(c);

    snprintf(params, sizeof params, "host=localhost sslmode=verify-full sslrootcert=%s/server.crt", data);
    c = connect_with(params);
    check(PQstatus(c) == CONNECTION_OK, "sslmode=verify-full for localhost (%s)", PQerrorMessage(c));
    PQfinish(c);

    /* Another self-signed certificate as the root: the server's is refused. */
    char cert[512], key[512];
    snprintf(cert, sizeof cert, "%s/other.crt", data);
    snprintf(key, sizeof key, "%s/other.key", data);
    remove(cert);
    remove(key);
    Error err = {0};
    check(pgwire_tls_make_self_signed(cert, key, &err), "another certificate (%s)", err.message);
    snprintf(params, sizeof params, "sslmode=verify-ca sslrootcert=%s", cert);
    c = connect_with(params);
    check(PQstatus(c) == CONNECTION_BAD && strstr(PQerrorMessage(c), "certificate verify failed"),
          "verify-ca with a wrong root is refused (%s)", PQerrorMessage(c));
    PQfinish(c);
}

static void test_plain_still_works(void) {
    PGconn *c = connect_with("sslmode=disable");
    check(PQstatus(c) == CONNECTION_OK && !PQsslInUse(c), "sslmode=disable: plain");
    PQfinish(c);
    c = connect_with("sslmode=prefer");
    check(PQstatus(c) == CONNECTION_OK && PQsslInUse(c), "sslmode=prefer: TLS");
    PQfinish(c);
}

int main(void) {
    const char *data = getenv("STRAND_DATA");
    if (!data) {
        fprintf(stderr, "run under tests/integration/with-server.sh\n");
        return 2;
    }
    test_require();
    test_verify(data);
    test_plain_still_works();
    printf("%d passed, %d failed\n", n_checks - n_failed, n_failed);
    return n_failed != 0;
}
