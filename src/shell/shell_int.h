/* shell_int.h - what the browser's two files share (internal): the shell's
 * state, the helpers both use (shell_util.c), and the pprof-style commands
 * and the view (shell_pprof.c) the interpreter (shell.c) calls. */
#ifndef PSTATS_SHELL_INT_H
#define PSTATS_SHELL_INT_H

#include <stdio.h>
#include "pstats/shell.h"
#include "pstats/stats.h"

/* pprof's filters, in the order its "Active filters" header lists them. */
enum { F_FOCUS, F_IGNORE, F_HIDE, F_SHOW, F_SHOW_FROM, NFILTERS };

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


extern const char ps_sh_no_stats[];   /* what a report says with nothing loaded */

/* One clear line on err where CPython would have crashed (counted as an error). */
void ps_sh_report_error(shell *sh, const char *file, const ps_error *e);
/* A usage line on err, counted as an error; 0 (the command goes on). */
int ps_sh_usage(shell *sh, const char *text);
/* shell_util.c: Python's str.split() whitespace (ASCII part); split in place
 * on it, the number of words. */
int ps_sh_is_py_space(unsigned char c);
size_t ps_sh_split_words(char *s, char **words, size_t max);

/* The statistics a report reads: the loaded ones, or the view of them the
 * filters and the granularity make (sorted as they are), with a report's own
 * focus/ignore (top's arguments) standing in for the variables; NULL with e
 * set on failure.  ps_sh_view_put gives it back. */
ps_stats *ps_sh_view_get(shell *sh, const char *focus, const char *ignore, ps_error *e);
void ps_sh_view_put(shell *sh, ps_stats *v);
/* The filters in force as "focus=RE" lines into lines[] (NFILTERS, malloc'd),
 * or printed as pprof's "Active filters:" header when lines is NULL. */
size_t ps_sh_active_filters(const shell *sh, const char *focus, const char *ignore, char **lines);

/* shell_pprof.c: the commands, as the command table calls them. */
int ps_sh_cmd_top(shell *sh, char *arg);
int ps_sh_cmd_tree(shell *sh, char *arg);
int ps_sh_cmd_peek(shell *sh, char *arg);
int ps_sh_cmd_focus(shell *sh, char *arg);
int ps_sh_cmd_ignore(shell *sh, char *arg);
int ps_sh_cmd_hide(shell *sh, char *arg);
int ps_sh_cmd_show(shell *sh, char *arg);
int ps_sh_cmd_show_from(shell *sh, char *arg);
int ps_sh_cmd_reset(shell *sh, char *arg);
int ps_sh_cmd_granularity(shell *sh, char *arg);
int ps_sh_cmd_web(shell *sh, char *arg);

#endif
