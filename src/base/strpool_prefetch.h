/* strpool_prefetch.h - a tuning hook of the string pool for the pipelined
 * load (data/stats.c): not part of the public API. */
#ifndef PSTATS_BASE_STRPOOL_PREFETCH_H
#define PSTATS_BASE_STRPOOL_PREFETCH_H

#include "pstats/arena.h"

/* Fetch the table slot where ps_strpool_intern_str(p, s) starts looking. */
static inline void strpool_prefetch(const strpool *p, const ps_str *s)
{
    if (p->nslots)
        __builtin_prefetch(&p->slots[s->hash & (p->nslots - 1)]);
}

#endif
