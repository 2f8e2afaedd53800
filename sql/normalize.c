/*
 * normalize.c — the plan cache's key for a simple-protocol statement: its
 * text with the literals replaced by $1..$n (as pg_stat_statements
 * normalises queries), so that `SELECT v FROM kv WHERE id = 42` and `... id
 * = 7` share one bound plan and only the first reaches tree-sitter.
 *
 * A hand-written pass over PostgreSQL's tokens (syntax.c's scanner), with
 * no allocation: it runs before every simple Query.
 *
 * The normalised text keeps every other byte where it was, except that
 * unquoted words are lowercased (PostgreSQL folds them anyway). A literal is
 * replaced only where a parameter of the literal's type means the same:
 *   - integers and decimals anywhere, except an ORDER BY / GROUP BY /
 *     DISTINCT ON item that is just an integer (an ordinal, not a value) and
 *     the type modifiers of varchar(10), numeric(10,2), timestamp(3), ...;
 *   - plain '...' strings after an operator, punctuation or one of a few
 *     keywords (SELECT, WHERE, AND, THEN, LIKE, ...): never the string of a
 *     typed literal (DATE '...', INTERVAL '1' DAY, AT TIME ZONE 'UTC'),
 *     nor E'', U&'', B'', X'' or dollar-quoted strings, which stay as text.
 * The same number written twice is one parameter.
 * Texts it cannot key (several statements, $n parameters, lexical errors,
 * adjacent strings, too long, too many literals) are refused: they take
 * the ordinary path, which reports what is wrong with them.
 *
 * INTERFACE (sql.h): sql_normalize, sql_literal_value
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "sql/sql_int.h"

typedef enum TokKind { TOK_NONE, TOK_WORD, TOK_NUMBER, TOK_STRING, TOK_OTHER } TokKind;

typedef struct Tok {
    TokKind kind;
    size_t start, end;
} Tok;

/* Per parenthesis depth: what its items are. */
typedef struct Depth {
    bool typmod;   /* varchar( ... ): integers are type modifiers */
    bool ordinals; /* ORDER BY, GROUP BY, DISTINCT ON ( ... ): an integer alone is an ordinal */
} Depth;

#define MAX_DEPTH 64

typedef struct Norm {
    const char *s;
    size_t len;
    char *out;
    size_t cap, n;
    SqlNormalized *result;
    Depth depth[MAX_DEPTH];
    int level;
    Tok prev, prev2; /* the two tokens before the current one */
} Norm;

static bool is_word_start(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

static bool tok_is(const Norm *m, const Tok *t, const char *word) {
    size_t n = strlen(word);
    return t->kind == TOK_WORD && t->end - t->start == n && strncasecmp(m->s + t->start, word, n) == 0;
}

static bool tok_char(const Norm *m, const Tok *t, char c) {
    return t->kind == TOK_OTHER && t->end - t->start == 1 && m->s[t->start] == c;
}

static bool in_words(const Norm *m, const Tok *t, const char *const *words) {
    for (; *words; words++)
        if (tok_is(m, t, *words)) return true;
    return false;
}

/* Words after which a string is a value, not the text of a typed literal. */
static const char *const VALUE_KEYWORDS[] = {"select", "where",  "and",  "or",        "not",     "then",   "else",
                                             "when",   "case",   "like", "ilike",     "between", "having", "from",
                                             "escape", "return", "on",   "returning", NULL};

/* Words after which a minus sign is a sign, not a subtraction. */
static const char *const PREFIX_KEYWORDS[] = {"select", "where", "and",       "or",     "not",    "then",  "else",
                                              "when",   "case",  "between",   "having", "return", "limit", "offset",
                                              "by",     "in",    "returning", "like",   NULL};

/* Type names whose parenthesised integers are modifiers. */
static const char *const TYPMOD_TYPES[] = {"varchar", "char",   "character", "varying",     "numeric", "decimal",
                                           "dec",     "time",   "timestamp", "timestamptz", "timetz",  "interval",
                                           "bit",     "varbit", "float",     "bpchar",      NULL};

/* Words that end an ORDER BY / GROUP BY list at its depth. */
static const char *const LIST_ENDS[] = {"limit",     "offset", "having", "window", "fetch", "for", "union",
                                        "intersect", "except", "select", "from",   "where", NULL};

static bool emit(Norm *m, const char *p, size_t n) {
    if (m->n + n >= m->cap) return false;
    memcpy(m->out + m->n, p, n);
    m->n += n;
    return true;
}

static bool emit_lower(Norm *m, size_t start, size_t end) {
    if (m->n + (end - start) >= m->cap) return false;
    for (size_t i = start; i < end; i++) {
        char c = m->s[i];
        m->out[m->n++] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
    }
    return true;
}

/* An integer's type by magnitude, as PostgreSQL's lexer and make_const
 * choose it (a minus sign folded in first): int4, else int8, else numeric. */
static SqlLiteralKind integer_kind(const char *p, size_t n) {
    bool negative = *p == '-';
    if (negative) p++, n--;
    while (n > 1 && *p == '0') p++, n--;
    const char *int4_max = negative ? "2147483648" : "2147483647";
    const char *int8_max = negative ? "9223372036854775808" : "9223372036854775807";
    if (n < 10 || (n == 10 && memcmp(p, int4_max, 10) <= 0)) return SQL_LITERAL_INT4;
    if (n < 19 || (n == 19 && memcmp(p, int8_max, 19) <= 0)) return SQL_LITERAL_INT8;
    return SQL_LITERAL_NUMERIC;
}

/* Whether s[start, end) is exactly a number (digits, fraction, exponent),
 * not 123abc or 1e; and its type. */
static bool number_kind(const char *s, size_t start, size_t end, SqlLiteralKind *kind) {
    size_t i = start + (s[start] == '-'), digits = 0;
    while (i < end && s[i] >= '0' && s[i] <= '9') i++, digits++;
    bool integer = true;
    if (i < end && s[i] == '.') {
        integer = false;
        for (i++; i < end && s[i] >= '0' && s[i] <= '9'; i++) digits++;
    }
    if (!digits) return false;
    if (i < end && (s[i] == 'e' || s[i] == 'E')) {
        integer = false;
        i++;
        if (i < end && (s[i] == '+' || s[i] == '-')) i++;
        size_t exp = i;
        while (i < end && s[i] >= '0' && s[i] <= '9') i++;
        if (i == exp) return false;
    }
    if (i != end) return false;
    *kind = integer ? integer_kind(s + start, end - start) : SQL_LITERAL_NUMERIC;
    return true;
}

/* Whether the '...' string at s[start, end) is closed at end - 1 (not cut
 * off with its last quote doubled). */
static bool string_closed(const char *s, size_t start, size_t end) {
    for (size_t i = start + 1; i < end; i++) {
        if (s[i] != '\'') continue;
        if (i + 1 < end && s[i + 1] == '\'') {
            i++;
            continue;
        }
        return i == end - 1;
    }
    return false;
}

static Tok next_token(const Norm *m, size_t i) {
    Tok t = {TOK_NONE, i, i};
    if (i >= m->len) return t;
    t.end = sql__token_end(m->s, m->len, i);
    unsigned char c = (unsigned char)m->s[i];
    if (c == '\'')
        t.kind = TOK_STRING;
    else if ((c >= '0' && c <= '9') || (c == '.' && t.end > i + 1))
        t.kind = TOK_NUMBER;
    else if (is_word_start(c) && !((c == 'e' || c == 'E') && t.end > i + 1 && m->s[i + 1] == '\''))
        t.kind = TOK_WORD; /* B'..', X'..', N'..' and U&'..': a word, then the string */
    else
        t.kind = TOK_OTHER;
    return t;
}

/* An integer that is a whole ORDER BY / GROUP BY item: an ordinal. */
static bool is_ordinal(const Norm *m, const Tok *next) {
    if (!m->depth[m->level].ordinals) return false;
    if (!tok_is(m, &m->prev, "by") && !tok_char(m, &m->prev, ',') && !tok_char(m, &m->prev, '(')) return false;
    if (next->kind == TOK_NONE || tok_char(m, next, ',') || tok_char(m, next, ')') || tok_char(m, next, ';'))
        return true;
    return next->kind == TOK_WORD; /* ASC, DESC, NULLS, LIMIT, ... */
}

/* A string that is a value here (see the header). */
static bool is_value_string(const Norm *m, const Tok *t, const Tok *next) {
    /* '...'::type and CAST('...' AS type) are typed literals: the type's
     * modifiers shape the input ('5'::interval minute is 5 minutes) */
    if (next->kind == TOK_OTHER && next->end - next->start == 2 && !memcmp(m->s + next->start, "::", 2)) return false;
    if (tok_char(m, &m->prev, '(') && tok_is(m, &m->prev2, "cast")) return false;
    if (m->prev.kind == TOK_WORD) return in_words(m, &m->prev, VALUE_KEYWORDS);
    if (m->prev.kind == TOK_STRING) return false;                            /* 'a' 'b' continues one string */
    if (tok_char(m, &m->prev, '&') && m->prev.end == t->start) return false; /* U&'...' */
    return true;
}

/* The literal becomes $n; the same number written twice is one parameter,
 * so that expressions PostgreSQL matches by their constants (GROUP BY x +
 * 1 and SELECT x + 1) still match. Strings are not shared: each unknown
 * one takes its own type from where it is (nullif(c::char(2), 'y') is
 * character, nullif(v::varchar, 'y') text). */
static bool replace(Norm *m, const Tok *t, SqlLiteralKind kind) {
    SqlNormalized *r = m->result;
    size_t len = t->end - t->start;
    int k = 0;
    while (k < r->n && !(kind != SQL_LITERAL_STRING && r->lits[k].kind == kind && r->lits[k].len == len &&
                         !memcmp(m->s + r->lits[k].offset, m->s + t->start, len)))
        k++;
    if (k == r->n) {
        if (r->n == SQL_NORMALIZE_MAX_LITERALS) return false;
        r->lits[r->n++] = (SqlLiteral){kind, (uint32_t)t->start, (uint32_t)len};
    }
    char param[16];
    int n = snprintf(param, sizeof param, "$%d", k + 1);
    return emit(m, param, (size_t)n);
}

/* A minus sign written against a number where an operand begins (after an
 * operator, '(' or ',', or a keyword such as WHERE): PostgreSQL's grammar
 * folds it into the constant (-2147483648 is an integer), so it joins the
 * literal. */
static bool joins_sign(const Norm *m, const Tok *t, const Tok *next) {
    if (!tok_char(m, t, '-') || next->kind != TOK_NUMBER || next->start != t->end) return false;
    switch (m->prev.kind) {
    case TOK_NONE: return true;
    case TOK_WORD: return in_words(m, &m->prev, PREFIX_KEYWORDS);
    case TOK_OTHER: return !tok_char(m, &m->prev, ')') && !tok_char(m, &m->prev, ']') && m->s[m->prev.start] != '"';
    default: return false;
    }
}

/* Tracks parentheses and the lists whose integers are ordinals. */
static bool track_structure(Norm *m, const Tok *t) {
    if (tok_char(m, t, '(')) {
        if (++m->level == MAX_DEPTH) return false;
        bool distinct_on = tok_is(m, &m->prev, "on") && tok_is(m, &m->prev2, "distinct");
        m->depth[m->level] = (Depth){.typmod = in_words(m, &m->prev, TYPMOD_TYPES), .ordinals = distinct_on};
    } else if (tok_char(m, t, ')')) {
        if (m->level == 0) return false;
        m->level--;
    } else if (tok_is(m, t, "by") && (tok_is(m, &m->prev, "order") || tok_is(m, &m->prev, "group"))) {
        m->depth[m->level].ordinals = true;
    } else if (in_words(m, t, LIST_ENDS)) {
        m->depth[m->level].ordinals = false;
    }
    return true;
}

/* One token: copied, lowercased or replaced. */
static bool token(Norm *m, const Tok *t, const Tok *next) {
    const char *s = m->s;
    SqlLiteralKind kind;
    switch (t->kind) {
    case TOK_NUMBER:
        if (!number_kind(s, t->start, t->end, &kind)) return false; /* 123abc: a lexical error */
        if (m->depth[m->level].typmod || is_ordinal(m, next)) return emit(m, s + t->start, t->end - t->start);
        return replace(m, t, kind);
    case TOK_STRING:
        if (!string_closed(s, t->start, t->end)) return false; /* the ordinary path reports it */
        if (next->kind == TOK_STRING) return false;
        if (!is_value_string(m, t, next)) return emit(m, s + t->start, t->end - t->start);
        return replace(m, t, SQL_LITERAL_STRING);
    case TOK_WORD: return emit_lower(m, t->start, t->end);
    default:
        /* $1: no Query may have a parameter (the ordinary path says so) */
        if (s[t->start] == '$' && t->end > t->start + 1 && s[t->start + 1] >= '0' && s[t->start + 1] <= '9')
            return false;
        return emit(m, s + t->start, t->end - t->start);
    }
}

bool sql_normalize(const char *text, size_t len, char *out, size_t cap, SqlNormalized *result) {
    Norm m = {.s = text, .len = len, .out = out, .cap = cap, .result = result};
    result->n = 0;
    size_t i = 0;
    Tok t = next_token(&m, sql__skip_blank(text, len, 0));
    if (t.kind != TOK_WORD) return false;
    while (t.kind != TOK_NONE) {
        if (!emit(&m, text + i, t.start - i)) return false; /* the blanks and comments before it */
        Tok next = next_token(&m, sql__skip_blank(text, len, t.end));
        if (joins_sign(&m, &t, &next)) {
            Tok after = next_token(&m, sql__skip_blank(text, len, next.end));
            bool cast = after.end - after.start == 2 && !memcmp(text + after.start, "::", 2);
            if (!cast) { /* -32768::int2 is -(32768::int2) */
                t = (Tok){TOK_NUMBER, t.start, next.end};
                next = after;
            }
        }
        if (tok_char(&m, &t, ';')) {
            if (next.kind != TOK_NONE || !emit(&m, ";", 1)) return false; /* only one statement */
        } else if (!track_structure(&m, &t) || !token(&m, &t, &next)) {
            return false;
        }
        i = t.end;
        m.prev2 = m.prev;
        m.prev = t;
        t = next;
    }
    if (!emit(&m, text + i, len - i)) return false;
    out[m.n] = '\0';
    result->len = m.n;
    return m.level == 0;
}

const char *sql_literal_value(const char *text, const SqlLiteral *lit, Arena *arena, size_t *len) {
    const char *p = text + lit->offset;
    if (lit->kind != SQL_LITERAL_STRING) {
        *len = lit->len;
        return p;
    }
    size_t n = lit->len - 2; /* the quotes */
    if (!memchr(p + 1, '\'', n)) {
        *len = n;
        return p + 1;
    }
    char *v = arena_alloc(arena, n + 1);
    size_t k = 0;
    for (size_t i = 1; i <= n; i++) {
        v[k++] = p[i];
        if (p[i] == '\'') i++; /* '' is one quote */
    }
    v[k] = '\0';
    *len = k;
    return v;
}
