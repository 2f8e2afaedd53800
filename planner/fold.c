/*
 * fold.c — constant folding: every subexpression whose inputs are all
 * constants is evaluated once, at plan time, and replaced by its value.
 *
 * This is PostgreSQL's eval_const_expressions in miniature, and it matters
 * for more than speed: PostgreSQL raises the errors of constant expressions
 * (overflow, division by zero, a cast that fails) while planning, after every
 * parse-analysis error and before any row is read, visiting arguments left to
 * right and depth first; AND drops out at a constant FALSE argument and OR at
 * a constant TRUE one without evaluating the others. Folded keys also let the
 * planner see `id = 2::int8` as a primary-key lookup.
 *
 * INTERFACE (planner-internal): planner__fold_plan
 */
#include "planner/planner_int.h"

static bool fold(BExpr **slot, Arena *arena, Error *err);

static bool is_const(const BExpr *e) { return e->kind == BEXPR_CONST; }

static BExpr *make_const(BExpr *e, Value v, Arena *arena) {
    BExpr *k = arena_zalloc(arena, sizeof *k);
    k->kind = BEXPR_CONST;
    k->type = e->type;
    k->typmod = e->typmod;
    k->pos = e->pos;
    v.type = e->type;
    k->u.constant = v;
    return k;
}

/* Evaluates e (all of whose inputs are constants) into a constant. */
static bool replace_by_value(BExpr **slot, Arena *arena, Error *err) {
    Value v;
    if (!planner__eval(*slot, NULL, NULL, arena, &v, err)) return false;
    *slot = make_const(*slot, v, arena);
    return true;
}

/* AND / OR: a deciding constant argument decides the whole expression. */
static bool fold_logic(BExpr **slot, Arena *arena, Error *err) {
    BExpr *e = *slot;
    bool decider = e->kind == BEXPR_OR;
    BExpr **args[2] = {&e->u.op.left, &e->u.op.right};
    for (int i = 0; i < 2; i++) {
        if (!fold(args[i], arena, err)) return false;
        const BExpr *a = *args[i];
        if (is_const(a) && !a->u.constant.isnull && a->u.constant.u.b == decider) {
            *slot = make_const(e, value_bool(decider), arena);
            return true;
        }
    }
    if (is_const(e->u.op.left) && is_const(e->u.op.right)) return replace_by_value(slot, arena, err);
    return true;
}

/* A call: its arguments first; the call itself only if it is immutable (a
 * volatile one such as pg_current_wal_lsn() reads the server each time a
 * plan runs, so a prepared statement never sees a stale value). */
static bool fold_func(BExpr **slot, Arena *arena, Error *err) {
    BExpr *e = *slot;
    bool all_const = true;
    for (int i = 0; i < e->u.func.nargs; i++) {
        if (!fold(&e->u.func.args[i], arena, err)) return false;
        all_const &= is_const(e->u.func.args[i]);
    }
    if (e->u.func.fn->volatility != FUNC_IMMUTABLE || !all_const) return true;
    return replace_by_value(slot, arena, err);
}

/* Children (NULL ones absent) folded first; the node if all are constant. */
static bool fold_children(BExpr **slot, BExpr **children[], int n, Arena *arena, Error *err) {
    bool all_const = true;
    for (int i = 0; i < n; i++) {
        if (!*children[i]) continue;
        if (!fold(children[i], arena, err)) return false;
        all_const &= is_const(*children[i]);
    }
    return !all_const || replace_by_value(slot, arena, err);
}

static bool fold(BExpr **slot, Arena *arena, Error *err) {
    if (!stack_check(err)) return false;
    BExpr *e = *slot;
    switch (e->kind) {
    case BEXPR_CONST:
    case BEXPR_COLUMN:
    case BEXPR_PARAM: return true;
    case BEXPR_AND:
    case BEXPR_OR: return fold_logic(slot, arena, err);
    case BEXPR_CAST:
        if (!fold(&e->u.cast.arg, arena, err)) return false;
        return !is_const(e->u.cast.arg) || replace_by_value(slot, arena, err);
    case BEXPR_NEG:
    case BEXPR_NOT:
        if (!fold(&e->u.arg, arena, err)) return false;
        return !is_const(e->u.arg) || replace_by_value(slot, arena, err);
    case BEXPR_IS_NULL:
        if (!fold(&e->u.isnull.arg, arena, err)) return false;
        return !is_const(e->u.isnull.arg) || replace_by_value(slot, arena, err);
    case BEXPR_ARITH:
    case BEXPR_COMPARE:
        if (!fold(&e->u.op.left, arena, err) || !fold(&e->u.op.right, arena, err)) return false;
        return !(is_const(e->u.op.left) && is_const(e->u.op.right)) || replace_by_value(slot, arena, err);
    case BEXPR_FUNC: return fold_func(slot, arena, err);
    case BEXPR_ARRAY: {
        BExpr ***items = arena_alloc(arena, (size_t)(e->u.array.n + 1) * sizeof *items);
        for (int i = 0; i < e->u.array.n; i++) items[i] = &e->u.array.items[i];
        return fold_children(slot, items, e->u.array.n, arena, err);
    }
    case BEXPR_SUBSCRIPT:
        return fold_children(
            slot,
            (BExpr * *[]){&e->u.subscript.value, &e->u.subscript.index, &e->u.subscript.lower, &e->u.subscript.upper},
            4, arena, err);
    case BEXPR_ANY: return fold_children(slot, (BExpr * *[]){&e->u.any.left, &e->u.any.right}, 2, arena, err);
    }
    return true;
}

static bool fold_all(BExpr **exprs, int n, Arena *arena, Error *err) {
    for (int i = 0; i < n; i++)
        if (exprs[i] && !fold(&exprs[i], arena, err)) return false;
    return true;
}

static bool fold_opt(BExpr **slot, Arena *arena, Error *err) { return !*slot || fold(slot, arena, err); }

/* The order is PostgreSQL's: the target list (with sort keys, which it keeps
 * there as hidden columns), then the qualification, then LIMIT / OFFSET;
 * VALUES rows before RETURNING. */
bool planner__fold_plan(Plan *p, Arena *arena, Error *err) {
    int ncols = p->source.table ? storage_table_desc(p->source.table)->ncols : 0;
    for (int r = 0; r < p->ninsert_rows; r++)
        if (!fold_all(p->insert_rows[r], ncols, arena, err)) return false;
    if (p->update_values && !fold_all(p->update_values, ncols, arena, err)) return false;
    if (p->kind == PLAN_SELECT && !fold_all(p->targets, p->ncols, arena, err)) return false;
    for (int i = 0; i < p->nsort; i++)
        if (!fold(&p->sort[i].expr, arena, err)) return false;
    if (!fold_opt(&p->filter, arena, err)) return false;
    if (p->kind != PLAN_SELECT && p->targets && !fold_all(p->targets, p->ncols, arena, err)) return false;
    if (p->call_args && !fold_all(p->call_args, p->call.nparams, arena, err)) return false;
    return fold_opt(&p->limit, arena, err) && fold_opt(&p->offset, arena, err);
}
