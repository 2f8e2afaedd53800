/*
 * equal.c — whether two ASTs say the same, positions aside.
 *
 * The deparse round trip's judge: parse, deparse, parse again, and the two
 * trees must be equal in every field that means something. Positions (pos,
 * *_pos, start, end) are where text was, so they differ by design; the one
 * thing positions encode besides, whether a window was written OVER name
 * or OVER (name), is compared as that.
 *
 * INTERFACE
 *   sql_stmt_equal, sql_expr_equal
 */
#include <string.h>

#include "sql/sql_int.h"

static bool stmt_eq(const Stmt *a, const Stmt *b);
static bool select_eq(const SelectStmt *a, const SelectStmt *b);

static bool str_eq(const char *a, const char *b) { return a == b || (a && b && strcmp(a, b) == 0); }

static bool strs_eq(const char *const *a, int na, const char *const *b, int nb) {
    if (na != nb) return false;
    for (int i = 0; i < na; i++)
        if (!str_eq(a[i], b[i])) return false;
    return true;
}

static bool type_eq(const SqlTypeName *a, const SqlTypeName *b) {
    if (!str_eq(a->name, b->name) || !str_eq(a->schema, b->schema) || a->ntypmods != b->ntypmods ||
        a->array != b->array || a->interval_range != b->interval_range)
        return false;
    for (int i = 0; i < a->ntypmods; i++)
        if (a->typmods[i] != b->typmods[i]) return false;
    return true;
}

static bool exprs_eq(Expr *const *a, int na, Expr *const *b, int nb) {
    if (na != nb) return false;
    for (int i = 0; i < na; i++)
        if (!sql_expr_equal(a[i], b[i])) return false;
    return true;
}

static bool order_eq(const OrderItem *a, int na, const OrderItem *b, int nb) {
    if (na != nb) return false;
    for (int i = 0; i < na; i++)
        if (!sql_expr_equal(a[i].expr, b[i].expr) || a[i].desc != b[i].desc || a[i].nulls != b[i].nulls) return false;
    return true;
}

static bool window_eq(const WindowSpec *a, const WindowSpec *b) {
    if (!a || !b) return a == b;
    return str_eq(a->name, b->name) && str_eq(a->base, b->base) && (a->pos == a->base_pos) == (b->pos == b->base_pos) &&
           exprs_eq(a->partition, a->npartition, b->partition, b->npartition) &&
           order_eq(a->order, a->norder, b->order, b->norder) && a->mode == b->mode && a->start == b->start &&
           a->end == b->end && sql_expr_equal(a->start_offset, b->start_offset) &&
           sql_expr_equal(a->end_offset, b->end_offset) && a->exclude == b->exclude;
}

static bool query_eq(const Stmt *a, const Stmt *b) { return !a || !b ? a == b : stmt_eq(a, b); }

static bool expr_fields_eq(const Expr *a, const Expr *b) {
    switch (a->kind) {
    case EXPR_INTEGER:
    case EXPR_DECIMAL:
    case EXPR_STRING: return str_eq(a->u.text, b->u.text);
    case EXPR_BOOL: return a->u.bval == b->u.bval;
    case EXPR_NULL:
    case EXPR_DEFAULT: return true;
    case EXPR_COLUMN:
    case EXPR_STAR:
        return str_eq(a->u.column.table, b->u.column.table) && str_eq(a->u.column.name, b->u.column.name) &&
               str_eq(a->u.column.schema, b->u.column.schema) && str_eq(a->u.column.catalog, b->u.column.catalog);
    case EXPR_PARAM: return a->u.param == b->u.param;
    case EXPR_UNARY:
        return a->u.unary.op == b->u.unary.op && str_eq(a->u.unary.opname, b->u.unary.opname) &&
               sql_expr_equal(a->u.unary.arg, b->u.unary.arg);
    case EXPR_BINARY:
        return a->u.binary.op == b->u.binary.op && str_eq(a->u.binary.opname, b->u.binary.opname) &&
               str_eq(a->u.binary.opschema, b->u.binary.opschema) &&
               sql_expr_equal(a->u.binary.left, b->u.binary.left) &&
               sql_expr_equal(a->u.binary.right, b->u.binary.right);
    case EXPR_IS_NULL:
        return a->u.isnull.negated == b->u.isnull.negated && sql_expr_equal(a->u.isnull.arg, b->u.isnull.arg);
    case EXPR_CAST: return type_eq(&a->u.cast.type, &b->u.cast.type) && sql_expr_equal(a->u.cast.arg, b->u.cast.arg);
    case EXPR_FUNC:
        return str_eq(a->u.func.name, b->u.func.name) && str_eq(a->u.func.schema, b->u.func.schema) &&
               a->u.func.star == b->u.func.star && a->u.func.distinct == b->u.func.distinct &&
               exprs_eq(a->u.func.args, a->u.func.nargs, b->u.func.args, b->u.func.nargs) &&
               order_eq(a->u.func.order, a->u.func.norder, b->u.func.order, b->u.func.norder) &&
               sql_expr_equal(a->u.func.filter, b->u.func.filter) && window_eq(a->u.func.over, b->u.func.over);
    case EXPR_ARRAY:
    case EXPR_ROW: return exprs_eq(a->u.array.items, a->u.array.n, b->u.array.items, b->u.array.n);
    case EXPR_BOUND: return a->u.bound == b->u.bound;
    case EXPR_GROUPING:
        return a->u.grouping.kind == b->u.grouping.kind &&
               exprs_eq(a->u.grouping.items, a->u.grouping.n, b->u.grouping.items, b->u.grouping.n);
    case EXPR_SUBSCRIPT:
        return a->u.subscript.slice == b->u.subscript.slice &&
               sql_expr_equal(a->u.subscript.value, b->u.subscript.value) &&
               sql_expr_equal(a->u.subscript.index, b->u.subscript.index) &&
               sql_expr_equal(a->u.subscript.lower, b->u.subscript.lower) &&
               sql_expr_equal(a->u.subscript.upper, b->u.subscript.upper);
    case EXPR_QUANTIFIED:
        return a->u.quantified.op == b->u.quantified.op && a->u.quantified.all == b->u.quantified.all &&
               sql_expr_equal(a->u.quantified.left, b->u.quantified.left) &&
               sql_expr_equal(a->u.quantified.right, b->u.quantified.right);
    case EXPR_CASE:
        return sql_expr_equal(a->u.case_.arg, b->u.case_.arg) &&
               exprs_eq(a->u.case_.whens, a->u.case_.n, b->u.case_.whens, b->u.case_.n) &&
               exprs_eq(a->u.case_.thens, a->u.case_.n, b->u.case_.thens, b->u.case_.n) &&
               sql_expr_equal(a->u.case_.else_, b->u.case_.else_);
    case EXPR_IN:
        return a->u.in.negated == b->u.in.negated && sql_expr_equal(a->u.in.left, b->u.in.left) &&
               exprs_eq(a->u.in.items, a->u.in.n, b->u.in.items, b->u.in.n);
    case EXPR_DISTINCT:
        return a->u.distinct.negated == b->u.distinct.negated &&
               sql_expr_equal(a->u.distinct.left, b->u.distinct.left) &&
               sql_expr_equal(a->u.distinct.right, b->u.distinct.right);
    case EXPR_BOOLTEST:
        return a->u.booltest.test == b->u.booltest.test && a->u.booltest.negated == b->u.booltest.negated &&
               sql_expr_equal(a->u.booltest.arg, b->u.booltest.arg);
    case EXPR_SUBLINK:
        return a->u.sublink.kind == b->u.sublink.kind && a->u.sublink.op == b->u.sublink.op &&
               sql_expr_equal(a->u.sublink.left, b->u.sublink.left) && query_eq(a->u.sublink.query, b->u.sublink.query);
    case EXPR_FIELD: return str_eq(a->u.field.name, b->u.field.name) && sql_expr_equal(a->u.field.arg, b->u.field.arg);
    case EXPR_COLLATE:
        return str_eq(a->u.collate.schema, b->u.collate.schema) && str_eq(a->u.collate.name, b->u.collate.name) &&
               sql_expr_equal(a->u.collate.arg, b->u.collate.arg);
    }
    return false;
}

bool sql_expr_equal(const Expr *a, const Expr *b) {
    if (!a || !b) return a == b;
    return a->kind == b->kind && str_eq(a->label, b->label) && expr_fields_eq(a, b);
}

/* ---- queries ------------------------------------------------------------------ */

static bool targets_eq(const ResTarget *a, int na, const ResTarget *b, int nb) {
    if (na != nb) return false;
    for (int i = 0; i < na; i++)
        if (!sql_expr_equal(a[i].expr, b[i].expr) || !str_eq(a[i].alias, b[i].alias)) return false;
    return true;
}

static bool from_eq(const FromItem *a, const FromItem *b) {
    if (!a || !b) return a == b;
    return a->kind == b->kind && str_eq(a->name, b->name) && str_eq(a->schema, b->schema) &&
           str_eq(a->alias, b->alias) &&
           strs_eq(a->column_aliases, a->ncolumn_aliases, b->column_aliases, b->ncolumn_aliases) &&
           sql_expr_equal(a->func, b->func) && query_eq(a->subquery, b->subquery) && a->join_type == b->join_type &&
           from_eq(a->left, b->left) && from_eq(a->right, b->right) && sql_expr_equal(a->on, b->on) &&
           strs_eq(a->using, a->nusing, b->using, b->nusing) && a->natural == b->natural && a->lateral == b->lateral &&
           a->ordinality == b->ordinality && exprs_eq(a->rows_from, a->nrows_from, b->rows_from, b->nrows_from);
}

static bool ctes_eq(const CommonTableExpr *a, int na, const CommonTableExpr *b, int nb) {
    if (na != nb) return false;
    for (int i = 0; i < na; i++)
        if (!str_eq(a[i].name, b[i].name) || !strs_eq(a[i].columns, a[i].ncolumns, b[i].columns, b[i].ncolumns) ||
            !query_eq(a[i].query, b[i].query))
            return false;
    return true;
}

static bool rows_eq(Expr ***a, const int *alen, int na, Expr ***b, const int *blen, int nb) {
    if (na != nb) return false;
    for (int i = 0; i < na; i++)
        if (!exprs_eq(a[i], alen[i], b[i], blen[i])) return false;
    return true;
}

static bool windows_eq(const WindowSpec *a, int na, const WindowSpec *b, int nb) {
    if (na != nb) return false;
    for (int i = 0; i < na; i++)
        if (!window_eq(&a[i], &b[i])) return false;
    return true;
}

static bool locking_eq(const LockingClause *a, const LockingClause *b) {
    return a->strength == b->strength && a->wait == b->wait && strs_eq(a->tables, a->ntables, b->tables, b->ntables);
}

static bool select_eq(const SelectStmt *a, const SelectStmt *b) {
    if (!a || !b) return a == b;
    if (a->nfrom != b->nfrom) return false;
    for (int i = 0; i < a->nfrom; i++)
        if (!from_eq(a->from[i], b->from[i])) return false;
    return ctes_eq(a->ctes, a->nctes, b->ctes, b->nctes) && a->recursive == b->recursive && a->setop == b->setop &&
           a->setop_all == b->setop_all && select_eq(a->larg, b->larg) && select_eq(a->rarg, b->rarg) &&
           rows_eq(a->values, a->values_len, a->nvalues, b->values, b->values_len, b->nvalues) &&
           a->distinct == b->distinct && exprs_eq(a->distinct_on, a->ndistinct_on, b->distinct_on, b->ndistinct_on) &&
           targets_eq(a->targets, a->ntargets, b->targets, b->ntargets) && sql_expr_equal(a->where, b->where) &&
           exprs_eq(a->group, a->ngroup, b->group, b->ngroup) && a->group_distinct == b->group_distinct &&
           sql_expr_equal(a->having, b->having) && windows_eq(a->windows, a->nwindows, b->windows, b->nwindows) &&
           order_eq(a->order, a->norder, b->order, b->norder) && sql_expr_equal(a->limit, b->limit) &&
           a->with_ties == b->with_ties && sql_expr_equal(a->offset, b->offset) && locking_eq(&a->locking, &b->locking);
}

/* ---- other statements ------------------------------------------------------------ */

static bool range_var_eq(const RangeVar *a, const RangeVar *b) {
    return str_eq(a->name, b->name) && str_eq(a->schema, b->schema) && str_eq(a->alias, b->alias) &&
           sql_expr_equal(a->func, b->func);
}

static bool range_vars_eq(const RangeVar *a, int na, const RangeVar *b, int nb) {
    if (na != nb) return false;
    for (int i = 0; i < na; i++)
        if (!range_var_eq(&a[i], &b[i])) return false;
    return true;
}

static bool insert_eq(const InsertStmt *a, const InsertStmt *b) {
    return range_var_eq(&a->table, &b->table) && strs_eq(a->columns, a->ncolumns, b->columns, b->ncolumns) &&
           rows_eq(a->rows, a->row_len, a->nrows, b->rows, b->row_len, b->nrows) &&
           a->default_values == b->default_values &&
           targets_eq(a->returning, a->nreturning, b->returning, b->nreturning);
}

static bool update_eq(const UpdateStmt *a, const UpdateStmt *b) {
    if (a->nsets != b->nsets) return false;
    for (int i = 0; i < a->nsets; i++) {
        const SetClause *x = &a->sets[i], *y = &b->sets[i];
        if (!str_eq(x->column, y->column) || !exprs_eq(x->indexes, x->nindexes, y->indexes, y->nindexes) ||
            !sql_expr_equal(x->value, y->value))
            return false;
    }
    return range_var_eq(&a->table, &b->table) && sql_expr_equal(a->where, b->where) &&
           targets_eq(a->returning, a->nreturning, b->returning, b->nreturning);
}

static bool constraint_eq(const SqlConstraint *a, const SqlConstraint *b) {
    return a->kind == b->kind && str_eq(a->name, b->name) &&
           strs_eq(a->columns, a->ncolumns, b->columns, b->ncolumns) && sql_expr_equal(a->check, b->check) &&
           range_var_eq(&a->ref_table, &b->ref_table) &&
           strs_eq(a->ref_columns, a->nref_columns, b->ref_columns, b->nref_columns) && a->on_delete == b->on_delete &&
           a->on_update == b->on_update;
}

static bool alter_table_eq(const AlterTableStmt *a, const AlterTableStmt *b) {
    if (a->ncmds != b->ncmds) return false;
    for (int i = 0; i < a->ncmds; i++)
        if (!constraint_eq(&a->cmds[i].constraint, &b->cmds[i].constraint)) return false;
    return range_var_eq(&a->table, &b->table) && a->if_exists == b->if_exists;
}

static bool create_table_eq(const CreateTableStmt *a, const CreateTableStmt *b) {
    if (a->ncolumns != b->ncolumns || a->nuniques != b->nuniques || a->nconstraints != b->nconstraints) return false;
    for (int i = 0; i < a->nconstraints; i++)
        if (!constraint_eq(&a->constraints[i], &b->constraints[i])) return false;
    for (int i = 0; i < a->ncolumns; i++) {
        const ColumnDef *x = &a->columns[i], *y = &b->columns[i];
        if (!str_eq(x->name, y->name) || !type_eq(&x->type, &y->type) || x->not_null != y->not_null ||
            x->null_ok != y->null_ok || x->primary_key != y->primary_key || !str_eq(x->pkey_name, y->pkey_name) ||
            !sql_expr_equal(x->dflt, y->dflt))
            return false;
    }
    for (int i = 0; i < a->nuniques; i++)
        if (!str_eq(a->uniques[i].name, b->uniques[i].name) ||
            !strs_eq(a->uniques[i].columns, a->uniques[i].ncolumns, b->uniques[i].columns, b->uniques[i].ncolumns))
            return false;
    return range_var_eq(&a->table, &b->table) && a->if_not_exists == b->if_not_exists &&
           strs_eq(a->pkey, a->npkey, b->pkey, b->npkey) && str_eq(a->pkey_name, b->pkey_name);
}

static bool create_index_eq(const CreateIndexStmt *a, const CreateIndexStmt *b) {
    if (a->nelems != b->nelems) return false;
    for (int i = 0; i < a->nelems; i++)
        if (!str_eq(a->elems[i].column, b->elems[i].column) || a->elems[i].desc != b->elems[i].desc ||
            a->elems[i].nulls != b->elems[i].nulls)
            return false;
    return str_eq(a->name, b->name) && a->unique == b->unique && a->if_not_exists == b->if_not_exists &&
           range_var_eq(&a->table, &b->table) && str_eq(a->method, b->method);
}

static bool params_eq(const ProcParam *a, int na, const ProcParam *b, int nb) {
    if (na != nb) return false;
    for (int i = 0; i < na; i++)
        if (!str_eq(a[i].name, b[i].name) || a[i].mode != b[i].mode || !type_eq(&a[i].type, &b[i].type) ||
            !sql_expr_equal(a[i].dflt, b[i].dflt))
            return false;
    return true;
}

static bool create_proc_eq(const CreateProcedureStmt *a, const CreateProcedureStmt *b) {
    return str_eq(a->name, b->name) && a->or_replace == b->or_replace && a->module == b->module &&
           params_eq(a->params, a->nparams, b->params, b->nparams) && str_eq(a->language, b->language) &&
           str_eq(a->body, b->body);
}

static bool drop_proc_eq(const DropProcedureStmt *a, const DropProcedureStmt *b) {
    if (a->nprocs != b->nprocs) return false;
    for (int i = 0; i < a->nprocs; i++) {
        const ProcRef *x = &a->procs[i], *y = &b->procs[i];
        if (!str_eq(x->name, y->name) || x->has_args != y->has_args ||
            !params_eq(x->params, x->nparams, y->params, y->nparams))
            return false;
    }
    return a->module == b->module && a->if_exists == b->if_exists && a->cascade == b->cascade;
}

static bool copy_eq(const CopyStmt *a, const CopyStmt *b) {
    if (a->noptions != b->noptions) return false;
    for (int i = 0; i < a->noptions; i++) {
        const CopyOption *x = &a->options[i], *y = &b->options[i];
        if (!str_eq(x->name, y->name) || !str_eq(x->value, y->value) || x->star != y->star ||
            !strs_eq(x->columns, x->ncolumns, y->columns, y->ncolumns))
            return false;
    }
    return range_var_eq(&a->table, &b->table) && strs_eq(a->columns, a->ncolumns, b->columns, b->ncolumns) &&
           query_eq(a->query, b->query) && a->from == b->from && str_eq(a->file, b->file) && a->program == b->program;
}

static bool cursor_eq(const CursorStmt *a, const CursorStmt *b) {
    return str_eq(a->name, b->name) && a->binary == b->binary && a->no_scroll == b->no_scroll && a->hold == b->hold &&
           query_eq(a->query, b->query) && a->dir == b->dir && a->count == b->count && a->all == b->all &&
           a->move == b->move;
}

static bool role_eq(const RoleStmt *a, const RoleStmt *b) {
    return str_eq(a->name, b->name) && strs_eq(a->names, a->nnames, b->names, b->nnames) &&
           a->if_exists == b->if_exists && str_eq(a->new_name, b->new_name) && a->user == b->user &&
           a->login == b->login && a->superuser == b->superuser && a->createdb == b->createdb &&
           a->has_password == b->has_password && str_eq(a->password, b->password) && a->has_limit == b->has_limit &&
           a->conn_limit == b->conn_limit;
}

static bool txn_eq(const TxnStmt *a, const TxnStmt *b) {
    return a->isolation == b->isolation && a->chain == b->chain && a->read_only == b->read_only &&
           a->read_write == b->read_write && a->start == b->start;
}

static bool stmt_fields_eq(const Stmt *a, const Stmt *b) {
    const __typeof__(a->u) *x = &a->u, *y = &b->u; /* the union has no name of its own */
    switch (a->kind) {
    case STMT_SELECT: return select_eq(&x->select, &y->select);
    case STMT_INSERT: return insert_eq(&x->insert, &y->insert);
    case STMT_UPDATE: return update_eq(&x->update, &y->update);
    case STMT_DELETE:
        return range_var_eq(&x->del.table, &y->del.table) && sql_expr_equal(x->del.where, y->del.where) &&
               targets_eq(x->del.returning, x->del.nreturning, y->del.returning, y->del.nreturning);
    case STMT_CREATE_TABLE: return create_table_eq(&x->create_table, &y->create_table);
    case STMT_DROP_TABLE:
        return range_vars_eq(x->drop_table.tables, x->drop_table.ntables, y->drop_table.tables,
                             y->drop_table.ntables) &&
               x->drop_table.if_exists == y->drop_table.if_exists && x->drop_table.cascade == y->drop_table.cascade;
    case STMT_CREATE_INDEX: return create_index_eq(&x->create_index, &y->create_index);
    case STMT_DROP_INDEX:
        return range_vars_eq(x->drop_index.indexes, x->drop_index.nindexes, y->drop_index.indexes,
                             y->drop_index.nindexes) &&
               x->drop_index.if_exists == y->drop_index.if_exists && x->drop_index.cascade == y->drop_index.cascade;
    case STMT_VACUUM:
        return range_vars_eq(x->vacuum.tables, x->vacuum.ntables, y->vacuum.tables, y->vacuum.ntables) &&
               x->vacuum.full == y->vacuum.full && x->vacuum.freeze == y->vacuum.freeze &&
               x->vacuum.verbose == y->vacuum.verbose && x->vacuum.analyze == y->vacuum.analyze;
    case STMT_CHECKPOINT: return true;
    case STMT_BEGIN:
    case STMT_COMMIT:
    case STMT_ROLLBACK:
    case STMT_SET_TRANSACTION: return txn_eq(&x->txn, &y->txn);
    case STMT_SAVEPOINT:
    case STMT_RELEASE:
    case STMT_ROLLBACK_TO: return str_eq(x->savepoint.name, y->savepoint.name);
    case STMT_SET:
        return str_eq(x->set.name, y->set.name) &&
               strs_eq(x->set.values, x->set.nvalues, y->set.values, y->set.nvalues) && x->set.local == y->set.local &&
               x->set.reset == y->set.reset;
    case STMT_SHOW: return str_eq(x->show.name, y->show.name);
    case STMT_CREATE_PROCEDURE: return create_proc_eq(&x->create_proc, &y->create_proc);
    case STMT_DROP_PROCEDURE: return drop_proc_eq(&x->drop_proc, &y->drop_proc);
    case STMT_CALL:
        return str_eq(x->call.name, y->call.name) && exprs_eq(x->call.args, x->call.nargs, y->call.args, y->call.nargs);
    case STMT_COPY: return copy_eq(&x->copy, &y->copy);
    case STMT_LISTEN:
    case STMT_UNLISTEN:
    case STMT_NOTIFY:
        return str_eq(x->notify.channel, y->notify.channel) && str_eq(x->notify.payload, y->notify.payload);
    case STMT_DECLARE:
    case STMT_FETCH:
    case STMT_CLOSE: return cursor_eq(&x->cursor, &y->cursor);
    case STMT_CREATE_ROLE:
    case STMT_ALTER_ROLE:
    case STMT_DROP_ROLE: return role_eq(&x->role, &y->role);
    case STMT_ALTER_TABLE: return alter_table_eq(&x->alter_table, &y->alter_table);
    case STMT_EXPLAIN:
        return query_eq(x->explain.query, y->explain.query) && x->explain.analyze == y->explain.analyze &&
               x->explain.verbose == y->explain.verbose && x->explain.costs == y->explain.costs;
    }
    return false;
}

static bool stmt_eq(const Stmt *a, const Stmt *b) {
    return a->kind == b->kind && ctes_eq(a->ctes, a->nctes, b->ctes, b->nctes) && a->recursive == b->recursive &&
           stmt_fields_eq(a, b);
}

bool sql_stmt_equal(const Stmt *a, const Stmt *b) { return query_eq(a, b); }
