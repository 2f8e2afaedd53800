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

static void glue(StrBuf *out, const char *name, const PlannerProcParam *params, int nparams) {
    strbuf_appendf(out, "\n");
    signature(out, name, params, nparams);
    strbuf_appendf(out, ";\nvoid " ENTRY "(strand_ctx *ctx, strand_value *a) {\n    %s(ctx", name);
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

static JitUnit *compile_error(const char *name, const PlannerProcParam *params, int nparams, const char *body,
                              const Diagnostics *d, Error *err) {
    const char *text;
    int line = parse_diagnostic(d->first, &text);
    const char *undefined = strstr(text, "undefined symbol '");
    if (undefined) {
        char sym[128];
        snprintf(sym, sizeof sym, "%s", undefined + 18);
        char *q = strchr(sym, '\'');
        if (q) *q = '\0';
        if (strcmp(sym, name) == 0) {
            line = INT32_MAX; /* the function itself is missing: say what to define */
        } else {
            error_set(err, SQLSTATE_INVALID_FUNCTION_DEFINITION,
                      "procedure \"%s\" calls \"%s\", which reducers may not use", name, sym);
            error_hint(err, "Reducers may call strand.h's functions and the C library's string, memory, character, "
                            "formatting and math functions.");
            return NULL;
        }
    }
    if (line > count_lines(body)) {
        StrBuf sig;
        strbuf_init(&sig);
        signature(&sig, name, params, nparams);
        error_set(err, SQLSTATE_INVALID_FUNCTION_DEFINITION, "procedure \"%s\" must define the C function %s", name,
                  sig.data);
        if (line != INT32_MAX) error_detail(err, "%s", text);
        strbuf_deinit(&sig);
        return NULL;
    }
    if (line > 0)
        error_set(err, SQLSTATE_INVALID_FUNCTION_DEFINITION, "procedure \"%s\" does not compile: line %d: %s", name,
                  line, text);
    else
        error_set(err, SQLSTATE_INVALID_FUNCTION_DEFINITION, "procedure \"%s\" does not compile: %s", name, text);
    return NULL;
}

static void add_symbols(TCCState *s) {
    for (size_t i = 0; i < ARRAY_LEN(SAFE_LIBC); i++) tcc_add_symbol(s, SAFE_LIBC[i].name, SAFE_LIBC[i].addr);
    for (size_t i = 0; i < jit__api_nsymbols; i++)
        tcc_add_symbol(s, jit__api_symbols[i].name, jit__api_symbols[i].addr);
}

/* Links the unit into memory of its own, so the compiler's state can go. */
static bool relocate(TCCState *s, JitUnit *u) {
    tcc_add_file(s, STRAND_TCC_LIB_DIR "/libtcc1.a");
    int size = tcc_relocate(s, NULL);
    if (size <= 0) return false;
    void *mem = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED) abort(); /* as arena_alloc: no memory, no server */
    u->code = mem;
    u->code_size = (size_t)size;
    return tcc_relocate(s, mem) >= 0; /* tcc makes the pages executable */
}

JitUnit *jit__compile(const char *key, const char *name, const PlannerProcParam *params, int nparams, const char *body,
                      const char *include_dir, Error *err) {
    StrBuf src;
    strbuf_init(&src);
    /* strand.h first, so a body need not include it; #line keeps the
     * compiler's line numbers the body's own. */
    strbuf_appendf(&src, "#include <strand.h>\n#line 1\n%s", body);
    glue(&src, name, params, nparams);
    Diagnostics d = {{0}};
    JitUnit *u = calloc(1, sizeof *u);
    if (!u) abort();
    TCCState *s = tcc_new();
    tcc_set_lib_path(s, STRAND_TCC_LIB_DIR);
    tcc_set_error_func(s, &d, on_diagnostic);
    tcc_set_options(s, "-nostdlib");
    tcc_set_output_type(s, TCC_OUTPUT_MEMORY);
    tcc_add_include_path(s, include_dir);
    bool ok = tcc_compile_string(s, src.data) == 0;
    if (ok) add_symbols(s);
    ok = ok && relocate(s, u);
    if (ok) {
        u->entry = (void (*)(strand_ctx *, strand_value *))tcc_get_symbol(s, ENTRY);
        if (!(u->key = strdup(key))) abort();
        strmap_init(&u->stmts);
    }
    tcc_delete(s);
    strbuf_deinit(&src);
    if (ok && u->entry) return u;
    jit__unit_free(u);
    if (!d.first[0]) snprintf(d.first, sizeof d.first, "the compiler failed without a message");
    return compile_error(name, params, nparams, body, &d, err);
}
