/* sampled_mem.c - where the sample builder's big arrays live (sampled_int.h).
 *
 * A 100 MB folded file makes tens of megabytes of records, tables and
 * stacks, and on a virtual machine the first touch of a page costs some
 * 13 us: before this file, a fifth of the importer's CPU went to page
 * faults.  Three things made them: realloc's copies (malloc serves arrays
 * of a few megabytes from the heap, so doubling one copies it into pages
 * never touched), pages handed back to the kernel on free and touched again
 * by the next array, and 4 KB pages where 2 MB ones would do.
 *
 * So each big array has a mapping of its own: it grows by mremap, which
 * moves page tables, not bytes (what was written is neither copied nor
 * faulted in again), and past 4 MB it asks for transparent huge pages
 * (ps_mem_huge), one fault for 2 MB.  New bytes are zero, which the hash
 * tables take as empty slots: no pass to fill them.  Under AddressSanitizer
 * it is realloc, so the fuzzers keep their bounds checks. */
#include <string.h>
#include <sys/mman.h>
#include "pstats/arena.h"
#include "sampled_int.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_MEMORY__)
#define BIG_MALLOC 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define BIG_MALLOC 1
#endif
#endif
#if !defined(BIG_MALLOC) && !defined(MREMAP_MAYMOVE)
#define BIG_MALLOC 1
#endif

#define HUGE ((size_t)2 << 20)

int ps_bigbuf_grow(ps_bigbuf *v, size_t need)
{
    if (need <= v->size)
        return 0;
    size_t n = v->size ? v->size : 65536;
    while (n < need) {
        if (n > SIZE_MAX / 4)
            return -1;
        n *= 2;
    }
#ifdef BIG_MALLOC
    char *q = realloc(v->p, n);
    if (!q)
        return -1;
    memset(q + v->size, 0, n - v->size);
#else
    void *q = v->p ? mremap(v->p, v->size, n, MREMAP_MAYMOVE)
                   : mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (q == MAP_FAILED)
        return -1;
    /* (the kernel puts mappings of 2 MB multiples on 2 MB boundaries) */
    if (n >= HUGE)
        madvise(q, n, MADV_HUGEPAGE);
#endif
    v->p = q;
    v->size = n;
    return 0;
}

void ps_bigbuf_free(ps_bigbuf *v)
{
#ifdef BIG_MALLOC
    free(v->p);
#else
    if (v->p)
        munmap(v->p, v->size);
#endif
    v->p = NULL;
    v->size = 0;
}
