/*
 * call.c — the fault boundary around compiled code.
 *
 * A call runs on the engine thread between sigsetjmp and the return of
 * its entry. What can end it early:
 *
 *   strand_error, an SQL error   jit__abort: siglongjmp with the error set
 *   SIGSEGV, SIGBUS, SIGFPE,     the handler (on an alternate stack, so a
 *   SIGILL, SIGABRT              stack overflow is caught too) jumps back
 *                                with XX000 naming the procedure
 *   reducer_timeout              a watchdog thread sends SIGUSR2 to the
 *                                engine thread; the handler jumps back
 *                                with 57014
 *
 * Jumping out is safe only while compiled code (or libc on its behalf)
 * runs: the store is then exactly as the last strand.h call left it, and
 * the caller rolls back to the call's savepoint. While a strand.h function
 * works on the store (jit__enter(JIT_HOST) .. jit__leave), a timeout only
 * sets a flag that jit__leave acts on, and a fault there is the
 * server's own bug: the handler restores the default action and the
 * process dies as it would have without us (its commits are in the WAL).
 * strand.h's functions copy what they read from the reducer's memory
 * before entering the host phase, so a bad pointer faults on the
 * reducer's side of the line.
 *
 * The watchdog polls every WATCHDOG_MS instead of arming a timer per call:
 * a call then costs two relaxed atomic stores, not two system calls.
 *
 * State machine of the engine thread (one call at a time):
 *   IDLE --jit__run--> USER --jit__enter--> HOST or COPY --jit__leave--> USER
 *   USER --return / jump--> IDLE
 *
 * INTERFACE (jit-internal): jit__contain_init, jit__contain_shutdown,
 *   jit__run, jit__enter, jit__leave, jit__abort, jit__current
 */
#include "jit/jit_int.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define WATCHDOG_MS 20
#define ALT_STACK_SIZE (64 * 1024)

static strand_ctx *current;
static char *call_stack_top; /* an address in jit__run's frame */
static volatile sig_atomic_t fault_near_stack;
static volatile sig_atomic_t phase; /* JitPhase */
static volatile sig_atomic_t timeout_pending;

static pthread_t engine_thread;
static pthread_t watchdog;
static bool watchdog_running;
static atomic_bool watchdog_stop;
static atomic_uint_fast64_t call_seq;   /* odd while a call runs */
static atomic_int_fast64_t deadline_ms; /* CLOCK_MONOTONIC ms; 0: none */
static void *alt_stack;
static int installed;

static const int FAULTS[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
static struct sigaction previous[ARRAY_LEN(FAULTS) + 1];

strand_ctx *jit__current(void) { return current; }

static int64_t monotonic_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- signals ------------------------------------------------------------------------- */

static void die_as_before(int sig) {
    for (size_t i = 0; i < ARRAY_LEN(FAULTS); i++)
        if (FAULTS[i] == sig) sigaction(sig, &previous[i], NULL);
    /* Returning re-executes the faulting instruction under the old action. */
}

static void on_signal(int sig, siginfo_t *info, void *uctx) {
    (void)uctx;
    if (sig == SIGUSR2) {
        if (!current) return; /* the call ended meanwhile */
        if (phase != JIT_USER) {
            timeout_pending = 1; /* acted on at jit__leave */
            return;
        }
        siglongjmp(current->jmp, sig);
    }
    if (!current || phase == JIT_HOST || !pthread_equal(pthread_self(), engine_thread)) {
        die_as_before(sig);
        return;
    }
    /* A fault below the call's frame but within a stack's reach of it is
     * the guard page: the reducer recursed too deep. */
    char *at = info ? (char *)info->si_addr : NULL;
    fault_near_stack = sig == SIGSEGV && at && at < call_stack_top && at > call_stack_top - 64 * 1024 * 1024;
    siglongjmp(current->jmp, sig);
}

static void install(void) {
    stack_t ss = {.ss_size = ALT_STACK_SIZE};
    if (!(alt_stack = malloc(ALT_STACK_SIZE))) abort();
    ss.ss_sp = alt_stack;
    sigaltstack(&ss, NULL);
    struct sigaction sa = {.sa_sigaction = on_signal, .sa_flags = SA_SIGINFO | SA_ONSTACK};
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < ARRAY_LEN(FAULTS); i++) sigaction(FAULTS[i], &sa, &previous[i]);
    sa.sa_flags |= SA_RESTART;
    sigaction(SIGUSR2, &sa, &previous[ARRAY_LEN(FAULTS)]);
}

static void *watch(void *arg) {
    (void)arg;
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, NULL);
    uint64_t fired = 0;
    while (!atomic_load(&watchdog_stop)) {
        struct timespec nap = {0, WATCHDOG_MS * 1000000L};
        nanosleep(&nap, NULL);
        uint64_t seq = atomic_load_explicit(&call_seq, memory_order_relaxed);
        int64_t d = atomic_load_explicit(&deadline_ms, memory_order_relaxed);
        if ((seq & 1) && d && seq != fired && monotonic_ms() >= d) {
            fired = seq;
            pthread_kill(engine_thread, SIGUSR2);
        }
    }
    return NULL;
}

void jit__contain_init(void) {
    if (installed++) return;
    engine_thread = pthread_self();
    install();
    atomic_store(&watchdog_stop, false);
    watchdog_running = pthread_create(&watchdog, NULL, watch, NULL) == 0;
}

void jit__contain_shutdown(void) {
    if (!installed || --installed) return;
    if (watchdog_running) {
        atomic_store(&watchdog_stop, true);
        pthread_join(watchdog, NULL);
        watchdog_running = false;
    }
    for (size_t i = 0; i < ARRAY_LEN(FAULTS); i++) sigaction(FAULTS[i], &previous[i], NULL);
    sigaction(SIGUSR2, &previous[ARRAY_LEN(FAULTS)], NULL);
    stack_t off = {.ss_flags = SS_DISABLE};
    sigaltstack(&off, NULL);
    free(alt_stack);
    alt_stack = NULL;
}

/* ---- calls ---------------------------------------------------------------------------- */

static const char *fault_name(int sig) {
    switch (sig) {
    case SIGSEGV: return fault_near_stack ? "stack overflow" : "segmentation fault";
    case SIGBUS: return "bus error";
    case SIGFPE: return "arithmetic exception";
    case SIGILL: return "illegal instruction";
    case SIGABRT: return "abort";
    default: return "signal";
    }
}

static void call_ended(void) {
    current = NULL;
    phase = JIT_USER;
    timeout_pending = 0;
    atomic_store_explicit(&deadline_ms, 0, memory_order_relaxed);
    atomic_fetch_add_explicit(&call_seq, 1, memory_order_relaxed);
}

static void timeout_error(strand_ctx *ctx) {
    ctx->status = STORAGE_ERROR;
    error_set(ctx->err, SQLSTATE_QUERY_CANCELED, "canceling statement due to reducer timeout");
    error_detail(ctx->err, "Procedure \"%s\" ran longer than reducer_timeout (%d ms).", ctx->proc,
                 (int)ctx->caller.timeout_ms);
}

/* The signal mask is not saved at each call (that is a system call); a jump
 * from a handler unblocks the signal it was handling instead. */
static void unblock(int sig) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
}

StorageStatus jit__run(strand_ctx *ctx, JitEntry entry, strand_value *args) {
    char top;
    int sig = sigsetjmp(ctx->jmp, 0);
    if (sig == 0) {
        call_stack_top = &top;
        fault_near_stack = 0;
        current = ctx;
        phase = JIT_USER;
        timeout_pending = 0;
        atomic_fetch_add_explicit(&call_seq, 1, memory_order_relaxed);
        atomic_store_explicit(&deadline_ms, ctx->caller.timeout_ms > 0 ? monotonic_ms() + ctx->caller.timeout_ms : 0,
                              memory_order_relaxed);
        entry(ctx, args);
        call_ended();
        return STORAGE_OK;
    }
    call_ended();
    if (sig > 0) unblock(sig);
    if (sig == SIGUSR2) {
        timeout_error(ctx);
    } else if (sig != -1) { /* -1: jit__abort, ctx->err is set */
        ctx->status = STORAGE_ERROR;
        error_set(ctx->err, SQLSTATE_INTERNAL_ERROR, "procedure \"%s\" crashed: %s", ctx->proc, fault_name(sig));
        error_detail(ctx->err, "Everything the call did was rolled back; the server goes on.");
    }
    return ctx->status;
}

void jit__enter(strand_ctx *ctx, JitPhase p) {
    (void)ctx;
    phase = p;
}

void jit__leave(strand_ctx *ctx) {
    phase = JIT_USER;
    if (timeout_pending) {
        timeout_pending = 0;
        timeout_error(ctx);
        siglongjmp(ctx->jmp, -1);
    }
}

void jit__abort(strand_ctx *ctx) {
    phase = JIT_USER;
    siglongjmp(ctx->jmp, -1);
}
