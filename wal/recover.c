/*
 * recover.c — opening a data folder: its lock, then the store rebuilt from
 * the newest snapshot that passes its checksum (an older one if not) and
 * the WAL from that snapshot's redo LSN to the end of the log.
 *
 * The end of the log is the first record that is not whole and sound:
 * bytes missing, zeros (a segment's unwritten rest), a length out of
 * range, another position's LSN, or a wrong CRC. A crash can leave a torn
 * record only after every acknowledged one (acknowledgements wait for the
 * flush), so replay stops there; the rest of that segment is zeroed and
 * later segments removed before anything new is written, so no stale
 * record can later read as a continuation of the new log.
 *
 * INTERFACE: wal_open
 */
#define _GNU_SOURCE
#include "wal/wal_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- reading the log ----------------------------------------------------------------- */

typedef struct Reader {
    Wal *w;
    uint64_t base; /* LSN of buf's first byte */
    StrBuf buf;
    int fd;
    uint64_t fd_seg;
} Reader;

#define READ_CHUNK (1u << 20)

static int reader_segment(Reader *r, uint64_t segno) {
    if (r->fd >= 0 && r->fd_seg == segno) return r->fd;
    if (r->fd >= 0) close(r->fd);
    char path[4096];
    wal__segment_path(r->w, segno, path, sizeof path);
    r->fd = open(path, O_RDONLY | O_CLOEXEC);
    r->fd_seg = segno;
    return r->fd;
}

/* Makes buf hold [lsn, lsn + n); false if the log has fewer bytes. Bytes
 * before lsn are dropped only when more must be read, so walking records
 * costs no copying. */
static bool reader_need(Reader *r, uint64_t lsn, size_t n) {
    if (lsn < r->base || lsn > r->base + r->buf.len) {
        strbuf_reset(&r->buf);
        r->base = lsn;
    }
    size_t off = (size_t)(lsn - r->base);
    if (r->buf.len - off >= n) return true;
    memmove(r->buf.data, r->buf.data + off, r->buf.len - off);
    r->buf.len -= off;
    r->base = lsn;
    while (r->buf.len < n) {
        uint64_t at = r->base + r->buf.len;
        int fd = reader_segment(r, at / WAL_SEG_SIZE);
        if (fd < 0) return false;
        size_t want = n - r->buf.len > READ_CHUNK ? n - r->buf.len : READ_CHUNK;
        uint64_t left = WAL_SEG_SIZE - at % WAL_SEG_SIZE;
        if (want > left) want = (size_t)left;
        strbuf_reserve(&r->buf, want);
        ssize_t got = pread(fd, r->buf.data + r->buf.len, want, (off_t)(at % WAL_SEG_SIZE));
        if (got <= 0) return false;
        r->buf.len += (size_t)got;
    }
    return true;
}

static const uint8_t *reader_at(const Reader *r, uint64_t lsn) {
    return (const uint8_t *)r->buf.data + (lsn - r->base);
}

/* The record at lsn, or NULL with *why (the end of the log). */
static const uint8_t *read_record(Reader *r, uint64_t lsn, size_t *len, const char **why) {
    if (!reader_need(r, lsn, WAL_HEADER_SIZE)) {
        *why = "end of the written log";
        return NULL;
    }
    uint32_t n = wal__record_len(reader_at(r, lsn));
    if (n == 0) {
        *why = "end of the written log";
        return NULL;
    }
    if (n < WAL_HEADER_SIZE || n > WAL_RECORD_MAX) {
        *why = "invalid record length";
        return NULL;
    }
    if (!reader_need(r, lsn, n)) {
        *why = "record cut short (torn write)";
        return NULL;
    }
    const uint8_t *rec = reader_at(r, lsn);
    if ((*why = wal__check_record(rec, n, lsn))) return NULL;
    *len = n;
    return rec;
}

/* ---- replay --------------------------------------------------------------------------- */

/* Replays from redo to the end of the log; returns the end. */
static bool replay(Wal *w, Storage *s, uint64_t redo, uint64_t log_end, uint64_t *end, Error *err) {
    Reader r = {.w = w, .base = redo, .fd = -1};
    strbuf_init(&r.buf);
    char a[32], b[32];
    uint64_t lsn = redo, records = 0, rows = 0;
    double start = wal__now_s(), last_report = start;
    const char *why = NULL;
    bool ok = true;
    Arena arena;
    arena_init(&arena, 4096);
    log_info("redo starts at %s", wal_format_lsn(redo, a));
    for (;;) {
        size_t len;
        const uint8_t *rec = read_record(&r, lsn, &len, &why);
        if (!rec) break;
        if (!(ok = wal__replay_commit(s, rec, len, &arena, &rows, err))) break;
        lsn += len;
        records++;
        if (wal__now_s() - last_report >= 1.0) {
            last_report = wal__now_s();
            double pct = log_end > redo ? 100.0 * (double)(lsn - redo) / (double)(log_end - redo) : 100.0;
            log_info("recovery: %.0f%% of the WAL replayed (%llu rows, %.0f rows/s)", pct > 100 ? 100 : pct,
                     (unsigned long long)rows, (double)rows / (last_report - start));
        }
    }
    if (r.fd >= 0) close(r.fd);
    strbuf_deinit(&r.buf);
    arena_deinit(&arena);
    if (!ok) return false;
    if (records == 0)
        log_info("redo done at %s: no records to replay", wal_format_lsn(lsn, a));
    else
        log_info("redo done at %s: %llu commits, %llu rows in %.3f s; the log ends at %s: %s", wal_format_lsn(lsn, a),
                 (unsigned long long)records, (unsigned long long)rows, wal__now_s() - start, wal_format_lsn(lsn, b),
                 why);
    *end = lsn;
    return true;
}

/* Zeroes the log after `end` in its segment and removes later segments. */
static bool cut_tail(Wal *w, uint64_t end, const uint64_t *segs, size_t nsegs, Error *err) {
    char path[4096];
    uint64_t segno = end / WAL_SEG_SIZE;
    for (size_t i = 0; i < nsegs; i++) {
        if (segs[i] <= segno) continue;
        wal__segment_path(w, segs[i], path, sizeof path);
        if (unlink(path) != 0) return wal__io_error(err, errno, "remove", path);
    }
    wal__segment_path(w, segno, path, sizeof path);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return true; /* nothing written there yet */
    static const char zeros[1 << 16];
    bool ok = true;
    for (uint64_t off = end % WAL_SEG_SIZE; off < WAL_SEG_SIZE && ok;) {
        size_t n = WAL_SEG_SIZE - off < sizeof zeros ? (size_t)(WAL_SEG_SIZE - off) : sizeof zeros;
        ssize_t done = pwrite(fd, zeros, n, (off_t)off);
        if (done <= 0) ok = false;
        off += done > 0 ? (uint64_t)done : 0;
    }
    if (ok && fdatasync(fd) != 0) ok = false;
    close(fd);
    if (!ok) return wal__io_error(err, errno, "clear the end of", path);
    return wal__sync_dir(w->wal_dir, err);
}

/* ---- the newest good snapshot ---------------------------------------------------------- */

static Storage *load_snapshot(Wal *w, uint64_t *redo) {
    uint64_t *redos;
    size_t n = wal__list_snapshots(w, &redos);
    Storage *s = NULL;
    for (size_t i = n; i-- > 0 && !s;) { /* newest first */
        char path[4096];
        wal__snapshot_path(w, redos[i], path, sizeof path);
        Error e = {0};
        uint64_t rows = 0;
        double start = wal__now_s();
        uint64_t at = 0; /* set by a load that fails too: only a loaded one counts */
        s = storage_create();
        if (wal__snapshot_load(path, s, &at, &rows, &e)) {
            *redo = at;
            log_info("loaded snapshot \"%s\": %llu rows in %.3f s", path, (unsigned long long)rows,
                     wal__now_s() - start);
            break;
        }
        log_warn("skipping snapshot \"%s\": %s", path, e.message);
        storage_destroy(s);
        s = NULL;
    }
    free(redos);
    return s;
}

static bool make_dir(const char *path, Error *err) {
    if (mkdir(path, 0700) == 0 || errno == EEXIST) return true;
    return wal__io_error(err, errno, "create directory", path);
}

static char *path_join(const char *a, const char *b) {
    size_t n = strlen(a) + strlen(b) + 2;
    char *p = malloc(n);
    if (!p) abort();
    snprintf(p, n, "%s/%s", a, b);
    return p;
}

static bool recover(Wal *w, Storage **out, Error *err) {
    uint64_t redo = WAL_FIRST_LSN;
    Storage *s = load_snapshot(w, &redo);
    bool from_snapshot = s != NULL;
    if (!s) s = storage_create();
    uint64_t *segs;
    size_t nsegs = wal__list_segments(w, &segs);
    bool ok = true;
    if (nsegs && segs[0] > redo / WAL_SEG_SIZE) {
        char a[32];
        ok = error_set(err, SQLSTATE_DATA_CORRUPTED, "could not recover: the write-ahead log from %s is gone and %s",
                       wal_format_lsn(redo, a), from_snapshot ? "the snapshot needs it" : "no snapshot is readable");
    }
    uint64_t end = redo;
    uint64_t log_end = nsegs ? (segs[nsegs - 1] + 1) * (uint64_t)WAL_SEG_SIZE : redo;
    if (ok) ok = replay(w, s, redo, log_end, &end, err) && cut_tail(w, end, segs, nsegs, err);
    free(segs);
    if (!ok) {
        storage_destroy(s);
        return false;
    }
    storage_restore_finish(s);
    w->insert_lsn = end;
    w->checkpoint_redo = redo;
    *out = s;
    return true;
}

Wal *wal_open(const WalConfig *cfg, Storage **storage, Error *err) {
    Wal *w = calloc(1, sizeof *w);
    if (!w) abort();
    w->cfg = *cfg;
    if (w->cfg.writer_delay_ms <= 0) w->cfg.writer_delay_ms = 200;
    w->dir = strdup(cfg->dir);
    w->wal_dir = path_join(cfg->dir, "wal");
    w->snap_dir = path_join(cfg->dir, "snapshots");
    w->lock_fd = -1;
    pthread_mutex_init(&w->mu, NULL);
    strbuf_init(&w->fill);
    strbuf_init(&w->writing);
    if (!w->dir) abort();
    if (!wal__lock_folder(w, err) || !make_dir(w->wal_dir, err) || !make_dir(w->snap_dir, err) ||
        !recover(w, storage, err)) {
        wal_close(w);
        return NULL;
    }
    if (!wal__start_writer(w, err)) {
        storage_destroy(*storage);
        *storage = NULL;
        wal_close(w);
        return NULL;
    }
    return w;
}
