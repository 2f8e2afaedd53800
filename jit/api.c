/*
 * api.c — strand.h: the functions compiled code calls.
 *
 * Each function that touches the store first copies what it reads from the
 * reducer's memory (its SQL text, its parameters) into the call's arena,
 * then does its work between jit__enter(JIT_HOST) and jit__leave (call.c),
 * so that a bad pointer faults on the reducer's side and a timeout waits
 * until the store is consistent again.
 *
 * strand_exec keeps each statement it ran, parsed and bound, in the unit
 * (by SQL text), and binds it again only when the catalog changed. Its
 * parameter types are inferred from the statement, as for a prepared
 * statement whose client declared none, and the values are converted to
 * them. The variadic strand_exec learns from that binding how many values
 * to read. strand_value is larger than 16 bytes, so both compilers pass it
 * in memory (the x86-64 ABI's MEMORY class), which va_arg reads back.
 *
 * INTERFACE: the functions of strand.h
 * INTERFACE (jit-internal): jit__api_symbols, jit__unit_free
 */
#include "jit/jit_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* A statement strand_exec ran, kept for the next call with the same text. */
typedef struct CachedStmt {
    char *sql; /* the key */
    Arena arena;
    Stmt *stmt;
    ParamTypes params;
    Plan *plan;
    uint64_t version;
    Arena plan_arena;
} CachedStmt;

/* ---- the call ------------------------------------------------------------------------- */

const char *strand_sender(strand_ctx *ctx) { return ctx->caller.user; }
int64_t strand_connection_id(strand_ctx *ctx) { return ctx->caller.connection_id; }
int64_t strand_now(strand_ctx *ctx) { return ctx->caller.txn_time_us; }

/* splitmix64: small, fast, and good enough for game logic. */
uint64_t strand_random(strand_ctx *ctx) {
    uint64_t z = (ctx->rng += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void *strand_alloc(strand_ctx *ctx, size_t size) {
    jit__enter(ctx, JIT_HOST);
    void *p = arena_zalloc(ctx->arena, size ? size : 1);
    jit__leave(ctx);
    return p;
}

void strand_error(strand_ctx *ctx, const char *sqlstate, const char *fmt, ...) {
    char code[6] = "P0001";
    jit__enter(ctx, JIT_COPY);
    if (sqlstate && strlen(sqlstate) == 5) memcpy(code, sqlstate, 6);
    va_list ap;
    va_start(ap, fmt);
    error_setv(ctx->err, code, fmt ? fmt : "", ap);
    va_end(ap);
    ctx->status = STORAGE_ERROR;
    jit__abort(ctx);
}

void strand_log(strand_ctx *ctx, const char *fmt, ...) {
    Error n;
    va_list ap;
    jit__enter(ctx, JIT_COPY);
    va_start(ap, fmt);
    error_setv(&n, SQLSTATE_SUCCESSFUL_COMPLETION, fmt ? fmt : "", ap);
    va_end(ap);
    n.severity = SEV_NOTICE;
    jit__enter(ctx, JIT_HOST);
    log_info("procedure %s: %s", ctx->proc, n.message);
    if (ctx->sink && ctx->sink->notice) ctx->sink->notice(ctx->sink->notice_ctx, &n);
    jit__leave(ctx);
}

/* ---- values -------------------------------------------------------------------------------- */

/* strand_now's clock (1970) and PostgreSQL's timestamps (2000), in µs. */
#define UNIX_TO_PG_US INT64_C(946684800000000)

/* A reducer's value as a Value of its own type, its bytes copied to arena. */
bool jit__value_in(Arena *arena, const strand_value *v, Value *out, Error *err) {
    if (v->isnull || ((v->type == TYPE_TEXT || v->type == 17) && !v->u.s)) {
        *out = value_null(v->type ? (TypeId)v->type : TYPE_TEXT);
        return true;
    }
    switch (v->type) {
    case TYPE_BOOL: *out = value_bool(v->u.i != 0); return true;
    case TYPE_INT2:
    case TYPE_INT4:
    case TYPE_INT8: *out = value_int((TypeId)v->type, v->u.i); return true;
    case TYPE_FLOAT8:
    case TYPE_FLOAT4: *out = value_float((TypeId)v->type, v->u.f); return true;
    case TYPE_TIMESTAMPTZ: *out = value_int(TYPE_TIMESTAMPTZ, v->u.i - UNIX_TO_PG_US); return true;
    case TYPE_DATE:
    case TYPE_TIME:
    case TYPE_TIMESTAMP: *out = value_int((TypeId)v->type, v->u.i); return true;
    case TYPE_TEXT:
    case TYPE_VARCHAR:
    case TYPE_BPCHAR:
    case TYPE_NUMERIC:
    case TYPE_BYTEA:
    case TYPE_UUID:
    case TYPE_JSON:
    case TYPE_JSONB:
    case TYPE_INTERVAL: {
        size_t len = v->len < 0 ? strlen(v->u.s) : (size_t)v->len;
        *out = value_string((TypeId)v->type, arena_strndup(arena, v->u.s, len), (uint32_t)len);
        if (v->type == TYPE_BPCHAR) value_make_bpchar(out);
        if (v->type == TYPE_NUMERIC || v->type == TYPE_JSON || v->type == TYPE_JSONB) /* a reducer's text, checked */
            return value_from_text((TypeId)v->type, out->u.s, out->len, arena, out, err);
        return true;
    }
    default:
        return error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED, "values of type %d are not supported in reducers yet",
                         (int)v->type);
    }
}

strand_value jit__value_out(const Value *v) {
    strand_value r = {(int32_t)v->type, v->isnull, 0, {.i = 0}};
    if (v->isnull) return r;
    switch ((TypeId)v->type) {
    case TYPE_BOOL: r.u.i = v->u.b; break;
    case TYPE_TIMESTAMPTZ: r.u.i = v->u.i + UNIX_TO_PG_US; break;
    case TYPE_FLOAT4:
    case TYPE_FLOAT8: r.u.f = v->u.f; break;
    case TYPE_TEXT:
    case TYPE_VARCHAR:
    case TYPE_BPCHAR:
    case TYPE_UNKNOWN:
    case TYPE_NUMERIC:
    case TYPE_BYTEA:
    case TYPE_UUID:
    case TYPE_JSON:
    case TYPE_JSONB:
    case TYPE_INTERVAL:
        r.u.s = v->u.s;
        r.len = v->len;
        break;
    default: r.u.i = v->u.i; break;
    }
    return r;
}

const char *strand_text(strand_value v) {
    strand_ctx *ctx = jit__current();
    if (v.isnull || !ctx) return NULL;
    if (v.type == TYPE_TEXT || v.type == TYPE_VARCHAR || v.type == TYPE_BPCHAR || v.type == TYPE_NUMERIC) return v.u.s;
    Value in;
    Error err = {0};
    jit__enter(ctx, JIT_COPY);
    bool ok = jit__value_in(ctx->arena, &v, &in, &err);
    char buf[VALUE_TEXT_BUF];
    int len;
    const char *t = ok ? value_to_text(&in, buf, &len) : NULL;
    char *s = t ? arena_strndup(ctx->arena, t, (size_t)len) : NULL;
    jit__leave(ctx);
    return s;
}

/* ---- strand_exec ------------------------------------------------------------------------- */

static CachedStmt *parse_once(strand_ctx *ctx, const char *sql) {
    CachedStmt *c = strmap_get(&ctx->unit->stmts, sql);
    if (c) return c;
    c = calloc(1, sizeof *c);
    if (!c) abort();
    arena_init(&c->arena, 4096);
    arena_init(&c->plan_arena, 4096);
    c->sql = arena_strdup(&c->arena, sql);
    StmtList list;
    bool ok = sql_parse(ctx->jit->parser, c->sql, strlen(c->sql), &c->arena, &list, ctx->err);
    if (ok && list.n != 1)
        ok = error_set(ctx->err, SQLSTATE_SYNTAX_ERROR, "strand_exec runs exactly one statement, not %d", list.n);
    StmtKind kind = ok ? list.items[0]->kind : STMT_SELECT;
    if (ok && (sql_stmt_is_session_control(kind) || kind == STMT_VACUUM))
        ok = error_set(ctx->err, "2D000", "%s cannot run inside a reducer", sql_stmt_kind_name(kind));
    if (!ok) {
        arena_deinit(&c->arena);
        arena_deinit(&c->plan_arena);
        free(c);
        return NULL;
    }
    c->stmt = list.items[0];
    strmap_put(&ctx->unit->stmts, c->sql, c);
    return c;
}

static Plan *plan_of(strand_ctx *ctx, CachedStmt *c) {
    uint64_t version = storage_catalog_version(ctx->storage);
    if (c->plan && c->version == version) return c->plan;
    arena_reset(&c->plan_arena);
    c->plan = NULL;
    c->params = (ParamTypes){0};
    if (!planner_bind(ctx->storage, ctx->txn, c->stmt, c->sql, &c->params, &c->plan_arena, &c->plan, ctx->err))
        return NULL;
    c->version = version;
    return c->plan;
}

/* The values converted to the statement's parameter types. */
static bool convert_params(strand_ctx *ctx, const CachedStmt *c, Value *params, int nparams) {
    if (nparams != c->params.n)
        return error_set(ctx->err, SQLSTATE_PROTOCOL_VIOLATION,
                         "strand_exec: the statement has %d parameters but %d values were given", c->params.n, nparams);
    for (int i = 0; i < c->params.n; i++) {
        TypeId want = c->params.types[i];
        Value *v = &params[i];
        if (v->isnull) {
            v->type = want;
            continue;
        }
        if ((TypeId)v->type == want) continue;
        char buf[VALUE_TEXT_BUF];
        int len;
        const char *t = value_to_text(v, buf, &len);
        if (!value_from_text(want, t, (size_t)len, ctx->arena, v, ctx->err)) return false;
    }
    return true;
}

typedef struct Collector {
    strand_ctx *ctx;
    strand_result *result;
} Collector;

void jit__keep_row(strand_ctx *ctx, strand_result *r, const Value *values, int ncols) {
    size_t need = (size_t)(r->nrows + 1) * (size_t)ncols;
    if (need > r->cap) {
        size_t cap = r->cap ? r->cap * 2 : (size_t)ncols * 8;
        if (cap < need) cap = need;
        Value *grown = arena_alloc(ctx->arena, cap * sizeof *grown);
        if (r->values) memcpy(grown, r->values, r->cap * sizeof *grown);
        r->values = grown;
        r->cap = cap;
    }
    Value *row = r->values + (size_t)r->nrows * (size_t)ncols;
    for (int i = 0; i < ncols; i++) {
        row[i] = values[i];
        if (!values[i].isnull &&
            (values[i].type == TYPE_TEXT || values[i].type == TYPE_VARCHAR || values[i].type == TYPE_BPCHAR ||
             values[i].type == TYPE_NUMERIC || values[i].type == TYPE_UNKNOWN))
            row[i].u.s = arena_strndup(ctx->arena, values[i].u.s, values[i].len); /* NUL-terminated for C */
    }
    r->nrows++;
}

static bool keep_row(void *p, const Value *values, int ncols, Error *err) {
    (void)err;
    Collector *c = p;
    jit__keep_row(c->ctx, c->result, values, ncols);
    return true;
}

/* The statement (bound) for that text, or the call ends. */
static Plan *prepare(strand_ctx *ctx, const char *sql, CachedStmt **out) {
    if (!sql) strand_error(ctx, "22004", "strand_exec: the SQL text is NULL");
    if (!ctx->txn) strand_error(ctx, "0A000", "strand_exec cannot run while a module declares itself");
    jit__enter(ctx, JIT_COPY); /* a fault while reading it is the reducer's bad pointer */
    char *text = arena_strdup(ctx->arena, sql);
    jit__enter(ctx, JIT_HOST);
    CachedStmt *c = parse_once(ctx, text);
    Plan *plan = c ? plan_of(ctx, c) : NULL;
    if (!plan) jit__fail(ctx, STORAGE_ERROR);
    *out = c;
    return plan;
}

static strand_result *run(strand_ctx *ctx, CachedStmt *c, Plan *plan, Value *values, int nvalues) {
    jit__enter(ctx, JIT_HOST);
    if (!convert_params(ctx, c, values, nvalues)) jit__fail(ctx, STORAGE_ERROR);
    strand_result *r = arena_zalloc(ctx->arena, sizeof *r);
    Collector col = {ctx, r};
    RowSink sink = {keep_row, &col, ctx->sink ? ctx->sink->notice : NULL, ctx->sink ? ctx->sink->notice_ctx : NULL,
                    ctx->sink ? ctx->sink->caller : NULL};
    ExecResult res;
    storage_txn_statement_begin(ctx->txn);
    StorageStatus st = planner_execute(plan, ctx->storage, ctx->txn, values, ctx->scratch, &sink, &res, ctx->err);
    storage_txn_statement_end(ctx->txn);
    r->ncols = planner_plan_ncols(plan);
    r->returns_rows = planner_plan_returns_rows(plan);
    if (!r->returns_rows) r->nrows = (int64_t)res.rows;
    if (st != STORAGE_OK) jit__fail(ctx, st);
    jit__leave(ctx);
    return r;
}

strand_result *strand_exec(strand_ctx *ctx, const char *sql, ...) {
    CachedStmt *c;
    Plan *plan = prepare(ctx, sql, &c);
    int n = c->params.n;
    Value *values = arena_alloc(ctx->arena, (size_t)(n + 1) * sizeof *values);
    jit__enter(ctx, JIT_COPY);
    va_list ap;
    va_start(ap, sql);
    for (int i = 0; i < n; i++) {
        strand_value v = va_arg(ap, strand_value);
        if (!jit__value_in(ctx->arena, &v, &values[i], ctx->err)) jit__fail(ctx, STORAGE_ERROR);
    }
    va_end(ap);
    return run(ctx, c, plan, values, n);
}

strand_result *strand_exec_values(strand_ctx *ctx, const char *sql, int nvalues, const strand_value *params) {
    CachedStmt *c;
    Plan *plan = prepare(ctx, sql, &c);
    if (nvalues < 0) nvalues = 0;
    Value *values = arena_alloc(ctx->arena, (size_t)(nvalues + 1) * sizeof *values);
    jit__enter(ctx, JIT_COPY);
    for (int i = 0; i < nvalues; i++)
        if (!jit__value_in(ctx->arena, &params[i], &values[i], ctx->err)) jit__fail(ctx, STORAGE_ERROR);
    return run(ctx, c, plan, values, nvalues);
}

int64_t strand_nrows(const strand_result *r) { return r ? r->nrows : 0; }
int strand_ncols(const strand_result *r) { return r ? r->ncols : 0; }

strand_value strand_get(const strand_result *r, int64_t row, int col) {
    if (!r || !r->returns_rows || row < 0 || row >= r->nrows || col < 0 || col >= r->ncols) return STRAND_NULL;
    return jit__value_out(&r->values[row * r->ncols + col]);
}

/* ---- the symbol table ------------------------------------------------------------------- */

#define API(f)                                                                                                         \
    { #f, (const void *)f }
const JitSymbol jit__api_symbols[] = {
    API(strand_sender),        API(strand_connection_id),   API(strand_now),         API(strand_random),
    API(strand_alloc),         API(strand_error),           API(strand_log),         API(strand_exec),
    API(strand_exec_values),   API(strand_nrows),           API(strand_ncols),       API(strand_get),
    API(strand_text),          API(strand_declare_reducer), API(strand_on_init),     API(strand_on_connect),
    API(strand_on_disconnect), API(strand_schedule_every),  API(strand_schedule_at), API(strand_insert),
    API(strand_update),        API(strand_delete),          API(strand_find),        API(strand_find_by),
    API(strand_scan),
};
const size_t jit__api_nsymbols = ARRAY_LEN(jit__api_symbols);

void jit__unit_free(JitUnit *u) {
    if (!u) return;
    for (size_t i = 0; i < u->stmts.cap; i++) {
        CachedStmt *c = u->stmts.keys && u->stmts.keys[i] ? u->stmts.values[i] : NULL;
        if (!c) continue;
        arena_deinit(&c->arena);
        arena_deinit(&c->plan_arena);
        free(c);
    }
    strmap_deinit(&u->stmts);
    for (int i = 0; i < 2; i++)
        if (u->code[i].mem) munmap(u->code[i].mem, u->code[i].size);
    for (int i = 0; i < u->nreducers; i++) {
        for (int j = 0; j < u->reducers[i].nparams; j++) free((char *)u->reducers[i].params[j].name);
        free(u->reducers[i].params);
        free(u->reducers[i].name);
    }
    free(u->reducers);
    for (int i = 0; i < u->nevery; i++) free(u->every[i].reducer);
    free(u->every);
    free(u->key);
    free(u->name);
    free(u);
}
