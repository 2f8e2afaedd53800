/*
 * map.c — U64Map: an open-addressing hash table (linear probing, load at
 * most 1/2, deletion by backward shift so no tombstones accumulate) from
 * non-zero 64-bit keys to pointers. It serves the xid registry, the OID
 * catalog and the row-lock table, where keys are small integers or pairs of
 * them.
 *
 * INTERFACE (storage-internal): map__init, map__deinit, map__get, map__put,
 *                               map__remove
 */
#include "storage/storage_int.h"

#include <stdlib.h>

void map__init(U64Map *m) { memset(m, 0, sizeof *m); }

void map__deinit(U64Map *m) {
    free(m->keys);
    free(m->values);
    memset(m, 0, sizeof *m);
}

static size_t slot_of(const U64Map *m, uint64_t key) { return (size_t)hash_mix(key) & (m->cap - 1); }

void *map__get(const U64Map *m, uint64_t key) {
    if (!m->count) return NULL;
    for (size_t i = slot_of(m, key);; i = (i + 1) & (m->cap - 1)) {
        if (m->keys[i] == key) return m->values[i];
        if (!m->keys[i]) return NULL;
    }
}

static void place(U64Map *m, uint64_t key, void *value) {
    size_t i = slot_of(m, key);
    while (m->keys[i] && m->keys[i] != key) i = (i + 1) & (m->cap - 1);
    if (!m->keys[i]) m->count++;
    m->keys[i] = key;
    m->values[i] = value;
}

static void resize(U64Map *m, size_t cap) {
    U64Map grown = {.cap = cap};
    grown.keys = calloc(cap, sizeof *grown.keys);
    grown.values = calloc(cap, sizeof *grown.values);
    if (!grown.keys || !grown.values) abort();
    for (size_t i = 0; i < m->cap; i++)
        if (m->keys[i]) place(&grown, m->keys[i], m->values[i]);
    free(m->keys);
    free(m->values);
    *m = grown;
}

void map__put(U64Map *m, uint64_t key, void *value) {
    if ((m->count + 1) * 2 > m->cap) resize(m, m->cap ? m->cap * 2 : 16);
    place(m, key, value);
}

/* Backward-shift deletion: later entries of the probe run move up into the
 * hole when their home slot allows it. */
void *map__remove(U64Map *m, uint64_t key) {
    if (!m->count) return NULL;
    size_t mask = m->cap - 1, i = slot_of(m, key);
    while (m->keys[i] != key) {
        if (!m->keys[i]) return NULL;
        i = (i + 1) & mask;
    }
    void *old = m->values[i];
    for (size_t j = (i + 1) & mask; m->keys[j]; j = (j + 1) & mask) {
        size_t home = slot_of(m, m->keys[j]);
        /* j's entry may fill the hole at i unless its home lies in (i, j]. */
        if (((j - home) & mask) >= ((j - i) & mask)) {
            m->keys[i] = m->keys[j];
            m->values[i] = m->values[j];
            i = j;
        }
    }
    m->keys[i] = 0;
    m->values[i] = NULL;
    m->count--;
    if (m->cap > 64 && m->count * 8 < m->cap) resize(m, m->cap / 2);
    return old;
}
