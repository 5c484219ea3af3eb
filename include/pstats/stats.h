/* stats.h - the in-memory stats database: pstats.Stats in C.
 *
 * Functions are identified by (file, line, name) with interned strings, so a
 * key compares by pointer.  Entries keep dict (file) order, as CPython 3.6+
 * does; every semantic below is pstats.Stats' (CPython's Lib/pstats.py; the
 * dump is described in pstats(5), section THE STATS DICTIONARY). */
#ifndef PSTATS_STATS_H
#define PSTATS_STATS_H

#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include "arena.h"
#include "error.h"
#include "marshal.h"
#include "stacks.h"

#define PS_NONE UINT32_MAX
__extension__ typedef __int128 ps_count_total;

typedef struct ps_func {
    const ps_str *file;   /* co_filename, '~' for cProfile builtins, '' for profile.py's */
    const ps_str *name;   /* co_name, or a code object's repr when name_is_code */
    int64_t line;
    uint32_t entry;       /* index in stats->entries, PS_NONE if only seen as a caller */
    uint8_t name_is_code; /* the key's name was a code object (profile.py dumps) */
    uint8_t file_is_bytes;
} ps_func;

/* A caller edge stored in the callee's entry: 36 bytes, not 40 (a million
 * edges are most of a big profile's memory), so the shape shares the word
 * of the caller id (ids stay under 2**31: ps_stats_func_intern) and the
 * numbers are 4-byte aligned.  Members are read and written by name; take
 * no pointer to one (copy it). */
enum { PS_EDGE_TUPLE = 0, PS_EDGE_INT = 1 };
typedef struct __attribute__((packed, aligned(4))) ps_edge {
    uint32_t caller : 31; /* function id */
    uint32_t shape : 1;   /* PS_EDGE_TUPLE: (nc, cc, tt, ct); PS_EDGE_INT: nc only */
    int64_t nc, cc;       /* total first, primitive second, as cProfile writes them */
    double tt, ct;
} ps_edge;
#define PS_FUNC_MAX 0x7FFFFFFEu   /* the most function ids a ps_edge holds, less one */

/* 48 bytes: the callers' count and where they live share one word (a
 * loaded entry's callers are a run in stats->edge_mem; a grown one's are
 * malloc'd, with room for a power of two of them, 4 at least). */
typedef struct ps_entry {
    uint32_t func;
    uint32_t ncallers : 31;
    uint32_t own : 1;     /* callers malloc'd by the library, else in edge_mem */
    int64_t cc, nc;       /* primitive first, total second: the dump's slot order */
    double tt, ct;
    ps_edge *callers;     /* in dict order */
} ps_entry;

typedef struct ps_callees ps_callees;   /* the calc_callees snapshot */

typedef struct ps_stats {
    strpool pool;
    ps_func *funcs;            /* every key seen, entries and callers alike */
    uint32_t nfuncs, capfuncs;
    uint32_t *index;           /* open-addressing table of function ids */
    size_t nindex;
    uint32_t nindexed;         /* funcs [nindexed, nfuncs) not in it yet (inside a load only) */

    ps_entry *entries;         /* dict order */
    arena edge_mem;            /* loaded callers arrays */
    uint32_t nentries, capentries;

    char **files;              /* "ctime    path" lines */
    size_t nfiles;

    /* Python's ints are unbounded: the totals of 64-bit counts are kept in
     * 128 bits, exact for any dump (CPython prints 2**63 + 20512 calls where
     * an entry holds 2**63 - 1). */
    ps_count_total total_calls, prim_calls;
    double total_tt;
    uint32_t *top_level;       /* function ids with the jprofile marker */
    size_t ntop_level;

    /* sort state: fcn_list is NULL (None), or has_fcn_list with nfcn ids */
    uint32_t *fcn_list;
    uint32_t nfcn;
    int fcn_state;             /* 0 = None, 1 = list, 2 = ps_sort_stats() with no key (0) */
    char sort_type[256];

    ps_callees *callees;       /* not reset by add (CPython's cache trap) */
    int sampled;               /* loaded a ('__sampled__',) dump: SampledStats */
    ps_stacks *stacks;         /* the exact stacks of a sampled profile (function ids
                                * of funcs), or NULL where the input had none */
} ps_stats;

ps_stats *ps_stats_new(void);
void ps_stats_free(ps_stats *s);

/* Stats(path): read, decode and validate one dump.  label is the path text as
 * typed (used in the files line); ctime of the file's mtime is prefixed.
 * path "-" reads standard input. On error the stats are unchanged. */
int ps_stats_load_file(ps_stats *s, const char *path, ps_error *err);
/* The same from memory; files line is `label` as given (no ctime). */
int ps_stats_load_buffer(ps_stats *s, const unsigned char *buf, size_t len,
                      const char *label, ps_error *err);

/* The files line for path: "ctime(mtime)    path", or path when stat fails. */
void ps_stats_files_line(const char *path, char *buf, size_t size);

/* pstats.Stats(paths[0], paths[1], ...): the first loaded, then the rest
 * added in reverse order, as CPython does (which decides entry order and
 * float sums).  On error, *failed is the index of the input at fault (or -1
 * for out of memory) and s holds a partial merge, to be freed. */
int ps_stats_load_files(ps_stats *s, const char *const *paths, size_t n, long *failed,
                     ps_error *err);

/* Load paths[0..n) side by side on up to `jobs` threads (1: one at a time,
 * here) and hand each to take(ctx, i, &st, err) in order, on this thread:
 * st is the loaded stats, or NULL with err saying why not.  take may keep st
 * (setting it to NULL); what it leaves is freed (on the thread that loaded
 * it).  At most jobs + 1 inputs are held ahead of the one taken.  A non-zero
 * return of take stops the loading; ps_stats_load_each returns it (else 0). */
typedef int (*ps_load_each_fn)(void *ctx, size_t i, ps_stats **st, const ps_error *err);
int ps_stats_load_each(const char *const *paths, size_t n, int jobs, ps_load_each_fn take,
                       void *ctx);

/* s.add(other): CPython's merge rules and order.  Refuses (PS_EMERGE, stats
 * unchanged) where CPython raises on mixing int and tuple callers. */
int ps_stats_add(ps_stats *s, const ps_stats *other, ps_error *err);
int ps_stats_strip_dirs(ps_stats *s, ps_error *err);
/* pprof's granularity: LINES is pstats' own key (nothing changes); FUNCTIONS
 * merges the rows of one (file, name) at different lines into the smallest
 * line; FILES gives one row per file, (file, 0, "<file>"), cProfile's
 * builtins one ("~", 0, "<built-in>").  Rows and callers of one new key add
 * up as Stats.add adds them. */
enum { PS_GRANULARITY_LINES, PS_GRANULARITY_FUNCTIONS, PS_GRANULARITY_FILES };
int ps_stats_granularity(ps_stats *s, int level, ps_error *err);

/* Rebuild s as a derived view (the browser's filters): the entries of the
 * functions keep[] flags stay, in their order, with the callers callers_of
 * returns (ctx, function id, count; the array is copied, NULL with a count
 * means out of memory); the others go.  The totals are recomputed as loading
 * computes them, the sort and callees caches reset, exact stacks dropped. */
typedef const ps_edge *(*ps_callers_fn)(void *ctx, uint32_t func, uint32_t *n);
int ps_stats_rebuild(ps_stats *s, const uint8_t *keep, ps_callers_fn callers_of, void *ctx,
                     ps_error *err);

/* Function keys */
uint32_t ps_stats_func_find(const ps_stats *s, const char *file, size_t flen,
                         int64_t line, const char *name, size_t nlen);
uint32_t ps_stats_func_intern(ps_stats *s, const ps_str *file, int64_t line,
                           const ps_str *name, int name_is_code);
/* func_std_string: "file:line(name)", or "{name}"/"name" for ('~', 0, ...).
 * Writes into buf (always NUL-terminated); returns the full length. */
size_t ps_stats_std_name(const ps_stats *s, uint32_t func, char *buf, size_t size);
/* len() of the standard name, in code points. */
size_t ps_stats_std_name_len(const ps_stats *s, uint32_t func);

static inline const ps_entry *ps_stats_entry_of(const ps_stats *s, uint32_t func)
{
    uint32_t e = s->funcs[func].entry;
    return e == PS_NONE ? NULL : &s->entries[e];
}

/* ---- Hostile values: the one rule every exporter applies ----------------
 * A well-formed dump may hold inf, -inf, NaN, denormals, 1e308, negative
 * times and counts anywhere in [-2**63, 2**63-1].  pstatsh prints them as
 * CPython does; the exporters and the computations behind them (weights,
 * widths, shares, integer units, deltas) go through these, so that no value
 * reaches a cast, a sum or a division it would make undefined. */

/* A time as a clean weight: NaN, negative, infinite and absurd values (over
 * 1e12 s, 31,000 years) become 0, so sums of them stay finite. */
static inline double ps_time_clean(double t)
{
    return (t > 0 && t <= 1e12) ? t : 0;   /* false for NaN too */
}

/* A weight or share in [0, 1]: NaN and negatives give 0, above 1 gives 1. */
static inline double ps_unit_clamp(double w)
{
    if (!(w >= 0))
        return 0;
    return w > 1 ? 1 : w;
}

/* part's share of total in [0, 1] (ps_unit_clamp): 0/0, inf/inf, a negative
 * or NaN part or total give 0; a share above 1 (sums rounded up, hostile
 * values) is 1.  Take the share first and scale it after: scale / total
 * overflows to inf for a denormal total (5e-324 s), and inf * 0 is NaN. */
static inline double ps_share(double part, double total)
{
    return ps_unit_clamp(part / total);
}

/* A non-negative amount in an integer unit (samples, microseconds, ns),
 * rounded half away from zero as llround: NaN and amounts <= 0 give 0, and
 * amounts past what a long long holds give LLONG_MAX (llround is unspecified
 * there; weights of saturated counts get there). */
static inline long long ps_count_round(double x)
{
    if (!(x > 0))
        return 0;
    return x >= 9.2e18 ? LLONG_MAX : llround(x);
}

/* a - b for call counts, saturated at the ends of int64 (2**63-1 calls minus
 * -2**63 would overflow). */
static inline int64_t ps_count_sub(int64_t a, int64_t b)
{
    int64_t r;
    if (__builtin_sub_overflow(a, b, &r))
        return b < 0 ? INT64_MAX : INT64_MIN;
    return r;
}

/* Callees of every function (the inverse of the callers dicts), built once
 * and cached like pstats' all_callees. */
typedef struct ps_callee {
    uint32_t callee;      /* function id of the callee */
    ps_edge edge;         /* the callee's caller edge (edge.caller = the caller) */
} ps_callee;
int ps_stats_calc_callees(ps_stats *s, ps_error *err);
/* Callees of func from the snapshot: *n items (NULL, 0 if none). */
const ps_callee *ps_stats_callees_of(const ps_stats *s, uint32_t func, uint32_t *n);
int ps_stats_callees_known(const ps_stats *s, uint32_t func);

#endif
