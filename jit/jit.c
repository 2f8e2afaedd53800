/*
 * jit.c — the Jit object: strand.h written where compiled code finds it,
 * the fault boundary installed, the planner's procedure callbacks
 * registered, the catalog tables made on the first start and everything
 * in them compiled at start.
 *
 * INTERFACE: jit_create, jit_destroy, jit_bootstrap, jit_load
 * INTERFACE (jit-internal): jit__caller
 */
#include "jit/jit_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

extern const char jit__strand_h[]; /* strand.h, embedded at build time (embed.cmake) */

void jit__caller(Jit *jit, void *who, JitCaller *out) {
    *out = (JitCaller){"postgres", 0, jit__now_us(), 0, true};
    if (who && jit->config.caller) jit->config.caller(jit->config.ctx, who, out);
}

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
    planner_set_procedures(
        &(PlannerProcedures){jit__create_proc, jit__drop_proc, jit__lookup_proc, jit__call_proc, jit});
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

bool jit_bootstrap(Jit *jit, Txn *t, Error *err) {
    storage_txn_statement_begin(t);
    bool ok = jit__bootstrap_catalog(jit, t, err) && jit__bootstrap_schedules(jit, t, err);
    storage_txn_statement_end(t);
    return ok;
}

int jit_load(Jit *jit, Txn *t) { return jit__compile_all(jit, t); }
