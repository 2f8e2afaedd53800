/*
 * test_auth.c — roles and authentication through libpq: SCRAM-SHA-256 over
 * TLS with sslmode=verify-ca (right and wrong password), cleartext
 * password, md5 (which runs SCRAM), reject, hostssl, unknown roles and
 * databases, NOLOGIN, CONNECTION LIMIT, and strand_hba.conf read at each
 * connection. Run by with-server.sh (STRAND_DATA is the data folder).
 */
#include <arpa/inet.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pq_util.h"
#include "tap.h"

static const char *data;

static PGconn *connect_as(const char *user, const char *password, const char *extra) {
    char conninfo[1024];
    snprintf(conninfo, sizeof conninfo, "host=127.0.0.1 port=%s user=%s dbname=postgres %s%s %s", getenv("PGPORT"),
             user, password ? "password=" : "", password ? password : "", extra ? extra : "sslmode=disable");
    return PQconnectdb(conninfo);
}

/* Connects and expects success (want NULL) or a failure whose message has `want`. */
static void expect(const char *what, const char *user, const char *password, const char *extra, const char *want) {
    PGconn *c = connect_as(user, password, extra);
    if (!want)
        check(PQstatus(c) == CONNECTION_OK, "%s: connected%s%s", what, PQstatus(c) == CONNECTION_OK ? "" : ": ",
              PQstatus(c) == CONNECTION_OK ? "" : PQerrorMessage(c));
    else
        check(PQstatus(c) == CONNECTION_BAD && strstr(PQerrorMessage(c), want), "%s: refused with \"%s\"", what, want);
    PQfinish(c);
}

static void write_hba(void) {
    char path[600];
    snprintf(path, sizeof path, "%s/strand_hba.conf", data);
    FILE *f = fopen(path, "w");
    fputs("# the test's own rules\n"
          "host    all  alice    127.0.0.1/32  scram-sha-256\n"
          "host    all  ghost    127.0.0.1/32  scram-sha-256\n"
          "host    all  pwuser   127.0.0.1/32  password\n"
          "host    all  md5user  127.0.0.1/32  md5\n"
          "hostssl all  tlsonly  127.0.0.1/32  scram-sha-256\n"
          "host    all  tlsonly  127.0.0.1/32  reject\n"
          "host    all  limited  127.0.0.1     255.255.255.255  scram-sha-256\n"
          "local   all  all                    trust\n"
          "host    all  all      127.0.0.1/32  trust\n",
          f);
    fclose(f);
}

/* A client that connects and says nothing is closed after
 * authentication_timeout (1 s here: CMakeLists.txt starts strand so). */
static void test_auth_timeout(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(getenv("PGPORT")))};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    struct timeval tv = {.tv_sec = 5};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    bool connected = connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
    char buf[16];
    ssize_t n = connected ? recv(fd, buf, sizeof buf, 0) : -1;
    check(connected && n == 0, "a silent client is closed after authentication_timeout");
    close(fd);
}

int main(void) {
    data = getenv("STRAND_DATA");
    if (!data) {
        fprintf(stderr, "run under tests/integration/with-server.sh\n");
        return 2;
    }
    PGconn *admin = connect_as("postgres", NULL, NULL);
    check(PQstatus(admin) == CONNECTION_OK, "postgres connects over loopback with the default strand_hba.conf (trust)");
    check(pq_run(admin, "CREATE ROLE alice LOGIN PASSWORD 'secret'") &&
              pq_run(admin, "CREATE ROLE pwuser LOGIN PASSWORD 'pw'") &&
              pq_run(admin, "CREATE ROLE md5user LOGIN PASSWORD 'md'") &&
              pq_run(admin, "CREATE ROLE tlsonly LOGIN PASSWORD 'tls'") &&
              pq_run(admin, "CREATE ROLE limited LOGIN PASSWORD 'lim' CONNECTION LIMIT 1") &&
              pq_run(admin, "CREATE ROLE quiet NOLOGIN"),
          "roles created");
    write_hba();

    char verify[600];
    snprintf(verify, sizeof verify, "sslmode=verify-ca sslrootcert=%s/server.crt", data);
    PGconn *c = connect_as("alice", "secret", verify);
    check(PQstatus(c) == CONNECTION_OK && PQsslInUse(c) && PQconnectionUsedPassword(c),
          "SCRAM-SHA-256 over TLS (verify-ca), the right password%s%s", PQstatus(c) == CONNECTION_OK ? "" : ": ",
          PQstatus(c) == CONNECTION_OK ? "" : PQerrorMessage(c));
    PGresult *r = PQexec(c, "SELECT current_user, session_user");
    check(PQntuples(r) == 1 && !strcmp(PQgetvalue(r, 0, 0), "alice") && !strcmp(PQgetvalue(r, 0, 1), "alice"),
          "... and the session is alice's");
    PQclear(r);
    r = PQexec(c, "CREATE ROLE eve");
    check(PQresultStatus(r) == PGRES_FATAL_ERROR && !strcmp(PQresultErrorField(r, PG_DIAG_SQLSTATE), "42501"),
          "alice is no superuser: CREATE ROLE is 42501");
    PQclear(r);
    r = PQexec(c, "CREATE PROCEDURE p() LANGUAGE c AS $$ $$");
    check(PQresultStatus(r) == PGRES_FATAL_ERROR && !strcmp(PQresultErrorField(r, PG_DIAG_SQLSTATE), "42501"),
          "alice is no superuser: a LANGUAGE c procedure is 42501 (%s)", PQresultErrorMessage(r));
    PQclear(r);
    check(pq_run(c, "ALTER ROLE alice PASSWORD 'newer'"), "alice changes her own password");
    PQfinish(c);
    expect("the old password", "alice", "secret", verify, "password authentication failed for user \"alice\"");
    expect("the new one", "alice", "newer", verify, NULL);
    expect("SCRAM without TLS", "alice", "newer", NULL, NULL);
    expect("a wrong password", "alice", "wrong", verify, "password authentication failed for user \"alice\"");
    expect("an unknown role behind SCRAM", "ghost", "x", NULL, "password authentication failed for user \"ghost\"");
    expect("an unknown role behind trust", "nobody", NULL, NULL, "role \"nobody\" does not exist");
    expect("cleartext password", "pwuser", "pw", "sslmode=require", NULL);
    expect("cleartext password, wrong", "pwuser", "nope", "sslmode=require",
           "password authentication failed for user \"pwuser\"");
    expect("md5 runs as SCRAM", "md5user", "md", NULL, NULL);
    expect("hostssl over TLS", "tlsonly", "tls", "sslmode=require", NULL);
    expect("hostssl without TLS falls to reject", "tlsonly", "tls", NULL, "strand_hba.conf rejects connection");
    expect("NOLOGIN", "quiet", NULL, NULL, "role \"quiet\" is not permitted to log in");
    PGconn *first = connect_as("limited", "lim", NULL);
    check(PQstatus(first) == CONNECTION_OK, "CONNECTION LIMIT 1: the first connection");
    expect("CONNECTION LIMIT 1: the second", "limited", "lim", NULL, "too many connections for role \"limited\"");
    PQfinish(first);
    expect("CONNECTION LIMIT 1: again once the first left", "limited", "lim", NULL, NULL);

    PGconn *db = PQconnectdb("host=127.0.0.1 user=postgres dbname=nosuchdb sslmode=disable");
    check(PQstatus(db) == CONNECTION_BAD && strstr(PQerrorMessage(db), "database \"nosuchdb\" does not exist"),
          "an unknown database: 3D000's message");
    PQfinish(db);

    /* Roles survive in the catalog: a dropped one can no longer log in. */
    check(pq_run(admin, "DROP ROLE pwuser"), "DROP ROLE pwuser");
    expect("a dropped role", "pwuser", "pw", "sslmode=require", "password authentication failed for user \"pwuser\"");
    test_auth_timeout();
    PQfinish(admin);
    printf("%d passed, %d failed\n", n_checks - n_failed, n_failed);
    return n_failed != 0;
}
