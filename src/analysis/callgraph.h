/* callgraph.h - the caller/callee graph of a stats database, the one model
 * of it in libpstats (internal): callgrind, the folded stacks' estimate and
 * gprof2dot's graph (graph.c, for dot and the browser's filters) are all
 * built here, by one builder, with one numbering scheme and one arc order.
 *
 * Every function that is an entry or appears as a caller is a node; every
 * caller edge of every entry is an arc caller -> callee.  The arcs of one
 * caller are contiguous (CSR), in the order of their callee nodes, and an
 * arc's index is its identity.  What an arc carries depends on its user, so
 * the builder writes only what is asked for: the callee, call count and time
 * arrays (to, nc, w) for callgrind and the stacks, or gprof2dot's edge
 * records (pg_edge, see ps_callgraph_build_pg) for the dot graph -- never
 * both, so the arcs of a big profile are stored once.  Nothing here touches
 * the stats' own caches, so building a graph never changes what the browser
 * prints afterwards. */
#ifndef PSTATS_CALLGRAPH_H
#define PSTATS_CALLGRAPH_H

#include <stdint.h>
#include "pstats/graph.h"
#include "pstats/stats.h"

typedef struct ps_callgraph {
    uint32_t n;             /* s->nfuncs */
    const uint32_t *order;  /* node -> function id, or NULL: node = function id */
    uint32_t *own_order;    /* the order the builder made (first-seen numbering) */
    uint32_t nseen;         /* first-seen numbering: nodes 0 .. nseen-1 are used */
    uint32_t *node_of;      /* first-seen numbering: function id -> node */
    uint8_t *used;          /* the node's function is an entry or a caller (NULL from
                             * ps_callgraph_build_pg: nodes 0 .. nseen-1) */
    uint32_t *start;        /* n + 1 offsets into the arc arrays */
    uint32_t *to;           /* callee node of each arc */
    int64_t *nc;            /* the edge's call count (total, recursive included) */
    double *w;              /* the arc's time in seconds (see ps_callgraph_build) */
    pg_edge *rec;           /* or gprof2dot's records (ps_callgraph_build_pg) */
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

/* The same graph as gprof2dot numbers and weighs it, for graph.c.  Nodes are
 * numbered in order of first encounter while walking the entries and, after
 * each, its callers (gprof2dot's function ids): nodes 0 .. nseen-1 are the
 * used functions, the others follow in function id order (g->order and its
 * inverse g->node_of, owned by g).  No to/nc/w arrays: each arc is written as a pg_edge into g->rec
 * (narcs + 1 records; the caller takes them over by setting g->rec to NULL
 * before ps_callgraph_free), so the arcs come sorted by (caller, callee):
 * caller and callee node, calls = the primitive count (cProfile's tuple
 * edges) or the count (profile.py's int edges), weight = the edge's time,
 * not yet a ratio: ct, or, for an int edge, gprof2dot's estimate (the count
 * over the entry's nc, times its ct, where a tuple caller earlier in the
 * same entry replaces that nc and ct with its own, as gprof2dot's parser
 * reuses its variables).  alive = 1. */
int ps_callgraph_build_pg(const ps_stats *s, int threads, ps_callgraph *g, ps_error *err);

/* Strongly connected components (iterative Tarjan: no recursion, any size).
 * Component ids are in reverse topological order of the condensation: an arc
 * between two components goes from a higher id to a lower one. */
int ps_callgraph_scc(ps_callgraph *g, ps_error *err);

void ps_callgraph_free(ps_callgraph *g);

/* gprof2dot's ratio(): clamped to [0, 1], and 1.0 for a zero denominator. */
static inline double py_ratio(double num, double den)
{
    if (den == 0.0)
        return 1.0;
    double r = num / den;
    if (r < 0.0)
        return 0.0;
    if (r > 1.0)
        return 1.0;
    return r;
}

static inline uint32_t callgraph_func(const ps_callgraph *g, uint32_t node)
{
    return g->order ? g->order[node] : node;
}

#endif
