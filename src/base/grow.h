/* grow.h - the library's growable array: room for more elements in a
 * malloc'd array, by doubling, with the size overflow checked (internal).
 *
 * Design.  An array is a pointer and a capacity in elements, kept wherever
 * its owner likes (a struct's fields, two locals); the count of elements in
 * use is the owner's too.  One call makes room for `need` elements:
 *
 *     if (ps_grow(&t->items, &t->cap, t->n + 1, sizeof *t->items) < 0)
 *         return nomem(e);
 *     t->items[t->n++] = item;
 *
 * The check that there is room already is inline, so a hot loop pays a
 * compare; the growth itself is out of line.  The capacity doubles (from
 * PS_GROW_FIRST elements) until it holds `need`, so from any power-of-two
 * start the capacities are the powers of two, and n appends cost O(n).  On
 * failure (out of memory, or need * size past SIZE_MAX) the array and the
 * capacity are as they were: the owner frees what it has, as before.
 *
 * Parallel arrays (one capacity for several arrays) take the two steps
 * apart: ps_grow_cap says the new capacity, ps_resize sets each array to it.
 * Text buffers are arrays of bytes (pg_buf in buf.c, the marshal writer,
 * outbuf.h's memory output all grow here).  Nothing here shrinks or frees. */
#ifndef PSTATS_BASE_GROW_H
#define PSTATS_BASE_GROW_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PS_GROW_FIRST 16

/* The slots of an open-addressing table kept at most half full, for
 * `items` entries: doubled from nslots (from `first` when it has none) until
 * they fit, or until `limit`.  The two tables that keep something else than
 * index.h's (hash, id) pairs in their slots (the string pool, the stats'
 * function index) size themselves so before a big load. */
static inline size_t ps_table_slots(size_t nslots, size_t first, size_t items, size_t limit)
{
    size_t n = nslots ? nslots : first;
    while (n / 2 < items && n < limit)
        n *= 2;
    return n;
}

/* The capacity after growing from cap (0: nothing yet) to hold need:
 * doubled until it does.  Past SIZE_MAX / 2, need itself. */
static inline size_t ps_grow_cap(size_t cap, size_t need)
{
    size_t n = cap ? cap : PS_GROW_FIRST;
    while (n < need)
        n = n > SIZE_MAX / 2 ? need : n * 2;
    return n;
}

/* *pp (the address of any object pointer: T **) reallocated to n elements
 * of size bytes.  0, or -1 when out of memory or n * size overflows, *pp
 * untouched.  n 0 keeps one element, so that a NULL return is a failure. */
static __attribute__((noinline, unused)) int ps_resize(void *pp, size_t n, size_t size)
{
    void *p;
    if (!n)
        n = 1;
    if (n > SIZE_MAX / size)
        return -1;
    memcpy(&p, pp, sizeof p);   /* T ** and void ** may not alias: copy */
    p = realloc(p, n * size);
    if (!p)
        return -1;
    memcpy(pp, &p, sizeof p);
    return 0;
}

static __attribute__((noinline, unused)) int ps_grow_slow_(void *pp, size_t *cap, size_t need,
                                                         size_t size)
{
    size_t n = ps_grow_cap(*cap, need);
    if (ps_resize(pp, n, size) < 0)
        return -1;
    *cap = n;
    return 0;
}

/* Room for need elements of size bytes in *pp (T **) of capacity *cap: 0,
 * or -1 (out of memory, overflow) with *pp and *cap untouched. */
static inline int ps_grow(void *pp, size_t *cap, size_t need, size_t size)
{
    return need <= *cap ? 0 : ps_grow_slow_(pp, cap, need, size);
}

#endif
