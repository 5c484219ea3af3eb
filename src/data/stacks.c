/* stacks.c - weighted call stacks in one frames array (stacks.h). */
#include <stdlib.h>
#include <string.h>
#include "base/grow.h"
#include "pstats/arena.h"
#include "pstats/stacks.h"
#include "base/mem.h"
#include "base/msort.h"
#include "sampled_int.h"

void ps_stacks_init(ps_stacks *st)
{
    memset(st, 0, sizeof *st);
}

void ps_stacks_free(ps_stacks *st)
{
    free(st->frames);
    free(st->stacks);
    memset(st, 0, sizeof *st);
}

static int64_t add_sat(int64_t a, int64_t b)
{
    int64_t r;
    if (__builtin_add_overflow(a, b, &r))
        return b > 0 ? INT64_MAX : INT64_MIN;
    return r;
}

int ps_stacks_add(ps_stacks *st, const uint32_t *frames, uint32_t depth, double weight,
                  int64_t count, ps_error *err)
{
    if (depth == 0)
        return ps_error_set(err, PS_EUSAGE, -1, "a stack without frames");
    if (st->nframes > SIZE_MAX - depth ||
        ps_grow(&st->frames, &st->capframes, st->nframes + depth, sizeof *st->frames) < 0 ||
        ps_grow(&st->stacks, &st->capstacks, st->nstacks + 1, sizeof *st->stacks) < 0)
        return ps_error_set(err, PS_ENOMEM, -1, "out of memory");
    memcpy(st->frames + st->nframes, frames, (size_t)depth * sizeof *frames);
    st->stacks[st->nstacks++] = (ps_stack){st->nframes, depth, weight, count};
    st->nframes += depth;
    return 0;
}

double ps_stacks_total(const ps_stacks *st)
{
    double t = 0;
    for (size_t i = 0; i < st->nstacks; i++)
        t += st->stacks[i].weight;
    return t;
}

/* What a merge reads: a ps_stacks' stacks and frames, or the sample
 * builder's records (sampled_int.h), which it reads in place rather than
 * have them copied into a ps_stacks first.  A stack is named by its index
 * in stacks, or by its record's offset in rec: either way the names come
 * in the order the stacks do, which keeps the merge stable. */
typedef struct msrc {
    const ps_stack *stacks;
    const uint32_t *frames;
    const uint32_t *rec;  /* NULL: stacks and frames */
    size_t end;           /* past the last name */
} msrc;

static inline uint32_t src_depth(const msrc *m, size_t i)
{
    return m->rec ? m->rec[i] : m->stacks[i].depth;
}

static inline const uint32_t *src_frames(const msrc *m, size_t i)
{
    return m->rec ? m->rec + i + PS_REC_HEAD : m->frames + m->stacks[i].first;
}

static inline size_t src_next(const msrc *m, size_t i)
{
    return m->rec ? i + PS_REC_HEAD + m->rec[i] : i + 1;
}

static ps_stack src_stack(const msrc *m, size_t i)
{
    if (!m->rec)
        return m->stacks[i];
    ps_stack s = {0, m->rec[i], 0, 0};
    memcpy(&s.weight, m->rec + i + 1, sizeof s.weight);
    memcpy(&s.count, m->rec + i + 3, sizeof s.count);
    return s;
}

static int cmp_frames(const uint32_t *fa, uint32_t da, const uint32_t *fb, uint32_t db)
{
    uint32_t n = da < db ? da : db;
    for (uint32_t i = 0; i < n; i++)
        if (fa[i] != fb[i])
            return fa[i] < fb[i] ? -1 : 1;
    return (da > db) - (da < db);
}

static int cmp_stack(const msrc *m, size_t a, size_t b)
{
    return cmp_frames(src_frames(m, a), src_depth(m, a), src_frames(m, b), src_depth(m, b));
}

/* A stack's sort key: its first frames packed as (id + 1), 0 past its
 * depth, as many as fit in two 64-bit words for the largest id (six on a
 * profile of 100k functions).  Keys compare as the stacks do on those
 * frames (a shorter stack first), and equal keys of stacks no deeper than
 * that are equal stacks: the sort reads the frames only for deeper stacks
 * whose first frames agree. */
typedef struct skey {
    uint64_t key[2];
    size_t idx;           /* the stack's name (msrc): equal stacks keep their order */
} skey;

typedef struct sort_ctx {
    const msrc *src;
    uint32_t covered;     /* frames a key holds */
} sort_ctx;

/* Keys that agree on their packed frames: the frames themselves for deeper
 * stacks, then the order they came in.  Out of line: most pairs differ in
 * their key words. */
static __attribute__((noinline)) int skey_tie_less(const skey *a, const skey *b, const sort_ctx *c)
{
    if (src_depth(c->src, a->idx) > c->covered || src_depth(c->src, b->idx) > c->covered) {
        int r = cmp_stack(c->src, a->idx, b->idx);
        if (r)
            return r < 0;
    }
    /* as a stable sort leaves them: the weights of equal stacks add up in
     * the order they came, so the sums do not depend on the sort */
    return a->idx < b->idx;
}

static inline int skey_less(const skey *a, const skey *b, void *ctx)
{
    if (a->key[0] != b->key[0])
        return a->key[0] < b->key[0];
    if (a->key[1] != b->key[1])
        return a->key[1] < b->key[1];
    return skey_tie_less(a, b, ctx);
}

PS_MSORT_DEFINE(sort_skeys, skey, skey_less, 16)

/* keys in skey_less's order (base/msort.h); its buffer asks for huge pages
 * when big (glibc's qsort_r took its own in 4 KB pages: 1,500 page faults
 * on the bench).  0, or -1 when out of memory. */
static int sort_keys(skey *keys, size_t n, sort_ctx *c)
{
    if (n <= 16) {
        sort_skeys(keys, NULL, n, c);
        return 0;
    }
    skey *tmp = ps_mem_alloc_huge(n * sizeof *tmp);
    if (!tmp)
        return -1;
    sort_skeys(keys, tmp, n, c);
    free(tmp);
    return 0;
}

/* The nstacks stacks of m (nframes frames in all), sorted and with equal
 * stacks merged, into new arrays of out (its idle counts left as they
 * are).  Compacted in the new order, so that the frames stay one stack
 * after another (writers walk them sequentially).  0, or -1. */
static int merge_into(const msrc *m, size_t nstacks, size_t nframes, ps_stacks *out,
                      ps_error *err)
{
    uint32_t maxid = 0;
    if (m->rec) {
        for (size_t i = 0; i < m->end; i = src_next(m, i))
            for (uint32_t j = 0; j < m->rec[i]; j++)
                if (m->rec[i + PS_REC_HEAD + j] > maxid)
                    maxid = m->rec[i + PS_REC_HEAD + j];
    } else {
        for (size_t i = 0; i < nframes; i++)
            if (m->frames[i] > maxid)
                maxid = m->frames[i];
    }
    unsigned bits = 1;
    while (bits < 33 && ((uint64_t)maxid + 1) >> bits)
        bits++;
    unsigned per = 64 / bits;
    skey *keys = ps_mem_alloc_huge((nstacks ? nstacks : 1) * sizeof *keys);
    uint32_t *frames = ps_mem_alloc_huge((nframes ? nframes : 1) * sizeof *frames);
    ps_stack *stacks = ps_mem_alloc_huge((nstacks ? nstacks : 1) * sizeof *stacks);
    /* The keys are placed by their first frame at once (a counting sort:
     * where each first frame's stacks start), then each first frame's run
     * is sorted on its own: runs that the caches hold, where one sort of
     * all the keys made some fifteen passes over megabytes, and its other
     * half was as many fresh pages.  Where the ids are many more than the
     * stacks, one sort as before. */
    if (!keys || !frames || !stacks)
        goto oom;
    uint32_t *start = NULL;
    size_t nb = (size_t)maxid + 2;   /* a first frame's field: its id + 1, 0 past the depth */
    if (nstacks >= 64 && nstacks < UINT32_MAX && nb <= nstacks)
        start = calloc(nb + 1, sizeof *start);   /* (NULL: one sort) */
    unsigned top = (per - 1) * bits;   /* the first frame's field in key[0] */
    if (start) {
        for (size_t i = 0, n = 0; i < m->end && n < nstacks; i = src_next(m, i), n++)
            start[(src_depth(m, i) ? (size_t)src_frames(m, i)[0] + 1 : 0) + 1]++;
        for (size_t b = 1; b <= nb; b++)
            start[b] += start[b - 1];
    }
    size_t n = 0;
    for (size_t i = 0; i < m->end && n < nstacks; i = src_next(m, i)) {
        const uint32_t *f = src_frames(m, i);
        uint32_t depth = src_depth(m, i);
        skey kv;
        kv.idx = i;
        for (unsigned w = 0; w < 2; w++) {
            uint64_t v = 0;
            for (unsigned j = w * per; j < (w + 1) * per; j++)
                v = v << bits | (j < depth ? (uint64_t)f[j] + 1 : 0);
            kv.key[w] = v;
        }
        keys[start ? start[kv.key[0] >> top]++ : n] = kv;
        n++;
    }
    sort_ctx ctx = {m, 2 * per};
    if (start) {
        /* (start[b] is now where run b ends) */
        size_t lo = 0, most = 0;
        for (size_t b = 0; b < nb; b++) {
            if (start[b] - lo > most)
                most = start[b] - lo;
            lo = start[b];
        }
        skey *tmp = most > 16 ? malloc(most * sizeof *tmp) : NULL;
        if (most > 16 && !tmp) {
            free(start);
            goto oom;
        }
        lo = 0;
        for (size_t b = 0; b < nb; b++) {
            if (start[b] - lo > 1)
                sort_skeys(keys + lo, tmp, start[b] - lo, &ctx);
            lo = start[b];
        }
        free(tmp);
        free(start);
    } else if (sort_keys(keys, n, &ctx) < 0) {
        goto oom;
    }
    size_t nf = 0, ns = 0;
    for (size_t i = 0; i < n; i++) {
        ps_stack s = src_stack(m, keys[i].idx);
        /* sorted, so equal stacks are neighbours */
        if (i && keys[i].key[0] == keys[i - 1].key[0] && keys[i].key[1] == keys[i - 1].key[1] &&
            cmp_stack(m, keys[i - 1].idx, keys[i].idx) == 0) {
            stacks[ns - 1].weight += s.weight;
            stacks[ns - 1].count = add_sat(stacks[ns - 1].count, s.count);
            continue;
        }
        memcpy(frames + nf, src_frames(m, keys[i].idx), (size_t)s.depth * sizeof *frames);
        s.first = nf;
        nf += s.depth;
        stacks[ns++] = s;
    }
    free(keys);
    out->frames = frames;
    out->nframes = nf;
    out->capframes = nf;
    out->stacks = stacks;
    out->nstacks = ns;
    out->capstacks = ns;
    return 0;
oom:
    free(keys);
    free(frames);
    free(stacks);
    return ps_error_set(err, PS_ENOMEM, -1, "out of memory");
}

int ps_stacks_merge(ps_stacks *st, ps_error *err)
{
    if (st->nstacks < 2)
        return 0;
    msrc m = {st->stacks, st->frames, NULL, st->nstacks};
    ps_stacks out = *st;
    if (merge_into(&m, st->nstacks, st->nframes, &out, err) < 0)
        return -1;
    free(st->frames);
    free(st->stacks);
    *st = out;
    return 0;
}

int ps_stacks_merge_records(ps_stacks *st, const uint32_t *rec, size_t nrec, size_t nstacks,
                            ps_error *err)
{
    msrc m = {NULL, NULL, rec, nrec};
    ps_stacks out = *st;
    if (merge_into(&m, nstacks, nrec - nstacks * PS_REC_HEAD, &out, err) < 0)
        return -1;
    free(st->frames);
    free(st->stacks);
    *st = out;
    return 0;
}

int ps_stacks_remap(ps_stacks *st, const uint32_t *map, ps_error *err)
{
    for (size_t i = 0; i < st->nframes; i++)
        st->frames[i] = map[st->frames[i]];
    return ps_stacks_merge(st, err);
}

int ps_stacks_number(const ps_stacks *st, uint32_t nfuncs, uint32_t **index, uint32_t **order,
                     uint32_t *nused, ps_error *err)
{
    uint32_t *ix = malloc(((size_t)nfuncs + 1) * sizeof *ix);
    uint32_t *ord = malloc(((size_t)nfuncs + 1) * sizeof *ord);
    *index = *order = NULL;
    *nused = 0;
    if (!ix || !ord) {
        free(ix);
        free(ord);
        return ps_error_set(err, PS_ENOMEM, -1, "out of memory");
    }
    memset(ix, 0xff, ((size_t)nfuncs + 1) * sizeof *ix);
    uint32_t n = 0;
    for (size_t i = 0; i < st->nframes; i++) {
        uint32_t f = st->frames[i];
        if (f >= nfuncs) {
            free(ix);
            free(ord);
            return ps_error_set(err, PS_EUSAGE, -1, "a stack frame is not a function of the stats");
        }
        if (ix[f] == UINT32_MAX) {
            ix[f] = n;
            ord[n++] = f;
        }
    }
    *index = ix;
    *order = ord;
    *nused = n;
    return 0;
}
