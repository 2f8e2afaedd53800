/*
 * deparse.c — the AST of sql.h back into SQL text.
 *
 * The text is canonical, not the text that was parsed: keywords in upper
 * case, every operator and predicate in parentheses, names quoted where
 * they must be, literals as strings or numbers, and the rewrites lower.c
 * made kept (BETWEEN as its two comparisons, LIKE as ~~, trim as btrim).
 * What it promises is the round trip: parsing the text gives back an AST
 * equal to the one deparsed (sql_stmt_equal), which the corpus test
 * (tests/unit/test_sql_deparse.c) checks statement by statement.
 *
 * A few constructs lower.c turned into something the grammar does not
 * accept as written come back in their own spelling: position(a IN b),
 * current_user and session_user without parentheses, current_date and
 * the other niladic datetime keywords (kept on the node as its label).
 *
 * INTERFACE
 *   sql_deparse_stmt, sql_deparse_expr
 */
#include <ctype.h>
#include <string.h>

#include "sql/sql_int.h"

typedef StrBuf D;

static void put(D *d, const char *s) { strbuf_append_str(d, s); }

static void put_stmt(D *d, const Stmt *s);
static void put_expr(D *d, const Expr *e);
static void put_select(D *d, const SelectStmt *s);

/* ---- names and literals ------------------------------------------------- */

static bool plain_word(const char *s) {
    if (!*s || !(islower((unsigned char)*s) || *s == '_')) return false;
    for (const char *p = s; *p; p++)
        if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '_' || *p == '$')) return false;
    return true;
}

/* A word the grammar reads as a keyword somewhere (it has a kw_ rule). */
static bool grammar_keyword(const char *w) {
    char sym[80];
    if (strlen(w) + 4 > sizeof sym) return false;
    snprintf(sym, sizeof sym, "kw_%s", w);
    return ts_language_symbol_for_name(tree_sitter_sql(), sym, (uint32_t)strlen(sym), true) != 0;
}

static void put_quoted(D *d, const char *s, char q) {
    strbuf_append_char(d, q);
    for (const char *p = s; *p; p++) {
        if (*p == q) strbuf_append_char(d, q);
        strbuf_append_char(d, *p);
    }
    strbuf_append_char(d, q);
}

/* A table, column or alias name: quoted unless it reads back as itself
 * everywhere (lower case, not a keyword of ours or PostgreSQL's). */
static void put_name(D *d, const char *name) {
    if (plain_word(name) && !grammar_keyword(name) && sql__keyword_class(name) == 0)
        put(d, name);
    else
        put_quoted(d, name, '"');
}

/* A function name: keywords that name functions (left, coalesce) stay bare,
 * since quoting them would make another function of the special forms. */
static void put_func_name(D *d, const char *name) {
    if (plain_word(name) && sql__keyword_class(name) != 1)
        put(d, name);
    else
        put_quoted(d, name, '"');
}

static void put_names(D *d, const char *const *names, int n) {
    for (int i = 0; i < n; i++) {
        if (i) put(d, ", ");
        put_name(d, names[i]);
    }
}

static void put_string(D *d, const char *s) { put_quoted(d, s, '\''); }

/* ---- types ---------------------------------------------------------------- */

/* INTERVAL's field mask (lower.c's interval_range) as its words. */
static const char *interval_fields(int mask) {
    static const struct {
        int mask;
        const char *text;
    } F[] = {
        {1 << 2, "YEAR"},
        {1 << 1, "MONTH"},
        {(1 << 2) | (1 << 1), "YEAR TO MONTH"},
        {1 << 3, "DAY"},
        {1 << 10, "HOUR"},
        {1 << 11, "MINUTE"},
        {1 << 12, "SECOND"},
        {(1 << 3) | (1 << 10), "DAY TO HOUR"},
        {(1 << 3) | (1 << 10) | (1 << 11), "DAY TO MINUTE"},
        {(1 << 3) | (1 << 10) | (1 << 11) | (1 << 12), "DAY TO SECOND"},
        {(1 << 10) | (1 << 11), "HOUR TO MINUTE"},
        {(1 << 10) | (1 << 11) | (1 << 12), "HOUR TO SECOND"},
        {(1 << 11) | (1 << 12), "MINUTE TO SECOND"},
    };
    for (size_t i = 0; i < ARRAY_LEN(F); i++)
        if (F[i].mask == mask) return F[i].text;
    return NULL;
}

static void put_typmods(D *d, const SqlTypeName *t) {
    if (!t->ntypmods) return;
    strbuf_appendf(d, "(%d", t->typmods[0]);
    if (t->ntypmods > 1) strbuf_appendf(d, ", %d", t->typmods[1]);
    put(d, ")");
}

/* [schema.]name: a table, function or type in a schema. */
static void put_qualified(D *d, const char *schema, const char *name) {
    if (schema) put_name(d, schema), put(d, ".");
    put_name(d, name);
}

static void put_type(D *d, const SqlTypeName *t) {
    if (t->schema) {
        put_qualified(d, t->schema, t->name);
    } else if (strcmp(t->name, "interval") == 0) {
        put(d, "interval");
        const char *fields = interval_fields(t->interval_range);
        if (fields) strbuf_appendf(d, " %s", fields);
    } else if (plain_word(t->name) && !grammar_keyword(t->name) && sql__keyword_class(t->name) != 1) {
        put(d, t->name);
    } else {
        put_quoted(d, t->name, '"');
    }
    put_typmods(d, t);
    if (t->array) put(d, "[]");
}

/* ---- expressions ------------------------------------------------------------ */

static void put_exprs(D *d, Expr *const *items, int n) {
    for (int i = 0; i < n; i++) {
        if (i) put(d, ", ");
        put_expr(d, items[i]);
    }
}

static void put_order(D *d, const OrderItem *o, int n) {
    put(d, "ORDER BY ");
    for (int i = 0; i < n; i++) {
        if (i) put(d, ", ");
        put_expr(d, o[i].expr);
        if (o[i].desc) put(d, " DESC");
        if (o[i].nulls) put(d, o[i].nulls == 1 ? " NULLS FIRST" : " NULLS LAST");
    }
}

static void put_bound(D *d, SqlFrameBound b, const Expr *offset) {
    switch (b) {
    case SQL_BOUND_UNBOUNDED_PRECEDING: put(d, "UNBOUNDED PRECEDING"); return;
    case SQL_BOUND_CURRENT_ROW: put(d, "CURRENT ROW"); return;
    case SQL_BOUND_UNBOUNDED_FOLLOWING: put(d, "UNBOUNDED FOLLOWING"); return;
    case SQL_BOUND_PRECEDING:
    case SQL_BOUND_FOLLOWING:
        put_expr(d, offset);
        put(d, b == SQL_BOUND_PRECEDING ? " PRECEDING" : " FOLLOWING");
        return;
    }
}

/* (base PARTITION BY ... ORDER BY ... frame), without the name it defines. */
static void put_window_body(D *d, const WindowSpec *w) {
    const char *sep = "";
    put(d, "(");
    if (w->base) put_name(d, w->base), sep = " ";
    if (w->npartition) {
        put(d, sep), put(d, "PARTITION BY ");
        put_exprs(d, w->partition, w->npartition);
        sep = " ";
    }
    if (w->norder) put(d, sep), put_order(d, w->order, w->norder), sep = " ";
    if (w->mode != SQL_FRAME_DEFAULT) {
        static const char *const modes[] = {"", "ROWS", "RANGE", "GROUPS"};
        static const char *const excludes[] = {"", " EXCLUDE CURRENT ROW", " EXCLUDE GROUP", " EXCLUDE TIES"};
        strbuf_appendf(d, "%s%s BETWEEN ", sep, modes[w->mode]);
        put_bound(d, w->start, w->start_offset);
        put(d, " AND ");
        put_bound(d, w->end, w->end_offset);
        put(d, excludes[w->exclude]);
    }
    put(d, ")");
}

static void put_function(D *d, const Expr *e) {
    const char *name = e->u.func.name;
    if (e->u.func.nargs == 0 && !e->u.func.star && !e->u.func.over &&
        (strcmp(name, "current_user") == 0 || strcmp(name, "session_user") == 0)) {
        put(d, name);
        return;
    }
    if (strcmp(name, "position") == 0 && e->u.func.nargs == 2) { /* position(s, a) from position(a IN s) */
        put(d, "position(");
        put_expr(d, e->u.func.args[1]);
        put(d, " IN ");
        put_expr(d, e->u.func.args[0]);
        put(d, ")");
        return;
    }
    if (e->u.func.schema) put_name(d, e->u.func.schema), put(d, ".");
    put_func_name(d, name);
    put(d, "(");
    if (e->u.func.distinct) put(d, "DISTINCT ");
    if (e->u.func.star) put(d, "*");
    put_exprs(d, e->u.func.args, e->u.func.nargs);
    if (e->u.func.norder) put(d, " "), put_order(d, e->u.func.order, e->u.func.norder);
    put(d, ")");
    if (e->u.func.filter) put(d, " FILTER (WHERE "), put_expr(d, e->u.func.filter), put(d, ")");
    if (!e->u.func.over) return;
    put(d, " OVER ");
    const WindowSpec *w = e->u.func.over;
    if (w->base && !w->npartition && !w->norder && w->mode == SQL_FRAME_DEFAULT && w->pos == w->base_pos)
        put_name(d, w->base); /* OVER name, not OVER (name) */
    else
        put_window_body(d, w);
}

/* current_date, localtime(3), ...: lower.c keeps the keyword as the label
 * of what it made of it (a cast of now(), or now() itself). */
static bool put_niladic(D *d, const Expr *e) {
    if (!e->label) return false;
    put(d, e->label);
    if (e->kind == EXPR_CAST && e->u.cast.type.ntypmods) strbuf_appendf(d, "(%d)", e->u.cast.type.typmods[0]);
    return true;
}

static void put_binary(D *d, const Expr *e) {
    put(d, "(");
    put_expr(d, e->u.binary.left);
    if (e->u.binary.opschema) {
        put(d, " OPERATOR(");
        put_name(d, e->u.binary.opschema);
        strbuf_appendf(d, ".%s) ", e->u.binary.op == SQL_OP_OTHER ? e->u.binary.opname : sql_op_name(e->u.binary.op));
    } else {
        strbuf_appendf(d, " %s ", e->u.binary.op == SQL_OP_OTHER ? e->u.binary.opname : sql_op_name(e->u.binary.op));
    }
    put_expr(d, e->u.binary.right);
    put(d, ")");
}

static void put_subquery(D *d, const Stmt *q) {
    put(d, "(");
    put_stmt(d, q);
    put(d, ")");
}

static void put_sublink(D *d, const Expr *e) {
    switch (e->u.sublink.kind) {
    case SQL_SUBLINK_EXPR: put_subquery(d, e->u.sublink.query); return;
    case SQL_SUBLINK_EXISTS: put(d, "EXISTS "), put_subquery(d, e->u.sublink.query); return;
    case SQL_SUBLINK_ARRAY: put(d, "ARRAY"), put_subquery(d, e->u.sublink.query); return;
    case SQL_SUBLINK_ANY:
    case SQL_SUBLINK_ALL:
        put(d, "(");
        put_expr(d, e->u.sublink.left);
        strbuf_appendf(d, " %s %s ", sql_op_name(e->u.sublink.op),
                       e->u.sublink.kind == SQL_SUBLINK_ALL ? "ALL" : "ANY");
        put_subquery(d, e->u.sublink.query);
        put(d, ")");
        return;
    }
}

/* value[...]: the value parenthesized unless it is a name, a parameter or
 * subscripted already (PostgreSQL's grammar wants f(x) in parentheses). */
static void put_subscript(D *d, const Expr *e) {
    const Expr *v = e->u.subscript.value;
    bool bare = v->kind == EXPR_COLUMN || v->kind == EXPR_PARAM || v->kind == EXPR_SUBSCRIPT;
    if (!bare) put(d, "(");
    put_expr(d, v);
    if (!bare) put(d, ")");
    put(d, "[");
    if (e->u.subscript.slice) {
        if (e->u.subscript.lower) put_expr(d, e->u.subscript.lower);
        put(d, ":");
        if (e->u.subscript.upper) put_expr(d, e->u.subscript.upper);
    } else {
        put_expr(d, e->u.subscript.index);
    }
    put(d, "]");
}

static void put_case(D *d, const Expr *e) {
    put(d, "CASE");
    if (e->u.case_.arg) put(d, " "), put_expr(d, e->u.case_.arg);
    for (int i = 0; i < e->u.case_.n; i++) {
        put(d, " WHEN ");
        put_expr(d, e->u.case_.whens[i]);
        put(d, " THEN ");
        put_expr(d, e->u.case_.thens[i]);
    }
    if (e->u.case_.else_) put(d, " ELSE "), put_expr(d, e->u.case_.else_);
    put(d, " END");
}

static void put_grouping(D *d, const Expr *e) {
    static const char *const kinds[] = {"", "ROLLUP ", "CUBE ", "GROUPING SETS "};
    put(d, kinds[e->u.grouping.kind]);
    put(d, "(");
    put_exprs(d, e->u.grouping.items, e->u.grouping.n);
    put(d, ")");
}

static void put_expr(D *d, const Expr *e) {
    static const char *const tests[] = {"TRUE", "FALSE", "UNKNOWN"};
    if (put_niladic(d, e)) return;
    switch (e->kind) {
    case EXPR_INTEGER:
    case EXPR_DECIMAL: put(d, e->u.text); return;
    case EXPR_STRING: put_string(d, e->u.text); return;
    case EXPR_BOOL: put(d, e->u.bval ? "TRUE" : "FALSE"); return;
    case EXPR_NULL: put(d, "NULL"); return;
    case EXPR_DEFAULT: put(d, "DEFAULT"); return;
    case EXPR_COLUMN:
    case EXPR_STAR:
        if (e->u.column.catalog) put_name(d, e->u.column.catalog), put(d, ".");
        if (e->u.column.schema) put_name(d, e->u.column.schema), put(d, ".");
        if (e->u.column.table) put_name(d, e->u.column.table), put(d, ".");
        if (e->kind == EXPR_STAR)
            put(d, "*");
        else
            put_name(d, e->u.column.name);
        return;
    case EXPR_PARAM: strbuf_appendf(d, "$%d", e->u.param); return;
    case EXPR_UNARY:
        strbuf_appendf(d, "(%s ", e->u.unary.op == SQL_OP_OTHER ? e->u.unary.opname : sql_op_name(e->u.unary.op));
        put_expr(d, e->u.unary.arg);
        put(d, ")");
        return;
    case EXPR_BINARY: put_binary(d, e); return;
    case EXPR_IS_NULL:
        put(d, "(");
        put_expr(d, e->u.isnull.arg);
        put(d, e->u.isnull.negated ? " IS NOT NULL)" : " IS NULL)");
        return;
    case EXPR_CAST:
        put(d, "CAST(");
        put_expr(d, e->u.cast.arg);
        put(d, " AS ");
        put_type(d, &e->u.cast.type);
        put(d, ")");
        return;
    case EXPR_FUNC: put_function(d, e); return;
    case EXPR_ARRAY:
        put(d, "ARRAY[");
        put_exprs(d, e->u.array.items, e->u.array.n);
        put(d, "]");
        return;
    case EXPR_ROW: /* (a, b) where that is a row, as ROLLUP's items must be written */
        put(d, e->u.array.n >= 2 ? "(" : "ROW(");
        put_exprs(d, e->u.array.items, e->u.array.n);
        put(d, ")");
        return;
    case EXPR_BOUND: put(d, "?bound?"); return; /* the binder's, never parsed */
    case EXPR_GROUPING: put_grouping(d, e); return;
    case EXPR_SUBSCRIPT: put_subscript(d, e); return;
    case EXPR_QUANTIFIED:
        put(d, "(");
        put_expr(d, e->u.quantified.left);
        strbuf_appendf(d, " %s %s (", sql_op_name(e->u.quantified.op), e->u.quantified.all ? "ALL" : "ANY");
        put_expr(d, e->u.quantified.right);
        put(d, "))");
        return;
    case EXPR_CASE: put_case(d, e); return;
    case EXPR_IN:
        put(d, "(");
        put_expr(d, e->u.in.left);
        put(d, e->u.in.negated ? " NOT IN (" : " IN (");
        put_exprs(d, e->u.in.items, e->u.in.n);
        put(d, "))");
        return;
    case EXPR_DISTINCT:
        put(d, "(");
        put_expr(d, e->u.distinct.left);
        put(d, e->u.distinct.negated ? " IS NOT DISTINCT FROM " : " IS DISTINCT FROM ");
        put_expr(d, e->u.distinct.right);
        put(d, ")");
        return;
    case EXPR_BOOLTEST:
        put(d, "(");
        put_expr(d, e->u.booltest.arg);
        strbuf_appendf(d, " IS %s%s)", e->u.booltest.negated ? "NOT " : "", tests[e->u.booltest.test]);
        return;
    case EXPR_SUBLINK: put_sublink(d, e); return;
    case EXPR_FIELD:
        put(d, "(");
        put_expr(d, e->u.field.arg);
        put(d, ").");
        if (e->u.field.name)
            put_name(d, e->u.field.name);
        else
            put(d, "*");
        return;
    case EXPR_COLLATE:
        put(d, "(");
        put_expr(d, e->u.collate.arg);
        put(d, " COLLATE ");
        if (e->u.collate.schema) put_name(d, e->u.collate.schema), put(d, ".");
        put_quoted(d, e->u.collate.name, '"');
        put(d, ")");
        return;
    }
}

/* ---- queries ------------------------------------------------------------------ */

static void put_targets(D *d, const ResTarget *t, int n) {
    for (int i = 0; i < n; i++) {
        if (i) put(d, ", ");
        put_expr(d, t[i].expr);
        if (t[i].alias) put(d, " AS "), put_name(d, t[i].alias);
    }
}

static void put_alias(D *d, const char *alias, const char *const *columns, int ncolumns) {
    if (!alias) return;
    put(d, " AS ");
    put_name(d, alias);
    if (!ncolumns) return;
    put(d, " (");
    put_names(d, columns, ncolumns);
    put(d, ")");
}

static void put_from_item(D *d, const FromItem *f);

/* A join's side: joins in parentheses, so the tree reads back as it was. */
static void put_join_side(D *d, const FromItem *f) {
    bool parens = f->kind == FROM_JOIN && !f->alias;
    if (parens) put(d, "(");
    put_from_item(d, f);
    if (parens) put(d, ")");
}

static void put_join(D *d, const FromItem *f) {
    static const char *const types[] = {"JOIN", "LEFT JOIN", "RIGHT JOIN", "FULL JOIN", "CROSS JOIN"};
    put_join_side(d, f->left);
    strbuf_appendf(d, " %s%s ", f->natural ? "NATURAL " : "", types[f->join_type]);
    put_join_side(d, f->right);
    if (f->on) put(d, " ON "), put_expr(d, f->on);
    if (f->nusing) put(d, " USING ("), put_names(d, f->using, f->nusing), put(d, ")");
}

static void put_from_item(D *d, const FromItem *f) {
    if (f->lateral) put(d, "LATERAL ");
    switch (f->kind) {
    case FROM_TABLE: put_qualified(d, f->schema, f->name); break;
    case FROM_FUNCTION:
        if (f->nrows_from) put(d, "ROWS FROM ("), put_exprs(d, f->rows_from, f->nrows_from), put(d, ")");
        if (!f->nrows_from) put_expr(d, f->func);
        if (f->ordinality) put(d, " WITH ORDINALITY");
        break;
    case FROM_SUBQUERY: put_subquery(d, f->subquery); break;
    case FROM_JOIN:
        if (!f->alias) {
            put_join(d, f);
            return;
        }
        put(d, "(");
        put_join(d, f);
        put(d, ")");
        break;
    }
    put_alias(d, f->alias, f->column_aliases, f->ncolumn_aliases);
}

static void put_ctes(D *d, const CommonTableExpr *ctes, int n, bool recursive) {
    if (!n) return;
    put(d, recursive ? "WITH RECURSIVE " : "WITH ");
    for (int i = 0; i < n; i++) {
        if (i) put(d, ", ");
        put_name(d, ctes[i].name);
        if (ctes[i].ncolumns) put(d, " ("), put_names(d, ctes[i].columns, ctes[i].ncolumns), put(d, ")");
        put(d, " AS ");
        put_subquery(d, ctes[i].query);
    }
    put(d, " ");
}

static void put_values(D *d, Expr ***rows, const int *len, int n) {
    put(d, "VALUES ");
    for (int i = 0; i < n; i++) {
        put(d, i ? ", (" : "(");
        put_exprs(d, rows[i], len[i]);
        put(d, ")");
    }
}

static void put_simple_select(D *d, const SelectStmt *s) {
    put(d, "SELECT");
    if (s->distinct) {
        put(d, " DISTINCT");
        if (s->ndistinct_on) put(d, " ON ("), put_exprs(d, s->distinct_on, s->ndistinct_on), put(d, ")");
    }
    if (s->ntargets) put(d, " "), put_targets(d, s->targets, s->ntargets);
    for (int i = 0; i < s->nfrom; i++) {
        put(d, i ? ", " : " FROM ");
        put_from_item(d, s->from[i]);
    }
    if (s->where) put(d, " WHERE "), put_expr(d, s->where);
    if (s->ngroup) put(d, s->group_distinct ? " GROUP BY DISTINCT " : " GROUP BY "), put_exprs(d, s->group, s->ngroup);
    if (s->having) put(d, " HAVING "), put_expr(d, s->having);
    for (int i = 0; i < s->nwindows; i++) {
        put(d, i ? ", " : " WINDOW ");
        put_name(d, s->windows[i].name);
        put(d, " AS ");
        put_window_body(d, &s->windows[i]);
    }
}

static void put_setop_arg(D *d, const SelectStmt *s) {
    put(d, "(");
    put_select(d, s);
    put(d, ")");
}

static void put_locking(D *d, const LockingClause *k) {
    static const char *const strengths[] = {"", " FOR KEY SHARE", " FOR SHARE", " FOR NO KEY UPDATE", " FOR UPDATE"};
    static const char *const waits[] = {"", " NOWAIT", " SKIP LOCKED"};
    if (k->strength == SQL_LOCK_NONE) return;
    put(d, strengths[k->strength]);
    if (k->ntables) put(d, " OF "), put_names(d, k->tables, k->ntables);
    put(d, waits[k->wait]);
}

static void put_select(D *d, const SelectStmt *s) {
    static const char *const setops[] = {"", " UNION ", " INTERSECT ", " EXCEPT "};
    put_ctes(d, s->ctes, s->nctes, s->recursive);
    if (s->setop != SQL_SETOP_NONE) {
        put_setop_arg(d, s->larg);
        put(d, setops[s->setop]);
        if (s->setop_all) put(d, "ALL ");
        put_setop_arg(d, s->rarg);
    } else if (s->nvalues) {
        put_values(d, s->values, s->values_len, s->nvalues);
    } else {
        put_simple_select(d, s);
    }
    if (s->norder) put(d, " "), put_order(d, s->order, s->norder);
    if (s->limit && s->with_ties)
        put(d, " FETCH FIRST ("), put_expr(d, s->limit), put(d, ") ROWS WITH TIES");
    else if (s->limit)
        put(d, " LIMIT "), put_expr(d, s->limit);
    if (s->offset) put(d, " OFFSET "), put_expr(d, s->offset);
    put_locking(d, &s->locking);
}

/* ---- data changes ------------------------------------------------------------- */

static void put_returning(D *d, const ResTarget *t, int n) {
    if (n) put(d, " RETURNING "), put_targets(d, t, n);
}

static void put_table(D *d, const RangeVar *t) {
    put_qualified(d, t->schema, t->name);
    if (t->alias) put(d, " AS "), put_name(d, t->alias);
}

static void put_insert(D *d, const InsertStmt *s) {
    put(d, "INSERT INTO ");
    put_table(d, &s->table);
    if (s->ncolumns) put(d, " ("), put_names(d, s->columns, s->ncolumns), put(d, ")");
    if (s->default_values)
        put(d, " DEFAULT VALUES");
    else
        put(d, " "), put_values(d, s->rows, s->row_len, s->nrows);
    put_returning(d, s->returning, s->nreturning);
}

static void put_update(D *d, const UpdateStmt *s) {
    put(d, "UPDATE ");
    put_table(d, &s->table);
    for (int i = 0; i < s->nsets; i++) {
        const SetClause *c = &s->sets[i];
        put(d, i ? ", " : " SET ");
        put_name(d, c->column);
        for (int k = 0; k < c->nindexes; k++) put(d, "["), put_expr(d, c->indexes[k]), put(d, "]");
        put(d, " = ");
        put_expr(d, c->value);
    }
    if (s->where) put(d, " WHERE "), put_expr(d, s->where);
    put_returning(d, s->returning, s->nreturning);
}

static void put_delete(D *d, const DeleteStmt *s) {
    put(d, "DELETE FROM ");
    put_table(d, &s->table);
    if (s->where) put(d, " WHERE "), put_expr(d, s->where);
    put_returning(d, s->returning, s->nreturning);
}

/* ---- schema --------------------------------------------------------------------- */

static void put_constraint_name(D *d, const char *name) {
    if (name) put(d, "CONSTRAINT "), put_name(d, name), put(d, " ");
}

static void put_fk_action(D *d, const char *event, SqlFkAction a) {
    static const char *const actions[] = {"NO ACTION", "RESTRICT", "CASCADE", "SET NULL", "SET DEFAULT"};
    if (a != SQL_FK_NO_ACTION) strbuf_appendf(d, " ON %s %s", event, actions[a]);
}

/* A constraint as a table constraint (a column's CHECK and REFERENCES
 * come back so, in the order written). */
static void put_constraint(D *d, const SqlConstraint *k) {
    static const char *const kinds[] = {"PRIMARY KEY (", "UNIQUE (", "CHECK (", "FOREIGN KEY ("};
    put_constraint_name(d, k->name);
    put(d, kinds[k->kind]);
    if (k->kind == SQL_CONSTRAINT_CHECK)
        put_expr(d, k->check);
    else
        put_names(d, k->columns, k->ncolumns);
    put(d, ")");
    if (k->kind != SQL_CONSTRAINT_FOREIGN_KEY) return;
    put(d, " REFERENCES ");
    put_qualified(d, k->ref_table.schema, k->ref_table.name);
    if (k->nref_columns) put(d, " ("), put_names(d, k->ref_columns, k->nref_columns), put(d, ")");
    put_fk_action(d, "DELETE", k->on_delete);
    put_fk_action(d, "UPDATE", k->on_update);
}

/* Column-level UNIQUE comes back as a table constraint: lower.c keeps both
 * in one list, in the order written, which this order reproduces. */
static void put_create_table(D *d, const CreateTableStmt *s) {
    put(d, "CREATE TABLE ");
    if (s->if_not_exists) put(d, "IF NOT EXISTS ");
    put_qualified(d, s->table.schema, s->table.name);
    put(d, " (");
    const char *sep = "";
    for (int i = 0; i < s->ncolumns; i++, sep = ", ") {
        const ColumnDef *c = &s->columns[i];
        put(d, sep);
        put_name(d, c->name);
        put(d, " ");
        put_type(d, &c->type);
        if (c->dflt) put(d, " DEFAULT ("), put_expr(d, c->dflt), put(d, ")");
        if (c->not_null) put(d, " NOT NULL");
        if (c->null_ok) put(d, " NULL");
        if (c->primary_key) put(d, " "), put_constraint_name(d, c->pkey_name), put(d, "PRIMARY KEY");
    }
    if (s->npkey) {
        put(d, sep), put_constraint_name(d, s->pkey_name);
        put(d, "PRIMARY KEY ("), put_names(d, s->pkey, s->npkey), put(d, ")");
        sep = ", ";
    }
    for (int i = 0; i < s->nuniques; i++, sep = ", ") {
        put(d, sep), put_constraint_name(d, s->uniques[i].name);
        put(d, "UNIQUE ("), put_names(d, s->uniques[i].columns, s->uniques[i].ncolumns), put(d, ")");
    }
    for (int i = 0; i < s->nconstraints; i++, sep = ", ") put(d, sep), put_constraint(d, &s->constraints[i]);
    put(d, ")");
}

static void put_alter_table(D *d, const AlterTableStmt *s) {
    put(d, s->if_exists ? "ALTER TABLE IF EXISTS " : "ALTER TABLE ");
    put_qualified(d, s->table.schema, s->table.name);
    for (int i = 0; i < s->ncmds; i++) {
        put(d, i ? ", ADD " : " ADD ");
        put_constraint(d, &s->cmds[i].constraint);
    }
}

static void put_range_vars(D *d, const RangeVar *t, int n) {
    for (int i = 0; i < n; i++) {
        if (i) put(d, ", ");
        put_qualified(d, t[i].schema, t[i].name);
    }
}

static void put_create_index(D *d, const CreateIndexStmt *s) {
    put(d, s->unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ");
    if (s->if_not_exists) put(d, "IF NOT EXISTS ");
    if (s->name) put_name(d, s->name), put(d, " ");
    put(d, "ON ");
    put_qualified(d, s->table.schema, s->table.name);
    if (s->method) put(d, " USING "), put_name(d, s->method);
    put(d, " (");
    for (int i = 0; i < s->nelems; i++) {
        if (i) put(d, ", ");
        put_name(d, s->elems[i].column);
        if (s->elems[i].desc) put(d, " DESC");
        if (s->elems[i].nulls) put(d, s->elems[i].nulls == 1 ? " NULLS FIRST" : " NULLS LAST");
    }
    put(d, ")");
}

static void put_proc_params(D *d, const ProcParam *p, int n) {
    static const char *const modes[] = {"", "OUT ", "INOUT "};
    put(d, "(");
    for (int i = 0; i < n; i++) {
        if (i) put(d, ", ");
        put(d, modes[p[i].mode]);
        if (p[i].name) put_name(d, p[i].name), put(d, " ");
        put_type(d, &p[i].type);
        if (p[i].dflt) put(d, " DEFAULT "), put_expr(d, p[i].dflt);
    }
    put(d, ")");
}

static void put_create_procedure(D *d, const CreateProcedureStmt *s) {
    put(d, s->or_replace ? "CREATE OR REPLACE " : "CREATE ");
    put(d, s->module ? "MODULE " : "PROCEDURE ");
    put_name(d, s->name);
    if (!s->module) put_proc_params(d, s->params, s->nparams);
    if (s->language) put(d, " LANGUAGE "), put_name(d, s->language);
    if (s->body) put(d, " AS "), put_string(d, s->body);
}

static void put_drop_procedure(D *d, const DropProcedureStmt *s) {
    put(d, s->module ? "DROP MODULE " : "DROP PROCEDURE ");
    if (s->if_exists) put(d, "IF EXISTS ");
    for (int i = 0; i < s->nprocs; i++) {
        if (i) put(d, ", ");
        put_name(d, s->procs[i].name);
        if (s->procs[i].has_args) put_proc_params(d, s->procs[i].params, s->procs[i].nparams);
    }
    if (s->cascade) put(d, " CASCADE");
}

/* ---- session, COPY, cursors, roles -------------------------------------------- */

static void put_txn_modes(D *d, const TxnStmt *t) {
    static const char *const levels[] = {"", "READ UNCOMMITTED", "READ COMMITTED", "REPEATABLE READ", "SERIALIZABLE"};
    const char *sep = " ";
    if (t->isolation) strbuf_appendf(d, " ISOLATION LEVEL %s", levels[t->isolation]), sep = ", ";
    if (t->read_only) put(d, sep), put(d, "READ ONLY");
    if (t->read_write) put(d, sep), put(d, "READ WRITE");
}

static void put_set(D *d, const SetStmt *s) {
    if (s->reset) {
        put(d, "RESET ");
        if (s->name)
            put_name(d, s->name);
        else
            put(d, "ALL");
        return;
    }
    put(d, s->local ? "SET LOCAL " : "SET ");
    put_name(d, s->name);
    put(d, " TO ");
    if (!s->nvalues) put(d, "DEFAULT");
    for (int i = 0; i < s->nvalues; i++) {
        if (i) put(d, ", ");
        put_string(d, s->values[i]);
    }
}

static void put_copy(D *d, const CopyStmt *s) {
    put(d, "COPY ");
    if (s->query)
        put_subquery(d, s->query);
    else
        put_qualified(d, s->table.schema, s->table.name);
    if (s->ncolumns) put(d, " ("), put_names(d, s->columns, s->ncolumns), put(d, ")");
    put(d, s->from ? " FROM " : " TO ");
    if (s->program) put(d, "PROGRAM ");
    if (s->file)
        put_string(d, s->file);
    else
        put(d, s->from ? "STDIN" : "STDOUT");
    for (int i = 0; i < s->noptions; i++) {
        const CopyOption *o = &s->options[i];
        put(d, i ? ", " : " (");
        put_name(d, o->name);
        if (o->value) put(d, " "), put_string(d, o->value);
        if (o->star) put(d, " *");
        if (o->ncolumns) put(d, " ("), put_names(d, o->columns, o->ncolumns), put(d, ")");
    }
    if (s->noptions) put(d, ")");
}

static void put_fetch(D *d, const CursorStmt *s) {
    static const char *const dirs[] = {"FORWARD", "BACKWARD", "ABSOLUTE", "RELATIVE"};
    put(d, s->move ? "MOVE " : "FETCH ");
    if (s->all)
        strbuf_appendf(d, "%s ALL", dirs[s->dir]);
    else
        strbuf_appendf(d, "%s %lld", dirs[s->dir], (long long)s->count);
    put(d, " FROM ");
    put_name(d, s->name);
}

static void put_role(D *d, const Stmt *st) {
    const RoleStmt *s = &st->u.role;
    if (st->kind == STMT_DROP_ROLE) {
        put(d, s->if_exists ? "DROP ROLE IF EXISTS " : "DROP ROLE ");
        put_names(d, s->names, s->nnames);
        return;
    }
    put(d, st->kind == STMT_ALTER_ROLE ? "ALTER ROLE " : s->user ? "CREATE USER " : "CREATE ROLE ");
    put_name(d, s->name);
    if (s->new_name) put(d, " RENAME TO "), put_name(d, s->new_name);
    if (s->login >= 0) put(d, s->login ? " LOGIN" : " NOLOGIN");
    if (s->superuser >= 0) put(d, s->superuser ? " SUPERUSER" : " NOSUPERUSER");
    if (s->createdb >= 0) put(d, s->createdb ? " CREATEDB" : " NOCREATEDB");
    if (s->has_password && s->password) put(d, " PASSWORD "), put_string(d, s->password);
    if (s->has_password && !s->password) put(d, " PASSWORD NULL");
    if (s->has_limit) strbuf_appendf(d, " CONNECTION LIMIT %lld", (long long)s->conn_limit);
}

static void put_declare(D *d, const CursorStmt *s) {
    put(d, "DECLARE ");
    put_name(d, s->name);
    if (s->binary) put(d, " BINARY");
    if (s->no_scroll) put(d, " NO SCROLL");
    put(d, " CURSOR");
    if (s->hold) put(d, " WITH HOLD");
    put(d, " FOR ");
    put_stmt(d, s->query);
}

static void put_explain(D *d, const ExplainStmt *s) {
    strbuf_appendf(d, "EXPLAIN (ANALYZE %s, VERBOSE %s, COSTS %s) ", s->analyze ? "on" : "off",
                   s->verbose ? "on" : "off", s->costs ? "on" : "off");
    put_stmt(d, s->query);
}

static void put_notify(D *d, const Stmt *st) {
    const NotifyStmt *s = &st->u.notify;
    put(d, st->kind == STMT_LISTEN ? "LISTEN " : st->kind == STMT_UNLISTEN ? "UNLISTEN " : "NOTIFY ");
    if (s->channel)
        put_name(d, s->channel);
    else
        put(d, "*");
    if (st->kind == STMT_NOTIFY && *s->payload) put(d, ", "), put_string(d, s->payload);
}

static void put_vacuum(D *d, const VacuumStmt *s) {
    put(d, "VACUUM");
    if (s->full) put(d, " FULL");
    if (s->freeze) put(d, " FREEZE");
    if (s->verbose) put(d, " VERBOSE");
    if (s->analyze) put(d, " ANALYZE");
    if (s->ntables) put(d, " "), put_range_vars(d, s->tables, s->ntables);
}

static void put_drop(D *d, const char *what, bool if_exists, const RangeVar *names, int n, bool cascade) {
    put(d, what);
    if (if_exists) put(d, "IF EXISTS ");
    put_range_vars(d, names, n);
    if (cascade) put(d, " CASCADE");
}

static void put_stmt(D *d, const Stmt *s) {
    const TxnStmt *t = &s->u.txn;
    if (s->kind == STMT_INSERT || s->kind == STMT_UPDATE || s->kind == STMT_DELETE)
        put_ctes(d, s->ctes, s->nctes, s->recursive);
    switch (s->kind) {
    case STMT_SELECT: put_select(d, &s->u.select); return;
    case STMT_INSERT: put_insert(d, &s->u.insert); return;
    case STMT_UPDATE: put_update(d, &s->u.update); return;
    case STMT_DELETE: put_delete(d, &s->u.del); return;
    case STMT_CREATE_TABLE: put_create_table(d, &s->u.create_table); return;
    case STMT_DROP_TABLE:
        put_drop(d, "DROP TABLE ", s->u.drop_table.if_exists, s->u.drop_table.tables, s->u.drop_table.ntables,
                 s->u.drop_table.cascade);
        return;
    case STMT_CREATE_INDEX: put_create_index(d, &s->u.create_index); return;
    case STMT_DROP_INDEX:
        put_drop(d, "DROP INDEX ", s->u.drop_index.if_exists, s->u.drop_index.indexes, s->u.drop_index.nindexes,
                 s->u.drop_index.cascade);
        return;
    case STMT_VACUUM: put_vacuum(d, &s->u.vacuum); return;
    case STMT_CHECKPOINT: put(d, "CHECKPOINT"); return;
    case STMT_BEGIN:
        put(d, t->start ? "START TRANSACTION" : "BEGIN");
        put_txn_modes(d, t);
        return;
    case STMT_COMMIT: put(d, t->chain ? "COMMIT AND CHAIN" : "COMMIT"); return;
    case STMT_ROLLBACK: put(d, t->chain ? "ROLLBACK AND CHAIN" : "ROLLBACK"); return;
    case STMT_SAVEPOINT: put(d, "SAVEPOINT "), put_name(d, s->u.savepoint.name); return;
    case STMT_RELEASE: put(d, "RELEASE SAVEPOINT "), put_name(d, s->u.savepoint.name); return;
    case STMT_ROLLBACK_TO: put(d, "ROLLBACK TO SAVEPOINT "), put_name(d, s->u.savepoint.name); return;
    case STMT_SET: put_set(d, &s->u.set); return;
    case STMT_SHOW:
        put(d, "SHOW ");
        if (s->u.show.name)
            put_name(d, s->u.show.name);
        else
            put(d, "ALL");
        return;
    case STMT_SET_TRANSACTION: put(d, "SET TRANSACTION"), put_txn_modes(d, t); return;
    case STMT_CREATE_PROCEDURE: put_create_procedure(d, &s->u.create_proc); return;
    case STMT_DROP_PROCEDURE: put_drop_procedure(d, &s->u.drop_proc); return;
    case STMT_CALL:
        put(d, "CALL "), put_name(d, s->u.call.name), put(d, "(");
        put_exprs(d, s->u.call.args, s->u.call.nargs);
        put(d, ")");
        return;
    case STMT_COPY: put_copy(d, &s->u.copy); return;
    case STMT_LISTEN:
    case STMT_UNLISTEN:
    case STMT_NOTIFY: put_notify(d, s); return;
    case STMT_DECLARE: put_declare(d, &s->u.cursor); return;
    case STMT_FETCH: put_fetch(d, &s->u.cursor); return;
    case STMT_CLOSE:
        put(d, "CLOSE ");
        if (s->u.cursor.name)
            put_name(d, s->u.cursor.name);
        else
            put(d, "ALL");
        return;
    case STMT_CREATE_ROLE:
    case STMT_ALTER_ROLE:
    case STMT_DROP_ROLE: put_role(d, s); return;
    case STMT_EXPLAIN: put_explain(d, &s->u.explain); return;
    case STMT_ALTER_TABLE: put_alter_table(d, &s->u.alter_table); return;
    }
}

void sql_deparse_stmt(StrBuf *out, const Stmt *s) { put_stmt(out, s); }

void sql_deparse_expr(StrBuf *out, const Expr *e) { put_expr(out, e); }
