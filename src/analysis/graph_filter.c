/* graph_filter.c - pprof's --focus, --ignore and --hide on gprof2dot's graph:
 * regular expressions on file:line(function); the time that flows through
 * the matched functions decides what stays, and hidden functions' edges are
 * relinked to their callers with estimated weights. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "analysis/graph_build.h"
#include "analysis/scc.h"
#include "base/grow.h"
#include "base/index.h"
#include "pstats/select.h"

/* flags[i] = 1 for alive nodes whose file:line(function) matches any pattern. */
static int match_regexes(builder *b, const char **pats, size_t npats, const char *what,
                         uint8_t *flags, size_t *nmatched)
{
    pg_graph *g = b->g;
    sel_regex **res = calloc(npats + 1, sizeof *res);
    if (!res)
        return nomem(b->e);
    for (size_t k = 0; k < npats; k++) {
        char err[256];
        res[k] = ps_sel_regex_compile(pats[k], err, sizeof err);
        if (!res[k]) {
            for (size_t j = 0; j < k; j++)
                ps_sel_regex_free(res[j]);
            free(res);
            return ps_error_set(b->e, PS_EUSAGE, -1, "--%s %s: bad regular expression: %s", what,
                                pats[k], err);
        }
    }
    size_t cap = 1024;
    char *buf = malloc(cap);
    *nmatched = 0;
    for (uint32_t i = 0; buf && i < g->nnodes; i++) {
        flags[i] = 0;
        if (!g->nodes[i].alive)
            continue;
        size_t len = ps_stats_std_name(b->s, g->nodes[i].func, buf, cap);
        if (len >= cap) {
            if (ps_grow(&buf, &cap, len + 1, 1) < 0) {
                free(buf);
                buf = NULL;
                break;
            }
            ps_stats_std_name(b->s, g->nodes[i].func, buf, cap);
        }
        for (size_t k = 0; k < npats; k++)
            if (ps_sel_regex_search(res[k], buf, len)) {
                flags[i] = 1;
                (*nmatched)++;
                break;
            }
    }
    for (size_t k = 0; k < npats; k++)
        ps_sel_regex_free(res[k]);
    free(res);
    if (!buf)
        return nomem(b->e);
    free(buf);
    return 0;
}

/* The components of the live graph (comp[i] for alive nodes): its live edges
 * in CSR form for ps_scc_tarjan, in the order the nodes list them. */
static int scc(builder *b, uint32_t *comp, uint32_t *ncomp)
{
    pg_graph *g = b->g;
    uint32_t n = g->nnodes;
    uint32_t *start = malloc(((size_t)n + 1) * sizeof *start);
    uint32_t *to = malloc((g->nedges + 1) * sizeof *to);
    uint8_t *alive = malloc((size_t)n + 1);
    if (!start || !to || !alive) {
        free(start), free(to), free(alive);
        return nomem(b->e);
    }
    uint32_t m = 0;
    for (uint32_t v = 0; v < n; v++) {
        alive[v] = g->nodes[v].alive;
        start[v] = m;
        const pg_node *nv = &g->nodes[v];
        for (uint32_t k = 0; k < nv->out_n; k++) {
            const pg_edge *ed = &g->edges[nv->out_first + k];
            if (edge_live(g, ed))
                to[m++] = ed->callee;
        }
    }
    start[n] = m;
    int rc = ps_scc_tarjan(n, start, to, alive, comp, ncomp);
    free(start), free(to), free(alive);
    return rc < 0 ? nomem(b->e) : 0;
}

/* ---- time flowing through a set of functions ----------------------------------
 * pstats has no stacks, so "the time spent on paths through f" can only be
 * estimated.  Along a call u -> v the share of u's time that goes to v is
 * w(u->v) / total(u) (and of v's time that comes from u, w(u->v) / total(v));
 * the estimate for a node is the best product over call paths from the seeds
 * (a widest-path search: the shares are at most 1, so cycles never help). */

typedef struct heap_item {
    double key;
    uint32_t node;
} heap_item;

static void heap_push(heap_item *h, size_t *n, heap_item it)
{
    size_t i = (*n)++;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (h[p].key >= it.key)
            break;
        h[i] = h[p];
        i = p;
    }
    h[i] = it;
}

static heap_item heap_pop(heap_item *h, size_t *n)
{
    heap_item top = h[0], last = h[--(*n)];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= *n)
            break;
        if (c + 1 < *n && h[c + 1].key > h[c].key)
            c++;
        if (h[c].key <= last.key)
            break;
        h[i] = h[c];
        i = c;
    }
    if (*n)
        h[i] = last;
    return top;
}

static double fraction_of(double part, double whole)
{
    if (!(whole > 0.0) || !(part > 0.0))
        return 0.0;
    double r = part / whole;
    return r > 1.0 ? 1.0 : r;
}

/* flow[i]: the estimated fraction of the profile's time of node i on call
 * paths from (forward) or to (backward) the seeds, -1 where none leads;
 * blocked nodes are never entered. */
static int best_flow(builder *b, const uint8_t *seed, const uint8_t *blocked, int backward, double *flow)
{
    pg_graph *g = b->g;
    uint32_t n = g->nnodes;
    if (backward && ps_pgb_build_in_index(b) < 0)
        return -1;
    heap_item *h = malloc((g->nedges + (size_t)n + 1) * sizeof *h);
    uint8_t *done = calloc((size_t)n + 1, 1);
    if (!h || !done) {
        free(h), free(done);
        return nomem(b->e);
    }
    size_t nh = 0;
    for (uint32_t i = 0; i < n; i++) {
        flow[i] = -1.0;
        if (seed[i] && g->nodes[i].alive && !(blocked && blocked[i])) {
            flow[i] = g->nodes[i].total_ratio;
            heap_push(h, &nh, (heap_item){flow[i], i});
        }
    }
    while (nh) {
        heap_item it = heap_pop(h, &nh);
        uint32_t v = it.node;
        if (done[v] || it.key < flow[v])
            continue;
        done[v] = 1;
        const pg_node *nv = &g->nodes[v];
        uint32_t lo = backward ? b->in_first[v] : nv->out_first;
        uint32_t hi = backward ? b->in_first[v + 1] : nv->out_first + nv->out_n;
        for (uint32_t k = lo; k < hi; k++) {
            const pg_edge *ed = &g->edges[backward ? b->in_idx[k] : k];
            uint32_t w = backward ? ed->caller : ed->callee;
            if (!edge_live(g, ed) || done[w] || (blocked && blocked[w]))
                continue;
            double f = flow[v] * fraction_of(ed->weight, nv->total_ratio);
            if (f > g->nodes[w].total_ratio)
                f = g->nodes[w].total_ratio;
            if (f > flow[w]) {
                flow[w] = f;
                heap_push(h, &nh, (heap_item){f, w});
            }
        }
    }
    free(h), free(done);
    return 0;
}

/* --ignore: drop the matches, and what then no longer gets at least -n
 * percent of the time from the roots.  The roots are one function per source
 * component of the call graph (the one with the largest total time):
 * `disable`, and `exec` in a cProfile run. */
int ps_pgb_apply_ignore(builder *b)
{
    pg_graph *g = b->g;
    uint32_t n = g->nnodes;
    uint8_t *hit = calloc((size_t)n + 1, 1);
    uint32_t *comp = malloc(((size_t)n + 1) * sizeof *comp);
    if (!hit || !comp) {
        free(hit), free(comp);
        return nomem(b->e);
    }
    size_t nhit;
    uint32_t ncomp = 0;
    if (match_regexes(b, b->o->ignore, b->o->nignore, "ignore", hit, &nhit) < 0 ||
        scc(b, comp, &ncomp) < 0) {
        free(hit), free(comp);
        return -1;
    }
    if (nhit == 0) {
        free(hit), free(comp);
        return 0;
    }
    uint8_t *entered = calloc((size_t)ncomp + 1, 1);
    uint32_t *best = malloc(((size_t)ncomp + 1) * sizeof *best);
    uint8_t *root = calloc((size_t)n + 1, 1);
    double *flow = malloc(((size_t)n + 1) * sizeof *flow);
    if (!entered || !best || !root || !flow) {
        free(hit), free(comp), free(entered), free(best), free(root), free(flow);
        return nomem(b->e);
    }
    memset(best, 0xff, ((size_t)ncomp + 1) * sizeof *best);
    for (size_t i = 0; i < g->nedges; i++) {
        const pg_edge *ed = &g->edges[i];
        if (edge_live(g, ed) && comp[ed->caller] != comp[ed->callee])
            entered[comp[ed->callee]] = 1;
    }
    for (uint32_t i = 0; i < n; i++) {
        if (!g->nodes[i].alive || entered[comp[i]])
            continue;
        uint32_t *bb = &best[comp[i]];
        if (*bb == NONE || g->nodes[i].ct > g->nodes[*bb].ct)
            *bb = i;
    }
    for (uint32_t c = 0; c < ncomp; c++)
        if (best[c] != NONE)
            root[best[c]] = 1;
    int rc = best_flow(b, root, hit, 0, flow);
    double thres = b->o->node_thres / 100.0;
    if (rc == 0)
        for (uint32_t i = 0; i < n; i++)
            if (hit[i] || flow[i] < 0.0 || flow[i] < thres)
                g->nodes[i].alive = 0;
    free(hit), free(comp), free(entered), free(best), free(root), free(flow);
    return rc;
}

/* --focus: keep the functions with at least -n percent of the time on call
 * paths through a match (callers and callees), and the calls on such paths. */
int ps_pgb_apply_focus(builder *b)
{
    pg_graph *g = b->g;
    uint32_t n = g->nnodes;
    uint8_t *hit = calloc((size_t)n + 1, 1);
    double *up = malloc(((size_t)n + 1) * sizeof *up), *down = malloc(((size_t)n + 1) * sizeof *down);
    if (!hit || !up || !down) {
        free(hit), free(up), free(down);
        return nomem(b->e);
    }
    size_t nhit;
    if (match_regexes(b, b->o->focus, b->o->nfocus, "focus", hit, &nhit) < 0) {
        free(hit), free(up), free(down);
        return -1;
    }
    if (nhit == 0) {
        free(hit), free(up), free(down);
        if (b->o->nfocus == 1)
            return ps_error_set(b->e, PS_EUSAGE, -1, "focus %s matches no function", b->o->focus[0]);
        return ps_error_set(b->e, PS_EUSAGE, -1, "no --focus expression matches a function");
    }
    if (best_flow(b, hit, NULL, 1, up) < 0 || best_flow(b, hit, NULL, 0, down) < 0) {
        free(hit), free(up), free(down);
        return -1;
    }
    double thres = b->o->node_thres / 100.0;
    for (uint32_t i = 0; i < n; i++) {
        /* a match stays whatever its weight; the thresholds come later */
        int on_up = up[i] >= 0.0 && (up[i] >= thres || hit[i]);
        int on_down = down[i] >= 0.0 && (down[i] >= thres || hit[i]);
        up[i] = on_up;
        down[i] = on_down;
    }
    for (size_t i = 0; i < g->nedges; i++) {
        pg_edge *ed = &g->edges[i];
        if (ed->alive && !(up[ed->caller] && up[ed->callee]) && !(down[ed->caller] && down[ed->callee]))
            ed->alive = 0;
    }
    for (uint32_t i = 0; i < n; i++)
        if (!up[i] && !down[i])
            g->nodes[i].alive = 0;
    free(hit), free(up), free(down);
    return 0;
}

/* The links --hide and --node-count add: (caller, callee) -> accumulated
 * weight and calls, in the order first found, indexed by the pair. */
typedef struct via {
    uint32_t u, v;        /* u == UINT32_MAX: dropped */
    double weight, calls;
} via;
typedef struct via_map {
    ps_index ix;
    via *at;
    size_t n, cap;
} via_map;

static int via_add(via_map *m, uint32_t u, uint32_t v, double w, double c)
{
    if (m->n == UINT32_MAX - 1 || ps_grow(&m->at, &m->cap, m->n + 1, sizeof *m->at) < 0)
        return -1;
    ps_index_probe p;
    uint32_t i = ps_index_find(&m->ix, ps_index_hash_pair(u, v), &p);
    while (i != PS_INDEX_NONE && (m->at[i].u != u || m->at[i].v != v))
        i = ps_index_next(&m->ix, &p);
    if (i == PS_INDEX_NONE) {
        if (ps_index_add(&m->ix, &p, (uint32_t)m->n) < 0)
            return -1;
        i = (uint32_t)m->n;
        m->at[m->n++] = (via){u, v, 0.0, 0.0};
    }
    m->at[i].weight += w;
    m->at[i].calls += c;
    return 0;
}

static void via_free(via_map *m)
{
    ps_index_free(&m->ix);
    free(m->at);
}

static double share(double part, double whole)
{
    if (!(whole > 0.0))
        return 0.0;
    double r = part / whole;
    return r > 1.0 ? 1.0 : r < 0.0 ? 0.0 : r;
}

/* Remove the functions flagged in hid, linking each caller u of a removed h
 * to h's callees v (through chains of removed functions) with u's share of
 * h's time and calls.  --hide (merge = 1): an existing u -> v call absorbs
 * the estimate, as pprof re-stacks the samples.  --node-count (merge = 0):
 * only missing links are added, as pprof's residual edges, if they reach
 * min_weight.  New edges are marked estimated (drawn dotted).  Shares below
 * eps are not followed, so relinking thousands of functions of a big
 * profile stays cheap.  Takes hid. */
int ps_pgb_relink(builder *b, uint8_t *hid, int merge, double min_weight, double eps)
{
    pg_graph *g = b->g;
    uint32_t n = g->nnodes;
    uint32_t *stamp = malloc(((size_t)n + 1) * sizeof *stamp);
    typedef struct item { uint32_t node; double tf, cf; } item;
    item *stack = malloc(((size_t)n + 1) * sizeof *stack);
    via_map m = {0};
    ps_index_init(&m.ix, 0);
    if (!stamp || !stack) {
        free(hid), free(stamp), free(stack);
        return nomem(b->e);
    }
    memset(stamp, 0xff, ((size_t)n + 1) * sizeof *stamp);
    int rc = 0;
    for (uint32_t u = 0; u < n && rc == 0; u++) {
        const pg_node *nu = &g->nodes[u];
        if (!nu->alive || hid[u])
            continue;
        size_t sp = 0;
        for (uint32_t k = 0; k < nu->out_n; k++) {
            const pg_edge *ed = &g->edges[nu->out_first + k];
            uint32_t h = ed->callee;
            if (!edge_live(g, ed) || !hid[h] || stamp[h] == u || !(ed->weight >= eps))
                continue;
            stamp[h] = u;
            const pg_node *nh = &g->nodes[h];
            stack[sp++] = (item){h, share(ed->weight, nh->total_ratio),
                                 share((double)ed->calls, (double)nh->called)};
        }
        while (sp && rc == 0) {
            item it = stack[--sp];
            const pg_node *nh = &g->nodes[it.node];
            for (uint32_t k = 0; k < nh->out_n; k++) {
                const pg_edge *ed = &g->edges[nh->out_first + k];
                uint32_t v = ed->callee;
                if (!edge_live(g, ed) || v == it.node)
                    continue;
                double w = it.tf * ed->weight;
                if (!(w >= eps))
                    continue;
                if (hid[v]) {
                    if (stamp[v] == u)
                        continue;
                    stamp[v] = u;
                    const pg_node *nv = &g->nodes[v];
                    stack[sp++] = (item){v, it.tf * share(ed->weight, nv->total_ratio),
                                         it.cf * share((double)ed->calls, (double)nv->called)};
                } else if (via_add(&m, u, v, w, it.cf * (double)ed->calls) < 0) {
                    rc = nomem(b->e);
                }
            }
        }
    }
    free(stamp);
    free(stack);
    if (rc < 0) {
        free(hid);
        via_free(&m);
        return rc;
    }
    /* merge into existing edges, append the new ones */
    size_t extra = 0;
    for (size_t i = 0; i < m.n; i++) {
        via *x = &m.at[i];
        uint32_t u = x->u, v = x->v;
        const pg_node *nu = &g->nodes[u];
        pg_edge key = {.callee = v};
        pg_edge *hitp = nu->out_n ? bsearch(&key, g->edges + nu->out_first, nu->out_n, sizeof key,
                                            cmp_callee) : NULL;
        if (hitp && hitp->alive) {
            if (merge) {             /* the direct call absorbs the estimate */
                double w = hitp->weight + x->weight;
                hitp->weight = w > 1.0 ? 1.0 : w;
                hitp->calls += llround(x->calls);
                hitp->adjusted = 1;
            }
            x->u = UINT32_MAX;
        } else if (!(x->weight >= min_weight)) {
            x->u = UINT32_MAX;     /* too small to draw */
        } else if (hitp) {
            /* a call dropped earlier (--focus, thresholds): revive it as an estimate */
            hitp->alive = 1;
            hitp->estimated = 1;
            hitp->weight = x->weight > 1.0 ? 1.0 : x->weight;
            hitp->calls = llround(x->calls);
            x->u = UINT32_MAX;
        } else {
            extra++;
        }
    }
    if (extra) {
        if (ps_resize(&g->edges, g->nedges + extra + 1, sizeof *g->edges) < 0) {
            free(hid);
            via_free(&m);
            return nomem(b->e);
        }
        for (size_t i = 0; i < m.n; i++) {
            via *x = &m.at[i];
            if (x->u == UINT32_MAX)
                continue;
            pg_edge *ed = &g->edges[g->nedges++];
            ed->caller = x->u;
            ed->callee = x->v;
            ed->weight = x->weight > 1.0 ? 1.0 : x->weight;
            ed->calls = llround(x->calls);
            ed->alive = 1;
            ed->estimated = 1;
            ed->adjusted = 0;
        }
        /* back into (caller, callee) order: a stable counting sort by caller */
        uint32_t *first = calloc((size_t)n + 1, sizeof *first);
        pg_edge *sorted = malloc((g->nedges + 1) * sizeof *sorted);
        if (!first || !sorted) {
            free(first), free(sorted), free(hid), via_free(&m);
            return nomem(b->e);
        }
        for (size_t i = 0; i < g->nedges; i++)
            first[g->edges[i].caller + 1]++;
        for (uint32_t i = 0; i < n; i++)
            first[i + 1] += first[i];
        for (size_t i = 0; i < g->nedges; i++)
            sorted[first[g->edges[i].caller]++] = g->edges[i];
        free(first);
        free(g->edges);
        g->edges = sorted;
        ps_pgb_index_edges(g);
        ps_pgb_drop_in_index(b);
    }
    via_free(&m);
    for (uint32_t i = 0; i < n; i++)
        if (hid[i])
            g->nodes[i].alive = 0;
    free(hid);
    return 0;
}

/* --hide: the matches go, their callers are linked to their callees.
 * --keep, pprof's show (show = 1): the same with the functions that do not match, as
 * pprof drops the frames its -show does not keep. */
static int hide_or_show(builder *b, int show)
{
    uint8_t *hid = calloc((size_t)b->g->nnodes + 1, 1);
    if (!hid)
        return nomem(b->e);
    size_t nhit;
    if (match_regexes(b, show ? b->o->show : b->o->hide, show ? b->o->nshow : b->o->nhide,
                      show ? "keep" : "hide", hid, &nhit) < 0) {
        free(hid);
        return -1;
    }
    if (show) {
        size_t alive = 0;
        for (uint32_t i = 0; i < b->g->nnodes; i++)
            if (b->g->nodes[i].alive) {
                hid[i] = !hid[i];
                alive++;
            }
        nhit = alive - nhit;
    }
    if (nhit == 0) {
        free(hid);
        return 0;
    }
    /* shares below 1 % of the edge threshold (1e-9 without one) do not matter */
    return ps_pgb_relink(b, hid, 1, 0.0, b->o->edge_thres > 0 ? b->o->edge_thres / 100.0 * 0.01 : 1e-9);
}

int ps_pgb_apply_hide(builder *b) { return hide_or_show(b, 0); }
int ps_pgb_apply_show(builder *b) { return hide_or_show(b, 1); }

/* --keep-from, pprof's show_from: it drops the frames above the highest match of each
 * stack; without stacks, the functions no call path from a match reaches
 * go (the matches and what they call, directly or not, stay). */
int ps_pgb_apply_show_from(builder *b)
{
    pg_graph *g = b->g;
    uint32_t n = g->nnodes;
    uint8_t *hit = calloc((size_t)n + 1, 1);
    double *down = malloc(((size_t)n + 1) * sizeof *down);
    if (!hit || !down) {
        free(hit), free(down);
        return nomem(b->e);
    }
    size_t nhit;
    int rc = match_regexes(b, b->o->show_from, b->o->nshow_from, "keep-from", hit, &nhit);
    if (rc == 0 && nhit == 0)
        rc = ps_error_set(b->e, PS_EUSAGE, -1, "show_from %s matches no function", b->o->show_from[0]);
    if (rc == 0)
        rc = best_flow(b, hit, NULL, 0, down);
    for (uint32_t i = 0; rc == 0 && i < n; i++)
        if (down[i] < 0.0)
            g->nodes[i].alive = 0;
    free(hit), free(down);
    return rc;
}
