/*
 * strbuf.c — heap-backed growable strings, for output that outlives an arena
 * (socket buffers, messages under construction).
 *
 * INTERFACE: strbuf_init, strbuf_deinit, strbuf_reset, strbuf_reserve,
 *            strbuf_append, strbuf_append_str, strbuf_append_char, strbuf_appendf
 */
#include "common/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void strbuf_init(StrBuf *b) {
    b->cap = 64;
    b->len = 0;
    b->data = malloc(b->cap);
    if (!b->data) abort();
    b->data[0] = '\0';
}

void strbuf_deinit(StrBuf *b) {
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

void strbuf_reset(StrBuf *b) {
    b->len = 0;
    b->data[0] = '\0';
}

void strbuf_reserve(StrBuf *b, size_t extra) {
    if (b->len + extra + 1 <= b->cap) return;
    size_t cap = b->cap * 2;
    while (cap < b->len + extra + 1) cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) abort();
    b->data = p;
    b->cap = cap;
}

void strbuf_append(StrBuf *b, const void *p, size_t n) {
    strbuf_reserve(b, n);
    memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void strbuf_append_str(StrBuf *b, const char *s) { strbuf_append(b, s, strlen(s)); }

void strbuf_append_char(StrBuf *b, char c) {
    strbuf_reserve(b, 1);
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
}

void strbuf_appendf(StrBuf *b, const char *fmt, ...) {
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    strbuf_reserve(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    b->len += (size_t)n;
}
