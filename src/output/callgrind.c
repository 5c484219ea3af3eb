/* callgrind.c - the Callgrind format writer: what pyprof2calltree writes (its
 * cost model: one event, ns; calls and inclusive costs per caller), in the
 * format of valgrind's docs/callgrind-format. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "analysis/callgraph.h"
#include "base/grow.h"
#include "base/index.h"
#include "base/outbuf.h"
#include "pstats/callgrind.h"
#include "pstats/export.h"
#include "base/pipeline.h"
#include "output/callgrind_internal.h"

#define CG_VERSION "0.1"

void ps_callgrind_options_init(callgrind_options *o)
{
    memset(o, 0, sizeof *o);
    o->recursion = CALLGRIND_RECURSION_KEEP;
}

int ps_callgrind_option_set(callgrind_options *o, const char *name, const char *value,
                            ps_error *e)
{
    if (strcmp(name, "recursion") != 0)
        return 0;
    if (!value)
        return ps_error_set(e, PS_EUSAGE, -1, "--recursion needs a value (keep or drop)");
    if (strcmp(value, "keep") == 0)
        o->recursion = CALLGRIND_RECURSION_KEEP;
    else if (strcmp(value, "drop") == 0)
        o->recursion = CALLGRIND_RECURSION_DROP;
    else
        return ps_error_set(e, PS_EUSAGE, -1, "--recursion: '%s' is not keep or drop", value);
    return 2;
}

char *ps_callgrind_default_output(const char *input)
{
    const char *base = strrchr(input, '/');
    base = base ? base + 1 : input;
    size_t n = strlen(base);
    char *out = malloc(n + 9);
    if (!out)
        return NULL;
    memcpy(out, base, n);
    memcpy(out + n, ".log", 5);
    if (strcmp(out, input) == 0)
        memcpy(out + n + 4, ".log", 5);
    return out;
}

/* ---- costs -------------------------------------------------------------------------- */

/* pyprof2calltree's int(t * 1e9): scaled, truncated toward zero.  Values no
 * reader could show are written as 0 (NaN, infinite, negative, over 1e12 s)
 * or at most 1e18. */
static long long ns_of(double t)
{
    double x = ps_time_clean(t) * 1e9;
    if (x >= 1e18)
        return 1000000000000000000LL;
    return (long long)x;
}

static long long line_of(int64_t line)
{
    return line > 0 ? (long long)line : 0;   /* "-N" would read as a relative position */
}

/* ---- order and names ----------------------------------------------------------------- */

static int str_cmp(const ps_str *a, const ps_str *b)
{
    if (a == b)
        return 0;
    size_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->s, b->s, n);
    if (c)
        return c;
    return a->len < b->len ? -1 : a->len > b->len;
}

/* qsort has no context argument; a thread-local pointer would be global state,
 * so the keys are copied next to the ids instead.  Files are ranked first
 * (there are few), so most comparisons are of integers. */
typedef struct key_item {
    const ps_str *file, *name;
    int64_t line;
    uint32_t id;
    uint32_t file_rank;
    long long self_ns;    /* carried along: read here in function order, not later at random */
} key_item;

static int key_cmp(const void *pa, const void *pb)
{
    const key_item *a = pa, *b = pb;
    if (a->file_rank != b->file_rank)
        return a->file_rank < b->file_rank ? -1 : 1;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    int c = str_cmp(a->name, b->name);
    if (c)
        return c;
    return a->id < b->id ? -1 : a->id > b->id;
}

static int file_cmp(const void *pa, const void *pb)
{
    return str_cmp(*(const ps_str *const *)pa, *(const ps_str *const *)pb);
}

/* file_rank of every function: the rank of its file string among all the
 * distinct ones.  Files are few: the library's index (base/index.h) over the
 * interned pointers finds each one's position in files[]. */
static uint32_t file_at(const ps_index *ix, const ps_str *const *files, const ps_str *f,
                        ps_index_probe *p)
{
    uint32_t at = ps_index_find(ix, f->hash, p);
    while (at != PS_INDEX_NONE && files[at] != f)
        at = ps_index_next(ix, p);
    return at;
}

static int rank_files(const ps_stats *s, key_item *keys, ps_error *e)
{
    uint32_t n = s->nfuncs, nfiles = 0;
    ps_index ix;
    ps_index_probe p;
    int ix_ok = ps_index_init(&ix, 1024) == 0;
    const ps_str **files = malloc(((size_t)n + 1) * sizeof *files);
    uint32_t *rank = NULL;
    if (!ix_ok || !files)
        goto oom;
    for (uint32_t i = 0; i < n; i++) {
        const ps_str *f = s->funcs[i].file;
        if (file_at(&ix, files, f, &p) != PS_INDEX_NONE)
            continue;
        if (ps_index_add(&ix, &p, nfiles) < 0)
            goto oom;
        files[nfiles++] = f;
    }
    /* rank[at]: the rank of files[at] once they are sorted */
    const ps_str **sorted = malloc(((size_t)nfiles + 1) * sizeof *sorted);
    rank = malloc(((size_t)nfiles + 1) * sizeof *rank);
    if (!sorted || !rank) {
        free(sorted);
        goto oom;
    }
    memcpy(sorted, files, (size_t)nfiles * sizeof *sorted);
    qsort(sorted, nfiles, sizeof *sorted, file_cmp);
    for (uint32_t r = 0; r < nfiles; r++)
        rank[file_at(&ix, files, sorted[r], &p)] = r;
    free(sorted);
    for (uint32_t i = 0; i < n; i++) {
        if (i + 16 < n && s->funcs[i + 16].entry != PS_NONE)   /* entries are in no order */
            __builtin_prefetch(&s->entries[s->funcs[i + 16].entry].tt);
        const ps_str *f = s->funcs[i].file;
        const ps_entry *en = ps_stats_entry_of(s, i);
        keys[i] = (key_item){f, s->funcs[i].name, s->funcs[i].line, i,
                             rank[file_at(&ix, files, f, &p)], en ? ns_of(en->tt) : 0};
    }
    ps_index_free(&ix);
    free(rank);
    free(files);
    return 0;
oom:
    ps_index_free(&ix);
    free(rank);
    free(files);
    return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
}

/* The order of the keys (function ids) as key_cmp sorts them: a radix sort
 * on (file rank, line) packed in 64 bits, then each run of equal packed keys
 * (same file and line, or lines beyond 32 bits) by key_cmp.  qsort's
 * indirect calls and 40-byte moves cost more than everything else in the
 * writer but the output; the keys themselves are not moved at all. */
typedef struct packed_key {
    uint64_t k;
    uint32_t i;
} packed_key;

/* order[i .. j-1], one run of equal packed keys, by key_cmp. */
static int sort_run(const key_item *keys, uint32_t *order, uint32_t i, uint32_t j)
{
    if (j - i <= 16) {   /* most runs are short: no qsort call for them */
        for (uint32_t x = i + 1; x < j; x++) {
            uint32_t t = order[x], y = x;
            for (; y > i && key_cmp(&keys[order[y - 1]], &keys[t]) > 0; y--)
                order[y] = order[y - 1];
            order[y] = t;
        }
        return 0;
    }
    key_item *run = malloc((size_t)(j - i) * sizeof *run);
    if (!run)
        return -1;
    for (uint32_t x = i; x < j; x++)
        run[x - i] = keys[order[x]];
    qsort(run, j - i, sizeof *run, key_cmp);
    for (uint32_t x = i; x < j; x++)
        order[x] = run[x - i].id;
    free(run);
    return 0;
}

static int ps_sort_keys(const key_item *keys, uint32_t n, uint32_t *order, ps_error *e)
{
    /* A few functions: the radix passes' 512 KiB of counters cost more than
     * sorting them with key_cmp outright (the same total order). */
    if (n < 1024) {
        for (uint32_t i = 0; i < n; i++)
            order[i] = i;
        if (sort_run(keys, order, 0, n) == 0)
            return 0;
        return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
    }
    packed_key *a = malloc(((size_t)n + 1) * sizeof *a);
    packed_key *b = malloc(((size_t)n + 1) * sizeof *b);
    size_t *count = malloc(65537 * sizeof *count);
    if (!a || !b || !count)
        goto oom;
    for (uint32_t i = 0; i < n; i++) {
        int64_t l = keys[i].line;
        uint32_t lc = l < 0 ? 0 : l > (int64_t)UINT32_MAX ? UINT32_MAX : (uint32_t)l;
        a[i] = (packed_key){(uint64_t)keys[i].file_rank << 32 | lc, i};
    }
    for (int shift = 0; shift < 64; shift += 16) {
        memset(count, 0, 65537 * sizeof *count);
        for (uint32_t i = 0; i < n; i++)
            count[((a[i].k >> shift) & 0xffff) + 1]++;
        if (n && count[((a[0].k >> shift) & 0xffff) + 1] == n)
            continue;                           /* one digit value: already in order */
        for (size_t d = 0; d < 65536; d++)
            count[d + 1] += count[d];
        for (uint32_t i = 0; i < n; i++)
            b[count[(a[i].k >> shift) & 0xffff]++] = a[i];
        packed_key *t = a;
        a = b;
        b = t;
    }
    for (uint32_t i = 0; i < n; i++)
        order[i] = a[i].i;
    for (uint32_t i = 0; i < n;) {
        uint32_t j = i + 1;
        while (j < n && a[j].k == a[i].k)
            j++;
        /* Names are compared in runs of equal keys, each a cache miss:
         * fetch those of the runs further on. */
        for (uint32_t x = i + 32; x < j + 32 && x < n; x++) {
            if (a[x].k == a[x - 1].k) {
                __builtin_prefetch(keys[a[x].i].name);
                __builtin_prefetch(keys[a[x - 1].i].name);
            }
        }
        if (j - i > 1 && sort_run(keys, order, i, j) < 0)
            goto oom;
        i = j;
    }
    free(a);
    free(b);
    free(count);
    return 0;
oom:
    free(a);
    free(b);
    free(count);
    return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
}

/* The graph's nodes are the functions in output order (rank k is function
 * order[k]), so blocks and their calls are written walking the arrays
 * straight through; only the callee of each call is a random access, into
 * this small record.  Ids need not come in order of first use: function k's
 * id is k + 1, a file's the rank of its string among the files. */
typedef struct cg_node {
    uint32_t line;             /* position written; UINT32_MAX: look it up */
    uint32_t file_id;          /* from 1 */
} cg_node;

/* Functions of the output sharing (file, name) at several lines get
 * "name:line", as in pyprof2calltree.  A file's functions are adjacent in
 * the output order, so an index of one file's functions by name at a time
 * (small: the memory is at its peak here) finds the first function of each
 * name, and one that meets it is marked with it.  (Names are interned: one
 * pointer per name.) */
static int mark_repeated_names(const ps_str *const *names, const uint32_t *order,
                               const cg_node *node, const uint8_t *used, uint32_t n,
                               uint8_t *munge, ps_error *e)
{
    for (uint32_t k0 = 0, k1; k0 < n; k0 = k1) {
        for (k1 = k0 + 1; k1 < n && node[k1].file_id == node[k0].file_id; k1++)
            ;
        if (k1 - k0 < 2)
            continue;
        ps_index ix;
        if (ps_index_init(&ix, k1 - k0) < 0)
            return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
        for (uint32_t k = k0; k < k1; k++) {
            if (!used[k])
                continue;
            ps_index_probe p;
            uint32_t at = ps_index_find(&ix, names[k]->hash, &p);
            while (at != PS_INDEX_NONE && names[at] != names[k])
                at = ps_index_next(&ix, &p);
            if (at != PS_INDEX_NONE)
                munge[order[k]] = munge[order[at]] = 1;
            else
                ps_index_add(&ix, &p, k);   /* cannot fail: made for the file */
        }
        ps_index_free(&ix);
    }
    return 0;
}

typedef struct cg_writer {
    const ps_stats *s;
    const uint32_t *order;     /* node -> function */
    const uint8_t *munge;      /* by function: write "name:line" */
    const cg_node *node;
    const ps_callgraph *g;
    const long long *self_ns;  /* by node */
    const ps_str **names;      /* by node: the function's name (one cache miss less) */
    /* Name compression: a name is written in full at its first mention and
     * as "(id)" after.  Mentions are numbered in output order (block k's
     * header is k + start[k], its a-th call k + 1 + a), and the number of
     * each name's first one is found before the blocks that mention it are
     * written, so that they can be written in any order, by any thread. */
    uint64_t *first_fn;        /* by node */
    uint64_t *first_file;      /* by file id */
    uint32_t nfile_ids;
    int drop;                  /* --recursion=drop */
} cg_writer;

static inline long long node_line(const cg_writer *w, uint32_t k)
{
    uint32_t l = w->node[k].line;
    return l != UINT32_MAX ? (long long)l : line_of(w->s->funcs[w->order[k]].line);
}

static inline int call_written(const cg_writer *w, uint32_t k, uint32_t a)
{
    /* "calls=0" would make readers take the cost as self cost */
    return w->g->nc[a] > 0 && !(w->drop && w->g->scc[w->g->to[a]] == w->g->scc[k]);
}

/* Always inlined (as the two below): the key is a literal whose length is
 * then known when compiled. */
static inline __attribute__((always_inline)) void write_id(outbuf *b, const char *key,
                                                           uint32_t id)
{
    ob_str(b, key);
    ob_char(b, '(');
    ob_int(b, id);
    ob_lit(b, ")\n");
}

/* profile.py names builtins with an empty file; an empty name cannot be
 * compressed ("(3) " reads as a reference), so it is written as "~" like
 * cProfile's builtins. */
static inline __attribute__((always_inline)) void write_file(const cg_writer *w, outbuf *b,
                                                             const char *key, uint32_t k,
                                                             uint64_t seq)
{
    uint32_t id = w->node[k].file_id;
    if (w->first_file[id] != seq) {
        write_id(b, key, id);
        return;
    }
    const ps_str *file = w->s->funcs[w->order[k]].file;
    ob_str(b, key);
    ob_char(b, '(');
    ob_int(b, id);
    ob_lit(b, ") ");
    if (file->len)
        ob_name(b, file->s, file->len);
    else
        ob_char(b, '~');
    ob_char(b, '\n');
}

static inline __attribute__((always_inline)) void write_fn(const cg_writer *w, outbuf *b,
                                                           const char *key, uint32_t k,
                                                           uint64_t seq)
{
    if (w->first_fn[k] != seq) {
        write_id(b, key, k + 1);
        return;
    }
    uint32_t func = w->order[k];
    const ps_str *name = w->names[k];
    ob_str(b, key);
    ob_char(b, '(');
    ob_int(b, k + 1);
    ob_lit(b, ") ");
    if (name->len)
        ob_name(b, name->s, name->len);
    else
        ob_lit(b, "???");
    if (w->munge[func]) {
        ob_char(b, ':');
        ob_int(b, (long long)w->s->funcs[func].line);
    }
    ob_char(b, '\n');
}

/* Number every first mention of a function and of a file (see cg_writer):
 * none yet, then those of the blocks k0 .. k1-1, blocks taken in order.  A
 * block's mentions are final once the blocks up to it are numbered, so the
 * body may be formatted behind the numbering, not after all of it. */
static void no_first_mentions(const cg_writer *w)
{
    for (uint32_t k = 0; k < w->g->n; k++)
        w->first_fn[k] = UINT64_MAX;
    for (uint32_t id = 0; id < w->nfile_ids; id++)
        w->first_file[id] = UINT64_MAX;
}

static void find_first_mentions(const cg_writer *w, uint32_t k0, uint32_t k1)
{
    const ps_callgraph *g = w->g;
    uint64_t *first_fn = w->first_fn, *first_file = w->first_file;
    for (uint32_t k = k0; k < k1; k++) {
        if (!g->used[k])
            continue;
        uint64_t seq = (uint64_t)k + g->start[k];
        if (first_file[w->node[k].file_id] == UINT64_MAX)
            first_file[w->node[k].file_id] = seq;
        if (first_fn[k] == UINT64_MAX)
            first_fn[k] = seq;
        for (uint32_t a = g->start[k]; a < g->start[k + 1]; a++) {
            if (a + 16 < g->narcs) {   /* callees are in no order */
                __builtin_prefetch(&w->node[g->to[a + 16]]);
                __builtin_prefetch(&first_fn[g->to[a + 16]]);
            }
            if (!call_written(w, k, a))
                continue;
            uint32_t c = g->to[a];
            seq = (uint64_t)k + 1 + a;
            if (first_file[w->node[c].file_id] == UINT64_MAX)
                first_file[w->node[c].file_id] = seq;
            if (first_fn[c] == UINT64_MAX)
                first_fn[c] = seq;
        }
    }
}

/* ---- prefetching for write_blocks: no effect on the output, only on when
 * the records it reads reach the cache.  A big profile's functions and
 * callees are in no useful memory order, so each record would be a miss. */

/* The name of the function whose block comes 8 blocks later. */
static inline __attribute__((always_inline)) void prefetch_block(const cg_writer *w, uint32_t k)
{
    if (k + 8 < w->g->n)
        __builtin_prefetch(w->names[k + 8]);
}

/* Two stages ahead of call a: the callee records 16 calls on, then, for the
 * callee 8 calls on if it is not mentioned yet (its name is written in full),
 * its name -- fetching every callee's name stalled on names[].  Only within
 * the blocks given (up to last_arc): further on, first mentions may be being
 * numbered still. */
static inline __attribute__((always_inline)) void prefetch_call(const cg_writer *w, uint32_t k,
                                                                uint32_t a, uint32_t last_arc)
{
    const ps_callgraph *g = w->g;
    if (a + 16 < g->narcs) {
        __builtin_prefetch(&w->node[g->to[a + 16]]);
        __builtin_prefetch(&w->first_fn[g->to[a + 16]]);
    }
    if (a + 8 < last_arc && w->first_fn[g->to[a + 8]] > (uint64_t)k + 1 + a)
        __builtin_prefetch(w->names[g->to[a + 8]]);
}

/* The blocks of the functions ranked k0 .. k1-1. */
static void write_blocks(const cg_writer *w, outbuf *b, uint32_t k0, uint32_t k1)
{
    const ps_callgraph *g = w->g;
    uint32_t last_arc = g->start[k1];
    for (uint32_t k = k0; k < k1; k++) {
        prefetch_block(w, k);
        if (!g->used[k])
            continue;
        long long fline = node_line(w, k);
        uint64_t seq = (uint64_t)k + g->start[k];
        write_file(w, b, "fl=", k, seq);
        write_fn(w, b, "fn=", k, seq);
        ob_reserve(b, 48);
        ob_int(b, fline);
        ob_char(b, ' ');
        ob_int(b, w->self_ns[k]);
        ob_char(b, '\n');
        uint32_t end = g->start[k + 1];
        for (uint32_t a = g->start[k]; a < end; a++) {
            prefetch_call(w, k, a, last_arc);
            if (!call_written(w, k, a))
                continue;
            uint32_t callee = g->to[a];
            seq = (uint64_t)k + 1 + a;
            write_file(w, b, "cfl=", callee, seq);
            write_fn(w, b, "cfn=", callee, seq);
            ob_reserve(b, 96);
            ob_lit(b, "calls=");
            ob_int(b, (long long)g->nc[a]);
            ob_char(b, ' ');
            ob_int(b, node_line(w, callee));
            ob_char(b, '\n');
            ob_int(b, fline);
            ob_char(b, ' ');
            ob_int(b, ns_of(g->w[a]));
            ob_char(b, '\n');
        }
        ob_char(b, '\n');
    }
}

/* ---- the body, in chunks on two threads ---------------------------------------------
 *
 * Formatting a million calls is most of the writer's time, and blocks are
 * independent once first mentions are known: through the library's hand-off
 * (base/pipeline.h) this thread numbers the first mentions chunk by chunk, a
 * helper and this thread format chunks into memory, and this thread writes
 * them out in order as they come.  At most CG_AHEAD chunks are numbered
 * beyond the last written, which bounds the memory held. */

/* Blocks plus calls per chunk: about 200 KB of text, which stays in the
 * formatting core's cache until it is written (16384 was 10-15 % slower). */
#define CG_CHUNK_UNITS 4096
#define CG_CHUNK_UNITS_TEST 64 /* threads = 2: many chunks of a small profile */
#define CG_AHEAD 4

typedef struct cg_chunk {
    uint32_t k0, k1;
    outbuf *b;                 /* the formatted text (b->mem), NULL when out of memory */
} cg_chunk;

typedef struct cg_body {
    const cg_writer *w;
    cg_chunk *chunks;
    outbuf *out;
} cg_body;

static void free_chunk(cg_chunk *c)
{
    if (c->b)
        free(c->b->mem);
    free(c->b);
    c->b = NULL;
}

/* The stages of the hand-off (base/pipeline.h): number a chunk's first
 * mentions (in order), format it (any thread), write it (in order). */
static void number_chunk(void *arg, size_t i)
{
    cg_body *B = arg;
    find_first_mentions(B->w, B->chunks[i].k0, B->chunks[i].k1);
}

static void format_chunk(void *arg, size_t i, int worker)
{
    (void)worker;
    cg_body *B = arg;
    cg_chunk *c = &B->chunks[i];
    c->b = malloc(sizeof *c->b);
    if (!c->b)
        return;
    ob_init(c->b, NULL);
    write_blocks(B->w, c->b, c->k0, c->k1);
    ob_flush(c->b);
}

/* Write chunk i to the output: 0, or 1 (out->failed set) to stop. */
static int put_chunk(void *arg, size_t i)
{
    cg_body *B = arg;
    cg_chunk *c = &B->chunks[i];
    outbuf *out = B->out;
    if (!c->b || c->b->failed) {
        out->failed = 1;
        out->err = ENOMEM;
    } else if (!out->failed && c->b->memlen &&
               fwrite(c->b->mem, 1, c->b->memlen, out->fp) != c->b->memlen) {
        out->failed = 1;
        out->err = errno ? errno : EIO;
    }
    free_chunk(c);
    return out->failed;
}

static void drop_chunk(void *arg, size_t i, int worker)
{
    (void)worker;
    cg_body *B = arg;
    free_chunk(&B->chunks[i]);   /* (written ones are freed already) */
}

/* Write the blocks to out (flushed first); -1 with out->failed set on error. */
static int write_body(const cg_writer *w, outbuf *out, int threads)
{
    uint32_t chunk_units = threads == 1 ? UINT32_MAX
                         : threads == 2 ? CG_CHUNK_UNITS_TEST : CG_CHUNK_UNITS;
    const ps_callgraph *g = w->g;
    uint32_t n = g->n, nchunks = 0;
    size_t cap = 0;
    cg_chunk *chunks = NULL;
    for (uint32_t k = 0; k < n;) {
        uint64_t units = 0;
        uint32_t k0 = k;
        while (k < n && units < chunk_units)
            units += 1 + (uint64_t)(g->start[k + 1] - g->start[k]), k++;
        if (ps_grow(&chunks, &cap, (size_t)nchunks + 1, sizeof *chunks) < 0)
            goto nomem;
        chunks[nchunks++] = (cg_chunk){k0, k, NULL};
    }
    ob_flush(out);
    static const ps_pipeline_ops ops = {number_chunk, format_chunk, put_chunk, drop_chunk};
    cg_body B = {w, chunks, out};
    int rc = ps_pipeline_run(nchunks, threads == 1 ? 0 : 1, CG_AHEAD, &ops, &B) ? -1 : 0;
    free(chunks);
    return rc;
nomem:
    free(chunks);
    out->failed = 1;
    out->err = ENOMEM;
    return -1;
}

int ps_callgrind_write(const ps_stats *s, const callgrind_options *o, FILE *fp,
                    const char *what, ps_error *e)
{
    return ps_callgrind_write_threads(s, o, 0, fp, what, e);
}

int ps_callgrind_write_threads(const ps_stats *s, const callgrind_options *o, int threads,
                               FILE *fp, const char *what, ps_error *e)
{
    callgrind_options defaults;
    if (!o) {
        ps_callgrind_options_init(&defaults);
        o = &defaults;
    }
    uint32_t n = s->nfuncs;
    /* calloc: GCC cannot see that rank_files fills every key before the sort reads them */
    key_item *keys = calloc((size_t)n + 1, sizeof *keys);
    uint32_t *order = malloc(((size_t)n + 1) * sizeof *order);
    uint8_t *munge = calloc((size_t)n + 1, 1);
    cg_node *node = calloc((size_t)n + 1, sizeof *node);
    long long *self_ns = calloc((size_t)n + 1, sizeof *self_ns);
    const ps_str **names = malloc(((size_t)n + 1) * sizeof *names);
    uint64_t *first_fn = malloc(((size_t)n + 1) * sizeof *first_fn);
    uint64_t *first_file = malloc(((size_t)n + 2) * sizeof *first_file);
    outbuf *b = malloc(sizeof *b);
    ps_callgraph g;
    memset(&g, 0, sizeof g);
    int rc = -1;
    if (!keys || !order || !munge || !node || !self_ns || !names || !first_fn || !first_file ||
        !b) {
        ps_error_set(e, PS_ENOMEM, -1, "out of memory");
        goto done;
    }
    if (rank_files(s, keys, e) < 0 || ps_sort_keys(keys, n, order, e) < 0)
        goto done;
    uint32_t file_id = 0;
    const ps_str *file = NULL;
    for (uint32_t k = 0; k < n; k++) {
        if (k + 16 < n)
            __builtin_prefetch(&keys[order[k + 16]]);
        const key_item *key = &keys[order[k]];
        self_ns[k] = key->self_ns;
        names[k] = key->name;
        if (k == 0 || key->file != file)
            file_id++;
        file = key->file;
        long long l = line_of(key->line);
        node[k].line = l < UINT32_MAX ? (uint32_t)l : UINT32_MAX;
        node[k].file_id = file_id;
    }
    free(keys);   /* 40 bytes a function, needed no further: not held through the graph */
    keys = NULL;
    if (ps_callgraph_build(s, order, threads, &g, e) < 0)
        goto done;
    if (o->recursion == CALLGRIND_RECURSION_DROP && ps_callgraph_scc(&g, e) < 0)
        goto done;

    if (mark_repeated_names(names, order, node, g.used, n, munge, e) < 0)
        goto done;

    /* Totals first: summary must come out before the body. */
    long long totals = 0, maxct = 0;
    for (uint32_t i = 0; i < s->nentries; i++) {
        const ps_entry *en = &s->entries[i];
        totals += ns_of(en->tt);
        long long c = ns_of(en->ct);
        if (c > maxct)
            maxct = c;
    }

    cg_writer w = {s, order, munge, node, &g, self_ns, names, first_fn, first_file,
                   file_id + 1, o->recursion == CALLGRIND_RECURSION_DROP};
    no_first_mentions(&w);
    ob_init(b, fp);
    ob_lit(b, "# callgrind format\nversion: 1\ncreator: prof2callgrind " CG_VERSION
              " (pstats toolkit)\n");
    if (o->cmd && *o->cmd) {
        ob_lit(b, "cmd: ");
        ob_name(b, o->cmd, strlen(o->cmd));
        ob_char(b, '\n');
    }
    ob_lit(b, "positions: line\nevent: ns : Nanoseconds\nevents: ns\nsummary: ");
    /* A summary is at least the sum of the self costs (the format's rule);
     * pyprof2calltree's is the largest cumulative time, usually larger. */
    ob_int(b, maxct > totals ? maxct : totals);
    ob_lit(b, "\n\n");
    write_body(&w, b, threads);
    ob_lit(b, "totals: ");
    ob_int(b, totals);
    ob_char(b, '\n');
    rc = ob_finish(b, what, e);
done:
    ps_callgraph_free(&g);
    free(keys);
    free(order);
    free(munge);
    free(node);
    free(self_ns);
    free(names);
    free(first_fn);
    free(first_file);
    free(b);
    return rc;
}

int ps_callgrind_export(const ps_stats *s, const char *path, const callgrind_options *o,
                     ps_error *e)
{
    export_file f;
    if (ps_export_file_open(&f, path, e) < 0)
        return -1;
    if (ps_callgrind_write(s, o, f.fp, path, e) < 0) {
        ps_export_file_abort(&f);
        return -1;
    }
    return ps_export_file_commit(&f, e);
}
