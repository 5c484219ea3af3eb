/* html.h - one self-contained HTML page of a profile (prof2html, `export
 * html`): icicle and sunburst charts of the call stacks, pstats' table of
 * every function, callers and callees, search; opens offline in a browser.
 *
 * The page's markup, style and script are built into the library (from
 * src/html/page.{html,css,js}, turned into a C array at build time); only the
 * profile's data is written per page, as JSON in a
 * <script type="application/json"> block: a string table and numeric arrays
 * (times in integer nanoseconds), escaped so that no name can end the block
 * or be read as markup.  A Content-Security-Policy in the page allows its own
 * script and style (by hash) and nothing else: no request leaves the file. */
#ifndef PSTATS_HTML_H
#define PSTATS_HTML_H

#include <stdio.h>
#include "error.h"
#include "folded.h"
#include "stats.h"

typedef struct ps_html_options {
    const char *title;        /* the page's title (default "Profile") */
    const char *inputs;       /* the inputs' names, shown under the title, or NULL */
    folded_options stacks;    /* the stack estimate of a deterministic profile
                               * (min_fraction, max_depth, max_repeat; see folded.h) */
    /* --diff BASE: the page coloured by each function's change of cumtime
     * since BASE (matched as profdiff matches, diff.h) */
    const ps_stats *diff_base;  /* NULL: no diff */
    const char *diff_name;      /* BASE's inputs' names, shown in the page */
    double diff_tolerance;      /* percent of BASE's total time: smaller changes are grey (1) */
} ps_html_options;

void ps_html_options_init(ps_html_options *o);

/* Write the page of s to fp; what names the output in an error message.
 * Returns 0 or -1 with err set. */
int ps_html_write_fp(const ps_stats *s, FILE *fp, const ps_html_options *o, const char *what,
                     ps_error *err);

/* The same, atomically to path (a temporary renamed into place; "-" is
 * standard output).  o may be NULL (the defaults). */
int ps_html_write(const ps_stats *s, const char *path, const ps_html_options *o, ps_error *err);

#endif
