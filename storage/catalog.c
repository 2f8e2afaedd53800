/*
 * catalog.c — the catalog of tables. A catalog entry is versioned like a row
 * (xmin/xmax), so CREATE and DROP TABLE are transactional: a rolled-back
 * CREATE leaves nothing visible, a DROP takes effect for others at commit.
 * Dropped and aborted entries stay allocated until the store is destroyed
 * (reclaiming them comes with vacuum).
 *
 * INTERFACE: storage_table_create, storage_table_lookup, storage_table_drop,
 *            storage_table_desc, storage_table_oid
 */
#include "storage/storage_int.h"

#include <stdlib.h>
#include <string.h>

static char *xstrdup(const char *s) {
    char *p = strdup(s);
    if (!p) abort();
    return p;
}

static void desc_copy(TableDesc *dst, const TableDesc *src) {
    dst->name = xstrdup(src->name);
    dst->ncols = src->ncols;
    dst->cols = calloc((size_t)src->ncols, sizeof *dst->cols);
    for (int i = 0; i < src->ncols; i++) {
        dst->cols[i] = src->cols[i];
        dst->cols[i].name = xstrdup(src->cols[i].name);
    }
    dst->npkey = src->npkey;
    dst->pkey = NULL;
    dst->pkey_name = NULL;
    if (src->npkey) {
        dst->pkey = calloc((size_t)src->npkey, sizeof *dst->pkey);
        memcpy(dst->pkey, src->pkey, (size_t)src->npkey * sizeof *dst->pkey);
        dst->pkey_name = xstrdup(src->pkey_name);
    }
}

void storage__table_free(Table *table) {
    for (size_t i = 0; i < table->nchains; i++) {
        RowVersion *v = table->chains[i]->newest;
        while (v) {
            RowVersion *older = v->older;
            free(v);
            v = older;
        }
        free(table->chains[i]);
    }
    free(table->chains);
    free(table->pk.slots);
    for (int i = 0; i < table->desc.ncols; i++) free(table->desc.cols[i].name);
    free(table->desc.cols);
    free(table->desc.pkey);
    free(table->desc.pkey_name);
    free(table->desc.name);
    free(table);
}

/* Live, or possibly live once an open transaction ends. */
static bool entry_may_exist(const Txn *t, const Table *table) {
    const Storage *s = t->storage;
    if (table->xmin != t->xid && storage__csn(s, table->xmin) == CSN_ABORTED) return false;
    if (table->xmax == 0) return true;
    if (table->xmax == t->xid) return false;
    return storage__csn(s, table->xmax) == CSN_ABORTED || storage__csn(s, table->xmax) == CSN_IN_PROGRESS;
}

bool storage_table_create(Storage *s, Txn *t, const TableDesc *desc, Error *err) {
    storage__xid_assign(t);
    for (Table *other = s->tables; other; other = other->next)
        if (strcmp(other->desc.name, desc->name) == 0 && entry_may_exist(t, other))
            return error_set(err, SQLSTATE_DUPLICATE_TABLE, "relation \"%s\" already exists", desc->name);
    Table *table = calloc(1, sizeof *table);
    if (!table) abort();
    table->oid = s->next_oid++;
    desc_copy(&table->desc, desc);
    table->xmin = t->xid;
    table->cmin = t->cid;
    table->next = s->tables;
    s->tables = table;
    storage__catalog_changed(t);
    return true;
}

Table *storage_table_lookup(Storage *s, Txn *t, const char *name) {
    for (Table *table = s->tables; table; table = table->next)
        if (strcmp(table->desc.name, name) == 0 &&
            storage__version_visible(t, table->xmin, table->cmin, table->xmax, table->cmax))
            return table;
    return NULL;
}

StorageStatus storage_table_drop(Storage *s, Txn *t, Table *table, Error *err) {
    storage__xid_assign(t);
    if (table->xmax && table->xmax != t->xid && storage__csn(s, table->xmax) != CSN_ABORTED) {
        if (storage__csn(s, table->xmax) == CSN_IN_PROGRESS) return STORAGE_BUSY;
        error_set(err, SQLSTATE_SERIALIZATION_FAILURE, "could not serialize access due to concurrent update");
        return STORAGE_ERROR;
    }
    table->xmax = t->xid;
    table->cmax = t->cid;
    storage__catalog_changed(t);
    return STORAGE_OK;
}

const TableDesc *storage_table_desc(const Table *table) { return &table->desc; }

uint32_t storage_table_oid(const Table *table) { return table->oid; }
