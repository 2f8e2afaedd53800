/*
 * isolation_tester.c — runs a concurrency spec (PostgreSQL's isolation spec
 * format: setup, teardown, sessions with steps, permutations) against a
 * server and prints a transcript that tests/isolation/run.sh compares with an
 * expected file made by PostgreSQL 15.
 *
 * Usage: isolation_tester [--blocked=auto|pg|roundtrip] SPECFILE CONNINFO
 *
 * Every permutation gets fresh connections: a control connection (global
 * setup and teardown, blocked checks) and one per session. Steps are sent
 * asynchronously; a step that has not completed is reported as waiting, and
 * that decision is deterministic, never a bare timeout:
 *   pg         asks PostgreSQL (pg_isolation_test_session_is_blocked) whether
 *              the backend waits for a lock held by another test session;
 *   roundtrip  strand runs every statement on one event loop, so a statement
 *              that has not answered after two round trips on the control
 *              connection is parked;
 *   auto       roundtrip if server_version mentions strand, else pg.
 * Completions found by one check are printed in the order the steps started
 * waiting, so the transcript does not depend on which one the server
 * finished first. See tests/isolation/README.md for the formats.
 *
 * Deliberately not supported: generating permutations (each spec lists
 * them), step annotations such as s1a(*), NOTIFY output, cancelling a hung
 * step (a step that neither completes nor blocks within 60 s is fatal).
 */
#include <libpq-fe.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* How long a step may take to complete or block before the run fails. */
#define STEP_TIMEOUT_S 60.0
/* After the round trips, how long a step's answer may take on loopback. */
#define ROUNDTRIP_GRACE_MS 20

typedef enum { BLOCKED_AUTO, BLOCKED_PG, BLOCKED_ROUNDTRIP } BlockedMode;

typedef struct {
    char *data;
    size_t len, cap;
} Buf;

typedef struct {
    char *name;
    int session;
    char *sql;
    bool disconnect; /* the meta step \disconnect */
} Step;

typedef struct {
    char *name;
    char *setup, *teardown; /* NULL when absent */
} Session;

typedef struct {
    int *steps; /* indexes into Spec.steps */
    int nsteps;
} Permutation;

typedef struct {
    char **setups, **teardowns;
    int nsetups, nteardowns;
    Session *sessions;
    int nsessions;
    Step *steps;
    int nsteps;
    Permutation *perms;
    int nperms;
} Spec;

typedef struct {
    PGconn *conn; /* NULL once disconnected */
    const char *name;
    int pid;
    const Step *active; /* the step in flight, NULL when idle */
    Buf out;            /* what the step in flight (or setup) printed so far */
} Conn;

typedef struct {
    const Spec *spec;
    const char *conninfo;
    BlockedMode mode;
    Conn control;
    Conn *sessions;
    int *waiting; /* session indexes, in the order their steps started waiting */
    int nwaiting;
} Run;

/* ---- small helpers ---- */

static void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void fatal(const char *fmt, ...) {
    va_list ap;
    fflush(stdout);
    fputs("isolation_tester: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

static void *xrealloc(void *p, size_t n) {
    p = realloc(p, n ? n : 1);
    if (!p) fatal("out of memory");
    return p;
}

/* Appends one element slot to a growable array and returns its index (use
 * the index in a separate statement: the array moves). */
#define PUSH(arr, n) ((arr) = xrealloc((arr), ((size_t)(n) + 1) * sizeof *(arr)), (n)++)

/* Every string the parser makes, freed at the end in one go, so that a
 * sanitizer build (leak checks on) passes. */
static char **owned_strings;
static int nowned_strings;

static char *xstrndup(const char *s, size_t n) {
    char *d = xrealloc(NULL, n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    int i = PUSH(owned_strings, nowned_strings);
    owned_strings[i] = d;
    return d;
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void buf_add(Buf *b, const char *s, size_t n) {
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->data = xrealloc(b->data, b->cap);
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static void buf_puts(Buf *b, const char *s) { buf_add(b, s, strlen(s)); }

static void buf_printf(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void buf_printf(Buf *b, const char *fmt, ...) {
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) fatal("vsnprintf failed");
    if ((size_t)n < sizeof small) {
        buf_add(b, small, (size_t)n);
        return;
    }
    char *big = xrealloc(NULL, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    buf_add(b, big, (size_t)n);
    free(big);
}

static void buf_pad(Buf *b, size_t n) {
    while (n-- > 0) buf_add(b, " ", 1);
}

/* Writes what a connection collected to stdout and empties it. */
static void flush_out(Conn *c) {
    if (c->out.len) fwrite(c->out.data, 1, c->out.len, stdout);
    c->out.len = 0;
}

/* ---- spec parser ---- */

typedef enum { TOK_EOF, TOK_WORD, TOK_BLOCK } TokKind;

typedef struct {
    TokKind kind;
    char *text;
    int line;
} Token;

typedef struct {
    const char *path;
    const char *p;
    int line;
    Token peeked;
    bool has_peeked;
} Lexer;

static void parse_error(const Lexer *lx, int line, const char *what) { fatal("%s:%d: %s", lx->path, line, what); }

static void skip_space_and_comments(Lexer *lx) {
    for (;;) {
        if (*lx->p == '\n') lx->line++;
        if (*lx->p == ' ' || *lx->p == '\t' || *lx->p == '\r' || *lx->p == '\n') {
            lx->p++;
        } else if (*lx->p == '#') {
            while (*lx->p && *lx->p != '\n') lx->p++;
        } else {
            return;
        }
    }
}

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

static bool is_word_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* A { ... } block ends at the first '}'; its text is trimmed of blank space. */
static Token lex_block(Lexer *lx, Token t) {
    const char *start = ++lx->p;
    while (*lx->p && *lx->p != '}') {
        if (*lx->p == '\n') lx->line++;
        lx->p++;
    }
    if (!*lx->p) parse_error(lx, t.line, "unterminated { block");
    const char *end = lx->p++;
    while (start < end && is_space(*start)) start++;
    while (end > start && is_space(end[-1])) end--;
    t.kind = TOK_BLOCK;
    t.text = xstrndup(start, (size_t)(end - start));
    return t;
}

static Token lex_next(Lexer *lx) {
    if (lx->has_peeked) {
        lx->has_peeked = false;
        return lx->peeked;
    }
    skip_space_and_comments(lx);
    Token t = {TOK_EOF, NULL, lx->line};
    if (!*lx->p) return t;
    if (*lx->p == '{') return lex_block(lx, t);
    t.kind = TOK_WORD;
    if (*lx->p == '"') {
        const char *start = ++lx->p;
        while (*lx->p && *lx->p != '"' && *lx->p != '\n') lx->p++;
        if (*lx->p != '"') parse_error(lx, t.line, "unterminated quoted name");
        t.text = xstrndup(start, (size_t)(lx->p++ - start));
        return t;
    }
    const char *start = lx->p;
    while (is_word_char(*lx->p)) lx->p++;
    if (lx->p == start) parse_error(lx, t.line, "unexpected character");
    t.text = xstrndup(start, (size_t)(lx->p - start));
    return t;
}

static Token lex_peek(Lexer *lx) {
    if (!lx->has_peeked) {
        lx->peeked = lex_next(lx);
        lx->has_peeked = true;
    }
    return lx->peeked;
}

static bool is_keyword(Token t, const char *kw) { return t.kind == TOK_WORD && strcmp(t.text, kw) == 0; }

static char *expect(Lexer *lx, TokKind kind, const char *what) {
    Token t = lex_next(lx);
    if (t.kind != kind) parse_error(lx, t.line, what);
    return t.text;
}

static void parse_session(Spec *spec, Lexer *lx) {
    int si = PUSH(spec->sessions, spec->nsessions);
    Session *s = &spec->sessions[si];
    *s = (Session){expect(lx, TOK_WORD, "expected a session name"), NULL, NULL};
    if (is_keyword(lex_peek(lx), "setup")) {
        lex_next(lx);
        s->setup = expect(lx, TOK_BLOCK, "expected { SQL } after setup");
    }
    while (is_keyword(lex_peek(lx), "step")) {
        lex_next(lx);
        int i = PUSH(spec->steps, spec->nsteps);
        Step *st = &spec->steps[i];
        st->name = expect(lx, TOK_WORD, "expected a step name");
        st->sql = expect(lx, TOK_BLOCK, "expected { SQL } after the step name");
        st->session = si;
        st->disconnect = strcmp(st->sql, "\\disconnect") == 0;
    }
    if (is_keyword(lex_peek(lx), "teardown")) {
        lex_next(lx);
        s->teardown = expect(lx, TOK_BLOCK, "expected { SQL } after teardown");
    }
}

static int find_step(const Spec *spec, const char *name) {
    for (int i = 0; i < spec->nsteps; i++)
        if (strcmp(spec->steps[i].name, name) == 0) return i;
    return -1;
}

static void parse_permutation(Spec *spec, Lexer *lx, int line) {
    int pi = PUSH(spec->perms, spec->nperms);
    Permutation *p = &spec->perms[pi];
    *p = (Permutation){NULL, 0};
    while (lex_peek(lx).kind == TOK_WORD && !is_keyword(lex_peek(lx), "permutation")) {
        Token t = lex_next(lx);
        int i = find_step(spec, t.text);
        if (i < 0) parse_error(lx, t.line, "unknown step in permutation");
        int k = PUSH(p->steps, p->nsteps);
        p->steps[k] = i;
    }
    if (p->nsteps == 0) parse_error(lx, line, "empty permutation");
}

/* Grammar: (setup B)* (teardown B)* (session N [setup B] (step N B)+ [teardown B])+ (permutation N+)+ */
static void parse_spec(Spec *spec, Lexer *lx) {
    while (is_keyword(lex_peek(lx), "setup") || is_keyword(lex_peek(lx), "teardown")) {
        bool setup = is_keyword(lex_next(lx), "setup");
        char *sql = expect(lx, TOK_BLOCK, "expected { SQL }");
        if (setup) {
            int k = PUSH(spec->setups, spec->nsetups);
            spec->setups[k] = sql;
        } else {
            int k = PUSH(spec->teardowns, spec->nteardowns);
            spec->teardowns[k] = sql;
        }
    }
    while (is_keyword(lex_peek(lx), "session")) {
        lex_next(lx);
        parse_session(spec, lx);
    }
    while (is_keyword(lex_peek(lx), "permutation")) parse_permutation(spec, lx, lex_next(lx).line);
    Token t = lex_peek(lx);
    if (t.kind != TOK_EOF) parse_error(lx, t.line, "expected setup, teardown, session or permutation here");
}

/* Names are unique; every session has a step; nothing runs after \disconnect. */
static void validate_spec(const Spec *spec, const char *path) {
    if (spec->nsessions == 0) fatal("%s: no sessions", path);
    if (spec->nperms == 0) fatal("%s: no permutations (this tester does not generate them)", path);
    for (int i = 0; i < spec->nsessions; i++)
        for (int j = 0; j < i; j++)
            if (strcmp(spec->sessions[i].name, spec->sessions[j].name) == 0)
                fatal("%s: session %s defined twice", path, spec->sessions[i].name);
    for (int i = 0; i < spec->nsteps; i++)
        if (find_step(spec, spec->steps[i].name) != i) fatal("%s: step %s defined twice", path, spec->steps[i].name);
    bool *gone = xrealloc(NULL, (size_t)spec->nsessions * sizeof *gone);
    for (int p = 0; p < spec->nperms; p++) {
        memset(gone, 0, (size_t)spec->nsessions * sizeof *gone);
        for (int k = 0; k < spec->perms[p].nsteps; k++) {
            const Step *st = &spec->steps[spec->perms[p].steps[k]];
            if (gone[st->session])
                fatal("%s: permutation %d runs step %s after its session disconnected", path, p + 1, st->name);
            gone[st->session] = st->disconnect;
        }
    }
    free(gone);
}

static void free_spec(Spec *spec) {
    for (int i = 0; i < spec->nperms; i++) free(spec->perms[i].steps);
    free(spec->perms);
    free(spec->steps);
    free(spec->sessions);
    free(spec->setups);
    free(spec->teardowns);
    for (int i = 0; i < nowned_strings; i++) free(owned_strings[i]);
    free(owned_strings);
}

static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) fatal("cannot open %s", path);
    Buf b = {0};
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) buf_add(&b, chunk, n);
    fclose(f);
    buf_add(&b, "", 0);
    return b.data;
}

/* ---- result formatting ---- */

static bool is_numeric_type(Oid type) {
    switch (type) {
    case 20:  /* int8 */
    case 21:  /* int2 */
    case 23:  /* int4 */
    case 26:  /* oid */
    case 700: /* float4 */
    case 701: /* float8 */
    case 1700: /* numeric */ return true;
    default: return false;
    }
}

/* Characters, not bytes, so UTF-8 text lines up. */
static size_t display_width(const char *s) {
    size_t w = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) w++;
    return w;
}

static void format_cell(Buf *b, const char *s, size_t width, bool right, bool last) {
    size_t w = display_width(s);
    if (right) buf_pad(b, width - w);
    buf_puts(b, s);
    if (!right && !last) buf_pad(b, width - w);
}

/* Columns separated by '|', numbers right-aligned, text left-aligned, NULL
 * empty, no trailing blanks, then a dashed rule, the rows and a row count. */
static void format_tuples(Buf *b, const PGresult *res) {
    int nf = PQnfields(res), nt = PQntuples(res);
    size_t *width = xrealloc(NULL, (size_t)nf * sizeof *width);
    for (int f = 0; f < nf; f++) {
        width[f] = display_width(PQfname(res, f));
        for (int t = 0; t < nt; t++) {
            size_t w = display_width(PQgetvalue(res, t, f));
            if (w > width[f]) width[f] = w;
        }
    }
    for (int f = 0; f < nf; f++) {
        if (f) buf_puts(b, "|");
        format_cell(b, PQfname(res, f), width[f], is_numeric_type(PQftype(res, f)), f == nf - 1);
    }
    buf_puts(b, "\n");
    for (int f = 0; f < nf; f++) {
        if (f) buf_puts(b, "+");
        for (size_t i = 0; i < width[f]; i++) buf_puts(b, "-");
    }
    buf_puts(b, "\n");
    for (int t = 0; t < nt; t++) {
        for (int f = 0; f < nf; f++) {
            if (f) buf_puts(b, "|");
            format_cell(b, PQgetvalue(res, t, f), width[f], is_numeric_type(PQftype(res, f)), f == nf - 1);
        }
        buf_puts(b, "\n");
    }
    buf_printf(b, "(%d row%s)\n", nt, nt == 1 ? "" : "s");
    free(width);
}

/* Deadlock details name pids and xids, which differ on every run. */
static void add_masked_digits(Buf *b, const char *s) {
    while (*s) {
        if (*s >= '0' && *s <= '9') {
            buf_puts(b, "N");
            while (*s >= '0' && *s <= '9') s++;
        } else {
            buf_add(b, s++, 1);
        }
    }
}

static bool sqlstate_is(const char *state, const char *want) { return state && strcmp(state, want) == 0; }

/* "SEVERITY:  message" and "DETAIL:  ...", except SSI's 40001 reason codes,
 * which are PostgreSQL internals, and digits of 40P01 details. */
static void format_error(Buf *b, const PGresult *res) {
    const char *sev = PQresultErrorField(res, PG_DIAG_SEVERITY);
    const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
    const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    const char *detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
    if (!sev || !msg) { /* made by libpq itself: no fields, only a message */
        const char *m = PQresultErrorMessage(res);
        size_t n = strlen(m);
        while (n > 0 && m[n - 1] == '\n') n--;
        buf_add(b, m, n);
        buf_puts(b, "\n");
        return;
    }
    buf_printf(b, "%s:  %s\n", sev, msg);
    if (!detail || sqlstate_is(state, "40001")) return;
    buf_puts(b, "DETAIL:  ");
    if (sqlstate_is(state, "40P01"))
        add_masked_digits(b, detail);
    else
        buf_puts(b, detail);
    buf_puts(b, "\n");
}

static void format_result(Buf *b, const PGresult *res) {
    switch (PQresultStatus(res)) {
    case PGRES_COMMAND_OK:
    case PGRES_EMPTY_QUERY: break;
    case PGRES_TUPLES_OK: format_tuples(b, res); break;
    case PGRES_FATAL_ERROR:
    case PGRES_NONFATAL_ERROR: format_error(b, res); break;
    default: buf_printf(b, "unexpected result status: %s\n", PQresStatus(PQresultStatus(res)));
    }
}

/* Notices go into the connection's output in the order they arrive among
 * the results, and are printed with them. */
static void on_notice(void *arg, const PGresult *res) {
    Conn *c = arg;
    const char *sev = PQresultErrorField(res, PG_DIAG_SEVERITY);
    const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
    buf_printf(&c->out, "%s: %s:  %s\n", c->name, sev ? sev : "NOTICE", msg ? msg : "");
}

/* ---- connections ---- */

static void open_conn(Run *r, Conn *c, const char *name) {
    c->name = name;
    c->active = NULL;
    c->out.len = 0;
    c->conn = PQconnectdb(r->conninfo);
    if (PQstatus(c->conn) != CONNECTION_OK) fatal("connection for %s failed: %s", name, PQerrorMessage(c->conn));
    PQsetNoticeReceiver(c->conn, on_notice, c);
    c->pid = PQbackendPID(c->conn);
}

/* Runs setup or teardown SQL and prints its result sets; any error is fatal. */
static void run_sql(Conn *c, const char *sql, const char *what) {
    if (!PQsendQuery(c->conn, sql)) fatal("%s of %s: %s", what, c->name, PQerrorMessage(c->conn));
    PGresult *res;
    while ((res = PQgetResult(c->conn)) != NULL) {
        ExecStatusType st = PQresultStatus(res);
        if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY) {
            flush_out(c);
            fatal("%s of %s failed: %s", what, c->name, PQresultErrorMessage(res));
        }
        format_result(&c->out, res);
        PQclear(res);
    }
    flush_out(c);
}

/* One SELECT 1 on the control connection: strand answers it only after
 * every message that reached its event loop earlier has been handled. */
static void roundtrip(Run *r) {
    PGresult *res = PQexec(r->control.conn, "SELECT 1");
    if (PQresultStatus(res) != PGRES_TUPLES_OK) fatal("SELECT 1 failed: %s", PQerrorMessage(r->control.conn));
    PQclear(res);
}

static void wait_readable(const Conn *c, int ms) {
    struct pollfd pfd = {PQsocket(c->conn), POLLIN, 0};
    if (ms > 0 && !PQisBusy(c->conn)) return;
    poll(&pfd, 1, ms);
}

/* Reads whatever has arrived for the step in flight; true once it is
 * complete (every result up to ReadyForQuery). */
static bool collect(Conn *c) {
    if (!PQconsumeInput(c->conn)) fatal("%s: connection lost: %s", c->name, PQerrorMessage(c->conn));
    while (!PQisBusy(c->conn)) {
        PGresult *res = PQgetResult(c->conn);
        if (!res) return true;
        format_result(&c->out, res);
        PQclear(res);
    }
    return false;
}

/* The pids of the other live sessions as an int4[] literal. */
static void other_pids(const Run *r, int self, char *out, size_t size) {
    size_t n = (size_t)snprintf(out, size, "{");
    for (int i = 0; i < r->spec->nsessions; i++) {
        if (i == self || !r->sessions[i].conn) continue;
        n += (size_t)snprintf(out + n, size - n, "%s%d", n > 1 ? "," : "", r->sessions[i].pid);
    }
    snprintf(out + n, size - n, "}");
}

static bool pg_is_blocked(Run *r, int si) {
    char pid[16], pids[16 * 64];
    if (r->spec->nsessions > 64) fatal("at most 64 sessions");
    snprintf(pid, sizeof pid, "%d", r->sessions[si].pid);
    other_pids(r, si, pids, sizeof pids);
    const char *params[2] = {pid, pids};
    PGresult *res = PQexecParams(r->control.conn, "SELECT pg_catalog.pg_isolation_test_session_is_blocked($1, $2)", 2,
                                 NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1)
        fatal("blocked check failed: %s", PQerrorMessage(r->control.conn));
    bool blocked = PQgetvalue(res, 0, 0)[0] == 't';
    PQclear(res);
    return blocked;
}

/* roundtrip mode: an answer not there after two round trips (and a short
 * grace for loopback delivery) means the statement is parked. */
static bool roundtrip_says_done(Run *r, Conn *c) {
    roundtrip(r);
    roundtrip(r);
    double deadline = now_s() + ROUNDTRIP_GRACE_MS / 1000.0;
    for (;;) {
        if (collect(c)) return true;
        int left = (int)((deadline - now_s()) * 1000.0 + 0.5);
        if (left <= 0) return false;
        wait_readable(c, left);
    }
}

/* Decides, deterministically, whether session si's step in flight has
 * completed (true) or is blocked (false). In pg mode it polls until the
 * step is either done or reported blocked by the lock manager. */
static bool step_done(Run *r, int si) {
    Conn *c = &r->sessions[si];
    double deadline = now_s() + STEP_TIMEOUT_S;
    for (;;) {
        if (collect(c)) return true;
        if (r->mode == BLOCKED_ROUNDTRIP) return roundtrip_says_done(r, c);
        /* A result (or notice) may have come in during the check. */
        if (pg_is_blocked(r, si)) return collect(c);
        if (now_s() > deadline)
            fatal("step %s neither completed nor blocked within %.0f s", c->active->name, STEP_TIMEOUT_S);
        wait_readable(c, 1);
    }
}

/* ---- running a permutation ---- */

static void print_completed(Conn *c, bool was_waiting) {
    if (was_waiting)
        printf("step %s: <... completed>\n", c->active->name);
    else
        printf("step %s: %s\n", c->active->name, c->active->sql);
    flush_out(c);
    c->active = NULL;
}

/* Re-checks every waiting step until a full pass finds no new completion
 * (one completion can release another), then prints the completed ones in
 * the order they started waiting. */
static void settle(Run *r) {
    if (r->nwaiting == 0) return;
    bool *done = xrealloc(NULL, (size_t)r->nwaiting * sizeof *done);
    memset(done, 0, (size_t)r->nwaiting * sizeof *done);
    bool changed;
    do {
        changed = false;
        for (int i = 0; i < r->nwaiting; i++)
            if (!done[i] && step_done(r, r->waiting[i])) done[i] = changed = true;
    } while (changed);
    int keep = 0;
    for (int i = 0; i < r->nwaiting; i++) {
        if (done[i])
            print_completed(&r->sessions[r->waiting[i]], true);
        else
            r->waiting[keep++] = r->waiting[i];
    }
    r->nwaiting = keep;
    free(done);
}

/* Waits for session si's waiting step, printing whatever completes meanwhile. */
static void wait_for_session(Run *r, int si) {
    Conn *c = &r->sessions[si];
    double deadline = now_s() + STEP_TIMEOUT_S;
    while (c->active) {
        settle(r);
        if (!c->active) break;
        if (now_s() > deadline) fatal("step %s did not complete within %.0f s", c->active->name, STEP_TIMEOUT_S);
        wait_readable(c, 5);
    }
}

static void forget_waiting(Run *r, int si) {
    int keep = 0;
    for (int i = 0; i < r->nwaiting; i++)
        if (r->waiting[i] != si) r->waiting[keep++] = r->waiting[i];
    r->nwaiting = keep;
}

/* Returns once the server has noticed that a backend's client is gone (and
 * so has ended its transaction and released its locks). */
static void wait_backend_gone(Run *r, int pid) {
    if (r->mode == BLOCKED_ROUNDTRIP) {
        roundtrip(r);
        roundtrip(r);
        return;
    }
    char pidtext[16];
    snprintf(pidtext, sizeof pidtext, "%d", pid);
    const char *params[1] = {pidtext};
    double deadline = now_s() + STEP_TIMEOUT_S;
    for (;;) {
        PGresult *res = PQexecParams(r->control.conn, "SELECT 1 FROM pg_catalog.pg_stat_activity WHERE pid = $1", 1,
                                     NULL, params, NULL, NULL, 0);
        if (PQresultStatus(res) != PGRES_TUPLES_OK) fatal("pg_stat_activity: %s", PQerrorMessage(r->control.conn));
        int rows = PQntuples(res);
        PQclear(res);
        if (rows == 0) return;
        if (now_s() > deadline)
            fatal("backend %d still running %.0f s after its client disconnected", pid, STEP_TIMEOUT_S);
        poll(NULL, 0, 1);
    }
}

/* Closes a session's connection, abandoning a step it may have in flight. */
static void disconnect_session(Run *r, int si) {
    Conn *c = &r->sessions[si];
    forget_waiting(r, si);
    PQfinish(c->conn);
    c->conn = NULL;
    c->active = NULL;
    c->out.len = 0;
    wait_backend_gone(r, c->pid);
}

static void run_step(Run *r, const Step *st) {
    int si = st->session;
    Conn *c = &r->sessions[si];
    if (st->disconnect) {
        disconnect_session(r, si);
        printf("step %s: %s\n", st->name, st->sql);
        settle(r);
        return;
    }
    /* A session runs one statement at a time: wait for the earlier one. */
    if (c->active) wait_for_session(r, si);
    if (!PQsendQuery(c->conn, st->sql)) fatal("sending step %s: %s", st->name, PQerrorMessage(c->conn));
    c->active = st;
    if (step_done(r, si)) {
        print_completed(c, false);
    } else {
        printf("step %s: %s <waiting ...>\n", st->name, st->sql);
        r->waiting[r->nwaiting++] = si;
    }
    settle(r);
}

static void choose_mode(Run *r) {
    if (r->mode != BLOCKED_AUTO) return;
    const char *version = PQparameterStatus(r->control.conn, "server_version");
    r->mode = version && strstr(version, "strand") ? BLOCKED_ROUNDTRIP : BLOCKED_PG;
}

static void setup_permutation(Run *r) {
    const Spec *spec = r->spec;
    open_conn(r, &r->control, "control connection");
    choose_mode(r);
    for (int i = 0; i < spec->nsessions; i++) {
        open_conn(r, &r->sessions[i], spec->sessions[i].name);
        r->sessions[i].out.len = 0;
    }
    for (int i = 0; i < spec->nsetups; i++) run_sql(&r->control, spec->setups[i], "setup");
    for (int i = 0; i < spec->nsessions; i++)
        if (spec->sessions[i].setup) run_sql(&r->sessions[i], spec->sessions[i].setup, "setup");
}

/* Session teardowns, then the sessions close (ending any open transaction)
 * before the global teardown drops what they used. */
static void teardown_permutation(Run *r) {
    const Spec *spec = r->spec;
    for (int i = 0; i < spec->nsessions; i++)
        if (r->sessions[i].conn && spec->sessions[i].teardown)
            run_sql(&r->sessions[i], spec->sessions[i].teardown, "teardown");
    for (int i = 0; i < spec->nsessions; i++)
        if (r->sessions[i].conn) disconnect_session(r, i);
    for (int i = 0; i < spec->nteardowns; i++) run_sql(&r->control, spec->teardowns[i], "teardown");
    PQfinish(r->control.conn);
    r->control.conn = NULL;
}

static void run_permutation(Run *r, const Permutation *p) {
    printf("\nstarting permutation:");
    for (int i = 0; i < p->nsteps; i++) printf(" %s", r->spec->steps[p->steps[i]].name);
    printf("\n");
    setup_permutation(r);
    for (int i = 0; i < p->nsteps; i++) run_step(r, &r->spec->steps[p->steps[i]]);
    while (r->nwaiting > 0) wait_for_session(r, r->waiting[0]);
    teardown_permutation(r);
}

static void usage(void) {
    fprintf(stderr, "usage: isolation_tester [--blocked=auto|pg|roundtrip] SPECFILE CONNINFO\n");
    exit(2);
}

int main(int argc, char **argv) {
    BlockedMode mode = BLOCKED_AUTO;
    int argi = 1;
    for (; argi < argc && strncmp(argv[argi], "--", 2) == 0; argi++) {
        if (strcmp(argv[argi], "--blocked=auto") == 0)
            mode = BLOCKED_AUTO;
        else if (strcmp(argv[argi], "--blocked=pg") == 0)
            mode = BLOCKED_PG;
        else if (strcmp(argv[argi], "--blocked=roundtrip") == 0)
            mode = BLOCKED_ROUNDTRIP;
        else
            usage();
    }
    if (argc - argi != 2) usage();

    Spec spec = {0};
    char *text = read_file(argv[argi]);
    Lexer lx = {argv[argi], text, 1, {TOK_EOF, NULL, 0}, false};
    parse_spec(&spec, &lx);
    validate_spec(&spec, argv[argi]);
    free(text);

    Run r = {&spec, argv[argi + 1], mode, {0}, NULL, NULL, 0};
    r.sessions = xrealloc(NULL, (size_t)spec.nsessions * sizeof *r.sessions);
    memset(r.sessions, 0, (size_t)spec.nsessions * sizeof *r.sessions);
    r.waiting = xrealloc(NULL, (size_t)spec.nsessions * sizeof *r.waiting);
    printf("Parsed test spec with %d sessions\n", spec.nsessions);
    for (int i = 0; i < spec.nperms; i++) run_permutation(&r, &spec.perms[i]);
    fflush(stdout);
    for (int i = 0; i < spec.nsessions; i++) free(r.sessions[i].out.data);
    free(r.control.out.data);
    free(r.sessions);
    free(r.waiting);
    free_spec(&spec);
    return 0;
}
