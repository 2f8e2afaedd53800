/*
 * btree.c — an in-memory B+tree of fixed-size entries, the structure behind
 * every index. Entries are byte strings of one size per tree, ordered by a
 * comparison callback, all distinct (an index entry ends with its row id).
 *
 * Nodes are 4 KiB. A leaf holds entries in order and links to its
 * neighbours; an inner node holds n separator entries and n + 1 children,
 * child i covering the entries e with sep[i-1] <= e < sep[i]. A separator is
 * a copy of the first entry of the right half made when a node split; it
 * need not stay in any leaf.
 *
 * Splits put half of the entries in each node, except at the right edge of
 * the tree, where an ever-growing key (a serial id, a timestamp) would
 * otherwise leave every leaf half empty: there the full node stays as it is
 * and the new node starts with the new entry alone (PostgreSQL's rightmost
 * split). A leaf left empty by deletes is unlinked and freed; under-full
 * nodes are not merged (what is left is bounded by the live entries: at
 * least one per node).
 *
 * Cursors are positions (leaf, index); any insert or delete may move
 * entries, so the user re-seeks when `version` changed (index.c does).
 *
 * INTERFACE (storage-internal): bt__init, bt__deinit, bt__insert,
 *   bt__delete, bt__contains, bt__seek, bt__seek_int, bt__first, bt__last, bt__at,
 *   bt__next, bt__prev
 */
#include "storage/storage_int.h"

#include <stdlib.h>

#define NODE_BYTES 4096
#define MAX_HEIGHT 32

struct BtNode {
    uint16_t n; /* entries (leaf) or separators (inner) */
    bool leaf;
    BtNode *prev, *next; /* leaves: neighbours */
    _Alignas(8) uint8_t data[];
    /* leaf: entries[leaf_cap]; inner: children[inner_cap + 1], then separators[inner_cap] */
};

#define HEADER_BYTES offsetof(BtNode, data)

void bt__init(BTree *t, uint16_t esize, BtCompare cmp, const void *ctx) {
    memset(t, 0, sizeof *t);
    t->esize = esize;
    t->cmp = cmp;
    t->ctx = ctx;
    t->leaf_cap = (uint16_t)((NODE_BYTES - HEADER_BYTES) / esize);
    t->inner_cap = (uint16_t)((NODE_BYTES - HEADER_BYTES - sizeof(BtNode *)) / (esize + sizeof(BtNode *)));
}

/* ---- node access ------------------------------------------------------------------ */

static uint8_t *entry(const BTree *t, const BtNode *n, int i) { return (uint8_t *)n->data + (size_t)i * t->esize; }
static BtNode **children(const BtNode *n) { return (BtNode **)n->data; }
static uint8_t *sep(const BTree *t, const BtNode *n, int i) {
    return (uint8_t *)n->data + (size_t)(t->inner_cap + 1) * sizeof(BtNode *) + (size_t)i * t->esize;
}

static BtNode *node_new(BTree *t, bool leaf) {
    BtNode *n = calloc(1, NODE_BYTES);
    if (!n) abort();
    n->leaf = leaf;
    t->nodes++;
    return n;
}

static void node_free(BTree *t, BtNode *n) {
    free(n);
    t->nodes--;
}

static void release(const BTree *t, uint8_t *e) {
    if (t->release) t->release(t->ctx, e);
}

static void node_destroy(BTree *t, BtNode *n) {
    if (n->leaf) {
        for (int i = 0; i < n->n; i++) release(t, entry(t, n, i));
    } else {
        for (int i = 0; i < n->n; i++) release(t, sep(t, n, i));
        for (int i = 0; i <= n->n; i++) node_destroy(t, children(n)[i]);
    }
    node_free(t, n);
}

void bt__deinit(BTree *t) {
    if (t->root) node_destroy(t, t->root);
    t->root = NULL;
    t->height = 0;
    t->count = 0;
}

/* ---- searching ------------------------------------------------------------------ */

/* The number of separators that come at or before e: the child to descend. */
static int child_for(const BTree *t, const BtNode *n, const uint8_t *e) {
    int lo = 0, hi = n->n;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (t->cmp(t->ctx, sep(t, n, mid), e) <= 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The first entry of a leaf that is >= e. */
static int leaf_pos(const BTree *t, const BtNode *n, const uint8_t *e, bool *found) {
    int lo = 0, hi = n->n;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (t->cmp(t->ctx, entry(t, n, mid), e) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = lo < n->n && t->cmp(t->ctx, entry(t, n, lo), e) == 0;
    return lo;
}

typedef struct PathStep {
    BtNode *node;
    int child;
} PathStep;

/* Descends to the leaf where e belongs, recording the path. */
static BtNode *descend(const BTree *t, const uint8_t *e, PathStep *path) {
    BtNode *n = t->root;
    for (int d = 0; !n->leaf; d++) {
        int i = child_for(t, n, e);
        path[d] = (PathStep){n, i};
        n = children(n)[i];
    }
    return n;
}

bool bt__contains(const BTree *t, const uint8_t *e) {
    if (!t->root) return false;
    PathStep path[MAX_HEIGHT];
    bool found;
    leaf_pos(t, descend(t, e, path), e, &found);
    return found;
}

/* Probes are monotonic over the order: some entries before the target
 * (< 0), then at it (0), then after it (> 0). */
static bool probe_passes(BtProbe probe, const void *pctx, const uint8_t *e, bool after_equal) {
    int c = probe(pctx, e);
    return after_equal ? c > 0 : c >= 0;
}

void bt__seek(const BTree *t, BtProbe probe, const void *pctx, bool after_equal, BtCursor *c) {
    c->leaf = NULL;
    c->pos = 0;
    if (!t->root) return;
    BtNode *n = t->root;
    while (!n->leaf) {
        int lo = 0, hi = n->n;
        while (lo < hi) {
            int mid = (lo + hi) / 2;
            if (probe_passes(probe, pctx, sep(t, n, mid), after_equal))
                hi = mid;
            else
                lo = mid + 1;
        }
        n = children(n)[lo];
    }
    int lo = 0, hi = n->n;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (probe_passes(probe, pctx, entry(t, n, mid), after_equal))
            hi = mid;
        else
            lo = mid + 1;
    }
    c->leaf = n;
    c->pos = lo;
    if (lo == n->n) bt__next(t, c);
}

/* The first of n entries (stride bytes apart from base) that passes the
 * integer seek: a binary search with the comparison inline, and a loop of
 * its own for the commonest key, an ascending int4. */
static int search_int(const uint8_t *base, size_t stride, int n, const IntSeek *k) {
    int lo = 0, hi = n;
    if (k->width == 4 && !k->desc) {
        int64_t key = k->key;
        while (lo < hi) {
            int mid = (lo + hi) >> 1;
            int32_t v;
            memcpy(&v, base + (size_t)mid * stride, 4);
            if (k->after_equal ? v > key : v >= key)
                hi = mid;
            else
                lo = mid + 1;
        }
        return lo;
    }
    while (lo < hi) {
        int mid = (lo + hi) >> 1;
        int64_t v = storage__read_int(base + (size_t)mid * stride, k->width);
        int c = v < k->key ? -1 : v > k->key;
        if (k->desc) c = -c;
        if (k->after_equal ? c > 0 : c >= 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* bt__seek for the commonest search, a single integer key, without a
 * callback per comparison. */
void bt__seek_int(const BTree *t, const IntSeek *k, BtCursor *c) {
    c->leaf = NULL;
    c->pos = 0;
    if (!t->root) return;
    BtNode *n = t->root;
    while (!n->leaf) n = children(n)[search_int(sep(t, n, 0) + k->off, t->esize, n->n, k)];
    c->leaf = n;
    c->pos = search_int(entry(t, n, 0) + k->off, t->esize, n->n, k);
    if (c->pos == n->n) bt__next(t, c);
}

void bt__first(const BTree *t, BtCursor *c) {
    BtNode *n = t->root;
    while (n && !n->leaf) n = children(n)[0];
    c->leaf = n && n->n ? n : NULL;
    c->pos = 0;
}

void bt__last(const BTree *t, BtCursor *c) {
    BtNode *n = t->root;
    while (n && !n->leaf) n = children(n)[n->n];
    c->leaf = n && n->n ? n : NULL;
    c->pos = n ? n->n - 1 : 0;
}

const uint8_t *bt__at(const BTree *t, const BtCursor *c) { return c->leaf ? entry(t, c->leaf, c->pos) : NULL; }

/* Leaves are never empty (empty ones are freed), so one step suffices. */
void bt__next(const BTree *t, BtCursor *c) {
    if (!c->leaf) return;
    if (++c->pos < c->leaf->n) return;
    c->leaf = c->leaf->next;
    c->pos = 0;
}

void bt__prev(const BTree *t, BtCursor *c) {
    if (!c->leaf) return;
    if (--c->pos >= 0) return;
    c->leaf = c->leaf->prev;
    c->pos = c->leaf ? c->leaf->n - 1 : 0;
}

/* ---- inserting -------------------------------------------------------------------- */

static void copy_sep(const BTree *t, uint8_t *dst, const uint8_t *src) {
    if (t->dup)
        t->dup(t->ctx, dst, src);
    else
        memcpy(dst, src, t->esize);
}

/* Puts separator s (owned by the caller, now moved in) and the new right
 * sibling after child `at` of `n`, which has room. */
static void inner_put(BTree *t, BtNode *n, int at, const uint8_t *s, BtNode *right) {
    memmove(sep(t, n, at + 1), sep(t, n, at), (size_t)(n->n - at) * t->esize);
    memcpy(sep(t, n, at), s, t->esize);
    memmove(&children(n)[at + 2], &children(n)[at + 1], (size_t)(n->n - at) * sizeof(BtNode *));
    children(n)[at + 1] = right;
    n->n++;
}

static void grow_root(BTree *t, BtNode *left, const uint8_t *s, BtNode *right) {
    BtNode *root = node_new(t, false);
    children(root)[0] = left;
    memcpy(sep(t, root, 0), s, t->esize);
    children(root)[1] = right;
    root->n = 1;
    t->root = root;
    t->height++;
}

/* Inserts separator s / child right after path[d]'s child; splits inner
 * nodes upwards as needed. `rightmost`: the insert is at the tree's right
 * edge at every level. */
static void insert_up(BTree *t, PathStep *path, int d, uint8_t *s, BtNode *right, bool rightmost) {
    uint8_t up[STORAGE_INDEX_ENTRY_MAX];
    while (d >= 0) {
        BtNode *n = path[d].node;
        int at = path[d].child;
        if (n->n < t->inner_cap) {
            inner_put(t, n, at, s, right);
            return;
        }
        /* Full: lay out n + 1 separators and n + 2 children, then split. */
        int total = n->n + 1;
        uint8_t *seps = malloc((size_t)total * t->esize);
        BtNode **kids = malloc((size_t)(total + 1) * sizeof *kids);
        if (!seps || !kids) abort();
        memcpy(seps, sep(t, n, 0), (size_t)at * t->esize);
        memcpy(seps + (size_t)at * t->esize, s, t->esize);
        memcpy(seps + (size_t)(at + 1) * t->esize, sep(t, n, at), (size_t)(n->n - at) * t->esize);
        memcpy(kids, children(n), (size_t)(at + 1) * sizeof *kids);
        kids[at + 1] = right;
        memcpy(kids + at + 2, &children(n)[at + 1], (size_t)(n->n - at) * sizeof *kids);
        int mid = rightmost ? total - 1 : total / 2; /* separator that moves up */
        BtNode *sib = node_new(t, false);
        n->n = (uint16_t)mid;
        memcpy(sep(t, n, 0), seps, (size_t)mid * t->esize);
        memcpy(children(n), kids, (size_t)(mid + 1) * sizeof *kids);
        sib->n = (uint16_t)(total - mid - 1);
        memcpy(sep(t, sib, 0), seps + (size_t)(mid + 1) * t->esize, (size_t)sib->n * t->esize);
        memcpy(children(sib), kids + mid + 1, (size_t)(sib->n + 1) * sizeof *kids);
        memcpy(up, seps + (size_t)mid * t->esize, t->esize);
        free(seps);
        free(kids);
        s = up;
        right = sib;
        d--;
    }
    grow_root(t, path[0].node, s, right);
}

static void leaf_put(BTree *t, BtNode *n, int pos, const uint8_t *e) {
    memmove(entry(t, n, pos + 1), entry(t, n, pos), (size_t)(n->n - pos) * t->esize);
    memcpy(entry(t, n, pos), e, t->esize);
    n->n++;
}

static BtNode *split_leaf(BTree *t, BtNode *n, int keep) {
    BtNode *r = node_new(t, true);
    r->n = (uint16_t)(n->n - keep);
    memcpy(entry(t, r, 0), entry(t, n, keep), (size_t)r->n * t->esize);
    n->n = (uint16_t)keep;
    r->next = n->next;
    r->prev = n;
    if (n->next) n->next->prev = r;
    n->next = r;
    return r;
}

/* An entry after every other one (a load in key order, an increasing key)
 * goes at the end of the rightmost leaf without a search: one comparison. */
static bool append_in_order(BTree *t, const uint8_t *e) {
    BtNode *n = t->root;
    while (!n->leaf) n = children(n)[n->n];
    if (n->n == 0 || n->n == t->leaf_cap || t->cmp(t->ctx, entry(t, n, n->n - 1), e) >= 0) return false;
    t->count++;
    t->version++;
    leaf_put(t, n, n->n, e);
    return true;
}

bool bt__insert(BTree *t, const uint8_t *e) {
    if (!t->root) {
        t->root = node_new(t, true);
        t->height = 1;
    }
    if (append_in_order(t, e)) return true;
    PathStep path[MAX_HEIGHT];
    BtNode *n = descend(t, e, path);
    bool found;
    int pos = leaf_pos(t, n, e, &found);
    if (found) return false;
    t->count++;
    t->version++;
    if (n->n < t->leaf_cap) {
        leaf_put(t, n, pos, e);
        return true;
    }
    bool rightmost = !n->next && pos == n->n;
    BtNode *r;
    if (rightmost) {
        r = split_leaf(t, n, n->n);
        leaf_put(t, r, 0, e);
    } else {
        int keep = (n->n + 1) / 2;
        r = split_leaf(t, n, keep);
        if (pos <= keep)
            leaf_put(t, n, pos, e);
        else
            leaf_put(t, r, pos - keep, e);
    }
    uint8_t s[STORAGE_INDEX_ENTRY_MAX];
    copy_sep(t, s, entry(t, r, 0));
    if (t->height == 1)
        grow_root(t, n, s, r);
    else
        insert_up(t, path, t->height - 2, s, r, rightmost);
    return true;
}

/* ---- deleting --------------------------------------------------------------------- */

/* Removes child `at` of the inner node at path[d] (already freed), and the
 * separator that bounded it; an inner node left without children goes too. */
static void remove_child(BTree *t, PathStep *path, int d) {
    for (; d >= 0; d--) {
        BtNode *n = path[d].node;
        int at = path[d].child;
        if (n->n > 0) {
            int k = at > 0 ? at - 1 : 0; /* the separator to drop */
            release(t, sep(t, n, k));
            memmove(sep(t, n, k), sep(t, n, k + 1), (size_t)(n->n - k - 1) * t->esize);
            memmove(&children(n)[at], &children(n)[at + 1], (size_t)(n->n - at) * sizeof(BtNode *));
            n->n--;
            break;
        }
        node_free(t, n); /* its only child went */
        if (d == 0) {
            t->root = NULL;
            t->height = 0;
            return;
        }
    }
    while (t->root && !t->root->leaf && t->root->n == 0) {
        BtNode *old = t->root;
        t->root = children(old)[0];
        node_free(t, old);
        t->height--;
    }
}

bool bt__delete(BTree *t, const uint8_t *e, uint8_t *removed) {
    if (!t->root) return false;
    PathStep path[MAX_HEIGHT];
    BtNode *n = descend(t, e, path);
    bool found;
    int pos = leaf_pos(t, n, e, &found);
    if (!found) return false;
    memcpy(removed, entry(t, n, pos), t->esize);
    memmove(entry(t, n, pos), entry(t, n, pos + 1), (size_t)(n->n - pos - 1) * t->esize);
    n->n--;
    t->count--;
    t->version++;
    if (n->n > 0) return true;
    if (t->height == 1) { /* an empty root leaf: the tree is empty */
        node_free(t, n);
        t->root = NULL;
        t->height = 0;
        return true;
    }
    if (n->prev) n->prev->next = n->next;
    if (n->next) n->next->prev = n->prev;
    node_free(t, n);
    remove_child(t, path, t->height - 2);
    return true;
}
