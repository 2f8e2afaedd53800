/*
 * reclaim.c — giving memory back (S6). Every committed change set waits in
 * a queue, in commit order, until the reclaim horizon (the oldest snapshot
 * in use) reaches its commit: from then on no snapshot can see the versions
 * it superseded. Its changes are then walked forwards:
 *   insert   the new version is frozen: copied without its stamps;
 *   update   the versions below the new one are freed (with index entries
 *            no remaining version needs), and the new one is frozen;
 *   delete   the whole chain is freed, its keys leave the indexes and its
 *            row id returns to the table;
 *   drop     the table or index leaves the catalog and is freed (a table
 *            once no transaction or queued change set refers to it).
 * Then the xid retires from the registry. The work is done in budgeted
 * steps on the engine thread (storage_reclaim), so no step is a long pause.
 *
 * A version is frozen only while it is its chain's head: a version that a
 * later commit already superseded is freed when that commit is reclaimed,
 * and the change sets still queued keep pointing at valid memory.
 *
 * INTERFACE (storage-internal): reclaim__enqueue, reclaim__drain_all
 * INTERFACE: storage_reclaim, storage_reclaim_pending, storage_vacuum,
 *            storage_stats
 */
#include "storage/storage_int.h"

#include <stdlib.h>

void reclaim__enqueue(Storage *s, Txn *t, uint64_t csn) {
    Committed *c = calloc(1, sizeof *c);
    if (!c) abort();
    c->xid = t->xid;
    c->csn = csn;
    c->changes = t->changes;
    memset(&t->changes, 0, sizeof t->changes);
    c->ntables = t->nholds;
    c->tables = malloc(((size_t)t->nholds + 1) * sizeof *c->tables);
    if (!c->tables) abort();
    for (int i = 0; i < t->nholds; i++) c->tables[i] = t->holds[i].table;
    t->nholds = 0;
    if (s->queue_tail)
        s->queue_tail->next = c;
    else
        s->queue_head = c;
    s->queue_tail = c;
}

/* Frees the versions older than v in row rid's chain. */
static size_t free_below(Table *tb, RowId rid, Row *v) {
    Row *o = row__older(v);
    if (!o) return 0;
    row__set_older(v, NULL);
    size_t n = 0;
    while (o) {
        Row *older = row__older(o);
        for (int i = 0; i < tb->nindexes; i++) index__remove_unless_kept(tb->indexes[i], o, rid, tb->slots[rid]);
        row__free(&tb->heap, &tb->layout, o);
        o = older;
        n++;
    }
    return n;
}

static void freeze_head(Table *tb, RowId rid) {
    Row *head = tb->slots[rid];
    if (!(head->flags & ROW_STAMPED) || row__older(head)) return;
    tb->slots[rid] = row__frozen_copy(&tb->heap, &tb->layout, head);
    row__free(&tb->heap, &tb->layout, head);
}

/* The chain position of v, or false if v is no longer in row rid's chain. */
static bool in_chain(const Table *tb, RowId rid, const Row *v) {
    for (const Row *r = tb->slots[rid]; r; r = row__older(r))
        if (r == v) return true;
    return false;
}

static size_t reclaim_change(Storage *s, const Change *c) {
    switch ((StorageChangeKind)c->kind) {
    case CHANGE_INSERT:
    case CHANGE_UPDATE: {
        Table *tb = c->obj;
        if (!in_chain(tb, c->rid, c->new)) return 0;
        size_t n = free_below(tb, c->rid, c->new);
        if (tb->slots[c->rid] == c->new) freeze_head(tb, c->rid);
        return n;
    }
    case CHANGE_DELETE: {
        Table *tb = c->obj;
        if (tb->slots[c->rid] != c->new) return 0;
        table__free_chain(tb, c->rid);
        return 1;
    }
    case CHANGE_TABLE_DROP: {
        Table *tb = c->obj;
        for (int i = 0; i < tb->nindexes; i++) catalog__remove(s, &tb->indexes[i]->rel);
        catalog__remove(s, &tb->rel);
        catalog__relation_dead(s, &tb->rel);
        return 0;
    }
    case CHANGE_INDEX_DROP: {
        Index *ix = c->obj;
        table__detach_index(ix->table, ix);
        catalog__remove(s, &ix->rel);
        index__free(ix);
        return 0;
    }
    default: return 0;
    }
}

static void retire(Storage *s, Committed *c) {
    if (c->xid) map__remove(&s->xids, c->xid);
    for (int i = 0; i < c->ntables; i++) table__release(c->tables[i]);
    s->queue_head = c->next;
    if (!s->queue_head) s->queue_tail = NULL;
    changes__deinit(&c->changes);
    free(c->tables);
    free(c);
}

bool storage_reclaim_pending(const Storage *s) { return s->queue_head && s->queue_head->csn <= storage__horizon(s); }

static size_t reclaim(Storage *s, size_t budget, size_t *freed) {
    uint64_t horizon = storage__horizon(s);
    size_t spent = 0;
    while (s->queue_head && s->queue_head->csn <= horizon && spent < budget) {
        Committed *c = s->queue_head;
        while (c->done < c->changes.n && spent < budget) {
            *freed += reclaim_change(s, &c->changes.items[c->done++]);
            spent++;
        }
        if (c->done == c->changes.n) retire(s, c);
    }
    return spent;
}

bool storage_reclaim(Storage *s, size_t budget) {
    size_t freed = 0;
    reclaim(s, budget, &freed);
    return storage_reclaim_pending(s);
}

/* At destroy: the queue's references go; memory goes with the tables. */
void reclaim__drain_all(Storage *s) {
    while (s->queue_head) {
        Committed *c = s->queue_head;
        c->done = c->changes.n;
        retire(s, c);
    }
}

/* Freezes the heads whose creator retired and frees what is below them:
 * what reclaiming left behind when a head was superseded and its successor
 * later undone. */
static size_t sweep(Storage *s, Table *tb) {
    size_t freed = 0;
    for (RowId rid = 0; rid < tb->nslots; rid++) {
        Row *head = tb->slots[rid];
        if (!head || ((head->flags & ROW_STAMPED) && map__get(&s->xids, row__xmin(head)))) continue;
        freed += free_below(tb, rid, head);
        freeze_head(tb, rid);
    }
    return freed;
}

size_t storage_vacuum(Storage *s, Table *table) {
    size_t freed = 0;
    reclaim(s, SIZE_MAX, &freed);
    if (table) return freed + sweep(s, table);
    for (size_t b = 0; b < s->name_cap; b++)
        for (Relation *r = s->names[b]; r; r = r->next_by_name)
            if (r->kind == REL_TABLE && !r->dead) freed += sweep(s, (Table *)r);
    return freed;
}

static void count_table(const Table *tb, StorageStats *out) {
    out->row_bytes += tb->heap.bytes;
    for (RowId rid = 0; rid < tb->nslots; rid++) {
        if (!tb->slots[rid]) continue;
        out->rows++;
        for (const Row *v = tb->slots[rid]; v; v = row__older(v)) out->row_versions++;
    }
    for (int i = 0; i < tb->nindexes; i++) out->index_entries += tb->indexes[i]->tree.count;
}

/* Walks everything: for tests and monitoring, not for hot paths. */
void storage_stats(const Storage *s, StorageStats *out) {
    memset(out, 0, sizeof *out);
    out->relations = s->nrelations;
    out->tables_alive = s->tables_alive;
    out->xids = s->xids.count;
    out->row_locks = s->rowlocks.count;
    for (const Txn *t = s->open; t; t = t->next) out->open_txns++;
    for (const Committed *c = s->queue_head; c; c = c->next) out->queued_commits++;
    for (size_t b = 0; b < s->name_cap; b++)
        for (const Relation *r = s->names[b]; r; r = r->next_by_name)
            if (r->kind == REL_TABLE) count_table((const Table *)r, out);
}
