/* test_common.c — arenas, strings, errors, UTF-8 positions. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "common/common.h"

/* common-arena-1: alignment, large requests, reset keeps one block. */
static void test_arena(void **state) {
    (void)state;
    Arena *a = arena_create(256);
    char *p = arena_alloc(a, 3);
    char *q = arena_alloc(a, 5);
    assert_int_equal((uintptr_t)p % 16, 0);
    assert_int_equal((uintptr_t)q % 16, 0);
    char *big = arena_alloc(a, 10000); /* larger than a block */
    memset(big, 'x', 10000);
    assert_string_equal(arena_sprintf(a, "%d-%s", 42, "x"), "42-x");
    assert_string_equal(arena_strndup(a, "abcdef", 3), "abc");
    arena_reset(a);
    assert_int_equal(a->used, 0);
    assert_non_null(arena_zalloc(a, 100));
    arena_destroy(a);
}

/* common-strbuf-1: appends grow the buffer and keep it terminated. */
static void test_strbuf(void **state) {
    (void)state;
    StrBuf b;
    strbuf_init(&b);
    for (int i = 0; i < 1000; i++) strbuf_appendf(&b, "%d,", i % 10);
    assert_int_equal(b.len, 2000);
    assert_int_equal(b.data[b.len], '\0');
    strbuf_reset(&b);
    strbuf_append_str(&b, "ab");
    strbuf_append_char(&b, 'c');
    assert_string_equal(b.data, "abc");
    strbuf_deinit(&b);
}

/* common-error-1: the fields of an ErrorResponse. */
static void test_error(void **state) {
    (void)state;
    Error e;
    assert_false(
        error_set(&e, SQLSTATE_UNIQUE_VIOLATION, "duplicate key value violates unique constraint \"%s\"", "t_pkey"));
    error_detail(&e, "Key (id)=(%d) already exists.", 1);
    assert_true(e.set);
    assert_string_equal(e.sqlstate, "23505");
    assert_string_equal(e.detail, "Key (id)=(1) already exists.");
    assert_string_equal(error_severity_name(e.severity), "ERROR");
    assert_string_equal(SQLSTATE_PROTOCOL_VIOLATION, "08P01");
}

/* common-utf8-1: positions count characters, not bytes. */
static void test_utf8(void **state) {
    (void)state;
    const char *s = "é = 'ü'";
    assert_int_equal(utf8_char_count(s, strlen(s)), 7);
    assert_int_equal(utf8_char_count(s, 2), 1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arena),
        cmocka_unit_test(test_strbuf),
        cmocka_unit_test(test_error),
        cmocka_unit_test(test_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
