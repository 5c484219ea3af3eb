/* listsort.h - CPython's list.sort, step for step, for comparisons that are
 * not a total order (NaN sort keys); see listsort.c. */
#ifndef PSTATS_LISTSORT_H
#define PSTATS_LISTSORT_H

#include "pstats/sort.h"

/* Which CPython's steps: they differ only in how a run is found. */
enum {
    PS_LISTSORT_311 = 311,   /* 3.11 and 3.12 */
    PS_LISTSORT_313 = 313    /* 3.13 */
};

/* Sorts ids[0..n) exactly as CPython's list.sort would sort a list whose
 * items compare as cmp says (only cmp(x, y) < 0, Python's `x < y`, is ever
 * asked).  Returns -1 (ids untouched) when out of memory, else 0. */
int ps_listsort(uint32_t *ids, size_t n, sort_cmp_fn cmp, void *ctx, int flavour);

#endif
