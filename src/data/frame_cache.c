/* frame_cache.c - frame text -> builder id, for the text importers (sampled_int.h).
 *
 * A base/index.h table from the text's hash to the offset of an entry in
 * one buffer; an entry is its id, the caller's aux word, the text's length
 * and the text.  The slots of a profile of 100k functions take 2 MB, which
 * the caches hold, so a lookup costs the one entry it compares, text and id
 * together; the hash in the slot spares a look at entries that cannot
 * match.  A line, where the caller keys by one, is stored after the text
 * (the length's top bit says so), so equal texts with different lines are
 * different keys. */
#include <string.h>
#include "pstats/arena.h"
#include "sampled_int.h"

#define HAS_LINE 0x80000000u

typedef struct entry {
    uint32_t id, aux;     /* aux: the caller's (ps_frame_cache_get's *aux) */
    uint32_t len;         /* | HAS_LINE: 8 line bytes follow the text */
    char text[];
} entry;

void ps_frame_cache_init(ps_frame_cache *c, size_t expected)
{
    memset(c, 0, sizeof *c);
    /* (a hint: without the room, the table grows as it fills) */
    if (ps_index_init(&c->ix, expected) < 0)
        ps_index_init(&c->ix, 0);
    /* and the entries' room (some 40 bytes a frame), in huge pages from
     * the start rather than doubled through 4 kB ones (a mapping costs only
     * what is written) */
    if (expected)
        ps_bigbuf_grow(&c->textmem, expected * 48);
}

void ps_frame_cache_free(ps_frame_cache *c)
{
    ps_index_free(&c->ix);
    ps_bigbuf_free(&c->textmem);
    memset(c, 0, sizeof *c);
}

/* Every frame of the input is hashed here (a few million on a big file):
 * ps_hash_bytes' steps, but the bytes after the last full word come in one
 * load that overlaps that word, not one at a time (a fifth fewer of the
 * reader's instructions).  The hash stays in this cache. */
static uint32_t hash_of(const char *text, size_t n, int64_t line)
{
    uint64_t h = 0x9E3779B97F4A7C15u ^ (uint64_t)n, w = 0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        memcpy(&w, text + i, 8);
        h = (h ^ w) * 0xBF58476D1CE4E5B9u;
        h ^= h >> 31;
    }
    w = 0;
    if (i < n && n >= 8) {
        memcpy(&w, text + n - 8, 8);
        w >>= 8 * (8 - (n - i));
    } else {
        for (size_t j = i; j < n; j++)
            w |= (uint64_t)(unsigned char)text[j] << (8 * (j - i));
    }
    h = (h ^ w) * 0x94D049BB133111EBu;
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9u;
    return (uint32_t)(h >> 32) ^ (uint32_t)((uint64_t)line * 0x9e3779b97f4a7c15ull >> 32);
}

static entry *entry_at(const ps_frame_cache *c, uint32_t off)
{
    return (entry *)(c->text + off);
}

/* Whether a[0..n) and b[0..n) are equal: a frame is some twenty bytes,
 * compared eight at a time (the last eight overlapping the ones before)
 * rather than by a call to memcmp, which cost a tenth of the lookups. */
static int same_bytes(const char *a, const char *b, size_t n)
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

static int same(const entry *en, const char *text, size_t n, int64_t line)
{
    uint32_t want = (uint32_t)n | (line ? HAS_LINE : 0);
    if (en->len != want || !same_bytes(en->text, text, n))
        return 0;
    return !line || !memcmp(en->text + n, &line, sizeof line);
}

uint32_t ps_frame_cache_hash(const char *text, size_t n, int64_t line)
{
    return hash_of(text, n, line);
}

void ps_frame_cache_prefetch(const ps_frame_cache *c, uint32_t h)
{
    if (c->ix.slot)
        __builtin_prefetch(&c->ix.slot[h & c->ix.mask]);
}

void ps_frame_cache_prefetch_text(const ps_frame_cache *c, uint32_t h)
{
    if (!c->ix.slot)
        return;
    uint64_t s = c->ix.slot[h & c->ix.mask];
    if (s && (uint32_t)(s >> 32) == h)
        __builtin_prefetch(entry_at(c, (uint32_t)s - 1));
}

uint32_t ps_frame_cache_get(ps_frame_cache *c, const char *text, size_t n, int64_t line,
                            uint32_t *hash, uint32_t **aux)
{
    *hash = hash_of(text, n, line);
    return ps_frame_cache_lookup(c, text, n, line, *hash, aux);
}

uint32_t ps_frame_cache_lookup(ps_frame_cache *c, const char *text, size_t n, int64_t line,
                               uint32_t h, uint32_t **aux)
{
    ps_index_probe p;
    for (uint32_t off = ps_index_find(&c->ix, h, &p); off != PS_INDEX_NONE;
         off = ps_index_next(&c->ix, &p)) {
        entry *en = entry_at(c, off);
        if (same(en, text, n, line)) {
            if (aux)
                *aux = &en->aux;
            return en->id;
        }
    }
    return UINT32_MAX;
}

int ps_frame_cache_put(ps_frame_cache *c, const char *text, size_t n, int64_t line,
                       uint32_t hash, uint32_t id, uint32_t aux)
{
    /* entries 4-byte aligned, for their words */
    size_t need = (sizeof(entry) + n + (line ? sizeof line : 0) + 3) & ~(size_t)3;
    if (n >= HAS_LINE || id == UINT32_MAX || c->ntext + need >= UINT32_MAX - 1)
        return 0;   /* not cached: parsed again next time */
    if (ps_bigbuf_grow(&c->textmem, c->ntext + need) < 0 ||
        ps_index_put(&c->ix, hash, (uint32_t)c->ntext) < 0)
        return -1;
    c->text = c->textmem.p;
    entry *en = (entry *)(c->text + c->ntext);
    en->id = id;
    en->aux = aux;
    en->len = (uint32_t)n | (line ? HAS_LINE : 0);
    memcpy(en->text, text, n);
    if (line)
        memcpy(en->text + n, &line, sizeof line);
    c->ntext += need;
    return 0;
}
