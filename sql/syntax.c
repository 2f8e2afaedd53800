/*
 * syntax.c — finding the error PostgreSQL would report for a bad statement:
 * the token, its position and the message.
 *
 * tree-sitter's error recovery wraps varying amounts of good text into its
 * ERROR nodes, so their positions are not the token where PostgreSQL's LALR
 * parser stops. An LR parser stops at the first token that cannot continue
 * a valid prefix, whatever its tables look like; so we run the generated
 * tables ourselves (lexer included) without building a tree and stop at the
 * first token without an action. That token is PostgreSQL's wherever the two
 * grammars accept the same prefixes.
 *
 * It deliberately does not parse: sql.c calls it only once tree-sitter has
 * reported an error (or to look for lexical errors, which tree-sitter would
 * accept as two tokens, such as 123abc).
 *
 * INTERFACE (sql_int.h)
 *   sql__token_end, sql__skip_blank   PostgreSQL's tokens (normalize.c too)
 *   sql__scan_lexical        unterminated strings, trailing junk, ...
 *   sql__first_syntax_error  the LR simulation
 *   sql__reserved_misuse     `CREATE TABLE select (...)`
 *   sql__syntax_error_at     the message for a token
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sql/parser/tree_sitter/parser.h"
#include "sql/sql_int.h"

/* ---- PostgreSQL's tokens ------------------------------------------------ */

static bool is_ident_start(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

static bool is_ident_cont(unsigned char c) { return is_ident_start(c) || (c >= '0' && c <= '9') || c == '$'; }

static bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

static bool is_space(unsigned char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static bool is_op_char(unsigned char c) { return c && strchr("~!@#^&|`?+-*/%<>=", c) != NULL; }

static size_t ident_end(const char *s, size_t len, size_t i) {
    while (i < len && is_ident_cont((unsigned char)s[i])) i++;
    return i;
}

/* End of a quoted token opened at s[i] by `q`; `backslash` for E'' strings.
 * Returns len + 1 if it is not closed. */
static size_t quoted_end(const char *s, size_t len, size_t i, char q, bool backslash) {
    for (i++; i < len; i++) {
        if (backslash && s[i] == '\\' && i + 1 < len) {
            i++;
        } else if (s[i] == q) {
            if (i + 1 < len && s[i + 1] == q)
                i++;
            else
                return i + 1;
        }
    }
    return len + 1;
}

/* The opening delimiter of a dollar quote at s[i] ($$ or $tag$, the tag an
 * identifier without '$' that does not start with a digit): its length, or
 * 0 if there is none. */
static size_t dollar_delimiter(const char *s, size_t len, size_t i) {
    if (i >= len || s[i] != '$') return 0;
    size_t j = i + 1;
    if (j < len && is_ident_start((unsigned char)s[j]))
        while (j < len && s[j] != '$' && is_ident_cont((unsigned char)s[j])) j++;
    return j < len && s[j] == '$' ? j + 1 - i : 0;
}

/* End of a dollar-quoted string whose delimiter (n bytes) opens at s[i];
 * len + 1 if it is not closed. */
static size_t dollar_end(const char *s, size_t len, size_t i, size_t n) {
    for (size_t j = i + n; j + n <= len; j++)
        if (memcmp(s + j, s + i, n) == 0) return j + n;
    return len + 1;
}

/* End of a number starting at s[i] (digits, fraction, exponent), as
 * PostgreSQL's {numeric} and {real} rules read it. */
static size_t number_end(const char *s, size_t len, size_t i) {
    while (i < len && is_digit((unsigned char)s[i])) i++;
    if (i < len && s[i] == '.' && !(i + 1 < len && s[i + 1] == '.')) {
        i++;
        while (i < len && is_digit((unsigned char)s[i])) i++;
    }
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        size_t j = i + 1;
        if (j < len && (s[j] == '+' || s[j] == '-')) j++;
        if (j < len && is_digit((unsigned char)s[j])) {
            while (j < len && is_digit((unsigned char)s[j])) j++;
            i = j;
        }
    }
    return i;
}

/* An operator: the longest run of operator characters, cut before a comment
 * start, and without a trailing + or - unless it holds one of ~!@#%^&|`?
 * (PostgreSQL's rule, so that 1+-2 is 1 + -2). */
static size_t operator_end(const char *s, size_t len, size_t i) {
    size_t start = i;
    while (i < len && is_op_char((unsigned char)s[i])) {
        if (i > start && ((s[i] == '-' && s[i - 1] == '-') || (s[i] == '*' && s[i - 1] == '/'))) {
            i--;
            break;
        }
        i++;
    }
    bool special = false;
    for (size_t j = start; j < i; j++)
        if (strchr("~!@#%^&|`?", s[j])) special = true;
    while (!special && i - start > 1 && (s[i - 1] == '+' || s[i - 1] == '-')) i--;
    return i;
}

/* The end of PostgreSQL's token at s[i] (not blank, not a comment). */
/* U&'...': a string with Unicode escapes (the quote after U&). */
static bool unicode_string_at(const char *s, size_t len, size_t i) {
    return (s[i] == 'u' || s[i] == 'U') && i + 2 < len && s[i + 1] == '&' && s[i + 2] == '\'';
}

size_t sql__token_end(const char *s, size_t len, size_t i) {
    unsigned char c = (unsigned char)s[i];
    if ((c == 'e' || c == 'E') && i + 1 < len && s[i + 1] == '\'') {
        size_t e = quoted_end(s, len, i + 1, '\'', true);
        return e > len ? len : e;
    }
    if (unicode_string_at(s, len, i)) {
        size_t e = quoted_end(s, len, i + 2, '\'', false);
        return e > len ? len : e;
    }
    if (is_ident_start(c)) return ident_end(s, len, i);
    size_t dollar = dollar_delimiter(s, len, i);
    if (dollar) {
        size_t e = dollar_end(s, len, i, dollar);
        return e > len ? len : e;
    }
    if (c == '\'' || c == '"') {
        size_t e = quoted_end(s, len, i, (char)c, false);
        return e > len ? len : e;
    }
    if (is_digit(c) || (c == '.' && i + 1 < len && is_digit((unsigned char)s[i + 1])))
        return ident_end(s, len, number_end(s, len, i));
    if (c == '$' && i + 1 < len && is_digit((unsigned char)s[i + 1])) {
        i++;
        while (i < len && is_digit((unsigned char)s[i])) i++;
        return ident_end(s, len, i);
    }
    if (c == ':' && i + 1 < len && s[i + 1] == ':') return i + 2;
    if (is_op_char(c)) return operator_end(s, len, i);
    return i + 1;
}

/* Skips blanks and comments from s[i]; nested block comments as PostgreSQL. */
size_t sql__skip_blank(const char *s, size_t len, size_t i) {
    for (;;) {
        while (i < len && is_space((unsigned char)s[i])) i++;
        if (i + 1 < len && s[i] == '-' && s[i + 1] == '-') {
            while (i < len && s[i] != '\n') i++;
        } else if (i + 1 < len && s[i] == '/' && s[i + 1] == '*') {
            int depth = 0;
            size_t j = i;
            for (; j < len; j++) {
                if (j + 1 < len && s[j] == '/' && s[j + 1] == '*')
                    depth++, j++;
                else if (j + 1 < len && s[j] == '*' && s[j + 1] == '/' && --depth == 0)
                    break;
            }
            if (j >= len) return i; /* unterminated: the scanner reports it */
            i = j + 2;
        } else {
            return i;
        }
    }
}

static void problem(SqlProblem *out, uint32_t offset, bool at_end, const char *fmt, const char *tok, int toklen) {
    out->found = true;
    out->offset = offset;
    out->at_end = at_end;
    out->sqlstate = SQLSTATE_SYNTAX_ERROR;
    snprintf(out->message, sizeof out->message, fmt, toklen, tok);
}

void sql__syntax_error_at(const char *text, size_t len, uint32_t offset, SqlProblem *out) {
    size_t i = sql__skip_blank(text, len, offset);
    if (i >= len) {
        problem(out, (uint32_t)len, true, "syntax error at end of input%.*s", "", 0);
        return;
    }
    size_t e = sql__token_end(text, len, i);
    problem(out, (uint32_t)i, false, "syntax error at or near \"%.*s\"", text + i, (int)(e - i));
}

/* ---- lexical errors ----------------------------------------------------- */

/* Checks the token at s[i]; returns its end, or 0 with `out` set. */
static size_t scan_token(const char *s, size_t len, size_t i, SqlProblem *out) {
    unsigned char c = (unsigned char)s[i];
    const char *msg = NULL;
    size_t e = sql__token_end(s, len, i);
    bool estr = (c == 'e' || c == 'E') && i + 1 < len && s[i + 1] == '\'';
    bool ustr = unicode_string_at(s, len, i);
    size_t dollar = dollar_delimiter(s, len, i);
    if (dollar && dollar_end(s, len, i, dollar) > len) {
        msg = "unterminated dollar-quoted string at or near \"%.*s\"";
    } else if (estr || ustr || c == '\'' || c == '"') {
        size_t q = quoted_end(s, len, estr ? i + 1 : ustr ? i + 2 : i, estr || ustr ? '\'' : (char)c, estr);
        if (q > len)
            msg = c == '"' ? "unterminated quoted identifier at or near \"%.*s\""
                           : "unterminated quoted string at or near \"%.*s\"";
        else if (c == '"' && q == i + 2)
            msg = "zero-length delimited identifier at or near \"%.*s\"";
        if (q > len) e = len;
    } else if (is_digit(c) || (c == '.' && i + 1 < len && is_digit((unsigned char)s[i + 1]))) {
        if (number_end(s, len, i) != e) msg = "trailing junk after numeric literal at or near \"%.*s\"";
    } else if (c == '$' && i + 1 < len && is_digit((unsigned char)s[i + 1])) {
        size_t d = i + 1;
        while (d < len && is_digit((unsigned char)s[d])) d++;
        if (d != e) msg = "trailing junk after parameter at or near \"%.*s\"";
    }
    if (!msg) return e;
    problem(out, (uint32_t)i, false, msg, s + i, (int)(e - i));
    return 0;
}

void sql__scan_lexical(const char *text, size_t len, SqlProblem *out) {
    out->found = false;
    size_t i = 0;
    for (;;) {
        i = sql__skip_blank(text, len, i);
        if (i >= len) return;
        if (i + 1 < len && text[i] == '/' && text[i + 1] == '*') {
            problem(out, (uint32_t)i, false, "unterminated /* comment at or near \"%.*s\"", text + i, (int)(len - i));
            return;
        }
        i = scan_token(text, len, i, out);
        if (out->found) return;
    }
}

/* ---- the LR simulation -------------------------------------------------- */

/* A TSLexer over a string: the generated lexer reads code points through it. */
typedef struct StrLexer {
    TSLexer base;
    const char *text;
    size_t len;
    size_t pos;         /* byte offset of `lookahead` */
    size_t size;        /* its length in bytes */
    size_t token_start; /* moves while blanks are skipped */
    size_t token_end;   /* set by mark_end */
} StrLexer;

static void lexer_decode(StrLexer *l) {
    const unsigned char *s = (const unsigned char *)l->text + l->pos;
    size_t left = l->len - l->pos;
    if (left == 0) {
        l->base.lookahead = 0;
        l->size = 0;
        return;
    }
    int32_t cp = s[0];
    size_t n = 1;
    if (cp >= 0xF0 && left >= 4)
        cp = ((cp & 7) << 18) | ((s[1] & 63) << 12) | ((s[2] & 63) << 6) | (s[3] & 63), n = 4;
    else if (cp >= 0xE0 && left >= 3)
        cp = ((cp & 15) << 12) | ((s[1] & 63) << 6) | (s[2] & 63), n = 3;
    else if (cp >= 0xC0 && left >= 2)
        cp = ((cp & 31) << 6) | (s[1] & 63), n = 2;
    l->base.lookahead = cp;
    l->size = n;
}

static void lexer_advance(TSLexer *base, bool skip) {
    StrLexer *l = (StrLexer *)base;
    l->pos += l->size;
    if (skip) l->token_start = l->pos;
    lexer_decode(l);
}

static void lexer_mark_end(TSLexer *base) {
    StrLexer *l = (StrLexer *)base;
    l->token_end = l->pos;
}

static uint32_t lexer_column(TSLexer *base) {
    (void)base;
    return 0; /* no grammar rule depends on columns */
}

static bool lexer_range_start(const TSLexer *base) {
    (void)base;
    return false;
}

static bool lexer_eof(const TSLexer *base) {
    const StrLexer *l = (const StrLexer *)base;
    return l->pos >= l->len;
}

static void lexer_reset(StrLexer *l, size_t pos) {
    l->pos = l->token_start = l->token_end = pos;
    lexer_decode(l);
}

/* The parse table's value for (state, symbol): an index into parse_actions
 * for a terminal, the next state for a nonterminal (runtime language.h). */
static uint16_t table_lookup(const TSLanguage *lang, TSStateId state, TSSymbol sym) {
    if (state < lang->large_state_count) return lang->parse_table[state * lang->symbol_count + sym];
    const uint16_t *data = &lang->small_parse_table[lang->small_parse_table_map[state - lang->large_state_count]];
    uint16_t groups = *data++;
    for (uint16_t g = 0; g < groups; g++) {
        uint16_t value = *data++, count = *data++;
        for (uint16_t j = 0; j < count; j++)
            if (*data++ == sym) return value;
    }
    return 0;
}

static const TSParseActionEntry *actions_for(const TSLanguage *lang, TSStateId state, TSSymbol sym) {
    return &lang->parse_actions[table_lookup(lang, state, sym)];
}

/* Lexes the next token in parse state `state` as the runtime does: the
 * state's lexer, then the keyword table when the word token matched and the
 * keyword is valid here. Returns false if no token matches. */
static bool next_token(const TSLanguage *lang, StrLexer *l, TSStateId state, TSSymbol *sym) {
    size_t from = l->token_end;
    uint16_t ext = lang->lex_modes[state].external_lex_state;
    if (ext && lang->external_scanner.scan) {
        lexer_reset(l, from);
        const bool *valid = lang->external_scanner.states + (size_t)lang->external_token_count * ext;
        if (lang->external_scanner.scan(NULL, &l->base, valid)) {
            *sym = lang->external_scanner.symbol_map[l->base.result_symbol];
            return true;
        }
    }
    lexer_reset(l, from);
    if (!lang->lex_fn(&l->base, lang->lex_modes[state].lex_state)) return false;
    *sym = l->base.result_symbol;
    if (*sym != lang->keyword_capture_token || !lang->keyword_lex_fn) return true;
    size_t start = l->token_start, end = l->token_end;
    lexer_reset(l, start);
    if (lang->keyword_lex_fn(&l->base, 0) && l->token_end == end &&
        actions_for(lang, state, l->base.result_symbol)->entry.count > 0)
        *sym = l->base.result_symbol;
    l->token_start = start;
    l->token_end = end;
    return true;
}

#define STACK_MAX 4096

/* Applies the actions for `sym` in the current state: reduces until it
 * shifts. Returns 1 shifted, 3 skipped an extra (a comment), 0 no action
 * (the error), 2 accepted. */
static int feed(const TSLanguage *lang, TSStateId *stack, int *depth, TSSymbol sym) {
    for (;;) {
        const TSParseActionEntry *e = actions_for(lang, stack[*depth - 1], sym);
        if (e->entry.count == 0) return 0;
        const TSParseAction *a = &e[1].action;
        if (a->type == TSParseActionTypeShift) {
            if (a->shift.extra) return 3;
            if (*depth >= STACK_MAX) return 0;
            stack[(*depth)++] = a->shift.state;
            return 1;
        }
        if (a->type == TSParseActionTypeAccept) return 2;
        if (a->type != TSParseActionTypeReduce) return 0;
        *depth -= a->reduce.child_count;
        if (*depth < 1) return 0;
        stack[*depth] = table_lookup(lang, stack[*depth - 1], a->reduce.symbol);
        (*depth)++;
    }
}

void sql__first_syntax_error(const TSLanguage *lang, const char *text, size_t len, SqlProblem *out) {
    TSStateId stack[STACK_MAX]; /* 8 KB; deeper nesting is reported as an error */
    int depth = 0;
    StrLexer l = {
        .base = {.advance = lexer_advance,
                 .mark_end = lexer_mark_end,
                 .get_column = lexer_column,
                 .is_at_included_range_start = lexer_range_start,
                 .eof = lexer_eof},
        .text = text,
        .len = len,
    };
    TSSymbol prev = 0;
    size_t prev_start = 0;
    out->found = false;
    stack[depth++] = 1; /* tree-sitter's first parse state */
    for (;;) {
        TSSymbol sym = 0;
        size_t at;
        bool lexed = next_token(lang, &l, stack[depth - 1], &sym);
        int r = lexed ? feed(lang, stack, &depth, sym) : 0;
        if (r == 2) return;
        if (r == 0) {
            at = lexed && sym == 0 ? len : l.token_start;
            /* PostgreSQL's lexer turns NULLS into NULLS_LA only before FIRST
             * or LAST, so its parser already fails at a lone NULLS. */
            if (prev && strcmp(lang->symbol_names[prev], "kw_nulls") == 0) at = prev_start;
            sql__syntax_error_at(text, len, (uint32_t)at, out);
            return;
        }
        if (sym == 0) return; /* shifted the end: cannot happen, but never loop */
        if (r == 1) prev = sym, prev_start = l.token_start;
    }
}

/* ---- reserved words ----------------------------------------------------- */

/* PostgreSQL's reserved keywords (kwlist.h, RESERVED_KEYWORD), sorted. */
static const char *const reserved[] = {
    "all",          "analyse",
    "analyze",      "and",
    "any",          "array",
    "as",           "asc",
    "asymmetric",   "both",
    "case",         "cast",
    "check",        "collate",
    "column",       "constraint",
    "create",       "current_catalog",
    "current_date", "current_role",
    "current_time", "current_timestamp",
    "current_user", "default",
    "deferrable",   "desc",
    "distinct",     "do",
    "else",         "end",
    "except",       "false",
    "fetch",        "for",
    "foreign",      "from",
    "grant",        "group",
    "having",       "in",
    "initially",    "intersect",
    "into",         "lateral",
    "leading",      "limit",
    "localtime",    "localtimestamp",
    "not",          "null",
    "offset",       "on",
    "only",         "or",
    "order",        "placing",
    "primary",      "references",
    "returning",    "select",
    "session_user", "some",
    "symmetric",    "table",
    "then",         "to",
    "trailing",     "true",
    "union",        "unique",
    "user",         "using",
    "variadic",     "when",
    "where",        "window",
    "with",
};

/* TYPE_FUNC_NAME_KEYWORD: fine as function or type names, not as columns. */
static const char *const type_func_name[] = {
    "authorization", "binary", "collation", "concurrently", "cross",   "current_schema", "freeze",  "full",
    "ilike",         "inner",  "is",        "isnull",       "join",    "left",           "like",    "natural",
    "notnull",       "outer",  "overlaps",  "right",        "similar", "tablesample",    "verbose",
};

static int cmp_word(const void *key, const void *elem) {
    return strcasecmp((const char *)key, *(const char *const *)elem);
}

static bool in_list(const char *w, const char *const *list, size_t n) {
    return bsearch(w, list, n, sizeof *list, cmp_word) != NULL;
}

/* How strict PostgreSQL is about a name in this place: 0 any keyword
 * (AS labels, bare target aliases, t.<label>), 1 no reserved keyword
 * (function and type names), 2 neither reserved nor type/function names
 * (ColId: tables, columns, aliases). */
static int strictness(TSNode parent, const char *field) {
    const char *type = ts_node_type(parent);
    if (!field) return strcmp(type, "type_name") == 0 ? 1 : 2;
    if (strcmp(field, "label") == 0) return 0;
    /* after a dot any keyword is a name (attr_name) */
    if (strcmp(type, "column_ref") == 0 && strncmp(field, "column", 6) == 0) return 0;
    if (strcmp(type, "qualified_star") == 0 && strcmp(field, "table") != 0) return 0;
    if ((strcmp(type, "qualified_name") == 0 || strcmp(type, "field_selection") == 0) && strcmp(field, "schema") != 0)
        return 0;
    if (strcmp(type, "collate") == 0 && strcmp(field, "name") == 0 &&
        !ts_node_is_null(ts_node_child_by_field_name(parent, "schema", 6)))
        return 0;
    if (strcmp(type, "target") == 0 && strcmp(field, "alias") == 0) return 0;
    if (strcmp(type, "function_call") == 0 && strcmp(field, "name") == 0) return 1;
    return 2;
}

int sql__keyword_class(const char *word) {
    if (in_list(word, reserved, ARRAY_LEN(reserved))) return 1;
    return in_list(word, type_func_name, ARRAY_LEN(type_func_name)) ? 2 : 0;
}

/* sql__keyword_class of the word a node spans. */
static int keyword_class(const char *text, TSNode n) {
    uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
    char w[32];
    if (e - s >= sizeof w) return 0;
    memcpy(w, text + s, e - s);
    w[e - s] = '\0';
    return sql__keyword_class(w);
}

/* Walks the tree in document order with a cursor, which knows field names;
 * the parent is looked up only for the rare identifier that is a keyword. */
void sql__reserved_misuse(TSNode root, const char *text, size_t len, uint32_t limit, SqlProblem *out) {
    out->found = false;
    TSTreeCursor c = ts_tree_cursor_new(root);
    for (;;) {
        TSNode n = ts_tree_cursor_current_node(&c);
        if (ts_node_start_byte(n) >= limit) break;
        int kc = ts_node_child_count(n) == 0 && strcmp(ts_node_type(n), "identifier") == 0 && !ts_node_is_missing(n)
                     ? keyword_class(text, n)
                     : 0;
        if (kc) {
            TSNode parent = ts_node_parent(n);
            int strict = ts_node_is_null(parent) ? 2 : strictness(parent, ts_tree_cursor_current_field_name(&c));
            if (strict >= kc) {
                /* In an expression PostgreSQL takes `left` for the start of
                 * left(...) and fails at the token after it. */
                bool func_start =
                    kc == 2 && !ts_node_is_null(parent) && strcmp(ts_node_type(parent), "column_ref") == 0;
                sql__syntax_error_at(text, len, func_start ? ts_node_end_byte(n) : ts_node_start_byte(n), out);
                break;
            }
        }
        if (ts_tree_cursor_goto_first_child(&c)) continue;
        while (!ts_tree_cursor_goto_next_sibling(&c))
            if (!ts_tree_cursor_goto_parent(&c)) goto done;
    }
done:
    ts_tree_cursor_delete(&c);
}
