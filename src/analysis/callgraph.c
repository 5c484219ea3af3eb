/* callgraph.c - flat caller -> callee arcs and their strongly connected
 * components: the one builder of the call graph (callgraph.h), for the
 * callgrind and folded writers and for gprof2dot's graph (graph.c).
 *
 * The builder counts each caller's arcs, lays them out (CSR) and fills them
 * callee by callee in node order, so each caller's arcs come sorted by
 * callee with no sort; big graphs are filled by two threads.  What is
 * written per arc is the user's: callee/count/time arrays, or gprof2dot's
 * pg_edge records, chosen once per fill, not per arc. */
#include <stdlib.h>
#include <string.h>
#include "callgraph.h"
#include "scc.h"
#include "base/thread.h"

static int nomem(ps_error *e)
{
    return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
}

void ps_callgraph_free(ps_callgraph *g)
{
    free(g->used);
    free(g->start);
    free(g->to);
    free(g->nc);
    free(g->w);
    free(g->scc);
    free(g->rec);
    free(g->own_order);
    free(g->node_of);
    memset(g, 0, sizeof *g);
}

/* profile.py's int edges carry only a call count.  Time is estimated the way
 * cProfile's tuple edges hold it: the callee's cumulative time (which counts
 * its outermost activations only) shared by call counts among the callers
 * outside its cycle, which are the ones that start those activations; a
 * caller inside the cycle gets its share of all the calls, as cProfile's
 * recursive edges carry the time of the activations nested in them; a self
 * edge gets 0 (its time is inside the function's own). */
static int estimate_int_edges(const ps_stats *s, ps_callgraph *g, ps_error *e)
{
    if (ps_callgraph_scc(g, e) < 0)
        return -1;
    double *ext = calloc((size_t)g->n + 1, sizeof *ext);
    double *all = calloc((size_t)g->n + 1, sizeof *all);
    if (!ext || !all) {
        free(ext);
        free(all);
        return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
    }
    for (uint32_t f = 0; f < g->n; f++)
        for (uint32_t a = g->start[f]; a < g->start[f + 1]; a++) {
            uint32_t t = g->to[a];
            if (t == f || g->nc[a] <= 0)
                continue;
            all[t] += (double)g->nc[a];
            if (g->scc[f] != g->scc[t])
                ext[t] += (double)g->nc[a];
        }
    for (uint32_t f = 0; f < g->n; f++)
        for (uint32_t a = g->start[f]; a < g->start[f + 1]; a++) {
            if (g->w[a] >= 0)
                continue;
            uint32_t t = g->to[a];
            double ct = ps_time_clean(ps_stats_entry_of(s, callgraph_func(g, t))->ct);
            double base = g->scc[f] != g->scc[t] ? ext[t] : all[t];
            g->w[a] = (t != f && g->nc[a] > 0 && base > 0) ? ct * ((double)g->nc[a] / base) : 0;
        }
    free(ext);
    free(all);
    return 0;
}

/* Arcs of the callees ranked k0 .. k1-1, each at its caller's fill[] slot. */
typedef struct fill_job {
    const ps_stats *s;
    ps_callgraph *g;
    const uint32_t *node_of;   /* function id -> node, or NULL (g->order too) */
    uint32_t *fill;
    uint32_t k0, k1;
    int any_int;
} fill_job;

#define PARALLEL_ARCS 65536

/* The callers of entry en (node k) as gprof2dot's edges.  gprof2dot reuses
 * the entry's nc and ct variables for each tuple caller, so an int caller
 * after a tuple one is scaled by that tuple's numbers. */
static void fill_pg(fill_job *job, const ps_entry *en, uint32_t k)
{
    pg_edge *rec = job->g->rec;
    double cur_nc = (double)en->nc, cur_ct = en->ct;
    for (uint32_t j = 0; j < en->ncallers; j++) {
        const ps_edge *ed = &en->callers[j];
        uint32_t caller = job->node_of[ed->caller];
        pg_edge *out = &rec[job->fill[caller]++];
        out->caller = caller;
        out->callee = k;
        out->alive = 1;
        out->estimated = 0;
        out->adjusted = 0;
        if (ed->shape == PS_EDGE_TUPLE) {
            out->calls = ed->cc;
            out->weight = ed->ct;
            cur_nc = (double)ed->nc;
            cur_ct = ed->ct;
        } else {
            out->calls = ed->nc;
            out->weight = py_ratio((double)ed->nc, cur_nc) * cur_ct;
        }
    }
}

static void fill_arcs(fill_job *job)
{
    const ps_stats *s = job->s;
    ps_callgraph *g = job->g;
    const uint32_t *order = g->order;
    uint32_t n = job->k1;
    for (uint32_t k = job->k0; k < job->k1; k++) {
        if (order) {
            /* Entries are visited in a random order: fetch ahead, in stages. */
            if (k + 24 < n)
                __builtin_prefetch(&s->funcs[order[k + 24]]);
            if (k + 12 < n) {
                uint32_t pe = s->funcs[order[k + 12]].entry;
                if (pe != PS_NONE)
                    __builtin_prefetch(&s->entries[pe]);
            }
            if (k + 4 < n) {
                uint32_t pe = s->funcs[order[k + 4]].entry;
                if (pe != PS_NONE)
                    __builtin_prefetch(s->entries[pe].callers);
            }
        }
        uint32_t ei = s->funcs[callgraph_func(g, k)].entry;
        if (ei == PS_NONE)
            continue;
        const ps_entry *en = &s->entries[ei];
        if (g->rec) {
            fill_pg(job, en, k);
            continue;
        }
        for (uint32_t j = 0; j < en->ncallers; j++) {
            const ps_edge *ed = &en->callers[j];
            uint32_t pos = job->fill[job->node_of ? job->node_of[ed->caller] : ed->caller]++;
            g->to[pos] = k;
            g->nc[pos] = ed->nc;
            if (ed->shape == PS_EDGE_TUPLE) {
                g->w[pos] = ps_time_clean(ed->ct);
            } else {
                g->w[pos] = -1;     /* estimated below */
                job->any_int = 1;
            }
        }
    }
}

static void *fill_arcs_thread(void *arg)
{
    fill_arcs(arg);
    return NULL;
}

/* gprof2dot's function ids: first encounter while walking the entries and,
 * after each, its callers; the functions never met follow, by id. */
static int number_first_seen(const ps_stats *s, ps_callgraph *g, uint32_t *node_of)
{
    uint32_t n = s->nfuncs;
    memset(node_of, 0xff, ((size_t)n + 1) * sizeof *node_of);
    uint32_t k = 0;
    for (uint32_t i = 0; i < s->nentries; i++) {
        const ps_entry *en = &s->entries[i];
        if (node_of[en->func] == UINT32_MAX)
            node_of[en->func] = k++;
        for (uint32_t j = 0; j < en->ncallers; j++)
            if (node_of[en->callers[j].caller] == UINT32_MAX)
                node_of[en->callers[j].caller] = k++;
    }
    g->nseen = k;
    g->own_order = malloc(((size_t)n + 1) * sizeof *g->own_order);
    if (!g->own_order)
        return -1;
    for (uint32_t f = 0; f < n; f++) {
        if (node_of[f] == UINT32_MAX)
            node_of[f] = k++;
        g->own_order[node_of[f]] = f;
    }
    g->order = g->own_order;
    return 0;
}

/* pg: 0 for the to/nc/w arrays in the given order, 1 for gprof2dot's
 * numbering and records. */
static int build(const ps_stats *s, const uint32_t *order, int pg, int threads, ps_callgraph *g,
                 ps_error *e)
{
    memset(g, 0, sizeof *g);
    uint32_t n = s->nfuncs;
    g->n = n;
    g->order = order;
    g->used = pg ? NULL : calloc((size_t)n + 1, 1);   /* pg: the nodes below nseen */
    g->start = calloc((size_t)n + 2, sizeof *g->start);
    uint32_t *node_of = NULL;   /* function id -> node, when renumbered */
    uint32_t *fill = NULL, *fill2 = NULL;
    uint8_t *used = g->used;
    if ((!pg && !used) || !g->start)
        goto oom;
    if (pg) {
        node_of = malloc(((size_t)n + 1) * sizeof *node_of);
        if (!node_of || number_first_seen(s, g, node_of) < 0)
            goto oom;
    } else if (order) {
        node_of = malloc(((size_t)n + 1) * sizeof *node_of);
        if (!node_of)
            goto oom;
        for (uint32_t k = 0; k < n; k++)
            node_of[order[k]] = k;
    }
#define NODE(f) (node_of ? node_of[f] : (f))
    uint64_t narcs = 0;
    for (uint32_t i = 0; i < s->nentries; i++)
        narcs += s->entries[i].ncallers;
    if (narcs >= UINT32_MAX) {
        free(node_of);
        ps_callgraph_free(g);
        return ps_error_set(e, PS_EUSAGE, -1, "too many call edges (%llu)",
                            (unsigned long long)narcs);
    }
    /* Each caller's count goes to start[f + 2], so that after the sums
     * start[f + 1] is where f's arcs begin and can be the fill's cursor: at
     * the end it is where they end, start[f + 1] as CSR wants it, with no
     * cursor array.  Big graphs are filled by two threads, callees below
     * `mid` and the rest; fill2 counts each caller's arcs from the first
     * ones, so the second can start right after them and the two never
     * meet; its cursors end where the callers' arcs end. */
    uint32_t mid = threads == 2 || (threads == 0 && narcs >= PARALLEL_ARCS) ? (pg ? g->nseen : n) / 2 : n;
    if (mid < n) {
        fill2 = calloc((size_t)n + 1, sizeof *fill2);
        if (!fill2)
            goto oom;
    }
    for (uint32_t i = 0; i < s->nentries; i++) {
        const ps_entry *en = &s->entries[i];
        uint32_t callee = NODE(en->func);
        if (used)
            used[callee] = 1;
        for (uint32_t j = 0; j < en->ncallers; j++) {
            uint32_t f = NODE(en->callers[j].caller);
            if (used)
                used[f] = 1;
            g->start[f + 2]++;
            if (fill2)
                fill2[f] += callee < mid;
        }
    }
    g->narcs = (uint32_t)narcs;
    for (uint32_t f = 0; f < n; f++)
        g->start[f + 2] += g->start[f + 1];
    size_t na = narcs ? (size_t)narcs : 1;
    if (pg) {
        g->rec = malloc((na + 1) * sizeof *g->rec);
        if (!g->rec)
            goto oom;
    } else {
        g->to = malloc(na * sizeof *g->to);
        g->nc = malloc(na * sizeof *g->nc);
        g->w = malloc(na * sizeof *g->w);
        if (!g->to || !g->nc || !g->w)
            goto oom;
    }
    for (uint32_t f = 0; fill2 && f < n; f++)
        fill2[f] = g->start[f + 1] + fill2[f];
    fill = g->start + 1;
    fill_job part[2] = {{s, g, node_of, fill, 0, mid, 0}, {s, g, node_of, fill2, mid, n, 0}};
    pthread_t t;
    int threaded = mid < n && ps_thread_start(&t, fill_arcs_thread, &part[1]);
    fill_arcs(&part[0]);
    if (threaded)
        pthread_join(t, NULL);
    else
        fill_arcs(&part[1]);
    if (fill2)
        memcpy(g->start + 1, fill2, (size_t)n * sizeof *fill2);
    int any_int = part[0].any_int || part[1].any_int;
#undef NODE
    free(fill2);
    if (pg)
        g->node_of = node_of;   /* graph.c walks the entries with it */
    else
        free(node_of);
    if (any_int && estimate_int_edges(s, g, e) < 0) {
        ps_callgraph_free(g);
        return -1;
    }
    return 0;
oom:
    free(fill2);
    free(node_of);
    ps_callgraph_free(g);
    return nomem(e);
}

int ps_callgraph_build(const ps_stats *s, const uint32_t *order, int threads, ps_callgraph *g,
                    ps_error *e)
{
    return build(s, order, 0, threads, g, e);
}

int ps_callgraph_build_pg(const ps_stats *s, int threads, ps_callgraph *g, ps_error *e)
{
    return build(s, NULL, 1, threads, g, e);
}

int ps_callgraph_scc(ps_callgraph *g, ps_error *e)
{
    free(g->scc);
    g->scc = malloc(((size_t)g->n + 1) * sizeof *g->scc);
    if (!g->scc || ps_scc_tarjan(g->n, g->start, g->to, NULL, g->scc, &g->nscc) < 0) {
        free(g->scc);
        g->scc = NULL;
        return nomem(e);
    }
    return 0;
}
