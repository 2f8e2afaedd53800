/*
 * notify.c — LISTEN / NOTIFY between sessions: who listens to which
 * channel, and handing a committed transaction's notifications to every
 * session listening on their channels (the session delivers them to its
 * client when it is idle, session.c N1).
 *
 * Listeners are few and channels short, so one list of (channel, session)
 * pairs is walked per publish; nothing here is on a hot path of sessions
 * that do not use notifications.
 *
 * INTERFACE (server-internal): notify__listen, notify__unlisten,
 *   notify__publish, notify_add, notify_free
 */
#include "server/server_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Listening {
    struct Listening *next;
    void *session;
    char channel[64];
} Listening;

static Listening **find(Engine *e, void *session, const char *channel) {
    Listening **l = (Listening **)&e->listening;
    for (; *l; l = &(*l)->next)
        if ((*l)->session == session && strcmp((*l)->channel, channel) == 0) return l;
    return NULL;
}

void notify__listen(Engine *e, void *session, const char *channel) {
    if (find(e, session, channel)) return;
    Listening *l = calloc(1, sizeof *l);
    if (!l) abort();
    l->session = session;
    snprintf(l->channel, sizeof l->channel, "%s", channel);
    l->next = e->listening;
    e->listening = l;
}

void notify__unlisten(Engine *e, void *session, const char *channel) {
    for (Listening **l = (Listening **)&e->listening; *l;) {
        if ((*l)->session == session && (!channel || strcmp((*l)->channel, channel) == 0)) {
            Listening *gone = *l;
            *l = gone->next;
            free(gone);
        } else {
            l = &(*l)->next;
        }
    }
}

/* Appends a copy of (pid, channel, payload) to *list, unless the list has
 * the same channel and payload already: PostgreSQL folds a transaction's
 * duplicates into one. */
bool notify_add(Notification **list, int32_t pid, const char *channel, const char *payload, bool fold) {
    Notification **tail = list;
    for (; *tail; tail = &(*tail)->next)
        if (fold && strcmp((*tail)->channel, channel) == 0 && strcmp((*tail)->payload, payload) == 0) return false;
    size_t cl = strlen(channel) + 1, pl = strlen(payload) + 1;
    Notification *n = malloc(sizeof *n + cl + pl);
    if (!n) abort();
    n->next = NULL;
    n->pid = pid;
    n->channel = n->text;
    n->payload = n->text + cl;
    memcpy(n->text, channel, cl);
    memcpy(n->text + cl, payload, pl);
    *tail = n;
    return true;
}

void notify_free(Notification *list) {
    while (list) {
        Notification *next = list->next;
        free(list);
        list = next;
    }
}

void notify__publish(Engine *e, const Notification *list) {
    for (const Notification *n = list; n; n = n->next)
        for (Listening *l = e->listening; l; l = l->next)
            if (strcmp(l->channel, n->channel) == 0) session__notified(l->session, n);
}
