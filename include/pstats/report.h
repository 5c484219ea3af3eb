/* report.h - print_stats, print_callers and print_callees, byte for byte. */
#ifndef PSTATS_REPORT_H
#define PSTATS_REPORT_H

#include <stdio.h>
#include "stats.h"
#include "select.h"

int ps_report_print_stats(ps_stats *s, FILE *out, const sel_restriction *r, size_t nr, ps_error *err);
int ps_report_print_callers(ps_stats *s, FILE *out, const sel_restriction *r, size_t nr, ps_error *err);
int ps_report_print_callees(ps_stats *s, FILE *out, const sel_restriction *r, size_t nr, ps_error *err);

/* str(int) of a call total (128 bits, exact as Python's); returns the length. */
size_t ps_report_count_str(char out[48], ps_count_total v);

#endif
