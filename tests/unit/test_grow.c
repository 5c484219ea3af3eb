/* test_grow.c - the growable array (src/base/grow.h): the capacities it
 * picks, contents kept across growth, parallel arrays, and failures (size
 * overflow) that leave the array and its capacity as they were; pg_buf,
 * which grows through it, on the same cases; an entry's callers, whose room
 * is implied by their count (data/stats_internal.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "base/grow.h"
#include <malloc.h>
#include "pstats/buf.h"
#include "data/stats_internal.h"
#include "test.h"

static int is_pow2(size_t n) { return n && !(n & (n - 1)); }

static void test_caps(void)
{
    CHECK(ps_grow_cap(0, 0) == PS_GROW_FIRST);
    CHECK(ps_grow_cap(0, 1) == PS_GROW_FIRST);
    CHECK(ps_grow_cap(0, 17) == 32);
    CHECK(ps_grow_cap(16, 17) == 32);
    CHECK(ps_grow_cap(1024, 1025) == 2048);
    CHECK(ps_grow_cap(1024, 5000) == 8192);
    CHECK(ps_grow_cap(3, 4) == 6);           /* doubles from where it is */
    CHECK(ps_grow_cap(64, 10) == 64);        /* enough already */
    /* past SIZE_MAX / 2 doubling would wrap: need itself */
    CHECK(ps_grow_cap(SIZE_MAX / 2 + 1, SIZE_MAX - 5) == SIZE_MAX - 5);
    CHECK(ps_grow_cap(0, SIZE_MAX) == SIZE_MAX);
}

/* One element at a time up to 100000: every element kept, the capacity a
 * power of two at least the count, and a realloc only when it was full. */
static void test_append(void)
{
    uint32_t *a = NULL;
    size_t n = 0, cap = 0, grows = 0;
    int ok = 1;
    for (uint32_t i = 0; i < 100000; i++) {
        size_t before = cap;
        if (ps_grow(&a, &cap, n + 1, sizeof *a) < 0) {
            ok = 0;
            break;
        }
        grows += cap != before;
        ok &= cap >= n + 1 && is_pow2(cap) && (cap == before || before == n);
        a[n++] = i * 7u;
    }
    CHECK(ok);
    CHECK(n == 100000 && cap == 131072);
    CHECK(grows == 14);   /* 16, 32, ... 131072 */
    int same = 1;
    for (uint32_t i = 0; i < n; i++)
        same &= a[i] == i * 7u;
    CHECK(same);
    /* need within the capacity: nothing moves */
    uint32_t *was = a;
    CHECK(ps_grow(&a, &cap, 5, sizeof *a) == 0 && a == was && cap == 131072);
    free(a);
}

/* A byte buffer: text appended in pieces of every length. */
static void test_bytes(void)
{
    char *b = NULL, want[4096];
    size_t len = 0, cap = 0, wl = 0;
    int ok = 1;
    for (int k = 0; k < 60; k++) {
        char piece[64];
        int m = k % 50;
        for (int j = 0; j < m; j++)
            piece[j] = (char)('a' + (k + j) % 26);
        ok &= ps_grow(&b, &cap, len + (size_t)m + 1, 1) == 0;
        memcpy(b + len, piece, (size_t)m);
        len += (size_t)m;
        b[len] = '\0';
        memcpy(want + wl, piece, (size_t)m);
        wl += (size_t)m;
    }
    want[wl] = '\0';
    CHECK(ok);
    CHECK(len == wl && cap >= len + 1 && is_pow2(cap));
    CHECK_STR(b, want);
    free(b);
}

/* Too many elements for a size_t: -1, and the array and its capacity are
 * the caller's as before (it still owns and frees them). */
static void test_overflow(void)
{
    double *a = NULL;
    size_t cap = 0;
    CHECK(ps_grow(&a, &cap, 10, sizeof *a) == 0 && cap == 16);
    a[9] = 2.5;
    double *was = a;
    CHECK(ps_grow(&a, &cap, SIZE_MAX / 4, sizeof *a) < 0);
    CHECK(a == was && cap == 16 && a[9] == 2.5);
    CHECK(ps_grow(&a, &cap, SIZE_MAX, sizeof *a) < 0);
    CHECK(a == was && cap == 16);
    CHECK(ps_resize(&a, SIZE_MAX / sizeof *a + 1, sizeof *a) < 0 && a == was);
    free(a);
}

/* Two arrays, one capacity: ps_grow_cap, then ps_resize each. */
static void test_parallel(void)
{
    char **names = NULL;
    int *vals = NULL;
    size_t n = 0, cap = 0;
    int ok = 1;
    static char *words[] = {"alpha", "beta", "gamma"};
    for (int i = 0; i < 1000; i++) {
        if (n == cap) {
            size_t ncap = ps_grow_cap(cap, n + 1);
            ok &= ps_resize(&names, ncap, sizeof *names) == 0 &&
                  ps_resize(&vals, ncap, sizeof *vals) == 0;
            cap = ncap;
        }
        names[n] = words[i % 3];
        vals[n++] = i;
    }
    CHECK(ok && cap == 1024);
    int same = 1;
    for (int i = 0; i < 1000; i++)
        same &= names[i] == words[i % 3] && vals[i] == i;
    CHECK(same);
    /* 0 elements keeps one: a NULL from realloc(p, 0) is not taken for a failure */
    CHECK(ps_resize(&vals, 0, sizeof *vals) == 0 && vals);
    free(names);
    free(vals);
}

/* pg_buf grows through ps_grow: the text as printf would write it, and a
 * request past SIZE_MAX makes it failed for good. */
static void test_pg_buf(void)
{
    pg_buf b = {0};
    char want[20000];
    size_t wl = 0;
    for (int i = 0; i < 2000; i++) {
        ps_pg_buf_printf(&b, "%d,", i);
        wl += (size_t)sprintf(want + wl, "%d,", i);
    }
    CHECK(!b.failed && b.len == wl && is_pow2(b.cap));
    CHECK_STR(b.s, want);
    CHECK(ps_pg_buf_reserve(&b, SIZE_MAX) < 0 && b.failed);
    CHECK(b.len == wl);
    ps_pg_buf_addz(&b, "more");
    CHECK(b.len == wl);
    ps_pg_buf_free(&b);
}

/* A loaded entry (its callers a run the library does not own) grown one
 * caller at a time: moved to memory of its own at the first append, every
 * caller kept, and always room for the count (malloc_usable_size: a grow
 * rule that let the count pass the room fails here without a sanitizer). */
static void test_callers_room(void)
{
    ps_edge run[3];
    ps_entry en = {0};
    for (uint32_t i = 0; i < 3; i++)
        run[i] = (ps_edge){i, PS_EDGE_TUPLE, i, i, 0.5, 1.5};
    en.callers = run;
    en.ncallers = 3;
    int ok = 1, moved = 0;
    for (uint32_t i = 3; i < 1000; i++) {
        ps_edge *e = edge_append(&en);
        if (!e) {
            ok = 0;
            break;
        }
        *e = (ps_edge){i, PS_EDGE_INT, i, i, 0.0, 0.0};
        moved |= en.callers != run;
        ok &= en.own == 1 && en.ncallers == i + 1 &&
              malloc_usable_size(en.callers) >= (size_t)en.ncallers * sizeof(ps_edge);
    }
    CHECK(ok && moved);
    for (uint32_t i = 0; i < en.ncallers; i++)
        ok &= en.callers[i].caller == i && en.callers[i].nc == i &&
              en.callers[i].shape == (i < 3 ? PS_EDGE_TUPLE : PS_EDGE_INT);
    CHECK(ok && en.ncallers == 1000);
    CHECK(callers_room(0) == 4 && callers_room(4) == 4 && callers_room(5) == 8 &&
          callers_room(1000) == 1024);
    entry_free_callers(&en);
    CHECK(!en.callers && !en.ncallers && !en.own);
}

int main(void)
{
    test_callers_room();
    test_caps();
    test_append();
    test_bytes();
    test_overflow();
    test_parallel();
    test_pg_buf();
    return TEST_SUMMARY();
}
