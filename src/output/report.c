/* report.c - print_stats, print_callers, print_callees, byte for byte as
 * CPython's Lib/pstats.py prints them (print_title, print_line, print_call_line). */
#include <stdlib.h>
#include <string.h>
#include "base/grow.h"
#include "base/pycompat.h"
#include "pstats/report.h"
#include "pstats/sort.h"

/* A standard name, in a reusable buffer. */
typedef struct namebuf {
    char small[512];
    char *big;
    size_t bigcap;
} namebuf;

static const char *std_name(const ps_stats *s, uint32_t f, namebuf *b, size_t *len)
{
    size_t n = ps_stats_std_name(s, f, b->small, sizeof b->small);
    *len = n;
    if (n < sizeof b->small)
        return b->small;
    if (ps_grow(&b->big, &b->bigcap, n + 1, 1) < 0)
        return b->small;   /* truncated rather than nothing */
    ps_stats_std_name(s, f, b->big, n + 1);
    return b->big;
}

/* Python's str.ljust(width) on a name whose len() is in code points. */
static void put_ljust(FILE *out, const char *text, size_t len, size_t width)
{
    fwrite(text, 1, len, out);
    size_t cp = ps_utf8_length(text, len);
    for (; cp < width; cp++)
        fputc(' ', out);
}

static void put_spaces(FILE *out, size_t n)
{
    while (n--)
        fputc(' ', out);
}

static void put_rjust(FILE *out, const char *text, size_t width)
{
    size_t len = strlen(text);
    if (len < width)
        put_spaces(out, width - len);
    fputs(text, out);
}

static void print_ncalls(char *buf, size_t size, int64_t nc, int64_t cc)
{
    if (nc != cc)
        snprintf(buf, size, "%lld/%lld", (long long)nc, (long long)cc);
    else
        snprintf(buf, size, "%lld", (long long)nc);
}

static int select_list(ps_stats *s, const sel_restriction *r, size_t nr, sel_list *l,
                       FILE *out, ps_error *e)
{
    if (ps_sel_get_print_list(s, r, nr, l, e) < 0)
        return -1;
    if (l->n) {
        fwrite(l->msg, 1, l->msglen, out);
        fputc('\n', out);
    }
    return 0;
}

int ps_report_print_stats(ps_stats *s, FILE *out, const sel_restriction *r, size_t nr, ps_error *e)
{
    for (size_t i = 0; i < s->nfiles; i++)
        fprintf(out, "%s\n", s->files[i]);
    if (s->nfiles)
        fputc('\n', out);
    for (size_t i = 0; i < s->ntop_level; i++)
        fprintf(out, "         %s\n", s->funcs[s->top_level[i]].name->s);
    if (s->sampled && s->stacks && !s->stacks->estimated) {
        /* Sampled: the calls are samples, counted once each (stacks.h). */
        int64_t n = 0;
        for (size_t i = 0; i < s->stacks->nstacks; i++)
            n = __builtin_add_overflow(n, s->stacks->stacks[i].count, &n) ? INT64_MAX : n;
        fprintf(out, "         %lld samples", (long long)n);
        if (s->stacks->idle_count)
            fprintf(out, " (%lld idle left out)", (long long)s->stacks->idle_count);
    } else {
        char calls[48];
        ps_report_count_str(calls, s->total_calls);
        fprintf(out, "         %s function calls", calls);
        if (s->total_calls != s->prim_calls) {
            ps_report_count_str(calls, s->prim_calls);
            fprintf(out, " (%s primitive calls)", calls);
        }
    }
    fprintf(out, " in %.3f seconds\n\n", s->total_tt);
    sel_list l;
    if (select_list(s, r, nr, &l, out, e) < 0)
        return -1;
    if (l.n) {
        if (s->sampled)
            fputs(" nsamples  tottime persample cumtime persample filename:lineno(function)\n", out);
        else
            fputs("   ncalls  tottime  percall  cumtime  percall filename:lineno(function)\n", out);
        namebuf nb = {{0}, NULL, 0};
        for (size_t i = 0; i < l.n; i++) {
            const ps_entry *en = ps_stats_entry_of(s, l.ids[i]);
            char c[64], f[PY_F8_SIZE];
            print_ncalls(c, sizeof c, en->nc, en->cc);
            put_rjust(out, c, 9);
            ps_py_f8(f, en->tt);
            fprintf(out, " %s ", f);
            if (en->nc == 0) {
                put_spaces(out, 8);
            } else {
                ps_py_f8(f, en->tt / (double)en->nc);
                fputs(f, out);
            }
            ps_py_f8(f, en->ct);
            fprintf(out, " %s ", f);
            if (en->cc == 0) {
                put_spaces(out, 8);
            } else {
                ps_py_f8(f, en->ct / (double)en->cc);
                fputs(f, out);
            }
            size_t len;
            const char *name = std_name(s, l.ids[i], &nb, &len);
            fputc(' ', out);
            fwrite(name, 1, len, out);
            fputc('\n', out);
        }
        free(nb.big);
        fputs("\n\n", out);
    }
    ps_sel_list_free(&l);
    return 0;
}

static void print_call_heading(const ps_stats *s, FILE *out, size_t width, const char *title)
{
    put_ljust(out, "Function ", 9, width);
    fprintf(out, "%s\n", title);
    /* The sub-header follows the first entry with callers, whatever the others hold. */
    for (uint32_t i = 0; i < s->nentries; i++) {
        if (!s->entries[i].ncallers)
            continue;
        if (s->entries[i].callers[0].shape == PS_EDGE_TUPLE) {
            put_spaces(out, width);
            fputs(s->sampled ? "    nsamples  tottime  cumtime\n" : "    ncalls  tottime  cumtime\n",
                  out);
        }
        break;
    }
}

typedef struct call_sort {
    const ps_stats *s;
    const uint32_t *other;    /* the other function of item i */
    int bad;
} call_sort;

static int cmp_call(uint32_t a, uint32_t b, void *vctx)
{
    call_sort *c = vctx;
    return ps_sort_cmp_funcs(c->s, c->other[a], c->other[b], &c->bad);
}

/* One function's line: its name, the arrow, then the other functions sorted
 * by key, each with the edge numbers (tuple) or count and cumtime (int). */
static int print_call_line(const ps_stats *s, FILE *out, size_t width, uint32_t func,
                           const ps_edge *edges, const uint32_t *others, uint32_t n,
                           const char *arrow, namebuf *nb, ps_error *e)
{
    size_t len;
    const char *name = std_name(s, func, nb, &len);
    put_ljust(out, name, len, width);
    fprintf(out, "%s ", arrow);
    if (n == 0) {
        fputc('\n', out);
        return 0;
    }
    uint32_t *order = malloc(n * sizeof *order);
    if (!order)
        return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
    for (uint32_t i = 0; i < n; i++)
        order[i] = i;
    call_sort c = {s, others, 0};
    if (ps_sort_ids(order, n, cmp_call, &c) < 0) {
        free(order);
        return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
    }
    if (c.bad) {
        free(order);
        fputc('\n', out);
        ps_error_set(e, PS_ESORT, -1,
                     "cannot order the callers of a function named by a code object "
                     "(CPython raises TypeError here)");
        ps_error_py(e, "TypeError", "'<' not supported between instances of 'code' and 'str'");
        return -1;
    }
    for (uint32_t k = 0; k < n; k++) {
        const ps_edge *ed = &edges[order[k]];
        uint32_t other = others[order[k]];
        char c1[64], f1[PY_F8_SIZE], f2[PY_F8_SIZE];
        size_t olen;
        if (ed->shape == PS_EDGE_TUPLE) {
            if (k)
                put_spaces(out, width + 1);
            print_ncalls(c1, sizeof c1, ed->nc, ed->cc);
            put_rjust(out, c1, k ? 9 : 7);
            ps_py_f8(f1, ed->tt);
            ps_py_f8(f2, ed->ct);
            fprintf(out, " %s %s  ", f1, f2);
            const char *oname = std_name(s, other, nb, &olen);
            fwrite(oname, 1, olen, out);
            fputc('\n', out);
        } else {
            const ps_entry *oe = ps_stats_entry_of(s, other);
            if (!oe) {
                free(order);
                char buf[512];
                ps_stats_std_name(s, other, buf, sizeof buf);
                ps_error_set(e, PS_EDATA, -1,
                             "%s is listed as a caller but has no entry of its own "
                             "(CPython raises KeyError here)", buf);
                ps_error_py(e, "KeyError", "%s", buf);
                return -1;
            }
            if (k)
                put_spaces(out, width + 3);
            const char *oname = std_name(s, other, nb, &olen);
            fwrite(oname, 1, olen, out);
            ps_py_f8(f1, oe->ct);
            fprintf(out, "(%lld) %s\n", (long long)ed->nc, f1);
        }
    }
    free(order);
    return 0;
}

int ps_report_print_callers(ps_stats *s, FILE *out, const sel_restriction *r, size_t nr, ps_error *e)
{
    sel_list l;
    if (select_list(s, r, nr, &l, out, e) < 0)
        return -1;
    int rc = 0;
    if (l.n) {
        print_call_heading(s, out, l.width, "was called by...");
        namebuf nb = {{0}, NULL, 0};
        uint32_t *others = NULL;
        size_t cap = 0;
        for (size_t i = 0; i < l.n && rc == 0; i++) {
            const ps_entry *en = ps_stats_entry_of(s, l.ids[i]);
            if (en->ncallers > cap) {
                free(others);
                cap = en->ncallers;
                others = malloc(cap * sizeof *others);
                if (!others) {
                    rc = ps_error_set(e, PS_ENOMEM, -1, "out of memory");
                    break;
                }
            }
            for (uint32_t j = 0; j < en->ncallers; j++)
                others[j] = en->callers[j].caller;
            rc = print_call_line(s, out, l.width, l.ids[i], en->callers, others, en->ncallers,
                                 "<-", &nb, e);
        }
        free(others);
        free(nb.big);
        if (rc == 0)
            fputs("\n\n", out);
    }
    ps_sel_list_free(&l);
    return rc;
}

int ps_report_print_callees(ps_stats *s, FILE *out, const sel_restriction *r, size_t nr, ps_error *e)
{
    sel_list l;
    if (select_list(s, r, nr, &l, out, e) < 0)
        return -1;
    int rc = 0;
    if (l.n) {
        if (ps_stats_calc_callees(s, e) < 0) {
            ps_sel_list_free(&l);
            return -1;
        }
        print_call_heading(s, out, l.width, "called...");
        namebuf nb = {{0}, NULL, 0};
        ps_edge *edges = NULL;
        uint32_t *others = NULL;
        size_t cap = 0;
        for (size_t i = 0; i < l.n && rc == 0; i++) {
            uint32_t n = 0;
            const ps_callee *cl = ps_stats_callees_known(s, l.ids[i])
                                      ? ps_stats_callees_of(s, l.ids[i], &n) : NULL;
            if (n > cap) {
                free(edges);
                free(others);
                cap = n;
                edges = malloc(cap * sizeof *edges);
                others = malloc(cap * sizeof *others);
                if (!edges || !others) {
                    rc = ps_error_set(e, PS_ENOMEM, -1, "out of memory");
                    break;
                }
            }
            for (uint32_t j = 0; j < n; j++) {
                edges[j] = cl[j].edge;
                others[j] = cl[j].callee;
            }
            rc = print_call_line(s, out, l.width, l.ids[i], edges, others, n, "->", &nb, e);
        }
        free(edges);
        free(others);
        free(nb.big);
        if (rc == 0)
            fputs("\n\n", out);
    }
    ps_sel_list_free(&l);
    return rc;
}

size_t ps_report_count_str(char out[48], ps_count_total v)
{
    char tmp[48];
    size_t n = 0;
    /* digits of |v| from the low end; unsigned, so -2**127 negates too */
    unsigned __int128 m = v < 0 ? -(unsigned __int128)v : (unsigned __int128)v;
    do {
        tmp[n++] = (char)('0' + (int)(m % 10));
        m /= 10;
    } while (m);
    size_t len = 0;
    if (v < 0)
        out[len++] = '-';
    while (n)
        out[len++] = tmp[--n];
    out[len] = '\0';
    return len;
}
