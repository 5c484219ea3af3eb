/* estimate.c - estimated call stacks from the caller/callee graph (the design
 * is in folded.h), for folded lines and flame graphs (output/folded.c). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "analysis/callgraph.h"
#include "base/grow.h"
#include "pstats/export.h"
#include "pstats/folded.h"
#include "pstats/sampled.h"

/* Frames in one estimated tree at most: past this the threshold is too small
 * for the graph (each level holds at most 1/min_fraction frames). */
#define FOLDED_MAX_NODES 20000000u
/* Calls under the threshold are still drawn (not followed) down to this
 * fraction of it. */
#define FOLDED_LEAF_FRACTION 0.01
/* Largest text of all stacks (labels joined by ';'). */
#define FOLDED_MAX_TEXT ((uint64_t)1 << 30)

static int nomem(ps_error *e)
{
    return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
}

void ps_folded_options_init(folded_options *o)
{
    memset(o, 0, sizeof *o);
    o->unit = FOLDED_UNIT_US;
    o->min_fraction = 1e-4;
    o->max_depth = 1000;
    o->max_repeat = 2;
    o->width = 1200;
}

int ps_folded_option_set(folded_options *o, const char *name, const char *v, ps_error *e)
{
    enum { INVERTED, SVG, UNIT, MIN_FRACTION, MAX_DEPTH, MAX_REPEAT, WIDTH, TITLE, NOPTS };
    static const char *const names[NOPTS] = {"inverted", "svg", "unit", "min-fraction",
                                             "max-depth", "max-repeat", "width", "title"};
    int k = 0;
    while (k < NOPTS && strcmp(name, names[k]) != 0)
        k++;
    if (k == NOPTS)
        return 0;
    if (k == INVERTED || k == SVG) {
        *(k == INVERTED ? &o->inverted : &o->svg) = 1;
        return 1;
    }
    if (!v)
        return ps_error_set(e, PS_EUSAGE, -1, "--%s needs a value", name);
    char *end;
    switch (k) {
    case UNIT:
        if (!strcmp(v, "us"))
            o->unit = FOLDED_UNIT_US;
        else if (!strcmp(v, "ns"))
            o->unit = FOLDED_UNIT_NS;
        else if (!strcmp(v, "ms"))
            o->unit = FOLDED_UNIT_MS;
        else
            return ps_error_set(e, PS_EUSAGE, -1, "--unit: '%s' is not us, ns or ms", v);
        break;
    case MIN_FRACTION: {
        double x = strtod(v, &end);
        if (end == v || *end || !(x >= 0 && x < 1))
            return ps_error_set(e, PS_EUSAGE, -1,
                                "--min-fraction: '%s' is not a number from 0 to below 1", v);
        o->min_fraction = x;
        break;
    }
    case MAX_DEPTH: {
        unsigned long x = strtoul(v, &end, 10);
        if (end == v || *end || *v == '-' || x > 100000000ul)
            return ps_error_set(e, PS_EUSAGE, -1,
                                "--max-depth: '%s' is not a depth (0 for no limit)", v);
        o->max_depth = (uint32_t)x;
        break;
    }
    case MAX_REPEAT: {
        unsigned long x = strtoul(v, &end, 10);
        if (end == v || *end || *v == '-' || x < 1 || x > 100)
            return ps_error_set(e, PS_EUSAGE, -1, "--max-repeat: '%s' is not 1 to 100", v);
        o->max_repeat = (unsigned)x;
        break;
    }
    case WIDTH: {
        long x = strtol(v, &end, 10);
        if (end == v || *end || x < 200 || x > 100000)
            return ps_error_set(e, PS_EUSAGE, -1, "--width: '%s' is not 200 to 100000 pixels", v);
        o->width = (int)x;
        break;
    }
    case TITLE:
        o->title = v;
        break;
    }
    return 2;
}

/* ---- labels --------------------------------------------------------------------- */

static int is_builtin(const ps_func *f)
{
    return f->line == 0 && (f->file->len == 0 || (f->file->len == 1 && f->file->s[0] == '~'));
}

/* Copy text with ';' (the frame separator) made ',' and control bytes '?'. */
static char *copy_clean(char *dst, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        *dst++ = c == ';' ? ',' : (c < 0x20 || c == 0x7f) ? '?' : (char)c;
    }
    return dst;
}

const char *ps_folded_label(folded_stacks *fs, uint32_t func)
{
    if (fs->labels[func])
        return fs->labels[func];
    const ps_func *f = &fs->stats->funcs[func];
    size_t n = f->name->len + f->file->len + 32;
    char *l = malloc(n);
    if (!l)
        return NULL;
    char *p = copy_clean(l, f->name->s, f->name->len);
    if (!is_builtin(f)) {
        *p++ = ' ';
        *p++ = '(';
        p = copy_clean(p, f->file->s, f->file->len);
        p += sprintf(p, ":%lld)", (long long)f->line);
    }
    *p = '\0';
    fs->labels[func] = l;
    return l;
}

/* ---- the estimate ----------------------------------------------------------------- */

typedef struct arc {
    uint32_t to;
    double w;
} arc;

static int arc_cmp(const void *pa, const void *pb)
{
    const arc *a = pa, *b = pb;
    if (a->w != b->w)
        return a->w > b->w ? -1 : 1;
    return a->to < b->to ? -1 : a->to > b->to;
}

typedef struct frame {
    uint32_t node, func;
    uint32_t arc, end;      /* next arc to consider, end of the frame's arcs */
    uint32_t in_arc;        /* the arc that led here (FOLDED_NONE for a root) */
    double ctx, childsum, norm;
} frame;

typedef struct adjacency {
    uint32_t *start;        /* n + 1 */
    arc *arcs;
    double *norm;           /* what a frame's time is split by */
} adjacency;

static void adjacency_free(adjacency *a)
{
    free(a->start);
    free(a->arcs);
    free(a->norm);
}

static double tt_of(const ps_stats *s, uint32_t f)
{
    const ps_entry *en = ps_stats_entry_of(s, f);
    return en ? ps_time_clean(en->tt) : 0;
}

static double ct_of(const ps_stats *s, uint32_t f)
{
    const ps_entry *en = ps_stats_entry_of(s, f);
    return en ? ps_time_clean(en->ct) : 0;
}

/* Forward: callees, split by tt + the outgoing edge times.  Inverted:
 * callers, split by the incoming edge times.  Self edges are left out, and
 * so are edges of no time (nothing to place there); heaviest first. */
static int adjacency_build(const ps_stats *s, const ps_callgraph *g, int inverted,
                           adjacency *adj, ps_error *e)
{
    uint32_t n = g->n;
    memset(adj, 0, sizeof *adj);
    adj->start = calloc((size_t)n + 2, sizeof *adj->start);
    adj->arcs = malloc(((size_t)g->narcs + 1) * sizeof *adj->arcs);
    adj->norm = calloc((size_t)n + 1, sizeof *adj->norm);
    if (!adj->start || !adj->arcs || !adj->norm) {
        adjacency_free(adj);
        return nomem(e);
    }
    for (uint32_t f = 0; f < n; f++)
        for (uint32_t a = g->start[f]; a < g->start[f + 1]; a++)
            if (g->to[a] != f && g->w[a] > 0)
                adj->start[(inverted ? g->to[a] : f) + 1]++;
    for (uint32_t f = 0; f < n; f++)
        adj->start[f + 1] += adj->start[f];
    uint32_t *fill = malloc(((size_t)n + 1) * sizeof *fill);
    if (!fill) {
        adjacency_free(adj);
        return nomem(e);
    }
    memcpy(fill, adj->start, (size_t)n * sizeof *fill);
    for (uint32_t f = 0; f < n; f++)
        for (uint32_t a = g->start[f]; a < g->start[f + 1]; a++) {
            uint32_t t = g->to[a];
            if (t == f || !(g->w[a] > 0))
                continue;
            uint32_t from = inverted ? t : f, to = inverted ? f : t;
            adj->arcs[fill[from]++] = (arc){to, g->w[a]};
        }
    free(fill);
    for (uint32_t f = 0; f < n; f++) {
        uint32_t lo = adj->start[f], hi = adj->start[f + 1];
        double sum = inverted ? 0 : tt_of(s, f);
        for (uint32_t a = lo; a < hi; a++)
            sum += adj->arcs[a].w;
        adj->norm[f] = sum;
        if (hi - lo > 1)
            qsort(adj->arcs + lo, hi - lo, sizeof *adj->arcs, arc_cmp);
    }
    return 0;
}

static int new_node(folded_stacks *fs, uint32_t parent, uint32_t func, uint32_t depth,
                    double ctx, ps_error *e)
{
    if (fs->nnodes == fs->capnodes) {
        if (fs->capnodes >= FOLDED_MAX_NODES)
            return ps_error_set(e, PS_EUSAGE, -1,
                                "the estimated call tree exceeds %u frames: "
                                "use a larger --min-fraction or a smaller --max-depth",
                                FOLDED_MAX_NODES);
        size_t cap = ps_grow_cap(fs->capnodes, (size_t)fs->nnodes + 1);
        if (cap > FOLDED_MAX_NODES)
            cap = FOLDED_MAX_NODES;
        if (ps_resize(&fs->nodes, cap, sizeof *fs->nodes) < 0)
            return nomem(e);
        fs->capnodes = cap;
    }
    fs->nodes[fs->nnodes++] = (folded_node){parent, func, depth, ctx, 0};
    return 0;
}

/* What a frame of f splits its time by: f's tottime and the times of its
 * arcs, less the arcs already on the stack (recursion: their time is inside
 * the frames that took them). */
static double frame_norm(const adjacency *adj, const uint8_t *arc_on, const uint32_t *fn_on,
                         const ps_stats *s, uint32_t f, unsigned arc_limit)
{
    if (!fn_on[f])
        return adj->norm[f];
    double sum = tt_of(s, f);
    for (uint32_t a = adj->start[f]; a < adj->start[f + 1]; a++)
        if (arc_on[a] < arc_limit)
            sum += adj->arcs[a].w;
    return sum;
}

/* Expand every root on an explicit stack.  One call (caller -> callee arc)
 * appears at most arc_limit times in a stack: recursion is unrolled that far
 * with the average split at each level, and a call past the limit is left
 * out of the frame's split (its time is inside the frames that took it).  A
 * function can come back through another call, as a program re-enters exec;
 * the arcs bound every path.  Calls below the threshold are not followed but
 * still drawn as one frame while they are 1/100 of it, so that their time
 * shows in the function that spent it. */
static int expand(folded_stacks *fs, const adjacency *adj, const uint32_t *roots,
                  const double *rootctx, uint32_t nroots, double threshold, uint32_t max_depth,
                  unsigned arc_limit, ps_error *e)
{
    const ps_stats *s = fs->stats;
    uint32_t n = s->nfuncs;
    uint32_t narcs = adj->start[n];
    uint8_t *arc_on = calloc((size_t)narcs + 1, 1);
    uint32_t *fn_on = calloc((size_t)n + 1, sizeof *fn_on);
    size_t capstack = 256;
    frame *st = malloc(capstack * sizeof *st);
    int rc = -1;
    double leaf_threshold = threshold * FOLDED_LEAF_FRACTION;
    if (!arc_on || !fn_on || !st) {
        nomem(e);
        goto done;
    }
    for (uint32_t r = 0; r < nroots; r++) {
        uint32_t f = roots[r];
        if (new_node(fs, FOLDED_NONE, f, 0, rootctx[r], e) < 0)
            goto done;
        size_t sp = 0;
        double norm = adj->norm[f];
        uint32_t end = (max_depth == 1 || !(norm > 0)) ? adj->start[f] : adj->start[f + 1];
        st[sp++] = (frame){fs->nnodes - 1, f, adj->start[f], end, FOLDED_NONE, rootctx[r], 0, norm};
        fn_on[f]++;
        while (sp) {
            frame *top = &st[sp - 1];
            if (top->arc < top->end) {
                uint32_t ai = top->arc++;
                const arc *a = &adj->arcs[ai];
                double share = top->ctx * (a->w / top->norm);
                if (!(share >= leaf_threshold) || !(share > 0)) {
                    top->arc = top->end;    /* the rest are smaller still */
                    continue;
                }
                uint32_t g = a->to;
                if (arc_on[ai] >= arc_limit)
                    continue;               /* already on the stack */
                uint32_t depth = fs->nodes[top->node].depth + 1;
                if (share < threshold) {
                    /* Too small to follow: a leaf with all of it. */
                    if (new_node(fs, top->node, g, depth, share, e) < 0)
                        goto done;
                    fs->nodes[fs->nnodes - 1].self = share;
                    top->childsum += share;
                    continue;
                }
                if (new_node(fs, top->node, g, depth, share, e) < 0)
                    goto done;
                top->childsum += share;
                if (ps_grow(&st, &capstack, sp + 1, sizeof *st) < 0) {
                    nomem(e);
                    goto done;
                }
                arc_on[ai]++;
                double gnorm = frame_norm(adj, arc_on, fn_on, s, g, arc_limit);
                fn_on[g]++;
                uint32_t gend = ((max_depth && depth + 1 >= max_depth) || !(gnorm > 0))
                                    ? adj->start[g] : adj->start[g + 1];
                st[sp++] = (frame){fs->nnodes - 1, g, adj->start[g], gend, ai, share, 0, gnorm};
                continue;
            }
            double self = top->ctx - top->childsum;
            fs->nodes[top->node].self = self > 0 ? self : 0;
            fn_on[top->func]--;
            if (top->in_arc != FOLDED_NONE)
                arc_on[top->in_arc]--;
            sp--;
        }
    }
    rc = 0;
done:
    free(arc_on);
    free(fn_on);
    free(st);
    return rc;
}

/* ---- lines -------------------------------------------------------------------------- */

typedef struct line_ref {
    const char *s;
    double seconds;
} line_ref;

static int line_ref_cmp(const void *pa, const void *pb)
{
    const line_ref *a = pa, *b = pb;
    return strcmp(a->s, b->s);
}

static int text_reserve(folded_stacks *fs, size_t n, ps_error *e)
{
    return ps_grow(&fs->text, &fs->textcap, fs->textlen + n, 1) < 0 ? nomem(e) : 0;
}

static uint32_t max_depth_of(const folded_stacks *fs)
{
    uint32_t d = 0;
    for (uint32_t i = 0; i < fs->nnodes; i++)
        if (fs->nodes[i].depth > d)
            d = fs->nodes[i].depth;
    return d;
}

static int make_lines(folded_stacks *fs, ps_error *e)
{
    size_t nl = 0;
    for (uint32_t i = 0; i < fs->nnodes; i++)
        if (fs->nodes[i].self > 0)
            nl++;
    size_t *off = malloc((nl + 1) * sizeof *off);
    double *sec = malloc((nl + 1) * sizeof *sec);
    uint32_t *path = NULL;
    size_t cappath = 0;
    line_ref *refs = NULL;
    int rc = -1;
    if (!off || !sec) {
        nomem(e);
        goto done;
    }
    /* The text is one label per frame of every stack: a deep chain makes it
     * quadratic, so it is measured before it is built. */
    {
        uint32_t *len = malloc(((size_t)fs->nnodes + 1) * sizeof *len);
        if (!len) {
            nomem(e);
            goto done;
        }
        uint64_t bytes = 0;
        for (uint32_t i = 0; i < fs->nnodes; i++) {
            const folded_node *nd = &fs->nodes[i];
            const char *l = ps_folded_label(fs, nd->func);
            if (!l) {
                free(len);
                nomem(e);
                goto done;
            }
            uint64_t here = strlen(l) + 1 + (nd->parent == FOLDED_NONE ? 0 : len[nd->parent]);
            len[i] = here > UINT32_MAX ? UINT32_MAX : (uint32_t)here;
            if (nd->self > 0)
                bytes += here;
        }
        free(len);
        if (bytes > FOLDED_MAX_TEXT) {
            ps_error_set(e, PS_EUSAGE, -1,
                         "the stacks would take %.1f GB of text (%zu stacks, up to %u frames "
                         "deep): use a smaller --max-depth or a larger --min-fraction",
                         (double)bytes / 1e9, nl, fs->nnodes ? max_depth_of(fs) + 1 : 0);
            goto done;
        }
    }
    nl = 0;
    for (uint32_t i = 0; i < fs->nnodes; i++) {
        const folded_node *nd = &fs->nodes[i];
        if (!(nd->self > 0))
            continue;
        size_t depth = (size_t)nd->depth + 1;
        if (ps_grow(&path, &cappath, depth, sizeof *path) < 0) {
            nomem(e);
            goto done;
        }
        size_t k = depth, len = 0;
        for (uint32_t j = i; j != FOLDED_NONE; j = fs->nodes[j].parent) {
            path[--k] = fs->nodes[j].func;
            const char *l = ps_folded_label(fs, fs->nodes[j].func);
            if (!l) {
                nomem(e);
                goto done;
            }
            len += strlen(l) + 1;
        }
        if (text_reserve(fs, len + 1, e) < 0)
            goto done;
        off[nl] = fs->textlen;
        sec[nl] = nd->self;
        char *p = fs->text + fs->textlen;
        for (k = 0; k < depth; k++) {
            const char *l = fs->labels[path[k]];
            size_t ll = strlen(l);
            if (k)
                *p++ = ';';
            memcpy(p, l, ll);
            p += ll;
        }
        *p++ = '\0';
        fs->textlen = (size_t)(p - fs->text);
        nl++;
    }
    /* Sort by text (the text no longer moves), merge identical stacks. */
    refs = malloc((nl + 1) * sizeof *refs);
    fs->lines = malloc((nl + 1) * sizeof *fs->lines);
    if (!refs || !fs->lines) {
        nomem(e);
        goto done;
    }
    for (size_t i = 0; i < nl; i++)
        refs[i] = (line_ref){fs->text + off[i], sec[i]};
    qsort(refs, nl, sizeof *refs, line_ref_cmp);
    size_t m = 0;
    for (size_t i = 0; i < nl; i++) {
        if (m && strcmp(refs[i].s, fs->text + fs->lines[m - 1].text) == 0) {
            fs->lines[m - 1].seconds += refs[i].seconds;
            continue;
        }
        fs->lines[m++] = (folded_line){(size_t)(refs[i].s - fs->text), refs[i].seconds, 0};
    }
    fs->nlines = m;
    /* Counts from the running sum, so they add up to the rounded total. */
    double run = 0;
    long long prev = 0;
    for (size_t i = 0; i < m; i++) {
        run += fs->lines[i].seconds;
        long long r = ps_count_round(run * fs->unit);   /* saturates: r - prev stays defined */
        fs->lines[i].count = r - prev;
        prev = r;
    }
    fs->total_count = prev;
    rc = 0;
done:
    free(off);
    free(sec);
    free(path);
    free(refs);
    return rc;
}

/* ---- building ------------------------------------------------------------------------- */

void ps_folded_free(folded_stacks *fs)
{
    if (fs->labels && fs->stats)
        for (uint32_t i = 0; i < fs->stats->nfuncs; i++)
            free(fs->labels[i]);
    free(fs->labels);
    free(fs->nodes);
    free(fs->lines);
    free(fs->text);
    free(fs->roots);
    memset(fs, 0, sizeof *fs);
}

typedef struct root_item {
    uint32_t func;
    double ctx;
} root_item;

static int root_cmp(const void *pa, const void *pb)
{
    const root_item *a = pa, *b = pb;
    if (a->ctx != b->ctx)
        return a->ctx > b->ctx ? -1 : 1;
    return a->func < b->func ? -1 : a->func > b->func;
}

int ps_folded_build(const ps_stats *s, const folded_options *o, folded_stacks *fs, ps_error *e)
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
    uint32_t n = s->nfuncs;
    ps_callgraph g;
    adjacency adj;
    memset(&adj, 0, sizeof adj);
    root_item *ri = NULL;
    uint32_t *rf = NULL, *best = NULL;
    double *rc_ctx = NULL;
    uint8_t *has_in = NULL;
    int rc = -1;
    fs->labels = calloc((size_t)n + 1, sizeof *fs->labels);
    if (!fs->labels) {
        nomem(e);
        ps_folded_free(fs);
        return -1;
    }
    if (ps_callgraph_build(s, NULL, 0, &g, e) < 0) {
        ps_folded_free(fs);
        return -1;
    }
    if (adjacency_build(s, &g, o->inverted, &adj, e) < 0)
        goto done;
    for (uint32_t i = 0; i < s->nentries; i++)
        fs->profile_total += ps_time_clean(s->entries[i].tt);

    uint32_t nr = 0;
    ri = malloc(((size_t)n + 1) * sizeof *ri);
    if (!ri) {
        nomem(e);
        goto done;
    }
    if (o->inverted) {
        /* Every function's own time, then who called it. */
        for (uint32_t f = 0; f < n; f++) {
            double t = g.used[f] ? tt_of(s, f) : 0;
            if (t > 0)
                ri[nr++] = (root_item){f, t};
        }
    } else {
        /* Roots: components nobody outside calls; in each the member with the
         * largest cumulative time. */
        if (ps_callgraph_scc(&g, e) < 0)
            goto done;
        has_in = calloc((size_t)g.nscc + 1, 1);
        best = malloc(((size_t)g.nscc + 1) * sizeof *best);
        if (!has_in || !best) {
            nomem(e);
            goto done;
        }
        memset(best, 0xff, ((size_t)g.nscc + 1) * sizeof *best);
        for (uint32_t f = 0; f < n; f++) {
            if (!g.used[f])
                continue;
            uint32_t c = g.scc[f];
            if (best[c] == FOLDED_NONE || ct_of(s, f) > ct_of(s, best[c]))
                best[c] = f;
            for (uint32_t a = g.start[f]; a < g.start[f + 1]; a++)
                if (g.scc[g.to[a]] != c)
                    has_in[g.scc[g.to[a]]] = 1;
        }
        for (uint32_t c = 0; c < g.nscc; c++) {
            if (has_in[c] || best[c] == FOLDED_NONE)
                continue;
            uint32_t f = best[c];
            /* profile.py's fake root ('profile', 0, 'profiler') has no times:
             * its edges say what it holds. */
            double ctx = ct_of(s, f) > 0 ? ct_of(s, f) : adj.norm[f];
            if (ctx > 0)
                ri[nr++] = (root_item){f, ctx};
        }
    }
    double roots_total = 0;
    for (uint32_t r = 0; r < nr; r++)
        roots_total += ri[r].ctx;
    fs->roots_total = roots_total;
    uint32_t max_depth = o->max_depth;
    if (!o->inverted && fs->profile_total > 0 && !(roots_total >= 1e-3 * fs->profile_total)) {
        /* The roots hold (next to) none of the time: damaged data, nothing to
         * scale.  Every function's own time becomes a stack of one frame. */
        fs->flat = 1;
        nr = 0;
        for (uint32_t f = 0; f < n; f++) {
            double t = g.used[f] ? tt_of(s, f) : 0;
            if (t > 0)
                ri[nr++] = (root_item){f, t};
        }
        roots_total = fs->profile_total;
        max_depth = 1;
    }
    qsort(ri, nr, sizeof *ri, root_cmp);
    double scale = 1;
    if (fs->profile_total > 0 && roots_total > 0)
        scale = fs->profile_total / roots_total;
    fs->total = roots_total * scale;
    rf = malloc(((size_t)nr + 1) * sizeof *rf);
    rc_ctx = malloc(((size_t)nr + 1) * sizeof *rc_ctx);
    fs->roots = malloc(((size_t)nr + 1) * sizeof *fs->roots);
    if (!rf || !rc_ctx || !fs->roots) {
        nomem(e);
        goto done;
    }
    for (uint32_t r = 0; r < nr; r++) {
        rf[r] = fs->roots[r] = ri[r].func;
        rc_ctx[r] = ri[r].ctx * scale;
    }
    fs->nroots = nr;
    if (expand(fs, &adj, rf, rc_ctx, nr, o->min_fraction * fs->total, max_depth,
               o->max_repeat ? o->max_repeat : 2, e) < 0)
        goto done;
    if (make_lines(fs, e) < 0)
        goto done;
    if (!o->inverted && fs->nnodes) {
        double *placed = calloc((size_t)n + 1, sizeof *placed);
        if (!placed) {
            nomem(e);
            goto done;
        }
        for (uint32_t i = 0; i < fs->nnodes; i++)
            placed[fs->nodes[i].func] += fs->nodes[i].self;
        double err = 0;
        for (uint32_t f = 0; f < n; f++)
            err += fabs(placed[f] - tt_of(s, f) * scale);
        fs->misplaced = err / 2;

        free(placed);
    }
    rc = 0;
done:
    ps_callgraph_free(&g);
    adjacency_free(&adj);
    free(ri);
    free(rf);
    free(rc_ctx);
    free(best);
    free(has_in);
    if (rc < 0)
        ps_folded_free(fs);
    return rc;
}

/* Each frame with time of its own is a stack: the path from its root. */
static int stacks_from_tree(const folded_stacks *fs, ps_stacks *out, ps_error *e)
{
    uint32_t *path = NULL;
    size_t cap = 0;
    for (uint32_t i = 0; i < fs->nnodes; i++) {
        const folded_node *nd = &fs->nodes[i];
        if (!(nd->self > 0))
            continue;
        size_t depth = (size_t)nd->depth + 1;
        if (ps_grow(&path, &cap, depth, sizeof *path) < 0) {
            free(path);
            return nomem(e);
        }
        size_t k = depth;
        for (uint32_t j = i; j != FOLDED_NONE; j = fs->nodes[j].parent)
            path[--k] = fs->nodes[j].func;
        if (ps_stacks_add(out, path, (uint32_t)depth, nd->self, 0, e) < 0) {
            free(path);
            return -1;
        }
    }
    free(path);
    return ps_stacks_merge(out, e);
}

int ps_stacks_of(const ps_stats *s, const folded_options *o, ps_stacks *out, ps_error *e)
{
    ps_stacks_init(out);
    if (s->stacks) {
        const ps_stacks *in = s->stacks;
        for (size_t i = 0; i < in->nstacks; i++) {
            const ps_stack *st = &in->stacks[i];
            if (ps_stacks_add(out, in->frames + st->first, st->depth, st->weight, st->count, e) < 0) {
                ps_stacks_free(out);
                return -1;
            }
        }
        out->idle_count = in->idle_count;
        out->idle_weight = in->idle_weight;
        return 0;
    }
    folded_options opts;
    ps_folded_options_init(&opts);
    if (o) {
        opts.min_fraction = o->min_fraction;
        opts.max_depth = o->max_depth;
        opts.max_repeat = o->max_repeat;
    }
    folded_stacks fs;
    if (ps_folded_build(s, &opts, &fs, e) < 0)
        return -1;
    out->estimated = 1;
    int rc = stacks_from_tree(&fs, out, e);
    ps_folded_free(&fs);
    if (rc < 0)
        ps_stacks_free(out);
    return rc;
}

int ps_stacks_export(const ps_stats *s, const folded_options *o, const char *path,
                     ps_stacks_writer write, void *ctx, ps_error *e)
{
    ps_stacks st;
    if (ps_stacks_of(s, o, &st, e) < 0)
        return -1;
    export_file f;
    int rc = ps_export_file_open(&f, path, e);
    if (rc == 0) {
        rc = write(s, &st, f.fp, path, ctx, e);
        if (rc < 0)
            ps_export_file_abort(&f);
        else
            rc = ps_export_file_commit(&f, e);
    }
    ps_stacks_free(&st);
    return rc;
}
