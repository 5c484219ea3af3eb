/* import_plop.c - plop's default output: repr() of the collector's
 * {stack: count} dict, each stack a tuple of (file, line, function) frames,
 * leaf first, the line being the one executing.
 *
 * Read as the Python literal it is, never evaluated: a dict of tuples of
 * 3-tuples (str, int, str) to ints, with Python's str syntax (either quote,
 * the escapes \\ \' \" \a \b \f \n \r \t \v \ooo \xhh \uhhhh \Uhhhhhhhh and
 * a backslash before anything else kept as is), whitespace and trailing
 * commas where repr() or a hand edit may put them.  The grammar is fixed
 * (dict -> stack tuple -> frame tuple -> atoms), so the parser is a few
 * loops, not a recursion a hostile nesting could exhaust.  Errors say the
 * line and column. */
#include <stdio.h>
#include <string.h>
#include "base/grow.h"
#include "sampled_int.h"

typedef struct plop {
    const char *p, *end, *start;
    ps_sample_builder *b;
    ps_frame *frames;         /* the stack being read, leaf first */
    size_t nframes, capframes;
    char *str;                /* decoded strings, one arena per stack */
    size_t nstr, capstr;
} plop;

static int fail(plop *P, ps_error *e, const char *what)
{
    size_t line = 1, col = 1;
    for (const char *q = P->start; q < P->p; q++) {
        if (*q == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    if (P->p >= P->end)
        return ps_error_set(e, PS_EDATA, -1, "line %zu: expected %s, found the end of the file",
                            line, what);
    return ps_error_set(e, PS_EDATA, -1, "line %zu, column %zu: expected %s, found '%c'", line,
                        col, what, (unsigned char)*P->p >= 0x20 && (unsigned char)*P->p < 0x7f
                                       ? *P->p : '?');
}

static void ws(plop *P)
{
    while (P->p < P->end && (*P->p == ' ' || *P->p == '\n' || *P->p == '\r' || *P->p == '\t'))
        P->p++;
}

static int expect(plop *P, char c, const char *what, ps_error *e)
{
    ws(P);
    if (P->p >= P->end || *P->p != c)
        return fail(P, e, what);
    P->p++;
    return 0;
}

static int put(plop *P, const char *s, size_t n)
{
    if (ps_grow(&P->str, &P->capstr, P->nstr + n, 1) < 0)
        return -1;
    memcpy(P->str + P->nstr, s, n);
    P->nstr += n;
    return 0;
}

static int put_cp(plop *P, uint32_t cp)
{
    char b[4];
    size_t n;
    if (cp < 0x80)
        b[0] = (char)cp, n = 1;
    else if (cp < 0x800)
        b[0] = (char)(0xc0 | cp >> 6), b[1] = (char)(0x80 | (cp & 0x3f)), n = 2;
    else if (cp < 0x10000)
        b[0] = (char)(0xe0 | cp >> 12), b[1] = (char)(0x80 | (cp >> 6 & 0x3f)),
        b[2] = (char)(0x80 | (cp & 0x3f)), n = 3;
    else
        b[0] = (char)(0xf0 | cp >> 18), b[1] = (char)(0x80 | (cp >> 12 & 0x3f)),
        b[2] = (char)(0x80 | (cp >> 6 & 0x3f)), b[3] = (char)(0x80 | (cp & 0x3f)), n = 4;
    return put(P, b, n);
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* A str literal; its decoded text goes to P->str at *off, *len. */
static int string(plop *P, size_t *off, size_t *len, ps_error *e)
{
    ws(P);
    if (P->p >= P->end || (*P->p != '\'' && *P->p != '"'))
        return fail(P, e, "a string");
    char q = *P->p++;
    *off = P->nstr;
    for (;;) {
        if (P->p >= P->end || *P->p == '\n')
            return fail(P, e, "the end of the string");
        char c = *P->p;
        if (c == q) {
            P->p++;
            break;
        }
        if (c != '\\') {
            const char *run = P->p;
            while (P->p < P->end && *P->p != q && *P->p != '\\' && *P->p != '\n')
                P->p++;
            if (put(P, run, (size_t)(P->p - run)) < 0)
                return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
            continue;
        }
        if (P->p + 1 >= P->end)
            return fail(P, e, "an escape after '\\'");
        char x = P->p[1];
        P->p += 2;
        const char *simple = strchr("\\'\"abfnrtv", x);
        int rc = 0;
        if (x && simple) {
            static const char out[] = "\\'\"\a\b\f\n\r\t\v";
            rc = put(P, &out[simple - "\\'\"abfnrtv"], 1);
        } else if (x >= '0' && x <= '7') {
            uint32_t v = (uint32_t)(x - '0');
            for (int k = 0; k < 2 && P->p < P->end && *P->p >= '0' && *P->p <= '7'; k++)
                v = v * 8 + (uint32_t)(*P->p++ - '0');
            rc = put_cp(P, v);
        } else if (x == 'x' || x == 'u' || x == 'U') {
            int nd = x == 'x' ? 2 : x == 'u' ? 4 : 8;
            uint32_t v = 0;
            for (int k = 0; k < nd; k++) {
                int h = P->p < P->end ? hexval(*P->p) : -1;
                if (h < 0)
                    return fail(P, e, "a hexadecimal digit of the escape");
                v = v * 16 + (uint32_t)h;
                P->p++;
            }
            if (v > 0x10ffff)
                return fail(P, e, "a code point up to \\U0010ffff");
            rc = put_cp(P, v);
        } else {
            rc = put(P, P->p - 2, 2);   /* Python keeps unknown escapes */
        }
        if (rc < 0)
            return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
    }
    *len = P->nstr - *off;
    return 0;
}

static int integer(plop *P, int64_t *v, ps_error *e)
{
    ws(P);
    const char *d = P->p;
    while (P->p < P->end && *P->p >= '0' && *P->p <= '9')
        P->p++;
    if (P->p == d || ps_parse_count(d, (size_t)(P->p - d), v) < 0) {
        P->p = d;
        return fail(P, e, "an integer >= 0");
    }
    return 0;
}

/* ',' then more, or the closing c: 1 more, 0 closed, -1 error. */
static int sep(plop *P, char c, const char *what, ps_error *e)
{
    ws(P);
    if (P->p < P->end && *P->p == ',') {
        P->p++;
        ws(P);
        if (P->p < P->end && *P->p == c) {
            P->p++;
            return 0;
        }
        return 1;
    }
    if (P->p < P->end && *P->p == c) {
        P->p++;
        return 0;
    }
    fail(P, e, what);
    return -1;
}

typedef struct sframe {
    size_t foff, flen, noff, nlen;
    int64_t line;
} sframe;

int ps_plop_import(ps_sample_builder *b, const unsigned char *buf, size_t len,
                   const ps_sample_options *o, ps_error *e)
{
    plop P = {(const char *)buf, (const char *)buf + len, (const char *)buf, b, NULL, 0, 0,
              NULL, 0, 0};
    sframe *sf = NULL;
    size_t capsf = 0;
    int rc = -1;
    if (expect(&P, '{', "'{' (plop's dict of stacks)", e) < 0)
        goto out;
    ws(&P);
    if (P.p < P.end && *P.p == '}') {
        P.p++;
    } else {
        for (;;) {
            size_t n = 0;
            P.nstr = 0;
            if (expect(&P, '(', "'(' opening a stack", e) < 0)
                goto out;
            ws(&P);
            int more = !(P.p < P.end && *P.p == ')');
            if (!more)
                P.p++;
            while (more) {
                if (ps_grow(&sf, &capsf, n + 1, sizeof *sf) < 0) {
                    ps_error_set(e, PS_ENOMEM, -1, "out of memory");
                    goto out;
                }
                sframe *f = &sf[n++];
                if (expect(&P, '(', "'(' opening a frame (file, line, function)", e) < 0 ||
                    string(&P, &f->foff, &f->flen, e) < 0 ||
                    expect(&P, ',', "',' after the frame's file", e) < 0 ||
                    integer(&P, &f->line, e) < 0 ||
                    expect(&P, ',', "',' after the frame's line", e) < 0 ||
                    string(&P, &f->noff, &f->nlen, e) < 0)
                    goto out;
                ws(&P);
                if (P.p < P.end && *P.p == ',')
                    P.p++;
                if (expect(&P, ')', "')' closing a frame of three items", e) < 0)
                    goto out;
                more = sep(&P, ')', "',' or ')' after a frame", e);
                if (more < 0)
                    goto out;
            }
            if (expect(&P, ':', "':' after a stack", e) < 0)
                goto out;
            int64_t count;
            if (integer(&P, &count, e) < 0)
                goto out;
            /* leaf first in the file: root first for the builder */
            if (ps_grow(&P.frames, &P.capframes, n, sizeof *P.frames) < 0) {
                ps_error_set(e, PS_ENOMEM, -1, "out of memory");
                goto out;
            }
            /* a stack of empty strings only has stored none: P.str is
             * still NULL, and NULL + 0 is undefined in C */
            const char *str = P.str ? P.str : "";
            for (size_t i = 0; i < n; i++) {
                const sframe *f = &sf[n - 1 - i];
                P.frames[i] = (ps_frame){str + f->foff, f->flen, str + f->noff, f->nlen,
                                         f->line, 0};
            }
            if (ps_sample_add(b, P.frames, n, (double)count * o->interval, count, e) < 0)
                goto out;
            int m = sep(&P, '}', "',' or '}' after a stack's count", e);
            if (m < 0)
                goto out;
            if (!m)
                break;
        }
    }
    ws(&P);
    if (P.p < P.end) {
        fail(&P, e, "the end of the file after the dict");
        goto out;
    }
    rc = 0;
out:
    free(sf);
    free(P.frames);
    free(P.str);
    return rc;
}
