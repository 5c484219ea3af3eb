/* sampled_int.h - what the importers share beyond the public builder API:
 * function ids of the builder (so a parser can cache "frame text -> id" and
 * skip hashing names again), and the line-oriented reader. */
#ifndef PSTATS_SAMPLED_INT_H
#define PSTATS_SAMPLED_INT_H

#include <stdlib.h>
#include <string.h>
#include "base/grow.h"
#include "base/index.h"
#include "base/mem.h"
#include "pstats/sampled.h"

/* The input's size, before any sample: the builder's tables (and the
 * string pool's) are sized from it at once instead of doubling ten times
 * (each doubling writes a new table into pages never touched).  A hint:
 * 0, or -1 when out of memory. */
int ps_sample_builder_expect(ps_sample_builder *b, size_t input_len);
/* The functions expected from it (0: no hint), for an importer's own tables. */
size_t ps_sample_expected_funcs(const ps_sample_builder *b);

/* The builder's id for a frame (creating it), or UINT32_MAX with err set. */
uint32_t ps_sample_func(ps_sample_builder *b, const ps_frame *f, ps_error *err);
/* What ps_sample_func will look at first for a frame it has not seen (the
 * string pool's slots of its file and name, the function table's slot)
 * fetched ahead, for a parser that knows the frame is new a little before
 * it asks (valid UTF-8 assumed: a text it escapes has another hash). */
void ps_sample_func_prefetch(const ps_sample_builder *b, const ps_frame *f);
/* Another line seen for the function id (the row keeps the smallest, unless
 * it is keyed by its line): what ps_sample_func does on a repeat, for a
 * parser that caches frames without their lines. */
void ps_sample_func_line(ps_sample_builder *b, uint32_t id, int64_t line);
/* A sample given as builder ids, root first (n == 0: idle). */
int ps_sample_add_ids(ps_sample_builder *b, const uint32_t *ids, size_t n, double weight,
                      int64_t count, ps_error *err);
/* The same in steps, for a parser that reads samples ahead of adding
 * them: the stack's hash, its slot fetched ahead, then its record (once the
 * slot has come), then the sample added with the hash (weight and count
 * checked by the parser: ps_sample_check). */
uint32_t ps_sample_stack_hash(const uint32_t *ids, size_t n);
void ps_sample_stack_prefetch(const ps_sample_builder *b, uint32_t hash);
void ps_sample_stack_prefetch_rec(const ps_sample_builder *b, uint32_t hash);
int ps_sample_add_hashed(ps_sample_builder *b, const uint32_t *ids, size_t n, uint32_t hash,
                         double weight, int64_t count, ps_error *err);
/* Check a weight/count pair as ps_sample_add does: 0, or -1 with err set. */
int ps_sample_check(double weight, int64_t count, ps_error *err);

/* The builder's distinct stacks are records in one array of words:
 * [depth, weight (2 words), count (2 words), frames (depth words)...]. */
#define PS_REC_HEAD 5
/* The nstacks stacks recorded in rec[0..nrec), sorted, equal ones merged,
 * into st (stacks.c: ps_stacks_merge reading the records in place); st's
 * frames and stacks are replaced, its idle counts kept.  0, or -1. */
int ps_stacks_merge_records(ps_stacks *st, const uint32_t *rec, size_t nrec, size_t nstacks,
                            ps_error *err);

/* A text importer: fed one line at a time (without its '\n', a trailing
 * '\r' and trailing blanks removed; blank lines are not fed), lineno from 1.  Returns 0 or -1 with err->msg set (the
 * caller prefixes "line N: "). */
typedef struct ps_line_parser {
    int (*line)(void *ctx, const char *p, size_t n, size_t lineno, ps_error *err);
    int (*end)(void *ctx, size_t lineno, ps_error *err);   /* may be NULL */
    void (*free)(void *ctx);
    void *ctx;
    /* the lines fed so far are about to go (the driver reuses their
     * buffer): act on any kept; 0 or -1.  NULL: none are kept. */
    int (*flush)(void *ctx, ps_error *err);
} ps_line_parser;

/* Importer entry points (import_folded.c, import_austin.c, import_plop.c):
 * each sets up a parser over the builder; free it with ps_line_parser_free. */
int ps_folded_parser(ps_line_parser *p, ps_sample_builder *b, const ps_sample_options *o,
                     ps_error *err);
int ps_austin_parser(ps_line_parser *p, ps_sample_builder *b, const ps_sample_options *o,
                     ps_error *err);
/* plop's dict is one Python literal: parsed whole from memory. */
int ps_plop_import(ps_sample_builder *b, const unsigned char *buf, size_t len,
                   const ps_sample_options *o, ps_error *err);
void ps_line_parser_free(ps_line_parser *p);

#include "frame_cache.h"

/* Scratch array of ids that grows; 0 or -1 (out of memory). */
typedef struct ps_idbuf {
    uint32_t *ids;
    size_t n, cap;
} ps_idbuf;
static inline int ps_idbuf_push(ps_idbuf *b, uint32_t id)
{
    if (ps_grow(&b->ids, &b->cap, b->n + 1, sizeof *b->ids) < 0)
        return -1;
    b->ids[b->n++] = id;
    return 0;
}

/* What the text importers (folded, Austin) share: the builder, the options,
 * the frame cache, the ids of the sample being read, room for a thread
 * frame's name. */
typedef struct ps_text_importer {
    ps_sample_builder *b;
    ps_sample_options o;
    ps_frame_cache cache;
    ps_idbuf ids;
    char tbuf[256];
} ps_text_importer;

void ps_text_importer_init(ps_text_importer *t, ps_sample_builder *b,
                           const ps_sample_options *o);
void ps_text_importer_free(ps_text_importer *t);
/* The end of the input: the smallest lines the cached frames have kept to
 * the builder's rows (ps_frame_cached). */
void ps_text_importer_end(ps_text_importer *t);

/* The id cached for a frame's key (ps_frame_key), UINT32_MAX if none.  A
 * line seen with it (0: none) is news for the function's row when it is
 * the smallest the entry has seen: the entry keeps it, marked, and the
 * marked entries' smallest lines go to the rows once, at the end
 * (ps_text_importer_end), as the row keeps the smallest line it is given
 * whatever their order.  A look at the row for each smaller line (some
 * 260k on the bench's file, each a cache miss in a table of 100k
 * functions) was a twentieth of the reader's time. */
static inline uint32_t ps_frame_cached(ps_text_importer *t, const char *key, size_t n,
                                       int64_t cline, uint32_t hash, int64_t seen)
{
    uint32_t *minline;
    uint32_t id = ps_frame_cache_lookup(&t->cache, key, n, cline, hash, &minline);
    /* (UINT32_MAX - 1: a frame the importer drops) */
    if (id < UINT32_MAX - 1 && seen && seen < *minline) {
        *minline = (uint32_t)seen;
        ps_fc_mark(minline);
    }
    return id;
}
/* Remember the id parsed for a key that missed, with the line seen; 0, or -1
 * with err set. */
int ps_frame_remember(ps_text_importer *t, const char *key, size_t n, int64_t cline,
                      uint32_t hash, uint32_t id, int64_t seen, ps_error *err);

/* A frame's cache key: a text ending in ":LINE" (before a last ')' if
 * close) is cached without it, one entry a function rather than one a line,
 * and the line is given to the builder on each hit (*line; 0 when the text
 * has none, and the key is the whole text). */
static inline size_t ps_frame_key(const char *t, size_t n, int close, int64_t *line)
{
    size_t k = n - (close ? 1 : 0), d = k, lim = k > 18 ? k - 18 : 0;
    int64_t v = 0, mul = 1;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    /* Every frame comes this way: the eight bytes before k in one word,
     * which says at once how many of them are digits and what they make
     * (a loop a digit was a sixth of the reader's instructions).  Seven
     * digits at most; more take the loop. */
    if (k >= 8) {
        uint64_t w, x;
        memcpy(&w, t + k - 8, 8);
        x = w ^ 0x3030303030303030u;   /* a digit's byte: its value */
        /* a byte not a digit: its high nibble set, or its low one above 9
         * (the low nibbles added apart, so no carry crosses a byte) */
        uint64_t nd = (x & 0xF0F0F0F0F0F0F0F0u) |
                      (((x & 0x0F0F0F0F0F0F0F0Fu) + 0x0606060606060606u) & 0x1010101010101010u);
        if (nd) {
            unsigned nd8 = (unsigned)__builtin_clzll(nd) / 8;   /* the digits */
            if (nd8 == 0 || (uint8_t)(w >> (8 * (7 - nd8))) != ':') {
                *line = 0;
                return n;
            }
            /* the digits at the top, zero bytes below them (leading
             * zeros), then pairs, fours and the eight summed */
            x &= ~(((uint64_t)1 << (8 * (8 - nd8))) - 1);
            x = x * 10 + (x >> 8);
            x = (((x & 0x000000FF000000FFu) * (100 + (1000000ull << 32))) +
                 (((x >> 16) & 0x000000FF000000FFu) * (1 + (10000ull << 32)))) >> 32;
            *line = (int64_t)x;
            return k - nd8 - 1;
        }
    }
#endif
    /* the digits read from the right as they are found; 18 of them at
     * most, which cannot overflow */
    for (unsigned c; d > lim && (c = (unsigned char)t[d - 1] - '0') <= 9; d--) {
        v += (int64_t)c * mul;
        mul *= 10;
    }
    if (d < k && d > 0 && t[d - 1] == ':') {
        *line = v;
        return d - 1;
    }
    *line = 0;
    return n;
}

/* "function (file)" or, with split, "function (file:LINE)": the name before
 * the first " (" (Python names hold no spaces, file names may), the file up
 * to the final ')', its ":LINE" the line (f->line, left as it is when
 * there is none).  0, or -1 when the text has not that shape. */
int ps_frame_paren(const char *t, size_t n, int split, ps_frame *f);

/* Whether p[0..n) is one or more decimal digits. */
int ps_is_digits(const char *p, size_t n);

/* Parse an unsigned decimal count (saturating at INT64_MAX); 0 or -1. */
int ps_parse_count(const char *p, size_t n, int64_t *out);

#endif
