/*
 * snapshot.c — checkpoints: every table as one transaction's snapshot sees
 * it, written compressed to a file by a thread of its own, and loading
 * such a file at start.
 *
 * The engine serialises rows in small steps (wal_checkpoint_step, from its
 * idle phase) into chunks of about 256 KiB; the writer thread compresses
 * them (zstd, with its frame checksum) into snapshots/tmp.snap, flushes it
 * and renames it to its final name, so a file with a final name is always
 * whole. The transaction's snapshot keeps every version it sees alive
 * (the reclaim horizon) until the last row is serialised, which is what
 * lets the engine go on between steps.
 *
 * FILE: snapshots/<redo LSN, 16 hex digits>.snap, a zstd frame of
 *   8   magic "STRSNAP1"
 *   8   redo LSN: replay the WAL from here over this snapshot
 *   8   next xid
 *   4   next OID
 *   then items, each a kind byte and its fields (record.c's encodings):
 *   'T' u32 OID, TABLE DESC                    a table; the rows after it are its
 *   'I' u32 table OID, u32 OID, INDEX DESC     an index of that table
 *   'R' u32 row id, u8 image flags, u32 length, the image
 *   'E' u64 rows, u32 CRC-32C of every byte before this CRC   the end
 * The two newest snapshots are kept, and the WAL from the older one's redo
 * LSN, so a snapshot that fails its checks falls back to the one before.
 *
 * INTERFACE: wal_checkpoint_begin, wal_checkpoint_running,
 *   wal_checkpoint_step, wal_checkpoint_poll, wal_bytes_since_checkpoint
 * INTERFACE (wal-internal): wal__snapshot_load, wal__list_snapshots,
 *   wal__snapshot_path, wal__checkpoint_abandon
 */
#define _GNU_SOURCE
#include "wal/wal_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zstd.h>

#define SNAP_MAGIC "STRSNAP1"
#define CHUNK_BYTES (256u << 10)
#define MAX_QUEUED 8
#define SNAPSHOTS_KEPT 2

typedef struct Chunk {
    struct Chunk *next;
    StrBuf bytes;
    bool last;
} Chunk;

struct WalCheckpoint {
    Wal *w;
    Storage *s;
    Txn *txn;
    uint64_t redo;
    uint64_t retained; /* the retention hook's LSN at the start (0: none) */
    Table **tables;
    size_t ntables, next_table;
    bool in_table; /* scanning tables[next_table - 1] */
    TableScan scan;
    uint64_t rows;
    Chunk *building;
    bool all_queued;
    /* Shared with the writer thread, under mu. */
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    Chunk *head, *tail;
    int queued;
    bool finished, ok, cancel;
    Error err;
    char tmp_path[4096], path[4096];
};

/* ---- names ------------------------------------------------------------------------ */

static bool snapshot_name(const char *name, uint64_t *redo) {
    return strlen(name) == 21 && strcmp(name + 16, ".snap") == 0 && wal__parse_hex(name, name + 16, redo);
}

void wal__snapshot_path(const Wal *w, uint64_t redo, char *buf, size_t cap) {
    snprintf(buf, cap, "%s/%016llX.snap", w->snap_dir, (unsigned long long)redo);
}

size_t wal__list_snapshots(const Wal *w, uint64_t **redos) {
    return wal__list_files(w->snap_dir, snapshot_name, redos);
}

/* ---- the writer thread --------------------------------------------------------------- */

static bool write_all(int fd, const void *p, size_t n, const char *path, Error *err) {
    const char *q = p;
    while (n > 0) {
        ssize_t done = write(fd, q, n);
        if (done < 0 && errno == EINTR) continue;
        if (done <= 0) return wal__io_error(err, done < 0 ? errno : ENOSPC, "write to file", path);
        q += done;
        n -= (size_t)done;
    }
    return true;
}

static Chunk *next_chunk(WalCheckpoint *c) {
    pthread_mutex_lock(&c->mu);
    while (!c->head) pthread_cond_wait(&c->cv, &c->mu);
    Chunk *k = c->head;
    c->head = k->next;
    if (!c->head) c->tail = NULL;
    c->queued--;
    pthread_mutex_unlock(&c->mu);
    if (c->w->cfg.notify) c->w->cfg.notify(c->w->cfg.notify_ctx); /* room in the queue */
    return k;
}

static void free_chunk(Chunk *k) {
    strbuf_deinit(&k->bytes);
    free(k);
}

/* Compresses in into the file (end: finish the frame). */
static bool compress_out(ZSTD_CCtx *z, int fd, const void *in, size_t n, bool end, const char *path, Error *err) {
    static __thread char out[1 << 17];
    ZSTD_inBuffer ib = {in, n, 0};
    for (;;) {
        ZSTD_outBuffer ob = {out, sizeof out, 0};
        size_t left = ZSTD_compressStream2(z, &ob, &ib, end ? ZSTD_e_end : ZSTD_e_continue);
        if (ZSTD_isError(left))
            return error_set(err, SQLSTATE_INTERNAL_ERROR, "could not compress the snapshot: %s",
                             ZSTD_getErrorName(left));
        if (ob.pos && !write_all(fd, out, ob.pos, path, err)) return false;
        if (end ? left == 0 : ib.pos == ib.size) return true;
    }
}

static bool write_snapshot(WalCheckpoint *c, Error *err) {
    int fd = open(c->tmp_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return wal__io_error(err, errno, "create file", c->tmp_path);
    ZSTD_CCtx *z = ZSTD_createCCtx();
    ZSTD_CCtx_setParameter(z, ZSTD_c_compressionLevel, 1);
    ZSTD_CCtx_setParameter(z, ZSTD_c_checksumFlag, 1);
    uint32_t crc = 0;
    bool ok = true, last = false;
    while (!last) {
        Chunk *k = next_chunk(c);
        last = k->last;
        if (ok) {
            crc = wal__crc32c(crc, k->bytes.data, k->bytes.len);
            ok = compress_out(z, fd, k->bytes.data, k->bytes.len, false, c->tmp_path, err);
        }
        free_chunk(k);
    }
    if (ok) ok = compress_out(z, fd, &crc, 4, true, c->tmp_path, err);
    ZSTD_freeCCtx(z);
    pthread_mutex_lock(&c->mu);
    if (c->cancel) ok = error_set(err, SQLSTATE_ADMIN_SHUTDOWN, "the checkpoint was canceled");
    pthread_mutex_unlock(&c->mu);
    if (ok && fsync(fd) != 0) ok = wal__io_error(err, errno, "fsync file", c->tmp_path);
    close(fd);
    if (ok && rename(c->tmp_path, c->path) != 0) ok = wal__io_error(err, errno, "rename file", c->tmp_path);
    if (ok) ok = wal__sync_dir(c->w->snap_dir, err);
    if (!ok) unlink(c->tmp_path);
    return ok;
}

/* After a new snapshot: older ones beyond the kept two, and the segments
 * wholly below the oldest kept snapshot's redo LSN (and below what the
 * retention hook asked to keep when the checkpoint began), go. On the
 * writer thread: an unlink of a 16 MiB file takes milliseconds. */
static void remove_old_files(Wal *w, uint64_t retained) {
    uint64_t *redos;
    size_t n = wal__list_snapshots(w, &redos);
    char path[4096];
    for (size_t i = 0; i + SNAPSHOTS_KEPT < n; i++) {
        wal__snapshot_path(w, redos[i], path, sizeof path);
        unlink(path);
    }
    /* Until there are two, the WAL from the start stands in for the older one. */
    uint64_t keep = n >= SNAPSHOTS_KEPT ? redos[n - SNAPSHOTS_KEPT] : WAL_FIRST_LSN;
    free(redos);
    if (retained && retained < keep) keep = retained;
    uint64_t *segs;
    size_t nsegs = wal__list_segments(w, &segs);
    for (size_t i = 0; i < nsegs; i++) {
        if ((segs[i] + 1) * (uint64_t)WAL_SEG_SIZE > keep) break;
        wal__segment_path(w, segs[i], path, sizeof path);
        unlink(path);
    }
    free(segs);
}

static void *writer_main(void *arg) {
    WalCheckpoint *c = arg;
    Error err = {0};
    bool ok = write_snapshot(c, &err);
    if (ok) remove_old_files(c->w, c->retained);
    pthread_mutex_lock(&c->mu);
    c->ok = ok;
    c->err = err;
    c->finished = true;
    pthread_mutex_unlock(&c->mu);
    if (c->w->cfg.notify) c->w->cfg.notify(c->w->cfg.notify_ctx);
    return NULL;
}

/* ---- the engine's side ------------------------------------------------------------------ */

static void put_u8(WalCheckpoint *c, uint8_t v) { wal__put_u8(&c->building->bytes, v); }

static void queue_building(WalCheckpoint *c, bool last) {
    Chunk *k = c->building;
    k->last = last;
    c->building = NULL;
    pthread_mutex_lock(&c->mu);
    if (c->tail)
        c->tail->next = k;
    else
        c->head = k;
    c->tail = k;
    c->queued++;
    pthread_cond_signal(&c->cv);
    pthread_mutex_unlock(&c->mu);
}

static void start_chunk(WalCheckpoint *c) {
    if (c->building) return;
    c->building = calloc(1, sizeof *c->building);
    if (!c->building) abort();
    strbuf_init(&c->building->bytes);
    strbuf_reserve(&c->building->bytes, CHUNK_BYTES + 4096);
}

static void put_table(WalCheckpoint *c, Table *t) {
    StrBuf *b = &c->building->bytes;
    put_u8(c, 'T');
    wal__put_u32(b, storage_table_oid(t));
    wal__put_table_desc(b, storage_table_desc(t));
    int n = storage_table_nindexes(t, c->txn);
    for (int i = 0; i < n; i++) {
        Index *ix = storage_table_index(t, c->txn, i);
        put_u8(c, 'I');
        wal__put_u32(b, storage_table_oid(t));
        wal__put_u32(b, storage_index_oid(ix));
        wal__put_index_desc(b, storage_index_desc(ix));
    }
}

static void put_row(WalCheckpoint *c, Table *t, RowId rid, const Row *row) {
    StrBuf *b = &c->building->bytes;
    size_t len;
    uint8_t flags;
    const uint8_t *image = storage_row_image(t, row, &len, &flags);
    put_u8(c, 'R');
    wal__put_u32(b, rid);
    wal__put_u8(b, flags);
    wal__put_u32(b, (uint32_t)len);
    strbuf_append(b, image, len);
    c->rows++;
}

bool wal_checkpoint_begin(Wal *w, Storage *s, Txn *txn, uint64_t redo, Error *err) {
    if (w->checkpoint) {
        storage_txn_abort(txn);
        return error_set(err, SQLSTATE_OBJECT_IN_USE, "a checkpoint is already running");
    }
    WalCheckpoint *c = calloc(1, sizeof *c);
    if (!c) abort();
    c->w = w;
    c->s = s;
    c->txn = txn;
    c->redo = redo;
    c->retained = w->cfg_retention ? w->cfg_retention(w->cfg_retention_ctx) : 0;
    size_t n = storage_tables(s, txn, NULL, 0);
    c->tables = malloc((n + 1) * sizeof *c->tables);
    if (!c->tables) abort();
    c->ntables = storage_tables(s, txn, c->tables, n);
    snprintf(c->tmp_path, sizeof c->tmp_path, "%s/tmp.snap", w->snap_dir);
    wal__snapshot_path(w, redo, c->path, sizeof c->path);
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->cv, NULL);
    start_chunk(c);
    StrBuf *b = &c->building->bytes;
    strbuf_append(b, SNAP_MAGIC, 8);
    wal__put_u64(b, redo);
    wal__put_u64(b, storage_next_xid(s));
    wal__put_u32(b, storage_next_oid(s));
    if (pthread_create(&c->thread, NULL, writer_main, c) != 0) {
        storage_txn_abort(txn);
        free_chunk(c->building);
        free(c->tables);
        free(c);
        return error_set(err, SQLSTATE_INTERNAL_ERROR, "could not start the checkpoint writer");
    }
    w->checkpoint = c;
    return true;
}

bool wal_checkpoint_running(const Wal *w) { return w->checkpoint != NULL; }

/* Serialises up to `budget` rows; returns whether the tables are done. */
static bool serialise(WalCheckpoint *c, size_t budget) {
    Error err = {0};
    while (budget > 0) {
        if (!c->in_table) {
            if (c->next_table == c->ntables) return true;
            Table *t = c->tables[c->next_table++];
            put_table(c, t);
            storage_scan_begin(t, c->txn, &c->scan);
            c->in_table = true;
        }
        RowId rid;
        const Row *row = storage_scan_next(&c->scan, &rid, &err);
        if (!row) {
            c->in_table = false;
            continue;
        }
        put_row(c, c->scan.table, rid, row);
        budget--;
        if (c->building->bytes.len >= CHUNK_BYTES) return false;
    }
    return false;
}

bool wal_checkpoint_step(Wal *w, size_t budget) {
    WalCheckpoint *c = w->checkpoint;
    if (!c || c->all_queued) return false;
    pthread_mutex_lock(&c->mu);
    int queued = c->queued;
    pthread_mutex_unlock(&c->mu);
    if (queued >= MAX_QUEUED) return false;
    start_chunk(c);
    bool done = serialise(c, budget);
    if (!done) {
        if (c->building->bytes.len >= CHUNK_BYTES) queue_building(c, false);
        return true;
    }
    put_u8(c, 'E');
    wal__put_u64(&c->building->bytes, c->rows);
    queue_building(c, true);
    c->all_queued = true;
    /* Every row is out: the snapshot no longer holds back reclaiming. */
    storage_txn_abort(c->txn);
    c->txn = NULL;
    return false;
}

uint64_t wal_bytes_since_checkpoint(const Wal *w) {
    return w->insert_lsn > w->checkpoint_redo ? w->insert_lsn - w->checkpoint_redo : 0;
}

static void checkpoint_free(WalCheckpoint *c) {
    pthread_join(c->thread, NULL);
    while (c->head) {
        Chunk *k = c->head;
        c->head = k->next;
        free_chunk(k);
    }
    if (c->building) free_chunk(c->building);
    if (c->txn) storage_txn_abort(c->txn);
    pthread_mutex_destroy(&c->mu);
    pthread_cond_destroy(&c->cv);
    free(c->tables);
    free(c);
}

bool wal_checkpoint_poll(Wal *w, bool *ok, Error *err) {
    WalCheckpoint *c = w->checkpoint;
    if (!c) return false;
    pthread_mutex_lock(&c->mu);
    bool finished = c->finished;
    pthread_mutex_unlock(&c->mu);
    if (!finished) return false;
    *ok = c->ok;
    if (!c->ok && err) *err = c->err;
    if (c->ok) {
        char a[32];
        w->checkpoint_redo = c->redo;
        log_info("checkpoint complete: %llu rows, redo at %s", (unsigned long long)c->rows, wal_format_lsn(c->redo, a));
    } else {
        log_error("checkpoint failed: %s", c->err.message);
    }
    w->checkpoint = NULL;
    checkpoint_free(c);
    return true;
}

/* At close: a checkpoint still running is given up (its file is never
 * renamed, and removed). */
void wal__checkpoint_abandon(Wal *w) {
    WalCheckpoint *c = w->checkpoint;
    if (!c) return;
    pthread_mutex_lock(&c->mu);
    c->cancel = true;
    pthread_mutex_unlock(&c->mu);
    if (!c->all_queued) {
        start_chunk(c);
        queue_building(c, true);
        c->all_queued = true;
    }
    w->checkpoint = NULL;
    char tmp[sizeof c->tmp_path];
    memcpy(tmp, c->tmp_path, sizeof tmp);
    checkpoint_free(c);
    unlink(tmp);
}

/* ---- loading ------------------------------------------------------------------------ */

typedef struct Loader {
    Storage *s;
    Table *table; /* of the rows that follow */
    uint64_t rows;
    uint32_t crc; /* of the bytes parsed */
    bool ended;
    Arena arena;
} Loader;

static bool bad_snapshot(Error *err, const char *what) {
    return error_set(err, SQLSTATE_DATA_CORRUPTED, "snapshot is corrupt: %s", what);
}

/* Parses one item at c; false with *need_more if the item is not whole yet. */
static bool load_item(Loader *l, WalCursor *c, bool *need_more, Error *err) {
    const uint8_t *start = c->p;
    uint8_t kind = wal__get_u8(c);
    *need_more = false;
    switch (kind) {
    case 'T': {
        uint32_t oid = wal__get_u32(c);
        TableDesc d;
        if (!wal__get_table_desc(c, &l->arena, &d)) break;
        l->table = storage_restore_table(l->s, oid, &d);
        return true;
    }
    case 'I': {
        uint32_t table = wal__get_u32(c), oid = wal__get_u32(c);
        IndexDesc d;
        if (!wal__get_index_desc(c, &l->arena, &d)) break;
        return storage_restore_index(l->s, table, oid, &d, err);
    }
    case 'R': {
        uint32_t rid = wal__get_u32(c);
        uint8_t flags = wal__get_u8(c);
        uint32_t len = wal__get_u32(c);
        const uint8_t *image = wal__get_bytes(c, len);
        if (c->bad) break;
        if (!l->table) return bad_snapshot(err, "a row before its table");
        l->rows++;
        return storage_restore_row(l->table, rid, flags, image, len, err);
    }
    case 'E': {
        uint64_t rows = wal__get_u64(c);
        if (c->bad) break;
        uint32_t crc = wal__crc32c(l->crc, start, (size_t)(c->p - start));
        uint32_t stored = wal__get_u32(c);
        if (c->bad) break;
        if (stored != crc) return bad_snapshot(err, "checksum mismatch");
        if (rows != l->rows) return bad_snapshot(err, "row count mismatch");
        l->ended = true;
        return true;
    }
    default:
        if (c->bad) break;
        return bad_snapshot(err, "unknown item");
    }
    *need_more = true; /* ran past the bytes decompressed so far */
    return false;
}

static bool load_header(Loader *l, WalCursor *c, uint64_t *redo, Error *err) {
    const uint8_t *magic = wal__get_bytes(c, 8);
    *redo = wal__get_u64(c);
    uint64_t next_xid = wal__get_u64(c);
    uint32_t next_oid = wal__get_u32(c);
    if (c->bad || memcmp(magic, SNAP_MAGIC, 8) != 0) return bad_snapshot(err, "bad header");
    storage_restore_counters(l->s, next_xid, next_oid);
    return true;
}

/* Parses what is complete in buf[0..len); returns the bytes used. */
static bool parse_available(Loader *l, const uint8_t *buf, size_t len, bool first, uint64_t *redo, size_t *used,
                            Error *err) {
    WalCursor c = {buf, buf + len, false};
    if (first) {
        if (len < 28) {
            *used = 0;
            return true;
        }
        if (!load_header(l, &c, redo, err)) return false;
        l->crc = wal__crc32c(l->crc, buf, 28);
    }
    while (c.p < c.end && !l->ended) {
        const uint8_t *at = c.p;
        bool need_more;
        if (load_item(l, &c, &need_more, err)) {
            if (!l->ended) l->crc = wal__crc32c(l->crc, at, (size_t)(c.p - at));
            continue;
        }
        if (!need_more) return false;
        c.p = at;
        break;
    }
    *used = (size_t)(c.p - buf);
    return true;
}

bool wal__snapshot_load(const char *path, Storage *s, uint64_t *redo, uint64_t *rows, Error *err) {
    FILE *f = fopen(path, "rb");
    if (!f) return wal__io_error(err, errno, "open file", path);
    struct stat st;
    double size = fstat(fileno(f), &st) == 0 && st.st_size > 0 ? (double)st.st_size : 1;
    ZSTD_DCtx *z = ZSTD_createDCtx();
    Loader l = {.s = s};
    arena_init(&l.arena, 4096);
    StrBuf out;
    strbuf_init(&out);
    static __thread char in[1 << 17];
    bool ok = true, first = true, frame_done = false;
    size_t got, read_total = 0;
    double t0 = wal__now_s();
    double last = 0;
    while (ok && (got = fread(in, 1, sizeof in, f)) > 0) {
        read_total += got;
        ZSTD_inBuffer ib = {in, got, 0};
        while (ok && ib.pos < ib.size) {
            strbuf_reserve(&out, 1 << 18);
            ZSTD_outBuffer ob = {out.data + out.len, out.cap - out.len - 1, 0};
            size_t r = ZSTD_decompressStream(z, &ob, &ib);
            if (ZSTD_isError(r)) {
                ok = bad_snapshot(err, ZSTD_getErrorName(r));
                break;
            }
            frame_done = r == 0;
            out.len += ob.pos;
            size_t used;
            ok = parse_available(&l, (const uint8_t *)out.data, out.len, first, redo, &used, err);
            if (ok && used) {
                first = false;
                memmove(out.data, out.data + used, out.len - used);
                out.len -= used;
            }
            arena_reset(&l.arena);
        }
        double el = wal__now_s() - t0;
        if (el - last >= 1.0) {
            last = el;
            log_info("recovery: %.0f%% of snapshot \"%s\" loaded (%llu rows, %.0f rows/s)",
                     100.0 * (double)read_total / size, path, (unsigned long long)l.rows, (double)l.rows / el);
        }
    }
    if (ok && ferror(f)) ok = wal__io_error(err, errno, "read file", path);
    if (ok && (!l.ended || !frame_done || out.len != 0)) ok = bad_snapshot(err, "it ends too early");
    *rows = l.rows;
    strbuf_deinit(&out);
    arena_deinit(&l.arena);
    ZSTD_freeDCtx(z);
    fclose(f);
    return ok;
}
