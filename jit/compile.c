/*
 * compile.c — a procedure's C body, plus the glue strand generates from its
 * SQL signature, compiled in memory by libtcc.
 *
 * The unit compiled is strand.h, the body as written (after #line 1), then
 * the glue:
 *
 *     void p(strand_ctx *ctx, int32_t a, const char **b);      prototype
 *     void strand__entry(strand_ctx *ctx, strand_value *a) {    entry
 *         p(ctx, (int32_t)a[0].u.i, (const char **)&a[1].u.s);
 *     }
 *
 * so the compiler's line numbers are the body's own, and a function whose
 * parameters do not match the signature is an error at the prototype,
 * reported as what the body must define.
 *
 * Compiled code links against nothing but the symbols added here: strand.h's
 * functions (api.c), the libc functions of SAFE_LIBC, and tcc's own runtime
 * (libtcc1.a, linked into the unit). libtcc is run with -nostdlib, so any
 * other external symbol is undefined and the publish fails (42P13): a
 * reducer cannot reach system(), fopen() or the server's internals.
 *
 * INTERFACE (jit-internal): jit__compile, jit__unit_free, jit__c_type
 */
#include "jit/jit_int.h"

#include <ctype.h>
#include <libtcc.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#ifndef STRAND_TCC_LIB_DIR
#define STRAND_TCC_LIB_DIR "/usr/lib/x86_64-linux-gnu/tcc"
#endif

#define ENTRY "strand__entry"

/* Functions without side effects outside the memory they are given. */
#define LIBC(f)                                                                                                        \
    { #f, (const void *)f }
static const JitSymbol SAFE_LIBC[] = {
    LIBC(memcpy),
    LIBC(memmove),
    LIBC(memset),
    LIBC(memcmp),
    LIBC(memchr),
    LIBC(strlen),
    LIBC(strnlen),
    LIBC(strcmp),
    LIBC(strncmp),
    LIBC(strchr),
    LIBC(strrchr),
    LIBC(strstr),
    LIBC(strcpy),
    LIBC(strncpy),
    LIBC(strcat),
    LIBC(strncat),
    LIBC(strspn),
    LIBC(strcspn),
    LIBC(strtol),
    LIBC(strtoll),
    LIBC(strtoul),
    LIBC(strtoull),
    LIBC(strtod),
    LIBC(atoi),
    LIBC(atol),
    LIBC(atoll),
    LIBC(snprintf),
    LIBC(vsnprintf),
    LIBC(abs),
    LIBC(labs),
    LIBC(llabs),
    LIBC(qsort),
    LIBC(bsearch),
    LIBC(tolower),
    LIBC(toupper),
    LIBC(isalpha),
    LIBC(isdigit),
    LIBC(isalnum),
    LIBC(isspace),
    LIBC(isupper),
    LIBC(islower),
    LIBC(ispunct),
    LIBC(isxdigit),
    LIBC(__ctype_b_loc),
    LIBC(__ctype_tolower_loc),
    LIBC(__ctype_toupper_loc),
    LIBC(sqrt),
    LIBC(floor),
    LIBC(ceil),
    LIBC(fabs),
    LIBC(pow),
    LIBC(exp),
    LIBC(log),
    LIBC(log10),
    LIBC(sin),
    LIBC(cos),
    LIBC(tan),
    LIBC(atan),
    LIBC(atan2),
    LIBC(fmod),
    LIBC(round),
    LIBC(trunc),
    LIBC(fmin),
    LIBC(fmax),
    LIBC(hypot),
};

const char *jit__c_type(TypeId t) {
    switch (t) {
    case TYPE_INT2: return "int16_t";
    case TYPE_INT4: return "int32_t";
    case TYPE_INT8: return "int64_t";
    case TYPE_FLOAT8: return "double";
    case TYPE_BOOL: return "bool";
    case TYPE_TEXT:
    case TYPE_VARCHAR:
    case TYPE_BPCHAR: return "const char *";
    default: return "strand_value";
    }
}

/* The strand_value member a C type lives in. */
static const char *member(TypeId t) {
    switch (t) {
    case TYPE_INT2:
    case TYPE_INT4:
    case TYPE_INT8:
    case TYPE_BOOL: return "u.i";
    case TYPE_FLOAT8: return "u.f";
    case TYPE_TEXT:
    case TYPE_VARCHAR:
    case TYPE_BPCHAR: return "u.s";
    default: return NULL; /* the whole strand_value */
    }
}

/* "void p(strand_ctx *ctx, int32_t a, const char **b)" */
static void signature(StrBuf *out, const char *name, const PlannerProcParam *params, int nparams) {
    strbuf_appendf(out, "void %s(strand_ctx *ctx", name);
    for (int i = 0; i < nparams; i++) {
        const char *ct = jit__c_type(params[i].type);
        bool ptr = params[i].mode != SQL_PARAM_IN;
        strbuf_appendf(out, ", %s%s%s", ct, ct[strlen(ct) - 1] == '*' ? "" : " ", ptr ? "*" : "");
        if (params[i].name) strbuf_appendf(out, "%s", params[i].name);
    }
    strbuf_appendf(out, ")");
}

static void argument(StrBuf *out, const PlannerProcParam *p, int i) {
    const char *ct = jit__c_type(p->type), *m = member(p->type);
    if (p->mode != SQL_PARAM_IN) {
        if (m)
            strbuf_appendf(out, "(%s *)&a[%d].%s", ct, i, m);
        else
            strbuf_appendf(out, "&a[%d]", i);
    } else if (!m) {
        strbuf_appendf(out, "a[%d]", i);
    } else {
        strbuf_appendf(out, "(%s)a[%d].%s", ct, i, m);
    }
}

/* The prototype of `fn` and an entry named `entry` that calls it with the
 * arguments unpacked from a strand_value array. */
static void glue(StrBuf *out, const char *fn, const char *entry, const PlannerProcParam *params, int nparams) {
    strbuf_appendf(out, "\n");
    signature(out, fn, params, nparams);
    strbuf_appendf(out, ";\nvoid %s(strand_ctx *ctx, strand_value *a) {\n    %s(ctx", entry, fn);
    for (int i = 0; i < nparams; i++) {
        strbuf_appendf(out, ", ");
        argument(out, &params[i], i);
    }
    strbuf_appendf(out, ");\n}\n");
}

/* ---- libtcc ---------------------------------------------------------------------------- */

typedef struct Diagnostics {
    char first[400]; /* the first error, as tcc words it */
} Diagnostics;

static void on_diagnostic(void *opaque, const char *msg) {
    Diagnostics *d = opaque;
    if (d->first[0] || strstr(msg, "warning:")) return;
    snprintf(d->first, sizeof d->first, "%s", msg);
}

static int count_lines(const char *s) {
    int n = 1;
    for (; *s; s++) n += *s == '\n';
    return n;
}

/* "<string>:3: error: 'x' undeclared" -> line 3, "'x' undeclared". */
static int parse_diagnostic(const char *msg, const char **text) {
    const char *p = strstr(msg, "<string>:");
    int line = 0;
    if (p) line = atoi(p + 9);
    const char *e = strstr(msg, "error: ");
    *text = e ? e + 7 : msg;
    return line;
}

/* The symbol an "undefined symbol 'x'" message names, into sym ("" if none). */
static void undefined_symbol(const char *text, char *sym, size_t cap) {
    const char *u = strstr(text, "undefined symbol '");
    snprintf(sym, cap, "%s", u ? u + 18 : "");
    char *q = strchr(sym, '\'');
    if (q) *q = '\0';
}

static bool forbidden_call(const char *what, const char *name, const char *sym, Error *err) {
    error_set(err, SQLSTATE_INVALID_FUNCTION_DEFINITION, "%s \"%s\" calls \"%s\", which reducers may not use", what,
              name, sym);
    error_hint(err, "Reducers may call strand.h's functions and the C library's string, memory, character, "
                    "formatting and math functions.");
    return false;
}

/* A compile or link error in a body of `nlines` lines: *beyond is set if
 * it lies after them (in the glue). */
static bool source_error(const char *what, const char *name, const Diagnostics *d, int nlines, bool *beyond,
                         Error *err) {
    const char *text;
    int line = parse_diagnostic(d->first, &text);
    char sym[128];
    undefined_symbol(text, sym, sizeof sym);
    *beyond = false;
    if (sym[0] && strcmp(sym, name) != 0) return forbidden_call(what, name, sym, err);
    if (sym[0] || line > nlines) {
        *beyond = true;
        error_set(err, SQLSTATE_INVALID_FUNCTION_DEFINITION, "%s", text);
        return false;
    }
    if (line > 0)
        error_set(err, SQLSTATE_INVALID_FUNCTION_DEFINITION, "%s \"%s\" does not compile: line %d: %s", what, name,
                  line, text);
    else
        error_set(err, SQLSTATE_INVALID_FUNCTION_DEFINITION, "%s \"%s\" does not compile: %s", what, name, text);
    return false;
}

static void add_symbols(TCCState *s, const JitSymbol *extra, int nextra) {
    for (size_t i = 0; i < ARRAY_LEN(SAFE_LIBC); i++) tcc_add_symbol(s, SAFE_LIBC[i].name, SAFE_LIBC[i].addr);
    for (size_t i = 0; i < jit__api_nsymbols; i++)
        tcc_add_symbol(s, jit__api_symbols[i].name, jit__api_symbols[i].addr);
    for (int i = 0; i < nextra; i++) tcc_add_symbol(s, extra[i].name, extra[i].addr);
}

/* Links the code into memory of its own, so the compiler's state can go. */
static bool relocate(TCCState *s, JitCode *code) {
    tcc_add_file(s, STRAND_TCC_LIB_DIR "/libtcc1.a");
    int size = tcc_relocate(s, NULL);
    if (size <= 0) return false;
    void *mem = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED) abort(); /* as arena_alloc: no memory, no server */
    code->mem = mem;
    code->size = (size_t)size;
    return tcc_relocate(s, mem) >= 0; /* tcc makes the pages executable */
}

/* Compiles and links src (extra: symbols it may use besides the allowed
 * ones) into *code; then looks up names[n] into addrs. */
static bool build(const char *src, const char *include_dir, const JitSymbol *extra, int nextra, JitCode *code,
                  const char *const *names, void **addrs, int n, Diagnostics *d) {
    TCCState *s = tcc_new();
    tcc_set_lib_path(s, STRAND_TCC_LIB_DIR);
    tcc_set_error_func(s, d, on_diagnostic);
    tcc_set_options(s, "-nostdlib");
    tcc_set_output_type(s, TCC_OUTPUT_MEMORY);
    tcc_add_include_path(s, include_dir);
    bool ok = tcc_compile_string(s, src) == 0;
    if (ok) add_symbols(s, extra, nextra);
    ok = ok && relocate(s, code);
    for (int i = 0; ok && i < n; i++) addrs[i] = tcc_get_symbol(s, names[i]);
    tcc_delete(s);
    if (!ok && !d->first[0]) snprintf(d->first, sizeof d->first, "the compiler failed without a message");
    return ok;
}

static JitUnit *new_unit(const char *key, const char *name, bool module) {
    JitUnit *u = calloc(1, sizeof *u);
    if (!u || !(u->key = strdup(key)) || !(u->name = strdup(name))) abort();
    u->module = module;
    strmap_init(&u->stmts);
    return u;
}

static PlannerProcParam *copy_params(const PlannerProcParam *params, int n) {
    PlannerProcParam *p = calloc((size_t)(n ? n : 1), sizeof *p);
    if (!p) abort();
    for (int i = 0; i < n; i++) {
        p[i] = params[i];
        if (params[i].name && !(p[i].name = strdup(params[i].name))) abort();
    }
    return p;
}

void jit__set_reducer(JitReducer *r, const char *name, const PlannerProcParam *params, int nparams) {
    if (!(r->name = strdup(name))) abort();
    r->params = copy_params(params, nparams);
    r->nparams = nparams;
}

/* ---- procedures ----------------------------------------------------------------------- */

JitUnit *jit__compile(const char *key, const char *name, const PlannerProcParam *params, int nparams, const char *body,
                      const char *include_dir, Error *err) {
    StrBuf src;
    strbuf_init(&src);
    /* strand.h first, so a body need not include it; #line keeps the
     * compiler's line numbers the body's own. */
    strbuf_appendf(&src, "#include <strand.h>\n#line 1\n%s", body);
    glue(&src, name, ENTRY, params, nparams);
    Diagnostics d = {{0}};
    JitUnit *u = new_unit(key, name, false);
    u->reducers = calloc(1, sizeof *u->reducers);
    if (!u->reducers) abort();
    u->nreducers = 1;
    jit__set_reducer(&u->reducers[0], name, params, nparams);
    const char *entry_name = ENTRY;
    void *entry = NULL;
    bool ok = build(src.data, include_dir, NULL, 0, &u->code[0], &entry_name, &entry, 1, &d);
    strbuf_deinit(&src);
    if (ok && entry) {
        u->reducers[0].entry = (JitEntry)entry;
        return u;
    }
    jit__unit_free(u);
    bool beyond;
    if (source_error("procedure", name, &d, count_lines(body), &beyond, err) || !beyond) return NULL;
    /* In the glue: the body's function does not match the signature. */
    char detail[sizeof err->message];
    snprintf(detail, sizeof detail, "%s", err->message);
    StrBuf sig;
    strbuf_init(&sig);
    signature(&sig, name, params, nparams);
    error_set(err, SQLSTATE_INVALID_FUNCTION_DEFINITION, "procedure \"%s\" must define the C function %s", name,
              sig.data);
    if (!strstr(detail, "undefined symbol")) error_detail(err, "%s", detail);
    strbuf_deinit(&sig);
    return NULL;
}

/* ---- modules --------------------------------------------------------------------------- */

/* The module's code: its source, then strand_module() run (in the fault
 * boundary) to learn what it declares, then one glue unit calling each
 * declared function through a symbol bound to its address. A function
 * whose C parameters do not match the signature it was declared with
 * cannot be detected here (a function pointer carries no type): strand.h
 * says so. */
JitUnit *jit__compile_module(Jit *jit, const char *key, const char *name, const char *source, Error *err) {
    StrBuf src;
    strbuf_init(&src);
    strbuf_appendf(&src, "#include <strand.h>\n#line 1\n%s", source);
    Diagnostics d = {{0}};
    JitUnit *u = new_unit(key, name, true);
    const char *declare_name = "strand_module";
    void *declare = NULL;
    bool ok = build(src.data, jit->include_dir, NULL, 0, &u->code[0], &declare_name, &declare, 1, &d);
    strbuf_deinit(&src);
    bool beyond;
    if (!ok) {
        if (!source_error("module", name, &d, count_lines(source), &beyond, err) && beyond)
            error_set(err, SQLSTATE_INVALID_FUNCTION_DEFINITION, "module \"%s\" does not link: %s", name, d.first);
        jit__unit_free(u);
        return NULL;
    }
    if (!declare) {
        error_set(err, SQLSTATE_INVALID_FUNCTION_DEFINITION,
                  "module \"%s\" must define the C function void strand_module(strand_module_def *m)", name);
        jit__unit_free(u);
        return NULL;
    }
    if (!jit__declare(jit, u, (void (*)(strand_module_def *))declare, err)) {
        jit__unit_free(u);
        return NULL;
    }
    strbuf_init(&src);
    JitSymbol *fns = calloc((size_t)u->nreducers + 1, sizeof *fns);
    const char **entry_names = calloc((size_t)u->nreducers + 1, sizeof *entry_names);
    void **entries = calloc((size_t)u->nreducers + 1, sizeof *entries);
    if (!fns || !entry_names || !entries) abort();
    Arena names;
    arena_init(&names, 1024);
    strbuf_appendf(&src, "#include <strand.h>\n");
    for (int i = 0; i < u->nreducers; i++) {
        fns[i].name = arena_sprintf(&names, "strand__fn_%d", i);
        fns[i].addr = u->reducers[i].fn;
        entry_names[i] = arena_sprintf(&names, "strand__entry_%d", i);
        glue(&src, fns[i].name, entry_names[i], u->reducers[i].params, u->reducers[i].nparams);
    }
    ok = build(src.data, jit->include_dir, fns, u->nreducers, &u->code[1], entry_names, entries, u->nreducers, &d);
    for (int i = 0; ok && i < u->nreducers; i++) u->reducers[i].entry = (JitEntry)entries[i];
    if (!ok) error_set(err, SQLSTATE_INTERNAL_ERROR, "module \"%s\": its glue does not compile: %s", name, d.first);
    arena_deinit(&names);
    strbuf_deinit(&src);
    free(fns);
    free(entry_names);
    free(entries);
    if (ok) return u;
    jit__unit_free(u);
    return NULL;
}
