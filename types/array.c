/*
 * array.c — one-dimensional arrays of the scalar types (PostgreSQL's
 * arrayfuncs.c and array_userfuncs.c): array_in / array_out with their
 * quoting and errors, array_send / array_recv, comparison and hashing, and
 * the array functions and operators.
 *
 * Stored form (Value.u.s / len), little-endian as the machine writes it:
 *
 *   int32  lower bound (1 unless written as [lb:ub]={...})
 *   uint32 number of elements
 *   then each element:
 *     uint8  1 if NULL (nothing follows), else 0 and
 *     by value (the types held in Value.u: typlen 1..8): the 8 bytes of Value.u
 *     by reference: [uint32 width, bpchar only] uint32 length, the bytes
 *
 * Elements are read in order (ArrayReader); a Value read points into the
 * array's bytes. An empty array has no lower bound of its own: it is
 * always {} with bound 1, as in PostgreSQL (which gives it no dimensions).
 * Arrays of more than one dimension are refused (0A000).
 *
 * Order (btarraycmp): element by element, NULL above any value; then the
 * shorter array first, then by lower bound.
 *
 * INTERFACE: type_array_of, array_read, array_next, array_count,
 *   array_make, array_element; types-internal: types__array_* and the
 *   functions and operators named in types.def
 */
#define _GNU_SOURCE /* memmem */
#include "types/types_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define ARRAY_HEADER 8

TypeId type_array_of(TypeId elem) {
    size_t n;
    const TypeInfo *all = types__all(&n);
    for (size_t i = 0; i < n; i++)
        if (all[i].elem == elem && all[i].category == TYPCAT_ARRAY) return all[i].id;
    return TYPE_INVALID;
}

static TypeId element_type(TypeId array) { return type_info(array)->elem; }

static bool by_value(TypeId t) {
    int len = type_info(t)->typlen;
    return len > 0 && len <= 8;
}

static uint32_t load32(const char *p) {
    uint32_t x;
    memcpy(&x, p, 4);
    return x;
}

/* ---- reading and building ---------------------------------------------------------------- */

void array_read(const Value *a, ArrayReader *r) {
    r->p = a->u.s + ARRAY_HEADER;
    r->elem = element_type(a->type);
    r->lbound = (int32_t)load32(a->u.s);
    r->n = load32(a->u.s + 4);
    r->i = 0;
}

uint32_t array_count(const Value *a) { return load32(a->u.s + 4); }

bool array_next(ArrayReader *r, Value *out) {
    if (r->i == r->n) return false;
    r->i++;
    if (*r->p++) {
        *out = value_null(r->elem);
        return true;
    }
    *out = (Value){.type = r->elem};
    if (by_value(r->elem)) {
        memcpy(&out->u, r->p, 8);
        r->p += 8;
        return true;
    }
    if (r->elem == TYPE_BPCHAR) out->width = load32(r->p), r->p += 4;
    out->len = load32(r->p);
    out->u.s = r->p + 4;
    r->p += 4 + out->len;
    return true;
}

static void put32(StrBuf *b, uint32_t x) { strbuf_append(b, &x, 4); }

static void put_element(StrBuf *b, const Value *v) {
    strbuf_append_char(b, (char)v->isnull);
    if (v->isnull) return;
    if (by_value(v->type)) {
        strbuf_append(b, &v->u, 8);
        return;
    }
    if (v->type == TYPE_BPCHAR) put32(b, v->width);
    put32(b, v->len);
    strbuf_append(b, v->u.s, v->len);
}

static void start_array(StrBuf *b, int32_t lbound, uint32_t n) {
    strbuf_init(b);
    put32(b, n ? (uint32_t)lbound : 1);
    put32(b, n);
}

static void finish_array(StrBuf *b, TypeId type, Arena *arena, Value *out) {
    char *p = arena_alloc(arena, b->len);
    memcpy(p, b->data, b->len);
    *out = value_string(type, p, (uint32_t)b->len);
    strbuf_deinit(b);
}

/* The array of the n elements written into items (freed here). */
static void finish_items(StrBuf *items, int32_t lbound, uint32_t n, TypeId type, Arena *arena, Value *out) {
    StrBuf all;
    start_array(&all, lbound, n);
    strbuf_append(&all, items->data, items->len);
    strbuf_deinit(items);
    finish_array(&all, type, arena, out);
}

/* items are of the element type (NULLs too). */
void array_make(TypeId type, int32_t lbound, const Value *items, uint32_t n, Arena *arena, Value *out) {
    StrBuf b;
    start_array(&b, lbound, n);
    for (uint32_t i = 0; i < n; i++) put_element(&b, &items[i]);
    finish_array(&b, type, arena, out);
}

/* a[i]: NULL out of range. */
void array_element(const Value *a, int64_t i, Value *out) {
    ArrayReader r;
    array_read(a, &r);
    *out = value_null(r.elem);
    if (i < r.lbound || i - r.lbound >= (int64_t)r.n) return;
    Value v;
    for (int64_t k = r.lbound; array_next(&r, &v); k++)
        if (k == i) {
            *out = v;
            return;
        }
}

/* a[lo:hi] (either end may be open): the elements in range, from bound 1. */
void array_slice(const Value *a, const int64_t *lo, const int64_t *hi, Arena *arena, Value *out) {
    ArrayReader r;
    array_read(a, &r);
    int64_t from = lo ? *lo : r.lbound, to = hi ? *hi : (int64_t)r.lbound + r.n - 1;
    StrBuf b;
    strbuf_init(&b);
    Value v;
    uint32_t n = 0;
    for (int64_t k = r.lbound; array_next(&r, &v); k++)
        if (k >= from && k <= to) put_element(&b, &v), n++;
    finish_items(&b, 1, n, (TypeId)a->type, arena, out);
}

/* ---- text input (array_in) ------------------------------------------------------------------ */

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

static bool malformed(const char *s, size_t len, const char *detail, Error *err) {
    error_set(err, SQLSTATE_INVALID_TEXT_REPRESENTATION, "malformed array literal: \"%.*s\"", (int)len, s);
    error_detail(err, "%s", detail);
    return false;
}

static bool unexpected_char(const char *s, size_t len, char c, Error *err) {
    char detail[32];
    snprintf(detail, sizeof detail, "Unexpected \"%c\" character.", c);
    return malformed(s, len, detail, err);
}

/* [lb:ub]= or [ub]= before the braces; *has false without one. */
static bool read_dimensions(const char *s, size_t len, const char **p, bool *has, int64_t *lb, int64_t *ub,
                            Error *err) {
    const char *e = s + len;
    *has = false;
    while (*p < e && is_space(**p)) (*p)++;
    if (*p == e || **p != '[') return true;
    *has = true;
    (*p)++;
    char *end;
    long long a = strtoll(*p, &end, 10);
    if (end == *p) return malformed(s, len, "Missing array dimension value.", err);
    *p = end;
    *lb = 1, *ub = a;
    if (*p < e && **p == ':') {
        (*p)++;
        long long b = strtoll(*p, &end, 10);
        if (end == *p) return malformed(s, len, "Missing array dimension value.", err);
        *p = end;
        *lb = a, *ub = b;
    }
    if (*p == e || **p != ']') return malformed(s, len, "Missing \"]\" after array dimensions.", err);
    (*p)++;
    if (*p < e && **p == '[')
        return error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED, "multidimensional arrays are not supported");
    if (*ub < *lb) return error_set(err, SQLSTATE_ARRAY_SUBSCRIPT_ERROR, "upper bound cannot be less than lower bound");
    while (*p < e && is_space(**p)) (*p)++;
    if (*p == e || **p != '=') return malformed(s, len, "Missing \"=\" after array dimensions.", err);
    (*p)++;
    while (*p < e && is_space(**p)) (*p)++;
    if (*p == e || **p != '{') return malformed(s, len, "Array contents must start with \"{\".", err);
    return true;
}

/* PostgreSQL's ArrayCount states, for its error details. */
typedef enum ParseState {
    LEVEL_STARTED,
    ELEM_STARTED,
    ELEM_COMPLETED,
    QUOTED_STARTED,
    QUOTED_COMPLETED,
    ELEM_DELIMITED,
} ParseState;

/* The elements between the braces, each unquoted and unescaped into
 * items (a quoted one kept as a string even if it reads NULL). */
static bool read_elements(const char *s, size_t len, const char *p, TypeId elem, Arena *arena, StrBuf *items,
                          uint32_t *n, Error *err) {
    const char *e = s + len;
    ParseState st = LEVEL_STARTED;
    StrBuf word;
    strbuf_init(&word);
    bool quoted = false, in_quotes = false, ok = false;
    size_t trailing_space = 0; /* unquoted white space at the end of the word, dropped */
    for (p++;; p++) {
        if (p == e) {
            malformed(s, len, "Unexpected end of input.", err);
            break;
        }
        char c = *p;
        if (in_quotes && c != '"' && c != '\\') {
            strbuf_append_char(&word, c);
            continue;
        }
        if (c == '\\') {
            if (st != LEVEL_STARTED && st != ELEM_STARTED && st != QUOTED_STARTED && st != ELEM_DELIMITED) {
                unexpected_char(s, len, c, err);
                break;
            }
            if (!in_quotes) st = ELEM_STARTED;
            if (++p == e) {
                malformed(s, len, "Unexpected end of input.", err);
                break;
            }
            strbuf_append_char(&word, *p);
            trailing_space = 0;
            continue;
        }
        if (c == '"') {
            if (st != LEVEL_STARTED && st != QUOTED_STARTED && st != ELEM_DELIMITED) {
                malformed(s, len, "Unexpected array element.", err);
                break;
            }
            in_quotes = !in_quotes;
            st = in_quotes ? QUOTED_STARTED : QUOTED_COMPLETED;
            quoted = true;
            continue;
        }
        if (c == '{') {
            if (st == LEVEL_STARTED) {
                error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED, "multidimensional arrays are not supported");
                break;
            }
            unexpected_char(s, len, c, err);
            break;
        }
        if (c == '}' || c == ',') {
            bool closing_empty = c == '}' && st == LEVEL_STARTED && *n == 0;
            if (st != ELEM_STARTED && st != ELEM_COMPLETED && st != QUOTED_COMPLETED && !closing_empty) {
                unexpected_char(s, len, c, err);
                break;
            }
            if (!closing_empty) {
                size_t wlen = word.len - trailing_space;
                Value v;
                if (!quoted && wlen == 4 && strncasecmp(word.data, "NULL", 4) == 0)
                    v = value_null(elem);
                else if (!value_from_text(elem, word.data ? word.data : "", wlen, arena, &v, err))
                    break;
                put_element(items, &v);
                (*n)++;
            }
            strbuf_reset(&word);
            quoted = false, trailing_space = 0;
            if (c == ',') {
                st = ELEM_DELIMITED;
                continue;
            }
            for (p++; p < e && is_space(*p); p++) {
            }
            if (p < e)
                malformed(s, len, "Junk after closing right brace.", err);
            else
                ok = true;
            break;
        }
        if (is_space(c)) {
            if (st == ELEM_STARTED) strbuf_append_char(&word, c), trailing_space++;
            continue;
        }
        if (st != LEVEL_STARTED && st != ELEM_STARTED && st != ELEM_DELIMITED) {
            malformed(s, len, "Unexpected array element.", err);
            break;
        }
        st = ELEM_STARTED;
        strbuf_append_char(&word, c);
        trailing_space = 0;
    }
    strbuf_deinit(&word);
    return ok;
}

bool types__array_from_text(TypeId type, const char *s, size_t len, Arena *arena, Value *out, Error *err) {
    const char *p = s;
    bool has_dims;
    int64_t lb = 1, ub = 0;
    if (!read_dimensions(s, len, &p, &has_dims, &lb, &ub, err)) return false;
    if (p == s + len || *p != '{')
        return malformed(s, len, "Array value must start with \"{\" or dimension information.", err);
    StrBuf items;
    strbuf_init(&items);
    uint32_t n = 0;
    /* errors inside the braces quote the text from the brace on, as ArrayCount's do */
    if (!read_elements(p, len - (size_t)(p - s), p, element_type(type), arena, &items, &n, err)) {
        strbuf_deinit(&items);
        return false;
    }
    if (has_dims && ub - lb + 1 != n) {
        strbuf_deinit(&items);
        return malformed(s, len, "Specified array dimensions do not match array contents.", err);
    }
    finish_items(&items, (int32_t)lb, n, type, arena, out);
    return true;
}

/* ---- text output (array_out) ------------------------------------------------------------------ */

static bool needs_quotes(const char *s, int len) {
    if (len == 0 || (len == 4 && strncasecmp(s, "NULL", 4) == 0)) return true;
    for (int i = 0; i < len; i++)
        if (s[i] == '"' || s[i] == '\\' || s[i] == '{' || s[i] == '}' || s[i] == ',' || is_space(s[i])) return true;
    return false;
}

/* A buffer of this file's for an output form, valid until the next call. */
static StrBuf *output_buffer(StrBuf *b) {
    if (!b->data) strbuf_init(b);
    strbuf_reset(b);
    return b;
}

static void put_text_element(StrBuf *b, const Value *v) {
    if (v->isnull) return strbuf_append(b, "NULL", 4);
    char buf[VALUE_TEXT_BUF];
    int len;
    const char *t = value_to_text(v, buf, &len);
    if (!needs_quotes(t, len)) return strbuf_append(b, t, (size_t)len);
    strbuf_append_char(b, '"');
    for (int i = 0; i < len; i++) {
        if (t[i] == '"' || t[i] == '\\') strbuf_append_char(b, '\\');
        strbuf_append_char(b, t[i]);
    }
    strbuf_append_char(b, '"');
}

const char *types__array_to_text(const Value *a, int *len) {
    static StrBuf out;
    StrBuf *b = output_buffer(&out);
    ArrayReader r;
    array_read(a, &r);
    if (r.lbound != 1 && r.n) strbuf_appendf(b, "[%d:%lld]=", r.lbound, (long long)r.lbound + r.n - 1);
    strbuf_append_char(b, '{');
    Value v;
    for (bool first = true; array_next(&r, &v); first = false) {
        if (!first) strbuf_append_char(b, ',');
        put_text_element(b, &v);
    }
    strbuf_append_char(b, '}');
    *len = (int)b->len;
    return b->data;
}

/* ---- binary (array_send / array_recv) ------------------------------------------------------------ */

static void put_be32(StrBuf *b, uint32_t x) {
    char p[4] = {(char)(x >> 24), (char)(x >> 16), (char)(x >> 8), (char)x};
    strbuf_append(b, p, 4);
}

static uint32_t load_be32(const char *p) {
    const unsigned char *u = (const unsigned char *)p;
    return (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 | (uint32_t)u[2] << 8 | u[3];
}

const char *types__array_to_binary(const Value *a, int *len) {
    static StrBuf out;
    StrBuf *b = output_buffer(&out);
    ArrayReader r;
    array_read(a, &r);
    bool nulls = false;
    Value v;
    while (array_next(&r, &v)) nulls |= v.isnull;
    array_read(a, &r);
    put_be32(b, r.n ? 1 : 0);
    put_be32(b, nulls);
    put_be32(b, r.elem);
    if (r.n) put_be32(b, r.n), put_be32(b, (uint32_t)r.lbound);
    while (array_next(&r, &v)) {
        if (v.isnull) {
            put_be32(b, UINT32_MAX);
            continue;
        }
        char buf[VALUE_TEXT_BUF];
        int n;
        const char *p = value_to_binary(&v, buf, &n);
        put_be32(b, (uint32_t)n);
        strbuf_append(b, p, (size_t)n);
    }
    *len = (int)b->len;
    return b->data;
}

static bool bad_binary(Error *err) {
    return error_set(err, SQLSTATE_INVALID_BINARY_REPRESENTATION, "insufficient data left in message");
}

bool types__array_from_binary(TypeId type, const char *p, size_t len, Arena *arena, Value *out, Error *err) {
    const char *e = p + len;
    if (len < 12) return bad_binary(err);
    int32_t ndim = (int32_t)load_be32(p);
    uint32_t elem = load_be32(p + 8);
    p += 12;
    if (ndim < 0 || ndim > 6)
        return error_set(err, SQLSTATE_INVALID_BINARY_REPRESENTATION, "invalid number of dimensions: %d", ndim);
    if (ndim > 1) return error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED, "multidimensional arrays are not supported");
    if (elem != element_type(type))
        return error_set(err, SQLSTATE_DATATYPE_MISMATCH,
                         "binary data has array element type %u (%s) instead of expected %u (%s)", elem,
                         type_info(elem) ? type_info(elem)->sql_name : "?", (unsigned)element_type(type),
                         type_info(element_type(type))->sql_name);
    uint32_t n = 0;
    int32_t lb = 1;
    if (ndim == 1) {
        if (e - p < 8) return bad_binary(err);
        n = load_be32(p), lb = (int32_t)load_be32(p + 4);
        p += 8;
    }
    StrBuf b;
    start_array(&b, lb, n);
    for (uint32_t i = 0; i < n; i++) {
        if (e - p < 4) return strbuf_deinit(&b), bad_binary(err);
        uint32_t l = load_be32(p);
        p += 4;
        Value v = value_null((TypeId)elem);
        if (l != UINT32_MAX) {
            if ((size_t)(e - p) < l) return strbuf_deinit(&b), bad_binary(err);
            if (!value_from_binary((TypeId)elem, p, l, arena, &v, err)) return strbuf_deinit(&b), false;
            p += l;
        }
        put_element(&b, &v);
    }
    if (p != e) {
        strbuf_deinit(&b);
        return error_set(err, SQLSTATE_INVALID_BINARY_REPRESENTATION, "incorrect binary data format in array");
    }
    finish_array(&b, type, arena, out);
    return true;
}

/* varchar(n)[] and the like: the typmod is each element's. */
bool types__array_apply_typmod(Value *a, int32_t typmod, bool is_explicit, Arena *arena, Error *err) {
    ArrayReader r;
    array_read(a, &r);
    StrBuf b;
    start_array(&b, r.lbound, r.n);
    Value v;
    while (array_next(&r, &v)) {
        if (!value_apply_typmod(&v, typmod, is_explicit, arena, err)) return strbuf_deinit(&b), false;
        put_element(&b, &v);
    }
    finish_array(&b, (TypeId)a->type, arena, a);
    return true;
}

/* ---- order and hashing -------------------------------------------------------------------------- */

int types__array_compare(const Value *a, const Value *b) {
    ArrayReader x, y;
    array_read(a, &x);
    array_read(b, &y);
    Value u, v;
    while (array_next(&x, &u) && array_next(&y, &v)) {
        if (u.isnull || v.isnull) {
            if (u.isnull != v.isnull) return u.isnull ? 1 : -1;
            continue;
        }
        int c = value_compare(&u, &v);
        if (c) return c;
    }
    if (x.n != y.n) return x.n < y.n ? -1 : 1;
    return x.lbound < y.lbound ? -1 : x.lbound > y.lbound;
}

uint64_t types__array_hash(const Value *a) {
    ArrayReader r;
    array_read(a, &r);
    uint64_t h = hash_mix(r.n);
    Value v;
    while (array_next(&r, &v)) h = hash_mix(h * 31 + value_hash(&v));
    return h ^ (uint64_t)(uint32_t)r.lbound;
}

/* ---- functions -------------------------------------------------------------------------------- */

static bool dimension_one(const Value *a, const Value *dim) { return dim->u.i == 1 && array_count(a) > 0; }

bool array_length(const Value *a, Arena *arena, Value *out, Error *err) {
    (void)arena, (void)err;
    *out = dimension_one(&a[0], &a[1]) ? value_int(TYPE_INT4, array_count(&a[0])) : value_null(TYPE_INT4);
    return true;
}

bool array_lower(const Value *a, Arena *arena, Value *out, Error *err) {
    (void)arena, (void)err;
    *out = dimension_one(&a[0], &a[1]) ? value_int(TYPE_INT4, (int32_t)load32(a[0].u.s)) : value_null(TYPE_INT4);
    return true;
}

bool array_upper(const Value *a, Arena *arena, Value *out, Error *err) {
    (void)arena, (void)err;
    int64_t ub = (int64_t)(int32_t)load32(a[0].u.s) + array_count(&a[0]) - 1;
    *out = dimension_one(&a[0], &a[1]) ? value_int(TYPE_INT4, ub) : value_null(TYPE_INT4);
    return true;
}

bool array_ndims(const Value *a, Arena *arena, Value *out, Error *err) {
    (void)arena, (void)err;
    *out = array_count(&a[0]) ? value_int(TYPE_INT4, 1) : value_null(TYPE_INT4);
    return true;
}

bool array_dims(const Value *a, Arena *arena, Value *out, Error *err) {
    (void)err;
    uint32_t n = array_count(&a[0]);
    if (!n) return *out = value_null(TYPE_TEXT), true;
    int32_t lb = (int32_t)load32(a[0].u.s);
    char *s = arena_sprintf(arena, "[%d:%lld]", lb, (long long)lb + n - 1);
    *out = value_string(TYPE_TEXT, s, (uint32_t)strlen(s));
    return true;
}

bool array_cardinality(const Value *a, Arena *arena, Value *out, Error *err) {
    (void)arena, (void)err;
    *out = value_int(TYPE_INT4, array_count(&a[0]));
    return true;
}

/* a || b and array_cat: NULL or empty sides drop out; the result keeps a's lower bound. */
bool array_cat(const Value *a, Arena *arena, Value *out, Error *err) {
    (void)err;
    if (a[0].isnull || a[1].isnull) {
        *out = a[0].isnull ? a[1] : a[0];
        return true;
    }
    if (!array_count(&a[0])) return *out = a[1], true;
    if (!array_count(&a[1])) return *out = a[0], true;
    StrBuf b;
    start_array(&b, (int32_t)load32(a[0].u.s), array_count(&a[0]) + array_count(&a[1]));
    strbuf_append(&b, a[0].u.s + ARRAY_HEADER, a[0].len - ARRAY_HEADER);
    strbuf_append(&b, a[1].u.s + ARRAY_HEADER, a[1].len - ARRAY_HEADER);
    finish_array(&b, (TypeId)a[0].type, arena, out);
    return true;
}

/* array_append(a, x) / array_prepend(x, a): a NULL array is an empty one. */
static void add_element(const Value *arr, const Value *x, bool at_end, Arena *arena, Value *out) {
    uint32_t n = arr->isnull ? 0 : array_count(arr);
    int32_t lb = n ? (int32_t)load32(arr->u.s) : 1; /* the bound stays where it was, either way, as in PostgreSQL */
    StrBuf b;
    start_array(&b, lb, n + 1);
    if (!at_end) put_element(&b, x);
    if (n) strbuf_append(&b, arr->u.s + ARRAY_HEADER, arr->len - ARRAY_HEADER);
    if (at_end) put_element(&b, x);
    finish_array(&b, (TypeId)type_array_of((TypeId)x->type), arena, out);
}

bool array_append(const Value *a, Arena *arena, Value *out, Error *err) {
    (void)err;
    add_element(&a[0], &a[1], true, arena, out);
    return true;
}

bool array_prepend(const Value *a, Arena *arena, Value *out, Error *err) {
    (void)err;
    add_element(&a[1], &a[0], false, arena, out);
    return true;
}

/* IS NOT DISTINCT FROM, as array_position and array_remove compare. */
static bool same(const Value *x, const Value *y) {
    if (x->isnull || y->isnull) return x->isnull && y->isnull;
    return value_compare(x, y) == 0;
}

static bool position_from(const Value *a, const Value *x, int64_t start, Value *out) {
    *out = value_null(TYPE_INT4);
    if (a->isnull) return true;
    ArrayReader r;
    array_read(a, &r);
    Value v;
    for (int64_t k = r.lbound; array_next(&r, &v); k++)
        if (k >= start && same(&v, x)) {
            *out = value_int(TYPE_INT4, k);
            break;
        }
    return true;
}

bool array_position(const Value *a, Arena *arena, Value *out, Error *err) {
    (void)arena, (void)err;
    return position_from(&a[0], &a[1], INT64_MIN, out);
}

bool array_position_start(const Value *a, Arena *arena, Value *out, Error *err) {
    (void)arena;
    if (a[2].isnull) return error_set(err, SQLSTATE_NULL_VALUE_NOT_ALLOWED, "initial position must not be null");
    return position_from(&a[0], &a[1], a[2].u.i, out);
}

bool array_positions(const Value *a, Arena *arena, Value *out, Error *err) {
    (void)err;
    if (a[0].isnull) return *out = value_null(TYPE_INT4ARRAY), true;
    StrBuf b;
    strbuf_init(&b);
    uint32_t n = 0;
    ArrayReader r;
    array_read(&a[0], &r);
    Value v;
    for (int64_t k = r.lbound; array_next(&r, &v); k++)
        if (same(&v, &a[1])) {
            Value i = value_int(TYPE_INT4, k);
            put_element(&b, &i), n++;
        }
    finish_items(&b, 1, n, TYPE_INT4ARRAY, arena, out);
    return true;
}

/* array_remove(a, x) and array_replace(a, x, y): every element equal to x. */
static bool remove_or_replace(const Value *a, const Value *x, const Value *y, Arena *arena, Value *out) {
    if (a->isnull) return *out = *a, true;
    StrBuf b;
    strbuf_init(&b);
    uint32_t n = 0;
    ArrayReader r;
    array_read(a, &r);
    Value v;
    while (array_next(&r, &v)) {
        if (!same(&v, x))
            put_element(&b, &v), n++;
        else if (y)
            put_element(&b, y), n++;
    }
    finish_items(&b, r.lbound, n, (TypeId)a->type, arena, out); /* the lower bound stays, as in PostgreSQL */
    return true;
}

bool array_remove(const Value *a, Arena *arena, Value *out, Error *err) {
    (void)err;
    return remove_or_replace(&a[0], &a[1], NULL, arena, out);
}

bool array_replace(const Value *a, Arena *arena, Value *out, Error *err) {
    (void)err;
    Value y = a[2];
    y.type = a[1].type;
    return remove_or_replace(&a[0], &a[1], &y, arena, out);
}

/* @> and &&: whether every (or any) element of b equals one of a; NULLs match nothing. */
static bool has_element(const Value *a, const Value *x) {
    ArrayReader r;
    array_read(a, &r);
    Value v;
    while (array_next(&r, &v))
        if (!v.isnull && value_compare(&v, x) == 0) return true;
    return false;
}

static bool contains(const Value *a, const Value *b) {
    ArrayReader r;
    array_read(b, &r);
    Value v;
    while (array_next(&r, &v))
        if (v.isnull || !has_element(a, &v)) return false;
    return true;
}

bool arraycontains(const Value *a, Arena *arena, Value *out, Error *err) {
    (void)arena, (void)err;
    *out = value_bool(contains(&a[0], &a[1]));
    return true;
}

bool arraycontained(const Value *a, Arena *arena, Value *out, Error *err) {
    (void)arena, (void)err;
    *out = value_bool(contains(&a[1], &a[0]));
    return true;
}

bool arrayoverlap(const Value *a, Arena *arena, Value *out, Error *err) {
    (void)arena, (void)err;
    ArrayReader r;
    array_read(&a[1], &r);
    Value v;
    bool any = false;
    while (!any && array_next(&r, &v)) any = !v.isnull && has_element(&a[0], &v);
    *out = value_bool(any);
    return true;
}

/* array_to_string(a, sep [, null_text]): NULLs skipped unless null_text is given. */
static void join(const Value *a, const Value *sep, const Value *null_text, Arena *arena, Value *out) {
    StrBuf b;
    strbuf_init(&b);
    ArrayReader r;
    array_read(a, &r);
    Value v;
    bool first = true;
    while (array_next(&r, &v)) {
        if (v.isnull && (!null_text || null_text->isnull)) continue;
        if (!first) strbuf_append(&b, sep->u.s, sep->len);
        first = false;
        if (v.isnull) {
            strbuf_append(&b, null_text->u.s, null_text->len);
            continue;
        }
        char buf[VALUE_TEXT_BUF];
        int len;
        const char *t = value_to_text(&v, buf, &len);
        strbuf_append(&b, t, (size_t)len);
    }
    *out = value_string(TYPE_TEXT, arena_strndup(arena, b.data ? b.data : "", b.len), (uint32_t)b.len);
    strbuf_deinit(&b);
}

bool array_to_text(const Value *a, Arena *arena, Value *out, Error *err) {
    (void)err;
    join(&a[0], &a[1], NULL, arena, out);
    return true;
}

bool array_to_text_null(const Value *a, Arena *arena, Value *out, Error *err) {
    (void)err;
    if (a[0].isnull || a[1].isnull) return *out = value_null(TYPE_TEXT), true;
    join(&a[0], &a[1], &a[2], arena, out);
    return true;
}

/* string_to_array(s, sep [, null_text]): a NULL separator splits into
 * characters, an empty one gives the whole string; fields equal to
 * null_text are NULL. */
static void add_field(StrBuf *b, const char *s, size_t len, const Value *null_text, Arena *arena, uint32_t *n) {
    Value v = value_string(TYPE_TEXT, arena_strndup(arena, s, len), (uint32_t)len);
    if (null_text && !null_text->isnull && null_text->len == len && memcmp(null_text->u.s, s, len) == 0)
        v = value_null(TYPE_TEXT);
    put_element(b, &v);
    (*n)++;
}

static bool split(const Value *a, const Value *null_text, Arena *arena, Value *out) {
    if (a[0].isnull) return *out = value_null(TYPE_TEXTARRAY), true;
    const char *s = a[0].u.s, *e = s + a[0].len;
    StrBuf b;
    strbuf_init(&b);
    uint32_t n = 0;
    if (a[0].len == 0) {
    } else if (a[1].isnull) {
        for (const char *p = s; p < e;) {
            const char *q = p + 1;
            while (q < e && ((unsigned char)*q & 0xC0) == 0x80) q++;
            add_field(&b, p, (size_t)(q - p), null_text, arena, &n);
            p = q;
        }
    } else if (a[1].len == 0) {
        add_field(&b, s, a[0].len, null_text, arena, &n);
    } else {
        const char *p = s;
        for (;;) {
            const char *hit = memmem(p, (size_t)(e - p), a[1].u.s, a[1].len);
            add_field(&b, p, (size_t)((hit ? hit : e) - p), null_text, arena, &n);
            if (!hit) break;
            p = hit + a[1].len;
        }
    }
    finish_items(&b, 1, n, TYPE_TEXTARRAY, arena, out);
    return true;
}

bool text_to_array(const Value *a, Arena *arena, Value *out, Error *err) {
    (void)err;
    return split(a, NULL, arena, out);
}

bool text_to_array_null(const Value *a, Arena *arena, Value *out, Error *err) {
    (void)err;
    return split(a, &a[2], arena, out);
}

/* a[i] := x (array_set_element): a NULL or empty array becomes [i:i]={x};
 * an index past either end extends the array, NULLs filling the gap. */
#define ARRAY_MAX_ELEMENTS 134217727 /* PostgreSQL's MaxArraySize */

bool array_set_element(const Value *a, Arena *arena, Value *out, Error *err) {
    if (a[1].isnull)
        return error_set(err, SQLSTATE_NULL_VALUE_NOT_ALLOWED, "array subscript in assignment must not be null");
    int64_t i = a[1].u.i;
    Value x = a[2];
    TypeId type = a[0].type;
    x.type = type_info(type)->elem;
    uint32_t n = a[0].isnull ? 0 : array_count(&a[0]);
    if (n == 0) {
        array_make(type, (int32_t)i, &x, 1, arena, out);
        return true;
    }
    ArrayReader r;
    array_read(&a[0], &r);
    int64_t lb = r.lbound, ub = lb + n - 1, nlb = i < lb ? i : lb, nub = i > ub ? i : ub;
    if (nub - nlb + 1 > ARRAY_MAX_ELEMENTS)
        return error_set(err, SQLSTATE_PROGRAM_LIMIT_EXCEEDED, "array size exceeds the maximum allowed (%d)",
                         ARRAY_MAX_ELEMENTS);
    StrBuf b;
    start_array(&b, (int32_t)nlb, (uint32_t)(nub - nlb + 1));
    Value v, null = value_null(x.type);
    for (int64_t k = nlb; k < lb; k++) put_element(&b, k == i ? &x : &null);
    for (int64_t k = lb; array_next(&r, &v); k++) put_element(&b, k == i ? &x : &v);
    for (int64_t k = ub + 1; k <= nub; k++) put_element(&b, k == i ? &x : &null);
    finish_array(&b, type, arena, out);
    return true;
}
