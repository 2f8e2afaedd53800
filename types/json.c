/*
 * json.c — json and jsonb (PostgreSQL's json.c, jsonb.c, jsonb_util.c and
 * jsonfuncs.c): the parser with PostgreSQL's error details, jsonb's
 * normal form, comparison and hashing, and the operators and functions.
 *
 * Storage. A json value is the text it was given (checked, kept as typed).
 * A jsonb value is its normal form as text, which is jsonb_out's output:
 *
 *   - object keys sorted as PostgreSQL stores them (shorter first, then
 *     bytewise), each key once (the last one written wins);
 *   - numbers as numeric_out writes them (so the number text is a numeric
 *     Value's own form, numeric.c), strings with escape_json's escapes
 *     (\" \\ \b \f \n \r \t and \u00XX for other control characters);
 *   - ", " between items and ": " after keys, no other white space.
 *
 * Output is the stored text as it is, and comparison and hashing read it
 * without parsing it into a tree (canon_*): they allocate nothing.
 * Operators parse values into JsonNode trees in the statement's arena.
 *
 * Order (jsonb_cmp): object > array > boolean > number > string > null;
 * containers of one kind by their number of items first, then item by item
 * (an object's pairs in stored key order, key then value). A top-level
 * scalar is PostgreSQL's "raw scalar", a one-element array that sorts
 * below a real one-element array.
 *
 * INTERFACE (types-internal): types__json_from_text, types__jsonb_from_text,
 *   types__jsonb_compare, types__jsonb_hash, types__json_cast and the
 *   functions and operators named in types.def; json_escape_string (types.h)
 */
#include "types/types_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* PostgreSQL's jbvType order, which jsonb comparison follows. */
typedef enum JsonKind {
    JSON_NULL = 0,
    JSON_STRING,
    JSON_NUMBER,
    JSON_BOOL,
    JSON_ARRAY = 0x10,
    JSON_OBJECT,
} JsonKind;

typedef struct JsonNode {
    uint8_t kind; /* JsonKind */
    bool b;
    uint32_t n;             /* string and number: bytes of s; array: elements; object: pairs */
    const char *s;          /* a string (unescaped when the parse decodes), a number's text */
    struct JsonNode *items; /* array: n elements; object: 2n nodes, key then value */
    const char *src;        /* the node's text in the input (json's operators return it) */
    uint32_t srclen;
} JsonNode;

static bool is_container(const JsonNode *n) { return n->kind >= JSON_ARRAY; }

/* ---- the lexer and parser (PostgreSQL's jsonapi.c) ---------------------------------
 * A recursive descent over tokens; the next token is read as soon as one
 * is consumed, so a bad token is reported before a misplaced one, as
 * PostgreSQL does. Errors carry PostgreSQL's DETAIL and its CONTEXT line:
 * the input's line up to the end of the bad token (at most 50 bytes of it). */

typedef enum Tok {
    TOK_INVALID, /* while a token is read: only the end of the input is TOK_END */
    TOK_END,
    TOK_OBJECT_START,
    TOK_OBJECT_END,
    TOK_ARRAY_START,
    TOK_ARRAY_END,
    TOK_COMMA,
    TOK_COLON,
    TOK_STRING,
    TOK_NUMBER,
    TOK_TRUE,
    TOK_FALSE,
    TOK_NULL,
} Tok;

typedef struct Lexer {
    const char *input, *end;
    const char *start, *stop; /* the current token */
    Tok tok;
    int line;
    const char *line_start;
    bool decode;      /* unescape strings (jsonb, and operators) or only check them (json_in) */
    const char *str;  /* the current string token, unescaped when decoding */
    uint32_t str_len; /* ... its length */
    Arena *arena;
    Error *err;
} Lexer;

static bool json_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           (unsigned char)c >= 0x80;
}

static void json_context(Lexer *lx) {
    const char *from = lx->line_start, *to = lx->stop;
    while (to - from >= 50) /* a character at a time */
        do from++;
        while (from < to && ((unsigned char)*from & 0xC0) == 0x80);
    if (from - lx->line_start <= 3) from = lx->line_start;
    bool more = lx->tok != TOK_END && to < lx->end && *to != '\n' && *to != '\r';
    error_context(lx->err, "JSON data, line %d: %s%.*s%s", lx->line, from > lx->line_start ? "..." : "",
                  (int)(to - from), from, more ? "..." : "");
}

static bool json_fail(Lexer *lx, const char *fmt, ...) PRINTF_LIKE(2, 3);
static bool json_fail(Lexer *lx, const char *fmt, ...) {
    error_set(lx->err, SQLSTATE_INVALID_TEXT_REPRESENTATION, "invalid input syntax for type json");
    char detail[400]; /* PostgreSQL's DETAIL */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    error_detail(lx->err, "%s", detail);
    json_context(lx);
    return false;
}

static bool invalid_token(Lexer *lx) {
    return json_fail(lx, "Token \"%.*s\" is invalid.", (int)(lx->stop - lx->start), lx->start);
}

static void put_utf8(StrBuf *b, uint32_t c) {
    char u[4];
    int n;
    if (c < 0x80)
        u[0] = (char)c, n = 1;
    else if (c < 0x800)
        u[0] = (char)(0xC0 | c >> 6), u[1] = (char)(0x80 | (c & 0x3F)), n = 2;
    else if (c < 0x10000)
        u[0] = (char)(0xE0 | c >> 12), u[1] = (char)(0x80 | ((c >> 6) & 0x3F)), u[2] = (char)(0x80 | (c & 0x3F)), n = 3;
    else
        u[0] = (char)(0xF0 | c >> 18), u[1] = (char)(0x80 | ((c >> 12) & 0x3F)),
        u[2] = (char)(0x80 | ((c >> 6) & 0x3F)), u[3] = (char)(0x80 | (c & 0x3F)), n = 4;
    strbuf_append(b, u, (size_t)n);
}

/* \uXXXX at s (s at the 'u'); *stop past the bad character on error. */
static int hex4(const char *s, const char *end, const char **stop) {
    int c = 0;
    for (int i = 1; i <= 4; i++) {
        if (s + i >= end) return *stop = end, -2;
        int h = types__hex_value(s[i]);
        if (h < 0) return *stop = s + i + 1, -1;
        c = c * 16 + h;
    }
    return c;
}

static bool lex_string(Lexer *lx, StrBuf *b) {
    const char *s = lx->start;
    int hi = -1;
    bool plain = true; /* no escapes: the token's own bytes */
    strbuf_reset(b);
    for (;;) {
        s++;
        if (s >= lx->end) return lx->stop = s, invalid_token(lx);
        if (*s == '"') break;
        if ((unsigned char)*s < 32) {
            lx->stop = s;
            return json_fail(lx, "Character with value 0x%02x must be escaped.", (unsigned char)*s);
        }
        if (*s != '\\') {
            if (hi != -1) goto low_surrogate;
            if (lx->decode) strbuf_append_char(b, *s);
            continue;
        }
        plain = false;
        if (++s >= lx->end) return lx->stop = s, invalid_token(lx);
        if (*s == 'u') {
            int c = hex4(s, lx->end, &lx->stop);
            if (c == -2) return invalid_token(lx);
            if (c < 0) return json_fail(lx, "\"\\u\" must be followed by four hexadecimal digits.");
            s += 4;
            if (!lx->decode) continue;
            lx->stop = s + 1;
            if (c >= 0xD800 && c <= 0xDBFF) {
                if (hi != -1) return json_fail(lx, "Unicode high surrogate must not follow a high surrogate.");
                hi = c;
                continue;
            }
            if (c >= 0xDC00 && c <= 0xDFFF) {
                if (hi == -1) goto low_surrogate_at_stop;
                c = 0x10000 + ((hi - 0xD800) << 10) + (c - 0xDC00);
                hi = -1;
            }
            if (hi != -1) goto low_surrogate_at_stop;
            if (c == 0) {
                error_set(lx->err, SQLSTATE_UNTRANSLATABLE_CHARACTER, "unsupported Unicode escape sequence");
                error_detail(lx->err, "\\u0000 cannot be converted to text.");
                json_context(lx);
                return false;
            }
            put_utf8(b, (uint32_t)c);
            continue;
        }
        if (lx->decode && hi != -1) goto low_surrogate;
        static const char ESC[] = "\"\\/bfnrt", VAL[] = "\"\\/\b\f\n\r\t";
        const char *e = strchr(ESC, *s);
        if (!e || !*s) {
            lx->start = s;
            lx->stop = s + 1;
            while (lx->stop < lx->end && ((unsigned char)*lx->stop & 0xC0) == 0x80) lx->stop++;
            return json_fail(lx, "Escape sequence \"\\%.*s\" is invalid.", (int)(lx->stop - s), s);
        }
        if (lx->decode) strbuf_append_char(b, VAL[e - ESC]);
    }
    if (hi != -1) {
        lx->stop = s + 1;
        return json_fail(lx, "Unicode low surrogate must follow a high surrogate.");
    }
    lx->stop = s + 1;
    if (plain || !lx->decode) {
        lx->str = lx->start + 1;
        lx->str_len = (uint32_t)(s - lx->start - 1);
    } else {
        lx->str = arena_strndup(lx->arena, b->data, b->len);
        lx->str_len = (uint32_t)b->len;
    }
    return true;
low_surrogate:
    lx->stop = s + 1;
low_surrogate_at_stop:
    return json_fail(lx, "Unicode low surrogate must follow a high surrogate.");
}

static bool lex_number(Lexer *lx, const char *s) {
    const char *e = lx->end;
    bool bad = false;
    if (s < e && *s == '0')
        s++;
    else if (s < e && *s >= '1' && *s <= '9')
        while (s < e && *s >= '0' && *s <= '9') s++;
    else
        bad = true;
    if (s < e && *s == '.') {
        s++;
        if (s == e || *s < '0' || *s > '9')
            bad = true;
        else
            while (s < e && *s >= '0' && *s <= '9') s++;
    }
    if (s < e && (*s == 'e' || *s == 'E')) {
        s++;
        if (s < e && (*s == '+' || *s == '-')) s++;
        if (s == e || *s < '0' || *s > '9')
            bad = true;
        else
            while (s < e && *s >= '0' && *s <= '9') s++;
    }
    for (; s < e && json_alnum(*s); s++) bad = true;
    lx->stop = s;
    if (bad) return invalid_token(lx);
    lx->str = lx->start;
    lx->str_len = (uint32_t)(s - lx->start);
    return true;
}

static bool lex(Lexer *lx, StrBuf *b) {
    const char *s = lx->stop;
    while (s < lx->end && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'))
        if (*s++ == '\n') lx->line++, lx->line_start = s;
    lx->start = s;
    lx->tok = TOK_INVALID;
    if (s >= lx->end) {
        lx->tok = TOK_END;
        lx->stop = s;
        return true;
    }
    lx->stop = s + 1;
    switch (*s) {
    case '{': lx->tok = TOK_OBJECT_START; return true;
    case '}': lx->tok = TOK_OBJECT_END; return true;
    case '[': lx->tok = TOK_ARRAY_START; return true;
    case ']': lx->tok = TOK_ARRAY_END; return true;
    case ',': lx->tok = TOK_COMMA; return true;
    case ':': lx->tok = TOK_COLON; return true;
    case '"': lx->tok = TOK_STRING; return lex_string(lx, b);
    case '-': lx->tok = TOK_NUMBER; return lex_number(lx, s + 1);
    default: break;
    }
    if (*s >= '0' && *s <= '9') return lx->tok = TOK_NUMBER, lex_number(lx, s);
    const char *p = s;
    while (p < lx->end && json_alnum(*p)) p++;
    if (p == s) return invalid_token(lx); /* stop is s + 1: that one character */
    lx->stop = p;
    if (p - s == 4 && !memcmp(s, "true", 4)) return lx->tok = TOK_TRUE, true;
    if (p - s == 4 && !memcmp(s, "null", 4)) return lx->tok = TOK_NULL, true;
    if (p - s == 5 && !memcmp(s, "false", 5)) return lx->tok = TOK_FALSE, true;
    return invalid_token(lx);
}

/* What was expected where the current token is: PostgreSQL's wording. */
static bool unexpected(Lexer *lx, const char *expected) {
    if (lx->tok == TOK_END) return json_fail(lx, "The input string ended unexpectedly.");
    return json_fail(lx, "Expected %s, but found \"%.*s\".", expected, (int)(lx->stop - lx->start), lx->start);
}

/* Children collected while parsing a container, doubled in the arena. */
typedef struct Items {
    JsonNode *v;
    uint32_t n, cap;
} Items;

static JsonNode *items_push(Items *it, Arena *a) {
    if (it->n == it->cap) {
        uint32_t cap = it->cap ? it->cap * 2 : 8;
        JsonNode *v = arena_alloc(a, cap * sizeof *v);
        if (it->n) memcpy(v, it->v, it->n * sizeof *v);
        it->v = v, it->cap = cap;
    }
    return &it->v[it->n++];
}

static bool parse_value(Lexer *lx, StrBuf *b, JsonNode *out);

static bool parse_scalar(Lexer *lx, StrBuf *b, JsonNode *out) {
    memset(out, 0, sizeof *out);
    out->src = lx->start;
    switch (lx->tok) {
    case TOK_STRING: out->kind = JSON_STRING; break;
    case TOK_NUMBER: out->kind = JSON_NUMBER; break;
    case TOK_TRUE:
    case TOK_FALSE: out->kind = JSON_BOOL, out->b = lx->tok == TOK_TRUE; break;
    case TOK_NULL: out->kind = JSON_NULL; break;
    default: return unexpected(lx, "JSON value");
    }
    out->s = lx->str;
    out->n = lx->str_len;
    out->srclen = (uint32_t)(lx->stop - lx->start);
    return lex(lx, b);
}

static bool parse_container(Lexer *lx, StrBuf *b, JsonNode *out) {
    if (!stack_check(lx->err)) return false;
    bool object = lx->tok == TOK_OBJECT_START;
    Tok close = object ? TOK_OBJECT_END : TOK_ARRAY_END;
    memset(out, 0, sizeof *out);
    out->kind = object ? JSON_OBJECT : JSON_ARRAY;
    out->src = lx->start;
    Items it = {0};
    if (!lex(lx, b)) return false;
    if (lx->tok != close) {
        if (object && lx->tok != TOK_STRING) return unexpected(lx, "string or \"}\"");
        for (;;) {
            if (object) {
                if (lx->tok != TOK_STRING) return unexpected(lx, "string");
                if (!parse_scalar(lx, b, items_push(&it, lx->arena))) return false;
                if (lx->tok != TOK_COLON) return unexpected(lx, "\":\"");
                if (!lex(lx, b)) return false;
            }
            if (!parse_value(lx, b, items_push(&it, lx->arena))) return false;
            if (lx->tok != TOK_COMMA) break;
            if (!lex(lx, b)) return false;
        }
        if (lx->tok != close) return unexpected(lx, object ? "\",\" or \"}\"" : "\",\" or \"]\"");
    }
    out->items = it.v;
    out->n = object ? it.n / 2 : it.n;
    out->srclen = (uint32_t)(lx->stop - out->src);
    return lex(lx, b);
}

static bool parse_value(Lexer *lx, StrBuf *b, JsonNode *out) {
    if (lx->tok == TOK_OBJECT_START || lx->tok == TOK_ARRAY_START) return parse_container(lx, b, out);
    return parse_scalar(lx, b, out);
}

/* Parses a whole json text. decode: strings unescaped (and \u escapes
 * checked as jsonb checks them); otherwise only checked, as json_in does. */
static bool json_parse(const char *s, size_t len, bool decode, Arena *arena, JsonNode *out, Error *err) {
    Lexer lx = {.input = s,
                .end = s + len,
                .stop = s,
                .line = 1,
                .line_start = s,
                .decode = decode,
                .arena = arena,
                .err = err};
    StrBuf b;
    strbuf_init(&b);
    bool ok = lex(&lx, &b) && parse_value(&lx, &b, out) && (lx.tok == TOK_END || unexpected(&lx, "end of input"));
    strbuf_deinit(&b);
    return ok;
}

/* ---- writing json text ------------------------------------------------------------ */

/* escape_json: a quoted string. */
void json_escape_string(StrBuf *b, const char *s, size_t n) {
    strbuf_append_char(b, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': strbuf_append(b, "\\\"", 2); break;
        case '\\': strbuf_append(b, "\\\\", 2); break;
        case '\b': strbuf_append(b, "\\b", 2); break;
        case '\f': strbuf_append(b, "\\f", 2); break;
        case '\n': strbuf_append(b, "\\n", 2); break;
        case '\r': strbuf_append(b, "\\r", 2); break;
        case '\t': strbuf_append(b, "\\t", 2); break;
        default:
            if (c < 0x20)
                strbuf_appendf(b, "\\u%04x", c);
            else
                strbuf_append_char(b, (char)c);
        }
    }
    strbuf_append_char(b, '"');
}

/* jsonb_out's form of a (normalised) tree; indent >= 0 is jsonb_pretty's. */
static void put_jsonb(StrBuf *b, const JsonNode *n, int indent) {
    switch (n->kind) {
    case JSON_NULL: strbuf_append(b, "null", 4); return;
    case JSON_BOOL: strbuf_append_str(b, n->b ? "true" : "false"); return;
    case JSON_NUMBER: strbuf_append(b, n->s, n->n); return;
    case JSON_STRING: json_escape_string(b, n->s, n->n); return;
    default: break;
    }
    bool object = n->kind == JSON_OBJECT;
    strbuf_append_char(b, object ? '{' : '[');
    for (uint32_t i = 0; i < n->n; i++) {
        if (i) strbuf_append_char(b, ',');
        if (indent >= 0)
            strbuf_appendf(b, "\n%*s", 4 * (indent + 1), "");
        else if (i)
            strbuf_append_char(b, ' ');
        if (object) {
            json_escape_string(b, n->items[2 * i].s, n->items[2 * i].n);
            strbuf_append(b, ": ", 2);
        }
        put_jsonb(b, &n->items[object ? 2 * i + 1 : i], indent >= 0 ? indent + 1 : -1);
    }
    if (indent >= 0) strbuf_appendf(b, "\n%*s", 4 * indent, "");
    strbuf_append_char(b, object ? '}' : ']');
}

static Value buf_value(TypeId t, StrBuf *b, Arena *arena) {
    Value v = value_string(t, arena_strndup(arena, b->data ? b->data : "", b->len), (uint32_t)b->len);
    strbuf_deinit(b);
    return v;
}

static Value jsonb_value(const JsonNode *n, Arena *arena) {
    StrBuf b;
    strbuf_init(&b);
    put_jsonb(&b, n, -1);
    return buf_value(TYPE_JSONB, &b, arena);
}

/* ---- jsonb's normal form ------------------------------------------------------------- */

static int key_order(const JsonNode *a, const JsonNode *b) {
    if (a->n != b->n) return a->n < b->n ? -1 : 1;
    return memcmp(a->s, b->s, a->n);
}

/* Keys sorted shorter first, then bytewise; of equal keys the last written
 * stays (a stable insertion sort over pairs; objects are small). Numbers
 * become numeric's form. */
static bool normalise(JsonNode *n, Arena *arena, Error *err) {
    if (n->kind == JSON_NUMBER) {
        Value v;
        if (!numeric_from_text(n->s, n->n, arena, &v, err)) return false;
        n->s = v.u.s, n->n = v.len;
        return true;
    }
    if (!is_container(n)) return true;
    if (!stack_check(err)) return false;
    uint32_t count = n->kind == JSON_OBJECT ? 2 * n->n : n->n;
    for (uint32_t i = 0; i < count; i++)
        if (!normalise(&n->items[i], arena, err)) return false;
    if (n->kind != JSON_OBJECT) return true;
    JsonNode *p = n->items;
    for (uint32_t i = 1; i < n->n; i++) {
        JsonNode k = p[2 * i], v = p[2 * i + 1];
        uint32_t j = i;
        while (j > 0 && key_order(&p[2 * (j - 1)], &k) > 0) {
            p[2 * j] = p[2 * (j - 1)], p[2 * j + 1] = p[2 * (j - 1) + 1];
            j--;
        }
        p[2 * j] = k, p[2 * j + 1] = v;
    }
    uint32_t out = 0;
    for (uint32_t i = 0; i < n->n; i++) {
        if (out && key_order(&p[2 * (out - 1)], &p[2 * i]) == 0) out--; /* a later duplicate replaces it */
        p[2 * out] = p[2 * i], p[2 * out + 1] = p[2 * i + 1];
        out++;
    }
    n->n = out;
    return true;
}

bool types__json_from_text(const char *s, size_t len, Arena *arena, Value *out, Error *err) {
    JsonNode n;
    ArenaMark m = arena_mark(arena);
    if (!json_parse(s, len, false, arena, &n, err)) return false;
    arena_rewind(arena, m);
    *out = value_string(TYPE_JSON, arena_strndup(arena, s, len), (uint32_t)len);
    return true;
}

bool types__jsonb_from_text(const char *s, size_t len, Arena *arena, Value *out, Error *err) {
    JsonNode n;
    if (!json_parse(s, len, true, arena, &n, err) || !normalise(&n, arena, err)) return false;
    *out = jsonb_value(&n, arena);
    return true;
}

/* A json or jsonb value as a tree (a jsonb's text is already normal). */
static bool parse_arg(const Value *v, Arena *arena, JsonNode *out, Error *err) {
    return json_parse(v->u.s, v->len, true, arena, out, err);
}

/* ---- comparing and hashing jsonb's stored text ------------------------------------- */

static JsonKind canon_kind(const char *p) {
    switch (*p) {
    case '{': return JSON_OBJECT;
    case '[': return JSON_ARRAY;
    case '"': return JSON_STRING;
    case 't':
    case 'f': return JSON_BOOL;
    case 'n': return JSON_NULL;
    default: return JSON_NUMBER;
    }
}

static const char *canon_skip(const char *p) {
    switch (canon_kind(p)) {
    case JSON_STRING:
        for (p++; *p != '"'; p++)
            if (*p == '\\') p++;
        return p + 1;
    case JSON_BOOL: return p + (*p == 't' ? 4 : 5);
    case JSON_NULL: return p + 4;
    case JSON_NUMBER:
        while (*p == '-' || *p == '.' || (*p >= '0' && *p <= '9')) p++;
        return p;
    default: break;
    }
    int depth = 0;
    do {
        if (*p == '"') {
            p = canon_skip(p);
            continue;
        }
        if (*p == '{' || *p == '[')
            depth++;
        else if (*p == '}' || *p == ']')
            depth--;
        p++;
    } while (depth);
    return p;
}

/* The first item of the container at p (NULL if empty); canon_next moves
 * past an item (a pair counts as key and value) to the next or NULL. */
static const char *canon_first(const char *p) { return p[1] == '}' || p[1] == ']' ? NULL : p + 1; }
static const char *canon_next(const char *p, bool object) {
    p = canon_skip(p);
    if (object) p = canon_skip(p + 2); /* ": " then the value */
    return *p == ',' ? p + 2 : NULL;
}

static uint32_t canon_count(const char *p) {
    bool object = *p == '{';
    uint32_t n = 0;
    for (const char *i = canon_first(p); i; i = canon_next(i, object)) n++;
    return n;
}

/* The next byte of an escaped string (p inside it), or -1 at its end. */
static int canon_char(const char **p) {
    const char *s = *p;
    if (*s == '"') return -1;
    if (*s != '\\') return *p = s + 1, (unsigned char)*s;
    static const char ESC[] = "\"\\/bfnrt", VAL[] = "\"\\/\b\f\n\r\t";
    if (s[1] == 'u') {
        *p = s + 6;
        return types__hex_value(s[4]) * 16 + types__hex_value(s[5]);
    }
    *p = s + 2;
    return (unsigned char)VAL[strchr(ESC, s[1]) - ESC];
}

static int canon_string_compare(const char *a, const char *b) {
    a++, b++;
    for (;;) {
        int x = canon_char(&a), y = canon_char(&b);
        if (x != y) return x < y ? -1 : 1; /* the end (-1) sorts first: a shorter prefix */
        if (x < 0) return 0;
    }
}

static Value canon_number(const char *p) { return value_string(TYPE_NUMERIC, p, (uint32_t)(canon_skip(p) - p)); }

static int canon_compare(const char *a, const char *b);

static int canon_compare_items(const char *a, const char *b) {
    bool object = *a == '{';
    for (a = canon_first(a), b = canon_first(b); a && b; a = canon_next(a, object), b = canon_next(b, object)) {
        int c = canon_compare(a, b);
        if (c == 0 && object) c = canon_compare(canon_skip(a) + 2, canon_skip(b) + 2);
        if (c) return c;
    }
    return 0;
}

static int canon_compare(const char *a, const char *b) {
    JsonKind ka = canon_kind(a), kb = canon_kind(b);
    if (ka != kb) return ka > kb ? 1 : -1;
    switch (ka) {
    case JSON_NULL: return 0;
    case JSON_BOOL: return (*a == 't') - (*b == 't');
    case JSON_STRING: return canon_string_compare(a, b);
    case JSON_NUMBER: {
        Value x = canon_number(a), y = canon_number(b);
        return numeric_compare(&x, &y);
    }
    default: break;
    }
    uint32_t na = canon_count(a), nb = canon_count(b);
    if (na != nb) return na > nb ? 1 : -1;
    return canon_compare_items(a, b);
}

int types__jsonb_compare(const Value *x, const Value *y) {
    const char *a = x->u.s, *b = y->u.s;
    bool raw_a = canon_kind(a) < JSON_ARRAY, raw_b = canon_kind(b) < JSON_ARRAY; /* scalars */
    if (!raw_a && !raw_b) return canon_compare(a, b);
    /* a raw scalar is a one-element array, below a real one of one element */
    JsonKind ka = raw_a ? JSON_ARRAY : canon_kind(a), kb = raw_b ? JSON_ARRAY : canon_kind(b);
    if (ka != kb) return ka > kb ? 1 : -1;
    uint32_t na = raw_a ? 1 : canon_count(a), nb = raw_b ? 1 : canon_count(b);
    if (na != nb) return na > nb ? 1 : -1;
    if (raw_a != raw_b) return raw_a ? -1 : 1;
    return canon_compare(a, b);
}

static uint64_t canon_hash(const char *p) {
    JsonKind k = canon_kind(p);
    switch (k) {
    case JSON_NULL: return 0x6e756c6cULL;
    case JSON_BOOL: return *p == 't' ? 0x74727565ULL : 0x66616c73ULL;
    case JSON_STRING: return hash_bytes(p, (size_t)(canon_skip(p) - p), 1); /* escapes are canonical */
    case JSON_NUMBER: {
        Value v = canon_number(p);
        return numeric_hash(&v);
    }
    default: break;
    }
    uint64_t h = hash_mix(k);
    bool object = k == JSON_OBJECT;
    for (const char *i = canon_first(p); i; i = canon_next(i, object)) {
        h = hash_mix(h ^ canon_hash(i));
        if (object) h = hash_mix(h ^ canon_hash(canon_skip(i) + 2));
    }
    return h;
}

uint64_t types__jsonb_hash(const Value *v) { return canon_hash(v->u.s); }

/* ---- values of other types as json (PostgreSQL's datum_to_json) -------------------- */

static bool number_is_json(const char *s, int len) {
    for (int i = 0; i < len; i++)
        if (!(s[i] == '-' || s[i] == '+' || s[i] == '.' || s[i] == 'e' || (s[i] >= '0' && s[i] <= '9'))) return false;
    return len > 0;
}

/* Dates and times as JSON writes them (XSD): a 'T' between date and time,
 * and a zone offset with its minutes. */
static void put_datetime(StrBuf *b, const Value *v) {
    char buf[VALUE_TEXT_BUF];
    int len = types__datetime_to_text_style(v, buf, DATE_STYLE_ISO); /* whatever DateStyle says */
    const char *t = buf;
    strbuf_append_char(b, '"');
    if (v->type == TYPE_DATE || t[0] == 'i' || t[0] == '-') {
        strbuf_append(b, t, (size_t)len);
        strbuf_append_char(b, '"');
        return;
    }
    const char *bc = len > 3 && !memcmp(t + len - 3, " BC", 3) ? t + len - 3 : t + len;
    const char *space = memchr(t, ' ', (size_t)(bc - t));
    strbuf_append(b, t, (size_t)(space - t));
    strbuf_append_char(b, 'T');
    strbuf_append(b, space + 1, (size_t)(bc - space - 1));
    if (v->type == TYPE_TIMESTAMPTZ && bc - t >= 3 && (bc[-3] == '+' || bc[-3] == '-')) strbuf_append(b, ":00", 3);
    strbuf_append(b, bc, (size_t)(t + len - bc));
    strbuf_append_char(b, '"');
}

static void put_array(StrBuf *b, const Value *a, bool pretty);

static void put_datum(StrBuf *b, const Value *v) {
    if (v->isnull) return strbuf_append(b, "null", 4);
    if (type_is_array(v->type)) return put_array(b, v, false);
    char buf[VALUE_TEXT_BUF];
    int len;
    switch (v->type) {
    case TYPE_BOOL: return strbuf_append_str(b, v->u.b ? "true" : "false");
    case TYPE_JSON:
    case TYPE_JSONB: return strbuf_append(b, v->u.s, v->len);
    case TYPE_DATE:
    case TYPE_TIMESTAMP:
    case TYPE_TIMESTAMPTZ: return put_datetime(b, v);
    default: break;
    }
    const char *t = value_to_text(v, buf, &len);
    if (type_info(v->type)->category == TYPCAT_NUMERIC && number_is_json(t, len))
        return strbuf_append(b, t, (size_t)len);
    json_escape_string(b, t, (size_t)len);
}

/* A value of any type as a jsonb tree. */
static bool datum_node(const Value *v, Arena *arena, JsonNode *out, Error *err) {
    StrBuf b;
    strbuf_init(&b);
    put_datum(&b, v);
    Value text = buf_value(TYPE_TEXT, &b, arena);
    return json_parse(text.u.s, text.len, true, arena, out, err) && normalise(out, arena, err);
}

bool to_json(const Value *a, Arena *arena, Value *out, Error *err) {
    (void)err;
    StrBuf b;
    strbuf_init(&b);
    put_datum(&b, &a[0]);
    *out = buf_value(TYPE_JSON, &b, arena);
    return true;
}

bool to_jsonb(const Value *a, Arena *arena, Value *out, Error *err) {
    JsonNode n;
    if (!datum_node(&a[0], arena, &n, err)) return false;
    *out = jsonb_value(&n, arena);
    return true;
}

/* ---- builders ------------------------------------------------------------------------ */

static int count_args(const Value *args) {
    int n = 0;
    while (args[n].type != TYPE_INVALID) n++;
    return n;
}

static bool check_object_args(const Value *a, int n, bool jsonb, Error *err) {
    const char *fn = jsonb ? "jsonb_build_object" : "json_build_object";
    if (n % 2) {
        error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "argument list must have even number of elements");
        error_hint(err, "The arguments of %s() must consist of alternating keys and values.", fn);
        return false;
    }
    for (int i = 0; i < n; i += 2) {
        if (a[i].isnull && jsonb)
            return error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "argument %d: key must not be null", i + 1);
        if (a[i].isnull) {
            error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "argument %d cannot be null", i + 1);
            error_hint(err, "Object keys should be text.");
            return false;
        }
        if (a[i].type == TYPE_JSON || a[i].type == TYPE_JSONB)
            return error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE,
                             "key value must be scalar, not array, composite, or json");
    }
    return true;
}

/* A key is the value as json writes it, quoted if it is not a string already. */
static void put_key(StrBuf *b, const Value *k) {
    StrBuf v;
    strbuf_init(&v);
    put_datum(&v, k);
    if (v.data[0] == '"')
        strbuf_append(b, v.data, v.len);
    else
        json_escape_string(b, v.data, v.len);
    strbuf_deinit(&v);
}

static void build_object(StrBuf *b, const Value *a, int n, bool jsonb) {
    strbuf_append_char(b, '{');
    for (int i = 0; i < n; i += 2) {
        if (i) strbuf_append(b, ", ", 2);
        put_key(b, &a[i]);
        strbuf_append_str(b, jsonb ? ": " : " : ");
        put_datum(b, &a[i + 1]);
    }
    strbuf_append_char(b, '}');
}

static void build_array(StrBuf *b, const Value *a, int n) {
    strbuf_append_char(b, '[');
    for (int i = 0; i < n; i++) {
        if (i) strbuf_append(b, ", ", 2);
        put_datum(b, &a[i]);
    }
    strbuf_append_char(b, ']');
}

/* Text built as json, then parsed and normalised as jsonb. */
static bool text_as_jsonb(StrBuf *b, Arena *arena, Value *out, Error *err) {
    Value t = buf_value(TYPE_TEXT, b, arena);
    return types__jsonb_from_text(t.u.s, t.len, arena, out, err);
}

bool json_build_object(const Value *a, Arena *arena, Value *out, Error *err) {
    int n = count_args(a);
    if (!check_object_args(a, n, false, err)) return false;
    StrBuf b;
    strbuf_init(&b);
    build_object(&b, a, n, false);
    *out = buf_value(TYPE_JSON, &b, arena);
    return true;
}

bool jsonb_build_object(const Value *a, Arena *arena, Value *out, Error *err) {
    int n = count_args(a);
    if (!check_object_args(a, n, true, err)) return false;
    StrBuf b;
    strbuf_init(&b);
    build_object(&b, a, n, true);
    return text_as_jsonb(&b, arena, out, err);
}

bool json_build_array(const Value *a, Arena *arena, Value *out, Error *err) {
    (void)err;
    StrBuf b;
    strbuf_init(&b);
    build_array(&b, a, count_args(a));
    *out = buf_value(TYPE_JSON, &b, arena);
    return true;
}

bool jsonb_build_array(const Value *a, Arena *arena, Value *out, Error *err) {
    StrBuf b;
    strbuf_init(&b);
    build_array(&b, a, count_args(a));
    return text_as_jsonb(&b, arena, out, err);
}

/* ---- field and element access -------------------------------------------------------- */

static const JsonNode *object_field(const JsonNode *n, const char *key, size_t len) {
    if (n->kind != JSON_OBJECT) return NULL;
    const JsonNode *found = NULL;
    for (uint32_t i = 0; i < n->n; i++) /* json may repeat a key: the last one counts */
        if (n->items[2 * i].n == len && !memcmp(n->items[2 * i].s, key, len)) found = &n->items[2 * i + 1];
    return found;
}

/* jsonb's raw scalar is an array of one: its element 0 (or -1) is itself. */
static const JsonNode *json_array_item(const JsonNode *n, int64_t i, bool raw_scalar) {
    if (raw_scalar && !is_container(n)) return i == 0 || i == -1 ? n : NULL;
    if (n->kind != JSON_ARRAY) return NULL;
    if (i < 0) i += n->n;
    return i >= 0 && i < n->n ? &n->items[i] : NULL;
}

/* A found node as the operator's result: json's own text, jsonb's normal
 * form, or (as_text) text: a string unescaped, null as SQL NULL. */
static void node_result(const JsonNode *n, TypeId type, bool as_text, Arena *arena, Value *out) {
    if (!n || (as_text && n->kind == JSON_NULL)) {
        *out = value_null(as_text ? TYPE_TEXT : type);
        return;
    }
    if (as_text && n->kind == JSON_STRING) {
        *out = value_string(TYPE_TEXT, arena_strndup(arena, n->s, n->n), n->n);
        return;
    }
    if (type == TYPE_JSON)
        *out = value_string(TYPE_JSON, arena_strndup(arena, n->src, n->srclen), n->srclen);
    else
        *out = jsonb_value(n, arena);
    if (as_text) out->type = TYPE_TEXT;
}

/* ---- set-returning functions, as arrays of their rows ----------------------------
 * The planner runs json(b)_array_elements[_text] and json(b)_object_keys
 * as unnest of these (so they share unnest's operator). */

static bool elements_array(const Value *a, bool as_text, const char *fname, Arena *arena, Value *out, Error *err) {
    JsonNode n;
    bool jsonb = a[0].type == TYPE_JSONB;
    if (!parse_arg(&a[0], arena, &n, err)) return false;
    if (n.kind != JSON_ARRAY) {
        if (jsonb)
            return error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "cannot extract elements from %s",
                             n.kind == JSON_OBJECT ? "an object" : "a scalar");
        return error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "cannot call %s on %s", fname,
                         n.kind == JSON_OBJECT ? "a non-array" : "a scalar");
    }
    Value *items = arena_alloc(arena, (n.n + 1) * sizeof *items);
    for (uint32_t i = 0; i < n.n; i++) node_result(&n.items[i], a[0].type, as_text, arena, &items[i]);
    array_make(as_text ? TYPE_TEXTARRAY : jsonb ? TYPE_JSONBARRAY : TYPE_JSONARRAY, 1, items, n.n, arena, out);
    return true;
}

bool json_array_elements_rows(const Value *a, Arena *arena, Value *out, Error *err) {
    return elements_array(a, false, "json_array_elements", arena, out, err);
}
bool json_array_elements_text_rows(const Value *a, Arena *arena, Value *out, Error *err) {
    return elements_array(a, true, "json_array_elements_text", arena, out, err);
}

bool json_object_keys_rows(const Value *a, Arena *arena, Value *out, Error *err) {
    JsonNode n;
    const char *fname = a[0].type == TYPE_JSONB ? "jsonb_object_keys" : "json_object_keys";
    if (!parse_arg(&a[0], arena, &n, err)) return false;
    if (n.kind != JSON_OBJECT)
        return error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "cannot call %s on %s", fname,
                         n.kind == JSON_ARRAY ? "an array" : "a scalar");
    Value *keys = arena_alloc(arena, (n.n + 1) * sizeof *keys);
    for (uint32_t i = 0; i < n.n; i++) node_result(&n.items[2 * i], a[0].type, true, arena, &keys[i]);
    array_make(TYPE_TEXTARRAY, 1, keys, n.n, arena, out);
    return true;
}

/* json(b)_each[_text]'s two columns, each as an array: the keys, the values. */
static bool each_array(const Value *a, int what, Arena *arena, Value *out, Error *err) {
    JsonNode n;
    bool jsonb = a[0].type == TYPE_JSONB;
    if (!parse_arg(&a[0], arena, &n, err)) return false;
    if (n.kind != JSON_OBJECT) {
        if (jsonb) return error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "cannot call jsonb_each on a non-object");
        return error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "cannot deconstruct %s",
                         n.kind == JSON_ARRAY ? "an array as an object" : "a scalar");
    }
    bool keys = what == 0, as_text = what == 2;
    Value *items = arena_alloc(arena, (n.n + 1) * sizeof *items);
    for (uint32_t i = 0; i < n.n; i++)
        node_result(&n.items[2 * i + !keys], a[0].type, keys || as_text, arena, &items[i]);
    TypeId type = keys || as_text ? TYPE_TEXTARRAY : jsonb ? TYPE_JSONBARRAY : TYPE_JSONARRAY;
    array_make(type, 1, items, n.n, arena, out);
    return true;
}

bool json_each_keys_rows(const Value *a, Arena *arena, Value *out, Error *err) {
    return each_array(a, 0, arena, out, err);
}
bool json_each_values_rows(const Value *a, Arena *arena, Value *out, Error *err) {
    return each_array(a, 1, arena, out, err);
}
bool json_each_text_values_rows(const Value *a, Arena *arena, Value *out, Error *err) {
    return each_array(a, 2, arena, out, err);
}

static bool field(const Value *a, bool as_text, Arena *arena, Value *out, Error *err) {
    JsonNode n;
    if (!parse_arg(&a[0], arena, &n, err)) return false;
    node_result(object_field(&n, a[1].u.s, a[1].len), a[0].type, as_text, arena, out);
    return true;
}

static bool element(const Value *a, bool as_text, Arena *arena, Value *out, Error *err) {
    JsonNode n;
    if (!parse_arg(&a[0], arena, &n, err)) return false;
    node_result(json_array_item(&n, a[1].u.i, a[0].type == TYPE_JSONB), a[0].type, as_text, arena, out);
    return true;
}

bool json_object_field(const Value *a, Arena *arena, Value *out, Error *err) {
    return field(a, false, arena, out, err);
}
bool json_object_field_text(const Value *a, Arena *arena, Value *out, Error *err) {
    return field(a, true, arena, out, err);
}
bool json_array_element(const Value *a, Arena *arena, Value *out, Error *err) {
    return element(a, false, arena, out, err);
}
bool json_array_element_text(const Value *a, Arena *arena, Value *out, Error *err) {
    return element(a, true, arena, out, err);
}

/* ---- about a value --------------------------------------------------------------------- */

static const char *kind_name(const JsonNode *n) {
    switch (n->kind) {
    case JSON_OBJECT: return "object";
    case JSON_ARRAY: return "array";
    case JSON_STRING: return "string";
    case JSON_NUMBER: return "number";
    case JSON_BOOL: return "boolean";
    default: return "null";
    }
}

bool json_typeof(const Value *a, Arena *arena, Value *out, Error *err) {
    JsonNode n;
    if (!parse_arg(&a[0], arena, &n, err)) return false;
    const char *k = kind_name(&n);
    *out = value_string(TYPE_TEXT, k, (uint32_t)strlen(k));
    return true;
}

bool json_array_length(const Value *a, Arena *arena, Value *out, Error *err) {
    JsonNode n;
    if (!parse_arg(&a[0], arena, &n, err)) return false;
    if (n.kind != JSON_ARRAY)
        return error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "cannot get array length of a %s",
                         n.kind == JSON_OBJECT ? "non-array" : "scalar");
    *out = value_int(TYPE_INT4, n.n);
    return true;
}

bool jsonb_pretty(const Value *a, Arena *arena, Value *out, Error *err) {
    JsonNode n;
    if (!parse_arg(&a[0], arena, &n, err)) return false;
    StrBuf b;
    strbuf_init(&b);
    put_jsonb(&b, &n, is_container(&n) ? 0 : -1);
    *out = buf_value(TYPE_TEXT, &b, arena);
    return true;
}

static void strip_nulls(JsonNode *n) {
    if (!is_container(n)) return;
    bool object = n->kind == JSON_OBJECT;
    uint32_t out = 0;
    for (uint32_t i = 0; i < n->n; i++) {
        JsonNode *v = &n->items[object ? 2 * i + 1 : i];
        strip_nulls(v);
        if (!object) continue;
        if (v->kind == JSON_NULL) continue;
        n->items[2 * out] = n->items[2 * i], n->items[2 * out + 1] = *v;
        out++;
    }
    if (object) n->n = out;
}

/* json_strip_nulls keeps the rest as written: PostgreSQL rewrites it
 * compactly, without white space between tokens. */
static void put_json_compact(StrBuf *b, const JsonNode *n) {
    if (!is_container(n)) return strbuf_append(b, n->src, n->srclen);
    bool object = n->kind == JSON_OBJECT;
    strbuf_append_char(b, object ? '{' : '[');
    for (uint32_t i = 0; i < n->n; i++) {
        if (i) strbuf_append_char(b, ',');
        if (object) {
            strbuf_append(b, n->items[2 * i].src, n->items[2 * i].srclen);
            strbuf_append_char(b, ':');
        }
        put_json_compact(b, &n->items[object ? 2 * i + 1 : i]);
    }
    strbuf_append_char(b, object ? '}' : ']');
}

bool json_strip_nulls(const Value *a, Arena *arena, Value *out, Error *err) {
    JsonNode n;
    if (!parse_arg(&a[0], arena, &n, err)) return false;
    strip_nulls(&n);
    StrBuf b;
    strbuf_init(&b);
    if (a[0].type == TYPE_JSONB)
        put_jsonb(&b, &n, -1);
    else
        put_json_compact(&b, &n);
    *out = buf_value((TypeId)a[0].type, &b, arena);
    return true;
}

/* ---- jsonb's operators --------------------------------------------------------------- */

static bool scalar_equal(const JsonNode *a, const JsonNode *b) {
    if (a->kind != b->kind) return false;
    switch (a->kind) {
    case JSON_NULL: return true;
    case JSON_BOOL: return a->b == b->b;
    case JSON_STRING: return a->n == b->n && !memcmp(a->s, b->s, a->n);
    default: {
        Value x = value_string(TYPE_NUMERIC, a->s, a->n), y = value_string(TYPE_NUMERIC, b->s, b->n);
        return numeric_compare(&x, &y) == 0;
    }
    }
}

/* PostgreSQL's JsonbDeepContains: every pair of an object in the other
 * object (containers recursively), every element of an array somewhere in
 * the other array; a raw scalar contains only the scalar. */
static bool contains(const JsonNode *a, const JsonNode *b, bool top) {
    bool raw_a = top && !is_container(a), raw_b = top && !is_container(b);
    if (raw_a || raw_b) {
        JsonNode wrap_b = {.kind = JSON_ARRAY, .n = 1, .items = (JsonNode *)b};
        if (raw_a) return raw_b && scalar_equal(a, b);
        return a->kind == JSON_ARRAY && contains(a, &wrap_b, false);
    }
    if (a->kind != b->kind) return false;
    if (a->kind == JSON_OBJECT) {
        if (a->n < b->n) return false;
        for (uint32_t i = 0; i < b->n; i++) {
            const JsonNode *want = &b->items[2 * i + 1];
            const JsonNode *have = object_field(a, b->items[2 * i].s, b->items[2 * i].n);
            if (!have || have->kind != want->kind) return false;
            if (is_container(have) ? !contains(have, want, false) : !scalar_equal(have, want)) return false;
        }
        return true;
    }
    for (uint32_t i = 0; i < b->n; i++) {
        const JsonNode *want = &b->items[i];
        bool found = false;
        for (uint32_t j = 0; j < a->n && !found; j++) {
            const JsonNode *have = &a->items[j];
            if (have->kind != want->kind) continue;
            found = is_container(want) ? contains(have, want, false) : scalar_equal(have, want);
        }
        if (!found) return false;
    }
    return true;
}

static bool containment(const Value *a, const Value *b, Arena *arena, Value *out, Error *err) {
    JsonNode x, y;
    if (!parse_arg(a, arena, &x, err) || !parse_arg(b, arena, &y, err)) return false;
    *out = value_bool(contains(&x, &y, true));
    return true;
}

bool jsonb_contains(const Value *a, Arena *arena, Value *out, Error *err) {
    return containment(&a[0], &a[1], arena, out, err);
}
bool jsonb_contained(const Value *a, Arena *arena, Value *out, Error *err) {
    return containment(&a[1], &a[0], arena, out, err);
}

/* ? : a key of the object, or a string element of the array (or the scalar). */
static bool has_key(const JsonNode *n, const char *key, size_t len) {
    if (n->kind == JSON_OBJECT) return object_field(n, key, len) != NULL;
    if (n->kind == JSON_STRING) return n->n == len && !memcmp(n->s, key, len);
    if (n->kind != JSON_ARRAY) return false;
    for (uint32_t i = 0; i < n->n; i++)
        if (n->items[i].kind == JSON_STRING && n->items[i].n == len && !memcmp(n->items[i].s, key, len)) return true;
    return false;
}

bool jsonb_exists(const Value *a, Arena *arena, Value *out, Error *err) {
    JsonNode n;
    if (!parse_arg(&a[0], arena, &n, err)) return false;
    *out = value_bool(has_key(&n, a[1].u.s, a[1].len));
    return true;
}

static void copy_nodes(JsonNode *to, const JsonNode *from, size_t n) {
    if (n) memcpy(to, from, n * sizeof *to); /* an empty container has no items array */
}

/* || : objects merge (the right side's keys win); otherwise both sides as
 * arrays (a scalar or object as one element) concatenated. */
bool jsonb_concat(const Value *a, Arena *arena, Value *out, Error *err) {
    JsonNode x, y;
    if (!parse_arg(&a[0], arena, &x, err) || !parse_arg(&a[1], arena, &y, err)) return false;
    JsonNode r = {.kind = JSON_ARRAY};
    if (x.kind == JSON_OBJECT && y.kind == JSON_OBJECT) {
        r.kind = JSON_OBJECT;
        r.n = x.n + y.n;
        r.items = arena_alloc(arena, (2 * (size_t)r.n + 1) * sizeof *r.items);
        copy_nodes(r.items, x.items, 2 * x.n);
        copy_nodes(r.items + 2 * x.n, y.items, 2 * y.n);
        if (!normalise(&r, arena, err)) return false;
    } else {
        uint32_t nx = x.kind == JSON_ARRAY ? x.n : 1, ny = y.kind == JSON_ARRAY ? y.n : 1;
        r.n = nx + ny;
        r.items = arena_alloc(arena, ((size_t)r.n + 1) * sizeof *r.items);
        copy_nodes(r.items, x.kind == JSON_ARRAY ? x.items : &x, nx);
        copy_nodes(r.items + nx, y.kind == JSON_ARRAY ? y.items : &y, ny);
    }
    *out = jsonb_value(&r, arena);
    return true;
}

static bool cannot_delete_from_scalar(Error *err) {
    return error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "cannot delete from scalar");
}

/* jsonb - text: the key from an object, or every equal string from an array. */
bool jsonb_delete(const Value *a, Arena *arena, Value *out, Error *err) {
    JsonNode n;
    if (!parse_arg(&a[0], arena, &n, err)) return false;
    if (!is_container(&n)) return cannot_delete_from_scalar(err);
    bool object = n.kind == JSON_OBJECT;
    uint32_t kept = 0, width = object ? 2 : 1;
    for (uint32_t i = 0; i < n.n; i++) {
        const JsonNode *k = &n.items[width * i];
        if (k->kind == JSON_STRING && k->n == a[1].len && !memcmp(k->s, a[1].u.s, k->n)) continue;
        memmove(&n.items[width * kept], k, width * sizeof *k);
        kept++;
    }
    n.n = kept;
    *out = jsonb_value(&n, arena);
    return true;
}

/* jsonb - integer: the array's element at that index (negative from the end). */
bool jsonb_delete_idx(const Value *a, Arena *arena, Value *out, Error *err) {
    JsonNode n;
    if (!parse_arg(&a[0], arena, &n, err)) return false;
    if (!is_container(&n)) return cannot_delete_from_scalar(err);
    if (n.kind == JSON_OBJECT)
        return error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "cannot delete from object using integer index");
    int64_t i = a[1].u.i < 0 ? a[1].u.i + n.n : a[1].u.i;
    if (i >= 0 && i < n.n) {
        memmove(&n.items[i], &n.items[i + 1], (n.n - (size_t)i - 1) * sizeof *n.items);
        n.n--;
    }
    *out = jsonb_value(&n, arena);
    return true;
}

/* ---- casts ------------------------------------------------------------------------------- */

static bool cannot_cast(const JsonNode *n, TypeId to, Error *err) {
    const char *kind = n->kind == JSON_NUMBER ? "numeric" : kind_name(n); /* JsonbTypeName's words */
    return error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "cannot cast jsonb %s to type %s", kind,
                     type_info(to)->sql_name);
}

/* json <-> jsonb, and jsonb's scalars to bool and the number types;
 * *handled false for any other pair. */
bool types__json_cast(Value *v, TypeId to, Arena *arena, bool *handled, Error *err) {
    *handled = (v->type == TYPE_JSON && to == TYPE_JSONB) || v->type == TYPE_JSONB;
    if (!*handled) return false;
    if (to == TYPE_JSONB) return types__jsonb_from_text(v->u.s, v->len, arena, v, err);
    if (to == TYPE_JSON) {
        v->type = TYPE_JSON;
        return true;
    }
    JsonNode n;
    if (!parse_arg(v, arena, &n, err)) return false;
    if (to == TYPE_BOOL) {
        if (n.kind != JSON_BOOL) return cannot_cast(&n, to, err);
        *v = value_bool(n.b);
        return true;
    }
    if (type_info(to)->category != TYPCAT_NUMERIC) return *handled = false;
    if (n.kind != JSON_NUMBER) return cannot_cast(&n, to, err);
    Value num = value_string(TYPE_NUMERIC, n.s, n.n);
    if (to == TYPE_NUMERIC) return *v = num, true;
    if (to == TYPE_FLOAT4 || to == TYPE_FLOAT8) return numeric_to_float(&num, to, arena, v, err);
    int64_t i;
    if (!numeric_to_int(&num, to, arena, &i, err)) return false;
    *v = value_int(to, i);
    return true;
}

/* ---- paths: text[] arguments -------------------------------------------------------------- */

/* A path: its elements' bytes, and which are NULL. */
typedef struct Path {
    const char **s;
    uint32_t *len;
    bool *null;
    uint32_t n;
    bool any_null;
} Path;

static void path_init(Path *p, uint32_t n, Arena *arena) {
    p->n = n;
    p->s = arena_alloc(arena, ((size_t)n + 1) * sizeof *p->s);
    p->len = arena_alloc(arena, ((size_t)n + 1) * sizeof *p->len);
    p->null = arena_zalloc(arena, (size_t)n + 1);
    p->any_null = false;
}

static void path_set(Path *p, uint32_t i, const Value *v, const char *s, uint32_t len) {
    p->null[i] = v->isnull;
    p->any_null |= v->isnull;
    p->s[i] = v->isnull ? "" : s;
    p->len[i] = v->isnull ? 0 : len;
}

static void read_path(const Value *array, Arena *arena, Path *p) {
    path_init(p, array_count(array), arena);
    ArrayReader r;
    array_read(array, &r);
    Value v;
    for (uint32_t i = 0; array_next(&r, &v); i++) path_set(p, i, &v, v.u.s, v.len);
}

/* A path element as an array index: PostgreSQL's strtol with nothing after it. */
static bool path_index(const Path *p, uint32_t i, int64_t *out) {
    char buf[32];
    if (p->len[i] == 0 || p->len[i] >= sizeof buf) return false;
    memcpy(buf, p->s[i], p->len[i]);
    buf[p->len[i]] = '\0';
    char *end;
    long long v = strtoll(buf, &end, 10);
    if (*end || v < INT32_MIN || v > INT32_MAX) return false;
    *out = v;
    return true;
}

static const JsonNode *follow(const JsonNode *n, const Path *p) {
    for (uint32_t i = 0; n && i < p->n; i++) {
        int64_t idx;
        if (n->kind == JSON_OBJECT)
            n = object_field(n, p->s[i], p->len[i]);
        else if (n->kind == JSON_ARRAY && path_index(p, i, &idx))
            n = json_array_item(n, idx, false);
        else
            n = NULL;
    }
    return n;
}

static bool extract_path(const Value *doc, const Path *p, bool as_text, Arena *arena, Value *out, Error *err) {
    JsonNode n;
    if (p->any_null) return *out = value_null(as_text ? TYPE_TEXT : (TypeId)doc->type), true;
    if (!parse_arg(doc, arena, &n, err)) return false;
    node_result(follow(&n, p), (TypeId)doc->type, as_text, arena, out);
    return true;
}

/* #> and #>> */
static bool path_operator(const Value *a, bool as_text, Arena *arena, Value *out, Error *err) {
    Path p;
    read_path(&a[1], arena, &p);
    return extract_path(&a[0], &p, as_text, arena, out, err);
}

bool json_extract_path_op(const Value *a, Arena *arena, Value *out, Error *err) {
    return path_operator(a, false, arena, out, err);
}
bool json_extract_path_text_op(const Value *a, Arena *arena, Value *out, Error *err) {
    return path_operator(a, true, arena, out, err);
}

/* json_extract_path(doc, VARIADIC path): the path elements are its further arguments. */
static bool path_function(const Value *a, bool as_text, Arena *arena, Value *out, Error *err) {
    if (a[0].isnull)
        return *out = value_null(as_text ? TYPE_TEXT : (TypeId)a[0].type), true; /* strict, as in PostgreSQL */
    Path p;
    uint32_t n = 0;
    while (a[1 + n].type != TYPE_INVALID) n++;
    path_init(&p, n, arena);
    for (uint32_t i = 0; i < n; i++) {
        const Value *v = &a[1 + i];
        char buf[VALUE_TEXT_BUF];
        int len = 0;
        const char *t = v->isnull ? "" : value_to_text(v, buf, &len);
        path_set(&p, i, v, arena_strndup(arena, t, (size_t)len), (uint32_t)len);
    }
    return extract_path(&a[0], &p, as_text, arena, out, err);
}

bool json_extract_path(const Value *a, Arena *arena, Value *out, Error *err) {
    return path_function(a, false, arena, out, err);
}
bool json_extract_path_text(const Value *a, Arena *arena, Value *out, Error *err) {
    return path_function(a, true, arena, out, err);
}

/* ?| and ?& : any or all of the (non-NULL) keys. */
static bool exists_keys(const Value *a, bool all, Arena *arena, Value *out, Error *err) {
    JsonNode n;
    if (!parse_arg(&a[0], arena, &n, err)) return false;
    ArrayReader r;
    array_read(&a[1], &r);
    Value k;
    bool result = all;
    while (array_next(&r, &k)) {
        if (k.isnull) continue;
        if (has_key(&n, k.u.s, k.len) != all) {
            result = !all;
            break;
        }
    }
    *out = value_bool(result);
    return true;
}

bool jsonb_exists_any(const Value *a, Arena *arena, Value *out, Error *err) {
    return exists_keys(a, false, arena, out, err);
}
bool jsonb_exists_all(const Value *a, Arena *arena, Value *out, Error *err) {
    return exists_keys(a, true, arena, out, err);
}

/* jsonb - text[]: each key (or string element) of the array removed. */
bool jsonb_delete_array(const Value *a, Arena *arena, Value *out, Error *err) {
    JsonNode n;
    if (!parse_arg(&a[0], arena, &n, err)) return false;
    if (!is_container(&n)) return cannot_delete_from_scalar(err);
    bool object = n.kind == JSON_OBJECT;
    uint32_t kept = 0, width = object ? 2 : 1;
    for (uint32_t i = 0; i < n.n; i++) {
        const JsonNode *k = &n.items[width * i];
        bool drop = false;
        ArrayReader r;
        array_read(&a[1], &r);
        Value key;
        while (!drop && array_next(&r, &key))
            drop = !key.isnull && k->kind == JSON_STRING && k->n == key.len && !memcmp(k->s, key.u.s, k->n);
        if (drop) continue;
        memmove(&n.items[width * kept], k, width * sizeof *k);
        kept++;
    }
    n.n = kept;
    *out = jsonb_value(&n, arena);
    return true;
}

/* ---- changing a document at a path: jsonb_set, jsonb_insert, #- ---------------------------- */

/* EDIT_ASSIGN is UPDATE ... SET doc[...] = v: missing steps are made
 * (objects, or arrays for integer steps) and arrays grow with nulls. */
typedef enum PathEdit { EDIT_SET, EDIT_INSERT, EDIT_DELETE, EDIT_ASSIGN } PathEdit;

typedef struct Edit {
    PathEdit what;
    const Path *path;
    const JsonNode *value; /* SET, INSERT */
    bool create;           /* SET: add what is missing at the last step */
    bool after;            /* INSERT: after the element named */
    Arena *arena;
    Error *err;
} Edit;

static bool not_an_integer(const Edit *e, uint32_t level) {
    return error_set(e->err, SQLSTATE_INVALID_TEXT_REPRESENTATION,
                     "path element at position %u is not an integer: \"%.*s\"", level + 1, (int)e->path->len[level],
                     e->path->s[level]);
}

/* n's items with `count` nodes at `at` replaced by the `add` nodes given. */
static void splice(JsonNode *n, uint32_t width, uint32_t at, uint32_t count, const JsonNode *add, uint32_t nadd,
                   Arena *arena) {
    uint32_t total = n->n - count + nadd;
    JsonNode *items = arena_alloc(arena, ((size_t)total * width + 1) * sizeof *items);
    copy_nodes(items, n->items, (size_t)at * width);
    copy_nodes(items + (size_t)at * width, add, (size_t)nadd * width);
    copy_nodes(items + (size_t)(at + nadd) * width, n->items + (size_t)(at + count) * width,
               (size_t)(n->n - at - count) * width);
    n->items = items;
    n->n = total;
}

static bool edit_at(const Edit *e, JsonNode *n, uint32_t level);

static bool out_of_range_step(const Edit *e, uint32_t level, int64_t idx) {
    return error_set(e->err, SQLSTATE_INVALID_PARAMETER_VALUE, "path element at position %u is out of range: %lld",
                     level + 1, (long long)idx);
}

/* EDIT_ASSIGN's new steps from `level` on: an array (nulls, then the rest
 * at its index) for an integer step, an object for any other; the value
 * at the end. */
static bool path_from(const Edit *e, uint32_t level, JsonNode *out) {
    if (level == e->path->n) return *out = *e->value, true;
    if (!stack_check(e->err)) return false;
    int64_t idx;
    if (path_index(e->path, level, &idx)) {
        if (idx < 0) return out_of_range_step(e, level, idx);
        if (idx > 1000000)
            return error_set(e->err, SQLSTATE_PROGRAM_LIMIT_EXCEEDED, "array size exceeds the maximum allowed");
        *out = (JsonNode){.kind = JSON_ARRAY, .n = (uint32_t)idx + 1};
        out->items = arena_zalloc(e->arena, ((size_t)idx + 1) * sizeof *out->items); /* zeroed: JSON_NULL */
        return path_from(e, level + 1, &out->items[idx]);
    }
    *out = (JsonNode){.kind = JSON_OBJECT, .n = 1};
    out->items = arena_zalloc(e->arena, 2 * sizeof *out->items);
    out->items[0] = (JsonNode){.kind = JSON_STRING, .s = e->path->s[level], .n = e->path->len[level]};
    return path_from(e, level + 1, &out->items[1]);
}

static bool edit_object(const Edit *e, JsonNode *n, uint32_t level) {
    bool last = level + 1 == e->path->n;
    const char *key = e->path->s[level];
    uint32_t klen = e->path->len[level];
    for (uint32_t i = 0; i < n->n; i++) {
        JsonNode *k = &n->items[2 * i];
        if (k->n != klen || memcmp(k->s, key, klen)) continue;
        if (!last) return edit_at(e, &n->items[2 * i + 1], level + 1);
        if (e->what == EDIT_DELETE) return splice(n, 2, i, 1, NULL, 0, e->arena), true;
        if (e->what == EDIT_INSERT) {
            error_set(e->err, SQLSTATE_INVALID_PARAMETER_VALUE, "cannot replace existing key");
            error_hint(e->err, "Try using the function jsonb_set to replace key value.");
            return false;
        }
        n->items[2 * i + 1] = *e->value;
        return true;
    }
    if (e->what == EDIT_ASSIGN) {
        JsonNode pair[2] = {{.kind = JSON_STRING, .s = key, .n = klen}, {0}};
        if (!path_from(e, level + 1, &pair[1])) return false;
        splice(n, 2, n->n, 0, pair, 1, e->arena);
        return normalise(n, e->arena, e->err);
    }
    if (!last || e->what == EDIT_DELETE || (e->what == EDIT_SET && !e->create)) return true;
    JsonNode pair[2] = {{.kind = JSON_STRING, .s = key, .n = klen}, *e->value};
    splice(n, 2, n->n, 0, pair, 1, e->arena);
    return normalise(n, e->arena, e->err);
}

static bool edit_array(const Edit *e, JsonNode *n, uint32_t level) {
    bool last = level + 1 == e->path->n;
    int64_t idx;
    if (!path_index(e->path, level, &idx)) return not_an_integer(e, level);
    bool before_start = false;
    if (idx < 0) {
        if (-idx > (int64_t)n->n && e->what == EDIT_ASSIGN) return out_of_range_step(e, level, idx);
        if (-idx > (int64_t)n->n)
            before_start = true, idx = 0;
        else
            idx += n->n;
    }
    bool inside = !before_start && idx < (int64_t)n->n;
    if (e->what == EDIT_ASSIGN && !inside) { /* nulls up to the index, then the new steps */
        if (idx - n->n > 1000000)
            return error_set(e->err, SQLSTATE_PROGRAM_LIMIT_EXCEEDED, "array size exceeds the maximum allowed");
        uint32_t grow = (uint32_t)(idx - n->n) + 1;
        JsonNode *add = arena_zalloc(e->arena, grow * sizeof *add);
        if (!path_from(e, level + 1, &add[grow - 1])) return false;
        splice(n, 1, n->n, 0, add, grow, e->arena);
        return true;
    }
    if (!last) return inside ? edit_at(e, &n->items[idx], level + 1) : true;
    switch (e->what) {
    case EDIT_DELETE:
        if (inside) splice(n, 1, (uint32_t)idx, 1, NULL, 0, e->arena);
        return true;
    case EDIT_ASSIGN:
    case EDIT_SET:
        if (inside)
            n->items[idx] = *e->value;
        else if (e->create)
            splice(n, 1, before_start ? 0 : n->n, 0, e->value, 1, e->arena);
        return true;
    case EDIT_INSERT: {
        uint32_t at = before_start ? 0 : !inside ? n->n : (uint32_t)idx + e->after;
        splice(n, 1, at, 0, e->value, 1, e->arena);
        return true;
    }
    }
    return true;
}

static bool scalar_in_path(const Edit *e) {
    error_set(e->err, SQLSTATE_INVALID_PARAMETER_VALUE, "cannot replace existing key");
    error_detail(e->err, "The path assumes key is a composite object, but it is a scalar value.");
    return false;
}

static bool edit_at(const Edit *e, JsonNode *n, uint32_t level) {
    if (!stack_check(e->err)) return false;
    if (e->path->null[level] && is_container(n))
        return error_set(e->err, SQLSTATE_NULL_VALUE_NOT_ALLOWED, "path element at position %u is null", level + 1);
    if (n->kind == JSON_OBJECT) return edit_object(e, n, level);
    if (n->kind == JSON_ARRAY) return edit_array(e, n, level);
    if (e->what == EDIT_ASSIGN) return scalar_in_path(e);
    return true; /* a scalar on the way: nothing there to change */
}

static bool edit(Edit *e, const Value *doc, const Value *path, Value *out) {
    JsonNode n;
    Path p;
    read_path(path, e->arena, &p);
    e->path = &p;
    if (!parse_arg(doc, e->arena, &n, e->err)) return false;
    if (!is_container(&n))
        return error_set(e->err, SQLSTATE_INVALID_PARAMETER_VALUE, "cannot %s path in scalar",
                         e->what == EDIT_DELETE ? "delete" : "set");
    if (p.n && !edit_at(e, &n, 0)) return false;
    *out = jsonb_value(&n, e->arena);
    return true;
}

static bool set_or_insert(const Value *a, PathEdit what, bool flag, Arena *arena, Value *out, Error *err) {
    JsonNode value;
    if (!parse_arg(&a[2], arena, &value, err)) return false;
    Edit e = {.what = what, .value = &value, .create = flag, .after = flag, .arena = arena, .err = err};
    return edit(&e, &a[0], &a[1], out);
}

bool jsonb_set(const Value *a, Arena *arena, Value *out, Error *err) {
    return set_or_insert(a, EDIT_SET, a[3].type == TYPE_INVALID || a[3].u.b, arena, out, err);
}

bool jsonb_insert(const Value *a, Arena *arena, Value *out, Error *err) {
    return set_or_insert(a, EDIT_INSERT, a[3].type != TYPE_INVALID && a[3].u.b, arena, out, err);
}

/* UPDATE ... SET doc[s1][s2]... = v: (doc, path as text[], v, whether the
 * first subscript is an integer: a NULL doc starts as [] then, else {}). */
bool jsonb_subscript_assign(const Value *a, Arena *arena, Value *out, Error *err) {
    JsonNode value = {.kind = JSON_NULL}, doc;
    if (!a[2].isnull && !parse_arg(&a[2], arena, &value, err)) return false;
    Path p;
    read_path(&a[1], arena, &p);
    for (uint32_t i = 0; i < p.n; i++)
        if (p.null[i])
            return error_set(err, SQLSTATE_NULL_VALUE_NOT_ALLOWED, "jsonb subscript in assignment must not be null");
    Edit e = {.what = EDIT_ASSIGN, .path = &p, .value = &value, .arena = arena, .err = err};
    if (a[0].isnull)
        doc = (JsonNode){.kind = a[3].u.b ? JSON_ARRAY : JSON_OBJECT};
    else if (!parse_arg(&a[0], arena, &doc, err))
        return false;
    if (!is_container(&doc)) return scalar_in_path(&e);
    if (!edit_at(&e, &doc, 0)) return false;
    *out = jsonb_value(&doc, arena);
    return true;
}

bool jsonb_delete_path(const Value *a, Arena *arena, Value *out, Error *err) {
    Edit e = {.what = EDIT_DELETE, .arena = arena, .err = err};
    return edit(&e, &a[0], &a[1], out);
}

/* ---- arrays as json ---------------------------------------------------------------------- */

/* array_to_json(a [, pretty]): elements as to_json writes them, "," between (pretty: ",\n "). */
static void put_array(StrBuf *b, const Value *a, bool pretty) {
    ArrayReader r;
    array_read(a, &r);
    Value v;
    strbuf_append_char(b, '[');
    for (bool first = true; array_next(&r, &v); first = false) {
        if (!first) strbuf_append_str(b, pretty ? ",\n " : ",");
        put_datum(b, &v);
    }
    strbuf_append_char(b, ']');
}

bool array_to_json(const Value *a, Arena *arena, Value *out, Error *err) {
    (void)err;
    StrBuf b;
    strbuf_init(&b);
    put_array(&b, &a[0], a[1].type != TYPE_INVALID && a[1].u.b);
    *out = buf_value(TYPE_JSON, &b, arena);
    return true;
}

/* json_object(text[]) of alternating keys and values, or (keys[], values[]). */
static bool object_from_arrays(const Value *keys, const Value *values, bool jsonb, Arena *arena, Value *out,
                               Error *err) {
    uint32_t nk = array_count(keys), nv = values ? array_count(values) : 0;
    if (!values && nk % 2)
        return error_set(err, SQLSTATE_ARRAY_SUBSCRIPT_ERROR, "array must have even number of elements");
    if (values && nk != nv) return error_set(err, SQLSTATE_ARRAY_SUBSCRIPT_ERROR, "mismatched array dimensions");
    StrBuf b;
    strbuf_init(&b);
    strbuf_append_char(&b, '{');
    ArrayReader rk, rv;
    array_read(keys, &rk);
    if (values) array_read(values, &rv);
    Value k, v;
    for (uint32_t i = 0; array_next(&rk, &k); i++) {
        if (!array_next(values ? &rv : &rk, &v)) break;
        if (k.isnull) {
            strbuf_deinit(&b);
            return error_set(err, SQLSTATE_NULL_VALUE_NOT_ALLOWED, "null value not allowed for object key");
        }
        if (i) strbuf_append(&b, ", ", 2);
        json_escape_string(&b, k.u.s, k.len);
        strbuf_append_str(&b, " : ");
        if (v.isnull)
            strbuf_append(&b, "null", 4);
        else
            json_escape_string(&b, v.u.s, v.len);
    }
    strbuf_append_char(&b, '}');
    if (jsonb) return text_as_jsonb(&b, arena, out, err);
    *out = buf_value(TYPE_JSON, &b, arena);
    return true;
}

bool json_object(const Value *a, Arena *arena, Value *out, Error *err) {
    return object_from_arrays(&a[0], NULL, false, arena, out, err);
}
bool json_object_two_arg(const Value *a, Arena *arena, Value *out, Error *err) {
    return object_from_arrays(&a[0], &a[1], false, arena, out, err);
}
bool jsonb_object(const Value *a, Arena *arena, Value *out, Error *err) {
    return object_from_arrays(&a[0], NULL, true, arena, out, err);
}
bool jsonb_object_two_arg(const Value *a, Arena *arena, Value *out, Error *err) {
    return object_from_arrays(&a[0], &a[1], true, arena, out, err);
}

/* ---- row_to_json ------------------------------------------------------------------------
 * row_to_json(t [, pretty]) of a table's row: the binder passes pretty,
 * then each column's name and value. Keys as written, no spaces (pretty: a
 * newline and a space before each field after the first). */
bool row_to_json_columns(const Value *a, Arena *arena, Value *out, Error *err) {
    (void)err;
    bool pretty = !a[0].isnull && a[0].u.b;
    StrBuf b;
    strbuf_init(&b);
    strbuf_append_char(&b, '{');
    for (int i = 1; a[i].type != TYPE_INVALID; i += 2) {
        if (i > 1) strbuf_append_str(&b, pretty ? ",\n " : ",");
        json_escape_string(&b, a[i].u.s, a[i].len);
        strbuf_append_char(&b, ':');
        put_datum(&b, &a[i + 1]);
    }
    strbuf_append_char(&b, '}');
    *out = buf_value(TYPE_JSON, &b, arena);
    return true;
}
