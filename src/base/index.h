/* index.h - the library's hash table: an index from a key to a 32-bit id in
 * the caller's own array (internal to libpstats).
 *
 * Design.  The table never holds keys, only (hash, id) pairs packed in one
 * 64-bit slot (0: empty; the id is stored plus one).  The caller keeps its
 * records (functions, stack nodes, edges, names) in an array of its own and
 * compares keys there, so one table serves every kind of key with no
 * callbacks, and a probe that meets a different hash never touches the
 * caller's records (the full 32-bit hash in the slot filters almost every
 * collision).  Growing rehashes from the stored hashes alone.  Linear
 * probing, capacity a power of two, load at most one half.  Nothing is ever
 * removed (no tombstones): the library builds its tables and drops them.
 *
 *     ps_index_probe p;
 *     for (uint32_t id = ps_index_find(ix, h, &p); id != PS_INDEX_NONE;
 *          id = ps_index_next(ix, &p))
 *         if (same_key(records[id], key)) return id;
 *     id = add_record(...);
 *     if (ps_index_add(ix, &p, id) < 0) ... out of memory
 *
 * ps_index_add puts the id in the empty slot where the search ended, so a
 * miss costs one probe sequence, not two. */
#ifndef PSTATS_BASE_INDEX_H
#define PSTATS_BASE_INDEX_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "mem.h"

#define PS_INDEX_NONE UINT32_MAX

/* The hash of a pair of ids (an edge's caller and callee, a trie node's
 * parent and function): the product's high half mixes both. */
static inline uint32_t ps_index_hash_pair(uint32_t a, uint32_t b)
{
    return (uint32_t)((((uint64_t)a << 32 | b) * 0x9e3779b97f4a7c15ull) >> 32);
}

typedef struct ps_index {
    uint64_t *slot;   /* hash << 32 | (id + 1); 0 when empty */
    size_t mask;      /* capacity - 1 (capacity 0: mask 0 and slot NULL) */
    size_t n;         /* ids held */
} ps_index;

typedef struct ps_index_probe {
    size_t at;        /* the slot looked at last */
    uint32_t hash;
} ps_index_probe;

/* cap empty slots.  Zeroed by a write, not by calloc: a probe reads a slot
 * before the insert writes it, and a page read first (the kernel's zero
 * page) then written costs two page faults, not one. */
static inline uint64_t *ps_index_slots_(size_t cap)
{
    uint64_t *slot = cap > SIZE_MAX / sizeof *slot ? NULL : ps_mem_alloc_huge(cap * sizeof *slot);
    if (slot)
        memset(slot, 0, cap * sizeof *slot);
    return slot;
}

/* An empty index with room for `expected` ids before it grows (0: grow from
 * the first add).  0, or -1 when out of memory. */
static inline int ps_index_init(ps_index *ix, size_t expected)
{
    ix->slot = NULL, ix->mask = 0, ix->n = 0;
    if (!expected)
        return 0;
    size_t cap = 16;
    while (cap < expected * 2)
        cap *= 2;
    if (!(ix->slot = ps_index_slots_(cap)))
        return -1;
    ix->mask = cap - 1;
    return 0;
}

static inline void ps_index_free(ps_index *ix)
{
    free(ix->slot);
    ix->slot = NULL, ix->mask = 0, ix->n = 0;
}

/* The id in the slot p stands on if its hash is p's, else the next such id
 * along the probe sequence; PS_INDEX_NONE at the empty slot that ends it. */
static inline uint32_t ps_index_scan_(const ps_index *ix, ps_index_probe *p)
{
    for (;; p->at = (p->at + 1) & ix->mask) {
        uint64_t s = ix->slot[p->at];
        if (!s)
            return PS_INDEX_NONE;
        if ((uint32_t)(s >> 32) == p->hash)
            return (uint32_t)s - 1;
    }
}

/* The first id stored with this hash (the caller checks its key), or
 * PS_INDEX_NONE. */
static inline uint32_t ps_index_find(const ps_index *ix, uint32_t hash, ps_index_probe *p)
{
    p->hash = hash;
    p->at = hash & ix->mask;
    if (!ix->slot)
        return PS_INDEX_NONE;
    return ps_index_scan_(ix, p);
}

/* The next id with the same hash after the one ps_index_find/next gave. */
static inline uint32_t ps_index_next(const ps_index *ix, ps_index_probe *p)
{
    p->at = (p->at + 1) & ix->mask;
    return ps_index_scan_(ix, p);
}

/* Double the capacity (or make the first 16 slots). */
static inline int ps_index_grow_(ps_index *ix)
{
    size_t cap = ix->slot ? (ix->mask + 1) * 2 : 16;
    uint64_t *slot = ps_index_slots_(cap);
    if (!slot)
        return -1;
    for (size_t i = 0; ix->slot && i <= ix->mask; i++) {
        uint64_t s = ix->slot[i];
        if (!s)
            continue;
        size_t j = (size_t)(s >> 32) & (cap - 1);
        while (slot[j])
            j = (j + 1) & (cap - 1);
        slot[j] = s;
    }
    free(ix->slot);
    ix->slot = slot;
    ix->mask = cap - 1;
    return 0;
}

/* Store id under the hash of the search p ended (ps_index_find/next returned
 * PS_INDEX_NONE, and nothing was added since).  0, or -1 when out of memory
 * (the index is unchanged then). */
static inline int ps_index_add(ps_index *ix, ps_index_probe *p, uint32_t id)
{
    if (!ix->slot || (ix->n + 1) * 2 > ix->mask + 1) {
        if (ps_index_grow_(ix) < 0)
            return -1;
        p->at = p->hash & ix->mask;   /* the search's end moved: find the new one */
        while (ix->slot[p->at])
            p->at = (p->at + 1) & ix->mask;
    }
    ix->slot[p->at] = (uint64_t)p->hash << 32 | ((uint64_t)id + 1);
    ix->n++;
    return 0;
}

/* Add id under hash without looking for it first (the caller knows the key
 * is new, e.g. when indexing records that are distinct already). */
static inline int ps_index_put(ps_index *ix, uint32_t hash, uint32_t id)
{
    ps_index_probe p;
    p.hash = hash;
    p.at = hash & ix->mask;
    while (ix->slot && ix->slot[p.at])
        p.at = (p.at + 1) & ix->mask;
    return ps_index_add(ix, &p, id);
}

#endif
