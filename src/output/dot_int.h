/* dot_int.h - what the dot writers (dot.c, dot_compare.c) share: gprof2dot's
 * quoting of values and the buffered output. */
#ifndef PSTATS_OUTPUT_DOT_INT_H
#define PSTATS_OUTPUT_DOT_INT_H

#include <stdio.h>
#include "pstats/buf.h"
#include "pstats/error.h"

/* A value as gprof2dot writes it: bare when alphanumeric and not 0x..., else
 * quoted with \\ \n \t \" escapes. */
void ps_dot_put_value(pg_buf *b, const char *s, size_t len);
/* " [name=value" for the first attribute, ", name=value" after. */
void ps_dot_put_attr(pg_buf *b, int *first, const char *name, const char *value);
/* Write b out and empty it (an out-of-memory buffer is an error). */
int ps_dot_flush(pg_buf *b, FILE *out, ps_error *e);

#endif
