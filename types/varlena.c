/*
 * varlena.c — the string functions of PostgreSQL's chapter 9.4 for text
 * (varchar and bpchar reach them by implicit casts). Strings are UTF-8;
 * lengths and positions count characters, as PostgreSQL's do. Case
 * mapping is the C locale's (ASCII letters only), as the golden files'
 * PostgreSQL runs with lc_ctype C.
 *
 * INTERFACE (types-internal): the functions named in types.def
 */
#include "types/types_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- UTF-8 characters ---------------------------------------------------------------- */

static size_t char_len(unsigned char lead) { return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4; }

/* Byte offset of character n (0-based) in s, or len if s has fewer. */
static size_t byte_offset(const char *s, size_t len, int64_t n) {
    size_t i = 0;
    for (; i < len && n > 0; n--) i += char_len((unsigned char)s[i]);
    return i < len ? i : len;
}

static int64_t nchars(const Value *v) { return utf8_char_count(v->u.s, v->len); }

static Value text_of(const char *s, size_t len) { return value_string(TYPE_TEXT, s, (uint32_t)len); }

static char *copy_bytes(Arena *arena, const char *s, size_t len) {
    char *p = arena_alloc(arena, len + 1);
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

static bool too_long(Error *err) {
    return error_set(err, SQLSTATE_PROGRAM_LIMIT_EXCEEDED, "requested length too large");
}

#define MAX_ALLOC 0x3FFFFFFF /* PostgreSQL's largest allocation (MaxAllocSize), a value's header included */

/* ---- length and case ---------------------------------------------------------------------- */

bool textlen(const Value *a, Arena *arena, Value *out, Error *err) {
    *out = value_int(TYPE_INT4, nchars(&a[0]));
    return true;
}

bool textoctetlen(const Value *a, Arena *arena, Value *out, Error *err) {
    *out = value_int(TYPE_INT4, a[0].len);
    return true;
}

/* char(n): its characters without the trailing spaces; its bytes with them. */
bool bpcharlen(const Value *a, Arena *arena, Value *out, Error *err) {
    *out = value_int(TYPE_INT4, nchars(&a[0]));
    return true;
}

bool bpcharoctetlen(const Value *a, Arena *arena, Value *out, Error *err) {
    int64_t pad = (int64_t)a[0].width - nchars(&a[0]);
    *out = value_int(TYPE_INT4, a[0].len + (pad > 0 ? pad : 0));
    return true;
}

bool bitlength(const Value *a, Arena *arena, Value *out, Error *err) {
    *out = value_int(TYPE_INT4, (int64_t)a[0].len * 8);
    return true;
}

static bool map_case(const Value *a, Arena *arena, Value *out, int (*map)(int)) {
    char *p = copy_bytes(arena, a[0].u.s, a[0].len);
    for (uint32_t i = 0; i < a[0].len; i++)
        if ((unsigned char)p[i] < 0x80) p[i] = (char)map((unsigned char)p[i]);
    *out = text_of(p, a[0].len);
    return true;
}

static int ascii_lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }
static int ascii_upper(int c) { return c >= 'a' && c <= 'z' ? c - 32 : c; }
static bool ascii_alnum(int c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool lower(const Value *a, Arena *arena, Value *out, Error *err) { return map_case(a, arena, out, ascii_lower); }
bool upper(const Value *a, Arena *arena, Value *out, Error *err) { return map_case(a, arena, out, ascii_upper); }

bool initcap(const Value *a, Arena *arena, Value *out, Error *err) {
    char *p = copy_bytes(arena, a[0].u.s, a[0].len);
    bool in_word = false;
    for (uint32_t i = 0; i < a[0].len; i++) {
        int c = (unsigned char)p[i];
        p[i] = (char)(in_word ? ascii_lower(c) : ascii_upper(c));
        in_word = ascii_alnum(c);
    }
    *out = text_of(p, a[0].len);
    return true;
}

/* ---- substrings ------------------------------------------------------------------------------ */

/* Characters from..from+count-1 (1-based; count < 0: to the end), as
 * text_substring clips them. */
static bool substring(const Value *s, int64_t from, int64_t count, bool has_count, Value *out, Error *err) {
    if (has_count && count < 0)
        return error_set(err, SQLSTATE_SUBSTRING_ERROR, "negative substring length not allowed");
    int64_t end = has_count ? from + count : INT64_MAX; /* exclusive, in characters */
    if (has_count && __builtin_add_overflow(from, count, &end)) end = INT64_MAX;
    if (from < 1) from = 1;
    if (end <= from) {
        *out = text_of("", 0);
        return true;
    }
    size_t b0 = byte_offset(s->u.s, s->len, from - 1);
    size_t b1 = end == INT64_MAX ? s->len : b0 + byte_offset(s->u.s + b0, s->len - b0, end - from);
    *out = text_of(s->u.s + b0, b1 - b0);
    return true;
}

bool text_substr(const Value *a, Arena *arena, Value *out, Error *err) {
    return substring(&a[0], a[1].u.i, a[2].u.i, true, out, err);
}

bool text_substr_no_len(const Value *a, Arena *arena, Value *out, Error *err) {
    return substring(&a[0], a[1].u.i, 0, false, out, err);
}

bool text_left(const Value *a, Arena *arena, Value *out, Error *err) {
    int64_t n = a[1].u.i, len = nchars(&a[0]);
    int64_t keep = n >= 0 ? n : len + n > 0 ? len + n : 0;
    *out = text_of(a[0].u.s, byte_offset(a[0].u.s, a[0].len, keep));
    return true;
}

bool text_right(const Value *a, Arena *arena, Value *out, Error *err) {
    int64_t n = a[1].u.i, len = nchars(&a[0]);
    int64_t skip = n >= 0 ? (len > n ? len - n : 0) : (-n < len ? -n : len);
    size_t b = byte_offset(a[0].u.s, a[0].len, skip);
    *out = text_of(a[0].u.s + b, a[0].len - b);
    return true;
}

/* The 1-based character position of needle in hay, 0 if absent. */
static int64_t find(const Value *hay, const Value *needle) {
    if (needle->len == 0) return 1;
    if (needle->len > hay->len) return 0;
    for (size_t i = 0; i + needle->len <= hay->len; i++)
        if (memcmp(hay->u.s + i, needle->u.s, needle->len) == 0) return utf8_char_count(hay->u.s, i) + 1;
    return 0;
}

bool textpos(const Value *a, Arena *arena, Value *out, Error *err) { /* strpos(hay, needle) */
    *out = value_int(TYPE_INT4, find(&a[0], &a[1]));
    return true;
}

/* overlay(s PLACING r FROM start [FOR count]): s with count characters
 * from start replaced by r (count defaults to r's length). */
static bool overlay(const Value *a, int64_t count, Arena *arena, Value *out, Error *err) {
    int64_t start = a[2].u.i;
    if (count < 0) return error_set(err, SQLSTATE_SUBSTRING_ERROR, "negative substring length not allowed");
    Value head, tail;
    if (!substring(&a[0], 1, start - 1, true, &head, err)) return false;
    int64_t after;
    if (__builtin_add_overflow(start, count, &after))
        return error_set(err, SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "integer out of range");
    if (!substring(&a[0], after, 0, false, &tail, err)) return false;
    size_t len = (size_t)head.len + a[1].len + tail.len;
    char *p = arena_alloc(arena, len + 1);
    memcpy(p, head.u.s, head.len);
    memcpy(p + head.len, a[1].u.s, a[1].len);
    memcpy(p + head.len + a[1].len, tail.u.s, tail.len);
    p[len] = '\0';
    *out = text_of(p, len);
    return true;
}

bool text_overlay(const Value *a, Arena *arena, Value *out, Error *err) {
    return overlay(a, a[3].u.i, arena, out, err);
}
bool text_overlay_no_len(const Value *a, Arena *arena, Value *out, Error *err) {
    return overlay(a, nchars(&a[1]), arena, out, err);
}

bool text_starts_with(const Value *a, Arena *arena, Value *out, Error *err) {
    *out = value_bool(a[1].len <= a[0].len && memcmp(a[0].u.s, a[1].u.s, a[1].len) == 0);
    return true;
}

/* ---- building strings ------------------------------------------------------------------------ */

bool replace_text(const Value *a, Arena *arena, Value *out, Error *err) {
    const Value *s = &a[0], *from = &a[1], *to = &a[2];
    if (from->len == 0 || s->len == 0) {
        *out = *s;
        out->type = TYPE_TEXT;
        return true;
    }
    StrBuf b;
    strbuf_init(&b);
    size_t i = 0;
    while (i < s->len) {
        if (i + from->len <= s->len && memcmp(s->u.s + i, from->u.s, from->len) == 0) {
            strbuf_append(&b, to->u.s, to->len);
            i += from->len;
        } else {
            strbuf_append_char(&b, s->u.s[i++]);
        }
    }
    *out = text_of(copy_bytes(arena, b.data ? b.data : "", b.len), b.len);
    strbuf_deinit(&b);
    return true;
}

/* split_part(s, delimiter, n): field n (from the end when negative). */
bool split_part(const Value *a, Arena *arena, Value *out, Error *err) {
    const Value *s = &a[0], *d = &a[1];
    int64_t n = a[2].u.i;
    if (n == 0) return error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "field position must not be zero");
    if (d->len == 0) {
        *out = n == 1 || n == -1 ? text_of(s->u.s, s->len) : text_of("", 0);
        return true;
    }
    /* The fields' starts and ends, counted once. */
    int64_t fields = 1;
    for (size_t i = 0; i + d->len <= s->len;)
        if (memcmp(s->u.s + i, d->u.s, d->len) == 0)
            fields++, i += d->len;
        else
            i++;
    if (n < 0) n = fields + n + 1;
    if (n < 1 || n > fields) {
        *out = text_of("", 0);
        return true;
    }
    size_t start = 0, i = 0;
    for (int64_t f = 1;; f++) {
        size_t end = s->len;
        for (i = start; i + d->len <= s->len; i++)
            if (memcmp(s->u.s + i, d->u.s, d->len) == 0) {
                end = i;
                break;
            }
        if (f == n) {
            *out = text_of(s->u.s + start, end - start);
            return true;
        }
        start = end + d->len;
    }
}

bool repeat(const Value *a, Arena *arena, Value *out, Error *err) {
    int64_t n = a[1].u.i > 0 ? a[1].u.i : 0;
    if ((uint64_t)a[0].len * (uint64_t)n + 4 > MAX_ALLOC) return too_long(err);
    size_t len = (size_t)a[0].len * (size_t)n;
    char *p = arena_alloc(arena, len + 1);
    for (int64_t i = 0; i < n; i++) memcpy(p + (size_t)i * a[0].len, a[0].u.s, a[0].len);
    p[len] = '\0';
    *out = text_of(p, len);
    return true;
}

bool text_reverse(const Value *a, Arena *arena, Value *out, Error *err) {
    size_t len = a[0].len;
    char *p = arena_alloc(arena, len + 1);
    for (size_t i = 0; i < len;) {
        size_t n = char_len((unsigned char)a[0].u.s[i]);
        if (i + n > len) n = len - i;
        memcpy(p + len - i - n, a[0].u.s + i, n);
        i += n;
    }
    p[len] = '\0';
    *out = text_of(p, len);
    return true;
}

/* lpad / rpad to `length` characters with fill (cut when longer). */
static bool pad(const Value *s, int64_t length, const Value *fill, bool left, Arena *arena, Value *out, Error *err) {
    if (length < 0) length = 0;
    int64_t have = nchars(s);
    if (have >= length || fill->len == 0) {
        *out = text_of(s->u.s, byte_offset(s->u.s, s->len, length < have ? length : have));
        return true;
    }
    int64_t need = length - have, fill_chars = nchars(fill);
    if ((uint64_t)length * 4 + 4 > MAX_ALLOC) return too_long(err);
    StrBuf b;
    strbuf_init(&b);
    if (!left) strbuf_append(&b, s->u.s, s->len);
    for (int64_t k = 0; k < need; k += fill_chars) {
        int64_t take = need - k < fill_chars ? need - k : fill_chars;
        strbuf_append(&b, fill->u.s, byte_offset(fill->u.s, fill->len, take));
    }
    if (left) strbuf_append(&b, s->u.s, s->len);
    *out = text_of(copy_bytes(arena, b.data, b.len), b.len);
    strbuf_deinit(&b);
    return true;
}

static const Value SPACE = {.type = TYPE_TEXT, .len = 1, .u.s = " "};

bool lpad(const Value *a, Arena *arena, Value *out, Error *err) {
    return pad(&a[0], a[1].u.i, &a[2], true, arena, out, err);
}
bool rpad(const Value *a, Arena *arena, Value *out, Error *err) {
    return pad(&a[0], a[1].u.i, &a[2], false, arena, out, err);
}
bool lpad_space(const Value *a, Arena *arena, Value *out, Error *err) {
    return pad(&a[0], a[1].u.i, &SPACE, true, arena, out, err);
}
bool rpad_space(const Value *a, Arena *arena, Value *out, Error *err) {
    return pad(&a[0], a[1].u.i, &SPACE, false, arena, out, err);
}

/* Whether the character at s[i..i+n) is one of set's characters. */
static bool in_set(const char *c, size_t n, const Value *set) {
    for (size_t j = 0; j < set->len;) {
        size_t m = char_len((unsigned char)set->u.s[j]);
        if (m == n && memcmp(set->u.s + j, c, n) == 0) return true;
        j += m;
    }
    return false;
}

/* btrim / ltrim / rtrim: characters of set removed from either end. */
static bool trim_chars(const Value *s, const Value *set, bool leading, bool trailing, Value *out) {
    size_t start = 0, end = s->len;
    while (leading && start < end) {
        size_t n = char_len((unsigned char)s->u.s[start]);
        if (!in_set(s->u.s + start, n, set)) break;
        start += n;
    }
    while (trailing && end > start) {
        size_t b = end - 1;
        while (b > start && ((unsigned char)s->u.s[b] & 0xC0) == 0x80) b--; /* back to the character's lead byte */
        if (!in_set(s->u.s + b, end - b, set)) break;
        end = b;
    }
    *out = text_of(s->u.s + start, end - start);
    return true;
}

bool btrim(const Value *a, Arena *arena, Value *out, Error *err) { return trim_chars(&a[0], &a[1], true, true, out); }
bool btrim1(const Value *a, Arena *arena, Value *out, Error *err) { return trim_chars(&a[0], &SPACE, true, true, out); }
bool ltrim(const Value *a, Arena *arena, Value *out, Error *err) { return trim_chars(&a[0], &a[1], true, false, out); }
bool ltrim1(const Value *a, Arena *arena, Value *out, Error *err) {
    return trim_chars(&a[0], &SPACE, true, false, out);
}
bool rtrim(const Value *a, Arena *arena, Value *out, Error *err) { return trim_chars(&a[0], &a[1], false, true, out); }
bool rtrim1(const Value *a, Arena *arena, Value *out, Error *err) {
    return trim_chars(&a[0], &SPACE, false, true, out);
}

/* translate(s, from, to): each character of from becomes the one at the
 * same place in to, or is removed when to is shorter. */
bool translate(const Value *a, Arena *arena, Value *out, Error *err) {
    const Value *s = &a[0], *from = &a[1], *to = &a[2];
    StrBuf b;
    strbuf_init(&b);
    for (size_t i = 0; i < s->len;) {
        size_t n = char_len((unsigned char)s->u.s[i]);
        int64_t at = -1, k = 0;
        for (size_t j = 0; j < from->len; k++) {
            size_t m = char_len((unsigned char)from->u.s[j]);
            if (m == n && memcmp(from->u.s + j, s->u.s + i, n) == 0) {
                at = k;
                break;
            }
            j += m;
        }
        if (at < 0) {
            strbuf_append(&b, s->u.s + i, n);
        } else if (at < nchars(to)) {
            size_t t0 = byte_offset(to->u.s, to->len, at);
            strbuf_append(&b, to->u.s + t0, char_len((unsigned char)to->u.s[t0]));
        }
        i += n;
    }
    *out = text_of(copy_bytes(arena, b.data ? b.data : "", b.len), b.len);
    strbuf_deinit(&b);
    return true;
}

/* ---- characters and codes ---------------------------------------------------------------------- */

bool ascii(const Value *a, Arena *arena, Value *out, Error *err) {
    const unsigned char *s = (const unsigned char *)a[0].u.s;
    int64_t cp = 0;
    if (a[0].len) {
        size_t n = char_len(s[0]);
        cp = n == 1 ? s[0] : s[0] & (0x3F >> (n - 1));
        for (size_t i = 1; i < n && i < a[0].len; i++) cp = cp << 6 | (s[i] & 0x3F);
    }
    *out = value_int(TYPE_INT4, cp);
    return true;
}

bool chr(const Value *a, Arena *arena, Value *out, Error *err) {
    int64_t cp = a[0].u.i;
    if (cp == 0) return error_set(err, SQLSTATE_PROGRAM_LIMIT_EXCEEDED, "null character not permitted");
    if (cp < 0) return error_set(err, SQLSTATE_PROGRAM_LIMIT_EXCEEDED, "character number must be positive");
    if (cp > 0x10FFFF)
        return error_set(err, SQLSTATE_PROGRAM_LIMIT_EXCEEDED, "requested character too large for encoding: %lld",
                         (long long)cp);
    if (cp >= 0xD800 && cp <= 0xDFFF)
        return error_set(err, SQLSTATE_PROGRAM_LIMIT_EXCEEDED, "requested character not valid for encoding: %lld",
                         (long long)cp);
    char *p = arena_alloc(arena, 5);
    size_t n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    static const unsigned char LEAD[] = {0, 0, 0xC0, 0xE0, 0xF0};
    for (size_t i = n - 1; i > 0; i--, cp >>= 6) p[i] = (char)(0x80 | (cp & 0x3F));
    p[0] = (char)(n == 1 ? cp : (LEAD[n] | cp));
    p[n] = '\0';
    *out = text_of(p, n);
    return true;
}

static bool to_hex(uint64_t v, Arena *arena, Value *out) {
    char buf[20];
    int n = snprintf(buf, sizeof buf, "%llx", (unsigned long long)v);
    *out = text_of(copy_bytes(arena, buf, (size_t)n), (size_t)n);
    return true;
}

bool to_hex32(const Value *a, Arena *arena, Value *out, Error *err) { return to_hex((uint32_t)a[0].u.i, arena, out); }
bool to_hex64(const Value *a, Arena *arena, Value *out, Error *err) { return to_hex((uint64_t)a[0].u.i, arena, out); }

/* ---- quoting ------------------------------------------------------------------------------------ */

static const char *const KEYWORDS[] = {
#define KEYWORD(word) word,
#include "types/keywords.def"
#undef KEYWORD
};

static int compare_words(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* quote_ident: double quotes unless s is a lower-case identifier and not
 * a keyword PostgreSQL reserves in any way. */
bool quote_ident(const Value *a, Arena *arena, Value *out, Error *err) {
    const char *s = a[0].u.s;
    size_t len = a[0].len;
    bool safe = len > 0 && ((s[0] >= 'a' && s[0] <= 'z') || s[0] == '_');
    for (size_t i = 0; i < len && safe; i++)
        safe = (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_';
    if (safe) {
        char *word = copy_bytes(arena, s, len);
        const char *key = word;
        safe = !bsearch(&key, KEYWORDS, ARRAY_LEN(KEYWORDS), sizeof *KEYWORDS, compare_words);
    }
    if (safe) {
        *out = text_of(s, len);
        return true;
    }
    StrBuf b;
    strbuf_init(&b);
    strbuf_append_char(&b, '"');
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '"') strbuf_append_char(&b, '"');
        strbuf_append_char(&b, s[i]);
    }
    strbuf_append_char(&b, '"');
    *out = text_of(copy_bytes(arena, b.data, b.len), b.len);
    strbuf_deinit(&b);
    return true;
}

/* quote_literal: single quotes doubled; with a backslash, E'' and the
 * backslashes doubled too. */
static Value quote_literal_of(const char *s, size_t len, Arena *arena) {
    StrBuf b;
    strbuf_init(&b);
    if (memchr(s, '\\', len)) strbuf_append_char(&b, 'E');
    strbuf_append_char(&b, '\'');
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\'' || s[i] == '\\') strbuf_append_char(&b, s[i]);
        strbuf_append_char(&b, s[i]);
    }
    strbuf_append_char(&b, '\'');
    Value v = text_of(copy_bytes(arena, b.data, b.len), b.len);
    strbuf_deinit(&b);
    return v;
}

bool quote_literal(const Value *a, Arena *arena, Value *out, Error *err) {
    *out = quote_literal_of(a[0].u.s, a[0].len, arena);
    return true;
}

bool quote_nullable(const Value *a, Arena *arena, Value *out, Error *err) { /* not strict */
    *out = a[0].isnull ? text_of("NULL", 4) : quote_literal_of(a[0].u.s, a[0].len, arena);
    return true;
}

/* quote_literal(anyelement), quote_nullable(anyelement): of the value's text. */
static Value text_form(const Value *v, Arena *arena) {
    char buf[VALUE_TEXT_BUF];
    int len;
    const char *p = value_to_text(v, buf, &len);
    return text_of(copy_bytes(arena, p, (size_t)len), (size_t)len);
}

bool quote_literal_any(const Value *a, Arena *arena, Value *out, Error *err) {
    Value t = text_form(&a[0], arena);
    return quote_literal(&t, arena, out, err);
}

bool quote_nullable_any(const Value *a, Arena *arena, Value *out, Error *err) {
    if (a[0].isnull) return quote_nullable(a, arena, out, err);
    Value t = text_form(&a[0], arena);
    return quote_literal(&t, arena, out, err);
}

/* ---- concat --------------------------------------------------------------------------------------- */

/* The text of any value, as its output function writes it. */
static void append_text(StrBuf *b, const Value *v) {
    char buf[VALUE_TEXT_BUF];
    int len;
    const char *p = value_to_text(v, buf, &len);
    strbuf_append(b, p, (size_t)len);
}

static bool concat_values(const Value *sep, const Value *args, int nargs, Arena *arena, Value *out) {
    StrBuf b;
    strbuf_init(&b);
    bool first = true;
    for (int i = 0; i < nargs; i++) {
        if (args[i].isnull) continue;
        if (sep && !first) strbuf_append(&b, sep->u.s, sep->len);
        append_text(&b, &args[i]);
        first = false;
    }
    *out = text_of(copy_bytes(arena, b.data ? b.data : "", b.len), b.len);
    strbuf_deinit(&b);
    return true;
}

/* concat(VARIADIC "any") and concat_ws(text, VARIADIC "any"): not strict;
 * NULL arguments are skipped (and a NULL separator gives NULL). nargs
 * arrives as the end marker: args[n].type == TYPE_INVALID. */
static int count_args(const Value *args) {
    int n = 0;
    while (args[n].type != TYPE_INVALID) n++;
    return n;
}

bool text_concat(const Value *a, Arena *arena, Value *out, Error *err) {
    return concat_values(NULL, a, count_args(a), arena, out);
}

bool text_concat_ws(const Value *a, Arena *arena, Value *out, Error *err) {
    if (a[0].isnull) return *out = value_null(TYPE_TEXT), true;
    return concat_values(&a[0], a + 1, count_args(a + 1), arena, out);
}

/* ---- format ------------------------------------------------------------------------------------------
 * format(fmt, VARIADIC args): %[n$][-][width]{s|I|L} and %%, as PostgreSQL's
 * text_format: s the value's text (NULL as nothing), I quote_ident, L
 * quote_nullable; width pads with spaces (- on the right), * takes it from
 * an argument. Arguments are taken in order, or from n$ on. */

static bool format_error(Error *err, const char *fmt, char c) {
    error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, fmt, c);
    error_hint(err, "For a single \"%%\" use \"%%%%\".");
    return false;
}

/* Digits at *p; false if there are none. Overflow is PostgreSQL's error. */
static bool format_number(const char **p, const char *end, int *out, Error *err, bool *failed) {
    const char *s = *p;
    long long v = 0;
    while (s < end && *s >= '0' && *s <= '9') {
        v = v * 10 + (*s++ - '0');
        if (v > INT32_MAX) {
            *failed = true;
            return error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "number is out of range");
        }
    }
    if (s == *p) return false;
    *p = s;
    *out = (int)v;
    return true;
}

/* [n$]: an argument position; *pos 0 when absent. */
static bool format_position(const char **p, const char *end, int *pos, Error *err) {
    const char *s = *p;
    int n;
    bool failed = false;
    *pos = 0;
    if (!format_number(&s, end, &n, err, &failed)) return !failed;
    if (s == end || *s != '$') return true; /* a width, read again by the caller */
    if (n == 0)
        return error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE,
                         "format specifies argument 0, but arguments are numbered from 1");
    *pos = n;
    *p = s + 1;
    return true;
}

static void format_pad(StrBuf *b, const char *s, size_t len, int width, bool left) {
    int chars = utf8_char_count(s, len);
    if (!left)
        for (int i = chars; i < width; i++) strbuf_append_char(b, ' ');
    strbuf_append(b, s, len);
    if (left)
        for (int i = chars; i < width; i++) strbuf_append_char(b, ' ');
}

static bool format_value(StrBuf *b, char type, const Value *v, int width, bool left, Arena *arena, Error *err) {
    Value t = v->isnull ? text_of("", 0) : text_form(v, arena), q;
    if (type == 'I') {
        if (v->isnull)
            return error_set(err, SQLSTATE_NULL_VALUE_NOT_ALLOWED,
                             "null values cannot be formatted as an SQL identifier");
        quote_ident(&t, arena, &q, err);
        t = q;
    } else if (type == 'L') {
        t = v->isnull ? text_of("NULL", 4) : quote_literal_of(t.u.s, t.len, arena);
    }
    format_pad(b, t.u.s, t.len, width, left);
    return true;
}

static bool format_text(const Value *fmt, const Value *args, int nargs, Arena *arena, StrBuf *b, Error *err) {
    const char *p = fmt->u.s, *end = p + fmt->len;
    int next = 0; /* the next argument taken in order, 0-based */
    while (p < end) {
        if (*p != '%') {
            strbuf_append_char(b, *p++);
            continue;
        }
        if (++p == end) return format_error(err, "unterminated format() type specifier", 0);
        if (*p == '%') {
            strbuf_append_char(b, *p++);
            continue;
        }
        int pos, width = 0;
        bool left = false, failed = false;
        if (!format_position(&p, end, &pos, err)) return false;
        if (p < end && *p == '-') left = true, p++;
        if (p < end && *p == '*') { /* the width from an argument */
            p++;
            int wpos;
            if (!format_position(&p, end, &wpos, err)) return false;
            int wi = wpos ? wpos - 1 : next;
            if (wi >= nargs) return error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "too few arguments for format()");
            next = wi + 1;
            const Value *w = &args[wi];
            if (!w->isnull) {
                bool is_int = w->type == TYPE_INT2 || w->type == TYPE_INT4 || w->type == TYPE_INT8;
                width = is_int ? (int)w->u.i : atoi(text_form(w, arena).u.s);
                if (width < 0) left = true, width = -width;
            }
        } else if (!format_number(&p, end, &width, err, &failed) && failed) {
            return false;
        }
        if (p == end) return format_error(err, "unterminated format() type specifier", 0);
        char type = *p++;
        if (type != 's' && type != 'I' && type != 'L')
            return format_error(err, "unrecognized format() type specifier \"%c\"", type);
        int ai = pos ? pos - 1 : next;
        if (ai >= nargs) return error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "too few arguments for format()");
        next = ai + 1;
        if (!format_value(b, type, &args[ai], width, left, arena, err)) return false;
    }
    return true;
}

bool text_format(const Value *a, Arena *arena, Value *out, Error *err) {
    if (a[0].isnull) return *out = value_null(TYPE_TEXT), true;
    StrBuf b;
    strbuf_init(&b);
    bool ok = format_text(&a[0], a + 1, count_args(a + 1), arena, &b, err);
    if (ok) *out = text_of(copy_bytes(arena, b.data, b.len), b.len);
    strbuf_deinit(&b);
    return ok;
}
