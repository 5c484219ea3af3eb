/* callgraph.h - the caller/callee graph of a stats database as flat arrays,
 * shared by the callgrind and folded-stack writers (internal to libpstats).
 *
 * Every function that is an entry or appears as a caller is a node; every
 * caller edge of every entry is an arc caller -> callee.  The arcs of one
 * caller are contiguous (CSR).  Nothing here touches the stats' own caches,
 * so building a graph never changes what the browser prints afterwards. */
#ifndef PSTATS_CALLGRAPH_H
#define PSTATS_CALLGRAPH_H

#include <stdint.h>
#include "pstats/stats.h"

typedef struct ps_callgraph {
    uint32_t n;             /* s->nfuncs */
    const uint32_t *order;  /* node -> function id, or NULL: node = function id */
    uint8_t *used;          /* the node's function is an entry or a caller */
    uint32_t *start;        /* n + 1 offsets into the arc arrays */
    uint32_t *to;           /* callee node of each arc */
    int64_t *nc;            /* the edge's call count (total, recursive included) */
    double *w;              /* the arc's time in seconds (see ps_callgraph_build) */
    uint32_t narcs;
    uint32_t *scc;          /* component of each node (after ps_callgraph_scc) */
    uint32_t nscc;
} ps_callgraph;

/* Build the graph.  Nodes are the function ids, or, when `order` is given (a
 * permutation of the n function ids, kept by the graph), the positions in
 * it: node k is function order[k], so walking the nodes in order walks the
 * arc arrays straight through, and each caller's arcs come in that order of
 * their callees.
 *
 * An arc's time w is the edge's ct for cProfile's tuple edges.  profile.py's
 * int edges carry only a call count, so their time is estimated from the
 * callee's ct and the call counts (see estimate_int_edges in callgraph.c).
 * NaN, infinite, negative and absurd times count as 0.  threads: 0 fills
 * the arcs of a big graph on two threads, 1 on this one, 2 on two always. */
int ps_callgraph_build(const ps_stats *s, const uint32_t *order, int threads, ps_callgraph *g,
                    ps_error *err);

/* Strongly connected components (iterative Tarjan: no recursion, any size).
 * Component ids are in reverse topological order of the condensation: an arc
 * between two components goes from a higher id to a lower one. */
int ps_callgraph_scc(ps_callgraph *g, ps_error *err);

void ps_callgraph_free(ps_callgraph *g);

static inline uint32_t callgraph_func(const ps_callgraph *g, uint32_t node)
{
    return g->order ? g->order[node] : node;
}

#endif
