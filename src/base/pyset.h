/* pyset.h - CPython's set, as far as gprof2dot's root and leaf walks depend on it.
 * gprof2dot walks from the roots with a set of (node, depth) pairs it pops
 * from; which nodes a --depth walk reaches depends on the order the pops come
 * out, which is the order of CPython's hash table.  This reproduces the table
 * (open addressing, 9 linear probes then perturbation, resizes, union by copy
 * and merge, difference, pop with a finger), so the same nodes are kept.
 * Tuple hashes changed in 3.8 and the table's load factor in 3.7: the
 * flavour follows the CPython that wrote the dump (gprof2dot runs under it),
 * recognised by frozen importlib's line numbers; 3.8+ otherwise. */

#ifndef PSTATS_BASE_PYSET_H
#define PSTATS_BASE_PYSET_H

#include <stddef.h>
#include <stdint.h>

enum { PE_EMPTY = 0, PE_ACTIVE, PE_DUMMY };
typedef struct pyent {
    int64_t a, b;
    int64_t hash;
    uint8_t state;
} pyent;
enum { PY38 = 0, PY37, PY36 };
typedef struct pyset {
    pyent *table;
    size_t mask, fill, used, finger;
    int flavour;
} pyset;

/* hash(x) of a small int, and hash((a, b)) as the flavour's CPython computes it */
int64_t ps_py_int_hash(int64_t x);
int64_t ps_py_pair_hash(int flavour, int64_t a, int64_t b);
int ps_pyset_init(pyset *s, int flavour);
void ps_pyset_free(pyset *s);
/* s.add((a, b)) with its hash; 0, or -1 when out of memory */
int ps_pyset_add(pyset *s, int64_t a, int64_t b, int64_t hash);
/* so |= other (set_merge) */
int ps_pyset_merge(pyset *so, const pyset *other);
/* dst = set(src) */
int ps_pyset_copy(pyset *dst, const pyset *src);
/* s.pop(): the next active entry from the finger */
pyent ps_pyset_pop(pyset *s);
/* out = keys - {x : visited[x]} (set_difference) */
int ps_pyset_minus(pyset *out, const pyset *keys, const uint8_t *visited, size_t nvisited);

#endif
