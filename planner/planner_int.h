/* planner_int.h — the planner's internals: bound expressions and plans. */
#ifndef STRAND_PLANNER_INT_H
#define STRAND_PLANNER_INT_H

#include "planner/planner.h"

typedef enum BExprKind {
    BEXPR_CONST,
    BEXPR_COLUMN, /* u.column: index into the input row */
    BEXPR_PARAM,  /* u.param: 0-based */
    BEXPR_CAST,
    BEXPR_ARITH, /* + - * / % on numbers, || on strings, pg_lsn +/- */
    BEXPR_NEG,
    BEXPR_COMPARE,
    BEXPR_AND,
    BEXPR_OR,
    BEXPR_NOT,
    BEXPR_IS_NULL,
    BEXPR_FUNC,          /* a built-in function call: u.func */
    BEXPR_ARRAY,         /* ARRAY[...]: u.array, items of the element type */
    BEXPR_SUBSCRIPT,     /* a[i] or a[lo:hi]: u.subscript */
    BEXPR_ANY,           /* x op ANY|ALL (array): u.any */
    BEXPR_CASE,          /* u.case_ */
    BEXPR_CASE_VALUE,    /* CASE x WHEN ...: x, in a WHEN's comparison */
    BEXPR_DISTINCT,      /* u.op: NE for IS DISTINCT FROM, EQ for IS NOT DISTINCT FROM */
    BEXPR_BOOLTEST,      /* IS [NOT] TRUE | FALSE | UNKNOWN: u.booltest */
    BEXPR_COALESCE,      /* u.list: the first non-NULL item */
    BEXPR_GREATEST,      /* u.list: the largest non-NULL item */
    BEXPR_LEAST,         /* u.list */
    BEXPR_NULLIF,        /* u.op: NULL if left = right, else left */
    BEXPR_AGGREF,        /* an aggregate call while binding: u.aggref (grouping makes it a column) */
    BEXPR_SUBLINK,       /* a subquery in an expression: u.sublink */
    BEXPR_SUBLINK_VALUE, /* ANY / ALL: the subquery row's value, in u.sublink.test */
    BEXPR_EXEC_PARAM,    /* a value of the query a subquery is in (correlation): u.param, its slot */
    BEXPR_WINDOW,        /* a window function call while binding: u.param, its index (planning makes it a column) */
} BExprKind;

typedef struct BExpr BExpr;
typedef struct FromNode FromNode;

/* A built-in function: types.def's (types/), or expr.c's, which need the
 * server (settings, notifications, the WAL). PostgreSQL's volatility
 * decides folding: an immutable call with constant arguments is evaluated
 * at plan time, anything else each time it is reached while running. */
typedef BuiltinFunc PlannerFunc;

struct BExpr {
    BExprKind kind;
    TypeId type;
    int32_t typmod;
    int pos; /* byte offset in the statement + 1, 0 = none */
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
        struct {
            const PlannerFunc *fn;
            BExpr **args; /* nargs: fn->nargs of fn->argtypes, then a variadic function's others */
            int nargs;
        } func;
        struct {
            BExpr **items;
            int n;
        } array;
        struct {
            BExpr *value, *index, *lower, *upper; /* int4; a slice's open ends are NULL */
            bool slice;
        } subscript;
        struct {
            SqlOp op; /* a comparison of left with each element of right */
            BExpr *left, *right;
            bool all;
        } any;
        struct {
            BExpr *arg; /* CASE arg WHEN ...: evaluated once, read by BEXPR_CASE_VALUE; or NULL */
            BExpr **whens, **thens;
            int n;
            BExpr *else_; /* never NULL: a NULL constant when not written */
        } case_;
        struct {
            BExpr *arg;
            SqlBoolTest test;
            bool negated;
        } booltest;
        struct {
            BExpr **items;
            int n;
        } list;
        struct {
            struct AggCall *call;
            int index; /* among the query's aggregate calls */
        } aggref;
        struct {
            SqlSublinkKind kind;
            struct Plan *plan;
            BExpr *test;  /* ANY / ALL: the comparison, BEXPR_SUBLINK_VALUE (column u.param) its right side */
            int ncols;    /* ANY / ALL: the subquery's columns the test reads (a row's: several) */
            int *slots;   /* the correlation parameters it sets, */
            BExpr **args; /* each from an expression over the row it is evaluated on */
            int nparams;
            int cache;        /* uncorrelated: its result's slot in the run's cache (once per run); -1: correlated */
            const char *text; /* the subquery as written: two are the same if their text is (GROUP BY) */
            int len;
        } sublink;
    } u;
};

/* ---- aggregates (agg.c) ------------------------------------------------------------------ */
typedef enum AggFn {
    AGG_COUNT, /* count(x), and count(*) (star) */
    AGG_SUM,
    AGG_AVG,
    AGG_MIN,
    AGG_MAX,
    AGG_BOOL_AND, /* and every */
    AGG_BOOL_OR,
    AGG_STRING_AGG,
    AGG_ARRAY_AGG,
    AGG_JSON_AGG,
    AGG_JSONB_AGG,
    AGG_JSON_OBJECT_AGG,
    AGG_JSONB_OBJECT_AGG,
    AGG_VAR_SAMP, /* and variance */
    AGG_VAR_POP,
    AGG_STDDEV_SAMP, /* and stddev */
    AGG_STDDEV_POP,
    AGG_GROUPING, /* GROUPING(keys): no state; the AGG knows its group's set (grouping_keys) */
} AggFn;

typedef struct SortKey SortKey;

/* One aggregate call of a query: over the rows of FROM (after WHERE). */
typedef struct AggCall {
    AggFn fn;
    const char *name;
    TypeId type;              /* the result's */
    TypeId argtype, argtype2; /* the arguments', as converted */
    BExpr **args;             /* over the FROM row */
    int nargs;
    bool star, distinct;
    SortKey *order; /* ORDER BY inside the call, over the FROM row */
    int norder;
    BExpr *filter;                /* FILTER (WHERE ...), or NULL */
    const BuiltinFunc *add, *div; /* interval + interval, interval / float8 */
    const BuiltinFunc *to_json;   /* the json aggregates' */
    int *grouping_keys;           /* GROUPING: each argument's GROUP BY key */
} AggCall;

typedef enum AggResolution { AGG_FOUND, AGG_NONE, AGG_AMBIGUOUS } AggResolution;

/* ---- window functions (window.c) -------------------------------------------------------- */
typedef enum WinFn {
    WIN_AGG, /* an aggregate over the frame */
    WIN_ROW_NUMBER,
    WIN_RANK,
    WIN_DENSE_RANK,
    WIN_PERCENT_RANK,
    WIN_CUME_DIST,
    WIN_NTILE,
    WIN_LAG,
    WIN_LEAD,
    WIN_FIRST_VALUE,
    WIN_LAST_VALUE,
    WIN_NTH_VALUE,
} WinFn;

/* A window: rows of the same partition keys, in the ORDER BY's order; the
 * frame of each row (for aggregates and first / last / nth_value). */
typedef struct WindowDef {
    BExpr **partition;
    int npartition;
    SortKey *order;
    int norder;
    SqlFrameMode mode;
    SqlFrameBound start, end;
    BExpr *start_offset, *end_offset; /* ROWS, GROUPS: bigint; RANGE: of range_offset_type */
    SqlFrameExclude exclude;
    /* RANGE with offsets: the ORDER BY key's type, the offsets' (bigint for
     * the integers, float8 for the floats, numeric, interval for the
     * date and time types), and key +/- interval for the latter */
    TypeId range_type, range_offset_type;
    const PlannerFunc *range_add, *range_sub;
} WindowDef;

typedef struct WindowCall {
    WinFn fn;
    TypeId type;
    BExpr **args; /* over the window's input row */
    int nargs;
    AggCall *agg; /* WIN_AGG: the aggregate (its args are args) */
    WindowDef *def;
} WindowCall;

/* The window function name(types) means: *fn, its result type and the
 * types its arguments take (TYPE_INVALID: not a window function). */
TypeId planner__window_function(const char *name, int nargs, const TypeId *types, WinFn *fn, TypeId *want);
bool planner__is_aggregate(const char *name);
/* The aggregate name(types) means (call's fn, types and helpers set). */
AggResolution planner__agg_resolve(const char *name, int nargs, const TypeId *types, AggCall *call);

/* A group's state for one call: new, a row's arguments (then the ORDER
 * BY keys), the result; free releases what it holds outside `keep`. */
typedef struct AggState AggState;
AggState *planner__agg_new(const AggCall *c, Arena *keep);
bool planner__agg_step(const AggCall *c, AggState *s, const Value *args, Arena *scratch, Error *err);
bool planner__agg_final(const AggCall *c, AggState *s, Arena *arena, Value *out, Error *err);
void planner__agg_free(AggState *s);

typedef enum PlanKind {
    PLAN_SELECT,
    PLAN_INSERT,
    PLAN_UPDATE,
    PLAN_DELETE,
    PLAN_CREATE_TABLE,
    PLAN_DROP_TABLE,
    PLAN_CREATE_INDEX,
    PLAN_DROP_INDEX,
    PLAN_VACUUM,
    PLAN_CREATE_PROCEDURE,
    PLAN_DROP_PROCEDURE,
    PLAN_CALL,
    PLAN_COPY,
    PLAN_EXPLAIN, /* explained: the plan described (and run, ANALYZE) */
} PlanKind;

typedef struct CopyPlan CopyPlan;

struct SortKey {
    BExpr *expr;
    bool desc, nulls_first;
};

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

/* ---- the executor's operator tree -----------------------------------------------------
 * A SELECT runs as a tree of operators, each of which returns rows of
 * `width` values when its parent pulls them (ops.c runs them, plan.c
 * builds them). Expressions in a node read the row of its child (or its
 * own scan's row) by column number. A row stays valid until its node is
 * pulled again; an operator that keeps rows (SORT) copies them. */
typedef enum NodeKind {
    NODE_RESULT,      /* one row of no columns (no FROM), if qual holds */
    NODE_SCAN,        /* u.scan: a table's rows, sequentially or through an index, for which qual holds */
    NODE_FILTER,      /* the child's rows for which qual holds */
    NODE_PROJECT,     /* u.project: width expressions over the child's row */
    NODE_SORT,        /* u.sort: the child's rows in key order (stable) */
    NODE_LOCK,        /* u.lock: SELECT ... FOR UPDATE: locks each row (SKIP LOCKED drops it) */
    NODE_LIMIT,       /* u.limit: OFFSET, then LIMIT */
    NODE_JOIN,        /* u.join: child's rows (outer) joined with inner's: the two side by side, if qual holds */
    NODE_AGG,         /* u.agg: one row per group of the child's rows: the calls' results, then the keys */
    NODE_VALUES,      /* u.values: rows of expressions */
    NODE_APPEND,      /* the child's rows, then inner's */
    NODE_DISTINCT,    /* u.distinct: the child's rows, each first of its key */
    NODE_SETOP,       /* u.setop: INTERSECT / EXCEPT [ALL] of the child's rows and inner's */
    NODE_WINDOW,      /* u.window: the child's rows, each followed by every call's value */
    NODE_RECURSIVE,   /* u.recursive: WITH RECURSIVE: the child's rows, then inner's over the last ones, until none */
    NODE_WORKTABLE,   /* u.recursive.id: the rows the RECURSIVE above it last made */
    NODE_FUNCTION,    /* u.func: a function in FROM: generate_series, unnest, or one row of any function */
    NODE_PROJECT_SET, /* u.srf: the child's row, followed by each set-returning function's values in step */
} NodeKind;

typedef struct PlanNode PlanNode;
struct PlanNode {
    NodeKind kind;
    int width;
    PlanNode *child;
    PlanNode *inner; /* JOIN: the inner side */
    BExpr *qual;     /* RESULT, SCAN, FILTER, JOIN; NULL: every row */
    union {
        struct {
            const RowSource *src;
            /* the row id and version (as int8s) after the columns, for a
             * LOCK above: PostgreSQL's ctid junk column */
            bool junk;
        } scan;
        struct {
            BExpr **exprs;
        } project;
        struct {
            const SortKey *keys;
            int nkeys;
            const BExpr *limit, *offset; /* a LIMIT above it: only the first limit + offset rows are kept */
        } sort;
        struct {
            Table *table;
            int junk; /* the column of the row id; the version follows it */
            RowLockMode mode;
            RowLockWait wait;
        } lock;
        struct {
            const BExpr *limit, *offset; /* NULL: none */
            int ties, nties; /* WITH TIES: the sort key columns (nties of them from ties), rows equal on them go too */
        } limit;
        struct {
            SqlJoinType type; /* INNER, LEFT, RIGHT, FULL (CROSS: INNER without qual) */
            int outer_width;
            const TypeId *types; /* of the width columns (a side's NULLs when it has no match) */
            /* hash join: the inner rows hashed on inner_keys (over an
             * inner row), probed with outer_keys (over an outer row);
             * none: every inner row is tried */
            BExpr **outer_keys, **inner_keys;
            int nkeys;
            /* LATERAL: before the inner side is read for an outer row,
             * these parameters are set from expressions over it */
            int *lateral_slots;
            BExpr **lateral_exprs;
            int nlateral;
        } join;
        struct {
            BExpr **keys; /* GROUP BY, over the child's row; none: one group, even of no rows */
            int nkeys;
            /* grouping sets: each row goes into a group of each set, keyed by
             * the set's keys (the others NULL) and the set's number, which
             * follows the keys in the output row */
            const uint64_t *sets;
            int nsets;
            AggCall **calls;
            int ncalls;
        } agg;
        struct {
            BExpr ***rows;
            int nrows;
        } values;
        struct {
            int ncols;       /* the key: the first ncols columns, or */
            const int *cols; /* these columns (DISTINCT ON), if set */
        } distinct;
        struct {
            SqlSetOp op;
            bool all;
        } setop;
        struct {
            WindowCall **calls;
            int ncalls;
        } window;
        struct {
            int id;   /* the work table */
            bool all; /* UNION ALL: repeats are kept */
        } recursive;
        const struct FuncScan *func;
        struct {
            struct FromNode *const *funcs; /* each a function and the parameters it reads of the row */
            int n;
        } srf;
    } u;
};

/* One execution of a plan: what every operator of it shares. */
typedef struct WorkTable {
    Value **rows;
    size_t n;
} WorkTable;

/* An uncorrelated sublink's result, kept for the rest of the run. */
typedef struct SublinkCache {
    bool done;
    Value value; /* EXISTS, scalar */
    Value *rows; /* ANY, ALL: the subquery's values, ncols per row */
    size_t nrows;
} SublinkCache;

typedef struct Run {
    Storage *storage;
    Txn *txn;
    const Value *params;
    Value *exec;                  /* correlation parameters (BEXPR_EXEC_PARAM) */
    struct WorkTable *worktables; /* WITH RECURSIVE\'s last rows, per query */
    SublinkCache *cache;          /* uncorrelated sublinks' results */
    Arena *keep;                  /* what lives as long as the run: the cached sublinks' values */
    Arena *arena;                 /* the statement's: operator state, and what lives until the statement ends */
    Error *err;
    StorageStatus status; /* why an operator failed: STORAGE_ERROR (err set) or STORAGE_BUSY */
    uint32_t polls;       /* rows since the last look at planner__interrupted */
    /* Running in steps (planner_query_step): the scans stop at the first
     * row boundary after yield_at (CLOCK_MONOTONIC ns; 0: never), setting
     * yielded, and every operator returns false with its state intact, to
     * go on when pulled again. no_yield > 0 inside what cannot stop so
     * (a sublink's subquery, a WITH RECURSIVE round). */
    uint64_t yield_at;
    uint32_t yield_polls;
    int no_yield;
    bool yielded;
} Run;

typedef struct Op Op;

/* window.c: each call's value for each of a WINDOW operator's rows (all
 * read: results[row][call]); *order becomes the rows' output order. */
bool planner__window_compute(Run *run, WindowCall *const *calls, int ncalls, Value **rows, size_t n, Value **results,
                             size_t *order, Arena *arena, Error *err);

/* ops.c: a running operator tree. next sets *row to the next row (NULL at
 * the end) and returns false on an error (run->status says which); close
 * frees what the operators hold (always call it, after an error too). */
Op *planner__open(Run *run, const PlanNode *node);
/* EXPLAIN ANALYZE: the rows an operator returned, and its children (0: child, 1: inner; NULL: none open). */
uint64_t planner__op_rows(const Op *op);
const Op *planner__op_child(const Op *op, int which);
/* explain.c: EXPLAIN [ANALYZE]'s rows, one line of the plan each. */
StorageStatus planner__execute_explain(const Plan *p, Storage *storage, Txn *txn, const Value *params, Arena *arena,
                                       RowSink *sink, ExecResult *res, Error *err);
/* exec.c: what a run of plan shares (explain.c runs one too). */
void planner__run_init(Run *run, const Plan *plan, Storage *storage, Txn *txn, const Value *params, Arena *arena,
                       Arena *keep, Error *err);
/* The run of the statement now executing (its sublinks run their
 * subqueries in it, reading its correlation parameters and cache); a
 * nested statement (a procedure's) saves and restores it. */
Run *planner__current_run(void);
Run *planner__enter_run(Run *run); /* returns the one to restore */
void planner__leave_run(Run *previous);
/* expr.c: a sublink's value on row (run's subquery, cache and parameters). */
bool planner__eval_sublink(const BExpr *e, const Value *row, const Value *params, Arena *arena, Value *out, Error *err);
bool planner__next(Op *op, const Value **row);
void planner__close(Op *op);

struct Plan {
    PlanKind kind;
    int ncols;
    PlanColumn *cols;
    BExpr **targets; /* ncols result expressions over the input row */
    RowSource source;
    FromNode *from; /* SELECT: the tables and joins of FROM, or NULL */
    /* grouping: the AGG's keys and calls over the FROM row; targets,
     * sort keys and having are then over the AGG's row */
    bool grouped;
    BExpr **group;
    int ngroup;
    struct Plan *explained; /* EXPLAIN: the statement's plan */
    /* the statement's (the top plan's): its data-modifying WITH queries,
     * each run once before it, its RETURNING rows kept in work table
     * `worktable` - 1 (and that work table's number, for each of them) */
    struct Plan **writes;
    int nwrites;
    int worktable;
    bool explain_analyze;
    uint64_t *grouping_sets; /* GROUPING SETS, ROLLUP, CUBE: each set's keys (bit i: group[i]); none: all */
    int nsets;
    /* set-returning functions in the select list: their values follow the
     * FROM row (columns from its width on), in step (PROJECT_SET) */
    struct FromNode **srfs;
    int nsrfs;
    AggCall **aggs;
    int naggs;
    BExpr *having;
    /* set operations: larg setop [ALL] rarg, each cast to the result's
     * types (lcast, rcast: expressions over its row, one per column) */
    SqlSetOp setop;
    bool setop_all;
    Plan *larg, *rarg;
    BExpr **lcast, **rcast;
    /* VALUES: nvalues rows of ncols expressions (targets read the row) */
    BExpr ***values;
    int nvalues;
    /* DISTINCT: over the result columns; DISTINCT ON: over these, after the sort */
    bool distinct;
    BExpr **distinct_on;
    int ndistinct_on;
    /* window function calls: over the FROM row, or the AGG's if grouped */
    WindowCall **wins;
    int nwins;
    /* WITH RECURSIVE's query: larg UNION [ALL] rarg (setop_all), rarg
     * reading work table `recursive` - 1 */
    int recursive;
    /* the statement's (the top plan's): correlation parameter slots, cached sublinks, work tables */
    int nexec, nsublinks, nworktables;
    bool folds_params;      /* the top plan's: planner_plan_folds_params */
    bool has_grouping_sets; /* the top plan's: planner_plan_has_grouping_sets */
    uint32_t *deps;         /* the top plan's: BindShared's */
    int ndeps;
    bool deps_all;
    PlanNode *root; /* SELECT: the operator tree (plan.c) */
    BExpr *filter;
    SortKey *sort;
    int nsort;
    BExpr *limit, *offset;
    bool with_ties;
    /* INSERT: rows of expressions, one per table column (NULL: no value) */
    BExpr ***insert_rows;
    int ninsert_rows;
    /* UPDATE: new value per table column, or NULL to keep it */
    BExpr **update_values;
    /* SELECT ... FOR UPDATE / SHARE */
    bool locking;
    RowLockMode lock_mode;
    RowLockWait lock_wait;
    /* DDL (ddl.c) */
    TableDesc create;   /* CREATE TABLE */
    IndexDesc *indexes; /* CREATE TABLE: its UNIQUE constraints; CREATE INDEX: one */
    int nindexes;
    Table *index_table; /* CREATE INDEX */
    bool if_not_exists;
    Table **drop_tables;       /* DROP TABLE, VACUUM */
    Index **drop_indexes;      /* DROP INDEX */
    const char **drop_missing; /* names not found, IF EXISTS */
    int ndrop, ndrop_missing;
    bool vacuum_all;
    /* procedures (proc.c) */
    PlannerProcDef proc_def;   /* CREATE PROCEDURE / MODULE */
    const ProcRef *drop_procs; /* DROP PROCEDURE / MODULE: the names, and */
    TypeId **drop_proc_types;  /* their parameter types (NULL: none written) */
    bool drop_module, drop_if_exists;
    PlannerProc call;  /* CALL: the procedure, and */
    BExpr **call_args; /* one argument per parameter (OUT ones too) */
    bool call_select;  /* called by SELECT: its tag is SELECT 1 */
    bool call_void;    /* ... and it has no OUT parameters: one void column */
    CopyPlan *copy;    /* COPY (copy.c) */
};

/* ---- FROM: names in scope, and the tree of tables and joins (from.c) ----------------
 * The items of FROM make one row, their columns side by side in the order
 * written (the FROM row); a join's columns are its left's then its
 * right's, so every subtree covers a run of it. Expressions of the query
 * read the FROM row. Names resolve as in PostgreSQL's namespace: each
 * table, and each join, is an item, visible by name (rel_visible: a table,
 * or a join with an alias) and for its columns' unqualified names
 * (cols_visible: the outermost items only, a join standing for the items
 * inside it, with the merged columns of USING and NATURAL). */
typedef struct ScopeItem {
    const char *name;  /* what qualifies its columns: alias, or table name; NULL: none */
    const char *table; /* an aliased table's own name (for a hint), or NULL */
    bool rel_visible, cols_visible;
    int ncols;
    const char **colnames;
    BExpr **cols; /* each column as an expression over the FROM row */
    Table *rel;   /* a table (its columns are cols), or NULL */
    bool scalar;  /* a function of one column: its name alone is that column (a whole-row reference) */
    int offset;   /* a table's first column in the FROM row */
} ScopeItem;

typedef struct Scope {
    ScopeItem *items;
    int n, cap;
    int width; /* of the FROM row */
} Scope;

struct FromNode {
    int start, width;      /* its columns in the FROM row */
    Table *table;          /* a table; NULL: a join or a subquery */
    Plan *subquery;        /* a subquery (or VALUES, or a WITH query) in FROM */
    int worktable;         /* a recursive WITH query's reference to itself: its work table's number + 1; 0: none */
    struct FuncScan *func; /* a function in FROM */
    const PlanColumn *worktable_cols;
    SqlJoinType type;
    FromNode *left, *right;
    BExpr *on; /* the join's condition over the FROM row, or NULL */
    /* LATERAL (a subquery or function reading the items before it): the
     * correlation parameters its join sets, each from an expression over
     * the FROM row (columns before this item's), before reading it anew */
    int *lateral_slots;
    BExpr **lateral_exprs;
    int nlateral;
};

/* A function in FROM (its arguments over no row: outer levels' only). */
/* ZIP: ROWS FROM (...), unnest(a, b, ...) and json(b)_each: its parts
 * side by side, each one column, the shorter padded with NULLs. */
typedef enum FuncScanKind { FUNC_SCALAR, FUNC_SERIES, FUNC_UNNEST, FUNC_ZIP } FuncScanKind;
typedef struct FuncScan FuncScan;
struct FuncScan {
    FuncScanKind kind;
    FuncScan **parts; /* ZIP */
    int nparts;
    TypeId type;  /* of its one column */
    BExpr **args; /* SCALAR: one, the call; SERIES: start, stop[, step]; UNNEST: the array */
    int nargs;
    const BuiltinFunc *add; /* SERIES of timestamps: + interval */
    bool ordinality;        /* WITH ORDINALITY: a second column, bigint, numbering the rows from 1 */
    const char *name;       /* the function, for EXPLAIN */
    const char *column;     /* its column's name in FROM (NULL: the function's) */
};

/* The binder's state for one statement (bind.c; ddl.c binds DDL with it). */
typedef struct Binder {
    Storage *storage;
    Txn *txn;
    const char *sql;
    Arena *arena;
    Error *err;
    ParamTypes *params;
    Table *table;   /* INSERT, UPDATE, DELETE, COPY: the target table, or NULL */
    Scope *scope;   /* the names expressions may use (NULL: none) */
    int scope_from; /* the first of its items in view (a join's ON sees only its own) */
    FromNode *from;
    /* aggregate calls: allowed only in a SELECT's targets, HAVING and
     * ORDER BY; agg_context names where the binder is otherwise */
    bool agg_ok, in_agg;
    const char *agg_context;
    AggCall **aggs;
    int naggs, aggs_cap;
    bool keep_unknown; /* a set operation's query: unknown literals keep their type */
    /* window function calls: allowed in a SELECT's targets and ORDER BY */
    bool win_ok, in_win;
    const char *win_context; /* where the binder is, for their error */
    WindowCall **wins;
    int nwins, wins_cap;
    const WindowSpec *windows; /* the SELECT's WINDOW clause */
    int nwindows;
    struct CteScope *ctes; /* the WITH queries in scope, innermost first */
    /* correlation: the query level names are looked up in next, and the
     * values this level reads from it (each a slot, and an expression over
     * that level's row), which the sublink evaluating this level sets */
    struct Binder *outer;
    const struct Binder *beside; /* a query in FROM: the level it is in (its names out of view; for hints) */
    int nullable;                /* > 0: binding the side of an outer join that may be NULL-extended */
    bool srf_ok;                 /* binding the select list: set-returning functions may be called */
    const char *srf_refused;     /* ... except inside this (CASE, COALESCE), or NULL */
    struct FromNode **srfs;      /* ... those called, each a column after the FROM row */
    int nsrfs, srfs_cap;
    bool reads_outer; /* some level above it is read (by it or a query inside): not run once only */
    int *corr_slots;
    BExpr **corr_exprs;
    int ncorr, corr_cap;
    struct BindShared *shared;
} Binder;

/* What the levels of one statement share. */
typedef struct BindShared {
    Plan **subqueries;   /* every query below the statement, inner ones first (finished after binding) */
    const bool **needed; /* per subquery: NULL, or the flag that says whether it is planned at all */
    int n, cap;
    int nexec;            /* correlation parameter slots */
    int nsublinks;        /* uncorrelated sublinks (each cached once per run) */
    int nworktables;      /* WITH RECURSIVE queries */
    bool folds_params;    /* planner_plan_folds_params */
    bool grouping_sets;   /* some query of the statement has GROUPING SETS / ROLLUP / CUBE */
    struct Plan **writes; /* data-modifying WITH queries: run first, their RETURNING rows in work table `worktable` */
    int nwrites, capwrites;
    uint32_t *deps; /* the tables the statement reads or writes, by OID (planner_plan_current) */
    int ndeps, capdeps;
    bool deps_all; /* it uses more of the catalog: any DDL outdates it */
} BindShared;

/* The WITH queries one query declares (to it and the queries inside it). */
typedef struct CteScope {
    const CommonTableExpr *items;
    int n;
    bool recursive;
    struct CteScope *parent;
    /* the recursive query being bound: its name's references read work
     * table `worktable` - 1 (0: its non-recursive term, where they are an
     * error), with these columns */
    int binding; /* index + 1 of the item being bound, 0: none */
    int worktable, references;
    const PlanColumn *cols;
    int ncols;
    Plan **plans;              /* each query's plan once bound (every reference reads the one plan) */
    bool *referenced;          /* each query's: read from anywhere but itself (else, as in PostgreSQL, never planned) */
    bool *busy;                /* each query's: being bound (a second entry is mutual recursion) */
    const struct Binder *term; /* the recursive query's recursive term's binder, while bound */
} CteScope;

/* from.c: the WITH query a FROM name means, bound at this reference (NULL
 * with *found false: none of that name); a work table reference if it is
 * the recursive query being bound. */
FromNode *planner__bind_cte_reference(Binder *b, const FromItem *f, int *item, bool *found);
/* bind.c: a WITH query (scope's item i) bound for a reference to it. */
Plan *planner__bind_cte(Binder *b, CteScope *scope, int i);

/* bind.c: an error at a byte position of the statement (-1: none); returns NULL. */
void *planner__fail_at(Binder *b, int byte_pos, const char *sqlstate, const char *fmt, ...) PRINTF_LIKE(4, 5);
bool planner__resolve_type(Binder *b, const SqlTypeName *tn, TypeId *type, int32_t *typmod);
/* path.c: whether qual fixes a key prefix of an index of table by
 * equalities (few rows, then); whether some index's key starts with column. */
bool planner__selective_path(Table *table, const BExpr *qual, Txn *txn);
bool planner__leading_index_column(Table *table, int column, Txn *txn);
/* 42883 function [schema.]f(arg_types) does not exist (42725 is not unique
 * when ambiguous), with PostgreSQL's hint; returns NULL. */
void *planner__no_function(Binder *b, const Expr *x, const char *arg_types, bool ambiguous);

/* What a schema written before a name holds. strand's tables are all in
 * public; its built-in functions and types are pg_catalog's (where the
 * catalogs' tables will be); information_schema and pg_toast exist and
 * hold nothing yet; any other schema does not exist. */
typedef enum SchemaKind {
    SCHEMA_NONE, /* no schema written: the search path */
    SCHEMA_PUBLIC,
    SCHEMA_PG_CATALOG,
    SCHEMA_EMPTY,
    SCHEMA_MISSING,
} SchemaKind;
SchemaKind planner__schema_kind(const char *schema);
/* A table to read or change, [schema.]name: the table, or NULL with 42P01
 * (relation "schema.name" does not exist) at byte_pos. */
Table *planner__lookup_table(Binder *b, const char *schema, const char *name, int byte_pos);
int planner__find_column(const TableDesc *d, const char *name);

/* from.c */
bool planner__bind_from(Binder *b, FromItem *const *items, int n);
/* A scope of one table (UPDATE, DELETE), its columns from 0. */
void planner__scope_table(Binder *b, Table *t, const char *name, const char *table);
/* e, an expression of the level above `below`, read at level b (at or
 * under below) as a correlation parameter that below's sublink sets. */
BExpr *planner__correlated(Binder *b, Binder *below, BExpr *e);
/* plan.c: whether e reads only columns in [start, start + width) of its row. */
bool planner__reads_within(BExpr *e, int start, int width);
/* The column x names (NULL with the error set: 42P01, 42703, 42702). */
BExpr *planner__scope_column(Binder *b, const Expr *x);
/* Whether an unqualified name is a column in view (no error set). */
bool planner__scope_has_column(Binder *b, const char *name);
/* The scope item a whole-row reference names (t in row_to_json(t)), or NULL. */
const ScopeItem *planner__scope_relation(Binder *b, const char *name);
/* schema.name: as planner__scope_relation, but only the table itself
 * (unaliased) in that schema. */
const ScopeItem *planner__scope_relation_in(Binder *b, const char *schema, const char *name);
/* t.x or t.* where no t is in view: PostgreSQL's 42P01 and its hints. */
BExpr *planner__missing_relation(Binder *b, const Expr *x);
/* Which table and column a FROM-row column is (RowDescription); false if none. */
bool planner__from_origin(const FromNode *from, int column, Table **table, int *attnum);

/* bind.c, for from.c */
/* b reads slot, set from e (over the row of the level above) by the sublink evaluating b. */
void planner__add_correlation(Binder *b, int slot, BExpr *e);
/* A query below the statement (a subquery in FROM), bound at its own level. */
Plan *planner__bind_subquery(Binder *b, const struct Stmt *stmt);
/* A binder for what sees this level's names as correlation parameters
 * (LATERAL: what it read is in its corr_slots / corr_exprs). */
Binder planner__lateral_binder(Binder *b, const char *context);
/* from.c: whether call is a set-returning function (generate_series, unnest). */
bool planner__is_set_function(const struct Expr *call);
/* from.c: f(args) as a row source; what its arguments read of this level
 * goes into lateral's parameters. */
bool planner__bind_function_scan(Binder *b, const struct Expr *call, const char *context, struct FuncScan *fs,
                                 FromNode *lateral);
/* LATERAL (SELECT ...): the query, its reads of this level in *lateral. */
Plan *planner__bind_lateral(Binder *b, const struct Stmt *stmt, FromNode *lateral);
int planner__expr_location(const Expr *x); /* the leftmost byte of x, as errors point at it */
BExpr *planner__bind_comparison(Binder *b, SqlOp op, int byte_pos, BExpr *l, BExpr *r);
TypeId planner__common_type(Binder *b, BExpr **items, int n, const char *construct, int byte_pos);
BExpr *planner__coerce_common(Binder *b, BExpr *e, TypeId t, const char *construct, int byte_pos);
BExpr *planner__coerce_bool(Binder *b, BExpr *e, const char *construct, int byte_pos);
BExpr *planner__column_ref(Arena *arena, int column, TypeId type, int32_t typmod, int byte_pos);

/* ddl.c: CREATE / DROP TABLE and INDEX, VACUUM. */
Plan *planner__bind_ddl(Binder *b, const Stmt *stmt);
StorageStatus planner__execute_ddl(const Plan *plan, Storage *storage, Txn *txn, RowSink *sink, ExecResult *res,
                                   Error *err);

/* bind.c, for the other files */
BExpr *planner__bind_expr(Binder *b, const Expr *x);
bool planner__implicit_cast_exists(TypeId from, TypeId to);
/* e made of type `to` by an implicit cast; NULL if none exists (*failed:
 * an unknown literal did not convert, err set). */
BExpr *planner__coerce_implicit(Binder *b, BExpr *e, TypeId to, bool *failed);

/* proc.c: CREATE / DROP PROCEDURE and MODULE, CALL. */
Plan *planner__bind_procedure(Binder *b, const Stmt *stmt);
/* SELECT p(args) / SELECT * FROM p(args) of a procedure p: a CALL whose row
 * is its OUT parameters, or one void column. NULL without an error when
 * the SELECT names no procedure (it is then bound as a SELECT). */
Plan *planner__bind_select_call(Binder *b, const SelectStmt *s);
StorageStatus planner__execute_procedure(const Plan *plan, Storage *storage, Txn *txn, const Value *params,
                                         Arena *arena, RowSink *sink, ExecResult *res, Error *err);

/* copy.c: COPY's options, table and columns, or its query. */
Plan *planner__bind_copy(Binder *b, const Stmt *stmt);

/* path.c: how to read src's table (sequentially or by which index)
 * given the qual on its rows and, for a SELECT, its ORDER BY (sort, or
 * NULL: an index's order is of no use). */
void planner__choose_path(RowSource *src, const BExpr *qual, const SortKey *sort, int nsort, Txn *txn, Arena *arena);

/* plan.c: the operator tree of a bound single-table SELECT, from its row
 * source, filter, targets, sort keys, locking and LIMIT. */
/* plan.c: an index nested loop takes correlation parameter slots from *nexec. */
void planner__plan_select(Plan *p, Txn *txn, int *nexec, Arena *arena);

/* fold.c: evaluates every constant subexpression of the plan, as
 * PostgreSQL's planner does (its errors come after all binding errors). */
/* Sets *folds_params if some expression of parameters alone would have
 * been folded, were they constants (planner_plan_folds_params). */
bool planner__fold_plan(Plan *p, Arena *arena, bool *folds_params, Error *err);
/* The statement being bound uses table t (planner_plan_current). */
void planner__depend_on(Binder *b, Table *t);

/* expr.c */
/* Calls visit on each child slot of e in order (a slot may be replaced);
 * stops and returns false when visit does. */
typedef bool (*BExprVisit)(BExpr **slot, void *ctx);
bool planner__visit_children(BExpr *e, BExprVisit visit, void *ctx);
/* a against b in a sort key's order: DESC, and where NULLs go (ORDER BY,
 * an aggregate's ORDER BY, a window's). */
int planner__compare_ordered(const Value *a, const Value *b, bool desc, bool nulls_first);
/* The first node of that kind in e (e itself included, children in order), or NULL. */
const BExpr *planner__find_kind(BExpr *e, BExprKind kind);
/* A copy of the node e and of its own arrays (its children are shared). */
BExpr *planner__copy_node(const BExpr *e, Arena *arena);
/* Whether a and b are the same expression (GROUP BY matching). */
bool planner__bexpr_equal(const BExpr *a, const BExpr *b);
bool planner__eval(const BExpr *e, const Value *row, const Value *params, Arena *arena, Value *out, Error *err);
bool planner__cast_value(Value *v, TypeId to, int32_t typmod, bool is_explicit, Arena *arena, Error *err);
bool planner__eval_bool(const BExpr *e, const Value *row, const Value *params, Arena *arena, bool *out, Error *err);
/* A long statement looks every PLANNER_POLL_ROWS rows whether it must
 * stop (statement_timeout, a cancel): true with err set if so. */
#define PLANNER_POLL_ROWS 1024
bool planner__interrupted(Error *err);
/* The built-in function of that name and number of arguments, or NULL. */
/* The built-in functions (or binary operators) called name taking nargs
 * arguments, up to max of them into out; returns how many there are. */
int planner__func_candidates(const char *name, int nargs, bool operator, const PlannerFunc ** out, int max);
/* bind.c: the operator left op interval (+ or -), or NULL. */
const PlannerFunc *planner__interval_operator(const char *op, TypeId left);

#endif
