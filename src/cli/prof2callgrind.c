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
    "  -h, --help              show this help\n"
    "      --version           show the version\n";

static const char *prog = "prof2callgrind";

/* ---- interruption: the temporary output file goes away ---------------------------- */
static char *volatile tmp_name;

static void on_signal(int sig)
{
    if (tmp_name)
        unlink(tmp_name);
    signal(sig, SIG_DFL);
    raise(sig);
}

static void install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
        sigaction(sigs[i], &sa, NULL);
}

static void report(const char *file, const ps_error *e)
{
    char line[1024];
    ps_error_line(e, file, line, sizeof line);
    fprintf(stderr, "%s: %s\n", prog, line);
}

/* pstats.Stats(a, b, c): a loaded, then c and b added (the reverse order). */
static ps_stats *load_all(char **inputs, int n)
{
    ps_error e;
    ps_stats *acc = stats_new();
    if (!acc) {
        fprintf(stderr, "%s: out of memory\n", prog);
        return NULL;
    }
    if (stats_load_file(acc, inputs[0], &e) < 0) {
        report(inputs[0], &e);
        stats_free(acc);
        return NULL;
    }
    for (int i = n - 1; i >= 1; i--) {
        ps_stats *in = stats_new();
        if (!in) {
            fprintf(stderr, "%s: out of memory\n", prog);
            stats_free(acc);
            return NULL;
        }
        if (stats_load_file(in, inputs[i], &e) < 0 || stats_add(acc, in, &e) < 0) {
            report(inputs[i], &e);
            stats_free(in);
            stats_free(acc);
            return NULL;
        }
        stats_free(in);
    }
    return acc;
}

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

int main(int argc, char **argv)
{
    callgrind_options opts;
    callgrind_options_init(&opts);
    const char *output = NULL;
    int viewer = 0, quiet = 0, opts_done = 0;
    char **inputs = calloc((size_t)argc + 1, sizeof *inputs);
    int ninputs = 0;
    if (!inputs) {
        fprintf(stderr, "%s: out of memory\n", prog);
        return 1;
    }
    for (int i = 1; i < argc; i++) {
        char *a = argv[i];
        if (opts_done || a[0] != '-' || !strcmp(a, "-")) {
            inputs[ninputs++] = a;
            continue;
        }
        ps_error e;
        ps_error_clear(&e);
        int r = callgrind_parse_option(&opts, argc, argv, &i, &e);
        if (r < 0) {
            fprintf(stderr, "%s: %s\n%s", prog, e.msg, USAGE);
            free(inputs);
            return 2;
        }
        if (r > 0)
            continue;
        if (!strcmp(a, "--")) {
            opts_done = 1;
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output") || !strcmp(a, "--outfile") ||
                   !strcmp(a, "-i") || !strcmp(a, "--input") || !strcmp(a, "--infile")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "%s: %s needs a value\n%s", prog, a, USAGE);
                free(inputs);
                return 2;
            }
            if (a[1] == 'o' || a[2] == 'o')
                output = argv[++i];
            else
                inputs[ninputs++] = argv[++i];
        } else if (!strncmp(a, "--output=", 9)) {
            output = a + 9;
        } else if (!strncmp(a, "-o", 2)) {
            output = a + 2;
        } else if (!strcmp(a, "-k") || !strcmp(a, "--kcachegrind")) {
            viewer = 1;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            quiet = 1;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(USAGE, stdout);
            free(inputs);
            return 0;
        } else if (!strcmp(a, "--version")) {
            puts("prof2callgrind (pstats toolkit) 0.1");
            free(inputs);
            return 0;
        } else {
            fprintf(stderr, "%s: unknown option %s\n%s", prog, a, USAGE);
            free(inputs);
            return 2;
        }
    }
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
        default_out = callgrind_default_output(inputs[0]);
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

    ps_stats *s = load_all(inputs, ninputs);
    if (!s) {
        free(default_out);
        free(cmd);
        free(inputs);
        return 1;
    }
    install_signals();
    ps_error e;
    ps_error_clear(&e);
    export_file f;
    int rc = 0;
    if (export_file_open(&f, output, &e) < 0) {
        report(NULL, &e);
        rc = 1;
    } else {
        tmp_name = f.tmp;
        if (callgrind_write(s, &opts, f.fp, output, &e) < 0) {
            tmp_name = NULL;
            export_file_abort(&f);
            report(NULL, &e);
            rc = 1;
        } else {
            tmp_name = NULL;
            if (export_file_commit(&f, &e) < 0) {
                report(NULL, &e);
                rc = 1;
            }
        }
    }
    if (rc == 0 && !quiet && strcmp(output, "-") != 0)
        fprintf(stderr, "%s: wrote %s\n", prog, output);
    stats_free(s);
    if (rc == 0 && viewer)
        rc = launch_viewer(output);
    free(default_out);
    free(cmd);
    free(inputs);
    return rc;
}
