/*
 * catalog.c — where procedures are kept, and the planner's procedure
 * callbacks (planner.h) built on it.
 *
 * A procedure is a row of the table strand_proc, created at the first
 * start, so publishing one is an ordinary transactional write: it is
 * logged, survives restarts, and is invisible to others until it commits.
 *
 *   strand_proc (
 *     proname     text,  -- the procedure's name
 *     proargtypes text,  -- its identity: parameter type OIDs, "23,25"
 *     prokind     text,  -- 'p' procedure
 *     proargs     text,  -- its parameters, one per line: mode (i, o, b
 *                        -- for INOUT), type OID, a space, the name
 *     prolang     text,  -- 'c'
 *     prosrc      text,  -- the body as written
 *     PRIMARY KEY (proname, proargtypes))
 *
 * Compiled code is found by the text it came from (JitUnit.key), so a
 * transaction that sees an older row version runs that version's code.
 *
 * INTERFACE: jit_create, jit_destroy, jit_bootstrap, jit_load
 * INTERFACE (jit-internal): jit__unit
 */
#include "jit/jit_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CATALOG "strand_proc"
enum { COL_NAME, COL_ARGTYPES, COL_KIND, COL_ARGS, COL_LANG, COL_SRC, NCOLS };

extern const char jit__strand_h[]; /* strand.h, embedded at build time */

/* ---- the table ------------------------------------------------------------------------- */

bool jit_bootstrap(Jit *jit, Txn *t, Error *err) {
    storage_txn_statement_begin(t);
    bool found = storage_table_lookup(jit->storage, t, CATALOG) != NULL;
    storage_txn_statement_end(t);
    if (found) return true;
    static const char *const names[NCOLS] = {"proname", "proargtypes", "prokind", "proargs", "prolang", "prosrc"};
    ColumnDesc cols[NCOLS];
    for (int i = 0; i < NCOLS; i++) cols[i] = (ColumnDesc){(char *)names[i], TYPE_TEXT, -1, true};
    int pkey[] = {COL_NAME, COL_ARGTYPES};
    TableDesc d = {CATALOG, NCOLS, cols, 2, pkey, CATALOG "_pkey"};
    storage_txn_statement_begin(t);
    bool ok = storage_table_create(jit->storage, t, &d, NULL, err);
    storage_txn_statement_end(t);
    return ok;
}

static Table *catalog(Jit *jit, Txn *t, Error *err) {
    Table *tb = storage_table_lookup(jit->storage, t, CATALOG);
    if (!tb) error_set(err, SQLSTATE_UNDEFINED_TABLE, "the procedure catalog \"%s\" is missing", CATALOG);
    return tb;
}

/* A row of strand_proc, its strings copied to an arena. */
typedef struct ProcRow {
    RowId rid;
    const Row *version;
    const char *name, *argtypes, *args, *src;
} ProcRow;

static const char *text_of(const Table *tb, const Row *row, int col, Arena *arena) {
    Value v = storage_row_get(tb, row, col);
    return v.isnull ? "" : arena_strndup(arena, v.u.s, v.len);
}

/* The rows named `name` that t sees, up to max; returns how many there are. */
static int rows_named(Table *tb, Txn *t, const char *name, Arena *arena, ProcRow *out, int max) {
    Value key = value_string(TYPE_TEXT, name, (uint32_t)strlen(name));
    IndexBound b = {&key, 1, true};
    IndexScan scan;
    storage_index_scan_begin(storage_table_index(tb, t, 0), t, &b, &b, false, &scan);
    int n = 0;
    RowId rid;
    Error err = {0};
    for (const Row *row; (row = storage_index_scan_next(&scan, &rid, &err)); n++) {
        if (n >= max) continue;
        out[n] = (ProcRow){rid,
                           row,
                           text_of(tb, row, COL_NAME, arena),
                           text_of(tb, row, COL_ARGTYPES, arena),
                           text_of(tb, row, COL_ARGS, arena),
                           text_of(tb, row, COL_SRC, arena)};
    }
    return n;
}

/* ---- signatures ------------------------------------------------------------------------- */

static char mode_char(SqlParamMode m) { return m == SQL_PARAM_OUT ? 'o' : m == SQL_PARAM_INOUT ? 'b' : 'i'; }

static void encode_args(const PlannerProcParam *params, int n, StrBuf *args, StrBuf *types) {
    for (int i = 0; i < n; i++) {
        strbuf_appendf(args, "%s%c%u %s", i ? "\n" : "", mode_char(params[i].mode), (unsigned)params[i].type,
                       params[i].name ? params[i].name : "");
        strbuf_appendf(types, "%s%u", i ? "," : "", (unsigned)params[i].type);
    }
}

static int decode_args(const char *s, Arena *arena, PlannerProcParam **out) {
    int n = *s ? 1 : 0;
    for (const char *p = s; *p; p++) n += *p == '\n';
    PlannerProcParam *params = arena_zalloc(arena, (size_t)(n ? n : 1) * sizeof *params);
    for (int i = 0; i < n; i++) {
        const char *end = strchr(s, '\n');
        size_t len = end ? (size_t)(end - s) : strlen(s);
        params[i].mode = s[0] == 'o' ? SQL_PARAM_OUT : s[0] == 'b' ? SQL_PARAM_INOUT : SQL_PARAM_IN;
        char *sp;
        params[i].type = (TypeId)strtoul(s + 1, &sp, 10);
        if (*sp == ' ' && (size_t)(sp + 1 - s) < len)
            params[i].name = arena_strndup(arena, sp + 1, len - (size_t)(sp + 1 - s));
        s += len + (end ? 1 : 0);
    }
    *out = params;
    return n;
}

/* The key a unit is found by: everything the code depends on. */
static char *unit_key(Arena *arena, const char *name, const char *args, const char *src) {
    return arena_sprintf(arena, "%s\n%s\n%s", name, args, src);
}

JitUnit *jit__unit(Jit *jit, const char *name, const PlannerProcParam *params, int nparams, const char *body,
                   Error *err) {
    Arena tmp;
    arena_init(&tmp, 1024);
    StrBuf args, types;
    strbuf_init(&args);
    strbuf_init(&types);
    encode_args(params, nparams, &args, &types);
    char *key = unit_key(&tmp, name, args.data, body);
    JitUnit *u = strmap_get(&jit->units, key);
    if (!u && (u = jit__compile(key, name, params, nparams, body, jit->include_dir, err)))
        strmap_put(&jit->units, u->key, u);
    strbuf_deinit(&args);
    strbuf_deinit(&types);
    arena_deinit(&tmp);
    return u;
}

/* ---- the planner's callbacks --------------------------------------------------------------- */

/* PlannerProc.handle: the code, or why there is none. */
typedef struct ProcHandle {
    JitUnit *unit;
    Error error;
} ProcHandle;

static void caller_of(Jit *jit, void *who, JitCaller *out) {
    *out = (JitCaller){"postgres", 0, 0, 0, true};
    if (who && jit->config.caller) jit->config.caller(jit->config.ctx, who, out);
}

static bool check_definition(const PlannerProcDef *def, Error *err) {
    for (int i = 0; i < def->nparams; i++)
        if (def->params[i].name && strchr(def->params[i].name, '\n'))
            return error_set(err, SQLSTATE_INVALID_FUNCTION_DEFINITION, "parameter names may not contain newlines");
    return true;
}

static StorageStatus write_row(Table *tb, Txn *t, const ProcRow *old, const char *const *cols, Error *err) {
    StorageStatus st = storage_table_lock(tb, t, TLOCK_ROW_EXCLUSIVE);
    if (st != STORAGE_OK) return st;
    Value v[NCOLS];
    for (int i = 0; i < NCOLS; i++) v[i] = value_string(TYPE_TEXT, cols[i], (uint32_t)strlen(cols[i]));
    st = old ? storage_row_update(tb, t, old->rid, old->version, v, err) : storage_row_insert(tb, t, v, err);
    if (st == STORAGE_OK) storage_txn_catalog_changed(t);
    return st;
}

static StorageStatus create_proc(void *ctx, Storage *s, Txn *t, const PlannerProcDef *def, void *who, Error *err) {
    Jit *jit = ctx;
    (void)s;
    JitCaller caller;
    caller_of(jit, who, &caller);
    if (!caller.superuser) {
        error_set(err, SQLSTATE_INSUFFICIENT_PRIVILEGE, "permission denied for language c");
        error_hint(err, "Only superusers can create procedures in LANGUAGE c.");
        return STORAGE_ERROR;
    }
    if (def->module) {
        error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED, "CREATE MODULE is not supported yet");
        return STORAGE_ERROR;
    }
    Table *tb = catalog(jit, t, err);
    if (!tb || !check_definition(def, err)) return STORAGE_ERROR;
    if (!jit__unit(jit, def->name, def->params, def->nparams, def->body, err)) return STORAGE_ERROR;
    Arena tmp;
    arena_init(&tmp, 1024);
    StrBuf args, types;
    strbuf_init(&args);
    strbuf_init(&types);
    encode_args(def->params, def->nparams, &args, &types);
    ProcRow rows[64], *old = NULL;
    int n = rows_named(tb, t, def->name, &tmp, rows, (int)ARRAY_LEN(rows));
    for (int i = 0; i < n && i < (int)ARRAY_LEN(rows); i++)
        if (strcmp(rows[i].argtypes, types.data) == 0) old = &rows[i];
    StorageStatus st = STORAGE_ERROR;
    if (old && !def->or_replace) {
        error_set(err, SQLSTATE_DUPLICATE_FUNCTION, "procedure \"%s\" already exists with same argument types",
                  def->name);
    } else {
        const char *cols[NCOLS] = {def->name, types.data, "p", args.data, "c", def->body};
        st = write_row(tb, t, old, cols, err);
    }
    strbuf_deinit(&args);
    strbuf_deinit(&types);
    arena_deinit(&tmp);
    return st;
}

/* Whether a row's parameters are types[ntypes]: all of them, or (as
 * PostgreSQL also accepts) only the IN and INOUT ones. */
static bool same_types(const ProcRow *r, Arena *arena, const TypeId *types, int ntypes) {
    PlannerProcParam *params;
    int n = decode_args(r->args, arena, &params);
    bool all = n == ntypes, ins = true;
    int k = 0;
    for (int i = 0; i < n; i++) {
        if (all && params[i].type != types[i]) all = false;
        if (params[i].mode == SQL_PARAM_OUT) continue;
        if (k >= ntypes || params[i].type != types[k]) ins = false;
        k++;
    }
    return all || (ins && k == ntypes);
}

static StorageStatus drop_proc(void *ctx, Storage *s, Txn *t, const char *name, bool module, const TypeId *types,
                               int ntypes, bool *found, Error *err) {
    Jit *jit = ctx;
    (void)s;
    *found = false;
    if (module) return STORAGE_OK; /* no modules yet: none to find */
    Table *tb = catalog(jit, t, err);
    if (!tb) return STORAGE_ERROR;
    Arena tmp;
    arena_init(&tmp, 1024);
    ProcRow rows[64];
    int n = rows_named(tb, t, name, &tmp, rows, (int)ARRAY_LEN(rows)), match = -1, matches = 0;
    for (int i = 0; i < n && i < (int)ARRAY_LEN(rows); i++)
        if (ntypes < 0 || same_types(&rows[i], &tmp, types, ntypes)) match = i, matches++;
    StorageStatus st = STORAGE_OK;
    if (matches > 1) {
        error_set(err, SQLSTATE_AMBIGUOUS_FUNCTION, "procedure name \"%s\" is not unique", name);
        error_hint(err, "Specify the argument list to select the procedure unambiguously.");
        st = STORAGE_ERROR;
    } else if (matches == 1) {
        *found = true;
        if ((st = storage_table_lock(tb, t, TLOCK_ROW_EXCLUSIVE)) == STORAGE_OK &&
            (st = storage_row_delete(tb, t, rows[match].rid, rows[match].version, err)) == STORAGE_OK)
            storage_txn_catalog_changed(t);
    }
    arena_deinit(&tmp);
    return st;
}

static int lookup_proc(void *ctx, Storage *s, Txn *t, const char *name, Arena *arena, PlannerProc *out, int max) {
    Jit *jit = ctx;
    (void)s;
    Table *tb = storage_table_lookup(jit->storage, t, CATALOG);
    if (!tb) return 0;
    ProcRow rows[64];
    int n = rows_named(tb, t, name, arena, rows, (int)ARRAY_LEN(rows));
    if (n > (int)ARRAY_LEN(rows)) n = (int)ARRAY_LEN(rows);
    for (int i = 0; i < n && i < max; i++) {
        PlannerProcParam *params;
        int np = decode_args(rows[i].args, arena, &params);
        /* A row whose code does not compile (changed by hand, or by a
         * newer strand.h) is still found: calling it says why it fails. */
        ProcHandle *h = arena_zalloc(arena, sizeof *h);
        h->unit = jit__unit(jit, rows[i].name, params, np, rows[i].src, &h->error);
        out[i] = (PlannerProc){rows[i].name, params, np, h};
    }
    return n;
}

/* ---- calls ---------------------------------------------------------------------------------- */

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
        if (pp->type == TYPE_BOOL)
            a->u.i = v->u.b;
        else if (pp->type == TYPE_FLOAT8 || pp->type == TYPE_FLOAT4)
            a->u.f = v->u.f;
        else if (strcmp(jit__c_type(pp->type), "const char *") == 0 || pp->type == TYPE_NUMERIC)
            a->u.s = v->u.s, a->len = v->len;
        else
            a->u.i = v->u.i;
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
        default: *v = value_null(t); break;
        }
    }
}

static uint64_t seed(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    static uint64_t calls;
    return ((uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec) ^ (++calls * 0x9E3779B97F4A7C15ull);
}

static StorageStatus call_proc(void *ctx, const PlannerProc *p, Storage *s, Txn *t, const Value *args, Value *outs,
                               Arena *arena, RowSink *sink, Error *err) {
    Jit *jit = ctx;
    const ProcHandle *h = p->handle;
    JitUnit *u = h->unit;
    if (!u) {
        *err = h->error;
        return STORAGE_ERROR;
    }
    strand_value *a = arena_alloc(arena, (size_t)(p->nparams + 1) * sizeof *a);
    if (!marshal_in(p, args, a, err)) return STORAGE_ERROR;
    /* The call's own memory: the planner rewinds the statement's arena
     * between rows, under the feet of what a reducer keeps. */
    Arena nested, *mem = jit->depth++ ? &nested : &jit->call_arena;
    if (mem == &nested) arena_init(&nested, 16384);
    strand_ctx c = {.jit = jit,
                    .unit = u,
                    .proc = p->name,
                    .storage = s,
                    .txn = t,
                    .arena = mem,
                    .scratch = arena,
                    .sink = sink,
                    .rng = seed(),
                    .err = err,
                    .status = STORAGE_OK};
    caller_of(jit, sink ? sink->caller : NULL, &c.caller);
    StorageSavepoint mark = storage_txn_savepoint(t);
    StorageStatus st = jit__run(&c, a);
    if (st != STORAGE_OK)
        storage_txn_rollback_to(t, mark); /* the whole call, not only its last statement */
    else
        marshal_out(p, a, arena, outs); /* copied out of the call's memory */
    if (--jit->depth)
        arena_deinit(&nested);
    else
        arena_reset(&jit->call_arena);
    return st;
}

/* ---- the object ----------------------------------------------------------------------------- */

static bool write_header(Jit *jit, Error *err) {
    char path[600];
    snprintf(path, sizeof path, "%s/strand.h", jit->include_dir);
    FILE *f = fopen(path, "w");
    bool ok = f && fputs(jit__strand_h, f) >= 0;
    if (f && fclose(f) != 0) ok = false;
    if (!ok) return error_set(err, SQLSTATE_IO_ERROR, "could not write \"%s\": %s", path, strerror(errno));
    return true;
}

static bool make_include_dir(Jit *jit, const char *dir, Error *err) {
    if (dir) {
        snprintf(jit->include_dir, sizeof jit->include_dir, "%s", dir);
        if (mkdir(dir, 0700) != 0 && errno != EEXIST)
            return error_set(err, SQLSTATE_IO_ERROR, "could not create directory \"%s\": %m", dir);
        return true;
    }
    const char *tmp = getenv("TMPDIR");
    snprintf(jit->include_dir, sizeof jit->include_dir, "%s/strand-jit.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(jit->include_dir))
        return error_set(err, SQLSTATE_IO_ERROR, "could not create a temporary directory: %s", strerror(errno));
    jit->temp_dir = true;
    return true;
}

Jit *jit_create(Storage *storage, const JitConfig *config, Error *err) {
    Jit *jit = calloc(1, sizeof *jit);
    if (!jit) abort();
    jit->storage = storage;
    jit->config = *config;
    strmap_init(&jit->units);
    arena_init(&jit->call_arena, 16384);
    if (!make_include_dir(jit, config->include_dir, err) || !write_header(jit, err)) {
        jit_destroy(jit);
        return NULL;
    }
    jit->parser = sql_parser_create();
    jit__contain_init();
    planner_set_procedures(&(PlannerProcedures){create_proc, drop_proc, lookup_proc, call_proc, jit});
    return jit;
}

void jit_destroy(Jit *jit) {
    if (!jit) return;
    if (jit->parser) {
        planner_set_procedures(NULL);
        jit__contain_shutdown();
        sql_parser_destroy(jit->parser);
    }
    for (size_t i = 0; i < jit->units.cap; i++)
        if (jit->units.keys && jit->units.keys[i]) jit__unit_free(jit->units.values[i]);
    strmap_deinit(&jit->units);
    arena_deinit(&jit->call_arena);
    if (jit->temp_dir) {
        char path[600];
        snprintf(path, sizeof path, "%s/strand.h", jit->include_dir);
        unlink(path);
        rmdir(jit->include_dir);
    }
    free(jit);
}

int jit_load(Jit *jit, Txn *t) {
    Table *tb = storage_table_lookup(jit->storage, t, CATALOG);
    if (!tb) return 0;
    Arena tmp;
    arena_init(&tmp, 4096);
    TableScan scan;
    storage_scan_begin(tb, t, &scan);
    RowId rid;
    Error err = {0};
    int failed = 0, n = 0;
    for (const Row *row; (row = storage_scan_next(&scan, &rid, &err)); n++) {
        const char *name = text_of(tb, row, COL_NAME, &tmp), *src = text_of(tb, row, COL_SRC, &tmp);
        PlannerProcParam *params;
        int np = decode_args(text_of(tb, row, COL_ARGS, &tmp), &tmp, &params);
        if (!jit__unit(jit, name, params, np, src, &err)) {
            log_warn("procedure %s does not compile: %s", name, err.message);
            failed++;
        }
    }
    if (n) log_info("compiled %d procedure%s (%d failed)", n, n == 1 ? "" : "s", failed);
    arena_deinit(&tmp);
    return failed;
}
