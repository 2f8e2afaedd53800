/* jit_int.h — what the files of jit/ share. */
#ifndef STRAND_JIT_INT_H
#define STRAND_JIT_INT_H

#include <setjmp.h>
#include <signal.h>

#include "jit/jit.h"
#include "jit/strand.h"
#include "planner/planner.h"
#include "sql/sql.h"

/* Compiled code for one procedure: found by the text it was compiled from
 * (the unit's key: its name, signature and body), so every row version
 * with the same text shares it and a transaction that sees an older
 * version still finds that version's code. */
typedef struct JitUnit {
    char *key;
    void *code; /* mmap'd, code_size bytes */
    size_t code_size;
    void (*entry)(strand_ctx *ctx, strand_value *args); /* the generated glue */
    StrMap stmts;                                       /* strand_exec's statements, by SQL text */
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
};

/* ---- compile.c -------------------------------------------------------------------- */
/* Compiles body with the glue for a procedure `name(params)`. Errors: 42P13
 * with the compiler's line and message, or naming a function reducers may
 * not call. */
JitUnit *jit__compile(const char *key, const char *name, const PlannerProcParam *params, int nparams, const char *body,
                      const char *include_dir, Error *err);
void jit__unit_free(JitUnit *u);
/* The C type of a parameter of SQL type t, as strand.h's table gives it. */
const char *jit__c_type(TypeId t);

/* ---- call.c: the fault boundary --------------------------------------------------- */
void jit__contain_init(void);
void jit__contain_shutdown(void);
/* Runs unit->entry(ctx, args) inside the boundary; STORAGE_OK, or the
 * status and ctx->err of what ended it. */
StorageStatus jit__run(strand_ctx *ctx, strand_value *args);
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
/* The call in progress, or NULL. */
strand_ctx *jit__current(void);

/* ---- api.c ---------------------------------------------------------------------------- */
/* strand.h's functions, by name, for the compiler's symbol table. */
typedef struct JitSymbol {
    const char *name;
    const void *addr;
} JitSymbol;
extern const JitSymbol jit__api_symbols[];
extern const size_t jit__api_nsymbols;

/* ---- catalog.c ------------------------------------------------------------------------ */
/* The unit for that text, compiled now if it is not yet. */
JitUnit *jit__unit(Jit *jit, const char *name, const PlannerProcParam *params, int nparams, const char *body,
                   Error *err);

#endif
