/*
 * log.c — the server log on stderr, PostgreSQL-like: "LOG:", "WARNING:",
 * "ERROR:". Never called on hot paths.
 *
 * INTERFACE: log_info, log_warn, log_error
 */
#include "common/common.h"

#include <stdio.h>

static void log_line(const char *level, const char *fmt, va_list ap) {
    fprintf(stderr, "strand %s:  ", level);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

#define LOG_FN(name, level)                                                                                            \
    void name(const char *fmt, ...) {                                                                                  \
        va_list ap;                                                                                                    \
        va_start(ap, fmt);                                                                                             \
        log_line(level, fmt, ap);                                                                                      \
        va_end(ap);                                                                                                    \
    }
LOG_FN(log_info, "LOG")
LOG_FN(log_warn, "WARNING")
LOG_FN(log_error, "ERROR")
