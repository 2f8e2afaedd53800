/*
 * path.c — access paths: whether a statement reads its table by a
 * sequential scan or through an index, and with which bounds.
 *
 * The WHERE clause's ANDed comparisons of a column with a constant or a
 * parameter of the column's own type are matched against each index the
 * transaction can see: equalities on a prefix of its key columns, then at
 * most one range on the next column. The index that fixes the most columns
 * wins, a unique index fixed entirely first of all; failing that, an index
 * whose order is the ORDER BY's reads rows already sorted (so a LIMIT stops
 * early). There is no cost model yet (the SQL query issue brings one); the
 * filter is applied to every row either way, so the choice never changes a
 * result.
 *
 * INTERFACE (planner-internal): planner__choose_path
 */
#include "planner/planner_int.h"

#define MAX_TERMS 64

typedef struct Term {
    int column;
    SqlOp op; /* with the column on the left */
    BExpr *value;
} Term;

static SqlOp flip(SqlOp op) {
    switch (op) {
    case SQL_OP_LT: return SQL_OP_GT;
    case SQL_OP_LE: return SQL_OP_GE;
    case SQL_OP_GT: return SQL_OP_LT;
    case SQL_OP_GE: return SQL_OP_LE;
    default: return op;
    }
}

/* A bound an index can take: a constant, a parameter, or an index nested
 * loop's outer value (set before each inner scan opens). */
static bool is_value(const BExpr *e) {
    return e->kind == BEXPR_CONST || e->kind == BEXPR_PARAM || e->kind == BEXPR_EXEC_PARAM;
}

static void collect_terms(BExpr *e, const TableDesc *d, Term *terms, int *n) {
    if (e->kind == BEXPR_AND) {
        collect_terms(e->u.op.left, d, terms, n);
        collect_terms(e->u.op.right, d, terms, n);
        return;
    }
    if (e->kind != BEXPR_COMPARE || e->u.op.op == SQL_OP_NE || *n == MAX_TERMS) return;
    BExpr *l = e->u.op.left, *r = e->u.op.right;
    SqlOp op = e->u.op.op;
    if (r->kind == BEXPR_COLUMN && is_value(l)) {
        BExpr *tmp = l;
        l = r;
        r = tmp;
        op = flip(op);
    }
    if (l->kind != BEXPR_COLUMN || !is_value(r) || r->type != d->cols[l->u.column].type) return;
    terms[(*n)++] = (Term){l->u.column, op, r};
}

static BExpr *find_term(const Term *terms, int n, int column, SqlOp op) {
    for (int i = 0; i < n; i++)
        if (terms[i].column == column && terms[i].op == op) return terms[i].value;
    return NULL;
}

typedef struct Candidate {
    Index *index;
    int neq;
    BExpr *lo, *hi; /* a range on key column neq, in index order */
    bool lo_inclusive, hi_inclusive;
    int score;
} Candidate;

/* A range on column c in the index's order: for a descending column, the
 * values above a bound come before it. */
static void find_range(const Term *terms, int n, int c, bool desc, Candidate *k) {
    BExpr *gt = find_term(terms, n, c, SQL_OP_GT), *ge = find_term(terms, n, c, SQL_OP_GE);
    BExpr *lt = find_term(terms, n, c, SQL_OP_LT), *le = find_term(terms, n, c, SQL_OP_LE);
    BExpr *lower = gt ? gt : ge, *upper = lt ? lt : le;
    bool lower_incl = !gt, upper_incl = !lt;
    if (desc) {
        k->lo = upper, k->lo_inclusive = upper_incl;
        k->hi = lower, k->hi_inclusive = lower_incl;
    } else {
        k->lo = lower, k->lo_inclusive = lower_incl;
        k->hi = upper, k->hi_inclusive = upper_incl;
    }
}

static Candidate match_index(Index *ix, const Term *terms, int n) {
    const IndexDesc *d = storage_index_desc(ix);
    Candidate k = {.index = ix};
    while (k.neq < d->ncols && find_term(terms, n, d->cols[k.neq], SQL_OP_EQ)) k.neq++;
    if (k.neq < d->ncols) find_range(terms, n, d->cols[k.neq], d->desc[k.neq], &k);
    bool range = k.lo || k.hi;
    k.score = k.neq * 2 + range;
    if (d->unique && k.neq == d->ncols) k.score = 1000;
    return k;
}

/* Whether the ORDER BY is the index's order (or its exact reverse) on its
 * leading columns; *backward says which. */
static bool order_matches(const SortKey *sort, int nsort, const IndexDesc *d, bool *backward) {
    if (!sort || !nsort || nsort > d->ncols) return false;
    int forward = 0, reverse = 0;
    for (int i = 0; i < nsort; i++) {
        const SortKey *k = &sort[i];
        if (k->expr->kind != BEXPR_COLUMN || k->expr->u.column != d->cols[i]) return false;
        forward += k->desc == d->desc[i] && k->nulls_first == d->nulls_first[i];
        reverse += k->desc != d->desc[i] && k->nulls_first != d->nulls_first[i];
    }
    if (forward == nsort) {
        *backward = false;
        return true;
    }
    *backward = true;
    return reverse == nsort;
}

static BExpr **prefix_exprs(const Candidate *k, const Term *terms, int n, BExpr *range, Arena *arena, int *count) {
    const IndexDesc *d = storage_index_desc(k->index);
    *count = k->neq + (range != NULL);
    BExpr **exprs = arena_alloc(arena, (size_t)(*count + 1) * sizeof *exprs);
    for (int i = 0; i < k->neq; i++) exprs[i] = find_term(terms, n, d->cols[i], SQL_OP_EQ);
    if (range) exprs[k->neq] = range;
    return exprs;
}

static void use_index(RowSource *src, const SortKey *sort, int nsort, const Candidate *k, const Term *terms, int n,
                      Arena *arena) {
    src->index = k->index;
    src->lo = prefix_exprs(k, terms, n, k->lo, arena, &src->nlo);
    src->hi = prefix_exprs(k, terms, n, k->hi, arena, &src->nhi);
    src->lo_inclusive = k->lo ? k->lo_inclusive : true;
    src->hi_inclusive = k->hi ? k->hi_inclusive : true;
    src->ordered = order_matches(sort, nsort, storage_index_desc(k->index), &src->backward);
}

bool planner__selective_path(Table *table, const BExpr *qual, Txn *txn) {
    Term terms[MAX_TERMS];
    int n = 0;
    if (qual) collect_terms((BExpr *)qual, storage_table_desc(table), terms, &n);
    int nindexes = storage_table_nindexes(table, txn);
    for (int i = 0; i < nindexes; i++)
        if (match_index(storage_table_index(table, txn, i), terms, n).neq > 0) return true;
    return false;
}

bool planner__leading_index_column(Table *table, int column, Txn *txn) {
    int nindexes = storage_table_nindexes(table, txn);
    for (int i = 0; i < nindexes; i++)
        if (storage_index_desc(storage_table_index(table, txn, i))->cols[0] == column) return true;
    return false;
}

void planner__choose_path(RowSource *src, const BExpr *qual, const SortKey *sort, int nsort, Txn *txn, Arena *arena) {
    Table *table = src->table;
    const TableDesc *td = storage_table_desc(table);
    Term terms[MAX_TERMS];
    int n = 0;
    if (qual) collect_terms((BExpr *)qual, td, terms, &n);
    Candidate best = {0};
    int nindexes = storage_table_nindexes(table, txn);
    for (int i = 0; i < nindexes; i++) {
        Candidate k = match_index(storage_table_index(table, txn, i), terms, n);
        if (k.score > best.score) best = k;
    }
    if (best.score > 0) {
        use_index(src, sort, nsort, &best, terms, n, arena);
        return;
    }
    for (int i = 0; i < nindexes && sort; i++) {
        Index *ix = storage_table_index(table, txn, i);
        bool backward;
        if (!order_matches(sort, nsort, storage_index_desc(ix), &backward)) continue;
        src->index = ix;
        src->ordered = true;
        src->backward = backward;
        src->lo_inclusive = src->hi_inclusive = true;
        return;
    }
}
