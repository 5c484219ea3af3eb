/* graph.c - gprof2dot's weighted call graph of a stats database (see graph.h).
 *
 * Written from the behaviour described in anchors.md section 1 and checked
 * against graphs gprof2dot wrote; no gprof2dot code.  Python behaviours the
 * output depends on (float formatting, fnmatch, textwrap, os.path) are
 * reimplemented here with the same results. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include "pstats/graph.h"
#include "base/pycompat.h"
#include "pstats/select.h"

/* ---- text buffer ------------------------------------------------------------ */

static int buf_grow(pg_buf *b, size_t more)
{
    if (b->failed)
        return -1;
    if (b->len + more + 1 <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + more + 1)
        cap *= 2;
    char *n = realloc(b->s, cap);
    if (!n) {
        b->failed = 1;
        return -1;
    }
    b->s = n;
    b->cap = cap;
    return 0;
}

void pg_buf_add(pg_buf *b, const char *s, size_t n)
{
    if (buf_grow(b, n) < 0)
        return;
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void pg_buf_addz(pg_buf *b, const char *s)
{
    pg_buf_add(b, s, strlen(s));
}

void pg_buf_printf(pg_buf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        pg_buf_add(b, small, (size_t)n);
        return;
    }
    if (buf_grow(b, (size_t)n) < 0)
        return;
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void pg_buf_free(pg_buf *b)
{
    free(b->s);
    memset(b, 0, sizeof *b);
}

/* ---- colour themes ------------------------------------------------------------ */

static const pg_theme THEMES[PG_NTHEMES] = {
    {"color", {2.0 / 3.0, 0.80, 0.25}, {0.0, 1.0, 0.5}, 1.0, 10.0, 10.0, 0.5, 4.0, "filled", "white"},
    {"pink", {0.0, 1.0, 0.90}, {0.0, 1.0, 0.5}, 2.2, 10.0, 10.0, 0.5, 4.0, "filled", "white"},
    {"gray", {0.0, 0.0, 0.85}, {0.0, 0.0, 0.0}, 2.2, 10.0, 10.0, 0.5, 4.0, "filled", "white"},
    {"bw", {0.0, 0.0, 0.0}, {0.0, 0.0, 0.0}, 2.2, 8.0, 24.0, 0.1, 8.0, "filled", "white"},
    {"print", {0.0, 0.0, 0.0}, {0.0, 0.0, 0.0}, 2.2, 18.0, 30.0, 0.1, 8.0, "solid", "black"},
};

const pg_theme *pg_theme_get(int which)
{
    return which >= 0 && which < PG_NTHEMES ? &THEMES[which] : NULL;
}

const pg_theme *pg_theme_find(const char *name)
{
    for (int i = 0; i < PG_NTHEMES; i++)
        if (strcmp(THEMES[i].name, name) == 0)
            return &THEMES[i];
    return NULL;
}

/* Python's float modulo: the result takes the divisor's sign. */
static double py_fmod(double x, double y)
{
    double m = fmod(x, y);
    if (m != 0.0) {
        if ((y < 0) != (m < 0))
            m += y;
    } else {
        m = copysign(0.0, y);
    }
    return m;
}

static double clamp01(double x)
{
    return x < 0.0 ? 0.0 : x > 1.0 ? 1.0 : x;
}

/* The CSS3 helper: one channel from the hue offset h. */
static double hue_channel(double m1, double m2, double h)
{
    if (h < 0.0)
        h += 1.0;
    else if (h > 1.0)
        h -= 1.0;
    if (h * 6 < 1.0)
        return m1 + (m2 - m1) * h * 6.0;
    if (h * 2 < 1.0)
        return m2;
    if (h * 3 < 2.0)
        return m1 + (m2 - m1) * (2.0 / 3.0 - h) * 6.0;
    return m1;
}

void pg_hsl_to_rgb(const pg_theme *t, double h, double s, double l, double rgb[3])
{
    h = py_fmod(h, 1.0);
    s = clamp01(s);
    l = clamp01(l);
    double m2 = l <= 0.5 ? l * (s + 1.0) : l + s - l * s;
    double m1 = l * 2.0 - m2;
    rgb[0] = hue_channel(m1, m2, h + 1.0 / 3.0);
    rgb[1] = hue_channel(m1, m2, h);
    rgb[2] = hue_channel(m1, m2, h - 1.0 / 3.0);
    if (t->gamma != 1.0)          /* x ** 1.0 is x */
        for (int i = 0; i < 3; i++)
            rgb[i] = pow(rgb[i], t->gamma);
}

void pg_color_rgb(const pg_theme *t, double skew, double w, double rgb[3])
{
    w = w < 0.0 ? 0.0 : w > 1.0 ? 1.0 : w;
    if (isnan(w))
        w = 0.0;
    double hsl[3];
    for (int i = 0; i < 3; i++) {
        double lo = t->mincolor[i], hi = t->maxcolor[i];
        if (skew == 1.0)
            hsl[i] = lo + w * (hi - lo);
        else
            hsl[i] = lo + ((hi - lo) * (-1.0 + pow(skew, w)) / (skew - 1.0));
    }
    pg_hsl_to_rgb(t, hsl[0], hsl[1], hsl[2], rgb);
}

static int channel_byte(double c)
{
    if (c <= 0.0)
        return 0;
    if (c >= 1.0)
        return 255;
    return (int)(255.0 * c + 0.5);
}

void pg_rgb_hex(const double rgb[3], char out[8])
{
    static const char hex[] = "0123456789abcdef";
    out[0] = '#';
    for (int i = 0; i < 3; i++) {
        int v = isnan(rgb[i]) ? 0 : channel_byte(rgb[i]);
        out[1 + 2 * i] = hex[v >> 4];
        out[2 + 2 * i] = hex[v & 15];
    }
    out[7] = '\0';
}

void pg_color_hex(const pg_theme *t, double skew, double w, char out[8])
{
    double rgb[3];
    pg_color_rgb(t, skew, w, rgb);
    pg_rgb_hex(rgb, out);
}

static double py_max(double a, double b)
{
    return b > a ? b : a;
}

double pg_fontsize(const pg_theme *t, double w)
{
    return py_max(pow(w, 2.0) * t->maxfontsize, t->minfontsize);
}

double pg_penwidth(const pg_theme *t, double w)
{
    return py_max(w * t->maxpenwidth, t->minpenwidth);
}

double pg_arrowsize(const pg_theme *t, double w)
{
    return 0.5 * sqrt(pg_penwidth(t, w));
}

int pg_fmt2(char out[32], double x)
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

/* ---- UTF-8 ------------------------------------------------------------------------ */

/* Decode one code point at s (an invalid byte is taken as itself). */
static uint32_t utf8_next(const unsigned char **ps, const unsigned char *end)
{
    const unsigned char *s = *ps;
    uint32_t c = *s;
    int n = 0;
    if (c < 0x80)
        n = 0;
    else if ((c & 0xe0) == 0xc0)
        n = 1, c &= 0x1f;
    else if ((c & 0xf0) == 0xe0)
        n = 2, c &= 0x0f;
    else if ((c & 0xf8) == 0xf0)
        n = 3, c &= 0x07;
    else {
        *ps = s + 1;
        return c;
    }
    if (end - s <= n) {
        *ps = s + 1;
        return *s;
    }
    for (int i = 1; i <= n; i++) {
        if ((s[i] & 0xc0) != 0x80) {
            *ps = s + 1;
            return *s;
        }
        c = (c << 6) | (s[i] & 0x3f);
    }
    *ps = s + n + 1;
    return c;
}

/* Byte offset of the first `cps` code points of s. */
static size_t utf8_prefix(const char *s, size_t len, size_t cps)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    while (cps && p < end) {
        utf8_next(&p, end);
        cps--;
    }
    return (size_t)(p - (const unsigned char *)s);
}

/* ---- fnmatch ------------------------------------------------------------------------
 * Python's fnmatch.fnmatchcase: `*` any run (newlines too), `?` one code point,
 * `[...]` a set (`!` negates, `]` first is literal, a-z ranges, an empty range
 * matches nothing, an unclosed `[` is literal); everything else literal,
 * backslash included.  The whole name must match. */

typedef struct glob_tok {
    int kind;                 /* 0 literal, 1 any, 2 star, 3 set */
    uint32_t c;
    uint32_t *ranges;         /* set: pairs lo, hi */
    size_t nranges;
    int negate;
} glob_tok;

static void glob_free(glob_tok *t, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(t[i].ranges);
    free(t);
}

static glob_tok *glob_compile(const char *pat, size_t *ntok)
{
    size_t plen = strlen(pat);
    /* decode to code points first */
    uint32_t *cp = malloc((plen + 1) * sizeof *cp);
    if (!cp)
        return NULL;
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)pat, *end = p + plen;
    while (p < end)
        cp[n++] = utf8_next(&p, end);
    glob_tok *t = calloc(n + 1, sizeof *t);
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
            glob_tok *g = &t[k++];
            g->kind = 3;
            size_t a = i;
            if (cp[a] == '!') {
                g->negate = 1;
                a++;
            }
            g->ranges = malloc(2 * (j - a + 1) * sizeof *g->ranges);
            if (!g->ranges) {
                glob_free(t, k);
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

static int glob_one(const glob_tok *g, uint32_t c)
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

static int glob_match(const glob_tok *t, size_t nt, const char *name)
{
    size_t len = strlen(name);
    uint32_t small[512];
    uint32_t *s = len < 512 ? small : malloc((len + 1) * sizeof *s);
    if (!s)
        return 0;
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)name, *end = p + len;
    while (p < end)
        s[n++] = utf8_next(&p, end);
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

int pg_fnmatch(const char *pattern, const char *name)
{
    size_t nt = 0;
    glob_tok *t = glob_compile(pattern, &nt);
    if (!t)
        return 0;
    int r = glob_match(t, nt, name);
    glob_free(t, nt);
    return r;
}

/* ---- Python's printf-style formatting of one float ------------------------------- */

static void pad_field(pg_buf *out, const char *s, size_t len, long width, int left, char fill)
{
    size_t cps = utf8_length(s, len);
    long padn = width > (long)cps ? width - (long)cps : 0;
    if (!left)
        for (long i = 0; i < padn; i++)
            pg_buf_add(out, &fill, 1);
    pg_buf_add(out, s, len);
    if (left)
        for (long i = 0; i < padn; i++)
            pg_buf_add(out, " ", 1);
}

int pg_pyformat(pg_buf *out, const char *fmt, double x, ps_error *e)
{
    int used = 0;
    for (const char *p = fmt; *p;) {
        if (*p != '%') {
            const char *q = strchr(p, '%');
            size_t n = q ? (size_t)(q - p) : strlen(p);
            pg_buf_add(out, p, n);
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
            pg_buf_add(out, "%", 1);
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
            if (buf_grow(out, (size_t)n) == 0) {
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
                if (n >= 0 && buf_grow(out, (size_t)n) == 0) {
                    snprintf(out->s + out->len, (size_t)n + 1, spec, v);
                    out->len += (size_t)n;
                }
                break;
            }
            pad_field(out, tmp, strlen(tmp), width, left, zero && !left ? '0' : ' ');
            break;
        }
        case 's': case 'r': case 'a': {
            size_t n = py_float_repr(tmp, sizeof tmp, x);
            if (prec >= 0)
                n = utf8_prefix(tmp, n, (size_t)prec);
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

void pg_strip_name(pg_buf *out, const char *name)
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
    pg_buf_addz(out, s);
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
            pg_buf_add(&r, to, tl);
            i += fl;
        } else {
            pg_buf_add(&r, b->s + i, 1);
            i++;
        }
    }
    if (r.failed) {
        b->failed = 1;
        pg_buf_free(&r);
        return;
    }
    free(b->s);
    *b = r;
    if (!b->s)
        pg_buf_add(b, "", 0);
}

int pg_wrap_name(pg_buf *out, const char *name, ps_error *e)
{
    size_t nlen = strlen(name);
    pg_buf w = {0};
    if (utf8_length(name, nlen) > 32) {
        /* expandtabs(8), then every whitespace character becomes a space */
        pg_buf t = {0};
        size_t col = 0;
        const unsigned char *p = (const unsigned char *)name, *end = p + nlen;
        while (p < end) {
            const unsigned char *q = p;
            uint32_t c = utf8_next(&p, end);
            if (c == '\t') {
                size_t sp = 8 - col % 8;
                for (size_t i = 0; i < sp; i++)
                    pg_buf_add(&t, " ", 1);
                col += sp;
            } else if (c == '\n' || c == '\r') {
                pg_buf_add(&t, " ", 1);
                col = 0;
            } else if (c == 0x0b || c == 0x0c) {
                pg_buf_add(&t, " ", 1);
                col++;
            } else {
                pg_buf_add(&t, (const char *)q, (size_t)(p - q));
                col++;
            }
        }
        if (!t.s)
            pg_buf_add(&t, "", 0);
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
            pg_buf_free(&t);
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
            ch[i].cps = utf8_length(t.s + ch[i].off, ch[i].len);
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
                    pg_buf_add(&w, "\n", 1);
                for (size_t i = first; i < last; i++)
                    pg_buf_add(&w, t.s + ch[i].off, ch[i].len);
                nlines++;
            }
        }
        free(ch);
        pg_buf_free(&t);
        if (!w.s)
            pg_buf_add(&w, "", 0);
    } else {
        pg_buf_add(&w, name, nlen);
    }
    replace_all(&w, ", ", ",");
    replace_all(&w, "> >", ">>");
    replace_all(&w, "> >", ">>");
    if (w.failed) {
        pg_buf_free(&w);
        return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
    }
    pg_buf_add(out, w.s, w.len);
    pg_buf_free(&w);
    return 0;
}

/* ---- options ------------------------------------------------------------------ */

enum {
    OPT_HELP = 1, OPT_VERSION, OPT_OUTPUT, OPT_NODE_THRES, OPT_EDGE_THRES, OPT_FORMAT, OPT_TOTAL,
    OPT_COLORMAP, OPT_STRIP, OPT_SELFTIME, OPT_WRAP, OPT_SAMPLES, OPT_TIME_FORMAT, OPT_NODE_LABEL,
    OPT_LIST, OPT_ROOT, OPT_LEAF, OPT_DEPTH, OPT_SKEW, OPT_PATH, OPT_COMPARE, OPT_RENDER,
    OPT_FOCUS, OPT_IGNORE, OPT_HIDE, OPT_NODE_COUNT, OPT_FULL_NAMES, OPT_WRITER
};

typedef struct opt_def {
    const char *name;   /* long name without -- (NULL for a short-only option) */
    char shortc;
    int has_arg;
    int id;
} opt_def;

static const opt_def OPTS[] = {
    {"help", 'h', 0, OPT_HELP},
    {"version", 0, 0, OPT_VERSION},
    {"output", 'o', 1, OPT_OUTPUT},
    {"node-thres", 'n', 1, OPT_NODE_THRES},
    {"edge-thres", 'e', 1, OPT_EDGE_THRES},
    {"format", 'f', 1, OPT_FORMAT},
    {"total", 0, 1, OPT_TOTAL},
    {"colormap", 'c', 1, OPT_COLORMAP},
    {"strip", 's', 0, OPT_STRIP},
    {"color-nodes-by-selftime", 0, 0, OPT_SELFTIME},
    {"colour-nodes-by-selftime", 0, 0, OPT_SELFTIME},
    {"wrap", 'w', 0, OPT_WRAP},
    {"show-samples", 0, 0, OPT_SAMPLES},
    {"time-format", 0, 1, OPT_TIME_FORMAT},
    {"node-label", 0, 1, OPT_NODE_LABEL},
    {"list-functions", 0, 1, OPT_LIST},
    {"root", 'z', 1, OPT_ROOT},
    {"leaf", 'l', 1, OPT_LEAF},
    {"depth", 0, 1, OPT_DEPTH},
    {"skew", 0, 1, OPT_SKEW},
    {"path", 'p', 1, OPT_PATH},
    {"compare", 0, 0, OPT_COMPARE},
    {"compare-tolerance", 0, 1, OPT_COMPARE},
    {"compare-only-slower", 0, 0, OPT_COMPARE},
    {"compare-only-faster", 0, 0, OPT_COMPARE},
    {"compare-color-by-difference", 0, 0, OPT_COMPARE},
    {"render", 'T', 1, OPT_RENDER},
    {"focus", 0, 1, OPT_FOCUS},
    {"ignore", 0, 1, OPT_IGNORE},
    {"hide", 0, 1, OPT_HIDE},
    {"node-count", 0, 1, OPT_NODE_COUNT},
    {"full-names", 0, 0, OPT_FULL_NAMES},
    {"dot-writer", 0, 1, OPT_WRITER},
};
#define NOPTS (sizeof OPTS / sizeof OPTS[0])

static const char *const LABEL_NAMES[] = {
    "total-time-percentage", "self-time-percentage", "total-time", "self-time",
};

void pg_options_init(pg_options *o)
{
    memset(o, 0, sizeof *o);
    o->node_thres = 0.5;
    o->edge_thres = 0.1;
    o->theme = &THEMES[PG_THEME_COLOR];
    o->skew = 1.0;
    o->time_format = "%.7g";
    o->depth = -1;
    o->writer = PG_WRITER_AUTO;
}

void pg_options_free(pg_options *o)
{
    free(o->paths);
    free(o->focus);
    free(o->ignore);
    free(o->hide);
    free(o->inputs);
    o->paths = o->focus = o->ignore = o->hide = o->inputs = NULL;
    o->npaths = o->nfocus = o->nignore = o->nhide = o->ninputs = 0;
}

const char *pg_options_help(void)
{
    return
        "  -o FILE, --output=FILE       output file (default: standard output)\n"
        "  -n PCT, --node-thres=PCT     drop nodes below PCT% of the total time (0.5)\n"
        "  -e PCT, --edge-thres=PCT     drop edges below PCT% of the total time (0.1)\n"
        "  -f pstats, --format=pstats   input format (optional: pstats is the only one)\n"
        "  -c THEME, --colormap=THEME   color, pink, gray, bw or print (color)\n"
        "  -s, --strip                  strip (...) and <...> groups from names\n"
        "  --color-nodes-by-selftime    colour nodes by self time, not total time\n"
        "  -w, --wrap                   wrap names longer than 32 characters\n"
        "  --show-samples               show samples (none in pstats: no effect)\n"
        "  --time-format=FMT            Python %-format of times (%.7g)\n"
        "  --node-label=MEASURE         total-time-percentage, self-time-percentage,\n"
        "                               total-time or self-time; repeatable\n"
        "  --list-functions=SELECTOR    print the functions matching a glob ('*' all,\n"
        "                               '%GLOB' with details) on stderr and stop\n"
        "  -z GLOB, --root=GLOB         keep only what the functions matching GLOB call\n"
        "  -l GLOB, --leaf=GLOB         keep only what calls the functions matching GLOB\n"
        "  --depth=N                    steps from the root or leaf (-1: unlimited)\n"
        "  --skew=S                     colour skew: <1 spreads low, >1 high weights (1)\n"
        "  -p PREFIX, --path=PREFIX     keep only files starting with PREFIX; repeatable\n"
        "  -T FORMAT                    render with Graphviz (png, svg, pdf, ...)\n"
        "  --focus=RE                   keep only call paths through functions matching RE\n"
        "  --ignore=RE                  drop functions matching RE and what only they reach\n"
        "  --hide=RE                    drop functions matching RE, linking their callers\n"
        "                               to their callees (estimated edges are dotted)\n"
        "  --node-count=N               keep the N heaviest nodes (0: all)\n"
        "  --full-names                 full file names instead of module names\n"
        "  --dot-writer=auto|cgraph|text  how dot text is written (auto: cgraph up to\n"
        "                               20000 nodes and edges, then a streaming writer)\n"
        "  RE are Python regular expressions on file:line(function); GLOB are shell\n"
        "  patterns on the node names (module:line:function).\n";
}

static int usage_err(ps_error *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int usage_err(ps_error *e, const char *fmt, ...)
{
    char msg[sizeof e->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return ps_error_set(e, PS_EUSAGE, -1, "%s", msg);
}

static int parse_float(const char *opt, const char *v, double *out, ps_error *e)
{
    char *end;
    errno = 0;
    while (isspace((unsigned char)*v))
        v++;
    double d = strtod(v, &end);
    while (end != v && isspace((unsigned char)*end))
        end++;
    if (end == v || *end)
        return usage_err(e, "option %s: invalid floating-point value: '%s'", opt, v);
    *out = d;
    return 0;
}

static int parse_long(const char *opt, const char *v, long *out, ps_error *e)
{
    char *end;
    errno = 0;
    const char *s = v;
    while (isspace((unsigned char)*s))
        s++;
    int base = 10;
    const char *digits = s + (*s == '-' || *s == '+');
    if (digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X'))
        base = 16;
    long l = strtol(s, &end, base);
    while (end != s && isspace((unsigned char)*end))
        end++;
    if (end == s || *end || errno)
        return usage_err(e, "option %s: invalid integer value: '%s'", opt, v);
    *out = l;
    return 0;
}

static int push_str(const char ***arr, size_t *n, const char *s, ps_error *e)
{
    const char **a = realloc((void *)*arr, (*n + 1) * sizeof *a);
    if (!a)
        return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
    a[(*n)++] = s;
    *arr = a;
    return 0;
}

static int apply_opt(pg_options *o, const opt_def *d, const char *shown, const char *v, ps_error *e)
{
    switch (d->id) {
    case OPT_HELP: o->help = 1; return 0;
    case OPT_VERSION: o->version = 1; return 0;
    case OPT_OUTPUT: o->output = v; return 0;
    case OPT_NODE_THRES: return parse_float(shown, v, &o->node_thres, e);
    case OPT_EDGE_THRES: return parse_float(shown, v, &o->edge_thres, e);
    case OPT_FORMAT:
        if (strcmp(v, "pstats") != 0)
            return usage_err(e, "option %s: only pstats input is supported (got '%s')", shown, v);
        o->format = v;
        return 0;
    case OPT_TOTAL:
        if (strcmp(v, "callratios") != 0 && strcmp(v, "callstacks") != 0)
            return usage_err(e, "option %s: invalid choice: '%s' (choose from 'callratios', 'callstacks')",
                             shown, v);
        o->total = v;
        return 0;
    case OPT_COLORMAP: {
        const pg_theme *t = pg_theme_find(v);
        if (!t)
            return usage_err(e, "option %s: invalid choice: '%s' (choose from 'color', 'pink', 'gray', "
                             "'bw', 'print')", shown, v);
        o->theme = t;
        return 0;
    }
    case OPT_STRIP: o->strip = 1; return 0;
    case OPT_SELFTIME: o->color_by_selftime = 1; return 0;
    case OPT_WRAP: o->wrap = 1; return 0;
    case OPT_SAMPLES: o->show_samples = 1; return 0;
    case OPT_TIME_FORMAT: o->time_format = v; return 0;
    case OPT_NODE_LABEL:
        for (int i = 0; i < 4; i++)
            if (strcmp(v, LABEL_NAMES[i]) == 0) {
                if (o->nlabels == PG_MAX_LABELS)
                    return usage_err(e, "option %s: at most %d labels", shown, PG_MAX_LABELS);
                o->labels[o->nlabels++] = i;
                return 0;
            }
        return usage_err(e, "option %s: invalid choice: '%s' (choose from 'self-time', "
                         "'self-time-percentage', 'total-time', 'total-time-percentage')", shown, v);
    case OPT_LIST: o->list_functions = v; return 0;
    case OPT_ROOT: o->root = v; return 0;
    case OPT_LEAF: o->leaf = v; return 0;
    case OPT_DEPTH: return parse_long(shown, v, &o->depth, e);
    case OPT_SKEW:
        if (parse_float(shown, v, &o->skew, e) < 0)
            return -1;
        if (o->skew < 0)
            return usage_err(e, "option %s: skew must be greater than 0 (got %s)", shown, v);
        if (o->skew == 0.0)
            o->skew = 1.0;           /* gprof2dot: 0 leaves the theme's skew */
        return 0;
    case OPT_PATH: return push_str(&o->paths, &o->npaths, v, e);
    case OPT_COMPARE:
        return usage_err(e, "option %s: comparing two profiles is not supported", shown);
    case OPT_RENDER:
        if (!*v)
            return usage_err(e, "option %s: empty format", shown);
        o->render = v;
        return 0;
    case OPT_FOCUS: return push_str(&o->focus, &o->nfocus, v, e);
    case OPT_IGNORE: return push_str(&o->ignore, &o->nignore, v, e);
    case OPT_HIDE: return push_str(&o->hide, &o->nhide, v, e);
    case OPT_NODE_COUNT:
        if (parse_long(shown, v, &o->node_count, e) < 0)
            return -1;
        if (o->node_count < 0)
            return usage_err(e, "option %s: must be 0 or more (got %s)", shown, v);
        return 0;
    case OPT_FULL_NAMES: o->full_names = 1; return 0;
    case OPT_WRITER:
        if (!strcmp(v, "auto"))
            o->writer = PG_WRITER_AUTO;
        else if (!strcmp(v, "cgraph"))
            o->writer = PG_WRITER_CGRAPH;
        else if (!strcmp(v, "text"))
            o->writer = PG_WRITER_TEXT;
        else
            return usage_err(e, "option %s: invalid choice: '%s' (choose from 'auto', 'cgraph', 'text')",
                             shown, v);
        return 0;
    }
    return usage_err(e, "option %s: not handled", shown);
}

int pg_options_parse(pg_options *o, int argc, char **argv, ps_error *e)
{
    ps_error_clear(e);
    int only_args = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (only_args || a[0] != '-' || a[1] == '\0') {
            if (push_str(&o->inputs, &o->ninputs, a, e) < 0)
                return -1;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_args = 1;
            continue;
        }
        if (a[1] == '-') {
            const char *name = a + 2;
            const char *eq = strchr(name, '=');
            size_t nl = eq ? (size_t)(eq - name) : strlen(name);
            const opt_def *hit = NULL;
            int nhits = 0;
            char cands[256] = "";
            for (size_t k = 0; k < NOPTS; k++) {
                if (!OPTS[k].name || strncmp(OPTS[k].name, name, nl) != 0)
                    continue;
                if (strlen(OPTS[k].name) == nl) {   /* exact */
                    hit = &OPTS[k];
                    nhits = 1;
                    break;
                }
                if (!hit || hit->id != OPTS[k].id)
                    nhits++;
                hit = &OPTS[k];
                size_t cl = strlen(cands);
                snprintf(cands + cl, sizeof cands - cl, "%s--%s", cl ? ", " : "", OPTS[k].name);
            }
            if (!hit)
                return usage_err(e, "no such option: --%.*s", (int)nl, name);
            if (nhits > 1)
                return usage_err(e, "ambiguous option: --%.*s (%s?)", (int)nl, name, cands);
            char shown[80];
            snprintf(shown, sizeof shown, "--%s", hit->name);
            const char *v = NULL;
            if (hit->has_arg) {
                if (eq)
                    v = eq + 1;
                else if (i + 1 < argc)
                    v = argv[++i];
                else
                    return usage_err(e, "%s option requires an argument", shown);
            } else if (eq) {
                return usage_err(e, "%s option does not take a value", shown);
            }
            if (apply_opt(o, hit, shown, v, e) < 0)
                return -1;
            continue;
        }
        /* short options, clustered: -sw, -n0, -n 0 */
        for (const char *p = a + 1; *p; p++) {
            const opt_def *hit = NULL;
            for (size_t k = 0; k < NOPTS; k++)
                if (OPTS[k].shortc == *p) {
                    hit = &OPTS[k];
                    break;
                }
            if (!hit)
                return usage_err(e, "no such option: -%c", *p);
            char shown[4] = {'-', *p, '\0', '\0'};
            if (!hit->has_arg) {
                if (apply_opt(o, hit, shown, NULL, e) < 0)
                    return -1;
                continue;
            }
            const char *v;
            if (p[1])
                v = p + 1;
            else if (i + 1 < argc)
                v = argv[++i];
            else
                return usage_err(e, "%s option requires an argument", shown);
            if (apply_opt(o, hit, shown, v, e) < 0)
                return -1;
            break;
        }
    }
    return 0;
}

/* ---- building the graph --------------------------------------------------------- */

#define NONE UINT32_MAX

/* gprof2dot's ratio(): clamped to [0, 1], and 1.0 for a zero denominator. */
static double py_ratio(double num, double den)
{
    if (den == 0.0)
        return 1.0;
    double r = num / den;
    if (r < 0.0)
        return 0.0;
    if (r > 1.0)
        return 1.0;
    return r;
}

typedef struct builder {
    const ps_stats *s;
    const pg_options *o;
    pg_graph *g;
    ps_error *e;
    uint32_t *in_first;       /* CSR of in-edges by callee (built on demand) */
    uint32_t *in_idx;
} builder;

static int nomem(ps_error *e)
{
    return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
}

static int cmp_callee(const void *a, const void *b)
{
    const pg_edge *x = a, *y = b;
    return x->callee < y->callee ? -1 : x->callee > y->callee;
}

/* Sort each caller's edges by callee and index them from the nodes. */
static void index_edges(pg_graph *g)
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

static void drop_in_index(builder *b)
{
    free(b->in_first);
    free(b->in_idx);
    b->in_first = b->in_idx = NULL;
}

static int build_in_index(builder *b)
{
    if (b->in_first)
        return 0;
    pg_graph *g = b->g;
    b->in_first = calloc((size_t)g->nnodes + 1, sizeof *b->in_first);
    b->in_idx = malloc((g->nedges + 1) * sizeof *b->in_idx);
    if (!b->in_first || !b->in_idx) {
        drop_in_index(b);
        return nomem(b->e);
    }
    for (size_t i = 0; i < g->nedges; i++)
        b->in_first[g->edges[i].callee + 1]++;
    for (uint32_t i = 0; i < g->nnodes; i++)
        b->in_first[i + 1] += b->in_first[i];
    uint32_t *pos = malloc(((size_t)g->nnodes + 1) * sizeof *pos);
    if (!pos) {
        drop_in_index(b);
        return nomem(b->e);
    }
    memcpy(pos, b->in_first, ((size_t)g->nnodes + 1) * sizeof *pos);
    for (size_t i = 0; i < g->nedges; i++)
        b->in_idx[pos[g->edges[i].callee]++] = (uint32_t)i;
    free(pos);
    return 0;
}

/* An edge that is drawn: alive, between two alive nodes. */
static int edge_live(const pg_graph *g, const pg_edge *ed)
{
    return ed->alive && g->nodes[ed->caller].alive && g->nodes[ed->callee].alive;
}

static int number_functions(builder *b)
{
    const ps_stats *s = b->s;
    pg_graph *g = b->g;
    uint32_t *idof = malloc(((size_t)s->nfuncs + 1) * sizeof *idof);
    if (!idof)
        return nomem(b->e);
    memset(idof, 0xff, ((size_t)s->nfuncs + 1) * sizeof *idof);
    uint32_t n = 0;
    size_t nedges = 0;
    for (uint32_t i = 0; i < s->nentries; i++) {
        const ps_entry *en = &s->entries[i];
        if (idof[en->func] == NONE)
            idof[en->func] = n++;
        for (uint32_t j = 0; j < en->ncallers; j++)
            if (idof[en->callers[j].caller] == NONE)
                idof[en->callers[j].caller] = n++;
        nedges += en->ncallers;
    }
    g->nnodes = n;
    g->nodes = calloc((size_t)n + 1, sizeof *g->nodes);
    g->edges = malloc((nedges + 1) * sizeof *g->edges);
    uint32_t *fill = calloc((size_t)n + 1, sizeof *fill);
    if (!g->nodes || !g->edges || !fill) {
        free(idof);
        free(fill);
        return nomem(b->e);
    }
    for (uint32_t f = 0; f < s->nfuncs; f++)
        if (idof[f] != NONE) {
            g->nodes[idof[f]].func = f;
            g->nodes[idof[f]].id = idof[f];
            g->nodes[idof[f]].alive = 1;
        }
    /* out-degrees, so each caller's edges land together (counted in fill:
     * small enough to stay in cache, unlike the node records) */
    for (uint32_t i = 0; i < s->nentries; i++) {
        const ps_entry *en = &s->entries[i];
        for (uint32_t j = 0; j < en->ncallers; j++)
            fill[idof[en->callers[j].caller]]++;
    }
    uint32_t acc = 0;
    for (uint32_t i = 0; i < n; i++) {
        g->nodes[i].out_first = acc;
        g->nodes[i].out_n = fill[i];
        fill[i] = acc;
        acc += g->nodes[i].out_n;
    }
    /* the profile's totals and every function's and call's numbers */
    double time = 0.0, total = s->total_tt;
    for (uint32_t i = 0; i < s->nentries; i++) {
        const ps_entry *en = &s->entries[i];
        uint32_t callee = idof[en->func];
        pg_node *nd = &g->nodes[callee];
        nd->has_stats = 1;
        nd->called = en->nc;
        nd->tt = en->tt;
        nd->ct = en->ct;
        time += en->tt;
        total = py_max(total, en->ct);
        /* gprof2dot reuses the entry's nc and ct variables for each tuple
         * caller, so an int caller after a tuple one is scaled by that
         * tuple's numbers. */
        double cur_nc = (double)en->nc, cur_ct = en->ct;
        for (uint32_t j = 0; j < en->ncallers; j++) {
            const ps_edge *ed = &en->callers[j];
            uint32_t caller = idof[ed->caller];
            pg_edge *out = &g->edges[fill[caller]++];
            out->caller = caller;
            out->callee = callee;
            out->alive = 1;
            out->estimated = 0;
            if (ed->shape == PS_EDGE_TUPLE) {
                out->calls = ed->cc;
                out->weight = ed->ct;          /* a time for now */
                cur_nc = (double)ed->nc;
                cur_ct = ed->ct;
            } else {
                out->calls = ed->nc;
                out->weight = py_ratio((double)ed->nc, cur_nc) * cur_ct;
            }
        }
    }
    g->nedges = nedges;
    g->time = time;
    g->total_time = total;
    for (uint32_t i = 0; i < n; i++) {
        pg_node *nd = &g->nodes[i];
        if (nd->has_stats) {
            nd->time_ratio = py_ratio(nd->tt, time);
            nd->total_ratio = py_ratio(nd->ct, total);
        }
        nd->weight = nd->total_ratio;
    }
    for (size_t i = 0; i < nedges; i++)
        g->edges[i].weight = py_ratio(g->edges[i].weight, total);
    free(idof);
    free(fill);
    index_edges(g);
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
    char *s = arena_alloc(&b->g->mem, total);
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

const char *pg_node_tooltip(const pg_graph *g, const pg_node *n)
{
    return g->stats->funcs[n->func].file->s;
}

/* ---- --focus, --ignore, --hide ---------------------------------------------------- */

/* flags[i] = 1 for alive nodes whose file:line(function) matches any pattern. */
static int match_regexes(builder *b, const char **pats, size_t npats, const char *what,
                         uint8_t *flags, size_t *nmatched)
{
    pg_graph *g = b->g;
    sel_regex **res = calloc(npats + 1, sizeof *res);
    if (!res)
        return nomem(b->e);
    for (size_t k = 0; k < npats; k++) {
        char err[256];
        res[k] = sel_regex_compile(pats[k], err, sizeof err);
        if (!res[k]) {
            for (size_t j = 0; j < k; j++)
                sel_regex_free(res[j]);
            free(res);
            return ps_error_set(b->e, PS_EUSAGE, -1, "--%s %s: bad regular expression: %s", what,
                                pats[k], err);
        }
    }
    size_t cap = 1024;
    char *buf = malloc(cap);
    *nmatched = 0;
    for (uint32_t i = 0; buf && i < g->nnodes; i++) {
        flags[i] = 0;
        if (!g->nodes[i].alive)
            continue;
        size_t len = stats_std_name(b->s, g->nodes[i].func, buf, cap);
        if (len >= cap) {
            char *nb = realloc(buf, len + 1);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap = len + 1;
            stats_std_name(b->s, g->nodes[i].func, buf, cap);
        }
        for (size_t k = 0; k < npats; k++)
            if (sel_regex_search(res[k], buf, len)) {
                flags[i] = 1;
                (*nmatched)++;
                break;
            }
    }
    for (size_t k = 0; k < npats; k++)
        sel_regex_free(res[k]);
    free(res);
    if (!buf)
        return nomem(b->e);
    free(buf);
    return 0;
}

/* Iterative Tarjan over live edges: comp[i] for alive nodes. */
static int scc(builder *b, uint32_t *comp, uint32_t *ncomp)
{
    pg_graph *g = b->g;
    uint32_t n = g->nnodes;
    uint32_t *index = malloc(((size_t)n + 1) * sizeof *index);
    uint32_t *low = malloc(((size_t)n + 1) * sizeof *low);
    uint32_t *stack = malloc(((size_t)n + 1) * sizeof *stack);
    uint32_t *cstack = malloc(((size_t)n + 1) * sizeof *cstack);
    uint32_t *cpos = malloc(((size_t)n + 1) * sizeof *cpos);
    uint8_t *on = calloc((size_t)n + 1, 1);
    if (!index || !low || !stack || !cstack || !cpos || !on) {
        free(index), free(low), free(stack), free(cstack), free(cpos), free(on);
        return nomem(b->e);
    }
    memset(index, 0xff, ((size_t)n + 1) * sizeof *index);
    uint32_t next = 0, sp = 0, nc = 0;
    for (uint32_t root = 0; root < n; root++) {
        if (!g->nodes[root].alive || index[root] != NONE)
            continue;
        uint32_t csp = 0;
        cstack[csp] = root;
        cpos[csp++] = 0;
        index[root] = low[root] = next++;
        stack[sp++] = root;
        on[root] = 1;
        while (csp) {
            uint32_t v = cstack[csp - 1];
            const pg_node *nv = &g->nodes[v];
            if (cpos[csp - 1] < nv->out_n) {
                const pg_edge *ed = &g->edges[nv->out_first + cpos[csp - 1]++];
                if (!edge_live(g, ed))
                    continue;
                uint32_t w = ed->callee;
                if (index[w] == NONE) {
                    index[w] = low[w] = next++;
                    stack[sp++] = w;
                    on[w] = 1;
                    cstack[csp] = w;
                    cpos[csp++] = 0;
                } else if (on[w] && index[w] < low[v]) {
                    low[v] = index[w];
                }
                continue;
            }
            if (low[v] == index[v]) {
                uint32_t w;
                do {
                    w = stack[--sp];
                    on[w] = 0;
                    comp[w] = nc;
                } while (w != v);
                nc++;
            }
            csp--;
            if (csp) {
                uint32_t u = cstack[csp - 1];
                if (low[v] < low[u])
                    low[u] = low[v];
            }
        }
    }
    *ncomp = nc;
    free(index), free(low), free(stack), free(cstack), free(cpos), free(on);
    return 0;
}

/* ---- time flowing through a set of functions ----------------------------------
 * pstats has no stacks, so "the time spent on paths through f" can only be
 * estimated.  Along a call u -> v the share of u's time that goes to v is
 * w(u->v) / total(u) (and of v's time that comes from u, w(u->v) / total(v));
 * the estimate for a node is the best product over call paths from the seeds
 * (a widest-path search: the shares are at most 1, so cycles never help). */

typedef struct heap_item {
    double key;
    uint32_t node;
} heap_item;

static void heap_push(heap_item *h, size_t *n, heap_item it)
{
    size_t i = (*n)++;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (h[p].key >= it.key)
            break;
        h[i] = h[p];
        i = p;
    }
    h[i] = it;
}

static heap_item heap_pop(heap_item *h, size_t *n)
{
    heap_item top = h[0], last = h[--(*n)];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= *n)
            break;
        if (c + 1 < *n && h[c + 1].key > h[c].key)
            c++;
        if (h[c].key <= last.key)
            break;
        h[i] = h[c];
        i = c;
    }
    if (*n)
        h[i] = last;
    return top;
}

static double fraction_of(double part, double whole)
{
    if (!(whole > 0.0) || !(part > 0.0))
        return 0.0;
    double r = part / whole;
    return r > 1.0 ? 1.0 : r;
}

/* flow[i]: the estimated fraction of the profile's time of node i on call
 * paths from (forward) or to (backward) the seeds, -1 where none leads;
 * blocked nodes are never entered. */
static int best_flow(builder *b, const uint8_t *seed, const uint8_t *blocked, int backward, double *flow)
{
    pg_graph *g = b->g;
    uint32_t n = g->nnodes;
    if (backward && build_in_index(b) < 0)
        return -1;
    heap_item *h = malloc((g->nedges + (size_t)n + 1) * sizeof *h);
    uint8_t *done = calloc((size_t)n + 1, 1);
    if (!h || !done) {
        free(h), free(done);
        return nomem(b->e);
    }
    size_t nh = 0;
    for (uint32_t i = 0; i < n; i++) {
        flow[i] = -1.0;
        if (seed[i] && g->nodes[i].alive && !(blocked && blocked[i])) {
            flow[i] = g->nodes[i].total_ratio;
            heap_push(h, &nh, (heap_item){flow[i], i});
        }
    }
    while (nh) {
        heap_item it = heap_pop(h, &nh);
        uint32_t v = it.node;
        if (done[v] || it.key < flow[v])
            continue;
        done[v] = 1;
        const pg_node *nv = &g->nodes[v];
        uint32_t lo = backward ? b->in_first[v] : nv->out_first;
        uint32_t hi = backward ? b->in_first[v + 1] : nv->out_first + nv->out_n;
        for (uint32_t k = lo; k < hi; k++) {
            const pg_edge *ed = &g->edges[backward ? b->in_idx[k] : k];
            uint32_t w = backward ? ed->caller : ed->callee;
            if (!edge_live(g, ed) || done[w] || (blocked && blocked[w]))
                continue;
            double f = flow[v] * fraction_of(ed->weight, nv->total_ratio);
            if (f > g->nodes[w].total_ratio)
                f = g->nodes[w].total_ratio;
            if (f > flow[w]) {
                flow[w] = f;
                heap_push(h, &nh, (heap_item){f, w});
            }
        }
    }
    free(h), free(done);
    return 0;
}

/* --ignore: drop the matches, and what then no longer gets at least -n
 * percent of the time from the roots.  The roots are one function per source
 * component of the call graph (the one with the largest total time):
 * `disable`, and `exec` in a cProfile run. */
static int apply_ignore(builder *b)
{
    pg_graph *g = b->g;
    uint32_t n = g->nnodes;
    uint8_t *hit = calloc((size_t)n + 1, 1);
    uint32_t *comp = malloc(((size_t)n + 1) * sizeof *comp);
    if (!hit || !comp) {
        free(hit), free(comp);
        return nomem(b->e);
    }
    size_t nhit;
    uint32_t ncomp = 0;
    if (match_regexes(b, b->o->ignore, b->o->nignore, "ignore", hit, &nhit) < 0 ||
        scc(b, comp, &ncomp) < 0) {
        free(hit), free(comp);
        return -1;
    }
    if (nhit == 0) {
        free(hit), free(comp);
        return 0;
    }
    uint8_t *entered = calloc((size_t)ncomp + 1, 1);
    uint32_t *best = malloc(((size_t)ncomp + 1) * sizeof *best);
    uint8_t *root = calloc((size_t)n + 1, 1);
    double *flow = malloc(((size_t)n + 1) * sizeof *flow);
    if (!entered || !best || !root || !flow) {
        free(hit), free(comp), free(entered), free(best), free(root), free(flow);
        return nomem(b->e);
    }
    memset(best, 0xff, ((size_t)ncomp + 1) * sizeof *best);
    for (size_t i = 0; i < g->nedges; i++) {
        const pg_edge *ed = &g->edges[i];
        if (edge_live(g, ed) && comp[ed->caller] != comp[ed->callee])
            entered[comp[ed->callee]] = 1;
    }
    for (uint32_t i = 0; i < n; i++) {
        if (!g->nodes[i].alive || entered[comp[i]])
            continue;
        uint32_t *bb = &best[comp[i]];
        if (*bb == NONE || g->nodes[i].ct > g->nodes[*bb].ct)
            *bb = i;
    }
    for (uint32_t c = 0; c < ncomp; c++)
        if (best[c] != NONE)
            root[best[c]] = 1;
    int rc = best_flow(b, root, hit, 0, flow);
    double thres = b->o->node_thres / 100.0;
    if (rc == 0)
        for (uint32_t i = 0; i < n; i++)
            if (hit[i] || flow[i] < 0.0 || flow[i] < thres)
                g->nodes[i].alive = 0;
    free(hit), free(comp), free(entered), free(best), free(root), free(flow);
    return rc;
}

/* --focus: keep the functions with at least -n percent of the time on call
 * paths through a match (callers and callees), and the calls on such paths. */
static int apply_focus(builder *b)
{
    pg_graph *g = b->g;
    uint32_t n = g->nnodes;
    uint8_t *hit = calloc((size_t)n + 1, 1);
    double *up = malloc(((size_t)n + 1) * sizeof *up), *down = malloc(((size_t)n + 1) * sizeof *down);
    if (!hit || !up || !down) {
        free(hit), free(up), free(down);
        return nomem(b->e);
    }
    size_t nhit;
    if (match_regexes(b, b->o->focus, b->o->nfocus, "focus", hit, &nhit) < 0) {
        free(hit), free(up), free(down);
        return -1;
    }
    if (nhit == 0) {
        free(hit), free(up), free(down);
        if (b->o->nfocus == 1)
            return ps_error_set(b->e, PS_EUSAGE, -1, "focus %s matches no function", b->o->focus[0]);
        return ps_error_set(b->e, PS_EUSAGE, -1, "no --focus expression matches a function");
    }
    if (best_flow(b, hit, NULL, 1, up) < 0 || best_flow(b, hit, NULL, 0, down) < 0) {
        free(hit), free(up), free(down);
        return -1;
    }
    double thres = b->o->node_thres / 100.0;
    for (uint32_t i = 0; i < n; i++) {
        /* a match stays whatever its weight; the thresholds come later */
        int on_up = up[i] >= 0.0 && (up[i] >= thres || hit[i]);
        int on_down = down[i] >= 0.0 && (down[i] >= thres || hit[i]);
        up[i] = on_up;
        down[i] = on_down;
    }
    for (size_t i = 0; i < g->nedges; i++) {
        pg_edge *ed = &g->edges[i];
        if (ed->alive && !(up[ed->caller] && up[ed->callee]) && !(down[ed->caller] && down[ed->callee]))
            ed->alive = 0;
    }
    for (uint32_t i = 0; i < n; i++)
        if (!up[i] && !down[i])
            g->nodes[i].alive = 0;
    free(hit), free(up), free(down);
    return 0;
}

/* A small hash map (caller, callee) -> accumulated weight and calls. */
typedef struct via {
    uint64_t key;         /* caller << 32 | callee, UINT64_MAX when empty */
    double weight, calls;
} via;
typedef struct via_map {
    via *slot;
    size_t cap, n;
} via_map;

static int via_add(via_map *m, uint32_t u, uint32_t v, double w, double c)
{
    if ((m->n + 1) * 2 > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 256;
        via *ns = malloc(cap * sizeof *ns);
        if (!ns)
            return -1;
        for (size_t i = 0; i < cap; i++)
            ns[i].key = UINT64_MAX;
        for (size_t i = 0; i < m->cap; i++) {
            if (m->slot[i].key == UINT64_MAX)
                continue;
            size_t h = (size_t)(m->slot[i].key * 0x9e3779b97f4a7c15ULL >> 20) & (cap - 1);
            while (ns[h].key != UINT64_MAX)
                h = (h + 1) & (cap - 1);
            ns[h] = m->slot[i];
        }
        free(m->slot);
        m->slot = ns;
        m->cap = cap;
    }
    uint64_t key = (uint64_t)u << 32 | v;
    size_t h = (size_t)(key * 0x9e3779b97f4a7c15ULL >> 20) & (m->cap - 1);
    while (m->slot[h].key != UINT64_MAX && m->slot[h].key != key)
        h = (h + 1) & (m->cap - 1);
    if (m->slot[h].key == UINT64_MAX) {
        m->slot[h].key = key;
        m->slot[h].weight = m->slot[h].calls = 0.0;
        m->n++;
    }
    m->slot[h].weight += w;
    m->slot[h].calls += c;
    return 0;
}

static double share(double part, double whole)
{
    if (!(whole > 0.0))
        return 0.0;
    double r = part / whole;
    return r > 1.0 ? 1.0 : r < 0.0 ? 0.0 : r;
}

/* Remove the functions flagged in hid, linking each caller u of a removed h
 * to h's callees v (through chains of removed functions) with u's share of
 * h's time and calls.  --hide (merge = 1): an existing u -> v call absorbs
 * the estimate, as pprof re-stacks the samples.  --node-count (merge = 0):
 * only missing links are added, as pprof's residual edges, if they reach
 * min_weight.  New edges are marked estimated (drawn dotted).  Shares below
 * eps are not followed, so relinking thousands of functions of a big
 * profile stays cheap.  Takes hid. */
static int relink(builder *b, uint8_t *hid, int merge, double min_weight, double eps)
{
    pg_graph *g = b->g;
    uint32_t n = g->nnodes;
    uint32_t *stamp = malloc(((size_t)n + 1) * sizeof *stamp);
    typedef struct item { uint32_t node; double tf, cf; } item;
    item *stack = malloc(((size_t)n + 1) * sizeof *stack);
    via_map m = {0};
    if (!stamp || !stack) {
        free(hid), free(stamp), free(stack);
        return nomem(b->e);
    }
    memset(stamp, 0xff, ((size_t)n + 1) * sizeof *stamp);
    int rc = 0;
    for (uint32_t u = 0; u < n && rc == 0; u++) {
        const pg_node *nu = &g->nodes[u];
        if (!nu->alive || hid[u])
            continue;
        size_t sp = 0;
        for (uint32_t k = 0; k < nu->out_n; k++) {
            const pg_edge *ed = &g->edges[nu->out_first + k];
            uint32_t h = ed->callee;
            if (!edge_live(g, ed) || !hid[h] || stamp[h] == u || !(ed->weight >= eps))
                continue;
            stamp[h] = u;
            const pg_node *nh = &g->nodes[h];
            stack[sp++] = (item){h, share(ed->weight, nh->total_ratio),
                                 share((double)ed->calls, (double)nh->called)};
        }
        while (sp && rc == 0) {
            item it = stack[--sp];
            const pg_node *nh = &g->nodes[it.node];
            for (uint32_t k = 0; k < nh->out_n; k++) {
                const pg_edge *ed = &g->edges[nh->out_first + k];
                uint32_t v = ed->callee;
                if (!edge_live(g, ed) || v == it.node)
                    continue;
                double w = it.tf * ed->weight;
                if (!(w >= eps))
                    continue;
                if (hid[v]) {
                    if (stamp[v] == u)
                        continue;
                    stamp[v] = u;
                    const pg_node *nv = &g->nodes[v];
                    stack[sp++] = (item){v, it.tf * share(ed->weight, nv->total_ratio),
                                         it.cf * share((double)ed->calls, (double)nv->called)};
                } else if (via_add(&m, u, v, w, it.cf * (double)ed->calls) < 0) {
                    rc = nomem(b->e);
                }
            }
        }
    }
    free(stamp);
    free(stack);
    if (rc < 0) {
        free(hid);
        free(m.slot);
        return rc;
    }
    /* merge into existing edges, append the new ones */
    size_t extra = 0;
    for (size_t i = 0; i < m.cap; i++) {
        via *x = &m.slot[i];
        if (x->key == UINT64_MAX)
            continue;
        uint32_t u = (uint32_t)(x->key >> 32), v = (uint32_t)x->key;
        const pg_node *nu = &g->nodes[u];
        pg_edge key = {.callee = v};
        pg_edge *hitp = nu->out_n ? bsearch(&key, g->edges + nu->out_first, nu->out_n, sizeof key,
                                            cmp_callee) : NULL;
        if (hitp && hitp->alive) {
            if (merge) {             /* the direct call absorbs the estimate */
                double w = hitp->weight + x->weight;
                hitp->weight = w > 1.0 ? 1.0 : w;
                hitp->calls += llround(x->calls);
            }
            x->key = UINT64_MAX;
        } else if (!(x->weight >= min_weight)) {
            x->key = UINT64_MAX;     /* too small to draw */
        } else if (hitp) {
            /* a call dropped earlier (--focus, thresholds): revive it as an estimate */
            hitp->alive = 1;
            hitp->estimated = 1;
            hitp->weight = x->weight > 1.0 ? 1.0 : x->weight;
            hitp->calls = llround(x->calls);
            x->key = UINT64_MAX;
        } else {
            extra++;
        }
    }
    if (extra) {
        pg_edge *ne = realloc(g->edges, (g->nedges + extra + 1) * sizeof *ne);
        if (!ne) {
            free(hid);
            free(m.slot);
            return nomem(b->e);
        }
        g->edges = ne;
        for (size_t i = 0; i < m.cap; i++) {
            via *x = &m.slot[i];
            if (x->key == UINT64_MAX)
                continue;
            pg_edge *ed = &g->edges[g->nedges++];
            ed->caller = (uint32_t)(x->key >> 32);
            ed->callee = (uint32_t)x->key;
            ed->weight = x->weight > 1.0 ? 1.0 : x->weight;
            ed->calls = llround(x->calls);
            ed->alive = 1;
            ed->estimated = 1;
        }
        /* back into (caller, callee) order: a stable counting sort by caller */
        uint32_t *first = calloc((size_t)n + 1, sizeof *first);
        pg_edge *sorted = malloc((g->nedges + 1) * sizeof *sorted);
        if (!first || !sorted) {
            free(first), free(sorted), free(hid), free(m.slot);
            return nomem(b->e);
        }
        for (size_t i = 0; i < g->nedges; i++)
            first[g->edges[i].caller + 1]++;
        for (uint32_t i = 0; i < n; i++)
            first[i + 1] += first[i];
        for (size_t i = 0; i < g->nedges; i++)
            sorted[first[g->edges[i].caller]++] = g->edges[i];
        free(first);
        free(g->edges);
        g->edges = sorted;
        index_edges(g);
        drop_in_index(b);
    }
    free(m.slot);
    for (uint32_t i = 0; i < n; i++)
        if (hid[i])
            g->nodes[i].alive = 0;
    free(hid);
    return 0;
}

/* --hide: the matches go, their callers are linked to their callees. */
static int apply_hide(builder *b)
{
    uint8_t *hid = calloc((size_t)b->g->nnodes + 1, 1);
    if (!hid)
        return nomem(b->e);
    size_t nhit;
    if (match_regexes(b, b->o->hide, b->o->nhide, "hide", hid, &nhit) < 0) {
        free(hid);
        return -1;
    }
    if (nhit == 0) {
        free(hid);
        return 0;
    }
    /* shares below 1 % of the edge threshold (1e-9 without one) do not matter */
    return relink(b, hid, 1, 0.0, b->o->edge_thres > 0 ? b->o->edge_thres / 100.0 * 0.01 : 1e-9);
}

/* ---- gprof2dot's pruning ------------------------------------------------------------ */

uint8_t *pg_alive_nodes(const pg_graph *g)
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
    uint8_t *alive = pg_alive_nodes(g);   /* without memory for it, the records do */
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

/* ---- CPython's set, as far as gprof2dot's root and leaf walks depend on it ----
 * gprof2dot walks from the roots with a set of (node, depth) pairs it pops
 * from; which nodes a --depth walk reaches depends on the order the pops come
 * out, which is the order of CPython's hash table.  This reproduces the table
 * (open addressing, 9 linear probes then perturbation, resizes, union by copy
 * and merge, difference, pop with a finger), so the same nodes are kept.
 * Tuple hashes changed in 3.8 and the table's load factor in 3.7: the
 * flavour follows the CPython that wrote the dump (gprof2dot runs under it),
 * recognised by frozen importlib's line numbers; 3.8+ otherwise. */

enum { PE_EMPTY = 0, PE_ACTIVE, PE_DUMMY };
typedef struct pyent {
    int64_t a, b;
    int64_t hash;
    uint8_t state;
} pyent;
enum { PY38 = 0, PY37, PY36 };
typedef struct pyset {
    pyent *table;
    size_t mask, fill, used, finger;
    int flavour;
} pyset;

#define PY_LINEAR_PROBES 9
#define PY_PERTURB_SHIFT 5

static int64_t py_int_hash(int64_t x)
{
    return x == -1 ? -2 : x;     /* node ids and depths are far below 2**61 */
}

static int64_t py_pair_hash(int flavour, int64_t a, int64_t b)
{
    if (flavour != PY38) {           /* the multiplicative tuple hash of 3.7 and before */
        uint64_t x = 0x345678ULL, mult = 1000003ULL;
        int64_t items[2] = {a, b};
        for (int i = 0, left = 2; i < 2; i++) {
            left--;
            x = (x ^ (uint64_t)py_int_hash(items[i])) * mult;
            mult += (uint64_t)(82520 + left + left);
        }
        x += 97531ULL;
        if (x == UINT64_MAX)
            x = (uint64_t)-2;
        return (int64_t)x;
    }
    const uint64_t p1 = 11400714785074694791ULL, p2 = 14029467366897019727ULL,
                   p5 = 2870177450012600261ULL;
    uint64_t acc = p5;
    int64_t items[2] = {a, b};
    for (int i = 0; i < 2; i++) {
        acc += (uint64_t)py_int_hash(items[i]) * p2;
        acc = (acc << 31) | (acc >> 33);
        acc *= p1;
    }
    acc += 2 ^ (p5 ^ 3527539ULL);
    if (acc == UINT64_MAX)
        return 1546275796;
    return (int64_t)acc;
}

static int pyset_init(pyset *s, int flavour)
{
    s->flavour = flavour;
    s->table = calloc(8, sizeof *s->table);
    s->mask = 7;
    s->fill = s->used = s->finger = 0;
    return s->table ? 0 : -1;
}

static void pyset_free(pyset *s)
{
    free(s->table);
    s->table = NULL;
}

static void insert_clean(pyent *table, size_t mask, const pyent *e)
{
    size_t perturb = (size_t)e->hash;
    size_t i = (size_t)e->hash & mask;
    for (;;) {
        pyent *x = &table[i];
        if (x->state == PE_EMPTY)
            goto found;
        if (i + PY_LINEAR_PROBES <= mask)
            for (int j = 0; j < PY_LINEAR_PROBES; j++) {
                x++;
                if (x->state == PE_EMPTY)
                    goto found;
            }
        perturb >>= PY_PERTURB_SHIFT;
        i = (i * 5 + 1 + perturb) & mask;
        continue;
    found:
        *x = *e;
        x->state = PE_ACTIVE;
        return;
    }
}

static int pyset_resize(pyset *s, size_t minused)
{
    size_t newsize = 8;
    while (newsize <= minused)
        newsize <<= 1;
    pyent *nt = calloc(newsize, sizeof *nt);
    if (!nt)
        return -1;
    for (size_t i = 0; i <= s->mask; i++)
        if (s->table[i].state == PE_ACTIVE)
            insert_clean(nt, newsize - 1, &s->table[i]);
    free(s->table);
    s->table = nt;
    s->mask = newsize - 1;
    s->fill = s->used;
    return 0;
}

static int pyset_add(pyset *s, int64_t a, int64_t b, int64_t hash)
{
    size_t mask = s->mask, perturb = (size_t)hash, i = (size_t)hash & mask;
    pyent *freeslot = NULL, *x;
    for (;;) {
        x = &s->table[i];
        int probes = i + PY_LINEAR_PROBES <= mask ? PY_LINEAR_PROBES : 0;
        do {
            if (x->state == PE_EMPTY)
                goto unused_or_dummy;
            if (x->state == PE_ACTIVE && x->hash == hash && x->a == a && x->b == b)
                return 0;
            if (x->state == PE_DUMMY && !freeslot)
                freeslot = x;
            x++;
        } while (probes--);
        perturb >>= PY_PERTURB_SHIFT;
        i = (i * 5 + 1 + perturb) & mask;
    }
unused_or_dummy:
    if (freeslot) {
        *freeslot = (pyent){a, b, hash, PE_ACTIVE};
        s->used++;
        return 0;
    }
    *x = (pyent){a, b, hash, PE_ACTIVE};
    s->fill++;
    s->used++;
    if (s->flavour == PY36 ? s->fill * 3 < mask * 2 : s->fill * 5 < mask * 3)
        return 0;
    return pyset_resize(s, s->used > 50000 ? s->used * 2 : s->used * 4);
}

/* set_merge: so |= other */
static int pyset_merge(pyset *so, const pyset *other)
{
    if (other->used == 0)
        return 0;
    size_t want = so->fill + other->used;
    int grow = so->flavour == PY36 ? want * 3 >= so->mask * 2 : want * 5 >= so->mask * 3;
    if (grow && pyset_resize(so, (so->used + other->used) * 2) < 0)
        return -1;
    if (so->fill == 0 && so->mask == other->mask && other->fill == other->used) {
        for (size_t i = 0; i <= other->mask; i++)
            if (other->table[i].state == PE_ACTIVE)
                so->table[i] = other->table[i];
        so->fill = other->fill;
        so->used = other->used;
        return 0;
    }
    if (so->fill == 0) {
        so->fill = so->used = other->used;
        for (size_t i = 0; i <= other->mask; i++)
            if (other->table[i].state == PE_ACTIVE)
                insert_clean(so->table, so->mask, &other->table[i]);
        return 0;
    }
    for (size_t i = 0; i <= other->mask; i++) {
        const pyent *x = &other->table[i];
        if (x->state == PE_ACTIVE && pyset_add(so, x->a, x->b, x->hash) < 0)
            return -1;
    }
    return 0;
}

static int pyset_copy(pyset *dst, const pyset *src)
{
    if (pyset_init(dst, src->flavour) < 0)
        return -1;
    if (pyset_merge(dst, src) < 0) {
        pyset_free(dst);
        return -1;
    }
    return 0;
}

static pyent pyset_pop(pyset *s)
{
    pyent *x = s->table + (s->finger & s->mask), *limit = s->table + s->mask;
    while (x->state != PE_ACTIVE) {
        x++;
        if (x > limit)
            x = s->table;
    }
    pyent out = *x;
    x->state = PE_DUMMY;
    x->hash = -1;
    s->used--;
    s->finger = (size_t)(x - s->table) + 1;
    return out;
}

/* set(keys) - visited, where keys is a set of node ids: CPython copies and
 * discards when keys is more than four times bigger than visited, else it
 * builds the result by insertion.  The members come back in table order. */
static int pyset_minus(pyset *out, const pyset *keys, const uint8_t *visited, size_t nvisited)
{
    if ((keys->used >> 2) > nvisited) {
        if (pyset_copy(out, keys) < 0)
            return -1;
        for (size_t i = 0; i <= out->mask; i++) {
            pyent *x = &out->table[i];
            if (x->state == PE_ACTIVE && visited[x->a]) {
                x->state = PE_DUMMY;
                x->hash = -1;
                out->used--;
            }
        }
        return 0;
    }
    if (pyset_init(out, keys->flavour) < 0)
        return -1;
    for (size_t i = 0; i <= keys->mask; i++) {
        const pyent *x = &keys->table[i];
        if (x->state == PE_ACTIVE && !visited[x->a] && pyset_add(out, x->a, 0, x->hash) < 0)
            return -1;
    }
    return 0;
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
    size_t cap = 16;
    while (cap < norder * 2)
        cap *= 2;
    uint32_t *slot = malloc(cap * sizeof *slot);   /* name -> index in firsts */
    uint32_t *firsts = malloc((norder + 1) * sizeof *firsts);
    uint32_t *last = malloc((norder + 1) * sizeof *last);
    size_t ntok = 0;
    glob_tok *tok = glob_compile(glob, &ntok);
    if (!slot || !firsts || !last || !tok) {
        free(slot), free(firsts), free(last);
        if (tok)
            glob_free(tok, ntok);
        return nomem(b->e);
    }
    memset(slot, 0xff, cap * sizeof *slot);
    size_t nfirst = 0;
    for (size_t k = 0; k < norder; k++) {
        uint32_t id = order[k];
        const char *nm = g->nodes[id].name;
        size_t h = ps_hash_bytes(nm, strlen(nm)) & (cap - 1);
        while (slot[h] != NONE && strcmp(g->nodes[firsts[slot[h]]].name, nm) != 0)
            h = (h + 1) & (cap - 1);
        if (slot[h] == NONE) {
            slot[h] = (uint32_t)nfirst;
            firsts[nfirst++] = id;
        }
        last[slot[h]] = id;
    }
    size_t n = 0;
    for (size_t k = 0; k < nfirst; k++)
        if (glob_match(tok, ntok, g->nodes[firsts[k]].name))
            last[n++] = last[k];
    glob_free(tok, ntok);
    free(slot);
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
    if (pyset_init(&frontier, flavour) < 0 || pyset_init(&vset, flavour) < 0)
        goto out;
    for (size_t k = 0; k < nstart; k++)
        if (pyset_add(&frontier, start[k], depth, py_pair_hash(flavour, start[k], depth)) < 0)
            goto out;
    size_t nvisited = 0;
    while (frontier.used) {
        pyent top = pyset_pop(&frontier);
        uint32_t v = (uint32_t)top.a;
        if (!visited[v]) {
            visited[v] = 1;
            nvisited++;
            if (pyset_add(&vset, v, 0, py_int_hash(v)) < 0)
                goto out;
        }
        if (top.b == 0)
            continue;
        pyset keys, fresh, pairs, next;
        if (pyset_init(&keys, flavour) < 0)
            goto out;
        for (uint32_t k = first[v]; k < first[v + 1]; k++)
            if (pyset_add(&keys, adj[k], 0, py_int_hash(adj[k])) < 0) {
                pyset_free(&keys);
                goto out;
            }
        int bad = pyset_minus(&fresh, &keys, visited, nvisited);
        pyset_free(&keys);
        if (bad < 0)
            goto out;
        if (pyset_init(&pairs, flavour) < 0) {
            pyset_free(&fresh);
            goto out;
        }
        for (size_t i = 0; i <= fresh.mask && !bad; i++)
            if (fresh.table[i].state == PE_ACTIVE)
                bad = pyset_add(&pairs, fresh.table[i].a, top.b - 1,
                                py_pair_hash(flavour, fresh.table[i].a, top.b - 1));
        pyset_free(&fresh);
        if (bad < 0 || pyset_copy(&next, &frontier) < 0) {
            pyset_free(&pairs);
            goto out;
        }
        bad = pyset_merge(&next, &pairs);
        pyset_free(&pairs);
        pyset_free(&frontier);
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
    pyset_free(&frontier);
    pyset_free(&vset);
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
            pg_buf_free(&out);
            return nomem(b->e);
        }
        if (!all && !pg_fnmatch(glob, nm))
            continue;
        if (!first)
            pg_buf_addz(&out, ",\n");
        first = 0;
        if (all) {
            pg_buf_printf(&out, "%u:\t%s", nd->id, nm);
        } else if (detail) {
            pg_buf_printf(&out, "%s\t(%u)\t(Function)::\n\tid: %u\n\tname: %s\n\tfilename: %s\n",
                          nm, nd->id, nd->id, nm, pg_node_tooltip(g, nd));
            if (nd->has_stats)
                pg_buf_printf(&out, "\tcalled: %lld\n\ttime: %.17g\n\ttotal time: %.17g\n"
                              "\ttime ratio: %.17g\n\ttotal time ratio: %.17g\n",
                              (long long)nd->called, nd->tt, nd->ct, nd->time_ratio, nd->total_ratio);
            pg_buf_printf(&out, "\tweight: %.17g\n\tcalls: ", nd->weight);
            int firstc = 1;
            for (uint32_t k = 0; k < nd->out_n; k++) {
                const pg_edge *ed = &g->edges[nd->out_first + k];
                if (!edge_live(g, ed))
                    continue;
                pg_buf_printf(&out, "%s%u", firstc ? "" : ", ", ed->callee);
                firstc = 0;
            }
        } else {
            pg_buf_addz(&out, nm);
        }
    }
    pg_buf_add(&out, "\n", 1);
    if (out.failed) {
        pg_buf_free(&out);
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
    if (relink(b, drop, 0, min_weight, min_weight * 0.01) < 0)
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

void pg_graph_free(pg_graph *g)
{
    if (!g)
        return;
    free(g->nodes);
    free(g->edges);
    free(g->note);
    free(g->listing);
    arena_free(&g->mem);
    memset(g, 0, sizeof *g);
}

int pg_build(const ps_stats *s, const pg_options *o, pg_graph *g, ps_error *e)
{
    ps_error_clear(e);
    memset(g, 0, sizeof *g);
    arena_init(&g->mem);
    g->stats = s;
    builder b = {s, o, g, e, NULL, NULL};
    /* a --time-format Python would refuse: say so before any work */
    for (int i = 0; i < o->nlabels; i++)
        if (o->labels[i] == PG_LABEL_TOTAL_TIME || o->labels[i] == PG_LABEL_SELF_TIME) {
            pg_buf t = {0};
            int bad = pg_pyformat(&t, o->time_format, 0.5, e);
            pg_buf_free(&t);
            if (bad < 0)
                return -1;
            break;
        }
    int rc = number_functions(&b);
    /* ours first: pprof filters the samples before it builds its graph */
    if (rc == 0 && o->nignore)
        rc = apply_ignore(&b);
    if (rc == 0 && o->nfocus)
        rc = apply_focus(&b);
    if (rc == 0 && o->nhide)
        rc = apply_hide(&b);
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
        drop_in_index(&b);
        if (rc < 0)
            pg_graph_free(g);
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
    drop_in_index(&b);
    if (rc < 0) {
        pg_graph_free(g);
        return rc;
    }
    for (uint32_t i = 0; i < g->nnodes; i++) {
        pg_node *nd = &g->nodes[i];
        if (!nd->alive)
            continue;
        g->kept_nodes++;
        if (!node_name(&b, nd)) {
            pg_graph_free(g);
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
    n += pg_fmt2(tmp + n, ratio * 100.0);
    tmp[n++] = '%';
    if (parens)
        tmp[n++] = ')';
    pg_buf_add(b, tmp, (size_t)n);
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
    pg_buf_add(b, tmp, (size_t)k);
}

int pg_node_label(const pg_graph *g, const pg_options *o, const pg_node *n, pg_buf *out, ps_error *e)
{
    (void)g;
    pg_buf name = {0};
    if (o->strip)
        pg_strip_name(&name, n->name);
    else
        pg_buf_addz(&name, n->name);
    if (name.failed) {
        pg_buf_free(&name);
        return nomem(e);
    }
    /* dot cannot read strings past 16K: gprof2dot cuts names at 4096 */
    if (utf8_length(name.s, name.len) >= 4096) {
        size_t cut = utf8_prefix(name.s, name.len, 4095);
        name.len = cut;
        name.s[cut] = '\0';
        pg_buf_addz(&name, "\xe2\x80\xa6");
    }
    int rc = 0;
    if (o->wrap)
        rc = pg_wrap_name(out, name.s, e);
    else
        pg_buf_add(out, name.s, name.len);
    pg_buf_free(&name);
    if (rc < 0)
        return -1;
    static const int DEFAULT_LABELS[] = {PG_LABEL_TOTAL_TIME_PCT, PG_LABEL_SELF_TIME_PCT};
    const int *labels = o->nlabels ? o->labels : DEFAULT_LABELS;
    int nlabels = o->nlabels ? o->nlabels : 2;
    if (n->has_stats) {
        for (int i = 0; i < nlabels; i++) {
            pg_buf_add(out, "\n", 1);
            switch (labels[i]) {
            case PG_LABEL_TOTAL_TIME_PCT: add_percent(out, n->total_ratio, 0); break;
            case PG_LABEL_SELF_TIME_PCT: add_percent(out, n->time_ratio, 1); break;
            case PG_LABEL_TOTAL_TIME:
                if (pg_pyformat(out, o->time_format, n->ct, e) < 0)
                    return -1;
                break;
            case PG_LABEL_SELF_TIME:
                pg_buf_add(out, "(", 1);
                if (pg_pyformat(out, o->time_format, n->tt, e) < 0)
                    return -1;
                pg_buf_add(out, ")", 1);
                break;
            }
        }
        add_count(out, n->called, 0);
    }
    return out->failed ? nomem(e) : 0;
}

int pg_edge_label(const pg_graph *g, const pg_edge *ed, pg_buf *out)
{
    (void)g;
    add_percent(out, ed->weight, 0);
    add_count(out, ed->calls, ed->estimated);   /* --hide's edges carry an estimate */
    return out->failed ? -1 : 0;
}
