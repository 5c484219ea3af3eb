/* mem.h - big memory: transparent huge pages for big arrays, and the big
 * array that grows in a mapping of its own (internal to libpstats).
 *
 * On a virtual machine the first touch of a page costs some 13 us, so a
 * 50-100 MB profile spent a fifth of its load in page faults.  Two ways out,
 * one for each kind of big array:
 *
 *  - a table whose size is known when it is made (a hash table, the loader's
 *    function and entry arrays): ps_mem_alloc_huge, whole 2 MB pages,
 *    aligned and hinted before anything touches them (one fault maps 2 MB);
 *    ps_mem_huge hints a block that is already there;
 *  - an array that keeps growing (the sample builder's records and tables):
 *    ps_bigbuf, a mapping of its own that grows by mremap, which moves page
 *    tables, not bytes -- nothing written is copied or faulted in again --
 *    with huge pages from 2 MB.  Its new bytes are zero (hash tables take
 *    them as empty slots).  Under AddressSanitizer it is realloc, so the
 *    fuzzers keep their bounds checks.
 *
 * Small arrays grow on the heap (grow.h). */
#ifndef PSTATS_BASE_MEM_H
#define PSTATS_BASE_MEM_H

#include <stddef.h>

#define PS_HUGE_PAGE ((size_t)2 << 20)   /* a transparent huge page on x86-64 */

/* A hint for a large block looked at all over (a hash table, a big array):
 * transparent huge pages where the system offers them on request, which
 * spares most of its page faults and TLB misses.  Blocks under 4 MB are
 * left alone: not worth a system call. */
void ps_mem_huge(void *p, size_t n);
/* malloc(n), but from 2 MB up the block is whole huge pages, aligned and
 * hinted before anything touches them: a page fault maps 2 MB, not 4 kB
 * (a fault costs ~13 us on a virtual machine).  free() frees it. */
void *ps_mem_alloc_huge(size_t n);
/* The same for an array that fills the block only partly, full bytes of it
 * (an estimate): huge pages up to full rounded to the nearest 2 MB, 4 kB
 * pages past them.  A huge page is memory as a whole from its first touch,
 * so one that a table's tail only begins costs up to 2 MB it does not use;
 * 4 kB pages there cost a page fault each instead (~16 us on this project's
 * 2-core virtual machine: 8 ms a 2 MB), which is why full is an estimate,
 * not 0, and why it is rounded to the nearest page, not down: an estimate a
 * little short of a page boundary (synth.prof's function table: 5.94 MB of
 * 6.1) left a whole 2 MB on 4 kB pages, 539 faults. */
void *ps_mem_alloc_huge_part(size_t n, size_t full);
/* ps_arena_alloc_block for a block whose first full bytes (an estimate) are
 * all it will hold: its huge pages as ps_mem_alloc_huge_part's. */
struct arena;
void *ps_arena_alloc_block_part(struct arena *a, size_t n, size_t full);

/* A big array that grows: zero-filled, in a mapping of
 * its own that grows without copying; size is in bytes.  0, or -1 when
 * out of memory (the array is unchanged then). */
typedef struct ps_bigbuf {
    void *p;
    size_t size;
} ps_bigbuf;
int ps_bigbuf_grow(ps_bigbuf *v, size_t need);
void ps_bigbuf_free(ps_bigbuf *v);

#endif
