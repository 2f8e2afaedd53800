/*
 * locks.c — the transactional locks SQL users see: row locks (SELECT ...
 * FOR KEY SHARE | SHARE | NO KEY UPDATE | UPDATE) in a table keyed by
 * (table, row), table locks counted per table and listed per transaction,
 * and the wait-for graph that deadlock detection walks.
 *
 * A write does not enter the row-lock table: the newest version's creator
 * being open is the writer's lock (table.c, claim_row). Row locks are
 * recorded in the change set (CHANGE_ROW_LOCK, with the modes held before)
 * so that ROLLBACK TO SAVEPOINT gives them back; every lock goes when its
 * transaction ends.
 *
 * Conflicts are PostgreSQL's:
 *   row:   KEY SHARE x UPDATE; SHARE x NO KEY UPDATE, UPDATE;
 *          NO KEY UPDATE x SHARE, NO KEY UPDATE, UPDATE; UPDATE x all
 *   table: ACCESS SHARE x ACCESS EXCLUSIVE; ROW SHARE x ACCESS EXCLUSIVE;
 *          ROW EXCLUSIVE x SHARE, ACCESS EXCLUSIVE; SHARE x ROW EXCLUSIVE,
 *          ACCESS EXCLUSIVE; ACCESS EXCLUSIVE x all
 *
 * INTERFACE (storage-internal): locks__row_modes, locks__row_set,
 *   locks__row_conflicts, locks__release_row_locks, locks__table_set,
 *   locks__release_table_locks, locks__table_modes
 * INTERFACE: storage_table_lock, storage_txn_wait_begin,
 *   storage_txn_wait_end, storage_deadlock_find
 */
#include "storage/storage_int.h"

#include <stdlib.h>

/* ---- row locks ---------------------------------------------------------------------- */

typedef struct RowHolder {
    Txn *txn;
    uint8_t modes; /* bit per RowLockMode */
} RowHolder;

typedef struct RowLockEntry {
    int n, cap;
    RowHolder *holders;
} RowLockEntry;

static const uint8_t ROW_CONFLICTS[4] = {
    [RLOCK_KEY_SHARE] = 1u << RLOCK_UPDATE,
    [RLOCK_SHARE] = (1u << RLOCK_NO_KEY_UPDATE) | (1u << RLOCK_UPDATE),
    [RLOCK_NO_KEY_UPDATE] = (1u << RLOCK_SHARE) | (1u << RLOCK_NO_KEY_UPDATE) | (1u << RLOCK_UPDATE),
    [RLOCK_UPDATE] = 0xF,
};

static uint64_t row_key(const Table *table, RowId rid) { return ((uint64_t)table->rel.oid << 32) | rid; }

uint8_t locks__row_modes(const Storage *s, const Table *table, RowId rid, const Txn *t) {
    const RowLockEntry *e = map__get(&s->rowlocks, row_key(table, rid));
    for (int i = 0; e && i < e->n; i++)
        if (e->holders[i].txn == t) return e->holders[i].modes;
    return 0;
}

void locks__row_set(Storage *s, Table *table, RowId rid, Txn *t, uint8_t modes) {
    uint64_t key = row_key(table, rid);
    RowLockEntry *e = map__get(&s->rowlocks, key);
    if (!e) {
        if (!modes) return;
        if (!(e = calloc(1, sizeof *e))) abort();
        map__put(&s->rowlocks, key, e);
    }
    int i = 0;
    while (i < e->n && e->holders[i].txn != t) i++;
    if (i == e->n) {
        if (!modes) return;
        if (e->n == e->cap) {
            e->cap = e->cap ? e->cap * 2 : 2;
            RowHolder *h = realloc(e->holders, (size_t)e->cap * sizeof *h);
            if (!h) abort();
            e->holders = h;
        }
        e->holders[e->n++] = (RowHolder){t, modes};
        return;
    }
    if (modes) {
        e->holders[i].modes = modes;
        return;
    }
    e->holders[i] = e->holders[--e->n];
    if (e->n) return;
    map__remove(&s->rowlocks, key);
    free(e->holders);
    free(e);
}

bool locks__row_conflicts(Txn *t, Table *table, RowId rid, RowLockMode mode) {
    const RowLockEntry *e = map__get(&t->storage->rowlocks, row_key(table, rid));
    bool any = false;
    for (int i = 0; e && i < e->n; i++) {
        if (e->holders[i].txn == t || !(e->holders[i].modes & ROW_CONFLICTS[mode])) continue;
        storage__block_on(t, e->holders[i].txn);
        any = true;
    }
    return any;
}

void locks__release_row_locks(Txn *t) {
    for (size_t i = 0; i < t->changes.n; i++) {
        const Change *c = &t->changes.items[i];
        if (c->kind == CHANGE_ROW_LOCK) locks__row_set(t->storage, c->obj, c->rid, t, 0);
    }
}

/* ---- table locks ------------------------------------------------------------------------ */

#define TBIT(m) (1u << (m))
static const uint8_t TABLE_CONFLICTS[TLOCK_NMODES] = {
    [TLOCK_ACCESS_SHARE] = TBIT(TLOCK_ACCESS_EXCLUSIVE),
    [TLOCK_ROW_SHARE] = TBIT(TLOCK_ACCESS_EXCLUSIVE),
    [TLOCK_ROW_EXCLUSIVE] = TBIT(TLOCK_SHARE) | TBIT(TLOCK_ACCESS_EXCLUSIVE),
    [TLOCK_SHARE] = TBIT(TLOCK_ROW_EXCLUSIVE) | TBIT(TLOCK_ACCESS_EXCLUSIVE),
    [TLOCK_ACCESS_EXCLUSIVE] = 0x1F,
};

static TableHold *find_hold(const Txn *t, const Table *table) {
    for (int i = 0; i < t->nholds; i++)
        if (t->holds[i].table == table) return &t->holds[i];
    return NULL;
}

uint8_t locks__table_modes(const Txn *t, const Table *table) {
    const TableHold *h = find_hold(t, table);
    return h ? h->modes : 0;
}

static void count_modes(Table *table, uint8_t modes, int delta) {
    for (int m = 0; m < TLOCK_NMODES; m++)
        if (modes & TBIT(m)) table->lock_count[m] += delta;
}

/* Sets t's modes on the table; a transaction keeps a reference to every
 * table it holds a lock on (so a dropped table outlives its users). */
void locks__table_set(Txn *t, Table *table, uint8_t modes) {
    TableHold *h = find_hold(t, table);
    if (!h) {
        if (!modes) return;
        if (t->nholds == t->cap_holds) {
            t->cap_holds = t->cap_holds ? t->cap_holds * 2 : 4;
            TableHold *p = realloc(t->holds, (size_t)t->cap_holds * sizeof *p);
            if (!p) abort();
            t->holds = p;
        }
        h = &t->holds[t->nholds++];
        *h = (TableHold){table, 0};
        table->refs++;
    }
    count_modes(table, h->modes, -1);
    count_modes(table, modes, +1);
    h->modes = modes;
    if (modes) return;
    *h = t->holds[--t->nholds];
    table__release(table);
}

/* The lock counts go at once; the references stay with the transaction's
 * committed change set until it is reclaimed (reclaim.c takes them). */
void locks__release_table_locks(Txn *t) {
    for (int i = 0; i < t->nholds; i++) count_modes(t->holds[i].table, t->holds[i].modes, -1);
}

static bool others_hold(const Txn *t, const Table *table, uint8_t conflicting) {
    uint8_t mine = locks__table_modes(t, table);
    for (int m = 0; m < TLOCK_NMODES; m++)
        if ((conflicting & TBIT(m)) && table->lock_count[m] - ((mine & TBIT(m)) ? 1 : 0) > 0) return true;
    return false;
}

StorageStatus storage_table_lock(Table *table, Txn *t, TableLockMode mode) {
    /* A brief transaction's ACCESS SHARE could never be seen by anyone: it
     * only has to respect a conflicting lock already held. */
    if (t->brief && mode == TLOCK_ACCESS_SHARE && table->lock_count[TLOCK_ACCESS_EXCLUSIVE] == 0) return STORAGE_OK;
    uint8_t held = locks__table_modes(t, table);
    if (held & TBIT(mode)) return STORAGE_OK;
    if (others_hold(t, table, TABLE_CONFLICTS[mode])) {
        for (Txn *o = t->storage->open; o; o = o->next)
            if (o != t && (locks__table_modes(o, table) & TABLE_CONFLICTS[mode])) storage__block_on(t, o);
        return STORAGE_BUSY;
    }
    locks__table_set(t, table, (uint8_t)(held | TBIT(mode)));
    changes__push(t, CHANGE_TABLE_LOCK, table, 0, NULL, NULL, held);
    return STORAGE_OK;
}

/* ---- the wait-for graph ---------------------------------------------------------------- */

void storage_txn_wait_begin(Txn *t) { t->waiting = true; }
void storage_txn_wait_end(Txn *t) { t->waiting = false; }

/* Depth-first search along blocker edges of parked transactions for a path
 * back to `start`; path[0..depth) is the way taken. */
static int find_cycle(Txn *start, Txn *at, Txn **path, int depth, int max) {
    if (depth >= max) return 0;
    path[depth] = at;
    for (int i = 0; i < at->nblockers; i++) {
        Txn *b = storage_txn_by_id(at->storage, at->blockers[i]);
        if (!b) continue;
        if (b == start) return depth + 1;
        if (!b->waiting) continue;
        bool seen = false;
        for (int j = 0; j <= depth; j++) seen |= path[j] == b;
        if (seen) continue;
        int n = find_cycle(start, b, path, depth + 1, max);
        if (n) return n;
    }
    return 0;
}

int storage_deadlock_find(Txn *t, Txn **cycle, int max) {
    if (!t->waiting) return 0;
    return find_cycle(t, t, cycle, 0, max);
}
