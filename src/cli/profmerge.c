/* profmerge - merge profile dumps into one dump that CPython's pstats reads,
 * with exactly the statistics pstats.Stats(in1, in2, ..., inN) computes.
 *
 * pstats.Stats(in1, in2, ..., inN) loads in1, then adds the rest in REVERSE
 * argument order (inN first, in2 last): that decides the entry order of the
 * result and the order floats are summed in, so profmerge does the same.
 * Each input is loaded (its file closed as soon as it is read), added and
 * freed; loader threads read a few inputs ahead (--jobs), so a merge of
 * thousands of dumps holds a few inputs and the result in memory. */
#include <errno.h>
#include <limits.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "pstats/export.h"
#include "pstats/pprof.h"
#include "pstats/report.h"
#include "pstats/speedscope.h"
#include "pstats/stats.h"
#include "cleanup.h"
#include "common.h"

static const char USAGE[] =
    "usage: profmerge [options] FILE... -o OUTPUT\n"
    "Merge profile dumps (cProfile, profile, yappi; any CPython 2.7-3.14; gzip;\n"
    "- for standard input) into one dump, as pstats.Stats(FILE, ...).dump_stats does.\n"
    "  -o, --output OUTPUT     the merged dump (- for standard output); it may be\n"
    "                          one of the inputs: it is replaced only when complete\n"
    "  --marshal-version 2|4   marshal format of the output (default 4; 2 is also\n"
    "                          readable by Python 2.7)\n"
    "  -z, --gzip              gzip-compress the output\n"
    "  --strip-dirs            drop directory names from file names after merging\n"
    "                          (pstats' strip_dirs)\n"
    "  -k, --keep-going        skip inputs that cannot be read or merged, with a warning\n"
    "  --files-from LIST       also read input names from LIST, one per line\n"
    "                          (- for standard input); they come after FILE...\n"
    "  -j, --jobs N            read up to N inputs ahead in parallel (default: the\n"
    "                          idle CPUs, at most 4; 1: one at a time)\n"
    "  -q, --quiet             no warnings (errors are still reported)\n"
    "  -v, --verbose           print a summary on standard error (-vv: every input)\n"
    "  --output-format pstats|folded|speedscope|pprof  the output's format (default\n"
    "                          pstats); the others: the merged stacks of sampled\n"
    "                          inputs, exactly (speedscope, pprof: of dumps, estimated)\n"
    "  --sampled-marker        sampled inputs: write CPython 3.15's ('__sampled__',)\n"
    "                          key in the dump (older pstats cannot load it)\n"
    CLI_LOAD_USAGE
    "  -h, --help              show this help\n"
    "      --version           show the version\n";

#define MAX_JOBS 64   /* (the --jobs error says 64) */

static const char *prog = "profmerge";
static int quiet, verbose;

/* ---- interruption -------------------------------------------------------------
 * The output goes to a temporary file that is renamed into place when it is
 * complete (ps_export_file_open/commit); cleanup.h removes it if SIGINT, SIGTERM,
 * SIGHUP or SIGPIPE ends the program while it is written, and so does SIGXFSZ
 * (a file size limit) here. */
static void install_signals(void)
{
    cleanup_install(CLEANUP_ALL);
    struct sigaction sa, cur;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = cleanup_on_signal;
    sigemptyset(&sa.sa_mask);
    /* ignored by whoever started us: a write fails with EFBIG instead, handled */
    if (sigaction(SIGXFSZ, NULL, &cur) == 0 && cur.sa_handler != SIG_IGN)
        sigaction(SIGXFSZ, &sa, NULL);
}

/* ---- messages --------------------------------------------------------------------- */

static void report(const char *level, const char *file, const ps_error *e)
{
    char line[1024];
    ps_error_line(e, file, line, sizeof line);
    fprintf(stderr, "%s: %s%s\n", prog, level, line);
}

/* ---- input list --------------------------------------------------------------------- */

typedef struct names {
    char **v;
    size_t n, cap;
} names;

static int names_add(names *l, char *s)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        char **nv = realloc(l->v, cap * sizeof *nv);
        if (!nv)
            return -1;
        l->v = nv;
        l->cap = cap;
    }
    l->v[l->n++] = s;
    return 0;
}

/* One name per line; empty lines are skipped; a trailing \r is dropped. */
static int read_list(names *l, names *owned, const char *path)
{
    FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!fp) {
        fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int rc = 0;
    while ((n = getline(&line, &cap, fp)) >= 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (!n)
            continue;
        char *c = strdup(line);
        if (!c || names_add(owned, c) < 0 || names_add(l, c) < 0) {
            free(c);
            fprintf(stderr, "%s: out of memory\n", prog);
            rc = -1;
            break;
        }
    }
    if (rc == 0 && ferror(fp)) {
        fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
        rc = -1;
    }
    free(line);
    if (fp != stdin)
        fclose(fp);
    return rc;
}

/* ---- merging ------------------------------------------------------------------------
 * The adds must happen one after another in pstats' order, but loading (most
 * of the work) is independent per input: the library loads the next inputs of
 * that order ahead on --jobs threads (ps_stats_load_each) while this thread
 * adds. */

typedef struct merge {
    ps_stats *acc;          /* the result; NULL until a first input loaded */
    size_t merged, skipped;
    int keep_going;
    char **paths;           /* of the inputs being taken */
} merge;

/* Add one loaded input (or say why it could not be): 0 merged or skipped
 * (--keep-going), 1 fatal (said).  The first input loaded becomes the result. */
static int take_input(void *ctx, size_t i, ps_stats **st, const ps_error *err)
{
    merge *m = ctx;
    const char *path = m->paths[i];
    ps_error e;
    int rc = -1;
    if (*st && !m->acc) {
        m->acc = *st;
        *st = NULL;
        rc = 0;
    } else if (*st) {
        rc = ps_stats_add(m->acc, *st, &e);
    } else {
        e = *err;
    }
    if (rc == 0) {
        m->merged++;
        if (verbose > 1)
            fprintf(stderr, "%s: merged %s\n", prog, path);
        return 0;
    }
    if (m->keep_going && e.code != PS_ENOMEM) {
        if (!quiet)
            report("warning: skipped: ", path, &e);
        m->skipped++;
        return 0;
    }
    report("", path, &e);
    return 1;
}

/* Take paths[0..n) in that order, loading with `jobs` threads: 0, or -1 after
 * saying why. */
static int merge_all(merge *m, char **paths, size_t n, int jobs)
{
    m->paths = paths;
    return ps_stats_load_each((const char *const *)paths, n, jobs, take_input, m) ? -1 : 0;
}

static int parse_version(const char *s, int *v)
{
    if (!strcmp(s, "2"))
        *v = 2;
    else if (!strcmp(s, "4"))
        *v = 4;
    else
        return -1;
    return 0;
}

enum { OPT_MARSHAL_VERSION = CLI_OWN, OPT_FILES_FROM, OPT_OUTPUT_FORMAT, OPT_MARKER,
       OPT_STRIP };

static const struct option LONG[] = {
    {"output", required_argument, NULL, 'o'},
    {"marshal-version", required_argument, NULL, OPT_MARSHAL_VERSION},
    {"files-from", required_argument, NULL, OPT_FILES_FROM},
    {"jobs", required_argument, NULL, 'j'},
    {"output-format", required_argument, NULL, OPT_OUTPUT_FORMAT},
    {"sampled-marker", no_argument, NULL, OPT_MARKER},
    {"gzip", no_argument, NULL, 'z'},
    {"strip-dirs", no_argument, NULL, OPT_STRIP},
    {"keep-going", no_argument, NULL, 'k'},
    {"quiet", no_argument, NULL, 'q'},
    {"verbose", no_argument, NULL, 'v'},
    CLI_LOAD_OPTIONS,
    CLI_STD_OPTIONS,
};

int main(int argc, char **argv)
{
    names inputs = {0}, owned = {0};
    merge m = {NULL, 0, 0, 0, NULL};
    int status = 1;
    const char *output = NULL;
    const char *lists[64];
    size_t nlists = 0;
    int version = 4, gzip = 0, strip = 0, keep_going = 0, jobs = 0;
    int out_folded = 0, marker = 0;
    int out_stacks = 0;   /* 1 speedscope, 2 pprof: the merged stacks (speedscope.h, pprof.h) */

    cli_parser p;
    cli_begin(&p, prog, USAGE, argc, argv, "o:j:zkqvf:h", LONG);
    for (int c; (c = cli_next(&p)) != -1;) {
        const char *val = optarg;
        switch (c) {
        case 'o':
            output = val;
            break;
        case OPT_MARSHAL_VERSION:
            if (parse_version(val, &version) < 0)
                cli_usage_error(&p, "--marshal-version must be 2 or 4, not '%s'", val);
            break;
        case OPT_FILES_FROM:
            if (nlists == sizeof lists / sizeof *lists)
                cli_usage_error(&p, "%s", "too many --files-from");
            else
                lists[nlists++] = val;
            break;
        case 'j': {
            char *end;
            long j = strtol(val, &end, 10);
            if (*end || end == val || j < 1 || j > MAX_JOBS)
                cli_usage_error(&p, "--jobs must be a number from 1 to 64, not '%s'", val);
            jobs = (int)j;
            break;
        }
        case OPT_OUTPUT_FORMAT:
            if (strcmp(val, "pstats") && strcmp(val, "folded") && strcmp(val, "speedscope") &&
                strcmp(val, "pprof"))
                cli_usage_error(&p, "--output-format must be pstats, folded, speedscope or "
                                    "pprof, not '%s'", val);
            out_folded = !strcmp(val, "folded");
            out_stacks = !strcmp(val, "speedscope") ? 1 : !strcmp(val, "pprof") ? 2 : 0;
            break;
        case OPT_MARKER:
            marker = 1;
            break;
        case 'z':
            gzip = 1;
            break;
        case OPT_STRIP:
            strip = 1;
            break;
        case 'k':
            keep_going = 1;
            break;
        case 'q':
            quiet = 1;
            break;
        case 'v':
            verbose++;
            break;
        }
    }
    if (p.status >= 0) {
        status = p.status;
        goto done;
    }
    for (; optind < argc; optind++)
        if (names_add(&inputs, argv[optind]) < 0)
            goto nomem;
    for (size_t i = 0; i < nlists; i++)
        if (read_list(&inputs, &owned, lists[i]) < 0) {
            status = 2;
            goto done;
        }
    if (!jobs) {
        /* Threads pay only on idle CPUs: on a busy machine they cost more
         * (cache traffic between cores) than they overlap.  So: the CPUs
         * the load average leaves idle, 1 to 4. */
        long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
        double load = 0;
        if (getloadavg(&load, 1) != 1)
            load = 0;
        double idle = (double)(ncpu < 1 ? 1 : ncpu) - load;
        jobs = idle >= 4 ? 4 : idle >= 1.5 ? (int)(idle + 0.5) : 1;
    }
    if (!output) {
        fprintf(stderr, "%s: no output file (use -o FILE, or -o - for standard output)\n%s",
                prog, USAGE);
        status = 2;
        goto done;
    }
    if (!inputs.n) {
        fprintf(stderr, "%s: no input files\n%s", prog, USAGE);
        status = 2;
        goto done;
    }
    size_t nstdin = 0;
    for (size_t i = 0; i < inputs.n; i++)
        nstdin += !strcmp(inputs.v[i], "-");
    for (size_t i = 0; i < nlists; i++)
        nstdin += !strcmp(lists[i], "-");
    if (nstdin > 1) {
        fprintf(stderr, "%s: standard input (-) can be read only once (an input or a --files-from list)\n",
                prog);
        status = 2;
        goto done;
    }
    if (!strcmp(output, "-") && isatty(1)) {
        fprintf(stderr, "%s: refusing to write a binary dump to a terminal (redirect it, or use -o FILE)\n",
                prog);
        status = 2;
        goto done;
    }

    install_signals();
    /* Every input allocates and frees megabytes: keep them in the process
     * instead of unmapping and faulting in fresh zeroed pages each time. */
    mallopt(M_MMAP_THRESHOLD, 256 << 20);
    mallopt(M_TRIM_THRESHOLD, 512 << 20);

    /* Stats(in1, in2, ..., inN): the first input, then inN down to in2.  With
     * --keep-going the result is Stats() of the inputs that could be used. */
    m.keep_going = keep_going;
    char **order = malloc(inputs.n * sizeof *order);
    if (!order) {
        fprintf(stderr, "%s: out of memory\n", prog);
        goto fail;
    }
    /* the first input that loads, then the rest from the last down; with
     * --keep-going an input before it that cannot be read is skipped */
    size_t first = 0;
    for (; first < inputs.n && !m.acc; first++) {
        order[0] = inputs.v[first];
        if (merge_all(&m, order, 1, 1) < 0) {
            free(order);
            goto fail;
        }
    }
    first--;
    if (m.acc && first + 1 < inputs.n) {
        size_t nrest = inputs.n - first - 1;
        for (size_t i = 0; i < nrest; i++)
            order[i] = inputs.v[inputs.n - 1 - i];
        if (merge_all(&m, order, nrest, jobs) < 0) {
            free(order);
            goto fail;
        }
    }
    free(order);
    if (!m.acc) {
        fprintf(stderr, "%s: none of the %zu inputs could be read; no output written\n", prog,
                inputs.n);
        goto fail;
    }

    ps_error e;
    if (strip && ps_stats_strip_dirs(m.acc, &e) < 0) {
        report("", NULL, &e);
        goto fail;
    }

    if (out_stacks) {
        if ((out_stacks == 1 ? ps_speedscope_export(m.acc, output, NULL, NULL, &e)
                             : ps_pprof_export(m.acc, output, NULL, &e)) < 0) {
            report("", NULL, &e);
            goto fail;
        }
        status = 0;
        goto fail;
    }
    if (out_folded) {   /* the merged exact stacks of sampled inputs */
        if (ps_sampled_export_folded(m.acc, output, &e) < 0) {
            report("", NULL, &e);
            goto fail;
        }
        status = 0;
        goto fail;
    }
    if (m.acc->stacks && !quiet)
        fprintf(stderr, "%s: note: the stacks of the sampled inputs do not survive in a "
                        "pstats dump (--output-format folded keeps them)\n", prog);
    marshal_writer w;
    if (ps_export_marshal(m.acc, version, &w, &e) < 0) {
        report("", output, &e);
        goto fail;
    }
    if (marker && m.acc->sampled && ps_marshal_sampled_marker(&w, &e) < 0) {
        ps_marshal_writer_free(&w);
        report("", output, &e);
        goto fail;
    }
    export_file f;
    if (ps_export_file_open(&f, output, &e) < 0) {
        ps_marshal_writer_free(&w);
        report("", NULL, &e);
        goto fail;
    }
    int rc = ps_export_write_marshal(f.fp, &w, gzip, &e);
    ps_marshal_writer_free(&w);
    if (rc == 0)
        rc = ps_export_file_commit(&f, &e);
    else
        ps_export_file_abort(&f);
    if (rc < 0) {
        report("", NULL, &e);
        goto fail;
    }
    if (verbose) {
        char tt[64];
        snprintf(tt, sizeof tt, "%.6f", m.acc->total_tt);
        fprintf(stderr, "%s: %zu input%s merged", prog, m.merged, m.merged == 1 ? "" : "s");
        if (m.skipped)
            fprintf(stderr, " (%zu skipped)", m.skipped);
        char calls[48];
        ps_report_count_str(calls, m.acc->total_calls);
        fprintf(stderr, ": %u functions, %s function calls", m.acc->nentries, calls);
        if (m.acc->prim_calls != m.acc->total_calls) {
            ps_report_count_str(calls, m.acc->prim_calls);
            fprintf(stderr, " (%s primitive calls)", calls);
        }
        fprintf(stderr, ", %s seconds total time -> %s\n", tt, output);
    }
    status = 0;
fail:
    ps_stats_free(m.acc);
done:
    for (size_t i = 0; i < owned.n; i++)
        free(owned.v[i]);
    free(owned.v);
    free(inputs.v);
    return status;
nomem:
    fprintf(stderr, "%s: out of memory\n", prog);
    status = 1;
    goto done;
}
