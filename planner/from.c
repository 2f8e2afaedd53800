/*
 * from.c — FROM: the tables and joins a query reads, and the names its
 * expressions may use, resolved as PostgreSQL resolves them.
 *
 * Binding FROM lays its items' columns side by side in one row (the FROM
 * row, planner_int.h) and builds the scope: one item per table and per
 * join. A join's item has the columns of its left then its right, except
 * that USING and NATURAL merge each pair of equal names into one column
 * (first, in the USING order): the left one for inner and left joins, the
 * right one for right joins, COALESCE of both for full joins, each of the
 * pair's common type. The items inside a join stay visible by name (a.x)
 * but not for unqualified names, which resolve through the join; a join
 * with an alias hides them entirely. While a join's ON is bound only the
 * join's own items are in view (PostgreSQL: "cannot be referenced from
 * this part of the query").
 *
 * Errors, as PostgreSQL words them: 42P01 relation "t" does not exist /
 * missing FROM-clause entry / invalid reference to FROM-clause entry,
 * 42703 column does not exist (with its hints), 42702 ambiguous column,
 * 42712 table name specified more than once, 42P10 too many column
 * aliases, and USING's 42703 / 42702 / 42701.
 *
 * INTERFACE (planner-internal): planner__bind_from, planner__scope_table,
 *   planner__scope_column, planner__scope_relation, planner__from_origin
 */
#include "planner/planner_int.h"

#include <string.h>

#define fail_at planner__fail_at

/* ---- the scope --------------------------------------------------------------------- */

static int add_item(Binder *b) {
    Scope *s = b->scope;
    if (s->n == s->cap) {
        int cap = s->cap ? 2 * s->cap : 8;
        ScopeItem *items = arena_zalloc(b->arena, (size_t)cap * sizeof *items);
        if (s->n) memcpy(items, s->items, (size_t)s->n * sizeof *items);
        s->items = items;
        s->cap = cap;
    }
    memset(&s->items[s->n], 0, sizeof s->items[s->n]);
    return s->n++;
}

static Scope *new_scope(Binder *b) {
    Scope *s = arena_zalloc(b->arena, sizeof *s);
    return s;
}

BExpr *planner__column_ref(Arena *arena, int column, TypeId type, int32_t typmod, int byte_pos) {
    BExpr *e = arena_zalloc(arena, sizeof *e);
    e->kind = BEXPR_COLUMN;
    e->type = type;
    e->typmod = typmod;
    e->pos = byte_pos >= 0 ? byte_pos + 1 : 0;
    e->u.column = column;
    return e;
}

/* A table's item: its columns from `offset` of the FROM row. */
static int table_item(Binder *b, Table *t, const char *name, const char *table_name, int offset) {
    int k = add_item(b);
    ScopeItem *it = &b->scope->items[k];
    const TableDesc *d = storage_table_desc(t);
    it->name = name;
    it->table = table_name;
    it->rel_visible = it->cols_visible = true;
    it->rel = t;
    it->offset = offset;
    it->ncols = d->ncols;
    it->colnames = arena_alloc(b->arena, (size_t)(d->ncols + 1) * sizeof *it->colnames);
    it->cols = arena_alloc(b->arena, (size_t)(d->ncols + 1) * sizeof *it->cols);
    for (int i = 0; i < d->ncols; i++) {
        it->colnames[i] = d->cols[i].name;
        it->cols[i] = planner__column_ref(b->arena, offset + i, d->cols[i].type, d->cols[i].typmod, -1);
    }
    return k;
}

void planner__scope_table(Binder *b, Table *t, const char *name, const char *table) {
    b->scope = new_scope(b);
    table_item(b, t, name, table, 0);
    b->scope->width = storage_table_desc(t)->ncols;
}

/* AS alias (a, b): the first columns renamed; more names than columns is 42P10. */
static bool rename_columns(Binder *b, const FromItem *f, ScopeItem *it) {
    if (f->ncolumn_aliases > it->ncols)
        return fail_at(b, -1, SQLSTATE_INVALID_COLUMN_REFERENCE,
                       "table \"%s\" has %d columns available but %d columns specified", it->name, it->ncols,
                       f->ncolumn_aliases),
               false;
    if (f->ncolumn_aliases == 0) return true;
    const char **names = arena_alloc(b->arena, (size_t)(it->ncols + 1) * sizeof *names);
    for (int i = 0; i < it->ncols; i++) names[i] = i < f->ncolumn_aliases ? f->column_aliases[i] : it->colnames[i];
    it->colnames = names;
    return true;
}

/* ---- FROM items -------------------------------------------------------------------- */

static FromNode *bind_item(Binder *b, const FromItem *f, int *item);
static FromNode *bind_function(Binder *b, const FromItem *f, int *item);

static FromNode *subquery_item(Binder *b, const FromItem *f, Plan *sub, const char *name, int *item);

/* A WITH query's name: its rows bound here as a subquery's, or (inside
 * the recursive query being bound) its work table. */
/* Whether b binds the recursive term's FROM (or a subquery in it), not a
 * sublink: the term's binder sits beside the one that bound the WITH. */
static bool in_recursive_term(const Binder *b, const Binder *term) {
    for (; b; b = b->beside)
        if (b->beside == term) return true;
    return false;
}

/* Rows of work table `worktable` - 1 (a recursive query's last round, a
 * write's RETURNING rows) as the item f names, of these columns. */
static FromNode *worktable_item(Binder *b, const FromItem *f, int worktable, const PlanColumn *cols, int ncols,
                                int *item) {
    FromNode *n = arena_zalloc(b->arena, sizeof *n);
    n->worktable = worktable;
    n->worktable_cols = cols;
    n->start = b->scope->width;
    n->width = ncols;
    b->scope->width += n->width;
    *item = add_item(b);
    ScopeItem *it = &b->scope->items[*item];
    it->name = f->alias ? f->alias : f->name;
    it->rel_visible = it->cols_visible = true;
    it->offset = n->start;
    it->ncols = n->width;
    it->colnames = arena_alloc(b->arena, (size_t)(n->width + 1) * sizeof *it->colnames);
    it->cols = arena_alloc(b->arena, (size_t)(n->width + 1) * sizeof *it->cols);
    for (int c = 0; c < n->width; c++) {
        it->colnames[c] = cols[c].name;
        it->cols[c] = planner__column_ref(b->arena, n->start + c, cols[c].type, cols[c].typmod, -1);
    }
    return rename_columns(b, f, it) ? n : NULL;
}

FromNode *planner__bind_cte_reference(Binder *b, const FromItem *f, int *item, bool *found) {
    *found = false;
    if (f->schema) return NULL; /* schema.name is a table, never a WITH query */
    for (CteScope *sc = b->ctes; sc; sc = sc->parent)
        for (int i = 0; i < sc->n; i++) {
            if (strcmp(sc->items[i].name, f->name) != 0) continue;
            if (!sc->recursive && sc->binding && i >= sc->binding - 1) continue; /* not yet declared */
            *found = true;
            if (sc->binding == i + 1) { /* the recursive query's own name */
                if (sc->worktable <= 0)
                    return fail_at(b, sc->worktable ? sc->items[i].pos : f->pos, SQLSTATE_INVALID_RECURSION,
                                   sc->worktable ? "recursive query \"%s\" does not have the form non-recursive-term "
                                                   "UNION [ALL] recursive-term"
                                                 : "recursive reference to query \"%s\" must not appear within its "
                                                   "non-recursive term",
                                   f->name);
                const char *misplaced = !in_recursive_term(b, sc->term) ? "within a subquery"
                                        : b->nullable                   ? "within an outer join"
                                        : sc->references                ? "more than once"
                                                                        : NULL;
                if (misplaced)
                    return fail_at(b, f->pos, SQLSTATE_INVALID_RECURSION,
                                   "recursive reference to query \"%s\" must not appear %s", f->name, misplaced);
                sc->references++;
                return worktable_item(b, f, sc->worktable, sc->cols, sc->ncols, item);
            }
            Plan *sub = planner__bind_cte(b, sc, i);
            sc->referenced[i] = true;
            if (sub && sub->kind != PLAN_SELECT) { /* a write: its RETURNING rows */
                if (!sub->ncols)
                    return fail_at(b, f->pos, SQLSTATE_FEATURE_NOT_SUPPORTED,
                                   "WITH query \"%s\" does not have a RETURNING clause", f->name);
                return worktable_item(b, f, sub->worktable, sub->cols, sub->ncols, item);
            }
            return sub ? subquery_item(b, f, sub, f->alias ? f->alias : f->name, item) : NULL;
        }
    return NULL;
}

static FromNode *bind_table(Binder *b, const FromItem *f, int *item) {
    bool cte;
    FromNode *w = planner__bind_cte_reference(b, f, item, &cte);
    if (cte) return w;
    Table *t = planner__lookup_table(b, f->schema, f->name, f->pos);
    if (!t) return NULL;
    planner__depend_on(b, t);
    FromNode *n = arena_zalloc(b->arena, sizeof *n);
    n->table = t;
    n->start = b->scope->width;
    n->width = storage_table_desc(t)->ncols;
    b->scope->width += n->width;
    *item = table_item(b, t, f->alias ? f->alias : f->name, f->alias ? f->name : NULL, n->start);
    return rename_columns(b, f, &b->scope->items[*item]) ? n : NULL;
}

/* (SELECT ...) AS alias: its result columns, named as the alias renames them. */
static FromNode *bind_subquery(Binder *b, const FromItem *f, int *item) {
    if (!f->alias) {
        const SelectStmt *q = &f->subquery->u.select;
        bool values = q->nvalues && !q->setop;
        fail_at(b, f->pos, SQLSTATE_SYNTAX_ERROR, "%s in FROM must have an alias", values ? "VALUES" : "subquery");
        error_hint(b->err, "For example, FROM (%s ...) [AS] foo.", values ? "VALUES" : "SELECT");
        return NULL;
    }
    FromNode lateral = {0};
    Plan *sub = f->lateral ? planner__bind_lateral(b, f->subquery, &lateral)
                           : planner__bind_subquery(b, f->subquery); /* it sees none of this level's names */
    FromNode *n = sub ? subquery_item(b, f, sub, f->alias, item) : NULL;
    if (n)
        n->lateral_slots = lateral.lateral_slots, n->lateral_exprs = lateral.lateral_exprs,
        n->nlateral = lateral.nlateral;
    return n;
}

/* A subquery's rows as the item `name` (their columns, renamed by the alias's list). */
static FromNode *subquery_item(Binder *b, const FromItem *f, Plan *sub, const char *name, int *item) {
    FromNode *n = arena_zalloc(b->arena, sizeof *n);
    n->subquery = sub;
    n->start = b->scope->width;
    n->width = sub->ncols;
    b->scope->width += n->width;
    *item = add_item(b);
    ScopeItem *it = &b->scope->items[*item];
    it->name = name;
    it->rel_visible = it->cols_visible = true;
    it->offset = n->start;
    it->ncols = sub->ncols;
    it->colnames = arena_alloc(b->arena, (size_t)(sub->ncols + 1) * sizeof *it->colnames);
    it->cols = arena_alloc(b->arena, (size_t)(sub->ncols + 1) * sizeof *it->cols);
    for (int i = 0; i < sub->ncols; i++) {
        it->colnames[i] = sub->cols[i].name;
        it->cols[i] = planner__column_ref(b->arena, n->start + i, sub->cols[i].type, sub->cols[i].typmod, -1);
    }
    return rename_columns(b, f, it) ? n : NULL;
}

/* The column of item it called name: its index, -1 if none, -2 if several. */
static int item_column(const ScopeItem *it, const char *name) {
    int found = -1;
    for (int i = 0; i < it->ncols; i++) {
        if (strcmp(it->colnames[i], name) != 0) continue;
        if (found >= 0) return -2;
        found = i;
    }
    return found;
}

typedef struct JoinColumns {
    const char **names;
    BExpr **cols;
    int n;
} JoinColumns;

static void join_add(JoinColumns *jc, const char *name, BExpr *e) {
    jc->names[jc->n] = name;
    jc->cols[jc->n++] = e;
}

/* One USING column: the pair of the sides' columns of that name, their
 * equality (into *cond), and the merged column. */
static bool using_column(Binder *b, const FromNode *n, const ScopeItem *l, const ScopeItem *r, const char *name,
                         bool *used_l, bool *used_r, JoinColumns *jc, BExpr **cond) {
    int at = -1; /* PostgreSQL gives no position */
    int li = item_column(l, name), ri = item_column(r, name);
    if (li == -2)
        return fail_at(b, at, SQLSTATE_AMBIGUOUS_COLUMN,
                       "common column name \"%s\" appears more than once in left table", name),
               false;
    if (li < 0)
        return fail_at(b, at, SQLSTATE_UNDEFINED_COLUMN,
                       "column \"%s\" specified in USING clause does not exist in left table", name),
               false;
    if (ri == -2)
        return fail_at(b, at, SQLSTATE_AMBIGUOUS_COLUMN,
                       "common column name \"%s\" appears more than once in right table", name),
               false;
    if (ri < 0)
        return fail_at(b, at, SQLSTATE_UNDEFINED_COLUMN,
                       "column \"%s\" specified in USING clause does not exist in right table", name),
               false;
    used_l[li] = used_r[ri] = true;
    BExpr *pair[2] = {l->cols[li], r->cols[ri]};
    TypeId t = planner__common_type(b, pair, 2, "JOIN/USING", -1);
    if (t == TYPE_INVALID) return false;
    for (int i = 0; i < 2; i++)
        if (!(pair[i] = planner__coerce_common(b, pair[i], t, "JOIN/USING", -1))) return false;
    BExpr *eq = planner__bind_comparison(b, SQL_OP_EQ, -1, pair[0], pair[1]);
    if (!eq || !(eq = planner__coerce_bool(b, eq, "JOIN/USING", -1))) return false;
    if (*cond) {
        BExpr *and = arena_zalloc(b->arena, sizeof *and);
        and->kind = BEXPR_AND;
        and->type = TYPE_BOOL;
        and->u.op.op = SQL_OP_AND;
        and->u.op.left = *cond;
        and->u.op.right = eq;
        eq = and;
    }
    *cond = eq;
    BExpr *merged = pair[n->type == SQL_JOIN_RIGHT ? 1 : 0];
    if (n->type == SQL_JOIN_FULL) {
        merged = arena_zalloc(b->arena, sizeof *merged);
        merged->kind = BEXPR_COALESCE;
        merged->type = t;
        merged->typmod = -1;
        merged->u.list.items = arena_alloc(b->arena, 2 * sizeof(BExpr *));
        merged->u.list.items[0] = pair[0];
        merged->u.list.items[1] = pair[1];
        merged->u.list.n = 2;
    }
    join_add(jc, name, merged);
    return true;
}

/* NATURAL: the names both sides have, in the left's order. */
static int natural_columns(Binder *b, const ScopeItem *l, const ScopeItem *r, const char ***names, int **pos) {
    *names = arena_alloc(b->arena, (size_t)(l->ncols + 1) * sizeof **names);
    *pos = arena_zalloc(b->arena, (size_t)(l->ncols + 1) * sizeof **pos);
    int n = 0;
    for (int i = 0; i < l->ncols; i++)
        if (item_column(r, l->colnames[i]) != -1) {
            (*pos)[n] = -1;
            (*names)[n++] = l->colnames[i];
        }
    return n;
}

/* The join's columns and its condition from USING / NATURAL. */
static bool join_using(Binder *b, const FromItem *f, const FromNode *n, const ScopeItem *l, const ScopeItem *r,
                       JoinColumns *jc, BExpr **cond) {
    const char **names = f->using;
    int *pos = f->using_pos, nusing = f->nusing;
    if (f->natural) nusing = natural_columns(b, l, r, &names, &pos);
    bool *used_l = arena_zalloc(b->arena, (size_t)l->ncols + 1), *used_r = arena_zalloc(b->arena, (size_t)r->ncols + 1);
    for (int i = 0; i < nusing; i++) {
        for (int j = 0; j < i; j++)
            if (strcmp(names[i], names[j]) == 0)
                return fail_at(b, -1, SQLSTATE_DUPLICATE_COLUMN,
                               "column name \"%s\" appears more than once in USING clause", names[i]),
                       false;
        if (!using_column(b, n, l, r, names[i], used_l, used_r, jc, cond)) return false;
    }
    for (int i = 0; i < l->ncols; i++)
        if (!used_l[i]) join_add(jc, l->colnames[i], l->cols[i]);
    for (int i = 0; i < r->ncols; i++)
        if (!used_r[i]) join_add(jc, r->colnames[i], r->cols[i]);
    return true;
}

/* A LATERAL item on a join's right reads its left side's row, as an
 * inner or left join lets it (PostgreSQL's 42P10 otherwise); items
 * further left are out of its reach here. */
static bool lateral_fits(Binder *b, const FromItem *f, const FromNode *n) {
    if (!n->right->nlateral) return true;
    if (f->join_type == SQL_JOIN_RIGHT || f->join_type == SQL_JOIN_FULL) {
        const BExpr *col = planner__find_kind(n->right->lateral_exprs[0], BEXPR_COLUMN);
        const char *name = "?";
        for (int k = 0; col && k < b->scope->n; k++) {
            const ScopeItem *it = &b->scope->items[k];
            if (it->name && it->rel_visible && col->u.column >= it->offset && col->u.column < it->offset + it->ncols)
                name = it->name;
        }
        fail_at(b, col && col->pos ? col->pos - 1 : f->right->pos, SQLSTATE_INVALID_COLUMN_REFERENCE,
                "invalid reference to FROM-clause entry for table \"%s\"", name);
        error_detail(b->err, "The combining JOIN type must be INNER or LEFT for a LATERAL reference.");
        return false;
    }
    for (int i = 0; i < n->right->nlateral; i++)
        if (!planner__reads_within(n->right->lateral_exprs[i], n->left->start, n->left->width))
            return fail_at(b, f->right->pos, SQLSTATE_FEATURE_NOT_SUPPORTED,
                           "a LATERAL reference to an item outside its join is not supported yet"),
                   false;
    return true;
}

static FromNode *bind_join(Binder *b, const FromItem *f, int *item) {
    int first = b->scope->n, li, ri;
    FromNode *n = arena_zalloc(b->arena, sizeof *n);
    n->type = f->join_type;
    /* the side an outer join may NULL-extend (a recursive reference may not be there) */
    bool left_nullable = f->join_type == SQL_JOIN_RIGHT || f->join_type == SQL_JOIN_FULL;
    bool right_nullable = f->join_type == SQL_JOIN_LEFT || f->join_type == SQL_JOIN_FULL;
    b->nullable += left_nullable;
    n->left = bind_item(b, f->left, &li);
    b->nullable -= left_nullable;
    if (!n->left) return NULL;
    b->nullable += right_nullable;
    n->right = bind_item(b, f->right, &ri);
    b->nullable -= right_nullable;
    if (!n->right) return NULL;
    if (!lateral_fits(b, f, n)) return NULL;
    n->start = n->left->start;
    n->width = n->left->width + n->right->width;
    const ScopeItem *l = &b->scope->items[li], *r = &b->scope->items[ri];
    JoinColumns jc = {arena_alloc(b->arena, (size_t)(l->ncols + r->ncols + 1) * sizeof(char *)),
                      arena_alloc(b->arena, (size_t)(l->ncols + r->ncols + 1) * sizeof(BExpr *)), 0};
    if (f->nusing || f->natural) {
        if (!join_using(b, f, n, l, r, &jc, &n->on)) return NULL;
    } else {
        for (int i = 0; i < l->ncols; i++) join_add(&jc, l->colnames[i], l->cols[i]);
        for (int i = 0; i < r->ncols; i++) join_add(&jc, r->colnames[i], r->cols[i]);
    }
    if (f->on) { /* only this join's items are in view */
        int saved = b->scope_from;
        const char *context = b->agg_context;
        bool agg_ok = b->agg_ok;
        b->scope_from = first;
        b->agg_context = "JOIN conditions", b->agg_ok = false;
        BExpr *on = planner__bind_expr(b, f->on);
        b->scope_from = saved;
        b->agg_context = context, b->agg_ok = agg_ok;
        if (!on || !(n->on = planner__coerce_bool(b, on, "JOIN/ON", planner__expr_location(f->on)))) return NULL;
    }
    /* the items inside: visible by name only (not at all under an alias) */
    for (int i = first; i < b->scope->n; i++) {
        b->scope->items[i].cols_visible = false;
        if (f->alias) b->scope->items[i].rel_visible = false;
    }
    *item = add_item(b);
    ScopeItem *it = &b->scope->items[*item];
    it->name = f->alias;
    it->rel_visible = f->alias != NULL;
    it->cols_visible = true;
    it->ncols = jc.n;
    it->colnames = jc.names;
    it->cols = jc.cols;
    return rename_columns(b, f, it) ? n : NULL;
}

static FromNode *bind_item(Binder *b, const FromItem *f, int *item) {
    if (!stack_check(b->err)) return NULL;
    switch (f->kind) {
    case FROM_TABLE: return bind_table(b, f, item);
    case FROM_JOIN: return bind_join(b, f, item);
    case FROM_FUNCTION: return bind_function(b, f, item);
    case FROM_SUBQUERY: return bind_subquery(b, f, item);
    }
    return NULL;
}

/* ---- functions in FROM ------------------------------------------------------------------- */

static bool is_timestamp_like(TypeId t) { return t == TYPE_TIMESTAMP || t == TYPE_TIMESTAMPTZ || t == TYPE_DATE; }

static bool no_series(Binder *b, const Expr *call, BExpr **args, int n) {
    StrBuf list;
    strbuf_init(&list);
    for (int i = 0; i < n; i++)
        strbuf_appendf(&list, "%s%s", i ? ", " : "", type_info((TypeId)args[i]->type)->sql_name);
    planner__no_function(b, call, list.data, false);
    strbuf_deinit(&list);
    return false;
}

/* generate_series(start, stop [, step]): integers, numerics, or timestamps by an interval. */
static bool bind_series(Binder *b, const Expr *call, FuncScan *fs, BExpr **args, int n) {
    fs->kind = FUNC_SERIES;
    TypeId t = TYPE_INT4;
    bool stamps = n == 3 && args[2]->type == TYPE_INTERVAL;
    for (int i = 0; i < n; i++) {
        TypeId a = (TypeId)args[i]->type;
        if (is_timestamp_like(a)) stamps = true;
        if (a == TYPE_INT8 && t == TYPE_INT4) t = TYPE_INT8;
        if (a == TYPE_NUMERIC) t = TYPE_NUMERIC;
        if (a == TYPE_FLOAT4 || a == TYPE_FLOAT8 ||
            (type_info(a)->category != TYPCAT_NUMERIC && a != TYPE_UNKNOWN && !is_timestamp_like(a) &&
             a != TYPE_INTERVAL))
            t = TYPE_INVALID;
    }
    if (stamps) { /* timestamp only if no bound is a date or timestamptz */
        t = TYPE_TIMESTAMP;
        for (int i = 0; i < 2; i++)
            if (args[i]->type != TYPE_TIMESTAMP && args[i]->type != TYPE_UNKNOWN) t = TYPE_TIMESTAMPTZ;
        if (args[0]->type == TYPE_UNKNOWN && args[1]->type == TYPE_UNKNOWN) t = TYPE_TIMESTAMPTZ;
    }
    if (stamps && n != 3) t = TYPE_INVALID;
    if (t == TYPE_INVALID) return no_series(b, call, args, n);
    fs->type = t;
    for (int i = 0; i < n; i++) {
        bool failed = false;
        BExpr *c = planner__coerce_implicit(b, args[i], i == 2 && stamps ? TYPE_INTERVAL : t, &failed);
        if (!c) return failed ? false : no_series(b, call, args, n);
        args[i] = c;
    }
    if (stamps) fs->add = planner__interval_operator("+", t);
    return true;
}

/* ---- set-returning functions as unnest of an array of their rows ---------------------------
 * json(b)_array_elements[_text] and json(b)_object_keys make their rows
 * as an array (json.c), regexp_split_to_table and string_to_table are
 * unnest of regexp_split_to_array and string_to_array: one operator,
 * unnest's, runs them all. */

typedef struct ArraySrf {
    const char *name;
    int min_args, max_args;
    const char *array_function; /* a function of types.def making the array, or NULL: `rows` does */
    BuiltinFunc rows;           /* json: called with the argument as json or jsonb */
    const char *column;         /* its column in FROM, where not the function's name (OUT value) */
} ArraySrf;

#define ROWS_FUNC(proc, arg, result_type, fn)                                                                          \
    {                                                                                                                  \
        .oid = proc, .name = "", .nargs = 1, .argtypes = (const TypeId[]){TYPE_##arg}, .result = TYPE_##result_type,   \
        .volatility = FUNC_IMMUTABLE, .call = fn                                                                       \
    }

static const ArraySrf ARRAY_SRFS[] = {
    {"jsonb_array_elements", 1, 1, NULL, ROWS_FUNC(3219, JSONB, JSONBARRAY, json_array_elements_rows), "value"},
    {"json_array_elements", 1, 1, NULL, ROWS_FUNC(3955, JSON, JSONARRAY, json_array_elements_rows), "value"},
    {"jsonb_array_elements_text", 1, 1, NULL, ROWS_FUNC(3465, JSONB, TEXTARRAY, json_array_elements_text_rows),
     "value"},
    {"json_array_elements_text", 1, 1, NULL, ROWS_FUNC(3969, JSON, TEXTARRAY, json_array_elements_text_rows), "value"},
    {"jsonb_object_keys", 1, 1, NULL, ROWS_FUNC(3931, JSONB, TEXTARRAY, json_object_keys_rows), NULL},
    {"json_object_keys", 1, 1, NULL, ROWS_FUNC(3957, JSON, TEXTARRAY, json_object_keys_rows), NULL},
    {"regexp_split_to_table", 2, 3, "regexp_split_to_array", {0}, NULL},
    {"string_to_table", 2, 3, "string_to_array", {0}, NULL},
};

static const ArraySrf *array_srf(const char *name, int nargs) {
    for (size_t i = 0; i < ARRAY_LEN(ARRAY_SRFS); i++)
        if (!strcmp(ARRAY_SRFS[i].name, name) && nargs >= ARRAY_SRFS[i].min_args && nargs <= ARRAY_SRFS[i].max_args)
            return &ARRAY_SRFS[i];
    return NULL;
}

static BExpr *bind_rows_array(Binder *c, const Expr *call, const BuiltinFunc *rows);

/* The array whose elements are the function's rows, bound at c. */
static BExpr *bind_srf_array(Binder *c, const Expr *call, const ArraySrf *srf) {
    if (srf->array_function) { /* the array function, called with the same arguments */
        Expr *x = arena_alloc(c->arena, sizeof *x);
        *x = *call;
        x->u.func.name = srf->array_function;
        BExpr *e = planner__bind_expr(c, x);
        if (e || strcmp(c->err->sqlstate, SQLSTATE_UNDEFINED_FUNCTION) != 0) return e;
        StrBuf types; /* not found: named as written */
        strbuf_init(&types);
        for (int i = 0; i < call->u.func.nargs; i++) {
            error_clear(c->err);
            BExpr *a = planner__bind_expr(c, call->u.func.args[i]);
            strbuf_appendf(&types, "%s%s", i ? ", " : "", a ? type_info((TypeId)a->type)->sql_name : "?");
        }
        error_clear(c->err);
        planner__no_function(c, call, types.data, false);
        strbuf_deinit(&types);
        return NULL;
    }
    return bind_rows_array(c, call, &srf->rows);
}

/* rows(call's one argument as rows' argument type): an array of the rows. */
static BExpr *bind_rows_array(Binder *c, const Expr *call, const BuiltinFunc *rows) {
    BExpr *arg = planner__bind_expr(c, call->u.func.args[0]);
    bool failed = false;
    TypeId want = rows->argtypes[0];
    BExpr *a = arg ? planner__coerce_implicit(c, arg, want, &failed) : NULL;
    if (!a) {
        if (arg && !failed) planner__no_function(c, call, type_info((TypeId)arg->type)->sql_name, false);
        return NULL;
    }
    BExpr *e = arena_zalloc(c->arena, sizeof *e);
    e->kind = BEXPR_FUNC;
    e->type = rows->result;
    e->typmod = -1;
    e->pos = call->pos + 1;
    e->u.func.fn = rows;
    e->u.func.args = arena_alloc(c->arena, sizeof *e->u.func.args);
    e->u.func.args[0] = a;
    e->u.func.nargs = 1;
    return e;
}

/* A call of a built-in function as written: no *, no OVER, in no schema
 * or pg_catalog (elsewhere: bind_func's error). */
static bool builtin_call(const Expr *call) {
    SchemaKind k = planner__schema_kind(call->u.func.schema);
    return !call->u.func.star && !call->u.func.over && (k == SCHEMA_NONE || k == SCHEMA_PG_CATALOG);
}

bool planner__is_set_function(const Expr *call) {
    const char *name = call->u.func.name;
    int n = call->u.func.nargs;
    return builtin_call(call) && ((!strcmp(name, "generate_series") && (n == 2 || n == 3)) ||
                                  (!strcmp(name, "unnest") && n == 1) || array_srf(name, n));
}

/* f(args) as a row source: generate_series and unnest give rows; any
 * other function one row of its value. As in PostgreSQL it is LATERAL:
 * its arguments may read this level's columns, as the parameters in
 * *lateral (set from each row before it is read). */
/* One function of FROM (or the select list) as a scan, its arguments bound at c. */
static bool bind_scan(Binder *b, Binder *c, const Expr *call, FuncScan *fs) {
    const char *name = call->u.func.name;
    int n = call->u.func.nargs;
    bool ok = true;
    const ArraySrf *srf = planner__is_set_function(call) ? array_srf(name, n) : NULL;
    fs->name = name;
    if (srf) {
        BExpr *array = bind_srf_array(c, call, srf);
        ok = array != NULL;
        fs->kind = FUNC_UNNEST;
        fs->args = arena_alloc(b->arena, sizeof *fs->args);
        fs->args[0] = array;
        fs->nargs = 1;
        fs->type = array ? type_info((TypeId)array->type)->elem : TYPE_INVALID;
        fs->column = srf->column;
    } else if (planner__is_set_function(call)) {
        BExpr **args = arena_alloc(b->arena, (size_t)(n + 1) * sizeof *args);
        for (int i = 0; i < n && ok; i++) ok = (args[i] = planner__bind_expr(c, call->u.func.args[i])) != NULL;
        fs->args = args;
        fs->nargs = n;
        if (ok && name[0] == 'g') {
            ok = bind_series(b, call, fs, args, n);
        } else if (ok) {
            fs->kind = FUNC_UNNEST;
            if (!type_is_array((TypeId)args[0]->type))
                ok = no_series(b, call, args, n);
            else
                fs->type = type_info((TypeId)args[0]->type)->elem;
        }
    } else {
        BExpr *e = planner__bind_expr(c, call);
        ok = e != NULL;
        fs->kind = FUNC_SCALAR;
        fs->args = arena_alloc(b->arena, sizeof *fs->args);
        fs->args[0] = e;
        fs->nargs = 1;
        fs->type = e ? (TypeId)e->type : TYPE_INVALID;
    }
    return ok;
}

/* What the arguments read of this level: the parameters the scan's
 * lateral node sets from each row before it is read. */
static void finish_lateral(Binder *b, const Binder *c, FromNode *lateral) {
    b->reads_outer |= c->reads_outer;
    lateral->lateral_slots = c->corr_slots, lateral->lateral_exprs = c->corr_exprs, lateral->nlateral = c->ncorr;
}

bool planner__bind_function_scan(Binder *b, const Expr *call, const char *context, FuncScan *fs, FromNode *lateral) {
    Binder c = planner__lateral_binder(b, context); /* its arguments' binder */
    bool ok = bind_scan(b, &c, call, fs);
    finish_lateral(b, &c, lateral);
    return ok;
}

/* ---- functions side by side: ROWS FROM, unnest(a, b, ...), json(b)_each ---------------------- */

/* json(b)_each[_text](x): its key column and its value column. */
static const struct {
    const char *name;
    BuiltinFunc keys, values;
} JSON_EACH[] = {
    {"jsonb_each", ROWS_FUNC(3208, JSONB, TEXTARRAY, json_each_keys_rows),
     ROWS_FUNC(3208, JSONB, JSONBARRAY, json_each_values_rows)},
    {"json_each", ROWS_FUNC(3958, JSON, TEXTARRAY, json_each_keys_rows),
     ROWS_FUNC(3958, JSON, JSONARRAY, json_each_values_rows)},
    {"jsonb_each_text", ROWS_FUNC(3932, JSONB, TEXTARRAY, json_each_keys_rows),
     ROWS_FUNC(3932, JSONB, TEXTARRAY, json_each_text_values_rows)},
    {"json_each_text", ROWS_FUNC(3959, JSON, TEXTARRAY, json_each_keys_rows),
     ROWS_FUNC(3959, JSON, TEXTARRAY, json_each_text_values_rows)},
};

/* One column of a zip: unnest of an array of rows. */
static FuncScan *rows_part(Binder *c, const Expr *call, const BuiltinFunc *rows, const char *column) {
    FuncScan *p = arena_zalloc(c->arena, sizeof *p);
    BExpr *array = bind_rows_array(c, call, rows);
    if (!array) return NULL;
    p->kind = FUNC_UNNEST;
    p->args = arena_alloc(c->arena, sizeof *p->args);
    p->args[0] = array;
    p->nargs = 1;
    p->type = type_info((TypeId)array->type)->elem;
    p->name = call->u.func.name;
    p->column = column;
    return p;
}

/* json(b)_each[_text](x): its entry of JSON_EACH, or -1. */
static int json_each_of(const Expr *call) {
    for (size_t i = 0; builtin_call(call) && call->u.func.nargs == 1 && i < ARRAY_LEN(JSON_EACH); i++)
        if (strcmp(JSON_EACH[i].name, call->u.func.name) == 0) return (int)i;
    return -1;
}

/* unnest(a, b, ...) */
static bool several_unnest(const Expr *call) {
    return builtin_call(call) && call->u.func.nargs > 1 && strcmp(call->u.func.name, "unnest") == 0;
}

/* call's columns, appended to parts: json(b)_each's two, unnest(a, b)'s
 * one per array, any other function's one. */
static bool zip_parts(Binder *b, Binder *c, const Expr *call, FuncScan **parts, int *n) {
    int each = json_each_of(call);
    if (each >= 0)
        return (parts[(*n)++] = rows_part(c, call, &JSON_EACH[each].keys, "key")) &&
               (parts[(*n)++] = rows_part(c, call, &JSON_EACH[each].values, "value"));
    if (several_unnest(call)) {
        for (int i = 0; i < call->u.func.nargs; i++) { /* unnest(a) for each array */
            Expr *one = arena_alloc(c->arena, sizeof *one);
            *one = *call;
            one->u.func.args = &call->u.func.args[i];
            one->u.func.nargs = 1;
            one->u.func.schema = "pg_catalog"; /* as PostgreSQL's expansion names it in errors */
            FuncScan *p = arena_zalloc(c->arena, sizeof *p);
            if (!bind_scan(b, c, one, p)) return false;
            parts[(*n)++] = p;
        }
        return true;
    }
    FuncScan *p = arena_zalloc(c->arena, sizeof *p);
    parts[(*n)++] = p;
    return bind_scan(b, c, call, p);
}

/* Whether f needs the zip: ROWS FROM, or a function of several columns. */
static bool zipped(const FromItem *f) { return f->nrows_from || json_each_of(f->func) >= 0 || several_unnest(f->func); }

/* The calls of f side by side (FUNC_ZIP). */
static bool bind_zip(Binder *b, const FromItem *f, FuncScan *fs, FromNode *lateral) {
    Binder c = planner__lateral_binder(b, "functions in FROM");
    const Expr *const *calls = f->nrows_from ? (const Expr *const *)f->rows_from : (const Expr *const *)&f->func;
    int ncalls = f->nrows_from ? f->nrows_from : 1, max = 0;
    for (int i = 0; i < ncalls; i++) max += calls[i]->u.func.nargs + 2;
    fs->kind = FUNC_ZIP;
    fs->parts = arena_alloc(b->arena, (size_t)(max + 1) * sizeof *fs->parts);
    fs->name = calls[0]->u.func.name;
    bool ok = true;
    for (int i = 0; i < ncalls && ok; i++) ok = zip_parts(b, &c, calls[i], fs->parts, &fs->nparts);
    finish_lateral(b, &c, lateral);
    return ok;
}

/* f(args) in FROM, as the item of its name (or alias) of one column. */
/* f(args) in FROM, as the item of its name (or alias): one column, or
 * (ROWS FROM, unnest of several arrays, json(b)_each) one per part; WITH
 * ORDINALITY adds the bigint last. */
static FromNode *bind_function(Binder *b, const FromItem *f, int *item) {
    FuncScan *fs = arena_zalloc(b->arena, sizeof *fs);
    FromNode *node = arena_zalloc(b->arena, sizeof *node);
    bool zip = zipped(f);
    if (zip ? !bind_zip(b, f, fs, node) : !planner__bind_function_scan(b, f->func, "functions in FROM", fs, node))
        return NULL;
    int ncols = zip ? fs->nparts : 1, width = ncols + f->ordinality;
    if (f->ncolumn_aliases > width)
        return fail_at(b, -1, SQLSTATE_INVALID_COLUMN_REFERENCE,
                       "table \"%s\" has %d columns available but %d columns specified", f->alias, width,
                       f->ncolumn_aliases);
    fs->ordinality = f->ordinality;
    node->func = fs;
    node->start = b->scope->width;
    node->width = width;
    b->scope->width += width;
    *item = add_item(b);
    ScopeItem *it = &b->scope->items[*item];
    it->name = f->alias ? f->alias : f->func->u.func.name;
    it->rel_visible = it->cols_visible = true;
    it->offset = node->start;
    it->ncols = width;
    it->scalar = width == 1;
    it->colnames = arena_alloc(b->arena, (size_t)(width + 1) * sizeof *it->colnames);
    it->cols = arena_alloc(b->arena, (size_t)(width + 1) * sizeof *it->cols);
    for (int i = 0; i < width; i++) {
        const FuncScan *part = zip && i < ncols ? fs->parts[i] : fs;
        const char *own = i == ncols ? "ordinality" : part->column ? part->column : zip ? part->name : it->name;
        it->colnames[i] = i < f->ncolumn_aliases ? f->column_aliases[i] : own;
        it->cols[i] = planner__column_ref(b->arena, node->start + i, i == ncols ? TYPE_INT8 : part->type, -1, -1);
    }
    return node;
}

/* 42712 when two items visible by name share it. */
static bool check_name_conflicts(Binder *b) {
    const Scope *s = b->scope;
    for (int i = 0; i < s->n; i++)
        for (int j = 0; s->items[i].rel_visible && s->items[i].name && j < i; j++)
            if (s->items[j].rel_visible && s->items[j].name && strcmp(s->items[i].name, s->items[j].name) == 0)
                return fail_at(b, -1, SQLSTATE_DUPLICATE_ALIAS, "table name \"%s\" specified more than once",
                               s->items[i].name),
                       false;
    return true;
}

/* The comma-separated items: a left-deep chain of cross joins. */
bool planner__bind_from(Binder *b, FromItem *const *items, int n) {
    b->scope = new_scope(b);
    b->from = NULL;
    for (int i = 0; i < n; i++) {
        int item;
        FromNode *node = bind_item(b, items[i], &item);
        if (!node) return false;
        if (!b->from) {
            b->from = node;
            continue;
        }
        FromNode *cross = arena_zalloc(b->arena, sizeof *cross);
        cross->type = SQL_JOIN_CROSS;
        cross->left = b->from;
        cross->right = node;
        cross->start = b->from->start;
        cross->width = b->from->width + node->width;
        b->from = cross;
    }
    return check_name_conflicts(b);
}

bool planner__from_origin(const FromNode *n, int column, Table **table, int *attnum) {
    while (n && n->left) n = column < n->right->start ? n->left : n->right;
    if (!n || !n->table || column < n->start || column >= n->start + n->width) return false;
    *table = n->table;
    *attnum = column - n->start + 1;
    return true;
}

/* ---- names ----------------------------------------------------------------------------- */

static bool in_view(const Binder *b, int i) { return i >= b->scope_from; }

const ScopeItem *planner__scope_relation_in(Binder *b, const char *schema, const char *name) {
    const ScopeItem *it = planner__scope_relation(b, name);
    if (!it || !schema) return it;
    return it->rel && !it->table && planner__schema_kind(schema) == SCHEMA_PUBLIC ? it : NULL;
}

const ScopeItem *planner__scope_relation(Binder *b, const char *name) {
    const Scope *s = b->scope;
    for (int i = s ? s->n - 1 : -1; i >= 0; i--)
        if (in_view(b, i) && s->items[i].rel_visible && s->items[i].name && strcmp(s->items[i].name, name) == 0)
            return &s->items[i];
    return NULL;
}

#define NAMEDATALEN_GUESS 64

static int levenshtein(const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b);
    int row[NAMEDATALEN_GUESS + 1];
    if (lb > NAMEDATALEN_GUESS) return INT32_MAX;
    for (size_t j = 0; j <= lb; j++) row[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        int diag = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int up = row[j];
            int best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best) best = up + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

/* PostgreSQL's hint for a misspelt column: the one or two columns of the
 * tables in scope (or of `only`) closest to the name (edit distance at
 * most 3 and at most half the name's length); a third as close means no
 * hint. */
static void hint_similar_columns(Binder *b, const ScopeItem *only, const char *name) {
    const ScopeItem *first = NULL, *second = NULL;
    int best = 4, fc = -1, sc = -1, limit = (int)strlen(name) / 2;
    const Scope *s = b->scope;
    for (int k = 0; k < s->n; k++) {
        const ScopeItem *it = &s->items[k];
        if ((only && it != only) || (!only && (!it->rel || !it->rel_visible))) continue;
        for (int i = 0; i < it->ncols; i++) {
            int dist = levenshtein(it->colnames[i], name);
            if (dist > limit || dist > best) continue;
            if (dist < best) {
                best = dist;
                first = it, fc = i;
                second = NULL, sc = -1;
            } else if (second) {
                first = second = NULL; /* too many equally close */
            } else if (first) {
                second = it, sc = i;
            }
        }
    }
    if (first && second)
        error_hint(b->err, "Perhaps you meant to reference the column \"%s.%s\" or the column \"%s.%s\".", first->name,
                   first->colnames[fc], second->name, second->colnames[sc]);
    else if (first)
        error_hint(b->err, "Perhaps you meant to reference the column \"%s.%s\".", first->name, first->colnames[fc]);
}

static BExpr *column_of(Binder *b, const ScopeItem *it, int i, int byte_pos) {
    BExpr *e = arena_alloc(b->arena, sizeof *e);
    *e = *it->cols[i];
    e->pos = byte_pos + 1;
    return e;
}

/* ---- one level's lookups: 1 found (*out), 0 not there, -1 an error (set) ---- */

/* q.name: the item called q at this level, then its column (an error if it has none). */
static int lookup_qualified(Binder *b, const Expr *x, BExpr **out) {
    const char *q = x->u.column.table, *name = x->u.column.name;
    const ScopeItem *it = planner__scope_relation_in(b, x->u.column.schema, q);
    if (!it) return 0;
    int i = item_column(it, name);
    if (i == -2) return fail_at(b, x->pos, SQLSTATE_AMBIGUOUS_COLUMN, "column reference \"%s\" is ambiguous", name), -1;
    if (i >= 0) return *out = column_of(b, it, i, x->pos), 1;
    fail_at(b, x->pos, SQLSTATE_UNDEFINED_COLUMN, "column %s.%s does not exist", q, name);
    hint_similar_columns(b, it, name);
    return -1;
}

/* f AS t, then t alone: the function's one column, as PostgreSQL reads a
 * whole-row reference to a function of a scalar type. */
static int whole_row_of_scalar(Binder *b, const Expr *x, BExpr **out) {
    const ScopeItem *it = planner__scope_relation(b, x->u.column.name);
    if (!it || !it->scalar) return 0;
    *out = column_of(b, it, 0, x->pos);
    return 1;
}

static int lookup_unqualified(Binder *b, const Expr *x, BExpr **out) {
    const char *name = x->u.column.name;
    const Scope *s = b->scope;
    const ScopeItem *found = NULL;
    int col = -1;
    for (int k = 0; s && k < s->n; k++) {
        const ScopeItem *it = &s->items[k];
        if (!in_view(b, k) || !it->cols_visible) continue;
        int i = item_column(it, name);
        if (i == -1) continue;
        if (i == -2 || found)
            return fail_at(b, x->pos, SQLSTATE_AMBIGUOUS_COLUMN, "column reference \"%s\" is ambiguous", name), -1;
        found = it;
        col = i;
    }
    if (!found) return whole_row_of_scalar(b, x, out);
    *out = column_of(b, found, col, x->pos);
    return 1;
}

static int lookup(Binder *b, const Expr *x, BExpr **out) {
    return x->u.column.table ? lookup_qualified(b, x, out) : lookup_unqualified(b, x, out);
}

/* ---- names not found: PostgreSQL's errors and hints, at the innermost level ---- */

/* An item of this level, the levels it is in FROM of, or those above,
 * whose name (by_table: whose table's own name) is q. */
static const ScopeItem *item_named(const Binder *b, const char *q, bool by_table) {
    for (const Binder *lv = b; lv; lv = lv->beside ? lv->beside : lv->outer)
        for (int i = 0; lv->scope && i < lv->scope->n; i++) {
            const ScopeItem *o = &lv->scope->items[i];
            const char *name = by_table ? o->table : o->name;
            if (name && strcmp(name, q) == 0) return o;
        }
    return NULL;
}

BExpr *planner__missing_relation(Binder *b, const Expr *x) {
    const char *q = x->u.column.table;
    const ScopeItem *o;
    if (item_named(b, q, false)) { /* there, out of view: hidden by a join's alias, or a level's own FROM */
        fail_at(b, x->pos, SQLSTATE_UNDEFINED_TABLE, "invalid reference to FROM-clause entry for table \"%s\"", q);
        error_hint(b->err,
                   "There is an entry for table \"%s\", but it cannot be referenced from this part of the query.", q);
        return NULL;
    }
    if ((o = item_named(b, q, true))) {
        fail_at(b, x->pos, SQLSTATE_UNDEFINED_TABLE, "invalid reference to FROM-clause entry for table \"%s\"", q);
        error_hint(b->err, "Perhaps you meant to reference the table alias \"%s\".", o->name);
        return NULL;
    }
    return fail_at(b, x->pos, SQLSTATE_UNDEFINED_TABLE, "missing FROM-clause entry for table \"%s\"", q);
}

static BExpr *missing_column(Binder *b, const Expr *x) {
    const char *name = x->u.column.name;
    const Scope *s = b->scope;
    fail_at(b, x->pos, SQLSTATE_UNDEFINED_COLUMN, "column \"%s\" does not exist", name);
    for (int k = 0; s && k < s->n; k++) { /* in a table out of view */
        const ScopeItem *it = &s->items[k];
        if (in_view(b, k) || !it->rel || item_column(it, name) < 0) continue;
        error_hint(
            b->err,
            "There is a column named \"%s\" in table \"%s\", but it cannot be referenced from this part of the query.",
            name, it->name);
        return NULL;
    }
    if (s) hint_similar_columns(b, NULL, name);
    return NULL;
}

bool planner__scope_has_column(Binder *b, const char *name) {
    const Scope *s = b->scope;
    for (int k = 0; s && k < s->n; k++)
        if (in_view(b, k) && s->items[k].cols_visible && item_column(&s->items[k], name) != -1) return true;
    return false;
}

/* A name of a level above: a correlation parameter of the level just
 * below it (whose sublink sets it from each of that level's rows). */
BExpr *planner__correlated(Binder *b, Binder *below, BExpr *e) {
    for (Binder *x = b; x != below; x = x->outer) x->reads_outer = true;
    for (int i = 0; i < below->ncorr; i++)
        if (planner__bexpr_equal(below->corr_exprs[i], e)) {
            BExpr *p = planner__copy_node(e, below->arena);
            p->kind = BEXPR_EXEC_PARAM;
            p->u.param = below->corr_slots[i];
            return p;
        }
    int slot = below->shared->nexec++;
    planner__add_correlation(below, slot, e);
    BExpr *p = planner__copy_node(e, below->arena);
    p->kind = BEXPR_EXEC_PARAM;
    p->u.param = slot;
    return p;
}

/* A column: this level's, else the nearest level above that has it (as
 * PostgreSQL looks outward), else the innermost level's error. */
BExpr *planner__scope_column(Binder *b, const Expr *x) {
    BExpr *e = NULL;
    if (x->u.column.catalog)
        return fail_at(b, x->pos, SQLSTATE_FEATURE_NOT_SUPPORTED,
                       "cross-database references are not implemented: %s.%s.%s.%s", x->u.column.catalog,
                       x->u.column.schema, x->u.column.table, x->u.column.name);
    int r = lookup(b, x, &e);
    if (r) return r > 0 ? e : NULL;
    for (Binder *below = b; below->outer; below = below->outer) {
        r = lookup(below->outer, x, &e);
        if (r) return r > 0 ? planner__correlated(b, below, e) : NULL;
    }
    return x->u.column.table ? planner__missing_relation(b, x) : missing_column(b, x);
}
