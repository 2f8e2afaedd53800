/* test_types.c — types: text and binary forms, order, typmods, numeric. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "types/types.h"

static const char *text_of(Value v, char *buf) {
    int len;
    const char *p = value_to_text(&v, buf, &len);
    if (p != buf) memcpy(buf, p, (size_t)len);
    buf[len] = '\0';
    return buf;
}

/* types-value-1: float8 prints as PostgreSQL 15 does (shortest exact). */
static void test_float8_text(void **state) {
    (void)state;
    char buf[VALUE_TEXT_BUF];
    assert_string_equal(text_of(value_float8(0.1 + 0.2), buf), "0.30000000000000004");
    assert_string_equal(text_of(value_float8(1e15), buf), "1e+15");
    assert_string_equal(text_of(value_float8(1e14), buf), "100000000000000");
    assert_string_equal(text_of(value_float8(1.5e-5), buf), "1.5e-05");
    assert_string_equal(text_of(value_float8(0.0001), buf), "0.0001");
    assert_string_equal(text_of(value_float8(123456789012345678.0), buf), "1.2345678901234568e+17");
    assert_string_equal(text_of(value_float8(-2.5), buf), "-2.5");
    assert_string_equal(text_of(value_float8(100), buf), "100");
    assert_string_equal(text_of(value_float8(-0.0), buf), "-0");
    assert_string_equal(text_of(value_float8(INFINITY), buf), "Infinity");
    assert_string_equal(text_of(value_float8(NAN), buf), "NaN");
    /* 4.611686016279904e+18 is exactly halfway to the next double down:
     * PostgreSQL (Ryu without bounds) prints one more digit. */
    assert_string_equal(text_of(value_float8(-4611686016279904256.0), buf), "-4.6116860162799043e+18");
    /* Next to a power of two (2^122) the shortest decimal is not the
     * correctly rounded one of its length. */
    assert_string_equal(text_of(value_float8(5.3169119831396635e+36), buf), "5.316911983139664e+36");
    assert_string_equal(text_of(value_float8(-0.017319091), buf), "-0.017319091");
    assert_string_equal(text_of(value_float8(4.9e-324), buf), "5e-324");
    assert_string_equal(text_of(value_float8(1.7976931348623157e308), buf), "1.7976931348623157e+308");
}

/* types-value-2: integer and boolean input, with PostgreSQL's errors. */
static void test_int_bool_input(void **state) {
    (void)state;
    Arena *a = arena_create(0);
    Value v;
    Error err = {0};
    assert_true(value_from_text(TYPE_INT4, " -42 ", 5, a, &v, &err));
    assert_int_equal(v.u.i, -42);
    assert_false(value_from_text(TYPE_INT4, "abc", 3, a, &v, &err));
    assert_string_equal(err.sqlstate, "22P02");
    assert_string_equal(err.message, "invalid input syntax for type integer: \"abc\"");
    assert_false(value_from_text(TYPE_INT4, "2147483648", 10, a, &v, &err));
    assert_string_equal(err.sqlstate, "22003");
    assert_string_equal(err.message, "value \"2147483648\" is out of range for type integer");
    assert_true(value_from_text(TYPE_INT4, "-2147483648", 11, a, &v, &err));
    assert_true(value_from_text(TYPE_INT8, "9223372036854775807", 19, a, &v, &err));
    assert_int_equal(v.u.i, INT64_MAX);
    assert_true(value_from_text(TYPE_BOOL, "yes", 3, a, &v, &err));
    assert_true(v.u.b);
    assert_true(value_from_text(TYPE_BOOL, "OFF", 3, a, &v, &err));
    assert_false(v.u.b);
    assert_false(value_from_text(TYPE_BOOL, "o", 1, a, &v, &err));
    arena_destroy(a);
}

/* types-value-3: varchar(n) typmod: assignment fails, explicit truncates. */
static void test_typmod(void **state) {
    (void)state;
    Error err = {0};
    Value v = value_string(TYPE_VARCHAR, "abcd", 4);
    assert_false(value_apply_typmod(&v, 3 + 4, false, NULL, &err));
    assert_string_equal(err.message, "value too long for type character varying(3)");
    assert_true(value_apply_typmod(&v, 3 + 4, true, NULL, &err));
    assert_int_equal(v.len, 3);
    Value spaces = value_string(TYPE_VARCHAR, "ab   ", 5);
    assert_true(value_apply_typmod(&spaces, 3 + 4, false, NULL, &err));
    assert_int_equal(spaces.len, 3);
}

static uint64_t lsn_in(const char *s, Error *err, bool *ok) {
    Arena *a = arena_create(0);
    Value v = {0};
    *ok = value_from_text(TYPE_PG_LSN, s, strlen(s), a, &v, err);
    arena_destroy(a);
    if (*ok) assert_int_equal(v.type, TYPE_PG_LSN);
    return (uint64_t)v.u.i;
}

/* types-value-4: pg_lsn text input and output, PostgreSQL's pg_lsn_in
 * and pg_lsn_out: "%X/%X", each half 1 to 8 hex digits, nothing around. */
static void test_pg_lsn_text(void **state) {
    (void)state;
    char buf[VALUE_TEXT_BUF];
    Error err = {0};
    bool ok;
    assert_true(lsn_in("0/16B3748", &err, &ok) == 0x16B3748 && ok);
    assert_true(lsn_in("FFFFFFFF/FFFFFFFF", &err, &ok) == UINT64_MAX && ok);
    assert_true(lsn_in("ffffffff/0", &err, &ok) == 0xFFFFFFFF00000000ull && ok);
    assert_true(lsn_in("00000000/00000001", &err, &ok) == 1 && ok);
    assert_true(lsn_in("aB/Cd", &err, &ok) == (0xABull << 32 | 0xCD) && ok);
    assert_string_equal(text_of(value_int(TYPE_PG_LSN, (int64_t)UINT64_MAX), buf), "FFFFFFFF/FFFFFFFF");
    assert_string_equal(text_of(value_int(TYPE_PG_LSN, 0), buf), "0/0");
    assert_string_equal(text_of(value_int(TYPE_PG_LSN, (int64_t)(0x16ull << 32 | 0xB374D848)), buf), "16/B374D848");
    /* Round trip across both halves. */
    static const uint64_t samples[] = {
        0,         1, 0xFFFFFFFF, 0x100000000ull, 0x7FFFFFFFFFFFFFFFull, 0x8000000000000000ull, 0x123456789ABCDEFull,
        UINT64_MAX};
    for (size_t i = 0; i < sizeof samples / sizeof *samples; i++) {
        text_of(value_int(TYPE_PG_LSN, (int64_t)samples[i]), buf);
        assert_true(lsn_in(buf, &err, &ok) == samples[i] && ok);
    }
    static const char *const bad[] = {"0/",    "/0",   "G/0",  "123456789/0", "0/123456789", "",
                                      "/",     "0",    " 0/1", "0/1 ",        "0/0/0",       "+1/0",
                                      "0x1/0", "-1/0", "0/-1", "1 /0",        "0/ 1",        "0/1\n"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        err = (Error){0};
        lsn_in(bad[i], &err, &ok);
        assert_false(ok);
        assert_string_equal(err.sqlstate, "22P02");
        char want[128];
        snprintf(want, sizeof want, "invalid input syntax for type pg_lsn: \"%s\"", bad[i]);
        assert_string_equal(err.message, want);
    }
    /* The input is the given length, not up to a NUL. */
    Arena *a = arena_create(0);
    Value v;
    assert_true(value_from_text(TYPE_PG_LSN, "1/2/3", 3, a, &v, &err));
    assert_true((uint64_t)v.u.i == (1ull << 32 | 2));
    arena_destroy(a);
}

/* types-value-5: pg_lsn's binary form (an int8, big-endian), its order
 * (unsigned) and hash, and its type entry. */
static void test_pg_lsn_binary_order(void **state) {
    (void)state;
    Arena *a = arena_create(0);
    Error err = {0};
    char buf[VALUE_TEXT_BUF];
    int len;
    Value v = value_int(TYPE_PG_LSN, (int64_t)0x8000000100000002ull), back;
    assert_true(value_has_binary(TYPE_PG_LSN));
    const char *p = value_to_binary(&v, buf, &len);
    assert_int_equal(len, 8);
    assert_memory_equal(p, "\x80\x00\x00\x01\x00\x00\x00\x02", 8);
    assert_true(value_from_binary(TYPE_PG_LSN, p, 8, a, &back, &err));
    assert_int_equal(back.type, TYPE_PG_LSN);
    assert_true(back.u.i == v.u.i);
    assert_false(value_from_binary(TYPE_PG_LSN, p, 4, a, &back, &err));
    assert_string_equal(err.sqlstate, "22P03");
    Value lo = value_int(TYPE_PG_LSN, 1), hi = value_int(TYPE_PG_LSN, (int64_t)UINT64_MAX);
    assert_int_equal(value_compare(&lo, &hi), -1); /* unsigned: FFFFFFFF/FFFFFFFF is the largest */
    assert_int_equal(value_compare(&hi, &v), 1);
    assert_int_equal(value_compare(&v, &v), 0);
    assert_true(value_equal(&back, &v));
    assert_true(value_hash(&back) == value_hash(&v));
    const TypeInfo *ti = type_by_name("pg_lsn");
    assert_non_null(ti);
    assert_int_equal(ti->id, 3220);
    assert_int_equal(ti->typlen, 8);
    assert_int_equal(ti->category, TYPCAT_USER);
    assert_ptr_equal(type_info(TYPE_PG_LSN), ti);
    arena_destroy(a);
}
static Value numeric(Arena *a, const char *s) {
    Value v;
    Error err = {0};
    assert_true(value_from_text(TYPE_NUMERIC, s, strlen(s), a, &v, &err));
    return v;
}

/* types-numeric-1: equal values compare and hash alike whatever their
 * scale; order is by value, NaN last and equal to itself. */
static void test_numeric_order(void **state) {
    (void)state;
    Arena *a = arena_create(0);
    const char *ascending[] = {"-Infinity", "-10", "-9.5",  "-0.001",   "0",  "0.000001", "1", "1.00000000000000000001",
                               "9",         "10",  "100.5", "Infinity", "NaN"};
    for (size_t i = 0; i < ARRAY_LEN(ascending); i++)
        for (size_t j = 0; j < ARRAY_LEN(ascending); j++) {
            Value x = numeric(a, ascending[i]), y = numeric(a, ascending[j]);
            assert_int_equal(value_compare(&x, &y), i < j ? -1 : i > j ? 1 : 0);
        }
    Value one = numeric(a, "1"), one_oo = numeric(a, "1.00"), zero = numeric(a, "-0.000"), nan = numeric(a, "nan");
    assert_int_equal(value_compare(&one, &one_oo), 0);
    assert_true(value_hash(&one) == value_hash(&one_oo));
    assert_int_equal(zero.len, 5); /* "0.000": no sign on zero, its scale kept */
    assert_true(value_hash(&nan) == value_hash(&nan));
    arena_destroy(a);
}

static Value jsonb(Arena *a, const char *s) {
    Value v;
    Error err = {0};
    assert_true(value_from_text(TYPE_JSONB, s, strlen(s), a, &v, &err));
    return v;
}

/* types-jsonb-1: jsonb's normal form; its order and hash read that text
 * (keys of objects of one size compare bytewise: "aa" < "b"). */
static void test_jsonb_order(void **state) {
    (void)state;
    Arena *a = arena_create(0);
    char buf[VALUE_TEXT_BUF];
    assert_string_equal(text_of(jsonb(a, " {\"bb\":1, \"a\" : [1.50, \"\\u0001\"], \"bb\": null} "), buf),
                        "{\"a\": [1.50, \"\\u0001\"], \"bb\": null}");
    const char *ascending[] = {"null",
                               "\"\"",
                               "\"\\n\"",
                               "\"a\"",
                               "\"ab\"",
                               "-1",
                               "1",
                               "false",
                               "true",
                               "[]",
                               "[1]",
                               "[2]",
                               "[1, 2]",
                               "{}",
                               "{\"aa\": 1}",
                               "{\"b\": 1}",
                               "{\"a\": 1, \"b\": 1}"};
    for (size_t i = 0; i < ARRAY_LEN(ascending); i++)
        for (size_t j = 0; j < ARRAY_LEN(ascending); j++) {
            Value x = jsonb(a, ascending[i]), y = jsonb(a, ascending[j]);
            int want = i < j ? -1 : i > j ? 1 : 0;
            /* a raw scalar sorts below a one-element array but above an empty one */
            if (strcmp(ascending[i], "[]") == 0 && ascending[j][0] != '[' && ascending[j][0] != '{') want = -1;
            if (strcmp(ascending[j], "[]") == 0 && ascending[i][0] != '[' && ascending[i][0] != '{') want = 1;
            assert_int_equal(value_compare(&x, &y), want);
        }
    Value x = jsonb(a, "[1.0, {\"a\": 2.00}]"), y = jsonb(a, "[1, {\"a\": 2}]");
    assert_int_equal(value_compare(&x, &y), 0);
    assert_true(value_hash(&x) == value_hash(&y));
    arena_destroy(a);
}

/* types-array-1: array_in and array_out round trip; order element by
 * element with NULL last, then shorter first, then by lower bound
 * ([0:0]={NULL} below {NULL}). */
static void test_array_order(void **state) {
    (void)state;
    Arena *a = arena_create(0);
    char buf[VALUE_TEXT_BUF];
    Value v;
    Error err = {0};
    const char *in = " { a , \"b c\", NULL,\"NULL\", \"\\\\\" } ";
    assert_true(value_from_text(TYPE_TEXTARRAY, in, strlen(in), a, &v, &err));
    assert_string_equal(text_of(v, buf), "{a,\"b c\",NULL,\"NULL\",\"\\\\\"}");
    const char *ascending[] = {"{}", "{1}", "{1,2}", "{1,2,3}", "{1,NULL}", "{2}", "[0:0]={NULL}", "{NULL}"};
    Value x, y;
    for (size_t i = 0; i < ARRAY_LEN(ascending); i++)
        for (size_t j = 0; j < ARRAY_LEN(ascending); j++) {
            assert_true(value_from_text(TYPE_INT4ARRAY, ascending[i], strlen(ascending[i]), a, &x, &err));
            assert_true(value_from_text(TYPE_INT4ARRAY, ascending[j], strlen(ascending[j]), a, &y, &err));
            int c = value_compare(&x, &y);
            int want = i < j ? -1 : i > j ? 1 : 0;
            assert_int_equal(c < 0 ? -1 : c > 0, want);
            if (!want) assert_true(value_hash(&x) == value_hash(&y));
        }
    assert_false(value_from_text(TYPE_INT4ARRAY, "{1,,2}", 6, a, &v, &err));
    assert_string_equal(err.sqlstate, "22P02");
    arena_destroy(a);
}

/* types-numeric-2: arithmetic is exact, with PostgreSQL's result scales. */
static void test_numeric_arith(void **state) {
    (void)state;
    Arena *a = arena_create(0);
    Error err = {0};
    char buf[VALUE_TEXT_BUF];
    static const struct {
        NumericOp op;
        const char *x, *y, *want;
    } CASES[] = {
        {NUMERIC_ADD, "0.1", "0.2", "0.3"},
        {NUMERIC_SUB, "1", "1.000", "0.000"},
        {NUMERIC_MUL, "1.5", "-2.25", "-3.375"},
        {NUMERIC_DIV, "1", "3", "0.33333333333333333333"},
        {NUMERIC_DIV, "10", "4.0", "2.5000000000000000"},
        {NUMERIC_MOD, "-7.5", "2", "-1.5"},
        {NUMERIC_DIV_TRUNC, "-7.5", "2", "-3"},
        {NUMERIC_ADD, "Infinity", "-Infinity", "NaN"},
        {NUMERIC_DIV, "5", "-Infinity", "0"},
    };
    for (size_t i = 0; i < ARRAY_LEN(CASES); i++) {
        Value x = numeric(a, CASES[i].x), y = numeric(a, CASES[i].y), r;
        assert_true(numeric_arith(CASES[i].op, &x, &y, a, &r, &err));
        assert_string_equal(text_of(r, buf), CASES[i].want);
    }
    Value one = numeric(a, "1"), zero = numeric(a, "0"), r;
    assert_false(numeric_arith(NUMERIC_DIV, &one, &zero, a, &r, &err));
    assert_string_equal(err.sqlstate, "22012");
    arena_destroy(a);
}

/* types-numeric-3: numeric(p, s) rounds half away from zero and rejects
 * what does not fit, with PostgreSQL's detail. */
static void test_numeric_typmod(void **state) {
    (void)state;
    Arena *a = arena_create(0);
    Error err = {0};
    char buf[VALUE_TEXT_BUF];
    int32_t typmod;
    int mods[2] = {5, 2};
    assert_true(numeric_typmod(2, mods, &typmod, &err));
    assert_int_equal(typmod, (5 << 16 | 2) + 4);
    Value v = numeric(a, "-123.455");
    assert_true(value_apply_typmod(&v, typmod, false, a, &err));
    assert_string_equal(text_of(v, buf), "-123.46");
    v = numeric(a, "999.995");
    assert_false(value_apply_typmod(&v, typmod, false, a, &err));
    assert_string_equal(err.message, "numeric field overflow");
    assert_string_equal(err.detail,
                        "A field with precision 5, scale 2 must round to an absolute value less than 10^3.");
    mods[0] = 1001;
    assert_false(numeric_typmod(1, mods, &typmod, &err));
    assert_string_equal(err.sqlstate, "22023");
    arena_destroy(a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_float8_text),
        cmocka_unit_test(test_int_bool_input),
        cmocka_unit_test(test_typmod),
        cmocka_unit_test(test_pg_lsn_text),
        cmocka_unit_test(test_pg_lsn_binary_order),
        cmocka_unit_test(test_numeric_order),
        cmocka_unit_test(test_numeric_arith),
        cmocka_unit_test(test_numeric_typmod),
        cmocka_unit_test(test_jsonb_order),
        cmocka_unit_test(test_array_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
