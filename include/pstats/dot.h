/* dot.h - writing a pg_graph (graph.h) as Graphviz dot, or rendering it.
 *
 * The graph is built with Graphviz's cgraph (agopen/agnode/agedge/agxset)
 * and written with agwrite, or laid out and rendered with libgvc for -T.
 * cgraph needs ~9 us and ~300 bytes per edge, so for graphs beyond a few ten
 * thousand elements (gprof2dot -n0 -e0 on big profiles) `auto` switches to a
 * streaming writer that prints gprof2dot's own dot text; both describe the
 * same graph (same nodes, edges and attribute values).
 *
 * Nothing here prints or exits; errors come back in a ps_error. */
#ifndef PSTATS_DOT_H
#define PSTATS_DOT_H

#include <stdio.h>
#include "error.h"
#include "graph.h"
#include "stats.h"

/* `auto` uses cgraph up to this many nodes + edges. */
#define DOT_CGRAPH_MAX 20000

struct Agraph_s;

/* The graph as a cgraph graph (free it with agclose). */
struct Agraph_s *ps_dot_cgraph(const pg_graph *g, const pg_options *o, ps_error *err);

/* Write dot text to out: o->writer picks cgraph, the streaming writer, or
 * (auto) by size. */
int ps_dot_write(const pg_graph *g, const pg_options *o, FILE *out, ps_error *err);
int ps_dot_write_cgraph(const pg_graph *g, const pg_options *o, FILE *out, ps_error *err);
int ps_dot_write_text(const pg_graph *g, const pg_options *o, FILE *out, ps_error *err);

/* Lay out with dot and render in a Graphviz output format (png, svg, pdf...). */
int ps_dot_render(const pg_graph *g, const pg_options *o, const char *format, FILE *out,
               ps_error *err);

/* Render dot text (as the writers above print it) with Graphviz. */
int ps_dot_render_text(const char *text, const char *format, FILE *out, ps_error *err);

/* gprof2dot's --compare: BASE's graph (g1), each node and edge labelled with
 * the difference to the one of the same name in NEW's (g2), written as
 * gprof2dot's text.  Both graphs are built with the same options. */
int ps_dot_compare_write(const pg_graph *g1, const pg_graph *g2, const pg_options *o, FILE *out,
                         ps_error *err);

/* Everything prof2dot does once the stats are loaded: build the graph, then
 * write or render it to o->output (atomically; NULL or "-" is standard
 * output).  With --list-functions nothing is written and *listing receives
 * the text gprof2dot prints on stderr (malloc'd). */
int ps_dot_run(const ps_stats *s, const pg_options *o, char **listing, ps_error *err);

/* --compare (o->compare): base and cur are BASE and NEW; --diff
 * (o->diff_base): cur's graph painted by its change against base (both
 * stats may be stripped of their directories by the diff). */
int ps_dot_run_two(ps_stats *base, ps_stats *cur, const pg_options *o, ps_error *err);

/* Escape a value as gprof2dot does inside quotes: \ -> \\, newline -> \n,
 * tab -> \t (a double quote is left to the writer). */
void ps_dot_escape(pg_buf *out, const char *s, size_t len);

#endif
