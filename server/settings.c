/*
 * settings.c — the run-time settings a session can SET, RESET and SHOW,
 * with PostgreSQL's names, units, ranges, text forms and errors: those
 * strand acts on, and those drivers and ORMs send (which strand honours or,
 * for a value it cannot honour, refuses with 0A000 rather than pretend).
 * An unknown name is 42704 as in PostgreSQL.
 *
 *   lock_timeout, deadlock_timeout, statement_timeout,
 *   idle_in_transaction_session_timeout, idle_session_timeout   (ms)
 *   client_connection_check_interval   accepted: strand notices a closed
 *                                      connection at once
 *   default_transaction_isolation, default_transaction_read_only
 *   synchronous_commit                 off: a commit is acknowledged before its WAL
 *                                      record is durable (all other values wait)
 *   client_min_messages                which notices reach the client
 *   application_name, search_path      kept and shown (one schema for now)
 *   client_encoding (UTF8), DateStyle (ISO, SQL, Postgres, German; any
 *   order), IntervalStyle (all four), standard_conforming_strings (on),
 *   TimeZone (the tz database),
 *   extra_float_digits, bytea_output (read by types/: types_use_settings)
 *   reducer_timeout                    a reducer call fails after this
 * read only (55P02): server_version, server_version_num, server_encoding,
 *   integer_datetimes, max_identifier_length, max_index_keys, block_size,
 *   lc_collate, lc_ctype, in_hot_standby; and role (SET ROLE: session.c
 *   checks it), is_superuser and session_authorization (the session's)
 * and, set only when the server starts (strand start -c name=value; SET is
 * 55P02 as for PostgreSQL's postmaster settings):
 *   wal_sync_method, wal_writer_delay, checkpoint_timeout, max_wal_size,
 *   authentication_timeout,
 *   max_message_size (strand's own: the largest message a client may send, 1GB)
 *
 * Time values are integers of milliseconds or numbers with a unit (us, ms,
 * s, min, h, d), shown in the largest unit that divides them, as
 * PostgreSQL's GUC_UNIT_MS settings are.
 *
 * INTERFACE (server-internal): settings_defaults, settings_set, settings_configure,
 *   settings_show, settings_count, settings_name, settings_description,
 *   settings_reported, settings_canonical_name
 */
#include "server/server_int.h"
#include "wal/wal.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef enum SettingKind {
    SETTING_MS,
    SETTING_ISOLATION,
    SETTING_ENUM, /* names[] by value; booleans are the enum {off, on} */
    SETTING_MB,
    SETTING_INT,   /* min .. max */
    SETTING_TEXT,  /* a string kept in a char array of Settings */
    SETTING_FIXED, /* read only: `fixed` */
} SettingKind;

typedef struct SettingDef {
    const char *name;
    SettingKind kind;
    size_t offset; /* into Settings */
    int32_t min, def;
    const char *description;
    const char *const *names; /* SETTING_ENUM: the value names, by value */
    bool server;              /* set only at start (strand start -c name=value) */
    bool report;              /* GUC_REPORT: a change is sent as ParameterStatus */
    /* SETTING_TEXT: the default, and a check that may refuse the value or
     * rewrite it in canonical form (NULL: any value, kept as written). */
    const char *fixed;
    bool (*check)(const char *name, const char *value, const char *current, char *out, size_t cap, Error *err);
    int32_t max; /* SETTING_INT */
    size_t size; /* SETTING_TEXT: the array's size */
} SettingDef;

/* In PostgreSQL's order, which its hints list them in. */
static const char *const SYNC_COMMIT_NAMES[] = {"local", "remote_write", "remote_apply", "on", "off", NULL};
/* Time stamps are shown in UTC only, until the data types issue brings the
 * tz database (storage/value.c). */
static const char *const SYNC_METHOD_NAMES[] = {"fsync", "fdatasync", "open_sync", "open_datasync",
                                                NULL}; /* WalSyncMethod */
static const char *const BOOL_NAMES[] = {"off", "on", NULL};
static const char *const MESSAGE_LEVELS[] = {"debug5", "debug4", "debug3",  "debug2", "debug1",
                                             "log",    "notice", "warning", "error",  NULL};
static const char *const BYTEA_OUTPUT_NAMES[] = {"escape", "hex", NULL};

static bool not_supported(const char *name, const char *value, const char *why, Error *err) {
    return error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED, "%s \"%s\" is not supported: %s", name, value, why);
}

/* PostgreSQL's encoding names compare without case and punctuation. */
static bool check_encoding(const char *name, const char *value, const char *current, char *out, size_t cap,
                           Error *err) {
    char norm[32];
    size_t n = 0;
    for (const char *p = value; *p && n + 1 < sizeof norm; p++)
        if (isalnum((unsigned char)*p)) norm[n++] = (char)tolower((unsigned char)*p);
    norm[n] = '\0';
    if (strcmp(norm, "utf8") != 0 && strcmp(norm, "unicode") != 0)
        return not_supported(name, value, "strand speaks UTF8 only", err);
    snprintf(out, cap, "UTF8");
    return true;
}

/* DateStyle: an output style and a field order, either or both (the one
 * not given stays), as PostgreSQL's check_datestyle reads them: German
 * brings DMY unless an order is given; two styles or two orders that
 * differ conflict. */
static bool check_datestyle(const char *name, const char *value, const char *current, char *out, size_t cap,
                            Error *err) {
    static const char *const STYLES[] = {"ISO", "SQL", "Postgres", "German"};
    const char *style = strstr(current, "SQL")        ? "SQL"
                        : strstr(current, "Postgres") ? "Postgres"
                        : strstr(current, "German")   ? "German"
                                                      : "ISO";
    const char *order = strstr(current, "DMY") ? "DMY" : strstr(current, "YMD") ? "YMD" : "MDY";
    const char *new_style = NULL, *new_order = NULL;
    char buf[64];
    snprintf(buf, sizeof buf, "%s", value);
    for (char *tok = strtok(buf, ", \t"); tok; tok = strtok(NULL, ", \t")) {
        const char *st = NULL, *ord = NULL;
        for (size_t i = 0; i < ARRAY_LEN(STYLES); i++)
            if (!strcasecmp(tok, STYLES[i])) st = STYLES[i];
        if (!strcasecmp(tok, "mdy") || !strcasecmp(tok, "us") || !strcasecmp(tok, "noneuropean"))
            ord = "MDY";
        else if (!strcasecmp(tok, "dmy") || !strcasecmp(tok, "euro") || !strcasecmp(tok, "european"))
            ord = "DMY";
        else if (!strcasecmp(tok, "ymd"))
            ord = "YMD";
        else if (!strcasecmp(tok, "default"))
            st = "ISO", ord = "MDY";
        if (!st && !ord) {
            error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "invalid value for parameter \"%s\": \"%s\"", name, value);
            error_detail(err, "Unrecognized key word: \"%s\".", tok);
            return false;
        }
        if ((st && new_style && strcmp(st, new_style)) || (ord && new_order && strcmp(ord, new_order))) {
            error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "invalid value for parameter \"%s\": \"%s\"", name, value);
            error_detail(err, "Conflicting \"datestyle\" specifications.");
            return false;
        }
        if (st) new_style = st;
        if (ord) new_order = ord;
    }
    if (new_style) style = new_style;
    if (new_order)
        order = new_order;
    else if (new_style && !strcmp(new_style, "German"))
        order = "DMY";
    snprintf(out, cap, "%s, %s", style, order);
    return true;
}

/* SET TIME ZONE -7 or 5.5: hours east of UTC, as the POSIX zone
 * PostgreSQL names for it ("<-07>+07", "<+05:30>-05:30"); false if value
 * is no number. */
static bool hours_zone(const char *value, char *out, size_t cap) {
    char *end;
    double h = strtod(value, &end);
    if (end == value || *end || !isfinite(h) || fabs(h) >= 24 || strchr(value, 'e') || strchr(value, 'E')) return false;
    long secs = lround(h * 3600), a = labs(secs);
    char off[16];
    int n = snprintf(off, sizeof off, "%02ld", a / 3600);
    if (a % 3600) n += snprintf(off + n, sizeof off - (size_t)n, ":%02ld", a / 60 % 60);
    if (a % 60) snprintf(off + n, sizeof off - (size_t)n, ":%02ld", a % 60);
    snprintf(out, cap, "<%c%s>%c%s", secs < 0 ? '-' : '+', off, secs < 0 ? '+' : '-', off);
    return true;
}

/* TimeZone: a tz database name (any case: shown as the directory spells
 * it), UTC, a POSIX TZ string, or a number of hours. */
static bool check_timezone(const char *name, const char *value, const char *current, char *out, size_t cap,
                           Error *err) {
    char posix[64];
    if (hours_zone(value, posix, sizeof posix)) value = posix;
    const TimeZone *tz = timezone_find(value);
    if (!tz)
        return error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "invalid value for parameter \"%s\": \"%s\"", name,
                         value);
    snprintf(out, cap, "%s", timezone_name(tz));
    return true;
}

/* IntervalStyle's values, in IntervalStyle's (types.h) order. */
static const char *const INTERVAL_STYLES[] = {"postgres", "postgres_verbose", "sql_standard", "iso_8601"};

static bool check_intervalstyle(const char *name, const char *value, const char *current, char *out, size_t cap,
                                Error *err) {
    for (size_t i = 0; i < ARRAY_LEN(INTERVAL_STYLES); i++) {
        if (strcasecmp(value, INTERVAL_STYLES[i]) != 0) continue;
        snprintf(out, cap, "%s", INTERVAL_STYLES[i]);
        return true;
    }
    error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "invalid value for parameter \"%s\": \"%s\"", name, value);
    error_hint(err, "Available values: postgres, postgres_verbose, sql_standard, iso_8601.");
    return false;
}

/* application_name: printable ASCII only (others become '?'), cut at 63
 * bytes, as PostgreSQL's check_application_name does. */
static bool check_application_name(const char *name, const char *value, const char *current, char *out, size_t cap,
                                   Error *err) {
    size_t n = 0;
    for (const char *p = value; *p && n + 1 < cap; p++) out[n++] = (*p >= 32 && *p <= 126) ? *p : '?';
    out[n] = '\0';
    return true;
}

static bool check_on_only(const char *name, const char *value, const char *current, char *out, size_t cap, Error *err) {
    return true;
}

#define OFF(field) offsetof(Settings, field)
#define MS(n, field, min, def, desc)                                                                                   \
    { n, SETTING_MS, OFF(field), min, def, desc, NULL, false, false, NULL, NULL, 0, 0 }
#define ENUM(n, field, def, names, report, desc)                                                                       \
    { n, SETTING_ENUM, OFF(field), 0, def, desc, names, false, report, NULL, NULL, 0, 0 }
#define TEXT(n, field, dflt, check, report, desc)                                                                      \
    { n, SETTING_TEXT, OFF(field), 0, 0, desc, NULL, false, report, dflt, check, 0, sizeof(((Settings *)0)->field) }
#define FIXED(n, value, report, desc)                                                                                  \
    { n, SETTING_FIXED, 0, 0, 0, desc, NULL, false, report, value, NULL, 0, 0 }
#define BOOT(n, kind, field, min, def, names, desc)                                                                    \
    { n, kind, OFF(field), min, def, desc, names, true, false, NULL, NULL, 0, 0 }

/* Sorted by name (case-insensitively), as SHOW ALL lists them. */
static const SettingDef DEFS[] = {
    TEXT("application_name", application_name, "", check_application_name, true,
         "Sets the application name to be reported in statistics and logs."),
    BOOT("authentication_timeout", SETTING_MS, authentication_timeout, 1000, 60000, NULL,
         "Sets the maximum allowed time to complete client authentication."),
    FIXED("block_size", "8192", false, "Shows the size of a disk block."),
    ENUM("bytea_output", types.bytea_output, BYTEA_OUTPUT_HEX, BYTEA_OUTPUT_NAMES, false,
         "Sets the output format for bytea."),
    BOOT("checkpoint_timeout", SETTING_MS, checkpoint_timeout, 30000, 300000, NULL,
         "Sets the maximum time between automatic WAL checkpoints."),
    MS("client_connection_check_interval", client_connection_check_interval, 0, 0,
       "Sets the time interval between checks for disconnection while running queries."),
    TEXT("client_encoding", client_encoding, "UTF8", check_encoding, true, "Sets the client's character set encoding."),
    ENUM("client_min_messages", client_min_messages, MSG_LEVEL_NOTICE, MESSAGE_LEVELS, false,
         "Sets the message levels that are sent to the client."),
    TEXT("DateStyle", datestyle, "ISO, MDY", check_datestyle, true,
         "Sets the display format for date and time values."),
    MS("deadlock_timeout", deadlock_timeout, 1, 1000, "Sets the time to wait on a lock before checking for deadlock."),
    {"default_transaction_isolation", SETTING_ISOLATION, OFF(default_isolation), 0, SETTING_ISO_READ_COMMITTED,
     "Sets the transaction isolation level of each new transaction.", NULL, false, false, NULL, NULL, 0, 0},
    ENUM("default_transaction_read_only", default_read_only, 0, BOOL_NAMES, true,
         "Sets the default read-only status of new transactions."),
    {"extra_float_digits", SETTING_INT, OFF(types.extra_float_digits), -15, 1,
     "Sets the number of digits displayed for floating-point values.", NULL, false, false, NULL, NULL, 3, 0},
    MS("idle_in_transaction_session_timeout", idle_in_transaction_session_timeout, 0, 0,
       "Sets the maximum allowed idle time between queries, when in a transaction."),
    MS("idle_session_timeout", idle_session_timeout, 0, 0,
       "Sets the maximum allowed idle time between queries, when not in a transaction."),
    FIXED("in_hot_standby", "off", true, "Shows whether hot standby is currently active."),
    FIXED("integer_datetimes", "on", true, "Shows whether datetimes are integer based."),
    TEXT("IntervalStyle", intervalstyle, "postgres", check_intervalstyle, true,
         "Sets the display format for interval values."),
    FIXED("lc_collate", "C", false, "Shows the collation order locale."),
    FIXED("lc_ctype", "C", false, "Shows the character classification and case conversion locale."),
    MS("lock_timeout", lock_timeout, 0, 0, "Sets the maximum allowed duration of any wait for a lock."),
    FIXED("max_identifier_length", "63", false, "Shows the maximum identifier length."),
    FIXED("max_index_keys", "32", false, "Shows the maximum number of index keys."),
    BOOT("max_message_size", SETTING_MB, max_message_size, 1, 1024, NULL,
         "Sets the largest Query, Parse, Bind or CopyData message a client may send (strand)."),
    BOOT("max_wal_size", SETTING_MB, max_wal_size, 2, 1024, NULL, "Sets the WAL size that triggers a checkpoint."),
    MS("reducer_timeout", reducer_timeout, 0, 5000, "Sets the maximum allowed duration of a reducer call (0: none)."),
    TEXT("role", role, "none", NULL, false, "Sets the current role."),
    TEXT("search_path", search_path, "\"$user\", public", NULL, false,
         "Sets the schema search order for names that are not schema-qualified."),
    FIXED("server_encoding", "UTF8", true, "Shows the server (database) character set encoding."),
    FIXED("server_version", "15.0 (strand 0.1)", true, "Shows the server version."),
    FIXED("server_version_num", "150000", false, "Shows the server version as an integer."),
    {"standard_conforming_strings", SETTING_ENUM, OFF(standard_conforming_strings), 0, 1,
     "Causes '...' strings to treat backslashes literally.", BOOL_NAMES, false, true, NULL, check_on_only, 0, 0},
    MS("statement_timeout", statement_timeout, 0, 0, "Sets the maximum allowed duration of any statement."),
    ENUM("synchronous_commit", synchronous_commit, SYNC_COMMIT_ON, SYNC_COMMIT_NAMES, false,
         "Sets the current transaction's synchronization level."),
    TEXT("TimeZone", timezone, "UTC", check_timezone, true,
         "Sets the time zone for displaying and interpreting time stamps."),
    BOOT("wal_sync_method", SETTING_ENUM, wal_sync_method, 0, WAL_SYNC_FDATASYNC, SYNC_METHOD_NAMES,
         "Selects the method used for forcing WAL updates to disk."),
    BOOT("wal_writer_delay", SETTING_MS, wal_writer_delay, 1, 200, NULL,
         "Time between WAL flushes performed in the WAL writer."),
};

static const char *const ISOLATION_NAMES[] = {"read uncommitted", "read committed", "repeatable read", "serializable"};

static int32_t *field_of(Settings *st, const SettingDef *d) { return (int32_t *)((char *)st + d->offset); }

static const SettingDef *find(const char *name) {
    for (size_t i = 0; i < ARRAY_LEN(DEFS); i++)
        if (strcasecmp(DEFS[i].name, name) == 0) return &DEFS[i]; /* as PostgreSQL's guc.c */
    return NULL;
}

static char *text_of(Settings *st, const SettingDef *d) { return (char *)st + d->offset; }

/* What types/ reads of the text settings: the zone and the date order. */
static void sync_types(Settings *st) {
    st->types.timezone = timezone_find(st->timezone);
    st->types.date_order = strstr(st->datestyle, "DMY")   ? DATE_ORDER_DMY
                           : strstr(st->datestyle, "YMD") ? DATE_ORDER_YMD
                                                          : DATE_ORDER_MDY;
    st->types.date_style = strstr(st->datestyle, "SQL")        ? DATE_STYLE_SQL
                           : strstr(st->datestyle, "Postgres") ? DATE_STYLE_POSTGRES
                           : strstr(st->datestyle, "German")   ? DATE_STYLE_GERMAN
                                                               : DATE_STYLE_ISO;
    st->types.interval_style = INTERVAL_STYLE_POSTGRES;
    for (size_t i = 0; i < ARRAY_LEN(INTERVAL_STYLES); i++)
        if (!strcmp(st->intervalstyle, INTERVAL_STYLES[i])) st->types.interval_style = (int32_t)i;
}

void settings_defaults(Settings *st) {
    memset(st, 0, sizeof *st);
    for (size_t i = 0; i < ARRAY_LEN(DEFS); i++) {
        const SettingDef *d = &DEFS[i];
        if (d->kind == SETTING_TEXT)
            snprintf(text_of(st, d), d->size, "%s", d->fixed);
        else if (d->kind != SETTING_FIXED)
            *field_of(st, d) = d->def;
    }
    sync_types(st);
}

int settings_count(void) { return (int)ARRAY_LEN(DEFS); }
const char *settings_name(int i) { return DEFS[i].name; }
const char *settings_description(int i) { return DEFS[i].description; }
bool settings_reported(int i) { return DEFS[i].report; }

const char *settings_canonical_name(const char *name) {
    const SettingDef *d = find(name);
    return d ? d->name : NULL;
}

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
    char *end;
    if (!parse_ms(value, &ms)) {
        bool number = (strtod(value, &end), end != value); /* then only its unit is wrong */
        return invalid_value(d->name, value,
                             number ? "Valid units for this parameter are \"us\", \"ms\", \"s\", \"min\", \"h\", "
                                      "and \"d\"."
                                    : NULL,
                             err);
    }
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

/* PostgreSQL's parse_int: an integer (or a number rounded to one) in range. */
static bool set_int(Settings *st, const SettingDef *d, const char *value, Error *err) {
    char *end;
    double v = strtod(value, &end);
    while (isspace((unsigned char)*end)) end++;
    if (end == value || *end || isnan(v))
        return error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "invalid value for parameter \"%s\": \"%s\"", d->name,
                         value);
    v = rint(v);
    if (v < d->min || v > d->max)
        return error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE,
                         "%.0f is outside the valid range for parameter \"%s\" (%d .. %d)", v, d->name, d->min, d->max);
    *field_of(st, d) = (int32_t)v;
    return true;
}

static bool set_text(Settings *st, const SettingDef *d, const char *value, Error *err) {
    char canon[256];
    if (d->check && !d->check(d->name, value, text_of(st, d), canon, sizeof canon, err)) return false;
    snprintf(text_of(st, d), d->size, "%s", d->check ? canon : value);
    return true;
}

static bool set_value(Settings *st, const SettingDef *d, const char *value, Error *err) {
    switch (d->kind) {
    case SETTING_MS: return set_ms(st, d, value, err);
    case SETTING_ISOLATION: return set_isolation(st, d, value, err);
    case SETTING_ENUM: {
        if (!set_enum(st, d, value, err)) return false;
        if (d->check == check_on_only && *field_of(st, d) != 1) {
            *field_of(st, d) = 1;
            return not_supported(d->name, value, "strand's strings always treat backslashes literally", err);
        }
        return true;
    }
    case SETTING_MB: return set_mb(st, d, value, err);
    case SETTING_INT: return set_int(st, d, value, err);
    case SETTING_TEXT:
        if (!set_text(st, d, value, err)) return false;
        sync_types(st);
        return true;
    case SETTING_FIXED:
        return error_set(err, SQLSTATE_CANT_CHANGE_RUNTIME_PARAM, "parameter \"%s\" cannot be changed", d->name);
    }
    return false;
}

/* Several values (SET search_path = a, b) make one list, as PostgreSQL's
 * GUC_LIST_INPUT settings take it. */
static const char *join_values(const char *const *values, int n, char *buf, size_t cap) {
    size_t len = 0;
    buf[0] = '\0';
    for (int i = 0; i < n && len < cap; i++)
        len += (size_t)snprintf(buf + len, cap - len, "%s%s", i ? ", " : "", values[i]);
    return buf;
}

bool settings_set(Settings *st, const Settings *boot, const char *name, const char *const *values, int n, Error *err) {
    const SettingDef *d = find(name);
    if (!d) return unrecognized(name, err);
    if (d->server)
        return error_set(err, SQLSTATE_CANT_CHANGE_RUNTIME_PARAM, "parameter \"%s\" cannot be changed now", name);
    if (d->kind == SETTING_FIXED)
        return error_set(err, SQLSTATE_CANT_CHANGE_RUNTIME_PARAM, "parameter \"%s\" cannot be changed", d->name);
    if (n == 0) {
        if (d->kind == SETTING_TEXT) {
            memcpy(text_of(st, d), text_of((Settings *)boot, d), d->size);
            sync_types(st); /* RESET TimeZone / DateStyle: what types/ reads follows */
        } else {
            *field_of(st, d) = *field_of((Settings *)boot, d);
        }
        return true;
    }
    if (n > 1 && strcmp(d->name, "search_path") == 0) {
        char list[256];
        return set_value(st, d, join_values(values, n, list, sizeof list), err);
    }
    if (n > 1) return error_set(err, SQLSTATE_SYNTAX_ERROR, "SET %s takes only one argument", d->name);
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
    if (d->kind == SETTING_FIXED || d->kind == SETTING_TEXT) {
        snprintf(buf, cap, "%s", d->kind == SETTING_FIXED ? d->fixed : text_of((Settings *)st, d));
        return true;
    }
    int32_t v = *field_of((Settings *)st, d);
    switch (d->kind) {
    case SETTING_MS: format_ms(v, buf, cap); break;
    case SETTING_ISOLATION: settings_format_isolation(v, buf, cap); break;
    case SETTING_ENUM: snprintf(buf, cap, "%s", d->names[v]); break;
    case SETTING_INT: snprintf(buf, cap, "%d", v); break;
    case SETTING_FIXED:
    case SETTING_TEXT: break;
    case SETTING_MB:
        if (v % 1024 == 0)
            snprintf(buf, cap, "%dGB", v / 1024);
        else
            snprintf(buf, cap, "%dMB", v);
        break;
    }
    return true;
}
