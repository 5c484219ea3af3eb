/* top.h - pprof's text reports on a stats database: `top` (flat, flat%,
 * sum%, cum, cum% per function) and `peek`/`tree` (each function between
 * its callers and its callees), laid out as `go tool pprof -top / -peek /
 * -tree` lays them out (internal/report/report.go: printText, printTree),
 * with pstats' names (filename:lineno(function)) and times.
 *
 * flat is tottime, cum is cumtime, an edge's weight the callee's cumtime
 * from that caller (for profile.py's int callers, the callee's cumtime
 * shared by calls); percentages are of `total`, pprof's sample total
 * (the time before the filters).  As pprof does: rows whose cum is below
 * 0.5 % of the flat sum are dropped by top and tree ("Dropped N nodes"),
 * times are in the one unit (ns, us, ms, s, hrs) that suits the smallest
 * row, percentages print with two decimals (two significant digits below
 * 1 %).  Nothing is filtered here: the browser passes the view (view.h). */
#ifndef PSTATS_TOP_H
#define PSTATS_TOP_H

#include <stdio.h>
#include "error.h"
#include "stats.h"

typedef struct ps_top_options {
    long count;                  /* rows of top, blocks of tree (<= 0: all) */
    int cum;                     /* order by cum instead of flat (-cum) */
    double total;                /* the 100 % of every percentage */
    const char *const *filters;  /* "focus=RE", ... for the Active filters header */
    size_t nfilters;
} ps_top_options;

/* top: the header, then a row per function. */
int ps_top_print(ps_stats *s, FILE *out, const ps_top_options *o, ps_error *err);
/* tree (peek == NULL): blocks for the first count functions of top's order,
 * after top's dropping; peek: a block for every function whose name matches
 * the regular expression peek (Python's re syntax), nothing dropped.  An
 * edge's line ends with its call count, "(ncalls calls)", as pstats' callers
 * report writes it.  A peek matching nothing is an error (after the header,
 * as pprof prints it). */
int ps_tree_print(ps_stats *s, FILE *out, const ps_top_options *o, const char *peek,
                  ps_error *err);

#endif
