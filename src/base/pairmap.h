/* pairmap.h - a map from a pair of 32-bit ids to a 32-bit value: the
 * (caller, callee) -> edge table of the sample builder and the (parent,
 * function) -> child table of the stacks' trie.
 *
 * Open addressing over 12-byte slots that hold the key beside its value, so
 * that a lookup reads the slot only, not the caller's records; the table
 * doubles when half full. */
#ifndef PSTATS_PAIRMAP_H
#define PSTATS_PAIRMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct ps_pair_slot {
    uint32_t a, b;
    uint32_t v;           /* UINT32_MAX: empty */
} ps_pair_slot;

typedef struct ps_pairmap {
    ps_pair_slot *slots;
    size_t nslots, count;
} ps_pairmap;

void ps_pairmap_init(ps_pairmap *m);
void ps_pairmap_free(ps_pairmap *m);

/* Room for count more pairs before the table grows: a table doubled from
 * small sizes is in 4 kB pages up to 2 MB, one made at once in huge pages.
 * 0, or -1 when out of memory. */
int ps_pairmap_reserve(ps_pairmap *m, size_t count);

/* The value of (a, b); if the pair is new, v (not UINT32_MAX) is stored,
 * returned, and *added set to 1.  UINT32_MAX when out of memory. */
uint32_t ps_pairmap_intern(ps_pairmap *m, uint32_t a, uint32_t b, uint32_t v, int *added);

#endif
