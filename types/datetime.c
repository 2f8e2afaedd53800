/*
 * datetime.c — timestamptz.
 *
 * INTERFACE (types-internal): types__timestamptz_from_text, types__timestamptz_to_text
 */
#include "types/types_int.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- timestamptz --------------------------------------------------------------
 * Microseconds since 2000-01-01 00:00:00 UTC, as PostgreSQL keeps them, the
 * proleptic Gregorian calendar on both sides of it; the extremes of int64
 * are 'infinity' and '-infinity'. Text is ISO (DateStyle ISO), always
 * shown in UTC: TimeZone is UTC until the data types issue brings named
 * zones. Input: YYYY-MM-DD[( |T)HH:MM[:SS[.frac]]][ ][zone][ BC], zone being
 * Z, UTC, GMT or an offset +HH[:MM[:SS]] / +HHMM; a missing zone is UTC. */
#define USECS_PER_DAY INT64_C(86400000000)
#define PG_EPOCH_DAYS 10957 /* 2000-01-01 in days since 1970-01-01 */
#define TS_INFINITY INT64_MAX
#define TS_MINUS_INFINITY INT64_MIN

/* Days since 1970-01-01 of a civil date (H. Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, int m, int d) {
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

static int days_in_month(int64_t y, int m) {
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

int types__timestamptz_to_text(int64_t ts, char *buf) {
    if (ts == TS_INFINITY) return sprintf(buf, "infinity");
    if (ts == TS_MINUS_INFINITY) return sprintf(buf, "-infinity");
    int64_t days = ts / USECS_PER_DAY, us = ts % USECS_PER_DAY;
    if (us < 0) us += USECS_PER_DAY, days--;
    int64_t y;
    int m, d;
    civil_from_days(days + PG_EPOCH_DAYS, &y, &m, &d);
    bool bc = y <= 0;
    int64_t secs = us / 1000000, frac = us % 1000000;
    int n = sprintf(buf, "%04lld-%02d-%02d %02d:%02d:%02d", (long long)(bc ? 1 - y : y), m, d, (int)(secs / 3600),
                    (int)(secs / 60 % 60), (int)(secs % 60));
    if (frac) {
        n += sprintf(buf + n, ".%06lld", (long long)frac);
        while (buf[n - 1] == '0') n--; /* PostgreSQL drops trailing zeros */
    }
    n += sprintf(buf + n, "+00");
    if (bc) n += sprintf(buf + n, " BC");
    return n;
}

/* Reads exactly `digits` digits (or 1..digits if !exact); -1 if none. */
static int64_t read_number(const char *s, size_t len, size_t *i, int digits, bool exact) {
    int64_t v = 0;
    int n = 0;
    while (*i < len && n < digits && s[*i] >= '0' && s[*i] <= '9') v = v * 10 + (s[(*i)++] - '0'), n++;
    return n == 0 || (exact && n != digits) ? -1 : v;
}

static bool skip_word(const char *s, size_t len, size_t *i, const char *w) {
    size_t n = strlen(w);
    if (len - *i < n || strncasecmp(s + *i, w, n) != 0) return false;
    *i += n;
    return true;
}

/* A zone after the time: Z, UTC, GMT, +HH[:MM[:SS]], +HHMM. Seconds east. */
static bool read_zone(const char *s, size_t len, size_t *i, int64_t *offset, bool *out_of_range) {
    *offset = 0;
    *out_of_range = false;
    if (skip_word(s, len, i, "UTC") || skip_word(s, len, i, "GMT") || skip_word(s, len, i, "Z")) return true;
    if (*i >= len || (s[*i] != '+' && s[*i] != '-')) return false;
    int sign = s[(*i)++] == '-' ? -1 : 1;
    int64_t h = read_number(s, len, i, 2, false), mi = 0, se = 0;
    if (h < 0) return false;
    if (*i < len && s[*i] == ':') {
        (*i)++;
        if ((mi = read_number(s, len, i, 2, true)) < 0) return false;
        if (*i < len && s[*i] == ':' && (++*i, (se = read_number(s, len, i, 2, true)) < 0)) return false;
    } else if (*i < len && s[*i] >= '0' && s[*i] <= '9') {
        if ((mi = read_number(s, len, i, 2, true)) < 0) return false;
    }
    *offset = sign * (h * 3600 + mi * 60 + se);
    *out_of_range = h > 15 || mi > 59 || se > 59;
    return true;
}

static bool timestamptz_bad(const char *s, size_t len, const char *sqlstate, Error *err) {
    if (strcmp(sqlstate, SQLSTATE_DATETIME_FIELD_OVERFLOW) == 0)
        return error_set(err, sqlstate, "date/time field value out of range: \"%.*s\"", (int)len, s);
    return error_set(err, sqlstate, "invalid input syntax for type timestamp with time zone: \"%.*s\"", (int)len, s);
}

bool types__timestamptz_from_text(const char *s, size_t len, Value *out, Error *err) {
    size_t i = 0, end = len;
    while (i < end && isspace((unsigned char)s[i])) i++;
    while (end > i && isspace((unsigned char)s[end - 1])) end--;
    const char *bad = SQLSTATE_INVALID_DATETIME_FORMAT;
    if (end - i == 8 && strncasecmp(s + i, "infinity", 8) == 0)
        return *out = value_int(TYPE_TIMESTAMPTZ, TS_INFINITY), true;
    if (end - i == 9 && strncasecmp(s + i, "-infinity", 9) == 0)
        return *out = value_int(TYPE_TIMESTAMPTZ, TS_MINUS_INFINITY), true;
    if (end - i == 5 && strncasecmp(s + i, "epoch", 5) == 0)
        return *out = value_int(TYPE_TIMESTAMPTZ, -(int64_t)PG_EPOCH_DAYS * USECS_PER_DAY), true;
    int64_t y = read_number(s, end, &i, 7, false), mo = -1, d = -1, h = 0, mi = 0, se = 0, us = 0, offset = 0;
    if (y >= 0 && i < end && s[i] == '-' && (++i, (mo = read_number(s, end, &i, 2, false)) >= 0) && i < end &&
        s[i] == '-')
        ++i, d = read_number(s, end, &i, 2, false);
    if (y < 0 || mo < 0 || d < 0) return timestamptz_bad(s, len, bad, err);
    if (i < end && (s[i] == ' ' || s[i] == 'T' || s[i] == 't')) {
        size_t at = i++;
        while (i < end && s[i] == ' ') i++;
        if (i < end && s[i] >= '0' && s[i] <= '9') {
            if ((h = read_number(s, end, &i, 2, false)) < 0 || i >= end || s[i++] != ':' ||
                (mi = read_number(s, end, &i, 2, true)) < 0)
                return timestamptz_bad(s, len, bad, err);
            if (i < end && s[i] == ':') {
                i++;
                if ((se = read_number(s, end, &i, 2, true)) < 0) return timestamptz_bad(s, len, bad, err);
                if (i < end && s[i] == '.') {
                    size_t from = i++;
                    while (i < end && s[i] >= '0' && s[i] <= '9') i++;
                    if (i == from + 1 || i - from > 32) return timestamptz_bad(s, len, bad, err);
                    char frac[40];
                    snprintf(frac, sizeof frac, "0%.*s", (int)(i - from), s + from);
                    us = (int64_t)rint(strtod(frac, NULL) * 1e6); /* as PostgreSQL: half to even */
                }
            }
        } else {
            i = at;
        }
    }
    while (i < end && s[i] == ' ') i++;
    bool zone_range = false;
    if (i < end && !(end - i >= 2 && strncasecmp(s + i, "BC", 2) == 0) && !read_zone(s, end, &i, &offset, &zone_range))
        return timestamptz_bad(s, len, bad, err);
    while (i < end && s[i] == ' ') i++;
    bool bc = skip_word(s, end, &i, "BC");
    if (i != end) return timestamptz_bad(s, len, bad, err);
    if (zone_range)
        return error_set(err, SQLSTATE_INVALID_TIME_ZONE_DISPLACEMENT_VALUE,
                         "time zone displacement out of range: \"%.*s\"", (int)len, s);
    if (mo > 12) {
        timestamptz_bad(s, len, SQLSTATE_DATETIME_FIELD_OVERFLOW, err);
        return error_hint(err, "Perhaps you need a different \"datestyle\" setting."), false;
    }
    if (mo < 1 || d < 1 || y == 0 || d > days_in_month(bc ? 1 - y : y, (int)mo) || h > 24 || mi > 59 || se > 60 ||
        (h == 24 && (mi || se || us)))
        return timestamptz_bad(s, len, SQLSTATE_DATETIME_FIELD_OVERFLOW, err);
    int64_t days = days_from_civil(bc ? 1 - y : y, (int)mo, (int)d) - PG_EPOCH_DAYS;
    if (days > 106741034 || days < -2451545 - 1721060) /* PostgreSQL's range: 4713 BC .. 294276 AD */
        return error_set(err, SQLSTATE_DATETIME_VALUE_OUT_OF_RANGE, "timestamp out of range: \"%.*s\"", (int)len, s);
    int64_t secs = h * 3600 + mi * 60 + se - offset;
    *out = value_int(TYPE_TIMESTAMPTZ, days * USECS_PER_DAY + secs * 1000000 + us);
    return true;
}
