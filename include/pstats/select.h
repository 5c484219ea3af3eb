/* select.h - restrictions (count, fraction, Python-syntax regular
 * expression) applied as pstats' get_print_list does. */
#ifndef PSTATS_SELECT_H
#define PSTATS_SELECT_H

#include <stdio.h>
#include "stats.h"

enum { SEL_INT, SEL_FLOAT, SEL_REGEX };
typedef struct sel_restriction {
    int kind;
    int64_t i;        /* SEL_INT; int_huge set when it did not fit */
    int int_huge;
    double f;         /* SEL_FLOAT */
    const char *text; /* SEL_REGEX (and the original term for every kind) */
} sel_restriction;

/* The browser's conversion of one argument term: Python int(), else float(),
 * else a regex string.  Returns 0, or 1 for a float outside [0, 1] (the caller
 * prints "Fraction argument must be in [0, 1]" and drops it). */
int ps_sel_parse_term(const char *term, sel_restriction *out);

typedef struct sel_list {
    uint32_t *ids;
    size_t n;
    size_t width;      /* name column width W (already + 2) */
    char *msg;         /* "   Ordered by: ...\n" lines; malloc'd */
    size_t msglen;
} sel_list;

/* get_print_list(restrictions) */
int ps_sel_get_print_list(const ps_stats *s, const sel_restriction *r, size_t nr,
                       sel_list *out, ps_error *err);
void ps_sel_list_free(sel_list *l);

/* Does a Python regular expression search succeed in text?  Compiles with
 * PCRE2 after translating Python-only syntax. */
typedef struct sel_regex sel_regex;
sel_regex *ps_sel_regex_compile(const char *pattern, char *errbuf, size_t errsize);
int ps_sel_regex_search(const sel_regex *re, const char *text, size_t len);
void ps_sel_regex_free(sel_regex *re);

#endif
