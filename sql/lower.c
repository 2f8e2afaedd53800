/*
 * lower.c — turns tree-sitter's concrete syntax tree into the AST of sql.h,
 * one function per statement family, everything allocated in the caller's
 * arena. Names are case-folded or unquoted here, string literals unescaped,
 * type names made canonical; nothing else is interpreted (literals stay
 * text, names stay names: the binder gives them meaning).
 *
 * It deliberately does not report syntax errors: sql.c lowers only a tree
 * without ERROR or MISSING nodes. What it can reject is what PostgreSQL also
 * rejects right after its grammar: `a = b = c` (comparisons do not
 * associate), two primary keys in one CREATE TABLE; and what strand does not
 * support (0A000).
 *
 * INTERFACE (sql_int.h): sql__lower
 */
#include <limits.h>
#include <stdlib.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "sql/sql_int.h"

/* PostgreSQL truncates identifiers to NAMEDATALEN - 1 bytes. */
#define NAME_MAX_BYTES 63

typedef struct Lower {
    const char *text;
    Arena *arena;
    Error *err;
    UniqueConstraint *uniques; /* CREATE TABLE being lowered: its UNIQUE constraints */
    int *nuniques;
    SqlConstraint *constraints; /* ... and its CHECK and FOREIGN KEY ones */
    int *nconstraints;
} Lower;

/* ---- tree helpers -------------------------------------------------------- */

static bool is(TSNode n, const char *type) { return strcmp(ts_node_type(n), type) == 0; }

static TSNode field(TSNode n, const char *name) { return ts_node_child_by_field_name(n, name, (uint32_t)strlen(name)); }

static int pos(TSNode n) { return (int)ts_node_start_byte(n); }

/* The first child of type `type`, or a null node. */
static TSNode child_of_type(TSNode n, const char *type) {
    uint32_t count = ts_node_child_count(n);
    for (uint32_t i = 0; i < count; i++) {
        TSNode c = ts_node_child(n, i);
        if (is(c, type)) return c;
    }
    return (TSNode){0};
}

/* The i-th named child that is not a comment: comments are extras and
 * may sit anywhere in the tree. */
static TSNode named(TSNode n, uint32_t i) {
    uint32_t count = ts_node_named_child_count(n);
    for (uint32_t k = 0; k < count; k++) {
        TSNode c = ts_node_named_child(n, k);
        if (ts_node_is_extra(c)) continue;
        if (i-- == 0) return c;
    }
    return (TSNode){0};
}

static bool is_name(TSNode n) { return is(n, "identifier") || is(n, "quoted_identifier"); }

static bool has_child(TSNode n, const char *type) { return !ts_node_is_null(child_of_type(n, type)); }

static char *node_text(Lower *L, TSNode n) {
    uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
    return arena_strndup(L->arena, L->text + s, e - s);
}

static bool fail(Lower *L, const char *sqlstate, int at, const char *msg) {
    error_set(L->err, sqlstate, "%s", msg);
    L->err->position = at + 1; /* a byte offset + 1: sql_parse converts it */
    return false;
}

/* fail() with a formatted message. */
static bool fail_at(Lower *L, int at, const char *sqlstate, const char *fmt, ...) PRINTF_LIKE(4, 5);
static bool fail_at(Lower *L, int at, const char *sqlstate, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    error_setv(L->err, sqlstate, fmt, ap);
    va_end(ap);
    L->err->position = at + 1; /* a byte offset + 1: sql_parse converts it */
    return false;
}

/* Cuts `s` to at most NAME_MAX_BYTES without splitting a UTF-8 character. */
static void truncate_name(char *s) {
    size_t n = strlen(s);
    if (n <= NAME_MAX_BYTES) return;
    n = NAME_MAX_BYTES;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
    s[n] = '\0';
}

/* identifier: ASCII letters folded to lower case, as PostgreSQL does in UTF-8;
 * quoted_identifier: quotes removed and "" made one ". */
static const char *lower_name(Lower *L, TSNode n) {
    char *s = node_text(L, n);
    if (s[0] == '"') {
        size_t o = 0;
        for (size_t i = 1; s[i + 1] != '\0'; i++) {
            s[o++] = s[i];
            if (s[i] == '"') i++;
        }
        s[o] = '\0';
    } else {
        for (char *p = s; *p; p++)
            if (*p >= 'A' && *p <= 'Z') *p = (char)(*p + ('a' - 'A'));
    }
    truncate_name(s);
    return s;
}

/* Collects the names in a column_list node: "(a, b)". */
static int lower_name_list(Lower *L, TSNode list, const char ***names, int **positions) {
    uint32_t count = ts_node_named_child_count(list);
    *names = arena_alloc(L->arena, (count ? count : 1) * sizeof **names);
    *positions = arena_alloc(L->arena, (count ? count : 1) * sizeof **positions);
    int n = 0;
    for (uint32_t i = 0; i < count; i++) {
        TSNode c = ts_node_named_child(list, i);
        if (!is_name(c)) continue;
        (*names)[n] = lower_name(L, c);
        (*positions)[n++] = pos(c);
    }
    return n;
}

/* ---- types ---------------------------------------------------------------- */

/* A name that may be schema-qualified (a qualified_name node): the name,
 * and its schema in *schema (NULL when none is written). */
static const char *lower_any_name(Lower *L, TSNode n, const char **schema) {
    if (!is(n, "qualified_name")) {
        *schema = NULL;
        return lower_name(L, n);
    }
    *schema = lower_name(L, field(n, "schema"));
    return lower_name(L, field(n, "name"));
}

/* A table named by a statement: [schema.]name. */
static RangeVar lower_range_var(Lower *L, TSNode n) {
    RangeVar rv = {.pos = pos(n)};
    rv.name = lower_any_name(L, n, &rv.schema);
    return rv;
}

/* The SQL-standard spellings PostgreSQL's grammar maps to catalog names;
 * anything else (int4, text, bool, ...) is already a catalog name. */
static const char *canonical_type(const char *name) {
    static const char *const map[][2] = {
        {"int", "int4"},     {"integer", "int4"}, {"smallint", "int2"},   {"bigint", "int8"}, {"real", "float4"},
        {"float", "float8"}, {"boolean", "bool"}, {"decimal", "numeric"}, {"dec", "numeric"}, {"varchar", "varchar"},
    };
    for (size_t i = 0; i < ARRAY_LEN(map); i++)
        if (strcmp(name, map[i][0]) == 0) return map[i][1];
    return name;
}

/* Type modifiers are integers, clamped to int (the binder checks ranges). */
static void lower_typmods(Lower *L, TSNode mods, SqlTypeName *t) {
    uint32_t count = ts_node_named_child_count(mods);
    for (uint32_t i = 0; i < count && t->ntypmods < 2; i++) {
        TSNode m = ts_node_named_child(mods, i);
        if (!is(m, "type_modifier")) continue;
        TSNode digits = child_of_type(m, "integer");
        long v = 0;
        for (uint32_t j = ts_node_start_byte(digits); j < ts_node_end_byte(digits); j++)
            v = v > INT_MAX / 10 ? INT_MAX : v * 10 + (L->text[j] - '0');
        if (v > INT_MAX) v = INT_MAX;
        t->typmods[t->ntypmods++] = has_child(m, "-") ? -(int)v : (int)v;
    }
}

/* float(p) is float4 up to 24 bits of precision and float8 up to 53, as in
 * PostgreSQL's grammar; the precision is not kept. */
static bool float_precision(Lower *L, SqlTypeName *t, int at) {
    if (strcmp(t->name, "float8") != 0 || t->ntypmods != 1) return true;
    int p = t->typmods[0];
    t->ntypmods = 0;
    if (p < 1) return fail(L, SQLSTATE_INVALID_PARAMETER_VALUE, at, "precision for type float must be at least 1 bit");
    if (p > 53)
        return fail(L, SQLSTATE_INVALID_PARAMETER_VALUE, at, "precision for type float must be less than 54 bits");
    if (p <= 24) t->name = "float4";
    return true;
}

/* `ok` is cleared for a float precision out of range. */
/* INTERVAL's fields as PostgreSQL's mask of them (its datetime.h field numbers). */
static int interval_range(TSNode fields) {
    static const struct {
        const char *kw;
        int bit;
    } F[] = {{"kw_month", 1}, {"kw_year", 2}, {"kw_day", 3}, {"kw_hour", 10}, {"kw_minute", 11}, {"kw_second", 12}};
    int lo = 99, hi = -1;
    uint32_t count = ts_node_child_count(fields);
    for (uint32_t i = 0; i < count; i++)
        for (size_t f = 0; f < ARRAY_LEN(F); f++)
            if (is(ts_node_child(fields, i), F[f].kw)) {
                if (F[f].bit < lo) lo = F[f].bit;
                if (F[f].bit > hi) hi = F[f].bit;
            }
    if (hi < 0) return 0;
    if (lo == 2 && hi == 2) return 1 << 2;              /* YEAR */
    if (lo == 1 && hi == 2) return (1 << 2) | (1 << 1); /* YEAR TO MONTH */
    int mask = 0;
    for (int b = 3; b <= 12; b++)
        if (b >= lo && b <= hi && (b == 3 || b >= 10)) mask |= 1 << b;
    return lo == 1 ? 1 << 1 : mask;
}

static SqlTypeName lower_type(Lower *L, TSNode n, bool *ok) {
    SqlTypeName t = {.pos = pos(n)};
    TSNode mods = child_of_type(n, "type_modifiers");
    TSNode fields = child_of_type(n, "interval_fields");
    if (!ts_node_is_null(fields)) {
        t.interval_range = interval_range(fields);
        mods = child_of_type(fields, "type_modifiers"); /* SECOND(p) */
    }
    if (has_child(n, "kw_interval")) {
        t.name = "interval";
    } else if (has_child(n, "kw_double")) {
        t.name = "float8";
    } else if (has_child(n, "kw_timestamp") || (has_child(n, "kw_time") && is(ts_node_child(n, 0), "kw_time"))) {
        bool with = has_child(n, "kw_with"), ts = has_child(n, "kw_timestamp");
        t.name = ts ? (with ? "timestamptz" : "timestamp") : (with ? "timetz" : "time");
    } else if (has_child(n, "kw_char") || has_child(n, "kw_character")) {
        t.name = has_child(n, "kw_varying") ? "varchar" : "bpchar";
        /* "char defaults to char(1), varchar to no limit" (gram.y) */
        if (t.name[0] == 'b' && ts_node_is_null(mods)) t.typmods[t.ntypmods++] = 1;
    } else {
        TSNode name = named(n, 0);
        t.name = lower_any_name(L, name, &t.schema);
        if (is(name, "identifier")) t.name = canonical_type(t.name);
    }
    if (!ts_node_is_null(mods)) lower_typmods(L, mods, &t);
    if (!ts_node_is_null(mods) && !float_precision(L, &t, pos(named(mods, 0)))) *ok = false;
    t.array = has_child(n, "array_bounds");
    return t;
}

/* ---- expressions --------------------------------------------------------- */

static Expr *lower_expr(Lower *L, TSNode n);

static Expr *new_expr(Lower *L, ExprKind kind, int at) {
    Expr *e = arena_zalloc(L->arena, sizeof *e);
    e->kind = kind;
    e->pos = at;
    return e;
}

/* 'it''s' -> it's (standard_conforming_strings is on, as in PostgreSQL 15). */
static char *unquote_string(Lower *L, TSNode n) {
    char *s = node_text(L, n);
    size_t o = 0;
    for (size_t i = 1; s[i + 1] != '\0'; i++) {
        s[o++] = s[i];
        if (s[i] == '\'') i++;
    }
    s[o] = '\0';
    return s;
}

static int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Appends code point `cp` as UTF-8; returns the bytes written. */
static size_t put_utf8(char *o, unsigned long cp) {
    if (cp < 0x80) return o[0] = (char)cp, 1;
    if (cp < 0x800) return o[0] = (char)(0xC0 | (cp >> 6)), o[1] = (char)(0x80 | (cp & 63)), 2;
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 63));
        o[2] = (char)(0x80 | (cp & 63));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 63));
    o[2] = (char)(0x80 | ((cp >> 6) & 63));
    o[3] = (char)(0x80 | (cp & 63));
    return 4;
}

/* Reads up to `max` digits of base `base` from s[*i]; returns the value. */
static unsigned long read_digits(const char *s, size_t *i, int base, int max) {
    unsigned long v = 0;
    for (int k = 0; k < max; k++) {
        int d = hex_value(s[*i]);
        if (d < 0 || d >= base) break;
        v = v * (unsigned long)base + (unsigned long)d;
        (*i)++;
    }
    return v;
}

/* One backslash escape of an E'' string at s[i] (just after the backslash):
 * \b \f \n \r \t, \ooo, \xHH, \uXXXX, \UXXXXXXXX; any other character stands
 * for itself. Writes to o, returns bytes written and advances *i. */
static size_t unescape_one(const char *s, size_t *i, char *o) {
    char c = s[(*i)++];
    switch (c) {
    case 'b': return o[0] = '\b', 1;
    case 'f': return o[0] = '\f', 1;
    case 'n': return o[0] = '\n', 1;
    case 'r': return o[0] = '\r', 1;
    case 't': return o[0] = '\t', 1;
    case 'x':
        if (hex_value(s[*i]) < 0) return o[0] = 'x', 1;
        return o[0] = (char)read_digits(s, i, 16, 2), 1;
    case 'u':
    case 'U': {
        size_t start = *i;
        int want = c == 'u' ? 4 : 8;
        unsigned long cp = read_digits(s, i, 16, want);
        if ((int)(*i - start) != want) return *i = start, o[0] = c, 1;
        return put_utf8(o, cp);
    }
    default:
        if (c >= '0' && c <= '7') {
            (*i)--;
            return o[0] = (char)read_digits(s, i, 8, 3), 1;
        }
        return o[0] = c, 1;
    }
}

/* E'..': backslash escapes and '' resolved. The result is never longer
 * than the literal, so it is rewritten in place. */
static char *unescape_string(Lower *L, TSNode n) {
    char *s = node_text(L, n);
    size_t len = strlen(s), o = 0, i = 2;
    char out[4];
    while (i < len - 1) {
        if (s[i] == '\\') {
            i++;
            size_t k = unescape_one(s, &i, out);
            memcpy(s + o, out, k);
            o += k;
        } else {
            s[o++] = s[i];
            i += s[i] == '\'' ? 2 : 1;
        }
    }
    s[o] = '\0';
    return s;
}

static Expr *lower_literal(Lower *L, TSNode n, ExprKind kind, char *text);

/* One \XXXX or \+XXXXXX escape of a U&'' string at s[*i] (after the
 * escape character): its code point, or -1 if it is not one. */
static long unicode_escape(const char *s, size_t *i) {
    int digits = s[*i] == '+' ? 6 : 4;
    size_t at = *i + (s[*i] == '+');
    long cp = 0;
    for (int k = 0; k < digits; k++) {
        int h = hex_value(s[at + (size_t)k]);
        if (h < 0) return -1;
        cp = cp * 16 + h;
    }
    *i = at + (size_t)digits;
    return cp;
}

static bool is_high_surrogate(long cp) { return cp >= 0xD800 && cp <= 0xDBFF; }
static bool is_low_surrogate(long cp) { return cp >= 0xDC00 && cp <= 0xDFFF; }

/* PostgreSQL's UESCAPE rule: one character, not a hex digit, +, a quote or a blank. */
static bool unicode_escape_char_ok(const char *e) {
    return strlen(e) == 1 && !isxdigit((unsigned char)e[0]) && !strchr("+'\" \t\n\r\f", e[0]);
}

/* U&'...' [UESCAPE 'c']: its escapes resolved (a UTF-16 surrogate pair
 * as one code point, the escape character doubled as itself), with
 * PostgreSQL's errors at the offending escape. */
static Expr *lower_unicode_string(Lower *L, TSNode n) {
    TSNode value = field(n, "value"), esc = field(n, "escape");
    char escape = '\\';
    if (!ts_node_is_null(esc)) {
        const char *e = unquote_string(L, esc);
        if (!unicode_escape_char_ok(e)) {
            fail_at(L, pos(esc), SQLSTATE_SYNTAX_ERROR, "invalid Unicode escape character at or near \"%s\"",
                    node_text(L, esc));
            return NULL;
        }
        escape = e[0];
    }
    const char *s = L->text;
    size_t i = ts_node_start_byte(value) + 3, end = ts_node_end_byte(value) - 1, o = 0;
    char *out = arena_alloc(L->arena, 4 * (end - i) + 1);
    while (i < end) {
        if (s[i] == '\'') { /* '' */
            out[o++] = '\'', i += 2;
            continue;
        }
        if (s[i] != escape) {
            out[o++] = s[i++];
            continue;
        }
        size_t at = i++;
        if (s[i] == escape) {
            out[o++] = escape, i++;
            continue;
        }
        long cp = unicode_escape(s, &i);
        if (cp >= 0 && is_high_surrogate(cp)) {
            size_t low_at = i;
            long low = i < end && s[i] == escape ? (i++, unicode_escape(s, &i)) : -1;
            if (!is_low_surrogate(low)) {
                fail_at(L, (int)low_at, SQLSTATE_SYNTAX_ERROR, "invalid Unicode surrogate pair");
                return NULL;
            }
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        } else if (cp >= 0 && is_low_surrogate(cp)) {
            fail_at(L, (int)at, SQLSTATE_SYNTAX_ERROR, "invalid Unicode surrogate pair");
            return NULL;
        }
        if (cp < 0) {
            fail_at(L, (int)at, SQLSTATE_SYNTAX_ERROR, "invalid Unicode escape");
            error_hint(L->err, "Unicode escapes must be \\XXXX or \\+XXXXXX.");
            return NULL;
        }
        if (cp == 0 || cp > 0x10FFFF) {
            fail_at(L, (int)at, SQLSTATE_SYNTAX_ERROR, "invalid Unicode escape value");
            return NULL;
        }
        o += put_utf8(out + o, (unsigned long)cp);
    }
    out[o] = '\0';
    return lower_literal(L, value, EXPR_STRING, out);
}

/* $tag$..$tag$: the text between the delimiters, as written. *body_at (if
 * not NULL) is the byte offset where that text starts. */
static char *undollar_string(Lower *L, TSNode n, int *body_at) {
    char *s = node_text(L, n);
    size_t len = strlen(s), tag = 1;
    while (s[tag] != '$') tag++;
    tag++; /* "$tag$" */
    if (body_at) *body_at = pos(n) + (int)tag;
    s[len - tag] = '\0';
    return s + tag;
}

/* column, table.column, schema.table.column, catalog.schema.table.column,
 * and table.*, schema.table.*, catalog.schema.table.*: the names written
 * (in fields, first to last) taken from the last back. */
static Expr *lower_dotted(Lower *L, TSNode n, ExprKind kind, const char *const fields[4]) {
    Expr *e = new_expr(L, kind, pos(n));
    const char *parts[5] = {0}, **p = parts;
    int k = 0;
    for (int i = 3; i >= 0; i--) {
        if (!fields[i]) continue;
        TSNode f = field(n, fields[i]);
        if (!ts_node_is_null(f)) parts[k++] = lower_name(L, f);
    }
    if (kind == EXPR_COLUMN) e->u.column.name = *p++;
    e->u.column.table = p[0];
    e->u.column.schema = p[1];
    e->u.column.catalog = p[2];
    return e;
}

static Expr *lower_column_ref(Lower *L, TSNode n) {
    static const char *const fields[4] = {"name", "column", "column2", "column3"};
    return lower_dotted(L, n, EXPR_COLUMN, fields);
}

static Expr *lower_qualified_star(Lower *L, TSNode n) {
    static const char *const fields[4] = {"table", "table2", "table3", NULL};
    return lower_dotted(L, n, EXPR_STAR, fields);
}

/* (x).name, (x).* */
static Expr *lower_field_selection(Lower *L, TSNode n) {
    Expr *e = new_expr(L, EXPR_FIELD, pos(child_of_type(n, ".")));
    TSNode name = field(n, "field");
    if (!ts_node_is_null(name)) e->u.field.name = lower_name(L, name);
    return (e->u.field.arg = lower_expr(L, field(n, "value"))) ? e : NULL;
}

static Expr *lower_literal(Lower *L, TSNode n, ExprKind kind, char *text) {
    Expr *e = new_expr(L, kind, pos(n));
    e->u.text = text;
    return e;
}

static Expr *call(Lower *L, int at, const char *name, int nargs, Expr **args) {
    Expr *e = new_expr(L, EXPR_FUNC, at);
    e->u.func.name = name;
    e->u.func.args = arena_alloc(L->arena, (size_t)(nargs ? nargs : 1) * sizeof(Expr *));
    if (nargs) memcpy(e->u.func.args, args, (size_t)nargs * sizeof(Expr *));
    e->u.func.nargs = nargs;
    return e;
}

static Expr *syntax_error_at(Lower *L, TSNode n) {
    error_set(L->err, SQLSTATE_SYNTAX_ERROR, "syntax error at or near \"%s\"", node_text(L, n));
    L->err->position = pos(n) + 1;
    return NULL;
}

/* The SQL-standard argument forms, as PostgreSQL's grammar turns them into
 * calls: substring(s FROM a FOR b) = substring(s, a, b), substring(s FOR b)
 * = substring(s, 1, b), position(a IN s) = position(s, a), trim([LEADING |
 * TRAILING | BOTH] [chars] FROM s) = ltrim / rtrim / btrim(s, chars),
 * overlay(s PLACING r FROM a FOR b) = overlay(s, r, a, b). Any other
 * function with such arguments is a syntax error at the keyword. */
static Expr *lower_special_args(Lower *L, TSNode n, const char *name, int at) {
    TSNode sa = child_of_type(n, "special_args");
    TSNode arg = field(sa, "arg"), from = field(sa, "from"), for_ = field(sa, "for"), in = field(sa, "in"),
           placing = field(sa, "placing"), side = field(sa, "side");
    Expr *x[4] = {0};
    TSNode parts[4] = {arg, from, for_, in};
    Expr **slots[4] = {&x[0], &x[1], &x[2], &x[3]};
    for (int i = 0; i < 4; i++)
        if (!ts_node_is_null(parts[i]) && !(*slots[i] = lower_expr(L, parts[i]))) return NULL;
    Expr *r = NULL;
    if (!ts_node_is_null(placing) && !(r = lower_expr(L, placing))) return NULL;
    bool is_trim = strcmp(name, "trim") == 0;
    if (strcmp(name, "substring") == 0 && x[0] && !r && ts_node_is_null(side) && (x[1] || x[2]) && !x[3]) {
        Expr *one = new_expr(L, EXPR_INTEGER, at);
        one->u.text = "1";
        Expr *args[3] = {x[0], x[1] ? x[1] : one, x[2]};
        return call(L, at, "substring", x[2] ? 3 : 2, args);
    }
    if (strcmp(name, "position") == 0 && x[0] && x[3]) return call(L, at, "position", 2, (Expr *[]){x[3], x[0]});
    if (strcmp(name, "extract") == 0 && x[0] && x[1] && !x[2] && !r && ts_node_is_null(side) &&
        (x[0]->kind == EXPR_COLUMN || x[0]->kind == EXPR_STRING) &&
        !(x[0]->kind == EXPR_COLUMN && x[0]->u.column.table)) {
        Expr *unit = x[0];
        if (unit->kind == EXPR_COLUMN) { /* extract(year FROM x): the field named as a word */
            unit = new_expr(L, EXPR_STRING, x[0]->pos);
            unit->u.text = (char *)x[0]->u.column.name;
        }
        return call(L, at, "extract", 2, (Expr *[]){unit, x[1]});
    }
    if (strcmp(name, "overlay") == 0 && r) return call(L, at, "overlay", x[2] ? 4 : 3, (Expr *[]){x[0], r, x[1], x[2]});
    if (is_trim && x[1] && !x[2] && !x[3] && !r) {
        const char *fn = has_child(sa, "kw_leading") ? "ltrim" : has_child(sa, "kw_trailing") ? "rtrim" : "btrim";
        return call(L, at, fn, x[0] ? 2 : 1, (Expr *[]){x[1], x[0]});
    }
    TSNode kw = ts_node_child(sa, ts_node_is_null(arg) ? 0 : 1); /* the first keyword */
    return syntax_error_at(L, kw);
}

/* COALESCE, GREATEST and LEAST take one argument or more and NULLIF two:
 * they are keywords with their own rules in PostgreSQL's grammar, so
 * anything else is a syntax error there. */
static bool special_form_arity(Lower *L, TSNode n, const char *fname, int nargs) {
    bool nullif = strcmp(fname, "nullif") == 0;
    if (!nullif && strcmp(fname, "coalesce") && strcmp(fname, "greatest") && strcmp(fname, "least")) return true;
    if (has_child(n, "star")) return syntax_error_at(L, child_of_type(n, "star")), false;
    if (nargs == 0 || (nullif && nargs == 1)) return syntax_error_at(L, child_of_type(n, ")")), false;
    if (!nullif || nargs == 2) return true;
    int commas = 0; /* the second comma */
    for (uint32_t i = 0; i < ts_node_child_count(n); i++) {
        TSNode c = ts_node_child(n, i);
        if (is(c, ",") && ++commas == 2) return syntax_error_at(L, c), false;
    }
    return true;
}

static bool lower_optional(Lower *L, TSNode n, Expr **out);
static bool lower_order_by(Lower *L, TSNode ob, OrderItem **order, int *norder);

static bool lower_field_list(Lower *L, TSNode n, const char *name, Expr ***out, int *count);
static bool lower_items(Lower *L, TSNode n, const char *name, Expr *(*lower)(Lower *, TSNode), Expr ***out, int *count);

static bool lower_frame_bound(Lower *L, TSNode b, SqlFrameBound *kind, Expr **offset) {
    bool preceding = has_child(b, "kw_preceding");
    if (!ts_node_is_null(field(b, "unbounded"))) {
        *kind = preceding ? SQL_BOUND_UNBOUNDED_PRECEDING : SQL_BOUND_UNBOUNDED_FOLLOWING;
        return true;
    }
    if (!ts_node_is_null(field(b, "current"))) {
        *kind = SQL_BOUND_CURRENT_ROW;
        return true;
    }
    *kind = preceding ? SQL_BOUND_PRECEDING : SQL_BOUND_FOLLOWING;
    return (*offset = lower_expr(L, field(b, "offset"))) != NULL;
}

static WindowSpec *lower_window_spec(Lower *L, TSNode n) {
    WindowSpec *w = arena_zalloc(L->arena, sizeof *w);
    w->pos = pos(n);
    if (!is(n, "window_spec")) { /* OVER name */
        w->base = lower_name(L, n);
        w->base_pos = pos(n);
        return w;
    }
    TSNode base = field(n, "base"), order = field(n, "order"), frame = field(n, "frame");
    if (!ts_node_is_null(base)) w->base = lower_name(L, base), w->base_pos = pos(base);
    if (!lower_field_list(L, n, "partition", &w->partition, &w->npartition)) return NULL;
    if (!ts_node_is_null(order) && !lower_order_by(L, order, &w->order, &w->norder)) return NULL;
    if (ts_node_is_null(frame)) return w;
    TSNode mode = field(frame, "mode"), end = field(frame, "end"), exclude = field(frame, "exclude");
    w->frame_pos = pos(frame);
    w->mode = is(mode, "kw_rows") ? SQL_FRAME_ROWS : is(mode, "kw_range") ? SQL_FRAME_RANGE : SQL_FRAME_GROUPS;
    if (!lower_frame_bound(L, field(frame, "start"), &w->start, &w->start_offset)) return NULL;
    w->start_pos = w->end_pos = pos(field(frame, "start"));
    w->end = SQL_BOUND_CURRENT_ROW;
    if (!ts_node_is_null(end) && !lower_frame_bound(L, end, &w->end, &w->end_offset)) return NULL;
    if (!ts_node_is_null(end)) w->end_pos = pos(end);
    if (!ts_node_is_null(exclude))
        w->exclude = is(exclude, "kw_current") ? SQL_EXCLUDE_CURRENT_ROW
                     : is(exclude, "kw_group") ? SQL_EXCLUDE_GROUP
                     : is(exclude, "kw_ties")  ? SQL_EXCLUDE_TIES
                                               : SQL_EXCLUDE_NONE;
    return w;
}

static Expr *lower_function(Lower *L, TSNode n) {
    TSNode name = field(n, "name");
    const char *schema;
    const char *fname = lower_any_name(L, name, &schema);
    if (has_child(n, "special_args")) return lower_special_args(L, n, fname, pos(name));
    /* position takes only `a IN b` (it is a keyword in PostgreSQL's grammar) */
    if (strcmp(fname, "position") == 0) {
        TSNode comma = child_of_type(n, ",");
        return syntax_error_at(L, ts_node_is_null(comma) ? child_of_type(n, ")") : comma);
    }
    Expr *e = new_expr(L, EXPR_FUNC, pos(name));
    e->u.func.name = fname;
    e->u.func.schema = schema;
    e->u.func.star = has_child(n, "star");
    if (!lower_items(L, n, "arg", lower_expr, &e->u.func.args, &e->u.func.nargs)) return NULL;
    TSNode quantifier = field(n, "quantifier"), order = field(n, "order"), filter = field(n, "filter");
    e->u.func.distinct = !ts_node_is_null(quantifier) && is(quantifier, "kw_distinct");
    if (!ts_node_is_null(order) && !lower_order_by(L, order, &e->u.func.order, &e->u.func.norder)) return NULL;
    if (!lower_optional(L, filter, &e->u.func.filter)) return NULL;
    TSNode over = field(n, "over");
    if (!ts_node_is_null(over) && !(e->u.func.over = lower_window_spec(L, over))) return NULL;
    if (!special_form_arity(L, n, fname, e->u.func.nargs)) return NULL;
    /* trim(s [, chars]) is btrim, as PostgreSQL's grammar makes it */
    if (strcmp(fname, "trim") == 0 && !e->u.func.star) e->u.func.name = "btrim";
    return e;
}

/* current_user, current_role, user: current_user(); session_user:
 * session_user(). (PostgreSQL names the column user or current_role for
 * those spellings; here it is current_user.) */
static Expr *cast_to(Lower *L, Expr *arg, const char *type, int at) {
    Expr *e = new_expr(L, EXPR_CAST, at);
    e->u.cast.arg = arg;
    e->u.cast.type = (SqlTypeName){.name = type, .pos = at};
    return e;
}

/* current_date is now()::date, localtimestamp now()::timestamp, localtime
 * now()::time, current_time now()::timetz, current_timestamp now(), as
 * PostgreSQL evaluates them. */
static Expr *lower_user_function(Lower *L, TSNode n) {
    int at = pos(n);
    TSNode precision = field(n, "precision");
    const char *type = has_child(n, "kw_current_date")        ? "date"
                       : has_child(n, "kw_localtimestamp")    ? "timestamp"
                       : has_child(n, "kw_localtime")         ? "time"
                       : has_child(n, "kw_current_time")      ? "timetz"
                       : has_child(n, "kw_current_timestamp") ? "timestamptz"
                                                              : NULL;
    if (type) {
        Expr *e = call(L, at, "now", 0, NULL);
        if (strcmp(type, "timestamptz") || !ts_node_is_null(precision)) e = cast_to(L, e, type, at);
        if (!ts_node_is_null(precision)) { /* the precision as a typmod: timestamptz(p) */
            e->u.cast.type.typmods[0] = atoi(node_text(L, precision));
            e->u.cast.type.ntypmods = 1;
        }
        e->label = node_text(L, ts_node_child(n, 0)); /* the keyword names the column */
        for (char *c = (char *)e->label; *c; c++) *c = (char)tolower((unsigned char)*c);
        return e;
    }
    Expr *e = new_expr(L, EXPR_FUNC, at);
    e->u.func.name = has_child(n, "kw_session_user") ? "session_user" : "current_user";
    e->u.func.args = arena_alloc(L->arena, sizeof(Expr *));
    return e;
}

/* x AT TIME ZONE z is timezone(z, x) */
static Expr *lower_at_time_zone(Lower *L, TSNode n) {
    Expr *value = lower_expr(L, field(n, "value"));
    if (!value) return NULL;
    Expr *zone = lower_expr(L, field(n, "zone"));
    if (!zone) return NULL;
    return call(L, pos(child_of_type(n, "kw_at")), "timezone", 2, (Expr *[]){zone, value});
}

/* type 'literal' is 'literal'::type; INTERVAL '2' HOUR is '2'::interval hour */
static Expr *lower_typed_literal(Lower *L, TSNode n) {
    TSNode lit = field(n, "value"), name = field(n, "type");
    Expr *s = lower_literal(L, lit, EXPR_STRING, unquote_string(L, lit));
    if (ts_node_is_null(name)) {
        bool ok = true;
        Expr *e = cast_to(L, s, "interval", pos(lit));
        e->u.cast.type = lower_type(L, n, &ok);
        e->u.cast.type.name = "interval";
        return ok ? e : NULL;
    }
    const char *type = lower_name(L, name);
    if (is(name, "identifier")) type = canonical_type(type);
    Expr *e = cast_to(L, s, type, pos(lit));
    e->u.cast.type.pos = pos(name);
    return e;
}

static Expr *lower_cast(Lower *L, TSNode n, int at) {
    Expr *e = new_expr(L, EXPR_CAST, at);
    bool ok = true;
    e->u.cast.arg = lower_expr(L, named(n, is(n, "cast_call") ? 1 : 0));
    if (!e->u.cast.arg) return NULL;
    e->u.cast.type = lower_type(L, child_of_type(n, "type_name"), &ok);
    return ok ? e : NULL;
}

static Expr *lower_unary(Lower *L, TSNode n) {
    TSNode op = field(n, "operator");
    Expr *e = new_expr(L, EXPR_UNARY, pos(op));
    const char *t = ts_node_type(op);
    e->u.unary.op = strcmp(t, "-") == 0        ? SQL_OP_NEG
                    : strcmp(t, "+") == 0      ? SQL_OP_PLUS
                    : strcmp(t, "kw_not") == 0 ? SQL_OP_NOT
                                               : SQL_OP_OTHER;
    if (e->u.unary.op == SQL_OP_OTHER) e->u.unary.opname = t;
    e->u.unary.arg = lower_expr(L, field(n, "operand"));
    return e->u.unary.arg ? e : NULL;
}

static bool op_from_text(const char *t, SqlOp *op) {
    static const struct {
        const char *text;
        SqlOp op;
    } ops[] = {
        {"+", SQL_OP_ADD}, {"-", SQL_OP_SUB}, {"*", SQL_OP_MUL},     {"/", SQL_OP_DIV},      {"%", SQL_OP_MOD},
        {"=", SQL_OP_EQ},  {"<>", SQL_OP_NE}, {"!=", SQL_OP_NE},     {"<", SQL_OP_LT},       {"<=", SQL_OP_LE},
        {">", SQL_OP_GT},  {">=", SQL_OP_GE}, {"||", SQL_OP_CONCAT}, {"kw_and", SQL_OP_AND}, {"kw_or", SQL_OP_OR},
    };
    for (size_t i = 0; i < ARRAY_LEN(ops); i++)
        if (strcmp(t, ops[i].text) == 0) return *op = ops[i].op, true;
    return false;
}

static bool is_comparison(SqlOp op) { return op >= SQL_OP_EQ && op <= SQL_OP_GE; }

/* A comparison whose left operand is an unparenthesized comparison:
 * PostgreSQL's comparison operators are %nonassoc, so `a = b = c` is a
 * syntax error at the second operator. */
static bool chained_comparison(TSNode left) {
    SqlOp op;
    return is(left, "binary_expression") && op_from_text(ts_node_type(field(left, "operator")), &op) &&
           is_comparison(op);
}

/* x COLLATE [schema.]name */
static Expr *lower_collate(Lower *L, TSNode n) {
    Expr *e = new_expr(L, EXPR_COLLATE, pos(child_of_type(n, "kw_collate")));
    TSNode schema = field(n, "schema");
    if (!ts_node_is_null(schema)) e->u.collate.schema = lower_name(L, schema);
    e->u.collate.name = lower_name(L, field(n, "name"));
    return (e->u.collate.arg = lower_expr(L, field(n, "arg"))) ? e : NULL;
}

/* a OPERATOR([schema.]op) b: the operator as if written bare, its schema
 * kept for the binder (the built-in operators are pg_catalog's; public has
 * none, and there is no other schema). */
static Expr *lower_operator_call(Lower *L, TSNode n) {
    TSNode op = field(n, "operator"), schema = field(n, "schema");
    int at = pos(child_of_type(n, "kw_operator"));
    const char *schema_name = ts_node_is_null(schema) ? NULL : lower_name(L, schema);
    if (schema_name && strcmp(schema_name, "pg_catalog") != 0 && strcmp(schema_name, "public") != 0) {
        error_set(L->err, SQLSTATE_INVALID_SCHEMA_NAME, "schema \"%s\" does not exist", lower_name(L, schema));
        L->err->position = pos(schema) + 1;
        return NULL;
    }
    Expr *e = new_expr(L, EXPR_BINARY, at);
    e->u.binary.opschema = schema_name;
    if (!op_from_text(ts_node_type(op), &e->u.binary.op)) {
        e->u.binary.op = SQL_OP_OTHER;
        e->u.binary.opname = node_text(L, op);
    }
    if (!(e->u.binary.left = lower_expr(L, field(n, "left")))) return NULL;
    return (e->u.binary.right = lower_expr(L, field(n, "right"))) ? e : NULL;
}

static Expr *lower_binary(Lower *L, TSNode n) {
    TSNode op = field(n, "operator");
    Expr *e = new_expr(L, EXPR_BINARY, pos(op));
    if (!op_from_text(ts_node_type(op), &e->u.binary.op)) {
        e->u.binary.op = SQL_OP_OTHER;
        e->u.binary.opname = node_text(L, op);
    }
    if (is_comparison(e->u.binary.op) && chained_comparison(field(n, "left"))) {
        error_set(L->err, SQLSTATE_SYNTAX_ERROR, "syntax error at or near \"%s\"", node_text(L, op));
        L->err->position = pos(op) + 1;
        return NULL;
    }
    e->u.binary.left = lower_expr(L, field(n, "left"));
    if (!e->u.binary.left) return NULL;
    e->u.binary.right = lower_expr(L, field(n, "right"));
    return e->u.binary.right ? e : NULL;
}

static Expr *sublink(Lower *L, TSNode subquery, SqlSublinkKind kind, int at);

/* ARRAY[a, b, ...], or ARRAY(SELECT ...) */
static Expr *lower_array(Lower *L, TSNode n) {
    TSNode query = field(n, "query");
    if (!ts_node_is_null(query)) return sublink(L, query, SQL_SUBLINK_ARRAY, pos(n));
    Expr *e = new_expr(L, EXPR_ARRAY, pos(n));
    uint32_t count = ts_node_named_child_count(n);
    e->u.array.items = arena_alloc(L->arena, (count + 1) * sizeof(Expr *));
    for (uint32_t i = 0; i < count; i++) {
        TSNode item = ts_node_named_child(n, i);
        if (is(item, "kw_array") || ts_node_is_extra(item)) continue;
        if (is(item, "sub_array")) {
            fail(L, SQLSTATE_FEATURE_NOT_SUPPORTED, pos(item), "multidimensional arrays are not supported");
            return NULL;
        }
        if (!(e->u.array.items[e->u.array.n++] = lower_expr(L, item))) return NULL;
    }
    return e;
}

/* A GROUP BY item: an expression, or (), ROLLUP, CUBE, GROUPING SETS. */
static Expr *lower_group_item(Lower *L, TSNode n) {
    static const struct {
        const char *node;
        SqlGroupingKind kind;
    } KINDS[] = {{"empty_grouping_set", SQL_GROUPING_EMPTY},
                 {"rollup", SQL_GROUPING_ROLLUP},
                 {"cube", SQL_GROUPING_CUBE},
                 {"grouping_sets", SQL_GROUPING_SETS}};
    for (size_t k = 0; k < ARRAY_LEN(KINDS); k++) {
        if (!is(n, KINDS[k].node)) continue;
        Expr *e = new_expr(L, EXPR_GROUPING, pos(n));
        e->u.grouping.kind = KINDS[k].kind;
        bool ok = lower_items(L, n, "item", KINDS[k].kind == SQL_GROUPING_SETS ? lower_group_item : lower_expr,
                              &e->u.grouping.items, &e->u.grouping.n);
        return ok ? e : NULL;
    }
    return lower_expr(L, n);
}

/* ROW(a, b) or (a, b): its items, in u.array */
static Expr *lower_row(Lower *L, TSNode n) {
    Expr *e = new_expr(L, EXPR_ROW, pos(n));
    return lower_items(L, n, "item", lower_expr, &e->u.array.items, &e->u.array.n) ? e : NULL;
}

static bool lower_optional(Lower *L, TSNode n, Expr **out) {
    *out = ts_node_is_null(n) ? NULL : lower_expr(L, n);
    return ts_node_is_null(n) || *out;
}

/* value[index] or value[lower:upper] */
static Expr *lower_subscript(Lower *L, TSNode n) {
    Expr *e = new_expr(L, EXPR_SUBSCRIPT, pos(child_of_type(n, "[")));
    e->u.subscript.slice = has_child(n, ":");
    if (!(e->u.subscript.value = lower_expr(L, field(n, "value")))) return NULL;
    if (!lower_optional(L, field(n, "index"), &e->u.subscript.index)) return NULL;
    if (!lower_optional(L, field(n, "lower"), &e->u.subscript.lower)) return NULL;
    return lower_optional(L, field(n, "upper"), &e->u.subscript.upper) ? e : NULL;
}

/* left op ANY (right); SOME is ANY */
static Expr *lower_quantified(Lower *L, TSNode n) {
    TSNode op = field(n, "operator"), query = field(n, "query");
    if (!ts_node_is_null(query)) {
        Expr *e = sublink(L, query, has_child(n, "kw_all") ? SQL_SUBLINK_ALL : SQL_SUBLINK_ANY, pos(op));
        if (!e) return NULL;
        op_from_text(ts_node_type(op), &e->u.sublink.op);
        return (e->u.sublink.left = lower_expr(L, field(n, "left"))) ? e : NULL;
    }
    Expr *e = new_expr(L, EXPR_QUANTIFIED, pos(op));
    op_from_text(ts_node_type(op), &e->u.quantified.op);
    e->u.quantified.all = has_child(n, "kw_all");
    if (!(e->u.quantified.left = lower_expr(L, field(n, "left")))) return NULL;
    return (e->u.quantified.right = lower_expr(L, field(n, "right"))) ? e : NULL;
}

/* a [NOT] LIKE b [ESCAPE c] is a ~~ b (!~~; ILIKE ~~* and !~~*), the
 * pattern passed through like_escape(b, c) when ESCAPE is given; a [NOT]
 * SIMILAR TO b [ESCAPE c] is a ~ similar_to_escape(b [, c]) (!~), as
 * PostgreSQL's grammar rewrites them. */
static Expr *lower_like(Lower *L, TSNode n) {
    TSNode op = field(n, "operator");
    bool negated = !ts_node_is_null(field(n, "not")), similar = has_child(n, "kw_similar");
    bool icase = has_child(n, "kw_ilike");
    Expr *e = new_expr(L, EXPR_BINARY, pos(negated ? field(n, "not") : op)); /* NOT LIKE is placed at NOT */
    e->u.binary.op = SQL_OP_OTHER;
    e->u.binary.opname = similar ? (negated ? "!~" : "~") : icase ? (negated ? "!~~*" : "~~*") : negated ? "!~~" : "~~";
    if (!(e->u.binary.left = lower_expr(L, field(n, "left")))) return NULL;
    Expr *pattern = lower_expr(L, field(n, "right")), *escape = NULL;
    if (!pattern) return NULL;
    TSNode esc = field(n, "escape");
    if (!ts_node_is_null(esc) && !(escape = lower_expr(L, esc))) return NULL;
    if (similar)
        pattern = call(L, pattern->pos, "similar_to_escape", escape ? 2 : 1, (Expr *[]){pattern, escape});
    else if (escape)
        pattern = call(L, pattern->pos, "like_escape", 2, (Expr *[]){pattern, escape});
    e->u.binary.right = pattern;
    return e;
}

static Expr *lower_is_null(Lower *L, TSNode n) {
    TSNode is_kw = child_of_type(n, "kw_is");
    TSNode kw = ts_node_is_null(is_kw) ? named(n, 1) : is_kw;
    Expr *e = new_expr(L, EXPR_IS_NULL, pos(kw));
    e->u.isnull.negated = has_child(n, "kw_notnull") || (!ts_node_is_null(is_kw) && has_child(n, "kw_not"));
    e->u.isnull.arg = lower_expr(L, named(n, 0));
    return e->u.isnull.arg ? e : NULL;
}

/* CASE [arg] WHEN w THEN t ... [ELSE e] END */
static Expr *lower_case(Lower *L, TSNode n) {
    Expr *e = new_expr(L, EXPR_CASE, pos(n));
    uint32_t count = ts_node_named_child_count(n);
    e->u.case_.whens = arena_alloc(L->arena, (count + 1) * sizeof(Expr *));
    e->u.case_.thens = arena_alloc(L->arena, (count + 1) * sizeof(Expr *));
    e->u.case_.when_pos = arena_alloc(L->arena, (count + 1) * sizeof(int));
    if (!lower_optional(L, field(n, "arg"), &e->u.case_.arg)) return NULL;
    for (uint32_t i = 0; i < count; i++) {
        TSNode w = ts_node_named_child(n, i);
        if (!is(w, "when_clause")) continue;
        int k = e->u.case_.n++;
        e->u.case_.when_pos[k] = pos(w);
        if (!(e->u.case_.whens[k] = lower_expr(L, field(w, "when")))) return NULL;
        if (!(e->u.case_.thens[k] = lower_expr(L, field(w, "then")))) return NULL;
    }
    return lower_optional(L, field(n, "else"), &e->u.case_.else_) ? e : NULL;
}

static Expr *binary(Lower *L, SqlOp op, int at, Expr *left, Expr *right) {
    Expr *e = new_expr(L, EXPR_BINARY, at);
    e->u.binary.op = op;
    e->u.binary.left = left;
    e->u.binary.right = right;
    return e;
}

/* a BETWEEN b AND c is a >= b AND a <= c, as PostgreSQL's parser rewrites
 * it (a appears twice); NOT BETWEEN is a < b OR a > c; SYMMETRIC also
 * accepts the bounds the other way round. The operators are placed at the
 * BETWEEN keyword, where PostgreSQL reports their errors. */
static Expr *between(Lower *L, int at, bool negated, Expr *a, Expr *lo, Expr *hi) {
    if (negated) return binary(L, SQL_OP_OR, at, binary(L, SQL_OP_LT, at, a, lo), binary(L, SQL_OP_GT, at, a, hi));
    return binary(L, SQL_OP_AND, at, binary(L, SQL_OP_GE, at, a, lo), binary(L, SQL_OP_LE, at, a, hi));
}

static Expr *lower_between(Lower *L, TSNode n) {
    TSNode negation = field(n, "not"); /* NOT BETWEEN is placed at NOT */
    int at = pos(ts_node_is_null(negation) ? child_of_type(n, "kw_between") : negation);
    bool negated = !ts_node_is_null(negation);
    TSNode sym = field(n, "symmetric");
    Expr *a = lower_expr(L, field(n, "left")), *lo = a ? lower_expr(L, field(n, "low")) : NULL,
         *hi = lo ? lower_expr(L, field(n, "high")) : NULL;
    if (!hi) return NULL;
    Expr *e = between(L, at, negated, a, lo, hi);
    if (ts_node_is_null(sym) || is(sym, "kw_asymmetric")) return e;
    return binary(L, negated ? SQL_OP_AND : SQL_OP_OR, at, e, between(L, at, negated, a, hi, lo));
}

static bool lower_stmt(Lower *L, TSNode n, Stmt *s);

/* (SELECT ...) of some kind; left and op for ANY / ALL. */
static Expr *sublink(Lower *L, TSNode subquery, SqlSublinkKind kind, int at) {
    Expr *e = new_expr(L, EXPR_SUBLINK, at);
    e->u.sublink.kind = kind;
    e->u.sublink.query = arena_zalloc(L->arena, sizeof(Stmt));
    return lower_stmt(L, field(subquery, "query"), e->u.sublink.query) ? e : NULL;
}

/* a [NOT] IN (b, c, ...): the binder decides between = ANY (ARRAY[...])
 * and a chain of comparisons, as PostgreSQL does. */
static Expr *lower_in(Lower *L, TSNode n) {
    TSNode negation = field(n, "not"), query = field(n, "query");
    int at = pos(ts_node_is_null(negation) ? child_of_type(n, "kw_in") : negation);
    if (!ts_node_is_null(query)) { /* x IN (SELECT ...) is x = ANY (SELECT ...); NOT IN its negation */
        Expr *e = sublink(L, query, SQL_SUBLINK_ANY, at);
        if (!e || !(e->u.sublink.left = lower_expr(L, field(n, "left")))) return NULL;
        e->u.sublink.op = SQL_OP_EQ;
        if (ts_node_is_null(negation)) return e;
        Expr *neg = new_expr(L, EXPR_UNARY, at);
        neg->u.unary.op = SQL_OP_NOT;
        neg->u.unary.arg = e;
        return neg;
    }
    Expr *e = new_expr(L, EXPR_IN, at);
    e->u.in.negated = !ts_node_is_null(negation);
    if (!(e->u.in.left = lower_expr(L, field(n, "left")))) return NULL;
    return lower_items(L, n, "item", lower_expr, &e->u.in.items, &e->u.in.n) ? e : NULL;
}

static Expr *lower_is_distinct(Lower *L, TSNode n) {
    Expr *e = new_expr(L, EXPR_DISTINCT, pos(child_of_type(n, "kw_is")));
    e->u.distinct.negated = !ts_node_is_null(field(n, "not"));
    if (!(e->u.distinct.left = lower_expr(L, field(n, "left")))) return NULL;
    return (e->u.distinct.right = lower_expr(L, field(n, "right"))) ? e : NULL;
}

static Expr *lower_boolean_test(Lower *L, TSNode n) {
    Expr *e = new_expr(L, EXPR_BOOLTEST, pos(child_of_type(n, "kw_is")));
    e->u.booltest.negated = !ts_node_is_null(field(n, "not"));
    TSNode v = field(n, "value");
    e->u.booltest.test = is(v, "kw_true") ? SQL_IS_TRUE : is(v, "kw_false") ? SQL_IS_FALSE : SQL_IS_UNKNOWN;
    return (e->u.booltest.arg = lower_expr(L, field(n, "arg"))) ? e : NULL;
}

static Expr *lower_param(Lower *L, TSNode n) {
    Expr *e = new_expr(L, EXPR_PARAM, pos(n));
    const char *s = L->text + ts_node_start_byte(n) + 1;
    const char *end = L->text + ts_node_end_byte(n);
    long v = 0;
    for (; s < end; s++) v = v > INT_MAX / 10 ? INT_MAX : v * 10 + (*s - '0');
    e->u.param = v > INT_MAX ? INT_MAX : (int)v;
    return e;
}

/* The one dispatch over expression node types. */
static Expr *lower_expr(Lower *L, TSNode n) {
    if (!stack_check(L->err)) return NULL;
    const char *t = ts_node_type(n);
    switch (t[0]) {
    case 'l':
        if (strcmp(t, "like_expression") == 0) return lower_like(L, n);
        break;
    case 'i':
        if (strcmp(t, "integer") == 0) return lower_literal(L, n, EXPR_INTEGER, node_text(L, n));
        if (strcmp(t, "is_null") == 0) return lower_is_null(L, n);
        if (strcmp(t, "in_expression") == 0) return lower_in(L, n);
        if (strcmp(t, "is_distinct") == 0) return lower_is_distinct(L, n);
        break;
    case 'd':
        if (strcmp(t, "decimal") == 0) return lower_literal(L, n, EXPR_DECIMAL, node_text(L, n));
        if (strcmp(t, "default") == 0) return new_expr(L, EXPR_DEFAULT, pos(n));
        if (strcmp(t, "dollar_string") == 0) return lower_literal(L, n, EXPR_STRING, undollar_string(L, n, NULL));
        break;
    case 's':
        if (strcmp(t, "string") == 0) return lower_literal(L, n, EXPR_STRING, unquote_string(L, n));
        if (strcmp(t, "star") == 0) return new_expr(L, EXPR_STAR, pos(n));
        if (strcmp(t, "subscript") == 0) return lower_subscript(L, n);
        if (strcmp(t, "subquery") == 0) return sublink(L, n, SQL_SUBLINK_EXPR, pos(n));
        break;
    case 'e':
        if (strcmp(t, "escape_string") == 0) return lower_literal(L, n, EXPR_STRING, unescape_string(L, n));
        if (strcmp(t, "exists") == 0) return sublink(L, named(n, 1), SQL_SUBLINK_EXISTS, pos(n));
        break;
    case 'k':
        if (strcmp(t, "kw_null") == 0) return new_expr(L, EXPR_NULL, pos(n));
        if (strcmp(t, "kw_true") == 0 || strcmp(t, "kw_false") == 0) {
            Expr *e = new_expr(L, EXPR_BOOL, pos(n));
            e->u.bval = strcmp(t, "kw_true") == 0;
            return e;
        }
        break;
    case 'p':
        if (strcmp(t, "parameter") == 0) return lower_param(L, n);
        if (strcmp(t, "parenthesized") == 0) return lower_expr(L, named(n, 0));
        break;
    case 'c':
        if (strcmp(t, "column_ref") == 0) return lower_column_ref(L, n);
        if (strcmp(t, "cast_call") == 0) return lower_cast(L, n, pos(n));
        if (strcmp(t, "case_expression") == 0) return lower_case(L, n);
        if (strcmp(t, "collate") == 0) return lower_collate(L, n);
        break;
    case 'q': return strcmp(t, "quantified_comparison") == 0 ? lower_quantified(L, n) : lower_qualified_star(L, n);
    case 'f': return strcmp(t, "field_selection") == 0 ? lower_field_selection(L, n) : lower_function(L, n);
    case 't':
        if (strcmp(t, "typed_literal") == 0) return lower_typed_literal(L, n);
        return lower_cast(L, n, pos(child_of_type(n, "::")));
    case 'u':
        if (strcmp(t, "unicode_string") == 0) return lower_unicode_string(L, n);
        return strcmp(t, "user_function") == 0 ? lower_user_function(L, n) : lower_unary(L, n);
    case 'o': return lower_operator_call(L, n);
    case 'r': return lower_row(L, n);
    case 'a': return strcmp(t, "array_constructor") == 0 ? lower_array(L, n) : lower_at_time_zone(L, n);
    case 'b':
        if (strcmp(t, "between_expression") == 0) return lower_between(L, n);
        if (strcmp(t, "boolean_test") == 0) return lower_boolean_test(L, n);
        return lower_binary(L, n);
    }
    fail(L, SQLSTATE_FEATURE_NOT_SUPPORTED, pos(n), "unsupported expression");
    return NULL;
}

/* ---- targets --------------------------------------------------------------- */

static bool lower_target(Lower *L, TSNode n, ResTarget *out) {
    TSNode expr = field(n, "expr");
    if (ts_node_is_null(expr)) {
        out->expr = new_expr(L, EXPR_STAR, pos(n));
        return true;
    }
    out->expr = lower_expr(L, expr);
    TSNode alias = field(n, "label");
    if (ts_node_is_null(alias)) alias = field(n, "alias");
    if (!ts_node_is_null(alias)) out->alias = lower_name(L, alias);
    return out->expr != NULL;
}

static bool lower_target_list(Lower *L, TSNode list, ResTarget **out, int *n) {
    uint32_t count = ts_node_named_child_count(list);
    *out = arena_zalloc(L->arena, (count ? count : 1) * sizeof **out);
    *n = 0;
    for (uint32_t i = 0; i < count; i++) {
        TSNode t = ts_node_named_child(list, i);
        if (is(t, "target") && !lower_target(L, t, &(*out)[(*n)++])) return false;
    }
    return true;
}

static bool lower_returning(Lower *L, TSNode stmt, ResTarget **out, int *n) {
    TSNode r = child_of_type(stmt, "returning_clause");
    if (ts_node_is_null(r)) return true;
    return lower_target_list(L, child_of_type(r, "target_list"), out, n);
}

/* WHERE: NULL when absent; `ok` false on error. */
static Expr *lower_where(Lower *L, TSNode stmt, bool *ok) {
    TSNode w = child_of_type(stmt, "where_clause");
    if (ts_node_is_null(w)) return NULL;
    Expr *e = lower_expr(L, named(w, 1));
    *ok = e != NULL;
    return e;
}

/* The table of UPDATE and DELETE (fields table/alias on the statement). */
static RangeVar lower_dml_table(Lower *L, TSNode stmt) {
    TSNode t = field(stmt, "table"), alias = field(stmt, "alias");
    RangeVar rv = lower_range_var(L, t);
    if (!ts_node_is_null(alias)) rv.alias = lower_name(L, alias);
    return rv;
}

/* ---- SELECT ---------------------------------------------------------------- */

static bool lower_stmt(Lower *L, TSNode n, Stmt *s);
static FromItem *lower_from_item(Lower *L, TSNode n);

/* [AS] name [(column, ...)] */
static void lower_alias(Lower *L, TSNode alias, FromItem *f) {
    if (ts_node_is_null(alias)) return;
    f->alias = lower_name(L, field(alias, "name"));
    TSNode cols = child_of_type(alias, "column_list");
    if (!ts_node_is_null(cols)) f->ncolumn_aliases = lower_name_list(L, cols, &f->column_aliases, &f->column_alias_pos);
}

static FromItem *lower_join(Lower *L, TSNode n) {
    FromItem *f = arena_zalloc(L->arena, sizeof *f);
    f->kind = FROM_JOIN;
    f->pos = pos(n);
    TSNode type = child_of_type(n, "join_type"), on = field(n, "on"), using = field(n, "using");
    f->natural = !ts_node_is_null(field(n, "natural"));
    f->join_type = !ts_node_is_null(field(n, "type")) ? SQL_JOIN_CROSS
                   : ts_node_is_null(type)            ? SQL_JOIN_INNER
                   : has_child(type, "kw_left")       ? SQL_JOIN_LEFT
                   : has_child(type, "kw_right")      ? SQL_JOIN_RIGHT
                   : has_child(type, "kw_full")       ? SQL_JOIN_FULL
                                                      : SQL_JOIN_INNER;
    if (!(f->left = lower_from_item(L, field(n, "left")))) return NULL;
    if (!(f->right = lower_from_item(L, field(n, "right")))) return NULL;
    if (!ts_node_is_null(on) && !(f->on = lower_expr(L, on))) return NULL;
    if (!ts_node_is_null(using)) f->nusing = lower_name_list(L, using, &f->using, &f->using_pos);
    return f;
}

static FromItem *lower_from_item(Lower *L, TSNode n) {
    if (!stack_check(L->err)) return NULL;
    if (is(n, "joined_table")) return lower_join(L, n);
    if (is(n, "parenthesized_join")) {
        FromItem *f = lower_join(L, field(n, "join"));
        if (f) lower_alias(L, child_of_type(n, "alias"), f);
        return f;
    }
    FromItem *f = arena_zalloc(L->arena, sizeof *f);
    f->pos = pos(n);
    f->lateral = !ts_node_is_null(field(n, "lateral"));
    lower_alias(L, child_of_type(n, "alias"), f);
    if (is(n, "subquery_ref")) {
        f->kind = FROM_SUBQUERY;
        f->subquery = arena_zalloc(L->arena, sizeof *f->subquery);
        return lower_stmt(L, field(n, "query"), f->subquery) ? f : NULL;
    }
    TSNode name = field(n, "name"), func = field(n, "function");
    if (ts_node_is_null(func) && ts_node_is_null(name)) { /* ROWS FROM (...) */
        f->kind = FROM_FUNCTION;
        f->ordinality = !ts_node_is_null(field(n, "ordinality"));
        if (!lower_items(L, n, "rows_from", lower_expr, &f->rows_from, &f->nrows_from)) return NULL;
        f->func = f->rows_from[0];
        f->name = f->func->u.func.name;
        f->pos = f->func->pos;
        return f;
    }
    if (!ts_node_is_null(func)) {
        f->kind = FROM_FUNCTION;
        f->ordinality = !ts_node_is_null(field(n, "ordinality"));
        if (!(f->func = lower_expr(L, func))) return NULL;
        f->name = f->func->u.func.name;
        f->pos = pos(func);
        return f;
    }
    f->kind = FROM_TABLE;
    f->name = lower_any_name(L, name, &f->schema);
    f->pos = pos(name);
    return f;
}

static bool lower_from(Lower *L, TSNode from, SelectStmt *s) {
    uint32_t count = ts_node_named_child_count(from);
    s->from = arena_alloc(L->arena, (count + 1) * sizeof *s->from);
    for (uint32_t i = 0; i < count; i++) {
        TSNode item = ts_node_named_child(from, i);
        if (is(item, "kw_from") || ts_node_is_extra(item)) continue;
        if (!(s->from[s->nfrom++] = lower_from_item(L, item))) return false;
    }
    return true;
}

static bool lower_order_item(Lower *L, TSNode n, OrderItem *o) {
    o->expr = lower_expr(L, named(n, 0));
    o->desc = has_child(n, "kw_desc");
    TSNode using = field(n, "using"); /* USING < is ASC, USING > DESC; no other operator orders */
    if (o->expr && !ts_node_is_null(using)) {
        const char *op = ts_node_type(using);
        o->desc = strcmp(op, ">") == 0 || strcmp(op, ">=") == 0;
        if (strcmp(op, "<") != 0 && strcmp(op, ">") != 0) {
            error_set(L->err, SQLSTATE_WRONG_OBJECT_TYPE, "operator %s is not a valid ordering operator", op);
            error_hint(L->err, "Ordering operators must be \"<\" or \">\" members of btree operator families.");
            L->err->position = pos(using) + 1;
            return false;
        }
    }
    if (has_child(n, "kw_nulls")) o->nulls = has_child(n, "kw_first") ? 1 : 2;
    return o->expr != NULL;
}

static bool lower_order_by(Lower *L, TSNode ob, OrderItem **order, int *norder) {
    uint32_t count = ts_node_named_child_count(ob);
    *order = arena_zalloc(L->arena, count * sizeof **order);
    for (uint32_t i = 0; i < count; i++) {
        TSNode item = ts_node_named_child(ob, i);
        if (!is(item, "order_item")) continue;
        if (!lower_order_item(L, item, &(*order)[(*norder)++])) return false;
    }
    return true;
}

/* LIMIT x / OFFSET x: the clause's expression (NULL for LIMIT ALL). */
/* LIMIT n, OFFSET n [ROWS], FETCH FIRST [n] ROWS ...: the count (LIMIT ALL:
 * none; FETCH FIRST without one: 1; FETCH's may be a signed number). */
static bool lower_limit_clause(Lower *L, TSNode stmt, const char *type, Expr **out) {
    TSNode c = child_of_type(stmt, type);
    if (ts_node_is_null(c)) return true;
    TSNode e = field(c, "count");
    if (ts_node_is_null(e)) {
        if (!has_child(c, "kw_fetch")) return true; /* LIMIT ALL */
        *out = new_expr(L, EXPR_INTEGER, pos(c));
        (*out)->u.text = "1";
        return true;
    }
    if (is(e, "-") || is(e, "+")) { /* FETCH FIRST -1 ROWS: the sign and the number */
        Expr *n = lower_expr(L, ts_node_next_sibling(e));
        if (!n || is(e, "+")) return (*out = n) != NULL;
        *out = new_expr(L, EXPR_UNARY, pos(e));
        (*out)->u.unary.op = SQL_OP_NEG;
        (*out)->u.unary.arg = n;
        return true;
    }
    *out = lower_expr(L, e);
    return *out != NULL;
}

static void lower_locking(Lower *L, TSNode c, LockingClause *k) {
    k->pos = pos(c);
    if (has_child(c, "kw_share"))
        k->strength = has_child(c, "kw_key") ? SQL_LOCK_KEY_SHARE : SQL_LOCK_SHARE;
    else
        k->strength = has_child(c, "kw_no") ? SQL_LOCK_NO_KEY_UPDATE : SQL_LOCK_UPDATE;
    k->wait = has_child(c, "kw_nowait") ? SQL_LOCK_NOWAIT
              : has_child(c, "kw_skip") ? SQL_LOCK_SKIP_LOCKED
                                        : SQL_LOCK_WAIT;
    uint32_t count = ts_node_named_child_count(c);
    k->tables = arena_alloc(L->arena, (count + 1) * sizeof *k->tables);
    k->table_pos = arena_alloc(L->arena, (count + 1) * sizeof *k->table_pos);
    for (uint32_t i = 0; i < count; i++) {
        TSNode t = ts_node_named_child(c, i);
        if (!is_name(t)) continue; /* the OF list: every other child is a keyword */
        k->tables[k->ntables] = lower_name(L, t);
        k->table_pos[k->ntables++] = pos(t);
    }
}

/* The expressions of a list's fields called `name` into *out. */
/* Each child in field `name`, lowered by `lower`. */
static bool lower_items(Lower *L, TSNode n, const char *name, Expr *(*lower)(Lower *, TSNode), Expr ***out,
                        int *count) {
    *out = arena_alloc(L->arena, (ts_node_child_count(n) + 1) * sizeof **out);
    TSTreeCursor c = ts_tree_cursor_new(n);
    for (bool more = ts_tree_cursor_goto_first_child(&c); more; more = ts_tree_cursor_goto_next_sibling(&c)) {
        const char *f = ts_tree_cursor_current_field_name(&c);
        if (!f || strcmp(f, name) != 0) continue;
        if (!((*out)[(*count)++] = lower(L, ts_tree_cursor_current_node(&c)))) break;
    }
    ts_tree_cursor_delete(&c);
    return !L->err->set;
}

static bool lower_field_list(Lower *L, TSNode n, const char *name, Expr ***out, int *count) {
    return lower_items(L, n, name, lower_expr, out, count);
}

/* SELECT [DISTINCT [ON (...)]] targets FROM ... WHERE ... GROUP BY ... HAVING ... */
static bool lower_simple_select(Lower *L, TSNode n, SelectStmt *s) {
    TSNode targets = child_of_type(n, "target_list"), from = child_of_type(n, "from_clause");
    TSNode distinct = child_of_type(n, "distinct_clause");
    bool ok = true;
    if (!ts_node_is_null(distinct) && has_child(distinct, "kw_distinct")) {
        s->distinct = true;
        if (!lower_field_list(L, distinct, "on", &s->distinct_on, &s->ndistinct_on)) return false;
    }
    if (!ts_node_is_null(targets) && !lower_target_list(L, targets, &s->targets, &s->ntargets)) return false;
    if (!ts_node_is_null(from) && !lower_from(L, from, s)) return false;
    s->where = lower_where(L, n, &ok);
    if (!ok) return false;
    TSNode group = child_of_type(n, "group_by_clause"), having = child_of_type(n, "having_clause");
    if (!ts_node_is_null(group) && !lower_items(L, group, "item", lower_group_item, &s->group, &s->ngroup))
        return false;
    TSNode quantifier = ts_node_is_null(group) ? group : field(group, "quantifier");
    s->group_distinct = !ts_node_is_null(quantifier) && is(quantifier, "kw_distinct");
    if (!ts_node_is_null(having) && !(s->having = lower_expr(L, field(having, "condition")))) return false;
    TSNode windows = child_of_type(n, "window_clause");
    if (ts_node_is_null(windows)) return true;
    uint32_t count = ts_node_named_child_count(windows);
    s->windows = arena_zalloc(L->arena, (count + 1) * sizeof *s->windows);
    for (uint32_t i = 0; i < count; i++) {
        TSNode d = ts_node_named_child(windows, i);
        if (!is(d, "window_definition")) continue;
        WindowSpec *w = lower_window_spec(L, field(d, "spec"));
        if (!w) return false;
        w->name = lower_name(L, field(d, "name")); /* its position stays its '(' one, as PostgreSQL's */
        s->windows[s->nwindows++] = *w;
    }
    return true;
}

static bool lower_values_rows(Lower *L, TSNode values, Expr ****rows, int **len, int *n);
static bool lower_select(Lower *L, TSNode n, SelectStmt *s);

static bool lower_query_term(Lower *L, TSNode n, SelectStmt *s) {
    if (!stack_check(L->err)) return false;
    s->pos = pos(n);
    if (is(n, "simple_select")) return lower_simple_select(L, n, s);
    if (is(n, "values_clause")) return lower_values_rows(L, n, &s->values, &s->values_len, &s->nvalues);
    if (is(n, "query_parens")) return lower_select(L, field(n, "query"), s);
    TSNode op = field(n, "op"), quantifier = field(n, "quantifier");
    s->setop = is(op, "kw_union") ? SQL_SETOP_UNION : is(op, "kw_intersect") ? SQL_SETOP_INTERSECT : SQL_SETOP_EXCEPT;
    s->setop_all = !ts_node_is_null(quantifier) && is(quantifier, "kw_all");
    s->larg = arena_zalloc(L->arena, sizeof *s->larg);
    s->rarg = arena_zalloc(L->arena, sizeof *s->rarg);
    return lower_query_term(L, field(n, "left"), s->larg) && lower_query_term(L, field(n, "right"), s->rarg);
}

/* A query, then its ORDER BY, LIMIT / OFFSET and locking. A parenthesized
 * query takes the outer ones, each at most once (42601 otherwise, as in
 * PostgreSQL's insertSelectOptions). */
static bool lower_with_clause(Lower *L, TSNode with, CommonTableExpr **ctes, int *nctes, bool *recursive);

static bool lower_with(Lower *L, TSNode with, SelectStmt *s) {
    if (s->nctes) return fail(L, SQLSTATE_SYNTAX_ERROR, pos(with), "multiple WITH clauses not allowed");
    return lower_with_clause(L, with, &s->ctes, &s->nctes, &s->recursive);
}

/* WITH [RECURSIVE] name [(columns)] AS (query), ... */
static bool lower_with_clause(Lower *L, TSNode with, CommonTableExpr **ctes, int *nctes, bool *recursive) {
    uint32_t count = ts_node_named_child_count(with);
    CommonTableExpr *out = arena_zalloc(L->arena, (count + 1) * sizeof *out);
    *ctes = out;
    *recursive = !ts_node_is_null(field(with, "recursive"));
    for (uint32_t i = 0; i < count; i++) {
        TSNode c = ts_node_named_child(with, i);
        if (!is(c, "cte")) continue;
        CommonTableExpr *cte = &out[(*nctes)++];
        TSNode name = field(c, "name"), cols = child_of_type(c, "column_list");
        cte->name = lower_name(L, name);
        cte->pos = pos(name);
        if (!ts_node_is_null(cols)) cte->ncolumns = lower_name_list(L, cols, &cte->columns, &cte->column_pos);
        cte->query = arena_zalloc(L->arena, sizeof *cte->query);
        if (!lower_stmt(L, field(c, "query"), cte->query)) return false;
    }
    return true;
}

static bool lower_select(Lower *L, TSNode n, SelectStmt *s) {
    if (!lower_query_term(L, field(n, "body"), s)) return false;
    TSNode with = child_of_type(n, "with_clause");
    if (!ts_node_is_null(with) && !lower_with(L, with, s)) return false;
    TSNode ob = child_of_type(n, "order_by_clause"), lock = child_of_type(n, "locking_clause");
    TSNode limit = child_of_type(n, "limit_clause"), offset = child_of_type(n, "offset_clause");
    if (!ts_node_is_null(ob)) {
        if (s->norder) return fail(L, SQLSTATE_SYNTAX_ERROR, pos(ob), "multiple ORDER BY clauses not allowed");
        if (!lower_order_by(L, ob, &s->order, &s->norder)) return false;
    }
    if (!ts_node_is_null(limit) && s->limit)
        return fail(L, SQLSTATE_SYNTAX_ERROR, pos(limit), "multiple LIMIT clauses not allowed");
    if (!ts_node_is_null(offset) && s->offset)
        return fail(L, SQLSTATE_SYNTAX_ERROR, pos(offset), "multiple OFFSET clauses not allowed");
    if (!ts_node_is_null(lock)) lower_locking(L, lock, &s->locking);
    if (!ts_node_is_null(limit)) {
        s->with_ties = has_child(limit, "kw_ties");
        s->limit_pos = pos(limit);
        if (s->with_ties && !s->norder)
            return fail(L, SQLSTATE_SYNTAX_ERROR, -1, "WITH TIES cannot be specified without ORDER BY clause");
    }
    return lower_limit_clause(L, n, "limit_clause", &s->limit) && lower_limit_clause(L, n, "offset_clause", &s->offset);
}

/* ---- INSERT / UPDATE / DELETE ------------------------------------------- */

static bool lower_values_row(Lower *L, TSNode row, Expr ***out, int *len) {
    uint32_t count = ts_node_named_child_count(row);
    *out = arena_alloc(L->arena, count * sizeof **out);
    *len = 0;
    for (uint32_t i = 0; i < count; i++) {
        TSNode c = ts_node_named_child(row, i);
        if (ts_node_is_extra(c)) continue;
        if (!((*out)[(*len)++] = lower_expr(L, c))) return false;
    }
    return true;
}

static bool lower_values_rows(Lower *L, TSNode values, Expr ****rows, int **len, int *n) {
    uint32_t count = ts_node_named_child_count(values); /* kw_values + rows */
    *rows = arena_alloc(L->arena, count * sizeof **rows);
    *len = arena_alloc(L->arena, count * sizeof **len);
    for (uint32_t i = 0; i < count; i++) {
        TSNode row = ts_node_named_child(values, i);
        if (!is(row, "values_row")) continue;
        if (!lower_values_row(L, row, &(*rows)[*n], &(*len)[*n])) return false;
        (*n)++;
    }
    return true;
}

static bool lower_values(Lower *L, TSNode values, InsertStmt *s) {
    return lower_values_rows(L, values, &s->rows, &s->row_len, &s->nrows);
}

static bool lower_insert(Lower *L, TSNode n, InsertStmt *s) {
    TSNode t = field(n, "table"), cols = child_of_type(n, "column_list");
    TSNode values = child_of_type(n, "values_clause");
    s->table = lower_range_var(L, t);
    if (!ts_node_is_null(cols)) s->ncolumns = lower_name_list(L, cols, &s->columns, &s->column_pos);
    if (ts_node_is_null(values))
        s->default_values = true;
    else if (!lower_values(L, values, s))
        return false;
    return lower_returning(L, n, &s->returning, &s->nreturning);
}

static bool lower_update(Lower *L, TSNode n, UpdateStmt *s) {
    uint32_t count = ts_node_named_child_count(n);
    bool ok = true;
    s->table = lower_dml_table(L, n);
    s->sets = arena_zalloc(L->arena, count * sizeof *s->sets);
    for (uint32_t i = 0; i < count; i++) {
        TSNode c = ts_node_named_child(n, i);
        if (!is(c, "set_clause")) continue;
        SetClause *sc = &s->sets[s->nsets++];
        TSNode col = field(c, "column");
        sc->column = lower_name(L, col);
        sc->pos = pos(col);
        uint32_t nchildren = ts_node_child_count(c);
        sc->indexes = arena_alloc(L->arena, (nchildren + 1) * sizeof *sc->indexes);
        for (uint32_t k = 0; k + 1 < nchildren; k++) /* [ index ] */
            if (is(ts_node_child(c, k), "[") && !(sc->indexes[sc->nindexes++] = lower_expr(L, ts_node_child(c, k + 1))))
                return false;
        if (!(sc->value = lower_expr(L, field(c, "value")))) return false;
    }
    s->where = lower_where(L, n, &ok);
    return ok && lower_returning(L, n, &s->returning, &s->nreturning);
}

static bool lower_delete(Lower *L, TSNode n, DeleteStmt *s) {
    bool ok = true;
    s->table = lower_dml_table(L, n);
    s->where = lower_where(L, n, &ok);
    return ok && lower_returning(L, n, &s->returning, &s->nreturning);
}

/* ---- CREATE TABLE / DROP TABLE --------------------------------------------- */

/* REFERENCES table [(columns)] [ON DELETE | UPDATE action]... into k. */
static void lower_references(Lower *L, TSNode n, SqlConstraint *k) {
    TSNode cols = child_of_type(n, "column_list");
    k->kind = SQL_CONSTRAINT_FOREIGN_KEY;
    k->ref_table = lower_range_var(L, field(n, "table"));
    if (!ts_node_is_null(cols)) {
        int *positions;
        k->nref_columns = lower_name_list(L, cols, &k->ref_columns, &positions);
    }
    uint32_t count = ts_node_named_child_count(n);
    for (uint32_t i = 0; i < count; i++) {
        TSNode a = ts_node_named_child(n, i);
        if (!is(a, "referential_action")) continue;
        SqlFkAction act = has_child(a, "kw_cascade")    ? SQL_FK_CASCADE
                          : has_child(a, "kw_restrict") ? SQL_FK_RESTRICT
                          : has_child(a, "kw_null")     ? SQL_FK_SET_NULL
                          : has_child(a, "kw_default")  ? SQL_FK_SET_DEFAULT
                                                        : SQL_FK_NO_ACTION;
        if (is(field(a, "event"), "kw_delete"))
            k->on_delete = act;
        else
            k->on_update = act;
    }
}

/* CHECK (expr), FOREIGN KEY (columns) REFERENCES ..., or a column's
 * CHECK or REFERENCES (`column` names it, else NULL): into L->constraints. */
static bool lower_other_constraint(Lower *L, TSNode c, const char *column, int column_pos, SqlConstraint *k) {
    TSNode name = field(c, "name"), check = field(c, "check"), refs = child_of_type(c, "references");
    k->pos = pos(c);
    if (!ts_node_is_null(name)) k->name = lower_name(L, name);
    if (!ts_node_is_null(check)) {
        k->kind = SQL_CONSTRAINT_CHECK;
        return (k->check = lower_expr(L, check)) != NULL;
    }
    lower_references(L, refs, k);
    if (!column) {
        k->ncolumns = lower_name_list(L, child_of_type(c, "column_list"), &k->columns, &k->column_pos);
        return true;
    }
    k->columns = arena_alloc(L->arena, sizeof *k->columns);
    k->column_pos = arena_alloc(L->arena, sizeof *k->column_pos);
    k->columns[0] = column;
    k->column_pos[0] = column_pos;
    k->ncolumns = 1;
    return true;
}

static bool lower_column_def(Lower *L, TSNode n, const char *table, ColumnDef *c) {
    TSNode name = field(n, "name");
    bool ok = true;
    c->name = lower_name(L, name);
    c->pos = pos(name);
    c->type = lower_type(L, field(n, "type"), &ok);
    uint32_t count = ts_node_named_child_count(n);
    for (uint32_t i = 2; i < count && ok; i++) {
        TSNode cc = ts_node_named_child(n, i);
        if (!is(cc, "column_constraint")) continue;
        TSNode name = field(cc, "name"), dflt = field(cc, "default");
        TSNode k = named(cc, ts_node_is_null(name) ? 0 : 2);
        if (!ts_node_is_null(dflt)) {
            if (c->dflt)
                return fail_at(L, pos(k), SQLSTATE_SYNTAX_ERROR,
                               "multiple default values specified for column \"%s\" of table \"%s\"", c->name, table);
            if (!(c->dflt = lower_expr(L, dflt))) return false;
            continue;
        }
        if (is(k, "kw_check") || is(k, "references")) {
            if (!lower_other_constraint(L, cc, c->name, c->pos, &L->constraints[(*L->nconstraints)++])) return false;
            continue;
        }
        bool not_null = is(k, "not_null"), null = is(k, "kw_null");
        if ((not_null && c->null_ok) || (null && c->not_null))
            return fail_at(L, pos(k), SQLSTATE_SYNTAX_ERROR,
                           "conflicting NULL/NOT NULL declarations for column \"%s\" of table \"%s\"", c->name, table);
        c->not_null |= not_null;
        c->null_ok |= null;
        if (is(k, "primary_key")) {
            c->primary_key = true;
            c->pkey_pos = pos(k);
            if (!ts_node_is_null(name)) c->pkey_name = lower_name(L, name);
        }
        if (is(k, "kw_unique")) {
            UniqueConstraint *u = &L->uniques[(*L->nuniques)++];
            u->name = ts_node_is_null(name) ? NULL : lower_name(L, name);
            u->columns = arena_alloc(L->arena, sizeof *u->columns);
            u->column_pos = arena_alloc(L->arena, sizeof *u->column_pos);
            u->columns[0] = c->name;
            u->column_pos[0] = c->pos;
            u->ncolumns = 1;
            u->pos = pos(cc);
        }
    }
    return ok;
}

/* PostgreSQL reports a second primary key (column or table level) at the
 * second one, during parse analysis; we have one slot for it. */
static bool second_pkey(Lower *L, CreateTableStmt *s, int at) {
    return fail_at(L, at, SQLSTATE_INVALID_TABLE_DEFINITION, "multiple primary keys for table \"%s\" are not allowed",
                   s->table.name);
}

static bool lower_create_table(Lower *L, TSNode n, CreateTableStmt *s) {
    TSNode t = field(n, "table");
    uint32_t count = ts_node_named_child_count(n);
    bool have_pkey = false;
    s->table = lower_range_var(L, t);
    s->if_not_exists = has_child(n, "if_not_exists");
    s->columns = arena_zalloc(L->arena, count * sizeof *s->columns);
    s->uniques = arena_zalloc(L->arena, (count * 4 + 1) * sizeof *s->uniques);
    L->uniques = s->uniques;
    L->nuniques = &s->nuniques;
    s->constraints = arena_zalloc(L->arena, (count * 4 + 1) * sizeof *s->constraints);
    L->constraints = s->constraints;
    L->nconstraints = &s->nconstraints;
    for (uint32_t i = 0; i < count; i++) {
        TSNode c = ts_node_named_child(n, i);
        if (is(c, "column_def")) {
            ColumnDef *cd = &s->columns[s->ncolumns++];
            if (!lower_column_def(L, c, s->table.name, cd)) return false;
            if (cd->primary_key && have_pkey) return second_pkey(L, s, cd->pkey_pos);
            have_pkey |= cd->primary_key;
            if (cd->pkey_name) s->pkey_name = cd->pkey_name;
        } else if (is(c, "table_constraint")) {
            TSNode name = field(c, "name");
            if (has_child(c, "kw_check") || has_child(c, "kw_foreign")) {
                if (!lower_other_constraint(L, c, NULL, 0, &s->constraints[s->nconstraints++])) return false;
                continue;
            }
            if (has_child(c, "kw_unique")) {
                UniqueConstraint *u = &s->uniques[s->nuniques++];
                u->name = ts_node_is_null(name) ? NULL : lower_name(L, name);
                u->pos = pos(c);
                u->ncolumns = lower_name_list(L, child_of_type(c, "column_list"), &u->columns, &u->column_pos);
                continue;
            }
            if (have_pkey) return second_pkey(L, s, pos(c));
            have_pkey = true;
            s->pkey_constraint_pos = pos(c);
            if (!ts_node_is_null(name)) s->pkey_name = lower_name(L, name);
            s->npkey = lower_name_list(L, child_of_type(c, "column_list"), &s->pkey, &s->pkey_pos);
        }
    }
    return true;
}

/* ALTER TABLE name ADD constraint, ...: each constraint as CREATE TABLE's. */
static bool lower_alter_table(Lower *L, TSNode n, AlterTableStmt *s) {
    uint32_t count = ts_node_named_child_count(n);
    s->table = lower_range_var(L, field(n, "table"));
    s->if_exists = has_child(n, "if_exists");
    s->cmds = arena_zalloc(L->arena, (count + 1) * sizeof *s->cmds);
    for (uint32_t i = 0; i < count; i++) {
        TSNode cmd = ts_node_named_child(n, i);
        if (!is(cmd, "alter_table_command")) continue;
        TSNode c = child_of_type(cmd, "table_constraint"), name = field(c, "name");
        SqlConstraint *k = &s->cmds[s->ncmds++].constraint;
        if (has_child(c, "kw_check") || has_child(c, "kw_foreign")) {
            if (!lower_other_constraint(L, c, NULL, 0, k)) return false;
            continue;
        }
        k->kind = has_child(c, "kw_unique") ? SQL_CONSTRAINT_UNIQUE : SQL_CONSTRAINT_PRIMARY_KEY;
        k->pos = pos(c);
        if (!ts_node_is_null(name)) k->name = lower_name(L, name);
        k->ncolumns = lower_name_list(L, child_of_type(c, "column_list"), &k->columns, &k->column_pos);
    }
    return true;
}

/* ---- CREATE INDEX / DROP INDEX / VACUUM ------------------------------------- */

static void lower_index_elem(Lower *L, TSNode n, IndexElem *e) {
    TSNode col = field(n, "column");
    e->column = lower_name(L, col);
    e->pos = pos(col);
    e->desc = has_child(n, "kw_desc");
    if (has_child(n, "kw_nulls")) e->nulls = has_child(n, "kw_first") ? 1 : 2;
}

static void lower_create_index(Lower *L, TSNode n, CreateIndexStmt *s) {
    TSNode name = field(n, "name"), t = field(n, "table"), method = field(n, "method");
    uint32_t count = ts_node_named_child_count(n);
    s->unique = has_child(n, "kw_unique");
    s->if_not_exists = has_child(n, "if_not_exists");
    if (!ts_node_is_null(name)) s->name = lower_name(L, name);
    s->table = lower_range_var(L, t);
    if (!ts_node_is_null(method)) {
        s->method = lower_name(L, method);
        s->method_pos = pos(method);
    }
    s->elems = arena_zalloc(L->arena, count * sizeof *s->elems);
    for (uint32_t i = 0; i < count; i++) {
        TSNode c = ts_node_named_child(n, i);
        if (is(c, "index_elem")) lower_index_elem(L, c, &s->elems[s->nelems++]);
    }
}

/* The names that are direct children of n (in DROP INDEX and VACUUM every
 * other child is a keyword or punctuation), as RangeVars. */
static int lower_names(Lower *L, TSNode n, RangeVar **out) {
    uint32_t count = ts_node_named_child_count(n);
    *out = arena_zalloc(L->arena, (count + 1) * sizeof **out);
    int k = 0;
    for (uint32_t i = 0; i < count; i++) {
        TSNode c = ts_node_named_child(n, i);
        if (is_name(c)) (*out)[k++] = (RangeVar){.name = lower_name(L, c), .pos = pos(c)};
    }
    return k;
}

static void lower_drop_index(Lower *L, TSNode n, DropIndexStmt *s) {
    s->if_exists = has_child(n, "if_exists");
    s->cascade = has_child(n, "kw_cascade");
    s->nindexes = lower_names(L, n, &s->indexes);
}

static void lower_vacuum(Lower *L, TSNode n, VacuumStmt *s) {
    s->full = has_child(n, "kw_full");
    s->freeze = has_child(n, "kw_freeze");
    s->verbose = has_child(n, "kw_verbose");
    s->analyze = has_child(n, "kw_analyze");
    s->ntables = lower_names(L, n, &s->tables);
}

static void lower_drop_table(Lower *L, TSNode n, DropTableStmt *s) {
    uint32_t count = ts_node_named_child_count(n);
    s->tables = arena_zalloc(L->arena, count * sizeof *s->tables);
    s->if_exists = has_child(n, "if_exists");
    s->cascade = has_child(n, "kw_cascade");
    for (uint32_t i = 0; i < count; i++) {
        TSNode c = ts_node_named_child(n, i);
        if (is_name(c) || is(c, "qualified_name")) s->tables[s->ntables++] = lower_range_var(L, c);
    }
}

/* ---- transactions ------------------------------------------------------------ */

static void lower_txn(TSNode n, TxnStmt *s) {
    TSNode iso = child_of_type(n, "isolation_level");
    s->chain = has_child(n, "and_chain");
    s->read_only = has_child(n, "read_only");
    s->read_write = has_child(n, "read_write");
    s->start = has_child(n, "kw_start");
    if (ts_node_is_null(iso)) return;
    if (has_child(iso, "kw_serializable"))
        s->isolation = SQL_ISO_SERIALIZABLE;
    else if (has_child(iso, "kw_repeatable"))
        s->isolation = SQL_ISO_REPEATABLE_READ;
    else if (has_child(iso, "kw_committed"))
        s->isolation = SQL_ISO_READ_COMMITTED;
    else
        s->isolation = SQL_ISO_READ_UNCOMMITTED;
}

/* ---- SET / RESET / SHOW --------------------------------------------------------- */

/* A string's text, unquoted and unescaped as a literal is. */
static const char *string_value(Lower *L, TSNode n) {
    Expr *e = lower_expr(L, n);
    return e ? e->u.text : "";
}

/* A value as PostgreSQL hands it to a setting: names case-folded, strings
 * unquoted (and unescaped as literals are), numbers as written. */
static const char *lower_set_value(Lower *L, TSNode v) {
    TSNode first = named(v, 0);
    if (is_name(first)) return lower_name(L, first);
    if (is(first, "string")) {
        Expr *e = lower_expr(L, first);
        return e ? e->u.text : "";
    }
    if (is(first, "kw_true") || is(first, "kw_false") || is(first, "kw_on")) return lower_name(L, first);
    return node_text(L, v);
}

/* An offset written as an interval ('-08:00', '+5:30', '0'): its hours as
 * a number, which the setting reads as SET TIME ZONE -8 (UTC for zero);
 * anything else stays as written, for the setting to judge. */
static const char *interval_zone(Lower *L, TSNode n) {
    const char *text = string_value(L, child_of_type(n, "string"));
    int h = 0, m = 0, sec = 0;
    char sign = '+', rest;
    const char *p = text;
    while (*p == ' ') p++;
    if (*p == '-' || *p == '+') sign = *p++;
    int fields = sscanf(p, "%d:%d:%d%c", &h, &m, &sec, &rest);
    if (fields < 1 || fields > 3 || h < 0 || m < 0 || m > 59 || sec < 0 || sec > 59) return text;
    double hours = h + m / 60.0 + sec / 3600.0;
    if (hours == 0) return "UTC";
    return arena_sprintf(L->arena, "%s%.10g", sign == '-' ? "-" : "", hours);
}

/* SET TIME ZONE x, SET NAMES 'x', SET SCHEMA 'x': the settings they mean. */
static bool lower_set_special(Lower *L, TSNode n, SetStmt *s) {
    TSNode v = field(n, "zone");
    if (!ts_node_is_null(v))
        s->name = "timezone";
    else if (!ts_node_is_null(v = field(n, "encoding")) || has_child(n, "kw_names"))
        s->name = "client_encoding";
    else if (!ts_node_is_null(v = field(n, "schema")))
        s->name = "search_path";
    else if (!ts_node_is_null(v = field(n, "role")))
        s->name = "role";
    else
        return false;
    s->name_pos = pos(n);
    s->values = arena_alloc(L->arena, 2 * sizeof *s->values);
    if (ts_node_is_null(v) || is(v, "kw_local") || is(v, "default")) return true;
    if (is(v, "kw_none")) {
        s->values[s->nvalues++] = "none";
        return true;
    }
    s->values[s->nvalues++] = is(v, "interval_zone") ? interval_zone(L, v)
                              : is(v, "set_value")   ? lower_set_value(L, v)
                              : is_name(v)           ? lower_name(L, v)
                                                     : string_value(L, v);
    return true;
}

static void lower_set(Lower *L, TSNode n, SetStmt *s) {
    TSNode name = field(n, "name");
    uint32_t count = ts_node_named_child_count(n);
    s->local = has_child(n, "kw_local") && ts_node_is_null(field(n, "zone"));
    if (lower_set_special(L, n, s)) return;
    s->name = lower_name(L, name);
    s->name_pos = pos(name);
    s->values = arena_alloc(L->arena, (count + 1) * sizeof *s->values);
    for (uint32_t i = 0; i < count; i++) {
        TSNode c = ts_node_named_child(n, i);
        if (is(c, "set_value")) s->values[s->nvalues++] = lower_set_value(L, c);
    }
}

static void lower_reset(Lower *L, TSNode n, SetStmt *s) {
    TSNode name = field(n, "name");
    s->reset = true;
    if (has_child(n, "kw_zone")) s->name = "timezone";
    if (has_child(n, "kw_role")) s->name = "role";
    if (!ts_node_is_null(name)) {
        s->name = lower_name(L, name);
        s->name_pos = pos(name);
    }
}

static void lower_show(Lower *L, TSNode n, ShowStmt *s) {
    TSNode name = field(n, "name");
    if (!ts_node_is_null(name))
        s->name = lower_name(L, name);
    else if (has_child(n, "kw_zone"))
        s->name = "timezone";
    else if (has_child(n, "kw_transaction"))
        s->name = "transaction_isolation";
}

/* ---- procedures and modules --------------------------------------------------- */

static bool lower_proc_param(Lower *L, TSNode n, ProcParam *p) {
    bool ok = true;
    TSNode name = field(n, "name"), mode = field(n, "mode"), dflt = field(n, "default");
    p->pos = pos(n);
    p->name = ts_node_is_null(name) ? NULL : lower_name(L, name);
    p->mode = ts_node_is_null(mode)  ? SQL_PARAM_IN
              : is(mode, "kw_out")   ? SQL_PARAM_OUT
              : is(mode, "kw_inout") ? SQL_PARAM_INOUT
                                     : SQL_PARAM_IN;
    p->type = lower_type(L, field(n, "type"), &ok);
    if (ok && !ts_node_is_null(dflt) && !(p->dflt = lower_expr(L, dflt))) ok = false;
    return ok;
}

/* The procedure_param children of n into *out; returns how many, -1 on error. */
static int lower_proc_params(Lower *L, TSNode n, ProcParam **out) {
    uint32_t count = ts_node_named_child_count(n);
    *out = arena_zalloc(L->arena, (count ? count : 1) * sizeof **out);
    int k = 0;
    for (uint32_t i = 0; i < count; i++) {
        TSNode c = ts_node_named_child(n, i);
        if (!is(c, "procedure_param")) continue;
        if (!lower_proc_param(L, c, &(*out)[k++])) return -1;
    }
    return k;
}

static const char *lower_body(Lower *L, TSNode n, int *at) {
    if (is(n, "dollar_string")) return undollar_string(L, n, at);
    *at = pos(n) + (is(n, "escape_string") ? 2 : 1);
    return is(n, "escape_string") ? unescape_string(L, n) : unquote_string(L, n);
}

static bool lower_create_procedure(Lower *L, TSNode n, CreateProcedureStmt *s) {
    TSNode name = field(n, "name"), lang = field(n, "language"), body = field(n, "body");
    s->name = lower_name(L, name);
    s->name_pos = pos(name);
    s->or_replace = has_child(n, "or_replace");
    s->module = !ts_node_is_null(field(n, "module"));
    if ((s->nparams = lower_proc_params(L, n, &s->params)) < 0) return false;
    if (!ts_node_is_null(lang)) {
        s->language = is(lang, "string") ? unquote_string(L, lang) : lower_name(L, lang);
        s->language_pos = pos(lang);
    }
    if (!ts_node_is_null(body)) s->body = lower_body(L, body, &s->body_pos);
    /* Each clause at most once (gram.y's "conflicting or redundant options"). */
    uint32_t count = ts_node_child_count(n), langs = 0, bodies = 0;
    for (uint32_t i = 0; i < count; i++) {
        TSNode c = ts_node_child(n, i);
        langs += is(c, "kw_language");
        bodies += is(c, "kw_as");
        if (langs > 1 || bodies > 1) {
            error_set(L->err, SQLSTATE_SYNTAX_ERROR, "conflicting or redundant options");
            L->err->position = pos(c) + 1;
            return false;
        }
    }
    return true;
}

static bool lower_drop_procedure(Lower *L, TSNode n, DropProcedureStmt *s) {
    uint32_t count = ts_node_named_child_count(n);
    s->procs = arena_zalloc(L->arena, (count ? count : 1) * sizeof *s->procs);
    s->module = !ts_node_is_null(field(n, "module"));
    s->if_exists = has_child(n, "if_exists");
    s->cascade = has_child(n, "kw_cascade");
    for (uint32_t i = 0; i < count; i++) {
        TSNode c = ts_node_named_child(n, i);
        if (!is(c, "procedure_ref")) continue;
        ProcRef *r = &s->procs[s->nprocs++];
        TSNode name = field(c, "name");
        r->name = lower_name(L, name);
        r->pos = pos(name);
        r->has_args = has_child(c, "(");
        if ((r->nparams = lower_proc_params(L, c, &r->params)) < 0) return false;
    }
    return true;
}

static bool lower_call(Lower *L, TSNode n, CallStmt *s) {
    TSNode name = field(n, "name");
    s->name = lower_name(L, name);
    s->pos = pos(name);
    uint32_t count = ts_node_named_child_count(n);
    s->args = arena_alloc(L->arena, (count ? count : 1) * sizeof *s->args);
    for (uint32_t i = 0; i < count; i++) {
        TSNode c = ts_node_named_child(n, i);
        if (ts_node_is_extra(c) || ts_node_eq(c, name) || is(c, "kw_call")) continue;
        if (!(s->args[s->nargs++] = lower_expr(L, c))) return false;
    }
    return true;
}

/* ---- COPY ---------------------------------------------------------------------- */

static bool lower_stmt(Lower *L, TSNode n, Stmt *s);

static const char *copy_value(Lower *L, TSNode v, CopyOption *o) {
    if (is(v, "string") || is(v, "escape_string")) return string_value(L, v);
    if (is(v, "star")) {
        o->star = true;
        return NULL;
    }
    if (is(v, "column_list")) {
        int *positions;
        o->ncolumns = lower_name_list(L, v, &o->columns, &positions);
        return NULL;
    }
    return lower_name(L, v); /* a name, keyword or number: case-folded */
}

/* (name value, ...): names are case-folded, keywords spelled as names. */
static void lower_copy_option(Lower *L, TSNode n, CopyOption *o) {
    TSNode name = field(n, "name"), value = field(n, "value");
    o->pos = pos(n);
    o->name = lower_name(L, name);
    if (!ts_node_is_null(value)) o->value = copy_value(L, value, o);
}

/* The older form (BINARY, CSV HEADER, DELIMITER 'x', FORCE QUOTE *, ...)
 * said the way the parenthesized form says it, as gram.y does. */
static void lower_copy_legacy_option(Lower *L, TSNode n, CopyOption *o) {
    TSNode first = ts_node_child(n, 0), value = field(n, "value");
    o->pos = pos(n);
    if (is(first, "kw_binary") || is(first, "kw_csv")) {
        o->name = "format";
        o->value = lower_name(L, first);
    } else if (is(first, "kw_header") || is(first, "kw_freeze")) {
        o->name = lower_name(L, first);
        o->value = "true";
    } else if (is(first, "kw_force")) {
        bool not_null = has_child(n, "kw_not");
        o->name = not_null ? "force_not_null" : "force_quote";
        o->star = has_child(n, "star");
        int *positions;
        if (!o->star) o->ncolumns = lower_name_list(L, n, &o->columns, &positions);
    } else {
        o->name = lower_name(L, first);
        o->value = string_value(L, value);
    }
}

static bool lower_copy(Lower *L, TSNode n, CopyStmt *s) {
    TSNode t = field(n, "table"), query = field(n, "query"), target = field(n, "target");
    TSNode cols = child_of_type(n, "column_list");
    s->from = has_child(n, "kw_from");
    s->program = has_child(n, "kw_program");
    if (is(target, "string")) s->file = string_value(L, target);
    if (!ts_node_is_null(t)) s->table = lower_range_var(L, t);
    if (!ts_node_is_null(cols)) s->ncolumns = lower_name_list(L, cols, &s->columns, &s->column_pos);
    if (!ts_node_is_null(query)) {
        s->query = arena_zalloc(L->arena, sizeof *s->query);
        if (!lower_stmt(L, query, s->query)) return false;
    }
    uint32_t count = ts_node_named_child_count(n);
    s->options = arena_zalloc(L->arena, (count ? count : 1) * sizeof *s->options);
    for (uint32_t i = 0; i < count; i++) {
        TSNode c = ts_node_named_child(n, i);
        if (is(c, "copy_option")) lower_copy_option(L, c, &s->options[s->noptions++]);
        if (is(c, "copy_legacy_option")) lower_copy_legacy_option(L, c, &s->options[s->noptions++]);
    }
    return true;
}

/* ---- roles ----------------------------------------------------------------------- */

static int64_t signed_count(Lower *L, TSNode n) {
    const char *text = node_text(L, n);
    bool negative = strchr(text, '-') != NULL;
    const char *digits = text + strcspn(text, "0123456789");
    int64_t v = strtoll(digits, NULL, 10);
    return negative ? -v : v;
}

static void lower_role_option(Lower *L, TSNode o, RoleStmt *s) {
    TSNode first = ts_node_child(o, 0), pw = field(o, "password"), limit = field(o, "limit");
    const char *k = ts_node_type(first);
    if (!ts_node_is_null(pw)) {
        s->has_password = true;
        s->password = is(pw, "kw_null") ? NULL : string_value(L, pw);
    } else if (!ts_node_is_null(limit)) {
        s->has_limit = true;
        s->conn_limit = signed_count(L, limit);
    } else if (!strcmp(k, "kw_login") || !strcmp(k, "kw_nologin")) {
        s->login = !strcmp(k, "kw_login");
    } else if (!strcmp(k, "kw_superuser") || !strcmp(k, "kw_nosuperuser")) {
        s->superuser = !strcmp(k, "kw_superuser");
    } else if (!strcmp(k, "kw_createdb") || !strcmp(k, "kw_nocreatedb")) {
        s->createdb = !strcmp(k, "kw_createdb");
    } /* INHERIT, CREATEROLE, REPLICATION, BYPASSRLS, VALID UNTIL: accepted, nothing to keep yet */
}

static void lower_role(Lower *L, TSNode n, RoleStmt *s) {
    TSNode name = field(n, "name"), new_name = field(n, "new_name");
    s->login = s->superuser = s->createdb = -1;
    s->name = lower_name(L, name);
    s->name_pos = pos(name);
    s->user = !ts_node_is_null(field(n, "user"));
    s->if_exists = has_child(n, "if_exists");
    if (!ts_node_is_null(new_name)) s->new_name = lower_name(L, new_name);
    uint32_t count = ts_node_named_child_count(n);
    s->names = arena_alloc(L->arena, (count ? count : 1) * sizeof *s->names);
    for (uint32_t i = 0; i < count; i++) {
        TSNode c = ts_node_named_child(n, i);
        if (is(c, "role_option")) lower_role_option(L, c, s);
        if (is_name(c) && !ts_node_eq(c, new_name)) s->names[s->nnames++] = lower_name(L, c);
    }
}

/* ---- cursors --------------------------------------------------------------------- */

static bool lower_declare(Lower *L, TSNode n, CursorStmt *s) {
    TSNode name = field(n, "name"), hold = field(n, "hold");
    s->name = lower_name(L, name);
    s->name_pos = pos(name);
    s->binary = has_child(n, "kw_binary");
    s->no_scroll = has_child(n, "kw_no");
    s->hold = !ts_node_is_null(hold) && has_child(n, "kw_with");
    s->query = arena_zalloc(L->arena, sizeof *s->query);
    return lower_stmt(L, field(n, "query"), s->query);
}

/* EXPLAIN's options: ANALYZE, VERBOSE, COSTS (booleans: none, TRUE / ON /
 * 1, FALSE / OFF / 0); BUFFERS, TIMING, SUMMARY, SETTINGS, WAL accepted;
 * FORMAT TEXT only (PostgreSQL's errors otherwise). */
static bool explain_option(Lower *L, TSNode o, ExplainStmt *s) {
    TSNode name = field(o, "name"), value = field(o, "value");
    const char *opt = lower_name(L, name), *v = ts_node_is_null(value) ? NULL : node_text(L, value);
    if (!strcmp(opt, "format")) {
        if (v && !strcasecmp(v, "text")) return true;
        fail(L, SQLSTATE_FEATURE_NOT_SUPPORTED, pos(o), "EXPLAIN formats other than TEXT are not supported yet");
        return false;
    }
    bool on = !v || !strcasecmp(v, "true") || !strcasecmp(v, "on") || !strcmp(v, "1");
    if (v && !on && strcasecmp(v, "false") && strcasecmp(v, "off") && strcmp(v, "0")) {
        fail(L, SQLSTATE_INVALID_PARAMETER_VALUE, pos(value), "invalid value for boolean option");
        return false;
    }
    if (!strcmp(opt, "analyze") || !strcmp(opt, "analyse"))
        s->analyze = on;
    else if (!strcmp(opt, "verbose"))
        s->verbose = on;
    else if (!strcmp(opt, "costs"))
        s->costs = on;
    else if (strcmp(opt, "buffers") && strcmp(opt, "timing") && strcmp(opt, "summary") && strcmp(opt, "settings") &&
             strcmp(opt, "wal")) {
        char msg[128];
        snprintf(msg, sizeof msg, "unrecognized EXPLAIN option \"%s\"", opt);
        fail(L, SQLSTATE_SYNTAX_ERROR, pos(o), msg);
        return false;
    }
    return true;
}

static bool lower_explain(Lower *L, TSNode n, ExplainStmt *s) {
    s->costs = true;
    s->analyze = !ts_node_is_null(field(n, "analyze"));
    s->verbose = !ts_node_is_null(field(n, "verbose"));
    uint32_t count = ts_node_named_child_count(n);
    for (uint32_t i = 0; i < count; i++) {
        TSNode o = ts_node_named_child(n, i);
        if (is(o, "explain_option") && !explain_option(L, o, s)) return false;
    }
    s->query = arena_zalloc(L->arena, sizeof *s->query);
    return lower_stmt(L, field(n, "statement"), s->query);
}

/* FETCH / MOVE [direction] [FROM | IN] name. */
static void lower_fetch(Lower *L, TSNode n, CursorStmt *s) {
    TSNode name = field(n, "name"), d = field(n, "direction");
    s->name = lower_name(L, name);
    s->name_pos = pos(name);
    s->move = has_child(n, "kw_move");
    s->dir = SQL_FETCH_FORWARD;
    s->count = 1;
    if (ts_node_is_null(d)) return;
    TSNode count = field(d, "count");
    if (!ts_node_is_null(count)) s->count = signed_count(L, count);
    if (has_child(d, "kw_prior") || has_child(d, "kw_backward")) s->dir = SQL_FETCH_BACKWARD;
    if (has_child(d, "kw_absolute")) s->dir = SQL_FETCH_ABSOLUTE;
    if (has_child(d, "kw_relative")) s->dir = SQL_FETCH_RELATIVE;
    if (has_child(d, "kw_first")) s->dir = SQL_FETCH_ABSOLUTE, s->count = 1;
    if (has_child(d, "kw_last")) s->dir = SQL_FETCH_ABSOLUTE, s->count = -1;
    s->all = has_child(d, "kw_all");
}

/* ---- statements ------------------------------------------------------------- */

static bool lower_stmt(Lower *L, TSNode n, Stmt *s) {
    const char *t = ts_node_type(n);
    s->start = (int)ts_node_start_byte(n);
    s->end = (int)ts_node_end_byte(n);
    if (strcmp(t, "select_statement") == 0) return s->kind = STMT_SELECT, lower_select(L, n, &s->u.select);
    if (strcmp(t, "insert_statement") == 0 || strcmp(t, "update_statement") == 0 ||
        strcmp(t, "delete_statement") == 0) {
        TSNode with = child_of_type(n, "with_clause"); /* WITH ... INSERT | UPDATE | DELETE */
        if (!ts_node_is_null(with) && !lower_with_clause(L, with, &s->ctes, &s->nctes, &s->recursive)) return false;
    }
    if (strcmp(t, "insert_statement") == 0) return s->kind = STMT_INSERT, lower_insert(L, n, &s->u.insert);
    if (strcmp(t, "update_statement") == 0) return s->kind = STMT_UPDATE, lower_update(L, n, &s->u.update);
    if (strcmp(t, "delete_statement") == 0) return s->kind = STMT_DELETE, lower_delete(L, n, &s->u.del);
    if (strcmp(t, "create_table_statement") == 0)
        return s->kind = STMT_CREATE_TABLE, lower_create_table(L, n, &s->u.create_table);
    if (strcmp(t, "alter_table_statement") == 0)
        return s->kind = STMT_ALTER_TABLE, lower_alter_table(L, n, &s->u.alter_table);
    if (strcmp(t, "drop_table_statement") == 0) {
        s->kind = STMT_DROP_TABLE;
        lower_drop_table(L, n, &s->u.drop_table);
    } else if (strcmp(t, "create_index_statement") == 0) {
        s->kind = STMT_CREATE_INDEX;
        lower_create_index(L, n, &s->u.create_index);
    } else if (strcmp(t, "drop_index_statement") == 0) {
        s->kind = STMT_DROP_INDEX;
        lower_drop_index(L, n, &s->u.drop_index);
    } else if (strcmp(t, "create_procedure_statement") == 0) {
        s->kind = STMT_CREATE_PROCEDURE;
        return lower_create_procedure(L, n, &s->u.create_proc);
    } else if (strcmp(t, "drop_procedure_statement") == 0) {
        s->kind = STMT_DROP_PROCEDURE;
        return lower_drop_procedure(L, n, &s->u.drop_proc);
    } else if (strcmp(t, "call_statement") == 0) {
        s->kind = STMT_CALL;
        return lower_call(L, n, &s->u.call);
    } else if (strcmp(t, "copy_statement") == 0) {
        s->kind = STMT_COPY;
        return lower_copy(L, n, &s->u.copy);
    } else if (strcmp(t, "listen_statement") == 0 || strcmp(t, "unlisten_statement") == 0 ||
               strcmp(t, "notify_statement") == 0) {
        TSNode channel = field(n, "channel"), payload = field(n, "payload");
        s->kind = t[0] == 'l' ? STMT_LISTEN : t[0] == 'u' ? STMT_UNLISTEN : STMT_NOTIFY;
        s->u.notify.channel = ts_node_is_null(channel) ? NULL : lower_name(L, channel);
        s->u.notify.payload = ts_node_is_null(payload) ? "" : string_value(L, payload);
    } else if (strcmp(t, "create_role_statement") == 0 || strcmp(t, "alter_role_statement") == 0 ||
               strcmp(t, "drop_role_statement") == 0) {
        s->kind = t[0] == 'c' ? STMT_CREATE_ROLE : t[0] == 'a' ? STMT_ALTER_ROLE : STMT_DROP_ROLE;
        lower_role(L, n, &s->u.role);
    } else if (strcmp(t, "declare_statement") == 0) {
        s->kind = STMT_DECLARE;
        return lower_declare(L, n, &s->u.cursor);
    } else if (strcmp(t, "explain_statement") == 0) {
        s->kind = STMT_EXPLAIN;
        return lower_explain(L, n, &s->u.explain);
    } else if (strcmp(t, "fetch_statement") == 0) {
        s->kind = STMT_FETCH;
        lower_fetch(L, n, &s->u.cursor);
    } else if (strcmp(t, "close_statement") == 0) {
        TSNode name = field(n, "name");
        s->kind = STMT_CLOSE;
        s->u.cursor.name = ts_node_is_null(name) ? NULL : lower_name(L, name);
    } else if (strcmp(t, "checkpoint_statement") == 0) {
        s->kind = STMT_CHECKPOINT;
    } else if (strcmp(t, "vacuum_statement") == 0) {
        s->kind = STMT_VACUUM;
        lower_vacuum(L, n, &s->u.vacuum);
    } else if (strcmp(t, "savepoint_statement") == 0 || strcmp(t, "release_statement") == 0) {
        s->kind = strcmp(t, "savepoint_statement") == 0 ? STMT_SAVEPOINT : STMT_RELEASE;
        s->u.savepoint.name = lower_name(L, field(n, "name"));
    } else if (strcmp(t, "rollback_statement") == 0 && has_child(n, "kw_to")) {
        s->kind = STMT_ROLLBACK_TO;
        s->u.savepoint.name = lower_name(L, field(n, "savepoint"));
    } else if (strcmp(t, "set_statement") == 0 && has_child(n, "kw_transaction")) {
        s->kind = STMT_SET_TRANSACTION;
        lower_txn(n, &s->u.txn);
    } else if (strcmp(t, "set_statement") == 0) {
        s->kind = STMT_SET;
        lower_set(L, n, &s->u.set);
    } else if (strcmp(t, "reset_statement") == 0) {
        s->kind = STMT_SET;
        lower_reset(L, n, &s->u.set);
    } else if (strcmp(t, "show_statement") == 0) {
        s->kind = STMT_SHOW;
        lower_show(L, n, &s->u.show);
    } else {
        s->kind = strcmp(t, "begin_statement") == 0    ? STMT_BEGIN
                  : strcmp(t, "commit_statement") == 0 ? STMT_COMMIT
                                                       : STMT_ROLLBACK;
        lower_txn(n, &s->u.txn);
    }
    return true;
}

bool sql__lower(TSNode root, const char *text, Arena *arena, StmtList *out, Error *err) {
    Lower L = {.text = text, .arena = arena, .err = err};
    uint32_t count = ts_node_named_child_count(root);
    out->items = arena_alloc(arena, (count ? count : 1) * sizeof *out->items);
    out->n = 0;
    for (uint32_t i = 0; i < count; i++) {
        TSNode c = ts_node_named_child(root, i);
        if (is(c, "comment")) continue;
        Stmt *s = arena_zalloc(arena, sizeof *s);
        if (!lower_stmt(&L, c, s)) return false;
        out->items[out->n++] = s;
    }
    return true;
}
