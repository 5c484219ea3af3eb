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
/* "%8.3f", nan/inf as Python; 1e308 takes 313 characters, as in Python. */
#define PY_F8_SIZE 320
void py_f8(char out[PY_F8_SIZE], double x);
/* str(int) of a 128-bit total; returns the length. */
size_t py_count_str(char out[48], ps_count_total v);
size_t py_float_repr(char *out, size_t size, double x); /* repr(float) */
size_t py_str_repr(char *out, size_t size, const char *s, size_t len); /* repr(str) */
void py_ctime(char out[64], long long t);             /* time.ctime(t), local zone */

#endif
