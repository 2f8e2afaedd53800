/*
 * index.c — ordered indexes over a table's rows: the key entry format, the
 * order PostgreSQL gives keys (NULLs last ascending, first descending,
 * unless NULLS FIRST/LAST says otherwise), maintenance as rows change,
 * unique checks, and index scans.
 *
 * ENTRY LAYOUT (one B+tree entry, esize bytes, memory only):
 *   [null bitmap]  ceil(ncols / 8) bytes, bit i = key column i is NULL;
 *                  only when some key column is nullable
 *   [key slots]    per key column, in key order: fixed-width types as in a
 *                  row (bool 1, int2 2, int4 4, int8/float8/pg_lsn 8), strings in
 *                  16 bytes: byte 0 = length 0..15 and the bytes inline, or
 *                  byte 0 = 0xFF, bytes 4..7 the length, bytes 8..15 a
 *                  pointer to a copy the entry owns (one borrowed from a row
 *                  while the entry is only a search key)
 *   [rid]          4 bytes: the row; it makes entries of equal keys distinct
 *
 * An index holds an entry for every distinct key any version of a row has
 * had, until reclaiming frees the versions; so a scan checks each entry
 * against the version its transaction sees, and returns a row only for the
 * entry that matches it (each row once).
 *
 * INTERFACE (storage-internal): index__create, index__free, index__entry_of,
 *   index__entry_has_null, index__same_key, index__add,
 *   index__remove_unless_kept, index__key_text, index__check_unique,
 *   index__build; storage_index_desc, storage_index_table,
 *   storage_index_scan_begin, storage_index_scan_next
 */
#include "storage/storage_int.h"

#include <stdlib.h>

#define VAR_SLOT 16
#define VAR_INLINE_MAX 15
#define VAR_OUT_OF_LINE 0xFF

static RowId entry_rid(const Index *ix, const uint8_t *e) {
    RowId rid;
    memcpy(&rid, e + ix->esize - 4, 4);
    return rid;
}

static bool slot_is_null(const Index *ix, const uint8_t *e, int i) {
    return ix->nullbytes && (e[i / 8] & (1u << (i % 8)));
}

/* ---- slots and values ------------------------------------------------------------- */

static Value slot_value(const Index *ix, const uint8_t *e, int i) {
    TypeId t = ix->types[i];
    if (slot_is_null(ix, e, i)) return value_null(t);
    const uint8_t *p = e + ix->slot_off[i];
    if (ix->slot_width[i] != VAR_SLOT) return row__get_fixed(t, p);
    Value v;
    if (p[0] != VAR_OUT_OF_LINE) {
        v = value_string(t, (const char *)p + 1, p[0]);
    } else {
        uint32_t len;
        const char *s;
        memcpy(&len, p + 4, 4);
        memcpy(&s, p + 8, sizeof s);
        v = value_string(t, s, len);
    }
    v.width = ix->table->layout.bpchar_width[ix->desc.cols[i]]; /* char(n) shows its n characters */
    return v;
}

static void put_slot(const Index *ix, uint8_t *e, int i, const Value *v) {
    uint8_t *p = e + ix->slot_off[i];
    if (v->isnull) {
        e[i / 8] |= (uint8_t)(1u << (i % 8));
        memset(p, 0, ix->slot_width[i]);
        return;
    }
    if (ix->slot_width[i] != VAR_SLOT) {
        row__put_fixed(p, v, ix->types[i]);
        return;
    }
    memset(p, 0, VAR_SLOT);
    if (v->len <= VAR_INLINE_MAX) {
        p[0] = (uint8_t)v->len;
        memcpy(p + 1, v->u.s, v->len);
        return;
    }
    p[0] = VAR_OUT_OF_LINE;
    memcpy(p + 4, &v->len, 4);
    memcpy(p + 8, &v->u.s, sizeof v->u.s);
}

/* ---- order ---------------------------------------------------------------------------- */

/* One key column of an entry against a value (both possibly NULL). */
static int compare_column(const Index *ix, int i, const Value *a, const Value *b) {
    if (a->isnull || b->isnull) {
        if (a->isnull && b->isnull) return 0;
        int c = a->isnull ? 1 : -1; /* NULL after the values ... */
        return ix->desc.nulls_first[i] ? -c : c;
    }
    int c = value_compare(a, b);
    return ix->desc.desc[i] ? -c : c;
}

/* The common case, an integer key without NULLs (a serial id, a foreign
 * key), compares raw slots: no Value per comparison. */
static inline int64_t slot_int(const Index *ix, const uint8_t *e, int i) {
    return storage__read_int(e + ix->slot_off[i], ix->slot_width[i]);
}

static inline int compare_ints(const Index *ix, int i, int64_t a, int64_t b) {
    int c = a < b ? -1 : a > b;
    return ix->desc.desc[i] ? -c : c;
}

static int compare_entries(const void *ctx, const uint8_t *a, const uint8_t *b) {
    const Index *ix = ctx;
    if (ix->int_keys) {
        for (int i = 0; i < ix->desc.ncols; i++) {
            int c = compare_ints(ix, i, slot_int(ix, a, i), slot_int(ix, b, i));
            if (c) return c;
        }
        RowId ra = entry_rid(ix, a), rb = entry_rid(ix, b);
        return ra < rb ? -1 : ra > rb;
    }
    for (int i = 0; i < ix->desc.ncols; i++) {
        Value va = slot_value(ix, a, i), vb = slot_value(ix, b, i);
        int c = compare_column(ix, i, &va, &vb);
        if (c) return c;
    }
    RowId ra = entry_rid(ix, a), rb = entry_rid(ix, b);
    return ra < rb ? -1 : ra > rb;
}

bool index__same_key(const Index *ix, const uint8_t *a, const uint8_t *b) {
    if (ix->int_keys) return memcmp(a, b, (size_t)ix->esize - 4) == 0;
    for (int i = 0; i < ix->desc.ncols; i++) {
        Value va = slot_value(ix, a, i), vb = slot_value(ix, b, i);
        if (compare_column(ix, i, &va, &vb)) return false;
    }
    return true;
}

/* A search target: a key prefix; entries whose prefix equals it compare as
 * `tie` (0: at the target; -1: before it, to seek past equal keys). */
typedef struct Probe {
    const Index *ix;
    const Value *keys;
    int nkeys;
    int tie;
} Probe;

static int probe_entry(const void *ctx, const uint8_t *e) {
    const Probe *p = ctx;
    if (p->ix->int_keys) {
        for (int i = 0; i < p->nkeys; i++) {
            int c = compare_ints(p->ix, i, slot_int(p->ix, e, i), p->keys[i].u.i);
            if (c) return c;
        }
        return p->tie;
    }
    for (int i = 0; i < p->nkeys; i++) {
        Value v = slot_value(p->ix, e, i);
        int c = compare_column(p->ix, i, &v, &p->keys[i]);
        if (c) return c;
    }
    return p->tie;
}

/* ---- owned copies of long strings --------------------------------------------------- */

static void own_strings(const void *ctx, uint8_t *dst, const uint8_t *src) {
    const Index *ix = ctx;
    memcpy(dst, src, ix->esize);
    for (int i = 0; i < ix->desc.ncols; i++) {
        uint8_t *p = dst + ix->slot_off[i];
        if (ix->slot_width[i] != VAR_SLOT || slot_is_null(ix, dst, i) || p[0] != VAR_OUT_OF_LINE) continue;
        uint32_t len;
        const char *s;
        memcpy(&len, p + 4, 4);
        memcpy(&s, p + 8, sizeof s);
        char *copy = malloc(len ? len : 1);
        if (!copy) abort();
        memcpy(copy, s, len);
        memcpy(p + 8, &copy, sizeof copy);
    }
}

static void release_strings(const void *ctx, uint8_t *e) {
    const Index *ix = ctx;
    for (int i = 0; i < ix->desc.ncols; i++) {
        uint8_t *p = e + ix->slot_off[i];
        if (ix->slot_width[i] != VAR_SLOT || slot_is_null(ix, e, i) || p[0] != VAR_OUT_OF_LINE) continue;
        char *s;
        memcpy(&s, p + 8, sizeof s);
        free(s);
    }
}

/* ---- the index object ----------------------------------------------------------------- */

static bool any_nullable(const Table *table, const IndexDesc *d) {
    for (int i = 0; i < d->ncols; i++)
        if (!table->desc.cols[d->cols[i]].not_null) return true;
    return false;
}

static void *dup_array(const void *src, size_t n, size_t size) {
    void *p = calloc(n + 1, size);
    if (!p) abort();
    if (n) memcpy(p, src, n * size);
    return p;
}

Index *index__create(Table *table, const IndexDesc *d, uint32_t oid) {
    Index *ix = calloc(1, sizeof *ix);
    if (!ix) abort();
    ix->table = table;
    ix->desc = *d;
    ix->desc.name = strdup(d->name);
    if (!ix->desc.name) abort();
    ix->desc.cols = dup_array(d->cols, (size_t)d->ncols, sizeof *d->cols);
    ix->desc.desc = dup_array(d->desc, (size_t)d->ncols, sizeof *d->desc);
    ix->desc.nulls_first = dup_array(d->nulls_first, (size_t)d->ncols, sizeof *d->nulls_first);
    ix->rel = (Relation){.kind = REL_INDEX, .oid = oid, .name = ix->desc.name};
    ix->types = calloc((size_t)d->ncols + 1, sizeof *ix->types);
    ix->slot_off = calloc((size_t)d->ncols + 1, sizeof *ix->slot_off);
    ix->slot_width = calloc((size_t)d->ncols + 1, sizeof *ix->slot_width);
    if (!ix->types || !ix->slot_off || !ix->slot_width) abort();
    ix->nullbytes = any_nullable(table, d) ? (uint16_t)((d->ncols + 7) / 8) : 0;
    uint16_t off = ix->nullbytes;
    for (int i = 0; i < d->ncols; i++) {
        ix->types[i] = table->desc.cols[d->cols[i]].type;
        uint8_t w = row__fixed_width(ix->types[i]);
        ix->slot_width[i] = w ? w : VAR_SLOT;
        ix->slot_off[i] = off;
        off = (uint16_t)(off + ix->slot_width[i]);
    }
    ix->esize = (uint16_t)(off + 4);
    ix->int_keys = ix->nullbytes == 0;
    /* Signed integers only: a pg_lsn slot holds 8 bytes too but orders as
     * unsigned, so it takes the general path (value_compare). */
    for (int i = 0; i < d->ncols; i++)
        ix->int_keys &= ix->types[i] == TYPE_INT2 || ix->types[i] == TYPE_INT4 || ix->types[i] == TYPE_INT8;
    bt__init(&ix->tree, ix->esize, compare_entries, ix);
    ix->tree.dup = own_strings;
    ix->tree.release = release_strings;
    return ix;
}

void index__free(Index *ix) {
    bt__deinit(&ix->tree);
    free(ix->desc.name);
    free(ix->desc.cols);
    free(ix->desc.desc);
    free(ix->desc.nulls_first);
    free(ix->types);
    free(ix->slot_off);
    free(ix->slot_width);
    free(ix);
}

const IndexDesc *storage_index_desc(const Index *index) { return &index->desc; }
Table *storage_index_table(const Index *index) { return index->table; }

/* ---- entries of rows ------------------------------------------------------------------ */

void index__entry_of(const Index *ix, const Row *r, RowId rid, uint8_t *e) {
    memset(e, 0, ix->nullbytes);
    const RowLayout *l = &ix->table->layout;
    for (int i = 0; i < ix->desc.ncols; i++) {
        Value v = row__get(l, r, ix->desc.cols[i]);
        put_slot(ix, e, i, &v);
    }
    memcpy(e + ix->esize - 4, &rid, 4);
}

bool index__entry_has_null(const Index *ix, const uint8_t *e) {
    for (int i = 0; i < ix->desc.ncols; i++)
        if (slot_is_null(ix, e, i)) return true;
    return false;
}

void index__add(Index *ix, const Row *r, RowId rid) {
    if (r->flags & ROW_TOMBSTONE) return;
    uint8_t e[STORAGE_INDEX_ENTRY_MAX], owned[STORAGE_INDEX_ENTRY_MAX];
    index__entry_of(ix, r, rid, e);
    if (bt__contains(&ix->tree, e)) return;
    own_strings(ix, owned, e);
    bt__insert(&ix->tree, owned);
}

void index__remove_unless_kept(Index *ix, const Row *r, RowId rid, const Row *keep) {
    if (r->flags & ROW_TOMBSTONE) return;
    uint8_t e[STORAGE_INDEX_ENTRY_MAX], other[STORAGE_INDEX_ENTRY_MAX];
    index__entry_of(ix, r, rid, e);
    for (const Row *v = keep; v; v = row__older(v)) {
        if (v->flags & ROW_TOMBSTONE) continue;
        index__entry_of(ix, v, rid, other);
        if (index__same_key(ix, e, other)) return;
    }
    uint8_t removed[STORAGE_INDEX_ENTRY_MAX];
    if (bt__delete(&ix->tree, e, removed)) release_strings(ix, removed);
}

void index__key_text(const Index *ix, const uint8_t *e, StrBuf *names, StrBuf *values) {
    for (int i = 0; i < ix->desc.ncols; i++) {
        if (i) strbuf_append_str(names, ", "), strbuf_append_str(values, ", ");
        strbuf_append_str(names, ix->table->desc.cols[ix->desc.cols[i]].name);
        Value v = slot_value(ix, e, i);
        if (v.isnull) {
            strbuf_append_str(values, "null");
            continue;
        }
        char buf[VALUE_TEXT_BUF];
        int len;
        const char *p = value_to_text(&v, buf, &len);
        strbuf_append(values, p, (size_t)len);
    }
}

/* ---- index scans -------------------------------------------------------------------------- */

/* SERIALIZABLE: an equality lookup of a whole key locks that key (an
 * insert of it conflicts); any other range, the table. */
static void ssi_lock_range(IndexScan *s) {
    const Index *ix = s->index;
    bool whole_key =
        s->lo.nkeys == ix->desc.ncols && s->hi.nkeys == ix->desc.ncols && s->lo.inclusive && s->hi.inclusive;
    for (int i = 0; whole_key && i < ix->desc.ncols; i++)
        whole_key = !s->lo.keys[i].isnull && value_compare(&s->lo.keys[i], &s->hi.keys[i]) == 0;
    if (whole_key)
        ssi__read_key(s->txn, s->index, s->lo.keys);
    else
        ssi__read_table(s->txn, ix->table);
}

void storage_index_scan_begin(Index *index, Txn *t, const IndexBound *lo, const IndexBound *hi, bool backward,
                              IndexScan *scan) {
    /* Field by field: `last` is large and written before it is read. */
    scan->lo = scan->hi = (IndexBound){0};
    scan->started = scan->done = false;
    scan->leaf = NULL;
    scan->pos = 0;
    scan->version = 0;
    scan->index = index;
    scan->txn = t;
    if (lo) scan->lo = *lo;
    if (hi) scan->hi = *hi;
    scan->backward = backward;
    if (t->ssi) ssi_lock_range(scan);
}

static int probe_bound(const Index *ix, const IndexBound *b, const uint8_t *e) {
    Probe p = {ix, b->keys, b->nkeys, 0};
    return probe_entry(&p, e);
}

/* Whether e is past the far bound (the scan is over). */
static bool past_end(const IndexScan *s, const uint8_t *e) {
    const IndexBound *b = s->backward ? &s->lo : &s->hi;
    if (!b->nkeys) return false;
    const Index *ix = s->index;
    int c =
        ix->int_keys && b->nkeys == 1 ? compare_ints(ix, 0, slot_int(ix, e, 0), b->keys[0].u.i) : probe_bound(ix, b, e);
    if (s->backward) c = -c;
    return c > 0 || (c == 0 && !b->inclusive);
}

static void seek_bound(const IndexScan *s, BtCursor *c) {
    const Index *ix = s->index;
    const IndexBound *b = s->backward ? &s->hi : &s->lo;
    if (!b->nkeys) {
        if (s->backward)
            bt__last(&ix->tree, c);
        else
            bt__first(&ix->tree, c);
        return;
    }
    Probe p = {ix, b->keys, b->nkeys, 0};
    /* forward: first entry >= lo (> lo if exclusive); backward: the entry
     * before the first one > hi (>= hi if exclusive) */
    bool after = s->backward ? b->inclusive : !b->inclusive;
    if (ix->int_keys && b->nkeys == 1) {
        IntSeek k = {ix->slot_off[0], ix->slot_width[0], ix->desc.desc[0], after, b->keys[0].u.i};
        bt__seek_int(&ix->tree, &k, c);
    } else {
        bt__seek(&ix->tree, probe_entry, &p, after, c);
    }
    if (s->backward) {
        if (c->leaf)
            bt__prev(&ix->tree, c);
        else
            bt__last(&ix->tree, c);
    }
}

static int probe_exact(const void *ctx, const uint8_t *e) {
    const IndexScan *s = ctx;
    return s->index->tree.cmp(s->index, e, s->last);
}

/* Back to where the scan was after the tree changed under it. */
static void reseek(const IndexScan *s, BtCursor *c) {
    const BTree *t = &s->index->tree;
    bt__seek(t, probe_exact, s, !s->backward, c);
    if (s->backward) {
        if (c->leaf)
            bt__prev(t, c);
        else
            bt__last(t, c);
    }
}

static const uint8_t *advance(IndexScan *s) {
    const BTree *tree = &s->index->tree;
    BtCursor c = {s->leaf, s->pos};
    if (!s->started)
        seek_bound(s, &c);
    else if (s->version != tree->version)
        reseek(s, &c);
    else if (s->backward)
        bt__prev(tree, &c);
    else
        bt__next(tree, &c);
    s->started = true;
    s->leaf = c.leaf;
    s->pos = c.pos;
    s->version = tree->version;
    const uint8_t *e = bt__at(tree, &c);
    if (!e || past_end(s, e)) {
        s->done = true;
        return NULL;
    }
    memcpy(s->last, e, tree->esize);
    return e;
}

/* Whether entry e is the key of version v (stale entries of a row whose
 * key changed are not). */
static bool entry_is_version_key(const Index *ix, const uint8_t *e, const Row *v, RowId rid) {
    if (ix->int_keys) {
        for (int i = 0; i < ix->desc.ncols; i++)
            if (row__get(&ix->table->layout, v, ix->desc.cols[i]).u.i != slot_int(ix, e, i)) return false;
        return true;
    }
    uint8_t mine[STORAGE_INDEX_ENTRY_MAX];
    index__entry_of(ix, v, rid, mine);
    return index__same_key(ix, e, mine);
}

const Row *storage_index_scan_next(IndexScan *scan, RowId *rid_out, Error *err) {
    Index *ix = scan->index;
    while (!scan->done) {
        const uint8_t *e = advance(scan);
        if (!e) break;
        RowId rid = entry_rid(ix, e);
        Txn *t = scan->txn;
        const Row *v = table__visible(t, ix->table->slots[rid], err);
        if (err->set) return NULL;
        if (!v || !entry_is_version_key(ix, e, v, rid)) continue;
        if (t->ssi) ssi__read_row(t, ix->table, rid);
        *rid_out = rid;
        return v;
    }
    return NULL;
}
