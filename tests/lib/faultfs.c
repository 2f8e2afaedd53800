/*
 * faultfs.c — an LD_PRELOAD library that makes file I/O fail on demand, so the
 * fault tests (STYLE.md, "fault and crash tests") can prove that the
 * write-ahead log and the checkpoints handle EIO, ENOSPC and short writes.
 * It wraps the libc calls a storage engine writes and flushes files with and,
 * for the files whose path matches, fails them as the control file says.
 * It does not model a disk: it never corrupts data or loses page cache, and
 * it only sees calls that go through the dynamic libc symbols (not stdio,
 * whose internal writes cannot be interposed, nor mmap + msync, io_uring,
 * syscall(2), copy_file_range, sendfile or splice).
 *
 * Environment, read once when the library loads:
 *   FAULTFS_MATCH    a substring of the path (as readlink("/proc/self/fd/N")
 *                    shows it) that a file must contain to be touched, e.g.
 *                    "/wal/". A directory matches when its path plus "/" does,
 *                    so "/wal/" covers fsync of the wal/ folder itself.
 *                    Unset or empty: faultfs touches nothing.
 *   FAULTFS_CONTROL  the control file. Missing or empty: no faults. It is
 *                    stat()ed on every intercepted call and re-read when its
 *                    inode, size, mtime or ctime changes; replace it with
 *                    rename(2) (or change its size), because an in-place
 *                    rewrite of the same size within one clock tick of the
 *                    file system is not noticed.
 *   FAULTFS_VERBOSE  "1": log every injected fault (default: the first one per
 *                    file, kind and errno since the control file was loaded).
 *
 * Control file: one directive per line, '#' starts a comment.
 *   write=ERR [after=N] [times=M]   write, pwrite, pwrite64, writev, pwritev,
 *                                   pwritev64, pwritev2 fail with ERR
 *   sync=ERR  [after=N] [times=M]   fsync, fdatasync, sync_file_range fail
 *                                   with ERR, and so does a write-type call on
 *                                   an O_SYNC / O_DSYNC descriptor or a
 *                                   pwritev2 with RWF_SYNC / RWF_DSYNC
 *   alloc=ERR [after=N] [times=M]   fallocate, posix_fallocate, ftruncate
 *   open=ERR  [after=N] [times=M]   open, openat, creat of a matching path
 *                                   (nothing is created)
 *   short     [after=N] [times=M]   a write-type call of 2 bytes or more
 *                                   writes only the first half (a partial
 *                                   write the caller must complete)
 * ERR is EIO, ENOSPC, EDQUOT, EROFS, EFBIG, EINTR, EAGAIN, ENOMEM, EBADF,
 * EINVAL, EPERM, EACCES or a number. after=N lets the first N matching calls
 * of that kind succeed; times=M stops after M injected faults (default: no
 * limit, a dead disk). Counts restart whenever the file is re-read. A later
 * line for the same kind replaces an earlier one; a line faultfs does not
 * understand is reported on stderr and ignored.
 *
 * Each injected fault is logged to stderr, once per file, kind and errno, under
 * the call's plain name (pwrite64 is logged as pwrite):
 *   faultfs: write to /data/wal/000001 failed with ENOSPC (injected)
 *   faultfs: fdatasync of /data/wal/000001 failed with EIO (injected)
 *   faultfs: write to /data/wal/000001 cut short to 50 of 100 bytes (injected)
 *
 * Threads: one mutex guards the rules, the counters and the per-descriptor
 * cache (and is held across fork()); the real call runs outside it. A call made while the same thread is
 * already inside faultfs (a signal handler writing to a self-pipe) passes
 * straight through instead of deadlocking. Nothing is allocated: buffers are
 * static or on the stack, so a multi-threaded program is safe to preload.
 *
 * Descriptor cache: whether fd N matches is remembered with the file's device
 * and inode, checked with fstat() on every call, so a descriptor closed behind
 * faultfs's back (libuv closes with syscall(SYS_close)) and reused for another
 * file is looked up again. close, dup, dup2, dup3 and the open family forget
 * the entry; a successful rename forgets every entry (a file renamed into or
 * out of the matching folder).
 *
 * Exported: the wrapped libc functions, nothing else.
 */
#define _GNU_SOURCE
#undef _FORTIFY_SOURCE   /* our open() must not collide with the fortified inline one */
#undef _FILE_OFFSET_BITS /* and must define open, not a redirect to open64 */

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

/* ---- the real functions ---- */

static ssize_t (*real_write)(int, const void *, size_t);
static ssize_t (*real_pwrite)(int, const void *, size_t, off_t);
static ssize_t (*real_pwrite64)(int, const void *, size_t, off64_t);
static ssize_t (*real_writev)(int, const struct iovec *, int);
static ssize_t (*real_pwritev)(int, const struct iovec *, int, off_t);
static ssize_t (*real_pwritev64)(int, const struct iovec *, int, off64_t);
static ssize_t (*real_pwritev2)(int, const struct iovec *, int, off_t, int);
static ssize_t (*real_pwritev64v2)(int, const struct iovec *, int, off64_t, int);
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);
static int (*real_sync_file_range)(int, off64_t, off64_t, unsigned int);
static int (*real_fallocate)(int, int, off_t, off_t);
static int (*real_fallocate64)(int, int, off64_t, off64_t);
static int (*real_posix_fallocate)(int, off_t, off_t);
static int (*real_posix_fallocate64)(int, off64_t, off64_t);
static int (*real_ftruncate)(int, off_t);
static int (*real_ftruncate64)(int, off64_t);
static int (*real_open)(const char *, int, ...);
static int (*real_open64)(const char *, int, ...);
static int (*real_openat)(int, const char *, int, ...);
static int (*real_openat64)(int, const char *, int, ...);
static int (*real___open_2)(const char *, int);
static int (*real___open64_2)(const char *, int);
static int (*real___openat_2)(int, const char *, int);
static int (*real___openat64_2)(int, const char *, int);
static int (*real_creat)(const char *, mode_t);
static int (*real_creat64)(const char *, mode_t);
static int (*real_close)(int);
static int (*real_dup)(int);
static int (*real_dup2)(int, int);
static int (*real_dup3)(int, int, int);
static int (*real_rename)(const char *, const char *);
static int (*real_renameat)(int, const char *, int, const char *);
static int (*real_renameat2)(int, const char *, int, const char *, unsigned int);

#define RESOLVE(name) real_##name = (__typeof__(real_##name))dlsym(RTLD_NEXT, #name)

/* FAULTFS_MATCH and FAULTFS_CONTROL, copied at load (setenv later changes nothing). */
static char match[PATH_MAX];
static char control[PATH_MAX];
static int verbose;

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

/* A fork while another thread holds mu would leave the child's copy locked. */
static void fork_prepare(void) { pthread_mutex_lock(&mu); }
static void fork_done(void) { pthread_mutex_unlock(&mu); }

static void load_once(void) {
    pthread_atfork(fork_prepare, fork_done, fork_done);
    RESOLVE(write);
    RESOLVE(pwrite);
    RESOLVE(pwrite64);
    RESOLVE(writev);
    RESOLVE(pwritev);
    RESOLVE(pwritev64);
    RESOLVE(pwritev2);
    RESOLVE(pwritev64v2);
    RESOLVE(fsync);
    RESOLVE(fdatasync);
    RESOLVE(sync_file_range);
    RESOLVE(fallocate);
    RESOLVE(fallocate64);
    RESOLVE(posix_fallocate);
    RESOLVE(posix_fallocate64);
    RESOLVE(ftruncate);
    RESOLVE(ftruncate64);
    RESOLVE(open);
    RESOLVE(open64);
    RESOLVE(openat);
    RESOLVE(openat64);
    RESOLVE(__open_2);
    RESOLVE(__open64_2);
    RESOLVE(__openat_2);
    RESOLVE(__openat64_2);
    RESOLVE(creat);
    RESOLVE(creat64);
    RESOLVE(close);
    RESOLVE(dup);
    RESOLVE(dup2);
    RESOLVE(dup3);
    RESOLVE(rename);
    RESOLVE(renameat);
    RESOLVE(renameat2);

    const char *m = getenv("FAULTFS_MATCH");
    const char *c = getenv("FAULTFS_CONTROL");
    const char *v = getenv("FAULTFS_VERBOSE");
    if (m && strlen(m) < sizeof match) strcpy(match, m);
    if (c && strlen(c) < sizeof control) strcpy(control, c);
    verbose = v && strcmp(v, "1") == 0;
}

static pthread_once_t loaded = PTHREAD_ONCE_INIT;

/* Every wrapper starts here: a call may come before our constructor runs. */
static void init(void) { pthread_once(&loaded, load_once); }

__attribute__((constructor)) static void faultfs_init(void) { init(); }

/* Set while this thread runs faultfs code; see "Threads" above. */
static _Thread_local int inside __attribute__((tls_model("initial-exec")));

/* The real call is missing from this libc (say pwritev2 on an old one). */
#define NEED(name)                                                                                                     \
    do {                                                                                                               \
        init();                                                                                                        \
        if (!real_##name) {                                                                                            \
            errno = ENOSYS;                                                                                            \
            return -1;                                                                                                 \
        }                                                                                                              \
    } while (0)

/* ---- errno names ---- */

static const struct {
    const char *name;
    int err;
} errnames[] = {
    {"EIO", EIO},     {"ENOSPC", ENOSPC}, {"EDQUOT", EDQUOT}, {"EROFS", EROFS},
    {"EFBIG", EFBIG}, {"EINTR", EINTR},   {"EAGAIN", EAGAIN}, {"ENOMEM", ENOMEM},
    {"EBADF", EBADF}, {"EINVAL", EINVAL}, {"EPERM", EPERM},   {"EACCES", EACCES},
};

static int errno_parse(const char *s) {
    for (size_t i = 0; i < sizeof errnames / sizeof errnames[0]; i++)
        if (strcmp(s, errnames[i].name) == 0) return errnames[i].err;
    char *end;
    long n = strtol(s, &end, 10);
    return (*s && !*end && n > 0 && n < 4096) ? (int)n : 0;
}

static const char *errno_name(int err, char *buf, size_t size) {
    for (size_t i = 0; i < sizeof errnames / sizeof errnames[0]; i++)
        if (errnames[i].err == err) return errnames[i].name;
    snprintf(buf, size, "errno %d", err);
    return buf;
}

/* ---- stderr ---- */

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...) {
    char line[PATH_MAX + 256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line - 1, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n > sizeof line - 2) n = (int)sizeof line - 2;
    line[n++] = '\n';
    if (real_write) (void)!real_write(2, line, (size_t)n);
}

/* ---- rules ---- */

enum kind { K_WRITE, K_SYNC, K_ALLOC, K_OPEN, K_SHORT, K_COUNT };
static const char *const kind_names[K_COUNT] = {"write", "sync", "alloc", "open", "short"};

struct rule {
    int on, err;
    long after, times; /* times < 0: no limit */
    long seen, injected;
};

static struct rule rules[K_COUNT];

/* Which version of the control file the rules come from. */
static struct {
    int exists;
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime, ctime;
} loaded_key;

/* The faults already logged since the control file was loaded. */
#define LOGGED_MAX 64
static struct {
    int kind, err;
    dev_t dev;
    uint64_t ino;
} logged[LOGGED_MAX];
static int nlogged;

static long number(const char *s) {
    char *end;
    long n = strtol(s, &end, 10);
    return (*s && !*end && n >= 0) ? n : -1;
}

/* One directive; returns 0 if it is not understood. */
static int parse_line(char *line) {
    char *save, *tok = strtok_r(line, " \t\r", &save);
    if (!tok) return 1;
    struct rule r = {.on = 1, .times = -1};
    int k;
    if (strcmp(tok, "short") == 0) {
        k = K_SHORT;
    } else {
        char *eq = strchr(tok, '=');
        if (!eq) return 0;
        *eq = '\0';
        for (k = 0; k < K_SHORT; k++)
            if (strcmp(tok, kind_names[k]) == 0) break;
        if (k == K_SHORT || !(r.err = errno_parse(eq + 1))) return 0;
    }
    while ((tok = strtok_r(NULL, " \t\r", &save))) {
        if (strncmp(tok, "after=", 6) == 0 && (r.after = number(tok + 6)) >= 0) continue;
        if (strncmp(tok, "times=", 6) == 0 && (r.times = number(tok + 6)) >= 0) continue;
        return 0;
    }
    rules[k] = r;
    return 1;
}

static void parse_control(char *text) {
    char *save, *line;
    for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char copy[512];
        char *hash = strchr(line, '#');
        if (hash) *hash = '\0';
        snprintf(copy, sizeof copy, "%s", line);
        if (!parse_line(line)) say("faultfs: ignoring control line \"%s\" (%s)", copy, control);
    }
}

/* Re-reads the control file if it changed. Called with mu held. */
static void refresh(void) {
    struct stat st;
    int exists = stat(control, &st) == 0;
    if (!exists && !loaded_key.exists) return;
    if (exists && loaded_key.exists && st.st_dev == loaded_key.dev && st.st_ino == loaded_key.ino &&
        st.st_size == loaded_key.size && st.st_mtim.tv_sec == loaded_key.mtime.tv_sec &&
        st.st_mtim.tv_nsec == loaded_key.mtime.tv_nsec && st.st_ctim.tv_sec == loaded_key.ctime.tv_sec &&
        st.st_ctim.tv_nsec == loaded_key.ctime.tv_nsec)
        return;

    memset(rules, 0, sizeof rules);
    nlogged = 0;
    loaded_key.exists = 0;
    if (!exists) return;
    int fd = real_open(control, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return; /* vanished in between: no faults until it is back */
    char text[4096];
    size_t len = 0;
    ssize_t n;
    while (len < sizeof text - 1 && (n = read(fd, text + len, sizeof text - 1 - len)) != 0) {
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) break;
        len += (size_t)n;
    }
    text[len] = '\0';
    /* The key describes what was read: a change after fstat() is seen next time. */
    if (fstat(fd, &st) == 0) {
        loaded_key.exists = 1;
        loaded_key.dev = st.st_dev;
        loaded_key.ino = st.st_ino;
        loaded_key.size = st.st_size;
        loaded_key.mtime = st.st_mtim;
        loaded_key.ctime = st.st_ctim;
    }
    real_close(fd);
    parse_control(text);
}

/* Counts one matching call against rule k; true if it is to be faulted. */
static int fire(int k) {
    struct rule *r = &rules[k];
    if (!r->on) return 0;
    r->seen++;
    if (r->seen <= r->after) return 0;
    if (r->times >= 0 && r->injected >= r->times) return 0;
    r->injected++;
    return 1;
}

/* True the first time this (kind, errno, file) is faulted since the last load. */
static int first_time(int kind, int err, dev_t dev, uint64_t ino) {
    if (verbose) return 1;
    for (int i = 0; i < nlogged; i++)
        if (logged[i].kind == kind && logged[i].err == err && logged[i].dev == dev && logged[i].ino == ino) return 0;
    if (nlogged == LOGGED_MAX) return 1;
    logged[nlogged].kind = kind;
    logged[nlogged].err = err;
    logged[nlogged].dev = dev;
    logged[nlogged].ino = ino;
    nlogged++;
    return 1;
}

/* ---- paths ---- */

static int fd_path(int fd, char *buf, size_t size) {
    char link[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, buf, size - 1);
    if (n < 0) return 0;
    buf[n] = '\0';
    return 1;
}

static int path_matches(const char *path, int is_dir) {
    if (strstr(path, match)) return 1;
    if (!is_dir) return 0;
    char slashed[PATH_MAX + 2];
    int n = snprintf(slashed, sizeof slashed, "%s/", path);
    return n >= 0 && (size_t)n < sizeof slashed && strstr(slashed, match) != NULL;
}

/* The absolute form of path relative to dirfd, not normalized (enough for a substring). */
static int full_path(int dirfd, const char *path, char *buf, size_t size) {
    char base[PATH_MAX];
    int n;
    if (path[0] == '/') {
        n = snprintf(buf, size, "%s", path);
    } else {
        if (dirfd == AT_FDCWD ? !getcwd(base, sizeof base) : !fd_path(dirfd, base, sizeof base)) return 0;
        n = snprintf(buf, size, "%s/%s", base, path);
    }
    return n >= 0 && (size_t)n < size; /* a path too long to check is left alone */
}

/* ---- the descriptor cache ---- */

#define FD_CACHE 4096
enum { FD_UNKNOWN, FD_OTHER, FD_MATCH };
static struct {
    unsigned gen;
    unsigned char state, dsync;
    dev_t dev;
    ino_t ino;
} fds[FD_CACHE];
static unsigned generation = 1; /* a slot is valid only with the current one */

static void forget(int fd) {
    if (!match[0] || inside) return; /* inside: a signal handler; fstat() catches a stale slot */
    pthread_mutex_lock(&mu);
    if (fd >= 0 && fd < FD_CACHE) fds[fd].gen = 0;
    pthread_mutex_unlock(&mu);
}

static void forget_all(void) {
    if (!match[0] || inside) return;
    pthread_mutex_lock(&mu);
    generation++;
    pthread_mutex_unlock(&mu);
}

/* Whether fd's file matches; *st and *dsync describe it. Called with mu held. */
static int fd_matches(int fd, struct stat *st, int *dsync) {
    if (fstat(fd, st) != 0) return 0; /* not open: the real call reports it */
    if (fd < FD_CACHE && fds[fd].gen == generation && fds[fd].dev == st->st_dev && fds[fd].ino == st->st_ino) {
        *dsync = fds[fd].dsync;
        return fds[fd].state == FD_MATCH;
    }
    char path[PATH_MAX];
    int m = fd_path(fd, path, sizeof path) && path_matches(path, S_ISDIR(st->st_mode));
    int flags = fcntl(fd, F_GETFL);
    *dsync = flags >= 0 && (flags & O_DSYNC); /* O_SYNC includes O_DSYNC */
    if (fd < FD_CACHE) {
        fds[fd].gen = generation;
        fds[fd].state = m ? FD_MATCH : FD_OTHER;
        fds[fd].dsync = (unsigned char)*dsync;
        fds[fd].dev = st->st_dev;
        fds[fd].ino = st->st_ino;
    }
    return m;
}

/* ---- deciding ---- */

/* What happened to one call, for the log line written after mu is released. */
struct verdict {
    int err;     /* the errno to fail with, 0: go ahead */
    int kind;    /* the rule that fired */
    int log;     /* first time for this file */
    size_t len;  /* bytes to write: less than asked for a short write */
    size_t want; /* bytes asked for */
};

static void report(struct verdict *v, const char *op, int fd, const char *path) {
    char buf[PATH_MAX], ebuf[32];
    if (!v->log) return;
    if (!path) path = fd_path(fd, buf, sizeof buf) ? buf : "(unknown path)";
    if (v->kind == K_SHORT) {
        say("faultfs: %s to %s cut short to %zu of %zu bytes (injected)", op, path, v->len, v->want);
    } else {
        say("faultfs: %s %s %s failed with %s (injected)", op, v->kind == K_WRITE ? "to" : "of", path,
            errno_name(v->err, ebuf, sizeof ebuf));
    }
}

/*
 * Decides one call on fd of the given kind (K_WRITE, K_SYNC or K_ALLOC).
 * For K_WRITE, *len is the byte count and may come back halved; sync_flag
 * says the call itself asks for a sync (pwritev2 with RWF_DSYNC). Returns the
 * errno to fail the call with, or 0. errno is left as it was.
 */
static int decide_fd(int fd, int kind, int sync_flag, const char *op, size_t *len) {
    struct verdict v = {.len = len ? *len : 0, .want = len ? *len : 0};
    if (!match[0] || !control[0] || inside) return 0;
    int saved = errno;
    inside = 1;
    pthread_mutex_lock(&mu);
    refresh();
    int wanted = rules[kind].on || (kind == K_WRITE && (rules[K_SHORT].on || rules[K_SYNC].on));
    struct stat st;
    int dsync = 0;
    if (wanted && fd_matches(fd, &st, &dsync)) {
        if (fire(kind)) {
            v.err = rules[kind].err;
            v.kind = kind;
        } else if (kind == K_WRITE && (dsync || sync_flag) && fire(K_SYNC)) {
            v.err = rules[K_SYNC].err;
            v.kind = K_SYNC;
        } else if (kind == K_WRITE && v.want >= 2 && fire(K_SHORT)) {
            v.len = v.want / 2;
            v.kind = K_SHORT;
        }
        if (v.err || v.len != v.want) v.log = first_time(v.kind, v.err, st.st_dev, st.st_ino);
    }
    pthread_mutex_unlock(&mu);
    report(&v, op, fd, NULL);
    if (len) *len = v.len;
    inside = 0;
    errno = saved;
    return v.err;
}

static uint64_t hash(const char *s) {
    uint64_t h = 1469598103934665603u;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

/* Decides an open of path (relative to dirfd); returns the errno to fail it with, or 0. */
static int decide_open(int dirfd, const char *path, const char *op) {
    struct verdict v = {0};
    char full[PATH_MAX];
    if (!match[0] || !control[0] || inside || !path) return 0;
    int saved = errno;
    inside = 1;
    pthread_mutex_lock(&mu);
    refresh();
    if (rules[K_OPEN].on && full_path(dirfd, path, full, sizeof full) && path_matches(full, 1) && fire(K_OPEN)) {
        v.err = rules[K_OPEN].err;
        v.kind = K_OPEN;
        v.log = first_time(K_OPEN, v.err, 0, hash(full));
    }
    pthread_mutex_unlock(&mu);
    report(&v, op, -1, full);
    inside = 0;
    errno = saved;
    return v.err;
}

/* ---- write-type calls ---- */

static size_t iov_total(const struct iovec *iov, int cnt) {
    size_t n = 0;
    for (int i = 0; i < cnt; i++) n += iov[i].iov_len;
    return n;
}

/* Copies the first len bytes' worth of iov into out (at most max entries); returns the count. */
static int iov_cut(const struct iovec *iov, int cnt, size_t len, struct iovec *out, int max) {
    int k = 0;
    for (int i = 0; i < cnt && k < max && len > 0; i++) {
        out[k] = iov[i];
        if (out[k].iov_len > len) out[k].iov_len = len;
        len -= out[k].iov_len;
        k++;
    }
    return k;
}

#define IOV_CUT_MAX 64

/* The shared part of the writev family: decide, then shorten the vector if asked to. */
#define WRITEV_BODY(name, op, sync_flag, ...)                                                                          \
    NEED(name);                                                                                                        \
    size_t want = iov_total(iov, cnt), len = want;                                                                     \
    int err = decide_fd(fd, K_WRITE, sync_flag, op, &len);                                                             \
    if (err) {                                                                                                         \
        errno = err;                                                                                                   \
        return -1;                                                                                                     \
    }                                                                                                                  \
    struct iovec cut[IOV_CUT_MAX];                                                                                     \
    if (len != want) {                                                                                                 \
        cnt = iov_cut(iov, cnt, len, cut, IOV_CUT_MAX);                                                                \
        iov = cut;                                                                                                     \
    }                                                                                                                  \
    return real_##name(fd, iov, cnt, __VA_ARGS__)

ssize_t write(int fd, const void *buf, size_t n) {
    NEED(write);
    int err = decide_fd(fd, K_WRITE, 0, "write", &n);
    if (err) {
        errno = err;
        return -1;
    }
    return real_write(fd, buf, n);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off) {
    NEED(pwrite);
    int err = decide_fd(fd, K_WRITE, 0, "pwrite", &n);
    if (err) {
        errno = err;
        return -1;
    }
    return real_pwrite(fd, buf, n, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off64_t off) {
    NEED(pwrite64);
    int err = decide_fd(fd, K_WRITE, 0, "pwrite", &n);
    if (err) {
        errno = err;
        return -1;
    }
    return real_pwrite64(fd, buf, n, off);
}

ssize_t writev(int fd, const struct iovec *iov, int cnt) {
    NEED(writev);
    size_t want = iov_total(iov, cnt), len = want;
    int err = decide_fd(fd, K_WRITE, 0, "writev", &len);
    if (err) {
        errno = err;
        return -1;
    }
    struct iovec cut[IOV_CUT_MAX];
    if (len != want) {
        cnt = iov_cut(iov, cnt, len, cut, IOV_CUT_MAX);
        iov = cut;
    }
    return real_writev(fd, iov, cnt);
}

ssize_t pwritev(int fd, const struct iovec *iov, int cnt, off_t off) { WRITEV_BODY(pwritev, "pwritev", 0, off); }

ssize_t pwritev64(int fd, const struct iovec *iov, int cnt, off64_t off) { WRITEV_BODY(pwritev64, "pwritev", 0, off); }

#ifdef RWF_DSYNC
#define RWF_SYNCING (RWF_DSYNC | RWF_SYNC)
#else
#define RWF_SYNCING 0
#endif

ssize_t pwritev2(int fd, const struct iovec *iov, int cnt, off_t off, int flags) {
    WRITEV_BODY(pwritev2, "pwritev2", (flags & RWF_SYNCING) != 0, off, flags);
}

ssize_t pwritev64v2(int fd, const struct iovec *iov, int cnt, off64_t off, int flags) {
    WRITEV_BODY(pwritev64v2, "pwritev2", (flags & RWF_SYNCING) != 0, off, flags);
}

/* ---- syncs ---- */

int fsync(int fd) {
    NEED(fsync);
    int err = decide_fd(fd, K_SYNC, 0, "fsync", NULL);
    if (err) {
        errno = err;
        return -1;
    }
    return real_fsync(fd);
}

int fdatasync(int fd) {
    NEED(fdatasync);
    int err = decide_fd(fd, K_SYNC, 0, "fdatasync", NULL);
    if (err) {
        errno = err;
        return -1;
    }
    return real_fdatasync(fd);
}

int sync_file_range(int fd, off64_t off, off64_t n, unsigned int flags) {
    NEED(sync_file_range);
    int err = decide_fd(fd, K_SYNC, 0, "sync_file_range", NULL);
    if (err) {
        errno = err;
        return -1;
    }
    return real_sync_file_range(fd, off, n, flags);
}

/* ---- space ---- */

int fallocate(int fd, int mode, off_t off, off_t n) {
    NEED(fallocate);
    int err = decide_fd(fd, K_ALLOC, 0, "fallocate", NULL);
    if (err) {
        errno = err;
        return -1;
    }
    return real_fallocate(fd, mode, off, n);
}

int fallocate64(int fd, int mode, off64_t off, off64_t n) {
    NEED(fallocate64);
    int err = decide_fd(fd, K_ALLOC, 0, "fallocate", NULL);
    if (err) {
        errno = err;
        return -1;
    }
    return real_fallocate64(fd, mode, off, n);
}

/* posix_fallocate returns the error number instead of setting errno. */
int posix_fallocate(int fd, off_t off, off_t n) {
    init();
    if (!real_posix_fallocate) return ENOSYS;
    int err = decide_fd(fd, K_ALLOC, 0, "posix_fallocate", NULL);
    return err ? err : real_posix_fallocate(fd, off, n);
}

int posix_fallocate64(int fd, off64_t off, off64_t n) {
    init();
    if (!real_posix_fallocate64) return ENOSYS;
    int err = decide_fd(fd, K_ALLOC, 0, "posix_fallocate", NULL);
    return err ? err : real_posix_fallocate64(fd, off, n);
}

int ftruncate(int fd, off_t n) {
    NEED(ftruncate);
    int err = decide_fd(fd, K_ALLOC, 0, "ftruncate", NULL);
    if (err) {
        errno = err;
        return -1;
    }
    return real_ftruncate(fd, n);
}

int ftruncate64(int fd, off64_t n) {
    NEED(ftruncate64);
    int err = decide_fd(fd, K_ALLOC, 0, "ftruncate", NULL);
    if (err) {
        errno = err;
        return -1;
    }
    return real_ftruncate64(fd, n);
}

/* ---- opening, closing, duplicating, renaming ---- */

static int takes_mode(int flags) { return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE; }

/* Fails the open if told to; otherwise returns the new descriptor's slot to a clean state. */
#define OPEN_BODY(dirfd, call, op)                                                                                     \
    int err = decide_open(dirfd, path, op);                                                                            \
    if (err) {                                                                                                         \
        errno = err;                                                                                                   \
        return -1;                                                                                                     \
    }                                                                                                                  \
    int fd = call;                                                                                                     \
    if (fd >= 0) forget(fd);                                                                                           \
    return fd

#define MODE_ARG(flags)                                                                                                \
    mode_t mode = 0;                                                                                                   \
    if (takes_mode(flags)) {                                                                                           \
        va_list ap;                                                                                                    \
        va_start(ap, flags);                                                                                           \
        mode = (mode_t)va_arg(ap, int);                                                                                \
        va_end(ap);                                                                                                    \
    }

int open(const char *path, int flags, ...) {
    NEED(open);
    MODE_ARG(flags);
    OPEN_BODY(AT_FDCWD, real_open(path, flags, mode), "open");
}

int open64(const char *path, int flags, ...) {
    NEED(open64);
    MODE_ARG(flags);
    OPEN_BODY(AT_FDCWD, real_open64(path, flags, mode), "open");
}

int openat(int dirfd, const char *path, int flags, ...) {
    NEED(openat);
    MODE_ARG(flags);
    OPEN_BODY(dirfd, real_openat(dirfd, path, flags, mode), "openat");
}

int openat64(int dirfd, const char *path, int flags, ...) {
    NEED(openat64);
    MODE_ARG(flags);
    OPEN_BODY(dirfd, real_openat64(dirfd, path, flags, mode), "openat");
}

/* What _FORTIFY_SOURCE builds call instead of open / openat. */
int __open_2(const char *path, int flags);
int __open_2(const char *path, int flags) {
    NEED(__open_2);
    OPEN_BODY(AT_FDCWD, real___open_2(path, flags), "open");
}

int __open64_2(const char *path, int flags);
int __open64_2(const char *path, int flags) {
    NEED(__open64_2);
    OPEN_BODY(AT_FDCWD, real___open64_2(path, flags), "open");
}

int __openat_2(int dirfd, const char *path, int flags);
int __openat_2(int dirfd, const char *path, int flags) {
    NEED(__openat_2);
    OPEN_BODY(dirfd, real___openat_2(dirfd, path, flags), "openat");
}

int __openat64_2(int dirfd, const char *path, int flags);
int __openat64_2(int dirfd, const char *path, int flags) {
    NEED(__openat64_2);
    OPEN_BODY(dirfd, real___openat64_2(dirfd, path, flags), "openat");
}

int creat(const char *path, mode_t mode) {
    NEED(creat);
    OPEN_BODY(AT_FDCWD, real_creat(path, mode), "creat");
}

int creat64(const char *path, mode_t mode) {
    NEED(creat64);
    OPEN_BODY(AT_FDCWD, real_creat64(path, mode), "creat");
}

int close(int fd) {
    NEED(close);
    forget(fd);
    return real_close(fd);
}

int dup(int old) {
    NEED(dup);
    int fd = real_dup(old);
    if (fd >= 0) forget(fd);
    return fd;
}

int dup2(int old, int fd) {
    NEED(dup2);
    forget(fd);
    return real_dup2(old, fd);
}

int dup3(int old, int fd, int flags) {
    NEED(dup3);
    forget(fd);
    return real_dup3(old, fd, flags);
}

int rename(const char *from, const char *to) {
    NEED(rename);
    int r = real_rename(from, to);
    if (r == 0) forget_all();
    return r;
}

int renameat(int fromfd, const char *from, int tofd, const char *to) {
    NEED(renameat);
    int r = real_renameat(fromfd, from, tofd, to);
    if (r == 0) forget_all();
    return r;
}

int renameat2(int fromfd, const char *from, int tofd, const char *to, unsigned int flags) {
    NEED(renameat2);
    int r = real_renameat2(fromfd, from, tofd, to, flags);
    if (r == 0) forget_all();
    return r;
}
