/* graph.c - gprof2dot's weighted call graph of a stats database (see graph.h).
 *
 * Written from gprof2dot.py's behaviour (its pstats parser, Profile.prune,
 * the root and leaf walks) and checked against graphs gprof2dot wrote; no
 * gprof2dot code.  The Python behaviours the output depends on are in
 * base/pyformat.c (formatting, fnmatch, textwrap) and base/pyset.c (set
 * order); the filters in graph_filter.c; themes and options with the dot
 * writer (output/).
 *
 * The nodes and edges are not built here: the one builder of the call graph
 * (callgraph.c, ps_callgraph_build_pg) numbers the functions as gprof2dot
 * does and writes each arc once, straight into this graph's edge records,
 * sorted by (caller, callee); what is gprof2dot's alone (the ratios, the
 * names, the pruning, the set-ordered walks) stays here. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "analysis/graph_build.h"
#include "base/index.h"
#include "base/pycompat.h"
#include "base/pyset.h"
#include "base/utf8.h"
#include "pstats/select.h"

/* ---- building the graph --------------------------------------------------------- */

/* Python's max(a, b) for floats: a unless b is greater. */
static double py_max(double a, double b)
{
    return b > a ? b : a;
}




/* The nodes and edges, from the one builder (callgraph.c): gprof2dot's
 * numbering, its edge records already sorted by (caller, callee); then the
 * profile's totals and every node's and edge's ratios. */
static int number_functions(builder *b)
{
    const ps_stats *s = b->s;
    pg_graph *g = b->g;
    ps_callgraph cg;
    /* one thread: a second one cost more CPU than it saved wall time on the
     * bench dump (it is measured by CPU, and the fill is short) */
    if (ps_callgraph_build_pg(s, 1, &cg, b->e) < 0)
        return -1;
    uint32_t n = cg.nseen;
    size_t nedges = cg.narcs;
    g->nnodes = n;
    g->nodes = calloc((size_t)n + 1, sizeof *g->nodes);
    if (!g->nodes) {
        ps_callgraph_free(&cg);
        return nomem(b->e);
    }
    g->edges = cg.rec;
    cg.rec = NULL;
    for (uint32_t i = 0; i < n; i++) {
        pg_node *nd = &g->nodes[i];
        nd->func = cg.order[i];
        nd->id = i;
        nd->alive = 1;
        nd->out_first = cg.start[i];
        nd->out_n = cg.start[i + 1] - cg.start[i];
    }
    /* the profile's totals and every function's numbers, in entry order */
    double time = 0.0, total = s->total_tt;
    for (uint32_t i = 0; i < s->nentries; i++) {
        const ps_entry *en = &s->entries[i];
        pg_node *nd = &g->nodes[cg.node_of[en->func]];
        nd->has_stats = 1;
        nd->called = en->nc;
        nd->tt = en->tt;
        nd->ct = en->ct;
        time += en->tt;
        total = py_max(total, en->ct);
    }
    ps_callgraph_free(&cg);
    for (uint32_t i = 0; i < n; i++) {
        pg_node *nd = &g->nodes[i];
        if (nd->has_stats) {
            nd->time_ratio = py_ratio(nd->tt, time);
            nd->total_ratio = py_ratio(nd->ct, total);
        }
        nd->weight = nd->total_ratio;
    }
    g->nedges = nedges;
    g->time = time;
    g->total_time = total;
    for (size_t i = 0; i < nedges; i++)
        g->edges[i].weight = py_ratio(g->edges[i].weight, total);
    return 0;
}

/* ---- names ---------------------------------------------------------------------- */

/* "%s:%d:%s" % (basename(splitext(filename)[0]), line, name) */
static const char *node_name(builder *b, pg_node *n)
{
    if (n->name)
        return n->name;
    const ps_func *f = &b->s->funcs[n->func];
    const char *file = f->file->s;
    size_t flen = f->file->len;
    const char *mod = file;
    size_t mlen = flen;
    if (!b->o->full_names) {
        const char *slash = memrchr(file, '/', flen);
        size_t sep = slash ? (size_t)(slash - file) : (size_t)-1;
        const char *dot = memrchr(file, '.', flen);
        size_t end = flen;
        if (dot && (sep == (size_t)-1 || (size_t)(dot - file) > sep)) {
            /* os.path.splitext: leading dots of the last component do not count */
            size_t di = (size_t)(dot - file);
            for (size_t k = sep + 1; k < di; k++)
                if (file[k] != '.') {
                    end = di;
                    break;
                }
        }
        mod = slash ? slash + 1 : file;
        mlen = end - (size_t)(mod - file);
    }
    char num[32];
    int numlen = snprintf(num, sizeof num, "%lld", (long long)f->line);
    size_t total = mlen + 1 + (size_t)numlen + 1 + f->name->len + 1;
    char *s = ps_arena_alloc(&b->g->mem, total);
    if (!s)
        return NULL;
    char *p = s;
    memcpy(p, mod, mlen);
    p += mlen;
    *p++ = ':';
    memcpy(p, num, (size_t)numlen);
    p += numlen;
    *p++ = ':';
    memcpy(p, f->name->s, f->name->len);
    p += f->name->len;
    *p = '\0';
    n->name = s;
    return s;
}

const char *ps_pg_node_tooltip(const pg_graph *g, const pg_node *n)
{
    return g->stats->funcs[n->func].file->s;
}

/* ---- gprof2dot's pruning ------------------------------------------------------------ */

uint8_t *ps_pg_alive_nodes(const pg_graph *g)
{
    uint8_t *alive = malloc(g->nnodes ? g->nnodes : 1);
    for (uint32_t i = 0; alive && i < g->nnodes; i++)
        alive[i] = g->nodes[i].alive;
    return alive;
}

static void prune_thresholds(builder *b)
{
    pg_graph *g = b->g;
    const pg_options *o = b->o;
    double node_thres = o->node_thres / 100.0, edge_thres = o->edge_thres / 100.0;
    for (uint32_t i = 0; i < g->nnodes; i++) {
        pg_node *nd = &g->nodes[i];
        if (nd->alive && nd->weight < node_thres)
            nd->alive = 0;
    }
    if (o->npaths) {
        for (uint32_t i = 0; i < g->nnodes; i++) {
            pg_node *nd = &g->nodes[i];
            const ps_str *file = b->s->funcs[nd->func].file;
            if (!nd->alive || file->len == 0)    /* an empty file name is never filtered */
                continue;
            int keep = 0;
            for (size_t k = 0; k < o->npaths && !keep; k++)
                keep = strncmp(file->s, o->paths[k], strlen(o->paths[k])) == 0;
            if (!keep)
                nd->alive = 0;
        }
    }
    uint8_t *alive = ps_pg_alive_nodes(g);   /* without memory for it, the records do */
    for (size_t i = 0; i < g->nedges; i++) {
        pg_edge *ed = &g->edges[i];
        int callee_alive = alive ? alive[ed->callee] : g->nodes[ed->callee].alive;
        if (ed->alive && g->nodes[ed->caller].alive && (!callee_alive || ed->weight < edge_thres))
            ed->alive = 0;
    }
    free(alive);
}

static void color_by_selftime(builder *b)
{
    pg_graph *g = b->g;
    double max_ratio = 0.0;
    int any = 0;
    for (uint32_t i = 0; i < g->nnodes; i++) {
        const pg_node *nd = &g->nodes[i];
        if (!nd->alive || !nd->has_stats)
            continue;
        if (!any || nd->time_ratio > max_ratio)
            max_ratio = nd->time_ratio;
        any = 1;
    }
    if (!any)
        max_ratio = 1.0;
    if (max_ratio == 0.0)     /* ZeroDivisionError: the weights stay */
        return;
    for (uint32_t i = 0; i < g->nnodes; i++) {
        pg_node *nd = &g->nodes[i];
        if (nd->alive && nd->has_stats)
            nd->weight = nd->time_ratio / max_ratio;
    }
}


/* Which CPython wrote the dump: frozen importlib's functions moved between
 * releases (_find_and_load, _handle_fromlist, _find_and_load_unlocked). */
static int guess_python(const ps_stats *s)
{
    static const struct { const char *name; int64_t line; int flavour; } SIGNS[] = {
        {"_find_and_load", 966, PY36}, {"_handle_fromlist", 997, PY36},
        {"_find_and_load_unlocked", 936, PY36},
        {"_find_and_load", 978, PY37}, {"_handle_fromlist", 1009, PY37},
        {"_find_and_load_unlocked", 948, PY37},
    };
    for (uint32_t f = 0; f < s->nfuncs; f++) {
        const ps_func *fn = &s->funcs[f];
        if (fn->file->len != 29 || memcmp(fn->file->s, "<frozen importlib._bootstrap>", 29) != 0)
            continue;
        for (size_t k = 0; k < sizeof SIGNS / sizeof SIGNS[0]; k++)
            if (fn->line == SIGNS[k].line && strcmp(fn->name->s, SIGNS[k].name) == 0)
                return SIGNS[k].flavour;
    }
    return PY38;
}

/* getFunctionIds(glob) over the functions in gprof2dot's dict order: the
 * names in order of first appearance, each standing for the last function
 * of that name. */
static int find_by_glob(builder *b, const uint32_t *order, size_t norder, const char *glob,
                        uint32_t **ids, size_t *nids)
{
    pg_graph *g = b->g;
    *ids = NULL;
    *nids = 0;
    for (size_t k = 0; k < norder; k++)
        if (!node_name(b, &g->nodes[order[k]]))
            return nomem(b->e);
    ps_index byname;   /* name -> index in firsts */
    int index_ok = ps_index_init(&byname, norder) == 0;
    uint32_t *firsts = malloc((norder + 1) * sizeof *firsts);
    uint32_t *last = malloc((norder + 1) * sizeof *last);
    size_t ntok = 0;
    py_glob *tok = ps_py_glob_compile(glob, &ntok);
    if (!index_ok || !firsts || !last || !tok) {
        ps_index_free(&byname), free(firsts), free(last);
        if (tok)
            ps_py_glob_free(tok, ntok);
        return nomem(b->e);
    }
    size_t nfirst = 0;
    for (size_t k = 0; k < norder; k++) {
        uint32_t id = order[k];
        const char *nm = g->nodes[id].name;
        ps_index_probe p;
        uint32_t at = ps_index_find(&byname, ps_hash_bytes(nm, strlen(nm)), &p);
        while (at != PS_INDEX_NONE && strcmp(g->nodes[firsts[at]].name, nm) != 0)
            at = ps_index_next(&byname, &p);
        if (at == PS_INDEX_NONE) {
            at = (uint32_t)nfirst;
            firsts[nfirst++] = id;
            ps_index_add(&byname, &p, at);   /* cannot fail: reserved for norder */
        }
        last[at] = id;
    }
    size_t n = 0;
    for (size_t k = 0; k < nfirst; k++)
        if (ps_py_glob_match(tok, ntok, g->nodes[firsts[k]].name))
            last[n++] = last[k];
    ps_py_glob_free(tok, ntok);
    ps_index_free(&byname);
    free(firsts);
    *ids = last;
    *nids = n;
    return 0;
}

/* prune_root / prune_leaf: walk from the start nodes along live calls
 * (callees in the order gprof2dot's calls dicts hold them: the callee's
 * position in the stats; backward: the callers in functions order), popping
 * (node, depth) pairs from an emulated CPython set; a pair with depth 0 is
 * kept but not expanded.  Keeps the visited nodes; *order gets them in the
 * order of gprof2dot's rebuilt functions dict (the visited set's). */
static int prune_walk(builder *b, const uint32_t *order, size_t norder, const uint32_t *start,
                      size_t nstart, long depth, int backward, uint32_t **new_order, size_t *nnew)
{
    pg_graph *g = b->g;
    uint32_t n = g->nnodes;
    /* adjacency in gprof2dot's order */
    uint32_t *first = calloc((size_t)n + 2, sizeof *first);
    uint32_t *adj = NULL;
    uint8_t *visited = calloc((size_t)n + 1, 1);
    uint32_t *entry_of = malloc(((size_t)n + 1) * sizeof *entry_of);
    pyset frontier = {0}, vset = {0};
    int rc = -1;
    if (!first || !visited || !entry_of)
        goto out;
    for (uint32_t i = 0; i < n; i++)
        entry_of[i] = g->stats->funcs[g->nodes[i].func].entry;
    size_t nadj = 0;
    for (size_t k = 0; k < norder; k++) {
        const pg_node *nd = &g->nodes[order[k]];
        for (uint32_t j = 0; j < nd->out_n; j++) {
            const pg_edge *ed = &g->edges[nd->out_first + j];
            if (edge_live(g, ed)) {
                first[(backward ? ed->callee : ed->caller) + 2]++;
                nadj++;
            }
        }
    }
    adj = malloc((nadj + 1) * sizeof *adj);
    if (!adj)
        goto out;
    for (uint32_t i = 0; i < n; i++)
        first[i + 2] += first[i + 1];
    for (size_t k = 0; k < norder; k++) {
        const pg_node *nd = &g->nodes[order[k]];
        for (uint32_t j = 0; j < nd->out_n; j++) {
            const pg_edge *ed = &g->edges[nd->out_first + j];
            if (!edge_live(g, ed))
                continue;
            if (backward)
                adj[first[ed->callee + 1]++] = ed->caller;
            else
                adj[first[ed->caller + 1]++] = ed->callee;
        }
    }
    if (!backward) {
        /* a function's calls dict is in the order its callees' entries came */
        for (uint32_t v = 0; v < n; v++) {
            uint32_t lo = first[v], hi = first[v + 1];
            for (uint32_t x = lo + 1; x < hi; x++) {
                uint32_t c = adj[x], y = x;
                while (y > lo && entry_of[adj[y - 1]] > entry_of[c]) {
                    adj[y] = adj[y - 1];
                    y--;
                }
                adj[y] = c;
            }
        }
    }
    int flavour = guess_python(g->stats);
    if (ps_pyset_init(&frontier, flavour) < 0 || ps_pyset_init(&vset, flavour) < 0)
        goto out;
    for (size_t k = 0; k < nstart; k++)
        if (ps_pyset_add(&frontier, start[k], depth, ps_py_pair_hash(flavour, start[k], depth)) < 0)
            goto out;
    size_t nvisited = 0;
    while (frontier.used) {
        pyent top = ps_pyset_pop(&frontier);
        uint32_t v = (uint32_t)top.a;
        if (!visited[v]) {
            visited[v] = 1;
            nvisited++;
            if (ps_pyset_add(&vset, v, 0, ps_py_int_hash(v)) < 0)
                goto out;
        }
        if (top.b == 0)
            continue;
        pyset keys, fresh, pairs, next;
        if (ps_pyset_init(&keys, flavour) < 0)
            goto out;
        for (uint32_t k = first[v]; k < first[v + 1]; k++)
            if (ps_pyset_add(&keys, adj[k], 0, ps_py_int_hash(adj[k])) < 0) {
                ps_pyset_free(&keys);
                goto out;
            }
        int bad = ps_pyset_minus(&fresh, &keys, visited, nvisited);
        ps_pyset_free(&keys);
        if (bad < 0)
            goto out;
        if (ps_pyset_init(&pairs, flavour) < 0) {
            ps_pyset_free(&fresh);
            goto out;
        }
        for (size_t i = 0; i <= fresh.mask && !bad; i++)
            if (fresh.table[i].state == PE_ACTIVE)
                bad = ps_pyset_add(&pairs, fresh.table[i].a, top.b - 1,
                                ps_py_pair_hash(flavour, fresh.table[i].a, top.b - 1));
        ps_pyset_free(&fresh);
        if (bad < 0 || ps_pyset_copy(&next, &frontier) < 0) {
            ps_pyset_free(&pairs);
            goto out;
        }
        bad = ps_pyset_merge(&next, &pairs);
        ps_pyset_free(&pairs);
        ps_pyset_free(&frontier);
        frontier = next;
        if (bad < 0)
            goto out;
    }
    for (uint32_t i = 0; i < n; i++)
        if (!visited[i])
            g->nodes[i].alive = 0;
    if (new_order) {
        uint32_t *no = malloc((nvisited + 1) * sizeof *no);
        if (!no)
            goto out;
        size_t k = 0;
        for (size_t i = 0; i <= vset.mask; i++)
            if (vset.table[i].state == PE_ACTIVE)
                no[k++] = (uint32_t)vset.table[i].a;
        *new_order = no;
        *nnew = k;
    }
    rc = 0;
out:
    if (rc < 0)
        nomem(b->e);
    free(first);
    free(adj);
    free(visited);
    free(entry_of);
    ps_pyset_free(&frontier);
    ps_pyset_free(&vset);
    return rc;
}

/* --list-functions, in the order of gprof2dot's functions dict (ids, or the
 * root walk's visited set). */
static int list_functions(builder *b, const uint32_t *order, size_t norder)
{
    pg_graph *g = b->g;
    const char *sel = b->o->list_functions;
    pg_buf out = {0};
    int first = 1;
    int all = strcmp(sel, "+") == 0 || strcmp(sel, "*") == 0;
    int detail = !all && sel[0] == '%';
    const char *glob = detail ? sel + 1 : sel;
    for (size_t k = 0; k < (order ? norder : g->nnodes); k++) {
        pg_node *nd = &g->nodes[order ? order[k] : k];
        if (!nd->alive)
            continue;
        const char *nm = node_name(b, nd);
        if (!nm) {
            ps_pg_buf_free(&out);
            return nomem(b->e);
        }
        if (!all && !ps_pg_fnmatch(glob, nm))
            continue;
        if (!first)
            ps_pg_buf_addz(&out, ",\n");
        first = 0;
        if (all) {
            ps_pg_buf_printf(&out, "%u:\t%s", nd->id, nm);
        } else if (detail) {
            ps_pg_buf_printf(&out, "%s\t(%u)\t(Function)::\n\tid: %u\n\tname: %s\n\tfilename: %s\n",
                          nm, nd->id, nd->id, nm, ps_pg_node_tooltip(g, nd));
            if (nd->has_stats)
                ps_pg_buf_printf(&out, "\tcalled: %lld\n\ttime: %.17g\n\ttotal time: %.17g\n"
                              "\ttime ratio: %.17g\n\ttotal time ratio: %.17g\n",
                              (long long)nd->called, nd->tt, nd->ct, nd->time_ratio, nd->total_ratio);
            ps_pg_buf_printf(&out, "\tweight: %.17g\n\tcalls: ", nd->weight);
            int firstc = 1;
            for (uint32_t k = 0; k < nd->out_n; k++) {
                const pg_edge *ed = &g->edges[nd->out_first + k];
                if (!edge_live(g, ed))
                    continue;
                ps_pg_buf_printf(&out, "%s%u", firstc ? "" : ", ", ed->callee);
                firstc = 0;
            }
        } else {
            ps_pg_buf_addz(&out, nm);
        }
    }
    ps_pg_buf_add(&out, "\n", 1);
    if (out.failed) {
        ps_pg_buf_free(&out);
        return nomem(b->e);
    }
    g->listing = out.s;
    return 0;
}

typedef struct heavy {
    double w;
    uint32_t id;
} heavy;

static int cmp_heavier(const void *a, const void *b)
{
    const heavy *x = a, *y = b;
    if (x->w != y->w)
        return x->w > y->w ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* --node-count: keep the n heaviest nodes (by total time; ties by id). */
static int keep_heaviest(builder *b, long keep)
{
    pg_graph *g = b->g;
    size_t alive = 0;
    for (uint32_t i = 0; i < g->nnodes; i++)
        alive += g->nodes[i].alive;
    if (keep <= 0 || alive <= (size_t)keep)
        return 0;
    heavy *h = malloc((alive + 1) * sizeof *h);
    if (!h)
        return nomem(b->e);
    size_t k = 0;
    for (uint32_t i = 0; i < g->nnodes; i++)
        if (g->nodes[i].alive)
            h[k++] = (heavy){isnan(g->nodes[i].total_ratio) ? -1.0 : g->nodes[i].total_ratio, i};
    qsort(h, alive, sizeof *h, cmp_heavier);
    uint8_t *drop = calloc((size_t)g->nnodes + 1, 1);
    if (!drop) {
        free(h);
        return nomem(b->e);
    }
    for (size_t i = (size_t)keep; i < alive; i++)
        drop[h[i].id] = 1;
    free(h);
    /* pprof's residual edges: dotted links through the dropped nodes, if they
     * carry the edge threshold and at least 0.01 % of the time */
    double min_weight = py_max(b->o->edge_thres / 100.0, 1e-4);
    if (ps_pgb_relink(b, drop, 0, min_weight, min_weight * 0.01) < 0)
        return -1;
    g->count_dropped = (uint32_t)(alive - (size_t)keep);
    char note[160];
    snprintf(note, sizeof note, "%u of %zu nodes dropped by --node-count %ld (dotted edges pass through them)",
             g->count_dropped, alive, keep);
    g->note = strdup(note);
    if (!g->note)
        return nomem(b->e);
    return 0;
}

void ps_pg_graph_free(pg_graph *g)
{
    if (!g)
        return;
    free(g->nodes);
    free(g->edges);
    free(g->note);
    free(g->listing);
    ps_arena_free(&g->mem);
    memset(g, 0, sizeof *g);
}

int ps_pg_build(const ps_stats *s, const pg_options *o, pg_graph *g, ps_error *e)
{
    ps_error_clear(e);
    memset(g, 0, sizeof *g);
    ps_arena_init(&g->mem);
    g->stats = s;
    builder b = {s, o, g, e, NULL, NULL};
    /* a --time-format Python would refuse: say so before any work */
    for (int i = 0; i < o->nlabels; i++)
        if (o->labels[i] == PG_LABEL_TOTAL_TIME || o->labels[i] == PG_LABEL_SELF_TIME) {
            pg_buf t = {0};
            int bad = ps_pg_pyformat(&t, o->time_format, 0.5, e);
            ps_pg_buf_free(&t);
            if (bad < 0)
                return -1;
            break;
        }
    int rc = number_functions(&b);
    /* ours first: pprof filters the samples before it builds its graph */
    if (rc == 0 && o->nignore)
        rc = ps_pgb_apply_ignore(&b);
    if (rc == 0 && o->nfocus)
        rc = ps_pgb_apply_focus(&b);
    if (rc == 0 && o->nhide)
        rc = ps_pgb_apply_hide(&b);
    if (rc == 0 && o->nshow)
        rc = ps_pgb_apply_show(&b);
    if (rc == 0 && o->nshow_from)
        rc = ps_pgb_apply_show_from(&b);
    if (rc == 0) {
        prune_thresholds(&b);
        if (o->color_by_selftime)
            color_by_selftime(&b);
    }
    /* gprof2dot's functions dict order: ids, until the root walk rebuilds it */
    uint32_t *order = NULL;
    size_t norder = 0;
    if (rc == 0 && (o->root || o->leaf)) {
        order = malloc(((size_t)g->nnodes + 1) * sizeof *order);
        if (!order)
            rc = nomem(e);
        for (uint32_t i = 0; order && i < g->nnodes; i++)
            if (g->nodes[i].alive)
                order[norder++] = i;
    }
    if (rc == 0 && o->root) {
        uint32_t *ids, *no = NULL;
        size_t n, nno = 0;
        rc = find_by_glob(&b, order, norder, o->root, &ids, &n);
        if (rc == 0 && n == 0)
            rc = ps_error_set(e, PS_EUSAGE, -1,
                              "root node %s not found (might already be pruned : try -e0 -n0 flags)", o->root);
        if (rc == 0)
            rc = prune_walk(&b, order, norder, ids, n, o->depth, 0, &no, &nno);
        free(ids);
        if (rc == 0) {
            free(order);
            order = no;
            norder = nno;
        }
    }
    if (rc == 0 && o->list_functions) {
        rc = list_functions(&b, order, norder);
        free(order);
        ps_pgb_drop_in_index(&b);
        if (rc < 0)
            ps_pg_graph_free(g);
        return rc;
    }
    if (rc == 0 && o->leaf) {
        uint32_t *ids;
        size_t n;
        rc = find_by_glob(&b, order, norder, o->leaf, &ids, &n);
        if (rc == 0 && n == 0)
            rc = ps_error_set(e, PS_EUSAGE, -1,
                              "leaf node %s not found (maybe already pruned : try -e0 -n0 flags)", o->leaf);
        if (rc == 0)
            rc = prune_walk(&b, order, norder, ids, n, o->depth, 1, NULL, NULL);
        free(ids);
    }
    free(order);
    if (rc == 0 && o->node_count > 0)
        rc = keep_heaviest(&b, o->node_count);
    ps_pgb_drop_in_index(&b);
    if (rc < 0) {
        ps_pg_graph_free(g);
        return rc;
    }
    for (uint32_t i = 0; i < g->nnodes; i++) {
        pg_node *nd = &g->nodes[i];
        if (!nd->alive)
            continue;
        g->kept_nodes++;
        if (!node_name(&b, nd)) {
            ps_pg_graph_free(g);
            return nomem(e);
        }
    }
    for (size_t i = 0; i < g->nedges; i++)
        if (edge_live(g, &g->edges[i]))
            g->kept_edges++;
    return 0;
}

/* ---- labels --------------------------------------------------------------------- */

static void add_percent(pg_buf *b, double ratio, int parens)
{
    char tmp[48];
    int n = 0;
    if (parens)
        tmp[n++] = '(';
    n += ps_pg_fmt2(tmp + n, ratio * 100.0);
    tmp[n++] = '%';
    if (parens)
        tmp[n++] = ')';
    ps_pg_buf_add(b, tmp, (size_t)n);
}

static void add_count(pg_buf *b, int64_t v, int approx)
{
    char tmp[32];
    int n = 0, k = 0;
    char rev[24];
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do {
        rev[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    tmp[k++] = '\n';
    if (approx)
        tmp[k++] = '~';
    if (v < 0)
        tmp[k++] = '-';
    while (n)
        tmp[k++] = rev[--n];
    tmp[k++] = '\xc3';               /* U+00D7 MULTIPLICATION SIGN */
    tmp[k++] = '\x97';
    ps_pg_buf_add(b, tmp, (size_t)k);
}

int ps_pg_node_label(const pg_graph *g, const pg_options *o, const pg_node *n, pg_buf *out, ps_error *e)
{
    (void)g;
    pg_buf name = {0};
    if (o->strip)
        ps_pg_strip_name(&name, n->name);
    else
        ps_pg_buf_addz(&name, n->name);
    if (name.failed) {
        ps_pg_buf_free(&name);
        return nomem(e);
    }
    /* dot cannot read strings past 16K: gprof2dot cuts names at 4096 */
    if (ps_utf8_length(name.s, name.len) >= 4096) {
        size_t cut = ps_utf8_prefix(name.s, name.len, 4095);
        name.len = cut;
        name.s[cut] = '\0';
        ps_pg_buf_addz(&name, "\xe2\x80\xa6");
    }
    int rc = 0;
    if (o->wrap)
        rc = ps_pg_wrap_name(out, name.s, e);
    else
        ps_pg_buf_add(out, name.s, name.len);
    ps_pg_buf_free(&name);
    if (rc < 0)
        return -1;
    static const int DEFAULT_LABELS[] = {PG_LABEL_TOTAL_TIME_PCT, PG_LABEL_SELF_TIME_PCT};
    const int *labels = o->nlabels ? o->labels : DEFAULT_LABELS;
    int nlabels = o->nlabels ? o->nlabels : 2;
    if (n->has_stats) {
        for (int i = 0; i < nlabels; i++) {
            ps_pg_buf_add(out, "\n", 1);
            switch (labels[i]) {
            case PG_LABEL_TOTAL_TIME_PCT: add_percent(out, n->total_ratio, 0); break;
            case PG_LABEL_SELF_TIME_PCT: add_percent(out, n->time_ratio, 1); break;
            case PG_LABEL_TOTAL_TIME:
                if (ps_pg_pyformat(out, o->time_format, n->ct, e) < 0)
                    return -1;
                break;
            case PG_LABEL_SELF_TIME:
                ps_pg_buf_add(out, "(", 1);
                if (ps_pg_pyformat(out, o->time_format, n->tt, e) < 0)
                    return -1;
                ps_pg_buf_add(out, ")", 1);
                break;
            }
        }
        add_count(out, n->called, 0);
    }
    return out->failed ? nomem(e) : 0;
}

int ps_pg_edge_label(const pg_graph *g, const pg_edge *ed, pg_buf *out)
{
    (void)g;
    add_percent(out, ed->weight, 0);
    add_count(out, ed->calls, ed->estimated);   /* --hide's edges carry an estimate */
    return out->failed ? -1 : 0;
}
