/*
 * txn.c — transactions: xids, snapshots, command ids, commit and abort.
 *
 *        storage_txn_begin            storage_txn_commit
 *   (none) ───────────────▶ IN PROGRESS ─────────────────▶ COMMITTED (CSN n)
 *                               │
 *                               └───── storage_txn_abort ──▶ ABORTED
 *
 * A transaction takes an xid only at its first write. A commit is one store
 * into csn_of_xid: every version stamped with the xid
 * becomes visible to snapshots taken afterwards at once, and an abort makes
 * them invisible forever, so neither walks the transaction's writes.
 * Logging the commit (WAL) and waiting for durability are the engine's job.
 *
 * INTERFACE: storage_create, storage_destroy, storage_catalog_version, storage_txn_begin,
 *            storage_txn_statement_begin, storage_txn_commit,
 *            storage_txn_abort, storage_txn_xid, storage_txn_isolation
 */
#include "storage/storage_int.h"

#include <stdlib.h>
#include <string.h>

Storage *storage_create(void) {
    Storage *s = calloc(1, sizeof *s);
    if (!s) abort();
    s->cap_xids = 1024;
    s->csn_of_xid = calloc(s->cap_xids, sizeof *s->csn_of_xid);
    if (!s->csn_of_xid) abort();
    s->next_xid = 1;     /* xid 0 means "none" in xmax */
    s->next_oid = 16384; /* PostgreSQL's first user OID */
    return s;
}

void storage_destroy(Storage *s) {
    if (!s) return;
    Table *t = s->tables;
    while (t) {
        Table *next = t->next;
        storage__table_free(t);
        t = next;
    }
    free(s->csn_of_xid);
    free(s);
}

static uint64_t allocate_xid(Storage *s) {
    if (s->next_xid == s->cap_xids) {
        size_t cap = s->cap_xids * 2;
        uint64_t *p = realloc(s->csn_of_xid, cap * sizeof *p);
        if (!p) abort();
        memset(p + s->cap_xids, 0, (cap - s->cap_xids) * sizeof *p);
        s->csn_of_xid = p;
        s->cap_xids = cap;
    }
    return s->next_xid++;
}

Txn *storage_txn_begin(Storage *s, StorageIsolation iso) {
    Txn *t = calloc(1, sizeof *t);
    if (!t) abort();
    t->storage = s;
    t->snapshot_csn = s->last_csn;
    t->iso = iso;
    return t;
}

void storage_txn_statement_begin(Txn *t) {
    t->cid++;
    /* READ COMMITTED: a snapshot per statement; REPEATABLE READ: at the first. */
    if (t->iso == ISO_READ_COMMITTED || t->cid == 1) t->snapshot_csn = t->storage->last_csn;
}

void storage__xid_assign(Txn *t) {
    if (!t->xid) t->xid = allocate_xid(t->storage);
}

uint64_t storage_txn_commit(Txn *t) {
    Storage *s = t->storage;
    uint64_t csn = s->last_csn;
    if (t->xid) {
        csn = ++s->last_csn;
        s->csn_of_xid[t->xid] = csn;
    }
    if (t->did_ddl) s->catalog_version++;
    free(t);
    return csn;
}

void storage_txn_abort(Txn *t) {
    if (t->xid) t->storage->csn_of_xid[t->xid] = CSN_ABORTED;
    if (t->did_ddl) t->storage->catalog_version++;
    free(t);
}

uint64_t storage_catalog_version(const Storage *s) { return s->catalog_version; }

uint64_t storage_txn_xid(const Txn *t) { return t->xid; }

StorageIsolation storage_txn_isolation(const Txn *t) { return t->iso; }
