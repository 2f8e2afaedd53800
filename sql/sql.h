/*
 * sql.h — strand's SQL front end: the tree-sitter grammar (grammar.js, the
 * generated parser in parser/), the lowering of its concrete syntax tree into
 * the AST below, and syntax errors with positions.
 *
 * It knows nothing of types or the catalog: names stay names, literals stay
 * text, and the planner's binder gives them meaning.
 *
 * INTERFACE
 *   sql_parser_create, sql_parser_destroy   one per session (wraps a TSParser)
 *   sql_parse                               text -> list of statements
 *   sql_stmt_kind_name                      for debugging and tests
 *   sql_normalize, sql_literal_value        the plan cache's key (normalize.c)
 *   sql_deparse_stmt, sql_deparse_expr      AST -> SQL text (deparse.c)
 *   sql_stmt_equal, sql_expr_equal          AST equality, positions aside (equal.c)
 *
 * Positions are 0-based byte offsets into the text given to sql_parse; the
 * layer that reports an error converts them to PostgreSQL's 1-based
 * character positions (utf8_char_count + 1).
 */
#ifndef STRAND_SQL_H
#define STRAND_SQL_H

#include "common/common.h"

/* GROUP BY's grouping-set constructs (EXPR_GROUPING). */
typedef enum SqlGroupingKind {
    SQL_GROUPING_EMPTY,
    SQL_GROUPING_ROLLUP,
    SQL_GROUPING_CUBE,
    SQL_GROUPING_SETS
} SqlGroupingKind;

typedef enum SqlOp {
    SQL_OP_ADD,
    SQL_OP_SUB,
    SQL_OP_MUL,
    SQL_OP_DIV,
    SQL_OP_MOD,
    SQL_OP_EQ,
    SQL_OP_NE,
    SQL_OP_LT,
    SQL_OP_LE,
    SQL_OP_GT,
    SQL_OP_GE,
    SQL_OP_AND,
    SQL_OP_OR,
    SQL_OP_NOT,
    SQL_OP_NEG,    /* unary minus */
    SQL_OP_PLUS,   /* unary plus */
    SQL_OP_CONCAT, /* || */
    SQL_OP_OTHER,  /* any other operator: binary.opname (~~, ~, ^, ->, ...) */
} SqlOp;

/* The text of an operator as PostgreSQL names it ("+", "<>", "AND", ...). */
const char *sql_op_name(SqlOp op);

/* A type as written. `name` is canonical: int2, int4, int8, float4, float8,
 * bool, text, varchar, bpchar, numeric, or the name as written (lower-cased)
 * for anything else, which the binder rejects with 42704. */
typedef struct SqlTypeName {
    const char *name;
    const char *schema; /* schema.name: the schema as written, or NULL */
    int typmods[2];
    int ntypmods;       /* 0, 1 or 2 */
    bool array;         /* name[] or name ARRAY: the array of that type */
    int interval_range; /* INTERVAL DAY TO SECOND ...: PostgreSQL's field mask (interval.h), 0 = none */
    int pos;
} SqlTypeName;

typedef enum ExprKind {
    EXPR_INTEGER, /* digits only: u.text; the binder picks int4/int8/numeric */
    EXPR_DECIMAL, /* 1.5, .5, 1e3: u.text */
    EXPR_STRING,  /* 'abc' or E'..' with escapes already resolved: u.text */
    EXPR_BOOL,    /* TRUE / FALSE: u.bval */
    EXPR_NULL,
    EXPR_DEFAULT,    /* DEFAULT in a VALUES list or SET */
    EXPR_COLUMN,     /* [table.]column: u.column */
    EXPR_STAR,       /* * or table.*: u.column.table may be set */
    EXPR_PARAM,      /* $n: u.param (1-based) */
    EXPR_UNARY,      /* NOT, -, +: u.op */
    EXPR_BINARY,     /* u.op */
    EXPR_IS_NULL,    /* IS [NOT] NULL: u.isnull */
    EXPR_CAST,       /* x::type and CAST(x AS type): u.cast */
    EXPR_FUNC,       /* name(args) / name(*): u.func */
    EXPR_ARRAY,      /* ARRAY[items]: u.array */
    EXPR_ROW,        /* ROW(items) or (a, b, ...): u.array */
    EXPR_BOUND,      /* never parsed: the binder's, an expression it bound already (u.bound) */
    EXPR_GROUPING,   /* GROUP BY (), ROLLUP (...), CUBE (...), GROUPING SETS (...): u.grouping */
    EXPR_SUBSCRIPT,  /* value[index] or value[lower:upper]: u.subscript */
    EXPR_QUANTIFIED, /* left op ANY|SOME|ALL (right): u.quantified */
    EXPR_CASE,       /* CASE [arg] WHEN ... THEN ... [ELSE ...] END: u.case_ */
    EXPR_IN,         /* left [NOT] IN (items): u.in */
    EXPR_DISTINCT,   /* left IS [NOT] DISTINCT FROM right: u.distinct */
    EXPR_BOOLTEST,   /* arg IS [NOT] TRUE | FALSE | UNKNOWN: u.booltest */
    EXPR_SUBLINK,    /* (SELECT ...), EXISTS (SELECT ...), x op ANY|ALL (SELECT ...), x IN (SELECT ...): u.sublink */
    EXPR_COLLATE,    /* x COLLATE name: u.collate */
    EXPR_FIELD,      /* (x).name or (x).*: u.field */
} ExprKind;

typedef enum SqlSublinkKind {
    SQL_SUBLINK_EXPR,
    SQL_SUBLINK_EXISTS,
    SQL_SUBLINK_ANY,
    SQL_SUBLINK_ALL,
    SQL_SUBLINK_ARRAY, /* ARRAY(SELECT ...): the first column's values as an array */
} SqlSublinkKind;

/* What IS [NOT] ... tests for. */
typedef enum SqlBoolTest { SQL_IS_TRUE, SQL_IS_FALSE, SQL_IS_UNKNOWN } SqlBoolTest;

typedef struct Expr Expr;

/* A window: OVER (...) or WINDOW name AS (...). */
typedef enum SqlFrameMode { SQL_FRAME_DEFAULT, SQL_FRAME_ROWS, SQL_FRAME_RANGE, SQL_FRAME_GROUPS } SqlFrameMode;
typedef enum SqlFrameBound {
    SQL_BOUND_UNBOUNDED_PRECEDING,
    SQL_BOUND_PRECEDING, /* offset PRECEDING */
    SQL_BOUND_CURRENT_ROW,
    SQL_BOUND_FOLLOWING, /* offset FOLLOWING */
    SQL_BOUND_UNBOUNDED_FOLLOWING,
} SqlFrameBound;
typedef enum SqlFrameExclude {
    SQL_EXCLUDE_NONE,
    SQL_EXCLUDE_CURRENT_ROW,
    SQL_EXCLUDE_GROUP,
    SQL_EXCLUDE_TIES
} SqlFrameExclude;
typedef struct WindowSpec {
    const char *name; /* WINDOW name AS (...), or NULL */
    const char *base; /* (base ...) or OVER base: a named window it starts from, or NULL */
    int pos, base_pos;
    Expr **partition;
    int npartition;
    struct OrderItem *order;
    int norder;
    SqlFrameMode mode; /* DEFAULT: no frame written */
    SqlFrameBound start, end;
    Expr *start_offset, *end_offset;
    SqlFrameExclude exclude;
    int frame_pos, start_pos, end_pos;
} WindowSpec;

struct Expr {
    ExprKind kind;
    int pos;           /* byte offset of the construct (for operators: the operator) */
    const char *label; /* the result column's name when the construct gives one (current_date), or NULL */
    union {
        struct {
            SqlGroupingKind kind;
            Expr **items; /* ROLLUP, CUBE: expressions (a row: one element); SETS: group items */
            int n;
        } grouping;
        void *bound; /* EXPR_BOUND */
        const char *text;
        bool bval;
        int param;
        struct {
            const char *table, *name;
            const char *schema, *catalog; /* schema.table.name, catalog.schema.table.name; else NULL */
        } column;                         /* names already case-folded / unquoted */
        struct {
            SqlOp op;
            Expr *arg;
            const char *opname; /* SQL_OP_OTHER: a prefix operator's name (@, |/, ||/, ~) */
        } unary;
        struct {
            SqlOp op;
            Expr *left, *right;
            const char *opname;   /* SQL_OP_OTHER: the operator's name */
            const char *opschema; /* OPERATOR(schema.op): the schema; else NULL */
        } binary;
        struct {
            Expr *arg;
            bool negated;
        } isnull;
        struct {
            Expr *arg;
            SqlTypeName type;
        } cast;
        struct {
            const char *name;
            const char *schema; /* schema.name(...): the schema as written, or NULL */
            Expr **args;
            int nargs;
            bool star;
            bool distinct;           /* f(DISTINCT ...) */
            struct OrderItem *order; /* f(... ORDER BY ...) */
            int norder;
            Expr *filter;     /* FILTER (WHERE ...), or NULL */
            WindowSpec *over; /* OVER ..., or NULL */
        } func;
        struct {
            Expr **items;
            int n;
        } array;
        struct {
            Expr *value, *index, *lower, *upper; /* a slice has no index; its ends may be NULL (open) */
            bool slice;
        } subscript;
        struct {
            SqlOp op; /* a comparison */
            Expr *left, *right;
            bool all;
        } quantified;
        struct {
            Expr *arg; /* CASE arg WHEN value ...: compared with = to each; NULL: WHEN conditions */
            Expr **whens, **thens;
            int *when_pos; /* where each WHEN is written */
            int n;
            Expr *else_; /* NULL: ELSE NULL */
        } case_;
        struct {
            Expr *left;
            Expr **items;
            int n;
            bool negated;
        } in;
        struct {
            Expr *left, *right;
            bool negated; /* IS NOT DISTINCT FROM */
        } distinct;
        struct {
            Expr *arg;
            SqlBoolTest test;
            bool negated;
        } booltest;
        struct {
            Expr *arg;
            const char *schema, *name; /* schema NULL: none written */
        } collate;
        struct {
            Expr *arg;
            const char *name; /* NULL: (x).* */
        } field;
        struct {
            SqlSublinkKind kind;
            SqlOp op;           /* ANY, ALL: the comparison */
            Expr *left;         /* ANY, ALL: its left operand */
            struct Stmt *query; /* a SELECT */
        } sublink;
    } u;
};

typedef struct ResTarget {
    Expr *expr;
    const char *alias; /* AS name, or NULL */
} ResTarget;

typedef struct RangeVar {
    const char *name;   /* case-folded */
    const char *schema; /* schema.name: the schema, or NULL */
    const char *alias;  /* or NULL */
    int pos;
    Expr *func; /* FROM f(args): the call (an EXPR_FUNC; name is f), or NULL */
} RangeVar;

typedef struct OrderItem {
    Expr *expr;
    bool desc;
    int nulls; /* 0 = default, 1 = NULLS FIRST, 2 = NULLS LAST */
} OrderItem;

typedef enum SqlLockStrength {
    SQL_LOCK_NONE = 0,
    SQL_LOCK_KEY_SHARE,
    SQL_LOCK_SHARE,
    SQL_LOCK_NO_KEY_UPDATE,
    SQL_LOCK_UPDATE,
} SqlLockStrength;

typedef enum SqlLockWait { SQL_LOCK_WAIT = 0, SQL_LOCK_NOWAIT, SQL_LOCK_SKIP_LOCKED } SqlLockWait;

/* FOR UPDATE | NO KEY UPDATE | SHARE | KEY SHARE [OF t, ...] [NOWAIT | SKIP LOCKED] */
typedef struct LockingClause {
    SqlLockStrength strength; /* SQL_LOCK_NONE: no clause */
    SqlLockWait wait;
    const char **tables; /* OF ..., or NULL */
    int *table_pos;
    int ntables;
    int pos;
} LockingClause;

typedef enum FromKind { FROM_TABLE, FROM_FUNCTION, FROM_SUBQUERY, FROM_JOIN } FromKind;
typedef enum SqlJoinType { SQL_JOIN_INNER, SQL_JOIN_LEFT, SQL_JOIN_RIGHT, SQL_JOIN_FULL, SQL_JOIN_CROSS } SqlJoinType;

/* An item of FROM: a table, a function call, a subquery or a join of two items. */
typedef struct FromItem FromItem;
struct FromItem {
    FromKind kind;
    int pos;
    const char *name;            /* TABLE: the table (case-folded); FUNCTION: the function */
    const char *schema;          /* TABLE: schema.table's schema, or NULL */
    const char *alias;           /* AS alias, or NULL */
    const char **column_aliases; /* AS alias (a, b, ...) */
    int *column_alias_pos;
    int ncolumn_aliases;
    Expr *func;             /* FUNCTION: the call */
    struct Stmt *subquery;  /* SUBQUERY: a SELECT */
    SqlJoinType join_type;  /* JOIN */
    FromItem *left, *right; /* JOIN */
    Expr *on;               /* JOIN ... ON, or NULL */
    const char **using;     /* JOIN ... USING (a, b) */
    int *using_pos;
    int nusing;
    bool natural;     /* NATURAL JOIN */
    bool lateral;     /* LATERAL (SELECT ...) or LATERAL f(...); a function in FROM is lateral anyway */
    bool ordinality;  /* FUNCTION: WITH ORDINALITY (a bigint column numbering its rows from 1) */
    Expr **rows_from; /* FUNCTION: ROWS FROM (f(...), g(...)): the calls, side by side (func is the first) */
    int nrows_from;   /* 0: a single call, not ROWS FROM */
};

typedef enum SqlSetOp { SQL_SETOP_NONE, SQL_SETOP_UNION, SQL_SETOP_INTERSECT, SQL_SETOP_EXCEPT } SqlSetOp;

/* WITH name (columns) AS (query) */
typedef struct CommonTableExpr {
    const char *name;
    int pos;
    const char **columns;
    int *column_pos;
    int ncolumns;
    struct Stmt *query;
} CommonTableExpr;

/* A query: a SELECT (targets ... having), a VALUES list or a set
 * operation of two queries; then its ORDER BY, LIMIT, OFFSET, locking. */
typedef struct SelectStmt SelectStmt;
struct SelectStmt {
    int pos;
    CommonTableExpr *ctes; /* WITH ... */
    int nctes;
    bool recursive; /* WITH RECURSIVE */
    SqlSetOp setop; /* not NONE: larg setop [ALL] rarg */
    bool setop_all;
    SelectStmt *larg, *rarg;
    Expr ***values; /* VALUES (...), (...): nvalues rows of values_len[i] */
    int *values_len;
    int nvalues;
    bool distinct;      /* SELECT DISTINCT */
    Expr **distinct_on; /* SELECT DISTINCT ON (...) */
    int ndistinct_on;
    ResTarget *targets;
    int ntargets;
    FromItem **from; /* the comma-separated items; none: SELECT without FROM */
    int nfrom;
    Expr *where;
    Expr **group; /* GROUP BY */
    int ngroup;
    bool group_distinct; /* GROUP BY DISTINCT: each grouping set once */
    Expr *having;
    WindowSpec *windows; /* WINDOW ... */
    int nwindows;
    OrderItem *order;
    int norder;
    Expr *limit;    /* NULL or LIMIT ALL: none */
    bool with_ties; /* FETCH FIRST n ROWS WITH TIES */
    int limit_pos;
    Expr *offset; /* NULL: none */
    LockingClause locking;
};

typedef struct InsertStmt {
    RangeVar table;
    const char **columns; /* NULL: all columns in order */
    int *column_pos;
    int ncolumns;
    Expr ***rows; /* rows[i][j], VALUES (...), (...) */
    int *row_len;
    int nrows;
    bool default_values; /* INSERT ... DEFAULT VALUES */
    ResTarget *returning;
    int nreturning;
} InsertStmt;

typedef struct SetClause {
    const char *column;
    int pos;
    Expr **indexes; /* SET a[i] = x: the subscripts, or none */
    int nindexes;
    Expr *value;
} SetClause;

typedef struct UpdateStmt {
    RangeVar table;
    SetClause *sets;
    int nsets;
    Expr *where;
    ResTarget *returning;
    int nreturning;
} UpdateStmt;

typedef struct DeleteStmt {
    RangeVar table;
    Expr *where;
    ResTarget *returning;
    int nreturning;
} DeleteStmt;

/* A foreign key's ON DELETE / ON UPDATE. */
typedef enum SqlFkAction {
    SQL_FK_NO_ACTION = 0,
    SQL_FK_RESTRICT,
    SQL_FK_CASCADE,
    SQL_FK_SET_NULL,
    SQL_FK_SET_DEFAULT
} SqlFkAction;

/* A constraint other than a column's NOT NULL: CREATE TABLE keeps its
 * primary key and UNIQUE constraints in their own fields and the others
 * here; ALTER TABLE ... ADD CONSTRAINT any of them. */
typedef enum SqlConstraintKind {
    SQL_CONSTRAINT_PRIMARY_KEY,
    SQL_CONSTRAINT_UNIQUE,
    SQL_CONSTRAINT_CHECK,
    SQL_CONSTRAINT_FOREIGN_KEY
} SqlConstraintKind;

typedef struct SqlConstraint {
    SqlConstraintKind kind;
    const char *name; /* CONSTRAINT name, or NULL */
    int pos;
    const char **columns; /* the constrained columns (a column's REFERENCES: that column) */
    int *column_pos;
    int ncolumns;
    Expr *check;              /* CHECK (expr) */
    RangeVar ref_table;       /* FOREIGN KEY ... REFERENCES table */
    const char **ref_columns; /* (columns), or none: its primary key */
    int nref_columns;
    SqlFkAction on_delete, on_update;
} SqlConstraint;

typedef struct ColumnDef {
    const char *name;
    int pos;
    SqlTypeName type;
    Expr *dflt;            /* DEFAULT expr, or NULL */
    bool not_null;         /* NOT NULL */
    bool null_ok;          /* NULL written explicitly */
    bool primary_key;      /* column-level PRIMARY KEY */
    int pkey_pos;          /* where PRIMARY KEY is written */
    const char *pkey_name; /* CONSTRAINT name PRIMARY KEY, or NULL */
} ColumnDef;

/* UNIQUE (a, b), or a column's UNIQUE (one column). */
typedef struct UniqueConstraint {
    const char *name; /* CONSTRAINT name, or NULL */
    const char **columns;
    int *column_pos;
    int ncolumns;
    int pos;
} UniqueConstraint;

typedef struct CreateTableStmt {
    RangeVar table;
    bool if_not_exists;
    ColumnDef *columns;
    int ncolumns;
    const char **pkey; /* table-level PRIMARY KEY (a, b), or NULL */
    int *pkey_pos;
    int npkey;
    int pkey_constraint_pos;
    const char *pkey_name;     /* CONSTRAINT name of the primary key, or NULL */
    UniqueConstraint *uniques; /* in the order written */
    int nuniques;
    SqlConstraint *constraints; /* CHECK and FOREIGN KEY, column- and table-level, in the order written */
    int nconstraints;
} CreateTableStmt;

/* ALTER TABLE [IF EXISTS] name command, ...: ADD constraint so far. */
typedef struct AlterTableCmd {
    SqlConstraint constraint; /* ADD */
} AlterTableCmd;

typedef struct AlterTableStmt {
    RangeVar table;
    bool if_exists;
    AlterTableCmd *cmds;
    int ncmds;
} AlterTableStmt;

typedef struct IndexElem {
    const char *column;
    int pos;
    bool desc;
    int nulls; /* 0 = default, 1 = NULLS FIRST, 2 = NULLS LAST */
} IndexElem;

typedef struct CreateIndexStmt {
    const char *name; /* NULL: chosen from the table and columns */
    bool unique, if_not_exists;
    RangeVar table;
    const char *method; /* USING ..., or NULL */
    int method_pos;
    IndexElem *elems;
    int nelems;
} CreateIndexStmt;

typedef struct DropIndexStmt {
    RangeVar *indexes;
    int nindexes;
    bool if_exists;
    bool cascade;
} DropIndexStmt;

typedef struct VacuumStmt {
    RangeVar *tables; /* none: every table */
    int ntables;
    bool full, freeze, verbose, analyze;
} VacuumStmt;

/* SET name TO value, ... | SET name TO DEFAULT | RESET name | RESET ALL.
 * Values keep the text they were written with (strings unquoted), as
 * PostgreSQL hands them to a setting. */
typedef struct SetStmt {
    const char *name; /* NULL: RESET ALL */
    int name_pos;
    const char **values;
    int nvalues; /* 0: DEFAULT / RESET */
    bool local;  /* SET LOCAL */
    bool reset;  /* spelled RESET */
} SetStmt;

typedef struct ShowStmt {
    const char *name; /* NULL: SHOW ALL */
} ShowStmt;

typedef struct SavepointStmt {
    const char *name;
} SavepointStmt;

typedef struct DropTableStmt {
    RangeVar *tables;
    int ntables;
    bool if_exists;
    bool cascade;
} DropTableStmt;

typedef enum SqlIsolation {
    SQL_ISO_DEFAULT = 0,
    SQL_ISO_READ_UNCOMMITTED,
    SQL_ISO_READ_COMMITTED,
    SQL_ISO_REPEATABLE_READ,
    SQL_ISO_SERIALIZABLE,
} SqlIsolation;

typedef struct TxnStmt {
    SqlIsolation isolation; /* BEGIN / START TRANSACTION ISOLATION LEVEL ... */
    bool chain;             /* COMMIT AND CHAIN (later) */
    bool read_only;         /* BEGIN / START TRANSACTION READ ONLY */
    bool read_write;        /* ... READ WRITE (over default_transaction_read_only) */
    bool start;             /* spelled START TRANSACTION (its command tag) */
} TxnStmt;

/* A procedure's parameter: [IN | OUT | INOUT] [name] type [DEFAULT expr]. */
typedef enum SqlParamMode { SQL_PARAM_IN, SQL_PARAM_OUT, SQL_PARAM_INOUT } SqlParamMode;

typedef struct ProcParam {
    const char *name; /* NULL: unnamed */
    SqlParamMode mode;
    SqlTypeName type;
    Expr *dflt; /* DEFAULT expr, or NULL */
    int pos;
} ProcParam;

/* CREATE [OR REPLACE] PROCEDURE name(params) LANGUAGE lang AS 'body', and
 * CREATE [OR REPLACE] MODULE name LANGUAGE lang AS 'body' (no params). */
typedef struct CreateProcedureStmt {
    const char *name;
    int name_pos;
    bool or_replace, module;
    ProcParam *params;
    int nparams;
    const char *language; /* case-folded; NULL: no LANGUAGE clause */
    int language_pos;
    const char *body; /* the string's value (dollar quotes taken off); NULL: no AS */
    int body_pos;     /* byte offset of the body's first character */
} CreateProcedureStmt;

/* One name of DROP PROCEDURE: name [( [params] )]. */
typedef struct ProcRef {
    const char *name;
    int pos;
    bool has_args; /* the parenthesised list was written (possibly empty) */
    ProcParam *params;
    int nparams;
} ProcRef;

typedef struct DropProcedureStmt {
    ProcRef *procs;
    int nprocs;
    bool module, if_exists, cascade;
} DropProcedureStmt;

/* CALL name(args). */
typedef struct CallStmt {
    const char *name;
    int pos;
    Expr **args;
    int nargs;
} CallStmt;

/* COPY: one option as written, in the parenthesized form or the older
 * keyword form (BINARY, CSV, HEADER, FORCE QUOTE ... become format,
 * header, force_quote, ...). The planner checks names and values. */
typedef struct CopyOption {
    const char *name;     /* lower case */
    const char *value;    /* NULL: none given; strings unquoted */
    const char **columns; /* (a, b) for force_quote and the like, or NULL */
    int ncolumns;
    bool star; /* FORCE QUOTE * */
    int pos;
} CopyOption;

typedef struct CopyStmt {
    RangeVar table;       /* name NULL for COPY (query) */
    const char **columns; /* NULL: all columns */
    int *column_pos;
    int ncolumns;
    struct Stmt *query; /* COPY (query) TO */
    bool from;          /* FROM; else TO */
    const char *file;   /* a file name (or PROGRAM command), not STDIN/STDOUT */
    bool program;
    CopyOption *options;
    int noptions;
} CopyStmt;

/* LISTEN channel, UNLISTEN channel | *, NOTIFY channel [, 'payload']. */
typedef struct NotifyStmt {
    const char *channel; /* NULL: UNLISTEN * */
    const char *payload; /* NOTIFY: "" if none */
} NotifyStmt;

/* DECLARE, FETCH / MOVE, CLOSE. FETCH's forms come as a direction and a
 * count: NEXT is FORWARD 1, PRIOR BACKWARD 1, FIRST ABSOLUTE 1, LAST
 * ABSOLUTE -1, ALL FORWARD all, n FORWARD n. */
typedef enum SqlFetchDir { SQL_FETCH_FORWARD, SQL_FETCH_BACKWARD, SQL_FETCH_ABSOLUTE, SQL_FETCH_RELATIVE } SqlFetchDir;

/* EXPLAIN [ANALYZE] [VERBOSE] query, or EXPLAIN (options) query. */
typedef struct ExplainStmt {
    struct Stmt *query;
    bool analyze, verbose, costs;
} ExplainStmt;

typedef struct CursorStmt {
    const char *name; /* NULL: CLOSE ALL */
    int name_pos;
    bool binary, no_scroll, hold; /* DECLARE (SCROLL is the default here) */
    struct Stmt *query;           /* DECLARE: the SELECT */
    SqlFetchDir dir;              /* FETCH / MOVE */
    int64_t count;
    bool all;  /* FORWARD ALL / BACKWARD ALL */
    bool move; /* MOVE: no rows, only the count */
} CursorStmt;

/* CREATE ROLE | USER, ALTER ROLE (options or RENAME TO), DROP ROLE. An
 * option not written is -1 (booleans) or has_* false. */
typedef struct RoleStmt {
    const char *name; /* CREATE, ALTER */
    int name_pos;
    const char **names; /* DROP */
    int nnames;
    bool if_exists;
    const char *new_name; /* ALTER ... RENAME TO */
    bool user;            /* spelled CREATE USER: LOGIN by default */
    int login, superuser, createdb;
    bool has_password;
    const char *password; /* NULL: PASSWORD NULL */
    bool has_limit;
    int64_t conn_limit;
} RoleStmt;

typedef enum StmtKind {
    STMT_SELECT,
    STMT_INSERT,
    STMT_UPDATE,
    STMT_DELETE,
    STMT_CREATE_TABLE,
    STMT_DROP_TABLE,
    STMT_CREATE_INDEX,
    STMT_DROP_INDEX,
    STMT_VACUUM,
    STMT_CHECKPOINT,
    STMT_BEGIN,            /* BEGIN [WORK|TRANSACTION], START TRANSACTION */
    STMT_COMMIT,           /* COMMIT, END */
    STMT_ROLLBACK,         /* ROLLBACK, ABORT */
    STMT_SAVEPOINT,        /* u.savepoint */
    STMT_RELEASE,          /* RELEASE [SAVEPOINT]: u.savepoint */
    STMT_ROLLBACK_TO,      /* ROLLBACK TO [SAVEPOINT]: u.savepoint */
    STMT_SET,              /* SET, RESET: u.set */
    STMT_SHOW,             /* u.show */
    STMT_SET_TRANSACTION,  /* SET TRANSACTION modes: u.txn */
    STMT_CREATE_PROCEDURE, /* and CREATE MODULE: u.create_proc */
    STMT_DROP_PROCEDURE,   /* and DROP MODULE: u.drop_proc */
    STMT_CALL,             /* u.call */
    STMT_COPY,             /* u.copy */
    STMT_LISTEN,           /* u.notify */
    STMT_UNLISTEN,         /* u.notify */
    STMT_NOTIFY,           /* u.notify */
    STMT_DECLARE,          /* u.cursor */
    STMT_FETCH,            /* and MOVE: u.cursor */
    STMT_CLOSE,            /* u.cursor */
    STMT_CREATE_ROLE,      /* u.role */
    STMT_ALTER_ROLE,       /* u.role */
    STMT_DROP_ROLE,        /* u.role */
    STMT_EXPLAIN,          /* u.explain */
    STMT_ALTER_TABLE,      /* u.alter_table */
} StmtKind;

typedef struct Stmt {
    StmtKind kind;
    int start, end; /* byte range of this statement in the text, without ';' */
    /* WITH before INSERT / UPDATE / DELETE (a SELECT's is in u.select) */
    CommonTableExpr *ctes;
    int nctes;
    bool recursive;
    union {
        SelectStmt select;
        InsertStmt insert;
        UpdateStmt update;
        DeleteStmt del;
        CreateTableStmt create_table;
        DropTableStmt drop_table;
        CreateIndexStmt create_index;
        DropIndexStmt drop_index;
        VacuumStmt vacuum;
        TxnStmt txn;
        SavepointStmt savepoint;
        SetStmt set;
        ShowStmt show;
        CreateProcedureStmt create_proc;
        DropProcedureStmt drop_proc;
        CallStmt call;
        CopyStmt copy;
        NotifyStmt notify;
        CursorStmt cursor;
        ExplainStmt explain;
        RoleStmt role;
        AlterTableStmt alter_table;
    } u;
} Stmt;

typedef struct StmtList {
    Stmt **items;
    int n; /* 0 for an empty or comment-only string */
} StmtList;

typedef struct SqlParser SqlParser;

SqlParser *sql_parser_create(void);
void sql_parser_destroy(SqlParser *p);

/*
 * Parses every statement of `text` (len bytes, NUL-terminated) into `out`,
 * allocating the AST in `arena`. Nothing executes before the whole string
 * parsed, as in PostgreSQL.
 * Returns true, or false with `err` set:
 *   42601 syntax error at or near "X" / syntax error at end of input, with
 *         position (1-based characters) of the first ERROR or MISSING node;
 *   0A000 for syntax the grammar knows but strand does not support yet.
 */
bool sql_parse(SqlParser *p, const char *text, size_t len, Arena *arena, StmtList *out, Error *err);

/* ---- the plan cache's key (normalize.c) ----------------------------------
 * One statement's text with its literals replaced by $1..$n where a
 * parameter of the literal's type means the same (normalize.c says where),
 * unquoted words lowercased, every other byte kept. */
#define SQL_NORMALIZE_MAX_LITERALS 128

typedef enum SqlLiteralKind {
    SQL_LITERAL_INT4, /* an integer, typed by magnitude as PostgreSQL types it */
    SQL_LITERAL_INT8,
    SQL_LITERAL_NUMERIC, /* a larger integer, or one with a fraction or exponent */
    SQL_LITERAL_STRING,  /* '...': of unknown type, as PostgreSQL's */
} SqlLiteralKind;

typedef struct SqlLiteral {
    SqlLiteralKind kind;
    uint32_t offset, len; /* in the original text, quotes included */
} SqlLiteral;

typedef struct SqlNormalized {
    size_t len; /* of the normalised text */
    int n;      /* literals replaced: $1..$n */
    SqlLiteral lits[SQL_NORMALIZE_MAX_LITERALS];
} SqlNormalized;

/* Writes the normalised text of `text` (NUL-terminated) into out[cap].
 * False for a text it does not key: not one statement, a parameter, a
 * lexical error, longer than cap, more literals than the maximum. */
bool sql_normalize(const char *text, size_t len, char *out, size_t cap, SqlNormalized *result);

/* A literal's value as text (len bytes, not NUL-terminated): a string's
 * contents, its '' made one quote (in `arena` only then). */
const char *sql_literal_value(const char *text, const SqlLiteral *lit, Arena *arena, size_t *len);

/* ---- deparse (deparse.c) and equality (equal.c) ------------------------
 * SQL text for a statement or expression that parses back into an equal
 * AST: canonical, not the text it came from (deparse.c says how). */
void sql_deparse_stmt(StrBuf *out, const Stmt *s);
void sql_deparse_expr(StrBuf *out, const Expr *e);
/* Whether two ASTs mean the same, positions aside. */
bool sql_stmt_equal(const Stmt *a, const Stmt *b);
bool sql_expr_equal(const Expr *a, const Expr *b);

const char *sql_stmt_kind_name(StmtKind k);
/* Transaction control, settings and CHECKPOINT: statements the engine runs
 * itself, never the planner. */
bool sql_stmt_is_session_control(StmtKind k);

#endif
