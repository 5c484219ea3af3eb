/* import_folded.c - folded stacks ("frame;frame;...;leaf COUNT", root first)
 * into the sample builder.
 *
 * One reader for the dialects samplers write:
 *   flamegraph.pl's stackcollapse   bare frames ("main", "<GC>")
 *   py-spy record --format raw      "function (file:line)", "function (file)"
 *                                   with --nolineno, pseudo-frames
 *                                   "thread (TID)", "thread (TID): NAME" and
 *                                   'process 12:"cmd"'; early versions end
 *                                   each frame with ';', the last one too
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
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include "base/grow.h"
#include "sampled_int.h"

typedef struct tok {
    const char *t;        /* the frame's text (in its line, kept until the flush) */
    size_t n, key;        /* its length and its cache key's */
    int64_t line;
    uint32_t hash;
} tok;

/* A line read but not yet added: its frames are F->tok[tok0 ..], its ids
 * (once looked up) F->t.ids[id0 .. id0 + nids]. */
typedef struct pending {
    const char *p;
    size_t tok0, ntok, id0, nids;
    int64_t count;
    double w;
    uint32_t hash;        /* the stack's */
} pending;

/* Lines are taken in batches: each line's frames are hashed as it comes and
 * their cache slots fetched ahead; a full batch is then looked up, its
 * stacks' slots fetched ahead, their records fetched ahead, and the samples
 * added, in the order of the lines, so the memory waits of a batch overlap
 * instead of following one another (the tables of a 100k-function profile
 * are far larger than the caches).  Everything that decides a result (the
 * functions' ids, the stacks' order, the sums) happens in line order, as one
 * line at a time would do it. */
#define BATCH 32

typedef struct folded {
    ps_text_importer t;   /* the builder, options, frame cache, ids */
    tok *tok;             /* the frames of the batch's lines */
    size_t ntok, captok;
    pending batch[BATCH];
    size_t nbatch;
} folded;

/* 0: a frame, 1: a thread pseudo-frame (*id, *idlen set). */
static int parse_frame(const char *t, size_t n, ps_frame *f, const char **id, size_t *idlen)
{
    memset(f, 0, sizeof *f);
    if (n > 4 && !memcmp(t, "tid:", 4) && ps_is_digits(t + 4, n - 4)) {
        *id = t + 4;
        *idlen = n - 4;
        return 1;
    }
    /* py-spy: "thread (TID)" or "thread (TID): NAME", TID decimal or 0x-hex,
     * perhaps followed by the empty file it gives the frame: " (:0)" */
    if (n > 9 && !memcmp(t, "thread (", 8)) {
        size_t k = 8;
        while (k < n && ((t[k] >= '0' && t[k] <= '9') || (t[k] >= 'a' && t[k] <= 'f') ||
                         (t[k] >= 'A' && t[k] <= 'F') || t[k] == 'x' || t[k] == 'X'))
            k++;
        if (k > 8 && k < n && t[k] == ')') {
            *id = t + 8;
            *idlen = k - 8;
            return 1;
        }
    }
    /* "function (file:line)" / "function (file)" */
    if (n >= 4 && ps_frame_paren(t, n, 1, f) == 0)
        return 0;
    /* "file:function:line", from the right */
    const char *c2 = memrchr(t, ':', n);
    if (c2 && ps_is_digits(c2 + 1, (size_t)(t + n - c2 - 1)) && c2 > t) {
        const char *c1 = memrchr(t, ':', (size_t)(c2 - t));
        if (c1) {
            f->file = t;
            f->flen = (size_t)(c1 - t);
            f->name = c1 + 1;
            f->nlen = (size_t)(c2 - c1 - 1);
            ps_parse_count(c2 + 1, (size_t)(t + n - c2 - 1), &f->line);
            return 0;
        }
    }
    f->file = "~";
    f->flen = 1;
    f->name = t;
    f->nlen = n;
    return 0;
}

/* A frame's cache key: "name (file:LINE)" is cached without its line,
 * anything else (and everything with --lines) as it is. */
static inline size_t frame_key(const folded *F, const char *t, size_t n, int64_t *line)
{
    *line = 0;
    if (!F->t.o.lines && n > 3 && t[n - 1] == ')')
        return ps_frame_key(t, n, 1, line);
    return n;
}

/* The id of a frame's text that the cache has not (key, line and hash as
 * for the lookup that missed): UINT32_MAX on error, UINT32_MAX - 1 for a
 * thread frame that is dropped.  Out of line: a frame misses once. */
static __attribute__((noinline)) uint32_t frame_id_new(folded *F, const char *t, size_t n,
                                                       size_t key, int64_t line, uint32_t h,
                                                       ps_error *e)
{
    uint32_t id;
    ps_frame f;
    const char *tid;
    size_t tidlen;
    if (parse_frame(t, n, &f, &tid, &tidlen) == 1) {
        if (!F->t.o.threads)
            id = UINT32_MAX - 1;
        else {
            f = ps_thread_frame(F->t.tbuf, sizeof F->t.tbuf, tid, tidlen);
            id = ps_sample_func(F->t.b, &f, e);
        }
    } else {
        id = ps_sample_func(F->t.b, &f, e);
    }
    if (id == UINT32_MAX || ps_frame_remember(&F->t, t, key, 0, h, id, line, e) < 0)
        return UINT32_MAX;
    return id;
}

/* A frame the cache has not: what the builder will look at for it fetched
 * ahead (its string pool and function table slots: misses, as every new
 * name is, and 100k of them on the bench's file). */
static __attribute__((noinline)) void new_frame_ahead(const folded *F, const char *t, size_t n)
{
    ps_frame f;
    const char *tid;
    size_t tidlen;
    if (parse_frame(t, n, &f, &tid, &tidlen) == 0)
        ps_sample_func_prefetch(F->t.b, &f);
}

/* The ';' of p[c .. min(c + 16, n)) as bits (bit j: p[c + j]).  A frame is
 * some twenty bytes, for which a call to memchr cost more than the search
 * (a tenth of the bench's time): sixteen bytes a step where SSE2 is there,
 * the last ones in a load that ends with the text (which overlaps the step
 * before), not a byte at a time. */
static inline unsigned semi_bits(const char *p, size_t c, size_t n)
{
#ifdef __SSE2__
    const __m128i semi = _mm_set1_epi8(';');
    if (c + 16 <= n)
        return (unsigned)_mm_movemask_epi8(
            _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + c)), semi));
    if (n >= 16)
        return (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
                   _mm_loadu_si128((const __m128i *)(const void *)(p + n - 16)), semi)) >>
               (16 - (n - c));
#endif
    unsigned m = 0;
    for (size_t j = c; j < n && j < c + 16; j++)
        m |= (unsigned)(p[j] == ';') << (j - c);
    return m;
}

/* Look up, then add, the lines of the batch. */
static int flush(void *ctx, ps_error *e)
{
    folded *F = ctx;
    ps_frame_cache *c = &F->t.cache;
    /* room for every id of the batch at once */
    if (ps_grow(&F->t.ids.ids, &F->t.ids.cap, F->ntok + 1, sizeof *F->t.ids.ids) < 0)
        return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
    uint32_t *ids = F->t.ids.ids;
    size_t nids = 0;
    /* the entries the lookups will compare fetched ahead; for a frame not
     * cached (its slot is empty), what the builder will look at for it
     * (by index: a batch of idle lines only has no tokens, F->tok NULL) */
    for (size_t j = 0; j < F->ntok; j++)
        if (ps_frame_cache_prefetch_text(c, F->tok[j].hash))
            new_frame_ahead(F, F->tok[j].t, F->tok[j].n);
    for (size_t i = 0; i < F->nbatch; i++) {
        pending *L = &F->batch[i];
        L->id0 = nids;
        for (size_t j = L->tok0; j < L->tok0 + L->ntok; j++) {
            const tok *k = &F->tok[j];
            const char *t = k->t;
            uint32_t id = ps_frame_cached(&F->t, t, k->key, 0, k->hash, k->line);
            if (id == UINT32_MAX &&
                (id = frame_id_new(F, t, k->n, k->key, k->line, k->hash, e)) == UINT32_MAX)
                return -1;
            if (id != UINT32_MAX - 1)
                ids[nids++] = id;
        }
        L->nids = nids - L->id0;
        L->hash = ps_sample_stack_hash(ids + L->id0, L->nids);
        ps_sample_stack_prefetch(F->t.b, L->hash);
    }
    F->t.ids.n = nids;
    for (size_t i = 0; i < F->nbatch; i++)
        ps_sample_stack_prefetch_rec(F->t.b, F->batch[i].hash);
    for (size_t i = 0; i < F->nbatch; i++) {
        const pending *L = &F->batch[i];
        if (ps_sample_add_hashed(F->t.b, ids + L->id0, L->nids, L->hash, L->w, L->count, e) < 0)
            return -1;
    }
    F->nbatch = 0;
    F->ntok = 0;
    return 0;
}

/* The line's sample count: the digits after its last space, *sp that
 * space.  0, or -1 with e set. */
static int line_count(const char *p, size_t n, const char **sp, int64_t *count, ps_error *e)
{
    /* most counts are a few digits after a space: read from the right */
    size_t j = n;
    int64_t v = 0, mul = 1;
    for (unsigned d; j > 0 && n - j < 18 && (d = (unsigned char)p[j - 1] - '0') <= 9; j--) {
        v += (int64_t)d * mul;
        mul *= 10;
    }
    if (j < n && j > 0 && p[j - 1] == ' ') {
        *sp = p + j - 1;
        *count = v;
        return 0;
    }
    /* anything else (eighteen digits or more: saturated) as it always was */
    *sp = memrchr(p, ' ', n);
    if (!*sp)
        return ps_error_set(e, PS_EDATA, -1,
                            "expected 'frame;frame;... COUNT', found no space before a count");
    size_t cn = (size_t)(p + n - *sp - 1);
    if (ps_parse_count(*sp + 1, cn, count) < 0)
        return ps_error_set(e, PS_EDATA, -1,
                            "expected a sample count (digits) after the last space, found '%.*s'",
                            (int)(cn > 40 ? 40 : cn), *sp + 1);
    return 0;
}

/* The frame t[0..n) as the line's next token (room made by the caller): its
 * key, its hash, its cache slot fetched ahead. */
static inline void tok_add(folded *F, const char *t, size_t n)
{
    tok *k = &F->tok[F->ntok++];
    k->t = t;
    k->n = n;
    k->key = frame_key(F, t, n, &k->line);
    k->hash = ps_frame_cache_hash(t, k->key, 0);
    ps_frame_cache_prefetch(&F->t.cache, k->hash);
}

static int fl_line(void *ctx, const char *p, size_t n, size_t lineno, ps_error *e)
{
    folded *F = ctx;
    (void)lineno;
    const char *sp;
    int64_t count;
    if (line_count(p, n, &sp, &count, e) < 0)
        return -1;
    size_t sn = (size_t)(sp - p);
    while (sn && p[sn - 1] == ' ')
        sn--;
    double w = (double)count * F->t.o.interval;
    if (ps_sample_check(w, count, e) < 0)
        return -1;
    pending *L = &F->batch[F->nbatch];
    *L = (pending){p, F->ntok, 0, 0, 0, count, w, 0};
    if (sn == 4 && !memcmp(p, "None", 4))
        sn = 0;   /* plop: a sample without a stack */
    /* the frames' keys and hashes, their cache slots fetched ahead: the
     * ';' of sixteen bytes at a time, then a frame for each */
    size_t i = 0;
    for (size_t c = 0; c < sn; c += 16) {
        unsigned m = semi_bits(p, c, sn);
        if (ps_grow(&F->tok, &F->captok, F->ntok + 17, sizeof *F->tok) < 0)
            return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
        for (; m; m &= m - 1) {
            size_t end = c + (size_t)__builtin_ctz(m);
            if (end == i)
                return ps_error_set(e, PS_EDATA, -1, "expected a frame between ';', found none "
                                    "(column %zu)", i + 1);
            tok_add(F, p + i, end - i);
            i = end + 1;
        }
    }
    if (i < sn)   /* the last frame (py-spy's old ones end with ';' instead) */
        tok_add(F, p + i, sn - i);
    L->ntok = F->ntok - L->tok0;
    /* a batch, or one deep stack's worth of frames */
    if (++F->nbatch == BATCH || F->ntok >= 4096)
        return flush(F, e);
    return 0;
}

static int fl_end(void *ctx, size_t lineno, ps_error *e)
{
    folded *F = ctx;
    (void)lineno;
    if (flush(F, e) < 0)
        return -1;
    ps_text_importer_end(&F->t);
    return 0;
}

static void fl_free(void *ctx)
{
    folded *F = ctx;
    ps_text_importer_free(&F->t);
    free(F->tok);
    free(F);
}

int ps_folded_parser(ps_line_parser *p, ps_sample_builder *b, const ps_sample_options *o,
                     ps_error *e)
{
    folded *F = calloc(1, sizeof *F);
    if (!F)
        return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
    ps_text_importer_init(&F->t, b, o);
    *p = (ps_line_parser){fl_line, fl_end, fl_free, F, flush};
    return 0;
}
