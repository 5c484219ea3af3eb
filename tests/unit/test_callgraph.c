/* test_callgraph.c - the one call-graph builder (analysis/callgraph.c) on
 * every dump in tests/dumps: gprof2dot's numbering and edge records against
 * a plain reference walk of the entries, arcs sorted by (caller, callee)
 * with no sort, and one thread against two for both kinds of arcs (the
 * second thread's cursors and the first one's, kept in start[], must meet
 * exactly). */
#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "pstats/stats.h"
#include "analysis/callgraph.h"
#include "test.h"

static int checked;

/* gprof2dot's ids: first encounter over the entries, then their callers */
static uint32_t *reference_ids(const ps_stats *s, uint32_t *nseen)
{
    uint32_t *id = malloc(((size_t)s->nfuncs + 1) * sizeof *id);
    memset(id, 0xff, ((size_t)s->nfuncs + 1) * sizeof *id);
    uint32_t k = 0;
    for (uint32_t i = 0; i < s->nentries; i++) {
        const ps_entry *en = &s->entries[i];
        if (id[en->func] == UINT32_MAX)
            id[en->func] = k++;
        for (uint32_t j = 0; j < en->ncallers; j++)
            if (id[en->callers[j].caller] == UINT32_MAX)
                id[en->callers[j].caller] = k++;
    }
    *nseen = k;
    return id;
}

static int same_rec(const pg_edge *a, const pg_edge *b)
{
    return a->caller == b->caller && a->callee == b->callee && a->calls == b->calls &&
           memcmp(&a->weight, &b->weight, sizeof a->weight) == 0 && a->alive == b->alive &&
           a->estimated == b->estimated && a->adjusted == b->adjusted;
}

static void check_pg(const ps_stats *s)
{
    ps_callgraph one, two;
    ps_error e;
    CHECK(ps_callgraph_build_pg(s, 1, &one, &e) == 0);
    CHECK(ps_callgraph_build_pg(s, 2, &two, &e) == 0);
    uint32_t nseen;
    uint32_t *id = reference_ids(s, &nseen);
    CHECK(one.nseen == nseen && two.nseen == nseen && one.used == NULL);
    int ok = 1;
    for (uint32_t f = 0; f < s->nfuncs; f++)
        ok &= one.order[one.node_of[f]] == f && (id[f] == UINT32_MAX || one.node_of[f] == id[f]);
    CHECK(ok);
    /* every edge once, at its caller, the callees in order, the numbers as
     * gprof2dot reads them (cur_nc and cur_ct carried over from a tuple) */
    uint64_t narcs = 0;
    ok = 1;
    uint32_t *seen = calloc((size_t)s->nfuncs + 1, sizeof *seen);
    for (uint32_t i = 0; i < s->nentries; i++) {
        const ps_entry *en = &s->entries[i];
        double cur_nc = (double)en->nc, cur_ct = en->ct;
        for (uint32_t j = 0; j < en->ncallers; j++) {
            const ps_edge *ed = &en->callers[j];
            uint32_t u = id[ed->caller], v = id[en->func];
            pg_edge want = {u, v, ed->nc, 0, 1, 0, 0};
            if (ed->shape == PS_EDGE_TUPLE) {
                want.calls = ed->cc;
                want.weight = ed->ct;
                cur_nc = (double)ed->nc;
                cur_ct = ed->ct;
            } else {
                want.weight = py_ratio((double)ed->nc, cur_nc) * cur_ct;
            }
            const pg_edge *got = NULL;
            for (uint32_t a = one.start[u]; a < one.start[u + 1]; a++)
                if (one.rec[a].callee == v)
                    got = &one.rec[a];
            ok &= got && same_rec(got, &want);
            seen[u]++;
            narcs++;
        }
    }
    CHECK(ok);
    CHECK(narcs == one.narcs);
    ok = 1;
    for (uint32_t u = 0; u < one.n; u++) {
        ok &= one.start[u + 1] - one.start[u] == (u < nseen ? seen[u] : 0);
        for (uint32_t a = one.start[u]; a < one.start[u + 1]; a++)
            ok &= one.rec[a].caller == u && (a == one.start[u] || one.rec[a - 1].callee < one.rec[a].callee);
    }
    CHECK(ok);
    ok = two.narcs == one.narcs && memcmp(one.start, two.start, ((size_t)one.n + 1) * sizeof *one.start) == 0;
    for (uint32_t a = 0; ok && a < one.narcs; a++)
        ok &= same_rec(&one.rec[a], &two.rec[a]);
    CHECK(ok);
    free(seen);
    free(id);
    ps_callgraph_free(&one);
    ps_callgraph_free(&two);
}

/* callgrind's arrays, by function id and in a reversed order: two threads
 * give the same CSR as one */
static void check_arrays(const ps_stats *s)
{
    uint32_t *rev = malloc(((size_t)s->nfuncs + 1) * sizeof *rev);
    for (uint32_t f = 0; f < s->nfuncs; f++)
        rev[f] = s->nfuncs - 1 - f;
    for (int o = 0; o < 2; o++) {
        ps_callgraph one, two;
        ps_error e;
        CHECK(ps_callgraph_build(s, o ? rev : NULL, 1, &one, &e) == 0);
        CHECK(ps_callgraph_build(s, o ? rev : NULL, 2, &two, &e) == 0);
        size_t n = one.narcs;
        int ok = one.narcs == two.narcs && one.rec == NULL &&
                 memcmp(one.start, two.start, ((size_t)one.n + 1) * sizeof *one.start) == 0 &&
                 memcmp(one.to, two.to, n * sizeof *one.to) == 0 &&
                 memcmp(one.nc, two.nc, n * sizeof *one.nc) == 0 &&
                 memcmp(one.w, two.w, n * sizeof *one.w) == 0 && one.start[0] == 0 &&
                 one.start[one.n] == one.narcs;
        for (uint32_t u = 0; ok && u < one.n; u++)
            for (uint32_t a = one.start[u] + 1; a < one.start[u + 1]; a++)
                ok &= one.to[a - 1] <= one.to[a];
        CHECK(ok);
        ps_callgraph_free(&one);
        ps_callgraph_free(&two);
    }
    free(rev);
}

int main(void)
{
    const char *dir = "tests/dumps";
    DIR *d = opendir(dir);
    CHECK(d != NULL);
    struct dirent *de;
    while (d && (de = readdir(d))) {
        size_t len = strlen(de->d_name);
        if (len < 6 || strcmp(de->d_name + len - 5, ".prof") != 0)
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        ps_stats *s = ps_stats_new();
        ps_error e;
        if (ps_stats_load_file(s, path, &e) == 0) {
            check_pg(s);
            check_arrays(s);
            checked++;
        }
        ps_stats_free(s);
    }
    if (d)
        closedir(d);
    CHECK(checked > 10);
    fprintf(stderr, "test_callgraph: %d dumps\n", checked);
    return TEST_SUMMARY();
}
