/*
 * strmap.c — StrMap: an open-addressing hash table (linear probing, load
 * at most 1/2, backward-shift deletion) from strings to pointers. The map
 * does not own its keys: each entry's key is a string the value owns (a
 * prepared statement's or portal's name), so a lookup costs one hash and
 * no allocation.
 *
 * INTERFACE: strmap_init, strmap_deinit, strmap_get, strmap_put, strmap_remove
 */
#include "common/common.h"

#include <stdlib.h>
#include <string.h>

void strmap_init(StrMap *m) { memset(m, 0, sizeof *m); }

void strmap_deinit(StrMap *m) {
    free(m->keys);
    free(m->values);
    memset(m, 0, sizeof *m);
}

static size_t home(const StrMap *m, const char *key) { return (size_t)hash_bytes(key, strlen(key), 0) & (m->cap - 1); }

void *strmap_get(const StrMap *m, const char *key) {
    if (!m->count) return NULL;
    for (size_t i = home(m, key);; i = (i + 1) & (m->cap - 1)) {
        if (!m->keys[i]) return NULL;
        if (strcmp(m->keys[i], key) == 0) return m->values[i];
    }
}

static void place(StrMap *m, const char *key, void *value) {
    size_t i = home(m, key);
    while (m->keys[i] && strcmp(m->keys[i], key) != 0) i = (i + 1) & (m->cap - 1);
    if (!m->keys[i]) m->count++;
    m->keys[i] = key;
    m->values[i] = value;
}

static void resize(StrMap *m, size_t cap) {
    StrMap grown = {.cap = cap};
    grown.keys = calloc(cap, sizeof *grown.keys);
    grown.values = calloc(cap, sizeof *grown.values);
    if (!grown.keys || !grown.values) abort();
    for (size_t i = 0; i < m->cap; i++)
        if (m->keys[i]) place(&grown, m->keys[i], m->values[i]);
    free(m->keys);
    free(m->values);
    *m = grown;
}

void strmap_put(StrMap *m, const char *key, void *value) {
    if ((m->count + 1) * 2 > m->cap) resize(m, m->cap ? m->cap * 2 : 16);
    place(m, key, value);
}

void *strmap_remove(StrMap *m, const char *key) {
    if (!m->count) return NULL;
    size_t mask = m->cap - 1, i = home(m, key);
    for (;; i = (i + 1) & mask) {
        if (!m->keys[i]) return NULL;
        if (strcmp(m->keys[i], key) == 0) break;
    }
    void *old = m->values[i];
    for (size_t j = (i + 1) & mask; m->keys[j]; j = (j + 1) & mask) {
        size_t h = home(m, m->keys[j]);
        if (((j - h) & mask) >= ((j - i) & mask)) {
            m->keys[i] = m->keys[j];
            m->values[i] = m->values[j];
            i = j;
        }
    }
    m->keys[i] = NULL;
    m->values[i] = NULL;
    m->count--;
    return old;
}
