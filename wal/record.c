/*
 * record.c — the byte format of WAL records, and replaying one.
 *
 * The log is a stream of records at increasing LSNs (byte positions);
 * segment files hold it in 16 MiB pieces (log.c), and a record may span
 * two. Integers are in the machine's byte order (little-endian on every
 * machine strand supports); nothing is aligned.
 *
 * RECORD
 *   offset  size  field
 *   0       4     CRC-32C of bytes 4 .. len
 *   4       4     len: the whole record, this header included (40 .. 1 GiB)
 *   8       8     lsn: where the record starts. A record read at another
 *                 position (stale bytes of an earlier life of the file)
 *                 fails this check and ends the log there.
 *   16      1     type: 1 = commit
 *   17      3     zero
 *   20      4     the number of changes
 *   24      8     xid
 *   32      8     commit time: microseconds since 2000-01-01 00:00 UTC
 *                 (PostgreSQL's epoch)
 *   40      ...   the changes, in the order the transaction made them
 *
 * CHANGE (one byte of kind, then)
 *   1 insert             u32 table OID, u32 row id, IMAGE of the new row
 *   2 update             u32 table OID, u32 row id, IMAGE of the new row,
 *                        IMAGE of the old one
 *   3 delete             u32 table OID, u32 row id, IMAGE of the old row
 *   4 create table       u32 OID, TABLE DESC
 *   5 drop table         u32 OID
 *   6 create index       u32 table OID, u32 OID, INDEX DESC
 *   7 drop index         u32 OID
 *
 * TABLE DESC: STR name, u16 columns, per column (STR name, u32 type OID,
 *   i32 typmod, u8 not null), u16 primary-key columns, u16 each, and if
 *   there are any, STR constraint name.
 * INDEX DESC: STR name, u16 columns, per column (u16 table column, u8
 *   flags: 1 descending, 2 nulls first), u8 flags: 1 unique, 2 primary
 *   key, 4 made by a constraint.
 * STR: u16 length, the bytes.
 * IMAGE: u8 flags, u32 length, the bytes (storage_row_image: the row's
 *   packed columns). Replay needs only new images; the old ones are for
 *   logical decoding (an update's or delete's old key, whatever the
 *   table's REPLICA IDENTITY).
 *
 * Rows are named by (table OID, row id): row ids are kept across a restart
 * (storage/restore.c), and a row id is reused only after the delete that
 * freed it was committed, so the log's order is each row's order.
 *
 * INTERFACE (wal-internal): wal__encode_commit, wal__check_record,
 *   wal__record_len, wal__replay_commit, wal__get_*, wal__put_*
 */
#include "wal/wal_int.h"

#include <time.h>

enum { CH_INSERT = 1, CH_UPDATE, CH_DELETE, CH_TABLE_CREATE, CH_TABLE_DROP, CH_INDEX_CREATE, CH_INDEX_DROP };

/* ---- putting -------------------------------------------------------------------- */

void wal__put_u8(StrBuf *b, uint8_t v) { strbuf_append(b, &v, 1); }
void wal__put_u16(StrBuf *b, uint16_t v) { strbuf_append(b, &v, 2); }
void wal__put_u32(StrBuf *b, uint32_t v) { strbuf_append(b, &v, 4); }
void wal__put_u64(StrBuf *b, uint64_t v) { strbuf_append(b, &v, 8); }

static void put_str(StrBuf *b, const char *s) {
    size_t n = strlen(s);
    if (n > UINT16_MAX) n = UINT16_MAX; /* names are at most 63 bytes */
    wal__put_u16(b, (uint16_t)n);
    strbuf_append(b, s, n);
}

void wal__put_table_desc(StrBuf *b, const TableDesc *d) {
    put_str(b, d->name);
    wal__put_u16(b, (uint16_t)d->ncols);
    for (int i = 0; i < d->ncols; i++) {
        put_str(b, d->cols[i].name);
        wal__put_u32(b, (uint32_t)d->cols[i].type);
        wal__put_u32(b, (uint32_t)d->cols[i].typmod);
        wal__put_u8(b, d->cols[i].not_null);
    }
    wal__put_u16(b, (uint16_t)d->npkey);
    for (int i = 0; i < d->npkey; i++) wal__put_u16(b, (uint16_t)d->pkey[i]);
    if (d->npkey) put_str(b, d->pkey_name);
}

void wal__put_index_desc(StrBuf *b, const IndexDesc *d) {
    put_str(b, d->name);
    wal__put_u16(b, (uint16_t)d->ncols);
    for (int i = 0; i < d->ncols; i++) {
        wal__put_u16(b, (uint16_t)d->cols[i]);
        wal__put_u8(b, (uint8_t)((d->desc[i] ? 1 : 0) | (d->nulls_first[i] ? 2 : 0)));
    }
    wal__put_u8(b, (uint8_t)((d->unique ? 1 : 0) | (d->primary ? 2 : 0) | (d->constraint ? 4 : 0)));
}

static void put_image(StrBuf *b, const Table *t, const Row *row) {
    size_t len;
    uint8_t flags;
    const uint8_t *image = storage_row_image(t, row, &len, &flags);
    wal__put_u8(b, flags);
    wal__put_u32(b, (uint32_t)len);
    strbuf_append(b, image, len);
}

static void put_row(StrBuf *b, uint8_t kind, const StorageChange *c) {
    wal__put_u8(b, kind);
    wal__put_u32(b, storage_table_oid(c->table));
    wal__put_u32(b, c->rid);
    if (kind != CH_DELETE) put_image(b, c->table, c->new_row);
    if (kind != CH_INSERT) put_image(b, c->table, c->old_row);
}

/* Returns whether the change is logged (locks are not). */
static bool put_change(StrBuf *b, const StorageChange *c) {
    switch (c->kind) {
    case CHANGE_INSERT: put_row(b, CH_INSERT, c); return true;
    case CHANGE_UPDATE: put_row(b, CH_UPDATE, c); return true;
    case CHANGE_DELETE: put_row(b, CH_DELETE, c); return true;
    case CHANGE_TABLE_CREATE:
        wal__put_u8(b, CH_TABLE_CREATE);
        wal__put_u32(b, storage_table_oid(c->table));
        wal__put_table_desc(b, storage_table_desc(c->table));
        return true;
    case CHANGE_TABLE_DROP:
        wal__put_u8(b, CH_TABLE_DROP);
        wal__put_u32(b, storage_table_oid(c->table));
        return true;
    case CHANGE_INDEX_CREATE:
        wal__put_u8(b, CH_INDEX_CREATE);
        wal__put_u32(b, storage_table_oid(c->table));
        wal__put_u32(b, storage_index_oid(c->index));
        wal__put_index_desc(b, storage_index_desc(c->index));
        return true;
    case CHANGE_INDEX_DROP:
        wal__put_u8(b, CH_INDEX_DROP);
        wal__put_u32(b, storage_index_oid(c->index));
        return true;
    case CHANGE_ROW_LOCK:
    case CHANGE_TABLE_LOCK: return false;
    }
    return false;
}

/* Microseconds since 2000-01-01 UTC. */
static int64_t pg_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return ((int64_t)ts.tv_sec - 946684800) * 1000000 + ts.tv_nsec / 1000;
}

void wal__encode_commit(StrBuf *out, uint64_t lsn, const StorageChangeSet *cs, uint64_t xid, int64_t commit_time) {
    size_t start = out->len;
    strbuf_reserve(out, WAL_HEADER_SIZE);
    memset(out->data + start, 0, WAL_HEADER_SIZE);
    out->len += WAL_HEADER_SIZE;
    uint32_t n = 0;
    size_t count = storage_changes_count(cs);
    for (size_t i = 0; i < count; i++) {
        StorageChange c = storage_change_get(cs, i);
        n += put_change(out, &c);
    }
    uint8_t *h = (uint8_t *)out->data + start;
    uint32_t len = (uint32_t)(out->len - start);
    if (!commit_time) commit_time = pg_now();
    memcpy(h + 4, &len, 4);
    memcpy(h + 8, &lsn, 8);
    h[16] = WAL_RECORD_COMMIT;
    memcpy(h + 20, &n, 4);
    memcpy(h + 24, &xid, 8);
    memcpy(h + 32, &commit_time, 8);
    uint32_t crc = wal__crc32c(0, h + 4, len - 4);
    memcpy(h, &crc, 4);
}

/* ---- checking -------------------------------------------------------------------- */

uint32_t wal__record_len(const uint8_t *header) {
    uint32_t len;
    memcpy(&len, header + 4, 4);
    return len;
}

const char *wal__check_record(const uint8_t *rec, size_t len, uint64_t lsn) {
    uint32_t crc, stated = wal__record_len(rec);
    uint64_t at;
    memcpy(&crc, rec, 4);
    memcpy(&at, rec + 8, 8);
    if (stated < WAL_HEADER_SIZE || stated > WAL_RECORD_MAX || stated != len) return "invalid record length";
    if (at != lsn) return "record from another position";
    if (rec[16] != WAL_RECORD_COMMIT) return "invalid record type";
    if (wal__crc32c(0, rec + 4, len - 4) != crc) return "incorrect record checksum";
    return NULL;
}

/* ---- getting --------------------------------------------------------------------- */

const uint8_t *wal__get_bytes(WalCursor *c, size_t n) {
    if (c->bad || (size_t)(c->end - c->p) < n) {
        c->bad = true;
        return NULL;
    }
    const uint8_t *p = c->p;
    c->p += n;
    return p;
}

#define GETTER(name, type)                                                                                             \
    type name(WalCursor *c) {                                                                                          \
        type v = 0;                                                                                                    \
        const uint8_t *p = wal__get_bytes(c, sizeof v);                                                                \
        if (p) memcpy(&v, p, sizeof v);                                                                                \
        return v;                                                                                                      \
    }
GETTER(wal__get_u8, uint8_t)
GETTER(wal__get_u16, uint16_t)
GETTER(wal__get_u32, uint32_t)
GETTER(wal__get_u64, uint64_t)

static char *get_str(WalCursor *c, Arena *arena) {
    uint16_t n = wal__get_u16(c);
    const uint8_t *p = wal__get_bytes(c, n);
    return p ? arena_strndup(arena, (const char *)p, n) : NULL;
}

bool wal__get_table_desc(WalCursor *c, Arena *arena, TableDesc *d) {
    memset(d, 0, sizeof *d);
    d->name = get_str(c, arena);
    d->ncols = wal__get_u16(c);
    d->cols = arena_zalloc(arena, ((size_t)d->ncols + 1) * sizeof *d->cols);
    for (int i = 0; i < d->ncols && !c->bad; i++) {
        d->cols[i].name = get_str(c, arena);
        d->cols[i].type = (TypeId)wal__get_u32(c);
        d->cols[i].typmod = (int32_t)wal__get_u32(c);
        d->cols[i].not_null = wal__get_u8(c) != 0;
        if (!c->bad && !type_info(d->cols[i].type)) c->bad = true;
    }
    d->npkey = wal__get_u16(c);
    d->pkey = arena_zalloc(arena, ((size_t)d->npkey + 1) * sizeof *d->pkey);
    for (int i = 0; i < d->npkey && !c->bad; i++) {
        d->pkey[i] = wal__get_u16(c);
        if (d->pkey[i] >= d->ncols) c->bad = true;
    }
    d->pkey_name = d->npkey ? get_str(c, arena) : NULL;
    return !c->bad && d->ncols > 0;
}

bool wal__get_index_desc(WalCursor *c, Arena *arena, IndexDesc *d) {
    memset(d, 0, sizeof *d);
    d->name = get_str(c, arena);
    d->ncols = wal__get_u16(c);
    d->cols = arena_zalloc(arena, ((size_t)d->ncols + 1) * sizeof *d->cols);
    d->desc = arena_zalloc(arena, (size_t)d->ncols + 1);
    d->nulls_first = arena_zalloc(arena, (size_t)d->ncols + 1);
    for (int i = 0; i < d->ncols && !c->bad; i++) {
        d->cols[i] = wal__get_u16(c);
        uint8_t f = wal__get_u8(c);
        d->desc[i] = f & 1;
        d->nulls_first[i] = f & 2;
    }
    uint8_t f = wal__get_u8(c);
    d->unique = f & 1;
    d->primary = f & 2;
    d->constraint = f & 4;
    return !c->bad;
}

/* ---- replaying --------------------------------------------------------------------- */

static bool corrupt(Error *err, const char *what) {
    return error_set(err, SQLSTATE_DATA_CORRUPTED, "malformed %s in a write-ahead log record", what);
}

static const uint8_t *get_image(WalCursor *c, uint8_t *flags, uint32_t *len) {
    *flags = wal__get_u8(c);
    *len = wal__get_u32(c);
    return wal__get_bytes(c, *len);
}

static bool replay_row(Storage *s, WalCursor *c, bool has_old, uint64_t *rows, Error *err) {
    uint32_t oid = wal__get_u32(c), rid = wal__get_u32(c), len, old_len;
    uint8_t flags, old_flags;
    const uint8_t *image = get_image(c, &flags, &len);
    if (has_old) get_image(c, &old_flags, &old_len);
    if (c->bad) return corrupt(err, "row change");
    Table *t = storage_table_by_oid(s, oid);
    if (!t) return true; /* dropped later: the snapshot no longer has it */
    (*rows)++;
    return storage_restore_row(t, rid, flags, image, len, err);
}

static bool replay_change(Storage *s, WalCursor *c, Arena *arena, uint64_t *rows, Error *err) {
    uint8_t kind = wal__get_u8(c);
    switch (kind) {
    case CH_INSERT: return replay_row(s, c, false, rows, err);
    case CH_UPDATE: return replay_row(s, c, true, rows, err);
    case CH_DELETE: {
        uint32_t oid = wal__get_u32(c), rid = wal__get_u32(c), len;
        uint8_t flags;
        get_image(c, &flags, &len);
        Table *t = c->bad ? NULL : storage_table_by_oid(s, oid);
        if (!t) return !c->bad || corrupt(err, "delete"); /* dropped later */
        storage_restore_row_delete(t, rid);
        (*rows)++;
        return !c->bad || corrupt(err, "delete");
    }
    case CH_TABLE_CREATE: {
        uint32_t oid = wal__get_u32(c);
        TableDesc d;
        if (!wal__get_table_desc(c, arena, &d)) return corrupt(err, "table description");
        storage_restore_table(s, oid, &d);
        return true;
    }
    case CH_INDEX_CREATE: {
        uint32_t table = wal__get_u32(c), oid = wal__get_u32(c);
        IndexDesc d;
        if (!wal__get_index_desc(c, arena, &d)) return corrupt(err, "index description");
        /* The table is gone when a later record dropped it: so is the index. */
        if (!storage_table_by_oid(s, table)) return true;
        return storage_restore_index(s, table, oid, &d, err);
    }
    case CH_TABLE_DROP:
    case CH_INDEX_DROP: {
        uint32_t oid = wal__get_u32(c);
        if (!c->bad) storage_restore_drop(s, oid);
        return !c->bad || corrupt(err, "drop");
    }
    default: return corrupt(err, "change kind");
    }
}

bool wal__replay_commit(Storage *s, const uint8_t *rec, size_t len, Arena *arena, uint64_t *rows, Error *err) {
    uint32_t n;
    uint64_t xid;
    memcpy(&n, rec + 20, 4);
    memcpy(&xid, rec + 24, 8);
    WalCursor c = {rec + WAL_HEADER_SIZE, rec + len, false};
    bool ok = true;
    for (uint32_t i = 0; i < n && ok; i++) ok = replay_change(s, &c, arena, rows, err);
    arena_reset(arena);
    if (ok && c.p != c.end) ok = corrupt(err, "record end");
    storage_restore_counters(s, xid + 1, 0);
    return ok;
}
