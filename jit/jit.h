/*
 * jit.h — C reducers: procedures written in C, compiled in memory with
 * libtcc when they are published, kept in the catalog, called with CALL.
 * The API compiled code sees is strand.h; this header is the server's.
 *
 * INTERFACE
 *   jit_create, jit_destroy   one per engine: registers the planner's
 *                             procedure callbacks and the fault handlers
 *   jit_bootstrap             creates the procedure catalog if missing
 *   jit_load                  compiles every stored procedure and module (at start)
 *   jit_client_connected, jit_client_disconnected   modules' lifecycle hooks
 *   jit_run_due, jit_now_us   scheduled reducers
 *
 * Procedures are rows of a catalog table (catalog.c), so they are
 * transactional, logged and restored like any row; compiled code is kept
 * by the text it was compiled from (compile.c) and found again for the row
 * a transaction sees. Calls run on the engine thread inside a fault
 * boundary (call.c): a crash or a timeout in compiled code ends that call
 * with an error and rolls back what it wrote.
 */
#ifndef STRAND_JIT_H
#define STRAND_JIT_H

#include "common/common.h"
#include "storage/storage.h"

typedef struct Jit Jit;

/* Who runs a statement, as the engine tells it (from RowSink.caller). */
typedef struct JitCaller {
    const char *user;
    int64_t connection_id;
    int64_t txn_time_us; /* the transaction's start, microseconds since 1970 */
    int32_t timeout_ms;  /* reducer_timeout; 0: none */
    bool superuser;
} JitCaller;

typedef struct JitConfig {
    /* Where strand.h is written for compiled code to include (created if
     * missing); NULL: a temporary folder, removed by jit_destroy. */
    const char *include_dir;
    /* Fills *out for the opaque caller a statement runs for (NULL: an
     * internal statement, run as the superuser without a timeout). */
    void (*caller)(void *ctx, void *caller, JitCaller *out);
    void *ctx;
} JitConfig;

/* On the engine thread, once. Errors: 58030 if strand.h cannot be written. */
Jit *jit_create(Storage *storage, const JitConfig *config, Error *err);
void jit_destroy(Jit *jit);
/* Creates the procedure catalog in t unless it exists (t must commit). */
bool jit_bootstrap(Jit *jit, Txn *t, Error *err);
/* Compiles every procedure and module t sees, logging those that fail;
 * returns how many failed. */
int jit_load(Jit *jit, Txn *t);

/* Lifecycle hooks of every module t sees, for the session `caller`, run in
 * t (which the caller commits). An error from client_connected refuses the
 * connection with it. */
StorageStatus jit_client_connected(Jit *jit, Txn *t, void *caller, Error *err);
StorageStatus jit_client_disconnected(Jit *jit, Txn *t, void *caller, Error *err);

/* Scheduled reducers (strand_schedule). jit_run_due runs the earliest one
 * due at now_us in t and advances or removes its row: JIT_RAN (commit t),
 * JIT_FAILED (err says why; its row still advanced: commit t), JIT_BUSY
 * (blocked by another transaction: abort t and try later), JIT_NONE_DUE. */
typedef enum JitDue { JIT_NONE_DUE, JIT_RAN, JIT_FAILED, JIT_BUSY } JitDue;
JitDue jit_run_due(Jit *jit, Txn *t, int64_t now_us, Error *err);
/* Microseconds since 1970, the clock schedules use. */
int64_t jit_now_us(void);

#endif
