/*
 * tap.h — the TAP-style output of the integration tests: one "ok N - what"
 * or "not ok N - what" line per check, then "N passed, N failed".
 */
#ifndef STRAND_TESTS_TAP_H
#define STRAND_TESTS_TAP_H

#include <stdarg.h>
#include <stdio.h>

static int n_checks, n_failed;

static int check(int cond, const char *fmt, ...) {
    va_list ap;
    n_checks++;
    if (!cond) n_failed++;
    printf("%s %d - ", cond ? "ok" : "not ok", n_checks);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    fflush(stdout);
    return cond;
}

#endif
