/*
 * common.h — the bottom layer every other folder may use: arenas, growable
 * strings, the error object with its SQLSTATE table, hashing and logging.
 * It knows nothing of SQL, storage or sockets.
 *
 * INTERFACE
 *   arenas:   arena_create, arena_destroy, arena_alloc, arena_zalloc,
 *             arena_strdup, arena_strndup, arena_sprintf, arena_reset,
 *             arena_mark, arena_rewind
 *   strings:  strbuf_init, strbuf_deinit, strbuf_append*, strbuf_reset
 *   maps:     strmap_init, strmap_deinit, strmap_get, strmap_put, strmap_remove
 *   errors:   error_set, error_clear, error_set_position, SQLSTATE_*
 *   hashing:  hash_bytes, hash_mix
 *   logging:  log_info, log_warn, log_error
 *   stack:    stack_guard_init, stack_check
 */
#ifndef STRAND_COMMON_H
#define STRAND_COMMON_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#if defined(__GNUC__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define PRINTF_LIKE(f, a)
#define LIKELY(x) (x)
#define UNLIKELY(x) (x)
#endif

/* ---- arenas ------------------------------------------------------------
 * An Arena hands out memory that is freed all at once by arena_reset or
 * arena_destroy; nothing in it is freed one by one. Lifetimes are named by
 * who owns the arena (session, message, statement, row). Allocation aborts
 * the process on out-of-memory: the server cannot go on without memory. */
typedef struct ArenaBlock ArenaBlock;
typedef struct Arena {
    ArenaBlock *head;  /* newest block; older ones follow */
    char *cur, *end;   /* free space in head */
    size_t block_size; /* size of the next ordinary block */
    size_t used;       /* bytes handed out since the last reset */
    ArenaBlock *spare; /* a block a rewind gave back, reused before malloc */
} Arena;

/* A point to come back to: per-row temporaries of an executor loop are
 * allocated after a mark and dropped by a rewind to it, in the statement's
 * arena, without a malloc per row. */
typedef struct ArenaMark {
    ArenaBlock *head;
    char *cur, *end;
    size_t used;
} ArenaMark;

Arena *arena_create(size_t block_size);
void arena_destroy(Arena *a);
void arena_init(Arena *a, size_t block_size);
void arena_deinit(Arena *a);
void *arena_alloc(Arena *a, size_t n); /* 16-byte aligned */
void *arena_zalloc(Arena *a, size_t n);
char *arena_strdup(Arena *a, const char *s);
char *arena_strndup(Arena *a, const char *s, size_t n);
char *arena_sprintf(Arena *a, const char *fmt, ...) PRINTF_LIKE(2, 3);
char *arena_vsprintf(Arena *a, const char *fmt, va_list ap);
/* Frees every block but the first, so a reset arena costs nothing to reuse. */
void arena_reset(Arena *a);
ArenaMark arena_mark(const Arena *a);
/* Drops everything allocated since the mark (which stays valid). */
void arena_rewind(Arena *a, ArenaMark m);

/* ---- growable strings (heap) ------------------------------------------ */
typedef struct StrBuf {
    char *data; /* always NUL-terminated once initialised */
    size_t len, cap;
} StrBuf;

void strbuf_init(StrBuf *b);
void strbuf_deinit(StrBuf *b);
void strbuf_reset(StrBuf *b);
void strbuf_reserve(StrBuf *b, size_t extra);
void strbuf_append(StrBuf *b, const void *p, size_t n);
void strbuf_append_str(StrBuf *b, const char *s);
void strbuf_append_char(StrBuf *b, char c);
void strbuf_appendf(StrBuf *b, const char *fmt, ...) PRINTF_LIKE(2, 3);

/* ---- string-keyed maps (strmap.c) ----------------------------------------
 * Keys are not copied: each must stay valid while its entry is in the map
 * (typically the name the value itself owns). */
typedef struct StrMap {
    const char **keys; /* NULL = empty */
    void **values;
    size_t cap, count;
} StrMap;

void strmap_init(StrMap *m);
void strmap_deinit(StrMap *m);
void *strmap_get(const StrMap *m, const char *key);
void strmap_put(StrMap *m, const char *key, void *value);
void *strmap_remove(StrMap *m, const char *key); /* the old value, or NULL */

/* ---- errors -------------------------------------------------------------
 * An Error carries exactly the fields of a PostgreSQL ErrorResponse.
 * Fallible functions return false / a negative status and fill the Error the
 * caller owns. Strings live in the error's own buffer, so an Error outlives
 * the arenas of the statement that raised it. */
#define SQLSTATE(name, code) extern const char SQLSTATE_##name[6];
#include "common/sqlstates.def"
#undef SQLSTATE

typedef enum ErrorSeverity {
    SEV_ERROR = 0, /* the statement fails; the session goes on */
    SEV_FATAL,     /* the connection ends */
    SEV_WARNING,
    SEV_NOTICE,
} ErrorSeverity;

typedef struct Error {
    bool set;
    ErrorSeverity severity;
    char sqlstate[6];
    int position; /* 1-based character position in the query, 0 = none */
    char message[512];
    char detail[512];    /* "" = none */
    char hint[256];      /* "" = none */
    char context[256];   /* "" = none: where it happened (COPY t, line 3, ...) */
    char table[64];      /* "" = none: the 't' field */
    char column[64];     /* "" = none: the 'c' field */
    char constraint[64]; /* "" = none: the 'n' field */
} Error;

/* Sets code and message; returns false so callers can `return error_set(...)`. */
bool error_set(Error *e, const char *sqlstate, const char *fmt, ...) PRINTF_LIKE(3, 4);
bool error_setv(Error *e, const char *sqlstate, const char *fmt, va_list ap);
void error_detail(Error *e, const char *fmt, ...) PRINTF_LIKE(2, 3);
void error_hint(Error *e, const char *fmt, ...) PRINTF_LIKE(2, 3);
void error_context(Error *e, const char *fmt, ...) PRINTF_LIKE(2, 3);
void error_clear(Error *e);
const char *error_severity_name(ErrorSeverity s);

/* ---- hashing ------------------------------------------------------------ */
uint64_t hash_bytes(const void *p, size_t n, uint64_t seed);
static inline uint64_t hash_mix(uint64_t h) {
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb3fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

/* ---- logging (stderr; never on hot paths) ------------------------------- */
void log_info(const char *fmt, ...) PRINTF_LIKE(1, 2);
void log_warn(const char *fmt, ...) PRINTF_LIKE(1, 2);
void log_error(const char *fmt, ...) PRINTF_LIKE(1, 2);

/* ---- the stack-depth guard (PostgreSQL's check_stack_depth) ----------------
 * Passes that recurse over user input (lowering, binding, folding,
 * evaluation) call stack_check at each level; past STACK_DEPTH_LIMIT bytes
 * below the base it fails with 54001 "stack depth limit exceeded" instead of
 * overflowing the thread's stack. stack_guard_init records the base (the
 * engine thread calls it early); without it the first check does. */
#define STACK_DEPTH_LIMIT (2 * 1024 * 1024)
void stack_guard_init(void);
bool stack_check(Error *err);

/* UTF-8: number of characters in the first `bytes` bytes of s (positions are
 * counted in characters, as PostgreSQL does). */
int utf8_char_count(const char *s, size_t bytes);

#endif
