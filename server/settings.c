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
 *   synchronous_commit                 off: a commit is acknowledged before its WAL
 *                                      record is durable (all other values wait)
 * and, set only when the server starts (strand start -c name=value; SET is
 * 55P02 as for PostgreSQL's postmaster settings):
 *   wal_sync_method, wal_writer_delay, checkpoint_timeout, max_wal_size
 *
 * Time values are integers of milliseconds or numbers with a unit (us, ms,
 * s, min, h, d), shown in the largest unit that divides them, as
 * PostgreSQL's GUC_UNIT_MS settings are.
 *
 * INTERFACE (server-internal): settings_defaults, settings_set, settings_configure,
 *   settings_show, settings_count, settings_name, settings_description
 */
#include "server/server_int.h"
#include "wal/wal.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef enum SettingKind { SETTING_MS, SETTING_ISOLATION, SETTING_ENUM, SETTING_MB } SettingKind;

typedef struct SettingDef {
    const char *name;
    SettingKind kind;
    size_t offset; /* into Settings */
    int32_t min, def;
    const char *description;
    const char *const *names; /* SETTING_ENUM: the value names, by value */
    bool server;              /* set only at start (strand start -c name=value) */
} SettingDef;

/* In PostgreSQL's order, which its hints list them in. */
static const char *const SYNC_COMMIT_NAMES[] = {"local", "remote_write", "remote_apply", "on", "off", NULL};
/* Time stamps are shown in UTC only, until the data types issue brings the
 * tz database (storage/value.c). */
static const char *const TIMEZONE_NAMES[] = {"UTC", NULL};
static const char *const SYNC_METHOD_NAMES[] = {"fsync", "fdatasync", "open_sync", "open_datasync",
                                                NULL}; /* WalSyncMethod */

#define OFF(field) offsetof(Settings, field)

static const SettingDef DEFS[] = {
    {"client_connection_check_interval", SETTING_MS, OFF(client_connection_check_interval), 0, 0,
     "Sets the time interval between checks for disconnection while running queries.", NULL, false},
    {"deadlock_timeout", SETTING_MS, OFF(deadlock_timeout), 1, 1000,
     "Sets the time to wait on a lock before checking for deadlock.", NULL, false},
    {"default_transaction_isolation", SETTING_ISOLATION, OFF(default_isolation), 0, SETTING_ISO_READ_COMMITTED,
     "Sets the transaction isolation level of each new transaction.", NULL, false},
    {"lock_timeout", SETTING_MS, OFF(lock_timeout), 0, 0, "Sets the maximum allowed duration of any wait for a lock.",
     NULL, false},
    {"synchronous_commit", SETTING_ENUM, OFF(synchronous_commit), 0, SYNC_COMMIT_ON,
     "Sets the current transaction's synchronization level.", SYNC_COMMIT_NAMES, false},
    {"wal_sync_method", SETTING_ENUM, OFF(wal_sync_method), 0, WAL_SYNC_FDATASYNC,
     "Selects the method used for forcing WAL updates to disk.", SYNC_METHOD_NAMES, true},
    {"wal_writer_delay", SETTING_MS, OFF(wal_writer_delay), 1, 200,
     "Time between WAL flushes performed in the WAL writer.", NULL, true},
    {"checkpoint_timeout", SETTING_MS, OFF(checkpoint_timeout), 30000, 300000,
     "Sets the maximum time between automatic WAL checkpoints.", NULL, true},
    {"TimeZone", SETTING_ENUM, OFF(timezone), 0, 0, "Sets the time zone for displaying and interpreting time stamps.",
     TIMEZONE_NAMES, false},
    {"reducer_timeout", SETTING_MS, OFF(reducer_timeout), 0, 5000,
     "Sets the maximum allowed duration of a reducer call (0: none).", NULL, false},
    {"max_wal_size", SETTING_MB, OFF(max_wal_size), 2, 1024, "Sets the WAL size that triggers a checkpoint.", NULL,
     true},
};

static const char *const ISOLATION_NAMES[] = {"read uncommitted", "read committed", "repeatable read", "serializable"};

static int32_t *field_of(Settings *st, const SettingDef *d) { return (int32_t *)((char *)st + d->offset); }

static const SettingDef *find(const char *name) {
    for (size_t i = 0; i < ARRAY_LEN(DEFS); i++)
        if (strcasecmp(DEFS[i].name, name) == 0) return &DEFS[i]; /* as PostgreSQL's guc.c */
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

/* An enum value by name; booleans spell "on" and "off" where the enum has them. */
static bool set_enum(Settings *st, const SettingDef *d, const char *value, Error *err) {
    static const char *const TRUE_NAMES[] = {"true", "yes", "1"}, *const FALSE_NAMES[] = {"false", "no", "0"};
    const char *v = value;
    for (size_t i = 0; i < ARRAY_LEN(TRUE_NAMES); i++) {
        if (strcasecmp(value, TRUE_NAMES[i]) == 0) v = "on";
        if (strcasecmp(value, FALSE_NAMES[i]) == 0) v = "off";
    }
    for (int i = 0; d->names[i]; i++) {
        if (strcasecmp(v, d->names[i]) == 0) {
            *field_of(st, d) = i;
            return true;
        }
    }
    StrBuf avail;
    strbuf_init(&avail);
    for (int i = 0; d->names[i]; i++) strbuf_appendf(&avail, "%s%s", i ? ", " : "", d->names[i]);
    invalid_value(d->name, value, NULL, err);
    error_hint(err, "Available values: %s.", avail.data);
    strbuf_deinit(&avail);
    return false;
}

/* A size in megabytes: a number with an optional unit (kB, MB, GB, TB). */
static bool set_mb(Settings *st, const SettingDef *d, const char *value, Error *err) {
    char *end;
    double v = strtod(value, &end);
    while (isspace((unsigned char)*end)) end++;
    double scale = 1;
    if (strcmp(end, "kB") == 0)
        scale = 1.0 / 1024;
    else if (strcmp(end, "GB") == 0)
        scale = 1024;
    else if (strcmp(end, "TB") == 0)
        scale = 1024 * 1024;
    else if (*end && strcmp(end, "MB") != 0)
        end = NULL;
    if (!end || end == value || isnan(v))
        return invalid_value(d->name, value, "Valid units for this parameter are \"MB\", \"GB\", and \"TB\".", err);
    double mb = rint(v * scale);
    if (mb < d->min || mb > INT32_MAX)
        return error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE,
                         "%.0f MB is outside the valid range for parameter \"%s\" (%d .. %d)", mb, d->name, d->min,
                         INT32_MAX);
    *field_of(st, d) = (int32_t)mb;
    return true;
}

static bool set_value(Settings *st, const SettingDef *d, const char *value, Error *err) {
    switch (d->kind) {
    case SETTING_MS: return set_ms(st, d, value, err);
    case SETTING_ISOLATION: return set_isolation(st, d, value, err);
    case SETTING_ENUM: return set_enum(st, d, value, err);
    case SETTING_MB: return set_mb(st, d, value, err);
    }
    return false;
}

bool settings_set(Settings *st, const Settings *boot, const char *name, const char *const *values, int n, Error *err) {
    const SettingDef *d = find(name);
    if (!d) return unrecognized(name, err);
    if (d->server)
        return error_set(err, SQLSTATE_CANT_CHANGE_RUNTIME_PARAM, "parameter \"%s\" cannot be changed now", name);
    if (n == 0) {
        *field_of(st, d) = *field_of((Settings *)boot, d);
        return true;
    }
    if (n > 1) return error_set(err, SQLSTATE_SYNTAX_ERROR, "SET %s takes only one argument", name);
    return set_value(st, d, values[0], err);
}

bool settings_configure(Settings *st, const char *name, const char *value, Error *err) {
    const SettingDef *d = find(name);
    if (!d) return unrecognized(name, err);
    return set_value(st, d, value, err);
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
    switch (d->kind) {
    case SETTING_MS: format_ms(v, buf, cap); break;
    case SETTING_ISOLATION: settings_format_isolation(v, buf, cap); break;
    case SETTING_ENUM: snprintf(buf, cap, "%s", d->names[v]); break;
    case SETTING_MB:
        if (v % 1024 == 0)
            snprintf(buf, cap, "%dGB", v / 1024);
        else
            snprintf(buf, cap, "%dMB", v);
        break;
    }
    return true;
}
