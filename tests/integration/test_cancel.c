/*
 * test_cancel.c — stopping statements through libpq: CancelRequest
 * (PQcancel) of a statement waiting for a lock and of a COPY TO under way,
 * statement_timeout on a lock wait and on a long scan, and the idle
 * timeouts that end a session (session.c X1). Run by with-server.sh.
 */
#include <libpq-fe.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pq_util.h"
#include "tap.h"

static void ignore_notice(void *arg, const char *message) {}

static PGconn *connect_db(void) {
    PGconn *c = PQconnectdb("");
    if (PQstatus(c) != CONNECTION_OK) {
        fprintf(stderr, "connect: %s", PQerrorMessage(c));
        exit(1);
    }
    PQsetNoticeProcessor(c, ignore_notice, NULL);
    return c;
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The last result of what was sent: its SQLSTATE and message. */
static void last_error(PGconn *c, char *state, char *msg, size_t cap) {
    PGresult *r;
    state[0] = msg[0] = '\0';
    while ((r = PQgetResult(c))) {
        if (PQresultStatus(r) == PGRES_FATAL_ERROR) {
            snprintf(state, 6, "%s",
                     PQresultErrorField(r, PG_DIAG_SQLSTATE) ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : "");
            snprintf(msg, cap, "%s", PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY));
        }
        PQclear(r);
    }
}

static void cancel(PGconn *c) {
    char errbuf[256] = "";
    PGcancel *k = PQgetCancel(c);
    check(PQcancel(k, errbuf, sizeof errbuf) == 1, "PQcancel sent%s", errbuf);
    PQfreeCancel(k);
}

static void test_lock_wait(PGconn *a, PGconn *b) {
    char state[6], msg[256];
    pq_run(a, "CREATE TABLE acct (id int PRIMARY KEY, n int)");
    pq_run(a, "INSERT INTO acct VALUES (1, 0)");
    pq_run(a, "BEGIN");
    pq_run(a, "UPDATE acct SET n = 1 WHERE id = 1");

    /* A cancel of a statement waiting for the lock. */
    PQsendQuery(b, "UPDATE acct SET n = 2 WHERE id = 1");
    usleep(100000);
    cancel(b);
    last_error(b, state, msg, sizeof msg);
    check(!strcmp(state, "57014") && !strcmp(msg, "canceling statement due to user request"),
          "a waiting UPDATE is cancelled: %s %s", state, msg);

    /* statement_timeout over a lock wait. */
    pq_run(b, "SET statement_timeout = '200ms'");
    double t0 = now_s();
    PQsendQuery(b, "UPDATE acct SET n = 3 WHERE id = 1");
    last_error(b, state, msg, sizeof msg);
    double took = now_s() - t0;
    check(!strcmp(state, "57014") && !strcmp(msg, "canceling statement due to statement timeout"),
          "statement_timeout ends the wait: %s %s", state, msg);
    check(took > 0.15 && took < 2.0, "... after about 200 ms (%.3f s)", took);
    pq_run(b, "RESET statement_timeout");
    pq_run(a, "COMMIT");
    PGresult *r = PQexec(b, "SELECT n FROM acct WHERE id = 1");
    check(PQntuples(r) == 1 && !strcmp(PQgetvalue(r, 0, 0), "1"), "neither stopped UPDATE wrote anything");
    PQclear(r);
}

static void load_big(PGconn *c, int rows) {
    pq_run(c, "CREATE TABLE big (id int PRIMARY KEY, t text)");
    PGresult *r = PQexec(c, "COPY big FROM STDIN");
    PQclear(r);
    char line[1200], pad[1001];
    memset(pad, 'x', 1000);
    pad[1000] = '\0';
    for (int i = 1; i <= rows; i++) {
        int n = snprintf(line, sizeof line, "%d\t%s\n", i, pad);
        PQputCopyData(c, line, n);
    }
    PQputCopyEnd(c, NULL);
    while ((r = PQgetResult(c))) PQclear(r);
}

static void test_long_statements(PGconn *a, PGconn *b) {
    char state[6], msg[256];
    load_big(a, 200000);

    /* statement_timeout stops a long scan at one of its polls. */
    pq_run(a, "SET statement_timeout = 1");
    PQsendQuery(a, "SELECT id FROM big WHERE t = 'nowhere' OR id < 0");
    last_error(a, state, msg, sizeof msg);
    check(!strcmp(state, "57014") && !strcmp(msg, "canceling statement due to statement timeout"),
          "statement_timeout stops a long scan: %s %s", state, msg);
    pq_run(a, "RESET statement_timeout");
    check(pq_run(a, "SELECT 1"), "the session goes on");

    /* A cancel of a COPY TO under way (its client reads nothing yet). */
    PGresult *r = PQexec(b, "COPY big TO STDOUT");
    check(PQresultStatus(r) == PGRES_COPY_OUT, "COPY TO starts");
    PQclear(r);
    usleep(100000);
    cancel(b);
    char *buf;
    int n;
    long got = 0;
    while ((n = PQgetCopyData(b, &buf, 0)) > 0) {
        got += n;
        PQfreemem(buf);
    }
    last_error(b, state, msg, sizeof msg);
    check(!strcmp(state, "57014") && !strcmp(msg, "canceling statement due to user request"),
          "the COPY TO is cancelled: %s %s", state, msg);
    check(got > 0 && got < 200000L * 1008, "... part way (%ld bytes arrived)", got);
    check(pq_run(b, "SELECT 1"), "its session goes on");
}

static void test_idle_timeouts(void) {
    PGconn *c = connect_db();
    pq_run(c, "SET idle_in_transaction_session_timeout = '150ms'");
    pq_run(c, "BEGIN");
    usleep(400000);
    PGresult *r = PQexec(c, "SELECT 1");
    check(PQresultStatus(r) == PGRES_FATAL_ERROR && PQstatus(c) == CONNECTION_BAD,
          "idle in a transaction too long: the session ended (%s)", PQerrorMessage(c));
    check(strstr(PQerrorMessage(c), "terminating connection due to idle-in-transaction timeout") != NULL,
          "... with PostgreSQL's message");
    PQclear(r);
    PQfinish(c);

    c = connect_db();
    pq_run(c, "SET idle_session_timeout = '150ms'");
    usleep(400000);
    r = PQexec(c, "SELECT 1");
    check(PQstatus(c) == CONNECTION_BAD && strstr(PQerrorMessage(c), "idle-session timeout"),
          "idle too long outside a transaction: ended (%s)", PQerrorMessage(c));
    PQclear(r);
    PQfinish(c);

    c = connect_db();
    pq_run(c, "SET idle_in_transaction_session_timeout = '150ms'");
    usleep(400000);
    check(pq_run(c, "SELECT 1"), "idle outside a transaction: idle_in_transaction_session_timeout does not apply");
    pq_run(c, "BEGIN");
    for (int i = 0; i < 4; i++) {
        usleep(80000);
        pq_run(c, "SELECT 1");
    }
    check(PQstatus(c) == CONNECTION_OK && pq_run(c, "COMMIT"), "a busy transaction is never idle long enough");
    PQfinish(c);
}

int main(void) {
    PGconn *a = connect_db(), *b = connect_db();
    test_lock_wait(a, b);
    test_long_statements(a, b);
    test_idle_timeouts();
    PQfinish(a);
    PQfinish(b);
    printf("%d passed, %d failed\n", n_checks - n_failed, n_failed);
    return n_failed != 0;
}
