/* load_direct.c - the dump loader's one pass: marshal bytes straight into the
 * function table and the callers arrays, for dumps shaped as profilers write
 * them; anything else goes to the generic reader (stats.c), which reports it.
 *
 * The design: no object tree.  Each item is decoded where it lies in the
 * input's window (below) and stored once, in its final place: a key becomes a function
 * id, a caller edge goes to the end of the current entry's run in
 * stats->edge_mem.  The FLAG_REF table numbers flagged objects as CPython
 * does (pre-order) and keeps one 32-bit word per slot:
 *
 *   11xx...  a key tuple: its function id;
 *   10xx...  a string: its index in `strs`, the interned copies;
 *   01xx...  an int from 0 to 2**30 - 1, its value (the counts referred to);
 *   00xx...  another int's index in `big`, the values of the others
 *            (seldom: a negative count, a line past 2**30);
 *   REF_NONE anything a dump never refers back to (a dict, an entry's value)
 *            or not finished yet: a reference to it declines;
 *
 * except for floats, which some writers flag by the million and no dump
 * refers to: a bit each (a reference to one declines), with per 64 slots
 * the count of words before them, so that slot i's word is found by a
 * popcount.  (Synthetic 50 MB dump: 1.85M slots, 1.39M floats; 1.8 MB of
 * words instead of 7.4.)
 *
 * The references that count are to keys (a million callers in that dump),
 * and a word among 1.8 MB of them is a cache miss each.  So each 64 slots
 * have a block for their keys too: a bit each and the function id of the
 * first, the others following in order, as a dump's new keys do (one
 * function after the other).  A key that breaks the run (a second tuple for
 * a function already seen) keeps its word only.  A reference to a key then
 * reads a 12-byte key block and nothing else: 0.35 MB for the 1.85M slots,
 * which the cache holds more of than of the 1.8 MB of words (that dump's
 * key lookups: 20 % of the load's time with the words; 10-19 % with one
 * 24-byte block for the keys and the floats, 0.7 MB; 6-9 % with the two
 * apart).
 *
 * The input is read through a window, a buffer refilled from the file
 * (pread) as the pass goes, never through the file's mapping: the pass
 * reads each byte once and keeps nothing of it but what it decodes (the
 * strings are copied into the pool, the references are to slots), so the
 * 50 MB of synth.prof cost 12 ms of copies instead of the mapping's 27 ms of
 * page faults and page tables, and none of the file is memory afterwards.
 * need() is the window's one check: every read of the input's bytes comes
 * after a need() that covers them.  An input already in memory (standard
 * input, gzip, a caller's buffer) is a window that holds it whole.
 *
 * Declining is the whole error story: the first byte that is not what a
 * well-formed cProfile/profile dump holds (truncation, a bad reference, a
 * duplicate key, a Python 2 string, a code object, a big int...) makes this
 * pass return 0, and the caller loads the input again with the generic
 * reader on a fresh database, which gives CPython's error and offset, or the
 * same stats (test_pipeline.c checks both on every real dump). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "data/stats_internal.h"
#include "base/grow.h"
#include "base/mem.h"

#define FLAG_REF 0x80
#define REF_NONE UINT32_MAX
#define REF_KEY 0xC0000000u
#define REF_STR 0x80000000u
#define REF_INT 0x40000000u
#define REF_VAL 0x3FFFFFFFu
/* edges per fresh run block: one that fills 8 MB of huge pages (the arena's
 * block header and rounding take the rest) */
#define EDGE_CHUNK ((((size_t)8 << 20) - 256) / sizeof(ps_edge))
#define SEEN_MIN 16                       /* callers checked for duplicates by d->seen */
/* the window's first size, in the L2 cache of any processor of the last
 * decade; an item longer than it (a long string) grows it */
#define WINDOW ((size_t)256 << 10)

size_t ps_load_window;

typedef struct direct {
    ps_stats *s;
    const unsigned char *p, *end;   /* the window: the input's bytes not decoded yet */
    const unsigned char *win;       /* the window's start: the input's byte at offset off */
    size_t off, len;                /* (len: the input's length) */
    int fd;                         /* where more of it comes from: the file, or (-1) */
    const unsigned char *data;      /*   the input in memory (buf == NULL: nowhere) */
    unsigned char *buf;             /* the window's buffer */
    size_t cap, next;               /* its size; the input's offset the next refill reads */
    int32_t *big;                   /* the flagged ints outside REF_VAL (words tagged 00) */
    size_t nbig, capbig;
    uint32_t *words;          /* the slots that are not floats, in order */
    size_t nwords, capwords;
    /* per 64 slots, i / 64 * 64 ... + 63, bit i % 64 */
    struct __attribute__((packed, aligned(4))) keyblock {
        uint64_t keys;        /* slot i is a key tuple: function first + */
        uint32_t first;       /*   the keys before it in the block */
    } *keyblocks;
    struct __attribute__((packed, aligned(4))) wordblock {
        uint64_t floats;      /* slot i is a float: no word */
        uint32_t before;      /* words of the slots before the block */
    } *wordblocks;
    size_t nrefs, capblocks;
    const ps_str **strs;
    size_t nstrs, capstrs;
    /* Per function, the serial of the entry whose callers named it last:
     * a caller named twice in one long dict is a duplicate key. */
    uint32_t *seen;
    /* Per function a bit: it has an entry (a key named twice in the dump's
     * dict is a duplicate).  Asking the function's record was a cache miss
     * for each entry of a big dump: 32 bytes in a 6 MB array, at random,
     * where the bits of 200,000 functions are 25 kB. */
    uint64_t *entered;
    size_t capfn;             /* functions seen and entered have room for (a multiple of 64) */
    /* The ints referred to lately, by slot (slot + 1, 0: none): a dump's
     * references to ints are nearly all to CPython's few hundred small ints,
     * flagged once and named a million times; this answers them without the
     * block's bits and popcounts (synth.prof: 80 M of 660 M instructions). */
    struct { uint32_t slot1; int32_t v; } ints[256];
    ps_edge *run, *run_end;   /* the current entry's callers, room up to run_end */
    size_t nedges;            /* the callers of the entries before */
} direct;

/* ---- the window ------------------------------------------------------------ */

/* need()'s way when the window holds fewer than n bytes: the bytes not
 * decoded yet moved to the buffer's start, and the rest of it filled from the
 * input (the buffer grown first if n is more than it holds and the input
 * has n bytes left: a string's length is the input's word, and a hostile
 * one's says 2 GB). */
static int refill(direct *d, size_t n)
{
    if (!d->buf)
        return 0;   /* (the input whole in memory: its end is the end) */
    size_t have = (size_t)(d->end - d->p);
    if (n > d->cap && n - have <= d->len - d->next) {
        unsigned char *nb = malloc(n);
        if (!nb)
            return 0;
        memcpy(nb, d->p, have);
        free(d->buf);
        d->buf = nb;
        d->cap = n;
    } else {
        memmove(d->buf, d->p, have);
    }
    d->off += (size_t)(d->p - d->win);
    while (have < d->cap && d->next < d->len) {
        size_t want = d->cap - have < d->len - d->next ? d->cap - have : d->len - d->next;
        if (d->fd >= 0) {
            ssize_t k = pread(d->fd, d->buf + have, want, (off_t)d->next);
            if (k < 0 && errno == EINTR)
                continue;
            if (k <= 0)   /* an error, or the file cut short since it was opened */
                break;
            want = (size_t)k;
        } else {
            memcpy(d->buf + have, d->data + d->next, want);
        }
        have += want;
        d->next += want;
    }
    d->win = d->p = d->buf;
    d->end = d->buf + have;
    return have >= n;
}

/* Whether the window holds n bytes from d->p; if not, it holds all the
 * input has left.  (A refill moves the window: pointers into it are taken
 * after the need() that covers them.) */
static inline int need(direct *d, size_t n)
{
    return (size_t)(d->end - d->p) >= n || refill(d, n);
}

/* The offset in the input of d->p. */
static inline size_t consumed(const direct *d)
{
    return d->off + (size_t)(d->p - d->win);
}

/* ---- the reference table -------------------------------------------------- */

/* A fresh block for slot d->nrefs (a multiple of 64): out of line, once in
 * 64 slots. */
static int ref_block_new(direct *d)
{
    size_t b = d->nrefs >> 6;
    if (b == d->capblocks) {
        size_t cap = ps_grow_cap(d->capblocks, b + 1);
        if (ps_resize(&d->keyblocks, cap, sizeof *d->keyblocks) < 0 ||
            ps_resize(&d->wordblocks, cap, sizeof *d->wordblocks) < 0)
            return 0;
        d->capblocks = cap;
    }
    d->keyblocks[b] = (struct keyblock){0, 0};
    d->wordblocks[b] = (struct wordblock){0, (uint32_t)d->nwords};
    return 1;
}

/* Room for the reference table before the pass, from the input's size: a
 * word for a flagged object in 32 bytes (real dumps hold one in 47-74
 * bytes, synth.prof one in 108) and a block for 64 slots in 1 kB (a slot
 * in 16 bytes; real: one in 27-74).  Address space only: a page is memory
 * once written; the words on huge pages, the blocks (together a third of
 * the words' size) on 4 kB ones.  Grown by doubling from nothing, the
 * words and blocks wrote each size's copy on fresh pages: 570 of
 * synth.prof's 2,350 page faults, and the copies left 1.1 MB more at the
 * peak.  A dump past the room (a hostile one: a flagged int in 5 bytes)
 * still grows them. */
static int ref_reserve(direct *d, size_t len)
{
    d->capwords = len / 32 + 64;
    d->capblocks = len / 1024 + 2;
    d->words = ps_mem_alloc_huge(d->capwords * sizeof *d->words);
    d->keyblocks = malloc(d->capblocks * sizeof *d->keyblocks);
    d->wordblocks = malloc(d->capblocks * sizeof *d->wordblocks);
    return d->words && d->keyblocks && d->wordblocks;
}

/* The next slot, a float: its bit, no word. */
static inline int ref_push_float(direct *d)
{
    if ((d->nrefs & 63) == 0 && !ref_block_new(d))
        return 0;
    d->wordblocks[d->nrefs >> 6].floats |= (uint64_t)1 << (d->nrefs & 63);
    d->nrefs++;
    return 1;
}

/* The next slot, word v (*idx: where, to set it later). */
static inline int ref_push(direct *d, uint32_t v, size_t *idx)
{
    if ((d->nrefs & 63) == 0 && !ref_block_new(d))
        return 0;
    if (d->nwords == d->capwords &&
        ps_grow(&d->words, &d->capwords, d->nwords + 1, sizeof *d->words) < 0)
        return 0;
    if (idx)
        *idx = d->nwords;
    d->words[d->nwords++] = v;
    d->nrefs++;
    return 1;
}

static inline uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Bits set in x.  (Not __builtin_popcountll: without a -m flag for the
 * instruction, that is a call into libgcc, 2 % of a load.) */
static inline uint32_t popcount64(uint64_t x)
{
    x -= (x >> 1) & 0x5555555555555555u;
    x = (x & 0x3333333333333333u) + ((x >> 2) & 0x3333333333333333u);
    x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0Fu;
    return (uint32_t)((x * 0x0101010101010101u) >> 56);
}

/* The slot a reference 'r' at d->p names (and d->p past it), or REF_NONE. */
static inline uint32_t ref_at(direct *d)
{
    if (!need(d, 5))
        return REF_NONE;
    uint32_t i = le32(d->p + 1);
    d->p += 5;
    if (i >= d->nrefs)
        return REF_NONE;
    uint64_t bit = (uint64_t)1 << (i & 63);
    const struct keyblock *k = &d->keyblocks[i >> 6];
    if (k->keys & bit)
        return REF_KEY | (k->first + popcount64(k->keys & (bit - 1)));
    const struct wordblock *w = &d->wordblocks[i >> 6];
    if (w->floats & bit)
        return REF_NONE;
    return d->words[w->before + (i & 63) - popcount64(w->floats & (bit - 1))];
}

/* ---- numbers ---------------------------------------------------------------- */

/* The 8 bytes of a float at p. */
static inline double le_double(const unsigned char *p)
{
    uint64_t v = (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
    double f;
    memcpy(&f, &v, 8);
    return f;
}

/* The next number: 'i' (4 bytes) or 'g' (8), flagged or not, or a reference
 * to an int.  Its type ('i' or 'g'), 0 to decline.  Out of line: what
 * int_num and float_num do not take inline (below). */
static int number_rest(direct *d, int64_t *i, double *f)
{
    const unsigned char *q = d->p;   /* (int_num's or float_num's need(d, 9) before) */
    size_t left = (size_t)(d->end - q);
    if (!left)
        return 0;
    switch (*q) {
    case 'g':
    case 'g' | FLAG_REF:
        if (left < 9 || ((*q & FLAG_REF) && !ref_push_float(d)))
            return 0;
        *f = le_double(q + 1);
        d->p = q + 9;
        return 'g';
    case 'i':
    case 'i' | FLAG_REF:
        if (left < 5)
            return 0;
        *i = (int32_t)le32(q + 1);
        if (*q & FLAG_REF) {
            /* in the memo at once: a flagged int is referred to next, more
             * often than not (cProfile's cc, the same object as nc) */
            uint32_t slot = (uint32_t)d->nrefs, w = REF_INT | (uint32_t)*i;
            if (*i < 0 || *i > REF_VAL) {
                if (d->nbig > REF_VAL ||
                    ps_grow(&d->big, &d->capbig, d->nbig + 1, sizeof *d->big) < 0)
                    return 0;
                d->big[d->nbig] = (int32_t)*i;
                w = (uint32_t)d->nbig++;
            }
            if (!ref_push(d, w, NULL))
                return 0;
            d->ints[slot & 255].slot1 = slot + 1;
            d->ints[slot & 255].v = (int32_t)*i;
        }
        d->p = q + 5;
        return 'i';
    case 'r': {
        if (left < 5)
            return 0;
        uint32_t slot = le32(q + 1), v = ref_at(d);
        if ((v & REF_KEY) == REF_INT) {
            d->ints[slot & 255].slot1 = slot + 1;
            d->ints[slot & 255].v = (int32_t)(v & REF_VAL);
            *i = v & REF_VAL;
            return 'i';
        }
        if (v & REF_STR)     /* REF_NONE, a key or a string */
            return 0;
        *i = d->big[v];      /* (only ints' words are tagged 00) */
        return 'i';
    }
    default:
        return 0;
    }
}

/* number_rest's common cases, inline where numbers are read, one function
 * for the place of an int and one for a float's (a dump's counts are ints,
 * its times floats): an int not flagged and a reference to an int the memo
 * holds; a float flagged or not (synth.prof: 1.4 M flagged floats, 60
 * instructions each through number_rest).  The rest out of line. */
static inline int int_num(direct *d, int64_t *v)
{
    if (need(d, 9)) {
        const unsigned char *q = d->p;
        if (*q == 'i') {
            *v = (int32_t)le32(q + 1);
            d->p = q + 5;
            return 1;
        }
        if (*q == 'r') {
            uint32_t slot = le32(q + 1);
            if (slot < d->nrefs && d->ints[slot & 255].slot1 == slot + 1) {
                *v = d->ints[slot & 255].v;
                d->p = q + 5;
                return 1;
            }
        }
    }
    double f;
    return number_rest(d, v, &f) == 'i';
}

static inline int float_num(direct *d, double *v)
{
    const unsigned char *q;
    if (need(d, 9) && (*(q = d->p) & ~FLAG_REF) == 'g') {
        if ((*q & FLAG_REF) && !ref_push_float(d))
            return 0;
        *v = le_double(q + 1);
        d->p = q + 9;
        return 1;
    }
    int64_t i;
    int t = number_rest(d, &i, v);
    if (t == 'i')
        *v = (double)i;
    return t != 0;
}

/* ---- strings and keys ----------------------------------------------------------- */

/* A str: z Z (1-byte length), a A u t (4-byte length), interned, or a
 * reference to one.  NULL to decline. */
static const ps_str *string(direct *d)
{
    if (!need(d, 5) && d->p >= d->end)
        return NULL;
    unsigned c = *d->p, code = c & ~FLAG_REF;
    if (c == 'r') {
        uint32_t v = ref_at(d);
        return v != REF_NONE && (v & REF_KEY) == REF_STR ? d->strs[v & REF_VAL] : NULL;
    }
    size_t n, hdr;
    if (code == 'z' || code == 'Z') {
        if (d->end - d->p < 2)
            return NULL;
        n = d->p[1];
        hdr = 2;
    } else if (code == 'a' || code == 'A' || code == 'u' || code == 't') {
        if (d->end - d->p < 5 || (d->p[4] & 0x80))   /* a negative length */
            return NULL;
        n = le32(d->p + 1);
        hdr = 5;
    } else {
        return NULL;
    }
    if (!need(d, hdr + n))
        return NULL;
    const ps_str *s = ps_strpool_intern(&d->s->pool, (const char *)d->p + hdr, n);
    if (!s)
        return NULL;
    if (c & FLAG_REF) {
        if (ps_grow(&d->strs, &d->capstrs, d->nstrs + 1, sizeof *d->strs) < 0)
            return NULL;
        if (d->nstrs > REF_VAL || !ref_push(d, REF_STR | (uint32_t)d->nstrs, NULL))
            return NULL;
        d->strs[d->nstrs++] = s;
    }
    d->p += hdr + n;
    return s;
}

/* A tuple's header: its length, or -1 (d->p unmoved) when it is not a tuple,
 * -2 when out of memory.  *slot: its reference word if flagged, else SIZE_MAX. */
static inline long tuple_begin(direct *d, size_t *slot)
{
    *slot = SIZE_MAX;
    if (!need(d, 5) && d->p >= d->end)
        return -1;
    unsigned c = *d->p, code = c & ~FLAG_REF;
    long n;
    if (code == ')' && d->end - d->p >= 2) {
        n = d->p[1];
        d->p += 2;
    } else if (code == '(' && d->end - d->p >= 5 && !(d->p[4] & 0x80)) {
        n = (long)le32(d->p + 1);
        d->p += 5;
    } else {
        return -1;
    }
    if ((c & FLAG_REF) && !ref_push(d, REF_NONE, slot))
        return -2;
    return n;
}

/* Room in seen and entered for function f (every function id comes from
 * key(), which makes it): what the function table has room for, zeroed by
 * calloc's fresh pages -- only long callers dicts write seen, so most of it
 * is never memory (a memset made it 1 MB and 256 faults on synth.prof).  0
 * when out of memory. */
static int func_room(direct *d, uint32_t f)
{
    size_t cap = ((d->s->capfuncs > f ? d->s->capfuncs : (size_t)f + 1) + 63) & ~(size_t)63;
    uint32_t *ns = calloc(cap, sizeof *ns);
    uint64_t *ne = calloc(cap / 64, sizeof *ne);
    if (!ns || !ne) {
        free(ns);
        free(ne);
        return 0;
    }
    if (d->capfn) {
        memcpy(ns, d->seen, d->capfn * sizeof *ns);
        memcpy(ne, d->entered, d->capfn / 8);
    }
    free(d->seen);
    free(d->entered);
    d->seen = ns;
    d->entered = ne;
    d->capfn = cap;
    return 1;
}

/* A (file, line, name) key tuple: its function id, or PS_NONE to decline. */
static uint32_t key_tuple(direct *d)
{
    size_t slot, ref = d->nrefs;   /* (the tuple's slot number, if it is flagged) */
    if (tuple_begin(d, &slot) != 3)
        return PS_NONE;
    const ps_str *file = string(d), *name;
    int64_t line;
    if (!file || !int_num(d, &line))
        return PS_NONE;
    size_t strings = d->s->pool.count;
    if (!(name = string(d)))
        return PS_NONE;
    /* a name the pool did not hold: no function has it, no lookup */
    uint32_t f = d->s->pool.count != strings ? ps_stats_func_append(d->s, file, line, name)
                                             : ps_stats_func_intern(d->s, file, line, name, 0);
    if (f >= REF_VAL)
        return PS_NONE;
    if (f >= d->capfn && !func_room(d, f))
        return PS_NONE;
    if (slot != SIZE_MAX) {
        d->words[slot] = REF_KEY | f;
        /* the block's keys: the first, or the one after the last (the
         * tuple's strings and line took the slots after it, no key) */
        struct keyblock *b = &d->keyblocks[ref >> 6];
        if (!b->keys)
            b->first = f;
        if (f == b->first + popcount64(b->keys))
            b->keys |= (uint64_t)1 << (ref & 63);
    }
    return f;
}

/* A key or a reference to one (most callers are: inline): its function
 * id, or PS_NONE to decline. */
static inline uint32_t key(direct *d)
{
    if (need(d, 1) && *d->p == 'r') {
        uint32_t v = ref_at(d);
        return v != REF_NONE && (v & REF_KEY) == REF_KEY ? v & REF_VAL : PS_NONE;
    }
    return key_tuple(d);
}

/* ---- entries ----------------------------------------------------------------------- */

/* Room for one more edge after the run's n: a run that fills its block
 * moves to a fresh one (the block's rest is never touched, so never paged in). */
static inline ps_edge *edge_room(direct *d, uint32_t n)
{
    if (d->run && d->run + n < d->run_end)   /* (no arithmetic on the first NULL run) */
        return d->run + n;
    /* A block of EDGE_CHUNK edges, or fewer for a small input (an edge takes
     * 20 bytes of the dump at least): a tiny dump does not map 8 MB. */
    size_t chunk = d->len / 16 + 16;
    if (chunk > EDGE_CHUNK)
        chunk = EDGE_CHUNK;
    size_t cap = (size_t)n * 2 > chunk ? (size_t)n * 2 : chunk;
    /* The block's huge pages: those that the edges still to come fill, at
     * the rate of edges per input byte so far and an eighth more; the 2 MB
     * page where they end is left to 4 kB pages, so that the last block of
     * a load does not hold up to 2 MB of huge page it never uses. */
    size_t full = SIZE_MAX, done = consumed(d), rest = d->len - done;
    if (d->nedges && done)
        full = ((uint64_t)d->nedges * rest / done * 9 / 8 + n) * sizeof(ps_edge);
    arena *a = &d->s->edge_mem;
    size_t bytes = (cap * sizeof(ps_edge) + 7) & ~(size_t)7;
    ps_edge *nb = bytes <= a->left ? ps_arena_alloc(a, bytes) : ps_arena_alloc_block_part(a, bytes, full);
    if (!nb)
        return NULL;
    if (n)
        memcpy(nb, d->run, (size_t)n * sizeof *nb);
    d->run = nb;
    d->run_end = nb + cap;
    return nb + n;
}

/* Whether the current run's n callers hold caller (a duplicate key): looked
 * for in the run itself while it is short (most are: in cache, no table),
 * through d->seen once it is long. */
static inline int named_before(direct *d, uint32_t n, uint32_t caller, uint32_t serial)
{
    if (n < SEEN_MIN) {
        for (uint32_t j = 0; j < n; j++)
            if (d->run[j].caller == caller)
                return 1;
        return 0;
    }
    if (n == SEEN_MIN)
        for (uint32_t j = 0; j < n; j++)
            d->seen[d->run[j].caller] = serial;
    if (d->seen[caller] == serial)
        return 1;
    d->seen[caller] = serial;
    return 0;
}

/* The callers dict of an entry (serial: its 1-based index, for d->seen). */
static int callers(direct *d, ps_entry *en, uint32_t serial)
{
    if (!need(d, 1) || (*d->p & ~FLAG_REF) != '{')
        return 0;
    if ((*d->p++ & FLAG_REF) && !ref_push(d, REF_NONE, NULL))
        return 0;
    uint32_t n = 0;
    for (;;) {
        if (!need(d, 1))
            return 0;
        if (*d->p == '0') {
            d->p++;
            break;
        }
        uint32_t caller = key(d);
        if (caller == PS_NONE)
            return 0;
        ps_edge *ed = edge_room(d, n);
        if (!ed || named_before(d, n, caller, serial))
            return 0;
        size_t slot;
        long k = tuple_begin(d, &slot);
        int64_t nc, cc;   /* (no pointer into a packed ps_edge) */
        double tt, ct;
        unsigned shape;
        if (k == 4) {
            if (!int_num(d, &nc) || !int_num(d, &cc) || !float_num(d, &tt) || !float_num(d, &ct))
                return 0;
            shape = PS_EDGE_TUPLE;
        } else if (k == -1 && int_num(d, &nc)) {
            shape = PS_EDGE_INT;
            cc = nc;
            tt = ct = 0.0;
        } else {
            return 0;
        }
        *ed = (ps_edge){.caller = caller, .shape = shape, .nc = nc, .cc = cc, .tt = tt, .ct = ct};
        n++;
    }
    en->callers = n ? d->run : NULL;
    en->ncallers = n;
    en->own = 0;
    if (n)   /* d->run is NULL until the first edge */
        d->run += n;
    d->nedges += n;
    return 1;
}

/* Whether function f (a key()'s) has an entry already (0: and it has one
 * now). */
static inline int entered_before(direct *d, uint32_t f)
{
    uint64_t bit = (uint64_t)1 << (f & 63), *w = &d->entered[f >> 6];
    if (*w & bit)
        return 1;
    *w |= bit;
    return 0;
}

static int load_entries(direct *d)
{
    ps_stats *s = d->s;
    if (!need(d, 1) || (*d->p & ~FLAG_REF) != '{')
        return 0;
    if ((*d->p++ & FLAG_REF) && !ref_push(d, REF_NONE, NULL))
        return 0;
    for (;;) {
        if (!need(d, 1))
            return 0;
        if (*d->p == '0')
            return s->nentries > 0;   /* an empty dict: the generic reader's error */
        uint32_t f = key(d);
        if (f == PS_NONE || entered_before(d, f))
            return 0;
        size_t slot;
        if (tuple_begin(d, &slot) != 5)
            return 0;
        ps_entry *en = ps_stats_entry_append(s, f);   /* (linked at the end) */
        if (!en || !int_num(d, &en->cc) || !int_num(d, &en->nc) || !float_num(d, &en->tt) ||
            !float_num(d, &en->ct) || !callers(d, en, s->nentries))
            return 0;
    }
}

int ps_stats_load_direct(ps_stats *s, const marshal_input *in)
{
    if (ps_stats_load_reserve(s, in->len) < 0)
        return 0;
    if (in->len > REF_VAL)   /* (the table's counts of slots and words fit 32 bits) */
        return 0;
    direct d = {0};
    d.s = s;
    d.fd = in->mapped && in->fd > 0 ? in->fd : -1;
    d.data = in->data;
    d.len = in->len;
    if (d.fd >= 0 || ps_load_window) {
        /* read, not touched through the mapping; an empty window, filled by
         * the first need() */
        d.cap = ps_load_window ? ps_load_window : WINDOW;
        if (!(d.buf = malloc(d.cap)))
            return 0;
        d.win = d.p = d.end = d.buf;
    } else {
        d.win = d.p = in->data;
        d.end = in->data + in->len;
    }
    int ok = ref_reserve(&d, in->len) && load_entries(&d) && ps_stats_index_catch_up(s) == 0;
    if (ok)
        ps_stats_entries_link(s);
    free(d.buf);
    free(d.big);
    free(d.words);
    free(d.keyblocks);
    free(d.wordblocks);
    free(d.strs);
    free(d.seen);
    free(d.entered);
    return ok;
}

/* Load into a fresh object, then swap: a failed load leaves s as it was. */
int ps_stats_load_swap_with(ps_stats *s, const marshal_input *in, const char *label,
                            int direct, ps_error *e)
{
    ps_stats *fresh = ps_stats_new();
    if (!fresh)
        return nomem(e);
    int rc;
    if (direct && ps_stats_load_direct(fresh, in)) {
        rc = ps_stats_load_done(fresh, in, label, e);
    } else {
        /* Not a dump the direct pass takes: the generic reader says why, or
         * loads it after all, on a database of its own. */
        if (direct) {
            ps_stats_free(fresh);
            if (!(fresh = ps_stats_new()))
                return nomem(e);
        }
        rc = ps_stats_load_generic(fresh, in, label, e);
    }
    if (rc < 0) {
        ps_stats_free(fresh);
        return -1;
    }
    ps_stats_swap_in(s, fresh);
    return 0;
}

int ps_stats_load_swap(ps_stats *s, const marshal_input *in, const char *label, ps_error *e)
{
    return ps_stats_load_swap_with(s, in, label, 1, e);
}

int ps_stats_load_buffer(ps_stats *s, const unsigned char *buf, size_t len, const char *label,
                         ps_error *e)
{
    marshal_input in = {(unsigned char *)buf, len, 0, -1, 0, 0};
    ps_error_clear(e);
    return ps_stats_load_swap(s, &in, label, e);
}
