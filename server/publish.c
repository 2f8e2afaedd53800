/*
 * publish.c — `strand publish [--db NAME] [--name MODULE] file.c`: sends
 * the file to a running strand as CREATE OR REPLACE MODULE, through libpq,
 * so the usual PG* variables (PGHOST, PGPORT, PGUSER, PGPASSWORD, ...)
 * say where. The module is named after the file (chat.c -> chat) unless
 * --name says otherwise. The body is dollar-quoted with a tag the file
 * does not contain.
 *
 * Exit status: 0 published, 1 the server refused it (its error printed as
 * psql prints one, with the compiler's line), 2 bad usage or unreadable
 * file or no connection.
 *
 * INTERFACE: server_publish
 */
#include "server/server.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char USAGE[] = "usage: strand publish [--db NAME] [--name MODULE] FILE.c\n"
                            "  connects as psql does (PGHOST, PGPORT, PGUSER, PGPASSWORD, ...)\n";

static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    for (size_t got; buf && (got = fread(buf + n, 1, cap - n, f)) > 0;) {
        n += got;
        if (n == cap && !(buf = realloc(buf, (cap *= 2) + 1))) break;
    }
    bool failed = ferror(f);
    fclose(f);
    if (!buf || failed) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* "chat.c", "src/chat.c" -> "chat" */
static void module_name(const char *path, char *out, size_t cap) {
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    snprintf(out, cap, "%s", base);
    char *dot = strrchr(out, '.');
    if (dot && dot != out) *dot = '\0';
}

/* A dollar-quote tag that does not occur in the text. */
static void pick_tag(const char *text, char *tag, size_t cap) {
    for (int i = 0;; i++) {
        snprintf(tag, cap, i ? "$strand%d$" : "$strand$", i);
        if (!strstr(text, tag)) return;
    }
}

static int report(PGresult *res) {
    const char *sev = PQresultErrorField(res, PG_DIAG_SEVERITY);
    const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
    const char *detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
    const char *hint = PQresultErrorField(res, PG_DIAG_MESSAGE_HINT);
    fprintf(stderr, "strand publish: %s:  %s\n", sev ? sev : "ERROR", msg ? msg : PQresultErrorMessage(res));
    if (detail) fprintf(stderr, "DETAIL:  %s\n", detail);
    if (hint) fprintf(stderr, "HINT:  %s\n", hint);
    return 1;
}

int server_publish(int argc, char **argv) {
    const char *db = NULL, *name = NULL, *file = NULL;
    for (int i = 2; i < argc; i++) {
        if ((strcmp(argv[i], "--db") == 0 || strcmp(argv[i], "--name") == 0) && i + 1 < argc) {
            *(strcmp(argv[i], "--db") == 0 ? &db : &name) = argv[i + 1];
            i++;
        } else if (strcmp(argv[i], "--help") == 0) {
            fputs(USAGE, stdout);
            return 0;
        } else if (argv[i][0] != '-' && !file) {
            file = argv[i];
        } else {
            fputs(USAGE, stderr);
            return 2;
        }
    }
    if (!file) {
        fputs(USAGE, stderr);
        return 2;
    }
    size_t len;
    char *source = read_file(file, &len);
    if (!source) {
        perror(file);
        return 2;
    }
    char module[128], tag[32];
    if (name)
        snprintf(module, sizeof module, "%s", name);
    else
        module_name(file, module, sizeof module);
    pick_tag(source, tag, sizeof tag);
    const char *keys[] = {"dbname", "fallback_application_name", NULL};
    const char *values[] = {db, "strand publish", NULL};
    PGconn *conn = PQconnectdbParams(keys, values, 1);
    if (PQstatus(conn) != CONNECTION_OK) {
        fprintf(stderr, "strand publish: %s", PQerrorMessage(conn));
        PQfinish(conn);
        free(source);
        return 2;
    }
    char *quoted = PQescapeIdentifier(conn, module, strlen(module));
    size_t cap = len + strlen(quoted) + 2 * strlen(tag) + 64;
    char *sql = malloc(cap);
    if (!sql) abort();
    snprintf(sql, cap, "CREATE OR REPLACE MODULE %s LANGUAGE c AS %s%s%s", quoted, tag, source, tag);
    PGresult *res = PQexec(conn, sql);
    int status = PQresultStatus(res) == PGRES_COMMAND_OK ? 0 : report(res);
    if (status == 0) printf("published module %s from %s\n", module, file);
    PQclear(res);
    PQfreemem(quoted);
    free(sql);
    free(source);
    PQfinish(conn);
    return status;
}
