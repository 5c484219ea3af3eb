/* frame_cache.c - frame text -> builder id, for the text importers (sampled_int.h). */
#include <string.h>
#include "sampled_int.h"

struct ps_fc_slot {
    const char *text;     /* NULL: empty slot */
    uint32_t len, hash;
    int64_t line;
    uint32_t id;
};

void ps_frame_cache_init(ps_frame_cache *c)
{
    memset(c, 0, sizeof *c);
    arena_init(&c->text);
}

void ps_frame_cache_free(ps_frame_cache *c)
{
    free(c->slots);
    arena_free(&c->text);
    memset(c, 0, sizeof *c);
}

static uint32_t hash_of(const char *text, size_t n, int64_t line)
{
    uint32_t h = ps_hash_bytes(text, n);
    return h ^ (uint32_t)((uint64_t)line * 0x9e3779b97f4a7c15ull >> 32);
}

uint32_t ps_frame_cache_get(const ps_frame_cache *c, const char *text, size_t n, int64_t line,
                            uint32_t *hash)
{
    uint32_t h = hash_of(text, n, line);
    *hash = h;
    if (!c->nslots)
        return UINT32_MAX;
    for (size_t i = h & (c->nslots - 1);; i = (i + 1) & (c->nslots - 1)) {
        const struct ps_fc_slot *s = &c->slots[i];
        if (!s->text)
            return UINT32_MAX;
        if (s->hash == h && s->len == n && s->line == line && !memcmp(s->text, text, n))
            return s->id;
    }
}

static int grow(ps_frame_cache *c)
{
    size_t n = c->nslots ? c->nslots * 2 : 4096;
    struct ps_fc_slot *ns = calloc(n, sizeof *ns);
    if (!ns)
        return -1;
    for (size_t i = 0; i < c->nslots; i++) {
        if (!c->slots[i].text)
            continue;
        size_t j = c->slots[i].hash & (n - 1);
        while (ns[j].text)
            j = (j + 1) & (n - 1);
        ns[j] = c->slots[i];
    }
    free(c->slots);
    c->slots = ns;
    c->nslots = n;
    return 0;
}

int ps_frame_cache_put(ps_frame_cache *c, const char *text, size_t n, int64_t line,
                       uint32_t hash, uint32_t id)
{
    if (n > UINT32_MAX)
        return 0;   /* not cached: parsed again next time */
    if ((c->count + 1) * 2 > c->nslots && grow(c) < 0)
        return -1;
    char *copy = arena_alloc(&c->text, n + 1);
    if (!copy)
        return -1;
    memcpy(copy, text, n);
    copy[n] = 0;
    size_t i = hash & (c->nslots - 1);
    while (c->slots[i].text)
        i = (i + 1) & (c->nslots - 1);
    c->slots[i] = (struct ps_fc_slot){copy, (uint32_t)n, hash, line, id};
    c->count++;
    return 0;
}
