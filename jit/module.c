/*
 * module.c — what a module's strand_module() declares: its reducers (each
 * with an SQL signature, parsed as CREATE PROCEDURE would parse it), its
 * lifecycle hooks and its repeating schedules.
 *
 * strand_module() runs inside the fault boundary with a context that has
 * no transaction: it may only declare (strand_exec fails there).
 * Declaration errors are collected and reported, the first one, when it
 * returns: 42P13 for a bad signature, a duplicate reducer, a schedule of a
 * reducer that is not declared or takes parameters.
 *
 * INTERFACE: strand_declare_reducer, strand_on_init, strand_on_connect,
 *   strand_on_disconnect, strand_schedule_every (strand.h)
 * INTERFACE (jit-internal): jit__declare
 */
#include "jit/jit_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct strand_module_def {
    Jit *jit;
    JitUnit *unit;
    strand_ctx *ctx;
    Error err; /* the first declaration error */
};

static void declaration_error(strand_module_def *m, const char *fmt, ...) PRINTF_LIKE(2, 3);
static void declaration_error(strand_module_def *m, const char *fmt, ...) {
    if (m->err.set) return;
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    error_set(&m->err, SQLSTATE_INVALID_FUNCTION_DEFINITION, "module \"%s\": %s", m->unit->name, msg);
}

static bool same_signature(const JitReducer *r, const char *name, const PlannerProcParam *p, int n) {
    if (strcmp(r->name, name) != 0 || r->nparams != n) return false;
    for (int i = 0; i < n; i++)
        if (r->params[i].type != p[i].type) return false;
    return true;
}

/* "name(params)" -> name and parameters, as CREATE PROCEDURE reads them. */
static bool parse_signature(strand_module_def *m, const char *sig, Arena *arena, const char **name,
                            PlannerProcParam **params, int *nparams) {
    char *text = arena_sprintf(arena, "CREATE PROCEDURE %s LANGUAGE c AS ''", sig);
    StmtList list;
    Error err = {0};
    if (!sql_parse(m->jit->parser, text, strlen(text), arena, &list, &err) || list.n != 1 ||
        list.items[0]->kind != STMT_CREATE_PROCEDURE) {
        declaration_error(m, "reducer signature \"%s\" is not valid: %s", sig,
                          err.set ? err.message : "not a name(params)");
        return false;
    }
    const CreateProcedureStmt *c = &list.items[0]->u.create_proc;
    PlannerProcParam *p = arena_zalloc(arena, (size_t)(c->nparams + 1) * sizeof *p);
    for (int i = 0; i < c->nparams; i++) {
        const TypeInfo *ti = type_by_name(c->params[i].type.name);
        if (!ti || ti->id == TYPE_UNKNOWN) {
            declaration_error(m, "reducer \"%s\": type \"%s\" does not exist", c->name, c->params[i].type.name);
            return false;
        }
        p[i] = (PlannerProcParam){c->params[i].name, c->params[i].mode, ti->id};
    }
    *name = c->name;
    *params = p;
    *nparams = c->nparams;
    return true;
}

void strand_declare_reducer(strand_module_def *m, const char *signature, void *fn) {
    jit__enter(m->ctx, JIT_COPY);
    Arena tmp;
    arena_init(&tmp, 1024);
    char *sig = arena_strdup(&tmp, signature ? signature : "");
    jit__enter(m->ctx, JIT_HOST);
    const char *name;
    PlannerProcParam *params;
    int n;
    JitUnit *u = m->unit;
    if (!fn) {
        declaration_error(m, "reducer \"%s\" has no C function", sig);
    } else if (parse_signature(m, sig, &tmp, &name, &params, &n)) {
        bool dup = false;
        for (int i = 0; i < u->nreducers; i++) dup |= same_signature(&u->reducers[i], name, params, n);
        if (dup) {
            declaration_error(m, "reducer \"%s\" is declared twice with the same parameter types", name);
        } else {
            if (u->nreducers == u->capreducers) {
                u->capreducers = u->capreducers ? u->capreducers * 2 : 8;
                if (!(u->reducers = realloc(u->reducers, (size_t)u->capreducers * sizeof *u->reducers))) abort();
            }
            JitReducer *r = &u->reducers[u->nreducers++];
            memset(r, 0, sizeof *r);
            jit__set_reducer(r, name, params, n);
            r->fn = fn;
        }
    }
    arena_deinit(&tmp);
    jit__leave(m->ctx);
}

void strand_on_init(strand_module_def *m, strand_hook fn) { m->unit->init = (JitHook)fn; }
void strand_on_connect(strand_module_def *m, strand_hook fn) { m->unit->connected = (JitHook)fn; }
void strand_on_disconnect(strand_module_def *m, strand_hook fn) { m->unit->disconnected = (JitHook)fn; }

void strand_schedule_every(strand_module_def *m, const char *reducer, int64_t every_ms) {
    jit__enter(m->ctx, JIT_COPY);
    size_t len = reducer ? strlen(reducer) : 0;
    char *name = malloc(len + 1);
    if (!name) abort();
    memcpy(name, reducer ? reducer : "", len + 1);
    jit__enter(m->ctx, JIT_HOST);
    JitUnit *u = m->unit;
    if (every_ms <= 0) declaration_error(m, "schedule of \"%s\": the interval must be positive", name);
    if (u->nevery == u->capevery) {
        u->capevery = u->capevery ? u->capevery * 2 : 4;
        if (!(u->every = realloc(u->every, (size_t)u->capevery * sizeof *u->every))) abort();
    }
    u->every[u->nevery++] = (JitEvery){name, every_ms};
    jit__leave(m->ctx);
}

/* A scheduled reducer must exist and take no parameters. */
static void check_schedules(strand_module_def *m) {
    JitUnit *u = m->unit;
    for (int i = 0; i < u->nevery; i++) {
        const JitReducer *r = jit__module_reducer(u, u->every[i].reducer);
        if (!r) declaration_error(m, "scheduled reducer \"%s\" is not declared", u->every[i].reducer);
    }
}

const JitReducer *jit__module_reducer(const JitUnit *u, const char *name) {
    for (int i = 0; i < u->nreducers; i++)
        if (strcmp(u->reducers[i].name, name) == 0 && u->reducers[i].nparams == 0) return &u->reducers[i];
    return NULL;
}

static void run_declare(strand_ctx *ctx, strand_value *args) {
    (void)args;
    ctx->declare(ctx->declaring);
}

bool jit__declare(Jit *jit, JitUnit *u, void (*declare)(strand_module_def *m), Error *err) {
    strand_module_def m = {jit, u, NULL, {0}};
    Arena arena;
    arena_init(&arena, 1024);
    strand_ctx ctx = {.jit = jit,
                      .unit = u,
                      .proc = u->name,
                      .arena = &arena,
                      .scratch = &arena,
                      .err = err,
                      .status = STORAGE_OK,
                      .declare = declare,
                      .declaring = &m};
    ctx.caller.timeout_ms = 5000; /* declaring is quick; a loop in it must not hang a publish */
    m.ctx = &ctx;
    StorageStatus st = jit__run(&ctx, run_declare, NULL);
    arena_deinit(&arena);
    if (st != STORAGE_OK) return false;
    check_schedules(&m);
    if (m.err.set) {
        *err = m.err;
        return false;
    }
    return true;
}
