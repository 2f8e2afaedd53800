/*
 * scanner.c — tree-sitter's external scanner for the one token no regular
 * expression can describe: a dollar-quoted string, $tag$ ... $tag$, whose
 * closing delimiter repeats the opening tag (PostgreSQL, 4.1.2.4). The tag
 * is empty or an identifier without '$' that does not start with a digit,
 * so `$1` stays a parameter. The token includes both delimiters; lower.c
 * takes the body between them.
 *
 * An unterminated dollar quote is not a token here: the lexical scan in
 * syntax.c reports it as PostgreSQL does.
 *
 * It keeps no state between tokens, so (de)serialisation is empty.
 *
 * INTERFACE: the tree_sitter_sql_external_scanner_* functions the
 * generated parser calls.
 */
#include <stdbool.h>
#include <stdint.h>
#include <tree_sitter/parser.h>

enum { DOLLAR_STRING };

#define TAG_MAX 64

static bool tag_char(int32_t c, bool first) {
    if (c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80) return true;
    return !first && c >= '0' && c <= '9';
}

/* Reads "tag$" after the opening '$'; false if that is not a delimiter. */
static bool read_tag(TSLexer *lx, int32_t *tag, int *len) {
    *len = 0;
    while (lx->lookahead != '$') {
        if (!tag_char(lx->lookahead, *len == 0) || *len == TAG_MAX) return false;
        tag[(*len)++] = lx->lookahead;
        lx->advance(lx, false);
    }
    lx->advance(lx, false);
    return true;
}

/* After a '$' in the body: whether "tag$" follows (consumed either way as
 * far as it matched; a partial match is just body text). */
static bool closes(TSLexer *lx, const int32_t *tag, int len) {
    for (int i = 0; i < len; i++) {
        if (lx->lookahead != tag[i]) return false;
        lx->advance(lx, false);
    }
    if (lx->lookahead != '$') return false;
    lx->advance(lx, false);
    return true;
}

bool tree_sitter_sql_external_scanner_scan(void *payload, TSLexer *lx, const bool *valid) {
    (void)payload;
    if (!valid[DOLLAR_STRING]) return false;
    while (lx->lookahead == ' ' || lx->lookahead == '\t' || lx->lookahead == '\n' || lx->lookahead == '\r' ||
           lx->lookahead == '\f' || lx->lookahead == '\v')
        lx->advance(lx, true);
    if (lx->lookahead != '$') return false;
    lx->advance(lx, false);
    int32_t tag[TAG_MAX];
    int len;
    if (!read_tag(lx, tag, &len)) return false;
    while (!lx->eof(lx)) {
        if (lx->lookahead != '$') {
            lx->advance(lx, false);
            continue;
        }
        lx->advance(lx, false);
        if (closes(lx, tag, len)) {
            lx->mark_end(lx);
            lx->result_symbol = DOLLAR_STRING;
            return true;
        }
    }
    return false;
}

void *tree_sitter_sql_external_scanner_create(void) { return NULL; }
void tree_sitter_sql_external_scanner_destroy(void *payload) { (void)payload; }
unsigned tree_sitter_sql_external_scanner_serialize(void *payload, char *buffer) {
    (void)payload;
    (void)buffer;
    return 0;
}
void tree_sitter_sql_external_scanner_deserialize(void *payload, const char *buffer, unsigned length) {
    (void)payload;
    (void)buffer;
    (void)length;
}
