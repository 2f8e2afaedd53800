/*
 * changes.c — change sets: every change a transaction makes (row versions,
 * row and table locks, DDL), in order. Three readers use them: undo
 * (statement undo before a parked statement re-runs, ROLLBACK TO
 * SAVEPOINT, abort), which walks them backwards here; reclaiming, which
 * walks a committed one forwards once no snapshot needs the versions it
 * superseded (reclaim.c); and the commit path (storage_set_commit_hook),
 * where the WAL, SUBSCRIBE and logical decoding read the row images.
 *
 * Undo restores exactly the state before the change (S5): the previous
 * head of the chain, index entries no remaining version needs are removed,
 * a freed row id returns to the table, locks go back to the modes held
 * before, DDL is unlinked from the catalog.
 *
 * INTERFACE (storage-internal): changes__push, changes__undo_to, changes__deinit
 * INTERFACE: storage_changes_count, storage_change_get
 */
#include "storage/storage_int.h"

#include <stdlib.h>

void changes__push(Txn *t, StorageChangeKind kind, void *obj, RowId rid, Row *old, Row *new, uint8_t prev_modes) {
    StorageChangeSet *cs = &t->changes;
    if (cs->n == cs->cap) {
        cs->cap = cs->cap ? cs->cap * 2 : 16;
        Change *p = realloc(cs->items, cs->cap * sizeof *p);
        if (!p) abort();
        cs->items = p;
    }
    cs->items[cs->n++] = (Change){(uint8_t)kind, prev_modes, rid, obj, old, new};
}

void changes__deinit(StorageChangeSet *cs) {
    free(cs->items);
    memset(cs, 0, sizeof *cs);
}

static void undo_insert(Table *tb, const Change *c) {
    for (int i = 0; i < tb->nindexes; i++) index__remove_unless_kept(tb->indexes[i], c->new, c->rid, NULL);
    row__free(&tb->heap, &tb->layout, c->new);
    table__free_rid(tb, c->rid);
}

/* An update or delete: the chain's head goes back to the old version. */
static void undo_version(Table *tb, const Change *c) {
    tb->slots[c->rid] = c->old;
    for (int i = 0; i < tb->nindexes; i++) index__remove_unless_kept(tb->indexes[i], c->new, c->rid, c->old);
    row__free(&tb->heap, &tb->layout, c->new);
}

static void undrop(Relation *r, uint64_t xid) {
    if (r->xmax == xid) r->xmax = 0;
}

static void undo_table_drop(Table *tb, const Txn *t) {
    undrop(&tb->rel, t->xid);
    for (int i = 0; i < tb->nindexes; i++) undrop(&tb->indexes[i]->rel, t->xid);
}

static void undo_index_create(Storage *s, Index *ix) {
    table__detach_index(ix->table, ix);
    catalog__remove(s, &ix->rel);
    index__free(ix);
}

static void undo_one(Txn *t, const Change *c) {
    Storage *s = t->storage;
    switch ((StorageChangeKind)c->kind) {
    case CHANGE_INSERT: undo_insert(c->obj, c); break;
    case CHANGE_UPDATE:
    case CHANGE_DELETE: undo_version(c->obj, c); break;
    case CHANGE_ROW_LOCK: locks__row_set(s, c->obj, c->rid, t, c->prev_modes); break;
    case CHANGE_TABLE_LOCK: locks__table_set(t, c->obj, c->prev_modes); break;
    case CHANGE_TABLE_CREATE:
        storage__table_changed(t, c->obj);
        catalog__remove(s, c->obj);
        catalog__relation_dead(s, c->obj);
        break;
    case CHANGE_TABLE_DROP:
        undo_table_drop(c->obj, t);
        storage__table_changed(t, c->obj);
        break;
    case CHANGE_INDEX_CREATE:
        storage__table_changed(t, ((Index *)c->obj)->table);
        undo_index_create(s, c->obj);
        break;
    case CHANGE_INDEX_DROP:
        undrop(&((Index *)c->obj)->rel, t->xid);
        storage__table_changed(t, ((Index *)c->obj)->table);
        break;
    }
}

void storage__stamp_ddl_tables(Txn *t) {
    Storage *s = t->storage;
    s->catalog_version++;
    for (size_t i = 0; i < t->changes.n; i++) {
        const Change *c = &t->changes.items[i];
        if (c->kind == CHANGE_TABLE_CREATE || c->kind == CHANGE_TABLE_DROP)
            ((Table *)c->obj)->changed = s->catalog_version;
        else if (c->kind == CHANGE_INDEX_CREATE || c->kind == CHANGE_INDEX_DROP)
            ((Index *)c->obj)->table->changed = s->catalog_version;
    }
}

void changes__undo_to(Txn *t, size_t to) {
    while (t->changes.n > to) undo_one(t, &t->changes.items[--t->changes.n]);
}

size_t storage_changes_count(const StorageChangeSet *cs) { return cs->n; }

StorageChange storage_change_get(const StorageChangeSet *cs, size_t i) {
    const Change *c = &cs->items[i];
    StorageChange out = {.kind = (StorageChangeKind)c->kind, .rid = c->rid, .old_row = c->old, .new_row = c->new};
    if (c->kind == CHANGE_INDEX_CREATE || c->kind == CHANGE_INDEX_DROP) {
        out.index = c->obj;
        out.table = out.index->table;
    } else {
        out.table = c->obj;
    }
    return out;
}
