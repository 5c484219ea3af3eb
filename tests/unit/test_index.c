/* test_index.c - the library's hash table (src/base/index.h): every key found
 * again with its own id and an absent one not, across the growths from empty
 * and from a reserved size; colliding hashes (the worst case: one hash for
 * all) kept apart by the caller's key; the capacity stays at most half full. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "base/index.h"
#include "test.h"

/* The caller's records: here, keys are plain integers. */
static uint32_t find_or_add(ps_index *ix, uint64_t *keys, uint32_t *n, uint64_t key,
                            uint32_t hash, int *added)
{
    ps_index_probe p;
    for (uint32_t id = ps_index_find(ix, hash, &p); id != PS_INDEX_NONE; id = ps_index_next(ix, &p))
        if (keys[id] == key) {
            *added = 0;
            return id;
        }
    uint32_t id = (*n)++;
    keys[id] = key;
    *added = 1;
    return ps_index_add(ix, &p, id) < 0 ? PS_INDEX_NONE : id;
}

static uint32_t mix(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdull;
    k ^= k >> 33;
    return (uint32_t)k;
}

static void test_keys(size_t reserve, uint32_t (*hash)(uint64_t), uint32_t count)
{
    ps_index ix;
    CHECK(ps_index_init(&ix, reserve) == 0);
    uint64_t *keys = malloc(count * sizeof *keys);
    uint32_t n = 0;
    int added, all_new = 1, all_found = 1, absent = 1, half = 1;
    for (uint32_t i = 0; i < count; i++) {
        uint64_t k = (uint64_t)i * 7919 + 3;
        all_new &= find_or_add(&ix, keys, &n, k, hash(k), &added) == i && added;
        half &= ix.n * 2 <= ix.mask + 1;
    }
    for (uint32_t i = 0; i < count; i++) {
        uint64_t k = (uint64_t)i * 7919 + 3;
        all_found &= find_or_add(&ix, keys, &n, k, hash(k), &added) == i && !added;
    }
    for (uint32_t i = 0; i < 100; i++) {   /* keys never added */
        ps_index_probe p;
        uint64_t k = (uint64_t)i * 7919 + 4;
        uint32_t id = ps_index_find(&ix, hash(k), &p);
        while (id != PS_INDEX_NONE && keys[id] != k)
            id = ps_index_next(&ix, &p);
        absent &= id == PS_INDEX_NONE;
    }
    CHECK(all_new);
    CHECK(all_found);
    CHECK(absent);
    CHECK(half);
    CHECK(ix.n == count && n == count);
    ps_index_free(&ix);
    free(keys);
}

static uint32_t one_hash(uint64_t k) { (void)k; return 0xdeadbeef; }

/* ps_index_put: records known to be distinct, then found. */
static void test_put(void)
{
    ps_index ix;
    CHECK(ps_index_init(&ix, 0) == 0);
    int ok = 1;
    for (uint32_t i = 0; i < 5000; i++)
        ok &= ps_index_put(&ix, mix(i), i) == 0;
    for (uint32_t i = 0; i < 5000; i++) {
        ps_index_probe p;
        uint32_t id = ps_index_find(&ix, mix(i), &p);
        while (id != PS_INDEX_NONE && id != i)
            id = ps_index_next(&ix, &p);
        ok &= id == i;
    }
    CHECK(ok);
    ps_index_free(&ix);
}

int main(void)
{
    test_keys(0, mix, 100000);
    test_keys(100000, mix, 100000);
    test_keys(3, mix, 1000);
    test_keys(0, one_hash, 2000);   /* one probe sequence for everything */
    test_put();
    return TEST_SUMMARY();
}
