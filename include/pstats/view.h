/* view.h - the browser's current view of a profile: pprof's granularity and
 * its filters (focus, ignore, hide, show, show_from) applied to a stats
 * database, giving a stats database again, which every report and exporter
 * reads as they read a loaded one.
 *
 * The filters are prof2dot's (graph.h, --focus ...): the view keeps the
 * functions and calls alive in that graph, built without thresholds.  Calls
 * hide or show made up or changed are estimates: their calls and
 * cumulative time come from the graph, their own time is the callee's share
 * (tottime/cumtime) of it.  Nothing prints; errors come back in a ps_error. */
#ifndef PSTATS_VIEW_H
#define PSTATS_VIEW_H

#include "error.h"
#include "graph.h"
#include "stats.h"

/* Does o hold any of the filters a view applies? */
int ps_view_has_filters(const pg_options *o);

/* A new stats: base at granularity (PS_GRANULARITY_*) with the filters of o
 * (only focus, ignore, hide, show and show_from are read).  The view is not
 * sorted; its files lines are base's. */
int ps_view_build(const ps_stats *base, int granularity, const pg_options *o, ps_stats **out,
                  ps_error *err);

#endif
