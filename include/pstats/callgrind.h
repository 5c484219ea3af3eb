/* callgrind.h - the stats as a Callgrind profile for KCachegrind,
 * QCachegrind and callgrind_annotate (prof2callgrind, `export callgrind`).
 *
 * The functions and costs are pyprof2calltree's (one block per function in
 * (file, line, name) order, self cost on the def line, one call per callee
 * with the total edge count and the edge's cumulative time, nanoseconds
 * truncated, `name:line` for same-named functions of one file, builtins in
 * file `~`), in a complete file: `# callgrind format`, `version:`,
 * `creator:`, `positions:`, `events:` before `summary:`, a final `totals:`
 * equal to the sum of the self costs, and `(id)` name compression. */
#ifndef PSTATS_CALLGRIND_H
#define PSTATS_CALLGRIND_H

#include <stdio.h>
#include "error.h"
#include "stats.h"

enum {
    CALLGRIND_RECURSION_KEEP = 0,   /* every edge, as pyprof2calltree writes them */
    CALLGRIND_RECURSION_DROP = 1    /* no calls inside a cycle (self edges included) */
};

typedef struct callgrind_options {
    int recursion;          /* CALLGRIND_RECURSION_*; default KEEP */
    const char *cmd;        /* text of the `cmd:` header line (the inputs), or NULL */
} callgrind_options;

void ps_callgrind_options_init(callgrind_options *o);

/* Set one option of the callgrind writer by its long name without the
 * dashes ("recursion": keep or drop) to value (NULL: none was given), for
 * prof2callgrind's command line and the browser's `export callgrind FILE
 * [options]` alike, so that the names, checks and messages are these ones.
 * Returns 2 when it took the value, 1 for an option that takes none (the
 * value unused; callgrind has none such), 0 when name is not an option
 * here (nothing changed), -1 on a bad or missing value (err says why, e.g.
 * "--recursion: 'x' is not keep or drop"). */
int ps_callgrind_option_set(callgrind_options *o, const char *name, const char *value,
                            ps_error *err);

/* Write the profile to fp.  Returns 0, or -1 with err set (a write error is
 * PS_EIO, reported against `what`, e.g. the output file name). */
int ps_callgrind_write(const ps_stats *s, const callgrind_options *o, FILE *fp,
                    const char *what, ps_error *err);

/* Write it atomically to path ("-" is standard output). */
int ps_callgrind_export(const ps_stats *s, const char *path, const callgrind_options *o,
                     ps_error *err);

/* pyprof2calltree's output name for an input: "<basename>.log" in the current
 * directory, or "<basename>.log.log" when that is the input itself.  malloc'd;
 * NULL when out of memory. */
char *ps_callgrind_default_output(const char *input);

#endif
