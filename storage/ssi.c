/*
 * ssi.c — serializable snapshot isolation: SERIALIZABLE transactions run on
 * snapshots like REPEATABLE READ ones, and in addition their
 * read/write dependencies on each other are tracked; when two of them form
 * the dangerous structure T0 -rw-> T1 -rw-> T2 (T1 the pivot) in an order
 * that could be a cycle, one of them fails with 40001 "could not serialize
 * access due to read/write dependencies among transactions". This is the
 * algorithm of Cahill, Röhm and Fekete (SIGMOD 2008) as PostgreSQL applies
 * it (predicate.c), including which transaction it cancels and when, so
 * that clients see the same outcomes; written here for one engine thread,
 * where a transaction's commit check and its commit are one step.
 *
 * A rw-conflict R -> W means R read something W wrote, W's write invisible
 * to R's snapshot. It is found
 *   - at a read (conflict out): R meets a version it cannot see, or a
 *     newer version over the one it sees, made by a concurrent W;
 *   - at a write (conflict in): W writes a row, table or key that R holds a
 *     SIREAD lock on. SIREAD locks are flags, never waited for: a table
 *     (sequential and range scans), a row (read through an index), or an
 *     index key (an equality lookup of a whole key, so that inserting that
 *     key later conflicts). They outlive R's commit until no serializable
 *     transaction that overlapped R is left.
 * Only serializable transactions take SIREAD locks or look for conflicts,
 * so other isolation levels pay nothing (t->ssi is NULL for them).
 *
 * INTERFACE (storage-internal): ssi__begin, ssi__xid_assigned,
 *   ssi__read_table, ssi__read_row, ssi__read_key, ssi__conflict_out,
 *   ssi__check_write, ssi__doomed_check, ssi__precommit, ssi__end,
 *   ssi__set_commit_csn,
 *   ssi__destroy
 */
#include "storage/storage_int.h"

#include <stdlib.h>

#define SX_COMMITTED 0x01
#define SX_DOOMED 0x02
#define SX_READ_ONLY 0x04    /* declared, or committed without writing */
#define SX_CONFLICT_OUT 0x08 /* has a conflict out to a transaction that committed before it */
#define SX_WROTE 0x10

typedef struct XactList {
    SsiXact **items;
    int n, cap;
} XactList;

struct SsiXact {
    Txn *txn; /* NULL once it ended */
    uint64_t xid;
    uint64_t snapshot_csn, commit_csn;
    uint32_t flags;
    uint64_t prepare_seq, commit_seq, last_commit_before_snapshot, earliest_out_conflict_commit;
    XactList outs, ins; /* rw-conflicts: this -> outs[i] (it read what they wrote); ins[i] -> this */
    uint64_t *locks;    /* SIREAD targets held */
    int nlocks, cap_locks;
    SsiXact *prev, *next; /* active or finished list */
};

typedef struct Target {
    XactList holders;
} Target;

struct SsiState {
    U64Map targets; /* target key -> Target */
    U64Map by_xid;  /* xid -> SsiXact, while it matters */
    SsiXact *active, *finished_head, *finished_tail;
    uint64_t last_seq; /* PostgreSQL's LastSxactCommitSeqNo */
};

static const char FAILURE[] = "could not serialize access due to read/write dependencies among transactions";

static bool fail(Error *err, const char *reason) {
    error_set(err, SQLSTATE_SERIALIZATION_FAILURE, FAILURE);
    error_detail(err, "Reason code: %s.", reason);
    error_hint(err, "The transaction might succeed if retried.");
    return false;
}

/* ---- lists and the registry -------------------------------------------------------------- */

static void list_add(XactList *l, SsiXact *x) {
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 4;
        SsiXact **p = realloc(l->items, (size_t)l->cap * sizeof *p);
        if (!p) abort();
        l->items = p;
    }
    l->items[l->n++] = x;
}

static void list_remove(XactList *l, const SsiXact *x) {
    for (int i = 0; i < l->n; i++)
        if (l->items[i] == x) {
            l->items[i] = l->items[--l->n];
            return;
        }
}

static bool list_has(const XactList *l, const SsiXact *x) {
    for (int i = 0; i < l->n; i++)
        if (l->items[i] == x) return true;
    return false;
}

static SsiState *state_of(Storage *s) {
    if (!s->ssi) {
        if (!(s->ssi = calloc(1, sizeof *s->ssi))) abort();
        map__init(&s->ssi->targets);
        map__init(&s->ssi->by_xid);
    }
    return s->ssi;
}

static void link_front(SsiXact **head, SsiXact *x) {
    x->prev = NULL;
    x->next = *head;
    if (*head) (*head)->prev = x;
    *head = x;
}

static void unlink_active(SsiState *st, SsiXact *x) {
    if (x->prev)
        x->prev->next = x->next;
    else
        st->active = x->next;
    if (x->next) x->next->prev = x->prev;
}

void ssi__begin(Txn *t) {
    SsiState *st = state_of(t->storage);
    SsiXact *x = calloc(1, sizeof *x);
    if (!x) abort();
    x->txn = t;
    x->snapshot_csn = t->snapshot_csn;
    x->last_commit_before_snapshot = st->last_seq;
    link_front(&st->active, x);
    t->ssi = x;
}

void ssi__set_read_only(Txn *t) {
    if (t->ssi) t->ssi->flags |= SX_READ_ONLY;
}

void ssi__xid_assigned(Txn *t) {
    if (!t->ssi) return;
    t->ssi->xid = t->xid;
    map__put(&t->storage->ssi->by_xid, t->xid, t->ssi);
}

/* ---- SIREAD locks ------------------------------------------------------------------------- */

enum { TARGET_TABLE = 1, TARGET_ROW, TARGET_KEY };

/* Targets are hashed to 64 bits; a collision only adds a conflict. */
static uint64_t target_key(int kind, uint32_t oid, uint64_t value) {
    uint64_t k = hash_mix(hash_mix(((uint64_t)kind << 32) | oid) ^ value);
    return k ? k : 1;
}

static void lock_target(Txn *t, uint64_t key) {
    SsiState *st = t->storage->ssi;
    SsiXact *x = t->ssi;
    Target *tg = map__get(&st->targets, key);
    if (!tg) {
        if (!(tg = calloc(1, sizeof *tg))) abort();
        map__put(&st->targets, key, tg);
    }
    if (list_has(&tg->holders, x)) return;
    list_add(&tg->holders, x);
    if (x->nlocks == x->cap_locks) {
        x->cap_locks = x->cap_locks ? x->cap_locks * 2 : 8;
        uint64_t *p = realloc(x->locks, (size_t)x->cap_locks * sizeof *p);
        if (!p) abort();
        x->locks = p;
    }
    x->locks[x->nlocks++] = key;
}

static void unlock_all(SsiState *st, SsiXact *x) {
    for (int i = 0; i < x->nlocks; i++) {
        Target *tg = map__get(&st->targets, x->locks[i]);
        if (!tg) continue;
        list_remove(&tg->holders, x);
        if (tg->holders.n) continue;
        map__remove(&st->targets, x->locks[i]);
        free(tg->holders.items);
        free(tg);
    }
    free(x->locks);
    x->locks = NULL;
    x->nlocks = x->cap_locks = 0;
}

void ssi__read_table(Txn *t, Table *table) { lock_target(t, target_key(TARGET_TABLE, table->rel.oid, 0)); }

void ssi__read_row(Txn *t, Table *table, RowId rid) { lock_target(t, target_key(TARGET_ROW, table->rel.oid, rid)); }

static uint64_t hash_values(const Value *keys, int n) {
    uint64_t h = 0;
    for (int i = 0; i < n; i++) h = hash_mix(h ^ value_hash(&keys[i]));
    return h;
}

void ssi__read_key(Txn *t, Index *ix, const Value *keys) {
    lock_target(t, target_key(TARGET_KEY, ix->rel.oid, hash_values(keys, ix->desc.ncols)));
}

/* ---- dangerous structures ------------------------------------------------------------------ */

static bool committed(const SsiXact *x) { return x->flags & SX_COMMITTED; }
static bool doomed(const SsiXact *x) { return x->flags & SX_DOOMED; }
static bool read_only(const SsiXact *x) { return x->flags & SX_READ_ONLY; }

/*
 * Before recording reader -> writer: whether it completes a structure
 * that must not commit (PostgreSQL's OnConflict_CheckForSerializationFailure).
 * Here a transaction past its commit check has committed, so "prepared"
 * and "committed" coincide. If so: the current transaction fails if it is
 * the writer, or the reader of a committed writer; otherwise the writer is
 * doomed and fails at its next step.
 */
static bool check_dangerous(Txn *me, SsiXact *reader, SsiXact *writer, Error *err) {
    bool failure = committed(writer) && (writer->flags & SX_CONFLICT_OUT);
    /* reader -> writer -> t2, t2 committed first */
    for (int i = 0; i < writer->outs.n && !failure; i++) {
        const SsiXact *t2 = writer->outs.items[i];
        failure = committed(t2) && (!committed(reader) || t2->prepare_seq <= reader->commit_seq) &&
                  (!committed(writer) || t2->prepare_seq <= writer->commit_seq) &&
                  (!read_only(reader) || t2->prepare_seq <= reader->last_commit_before_snapshot);
    }
    /* t0 -> reader -> writer, writer committed first */
    if (!failure && committed(writer) && !read_only(reader)) {
        for (int i = 0; i < reader->ins.n && !failure; i++) {
            const SsiXact *t0 = reader->ins.items[i];
            failure = !doomed(t0) && (!committed(t0) || t0->commit_seq >= writer->prepare_seq) &&
                      (!read_only(t0) || t0->last_commit_before_snapshot >= writer->prepare_seq);
        }
    }
    if (!failure) return true;
    if (me->ssi == writer) return fail(err, "Canceled on identification as a pivot, during write");
    if (committed(writer)) {
        error_set(err, SQLSTATE_SERIALIZATION_FAILURE, FAILURE);
        error_detail(err, "Reason code: Canceled on conflict out to pivot %llu, during read.",
                     (unsigned long long)writer->xid);
        error_hint(err, "The transaction might succeed if retried.");
        return false;
    }
    writer->flags |= SX_DOOMED;
    return true;
}

static bool flag_conflict(Txn *me, SsiXact *reader, SsiXact *writer, Error *err) {
    if (!check_dangerous(me, reader, writer, err)) return false;
    list_add(&reader->outs, writer);
    list_add(&writer->ins, reader);
    return true;
}

bool ssi__doomed_check(Txn *t, Error *err) {
    if (!t->ssi || !doomed(t->ssi)) return true;
    return fail(err, "Canceled on identification as a pivot, during conflict out checking");
}

/* Whether a transaction that committed at `csn` was concurrent with a
 * snapshot: it committed after the snapshot was taken. */
static bool concurrent_with(const SsiXact *x, uint64_t snapshot_csn) {
    return !committed(x) || x->commit_csn > snapshot_csn;
}

bool ssi__conflict_out(Txn *t, uint64_t writer_xid, Error *err) {
    SsiXact *me = t->ssi;
    if (doomed(me)) return fail(err, "Canceled on identification as a pivot, during conflict out checking");
    if (writer_xid == t->xid) return true;
    SsiXact *w = map__get(&t->storage->ssi->by_xid, writer_xid);
    if (!w || w == me || doomed(w)) return true;
    /* A read-only reader of a commit with no earlier out-conflict appears to run first. */
    if (read_only(me) && committed(w) &&
        (!(w->flags & SX_CONFLICT_OUT) || me->last_commit_before_snapshot < w->earliest_out_conflict_commit))
        return true;
    if (!concurrent_with(w, me->snapshot_csn) || list_has(&me->outs, w)) return true;
    return flag_conflict(t, me, w, err);
}

/* Readers holding a SIREAD lock on `key` get a conflict in to t. */
static bool conflicts_in(Txn *t, uint64_t key, Error *err) {
    SsiState *st = t->storage->ssi;
    Target *tg = map__get(&st->targets, key);
    for (int i = 0; tg && i < tg->holders.n; i++) {
        SsiXact *r = tg->holders.items[i];
        if (r == t->ssi || doomed(r) || !concurrent_with(r, t->ssi->snapshot_csn) || list_has(&r->outs, t->ssi))
            continue;
        if (!flag_conflict(t, r, t->ssi, err)) return false;
        tg = map__get(&st->targets, key); /* still there: nothing was freed */
    }
    return true;
}

bool ssi__check_write(Txn *t, Table *table, RowId rid, const Row *v, Error *err) {
    if (doomed(t->ssi)) return fail(err, "Canceled on identification as a pivot, during conflict in checking");
    t->ssi->flags |= SX_WROTE;
    if (!conflicts_in(t, target_key(TARGET_ROW, table->rel.oid, rid), err)) return false;
    if (!conflicts_in(t, target_key(TARGET_TABLE, table->rel.oid, 0), err)) return false;
    if (!v || (v->flags & ROW_TOMBSTONE)) return true;
    Value keys[STORAGE_INDEX_MAX_KEYS];
    for (int i = 0; i < table->nindexes; i++) {
        Index *ix = table->indexes[i];
        for (int c = 0; c < ix->desc.ncols; c++) keys[c] = row__get(&table->layout, v, ix->desc.cols[c]);
        uint64_t key = target_key(TARGET_KEY, ix->rel.oid, hash_values(keys, ix->desc.ncols));
        if (!conflicts_in(t, key, err)) return false;
    }
    return true;
}

/* PostgreSQL's PreCommit_CheckForSerializationFailure: if this commit
 * would complete t0 -> pivot -> me with neither t0 nor the pivot
 * committed, the pivot is doomed (so that the committing one makes
 * progress). */
bool ssi__precommit(Txn *t, Error *err) {
    SsiState *st = t->storage->ssi;
    SsiXact *me = t->ssi;
    if (doomed(me)) return fail(err, "Canceled on identification as a pivot, during commit attempt");
    for (int i = 0; i < me->ins.n; i++) {
        SsiXact *pivot = me->ins.items[i];
        if (committed(pivot) || doomed(pivot)) continue;
        for (int j = 0; j < pivot->ins.n; j++) {
            const SsiXact *t0 = pivot->ins.items[j];
            if (t0 == me || (!committed(t0) && !read_only(t0) && !doomed(t0))) {
                pivot->flags |= SX_DOOMED;
                break;
            }
        }
    }
    me->prepare_seq = ++st->last_seq;
    return true;
}

/* ---- ending --------------------------------------------------------------------------------- */

static void drop_conflicts(SsiXact *x) {
    for (int i = 0; i < x->outs.n; i++) list_remove(&x->outs.items[i]->ins, x);
    for (int i = 0; i < x->ins.n; i++) list_remove(&x->ins.items[i]->outs, x);
    x->outs.n = x->ins.n = 0;
}

static void release(SsiState *st, SsiXact *x) {
    drop_conflicts(x);
    unlock_all(st, x);
    if (x->xid && map__get(&st->by_xid, x->xid) == x) map__remove(&st->by_xid, x->xid);
    free(x->outs.items);
    free(x->ins.items);
    free(x);
}

/* The conflicts a commit keeps: out-conflicts to transactions still open
 * (recording whether some went to earlier commits), in-conflicts from
 * open writers. */
static void settle_committed(SsiXact *x) {
    for (int i = 0; i < x->outs.n;) {
        SsiXact *in = x->outs.items[i];
        if (!committed(in)) {
            i++;
            continue;
        }
        if (!read_only(x)) {
            if (!(x->flags & SX_CONFLICT_OUT) || in->prepare_seq < x->earliest_out_conflict_commit)
                x->earliest_out_conflict_commit = in->prepare_seq;
            x->flags |= SX_CONFLICT_OUT;
        }
        list_remove(&in->ins, x);
        x->outs.items[i] = x->outs.items[--x->outs.n];
    }
    for (int i = 0; i < x->ins.n;) {
        SsiXact *out = x->ins.items[i];
        if (!committed(out) && !read_only(out)) {
            i++;
            continue;
        }
        list_remove(&out->outs, x);
        x->ins.items[i] = x->ins.items[--x->ins.n];
    }
}

/* Finished transactions no open serializable transaction overlaps are
 * forgotten, oldest first. */
static void clear_old(SsiState *st) {
    uint64_t oldest = UINT64_MAX;
    for (SsiXact *a = st->active; a; a = a->next)
        if (a->snapshot_csn < oldest) oldest = a->snapshot_csn;
    while (st->finished_head && st->finished_head->commit_csn != CSN_PENDING &&
           st->finished_head->commit_csn <= oldest) {
        SsiXact *x = st->finished_head;
        st->finished_head = x->next;
        if (!st->finished_head) st->finished_tail = NULL;
        release(st, x);
    }
}

/* A commit waiting for its WAL record (storage_txn_prepare) ends here
 * already, as PostgreSQL's prepared transactions count as committed for
 * these checks; its CSN is CSN_PENDING until it becomes visible
 * (ssi__set_commit_csn), so every snapshot meanwhile counts it as
 * concurrent, and the finished list is not cleared past it. */
SsiXact *ssi__end(Txn *t, bool commit, uint64_t csn) {
    SsiState *st = t->storage->ssi;
    SsiXact *x = t->ssi;
    t->ssi = NULL;
    unlink_active(st, x);
    x->txn = NULL;
    if (!commit) {
        release(st, x);
        x = NULL;
    } else {
        x->flags |= SX_COMMITTED;
        x->commit_seq = ++st->last_seq;
        x->commit_csn = csn;
        if (!(x->flags & SX_WROTE)) x->flags |= SX_READ_ONLY;
        settle_committed(x);
        x->next = NULL;
        x->prev = st->finished_tail;
        if (st->finished_tail)
            st->finished_tail->next = x;
        else
            st->finished_head = x;
        st->finished_tail = x;
    }
    clear_old(st);
    return x;
}

void ssi__set_commit_csn(Storage *s, SsiXact *x, uint64_t csn) {
    x->commit_csn = csn;
    clear_old(s->ssi);
}

void ssi__destroy(Storage *s) {
    SsiState *st = s->ssi;
    if (!st) return;
    while (st->finished_head) {
        SsiXact *x = st->finished_head;
        st->finished_head = x->next;
        release(st, x);
    }
    for (size_t i = 0; i < st->targets.cap; i++) {
        Target *tg = st->targets.values[i];
        if (!tg) continue;
        free(tg->holders.items);
        free(tg);
    }
    map__deinit(&st->targets);
    map__deinit(&st->by_xid);
    free(st);
    s->ssi = NULL;
}
