/* test_sort.c - ps_sort_stats by one number (sort.c's bucketed sort) against
 * a plain oracle: qsort of (key, position) with Python's comparison (-0.0
 * equals 0.0, descending for times and counts), on keys that spread over
 * every magnitude, that differ only in their low bits, that crowd into a
 * few of the first buckets (placed again by their lower bits), that are all equal,
 * that repeat (ties keep dict order), and on the extreme counts. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "pstats/sort.h"
#include "pstats/stats.h"
#include "data/stats_internal.h"
#include "test.h"

enum { T_CT, T_TT, T_NC, T_CC };
static const char *const KEY[] = {"cumulative", "time", "calls", "pcalls"};

typedef struct row {
    double v;
    int64_t i;
    uint32_t pos;
} row;

static int oracle_desc_time(const void *a, const void *b)
{
    const row *x = a, *y = b;
    if (x->v != y->v)
        return x->v > y->v ? -1 : 1;
    return x->pos < y->pos ? -1 : 1;
}

static int oracle_desc_count(const void *a, const void *b)
{
    const row *x = a, *y = b;
    if (x->i != y->i)
        return x->i > y->i ? -1 : 1;
    return x->pos < y->pos ? -1 : 1;
}

/* One case: n entries whose `which` number is gen(i); every entry sorted by
 * it must come out in the oracle's order. */
static int sort_case(size_t n, int which, double (*gen_d)(size_t), int64_t (*gen_i)(size_t))
{
    ps_stats *s = ps_stats_new();
    row *want = malloc(n * sizeof *want);
    int ok = s && want;
    for (size_t i = 0; ok && i < n; i++) {
        char name[32];
        int len = snprintf(name, sizeof name, "f%zu", i);
        const ps_str *file = ps_strpool_intern(&s->pool, "m.py", 4);
        const ps_str *nm = ps_strpool_intern(&s->pool, name, (size_t)len);
        uint32_t f = ps_stats_func_intern(s, file, 1, nm, 0);
        ps_entry *en = f == PS_NONE ? NULL : ps_stats_entry_for(s, f, 1);
        if (!en) {
            ok = 0;
            break;
        }
        want[i].pos = (uint32_t)i;
        want[i].v = gen_d ? gen_d(i) : 0.0;
        want[i].i = gen_i ? gen_i(i) : 0;
        en->ct = which == T_CT ? want[i].v : 1.0;
        en->tt = which == T_TT ? want[i].v : 1.0;
        en->nc = which == T_NC ? want[i].i : 1;
        en->cc = which == T_CC ? want[i].i : 1;
    }
    ps_error e;
    const char *key = KEY[which];
    if (ok && ps_sort_stats(s, &key, 1, &e) == 0 && s->nfcn == n) {
        qsort(want, n, sizeof *want, which <= T_TT ? oracle_desc_time : oracle_desc_count);
        for (size_t i = 0; i < n; i++)
            ok &= s->fcn_list[i] == s->entries[want[i].pos].func;
    } else {
        ok = 0;
    }
    free(want);
    ps_stats_free(s);
    return ok;
}

static double spread(size_t i)   /* every magnitude, both signs, ties */
{
    (void)i;
    uint64_t r = test_rand();
    double m = (double)(r % 1000) / 7.0;
    int ex = (int)((r >> 20) % 80) - 40;
    double v = ldexp(m, ex);
    return (r >> 40) % 5 == 0 ? -v : v;
}
static double low_bits(size_t i)   /* keys that differ in their last bits only */
{
    (void)i;
    return 1.0 + ldexp((double)(test_rand() % 300), -52);
}
static double zeros(size_t i)      /* -0.0 and 0.0 are equal: dict order */
{
    return i % 3 == 0 ? -0.0 : i % 3 == 1 ? 0.0 : (i % 2 ? INFINITY : -INFINITY);
}
static double clustered(size_t i)  /* one exponent, but for the first: big buckets */
{
    return i == 0 ? 200.0 : (1.0 + (double)(test_rand() % 5000) / 5000.0) * 1e-3;
}
static double equal(size_t i) { (void)i; return 0.25; }
static double few(size_t i) { (void)i; return (double)(test_rand() % 4); }

static int64_t counts(size_t i)
{
    (void)i;
    uint64_t r = test_rand();
    switch (r % 6) {
    case 0: return INT64_MAX;
    case 1: return INT64_MIN;
    case 2: return -(int64_t)(r >> 40);
    case 3: return (int64_t)(r % 20);
    default: return (int64_t)(r >> 3);
    }
}
static int64_t small_counts(size_t i) { (void)i; return (int64_t)(test_rand() % 3); }

int main(void)
{
    static const size_t sizes[] = {64, 65, 1000, 4097, 30000};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        size_t n = sizes[k];
        for (int which = T_CT; which <= T_TT; which++) {
            CHECK(sort_case(n, which, spread, NULL));
            CHECK(sort_case(n, which, low_bits, NULL));
            CHECK(sort_case(n, which, clustered, NULL));
            CHECK(sort_case(n, which, zeros, NULL));
            CHECK(sort_case(n, which, equal, NULL));
            CHECK(sort_case(n, which, few, NULL));
        }
        for (int which = T_NC; which <= T_CC; which++) {
            CHECK(sort_case(n, which, NULL, counts));
            CHECK(sort_case(n, which, NULL, small_counts));
        }
    }
    return TEST_SUMMARY();
}
