/*
 * catalog.c — where procedures and modules are kept, and the planner's
 * create, drop and lookup callbacks built on it.
 *
 * Procedures are rows of the table strand_proc, created at the first start,
 * so publishing is an ordinary transactional write: logged, kept across
 * restarts, invisible to others until it commits.
 *
 *   strand_proc (
 *     proname     text,  -- a procedure's, reducer's or module's name
 *     proargtypes text,  -- identity: parameter type OIDs, "23,25";
 *                        -- MODULE_KEY for a module's own row
 *     prokind     text,  -- 'p' a procedure or a module's reducer, 'm' a module
 *     proargs     text,  -- parameters, one per line: mode (i, o, b for
 *                        -- INOUT), type OID, a space, the name
 *     prolang     text,  -- 'c'
 *     prosrc      text,  -- the C source (a module's reducers: '')
 *     promodule   text,  -- the module a reducer belongs to, or ''
 *     PRIMARY KEY (proname, proargtypes))
 *
 * A module's reducers get rows of their own, so CALL finds them by name
 * like procedures, and their code through their module's row. Compiled
 * code is found by the text it came from (JitUnit.key), so a transaction
 * that sees an older row version runs that version's code; publishing
 * replaces all of a module's rows in one transaction.
 *
 * INTERFACE (jit-internal): jit__bootstrap_catalog, jit__unit, jit__modules,
 *   jit__create_proc, jit__drop_proc, jit__lookup_proc
 */
#include "jit/jit_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CATALOG "strand_proc"
#define MODULE_KEY "module" /* proargtypes of a module's row: no type list looks like it */
enum { COL_NAME, COL_ARGTYPES, COL_KIND, COL_ARGS, COL_LANG, COL_SRC, COL_MODULE, NCOLS };
#define MAX_ROWS 256 /* rows of one name considered */

/* ---- the table ------------------------------------------------------------------------- */

bool jit__bootstrap_catalog(Jit *jit, Txn *t, Error *err) {
    if (storage_table_lookup(jit->storage, t, CATALOG)) return true;
    static const char *const names[NCOLS] = {"proname", "proargtypes", "prokind",  "proargs",
                                             "prolang", "prosrc",      "promodule"};
    ColumnDesc cols[NCOLS];
    for (int i = 0; i < NCOLS; i++) cols[i] = (ColumnDesc){(char *)names[i], TYPE_TEXT, -1, true};
    int pkey[] = {COL_NAME, COL_ARGTYPES};
    TableDesc d = {CATALOG, NCOLS, cols, 2, pkey, CATALOG "_pkey"};
    return storage_table_create(jit->storage, t, &d, NULL, err);
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
    const char *name, *argtypes, *kind, *args, *src, *module;
} ProcRow;

static const char *text_of(const Table *tb, const Row *row, int col, Arena *arena) {
    Value v = storage_row_get(tb, row, col);
    return v.isnull ? "" : arena_strndup(arena, v.u.s, v.len);
}

static ProcRow proc_row(const Table *tb, RowId rid, const Row *row, Arena *arena) {
    return (ProcRow){rid,
                     row,
                     text_of(tb, row, COL_NAME, arena),
                     text_of(tb, row, COL_ARGTYPES, arena),
                     text_of(tb, row, COL_KIND, arena),
                     text_of(tb, row, COL_ARGS, arena),
                     text_of(tb, row, COL_SRC, arena),
                     text_of(tb, row, COL_MODULE, arena)};
}

static bool is_module_row(const ProcRow *r) { return strcmp(r->argtypes, MODULE_KEY) == 0; }

/* The rows named `name` that t sees, up to max; returns how many there are. */
static int rows_named(Table *tb, Txn *t, const char *name, Arena *arena, ProcRow *out, int max) {
    Value key = value_string(TYPE_TEXT, name, (uint32_t)strlen(name));
    IndexBound b = {&key, 1, true};
    IndexScan scan;
    storage_index_scan_begin(storage_table_index(tb, t, 0), t, &b, &b, false, &scan);
    int n = 0;
    RowId rid;
    Error err = {0};
    for (const Row *row; (row = storage_index_scan_next(&scan, &rid, &err)); n++)
        if (n < max) out[n] = proc_row(tb, rid, row, arena);
    return n;
}

/* Every row t sees for which keep(row, ctx) holds, up to max. */
static int rows_where(Table *tb, Txn *t, bool (*keep)(const ProcRow *r, const void *ctx), const void *ctx, Arena *arena,
                      ProcRow *out, int max) {
    TableScan scan;
    storage_scan_begin(tb, t, &scan);
    RowId rid;
    Error err = {0};
    int n = 0;
    for (const Row *row; (row = storage_scan_next(&scan, &rid, &err));) {
        ProcRow r = proc_row(tb, rid, row, arena);
        if (keep(&r, ctx) && n < max) out[n++] = r;
    }
    return n;
}

static bool module_row(Table *tb, Txn *t, const char *name, Arena *arena, ProcRow *out) {
    ProcRow rows[MAX_ROWS];
    int n = rows_named(tb, t, name, arena, rows, MAX_ROWS);
    for (int i = 0; i < n && i < MAX_ROWS; i++)
        if (is_module_row(&rows[i])) return *out = rows[i], true;
    return false;
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

/* ---- compiled units ------------------------------------------------------------------------ */

JitUnit *jit__unit(Jit *jit, const char *name, const PlannerProcParam *params, int nparams, const char *body,
                   Error *err) {
    StrBuf key, types;
    strbuf_init(&key);
    strbuf_init(&types);
    strbuf_appendf(&key, "procedure\n%s\n", name);
    encode_args(params, nparams, &key, &types);
    strbuf_appendf(&key, "\n%s", body);
    JitUnit *u = strmap_get(&jit->units, key.data);
    if (!u && (u = jit__compile(key.data, name, params, nparams, body, jit->include_dir, err)))
        strmap_put(&jit->units, u->key, u);
    strbuf_deinit(&key);
    strbuf_deinit(&types);
    return u;
}

static JitUnit *module_unit(Jit *jit, const char *name, const char *source, Error *err) {
    StrBuf key;
    strbuf_init(&key);
    strbuf_appendf(&key, "module\n%s\n%s", name, source);
    JitUnit *u = strmap_get(&jit->units, key.data);
    if (!u && (u = jit__compile_module(jit, key.data, name, source, err))) strmap_put(&jit->units, u->key, u);
    strbuf_deinit(&key);
    return u;
}

static bool any_module(const ProcRow *r, const void *ctx) {
    (void)ctx;
    return is_module_row(r);
}

int jit__modules(Jit *jit, Txn *t, Arena *arena, JitUnit **out, int max) {
    Table *tb = storage_table_lookup(jit->storage, t, CATALOG);
    if (!tb) return 0;
    ProcRow rows[MAX_ROWS];
    int n = rows_where(tb, t, any_module, NULL, arena, rows, MAX_ROWS), k = 0;
    for (int i = 0; i < n && k < max; i++) {
        Error err = {0};
        JitUnit *u = module_unit(jit, rows[i].name, rows[i].src, &err);
        if (u)
            out[k++] = u;
        else
            log_warn("module %s does not compile: %s", rows[i].name, err.message);
    }
    return k;
}

/* ---- writing rows ------------------------------------------------------------------------- */

static StorageStatus write_row(Table *tb, Txn *t, const ProcRow *old, const char *const *cols, Error *err) {
    StorageStatus st = storage_table_lock(tb, t, TLOCK_ROW_EXCLUSIVE);
    if (st != STORAGE_OK) return st;
    Value v[NCOLS];
    for (int i = 0; i < NCOLS; i++) v[i] = value_string(TYPE_TEXT, cols[i], (uint32_t)strlen(cols[i]));
    st = old ? storage_row_update(tb, t, old->rid, old->version, v, err) : storage_row_insert(tb, t, v, err);
    if (st == STORAGE_OK) storage_txn_catalog_changed(t);
    return st;
}

static StorageStatus delete_row(Table *tb, Txn *t, const ProcRow *r, Error *err) {
    StorageStatus st = storage_table_lock(tb, t, TLOCK_ROW_EXCLUSIVE);
    if (st == STORAGE_OK && (st = storage_row_delete(tb, t, r->rid, r->version, err)) == STORAGE_OK)
        storage_txn_catalog_changed(t);
    return st;
}

/* The row of `name` with exactly these identity types, or NULL. */
static const ProcRow *same_identity(const ProcRow *rows, int n, const char *types) {
    for (int i = 0; i < n && i < MAX_ROWS; i++)
        if (strcmp(rows[i].argtypes, types) == 0) return &rows[i];
    return NULL;
}

static StorageStatus already_exists(const ProcRow *old, Error *err) {
    error_set(err, SQLSTATE_DUPLICATE_FUNCTION, "procedure \"%s\" already exists with same argument types", old->name);
    if (old->module[0]) error_detail(err, "It is a reducer of module \"%s\".", old->module);
    return STORAGE_ERROR;
}

static bool check_superuser(Jit *jit, void *who, Error *err) {
    JitCaller caller;
    jit__caller(jit, who, &caller);
    if (caller.superuser) return true;
    error_set(err, SQLSTATE_INSUFFICIENT_PRIVILEGE, "permission denied for language c");
    error_hint(err, "Only superusers can create procedures and modules in LANGUAGE c.");
    return false;
}

static StorageStatus create_procedure(Jit *jit, Table *tb, Txn *t, const PlannerProcDef *def, Arena *tmp, Error *err) {
    for (int i = 0; i < def->nparams; i++)
        if (def->params[i].name && strchr(def->params[i].name, '\n')) {
            error_set(err, SQLSTATE_INVALID_FUNCTION_DEFINITION, "parameter names may not contain newlines");
            return STORAGE_ERROR;
        }
    if (!jit__unit(jit, def->name, def->params, def->nparams, def->body, err)) return STORAGE_ERROR;
    StrBuf args, types;
    strbuf_init(&args);
    strbuf_init(&types);
    encode_args(def->params, def->nparams, &args, &types);
    ProcRow rows[MAX_ROWS];
    int n = rows_named(tb, t, def->name, tmp, rows, MAX_ROWS);
    const ProcRow *old = same_identity(rows, n, types.data);
    StorageStatus st;
    if (old && (!def->or_replace || old->module[0])) {
        st = already_exists(old, err);
    } else {
        const char *cols[NCOLS] = {def->name, types.data, "p", args.data, "c", def->body, ""};
        st = write_row(tb, t, old, cols, err);
    }
    strbuf_deinit(&args);
    strbuf_deinit(&types);
    return st;
}

typedef struct ModuleName {
    const char *name;
} ModuleName;

static bool in_module(const ProcRow *r, const void *ctx) {
    return strcmp(r->module, ((const ModuleName *)ctx)->name) == 0;
}

/* The rows of module `name`'s reducers, up to max. */
static int reducer_rows(Table *tb, Txn *t, const char *name, Arena *tmp, ProcRow *out, int max) {
    ModuleName m = {name};
    return rows_where(tb, t, in_module, &m, tmp, out, max);
}

static StorageStatus drop_reducer_rows(Table *tb, Txn *t, const char *name, Arena *tmp, Error *err) {
    ProcRow rows[MAX_ROWS];
    int n = reducer_rows(tb, t, name, tmp, rows, MAX_ROWS);
    StorageStatus st = STORAGE_OK;
    for (int i = 0; i < n && st == STORAGE_OK; i++) st = delete_row(tb, t, &rows[i], err);
    return st;
}

/* The module's reducer rows made to match u's reducers: a reducer it had
 * before keeps its row (updated), a new one gets a row unless another
 * procedure has its name and types (42723), and one it no longer declares
 * loses its row. */
static StorageStatus replace_reducer_rows(Table *tb, Txn *t, const JitUnit *u, Arena *tmp, Error *err) {
    ProcRow old[MAX_ROWS];
    int nold = reducer_rows(tb, t, u->name, tmp, old, MAX_ROWS);
    bool kept[MAX_ROWS] = {false};
    StorageStatus st = STORAGE_OK;
    for (int i = 0; i < u->nreducers && st == STORAGE_OK; i++) {
        const JitReducer *r = &u->reducers[i];
        StrBuf args, types;
        strbuf_init(&args);
        strbuf_init(&types);
        encode_args(r->params, r->nparams, &args, &types);
        const ProcRow *mine = NULL;
        for (int j = 0; j < nold && !mine; j++)
            if (strcmp(old[j].name, r->name) == 0 && strcmp(old[j].argtypes, types.data) == 0)
                mine = &old[j], kept[j] = true;
        const char *cols[NCOLS] = {r->name, types.data, "p", args.data, "c", "", u->name};
        if (!mine) {
            ProcRow rows[MAX_ROWS];
            const ProcRow *other = same_identity(rows, rows_named(tb, t, r->name, tmp, rows, MAX_ROWS), types.data);
            if (other) st = already_exists(other, err);
        }
        if (st == STORAGE_OK) st = write_row(tb, t, mine, cols, err);
        strbuf_deinit(&args);
        strbuf_deinit(&types);
    }
    for (int j = 0; j < nold && st == STORAGE_OK; j++)
        if (!kept[j]) st = delete_row(tb, t, &old[j], err);
    return st;
}

/* CREATE [OR REPLACE] MODULE: compiled first (a failure writes nothing),
 * then its rows replaced as one change, its repeating schedules set, and on
 * its first publish its init hook run in the same transaction. */
static StorageStatus create_module(Jit *jit, Table *tb, Txn *t, const PlannerProcDef *def, void *who, Arena *tmp,
                                   Error *err) {
    JitUnit *u = module_unit(jit, def->name, def->body, err);
    if (!u) return STORAGE_ERROR;
    ProcRow old;
    bool exists = module_row(tb, t, def->name, tmp, &old);
    if (exists && !def->or_replace) {
        error_set(err, SQLSTATE_DUPLICATE_OBJECT, "module \"%s\" already exists", def->name);
        return STORAGE_ERROR;
    }
    const char *cols[NCOLS] = {def->name, MODULE_KEY, "m", "", "c", def->body, ""};
    StorageStatus st = write_row(tb, t, exists ? &old : NULL, cols, err);
    if (st == STORAGE_OK) st = replace_reducer_rows(tb, t, u, tmp, err);
    if (st == STORAGE_OK) st = jit__set_schedules(jit, t, u, err);
    if (st == STORAGE_OK && !exists && u->init) st = jit__invoke_hook(jit, u, u->init, "init", t, who, err);
    return st;
}

StorageStatus jit__create_proc(void *ctx, Storage *s, Txn *t, const PlannerProcDef *def, void *who, Error *err) {
    Jit *jit = ctx;
    (void)s;
    if (!check_superuser(jit, who, err)) return STORAGE_ERROR;
    Table *tb = catalog(jit, t, err);
    if (!tb) return STORAGE_ERROR;
    Arena tmp;
    arena_init(&tmp, 4096);
    StorageStatus st =
        def->module ? create_module(jit, tb, t, def, who, &tmp, err) : create_procedure(jit, tb, t, def, &tmp, err);
    arena_deinit(&tmp);
    return st;
}

/* ---- DROP --------------------------------------------------------------------------------- */

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

static StorageStatus drop_module(Jit *jit, Table *tb, Txn *t, const char *name, bool *found, Arena *tmp, Error *err) {
    ProcRow row;
    if (!(*found = module_row(tb, t, name, tmp, &row))) return STORAGE_OK;
    StorageStatus st = drop_reducer_rows(tb, t, name, tmp, err);
    if (st == STORAGE_OK) st = delete_row(tb, t, &row, err);
    if (st == STORAGE_OK) st = jit__drop_schedules(jit, t, name, err);
    return st;
}

static StorageStatus drop_procedure(Table *tb, Txn *t, const char *name, const TypeId *types, int ntypes, bool *found,
                                    Arena *tmp, Error *err) {
    ProcRow rows[MAX_ROWS];
    int n = rows_named(tb, t, name, tmp, rows, MAX_ROWS), match = -1, matches = 0;
    for (int i = 0; i < n && i < MAX_ROWS; i++)
        if (!is_module_row(&rows[i]) && (ntypes < 0 || same_types(&rows[i], tmp, types, ntypes))) match = i, matches++;
    if (matches > 1) {
        error_set(err, SQLSTATE_AMBIGUOUS_FUNCTION, "procedure name \"%s\" is not unique", name);
        error_hint(err, "Specify the argument list to select the procedure unambiguously.");
        return STORAGE_ERROR;
    }
    if (!(*found = matches == 1)) return STORAGE_OK;
    if (rows[match].module[0]) {
        error_set(err, SQLSTATE_DEPENDENT_OBJECTS_STILL_EXIST,
                  "cannot drop procedure %s because it is a reducer of module \"%s\"", name, rows[match].module);
        error_hint(err, "Publish the module without it, or drop the module.");
        return STORAGE_ERROR;
    }
    return delete_row(tb, t, &rows[match], err);
}

StorageStatus jit__drop_proc(void *ctx, Storage *s, Txn *t, const char *name, bool module, const TypeId *types,
                             int ntypes, bool *found, Error *err) {
    Jit *jit = ctx;
    (void)s;
    *found = false;
    Table *tb = catalog(jit, t, err);
    if (!tb) return STORAGE_ERROR;
    Arena tmp;
    arena_init(&tmp, 1024);
    StorageStatus st = module ? drop_module(jit, tb, t, name, found, &tmp, err)
                              : drop_procedure(tb, t, name, types, ntypes, found, &tmp, err);
    arena_deinit(&tmp);
    return st;
}

/* ---- lookup -------------------------------------------------------------------------------- */

/* The code of a row: a procedure's own unit, or its module's reducer. */
static void resolve(Jit *jit, Table *tb, Txn *t, const ProcRow *r, const PlannerProcParam *params, int np, Arena *arena,
                    ProcHandle *h) {
    if (!r->module[0]) {
        h->unit = jit__unit(jit, r->name, params, np, r->src, &h->error);
        h->reducer = 0;
        return;
    }
    ProcRow m;
    if (!module_row(tb, t, r->module, arena, &m)) {
        error_set(&h->error, SQLSTATE_UNDEFINED_FUNCTION, "module \"%s\" of procedure \"%s\" is missing", r->module,
                  r->name);
        return;
    }
    JitUnit *u = module_unit(jit, m.name, m.src, &h->error);
    for (int i = 0; u && i < u->nreducers; i++) {
        const JitReducer *red = &u->reducers[i];
        bool same = strcmp(red->name, r->name) == 0 && red->nparams == np;
        for (int j = 0; same && j < np; j++) same = red->params[j].type == params[j].type;
        if (same) {
            h->unit = u;
            h->reducer = i;
            return;
        }
    }
    if (u)
        error_set(&h->error, SQLSTATE_UNDEFINED_FUNCTION, "module \"%s\" does not declare procedure \"%s\"", m.name,
                  r->name);
}

int jit__lookup_proc(void *ctx, Storage *s, Txn *t, const char *name, Arena *arena, PlannerProc *out, int max) {
    Jit *jit = ctx;
    (void)s;
    Table *tb = storage_table_lookup(jit->storage, t, CATALOG);
    if (!tb) return 0;
    ProcRow rows[MAX_ROWS];
    int n = rows_named(tb, t, name, arena, rows, MAX_ROWS), k = 0;
    for (int i = 0; i < n && i < MAX_ROWS && k < max; i++) {
        if (is_module_row(&rows[i])) continue; /* a module is not callable */
        PlannerProcParam *params;
        int np = decode_args(rows[i].args, arena, &params);
        /* A row whose code does not compile (changed by hand, or by a
         * newer strand.h) is still found: calling it says why it fails. */
        ProcHandle *h = arena_zalloc(arena, sizeof *h);
        resolve(jit, tb, t, &rows[i], params, np, arena, h);
        out[k++] = (PlannerProc){rows[i].name, params, np, h};
    }
    return k;
}

/* ---- at start ------------------------------------------------------------------------------ */

static bool any_code(const ProcRow *r, const void *ctx) {
    (void)ctx;
    return !r->module[0];
}

int jit__compile_all(Jit *jit, Txn *t) {
    Table *tb = storage_table_lookup(jit->storage, t, CATALOG);
    if (!tb) return 0;
    Arena tmp;
    arena_init(&tmp, 4096);
    ProcRow rows[MAX_ROWS * 4];
    int n = rows_where(tb, t, any_code, NULL, &tmp, rows, (int)ARRAY_LEN(rows)), failed = 0;
    for (int i = 0; i < n; i++) {
        Error err = {0};
        bool ok;
        if (is_module_row(&rows[i])) {
            ok = module_unit(jit, rows[i].name, rows[i].src, &err) != NULL;
        } else {
            PlannerProcParam *params;
            int np = decode_args(rows[i].args, &tmp, &params);
            ok = jit__unit(jit, rows[i].name, params, np, rows[i].src, &err) != NULL;
        }
        if (!ok) {
            log_warn("%s %s does not compile: %s", is_module_row(&rows[i]) ? "module" : "procedure", rows[i].name,
                     err.message);
            failed++;
        }
    }
    if (n)
        log_info("compiled %d procedure%s and module%s (%d failed)", n, n == 1 ? "" : "s", n == 1 ? "" : "s", failed);
    arena_deinit(&tmp);
    return failed;
}
