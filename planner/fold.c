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
static bool fold_all(BExpr **exprs, int n, Arena *arena, Error *err);
static bool fold_opt(BExpr **slot, Arena *arena, Error *err);

static bool is_const(const BExpr *e) { return e->kind == BEXPR_CONST; }

static bool is_null_const(const BExpr *e) { return e->kind == BEXPR_CONST && e->u.constant.isnull; }

/* planner__fold_plan's flag: an expression of parameters alone (and
 * constants) met where constants would have folded. */
static bool *params_folded;

/* A constant, a parameter, or a cast of one: what literals would have folded. */
static bool is_fixed(const BExpr *e) {
    while (e->kind == BEXPR_CAST) e = e->u.cast.arg;
    return e->kind == BEXPR_CONST || e->kind == BEXPR_PARAM;
}

static bool is_param(const BExpr *e) {
    while (e->kind == BEXPR_CAST) e = e->u.cast.arg;
    return e->kind == BEXPR_PARAM;
}

/* A cast that cannot fail (and so folds to nothing that could raise). */
static bool widening(TypeId from, TypeId to) {
    if (from == to) return true;
    if (from == TYPE_INT2) return to == TYPE_INT4 || to == TYPE_INT8 || to == TYPE_NUMERIC || to == TYPE_FLOAT8;
    if (from == TYPE_INT4) return to == TYPE_INT8 || to == TYPE_NUMERIC || to == TYPE_FLOAT8;
    if (from == TYPE_INT8) return to == TYPE_NUMERIC;
    return false;
}

/* Notes the inputs that were all fixed, some of them parameters. */
static void note_params(BExpr *const *inputs, int n) {
    bool all_fixed = true, any_param = false;
    for (int i = 0; i < n; i++) {
        if (!inputs[i]) continue;
        all_fixed &= is_fixed(inputs[i]);
        any_param |= is_param(inputs[i]);
    }
    if (all_fixed && any_param) *params_folded = true;
}

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
    note_params((BExpr *[]){e->u.op.left, e->u.op.right}, 2);
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
    if (e->u.func.fn->volatility != FUNC_IMMUTABLE) return true;
    note_params(e->u.func.args, e->u.func.nargs);
    for (int i = 0; !e->u.func.fn->nonstrict && i < e->u.func.nargs; i++)
        if (is_null_const(e->u.func.args[i])) { /* a strict function of a NULL is NULL, as PostgreSQL folds it */
            *slot = make_const(e, value_null((TypeId)e->type), arena);
            return true;
        }
    if (!all_const) return true;
    return replace_by_value(slot, arena, err);
}

/* Children (NULL ones absent) folded first; the node if all are constant. */
static bool fold_children(BExpr **slot, BExpr **children[], int n, Arena *arena, Error *err) {
    bool all_const = true, all_fixed = true, any_param = false;
    for (int i = 0; i < n; i++) {
        if (!*children[i]) continue;
        if (!fold(children[i], arena, err)) return false;
        all_const &= is_const(*children[i]);
        all_fixed &= is_fixed(*children[i]);
        any_param |= is_param(*children[i]);
    }
    if (all_fixed && any_param) *params_folded = true;
    return !all_const || replace_by_value(slot, arena, err);
}

/* CASE x WHEN ... with x constant: x's value, which its WHEN comparisons
 * read (so they fold too); NULL otherwise. Saved and restored around a
 * nested CASE, as PostgreSQL's eval_const_expressions keeps its case_val. */
static const BExpr *case_constant;

static BExpr *null_const(BExpr *e, Arena *arena) { return make_const(e, value_null(e->type), arena); }

/* CASE as PostgreSQL simplifies it: a WHEN that folds to FALSE or NULL is
 * dropped without folding its result; at one that folds to TRUE the CASE
 * becomes its result and nothing after it is folded (so `CASE WHEN true
 * THEN 1 ELSE 1/0 END` is 1), and ELSE is folded only if no WHEN did. */
static bool fold_case(BExpr **slot, Arena *arena, Error *err) {
    BExpr *e = *slot;
    if (e->u.case_.arg && !fold(&e->u.case_.arg, arena, err)) return false;
    const BExpr *saved = case_constant;
    case_constant = e->u.case_.arg && is_const(e->u.case_.arg) ? e->u.case_.arg : NULL;
    int kept = 0;
    BExpr *decided = NULL;
    for (int i = 0; i < e->u.case_.n && !decided; i++) {
        bool ok = fold(&e->u.case_.whens[i], arena, err);
        if (!ok) return case_constant = saved, false;
        const BExpr *w = e->u.case_.whens[i];
        if (is_const(w) && (w->u.constant.isnull || !w->u.constant.u.b)) continue;
        if (!fold(&e->u.case_.thens[i], arena, err)) return case_constant = saved, false;
        if (is_const(w)) {
            decided = e->u.case_.thens[i];
            break;
        }
        e->u.case_.whens[kept] = e->u.case_.whens[i];
        e->u.case_.thens[kept++] = e->u.case_.thens[i];
    }
    case_constant = saved;
    if (decided) {
        e->u.case_.else_ = decided;
    } else if (!fold(&e->u.case_.else_, arena, err)) {
        return false;
    }
    e->u.case_.n = kept;
    if (kept == 0) *slot = e->u.case_.else_;
    return true;
}

/* COALESCE: NULL constants are dropped; a constant that is not NULL ends
 * the list (the items after it are not folded), and is the whole value if
 * it comes first. */
static bool fold_coalesce(BExpr **slot, Arena *arena, Error *err) {
    BExpr *e = *slot;
    int kept = 0;
    for (int i = 0; i < e->u.list.n; i++) {
        if (!fold(&e->u.list.items[i], arena, err)) return false;
        BExpr *item = e->u.list.items[i];
        if (is_const(item) && item->u.constant.isnull) continue;
        e->u.list.items[kept++] = item;
        if (is_const(item)) break;
    }
    e->u.list.n = kept;
    if (kept == 0)
        *slot = null_const(e, arena);
    else if (is_const(e->u.list.items[0]))
        *slot = make_const(e, e->u.list.items[0]->u.constant, arena);
    return true;
}

static bool fold(BExpr **slot, Arena *arena, Error *err) {
    if (!stack_check(err)) return false;
    BExpr *e = *slot;
    switch (e->kind) {
    case BEXPR_CONST:
    case BEXPR_COLUMN:
    case BEXPR_PARAM:
    case BEXPR_EXEC_PARAM:
    case BEXPR_SUBLINK_VALUE:
    case BEXPR_WINDOW:
    case BEXPR_AGGREF: return true;
    case BEXPR_SUBLINK: /* never a constant: its test and parameters fold */
        if (e->u.sublink.test && !fold(&e->u.sublink.test, arena, err)) return false;
        return fold_all(e->u.sublink.args, e->u.sublink.nparams, arena, err);
    case BEXPR_AND:
    case BEXPR_OR: return fold_logic(slot, arena, err);
    case BEXPR_CAST:
        if (!fold(&e->u.cast.arg, arena, err)) return false;
        if (e->u.cast.arg->kind == BEXPR_PARAM && !widening((TypeId)e->u.cast.arg->type, (TypeId)e->type))
            *params_folded = true; /* a literal's cast that may fail fails at plan time */
        return !is_const(e->u.cast.arg) || replace_by_value(slot, arena, err);
    case BEXPR_NEG:
    case BEXPR_NOT:
        if (!fold(&e->u.arg, arena, err)) return false;
        note_params(&e->u.arg, 1);
        return !is_const(e->u.arg) || replace_by_value(slot, arena, err);
    case BEXPR_IS_NULL:
        if (!fold(&e->u.isnull.arg, arena, err)) return false;
        note_params(&e->u.isnull.arg, 1);
        return !is_const(e->u.isnull.arg) || replace_by_value(slot, arena, err);
    case BEXPR_ARITH:
    case BEXPR_COMPARE:
        if (!fold(&e->u.op.left, arena, err) || !fold(&e->u.op.right, arena, err)) return false;
        note_params((BExpr *[]){e->u.op.left, e->u.op.right}, 2);
        if (is_null_const(e->u.op.left) || is_null_const(e->u.op.right)) { /* strict: NULL, as PostgreSQL folds it */
            *slot = make_const(e, value_null((TypeId)e->type), arena);
            return true;
        }
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
    case BEXPR_CASE: return fold_case(slot, arena, err);
    case BEXPR_CASE_VALUE:
        if (case_constant) *slot = make_const(e, case_constant->u.constant, arena);
        return true;
    case BEXPR_DISTINCT:
    case BEXPR_NULLIF: return fold_children(slot, (BExpr * *[]){&e->u.op.left, &e->u.op.right}, 2, arena, err);
    case BEXPR_BOOLTEST: return fold_children(slot, (BExpr * *[]){&e->u.booltest.arg}, 1, arena, err);
    case BEXPR_COALESCE: return fold_coalesce(slot, arena, err);
    case BEXPR_GREATEST:
    case BEXPR_LEAST: {
        BExpr ***items = arena_alloc(arena, (size_t)(e->u.list.n + 1) * sizeof *items);
        for (int i = 0; i < e->u.list.n; i++) items[i] = &e->u.list.items[i];
        return fold_children(slot, items, e->u.list.n, arena, err);
    }
    }
    return true;
}

static bool fold_all(BExpr **exprs, int n, Arena *arena, Error *err) {
    for (int i = 0; i < n; i++)
        if (exprs[i] && !fold(&exprs[i], arena, err)) return false;
    return true;
}

static bool fold_opt(BExpr **slot, Arena *arena, Error *err) { return !*slot || fold(slot, arena, err); }

/* A WHERE with a conjunct that folded to FALSE or NULL keeps no row: as
 * PostgreSQL's one-time filter, it reads no row either, so the other
 * conjuncts are never evaluated (and raise nothing). */
static bool never_true(const BExpr *e) {
    if (e->kind == BEXPR_AND) return never_true(e->u.op.left) || never_true(e->u.op.right);
    return is_const(e) && (e->u.constant.isnull || !e->u.constant.u.b);
}

/* FROM's functions' arguments and its joins' conditions, in the order written. */
static bool fold_from(FromNode *f, Arena *arena, Error *err) {
    if (f->func && !fold_all(f->func->args, f->func->nargs, arena, err)) return false;
    if (f->left && (!fold_from(f->left, arena, err) || !fold_from(f->right, arena, err))) return false;
    return fold_opt(&f->on, arena, err);
}

/* The order is PostgreSQL's: the target list (with sort keys, which it keeps
 * there as hidden columns), then the qualification, then LIMIT / OFFSET;
 * VALUES rows before RETURNING. */
bool planner__fold_plan(Plan *p, Arena *arena, bool *folds_params, Error *err) {
    params_folded = folds_params;
    int ncols = p->source.table ? storage_table_desc(p->source.table)->ncols : 0;
    for (int r = 0; r < p->ninsert_rows; r++)
        if (!fold_all(p->insert_rows[r], ncols, arena, err)) return false;
    if (p->update_values && !fold_all(p->update_values, ncols, arena, err)) return false;
    for (int i = 0; i < p->naggs; i++) { /* the calls inside the targets come first */
        AggCall *c = p->aggs[i];
        if (!fold_all(c->args, c->nargs, arena, err) || !fold_opt(&c->filter, arena, err)) return false;
        for (int k = 0; k < c->norder; k++)
            if (!fold(&c->order[k].expr, arena, err)) return false;
    }
    for (int i = 0; i < p->nwins; i++) {
        WindowCall *w = p->wins[i];
        if (!fold_all(w->args, w->nargs, arena, err) || (w->agg && !fold_opt(&w->agg->filter, arena, err)))
            return false;
        if (!fold_all(w->def->partition, w->def->npartition, arena, err)) return false;
        for (int k = 0; k < w->def->norder; k++)
            if (!fold(&w->def->order[k].expr, arena, err)) return false;
        if (!fold_opt(&w->def->start_offset, arena, err) || !fold_opt(&w->def->end_offset, arena, err)) return false;
    }
    if (p->kind == PLAN_SELECT && !fold_all(p->targets, p->ncols, arena, err)) return false;
    for (int i = 0; i < p->nsort; i++)
        if (!fold(&p->sort[i].expr, arena, err)) return false;
    if (p->from && !fold_from(p->from, arena, err)) return false;
    if (!fold_opt(&p->filter, arena, err)) return false;
    if (p->filter && never_true(p->filter)) p->filter = make_const(p->filter, value_bool(false), arena);
    if (!fold_all(p->group, p->ngroup, arena, err) || !fold_opt(&p->having, arena, err)) return false;
    for (int r = 0; r < p->nvalues; r++)
        if (!fold_all(p->values[r], p->ncols, arena, err)) return false;
    if ((p->lcast && !fold_all(p->lcast, p->ncols, arena, err)) ||
        (p->rcast && !fold_all(p->rcast, p->ncols, arena, err)))
        return false;
    if (!fold_all(p->distinct_on, p->ndistinct_on, arena, err)) return false;
    if (p->kind != PLAN_SELECT && p->targets && !fold_all(p->targets, p->ncols, arena, err)) return false;
    if (p->call_args && !fold_all(p->call_args, p->call.nparams, arena, err)) return false;
    return fold_opt(&p->limit, arena, err) && fold_opt(&p->offset, arena, err);
}
