/*
 * settings.c — the run-time settings a session can SET, RESET and SHOW,
 * with PostgreSQL's names, units, ranges, text forms and errors. Only
 * settings strand acts on are here; an unknown name is 42704 as in
 * PostgreSQL (the wire protocol issue brings the rest of the ones drivers
 * send).
 *
 *   lock_timeout                       a parked statement fails after this (0: never)
 *   deadlock_timeout                   a parked statement looks for a deadlock after this
 *   client_connection_check_interval   accepted for compatibility: strand notices a
 *                                      closed connection at once, parked or not
 *   default_transaction_isolation      the isolation of new transactions
 *
 * Time values are integers of milliseconds or numbers with a unit (us, ms,
 * s, min, h, d), shown in the largest unit that divides them, as
 * PostgreSQL's GUC_UNIT_MS settings are.
 *
 * INTERFACE (server-internal): settings_defaults, settings_set,
 *   settings_show, settings_count, settings_name, settings_description
 */
#include "server/server_int.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef enum SettingKind { SETTING_MS, SETTING_ISOLATION } SettingKind;

typedef struct SettingDef {
    const char *name;
    SettingKind kind;
    size_t offset; /* into Settings */
    int32_t min, def;
    const char *description;
} SettingDef;

#define OFF(field) offsetof(Settings, field)

static const SettingDef DEFS[] = {
    {"client_connection_check_interval", SETTING_MS, OFF(client_connection_check_interval), 0, 0,
     "Sets the time interval between checks for disconnection while running queries."},
    {"deadlock_timeout", SETTING_MS, OFF(deadlock_timeout), 1, 1000,
     "Sets the time to wait on a lock before checking for deadlock."},
    {"default_transaction_isolation", SETTING_ISOLATION, OFF(default_isolation), 0, SETTING_ISO_READ_COMMITTED,
     "Sets the transaction isolation level of each new transaction."},
    {"lock_timeout", SETTING_MS, OFF(lock_timeout), 0, 0, "Sets the maximum allowed duration of any wait for a lock."},
};

static const char *const ISOLATION_NAMES[] = {"read uncommitted", "read committed", "repeatable read", "serializable"};

static int32_t *field_of(Settings *st, const SettingDef *d) { return (int32_t *)((char *)st + d->offset); }

static const SettingDef *find(const char *name) {
    for (size_t i = 0; i < ARRAY_LEN(DEFS); i++)
        if (strcmp(DEFS[i].name, name) == 0) return &DEFS[i];
    return NULL;
}

void settings_defaults(Settings *st) {
    for (size_t i = 0; i < ARRAY_LEN(DEFS); i++) *field_of(st, &DEFS[i]) = DEFS[i].def;
}

int settings_count(void) { return (int)ARRAY_LEN(DEFS); }
const char *settings_name(int i) { return DEFS[i].name; }
const char *settings_description(int i) { return DEFS[i].description; }

static bool unrecognized(const char *name, Error *err) {
    return error_set(err, SQLSTATE_UNDEFINED_OBJECT, "unrecognized configuration parameter \"%s\"", name);
}

static bool invalid_value(const char *name, const char *value, const char *hint, Error *err) {
    error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "invalid value for parameter \"%s\": \"%s\"", name, value);
    if (hint) error_hint(err, "%s", hint);
    return false;
}

/* PostgreSQL's parse_int for a GUC_UNIT_MS value: a number (fractions
 * allowed) and an optional unit, blanks around them. */
static bool parse_ms(const char *text, double *ms) {
    char *end;
    double v = strtod(text, &end);
    if (end == text || isnan(v)) return false;
    while (isspace((unsigned char)*end)) end++;
    static const struct {
        const char *unit;
        double ms;
    } UNITS[] = {{"us", 0.001}, {"ms", 1}, {"s", 1000}, {"min", 60000}, {"h", 3600000}, {"d", 86400000}};
    double scale = 1;
    if (*end) {
        size_t len = 0;
        while (end[len] && !isspace((unsigned char)end[len])) len++;
        bool found = false;
        for (size_t i = 0; i < ARRAY_LEN(UNITS) && !found; i++)
            if (strlen(UNITS[i].unit) == len && strncmp(end, UNITS[i].unit, len) == 0)
                scale = UNITS[i].ms, found = true;
        if (!found) return false;
        end += len;
        while (isspace((unsigned char)*end)) end++;
        if (*end) return false;
    }
    *ms = rint(v * scale);
    return true;
}

static bool set_ms(Settings *st, const SettingDef *d, const char *value, Error *err) {
    double ms;
    if (!parse_ms(value, &ms))
        return invalid_value(d->name, value,
                             "Valid units for this parameter are \"us\", \"ms\", \"s\", \"min\", \"h\", and \"d\".",
                             err);
    if (ms < d->min || ms > INT32_MAX)
        return error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE,
                         "%.0f ms is outside the valid range for parameter \"%s\" (%d .. %d)", ms, d->name, d->min,
                         INT32_MAX);
    *field_of(st, d) = (int32_t)ms;
    return true;
}

bool settings_parse_isolation(const char *value, int32_t *out) {
    for (size_t i = 0; i < ARRAY_LEN(ISOLATION_NAMES); i++) {
        if (strcasecmp(value, ISOLATION_NAMES[i]) == 0) {
            *out = (int32_t)i;
            return true;
        }
    }
    return false;
}

static bool set_isolation(Settings *st, const SettingDef *d, const char *value, Error *err) {
    if (!settings_parse_isolation(value, field_of(st, d))) {
        invalid_value(d->name, value, NULL, err);
        error_hint(err, "Available values: serializable, repeatable read, read committed, read uncommitted.");
        return false;
    }
    return true;
}

bool settings_set(Settings *st, const char *name, const char *const *values, int n, Error *err) {
    const SettingDef *d = find(name);
    if (!d) return unrecognized(name, err);
    if (n == 0) {
        *field_of(st, d) = d->def;
        return true;
    }
    if (n > 1) return error_set(err, SQLSTATE_SYNTAX_ERROR, "SET %s takes only one argument", name);
    return d->kind == SETTING_MS ? set_ms(st, d, values[0], err) : set_isolation(st, d, values[0], err);
}

/* A millisecond value in the largest unit that divides it. */
static void format_ms(int32_t ms, char *buf, size_t cap) {
    static const struct {
        const char *unit;
        int32_t ms;
    } UNITS[] = {{"d", 86400000}, {"h", 3600000}, {"min", 60000}, {"s", 1000}};
    if (ms == 0) {
        snprintf(buf, cap, "0");
        return;
    }
    for (size_t i = 0; i < ARRAY_LEN(UNITS); i++) {
        if (ms % UNITS[i].ms == 0) {
            snprintf(buf, cap, "%d%s", ms / UNITS[i].ms, UNITS[i].unit);
            return;
        }
    }
    snprintf(buf, cap, "%dms", ms);
}

void settings_format_isolation(int32_t iso, char *buf, size_t cap) {
    snprintf(buf, cap, "%s", ISOLATION_NAMES[iso >= 0 && iso < 4 ? iso : 1]);
}

bool settings_show(const Settings *st, const char *name, char *buf, size_t cap, Error *err) {
    const SettingDef *d = find(name);
    if (!d) return unrecognized(name, err);
    int32_t v = *field_of((Settings *)st, d);
    if (d->kind == SETTING_MS)
        format_ms(v, buf, cap);
    else
        settings_format_isolation(v, buf, cap);
    return true;
}
