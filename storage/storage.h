/*
 * storage.h — values and types, tables of row versions in memory, MVCC,
 * transactions and their change sets, row and table locks, ordered
 * indexes, serializable snapshot isolation, reclaiming of dead versions,
 * and the catalog of tables and indexes.
 *
 * storage knows no SQL text and no sockets. Everything here runs on the
 * engine thread, so nothing in it takes locks of its own (DESIGN.md,
 * Threads); "locks" below are the transactional row and table locks SQL
 * users see. storage never waits: a request that meets another open
 * transaction's lock returns STORAGE_BUSY with nothing changed, and the
 * engine parks the statement (undoing it with storage_txn_statement_undo)
 * until one of the blockers ends.
 *
 * INTERFACE
 *   types, values: type_info, type_by_name, value_from_text, value_to_text,
 *                 value_from_binary, value_to_binary, value_has_binary,
 *                 value_compare, value_equal, value_hash, value_apply_typmod
 *   the store:    storage_create, storage_destroy, storage_catalog_version,
 *                 storage_table_changed,
 *                 storage_reclaim, storage_reclaim_pending, storage_vacuum,
 *                 storage_set_commit_hook
 *   transactions: storage_txn_begin, storage_txn_statement_begin,
 *                 storage_txn_statement_end, storage_txn_statement_undo,
 *                 storage_txn_savepoint, storage_txn_rollback_to,
 *                 storage_txn_prepare, storage_txn_wrote, storage_txn_changes,
 *                 storage_txn_commit, storage_txn_abort, storage_txn_xid,
 *                 storage_txn_isolation, storage_txn_id,
 *                 storage_txn_catalog_changed,
 *                 storage_txn_blockers, storage_txn_set_owner,
 *                 storage_txn_owner, storage_txn_by_id,
 *                 storage_txn_wait_begin, storage_txn_wait_end,
 *                 storage_deadlock_find
 *   change sets:  storage_changes_count, storage_change_get, storage_row_image
 *   restoring:    storage_table_by_oid, storage_restore_table,
 *                 storage_restore_index, storage_restore_drop,
 *                 storage_restore_row, storage_restore_row_delete,
 *                 storage_restore_counters, storage_restore_finish,
 *                 storage_next_xid, storage_next_oid, storage_tables,
 *                 storage_index_oid
 *   catalog:      storage_table_create, storage_table_drop,
 *                 storage_table_lookup, storage_table_desc, storage_table_oid,
 *                 storage_table_lock, storage_index_create,
 *                 storage_index_drop, storage_index_lookup,
 *                 storage_index_desc, storage_index_table,
 *                 storage_table_nindexes, storage_table_index,
 *                 storage_relation_exists
 *   rows:         storage_scan_begin, storage_scan_next,
 *                 storage_index_scan_begin, storage_index_scan_next,
 *                 storage_row_get, storage_row_decode, storage_row_insert,
 *                 storage_row_update, storage_row_delete, storage_row_lock
 *
 * Transactions (MVCC). A row is a chain of versions reached through its
 * row id (RowId, a slot of its table that never changes while the row
 * exists), newest first. A version records only its creator (xid, command
 * id); the next newer version ends it, and a delete pushes a tombstone.
 * A snapshot is the commit sequence number (CSN) of the newest commit it
 * sees. Invariants (tests cite them as storage-S<n>):
 *   S1. The version of a row visible to T is the newest one whose creator
 *       is T with cmin < T's current command id, or committed with CSN <=
 *       T's snapshot; the row is invisible if that version is a tombstone
 *       or there is none.
 *   S2. A chain only grows at its head, and only by a transaction that
 *       holds the row: the head's creator is committed or is that
 *       transaction. So creators along a chain are in commit order and a
 *       scan returns each row at most once.
 *   S3. A transaction that wants a row another open transaction has
 *       written or locked in a conflicting mode gets STORAGE_BUSY and
 *       changes nothing.
 *   S4. A statement never sees its own writes (cmin == current command id
 *       is invisible), which avoids the Halloween problem in UPDATE.
 *   S5. An aborted transaction leaves no version behind: abort, statement
 *       undo and ROLLBACK TO undo the change set in reverse at once.
 *   S6. A version is freed only once no snapshot can see it: when the
 *       commit that superseded it is at or below every open snapshot (the
 *       reclaim horizon). A version whose creator is below the horizon
 *       loses its stamps (is frozen) and reads as visible to everyone.
 */
#ifndef STRAND_STORAGE_H
#define STRAND_STORAGE_H

#include "common/common.h"
#include "types/types.h"

/* ---- the catalog ------------------------------------------------------------ */
typedef struct ColumnDesc {
    char *name;
    TypeId type;
    int32_t typmod; /* -1: none; varchar(n): n + 4, as in PostgreSQL */
    bool not_null;
} ColumnDesc;

typedef struct TableDesc {
    char *name;
    int ncols;
    ColumnDesc *cols;
    int npkey;       /* 0: no primary key */
    int *pkey;       /* column indexes, in key order */
    char *pkey_name; /* constraint name: <table>_pkey */
} TableDesc;

/* An ordered (B+tree) index on some columns of a table. */
typedef struct IndexDesc {
    char *name;
    int ncols;
    int *cols;         /* table column indexes, in key order */
    bool *desc;        /* per key column: descending */
    bool *nulls_first; /* per key column: NULLs before other values */
    bool unique;
    bool primary;    /* the table's primary key (created with the table) */
    bool constraint; /* made by a UNIQUE or PRIMARY KEY constraint */
} IndexDesc;

typedef struct Storage Storage;
typedef struct Txn Txn;
typedef struct Table Table;
typedef struct Index Index;
typedef struct Row Row; /* one packed row version; read it with storage_row_get */
typedef struct StorageChangeSet StorageChangeSet;
typedef uint32_t RowId; /* a row's slot in its table */

typedef enum StorageIsolation { ISO_READ_COMMITTED, ISO_REPEATABLE_READ, ISO_SERIALIZABLE } StorageIsolation;

typedef enum StorageStatus {
    STORAGE_OK = 0,
    STORAGE_ERROR, /* err is set */
    STORAGE_BUSY,  /* blocked by another open transaction (S3); see storage_txn_blockers */
    STORAGE_SKIP,  /* the row was skipped (SKIP LOCKED, or already changed by this statement) */
} StorageStatus;

Storage *storage_create(void);
void storage_destroy(Storage *s);
/* Changes whenever the tables or indexes some transaction may see change
 * (DDL, and the commit or abort of a transaction that did DDL): a plan
 * bound under one version stays valid while it holds. */
uint64_t storage_catalog_version(const Storage *s);
/* The catalog version of the last DDL on the table (or its indexes), made,
 * undone or committed; UINT64_MAX for a table that is gone. A plan bound at
 * catalog version v over it stays good while this is at most v. */
uint64_t storage_table_changed(Storage *s, uint32_t oid);

/* What the store holds, for tests and monitoring. */
typedef struct StorageStats {
    size_t row_bytes;     /* row versions, in every table's heap */
    size_t row_versions;  /* versions in every chain */
    size_t rows;          /* row slots in use */
    size_t index_entries; /* entries in every index */
    size_t relations;     /* tables and indexes in the catalog */
    size_t tables_alive;  /* tables not yet freed (dropped ones included until reclaimed) */
    size_t xids;          /* xids in the registry: open or committed and not yet retired */
    size_t open_txns;
    size_t queued_commits; /* committed change sets waiting for the horizon */
    size_t row_locks;      /* rows with row locks */
} StorageStats;
void storage_stats(const Storage *s, StorageStats *out);

/* ---- reclaiming (S6) --------------------------------------------------------
 * Committed change sets wait in commit order until the horizon passes them;
 * then the versions they superseded are freed, their new versions frozen,
 * deleted rows leave the indexes and dropped tables are freed. */
/* Does up to `budget` units of that work; returns whether more is ready. */
bool storage_reclaim(Storage *s, size_t budget);
/* Whether storage_reclaim has work it can do now. */
bool storage_reclaim_pending(const Storage *s);
/* VACUUM: everything reclaimable now, and frozen every row whose creator is
 * below the horizon (table NULL: all tables). Returns versions freed. */
size_t storage_vacuum(Storage *s, Table *table);

/* ---- transactions ---------------------------------------------------------- */
Txn *storage_txn_begin(Storage *s, StorageIsolation iso);
/* Before each statement: a new command id and, in READ COMMITTED, a new
 * snapshot; marks where the statement's changes begin. */
void storage_txn_statement_begin(Txn *t);
/* After each statement: a READ COMMITTED transaction holds no snapshot
 * between statements (so it does not hold back reclaiming). */
void storage_txn_statement_end(Txn *t);
/* Undoes the current statement's changes and locks (S5), e.g. before a
 * parked statement re-runs. */
void storage_txn_statement_undo(Txn *t);

/* Savepoints: a mark in the change set. Rolling back to it undoes every
 * change and lock taken since (S5); marks taken after it become invalid.
 * SERIALIZABLE read locks stay, as PostgreSQL keeps them. */
typedef struct StorageSavepoint {
    size_t changes;
} StorageSavepoint;
StorageSavepoint storage_txn_savepoint(Txn *t);
void storage_txn_rollback_to(Txn *t, StorageSavepoint sp);

/* Ends and frees the transaction. Fails only for SERIALIZABLE (40001
 * "could not serialize access due to read/write dependencies among
 * transactions"), after which the caller must abort it. Returns the
 * commit's CSN (a read-only transaction: the CSN it saw last). */
bool storage_txn_commit(Txn *t, uint64_t *csn, Error *err);
/* Group commit (DESIGN.md, Transactions): a transaction that wrote ends in
 * two steps. storage_txn_prepare is the last check that can fail (40001,
 * SERIALIZABLE); from then on the change set is final and the transaction
 * can only commit or, if its WAL record cannot be made durable, abort.
 * Until storage_txn_commit it stays in progress for everyone else: its
 * versions invisible, its locks held. */
bool storage_txn_prepare(Txn *t, Error *err);
/* Whether it changed something (rows or the catalog), locks aside: only
 * such a commit is logged. */
bool storage_txn_wrote(const Txn *t);
const StorageChangeSet *storage_txn_changes(const Txn *t);
void storage_txn_abort(Txn *t);
uint64_t storage_txn_xid(const Txn *t); /* 0 before the first write or row lock */
StorageIsolation storage_txn_isolation(const Txn *t);
/* SET TRANSACTION ISOLATION LEVEL: false once t took its first snapshot. */
bool storage_txn_set_isolation(Txn *t, StorageIsolation iso);
/* t changed a catalog kept in rows above storage (procedures): plans
 * bound before are stale now, and again when t ends (as after DDL). */
void storage_txn_catalog_changed(Txn *t);
/* BEGIN READ ONLY: a SERIALIZABLE reader known not to write conflicts less. */
void storage_txn_declare_read_only(Txn *t);
/* An implicit transaction that will end in the same turn of the engine
 * (unless a statement parks) takes no ACCESS SHARE table locks: nobody
 * could ever see them. The engine clears it when a statement parks. */
void storage_txn_set_brief(Txn *t, bool brief);
/* Every transaction has an id, unique for the life of the store (its xid,
 * for MVCC stamps, comes only with its first write). After STORAGE_BUSY:
 * the ids of the transactions t waits for; any of them ending may release
 * it. Returns how many (at most max). */
uint64_t storage_txn_id(const Txn *t);
int storage_txn_blockers(const Txn *t, uint64_t *ids, int max);

/* The transaction registry, for the engine's lock waits: an owner (the
 * session) per transaction, found again by id while it runs. */
void storage_txn_set_owner(Txn *t, void *owner);
void *storage_txn_owner(const Txn *t);
Txn *storage_txn_by_id(const Storage *s, uint64_t id); /* NULL once it ended */
/* t is parked on its blockers (for deadlock detection) / no longer. */
void storage_txn_wait_begin(Txn *t);
void storage_txn_wait_end(Txn *t);
/* Looks for a cycle of parked transactions through t. Fills cycle[] with
 * the transactions along it, starting at t, each waiting for the next;
 * returns its length, 0 if none. */
int storage_deadlock_find(Txn *t, Txn **cycle, int max);

/* Called at every commit that changed something, as it becomes visible,
 * with the committed change set (SUBSCRIBE will read it there; the WAL
 * logs it earlier, at prepare, through storage_txn_changes). The change
 * set and its row versions stay valid while the hook runs. */
void storage_set_commit_hook(Storage *s, void (*hook)(void *ctx, const StorageChangeSet *cs, uint64_t csn), void *ctx);

/* ---- change sets -----------------------------------------------------------
 * A transaction's changes in the order it made them. Row images are
 * versions: decode them with storage_row_decode. */
typedef enum StorageChangeKind {
    CHANGE_INSERT,       /* new */
    CHANGE_UPDATE,       /* old -> new */
    CHANGE_DELETE,       /* old */
    CHANGE_ROW_LOCK,     /* a row lock taken (no image) */
    CHANGE_TABLE_CREATE, /* table */
    CHANGE_TABLE_DROP,   /* table */
    CHANGE_INDEX_CREATE, /* index */
    CHANGE_INDEX_DROP,   /* index */
    CHANGE_TABLE_LOCK,   /* a table lock taken (no image) */
} StorageChangeKind;

typedef struct StorageChange {
    StorageChangeKind kind;
    Table *table;
    Index *index;
    RowId rid;
    const Row *old_row, *new_row;
} StorageChange;

size_t storage_changes_count(const StorageChangeSet *cs);
StorageChange storage_change_get(const StorageChangeSet *cs, size_t i);

/* A version's image, for the WAL and snapshots: its flags (ROW_IMAGE_NULLS
 * only) and its packed columns (row.c), *len bytes at the result. */
#define ROW_IMAGE_NULLS 0x10
const uint8_t *storage_row_image(const Table *table, const Row *row, size_t *len, uint8_t *flags);

/* ---- restoring (recovery) ------------------------------------------------------
 * Loading a snapshot and replaying the WAL rebuild the committed state
 * directly, before the store serves: no transactions; every catalog entry
 * and row version restored is frozen (visible to all). Each call is
 * idempotent in what it names (an OID, a row id): it sets that object to
 * the given state, so replaying records whose effect a snapshot already
 * holds converges to the same state. Unique keys are not checked (a replay
 * may pass through states that duplicate one for a moment). */
Table *storage_table_by_oid(Storage *s, uint32_t oid);
Table *storage_restore_table(Storage *s, uint32_t oid, const TableDesc *desc);
/* Errors: XX001 for an unknown table or a malformed description. */
bool storage_restore_index(Storage *s, uint32_t table_oid, uint32_t oid, const IndexDesc *desc, Error *err);
void storage_restore_drop(Storage *s, uint32_t oid); /* a table (with its indexes) or an index */
/* Errors: XX001 if the image does not fit the table's columns. */
bool storage_restore_row(Table *table, RowId rid, uint8_t flags, const uint8_t *image, size_t len, Error *err);
void storage_restore_row_delete(Table *table, RowId rid);
/* Counters continue above what was restored: xids, OIDs. */
void storage_restore_counters(Storage *s, uint64_t next_xid, uint32_t next_oid);
uint64_t storage_next_xid(const Storage *s);
uint32_t storage_next_oid(const Storage *s);
/* After the last restore call: row ids freed while restoring become reusable. */
void storage_restore_finish(Storage *s);
/* The tables visible to t, up to max of them; returns how many there are. */
size_t storage_tables(Storage *s, Txn *t, Table **out, size_t max);
uint32_t storage_index_oid(const Index *index);

/* ---- tables and indexes -------------------------------------------------------- */
/* Creates a table (and its primary-key index) visible to t from its next
 * statement and to others when t commits; *out (if not NULL) is it. desc
 * is copied. Errors: 42P07 relation "x" already exists. */
bool storage_table_create(Storage *s, Txn *t, const TableDesc *desc, Table **out, Error *err);
/* The table of that name visible to t, or NULL. */
Table *storage_table_lookup(Storage *s, Txn *t, const char *name);
/* Whether a table or index of that name exists or may exist once an open
 * transaction ends (relation names share one namespace). */
bool storage_relation_exists(Storage *s, Txn *t, const char *name);
/* Takes ACCESS EXCLUSIVE on the table (BUSY while others use it). */
StorageStatus storage_table_drop(Storage *s, Txn *t, Table *table, Error *err);
const TableDesc *storage_table_desc(const Table *table);
uint32_t storage_table_oid(const Table *table);

/* Table locks, PostgreSQL's modes (its conflict table), held until the
 * transaction ends: SELECT takes ACCESS SHARE, SELECT ... FOR ... ROW
 * SHARE, writes ROW EXCLUSIVE, CREATE INDEX SHARE, DROP ACCESS EXCLUSIVE. */
typedef enum TableLockMode {
    TLOCK_ACCESS_SHARE,
    TLOCK_ROW_SHARE,
    TLOCK_ROW_EXCLUSIVE,
    TLOCK_SHARE,
    TLOCK_ACCESS_EXCLUSIVE,
    TLOCK_NMODES
} TableLockMode;
StorageStatus storage_table_lock(Table *table, Txn *t, TableLockMode mode);

/* Builds an index over the table's rows (taking SHARE on the table).
 * Errors: 42P07 relation "x" already exists; 23505 could not create unique
 * index "x" (DETAIL Key (a)=(1) is duplicated.). BUSY while a duplicate's
 * fate depends on an open transaction. */
StorageStatus storage_index_create(Storage *s, Txn *t, Table *table, const IndexDesc *desc, Error *err);
Index *storage_index_lookup(Storage *s, Txn *t, const char *name);
StorageStatus storage_index_drop(Storage *s, Txn *t, Index *index, Error *err);
const IndexDesc *storage_index_desc(const Index *index);
Table *storage_index_table(const Index *index);
/* The indexes of a table visible to t (the primary key first). */
int storage_table_nindexes(const Table *table, const Txn *t);
Index *storage_table_index(const Table *table, const Txn *t, int i);

/* ---- rows ------------------------------------------------------------------------ */
/* A column of a row version (strings point into the version, valid until
 * the statement ends), or all of them into out[ncols]. */
Value storage_row_get(const Table *table, const Row *row, int col);
void storage_row_decode(const Table *table, const Row *row, Value *out);

/* A sequential scan over the rows visible to t, in row-id order. Rows
 * created after it began are not visited. SERIALIZABLE scans take a
 * predicate lock on the table. */
typedef struct TableScan {
    Table *table;
    Txn *txn;
    RowId next, end;
} TableScan;
void storage_scan_begin(Table *table, Txn *t, TableScan *scan);
/* The next visible row (its version), or NULL at the end; *rid is its id.
 * NULL with err set: a SERIALIZABLE reader failed (40001). */
const Row *storage_scan_next(TableScan *scan, RowId *rid, Error *err);

/* An index scan: the rows whose key lies between two bounds, in index order
 * (or reversed). A bound is a prefix of the key (nkeys values, possibly
 * none: unbounded) and whether it is inclusive. Each visible row is
 * returned once, for the entry that matches its visible version. The scan
 * survives writes to the index between calls. */
#define STORAGE_INDEX_MAX_KEYS 32 /* PostgreSQL's INDEX_MAX_KEYS */
#define STORAGE_INDEX_ENTRY_MAX (4 + 16 * STORAGE_INDEX_MAX_KEYS + 4)
typedef struct IndexBound {
    const Value *keys;
    int nkeys;
    bool inclusive;
} IndexBound;
typedef struct IndexScan {
    Index *index;
    Txn *txn;
    IndexBound lo, hi;
    bool backward, started, done;
    void *leaf; /* the B+tree cursor: leaf, position, tree version, last entry */
    int pos;
    uint64_t version;
    uint8_t last[STORAGE_INDEX_ENTRY_MAX];
} IndexScan;
void storage_index_scan_begin(Index *index, Txn *t, const IndexBound *lo, const IndexBound *hi, bool backward,
                              IndexScan *scan);
const Row *storage_index_scan_next(IndexScan *scan, RowId *rid, Error *err);

/* Writes. values: one per column (strings are copied into storage).
 * Errors: 23502 not-null violation, 23505 duplicate key (with DETAIL), 40001
 * could not serialize access due to concurrent update (REPEATABLE READ and
 * SERIALIZABLE), and SERIALIZABLE's 40001. `seen` is the version the
 * statement read (from a scan or lookup in this statement). */
StorageStatus storage_row_insert(Table *table, Txn *t, const Value *values, Error *err);
StorageStatus storage_row_update(Table *table, Txn *t, RowId rid, const Row *seen, const Value *values, Error *err);
StorageStatus storage_row_delete(Table *table, Txn *t, RowId rid, const Row *seen, Error *err);

/* SELECT ... FOR <mode> [NOWAIT | SKIP LOCKED]. */
typedef enum RowLockMode { RLOCK_KEY_SHARE, RLOCK_SHARE, RLOCK_NO_KEY_UPDATE, RLOCK_UPDATE } RowLockMode;
typedef enum RowLockWait { RLOCK_WAIT, RLOCK_NOWAIT, RLOCK_SKIP_LOCKED } RowLockWait;
/* Errors: 55P03 could not obtain lock on row in relation "t" (NOWAIT);
 * 40001 as for updates. Returns STORAGE_SKIP for SKIP LOCKED. */
StorageStatus storage_row_lock(Table *table, Txn *t, RowId rid, const Row *seen, RowLockMode mode, RowLockWait wait,
                               Error *err);

#endif
