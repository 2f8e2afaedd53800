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

/* Rows come from a table scan, a primary-key lookup, or (no FROM) one empty row. */
typedef struct RowSource {
    Table *table;   /* NULL: one row without columns */
    BExpr **pk_key; /* non-NULL: look up this key (one expression per key column) */
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
    /* DROP TABLE */
    Table **drop_tables;
    const char **drop_missing; /* names not found, IF EXISTS */
    int ndrop, ndrop_missing;
};

/* fold.c: evaluates every constant subexpression of the plan, as
 * PostgreSQL's planner does (its errors come after all binding errors). */
bool planner__fold_plan(Plan *p, Arena *arena, Error *err);

/* expr.c */
bool planner__eval(const BExpr *e, const Value *row, const Value *params, Arena *arena, Value *out, Error *err);
bool planner__cast_value(Value *v, TypeId to, int32_t typmod, bool is_explicit, Arena *arena, Error *err);
bool planner__eval_bool(const BExpr *e, const Value *row, const Value *params, Arena *arena, bool *out, Error *err);

#endif
