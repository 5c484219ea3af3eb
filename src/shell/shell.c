/* shell.c - the pstats browser's commands (pstats.Stats' browser in CPython's Lib/pstats.py),
 * with cmd.Cmd's line handling: strip, '?', '!', empty-line repeat; and
 * pprof's on top (top, peek, tree, the filters, granularity, web, > FILE). */
#include <errno.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "pstats/diff.h"
#include "pstats/export.h"
#include "pstats/html.h"
#include "pstats/report.h"
#include "pstats/select.h"
#include "pstats/shell.h"
#include "pstats/sort.h"
#include "pstats/top.h"
#include "pstats/view.h"

extern char **environ;

/* pprof's filters, in the order its "Active filters" header lists them. */
enum { F_FOCUS, F_IGNORE, F_HIDE, F_SHOW, F_SHOW_FROM, NFILTERS };
static const char *const FILTER_NAMES[NFILTERS] = {"focus", "ignore", "hide", "show", "show_from"};
static const char *const GRANULARITIES[] = {"lines", "functions", "files"};   /* PS_GRANULARITY_* */

struct shell {
    FILE *out, *err;
    const char *progname;
    ps_stats *stats;         /* NULL: no statistics object */
    char *prompt;
    char *lastcmd;
    int errors;
    /* the view every report reads: pprof's variables, as `focus RE` etc. set them */
    char *filter[NFILTERS];  /* NULL: not in force */
    int granularity;         /* PS_GRANULARITY_* */
    /* the last sort, replayed on a view (its rows are not the stats' rows) */
    char *sort_args;
    int reversed;
};

static const char NO_STATS[] = "No statistics object is loaded.\n";

static const char ARGS_HELP[] =
    "Arguments may be:\n"
    "* An integer maximum number of entries to print.\n"
    "* A decimal fractional number between 0 and 1, controlling\n"
    "  what fraction of selected entries to print.\n"
    "* A regular expression; only entries with function names\n"
    "  that match it are printed.\n";

shell *ps_shell_new(FILE *out, FILE *err, const char *progname)
{
    shell *sh = calloc(1, sizeof *sh);
    if (!sh)
        return NULL;
    sh->out = out;
    sh->err = err;
    sh->progname = progname;
    sh->prompt = strdup("% ");
    sh->lastcmd = strdup("");
    if (!sh->prompt || !sh->lastcmd) {
        ps_shell_free(sh);
        return NULL;
    }
    return sh;
}

void ps_shell_free(shell *sh)
{
    if (!sh)
        return;
    ps_stats_free(sh->stats);
    free(sh->prompt);
    free(sh->lastcmd);
    for (int i = 0; i < NFILTERS; i++)
        free(sh->filter[i]);
    free(sh->sort_args);
    free(sh);
}

const char *ps_shell_prompt(const shell *sh) { return sh->prompt; }
ps_stats *ps_shell_stats(shell *sh) { return sh->stats; }
int ps_shell_errors(const shell *sh) { return sh->errors; }

/* One clear line on err where CPython would have crashed. */
static void report_error(shell *sh, const char *file, const ps_error *e)
{
    char line[1024];
    fflush(sh->out);
    fprintf(sh->err, "%s: %s\n", sh->progname, ps_error_line(e, file, line, sizeof line));
    fflush(sh->err);
    sh->errors++;
}

/* Python's str.split()/strip() whitespace, ASCII part. */
static int is_py_space(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
}

static char *strip(char *s)
{
    while (is_py_space((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && is_py_space((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

/* Split in place on whitespace; returns the number of words. */
static size_t split_words(char *s, char **words, size_t max)
{
    size_t n = 0;
    for (;;) {
        while (is_py_space((unsigned char)*s))
            s++;
        if (!*s || n == max)
            return n;
        words[n++] = s;
        while (*s && !is_py_space((unsigned char)*s))
            s++;
        if (*s)
            *s++ = '\0';
    }
}

/* ---- commands ------------------------------------------------------------ */

/* CPython's init() prints this line before re-raising what went wrong. */
static void print_invalid_timing_data(shell *sh, const char *path, const ps_error *e)
{
    if (e->code != PS_EDATA)
        return;
    char line[4200];
    ps_stats_files_line(path, line, sizeof line);
    fprintf(sh->out, "Invalid timing data %s\n", line);
}

static void do_read(shell *sh, const char *arg)
{
    if (!*arg) {
        size_t n = strlen(sh->prompt);
        if (n > 2) {
            char *again = strndup(sh->prompt, n - 2);
            if (again) {
                do_read(sh, again);
                free(again);
            }
        } else {
            fputs("No statistics object is current -- cannot reload.\n", sh->out);
        }
        return;
    }
    ps_stats *s = ps_stats_new();
    ps_error e;
    if (!s || ps_stats_load_file(s, arg, &e) < 0) {
        if (!s) {
            ps_error_clear(&e);
            ps_error_set(&e, PS_ENOMEM, -1, "out of memory");
        }
        if (e.code == PS_EIO) {
            fprintf(sh->out, "%s\n", strerror(e.sys_errno));
        } else if (e.pyexc[0]) {
            print_invalid_timing_data(sh, arg, &e);
            fprintf(sh->out, "%s: %s\n", e.pyexc, e.pymsg);
        } else {
            report_error(sh, arg, &e);
        }
        ps_stats_free(s);
        return;
    }
    ps_stats_free(sh->stats);
    sh->stats = s;
    char *p = malloc(strlen(arg) + 3);
    if (p) {
        sprintf(p, "%s%% ", arg);
        free(sh->prompt);
        sh->prompt = p;
    }
}

static void do_add(shell *sh, const char *arg)
{
    if (!sh->stats) {
        fputs(NO_STATS, sh->out);
        return;
    }
    ps_stats *other = ps_stats_new();
    ps_error e;
    if (!other || ps_stats_load_file(other, arg, &e) < 0) {
        if (!other) {
            ps_error_clear(&e);
            ps_error_set(&e, PS_ENOMEM, -1, "out of memory");
        }
        if (e.code == PS_EIO) {
            fprintf(sh->out, "Failed to load statistics for %s: %s\n", arg, e.pymsg);
        } else {
            /* CPython's add() lets this escape and the browser dies; we say it and go on. */
            print_invalid_timing_data(sh, arg, &e);
            report_error(sh, arg, &e);
        }
        ps_stats_free(other);
        return;
    }
    if (ps_stats_add(sh->stats, other, &e) < 0)
        report_error(sh, arg, &e);
    ps_stats_free(other);
}

/* ---- the view: filters and granularity ------------------------------------------ */

static int has_view(const shell *sh, const char *focus, const char *ignore)
{
    if (focus || ignore || sh->granularity != PS_GRANULARITY_LINES)
        return 1;
    for (int i = 0; i < NFILTERS; i++)
        if (sh->filter[i])
            return 1;
    return 0;
}

/* The filter in force: a report's own focus or ignore (top's, tree's
 * arguments) stands in for the variable, as pprof's command arguments do. */
static const char *filter_of(const shell *sh, int i, const char *focus, const char *ignore)
{
    if (i == F_FOCUS && focus)
        return focus;
    if (i == F_IGNORE && ignore)
        return ignore;
    return sh->filter[i];
}

/* The statistics a report reads: the loaded ones, or the view of them
 * (sorted as they are); NULL with e set on failure.  view_put gives it back. */
static ps_stats *view_get(shell *sh, const char *focus, const char *ignore, ps_error *e)
{
    if (!has_view(sh, focus, ignore))
        return sh->stats;
    pg_options o;
    ps_pg_options_init(&o);
    const char **slot[NFILTERS] = {NULL};
    const char *pat[NFILTERS];
    for (int i = 0; i < NFILTERS; i++)
        if ((pat[i] = filter_of(sh, i, focus, ignore)))
            slot[i] = &pat[i];
    o.focus = slot[F_FOCUS], o.nfocus = slot[F_FOCUS] != NULL;
    o.ignore = slot[F_IGNORE], o.nignore = slot[F_IGNORE] != NULL;
    o.hide = slot[F_HIDE], o.nhide = slot[F_HIDE] != NULL;
    o.show = slot[F_SHOW], o.nshow = slot[F_SHOW] != NULL;
    o.show_from = slot[F_SHOW_FROM], o.nshow_from = slot[F_SHOW_FROM] != NULL;
    ps_stats *v;
    if (ps_view_build(sh->stats, sh->granularity, &o, &v, e) < 0)
        return NULL;
    if (sh->stats->fcn_state && sh->sort_args) {
        char *copy = strdup(sh->sort_args);
        char *words[64];
        size_t n = copy ? split_words(copy, words, 64) : 0;
        int rc = copy ? ps_sort_stats(v, (const char *const *)words, n, e)
                      : ps_error_set(e, PS_ENOMEM, -1, "out of memory");
        free(copy);
        if (rc == 0 && sh->reversed)
            ps_sort_reverse(v);
        if (rc < 0) {
            ps_stats_free(v);
            return NULL;
        }
    }
    return v;
}

static void view_put(shell *sh, ps_stats *v)
{
    if (v != sh->stats)
        ps_stats_free(v);
}

/* The filters in force as "focus=RE" lines, into lines[] (NFILTERS of
 * room, malloc'd), or printed as pprof's "Active filters:" header when
 * lines is NULL (nothing without filters: CPython's reports stay as they are). */
static size_t active_filters(const shell *sh, const char *focus, const char *ignore, char **lines)
{
    size_t n = 0;
    for (int i = 0; i < NFILTERS; i++) {
        const char *f = filter_of(sh, i, focus, ignore);
        if (!f)
            continue;
        if (!lines) {
            fprintf(sh->out, "%s   %s=%s\n", n ? "" : "Active filters:\n", FILTER_NAMES[i], f);
        } else {
            if (!(lines[n] = malloc(strlen(FILTER_NAMES[i]) + strlen(f) + 2)))
                continue;
            sprintf(lines[n], "%s=%s", FILTER_NAMES[i], f);
        }
        n++;
    }
    return n;
}

typedef int (*report_fn)(ps_stats *, FILE *, const sel_restriction *, size_t, ps_error *);

static void generic(shell *sh, report_fn fn, char *arg)
{
    char *words[256];
    size_t n = split_words(arg, words, 256);
    sel_restriction r[256];
    size_t nr = 0;
    for (size_t i = 0; i < n; i++) {
        if (ps_sel_parse_term(words[i], &r[nr]) == 1) {
            fputs("Fraction argument must be in [0, 1]\n", sh->out);
            continue;
        }
        nr++;
    }
    if (!sh->stats) {
        fputs(NO_STATS, sh->out);
        return;
    }
    ps_error e;
    ps_error_clear(&e);
    ps_stats *v = view_get(sh, NULL, NULL, &e);
    if (!v) {
        report_error(sh, NULL, &e);
        return;
    }
    active_filters(sh, NULL, NULL, NULL);
    if (fn(v, sh->out, r, nr, &e) < 0)
        report_error(sh, NULL, &e);
    view_put(sh, v);
}

static void do_sort(shell *sh, char *arg)
{
    if (!sh->stats) {
        fputs(NO_STATS, sh->out);
        return;
    }
    char *args = strdup(arg);
    char *words[64];
    size_t n = split_words(arg, words, 64);
    int valid = n > 0;
    for (size_t i = 0; i < n && valid; i++)
        valid = ps_sort_key_lookup(words[i]) != NULL;
    if (valid) {
        ps_error e;
        if (ps_sort_stats(sh->stats, (const char *const *)words, n, &e) < 0) {
            report_error(sh, NULL, &e);
            free(args);
        } else {
            free(sh->sort_args);
            sh->sort_args = args;
            sh->reversed = 0;
        }
        return;
    }
    free(args);
    fputs("Valid sort keys (unique prefixes are accepted):\n", sh->out);
    size_t nk;
    const sort_key_info *keys = ps_sort_keys(&nk);
    for (size_t i = 0; i < nk; i++)
        fprintf(sh->out, "%s -- %s\n", keys[i].key, keys[i].description);
}

static void do_dump(shell *sh, char *arg)
{
    if (!sh->stats) {
        fputs(NO_STATS, sh->out);
        return;
    }
    if (!*arg) {
        fprintf(sh->err, "%s: dump: usage: dump FILE\n", sh->progname);
        sh->errors++;
        return;
    }
    ps_error e;
    ps_error_clear(&e);
    ps_stats *v = view_get(sh, NULL, NULL, &e);
    if (!v || ps_export_dump(v, arg, 4, 0, &e) < 0)
        report_error(sh, v ? arg : NULL, &e);
    if (v)
        view_put(sh, v);
}

static void do_export(shell *sh, char *arg)
{
    if (!sh->stats) {
        fputs(NO_STATS, sh->out);
        return;
    }
    char *words[128];
    size_t n = split_words(arg, words, 127);
    words[n] = NULL;
    if (n < 2) {
        fprintf(sh->err, "%s: export: usage: export dot|callgrind|folded|speedscope|pprof|html "
                "FILE [options]\n",
                sh->progname);
        sh->errors++;
        return;
    }
    ps_error e;
    ps_error_clear(&e);
    ps_stats *v = view_get(sh, NULL, NULL, &e);
    if (!v || ps_export_run(v, (int)n, words, &e) < 0)
        report_error(sh, NULL, &e);
    if (v)
        view_put(sh, v);
}

/* ---- pprof's commands ---------------------------------------------------------------- */

static int usage(shell *sh, const char *text)
{
    fprintf(sh->err, "%s: %s\n", sh->progname, text);
    sh->errors++;
    return 0;
}

/* pprof's "catRegex": two expressions as one. */
static char *cat_regex(char *a, const char *b)
{
    if (!a)
        return strdup(b);
    char *r = malloc(strlen(a) + strlen(b) + 2);
    if (r)
        sprintf(r, "%s|%s", a, b);
    free(a);
    return r;
}

static int cmp_desc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x > y ? -1 : x < y;
}

/* pprof's total, the time of the whole profile: every tottime, added from
 * the largest down, so that the sum does not depend on the order the dump
 * held them in (a 2.7 dump loads in another order in Python 2.7). */
static double profile_total(const ps_stats *s)
{
    double *tt = malloc(((size_t)s->nentries + 1) * sizeof *tt);
    if (!tt)
        return s->total_tt;
    for (uint32_t i = 0; i < s->nentries; i++)
        tt[i] = s->entries[i].tt;
    qsort(tt, s->nentries, sizeof *tt, cmp_desc);
    double sum = 0.0;
    for (uint32_t i = 0; i < s->nentries; i++)
        sum += tt[i];
    free(tt);
    return sum;
}

/* top/tree [N] [-cum] [RE...] [-RE...]: as pprof's interactive mode reads
 * a report's arguments, REs focus and -REs ignore for this report only. */
static int run_top(shell *sh, char *arg, int tree)
{
    if (!sh->stats) {
        fputs(NO_STATS, sh->out);
        return 0;
    }
    ps_top_options o = {10, 0, profile_total(sh->stats), NULL, 0};
    char *focus = NULL, *ignore = NULL;
    char *words[256];
    size_t n = split_words(arg, words, 256);
    for (size_t i = 0; i < n; i++) {
        char *w = words[i], *end;
        long v = strtol(w, &end, 10);
        if (*w >= '0' && *w <= '9' && !*end)
            o.count = v;
        else if (strcmp(w, "-cum") == 0 || strcmp(w, "--cum") == 0)
            o.cum = 1;
        else if (w[0] == '-' && w[1])
            ignore = cat_regex(ignore, w + 1);
        else
            focus = cat_regex(focus, w);
    }
    ps_error e;
    ps_error_clear(&e);
    ps_stats *v = view_get(sh, focus, ignore, &e);
    char *lines[NFILTERS];
    if (v) {
        o.nfilters = active_filters(sh, focus, ignore, lines);
        o.filters = (const char *const *)lines;
        if ((tree ? ps_tree_print(v, sh->out, &o, NULL, &e) : ps_top_print(v, sh->out, &o, &e)) < 0)
            report_error(sh, NULL, &e);
        for (size_t i = 0; i < o.nfilters; i++)
            free(lines[i]);
        view_put(sh, v);
    } else {
        report_error(sh, NULL, &e);
    }
    free(focus);
    free(ignore);
    return 0;
}

static int cmd_top(shell *sh, char *arg) { return run_top(sh, arg, 0); }
static int cmd_tree(shell *sh, char *arg) { return run_top(sh, arg, 1); }

static int cmd_peek(shell *sh, char *arg)
{
    if (!sh->stats) {
        fputs(NO_STATS, sh->out);
        return 0;
    }
    if (!*arg)
        return usage(sh, "peek: usage: peek RE");
    ps_error e;
    ps_error_clear(&e);
    ps_stats *v = view_get(sh, NULL, NULL, &e);
    if (!v) {
        report_error(sh, NULL, &e);
        return 0;
    }
    char *lines[NFILTERS];
    ps_top_options o = {0, 0, profile_total(sh->stats), (const char *const *)lines, 0};
    o.nfilters = active_filters(sh, NULL, NULL, lines);
    if (ps_tree_print(v, sh->out, &o, arg, &e) < 0)
        report_error(sh, NULL, &e);
    for (size_t i = 0; i < o.nfilters; i++)
        free(lines[i]);
    view_put(sh, v);
    return 0;
}

/* focus/ignore/hide/show/show_from RE sets the filter (an empty RE clears
 * it, as pprof's `focus=` does); one that fails on the loaded statistics (a
 * bad expression, a focus matching nothing) is refused with one line. */
static int set_filter(shell *sh, int which, const char *arg)
{
    char *old = sh->filter[which];
    if (!*arg) {
        sh->filter[which] = NULL;
        free(old);
        return 0;
    }
    char err[256];
    sel_regex *re = ps_sel_regex_compile(arg, err, sizeof err);
    if (!re) {
        fprintf(sh->err, "%s: %s %s: bad regular expression: %s\n", sh->progname,
                FILTER_NAMES[which], arg, err);
        sh->errors++;
        return 0;
    }
    ps_sel_regex_free(re);
    char *copy = strdup(arg);
    if (!copy)
        return usage(sh, "out of memory");
    sh->filter[which] = copy;
    if (sh->stats) {
        ps_error e;
        ps_stats *v = view_get(sh, NULL, NULL, &e);
        if (!v) {
            sh->filter[which] = old;
            free(copy);
            report_error(sh, NULL, &e);
            return 0;
        }
        view_put(sh, v);
    }
    free(old);
    return 0;
}

static int cmd_focus(shell *sh, char *arg) { return set_filter(sh, F_FOCUS, arg); }
static int cmd_ignore(shell *sh, char *arg) { return set_filter(sh, F_IGNORE, arg); }
static int cmd_hide(shell *sh, char *arg) { return set_filter(sh, F_HIDE, arg); }
static int cmd_show(shell *sh, char *arg) { return set_filter(sh, F_SHOW, arg); }
static int cmd_show_from(shell *sh, char *arg) { return set_filter(sh, F_SHOW_FROM, arg); }

static int cmd_reset(shell *sh, char *arg)
{
    (void)arg;
    for (int i = 0; i < NFILTERS; i++) {
        free(sh->filter[i]);
        sh->filter[i] = NULL;
    }
    sh->granularity = PS_GRANULARITY_LINES;
    return 0;
}

static int cmd_granularity(shell *sh, char *arg)
{
    for (int i = 0; i < 3; i++)
        if (strcmp(arg, GRANULARITIES[i]) == 0) {
            sh->granularity = i;
            return 0;
        }
    if (!*arg) {
        fprintf(sh->out, "granularity=%s\n", GRANULARITIES[sh->granularity]);
        return 0;
    }
    return usage(sh, "granularity: usage: granularity functions|files|lines");
}

/* web: prof2html's page of the view in a temporary file, opened with
 * $BROWSER (its first command) or xdg-open, waited for as Python's
 * webbrowser waits for $BROWSER. */
static int cmd_web(shell *sh, char *arg)
{
    if (!sh->stats) {
        fputs(NO_STATS, sh->out);
        return 0;
    }
    if (*arg)
        return usage(sh, "web: usage: web (the page of the current view)");
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    char path[4096];
    snprintf(path, sizeof path, "%s/pstatsh-XXXXXX.html", dir);
    int fd = mkstemps(path, 5);
    ps_error e;
    ps_error_clear(&e);
    if (fd < 0) {
        e.sys_errno = errno;
        ps_error_set(&e, PS_EIO, -1, "web: cannot create %s: %s", path, strerror(errno));
        report_error(sh, NULL, &e);
        return 0;
    }
    close(fd);
    ps_stats *v = view_get(sh, NULL, NULL, &e);
    ps_html_options o;
    ps_html_options_init(&o);
    char title[1024];   /* the file read, as the prompt names it ("FILE% ") */
    snprintf(title, sizeof title, "%.*s", (int)(strlen(sh->prompt) > 2 ? strlen(sh->prompt) - 2 : 0),
             sh->prompt);
    if (title[0])
        o.title = title;
    if (!v || ps_html_write(v, path, &o, &e) < 0) {
        report_error(sh, NULL, &e);
        unlink(path);
        if (v)
            view_put(sh, v);
        return 0;
    }
    view_put(sh, v);
    const char *browser = getenv("BROWSER");
    char opener[1024];
    snprintf(opener, sizeof opener, "%s", browser && *browser ? browser : "xdg-open");
    opener[strcspn(opener, ":")] = '\0';     /* $BROWSER may list several */
    fprintf(sh->out, "web: wrote %s; opening it with %s\n", path, opener);
    fflush(sh->out);
    char *argv[] = {opener, path, NULL};
    pid_t pid;
    int rc = posix_spawnp(&pid, opener, NULL, NULL, argv, environ), status = 0;
    if (rc != 0) {
        fprintf(sh->err, "%s: web: cannot run %s: %s (the page is %s)\n", sh->progname, opener,
                strerror(rc), path);
        sh->errors++;
    } else if (waitpid(pid, &status, 0) == pid && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
        fprintf(sh->err, "%s: web: %s failed (the page is %s)\n", sh->progname, opener, path);
        sh->errors++;
    }
    return 0;
}

/* ---- the command table ----------------------------------------------------------
 * One row per command: what runs it, its `help` text, whether `help` lists it
 * (CPython's commands; ours are left out so that listing stays CPython's),
 * and what its argument completes to.  In name order: `help` lists them so. */

enum { CMD_LISTED = 1, CMD_ARGS_HELP = 2 };   /* ARGS_HELP follows the help text */

typedef struct command {
    const char *name;
    int (*run)(shell *sh, char *arg);          /* 1 ends the session */
    const char *help;
    unsigned flags;
    int complete;                              /* SHELL_COMPLETE_* */
} command;

static int cmd_eof(shell *sh, char *arg)
{
    (void)arg;
    fputs("\n", sh->out);
    return 1;
}

static int cmd_quit(shell *sh, char *arg)
{
    (void)sh, (void)arg;
    return 1;
}

/* profdiff's table, the loaded statistics against FILE (pstats/diff.h). */
static int cmd_diff(shell *sh, char *arg)
{
    char file[1024];
    ps_error e;
    if (!sh->stats)
        fputs(NO_STATS, sh->out);
    else if (ps_diff_command(sh->stats, arg, sh->out, file, sizeof file, &e) < 0)
        report_error(sh, file[0] ? file : NULL, &e);
    return 0;
}

static int cmd_help(shell *sh, char *arg);

static int cmd_read(shell *sh, char *arg)
{
    do_read(sh, arg);
    return 0;
}

static int cmd_add(shell *sh, char *arg)
{
    do_add(sh, arg);
    return 0;
}

static int cmd_stats(shell *sh, char *arg)
{
    generic(sh, ps_report_print_stats, arg);
    return 0;
}

static int cmd_callers(shell *sh, char *arg)
{
    generic(sh, ps_report_print_callers, arg);
    return 0;
}

static int cmd_callees(shell *sh, char *arg)
{
    generic(sh, ps_report_print_callees, arg);
    return 0;
}

static int cmd_sort(shell *sh, char *arg)
{
    do_sort(sh, arg);
    return 0;
}

static int cmd_reverse(shell *sh, char *arg)
{
    (void)arg;
    if (sh->stats && sh->stats->fcn_state)
        sh->reversed = !sh->reversed;
    if (sh->stats)
        ps_sort_reverse(sh->stats);
    else
        fputs(NO_STATS, sh->out);
    return 0;
}

static int cmd_strip(shell *sh, char *arg)
{
    (void)arg;
    if (sh->stats) {
        ps_error e;
        if (ps_stats_strip_dirs(sh->stats, &e) < 0)
            report_error(sh, NULL, &e);
    } else {
        fputs(NO_STATS, sh->out);
    }
    return 0;
}

static int cmd_dump(shell *sh, char *arg)
{
    do_dump(sh, arg);
    return 0;
}

static int cmd_export(shell *sh, char *arg)
{
    do_export(sh, arg);
    return 0;
}

static const command COMMANDS[] = {
    {"EOF", cmd_eof, "Leave the profile browser.\n", CMD_LISTED, SHELL_COMPLETE_NONE},
    {"add", cmd_add, "Add profile info from given file to current statistics object.\n",
     CMD_LISTED, SHELL_COMPLETE_FILE},
    {"callees", cmd_callees, "Print callees statistics from the current stat object.\n",
     CMD_LISTED | CMD_ARGS_HELP, SHELL_COMPLETE_FUNCTION},
    {"callers", cmd_callers, "Print callers statistics from the current stat object.\n",
     CMD_LISTED | CMD_ARGS_HELP, SHELL_COMPLETE_FUNCTION},
    {"diff", cmd_diff, "diff FILE [--strip-dirs] [--match=exact] [--normalize] [--sort=KEY]\n"
                       "[--min-time=S] [restrictions]: profdiff's table of the functions whose\n"
                       "time changed most, the current statistics (new) against FILE (base);\n"
                       "restrictions as stats takes them (pstatsh only).\n",
     0, SHELL_COMPLETE_FILE},
    {"dump", cmd_dump, "Write the current statistics to a file as a profile dump\n"
                       "that Python's pstats reads back (pstatsh only).\n",
     0, SHELL_COMPLETE_FILE},
    {"export", cmd_export, "export dot|callgrind|folded|speedscope|pprof|html FILE [options]:\n"
                           "write the current statistics as a call graph, a callgrind file,\n"
                           "folded stacks, a speedscope file, a pprof profile or prof2html's\n"
                           "page, with the options of prof2dot, prof2callgrind or prof2folded\n"
                           "(pstatsh only).\n",
     0, SHELL_COMPLETE_EXPORT},
    {"focus", cmd_focus, "focus [RE]: from now on, every report shows only the functions on\n"
                         "call paths through a function matching RE, as pprof's focus does\n"
                         "(the same filter as prof2dot --focus); no RE: no focus (pstatsh only).\n",
     0, SHELL_COMPLETE_FUNCTION},
    {"granularity", cmd_granularity,
     "granularity functions|files|lines: what a row of every later report is:\n"
     "a function at a line (lines, pstats' own), a function whatever its line\n"
     "(functions) or a file (files); rows and calls add up as Stats.add adds\n"
     "them (pstatsh only).\n",
     0, SHELL_COMPLETE_GRANULARITY},
    {"help", cmd_help, "Show help for a given command.\n", CMD_LISTED, SHELL_COMPLETE_COMMAND},
    {"hide", cmd_hide, "hide [RE]: from now on, every report leaves out the functions matching\n"
                       "RE, their callers linked to their callees, as pprof's hide does (the\n"
                       "same filter as prof2dot --hide); no RE: nothing hidden (pstatsh only).\n",
     0, SHELL_COMPLETE_FUNCTION},
    {"ignore", cmd_ignore, "ignore [RE]: from now on, every report leaves out the functions\n"
                           "matching RE and what only they reach, as pprof's ignore does (the same\n"
                           "filter as prof2dot --ignore); no RE: nothing ignored (pstatsh only).\n",
     0, SHELL_COMPLETE_FUNCTION},
    {"peek", cmd_peek, "peek RE: pprof's peek report: for every function matching RE, its\n"
                       "callers above it and its callees below, each with the time of the call,\n"
                       "its share of the function's cumulative time and its call count\n"
                       "(pstatsh only).\n",
     0, SHELL_COMPLETE_FUNCTION},
    {"quit", cmd_quit, "Leave the profile browser.\n", CMD_LISTED, SHELL_COMPLETE_NONE},
    {"read", cmd_read, "Read in profile data from a specified file.\n"
                       "Without argument, reload the current file.\n",
     CMD_LISTED, SHELL_COMPLETE_FILE},
    {"reset", cmd_reset, "Drop every filter (focus, ignore, hide, show, show_from) and go back\n"
                         "to the lines granularity (pstatsh only).\n",
     0, SHELL_COMPLETE_NONE},
    {"reverse", cmd_reverse, "Reverse the sort order of the profiling report.\n", CMD_LISTED,
     SHELL_COMPLETE_NONE},
    {"show", cmd_show, "show [RE]: from now on, every report shows only the functions matching\n"
                       "RE, the others' callers linked to their callees, as pprof's show does;\n"
                       "no RE: no show filter (pstatsh only).\n",
     0, SHELL_COMPLETE_FUNCTION},
    {"show_from", cmd_show_from,
     "show_from [RE]: from now on, every report leaves out what lies above the\n"
     "functions matching RE (what no call path from them reaches), as pprof's\n"
     "show_from does; no RE: no show_from filter (pstatsh only).\n",
     0, SHELL_COMPLETE_FUNCTION},
    {"sort", cmd_sort, "Sort profile data according to specified keys.\n"
                       "(Typing `sort' without arguments lists valid keys.)\n",
     CMD_LISTED, SHELL_COMPLETE_SORT_KEY},
    {"stats", cmd_stats, "Print statistics from the current stat object.\n",
     CMD_LISTED | CMD_ARGS_HELP, SHELL_COMPLETE_FUNCTION},
    {"strip", cmd_strip, "Strip leading path information from filenames in the report.\n",
     CMD_LISTED, SHELL_COMPLETE_NONE},
    {"top", cmd_top, "top [N] [-cum] [RE...] [-RE...]: pprof's top report: flat (tottime),\n"
                     "flat%, sum%, cum (cumtime), cum% and the function, N rows (10) by flat,\n"
                     "by cum with -cum; REs focus and -REs ignore for this report only.\n"
                     "Any command's output goes to a file with COMMAND > FILE (pstatsh only).\n",
     0, SHELL_COMPLETE_FUNCTION},
    {"tree", cmd_tree, "tree [N] [-cum] [RE...] [-RE...]: peek's blocks (callers, the function,\n"
                       "callees) for the N (10) heaviest functions of top (pstatsh only).\n",
     0, SHELL_COMPLETE_FUNCTION},
    {"web", cmd_web, "Write prof2html's page of the current view to a temporary file and\n"
                     "open it with $BROWSER or xdg-open (pstatsh only).\n",
     0, SHELL_COMPLETE_NONE},
};
#define NCOMMANDS (sizeof COMMANDS / sizeof COMMANDS[0])

static const command *command_find(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(name, COMMANDS[i].name) == 0)
            return &COMMANDS[i];
    return NULL;
}

static int cmd_help(shell *sh, char *arg)
{
    if (!*arg) {
        fputs("\nDocumented commands (type help <topic>):\n"
              "========================================\n", sh->out);
        int first = 1;
        for (size_t i = 0; i < NCOMMANDS; i++)
            if (COMMANDS[i].flags & CMD_LISTED) {
                fprintf(sh->out, "%s%s", first ? "" : "  ", COMMANDS[i].name);
                first = 0;
            }
        fputs("\n\n", sh->out);
        return 0;
    }
    const command *c = command_find(arg);
    if (!c) {
        fprintf(sh->out, "*** No help on %s\n", arg);
        return 0;
    }
    fputs(c->help, sh->out);
    if (c->flags & CMD_ARGS_HELP)
        fputs(ARGS_HELP, sh->out);
    return 0;
}

const char *const *ps_shell_commands(void)
{
    static const char *names[NCOMMANDS + 1];
    if (!names[0])
        for (size_t i = 0; i < NCOMMANDS; i++)
            names[i] = COMMANDS[i].name;
    return names;
}

int ps_shell_command_completion(const char *name)
{
    const command *c = command_find(name);
    return c ? c->complete : SHELL_COMPLETE_NONE;
}

void ps_shell_read(shell *sh, const char *path) { do_read(sh, path); }
void ps_shell_add(shell *sh, const char *path) { do_add(sh, path); }

int ps_shell_load(shell *sh, const char *path, int add, ps_error *e)
{
    ps_stats *s = ps_stats_new();
    if (!s) {
        ps_error_clear(e);
        return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
    }
    if (ps_stats_load_file(s, path, e) < 0) {
        ps_stats_free(s);
        return -1;
    }
    if (add && sh->stats) {
        int rc = ps_stats_add(sh->stats, s, e);
        ps_stats_free(s);
        return rc;
    }
    char *p = malloc(strlen(path) + 3);
    if (!p) {
        ps_stats_free(s);
        return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
    }
    sprintf(p, "%s%% ", path);
    free(sh->prompt);
    sh->prompt = p;
    ps_stats_free(sh->stats);
    sh->stats = s;
    return 0;
}

static void set_lastcmd(shell *sh, const char *line)
{
    char *c = strdup(line);
    if (c) {
        free(sh->lastcmd);
        sh->lastcmd = c;
    }
}

static int is_ident(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* pprof's `COMMAND > FILE`: the last word starting with '>' (the file may
 * follow it after blanks) is cut off arg; returns the file name, or NULL.
 * A '>' inside a word (`<lambda>`, `main|<module>`) is no redirection, so
 * CPython's restrictions keep working. */
static char *redirection(char *arg)
{
    char *at = NULL;
    for (char *p = arg; *p; p++)
        if (*p == '>' && (p == arg || is_py_space((unsigned char)p[-1])))
            at = p;
    if (!at)
        return NULL;
    *at = '\0';
    strip(arg);
    return strip(at + 1);
}

/* The command's output into FILE through the outfile layer: a temporary
 * renamed into place once the command succeeded, removed if it failed, so
 * FILE is never half-written. */
static int run_redirected(shell *sh, const command *c, char *arg, const char *file)
{
    ps_error e;
    ps_error_clear(&e);
    if (!*file)
        return usage(sh, "> needs a file name (COMMAND > FILE)");
    export_file f;
    if (ps_export_file_open(&f, file, &e) < 0) {
        report_error(sh, NULL, &e);
        return 0;
    }
    FILE *out = sh->out;
    int errors = sh->errors;
    sh->out = f.fp;
    int stop = c->run(sh, arg);
    sh->out = out;
    if (sh->errors != errors)
        ps_export_file_abort(&f);
    else if (ps_export_file_commit(&f, &e) < 0)
        report_error(sh, NULL, &e);
    return stop;
}

/* cmd.Cmd.onecmd: returns 1 to stop. */
static int onecmd(shell *sh, const char *raw)
{
    char *buf = malloc(strlen(raw) + 6);
    if (!buf)
        return 0;
    strcpy(buf, raw);
    char *line = strip(buf);
    if (!*line) {
        free(buf);
        if (*sh->lastcmd) {
            char *again = strdup(sh->lastcmd);
            int rc = again ? onecmd(sh, again) : 0;
            free(again);
            return rc;
        }
        return 0;
    }
    if (line[0] == '?') {
        memmove(line + 5, line + 1, strlen(line + 1) + 1);
        memcpy(line, "help ", 5);
    } else if (line[0] == '!') {
        fprintf(sh->out, "*** Unknown syntax: %s\n", line);
        free(buf);
        return 0;
    }
    size_t i = 0;
    while (is_ident((unsigned char)line[i]))
        i++;
    char cmd[64];
    int cmd_fits = i < sizeof cmd;
    if (cmd_fits) {
        memcpy(cmd, line, i);
        cmd[i] = '\0';
    }
    char *arg = strip(line + i);
    set_lastcmd(sh, strcmp(line, "EOF") == 0 ? "" : line);
    int stop = 0;
    const command *c;
    if (i == 0 || !cmd_fits) {
        fprintf(sh->out, "*** Unknown syntax: %s\n", line);
    } else if ((c = command_find(cmd)) != NULL) {
        char *to = redirection(arg);
        stop = to ? run_redirected(sh, c, arg, to) : c->run(sh, arg);
    } else {
        fprintf(sh->out, "*** Unknown syntax: %s\n", line);
    }
    free(buf);
    return stop;
}

int ps_shell_exec(shell *sh, const char *line)
{
    return onecmd(sh, line);
}
