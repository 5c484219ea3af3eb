/* diff_write.c - profdiff's reports: the text table (laid out like pstats'
 * print_stats), a markdown table for a pull request, and JSON.
 *
 * Names are untrusted text: the text table turns control bytes into '?'
 * (one function a line), markdown backslash-escapes the characters that
 * would start markup or end a table cell, JSON escapes as RFC 8259 says and
 * replaces bytes that are not UTF-8 with U+FFFD so any JSON reader takes the
 * file.  JSON numbers are repr()'s shortest round-trip digits, so Python's
 * json module reads back the very floats computed here. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "base/pycompat.h"
#include "base/jsonout.h"
#include "pstats/arena.h"
#include "pstats/diff.h"
#include "pstats/report.h"
#include "base/outbuf.h"

static const char *const MEASURE[] = {"cumtime", "tottime", "ncalls"};

/* ---- shared bits ---------------------------------------------------------- */

/* NEW's function where the row has one, else BASE's. */
static void row_func(const ps_diff *d, const ps_diff_row *r, const ps_stats **s, uint32_t *f)
{
    int n = r->in & PS_DIFF_IN_NEW;
    *s = n ? d->new : d->base;
    *f = n ? r->new_func : r->base_func;
}

/* The row's pstats name (NEW's where it has one), malloc'd; NULL when out of memory. */
static char *row_name(const ps_diff *d, const ps_diff_row *r, size_t *len)
{
    const ps_stats *s;
    uint32_t f;
    row_func(d, r, &s, &f);
    size_t n = ps_stats_std_name(s, f, NULL, 0);
    char *name = malloc(n + 1);
    if (name)
        ps_stats_std_name(s, f, name, n + 1);
    *len = n;
    return name;
}

static void put_rjust(outbuf *b, const char *text, size_t width)
{
    size_t len = strlen(text), cp = ps_utf8_length(text, len);
    for (; cp < width; cp++)
        ob_char(b, ' ');
    ob_mem(b, text, len);
}

static void fmt_ncalls(char *buf, size_t size, const ps_diff_side *s, int present)
{
    if (!present)
        snprintf(buf, size, "-");
    else if (s->nc != s->cc)
        snprintf(buf, size, "%lld/%lld", (long long)s->nc, (long long)s->cc);
    else
        snprintf(buf, size, "%lld", (long long)s->nc);
}

static void fmt_time(char *buf, size_t size, double x, int present)
{
    if (!present) {
        snprintf(buf, size, "-");
        return;
    }
    char f[PY_F8_SIZE];
    ps_py_f8(f, x);
    snprintf(buf, size, "%s", f + strspn(f, " "));
}

static void fmt_delta(char *buf, size_t size, double x, const char *fmt)
{
    if (isnan(x))
        snprintf(buf, size, "nan");
    else
        snprintf(buf, size, fmt, x);
}

/* "+12.3%", or "new"/"gone" for a function on one side only. */
static void fmt_pct(char *buf, size_t size, double base, double delta, int in)
{
    if (!(in & PS_DIFF_IN_BASE))
        snprintf(buf, size, "new");
    else if (!(in & PS_DIFF_IN_NEW))
        snprintf(buf, size, "gone");
    else if (base == 0)
        snprintf(buf, size, delta == 0 ? "0.0%%" : delta > 0 ? "+inf%%" : "-inf%%");
    else
        fmt_delta(buf, size, 100.0 * delta / base, "%+.1f%%");
}

static void fmt_total_pct(char *buf, size_t size, double base, double delta)
{
    if (base == 0)
        snprintf(buf, size, delta == 0 ? "0.0%%" : delta > 0 ? "+inf%%" : "-inf%%");
    else
        fmt_delta(buf, size, 100.0 * delta / base, "%+.1f%%");
}

/* The header's changes of the totals, and as percentages of BASE's. */
typedef struct totals_delta {
    int64_t calls, prim;
    double time;
    char calls_pct[48], prim_pct[48], time_pct[48], time_text[48];
} totals_delta;

static void totals_delta_of(const ps_diff *d, totals_delta *t)
{
    /* counts may be anywhere in int64 (hostile dumps): the change saturates */
    t->calls = ps_count_sub(d->tnew.calls, d->tbase.calls);
    t->prim = ps_count_sub(d->tnew.prim_calls, d->tbase.prim_calls);
    t->time = d->tnew.time - d->tbase.time;
    fmt_total_pct(t->calls_pct, sizeof t->calls_pct, (double)d->tbase.calls, (double)t->calls);
    fmt_total_pct(t->prim_pct, sizeof t->prim_pct, (double)d->tbase.prim_calls, (double)t->prim);
    fmt_total_pct(t->time_pct, sizeof t->time_pct, d->tbase.time, t->time);
    fmt_delta(t->time_text, sizeof t->time_text, t->time, "%+.6f");
}

/* The cells of one row, as text: the first ten columns. */
typedef struct cells {
    char c[10][48];
} cells;

static void row_cells(const ps_diff_row *r, cells *c)
{
    int b = r->in & PS_DIFF_IN_BASE, n = r->in & PS_DIFF_IN_NEW;
    fmt_ncalls(c->c[0], 48, &r->base, b);
    fmt_ncalls(c->c[1], 48, &r->new, n);
    fmt_time(c->c[2], 48, r->base.tt, b);
    fmt_time(c->c[3], 48, r->new.tt, n);
    fmt_delta(c->c[4], 48, r->new.tt - r->base.tt, "%+.3f");
    fmt_pct(c->c[5], 48, r->base.tt, r->new.tt - r->base.tt, r->in);
    fmt_time(c->c[6], 48, r->base.ct, b);
    fmt_time(c->c[7], 48, r->new.ct, n);
    fmt_delta(c->c[8], 48, r->new.ct - r->base.ct, "%+.3f");
    fmt_pct(c->c[9], 48, r->base.ct, r->new.ct - r->base.ct, r->in);
}

/* A table cell: markup characters escaped ('|' would end the cell), control
 * bytes as '?'. */
static void md_text(outbuf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f) {
            ob_char(b, '?');
            continue;
        }
        if (strchr("\\`*_[]<>|&~#$", c))
            ob_char(b, '\\');
        ob_char(b, (char)c);
    }
}

static void files_line(outbuf *b, const char *const *files, size_t n, int md)
{
    if (!n) {
        ob_lit(b, "(stats)");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (i)
            ob_lit(b, " + ");
        if (md) {
            md_text(b, files[i], strlen(files[i]));
        } else {
            ob_name(b, files[i], strlen(files[i]));
        }
    }
}

/* The gate's lines: one FAILED line per reason, or PASSED when a gate was
 * asked for and holds, nothing without one. */
static void verdict_lines(outbuf *b, const ps_diff *d, int md)
{
    const ps_diff_options *o = &d->opts;
    if (d->failed) {
        for (size_t i = 0; i < d->nreasons; i++) {
            ob_str(b, md ? "**FAILED:** " : "FAILED: ");
            if (md)
                md_text(b, d->reasons[i], strlen(d->reasons[i]));
            else
                ob_name(b, d->reasons[i], strlen(d->reasons[i]));
            ob_str(b, md ? "  \n" : "\n");
        }
        return;
    }
    if (o->fail_above < 0 && o->fail_function_above < 0)
        return;
    ob_str(b, md ? "**PASSED:** the gate holds" : "PASSED: the gate holds");
    char buf[160];
    if (o->fail_above >= 0) {
        char pct[48];
        fmt_total_pct(pct, sizeof pct, d->tbase.time, d->tnew.time - d->tbase.time);
        snprintf(buf, sizeof buf, " (total time %s, --fail-above %g%%)", pct, o->fail_above);
        ob_str(b, buf);
    }
    if (o->fail_function_above >= 0) {
        snprintf(buf, sizeof buf, " (no function's %s grew by more than %g%% of BASE's total)",
                 MEASURE[o->sort], o->fail_function_above);
        ob_str(b, buf);
    }
    ob_char(b, '\n');
}

static const char *match_text(const ps_diff *d)
{
    return d->opts.match == PS_DIFF_MATCH_EXACT ? "matched by file, line and function name"
                                                : "matched by file and function name";
}

/* How a table row and the removed list look in text and in markdown. */
typedef struct style {
    int md;
    const char *row_start, *cell_start, *cell_end, *name_start, *row_end;
    const char *removed_head;        /* printf format: the count, its plural 's' */
    const char *first_sep, *sep, *item_end;
    const char *more;                /* printf format: how many more */
    const char *removed_end;
} style;

static const int WIDTH[10] = {9, 9, 8, 8, 9, 9, 8, 8, 9, 9};

static const style TEXT_STYLE = {0, "", "", " ", " ", "\n",
                                 "\n   Removed (in BASE only): %zu function%s\n",
                                 "      ", "      ", "\n",
                                 "      ... and %zu more (--format json lists them all)\n", ""};
static const style MD_STYLE = {1, "|", " ", " |", " ", " |\n",
                               "\n**Removed** (in BASE only, %zu):%.0s",
                               " ", ", ", "",
                               " and %zu more", "\n"};

static void put_name(outbuf *b, const style *st, const char *name, size_t len)
{
    if (st->md)
        md_text(b, name, len);
    else
        ob_name(b, name, len);
}

/* The selected rows: ten cells (right-justified in text) and the name. */
static int table_rows(const ps_diff *d, outbuf *b, const size_t *ids, size_t nids, const style *st)
{
    for (size_t i = 0; i < nids; i++) {
        const ps_diff_row *r = &d->rows[ids[i]];
        cells c;
        row_cells(r, &c);
        ob_str(b, st->row_start);
        for (int k = 0; k < 10; k++) {
            ob_str(b, st->cell_start);
            if (st->md)
                ob_str(b, c.c[k]);
            else
                put_rjust(b, c.c[k], (size_t)WIDTH[k]);
            ob_str(b, st->cell_end);
        }
        ob_str(b, st->name_start);
        size_t len;
        char *name = row_name(d, r, &len);
        if (!name)
            return -1;
        put_name(b, st, name, len);
        free(name);
        ob_str(b, st->row_end);
    }
    return 0;
}

/* The functions of BASE only: the first 20 in row order, and how many more. */
static int removed_list(const ps_diff *d, outbuf *b, const style *st)
{
    if (!d->nremoved)
        return 0;
    char buf[160];
    snprintf(buf, sizeof buf, st->removed_head, d->nremoved, d->nremoved == 1 ? "" : "s");
    ob_str(b, buf);
    size_t shown = 0;
    for (size_t i = 0; i < d->nrows && shown < 20; i++) {
        const ps_diff_row *r = &d->rows[i];
        if (r->in & PS_DIFF_IN_NEW)
            continue;
        size_t len;
        char *name = row_name(d, r, &len);
        if (!name)
            return -1;
        ob_str(b, shown ? st->sep : st->first_sep);
        put_name(b, st, name, len);
        ob_str(b, st->item_end);
        free(name);
        shown++;
    }
    if (d->nremoved > shown) {
        snprintf(buf, sizeof buf, st->more, d->nremoved - shown);
        ob_str(b, buf);
    }
    ob_str(b, st->removed_end);
    return 0;
}

/* ---- text ------------------------------------------------------------------ */

/* "---- label ----" over columns first..last of the table. */
static void group_head(outbuf *b, const char *label, int first, int last)
{
    int w = -1;
    for (int k = first; k <= last; k++)
        w += WIDTH[k] + 1;
    int len = (int)strlen(label) + 2, left = (w - len) / 2;
    for (int i = 0; i < left; i++)
        ob_char(b, '-');
    ob_char(b, ' ');
    ob_str(b, label);
    ob_char(b, ' ');
    for (int i = left + len; i < w; i++)
        ob_char(b, '-');
}

static void text_totals(outbuf *b, const ps_diff *d)
{
    char buf[256], c1[48], c2[48];
    ob_lit(b, "                    function calls   primitive calls        total time\n");
    const ps_diff_totals *t[2] = {&d->tbase, &d->tnew};
    for (int i = 0; i < 2; i++) {
        snprintf(buf, sizeof buf, "   %-4s %27lld %17lld %17.6f\n", i ? "new" : "base",
                 (long long)t[i]->calls, (long long)t[i]->prim_calls, t[i]->time);
        ob_str(b, buf);
    }
    totals_delta td;
    totals_delta_of(d, &td);
    snprintf(c1, sizeof c1, "%+lld", (long long)td.calls);
    snprintf(c2, sizeof c2, "%+lld", (long long)td.prim);
    const char *line[2][3] = {{c1, c2, td.time_text}, {td.calls_pct, td.prim_pct, td.time_pct}};
    for (int i = 0; i < 2; i++) {
        ob_str(b, i ? "\n   Δ%   " : "   Δ    ");
        put_rjust(b, line[i][0], 27);
        ob_char(b, ' ');
        put_rjust(b, line[i][1], 17);
        ob_char(b, ' ');
        put_rjust(b, line[i][2], 17);
    }
    ob_lit(b, "\n\n");
}

static int write_text(const ps_diff *d, outbuf *b, const size_t *ids, size_t nids,
                      const char *msg, size_t nchanged)
{
    ob_lit(b, "Base: ");
    files_line(b, d->opts.base_files, d->opts.nbase_files, 0);
    ob_lit(b, "\nNew:  ");
    files_line(b, d->opts.new_files, d->opts.nnew_files, 0);
    ob_lit(b, "\n\n");
    text_totals(b, d);
    char buf[512];
    snprintf(buf, sizeof buf, "   %zu functions matched, %zu new, %zu removed (%s)\n",
             d->nmatched, d->nadded, d->nremoved, match_text(d));
    ob_str(b, buf);
    if (d->opts.normalize) {
        char sc[40];
        ps_py_float_repr(sc, sizeof sc, d->scale);
        snprintf(buf, sizeof buf, "   BASE's times scaled by %s (--normalize)\n", sc);
        ob_str(b, buf);
    }
    snprintf(buf, sizeof buf, "   Ordered by: |Δ %s|; %zu functions changed\n",
             MEASURE[d->opts.sort], nchanged);
    ob_str(b, buf);
    ob_str(b, msg);
    ob_char(b, '\n');
    if (nids) {
        group_head(b, "ncalls", 0, 1);
        ob_char(b, ' ');
        group_head(b, "tottime", 2, 5);
        ob_char(b, ' ');
        group_head(b, "cumtime", 6, 9);
        ob_char(b, '\n');
        static const char *const head[10] = {"base", "new", "base", "new", "Δ", "Δ%",
                                             "base", "new", "Δ", "Δ%"};
        for (int k = 0; k < 10; k++) {
            put_rjust(b, head[k], (size_t)WIDTH[k]);
            ob_char(b, ' ');
        }
        ob_lit(b, " filename:lineno(function)\n");
    }
    if (table_rows(d, b, ids, nids, &TEXT_STYLE) < 0 || removed_list(d, b, &TEXT_STYLE) < 0)
        return -1;
    ob_char(b, '\n');
    verdict_lines(b, d, 0);
    return 0;
}

/* ---- markdown -------------------------------------------------------------- */

static int write_markdown(const ps_diff *d, outbuf *b, const size_t *ids, size_t nids,
                          const char *msg, size_t nchanged)
{
    char buf[512];
    ob_lit(b, "### profdiff: ");
    files_line(b, d->opts.base_files, d->opts.nbase_files, 1);
    ob_lit(b, " → ");
    files_line(b, d->opts.new_files, d->opts.nnew_files, 1);
    ob_lit(b, "\n\n| | function calls | primitive calls | total time (s) |\n"
              "|:--|--:|--:|--:|\n");
    const ps_diff_totals *t[2] = {&d->tbase, &d->tnew};
    for (int i = 0; i < 2; i++) {
        snprintf(buf, sizeof buf, "| %s | %lld | %lld | %.6f |\n", i ? "new" : "base",
                 (long long)t[i]->calls, (long long)t[i]->prim_calls, t[i]->time);
        ob_str(b, buf);
    }
    totals_delta td;
    totals_delta_of(d, &td);
    snprintf(buf, sizeof buf, "| Δ | %+lld (%s) | %+lld (%s) | %s (%s) |\n\n", (long long)td.calls,
             td.calls_pct, (long long)td.prim, td.prim_pct, td.time_text, td.time_pct);
    ob_str(b, buf);
    snprintf(buf, sizeof buf, "%zu functions matched, %zu new, %zu removed (%s); "
                              "ordered by \\|Δ %s\\|; %zu of %zu changed functions shown.",
             d->nmatched, d->nadded, d->nremoved, match_text(d), MEASURE[d->opts.sort], nids,
             nchanged);
    ob_str(b, buf);
    if (d->opts.normalize) {
        char sc[40];
        ps_py_float_repr(sc, sizeof sc, d->scale);
        snprintf(buf, sizeof buf, " BASE's times scaled by %s (--normalize).", sc);
        ob_str(b, buf);
    }
    ob_lit(b, "\n");
    /* The restrictions' messages, one line each. */
    for (const char *p = msg; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        size_t lead = 0;
        while (lead < len && p[lead] == ' ')
            lead++;
        ob_lit(b, "\n");
        md_text(b, p + lead, len - lead);
        ob_lit(b, "  ");
        p += len + (nl != NULL);
    }
    ob_lit(b, "\n");
    if (nids)
        ob_lit(b, "| ncalls base | ncalls new | tottime base | tottime new | Δ tottime | Δ% "
                  "| cumtime base | cumtime new | Δ cumtime | Δ% | function |\n"
                  "|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|:--|\n");
    if (table_rows(d, b, ids, nids, &MD_STYLE) < 0 || removed_list(d, b, &MD_STYLE) < 0)
        return -1;
    ob_char(b, '\n');
    verdict_lines(b, d, 1);
    return 0;
}

/* ---- JSON ------------------------------------------------------------------ */

static void json_str(outbuf *b, const char *s, size_t n)
{
    ob_json_str_as(b, s, n, JSON_BAD_FFFD);
}

static void json_float(outbuf *b, double x)
{
    if (isnan(x)) {
        ob_lit(b, "NaN");
    } else if (isinf(x)) {
        ob_str(b, x < 0 ? "-Infinity" : "Infinity");
    } else {
        char buf[40];
        size_t n = ps_py_float_repr(buf, sizeof buf, x);
        ob_mem(b, buf, n);
    }
}

static void json_side(outbuf *b, const ps_diff_side *s, int present)
{
    if (!present) {
        ob_lit(b, "null");
        return;
    }
    ob_lit(b, "{\"ncalls\": ");
    ob_int(b, s->nc);
    ob_lit(b, ", \"primitive_calls\": ");
    ob_int(b, s->cc);
    ob_lit(b, ", \"tottime\": ");
    json_float(b, s->tt);
    ob_lit(b, ", \"cumtime\": ");
    json_float(b, s->ct);
    ob_char(b, '}');
}

static void json_totals(outbuf *b, const char *key, const ps_diff_totals *t,
                        const char *const *files, size_t nfiles)
{
    ob_lit(b, "  \"");
    ob_str(b, key);
    ob_lit(b, "\": {\"total_time\": ");
    json_float(b, t->time);
    ob_lit(b, ", \"total_calls\": ");
    ob_int(b, t->calls);
    ob_lit(b, ", \"primitive_calls\": ");
    ob_int(b, t->prim_calls);
    ob_lit(b, ", \"functions\": ");
    ob_int(b, (long long)t->functions);
    ob_lit(b, ", \"files\": [");
    for (size_t i = 0; i < nfiles; i++) {
        if (i)
            ob_lit(b, ", ");
        json_str(b, files[i], strlen(files[i]));
    }
    ob_lit(b, "]},\n");
}

static void json_limit(outbuf *b, double v)
{
    if (v < 0)
        ob_lit(b, "null");
    else
        json_float(b, v);
}

static void write_json(const ps_diff *d, outbuf *b)
{
    const ps_diff_options *o = &d->opts;
    ob_lit(b, "{\n  \"version\": 1,\n  \"options\": {\"match\": ");
    ob_str(b, o->match == PS_DIFF_MATCH_EXACT ? "\"exact\"" : "\"name\"");
    ob_lit(b, ", \"sort\": \"");
    ob_str(b, MEASURE[o->sort]);
    ob_lit(b, "\", \"strip_dirs\": ");
    ob_str(b, o->strip_dirs ? "true" : "false");
    ob_lit(b, ", \"normalize\": ");
    ob_str(b, o->normalize ? "true" : "false");
    ob_lit(b, ", \"min_time\": ");
    json_float(b, o->min_time);
    ob_lit(b, ", \"fail_above\": ");
    json_limit(b, o->fail_above);
    ob_lit(b, ", \"fail_function_above\": ");
    json_limit(b, o->fail_function_above);
    ob_lit(b, "},\n  \"scale\": ");
    json_float(b, d->scale);
    ob_lit(b, ",\n");
    json_totals(b, "base", &d->tbase, o->base_files, o->nbase_files);
    json_totals(b, "new", &d->tnew, o->new_files, o->nnew_files);
    ob_lit(b, "  \"functions\": [");
    for (size_t i = 0; i < d->nrows; i++) {
        const ps_diff_row *r = &d->rows[i];
        const ps_stats *s;
        uint32_t f;
        row_func(d, r, &s, &f);
        const ps_func *fn = &s->funcs[f];
        ob_str(b, i ? ",\n    {\"file\": " : "\n    {\"file\": ");
        json_str(b, fn->file->s, fn->file->len);
        ob_lit(b, ", \"line\": ");
        ob_int(b, fn->line);
        ob_lit(b, ", \"name\": ");
        json_str(b, fn->name->s, fn->name->len);
        ob_lit(b, ", \"status\": ");
        ob_str(b, r->in == (PS_DIFF_IN_BASE | PS_DIFF_IN_NEW) ? "\"matched\""
                  : r->in & PS_DIFF_IN_NEW                    ? "\"new\""
                                                              : "\"removed\"");
        if ((r->in & PS_DIFF_IN_BASE) && (r->in & PS_DIFF_IN_NEW) &&
            d->base->funcs[r->base_func].line != fn->line) {
            ob_lit(b, ", \"base_line\": ");
            ob_int(b, d->base->funcs[r->base_func].line);
        }
        ob_lit(b, ",\n     \"base\": ");
        json_side(b, &r->base, r->in & PS_DIFF_IN_BASE);
        ob_lit(b, ",\n     \"new\": ");
        json_side(b, &r->new, r->in & PS_DIFF_IN_NEW);
        ob_lit(b, ",\n     \"delta\": {\"ncalls\": ");
        ob_int(b, ps_count_sub(r->new.nc, r->base.nc));
        ob_lit(b, ", \"tottime\": ");
        json_float(b, r->new.tt - r->base.tt);
        ob_lit(b, ", \"cumtime\": ");
        json_float(b, r->new.ct - r->base.ct);
        ob_lit(b, "}}");
    }
    ob_lit(b, "\n  ],\n  \"verdict\": {\"failed\": ");
    ob_str(b, d->failed ? "true" : "false");
    ob_lit(b, ", \"reasons\": [");
    for (size_t i = 0; i < d->nreasons; i++) {
        if (i)
            ob_lit(b, ", ");
        json_str(b, d->reasons[i], strlen(d->reasons[i]));
    }
    ob_lit(b, "]}\n}\n");
}

int ps_diff_write(const ps_diff *d, int format, const sel_restriction *r, size_t nr, FILE *fp,
                  const char *what, ps_error *e)
{
    ps_error_clear(e);
    outbuf *b = malloc(sizeof *b);
    if (!b)
        return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
    ob_init(b, fp);
    int rc = 0;
    if (format == PS_DIFF_JSON) {
        write_json(d, b);
    } else {
        size_t *ids, nids, nchanged;
        char *msg;
        if (ps_diff_select(d, NULL, 0, &ids, &nchanged, &msg, e) < 0) {
            free(b);
            return -1;
        }
        free(ids);
        free(msg);
        if (ps_diff_select(d, r, nr, &ids, &nids, &msg, e) < 0) {
            free(b);
            return -1;
        }
        rc = format == PS_DIFF_MARKDOWN ? write_markdown(d, b, ids, nids, msg, nchanged)
                                        : write_text(d, b, ids, nids, msg, nchanged);
        free(ids);
        free(msg);
        if (rc < 0) {
            free(b->mem);
            free(b);
            return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
        }
    }
    rc = ob_finish(b, what, e);
    free(b->mem);
    free(b);
    return rc;
}
