/*
 * crash_transfers.c — the durability test: bank transfers from 8 connections
 * while the server is killed with SIGKILL at random moments, restarted on the
 * same data folder, and checked after every restart.
 *
 *   crash_transfers SERVER_CMD [KILLS]
 *
 * SERVER_CMD is started as `SERVER_CMD start --data DIR --port PORT --listen
 * 127.0.0.1` (strand's command line; tests/integration/pg-as-strand.sh gives
 * PostgreSQL 15 the same one, to check this test against the real thing) in
 * its own process group, with stdout and stderr appended to a log next to
 * DIR. Settings (environment): CRASH_KILLS (default 20, the KILLS argument
 * wins), CRASH_SEED (default time-based; always printed as "seed N"),
 * CRASH_MAX_DELAY_MS (the longest run before a kill, default 400; the
 * shortest is 20).
 *
 * Setup: accounts(id, balance) with 100 accounts of 1000, and an empty
 * transfers(id, src, dst, amount). Each round, every thread runs BEGIN;
 * UPDATE src; UPDATE dst; INSERT INTO transfers; COMMIT — one PQexec per
 * statement, so that the kill lands anywhere, COMMIT included — until its
 * connection dies; 40001 and 40P01 roll back and go on (deadlock_timeout is
 * 50ms, so that a deadlock ends within the round). A transfer is
 * acknowledged when COMMIT answered COMMIT; it is in doubt when COMMIT was
 * sent and the connection died before the answer. After the kill the server
 * is restarted (recovery may take a while: 60 s) and the data checked:
 *   (a) every acknowledged transfer is present;
 *   (b) every transfer present was acknowledged or in doubt (a transfer whose
 *       COMMIT was never sent, or that rolled back, is absent), and an
 *       in-doubt transfer keeps, over later restarts, the outcome it had
 *       after the first one;
 *   (c) the balances add up to 100 * 1000;
 *   (d) each balance is 1000 minus what its account sent plus what it
 *       received over the transfers present (nothing half applied);
 *   (e) each transfer row holds what was sent, and each account is there
 *       once.
 * A round in which nothing was acknowledged 3 times in a row fails too (the
 * server is not taking writes). At the end the server is stopped with
 * SIGTERM and must exit 0 within 10 s. Prints one line per round and
 * "crash_transfers: N kills, N acknowledged commits, 0 violations"; exits 1
 * on the first failure, printing what failed, the end of the server's log,
 * and keeping the temporary folder.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libpq-fe.h>
#include <limits.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define N_ACCOUNTS 100
#define INITIAL_BALANCE 1000
#define N_THREADS 8
#define MAX_AMOUNT 50
#define MIN_DELAY_MS 20
#define DEFAULT_MAX_DELAY_MS 400
#define DEFAULT_KILLS 20
#define START_TIMEOUT_S 30
#define RESTART_TIMEOUT_S 60
#define STOP_TIMEOUT_S 10
#define THREADS_TIMEOUT_S 30
#define PORT_FREE_TIMEOUT_S 10
#define IDLE_ROUNDS_LIMIT 3
#define MAX_REPORTED 30 /* violations printed per check round */
#define LOG_TAIL_LINES 40

/* ---- state shared by the main thread and the workers -------------------- */

static const char *server_cmd;
static char tmp_dir[PATH_MAX - 32], data_dir[PATH_MAX], log_path[PATH_MAX];
static char conninfo[256];
static int port;
static volatile pid_t server_pid = -1; /* also its process group */
static unsigned long long seed;
static atomic_int next_id = 1; /* transfer ids: 1, 2, ... over the whole run */

/* What the client knows about each transfer id. */
enum {
    T_NONE = 0, /* COMMIT never sent, or rolled back: must be absent */
    T_ACKED,    /* COMMIT answered COMMIT: must be present */
    T_IN_DOUBT, /* COMMIT sent, no answer: either, until the next check */
    T_KEPT,     /* was in doubt, present after a restart: must stay */
    T_GONE,     /* was in doubt, absent after a restart: must stay absent */
};
typedef struct {
    unsigned char state;
    short src, dst, amount;
} Transfer;
static Transfer *transfers; /* indexed by id, n_transfers entries */
static int n_transfers;

typedef struct {
    int id;
    short src, dst, amount;
    unsigned char state; /* T_ACKED or T_IN_DOUBT */
} Outcome;

typedef struct {
    int index;
    uint64_t rng;
    pthread_t thread;
    Outcome *log;
    size_t n_log, cap_log;
    bool connect_failed; /* set before the workers meet: error says why */
    long retries;        /* 40001 / 40P01 */
    char error[600];     /* an unexpected error: the test fails */
} Worker;

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int n_connected, n_finished;

/* ---- small helpers ------------------------------------------------------- */

static uint64_t rng_next(uint64_t *s) {
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static int rng_range(uint64_t *s, int lo, int hi) { return lo + (int)(rng_next(s) % (uint64_t)(hi - lo + 1)); }

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_ms(long ms) {
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR) continue;
}

static void ignore_notice(void *arg, const char *message) {
    (void)arg;
    (void)message;
}

static PGconn *connect_db(void) {
    PGconn *conn = PQconnectdb(conninfo);
    if (PQstatus(conn) == CONNECTION_OK) PQsetNoticeProcessor(conn, ignore_notice, NULL);
    return conn;
}

/* A one-line version of a libpq message (they end with newlines). */
static const char *one_line(const char *msg, char *buf, size_t size) {
    snprintf(buf, size, "%s", msg ? msg : "");
    for (char *p = buf; *p; p++)
        if (*p == '\n') *p = ' ';
    size_t n = strlen(buf);
    while (n > 0 && buf[n - 1] == ' ') buf[--n] = '\0';
    return buf;
}

/* "SQLSTATE: message" of a server error, else libpq's own message. */
static const char *error_text(PGresult *res, char *buf, size_t size) {
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    if (state && primary) {
        snprintf(buf, size, "%s: %s", state, primary);
        return buf;
    }
    return one_line(res ? PQresultErrorMessage(res) : "no result", buf, size);
}

static void log_note(const char *fmt, ...) {
    FILE *f = fopen(log_path, "a");
    if (!f) return;
    va_list ap;
    va_start(ap, fmt);
    fputs("== crash_transfers: ", f);
    vfprintf(f, fmt, ap);
    fputc('\n', f);
    va_end(ap);
    fclose(f);
}

static void print_log_tail(void) {
    FILE *f = fopen(log_path, "r");
    if (!f) return;
    static char buf[65536];
    long size = 0;
    if (fseek(f, 0, SEEK_END) == 0) size = ftell(f);
    long from = size > (long)sizeof buf - 1 ? size - (long)sizeof buf + 1 : 0;
    fseek(f, from, SEEK_SET);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    const char *start = buf + n;
    int lines = 0;
    if (start > buf && start[-1] == '\n') start--; /* the last line's newline */
    while (start > buf && !(start[-1] == '\n' && ++lines == LOG_TAIL_LINES)) start--;
    fprintf(stderr, "---- server log %s (last %d lines) ----\n%s", log_path, LOG_TAIL_LINES, start);
    if (n > 0 && buf[n - 1] != '\n') fputc('\n', stderr);
    fprintf(stderr, "---- end of server log ----\n");
}

static bool line_open; /* a round's line on stdout waits for its end */

/* Ends a round's line on stdout before anything goes to stderr. */
static void end_line(void) {
    if (line_open) putchar('\n');
    line_open = false;
    fflush(stdout);
}

/* Kills the server's whole process group (a wrapper, or children that
 * outlive the leader) and reaps the leader. */
static void kill_server(void) {
    pid_t pid = server_pid;
    if (pid <= 0) return;
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL);
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) continue;
    server_pid = -1;
}

/* The first failure ends the run: what failed, the server log, exit 1. */
static void fail(const char *fmt, ...) {
    va_list ap;
    end_line();
    fprintf(stderr, "crash_transfers: FAILED: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    kill_server();
    print_log_tail();
    fprintf(stderr, "crash_transfers: seed %llu; data folder and log kept in %s\n", seed, tmp_dir);
    exit(1);
}

static void on_signal(int sig) {
    if (server_pid > 0) kill(-server_pid, SIGKILL);
    signal(sig, SIG_DFL);
    raise(sig);
}

static void describe_status(int status, char *buf, size_t size) {
    if (WIFEXITED(status))
        snprintf(buf, size, "exit status %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        snprintf(buf, size, "killed by signal %d (%s)", WTERMSIG(status), strsignal(WTERMSIG(status)));
    else
        snprintf(buf, size, "wait status %d", status);
}

/* True (with its status described) once the server has exited. */
static bool server_exited(char *why, size_t size) {
    int status;
    if (server_pid <= 0) {
        snprintf(why, size, "not running");
        return true;
    }
    if (waitpid(server_pid, &status, WNOHANG) != server_pid) return false;
    describe_status(status, why, size);
    server_pid = -1;
    return true;
}

/* ---- the server process ---------------------------------------------------- */

static bool port_accepts(int p) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return false;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)p)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool ok = connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
    close(fd);
    return ok;
}

/* A port in 20000-40000 that binds on 127.0.0.1 and has no Unix socket. */
static int pick_port(uint64_t *rng) {
    for (int attempt = 0; attempt < 200; attempt++) {
        int p = rng_range(rng, 20000, 40000);
        char path[64];
        struct stat st;
        snprintf(path, sizeof path, "/tmp/.s.PGSQL.%d", p);
        if (lstat(path, &st) == 0) continue;
        snprintf(path, sizeof path, "/tmp/.s.PGSQL.%d.lock", p);
        if (lstat(path, &st) == 0) continue;
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        if (fd < 0) continue;
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)p)};
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        bool ok = bind(fd, (struct sockaddr *)&a, sizeof a) == 0;
        close(fd);
        if (ok) return p;
    }
    fail("no free port found in 20000-40000");
    return -1;
}

static void start_server(const char *why) {
    char port_s[16];
    snprintf(port_s, sizeof port_s, "%d", port);
    char *argv[] = {(char *)server_cmd, "start", "--data", data_dir, "--port", port_s, "--listen", "127.0.0.1", NULL};
    log_note("%s: %s start --data %s --port %s --listen 127.0.0.1", why, server_cmd, data_dir, port_s);
    fflush(stdout);
    fflush(stderr);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) fail("fork: %s", strerror(errno));
    if (pid == 0) {
        setpgid(0, 0);
        /* Dies with this program (but not across a set-user-ID exec). */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) _exit(127);
        int in = open("/dev/null", O_RDONLY);
        int out = open(log_path, O_WRONLY | O_APPEND | O_CREAT, 0644);
        if (in < 0 || out < 0) _exit(127);
        dup2(in, 0);
        dup2(out, 1);
        dup2(out, 2);
        close(in);
        close(out);
        signal(SIGPIPE, SIG_DFL);
        execv(server_cmd, argv);
        dprintf(2, "crash_transfers: could not run %s: %s\n", server_cmd, strerror(errno));
        _exit(127);
    }
    setpgid(pid, pid);
    server_pid = pid;
}

/* Polls SELECT 1 until it answers (true), the server exits, or the timeout
 * passes (false, with the reason in why). */
static bool wait_ready(int timeout_s, char *why, size_t size) {
    double deadline = now_s() + timeout_s;
    while (now_s() < deadline) {
        if (server_exited(why, size)) return false;
        PGconn *conn = connect_db();
        bool ok = false;
        if (PQstatus(conn) == CONNECTION_OK) {
            PGresult *res = PQexec(conn, "SELECT 1");
            ok = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1 &&
                 strcmp(PQgetvalue(res, 0, 0), "1") == 0;
            PQclear(res);
        }
        PQfinish(conn);
        if (ok && !server_exited(why, size)) return true;
        sleep_ms(50);
    }
    snprintf(why, size, "still running but not answering SELECT 1 after %d s", timeout_s);
    return false;
}

/* Stops the server with SIGTERM; it must exit 0 within STOP_TIMEOUT_S. */
static void stop_server(void) {
    char why[128];
    kill(server_pid, SIGTERM);
    double deadline = now_s() + STOP_TIMEOUT_S;
    while (!server_exited(why, sizeof why)) {
        if (now_s() > deadline) fail("the server did not stop within %d s of SIGTERM", STOP_TIMEOUT_S);
        sleep_ms(20);
    }
    if (strcmp(why, "exit status 0") != 0) fail("the server ended with %s after SIGTERM (expected exit status 0)", why);
    log_note("stopped with SIGTERM: exit status 0");
}

/* ---- the workload ------------------------------------------------------------ */

static void record(Worker *w, int id, int src, int dst, int amount, unsigned char state) {
    if (w->n_log == w->cap_log) {
        w->cap_log = w->cap_log ? 2 * w->cap_log : 256;
        w->log = realloc(w->log, w->cap_log * sizeof *w->log);
        if (!w->log) abort();
    }
    w->log[w->n_log++] =
        (Outcome){.id = id, .src = (short)src, .dst = (short)dst, .amount = (short)amount, .state = state};
}

/* True when a failed statement means the connection is gone. */
static bool connection_lost(PGconn *conn, PGresult *res) {
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    return PQstatus(conn) == CONNECTION_BAD || !state || strncmp(state, "57", 2) == 0;
}

/* One transfer. False once the connection is gone, or on an unexpected
 * result (then w->error says what). */
static bool run_transfer(Worker *w, PGconn *conn) {
    int src = rng_range(&w->rng, 1, N_ACCOUNTS), dst;
    do dst = rng_range(&w->rng, 1, N_ACCOUNTS);
    while (dst == src);
    int amount = rng_range(&w->rng, 1, MAX_AMOUNT);
    int id = atomic_fetch_add(&next_id, 1);
    char debit[128], credit[128], insert[128], msg[512];
    snprintf(debit, sizeof debit, "UPDATE accounts SET balance = balance - %d WHERE id = %d", amount, src);
    snprintf(credit, sizeof credit, "UPDATE accounts SET balance = balance + %d WHERE id = %d", amount, dst);
    snprintf(insert, sizeof insert, "INSERT INTO transfers VALUES (%d, %d, %d, %d)", id, src, dst, amount);
    const char *steps[] = {"BEGIN", debit, credit, insert, "COMMIT"};
    const char *tags[] = {"BEGIN", "UPDATE 1", "UPDATE 1", "INSERT 0 1", "COMMIT"};

    for (int i = 0; i < 5; i++) {
        bool commit = i == 4;
        PGresult *res = PQexec(conn, steps[i]);
        ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
        if (st == PGRES_COMMAND_OK) {
            bool tag_ok = strcmp(PQcmdStatus(res), tags[i]) == 0;
            if (!tag_ok)
                snprintf(w->error, sizeof w->error, "transfer %d: \"%s\" answered \"%s\" (expected \"%s\")", id,
                         steps[i], PQcmdStatus(res), tags[i]);
            PQclear(res);
            if (!tag_ok) return false;
            if (commit) record(w, id, src, dst, amount, T_ACKED);
            continue;
        }
        if (connection_lost(conn, res)) {
            PQclear(res);
            if (commit) record(w, id, src, dst, amount, T_IN_DOUBT);
            return false;
        }
        const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
        if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0) {
            PQclear(res);
            w->retries++;
            res = PQexec(conn, "ROLLBACK");
            st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
            if (st == PGRES_COMMAND_OK) {
                PQclear(res);
                return true;
            }
            bool lost = connection_lost(conn, res);
            if (!lost)
                snprintf(w->error, sizeof w->error, "transfer %d: ROLLBACK failed: %s", id,
                         error_text(res, msg, sizeof msg));
            PQclear(res);
            return false;
        }
        snprintf(w->error, sizeof w->error, "transfer %d: \"%s\" failed: %s", id, steps[i],
                 error_text(res, msg, sizeof msg));
        PQclear(res);
        return false;
    }
    return true;
}

static void *worker_main(void *arg) {
    Worker *w = arg;
    char msg[512];
    PGconn *conn = connect_db();
    bool ok = PQstatus(conn) == CONNECTION_OK;
    if (!ok) {
        w->connect_failed = true;
        snprintf(w->error, sizeof w->error, "connect: %s", one_line(PQerrorMessage(conn), msg, sizeof msg));
    } else {
        /* Transfers lock two accounts in random order: let deadlocks end
         * within a round (40P01, rolled back) instead of after 1 s. */
        PGresult *res = PQexec(conn, "SET deadlock_timeout = '50ms'");
        if (PQresultStatus(res) != PGRES_COMMAND_OK) {
            ok = false;
            w->connect_failed = true;
            snprintf(w->error, sizeof w->error, "SET deadlock_timeout: %s", error_text(res, msg, sizeof msg));
        }
        PQclear(res);
    }
    pthread_mutex_lock(&mu);
    n_connected++;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
    while (ok) ok = run_transfer(w, conn);
    PQfinish(conn);
    pthread_mutex_lock(&mu);
    n_finished++;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
    return NULL;
}

/* Waits until *counter reaches N_THREADS; false after timeout_s. */
static bool wait_count(int *counter, int timeout_s) {
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += timeout_s;
    bool ok = true;
    pthread_mutex_lock(&mu);
    while (*counter < N_THREADS && ok) ok = pthread_cond_timedwait(&cv, &mu, &deadline) != ETIMEDOUT;
    ok = *counter >= N_THREADS;
    pthread_mutex_unlock(&mu);
    return ok;
}

/* ---- checks -------------------------------------------------------------- */

static int n_violations, n_reported;

static void violation(const char *fmt, ...) {
    n_violations++;
    if (++n_reported > MAX_REPORTED) return;
    va_list ap;
    end_line();
    fprintf(stderr, "crash_transfers: VIOLATION: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static PGresult *query_rows(PGconn *conn, const char *sql, int ncols, const char *after) {
    char msg[512];
    PGresult *res = PQexec(conn, sql);
    if (PQresultStatus(res) != PGRES_TUPLES_OK || PQnfields(res) != ncols)
        fail("%s: \"%s\" failed: %s (the committed data did not survive)", after, sql,
             error_text(res, msg, sizeof msg));
    return res;
}

/* Checks (a)-(e) on the server as it is now; after the check, an in-doubt
 * transfer takes the outcome found (*doubt_kept of them were present).
 * Returns the number of transfers present. */
static int verify(const char *after, int *doubt_kept) {
    char msg[512];
    PGconn *conn = connect_db();
    if (PQstatus(conn) != CONNECTION_OK)
        fail("%s: could not connect: %s", after, one_line(PQerrorMessage(conn), msg, sizeof msg));
    PGresult *accounts = query_rows(conn, "SELECT id, balance FROM accounts ORDER BY id", 2, after);
    PGresult *rows = query_rows(conn, "SELECT id, src, dst, amount FROM transfers ORDER BY id", 4, after);
    PQfinish(conn);
    n_reported = 0;
    int before = n_violations;

    long expected[N_ACCOUNTS + 1], balance[N_ACCOUNTS + 1];
    int seen[N_ACCOUNTS + 1] = {0};
    for (int a = 1; a <= N_ACCOUNTS; a++) expected[a] = INITIAL_BALANCE, balance[a] = 0;
    long total = 0;
    for (int r = 0; r < PQntuples(accounts); r++) {
        long id = strtol(PQgetvalue(accounts, r, 0), NULL, 10), b = strtol(PQgetvalue(accounts, r, 1), NULL, 10);
        total += b;
        if (id < 1 || id > N_ACCOUNTS) {
            violation("(e) %s: unexpected account %ld (balance %ld)", after, id, b);
            continue;
        }
        if (seen[id]++) violation("(e) %s: account %ld appears %d times", after, id, seen[id]);
        balance[id] = b;
    }
    for (int a = 1; a <= N_ACCOUNTS; a++)
        if (!seen[a]) violation("(e) %s: account %d is missing", after, a);

    unsigned char *present = calloc((size_t)n_transfers + 1, 1);
    if (!present) abort();
    for (int r = 0; r < PQntuples(rows); r++) {
        long id = strtol(PQgetvalue(rows, r, 0), NULL, 10);
        long src = strtol(PQgetvalue(rows, r, 1), NULL, 10), dst = strtol(PQgetvalue(rows, r, 2), NULL, 10);
        long amount = strtol(PQgetvalue(rows, r, 3), NULL, 10);
        if (src >= 1 && src <= N_ACCOUNTS) expected[src] -= amount;
        if (dst >= 1 && dst <= N_ACCOUNTS) expected[dst] += amount;
        if (id < 1 || id >= n_transfers) {
            violation("(b) %s: transfer %ld is present but was never even started", after, id);
            continue;
        }
        if (present[id]++) violation("(e) %s: transfer %ld appears more than once", after, id);
        Transfer *t = &transfers[id];
        if (t->state == T_NONE)
            violation("(b) %s: transfer %ld is present but its COMMIT was never sent (or it rolled back)", after, id);
        else if (t->state == T_GONE)
            violation("(b) %s: transfer %ld (in doubt) is present, but was absent after an earlier restart", after, id);
        else if (src != t->src || dst != t->dst || amount != t->amount)
            violation("(e) %s: transfer %ld holds (%ld, %ld, %ld), but (%d, %d, %d) was sent", after, id, src, dst,
                      amount, t->src, t->dst, t->amount);
    }
    int acked_missing = 0, in_doubt = 0, in_doubt_present = 0;
    for (int id = 1; id < n_transfers; id++) {
        Transfer *t = &transfers[id];
        if (t->state == T_ACKED && !present[id]) {
            acked_missing++;
            violation("(a) %s: acknowledged transfer %d (%d -> %d, %d) is missing", after, id, t->src, t->dst,
                      t->amount);
        } else if (t->state == T_KEPT && !present[id]) {
            violation("(a) %s: transfer %d (in doubt, present after an earlier restart) is missing", after, id);
        } else if (t->state == T_IN_DOUBT) {
            in_doubt++;
            in_doubt_present += present[id] != 0;
            t->state = present[id] ? T_KEPT : T_GONE;
        }
    }
    if (doubt_kept) *doubt_kept = in_doubt_present;
    if (acked_missing > 0)
        fprintf(stderr, "crash_transfers: (a) %s: %d acknowledged transfers missing in all\n", after, acked_missing);
    if (total != (long)N_ACCOUNTS * INITIAL_BALANCE)
        violation("(c) %s: the balances add up to %ld, not %d", after, total, N_ACCOUNTS * INITIAL_BALANCE);
    for (int a = 1; a <= N_ACCOUNTS; a++)
        if (seen[a] && balance[a] != expected[a])
            violation("(d) %s: account %d has balance %ld, but the transfers present make it %ld", after, a, balance[a],
                      expected[a]);
    int n_present = PQntuples(rows);
    PQclear(accounts);
    PQclear(rows);
    free(present);
    if (n_violations > before) {
        if (n_reported > MAX_REPORTED)
            fprintf(stderr, "crash_transfers: ... %d violations in all\n", n_violations - before);
        fail("%d violations %s (%d transfers present, %d were in doubt)", n_violations - before, after, n_present,
             in_doubt);
    }
    return n_present;
}

/* ---- main ------------------------------------------------------------------ */

static void clean_client_env(void) {
    extern char **environ;
    char name[256];
    for (;;) {
        bool removed = false;
        for (char **e = environ; *e; e++) {
            if (strncmp(*e, "PG", 2) != 0) continue;
            const char *eq = strchr(*e, '=');
            size_t n = eq ? (size_t)(eq - *e) : strlen(*e);
            if (n >= sizeof name) continue;
            memcpy(name, *e, n);
            name[n] = '\0';
            unsetenv(name);
            removed = true;
            break;
        }
        if (!removed) return;
    }
}

static long env_long(const char *name, long fallback, long min) {
    const char *v = getenv(name);
    if (!v || !*v) return fallback;
    char *end;
    long n = strtol(v, &end, 10);
    if (*end || n < min) {
        fprintf(stderr, "crash_transfers: %s must be an integer >= %ld (got \"%s\")\n", name, min, v);
        exit(2);
    }
    return n;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

static void setup(void) {
    char msg[512], sql[4096];
    PGconn *conn = connect_db();
    if (PQstatus(conn) != CONNECTION_OK)
        fail("setup: could not connect: %s", one_line(PQerrorMessage(conn), msg, sizeof msg));
    int n = snprintf(sql, sizeof sql, "INSERT INTO accounts VALUES ");
    for (int a = 1; a <= N_ACCOUNTS; a++)
        n += snprintf(sql + n, sizeof sql - (size_t)n, "%s(%d, %d)", a > 1 ? ", " : "", a, INITIAL_BALANCE);
    const char *steps[] = {"CREATE TABLE accounts (id int PRIMARY KEY, balance int NOT NULL)", sql,
                           "CREATE TABLE transfers (id int PRIMARY KEY, src int NOT NULL, dst int NOT NULL, "
                           "amount int NOT NULL)"};
    for (int i = 0; i < 3; i++) {
        PGresult *res = PQexec(conn, steps[i]);
        if (PQresultStatus(res) != PGRES_COMMAND_OK)
            fail("setup: \"%.80s\" failed: %s", steps[i], error_text(res, msg, sizeof msg));
        PQclear(res);
    }
    PQfinish(conn);
}

/* Merges the workers' outcomes into transfers[]. */
static void merge(Worker *workers, long *acked, long *in_doubt, long *retries) {
    int n = atomic_load(&next_id);
    if (n > n_transfers) {
        transfers = realloc(transfers, (size_t)n * sizeof *transfers);
        if (!transfers) abort();
        memset(transfers + n_transfers, 0, (size_t)(n - n_transfers) * sizeof *transfers);
        n_transfers = n;
    }
    *acked = *in_doubt = *retries = 0;
    for (int i = 0; i < N_THREADS; i++) {
        Worker *w = &workers[i];
        for (size_t k = 0; k < w->n_log; k++) {
            Outcome *o = &w->log[k];
            transfers[o->id] = (Transfer){.state = o->state, .src = o->src, .dst = o->dst, .amount = o->amount};
            if (o->state == T_ACKED)
                ++*acked;
            else
                ++*in_doubt;
        }
        *retries += w->retries;
    }
}

/* One round: the workload, a SIGKILL after a random delay, the workers'
 * outcomes. Returns the number of acknowledged commits. */
static long run_round(int round, int kills, uint64_t *rng, int max_delay_ms) {
    Worker workers[N_THREADS];
    char why[128];
    memset(workers, 0, sizeof workers);
    n_connected = n_finished = 0;
    for (int i = 0; i < N_THREADS; i++) {
        workers[i].index = i;
        workers[i].rng = rng_next(rng);
        int rc = pthread_create(&workers[i].thread, NULL, worker_main, &workers[i]);
        if (rc != 0) fail("pthread_create: %s", strerror(rc));
    }
    if (!wait_count(&n_connected, THREADS_TIMEOUT_S)) fail("kill %d: the workers did not connect", round);
    for (int i = 0; i < N_THREADS; i++)
        if (workers[i].connect_failed) fail("kill %d: worker %d: %s", round, i, workers[i].error);

    int delay = rng_range(rng, MIN_DELAY_MS, max_delay_ms);
    sleep_ms(delay);
    if (server_exited(why, sizeof why))
        fail("kill %d: the server died on its own during the workload (%s), before the kill", round, why);
    kill_server();
    log_note("kill %d/%d: SIGKILL after %d ms", round, kills, delay);
    if (!wait_count(&n_finished, THREADS_TIMEOUT_S))
        fail("kill %d: workers still busy %d s after the kill (a connection that did not notice the server died)",
             round, THREADS_TIMEOUT_S);
    for (int i = 0; i < N_THREADS; i++) pthread_join(workers[i].thread, NULL);

    long acked, in_doubt, retries;
    merge(workers, &acked, &in_doubt, &retries);
    for (int i = 0; i < N_THREADS; i++) {
        if (workers[i].error[0]) fail("kill %d: worker %d: %s", round, i, workers[i].error);
        free(workers[i].log);
    }
    printf("kill %d/%d: after %d ms, %ld acknowledged, %ld in doubt, %ld retried (40001/40P01)", round, kills, delay,
           acked, in_doubt, retries);
    fflush(stdout);
    line_open = true;
    return acked;
}

int main(int argc, char **argv) {
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: crash_transfers SERVER_CMD [KILLS]\n");
        return 2;
    }
    server_cmd = argv[1];
    long kills = env_long("CRASH_KILLS", DEFAULT_KILLS, 1);
    if (argc == 3) {
        char *end;
        kills = strtol(argv[2], &end, 10);
        if (*end || kills < 1) {
            fprintf(stderr, "crash_transfers: KILLS must be a positive integer (got \"%s\")\n", argv[2]);
            return 2;
        }
    }
    int max_delay_ms = (int)env_long("CRASH_MAX_DELAY_MS", DEFAULT_MAX_DELAY_MS, MIN_DELAY_MS);
    if (getenv("CRASH_SEED") && *getenv("CRASH_SEED"))
        seed = strtoull(getenv("CRASH_SEED"), NULL, 10);
    else {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        seed = ((unsigned long long)ts.tv_sec * 1000003ULL) ^ (unsigned long long)ts.tv_nsec ^ (unsigned)getpid();
        seed %= 1000000000000ULL;
    }
    printf("seed %llu\n", seed);
    fflush(stdout);
    if (access(server_cmd, X_OK) != 0) {
        fprintf(stderr, "crash_transfers: %s is not executable\n", server_cmd);
        return 2;
    }

    clean_client_env();
    signal(SIGPIPE, SIG_IGN);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGHUP, on_signal);

    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp) tmp = "/tmp";
    if (strlen(tmp) + 24 >= sizeof tmp_dir) {
        fprintf(stderr, "crash_transfers: TMPDIR is too long\n");
        return 2;
    }
    snprintf(tmp_dir, sizeof tmp_dir, "%s/crash_transfers.XXXXXX", tmp);
    if (!mkdtemp(tmp_dir)) {
        fprintf(stderr, "crash_transfers: mkdtemp %s: %s\n", tmp_dir, strerror(errno));
        return 1;
    }
    chmod(tmp_dir, 0711); /* a server run as another user (pg-as-strand.sh as root) reaches DIR */
    snprintf(data_dir, sizeof data_dir, "%s/data", tmp_dir);
    snprintf(log_path, sizeof log_path, "%s/server.log", tmp_dir);

    /* The first start may lose its port to another test: try a few. */
    uint64_t port_rng = seed ^ ((uint64_t)getpid() << 20) ^ (uint64_t)time(NULL);
    char why[128];
    double t0 = now_s();
    for (int attempt = 1;; attempt++) {
        port = pick_port(&port_rng);
        snprintf(conninfo, sizeof conninfo,
                 "host=127.0.0.1 port=%d user=postgres dbname=postgres connect_timeout=5 sslmode=disable "
                 "gssencmode=disable application_name=crash_transfers",
                 port);
        start_server("first start");
        if (wait_ready(START_TIMEOUT_S, why, sizeof why)) break;
        if (server_pid > 0 || attempt == 5) fail("the server did not start: %s", why);
        log_note("exited (%s); trying another port", why);
    }
    printf("server %s on port %d, data %s\n", server_cmd, port, data_dir);
    setup();
    verify("after setup", NULL);

    uint64_t rng = seed;
    long total_acked = 0;
    int idle_rounds = 0;
    for (int round = 1; round <= kills; round++) {
        long acked = run_round(round, (int)kills, &rng, max_delay_ms);
        total_acked += acked;
        idle_rounds = acked > 0 ? 0 : idle_rounds + 1;

        char after[64];
        snprintf(after, sizeof after, "after kill %d", round);
        /* Nothing may still listen on the port (a server process that escaped the kill). */
        double deadline = now_s() + PORT_FREE_TIMEOUT_S;
        while (port_accepts(port)) {
            if (now_s() > deadline)
                fail("%s: port %d still accepts connections %d s after the kill", after, port, PORT_FREE_TIMEOUT_S);
            sleep_ms(20);
        }
        double restart = now_s();
        start_server("restart");
        if (!wait_ready(RESTART_TIMEOUT_S, why, sizeof why)) fail("%s: the server did not come back: %s", after, why);
        restart = now_s() - restart;
        int kept;
        int present = verify(after, &kept);
        printf("; restart %.2f s; %d transfers verified, %d of the in-doubt present\n", restart, present, kept);
        fflush(stdout);
        line_open = false;
        if (idle_rounds >= IDLE_ROUNDS_LIMIT)
            fail("no commit acknowledged in %d rounds in a row: the server is not accepting writes", idle_rounds);
    }

    stop_server();
    double elapsed = now_s() - t0;
    printf("crash_transfers: %ld kills, %ld acknowledged commits, %d violations (%.1f s, %.2f s per kill)\n", kills,
           total_acked, n_violations, elapsed, elapsed / (double)kills);
    nftw(tmp_dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(transfers);
    return 0;
}
