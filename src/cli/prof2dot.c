/* prof2dot - gprof2dot's call graph of Python profile dumps, as Graphviz dot
 * or rendered directly (-T png|svg|pdf|...). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pstats/dot.h"
#include "pstats/graph.h"
#include "pstats/stats.h"
#include "cleanup.h"
#include "common.h"

static const char USAGE[] =
    "usage: prof2dot [options] FILE [FILE...]\n"
    "       prof2dot [options] --compare BASE NEW\n"
    "       prof2dot [options] --diff BASE FILE [FILE...]\n"
    "Draw the call graph of Python profile dumps (cProfile or profile, any CPython\n"
    "2.7-3.14, gzip-compressed, or - for standard input) the way gprof2dot does.\n"
    "Several files are merged like pstats.Stats(a, b, ...).\n"
    "\n"
    "options:\n"
    CLI_LOAD_USAGE
    "  -h, --help                   show this help\n"
    "  --version                    show the version\n";

/* --compare BASE NEW, or --diff BASE with the inputs as NEW. */
static int two_profiles(pg_options *o)
{
    const char *why = NULL;
    if (o->compare && o->diff_base)
        why = "--compare and --diff exclude each other";
    else if (o->compare && o->ninputs != 2)
        why = "--compare takes two inputs: BASE NEW";
    if (why) {
        fprintf(stderr, "prof2dot: %s\n", why);
        ps_pg_options_free(o);
        return 2;
    }
    ps_stats *base = cli_load("prof2dot", o->compare ? o->inputs : &o->diff_base, 1);
    ps_stats *cur = base ? cli_load("prof2dot", o->compare ? o->inputs + 1 : o->inputs,
                                    o->compare ? 1 : o->ninputs)
                         : NULL;
    int rc = 1;
    ps_error e;
    if (cur) {
        rc = ps_dot_run_two(base, cur, o, &e) < 0;
        if (rc)
            cli_report("prof2dot", NULL, &e);
    }
    ps_stats_free(base);
    ps_stats_free(cur);
    ps_pg_options_free(o);
    return rc;
}

int main(int argc, char **argv)
{
    if (cli_load_options("prof2dot", "", &argc, argv))
        return 2;
    /* a signal half-way through -o removes the temporary; the old file stays */
    cleanup_install(CLEANUP_ALL);
    pg_options o;
    ps_pg_options_init(&o);
    ps_error e;
    if (ps_pg_options_parse(&o, argc - 1, argv + 1, &e) < 0) {
        fprintf(stderr, "prof2dot: %s\n", e.msg);
        ps_pg_options_free(&o);
        return 2;
    }
    if (o.help) {
        fputs(USAGE, stdout);
        fputs(ps_pg_options_help(), stdout);
        ps_pg_options_free(&o);
        return 0;
    }
    if (o.version) {
        cli_version("prof2dot");
        ps_pg_options_free(&o);
        return 0;
    }
    if (o.ninputs == 0) {
        fprintf(stderr, "prof2dot: no input: give one or more profile dumps (- for standard input)\n");
        ps_pg_options_free(&o);
        return 2;
    }
    size_t nstdin = o.diff_base && strcmp(o.diff_base, "-") == 0;
    for (size_t i = 0; i < o.ninputs; i++)
        nstdin += strcmp(o.inputs[i], "-") == 0;
    if (nstdin > 1) {
        fprintf(stderr, "prof2dot: standard input (-) can be read only once\n");
        ps_pg_options_free(&o);
        return 2;
    }
    if (o.compare || o.diff_base)
        return two_profiles(&o);
    ps_stats *s = cli_load("prof2dot", o.inputs, o.ninputs);
    if (!s) {
        ps_pg_options_free(&o);
        return 1;
    }
    char *listing = NULL;
    int rc = ps_dot_run(s, &o, &listing, &e);
    if (rc < 0) {
        cli_report("prof2dot", NULL, &e);
    } else if (listing) {
        fputs(listing, stderr);
        free(listing);
    }
    ps_stats_free(s);
    ps_pg_options_free(&o);
    return rc < 0 ? 1 : 0;
}
