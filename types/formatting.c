/*
 * formatting.c — to_char, to_date, to_timestamp and to_number (PostgreSQL's
 * formatting.c): template patterns for dates and times (YYYY, MM, DD, HH24,
 * MI, SS, MS, US, Month, Day, AM, TZ, OF, IW, J, ... with the FM and TH
 * modifiers, "quoted text") and for numbers (9, 0, ., ,, D, G, S, MI, PL,
 * SG, PR, FM, EEEE, V, TH).
 *
 * A template is read left to right; at each place the longest pattern
 * that matches is taken, anything else is copied (to_char) or skipped
 * (to_date). Fields print zero-padded to their width unless FM is given;
 * names print padded to nine characters (the longest English name).
 *
 * INTERFACE (types-internal): the functions named in types.def
 */
#include "types/types_int.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const MONTHS[] = {"January", "February", "March",     "April",   "May",      "June",
                                     "July",    "August",   "September", "October", "November", "December"};
static const char *const DAYS[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
static const char *const ROMAN[] = {"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"};

/* ---- date and time patterns --------------------------------------------------------------- */

typedef enum Dch {
    DCH_AD_DOTS,
    DCH_AM_DOTS,
    DCH_AD,
    DCH_AM,
    DCH_BC_DOTS,
    DCH_BC,
    DCH_CC,
    DCH_DAY,
    DCH_DDD,
    DCH_DD,
    DCH_DY,
    DCH_D,
    DCH_FF1,
    DCH_FF2,
    DCH_FF3,
    DCH_FF4,
    DCH_FF5,
    DCH_FF6,
    DCH_FX,
    DCH_HH24,
    DCH_HH12,
    DCH_HH,
    DCH_IDDD,
    DCH_ID,
    DCH_IW,
    DCH_IYYY,
    DCH_IYY,
    DCH_IY,
    DCH_I,
    DCH_J,
    DCH_MI,
    DCH_MM,
    DCH_MONTH,
    DCH_MON,
    DCH_MS,
    DCH_OF,
    DCH_PM_DOTS,
    DCH_PM,
    DCH_Q,
    DCH_RM,
    DCH_SSSSS,
    DCH_SSSS,
    DCH_SS,
    DCH_TZH,
    DCH_TZM,
    DCH_TZ,
    DCH_US,
    DCH_WW,
    DCH_W,
    DCH_Y_YYY,
    DCH_YYYY,
    DCH_YYY,
    DCH_YY,
    DCH_Y,
} Dch;

/* Case: how a name prints (MONTH, Month, month), from how it was written. */
typedef enum Case { CASE_UPPER, CASE_CAPITAL, CASE_LOWER } Case;

typedef struct Keyword {
    const char *name;
    Dch id;
    Case how;
} Keyword;

/* Longer spellings before their prefixes; PostgreSQL's table. */
static const Keyword KEYWORDS[] = {
    {"A.D.", DCH_AD_DOTS, CASE_UPPER}, {"A.M.", DCH_AM_DOTS, CASE_UPPER},  {"AD", DCH_AD, CASE_UPPER},
    {"AM", DCH_AM, CASE_UPPER},        {"B.C.", DCH_BC_DOTS, CASE_UPPER},  {"BC", DCH_BC, CASE_UPPER},
    {"CC", DCH_CC, CASE_UPPER},        {"DAY", DCH_DAY, CASE_UPPER},       {"DDD", DCH_DDD, CASE_UPPER},
    {"DD", DCH_DD, CASE_UPPER},        {"DY", DCH_DY, CASE_UPPER},         {"Day", DCH_DAY, CASE_CAPITAL},
    {"Dy", DCH_DY, CASE_CAPITAL},      {"D", DCH_D, CASE_UPPER},           {"FF1", DCH_FF1, CASE_UPPER},
    {"FF2", DCH_FF2, CASE_UPPER},      {"FF3", DCH_FF3, CASE_UPPER},       {"FF4", DCH_FF4, CASE_UPPER},
    {"FF5", DCH_FF5, CASE_UPPER},      {"FF6", DCH_FF6, CASE_UPPER},       {"FX", DCH_FX, CASE_UPPER},
    {"HH24", DCH_HH24, CASE_UPPER},    {"HH12", DCH_HH12, CASE_UPPER},     {"HH", DCH_HH, CASE_UPPER},
    {"IDDD", DCH_IDDD, CASE_UPPER},    {"ID", DCH_ID, CASE_UPPER},         {"IW", DCH_IW, CASE_UPPER},
    {"IYYY", DCH_IYYY, CASE_UPPER},    {"IYY", DCH_IYY, CASE_UPPER},       {"IY", DCH_IY, CASE_UPPER},
    {"I", DCH_I, CASE_UPPER},          {"J", DCH_J, CASE_UPPER},           {"MI", DCH_MI, CASE_UPPER},
    {"MM", DCH_MM, CASE_UPPER},        {"MONTH", DCH_MONTH, CASE_UPPER},   {"MON", DCH_MON, CASE_UPPER},
    {"MS", DCH_MS, CASE_UPPER},        {"Month", DCH_MONTH, CASE_CAPITAL}, {"Mon", DCH_MON, CASE_CAPITAL},
    {"OF", DCH_OF, CASE_UPPER},        {"P.M.", DCH_PM_DOTS, CASE_UPPER},  {"PM", DCH_PM, CASE_UPPER},
    {"Q", DCH_Q, CASE_UPPER},          {"RM", DCH_RM, CASE_UPPER},         {"SSSSS", DCH_SSSSS, CASE_UPPER},
    {"SSSS", DCH_SSSS, CASE_UPPER},    {"SS", DCH_SS, CASE_UPPER},         {"TZH", DCH_TZH, CASE_UPPER},
    {"TZM", DCH_TZM, CASE_UPPER},      {"TZ", DCH_TZ, CASE_UPPER},         {"US", DCH_US, CASE_UPPER},
    {"WW", DCH_WW, CASE_UPPER},        {"W", DCH_W, CASE_UPPER},           {"Y,YYY", DCH_Y_YYY, CASE_UPPER},
    {"YYYY", DCH_YYYY, CASE_UPPER},    {"YYY", DCH_YYY, CASE_UPPER},       {"YY", DCH_YY, CASE_UPPER},
    {"Y", DCH_Y, CASE_UPPER},          {"a.d.", DCH_AD_DOTS, CASE_LOWER},  {"a.m.", DCH_AM_DOTS, CASE_LOWER},
    {"ad", DCH_AD, CASE_LOWER},        {"am", DCH_AM, CASE_LOWER},         {"b.c.", DCH_BC_DOTS, CASE_LOWER},
    {"bc", DCH_BC, CASE_LOWER},        {"cc", DCH_CC, CASE_LOWER},         {"day", DCH_DAY, CASE_LOWER},
    {"ddd", DCH_DDD, CASE_LOWER},      {"dd", DCH_DD, CASE_LOWER},         {"dy", DCH_DY, CASE_LOWER},
    {"d", DCH_D, CASE_LOWER},          {"ff1", DCH_FF1, CASE_LOWER},       {"ff2", DCH_FF2, CASE_LOWER},
    {"ff3", DCH_FF3, CASE_LOWER},      {"ff4", DCH_FF4, CASE_LOWER},       {"ff5", DCH_FF5, CASE_LOWER},
    {"ff6", DCH_FF6, CASE_LOWER},      {"fx", DCH_FX, CASE_LOWER},         {"hh24", DCH_HH24, CASE_LOWER},
    {"hh12", DCH_HH12, CASE_LOWER},    {"hh", DCH_HH, CASE_LOWER},         {"iddd", DCH_IDDD, CASE_LOWER},
    {"id", DCH_ID, CASE_LOWER},        {"iw", DCH_IW, CASE_LOWER},         {"iyyy", DCH_IYYY, CASE_LOWER},
    {"iyy", DCH_IYY, CASE_LOWER},      {"iy", DCH_IY, CASE_LOWER},         {"i", DCH_I, CASE_LOWER},
    {"j", DCH_J, CASE_LOWER},          {"mi", DCH_MI, CASE_LOWER},         {"mm", DCH_MM, CASE_LOWER},
    {"month", DCH_MONTH, CASE_LOWER},  {"mon", DCH_MON, CASE_LOWER},       {"ms", DCH_MS, CASE_LOWER},
    {"of", DCH_OF, CASE_LOWER},        {"p.m.", DCH_PM_DOTS, CASE_LOWER},  {"pm", DCH_PM, CASE_LOWER},
    {"q", DCH_Q, CASE_LOWER},          {"rm", DCH_RM, CASE_LOWER},         {"sssss", DCH_SSSSS, CASE_LOWER},
    {"ssss", DCH_SSSS, CASE_LOWER},    {"ss", DCH_SS, CASE_LOWER},         {"tz", DCH_TZ, CASE_LOWER},
    {"us", DCH_US, CASE_LOWER},        {"ww", DCH_WW, CASE_LOWER},         {"w", DCH_W, CASE_LOWER},
    {"y,yyy", DCH_Y_YYY, CASE_LOWER},  {"yyyy", DCH_YYYY, CASE_LOWER},     {"yyy", DCH_YYY, CASE_LOWER},
    {"yy", DCH_YY, CASE_LOWER},        {"y", DCH_Y, CASE_LOWER},
};

static const Keyword *keyword_at(const char *p, const char *end) {
    for (size_t i = 0; i < ARRAY_LEN(KEYWORDS); i++) {
        size_t n = strlen(KEYWORDS[i].name);
        if ((size_t)(end - p) >= n && memcmp(p, KEYWORDS[i].name, n) == 0) return &KEYWORDS[i];
    }
    return NULL;
}

/* FM, TM (translation: English is all there is), TH / th. */
typedef struct Modifiers {
    bool fill; /* FM: no padding */
    int th;    /* 0, 1 = TH, 2 = th */
} Modifiers;

static const char *read_prefixes(const char *p, const char *end, Modifiers *m) {
    for (;;) {
        if (end - p >= 2 && (!strncmp(p, "FM", 2) || !strncmp(p, "fm", 2)))
            m->fill = true, p += 2;
        else if (end - p >= 2 && (!strncmp(p, "TM", 2) || !strncmp(p, "tm", 2)))
            p += 2;
        else
            return p;
    }
}

static const char *read_suffix(const char *p, const char *end, Modifiers *m) {
    if (end - p >= 2 && !strncmp(p, "TH", 2)) return m->th = 1, p + 2;
    if (end - p >= 2 && !strncmp(p, "th", 2)) return m->th = 2, p + 2;
    return p;
}

static const char *ordinal(int64_t n, bool upper) {
    int64_t last2 = (n < 0 ? -n : n) % 100, last = last2 % 10;
    const char *s = last2 >= 11 && last2 <= 13 ? "th" : last == 1 ? "st" : last == 2 ? "nd" : last == 3 ? "rd" : "th";
    if (!upper) return s;
    return s[0] == 's' ? "ST" : s[0] == 'n' ? "ND" : s[0] == 'r' ? "RD" : "TH";
}

static void put_number(StrBuf *b, int64_t v, int width, const Modifiers *m) {
    if (m->fill)
        strbuf_appendf(b, "%lld", (long long)v);
    else if (v < 0)
        strbuf_appendf(b, "-%0*lld", width, -(long long)v);
    else
        strbuf_appendf(b, "%0*lld", width, (long long)v);
    if (m->th) strbuf_append_str(b, ordinal(v, m->th == 1));
}

static void put_name(StrBuf *b, const char *name, size_t n, Case how, bool pad, const Modifiers *m) {
    size_t len = n ? n : strlen(name);
    for (size_t i = 0; i < len; i++) {
        char c = name[i];
        strbuf_append_char(b, how == CASE_UPPER        ? (char)toupper((unsigned char)c)
                              : how == CASE_LOWER || i ? (char)tolower((unsigned char)c)
                                                       : c);
    }
    if (pad && !m->fill)
        for (size_t i = len; i < 9; i++) strbuf_append_char(b, ' ');
}

static void put_marker(StrBuf *b, const char *upper, Case how) {
    for (const char *c = upper; *c; c++)
        strbuf_append_char(b, how == CASE_LOWER ? (char)tolower((unsigned char)*c) : *c);
}

static int64_t day_number(const DateTimeFields *f) { return types__days_from_civil(f->year, f->month, f->day); }
static int day_of_week(const DateTimeFields *f) { return (int)(((day_number(f) + 4) % 7 + 7) % 7); } /* 0 = Sunday */
static int day_of_year(const DateTimeFields *f) {
    return (int)(day_number(f) - types__days_from_civil(f->year, 1, 1) + 1);
}

/* PostgreSQL's years for BC: 1 BC is year 1 of the era. */
static int64_t era_year(const DateTimeFields *f, bool interval) {
    return interval || f->year > 0 ? f->year : 1 - f->year;
}

static void put_offset_hm(StrBuf *b, int32_t off, bool minutes_always) {
    int32_t a = off < 0 ? -off : off;
    strbuf_appendf(b, "%c%02d", off < 0 ? '-' : '+', a / 3600);
    if (minutes_always || a % 3600) strbuf_appendf(b, ":%02d", a / 60 % 60);
}

static void put_field(StrBuf *b, const Keyword *k, const DateTimeFields *f, bool interval, const Modifiers *m) {
    int64_t year = era_year(f, interval);
    int week;
    int64_t iso_year;
    switch (k->id) {
    case DCH_AD_DOTS:
    case DCH_BC_DOTS: put_marker(b, f->year > 0 ? "A.D." : "B.C.", k->how); break;
    case DCH_AD:
    case DCH_BC: put_marker(b, f->year > 0 ? "AD" : "BC", k->how); break;
    case DCH_AM_DOTS:
    case DCH_PM_DOTS: put_marker(b, f->hour % 24 >= 12 ? "P.M." : "A.M.", k->how); break;
    case DCH_AM:
    case DCH_PM: put_marker(b, f->hour % 24 >= 12 ? "PM" : "AM", k->how); break;
    case DCH_CC: {
        int64_t cc = interval ? f->year / 100 : f->year > 0 ? (f->year + 99) / 100 : -((99 - (f->year - 1)) / 100);
        put_number(b, cc, 2, m);
        break;
    }
    case DCH_DAY: put_name(b, DAYS[day_of_week(f)], 0, k->how, true, m); break;
    case DCH_DY: put_name(b, DAYS[day_of_week(f)], 3, k->how, false, m); break;
    case DCH_DDD: put_number(b, day_of_year(f), 3, m); break;
    case DCH_DD: put_number(b, f->day, 2, m); break;
    case DCH_D: put_number(b, day_of_week(f) + 1, 1, m); break;
    case DCH_ID: put_number(b, day_of_week(f) == 0 ? 7 : day_of_week(f), 1, m); break;
    case DCH_FF1:
    case DCH_FF2:
    case DCH_FF3:
    case DCH_FF4:
    case DCH_FF5:
    case DCH_FF6: {
        int digits = (int)(k->id - DCH_FF1) + 1, v = f->usec;
        for (int i = digits; i < 6; i++) v /= 10;
        put_number(b, v, digits, m);
        break;
    }
    case DCH_FX: break;
    case DCH_HH24: put_number(b, f->hour, 2, m); break;
    case DCH_HH12:
    case DCH_HH: put_number(b, f->hour % 12 == 0 ? 12 : f->hour % 12, 2, m); break;
    case DCH_IDDD:
    case DCH_IW:
    case DCH_IYYY:
    case DCH_IYY:
    case DCH_IY:
    case DCH_I:
        types__iso_week(f->year, f->month, f->day, &week, &iso_year);
        if (k->id == DCH_IW)
            put_number(b, week, 2, m);
        else if (k->id == DCH_IDDD) {
            int64_t jan4 = types__days_from_civil(iso_year, 1, 4), wd = ((jan4 + 3) % 7 + 7) % 7;
            put_number(b, day_number(f) - (jan4 - wd) + 1, 3, m);
        } else {
            int64_t y = iso_year > 0 ? iso_year : 1 - iso_year;
            int w = k->id == DCH_IYYY ? 4 : k->id == DCH_IYY ? 3 : k->id == DCH_IY ? 2 : 1;
            put_number(b, k->id == DCH_IYYY ? y : y % (w == 3 ? 1000 : w == 2 ? 100 : 10), w, m);
        }
        break;
    case DCH_J: put_number(b, day_number(f) + 2440588, 1, m); break;
    case DCH_MI: put_number(b, f->minute, 2, m); break;
    case DCH_MM: put_number(b, f->month, 2, m); break;
    case DCH_MONTH:
        if (f->month) put_name(b, MONTHS[f->month - 1], 0, k->how, true, m);
        break;
    case DCH_MON:
        if (f->month) put_name(b, MONTHS[f->month - 1], 3, k->how, false, m);
        break;
    case DCH_MS: put_number(b, f->usec / 1000, 3, m); break;
    case DCH_US: put_number(b, f->usec, 6, m); break;
    case DCH_OF: put_offset_hm(b, f->gmtoff, false); break;
    case DCH_Q:
        if (f->month) put_number(b, (f->month - 1) / 3 + 1, 1, m);
        break;
    case DCH_RM:
        if (!f->month) break;
        put_marker(b, ROMAN[f->month - 1], k->how);
        for (size_t i = strlen(ROMAN[f->month - 1]); i < 4 && !m->fill; i++) strbuf_append_char(b, ' ');
        break;
    case DCH_SSSSS:
    case DCH_SSSS: put_number(b, (int64_t)f->hour * 3600 + f->minute * 60 + f->second, 1, m); break;
    case DCH_SS: put_number(b, f->second, 2, m); break;
    case DCH_TZH: strbuf_appendf(b, "%c%02d", f->gmtoff < 0 ? '-' : '+', abs(f->gmtoff) / 3600); break;
    case DCH_TZM: strbuf_appendf(b, "%02d", abs(f->gmtoff) / 60 % 60); break;
    case DCH_TZ:
        if (f->has_zone) put_marker(b, f->abbr, k->how);
        break;
    case DCH_WW: put_number(b, (day_of_year(f) - 1) / 7 + 1, 2, m); break;
    case DCH_W: put_number(b, (f->day - 1) / 7 + 1, 1, m); break;
    case DCH_Y_YYY:
        strbuf_appendf(b, "%lld,%03lld", (long long)(year / 1000), (long long)(year % 1000));
        if (m->th) strbuf_append_str(b, ordinal(year, m->th == 1));
        break;
    case DCH_YYYY: put_number(b, year, 4, m); break;
    case DCH_YYY: put_number(b, year % 1000, 3, m); break;
    case DCH_YY: put_number(b, year % 100, 2, m); break;
    case DCH_Y: put_number(b, year % 10, 1, m); break;
    }
}

/* Literal text: "quoted" (\" inside), \ before a character, or any other character. */
static const char *put_literal(StrBuf *b, const char *p, const char *end) {
    if (*p == '"') {
        for (p++; p < end && *p != '"'; p++) {
            if (*p == '\\' && p + 1 < end) p++;
            strbuf_append_char(b, *p);
        }
        return p < end ? p + 1 : p;
    }
    if (*p == '\\' && p + 1 < end && p[1] == '"') return strbuf_append_char(b, '"'), p + 2;
    strbuf_append_char(b, *p);
    return p + 1;
}

static void datetime_to_char(const DateTimeFields *f, bool interval, const Value *fmt, StrBuf *b) {
    const char *p = fmt->u.s, *end = p + fmt->len;
    while (p < end) {
        Modifiers m = {0};
        const char *q = read_prefixes(p, end, &m);
        const Keyword *k = keyword_at(q, end);
        if (!k) {
            p = put_literal(b, p, end);
            continue;
        }
        q = read_suffix(q + strlen(k->name), end, &m);
        put_field(b, k, f, interval, &m);
        p = q;
    }
}

static Value text_result(StrBuf *b, Arena *arena) {
    Value v = value_string(TYPE_TEXT, arena_strndup(arena, b->data ? b->data : "", b->len), (uint32_t)b->len);
    strbuf_deinit(b);
    return v;
}

/* to_char(timestamp | timestamptz, text): NULL for an empty template; an
 * infinite value gives NULL, as PostgreSQL's does. */
bool timestamp_to_char(const Value *a, Arena *arena, Value *out, Error *err) {
    (void)err;
    DateTimeFields f;
    if (a[1].len == 0 || !types__datetime_fields(&a[0], &f)) return *out = value_null(TYPE_TEXT), true;
    StrBuf b;
    strbuf_init(&b);
    datetime_to_char(&f, false, &a[1], &b);
    *out = text_result(&b, arena);
    return true;
}

/* to_char(interval, text): its fields as they stand (hours past 24 too). */
bool interval_to_char(const Value *a, Arena *arena, Value *out, Error *err) {
    (void)err;
    if (a[1].len == 0) return *out = value_null(TYPE_TEXT), true;
    int64_t us;
    int32_t days, months;
    memcpy(&us, a[0].u.s, 8), memcpy(&days, a[0].u.s + 8, 4), memcpy(&months, a[0].u.s + 12, 4);
    DateTimeFields f = {.abbr = ""};
    f.year = months / 12, f.month = months % 12, f.day = days;
    f.hour = (int)(us / 3600000000LL), f.minute = (int)(us / 60000000 % 60), f.second = (int)(us / 1000000 % 60);
    f.usec = (int)(us % 1000000);
    StrBuf b;
    strbuf_init(&b);
    datetime_to_char(&f, true, &a[1], &b);
    *out = text_result(&b, arena);
    return true;
}

/* ---- to_date and to_timestamp ------------------------------------------------------------- */

typedef struct Parse {
    const char *s, *end; /* the input */
    const Value *input, *fmt;
    Error *err;
} Parse;

static bool parse_error(Parse *ps, const char *sqlstate, const char *fmt, ...) PRINTF_LIKE(3, 4);
static bool parse_error(Parse *ps, const char *sqlstate, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    error_setv(ps->err, sqlstate, fmt, ap);
    va_end(ap);
    return false;
}

/* Up to `width` digits (any number with FM or when a separator follows), with a sign. */
static bool parse_int(Parse *ps, const Keyword *k, int width, bool greedy, int64_t *out) {
    while (ps->s < ps->end && *ps->s == ' ') ps->s++;
    const char *start = ps->s;
    bool neg = false;
    if (ps->s < ps->end && (*ps->s == '-' || *ps->s == '+')) neg = *ps->s++ == '-';
    int64_t v = 0;
    int n = 0;
    while (ps->s < ps->end && isdigit((unsigned char)*ps->s) && (greedy || n < width)) {
        v = v * 10 + (*ps->s++ - '0');
        if (++n > 18) break;
    }
    if (n == 0) {
        if (ps->s >= ps->end)
            return parse_error(ps, SQLSTATE_INVALID_DATETIME_FORMAT,
                               "source string too short for \"%s\" formatting field", k->name);
        parse_error(ps, SQLSTATE_INVALID_DATETIME_FORMAT, "invalid value \"%.*s\" for \"%s\"",
                    (int)((ps->end - start) < width ? (ps->end - start) : width), start, k->name);
        error_detail(ps->err, "Value must be an integer.");
        return false;
    }
    *out = neg ? -v : v;
    return true;
}

/* A name from a list (case ignored); its index. */
static bool parse_name(Parse *ps, const Keyword *k, const char *const *names, int count, size_t len, int *out) {
    while (ps->s < ps->end && *ps->s == ' ') ps->s++;
    for (int i = 0; i < count; i++) {
        size_t n = len ? len : strlen(names[i]);
        if ((size_t)(ps->end - ps->s) >= n && strncasecmp(ps->s, names[i], n) == 0) {
            ps->s += n;
            *out = i;
            return true;
        }
    }
    return parse_error(ps, SQLSTATE_INVALID_DATETIME_FORMAT, "invalid value \"%.*s\" for \"%s\"",
                       (int)(ps->end - ps->s < 9 ? ps->end - ps->s : 9), ps->s, k->name);
}

static bool is_separator(char c) { return !isalnum((unsigned char)c) && c != '"'; }

typedef struct Parsed {
    DateTimeFields f;
    bool pm, am, bc, have_tz;
    int64_t hour12;
    bool has_hour12;
} Parsed;

static bool parse_field(Parse *ps, const Keyword *k, bool greedy, Parsed *r) {
    int64_t v;
    int i = 0;
    DateTimeFields *f = &r->f;
    switch (k->id) {
    case DCH_YYYY:
    case DCH_Y_YYY:
        if (!parse_int(ps, k, 4, greedy, &v)) return false;
        if (k->id == DCH_Y_YYY && ps->s < ps->end && *ps->s == ',') {
            int64_t rest;
            ps->s++;
            if (!parse_int(ps, k, 3, false, &rest)) return false;
            v = v * 1000 + rest;
        }
        f->year = v;
        return true;
    case DCH_YYY:
    case DCH_YY:
    case DCH_Y: {
        int w = k->id == DCH_YYY ? 3 : k->id == DCH_YY ? 2 : 1;
        if (!parse_int(ps, k, w, greedy, &v)) return false;
        /* two digits: 1970-2069; three: 1100-2099 (PostgreSQL's adjust_partial_year_to_2020) */
        f->year = w == 2 && v < 100    ? (v < 70 ? 2000 + v : 1900 + v)
                  : w == 3 && v < 1000 ? (v < 100 ? 2000 + v : 1000 + v)
                  : w == 1 && v < 10   ? 2000 + v
                                       : v;
        return true;
    }
    case DCH_MM: return parse_int(ps, k, 2, greedy, &v) && (f->month = (int)v, true);
    case DCH_DD: return parse_int(ps, k, 2, greedy, &v) && (f->day = (int)v, true);
    case DCH_HH24: return parse_int(ps, k, 2, greedy, &v) && (f->hour = (int)v, true);
    case DCH_HH:
    case DCH_HH12:
        if (!parse_int(ps, k, 2, greedy, &v)) return false;
        if (v < 1 || v > 12) {
            parse_error(ps, SQLSTATE_INVALID_DATETIME_FORMAT, "hour \"%lld\" is invalid for the 12-hour clock",
                        (long long)v);
            error_hint(ps->err, "Use the 24-hour clock, or give an hour between 1 and 12.");
            return false;
        }
        r->hour12 = v, r->has_hour12 = true;
        return true;
    case DCH_MI: return parse_int(ps, k, 2, greedy, &v) && (f->minute = (int)v, true);
    case DCH_SS: return parse_int(ps, k, 2, greedy, &v) && (f->second = (int)v, true);
    case DCH_MS: return parse_int(ps, k, 3, greedy, &v) && (f->usec = (int)v * 1000, true);
    case DCH_US: return parse_int(ps, k, 6, greedy, &v) && (f->usec = (int)v, true);
    case DCH_FF1:
    case DCH_FF2:
    case DCH_FF3:
    case DCH_FF4:
    case DCH_FF5:
    case DCH_FF6: {
        int digits = (int)(k->id - DCH_FF1) + 1;
        if (!parse_int(ps, k, digits, false, &v)) return false;
        for (int d = digits; d < 6; d++) v *= 10;
        f->usec = (int)v;
        return true;
    }
    case DCH_MONTH:
        if (!parse_name(ps, k, MONTHS, 12, 0, &i)) return false;
        f->month = i + 1;
        return true;
    case DCH_MON:
        if (!parse_name(ps, k, MONTHS, 12, 3, &i)) return false;
        f->month = i + 1;
        return true;
    case DCH_DAY: return parse_name(ps, k, DAYS, 7, 0, &i);
    case DCH_DY: return parse_name(ps, k, DAYS, 7, 3, &i);
    case DCH_AM:
    case DCH_PM:
    case DCH_AM_DOTS:
    case DCH_PM_DOTS: {
        static const char *const AMPM[] = {"AM", "PM", "A.M.", "P.M."};
        if (!parse_name(ps, k, AMPM, 4, 0, &i)) return false;
        *(i % 2 ? &r->pm : &r->am) = true;
        return true;
    }
    case DCH_AD:
    case DCH_BC:
    case DCH_AD_DOTS:
    case DCH_BC_DOTS: {
        static const char *const ERA[] = {"AD", "BC", "A.D.", "B.C."};
        if (!parse_name(ps, k, ERA, 4, 0, &i)) return false;
        r->bc = i % 2;
        return true;
    }
    case DCH_DDD:
    case DCH_D:
    case DCH_ID:
    case DCH_Q:
    case DCH_W:
    case DCH_WW:
    case DCH_CC: return parse_int(ps, k, k->id == DCH_DDD ? 3 : k->id == DCH_WW || k->id == DCH_CC ? 2 : 1, greedy, &v);
    case DCH_TZH:
        if (!parse_int(ps, k, 2, greedy, &v)) return false;
        f->gmtoff = (int32_t)v * 3600, f->has_zone = true;
        return true;
    case DCH_TZM:
        if (!parse_int(ps, k, 2, greedy, &v)) return false;
        f->gmtoff += (f->gmtoff < 0 ? -1 : 1) * (int32_t)v * 60, f->has_zone = true;
        return true;
    case DCH_J: {
        if (!parse_int(ps, k, 7, true, &v)) return false;
        int64_t days = v - 2440588, y;
        int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
        int64_t doe = z - era * 146097, yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
        int d = (int)(doy - (153 * mp + 2) / 5 + 1), mo = (int)(mp < 10 ? mp + 3 : mp - 9);
        y = yoe + era * 400 + (mo <= 2);
        f->year = y, f->month = mo, f->day = d;
        return true;
    }
    case DCH_SSSS:
    case DCH_SSSSS:
        if (!parse_int(ps, k, 5, true, &v)) return false;
        f->hour = (int)(v / 3600), f->minute = (int)(v / 60 % 60), f->second = (int)(v % 60);
        return true;
    default:
        return parse_error(ps, SQLSTATE_FEATURE_NOT_SUPPORTED, "formatting field \"%s\" is only supported in to_char",
                           k->name);
    }
}

/* The fields the template reads from the input. */
static bool parse_fields(Parse *ps, Parsed *r) {
    const char *p = ps->fmt->u.s, *end = p + ps->fmt->len;
    memset(r, 0, sizeof *r);
    r->f.year = 1, r->f.month = 1, r->f.day = 1, r->f.abbr = "";
    while (p < end) {
        Modifiers m = {0};
        const char *q = read_prefixes(p, end, &m);
        const Keyword *k = keyword_at(q, end);
        if (!k) {
            if (*p == '"') { /* quoted text skips as many input characters */
                for (p++; p < end && *p != '"'; p++)
                    if (ps->s < ps->end) ps->s++;
                p += p < end;
                continue;
            }
            /* a separator or space in the template skips one in the input, if there */
            if (ps->s < ps->end && (is_separator(*ps->s) || *p == *ps->s)) ps->s++;
            p++;
            continue;
        }
        q = read_suffix(q + strlen(k->name), end, &m);
        bool greedy = m.fill || q == end || is_separator(*q);
        if (!parse_field(ps, k, greedy, r)) return false;
        if (m.th && ps->end - ps->s >= 2 && isalpha((unsigned char)ps->s[0])) ps->s += 2;
        p = q;
    }
    if (r->bc && r->f.year > 0) r->f.year = 1 - r->f.year;
    if (r->has_hour12) r->f.hour = (int)(r->hour12 % 12) + (r->pm ? 12 : 0);
    return true;
}

static bool to_datetime(const Value *a, TypeId t, Arena *arena, Value *out, Error *err) {
    Parse ps = {a[0].u.s, a[0].u.s + a[0].len, &a[0], &a[1], err};
    Parsed r;
    if (!parse_fields(&ps, &r)) return false;
    if (r.f.month < 1 || r.f.month > 12 || r.f.day < 1 || r.f.day > 31 || r.f.hour > 24 || r.f.minute > 59 ||
        r.f.second > 60) {
        error_set(err, SQLSTATE_DATETIME_FIELD_OVERFLOW, "date/time field value out of range: \"%.*s\"", (int)a[0].len,
                  a[0].u.s);
        return false;
    }
    if (!types__datetime_from_fields(&r.f, t, out, err)) {
        if (!strcmp(err->sqlstate, SQLSTATE_DATETIME_FIELD_OVERFLOW))
            snprintf(err->message, sizeof err->message, "date/time field value out of range: \"%.*s\"", (int)a[0].len,
                     a[0].u.s);
        return false;
    }
    (void)arena;
    return true;
}

bool to_date(const Value *a, Arena *arena, Value *out, Error *err) {
    return to_datetime(a, TYPE_DATE, arena, out, err);
}
bool to_timestamp(const Value *a, Arena *arena, Value *out, Error *err) {
    return to_datetime(a, TYPE_TIMESTAMPTZ, arena, out, err);
}

/* to_timestamp(double precision): seconds since 1970-01-01 UTC. */
bool float8_timestamptz(const Value *a, Arena *arena, Value *out, Error *err) {
    (void)arena;
    double s = a[0].u.f;
    if (isnan(s)) return error_set(err, SQLSTATE_DATETIME_VALUE_OUT_OF_RANGE, "timestamp cannot be NaN");
    if (isinf(s)) return *out = value_int(TYPE_TIMESTAMPTZ, s > 0 ? INT64_MAX : INT64_MIN), true;
    double us = rint((s - 946684800.0) * 1e6);
    if (us < -211813488000000000.0 || us >= 9223371331200000000.0)
        return error_set(err, SQLSTATE_DATETIME_VALUE_OUT_OF_RANGE, "timestamp out of range: \"%g\"", s);
    *out = value_int(TYPE_TIMESTAMPTZ, (int64_t)us);
    return true;
}

/* ---- numbers ---------------------------------------------------------------------------------
 * 9 a digit (a space where the number has none), 0 a digit (a zero there),
 * . or D the decimal point, , or G a group separator (a space before the
 * first digit), S / MI / PL / SG / PR the sign, FM no padding and no
 * trailing zeros of 9s, EEEE scientific notation, TH an ordinal suffix.
 * Without a sign pattern, a minus (or a space) goes just before the first
 * digit. A number too wide for its 9s and 0s prints as #s. */

/* Where the sign goes: next to the first digit (the slot; also with PL,
 * a leading S and PR), or only where MI, SG or a trailing S stand. */
typedef enum SignSlot { SLOT_NONE, SLOT_MINUS, SLOT_PLUS, SLOT_ANGLE } SignSlot;

typedef struct NumFormat {
    int pre, post;                 /* digit positions before and after the decimal point */
    int zero_start;                /* the first 0 before the point (0-based position), or -1 */
    bool point, fill, eeee, other; /* other: a pattern besides digits and the point */
    SignSlot slot;
} NumFormat;

static bool num_pattern(const char *p, const char *end, const char *word) {
    size_t n = strlen(word);
    return (size_t)(end - p) >= n && strncasecmp(p, word, n) == 0;
}

static void num_scan(const Value *fmt, NumFormat *nf) {
    memset(nf, 0, sizeof *nf);
    nf->zero_start = -1;
    nf->slot = SLOT_MINUS;
    for (const char *p = fmt->u.s, *end = p + fmt->len; p < end;) {
        if (*p == '9' || *p == '0') {
            if (*p == '0' && !nf->point && nf->zero_start < 0) nf->zero_start = nf->pre;
            (*(nf->point ? &nf->post : &nf->pre))++;
            p++;
        } else if (*p == '.' || *p == 'D' || *p == 'd') {
            nf->point = true, p++;
        } else if (num_pattern(p, end, "FM")) {
            nf->fill = nf->other = true, p += 2;
        } else if (num_pattern(p, end, "EEEE")) {
            nf->eeee = true, p += 4;
        } else if (num_pattern(p, end, "PR")) {
            nf->slot = SLOT_ANGLE, nf->other = true, p += 2;
        } else if (num_pattern(p, end, "MI") || num_pattern(p, end, "SG")) {
            nf->slot = SLOT_NONE, nf->other = true, p += 2;
        } else if (num_pattern(p, end, "PL") || num_pattern(p, end, "TH")) {
            nf->other = true, p += 2;
        } else if (*p == 'S' || *p == 's') {
            nf->slot = nf->pre || nf->post ? SLOT_NONE : SLOT_PLUS, nf->other = true, p++;
        } else {
            nf->other |= *p == ',' || *p == 'G' || *p == 'g';
            p++;
        }
    }
}

/* The digits of |value| rounded to `post` places: integer and fraction parts. */
typedef struct NumDigits {
    char digits[1200]; /* integer digits (none for zero), '.', fraction digits */
    int int_len;
    bool neg;
} NumDigits;

static void digits_from_text(const char *t, NumDigits *d) {
    d->neg = *t == '-';
    if (*t == '-' || *t == '+') t++;
    while (*t == '0' && t[1] != '.' && t[1]) t++;
    if (*t == '0' && (t[1] == '.' || !t[1])) t++; /* no integer digits for zero */
    snprintf(d->digits, sizeof d->digits, "%s", t);
    const char *dot = strchr(d->digits, '.');
    d->int_len = dot ? (int)(dot - d->digits) : (int)strlen(d->digits);
}

/* The fraction digit j, or 0 past those there are (a float's limit). */
static char fraction_digit(const NumDigits *d, int j) {
    const char *dot = strchr(d->digits, '.');
    return dot && (size_t)j < strlen(dot + 1) ? dot[1 + j] : 0;
}

static bool value_is_zero(const NumDigits *d) {
    for (const char *c = d->digits; *c; c++)
        if (*c >= '1' && *c <= '9') return false;
    return true;
}

/* FM: the fraction digits to print, trailing zeros on 9s dropped. */
static int fraction_kept(const NumFormat *nf, const NumDigits *d, const Value *fmt) {
    if (!nf->fill) return nf->post;
    char kinds[1024];
    int k = 0;
    bool after = false;
    for (const char *p = fmt->u.s, *end = p + fmt->len; p < end && k < (int)sizeof kinds; p++) {
        if (*p == '.' || *p == 'D' || *p == 'd')
            after = true;
        else if (after && (*p == '9' || *p == '0'))
            kinds[k++] = *p;
    }
    int j = nf->post;
    while (j > 0 && kinds[j - 1] == '9' && (fraction_digit(d, j - 1) == '0' || !fraction_digit(d, j - 1))) j--;
    return j;
}

typedef struct NumOut {
    StrBuf *b;
    const NumFormat *nf;
    bool neg, slot_done, any_digit;
} NumOut;

/* The sign slot, just before the first digit or point printed. */
static void put_slot(NumOut *o) {
    if (o->slot_done) return;
    o->slot_done = true;
    const NumFormat *nf = o->nf;
    char c = nf->slot == SLOT_MINUS   ? (o->neg ? '-' : ' ')
             : nf->slot == SLOT_PLUS  ? (o->neg ? '-' : '+')
             : nf->slot == SLOT_ANGLE ? (o->neg ? '<' : ' ')
                                      : 0;
    if (c && !(c == ' ' && nf->fill)) strbuf_append_char(o->b, c);
}

static void num_to_char(const NumFormat *nf, const NumDigits *d, const Value *fmt, StrBuf *b) {
    bool overflow = d->int_len > nf->pre;
    NumOut o = {b, nf, d->neg && !value_is_zero(d), nf->slot == SLOT_NONE, false};
    int lead = nf->pre - d->int_len; /* pad positions before the first digit */
    bool int_zero = d->int_len == 0 && !nf->point;
    if (int_zero) lead--; /* zero prints one 0 where there is no point */
    int keep = fraction_kept(nf, d, fmt), pos = 0, frac = 0;
    /* FM with nothing else to print shows the zero before the point */
    bool zero_before_point = nf->fill && d->int_len == 0 && keep == 0 && nf->zero_start < 0;
    for (const char *p = fmt->u.s, *end = p + fmt->len; p < end;) {
        if ((*p == '9' || *p == '0') && pos >= nf->pre) { /* after the point */
            char c = fraction_digit(d, frac);
            if (frac < keep && (c || overflow)) strbuf_append_char(b, overflow ? '#' : c);
            frac++, p++;
        } else if (*p == '9' || *p == '0') {
            bool pad = pos < lead, zero = nf->zero_start >= 0 && pos >= nf->zero_start;
            if (pad && !zero && !overflow) {
                if (!nf->fill) strbuf_append_char(b, ' ');
            } else {
                put_slot(&o);
                strbuf_append_char(b, overflow ? '#' : pad || int_zero ? '0' : d->digits[pos - lead]);
                o.any_digit = true;
            }
            pos++, p++;
        } else if (*p == '.' || *p == 'D' || *p == 'd') {
            put_slot(&o);
            if (zero_before_point) strbuf_append_char(b, '0');
            strbuf_append_char(b, '.');
            o.any_digit = true;
            pos = nf->pre, p++;
        } else if (*p == ',' || *p == 'G' || *p == 'g') {
            if (o.any_digit)
                strbuf_append_char(b, overflow ? '#' : ',');
            else if (!nf->fill)
                strbuf_append_char(b, ' ');
            p++;
        } else if (num_pattern(p, end, "FM")) {
            p += 2;
        } else if (num_pattern(p, end, "MI")) {
            if (o.neg || !nf->fill) strbuf_append_char(b, o.neg ? '-' : ' ');
            p += 2;
        } else if (num_pattern(p, end, "PL")) {
            if (!o.neg || !nf->fill) strbuf_append_char(b, o.neg ? ' ' : '+');
            p += 2;
        } else if (num_pattern(p, end, "SG")) {
            strbuf_append_char(b, o.neg ? '-' : '+');
            p += 2;
        } else if (num_pattern(p, end, "PR")) {
            if (o.neg || !nf->fill) strbuf_append_char(b, o.neg ? '>' : ' ');
            p += 2;
        } else if (num_pattern(p, end, "TH")) {
            if (!o.neg && !overflow) strbuf_append_str(b, ordinal(atoll(d->digits), p[0] == 'T'));
            p += 2;
        } else if (*p == 'S' || *p == 's') {
            if (nf->slot == SLOT_NONE) strbuf_append_char(b, o.neg ? '-' : '+');
            p++;
        } else {
            strbuf_append_char(b, *p++);
        }
    }
}

/* EEEE: d.ddde+XX with the pattern's fraction digits. */
static void num_to_char_eeee(const NumFormat *nf, double v, StrBuf *b) {
    if (isnan(v) || isinf(v)) {
        strbuf_append_char(b, ' ');
        for (int i = 0; i < nf->pre + nf->post + (nf->point ? 1 : 0) + 4; i++) strbuf_append_char(b, '#');
        return;
    }
    char buf[64];
    snprintf(buf, sizeof buf, "%+.*e", nf->post, v);
    if (buf[0] == '+') buf[0] = nf->fill ? '\0' : ' ';
    strbuf_append_str(b, buf[0] ? buf : buf + 1);
}

static bool number_to_char(const Value *a, Arena *arena, Value *out, Error *err) {
    NumFormat nf;
    num_scan(&a[1], &nf);
    NumDigits d;
    StrBuf b;
    strbuf_init(&b);
    char text[1200];
    TypeId t = (TypeId)a[0].type;
    if (nf.eeee && nf.other) {
        strbuf_deinit(&b);
        error_set(err, SQLSTATE_SYNTAX_ERROR, "\"EEEE\" is incompatible with other formats");
        error_detail(err, "\"EEEE\" may only be used together with digit and decimal point patterns.");
        return false;
    }
    if (nf.eeee) {
        Value f;
        double v = t == TYPE_NUMERIC ? (numeric_to_float(&a[0], TYPE_FLOAT8, arena, &f, err) ? f.u.f : 0)
                   : t == TYPE_FLOAT8 || t == TYPE_FLOAT4 ? a[0].u.f
                                                          : (double)a[0].u.i;
        num_to_char_eeee(&nf, v, &b);
        *out = text_result(&b, arena);
        return true;
    }
    if (t == TYPE_NUMERIC) {
        Value r;
        numeric_round(NUMERIC_ROUND, &a[0], nf.post, arena, &r);
        snprintf(text, sizeof text, "%.*s", (int)r.len, r.u.s);
        if (!strcmp(text, "NaN") || strstr(text, "Infinity")) /* wider than any pattern: #s */
            snprintf(text, sizeof text, "%s", "99999999999999999999999999999999999999999999");
    } else if (t == TYPE_FLOAT8 || t == TYPE_FLOAT4) {
        double v = a[0].u.f;
        char whole[400];
        snprintf(whole, sizeof whole, "%.0f", fabs(v));
        int digits = t == TYPE_FLOAT8 ? 15 : 6, ilen = (int)strlen(whole);
        int post = ilen >= digits ? 0 : ilen + nf.post > digits ? digits - ilen : nf.post;
        if (isnan(v) || isinf(v))
            snprintf(text, sizeof text, "%s", "99999999999999999999999999999999999999");
        else
            snprintf(text, sizeof text, "%.*f", post, v);
    } else {
        int n = snprintf(text, sizeof text, "%lld", (long long)a[0].u.i);
        if (nf.post) snprintf(text + n, sizeof text - (size_t)n, ".%0*d", nf.post > 1000 ? 1000 : nf.post, 0);
    }
    digits_from_text(text, &d);
    num_to_char(&nf, &d, &a[1], &b);
    *out = text_result(&b, arena);
    return true;
}

bool number_to_char_fn(const Value *a, Arena *arena, Value *out, Error *err) {
    return number_to_char(a, arena, out, err);
}

/* to_number(text, template): the digits the template's 9s and 0s read
 * (spaces skipped, a sign before the first one), the point at . or D,
 * group separators passed over, S / MI / PL / SG / PR for the sign; any
 * other template character passes over one input character. */
bool numeric_to_number(const Value *a, Arena *arena, Value *out, Error *err) {
    const char *in = a[0].u.s, *ie = in + a[0].len, *p = a[1].u.s, *pe = p + a[1].len;
    StrBuf b;
    strbuf_init(&b);
    bool neg = false, point = false, any = false;
    if (in < ie && *in == '<') neg = true, in++; /* PR's angle brackets */
    while (p < pe) {
        if (num_pattern(p, pe, "EEEE")) {
            strbuf_deinit(&b);
            return error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED, "\"EEEE\" not supported for input");
        }
        if (*p == '9' || *p == '0') {
            if (!any && in < ie && (*in == '-' || *in == '+')) neg = *in++ == '-';
            if (in < ie && *in == ' ')
                in++;
            else if (in < ie && *in >= '0' && *in <= '9')
                strbuf_append_char(&b, *in++), any = true;
            p++;
        } else if (*p == '.' || *p == 'D' || *p == 'd') {
            if (in < ie && *in == '.' && !point) strbuf_append_char(&b, '.'), point = true, in++;
            p++;
        } else if (*p == ',' || *p == 'G' || *p == 'g') {
            if (in < ie && *in == ',') in++;
            p++;
        } else if (num_pattern(p, pe, "FM") || num_pattern(p, pe, "TH")) {
            p += 2;
        } else if (num_pattern(p, pe, "PR")) {
            if (in < ie && *in == '>') in++;
            p += 2;
        } else if (num_pattern(p, pe, "MI") || num_pattern(p, pe, "PL") || num_pattern(p, pe, "SG") || *p == 'S' ||
                   *p == 's') {
            if (in < ie && (*in == '-' || *in == '+')) neg = *in++ == '-';
            p += *p == 'S' || *p == 's' ? 1 : 2;
        } else {
            if (in < ie) in++;
            p++;
        }
    }
    if (!any) {
        strbuf_deinit(&b);
        return error_set(err, SQLSTATE_INVALID_TEXT_REPRESENTATION, "invalid input syntax for type numeric: \" \"");
    }
    StrBuf text;
    strbuf_init(&text);
    if (neg) strbuf_append_char(&text, '-');
    strbuf_append(&text, b.data, b.len);
    strbuf_deinit(&b);
    bool ok = numeric_from_text(text.data, text.len, arena, out, err);
    strbuf_deinit(&text);
    return ok;
}
