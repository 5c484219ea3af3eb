/* sampled_out.c - a sampled profile's exact stacks in the shape the folded
 * writers take (folded_stacks), so that prof2folded's text and SVG show the
 * stacks the sampler saw instead of an estimate.
 *
 * The lines are the stacks themselves (one per distinct stack, reversed for
 * --inverted: the leaf first, then its callers), their counts the weight in
 * the unit rounded; the SVG's tree is the stacks' trie, built with a map of
 * (parent node, function) -> child (base/index.h) so that a deep or wide
 * profile stays linear in its frames. */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "base/grow.h"
#include "base/index.h"
#include "pstats/export.h"
#include "pstats/folded.h"
#include "pstats/sampled.h"

static uint32_t child(ps_index *t, folded_stacks *fs, uint32_t parent, uint32_t func,
                      uint32_t depth)
{
    ps_index_probe p;
    for (uint32_t id = ps_index_find(t, ps_index_hash_pair(parent, func), &p);
         id != PS_INDEX_NONE; id = ps_index_next(t, &p))
        if (fs->nodes[id].parent == parent && fs->nodes[id].func == func)
            return id;
    if (fs->nnodes == UINT32_MAX - 1 ||
        ps_grow(&fs->nodes, &fs->capnodes, (size_t)fs->nnodes + 1, sizeof *fs->nodes) < 0 ||
        ps_index_add(t, &p, fs->nnodes) < 0)
        return UINT32_MAX;
    fs->nodes[fs->nnodes] = (folded_node){parent, func, depth, 0, 0};
    return fs->nnodes++;
}

static int text_put(folded_stacks *fs, const char *s, size_t n)
{
    if (ps_grow(&fs->text, &fs->textcap, fs->textlen + n + 1, 1) < 0)
        return -1;
    memcpy(fs->text + fs->textlen, s, n);
    fs->textlen += n;
    return 0;
}

int ps_folded_from_stacks(const ps_stats *s, const ps_stacks *st, const folded_options *o,
                          folded_stacks *fs, ps_error *e)
{
    folded_options defaults;
    if (!o) {
        ps_folded_options_init(&defaults);
        o = &defaults;
    }
    memset(fs, 0, sizeof *fs);
    fs->stats = s;
    fs->inverted = o->inverted;
    fs->unit = o->unit == FOLDED_UNIT_NS ? 1e9 : o->unit == FOLDED_UNIT_MS ? 1e3 : 1e6;
    fs->profile_total = s->total_tt;
    ps_index t;
    ps_index_init(&t, 0);
    uint32_t *path = NULL;
    size_t cappath = 0;
    fs->labels = calloc((size_t)s->nfuncs + 1, sizeof *fs->labels);
    fs->lines = malloc((st->nstacks + 1) * sizeof *fs->lines);
    if (!fs->labels || !fs->lines)
        goto oom;
    for (size_t k = 0; k < st->nstacks; k++) {
        const ps_stack *sk = &st->stacks[k];
        if (ps_grow(&path, &cappath, sk->depth, sizeof *path) < 0)
            goto oom;
        const uint32_t *fr = st->frames + sk->first;
        for (uint32_t j = 0; j < sk->depth; j++)
            path[j] = o->inverted ? fr[sk->depth - 1 - j] : fr[j];
        size_t at = fs->textlen;
        uint32_t node = FOLDED_NONE;
        for (uint32_t j = 0; j < sk->depth; j++) {
            const char *l = ps_folded_label(fs, path[j]);
            if (!l || (j && text_put(fs, ";", 1) < 0) || text_put(fs, l, strlen(l)) < 0)
                goto oom;
            node = child(&t, fs, node, path[j], j);
            if (node == UINT32_MAX)
                goto oom;
            fs->nodes[node].total += sk->weight;
        }
        fs->nodes[node].self += sk->weight;
        if (text_put(fs, "", 0) < 0)   /* room for the NUL */
            goto oom;
        fs->text[fs->textlen++] = '\0';
        /* weights of saturated sample counts (2**63 samples of 10 ms) pass
         * what a long long holds: ps_count_round saturates */
        long long c = ps_count_round(sk->weight * fs->unit);
        fs->lines[fs->nlines++] = (folded_line){at, sk->weight, c};
        fs->total += sk->weight;
        if (__builtin_add_overflow(fs->total_count, c, &fs->total_count))
            fs->total_count = LLONG_MAX;
    }
    fs->roots_total = fs->total;
    ps_index_free(&t);
    free(path);
    return 0;
oom:
    ps_index_free(&t);
    free(path);
    ps_folded_free(fs);
    return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
}


