/* jit_int.h — what the files of jit/ share. */
#ifndef STRAND_JIT_INT_H
#define STRAND_JIT_INT_H

#include <setjmp.h>
#include <signal.h>

#include "jit/jit.h"
#include "jit/strand.h"
#include "planner/planner.h"
#include "sql/sql.h"

typedef void (*JitEntry)(strand_ctx *ctx, strand_value *args); /* generated glue */
typedef void (*JitHook)(strand_ctx *ctx);

typedef struct JitCode {
    void *mem; /* mmap'd, size bytes, made executable by tcc */
    size_t size;
} JitCode;

/* A procedure, or one reducer of a module, as its code knows it. */
typedef struct JitReducer {
    char *name;
    PlannerProcParam *params;
    int nparams;
    void *fn;       /* the C function (modules: as strand_reducer declared it) */
    JitEntry entry; /* its glue */
} JitReducer;

/* strand_schedule_every in strand_module(). */
typedef struct JitEvery {
    char *reducer;
    int64_t every_ms;
} JitEvery;

/* Compiled code for a procedure (one reducer) or a module: found by the
 * text it was compiled from (its key: name, signature and body), so every
 * row version with the same text shares it and a transaction that sees an
 * older version still finds that version's code. */
typedef struct JitUnit {
    char *key, *name;
    bool module;
    JitCode code[2]; /* the body; a module's glue */
    JitReducer *reducers;
    int nreducers, capreducers;
    JitHook init, connected, disconnected;
    JitEvery *every;
    int nevery, capevery;
    StrMap stmts; /* strand_exec's statements, by SQL text */
} JitUnit;

struct Jit {
    Storage *storage;
    JitConfig config;
    char include_dir[512];
    bool temp_dir; /* include_dir is ours to remove */
    StrMap units;  /* JitUnit by key */
    SqlParser *parser;
    Arena call_arena; /* reused by calls that are not nested in another */
    int depth;        /* calls in progress (a reducer may CALL another) */
    void *hook;       /* the JitHook jit__invoke_hook runs */
};

/* The state of one call, which compiled code holds as strand_ctx. */
struct strand_ctx {
    Jit *jit;
    JitUnit *unit;
    const char *proc; /* the procedure's name, for messages */
    Storage *storage;
    Txn *txn;
    Arena *arena;   /* the call's memory: strand_alloc, results (freed when it ends) */
    Arena *scratch; /* the CALL statement's, for the planner's per-row temporaries */
    RowSink *sink;
    JitCaller caller;
    uint64_t rng;
    sigjmp_buf jmp;
    Error *err; /* where an error that ends the call goes */
    StorageStatus status;
    void (*declare)(strand_module_def *m); /* module.c: strand_module() being run */
    strand_module_def *declaring;
};

/* Rows a statement or the row API returned, kept in the call's memory. */
struct strand_result {
    int ncols;
    int64_t nrows; /* rows returned, or affected */
    Value *values; /* nrows * ncols when the statement returns rows */
    size_t cap;
    bool returns_rows;
};

/* ---- compile.c -------------------------------------------------------------------- */
/* Compiles body with the glue for a procedure `name(params)`. Errors: 42P13
 * with the compiler's line and message, or naming a function reducers may
 * not call. */
JitUnit *jit__compile(const char *key, const char *name, const PlannerProcParam *params, int nparams, const char *body,
                      const char *include_dir, Error *err);
/* A module: compiled, strand_module() run to learn its reducers, hooks and
 * schedules, and their glue compiled. */
JitUnit *jit__compile_module(Jit *jit, const char *key, const char *name, const char *source, Error *err);
void jit__set_reducer(JitReducer *r, const char *name, const PlannerProcParam *params, int nparams);
void jit__unit_free(JitUnit *u);
/* The C type of a parameter of SQL type t, as strand.h's table gives it. */
const char *jit__c_type(TypeId t);

/* ---- call.c: the fault boundary --------------------------------------------------- */
void jit__contain_init(void);
void jit__contain_shutdown(void);
/* Runs entry(ctx, args) inside the boundary; STORAGE_OK, or the status and
 * ctx->err of what ended it. */
StorageStatus jit__run(strand_ctx *ctx, JitEntry entry, strand_value *args);
/* What the engine thread runs during a call, for strand.h's functions to
 * say. In both phases a timeout waits for jit__leave. */
typedef enum JitPhase {
    JIT_USER, /* compiled code: faults and timeouts end the call at once */
    JIT_HOST, /* work on the store: a fault is the server's own, not caught */
    JIT_COPY, /* reading the reducer's memory: a fault is the reducer's */
} JitPhase;
void jit__enter(strand_ctx *ctx, JitPhase phase);
/* Back to compiled code; ends the call if its time ran out meanwhile. */
void jit__leave(strand_ctx *ctx);
/* Ends the call with ctx->status / ctx->err set (does not return). */
void jit__abort(strand_ctx *ctx) __attribute__((noreturn));
/* Ends the call with status st (ctx->err set unless BUSY). */
__attribute__((noreturn)) static inline void jit__fail(strand_ctx *ctx, StorageStatus st) {
    ctx->status = st;
    jit__abort(ctx);
}
/* The call in progress, or NULL. */
strand_ctx *jit__current(void);

/* ---- api.c ---------------------------------------------------------------------------- */
/* strand.h's functions, by name, for the compiler's symbol table. */
typedef struct JitSymbol {
    const char *name;
    const void *addr;
} JitSymbol;
extern const JitSymbol jit__api_symbols[];
/* Values between SQL and C: strings copied into arena on the way in; on the
 * way out they point at the Value's bytes. Errors: 0A000 for types C
 * reducers do not take yet. */
bool jit__value_in(Arena *arena, const strand_value *v, Value *out, Error *err);
/* Appends a row to r, its strings copied (and NUL-terminated) in the call's memory. */
void jit__keep_row(strand_ctx *ctx, strand_result *r, const Value *values, int ncols);
strand_value jit__value_out(const Value *v);
extern const size_t jit__api_nsymbols;

/* ---- module.c: what strand_module() declares -------------------------------------------- */
/* Runs declare(m) for u in the fault boundary, filling u's reducers, hooks
 * and schedules. Errors: 42P13 for a bad declaration, XX000 if it crashed. */
bool jit__declare(Jit *jit, JitUnit *u, void (*declare)(strand_module_def *m), Error *err);
/* The module's reducer of that name without parameters, or NULL. */
const JitReducer *jit__module_reducer(const JitUnit *u, const char *name);

/* ---- jit.c ------------------------------------------------------------------------------ */
/* Who runs a statement (who: RowSink.caller; NULL: the server itself, as
 * the superuser without a timeout). */
void jit__caller(Jit *jit, void *who, JitCaller *out);

/* ---- run.c -------------------------------------------------------------------------------- */
/* PlannerProc.handle: the code (a unit and its reducer), or why there is none. */
typedef struct ProcHandle {
    JitUnit *unit;
    int reducer;
    Error error;
} ProcHandle;
/* Runs entry(args) of u in t inside the fault boundary; on failure, what it
 * wrote is rolled back (t goes on). */
StorageStatus jit__invoke(Jit *jit, JitUnit *u, const char *name, JitEntry entry, strand_value *args, Storage *s,
                          Txn *t, Arena *scratch, RowSink *sink, void *who, Error *err);
StorageStatus jit__invoke_hook(Jit *jit, JitUnit *u, JitHook hook, const char *what, Txn *t, void *who, Error *err);
StorageStatus jit__call_proc(void *ctx, const PlannerProc *p, Storage *s, Txn *t, const Value *args, Value *outs,
                             Arena *arena, RowSink *sink, Error *err);
bool jit__bootstrap_schedules(Jit *jit, Txn *t, Error *err);
/* A module's repeating schedules, replaced by those u declares. */
StorageStatus jit__set_schedules(Jit *jit, Txn *t, const JitUnit *u, Error *err);
StorageStatus jit__drop_schedules(Jit *jit, Txn *t, const char *module, Error *err);
int64_t jit__now_us(void);

/* ---- catalog.c ------------------------------------------------------------------------ */
bool jit__bootstrap_catalog(Jit *jit, Txn *t, Error *err);
/* The unit for that text, compiled now if it is not yet. */
JitUnit *jit__unit(Jit *jit, const char *name, const PlannerProcParam *params, int nparams, const char *body,
                   Error *err);
/* The modules t sees, compiled, up to max. */
int jit__modules(Jit *jit, Txn *t, Arena *arena, JitUnit **out, int max);
/* Every procedure and module t sees; returns how many failed. */
int jit__compile_all(Jit *jit, Txn *t);
StorageStatus jit__create_proc(void *ctx, Storage *s, Txn *t, const PlannerProcDef *def, void *who, Error *err);
StorageStatus jit__drop_proc(void *ctx, Storage *s, Txn *t, const char *name, bool module, const TypeId *types,
                             int ntypes, bool *found, Error *err);
int jit__lookup_proc(void *ctx, Storage *s, Txn *t, const char *name, Arena *arena, PlannerProc *out, int max);

#endif
