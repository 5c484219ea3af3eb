/* diff.h - two profiles compared function by function: the rows, the CI gate
 * and the writers behind profdiff and pstatsh's `diff`.
 *
 * Design.  A diff takes two loaded ps_stats (BASE and NEW, each possibly a
 * merge of several dumps) and pairs their entries:
 *   - PS_DIFF_MATCH_NAME (default): by (file, function name), the line left
 *     out, since lines move between commits.  Where one file has several
 *     functions of one name, the nearest lines pair up: in their order in the
 *     file, as many pairs as there can be, with the least sum of |base line +
 *     shift - new line|, the shift being the lower median of (new line - base
 *     line) over the file's functions alone of their name on both sides (the
 *     code above them grew or shrank); what is left over on one side is new
 *     or removed.  Names lose the " at 0x..." addresses CPython prints in
 *     some builtins' names, which change from run to run.
 *   - PS_DIFF_MATCH_EXACT: pstats' own key (file, line, name).
 * Strings of the two stats live in two pools, so keys are compared by hash
 * and bytes through one table of groups.
 *
 * --normalize multiplies BASE's times (tottime, cumtime, total) by
 * scale = NEW total / BASE total, as pprof's -normalize does; call counts are
 * never scaled.  Every row keeps both sides' values (BASE's scaled); a side
 * a function is absent from is flagged, and counts as 0 in a delta.
 *
 * Row order (the table's and the JSON's): |delta| of the sort measure
 * descending, a stable sort from NEW's entry order followed by the removed
 * functions in BASE's entry order, so a Python sort with the same key gives
 * the same list.  The gate is computed with the rows (ps_diff.failed and the
 * reasons, one line each). */
#ifndef PSTATS_DIFF_H
#define PSTATS_DIFF_H

#include <stdint.h>
#include <stdio.h>
#include "error.h"
#include "select.h"
#include "stats.h"

enum { PS_DIFF_MATCH_NAME = 0, PS_DIFF_MATCH_EXACT = 1 };
enum { PS_DIFF_SORT_CUMTIME = 0, PS_DIFF_SORT_TOTTIME = 1, PS_DIFF_SORT_NCALLS = 2 };
enum { PS_DIFF_TEXT = 0, PS_DIFF_MARKDOWN = 1, PS_DIFF_JSON = 2 };

typedef struct ps_diff_options {
    int match;                   /* PS_DIFF_MATCH_* */
    int sort;                    /* PS_DIFF_SORT_*: the measure rows are ordered by */
    int strip_dirs;              /* strip both sides' directories first (pstats' strip_dirs) */
    int normalize;               /* scale BASE's times so its total equals NEW's */
    double fail_above;           /* percent; < 0: off.  NEW's total time over BASE's */
    double fail_function_above;  /* percent of BASE's total; < 0: off */
    double min_time;             /* seconds: time changes smaller than this are ignored */
    const char *const *base_files;  /* the inputs' names, for the writers (may be NULL) */
    size_t nbase_files;
    const char *const *new_files;
    size_t nnew_files;
} ps_diff_options;

void ps_diff_options_init(ps_diff_options *o);
/* "cumtime"/"cumulative", "tottime"/"time", "ncalls"/"calls": the enum, or -1. */
int ps_diff_parse_sort(const char *word);
/* "text", "markdown" (or "md"), "json": the enum, or -1. */
int ps_diff_parse_format(const char *word);

enum { PS_DIFF_IN_BASE = 1, PS_DIFF_IN_NEW = 2 };

typedef struct ps_diff_side {
    int64_t nc, cc;              /* total and primitive calls */
    double tt, ct;               /* seconds (BASE's scaled) */
} ps_diff_side;

typedef struct ps_diff_row {
    uint32_t base_func, new_func;  /* function ids in each stats, PS_NONE when absent */
    int in;                        /* PS_DIFF_IN_BASE | PS_DIFF_IN_NEW */
    ps_diff_side base, new;        /* zeros for an absent side */
} ps_diff_row;

typedef struct ps_diff_totals {
    int64_t calls, prim_calls;
    double time;                 /* BASE's scaled */
    size_t functions;            /* entries */
} ps_diff_totals;

typedef struct ps_diff {
    const ps_stats *base, *new;
    ps_diff_options opts;
    double scale;                /* applied to BASE's times (1 without --normalize) */
    ps_diff_totals tbase, tnew;
    ps_diff_row *rows;           /* every function of either side once, in row order */
    size_t nrows;
    size_t nadded, nremoved, nmatched;
    int failed;                  /* the gate */
    char **reasons;              /* why it failed, one line each */
    size_t nreasons;
} ps_diff;

/* Compare BASE with NEW.  With o->strip_dirs both stats are stripped in
 * place first.  Returns 0 or -1 with err set; free with ps_diff_free. */
int ps_diff_build(ps_stats *base, ps_stats *new, const ps_diff_options *o, ps_diff *out,
                  ps_error *err);
void ps_diff_free(ps_diff *d);

/* The delta of a row in a measure (PS_DIFF_SORT_*): NEW - BASE. */
double ps_diff_delta(const ps_diff_row *r, int measure);

/* The table's rows: the changed ones (|delta| of the sort measure > 0 and,
 * for times, at least min_time) in row order, then reduced by restrictions
 * as pstats' stats command reduces its list (a count, a fraction, a regular
 * expression on the function's standard name).  *ids gets row indexes
 * (malloc'd), *msg the "List reduced from ..." lines (malloc'd, maybe "").
 * Returns 0 or -1. */
int ps_diff_select(const ps_diff *d, const sel_restriction *r, size_t nr, size_t **ids,
                   size_t *nids, char **msg, ps_error *err);

/* Write the report: text or markdown show the rows of ps_diff_select(r, nr);
 * JSON lists every row (r ignored).  what names the output for errors. */
int ps_diff_write(const ps_diff *d, int format, const sel_restriction *r, size_t nr, FILE *fp,
                  const char *what, ps_error *err);

/* The browser's `diff FILE [--strip-dirs] [--match=exact|name] [--normalize]
 * [--sort=KEY] [--min-time=S] [restrictions]`: the text report of cur (NEW)
 * against FILE (BASE, --strip-dirs applying to it), its rows reduced by the
 * restrictions as `stats` reduces its list.  On error returns -1 with err
 * set, and errfile gets the file at fault ("" if none). */
int ps_diff_command(ps_stats *cur, const char *arg, FILE *out, char *errfile, size_t errsize,
                    ps_error *err);

#endif
