/* common.h - what every program front says and loads the same way: one
 * error line `PROG: FILE: byte N: message`, and its inputs merged as
 * pstats.Stats(FILE, ...) merges them, and the --version line.  Include once
 * per program. */
#ifndef PSTATS_CLI_COMMON_H
#define PSTATS_CLI_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pstats/sampled.h"
#include "pstats/stats.h"
#include "pstats/version.h"

/* --version: the same line from every program. */
static inline void cli_version(const char *prog)
{
    printf("%s (pstats toolkit) %s\n", prog, PSTATS_VERSION);
}

/* The options every program takes for sampled inputs, as usage text. */
#define CLI_LOAD_USAGE \
    "  -f, --format FORMAT     input format: auto (default: by content), pstats,\n" \
    "                          folded, austin, plop, speedscope, pyinstrument\n" \
    "  --interval SECONDS      seconds a sample stands for where the input has no\n" \
    "                          time (folded, plop; default 0.01)\n" \
    "  --lines                 sampled inputs: one row per line, not per function\n" \
    "  --threads               sampled inputs: a root frame per thread\n"

/* Take the load options out of argv (up to "--"): -f FORMAT, --format[=]FORMAT,
 * --interval[=]SECONDS, --lines, --threads, and make them the process's load
 * defaults (every ps_stats_load_file follows them, pstatsh's `add` too).
 * Returns 0, or 2 (the exit status) after one line on stderr. */
static inline int cli_load_options(const char *prog, int *argc, char **argv)
{
    ps_load_options o;
    ps_load_options_init(&o);
    int out = 1;
    for (int i = 1; i < *argc; i++) {
        char *a = argv[i];
        const char *v = NULL;
        int kind = 0;   /* 1 format, 2 interval */
        if (!strcmp(a, "--")) {
            while (i < *argc)
                argv[out++] = argv[i++];
            break;
        }
        if (!strcmp(a, "-f") || !strcmp(a, "--format"))
            kind = 1;
        else if (!strcmp(a, "--interval"))
            kind = 2;
        else if (!strncmp(a, "--format=", 9))
            kind = 1, v = a + 9;
        else if (!strncmp(a, "--interval=", 11))
            kind = 2, v = a + 11;
        else if (!strcmp(a, "--lines")) {
            o.sample.lines = 1;
            continue;
        } else if (!strcmp(a, "--threads")) {
            o.sample.threads = 1;
            continue;
        } else {
            argv[out++] = a;
            continue;
        }
        if (!v) {
            if (i + 1 >= *argc) {
                fprintf(stderr, "%s: %s needs a value\n", prog, a);
                return 2;
            }
            v = argv[++i];
        }
        if (kind == 1) {
            int f = ps_format_from_name(v);
            if (f < 0) {
                fprintf(stderr, "%s: unknown input format '%s' (auto, pstats, folded, austin, "
                                "plop, speedscope, pyinstrument)\n", prog, v);
                return 2;
            }
            o.format = f;
        } else {
            char *end;
            double d = strtod(v, &end);
            if (end == v || *end || !(d > 0) || d > 1e9) {
                fprintf(stderr, "%s: --interval needs a number of seconds > 0, not '%s'\n",
                        prog, v);
                return 2;
            }
            o.sample.interval = d;
        }
    }
    argv[out] = NULL;
    *argc = out;
    ps_load_options_set_default(&o);
    return 0;
}

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
