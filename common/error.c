/*
 * error.c — the Error object (the fields of an ErrorResponse), the SQLSTATE
 * table, hashing and UTF-8 helpers.
 *
 * INTERFACE: error_set, error_setv, error_detail, error_hint, error_context, error_clear,
 *            error_severity_name, hash_bytes, utf8_char_count,
 *            stack_guard_init, stack_check
 */
#include "common/common.h"

#include <stdio.h>
#include <string.h>

#define SQLSTATE(name, code) const char SQLSTATE_##name[6] = code;
#include "common/sqlstates.def"
#undef SQLSTATE

bool error_setv(Error *e, const char *sqlstate, const char *fmt, va_list ap) {
    memset(e, 0, sizeof *e);
    e->set = true;
    e->severity = SEV_ERROR;
    memcpy(e->sqlstate, sqlstate, 5);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    return false;
}

bool error_set(Error *e, const char *sqlstate, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    error_setv(e, sqlstate, fmt, ap);
    va_end(ap);
    return false;
}

void error_detail(Error *e, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->detail, sizeof e->detail, fmt, ap);
    va_end(ap);
}

void error_hint(Error *e, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->hint, sizeof e->hint, fmt, ap);
    va_end(ap);
}

void error_context(Error *e, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->context, sizeof e->context, fmt, ap);
    va_end(ap);
}

void error_clear(Error *e) { e->set = false; }

const char *error_severity_name(ErrorSeverity s) {
    switch (s) {
    case SEV_FATAL: return "FATAL";
    case SEV_WARNING: return "WARNING";
    case SEV_NOTICE: return "NOTICE";
    case SEV_ERROR: break;
    }
    return "ERROR";
}

/* FNV-1a folded through hash_mix: short keys dominate (primary keys). */
uint64_t hash_bytes(const void *p, size_t n, uint64_t seed) {
    const unsigned char *s = p;
    uint64_t h = 0xcbf29ce484222325ULL ^ seed;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 0x100000001b3ULL;
    }
    return hash_mix(h);
}

int utf8_char_count(const char *s, size_t bytes) {
    int n = 0;
    for (size_t i = 0; i < bytes && s[i]; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) n++;
    return n;
}

/* The stack grows down on every platform strand runs on (x86-64, arm64). */
static _Thread_local uintptr_t stack_base;

void stack_guard_init(void) { stack_base = (uintptr_t)__builtin_frame_address(0); }

bool stack_check(Error *err) {
    uintptr_t here = (uintptr_t)__builtin_frame_address(0);
    if (!stack_base) stack_base = here;
    if (stack_base > here && stack_base - here > STACK_DEPTH_LIMIT)
        return error_set(err, SQLSTATE_STATEMENT_TOO_COMPLEX, "stack depth limit exceeded");
    return true;
}
