/* msort.h - the library's stable sort of arrays with an inline comparison
 * (internal to libpstats).
 *
 * Design.  PS_MSORT_DEFINE(name, T, less, run) defines
 *
 *     static void name(T *a, T *tmp, size_t n, void *ctx)
 *
 * which sorts a[0..n) stably by less(const T *x, const T *y, void *ctx)
 * (x before y), using tmp (room for n elements) as the other half of a
 * bottom-up merge sort: runs of `run` elements by insertion, then merged pass
 * by pass between a and tmp.  Insertion pays where a comparison is dear and
 * the elements are at hand (the stacks' keys: 16); where the comparison is
 * one load through an index, plain merging from runs of 1 takes fewer
 * instructions (the one-number sort: 6.4 M against 7.9 M with runs of 16).  Not qsort_r: glibc's calls the comparison
 * through a pointer for every pair and allocates its own buffer as large as
 * the array; here the comparison is inlined and the caller chooses where the
 * buffer's memory comes from (huge pages for a million stacks).  Stable: an
 * element moves before an earlier one only when it is strictly less, so
 * equal elements keep their order -- the sums that the callers take over
 * runs of equal keys do not depend on the sort.  The stack sort (stacks.c)
 * and the one-number sort of the stats (sort.c) are its users; a sort with
 * CPython's exact steps, where the order of NaNs matters, is listsort.c. */
#ifndef PSTATS_BASE_MSORT_H
#define PSTATS_BASE_MSORT_H

#include <stddef.h>
#include <string.h>

#define PS_MSORT_DEFINE(name, T, less, run)                                         \
static void name(T *a, T *tmp, size_t n, void *ctx)                                 \
{                                                                                   \
    for (size_t lo = 0; lo < n; lo += (run)) {                                      \
        size_t hi = lo + (run) < n ? lo + (run) : n;                                \
        for (size_t i = lo + 1; i < hi; i++) {                                      \
            T x = a[i];                                                             \
            size_t j = i;                                                           \
            for (; j > lo && less(&x, &a[j - 1], ctx); j--)                         \
                a[j] = a[j - 1];                                                    \
            a[j] = x;                                                               \
        }                                                                           \
    }                                                                               \
    T *src = a, *dst = tmp;                                                         \
    for (size_t w = (run); w < n; w *= 2) {                                         \
        for (size_t lo = 0; lo < n; lo += 2 * w) {                                  \
            size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n; \
            size_t i = lo, j = mid, k = lo;                                         \
            while (i < mid && j < hi)                                               \
                dst[k++] = less(&src[j], &src[i], ctx) ? src[j++] : src[i++];       \
            while (i < mid)                                                         \
                dst[k++] = src[i++];                                                \
            while (j < hi)                                                          \
                dst[k++] = src[j++];                                                \
        }                                                                           \
        T *t = src;                                                                 \
        src = dst;                                                                  \
        dst = t;                                                                    \
    }                                                                               \
    if (src != a)                                                                   \
        memcpy(a, src, n * sizeof *a);                                              \
}

#endif
