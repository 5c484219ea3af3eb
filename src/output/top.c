/* top.c - pprof's top, peek and tree text reports on a stats database (see
 * top.h); written from pprof's report.go behaviour, no pprof code. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "base/grow.h"
#include "pstats/buf.h"
#include "pstats/select.h"
#include "pstats/sort.h"
#include "pstats/top.h"

/* pprof's time units: nanoseconds and the factor to each. */
static const struct {
    const char *name;
    double factor;
} UNITS[] = {{"ns", 1.0}, {"us", 1e3}, {"ms", 1e6}, {"s", 1e9}, {"hrs", 3.6e12}};
#define NUNITS (sizeof UNITS / sizeof UNITS[0])
#define UNIT_S 3   /* pprof's default time unit */

/* measurement's autoScale: the largest unit in which v (ns) is at least 1. */
static int auto_unit(double ns)
{
    int u = -1;
    for (size_t i = 0; i < NUNITS; i++)
        if (fabs(ns) / UNITS[i].factor >= 1.0)
            u = (int)i;
    return u < 0 ? UNIT_S : u;
}

/* ScaledLabel in a fixed unit: "%.2f" without ".00", a bare 0. */
static const char *fmt_value(char buf[64], double seconds, int unit)
{
    snprintf(buf, 64, "%.2f", seconds * 1e9 / UNITS[unit].factor);
    size_t n = strlen(buf);
    if (n > 3 && strcmp(buf + n - 3, ".00") == 0)
        buf[n -= 3] = '\0';
    if (strcmp(buf, "0") == 0 || strcmp(buf, "-0") == 0)
        return "0";
    snprintf(buf + n, 64 - n, "%s", UNITS[unit].name);
    return buf;
}

/* measurement.Percentage. */
static const char *fmt_pct(char buf[32], double v, double total)
{
    double r = total != 0.0 ? fabs(v / total) * 100.0 : 0.0;
    if (r >= 99.95 && r <= 100.05)
        return "  100%";
    snprintf(buf, 32, r >= 1.0 ? "%5.2f%%" : "%5.2g%%", r);
    return buf;
}

typedef struct row {
    uint32_t func;
    double flat, cum;
    size_t name;          /* offset in the names buffer */
} row;

typedef struct report {
    ps_stats *s;
    const ps_top_options *o;
    row *rows;            /* one per entry, then sorted */
    size_t nrows, caprows;
    uint32_t *row_of;     /* function id -> index in rows, PS_NONE if none */
    pg_buf names;
    int unit;
    double edge_cutoff;   /* tree: lighter calls are not shown */
} report;

static const char *name_of(const report *r, uint32_t func)
{
    uint32_t i = r->row_of[func];
    return i == PS_NONE ? NULL : r->names.s + r->rows[i].name;
}

static int add_name(report *r, uint32_t func, size_t *off)
{
    char small[512];
    size_t n = ps_stats_std_name(r->s, func, small, sizeof small);
    if (ps_pg_buf_reserve(&r->names, n + 1) < 0)
        return -1;
    *off = r->names.len;
    ps_stats_std_name(r->s, func, r->names.s + r->names.len, n + 1);
    r->names.len += n + 1;
    return 0;
}

/* pprof's FlatNameOrder (flat, name, cum) or CumNameOrder (cum, name, flat). */
static int cmp_rows(uint32_t a, uint32_t b, void *ctx)
{
    const report *r = ctx;
    const row *x = &r->rows[a], *y = &r->rows[b];
    int cum = r->o->cum;
    const char *names = r->names.s;
    double kx = cum ? x->cum : x->flat, ky = cum ? y->cum : y->flat;
    if (fabs(kx) != fabs(ky))
        return fabs(kx) > fabs(ky) ? -1 : 1;
    int c = strcmp(names + x->name, names + y->name);
    if (c)
        return c;
    double lx = cum ? x->flat : x->cum, ly = cum ? y->flat : y->cum;
    if (fabs(lx) != fabs(ly))
        return fabs(lx) > fabs(ly) ? -1 : 1;
    return x->func < y->func ? -1 : x->func > y->func;
}

/* Every entry a row, names included (caller-only functions get a name too). */
static int report_init(report *r, ps_stats *s, const ps_top_options *o, ps_error *e)
{
    memset(r, 0, sizeof *r);
    r->s = s;
    r->o = o;
    r->caprows = (size_t)s->nentries + 1;
    r->rows = malloc(r->caprows * sizeof *r->rows);
    r->row_of = malloc(((size_t)s->nfuncs + 1) * sizeof *r->row_of);
    if (!r->rows || !r->row_of)
        return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
    memset(r->row_of, 0xff, ((size_t)s->nfuncs + 1) * sizeof *r->row_of);
    for (uint32_t i = 0; i < s->nentries; i++) {
        const ps_entry *en = &s->entries[i];
        row *w = &r->rows[r->nrows++];
        *w = (row){en->func, en->tt, en->ct, 0};
        if (add_name(r, en->func, &w->name) < 0)
            return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
    }
    uint32_t *ids = malloc((r->nrows + 1) * sizeof *ids);
    row *sorted = malloc((r->nrows + 1) * sizeof *sorted);
    for (uint32_t i = 0; ids && i < r->nrows; i++)
        ids[i] = i;
    if (!ids || !sorted || ps_sort_ids(ids, r->nrows, cmp_rows, r) < 0) {
        free(ids), free(sorted);
        return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
    }
    for (size_t i = 0; i < r->nrows; i++) {
        sorted[i] = r->rows[ids[i]];
        r->row_of[sorted[i].func] = (uint32_t)i;
    }
    free(ids);
    free(r->rows);
    r->rows = sorted;
    return 0;
}

static void report_free(report *r)
{
    free(r->rows);
    free(r->row_of);
    ps_pg_buf_free(&r->names);
}

/* newTrimmedGraph without a call tree: rows whose cum is below 0.5 % of the
 * flat sum go (kept[] flags the others), then the first count of the rest.
 * Returns how many are shown; *orig and *dropped for the header. */
static size_t trim(report *r, long count, uint8_t *kept, size_t *orig, size_t *dropped)
{
    double flat = 0.0;
    for (size_t i = 0; i < r->nrows; i++)
        flat += r->rows[i].flat;
    double cutoff = fabs(flat * 0.005);
    r->edge_cutoff = fabs(flat * 0.001);
    size_t n = 0;
    for (size_t i = 0; i < r->nrows; i++) {
        kept[i] = !(cutoff > 0.0 && fabs(r->rows[i].cum) < cutoff);
        n += kept[i];
    }
    *dropped = r->nrows - n;
    *orig = n;
    size_t shown = 0;
    for (size_t i = 0; i < r->nrows; i++)
        if (kept[i] && (count <= 0 || shown < (size_t)count))
            shown++;
        else
            kept[i] = 0;
    return shown;
}

/* selectOutputUnit: the unit of the smallest shown value (flat, else cum),
 * a larger one when the total would need one 100 times larger. */
static void select_unit(report *r, const uint8_t *shown)
{
    double lo = 0.0, hi = fabs(r->o->total) * 1e9;
    for (size_t i = 0; i < r->nrows; i++) {
        if (!shown[i])
            continue;
        double v = fabs(r->rows[i].flat) * 1e9;
        if (v == 0.0)
            v = fabs(r->rows[i].cum) * 1e9;
        if (v > 0.0 && (lo == 0.0 || v < lo))
            lo = v;
    }
    if (lo == 0.0)
        lo = hi;
    int ulo = auto_unit(lo), uhi = auto_unit(hi);
    r->unit = ulo != uhi && lo * 100.0 < hi ? auto_unit(100.0 * lo) : ulo;
}

/* reportLabels. */
static void print_labels(const report *r, FILE *out, const uint8_t *shown, size_t nshown,
                         size_t orig, size_t dropped)
{
    char a[64], b[64], p[32];
    if (r->o->nfilters) {
        fputs("Active filters:\n", out);
        for (size_t i = 0; i < r->o->nfilters; i++)
            fprintf(out, "   %s\n", r->o->filters[i]);
    }
    double flat = 0.0;
    for (size_t i = 0; i < r->nrows; i++)
        if (shown[i])
            flat += r->rows[i].flat;
    const char *pct = fmt_pct(p, flat, r->o->total);
    while (*pct == ' ')
        pct++;
    fprintf(out, "Showing nodes accounting for %s, %s of %s total\n", fmt_value(a, flat, r->unit),
            pct, fmt_value(b, r->o->total, r->unit));
    if (r->o->total == 0.0)
        return;
    if (dropped)
        fprintf(out, "Dropped %zu node%s (cum <= %s)\n", dropped, dropped > 1 ? "s" : "",
                fmt_value(a, fabs(r->o->total * 0.005), r->unit));
    if (nshown > 0 && nshown < orig)
        fprintf(out, "Showing top %zu nodes out of %zu\n", nshown, orig);
}

int ps_top_print(ps_stats *s, FILE *out, const ps_top_options *o, ps_error *e)
{
    ps_error_clear(e);
    report r;
    uint8_t *shown = NULL;
    int rc = report_init(&r, s, o, e);
    if (rc == 0 && !(shown = malloc(r.nrows + 1)))
        rc = ps_error_set(e, PS_ENOMEM, -1, "out of memory");
    if (rc == 0) {
        size_t orig, dropped, nshown = trim(&r, o->count, shown, &orig, &dropped);
        select_unit(&r, shown);
        print_labels(&r, out, shown, nshown, orig, dropped);
        fprintf(out, "%10s %5s%% %5s%% %10s %5s%%\n", "flat", "flat", "sum", "cum", "cum");
        double sum = 0.0;
        for (size_t i = 0; i < r.nrows; i++) {
            if (!shown[i])
                continue;
            const row *w = &r.rows[i];
            char v1[64], v2[64], p1[32], p2[32], p3[32];
            sum += w->flat;
            fprintf(out, "%10s %s %s %10s %s  %s\n", fmt_value(v1, w->flat, r.unit),
                    fmt_pct(p1, w->flat, o->total), fmt_pct(p2, sum, o->total),
                    fmt_value(v2, w->cum, r.unit), fmt_pct(p3, w->cum, o->total), r.names.s + w->name);
        }
    }
    free(shown);
    report_free(&r);
    return rc;
}

/* ---- peek and tree ------------------------------------------------------------ */

typedef struct arc {
    uint32_t other;        /* the caller (in) or callee (out) */
    double weight;
    int64_t nc, cc;
    const char *name;
} arc;

/* The time of a call: the tuple's cumtime, or for profile.py's int count
 * the callee's cumtime shared by its calls. */
static double edge_time(const ps_stats *s, const ps_edge *ed, uint32_t callee)
{
    if (ed->shape == PS_EDGE_TUPLE)
        return ed->ct;
    const ps_entry *en = ps_stats_entry_of(s, callee);
    return en && en->nc > 0 ? en->ct * ((double)ed->nc / (double)en->nc) : 0.0;
}

/* edgeList.Less: heavier first, then by the other end's name. */
static int cmp_arc(const void *a, const void *b)
{
    const arc *x = a, *y = b;
    if (x->weight != y->weight)
        return fabs(x->weight) > fabs(y->weight) ? -1 : 1;
    return strcmp(x->name, y->name);
}

static void print_arcs(report *r, FILE *out, arc *arcs, size_t n, double cum, int trimmed)
{
    qsort(arcs, n, sizeof *arcs, cmp_arc);
    for (size_t i = 0; i < n; i++) {
        char v[64], p[32], calls[64];
        if (trimmed && fabs(arcs[i].weight) < r->edge_cutoff)
            continue;
        if (arcs[i].nc != arcs[i].cc)
            snprintf(calls, sizeof calls, "%lld/%lld", (long long)arcs[i].nc, (long long)arcs[i].cc);
        else
            snprintf(calls, sizeof calls, "%lld", (long long)arcs[i].nc);
        fprintf(out, "%50s %s |   %s (%s call%s)\n", fmt_value(v, arcs[i].weight, r->unit),
                fmt_pct(p, arcs[i].weight, cum), arcs[i].name, calls,
                arcs[i].nc == 1 && arcs[i].cc == 1 ? "" : "s");
    }
}

/* A name for every function an edge may reach: rows have theirs, the others
 * (callers without an entry) get one here. */
static int name_callers(report *r, ps_error *e)
{
    for (uint32_t i = 0; i < r->s->nentries; i++) {
        const ps_entry *en = &r->s->entries[i];
        for (uint32_t j = 0; j < en->ncallers; j++) {
            uint32_t f = en->callers[j].caller;
            if (r->row_of[f] != PS_NONE)
                continue;
            if (ps_grow(&r->rows, &r->caprows, r->nrows + 1, sizeof *r->rows) < 0)
                return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
            /* not a row of the report: past the entries, never shown */
            r->rows[r->nrows] = (row){f, 0.0, 0.0, 0};
            if (add_name(r, f, &r->rows[r->nrows].name) < 0)
                return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
            r->row_of[f] = (uint32_t)r->nrows++;
        }
    }
    return 0;
}

static int print_block(report *r, FILE *out, size_t i, const uint8_t *kept, double *sum, arc **buf,
                       size_t *cap, ps_error *e)
{
    static const char SEP[] = "----------------------------------------------------------+-------------\n";
    const row *w = &r->rows[i];
    const ps_entry *en = ps_stats_entry_of(r->s, w->func);
    uint32_t ncallees;
    const ps_callee *callees = ps_stats_callees_of(r->s, w->func, &ncallees);
    size_t need = en->ncallers + (size_t)ncallees + 1;
    if (ps_grow(buf, cap, need, sizeof **buf) < 0)
        return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
    fputs(SEP, out);
    size_t n = 0;
    for (uint32_t j = 0; j < en->ncallers; j++) {
        const ps_edge *ed = &en->callers[j];
        uint32_t k = r->row_of[ed->caller];
        if (kept && (k >= r->s->nentries || !kept[k]))
            continue;
        int64_t cc = ed->shape == PS_EDGE_TUPLE ? ed->cc : ed->nc;
        (*buf)[n++] = (arc){ed->caller, edge_time(r->s, ed, w->func), ed->nc, cc, name_of(r, ed->caller)};
    }
    print_arcs(r, out, *buf, n, w->cum, kept != NULL);
    char v1[64], v2[64], p1[32], p2[32], p3[32];
    *sum += w->flat;
    fprintf(out, "%10s %s %s %10s %s                | %s\n", fmt_value(v1, w->flat, r->unit),
            fmt_pct(p1, w->flat, r->o->total), fmt_pct(p2, *sum, r->o->total),
            fmt_value(v2, w->cum, r->unit), fmt_pct(p3, w->cum, r->o->total), r->names.s + w->name);
    n = 0;
    for (uint32_t j = 0; j < ncallees; j++) {
        const ps_callee *c = &callees[j];
        uint32_t k = r->row_of[c->callee];
        if (kept && (k >= r->s->nentries || !kept[k]))
            continue;
        int64_t cc = c->edge.shape == PS_EDGE_TUPLE ? c->edge.cc : c->edge.nc;
        (*buf)[n++] = (arc){c->callee, edge_time(r->s, &c->edge, c->callee), c->edge.nc, cc,
                            name_of(r, c->callee)};
    }
    print_arcs(r, out, *buf, n, w->cum, kept != NULL);
    return 0;
}

int ps_tree_print(ps_stats *s, FILE *out, const ps_top_options *o, const char *peek, ps_error *e)
{
    static const char SEP[] = "----------------------------------------------------------+-------------\n";
    ps_error_clear(e);
    report r;
    uint8_t *shown = NULL, *kept = NULL;
    sel_regex *re = NULL;
    arc *buf = NULL;
    size_t cap = 0;
    int rc = report_init(&r, s, o, e);
    if (rc == 0 && peek) {
        char err[256];
        if (!(re = ps_sel_regex_compile(peek, err, sizeof err)))
            rc = ps_error_set(e, PS_EUSAGE, -1, "peek %s: bad regular expression: %s", peek, err);
    }
    if (rc == 0 && (!(shown = malloc(r.nrows + 1)) || !(kept = malloc(r.nrows + 1))))
        rc = ps_error_set(e, PS_ENOMEM, -1, "out of memory");
    if (rc == 0)
        rc = ps_stats_calc_callees(s, e);
    size_t nrows = r.nrows;   /* the entries: name_callers appends past them */
    if (rc == 0) {
        size_t orig = nrows, dropped = 0, nshown = nrows;
        /* tree's edges reach what top's dropping left, peek's everything */
        if (peek) {
            memset(shown, 1, nrows);
        } else {
            size_t o2, d2;
            trim(&r, 0, kept, &o2, &d2);
            nshown = trim(&r, o->count, shown, &orig, &dropped);
        }
        select_unit(&r, shown);
        print_labels(&r, out, shown, nshown, orig, dropped);
        fputs(SEP, out);
        fputs("      flat  flat%   sum%        cum   cum%   calls calls% + context \t \t \n", out);
        rc = name_callers(&r, e);
        double sum = 0.0;
        size_t matched = 0;
        for (size_t i = 0; rc == 0 && i < nrows; i++) {
            if (!shown[i])
                continue;
            const char *name = r.names.s + r.rows[i].name;
            if (re && !ps_sel_regex_search(re, name, strlen(name)))
                continue;
            matched++;
            rc = print_block(&r, out, i, peek ? NULL : kept, &sum, &buf, &cap, e);
        }
        if (rc == 0 && nshown > 0)
            fputs(SEP, out);
        if (rc == 0 && re && matched == 0)
            rc = ps_error_set(e, PS_EUSAGE, -1, "no matches found for regexp: %s", peek);
    }
    ps_sel_regex_free(re);
    free(shown), free(kept), free(buf);
    report_free(&r);
    return rc;
}
