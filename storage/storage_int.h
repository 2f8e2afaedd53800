/* storage_int.h — storage's internals, shared by its .c files only. */
#ifndef STRAND_STORAGE_INT_H
#define STRAND_STORAGE_INT_H

#include "storage/storage.h"

#define CSN_IN_PROGRESS 0
#define CSN_ABORTED UINT64_MAX

/* One version of a row. values[] and the bytes of its strings live in the
 * same allocation, owned by storage. */
struct RowVersion {
    uint64_t xmin, xmax; /* creating / ending transaction; xmax 0 = none */
    uint32_t cmin, cmax; /* command ids within those transactions */
    struct Chain *chain;
    RowVersion *older; /* the previous version of the row */
    Value values[];
};

/* The versions of one row, newest first (S2). With a primary key, one chain
 * per key value: a key change ends the old chain's version and starts a
 * version in the new key's chain. */
typedef struct Chain {
    RowVersion *newest;
    uint64_t key_hash;
} Chain;

/* Open-addressing hash from primary-key values to chains. */
typedef struct PkIndex {
    Chain **slots;
    size_t cap; /* power of two */
    size_t count;
} PkIndex;

struct Table {
    uint32_t oid;
    TableDesc desc;
    uint64_t xmin, xmax; /* the catalog entry is versioned like a row */
    uint32_t cmin, cmax;
    Chain **chains; /* in creation order: the scan order */
    size_t nchains, cap_chains;
    PkIndex pk;
    Table *next; /* in the storage's list */
};

struct Storage {
    uint64_t *csn_of_xid; /* indexed by xid: CSN_IN_PROGRESS, CSN_ABORTED or the commit's CSN */
    size_t cap_xids;
    uint64_t next_xid;
    uint64_t last_csn;
    uint32_t next_oid;
    uint64_t catalog_version;
    Table *tables;
};

struct Txn {
    Storage *storage;
    uint64_t xid;          /* 0 until its first write (storage__xid_assign) */
    uint64_t snapshot_csn; /* sees commits with CSN <= this (S1) */
    uint32_t cid;          /* the current statement's command id */
    StorageIsolation iso;
    bool did_ddl; /* its end changes the catalog version */
};

/* S1 for one (xid, cid) stamp. */
static inline bool storage__stamp_visible(const Txn *t, uint64_t xid, uint32_t cid) {
    if (xid == t->xid) return cid < t->cid;
    uint64_t csn = t->storage->csn_of_xid[xid];
    return csn != CSN_IN_PROGRESS && csn != CSN_ABORTED && csn <= t->snapshot_csn;
}

static inline bool storage__version_visible(const Txn *t, uint64_t xmin, uint32_t cmin, uint64_t xmax, uint32_t cmax) {
    if (!storage__stamp_visible(t, xmin, cmin)) return false;
    return xmax == 0 || !storage__stamp_visible(t, xmax, cmax);
}

static inline uint64_t storage__csn(const Storage *s, uint64_t xid) { return s->csn_of_xid[xid]; }

void storage__table_free(Table *table);

/* Gives t an xid at its first write: read-only transactions never take one,
 * so they leave no trace in csn_of_xid. */
void storage__xid_assign(Txn *t);

/* A catalog change by t: plans bound before it are stale. */
static inline void storage__catalog_changed(Txn *t) {
    t->storage->catalog_version++;
    t->did_ddl = true;
}

#endif
