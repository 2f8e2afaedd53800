/*
 * proc.c — CREATE [OR REPLACE] PROCEDURE / MODULE, DROP PROCEDURE / MODULE
 * and CALL. The planner gives them what it owns, types and argument
 * binding, and leaves the rest to the procedure callbacks (planner.h) the
 * layer above registers: keeping procedures, compiling and running them.
 *
 * CALL chooses among the procedures of its name as PostgreSQL does for
 * procedures (parse_func.c, simplified to strand's casts): every parameter,
 * OUT ones included since PostgreSQL 14, takes one argument; a candidate
 * fits if each argument casts implicitly to its parameter's type; of
 * several, the one with the most exact matches wins, and a tie is 42725.
 *
 * INTERFACE (planner-internal): planner__bind_procedure,
 *   planner__execute_procedure
 * INTERFACE: planner_set_procedures
 */
#include "planner/planner_int.h"

#include <string.h>

static PlannerProcedures procedures;

void planner_set_procedures(const PlannerProcedures *procs) {
    if (procs)
        procedures = *procs;
    else
        memset(&procedures, 0, sizeof procedures);
}

#define fail_at planner__fail_at
#define MAX_CANDIDATES 64

static const char *type_name(TypeId t) { return type_info(t)->sql_name; }

static Plan *new_plan(Binder *b, PlanKind kind) {
    Plan *p = arena_zalloc(b->arena, sizeof *p);
    p->kind = kind;
    return p;
}

static bool check_registered(Binder *b, int pos) {
    if (procedures.lookup) return true;
    fail_at(b, pos, SQLSTATE_FEATURE_NOT_SUPPORTED, "procedures are not available");
    return false;
}

/* ---- CREATE PROCEDURE ---------------------------------------------------------------------- */

static bool bind_params(Binder *b, const ProcParam *in, int n, PlannerProcParam **out) {
    PlannerProcParam *params = arena_zalloc(b->arena, (size_t)(n ? n : 1) * sizeof *params);
    for (int i = 0; i < n; i++) {
        int32_t typmod;
        if (!planner__resolve_type(b, &in[i].type, &params[i].type, &typmod)) return false;
        params[i].name = in[i].name;
        params[i].mode = in[i].mode;
        for (int j = 0; in[i].name && j < i; j++)
            if (in[j].name && strcmp(in[j].name, in[i].name) == 0)
                return fail_at(b, -1, SQLSTATE_INVALID_FUNCTION_DEFINITION, "parameter name \"%s\" used more than once",
                               in[i].name);
        if (in[i].dflt)
            return fail_at(b, in[i].dflt->pos, SQLSTATE_FEATURE_NOT_SUPPORTED,
                           "parameter defaults are not supported yet");
    }
    *out = params;
    return true;
}

static Plan *bind_create(Binder *b, const CreateProcedureStmt *s) {
    if (!check_registered(b, s->name_pos)) return NULL;
    if (!s->language) return fail_at(b, -1, SQLSTATE_INVALID_FUNCTION_DEFINITION, "no language specified");
    if (!s->body) return fail_at(b, -1, SQLSTATE_INVALID_FUNCTION_DEFINITION, "no function body specified");
    if (strcmp(s->language, "c") != 0) {
        if (strcmp(s->language, "sql") == 0 || strcmp(s->language, "plpgsql") == 0)
            return fail_at(b, s->language_pos, SQLSTATE_FEATURE_NOT_SUPPORTED,
                           "LANGUAGE %s is not supported: strand's procedures are written in C (LANGUAGE c)",
                           s->language);
        fail_at(b, s->language_pos, SQLSTATE_UNDEFINED_OBJECT, "language \"%s\" does not exist", s->language);
        return NULL;
    }
    PlannerProcParam *params;
    if (!bind_params(b, s->params, s->nparams, &params)) return NULL;
    Plan *p = new_plan(b, PLAN_CREATE_PROCEDURE);
    p->proc_def = (PlannerProcDef){s->name, s->or_replace, s->module, params, s->nparams, s->language, s->body};
    return p;
}

/* ---- DROP PROCEDURE ------------------------------------------------------------------------- */

static Plan *bind_drop(Binder *b, const DropProcedureStmt *s) {
    if (!check_registered(b, s->nprocs ? s->procs[0].pos : -1)) return NULL;
    Plan *p = new_plan(b, PLAN_DROP_PROCEDURE);
    p->drop_procs = s->procs;
    p->ndrop = s->nprocs;
    p->drop_module = s->module;
    p->drop_if_exists = s->if_exists;
    p->drop_proc_types = arena_zalloc(b->arena, (size_t)(s->nprocs ? s->nprocs : 1) * sizeof *p->drop_proc_types);
    for (int i = 0; i < s->nprocs; i++) {
        const ProcRef *r = &s->procs[i];
        if (!r->has_args) continue;
        PlannerProcParam *params;
        if (!bind_params(b, r->params, r->nparams, &params)) return NULL;
        TypeId *types = arena_alloc(b->arena, (size_t)(r->nparams + 1) * sizeof *types);
        for (int j = 0; j < r->nparams; j++) types[j] = params[j].type;
        p->drop_proc_types[i] = types;
    }
    return p;
}

/* ---- CALL ------------------------------------------------------------------------------------ */

/* How well the bound arguments fit a candidate: -1 not at all, else the
 * number of exact type matches and, below them, of unknown literals going
 * to a string type (PostgreSQL prefers the string category for them:
 * CALL p('abc') takes p(text) over p(int)). */
static int fit(const PlannerProc *c, BExpr **args, int nargs) {
    if (c->nparams != nargs) return -1;
    int exact = 0, strings = 0;
    for (int i = 0; i < nargs; i++) {
        TypeId from = (TypeId)args[i]->type, to = c->params[i].type;
        if (from == to)
            exact++;
        else if (!planner__implicit_cast_exists(from, to))
            return -1;
        else if (from == TYPE_UNKNOWN && type_info(to)->category == TYPCAT_STRING)
            strings++;
    }
    return exact * (PLANNER_MAX_PARAMS + 1) + strings;
}

static void describe_args(BExpr **args, int nargs, StrBuf *out) {
    for (int i = 0; i < nargs; i++) strbuf_appendf(out, "%s%s", i ? ", " : "", type_name((TypeId)args[i]->type));
}

static Plan *no_procedure(Binder *b, const CallStmt *s, BExpr **args, bool ambiguous) {
    StrBuf types;
    strbuf_init(&types);
    describe_args(args, s->nargs, &types);
    if (ambiguous) {
        fail_at(b, s->pos, SQLSTATE_AMBIGUOUS_FUNCTION, "procedure %s(%s) is not unique", s->name, types.data);
        error_hint(b->err, "Could not choose a best candidate procedure. You might need to add explicit type casts.");
    } else {
        fail_at(b, s->pos, SQLSTATE_UNDEFINED_FUNCTION, "procedure %s(%s) does not exist", s->name, types.data);
        error_hint(
            b->err,
            "No procedure matches the given name and argument types. You might need to add explicit type casts.");
    }
    strbuf_deinit(&types);
    return NULL;
}

/* The result row of a CALL: its OUT and INOUT parameters. */
static void call_columns(Binder *b, Plan *p) {
    const PlannerProc *c = &p->call;
    p->cols = arena_zalloc(b->arena, (size_t)(c->nparams ? c->nparams : 1) * sizeof *p->cols);
    for (int i = 0; i < c->nparams; i++) {
        if (c->params[i].mode == SQL_PARAM_IN) continue;
        PlanColumn *col = &p->cols[p->ncols++];
        col->name = c->params[i].name ? c->params[i].name : arena_sprintf(b->arena, "column%d", p->ncols);
        col->type = c->params[i].type;
        col->typmod = -1;
    }
}

static Plan *bind_call(Binder *b, const CallStmt *s) {
    if (!check_registered(b, s->pos)) return NULL;
    BExpr **args = arena_alloc(b->arena, (size_t)(s->nargs + 1) * sizeof *args);
    for (int i = 0; i < s->nargs; i++)
        if (!(args[i] = planner__bind_expr(b, s->args[i]))) return NULL;
    PlannerProc candidates[MAX_CANDIDATES];
    int n = procedures.lookup(procedures.ctx, b->storage, b->txn, s->name, b->arena, candidates, MAX_CANDIDATES);
    if (n > MAX_CANDIDATES) n = MAX_CANDIDATES;
    int best = -1, best_fit = -1;
    bool tie = false;
    for (int i = 0; i < n; i++) {
        int f = fit(&candidates[i], args, s->nargs);
        if (f > best_fit) {
            best = i, best_fit = f, tie = false;
        } else if (f >= 0 && f == best_fit) {
            tie = true;
        }
    }
    if (best < 0 || tie) return no_procedure(b, s, args, tie);
    Plan *p = new_plan(b, PLAN_CALL);
    p->call = candidates[best];
    for (int i = 0; i < s->nargs; i++) {
        bool failed;
        if (!(args[i] = planner__coerce_implicit(b, args[i], p->call.params[i].type, &failed))) return NULL;
    }
    p->call_args = args;
    call_columns(b, p);
    return p;
}

/* ---- SELECT p(args) ------------------------------------------------------------------------ */

static bool only_star(const SelectStmt *s) {
    return s->ntargets == 1 && s->targets[0].expr->kind == EXPR_STAR && !s->targets[0].expr->u.column.table;
}

Plan *planner__bind_select_call(Binder *b, const SelectStmt *s) {
    const FromItem *from = s->nfrom ? s->from[0] : NULL; /* FROM f(args), alone */
    const Expr *f = from ? from->func : s->targets[0].expr;
    if (!procedures.lookup) return NULL;
    PlannerProc probe[1];
    if (procedures.lookup(procedures.ctx, b->storage, b->txn, f->u.func.name, b->arena, probe, 1) == 0)
        return NULL; /* a function: bound as a SELECT */
    if ((from && !only_star(s)) || s->where || s->norder || s->limit || s->offset || s->locking.strength)
        return fail_at(b, f->pos, SQLSTATE_FEATURE_NOT_SUPPORTED,
                       "a procedure is called by SELECT only as SELECT %s(...) or SELECT * FROM %s(...)",
                       f->u.func.name, f->u.func.name);
    CallStmt c = {f->u.func.name, f->pos, f->u.func.args, f->u.func.nargs};
    Plan *p = bind_call(b, &c);
    if (!p) return NULL;
    p->call_select = true;
    if (p->ncols) return p;
    p->call_void = true;
    p->ncols = 1;
    p->cols[0] = (PlanColumn){.name = from ? (from->alias ? from->alias : c.name)
                                           : (s->targets[0].alias ? s->targets[0].alias : c.name),
                              .type = TYPE_VOID,
                              .typmod = -1};
    return p;
}

Plan *planner__bind_procedure(Binder *b, const Stmt *stmt) {
    switch (stmt->kind) {
    case STMT_CREATE_PROCEDURE: return bind_create(b, &stmt->u.create_proc);
    case STMT_DROP_PROCEDURE: return bind_drop(b, &stmt->u.drop_proc);
    case STMT_CALL: return bind_call(b, &stmt->u.call);
    default: return fail_at(b, -1, SQLSTATE_INTERNAL_ERROR, "not a procedure statement");
    }
}

/* ---- running them -------------------------------------------------------------------------- */

static const char *kind_word(bool module) { return module ? "module" : "procedure"; }

/* "p(integer, text)" as DROP named it, "p()" if it gave no list. */
static void drop_missing(const Plan *p, int i, RowSink *sink, Error *err) {
    const ProcRef *r = &p->drop_procs[i];
    const TypeId *types = p->drop_proc_types[i];
    const char *kind = kind_word(p->drop_module);
    StrBuf what;
    strbuf_init(&what);
    strbuf_appendf(&what, "%s(", r->name);
    for (int j = 0; types && j < r->nparams; j++) strbuf_appendf(&what, "%s%s", j ? ", " : "", type_name(types[j]));
    strbuf_appendf(&what, ")");
    if (p->drop_if_exists) {
        Error notice;
        error_set(&notice, SQLSTATE_SUCCESSFUL_COMPLETION, "%s %s does not exist, skipping", kind, what.data);
        notice.severity = SEV_NOTICE;
        if (sink && sink->notice) sink->notice(sink->notice_ctx, &notice);
    } else if (types) {
        error_set(err, SQLSTATE_UNDEFINED_FUNCTION, "%s %s does not exist", kind, what.data);
    } else {
        error_set(err, SQLSTATE_UNDEFINED_FUNCTION, "could not find a %s named \"%s\"", kind, r->name);
    }
    strbuf_deinit(&what);
}

static StorageStatus drop(const Plan *p, Storage *s, Txn *t, RowSink *sink, Error *err) {
    for (int i = 0; i < p->ndrop; i++) {
        const ProcRef *r = &p->drop_procs[i];
        bool found = false;
        StorageStatus st = procedures.drop(procedures.ctx, s, t, r->name, p->drop_module, p->drop_proc_types[i],
                                           p->drop_proc_types[i] ? r->nparams : -1, &found, err);
        if (st != STORAGE_OK) return st;
        if (found) continue;
        drop_missing(p, i, sink, err);
        if (err->set) return STORAGE_ERROR;
    }
    return STORAGE_OK;
}

static StorageStatus call(const Plan *p, Storage *s, Txn *t, const Value *params, Arena *arena, RowSink *sink,
                          Error *err) {
    int n = p->call.nparams;
    Value *args = arena_alloc(arena, (size_t)(n + 1) * sizeof *args);
    Value *outs = arena_alloc(arena, (size_t)(p->ncols + 1) * sizeof *outs);
    for (int i = 0; i < n; i++)
        if (!planner__eval(p->call_args[i], NULL, params, arena, &args[i], err)) return STORAGE_ERROR;
    StorageStatus st = procedures.call(procedures.ctx, &p->call, s, t, args, outs, arena, sink, err);
    if (st != STORAGE_OK || p->ncols == 0) return st;
    if (p->call_void) outs[0] = value_string(TYPE_VOID, "", 0);
    return sink->row(sink->ctx, outs, p->ncols, err) ? STORAGE_OK : STORAGE_ERROR;
}

StorageStatus planner__execute_procedure(const Plan *plan, Storage *storage, Txn *txn, const Value *params,
                                         Arena *arena, RowSink *sink, ExecResult *res, Error *err) {
    switch (plan->kind) {
    case PLAN_CREATE_PROCEDURE:
        strcpy(res->tag, plan->proc_def.module ? "CREATE MODULE" : "CREATE PROCEDURE");
        return procedures.create(procedures.ctx, storage, txn, &plan->proc_def, sink ? sink->caller : NULL, err);
    case PLAN_DROP_PROCEDURE:
        strcpy(res->tag, plan->drop_module ? "DROP MODULE" : "DROP PROCEDURE");
        return drop(plan, storage, txn, sink, err);
    case PLAN_CALL: strcpy(res->tag, "CALL"); return call(plan, storage, txn, params, arena, sink, err);
    default: error_set(err, SQLSTATE_INTERNAL_ERROR, "not a procedure plan"); return STORAGE_ERROR;
    }
}
