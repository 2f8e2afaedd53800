/*
 * copy.c — COPY: binding its options, table, columns or query, and the
 * three data formats of PostgreSQL's COPY (text, CSV, binary) in both
 * directions. It reads and writes bytes only; the protocol messages that
 * carry them (CopyInResponse, CopyData, ...) are the engine's and pgwire's.
 *
 * COPY FROM takes all of the data at once (the engine collects it until
 * CopyDone), so a COPY that meets another transaction's lock can be undone
 * and run again from the same bytes, like any statement that parks.
 *
 * THE FORMATS (PostgreSQL 15's, byte for byte)
 *   text:   one line per row, ended by \n (or \r\n); columns separated by
 *           the delimiter (tab); NULL is the null string (\N) as written;
 *           backslash escapes \b \f \n \r \t \v \\, \ooo (octal), \xhh, and
 *           \c for any other c. A line \. ends the data.
 *   CSV:    columns separated by the delimiter (,); a field in quotes (")
 *           may hold delimiters, newlines and doubled quotes (or quotes
 *           after the escape character); NULL is the null string (empty)
 *           unquoted, so "" is an empty string. A line \. ends the data.
 *   binary: "PGCOPY\n\377\r\n\0", Int32 flags, Int32 header extension
 *           length and that many bytes; per row Int16 field count, then
 *           per field Int32 length (-1 NULL) and the type's binary form;
 *           Int16 -1 ends the data.
 *   Text and CSV may start with a header line (HEADER), skipped on input.
 *
 * Errors name the place as PostgreSQL's CONTEXT does: `COPY t, line 3,
 * column b: "x"` for a value, `COPY t, line 3: "the line"` for a row.
 *
 * INTERFACE: planner_copy_kind, planner_copy_binary, planner_copy_ncols,
 *            planner_copy_from, planner_copy_out_begin, planner_copy_out_step,
 *            planner_copy_out_end (planner.h);
 *            planner__bind_copy (planner_int.h)
 */
#include "planner/planner_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef enum CopyFormat { FORMAT_TEXT, FORMAT_CSV, FORMAT_BINARY } CopyFormat;

struct CopyPlan {
    bool from;
    CopyFormat format;
    bool header;
    char delim, quote, escape;
    const char *null_str;
    size_t null_len;
    Table *table;        /* the table form; NULL for COPY (query) TO */
    const char *relname; /* for CONTEXT */
    int ncols;
    int *cols;           /* table column of each COPY column */
    bool *force_quote;   /* per COPY column (TO, CSV) */
    bool *force_notnull; /* per COPY column (FROM, CSV) */
    bool *force_null;
    Plan *query;        /* COPY (query) TO */
    const char **names; /* the COPY columns' names (header) */
};

/* ---- options ----------------------------------------------------------------------------- */

typedef struct CopyOptionSeen {
    const CopyOption *format, *header, *delim, *null, *quote, *escape, *force_quote, *force_notnull, *force_null,
        *freeze, *encoding;
} CopyOptionSeen;

static const CopyOption **option_slot(CopyOptionSeen *seen, const char *name) {
    static const struct {
        const char *name;
        size_t offset;
    } SLOTS[] = {
        {"format", offsetof(CopyOptionSeen, format)},
        {"header", offsetof(CopyOptionSeen, header)},
        {"delimiter", offsetof(CopyOptionSeen, delim)},
        {"null", offsetof(CopyOptionSeen, null)},
        {"quote", offsetof(CopyOptionSeen, quote)},
        {"escape", offsetof(CopyOptionSeen, escape)},
        {"force_quote", offsetof(CopyOptionSeen, force_quote)},
        {"force_not_null", offsetof(CopyOptionSeen, force_notnull)},
        {"force_null", offsetof(CopyOptionSeen, force_null)},
        {"freeze", offsetof(CopyOptionSeen, freeze)},
        {"encoding", offsetof(CopyOptionSeen, encoding)},
    };
    for (size_t i = 0; i < ARRAY_LEN(SLOTS); i++)
        if (strcmp(SLOTS[i].name, name) == 0) return (const CopyOption **)((char *)seen + SLOTS[i].offset);
    return NULL;
}

/* PostgreSQL's defGetBoolean: true/false/on/off/1/0 and prefixes of them. */
static bool option_bool(Binder *b, const CopyOption *o, bool *out) {
    const char *v = o->value;
    if (!v) return *out = true;
    if (!strcasecmp(v, "true") || !strcasecmp(v, "on") || !strcmp(v, "1")) return *out = true, true;
    if (!strcasecmp(v, "false") || !strcasecmp(v, "off") || !strcmp(v, "0")) return *out = false, true;
    planner__fail_at(b, o->pos, SQLSTATE_SYNTAX_ERROR, "%s requires a Boolean value", o->name);
    return false;
}

static bool option_char(Binder *b, const CopyOption *o, const char *what, char *out) {
    if (!o) return true;
    const char *v = o->value ? o->value : "";
    if (strlen(v) != 1) {
        planner__fail_at(b, -1, SQLSTATE_FEATURE_NOT_SUPPORTED, "COPY %s must be a single one-byte character", what);
        return false;
    }
    *out = v[0];
    return true;
}

static bool collect_options(Binder *b, const CopyStmt *s, CopyOptionSeen *seen) {
    memset(seen, 0, sizeof *seen);
    for (int i = 0; i < s->noptions; i++) {
        const CopyOption *o = &s->options[i];
        const CopyOption **slot = option_slot(seen, o->name);
        if (!slot) return planner__fail_at(b, o->pos, SQLSTATE_SYNTAX_ERROR, "option \"%s\" not recognized", o->name);
        if (*slot) return planner__fail_at(b, o->pos, SQLSTATE_SYNTAX_ERROR, "conflicting or redundant options");
        *slot = o;
    }
    return true;
}

static bool option_format(Binder *b, const CopyOption *o, CopyFormat *out) {
    *out = FORMAT_TEXT;
    if (!o) return true;
    const char *v = o->value ? o->value : "";
    if (!strcmp(v, "text"))
        *out = FORMAT_TEXT;
    else if (!strcmp(v, "csv"))
        *out = FORMAT_CSV;
    else if (!strcmp(v, "binary"))
        *out = FORMAT_BINARY;
    else
        return planner__fail_at(b, o->pos, SQLSTATE_INVALID_PARAMETER_VALUE, "COPY format \"%s\" not recognized", v);
    return true;
}

static bool option_header(Binder *b, const CopyOption *o, bool from, bool *out) {
    *out = false;
    if (!o) return true;
    if (o->value && !strcasecmp(o->value, "match")) {
        if (!from)
            return planner__fail_at(b, -1, SQLSTATE_FEATURE_NOT_SUPPORTED, "cannot use \"%s\" with HEADER in COPY TO",
                                    o->value);
        return planner__fail_at(b, o->pos, SQLSTATE_FEATURE_NOT_SUPPORTED, "HEADER MATCH is not supported");
    }
    return option_bool(b, o, out);
}

static bool fail_plain(Binder *b, const char *sqlstate, const char *msg) {
    planner__fail_at(b, -1, sqlstate, "%s", msg);
    return false;
}

/* The checks of PostgreSQL's ProcessCopyOptions, in its order. */
static bool check_options(Binder *b, const CopyOptionSeen *o, CopyPlan *cp) {
    bool binary = cp->format == FORMAT_BINARY, csv = cp->format == FORMAT_CSV;
    if (binary && o->delim) return fail_plain(b, SQLSTATE_SYNTAX_ERROR, "cannot specify DELIMITER in BINARY mode");
    if (binary && o->null) return fail_plain(b, SQLSTATE_SYNTAX_ERROR, "cannot specify NULL in BINARY mode");
    if (cp->delim == '\n' || cp->delim == '\r')
        return fail_plain(b, SQLSTATE_INVALID_PARAMETER_VALUE, "COPY delimiter cannot be newline or carriage return");
    if (strchr(cp->null_str, '\n') || strchr(cp->null_str, '\r'))
        return fail_plain(b, SQLSTATE_INVALID_PARAMETER_VALUE,
                          "COPY null representation cannot use newline or carriage return");
    if (!csv && !binary && strchr("\\.abcdefghijklmnopqrstuvwxyz0123456789", cp->delim))
        return planner__fail_at(b, -1, SQLSTATE_INVALID_PARAMETER_VALUE, "COPY delimiter cannot be \"%c\"", cp->delim);
    if (binary && o->header)
        return fail_plain(b, SQLSTATE_FEATURE_NOT_SUPPORTED, "cannot specify HEADER in BINARY mode");
    if (!csv && o->quote) return fail_plain(b, SQLSTATE_FEATURE_NOT_SUPPORTED, "COPY quote available only in CSV mode");
    if (csv && cp->delim == cp->quote)
        return fail_plain(b, SQLSTATE_INVALID_PARAMETER_VALUE, "COPY delimiter and quote must be different");
    if (!csv && o->escape)
        return fail_plain(b, SQLSTATE_FEATURE_NOT_SUPPORTED, "COPY escape available only in CSV mode");
    if (!csv && o->force_quote)
        return fail_plain(b, SQLSTATE_FEATURE_NOT_SUPPORTED, "COPY force quote available only in CSV mode");
    if (o->force_quote && cp->from)
        return fail_plain(b, SQLSTATE_FEATURE_NOT_SUPPORTED, "COPY force quote only available using COPY TO");
    if (!csv && o->force_notnull)
        return fail_plain(b, SQLSTATE_FEATURE_NOT_SUPPORTED, "COPY force not null available only in CSV mode");
    if (o->force_notnull && !cp->from)
        return fail_plain(b, SQLSTATE_FEATURE_NOT_SUPPORTED, "COPY force not null only available using COPY FROM");
    if (!csv && o->force_null)
        return fail_plain(b, SQLSTATE_FEATURE_NOT_SUPPORTED, "COPY force null available only in CSV mode");
    if (o->force_null && !cp->from)
        return fail_plain(b, SQLSTATE_FEATURE_NOT_SUPPORTED, "COPY force null only available using COPY FROM");
    if (!binary && strchr(cp->null_str, cp->delim))
        return fail_plain(b, SQLSTATE_INVALID_PARAMETER_VALUE,
                          "COPY delimiter must not appear in the NULL specification");
    if (csv && strchr(cp->null_str, cp->quote))
        return fail_plain(b, SQLSTATE_INVALID_PARAMETER_VALUE,
                          "CSV quote character must not appear in the NULL specification");
    return true;
}

static bool bind_options(Binder *b, const CopyStmt *s, CopyPlan *cp) {
    CopyOptionSeen o;
    if (!collect_options(b, s, &o) || !option_format(b, o.format, &cp->format)) return false;
    bool csv = cp->format == FORMAT_CSV;
    cp->delim = csv ? ',' : '\t';
    cp->quote = '"';
    cp->null_str = csv ? "" : "\\N";
    if (!option_header(b, o.header, cp->from, &cp->header) || !option_char(b, o.delim, "delimiter", &cp->delim) ||
        !option_char(b, o.quote, "quote", &cp->quote))
        return false;
    cp->escape = cp->quote;
    if (!option_char(b, o.escape, "escape", &cp->escape)) return false;
    if (o.null) cp->null_str = o.null->value ? o.null->value : "";
    cp->null_len = strlen(cp->null_str);
    bool freeze;
    if (o.freeze && !option_bool(b, o.freeze, &freeze)) return false;
    if (o.encoding && strcasecmp(o.encoding->value ? o.encoding->value : "", "utf8") != 0 &&
        strcasecmp(o.encoding->value ? o.encoding->value : "", "utf-8") != 0)
        return planner__fail_at(b, -1, SQLSTATE_FEATURE_NOT_SUPPORTED,
                                "COPY encoding \"%s\" is not supported: strand speaks UTF8 only", o.encoding->value);
    return check_options(b, &o, cp);
}

/* ---- the table, its columns, or the query ----------------------------------------------------- */

static int copy_column_index(const CopyPlan *cp, const TableDesc *d, const char *name) {
    for (int i = 0; i < cp->ncols; i++)
        if (strcmp(d->cols[cp->cols[i]].name, name) == 0) return i;
    return -1;
}

static bool bind_columns(Binder *b, const CopyStmt *s, CopyPlan *cp) {
    const TableDesc *d = storage_table_desc(cp->table);
    cp->ncols = s->ncolumns ? s->ncolumns : d->ncols;
    cp->cols = arena_alloc(b->arena, (size_t)(cp->ncols + 1) * sizeof *cp->cols);
    cp->names = arena_alloc(b->arena, (size_t)(cp->ncols + 1) * sizeof *cp->names);
    for (int i = 0; i < cp->ncols; i++) {
        int c = s->ncolumns ? planner__find_column(d, s->columns[i]) : i;
        if (c < 0)
            return planner__fail_at(b, -1, SQLSTATE_UNDEFINED_COLUMN, "column \"%s\" of relation \"%s\" does not exist",
                                    s->columns[i], d->name);
        for (int j = 0; j < i; j++)
            if (cp->cols[j] == c)
                return planner__fail_at(b, -1, SQLSTATE_DUPLICATE_COLUMN, "column \"%s\" specified more than once",
                                        d->cols[c].name);
        cp->cols[i] = c;
        cp->names[i] = d->cols[c].name;
    }
    return true;
}

/* FORCE_QUOTE / FORCE_NOT_NULL / FORCE_NULL: * or columns of the COPY. */
static bool bind_force(Binder *b, const CopyStmt *s, CopyPlan *cp, const char *name, const char *upper, bool **out) {
    *out = arena_zalloc(b->arena, (size_t)(cp->ncols + 1) * sizeof **out);
    for (int i = 0; i < s->noptions; i++) {
        const CopyOption *o = &s->options[i];
        if (strcmp(o->name, name) != 0) continue;
        if (o->star) {
            for (int c = 0; c < cp->ncols; c++) (*out)[c] = true;
            continue;
        }
        if (!cp->table) continue;
        const TableDesc *d = storage_table_desc(cp->table);
        for (int k = 0; k < o->ncolumns; k++) {
            if (planner__find_column(d, o->columns[k]) < 0)
                return planner__fail_at(b, -1, SQLSTATE_UNDEFINED_COLUMN,
                                        "column \"%s\" of relation \"%s\" does not exist", o->columns[k], d->name);
            int c = copy_column_index(cp, d, o->columns[k]);
            if (c < 0)
                return planner__fail_at(b, -1, SQLSTATE_INVALID_COLUMN_REFERENCE,
                                        "%s column \"%s\" not referenced by COPY", upper, o->columns[k]);
            (*out)[c] = true;
        }
    }
    return true;
}

static bool bind_query(Binder *b, const CopyStmt *s, CopyPlan *cp) {
    const Stmt *q = s->query;
    bool returning = (q->kind == STMT_INSERT && q->u.insert.nreturning) ||
                     (q->kind == STMT_UPDATE && q->u.update.nreturning) ||
                     (q->kind == STMT_DELETE && q->u.del.nreturning);
    if (q->kind != STMT_SELECT && !returning)
        return planner__fail_at(b, -1, SQLSTATE_FEATURE_NOT_SUPPORTED, "COPY query must have a RETURNING clause");
    if (!planner_bind(b->storage, b->txn, q, b->sql, NULL, b->arena, &cp->query, b->err)) return false;
    cp->ncols = cp->query->ncols;
    cp->names = arena_alloc(b->arena, (size_t)(cp->ncols + 1) * sizeof *cp->names);
    for (int i = 0; i < cp->ncols; i++) cp->names[i] = cp->query->cols[i].name;
    cp->relname = "";
    return true;
}

Plan *planner__bind_copy(Binder *b, const Stmt *stmt) {
    const CopyStmt *s = &stmt->u.copy;
    CopyPlan *cp = arena_zalloc(b->arena, sizeof *cp);
    cp->from = s->from;
    if (s->file)
        return planner__fail_at(b, -1, SQLSTATE_FEATURE_NOT_SUPPORTED, "COPY %s a %s is not supported",
                                s->from ? "from" : "to", s->program ? "program" : "file");
    if (!bind_options(b, s, cp)) return NULL;
    if (s->query) {
        if (!bind_query(b, s, cp)) return NULL;
    } else {
        if (!(cp->table = planner__lookup_table(b, s->table.schema, s->table.name, -1))) return NULL;
        cp->relname = storage_table_desc(cp->table)->name;
        if (!bind_columns(b, s, cp)) return NULL;
    }
    if (!bind_force(b, s, cp, "force_quote", "FORCE_QUOTE", &cp->force_quote) ||
        !bind_force(b, s, cp, "force_not_null", "FORCE_NOT_NULL", &cp->force_notnull) ||
        !bind_force(b, s, cp, "force_null", "FORCE_NULL", &cp->force_null))
        return NULL;
    Plan *p = arena_zalloc(b->arena, sizeof *p);
    p->kind = PLAN_COPY;
    p->copy = cp;
    return p;
}

PlannerCopyKind planner_copy_kind(const Plan *plan) {
    if (plan->kind != PLAN_COPY) return PLANNER_NOT_COPY;
    return plan->copy->from ? PLANNER_COPY_FROM : PLANNER_COPY_TO;
}

bool planner_copy_binary(const Plan *plan) { return plan->copy->format == FORMAT_BINARY; }

int planner_copy_ncols(const Plan *plan) { return plan->copy->ncols; }

/* ---- COPY FROM: reading ------------------------------------------------------------------------ */

#define MAX_DISPLAY 100 /* PostgreSQL's MAX_COPY_DATA_DISPLAY */

typedef struct Field {
    const char *p; /* the value's bytes, or NULL for SQL NULL */
    size_t len;
    size_t off; /* text and CSV: where its bytes start in Reader.buf */
} Field;

typedef struct Reader {
    const CopyPlan *cp;
    const char *p, *end; /* the data not read yet */
    uint64_t line;       /* PostgreSQL's line number: records read so far */
    const char *line_start;
    size_t line_len;
    StrBuf buf; /* de-escaped fields of the current line */
    Field *fields;
    int nfields, cap_fields;
    Arena *arena;
    Error *err;
} Reader;

/* Up to MAX_DISPLAY bytes, not splitting a UTF-8 character, then "...". */
static void display(char *out, size_t cap, const char *s, size_t n) {
    size_t k = n;
    if (k > MAX_DISPLAY) {
        k = MAX_DISPLAY;
        while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80) k--;
    }
    snprintf(out, cap, "%.*s%s", (int)k, s, k < n ? "..." : "");
}

static void context_line(Reader *r, bool with_text) {
    char shown[MAX_DISPLAY + 8];
    if (!with_text) {
        error_context(r->err, "COPY %s, line %llu", r->cp->relname, (unsigned long long)r->line);
        return;
    }
    display(shown, sizeof shown, r->line_start, r->line_len);
    error_context(r->err, "COPY %s, line %llu: \"%s\"", r->cp->relname, (unsigned long long)r->line, shown);
}

static void context_column(Reader *r, int col, const Field *f) {
    const char *name = r->cp->names[col];
    if (r->cp->format == FORMAT_BINARY) {
        error_context(r->err, "COPY %s, line %llu, column %s", r->cp->relname, (unsigned long long)r->line, name);
        return;
    }
    if (!f->p) {
        error_context(r->err, "COPY %s, line %llu, column %s: null input", r->cp->relname, (unsigned long long)r->line,
                      name);
        return;
    }
    char shown[MAX_DISPLAY + 8];
    display(shown, sizeof shown, f->p, f->len);
    error_context(r->err, "COPY %s, line %llu, column %s: \"%s\"", r->cp->relname, (unsigned long long)r->line, name,
                  shown);
}

static bool line_fail(Reader *r, const char *sqlstate, const char *fmt, ...) PRINTF_LIKE(3, 4);
static bool line_fail(Reader *r, const char *sqlstate, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    error_setv(r->err, sqlstate, fmt, ap);
    va_end(ap);
    context_line(r, r->cp->format != FORMAT_BINARY);
    return false;
}

static Field *add_field(Reader *r) {
    if (r->nfields == r->cap_fields) {
        int cap = r->cap_fields ? r->cap_fields * 2 : 16;
        Field *f = arena_alloc(r->arena, (size_t)cap * sizeof *f);
        if (r->nfields) memcpy(f, r->fields, (size_t)r->nfields * sizeof *f);
        r->fields = f;
        r->cap_fields = cap;
    }
    return &r->fields[r->nfields++];
}

/* The end of the record starting at r->p: the \n outside quotes (CSV) or
 * not escaped by a backslash (text). *unterminated: a CSV quote is open at
 * the end of the data. Returns the position of the \n, or r->end. */
static const char *find_eol(const Reader *r, bool *unterminated) {
    const CopyPlan *cp = r->cp;
    bool csv = cp->format == FORMAT_CSV, in_quote = false;
    const char *p = r->p;
    *unterminated = false;
    for (; p < r->end; p++) {
        char c = *p;
        if (csv) {
            if (in_quote && c == cp->escape && cp->escape != cp->quote && p + 1 < r->end &&
                (p[1] == cp->quote || p[1] == cp->escape)) {
                p++;
                continue;
            }
            if (c == cp->quote)
                in_quote = !in_quote;
            else if (c == '\n' && !in_quote)
                return p;
        } else if (c == '\\') {
            if (p + 1 < r->end) p++;
        } else if (c == '\n') {
            return p;
        }
    }
    *unterminated = in_quote;
    return p;
}

static int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* One backslash escape at s (after the backslash): appends the byte it
 * means and returns how many input bytes it used. */
static size_t unescape_one(const char *s, const char *end, StrBuf *out) {
    char c = *s;
    if (c >= '0' && c <= '7') {
        int v = 0;
        size_t n = 0;
        while (n < 3 && s + n < end && s[n] >= '0' && s[n] <= '7') v = v * 8 + (s[n++] - '0');
        strbuf_append_char(out, (char)(v & 0xff));
        return n;
    }
    if (c == 'x' && s + 1 < end && hex_digit(s[1]) >= 0) {
        int v = hex_digit(s[1]);
        size_t n = 2;
        if (s + 2 < end && hex_digit(s[2]) >= 0) v = v * 16 + hex_digit(s[n++]);
        strbuf_append_char(out, (char)v);
        return n;
    }
    static const char FROM[] = "bfnrtv", TO[] = "\b\f\n\r\t\v";
    const char *k = strchr(FROM, c);
    strbuf_append_char(out, k && c ? TO[k - FROM] : c);
    return 1;
}

/* Splits a text-format line into fields (PostgreSQL's CopyReadAttributesText):
 * the null string is matched against the field as written. */
static void split_text(Reader *r, const char *s, const char *end) {
    const CopyPlan *cp = r->cp;
    for (;;) {
        Field *f = add_field(r);
        const char *start = s;
        f->off = r->buf.len;
        while (s < end && *s != cp->delim) {
            if (*s == '\\' && s + 1 < end) {
                s += 1 + unescape_one(s + 1, end, &r->buf);
                continue;
            }
            strbuf_append_char(&r->buf, *s++);
        }
        size_t raw_len = (size_t)(s - start);
        bool is_null = raw_len == cp->null_len && memcmp(start, cp->null_str, cp->null_len) == 0;
        f->p = is_null ? NULL : start; /* pointed into buf once it stops moving */
        f->len = r->buf.len - f->off;
        if (s >= end) return;
        s++; /* the delimiter */
    }
}

/* Whether a CSV field is NULL: the null string unquoted, unless
 * FORCE_NOT_NULL; quoted too with FORCE_NULL (NextCopyFrom). */
static bool csv_is_null(const Reader *r, const Field *f, bool quoted) {
    const CopyPlan *cp = r->cp;
    int col = r->nfields - 1;
    bool matches = f->len == cp->null_len && memcmp(r->buf.data + f->off, cp->null_str, cp->null_len) == 0;
    if (col >= cp->ncols || !matches) return false;
    if (!quoted) return !cp->force_notnull[col];
    return cp->force_null[col];
}

/* Splits a CSV record into fields (CopyReadAttributesCSV). */
static void split_csv(Reader *r, const char *s, const char *end) {
    const CopyPlan *cp = r->cp;
    for (;;) {
        Field *f = add_field(r);
        f->off = r->buf.len;
        bool quoted = false, in_quote = false;
        while (s < end && (in_quote || *s != cp->delim)) {
            char c = *s;
            if (in_quote && c == cp->escape && s + 1 < end && (s[1] == cp->quote || s[1] == cp->escape)) {
                strbuf_append_char(&r->buf, s[1]);
                s += 2;
                continue;
            }
            if (c == cp->quote) {
                quoted = true;
                in_quote = !in_quote;
            } else {
                strbuf_append_char(&r->buf, c);
            }
            s++;
        }
        f->len = r->buf.len - f->off;
        f->p = csv_is_null(r, f, quoted) ? NULL : s;
        if (s >= end) return;
        s++;
    }
}

/* The next record into r->fields; false at the end of the data (or with
 * err set). */
static bool next_record(Reader *r, bool *got) {
    *got = false;
    if (r->p >= r->end) return true;
    bool unterminated;
    const char *eol = find_eol(r, &unterminated);
    r->line++;
    r->line_start = r->p;
    r->line_len = (size_t)(eol - r->p);
    const char *next = eol < r->end ? eol + 1 : eol;
    const char *end = eol;
    if (end > r->p && end[-1] == '\r') end--;
    r->line_len = (size_t)(end - r->p);
    if (unterminated) {
        r->line_len = (size_t)(r->end - r->p);
        return line_fail(r, SQLSTATE_BAD_COPY_FILE_FORMAT, "unterminated CSV quoted field");
    }
    if (end - r->p == 2 && r->p[0] == '\\' && r->p[1] == '.') { /* the end-of-data marker */
        r->p = r->end;
        return true;
    }
    r->nfields = 0;
    strbuf_reset(&r->buf);
    if (r->cp->format == FORMAT_CSV)
        split_csv(r, r->p, end);
    else
        split_text(r, r->p, end);
    for (int i = 0; i < r->nfields; i++)
        if (r->fields[i].p) r->fields[i].p = r->buf.data + r->fields[i].off;
    r->p = next;
    *got = true;
    return true;
}

/* ---- COPY FROM: binary --------------------------------------------------------------------------- */

static const char BINARY_SIGNATURE[11] = "PGCOPY\n\377\r\n\0";

static uint32_t be32(const char *p) {
    const unsigned char *u = (const unsigned char *)p;
    return ((uint32_t)u[0] << 24) | ((uint32_t)u[1] << 16) | ((uint32_t)u[2] << 8) | u[3];
}

static bool take(Reader *r, size_t n, const char **out) {
    if ((size_t)(r->end - r->p) < n) return line_fail(r, SQLSTATE_BAD_COPY_FILE_FORMAT, "unexpected EOF in COPY data");
    *out = r->p;
    r->p += n;
    return true;
}

static bool take_int(Reader *r, size_t n, int64_t *out) {
    const char *p = NULL;
    if (!take(r, n, &p)) return false;
    uint32_t v = 0;
    for (size_t i = 0; i < n; i++) v = (v << 8) | (unsigned char)p[i];
    *out = n == 2 ? (int16_t)v : (int32_t)v;
    return true;
}

/* The header is read before the rows, where PostgreSQL has no CONTEXT yet. */
static bool header_fail(Reader *r, const char *msg) {
    return error_set(r->err, SQLSTATE_BAD_COPY_FILE_FORMAT, "%s", msg);
}

static bool binary_header(Reader *r) {
    size_t n = (size_t)(r->end - r->p);
    if (n < sizeof BINARY_SIGNATURE || memcmp(r->p, BINARY_SIGNATURE, sizeof BINARY_SIGNATURE))
        return header_fail(r, "COPY file signature not recognized");
    if (n < sizeof BINARY_SIGNATURE + 8) return header_fail(r, "invalid COPY file header (missing flags)");
    r->p += sizeof BINARY_SIGNATURE;
    uint32_t flags = be32(r->p), ext = be32(r->p + 4);
    r->p += 8;
    if (flags & (1u << 16)) return header_fail(r, "invalid COPY file header (WITH OIDS)");
    if ((flags & ~(1u << 16)) >> 16) return header_fail(r, "unrecognized critical flags in COPY file header");
    if ((int32_t)ext < 0 || ext > (size_t)(r->end - r->p))
        return header_fail(r, "invalid COPY file header (wrong length)");
    r->p += ext;
    return true;
}

static bool binary_record(Reader *r, bool *got) {
    int64_t count;
    *got = false;
    if (r->p >= r->end) return true; /* the data may end without the trailer */
    r->line++;
    if (!take_int(r, 2, &count)) return false;
    if (count == -1) {
        r->p = r->end; /* the trailer: what follows is ignored */
        return true;
    }
    if (count != r->cp->ncols)
        return line_fail(r, SQLSTATE_BAD_COPY_FILE_FORMAT, "row field count is %d, expected %d", (int)count,
                         r->cp->ncols);
    r->nfields = 0;
    for (int i = 0; i < count; i++) {
        int64_t len;
        Field *f = add_field(r);
        if (!take_int(r, 4, &len)) return false;
        if (len < -1) return line_fail(r, SQLSTATE_BAD_COPY_FILE_FORMAT, "invalid field size");
        f->p = NULL;
        f->len = 0;
        if (len >= 0 && !take(r, (size_t)len, &f->p)) return false;
        f->len = len > 0 ? (size_t)len : 0;
        if (len == 0) f->p = "";
    }
    *got = true;
    return true;
}

/* ---- COPY FROM: rows -------------------------------------------------------------------------------- */

static bool convert_field(Reader *r, int i, Value *out) {
    const Field *f = &r->fields[i];
    const ColumnDesc *col = &storage_table_desc(r->cp->table)->cols[r->cp->cols[i]];
    if (!f->p) return true;
    bool ok = r->cp->format == FORMAT_BINARY ? value_from_binary(col->type, f->p, f->len, r->arena, out, r->err)
                                             : value_from_text(col->type, f->p, f->len, r->arena, out, r->err);
    if (ok && col->typmod >= 0) ok = value_apply_typmod(out, col->typmod, false, r->arena, r->err);
    if (!ok) context_column(r, i, f);
    return ok;
}

/* One record's fields made a row of the table, and inserted; in
 * PostgreSQL's order of checks (NextCopyFrom, then the insert). */
static StorageStatus insert_record(Reader *r, Txn *txn, Value *vals) {
    const CopyPlan *cp = r->cp;
    const TableDesc *d = storage_table_desc(cp->table);
    if (r->nfields > cp->ncols && cp->ncols > 0)
        return line_fail(r, SQLSTATE_BAD_COPY_FILE_FORMAT, "extra data after last expected column"), STORAGE_ERROR;
    for (int c = 0; c < d->ncols; c++) vals[c] = value_null(d->cols[c].type);
    for (int i = 0; i < cp->ncols; i++) {
        if (i >= r->nfields)
            return line_fail(r, SQLSTATE_BAD_COPY_FILE_FORMAT, "missing data for column \"%s\"", cp->names[i]),
                   STORAGE_ERROR;
        if (!convert_field(r, i, &vals[cp->cols[i]])) return STORAGE_ERROR;
    }
    StorageStatus st = storage_row_insert(cp->table, txn, vals, r->err);
    /* A key is checked when the row reaches the index, where PostgreSQL no
     * longer has the line's text. */
    if (st == STORAGE_ERROR)
        context_line(r, cp->format != FORMAT_BINARY && strcmp(r->err->sqlstate, SQLSTATE_UNIQUE_VIOLATION) != 0);
    return st;
}

static void set_copy_tag(ExecResult *res, uint64_t rows) {
    res->rows = rows;
    snprintf(res->tag, sizeof res->tag, "COPY %llu", (unsigned long long)rows);
}

StorageStatus planner_copy_from(const Plan *plan, Storage *storage, Txn *txn, const char *data, size_t len,
                                Arena *arena, ExecResult *res, Error *err) {
    const CopyPlan *cp = plan->copy;
    (void)storage;
    memset(res, 0, sizeof *res);
    error_clear(err);
    StorageStatus st = storage_table_lock(cp->table, txn, TLOCK_ROW_EXCLUSIVE);
    if (st != STORAGE_OK) return st;
    Reader r = {.cp = cp, .p = data, .end = data + len, .arena = arena, .err = err};
    strbuf_init(&r.buf);
    Value *vals = arena_alloc(arena, (size_t)(storage_table_desc(cp->table)->ncols + 1) * sizeof *vals);
    bool binary = cp->format == FORMAT_BINARY;
    uint64_t rows = 0;
    st = binary && !binary_header(&r) ? STORAGE_ERROR : STORAGE_OK;
    bool got = true;
    if (st == STORAGE_OK && cp->header && !binary && !next_record(&r, &got)) st = STORAGE_ERROR;
    ArenaMark mark = arena_mark(arena);
    uint32_t polls = 0;
    while (st == STORAGE_OK) {
        if (++polls == PLANNER_POLL_ROWS && (polls = 0, planner__interrupted(err))) {
            st = STORAGE_ERROR;
            break;
        }
        if (!(binary ? binary_record(&r, &got) : next_record(&r, &got))) st = STORAGE_ERROR;
        if (st != STORAGE_OK || !got) break;
        st = insert_record(&r, txn, vals);
        arena_rewind(arena, mark);
        rows += st == STORAGE_OK;
    }
    strbuf_deinit(&r.buf);
    set_copy_tag(res, rows);
    return st;
}

/* ---- COPY TO ---------------------------------------------------------------------------------------- */

typedef struct Writer {
    const CopyPlan *cp;
    StrBuf line;
    bool first; /* binary: the header goes out with the first row */
    CopyWrite write;
    void *ctx;
    uint64_t rows;
} Writer;

/* CopyAttributeOutText: backslash before the delimiter and backslash,
 * letters for the usual control characters. */
static bool needs_escape(unsigned char c, char delim) { return c < 0x20 || c == '\\' || c == (unsigned char)delim; }

static void put_text(StrBuf *out, const char *s, size_t n, char delim) {
    size_t plain = 0;
    while (plain < n && !needs_escape((unsigned char)s[plain], delim)) plain++;
    strbuf_append(out, s, plain); /* most values need no escape at all */
    for (size_t i = plain; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *k = c && c < 0x20 ? strchr("\b\f\n\r\t\v", c) : NULL;
        if (k) {
            strbuf_append_char(out, '\\');
            strbuf_append_char(out, "bfnrtv"[k - "\b\f\n\r\t\v"]);
        } else {
            if (c == '\\' || c == (unsigned char)delim) strbuf_append_char(out, '\\');
            strbuf_append_char(out, (char)c);
        }
    }
}

/* CopyAttributeOutCSV: quoted when forced, when it is the null string, a
 * lone \. , or holds the delimiter, the quote, \r or \n. */
static void put_csv(const CopyPlan *cp, StrBuf *out, const char *s, size_t n, bool force) {
    bool quote = force || (n == cp->null_len && memcmp(s, cp->null_str, n) == 0) ||
                 (cp->ncols == 1 && n == 2 && s[0] == '\\' && s[1] == '.');
    for (size_t i = 0; i < n && !quote; i++)
        quote = s[i] == cp->delim || s[i] == cp->quote || s[i] == '\n' || s[i] == '\r';
    if (!quote) {
        strbuf_append(out, s, n);
        return;
    }
    strbuf_append_char(out, cp->quote);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == cp->quote || s[i] == cp->escape) strbuf_append_char(out, cp->escape);
        strbuf_append_char(out, s[i]);
    }
    strbuf_append_char(out, cp->quote);
}

/* col < 0: a header's name, never forced into quotes. */
static void put_field(Writer *w, int col, const char *s, size_t n) {
    if (w->cp->format == FORMAT_CSV)
        put_csv(w->cp, &w->line, s, n, col >= 0 && w->cp->force_quote[col]);
    else
        put_text(&w->line, s, n, w->cp->delim);
}

static bool flush_line(Writer *w, Error *err) {
    bool ok = w->write(w->ctx, w->line.data, w->line.len, err);
    strbuf_reset(&w->line);
    return ok;
}

static bool write_header(Writer *w, Error *err) {
    const CopyPlan *cp = w->cp;
    if (cp->format == FORMAT_BINARY) {
        strbuf_append(&w->line, BINARY_SIGNATURE, sizeof BINARY_SIGNATURE);
        strbuf_append(&w->line, "\0\0\0\0\0\0\0\0", 8); /* flags, extension length */
        return true;
    }
    if (!cp->header) return true;
    for (int i = 0; i < cp->ncols; i++) {
        if (i) strbuf_append_char(&w->line, cp->delim);
        put_field(w, -1, cp->names[i], strlen(cp->names[i]));
    }
    strbuf_append_char(&w->line, '\n');
    return flush_line(w, err);
}

static void put_be(StrBuf *out, uint32_t v, int n) {
    char b[4];
    for (int i = 0; i < n; i++) b[i] = (char)(v >> (8 * (n - 1 - i)));
    strbuf_append(out, b, (size_t)n);
}

static bool write_binary_row(Writer *w, const Value *values, Error *err) {
    char buf[VALUE_TEXT_BUF];
    put_be(&w->line, (uint32_t)w->cp->ncols, 2);
    for (int i = 0; i < w->cp->ncols; i++) {
        if (values[i].isnull) {
            put_be(&w->line, 0xffffffffu, 4);
            continue;
        }
        if (!value_has_binary(values[i].type))
            return error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED, "no binary output function available for type %s",
                             type_info(values[i].type)->sql_name);
        int len;
        const char *p = value_to_binary(&values[i], buf, &len);
        put_be(&w->line, (uint32_t)len, 4);
        strbuf_append(&w->line, p, (size_t)len);
    }
    return true;
}

static bool write_row(void *ctx, const Value *values, int ncols, Error *err) {
    Writer *w = ctx;
    const CopyPlan *cp = w->cp;
    (void)ncols;
    if (cp->format == FORMAT_BINARY) {
        if (!write_binary_row(w, values, err)) return false;
    } else {
        char buf[VALUE_TEXT_BUF];
        for (int i = 0; i < cp->ncols; i++) {
            if (i) strbuf_append_char(&w->line, cp->delim);
            if (values[i].isnull) {
                strbuf_append(&w->line, cp->null_str, cp->null_len);
                continue;
            }
            int len;
            const char *p = value_to_text(&values[i], buf, &len);
            put_field(w, i, p, (size_t)len);
        }
        strbuf_append_char(&w->line, '\n');
    }
    w->rows++;
    return flush_line(w, err);
}

/* ---- COPY TO in steps ------------------------------------------------------------------------ */

/* A COPY TO under way: the table form scans in steps across loop turns,
 * so it keeps copies of what it needs of the plan (whose memory the caller
 * may reuse meanwhile). The query form runs whole in its first step. */
struct PlannerCopyOut {
    Writer w;
    CopyPlan cp; /* the plan's, with its arrays copied below */
    char *null_str;
    int *cols;
    bool *force_quote;
    const Plan *query; /* the query form: only during begin's call */
    Storage *storage;
    Txn *txn;
    const Value *params;
    Arena *arena;
    RowSink sink;
    TableScan scan;
    Value *all, *out; /* a decoded row, its COPY columns */
    bool started;
};

static void *copy_of(const void *p, size_t n) {
    void *q = malloc(n ? n : 1);
    if (!q) abort();
    if (n) memcpy(q, p, n);
    return q;
}

PlannerCopyOut *planner_copy_out_begin(const Plan *plan, Storage *storage, Txn *txn, const Value *params, Arena *arena,
                                       CopyWrite write, void *ctx, RowSink *notices, Error *err) {
    const CopyPlan *cp = plan->copy;
    error_clear(err);
    if (cp->table && storage_table_lock(cp->table, txn, TLOCK_ACCESS_SHARE) != STORAGE_OK) return NULL;
    PlannerCopyOut *o = calloc(1, sizeof *o);
    if (!o) abort();
    o->cp = *cp;
    o->null_str = copy_of(cp->null_str, cp->null_len + 1);
    o->cols = cp->cols ? copy_of(cp->cols, (size_t)cp->ncols * sizeof *o->cols) : NULL;
    o->force_quote = copy_of(cp->force_quote, (size_t)cp->ncols * sizeof *o->force_quote);
    o->cp.null_str = o->null_str;
    o->cp.cols = o->cols;
    o->cp.force_quote = o->force_quote;
    o->cp.query = NULL;
    o->cp.names = NULL; /* only the header uses them, written here */
    o->query = cp->query;
    o->storage = storage;
    o->txn = txn;
    o->params = params;
    o->arena = arena;
    o->sink = (RowSink){write_row, &o->w, notices->notice, notices->notice_ctx, notices->caller};
    o->w = (Writer){.cp = cp, .write = write, .ctx = ctx};
    strbuf_init(&o->w.line);
    if (!write_header(&o->w, err)) {
        planner_copy_out_end(o);
        return NULL;
    }
    o->w.cp = &o->cp;
    if (cp->table) {
        int ncols = storage_table_desc(cp->table)->ncols;
        o->all = calloc((size_t)ncols + 1, sizeof *o->all);
        o->out = calloc((size_t)cp->ncols + 1, sizeof *o->out);
        if (!o->all || !o->out) abort();
        storage_scan_begin(cp->table, txn, &o->scan);
    }
    return o;
}

/* Up to max_rows rows of the table. */
static StorageStatus scan_step(PlannerCopyOut *o, uint64_t max_rows, bool *done, Error *err) {
    const CopyPlan *cp = &o->cp;
    RowId rid;
    const Row *row;
    for (uint64_t n = 0; n < max_rows; n++) {
        if (!(row = storage_scan_next(&o->scan, &rid, err))) {
            *done = !err->set;
            return err->set ? STORAGE_ERROR : STORAGE_OK;
        }
        storage_row_decode(cp->table, row, o->all);
        for (int i = 0; i < cp->ncols; i++) o->out[i] = o->all[cp->cols[i]];
        if (!write_row(&o->w, o->out, cp->ncols, err)) return STORAGE_ERROR;
    }
    *done = false;
    return STORAGE_OK;
}

StorageStatus planner_copy_out_step(PlannerCopyOut *o, uint64_t max_rows, bool *done, ExecResult *res, Error *err) {
    StorageStatus st;
    error_clear(err);
    *done = false;
    if (planner__interrupted(err)) return STORAGE_ERROR;
    if (o->query && !o->started) {
        ExecResult inner;
        st = planner_execute(o->query, o->storage, o->txn, o->params, o->arena, &o->sink, &inner, err);
        *done = st == STORAGE_OK;
    } else {
        st = scan_step(o, max_rows, done, err);
    }
    o->started = true;
    if (st == STORAGE_OK && *done && o->cp.format == FORMAT_BINARY) {
        put_be(&o->w.line, 0xffffu, 2);
        if (!flush_line(&o->w, err)) st = STORAGE_ERROR;
    }
    set_copy_tag(res, o->w.rows);
    return st;
}

void planner_copy_out_end(PlannerCopyOut *o) {
    if (!o) return;
    strbuf_deinit(&o->w.line);
    free(o->null_str);
    free(o->cols);
    free(o->force_quote);
    free(o->all);
    free(o->out);
    free(o);
}
