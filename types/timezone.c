/*
 * timezone.c — time zones as PostgreSQL reads them: the system's tz
 * database (TZif files under /usr/share/zoneinfo, RFC 8536: version 2+
 * 64-bit transitions, then the POSIX TZ string of its footer for instants
 * after the last one), POSIX TZ strings themselves ("EST5EDT,M3.2.0,M11.1.0",
 * "<+0530>-5:30", "UTC+3": offsets west of Greenwich), and UTC.
 *
 * Zones are loaded once and kept for the life of the process (a handful
 * are ever used), so a TimeZone pointer stays valid wherever it is copied.
 * Local time to UTC follows PostgreSQL's DetermineTimeZoneOffset: a local
 * time that a spring-forward transition skips takes the offset before it,
 * one that a fall-back transition repeats takes the offset after it.
 *
 * INTERFACE: timezone_find, timezone_name, timezone_utc, timezone_offset_utc,
 *            timezone_offset_local
 */
#include "types/types_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <dirent.h>

#define ZONEINFO "/usr/share/zoneinfo"
#define SECS_PER_DAY 86400

/* A POSIX TZ rule: std offset [dst [offset] [,start[/time],end[/time]]]. */
typedef struct RuleDate {
    char kind; /* 'J' (Julian day 1..365, no Feb 29), 'D' (day 0..365), 'M' (month.week.weekday) */
    int day, week, month;
    int32_t time; /* seconds after local midnight */
} RuleDate;

typedef struct PosixRule {
    bool valid;
    int32_t std_off, dst_off; /* seconds east of Greenwich */
    char std_abbr[16], dst_abbr[16];
    bool has_dst;
    RuleDate start, end;
} PosixRule;

typedef struct TzType {
    int32_t utoff; /* seconds east */
    bool isdst;
    char abbr[16];
} TzType;

struct TimeZone {
    char name[128];
    int ntrans;
    int64_t *trans; /* transition instants, seconds since 1970 UTC, ascending */
    uint8_t *idx;   /* the type in force from each transition on */
    int ntypes;
    TzType *types;  /* types[0] is in force before the first transition */
    PosixRule rule; /* after the last transition (or always, with no transitions) */
    TimeZone *next; /* the cache */
};

static TimeZone *zones;
static TimeZone utc_zone = {.name = "UTC", .rule = {.valid = true, .std_abbr = "UTC"}};

const TimeZone *timezone_utc(void) { return &utc_zone; }

const char *timezone_name(const TimeZone *tz) { return tz ? tz->name : "UTC"; }

/* ---- POSIX TZ strings ------------------------------------------------------------ */

static bool parse_abbr(const char **p, char *out) {
    const char *s = *p;
    size_t n = 0;
    if (*s == '<') {
        s++;
        while (*s && *s != '>' && n < 15) out[n++] = *s++;
        if (*s++ != '>') return false;
    } else {
        while (isalpha((unsigned char)*s) && n < 15) out[n++] = *s++;
    }
    out[n] = '\0';
    *p = s;
    return n >= 1;
}

/* [+-]hh[:mm[:ss]] as seconds (hours up to 167, as POSIX allows for rules). */
static bool parse_hms(const char **p, int32_t *out) {
    const char *s = *p;
    int sign = 1;
    if (*s == '+' || *s == '-') sign = *s++ == '-' ? -1 : 1;
    if (!isdigit((unsigned char)*s)) return false;
    long h = strtol(s, (char **)&s, 10), m = 0, sec = 0;
    if (*s == ':') {
        s++;
        m = strtol(s, (char **)&s, 10);
        if (*s == ':') s++, sec = strtol(s, (char **)&s, 10);
    }
    if (h > 167 || m > 59 || sec > 59) return false;
    *out = (int32_t)(sign * (h * 3600 + m * 60 + sec));
    *p = s;
    return true;
}

static bool parse_rule_date(const char **p, RuleDate *d) {
    const char *s = *p;
    d->time = 7200; /* 02:00 by default */
    if (*s == 'M') {
        d->kind = 'M';
        s++;
        d->month = (int)strtol(s, (char **)&s, 10);
        if (*s++ != '.') return false;
        d->week = (int)strtol(s, (char **)&s, 10);
        if (*s++ != '.') return false;
        d->day = (int)strtol(s, (char **)&s, 10);
        if (d->month < 1 || d->month > 12 || d->week < 1 || d->week > 5 || d->day < 0 || d->day > 6) return false;
    } else if (*s == 'J') {
        d->kind = 'J';
        s++;
        d->day = (int)strtol(s, (char **)&s, 10);
    } else if (isdigit((unsigned char)*s)) {
        d->kind = 'D';
        d->day = (int)strtol(s, (char **)&s, 10);
    } else {
        return false;
    }
    if (*s == '/' && (s++, !parse_hms(&s, &d->time))) return false;
    *p = s;
    return true;
}

/* Offsets in the string are west of Greenwich; kept here as east. */
static bool parse_posix(const char *s, PosixRule *r) {
    memset(r, 0, sizeof *r);
    int32_t off;
    /* an offset alone ("+05:30", as PostgreSQL's tzparse allows) has no abbreviation */
    bool bare = *s == '+' || *s == '-' || isdigit((unsigned char)*s);
    if ((!bare && !parse_abbr(&s, r->std_abbr)) || !parse_hms(&s, &off)) return false;
    if (bare && *s) return false;
    r->std_off = -off;
    if (*s) {
        if (!parse_abbr(&s, r->dst_abbr)) return false;
        r->has_dst = true;
        r->dst_off = r->std_off + 3600;
        if (*s && *s != ',') {
            if (!parse_hms(&s, &off)) return false;
            r->dst_off = -off;
        }
        if (*s == ',') {
            s++;
            if (!parse_rule_date(&s, &r->start) || *s++ != ',' || !parse_rule_date(&s, &r->end)) return false;
        } else { /* POSIX's default rule, as tzcode has it: the US rules */
            r->start = (RuleDate){'M', 0, 2, 3, 7200};
            r->end = (RuleDate){'M', 0, 1, 11, 7200};
        }
    }
    r->valid = *s == '\0';
    return r->valid;
}

static bool leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int64_t year_of(int64_t unix_secs) {
    int64_t z = (unix_secs >= 0 ? unix_secs : unix_secs - (SECS_PER_DAY - 1)) / SECS_PER_DAY + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    return yoe + era * 400 + (m <= 2);
}

/* The local midnight (in days since 1970) a rule date falls on in year y. */
static int64_t rule_day(const RuleDate *d, int64_t y) {
    int64_t jan1 = types__days_from_civil(y, 1, 1);
    if (d->kind == 'J') return jan1 + d->day - 1 + (leap(y) && d->day >= 60);
    if (d->kind == 'D') return jan1 + d->day;
    static const int MDAYS[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int64_t first = types__days_from_civil(y, d->month, 1);
    int wday = (int)(((first + 4) % 7 + 7) % 7); /* 1970-01-01 was a Thursday */
    int64_t day = first + (d->day - wday + 7) % 7 + (d->week - 1) * 7;
    int mdays = MDAYS[d->month - 1] + (d->month == 2 && leap(y));
    while (day >= first + mdays) day -= 7; /* week 5: the last one */
    return day;
}

/* The instants (UTC) DST starts and ends in year y. */
static void rule_transitions(const PosixRule *r, int64_t y, int64_t *start, int64_t *end) {
    *start = rule_day(&r->start, y) * SECS_PER_DAY + r->start.time - r->std_off;
    *end = rule_day(&r->end, y) * SECS_PER_DAY + r->end.time - r->dst_off;
}

static bool rule_is_dst(const PosixRule *r, int64_t t) {
    if (!r->has_dst) return false;
    int64_t y = year_of(t + r->std_off), start, end;
    rule_transitions(r, y, &start, &end);
    return start < end ? t >= start && t < end : !(t >= end && t < start); /* southern hemisphere: DST spans new year */
}

/* The first rule transition after t: its instant and the offsets around it. */
static bool rule_next(const PosixRule *r, int64_t t, int64_t *at, int32_t *before, int32_t *after) {
    if (!r->has_dst) return false;
    int64_t y = year_of(t + r->std_off);
    for (int64_t k = y; k <= y + 1; k++) {
        int64_t s, e;
        rule_transitions(r, k, &s, &e);
        int64_t first = s < e ? s : e, second = s < e ? e : s;
        int64_t pick = first > t ? first : second > t ? second : INT64_MIN;
        if (pick == INT64_MIN) continue;
        bool into_dst = pick == s;
        *at = pick;
        *before = into_dst ? r->std_off : r->dst_off;
        *after = into_dst ? r->dst_off : r->std_off;
        return true;
    }
    return false;
}

/* ---- TZif files ------------------------------------------------------------------- */

static int64_t be(const unsigned char *p, int n) {
    uint64_t v = 0;
    for (int i = 0; i < n; i++) v = v << 8 | p[i];
    return n == 4 ? (int64_t)(int32_t)v : (int64_t)v;
}

/* Reads a TZif file's version 2+ block (the 64-bit data) and its footer. */
static bool read_tzif(const unsigned char *b, size_t n, TimeZone *tz) {
    if (n < 44 || memcmp(b, "TZif", 4) != 0) return false;
    size_t at = 0;
    for (int pass = 0; pass < 2; pass++) {
        if (at + 44 > n || memcmp(b + at, "TZif", 4) != 0) return false;
        bool v2 = b[at + 4] >= '2';
        int64_t isutcnt = be(b + at + 20, 4), isstdcnt = be(b + at + 24, 4), leapcnt = be(b + at + 28, 4),
                timecnt = be(b + at + 32, 4), typecnt = be(b + at + 36, 4), charcnt = be(b + at + 40, 4);
        int tsize = pass == 0 ? 4 : 8;
        size_t body =
            (size_t)(timecnt * tsize + timecnt + typecnt * 6 + charcnt + leapcnt * (tsize + 4) + isstdcnt + isutcnt);
        if (timecnt < 0 || typecnt < 1 || typecnt > 255 || at + 44 + body > n) return false;
        if (pass == 0 && v2) { /* skip the 32-bit block */
            at += 44 + body;
            continue;
        }
        const unsigned char *p = b + at + 44;
        tz->ntrans = (int)timecnt;
        tz->trans = calloc((size_t)timecnt + 1, sizeof *tz->trans);
        tz->idx = calloc((size_t)timecnt + 1, 1);
        tz->ntypes = (int)typecnt;
        tz->types = calloc((size_t)typecnt, sizeof *tz->types);
        if (!tz->trans || !tz->idx || !tz->types) abort();
        for (int64_t i = 0; i < timecnt; i++) tz->trans[i] = be(p + i * tsize, tsize);
        p += timecnt * tsize;
        for (int64_t i = 0; i < timecnt; i++) {
            tz->idx[i] = p[i];
            if (p[i] >= typecnt) return false;
        }
        p += timecnt;
        const unsigned char *chars = p + typecnt * 6;
        for (int64_t i = 0; i < typecnt; i++) {
            tz->types[i].utoff = (int32_t)be(p + i * 6, 4);
            tz->types[i].isdst = p[i * 6 + 4] != 0;
            unsigned ai = p[i * 6 + 5];
            if (ai < charcnt) snprintf(tz->types[i].abbr, sizeof tz->types[i].abbr, "%s", (const char *)chars + ai);
        }
        size_t footer = at + 44 + body;
        if (v2 && footer < n && b[footer] == '\n') {
            const unsigned char *end = memchr(b + footer + 1, '\n', n - footer - 1);
            if (end && end > b + footer + 1) {
                char rule[128];
                snprintf(rule, sizeof rule, "%.*s", (int)(end - b - footer - 1), (const char *)b + footer + 1);
                parse_posix(rule, &tz->rule);
            }
        }
        return true;
    }
    return false;
}

/* The entry of dir whose name equals name without regard to case. */
static bool find_entry(const char *dir, const char *name, char *out, size_t cap) {
    DIR *d = opendir(dir);
    if (!d) return false;
    bool found = false;
    for (struct dirent *e; !found && (e = readdir(d));) {
        if (strcasecmp(e->d_name, name) == 0) {
            snprintf(out, cap, "%s", e->d_name);
            found = true;
        }
    }
    closedir(d);
    return found;
}

/* The zone file's path below ZONEINFO as the directory spells it: names
 * compare without case, as PostgreSQL's pg_tzset finds them. */
static bool canonical_path(const char *name, char *out, size_t cap) {
    char dir[512];
    snprintf(dir, sizeof dir, "%s", ZONEINFO);
    size_t used = 0;
    out[0] = '\0';
    for (const char *p = name; *p;) {
        const char *slash = strchr(p, '/');
        size_t n = slash ? (size_t)(slash - p) : strlen(p);
        if (n == 0 || n > 200 || p[0] == '.') return false; /* no empty, hidden, . or .. components */
        char component[256], found[256];
        snprintf(component, sizeof component, "%.*s", (int)n, p);
        if (!find_entry(dir, component, found, sizeof found)) return false;
        int w = snprintf(out + used, cap - used, "%s%s", used ? "/" : "", found);
        if (w < 0 || (size_t)w >= cap - used) return false;
        used += (size_t)w;
        size_t dl = strlen(dir);
        snprintf(dir + dl, sizeof dir - dl, "/%s", found);
        p += n;
        if (*p == '/') p++;
    }
    return used > 0;
}

static TimeZone *load_file(const char *name) {
    char rel[sizeof((TimeZone *)0)->name], path[600];
    if (!canonical_path(name, rel, sizeof rel)) return NULL;
    snprintf(path, sizeof path, "%s/%s", ZONEINFO, rel);
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    unsigned char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    TimeZone *tz = calloc(1, sizeof *tz);
    if (!tz) abort();
    if (!read_tzif(buf, n, tz)) {
        free(tz->trans), free(tz->idx), free(tz->types), free(tz);
        return NULL;
    }
    snprintf(tz->name, sizeof tz->name, "%s", rel);
    return tz;
}

static TimeZone *load_posix(const char *name) {
    TimeZone *tz = calloc(1, sizeof *tz);
    if (!tz) abort();
    if (!parse_posix(name, &tz->rule)) {
        free(tz);
        return NULL;
    }
    snprintf(tz->name, sizeof tz->name, "%s", name);
    return tz;
}

const TimeZone *timezone_find(const char *name) {
    if (!name || !*name || strlen(name) >= sizeof utc_zone.name) return NULL;
    if (strcasecmp(name, "UTC") == 0 || strcasecmp(name, "Z") == 0 || strcasecmp(name, "Zulu") == 0) return &utc_zone;
    for (TimeZone *z = zones; z; z = z->next)
        if (strcasecmp(z->name, name) == 0) return z;
    TimeZone *tz = load_file(name);
    if (!tz) tz = load_posix(name);
    if (!tz) return NULL;
    tz->next = zones;
    zones = tz;
    return tz;
}

/* ---- offsets -------------------------------------------------------------------------- */

/* The type in force at instant t (seconds since 1970 UTC). */
static void type_at(const TimeZone *tz, int64_t t, int32_t *off, bool *isdst, const char **abbr) {
    if (tz->ntrans == 0 || t >= tz->trans[tz->ntrans - 1]) {
        if (tz->rule.valid) {
            bool dst = rule_is_dst(&tz->rule, t);
            *off = dst ? tz->rule.dst_off : tz->rule.std_off;
            *isdst = dst;
            *abbr = dst ? tz->rule.dst_abbr : tz->rule.std_abbr;
            return;
        }
        if (tz->ntrans == 0) {
            *off = tz->ntypes ? tz->types[0].utoff : 0, *isdst = false, *abbr = tz->ntypes ? tz->types[0].abbr : "UTC";
            return;
        }
    }
    const TzType *ty = &tz->types[0];
    if (tz->ntrans && t >= tz->trans[0]) {
        int lo = 0, hi = tz->ntrans - 1; /* the last transition at or before t */
        while (lo < hi) {
            int mid = (lo + hi + 1) / 2;
            if (tz->trans[mid] <= t)
                lo = mid;
            else
                hi = mid - 1;
        }
        ty = &tz->types[tz->idx[lo]];
    }
    *off = ty->utoff, *isdst = ty->isdst, *abbr = ty->abbr;
}

int32_t timezone_offset_utc(const TimeZone *tz, int64_t unix_secs, bool *isdst, const char **abbr) {
    int32_t off;
    bool dst;
    const char *a;
    type_at(tz ? tz : &utc_zone, unix_secs, &off, &dst, &a);
    if (isdst) *isdst = dst;
    if (abbr) *abbr = a;
    return off;
}

/* The first transition after t: its instant and the offsets either side. */
static bool next_boundary(const TimeZone *tz, int64_t t, int64_t *at, int32_t *before, int32_t *after) {
    if (tz->ntrans && t < tz->trans[tz->ntrans - 1]) {
        int lo = 0, hi = tz->ntrans - 1; /* the first transition after t */
        while (lo < hi) {
            int mid = (lo + hi) / 2;
            if (tz->trans[mid] > t)
                hi = mid;
            else
                lo = mid + 1;
        }
        *at = tz->trans[lo];
        *before = lo ? tz->types[tz->idx[lo - 1]].utoff : tz->types[0].utoff;
        *after = tz->types[tz->idx[lo]].utoff;
        return true;
    }
    return tz->rule.valid && rule_next(&tz->rule, t, at, before, after);
}

int32_t timezone_offset_local(const TimeZone *tz, int64_t local_secs) {
    if (!tz) tz = &utc_zone;
    /* The boundary following the local time taken as an instant a day
     * earlier: with offsets under a day and boundaries days apart, it is
     * the one that decides (PostgreSQL's DetermineTimeZoneOffset). */
    int64_t prec = local_secs - SECS_PER_DAY, boundary;
    int32_t before, after;
    if (!next_boundary(tz, prec, &boundary, &before, &after)) return timezone_offset_utc(tz, prec, NULL, NULL);
    int64_t before_t = local_secs - before, after_t = local_secs - after;
    if (before_t < boundary && after_t < boundary) return before;
    if (before_t > boundary && after_t >= boundary) return after;
    return before_t > after_t ? before : after; /* skipped: the offset before; repeated: the one after */
}
