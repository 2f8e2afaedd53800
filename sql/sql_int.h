/*
 * sql_int.h — what the files of sql/ share and no other folder includes.
 *
 *   syntax.c  tokens, lexical errors, the first syntax error (as PostgreSQL's LALR
 *             parser would find it) and the reserved-word check;
 *   lower.c   concrete syntax tree -> the AST of sql.h;
 *   sql.c     the parser object and sql_parse, which joins the two.
 */
#ifndef STRAND_SQL_INT_H
#define STRAND_SQL_INT_H

#include <tree_sitter/api.h>

#include "sql/sql.h"

const TSLanguage *tree_sitter_sql(void);

/* A problem found in the text, with the byte offset PostgreSQL would report.
 * `at_end` means "at end of input" (offset = len). */
typedef struct SqlProblem {
    bool found;
    uint32_t offset;
    bool at_end;
    const char *sqlstate;
    char message[256];
} SqlProblem;

/* The end of PostgreSQL's token starting at text[i] (not a blank); the
 * first byte from text[i] that is not a blank or inside a comment. */
size_t sql__token_end(const char *text, size_t len, size_t i);
size_t sql__skip_blank(const char *text, size_t len, size_t i);

/* The first lexical error (unterminated string, quoted identifier or comment,
 * zero-length identifier, trailing junk after a number or parameter). */
void sql__scan_lexical(const char *text, size_t len, SqlProblem *out);

/* The token at which an LR parser of our grammar first fails, found by
 * running the generated tables over the text without building a tree. */
void sql__first_syntax_error(const TSLanguage *lang, const char *text, size_t len, SqlProblem *out);

/* The first unquoted identifier that PostgreSQL reserves in its place in the
 * tree (a table or column named `select`), before byte `limit`. */
void sql__reserved_misuse(TSNode root, const char *text, size_t len, uint32_t limit, SqlProblem *out);

/* How PostgreSQL restricts a word (any case): 0 not at all (or unreserved),
 * 1 reserved, 2 a type or function name only. */
int sql__keyword_class(const char *word);

/* Sets `out` to "syntax error at or near "TOKEN"" for the token starting at
 * `offset`, or "syntax error at end of input" if only blanks follow. */
void sql__syntax_error_at(const char *text, size_t len, uint32_t offset, SqlProblem *out);

/* Lowers a tree without ERROR or MISSING nodes into `out`. Fails only for
 * what PostgreSQL also rejects after its grammar (a = b = c, two primary
 * keys) or strand does not support (0A000); `err->position` is then still a
 * byte offset + 1 that sql_parse converts. */
bool sql__lower(TSNode root, const char *text, Arena *arena, StmtList *out, Error *err);

#endif
