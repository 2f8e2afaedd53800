/*
 * main.c — the command line: `strand start [--data DIR] [--port N]
 * [--listen ADDR] [-c name=value ...]`, and `strand publish` (publish.c). Creates the data folder, starts the engine on
 * a libuv loop (the engine thread) and stops cleanly on SIGINT / SIGTERM.
 *
 * Defaults are DESIGN.md's: port 5432, 127.0.0.1, ./strand-data, the Unix
 * socket /tmp/.s.PGSQL.<port>, trust for loopback and socket connections.
 */
#include "server/server.h"

#include <errno.h>
#include <signal.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <uv.h>

static const char USAGE[] =
    "strand — a database that is also the application server\n"
    "\n"
    "usage:\n"
    "  strand start [--data DIR] [--port N] [--listen ADDR] [--tls-cert FILE --tls-key FILE] [-c NAME=VALUE ...]\n"
    "  strand publish [--db NAME] [--name MODULE] FILE.c\n"
    "\n"
    "  --data DIR     data folder, created on first start (default ./strand-data)\n"
    "  --port N       TCP port and Unix socket /tmp/.s.PGSQL.N (default 5432)\n"
    "  --listen ADDR  TCP address (default 127.0.0.1)\n"
    "  --tls-cert FILE, --tls-key FILE\n"
    "                 TLS certificate and key (PEM); default: DIR/server.crt and\n"
    "                 DIR/server.key, made self-signed on first start\n"
    "  -c NAME=VALUE  a setting, as in postgresql.conf (synchronous_commit, wal_sync_method,\n"
    "                 wal_writer_delay, checkpoint_timeout, max_wal_size, lock_timeout, ...)\n";

static Engine *running;

static void on_signal(uv_signal_t *h, int signum) {
    fprintf(stderr, "strand: received signal %d, shutting down\n", signum);
    engine_stop(running);
    uv_stop(h->loop);
}

#define MAX_OPTIONS 64
static const char *options[MAX_OPTIONS];

static int parse_args(int argc, char **argv, EngineConfig *cfg) {
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(USAGE, stdout);
            exit(0);
        }
        if (!v) {
            fprintf(stderr, "strand: option %s needs a value\n%s", a, USAGE);
            return -1;
        }
        if (strcmp(a, "-c") == 0) {
            if (cfg->noptions == MAX_OPTIONS) {
                fprintf(stderr, "strand: too many -c options\n");
                return -1;
            }
            options[cfg->noptions++] = v;
            cfg->options = options;
        } else if (strcmp(a, "--data") == 0)
            cfg->data_dir = v;
        else if (strcmp(a, "--listen") == 0)
            cfg->listen_addr = v;
        else if (strcmp(a, "--tls-cert") == 0)
            cfg->tls_cert = v;
        else if (strcmp(a, "--tls-key") == 0)
            cfg->tls_key = v;
        else if (strcmp(a, "--port") == 0) {
            char *end;
            long port = strtol(v, &end, 10);
            if (*end || port < 1 || port > 65535) {
                fprintf(stderr, "strand: invalid port \"%s\"\n", v);
                return -1;
            }
            cfg->port = (int)port;
        } else {
            fprintf(stderr, "strand: unknown option %s\n%s", a, USAGE);
            return -1;
        }
        i++;
    }
    return 0;
}

static int make_data_dir(const char *dir) {
    if (mkdir(dir, 0700) == 0 || errno == EEXIST) {
        struct stat st;
        if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode)) return 0;
    }
    fprintf(stderr, "strand: could not create data directory \"%s\": %s\n", dir, strerror(errno ? errno : ENOTDIR));
    return -1;
}

static int start(int argc, char **argv) {
    EngineConfig cfg = {.data_dir = "./strand-data", .listen_addr = "127.0.0.1", .port = 5432, .socket_dir = "/tmp"};
    if (parse_args(argc, argv, &cfg) < 0) return 2;
    if (make_data_dir(cfg.data_dir) < 0) return 1;
    signal(SIGPIPE, SIG_IGN);
    uv_loop_t *loop = uv_default_loop();
    Error err = {0};
    Engine *e = engine_create(loop, &cfg, &err);
    if (!e) {
        fprintf(stderr, "strand: %s\n", err.message);
        uv_loop_close(loop);
        return 1;
    }
    if (!engine_listen(e, &err) || !engine_open_data(e, &err)) {
        fprintf(stderr, "strand: %s\n", err.message);
        engine_destroy(e);
        uv_run(loop, UV_RUN_NOWAIT);
        return 1;
    }
    fprintf(stderr, "strand: listening on %s port %d and /tmp/.s.PGSQL.%d (data: %s)\n", cfg.listen_addr, cfg.port,
            cfg.port, cfg.data_dir);
    running = e;
    uv_signal_t sigint, sigterm;
    uv_signal_init(loop, &sigint);
    uv_signal_init(loop, &sigterm);
    uv_signal_start(&sigint, on_signal, SIGINT);
    uv_signal_start(&sigterm, on_signal, SIGTERM);
    uv_run(loop, UV_RUN_DEFAULT);
    uv_close((uv_handle_t *)&sigint, NULL);
    uv_close((uv_handle_t *)&sigterm, NULL);
    uv_run(loop, UV_RUN_DEFAULT); /* let closing handles finish */
    engine_destroy(e);
    uv_loop_close(loop);
    return 0;
}

int main(int argc, char **argv) {
    stack_guard_init();
    /* glibc raises its mmap threshold each time a large block is freed, after
     * which big output buffers (a slow client's queued writes, TLS records)
     * come from the heap and fragment it: RSS then grows with the bytes a
     * COPY TO sends. A fixed threshold keeps them mapped and returned. */
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);
    if (argc >= 2 && strcmp(argv[1], "start") == 0) return start(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "publish") == 0) return server_publish(argc, argv);
    if (argc >= 2 && (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0)) {
        puts("strand 0.1 (PostgreSQL 15 protocol)");
        return 0;
    }
    fputs(USAGE, argc >= 2 && strcmp(argv[1], "--help") == 0 ? stdout : stderr);
    return argc >= 2 && strcmp(argv[1], "--help") == 0 ? 0 : 2;
}
