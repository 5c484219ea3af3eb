/* graph_index.c - the edge indexes of a pg_graph under construction: each
 * node's out-edges (the edges sorted by caller, then callee) and, on demand,
 * the in-edges by callee, which pruning and the filters walk. */
#include <stdlib.h>
#include <string.h>
#include "analysis/graph_build.h"

/* Sort each caller's edges by callee and index them from the nodes. */
void ps_pgb_index_edges(pg_graph *g)
{
    for (uint32_t i = 0; i < g->nnodes; i++)
        g->nodes[i].out_n = 0;
    size_t i = 0;
    while (i < g->nedges) {
        size_t j = i + 1;
        while (j < g->nedges && g->edges[j].caller == g->edges[i].caller)
            j++;
        if (j - i > 16) {
            qsort(g->edges + i, j - i, sizeof *g->edges, cmp_callee);
        } else {
            for (size_t x = i + 1; x < j; x++) {
                pg_edge t = g->edges[x];
                size_t y = x;
                while (y > i && g->edges[y - 1].callee > t.callee) {
                    g->edges[y] = g->edges[y - 1];
                    y--;
                }
                g->edges[y] = t;
            }
        }
        pg_node *n = &g->nodes[g->edges[i].caller];
        n->out_first = (uint32_t)i;
        n->out_n = (uint32_t)(j - i);
        i = j;
    }
}

void ps_pgb_drop_in_index(builder *b)
{
    free(b->in_first);
    free(b->in_idx);
    b->in_first = b->in_idx = NULL;
}

int ps_pgb_build_in_index(builder *b)
{
    if (b->in_first)
        return 0;
    pg_graph *g = b->g;
    b->in_first = calloc((size_t)g->nnodes + 1, sizeof *b->in_first);
    b->in_idx = malloc((g->nedges + 1) * sizeof *b->in_idx);
    if (!b->in_first || !b->in_idx) {
        ps_pgb_drop_in_index(b);
        return nomem(b->e);
    }
    for (size_t i = 0; i < g->nedges; i++)
        b->in_first[g->edges[i].callee + 1]++;
    for (uint32_t i = 0; i < g->nnodes; i++)
        b->in_first[i + 1] += b->in_first[i];
    uint32_t *pos = malloc(((size_t)g->nnodes + 1) * sizeof *pos);
    if (!pos) {
        ps_pgb_drop_in_index(b);
        return nomem(b->e);
    }
    memcpy(pos, b->in_first, ((size_t)g->nnodes + 1) * sizeof *pos);
    for (size_t i = 0; i < g->nedges; i++)
        b->in_idx[pos[g->edges[i].callee]++] = (uint32_t)i;
    free(pos);
    return 0;
}
