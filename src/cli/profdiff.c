/* profdiff - what got slower between two profiles, as a report and a CI gate.
 *
 * Each side is one dump or several merged as pstats.Stats(a, b, ...) merges
 * them, loaded through the same helper as every program (common.h).  The
 * comparison, the gate and the writers are the library's (pstats/diff.h);
 * this file is the command line: exit 0 when the gate holds, 1 when it fails,
 * 2 on any error (one line naming the file and byte). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pstats/diff.h"
#include "pstats/export.h"
#include "pstats/select.h"
#include "pstats/stats.h"
#include "cleanup.h"
#include "common.h"

static const char USAGE[] =
    "usage: profdiff [options] BASE NEW\n"
    "       profdiff [options] BASE... -- NEW...\n"
    "       profdiff [options] --base FILE [--base FILE...] --new FILE [--new FILE...]\n"
    "Compare two profiles (cProfile, profile, yappi dumps of any CPython 2.7-3.14;\n"
    "gzip; - for standard input): the functions whose time changed most, and a gate\n"
    "for CI.  A side of several files is their merge, as pstats.Stats(a, b, ...).\n"
    "  -n N                    rows of the table (default 20)\n"
    "  -s, --sort KEY          cumtime (default), tottime or ncalls: rows by |delta|\n"
    "  --match=name|exact      pair functions by (file, name), the line ignored\n"
    "                          (default), or by pstats' key (file, line, name)\n"
    "  --strip-dirs            compare base names of files, as pstats' strip_dirs\n"
    "  --normalize             scale BASE's times so its total equals NEW's\n"
    "  -f, --format FMT        text (default), markdown or json\n"
    "  -o, --output FILE       the output (default: standard output)\n"
    "  --fail-above PCT        fail when NEW's total time exceeds BASE's by > PCT %\n"
    "  --fail-function-above PCT\n"
    "                          fail when a function's sort measure grew by more than\n"
    "                          PCT % of BASE's total (new functions grow from 0)\n"
    "  --min-time SECONDS      ignore time changes smaller than this (noise floor)\n"
    "  --input-format FORMAT   the inputs' format: auto (default: by content),\n"
    "                          pstats, folded, austin, plop, speedscope, pyinstrument\n"
    CLI_SAMPLE_USAGE
    "  -h, --help              show this help\n"
    "      --version           show the version\n"
    "Exit status: 0 the gate holds, 1 it fails, 2 an error.\n";

static const char *prog = "profdiff";


/* A non-negative number (a percentage or seconds), or -1. */
static double parse_amount(const char *s)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (!*s || *end || errno || !isfinite(v) || v < 0)
        return -1;
    return v;
}

enum { OPT_BASE = CLI_OWN, OPT_NEW, OPT_MATCH, OPT_STRIP, OPT_NORMALIZE, OPT_FAIL_ABOVE,
       OPT_FAIL_FUNC, OPT_MIN_TIME };

static const struct option LONG[] = {
    {"base", required_argument, NULL, OPT_BASE},
    {"new", required_argument, NULL, OPT_NEW},
    {"sort", required_argument, NULL, 's'},
    {"match", required_argument, NULL, OPT_MATCH},
    {"strip-dirs", no_argument, NULL, OPT_STRIP},
    {"normalize", no_argument, NULL, OPT_NORMALIZE},
    {"format", required_argument, NULL, 'f'},
    {"output", required_argument, NULL, 'o'},
    {"fail-above", required_argument, NULL, OPT_FAIL_ABOVE},
    {"fail-function-above", required_argument, NULL, OPT_FAIL_FUNC},
    {"min-time", required_argument, NULL, OPT_MIN_TIME},
    /* -f and --format are the output's: the input's format is --input-format */
    {"input-format", required_argument, NULL, CLI_FORMAT},
    CLI_SAMPLE_OPTIONS,
    CLI_STD_OPTIONS,
};

typedef struct side {
    const char **files;
    size_t n;
} side;

/* Everything but the two input lists, which main owns. */
static int run(int argc, char **argv, side *base, side *new)
{
    ps_diff_options o;
    ps_diff_options_init(&o);
    int format = PS_DIFF_TEXT;
    const char *output = "-";
    long long nrows = 20;
    const char **pos = calloc((size_t)argc + 1, sizeof *pos);
    if (!pos) {
        fprintf(stderr, "%s: out of memory\n", prog);
        return 2;
    }
    size_t npos = 0;
    int c, rc = 2;
    const char *last_arg = NULL;
    cli_parser p;
    /* "-": operands come back in order as option 1, so BASE... -- NEW...
     * keeps which side each file is on. */
    cli_begin(&p, prog, USAGE, argc, argv, "-n:s:f:o:h", LONG);
    p.format_short = 0;
    while ((c = cli_next(&p)) != -1) {
        last_arg = optarg;
        switch (c) {
        case 1:
            pos[npos++] = optarg;
            break;
        case OPT_BASE:
            base->files[base->n++] = optarg;
            break;
        case OPT_NEW:
            new->files[new->n++] = optarg;
            break;
        case 'n': {
            char *end;
            errno = 0;
            nrows = strtoll(optarg, &end, 10);
            if (!*optarg || *end || errno || nrows < 0) {
                rc = cli_usage_error(&p, "-n: not a row count: %s", optarg);
                goto out;
            }
            break;
        }
        case 's':
            if ((o.sort = ps_diff_parse_sort(optarg)) < 0) {
                rc = cli_usage_error(&p, "--sort: cumtime, tottime or ncalls, not %s", optarg);
                goto out;
            }
            break;
        case OPT_MATCH:
            if (!strcmp(optarg, "name")) {
                o.match = PS_DIFF_MATCH_NAME;
            } else if (!strcmp(optarg, "exact")) {
                o.match = PS_DIFF_MATCH_EXACT;
            } else {
                rc = cli_usage_error(&p, "--match: name or exact, not %s", optarg);
                goto out;
            }
            break;
        case OPT_STRIP:
            o.strip_dirs = 1;
            break;
        case OPT_NORMALIZE:
            o.normalize = 1;
            break;
        case 'f':
            if ((format = ps_diff_parse_format(optarg)) < 0) {
                rc = cli_usage_error(&p, "--format: text, markdown or json, not %s", optarg);
                goto out;
            }
            break;
        case 'o':
            output = optarg;
            break;
        case OPT_FAIL_ABOVE:
        case OPT_FAIL_FUNC:
        case OPT_MIN_TIME: {
            double v = parse_amount(optarg);
            if (v < 0) {
                rc = cli_usage_error(&p, "not a non-negative number: %s", optarg);
                goto out;
            }
            if (c == OPT_FAIL_ABOVE)
                o.fail_above = v;
            else if (c == OPT_FAIL_FUNC)
                o.fail_function_above = v;
            else
                o.min_time = v;
            break;
        }
        }
    }
    if (p.status >= 0) {
        rc = p.status;
        goto out;
    }
    /* Was there a "--"?  getopt stops on it with the rest left at optind. */
    int sep = optind < argc ||
              (optind > 1 && !strcmp(argv[optind - 1], "--") && last_arg != argv[optind - 1]);
    if (sep) {
        for (size_t i = 0; i < npos; i++)
            base->files[base->n++] = pos[i];
        for (int i = optind; i < argc; i++)
            new->files[new->n++] = argv[i];
    } else if (!base->n && !new->n) {
        if (npos != 2) {
            rc = cli_usage_error(&p, "%s", npos < 2 ? "needs BASE and NEW"
                                            : "more than two inputs: BASE... -- NEW... or --base/--new");
            goto out;
        }
        base->files[base->n++] = pos[0];
        new->files[new->n++] = pos[1];
    } else {
        side *rest = base->n ? new : base;
        if (base->n && new->n && npos) {
            rc = cli_usage_error(&p, "%s", "inputs given both with --base/--new and as operands");
            goto out;
        }
        for (size_t i = 0; i < npos; i++)
            rest->files[rest->n++] = pos[i];
    }
    if (!base->n || !new->n) {
        rc = cli_usage_error(&p, "%s", base->n ? "no NEW input" : "no BASE input");
        goto out;
    }
    o.base_files = base->files;
    o.nbase_files = base->n;
    o.new_files = new->files;
    o.nnew_files = new->n;

    ps_stats *bs = cli_load(prog, base->files, base->n);
    if (!bs)
        goto out;
    ps_stats *ns = cli_load(prog, new->files, new->n);
    if (!ns) {
        ps_stats_free(bs);
        goto out;
    }
    ps_error e;
    ps_diff d;
    if (ps_diff_build(bs, ns, &o, &d, &e) < 0) {
        cli_report(prog, NULL, &e);
        ps_stats_free(bs);
        ps_stats_free(ns);
        goto out;
    }
    sel_restriction lim = {.kind = SEL_INT, .i = nrows, .text = ""};
    cleanup_install(CLEANUP_ALL);
    export_file f;
    int to_file = strcmp(output, "-") != 0;
    if (ps_export_file_open(&f, output, &e) < 0) {
        cli_report(prog, NULL, &e);
    } else if (ps_diff_write(&d, format, &lim, 1, f.fp, output, &e) < 0) {
        ps_export_file_abort(&f);
        cli_report(prog, NULL, &e);
    } else if (ps_export_file_commit(&f, &e) < 0) {
        cli_report(prog, NULL, &e);
    } else {
        rc = d.failed ? 1 : 0;
        /* The text and markdown reports end with the verdict; where it went to a
         * file or into JSON, standard error says it too. */
        if (d.failed && (format == PS_DIFF_JSON || to_file))
            for (size_t i = 0; i < d.nreasons; i++)
                fprintf(stderr, "%s: FAILED: %s\n", prog, d.reasons[i]);
    }
    ps_diff_free(&d);
    ps_stats_free(bs);
    ps_stats_free(ns);
out:
    free(pos);
    return rc;
}

int main(int argc, char **argv)
{
    side base = {calloc((size_t)argc + 1, sizeof(char *)), 0};
    side new = {calloc((size_t)argc + 1, sizeof(char *)), 0};
    int rc = 2;
    if (!base.files || !new.files)
        fprintf(stderr, "%s: out of memory\n", prog);
    else
        rc = run(argc, argv, &base, &new);
    free(base.files);
    free(new.files);
    return rc;
}
