/* speedscope.h - speedscope's JSON file format (the `speedscope` viewer's
 * published file-format schema): a profile's stacks written as one
 * `sampled` profile, and speedscope files read as a sampled profile.
 *
 * Written: the frames are the functions the stacks use (name, file, first
 * line), the samples the distinct stacks (frame indices, root first) with
 * their weights in seconds.  The stacks are the profile's own when it was
 * sampled, else prof2folded's estimate from the call graph (ps_stacks_of),
 * and then the profile's name ends in "(estimated stacks)": a viewer shows
 * plainly that they are not measured. */
#ifndef PSTATS_SPEEDSCOPE_H
#define PSTATS_SPEEDSCOPE_H

#include <stdio.h>
#include "error.h"
#include "folded.h"
#include "stacks.h"
#include "stats.h"

/* The stacks st (function ids of s) as a speedscope file on fp; name is the
 * profile's name (NULL: taken from s's files lines), estimated adds
 * "(estimated stacks)" to it.  what names the output in errors. */
int ps_speedscope_write(const ps_stats *s, const ps_stacks *st, const char *name, FILE *fp,
                        const char *what, ps_error *err);

/* The stacks of s (exact, or estimated with o's limits; o may be NULL)
 * written atomically to path ("-": standard output). */
int ps_speedscope_export(const ps_stats *s, const char *path, const char *name,
                         const folded_options *o, ps_error *err);

#endif
