/* import_austin.c - Austin's text output into the sample builder.
 *
 * Austin 1.x (Debian's austin 1.0.1) writes one sample a line, root first:
 *     Thread <id>;<function> (<file>);L<line>;...;<function> (<file>);L<line> <us>
 * and "Thread <id> <us>" for a sample with no frames (idle).  Austin 3.x:
 *     P<pid>;T<iid>:<tid>;<file>:<function>:<line>;... <metric>
 * after "# key: value" metadata lines (austin, interval, mode, duration...).
 * The metric is microseconds in wall and cpu modes, bytes in memory mode,
 * and "time,idle,rss" in full mode (idle = 1: the thread was idle; such a
 * sample counts as idle).  Weights are seconds (us / 1e6), bytes in memory
 * mode.  A 3.x frame is read from the right (the line after the last ':',
 * the function after the one before): file names hold colons on Windows.
 * Its pseudo-frames ":GC:" and ":INVALID:" come out as functions GC and
 * INVALID of file "".  The thread (and process) head becomes a root frame
 * "<thread ...>" with the threads option, and is dropped otherwise. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "sampled_int.h"

enum { MODE_TIME, MODE_MEMORY, MODE_FULL };

typedef struct austin {
    ps_text_importer t;   /* the builder, options, frame cache, ids */
    int mode;
} austin;

/* A signed decimal integer (memory deltas may be negative): 0 or -1. */
static int parse_int(const char *p, size_t n, int64_t *v)
{
    int neg = n && p[0] == '-';
    if (ps_parse_count(p + neg, n - (size_t)neg, v) < 0)
        return -1;
    if (neg)
        *v = -*v;
    return 0;
}

static int metadata(austin *A, const char *p, size_t n)
{
    /* "# mode: wall" */
    const char *colon = memchr(p, ':', n);
    if (!colon)
        return 0;
    const char *k = p + 1;
    while (k < colon && *k == ' ')
        k++;
    const char *v = colon + 1;
    while (v < p + n && *v == ' ')
        v++;
    size_t kn = (size_t)(colon - k), vn = (size_t)(p + n - v);
    if (kn == 4 && !memcmp(k, "mode", 4)) {
        if (vn == 6 && !memcmp(v, "memory", 6))
            A->mode = MODE_MEMORY;
        else if (vn == 4 && !memcmp(v, "full", 4))
            A->mode = MODE_FULL;
        else
            A->mode = MODE_TIME;
    }
    return 0;
}

static uint32_t frame_id(austin *A, const char *t, size_t n, int64_t line, int v3, ps_error *e)
{
    /* Cached without the line where the text holds it (one entry a
     * function), the line given to the builder on each hit; with --lines
     * every line is its own row, so its own entry. */
    size_t key = n;
    int64_t seen = line;
    if (!A->t.o.lines) {
        int64_t l;
        key = ps_frame_key(t, n, !v3 && n > 3 && t[n - 1] == ')', &l);
        if (key < n)
            seen = l;
    }
    int64_t cline = (A->t.o.lines ? line : 0) | (int64_t)v3 << 62;
    uint32_t h = ps_frame_cache_hash(t, key, cline);
    uint32_t id = ps_frame_cached(&A->t, t, key, cline, h, seen);
    if (id != UINT32_MAX)
        return id;
    ps_frame f = {0};
    if (v3) {
        const char *c2 = memrchr(t, ':', n);
        const char *c1 = c2 && c2 > t ? memrchr(t, ':', (size_t)(c2 - t)) : NULL;
        if (!c1) {
            ps_error_set(e, PS_EDATA, -1, "expected a frame 'file:function:line', found '%.*s'",
                         (int)(n > 60 ? 60 : n), t);
            return UINT32_MAX;
        }
        f.file = t;
        f.flen = (size_t)(c1 - t);
        f.name = c1 + 1;
        f.nlen = (size_t)(c2 - c1 - 1);
        int64_t l = 0;
        if (c2 + 1 < t + n && ps_parse_count(c2 + 1, (size_t)(t + n - c2 - 1), &l) < 0) {
            ps_error_set(e, PS_EDATA, -1, "expected a line number after the last ':' of '%.*s'",
                         (int)(n > 60 ? 60 : n), t);
            return UINT32_MAX;
        }
        f.line = l;
    } else {
        /* "function (file)", or with -a (alternative format) "function
         * (file:line)" */
        f.line = line;
        if (ps_frame_paren(t, n, !line, &f) < 0) {
            ps_error_set(e, PS_EDATA, -1, "expected a frame 'function (file)', found '%.*s'",
                         (int)(n > 60 ? 60 : n), t);
            return UINT32_MAX;
        }
    }
    id = ps_sample_func(A->t.b, &f, e);
    if (id == UINT32_MAX || ps_frame_remember(&A->t, t, key, cline, h, id, seen, e) < 0)
        return UINT32_MAX;
    return id;
}

static int austin_line(void *ctx, const char *p, size_t n, size_t lineno, ps_error *e)
{
    austin *A = ctx;
    (void)lineno;
    if (p[0] == '#')
        return metadata(A, p, n);
    const char *sp = memrchr(p, ' ', n);
    /* 1.x -f (full): three metrics "time +mem -mem" separated by spaces */
    int64_t full3[3];
    int nfull = 0;
    if (sp && p[0] == 'T') {
        const char *q = p + n, *s = sp;
        for (nfull = 0; nfull < 3 && s; nfull++) {
            if (parse_int(s + 1, (size_t)(q - s - 1), &full3[2 - nfull]) < 0)
                break;
            q = s;
            s = memrchr(p, ' ', (size_t)(s - p));
        }
        if (nfull == 3 && q > p + 7) {
            sp = q;      /* the metrics start after q */
        } else {
            nfull = 0;
        }
    }
    if (!sp)
        return ps_error_set(e, PS_EDATA, -1, "expected 'Thread ID;frames... METRIC' or "
                            "'P<pid>;T<iid>:<tid>;frames... METRIC', found no metric");
    const char *m = sp + 1;
    size_t mn = (size_t)(p + n - m);
    double weight;
    int idle = 0;
    const char *c1 = memchr(m, ',', mn);
    if (nfull == 3) {
        weight = (double)full3[0] * 1e-6;
    } else if (c1 || A->mode == MODE_FULL) {
        const char *c2 = c1 ? memchr(c1 + 1, ',', (size_t)(m + mn - c1 - 1)) : NULL;
        int64_t t, i, rss;
        if (!c1 || !c2 || parse_int(m, (size_t)(c1 - m), &t) < 0 ||
            parse_int(c1 + 1, (size_t)(c2 - c1 - 1), &i) < 0 ||
            parse_int(c2 + 1, (size_t)(m + mn - c2 - 1), &rss) < 0 || (i != 0 && i != 1))
            return ps_error_set(e, PS_EDATA, -1, "expected the full-mode metric "
                                "'time,idle,rss' (integers, idle 0 or 1), found '%.*s'",
                                (int)(mn > 40 ? 40 : mn), m);
        weight = (double)t * 1e-6;
        idle = i == 1;
    } else {
        int64_t v;
        if (parse_int(m, mn, &v) < 0)
            return ps_error_set(e, PS_EDATA, -1, "expected a metric (an integer) after the "
                                "last space, found '%.*s'", (int)(mn > 40 ? 40 : mn), m);
        weight = A->mode == MODE_MEMORY ? (double)v : (double)v * 1e-6;
    }
    if (weight < 0)
        return ps_error_set(e, PS_EDATA, -1, "expected a metric >= 0, found '%.*s'",
                            (int)(mn > 40 ? 40 : mn), m);
    size_t sn = (size_t)(sp - p);
    /* the head: "Thread ID" (1.x) or "P<pid>;T<iid>:<tid>" (3.x) */
    const char *semi = memchr(p, ';', sn);
    size_t hend = semi ? (size_t)(semi - p) : sn;
    int v3;
    const char *tid;
    size_t tidlen;
    if (hend > 7 && !memcmp(p, "Thread ", 7)) {
        v3 = 0;
        tid = p + 7;
        tidlen = hend - 7;
    } else if (hend > 1 && p[0] == 'P' && ps_is_digits(p + 1, hend - 1) && semi &&
               (size_t)(semi - p) + 1 < sn && semi[1] == 'T') {
        v3 = 1;
        const char *s2 = memchr(semi + 1, ';', (size_t)(p + sn - semi - 1));
        hend = s2 ? (size_t)(s2 - p) : sn;
        tid = p;
        tidlen = hend;
        semi = s2;
    } else {
        return ps_error_set(e, PS_EDATA, -1, "expected a line starting 'Thread ' (Austin 1.x) "
                            "or 'P<pid>;T' (Austin 3.x)");
    }
    if (idle)   /* full mode's idle flag: the frames do not count */
        return ps_sample_add_ids(A->t.b, NULL, 0, weight, 1, e);
    A->t.ids.n = 0;
    if (A->t.o.threads) {
        char idtext[128];
        size_t k = 0;
        for (size_t i = 0; i < tidlen && k + 1 < sizeof idtext; i++)
            idtext[k++] = tid[i] == ';' ? ' ' : tid[i];
        ps_frame f = ps_thread_frame(A->t.tbuf, sizeof A->t.tbuf, idtext, k);
        uint32_t id = ps_sample_func(A->t.b, &f, e);
        if (id == UINT32_MAX || ps_idbuf_push(&A->t.ids, id) < 0)
            return id == UINT32_MAX ? -1 : ps_error_set(e, PS_ENOMEM, -1, "out of memory");
    }
    size_t i = hend + 1, nframes = 0;
    while (semi && i < sn) {
        const char *s2 = memchr(p + i, ';', sn - i);
        size_t end = s2 ? (size_t)(s2 - p) : sn;
        if (end == i)
            return ps_error_set(e, PS_EDATA, -1, "expected a frame between ';', found none "
                                "(column %zu)", i + 1);
        int64_t line = 0;
        size_t next = end + 1;
        if (!v3 && end < sn) {
            /* 1.x: the line is the next field, "L<line>" */
            const char *s3 = memchr(p + next, ';', sn - next);
            size_t e3 = s3 ? (size_t)(s3 - p) : sn;
            if (e3 > next + 1 && p[next] == 'L' && ps_is_digits(p + next + 1, e3 - next - 1)) {
                ps_parse_count(p + next + 1, e3 - next - 1, &line);
                next = e3 + 1;
            }
        }
        uint32_t id = frame_id(A, p + i, end - i, line, v3, e);
        if (id == UINT32_MAX)
            return -1;
        if (ps_idbuf_push(&A->t.ids, id) < 0)
            return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
        nframes++;
        i = next;
    }
    if (nframes == 0)
        return ps_sample_add_ids(A->t.b, NULL, 0, weight, 1, e);
    return ps_sample_add_ids(A->t.b, A->t.ids.ids, A->t.ids.n, weight, 1, e);
}

static int austin_end(void *ctx, size_t lineno, ps_error *e)
{
    austin *A = ctx;
    (void)lineno, (void)e;
    ps_text_importer_end(&A->t);
    return 0;
}

static void austin_free(void *ctx)
{
    austin *A = ctx;
    ps_text_importer_free(&A->t);
    free(A);
}

int ps_austin_parser(ps_line_parser *p, ps_sample_builder *b, const ps_sample_options *o,
                     ps_error *e)
{
    austin *A = calloc(1, sizeof *A);
    if (!A)
        return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
    ps_text_importer_init(&A->t, b, o);
    *p = (ps_line_parser){austin_line, austin_end, austin_free, A, NULL};
    return 0;
}
