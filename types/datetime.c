/*
 * datetime.c — date, time, timestamp, timestamptz and interval: their text
 * forms (input as PostgreSQL's ParseDateTime / DecodeDateTime read the
 * common spellings, output in DateStyle ISO and IntervalStyle postgres),
 * binary forms, casts among them, and calendar arithmetic.
 *
 * Representations (PostgreSQL's, so the binary forms are theirs too):
 *   date         Value.u.i: days since 2000-01-01; INT32_MIN / INT32_MAX
 *                are -infinity / infinity
 *   time         Value.u.i: microseconds since midnight
 *   timestamp    Value.u.i: microseconds since 2000-01-01 00:00, local time
 *   timestamptz  Value.u.i: microseconds since 2000-01-01 00:00 UTC; shown
 *                and read in the TimeZone setting's zone
 *   (timestamps: INT64_MIN / INT64_MAX are -infinity / infinity)
 *   interval     Value.u.s: 16 bytes, the Interval struct below (months,
 *                days and microseconds kept apart, as a month or a day
 *                has no fixed length)
 * The calendar is the proleptic Gregorian one; years before 1 are BC.
 *
 * INTERFACE (types-internal): types__datetime_from_text, types__datetime_to_text,
 *   types__interval_* and the functions and operators named in types.def;
 *   types__datetime_cast; public: interval_make
 */
#include "types/types_int.h"

#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define USECS_PER_SEC INT64_C(1000000)
#define USECS_PER_MINUTE INT64_C(60000000)
#define USECS_PER_HOUR INT64_C(3600000000)
#define USECS_PER_DAY INT64_C(86400000000)
#define SECS_PER_DAY 86400
#define PG_EPOCH_DAYS 10957                 /* 2000-01-01 in days since 1970-01-01 */
#define DATE_MIN (-2451545)                 /* 4713-11-24 BC, Julian day 0 */
#define DATE_END 2145031949                 /* 5874898-01-01: the first date past the range */
#define TS_MIN INT64_C(-211813488000000000) /* 4713-11-24 BC 00:00 */
#define TS_END INT64_C(9223371331200000000) /* 294277-01-01 00:00: the first instant past the range */
#define DT_NOBEGIN INT64_MIN
#define DT_NOEND INT64_MAX
#define DATE_NOBEGIN INT32_MIN
#define DATE_NOEND INT32_MAX

/* ---- the calendar ------------------------------------------------------------------- */

/* Days since 1970-01-01 of a civil date (H. Hinnant's algorithm). */
int64_t types__days_from_civil(int64_t y, int m, int d) {
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d) {
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static bool is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int days_in_month(int64_t y, int m) {
    static const int DAYS[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : DAYS[m - 1];
}

static int64_t floor_div(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

/* A timestamp split into its date (days since 2000) and time of day. */
static void split_ts(int64_t ts, int64_t *days, int64_t *us) {
    *days = floor_div(ts, USECS_PER_DAY);
    *us = ts - *days * USECS_PER_DAY;
}

typedef struct Tm {
    int64_t year; /* astronomical: 0 is 1 BC */
    int month, day, hour, minute, second, usec;
} Tm;

static Tm tm_from_ts(int64_t ts) {
    int64_t days, us;
    split_ts(ts, &days, &us);
    Tm tm;
    civil_from_days(days + PG_EPOCH_DAYS, &tm.year, &tm.month, &tm.day);
    tm.hour = (int)(us / USECS_PER_HOUR);
    tm.minute = (int)(us / USECS_PER_MINUTE % 60);
    tm.second = (int)(us / USECS_PER_SEC % 60);
    tm.usec = (int)(us % USECS_PER_SEC);
    return tm;
}

static bool ts_from_tm(const Tm *tm, int64_t *out) {
    int64_t days = types__days_from_civil(tm->year, tm->month, tm->day) - PG_EPOCH_DAYS;
    if (days < DATE_MIN - 1 || days > 106751991) return false;
    *out = days * USECS_PER_DAY + tm->hour * USECS_PER_HOUR + tm->minute * USECS_PER_MINUTE +
           tm->second * USECS_PER_SEC + tm->usec;
    return true;
}

static bool ts_valid(int64_t ts) { return ts >= TS_MIN && ts < TS_END; }

/* ---- time zones: timestamptz <-> local time ------------------------------------------- */

static const TimeZone *current_zone(void) { return types__settings()->timezone; }

static int64_t unix_secs(int64_t ts) { return floor_div(ts, USECS_PER_SEC) + (int64_t)PG_EPOCH_DAYS * SECS_PER_DAY; }

/* Seconds east of UTC in force at the instant ts in zone tz. */
static int32_t offset_at(const TimeZone *tz, int64_t ts, const char **abbr) {
    return timezone_offset_utc(tz, unix_secs(ts), NULL, abbr);
}

static int64_t to_local(const TimeZone *tz, int64_t ts) { return ts + offset_at(tz, ts, NULL) * USECS_PER_SEC; }

/* The instant of a local time in zone tz (PostgreSQL's choice for times a
 * transition skips or repeats). */
static int64_t from_local(const TimeZone *tz, int64_t local) {
    return local - timezone_offset_local(tz, unix_secs(local)) * USECS_PER_SEC;
}

/* ---- errors ------------------------------------------------------------------------- */

/* The input functions' own names for their types: "timestamp" and "time"
 * where format_type says "... without time zone". */
static const char *input_name(TypeId t) {
    return t == TYPE_TIMESTAMP ? "timestamp" : t == TYPE_TIME ? "time" : type_info(t)->sql_name;
}

static bool bad_syntax(TypeId t, const char *s, size_t len, Error *err) {
    return error_set(err, SQLSTATE_INVALID_DATETIME_FORMAT, "invalid input syntax for type %s: \"%.*s\"", input_name(t),
                     (int)len, s);
}

static bool field_overflow(const char *s, size_t len, bool hint, Error *err) {
    error_set(err, SQLSTATE_DATETIME_FIELD_OVERFLOW, "date/time field value out of range: \"%.*s\"", (int)len, s);
    if (hint) error_hint(err, "Perhaps you need a different \"datestyle\" setting.");
    return false;
}

static bool out_of_range(TypeId t, const char *s, size_t len, Error *err) {
    const char *what = t == TYPE_DATE ? "date" : t == TYPE_TIME ? "time" : "timestamp";
    if (s) return error_set(err, SQLSTATE_DATETIME_VALUE_OUT_OF_RANGE, "%s out of range: \"%.*s\"", what, (int)len, s);
    return error_set(err, SQLSTATE_DATETIME_VALUE_OUT_OF_RANGE, "%s out of range", what);
}

/* ---- input: tokens -------------------------------------------------------------------
 * The text splits into fields as PostgreSQL's ParseDateTime splits it:
 * numbers, dates with - / or . between their parts, times with :, words,
 * and signed numbers (zone offsets); other punctuation only separates. */

/* TOK_ZONE: letters run into digits (est5edt, a0eebc99-...): PostgreSQL
 * reads it whole and, in a time, as a time zone's name. */
typedef enum { TOK_NUMBER, TOK_DATE, TOK_TIME, TOK_WORD, TOK_SIGNED, TOK_ZONE } TokKind;

typedef struct Tok {
    TokKind kind;
    const char *s;
    size_t n;
} Tok;

#define MAX_TOKS 16

static int month_of(const char *s, size_t n);
static bool is_weekday(const Tok *t);

static int tokenize(const char *s, size_t len, Tok *toks) {
    int nt = 0;
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (isspace(c) || (ispunct(c) && c != '+' && c != '-' && c != '.' && c != ':' && c != '/')) {
            i++;
            continue;
        }
        if (nt == MAX_TOKS) return -1;
        Tok *t = &toks[nt++];
        size_t start = i;
        if (isdigit(c)) {
            while (i < len && isdigit((unsigned char)s[i])) i++;
            if (i < len && s[i] == ':') {
                t->kind = TOK_TIME;
                while (i < len && (isdigit((unsigned char)s[i]) || s[i] == ':' || s[i] == '.')) i++;
            } else if (i < len && (s[i] == '-' || s[i] == '/' || s[i] == '.')) {
                char delim = s[i];
                size_t save = i;
                i++;
                /* stop at ISO 8601's T before the time: 1999-12-31T23:59 */
                while (i < len && (isalnum((unsigned char)s[i]) || s[i] == delim) &&
                       !((s[i] == 'T' || s[i] == 't') && i + 1 < len && isdigit((unsigned char)s[i + 1])))
                    i++;
                /* one '.' and digits only: a number with a fraction */
                if (delim == '.' && !memchr(s + save + 1, '.', i - save - 1)) {
                    t->kind = TOK_NUMBER;
                    bool digits = true;
                    for (size_t k = save + 1; k < i; k++) digits &= isdigit((unsigned char)s[k]) != 0;
                    if (!digits) return -1;
                } else {
                    t->kind = TOK_DATE;
                }
            } else {
                t->kind = TOK_NUMBER;
            }
        } else if (c == '.' && i + 1 < len && isdigit((unsigned char)s[i + 1])) {
            i++;
            while (i < len && isdigit((unsigned char)s[i])) i++;
            t->kind = TOK_NUMBER;
        } else if (isalpha(c)) {
            while (i < len && (isalpha((unsigned char)s[i]) || s[i] == '_')) i++;
            t->kind = TOK_WORD;
            bool keyword = (i - start == 1 && (c == 't' || c == 'T' || c == 'j' || c == 'J')) ||
                           month_of(s + start, i - start) ||
                           is_weekday(&(Tok){.kind = TOK_WORD, .s = s + start, .n = i - start});
            if (i < len && (isdigit((unsigned char)s[i]) || s[i] == '+') && !keyword) {
                while (i < len && (isalnum((unsigned char)s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '/' ||
                                   s[i] == '_' || s[i] == '.' || s[i] == ':'))
                    i++;
                t->kind = TOK_ZONE;
            }
            /* Jan-08-1999 and zone names with slashes: America/New_York, Etc/GMT+5 */
            if (i < len &&
                (s[i] == '/' || ((s[i] == '-' || s[i] == '.') && i + 1 < len && isdigit((unsigned char)s[i + 1])))) {
                bool zone = s[i] == '/';
                while (i < len && (isalnum((unsigned char)s[i]) || s[i] == '/' || s[i] == '_' || s[i] == '-' ||
                                   s[i] == '.' || (zone && s[i] == '+')))
                    i++;
                t->kind = zone ? TOK_WORD : TOK_DATE;
            }
        } else if (c == '+' || c == '-') {
            i++;
            if (i < len && isdigit((unsigned char)s[i])) {
                while (i < len && (isdigit((unsigned char)s[i]) || s[i] == ':' || s[i] == '.')) i++;
                t->kind = TOK_SIGNED;
            } else if (i < len && isalpha((unsigned char)s[i])) {
                while (i < len && isalpha((unsigned char)s[i])) i++;
                t->kind = TOK_WORD; /* -infinity */
            } else {
                return -1;
            }
        } else {
            return -1;
        }
        t->s = s + start;
        t->n = i - start;
    }
    return nt;
}

static bool tok_is(const Tok *t, const char *word) {
    return t->n == strlen(word) && strncasecmp(t->s, word, t->n) == 0;
}

static int month_of(const char *s, size_t n) {
    static const char *const MONTHS[] = {"january", "february", "march",     "april",   "may",      "june",
                                         "july",    "august",   "september", "october", "november", "december"};
    if (n < 3) return 0;
    for (int m = 0; m < 12; m++)
        if (n <= strlen(MONTHS[m]) && strncasecmp(s, MONTHS[m], n) == 0) return m + 1;
    if (n == 4 && strncasecmp(s, "sept", 4) == 0) return 9;
    return 0;
}

static bool is_weekday(const Tok *t) {
    static const char *const DAYS[] = {"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"};
    if (t->n < 3) return false;
    for (int d = 0; d < 7; d++)
        if (t->n <= strlen(DAYS[d]) && strncasecmp(t->s, DAYS[d], t->n) == 0) return true;
    return (t->n == 4 && (strncasecmp(t->s, "tues", 4) == 0 || strncasecmp(t->s, "thur", 4) == 0 ||
                          strncasecmp(t->s, "thurs", 4) == 0)) ||
           (t->n == 5 && strncasecmp(t->s, "thurs", 5) == 0);
}

/* Zone abbreviations PostgreSQL's default set has, the common ones: seconds east. */
static bool zone_abbreviation(const Tok *t, int32_t *off) {
    static const struct {
        const char *abbr;
        int32_t off;
    } ABBR[] = {
        {"utc", 0},          {"gmt", 0},         {"z", 0},           {"zulu", 0},         {"ut", 0},
        {"est", -5 * 3600},  {"edt", -4 * 3600}, {"cst", -6 * 3600}, {"cdt", -5 * 3600},  {"mst", -7 * 3600},
        {"mdt", -6 * 3600},  {"pst", -8 * 3600}, {"pdt", -7 * 3600}, {"akst", -9 * 3600}, {"akdt", -8 * 3600},
        {"hst", -10 * 3600}, {"ast", -4 * 3600}, {"adt", -3 * 3600}, {"nst", -12600},     {"ndt", -9000},
        {"wet", 0},          {"west", 3600},     {"bst", 3600},      {"cet", 3600},       {"cest", 7200},
        {"met", 3600},       {"mest", 7200},     {"eet", 7200},      {"eest", 10800},     {"msk", 10800},
        {"ist", 7200},       {"jst", 9 * 3600},  {"kst", 9 * 3600},  {"hkt", 8 * 3600},   {"sgt", 8 * 3600},
        {"awst", 8 * 3600},  {"acst", 34200},    {"acdt", 37800},    {"aest", 36000},     {"aedt", 39600},
        {"nzst", 43200},     {"nzdt", 46800},
    };
    for (size_t i = 0; i < ARRAY_LEN(ABBR); i++)
        if (tok_is(t, ABBR[i].abbr)) return *off = ABBR[i].off, true;
    return false;
}

/* +hh, +hhmm, +hh:mm, +hh:mm:ss: seconds east. */
static bool parse_offset(const Tok *t, int32_t *off, bool *range) {
    int sign = t->s[0] == '-' ? -1 : 1;
    const char *p = t->s + 1, *end = t->s + t->n;
    long h = 0, m = 0, sec = 0;
    size_t digits = 0;
    while (p < end && isdigit((unsigned char)*p)) h = h * 10 + (*p++ - '0'), digits++;
    if (p == end && digits > 2) { /* hhmm or hhmmss */
        if (digits == 4)
            m = h % 100, h /= 100;
        else if (digits == 6)
            sec = h % 100, m = h / 100 % 100, h /= 10000;
        else
            return false;
    } else if (p < end) {
        if (*p++ != ':') return false;
        for (digits = 0; p < end && isdigit((unsigned char)*p); digits++) m = m * 10 + (*p++ - '0');
        if (digits != 2) return false;
        if (p < end) {
            if (*p++ != ':') return false;
            for (digits = 0; p < end && isdigit((unsigned char)*p); digits++) sec = sec * 10 + (*p++ - '0');
            if (digits != 2 || p != end) return false;
        }
    }
    *range = h > 15 || m > 59 || sec > 59;
    *off = (int32_t)(sign * (h * 3600 + m * 60 + sec));
    return true;
}

/* ---- input: decoding ------------------------------------------------------------------- */

typedef enum {
    SPECIAL_NONE,
    SPECIAL_EPOCH,
    SPECIAL_INF,
    SPECIAL_NINF,
    SPECIAL_NOW,
    SPECIAL_TODAY,
    SPECIAL_TOMORROW,
    SPECIAL_YESTERDAY
} Special;

typedef struct Fields {
    Tm tm;
    bool has_date, has_time, has_year, has_month, has_day, bc, pm, am;
    bool year_2digits;
    bool has_zone;
    int32_t zone_off;     /* a fixed offset, seconds east */
    const TimeZone *zone; /* or a named zone, resolved with the local time */
    Special special;
    char bad_zone[64]; /* a zone name not found, as PostgreSQL reports it: lower-cased */
    int64_t julian;
    bool has_julian;
} Fields;

typedef enum { DECODE_OK, DECODE_SYNTAX, DECODE_FIELD, DECODE_FIELD_MD, DECODE_ZONE, DECODE_ZONE_RANGE } DecodeResult;

static DecodeResult parse_time(const Tok *t, Fields *f) {
    const char *p = t->s, *end = t->s + t->n;
    long v[3] = {0, 0, 0};
    int k = 0;
    for (; k < 3 && p < end;) {
        if (!isdigit((unsigned char)*p)) return DECODE_SYNTAX;
        long x = 0;
        size_t digits = 0;
        while (p < end && isdigit((unsigned char)*p)) x = x * 10 + (*p++ - '0'), digits++;
        if (k > 0 && digits != 2) return DECODE_SYNTAX;
        v[k++] = x;
        if (p < end && *p == ':')
            p++;
        else
            break;
    }
    if (k < 2) return DECODE_SYNTAX;
    int usec = 0;
    if (p < end && *p == '.') { /* fractional seconds, rounded to microseconds (half to even) */
        p++;
        const char *fs = p;
        while (p < end && isdigit((unsigned char)*p)) p++;
        char frac[40];
        snprintf(frac, sizeof frac, "0.%.*s", (int)(p - fs > 30 ? 30 : p - fs), fs);
        usec = (int)rint(strtod(frac, NULL) * 1e6);
    }
    if (p != end) return DECODE_SYNTAX;
    if (f->has_time) return DECODE_SYNTAX;
    f->has_time = true;
    f->tm.hour = (int)v[0], f->tm.minute = (int)v[1], f->tm.second = (int)v[2], f->tm.usec = usec;
    if (v[0] > 24 || v[1] > 59 || v[2] > 60) return DECODE_FIELD;
    return DECODE_OK;
}

/* A number whose role the fields seen so far decide: day, year or month. */
static DecodeResult take_number(const char *s, size_t n, Fields *f) {
    if (n > 9) return DECODE_SYNTAX;
    long v = 0;
    for (size_t i = 0; i < n; i++) v = v * 10 + (s[i] - '0');
    if (!f->has_date && !f->has_month && (n == 8 || n == 6) && !f->has_time) { /* yyyymmdd, yymmdd */
        f->has_date = f->has_year = f->has_month = f->has_day = true;
        f->tm.year = v / 10000;
        f->year_2digits = n == 6;
        f->tm.month = (int)(v / 100 % 100);
        f->tm.day = (int)(v % 100);
        return DECODE_OK;
    }
    if (f->has_month && !f->has_day && n <= 2) return f->has_day = true, f->tm.day = (int)v, DECODE_OK;
    if (!f->has_year && (n >= 3 || f->has_day)) {
        f->has_year = true;
        f->tm.year = v;
        f->year_2digits = n <= 2;
        return DECODE_OK;
    }
    if (!f->has_day && !f->has_month && n <= 2) {
        return f->has_day = true, f->tm.day = (int)v, DECODE_OK;
    }
    return DECODE_SYNTAX;
}

/* y-m-d, m/d/y (by DateStyle), Mon-dd-yyyy, yyyy.mm.dd ... */
static DecodeResult parse_date(const Tok *t, Fields *f, int order) {
    char delim = 0;
    for (size_t i = 0; i < t->n && !delim; i++)
        if (t->s[i] == '-' || t->s[i] == '/' || t->s[i] == '.') delim = t->s[i];
    const char *part[3];
    size_t len[3];
    int np = 0;
    const char *p = t->s, *end = t->s + t->n;
    while (p <= end && np < 3) {
        const char *q = p;
        while (q < end && *q != delim) q++;
        part[np] = p, len[np] = (size_t)(q - p), np++;
        p = q + 1;
        if (q == end) break;
    }
    if (np != 3 || p <= end || f->has_date) return DECODE_SYNTAX;
    long num[3];
    int mon_at = -1;
    for (int i = 0; i < 3; i++) {
        if (len[i] == 0) return DECODE_SYNTAX;
        if (isalpha((unsigned char)part[i][0])) {
            int m = month_of(part[i], len[i]);
            if (!m || mon_at >= 0) return DECODE_SYNTAX;
            mon_at = i;
            num[i] = m;
            continue;
        }
        num[i] = 0;
        for (size_t k = 0; k < len[i]; k++) {
            if (!isdigit((unsigned char)part[i][k])) return DECODE_SYNTAX;
            if (num[i] < 100000000) num[i] = num[i] * 10 + (part[i][k] - '0');
        }
    }
    int yi, mi, di;
    if (mon_at >= 0) { /* the month named: the year is the part with more than two digits, or the last */
        mi = mon_at;
        yi = mon_at == 0 ? 2 : (len[0] > 2 ? 0 : 2);
        di = 3 - mi - yi;
    } else if (len[0] > 2 || order == DATE_ORDER_YMD) {
        yi = 0, mi = 1, di = 2;
    } else if (order == DATE_ORDER_DMY) {
        di = 0, mi = 1, yi = 2;
    } else {
        mi = 0, di = 1, yi = 2;
    }
    f->has_date = f->has_year = f->has_month = f->has_day = true;
    f->tm.year = num[yi];
    f->year_2digits = len[yi] <= 2;
    f->tm.month = (int)num[mi];
    f->tm.day = (int)num[di];
    return DECODE_OK;
}

/* A zone by name (America/New_York, est5edt); DECODE_ZONE with the name
 * lower-cased, as PostgreSQL reports it, when there is none. */
static DecodeResult take_zone_name(const Tok *k, Fields *f) {
    char name[128];
    snprintf(name, sizeof name, "%.*s", (int)(k->n < 127 ? k->n : 127), k->s);
    const TimeZone *z = timezone_find(name);
    if (!z) {
        for (size_t c = 0; c < sizeof f->bad_zone - 1 && name[c]; c++)
            f->bad_zone[c] = (char)tolower((unsigned char)name[c]);
        return DECODE_ZONE;
    }
    f->has_zone = true, f->zone = z;
    return DECODE_OK;
}

static DecodeResult decode(const char *s, size_t len, TypeId t, Fields *f) {
    memset(f, 0, sizeof *f);
    Tok toks[MAX_TOKS];
    int nt = tokenize(s, len, toks);
    int order = types__settings()->date_order;
    if (nt <= 0) return DECODE_SYNTAX;
    for (int i = 0; i < nt; i++) {
        const Tok *k = &toks[i];
        DecodeResult r = DECODE_OK;
        switch (k->kind) {
        case TOK_TIME: r = parse_time(k, f); break;
        case TOK_DATE: r = parse_date(k, f, order); break; /* a time ignores it, as DecodeTimeOnly does */
        case TOK_ZONE:
            if ((t != TYPE_TIME && t != TYPE_TIMETZ) || f->has_zone) return DECODE_SYNTAX;
            r = take_zone_name(k, f);
            break;
        case TOK_NUMBER: {
            if (memchr(k->s, '.', k->n)) return DECODE_SYNTAX;
            if (i > 0 && toks[i - 1].kind == TOK_WORD && tok_is(&toks[i - 1], "j") && !f->has_julian) {
                f->has_julian = true;
                f->julian = strtoll(k->s, NULL, 10);
                break;
            }
            r = take_number(k->s, k->n, f);
            break;
        }
        case TOK_SIGNED: {
            bool range;
            if (!f->has_time && !f->has_date) return DECODE_SYNTAX;
            if (f->has_zone || !parse_offset(k, &f->zone_off, &range)) return DECODE_SYNTAX;
            if (range) return DECODE_ZONE_RANGE;
            f->has_zone = true;
            break;
        }
        case TOK_WORD: {
            int m;
            int32_t off;
            if (tok_is(k, "epoch"))
                f->special = SPECIAL_EPOCH;
            else if (tok_is(k, "infinity") || tok_is(k, "+infinity"))
                f->special = SPECIAL_INF;
            else if (tok_is(k, "-infinity"))
                f->special = SPECIAL_NINF;
            else if (tok_is(k, "now"))
                f->special = SPECIAL_NOW;
            else if (tok_is(k, "today"))
                f->special = SPECIAL_TODAY;
            else if (tok_is(k, "tomorrow"))
                f->special = SPECIAL_TOMORROW;
            else if (tok_is(k, "yesterday"))
                f->special = SPECIAL_YESTERDAY;
            else if (tok_is(k, "allballs"))
                f->has_time = true;
            else if (tok_is(k, "t") && i + 1 < nt && toks[i + 1].kind != TOK_WORD)
                continue; /* ISO 8601's T */
            else if (tok_is(k, "j") && i + 1 < nt && toks[i + 1].kind == TOK_NUMBER)
                continue;
            else if (tok_is(k, "bc"))
                f->bc = true;
            else if (tok_is(k, "ad"))
                continue;
            else if (tok_is(k, "am") || tok_is(k, "a.m."))
                f->am = true;
            else if (tok_is(k, "pm") || tok_is(k, "p.m."))
                f->pm = true;
            else if (is_weekday(k))
                continue;
            else if ((m = month_of(k->s, k->n)) && !f->has_month)
                f->has_month = true, f->tm.month = m;
            else if (zone_abbreviation(k, &off)) {
                if (f->has_zone) return DECODE_SYNTAX;
                f->has_zone = true, f->zone_off = off;
            } else { /* a zone's name has a slash in it (America/New_York) */
                if (f->has_zone || !memchr(k->s, '/', k->n)) return DECODE_SYNTAX;
                r = take_zone_name(k, f);
            }
            break;
        }
        }
        if (r != DECODE_OK) return r;
    }
    if (f->special != SPECIAL_NONE) return nt == 1 || f->special >= SPECIAL_NOW ? DECODE_OK : DECODE_SYNTAX;
    if (f->has_julian) {
        if (f->has_date || f->has_year) return DECODE_SYNTAX;
        civil_from_days(f->julian - 2440588, &f->tm.year, &f->tm.month, &f->tm.day);
        f->has_date = f->has_year = f->has_month = f->has_day = true;
        if (f->tm.year <= 0) f->bc = true, f->tm.year = 1 - f->tm.year;
    }
    if (f->has_year || f->has_month || f->has_day) {
        if (!(f->has_year && f->has_month && f->has_day)) return DECODE_SYNTAX;
        f->has_date = true;
    }
    if (f->am || f->pm) {
        if (!f->has_time || f->tm.hour > 12 || f->tm.hour < 1) return f->has_time ? DECODE_FIELD : DECODE_SYNTAX;
        if (f->am && f->tm.hour == 12) f->tm.hour = 0;
        if (f->pm && f->tm.hour != 12) f->tm.hour += 12;
    }
    if (f->has_date) {
        if (f->year_2digits && !f->bc) f->tm.year += f->tm.year < 70 ? 2000 : 1900;
        if (f->tm.year == 0 && !f->year_2digits) return DECODE_FIELD;
        if (f->bc) f->tm.year = 1 - f->tm.year;
        if (f->tm.month < 1 || f->tm.month > 12) return DECODE_FIELD_MD; /* ValidateDate's "different datestyle" */
        if (f->tm.day < 1 || f->tm.day > days_in_month(f->tm.year, f->tm.month)) return DECODE_FIELD;
    }
    if (f->has_time && (f->tm.hour == 24 && (f->tm.minute || f->tm.second || f->tm.usec))) return DECODE_FIELD;
    if (f->has_time && f->tm.second == 60 && (f->tm.usec || f->tm.minute != 59)) return DECODE_FIELD;
    return DECODE_OK;
}

static bool decode_error(DecodeResult r, const Fields *f, TypeId t, const char *s, size_t len, Error *err) {
    switch (r) {
    case DECODE_FIELD: return field_overflow(s, len, false, err);
    case DECODE_FIELD_MD: return field_overflow(s, len, true, err);
    case DECODE_ZONE:
        return error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "time zone \"%s\" not recognized", f->bad_zone);
    case DECODE_ZONE_RANGE:
        return error_set(err, SQLSTATE_INVALID_TIME_ZONE_DISPLACEMENT_VALUE,
                         "time zone displacement out of range: \"%.*s\"", (int)len, s);
    default: return bad_syntax(t, s, len, err);
    }
}

/* The transaction's start, for now, today, tomorrow and yesterday: set by
 * the engine for the session it serves. */
static int64_t txn_start;

void types_set_now(int64_t pg_usecs) { txn_start = pg_usecs; }

static int64_t now_ts(void) { return txn_start; }

/* The fields as a timestamp (local, or with the zone applied for timestamptz). */
static bool fields_to_ts(const Fields *f, TypeId t, const char *s, size_t len, int64_t *out, Error *err) {
    const TimeZone *tz = current_zone();
    switch (f->special) {
    case SPECIAL_INF: *out = DT_NOEND; return true;
    case SPECIAL_NINF: *out = DT_NOBEGIN; return true;
    case SPECIAL_EPOCH: *out = -(int64_t)PG_EPOCH_DAYS * USECS_PER_DAY; return true;
    case SPECIAL_NOW: *out = t == TYPE_TIMESTAMPTZ ? now_ts() : to_local(tz, now_ts()); return true;
    case SPECIAL_TODAY:
    case SPECIAL_TOMORROW:
    case SPECIAL_YESTERDAY: {
        int64_t days, us;
        split_ts(to_local(tz, now_ts()), &days, &us);
        days += f->special == SPECIAL_TOMORROW ? 1 : f->special == SPECIAL_YESTERDAY ? -1 : 0;
        int64_t local = days * USECS_PER_DAY;
        *out = t == TYPE_TIMESTAMPTZ ? from_local(tz, local) : local;
        return true;
    }
    default: break;
    }
    if (!f->has_date) return bad_syntax(t, s, len, err);
    Tm tm = f->tm;
    int64_t local;
    if (!ts_from_tm(&tm, &local)) return out_of_range(t, s, len, err);
    if (t == TYPE_TIMESTAMPTZ) {
        if (f->has_zone && !f->zone)
            local -= f->zone_off * USECS_PER_SEC;
        else
            local = from_local(f->zone ? f->zone : tz, local);
    }
    if (!ts_valid(local)) return out_of_range(t, s, len, err);
    *out = local;
    return true;
}

bool types__datetime_from_text(TypeId t, const char *s0, size_t len0, Value *out, Error *err) {
    Fields f;
    DecodeResult r = decode(s0, len0, t, &f);
    if (r != DECODE_OK) return decode_error(r, &f, t, s0, len0, err);
    if (t == TYPE_TIME) {
        if (!f.has_time || f.special != SPECIAL_NONE) {
            if (f.special == SPECIAL_NOW) {
                int64_t d, us;
                split_ts(to_local(current_zone(), now_ts()), &d, &us);
                return *out = value_int(TYPE_TIME, us), true;
            }
            return bad_syntax(t, s0, len0, err);
        }
        *out = value_int(TYPE_TIME, f.tm.hour * USECS_PER_HOUR + f.tm.minute * USECS_PER_MINUTE +
                                        f.tm.second * USECS_PER_SEC + f.tm.usec);
        return true;
    }
    if (t == TYPE_DATE) {
        if (f.special == SPECIAL_INF || f.special == SPECIAL_NINF)
            return *out = value_int(TYPE_DATE, f.special == SPECIAL_INF ? DATE_NOEND : DATE_NOBEGIN), true;
        int64_t ts;
        Fields g = f;
        g.has_time = false;
        g.tm.hour = g.tm.minute = g.tm.second = g.tm.usec = 0;
        if (g.special == SPECIAL_NONE && g.has_date) {
            int64_t days = types__days_from_civil(g.tm.year, g.tm.month, g.tm.day) - PG_EPOCH_DAYS;
            if (days < DATE_MIN || days >= DATE_END) return out_of_range(TYPE_DATE, s0, len0, err);
            return *out = value_int(TYPE_DATE, days), true;
        }
        if (!fields_to_ts(&g, TYPE_TIMESTAMP, s0, len0, &ts, err)) return false;
        int64_t days, us;
        split_ts(ts, &days, &us);
        return *out = value_int(TYPE_DATE, days), true;
    }
    int64_t ts = 0;
    if (!fields_to_ts(&f, t, s0, len0, &ts, err)) return false;
    *out = value_int(t, ts);
    return true;
}

/* ---- output ---------------------------------------------------------------------------- */

static int put_date(char *o, int64_t year, int month, int day) {
    bool bc = year <= 0;
    return sprintf(o, "%04lld-%02d-%02d", (long long)(bc ? 1 - year : year), month, day);
}

static int put_time(char *o, int64_t us) {
    int n = sprintf(o, "%02d:%02d:%02d", (int)(us / USECS_PER_HOUR), (int)(us / USECS_PER_MINUTE % 60),
                    (int)(us / USECS_PER_SEC % 60));
    int64_t frac = us % USECS_PER_SEC;
    if (frac) {
        n += sprintf(o + n, ".%06lld", (long long)frac);
        while (o[n - 1] == '0') n--; /* PostgreSQL drops trailing zeros */
        o[n] = '\0';
    }
    return n;
}

/* +hh[:mm[:ss]] of an offset east, as EncodeTimezone writes it. */
static int put_offset(char *o, int32_t off) {
    int32_t a = off < 0 ? -off : off;
    int n = sprintf(o, "%c%02d", off < 0 ? '-' : '+', a / 3600);
    if (a % 3600) n += sprintf(o + n, ":%02d", a / 60 % 60);
    if (a % 60) n += sprintf(o + n, ":%02d", a % 60);
    return n;
}

static const char *const MONTH_ABBR[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
static const char *const DAY_ABBR[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};

/* A date in DateStyle's SQL, Postgres and German forms (day and month in
 * the DateStyle order; German is always day first). */
static int put_date_styled(char *o, int style, int64_t y, int m, int d) {
    bool dmy = types__settings()->date_order == DATE_ORDER_DMY;
    long long yy = (long long)(y > 0 ? y : 1 - y);
    switch (style) {
    case DATE_STYLE_SQL: return sprintf(o, "%02d/%02d/%04lld", dmy ? d : m, dmy ? m : d, yy);
    case DATE_STYLE_GERMAN: return sprintf(o, "%02d.%02d.%04lld", d, m, yy);
    default: return sprintf(o, "%02d-%02d-%04lld", dmy ? d : m, dmy ? m : d, yy);
    }
}

/* Dates and times as DateStyle writes them (ISO unless style says otherwise). */
int types__datetime_to_text_style(const Value *v, char *buf, int style) {
    switch (v->type) {
    case TYPE_DATE: {
        if (v->u.i == DATE_NOEND || v->u.i == DATE_NOBEGIN)
            return sprintf(buf, "%s", v->u.i == DATE_NOEND ? "infinity" : "-infinity");
        int64_t y;
        int m, d;
        civil_from_days(v->u.i + PG_EPOCH_DAYS, &y, &m, &d);
        int n = style == DATE_STYLE_ISO ? put_date(buf, y, m, d) : put_date_styled(buf, style, y, m, d);
        if (y <= 0) n += sprintf(buf + n, " BC");
        return n;
    }
    case TYPE_TIME: return put_time(buf, v->u.i);
    case TYPE_TIMESTAMP:
    case TYPE_TIMESTAMPTZ: {
        int64_t ts = v->u.i;
        if (ts == DT_NOEND || ts == DT_NOBEGIN) return sprintf(buf, "%s", ts == DT_NOEND ? "infinity" : "-infinity");
        int32_t off = 0;
        const char *abbr = NULL;
        bool tz = v->type == TYPE_TIMESTAMPTZ;
        if (tz) {
            off = offset_at(current_zone(), ts, &abbr);
            ts += off * USECS_PER_SEC;
        }
        int64_t days, us, y;
        int m, d;
        split_ts(ts, &days, &us);
        civil_from_days(days + PG_EPOCH_DAYS, &y, &m, &d);
        int n;
        if (style == DATE_STYLE_POSTGRES) { /* Thu Feb 29 13:04:05 2024 PST */
            int dow = (int)(((days + PG_EPOCH_DAYS + 4) % 7 + 7) % 7);
            bool dmy = types__settings()->date_order == DATE_ORDER_DMY;
            n = dmy ? sprintf(buf, "%s %02d %s ", DAY_ABBR[dow], d, MONTH_ABBR[m - 1])
                    : sprintf(buf, "%s %s %02d ", DAY_ABBR[dow], MONTH_ABBR[m - 1], d);
            n += put_time(buf + n, us);
            n += sprintf(buf + n, " %04lld", (long long)(y > 0 ? y : 1 - y));
        } else {
            n = style == DATE_STYLE_ISO ? put_date(buf, y, m, d) : put_date_styled(buf, style, y, m, d);
            buf[n++] = ' ';
            n += put_time(buf + n, us);
        }
        if (tz && style == DATE_STYLE_ISO)
            n += put_offset(buf + n, off);
        else if (tz && abbr)
            n += sprintf(buf + n, " %s", abbr);
        else if (tz)
            n += sprintf(buf + n, " "), n += put_offset(buf + n, off);
        if (y <= 0) n += sprintf(buf + n, " BC");
        return n;
    }
    default: return 0;
    }
}

int types__datetime_to_text(const Value *v, char *buf) {
    return types__datetime_to_text_style(v, buf, types__settings()->date_style);
}

/* ---- interval ---------------------------------------------------------------------------- */

typedef struct Interval {
    int64_t time; /* microseconds */
    int32_t day;
    int32_t month;
} Interval;

static Interval interval_of(const Value *v) {
    Interval iv;
    memcpy(&iv, v->u.s, sizeof iv);
    return iv;
}

static Value interval_value(Interval iv, Arena *arena) {
    char *p = arena_alloc(arena, sizeof iv);
    memcpy(p, &iv, sizeof iv);
    return value_string(TYPE_INTERVAL, p, sizeof iv);
}

void interval_make(int32_t months, int32_t days, int64_t usecs, Arena *arena, Value *out) {
    *out = interval_value((Interval){usecs, days, months}, arena);
}

/* Its span with a month as 30 days and a day as 24 hours (interval_cmp_value). */
static __int128 interval_span(const Interval *iv) {
    return (__int128)iv->month * 30 * USECS_PER_DAY + (__int128)iv->day * USECS_PER_DAY + iv->time;
}

int types__interval_compare(const Value *a, const Value *b) {
    Interval x = interval_of(a), y = interval_of(b);
    __int128 p = interval_span(&x), q = interval_span(&y);
    return p < q ? -1 : p > q ? 1 : 0;
}

uint64_t types__interval_hash(const Value *v) {
    Interval x = interval_of(v);
    __int128 span = interval_span(&x);
    return hash_mix((uint64_t)span ^ hash_mix((uint64_t)(span >> 64)));
}

static void add_part(char **o, bool *before, bool *zero, int64_t value, const char *unit) {
    if (value == 0) return;
    *o += sprintf(*o, "%s%s%lld %s%s", *zero ? "" : " ", *before && value > 0 ? "+" : "", (long long)value, unit,
                  value == 1 ? "" : "s");
    *before = value < 0;
    *zero = false;
}

/* Seconds and their fraction (trailing zeros dropped), without a sign. */
static char *put_seconds(char *o, uint64_t secs, uint64_t frac, bool two_digits) {
    o += sprintf(o, two_digits ? "%02llu" : "%llu", (unsigned long long)secs);
    if (frac) {
        o += sprintf(o, ".%06llu", (unsigned long long)frac);
        while (o[-1] == '0') o--;
        *o = '\0';
    }
    return o;
}

/* postgres_verbose: @ 1 year 2 mons ... ago (the first field's sign for all). */
static void add_verbose(char **o, long long value, const char *unit, bool *zero, bool *before) {
    if (value == 0) return;
    if (*zero) {
        *before = value < 0;
        value = value < 0 ? -value : value;
    } else if (*before) {
        value = -value;
    }
    *o += sprintf(*o, " %lld %s%s", (long long)value, unit, value == 1 ? "" : "s");
    *zero = false;
}

int types__interval_to_text(const Value *v, char *buf) {
    Interval iv = interval_of(v);
    char *o = buf;
    long long year = iv.month / 12, mon = iv.month % 12, mday = iv.day;
    bool tneg = iv.time < 0;
    uint64_t t = tneg ? (uint64_t)0 - (uint64_t)iv.time : (uint64_t)iv.time;
    long long hour = (long long)(t / (uint64_t)USECS_PER_HOUR), min = (long long)(t / (uint64_t)USECS_PER_MINUTE % 60),
              sec = (long long)(t / (uint64_t)USECS_PER_SEC % 60), fsec = (long long)(t % (uint64_t)USECS_PER_SEC);
    if (tneg) hour = -hour, min = -min, sec = -sec, fsec = -fsec;
    switch (types__settings()->interval_style) {
    case INTERVAL_STYLE_SQL_STANDARD: {
        bool neg = year < 0 || mon < 0 || mday < 0 || tneg, pos = year > 0 || mon > 0 || mday > 0 || (!tneg && t);
        bool has_ym = year || mon, has_dt = mday || t;
        bool standard = !(neg && pos) && !(has_ym && has_dt);
        if (neg && standard) {
            *o++ = '-';
            year = -year, mon = -mon, mday = -mday, hour = -hour, min = -min, sec = -sec, fsec = -fsec;
        }
        if (!neg && !pos) {
            o += sprintf(o, "0");
        } else if (!standard) {
            o += sprintf(o, "%c%lld-%lld %c%lld %c%lld:%02lld:", year < 0 || mon < 0 ? '-' : '+', llabs(year),
                         llabs(mon), mday < 0 ? '-' : '+', llabs(mday), tneg ? '-' : '+', llabs(hour), llabs(min));
            o = put_seconds(o, (uint64_t)llabs(sec), (uint64_t)llabs(fsec), true);
        } else if (has_ym) {
            o += sprintf(o, "%lld-%lld", year, mon);
        } else {
            if (mday) o += sprintf(o, "%lld ", mday);
            o += sprintf(o, "%lld:%02lld:", hour, min);
            o = put_seconds(o, (uint64_t)llabs(sec), (uint64_t)llabs(fsec), true);
        }
        break;
    }
    case INTERVAL_STYLE_ISO_8601:
        if (!iv.month && !mday && !t) {
            o += sprintf(o, "PT0S");
            break;
        }
        *o++ = 'P';
        if (year) o += sprintf(o, "%lldY", year);
        if (mon) o += sprintf(o, "%lldM", mon);
        if (mday) o += sprintf(o, "%lldD", mday);
        if (t) *o++ = 'T';
        if (hour) o += sprintf(o, "%lldH", hour);
        if (min) o += sprintf(o, "%lldM", min);
        if (sec || fsec) {
            if (tneg) *o++ = '-';
            o = put_seconds(o, (uint64_t)llabs(sec), (uint64_t)llabs(fsec), false);
            *o++ = 'S';
        }
        *o = '\0';
        break;
    case INTERVAL_STYLE_POSTGRES_VERBOSE: {
        bool zero = true, before = false;
        o += sprintf(o, "@");
        add_verbose(&o, year, "year", &zero, &before);
        add_verbose(&o, mon, "mon", &zero, &before);
        add_verbose(&o, mday, "day", &zero, &before);
        add_verbose(&o, hour, "hour", &zero, &before);
        add_verbose(&o, min, "min", &zero, &before);
        if (sec || fsec) {
            *o++ = ' ';
            if (sec < 0 || (sec == 0 && fsec < 0)) {
                if (zero)
                    before = true;
                else if (!before)
                    *o++ = '-';
            } else if (before) {
                *o++ = '-';
            }
            o = put_seconds(o, (uint64_t)llabs(sec), (uint64_t)llabs(fsec), false);
            o += sprintf(o, " sec%s", llabs(sec) != 1 || fsec ? "s" : "");
            zero = false;
        }
        if (zero) o += sprintf(o, " 0");
        if (before) o += sprintf(o, " ago");
        break;
    }
    default: {
        bool before = false, zero = true;
        add_part(&o, &before, &zero, year, "year");
        add_part(&o, &before, &zero, mon, "mon");
        add_part(&o, &before, &zero, mday, "day");
        if (zero || t) {
            o +=
                sprintf(o, "%s%s%02llu:%02d:", zero ? "" : " ",
                        tneg     ? "-"
                        : before ? "+"
                                 : "",
                        (unsigned long long)(t / (uint64_t)USECS_PER_HOUR), (int)(t / (uint64_t)USECS_PER_MINUTE % 60));
            o = put_seconds(o, t / (uint64_t)USECS_PER_SEC % 60, t % (uint64_t)USECS_PER_SEC, true);
        }
    }
    }
    return (int)(o - buf);
}

/* Adds value units to iv, spilling a fraction into the smaller units as
 * PostgreSQL's DecodeInterval does (AdjustFractDays and friends). */
typedef enum { UNIT_OK, UNIT_UNKNOWN, UNIT_OVERFLOW } UnitResult;

static bool add_i32(int32_t *field, double v) {
    double r = (double)*field + v;
    if (!(r >= INT32_MIN && r <= INT32_MAX)) return false;
    *field = (int32_t)r;
    return true;
}

static bool add_us(int64_t *field, double v) {
    double r = (double)*field + v;
    if (!(r >= -9.2233720368547e18 && r <= 9.2233720368547e18)) return false;
    *field += (int64_t)v;
    return true;
}

static UnitResult interval_add_unit(Interval *iv, double value, const char *unit) {
    static const struct {
        const char *name;
        int months;    /* months per unit, or */
        double days;   /* days per unit, or */
        int64_t usecs; /* microseconds per unit */
    } UNITS[] = {
        {"microsecond", 0, 0, 1},
        {"microseconds", 0, 0, 1},
        {"us", 0, 0, 1},
        {"usec", 0, 0, 1},
        {"usecs", 0, 0, 1},
        {"millisecond", 0, 0, 1000},
        {"milliseconds", 0, 0, 1000},
        {"ms", 0, 0, 1000},
        {"msec", 0, 0, 1000},
        {"msecs", 0, 0, 1000},
        {"second", 0, 0, USECS_PER_SEC},
        {"seconds", 0, 0, USECS_PER_SEC},
        {"s", 0, 0, USECS_PER_SEC},
        {"sec", 0, 0, USECS_PER_SEC},
        {"secs", 0, 0, USECS_PER_SEC},
        {"minute", 0, 0, USECS_PER_MINUTE},
        {"minutes", 0, 0, USECS_PER_MINUTE},
        {"m", 0, 0, USECS_PER_MINUTE},
        {"min", 0, 0, USECS_PER_MINUTE},
        {"mins", 0, 0, USECS_PER_MINUTE},
        {"hour", 0, 0, USECS_PER_HOUR},
        {"hours", 0, 0, USECS_PER_HOUR},
        {"h", 0, 0, USECS_PER_HOUR},
        {"hr", 0, 0, USECS_PER_HOUR},
        {"hrs", 0, 0, USECS_PER_HOUR},
        {"day", 0, 1, 0},
        {"days", 0, 1, 0},
        {"d", 0, 1, 0},
        {"week", 0, 7, 0},
        {"weeks", 0, 7, 0},
        {"w", 0, 7, 0},
        {"month", 1, 0, 0},
        {"months", 1, 0, 0},
        {"mon", 1, 0, 0},
        {"mons", 1, 0, 0},
        {"year", 12, 0, 0},
        {"years", 12, 0, 0},
        {"y", 12, 0, 0},
        {"yr", 12, 0, 0},
        {"yrs", 12, 0, 0},
        {"decade", 120, 0, 0},
        {"decades", 120, 0, 0},
        {"century", 1200, 0, 0},
        {"centuries", 1200, 0, 0},
        {"millennium", 12000, 0, 0},
        {"millennia", 12000, 0, 0},
        {"millenniums", 12000, 0, 0},
    };
    for (size_t i = 0; i < ARRAY_LEN(UNITS); i++) {
        if (strcasecmp(UNITS[i].name, unit) != 0) continue;
        bool ok;
        if (UNITS[i].months) {
            double months = value * UNITS[i].months, wm = trunc(months);
            double days = (months - wm) * 30, wd = trunc(days);
            ok = add_i32(&iv->month, wm) && add_i32(&iv->day, wd) &&
                 add_us(&iv->time, rint((days - wd) * (double)USECS_PER_DAY));
        } else if (UNITS[i].days != 0) {
            double days = value * UNITS[i].days, wd = trunc(days);
            ok = add_i32(&iv->day, wd) && add_us(&iv->time, rint((days - wd) * (double)USECS_PER_DAY));
        } else {
            ok = add_us(&iv->time, rint(value * (double)UNITS[i].usecs));
        }
        return ok ? UNIT_OK : UNIT_OVERFLOW;
    }
    return UNIT_UNKNOWN;
}

static bool interval_overflow(Error *err);

/* ---- ISO 8601 intervals: P1Y2M3DT4H5M6.5S, P1W, P0001-02-03T04:05:06 ----
 * PostgreSQL's DecodeISO8601Interval: each number may have a fraction,
 * which carries into the smaller units (years into months, months into 30
 * days, days into seconds); the alternative format gives the fields by
 * position. The fields are summed as PostgreSQL sums them, with its
 * overflow errors. */

typedef struct IsoFields {
    double year, mon, mday, hour, min, sec;
    double fsec; /* microseconds */
} IsoFields;

/* A signed number with an optional fraction; its integral part and the fraction. */
static bool iso_number(const char **p, const char *end, double *val, double *frac, int *width) {
    const char *s = *p;
    char buf[64];
    size_t n = 0;
    while (s < end && n < sizeof buf - 1 &&
           (isdigit((unsigned char)*s) || *s == '.' || ((*s == '-' || *s == '+') && s == *p)))
        buf[n++] = *s++;
    buf[n] = '\0';
    if (!n || (n == 1 && !isdigit((unsigned char)buf[0]))) return false;
    char *stop;
    double v = strtod(buf, &stop);
    if (*stop) return false;
    *val = trunc(v);
    *frac = v - *val;
    *width = 0;
    for (size_t i = 0; i < n && isdigit((unsigned char)buf[i]) | (buf[i] == '-' || buf[i] == '+'); i++)
        *width += isdigit((unsigned char)buf[i]) != 0;
    *p = s;
    return true;
}

static void fract_seconds(IsoFields *f, double frac, double scale) {
    frac *= scale;
    double sec = trunc(frac);
    f->sec += sec;
    f->fsec += rint((frac - sec) * 1e6);
}
static void fract_days(IsoFields *f, double frac, double scale) {
    frac *= scale;
    double d = trunc(frac);
    f->mday += d;
    fract_seconds(f, frac - d, SECS_PER_DAY);
}
static void fract_months(IsoFields *f, double frac, double scale) { f->mon += rint(frac * scale); }

static bool iso8601_interval(const char *s, size_t len, IsoFields *f) {
    const char *p = s + 1, *end = s + len;
    bool date = true, have = false;
    memset(f, 0, sizeof *f);
    if (len < 2 || s[0] != 'P') return false;
    while (p < end) {
        if (*p == 'T') {
            date = false, have = false, p++;
            continue;
        }
        double v, fr;
        int width;
        if (!iso_number(&p, end, &v, &fr, &width)) return false;
        char unit = p < end ? *p++ : '\0';
        if (date) {
            switch (unit) {
            case 'Y': f->year += v, fract_months(f, fr, 12); break;
            case 'M': f->mon += v, fract_days(f, fr, 30); break;
            case 'W': f->mday += v * 7, fract_days(f, fr, 7); break;
            case 'D': f->mday += v, fract_seconds(f, fr, SECS_PER_DAY); break;
            case 'T':
            case '\0':
                if (width == 8 && !have) { /* PYYYYMMDD */
                    f->year += trunc(v / 10000), f->mon += fmod(trunc(v / 100), 100), f->mday += fmod(v, 100);
                    fract_seconds(f, fr, SECS_PER_DAY);
                    if (unit == '\0') return true;
                    date = false, have = false;
                    continue;
                }
                /* fall through */
            case '-': /* PYYYY-MM-DD */
                if (have) return false;
                f->year += v, fract_months(f, fr, 12);
                if (unit == '\0') return true;
                if (unit == 'T') {
                    date = false, have = false;
                    continue;
                }
                if (!iso_number(&p, end, &v, &fr, &width)) return false;
                f->mon += v, fract_days(f, fr, 30);
                if (p == end) return true;
                if (*p == 'T') {
                    p++, date = false, have = false;
                    continue;
                }
                if (*p++ != '-' || !iso_number(&p, end, &v, &fr, &width)) return false;
                f->mday += v, fract_seconds(f, fr, SECS_PER_DAY);
                if (p == end) return true;
                if (*p != 'T') return false;
                p++, date = false, have = false;
                continue;
            default: return false;
            }
        } else {
            switch (unit) {
            case 'H': f->hour += v, fract_seconds(f, fr, 3600); break;
            case 'M': f->min += v, fract_seconds(f, fr, 60); break;
            case 'S': f->sec += v, fract_seconds(f, fr, 1); break;
            case '\0':
                if (width == 6 && !have) { /* THHMMSS */
                    f->hour += trunc(v / 10000), f->min += fmod(trunc(v / 100), 100), f->sec += fmod(v, 100);
                    fract_seconds(f, fr, 1);
                    return true;
                }
                /* fall through */
            case ':': /* THH:MM:SS */
                if (have) return false;
                f->hour += v, fract_seconds(f, fr, 3600);
                if (unit == '\0') return true;
                if (!iso_number(&p, end, &v, &fr, &width)) return false;
                f->min += v, fract_seconds(f, fr, 60);
                if (p == end) return true;
                if (*p++ != ':' || !iso_number(&p, end, &v, &fr, &width)) return false;
                f->sec += v, fract_seconds(f, fr, 1);
                return p == end;
            default: return false;
            }
        }
        have = true;
    }
    return true;
}

static bool iso8601_to_interval(const IsoFields *f, Interval *iv) {
    double months = f->year * 12 + f->mon;
    double usecs = ((f->hour * 60 + f->min) * 60 + f->sec) * 1e6 + f->fsec;
    if (fabs(months) > INT32_MAX || fabs(f->mday) > INT32_MAX || fabs(usecs) > 9.2e18) return false;
    iv->month = (int32_t)months, iv->day = (int32_t)f->mday, iv->time = (int64_t)usecs;
    return true;
}

bool types__interval_from_text(const char *s0, size_t len0, Arena *arena, Value *out, Error *err) {
    Interval iv = {0, 0, 0};
    IsoFields iso;
    if (len0 && s0[0] == 'P' && iso8601_interval(s0, len0, &iso)) {
        if (!iso8601_to_interval(&iso, &iv)) return interval_overflow(err);
        *out = interval_value(iv, arena);
        return true;
    }
    const char *s = s0, *end = s0 + len0;
    bool any = false, ago = false;
    while (s < end) {
        while (s < end && isspace((unsigned char)*s)) s++;
        if (s == end) break;
        if (*s == '@') {
            s++;
            continue;
        }
        const char *start = s;
        if (*s == '+' || *s == '-' || isdigit((unsigned char)*s) || *s == '.') {
            bool neg = *s == '-';
            if (*s == '+' || *s == '-') s++;
            const char *num = s;
            while (s < end && (isdigit((unsigned char)*s) || *s == '.')) s++;
            if (s < end && *s == ':') { /* [-]hh:mm[:ss[.f]] */
                long h = strtol(num, NULL, 10), m = 0;
                double sec = 0;
                s++;
                const char *ms = s;
                while (s < end && isdigit((unsigned char)*s)) s++;
                if (s == ms) return bad_syntax(TYPE_INTERVAL, s0, len0, err);
                m = strtol(ms, NULL, 10);
                if (s < end && *s == ':') {
                    s++;
                    const char *ss = s;
                    while (s < end && (isdigit((unsigned char)*s) || *s == '.')) s++;
                    sec = strtod(ss, NULL);
                }
                if (m > 59 || sec >= 60) return field_overflow(s0, len0, false, err);
                int64_t t = h * USECS_PER_HOUR + m * USECS_PER_MINUTE + (int64_t)rint(sec * 1e6);
                iv.time += neg ? -t : t;
                any = true;
                continue;
            }
            if (s < end && *s == '-' && !neg && memchr(num, '.', (size_t)(s - num)) == NULL) { /* y-m */
                long y = strtol(num, NULL, 10);
                const char *ms = ++s;
                while (s < end && isdigit((unsigned char)*s)) s++;
                if (s == ms || (s < end && *s == '-')) /* y-m-d is a date, not an interval */
                    return bad_syntax(TYPE_INTERVAL, s0, len0, err);
                iv.month += (int32_t)(y * 12 + strtol(ms, NULL, 10));
                any = true;
                continue;
            }
            if (s == num) return bad_syntax(TYPE_INTERVAL, s0, len0, err);
            char numbuf[64];
            snprintf(numbuf, sizeof numbuf, "%.*s", (int)(s - start < 63 ? s - start : 63), start);
            double value = strtod(numbuf, NULL);
            while (s < end && isspace((unsigned char)*s)) s++;
            const char *u = s;
            while (s < end && isalpha((unsigned char)*s)) s++;
            char unit[32];
            snprintf(unit, sizeof unit, "%.*s", (int)(s - u < 31 ? s - u : 31), u);
            if (!*unit) strcpy(unit, "seconds"); /* a bare number: seconds */
            UnitResult ur = interval_add_unit(&iv, value, unit);
            if (ur == UNIT_UNKNOWN) return bad_syntax(TYPE_INTERVAL, s0, len0, err);
            if (ur == UNIT_OVERFLOW)
                return error_set(err, SQLSTATE_INTERVAL_FIELD_OVERFLOW, "interval field value out of range: \"%.*s\"",
                                 (int)len0, s0);
            any = true;
            continue;
        }
        if (isalpha((unsigned char)*s)) {
            while (s < end && isalpha((unsigned char)*s)) s++;
            if ((size_t)(s - start) == 3 && strncasecmp(start, "ago", 3) == 0) {
                ago = true;
                continue;
            }
            return bad_syntax(TYPE_INTERVAL, s0, len0, err);
        }
        return bad_syntax(TYPE_INTERVAL, s0, len0, err);
    }
    if (!any) return bad_syntax(TYPE_INTERVAL, s0, len0, err);
    if (ago) iv.month = -iv.month, iv.day = -iv.day, iv.time = -iv.time;
    *out = interval_value(iv, arena);
    return true;
}

/* ---- casts ------------------------------------------------------------------------------ */

static int64_t ts_to_date(int64_t ts) {
    if (ts == DT_NOBEGIN || ts == DT_NOEND) return ts == DT_NOEND ? DATE_NOEND : DATE_NOBEGIN;
    int64_t days, us;
    split_ts(ts, &days, &us);
    return days;
}

static bool date_to_ts(int64_t days, int64_t *out, Error *err) {
    if (days == DATE_NOEND || days == DATE_NOBEGIN) return *out = days == DATE_NOEND ? DT_NOEND : DT_NOBEGIN, true;
    if (days >= 106751991 || days < DATE_MIN)
        return error_set(err, SQLSTATE_DATETIME_VALUE_OUT_OF_RANGE, "date out of range for timestamp");
    *out = days * USECS_PER_DAY;
    return true;
}

static bool is_infinite(int64_t ts) { return ts == DT_NOBEGIN || ts == DT_NOEND; }

/* Casts among date, time, timestamp, timestamptz and interval; false with
 * *handled false when there is no such cast here. */
static bool timetz_cast(Value *v, TypeId to, Arena *arena, bool *handled);

bool types__datetime_cast(Value *v, TypeId to, Arena *arena, bool *handled, Error *err) {
    TypeId from = v->type;
    if ((from == TYPE_TIMETZ || to == TYPE_TIMETZ) && timetz_cast(v, to, arena, handled)) return true;
    if (from == TYPE_TIMESTAMPTZ && to == TYPE_TIMETZ) return *handled = true, *v = value_null(TYPE_TIMETZ), true;
    const TimeZone *tz = current_zone();
    int64_t x = v->u.i, r = 0;
    *handled = true;
    switch (from) {
    case TYPE_DATE:
        if (to == TYPE_TIMESTAMP || to == TYPE_TIMESTAMPTZ) {
            if (!date_to_ts(x, &r, err)) return false;
            if (to == TYPE_TIMESTAMPTZ && !is_infinite(r)) r = from_local(tz, r);
            *v = value_int(to, r);
            return true;
        }
        break;
    case TYPE_TIMESTAMP:
    case TYPE_TIMESTAMPTZ:
        if (from == TYPE_TIMESTAMPTZ && !is_infinite(x)) x = to_local(tz, x);
        if (to == TYPE_DATE) {
            *v = value_int(to, ts_to_date(x));
            return true;
        }
        if (to == TYPE_TIME) {
            if (is_infinite(x)) return *v = value_null(to), true; /* timestamp_time: no time of day */
            int64_t days, us;
            split_ts(x, &days, &us);
            *v = value_int(to, us);
            return true;
        }
        if (to == TYPE_TIMESTAMP || to == TYPE_TIMESTAMPTZ) {
            if (to == TYPE_TIMESTAMPTZ && !is_infinite(x)) x = from_local(tz, x);
            if (!is_infinite(x) && !ts_valid(x)) return out_of_range(TYPE_TIMESTAMP, NULL, 0, err);
            *v = value_int(to, x);
            return true;
        }
        break;
    case TYPE_TIME:
        if (to == TYPE_INTERVAL) {
            interval_make(0, 0, x, arena, v);
            return true;
        }
        break;
    case TYPE_INTERVAL:
        if (to == TYPE_TIME) { /* the time part, wrapped into a day */
            Interval iv = interval_of(v);
            int64_t t = iv.time % USECS_PER_DAY;
            if (t < 0) t += USECS_PER_DAY;
            *v = value_int(TYPE_TIME, t);
            return true;
        }
        break;
    default: break;
    }
    *handled = false;
    return false;
}

/* ---- arithmetic -------------------------------------------------------------------------- */

static bool ts_overflow(Error *err) { return out_of_range(TYPE_TIMESTAMP, NULL, 0, err); }

/* timestamp + interval in local time: months first (clamping the day to
 * the month's end), then days, then the time (timestamp_pl_interval). */
static bool local_plus(int64_t ts, const Interval *iv, int64_t *out, Error *err) {
    if (is_infinite(ts)) return *out = ts, true;
    if (iv->month) {
        Tm tm = tm_from_ts(ts);
        int64_t m = tm.year * 12 + (tm.month - 1) + iv->month;
        tm.year = floor_div(m, 12);
        tm.month = (int)(m - tm.year * 12) + 1;
        int dim = days_in_month(tm.year, tm.month);
        if (tm.day > dim) tm.day = dim;
        if (!ts_from_tm(&tm, &ts)) return ts_overflow(err);
    }
    if (iv->day) {
        Tm tm = tm_from_ts(ts);
        int64_t days = types__days_from_civil(tm.year, tm.month, tm.day) + iv->day;
        int64_t us = ts - floor_div(ts, USECS_PER_DAY) * USECS_PER_DAY;
        ts = (days - PG_EPOCH_DAYS) * USECS_PER_DAY + us;
    }
    if (__builtin_add_overflow(ts, iv->time, &ts) || !ts_valid(ts)) return ts_overflow(err);
    *out = ts;
    return true;
}

/* timestamptz + interval: months and days in the TimeZone's local time
 * (so a day across a DST change is 23 or 25 hours), then the time. */
static bool tz_plus(int64_t ts, const Interval *iv, int64_t *out, Error *err) {
    if (is_infinite(ts)) return *out = ts, true;
    const TimeZone *tz = current_zone();
    /* months, then days, each back to an instant before the next: a local
     * time a transition skips moves the result, as in PostgreSQL */
    Interval steps[2] = {{0, 0, iv->month}, {0, iv->day, 0}};
    for (int i = 0; i < 2; i++) {
        if (!steps[i].month && !steps[i].day) continue;
        int64_t local;
        if (!local_plus(to_local(tz, ts), &steps[i], &local, err)) return false;
        ts = from_local(tz, local);
    }
    if (__builtin_add_overflow(ts, iv->time, &ts) || !ts_valid(ts)) return ts_overflow(err);
    *out = ts;
    return true;
}

static Interval negate(Interval iv) { return (Interval){-iv.time, -iv.day, -iv.month}; }

/* ts1 - ts2 as an interval of days and time (timestamp_mi's justify_hours). */
static Interval ts_difference(int64_t a, int64_t b) {
    int64_t d = a - b;
    Interval iv = {d % USECS_PER_DAY, (int32_t)(d / USECS_PER_DAY), 0};
    return iv;
}

static bool infinite_operand(Error *err) {
    return error_set(err, SQLSTATE_DATETIME_VALUE_OUT_OF_RANGE, "cannot subtract infinite timestamps");
}

bool timestamp_pl_interval(const Value *a, Arena *arena, Value *out, Error *err) {
    Interval iv = interval_of(&a[1]);
    int64_t r;
    if (!local_plus(a[0].u.i, &iv, &r, err)) return false;
    return *out = value_int(TYPE_TIMESTAMP, r), true;
}
bool timestamp_mi_interval(const Value *a, Arena *arena, Value *out, Error *err) {
    Interval iv = negate(interval_of(&a[1]));
    int64_t r;
    if (!local_plus(a[0].u.i, &iv, &r, err)) return false;
    return *out = value_int(TYPE_TIMESTAMP, r), true;
}
bool interval_pl_timestamp(const Value *a, Arena *arena, Value *out, Error *err) {
    Value swapped[2] = {a[1], a[0]};
    return timestamp_pl_interval(swapped, arena, out, err);
}
bool timestamptz_pl_interval(const Value *a, Arena *arena, Value *out, Error *err) {
    Interval iv = interval_of(&a[1]);
    int64_t r;
    if (!tz_plus(a[0].u.i, &iv, &r, err)) return false;
    return *out = value_int(TYPE_TIMESTAMPTZ, r), true;
}
bool timestamptz_mi_interval(const Value *a, Arena *arena, Value *out, Error *err) {
    Interval iv = negate(interval_of(&a[1]));
    int64_t r;
    if (!tz_plus(a[0].u.i, &iv, &r, err)) return false;
    return *out = value_int(TYPE_TIMESTAMPTZ, r), true;
}
bool interval_pl_timestamptz(const Value *a, Arena *arena, Value *out, Error *err) {
    Value swapped[2] = {a[1], a[0]};
    return timestamptz_pl_interval(swapped, arena, out, err);
}
bool timestamp_mi(const Value *a, Arena *arena, Value *out, Error *err) {
    if (is_infinite(a[0].u.i) || is_infinite(a[1].u.i)) return infinite_operand(err);
    *out = interval_value(ts_difference(a[0].u.i, a[1].u.i), arena);
    return true;
}

/* date + integer, date - integer, integer + date, date - date */
static bool date_result(int64_t days, Value *out, Error *err) {
    if (days < DATE_MIN || days >= DATE_END) return out_of_range(TYPE_DATE, NULL, 0, err);
    *out = value_int(TYPE_DATE, days);
    return true;
}
bool date_pli(const Value *a, Arena *arena, Value *out, Error *err) {
    if (a[0].u.i == DATE_NOEND || a[0].u.i == DATE_NOBEGIN) return *out = a[0], true;
    return date_result(a[0].u.i + a[1].u.i, out, err);
}
bool integer_pl_date(const Value *a, Arena *arena, Value *out, Error *err) {
    Value swapped[2] = {a[1], a[0]};
    return date_pli(swapped, arena, out, err);
}
bool date_mii(const Value *a, Arena *arena, Value *out, Error *err) {
    if (a[0].u.i == DATE_NOEND || a[0].u.i == DATE_NOBEGIN) return *out = a[0], true;
    return date_result(a[0].u.i - a[1].u.i, out, err);
}
bool date_mi(const Value *a, Arena *arena, Value *out, Error *err) {
    if (a[0].u.i == DATE_NOEND || a[0].u.i == DATE_NOBEGIN || a[1].u.i == DATE_NOEND || a[1].u.i == DATE_NOBEGIN)
        return error_set(err, SQLSTATE_DATETIME_VALUE_OUT_OF_RANGE, "cannot subtract infinite dates");
    *out = value_int(TYPE_INT4, a[0].u.i - a[1].u.i);
    return true;
}

/* date ± interval and date + time: as timestamps. */
bool date_pl_interval(const Value *a, Arena *arena, Value *out, Error *err) {
    int64_t ts = 0;
    if (!date_to_ts(a[0].u.i, &ts, err)) return false;
    Value args[2] = {value_int(TYPE_TIMESTAMP, ts), a[1]};
    return timestamp_pl_interval(args, arena, out, err);
}
bool date_mi_interval(const Value *a, Arena *arena, Value *out, Error *err) {
    int64_t ts = 0;
    if (!date_to_ts(a[0].u.i, &ts, err)) return false;
    Value args[2] = {value_int(TYPE_TIMESTAMP, ts), a[1]};
    return timestamp_mi_interval(args, arena, out, err);
}
bool interval_pl_date(const Value *a, Arena *arena, Value *out, Error *err) {
    Value swapped[2] = {a[1], a[0]};
    return date_pl_interval(swapped, arena, out, err);
}
bool datetime_pl(const Value *a, Arena *arena, Value *out, Error *err) {
    int64_t ts = 0;
    if (!date_to_ts(a[0].u.i, &ts, err)) return false;
    if (!is_infinite(ts)) ts += a[1].u.i;
    if (!is_infinite(ts) && !ts_valid(ts)) return ts_overflow(err);
    return *out = value_int(TYPE_TIMESTAMP, ts), true;
}
bool timedate_pl(const Value *a, Arena *arena, Value *out, Error *err) {
    Value swapped[2] = {a[1], a[0]};
    return datetime_pl(swapped, arena, out, err);
}

/* time ± interval (wrapping around midnight), time - time */
static Value time_wrap(int64_t t) {
    t %= USECS_PER_DAY;
    if (t < 0) t += USECS_PER_DAY;
    return value_int(TYPE_TIME, t);
}
bool time_pl_interval(const Value *a, Arena *arena, Value *out, Error *err) {
    return *out = time_wrap(a[0].u.i + interval_of(&a[1]).time % USECS_PER_DAY), true;
}
bool time_mi_interval(const Value *a, Arena *arena, Value *out, Error *err) {
    return *out = time_wrap(a[0].u.i - interval_of(&a[1]).time % USECS_PER_DAY), true;
}
bool interval_pl_time(const Value *a, Arena *arena, Value *out, Error *err) {
    Value swapped[2] = {a[1], a[0]};
    return time_pl_interval(swapped, arena, out, err);
}
bool time_mi_time(const Value *a, Arena *arena, Value *out, Error *err) {
    *out = interval_value((Interval){a[0].u.i - a[1].u.i, 0, 0}, arena);
    return true;
}

/* interval ± interval, -interval, interval * float8, interval / float8 */
static bool interval_overflow(Error *err) {
    return error_set(err, SQLSTATE_DATETIME_VALUE_OUT_OF_RANGE, "interval out of range");
}
bool interval_pl(const Value *a, Arena *arena, Value *out, Error *err) {
    Interval x = interval_of(&a[0]), y = interval_of(&a[1]), r;
    if (__builtin_add_overflow(x.month, y.month, &r.month) || __builtin_add_overflow(x.day, y.day, &r.day) ||
        __builtin_add_overflow(x.time, y.time, &r.time))
        return interval_overflow(err);
    return *out = interval_value(r, arena), true;
}
bool interval_mi(const Value *a, Arena *arena, Value *out, Error *err) {
    Interval x = interval_of(&a[0]), y = interval_of(&a[1]), r;
    if (__builtin_sub_overflow(x.month, y.month, &r.month) || __builtin_sub_overflow(x.day, y.day, &r.day) ||
        __builtin_sub_overflow(x.time, y.time, &r.time))
        return interval_overflow(err);
    return *out = interval_value(r, arena), true;
}
bool interval_negate(const Value *v, Arena *arena, Value *out, Error *err) {
    Interval x = interval_of(v);
    if (x.month == INT32_MIN || x.day == INT32_MIN || x.time == INT64_MIN) return interval_overflow(err);
    return *out = interval_value(negate(x), arena), true;
}

/* interval_mul and interval_div: months and days scaled, their fractions
 * cascading down (a month as 30 days, a day as 24 hours) as PostgreSQL 15
 * computes them, TSROUND included. */
static double tsround(double x) { return rint(x * 1e6) / 1e6; }

static bool interval_scale(Interval x, double f, bool divide, Arena *arena, Value *out, Error *err) {
    if (isnan(f)) return interval_overflow(err);
    double months = divide ? x.month / f : x.month * f, days = divide ? x.day / f : x.day * f;
    if (isnan(months) || isnan(days) || fabs(months) >= 2147483648.0 || fabs(days) >= 2147483648.0)
        return interval_overflow(err);
    Interval r = {0, (int32_t)days, (int32_t)months};
    double month_rem = tsround((months - r.month) * 30);
    double sec_rem = tsround((days - r.day + month_rem - (int)month_rem) * SECS_PER_DAY);
    if (fabs(sec_rem) >= SECS_PER_DAY) {
        r.day += (int)(sec_rem / SECS_PER_DAY);
        sec_rem -= (int)(sec_rem / SECS_PER_DAY) * SECS_PER_DAY;
    }
    r.day += (int32_t)month_rem;
    double t = rint((divide ? (double)x.time / f : (double)x.time * f) + sec_rem * USECS_PER_SEC);
    if (!(t >= -9223372036854775808.0 && t < 9223372036854775808.0)) return interval_overflow(err);
    r.time = (int64_t)t;
    return *out = interval_value(r, arena), true;
}

bool interval_mul(const Value *a, Arena *arena, Value *out, Error *err) {
    return interval_scale(interval_of(&a[0]), a[1].u.f, false, arena, out, err);
}
bool mul_d_interval(const Value *a, Arena *arena, Value *out, Error *err) {
    return interval_scale(interval_of(&a[1]), a[0].u.f, false, arena, out, err);
}
bool interval_div(const Value *a, Arena *arena, Value *out, Error *err) {
    if (a[1].u.f == 0) return error_set(err, SQLSTATE_DIVISION_BY_ZERO, "division by zero");
    return interval_scale(interval_of(&a[0]), a[1].u.f, true, arena, out, err);
}

/* ---- functions ------------------------------------------------------------------------------ */

#include <time.h>

bool now_fn(const Value *a, Arena *arena, Value *out, Error *err) {
    *out = value_int(TYPE_TIMESTAMPTZ, now_ts());
    return true;
}

bool clock_timestamp_fn(const Value *a, Arena *arena, Value *out, Error *err) {
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    int64_t us = (int64_t)t.tv_sec * USECS_PER_SEC + t.tv_nsec / 1000 - (int64_t)PG_EPOCH_DAYS * USECS_PER_DAY;
    *out = value_int(TYPE_TIMESTAMPTZ, us);
    return true;
}

static bool is_inf_date(int64_t d) { return d == DATE_NOBEGIN || d == DATE_NOEND; }

bool date_finite(const Value *a, Arena *arena, Value *out, Error *err) {
    return *out = value_bool(!is_inf_date(a[0].u.i)), true;
}
bool timestamp_finite(const Value *a, Arena *arena, Value *out, Error *err) {
    return *out = value_bool(!is_infinite(a[0].u.i)), true;
}
bool interval_finite(const Value *a, Arena *arena, Value *out, Error *err) { return *out = value_bool(true), true; }

/* ---- field names ---- */

typedef enum {
    F_UNKNOWN,
    F_MICROSECONDS,
    F_MILLISECONDS,
    F_SECOND,
    F_MINUTE,
    F_HOUR,
    F_DAY,
    F_WEEK,
    F_MONTH,
    F_QUARTER,
    F_YEAR,
    F_DECADE,
    F_CENTURY,
    F_MILLENNIUM,
    F_DOW,
    F_ISODOW,
    F_DOY,
    F_EPOCH,
    F_ISOYEAR,
    F_JULIAN,
    F_TIMEZONE,
    F_TIMEZONE_HOUR,
    F_TIMEZONE_MINUTE
} Field;

/* PostgreSQL's unit names and their abbreviations (deltatktbl, datetktbl). */
static Field field_of(const Value *name, char *lower, size_t cap) {
    static const struct {
        const char *name;
        Field f;
    } NAMES[] = {
        {"microsecond", F_MICROSECONDS},
        {"microseconds", F_MICROSECONDS},
        {"us", F_MICROSECONDS},
        {"usec", F_MICROSECONDS},
        {"usecs", F_MICROSECONDS},
        {"millisecond", F_MILLISECONDS},
        {"milliseconds", F_MILLISECONDS},
        {"ms", F_MILLISECONDS},
        {"msec", F_MILLISECONDS},
        {"msecs", F_MILLISECONDS},
        {"second", F_SECOND},
        {"seconds", F_SECOND},
        {"s", F_SECOND},
        {"sec", F_SECOND},
        {"secs", F_SECOND},
        {"minute", F_MINUTE},
        {"minutes", F_MINUTE},
        {"m", F_MINUTE},
        {"min", F_MINUTE},
        {"mins", F_MINUTE},
        {"hour", F_HOUR},
        {"hours", F_HOUR},
        {"h", F_HOUR},
        {"hr", F_HOUR},
        {"hrs", F_HOUR},
        {"day", F_DAY},
        {"days", F_DAY},
        {"d", F_DAY},
        {"week", F_WEEK},
        {"weeks", F_WEEK},
        {"w", F_WEEK},
        {"month", F_MONTH},
        {"months", F_MONTH},
        {"mon", F_MONTH},
        {"mons", F_MONTH},
        {"quarter", F_QUARTER},
        {"qtr", F_QUARTER},
        {"year", F_YEAR},
        {"years", F_YEAR},
        {"y", F_YEAR},
        {"yr", F_YEAR},
        {"yrs", F_YEAR},
        {"decade", F_DECADE},
        {"decades", F_DECADE},
        {"century", F_CENTURY},
        {"centuries", F_CENTURY},
        {"millennium", F_MILLENNIUM},
        {"millennia", F_MILLENNIUM},
        {"millenniums", F_MILLENNIUM},
        {"dow", F_DOW},
        {"isodow", F_ISODOW},
        {"doy", F_DOY},
        {"epoch", F_EPOCH},
        {"isoyear", F_ISOYEAR},
        {"julian", F_JULIAN},
        {"j", F_JULIAN},
        {"timezone", F_TIMEZONE},
        {"timezone_h", F_TIMEZONE_HOUR},
        {"timezone_hour", F_TIMEZONE_HOUR},
        {"timezone_m", F_TIMEZONE_MINUTE},
        {"timezone_minute", F_TIMEZONE_MINUTE},
    };
    size_t n = name->len < cap - 1 ? name->len : cap - 1;
    for (size_t i = 0; i < n; i++) lower[i] = (char)tolower((unsigned char)name->u.s[i]);
    lower[n] = '\0';
    for (size_t i = 0; i < ARRAY_LEN(NAMES); i++)
        if (strcmp(NAMES[i].name, lower) == 0) return NAMES[i].f;
    return F_UNKNOWN;
}

/* epoch, dow, doy and isodow are no units (PostgreSQL's RESERV words):
 * "not recognized" where only units make sense. */
static bool is_reserved(Field f) { return f == F_EPOCH || f == F_DOW || f == F_DOY || f == F_ISODOW; }

static bool unit_not_recognized(const char *unit, TypeId t, Error *err) {
    return error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "unit \"%s\" not recognized for type %s", unit,
                     type_info(t)->sql_name);
}

static bool unit_not_supported(const char *unit, TypeId t, Error *err) {
    return error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED, "unit \"%s\" not supported for type %s", unit,
                     type_info(t)->sql_name);
}

/* The ISO 8601 week (1..53) of a date, and its ISO year. */
void types__iso_week(int64_t y, int m, int d, int *week, int64_t *iso_year) {
    int64_t days = types__days_from_civil(y, m, d);
    int wd = (int)(((days + 3) % 7 + 7) % 7); /* 0 = Monday */
    int64_t thursday = days - wd + 3;         /* the week's Thursday decides its year */
    int64_t ty;
    int tm, td;
    civil_from_days(thursday, &ty, &tm, &td);
    *iso_year = ty;
    *week = (int)((thursday - types__days_from_civil(ty, 1, 1)) / 7 + 1);
}

/* A decimal value with `scale` fraction digits: whole + frac / 10^scale, as numeric text. */
static bool decimal_value(int64_t units, int scale, Arena *arena, Value *out, Error *err) {
    char buf[48];
    bool neg = units < 0;
    uint64_t u = neg ? (uint64_t)0 - (uint64_t)units : (uint64_t)units;
    uint64_t p = 1;
    for (int i = 0; i < scale; i++) p *= 10;
    int n = scale ? snprintf(buf, sizeof buf, "%s%llu.%0*llu", neg ? "-" : "", (unsigned long long)(u / p), scale,
                             (unsigned long long)(u % p))
                  : snprintf(buf, sizeof buf, "%s%llu", neg ? "-" : "", (unsigned long long)u);
    return numeric_from_text(buf, (size_t)n, arena, out, err);
}

static bool int_value(int64_t v, Arena *arena, Value *out) {
    numeric_from_int(v, arena, out);
    return true;
}

static int64_t decade_of(int64_t y) { return y >= 0 ? y / 10 : -((8 - (y - 1)) / 10); }
static int64_t century_of(int64_t y) { return y > 0 ? (y + 99) / 100 : -((99 - (y - 1)) / 100); }
static int64_t millennium_of(int64_t y) { return y > 0 ? (y + 999) / 1000 : -((999 - (y - 1)) / 1000); }

/* extract(field FROM timestamp[tz]) as numeric (PostgreSQL 14's). */
static bool extract_ts(const Value *unit, int64_t ts, TypeId t, Arena *arena, Value *out, Error *err) {
    char name[32];
    Field f = field_of(unit, name, sizeof name);
    if (f == F_UNKNOWN) return unit_not_recognized(name, t, err);
    if (is_infinite(ts)) { /* ±Infinity for the fields that grow with time, NULL for the others */
        bool grows = f == F_YEAR || f == F_DECADE || f == F_CENTURY || f == F_MILLENNIUM || f == F_JULIAN ||
                     f == F_ISOYEAR || f == F_EPOCH;
        if (!grows) return *out = value_null(TYPE_NUMERIC), true;
        return numeric_from_text(ts > 0 ? "Infinity" : "-Infinity", ts > 0 ? 8 : 9, arena, out, err);
    }
    int32_t off = 0;
    int64_t local = ts;
    if (t == TYPE_TIMESTAMPTZ) {
        off = offset_at(current_zone(), ts, NULL);
        local = ts + off * USECS_PER_SEC;
    } else if (f == F_TIMEZONE || f == F_TIMEZONE_HOUR || f == F_TIMEZONE_MINUTE) {
        return unit_not_supported(name, t, err);
    }
    Tm tm = tm_from_ts(local);
    int64_t y = tm.year > 0 ? tm.year : tm.year - 1; /* no year 0: 1 BC is -1 */
    int64_t sec_us = tm.second * USECS_PER_SEC + tm.usec;
    switch (f) {
    case F_MICROSECONDS: return decimal_value(sec_us, 0, arena, out, err);
    case F_MILLISECONDS: return decimal_value(sec_us, 3, arena, out, err);
    case F_SECOND: return decimal_value(sec_us, 6, arena, out, err);
    case F_MINUTE: return int_value(tm.minute, arena, out);
    case F_HOUR: return int_value(tm.hour, arena, out);
    case F_DAY: return int_value(tm.day, arena, out);
    case F_MONTH: return int_value(tm.month, arena, out);
    case F_QUARTER: return int_value((tm.month - 1) / 3 + 1, arena, out);
    case F_YEAR: return int_value(y, arena, out);
    case F_DECADE: return int_value(decade_of(y), arena, out);
    case F_CENTURY: return int_value(century_of(y), arena, out);
    case F_MILLENNIUM: return int_value(millennium_of(y), arena, out);
    case F_WEEK:
    case F_ISOYEAR: {
        int week;
        int64_t iy;
        types__iso_week(tm.year, tm.month, tm.day, &week, &iy);
        if (f == F_WEEK) return int_value(week, arena, out);
        return int_value(iy > 0 ? iy : iy - 1, arena, out);
    }
    case F_DOW:
    case F_ISODOW: {
        int64_t days = types__days_from_civil(tm.year, tm.month, tm.day);
        int dow = (int)(((days + 4) % 7 + 7) % 7); /* 0 = Sunday */
        return int_value(f == F_ISODOW && dow == 0 ? 7 : dow, arena, out);
    }
    case F_DOY:
        return int_value(types__days_from_civil(tm.year, tm.month, tm.day) - types__days_from_civil(tm.year, 1, 1) + 1,
                         arena, out);
    case F_EPOCH: return decimal_value(ts + (int64_t)PG_EPOCH_DAYS * USECS_PER_DAY, 6, arena, out, err);
    case F_TIMEZONE: return int_value(off, arena, out);
    case F_TIMEZONE_HOUR: return int_value(off / 3600, arena, out);
    case F_TIMEZONE_MINUTE: return int_value(off / 60 % 60, arena, out);
    case F_JULIAN: {
        /* the Julian day with the time of day as its fraction */
        Value j, frac, day_us;
        int_value(types__days_from_civil(tm.year, tm.month, tm.day) + 2440588, arena, &j);
        int64_t days, us;
        split_ts(local, &days, &us);
        if (!us) return *out = j, true;
        int_value(us, arena, &frac);
        int_value(USECS_PER_DAY, arena, &day_us);
        return numeric_arith(NUMERIC_DIV, &frac, &day_us, arena, &frac, err) &&
               numeric_arith(NUMERIC_ADD, &j, &frac, arena, out, err);
    }
    default: return unit_not_supported(name, t, err);
    }
}

bool extract_timestamp(const Value *a, Arena *arena, Value *out, Error *err) {
    return extract_ts(&a[0], a[1].u.i, TYPE_TIMESTAMP, arena, out, err);
}
bool extract_timestamptz(const Value *a, Arena *arena, Value *out, Error *err) {
    return extract_ts(&a[0], a[1].u.i, TYPE_TIMESTAMPTZ, arena, out, err);
}

/* extract(field FROM date): whole numbers; the time fields are errors. */
bool extract_date(const Value *a, Arena *arena, Value *out, Error *err) {
    char name[32];
    Field f = field_of(&a[0], name, sizeof name);
    if (f == F_UNKNOWN) return unit_not_recognized(name, TYPE_DATE, err);
    if (f == F_MICROSECONDS || f == F_MILLISECONDS || f == F_SECOND || f == F_MINUTE || f == F_HOUR ||
        f == F_TIMEZONE || f == F_TIMEZONE_HOUR || f == F_TIMEZONE_MINUTE)
        return unit_not_supported(name, TYPE_DATE, err);
    int64_t d = a[1].u.i;
    if (is_inf_date(d)) {
        int64_t ts = d == DATE_NOEND ? DT_NOEND : DT_NOBEGIN;
        return extract_ts(&a[0], ts, TYPE_TIMESTAMP, arena, out, err);
    }
    if (f == F_EPOCH) return int_value((d + PG_EPOCH_DAYS) * SECS_PER_DAY, arena, out);
    if (f == F_JULIAN) return int_value(d + PG_EPOCH_DAYS + 2440588, arena, out);
    return extract_ts(&a[0], d * USECS_PER_DAY, TYPE_TIMESTAMP, arena, out, err);
}

bool extract_time(const Value *a, Arena *arena, Value *out, Error *err) {
    char name[32];
    Field f = field_of(&a[0], name, sizeof name);
    int64_t t = a[1].u.i;
    switch (f) {
    case F_MICROSECONDS: return decimal_value(t % USECS_PER_MINUTE, 0, arena, out, err);
    case F_MILLISECONDS: return decimal_value(t % USECS_PER_MINUTE, 3, arena, out, err);
    case F_SECOND: return decimal_value(t % USECS_PER_MINUTE, 6, arena, out, err);
    case F_MINUTE: return int_value(t / USECS_PER_MINUTE % 60, arena, out);
    case F_HOUR: return int_value(t / USECS_PER_HOUR, arena, out);
    case F_EPOCH: return decimal_value(t, 6, arena, out, err);
    case F_UNKNOWN: return unit_not_recognized(name, TYPE_TIME, err);
    default: return unit_not_supported(name, TYPE_TIME, err);
    }
}

bool extract_interval(const Value *a, Arena *arena, Value *out, Error *err) {
    char name[32];
    Field f = field_of(&a[0], name, sizeof name);
    Interval iv = interval_of(&a[1]);
    int64_t years = iv.month / 12;
    switch (f) {
    case F_MICROSECONDS: return decimal_value(iv.time % USECS_PER_MINUTE, 0, arena, out, err);
    case F_MILLISECONDS: return decimal_value(iv.time % USECS_PER_MINUTE, 3, arena, out, err);
    case F_SECOND: return decimal_value(iv.time % USECS_PER_MINUTE, 6, arena, out, err);
    case F_MINUTE: return int_value(iv.time / USECS_PER_MINUTE % 60, arena, out);
    case F_HOUR: return int_value(iv.time / USECS_PER_HOUR, arena, out);
    case F_DAY: return int_value(iv.day, arena, out);
    case F_MONTH: return int_value(iv.month % 12, arena, out);
    case F_QUARTER: return int_value(iv.month % 12 / 3 + 1, arena, out);
    case F_YEAR: return int_value(years, arena, out);
    case F_DECADE: return int_value(years / 10, arena, out);
    case F_CENTURY: return int_value(years / 100, arena, out);
    case F_MILLENNIUM: return int_value(years / 1000, arena, out);
    case F_EPOCH: {
        /* a year as 365.25 days, a month as 30: whole seconds, then the time */
        int64_t secs =
            (int64_t)(iv.month / 12) * 31557600 + (int64_t)(iv.month % 12) * 2592000 + (int64_t)iv.day * SECS_PER_DAY;
        Value whole, time;
        int_value(secs, arena, &whole);
        if (!decimal_value(iv.time, 6, arena, &time, err)) return false;
        return numeric_arith(NUMERIC_ADD, &whole, &time, arena, out, err);
    }
    case F_UNKNOWN: return unit_not_recognized(name, TYPE_INTERVAL, err);
    default: return unit_not_supported(name, TYPE_INTERVAL, err);
    }
}

/* date_part: extract's value as float8, the fractional fields computed in
 * double as PostgreSQL's date_part computes them (so 21.475028000000002
 * where extract says 21.475028). */
static bool part_as_double(const Value *unit, TypeId t, int64_t sec_us, int64_t epoch_us, bool *done, Value *out) {
    char name[32];
    Field f = field_of(unit, name, sizeof name);
    int64_t sec = sec_us / USECS_PER_SEC, us = sec_us % USECS_PER_SEC;
    *done = true;
    switch (f) {
    case F_SECOND: *out = value_float8((double)sec + (double)us / 1000000.0); return true;
    case F_MILLISECONDS: *out = value_float8((double)sec * 1000.0 + (double)us / 1000.0); return true;
    case F_MICROSECONDS: *out = value_float8((double)sec * 1000000.0 + (double)us); return true;
    case F_EPOCH:
        if (t == TYPE_INTERVAL) break;
        *out = value_float8((double)epoch_us / 1000000.0);
        return true;
    default: break;
    }
    *done = false;
    return true;
}

static bool numeric_part(bool (*extractor)(const Value *, Arena *, Value *, Error *), const Value *a, Arena *arena,
                         Value *out, Error *err) {
    Value n;
    if (!extractor(a, arena, &n, err)) return false;
    if (n.isnull) return *out = value_null(TYPE_FLOAT8), true;
    return numeric_to_float(&n, TYPE_FLOAT8, arena, out, err);
}

static bool ts_part(const Value *a, TypeId t, Arena *arena, Value *out, Error *err) {
    int64_t ts = a[1].u.i;
    bool done = false;
    if (!is_infinite(ts)) {
        int64_t local = t == TYPE_TIMESTAMPTZ ? to_local(current_zone(), ts) : ts;
        Tm tm = tm_from_ts(local);
        part_as_double(&a[0], t, tm.second * USECS_PER_SEC + tm.usec, ts + (int64_t)PG_EPOCH_DAYS * USECS_PER_DAY,
                       &done, out);
    }
    if (done) return true;
    return numeric_part(t == TYPE_TIMESTAMPTZ ? extract_timestamptz : extract_timestamp, a, arena, out, err);
}

bool date_part_timestamp(const Value *a, Arena *arena, Value *out, Error *err) {
    return ts_part(a, TYPE_TIMESTAMP, arena, out, err);
}
bool date_part_timestamptz(const Value *a, Arena *arena, Value *out, Error *err) {
    return ts_part(a, TYPE_TIMESTAMPTZ, arena, out, err);
}
bool date_part_date(const Value *a, Arena *arena, Value *out,
                    Error *err) { /* as a timestamp, PostgreSQL's SQL function */
    int64_t ts = 0;
    if (!date_to_ts(a[1].u.i, &ts, err)) return false;
    Value args[2] = {a[0], value_int(TYPE_TIMESTAMP, ts)};
    return ts_part(args, TYPE_TIMESTAMP, arena, out, err);
}
bool date_part_time(const Value *a, Arena *arena, Value *out, Error *err) {
    bool done;
    part_as_double(&a[0], TYPE_TIME, a[1].u.i % USECS_PER_MINUTE, a[1].u.i, &done, out);
    return done || numeric_part(extract_time, a, arena, out, err);
}
bool date_part_interval(const Value *a, Arena *arena, Value *out, Error *err) {
    Interval iv = interval_of(&a[1]);
    bool done;
    part_as_double(&a[0], TYPE_INTERVAL, iv.time % USECS_PER_MINUTE, 0, &done, out);
    if (done) return true;
    char name[32];
    if (field_of(&a[0], name, sizeof name) == F_EPOCH) {
        double secs = 365.25 * SECS_PER_DAY * (iv.month / 12) + 30.0 * SECS_PER_DAY * (iv.month % 12) +
                      (double)SECS_PER_DAY * iv.day;
        return *out = value_float8(secs + (double)iv.time / 1000000.0), true;
    }
    return numeric_part(extract_interval, a, arena, out, err);
}

/* date_trunc(field, local timestamp): the start of the unit it lies in. */
static bool trunc_local(const char *name, Field f, TypeId t, int64_t *ts, Error *err) {
    Tm tm = tm_from_ts(*ts);
    switch (f) {
    case F_MILLENNIUM:
        tm.year = tm.year > 0 ? ((tm.year + 999) / 1000) * 1000 - 999 : -((999 - (tm.year - 1)) / 1000) * 1000 + 1;
        tm.month = 1, tm.day = 1;
        break;
    case F_CENTURY:
        tm.year = tm.year > 0 ? ((tm.year + 99) / 100) * 100 - 99 : -((99 - (tm.year - 1)) / 100) * 100 + 1;
        tm.month = 1, tm.day = 1;
        break;
    case F_DECADE:
        tm.year = tm.year > 0 ? (tm.year / 10) * 10 : -((8 - (tm.year - 1)) / 10) * 10;
        tm.month = 1, tm.day = 1;
        break;
    case F_YEAR: tm.month = 1, tm.day = 1; break;
    case F_QUARTER: tm.month = (tm.month - 1) / 3 * 3 + 1, tm.day = 1; break;
    case F_MONTH: tm.day = 1; break;
    case F_WEEK: { /* back to Monday */
        int64_t days = types__days_from_civil(tm.year, tm.month, tm.day);
        int wd = (int)(((days + 3) % 7 + 7) % 7);
        civil_from_days(days - wd, &tm.year, &tm.month, &tm.day);
        break;
    }
    case F_DAY: break;
    case F_HOUR: tm.minute = 0;   /* fall through */
    case F_MINUTE: tm.second = 0; /* fall through */
    case F_SECOND: tm.usec = 0; break;
    case F_MILLISECONDS: tm.usec = tm.usec / 1000 * 1000; break;
    case F_MICROSECONDS: break;
    default: return unit_not_supported(name, t, err);
    }
    if (f >= F_DAY) tm.hour = tm.minute = tm.second = tm.usec = 0; /* units of a day or more */
    if (!ts_from_tm(&tm, ts)) return ts_overflow(err);
    return true;
}

static bool date_trunc_any(const Value *unit, int64_t ts, TypeId t, const TimeZone *tz, Value *out, Error *err) {
    char name[32];
    Field f = field_of(unit, name, sizeof name);
    if (f == F_UNKNOWN || is_reserved(f)) return unit_not_recognized(name, t, err);
    if (is_infinite(ts)) return *out = value_int(t, ts), true;
    if (t == TYPE_TIMESTAMPTZ) {
        int64_t local = to_local(tz, ts);
        if (!trunc_local(name, f, t, &local, err)) return false;
        /* units of a day or more start at a local midnight; smaller ones keep the offset */
        ts = f >= F_DAY ? from_local(tz, local) : local - offset_at(tz, ts, NULL) * USECS_PER_SEC;
    } else if (!trunc_local(name, f, t, &ts, err)) {
        return false;
    }
    *out = value_int(t, ts);
    return true;
}

bool timestamp_trunc(const Value *a, Arena *arena, Value *out, Error *err) {
    return date_trunc_any(&a[0], a[1].u.i, TYPE_TIMESTAMP, NULL, out, err);
}
bool timestamptz_trunc(const Value *a, Arena *arena, Value *out, Error *err) {
    return date_trunc_any(&a[0], a[1].u.i, TYPE_TIMESTAMPTZ, current_zone(), out, err);
}
bool timestamptz_trunc_zone(const Value *a, Arena *arena, Value *out, Error *err) {
    char name[128];
    snprintf(name, sizeof name, "%.*s", (int)a[2].len, a[2].u.s);
    const TimeZone *tz = timezone_find(name);
    if (!tz) return error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "time zone \"%s\" not recognized", name);
    return date_trunc_any(&a[0], a[1].u.i, TYPE_TIMESTAMPTZ, tz, out, err);
}

bool interval_trunc(const Value *a, Arena *arena, Value *out, Error *err) {
    char name[32];
    Field f = field_of(&a[0], name, sizeof name);
    Interval iv = interval_of(&a[1]), r = {0, 0, 0};
    switch (f) {
    case F_MILLENNIUM: r.month = iv.month / 12000 * 12000; break;
    case F_CENTURY: r.month = iv.month / 1200 * 1200; break;
    case F_DECADE: r.month = iv.month / 120 * 120; break;
    case F_YEAR: r.month = iv.month / 12 * 12; break;
    case F_QUARTER: r.month = iv.month / 3 * 3; break;
    case F_MONTH: r.month = iv.month; break;
    case F_DAY: r.month = iv.month, r.day = iv.day; break;
    case F_HOUR: r = iv, r.time = iv.time / USECS_PER_HOUR * USECS_PER_HOUR; break;
    case F_MINUTE: r = iv, r.time = iv.time / USECS_PER_MINUTE * USECS_PER_MINUTE; break;
    case F_SECOND: r = iv, r.time = iv.time / USECS_PER_SEC * USECS_PER_SEC; break;
    case F_MILLISECONDS: r = iv, r.time = iv.time / 1000 * 1000; break;
    case F_MICROSECONDS: r = iv; break;
    case F_UNKNOWN:
    case F_EPOCH:
    case F_DOW:
    case F_DOY:
    case F_ISODOW: return unit_not_recognized(name, TYPE_INTERVAL, err);
    default:
        if (f == F_WEEK)
            return error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED, "unit \"%s\" not supported for type interval", name);
        return unit_not_supported(name, TYPE_INTERVAL, err);
    }
    return *out = interval_value(r, arena), true;
}

/* ---- age, justify ---- */

/* age(a, b): years, months and days between two local times, each field
 * subtracted, then negative ones borrowing from the next larger unit (a
 * month borrows the earlier date's month length), as PostgreSQL's
 * timestamp_age does. */
static bool age_local(int64_t a, int64_t b, Arena *arena, Value *out, Error *err) {
    if (is_infinite(a) || is_infinite(b))
        return error_set(err, SQLSTATE_DATETIME_VALUE_OUT_OF_RANGE, "cannot subtract infinite timestamps");
    Tm x = tm_from_ts(a), y = tm_from_ts(b);
    int64_t usec = x.usec - y.usec, sec = x.second - y.second, min = x.minute - y.minute, hour = x.hour - y.hour;
    int64_t mday = x.day - y.day, mon = x.month - y.month, year = x.year - y.year;
    bool neg = a < b;
    if (neg) usec = -usec, sec = -sec, min = -min, hour = -hour, mday = -mday, mon = -mon, year = -year;
    while (usec < 0) usec += USECS_PER_SEC, sec--;
    while (sec < 0) sec += 60, min--;
    while (min < 0) min += 60, hour--;
    while (hour < 0) hour += 24, mday--;
    while (mday < 0) { /* borrow the days of the earlier date's month */
        const Tm *earlier = neg ? &x : &y;
        mday += days_in_month(earlier->year, earlier->month);
        mon--;
    }
    while (mon < 0) mon += 12, year--;
    if (neg) usec = -usec, sec = -sec, min = -min, hour = -hour, mday = -mday, mon = -mon, year = -year;
    Interval iv = {((hour * 60 + min) * 60 + sec) * USECS_PER_SEC + usec, (int32_t)mday, (int32_t)(year * 12 + mon)};
    return *out = interval_value(iv, arena), true;
}

bool timestamp_age(const Value *a, Arena *arena, Value *out, Error *err) {
    return age_local(a[0].u.i, a[1].u.i, arena, out, err);
}
bool timestamptz_age(const Value *a, Arena *arena, Value *out, Error *err) {
    const TimeZone *tz = current_zone();
    return age_local(to_local(tz, a[0].u.i), to_local(tz, a[1].u.i), arena, out, err);
}
/* age(x): from x to today's midnight */
bool timestamp_age_now(const Value *a, Arena *arena, Value *out, Error *err) {
    int64_t days, us;
    split_ts(to_local(current_zone(), now_ts()), &days, &us);
    return age_local(days * USECS_PER_DAY, a[0].u.i, arena, out, err);
}
bool timestamptz_age_now(const Value *a, Arena *arena, Value *out, Error *err) {
    int64_t days, us;
    split_ts(to_local(current_zone(), now_ts()), &days, &us);
    return age_local(days * USECS_PER_DAY, to_local(current_zone(), a[0].u.i), arena, out, err);
}

bool interval_justify_hours(const Value *a, Arena *arena, Value *out, Error *err) {
    Interval iv = interval_of(&a[0]);
    int64_t days = iv.time / USECS_PER_DAY;
    iv.time -= days * USECS_PER_DAY;
    if (__builtin_add_overflow(iv.day, (int32_t)days, &iv.day)) return interval_overflow(err);
    if (iv.day > 0 && iv.time < 0)
        iv.time += USECS_PER_DAY, iv.day--;
    else if (iv.day < 0 && iv.time > 0)
        iv.time -= USECS_PER_DAY, iv.day++;
    return *out = interval_value(iv, arena), true;
}

bool interval_justify_days(const Value *a, Arena *arena, Value *out, Error *err) {
    Interval iv = interval_of(&a[0]);
    int32_t months = iv.day / 30;
    iv.day -= months * 30;
    if (__builtin_add_overflow(iv.month, months, &iv.month)) return interval_overflow(err);
    if (iv.month > 0 && iv.day < 0)
        iv.day += 30, iv.month--;
    else if (iv.month < 0 && iv.day > 0)
        iv.day -= 30, iv.month++;
    return *out = interval_value(iv, arena), true;
}

bool interval_justify_interval(const Value *a, Arena *arena, Value *out, Error *err) {
    Interval iv = interval_of(&a[0]);
    int64_t days = iv.time / USECS_PER_DAY;
    iv.time -= days * USECS_PER_DAY;
    int64_t d = (int64_t)iv.day + days;
    int64_t months = d / 30;
    d -= months * 30;
    int64_t m = iv.month + months;
    if (m > INT32_MAX || m < INT32_MIN) return interval_overflow(err);
    iv.month = (int32_t)m, iv.day = (int32_t)d;
    if (iv.month > 0 && (iv.day < 0 || (iv.day == 0 && iv.time < 0)))
        iv.day += 30, iv.month--;
    else if (iv.month < 0 && (iv.day > 0 || (iv.day == 0 && iv.time > 0)))
        iv.day -= 30, iv.month++;
    if (iv.day > 0 && iv.time < 0)
        iv.time += USECS_PER_DAY, iv.day--;
    else if (iv.day < 0 && iv.time > 0)
        iv.time -= USECS_PER_DAY, iv.day++;
    return *out = interval_value(iv, arena), true;
}

/* ---- make_* ---- */

static bool make_date_days(int64_t y, int64_t m, int64_t d, int64_t *days, Error *err) {
    int64_t year = y < 0 ? y + 1 : y; /* negative years are BC */
    if (y == 0 || m < 1 || m > 12 || d < 1 || d > days_in_month(year, (int)m))
        return error_set(err, SQLSTATE_DATETIME_FIELD_OVERFLOW, "date field value out of range: %lld-%02lld-%02lld",
                         (long long)y, (long long)m, (long long)d);
    *days = types__days_from_civil(year, (int)m, (int)d) - PG_EPOCH_DAYS;
    if (*days < DATE_MIN || *days >= DATE_END)
        return error_set(err, SQLSTATE_DATETIME_VALUE_OUT_OF_RANGE, "date out of range: %lld-%02lld-%02lld",
                         (long long)y, (long long)m, (long long)d);
    return true;
}

/* %02g, with PostgreSQL's spelling of the infinities and NaN */
static const char *seconds_text(double sec) {
    static char buf[40];
    if (isnan(sec)) return "NaN";
    if (isinf(sec)) return sec > 0 ? "Infinity" : "-Infinity";
    snprintf(buf, sizeof buf, "%02g", sec);
    return buf;
}

static bool make_time_us(int64_t h, int64_t mi, double sec, int64_t *us, Error *err) {
    if (h < 0 || h > 24 || mi < 0 || mi > 59 || !(sec >= 0 && sec <= 60) || (h == 24 && (mi > 0 || sec > 0)))
        return error_set(err, SQLSTATE_DATETIME_FIELD_OVERFLOW, "time field value out of range: %lld:%02lld:%s",
                         (long long)h, (long long)mi, seconds_text(sec));
    *us = h * USECS_PER_HOUR + mi * USECS_PER_MINUTE + (int64_t)rint(sec * 1e6);
    return true;
}

bool make_date(const Value *a, Arena *arena, Value *out, Error *err) {
    int64_t days = 0;
    if (!make_date_days(a[0].u.i, a[1].u.i, a[2].u.i, &days, err)) return false;
    return *out = value_int(TYPE_DATE, days), true;
}

bool make_time(const Value *a, Arena *arena, Value *out, Error *err) {
    int64_t us = 0;
    if (!make_time_us(a[0].u.i, a[1].u.i, a[2].u.f, &us, err)) return false;
    return *out = value_int(TYPE_TIME, us), true;
}

static bool make_local(const Value *a, int64_t *ts, Error *err) {
    int64_t days = 0, us = 0;
    if (a[0].u.i <= 0) /* make_timestamp takes no BC years */
        return error_set(err, SQLSTATE_DATETIME_FIELD_OVERFLOW, "date field value out of range: %lld-%02lld-%02lld",
                         (long long)a[0].u.i, (long long)a[1].u.i, (long long)a[2].u.i);
    if (!make_date_days(a[0].u.i, a[1].u.i, a[2].u.i, &days, err) ||
        !make_time_us(a[3].u.i, a[4].u.i, a[5].u.f, &us, err))
        return false;
    *ts = days * USECS_PER_DAY + us;
    if (!ts_valid(*ts)) return ts_overflow(err);
    return true;
}

bool make_timestamp(const Value *a, Arena *arena, Value *out, Error *err) {
    int64_t ts;
    if (!make_local(a, &ts, err)) return false;
    return *out = value_int(TYPE_TIMESTAMP, ts), true;
}

bool make_timestamptz(const Value *a, Arena *arena, Value *out, Error *err) {
    int64_t ts;
    if (!make_local(a, &ts, err)) return false;
    return *out = value_int(TYPE_TIMESTAMPTZ, from_local(current_zone(), ts)), true;
}

bool make_timestamptz_at(const Value *a, Arena *arena, Value *out, Error *err) {
    int64_t ts;
    if (!make_local(a, &ts, err)) return false;
    char name[128];
    snprintf(name, sizeof name, "%.*s", (int)a[6].len, a[6].u.s);
    const TimeZone *tz = timezone_find(name);
    if (!tz) return error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "time zone \"%s\" not recognized", name);
    return *out = value_int(TYPE_TIMESTAMPTZ, from_local(tz, ts)), true;
}

/* ---- AT TIME ZONE: timezone(zone, value) ---- */

static const TimeZone *zone_arg(const Value *v, Error *err) {
    char name[128];
    snprintf(name, sizeof name, "%.*s", (int)(v->len < 127 ? v->len : 127), v->u.s);
    const TimeZone *tz = timezone_find(name);
    if (!tz) error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "time zone \"%s\" not recognized", name);
    return tz;
}

/* timestamptz AT TIME ZONE zone: the local time there (a timestamp). */
bool timestamptz_zone(const Value *a, Arena *arena, Value *out, Error *err) {
    const TimeZone *tz = zone_arg(&a[0], err);
    if (!tz) return false;
    int64_t ts = a[1].u.i;
    return *out = value_int(TYPE_TIMESTAMP, is_infinite(ts) ? ts : to_local(tz, ts)), true;
}

/* timestamp AT TIME ZONE zone: that local time's instant (a timestamptz). */
bool timestamp_zone(const Value *a, Arena *arena, Value *out, Error *err) {
    const TimeZone *tz = zone_arg(&a[0], err);
    if (!tz) return false;
    int64_t ts = a[1].u.i;
    return *out = value_int(TYPE_TIMESTAMPTZ, is_infinite(ts) ? ts : from_local(tz, ts)), true;
}

/* AT TIME ZONE INTERVAL '...': a fixed offset east */
static bool interval_offset(const Value *v, int64_t *us, Error *err) {
    Interval iv = interval_of(v);
    if (iv.month || iv.day) {
        char text[VALUE_TEXT_BUF];
        types__interval_to_text(v, text);
        return error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE,
                         "interval time zone \"%s\" must not include months or days", text);
    }
    *us = iv.time;
    return true;
}

bool timestamptz_izone(const Value *a, Arena *arena, Value *out, Error *err) {
    int64_t off = 0;
    if (!interval_offset(&a[0], &off, err)) return false;
    int64_t ts = a[1].u.i;
    return *out = value_int(TYPE_TIMESTAMP, is_infinite(ts) ? ts : ts + off), true;
}

bool timestamp_izone(const Value *a, Arena *arena, Value *out, Error *err) {
    int64_t off = 0;
    if (!interval_offset(&a[0], &off, err)) return false;
    int64_t ts = a[1].u.i;
    return *out = value_int(TYPE_TIMESTAMPTZ, is_infinite(ts) ? ts : ts - off), true;
}

/* ---- for formatting.c: fields in and out ------------------------------------------------ */

bool types__datetime_fields(const Value *v, DateTimeFields *f) {
    memset(f, 0, sizeof *f);
    f->abbr = "";
    int64_t ts = v->u.i;
    switch (v->type) {
    case TYPE_DATE:
        if (v->u.i == DATE_NOBEGIN || v->u.i == DATE_NOEND) return false;
        ts = v->u.i * USECS_PER_DAY;
        break;
    case TYPE_TIME: break;
    case TYPE_TIMESTAMPTZ:
        if (ts == DT_NOBEGIN || ts == DT_NOEND) return false;
        f->gmtoff = offset_at(types__settings()->timezone, ts, &f->abbr);
        ts += (int64_t)f->gmtoff * USECS_PER_SEC;
        f->has_zone = true;
        break;
    default:
        if (ts == DT_NOBEGIN || ts == DT_NOEND) return false;
        break;
    }
    Tm tm = tm_from_ts(ts);
    if (v->type == TYPE_TIME) tm.year = 0, tm.month = 0, tm.day = 0;
    f->year = tm.year, f->month = tm.month, f->day = tm.day;
    f->hour = tm.hour, f->minute = tm.minute, f->second = tm.second, f->usec = tm.usec;
    return true;
}

bool types__datetime_from_fields(const DateTimeFields *f, TypeId t, Value *out, Error *err) {
    Tm tm = {f->year, f->month, f->day, f->hour, f->minute, f->second, f->usec};
    int64_t ts;
    if (f->month < 1 || f->month > 12 || f->day < 1 || f->day > days_in_month(f->year, f->month) || f->hour > 23 ||
        f->minute > 59 || f->second > 60)
        return error_set(err, SQLSTATE_DATETIME_FIELD_OVERFLOW, "date/time field value out of range");
    if (!ts_from_tm(&tm, &ts)) return out_of_range(t == TYPE_DATE ? TYPE_DATE : TYPE_TIMESTAMP, NULL, 0, err);
    if (t == TYPE_DATE) {
        *out = value_int(TYPE_DATE, ts_to_date(ts));
        return true;
    }
    if (t == TYPE_TIMESTAMPTZ)
        ts = f->has_zone ? ts - (int64_t)f->gmtoff * USECS_PER_SEC : from_local(types__settings()->timezone, ts);
    if (!ts_valid(ts)) return out_of_range(TYPE_TIMESTAMP, NULL, 0, err);
    *out = value_int(t, ts);
    return true;
}

/* ---- time with time zone ---------------------------------------------------------------
 * Value: s/len, 12 bytes: int64 microseconds of the day (24:00:00 is
 * allowed), int32 the zone as PostgreSQL keeps it, in seconds west of UTC.
 * Order (timetz_cmp): by the UTC time, then by zone; equal only when both
 * agree. A time given without a zone takes the TimeZone setting's offset
 * on the current date. */

#define TIMETZ_SIZE 12
#define MAX_TZ_DISP (15 * 3600 + 59 * 60) /* PostgreSQL's TZDISP_LIMIT: 15:59 */

static void timetz_parts(const Value *v, int64_t *time, int32_t *west) {
    memcpy(time, v->u.s, 8);
    memcpy(west, v->u.s + 8, 4);
}

static Value timetz_make(int64_t time, int32_t west, Arena *arena) {
    char *b = arena_alloc(arena, TIMETZ_SIZE);
    memcpy(b, &time, 8), memcpy(b + 8, &west, 4);
    return value_string(TYPE_TIMETZ, b, TIMETZ_SIZE);
}

/* The session zone's offset (east) for local time `time` on the current date. */
static int32_t offset_today(int64_t time) {
    const TimeZone *tz = current_zone();
    int64_t days, us;
    split_ts(to_local(tz, now_ts()), &days, &us);
    return timezone_offset_local(tz, unix_secs(days * USECS_PER_DAY + time));
}

bool types__timetz_from_text(const char *s, size_t len, Arena *arena, Value *out, Error *err) {
    Fields f;
    DecodeResult r = decode(s, len, TYPE_TIMETZ, &f);
    if (r != DECODE_OK) return decode_error(r, &f, TYPE_TIMETZ, s, len, err);
    if (f.special == SPECIAL_NOW) {
        int64_t local = to_local(current_zone(), now_ts()), days, us;
        split_ts(local, &days, &us);
        *out = timetz_make(us, -(int32_t)((local - now_ts()) / USECS_PER_SEC), arena);
        return true;
    }
    if (!f.has_time || f.special != SPECIAL_NONE) return bad_syntax(TYPE_TIMETZ, s, len, err);
    int64_t time =
        f.tm.hour * USECS_PER_HOUR + f.tm.minute * USECS_PER_MINUTE + f.tm.second * USECS_PER_SEC + f.tm.usec;
    if (time > USECS_PER_DAY) return field_overflow(s, len, false, err);
    int32_t east;
    if (f.has_zone && !f.zone) {
        east = f.zone_off;
    } else if (f.zone) { /* a named zone needs a date to know its offset */
        if (!f.has_date) return bad_syntax(TYPE_TIMETZ, s, len, err);
        int64_t local;
        Tm tm = f.tm;
        if (!ts_from_tm(&tm, &local)) return out_of_range(TYPE_TIMETZ, s, len, err);
        east = timezone_offset_local(f.zone, unix_secs(local));
    } else if (f.has_date) {
        int64_t local;
        Tm tm = f.tm;
        if (!ts_from_tm(&tm, &local)) return out_of_range(TYPE_TIMETZ, s, len, err);
        east = timezone_offset_local(current_zone(), unix_secs(local));
    } else {
        east = offset_today(time);
    }
    if (east > MAX_TZ_DISP || east < -MAX_TZ_DISP)
        return error_set(err, SQLSTATE_INVALID_TIME_ZONE_DISPLACEMENT_VALUE,
                         "time zone displacement out of range: \"%.*s\"", (int)len, s);
    *out = timetz_make(time, -east, arena);
    return true;
}

int types__timetz_to_text(const Value *v, char *buf) {
    int64_t time;
    int32_t west;
    timetz_parts(v, &time, &west);
    int n = put_time(buf, time);
    return n + put_offset(buf + n, -west);
}

int types__timetz_compare(const Value *a, const Value *b) {
    int64_t ta, tb;
    int32_t za, zb;
    timetz_parts(a, &ta, &za);
    timetz_parts(b, &tb, &zb);
    int64_t ua = ta + za * USECS_PER_SEC, ub = tb + zb * USECS_PER_SEC;
    if (ua != ub) return ua < ub ? -1 : 1;
    return za < zb ? -1 : za > zb;
}

uint64_t types__timetz_hash(const Value *v) {
    int64_t t;
    int32_t z;
    timetz_parts(v, &t, &z);
    return hash_mix((uint64_t)t ^ hash_mix((uint64_t)(uint32_t)z));
}

bool types__timetz_from_binary(const char *p, size_t len, Arena *arena, Value *out, Error *err) {
    if (len != TIMETZ_SIZE)
        return error_set(err, SQLSTATE_INVALID_BINARY_REPRESENTATION, "incorrect binary data format in bind parameter");
    uint64_t t = 0;
    uint32_t z = 0;
    for (int i = 0; i < 8; i++) t = t << 8 | (unsigned char)p[i];
    for (int i = 8; i < 12; i++) z = z << 8 | (unsigned char)p[i];
    if ((int64_t)t < 0 || (int64_t)t > USECS_PER_DAY)
        return error_set(err, SQLSTATE_DATETIME_VALUE_OUT_OF_RANGE, "time out of range");
    if ((int32_t)z > MAX_TZ_DISP || (int32_t)z < -MAX_TZ_DISP)
        return error_set(err, SQLSTATE_INVALID_TIME_ZONE_DISPLACEMENT_VALUE, "time zone displacement out of range");
    *out = timetz_make((int64_t)t, (int32_t)z, arena);
    return true;
}

void types__timetz_to_binary(const Value *v, char *buf) {
    int64_t t;
    int32_t z;
    timetz_parts(v, &t, &z);
    for (int i = 0; i < 8; i++) buf[i] = (char)((uint64_t)t >> (56 - 8 * i));
    for (int i = 0; i < 4; i++) buf[8 + i] = (char)((uint32_t)z >> (24 - 8 * i));
}

/* timetz(p): the seconds rounded as time(p)'s are. */
void types__timetz_round(Value *v, int32_t precision, Arena *arena) {
    int64_t t;
    int32_t z;
    timetz_parts(v, &t, &z);
    Value tv = value_int(TYPE_TIME, t);
    value_apply_typmod(&tv, precision, false, arena, &(Error){0});
    *v = timetz_make(tv.u.i, z, arena);
}

/* The casts of timetz: from time (the zone of today), to time, from timestamptz. */
static bool timetz_cast(Value *v, TypeId to, Arena *arena, bool *handled) {
    *handled = true;
    if (v->type == TYPE_TIME && to == TYPE_TIMETZ) {
        *v = timetz_make(v->u.i, -offset_today(v->u.i), arena);
        return true;
    }
    if (v->type == TYPE_TIMETZ && to == TYPE_TIME) {
        int64_t t;
        int32_t z;
        timetz_parts(v, &t, &z);
        *v = value_int(TYPE_TIME, t);
        return true;
    }
    if (v->type == TYPE_TIMESTAMPTZ && to == TYPE_TIMETZ && !is_infinite(v->u.i)) {
        int32_t east = offset_at(current_zone(), v->u.i, NULL);
        int64_t days, us;
        split_ts(v->u.i + east * USECS_PER_SEC, &days, &us);
        *v = timetz_make(us, -east, arena);
        return true;
    }
    *handled = false;
    return false;
}

static Value timetz_shift(const Value *v, int64_t us, Arena *arena) {
    int64_t t;
    int32_t z;
    timetz_parts(v, &t, &z);
    t = (t + us) % USECS_PER_DAY;
    if (t < 0) t += USECS_PER_DAY;
    return timetz_make(t, z, arena);
}

bool timetz_pl_interval(const Value *a, Arena *arena, Value *out, Error *err) {
    *out = timetz_shift(&a[0], interval_of(&a[1]).time, arena);
    return true;
}
bool timetz_mi_interval(const Value *a, Arena *arena, Value *out, Error *err) {
    *out = timetz_shift(&a[0], -interval_of(&a[1]).time, arena);
    return true;
}
bool interval_pl_timetz(const Value *a, Arena *arena, Value *out, Error *err) {
    *out = timetz_shift(&a[1], interval_of(&a[0]).time, arena);
    return true;
}

/* date + timetz: that instant. */
static bool date_timetz(int64_t date, const Value *tz, Value *out, Error *err) {
    int64_t t, ts = 0;
    int32_t z;
    timetz_parts(tz, &t, &z);
    if (is_inf_date(date)) return *out = value_int(TYPE_TIMESTAMPTZ, date == DATE_NOEND ? DT_NOEND : DT_NOBEGIN), true;
    if (!date_to_ts(date, &ts, err)) return false;
    ts += t + z * USECS_PER_SEC;
    if (!ts_valid(ts)) return ts_overflow(err);
    *out = value_int(TYPE_TIMESTAMPTZ, ts);
    return true;
}
bool datetimetz_pl(const Value *a, Arena *arena, Value *out, Error *err) {
    return date_timetz(a[0].u.i, &a[1], out, err);
}
bool timetzdate_pl(const Value *a, Arena *arena, Value *out, Error *err) {
    return date_timetz(a[1].u.i, &a[0], out, err);
}

/* timetz AT TIME ZONE zone: the same instant in that zone (a named zone's offset as of now). */
static Value timetz_in_zone(const Value *v, int32_t new_west, Arena *arena) {
    int64_t t;
    int32_t z;
    timetz_parts(v, &t, &z);
    t = (t + (int64_t)(z - new_west) * USECS_PER_SEC) % USECS_PER_DAY;
    if (t < 0) t += USECS_PER_DAY;
    return timetz_make(t, new_west, arena);
}
bool timetz_zone(const Value *a, Arena *arena, Value *out, Error *err) {
    const TimeZone *tz = zone_arg(&a[0], err);
    if (!tz) return false;
    *out = timetz_in_zone(&a[1], -offset_at(tz, now_ts(), NULL), arena);
    return true;
}
bool timetz_izone(const Value *a, Arena *arena, Value *out, Error *err) {
    int64_t off = 0;
    if (!interval_offset(&a[0], &off, err)) return false;
    *out = timetz_in_zone(&a[1], -(int32_t)(off / USECS_PER_SEC), arena);
    return true;
}

bool extract_timetz(const Value *a, Arena *arena, Value *out, Error *err) {
    char name[32];
    Field f = field_of(&a[0], name, sizeof name);
    int64_t t;
    int32_t z;
    timetz_parts(&a[1], &t, &z);
    switch (f) {
    case F_TIMEZONE: return int_value(-z, arena, out);
    case F_TIMEZONE_HOUR: return int_value(-z / 3600, arena, out);
    case F_TIMEZONE_MINUTE: return int_value(-z / 60 % 60, arena, out);
    case F_EPOCH: return decimal_value(t + z * USECS_PER_SEC, 6, arena, out, err);
    case F_UNKNOWN: return unit_not_recognized(name, TYPE_TIMETZ, err);
    default: {
        Value args[2] = {a[0], value_int(TYPE_TIME, t)};
        if (f == F_MICROSECONDS || f == F_MILLISECONDS || f == F_SECOND || f == F_MINUTE || f == F_HOUR)
            return extract_time(args, arena, out, err);
        return unit_not_supported(name, TYPE_TIMETZ, err);
    }
    }
}

bool date_part_timetz(const Value *a, Arena *arena, Value *out, Error *err) {
    return numeric_part(extract_timetz, a, arena, out, err);
}

/* ---- interval's typmod: the fields kept and the seconds' precision ---------------------
 * PostgreSQL's encoding: (field mask << 16) | precision, the mask of
 * datetime.h's field numbers (MONTH 1, YEAR 2, DAY 3, HOUR 10, MINUTE 11,
 * SECOND 12), 0x7FFF for all fields, 0xFFFF for full precision. */

#define IV_MONTH (1 << 1)
#define IV_YEAR (1 << 2)
#define IV_DAY (1 << 3)
#define IV_HOUR (1 << 10)
#define IV_MINUTE (1 << 11)
#define IV_SECOND (1 << 12)
#define IV_FULL_RANGE 0x7FFF
#define IV_FULL_PRECISION 0xFFFF

bool interval_typmod(int range, int nmods, const int *mods, int32_t *typmod, Error *err) {
    int precision = IV_FULL_PRECISION;
    if (nmods > 1) return error_set(err, SQLSTATE_SYNTAX_ERROR, "invalid INTERVAL type modifier");
    if (nmods == 1) {
        if (mods[0] < 0)
            return error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "INTERVAL(%d) precision must not be negative",
                             mods[0]);
        precision = mods[0] > 6 ? 6 : mods[0]; /* PostgreSQL warns and takes 6 */
    }
    *typmod = (int32_t)((((uint32_t)(range ? range : IV_FULL_RANGE)) << 16 | (uint32_t)precision) & 0x7FFFFFFF);
    return true;
}

/* AdjustIntervalForTypmod: the fields below the range cut off (toward
 * zero), the seconds rounded to the precision. */
void types__interval_apply_typmod(Value *v, int32_t typmod, Arena *arena) {
    Interval iv = interval_of(v);
    int range = (typmod >> 16) & 0x7FFF, precision = typmod & 0xFFFF;
    if (range == IV_YEAR)
        iv.month = iv.month / 12 * 12, iv.day = 0, iv.time = 0;
    else if (range == IV_MONTH || range == (IV_YEAR | IV_MONTH))
        iv.day = 0, iv.time = 0;
    else if (range == IV_DAY)
        iv.time = 0;
    else if (range == IV_HOUR || range == (IV_DAY | IV_HOUR))
        iv.time = iv.time / USECS_PER_HOUR * USECS_PER_HOUR;
    else if (range == IV_MINUTE || range == (IV_DAY | IV_HOUR | IV_MINUTE) || range == (IV_HOUR | IV_MINUTE))
        iv.time = iv.time / USECS_PER_MINUTE * USECS_PER_MINUTE;
    if (precision != IV_FULL_PRECISION && precision <= 6) {
        static const int64_t SCALE[] = {1000000, 100000, 10000, 1000, 100, 10, 1};
        int64_t sc = SCALE[precision], half = sc / 2;
        iv.time = iv.time >= 0 ? (iv.time + half) / sc * sc : -((-iv.time + half) / sc * sc);
    }
    *v = interval_value(iv, arena);
}

/* The unit a bare number means under a range: its smallest field. */
static const char *range_unit(int range) {
    if (range == IV_YEAR) return "year";
    if (range == IV_MONTH || range == (IV_YEAR | IV_MONTH)) return "month";
    if (range == IV_DAY) return "day";
    if (range == IV_HOUR || range == (IV_DAY | IV_HOUR)) return "hour";
    if (range == IV_MINUTE || range == (IV_HOUR | IV_MINUTE) || range == (IV_DAY | IV_HOUR | IV_MINUTE))
        return "minute";
    return "second";
}

/* Input under a typmod, as DecodeInterval reads it with a range: a bare
 * number is of the range's smallest field, "d h" under DAY TO HOUR a day
 * and an hour, and "m:s" under MINUTE TO SECOND minutes and seconds. */
bool interval_from_text_typmod(const char *s, size_t len, int32_t typmod, Arena *arena, Value *out, Error *err) {
    int range = (typmod >> 16) & 0x7FFF;
    char buf[128];
    if (range != IV_FULL_RANGE && len < 100) {
        snprintf(buf, sizeof buf, "%.*s", (int)len, s);
        char *end;
        double a = strtod(buf, &end), b;
        char *rest = end;
        while (*rest == ' ') rest++;
        if (end != buf && !*rest && !strchr(buf, 'e') && !strchr(buf, 'E')) { /* a bare number */
            char text[160];
            int n = snprintf(text, sizeof text, "%s %s", buf, range_unit(range));
            return types__interval_from_text(text, (size_t)n, arena, out, err);
        }
        int used = 0;
        if (range == (IV_DAY | IV_HOUR) && sscanf(buf, "%lf %lf%n", &a, &b, &used) == 2 && !buf[used]) {
            char text[160];
            int n = snprintf(text, sizeof text, "%.17g days %.17g hours", a, b);
            return types__interval_from_text(text, (size_t)n, arena, out, err);
        }
        const char *colon = strchr(buf, ':');
        if (range == (IV_MINUTE | IV_SECOND) && colon && !strchr(colon + 1, ':')) {
            char text[160];
            int n = snprintf(text, sizeof text, "00:%s", buf[0] == '-' || buf[0] == '+' ? buf + 1 : buf);
            if (buf[0] == '-') memmove(text + 1, text, (size_t)n + 1), text[0] = '-', n++;
            return types__interval_from_text(text, (size_t)n, arena, out, err);
        }
    }
    return types__interval_from_text(s, len, arena, out, err);
}
