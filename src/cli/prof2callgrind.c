/* prof2callgrind - a Callgrind profile (KCachegrind, callgrind_annotate) from
 * profile dumps: pyprof2calltree's functions and costs in a complete file. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "pstats/callgrind.h"
#include "pstats/export.h"
#include "pstats/stats.h"
#include "cleanup.h"
#include "common.h"

static const char USAGE[] =
    "usage: prof2callgrind [-o FILE] [-k] [--recursion=keep|drop] FILE [FILE...]\n"
    "Convert profile dumps (cProfile, profile, yappi; any CPython 2.7-3.14; gzip;\n"
    "- for standard input) to a Callgrind file for KCachegrind or callgrind_annotate.\n"
    "Several inputs are merged as pstats.Stats(FILE, ...) merges them.\n"
    "  -o, --output FILE       the output (- for standard output); default: the first\n"
    "                          input's base name + \".log\", as pyprof2calltree names it\n"
    "  -i, --input FILE        an input (pyprof2calltree's spelling)\n"
    "  -k, --kcachegrind       open the result in kcachegrind (or qcachegrind)\n"
    "  --recursion=keep|drop   keep (default): every call, recursive ones included, as\n"
    "                          pyprof2calltree writes them; drop: leave out calls inside\n"
    "                          a cycle so inclusive costs never exceed 100 %\n"
    "  -q, --quiet             do not say where the output went\n"
    CLI_LOAD_USAGE
    "  -h, --help              show this help\n"
    "      --version           show the version\n";

static const char *prog = "prof2callgrind";

static void report(const char *file, const ps_error *e) { cli_report(prog, file, e); }

/* The first of kcachegrind, qcachegrind found on PATH, or NULL. */
static const char *find_viewer(char *buf, size_t size)
{
    static const char *const names[] = {"kcachegrind", "qcachegrind"};
    const char *path = getenv("PATH");
    if (!path || !*path)
        path = "/usr/local/bin:/usr/bin:/bin";
    for (size_t k = 0; k < 2; k++) {
        const char *p = path;
        while (*p) {
            const char *colon = strchr(p, ':');
            size_t len = colon ? (size_t)(colon - p) : strlen(p);
            snprintf(buf, size, "%.*s%s%s", (int)len, p, len ? "/" : "", names[k]);
            if (access(buf, X_OK) == 0)
                return names[k];
            if (!colon)
                break;
            p = colon + 1;
        }
    }
    return NULL;
}

static int launch_viewer(const char *file)
{
    char exe[4096];
    const char *name = find_viewer(exe, sizeof exe);
    if (!name) {
        fprintf(stderr, "%s: cannot open %s: neither kcachegrind nor qcachegrind is installed\n",
                prog, file);
        return 1;
    }
    fprintf(stderr, "%s: launching %s\n", prog, name);
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "%s: cannot start %s: %s\n", prog, name, strerror(errno));
        return 1;
    }
    if (pid == 0) {
        execl(exe, name, file, (char *)NULL);
        fprintf(stderr, "%s: cannot start %s: %s\n", prog, exe, strerror(errno));
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return 1;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}

enum { OPT_RECURSION = CLI_OWN };

static const struct option LONG[] = {
    {"output", required_argument, NULL, 'o'},
    {"outfile", required_argument, NULL, 'o'},   /* pyprof2calltree's spellings */
    {"input", required_argument, NULL, 'i'},
    {"infile", required_argument, NULL, 'i'},
    {"kcachegrind", no_argument, NULL, 'k'},
    {"recursion", required_argument, NULL, OPT_RECURSION},
    {"quiet", no_argument, NULL, 'q'},
    CLI_LOAD_OPTIONS,
    CLI_STD_OPTIONS,
};

int main(int argc, char **argv)
{
    callgrind_options opts;
    ps_callgrind_options_init(&opts);
    const char *output = NULL;
    int viewer = 0, quiet = 0;
    char **inputs = calloc((size_t)argc + 1, sizeof *inputs);
    int ninputs = 0;
    if (!inputs) {
        fprintf(stderr, "%s: out of memory\n", prog);
        return 1;
    }
    cli_parser p;
    cli_begin(&p, prog, USAGE, argc, argv, "o:i:kqf:h", LONG);
    for (int c; (c = cli_next(&p)) != -1;) {
        switch (c) {
        case 'o':
            output = optarg;
            break;
        case 'i':
            inputs[ninputs++] = optarg;
            break;
        case 'k':
            viewer = 1;
            break;
        case 'q':
            quiet = 1;
            break;
        case OPT_RECURSION: {   /* the library checks it (pstatsh's `export callgrind` too) */
            ps_error e;
            ps_error_clear(&e);
            if (ps_callgrind_option_set(&opts, LONG[p.longindex].name, optarg, &e) <= 0)
                cli_usage_error(&p, "%s", e.msg);
            break;
        }
        }
    }
    if (p.status >= 0) {
        free(inputs);
        return p.status;
    }
    while (optind < argc)
        inputs[ninputs++] = argv[optind++];
    if (!ninputs) {
        fprintf(stderr, "%s: no input file\n%s", prog, USAGE);
        free(inputs);
        return 2;
    }
    if (viewer && output && !strcmp(output, "-")) {
        fprintf(stderr, "%s: -k needs an output file, not standard output\n", prog);
        free(inputs);
        return 2;
    }
    char *default_out = NULL;
    if (!output) {
        default_out = ps_callgrind_default_output(inputs[0]);
        if (!default_out) {
            fprintf(stderr, "%s: out of memory\n", prog);
            free(inputs);
            return 1;
        }
        output = default_out;
    }
    /* The cmd: line names the inputs. */
    size_t cmdlen = 1;
    for (int i = 0; i < ninputs; i++)
        cmdlen += strlen(inputs[i]) + 1;
    char *cmd = malloc(cmdlen);
    if (!cmd) {
        fprintf(stderr, "%s: out of memory\n", prog);
        free(default_out);
        free(inputs);
        return 1;
    }
    cmd[0] = '\0';
    for (int i = 0; i < ninputs; i++) {
        if (i)
            strcat(cmd, " ");
        strcat(cmd, inputs[i]);
    }
    opts.cmd = cmd;

    ps_stats *s = cli_load(prog, (const char *const *)inputs, (size_t)ninputs);
    if (!s) {
        free(default_out);
        free(cmd);
        free(inputs);
        return 1;
    }
    cleanup_install(CLEANUP_ALL);
    ps_error e;
    ps_error_clear(&e);
    export_file f;
    int rc = 0;
    if (ps_export_file_open(&f, output, &e) < 0) {
        report(NULL, &e);
        rc = 1;
    } else {
        if (ps_callgrind_write(s, &opts, f.fp, output, &e) < 0) {
            ps_export_file_abort(&f);
            report(NULL, &e);
            rc = 1;
        } else {
            if (ps_export_file_commit(&f, &e) < 0) {
                report(NULL, &e);
                rc = 1;
            }
        }
    }
    if (rc == 0 && !quiet && strcmp(output, "-") != 0)
        fprintf(stderr, "%s: wrote %s\n", prog, output);
    ps_stats_free(s);
    if (rc == 0 && viewer)
        rc = launch_viewer(output);
    free(default_out);
    free(cmd);
    free(inputs);
    return rc;
}
