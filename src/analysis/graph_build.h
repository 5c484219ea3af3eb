/* graph_build.h - what graph.c (numbering, pruning) and graph_filter.c
 * (--focus, --ignore, --hide) share while building a pg_graph. */
#ifndef PSTATS_ANALYSIS_GRAPH_BUILD_H
#define PSTATS_ANALYSIS_GRAPH_BUILD_H

#include <stdint.h>
#include "pstats/graph.h"
#include "analysis/callgraph.h"   /* the one builder; py_ratio */

#define NONE UINT32_MAX

typedef struct builder {
    const ps_stats *s;
    const pg_options *o;
    pg_graph *g;
    ps_error *e;
    uint32_t *in_first;       /* CSR of in-edges by callee (built on demand) */
    uint32_t *in_idx;
} builder;

static inline int nomem(ps_error *e)
{
    return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
}

/* An edge that is drawn: alive, between two alive nodes. */
static inline int edge_live(const pg_graph *g, const pg_edge *ed)
{
    return ed->alive && g->nodes[ed->caller].alive && g->nodes[ed->callee].alive;
}

/* Orders edges by callee (qsort, bsearch). */
static inline int cmp_callee(const void *a, const void *b)
{
    const pg_edge *x = a, *y = b;
    return x->callee < y->callee ? -1 : x->callee > y->callee;
}

/* graph_index.c: the out-edge index of every node (after the edges were sorted by
 * caller: the builder's come sorted, so only the filters' relinking, which
 * appends edges, needs it) and the in-edge index by callee (built on demand,
 * dropped when the edges change). */
void ps_pgb_index_edges(pg_graph *g);
void ps_pgb_drop_in_index(builder *b);
int ps_pgb_build_in_index(builder *b);

/* graph_filter.c: the pprof-style filters, applied in this order. */
int ps_pgb_apply_ignore(builder *b);
int ps_pgb_apply_focus(builder *b);
int ps_pgb_apply_hide(builder *b);
int ps_pgb_apply_show(builder *b);
int ps_pgb_apply_show_from(builder *b);
/* Links the callers of the functions flagged in hid to their callees, with
 * the estimated share of time and calls (--hide with merge = 1, and
 * --node-count's residual edges with merge = 0); takes hid. */
int ps_pgb_relink(builder *b, uint8_t *hid, int merge, double min_weight, double eps);

#endif
