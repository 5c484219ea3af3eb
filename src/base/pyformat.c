/* pyformat.c - Python behaviours gprof2dot's output depends on, reimplemented
 * with the same results: "%.2f" % x, fnmatch.fnmatchcase, printf-style
 * formatting of one float, and the -s / -w name rewriting (textwrap.fill). */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include "pstats/arena.h"
#include "pycompat.h"
#include "utf8.h"

/* ---- "%.2f" ------------------------------------------------------------------------ */

int ps_pg_fmt2(char out[32], double x)
{
    /* away from a rounding tie the nearest hundredth is plain arithmetic;
     * near one (or for big or odd values) printf decides */
    if (x >= 0.0 && x < 1e6) {
        double q = x * 100.0;
        double f = floor(q);
        double frac = q - f;
        if (fabs(frac - 0.5) > 1e-6) {
            uint64_t v = (uint64_t)f + (frac > 0.5);
            uint64_t ip = v / 100, fp = v % 100;
            char tmp[24];
            int n = 0;
            do {
                tmp[n++] = (char)('0' + ip % 10);
                ip /= 10;
            } while (ip);
            int k = 0;
            while (n)
                out[k++] = tmp[--n];
            out[k++] = '.';
            out[k++] = (char)('0' + fp / 10);
            out[k++] = (char)('0' + fp % 10);
            out[k] = '\0';
            return k;
        }
    }
    return snprintf(out, 32, "%.2f", x);
}

/* ---- fnmatch ------------------------------------------------------------------------
 * Python's fnmatch.fnmatchcase: `*` any run (newlines too), `?` one code point,
 * `[...]` a set (`!` negates, `]` first is literal, a-z ranges, an empty range
 * matches nothing, an unclosed `[` is literal); everything else literal,
 * backslash included.  The whole name must match. */

struct py_glob {   /* one token of a compiled pattern */
    int kind;                 /* 0 literal, 1 any, 2 star, 3 set */
    uint32_t c;
    uint32_t *ranges;         /* set: pairs lo, hi */
    size_t nranges;
    int negate;
};

void ps_py_glob_free(py_glob *t, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(t[i].ranges);
    free(t);
}

py_glob *ps_py_glob_compile(const char *pat, size_t *ntok)
{
    size_t plen = strlen(pat);
    /* decode to code points first */
    uint32_t *cp = malloc((plen + 1) * sizeof *cp);
    if (!cp)
        return NULL;
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)pat, *end = p + plen;
    while (p < end)
        cp[n++] = ps_utf8_next(&p, end);
    py_glob *t = calloc(n + 1, sizeof *t);
    if (!t) {
        free(cp);
        return NULL;
    }
    size_t k = 0, i = 0;
    while (i < n) {
        uint32_t c = cp[i++];
        if (c == '*') {
            if (k == 0 || t[k - 1].kind != 2)
                t[k++].kind = 2;
        } else if (c == '?') {
            t[k++].kind = 1;
        } else if (c == '[') {
            size_t j = i;
            if (j < n && cp[j] == '!')
                j++;
            if (j < n && cp[j] == ']')
                j++;
            while (j < n && cp[j] != ']')
                j++;
            if (j >= n) {
                t[k].kind = 0;
                t[k++].c = '[';
                continue;
            }
            py_glob *g = &t[k++];
            g->kind = 3;
            size_t a = i;
            if (cp[a] == '!') {
                g->negate = 1;
                a++;
            }
            g->ranges = malloc(2 * (j - a + 1) * sizeof *g->ranges);
            if (!g->ranges) {
                ps_py_glob_free(t, k);
                free(cp);
                return NULL;
            }
            while (a < j) {
                uint32_t lo = cp[a], hi = lo;
                if (a + 2 < j && cp[a + 1] == '-') {
                    hi = cp[a + 2];
                    a += 3;
                } else {
                    a++;
                }
                if (lo <= hi) {
                    g->ranges[2 * g->nranges] = lo;
                    g->ranges[2 * g->nranges + 1] = hi;
                    g->nranges++;
                }
            }
            i = j + 1;
        } else {
            t[k].kind = 0;
            t[k++].c = c;
        }
    }
    free(cp);
    *ntok = k;
    return t;
}

static int glob_one(const py_glob *g, uint32_t c)
{
    switch (g->kind) {
    case 0:
        return g->c == c;
    case 1:
        return 1;
    case 3: {
        int in = 0;
        for (size_t r = 0; r < g->nranges && !in; r++)
            in = c >= g->ranges[2 * r] && c <= g->ranges[2 * r + 1];
        return g->negate ? !in : in;
    }
    }
    return 0;
}

int ps_py_glob_match(const py_glob *t, size_t nt, const char *name)
{
    size_t len = strlen(name);
    uint32_t small[512];
    uint32_t *s = len < 512 ? small : malloc((len + 1) * sizeof *s);
    if (!s)
        return 0;
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)name, *end = p + len;
    while (p < end)
        s[n++] = ps_utf8_next(&p, end);
    /* the classic single-backtrack wildcard match (every token but * eats one) */
    size_t ti = 0, si = 0, star = (size_t)-1, mark = 0;
    int ok;
    for (;;) {
        if (ti < nt && t[ti].kind == 2) {
            star = ti++;
            mark = si;
            continue;
        }
        if (si < n && ti < nt && glob_one(&t[ti], s[si])) {
            ti++;
            si++;
            continue;
        }
        if (si == n && ti == nt) {
            ok = 1;
            break;
        }
        if (star != (size_t)-1 && mark < n) {
            ti = star + 1;
            si = ++mark;
            continue;
        }
        ok = 0;
        break;
    }
    if (s != small)
        free(s);
    return ok;
}

int ps_pg_fnmatch(const char *pattern, const char *name)
{
    size_t nt = 0;
    py_glob *t = ps_py_glob_compile(pattern, &nt);
    if (!t)
        return 0;
    int r = ps_py_glob_match(t, nt, name);
    ps_py_glob_free(t, nt);
    return r;
}

/* ---- Python's printf-style formatting of one float ------------------------------- */

static void pad_field(pg_buf *out, const char *s, size_t len, long width, int left, char fill)
{
    size_t cps = ps_utf8_length(s, len);
    long padn = width > (long)cps ? width - (long)cps : 0;
    if (!left)
        for (long i = 0; i < padn; i++)
            ps_pg_buf_add(out, &fill, 1);
    ps_pg_buf_add(out, s, len);
    if (left)
        for (long i = 0; i < padn; i++)
            ps_pg_buf_add(out, " ", 1);
}

int ps_pg_pyformat(pg_buf *out, const char *fmt, double x, ps_error *e)
{
    int used = 0;
    for (const char *p = fmt; *p;) {
        if (*p != '%') {
            const char *q = strchr(p, '%');
            size_t n = q ? (size_t)(q - p) : strlen(p);
            ps_pg_buf_add(out, p, n);
            p += n;
            continue;
        }
        p++;
        if (*p == '(')
            return ps_error_set(e, PS_EUSAGE, -1, "--time-format %s: format requires a mapping", fmt);
        char flags[8];
        int nf = 0, left = 0, zero = 0, alt = 0, plus = 0, space = 0;
        while (*p && strchr("-+ #0", *p)) {
            left |= *p == '-';
            zero |= *p == '0';
            alt |= *p == '#';
            plus |= *p == '+';
            space |= *p == ' ';
            p++;
        }
        if (left)
            flags[nf++] = '-';
        if (plus)
            flags[nf++] = '+';
        if (space && !plus)
            flags[nf++] = ' ';
        if (alt)
            flags[nf++] = '#';
        if (zero && !left)
            flags[nf++] = '0';
        flags[nf] = '\0';
        long width = -1, prec = -1;
        if (*p == '*')
            return ps_error_set(e, PS_EUSAGE, -1, "--time-format %s: not enough arguments for format string", fmt);
        if (isdigit((unsigned char)*p)) {
            width = 0;
            while (isdigit((unsigned char)*p)) {
                width = width * 10 + (*p++ - '0');
                if (width > 100000)
                    return ps_error_set(e, PS_EUSAGE, -1, "--time-format %s: width too big", fmt);
            }
        }
        if (*p == '.') {
            p++;
            if (*p == '*')
                return ps_error_set(e, PS_EUSAGE, -1, "--time-format %s: not enough arguments for format string", fmt);
            prec = 0;
            while (isdigit((unsigned char)*p)) {
                prec = prec * 10 + (*p++ - '0');
                if (prec > 100000)
                    return ps_error_set(e, PS_EUSAGE, -1, "--time-format %s: precision too big", fmt);
            }
        }
        while (*p == 'h' || *p == 'l' || *p == 'L')
            p++;
        char conv = *p;
        if (!conv)
            return ps_error_set(e, PS_EUSAGE, -1, "--time-format %s: incomplete format", fmt);
        p++;
        if (conv == '%') {
            ps_pg_buf_add(out, "%", 1);
            continue;
        }
        if (used)
            return ps_error_set(e, PS_EUSAGE, -1, "--time-format %s: not enough arguments for format string", fmt);
        used = 1;
        char spec[40], tmp[512];
        switch (conv) {
        case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': {
            if (isnan(x) || isinf(x)) {
                const char *word = isnan(x) ? "nan" : x < 0 ? "-inf" : "inf";
                char w[8];
                size_t wl = strlen(word);
                for (size_t i = 0; i <= wl; i++)
                    w[i] = (char)(isupper((unsigned char)conv) ? toupper((unsigned char)word[i]) : word[i]);
                char sign[8] = "";
                if (!isnan(x) && x > 0 && plus)
                    strcpy(sign, "+");
                else if (!isnan(x) && x > 0 && space)
                    strcpy(sign, " ");
                else if (isnan(x) && plus)
                    strcpy(sign, "+");
                else if (isnan(x) && space)
                    strcpy(sign, " ");
                snprintf(tmp, sizeof tmp, "%s%s", sign, w);
                pad_field(out, tmp, strlen(tmp), width, left, ' ');
                break;
            }
            snprintf(spec, sizeof spec, "%%%s", flags);
            size_t sl = strlen(spec);
            if (width >= 0)
                sl += (size_t)snprintf(spec + sl, sizeof spec - sl, "%ld", width);
            snprintf(spec + sl, sizeof spec - sl, ".%ld%c", prec < 0 ? 6 : prec, conv);
            int n = snprintf(NULL, 0, spec, x);
            if (n < 0)
                return ps_error_set(e, PS_EUSAGE, -1, "--time-format %s: cannot format", fmt);
            if (ps_pg_buf_reserve(out, (size_t)n) == 0) {
                snprintf(out->s + out->len, (size_t)n + 1, spec, x);
                out->len += (size_t)n;
            }
            break;
        }
        case 'd': case 'i': case 'u': {
            if (isnan(x) || isinf(x))
                return ps_error_set(e, PS_EUSAGE, -1, "--time-format %s: cannot convert float %s to integer",
                                    fmt, isnan(x) ? "NaN" : "infinity");
            double t = trunc(x);
            if (fabs(t) >= 9.2e18) {
                snprintf(tmp, sizeof tmp, "%.0f", t);   /* exact for integral doubles */
            } else {
                long long v = (long long)t;
                snprintf(spec, sizeof spec, "%%%s", flags);
                size_t sl = strlen(spec);
                if (width >= 0)
                    sl += (size_t)snprintf(spec + sl, sizeof spec - sl, "%ld", width);
                if (prec >= 0)
                    sl += (size_t)snprintf(spec + sl, sizeof spec - sl, ".%ld", prec);
                snprintf(spec + sl, sizeof spec - sl, "lld");
                int n = snprintf(NULL, 0, spec, v);
                if (n >= 0 && ps_pg_buf_reserve(out, (size_t)n) == 0) {
                    snprintf(out->s + out->len, (size_t)n + 1, spec, v);
                    out->len += (size_t)n;
                }
                break;
            }
            pad_field(out, tmp, strlen(tmp), width, left, zero && !left ? '0' : ' ');
            break;
        }
        case 's': case 'r': case 'a': {
            size_t n = ps_py_float_repr(tmp, sizeof tmp, x);
            if (prec >= 0)
                n = ps_utf8_prefix(tmp, n, (size_t)prec);
            pad_field(out, tmp, n, width, left, ' ');
            break;
        }
        default:
            if (strchr("xXoc", conv))
                return ps_error_set(e, PS_EUSAGE, -1, "--time-format %s: %%%c format: an integer is required, not float",
                                    fmt, conv);
            return ps_error_set(e, PS_EUSAGE, -1, "--time-format %s: unsupported format character '%c'",
                                fmt, conv);
        }
    }
    if (!used)
        return ps_error_set(e, PS_EUSAGE, -1, "--time-format %s: not all arguments converted during string formatting",
                            fmt);
    if (out->failed)
        return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
    return 0;
}

/* ---- name handling: -s and -w ------------------------------------------------ */

/* One pass of re.subn(open [^open close]* close, '') over s; returns the count. */
static size_t strip_groups(char *s, char open, char close)
{
    size_t n = strlen(s), w = 0, count = 0;
    for (size_t i = 0; i < n;) {
        if (s[i] == open) {
            size_t j = i + 1;
            while (j < n && s[j] != open && s[j] != close)
                j++;
            if (j < n && s[j] == close) {
                i = j + 1;
                count++;
                continue;
            }
        }
        s[w++] = s[i++];
    }
    s[w] = '\0';
    return count;
}

static int py_space(unsigned char c)
{
    return c == ' ' || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f);
}

void ps_pg_strip_name(pg_buf *out, const char *name)
{
    char *s = strdup(name);
    if (!s) {
        out->failed = 1;
        return;
    }
    while (strip_groups(s, '(', ')'))
        ;
    /* \s+const$ : at the very end, or before a final newline */
    size_t n = strlen(s);
    size_t end = n && s[n - 1] == '\n' ? n - 1 : n;
    for (int pass = 0; pass < 2; pass++) {
        if (end >= 5 && memcmp(s + end - 5, "const", 5) == 0) {
            size_t k = end - 5;
            size_t b = k;
            while (b > 0 && py_space((unsigned char)s[b - 1]))
                b--;
            if (b < k) {
                memmove(s + b, s + end, n - end + 1);
                break;
            }
        }
        if (end == n)
            break;
        end = n;
    }
    while (strip_groups(s, '<', '>'))
        ;
    ps_pg_buf_addz(out, s);
    free(s);
}

/* textwrap's word splitting: whitespace runs, em-dashes, and words split
 * after hyphens between letters (the stdlib's rules). */
static const char WORDSEP[] =
    "([\\t\\n\\x0b\\x0c\\r ]+"
    "|(?<=[\\w!\"'&.,?])-{2,}(?=\\w)"
    "|[^\\t\\n\\x0b\\x0c\\r ]+?(?:-(?:(?<=[^\\d\\W]{2}-)|(?<=[^\\d\\W]-[^\\d\\W]-))(?=[^\\d\\W]-?[^\\d\\W])"
    "|(?=[\\t\\n\\x0b\\x0c\\r ]|\\z)|(?<=[\\w!\"'&.,?])(?=-{2,}\\w)))";

typedef struct chunk {
    size_t off, len;     /* bytes in the munged text */
    size_t cps;          /* code points */
    int blank;           /* str.strip() == '' */
} chunk;

static int all_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!py_space((unsigned char)s[i]))
            return 0;
    return 1;
}

static void replace_all(pg_buf *b, const char *from, const char *to)
{
    size_t fl = strlen(from), tl = strlen(to);
    if (!b->s || b->failed)
        return;
    pg_buf r = {0};
    for (size_t i = 0; i < b->len;) {
        if (i + fl <= b->len && memcmp(b->s + i, from, fl) == 0) {
            ps_pg_buf_add(&r, to, tl);
            i += fl;
        } else {
            ps_pg_buf_add(&r, b->s + i, 1);
            i++;
        }
    }
    if (r.failed) {
        b->failed = 1;
        ps_pg_buf_free(&r);
        return;
    }
    free(b->s);
    *b = r;
    if (!b->s)
        ps_pg_buf_add(b, "", 0);
}

int ps_pg_wrap_name(pg_buf *out, const char *name, ps_error *e)
{
    size_t nlen = strlen(name);
    pg_buf w = {0};
    if (ps_utf8_length(name, nlen) > 32) {
        /* expandtabs(8), then every whitespace character becomes a space */
        pg_buf t = {0};
        size_t col = 0;
        const unsigned char *p = (const unsigned char *)name, *end = p + nlen;
        while (p < end) {
            const unsigned char *q = p;
            uint32_t c = ps_utf8_next(&p, end);
            if (c == '\t') {
                size_t sp = 8 - col % 8;
                for (size_t i = 0; i < sp; i++)
                    ps_pg_buf_add(&t, " ", 1);
                col += sp;
            } else if (c == '\n' || c == '\r') {
                ps_pg_buf_add(&t, " ", 1);
                col = 0;
            } else if (c == 0x0b || c == 0x0c) {
                ps_pg_buf_add(&t, " ", 1);
                col++;
            } else {
                ps_pg_buf_add(&t, (const char *)q, (size_t)(p - q));
                col++;
            }
        }
        if (!t.s)
            ps_pg_buf_add(&t, "", 0);
        int errcode;
        PCRE2_SIZE erroff;
        pcre2_code *re = pcre2_compile((PCRE2_SPTR)WORDSEP, PCRE2_ZERO_TERMINATED,
                                       PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF, &errcode, &erroff, NULL);
        pcre2_match_data *md = re ? pcre2_match_data_create_from_pattern(re, NULL) : NULL;
        chunk *ch = malloc((t.len + 1) * 2 * sizeof *ch);
        if (!re || !md || !ch || t.failed) {
            pcre2_match_data_free(md);
            pcre2_code_free(re);
            free(ch);
            ps_pg_buf_free(&t);
            return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
        }
        size_t nch = 0, pos = 0;
        while (pos < t.len) {
            int rc = pcre2_match(re, (PCRE2_SPTR)t.s, t.len, pos, 0, md, NULL);
            size_t ms, me;
            if (rc < 0) {
                ms = me = t.len;
            } else {
                PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
                ms = ov[0];
                me = ov[1];
            }
            if (ms > pos)
                ch[nch++] = (chunk){pos, ms - pos, 0, 0};
            if (me > ms)
                ch[nch++] = (chunk){ms, me - ms, 0, 0};
            if (me <= pos)      /* cannot happen: no empty matches */
                break;
            pos = me;
        }
        pcre2_match_data_free(md);
        pcre2_code_free(re);
        for (size_t i = 0; i < nch; i++) {
            ch[i].cps = ps_utf8_length(t.s + ch[i].off, ch[i].len);
            ch[i].blank = all_blank(t.s + ch[i].off, ch[i].len);
        }
        /* TextWrapper._wrap_chunks with width 32, break_long_words=False */
        const size_t width = 32;
        size_t next = 0, nlines = 0;
        while (next < nch) {
            if (ch[next].blank && nlines)
                next++;
            size_t first = next, cur = 0;
            while (next < nch && cur + ch[next].cps <= width)
                cur += ch[next++].cps;
            if (next < nch && ch[next].cps > width && next == first)
                next++;           /* a long word alone on its line */
            size_t last = next;
            if (last > first && ch[last - 1].blank)
                last--;
            if (last > first) {
                if (nlines)
                    ps_pg_buf_add(&w, "\n", 1);
                for (size_t i = first; i < last; i++)
                    ps_pg_buf_add(&w, t.s + ch[i].off, ch[i].len);
                nlines++;
            }
        }
        free(ch);
        ps_pg_buf_free(&t);
        if (!w.s)
            ps_pg_buf_add(&w, "", 0);
    } else {
        ps_pg_buf_add(&w, name, nlen);
    }
    replace_all(&w, ", ", ",");
    replace_all(&w, "> >", ">>");
    replace_all(&w, "> >", ">>");
    if (w.failed) {
        ps_pg_buf_free(&w);
        return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
    }
    ps_pg_buf_add(out, w.s, w.len);
    ps_pg_buf_free(&w);
    return 0;
}
