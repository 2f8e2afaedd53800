/*
 * faultfs_probe.c — a tiny program for faultfs_selftest.sh: it runs the file
 * operations named on its command line, in order, on one "current" file and
 * prints one line per operation with what the call returned, so the self-test
 * can compare the output with what faultfs (LD_PRELOADed) should have done.
 *
 *   open:PATH          close the current file, open PATH (O_RDWR | O_CREAT)
 *   open_dsync:PATH    the same with O_DSYNC
 *   opendir:PATH       open a directory (O_RDONLY | O_DIRECTORY)
 *   openat:DIR:NAME    openat() of NAME relative to DIR (O_RDWR | O_CREAT)
 *   creat:PATH         creat()
 *   write:N  pwrite:N  writev:N  pwritev:N  pwritev2_dsync:N
 *                      N bytes at the end of the file (the vector calls: in 2 pieces)
 *   fsync  fdatasync  sync_file_range
 *   fallocate:N  posix_fallocate:N  ftruncate:N
 *   close              close(2)
 *   sysclose           syscall(SYS_close), which faultfs does not see (libuv does this)
 *   dup2:N             dup2 the current file onto descriptor base+N, which becomes current
 *   rename:OLD:NEW     rename(2)
 *   ctl:TEXT           rewrite $FAULTFS_CONTROL in place with TEXT (';' separates lines)
 *   size               the current file's size
 *   threads:T:N        T threads each write 10 bytes N times to the current file
 *
 * Output: "OP [ARG] -> RESULT" where RESULT is the return value, followed by
 * the errno name when the call failed ("write 100 -> -1 EIO"); open-type
 * operations print "fd base+N", counting from the lowest descriptor free when
 * the probe started (whatever the test runner left open). Exits 2 on a bad
 * command line, else 0.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

static int cur = -1;
static int base; /* the lowest free descriptor at start: a test runner may leave others open */
static char data[1 << 16];

static const char *ename(int err) {
    static char buf[32];
    switch (err) {
    case EIO: return "EIO";
    case ENOSPC: return "ENOSPC";
    case EDQUOT: return "EDQUOT";
    case EROFS: return "EROFS";
    case EFBIG: return "EFBIG";
    case EINTR: return "EINTR";
    case EAGAIN: return "EAGAIN";
    case EBADF: return "EBADF";
    case EINVAL: return "EINVAL";
    case ENOENT: return "ENOENT";
    case ENOSYS: return "ENOSYS";
    default: snprintf(buf, sizeof buf, "errno%d", err); return buf;
    }
}

/* Prints "name arg -> r" (and the errno name when r < 0). */
static void show(const char *name, const char *arg, long r, int err) {
    printf("%s%s%s -> %ld%s%s\n", name, arg ? " " : "", arg ? arg : "", r, r < 0 ? " " : "", r < 0 ? ename(err) : "");
}

static void show_fd(const char *name, int fd, int err) {
    if (fd >= 0) {
        cur = fd;
        printf("%s -> fd base+%d\n", name, fd - base);
    } else {
        printf("%s -> -1 %s\n", name, ename(err));
    }
}

static off_t end_of_file(void) {
    struct stat st;
    return fstat(cur, &st) == 0 ? st.st_size : 0;
}

static size_t count(const char *arg) {
    long n = arg ? strtol(arg, NULL, 10) : 0;
    if (n < 0 || (size_t)n > sizeof data) {
        fprintf(stderr, "faultfs_probe: bad byte count %s\n", arg);
        exit(2);
    }
    return (size_t)n;
}

static void write_control(const char *text) {
    const char *path = getenv("FAULTFS_CONTROL");
    char buf[4096];
    size_t n = 0;
    if (!path) {
        fprintf(stderr, "faultfs_probe: ctl needs FAULTFS_CONTROL\n");
        exit(2);
    }
    for (; *text && n < sizeof buf - 2; text++) buf[n++] = *text == ';' ? '\n' : *text;
    if (n > 0) buf[n++] = '\n';
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || write(fd, buf, n) != (ssize_t)n || close(fd) != 0) {
        perror("faultfs_probe: ctl");
        exit(2);
    }
    printf("ctl -> ok\n");
}

struct worker {
    int n, ok, failed, err;
};

static void *work(void *arg) {
    struct worker *w = arg;
    for (int i = 0; i < w->n; i++) {
        if (write(cur, data, 10) == 10) {
            w->ok++;
        } else {
            w->failed++;
            w->err = errno;
        }
    }
    return NULL;
}

static void threads(int t, int n) {
    pthread_t ids[64];
    struct worker ws[64] = {{0}};
    int ok = 0, failed = 0, err = 0;
    if (t < 1 || t > 64) exit(2);
    for (int i = 0; i < t; i++) {
        ws[i].n = n;
        if (pthread_create(&ids[i], NULL, work, &ws[i]) != 0) exit(2);
    }
    for (int i = 0; i < t; i++) {
        pthread_join(ids[i], NULL);
        ok += ws[i].ok;
        failed += ws[i].failed;
        if (ws[i].err) err = ws[i].err;
    }
    printf("threads %dx%d -> ok=%d failed=%d%s%s\n", t, n, ok, failed, err ? " " : "", err ? ename(err) : "");
}

/* Runs one operation "name[:arg[:arg2]]". */
static void run(char *op) {
    char *arg = strchr(op, ':'), *arg2 = NULL;
    if (arg) *arg++ = '\0';
    if (arg && (strcmp(op, "rename") == 0 || strcmp(op, "openat") == 0 || strcmp(op, "threads") == 0)) {
        arg2 = strchr(arg, ':');
        if (!arg2) exit(2);
        *arg2++ = '\0';
    }
    size_t n = 0;
    long r;
    errno = 0;
    if (strcmp(op, "open") == 0 || strcmp(op, "open_dsync") == 0 || strcmp(op, "opendir") == 0) {
        if (cur >= 0) close(cur);
        cur = -1;
        int flags = strcmp(op, "opendir") == 0 ? O_RDONLY | O_DIRECTORY : O_RDWR | O_CREAT;
        if (strcmp(op, "open_dsync") == 0) flags |= O_DSYNC;
        int fd = open(arg, flags, 0644);
        show_fd(op, fd, errno);
    } else if (strcmp(op, "openat") == 0) {
        if (cur >= 0) close(cur);
        cur = -1;
        int dir = open(arg, O_RDONLY | O_DIRECTORY);
        int fd = openat(dir, arg2, O_RDWR | O_CREAT, 0644);
        int err = errno;
        close(dir);
        show_fd(op, fd, err);
    } else if (strcmp(op, "creat") == 0) {
        if (cur >= 0) close(cur);
        cur = -1;
        int fd = creat(arg, 0644);
        show_fd(op, fd, errno);
    } else if (strcmp(op, "write") == 0) {
        lseek(cur, 0, SEEK_END);
        r = write(cur, data, count(arg));
        show(op, arg, r, errno);
    } else if (strcmp(op, "pwrite") == 0) {
        r = pwrite(cur, data, count(arg), end_of_file());
        show(op, arg, r, errno);
    } else if (strcmp(op, "writev") == 0 || strcmp(op, "pwritev") == 0 || strcmp(op, "pwritev2_dsync") == 0) {
        n = count(arg);
        struct iovec iov[2] = {{data, n / 3}, {data + n / 3, n - n / 3}};
        if (strcmp(op, "writev") == 0) {
            lseek(cur, 0, SEEK_END);
            r = writev(cur, iov, 2);
        } else if (strcmp(op, "pwritev") == 0) {
            r = pwritev(cur, iov, 2, end_of_file());
        } else {
            r = pwritev2(cur, iov, 2, end_of_file(), RWF_DSYNC);
        }
        show(op, arg, r, errno);
    } else if (strcmp(op, "fsync") == 0) {
        r = fsync(cur);
        show(op, NULL, r, errno);
    } else if (strcmp(op, "fdatasync") == 0) {
        r = fdatasync(cur);
        show(op, NULL, r, errno);
    } else if (strcmp(op, "sync_file_range") == 0) {
        r = sync_file_range(cur, 0, 0, SYNC_FILE_RANGE_WRITE);
        show(op, NULL, r, errno);
    } else if (strcmp(op, "fallocate") == 0) {
        r = fallocate(cur, 0, 0, (off_t)count(arg));
        show(op, arg, r, errno);
    } else if (strcmp(op, "posix_fallocate") == 0) {
        int e = posix_fallocate(cur, 0, (off_t)count(arg));
        printf("%s %s -> %s\n", op, arg, e ? ename(e) : "0");
    } else if (strcmp(op, "ftruncate") == 0) {
        r = ftruncate(cur, (off_t)count(arg));
        show(op, arg, r, errno);
    } else if (strcmp(op, "close") == 0) {
        r = close(cur);
        cur = -1;
        show(op, NULL, r, errno);
    } else if (strcmp(op, "sysclose") == 0) {
        r = syscall(SYS_close, cur);
        cur = -1;
        show(op, NULL, r, errno);
    } else if (strcmp(op, "dup2") == 0) {
        int fd = dup2(cur, base + (int)count(arg));
        close(cur);
        show_fd(op, fd, errno);
    } else if (strcmp(op, "rename") == 0) {
        r = rename(arg, arg2);
        show(op, NULL, r, errno);
    } else if (strcmp(op, "ctl") == 0) {
        write_control(arg ? arg : "");
    } else if (strcmp(op, "size") == 0) {
        printf("size -> %ld\n", (long)end_of_file());
    } else if (strcmp(op, "threads") == 0) {
        threads((int)count(arg), (int)count(arg2));
    } else {
        fprintf(stderr, "faultfs_probe: unknown operation %s\n", op);
        exit(2);
    }
}

int main(int argc, char **argv) {
    memset(data, 'x', sizeof data);
    base = open("/dev/null", O_RDONLY);
    if (base < 0 || close(base) != 0) return 2;
    setvbuf(stdout, NULL, _IOLBF, 0);
    for (int i = 1; i < argc; i++) run(argv[i]);
    return 0;
}
