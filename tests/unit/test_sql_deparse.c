/*
 * test_sql_deparse.c — the parse → deparse → parse round trip over a
 * corpus: every statement of the golden files' inputs (the .sql files of
 * tests/sql), of what real drivers, ORMs and psql send (tests/corpus/compat,
 * a copy of ../shared/compat) and of the .sql files of tests/corpus.
 *
 * For each statement that parses, its deparsed text must parse into an
 * AST equal to the first (sql_stmt_equal), and deparsing that must give
 * the same text again. A golden file's statement may fail to parse (it
 * tests an error); every statement of tests/corpus/ (the drivers' too)
 * must parse.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sql/sql.h"

#ifndef STRAND_TESTS_DIR
#error "STRAND_TESTS_DIR names the tests folder"
#endif

typedef struct Corpus {
    SqlParser *parser;
    Arena *arena;
    int parsed, round_tripped, failures;
} Corpus;

static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    size_t got = fread(s, 1, (size_t)n, f);
    s[got] = '\0';
    fclose(f);
    return s;
}

/* The end of a dollar quote's opening tag at s ($tag$), or NULL. */
static const char *dollar_tag_end(const char *s) {
    const char *p = s + 1;
    while (*p == '_' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')) p++;
    return *p == '$' && !(s[1] >= '0' && s[1] <= '9') ? p + 1 : NULL;
}

/* Where the statement starting at s ends: its ';' outside quotes and
 * comments, or the end of the text. psql's meta-commands (a line starting
 * with a backslash) are not SQL and end nothing. */
static const char *statement_end(const char *s) {
    const char *p = s;
    while (*p && *p != ';') {
        if (p[0] == '-' && p[1] == '-') {
            while (*p && *p != '\n') p++;
        } else if (p[0] == '/' && p[1] == '*') {
            int depth = 0;
            do {
                if (p[0] == '/' && p[1] == '*')
                    depth++, p += 2;
                else if (p[0] == '*' && p[1] == '/')
                    depth--, p += 2;
                else
                    p++;
            } while (*p && depth > 0);
        } else if (*p == '\'' || *p == '"') {
            char q = *p;
            bool backslashes = q == '\'' && p > s && (p[-1] == 'E' || p[-1] == 'e');
            for (p++; *p && *p != q; p++)
                if (backslashes && *p == '\\' && p[1]) p++;
            if (*p) p++;
        } else if (*p == '$' && dollar_tag_end(p)) {
            const char *body = dollar_tag_end(p);
            size_t tag = (size_t)(body - p);
            const char *close = body;
            while (*close && strncmp(close, p, tag) != 0) close++;
            p = *close ? close + tag : close;
        } else {
            p++;
        }
    }
    return p;
}

/* Skips blank lines, psql meta-commands and COPY's inline data (after a
 * COPY ... FROM stdin, up to its \. line). */
static const char *skip_non_sql(const char *p, bool copy_data) {
    if (copy_data) {
        const char *end = strstr(p, "\n\\.");
        p = end ? end + 3 : p + strlen(p);
    }
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
        if (*p != '\\') return p;
        while (*p && *p != '\n') p++;
    }
}

static bool copies_from_stdin(const Stmt *s) {
    return s->kind == STMT_COPY && s->u.copy.from && !s->u.copy.file && !s->u.copy.program;
}

static void report(Corpus *c, const char *file, const char *what, const char *text, const char *detail) {
    c->failures++;
    print_message("%s: %s\n  statement: %s\n  %s\n", file, what, text, detail);
}

/* One statement's round trip; false if it did not parse. */
static bool round_trip(Corpus *c, const char *file, const char *text, bool *copy_data) {
    StmtList first, second;
    Error err = {0};
    arena_reset(c->arena);
    if (!sql_parse(c->parser, text, strlen(text), c->arena, &first, &err)) return false;
    c->parsed++;
    *copy_data = first.n == 1 && copies_from_stdin(first.items[0]);
    for (int i = 0; i < first.n; i++) {
        StrBuf once, twice;
        strbuf_init(&once);
        strbuf_init(&twice);
        sql_deparse_stmt(&once, first.items[i]);
        strbuf_append_char(&once, '\0');
        if (!sql_parse(c->parser, once.data, strlen(once.data), c->arena, &second, &err) || second.n != 1) {
            report(c, file, "its deparsed text does not parse", text, once.data);
            print_message("  error: %s\n", err.message);
        } else if (!sql_stmt_equal(first.items[i], second.items[0])) {
            report(c, file, "its deparsed text parses into another tree", text, once.data);
        } else {
            sql_deparse_stmt(&twice, second.items[0]);
            strbuf_append_char(&twice, '\0');
            if (strcmp(once.data, twice.data) != 0)
                report(c, file, "deparsing is not stable", once.data, twice.data);
            else
                c->round_tripped++;
        }
        strbuf_deinit(&once);
        strbuf_deinit(&twice);
    }
    return true;
}

typedef enum { GOLDEN, CORPUS } Kind;

static void run_file(Corpus *c, const char *path, Kind kind) {
    char *all = read_file(path);
    assert_non_null(all);
    bool copy_data = false;
    for (const char *p = skip_non_sql(all, false); *p; p = skip_non_sql(p, copy_data)) {
        const char *end = statement_end(p);
        char *text = strndup(p, (size_t)(end - p));
        copy_data = false;
        if (!round_trip(c, path, text, &copy_data) && kind == CORPUS) report(c, path, "does not parse", text, "");
        copy_data &= kind == GOLDEN; /* the corpus's COPY FROM STDIN has no data after it */
        free(text);
        p = *end ? end + 1 : end;
    }
    free(all);
}

static int by_name(const struct dirent **a, const struct dirent **b) { return strcmp((*a)->d_name, (*b)->d_name); }

static void run_folder(Corpus *c, const char *folder, Kind kind) {
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/%s", STRAND_TESTS_DIR, folder);
    struct dirent **names;
    int n = scandir(dir, &names, NULL, by_name);
    assert_true(n >= 0);
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        size_t len = strlen(name);
        if (len > 4 && strcmp(name + len - 4, ".sql") == 0) {
            char path[8192];
            snprintf(path, sizeof path, "%s/%s", dir, name);
            run_file(c, path, kind);
        }
        free(names[i]);
    }
    free(names);
}

static void test_corpus_round_trips(void **state) {
    (void)state;
    Corpus c = {.parser = sql_parser_create(), .arena = arena_create(1 << 16)};
    run_folder(&c, "sql", GOLDEN);
    run_folder(&c, "corpus", CORPUS);
    run_folder(&c, "corpus/compat", CORPUS);
    print_message("round trip: %d statements parsed, %d round-tripped, %d failures\n", c.parsed, c.round_tripped,
                  c.failures);
    arena_destroy(c.arena);
    sql_parser_destroy(c.parser);
    assert_int_equal(c.failures, 0);
    assert_true(c.round_tripped >= 300);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corpus_round_trips),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
