/*
 * storage.h — values and types, tables of row versions in memory, MVCC,
 * transactions, the primary-key index and the catalog of tables.
 *
 * storage knows no SQL text and no sockets. Everything here runs on the
 * engine thread, so nothing in it takes locks (DESIGN.md, Threads).
 *
 * INTERFACE
 *   types:        type_info, type_by_oid, type_by_name
 *   values:       value_from_text, value_to_text, value_from_binary,
 *                 value_to_binary, value_has_binary, value_compare, value_equal, value_hash,
 *                 value_apply_typmod, value_copy
 *   the store:    storage_create, storage_destroy, storage_catalog_version
 *   transactions: storage_txn_begin, storage_txn_statement_begin,
 *                 storage_txn_commit, storage_txn_abort, storage_txn_xid
 *   catalog:      storage_table_create, storage_table_drop,
 *                 storage_table_lookup, storage_table_desc, storage_table_oid
 *   rows:         storage_scan_begin, storage_scan_next, storage_pk_lookup,
 *                 storage_row_insert, storage_row_update, storage_row_delete,
 *                 storage_row_values
 *
 * Transactions (MVCC). Every write creates or ends a row version; a version
 * carries the xid and command id that created it (xmin, cmin) and that ended
 * it (xmax, cmax). A transaction's snapshot is the commit sequence number
 * (CSN) of the newest commit it may see. Invariants:
 *   S1. A version is visible to T iff its creator is T with cmin < T's
 *       current command id, or committed with CSN <= T's snapshot; and its
 *       ender is none of those.
 *   S2. At most one version of a chain (the versions of one row) is visible
 *       to any snapshot, so a scan returns each row at most once.
 *   S3. Only the newest non-aborted version of a chain may be ended, and only
 *       by one transaction at a time: a second writer sees STORAGE_BUSY (it
 *       will park until the holder ends; for now the engine reports 40001).
 *   S4. A statement never sees its own writes (cmin == current command id is
 *       invisible), which avoids the Halloween problem in UPDATE.
 * Aborted versions stay in their chains and are skipped; reclaiming dead
 * versions (vacuum) comes with a later issue.
 */
#ifndef STRAND_STORAGE_H
#define STRAND_STORAGE_H

#include "common/common.h"

/* ---- types ----------------------------------------------------------------
 * Type ids are PostgreSQL's type OIDs, so clients recognise them. */
typedef enum TypeId {
    TYPE_INVALID = 0,
    TYPE_BOOL = 16,
    TYPE_INT8 = 20,
    TYPE_INT2 = 21,
    TYPE_INT4 = 23,
    TYPE_TEXT = 25,
    TYPE_FLOAT4 = 700,
    TYPE_FLOAT8 = 701,
    TYPE_UNKNOWN = 705, /* an untyped string literal */
    TYPE_BPCHAR = 1042,
    TYPE_VARCHAR = 1043,
    TYPE_NUMERIC = 1700, /* literals only, for now: kept as text */
} TypeId;

typedef enum TypeCategory { TYPCAT_BOOL, TYPCAT_NUMERIC, TYPCAT_STRING, TYPCAT_UNKNOWN } TypeCategory;

typedef struct TypeInfo {
    TypeId id;
    const char *name;     /* pg_type.typname: int4 */
    const char *sql_name; /* format_type's name, used in messages: integer */
    int16_t typlen;       /* -1 = variable */
    TypeCategory category;
    int numeric_rank; /* int2 < int4 < int8 < numeric < float4 < float8 */
} TypeInfo;

const TypeInfo *type_info(TypeId t); /* NULL if unknown */
const TypeInfo *type_by_name(const char *typname);

/* ---- values ----------------------------------------------------------------
 * A Value is one SQL datum. Strings point at bytes owned elsewhere: a row
 * version (storage memory) or an arena (a statement's temporaries). */
typedef struct Value {
    uint32_t type; /* TypeId */
    bool isnull;
    uint32_t len; /* string length in bytes */
    union {
        int64_t i; /* int2, int4, int8 */
        double f;  /* float8 */
        bool b;
        const char *s; /* text, varchar, bpchar, unknown, numeric (text form) */
    } u;
} Value;

static inline Value value_null(TypeId t) {
    Value v = {.type = t, .isnull = true};
    return v;
}
static inline Value value_int(TypeId t, int64_t i) {
    Value v = {.type = t};
    v.u.i = i;
    return v;
}
static inline Value value_float8(double f) {
    Value v = {.type = TYPE_FLOAT8};
    v.u.f = f;
    return v;
}
static inline Value value_bool(bool b) {
    Value v = {.type = TYPE_BOOL};
    v.u.b = b;
    return v;
}
static inline Value value_string(TypeId t, const char *s, uint32_t len) {
    Value v = {.type = t, .len = len};
    v.u.s = s;
    return v;
}

/* Parses the text form. Errors: 22P02 invalid input syntax for type X: "s",
 * 22003 value "s" is out of range for type X. Strings are copied to arena. */
bool value_from_text(TypeId t, const char *s, size_t len, Arena *arena, Value *out, Error *err);
/* Binary form (the COPY/Bind binary format) for the fixed-size types and text. */
bool value_from_binary(TypeId t, const char *p, size_t len, Arena *arena, Value *out, Error *err);
/* Text form, PostgreSQL's output functions. Returns a pointer to the text
 * (into buf, or the value's own bytes for strings) and sets *len. buf must
 * hold VALUE_TEXT_BUF bytes. */
#define VALUE_TEXT_BUF 64
const char *value_to_text(const Value *v, char *buf, int *len);
/* Whether the type has a binary form here (numeric's comes later). */
bool value_has_binary(TypeId t);
/* Binary form into buf (VALUE_TEXT_BUF bytes) or the value's own bytes;
 * only for types with value_has_binary. */
const char *value_to_binary(const Value *v, char *buf, int *len);
/* Total order for two non-NULL values of one type (text: bytewise, the C
 * collation). */
int value_compare(const Value *a, const Value *b);
bool value_equal(const Value *a, const Value *b);
uint64_t value_hash(const Value *v);
/* Enforces a typmod: varchar(n)/bpchar(n) length. `is_explicit` casts
 * truncate (as PostgreSQL's do); assignments fail with 22001. */
bool value_apply_typmod(Value *v, int32_t typmod, bool is_explicit, Error *err);

/* ---- the catalog ------------------------------------------------------------ */
typedef struct ColumnDesc {
    char *name;
    TypeId type;
    int32_t typmod; /* -1: none; varchar(n): n + 4, as in PostgreSQL */
    bool not_null;
} ColumnDesc;

typedef struct TableDesc {
    char *name;
    int ncols;
    ColumnDesc *cols;
    int npkey;       /* 0: no primary key */
    int *pkey;       /* column indexes, in key order */
    char *pkey_name; /* constraint name: <table>_pkey */
} TableDesc;

typedef struct Storage Storage;
typedef struct Txn Txn;
typedef struct Table Table;
typedef struct RowVersion RowVersion;

typedef enum StorageIsolation { ISO_READ_COMMITTED, ISO_REPEATABLE_READ } StorageIsolation;

/* Result of a write that may meet another transaction's lock. */
typedef enum StorageStatus {
    STORAGE_OK = 0,
    STORAGE_ERROR, /* err is set */
    STORAGE_BUSY,  /* the row is locked by another open transaction (S3) */
} StorageStatus;

Storage *storage_create(void);
void storage_destroy(Storage *s);
/* Changes whenever the tables some transaction may see change (CREATE or
 * DROP TABLE, and the commit or abort of a transaction that did either):
 * a plan bound under one version stays valid while it holds. */
uint64_t storage_catalog_version(const Storage *s);

/* ---- transactions ---------------------------------------------------------- */
Txn *storage_txn_begin(Storage *s, StorageIsolation iso);
/* Before each statement: a new command id, and in READ COMMITTED a new
 * snapshot. */
void storage_txn_statement_begin(Txn *t);
/* Ends and frees the transaction. Commit cannot fail yet (no deferred
 * constraints); it returns the commit's CSN (for a read-only transaction, the
 * CSN it saw last). */
uint64_t storage_txn_commit(Txn *t);
void storage_txn_abort(Txn *t);
uint64_t storage_txn_xid(const Txn *t); /* 0 before the first write */
StorageIsolation storage_txn_isolation(const Txn *t);

/* ---- tables ------------------------------------------------------------------ */
/* Creates a table visible to t at once and to others when t commits. desc is
 * copied. Errors: 42P07 relation "x" already exists. */
bool storage_table_create(Storage *s, Txn *t, const TableDesc *desc, Error *err);
/* The table of that name visible to t, or NULL. */
Table *storage_table_lookup(Storage *s, Txn *t, const char *name);
StorageStatus storage_table_drop(Storage *s, Txn *t, Table *table, Error *err);
const TableDesc *storage_table_desc(const Table *table);
uint32_t storage_table_oid(const Table *table);

/* ---- rows -------------------------------------------------------------------- */
typedef struct TableScan {
    Table *table;
    Txn *txn;
    size_t next; /* next chain to visit */
    size_t end;  /* chains created after the scan began are not visited */
} TableScan;

void storage_scan_begin(Table *table, Txn *t, TableScan *scan);
/* The next row visible to the scan's transaction, or NULL at the end. */
RowVersion *storage_scan_next(TableScan *scan);
/* Point lookup on the primary key; key[] holds the key columns in key order. */
RowVersion *storage_pk_lookup(Table *table, Txn *t, const Value *key);
const Value *storage_row_values(const RowVersion *row);

/* Insert: values (one per column) are copied into storage memory.
 * Errors: 23502 not-null violation, 23505 duplicate key (with DETAIL). */
StorageStatus storage_row_insert(Table *table, Txn *t, const Value *values, Error *err);
/* Replace `row` (visible to t) with values. Same errors as insert, plus
 * 40001 when the row was changed by a transaction t cannot see. */
StorageStatus storage_row_update(Table *table, Txn *t, RowVersion *row, const Value *values, Error *err);
StorageStatus storage_row_delete(Table *table, Txn *t, RowVersion *row, Error *err);

#endif
