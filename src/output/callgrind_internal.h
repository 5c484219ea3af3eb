/* callgrind_internal.h - the callgrind writer's thread knob, internal: the
 * programs take its default, test_pipeline.c compares its settings. */
#ifndef PSTATS_OUTPUT_CALLGRIND_INTERNAL_H
#define PSTATS_OUTPUT_CALLGRIND_INTERNAL_H

#include "pstats/callgrind.h"

/* ps_callgrind_write with threads 0 (its default: a second thread for big
 * profiles), 1 (none) or 2 (two even for small profiles); the same bytes. */
int ps_callgrind_write_threads(const ps_stats *s, const callgrind_options *o, int threads,
                               FILE *fp, const char *what, ps_error *e);

#endif
