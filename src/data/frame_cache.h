/* frame_cache.h - frame text -> builder id, for the text importers
 * (internal to libpstats; the cold half is frame_cache.c).
 *
 * A cache from a frame's text (and a line, for formats that put the line in
 * a token of its own) to the builder's id: the importers see the same few
 * thousand frames millions of times, and this costs one hash of the text
 * instead of parsing it and interning two strings.
 *
 * A base/index.h table from the text's hash to the offset of an entry in
 * one buffer; an entry is its id, the caller's aux word, the text's length
 * and the text.  The slots of a profile of 100k functions take 2 MB, which
 * the caches hold, so a lookup costs the one entry it compares, text and id
 * together; the hash in the slot spares a look at entries that cannot
 * match.  A line, where the caller keys by one, is stored after the text
 * (the length's top bit says so), so equal texts with different lines are
 * different keys.
 *
 * The steps every frame of the input takes (hash, fetch ahead, look up)
 * are inline here: the folded reader runs them some four million times on
 * the bench's file, where calls into another object cost more than their
 * bodies (callgrind: the hashing, the lookup and their calls were three
 * hundred instructions a frame). */
#ifndef PSTATS_FRAME_CACHE_H
#define PSTATS_FRAME_CACHE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "base/index.h"
#include "base/mem.h"

typedef struct ps_frame_cache {
    ps_index ix;          /* hash -> offset of the entry in text */
    char *text;           /* the entries, in textmem */
    size_t ntext;
    ps_bigbuf textmem;
} ps_frame_cache;

#define PS_FC_HAS_LINE 0x80000000u
#define PS_FC_MARK 0x40000000u

typedef struct ps_fc_entry {
    uint32_t id, aux;     /* aux: the caller's (ps_frame_cache_lookup's *aux) */
    uint32_t len;         /* | PS_FC_HAS_LINE: 8 line bytes follow the text;
                           * | PS_FC_MARK: the caller's mark (ps_fc_mark) */
    char text[];
} ps_fc_entry;

/* The entry whose aux word this is, for its caller's one bit (texts of
 * 2**30 bytes and more are not cached). */
static inline void ps_fc_mark(uint32_t *aux)
{
    ((ps_fc_entry *)(void *)((char *)aux - offsetof(ps_fc_entry, aux)))->len |= PS_FC_MARK;
}

/* The bytes of an entry of n bytes of text (and a line if line): they
 * follow one another in text, 4-byte aligned for their words. */
static inline size_t ps_fc_entry_size(size_t n, int line)
{
    return (sizeof(ps_fc_entry) + n + (line ? sizeof(int64_t) : 0) + 3) & ~(size_t)3;
}

/* expected: the number of frames to make room for at once (0: none) */
void ps_frame_cache_init(ps_frame_cache *c, size_t expected);
void ps_frame_cache_free(ps_frame_cache *c);
/* Remember an id and its aux word (hash from the lookup that missed); 0 or
 * -1 (out of memory). */
int ps_frame_cache_put(ps_frame_cache *c, const char *text, size_t n, int64_t line,
                       uint32_t hash, uint32_t id, uint32_t aux);

/* The hash of (text, line).  Every frame of the input is hashed (four
 * million on the bench's file), most of them 9 to 24 bytes: those in two or
 * three words without a loop (the first ones, then the last eight, which
 * overlap them), longer ones a word at a time before their last sixteen
 * bytes, shorter ones in two overlapping halves.  The hash stays in this
 * cache. */
static inline uint32_t ps_frame_cache_hash(const char *text, size_t n, int64_t line)
{
    const uint64_t k1 = 0xBF58476D1CE4E5B9u, k2 = 0x94D049BB133111EBu;
    uint64_t h = 0x9E3779B97F4A7C15u ^ (uint64_t)n, a, b;
    if (n >= 8) {
        size_t i = 0;
        for (; i + 16 < n; i += 8) {
            memcpy(&a, text + i, 8);
            h = (h ^ a) * k1;
            h ^= h >> 31;
        }
        memcpy(&a, text + i, 8);
        memcpy(&b, text + n - 8, 8);
        h = (h ^ a) * k1;
        h ^= h >> 31;
        h = (h ^ b) * k2;
    } else {
        if (n >= 4) {
            uint32_t x, y;
            memcpy(&x, text, 4);
            memcpy(&y, text + n - 4, 4);
            a = x | (uint64_t)y << 32;
        } else {
            a = 0;
            for (size_t j = 0; j < n; j++)
                a |= (uint64_t)(unsigned char)text[j] << (8 * j);
        }
        h = (h ^ a) * k2;
    }
    h ^= h >> 29;
    h *= k1;
    return (uint32_t)(h >> 32) ^ (uint32_t)((uint64_t)line * 0x9e3779b97f4a7c15ull >> 32);
}

/* Fetch the hash's slot ahead, so that a parser can hash the frames of a
 * line and their lookups then overlap their cache misses. */
static inline void ps_frame_cache_prefetch(const ps_frame_cache *c, uint32_t h)
{
    if (c->ix.slot)
        __builtin_prefetch(&c->ix.slot[h & c->ix.mask]);
}

/* Then (once the slot has come) the entry it holds, which the lookup
 * compares.  1 when the slot is empty: the text is not cached. */
static inline int ps_frame_cache_prefetch_text(const ps_frame_cache *c, uint32_t h)
{
    if (!c->ix.slot)
        return 1;
    uint64_t s = c->ix.slot[h & c->ix.mask];
    if (s && (uint32_t)(s >> 32) == h)
        __builtin_prefetch(c->text + (uint32_t)s - 1);
    return !s;
}

/* Whether a[0..n) and b[0..n) are equal: a frame is some twenty bytes,
 * compared eight at a time (the last eight overlapping the ones before)
 * rather than by a call to memcmp, which cost a tenth of the lookups. */
static inline int ps_fc_same_bytes_(const char *a, const char *b, size_t n)
{
    if (n < 8)
        return !memcmp(a, b, n);
    uint64_t x, y, diff = 0;
    for (size_t i = 0; i + 8 < n; i += 8) {
        memcpy(&x, a + i, 8);
        memcpy(&y, b + i, 8);
        diff |= x ^ y;
    }
    memcpy(&x, a + n - 8, 8);
    memcpy(&y, b + n - 8, 8);
    return !(diff | (x ^ y));
}

/* The id cached for (text, line) of that hash, or UINT32_MAX; *aux (if
 * aux) points to the entry's word for the caller (the smallest line seen,
 * say). */
static inline uint32_t ps_frame_cache_lookup(ps_frame_cache *c, const char *text, size_t n,
                                             int64_t line, uint32_t h, uint32_t **aux)
{
    uint32_t want = (uint32_t)n | (line ? PS_FC_HAS_LINE : 0);
    ps_index_probe p;
    for (uint32_t off = ps_index_find(&c->ix, h, &p); off != PS_INDEX_NONE;
         off = ps_index_next(&c->ix, &p)) {
        ps_fc_entry *en = (ps_fc_entry *)(c->text + off);
        if ((en->len & ~PS_FC_MARK) == want && ps_fc_same_bytes_(en->text, text, n) &&
            (!line || !memcmp(en->text + n, &line, sizeof line))) {
            if (aux)
                *aux = &en->aux;
            return en->id;
        }
    }
    return UINT32_MAX;
}

/* The same, the hash computed here. */
static inline uint32_t ps_frame_cache_get(ps_frame_cache *c, const char *text, size_t n,
                                          int64_t line, uint32_t *hash, uint32_t **aux)
{
    *hash = ps_frame_cache_hash(text, n, line);
    return ps_frame_cache_lookup(c, text, n, line, *hash, aux);
}

#endif
