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
    printf("%d passed, %d failed\n", pass, fail);
    return fail != 0;
}
