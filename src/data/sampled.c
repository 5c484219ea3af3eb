/* sampled.c - the sample builder: samplers' stacks into the stats database.
 *
 * Samples arrive as frames (file, name, line); the builder gives each
 * function a local id in its own table, because a function's key line is
 * only known at the end (the smallest line seen for it), and keeps the
 * distinct stacks of local ids as records in one array (a repeated stack
 * adds to its record), so that memory follows the distinct stacks rather
 * than the samples.  ps_sample_finish interns the functions into the stats
 * with their final lines, renumbers the records in place, merges them into
 * the stats' ps_stacks straight from the records (stacks.c: sorted, and
 * equal once renumbered), and derives the pstats view
 * in one pass over the unique stacks: a stamp per function and per edge
 * (the index of the last stack that counted it) makes "once per sample"
 * hold under recursion at a cost linear in the frames, whatever the depth.
 *
 * Memory.  The function and stack tables are base/index.h's (the hash in
 * the slot, the key in funcs[] or rec[]), sized at once from the input's
 * size when the importer gives it (ps_sample_builder_expect); the arrays
 * that grow with the input (funcs, rec, the edges of derive) live in
 * mappings of their own (base/mem.c's ps_bigbuf) that grow without copying
 * and take huge pages, reserved from the input's size so that even their
 * first 2 MB are; the arrays of known size are whole huge pages
 * (ps_mem_alloc_huge).  Page faults, not instructions, were a fifth of the
 * importer's CPU time; on a virtual machine a fresh page costs more to
 * clear than most of the work done in it, so every megabyte not asked for
 * counts: the records are merged where they are, not copied first, and
 * derive's tables take the memory the builder is done with (the records',
 * the rows', the stack slots') rather than fresh pages. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/grow.h"
#include "base/index.h"
#include "pstats/arena.h"
#include "pstats/sampled.h"
#include "sampled_int.h"
#include "stats_internal.h"
#include "base/utf8.h"

typedef struct lfunc {
    const ps_str *file, *name;
    int64_t line;
    uint8_t keyed_line;   /* the line is part of the key (first line given, or --lines) */
} lfunc;

struct ps_sample_builder {
    ps_stats *s;
    ps_sample_options o;
    lfunc *funcs;         /* in funcmem */
    uint32_t nfuncs;
    ps_bigbuf funcmem;
    ps_index index;       /* key_hash -> function id */
    ps_stacks st;         /* the idle samples; the stacks at the end (ps_sample_finish) */
    uint32_t *rec;        /* the distinct stacks of local ids, in the order first seen,
                           * each a record [depth, weight (2 words), count (2 words),
                           * frames...]: a sample that repeats a stack costs its slot
                           * and one record, next to each other in memory */
    size_t nrec;
    ps_bigbuf recmem;     /* rec's memory */
    uint32_t nstacks;
    ps_index sidx;        /* stack hash -> the record's offset in rec: identical
                           * samples add up; the hash in the slot spares a look at
                           * a stack that cannot match */
    uint32_t *ids;        /* scratch for ps_sample_add */
    size_t capids;
    char *esc;            /* scratch for escaping invalid UTF-8 */
    size_t capesc;
    char *label;
    size_t expect_funcs;  /* ps_sample_builder_expect's */
};

/* What a byte of input makes, on the bench's 100 MB folded file (100k
 * functions, 260k distinct stacks in 1M lines): a function per kilobyte,
 * a distinct stack per 400 bytes.  Too small a guess costs the doublings
 * it was to save; too large, a table zeroed for nothing (the cap: 32 MB). */
#define BYTES_PER_FUNC 1024
#define BYTES_PER_STACK 512
#define EXPECT_MAX ((size_t)1 << 21)

/* (stats_internal.h's nomem also sets a Python MemoryError: not the builder's) */
static int no_mem(ps_error *e)
{
    return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
}

void ps_sample_options_init(ps_sample_options *o)
{
    o->interval = 0.01;
    o->lines = 0;
    o->threads = 0;
}

ps_sample_builder *ps_sample_builder_new(ps_stats *s, const ps_sample_options *o, ps_error *e)
{
    ps_sample_builder *b = calloc(1, sizeof *b);
    if (!b) {
        no_mem(e);
        return NULL;
    }
    b->s = s;
    if (o)
        b->o = *o;
    else
        ps_sample_options_init(&b->o);
    ps_stacks_init(&b->st);
    return b;
}

int ps_sample_builder_expect(ps_sample_builder *b, size_t len)
{
    size_t nf = len / BYTES_PER_FUNC, ns = len / BYTES_PER_STACK;
    b->expect_funcs = nf < EXPECT_MAX ? nf : EXPECT_MAX;
    ns = ns < EXPECT_MAX ? ns : EXPECT_MAX;
    if (b->index.slot || b->sidx.slot)
        return 0;   /* (too late) */
    /* the growing arrays' room too: a mapping costs only what is written,
     * and room from 2 MB is in huge pages from its first byte (doubled from
     * 64 kB, the first 2 MB would be 4 kB pages: 500 page faults each) */
    if (ps_index_init(&b->index, b->expect_funcs) < 0 || ps_index_init(&b->sidx, ns) < 0 ||
        ps_strpool_reserve(&b->s->pool, b->expect_funcs) < 0 ||
        ps_bigbuf_grow(&b->funcmem, b->expect_funcs * sizeof *b->funcs) < 0 ||
        ps_bigbuf_grow(&b->recmem, ns * (PS_REC_HEAD + 4) * sizeof *b->rec) < 0)
        return -1;
    return 0;
}

size_t ps_sample_expected_funcs(const ps_sample_builder *b)
{
    return b->expect_funcs;
}

void ps_sample_builder_free(ps_sample_builder *b)
{
    if (!b)
        return;
    ps_bigbuf_free(&b->funcmem);
    ps_index_free(&b->index);
    ps_stacks_free(&b->st);
    ps_bigbuf_free(&b->recmem);
    ps_index_free(&b->sidx);
    free(b->ids);
    free(b->esc);
    free(b->label);
    free(b);
}

int ps_sample_set_label(ps_sample_builder *b, const char *line, ps_error *e)
{
    free(b->label);
    b->label = line ? strdup(line) : NULL;
    if (line && !b->label)
        return no_mem(e);
    return 0;
}

ps_frame ps_thread_frame(char *buf, size_t size, const char *id, size_t idlen)
{
    int n = snprintf(buf, size, "<thread %.*s>", (int)(idlen < 200 ? idlen : 200), id);
    ps_frame f = {"~", 1, buf, n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1, 0, 0};
    return f;
}

/* ---- names: invalid UTF-8 escaped -------------------------------------------- */

/* Length of the valid UTF-8 sequence at p (1-4), or 0 if the byte starts none. */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
    uint32_t cp;
    return utf8_decode(p, n, &cp, UTF8_VALID);
}

/* s itself when valid UTF-8, else a copy in b->esc with
 * each bad byte written \xNN, as Python's backslashreplace does. */
static const char *clean_text(ps_sample_builder *b, const char *s, size_t n,
                              size_t *outlen, ps_error *e)
{
    size_t i = 0;
    while (i < n && (unsigned char)s[i] < 0x80)
        i++;
    size_t bad = 0;
    for (size_t j = i; j < n;) {
        size_t k = utf8_seq((const unsigned char *)s + j, n - j);
        bad += !k;
        j += k ? k : 1;
    }
    if (!bad) {
        *outlen = n;
        return s;
    }
    if (ps_grow(&b->esc, &b->capesc, n + 3 * bad + 1, 1) < 0) {
        no_mem(e);
        return NULL;
    }
    char *o = b->esc;
    size_t m = 0;
    for (size_t j = 0; j < n;) {
        size_t k = utf8_seq((const unsigned char *)s + j, n - j);
        if (k) {
            memcpy(o + m, s + j, k);
            m += k;
            j += k;
        } else {
            m += (size_t)sprintf(o + m, "\\x%02x", (unsigned char)s[j]);
            j++;
        }
    }
    *outlen = m;
    return o;
}

/* ---- the local function table ------------------------------------------------ */

static uint32_t key_hash_of(uint32_t file, uint32_t name, int64_t line, int keyed)
{
    uint64_t h = (uint64_t)file * 0x9e3779b97f4a7c15ull ^ name;
    if (keyed)
        h = (h ^ (uint64_t)line) * 0xff51afd7ed558ccdull;
    h ^= h >> 29;
    return (uint32_t)h ^ (uint32_t)keyed;
}

static uint32_t key_hash(const ps_str *file, const ps_str *name, int64_t line, int keyed)
{
    return key_hash_of(file->hash, name->hash, line, keyed);
}

void ps_sample_func_prefetch(const ps_sample_builder *b, const ps_frame *f)
{
    const strpool *p = &b->s->pool;
    uint32_t fh = ps_hash_bytes(f->file, f->flen), nh = ps_hash_bytes(f->name, f->nlen);
    if (p->nslots) {
        __builtin_prefetch(&p->slots[fh & (p->nslots - 1)]);
        __builtin_prefetch(&p->slots[nh & (p->nslots - 1)]);
    }
    int keyed = f->line_is_first || b->o.lines;
    if (b->index.slot)
        __builtin_prefetch(&b->index.slot[key_hash_of(fh, nh, f->line < 0 ? 0 : f->line, keyed) &
                                          b->index.mask]);
}

uint32_t ps_sample_func(ps_sample_builder *b, const ps_frame *f, ps_error *e)
{
    size_t flen, nlen;
    /* each interned before the next escape reuses the scratch buffer */
    const char *file = clean_text(b, f->file ? f->file : "", f->file ? f->flen : 0, &flen, e);
    const ps_str *fs = file ? ps_strpool_intern(&b->s->pool, file, flen) : NULL;
    const char *name = fs ? clean_text(b, f->name ? f->name : "", f->name ? f->nlen : 0, &nlen, e)
                          : NULL;
    const ps_str *ns = name ? ps_strpool_intern(&b->s->pool, name, nlen) : NULL;
    if (!ns) {
        if (file && name)
            no_mem(e);
        return UINT32_MAX;
    }
    int64_t line = f->line < 0 ? 0 : f->line;
    int keyed = f->line_is_first || b->o.lines;
    ps_index_probe p;
    for (uint32_t id = ps_index_find(&b->index, key_hash(fs, ns, line, keyed), &p);
         id != PS_INDEX_NONE; id = ps_index_next(&b->index, &p)) {
        lfunc *lf = &b->funcs[id];
        if (lf->file == fs && lf->name == ns && lf->keyed_line == keyed &&
            (!keyed || lf->line == line)) {
            /* the row's line: the smallest known line seen */
            if (!keyed && line && (!lf->line || line < lf->line))
                lf->line = line;
            return id;
        }
    }
    if (b->nfuncs == UINT32_MAX - 1) {
        ps_error_set(e, PS_EDATA, -1, "too many functions");
        return UINT32_MAX;
    }
    if (ps_bigbuf_grow(&b->funcmem, ((size_t)b->nfuncs + 1) * sizeof *b->funcs) < 0 ||
        ps_index_add(&b->index, &p, b->nfuncs) < 0) {
        no_mem(e);
        return UINT32_MAX;
    }
    b->funcs = b->funcmem.p;
    b->funcs[b->nfuncs] = (lfunc){fs, ns, line, (uint8_t)keyed};
    return b->nfuncs++;
}

void ps_sample_func_line(ps_sample_builder *b, uint32_t id, int64_t line)
{
    lfunc *lf = &b->funcs[id];
    if (!lf->keyed_line && line > 0 && (!lf->line || line < lf->line))
        lf->line = line;
}

/* ---- samples ------------------------------------------------------------------------ */

int ps_sample_check(double weight, int64_t count, ps_error *e)
{
    if (isnan(weight) || weight < 0 || isinf(weight))
        return ps_error_set(e, PS_EDATA, -1, "a weight that is a finite number >= 0, found %g",
                            weight);
    if (count < 0)
        return ps_error_set(e, PS_EDATA, -1, "a sample count >= 0, found %lld", (long long)count);
    return 0;
}

static int64_t add_sat(int64_t a, int64_t b)
{
    int64_t r;
    if (__builtin_add_overflow(a, b, &r))
        return INT64_MAX;
    return r;
}

uint32_t ps_sample_stack_hash(const uint32_t *ids, size_t n)
{
    uint64_t h = 0x9e3779b97f4a7c15ull ^ n;
    for (size_t i = 0; i < n; i++)
        h = (h ^ ids[i]) * 0xff51afd7ed558ccdull;
    return (uint32_t)(h ^ h >> 32);
}

void ps_sample_stack_prefetch(const ps_sample_builder *b, uint32_t hash)
{
    if (b->sidx.slot)
        __builtin_prefetch(&b->sidx.slot[hash & b->sidx.mask]);
}

void ps_sample_stack_prefetch_rec(const ps_sample_builder *b, uint32_t hash)
{
    if (!b->sidx.slot)
        return;
    uint64_t slot = b->sidx.slot[hash & b->sidx.mask];
    if (slot && (uint32_t)(slot >> 32) == hash)
        __builtin_prefetch(b->rec + (uint32_t)slot - 1);
}

static int same_ids(const uint32_t *a, const uint32_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return 0;
    return 1;
}

int ps_sample_add_hashed(ps_sample_builder *b, const uint32_t *ids, size_t n, uint32_t hash,
                         double weight, int64_t count, ps_error *e)
{
    if (n == 0) {
        b->st.idle_count = add_sat(b->st.idle_count, count);
        b->st.idle_weight += weight;
        return 0;
    }
    if (n > UINT32_MAX)
        return ps_error_set(e, PS_EDATA, -1, "a stack of at most 2**32 - 1 frames");
    /* A stack seen before takes the sample: memory follows the distinct
     * stacks, not the samples. */
    ps_index_probe p;
    for (uint32_t off = ps_index_find(&b->sidx, hash, &p); off != PS_INDEX_NONE;
         off = ps_index_next(&b->sidx, &p)) {
        uint32_t *r = b->rec + off;
        if (r[0] == n && same_ids(r + PS_REC_HEAD, ids, n)) {
            double w;
            int64_t c;
            memcpy(&w, r + 1, sizeof w);
            memcpy(&c, r + 3, sizeof c);
            w += weight;
            c = add_sat(c, count);
            memcpy(r + 1, &w, sizeof w);
            memcpy(r + 3, &c, sizeof c);
            return 0;
        }
    }
    /* offsets are 32 bits, ps_index's ids */
    if (b->nrec + PS_REC_HEAD + n >= UINT32_MAX)
        return ps_error_set(e, PS_EDATA, -1, "distinct stacks of at most 2**32 frames in all");
    if (ps_bigbuf_grow(&b->recmem, (b->nrec + PS_REC_HEAD + n) * sizeof *b->rec) < 0 ||
        ps_index_add(&b->sidx, &p, (uint32_t)b->nrec) < 0)
        return no_mem(e);
    b->rec = b->recmem.p;
    uint32_t *r = b->rec + b->nrec;
    r[0] = (uint32_t)n;
    memcpy(r + 1, &weight, sizeof weight);
    memcpy(r + 3, &count, sizeof count);
    memcpy(r + PS_REC_HEAD, ids, n * sizeof *ids);
    b->nrec += PS_REC_HEAD + n;
    b->nstacks++;
    return 0;
}

int ps_sample_add_ids(ps_sample_builder *b, const uint32_t *ids, size_t n, double weight,
                      int64_t count, ps_error *e)
{
    if (ps_sample_check(weight, count, e) < 0)
        return -1;
    return ps_sample_add_hashed(b, ids, n, ps_sample_stack_hash(ids, n), weight, count, e);
}

int ps_sample_add(ps_sample_builder *b, const ps_frame *frames, size_t n, double weight,
                  int64_t count, ps_error *e)
{
    if (ps_sample_check(weight, count, e) < 0)
        return -1;
    if (ps_grow(&b->ids, &b->capids, n, sizeof *b->ids) < 0)
        return no_mem(e);
    for (size_t i = 0; i < n; i++)
        if ((b->ids[i] = ps_sample_func(b, &frames[i], e)) == UINT32_MAX)
            return -1;
    /* (weight and count checked above, before any frame was made) */
    return ps_sample_add_hashed(b, b->ids, n, ps_sample_stack_hash(b->ids, n), weight, count, e);
}

/* ---- finish: the pstats view ---------------------------------------------------------- */

typedef struct xedge {
    uint32_t caller, callee;
    size_t stamp;         /* last stack + 1 that counted it */
    int64_t nc;
    double tt, ct;
} xedge;

typedef struct edge_table {
    xedge *e;             /* in mem */
    uint32_t n;
    ps_bigbuf mem;
    ps_index ix;          /* (caller, callee) -> index in e */
} edge_table;

static xedge *edge_get(edge_table *t, uint32_t caller, uint32_t callee, uint32_t *ncallers)
{
    if (t->n == UINT32_MAX - 1)
        return NULL;
    if (ps_bigbuf_grow(&t->mem, ((size_t)t->n + 1) * sizeof *t->e) < 0)
        return NULL;
    t->e = t->mem.p;
    ps_index_probe p;
    for (uint32_t id = ps_index_find(&t->ix, ps_index_hash_pair(caller, callee), &p);
         id != PS_INDEX_NONE; id = ps_index_next(&t->ix, &p))
        if (t->e[id].caller == caller && t->e[id].callee == callee)
            return &t->e[id];
    if (ps_index_add(&t->ix, &p, t->n) < 0)
        return NULL;
    t->e[t->n] = (xedge){caller, callee, 0, 0, 0, 0};
    ncallers[callee]++;
    return &t->e[t->n++];
}

/* What the builder is done with when derive starts, for derive's own
 * tables (each given up to it): memory written already costs nothing to
 * fill again, where a fresh page costs more to clear than most of the work
 * done in it (the builder's records, function rows and stack slots are 16
 * MB of the bench file's; derive's edges, sums and edge slots want 17). */
typedef struct spare {
    ps_bigbuf rec, funcs; /* the records, the function rows */
    ps_index sidx;        /* the stacks' slots */
} spare;

/* (stacks: some 4 frames each on the bench's file) */
#define DERIVE_AHEAD 8

/* Entries and callers of s from its stacks (function ids of s).  The
 * entries come in the order the functions were first seen (order[]). */
static int derive(ps_stats *s, const ps_stacks *st, const uint32_t *order, uint32_t norder,
                  spare *sp, ps_error *e)
{
    uint32_t nf = s->nfuncs;
    int rc = -1;
    uint32_t *ncallers = calloc((size_t)nf + 1, sizeof *ncallers);
    /* the sums by function id, beside the stamp: one look per frame instead
     * of three (the function, its entry, the entry's sums); in the rows'
     * memory, zeroed */
    struct facc {
        size_t stamp;
        int64_t nc;
        double ct, tt;
    } *acc = NULL;
    ps_bigbuf accmem = sp->funcs;
    size_t accbytes = ((size_t)nf + 1) * sizeof *acc;
    /* the edges in the records' memory (an edge is written whole when it
     * is made: what was there does not matter) */
    edge_table et = {.mem = sp->rec};
    uint32_t *at = NULL;
    size_t capat = 0;
    sp->funcs = sp->rec = (ps_bigbuf){0};
    /* a stack of depth d makes at most d - 1 edges: their room is
     * reserved at once (a mapping grows only as it is written) */
    size_t maxedges = st->nframes - st->nstacks;
    size_t expect = maxedges < (size_t)nf * 2 ? maxedges : (size_t)nf * 2;
    if (!ncallers || ps_bigbuf_grow(&accmem, accbytes) < 0 ||
        ps_bigbuf_grow(&et.mem, (maxedges + 1) * sizeof *et.e) < 0)
        goto oom;
    /* the edge slots in the stacks' ones when they hold as many (at most
     * half full), emptied */
    if (sp->sidx.slot && (sp->sidx.mask + 1) / 2 >= expect) {
        et.ix = sp->sidx;
        sp->sidx = (ps_index){0};
        memset(et.ix.slot, 0, (et.ix.mask + 1) * sizeof *et.ix.slot);
        et.ix.n = 0;
    } else if (ps_index_init(&et.ix, expect) < 0) {
        goto oom;
    }
    acc = accmem.p;
    memset(acc, 0, accbytes);
    et.e = et.mem.p;
    /* The stacks come sorted, so a stack shares a prefix with the one
     * before it, and the edges along that prefix are the ones found then
     * (at[j]: the edge into frame j): only the rest costs a lookup. */
    const uint32_t *prev = NULL;
    uint32_t prevdepth = 0;
    for (size_t k = 0; k < st->nstacks; k++) {
        const ps_stack *sk = &st->stacks[k];
        const uint32_t *fr = st->frames + sk->first;
        size_t mark = k + 1;
        /* The sums and the edge slots a few stacks ahead fetched now: the
         * tables are larger than the caches and each frame looks at both
         * (their misses were most of derive's time), while a stack's
         * frames are at hand. */
        if (k + DERIVE_AHEAD < st->nstacks) {
            const ps_stack *ak = &st->stacks[k + DERIVE_AHEAD];
            const uint32_t *af = st->frames + ak->first;
            __builtin_prefetch(&acc[af[0]]);
            for (uint32_t j = 1; j < ak->depth; j++) {
                __builtin_prefetch(&acc[af[j]]);
                __builtin_prefetch(&et.ix.slot[ps_index_hash_pair(af[j - 1], af[j]) & et.ix.mask]);
            }
        }
        uint32_t same = 0;
        while (same < sk->depth && same < prevdepth && fr[same] == prev[same])
            same++;
        if (ps_grow(&at, &capat, sk->depth, sizeof *at) < 0)
            goto oom;
        for (uint32_t j = 0; j < sk->depth; j++) {
            uint32_t f = fr[j];
            if (acc[f].stamp != mark) {
                acc[f].stamp = mark;
                acc[f].ct += sk->weight;
                acc[f].nc = add_sat(acc[f].nc, sk->count);
            }
            if (j == 0)
                continue;
            xedge *x;
            if (j < same) {
                x = &et.e[at[j]];
            } else {
                if (!(x = edge_get(&et, fr[j - 1], f, ncallers)))
                    goto oom;
                at[j] = (uint32_t)(x - et.e);
            }
            if (x->stamp != mark) {
                x->stamp = mark;
                x->ct += sk->weight;
                x->nc = add_sat(x->nc, sk->count);
            }
            if (j + 1 == sk->depth)
                x->tt += sk->weight;
        }
        acc[fr[sk->depth - 1]].tt += sk->weight;
        prev = fr;
        prevdepth = sk->depth;
    }
    /* The entries, in the order the functions were first seen: only
     * functions some stack holds, whose stamp the loop set (a frame may have
     * been named and then dropped with its sample). */
    s->entries = ps_mem_alloc_huge(((size_t)norder + 1) * sizeof *s->entries);
    if (!s->entries)
        goto oom;
    memset(s->entries, 0, ((size_t)norder + 1) * sizeof *s->entries);
    s->capentries = norder + 1;
    for (uint32_t i = 0; i < norder; i++) {
        uint32_t f = order[i];
        if (s->funcs[f].entry != PS_NONE || !acc[f].stamp)
            continue;   /* two local rows that became one key, or in no stack */
        s->funcs[f].entry = s->nentries;
        s->entries[s->nentries++].func = f;
    }
    /* every callers array in one block of the stats' edge memory, as the
     * loader does (not own), rather than one malloc a function */
    ps_edge *ed0 = et.n ? ps_arena_alloc(&s->edge_mem, (size_t)et.n * sizeof *ed0) : NULL;
    uint32_t used = 0;
    if (et.n && !ed0)
        goto oom;
    for (uint32_t i = 0; i < s->nentries; i++) {
        ps_entry *en = &s->entries[i];
        en->ct = acc[en->func].ct;
        en->tt = acc[en->func].tt;
        en->nc = acc[en->func].nc;
        en->cc = en->nc;
        uint32_t n = ncallers[en->func];
        if (n) {
            en->callers = ed0 + used;
            en->ncallers = n;
            ncallers[en->func] = used;   /* now where its next caller goes */
            used += n;
        }
        s->total_calls = add_sat(s->total_calls, en->nc);
        s->prim_calls = add_sat(s->prim_calls, en->cc);
        s->total_tt += en->tt;
    }
    /* each function's callers in the order the edges were first seen, each
     * where its callee's next one goes (a small array, not a look at the
     * callee's row and entry, two misses an edge) */
    for (uint32_t x = 0; x < et.n; x++) {
        const xedge *xe = &et.e[x];
        ed0[ncallers[xe->callee]++] =
            (ps_edge){xe->caller, PS_EDGE_TUPLE, xe->nc, xe->nc, xe->tt, xe->ct};
    }
    rc = 0;
    goto done;
oom:
    no_mem(e);
done:
    free(ncallers);
    ps_bigbuf_free(&accmem);
    free(at);
    ps_bigbuf_free(&et.mem);
    ps_index_free(&et.ix);
    return rc;
}

int ps_sample_finish(ps_sample_builder *b, ps_error *e)
{
    ps_stats *s = b->s;
    int rc = -1;
    uint32_t *map = NULL;
    if (b->nstacks == 0) {
        ps_error_set(e, PS_EEMPTY, -1, "no samples with frames (%lld idle)",
                     (long long)b->st.idle_count);
        goto out;
    }
    /* each local row's function, in the order the rows were made: also
     * the order of the entries (derive) */
    map = malloc(((size_t)b->nfuncs + 1) * sizeof *map);
    if (!map) {
        no_mem(e);
        goto out;
    }
    if (ps_stats_reserve_funcs(s, b->nfuncs) < 0) {
        no_mem(e);
        goto out;
    }
    for (uint32_t i = 0; i < b->nfuncs; i++) {
        const lfunc *lf = &b->funcs[i];
        map[i] = ps_stats_func_intern(s, lf->file, lf->line, lf->name, 0);
        if (map[i] == PS_NONE) {
            no_mem(e);
            goto out;
        }
    }
    /* the records renumbered in place, then merged straight from them */
    for (size_t off = 0; off < b->nrec; off += PS_REC_HEAD + b->rec[off])
        for (uint32_t j = 0; j < b->rec[off]; j++)
            b->rec[off + PS_REC_HEAD + j] = map[b->rec[off + PS_REC_HEAD + j]];
    if (ps_stacks_merge_records(&b->st, b->rec, b->nrec, b->nstacks, e) < 0)
        goto out;
    ps_stacks *keep = malloc(sizeof *keep);
    if (!keep) {
        no_mem(e);
        goto out;
    }
    *keep = b->st;
    ps_stacks_init(&b->st);
    s->stacks = keep;
    s->sampled = b->o.lines ? PS_SAMPLED_LINES : PS_SAMPLED_STACKS;
    /* the records, the rows and the stack slots are done with: derive's */
    spare sp = {b->recmem, b->funcmem, b->sidx};
    b->recmem = b->funcmem = (ps_bigbuf){0};
    b->sidx = (ps_index){0};
    b->rec = NULL;
    b->nrec = 0;
    b->funcs = NULL;
    int drc = derive(s, keep, map, b->nfuncs, &sp, e);
    ps_index_free(&sp.sidx);   /* (what derive did not take) */
    if (drc < 0)
        goto out;
    if (b->label) {
        s->files = malloc(sizeof *s->files);
        if (!s->files) {
            no_mem(e);
            goto out;
        }
        s->files[0] = b->label;
        s->nfiles = 1;
        b->label = NULL;
    }
    rc = 0;
out:
    free(map);
    ps_sample_builder_free(b);
    return rc;
}

/* ---- add: two sampled profiles, rebuilt from their stacks together ------------------ */

/* Feed every stack of o to the builder, its functions as frames. */
static int feed(ps_sample_builder *b, const ps_stats *o, ps_error *e)
{
    const ps_stacks *st = o->stacks;
    uint32_t *local = malloc(((size_t)o->nfuncs + 1) * sizeof *local);
    uint32_t *ids = NULL;
    size_t capids = 0;
    int rc = -1;
    if (!local)
        return no_mem(e);
    memset(local, 0xff, ((size_t)o->nfuncs + 1) * sizeof *local);
    for (size_t k = 0; k < st->nstacks; k++) {
        const ps_stack *sk = &st->stacks[k];
        if (ps_grow(&ids, &capids, sk->depth, sizeof *ids) < 0) {
            no_mem(e);
            goto out;
        }
        for (uint32_t j = 0; j < sk->depth; j++) {
            uint32_t f = st->frames[sk->first + j];
            if (local[f] == UINT32_MAX) {
                const ps_func *pf = &o->funcs[f];
                ps_frame fr = {pf->file->s, pf->file->len, pf->name->s, pf->name->len,
                               pf->line, 0};
                if ((local[f] = ps_sample_func(b, &fr, e)) == UINT32_MAX)
                    goto out;
            }
            ids[j] = local[f];
        }
        if (ps_sample_add_ids(b, ids, sk->depth, sk->weight, sk->count, e) < 0)
            goto out;
    }
    if (st->idle_count && ps_sample_add_ids(b, NULL, 0, st->idle_weight, st->idle_count, e) < 0)
        goto out;
    rc = 0;
out:
    free(local);
    free(ids);
    return rc;
}

int ps_sampled_add(ps_stats *s, const ps_stats *o, ps_error *e)
{
    ps_sample_options opt;
    ps_sample_options_init(&opt);
    opt.lines = s->sampled == PS_SAMPLED_LINES || o->sampled == PS_SAMPLED_LINES;
    ps_stats *fresh = ps_stats_new();
    if (!fresh)
        return no_mem(e);
    ps_sample_builder *b = ps_sample_builder_new(fresh, &opt, e);
    if (!b || feed(b, s, e) < 0 || feed(b, o, e) < 0) {
        ps_sample_builder_free(b);
        ps_stats_free(fresh);
        return -1;
    }
    if (ps_sample_finish(b, e) < 0) {
        ps_stats_free(fresh);
        return -1;
    }
    size_t n = s->nfiles + o->nfiles;
    fresh->files = calloc(n + 1, sizeof *fresh->files);
    if (!fresh->files) {
        ps_stats_free(fresh);
        return no_mem(e);
    }
    for (size_t i = 0; i < n; i++) {
        const char *f = i < s->nfiles ? s->files[i] : o->files[i - s->nfiles];
        if (!(fresh->files[fresh->nfiles] = strdup(f))) {
            ps_stats_free(fresh);
            return no_mem(e);
        }
        fresh->nfiles++;
    }
    /* s takes the new contents; its old ones go with the shell */
    ps_stats old = *s;
    *s = *fresh;
    *fresh = old;
    ps_stats_free(fresh);
    return 0;
}

int ps_parse_count(const char *p, size_t n, int64_t *out)
{
    if (!n)
        return -1;
    int64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return -1;
        int d = p[i] - '0';
        /* eighteen digits cannot overflow: the division (a tenth of the
         * folded reader's instructions, for every line number) only after */
        v = i < 18 || v <= (INT64_MAX - d) / 10 ? v * 10 + d : INT64_MAX;   /* saturate */
    }
    *out = v;
    return 0;
}
