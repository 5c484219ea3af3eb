/* import_folded.c - folded stacks ("frame;frame;...;leaf COUNT", root first)
 * into the sample builder.
 *
 * One reader for the dialects samplers write:
 *   flamegraph.pl's stackcollapse   bare frames ("main", "<GC>")
 *   py-spy record --format raw      "function (file:line)", "function (file)"
 *                                   with --nolineno, pseudo-frames
 *                                   "thread (0x7f...)" and 'process 12:"cmd"'
 *   CPython 3.15 --collapsed        "tid:123" then "file:function:line",
 *                                   bare "<GC>" and "<native>"
 *   plop -f flamegraph              "function (file:line)"; a first line
 *                                   "None 1" (a sample plop could not name)
 * A frame's shape decides how it is read, so a file may mix them.  The
 * count is a number of samples, weighted by the interval.  Thread frames
 * (py-spy's "thread (0x...)", CPython's "tid:N") are dropped unless the
 * options keep threads, then they become the stack's "<thread ...>" root.
 * Lines are parsed from the right: a file name may hold ';'-free anything,
 * including spaces and colons (Windows drives). */
#include <string.h>
#include "sampled_int.h"

typedef struct folded {
    ps_sample_builder *b;
    ps_sample_options o;
    ps_frame_cache cache;
    ps_idbuf ids;
    char tbuf[256];
} folded;

static int is_digits(const char *p, size_t n)
{
    if (!n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (p[i] < '0' || p[i] > '9')
            return 0;
    return 1;
}

static int64_t to_line(const char *p, size_t n)
{
    int64_t v;
    return ps_parse_count(p, n, &v) < 0 ? 0 : v;
}

/* 0: a frame, 1: a thread pseudo-frame (*id, *idlen set). */
static int parse_frame(const char *t, size_t n, ps_frame *f, const char **id, size_t *idlen)
{
    memset(f, 0, sizeof *f);
    if (n > 4 && !memcmp(t, "tid:", 4) && is_digits(t + 4, n - 4)) {
        *id = t + 4;
        *idlen = n - 4;
        return 1;
    }
    if (n > 9 && !memcmp(t, "thread (", 8) && t[n - 1] == ')') {
        *id = t + 8;
        *idlen = n - 9;
        return 1;
    }
    /* "function (file:line)" / "function (file)" */
    if (n >= 4 && t[n - 1] == ')') {
        const char *open = NULL;
        /* the first " (": Python names hold no spaces, file names may */
        for (size_t i = 1; i + 1 < n; i++)
            if (t[i] == '(' && t[i - 1] == ' ') {
                open = t + i;
                break;
            }
        if (open) {
            const char *in = open + 1;
            size_t inlen = (size_t)(t + n - 1 - in);
            f->name = t;
            f->nlen = (size_t)(open - 1 - t);
            const char *colon = memrchr(in, ':', inlen);
            if (colon && is_digits(colon + 1, (size_t)(in + inlen - colon - 1))) {
                f->file = in;
                f->flen = (size_t)(colon - in);
                f->line = to_line(colon + 1, (size_t)(in + inlen - colon - 1));
            } else {
                f->file = in;
                f->flen = inlen;
            }
            return 0;
        }
    }
    /* "file:function:line", from the right */
    const char *c2 = memrchr(t, ':', n);
    if (c2 && is_digits(c2 + 1, (size_t)(t + n - c2 - 1)) && c2 > t) {
        const char *c1 = memrchr(t, ':', (size_t)(c2 - t));
        if (c1) {
            f->file = t;
            f->flen = (size_t)(c1 - t);
            f->name = c1 + 1;
            f->nlen = (size_t)(c2 - c1 - 1);
            f->line = to_line(c2 + 1, (size_t)(t + n - c2 - 1));
            return 0;
        }
    }
    f->file = "~";
    f->flen = 1;
    f->name = t;
    f->nlen = n;
    return 0;
}

/* The id of one frame's text: UINT32_MAX on error, UINT32_MAX - 1 for a
 * thread frame that is dropped. */
static uint32_t frame_id(folded *F, const char *t, size_t n, ps_error *e)
{
    uint32_t h;
    uint32_t id = ps_frame_cache_get(&F->cache, t, n, 0, &h);
    if (id != UINT32_MAX)
        return id;
    ps_frame f;
    const char *tid;
    size_t tidlen;
    if (parse_frame(t, n, &f, &tid, &tidlen) == 1) {
        if (!F->o.threads)
            id = UINT32_MAX - 1;
        else {
            f = ps_thread_frame(F->tbuf, sizeof F->tbuf, tid, tidlen);
            id = ps_sample_func(F->b, &f, e);
        }
    } else {
        id = ps_sample_func(F->b, &f, e);
    }
    if (id == UINT32_MAX)
        return id;
    if (ps_frame_cache_put(&F->cache, t, n, 0, h, id) < 0) {
        ps_error_set(e, PS_ENOMEM, -1, "out of memory");
        return UINT32_MAX;
    }
    return id;
}

static int fl_line(void *ctx, const char *p, size_t n, size_t lineno, ps_error *e)
{
    folded *F = ctx;
    (void)lineno;
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
        n--;
    if (!n)
        return 0;
    const char *sp = memrchr(p, ' ', n);
    if (!sp)
        return ps_error_set(e, PS_EDATA, -1,
                            "expected 'frame;frame;... COUNT', found no space before a count");
    int64_t count;
    if (ps_parse_count(sp + 1, (size_t)(p + n - sp - 1), &count) < 0)
        return ps_error_set(e, PS_EDATA, -1,
                            "expected a sample count (digits) after the last space, found '%.*s'",
                            (int)((size_t)(p + n - sp - 1) > 40 ? 40 : (size_t)(p + n - sp - 1)),
                            sp + 1);
    size_t sn = (size_t)(sp - p);
    while (sn && p[sn - 1] == ' ')
        sn--;
    double w = (double)count * F->o.interval;
    F->ids.n = 0;
    if (sn == 4 && !memcmp(p, "None", 4))
        return ps_sample_add_ids(F->b, NULL, 0, w, count, e);   /* plop: no stack */
    size_t i = 0;
    while (i < sn) {
        const char *semi = memchr(p + i, ';', sn - i);
        size_t end = semi ? (size_t)(semi - p) : sn;
        if (end == i)
            return ps_error_set(e, PS_EDATA, -1, "expected a frame between ';', found none "
                                "(column %zu)", i + 1);
        uint32_t id = frame_id(F, p + i, end - i, e);
        if (id == UINT32_MAX)
            return -1;
        if (id != UINT32_MAX - 1 && ps_idbuf_push(&F->ids, id) < 0)
            return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
        i = end + 1;
    }
    return ps_sample_add_ids(F->b, F->ids.ids, F->ids.n, w, count, e);
}

static void fl_free(void *ctx)
{
    folded *F = ctx;
    ps_frame_cache_free(&F->cache);
    free(F->ids.ids);
    free(F);
}

int ps_folded_parser(ps_line_parser *p, ps_sample_builder *b, const ps_sample_options *o,
                     ps_error *e)
{
    folded *F = calloc(1, sizeof *F);
    if (!F)
        return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
    F->b = b;
    F->o = *o;
    ps_frame_cache_init(&F->cache);
    *p = (ps_line_parser){fl_line, NULL, fl_free, F};
    return 0;
}
