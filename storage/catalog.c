/*
 * catalog.c — the catalog of tables and indexes, hashed by name and by OID
 * (tables and indexes share one namespace, as relations do in
 * PostgreSQL). An entry is versioned like a row (xmin/xmax), so CREATE and
 * DROP are transactional: a rolled-back CREATE is unlinked at once (S5), a
 * DROP takes effect for others at commit and the entry is freed when
 * reclaiming passes the drop (S6).
 *
 * INTERFACE (storage-internal): catalog__add, catalog__remove,
 *   catalog__free_all, catalog__relation_dead, catalog__fill_index
 * INTERFACE: storage_table_create, storage_table_lookup,
 *   storage_relation_exists, storage_table_drop, storage_index_create,
 *   storage_index_lookup, storage_index_drop, storage_table_nindexes,
 *   storage_table_index
 */
#include "storage/storage_int.h"

#include <stdio.h>
#include <stdlib.h>

/* ---- the hash by name ------------------------------------------------------------------ */

static size_t bucket_of(const Storage *s, const char *name) {
    return (size_t)hash_bytes(name, strlen(name), 0) & (s->name_cap - 1);
}

static void rehash(Storage *s, size_t cap) {
    Relation **names = calloc(cap, sizeof *names);
    if (!names) abort();
    for (size_t b = 0; b < s->name_cap; b++) {
        for (Relation *r = s->names[b], *next; r; r = next) {
            next = r->next_by_name;
            size_t nb = (size_t)hash_bytes(r->name, strlen(r->name), 0) & (cap - 1);
            r->next_by_name = names[nb];
            names[nb] = r;
        }
    }
    free(s->names);
    s->names = names;
    s->name_cap = cap;
}

void catalog__add(Storage *s, Relation *r) {
    if (s->nrelations + 1 > s->name_cap) rehash(s, s->name_cap ? s->name_cap * 2 : 64);
    size_t b = bucket_of(s, r->name);
    r->next_by_name = s->names[b];
    s->names[b] = r;
    s->nrelations++;
    map__put(&s->oids, r->oid, r);
}

void catalog__remove(Storage *s, Relation *r) {
    if (map__get(&s->oids, r->oid) != r) return; /* already removed */
    map__remove(&s->oids, r->oid);
    for (Relation **p = &s->names[bucket_of(s, r->name)]; *p; p = &(*p)->next_by_name) {
        if (*p == r) {
            *p = r->next_by_name;
            s->nrelations--;
            return;
        }
    }
}

void catalog__relation_dead(Storage *s, Relation *r) {
    r->dead = true;
    if (r->kind == REL_INDEX) return; /* freed by its caller or with its table */
    Table *tb = (Table *)r;
    if (tb->refs == 0) table__free(tb);
}

/* Tables free their indexes, so the tables are collected first. */
void catalog__free_all(Storage *s) {
    Table **tables = malloc((s->nrelations + 1) * sizeof *tables);
    if (!tables) abort();
    size_t n = 0;
    for (size_t b = 0; b < s->name_cap; b++)
        for (Relation *r = s->names[b]; r; r = r->next_by_name)
            if (r->kind == REL_TABLE) tables[n++] = (Table *)r;
    for (size_t i = 0; i < n; i++) table__free(tables[i]);
    free(tables);
    free(s->names);
    s->names = NULL;
    s->name_cap = s->nrelations = 0;
}

/* ---- visibility of entries ------------------------------------------------------------- */

static bool entry_visible(const Txn *t, const Relation *r) {
    if (!storage__stamp_visible(t, r->xmin, r->cmin)) return false;
    return r->xmax == 0 || !storage__stamp_visible(t, r->xmax, r->cmax);
}

/* Live, or possibly live once an open transaction ends. */
static bool entry_may_exist(const Txn *t, const Relation *r) {
    if (r->xmax == 0) return true;
    if (r->xmax == t->xid) return false;
    return storage__xid_running(t->storage, r->xmax);
}

static Relation *find_visible(Storage *s, Txn *t, const char *name, RelKind kind) {
    if (!s->name_cap) return NULL;
    for (Relation *r = s->names[bucket_of(s, name)]; r; r = r->next_by_name)
        if (r->kind == kind && strcmp(r->name, name) == 0 && entry_visible(t, r)) return r;
    return NULL;
}

bool storage_relation_exists(Storage *s, Txn *t, const char *name) {
    if (!s->name_cap) return false;
    for (Relation *r = s->names[bucket_of(s, name)]; r; r = r->next_by_name)
        if (strcmp(r->name, name) == 0 && entry_may_exist(t, r)) return true;
    return false;
}

Table *storage_table_lookup(Storage *s, Txn *t, const char *name) {
    return (Table *)find_visible(s, t, name, REL_TABLE);
}

Index *storage_index_lookup(Storage *s, Txn *t, const char *name) {
    return (Index *)find_visible(s, t, name, REL_INDEX);
}

int storage_table_nindexes(const Table *table, const Txn *t) {
    int n = 0;
    for (int i = 0; i < table->nindexes; i++) n += entry_visible(t, &table->indexes[i]->rel);
    return n;
}

Index *storage_table_index(const Table *table, const Txn *t, int i) {
    for (int j = 0; j < table->nindexes; j++)
        if (entry_visible(t, &table->indexes[j]->rel) && i-- == 0) return table->indexes[j];
    return NULL;
}

/* ---- DDL -------------------------------------------------------------------------------- */

static bool relation_exists_error(Error *err, const char *name) {
    return error_set(err, SQLSTATE_DUPLICATE_TABLE, "relation \"%s\" already exists", name);
}

static void stamp_created(Txn *t, Relation *r) {
    storage__xid_assign(t);
    r->xmin = t->xid;
    r->cmin = t->cid;
}

static Index *attach_new_index(Storage *s, Txn *t, Table *tb, const IndexDesc *d) {
    Index *ix = index__create(tb, d, s->next_oid++);
    stamp_created(t, &ix->rel);
    table__attach_index(tb, ix);
    catalog__add(s, &ix->rel);
    changes__push(t, CHANGE_INDEX_CREATE, ix, 0, NULL, NULL, 0);
    return ix;
}

bool storage_table_create(Storage *s, Txn *t, const TableDesc *desc, Table **out, Error *err) {
    if (storage_relation_exists(s, t, desc->name)) return relation_exists_error(err, desc->name);
    if (desc->npkey && storage_relation_exists(s, t, desc->pkey_name))
        return relation_exists_error(err, desc->pkey_name);
    Table *tb = table__create(s, desc, s->next_oid++);
    stamp_created(t, &tb->rel);
    catalog__add(s, &tb->rel);
    changes__push(t, CHANGE_TABLE_CREATE, tb, 0, NULL, NULL, 0);
    storage_table_lock(tb, t, TLOCK_ACCESS_EXCLUSIVE);
    if (desc->npkey) {
        bool asc[STORAGE_INDEX_MAX_KEYS] = {0};
        IndexDesc pk = {tb->desc.pkey_name, desc->npkey, tb->desc.pkey, asc, asc, true, true, true};
        attach_new_index(s, t, tb, &pk);
    }
    storage__table_changed(t, tb);
    if (out) *out = tb;
    return true;
}

static StorageStatus concurrent_drop(Txn *t, const Relation *r, Error *err) {
    if (storage__xid_running(t->storage, r->xmax)) {
        storage__block_on(t, storage__xid_txn(t->storage, r->xmax));
        return STORAGE_BUSY;
    }
    error_set(err, SQLSTATE_SERIALIZATION_FAILURE, "could not serialize access due to concurrent update");
    return STORAGE_ERROR;
}

static void stamp_dropped(Txn *t, Relation *r) {
    r->xmax = t->xid;
    r->cmax = t->cid;
}

StorageStatus storage_table_drop(Storage *s, Txn *t, Table *table, Error *err) {
    StorageStatus st = storage_table_lock(table, t, TLOCK_ACCESS_EXCLUSIVE);
    if (st != STORAGE_OK) return st;
    if (table->rel.xmax && table->rel.xmax != t->xid) return concurrent_drop(t, &table->rel, err);
    storage__xid_assign(t);
    stamp_dropped(t, &table->rel);
    for (int i = 0; i < table->nindexes; i++)
        if (!table->indexes[i]->rel.xmax) stamp_dropped(t, &table->indexes[i]->rel);
    changes__push(t, CHANGE_TABLE_DROP, table, 0, NULL, NULL, 0);
    storage__table_changed(t, table);
    return STORAGE_OK;
}

/* ---- CREATE INDEX ------------------------------------------------------------------------ */

/* Entries for every version of every row: any snapshot may scan it. */
void catalog__fill_index(Table *tb, Index *ix) {
    for (RowId rid = 0; rid < tb->nslots; rid++)
        for (const Row *v = tb->slots[rid]; v; v = row__older(v)) index__add(ix, v, rid);
}

/* A row's current key (the head, a version of an open transaction
 * included: the table lock keeps other writers out): NULL if deleted. */
static const Row *current(const Table *tb, RowId rid) {
    const Row *head = tb->slots[rid];
    return head && !(head->flags & ROW_TOMBSTONE) ? head : NULL;
}

static StorageStatus duplicate_error(const Index *ix, const uint8_t *e, Error *err) {
    error_set(err, SQLSTATE_UNIQUE_VIOLATION, "could not create unique index \"%s\"", ix->desc.name);
    StrBuf names, vals;
    strbuf_init(&names);
    strbuf_init(&vals);
    index__key_text(ix, e, &names, &vals);
    error_detail(err, "Key (%s)=(%s) is duplicated.", names.data, vals.data);
    strbuf_deinit(&names);
    strbuf_deinit(&vals);
    snprintf(err->table, sizeof err->table, "%s", ix->table->desc.name);
    snprintf(err->constraint, sizeof err->constraint, "%s", ix->desc.name);
    return STORAGE_ERROR;
}

/* Two rows whose current versions have one key (without NULLs). */
static StorageStatus check_duplicates(const Index *ix, Error *err) {
    const Table *tb = ix->table;
    uint8_t prev[STORAGE_INDEX_ENTRY_MAX], mine[STORAGE_INDEX_ENTRY_MAX];
    bool have_prev = false;
    BtCursor c;
    bt__first(&ix->tree, &c);
    for (const uint8_t *e; (e = bt__at(&ix->tree, &c)); bt__next(&ix->tree, &c)) {
        RowId rid;
        memcpy(&rid, e + ix->esize - 4, 4);
        const Row *v = current(tb, rid);
        if (!v || index__entry_has_null(ix, e)) continue;
        index__entry_of(ix, v, rid, mine);
        if (!index__same_key(ix, e, mine)) continue; /* a stale key of that row */
        if (have_prev && index__same_key(ix, prev, e)) return duplicate_error(ix, e, err);
        memcpy(prev, e, ix->esize);
        have_prev = true;
    }
    return STORAGE_OK;
}

StorageStatus storage_index_create(Storage *s, Txn *t, Table *table, const IndexDesc *desc, Error *err) {
    if (storage_relation_exists(s, t, desc->name)) {
        relation_exists_error(err, desc->name);
        return STORAGE_ERROR;
    }
    StorageStatus st = storage_table_lock(table, t, TLOCK_SHARE);
    if (st != STORAGE_OK) return st;
    Index *ix = attach_new_index(s, t, table, desc);
    catalog__fill_index(table, ix);
    if (desc->unique && (st = check_duplicates(ix, err)) != STORAGE_OK) {
        t->changes.n--; /* the CHANGE_INDEX_CREATE just pushed */
        table__detach_index(table, ix);
        catalog__remove(s, &ix->rel);
        index__free(ix);
        return st;
    }
    storage__table_changed(t, table);
    return STORAGE_OK;
}

StorageStatus storage_index_drop(Storage *s, Txn *t, Index *index, Error *err) {
    StorageStatus st = storage_table_lock(index->table, t, TLOCK_ACCESS_EXCLUSIVE);
    if (st != STORAGE_OK) return st;
    if (index->rel.xmax && index->rel.xmax != t->xid) return concurrent_drop(t, &index->rel, err);
    storage__xid_assign(t);
    stamp_dropped(t, &index->rel);
    changes__push(t, CHANGE_INDEX_DROP, index, 0, NULL, NULL, 0);
    storage__table_changed(t, index->table);
    return STORAGE_OK;
}
