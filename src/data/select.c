/* select.c - restrictions: the browser's argument conversion and
 * get_print_list (CPython's Lib/pstats.py: eval_print_amount, get_print_list). */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "base/pycompat.h"
#include "pstats/buf.h"
#include "pstats/select.h"

/* ---- Python int() and float() of one term ------------------------------- */

/* Digits with single underscores between them, as Python 3.6+ accepts. */
static int digit_run(const char *s, const char **end)
{
    if (!isdigit((unsigned char)*s))
        return 0;
    while (isdigit((unsigned char)*s) || (*s == '_' && isdigit((unsigned char)s[1])))
        s++;
    *end = s;
    return 1;
}

static int parse_py_int(const char *t, int64_t *v, int *huge)
{
    const char *p = t, *end;
    int neg = 0;
    if (*p == '+' || *p == '-')
        neg = *p++ == '-';
    if (!digit_run(p, &end) || *end)
        return 0;
    uint64_t acc = 0;
    *huge = 0;
    for (; *p; p++) {
        if (*p == '_')
            continue;
        unsigned d = (unsigned)(*p - '0');
        if (acc > (UINT64_MAX - d) / 10 || acc * 10 + d > (uint64_t)INT64_MAX)
            *huge = 1;
        else
            acc = acc * 10 + d;
    }
    *v = neg ? -(int64_t)acc : (int64_t)acc;
    if (*huge)
        *v = neg ? INT64_MIN : INT64_MAX;
    return 1;
}

static int parse_py_float(const char *t, double *v)
{
    const char *p = t;
    int neg = 0;
    if (*p == '+' || *p == '-')
        neg = *p++ == '-';
    if (!strcasecmp(p, "inf") || !strcasecmp(p, "infinity")) {
        *v = neg ? -INFINITY : INFINITY;
        return 1;
    }
    if (!strcasecmp(p, "nan")) {
        *v = neg ? -NAN : NAN;
        return 1;
    }
    const char *end;
    int mant = 0;
    if (digit_run(p, &end)) {
        mant = 1;
        p = end;
    }
    if (*p == '.') {
        p++;
        if (digit_run(p, &end)) {
            mant = 1;
            p = end;
        }
    }
    if (!mant)
        return 0;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!digit_run(p, &end))
            return 0;
        p = end;
    }
    if (*p)
        return 0;
    char buf[512];
    size_t n = 0;
    for (const char *q = t; *q && n + 1 < sizeof buf; q++)
        if (*q != '_')
            buf[n++] = *q;
    buf[n] = '\0';
    *v = strtod(buf, NULL);
    return 1;
}

int ps_sel_parse_term(const char *term, sel_restriction *out)
{
    memset(out, 0, sizeof *out);
    out->text = term;
    if (parse_py_int(term, &out->i, &out->int_huge)) {
        out->kind = SEL_INT;
        return 0;
    }
    double f;
    if (parse_py_float(term, &f)) {
        out->kind = SEL_FLOAT;
        out->f = f;
        return f > 1 || f < 0 ? 1 : 0;
    }
    out->kind = SEL_REGEX;
    return 0;
}

/* ---- regular expressions ------------------------------------------------- */

struct sel_regex {
    pcre2_code *code;
    pcre2_match_data *md;
};

/* Python spells "end of string" \Z; PCRE2 spells it \z. */
static char *translate_python_regex(const char *p)
{
    size_t n = strlen(p);
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '\\' && i + 1 < n) {
            out[j++] = '\\';
            out[j++] = p[i + 1] == 'Z' ? 'z' : p[i + 1];
            i++;
        } else {
            out[j++] = p[i];
        }
    }
    out[j] = '\0';
    return out;
}

sel_regex *ps_sel_regex_compile(const char *pattern, char *errbuf, size_t errsize)
{
    char *pat = translate_python_regex(pattern);
    if (!pat) {
        snprintf(errbuf, errsize, "out of memory");
        return NULL;
    }
    int errcode;
    PCRE2_SIZE erroff;
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED,
                                     PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF,
                                     &errcode, &erroff, NULL);
    free(pat);
    if (!code) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(errcode, msg, sizeof msg);
        snprintf(errbuf, errsize, "%s at offset %zu", (char *)msg, (size_t)erroff);
        return NULL;
    }
    sel_regex *re = malloc(sizeof *re);
    if (!re || !(re->md = pcre2_match_data_create_from_pattern(code, NULL))) {
        free(re);
        pcre2_code_free(code);
        snprintf(errbuf, errsize, "out of memory");
        return NULL;
    }
    re->code = code;
    return re;
}

int ps_sel_regex_search(const sel_regex *re, const char *text, size_t len)
{
    return pcre2_match(re->code, (PCRE2_SPTR)text, len, 0, 0, re->md, NULL) >= 0;
}

void ps_sel_regex_free(sel_regex *re)
{
    if (!re)
        return;
    pcre2_match_data_free(re->md);
    pcre2_code_free(re->code);
    free(re);
}

/* ---- get_print_list ------------------------------------------------------- */

static void restriction_repr(const sel_restriction *r, char *buf, size_t size)
{
    if (r->kind == SEL_INT)
        snprintf(buf, size, "%lld", (long long)r->i);
    else if (r->kind == SEL_FLOAT)
        ps_py_float_repr(buf, size, r->f);
    else
        ps_py_str_repr(buf, size, r->text, strlen(r->text));
}

int ps_sel_get_print_list(const ps_stats *s, const sel_restriction *r, size_t nr, sel_list *out,
                       ps_error *e)
{
    memset(out, 0, sizeof *out);
    pg_buf m = {0};
    size_t n;
    uint32_t *ids = malloc(((size_t)s->nentries + 1) * sizeof *ids);
    if (!ids)
        goto nomem;
    if (s->fcn_state == 1 && s->nfcn > 0) {
        memcpy(ids, s->fcn_list, s->nfcn * sizeof *ids);
        n = s->nfcn;
        ps_pg_buf_addz(&m, "   Ordered by: ");
        ps_pg_buf_addz(&m, s->sort_type);
        ps_pg_buf_addz(&m, "\n");
    } else {
        for (uint32_t i = 0; i < s->nentries; i++)
            ids[i] = s->entries[i].func;
        n = s->nentries;
        ps_pg_buf_addz(&m, "   Random listing order was used\n");
    }
    char name_small[1024];
    for (size_t k = 0; k < nr; k++) {
        size_t before = n;
        if (r[k].kind == SEL_REGEX) {
            char err[300];
            sel_regex *re = ps_sel_regex_compile(r[k].text, err, sizeof err);
            if (!re) {
                char repr[2048], line[2200];
                ps_py_str_repr(repr, sizeof repr, r[k].text, strlen(r[k].text));
                snprintf(line, sizeof line, "   <Invalid regular expression %s>\n", repr);
                ps_pg_buf_addz(&m, line);
                continue;
            }
            size_t kept = 0;
            for (size_t i = 0; i < n; i++) {
                size_t len = ps_stats_std_name(s, ids[i], name_small, sizeof name_small);
                int hit;
                if (len < sizeof name_small) {
                    hit = ps_sel_regex_search(re, name_small, len);
                } else {
                    char *big = malloc(len + 1);
                    if (!big) {
                        ps_sel_regex_free(re);
                        goto nomem;
                    }
                    ps_stats_std_name(s, ids[i], big, len + 1);
                    hit = ps_sel_regex_search(re, big, len);
                    free(big);
                }
                if (hit)
                    ids[kept++] = ids[i];
            }
            ps_sel_regex_free(re);
            n = kept;
        } else if (r[k].kind == SEL_FLOAT) {
            if (r[k].f >= 0.0 && r[k].f < 1.0)
                n = (size_t)((double)n * r[k].f + 0.5);
        } else if (!r[k].int_huge && r[k].i >= 0 && (uint64_t)r[k].i < n) {
            n = (size_t)r[k].i;
        }
        if (n != before) {
            char repr[2048], line[2300];
            restriction_repr(&r[k], repr, sizeof repr);
            snprintf(line, sizeof line, "   List reduced from %zu to %zu due to restriction <%s>\n",
                     before, n, repr);
            ps_pg_buf_addz(&m, line);
        }
    }
    if (m.failed)
        goto nomem;
    out->ids = ids;
    out->n = n;
    out->msg = m.s;
    out->msglen = m.len;
    if (n == 0)
        return 0;
    /* CPython keeps max_name_len over all entries and uses it when nothing
     * was cut: the maximum over the listed functions either way. */
    size_t width = 0;
    for (size_t i = 0; i < n; i++) {
        size_t len = ps_stats_std_name_len(s, ids[i]);
        if (len > width)
            width = len;
    }
    out->width = width + 2;
    return 0;
nomem:
    free(ids);
    free(m.s);
    ps_error_set(e, PS_ENOMEM, -1, "out of memory");
    return -1;
}

void ps_sel_list_free(sel_list *l)
{
    free(l->ids);
    free(l->msg);
    memset(l, 0, sizeof *l);
}
