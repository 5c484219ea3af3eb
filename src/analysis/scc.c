/* scc.c - Tarjan's strongly connected components with an explicit DFS stack
 * (scc.h): call graphs of real programs are deep enough to overflow the C
 * stack with a recursive one. */
#include <stdlib.h>
#include <string.h>
#include "scc.h"

int ps_scc_tarjan(uint32_t n, const uint32_t *start, const uint32_t *to, const uint8_t *node_ok,
               uint32_t *comp, uint32_t *ncomp)
{
    const uint32_t NOIDX = UINT32_MAX;
    uint32_t *index = malloc(((size_t)n + 1) * sizeof *index);
    uint32_t *low = malloc(((size_t)n + 1) * sizeof *low);
    uint32_t *stack = malloc(((size_t)n + 1) * sizeof *stack);     /* Tarjan's stack */
    uint32_t *cs_node = malloc(((size_t)n + 1) * sizeof *cs_node); /* the DFS, explicit */
    uint32_t *cs_arc = malloc(((size_t)n + 1) * sizeof *cs_arc);
    uint8_t *on = calloc((size_t)n + 1, 1);
    int rc = -1;
    if (!index || !low || !stack || !cs_node || !cs_arc || !on)
        goto out;
    memset(index, 0xff, ((size_t)n + 1) * sizeof *index);
    uint32_t counter = 0, sp = 0, nc = 0;
    for (uint32_t root = 0; root < n; root++) {
        if (index[root] != NOIDX || (node_ok && !node_ok[root]))
            continue;
        index[root] = low[root] = counter++;
        stack[sp++] = root;
        on[root] = 1;
        cs_node[0] = root;
        cs_arc[0] = start[root];
        uint32_t depth = 1;
        while (depth) {
            uint32_t v = cs_node[depth - 1];
            if (cs_arc[depth - 1] < start[v + 1]) {
                uint32_t w = to[cs_arc[depth - 1]++];
                if (index[w] == NOIDX) {
                    index[w] = low[w] = counter++;
                    stack[sp++] = w;
                    on[w] = 1;
                    cs_node[depth] = w;
                    cs_arc[depth] = start[w];
                    depth++;
                } else if (on[w] && index[w] < low[v]) {
                    low[v] = index[w];
                }
                continue;
            }
            depth--;
            if (low[v] == index[v]) {
                uint32_t w;
                do {
                    w = stack[--sp];
                    on[w] = 0;
                    comp[w] = nc;
                } while (w != v);
                nc++;
            }
            if (depth) {
                uint32_t p = cs_node[depth - 1];
                if (low[v] < low[p])
                    low[p] = low[v];
            }
        }
    }
    *ncomp = nc;
    rc = 0;
out:
    free(index);
    free(low);
    free(stack);
    free(cs_node);
    free(cs_arc);
    free(on);
    return rc;
}
