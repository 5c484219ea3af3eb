/* sort.h - ps_sort_stats with every key, abbreviation and ambiguity rule of
 * CPython 3.7+, and reverse_order. */
#ifndef PSTATS_SORT_H
#define PSTATS_SORT_H

#include "stats.h"

typedef struct sort_key_info {
    const char *key;
    const char *description;
} sort_key_info;

/* The default key table in CPython's dict order (13 entries). */
const sort_key_info *ps_sort_keys(size_t *n);
/* Is word a key or a unique prefix of one?  Returns the full key or NULL. */
const char *ps_sort_key_lookup(const char *word);
/* Every accepted abbreviation, for completion: calls fn for each. */
void ps_sort_each_abbrev(void (*fn)(const char *abbrev, void *arg), void *arg);

/* ps_sort_stats(*keys).  nkeys == 0 behaves as ps_sort_stats() (random order).
 * Errors: unknown key (PS_ESORT, pymsg "KeyError: 'x'"), comparing code
 * objects with strings (PS_ESORT, as CPython's TypeError). */
int ps_sort_stats(ps_stats *s, const char *const *keys, size_t nkeys, ps_error *err);
/* ps_sort_stats(n) with the old profiler's int: -1 stdname, 0 calls, 1 time, 2 cumulative. */
int ps_sort_stats_int(ps_stats *s, int n, ps_error *err);
void ps_sort_reverse(ps_stats *s);

/* Stable merge sort of ids by a comparator (used for callers lists too). */
typedef int (*sort_cmp_fn)(uint32_t a, uint32_t b, void *ctx);
int ps_sort_ids(uint32_t *ids, size_t n, sort_cmp_fn cmp, void *ctx);
/* Python's tuple order of two function keys: (file, line, name). Sets *bad if
 * CPython would raise comparing a code object with a str. */
int ps_sort_cmp_funcs(const ps_stats *s, uint32_t a, uint32_t b, int *bad);

#endif
