/*
 * ddl.c — binding and running the statements that change the catalog:
 * CREATE TABLE (with its PRIMARY KEY and UNIQUE constraints), DROP TABLE,
 * CREATE INDEX, DROP INDEX, and VACUUM, with PostgreSQL's names for the
 * indexes it chooses and its errors.
 *
 * Names are chosen as PostgreSQL's ChooseRelationName does: <table>_pkey,
 * <table>_<columns>_key for UNIQUE, <table>_<columns>_idx for CREATE INDEX,
 * each part shortened until the name fits in 63 bytes, and a number added
 * to the label while the name is taken.
 *
 * INTERFACE (planner-internal): planner__bind_ddl, planner__execute_ddl
 */
#include "planner/planner_int.h"

#include <stdio.h>
#include <string.h>

#define fail_at planner__fail_at
#define NAME_MAX_BYTES 63

/* ---- choosing names ----------------------------------------------------------------- */

/* Bytes of s that fit in n without splitting a UTF-8 character. */
static int clip(const char *s, int n) {
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
    return n;
}

/* PostgreSQL's makeObjectName: name1_name2_label, the longer of name1 and
 * name2 shortened first until it fits. */
static char *object_name(Arena *a, const char *name1, const char *name2, const char *label) {
    int n1 = (int)strlen(name1), n2 = name2 ? (int)strlen(name2) : 0;
    int avail = NAME_MAX_BYTES - (int)strlen(label) - 1 - (name2 ? 1 : 0);
    while (n1 + n2 > avail) {
        if (n1 > n2)
            n1--;
        else
            n2--;
    }
    n1 = clip(name1, n1);
    if (name2) n2 = clip(name2, n2);
    if (name2) return arena_sprintf(a, "%.*s_%.*s_%s", n1, name1, n2, name2, label);
    return arena_sprintf(a, "%.*s_%s", n1, name1, label);
}

typedef struct NamesTaken {
    const char **names; /* chosen earlier in this statement */
    int n;
} NamesTaken;

static bool taken(Binder *b, const NamesTaken *nt, const char *name) {
    for (int i = 0; nt && i < nt->n; i++)
        if (strcmp(nt->names[i], name) == 0) return true;
    return storage_relation_exists(b->storage, b->txn, name);
}

static const char *choose_name(Binder *b, NamesTaken *nt, const char *name1, const char *name2, const char *label) {
    char *name = object_name(b->arena, name1, name2, label);
    for (int i = 1; taken(b, nt, name); i++)
        name = object_name(b->arena, name1, name2, arena_sprintf(b->arena, "%s%d", label, i));
    if (nt) nt->names[nt->n++] = name;
    return name;
}

/* The column part of an index name: the column names joined by '_'. */
static const char *column_names(Binder *b, const TableDesc *d, const int *cols, int n) {
    StrBuf s;
    strbuf_init(&s);
    for (int i = 0; i < n && s.len < NAME_MAX_BYTES; i++) {
        if (i) strbuf_append_char(&s, '_');
        strbuf_append_str(&s, d->cols[cols[i]].name);
    }
    const char *r = arena_strndup(b->arena, s.data, s.len);
    strbuf_deinit(&s);
    return r;
}

/* ---- CREATE TABLE ------------------------------------------------------------------------ */

/* A key column must have an ordering (PostgreSQL: a default btree operator class). */
static bool check_key_type(Binder *b, const ColumnDesc *col, int at) {
    if (type_is_orderable(col->type)) return true;
    fail_at(b, at, SQLSTATE_UNDEFINED_OBJECT, "data type %s has no default operator class for access method \"btree\"",
            type_info(col->type)->sql_name);
    error_hint(b->err, "You must specify an operator class for the index or define a default operator class for the "
                       "data type.");
    return false;
}

/* Columns of a key constraint: PostgreSQL's errors for a missing or repeated one. */
static int *key_columns(Binder *b, const TableDesc *d, const char **names, int n, int at, const char *what) {
    int *cols = arena_alloc(b->arena, (size_t)(n + 1) * sizeof *cols);
    for (int i = 0; i < n; i++) {
        int c = planner__find_column(d, names[i]);
        if (c < 0)
            return fail_at(b, at, SQLSTATE_UNDEFINED_COLUMN, "column \"%s\" named in key does not exist", names[i]);
        for (int j = 0; j < i; j++)
            if (cols[j] == c)
                return fail_at(b, at, SQLSTATE_DUPLICATE_COLUMN, "column \"%s\" appears twice in %s constraint",
                               names[i], what);
        cols[i] = c;
    }
    return cols;
}

/* The key columns (a second PRIMARY KEY is refused while lowering). */
static bool bind_primary_key(Binder *b, const CreateTableStmt *s, TableDesc *d, NamesTaken *nt) {
    d->pkey = arena_alloc(b->arena, (size_t)(s->npkey + 2) * sizeof *d->pkey);
    for (int i = 0; i < s->ncolumns; i++)
        if (s->columns[i].primary_key) d->pkey[d->npkey++] = i;
    if (s->npkey) {
        int *cols = key_columns(b, d, s->pkey, s->npkey, s->pkey_constraint_pos, "primary key");
        if (!cols) return false;
        memcpy(d->pkey, cols, (size_t)s->npkey * sizeof *cols);
        d->npkey = s->npkey;
    }
    for (int i = 0; i < d->npkey; i++) {
        if (!check_key_type(b, &d->cols[d->pkey[i]], -1)) return false;
        d->cols[d->pkey[i]].not_null = true;
    }
    if (d->npkey)
        d->pkey_name = s->pkey_name ? (char *)s->pkey_name : (char *)choose_name(b, nt, d->name, NULL, "pkey");
    return true;
}

static bool same_columns(const int *a, int na, const int *b, int nb) {
    return na == nb && memcmp(a, b, (size_t)na * sizeof *a) == 0;
}

static IndexDesc *new_index(Binder *b, int ncols) {
    IndexDesc *d = arena_zalloc(b->arena, sizeof *d);
    d->ncols = ncols;
    d->cols = arena_zalloc(b->arena, (size_t)(ncols + 1) * sizeof *d->cols);
    d->desc = arena_zalloc(b->arena, (size_t)(ncols + 1) * sizeof *d->desc);
    d->nulls_first = arena_zalloc(b->arena, (size_t)(ncols + 1) * sizeof *d->nulls_first);
    return d;
}

/* UNIQUE constraints, in order; one on the primary key's columns or on an
 * earlier one's makes no second index (PostgreSQL drops duplicates too). */
static bool bind_uniques(Binder *b, const CreateTableStmt *s, Plan *p, NamesTaken *nt) {
    const TableDesc *d = &p->create;
    p->indexes = arena_zalloc(b->arena, (size_t)(s->nuniques + 1) * sizeof *p->indexes);
    for (int i = 0; i < s->nuniques; i++) {
        const UniqueConstraint *u = &s->uniques[i];
        int *cols = key_columns(b, d, u->columns, u->ncolumns, u->pos, "unique");
        if (!cols) return false;
        for (int j = 0; j < u->ncolumns; j++)
            if (!check_key_type(b, &d->cols[cols[j]], -1)) return false;
        bool dup = same_columns(cols, u->ncolumns, d->pkey, d->npkey);
        for (int j = 0; j < p->nindexes && !dup; j++)
            dup = same_columns(cols, u->ncolumns, p->indexes[j].cols, p->indexes[j].ncols);
        if (dup) continue;
        IndexDesc *ix = new_index(b, u->ncolumns);
        memcpy(ix->cols, cols, (size_t)u->ncolumns * sizeof *cols);
        ix->unique = ix->constraint = true;
        ix->name = u->name ? (char *)u->name
                           : (char *)choose_name(b, nt, d->name, column_names(b, d, cols, u->ncolumns), "key");
        p->indexes[p->nindexes++] = *ix;
    }
    return true;
}

/* CREATE TABLE schema.name: public is where tables are. */
static bool creatable_schema(Binder *b, const RangeVar *t) {
    switch (planner__schema_kind(t->schema)) {
    case SCHEMA_NONE:
    case SCHEMA_PUBLIC: return true;
    case SCHEMA_PG_CATALOG:
        fail_at(b, -1, SQLSTATE_INSUFFICIENT_PRIVILEGE, "permission denied to create \"%s.%s\"", t->schema, t->name);
        error_detail(b->err, "System catalog modifications are currently disallowed.");
        return false;
    case SCHEMA_EMPTY:
        fail_at(b, t->pos, SQLSTATE_FEATURE_NOT_SUPPORTED, "tables in schema \"%s\" are not supported", t->schema);
        return false;
    case SCHEMA_MISSING: break;
    }
    fail_at(b, t->pos, SQLSTATE_INVALID_SCHEMA_NAME, "schema \"%s\" does not exist", t->schema);
    return false;
}

/* What the schema issue builds next: parsed (and deparsed), not yet kept. */
static void *not_yet(Binder *b, int byte_pos, const char *what) {
    return fail_at(b, byte_pos, SQLSTATE_FEATURE_NOT_SUPPORTED, "%s are not supported yet", what);
}

static const char *constraint_kind_name(SqlConstraintKind k) {
    static const char *const names[] = {"PRIMARY KEY constraints", "UNIQUE constraints", "CHECK constraints",
                                        "FOREIGN KEY constraints"};
    return names[k];
}

static Plan *bind_create_table(Binder *b, const CreateTableStmt *s) {
    if (!creatable_schema(b, &s->table)) return NULL;
    for (int i = 0; i < s->ncolumns; i++)
        if (s->columns[i].dflt) return not_yet(b, s->columns[i].dflt->pos, "column defaults");
    if (s->nconstraints) return not_yet(b, s->constraints[0].pos, constraint_kind_name(s->constraints[0].kind));
    Plan *p = arena_zalloc(b->arena, sizeof *p);
    p->kind = PLAN_CREATE_TABLE;
    p->if_not_exists = s->if_not_exists;
    TableDesc *d = &p->create;
    d->name = arena_strdup(b->arena, s->table.name);
    d->ncols = s->ncolumns;
    d->cols = arena_zalloc(b->arena, (size_t)(s->ncolumns + 1) * sizeof *d->cols);
    for (int i = 0; i < s->ncolumns; i++) {
        const ColumnDef *c = &s->columns[i];
        d->ncols = i; /* only the columns defined so far, for the duplicate check */
        if (planner__find_column(d, c->name) >= 0)
            return fail_at(b, -1, SQLSTATE_DUPLICATE_COLUMN, "column \"%s\" specified more than once", c->name);
        d->ncols = s->ncolumns;
        d->cols[i].name = (char *)c->name;
        d->cols[i].not_null = c->not_null;
        if (!planner__resolve_type(b, &c->type, &d->cols[i].type, &d->cols[i].typmod)) return NULL;
    }
    NamesTaken nt = {arena_alloc(b->arena, (size_t)(s->nuniques + 2) * sizeof *nt.names), 1};
    nt.names[0] = d->name;
    if (!bind_primary_key(b, s, d, &nt) || !bind_uniques(b, s, p, &nt)) return NULL;
    return p;
}

/* ---- DROP TABLE / DROP INDEX ------------------------------------------------------------ */

static void *wrong_kind(Binder *b, const char *name, const char *is_not, const char *hint) {
    fail_at(b, -1, SQLSTATE_WRONG_OBJECT_TYPE, "\"%s\" is not %s", name, is_not);
    error_hint(b->err, "%s", hint);
    return NULL;
}

static Plan *bind_drop_table(Binder *b, const DropTableStmt *s) {
    Plan *p = arena_zalloc(b->arena, sizeof *p);
    p->kind = PLAN_DROP_TABLE;
    p->drop_tables = arena_zalloc(b->arena, (size_t)s->ntables * sizeof *p->drop_tables);
    p->drop_missing = arena_zalloc(b->arena, (size_t)s->ntables * sizeof *p->drop_missing);
    for (int i = 0; i < s->ntables; i++) {
        const char *name = s->tables[i].name, *schema = s->tables[i].schema;
        SchemaKind k = planner__schema_kind(schema);
        bool ours = k == SCHEMA_NONE || k == SCHEMA_PUBLIC;
        Table *t = ours ? storage_table_lookup(b->storage, b->txn, name) : NULL;
        if (t) {
            p->drop_tables[p->ndrop++] = t;
        } else if (ours && storage_index_lookup(b->storage, b->txn, name)) {
            return wrong_kind(b, name, "a table", "Use DROP INDEX to remove an index.");
        } else if (k == SCHEMA_MISSING && !s->if_exists) {
            return fail_at(b, -1, SQLSTATE_INVALID_SCHEMA_NAME, "schema \"%s\" does not exist", schema);
        } else if (s->if_exists) { /* the notice, as PostgreSQL words it */
            p->drop_missing[p->ndrop_missing++] =
                k == SCHEMA_MISSING ? arena_sprintf(b->arena, "schema \"%s\" does not exist, skipping", schema)
                                    : arena_sprintf(b->arena, "table \"%s\" does not exist, skipping", name);
        } else {
            return fail_at(b, -1, SQLSTATE_UNDEFINED_TABLE, "table \"%s\" does not exist", name);
        }
    }
    return p;
}

/* An index made by a constraint goes only with the constraint. */
static void *constraint_needs(Binder *b, const Index *ix) {
    const IndexDesc *d = storage_index_desc(ix);
    const char *table = storage_table_desc(storage_index_table(ix))->name;
    fail_at(b, -1, SQLSTATE_DEPENDENT_OBJECTS_STILL_EXIST,
            "cannot drop index %s because constraint %s on table %s requires it", d->name, d->name, table);
    error_hint(b->err, "You can drop constraint %s on table %s instead.", d->name, table);
    return NULL;
}

static Plan *bind_drop_index(Binder *b, const DropIndexStmt *s) {
    Plan *p = arena_zalloc(b->arena, sizeof *p);
    p->kind = PLAN_DROP_INDEX;
    p->drop_indexes = arena_zalloc(b->arena, (size_t)s->nindexes * sizeof *p->drop_indexes);
    p->drop_missing = arena_zalloc(b->arena, (size_t)s->nindexes * sizeof *p->drop_missing);
    for (int i = 0; i < s->nindexes; i++) {
        const char *name = s->indexes[i].name;
        Index *ix = storage_index_lookup(b->storage, b->txn, name);
        if (ix && storage_index_desc(ix)->constraint) return constraint_needs(b, ix);
        if (ix) {
            p->drop_indexes[p->ndrop++] = ix;
        } else if (storage_table_lookup(b->storage, b->txn, name)) {
            return wrong_kind(b, name, "an index", "Use DROP TABLE to remove a table.");
        } else if (s->if_exists) {
            p->drop_missing[p->ndrop_missing++] = name;
        } else {
            return fail_at(b, -1, SQLSTATE_UNDEFINED_OBJECT, "index \"%s\" does not exist", name);
        }
    }
    return p;
}

/* ---- CREATE INDEX ------------------------------------------------------------------------ */

/* btree and hash (served by the same ordered structure, which answers
 * equality too); PostgreSQL's other methods are not here yet. */
static bool check_method(Binder *b, const CreateIndexStmt *s) {
    static const char *const LATER[] = {"gist", "gin", "spgist", "brin"};
    if (!s->method || strcmp(s->method, "btree") == 0) return true;
    for (size_t i = 0; i < ARRAY_LEN(LATER); i++)
        if (strcmp(s->method, LATER[i]) == 0)
            return fail_at(b, -1, SQLSTATE_FEATURE_NOT_SUPPORTED, "access method \"%s\" is not supported yet",
                           s->method);
    if (strcmp(s->method, "hash") != 0)
        return fail_at(b, -1, SQLSTATE_UNDEFINED_OBJECT, "access method \"%s\" does not exist", s->method);
    if (s->unique)
        return fail_at(b, -1, SQLSTATE_FEATURE_NOT_SUPPORTED, "access method \"hash\" does not support unique indexes");
    if (s->nelems > 1)
        return fail_at(b, -1, SQLSTATE_FEATURE_NOT_SUPPORTED,
                       "access method \"hash\" does not support multicolumn indexes");
    if (s->elems[0].desc || s->elems[0].nulls)
        return fail_at(b, -1, SQLSTATE_FEATURE_NOT_SUPPORTED,
                       "access method \"hash\" does not support ASC/DESC options");
    return true;
}

static Plan *bind_create_index(Binder *b, const CreateIndexStmt *s) {
    Plan *p = arena_zalloc(b->arena, sizeof *p);
    p->kind = PLAN_CREATE_INDEX;
    p->if_not_exists = s->if_not_exists;
    if (!s->table.schema && storage_index_lookup(b->storage, b->txn, s->table.name))
        return fail_at(b, -1, SQLSTATE_WRONG_OBJECT_TYPE, "\"%s\" is an index", s->table.name);
    Table *t = planner__lookup_table(b, s->table.schema, s->table.name, -1);
    if (!t) return NULL;
    if (!check_method(b, s)) return NULL;
    if (s->nelems > STORAGE_INDEX_MAX_KEYS)
        return fail_at(b, -1, SQLSTATE_TOO_MANY_COLUMNS, "cannot use more than %d columns in an index",
                       STORAGE_INDEX_MAX_KEYS);
    const TableDesc *d = storage_table_desc(t);
    IndexDesc *ix = new_index(b, s->nelems);
    for (int i = 0; i < s->nelems; i++) {
        const IndexElem *e = &s->elems[i];
        int c = planner__find_column(d, e->column);
        if (c < 0) return fail_at(b, -1, SQLSTATE_UNDEFINED_COLUMN, "column \"%s\" does not exist", e->column);
        if (!check_key_type(b, &d->cols[c], -1)) return NULL;
        ix->cols[i] = c;
        ix->desc[i] = e->desc;
        ix->nulls_first[i] = e->nulls ? e->nulls == 1 : e->desc;
    }
    ix->unique = s->unique;
    ix->name = s->name ? (char *)s->name
                       : (char *)choose_name(b, NULL, d->name, column_names(b, d, ix->cols, ix->ncols), "idx");
    p->index_table = t;
    p->indexes = ix;
    p->nindexes = 1;
    return p;
}

/* ---- VACUUM -------------------------------------------------------------------------------- */

static Plan *bind_vacuum(Binder *b, const VacuumStmt *s) {
    Plan *p = arena_zalloc(b->arena, sizeof *p);
    p->kind = PLAN_VACUUM;
    p->vacuum_all = s->ntables == 0;
    p->drop_tables = arena_zalloc(b->arena, (size_t)(s->ntables + 1) * sizeof *p->drop_tables);
    for (int i = 0; i < s->ntables; i++) {
        Table *t = storage_table_lookup(b->storage, b->txn, s->tables[i].name);
        if (!t) return fail_at(b, -1, SQLSTATE_UNDEFINED_TABLE, "relation \"%s\" does not exist", s->tables[i].name);
        p->drop_tables[p->ndrop++] = t;
    }
    return p;
}

/* ALTER TABLE: the table must exist; its commands are the schema issue's. */
static Plan *bind_alter_table(Binder *b, const AlterTableStmt *s) {
    if (!s->if_exists && !planner__lookup_table(b, s->table.schema, s->table.name, -1)) return NULL;
    return not_yet(b, s->cmds[0].constraint.pos,
                   arena_sprintf(b->arena, "ALTER TABLE ADD %s", constraint_kind_name(s->cmds[0].constraint.kind)));
}

Plan *planner__bind_ddl(Binder *b, const Stmt *stmt) {
    switch (stmt->kind) {
    case STMT_CREATE_TABLE: return bind_create_table(b, &stmt->u.create_table);
    case STMT_DROP_TABLE: return bind_drop_table(b, &stmt->u.drop_table);
    case STMT_ALTER_TABLE: return bind_alter_table(b, &stmt->u.alter_table);
    case STMT_CREATE_INDEX: return bind_create_index(b, &stmt->u.create_index);
    case STMT_DROP_INDEX: return bind_drop_index(b, &stmt->u.drop_index);
    case STMT_VACUUM: return bind_vacuum(b, &stmt->u.vacuum);
    default: return fail_at(b, -1, SQLSTATE_INTERNAL_ERROR, "not a DDL statement");
    }
}

/* ---- execution ------------------------------------------------------------------------------ */

static void notice(RowSink *sink, const char *sqlstate, const char *fmt, const char *name) {
    Error n;
    error_set(&n, sqlstate, fmt, name);
    n.severity = SEV_NOTICE;
    if (sink->notice) sink->notice(sink->notice_ctx, &n);
}

static StorageStatus create_table(const Plan *p, Storage *s, Txn *t, RowSink *sink, Error *err) {
    if (p->if_not_exists && storage_relation_exists(s, t, p->create.name)) {
        notice(sink, SQLSTATE_DUPLICATE_TABLE, "relation \"%s\" already exists, skipping", p->create.name);
        return STORAGE_OK;
    }
    Table *table;
    if (!storage_table_create(s, t, &p->create, &table, err)) return STORAGE_ERROR;
    for (int i = 0; i < p->nindexes; i++) {
        StorageStatus st = storage_index_create(s, t, table, &p->indexes[i], err);
        if (st != STORAGE_OK) return st;
    }
    return STORAGE_OK;
}

static StorageStatus drop_tables(const Plan *p, Storage *s, Txn *t, RowSink *sink, Error *err) {
    for (int i = 0; i < p->ndrop; i++) {
        StorageStatus st = storage_table_drop(s, t, p->drop_tables[i], err);
        if (st != STORAGE_OK) return st;
    }
    for (int i = 0; i < p->ndrop_missing; i++) notice(sink, SQLSTATE_SUCCESSFUL_COMPLETION, "%s", p->drop_missing[i]);
    return STORAGE_OK;
}

static StorageStatus create_index(const Plan *p, Storage *s, Txn *t, RowSink *sink, Error *err) {
    const IndexDesc *d = &p->indexes[0];
    if (p->if_not_exists && storage_relation_exists(s, t, d->name)) {
        notice(sink, SQLSTATE_DUPLICATE_TABLE, "relation \"%s\" already exists, skipping", d->name);
        return STORAGE_OK;
    }
    return storage_index_create(s, t, p->index_table, d, err);
}

static StorageStatus drop_indexes(const Plan *p, Storage *s, Txn *t, RowSink *sink, Error *err) {
    for (int i = 0; i < p->ndrop; i++) {
        StorageStatus st = storage_index_drop(s, t, p->drop_indexes[i], err);
        if (st != STORAGE_OK) return st;
    }
    for (int i = 0; i < p->ndrop_missing; i++)
        notice(sink, SQLSTATE_SUCCESSFUL_COMPLETION, "index \"%s\" does not exist, skipping", p->drop_missing[i]);
    return STORAGE_OK;
}

static StorageStatus vacuum(const Plan *p, Storage *s) {
    if (p->vacuum_all) storage_vacuum(s, NULL);
    for (int i = 0; i < p->ndrop; i++) storage_vacuum(s, p->drop_tables[i]);
    return STORAGE_OK;
}

StorageStatus planner__execute_ddl(const Plan *p, Storage *s, Txn *t, RowSink *sink, ExecResult *res, Error *err) {
    static const char *const TAGS[] = {[PLAN_CREATE_TABLE] = "CREATE TABLE",
                                       [PLAN_DROP_TABLE] = "DROP TABLE",
                                       [PLAN_CREATE_INDEX] = "CREATE INDEX",
                                       [PLAN_DROP_INDEX] = "DROP INDEX",
                                       [PLAN_VACUUM] = "VACUUM"};
    snprintf(res->tag, sizeof res->tag, "%s", TAGS[p->kind]);
    switch (p->kind) {
    case PLAN_CREATE_TABLE: return create_table(p, s, t, sink, err);
    case PLAN_DROP_TABLE: return drop_tables(p, s, t, sink, err);
    case PLAN_CREATE_INDEX: return create_index(p, s, t, sink, err);
    case PLAN_DROP_INDEX: return drop_indexes(p, s, t, sink, err);
    case PLAN_VACUUM: return vacuum(p, s);
    default: error_set(err, SQLSTATE_INTERNAL_ERROR, "unknown plan kind"); return STORAGE_ERROR;
    }
}
