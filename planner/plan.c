/*
 * plan.c — the operator tree (ops.c runs it) of a bound query.
 *
 * A single-table SELECT becomes, from the bottom up:
 *
 *   SCAN (or RESULT without FROM, or the joins of FROM), with WHERE as its qual
 *   LOCK        FOR UPDATE and friends, when nothing is sorted
 *   AGG         GROUP BY and the aggregate calls (then HAVING, a FILTER)
 *   WINDOW      the window function calls' values, after each row
 *   PROJECT     the targets, then the sort keys, then the row id and
 *               version a LOCK above the sort reads (hidden columns: the
 *               client is sent the first ncols)
 *   SORT        unless the scan reads an index in the ORDER BY's order
 *   LOCK        FOR UPDATE above a sort: rows are locked in the order they
 *               are returned, and those OFFSET skips too
 *   LIMIT       OFFSET / LIMIT
 *
 * which is where PostgreSQL puts its LockRows, Sort and Limit nodes, so
 * the same rows are evaluated, locked and skipped.
 *
 * INTERFACE (planner-internal): planner__plan_select
 */
#include "planner/planner_int.h"

#include <string.h>

static PlanNode *new_node(Arena *arena, NodeKind kind, int width, PlanNode *child) {
    PlanNode *n = arena_zalloc(arena, sizeof *n);
    n->kind = kind;
    n->width = width;
    n->child = child;
    return n;
}

static BExpr *column_ref(Arena *arena, int column, TypeId type) {
    BExpr *e = arena_zalloc(arena, sizeof *e);
    e->kind = BEXPR_COLUMN;
    e->type = type;
    e->typmod = -1;
    e->u.column = column;
    return e;
}

static PlanNode *lock_node(Arena *arena, const Plan *p, PlanNode *child, int junk) {
    PlanNode *n = new_node(arena, NODE_LOCK, child->width, child);
    n->u.lock.table = p->source.table;
    n->u.lock.junk = junk;
    n->u.lock.mode = p->lock_mode;
    n->u.lock.wait = p->lock_wait;
    return n;
}

/* ---- joins --------------------------------------------------------------------------
 * FROM's tree is planned as written (no reordering yet): each table a
 * SCAN, each join a JOIN of its two sides. The conditions are split at
 * their ANDs and each goes as far down as it may: a WHERE condition into
 * the scan of the one table it reads, else into the lowest inner join
 * that has all its columns, never into the side an outer join fills with
 * NULLs (there it stays above, as a FILTER); an outer join's ON condition
 * on its nullable side alone filters that side before the join. A join's
 * equalities between its two sides become hash keys. */

typedef struct Rel Rel;
struct Rel {
    const FromNode *from;
    Rel *left, *right;
    BExpr **quals; /* a table's scan qual, or a join's condition, split at AND */
    int nquals, cap;
};

static Rel *make_rel(const FromNode *f, Arena *arena) {
    Rel *r = arena_zalloc(arena, sizeof *r);
    r->from = f;
    if (f->left) {
        r->left = make_rel(f->left, arena);
        r->right = make_rel(f->right, arena);
    }
    return r;
}

static void add_qual(Rel *r, BExpr *q, Arena *arena) {
    if (r->nquals == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 4;
        BExpr **quals = arena_alloc(arena, (size_t)r->cap * sizeof *quals);
        if (r->nquals) memcpy(quals, r->quals, (size_t)r->nquals * sizeof *quals);
        r->quals = quals;
    }
    r->quals[r->nquals++] = q;
}

typedef struct Range {
    int lo, hi; /* the columns read, lo > hi: none */
} Range;

static bool note_column(BExpr **slot, void *ctx) {
    Range *r = ctx;
    if ((*slot)->kind == BEXPR_COLUMN) {
        int c = (*slot)->u.column;
        if (c < r->lo) r->lo = c;
        if (c > r->hi) r->hi = c;
        return true;
    }
    return planner__visit_children(*slot, note_column, ctx);
}

static Range columns_read(BExpr *e) {
    Range r = {1 << 30, -1};
    note_column(&e, &r);
    return r;
}

bool planner__reads_within(BExpr *e, int start, int width) {
    Range r = columns_read(e);
    return r.lo > r.hi || (r.lo >= start && r.hi < start + width);
}

static bool within(Range r, const FromNode *f) {
    return r.lo <= r.hi && r.lo >= f->start && r.hi < f->start + f->width;
}

static bool is_inner(SqlJoinType t) { return t == SQL_JOIN_INNER || t == SQL_JOIN_CROSS; }

/* Puts q as low in r as it may go; false: it must stay above r. */
static bool place(Rel *r, BExpr *q, Range cols, Arena *arena) {
    if (!r->from->left) {
        add_qual(r, q, arena);
        return true;
    }
    SqlJoinType t = r->from->type;
    if (within(cols, r->left->from) && t != SQL_JOIN_RIGHT && t != SQL_JOIN_FULL && place(r->left, q, cols, arena))
        return true;
    if (within(cols, r->right->from) && t != SQL_JOIN_LEFT && t != SQL_JOIN_FULL && place(r->right, q, cols, arena))
        return true;
    if (!is_inner(t)) return false;
    add_qual(r, q, arena);
    return true;
}

static void split_and(BExpr *e, void (*each)(BExpr *, void *), void *ctx) {
    if (e->kind == BEXPR_AND) {
        split_and(e->u.op.left, each, ctx);
        split_and(e->u.op.right, each, ctx);
        return;
    }
    each(e, ctx);
}

static int count_conjuncts(const BExpr *e) {
    return e->kind == BEXPR_AND ? count_conjuncts(e->u.op.left) + count_conjuncts(e->u.op.right) : 1;
}

typedef struct Placing {
    Rel *rel;
    Arena *arena;
    BExpr **above; /* WHERE: what no join takes */
    int nabove;
} Placing;

/* An ON condition's conjunct: an inner join's goes where a WHERE one
 * would; an outer join's on the nullable side alone filters that side;
 * the rest is the join's condition. */
static void place_on(BExpr *q, void *ctx) {
    Placing *pl = ctx;
    Rel *r = pl->rel;
    Range cols = columns_read(q);
    SqlJoinType t = r->from->type;
    if (cols.lo <= cols.hi) {
        if (is_inner(t) && place(r, q, cols, pl->arena)) return;
        if (t == SQL_JOIN_LEFT && within(cols, r->right->from) && place(r->right, q, cols, pl->arena)) return;
        if (t == SQL_JOIN_RIGHT && within(cols, r->left->from) && place(r->left, q, cols, pl->arena)) return;
    }
    add_qual(r, q, pl->arena);
}

static void place_where(BExpr *q, void *ctx) {
    Placing *pl = ctx;
    Range cols = columns_read(q);
    if (cols.lo <= cols.hi && place(pl->rel, q, cols, pl->arena)) return;
    pl->above[pl->nabove++] = q;
}

static void place_join_conditions(Rel *r, Arena *arena) {
    if (!r->from->left) return;
    place_join_conditions(r->left, arena);
    place_join_conditions(r->right, arena);
    Placing pl = {r, arena, NULL, 0};
    if (r->from->on) split_and(r->from->on, place_on, &pl);
}

/* e over the FROM row, as an expression over a row that starts at `start`. */
static BExpr *shift(BExpr *e, int start, Arena *arena);

typedef struct Shift {
    int start;
    Arena *arena;
} Shift;

static bool shift_slot(BExpr **slot, void *ctx) {
    Shift *sh = ctx;
    *slot = shift(*slot, sh->start, sh->arena);
    return true;
}

static BExpr *shift(BExpr *e, int start, Arena *arena) {
    if (start == 0) return e;
    BExpr *k = planner__copy_node(e, arena);
    if (k->kind == BEXPR_COLUMN) {
        k->u.column -= start;
        return k;
    }
    Shift sh = {start, arena};
    planner__visit_children(k, shift_slot, &sh);
    return k;
}

static BExpr *and_all(BExpr **quals, int n, Arena *arena) {
    if (n == 0) return NULL;
    BExpr *e = quals[0];
    for (int i = 1; i < n; i++) {
        BExpr *and = arena_zalloc(arena, sizeof *and);
        and->kind = BEXPR_AND;
        and->type = TYPE_BOOL;
        and->typmod = -1;
        and->u.op.op = SQL_OP_AND;
        and->u.op.left = e;
        and->u.op.right = quals[i];
        e = and;
    }
    return e;
}

static void from_types(const FromNode *f, TypeId *types) {
    if (f->left) {
        from_types(f->left, types);
        from_types(f->right, types);
        return;
    }
    if (f->func) {
        types[f->start] = f->func->type;
        return;
    }
    if (f->subquery || f->worktable) {
        const PlanColumn *cols = f->subquery ? f->subquery->cols : f->worktable_cols;
        for (int i = 0; i < f->width; i++) types[f->start + i] = cols[i].type;
        return;
    }
    const TableDesc *d = storage_table_desc(f->table);
    for (int i = 0; i < d->ncols; i++) types[f->start + i] = d->cols[i].type;
}

/* q = an equality of a column expression of each side: its two operands, outer first. */
static bool hash_key(const Rel *r, BExpr *q, BExpr **outer, BExpr **inner) {
    if (q->kind != BEXPR_COMPARE || q->u.op.op != SQL_OP_EQ || !type_is_orderable((TypeId)q->u.op.left->type))
        return false;
    BExpr *a = q->u.op.left, *b = q->u.op.right;
    Range ra = columns_read(a), rb = columns_read(b);
    if (within(ra, r->left->from) && within(rb, r->right->from)) {
        *outer = a, *inner = b;
        return true;
    }
    if (within(rb, r->left->from) && within(ra, r->right->from)) {
        *outer = b, *inner = a;
        return true;
    }
    return false;
}

typedef struct Planning {
    Txn *txn;
    Arena *arena;
    const TypeId *types; /* of the FROM row */
    int *nexec;          /* the statement's correlation parameter slots (an index nested loop takes some) */
} Planning;

/* ---- index nested loops ---------------------------------------------------------------
 * A join whose outer side yields few rows (a table read through an index
 * prefix fixed by equalities, or such a nested loop itself) and whose
 * inner side is a table with an index on a column the join equates with an
 * outer value of its type reads the inner table through that index once
 * per outer row, instead of hashing all of it: the equality becomes the
 * inner scan's, with a parameter the join sets from each outer row (as a
 * LATERAL function's). There is no cost model yet: the shape decides, so
 * a cached plan stays right as tables grow. */

/* q as an index nested loop's key: the outer value and the inner table's
 * column (a column of an index's first key, of the same type). */
static bool nested_key(Planning *pg, const Rel *r, BExpr *q, BExpr **outer, BExpr **inner) {
    const FromNode *in = r->right->from;
    if (!in->table || !hash_key(r, q, outer, inner) || (*inner)->kind != BEXPR_COLUMN) return false;
    return (*outer)->type == (*inner)->type &&
           planner__leading_index_column(in->table, (*inner)->u.column - in->start, pg->txn);
}

static BExpr *table_qual(Planning *pg, const Rel *r) {
    BExpr **quals = arena_alloc(pg->arena, (size_t)(r->nquals + 1) * sizeof *quals);
    for (int i = 0; i < r->nquals; i++) quals[i] = shift(r->quals[i], r->from->start, pg->arena);
    return and_all(quals, r->nquals, pg->arena);
}

static bool nested_join(Planning *pg, const Rel *r);

/* Whether r yields few rows, as far as its shape tells. */
static bool few_rows(Planning *pg, const Rel *r) {
    const FromNode *f = r->from;
    if (f->table) return planner__selective_path(f->table, table_qual(pg, r), pg->txn);
    return f->left && nested_join(pg, r);
}

static bool nested_join(Planning *pg, const Rel *r) {
    const FromNode *f = r->from;
    if (f->right->nlateral || (f->type != SQL_JOIN_INNER && f->type != SQL_JOIN_LEFT)) return false;
    bool key = false;
    for (int i = 0; i < r->nquals && !key; i++) {
        BExpr *o, *in;
        key = nested_key(pg, r, r->quals[i], &o, &in);
    }
    return key && few_rows(pg, r->left);
}

/* The keys of a nested join: each becomes the inner scan's equality with a
 * parameter (*slots) set from its outer value (*exprs); *consumed marks them. */
static int nested_keys(Planning *pg, Rel *r, int *slots, BExpr **exprs, bool *consumed) {
    int n = 0, nquals = r->nquals;
    for (int i = 0; i < nquals; i++) {
        BExpr *o, *in;
        if (!nested_key(pg, r, r->quals[i], &o, &in)) continue;
        BExpr *param = arena_zalloc(pg->arena, sizeof *param);
        param->kind = BEXPR_EXEC_PARAM;
        param->type = o->type;
        param->typmod = o->typmod;
        param->u.param = slots[n] = (*pg->nexec)++;
        BExpr *eq = planner__copy_node(r->quals[i], pg->arena);
        if (eq->u.op.left == in)
            eq->u.op.right = param;
        else
            eq->u.op.left = param;
        add_qual(r->right, eq, pg->arena);
        exprs[n++] = o;
        consumed[i] = true;
    }
    return n;
}

static PlanNode *plan_rel(Planning *pg, Rel *r) {
    const FromNode *f = r->from;
    Arena *arena = pg->arena;
    if (f->subquery || f->worktable || f->func) { /* its rows (the first width columns of its tree's) */
        PlanNode *n =
            f->subquery ? f->subquery->root : new_node(arena, f->func ? NODE_FUNCTION : NODE_WORKTABLE, f->width, NULL);
        if (f->worktable) n->u.recursive.id = f->worktable - 1;
        if (f->func) n->u.func = f->func;
        if (!r->nquals) return n;
        BExpr **quals = arena_alloc(arena, (size_t)(r->nquals + 1) * sizeof *quals);
        for (int i = 0; i < r->nquals; i++) quals[i] = shift(r->quals[i], f->start, arena);
        n = new_node(arena, NODE_FILTER, n->width, n);
        n->qual = and_all(quals, r->nquals, arena);
        return n;
    }
    if (f->table) {
        PlanNode *n = new_node(arena, NODE_SCAN, f->width, NULL);
        BExpr **quals = arena_alloc(arena, (size_t)(r->nquals + 1) * sizeof *quals);
        for (int i = 0; i < r->nquals; i++) quals[i] = shift(r->quals[i], f->start, arena);
        n->qual = and_all(quals, r->nquals, arena);
        RowSource *src = arena_zalloc(arena, sizeof *src);
        src->table = f->table;
        planner__choose_path(src, n->qual, NULL, 0, pg->txn, arena);
        n->u.scan.src = src;
        return n;
    }
    const FromNode *lat = f->right;
    int nquals = r->nquals, nlateral = lat->nlateral;
    int *slots = lat->lateral_slots;
    BExpr **lateral = lat->lateral_exprs;
    bool *consumed = arena_zalloc(arena, (size_t)(nquals + 1) * sizeof *consumed);
    if (nested_join(pg, r)) { /* an index nested loop */
        int *keys = arena_alloc(arena, (size_t)(nquals + 1) * sizeof *keys);
        lateral = arena_alloc(arena, (size_t)(nquals + 1) * sizeof *lateral);
        nlateral = nested_keys(pg, r, keys, lateral, consumed);
        slots = keys;
    }
    PlanNode *n = new_node(arena, NODE_JOIN, f->width, plan_rel(pg, r->left));
    n->inner = plan_rel(pg, r->right);
    n->u.join.type = f->type == SQL_JOIN_CROSS ? SQL_JOIN_INNER : f->type;
    n->u.join.outer_width = f->left->width;
    n->u.join.types = pg->types + f->start;
    BExpr **rest = arena_alloc(arena, (size_t)(nquals + 1) * sizeof *rest);
    n->u.join.outer_keys = arena_alloc(arena, (size_t)(nquals + 1) * sizeof(BExpr *));
    n->u.join.inner_keys = arena_alloc(arena, (size_t)(nquals + 1) * sizeof(BExpr *));
    int nrest = 0;
    if (nlateral) { /* the inner side is read anew for each outer row: a nested loop */
        n->u.join.nlateral = nlateral;
        n->u.join.lateral_slots = slots;
        n->u.join.lateral_exprs = arena_alloc(arena, (size_t)nlateral * sizeof(BExpr *));
        for (int i = 0; i < nlateral; i++) n->u.join.lateral_exprs[i] = shift(lateral[i], f->left->start, arena);
    }
    for (int i = 0; i < nquals; i++) {
        BExpr *o, *in;
        if (consumed[i]) continue;
        if (!nlateral && hash_key(r, r->quals[i], &o, &in)) {
            int k = n->u.join.nkeys++;
            n->u.join.outer_keys[k] = shift(o, f->left->start, arena);
            n->u.join.inner_keys[k] = shift(in, f->right->start, arena);
        } else {
            rest[nrest++] = shift(r->quals[i], f->start, arena);
        }
    }
    n->qual = and_all(rest, nrest, arena);
    return n;
}

/* FROM with joins: the tree that makes the FROM row, and a FILTER above it
 * for the WHERE conditions no join took. */
static PlanNode *plan_from(const Plan *p, Txn *txn, int *nexec, Arena *arena) {
    Rel *root = make_rel(p->from, arena);
    place_join_conditions(root, arena);
    Placing pl = {root, arena, NULL, 0};
    pl.above = arena_alloc(arena, (size_t)(p->filter ? count_conjuncts(p->filter) : 0) * sizeof *pl.above + 1);
    if (p->filter) split_and(p->filter, place_where, &pl);
    TypeId *types = arena_alloc(arena, (size_t)(p->from->width + 1) * sizeof *types);
    from_types(p->from, types);
    Planning pg = {txn, arena, types, nexec};
    PlanNode *n = plan_rel(&pg, root);
    if (pl.nabove) {
        n = new_node(arena, NODE_FILTER, n->width, n);
        n->qual = and_all(pl.above, pl.nabove, arena);
    }
    return n;
}

typedef struct WindowColumns {
    int first; /* the WINDOW's first value column */
    Arena *arena;
} WindowColumns;

/* Each window call in *slot as the column the WINDOW operator puts it in. */
static bool window_columns(BExpr **slot, void *ctx) {
    WindowColumns *wc = ctx;
    BExpr *e = *slot;
    if (e->kind == BEXPR_WINDOW) {
        *slot = column_ref(wc->arena, wc->first + e->u.param, (TypeId)e->type);
        return true;
    }
    BExpr *k = planner__copy_node(e, wc->arena);
    planner__visit_children(k, window_columns, ctx);
    *slot = k;
    return true;
}

/* A set operation's two sides, each cast to the result's types. */
static PlanNode *setop_side(Arena *arena, const Plan *side, BExpr **casts, int ncols) {
    PlanNode *n = new_node(arena, NODE_PROJECT, ncols, side->root);
    n->u.project.exprs = casts;
    if (!casts) {
        n->u.project.exprs = arena_alloc(arena, (size_t)(ncols + 1) * sizeof(BExpr *));
        for (int i = 0; i < ncols; i++) n->u.project.exprs[i] = column_ref(arena, i, side->cols[i].type);
    }
    return n;
}

/* UNION ALL appends; UNION then keeps each row once; INTERSECT and EXCEPT
 * count; WITH RECURSIVE's union repeats its second side over the rows the
 * round before made. */
static PlanNode *plan_setop(const Plan *p, Arena *arena) {
    PlanNode *l = setop_side(arena, p->larg, p->lcast, p->ncols), *r = setop_side(arena, p->rarg, p->rcast, p->ncols);
    PlanNode *n;
    if (p->recursive) {
        n = new_node(arena, NODE_RECURSIVE, p->ncols, l);
        n->inner = r;
        n->u.recursive.id = p->recursive - 1;
        n->u.recursive.all = p->setop_all;
        return n;
    }
    if (p->setop == SQL_SETOP_UNION) {
        n = new_node(arena, NODE_APPEND, p->ncols, l);
        n->inner = r;
        if (p->setop_all) return n;
        n = new_node(arena, NODE_DISTINCT, p->ncols, n);
        n->u.distinct.ncols = p->ncols;
        return n;
    }
    n = new_node(arena, NODE_SETOP, p->ncols, l);
    n->inner = r;
    n->u.setop.op = p->setop;
    n->u.setop.all = p->setop_all;
    return n;
}

void planner__plan_select(Plan *p, Txn *txn, int *nexec, Arena *arena) {
    const RowSource *src = &p->source;
    bool sorted = p->nsort > 0 && !src->ordered;
    bool lock = p->locking && src->table;
    int table_width = src->table ? storage_table_desc(src->table)->ncols : 0;

    PlanNode *n;
    if (src->table) {
        n = new_node(arena, NODE_SCAN, table_width + (lock ? 2 : 0), NULL);
        n->u.scan.src = src;
        n->u.scan.junk = lock;
        n->qual = p->filter;
    } else if (p->from) {
        n = plan_from(p, txn, nexec, arena);
    } else if (p->setop) {
        n = plan_setop(p, arena);
    } else if (p->values) {
        n = new_node(arena, NODE_VALUES, p->ncols, NULL);
        n->u.values.rows = p->values;
        n->u.values.nrows = p->nvalues;
    } else {
        n = new_node(arena, NODE_RESULT, 0, NULL);
        n->qual = p->filter;
    }
    if (p->nsrfs) { /* the select list's set-returning functions, after the FROM row */
        n = new_node(arena, NODE_PROJECT_SET, n->width + p->nsrfs, n);
        n->u.srf.funcs = p->srfs;
        n->u.srf.n = p->nsrfs;
    }
    if (p->grouped) {
        n = new_node(arena, NODE_AGG, p->naggs + p->ngroup + (p->nsets ? 1 : 0), n);
        n->u.agg.keys = p->group;
        n->u.agg.nkeys = p->ngroup;
        n->u.agg.sets = p->grouping_sets;
        n->u.agg.nsets = p->nsets;
        n->u.agg.calls = p->aggs;
        n->u.agg.ncalls = p->naggs;
        if (p->having) {
            n = new_node(arena, NODE_FILTER, n->width, n);
            n->qual = p->having;
        }
    }
    if (p->nwins) { /* the calls' values follow the row: the expressions above read them there */
        WindowColumns wc = {n->width, arena};
        n = new_node(arena, NODE_WINDOW, n->width + p->nwins, n);
        n->u.window.calls = p->wins;
        n->u.window.ncalls = p->nwins;
        for (int i = 0; i < p->ncols; i++) window_columns(&p->targets[i], &wc);
        for (int i = 0; i < p->nsort; i++) window_columns(&p->sort[i].expr, &wc);
        for (int i = 0; i < p->ndistinct_on; i++) window_columns(&p->distinct_on[i], &wc);
    }
    if (lock && !sorted) n = lock_node(arena, p, n, table_width);

    /* targets, sort keys, DISTINCT ON keys, junk */
    int nkeys = sorted || p->with_ties ? p->nsort : 0, non = p->ndistinct_on, junk = lock && sorted ? 2 : 0;
    int width = p->ncols + nkeys + non + junk;
    PlanNode *proj = new_node(arena, NODE_PROJECT, width, n);
    BExpr **exprs = arena_alloc(arena, (size_t)(width + 1) * sizeof *exprs);
    for (int i = 0; i < p->ncols; i++) exprs[i] = p->targets[i];
    for (int i = 0; i < nkeys; i++) exprs[p->ncols + i] = p->sort[i].expr;
    for (int i = 0; i < non; i++) exprs[p->ncols + nkeys + i] = p->distinct_on[i];
    for (int i = 0; i < junk; i++) exprs[p->ncols + nkeys + non + i] = column_ref(arena, table_width + i, TYPE_INT8);
    proj->u.project.exprs = exprs;
    n = proj;
    if (p->distinct && !non) { /* before the sort: fewer rows to sort, the same ones in the end */
        n = new_node(arena, NODE_DISTINCT, width, n);
        n->u.distinct.ncols = p->ncols;
    }

    if (sorted) {
        SortKey *keys = arena_alloc(arena, (size_t)nkeys * sizeof *keys);
        for (int i = 0; i < nkeys; i++) {
            keys[i] = p->sort[i];
            keys[i].expr = column_ref(arena, p->ncols + i, (TypeId)p->sort[i].expr->type);
        }
        n = new_node(arena, NODE_SORT, width, n);
        n->u.sort.keys = keys;
        n->u.sort.nkeys = nkeys;
        if (!lock && !non && !p->with_ties) { /* a LOCK or DISTINCT ON between them drops rows; ties go past it */
            n->u.sort.limit = p->limit;
            n->u.sort.offset = p->offset;
        }
        if (lock) n = lock_node(arena, p, n, p->ncols + nkeys);
    }
    if (non) { /* the first row of each key, in the sort's order */
        int *cols = arena_alloc(arena, (size_t)non * sizeof *cols);
        for (int i = 0; i < non; i++) cols[i] = p->ncols + nkeys + i;
        n = new_node(arena, NODE_DISTINCT, width, n);
        n->u.distinct.ncols = non;
        n->u.distinct.cols = cols;
    }
    if (p->limit || p->offset) {
        n = new_node(arena, NODE_LIMIT, width, n);
        n->u.limit.limit = p->limit;
        n->u.limit.offset = p->offset;
        if (p->with_ties) n->u.limit.ties = p->ncols, n->u.limit.nties = p->nsort;
    }
    p->root = n;
}
