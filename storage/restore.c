/*
 * restore.c — rebuilding the committed state at start: a snapshot's
 * tables, indexes and rows, then the WAL's changes after it (wal/ reads
 * the files and calls these). Nothing runs concurrently and no snapshot is
 * open, so there are no transactions: every entry and version is made
 * frozen (xmin 0, no stamps), visible to everyone, and a replaced version
 * is freed at once.
 *
 * Idempotence is what lets replay start before the snapshot's end: each
 * call sets the object it names (by OID, by row id) to a state, so a
 * record applied twice, or a record whose effect the snapshot already
 * holds, leaves the same state as applying it once. Row ids are kept as
 * they were, since the WAL names rows by them; the free list is rebuilt
 * once at the end (storage_restore_finish).
 *
 * INTERFACE: storage_table_by_oid, storage_restore_table,
 *   storage_restore_index, storage_restore_drop, storage_restore_row,
 *   storage_restore_row_delete, storage_restore_counters,
 *   storage_next_xid, storage_next_oid, storage_restore_finish,
 *   storage_tables, storage_index_oid
 */
#include "storage/storage_int.h"

#include <stdlib.h>

static Relation *relation_by_oid(Storage *s, uint32_t oid) { return map__get(&s->oids, oid); }

Table *storage_table_by_oid(Storage *s, uint32_t oid) {
    Relation *r = relation_by_oid(s, oid);
    return r && r->kind == REL_TABLE ? (Table *)r : NULL;
}

uint32_t storage_index_oid(const Index *index) { return index->rel.oid; }

static void oid_used(Storage *s, uint32_t oid) {
    if (oid >= s->next_oid) s->next_oid = oid + 1;
}

Table *storage_restore_table(Storage *s, uint32_t oid, const TableDesc *desc) {
    Table *tb = storage_table_by_oid(s, oid);
    if (tb) return tb;
    tb = table__create(s, desc, oid);
    catalog__add(s, &tb->rel);
    oid_used(s, oid);
    s->catalog_version++;
    return tb;
}

static bool malformed(Error *err, const char *what, uint32_t oid) {
    return error_set(err, SQLSTATE_DATA_CORRUPTED, "%s %u in the write-ahead log or snapshot is malformed", what, oid);
}

bool storage_restore_index(Storage *s, uint32_t table_oid, uint32_t oid, const IndexDesc *desc, Error *err) {
    if (relation_by_oid(s, oid)) return true;
    Table *tb = storage_table_by_oid(s, table_oid);
    if (!tb) return malformed(err, "the table of index", oid);
    if (desc->ncols < 1 || desc->ncols > STORAGE_INDEX_MAX_KEYS) return malformed(err, "index", oid);
    for (int i = 0; i < desc->ncols; i++)
        if (desc->cols[i] < 0 || desc->cols[i] >= tb->desc.ncols) return malformed(err, "index", oid);
    Index *ix = index__create(tb, desc, oid);
    table__attach_index(tb, ix);
    catalog__add(s, &ix->rel);
    catalog__fill_index(tb, ix);
    oid_used(s, oid);
    tb->changed = ++s->catalog_version;
    return true;
}

void storage_restore_drop(Storage *s, uint32_t oid) {
    Relation *r = relation_by_oid(s, oid);
    if (!r) return;
    if (r->kind == REL_TABLE) {
        Table *tb = (Table *)r;
        for (int i = 0; i < tb->nindexes; i++) catalog__remove(s, &tb->indexes[i]->rel);
        catalog__remove(s, r);
        table__free(tb);
    } else {
        Index *ix = (Index *)r;
        ix->table->changed = s->catalog_version + 1;
        table__detach_index(ix->table, ix);
        catalog__remove(s, r);
        index__free(ix);
    }
    s->catalog_version++;
}

/* Makes room for slot rid; slots skipped over stay free (not yet listed). */
static void ensure_slot(Table *t, RowId rid) {
    if (rid >= t->cap_slots) {
        RowId cap = t->cap_slots ? t->cap_slots : 64;
        while (cap <= rid) cap *= 2;
        Row **slots = realloc(t->slots, (size_t)cap * sizeof *slots);
        uint64_t *used = realloc(t->used, (size_t)cap / 64 * sizeof *used);
        if (!slots || !used) abort();
        memset(slots + t->cap_slots, 0, (size_t)(cap - t->cap_slots) * sizeof *slots);
        memset(used + t->cap_slots / 64, 0, (size_t)(cap - t->cap_slots) / 64 * sizeof *used);
        t->slots = slots;
        t->used = used;
        t->cap_slots = cap;
    }
    if (rid >= t->nslots) {
        for (RowId r = t->nslots; r < rid; r++) t->slots[r] = NULL;
        t->nslots = rid + 1;
    }
}

void storage_restore_row_delete(Table *t, RowId rid) {
    if (rid >= t->nslots || !t->slots[rid]) return;
    Row *v = t->slots[rid];
    for (int i = 0; i < t->nindexes; i++) index__remove_unless_kept(t->indexes[i], v, rid, NULL);
    row__free(&t->heap, &t->layout, v);
    t->slots[rid] = NULL;
    t->used[rid / 64] &= ~(1ull << (rid % 64));
}

bool storage_restore_row(Table *t, RowId rid, uint8_t flags, const uint8_t *image, size_t len, Error *err) {
    if (rid == UINT32_MAX || !row__image_fits(&t->layout, flags, image, len))
        return malformed(err, "a row of table", t->rel.oid);
    storage_restore_row_delete(t, rid);
    ensure_slot(t, rid);
    Row *v = row__from_image(&t->heap, flags, image, len);
    t->slots[rid] = v;
    t->used[rid / 64] |= 1ull << (rid % 64);
    for (int i = 0; i < t->nindexes; i++) index__add(t->indexes[i], v, rid);
    return true;
}

void storage_restore_counters(Storage *s, uint64_t next_xid, uint32_t next_oid) {
    if (next_xid > s->next_xid) s->next_xid = next_xid;
    if (next_oid > s->next_oid) s->next_oid = next_oid;
}

uint64_t storage_next_xid(const Storage *s) { return s->next_xid; }
uint32_t storage_next_oid(const Storage *s) { return s->next_oid; }

static void rebuild_free_list(Table *t) {
    t->nfree = 0;
    /* Highest first, so the lowest free id is reused first (a stack). */
    for (RowId rid = t->nslots; rid-- > 0;) {
        if (t->slots[rid]) continue;
        table__free_rid(t, rid);
    }
}

void storage_restore_finish(Storage *s) {
    for (size_t b = 0; b < s->name_cap; b++)
        for (Relation *r = s->names[b]; r; r = r->next_by_name)
            if (r->kind == REL_TABLE) rebuild_free_list((Table *)r);
}

size_t storage_tables(Storage *s, Txn *t, Table **out, size_t max) {
    size_t n = 0;
    for (size_t b = 0; b < s->name_cap; b++) {
        for (Relation *r = s->names[b]; r; r = r->next_by_name) {
            if (r->kind != REL_TABLE || storage_table_lookup(s, t, r->name) != (Table *)r) continue;
            if (n < max) out[n] = (Table *)r;
            n++;
        }
    }
    return n;
}
