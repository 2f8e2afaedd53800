/*
 * transfer_client — drives `CALL transfer($1, $2, $3)` from many
 * connections for the transfer benchmark (tests/bench/transfer.sh).
 *
 * Each connection keeps DEPTH calls in flight with libpq's pipeline mode,
 * a Sync after every CALL (so each call is its own transaction and its own
 * round of replies); DEPTH 1 is the plain request-reply way. One thread
 * polls every connection. Accounts are random pairs of distinct ids in
 * 1..ACCOUNTS, amounts 1..10.
 *
 * Usage: transfer_client CONNINFO CONNECTIONS DEPTH SECONDS ACCOUNTS
 * Prints one line: "calls N errors N seconds S per_second R", then the
 * first error message if any. Exit status 1 if a connection failed.
 */
#include <libpq-fe.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct Conn {
    PGconn *pg;
    int in_flight;
} Conn;

static uint64_t rng = 88172645463325252ull;
static uint64_t next_random(void) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int send_call(Conn *c, int accounts) {
    char a[16], b[16], amount[16];
    int x = 1 + (int)(next_random() % (uint64_t)accounts), y;
    do y = 1 + (int)(next_random() % (uint64_t)accounts);
    while (y == x);
    snprintf(a, sizeof a, "%d", x);
    snprintf(b, sizeof b, "%d", y);
    snprintf(amount, sizeof amount, "%d", 1 + (int)(next_random() % 10));
    const char *values[3] = {a, b, amount};
    if (!PQsendQueryPrepared(c->pg, "transfer", 3, values, NULL, NULL, 0) || !PQpipelineSync(c->pg)) return -1;
    c->in_flight++;
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 6) {
        fprintf(stderr, "usage: %s CONNINFO CONNECTIONS DEPTH SECONDS ACCOUNTS\n", argv[0]);
        return 2;
    }
    int nconn = atoi(argv[2]), depth = atoi(argv[3]), accounts = atoi(argv[5]);
    double seconds = atof(argv[4]);
    Conn *conns = calloc((size_t)nconn, sizeof *conns);
    struct pollfd *fds = calloc((size_t)nconn, sizeof *fds);
    if (!conns || !fds) return 2;
    rng ^= (uint64_t)time(NULL);
    for (int i = 0; i < nconn; i++) {
        Conn *c = &conns[i];
        c->pg = PQconnectdb(argv[1]);
        if (PQstatus(c->pg) != CONNECTION_OK) {
            fprintf(stderr, "connection %d: %s", i, PQerrorMessage(c->pg));
            return 1;
        }
        PGresult *r = PQprepare(c->pg, "transfer", "CALL transfer($1, $2, $3)", 3, NULL);
        if (PQresultStatus(r) != PGRES_COMMAND_OK) {
            fprintf(stderr, "prepare: %s", PQresultErrorMessage(r));
            return 1;
        }
        PQclear(r);
        if (!PQenterPipelineMode(c->pg) || PQsetnonblocking(c->pg, 1) != 0) {
            fprintf(stderr, "pipeline mode: %s", PQerrorMessage(c->pg));
            return 1;
        }
        fds[i].fd = PQsocket(c->pg);
    }
    uint64_t calls = 0, errors = 0;
    char first_error[512] = "";
    double start = now(), end = start + seconds;
    bool sending = true;
    for (;;) {
        double t = now();
        if (t >= end) sending = false;
        int busy = 0;
        for (int i = 0; i < nconn; i++) {
            Conn *c = &conns[i];
            while (sending && c->in_flight < depth)
                if (send_call(c, accounts) < 0) {
                    fprintf(stderr, "send: %s", PQerrorMessage(c->pg));
                    return 1;
                }
            int f = PQflush(c->pg);
            fds[i].events = POLLIN | (f > 0 ? POLLOUT : 0);
            busy += c->in_flight > 0;
        }
        if (!sending && busy == 0) break;
        if (poll(fds, (nfds_t)nconn, 1000) < 0) return 1;
        for (int i = 0; i < nconn; i++) {
            Conn *c = &conns[i];
            if (!(fds[i].revents & (POLLIN | POLLERR | POLLHUP))) continue;
            if (!PQconsumeInput(c->pg)) {
                fprintf(stderr, "connection %d: %s", i, PQerrorMessage(c->pg));
                return 1;
            }
            while (!PQisBusy(c->pg)) {
                PGresult *r = PQgetResult(c->pg);
                if (!r) {
                    if (PQisBusy(c->pg)) break;
                    /* the end of one call's results; its Sync follows */
                    r = PQgetResult(c->pg);
                    if (!r) break;
                }
                ExecStatusType st = PQresultStatus(r);
                if (st == PGRES_PIPELINE_SYNC) {
                    c->in_flight--;
                    calls++;
                } else if (st == PGRES_FATAL_ERROR || st == PGRES_PIPELINE_ABORTED) {
                    if (st == PGRES_FATAL_ERROR) {
                        errors++;
                        if (!first_error[0]) snprintf(first_error, sizeof first_error, "%s", PQresultErrorMessage(r));
                    }
                }
                PQclear(r);
            }
        }
    }
    double elapsed = now() - start;
    calls -= errors;
    printf("calls %llu errors %llu seconds %.3f per_second %.0f\n", (unsigned long long)calls,
           (unsigned long long)errors, elapsed, (double)calls / elapsed);
    if (first_error[0]) printf("first error: %s", first_error);
    for (int i = 0; i < nconn; i++) PQfinish(conns[i].pg);
    free(conns);
    free(fds);
    return 0;
}
