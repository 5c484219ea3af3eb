/* view.c - the browser's view of a profile (see view.h): a copy of the
 * stats, re-keyed to the granularity, then cut down to what prof2dot's
 * filters keep of its graph. */
#include <stdlib.h>
#include <string.h>
#include "analysis/graph_build.h"
#include "base/grow.h"
#include "pstats/view.h"

int ps_view_has_filters(const pg_options *o)
{
    return o->nfocus || o->nignore || o->nhide || o->nshow || o->nshow_from;
}

typedef struct view_ctx {
    const ps_stats *s;
    const pg_graph *g;
    const uint32_t *node_of;     /* function id -> graph node, NONE if none */
    const uint32_t *extra_first; /* live made-up calls by callee node (CSR) */
    const uint32_t *extra;       /* their edge indices */
    ps_edge *buf;
    size_t cap;
} view_ctx;

/* The live graph edge caller -> callee (nodes), or NULL. */
static const pg_edge *graph_edge(const pg_graph *g, uint32_t caller, uint32_t callee)
{
    const pg_node *nu = &g->nodes[caller];
    pg_edge key = {.callee = callee};
    const pg_edge *hit = nu->out_n ? bsearch(&key, g->edges + nu->out_first, nu->out_n,
                                             sizeof key, cmp_callee) : NULL;
    return hit && edge_live(g, hit) ? hit : NULL;
}

/* A call the filters made up or changed, as a cProfile tuple: the graph's
 * calls and time, the callee's own share of that time. */
static ps_edge estimated_edge(const view_ctx *c, const pg_edge *ge, const ps_entry *callee)
{
    double ct = ge->weight * c->g->total_time;
    double tt = callee->ct > 0.0 ? ct * (callee->tt / callee->ct) : 0.0;
    return (ps_edge){c->g->nodes[ge->caller].func, PS_EDGE_TUPLE, ge->calls, ge->calls, tt, ct};
}

static const ps_edge *callers_of(void *ctx, uint32_t func, uint32_t *n)
{
    view_ctx *c = ctx;
    const ps_entry *en = ps_stats_entry_of(c->s, func);
    uint32_t v = c->node_of[func];
    size_t need = en->ncallers + (c->extra_first[v + 1] - c->extra_first[v]) + 1;
    *n = 0;
    if (ps_grow(&c->buf, &c->cap, need, sizeof *c->buf) < 0) {
        *n = 1;
        return NULL;
    }
    for (uint32_t j = 0; j < en->ncallers; j++) {
        const ps_edge *ed = &en->callers[j];
        const pg_edge *ge = graph_edge(c->g, c->node_of[ed->caller], v);
        if (!ge)
            continue;
        c->buf[(*n)++] = ge->estimated || ge->adjusted ? estimated_edge(c, ge, en) : *ed;
    }
    for (uint32_t k = c->extra_first[v]; k < c->extra_first[v + 1]; k++)
        c->buf[(*n)++] = estimated_edge(c, &c->g->edges[c->extra[k]], en);
    return c->buf;
}

/* Keep what the graph keeps: its alive nodes, its live calls (the profile's
 * own where unchanged, estimates where hide or show made them). */
static int cut_to_graph(ps_stats *s, const pg_graph *g, ps_error *e)
{
    uint32_t *node_of = malloc(((size_t)s->nfuncs + 1) * sizeof *node_of);
    uint8_t *keep = calloc((size_t)s->nfuncs + 1, 1);
    uint8_t *seen = calloc(g->nedges + 1, 1);
    uint32_t *extra_first = calloc((size_t)g->nnodes + 2, sizeof *extra_first);
    uint32_t *extra = malloc((g->nedges + 1) * sizeof *extra);
    int rc = -1;
    view_ctx c = {s, g, node_of, extra_first, extra, NULL, 0};
    if (!node_of || !keep || !seen || !extra_first || !extra) {
        nomem(e);
        goto done;
    }
    memset(node_of, 0xff, ((size_t)s->nfuncs + 1) * sizeof *node_of);
    for (uint32_t i = 0; i < g->nnodes; i++) {
        node_of[g->nodes[i].func] = i;
        keep[g->nodes[i].func] = g->nodes[i].alive && g->nodes[i].has_stats;
    }
    /* the calls of the profile, so that the made-up ones are known */
    for (uint32_t i = 0; i < s->nentries; i++) {
        const ps_entry *en = &s->entries[i];
        for (uint32_t j = 0; j < en->ncallers; j++) {
            const pg_edge *ge = graph_edge(g, node_of[en->callers[j].caller], node_of[en->func]);
            if (ge)
                seen[ge - g->edges] = 1;
        }
    }
    for (size_t i = 0; i < g->nedges; i++)
        if (!seen[i] && edge_live(g, &g->edges[i]))
            extra_first[g->edges[i].callee + 2]++;
    for (uint32_t v = 0; v < g->nnodes; v++)
        extra_first[v + 2] += extra_first[v + 1];
    for (size_t i = 0; i < g->nedges; i++)
        if (!seen[i] && edge_live(g, &g->edges[i]))
            extra[extra_first[g->edges[i].callee + 1]++] = (uint32_t)i;
    rc = ps_stats_rebuild(s, keep, callers_of, &c, e);
done:
    free(node_of), free(keep), free(seen), free(extra_first), free(extra), free(c.buf);
    return rc;
}

int ps_view_build(const ps_stats *base, int granularity, const pg_options *o, ps_stats **out,
                  ps_error *e)
{
    ps_error_clear(e);
    *out = NULL;
    ps_stats *s = ps_stats_new();
    if (!s)
        return nomem(e);
    s->sampled = base->sampled;
    int rc = ps_stats_add(s, base, e);
    if (rc == 0)
        rc = ps_stats_granularity(s, granularity, e);
    if (rc == 0 && ps_view_has_filters(o)) {
        /* the filters alone: no thresholds, no pruning of gprof2dot's own */
        pg_options f;
        memset(&f, 0, sizeof f);   /* no thresholds, labels or colours: only the graph */
        f.depth = -1;
        f.focus = o->focus, f.nfocus = o->nfocus;
        f.ignore = o->ignore, f.nignore = o->nignore;
        f.hide = o->hide, f.nhide = o->nhide;
        f.show = o->show, f.nshow = o->nshow;
        f.show_from = o->show_from, f.nshow_from = o->nshow_from;
        pg_graph g;
        rc = ps_pg_build(s, &f, &g, e);
        if (rc == 0) {
            rc = cut_to_graph(s, &g, e);
            ps_pg_graph_free(&g);
        }
    }
    if (rc < 0) {
        ps_stats_free(s);
        return -1;
    }
    *out = s;
    return 0;
}
