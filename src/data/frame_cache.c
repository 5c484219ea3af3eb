/* frame_cache.c - frame text -> builder id, for the text importers (sampled_int.h).
 *
 * Open addressing with 8-byte slots (the hash, and the offset of an entry in
 * one buffer); an entry is its id, the caller's aux word, the text's length
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
#define EMPTY UINT64_MAX

typedef struct entry {
    uint32_t id, aux;     /* aux: the caller's (ps_frame_cache_get's *aux) */
    uint32_t len;         /* | HAS_LINE: 8 line bytes follow the text */
    char text[];
} entry;

void ps_frame_cache_init(ps_frame_cache *c)
{
    memset(c, 0, sizeof *c);
}

void ps_frame_cache_free(ps_frame_cache *c)
{
    free(c->slots);
    free(c->text);
    memset(c, 0, sizeof *c);
}

static uint32_t hash_of(const char *text, size_t n, int64_t line)
{
    uint32_t h = ps_hash_bytes(text, n);
    return h ^ (uint32_t)((uint64_t)line * 0x9e3779b97f4a7c15ull >> 32);
}

static entry *entry_at(const ps_frame_cache *c, uint64_t slot)
{
    return (entry *)(c->text + (uint32_t)slot);
}

static int same(const entry *en, const char *text, size_t n, int64_t line)
{
    uint32_t want = (uint32_t)n | (line ? HAS_LINE : 0);
    if (en->len != want || memcmp(en->text, text, n))
        return 0;
    return !line || !memcmp(en->text + n, &line, sizeof line);
}

uint32_t ps_frame_cache_hash(const char *text, size_t n, int64_t line)
{
    return hash_of(text, n, line);
}

void ps_frame_cache_prefetch(const ps_frame_cache *c, uint32_t h)
{
    if (c->nslots)
        __builtin_prefetch(&c->slots[h & (c->nslots - 1)]);
}

void ps_frame_cache_prefetch_text(const ps_frame_cache *c, uint32_t h)
{
    if (!c->nslots)
        return;
    uint64_t s = c->slots[h & (c->nslots - 1)];
    if (s != EMPTY && (uint32_t)(s >> 32) == h)
        __builtin_prefetch(entry_at(c, s));
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
    if (!c->nslots)
        return UINT32_MAX;
    for (size_t i = h & (c->nslots - 1);; i = (i + 1) & (c->nslots - 1)) {
        uint64_t s = c->slots[i];
        if (s == EMPTY)
            return UINT32_MAX;
        if ((uint32_t)(s >> 32) == h) {
            entry *en = entry_at(c, s);
            if (same(en, text, n, line)) {
                if (aux)
                    *aux = &en->aux;
                return en->id;
            }
        }
    }
}

static int grow(ps_frame_cache *c)
{
    size_t n = c->nslots ? c->nslots * 2 : 4096;
    uint64_t *ns = malloc(n * sizeof *ns);
    if (!ns)
        return -1;
    ps_mem_huge(ns, n * sizeof *ns);
    memset(ns, 0xff, n * sizeof *ns);
    for (size_t i = 0; i < c->nslots; i++) {
        if (c->slots[i] == EMPTY)
            continue;
        size_t j = (c->slots[i] >> 32) & (n - 1);
        while (ns[j] != EMPTY)
            j = (j + 1) & (n - 1);
        ns[j] = c->slots[i];
    }
    free(c->slots);
    c->slots = ns;
    c->nslots = n;
    return 0;
}

int ps_frame_cache_put(ps_frame_cache *c, const char *text, size_t n, int64_t line,
                       uint32_t hash, uint32_t id, uint32_t aux)
{
    /* entries 4-byte aligned, for their words */
    size_t need = (sizeof(entry) + n + (line ? sizeof line : 0) + 3) & ~(size_t)3;
    if (n >= HAS_LINE || id == UINT32_MAX || c->ntext + need >= UINT32_MAX)
        return 0;   /* not cached: parsed again next time */
    if ((c->count + 1) * 2 > c->nslots && grow(c) < 0)
        return -1;
    if (c->ntext + need > c->captext) {
        size_t cap = c->captext ? c->captext * 2 : 65536;
        while (cap < c->ntext + need)
            cap *= 2;
        char *t = realloc(c->text, cap);
        if (!t)
            return -1;
        c->text = t;
        c->captext = cap;
        ps_mem_huge(t, cap);
    }
    uint32_t off = (uint32_t)c->ntext;
    entry *en = (entry *)(c->text + off);
    en->id = id;
    en->aux = aux;
    en->len = (uint32_t)n | (line ? HAS_LINE : 0);
    memcpy(en->text, text, n);
    if (line)
        memcpy(en->text + n, &line, sizeof line);
    c->ntext += need;
    size_t i = hash & (c->nslots - 1);
    while (c->slots[i] != EMPTY)
        i = (i + 1) & (c->nslots - 1);
    c->slots[i] = (uint64_t)hash << 32 | off;
    c->count++;
    return 0;
}
