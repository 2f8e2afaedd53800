/*
 * roles.c — roles: the table that keeps them, and CREATE / ALTER / DROP
 * ROLE with PostgreSQL's rules and messages.
 *
 * Roles are rows of the system table strand_authid, created at the first
 * start with the superuser postgres, so creating a role is an ordinary
 * transactional write: logged, kept across restarts, invisible to others
 * until it commits.
 *
 *   strand_authid (
 *     rolname      text PRIMARY KEY,
 *     rolsuper     bool,
 *     rolcreatedb  bool,
 *     rolcanlogin  bool,
 *     rolconnlimit int4,   -- -1: no limit
 *     rolpassword  text)   -- a SCRAM-SHA-256 verifier, or NULL
 *
 * A password is kept only as its SCRAM-SHA-256 verifier (pgwire/scram.c);
 * a verifier given as the password (pg_dump's output) is kept as it is.
 *
 * INTERFACE (server-internal): roles_bootstrap, roles_find, roles_create,
 *   roles_alter, roles_drop
 */
#include "server/server_int.h"

#include <stdio.h>
#include <string.h>

#define AUTHID "strand_authid"
enum { COL_NAME, COL_SUPER, COL_CREATEDB, COL_LOGIN, COL_CONNLIMIT, COL_PASSWORD, NCOLS };

bool roles_bootstrap(Storage *s, Txn *t, Error *err) {
    if (storage_table_lookup(s, t, AUTHID)) return true;
    ColumnDesc cols[NCOLS] = {
        {"rolname", TYPE_TEXT, -1, true},      {"rolsuper", TYPE_BOOL, -1, true},
        {"rolcreatedb", TYPE_BOOL, -1, true},  {"rolcanlogin", TYPE_BOOL, -1, true},
        {"rolconnlimit", TYPE_INT4, -1, true}, {"rolpassword", TYPE_TEXT, -1, false},
    };
    int pkey[] = {COL_NAME};
    TableDesc d = {AUTHID, NCOLS, cols, 1, pkey, AUTHID "_pkey"};
    Table *tb;
    if (!storage_table_create(s, t, &d, &tb, err)) return false;
    Value v[NCOLS] = {value_string(TYPE_TEXT, "postgres", 8),
                      value_bool(true),
                      value_bool(true),
                      value_bool(true),
                      value_int(TYPE_INT4, -1),
                      value_null(TYPE_TEXT)};
    return storage_row_insert(tb, t, v, err) == STORAGE_OK;
}

static Table *authid(Storage *s, Txn *t) { return storage_table_lookup(s, t, AUTHID); }

/* The row of that role visible to t, if any (t has a statement open). */
static const Row *find_row(Table *tb, Txn *t, const char *name, RowId *rid) {
    Value key = value_string(TYPE_TEXT, name, (uint32_t)strlen(name));
    IndexBound b = {&key, 1, true};
    IndexScan scan;
    Error err = {0};
    storage_index_scan_begin(storage_table_index(tb, t, 0), t, &b, &b, false, &scan);
    return storage_index_scan_next(&scan, rid, &err);
}

static void role_of(const Table *tb, const Row *row, RoleInfo *out) {
    Value v[NCOLS];
    storage_row_decode(tb, row, v);
    snprintf(out->name, sizeof out->name, "%.*s", (int)v[COL_NAME].len, v[COL_NAME].u.s);
    out->superuser = v[COL_SUPER].u.b;
    out->createdb = v[COL_CREATEDB].u.b;
    out->login = v[COL_LOGIN].u.b;
    out->conn_limit = (int32_t)v[COL_CONNLIMIT].u.i;
    out->has_password = !v[COL_PASSWORD].isnull;
    snprintf(out->verifier, sizeof out->verifier, "%.*s", out->has_password ? (int)v[COL_PASSWORD].len : 0,
             out->has_password ? v[COL_PASSWORD].u.s : "");
}

bool roles_find(Storage *s, Txn *t, const char *name, RoleInfo *out) {
    Table *tb = authid(s, t);
    RowId rid;
    if (!tb && !strcmp(name, "postgres")) { /* before the catalog exists (no data folder): the bootstrap superuser */
        *out = (RoleInfo){.name = "postgres", .superuser = true, .createdb = true, .login = true, .conn_limit = -1};
        return true;
    }
    const Row *row = tb ? find_row(tb, t, name, &rid) : NULL;
    if (row) role_of(tb, row, out);
    return row != NULL;
}

/* ---- writing ------------------------------------------------------------------------ */

static bool reserved(const char *name, int pos, Error *err) {
    if (strncmp(name, "pg_", 3) == 0) {
        error_set(err, SQLSTATE_RESERVED_NAME, "role name \"%s\" is reserved", name);
        error_detail(err, "Role names starting with \"pg_\" are reserved.");
        return true;
    }
    if (!strcmp(name, "public") || !strcmp(name, "none")) {
        error_set(err, SQLSTATE_RESERVED_NAME, "role name \"%s\" is reserved", name);
        err->position = pos >= 0 ? pos + 1 : 0; /* the grammar's own check, with its position */
        return true;
    }
    return false;
}

/* The password as it is kept: its verifier, or NULL (PASSWORD NULL, or an
 * empty one, which PostgreSQL clears with a NOTICE). */
static bool password_value(const RoleStmt *st, RowSink *notices, Value *out, char *buf, size_t cap, Error *err) {
    const char *pw = st->password;
    *out = value_null(TYPE_TEXT);
    if (!pw) return true;
    if (!pw[0]) {
        Error n;
        error_set(&n, SQLSTATE_SUCCESSFUL_COMPLETION, "empty string is not a valid password, clearing password");
        n.severity = SEV_NOTICE;
        if (notices && notices->notice) notices->notice(notices->notice_ctx, &n);
        return true;
    }
    if (strncmp(pw, "md5", 3) == 0 && strlen(pw) == 35)
        return error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                         "MD5-hashed passwords are not supported: strand keeps SCRAM-SHA-256 verifiers only");
    if (pgwire_is_scram_verifier(pw))
        snprintf(buf, cap, "%s", pw);
    else if (!pgwire_scram_verifier(pw, buf, cap))
        return error_set(err, SQLSTATE_INTERNAL_ERROR, "could not make a SCRAM verifier");
    *out = value_string(TYPE_TEXT, buf, (uint32_t)strlen(buf));
    return true;
}

static bool check_limit(const RoleStmt *st, Error *err) {
    if (!st->has_limit || st->conn_limit >= -1) return true;
    return error_set(err, SQLSTATE_INVALID_PARAMETER_VALUE, "invalid connection limit: %lld",
                     (long long)st->conn_limit);
}

/* The options written into v (a row to insert or update). */
static bool apply_options(const RoleStmt *st, RowSink *notices, Value *v, char *pwbuf, size_t cap, Error *err) {
    if (!check_limit(st, err)) return false;
    if (st->superuser >= 0) v[COL_SUPER] = value_bool(st->superuser);
    if (st->createdb >= 0) v[COL_CREATEDB] = value_bool(st->createdb);
    if (st->login >= 0) v[COL_LOGIN] = value_bool(st->login);
    if (st->has_limit) v[COL_CONNLIMIT] = value_int(TYPE_INT4, st->conn_limit);
    return !st->has_password || password_value(st, notices, &v[COL_PASSWORD], pwbuf, cap, err);
}

static StorageStatus locked(Table *tb, Txn *t) { return storage_table_lock(tb, t, TLOCK_ROW_EXCLUSIVE); }

StorageStatus roles_create(Storage *s, Txn *t, const RoleStmt *st, const RoleInfo *who, RowSink *notices, Error *err) {
    Table *tb = authid(s, t);
    RowId rid;
    if (!who->superuser)
        return error_set(err, SQLSTATE_INSUFFICIENT_PRIVILEGE, "permission denied to create role"), STORAGE_ERROR;
    if (reserved(st->name, st->name_pos, err)) return STORAGE_ERROR;
    if (find_row(tb, t, st->name, &rid))
        return error_set(err, SQLSTATE_DUPLICATE_OBJECT, "role \"%s\" already exists", st->name), STORAGE_ERROR;
    char pw[256];
    Value v[NCOLS] = {value_string(TYPE_TEXT, st->name, (uint32_t)strlen(st->name)),
                      value_bool(false),
                      value_bool(false),
                      value_bool(st->user),
                      value_int(TYPE_INT4, -1),
                      value_null(TYPE_TEXT)};
    if (!apply_options(st, notices, v, pw, sizeof pw, err)) return STORAGE_ERROR;
    StorageStatus status = locked(tb, t);
    if (status == STORAGE_OK) status = storage_row_insert(tb, t, v, err);
    if (status == STORAGE_OK) storage_txn_catalog_changed(t);
    return status;
}

static StorageStatus missing(const char *name, Error *err) {
    error_set(err, SQLSTATE_UNDEFINED_OBJECT, "role \"%s\" does not exist", name);
    return STORAGE_ERROR;
}

static StorageStatus rename_role(Table *tb, Txn *t, RowId rid, const Row *row, const RoleStmt *st,
                                 const char *session_user, const char *current_user, Value *v, Error *err) {
    RowId other;
    if (!strcmp(st->name, session_user))
        return error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED, "session user cannot be renamed"), STORAGE_ERROR;
    if (!strcmp(st->name, current_user))
        return error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED, "current user cannot be renamed"), STORAGE_ERROR;
    if (reserved(st->new_name, -1, err)) return STORAGE_ERROR;
    if (find_row(tb, t, st->new_name, &other))
        return error_set(err, SQLSTATE_DUPLICATE_OBJECT, "role \"%s\" already exists", st->new_name), STORAGE_ERROR;
    v[COL_NAME] = value_string(TYPE_TEXT, st->new_name, (uint32_t)strlen(st->new_name));
    /* A new key: the row goes and comes back under its new name. */
    StorageStatus status = storage_row_delete(tb, t, rid, row, err);
    return status == STORAGE_OK ? storage_row_insert(tb, t, v, err) : status;
}

StorageStatus roles_alter(Storage *s, Txn *t, const RoleStmt *st, const RoleInfo *who, const char *session_user,
                          RowSink *notices, Error *err) {
    Table *tb = authid(s, t);
    RowId rid;
    const Row *row = find_row(tb, t, st->name, &rid);
    if (!row) return missing(st->name, err);
    /* Without SUPERUSER only one's own password may change. */
    bool own_password = !strcmp(st->name, who->name) && st->has_password && st->superuser < 0 && st->createdb < 0 &&
                        st->login < 0 && !st->has_limit && !st->new_name;
    if (!who->superuser && st->superuser >= 0)
        return error_set(err, SQLSTATE_INSUFFICIENT_PRIVILEGE,
                         "must be superuser to alter superuser roles or change superuser attribute"),
               STORAGE_ERROR;
    if (!who->superuser && !own_password)
        return error_set(err, SQLSTATE_INSUFFICIENT_PRIVILEGE, "permission denied to alter role"), STORAGE_ERROR;
    Value v[NCOLS];
    storage_row_decode(tb, row, v);
    char pw[256];
    if (!apply_options(st, notices, v, pw, sizeof pw, err)) return STORAGE_ERROR;
    StorageStatus status = locked(tb, t);
    if (status != STORAGE_OK) return status;
    status = st->new_name ? rename_role(tb, t, rid, row, st, session_user, who->name, v, err)
                          : storage_row_update(tb, t, rid, row, v, err);
    if (status == STORAGE_OK) storage_txn_catalog_changed(t);
    return status;
}

StorageStatus roles_drop(Storage *s, Txn *t, const RoleStmt *st, const RoleInfo *who, const char *session_user,
                         RowSink *notices, Error *err) {
    Table *tb = authid(s, t);
    if (!who->superuser)
        return error_set(err, SQLSTATE_INSUFFICIENT_PRIVILEGE, "permission denied to drop role"), STORAGE_ERROR;
    StorageStatus status = locked(tb, t);
    for (int i = 0; i < st->nnames && status == STORAGE_OK; i++) {
        const char *name = st->names[i];
        RowId rid;
        const Row *row = find_row(tb, t, name, &rid);
        if (!row && st->if_exists) {
            Error n;
            error_set(&n, SQLSTATE_UNDEFINED_OBJECT, "role \"%s\" does not exist, skipping", name);
            n.severity = SEV_NOTICE;
            if (notices && notices->notice) notices->notice(notices->notice_ctx, &n);
            continue;
        }
        if (!row) return missing(name, err);
        if (!strcmp(name, who->name))
            return error_set(err, SQLSTATE_OBJECT_IN_USE, "current user cannot be dropped"), STORAGE_ERROR;
        if (!strcmp(name, session_user))
            return error_set(err, SQLSTATE_OBJECT_IN_USE, "session user cannot be dropped"), STORAGE_ERROR;
        if (!strcmp(name, "postgres"))
            return error_set(err, SQLSTATE_DEPENDENT_OBJECTS_STILL_EXIST,
                             "cannot drop role postgres because it is required by the database system"),
                   STORAGE_ERROR;
        status = storage_row_delete(tb, t, rid, row, err);
    }
    if (status == STORAGE_OK) storage_txn_catalog_changed(t);
    return status;
}
