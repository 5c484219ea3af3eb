/* test_listsort.c - ps_listsort takes CPython's list.sort steps: with NaN
 * keys (an inconsistent comparison) it gives CPython's very order.
 *
 * Made-up float lists (five shapes, 5-50% NaN, 2 to 3000 items) are sorted
 * with both flavours; the hash of each order must be the one CPython 3.11.7
 * (3.12.1 gives the same) and 3.13.0 give for the same lists, recorded by
 * tests/unit/listsort_orders.py with sorted(). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include "data/listsort.h"
#include "test.h"

static const struct {
    size_t n;
    uint64_t want311, want313;    /* FNV-1a of the order */
} CASES[] = {
    {2, 589727492704079044u, 589727492704079044u},
    {5, 4328347166738771597u, 4328347166738771597u},
    {63, 13080602760846701486u, 17473630759469152874u},
    {64, 14584701244474240159u, 14584701244474240159u},
    {65, 5373578073347425617u, 5373578073347425617u},
    {100, 1321053276576844745u, 18127785379124088329u},
    {127, 3224890310085099232u, 3224890310085099232u},
    {128, 17251789047875555049u, 13200568756005951455u},
    {129, 4939360619410526345u, 3459303947555829563u},
    {256, 16055631970741846353u, 13948891261099538379u},
    {500, 12504608560268902561u, 11904237269632964031u},
    {777, 4882488196863065071u, 16299916429791700955u},
    {1000, 4623562052188614805u, 5801874807044093889u},
    {1500, 4509805916495962779u, 17901887119662160379u},
    {2048, 10739940920311331219u, 17576046594517258117u},
    {3000, 3886025542722371785u, 8347891773398634543u},
};

static uint64_t lcg(uint64_t *x)
{
    *x = *x * 6364136223846793005u + 1442695040888963407u;
    return *x >> 33;
}

/* the lists of listsort_orders.py, value for value */
static void make(double *v, size_t n, unsigned caseno)
{
    uint64_t x = caseno + 1;
    for (size_t i = 0; i < n; i++) {
        uint64_t r = lcg(&x), q = lcg(&x);
        switch (caseno % 5) {
        case 0: v[i] = (double)(r % 1000) / 8.0; break;
        case 1: v[i] = (double)(i + r % 8) / 2.0; break;
        case 2: v[i] = (double)((n - i) / 3); break;
        case 3: v[i] = (double)(r % 5); break;
        default: v[i] = (double)(((i / 50) % 2 ? 50 - i % 50 : i % 50) + r % 3); break;
        }
        static const unsigned rate[3] = {5, 20, 50};
        if (q % 100 < rate[caseno % 3])
            v[i] = NAN;
    }
}

static int cmp_double(uint32_t a, uint32_t b, void *ctx)
{
    const double *v = ctx;
    return v[a] < v[b] ? -1 : v[a] > v[b];    /* NaN: neither */
}

static uint64_t fnv(const uint32_t *ids, size_t n)
{
    uint64_t h = 14695981039346656037u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ ids[i]) * 1099511628211u;
    return h;
}

int main(void)
{
    for (unsigned c = 0; c < sizeof CASES / sizeof CASES[0]; c++) {
        size_t n = CASES[c].n;
        double *v = malloc(n * sizeof *v);
        uint32_t *ids = malloc(n * sizeof *ids);
        if (!v || !ids)
            return 1;
        make(v, n, c);
        for (int f = 0; f < 2; f++) {
            int flavour = f ? PS_LISTSORT_313 : PS_LISTSORT_311;
            for (size_t i = 0; i < n; i++)
                ids[i] = (uint32_t)i;
            CHECK(ps_listsort(ids, n, cmp_double, v, flavour) == 0);
            uint64_t h = fnv(ids, n);
            if (h != (f ? CASES[c].want313 : CASES[c].want311))
                fprintf(stderr, "n=%zu flavour %d: order differs from CPython's\n", n, flavour);
            CHECK(h == (f ? CASES[c].want313 : CASES[c].want311));
        }
        free(v);
        free(ids);
    }
    return TEST_SUMMARY();
}
