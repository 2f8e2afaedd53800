/*
 * like.c — pattern matching: LIKE and ILIKE (PostgreSQL's like.c: % any
 * characters, _ one character, \ escapes the next; ILIKE folds ASCII case
 * as the C locale does), like_escape for LIKE ... ESCAPE, and the POSIX
 * regular expressions of ~, ~*, !~, !~*, SIMILAR TO and the regexp_
 * functions, run by PCRE2 after translating what PostgreSQL's regex
 * dialect (ARE) writes differently.
 *
 * INTERFACE (types-internal): the functions named in types.def
 */
#include "types/types_int.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <string.h>

/* ---- LIKE -------------------------------------------------------------------------------- */

static size_t utf8_len(unsigned char lead) { return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4; }

static int fold(int c, bool icase) { return icase && c >= 'A' && c <= 'Z' ? c + 32 : c; }

typedef enum { LIKE_FALSE, LIKE_TRUE, LIKE_ABORT } LikeResult;

static size_t char_at(const char *s, size_t n) { /* the bytes of the character at s */
    size_t k = utf8_len((unsigned char)*s);
    return k < n ? k : n;
}

static LikeResult ends_with_escape(Error *err, bool *bad) {
    error_set(err, SQLSTATE_INVALID_ESCAPE_SEQUENCE, "LIKE pattern must not end with escape character");
    *bad = true;
    return LIKE_ABORT;
}

/* Matches s against pattern p (PostgreSQL's MatchText): LIKE_ABORT when s
 * ran out before the pattern did, which no later start in s can change,
 * so callers stop trying. *bad reports an error in err. */
static LikeResult match(const char *s, size_t sn, const char *p, size_t pn, bool icase, Error *err, bool *bad) {
    while (sn > 0 && pn > 0) {
        if (*p == '\\') {
            p++, pn--;
            if (pn == 0) return ends_with_escape(err, bad);
            size_t n = char_at(p, pn);
            if (sn < n || fold((unsigned char)*s, icase) != fold((unsigned char)*p, icase) ||
                memcmp(s + 1, p + 1, n - 1))
                return LIKE_FALSE;
            s += n, sn -= n, p += n, pn -= n;
        } else if (*p == '%') {
            /* a run of % and _: the _s each take one character */
            for (; pn > 0 && (*p == '%' || *p == '_'); p++, pn--) {
                if (*p == '%') continue;
                if (sn == 0) return LIKE_ABORT;
                size_t n = char_at(s, sn);
                s += n, sn -= n;
            }
            if (pn == 0) return LIKE_TRUE;
            if (*p == '\\' && pn < 2) return ends_with_escape(err, bad);
            for (; sn > 0;) {
                LikeResult r = match(s, sn, p, pn, icase, err, bad);
                if (r != LIKE_FALSE) return r;
                size_t n = char_at(s, sn);
                s += n, sn -= n;
            }
            return LIKE_ABORT;
        } else if (*p == '_') {
            size_t n = char_at(s, sn);
            s += n, sn -= n, p++, pn--;
        } else {
            if (fold((unsigned char)*s, icase) != fold((unsigned char)*p, icase)) return LIKE_FALSE;
            s++, sn--, p++, pn--;
        }
    }
    if (sn > 0) return LIKE_FALSE;
    while (pn > 0 && *p == '%') p++, pn--;
    return pn == 0 ? LIKE_TRUE : LIKE_ABORT;
}

static bool like(const Value *a, bool icase, bool negate, Value *out, Error *err) {
    bool bad = false;
    LikeResult r = match(a[0].u.s, a[0].len, a[1].u.s, a[1].len, icase, err, &bad);
    if (bad) return false;
    *out = value_bool((r == LIKE_TRUE) != negate);
    return true;
}

bool textlike(const Value *a, Arena *arena, Value *out, Error *err) { return like(a, false, false, out, err); }
bool textnlike(const Value *a, Arena *arena, Value *out, Error *err) { return like(a, false, true, out, err); }
bool texticlike(const Value *a, Arena *arena, Value *out, Error *err) { return like(a, true, false, out, err); }
bool texticnlike(const Value *a, Arena *arena, Value *out, Error *err) { return like(a, true, true, out, err); }

/* like_escape(pattern, escape): the pattern rewritten for LIKE's own
 * escape, \ : the given escape becomes \, a \ of the pattern is doubled
 * (unless it follows the escape); an empty escape means none. */
bool like_escape(const Value *a, Arena *arena, Value *out, Error *err) {
    const char *p = a[0].u.s, *e = a[1].u.s;
    size_t pn = a[0].len, en = a[1].len;
    if (en && utf8_len((unsigned char)e[0]) != en) {
        error_set(err, SQLSTATE_INVALID_ESCAPE_SEQUENCE, "invalid escape string");
        error_hint(err, "Escape string must be empty or one character.");
        return false;
    }
    if (en == 1 && e[0] == '\\') {
        *out = a[0];
        return true;
    }
    char *o = arena_alloc(arena, 2 * pn + 1), *start = o;
    bool after_escape = false;
    for (size_t i = 0; i < pn;) {
        size_t n = utf8_len((unsigned char)p[i]);
        if (n > pn - i) n = pn - i;
        if (en && n == en && memcmp(p + i, e, en) == 0 && !after_escape) {
            *o++ = '\\';
            after_escape = true;
        } else if (p[i] == '\\') {
            *o++ = '\\';
            if (!after_escape || !en) *o++ = '\\';
            after_escape = false;
        } else {
            memcpy(o, p + i, n);
            o += n;
            after_escape = false;
        }
        i += n;
    }
    *o = '\0';
    *out = value_string(TYPE_TEXT, start, (uint32_t)(o - start));
    return true;
}

/* ---- regular expressions ---------------------------------------------------------------------
 * PostgreSQL's advanced regular expressions run on PCRE2. What ARE writes
 * differently is translated: \m \M \y \Y and [[:<:]] [[:>:]] (word
 * boundaries), \Z (the very end); by default . matches a newline and $
 * only the end of the string, as PostgreSQL's non-newline-sensitive mode
 * has it. Compiled patterns are kept in a small cache: a query applies the
 * same one to every row. Error messages are PCRE2's, under PostgreSQL's
 * SQLSTATE 2201B. */

typedef struct RegexFlags {
    uint32_t options; /* PCRE2 compile options */
    bool global;      /* 'g' */
} RegexFlags;

/* PostgreSQL's regex flags: c i n s x g (q literal, p w partial newline
 * modes: approximated by n). */
static bool parse_flags(const Value *f, bool allow_g, RegexFlags *out, Error *err) {
    out->options = PCRE2_UTF | PCRE2_DOTALL | PCRE2_DOLLAR_ENDONLY;
    out->global = false;
    for (uint32_t i = 0; f && i < f->len; i++) {
        switch (f->u.s[i]) {
        case 'c': out->options &= ~(uint32_t)PCRE2_CASELESS; break;
        case 'i': out->options |= PCRE2_CASELESS; break;
        case 'n':
        case 'p':
        case 'w':
            out->options &= ~(uint32_t)(PCRE2_DOTALL | PCRE2_DOLLAR_ENDONLY);
            out->options |= PCRE2_MULTILINE;
            break;
        case 's':
            out->options |= PCRE2_DOTALL | PCRE2_DOLLAR_ENDONLY;
            out->options &= ~(uint32_t)PCRE2_MULTILINE;
            break;
        case 'x': out->options |= PCRE2_EXTENDED; break;
        case 'q': out->options |= PCRE2_LITERAL; break;
        case 'g':
            if (allow_g) {
                out->global = true;
                break;
            }
            /* fall through */
        default:
            return error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "invalid regular expression option: \"%.*s\"",
                             f->u.s[i] == 'g' ? 1 : (int)utf8_len((unsigned char)f->u.s[i]), f->u.s + i);
        }
    }
    return true;
}

/* The pattern in PCRE2's syntax. */
static char *translate_are(const char *p, size_t n, size_t *out_len) {
    StrBuf b;
    strbuf_init(&b);
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '\\' && i + 1 < n) {
            const char *to = NULL;
            switch (p[i + 1]) {
            case 'm': to = "\\b(?=\\w)"; break;
            case 'M': to = "\\b(?<=\\w)"; break;
            case 'y': to = "\\b"; break;
            case 'Y': to = "\\B"; break;
            case 'Z': to = "\\z"; break;
            default: break;
            }
            if (to)
                strbuf_append_str(&b, to);
            else
                strbuf_append(&b, p + i, 2);
            i++;
        } else if (n - i >= 7 && (memcmp(p + i, "[[:<:]]", 7) == 0 || memcmp(p + i, "[[:>:]]", 7) == 0)) {
            strbuf_append_str(&b, p[i + 3] == '<' ? "\\b(?=\\w)" : "\\b(?<=\\w)");
            i += 6;
        } else {
            strbuf_append_char(&b, p[i]);
        }
    }
    strbuf_append_char(&b, '\0');
    *out_len = b.len - 1;
    return b.data;
}

#define REGEX_CACHE 16

typedef struct CachedRegex {
    char *pattern; /* as written */
    size_t len;
    uint32_t options;
    pcre2_code *code;
} CachedRegex;

static CachedRegex cache[REGEX_CACHE];
static int cache_next;

static pcre2_code *compile(const Value *pattern, uint32_t options, Error *err) {
    for (int i = 0; i < REGEX_CACHE; i++)
        if (cache[i].code && cache[i].options == options && cache[i].len == pattern->len &&
            memcmp(cache[i].pattern, pattern->u.s, pattern->len) == 0)
            return cache[i].code;
    size_t n;
    char *are = options & PCRE2_LITERAL ? NULL : translate_are(pattern->u.s, pattern->len, &n);
    int code;
    PCRE2_SIZE at;
    pcre2_code *re =
        pcre2_compile((PCRE2_SPTR)(are ? are : pattern->u.s), are ? n : pattern->len, options, &code, &at, NULL);
    free(are);
    if (!re) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(code, msg, sizeof msg);
        error_set(err, SQLSTATE_INVALID_REGULAR_EXPRESSION, "invalid regular expression: %s", (const char *)msg);
        return NULL;
    }
    CachedRegex *c = &cache[cache_next];
    cache_next = (cache_next + 1) % REGEX_CACHE;
    if (c->code) pcre2_code_free(c->code);
    free(c->pattern);
    c->pattern = malloc(pattern->len + 1);
    if (!c->pattern) abort();
    memcpy(c->pattern, pattern->u.s, pattern->len);
    c->len = pattern->len;
    c->options = options;
    c->code = re;
    return re;
}

/* The match of re in s from byte `from`: false if none; ovector holds it. */
static bool run(pcre2_code *re, const Value *s, size_t from, pcre2_match_data *md, Error *err, bool *failed) {
    int rc = pcre2_match(re, (PCRE2_SPTR)s->u.s, s->len, from, 0, md, NULL);
    if (rc >= 0) return true;
    if (rc != PCRE2_ERROR_NOMATCH) {
        *failed = true;
        error_set(err, SQLSTATE_INVALID_REGULAR_EXPRESSION, "regular expression failed: error %d", rc);
    }
    return false;
}

static bool regex_test(const Value *s, const Value *pattern, bool icase, bool negate, Value *out, Error *err) {
    RegexFlags f;
    parse_flags(NULL, false, &f, err);
    if (icase) f.options |= PCRE2_CASELESS;
    pcre2_code *re = compile(pattern, f.options, err);
    if (!re) return false;
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
    bool failed = false, found = run(re, s, 0, md, err, &failed);
    pcre2_match_data_free(md);
    if (failed) return false;
    *out = value_bool(found != negate);
    return true;
}

bool textregexeq(const Value *a, Arena *arena, Value *out, Error *err) {
    return regex_test(&a[0], &a[1], false, false, out, err);
}
bool textregexne(const Value *a, Arena *arena, Value *out, Error *err) {
    return regex_test(&a[0], &a[1], false, true, out, err);
}
bool texticregexeq(const Value *a, Arena *arena, Value *out, Error *err) {
    return regex_test(&a[0], &a[1], true, false, out, err);
}
bool texticregexne(const Value *a, Arena *arena, Value *out, Error *err) {
    return regex_test(&a[0], &a[1], true, true, out, err);
}

bool regexp_like(const Value *a, Arena *arena, Value *out, Error *err) {
    return regex_test(&a[0], &a[1], false, false, out, err);
}

bool regexp_like_flags(const Value *a, Arena *arena, Value *out, Error *err) {
    RegexFlags f;
    if (!parse_flags(&a[2], false, &f, err)) return false;
    pcre2_code *re = compile(&a[1], f.options, err);
    if (!re) return false;
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
    bool failed = false, found = run(re, &a[0], 0, md, err, &failed);
    pcre2_match_data_free(md);
    if (failed) return false;
    *out = value_bool(found);
    return true;
}

/* regexp_replace(source, pattern, replacement [, flags]): the first match
 * (every one with 'g') replaced; in the replacement \1..\9 stand for the
 * groups, \& for the whole match, \\ for a backslash. */
static bool replace(const Value *s, const Value *pattern, const Value *repl, const Value *flags, Arena *arena,
                    Value *out, Error *err) {
    RegexFlags f;
    if (!parse_flags(flags, true, &f, err)) return false;
    pcre2_code *re = compile(pattern, f.options, err);
    if (!re) return false;
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
    StrBuf b;
    strbuf_init(&b);
    size_t at = 0;
    bool failed = false;
    while (at <= s->len && run(re, s, at, md, err, &failed)) {
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        uint32_t groups = pcre2_get_ovector_count(md);
        strbuf_append(&b, s->u.s + at, ov[0] - at);
        for (uint32_t i = 0; i < repl->len; i++) {
            char c = repl->u.s[i];
            if (c == '\\' && i + 1 < repl->len) {
                char d = repl->u.s[i + 1];
                if ((d >= '1' && d <= '9') || d == '&') {
                    uint32_t g = d == '&' ? 0 : (uint32_t)(d - '0');
                    if (g < groups && ov[2 * g] != PCRE2_UNSET)
                        strbuf_append(&b, s->u.s + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
                    i++;
                    continue;
                }
                if (d == '\\') {
                    strbuf_append_char(&b, '\\');
                    i++;
                    continue;
                }
            }
            strbuf_append_char(&b, c);
        }
        if (ov[1] == ov[0]) { /* an empty match: step over one character */
            if (ov[1] >= s->len) {
                at = s->len + 1;
                break;
            }
            size_t n = utf8_len((unsigned char)s->u.s[ov[1]]);
            strbuf_append(&b, s->u.s + ov[1], n);
            at = ov[1] + n;
        } else {
            at = ov[1];
        }
        if (!f.global) break;
    }
    pcre2_match_data_free(md);
    if (failed) {
        strbuf_deinit(&b);
        return false;
    }
    if (at < s->len) strbuf_append(&b, s->u.s + at, s->len - at);
    char *p = arena_alloc(arena, b.len + 1);
    memcpy(p, b.data ? b.data : "", b.len);
    p[b.len] = '\0';
    *out = value_string(TYPE_TEXT, p, (uint32_t)b.len);
    strbuf_deinit(&b);
    return true;
}

bool textregexreplace_noopt(const Value *a, Arena *arena, Value *out, Error *err) {
    return replace(&a[0], &a[1], &a[2], NULL, arena, out, err);
}

bool textregexreplace(const Value *a, Arena *arena, Value *out, Error *err) {
    return replace(&a[0], &a[1], &a[2], &a[3], arena, out, err);
}

/* substring(s FROM pattern): the first parenthesized group's match if the
 * pattern has one, else the whole match; NULL without a match. */
bool textregexsubstr(const Value *a, Arena *arena, Value *out, Error *err) {
    RegexFlags f;
    parse_flags(NULL, false, &f, err);
    pcre2_code *re = compile(&a[1], f.options, err);
    if (!re) return false;
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
    bool failed = false;
    if (!run(re, &a[0], 0, md, err, &failed)) {
        pcre2_match_data_free(md);
        if (failed) return false;
        *out = value_null(TYPE_TEXT);
        return true;
    }
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
    int g = pcre2_get_ovector_count(md) > 1 ? 1 : 0;
    if (ov[2 * g] == PCRE2_UNSET)
        *out = value_null(TYPE_TEXT);
    else
        *out = value_string(TYPE_TEXT, a[0].u.s + ov[2 * g], (uint32_t)(ov[2 * g + 1] - ov[2 * g]));
    pcre2_match_data_free(md);
    return true;
}

/* similar_to_escape(pattern [, escape]): SIMILAR TO's pattern as a POSIX
 * one anchored at both ends: % is .*, _ is ., the escape character makes
 * the next one literal, ( is a non-capturing group, and what POSIX would
 * read specially (. ^ $ \) is escaped; inside brackets all is as written. */
static bool similar_escape(const Value *pat, const Value *esc, Arena *arena, Value *out, Error *err) {
    const char *e = "\\";
    size_t en = 1;
    if (esc) {
        e = esc->u.s;
        en = esc->len;
        if (en && utf8_len((unsigned char)e[0]) != en) {
            error_set(err, SQLSTATE_INVALID_ESCAPE_SEQUENCE, "invalid escape string");
            error_hint(err, "Escape string must be empty or one character.");
            return false;
        }
    }
    StrBuf b;
    strbuf_init(&b);
    strbuf_append_str(&b, "^(?:");
    bool after_escape = false;
    int bracket = 0; /* inside [...]: 1 just opened, 2 after its first character */
    for (uint32_t i = 0; i < pat->len;) {
        size_t n = utf8_len((unsigned char)pat->u.s[i]);
        if (n > pat->len - i) n = pat->len - i;
        const char *c = pat->u.s + i;
        i += (uint32_t)n;
        if (after_escape) {
            if (n == 1 && *c != '"') strbuf_append_char(&b, '\\');
            strbuf_append(&b, c, n);
            after_escape = false;
        } else if (en && n == en && memcmp(c, e, en) == 0) {
            after_escape = true;
        } else if (bracket) {
            if (*c == ']' && bracket > 1)
                bracket = 0;
            else
                bracket = 2;
            if (*c == '\\') strbuf_append_char(&b, '\\');
            strbuf_append(&b, c, n);
        } else if (*c == '[') {
            bracket = 1;
            strbuf_append_char(&b, '[');
            if (i < pat->len && pat->u.s[i] == '^') strbuf_append_char(&b, '^'), i++;
        } else if (*c == '%') {
            strbuf_append_str(&b, ".*");
        } else if (*c == '_') {
            strbuf_append_char(&b, '.');
        } else if (*c == '(') {
            strbuf_append_str(&b, "(?:");
        } else if (*c == '\\' || *c == '.' || *c == '^' || *c == '$') {
            strbuf_append_char(&b, '\\');
            strbuf_append_char(&b, *c);
        } else {
            strbuf_append(&b, c, n);
        }
    }
    strbuf_append_str(&b, ")$");
    char *p = arena_alloc(arena, b.len + 1);
    memcpy(p, b.data, b.len);
    p[b.len] = '\0';
    *out = value_string(TYPE_TEXT, p, (uint32_t)b.len);
    strbuf_deinit(&b);
    return true;
}

bool similar_to_escape_1(const Value *a, Arena *arena, Value *out, Error *err) {
    return similar_escape(&a[0], NULL, arena, out, err);
}

bool similar_to_escape_2(const Value *a, Arena *arena, Value *out, Error *err) {
    return similar_escape(&a[0], &a[1], arena, out, err);
}

/* ---- char(n): matched with its trailing spaces, as PostgreSQL's bpcharlike does ---- */

static void padded_args(const Value *a, Arena *arena, Value *args) {
    char buf[VALUE_TEXT_BUF];
    int len;
    const char *p = value_to_text(&a[0], buf, &len);
    char *copy = arena_alloc(arena, (size_t)len + 1);
    memcpy(copy, p, (size_t)len);
    copy[len] = '\0';
    args[0] = value_string(TYPE_TEXT, copy, (uint32_t)len);
    args[1] = a[1];
}

#define BPCHAR_MATCH(name, text_fn)                                                                                    \
    bool name(const Value *a, Arena *arena, Value *out, Error *err) {                                                  \
        Value args[2];                                                                                                 \
        padded_args(a, arena, args);                                                                                   \
        return text_fn(args, arena, out, err);                                                                         \
    }
BPCHAR_MATCH(bpcharlike, textlike)
BPCHAR_MATCH(bpcharnlike, textnlike)
BPCHAR_MATCH(bpchariclike, texticlike)
BPCHAR_MATCH(bpcharicnlike, texticnlike)
BPCHAR_MATCH(bpcharregexeq, textregexeq)
BPCHAR_MATCH(bpcharregexne, textregexne)
BPCHAR_MATCH(bpcharicregexeq, texticregexeq)
BPCHAR_MATCH(bpcharicregexne, texticregexne)

/* ---- regexp_match and regexp_split_to_array: text[] results ---------------------------------- */

static bool no_global(const RegexFlags *f, const char *fn, const char *instead, Error *err) {
    if (!f->global) return true;
    error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "%s() does not support the \"global\" option", fn);
    if (instead) error_hint(err, "Use the %s function instead.", instead);
    return false;
}

static pcre2_code *compile_with(const Value *pattern, const Value *flags, const char *fn, const char *instead,
                                Error *err) {
    RegexFlags f;
    if (!parse_flags(flags, true, &f, err) || !no_global(&f, fn, instead, err)) return NULL;
    return compile(pattern, f.options, err);
}

/* regexp_match(s, pattern [, flags]): the groups of the first match (the
 * whole match if there are none), NULL for an unmatched group; NULL if
 * nothing matches. */
static bool match_groups(const Value *a, const Value *flags, Arena *arena, Value *out, Error *err) {
    pcre2_code *re = compile_with(&a[1], flags, "regexp_match", "regexp_matches", err);
    if (!re) return false;
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
    bool failed = false;
    if (!run(re, &a[0], 0, md, err, &failed)) {
        pcre2_match_data_free(md);
        *out = value_null(TYPE_TEXTARRAY);
        return !failed;
    }
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
    uint32_t count = 0;
    pcre2_pattern_info(re, PCRE2_INFO_CAPTURECOUNT, &count);
    uint32_t first = count ? 1 : 0, n = count ? count : 1;
    Value *items = arena_alloc(arena, ((size_t)n + 1) * sizeof *items);
    for (uint32_t g = first; g < first + n; g++) {
        Value *v = &items[g - first];
        *v = ov[2 * g] == PCRE2_UNSET
                 ? value_null(TYPE_TEXT)
                 : value_string(TYPE_TEXT, a[0].u.s + ov[2 * g], (uint32_t)(ov[2 * g + 1] - ov[2 * g]));
    }
    pcre2_match_data_free(md);
    array_make(TYPE_TEXTARRAY, 1, items, n, arena, out);
    return true;
}

bool regexp_match_no_flags(const Value *a, Arena *arena, Value *out, Error *err) {
    return match_groups(a, NULL, arena, out, err);
}
bool regexp_match(const Value *a, Arena *arena, Value *out, Error *err) {
    return match_groups(a, &a[2], arena, out, err);
}

/* regexp_split_to_array(s, pattern [, flags]): the text between matches;
 * an empty match at either end, or right after the previous match, does
 * not split (PostgreSQL's degenerate matches). */
static bool split(const Value *a, const Value *flags, Arena *arena, Value *out, Error *err) {
    pcre2_code *re = compile_with(&a[1], flags, "regexp_split_to_array", NULL, err);
    if (!re) return false;
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
    const Value *s = &a[0];
    StrBuf items; /* Values, appended */
    strbuf_init(&items);
    size_t at = 0, prev_end = 0, piece = 0;
    bool failed = false;
    while (at <= s->len && run(re, s, at, md, err, &failed)) {
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        if (ov[0] < s->len && ov[1] > prev_end) {
            Value v = value_string(TYPE_TEXT, s->u.s + piece, (uint32_t)(ov[0] - piece));
            strbuf_append(&items, &v, sizeof v);
            piece = ov[1];
        }
        prev_end = ov[1];
        at = ov[1] + (ov[0] == ov[1] ? (ov[1] < s->len ? utf8_len((unsigned char)s->u.s[ov[1]]) : 1) : 0);
    }
    pcre2_match_data_free(md);
    if (!failed) {
        Value v = value_string(TYPE_TEXT, s->u.s + piece, (uint32_t)(s->len - piece));
        strbuf_append(&items, &v, sizeof v);
        array_make(TYPE_TEXTARRAY, 1, (const Value *)items.data, (uint32_t)(items.len / sizeof v), arena, out);
    }
    strbuf_deinit(&items);
    return !failed;
}

bool regexp_split_to_array_no_flags(const Value *a, Arena *arena, Value *out, Error *err) {
    return split(a, NULL, arena, out, err);
}
bool regexp_split_to_array(const Value *a, Arena *arena, Value *out, Error *err) {
    return split(a, &a[2], arena, out, err);
}
