/*
 * txn.c — the store and its transactions: ids and xids, snapshots, command
 * ids, statements, savepoints, commit and abort, and the registry of open
 * transactions that gives the reclaim horizon and lets the engine find a
 * transaction's owner.
 *
 *        storage_txn_begin           storage_txn_prepare         storage_txn_commit
 *   (none) ──────────────▶ IN PROGRESS ───────────────▶ PREPARED ───────────────▶ COMMITTED (CSN n)
 *                              │                          │  (its WAL record         │ reclaimed (S6)
 *                              └── storage_txn_abort ─────┴─▶ gone  is durable)      ▼
 *                                  (undone at once, S5)                            RETIRED
 *
 * PREPARED is the group-commit wait: the change set is final (the engine
 * logs it) but to everyone else the transaction is still in progress, its
 * versions invisible and its locks held, so nobody reads what a crash
 * could take back. storage_txn_commit prepares by itself when asked
 * directly (synchronous_commit off, read-only transactions).
 *
 * The xid registry maps each xid not yet retired to its state: open, or
 * committed with its CSN. A commit is one store into it, which makes every
 * version stamped with the xid visible at once to snapshots taken
 * afterwards. An abort undoes the transaction's versions, so the xid is
 * simply forgotten; a committed xid is forgotten (retired) once reclaiming
 * has passed its change set, when every snapshot sees it. So the registry
 * holds open transactions and commits not yet below the horizon, however
 * many transactions have run.
 *
 * INTERFACE: storage_create, storage_destroy, storage_catalog_version, storage_table_changed,
 *   storage_set_commit_hook, storage_txn_begin, storage_txn_statement_begin,
 *   storage_txn_statement_end, storage_txn_statement_undo,
 *   storage_txn_savepoint, storage_txn_rollback_to, storage_txn_prepare,
 *   storage_txn_changes, storage_txn_wrote, storage_txn_commit,
 *   storage_txn_abort, storage_txn_xid, storage_txn_id,
 *   storage_txn_isolation, storage_txn_blockers, storage_txn_set_owner,
 *   storage_txn_owner, storage_txn_by_id
 * INTERFACE (storage-internal): storage__xid_running, storage__xid_txn,
 *   storage__xid_assign, storage__horizon, storage__block_on
 */
#include "storage/storage_int.h"

#include <stdlib.h>

Storage *storage_create(void) {
    Storage *s = calloc(1, sizeof *s);
    if (!s) abort();
    map__init(&s->xids);
    map__init(&s->oids);
    map__init(&s->rowlocks);
    s->next_xid = 1;     /* xid 0 means "none" */
    s->next_oid = 16384; /* PostgreSQL's first user OID */
    return s;
}

void storage_destroy(Storage *s) {
    if (!s) return;
    while (s->open) storage_txn_abort(s->open);
    reclaim__drain_all(s);
    catalog__free_all(s);
    ssi__destroy(s);
    map__deinit(&s->xids);
    map__deinit(&s->oids);
    map__deinit(&s->rowlocks);
    while (s->spare_txns) {
        Txn *t = s->spare_txns;
        s->spare_txns = t->next;
        free(t->holds);
        changes__deinit(&t->changes);
        free(t);
    }
    free(s);
}

uint64_t storage_catalog_version(const Storage *s) { return s->catalog_version; }

uint64_t storage_table_changed(Storage *s, uint32_t oid) {
    Table *tb = storage_table_by_oid(s, oid);
    return tb ? tb->changed : UINT64_MAX;
}

void storage_set_commit_hook(Storage *s, void (*hook)(void *ctx, const StorageChangeSet *cs, uint64_t csn), void *ctx) {
    s->commit_hook = hook;
    s->commit_hook_ctx = ctx;
}

/* ---- the registry -------------------------------------------------------------------- */

bool storage__xid_running(const Storage *s, uint64_t xid) {
    return (uintptr_t)map__get(&s->xids, xid) == CSN_IN_PROGRESS + 1;
}

Txn *storage__xid_txn(const Storage *s, uint64_t xid) {
    for (Txn *t = s->open; t; t = t->next)
        if (t->xid == xid) return t;
    return NULL;
}

void storage__xid_assign(Txn *t) {
    if (t->xid) return;
    t->xid = t->storage->next_xid++;
    map__put(&t->storage->xids, t->xid, (void *)(uintptr_t)(CSN_IN_PROGRESS + 1));
    if (t->ssi) ssi__xid_assigned(t);
}

/* The oldest snapshot still in use: versions superseded at or below it are
 * seen by nobody (S6). */
/* The horizon walks only the transactions that hold a snapshot: under READ
 * COMMITTED that is the one running a statement, while the open ones can
 * be many (every commit waiting for the disk, every idle block). */
uint64_t storage__horizon(const Storage *s) {
    uint64_t h = s->last_csn;
    for (const Txn *t = s->snapshots; t; t = t->snap_next)
        if (t->snapshot_csn < h) h = t->snapshot_csn;
    return h;
}

static void set_has_snapshot(Txn *t, bool has) {
    if (t->has_snapshot == has) return;
    Storage *s = t->storage;
    t->has_snapshot = has;
    if (has) {
        t->snap_prev = NULL;
        t->snap_next = s->snapshots;
        if (s->snapshots) s->snapshots->snap_prev = t;
        s->snapshots = t;
        return;
    }
    if (t->snap_prev)
        t->snap_prev->snap_next = t->snap_next;
    else
        s->snapshots = t->snap_next;
    if (t->snap_next) t->snap_next->snap_prev = t->snap_prev;
    t->snap_prev = t->snap_next = NULL;
}

void storage__block_on(Txn *t, const Txn *by) {
    if (!by || t->nblockers == TXN_MAX_BLOCKERS) return;
    for (int i = 0; i < t->nblockers; i++)
        if (t->blockers[i] == by->id) return;
    t->blockers[t->nblockers++] = by->id;
}

/* The open transactions are few (one per session): a walk is enough. */
Txn *storage_txn_by_id(const Storage *s, uint64_t id) {
    for (Txn *t = s->open; t; t = t->next)
        if (t->id == id) return t;
    return NULL;
}
void storage_txn_set_owner(Txn *t, void *owner) { t->owner = owner; }
void *storage_txn_owner(const Txn *t) { return t->owner; }
uint64_t storage_txn_xid(const Txn *t) { return t->xid; }
uint64_t storage_txn_id(const Txn *t) { return t->id; }
StorageIsolation storage_txn_isolation(const Txn *t) { return t->iso; }

void storage_txn_set_brief(Txn *t, bool brief) { t->brief = brief; }

void storage_txn_catalog_changed(Txn *t) { storage__catalog_changed(t); }

void storage_txn_declare_read_only(Txn *t) {
    t->read_only = true;
    if (t->ssi) ssi__set_read_only(t);
}

bool storage_txn_set_isolation(Txn *t, StorageIsolation iso) {
    if (t->cid > 0) return false;
    t->iso = iso;
    return true;
}

int storage_txn_blockers(const Txn *t, uint64_t *ids, int max) {
    int n = t->nblockers < max ? t->nblockers : max;
    memcpy(ids, t->blockers, (size_t)n * sizeof *ids);
    return n;
}

/* ---- beginning and statements -------------------------------------------------------- */

/* Transactions are recycled with their arrays, so that a short one costs
 * no allocation (a point query is one). */
#define SPARE_TXNS 16

static Txn *txn_alloc(Storage *s) {
    Txn *t = s->spare_txns;
    if (!t) {
        if (!(t = calloc(1, sizeof *t))) abort();
        return t;
    }
    s->spare_txns = t->next;
    s->nspare_txns--;
    TableHold *holds = t->holds;
    int cap_holds = t->cap_holds;
    StorageChangeSet changes = t->changes;
    memset(t, 0, sizeof *t);
    t->holds = holds;
    t->cap_holds = cap_holds;
    t->changes = changes;
    t->changes.n = 0;
    return t;
}

static void txn_free(Storage *s, Txn *t) {
    if (s->nspare_txns < SPARE_TXNS) {
        t->next = s->spare_txns;
        s->spare_txns = t;
        s->nspare_txns++;
        return;
    }
    free(t->holds);
    changes__deinit(&t->changes);
    free(t);
}

Txn *storage_txn_begin(Storage *s, StorageIsolation iso) {
    Txn *t = txn_alloc(s);
    t->storage = s;
    t->id = ++s->next_txn_id;
    t->iso = iso;
    t->next = s->open;
    if (s->open) s->open->prev = t;
    s->open = t;
    return t;
}

/* READ COMMITTED: a snapshot per statement; the others: one, at the first
 * statement (as PostgreSQL takes it). */
void storage_txn_statement_begin(Txn *t) {
    t->cid++;
    t->stmt_mark = t->changes.n;
    t->nblockers = 0;
    if (t->iso == ISO_READ_COMMITTED || !t->has_snapshot) {
        t->snapshot_csn = t->storage->last_csn;
        if (t->iso == ISO_SERIALIZABLE && !t->has_snapshot) {
            ssi__begin(t);
            if (t->read_only) ssi__set_read_only(t);
        }
        set_has_snapshot(t, true);
    }
}

void storage_txn_statement_end(Txn *t) {
    if (t->iso == ISO_READ_COMMITTED) set_has_snapshot(t, false);
}

void storage_txn_statement_undo(Txn *t) { changes__undo_to(t, t->stmt_mark); }

StorageSavepoint storage_txn_savepoint(Txn *t) {
    StorageSavepoint sp = {t->changes.n};
    return sp;
}

void storage_txn_rollback_to(Txn *t, StorageSavepoint sp) {
    changes__undo_to(t, sp.changes);
    if (t->stmt_mark > sp.changes) t->stmt_mark = sp.changes;
}

/* ---- ending ---------------------------------------------------------------------------- */

static void unregister(Txn *t) {
    Storage *s = t->storage;
    set_has_snapshot(t, false);
    if (t->prev)
        t->prev->next = t->next;
    else
        s->open = t->next;
    if (t->next) t->next->prev = t->prev;
    if (t->did_ddl) s->catalog_version++;
    t->nholds = 0;
    txn_free(s, t);
}

bool storage_txn_wrote(const Txn *t) {
    for (size_t i = 0; i < t->changes.n; i++)
        if (t->changes.items[i].kind != CHANGE_ROW_LOCK && t->changes.items[i].kind != CHANGE_TABLE_LOCK) return true;
    return false;
}

const StorageChangeSet *storage_txn_changes(const Txn *t) { return &t->changes; }

bool storage_txn_prepare(Txn *t, Error *err) {
    if (t->prepared) return true;
    if (t->ssi) {
        if (!ssi__precommit(t, err)) return false;
        t->ssi_prepared = ssi__end(t, true, CSN_PENDING);
    }
    t->prepared = true;
    return true;
}

bool storage_txn_commit(Txn *t, uint64_t *csn_out, Error *err) {
    Storage *s = t->storage;
    if (!storage_txn_prepare(t, err)) return false;
    uint64_t csn = s->last_csn;
    if (t->xid) csn = ++s->last_csn;
    locks__release_row_locks(t);
    locks__release_table_locks(t);
    bool wrote = storage_txn_wrote(t);
    if (t->xid) map__put(&s->xids, t->xid, (void *)(uintptr_t)(csn + 1));
    if (t->ssi_prepared) ssi__set_commit_csn(s, t->ssi_prepared, csn);
    if (t->did_ddl) storage__stamp_ddl_tables(t);
    if (wrote) {
        if (s->commit_hook) s->commit_hook(s->commit_hook_ctx, &t->changes, csn);
        reclaim__enqueue(s, t, csn); /* takes the change set and the table references */
    } else {
        /* Only locks: no version carries the xid, so it retires now. */
        if (t->xid) map__remove(&s->xids, t->xid);
        for (int i = 0; i < t->nholds; i++) table__release(t->holds[i].table);
    }
    if (csn_out) *csn_out = csn;
    unregister(t);
    return true;
}

/* Undoing the whole change set also gives back every lock, table locks
 * (and with them the table references) included. */
void storage_txn_abort(Txn *t) {
    changes__undo_to(t, 0); /* S5 */
    if (t->xid) map__remove(&t->storage->xids, t->xid);
    if (t->ssi) ssi__end(t, false, 0);
    /* A prepared one whose record could not be made durable: its SSI
     * record counts as a commit that nobody saw. */
    if (t->ssi_prepared) ssi__set_commit_csn(t->storage, t->ssi_prepared, t->storage->last_csn);
    unregister(t);
}
