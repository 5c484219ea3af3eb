/* stats_internal.h - what the stats database's loader (stats.c) and its
 * operations (stats_ops.c: add, strip_dirs, callees) share.  The small
 * helpers are inline so the load loop keeps them inlined. */
#ifndef PSTATS_DATA_STATS_INTERNAL_H
#define PSTATS_DATA_STATS_INTERNAL_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "pstats/stats.h"
#include "base/index.h"
#include "base/mem.h"

struct ps_callees {
    uint32_t nfuncs;       /* functions known when the snapshot was taken */
    uint32_t *start;       /* CSR offsets, nfuncs + 1 */
    uint8_t *known;        /* func in all_callees */
    ps_callee *items;
};

/* Counts are 64-bit where Python's ints are unbounded: a sum that would pass
 * 2**63 (hostile or corrupt input) stops at the limit instead of overflowing,
 * which C leaves undefined. */
static inline int64_t count_add(int64_t a, int64_t b)
{
    int64_t r;
    if (__builtin_add_overflow(a, b, &r))
        return a < 0 ? INT64_MIN : INT64_MAX;
    return r;
}

static inline int nomem(ps_error *e)
{
    ps_error_set(e, PS_ENOMEM, -1, "out of memory");
    ps_error_py(e, "MemoryError", "%s", "");
    return -1;
}

/* realloc(p, newbytes) for the big tables (oldbytes: what p holds): from
 * 2 MB up a fresh block of huge pages and a copy.  realloc would move the
 * block with mremap, after which the kernel never gives it a huge page (its
 * pages' offsets no longer line up with 2 MB), and every 4 kB of it faults. */
static inline void *array_grow(void *p, size_t oldbytes, size_t newbytes)
{
    if (newbytes < ((size_t)2 << 20))
        return realloc(p, newbytes);
    void *n = ps_mem_alloc_huge(newbytes);
    if (n && p) {
        memcpy(n, p, oldbytes < newbytes ? oldbytes : newbytes);
        free(p);
    }
    return n;
}

/* An entry's callers are either malloc'd (own), with room for
 * callers_room(ncallers) edges, or, as loaded, an exact-size run in
 * stats->edge_mem.  The room is implied, not stored: a 48-byte entry. */
static inline uint32_t callers_room(uint32_t n)
{
    uint32_t r = 4;
    while (r < n)
        r *= 2;
    return r;
}

static inline void entry_free_callers(ps_entry *en)
{
    if (en->own)
        free(en->callers);
    en->callers = NULL;
    en->ncallers = 0;
    en->own = 0;
}

/* Room for one more caller at the end (NULL when out of memory, or at 2**30
 * callers: a function has fewer callers than there are functions). */
static inline ps_edge *edge_append(ps_entry *en)
{
    uint32_t n = en->ncallers;
    if (n >= (uint32_t)1 << 30)
        return NULL;
    if (!en->own || (n >= 4 && (n & (n - 1)) == 0)) {   /* full */
        ps_edge *nc = malloc((size_t)callers_room(n + 1) * sizeof *nc);
        if (!nc)
            return NULL;
        if (n)
            memcpy(nc, en->callers, (size_t)n * sizeof *nc);
        if (en->own)
            free(en->callers);
        en->callers = nc;
        en->own = 1;
    }
    return &en->callers[en->ncallers++];
}

/* Find the edge from caller in en: a scan of a short list, an index of
 * the callers (base/index.h) for a long one, so that a merge stays linear. */
typedef struct edge_map {
    ps_index ix;           /* caller -> position in en->callers; empty for a short list */
    const ps_entry *en;
} edge_map;

#define EDGE_MAP_SCAN 8    /* callers a list holds before it is indexed */

static inline uint32_t edge_map_hash(uint32_t caller) { return caller * 2654435761u; }

static inline int edge_map_build(edge_map *m, const ps_entry *en)
{
    m->en = en;
    if (ps_index_init(&m->ix, en->ncallers > EDGE_MAP_SCAN ? en->ncallers + 8 : 0) < 0)
        return -1;
    for (uint32_t i = 0; en->ncallers > EDGE_MAP_SCAN && i < en->ncallers; i++)
        if (ps_index_put(&m->ix, edge_map_hash(en->callers[i].caller), i) < 0)
            return ps_index_free(&m->ix), -1;
    return 0;
}

static inline uint32_t edge_map_find(const edge_map *m, uint32_t caller)
{
    const ps_edge *c = m->en->callers;
    if (!m->ix.n) {
        for (uint32_t i = 0; i < m->en->ncallers; i++)
            if (c[i].caller == caller)
                return i;
        return PS_NONE;
    }
    ps_index_probe p;
    uint32_t i = ps_index_find(&m->ix, edge_map_hash(caller), &p);
    while (i != PS_INDEX_NONE && c[i].caller != caller)
        i = ps_index_next(&m->ix, &p);
    return i == PS_INDEX_NONE ? PS_NONE : i;
}

/* en->callers[idx] was appended: index it (or the whole list, once long). */
static inline int edge_map_add(edge_map *m, uint32_t idx)
{
    if (m->ix.n)
        return ps_index_put(&m->ix, edge_map_hash(m->en->callers[idx].caller), idx);
    return m->en->ncallers > EDGE_MAP_SCAN ? edge_map_build(m, m->en) : 0;
}

static inline void edge_map_free(edge_map *m) { ps_index_free(&m->ix); }

/* The entry of func (created when create and missing; NULL when out of memory). */
ps_entry *ps_stats_entry_for(ps_stats *s, uint32_t func, int create);
/* A new entry for func, which has none (not checked: its record is only
 * written); NULL when out of memory. */
ps_entry *ps_stats_entry_add(ps_stats *s, uint32_t func);
/* The same without the function's link to it (s->funcs[func].entry), which
 * ps_stats_entries_link then sets for every entry, in a loop of its own:
 * the direct pass's links were a write to a random place of the function
 * table each (synth.prof: 6.4 MB of it), which the pass waited for (5 % of
 * the load's samples). */
ps_entry *ps_stats_entry_append(ps_stats *s, uint32_t func);
void ps_stats_entries_link(ps_stats *s);
/* A function known to be new, its name a string the pool had not held
 * before: appended, and put in the index by the next ps_stats_func_intern
 * or ps_stats_index_catch_up (PS_NONE when out of memory or out of ids). */
uint32_t ps_stats_func_append(ps_stats *s, const ps_str *file, int64_t line, const ps_str *name);
/* The functions appended put in the index (-1: out of memory). */
int ps_stats_index_catch_up(ps_stats *s);
/* Room for n more functions without growing the function table (-1: out of memory). */
int ps_stats_reserve_funcs(ps_stats *s, size_t n);
/* Frees a callees snapshot (ps_stats_calc_callees); NULL is fine. */
void ps_stats_callees_free(ps_callees *c);

/* The dump loader: load_direct.c's one pass where it takes the input, else
 * stats.c's generic reader.  A dump loaded into a fresh database swapped
 * into s, and the files line for it. */
int ps_stats_load_swap(ps_stats *s, const marshal_input *in, const char *label, ps_error *e);
/* The same with the direct pass (direct = 1, what ps_stats_load_swap does) or
 * the generic reader alone (0): test_pipeline.c compares the two. */
int ps_stats_load_swap_with(ps_stats *s, const marshal_input *in, const char *label,
                            int direct, ps_error *e);
void ps_stats_format_files_line(char *buf, size_t size, const marshal_input *in, const char *label);
/* stats.c's steps of it: the tables sized for a dump of len bytes (-1: out
 * of memory); the generic reader into a fresh s; the files line and totals
 * once the entries are in. */
int ps_stats_load_reserve(ps_stats *s, size_t len);
int ps_stats_load_generic(ps_stats *s, const marshal_input *in, const char *label, ps_error *e);
int ps_stats_load_done(ps_stats *s, const marshal_input *in, const char *label, ps_error *e);
/* load_direct.c: the entries of a well-formed dump read into the fresh s in
 * one pass; 0 when the input is anything else (s is then to be freed). */
int ps_stats_load_direct(ps_stats *s, const marshal_input *in);
/* The size of the window through which it reads its input (0: its own, and
 * an input in memory read in place): test_pipeline.c and fuzz_load set it
 * small to cut the input at every place. */
extern size_t ps_load_window;
/* s's contents freed and replaced by fresh's; fresh itself freed. */
void ps_stats_swap_in(ps_stats *s, ps_stats *fresh);

#endif
