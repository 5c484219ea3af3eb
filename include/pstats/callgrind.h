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

/* One option of the callgrind writer at argv[*i], shared by prof2callgrind
 * and the browser's `export callgrind FILE [options]`: `--recursion=keep|drop`
 * or `--recursion keep|drop` (then *i moves past the value).  Returns 1 when
 * the option was one of these, 0 when it is not (nothing consumed), -1 on a
 * bad value (err says why). */
int ps_callgrind_parse_option(callgrind_options *o, int argc, char **argv, int *i, ps_error *err);

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
