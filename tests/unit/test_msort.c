/* test_msort.c - the stable sort (src/base/msort.h): random arrays of every
 * length up to 300 and a few large ones, with many equal keys, against a
 * reference order (qsort by key, then by original position); the result must
 * be that order exactly, so stability is checked, not only sortedness; from
 * insertion-sorted runs of 16 (the stacks) and of 1 (the one-number sort). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "base/msort.h"
#include "test.h"

typedef struct item {
    uint32_t key, pos;
} item;

static int item_less(const item *a, const item *b, void *ctx)
{
    const int *desc = ctx;
    return *desc ? a->key > b->key : a->key < b->key;
}

PS_MSORT_DEFINE(sort_items, item, item_less, 16)
PS_MSORT_DEFINE(sort_items1, item, item_less, 1)

static int desc_ref;
static int cmp_ref(const void *pa, const void *pb)
{
    const item *a = pa, *b = pb;
    if (a->key != b->key)
        return (desc_ref ? a->key < b->key : a->key > b->key) ? 1 : -1;
    return a->pos < b->pos ? -1 : a->pos > b->pos;
}

static uint32_t next(void)
{
    return (uint32_t)test_rand();
}

/* n items with keys below range (few distinct keys: long runs of equals),
 * sorted from runs of 16 and of 1 */
static int one_run(size_t n, uint32_t range, int desc, int run);
static int one(size_t n, uint32_t range, int desc)
{
    return one_run(n, range, desc, 16) && one_run(n, range, desc, 1);
}

static int one_run(size_t n, uint32_t range, int desc, int run)
{
    item *a = malloc((n + 1) * sizeof *a), *ref = malloc((n + 1) * sizeof *a);
    item *tmp = malloc((n + 1) * sizeof *a);
    for (size_t i = 0; i < n; i++)
        a[i] = (item){next() % range, (uint32_t)i};
    memcpy(ref, a, n * sizeof *a);
    desc_ref = desc;
    qsort(ref, n, sizeof *ref, cmp_ref);
    if (run == 1)
        sort_items1(a, tmp, n, &desc);
    else
        sort_items(a, tmp, n, &desc);
    int same = memcmp(a, ref, n * sizeof *a) == 0;
    free(a), free(ref), free(tmp);
    return same;
}

int main(void)
{
    int bad = 0;
    for (size_t n = 0; n <= 300; n++)
        bad += !one(n, 1 + n / 8, 0) + !one(n, 1000, 1);
    CHECK(bad == 0);
    CHECK(one(100000, 50, 0));          /* merge passes between a and tmp, odd and even */
    CHECK(one(65536, 3, 1));
    CHECK(one(65537, 100000, 0));
    /* already sorted, reversed, all equal */
    item r[1000], t[1000];
    for (int i = 0; i < 1000; i++)
        r[i] = (item){(uint32_t)(999 - i) / 10, (uint32_t)i};
    int asc = 0;
    sort_items(r, t, 1000, &asc);
    int ok = 1;
    for (int i = 1; i < 1000; i++)
        ok &= r[i - 1].key < r[i].key || (r[i - 1].key == r[i].key && r[i - 1].pos < r[i].pos);
    CHECK(ok);
    return TEST_SUMMARY();
}
