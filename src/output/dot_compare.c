/* dot_compare.c - two profiles in one graph: gprof2dot's --compare (BASE's
 * graph, each node and edge labelled with the difference to NEW's) and our
 * --diff (NEW's graph painted by its change since BASE, matched as profdiff
 * matches).
 *
 * --compare follows gprof2dot's DotWriter.graphs_compare: nodes pair by their
 * gprof2dot name (module:line:function; in NEW a later id wins a clash, as
 * its dict does), the first label event that is total-time-percentage decides
 * the shape (cds, turned 90 degrees when NEW is faster), the calls line
 * follows every event, edges pair by the names of their ends.  Where
 * gprof2dot fails (a function of BASE missing from NEW, or having no stats in
 * NEW), the node is drawn as gprof2dot draws an unmatched one and its edges
 * carry BASE's numbers only. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/index.h"
#include "base/pycompat.h"
#include "output/dot_int.h"
#include "pstats/diff.h"
#include "pstats/dot.h"
#include "pstats/export.h"

static int nomem(ps_error *e)
{
    return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
}

static int edge_drawn(const pg_graph *g, const pg_edge *ed)
{
    return ed->alive && g->nodes[ed->caller].alive && g->nodes[ed->callee].alive;
}

/* The drawn edge caller -> callee of g, or NULL (each caller's edges are
 * sorted by callee). */
static const pg_edge *find_edge(const pg_graph *g, uint32_t caller, uint32_t callee)
{
    const pg_node *n = &g->nodes[caller];
    size_t lo = n->out_first, hi = (size_t)n->out_first + n->out_n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (g->edges[mid].callee < callee)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < (size_t)n->out_first + n->out_n && g->edges[lo].callee == callee &&
        edge_drawn(g, &g->edges[lo]))
        return &g->edges[lo];
    return NULL;
}

/* ---- NEW's nodes by name ------------------------------------------------- */

typedef struct name_index {
    const pg_graph *g;
    ps_index ix;                 /* name -> node id */
} name_index;

/* The node indexed under name, or PS_INDEX_NONE with p where it would go. */
static uint32_t name_lookup(const name_index *ni, const char *name, ps_index_probe *p)
{
    uint32_t at = ps_index_find(&ni->ix, ps_hash_bytes(name, strlen(name)), p);
    while (at != PS_INDEX_NONE && strcmp(ni->g->nodes[at].name, name) != 0)
        at = ps_index_next(&ni->ix, p);
    return at;
}

/* The alive nodes by name; where two share one, the later id wins (as NEW's
 * dict keeps the last): nodes are indexed from the last, and a name seen
 * already is skipped. */
static int index_build(name_index *ni, const pg_graph *g)
{
    size_t n = 0;
    for (uint32_t i = 0; i < g->nnodes; i++)
        n += g->nodes[i].alive;
    ni->g = g;
    if (ps_index_init(&ni->ix, n) < 0)
        return -1;
    for (uint32_t i = g->nnodes; i-- > 0;) {
        const char *name = g->nodes[i].name;
        if (!g->nodes[i].alive)
            continue;
        ps_index_probe p;
        if (name_lookup(ni, name, &p) == PS_INDEX_NONE && ps_index_add(&ni->ix, &p, i) < 0) {
            ps_index_free(&ni->ix);
            return -1;
        }
    }
    return 0;
}

static const pg_node *index_find(const name_index *ni, const char *name)
{
    ps_index_probe p;
    uint32_t at = name_lookup(ni, name, &p);
    return at == PS_INDEX_NONE ? NULL : &ni->g->nodes[at];
}

/* ---- labels ---------------------------------------------------------------- */

static double event_value(const pg_node *n, int ev)
{
    switch (ev) {
    case PG_LABEL_TOTAL_TIME_PCT: return n->total_ratio;
    case PG_LABEL_SELF_TIME_PCT: return n->time_ratio;
    case PG_LABEL_TOTAL_TIME: return n->ct;
    default: return n->tt;
    }
}

/* The event's value as gprof2dot's Event.format writes it. */
static int event_format(pg_buf *out, const pg_options *o, int ev, double x, ps_error *e)
{
    char t[40];
    int k = 0;
    switch (ev) {
    case PG_LABEL_TOTAL_TIME_PCT:
    case PG_LABEL_SELF_TIME_PCT:
        if (ev == PG_LABEL_SELF_TIME_PCT)
            t[k++] = '(';
        k += ps_pg_fmt2(t + k, x * 100.0);
        t[k++] = '%';
        if (ev == PG_LABEL_SELF_TIME_PCT)
            t[k++] = ')';
        ps_pg_buf_add(out, t, (size_t)k);
        return 0;
    case PG_LABEL_TOTAL_TIME:
        return ps_pg_pyformat(out, o->time_format, x, e);
    default:
        ps_pg_buf_add(out, "(", 1);
        if (ps_pg_pyformat(out, o->time_format, x, e) < 0)
            return -1;
        ps_pg_buf_add(out, ")", 1);
        return 0;
    }
}

/* repr(round(d, -floor(log10(tol)))): gprof2dot's round_difference. */
static void add_rounded(pg_buf *out, double d, double tol)
{
    double n = -floor(log10(tol));
    double r;
    if (n >= 0) {
        /* glibc prints the exact value correctly rounded, as Python's round */
        char t[420];
        snprintf(t, sizeof t, "%.*f", n > 340 ? 340 : (int)n, d);
        r = strtod(t, NULL);
    } else {
        double p = pow(10.0, -n);
        r = nearbyint(d / p) * p;
    }
    char rep[64];
    size_t k = ps_py_float_repr(rep, sizeof rep, r);
    ps_pg_buf_add(out, rep, k);
}

/* "%u×" of a call count ("~" before an estimate of --hide). */
static void add_calls(pg_buf *out, int64_t calls, int approx)
{
    if (approx)
        ps_pg_buf_add(out, "~", 1);
    ps_pg_buf_printf(out, "%lld\xc3\x97", (long long)calls);
}

static void add_pct(pg_buf *out, double ratio)
{
    char t[40];
    int k = ps_pg_fmt2(t, ratio * 100.0);
    t[k++] = '%';
    ps_pg_buf_add(out, t, (size_t)k);
}

/* min and max of |BASE's i-th total ratio - NEW's i-th| * 100 over BASE's
 * nodes in id order (gprof2dot's min_max_difference pairs by position, 0
 * past NEW's end). */
static void min_max_difference(const pg_graph *g1, const pg_graph *g2, double *mn, double *mx)
{
    uint32_t j = 0;
    int any = 0;
    *mn = *mx = 0.0;
    for (uint32_t i = 0; i < g1->nnodes; i++) {
        if (!g1->nodes[i].alive)
            continue;
        while (j < g2->nnodes && !g2->nodes[j].alive)
            j++;
        double d = 0.0;
        if (j < g2->nnodes) {
            d = fabs(g1->nodes[i].total_ratio - g2->nodes[j].total_ratio) * 100.0;
            j++;
        }
        if (!any || d < *mn)
            *mn = d;
        if (!any || d > *mx)
            *mx = d;
        any = 1;
    }
}

static const char *node_fg(const pg_options *o, const char *color)
{
    return strcmp(o->theme->nodestyle, "filled") == 0 ? "#ffffff" : color;
}

/* The label of a node found in NEW, and its shape, orientation and the
 * difference that colours it with --compare-color-by-difference. */
static int matched_label(const pg_options *o, const pg_node *n1, const pg_node *n2, pg_buf *label,
                         const char **shape, const char **orient, double *wdiff, ps_error *e)
{
    if (o->wrap) {
        if (ps_pg_wrap_name(label, n1->name, e) < 0)
            return -1;
    } else {
        ps_pg_buf_addz(label, n1->name);
    }
    static const int DEFAULT_LABELS[] = {PG_LABEL_TOTAL_TIME_PCT, PG_LABEL_SELF_TIME_PCT};
    const int *labels = o->nlabels ? o->labels : DEFAULT_LABELS;
    int nlabels = o->nlabels ? o->nlabels : 2;
    for (int i = 0; i < nlabels && n1->has_stats; i++) {
        int ev = labels[i];
        double e1 = event_value(n1, ev), e2 = event_value(n2, ev);
        double d = fabs(e1 - e2) * 100.0;
        int sign = 0;
        if (ev == PG_LABEL_TOTAL_TIME_PCT) {
            *wdiff = 0.0;
            if (d >= o->tolerance) {
                if (e2 > e1 && !o->only_faster) {
                    *shape = "cds";
                    sign = 1;
                } else if (e2 < e1 && !o->only_slower) {
                    *orient = "90";
                    *shape = "cds";
                    sign = -1;
                }
                if (sign)
                    *wdiff = d;
            }
        } else if (d >= o->tolerance) {
            sign = e2 > e1 ? 1 : e2 < e1 ? -1 : 0;
        }
        ps_pg_buf_add(label, "\n", 1);
        if (event_format(label, o, ev, e1, e) < 0)
            return -1;
        if (sign) {
            ps_pg_buf_addz(label, sign > 0 ? " + " : " - ");
            add_rounded(label, d, o->tolerance);
            ps_pg_buf_add(label, "%", 1);
        }
        ps_pg_buf_printf(label, "\n%lld \xc3\x97/ %lld \xc3\x97", (long long)n1->called,
                         (long long)n2->called);
    }
    return label->failed ? nomem(e) : 0;
}

int ps_dot_compare_write(const pg_graph *g1, const pg_graph *g2, const pg_options *o, FILE *out,
                         ps_error *e)
{
    name_index ix;
    if (index_build(&ix, g2) < 0)
        return nomem(e);
    const pg_theme *t = o->theme;
    double min_diff = 0.0, max_diff = 0.0;
    if (o->color_by_difference)
        min_max_difference(g1, g2, &min_diff, &max_diff);
    pg_buf b = {0}, label = {0};
    int first, rc = 0;
    ps_pg_buf_addz(&b, "digraph {\n\ttooltip=\" \"\n\tgraph");
    first = 1;
    ps_dot_put_attr(&b, &first, "fontname", "Arial");
    if (g1->note) {
        ps_dot_put_attr(&b, &first, "label", g1->note);
        ps_dot_put_attr(&b, &first, "labelloc", "t");
    }
    ps_pg_buf_addz(&b, ", nodesep=0.125, ranksep=0.25];\n\tnode");
    first = 1;
    ps_dot_put_attr(&b, &first, "fontcolor", t->fontcolor);
    ps_dot_put_attr(&b, &first, "fontname", "Arial");
    ps_dot_put_attr(&b, &first, "height", "0");
    ps_dot_put_attr(&b, &first, "style", t->nodestyle);
    ps_dot_put_attr(&b, &first, "width", "0");
    ps_pg_buf_addz(&b, "];\n\tedge [fontname=Arial];\n");
    for (uint32_t i = 0; i < g1->nnodes && rc == 0; i++) {
        const pg_node *n1 = &g1->nodes[i];
        if (!n1->alive)
            continue;
        const pg_node *n2 = index_find(&ix, n1->name);
        if (n2 && n1->has_stats && !n2->has_stats)
            n2 = NULL;
        const char *shape = "box", *orient = "0";
        double wdiff = 0.0;
        label.len = 0;
        rc = n2 ? matched_label(o, n1, n2, &label, &shape, &orient, &wdiff, e)
                : ps_pg_node_label(g1, o, n1, &label, e);
        if (rc < 0)
            break;
        double w;
        if (o->color_by_difference && wdiff != 0.0)
            /* gprof2dot divides by zero when every difference is the same */
            w = max_diff > min_diff ? (wdiff - min_diff) / (max_diff - min_diff) : 1.0;
        else if (!o->color_by_difference)
            w = n1->weight;
        else
            w = 0.0;
        char color[8], fontsize[64];
        ps_pg_color_hex(t, o->skew, w, color);
        snprintf(fontsize, sizeof fontsize, "%f", ps_pg_fontsize(t, w));
        ps_pg_buf_printf(&b, "\t%u", n1->id);
        first = 1;
        ps_dot_put_attr(&b, &first, "color", color);
        ps_dot_put_attr(&b, &first, "fontcolor", node_fg(o, color));
        ps_dot_put_attr(&b, &first, "fontsize", fontsize);
        ps_pg_buf_addz(&b, ", label=");
        ps_dot_put_value(&b, label.s, label.len);
        ps_dot_put_attr(&b, &first, "orientation", orient);
        ps_dot_put_attr(&b, &first, "shape", shape);
        ps_dot_put_attr(&b, &first, "tooltip", ps_pg_node_tooltip(g1, n1));
        ps_pg_buf_addz(&b, "];\n");
        for (uint32_t k = 0; k < n1->out_n; k++) {
            const pg_edge *ed = &g1->edges[n1->out_first + k];
            if (!edge_drawn(g1, ed))
                continue;
            const pg_edge *ed2 = NULL;
            if (n2) {
                const pg_node *c2 = index_find(&ix, g1->nodes[ed->callee].name);
                if (c2)
                    ed2 = find_edge(g2, n2->id, c2->id);
            }
            label.len = 0;
            add_pct(&label, ed->weight);
            if (ed2) {
                ps_pg_buf_addz(&label, " / ");
                add_pct(&label, ed2->weight);
            }
            ps_pg_buf_add(&label, "\n", 1);
            add_calls(&label, ed->calls, ed->estimated);
            if (ed2) {
                ps_pg_buf_addz(&label, " / ");
                add_calls(&label, ed2->calls, ed2->estimated);
            }
            double ew = o->color_by_difference ? 0.0 : ed->weight;
            char ec[8], fs[32], pw[32], as[32];
            ps_pg_color_hex(t, o->skew, ew, ec);
            ps_pg_fmt2(fs, ps_pg_fontsize(t, ew));
            ps_pg_fmt2(pw, ps_pg_penwidth(t, ew));
            ps_pg_fmt2(as, ps_pg_arrowsize(t, ew));
            ps_pg_buf_printf(&b, "\t%u -> %u", n1->id, ed->callee);
            first = 1;
            ps_dot_put_attr(&b, &first, "arrowsize", as);
            ps_dot_put_attr(&b, &first, "color", ec);
            ps_dot_put_attr(&b, &first, "fontcolor", ec);
            ps_dot_put_attr(&b, &first, "fontsize", fs);
            ps_pg_buf_addz(&b, ", label=");
            ps_dot_put_value(&b, label.s, label.len);
            ps_dot_put_attr(&b, &first, "labeldistance", pw);
            ps_dot_put_attr(&b, &first, "penwidth", pw);
            if (ed->estimated)
                ps_dot_put_attr(&b, &first, "style", "dotted");
            ps_pg_buf_addz(&b, "];\n");
        }
        if (label.failed)
            rc = nomem(e);
        else if (b.len >= (1u << 20))
            rc = ps_dot_flush(&b, out, e);
    }
    if (rc == 0) {
        ps_pg_buf_addz(&b, "}\n");
        rc = ps_dot_flush(&b, out, e);
    }
    ps_index_free(&ix.ix);
    ps_pg_buf_free(&b);
    ps_pg_buf_free(&label);
    return rc;
}

/* ---- --diff BASE: NEW's graph painted by change ------------------------------ */

/* "+1.23 ms" */
static void fmt_seconds(char *out, size_t size, double s)
{
    double a = fabs(s);
    const char *sign = s < 0 ? "-" : "+";
    if (a >= 1.0 || a == 0.0)
        snprintf(out, size, "%s%.3g s", sign, a);
    else if (a >= 1e-3)
        snprintf(out, size, "%s%.3g ms", sign, a * 1e3);
    else
        snprintf(out, size, "%s%.3g \xc2\xb5s", sign, a * 1e6);
}

/* Red (slower) or blue (faster), deeper with m in (0, 1]; grey within the
 * tolerance.  The font colour keeps the label readable on the fill. */
static void change_color(int sign, double m, int edge, char color[8], char font[8])
{
    if (!sign || isnan(m)) {
        strcpy(color, edge ? "#8c8c8c" : "#d9d9d9");
        strcpy(font, "#000000");
        return;
    }
    if (m > 1.0)
        m = 1.0;
    double h = sign > 0 ? 0.0 : 2.0 / 3.0;
    double s = 0.55 + 0.35 * m;
    double l = edge ? 0.62 - 0.27 * m : 0.84 - 0.42 * m;
    double rgb[3];
    ps_pg_hsl_to_rgb(ps_pg_theme_get(PG_THEME_COLOR), h, s, l, rgb);   /* gamma 1 */
    ps_pg_rgb_hex(rgb, color);
    strcpy(font, l > 0.6 ? "#000000" : "#ffffff");
}

typedef struct diff_paint {
    pg_paint p;
    char *lines;                 /* the extra lines, NUL-separated */
} diff_paint;

static void paint_free(diff_paint *dp)
{
    free(dp->p.node_color);
    free(dp->p.node_fontcolor);
    free(dp->p.node_extra);
    free(dp->p.edge_color);
    free(dp->p.edge_extra);
    free(dp->lines);
    memset(dp, 0, sizeof *dp);
}

typedef struct change {
    double delta;                /* NEW - BASE, seconds */
    double base;                 /* BASE's time */
    int in_base;
} change;

/* Colours and lines for the drawn nodes and edges of g (NEW's graph) from
 * the diff's rows and gb (BASE's unpruned graph). */
static int paint_diff(const pg_graph *g, const pg_graph *gb, const ps_diff *d, double tol,
                      diff_paint *dp, ps_error *e)
{
    const ps_stats *ns = g->stats, *bs = gb->stats;
    uint32_t *row_of = malloc(((size_t)ns->nfuncs + 1) * sizeof *row_of);
    uint32_t *bnode = malloc(((size_t)bs->nfuncs + 1) * sizeof *bnode);
    change *nc = calloc((size_t)g->nnodes + 1, sizeof *nc);
    change *ec = calloc(g->nedges + 1, sizeof *ec);
    pg_paint *p = &dp->p;
    p->node_color = calloc((size_t)g->nnodes + 1, sizeof *p->node_color);
    p->node_fontcolor = calloc((size_t)g->nnodes + 1, sizeof *p->node_fontcolor);
    p->node_extra = calloc((size_t)g->nnodes + 1, sizeof *p->node_extra);
    p->edge_color = calloc(g->nedges + 1, sizeof *p->edge_color);
    p->edge_extra = calloc(g->nedges + 1, sizeof *p->edge_extra);
    pg_buf lines = {0};
    size_t *noff = NULL, *eoff = NULL;
    int rc = -1;
    if (!row_of || !bnode || !nc || !ec || !p->node_color || !p->node_fontcolor ||
        !p->node_extra || !p->edge_color || !p->edge_extra)
        goto out;
    memset(row_of, 0xff, ((size_t)ns->nfuncs + 1) * sizeof *row_of);
    memset(bnode, 0xff, ((size_t)bs->nfuncs + 1) * sizeof *bnode);
    for (size_t r = 0; r < d->nrows; r++)
        if (d->rows[r].in & PS_DIFF_IN_NEW)
            row_of[d->rows[r].new_func] = (uint32_t)r;
    for (uint32_t i = 0; i < gb->nnodes; i++)
        bnode[gb->nodes[i].func] = i;
    /* the changes, and the largest outside the tolerance (the deepest colour) */
    double maxabs = 0.0;
    for (uint32_t i = 0; i < g->nnodes; i++) {
        const pg_node *n = &g->nodes[i];
        if (!n->alive)
            continue;
        uint32_t r = row_of[n->func];
        const ps_diff_row *row = r == UINT32_MAX ? NULL : &d->rows[r];
        nc[i].in_base = row && (row->in & PS_DIFF_IN_BASE);
        nc[i].base = nc[i].in_base ? row->base.ct : 0.0;
        nc[i].delta = n->ct - nc[i].base;
        if (fabs(nc[i].delta) >= tol && fabs(nc[i].delta) > maxabs)
            maxabs = fabs(nc[i].delta);
    }
    for (size_t i = 0; i < g->nedges; i++) {
        const pg_edge *ed = &g->edges[i];
        if (!edge_drawn(g, ed))
            continue;
        double t = ed->weight * g->total_time;
        uint32_t rc_ = row_of[g->nodes[ed->caller].func], re = row_of[g->nodes[ed->callee].func];
        const pg_edge *be = NULL;
        if (rc_ != UINT32_MAX && re != UINT32_MAX && (d->rows[rc_].in & PS_DIFF_IN_BASE) &&
            (d->rows[re].in & PS_DIFF_IN_BASE)) {
            uint32_t bc = bnode[d->rows[rc_].base_func], bl = bnode[d->rows[re].base_func];
            if (bc != UINT32_MAX && bl != UINT32_MAX)
                be = find_edge(gb, bc, bl);
        }
        ec[i].in_base = be != NULL;
        /* BASE's time scaled as the diff scales it (1 without --normalize) */
        ec[i].base = be ? be->weight * gb->total_time * d->scale : 0.0;
        ec[i].delta = t - ec[i].base;
        if (fabs(ec[i].delta) >= tol && fabs(ec[i].delta) > maxabs)
            maxabs = fabs(ec[i].delta);
    }
    /* lines into one buffer (offsets first: it moves as it grows) */
    noff = malloc(((size_t)g->nnodes + 1) * sizeof *noff);
    eoff = malloc((g->nedges + 1) * sizeof *eoff);
    if (!noff || !eoff)
        goto out;
    for (uint32_t i = 0; i < g->nnodes; i++) {
        noff[i] = SIZE_MAX;
        if (!g->nodes[i].alive)
            continue;
        const change *c = &nc[i];
        int sign = fabs(c->delta) >= tol && c->delta != 0.0 ? (c->delta > 0 ? 1 : -1) : 0;
        change_color(sign, maxabs > 0 ? fabs(c->delta) / maxabs : 0.0, 0, p->node_color[i],
                     p->node_fontcolor[i]);
        if (!sign && c->in_base)
            continue;            /* grey says it: no line */
        char dt[48];
        fmt_seconds(dt, sizeof dt, c->delta);
        noff[i] = lines.len;
        if (!c->in_base)
            ps_pg_buf_printf(&lines, "new since BASE (%s)", dt);
        else if (c->base > 0 && fabs(c->delta) < 10.0 * c->base)
            ps_pg_buf_printf(&lines, "\xce\x94 %s (%+.1f%%)", dt, 100.0 * c->delta / c->base);
        else if (c->base > 0)     /* "+1548882.8%" reads worse than a factor */
            ps_pg_buf_printf(&lines, "\xce\x94 %s (\xc3\x97%.3g)", dt, (c->base + c->delta) / c->base);
        else
            ps_pg_buf_printf(&lines, "\xce\x94 %s", dt);
        ps_pg_buf_add(&lines, "", 1);   /* the NUL ends the line */
    }
    for (size_t i = 0; i < g->nedges; i++) {
        eoff[i] = SIZE_MAX;
        if (!edge_drawn(g, &g->edges[i]))
            continue;
        const change *c = &ec[i];
        int sign = fabs(c->delta) >= tol && c->delta != 0.0 ? (c->delta > 0 ? 1 : -1) : 0;
        char font[8];
        change_color(sign, maxabs > 0 ? fabs(c->delta) / maxabs : 0.0, 1, p->edge_color[i], font);
        if (!c->in_base) {
            eoff[i] = lines.len;
            ps_pg_buf_addz(&lines, "new");
        } else if (sign) {
            char dt[48];
            fmt_seconds(dt, sizeof dt, c->delta);
            eoff[i] = lines.len;
            ps_pg_buf_printf(&lines, "\xce\x94 %s", dt);
        } else {
            continue;
        }
        ps_pg_buf_add(&lines, "", 1);
    }
    if (lines.failed)
        goto out;
    for (uint32_t i = 0; i < g->nnodes; i++)
        p->node_extra[i] = noff[i] == SIZE_MAX ? NULL : lines.s + noff[i];
    for (size_t i = 0; i < g->nedges; i++)
        p->edge_extra[i] = eoff[i] == SIZE_MAX ? NULL : lines.s + eoff[i];
    dp->lines = lines.s;
    lines.s = NULL;
    rc = 0;
out:
    free(row_of);
    free(bnode);
    free(nc);
    free(ec);
    free(noff);
    free(eoff);
    ps_pg_buf_free(&lines);
    return rc < 0 ? nomem(e) : 0;
}

/* The graph's note: what was compared and what the colours say. */
static int diff_note(pg_graph *g, const ps_diff *d, const pg_options *o, ps_error *e)
{
    char bt[48], nt[48];
    snprintf(bt, sizeof bt, "%.6g s", d->tbase.time);
    snprintf(nt, sizeof nt, "%.6g s", d->tnew.time);
    pg_buf b = {0};
    ps_pg_buf_printf(&b, "against %s: total time %s -> %s", o->diff_base, bt, nt);
    if (d->tbase.time > 0)
        ps_pg_buf_printf(&b, " (%+.1f%%)", 100.0 * (d->tnew.time - d->tbase.time) / d->tbase.time);
    ps_pg_buf_printf(&b, "\nred: slower, blue: faster, grey: within %g%% of BASE's total time",
                     o->diff_tolerance);
    if (g->note)
        ps_pg_buf_printf(&b, "\n%s", g->note);
    if (b.failed) {
        ps_pg_buf_free(&b);
        return nomem(e);
    }
    free(g->note);
    g->note = b.s;
    return 0;
}

/* ---- the run ----------------------------------------------------------------- */

static int write_out(const pg_options *o, int (*emit)(FILE *, void *, ps_error *), void *arg,
                     ps_error *e)
{
    export_file f;
    const char *path = o->output && *o->output ? o->output : "-";
    if (ps_export_file_open(&f, path, e) < 0)
        return -1;
    if (emit(f.fp, arg, e) < 0) {
        ps_export_file_abort(&f);
        return -1;
    }
    return ps_export_file_commit(&f, e);
}

typedef struct compare_job {
    const pg_graph *g1, *g2;
    const pg_options *o;
} compare_job;

static int emit_compare(FILE *fp, void *arg, ps_error *e)
{
    const compare_job *j = arg;
    if (!j->o->render)
        return ps_dot_compare_write(j->g1, j->g2, j->o, fp, e);
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (!mem)
        return nomem(e);
    int rc = ps_dot_compare_write(j->g1, j->g2, j->o, mem, e);
    if (fclose(mem) != 0 && rc == 0)
        rc = nomem(e);
    if (rc == 0)
        rc = ps_dot_render_text(text, j->o->render, fp, e);
    free(text);
    return rc;
}

typedef struct diff_job {
    const pg_graph *g;
    const pg_options *o;
} diff_job;

static int emit_diff(FILE *fp, void *arg, ps_error *e)
{
    const diff_job *j = arg;
    return j->o->render ? ps_dot_render(j->g, j->o, j->o->render, fp, e)
                        : ps_dot_write(j->g, j->o, fp, e);
}

int ps_dot_run_two(ps_stats *base, ps_stats *cur, const pg_options *o, ps_error *e)
{
    ps_error_clear(e);
    if (o->list_functions)
        return ps_error_set(e, PS_EUSAGE, -1, "--list-functions takes one profile, not %s",
                            o->compare ? "--compare" : "--diff");
    pg_graph g1, g2;
    int rc;
    if (o->compare) {
        if (ps_pg_build(base, o, &g1, e) < 0)
            return -1;
        if (ps_pg_build(cur, o, &g2, e) < 0) {
            ps_pg_graph_free(&g1);
            return -1;
        }
        compare_job j = {&g1, &g2, o};
        rc = write_out(o, emit_compare, &j, e);
        ps_pg_graph_free(&g1);
        ps_pg_graph_free(&g2);
        return rc;
    }
    /* --diff: profdiff's matching, BASE's whole graph for its edges */
    ps_diff_options dopt;
    ps_diff_options_init(&dopt);
    dopt.strip_dirs = o->diff_strip_dirs;
    ps_diff d;
    if (ps_diff_build(base, cur, &dopt, &d, e) < 0)
        return -1;
    pg_options bo;
    ps_pg_options_init(&bo);
    bo.node_thres = bo.edge_thres = 0.0;
    bo.full_names = o->full_names;
    diff_paint dp = {0};
    rc = ps_pg_build(base, &bo, &g1, e);
    if (rc == 0) {
        rc = ps_pg_build(cur, o, &g2, e);
        if (rc < 0)
            ps_pg_graph_free(&g1);
    }
    if (rc == 0) {
        double tol = o->diff_tolerance / 100.0 * d.tbase.time;
        rc = paint_diff(&g2, &g1, &d, tol, &dp, e);
        if (rc == 0)
            rc = diff_note(&g2, &d, o, e);
        if (rc == 0) {
            g2.paint = &dp.p;
            diff_job j = {&g2, o};
            rc = write_out(o, emit_diff, &j, e);
        }
        ps_pg_graph_free(&g1);
        ps_pg_graph_free(&g2);
    }
    paint_free(&dp);
    ps_diff_free(&d);
    return rc;
}
