/*
 * explain.c — EXPLAIN [ANALYZE]: the plan's operator tree as PostgreSQL's
 * text format draws it, one row of "QUERY PLAN" per node: the root first,
 * each child under its parent after "->", indented six more. Nodes are
 * named as PostgreSQL names the ones that do the same work (Seq Scan,
 * Index Scan using ..., Hash Join, Nested Loop, HashAggregate, Sort, ...);
 * projections draw nothing, as in PostgreSQL. strand has no cost model,
 * so no costs are shown (as with COSTS OFF). ANALYZE runs the statement
 * (a write is made, as in PostgreSQL) and adds each node's actual rows,
 * then the execution time.
 *
 * INTERFACE (planner-internal): planner__execute_explain
 */
#include "planner/planner_int.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

typedef struct Explain {
    RowSink *sink;
    Arena *arena;
    Error *err;
    bool analyze;
} Explain;

static bool line(Explain *x, int depth, const char *text, const Op *op) {
    char buf[512];
    int n = depth ? snprintf(buf, sizeof buf, "%*s->  %s", 6 * (depth - 1) + 2, "", text)
                  : snprintf(buf, sizeof buf, "%s", text);
    if (x->analyze && op && n < (int)sizeof buf)
        snprintf(buf + n, sizeof buf - (size_t)n, " (actual rows=%llu loops=1)",
                 (unsigned long long)planner__op_rows(op));
    Value v = value_string(TYPE_TEXT, arena_strdup(x->arena, buf), (uint32_t)strlen(buf));
    return x->sink->row(x->sink->ctx, &v, 1, x->err);
}

static const char *table_name(const Table *t) { return storage_table_desc(t)->name; }

/* A scan of a table: sequential, or through an index. */
static void scan_name(const RowSource *src, char *buf, size_t cap) {
    if (!src->index) {
        snprintf(buf, cap, "Seq Scan on %s", table_name(src->table));
        return;
    }
    snprintf(buf, cap, "Index Scan%s using %s on %s", src->backward ? " Backward" : "",
             storage_index_desc(src->index)->name, table_name(src->table));
}

static const char *join_name(const PlanNode *n) {
    static const char *const HASH[] = {"Hash Join", "Hash Left Join", "Hash Right Join", "Hash Full Join"};
    static const char *const LOOP[] = {"Nested Loop", "Nested Loop Left Join", "Nested Loop Right Join",
                                       "Nested Loop Full Join"};
    SqlJoinType t = n->u.join.type;
    int k = t == SQL_JOIN_LEFT ? 1 : t == SQL_JOIN_RIGHT ? 2 : t == SQL_JOIN_FULL ? 3 : 0;
    return n->u.join.nkeys ? HASH[k] : LOOP[k];
}

static void node_name(const PlanNode *n, char *buf, size_t cap) {
    switch (n->kind) {
    case NODE_RESULT: snprintf(buf, cap, "Result"); return;
    case NODE_SCAN: scan_name(n->u.scan.src, buf, cap); return;
    case NODE_FILTER: snprintf(buf, cap, "Subquery Scan"); return;
    case NODE_PROJECT: snprintf(buf, cap, "Result"); return;
    case NODE_SORT: snprintf(buf, cap, "Sort"); return;
    case NODE_LOCK: snprintf(buf, cap, "LockRows"); return;
    case NODE_LIMIT: snprintf(buf, cap, "Limit"); return;
    case NODE_JOIN: snprintf(buf, cap, "%s", join_name(n)); return;
    case NODE_AGG:
        snprintf(buf, cap, "%s", n->u.agg.nsets ? "MixedAggregate" : n->u.agg.nkeys ? "HashAggregate" : "Aggregate");
        return;
    case NODE_VALUES: snprintf(buf, cap, "Values Scan on \"*VALUES*\""); return;
    case NODE_APPEND: snprintf(buf, cap, "Append"); return;
    case NODE_DISTINCT: snprintf(buf, cap, "HashAggregate"); return;
    case NODE_SETOP:
        snprintf(buf, cap, "HashSetOp %s%s", n->u.setop.op == SQL_SETOP_INTERSECT ? "Intersect" : "Except",
                 n->u.setop.all ? " All" : "");
        return;
    case NODE_WINDOW: snprintf(buf, cap, "WindowAgg"); return;
    case NODE_RECURSIVE: snprintf(buf, cap, "Recursive Union"); return;
    case NODE_WORKTABLE: snprintf(buf, cap, "WorkTable Scan"); return;
    case NODE_FUNCTION:
        snprintf(buf, cap, "Function Scan on %s", n->u.func->name ? n->u.func->name : "function");
        return;
    case NODE_PROJECT_SET: snprintf(buf, cap, "ProjectSet"); return;
    }
    snprintf(buf, cap, "?");
}

/* The tree from n (op: its running operator under ANALYZE, or NULL). A
 * PROJECT draws nothing: its child takes its place. */
static bool describe(Explain *x, const PlanNode *n, const Op *op, int depth) {
    if (n->kind == NODE_PROJECT && n->child) return describe(x, n->child, op ? planner__op_child(op, 0) : NULL, depth);
    char name[256];
    node_name(n, name, sizeof name);
    if (!line(x, depth, name, op)) return false;
    if (n->child && !describe(x, n->child, op ? planner__op_child(op, 0) : NULL, depth + 1)) return false;
    return !n->inner || describe(x, n->inner, op ? planner__op_child(op, 1) : NULL, depth + 1);
}

/* INSERT / UPDATE / DELETE: the write over the rows it reads. */
static bool describe_write(Explain *x, const Plan *p) {
    static const char *const VERB[] = {[PLAN_INSERT] = "Insert", [PLAN_UPDATE] = "Update", [PLAN_DELETE] = "Delete"};
    char buf[256];
    snprintf(buf, sizeof buf, "%s on %s", VERB[p->kind], table_name(p->source.table));
    if (!line(x, 0, buf, NULL)) return false;
    if (p->kind == PLAN_INSERT) return line(x, 1, p->ninsert_rows > 1 ? "Values Scan on \"*VALUES*\"" : "Result", NULL);
    scan_name(&p->source, buf, sizeof buf);
    return line(x, 1, buf, NULL);
}

static bool drop_row(void *ctx, const Value *values, int ncols, Error *err) {
    (void)ctx, (void)values, (void)ncols, (void)err;
    return true;
}

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* A SELECT run to its end (rows dropped) with its operators kept open for their counts. */
static StorageStatus analyze_select(Explain *x, const Plan *p, Storage *storage, Txn *txn, const Value *params) {
    Arena keep;
    Run run;
    planner__run_init(&run, p, storage, txn, params, x->arena, &keep, x->err);
    Run *previous = planner__enter_run(&run);
    Op *root = planner__open(&run, p->root);
    const Value *row;
    bool ok;
    while ((ok = planner__next(root, &row)) && row) {
    }
    planner__leave_run(previous);
    StorageStatus st = ok ? STORAGE_OK : run.status != STORAGE_OK ? run.status : STORAGE_ERROR;
    if (st == STORAGE_OK && !describe(x, p->root, root, 0)) st = STORAGE_ERROR;
    planner__close(root);
    arena_deinit(&keep);
    return st;
}

StorageStatus planner__execute_explain(const Plan *p, Storage *storage, Txn *txn, const Value *params, Arena *arena,
                                       RowSink *sink, ExecResult *res, Error *err) {
    const Plan *q = p->explained;
    Explain x = {sink, arena, err, p->explain_analyze};
    double start = now_ms();
    StorageStatus st = STORAGE_OK;
    bool select = q->kind == PLAN_SELECT && q->root;
    if (q->kind != PLAN_SELECT && q->kind != PLAN_INSERT && q->kind != PLAN_UPDATE && q->kind != PLAN_DELETE) {
        error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED, "EXPLAIN of this statement is not supported");
        return STORAGE_ERROR;
    }
    if (x.analyze && select) {
        st = analyze_select(&x, q, storage, txn, params);
    } else if (x.analyze) { /* the write, made */
        ExecResult written;
        RowSink none = {drop_row, NULL, sink->notice, sink->notice_ctx, sink->caller};
        st = planner_execute(q, storage, txn, params, arena, &none, &written, err);
        if (st == STORAGE_OK && !describe_write(&x, q)) st = STORAGE_ERROR;
    } else if (!(select ? describe(&x, q->root, NULL, 0) : describe_write(&x, q))) {
        st = STORAGE_ERROR;
    }
    if (st == STORAGE_OK && x.analyze) {
        char buf[64];
        snprintf(buf, sizeof buf, "Execution Time: %.3f ms", now_ms() - start);
        if (!line(&x, 0, buf, NULL)) st = STORAGE_ERROR;
    }
    if (st == STORAGE_OK) snprintf(res->tag, sizeof res->tag, "EXPLAIN");
    return st;
}
