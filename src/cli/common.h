/* common.h - what every program front says and loads the same way: one
 * error line `PROG: FILE: byte N: message`, and its inputs merged as
 * pstats.Stats(FILE, ...) merges them.  The command line: options.h.
 * Include once per program. */
#ifndef PSTATS_CLI_COMMON_H
#define PSTATS_CLI_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pstats/sampled.h"
#include "pstats/stats.h"
#include "options.h"

static inline void cli_report(const char *prog, const char *file, const ps_error *e)
{
    char line[1024];
    ps_error_line(e, file, line, sizeof line);
    fprintf(stderr, "%s: %s\n", prog, line);
}

/* The inputs loaded and merged, or NULL after saying why. */
static inline ps_stats *cli_load(const char *prog, const char *const *inputs, size_t n)
{
    ps_error e;
    long bad;
    ps_stats *s = ps_stats_new();
    if (!s) {
        fprintf(stderr, "%s: out of memory\n", prog);
        return NULL;
    }
    if (ps_stats_load_files(s, inputs, n, &bad, &e) < 0) {
        cli_report(prog, bad >= 0 ? inputs[bad] : NULL, &e);
        ps_stats_free(s);
        return NULL;
    }
    return s;
}

#endif
