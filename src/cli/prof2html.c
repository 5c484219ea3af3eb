/* prof2html - one self-contained HTML page of profile dumps: icicle and
 * sunburst charts, pstats' table of functions, callers and callees, search;
 * it opens offline in any browser (html.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pstats/export.h"
#include "pstats/html.h"
#include "pstats/stats.h"
#include "cleanup.h"
#include "common.h"

static const char USAGE[] =
    "usage: prof2html [options] FILE [FILE...] -o OUT.html\n"
    "Write one self-contained HTML page of profile dumps (cProfile, profile, yappi;\n"
    "any CPython 2.7-3.14; gzip; - for standard input): icicle and sunburst charts\n"
    "of the call stacks, the table of every function with pstats' columns, callers\n"
    "and callees, search.  It needs no server and no network.  Several inputs are\n"
    "merged as pstats.Stats(FILE, ...) merges them.  A deterministic profile has no\n"
    "stacks: they are estimated from the call graph as prof2folded does (the page\n"
    "says so).\n"
    "  -o, --output FILE       the page (default: standard output)\n"
    "  -t, --title TEXT        the page's title (default: the inputs' names)\n"
    "      --min-fraction X    smallest call share followed in the estimated stacks,\n"
    "                          as a fraction of the total (default 0.0001)\n"
    "      --max-depth N       deepest estimated stack (default 1000; 0 = no limit)\n"
    "      --max-repeat N      times one call may repeat in an estimated stack (2)\n"
    "      --diff BASE         colour the page by change since BASE (red: slower,\n"
    "                          blue: faster, grey: within the tolerance)\n"
    "      --diff-tolerance P  changes under P% of BASE's total time are grey (1)\n"
    "      --diff-strip-dirs   strip both sides' directories first (pstats'\n"
    "                          strip_dirs), to match across installs\n"
    CLI_LOAD_USAGE
    "  -h, --help              show this help\n"
    "      --version           show the version\n";

static const char *prog = "prof2html";

enum { OPT_MIN_FRACTION = CLI_OWN, OPT_MAX_DEPTH, OPT_MAX_REPEAT, OPT_DIFF, OPT_DIFF_TOLERANCE,
       OPT_DIFF_STRIP };

static const struct option LONG[] = {
    {"output", required_argument, NULL, 'o'},
    {"title", required_argument, NULL, 't'},
    {"min-fraction", required_argument, NULL, OPT_MIN_FRACTION},
    {"max-depth", required_argument, NULL, OPT_MAX_DEPTH},
    {"max-repeat", required_argument, NULL, OPT_MAX_REPEAT},
    {"diff", required_argument, NULL, OPT_DIFF},
    {"diff-tolerance", required_argument, NULL, OPT_DIFF_TOLERANCE},
    {"diff-strip-dirs", no_argument, NULL, OPT_DIFF_STRIP},
    CLI_LOAD_OPTIONS,
    CLI_STD_OPTIONS,
};

/* A number in [lo, hi] (a whole one if integer), or -1 after saying why. */
static int parse_number(cli_parser *p, const char *v, double lo, double hi, int integer,
                        double *out)
{
    char *end;
    double d = strtod(v, &end);
    if (!*v || *end || !(d >= lo && d <= hi) || (integer && d != (double)(long long)d)) {
        char what[128];
        snprintf(what, sizeof what, "bad value for --%s: '%%s'", p->longopts[p->longindex].name);
        cli_usage_error(p, what, v);
        return -1;
    }
    *out = d;
    return 0;
}

int main(int argc, char **argv)
{
    ps_html_options opts;
    ps_html_options_init(&opts);
    const char *output = "-", *diff = NULL;
    int diff_strip = 0;
    double d;
    cli_parser p;
    cli_begin(&p, prog, USAGE, argc, argv, "o:t:f:h", LONG);
    for (int c; (c = cli_next(&p)) != -1;) {
        switch (c) {
        case 'o': output = optarg; break;
        case 't': opts.title = optarg; break;
        case OPT_MIN_FRACTION:
            if (parse_number(&p, optarg, 0, 1, 0, &d) == 0)
                opts.stacks.min_fraction = d;
            break;
        case OPT_MAX_DEPTH:
            if (parse_number(&p, optarg, 0, 1e9, 1, &d) == 0)
                opts.stacks.max_depth = (uint32_t)d;
            break;
        case OPT_MAX_REPEAT:
            if (parse_number(&p, optarg, 1, 1000, 1, &d) == 0)
                opts.stacks.max_repeat = (unsigned)d;
            break;
        case OPT_DIFF: diff = optarg; break;
        case OPT_DIFF_STRIP: diff_strip = 1; break;
        case OPT_DIFF_TOLERANCE:
            if (parse_number(&p, optarg, 0, 1e300, 0, &d) == 0)
                opts.diff_tolerance = d;
            break;
        }
    }
    if (p.status >= 0)
        return p.status;
    int ninputs = argc - optind;
    if (ninputs <= 0) {
        fprintf(stderr, "%s: no input file\n%s", prog, USAGE);
        return 2;
    }
    const char *const *inputs = (const char *const *)argv + optind;
    /* the inputs' names under the title (and as the title by default) */
    char names[1024] = "";
    for (int i = 0; i < ninputs; i++) {
        size_t used = strlen(names), len = strlen(inputs[i]);
        if (used + len + 8 >= sizeof names) {
            strcat(names, " ...");
            break;
        }
        if (i)
            strcat(names, " + ");
        strcat(names, inputs[i]);
    }
    opts.inputs = names;
    if (!opts.title)
        opts.title = names;

    int nstdin = diff && strcmp(diff, "-") == 0;
    for (int i = 0; i < ninputs; i++)
        nstdin += strcmp(inputs[i], "-") == 0;
    if (nstdin > 1) {
        fprintf(stderr, "%s: standard input (-) can be read only once\n", prog);
        return 2;
    }
    ps_stats *base = NULL;
    if (diff) {
        base = cli_load(prog, &diff, 1);
        if (!base)
            return 1;
        opts.diff_base = base;
        opts.diff_name = diff;
    }
    ps_stats *s = cli_load(prog, inputs, (size_t)ninputs);
    if (!s) {
        ps_stats_free(base);
        return 1;
    }
    cleanup_install(CLEANUP_ALL);
    ps_error e;
    ps_error_clear(&e);
    int rc = 0;
    /* the page then shows NEW stripped too, as pstats' strip_dirs() would */
    if (base && diff_strip &&
        (ps_stats_strip_dirs(base, &e) < 0 || ps_stats_strip_dirs(s, &e) < 0)) {
        cli_report(prog, NULL, &e);
        rc = 1;
    } else if (ps_html_write(s, output, &opts, &e) < 0) {
        cli_report(prog, NULL, &e);
        rc = 1;
    }
    ps_stats_free(s);
    ps_stats_free(base);
    return rc;
}
