/*
 * storage_int.h — storage's internals, shared by its .c files only.
 *
 * Who owns what:
 *   heap.c     RowHeap: a table's row versions, in size classes (no malloc per row)
 *   row.c      the packed row format (its byte layout is documented there)
 *   map.c      U64Map: open-addressing hash from 64-bit keys
 *   btree.c    BTree: the in-memory B+tree of fixed-size entries
 *   index.c    Index: key entries, maintenance with the rows, unique checks, index scans
 *   table.c    Table: row slots and version chains, visibility, scans, writes, row locks
 *   locks.c    the row-lock table, table locks, the wait-for graph
 *   txn.c      Storage and Txn: xids, snapshots, the registry, commit and abort
 *   changes.c  change sets: recording, undo, iteration
 *   reclaim.c  the queue of committed change sets, freezing, VACUUM
 *   catalog.c  tables and indexes by name and OID, DDL
 *   ssi.c      serializable snapshot isolation
 */
#ifndef STRAND_STORAGE_INT_H
#define STRAND_STORAGE_INT_H

#include "storage/storage.h"

#include <string.h>

#define CSN_IN_PROGRESS 0

/* ---- heap.c: row memory ------------------------------------------------------ */
#define HEAP_GRAIN 8
#define HEAP_MAX_SMALL 2048 /* larger versions come from malloc */

typedef struct HeapClass {
    void *free; /* freed chunks, linked through their first 8 bytes */
    char *cur, *end;
    uint32_t next_block;
} HeapClass;

typedef struct RowHeap {
    HeapClass *classes; /* HEAP_MAX_SMALL / HEAP_GRAIN of them, allocated on first use */
    void *blocks;       /* every block, for deinit */
    void *large;        /* versions larger than HEAP_MAX_SMALL */
    size_t bytes;       /* bytes handed out and not freed */
} RowHeap;

void heap__init(RowHeap *h);
void heap__deinit(RowHeap *h);
void *heap__alloc(RowHeap *h, size_t n);
void heap__free(RowHeap *h, void *p, size_t n);

/* ---- map.c: 64-bit keys to pointers ----------------------------------------------- */
typedef struct U64Map {
    uint64_t *keys; /* 0 = empty */
    void **values;
    size_t cap, count; /* cap: a power of two */
} U64Map;

void map__init(U64Map *m);
void map__deinit(U64Map *m);
void *map__get(const U64Map *m, uint64_t key);
void map__put(U64Map *m, uint64_t key, void *value); /* replaces */
void *map__remove(U64Map *m, uint64_t key);          /* returns the old value */

/* ---- row.c: packed rows --------------------------------------------------------- */
#define ROW_STAMPED 0x01    /* xmin (8 bytes) and cmin (4) follow the header */
#define ROW_OLDER 0x02      /* a pointer to the next older version follows */
#define ROW_TOMBSTONE 0x04  /* a delete: no columns */
#define ROW_KEY_UPDATE 0x08 /* its creator changed the row's key (or deleted it) */
#define ROW_NULLS 0x10      /* a null bitmap precedes the columns */

struct Row {
    uint8_t flags;
    uint8_t rest[]; /* [older 8][xmin 8, cmin 4][null bitmap][columns] */
};

typedef struct RowLayout {
    int ncols;
    uint8_t *width;   /* per column: bytes inline, 0 = variable length */
    uint32_t *offset; /* fixed columns: offset in the fixed part */
    uint32_t fixed;   /* size of the fixed part */
    uint32_t nullmap; /* bytes of a null bitmap */
    const TypeId *types;
    uint32_t *bpchar_width; /* per column: char(n)'s n (its values are kept without trailing spaces), else 0 */
} RowLayout;

void row__layout_init(RowLayout *l, const TableDesc *d);
void row__layout_deinit(RowLayout *l);
/* A new version; values NULL for a tombstone. */
Row *row__build(RowHeap *h, const RowLayout *l, uint8_t flags, Row *older, uint64_t xmin, uint32_t cmin,
                const Value *values);
size_t row__size(const RowLayout *l, const Row *r);
void row__free(RowHeap *h, const RowLayout *l, Row *r);
/* A copy without stamps or older pointer (the caller relinks and frees r). */
Row *row__frozen_copy(RowHeap *h, const RowLayout *l, const Row *r);
Value row__get(const RowLayout *l, const Row *r, int col);
/* Images (storage_row_image) read back: whether one fits the layout, and a
 * frozen version made of it. */
bool row__image_fits(const RowLayout *l, uint8_t flags, const uint8_t *p, size_t len);
Row *row__from_image(RowHeap *h, uint8_t flags, const uint8_t *p, size_t len);
/* Fixed-width values as rows and index entries store them: the width of a
 * type (0: variable), and its bytes in native order. */
uint8_t row__fixed_width(TypeId t);
void row__put_fixed(uint8_t *p, const Value *v, TypeId t);
Value row__get_fixed(TypeId t, const uint8_t *p);
/* A stored integer of 2, 4 or 8 bytes. */
static inline int64_t storage__read_int(const uint8_t *p, uint8_t width) {
    if (width == 4) {
        int32_t x;
        memcpy(&x, p, 4);
        return x;
    }
    if (width == 8) {
        int64_t x;
        memcpy(&x, p, 8);
        return x;
    }
    int16_t x;
    memcpy(&x, p, 2);
    return x;
}

static inline Row *row__older(const Row *r) {
    if (!(r->flags & ROW_OLDER)) return NULL;
    Row *o;
    memcpy(&o, r->rest, sizeof o);
    return o;
}
static inline void row__set_older(Row *r, Row *older) { memcpy(r->rest, &older, sizeof older); }
static inline const uint8_t *row__stamp(const Row *r) { return r->rest + ((r->flags & ROW_OLDER) ? 8 : 0); }
static inline uint64_t row__xmin(const Row *r) {
    uint64_t x;
    memcpy(&x, row__stamp(r), 8);
    return x;
}
static inline uint32_t row__cmin(const Row *r) {
    uint32_t c;
    memcpy(&c, row__stamp(r) + 8, 4);
    return c;
}

/* ---- btree.c: the B+tree ------------------------------------------------------------
 * Entries are fixed-size byte strings ordered by `cmp`; no two are equal. */
typedef int (*BtCompare)(const void *ctx, const uint8_t *a, const uint8_t *b);
/* Where an entry lies relative to a search target: < 0 before it, 0 at it,
 * > 0 after it. */
typedef int (*BtProbe)(const void *ctx, const uint8_t *entry);

typedef struct BtNode BtNode;
/* Entries may own memory (an index's long text keys): separators copied
 * into inner nodes get their own copy through `dup`, and `release` frees
 * an entry's memory. Both NULL: entries are plain bytes. */
typedef struct BTree {
    BtNode *root;
    int height; /* 1: the root is a leaf */
    uint16_t esize, leaf_cap, inner_cap;
    size_t count, nodes;
    uint64_t version; /* changes at every insert and delete (cursors re-seek) */
    BtCompare cmp;
    void (*dup)(const void *ctx, uint8_t *dst, const uint8_t *src);
    void (*release)(const void *ctx, uint8_t *e);
    const void *ctx;
} BTree;

typedef struct BtCursor {
    BtNode *leaf; /* NULL: past either end */
    int pos;
} BtCursor;

void bt__init(BTree *t, uint16_t esize, BtCompare cmp, const void *ctx);
void bt__deinit(BTree *t);                   /* releases every entry and separator */
bool bt__insert(BTree *t, const uint8_t *e); /* false: an equal entry is there */
/* Removes the entry equal to e; `removed` gets its bytes (the caller
 * releases what it owns). */
bool bt__delete(BTree *t, const uint8_t *e, uint8_t *removed);
bool bt__contains(const BTree *t, const uint8_t *e);
/* The first entry with probe >= 0 (after_equal: > 0). */
void bt__seek(const BTree *t, BtProbe probe, const void *pctx, bool after_equal, BtCursor *c);
/* bt__seek for a leading integer (width 2, 4 or 8 bytes at off): the
 * first entry whose integer is >= key (> key if after_equal), in
 * ascending or (desc) descending order. */
typedef struct IntSeek {
    uint16_t off;
    uint8_t width;
    bool desc, after_equal;
    int64_t key;
} IntSeek;
void bt__seek_int(const BTree *t, const IntSeek *k, BtCursor *c);
void bt__first(const BTree *t, BtCursor *c);
void bt__last(const BTree *t, BtCursor *c);
const uint8_t *bt__at(const BTree *t, const BtCursor *c); /* NULL past the end */
void bt__next(const BTree *t, BtCursor *c);
void bt__prev(const BTree *t, BtCursor *c);

/* ---- catalog entries ---------------------------------------------------------------- */
typedef enum RelKind { REL_TABLE, REL_INDEX } RelKind;

/* A catalog entry is versioned like a row: created by (xmin, cmin), dropped
 * by (xmax, cmax); xmax 0 = not dropped. */
typedef struct Relation {
    RelKind kind;
    uint32_t oid;
    const char *name;
    uint64_t xmin, xmax;
    uint32_t cmin, cmax;
    bool dead; /* its creation was undone or its drop reclaimed: free when unreferenced */
    struct Relation *next_by_name;
} Relation;

/* ---- index.c ----------------------------------------------------------------------- */
struct Index {
    Relation rel;
    Table *table;
    IndexDesc desc;
    uint16_t nullbytes; /* bytes of the entry's null bitmap (0: no nullable key column) */
    uint16_t esize;     /* entry: [null bitmap][key slots][rid] */
    bool int_keys;      /* integer key columns only, none nullable: raw comparisons */
    uint16_t *slot_off; /* per key column */
    uint8_t *slot_width;
    TypeId *types;
    BTree tree;
};

Index *index__create(Table *table, const IndexDesc *desc, uint32_t oid);
void index__free(Index *ix);
/* The entry of a version's key (borrowing its strings; index__own copies
 * long ones before the entry enters the tree). Returns false if the key
 * has a NULL and the index is unique (never checked). */
void index__entry_of(const Index *ix, const Row *r, RowId rid, uint8_t *e);
bool index__entry_has_null(const Index *ix, const uint8_t *e);
bool index__same_key(const Index *ix, const uint8_t *a, const uint8_t *b);
void index__add(Index *ix, const Row *r, RowId rid);
/* Removes (key of r, rid) unless a version in `keep` (a chain) has that key. */
void index__remove_unless_kept(Index *ix, const Row *r, RowId rid, const Row *keep);
/* Values of a key entry's columns, for error messages. */
void index__key_text(const Index *ix, const uint8_t *e, StrBuf *names, StrBuf *values);

/* ---- table.c ---------------------------------------------------------------------- */
struct Table {
    Relation rel;
    Storage *storage;
    TableDesc desc;
    RowLayout layout;
    RowHeap heap;
    Row **slots;    /* newest version of each row; NULL: a free slot */
    uint64_t *used; /* bitmap of non-free slots: scans skip free ones by the word */
    RowId nslots, cap_slots;
    RowId *free_rids;
    size_t nfree, cap_free;
    Index **indexes; /* every index with a tree (also uncommitted and dropped ones) */
    int nindexes, cap_indexes;
    Index *pk;
    bool *key_col; /* columns of some unique index: changing one is a key update */
    int lock_count[TLOCK_NMODES];
    int refs;         /* transactions and committed change sets that may still touch it */
    uint64_t changed; /* catalog_version at the last DDL on it or its indexes (storage_table_changed) */
};

Table *table__create(Storage *s, const TableDesc *desc, uint32_t oid);
void table__free(Table *t);
void table__release(Table *t); /* one reference less; frees a dead table at 0 */
RowId table__alloc_rid(Table *t);
void table__free_rid(Table *t, RowId rid);
void table__free_chain(Table *t, RowId rid);
StorageStatus table__check_unique(const Index *ix, Txn *t, const Row *v, RowId self, Error *err);
void table__attach_index(Table *t, Index *ix);
void table__detach_index(Table *t, Index *ix);
/* The version of a chain visible to t (S1), or NULL. A SERIALIZABLE
 * reader records a conflict out to the makers of versions it passes over;
 * if that fails: NULL with err set. */
const Row *table__visible(Txn *t, const Row *head, Error *err);

/* ---- txn.c: the store and its transactions ---------------------------------------- */
typedef struct Change {
    uint8_t kind;       /* StorageChangeKind */
    uint8_t prev_modes; /* ROW_LOCK / TABLE_LOCK: the modes held before */
    RowId rid;
    void *obj;      /* Table (rows, tables, locks) or Index */
    Row *old, *new; /* the row images */
} Change;

struct StorageChangeSet {
    Change *items;
    size_t n, cap;
};

typedef struct TableHold {
    Table *table;
    uint8_t modes; /* bit per TableLockMode */
} TableHold;

#define TXN_MAX_BLOCKERS 16

typedef struct SsiXact SsiXact;

struct Txn {
    Storage *storage;
    uint64_t id;           /* unique; what waiters wait for */
    uint64_t xid;          /* 0 until its first write or row lock */
    uint64_t snapshot_csn; /* sees commits with CSN <= this (S1) */
    bool has_snapshot;     /* holds back the reclaim horizon */
    uint32_t cid;          /* the current statement's command id */
    StorageIsolation iso;
    bool did_ddl;     /* its end changes the catalog version */
    bool read_only;   /* declared READ ONLY */
    bool brief;       /* ends in this engine turn unless it parks (storage_txn_set_brief) */
    bool waiting;     /* parked on its blockers */
    size_t stmt_mark; /* where the current statement's changes begin */
    StorageChangeSet changes;
    TableHold *holds; /* tables it has locked (and references) */
    int nholds, cap_holds;
    uint64_t blockers[TXN_MAX_BLOCKERS]; /* txn ids */
    int nblockers;
    void *owner;
    SsiXact *ssi;               /* SERIALIZABLE only */
    bool prepared;              /* storage_txn_prepare passed: it can only commit now */
    SsiXact *ssi_prepared;      /* its SSI record, ended at prepare, until the commit sets its CSN */
    Txn *prev, *next;           /* the registry of open transactions */
    Txn *snap_prev, *snap_next; /* the transactions holding a snapshot (has_snapshot) */
};

/* A committed change set waiting for the horizon (reclaim.c). */
typedef struct Committed {
    struct Committed *next;
    uint64_t xid, csn;
    StorageChangeSet changes;
    size_t done;
    Table **tables; /* references held until it is reclaimed */
    int ntables;
} Committed;

typedef struct SsiState SsiState;

struct Storage {
    U64Map xids; /* xid -> CSN + 1 (1 while open), for xids not yet retired */
    uint64_t next_xid, next_txn_id;
    uint64_t last_csn;
    Txn *spare_txns; /* ended ones, kept with their arrays for reuse */
    int nspare_txns;
    uint32_t next_oid;
    uint64_t catalog_version;
    Txn *open;      /* every open transaction */
    Txn *snapshots; /* those holding a snapshot: the reclaim horizon is their minimum */
    Committed *queue_head, *queue_tail;
    Relation **names; /* the catalog by name: chained buckets */
    size_t name_cap, nrelations;
    size_t tables_alive; /* created and not yet freed */
    U64Map oids;         /* oid -> Relation */
    U64Map rowlocks;     /* (table oid, rid) -> RowLockEntry */
    SsiState *ssi;
    void (*commit_hook)(void *ctx, const StorageChangeSet *cs, uint64_t csn);
    void *commit_hook_ctx;
};

/* S1 for one (xid, cid) stamp. An xid no longer in the map was retired: it
 * committed below every snapshot. */
static inline bool storage__stamp_visible(const Txn *t, uint64_t xid, uint32_t cid) {
    if (xid == t->xid) return cid < t->cid;
    uintptr_t v = (uintptr_t)map__get(&t->storage->xids, xid); /* CSN + 1; 1: in progress */
    if (!v) return true;
    return v != 1 && v - 1 <= t->snapshot_csn;
}

/* Whether the xid belongs to an open transaction; and which one. */
bool storage__xid_running(const Storage *s, uint64_t xid);
Txn *storage__xid_txn(const Storage *s, uint64_t xid);
/* Gives t an xid at its first write or row lock. */
void storage__xid_assign(Txn *t);
uint64_t storage__horizon(const Storage *s);
static inline void storage__catalog_changed(Txn *t) {
    t->storage->catalog_version++;
    t->did_ddl = true;
}
/* DDL on tb (or its indexes), done or undone: plans over it rebind. */
static inline void storage__table_changed(Txn *t, Table *tb) {
    storage__catalog_changed(t);
    tb->changed = t->storage->catalog_version;
}
/* At commit: every table t's DDL touched changes again for everyone. */
void storage__stamp_ddl_tables(Txn *t);
/* Records that t is blocked by `by` (for storage_txn_blockers). */
void storage__block_on(Txn *t, const Txn *by);

/* ---- changes.c ---------------------------------------------------------------------- */
void changes__push(Txn *t, StorageChangeKind kind, void *obj, RowId rid, Row *old, Row *new, uint8_t prev_modes);
/* Undoes t's changes from the last back to index `to` (S5). */
void changes__undo_to(Txn *t, size_t to);
void changes__deinit(StorageChangeSet *cs);

/* ---- locks.c --------------------------------------------------------------------------- */
uint8_t locks__row_modes(const Storage *s, const Table *table, RowId rid, const Txn *t);
void locks__row_set(Storage *s, Table *table, RowId rid, Txn *t, uint8_t modes);
/* The other transactions holding row locks that conflict with `mode`
 * (recorded as t's blockers); returns whether there are any. */
bool locks__row_conflicts(Txn *t, Table *table, RowId rid, RowLockMode mode);
void locks__release_row_locks(Txn *t);
void locks__table_set(Txn *t, Table *table, uint8_t modes);
void locks__release_table_locks(Txn *t);
uint8_t locks__table_modes(const Txn *t, const Table *table);

/* ---- reclaim.c ------------------------------------------------------------------------ */
void reclaim__enqueue(Storage *s, Txn *t, uint64_t csn);
void reclaim__drain_all(Storage *s); /* at storage_destroy */

/* ---- catalog.c ------------------------------------------------------------------------ */
void catalog__add(Storage *s, Relation *r);
void catalog__remove(Storage *s, Relation *r);
void catalog__free_all(Storage *s);
/* Frees a relation whose creation was undone or whose drop was reclaimed. */
void catalog__relation_dead(Storage *s, Relation *r);
/* Entries for every version of every row of the table. */
void catalog__fill_index(Table *tb, Index *ix);

/* ---- ssi.c --------------------------------------------------------------------------------- */
void ssi__begin(Txn *t);
void ssi__set_read_only(Txn *t);
void ssi__xid_assigned(Txn *t);
/* SIREAD locks: a table (scans), a row, an index key (equality lookups). */
void ssi__read_table(Txn *t, Table *table);
void ssi__read_row(Txn *t, Table *table, RowId rid);
void ssi__read_key(Txn *t, Index *ix, const Value *keys);
/* t met a version made by writer_xid that its snapshot does not see. */
bool ssi__conflict_out(Txn *t, uint64_t writer_xid, Error *err);
/* t writes row rid of table (new version v, NULL for a delete). */
bool ssi__check_write(Txn *t, Table *table, RowId rid, const Row *v, Error *err);
bool ssi__doomed_check(Txn *t, Error *err);
bool ssi__precommit(Txn *t, Error *err);
/* Returns the record a commit keeps (NULL for an abort). */
SsiXact *ssi__end(Txn *t, bool committed, uint64_t csn);
void ssi__set_commit_csn(Storage *s, SsiXact *x, uint64_t csn);
#define CSN_PENDING UINT64_MAX /* prepared, not yet visible */
void ssi__destroy(Storage *s);

#endif
