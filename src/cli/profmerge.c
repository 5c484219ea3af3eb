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
#include <pthread.h>
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

#define MAX_JOBS 64

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
 * of the work) is independent per input: loader threads read the next inputs
 * of that order ahead, at most `window` of them, while the main thread adds. */

typedef struct slot {
    ps_stats *st;           /* loaded, or NULL */
    ps_error err;
    int state;              /* 0 waiting, 1 loading, 2 loaded, 3 added: st to free */
    int rc;
    int owner;              /* the loader thread that loaded it */
} slot;

typedef struct loader {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    char **paths;           /* in the order they are added */
    slot *slots;
    size_t n, next, consumed, window;
    size_t freed;           /* slots before this one are freed or being freed */
    int stop;
} loader;

typedef struct loader_thread {
    loader *L;
    int id;
} loader_thread;

static void load_into_slot(slot *sl, const char *path)
{
    sl->st = ps_stats_new();
    if (!sl->st) {
        ps_error_clear(&sl->err);
        ps_error_set(&sl->err, PS_ENOMEM, -1, "out of memory");
        sl->rc = -1;
        return;
    }
    sl->rc = ps_stats_load_file(sl->st, path, &sl->err);
    if (sl->rc < 0) {
        ps_stats_free(sl->st);
        sl->st = NULL;
    }
}

/* An added input is freed by the thread that loaded it: its memory came from
 * that thread's malloc arena, and freeing it there keeps the main thread
 * (which does the adds, the serial part) from contending for that arena. */
static void free_added(loader *L, int id)
{
    for (size_t i = L->freed; i < L->consumed; i++) {
        slot *sl = &L->slots[i];
        if (sl->state != 3 || sl->owner != id)
            continue;
        ps_stats *st = sl->st;
        sl->st = NULL;
        sl->state = 4;
        pthread_mutex_unlock(&L->mu);
        ps_stats_free(st);
        pthread_mutex_lock(&L->mu);
    }
    while (L->freed < L->consumed && L->slots[L->freed].state == 4)
        L->freed++;
}

static void *loader_main(void *arg)
{
    loader_thread *T = arg;
    loader *L = T->L;
    pthread_mutex_lock(&L->mu);
    for (;;) {
        free_added(L, T->id);
        if (!L->stop && L->next < L->n && L->next >= L->consumed + L->window) {
            pthread_cond_wait(&L->cv, &L->mu);
            continue;
        }
        if (L->stop || L->next >= L->n)
            break;
        size_t i = L->next++;
        L->slots[i].state = 1;
        L->slots[i].owner = T->id;
        pthread_mutex_unlock(&L->mu);
        load_into_slot(&L->slots[i], L->paths[i]);
        pthread_mutex_lock(&L->mu);
        L->slots[i].state = 2;
        pthread_cond_broadcast(&L->cv);
    }
    pthread_mutex_unlock(&L->mu);
    return NULL;
}

typedef struct merge {
    ps_stats *acc;          /* the result; NULL until a first input loaded */
    size_t merged, skipped;
    int keep_going;
} merge;

/* Add one loaded input (or its load error): 0 merged, 1 skipped
 * (--keep-going), -1 fatal.  The input stays in sl->st (NULL when it became
 * the result) for the caller to free. */
static int merge_slot(merge *m, slot *sl, const char *path)
{
    ps_error e = sl->err;
    int rc = sl->rc;
    if (rc == 0) {
        if (!m->acc) {
            m->acc = sl->st;
            sl->st = NULL;
        } else {
            rc = ps_stats_add(m->acc, sl->st, &e);
        }
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
        return 1;
    }
    report("", path, &e);
    return -1;
}

static int merge_one(merge *m, const char *path)
{
    slot sl;
    memset(&sl, 0, sizeof sl);
    load_into_slot(&sl, path);
    int rc = merge_slot(m, &sl, path);
    ps_stats_free(sl.st);
    return rc;
}

/* Add paths[0..n) in that order, loading with `jobs` threads. */
static int merge_all(merge *m, char **paths, size_t n, int jobs)
{
    if (jobs <= 1 || n < 2) {
        for (size_t i = 0; i < n; i++)
            if (merge_one(m, paths[i]) < 0)
                return -1;
        return 0;
    }
    loader L;
    memset(&L, 0, sizeof L);
    L.paths = paths;
    L.n = n;
    L.window = (size_t)jobs + 1;
    L.slots = calloc(n, sizeof *L.slots);
    if (!L.slots) {
        fprintf(stderr, "%s: out of memory\n", prog);
        return -1;
    }
    pthread_mutex_init(&L.mu, NULL);
    pthread_cond_init(&L.cv, NULL);
    pthread_t tid[MAX_JOBS];
    loader_thread targ[MAX_JOBS];
    int nthreads = 0;
    for (; nthreads < jobs; nthreads++) {
        targ[nthreads].L = &L;
        targ[nthreads].id = nthreads;
        if (pthread_create(&tid[nthreads], NULL, loader_main, &targ[nthreads]) != 0)
            break;
    }
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        pthread_mutex_lock(&L.mu);
        if (!nthreads && L.slots[i].state == 0) {   /* no thread could start */
            L.slots[i].state = 1;
            L.next = i + 1;
            pthread_mutex_unlock(&L.mu);
            load_into_slot(&L.slots[i], paths[i]);
            pthread_mutex_lock(&L.mu);
            L.slots[i].state = 2;
        }
        while (L.slots[i].state != 2)
            pthread_cond_wait(&L.cv, &L.mu);
        pthread_mutex_unlock(&L.mu);
        rc = merge_slot(m, &L.slots[i], paths[i]) < 0 ? -1 : 0;
        pthread_mutex_lock(&L.mu);
        if (nthreads) {
            L.slots[i].state = 3;   /* its loader frees it */
        } else {
            ps_stats_free(L.slots[i].st);
            L.slots[i].st = NULL;
            L.slots[i].state = 4;
        }
        L.consumed = i + 1;
        if (rc < 0)
            L.stop = 1;
        pthread_cond_broadcast(&L.cv);
        pthread_mutex_unlock(&L.mu);
        if (rc < 0)
            break;
    }
    for (int t = 0; t < nthreads; t++)
        pthread_join(tid[t], NULL);
    for (size_t i = 0; i < n; i++)
        ps_stats_free(L.slots[i].st);
    free(L.slots);
    pthread_mutex_destroy(&L.mu);
    pthread_cond_destroy(&L.cv);
    return rc;
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

/* Option with a value: "-o X", "-oX", "--output X", "--output=X".  1 with
 * *val set, 0 when argv[*i] is not this option, -1 when its value is missing. */
static int opt_value(int argc, char **argv, int *i, const char *shortopt, const char *longopt,
                     const char **val)
{
    const char *a = argv[*i];
    size_t ll = strlen(longopt);
    if ((shortopt[0] && !strcmp(a, shortopt)) || !strcmp(a, longopt)) {
        if (*i + 1 >= argc)
            return -1;
        *val = argv[++*i];
        return 1;
    }
    if (!strncmp(a, longopt, ll) && a[ll] == '=') {
        *val = a + ll + 1;
        return 1;
    }
    if (shortopt[0] && !strncmp(a, shortopt, 2) && a[2] && a[1] != '-') {
        *val = a + 2;
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (cli_load_options("profmerge", &argc, argv))
        return 2;
    names inputs = {0}, owned = {0};
    merge m = {NULL, 0, 0, 0};
    int status = 1;
    const char *output = NULL;
    const char *lists[64];
    size_t nlists = 0;
    int version = 4, gzip = 0, strip = 0, keep_going = 0, opts_done = 0, jobs = 0;
    int out_folded = 0, marker = 0;
    int out_stacks = 0;   /* 1 speedscope, 2 pprof: the merged stacks (speedscope.h, pprof.h) */

    for (int i = 1; i < argc; i++) {
        char *a = argv[i];
        const char *val = NULL;
#define TAKES_VALUE(shortopt, longopt) \
    ((vr = opt_value(argc, argv, &i, shortopt, longopt, &val)) != 0)
        int vr = 0;
        if (opts_done || a[0] != '-' || !a[1]) {
            if (names_add(&inputs, a) < 0)
                goto nomem;
        } else if (!strcmp(a, "--")) {
            opts_done = 1;
        } else if (TAKES_VALUE("-o", "--output")) {
            if (vr < 0)
                goto missing;
            output = val;
        } else if (TAKES_VALUE("", "--marshal-version")) {
            if (vr < 0)
                goto missing;
            if (parse_version(val, &version) < 0) {
                fprintf(stderr, "%s: --marshal-version must be 2 or 4, not '%s'\n", prog, val);
                status = 2;
                goto done;
            }
        } else if (TAKES_VALUE("", "--files-from")) {
            if (vr < 0)
                goto missing;
            if (nlists == sizeof lists / sizeof *lists) {
                fprintf(stderr, "%s: too many --files-from\n", prog);
                status = 2;
                goto done;
            }
            lists[nlists++] = val;
        } else if (TAKES_VALUE("-j", "--jobs")) {
            if (vr < 0)
                goto missing;
            char *end;
            long j = strtol(val, &end, 10);
            if (*end || end == val || j < 1 || j > MAX_JOBS) {
                fprintf(stderr, "%s: --jobs must be a number from 1 to %d, not '%s'\n", prog,
                        MAX_JOBS, val);
                status = 2;
                goto done;
            }
            jobs = (int)j;
        } else if (TAKES_VALUE("", "--output-format")) {
            if (vr < 0)
                goto missing;
            if (strcmp(val, "pstats") && strcmp(val, "folded") && strcmp(val, "speedscope") &&
                strcmp(val, "pprof")) {
                fprintf(stderr, "%s: --output-format must be pstats, folded, speedscope or "
                                "pprof, not '%s'\n", prog, val);
                status = 2;
                goto done;
            }
            out_folded = !strcmp(val, "folded");
            out_stacks = !strcmp(val, "speedscope") ? 1 : !strcmp(val, "pprof") ? 2 : 0;
        } else if (!strcmp(a, "--sampled-marker")) {
            marker = 1;
        } else if (!strcmp(a, "-z") || !strcmp(a, "--gzip")) {
            gzip = 1;
        } else if (!strcmp(a, "--strip-dirs")) {
            strip = 1;
        } else if (!strcmp(a, "-k") || !strcmp(a, "--keep-going")) {
            keep_going = 1;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            quiet = 1;
        } else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
            verbose++;
        } else if (!strcmp(a, "-vv")) {
            verbose += 2;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(USAGE, stdout);
            status = 0;
            goto done;
        } else if (!strcmp(a, "--version")) {
            cli_version("profmerge");
            status = 0;
            goto done;
        } else {
            fprintf(stderr, "%s: unknown option '%s'\n%s", prog, a, USAGE);
            status = 2;
            goto done;
        }
#undef TAKES_VALUE
    }
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
    size_t first = 0;
    for (; first < inputs.n; first++) {
        int rc = merge_one(&m, inputs.v[first]);
        if (rc < 0)
            goto fail;
        if (rc == 0)
            break;
    }
    if (m.acc && first + 1 < inputs.n) {
        size_t nrest = inputs.n - first - 1;
        char **rest = malloc(nrest * sizeof *rest);
        if (!rest) {
            fprintf(stderr, "%s: out of memory\n", prog);
            goto fail;
        }
        for (size_t i = 0; i < nrest; i++)
            rest[i] = inputs.v[inputs.n - 1 - i];
        int rc = merge_all(&m, rest, nrest, jobs);
        free(rest);
        if (rc < 0)
            goto fail;
    }
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
missing:
    fprintf(stderr, "%s: %s needs a value\n%s", prog, argv[argc - 1], USAGE);
    status = 2;
    goto done;
nomem:
    fprintf(stderr, "%s: out of memory\n", prog);
    status = 1;
    goto done;
}
