/* folded.h - estimated call stacks ("folded" lines for flamegraph.pl, inferno
 * and speedscope) and a self-contained SVG flame graph (prof2folded,
 * `export folded`).
 *
 * A pstats dump has no stacks, only caller -> callee totals, so the stacks
 * are estimated (the flat-profile-to-stacks estimate flameprof makes, refined):
 *   - roots: the strongly connected components nobody outside calls; in each,
 *     the member with the largest cumulative time (builtins.exec on a
 *     `python -m cProfile` dump, not the profiler's `disable` entry);
 *   - a frame's time is split between its own time and its calls in
 *     proportion to its tottime and the times of its outgoing edges ("every
 *     call has the average distribution"); self edges are left out, their
 *     time is inside the function's own frames;
 *   - recursion: one call (caller -> callee edge) appears at most max_repeat
 *     times in a stack (default 2: recursion unrolled one level); a call past
 *     that is left out of the frame's split, its time being inside the
 *     frames that took it;
 *   - a call share below min_fraction of the total is not followed; it is
 *     drawn as one leaf frame (down to 1/100 of the threshold, below that it
 *     stays with the caller), which bounds the output;
 *   - the roots' times are scaled to the profile's total time (the sum of the
 *     tottimes, pstats' "in N seconds"), so the counts add up to it.
 * Everything runs on an explicit stack: any graph shape, any size. */
#ifndef PSTATS_FOLDED_H
#define PSTATS_FOLDED_H

#include <stdint.h>
#include <stdio.h>
#include "error.h"
#include "stats.h"

enum { FOLDED_UNIT_US = 0, FOLDED_UNIT_NS = 1, FOLDED_UNIT_MS = 2 };

typedef struct folded_options {
    int unit;               /* FOLDED_UNIT_*: counts are integers in this unit (default us) */
    double min_fraction;    /* smallest callee share entered, of the total (default 1e-4) */
    int inverted;           /* caller stacks: each function's own time, then who called it */
    int svg;                /* write an SVG flame graph instead of folded lines */
    uint32_t max_depth;     /* deepest stack (default 1000, Python's recursion limit); 0 = none */
    unsigned max_repeat;    /* times one call (caller -> callee) may appear in a stack (2) */
    int width;              /* SVG width in pixels (default 1200) */
    const char *title;      /* SVG title (default "Flame graph" / "Inverted flame graph") */
    const char *subtitle;   /* SVG subtitle, e.g. the input names, or NULL */
} folded_options;

void ps_folded_options_init(folded_options *o);

/* Set one option by its long name without the dashes, for prof2folded's
 * command line and the browser's `export folded|speedscope|pprof FILE
 * [options]` alike: unit (us, ns or ms), min-fraction, max-depth,
 * max-repeat, width, title take a value; inverted and svg take none.  value
 * is NULL when none was given.  Returns 2 when it took the value, 1 for an
 * option that takes none (value unused), 0 when name is not an option here
 * (nothing changed), -1 on a bad or missing value (err says why, e.g.
 * "--unit: 'x' is not us, ns or ms").  value is not copied: title points to it. */
int ps_folded_option_set(folded_options *o, const char *name, const char *value,
                         ps_error *err);

#define FOLDED_NONE UINT32_MAX

/* A frame of the estimated call tree. */
typedef struct folded_node {
    uint32_t parent;        /* FOLDED_NONE for a root */
    uint32_t func;          /* function id in the stats */
    uint32_t depth;         /* 0 for a root */
    double total;           /* seconds in this frame and above */
    double self;            /* seconds in this frame itself */
} folded_node;

/* One output line: a distinct stack. */
typedef struct folded_line {
    size_t text;            /* offset of "frame;frame;...;leaf" in the text buffer */
    double seconds;
    long long count;        /* in the unit; rounded so the counts add up to the total */
} folded_line;

typedef struct folded_stacks {
    const ps_stats *stats;
    int inverted;
    folded_node *nodes;     /* parents come before their children */
    uint32_t nnodes;
    size_t capnodes;
    folded_line *lines;     /* sorted by stack text, identical stacks merged */
    size_t nlines;
    char *text;             /* the stacks' text, NUL-terminated each */
    size_t textlen, textcap;
    char **labels;          /* frame text of each function, built on demand */
    uint32_t *roots;        /* the root functions chosen (forward stacks) */
    uint32_t nroots;
    double total;           /* seconds placed: the profile total, or what the roots had */
    double profile_total;   /* sum of the tottimes */
    double roots_total;     /* the roots' own cumulative times before scaling */
    double unit;            /* counts per second */
    int flat;               /* the roots held none of the time (damaged data): one
                             * frame per function, its own time */
    long long total_count;  /* sum of the line counts */
    double misplaced;       /* forward stacks: seconds of self time drawn in another
                             * function than the one pstats gives it (the estimate's
                             * error: half the L1 distance of the per-function sums) */
    const double *delta;    /* a differential graph (folded_diff.c): NEW - BASE seconds
                             * of each node, the SVG's colours; NULL otherwise */
} folded_stacks;

/* Estimate the stacks.  Returns 0 or -1 with err set; free with ps_folded_free. */
int ps_folded_build(const ps_stats *s, const folded_options *o, folded_stacks *out, ps_error *err);
void ps_folded_free(folded_stacks *fs);

/* The frame text of a function: "name (file:line)", or just the name for a
 * builtin (file '~' or '', line 0); ';' and control characters replaced. */
const char *ps_folded_label(folded_stacks *fs, uint32_t func);

/* The stacks of s in the shape every stack writer takes (stacks.h): a copy of
 * the exact stacks of a sampled profile, or else the estimate above (forward
 * stacks, o's min_fraction, max_depth and max_repeat; o may be NULL), with
 * out->estimated set.  Returns 0 or -1 with err set; free with
 * ps_stacks_free. */
int ps_stacks_of(const ps_stats *s, const folded_options *o, ps_stacks *out, ps_error *err);

/* A stack writer (speedscope, pprof): st's stacks to fp (what names it in
 * errors); 0 or -1 with err set. */
typedef int (*ps_stacks_writer)(const ps_stats *s, const ps_stacks *st, FILE *fp,
                                const char *what, void *ctx, ps_error *err);
/* ps_stacks_of(s, o) written by write atomically to path ("-" is standard
 * output): what every stack format's export does. */
int ps_stacks_export(const ps_stats *s, const folded_options *o, const char *path,
                     ps_stacks_writer write, void *ctx, ps_error *err);

/* "stack count" lines (lines whose count rounds to 0 are left out). */
int ps_folded_write_text(const folded_stacks *fs, FILE *fp, const char *what, ps_error *err);

/* The SVG flame graph (flame.c). */
int ps_folded_write_svg(folded_stacks *fs, const folded_options *o, FILE *fp, const char *what,
                     ps_error *err);

/* Build and write (text, or SVG with o->svg) atomically to path ("-" is
 * standard output). */
int ps_folded_export(const ps_stats *s, const char *path, const folded_options *o, ps_error *err);

#endif
