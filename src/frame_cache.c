/* frame_cache.c - frame text -> builder id, for the text importers (sampled_int.h).
 *
 * Open addressing with 16-byte slots (hash, id, text offset, length) over
 * one text buffer: a profile of 100k functions keeps its table in a few MB,
 * and a lookup costs the slot and the text it compares.  A line, where the
 * caller keys by one, is stored after the text (the length's top bit says
 * so), so equal texts with different lines are different keys. */
#include <string.h>
#include "sampled_int.h"

#define HAS_LINE 0x80000000u

struct ps_fc_slot {
    uint32_t hash, id;    /* id UINT32_MAX: empty */
    uint32_t off, len;    /* text in c->text; len | HAS_LINE: 8 line bytes follow */
    uint32_t aux;         /* the caller's (ps_frame_cache_get's *aux) */
};

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

static int same(const ps_frame_cache *c, const struct ps_fc_slot *s, const char *text, size_t n,
                int64_t line)
{
    uint32_t want = (uint32_t)n | (line ? HAS_LINE : 0);
    if (s->len != want || memcmp(c->text + s->off, text, n))
        return 0;
    return !line || !memcmp(c->text + s->off + n, &line, sizeof line);
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
        struct ps_fc_slot *s = &c->slots[i];
        if (s->id == UINT32_MAX)
            return UINT32_MAX;
        if (s->hash == h && same(c, s, text, n, line)) {
            if (aux)
                *aux = &s->aux;
            return s->id;
        }
    }
}

static int grow(ps_frame_cache *c)
{
    size_t n = c->nslots ? c->nslots * 2 : 4096;
    struct ps_fc_slot *ns = malloc(n * sizeof *ns);
    if (!ns)
        return -1;
    memset(ns, 0xff, n * sizeof *ns);
    for (size_t i = 0; i < c->nslots; i++) {
        if (c->slots[i].id == UINT32_MAX)
            continue;
        size_t j = c->slots[i].hash & (n - 1);
        while (ns[j].id != UINT32_MAX)
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
    size_t need = n + (line ? sizeof line : 0);
    if (n >= HAS_LINE || id == UINT32_MAX || c->ntext + need > UINT32_MAX)
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
    }
    uint32_t off = (uint32_t)c->ntext;
    memcpy(c->text + off, text, n);
    if (line)
        memcpy(c->text + off + n, &line, sizeof line);
    c->ntext += need;
    size_t i = hash & (c->nslots - 1);
    while (c->slots[i].id != UINT32_MAX)
        i = (i + 1) & (c->nslots - 1);
    c->slots[i] = (struct ps_fc_slot){hash, id, off, (uint32_t)n | (line ? HAS_LINE : 0), aux};
    c->count++;
    return 0;
}
