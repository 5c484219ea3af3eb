/* report.h - print_stats, print_callers and print_callees, byte for byte. */
#ifndef PSTATS_REPORT_H
#define PSTATS_REPORT_H

#include <stdio.h>
#include "stats.h"
#include "select.h"

int report_print_stats(ps_stats *s, FILE *out, const sel_restriction *r, size_t nr, ps_error *err);
int report_print_callers(ps_stats *s, FILE *out, const sel_restriction *r, size_t nr, ps_error *err);
int report_print_callees(ps_stats *s, FILE *out, const sel_restriction *r, size_t nr, ps_error *err);

/* Python formatting helpers the reports (and exporters) share. */
void py_f8(char out[32], double x);                   /* "%8.3f", nan/inf as Python */
size_t py_float_repr(char *out, size_t size, double x); /* repr(float) */
size_t py_str_repr(char *out, size_t size, const char *s, size_t len); /* repr(str) */
void py_ctime(char out[64], long long t);             /* time.ctime(t), local zone */

#endif
