/*
 * hba.c — which authentication a connection gets: strand_hba.conf in the
 * data folder, in pg_hba.conf's format, read again whenever the file
 * changed. The first line matching the connection decides.
 *
 *   # TYPE     DATABASE  USER      ADDRESS          METHOD
 *   local      all       all                        trust
 *   host       all       alice     10.0.0.0/8       scram-sha-256
 *   hostssl    db1,db2   all       ::1/128          password
 *   hostnossl  all       all       all              reject
 *
 * TYPE: local (Unix socket), host (TCP), hostssl / hostnossl (TCP with /
 * without TLS). DATABASE and USER: all, or names separated by commas.
 * ADDRESS (not for local): all, an address with a /prefix, or an address
 * and a mask as the next field. METHOD: trust, reject, password, md5
 * (which runs SCRAM, the only form passwords are kept in) and
 * scram-sha-256. A file that does not exist is written with DESIGN.md's
 * defaults: the Unix socket and loopback trusted, any other address
 * SCRAM-SHA-256.
 *
 * INTERFACE (server-internal): hba_method
 */
#include "server/server_int.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char DEFAULT_HBA[] = "# strand_hba.conf: who may connect, and how they prove who they are\n"
                                  "# (pg_hba.conf's format; the first matching line decides).\n"
                                  "# TYPE  DATABASE  USER  ADDRESS       METHOD\n"
                                  "local   all       all                 trust\n"
                                  "host    all       all   127.0.0.1/32  trust\n"
                                  "host    all       all   ::1/128       trust\n"
                                  "host    all       all   all           scram-sha-256\n";

/* Whether the list ("all" or a,b,c) names `name`. */
static bool list_matches(const char *list, const char *name) {
    if (!strcmp(list, "all")) return true;
    size_t n = strlen(name);
    for (const char *p = list; *p;) {
        size_t len = strcspn(p, ",");
        if (len == n && !strncmp(p, name, n)) return true;
        p += len + (p[len] == ',');
    }
    return false;
}

/* Whether addr lies in the network net/prefix (or net with mask). */
static bool address_matches(const char *spec, const char *mask, const char *addr, bool *used_mask, Error *err) {
    *used_mask = false;
    if (!strcmp(spec, "all")) return true;
    char net[64];
    snprintf(net, sizeof net, "%s", spec);
    int prefix = -1;
    char *slash = strchr(net, '/');
    if (slash) {
        *slash = '\0';
        prefix = atoi(slash + 1);
    }
    unsigned char a[16], b[16], m[16] = {0};
    int family = strchr(net, ':') ? AF_INET6 : AF_INET, len = family == AF_INET6 ? 16 : 4;
    if (inet_pton(family, net, b) != 1) {
        error_set(err, SQLSTATE_CONFIG_FILE_ERROR, "invalid IP address \"%s\" in strand_hba.conf", net);
        return false;
    }
    if (prefix < 0 && mask && inet_pton(family, mask, m) == 1) {
        *used_mask = true;
    } else {
        if (prefix < 0) prefix = len * 8;
        for (int i = 0; i < len; i++)
            m[i] = (unsigned char)(prefix >= (i + 1) * 8 ? 0xff : prefix <= i * 8 ? 0 : 0xff << (8 - prefix % 8));
    }
    /* An IPv4 client on an IPv6 socket shows as ::ffff:a.b.c.d. */
    const char *client = addr;
    if (family == AF_INET && !strncmp(addr, "::ffff:", 7)) client = addr + 7;
    if (inet_pton(family, client, a) != 1) return false;
    for (int i = 0; i < len; i++)
        if ((a[i] & m[i]) != (b[i] & m[i])) return false;
    return true;
}

static bool method_of(const char *word, HbaMethod *out) {
    static const struct {
        const char *name;
        HbaMethod m;
    } METHODS[] = {{"trust", HBA_TRUST},
                   {"reject", HBA_REJECT},
                   {"password", HBA_PASSWORD},
                   {"md5", HBA_SCRAM},
                   {"scram-sha-256", HBA_SCRAM}};
    for (size_t i = 0; i < ARRAY_LEN(METHODS); i++)
        if (!strcmp(word, METHODS[i].name)) return *out = METHODS[i].m, true;
    return false;
}

/* One line of the file against the connection: 1 matches (with *method),
 * 0 does not, -1 a malformed line (err). */
static int line_matches(char *line, int lineno, const PgPeer *peer, const char *db, const char *user, HbaMethod *method,
                        Error *err) {
    char *fields[8];
    int n = 0;
    for (char *tok = strtok(line, " \t\r\n"); tok && n < 8 && tok[0] != '#'; tok = strtok(NULL, " \t\r\n"))
        fields[n++] = tok;
    if (n == 0) return 0;
    const char *type = fields[0];
    bool local = !strcmp(type, "local");
    int need = local ? 4 : 5;
    if (n < need || (!local && strcmp(type, "host") && strcmp(type, "hostssl") && strcmp(type, "hostnossl"))) {
        error_set(err, SQLSTATE_CONFIG_FILE_ERROR, "invalid line %d in strand_hba.conf", lineno);
        return -1;
    }
    if (local != peer->local) return 0;
    if (!strcmp(type, "hostssl") && !peer->tls) return 0;
    if (!strcmp(type, "hostnossl") && peer->tls) return 0;
    if (!list_matches(fields[1], db) || !list_matches(fields[2], user)) return 0;
    int mfield = local ? 3 : 4;
    if (!local) {
        bool used_mask;
        bool in = address_matches(fields[3], n > 5 ? fields[4] : NULL, peer->addr, &used_mask, err);
        if (err->set) return -1;
        if (used_mask) mfield = 5;
        if (!in) return 0;
    }
    if (mfield >= n || !method_of(fields[mfield], method)) {
        error_set(err, SQLSTATE_CONFIG_FILE_ERROR, "invalid authentication method on line %d of strand_hba.conf",
                  lineno);
        return -1;
    }
    return 1;
}

bool hba_method(const char *data_dir, const PgPeer *peer, const char *db, const char *user, HbaMethod *method,
                Error *err) {
    char path[600];
    if (!data_dir) return *method = HBA_TRUST, true; /* no data folder (unit tests): trust */
    snprintf(path, sizeof path, "%s/strand_hba.conf", data_dir);
    FILE *f = fopen(path, "r");
    if (!f) {
        FILE *w = fopen(path, "wx");
        if (w) {
            fputs(DEFAULT_HBA, w);
            fclose(w);
        }
        f = fopen(path, "r");
    }
    if (!f) return error_set(err, SQLSTATE_CONFIG_FILE_ERROR, "could not open \"%s\": %m", path);
    char line[1024];
    int lineno = 0, found = 0;
    while (!found && fgets(line, sizeof line, f)) found = line_matches(line, ++lineno, peer, db, user, method, err);
    fclose(f);
    if (found < 0) return false;
    if (found) return true;
    error_set(err, SQLSTATE_INVALID_AUTHORIZATION_SPECIFICATION,
              "no strand_hba.conf entry for host \"%s\", user \"%s\", database \"%s\", %s",
              peer->local ? "[local]" : peer->addr, user, db, peer->tls ? "SSL encryption" : "no encryption");
    return false;
}
