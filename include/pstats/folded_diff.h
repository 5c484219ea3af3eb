/* folded_diff.h - differential flame graphs (prof2folded --diff): folded
 * lines "stack base_count new_count" as flamegraph.pl's difffolded.pl writes
 * them, or an SVG whose widths are NEW's and colours the change. */
#ifndef PSTATS_FOLDED_DIFF_H
#define PSTATS_FOLDED_DIFF_H

#include <stdio.h>
#include "error.h"
#include "folded.h"
#include "stats.h"

/* Both sides' stacks (ps_stacks_of with o's estimate options), matched by
 * their text; lines sorted bytewise, each column's counts in o->unit adding up
 * to its side's rounded total; o->svg draws the differential flame graph
 * instead.  Returns 0 or -1 with err set. */
int ps_folded_diff_write(const ps_stats *base, const ps_stats *new, const folded_options *o,
                         FILE *fp, const char *what, ps_error *err);
/* The same written atomically to path ("-" is standard output). */
int ps_folded_diff_export(const ps_stats *base, const ps_stats *new, const char *path,
                          const folded_options *o, ps_error *err);

#endif
