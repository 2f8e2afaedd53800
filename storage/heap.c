/*
 * heap.c — the memory of a table's row versions: size classes of 8-byte
 * steps carved from blocks, each class with a free list, so a version costs
 * its size rounded up to 8 bytes and nothing more (no malloc header), and a
 * freed version's memory is reused by the next version of its size. That
 * reuse is what keeps memory flat under updates: reclaiming frees the old
 * version and the next update takes its place.
 *
 * Blocks are never returned before the heap is destroyed (DROP TABLE);
 * versions larger than HEAP_MAX_SMALL come from malloc.
 *
 * INTERFACE (storage-internal): heap__init, heap__deinit, heap__alloc, heap__free
 */
#include "storage/storage_int.h"

#include <stddef.h>
#include <stdlib.h>

#define NCLASSES (HEAP_MAX_SMALL / HEAP_GRAIN)
#define FIRST_BLOCK 4096u
#define MAX_BLOCK (256u * 1024u)

typedef struct Block {
    struct Block *next;
    _Alignas(16) char data[];
} Block;

/* Versions too large for a class come from malloc, linked so that deinit
 * frees them without walking the rows. */
typedef struct Large {
    struct Large *prev, *next;
    _Alignas(16) char data[];
} Large;

void heap__init(RowHeap *h) { memset(h, 0, sizeof *h); }

void heap__deinit(RowHeap *h) {
    Block *b = h->blocks;
    while (b) {
        Block *next = b->next;
        free(b);
        b = next;
    }
    Large *l = h->large;
    while (l) {
        Large *next = l->next;
        free(l);
        l = next;
    }
    free(h->classes);
    memset(h, 0, sizeof *h);
}

static size_t round_up(size_t n) { return (n + HEAP_GRAIN - 1) & ~(size_t)(HEAP_GRAIN - 1); }

/* A new block for class c: blocks grow from 4 KiB to 256 KiB, so a small
 * table costs little and a large one few blocks. */
static void refill(RowHeap *h, HeapClass *c, size_t size) {
    uint32_t bytes = c->next_block ? c->next_block : FIRST_BLOCK;
    if (bytes < size) bytes = (uint32_t)size;
    c->next_block = bytes * 2 > MAX_BLOCK ? MAX_BLOCK : bytes * 2;
    Block *b = malloc(sizeof *b + bytes);
    if (!b) abort();
    b->next = h->blocks;
    h->blocks = b;
    c->cur = b->data;
    c->end = b->data + bytes - bytes % size;
}

void *heap__alloc(RowHeap *h, size_t n) {
    size_t size = round_up(n ? n : 1);
    h->bytes += size;
    if (size > HEAP_MAX_SMALL) {
        Large *l = malloc(sizeof *l + size);
        if (!l) abort();
        l->prev = NULL;
        l->next = h->large;
        if (l->next) l->next->prev = l;
        h->large = l;
        return l->data;
    }
    if (!h->classes && !(h->classes = calloc(NCLASSES, sizeof *h->classes))) abort();
    HeapClass *c = &h->classes[size / HEAP_GRAIN - 1];
    if (c->free) {
        void *p = c->free;
        memcpy(&c->free, p, sizeof c->free);
        return p;
    }
    if (c->cur == c->end) refill(h, c, size);
    void *p = c->cur;
    c->cur += size;
    return p;
}

void heap__free(RowHeap *h, void *p, size_t n) {
    if (!p) return;
    size_t size = round_up(n ? n : 1);
    h->bytes -= size;
    if (size > HEAP_MAX_SMALL) {
        Large *l = (Large *)((char *)p - offsetof(Large, data));
        if (l->prev)
            l->prev->next = l->next;
        else
            h->large = l->next;
        if (l->next) l->next->prev = l->prev;
        free(l);
        return;
    }
    HeapClass *c = &h->classes[size / HEAP_GRAIN - 1];
    memcpy(p, &c->free, sizeof c->free);
    c->free = p;
}
