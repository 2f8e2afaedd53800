/*
 * plan.c — the operator tree (ops.c runs it) of a bound query.
 *
 * A single-table SELECT becomes, from the bottom up:
 *
 *   SCAN (or RESULT without FROM), with WHERE as its qual
 *   LOCK        FOR UPDATE and friends, when nothing is sorted
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

void planner__plan_select(Plan *p, Arena *arena) {
    const RowSource *src = &p->source;
    bool sorted = p->nsort > 0 && !src->ordered;
    bool lock = p->locking && src->table;
    int table_width = src->table ? storage_table_desc(src->table)->ncols : 0;

    PlanNode *n;
    if (src->table) {
        n = new_node(arena, NODE_SCAN, table_width + (lock ? 2 : 0), NULL);
        n->u.scan.src = src;
        n->u.scan.junk = lock;
    } else {
        n = new_node(arena, NODE_RESULT, 0, NULL);
    }
    n->qual = p->filter;
    if (lock && !sorted) n = lock_node(arena, p, n, table_width);

    /* targets, sort keys, junk */
    int nkeys = sorted ? p->nsort : 0, junk = lock && sorted ? 2 : 0;
    int width = p->ncols + nkeys + junk;
    PlanNode *proj = new_node(arena, NODE_PROJECT, width, n);
    BExpr **exprs = arena_alloc(arena, (size_t)(width + 1) * sizeof *exprs);
    for (int i = 0; i < p->ncols; i++) exprs[i] = p->targets[i];
    for (int i = 0; i < nkeys; i++) exprs[p->ncols + i] = p->sort[i].expr;
    for (int i = 0; i < junk; i++) exprs[p->ncols + nkeys + i] = column_ref(arena, table_width + i, TYPE_INT8);
    proj->u.project.exprs = exprs;
    n = proj;

    if (sorted) {
        SortKey *keys = arena_alloc(arena, (size_t)nkeys * sizeof *keys);
        for (int i = 0; i < nkeys; i++) {
            keys[i] = p->sort[i];
            keys[i].expr = column_ref(arena, p->ncols + i, (TypeId)p->sort[i].expr->type);
        }
        n = new_node(arena, NODE_SORT, width, n);
        n->u.sort.keys = keys;
        n->u.sort.nkeys = nkeys;
        if (!lock) { /* a LOCK between them may drop rows (SKIP LOCKED): no bound then */
            n->u.sort.limit = p->limit;
            n->u.sort.offset = p->offset;
        }
        if (lock) n = lock_node(arena, p, n, p->ncols + nkeys);
    }
    if (p->limit || p->offset) {
        n = new_node(arena, NODE_LIMIT, width, n);
        n->u.limit.limit = p->limit;
        n->u.limit.offset = p->offset;
    }
    p->root = n;
}
