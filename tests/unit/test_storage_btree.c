/* test_storage_btree.c — the B+tree under random inserts, deletes and
 * seeks, checked against a plain bitmap model; and the fill of the
 * rightmost split. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>

#include "storage/storage_int.h"

#define KEYS 4096

typedef struct Entry {
    uint32_t key, rid;
} Entry;

static int cmp(const void *ctx, const uint8_t *a, const uint8_t *b) {
    Entry x, y;
    memcpy(&x, a, sizeof x);
    memcpy(&y, b, sizeof y);
    if (x.key != y.key) return x.key < y.key ? -1 : 1;
    return x.rid < y.rid ? -1 : x.rid > y.rid;
}

static int probe(const void *ctx, const uint8_t *e) {
    Entry x;
    memcpy(&x, e, sizeof x);
    uint32_t target = *(const uint32_t *)ctx;
    return x.key < target ? -1 : x.key > target;
}

static uint64_t rng = 88172645463325252ull;
static uint32_t next_random(void) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)rng;
}

/* The tree in order equals the model, both ways. */
static void check_against(const BTree *t, const bool *model) {
    BtCursor c;
    bt__first(t, &c);
    size_t n = 0;
    for (uint32_t k = 0; k < KEYS; k++) {
        if (!model[k]) continue;
        const uint8_t *e = bt__at(t, &c);
        assert_non_null(e);
        Entry x;
        memcpy(&x, e, sizeof x);
        assert_int_equal(x.key, k);
        bt__next(t, &c);
        n++;
    }
    assert_null(bt__at(t, &c));
    assert_int_equal(t->count, n);
    bt__last(t, &c);
    for (uint32_t k = KEYS; k-- > 0;) {
        if (!model[k]) continue;
        Entry x;
        memcpy(&x, bt__at(t, &c), sizeof x);
        assert_int_equal(x.key, k);
        bt__prev(t, &c);
    }
    assert_null(bt__at(t, &c));
}

/* storage-btree-1: random inserts and deletes, in-order walks and seeks. */
static void test_random_ops(void **state) {
    (void)state;
    BTree t;
    bt__init(&t, sizeof(Entry), cmp, NULL);
    bool model[KEYS] = {0};
    for (int round = 0; round < 200000; round++) {
        Entry e = {next_random() % KEYS, 7};
        bool present = model[e.key];
        if (next_random() % 3) {
            assert_int_equal(bt__insert(&t, (uint8_t *)&e), !present);
            model[e.key] = true;
        } else {
            Entry removed;
            assert_int_equal(bt__delete(&t, (uint8_t *)&e, (uint8_t *)&removed), present);
            if (present) assert_int_equal(removed.key, e.key);
            model[e.key] = false;
        }
        if (round % 5000 == 0) check_against(&t, model);
        uint32_t target = next_random() % KEYS;
        BtCursor c;
        bt__seek(&t, probe, &target, false, &c);
        uint32_t expect = target;
        while (expect < KEYS && !model[expect]) expect++;
        const uint8_t *at = bt__at(&t, &c);
        if (expect == KEYS) {
            assert_null(at);
        } else {
            Entry x;
            memcpy(&x, at, sizeof x);
            assert_int_equal(x.key, expect);
        }
    }
    check_against(&t, model);
    for (uint32_t k = 0; k < KEYS; k++) {
        Entry e = {k, 7}, removed;
        bt__delete(&t, (uint8_t *)&e, (uint8_t *)&removed);
    }
    assert_int_equal(t.count, 0);
    assert_null(t.root);
    assert_int_equal(t.nodes, 0);
    bt__deinit(&t);
}

/* storage-btree-2: keys appended in order fill every leaf (the rightmost
 * split), so an index of a serial key costs little more than its entries. */
static void test_rightmost_fill(void **state) {
    (void)state;
    BTree t;
    bt__init(&t, sizeof(Entry), cmp, NULL);
    const uint32_t n = 200000;
    for (uint32_t k = 0; k < n; k++) {
        Entry e = {k, k};
        assert_true(bt__insert(&t, (uint8_t *)&e));
    }
    size_t leaves = (n + t.leaf_cap - 1) / t.leaf_cap;
    assert_true(t.nodes <= leaves + leaves / 100 + 3);
    BtCursor c;
    bt__first(&t, &c);
    for (uint32_t k = 0; k < n; k++, bt__next(&t, &c)) {
        Entry x;
        memcpy(&x, bt__at(&t, &c), sizeof x);
        assert_int_equal(x.key, k);
    }
    bt__deinit(&t);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_ops),
        cmocka_unit_test(test_rightmost_fill),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
