/* scc.h - strongly connected components of a graph in CSR form, the one
 * routine the call graphs use (ps_callgraph_scc for callgrind and the folded
 * stacks, --ignore on gprof2dot's graph). */
#ifndef PSTATS_ANALYSIS_SCC_H
#define PSTATS_ANALYSIS_SCC_H

#include <stdint.h>

/* Iterative Tarjan (no recursion, any size) over nodes 0..n-1, the arcs of v
 * being to[start[v] .. start[v + 1]).  Roots are taken in node order, arcs
 * in array order.  node_ok (NULL: every node) leaves other nodes out as
 * roots; the arcs must not lead to them.  comp[v] receives v's component,
 * ids in reverse topological order of the condensation (an arc between two
 * components goes from a higher id to a lower one); *ncomp their number.
 * Returns 0, or -1 when out of memory. */
int ps_scc_tarjan(uint32_t n, const uint32_t *start, const uint32_t *to, const uint8_t *node_ok,
               uint32_t *comp, uint32_t *ncomp);

#endif
