/*
 * pq_util.h — what the libpq test programs share: running a statement that
 * must succeed (its error printed as a TAP comment if not).
 */
#ifndef STRAND_TESTS_PQ_UTIL_H
#define STRAND_TESTS_PQ_UTIL_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdio.h>

static bool pq_run(PGconn *c, const char *sql) {
    PGresult *r = PQexec(c, sql);
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
    if (!ok) printf("#   %s: %s", sql, PQresultErrorMessage(r));
    PQclear(r);
    return ok;
}

#endif
