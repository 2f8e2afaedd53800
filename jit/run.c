/*
 * run.c — running compiled code: CALL (the planner's call callback), the
 * lifecycle hooks of modules, and scheduled reducers.
 *
 * Every run goes the same way (jit__invoke): arguments unpacked into
 * strand_values, a savepoint taken in the caller's transaction, the entry
 * run inside the fault boundary (call.c) on a memory arena of its own, and
 * on any failure a rollback to the savepoint: whatever the run wrote is
 * gone, and the transaction goes on (a CALL's statement then fails).
 *
 * Schedules are rows of strand_schedule, created at the first start:
 *
 *   strand_schedule (
 *     id       int8 PRIMARY KEY,
 *     module   text,  -- the module whose reducer runs
 *     reducer  text,  -- a reducer of it without parameters
 *     next_us  int8,  -- when it runs next (microseconds since 1970)
 *     every_ms int8)  -- its interval; 0: once (strand_schedule_at)
 *
 * so they are transactional and survive restarts. A module's repeating
 * schedules are replaced when it is published; one-shot rows are made by
 * strand_schedule_at. The engine asks for the next due row (jit_run_due)
 * and runs each in a transaction of its own: the reducer's writes and the
 * row's advance (or removal) commit together, and a reducer that fails is
 * logged and its row advanced anyway, so a failing schedule cannot spin.
 *
 * INTERFACE: jit_client_connected, jit_client_disconnected, jit_run_due,
 *   jit_now_us, strand_schedule_at
 * INTERFACE (jit-internal): jit__call_proc, jit__invoke_hook,
 *   jit__set_schedules, jit__drop_schedules, jit__bootstrap_schedules
 */
#include "jit/jit_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- arguments ---------------------------------------------------------------------------- */

static bool is_c_scalar(TypeId t) {
    return t == TYPE_INT2 || t == TYPE_INT4 || t == TYPE_INT8 || t == TYPE_FLOAT8 || t == TYPE_BOOL;
}

static bool marshal_in(const PlannerProc *p, const Value *args, strand_value *out, Error *err) {
    for (int i = 0; i < p->nparams; i++) {
        const PlannerProcParam *pp = &p->params[i];
        const Value *v = &args[i];
        strand_value *a = &out[i];
        *a = (strand_value){(int32_t)pp->type, 0, 0, {.i = 0}};
        if (pp->mode == SQL_PARAM_OUT) continue;
        if (v->isnull) {
            if (is_c_scalar(pp->type))
                return error_set(err, SQLSTATE_NULL_VALUE_NOT_ALLOWED,
                                 "null value not allowed for parameter %d (\"%s\") of procedure \"%s\"", i + 1,
                                 pp->name ? pp->name : "", p->name);
            a->isnull = 1;
            continue;
        }
        *a = jit__value_out(v);
        a->type = (int32_t)pp->type;
    }
    return true;
}

/* What compiled code wrote through an int16_t *, int32_t * or bool * into
 * u.i (its first bytes: x86-64 is little-endian). */
#define low_bytes(sv, T)                                                                                               \
    ({                                                                                                                 \
        T x_;                                                                                                          \
        memcpy(&x_, &(sv)->u.i, sizeof x_);                                                                            \
        x_;                                                                                                            \
    })

/* The OUT and INOUT values the function left, as the parameters' types. */
static void marshal_out(const PlannerProc *p, const strand_value *a, Arena *arena, Value *outs) {
    int k = 0;
    for (int i = 0; i < p->nparams; i++) {
        const PlannerProcParam *pp = &p->params[i];
        if (pp->mode == SQL_PARAM_IN) continue;
        Value *v = &outs[k++];
        TypeId t = pp->type;
        switch (t) {
        case TYPE_INT2: *v = value_int(t, low_bytes(&a[i], int16_t)); break;
        case TYPE_INT4: *v = value_int(t, low_bytes(&a[i], int32_t)); break;
        case TYPE_INT8: *v = value_int(t, a[i].u.i); break;
        case TYPE_BOOL: *v = value_bool(low_bytes(&a[i], bool)); break;
        case TYPE_FLOAT8: *v = value_float8(a[i].u.f); break;
        case TYPE_TEXT:
        case TYPE_VARCHAR:
        case TYPE_BPCHAR:
            *v = a[i].u.s ? value_string(t, arena_strdup(arena, a[i].u.s), (uint32_t)strlen(a[i].u.s)) : value_null(t);
            break;
        default: { /* a strand_value the function filled */
            Error err = {0};
            if (!jit__value_in(arena, &a[i], v, &err) || (!v->isnull && (TypeId)v->type != t)) *v = value_null(t);
            break;
        }
        }
    }
}

/* Different for every call, without a system call: the caller's
 * transaction time and a count of calls. */
static uint64_t seed(const JitCaller *caller) {
    static uint64_t calls;
    return (uint64_t)caller->txn_time_us ^ (++calls * 0x9E3779B97F4A7C15ull);
}

/* ---- running ------------------------------------------------------------------------------ */

StorageStatus jit__invoke(Jit *jit, JitUnit *u, const char *name, JitEntry entry, strand_value *args, Storage *s,
                          Txn *t, Arena *scratch, RowSink *sink, void *who, Error *err) {
    /* The run's own memory: the planner rewinds the statement's arena
     * between rows, under the feet of what a reducer keeps. */
    Arena nested, *mem = jit->depth++ ? &nested : &jit->call_arena;
    if (mem == &nested) arena_init(&nested, 16384);
    strand_ctx c = {.jit = jit,
                    .unit = u,
                    .proc = name,
                    .storage = s,
                    .txn = t,
                    .arena = mem,
                    .scratch = scratch,
                    .sink = sink,
                    .err = err,
                    .status = STORAGE_OK};
    jit__caller(jit, who, &c.caller);
    c.rng = seed(&c.caller);
    StorageSavepoint mark = storage_txn_savepoint(t);
    StorageStatus st = jit__run(&c, entry, args);
    if (st != STORAGE_OK) storage_txn_rollback_to(t, mark); /* the whole run, not only its last statement */
    if (--jit->depth)
        arena_deinit(&nested);
    else
        arena_reset(&jit->call_arena);
    return st;
}

StorageStatus jit__call_proc(void *ctx, const PlannerProc *p, Storage *s, Txn *t, const Value *args, Value *outs,
                             Arena *arena, RowSink *sink, Error *err) {
    Jit *jit = ctx;
    const ProcHandle *h = p->handle;
    if (!h->unit) {
        *err = h->error;
        return STORAGE_ERROR;
    }
    strand_value *a = arena_alloc(arena, (size_t)(p->nparams + 1) * sizeof *a);
    if (!marshal_in(p, args, a, err)) return STORAGE_ERROR;
    StorageStatus st = jit__invoke(jit, h->unit, p->name, h->unit->reducers[h->reducer].entry, a, s, t, arena, sink,
                                   sink ? sink->caller : NULL, err);
    if (st == STORAGE_OK) marshal_out(p, a, arena, outs);
    return st;
}

static void run_hook(strand_ctx *ctx, strand_value *args) {
    (void)args;
    ((JitHook)ctx->jit->hook)(ctx);
}

StorageStatus jit__invoke_hook(Jit *jit, JitUnit *u, JitHook hook, const char *what, Txn *t, void *who, Error *err) {
    Arena scratch;
    arena_init(&scratch, 4096);
    char name[200];
    snprintf(name, sizeof name, "%s (%s)", u->name, what);
    jit->hook = (void *)hook;
    StorageStatus st = jit__invoke(jit, u, name, run_hook, NULL, jit->storage, t, &scratch, NULL, who, err);
    arena_deinit(&scratch);
    return st;
}

/* ---- lifecycle hooks ------------------------------------------------------------------------ */

#define MAX_MODULES 64

static StorageStatus each_hook(Jit *jit, Txn *t, void *session, bool connected, Error *err) {
    Arena tmp;
    arena_init(&tmp, 4096);
    JitUnit *units[MAX_MODULES];
    storage_txn_statement_begin(t);
    int n = jit__modules(jit, t, &tmp, units, MAX_MODULES);
    StorageStatus st = STORAGE_OK;
    for (int i = 0; i < n && st == STORAGE_OK; i++) {
        JitHook hook = connected ? units[i]->connected : units[i]->disconnected;
        if (hook)
            st = jit__invoke_hook(jit, units[i], hook, connected ? "client_connected" : "client_disconnected", t,
                                  session, err);
    }
    storage_txn_statement_end(t);
    arena_deinit(&tmp);
    return st;
}

StorageStatus jit_client_connected(Jit *jit, Txn *t, void *session, Error *err) {
    return each_hook(jit, t, session, true, err);
}

StorageStatus jit_client_disconnected(Jit *jit, Txn *t, void *session, Error *err) {
    return each_hook(jit, t, session, false, err);
}

/* ---- schedules ------------------------------------------------------------------------------ */

#define SCHEDULE "strand_schedule"
enum { SCH_ID, SCH_MODULE, SCH_REDUCER, SCH_NEXT, SCH_EVERY, SCH_NCOLS };

int64_t jit_now_us(void) { return jit__now_us(); }

int64_t jit__now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

bool jit__bootstrap_schedules(Jit *jit, Txn *t, Error *err) {
    if (storage_table_lookup(jit->storage, t, SCHEDULE)) return true;
    ColumnDesc cols[SCH_NCOLS] = {{"id", TYPE_INT8, -1, true},
                                  {"module", TYPE_TEXT, -1, true},
                                  {"reducer", TYPE_TEXT, -1, true},
                                  {"next_us", TYPE_INT8, -1, true},
                                  {"every_ms", TYPE_INT8, -1, true}};
    int pkey[] = {SCH_ID};
    TableDesc d = {SCHEDULE, SCH_NCOLS, cols, 1, pkey, SCHEDULE "_pkey"};
    return storage_table_create(jit->storage, t, &d, NULL, err);
}

typedef struct ScheduleRow {
    RowId rid;
    const Row *version;
    int64_t id, next_us, every_ms;
} ScheduleRow;

static ScheduleRow schedule_row(const Table *tb, RowId rid, const Row *row) {
    return (ScheduleRow){rid, row, storage_row_get(tb, row, SCH_ID).u.i, storage_row_get(tb, row, SCH_NEXT).u.i,
                         storage_row_get(tb, row, SCH_EVERY).u.i};
}

/* Calls each(row, ctx) for the rows t sees until it returns false. Strings
 * are not NUL-terminated: compare with their lengths. */
static void scan_schedules(Table *tb, Txn *t, bool (*each)(const Table *tb, RowId rid, const Row *row, void *ctx),
                           void *ctx) {
    TableScan scan;
    storage_scan_begin(tb, t, &scan);
    RowId rid;
    Error err = {0};
    for (const Row *row; (row = storage_scan_next(&scan, &rid, &err));)
        if (!each(tb, rid, row, ctx)) return;
}

static bool text_is(const Table *tb, const Row *row, int col, const char *s) {
    Value v = storage_row_get(tb, row, col);
    return !v.isnull && v.len == strlen(s) && memcmp(v.u.s, s, v.len) == 0;
}

/* The rows of one module (only its repeating ones, with every_only). */
typedef struct Collect {
    const char *module;
    bool every_only;
    RowId rids[1024];
    const Row *versions[1024];
    int n;
} Collect;

static bool collect(const Table *tb, RowId rid, const Row *row, void *ctx) {
    Collect *c = ctx;
    ScheduleRow r = schedule_row(tb, rid, row);
    if (!text_is(tb, row, SCH_MODULE, c->module)) return true;
    if (c->every_only && r.every_ms == 0) return true;
    if (c->n < (int)ARRAY_LEN(c->rids)) c->rids[c->n] = rid, c->versions[c->n++] = row;
    return true;
}

static bool max_id(const Table *tb, RowId rid, const Row *row, void *ctx) {
    int64_t *max = ctx, id = schedule_row(tb, rid, row).id;
    if (id > *max) *max = id;
    return true;
}

/* Ids are the largest in use plus one: the table is small, and calls are
 * serial on the engine thread. */
static int64_t next_id(Table *tb, Txn *t) {
    int64_t max = 0;
    scan_schedules(tb, t, max_id, &max);
    return max + 1;
}

static Table *schedules(Jit *jit, Txn *t, Error *err) {
    Table *tb = storage_table_lookup(jit->storage, t, SCHEDULE);
    if (!tb) error_set(err, SQLSTATE_UNDEFINED_TABLE, "the schedule table \"%s\" is missing", SCHEDULE);
    return tb;
}

static StorageStatus insert_schedule(Table *tb, Txn *t, int64_t id, const char *module, const char *reducer,
                                     int64_t next_us, int64_t every_ms, Error *err) {
    StorageStatus st = storage_table_lock(tb, t, TLOCK_ROW_EXCLUSIVE);
    if (st != STORAGE_OK) return st;
    Value v[SCH_NCOLS] = {value_int(TYPE_INT8, id), value_string(TYPE_TEXT, module, (uint32_t)strlen(module)),
                          value_string(TYPE_TEXT, reducer, (uint32_t)strlen(reducer)), value_int(TYPE_INT8, next_us),
                          value_int(TYPE_INT8, every_ms)};
    return storage_row_insert(tb, t, v, err);
}

/* Removes the module's schedule rows (only the repeating ones, with
 * every_only). */
static StorageStatus delete_module_rows(Table *tb, Txn *t, const char *module, bool every_only, Error *err) {
    Collect *c = calloc(1, sizeof *c);
    if (!c) abort();
    c->module = module;
    c->every_only = every_only;
    scan_schedules(tb, t, collect, c);
    StorageStatus st = storage_table_lock(tb, t, TLOCK_ROW_EXCLUSIVE);
    for (int i = 0; i < c->n && st == STORAGE_OK; i++) st = storage_row_delete(tb, t, c->rids[i], c->versions[i], err);
    free(c);
    return st;
}

StorageStatus jit__set_schedules(Jit *jit, Txn *t, const JitUnit *u, Error *err) {
    Table *tb = schedules(jit, t, err);
    if (!tb) return STORAGE_ERROR;
    StorageStatus st = delete_module_rows(tb, t, u->name, true, err);
    int64_t now = jit__now_us(), id = next_id(tb, t);
    for (int i = 0; i < u->nevery && st == STORAGE_OK; i++)
        st = insert_schedule(tb, t, id + i, u->name, u->every[i].reducer, now + u->every[i].every_ms * 1000,
                             u->every[i].every_ms, err);
    return st;
}

StorageStatus jit__drop_schedules(Jit *jit, Txn *t, const char *module, Error *err) {
    Table *tb = schedules(jit, t, err);
    return tb ? delete_module_rows(tb, t, module, false, err) : STORAGE_ERROR;
}

void strand_schedule_at(strand_ctx *ctx, const char *reducer, int64_t at_us) {
    jit__enter(ctx, JIT_COPY);
    char name[128];
    snprintf(name, sizeof name, "%s", reducer ? reducer : "");
    jit__enter(ctx, JIT_HOST);
    if (!ctx->txn) strand_error(ctx, "0A000", "strand_schedule_at cannot run while a module declares itself");
    if (!ctx->unit->module || !jit__module_reducer(ctx->unit, name))
        strand_error(ctx, "42883", "strand_schedule_at: module \"%s\" has no reducer \"%s\" without parameters",
                     ctx->unit->name, name);
    Table *tb = schedules(ctx->jit, ctx->txn, ctx->err);
    if (!tb) jit__abort(ctx);
    StorageStatus st = insert_schedule(tb, ctx->txn, next_id(tb, ctx->txn), ctx->unit->name, name, at_us, 0, ctx->err);
    if (st != STORAGE_OK) jit__fail(ctx, st);
    jit__leave(ctx);
}

/* The earliest row due at `now`. */
typedef struct Due {
    int64_t now;
    bool found;
    ScheduleRow row;
} Due;

static bool find_due(const Table *tb, RowId rid, const Row *row, void *ctx) {
    Due *d = ctx;
    ScheduleRow r = schedule_row(tb, rid, row);
    if (r.next_us <= d->now && (!d->found || r.next_us < d->row.next_us)) {
        d->row = r;
        d->found = true;
    }
    return true;
}

static JitUnit *module_named(Jit *jit, Txn *t, const char *name, Arena *arena) {
    JitUnit *units[MAX_MODULES];
    int n = jit__modules(jit, t, arena, units, MAX_MODULES);
    for (int i = 0; i < n; i++)
        if (strcmp(units[i]->name, name) == 0) return units[i];
    return NULL;
}

/* Moves a schedule row on: its next time, or gone if it ran once. */
static StorageStatus advance(Table *tb, Txn *t, const ScheduleRow *r, Value *v, int64_t now_us, Error *err) {
    StorageStatus st = storage_table_lock(tb, t, TLOCK_ROW_EXCLUSIVE);
    if (st != STORAGE_OK) return st;
    if (r->every_ms == 0) return storage_row_delete(tb, t, r->rid, r->version, err);
    int64_t next = r->next_us + r->every_ms * 1000;
    if (next <= now_us) next = now_us + r->every_ms * 1000; /* fell behind: no burst to catch up */
    v[SCH_NEXT] = value_int(TYPE_INT8, next);
    return storage_row_update(tb, t, r->rid, r->version, v, err);
}

/* The row is advanced first, in its own statement, so that a reducer that
 * fails (rolled back to its savepoint, taken after) still moves it on. */
JitDue jit_run_due(Jit *jit, Txn *t, int64_t now_us, Error *err) {
    storage_txn_statement_begin(t);
    Table *tb = storage_table_lookup(jit->storage, t, SCHEDULE);
    Due d = {now_us, false, {0}};
    if (tb) scan_schedules(tb, t, find_due, &d);
    if (!d.found) {
        storage_txn_statement_end(t);
        return JIT_NONE_DUE;
    }
    Arena tmp;
    arena_init(&tmp, 4096);
    Value v[SCH_NCOLS];
    storage_row_decode(tb, d.row.version, v);
    char *module = arena_strndup(&tmp, v[SCH_MODULE].u.s, v[SCH_MODULE].len);
    char *reducer = arena_strndup(&tmp, v[SCH_REDUCER].u.s, v[SCH_REDUCER].len);
    StorageStatus st = advance(tb, t, &d.row, v, now_us, err);
    storage_txn_statement_end(t);
    if (st != STORAGE_OK) {
        arena_deinit(&tmp);
        return st == STORAGE_BUSY ? JIT_BUSY : JIT_FAILED;
    }
    storage_txn_statement_begin(t);
    JitUnit *u = module_named(jit, t, module, &tmp);
    const JitReducer *r = u ? jit__module_reducer(u, reducer) : NULL;
    JitDue outcome = JIT_RAN;
    if (!r) {
        error_set(err, SQLSTATE_UNDEFINED_FUNCTION, "scheduled reducer %s.%s does not exist", module, reducer);
        outcome = JIT_FAILED;
    } else {
        st = jit__invoke(jit, u, r->name, r->entry, NULL, jit->storage, t, &tmp, NULL, NULL, err);
        if (st != STORAGE_OK) outcome = st == STORAGE_BUSY ? JIT_BUSY : JIT_FAILED;
    }
    storage_txn_statement_end(t);
    arena_deinit(&tmp);
    return outcome;
}
