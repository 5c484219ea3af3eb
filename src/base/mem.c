/* mem.c - big memory: huge pages and the big growable array (see mem.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "mem.h"

#define HUGE_BLOCK (4u << 20)
#define HUGE_PAGE PS_HUGE_PAGE

void ps_mem_huge(void *p, size_t n)
{
    if (n < HUGE_BLOCK)
        return;
    uintptr_t lo = ((uintptr_t)p + 4095) & ~(uintptr_t)4095;
    uintptr_t hi = ((uintptr_t)p + n) & ~(uintptr_t)4095;
    if (hi > lo)
        madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
}

void *ps_mem_alloc_huge_part(size_t n, size_t full)
{
    if (n < HUGE_PAGE)
        return malloc(n);
    size_t round = (n + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
    if (round < n)
        return NULL;
    void *p = aligned_alloc(HUGE_PAGE, round);
    /* full rounded to the nearest 2 MB */
    size_t hint = full < round ? (full + HUGE_PAGE / 2) & ~(HUGE_PAGE - 1) : round;
    if (p && hint)
        madvise(p, hint, MADV_HUGEPAGE);
    return p;
}

void *ps_mem_alloc_huge(size_t n)
{
    return ps_mem_alloc_huge_part(n, SIZE_MAX);
}

/* ---- ps_bigbuf -------------------------------------------------------------- */

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

/* Below a huge page the array lives in the heap: a mapping of its own would
 * cost an munmap, and with it a TLB shoot-down on every core, for each small
 * profile read (a fuzzer reading tiny inputs spent half its time there).  It
 * moves to a mapping once, when it outgrows 1 MB. */
#define BIG_HEAP_MAX (HUGE_PAGE / 2)

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
#ifndef BIG_MALLOC
    if (n > BIG_HEAP_MAX) {
        void *q = v->size > BIG_HEAP_MAX ? mremap(v->p, v->size, n, MREMAP_MAYMOVE)
                : mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (q == MAP_FAILED)
            return -1;
        /* (the kernel puts mappings of 2 MB multiples on 2 MB boundaries) */
        if (n >= HUGE_PAGE)
            madvise(q, n, MADV_HUGEPAGE);
        if (v->size <= BIG_HEAP_MAX && v->p) {     /* out of the heap, once */
            memcpy(q, v->p, v->size);
            free(v->p);
        }
        v->p = q;
        v->size = n;
        return 0;
    }
#endif
    char *q = realloc(v->p, n);
    if (!q)
        return -1;
    memset(q + v->size, 0, n - v->size);
    v->p = q;
    v->size = n;
    return 0;
}

void ps_bigbuf_free(ps_bigbuf *v)
{
#ifndef BIG_MALLOC
    if (v->size > BIG_HEAP_MAX) {
        munmap(v->p, v->size);
        v->p = NULL;
        v->size = 0;
        return;
    }
#endif
    free(v->p);
    v->p = NULL;
    v->size = 0;
}
