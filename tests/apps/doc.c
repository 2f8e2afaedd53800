/*
 * doc — collaborative documents (issue "Reducers in C", acceptance 1).
 *
 * Every edit names the version it was based on; an edit based on a stale
 * version is rejected (40001, so clients retry after reading the latest),
 * otherwise the document moves to the next version and the change is kept.
 */
#include <strand.h>

static void init(strand_ctx *ctx) {
    strand_exec(ctx, "CREATE TABLE doc_document (id int PRIMARY KEY, version int8 NOT NULL, body text NOT NULL)");
    strand_exec(ctx, "CREATE TABLE doc_change (doc int NOT NULL, version int8 NOT NULL, body text NOT NULL, "
                     "editor int8 NOT NULL, PRIMARY KEY (doc, version))");
}

static void create_document(strand_ctx *ctx, int32_t id, const char *body) {
    strand_exec(ctx, "INSERT INTO doc_document VALUES ($1, 1, $2)", STRAND_INT4(id), STRAND_TEXT(body ? body : ""));
}

static void edit_document(strand_ctx *ctx, int32_t id, int64_t base, const char *body, int64_t *version) {
    strand_result *d = strand_exec(ctx, "SELECT version FROM doc_document WHERE id = $1 FOR UPDATE", STRAND_INT4(id));
    if (strand_nrows(d) == 0) strand_error(ctx, "P0002", "no document %d", id);
    int64_t current = strand_int8(strand_get(d, 0, 0));
    if (base != current)
        strand_error(ctx, "40001", "document %d is at version %lld, not %lld", id, (long long)current, (long long)base);
    strand_exec(ctx, "UPDATE doc_document SET version = $2, body = $3 WHERE id = $1", STRAND_INT4(id),
                STRAND_INT8(current + 1), STRAND_TEXT(body));
    strand_exec(ctx, "INSERT INTO doc_change VALUES ($1, $2, $3, $4)", STRAND_INT4(id), STRAND_INT8(current + 1),
                STRAND_TEXT(body), STRAND_INT8(strand_connection_id(ctx)));
    *version = current + 1;
}

void strand_module(strand_module_def *m) {
    strand_on_init(m, init);
    strand_reducer(m, "create_document(id int, body text)", create_document);
    strand_reducer(m, "edit_document(id int, base int8, body text, OUT version int8)", edit_document);
}
