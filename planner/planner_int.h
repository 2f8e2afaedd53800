/* planner_int.h — the planner's internals: bound expressions and plans. */
#ifndef STRAND_PLANNER_INT_H
#define STRAND_PLANNER_INT_H

#include "planner/planner.h"

typedef enum BExprKind {
    BEXPR_CONST,
    BEXPR_COLUMN, /* u.column: index into the input row */
    BEXPR_PARAM,  /* u.param: 0-based */
    BEXPR_CAST,
    BEXPR_ARITH, /* + - * / % on numbers, || on strings */
    BEXPR_NEG,
    BEXPR_COMPARE,
    BEXPR_AND,
    BEXPR_OR,
    BEXPR_NOT,
    BEXPR_IS_NULL,
} BExprKind;

typedef struct BExpr BExpr;
struct BExpr {
    BExprKind kind;
    TypeId type;
    int32_t typmod;
    int pos; /* 1-based character position, 0 = none */
    union {
        Value constant;
        int column;
        int param;
        struct {
            BExpr *arg;
            int32_t typmod;
            bool is_explicit;
        } cast; /* to `type` */
        struct {
            SqlOp op;
            BExpr *left, *right;
        } op;       /* ARITH, COMPARE, AND, OR */
        BExpr *arg; /* NEG, NOT */
        struct {
            BExpr *arg;
            bool negated;
        } isnull;
    } u;
};

typedef enum PlanKind {
    PLAN_SELECT,
    PLAN_INSERT,
    PLAN_UPDATE,
    PLAN_DELETE,
    PLAN_CREATE_TABLE,
    PLAN_DROP_TABLE,
} PlanKind;

typedef struct SortKey {
    BExpr *expr;
    bool desc, nulls_first;
} SortKey;

/* Rows come from a sequential scan, an index scan, or (no FROM) one empty
 * row. An index scan's bounds are key prefixes of constants or parameters
 * (path.c chooses them); the filter is still applied to every row. */
typedef struct RowSource {
    Table *table; /* NULL: one row without columns */
    Index *index; /* NULL: a sequential scan */
    BExpr **lo, **hi;
    int nlo, nhi;
    bool lo_inclusive, hi_inclusive;
    bool backward;
    bool ordered; /* the scan yields rows in the ORDER BY's order: no sort */
} RowSource;

struct Plan {
    PlanKind kind;
    int ncols;
    PlanColumn *cols;
    BExpr **targets; /* ncols result expressions over the input row */
    RowSource source;
    BExpr *filter;
    SortKey *sort;
    int nsort;
    BExpr *limit, *offset;
    /* INSERT: rows of expressions, one per table column (NULL: no value) */
    BExpr ***insert_rows;
    int ninsert_rows;
    /* UPDATE: new value per table column, or NULL to keep it */
    BExpr **update_values;
    /* CREATE TABLE */
    TableDesc create;
    bool if_not_exists;
    /* SELECT ... FOR UPDATE / SHARE */
    bool locking;
    RowLockMode lock_mode;
    RowLockWait lock_wait;
    /* DROP TABLE */
    Table **drop_tables;
    const char **drop_missing; /* names not found, IF EXISTS */
    int ndrop, ndrop_missing;
};

/* path.c: chooses the plan's row source (sequential or index scan). */
void planner__choose_path(Plan *p, Txn *txn, Arena *arena);

/* fold.c: evaluates every constant subexpression of the plan, as
 * PostgreSQL's planner does (its errors come after all binding errors). */
bool planner__fold_plan(Plan *p, Arena *arena, Error *err);

/* expr.c */
bool planner__eval(const BExpr *e, const Value *row, const Value *params, Arena *arena, Value *out, Error *err);
bool planner__cast_value(Value *v, TypeId to, int32_t typmod, bool is_explicit, Arena *arena, Error *err);
bool planner__eval_bool(const BExpr *e, const Value *row, const Value *params, Arena *arena, bool *out, Error *err);

#endif
