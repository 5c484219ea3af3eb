/* test_stacks.c - ps_stacks: adding, merging identical stacks, remapping ids. */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include "pstats/folded.h"
#include "pstats/stacks.h"
#include "pstats/stats.h"

static int pass, fail;
#define CHECK(c) do { if (c) pass++; else { fail++; printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #c); } } while (0)

static int frames_are(const ps_stacks *st, size_t i, const uint32_t *want, uint32_t n)
{
    const ps_stack *s = &st->stacks[i];
    return s->depth == n && memcmp(st->frames + s->first, want, n * sizeof *want) == 0;
}

/* The merge of random stacks against the plain rule: the distinct stacks in
 * the order of their frames (a shorter one first where one is the other's
 * start), each with the sum of its copies' weights in the order they came.
 * Few ids and many stacks take the merge's counting pass by first frame
 * (its runs sorted apart), many ids the one sort; deep stacks that agree on
 * their first frames reach the comparison of the frames themselves. */
static uint64_t rnd_state = 88172645463325252ull;
static uint32_t rnd(uint32_t n)
{
    rnd_state ^= rnd_state << 13, rnd_state ^= rnd_state >> 7, rnd_state ^= rnd_state << 17;
    return (uint32_t)(rnd_state % n);
}

typedef struct refstack {
    uint32_t f[12], depth;
    double w;
    int64_t c;
    size_t order;
} refstack;

static int ref_cmp(const void *pa, const void *pb)
{
    const refstack *a = pa, *b = pb;
    for (uint32_t i = 0; i < a->depth && i < b->depth; i++)
        if (a->f[i] != b->f[i])
            return a->f[i] < b->f[i] ? -1 : 1;
    if (a->depth != b->depth)
        return a->depth < b->depth ? -1 : 1;
    return a->order < b->order ? -1 : a->order > b->order;
}

static void check_random_merge(uint32_t nids, uint32_t nfirst, size_t n)
{
    ps_stacks st;
    ps_error e;
    ps_stacks_init(&st);
    refstack *r = malloc(n * sizeof *r);
    for (size_t i = 0; i < n; i++) {
        refstack *x = &r[i];
        x->depth = 1 + rnd(12);
        /* a shared start now and then, so that deep stacks tie on their keys */
        uint32_t shared = rnd(3) == 0 && i ? (r[i - 1].depth < x->depth ? r[i - 1].depth : x->depth) : 0;
        for (uint32_t j = 0; j < x->depth; j++)
            x->f[j] = j < shared ? r[i - 1].f[j] : rnd(j < 2 ? nfirst : nids);
        x->w = 0.1 * (1 + rnd(9));
        x->c = 1 + rnd(5);
        x->order = i;
        ps_stacks_add(&st, x->f, x->depth, x->w, x->c, &e);
    }
    int ok = ps_stacks_merge(&st, &e) == 0;
    qsort(r, n, sizeof *r, ref_cmp);
    size_t k = 0;
    for (size_t i = 0; ok && i < n; k++) {
        double w = 0;
        int64_t c = 0;
        size_t j = i;
        for (; j < n && r[j].depth == r[i].depth &&
               !memcmp(r[j].f, r[i].f, r[i].depth * sizeof *r[i].f); j++)
            w += r[j].w, c += r[j].c;
        ok = k < st.nstacks && frames_are(&st, k, r[i].f, r[i].depth) &&
             st.stacks[k].weight == w && st.stacks[k].count == c;
        i = j;
    }
    CHECK(ok && k == st.nstacks);
    free(r);
    ps_stacks_free(&st);
}

int main(void)
{
    ps_stacks st;
    ps_error e;
    ps_stacks_init(&st);
    uint32_t a[] = {0, 1, 2}, b[] = {0, 1}, c[] = {0, 3};
    CHECK(ps_stacks_add(&st, a, 3, 1.0, 1, &e) == 0);
    CHECK(ps_stacks_add(&st, c, 2, 0.5, 2, &e) == 0);
    CHECK(ps_stacks_add(&st, a, 3, 2.0, 3, &e) == 0);
    CHECK(ps_stacks_add(&st, b, 2, 0.25, INT64_MAX, &e) == 0);
    CHECK(ps_stacks_add(&st, b, 2, 0.25, 1, &e) == 0);
    CHECK(ps_stacks_add(&st, a, 0, 1, 1, &e) == -1 && e.code == PS_EUSAGE);
    CHECK(st.nstacks == 5 && st.nframes == 12);
    CHECK(ps_stacks_total(&st) == 4.0);
    CHECK(ps_stacks_merge(&st, &e) == 0);
    CHECK(st.nstacks == 3 && st.nframes == 7);
    CHECK(frames_are(&st, 0, b, 2) && st.stacks[0].weight == 0.5 && st.stacks[0].count == INT64_MAX);
    CHECK(frames_are(&st, 1, a, 3) && st.stacks[1].weight == 3.0 && st.stacks[1].count == 4);
    CHECK(frames_are(&st, 2, c, 2) && st.stacks[2].weight == 0.5 && st.stacks[2].count == 2);
    CHECK(st.stacks[0].first == 0 && st.stacks[1].first == 2 && st.stacks[2].first == 5);
    /* 3 -> 2 makes [0,3] and [0,1,2] differ still; 2 -> 1 and 3 -> 1 make [0,1] twice */
    uint32_t map[] = {0, 1, 1, 1};
    CHECK(ps_stacks_remap(&st, map, &e) == 0);
    uint32_t m1[] = {0, 1}, m2[] = {0, 1, 1};
    CHECK(st.nstacks == 2);
    CHECK(frames_are(&st, 0, m1, 2) && st.stacks[0].weight == 1.0 && st.stacks[0].count == INT64_MAX);
    CHECK(frames_are(&st, 1, m2, 3) && st.stacks[1].weight == 3.0);
    ps_stacks_free(&st);

    /* A deterministic profile's stacks are the estimate prof2folded writes:
     * the same stacks (as text) with the same seconds. */
    const char *dumps[] = {"data/recur.prof", "data/tokenize.prof", "tests/dumps/mutual-cprofile-3.13.prof"};
    for (size_t d = 0; d < sizeof dumps / sizeof *dumps; d++) {
        ps_stats *s = ps_stats_new();
        CHECK(ps_stats_load_file(s, dumps[d], &e) == 0);
        folded_stacks fs;
        CHECK(ps_folded_build(s, NULL, &fs, &e) == 0);
        CHECK(ps_stacks_of(s, NULL, &st, &e) == 0);
        CHECK(st.estimated == 1 && st.nstacks == fs.nlines);
        /* render each stack as folded text and find it among the lines */
        size_t found = 0;
        double sum = 0;
        for (size_t i = 0; i < st.nstacks; i++) {
            char text[8192];
            size_t len = 0;
            const ps_stack *k = &st.stacks[i];
            for (uint32_t j = 0; j < k->depth && len < sizeof text - 512; j++) {
                const char *l = ps_folded_label(&fs, st.frames[k->first + j]);
                len += (size_t)snprintf(text + len, sizeof text - len, "%s%s", j ? ";" : "", l);
            }
            sum += k->weight;
            for (size_t l = 0; l < fs.nlines; l++)
                if (strcmp(fs.text + fs.lines[l].text, text) == 0 && fs.lines[l].seconds == k->weight) {
                    found++;
                    break;
                }
        }
        CHECK(found == st.nstacks);
        CHECK(sum > 0.999999 * fs.total && sum < 1.000001 * fs.total);
        ps_stacks_free(&st);
        ps_folded_free(&fs);
        ps_stats_free(s);
    }
    check_random_merge(5, 5, 3000);            /* few ids: by first frame, long runs */
    check_random_merge(200, 7, 5000);          /* long runs, deep ties */
    check_random_merge(2000, 2000, 5000);      /* runs of a few stacks */
    check_random_merge(100000, 100000, 3000);  /* ids many more than the stacks: one sort */
    check_random_merge(50, 50, 40);            /* under 64 stacks: one sort */
    printf("%d passed, %d failed\n", pass, fail);
    return fail != 0;
}
