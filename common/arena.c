/*
 * arena.c — region allocation. Every temporary of a statement, message or
 * row comes from an Arena and is freed with it, so error paths never leak.
 * It deliberately has no per-object free.
 *
 * INTERFACE: arena_create, arena_destroy, arena_init, arena_deinit,
 *            arena_alloc, arena_zalloc, arena_strdup, arena_strndup,
 *            arena_sprintf, arena_vsprintf, arena_reset, arena_mark,
 *            arena_rewind
 */
#include "common/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ArenaBlock {
    ArenaBlock *next;
    size_t size;
    /* payload follows, 16-byte aligned */
    _Alignas(16) char data[];
};

static void *must_malloc(size_t n) {
    void *p = malloc(n);
    if (!p) {
        log_error("out of memory allocating %zu bytes", n);
        abort();
    }
    return p;
}

void arena_init(Arena *a, size_t block_size) {
    memset(a, 0, sizeof *a);
    a->block_size = block_size ? block_size : 8192;
}

void arena_deinit(Arena *a) {
    ArenaBlock *b = a->head;
    while (b) {
        ArenaBlock *next = b->next;
        free(b);
        b = next;
    }
    free(a->spare);
    a->spare = NULL;
    a->head = NULL;
    a->cur = a->end = NULL;
}

Arena *arena_create(size_t block_size) {
    Arena *a = must_malloc(sizeof *a);
    arena_init(a, block_size);
    return a;
}

void arena_destroy(Arena *a) {
    if (!a) return;
    arena_deinit(a);
    free(a);
}

/* Slow path: a new block, large enough for an oversized request. */
static void *alloc_new_block(Arena *a, size_t n) {
    size_t size = n > a->block_size ? n : a->block_size;
    ArenaBlock *b;
    if (a->spare && a->spare->size >= n) {
        b = a->spare;
        a->spare = NULL;
        size = b->size;
    } else {
        b = must_malloc(sizeof *b + size);
        b->size = size;
    }
    b->next = a->head;
    a->head = b;
    a->cur = b->data + n;
    a->end = b->data + size;
    return b->data;
}

void *arena_alloc(Arena *a, size_t n) {
    n = (n + 15) & ~(size_t)15;
    a->used += n;
    if (LIKELY((size_t)(a->end - a->cur) >= n && a->cur)) {
        void *p = a->cur;
        a->cur += n;
        return p;
    }
    return alloc_new_block(a, n);
}

void *arena_zalloc(Arena *a, size_t n) {
    void *p = arena_alloc(a, n);
    memset(p, 0, n);
    return p;
}

char *arena_strndup(Arena *a, const char *s, size_t n) {
    char *p = arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *arena_strdup(Arena *a, const char *s) { return arena_strndup(a, s, strlen(s)); }

char *arena_vsprintf(Arena *a, const char *fmt, va_list ap) {
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    char *p = arena_alloc(a, (size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *arena_sprintf(Arena *a, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *p = arena_vsprintf(a, fmt, ap);
    va_end(ap);
    return p;
}

ArenaMark arena_mark(const Arena *a) {
    ArenaMark m = {a->head, a->cur, a->end, a->used};
    return m;
}

/* Blocks newer than the mark go; the newest of them is kept as the spare,
 * so a loop that overflows its block each row does not malloc each row. */
void arena_rewind(Arena *a, ArenaMark m) {
    while (a->head != m.head) {
        ArenaBlock *b = a->head;
        a->head = b->next;
        if (!a->spare || a->spare->size < b->size) {
            free(a->spare);
            a->spare = b;
        } else {
            free(b);
        }
    }
    a->cur = m.cur;
    a->end = m.end;
    a->used = m.used;
}

void arena_reset(Arena *a) {
    if (!a->head) return;
    /* Keep the oldest block (the usual working set), free the rest. */
    ArenaBlock *b = a->head, *keep = NULL;
    while (b) {
        ArenaBlock *next = b->next;
        if (next == NULL)
            keep = b;
        else
            free(b);
        b = next;
    }
    keep->next = NULL;
    a->head = keep;
    a->cur = keep->data;
    a->end = keep->data + keep->size;
    a->used = 0;
}
