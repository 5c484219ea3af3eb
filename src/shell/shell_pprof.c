/* shell_pprof.c - pprof's commands in the browser (top, peek, tree, focus,
 * ignore, hide, show, show_from, reset, granularity, web) and the view of the
 * statistics every report reads: the loaded ones re-keyed to the granularity
 * and cut down by the filters (analysis/view.c). */
#include <errno.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "pstats/export.h"
#include "pstats/html.h"
#include "pstats/select.h"
#include "pstats/sort.h"
#include "pstats/top.h"
#include "pstats/view.h"
#include "shell/shell_int.h"

extern char **environ;

static const char *const FILTER_NAMES[NFILTERS] = {"focus", "ignore", "hide", "show", "show_from"};
static const char *const GRANULARITIES[] = {"lines", "functions", "files"};   /* PS_GRANULARITY_* */

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
ps_stats *ps_sh_view_get(shell *sh, const char *focus, const char *ignore, ps_error *e)
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
        size_t n = copy ? ps_sh_split_words(copy, words, 64) : 0;
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

void ps_sh_view_put(shell *sh, ps_stats *v)
{
    if (v != sh->stats)
        ps_stats_free(v);
}

/* The filters in force as "focus=RE" lines, into lines[] (NFILTERS of
 * room, malloc'd), or printed as pprof's "Active filters:" header when
 * lines is NULL (nothing without filters: CPython's reports stay as they are). */
size_t ps_sh_active_filters(const shell *sh, const char *focus, const char *ignore, char **lines)
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

/* ---- pprof's commands ---------------------------------------------------------------- */


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
        fputs(ps_sh_no_stats, sh->out);
        return 0;
    }
    ps_top_options o = {10, 0, profile_total(sh->stats), NULL, 0};
    char *focus = NULL, *ignore = NULL;
    char *words[256];
    size_t n = ps_sh_split_words(arg, words, 256);
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
    ps_stats *v = ps_sh_view_get(sh, focus, ignore, &e);
    char *lines[NFILTERS];
    if (v) {
        o.nfilters = ps_sh_active_filters(sh, focus, ignore, lines);
        o.filters = (const char *const *)lines;
        if ((tree ? ps_tree_print(v, sh->out, &o, NULL, &e) : ps_top_print(v, sh->out, &o, &e)) < 0)
            ps_sh_report_error(sh, NULL, &e);
        for (size_t i = 0; i < o.nfilters; i++)
            free(lines[i]);
        ps_sh_view_put(sh, v);
    } else {
        ps_sh_report_error(sh, NULL, &e);
    }
    free(focus);
    free(ignore);
    return 0;
}

int ps_sh_cmd_top(shell *sh, char *arg) { return run_top(sh, arg, 0); }
int ps_sh_cmd_tree(shell *sh, char *arg) { return run_top(sh, arg, 1); }

int ps_sh_cmd_peek(shell *sh, char *arg)
{
    if (!sh->stats) {
        fputs(ps_sh_no_stats, sh->out);
        return 0;
    }
    if (!*arg)
        return ps_sh_usage(sh, "peek: usage: peek RE");
    ps_error e;
    ps_error_clear(&e);
    ps_stats *v = ps_sh_view_get(sh, NULL, NULL, &e);
    if (!v) {
        ps_sh_report_error(sh, NULL, &e);
        return 0;
    }
    char *lines[NFILTERS];
    ps_top_options o = {0, 0, profile_total(sh->stats), (const char *const *)lines, 0};
    o.nfilters = ps_sh_active_filters(sh, NULL, NULL, lines);
    if (ps_tree_print(v, sh->out, &o, arg, &e) < 0)
        ps_sh_report_error(sh, NULL, &e);
    for (size_t i = 0; i < o.nfilters; i++)
        free(lines[i]);
    ps_sh_view_put(sh, v);
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
        return ps_sh_usage(sh, "out of memory");
    sh->filter[which] = copy;
    if (sh->stats) {
        ps_error e;
        ps_stats *v = ps_sh_view_get(sh, NULL, NULL, &e);
        if (!v) {
            sh->filter[which] = old;
            free(copy);
            ps_sh_report_error(sh, NULL, &e);
            return 0;
        }
        ps_sh_view_put(sh, v);
    }
    free(old);
    return 0;
}

int ps_sh_cmd_focus(shell *sh, char *arg) { return set_filter(sh, F_FOCUS, arg); }
int ps_sh_cmd_ignore(shell *sh, char *arg) { return set_filter(sh, F_IGNORE, arg); }
int ps_sh_cmd_hide(shell *sh, char *arg) { return set_filter(sh, F_HIDE, arg); }
int ps_sh_cmd_show(shell *sh, char *arg) { return set_filter(sh, F_SHOW, arg); }
int ps_sh_cmd_show_from(shell *sh, char *arg) { return set_filter(sh, F_SHOW_FROM, arg); }

int ps_sh_cmd_reset(shell *sh, char *arg)
{
    (void)arg;
    for (int i = 0; i < NFILTERS; i++) {
        free(sh->filter[i]);
        sh->filter[i] = NULL;
    }
    sh->granularity = PS_GRANULARITY_LINES;
    return 0;
}

int ps_sh_cmd_granularity(shell *sh, char *arg)
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
    return ps_sh_usage(sh, "granularity: usage: granularity functions|files|lines");
}

/* web: prof2html's page of the view in a temporary file, opened with
 * $BROWSER (its first command) or xdg-open, waited for as Python's
 * webbrowser waits for $BROWSER. */
int ps_sh_cmd_web(shell *sh, char *arg)
{
    if (!sh->stats) {
        fputs(ps_sh_no_stats, sh->out);
        return 0;
    }
    if (*arg)
        return ps_sh_usage(sh, "web: usage: web (the page of the current view)");
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
        ps_sh_report_error(sh, NULL, &e);
        return 0;
    }
    close(fd);
    ps_stats *v = ps_sh_view_get(sh, NULL, NULL, &e);
    ps_html_options o;
    ps_html_options_init(&o);
    char title[1024];   /* the file read, as the prompt names it ("FILE% ") */
    snprintf(title, sizeof title, "%.*s", (int)(strlen(sh->prompt) > 2 ? strlen(sh->prompt) - 2 : 0),
             sh->prompt);
    if (title[0])
        o.title = title;
    if (!v || ps_html_write(v, path, &o, &e) < 0) {
        ps_sh_report_error(sh, NULL, &e);
        unlink(path);
        if (v)
            ps_sh_view_put(sh, v);
        return 0;
    }
    ps_sh_view_put(sh, v);
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
