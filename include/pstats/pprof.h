/* pprof.h - a profile's stacks as pprof's profile.proto, gzip-compressed, for
 * `go tool pprof` and everything else that reads pprof profiles.
 *
 * Two sample types, samples/count and time/nanoseconds (the default one):
 * each distinct stack is one Sample whose values are its number of samples
 * (0 for estimated stacks: nothing was counted) and its weight in
 * nanoseconds.  One Location and one Function per function of the stats
 * (file, name, first line) that the stacks use; the Function's name is the
 * function's name, its system_name pstats' "file:line(name)".  The stacks
 * are the profile's own when sampled, else prof2folded's estimate, and then
 * the profile carries the comment "estimated stacks". */
#ifndef PSTATS_PPROF_H
#define PSTATS_PPROF_H

#include <stdio.h>
#include "error.h"
#include "folded.h"
#include "stacks.h"
#include "stats.h"

/* The stacks st (function ids of s) as a gzip-compressed profile on fp;
 * what names the output in errors. */
int ps_pprof_write(const ps_stats *s, const ps_stacks *st, FILE *fp, const char *what,
                   ps_error *err);

/* The stacks of s (exact, or estimated with o's limits; o may be NULL)
 * written atomically to path ("-": standard output). */
int ps_pprof_export(const ps_stats *s, const char *path, const folded_options *o, ps_error *err);

#endif
