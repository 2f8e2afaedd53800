/*
 * log.c — the log's files and its writer: the data folder's lock, segment
 * files, and the WAL thread that writes and flushes what the engine
 * appends (group commit).
 *
 * FILES (in the data folder)
 *   strand.pid          holds the running server's pid; the server holds an
 *                       exclusive flock on it while it runs (released by the
 *                       kernel however the process ends).
 *   wal/<segment>       the log in 16 MiB segments named as PostgreSQL names
 *                       them on timeline 1: 8 hex digits of timeline, then of
 *                       LSN / 4 GiB, then of (LSN mod 4 GiB) / 16 MiB. A new
 *                       segment is allocated whole (posix_fallocate), so a
 *                       flush need not update the file's size; its unwritten
 *                       rest reads as zeros, which end the log. The first
 *                       record of a new data folder is at 0/1000000.
 *   snapshots/          checkpoints (snapshot.c).
 *
 * GROUP COMMIT
 *   engine thread                         WAL thread
 *   wal_append_commit: encode the record  waits on `wake` (at most
 *   into `fill` under mu, advance           wal_writer_delay while only
 *   insert_lsn; if a client waits, set      unwaited commits are there)
 *   `urgent` and signal                   swaps `fill` for its empty
 *                                           `writing` buffer under mu,
 *                                           writes it at its LSN, flushes,
 *                                           publishes `flushed`, notifies
 *   on notify: commits up to flushed
 *   become visible and are acknowledged
 * So however many commits arrive during one flush share the next one. A
 * failed write or flush sets `failed` for good: nothing after it is
 * acknowledged, and every later append fails with the same error.
 *
 * INTERFACE: wal_close, wal_append_commit, wal_insert_lsn, wal_flushed_lsn,
 *   wal_failed, wal_format_lsn, wal_parse_lsn, wal_set_retention
 * INTERFACE (wal-internal): wal__now_s, wal__io_error, wal__parse_hex, wal__list_files,
 *   wal__segment_path, wal__list_segments,
 *   wal__lock_folder, wal__start_writer
 */
#define _GNU_SOURCE
#include "wal/wal_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- LSNs ---------------------------------------------------------------------- */

const char *wal_format_lsn(uint64_t lsn, char *buf) {
    snprintf(buf, 32, "%" PRIX32 "/%" PRIX32, (uint32_t)(lsn >> 32), (uint32_t)lsn);
    return buf;
}

bool wal__parse_hex(const char *s, const char *end, uint64_t *out) {
    if (s == end || end - s > 16) return false;
    uint64_t v = 0;
    for (; s < end; s++) {
        int d = *s >= '0' && *s <= '9'   ? *s - '0'
                : *s >= 'a' && *s <= 'f' ? *s - 'a' + 10
                : *s >= 'A' && *s <= 'F' ? *s - 'A' + 10
                                         : -1;
        if (d < 0) return false;
        v = v << 4 | (uint64_t)d;
    }
    *out = v;
    return true;
}

static bool parse_hex32(const char *s, const char *end, uint64_t *out) {
    return end - s <= 8 && wal__parse_hex(s, end, out);
}

bool wal_parse_lsn(const char *s, uint64_t *out) {
    const char *slash = strchr(s, '/');
    uint64_t hi, lo;
    if (!slash || !parse_hex32(s, slash, &hi) || !parse_hex32(slash + 1, s + strlen(s), &lo)) return false;
    *out = hi << 32 | lo;
    return true;
}

/* ---- segments -------------------------------------------------------------------- */

void wal__segment_path(const Wal *w, uint64_t segno, char *buf, size_t cap) {
    uint64_t per = (1ull << 32) / WAL_SEG_SIZE;
    snprintf(buf, cap, "%s/%08X%08X%08X", w->wal_dir, 1u, (unsigned)(segno / per), (unsigned)(segno % per));
}

static bool segment_name(const char *name, uint64_t *segno) {
    if (strlen(name) != 24 || strncmp(name, "00000001", 8) != 0) return false;
    uint64_t hi, lo;
    if (!parse_hex32(name + 8, name + 16, &hi) || !parse_hex32(name + 16, name + 24, &lo)) return false;
    *segno = hi * ((1ull << 32) / WAL_SEG_SIZE) + lo;
    return true;
}

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

size_t wal__list_files(const char *dir, bool (*parse)(const char *name, uint64_t *number), uint64_t **out) {
    size_t n = 0, cap = 16;
    uint64_t *numbers = malloc(cap * sizeof *numbers);
    DIR *d = opendir(dir);
    if (!numbers) abort();
    for (struct dirent *e; d && (e = readdir(d));) {
        uint64_t number;
        if (!parse(e->d_name, &number)) continue;
        if (n == cap && !(numbers = realloc(numbers, (cap *= 2) * sizeof *numbers))) abort();
        numbers[n++] = number;
    }
    if (d) closedir(d);
    qsort(numbers, n, sizeof *numbers, cmp_u64);
    *out = numbers;
    return n;
}

size_t wal__list_segments(const Wal *w, uint64_t **out) { return wal__list_files(w->wal_dir, segment_name, out); }

double wal__now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

bool wal__io_error(Error *err, int e, const char *what, const char *path) {
    return error_set(err, e == ENOSPC ? SQLSTATE_DISK_FULL : SQLSTATE_IO_ERROR, "could not %s \"%s\": %s", what, path,
                     strerror(e));
}

bool wal__sync_dir(const char *dir, Error *err) {
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0) return wal__io_error(err, errno, "open directory", dir);
    bool ok = fsync(fd) == 0 || wal__io_error(err, errno, "fsync directory", dir);
    close(fd);
    return ok;
}

/* Opens (creating and allocating it whole if new) the segment for writing. */
static bool open_segment(Wal *w, uint64_t segno, Error *err) {
    char path[4096];
    wal__segment_path(w, segno, path, sizeof path);
    int flags = O_WRONLY | O_CLOEXEC;
    if (w->cfg.sync_method == WAL_SYNC_OPEN_DATASYNC) flags |= O_DSYNC;
    if (w->cfg.sync_method == WAL_SYNC_OPEN_SYNC) flags |= O_SYNC;
    int fd = open(path, flags);
    if (fd < 0 && errno == ENOENT) {
        fd = open(path, flags | O_CREAT | O_EXCL, 0600);
        if (fd < 0) return wal__io_error(err, errno, "create file", path);
        int e = posix_fallocate(fd, 0, WAL_SEG_SIZE);
        if (e == 0 && fsync(fd) != 0) e = errno;
        if (e != 0) {
            close(fd);
            unlink(path);
            return wal__io_error(err, e, "extend file", path);
        }
        if (!wal__sync_dir(w->wal_dir, err)) {
            close(fd);
            return false;
        }
    }
    if (fd < 0) return wal__io_error(err, errno, "open file", path);
    w->seg_fd = fd;
    w->seg_no = segno;
    return true;
}

static bool flush_segment(Wal *w, Error *err) {
    if (w->seg_fd < 0) return true;
    int rc = 0;
    if (w->cfg.sync_method == WAL_SYNC_FDATASYNC) rc = fdatasync(w->seg_fd);
    if (w->cfg.sync_method == WAL_SYNC_FSYNC) rc = fsync(w->seg_fd);
    if (rc == 0) return true;
    char path[4096];
    wal__segment_path(w, w->seg_no, path, sizeof path);
    return wal__io_error(err, errno, "fdatasync file", path);
}

static void close_segment(Wal *w) {
    if (w->seg_fd >= 0) close(w->seg_fd);
    w->seg_fd = -1;
}

/* Writes bytes [lsn, lsn + n) into their segments; flushes a segment it
 * leaves, the caller flushes the last. */
static bool write_at(Wal *w, uint64_t lsn, const char *p, size_t n, Error *err) {
    while (n > 0) {
        uint64_t segno = lsn / WAL_SEG_SIZE, off = lsn % WAL_SEG_SIZE;
        if (segno != w->seg_no || w->seg_fd < 0) {
            if (!flush_segment(w, err)) return false;
            close_segment(w);
            if (!open_segment(w, segno, err)) return false;
        }
        size_t chunk = WAL_SEG_SIZE - off < n ? (size_t)(WAL_SEG_SIZE - off) : n;
        ssize_t done = pwrite(w->seg_fd, p, chunk, (off_t)off);
        if (done < 0 && errno == EINTR) continue;
        if (done <= 0) {
            char path[4096];
            wal__segment_path(w, segno, path, sizeof path);
            return wal__io_error(err, done < 0 ? errno : ENOSPC, "write to file", path);
        }
        lsn += (uint64_t)done;
        p += done;
        n -= (size_t)done;
    }
    return true;
}

/* ---- the WAL thread ---------------------------------------------------------------- */

static void deadline_in(struct timespec *ts, int ms) {
    clock_gettime(CLOCK_MONOTONIC, ts);
    ts->tv_sec += ms / 1000;
    ts->tv_nsec += (long)(ms % 1000) * 1000000;
    if (ts->tv_nsec >= 1000000000) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000;
    }
}

/* Waits (mu held) until there is something to write now: a waited-for
 * commit, wal_writer_delay passed since unwaited ones arrived, or stop. */
static void wait_for_work(Wal *w) {
    while (!w->stop && !w->failed && w->fill.len == 0) pthread_cond_wait(&w->wake, &w->mu);
    if (w->stop || w->failed || w->urgent) return;
    struct timespec ts;
    deadline_in(&ts, w->cfg.writer_delay_ms);
    while (!w->stop && !w->urgent && pthread_cond_timedwait(&w->wake, &w->mu, &ts) == 0) {
    }
}

static void *writer_main(void *arg) {
    Wal *w = arg;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        wait_for_work(w);
        if (w->failed || (w->stop && w->fill.len == 0)) break;
        StrBuf batch = w->fill;
        w->fill = w->writing;
        w->writing = batch;
        uint64_t lsn = w->fill_lsn;
        w->fill_lsn += batch.len;
        w->urgent = false;
        pthread_mutex_unlock(&w->mu);

        Error err = {0};
        bool ok = write_at(w, lsn, batch.data, batch.len, &err) && flush_segment(w, &err);
        if (w->writing.cap > (8u << 20)) { /* give back the memory of a burst */
            strbuf_deinit(&w->writing);
            strbuf_init(&w->writing);
        }
        strbuf_reset(&w->writing);

        pthread_mutex_lock(&w->mu);
        if (ok) {
            __atomic_store_n(&w->flushed, lsn + batch.len, __ATOMIC_RELEASE);
        } else {
            w->failed = true;
            w->failure = err;
            log_error("the write-ahead log failed, no further commits will be accepted until a restart: %s",
                      err.message);
        }
        pthread_mutex_unlock(&w->mu);
        if (w->cfg.notify) w->cfg.notify(w->cfg.notify_ctx);
        pthread_mutex_lock(&w->mu);
    }
    pthread_mutex_unlock(&w->mu);
    close_segment(w);
    return NULL;
}

bool wal__start_writer(Wal *w, Error *err) {
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&w->wake, &attr);
    pthread_condattr_destroy(&attr);
    w->fill_lsn = w->insert_lsn;
    w->flushed = w->insert_lsn;
    w->seg_fd = -1;
    w->seg_no = UINT64_MAX;
    if (pthread_create(&w->thread, NULL, writer_main, w) != 0)
        return error_set(err, SQLSTATE_INTERNAL_ERROR, "could not start the WAL thread");
    w->thread_started = true;
    return true;
}

/* ---- the engine's side ---------------------------------------------------------------- */

uint64_t wal_append_commit(Wal *w, const StorageChangeSet *cs, uint64_t xid, bool wait, uint64_t *start, Error *err) {
    pthread_mutex_lock(&w->mu);
    if (w->failed) {
        if (err) *err = w->failure;
        pthread_mutex_unlock(&w->mu);
        return 0;
    }
    uint64_t lsn = w->insert_lsn;
    size_t before = w->fill.len;
    wal__encode_commit(&w->fill, lsn, cs, xid, 0);
    w->insert_lsn = lsn + (w->fill.len - before);
    if (wait) w->urgent = true;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->mu);
    if (start) *start = lsn;
    return w->insert_lsn;
}

uint64_t wal_insert_lsn(const Wal *w) { return w->insert_lsn; }

uint64_t wal_flushed_lsn(Wal *w) { return __atomic_load_n(&w->flushed, __ATOMIC_ACQUIRE); }

bool wal_failed(Wal *w, Error *err) {
    pthread_mutex_lock(&w->mu);
    bool failed = w->failed;
    if (failed && err) *err = w->failure;
    pthread_mutex_unlock(&w->mu);
    return failed;
}

/* ---- the data folder's lock ------------------------------------------------------------ */

bool wal__lock_folder(Wal *w, Error *err) {
    char path[4096];
    snprintf(path, sizeof path, "%s/strand.pid", w->dir);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return wal__io_error(err, errno, "open file", path);
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        char buf[32] = {0};
        ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
        long pid = n > 0 ? strtol(buf, NULL, 10) : 0;
        close(fd);
        return error_set(err, SQLSTATE_OBJECT_IN_USE, "data folder \"%s\" is in use by another strand server (pid %ld)",
                         w->dir, pid);
    }
    char buf[32];
    int n = snprintf(buf, sizeof buf, "%ld\n", (long)getpid());
    if (ftruncate(fd, 0) != 0 || pwrite(fd, buf, (size_t)n, 0) != n) {
        close(fd);
        return wal__io_error(err, errno, "write file", path);
    }
    w->lock_fd = fd;
    return true;
}

/* ---- closing -------------------------------------------------------------------------- */

void wal_set_retention(Wal *w, uint64_t (*oldest_needed)(void *ctx), void *ctx) {
    w->cfg_retention = oldest_needed;
    w->cfg_retention_ctx = ctx;
}

void wal_close(Wal *w) {
    if (!w) return;
    if (w->thread_started) {
        pthread_mutex_lock(&w->mu);
        w->stop = true;
        pthread_cond_signal(&w->wake);
        pthread_mutex_unlock(&w->mu);
        pthread_join(w->thread, NULL);
    }
    wal__checkpoint_abandon(w);
    if (w->lock_fd >= 0) {
        char path[4096];
        snprintf(path, sizeof path, "%s/strand.pid", w->dir);
        unlink(path);
        close(w->lock_fd);
    }
    pthread_mutex_destroy(&w->mu);
    if (w->thread_started) pthread_cond_destroy(&w->wake);
    strbuf_deinit(&w->fill);
    strbuf_deinit(&w->writing);
    free(w->dir);
    free(w->wal_dir);
    free(w->snap_dir);
    free(w);
}
