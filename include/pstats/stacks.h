/* stacks.h - weighted call stacks: the exact stacks of a sampled profile, or
 * the stacks estimated from a deterministic profile's caller -> callee
 * totals, in one shape for every writer that needs stacks (folded lines,
 * speedscope, pprof, the HTML page, diffs of flame graphs).
 *
 * A stack is a run of function ids of a ps_stats (ps_func, root first) in one
 * shared frames array, with a weight in seconds and, for sampled data, the
 * number of samples it stands for.  Keeping every stack's frames in one array
 * costs 4 bytes a frame and one allocation for the lot; a profile of a
 * million samples has far fewer distinct stacks, which ps_stacks_merge
 * folds together. */
#ifndef PSTATS_STACKS_H
#define PSTATS_STACKS_H

#include <stddef.h>
#include <stdint.h>
#include "error.h"

typedef struct ps_stack {
    size_t first;         /* index in ps_stacks.frames of the root frame */
    uint32_t depth;       /* frames in the stack; 0 never occurs (idle samples are counted apart) */
    double weight;        /* seconds */
    int64_t count;        /* samples (saturating); 0 for estimated stacks */
} ps_stack;

typedef struct ps_stacks {
    uint32_t *frames;     /* function ids, root first, one stack after another */
    size_t nframes, capframes;
    ps_stack *stacks;
    size_t nstacks, capstacks;
    int estimated;        /* 1: estimated from a deterministic profile, 0: sampled */
    int64_t idle_count;   /* samples without frames (dropped from the stacks) */
    double idle_weight;
} ps_stacks;

void ps_stacks_init(ps_stacks *st);
void ps_stacks_free(ps_stacks *st);

/* Append a stack of depth frames (root first).  Returns 0, or -1 with err
 * set (PS_ENOMEM, or PS_EUSAGE for depth 0). */
int ps_stacks_add(ps_stacks *st, const uint32_t *frames, uint32_t depth, double weight,
                  int64_t count, ps_error *err);

/* Sum of the stacks' weights (idle samples not included). */
double ps_stacks_total(const ps_stacks *st);

/* Identical stacks merged into one (weights and counts added), the stacks
 * ordered by their frames (lexicographically by function id, shorter first).
 * Returns 0 or -1 (PS_ENOMEM). */
int ps_stacks_merge(ps_stacks *st, ps_error *err);

/* The functions the stacks use, numbered in the order the stacks first use
 * them (the writers' frame tables): (*index)[f] is f's number, UINT32_MAX
 * (PS_NONE) for a function of none of the stacks (f < nfuncs), and
 * (*order)[0 .. *nused) the functions by number.  Both allocated, for the
 * caller to free.  Returns 0 or -1 with err set: PS_ENOMEM, or PS_EUSAGE for
 * a frame that is not one of the nfuncs functions. */
int ps_stacks_number(const ps_stacks *st, uint32_t nfuncs, uint32_t **index, uint32_t **order,
                     uint32_t *nused, ps_error *err);

/* Function ids renumbered through map[old] = new (after merging or
 * stripping functions); identical stacks are merged afterwards. */
int ps_stacks_remap(ps_stacks *st, const uint32_t *map, ps_error *err);

#endif
