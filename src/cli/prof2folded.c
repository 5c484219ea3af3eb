/* prof2folded - flame-graph stacks ("folded" lines) or an SVG flame graph
 * from profile dumps, estimated from the caller/callee graph so that the
 * counts add up to the profile's total time. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "pstats/export.h"
#include "pstats/folded.h"
#include "pstats/folded_diff.h"
#include "pstats/pprof.h"
#include "pstats/speedscope.h"
#include "pstats/stats.h"
#include "cleanup.h"
#include "common.h"

static const char USAGE[] =
    "usage: prof2folded [options] FILE [FILE...]\n"
    "Estimate call stacks from profile dumps (cProfile, profile, yappi; any CPython\n"
    "2.7-3.14; gzip; - for standard input) and write them as folded lines\n"
    "(\"frame;frame;...;leaf COUNT\", root first) for flamegraph.pl, inferno or\n"
    "speedscope, or as an SVG flame graph.  Several inputs are merged as\n"
    "pstats.Stats(FILE, ...) merges them.\n"
    "  -o, --output FILE       the output (default: standard output)\n"
    "  --unit us|ns|ms         unit of the counts (default us, microseconds)\n"
    "  --min-fraction X        smallest call share followed, as a fraction of the\n"
    "                          total (default 0.0001); smaller ones stay with the caller\n"
    "  --inverted              caller stacks: each function's own time first, then\n"
    "                          who called it\n"
    "  --output-format FORMAT  folded (default), svg (a flame graph, no other tool\n"
    "                          needed), speedscope (its JSON file format) or pprof\n"
    "                          (gzipped profile.proto for go tool pprof); a sampled\n"
    "                          profile's exact stacks, else the estimate\n"
    "  --svg                   the same as --output-format svg\n"
    "  --width N               SVG width in pixels (default 1200)\n"
    "  --title TEXT            SVG title\n"
    "  --max-depth N           deepest stack (default 1000; 0 = no limit)\n"
    "  --diff BASE             differential: \"stack BASE_COUNT NEW_COUNT\" lines (the\n"
    "                          inputs are NEW), or with --svg a differential flame\n"
    "                          graph (widths from NEW, red grew, blue shrank); repeat\n"
    "                          to merge several BASE dumps\n"
    "  -v, --verbose           say which roots were chosen and the totals (stderr)\n"
    CLI_LOAD_USAGE
    "  -h, --help              show this help\n"
    "      --version           show the version\n";

static const char *prog = "prof2folded";

static void report(const char *file, const ps_error *e) { cli_report(prog, file, e); }

/* Everything but the input list, which main owns (every return frees it). */
static int run_diff(char **bases, int nbases, char **inputs, int ninputs,
                    const folded_options *opts, const char *output);

enum { OPT_OUTPUT_FORMAT = CLI_OWN, OPT_DIFF, OPT_FOLDED };

/* The estimate's and the SVG's options are the library's (pstatsh's `export
 * folded` takes them too): they come back as OPT_FOLDED and go to
 * ps_folded_option_set by name, which checks their values. */
static const struct option LONG[] = {
    {"output", required_argument, NULL, 'o'},
    {"output-format", required_argument, NULL, OPT_OUTPUT_FORMAT},
    {"diff", required_argument, NULL, OPT_DIFF},
    {"verbose", no_argument, NULL, 'v'},
    {"unit", required_argument, NULL, OPT_FOLDED},
    {"min-fraction", required_argument, NULL, OPT_FOLDED},
    {"inverted", no_argument, NULL, OPT_FOLDED},
    {"svg", no_argument, NULL, OPT_FOLDED},
    {"width", required_argument, NULL, OPT_FOLDED},
    {"title", required_argument, NULL, OPT_FOLDED},
    {"max-depth", required_argument, NULL, OPT_FOLDED},
    {"max-repeat", required_argument, NULL, OPT_FOLDED},
    CLI_LOAD_OPTIONS,
    CLI_STD_OPTIONS,
};

static int run(int argc, char **argv, char **inputs, char **bases)
{
    int nbases = 0;
    folded_options opts;
    ps_folded_options_init(&opts);
    const char *output = "-";
    int verbose = 0;
    enum { OUT_FOLDED, OUT_SPEEDSCOPE, OUT_PPROF } format = OUT_FOLDED;
    int ninputs = 0;
    cli_parser p;
    cli_begin(&p, prog, USAGE, argc, argv, "o:vf:h", LONG);
    for (int c; (c = cli_next(&p)) != -1;) {
        switch (c) {
        case 'o':
            output = optarg;
            break;
        case 'v':
            verbose = 1;
            break;
        case OPT_DIFF:
            bases[nbases++] = optarg;
            break;
        case OPT_OUTPUT_FORMAT:
            opts.svg = !strcmp(optarg, "svg");
            if (!strcmp(optarg, "folded") || !strcmp(optarg, "svg"))
                format = OUT_FOLDED;
            else if (!strcmp(optarg, "speedscope"))
                format = OUT_SPEEDSCOPE;
            else if (!strcmp(optarg, "pprof"))
                format = OUT_PPROF;
            else
                cli_usage_error(&p, "unknown output format '%s' (folded, svg, speedscope or "
                                    "pprof)", optarg);
            break;
        case OPT_FOLDED: {
            ps_error e;
            ps_error_clear(&e);
            if (ps_folded_option_set(&opts, LONG[p.longindex].name, optarg, &e) <= 0)
                cli_usage_error(&p, "%s", e.msg);
            break;
        }
        }
    }
    if (p.status >= 0)
        return p.status;
    while (optind < argc)
        inputs[ninputs++] = argv[optind++];
    if (!ninputs) {
        fprintf(stderr, "%s: no input file\n%s", prog, USAGE);
        return 2;
    }
    /* The SVG's subtitle names the inputs. */
    char subtitle[512] = "";
    for (int i = 0; i < ninputs; i++) {
        const char *base = strrchr(inputs[i], '/');
        base = base ? base + 1 : inputs[i];
        size_t used = strlen(subtitle);
        if (used + strlen(base) + 8 >= sizeof subtitle) {
            strcat(subtitle, " ...");
            break;
        }
        if (i)
            strcat(subtitle, " + ");
        strcat(subtitle, base);
    }
    opts.subtitle = subtitle;
    if (nbases)
        return run_diff(bases, nbases, inputs, ninputs, &opts, output);

    ps_stats *s = cli_load(prog, (const char *const *)inputs, (size_t)ninputs);
    if (!s)
        return 1;
    ps_error e;
    ps_error_clear(&e);
    if (format != OUT_FOLDED) {
        /* The stacks writers take the exact stacks or make the estimate themselves. */
        cleanup_install(CLEANUP_ALL);
        int w = format == OUT_SPEEDSCOPE ? ps_speedscope_export(s, output, subtitle, &opts, &e)
                                         : ps_pprof_export(s, output, &opts, &e);
        if (w < 0)
            report(NULL, &e);
        else if (verbose)
            fprintf(stderr, "%s: wrote %s (%s stacks)\n", prog, output,
                    s->stacks ? "exact" : "estimated");
        ps_stats_free(s);
        return w < 0 ? 1 : 0;
    }
    folded_stacks fs;
    /* A sampled profile has its stacks: written as they are, no estimate. */
    int exact = s->stacks && !s->stacks->estimated;
    if (exact && !opts.title)
        opts.title = opts.inverted ? "Inverted flame graph (callers), sampled: exact stacks"
                                   : "Flame graph, sampled: exact stacks";
    if (exact ? ps_folded_from_stacks(s, s->stacks, &opts, &fs, &e) < 0
              : ps_folded_build(s, &opts, &fs, &e) < 0) {
        report(NULL, &e);
        ps_stats_free(s);
        return 1;
    }
    if (verbose && exact)
        fprintf(stderr, "%s: sampled input: %zu exact stacks, total %.6f s; counts add up to "
                        "%lld\n", prog, fs.nlines, fs.total, fs.total_count);
    if (verbose && !exact) {
        if (fs.flat)
            fprintf(stderr, "%s: the call graph's roots hold none of the time (damaged "
                            "data?): one frame per function\n", prog);
        for (uint32_t r = 0; r < fs.nroots && r < 10; r++)
            fprintf(stderr, "%s: root %s\n", prog, ps_folded_label(&fs, fs.roots[r]));
        if (fs.nroots > 10)
            fprintf(stderr, "%s: ... %u roots in all\n", prog, fs.nroots);
        fprintf(stderr,
                "%s: %zu stacks, %u frames; total %.6f s (tottime sum %.6f s, roots' "
                "cumtime %.6f s); counts add up to %lld\n",
                prog, fs.nlines, fs.nnodes, fs.total, fs.profile_total, fs.roots_total,
                fs.total_count);
        if (!opts.inverted && fs.total > 0)
            fprintf(stderr, "%s: %.2f%% of the self time is drawn in another function than "
                            "pstats gives it (the estimate's error)\n",
                    prog, 100.0 * fs.misplaced / fs.total);
    }
    cleanup_install(CLEANUP_ALL);
    export_file f;
    int rc = 0;
    if (ps_export_file_open(&f, output, &e) < 0) {
        report(NULL, &e);
        rc = 1;
    } else {
        int w = opts.svg ? ps_folded_write_svg(&fs, &opts, f.fp, output, &e)
                         : ps_folded_write_text(&fs, f.fp, output, &e);
        if (w < 0) {
            ps_export_file_abort(&f);
            report(NULL, &e);
            rc = 1;
        } else if (ps_export_file_commit(&f, &e) < 0) {
            report(NULL, &e);
            rc = 1;
        }
    }
    ps_folded_free(&fs);
    ps_stats_free(s);
    return rc;
}

/* --diff: BASE's and NEW's stacks side by side (folded_diff.h). */
static int run_diff(char **bases, int nbases, char **inputs, int ninputs,
                    const folded_options *opts, const char *output)
{
    ps_stats *base = cli_load(prog, (const char *const *)bases, (size_t)nbases);
    if (!base)
        return 1;
    ps_stats *s = cli_load(prog, (const char *const *)inputs, (size_t)ninputs);
    if (!s) {
        ps_stats_free(base);
        return 1;
    }
    cleanup_install(CLEANUP_ALL);
    ps_error e;
    int rc = 0;
    if (ps_folded_diff_export(base, s, output, opts, &e) < 0) {
        report(NULL, &e);
        rc = 1;
    }
    ps_stats_free(base);
    ps_stats_free(s);
    return rc;
}

int main(int argc, char **argv)
{
    char **inputs = calloc((size_t)argc + 1, sizeof *inputs);
    char **bases = calloc((size_t)argc + 1, sizeof *bases);
    int rc = 1;
    if (!inputs || !bases)
        fprintf(stderr, "%s: out of memory\n", prog);
    else
        rc = run(argc, argv, inputs, bases);
    free(inputs);
    free(bases);
    return rc;
}
