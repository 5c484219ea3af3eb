/* pairmap.c - (id, id) -> value by open addressing (pairmap.h). */
#include <stdlib.h>
#include <string.h>
#include "pstats/arena.h"
#include "pairmap.h"
#include "grow.h"
#include "mem.h"

void ps_pairmap_init(ps_pairmap *m)
{
    memset(m, 0, sizeof *m);
}

void ps_pairmap_free(ps_pairmap *m)
{
    free(m->slots);
    memset(m, 0, sizeof *m);
}

static size_t pair_hash(uint32_t a, uint32_t b)
{
    uint64_t h = ((uint64_t)a << 32 | b) * 0x9e3779b97f4a7c15ull;
    return (size_t)(h >> 32);
}

static int resize(ps_pairmap *m, size_t n)
{
    if (n > SIZE_MAX / sizeof *m->slots)
        return -1;
    ps_pair_slot *ns = ps_mem_alloc_huge(n * sizeof *ns);
    if (!ns)
        return -1;
    memset(ns, 0xff, n * sizeof *ns);
    for (size_t i = 0; i < m->nslots; i++) {
        const ps_pair_slot *s = &m->slots[i];
        if (s->v == UINT32_MAX)
            continue;
        size_t h = pair_hash(s->a, s->b) & (n - 1);
        while (ns[h].v != UINT32_MAX)
            h = (h + 1) & (n - 1);
        ns[h] = *s;
    }
    free(m->slots);
    m->slots = ns;
    m->nslots = n;
    return 0;
}

static int grow(ps_pairmap *m)
{
    return resize(m, m->nslots ? m->nslots * 2 : 4096);
}

int ps_pairmap_reserve(ps_pairmap *m, size_t count)
{
    size_t n = ps_table_slots(m->nslots, 4096, m->count + count, (size_t)1 << 40);
    return n > m->nslots ? resize(m, n) : 0;
}

uint32_t ps_pairmap_intern(ps_pairmap *m, uint32_t a, uint32_t b, uint32_t v, int *added)
{
    *added = 0;
    if ((m->count + 1) * 2 > m->nslots && grow(m) < 0)
        return UINT32_MAX;
    size_t h = pair_hash(a, b) & (m->nslots - 1);
    for (;;) {
        ps_pair_slot *s = &m->slots[h];
        if (s->v == UINT32_MAX)
            break;
        if (s->a == a && s->b == b)
            return s->v;
        h = (h + 1) & (m->nslots - 1);
    }
    m->slots[h] = (ps_pair_slot){a, b, v};
    m->count++;
    *added = 1;
    return v;
}
