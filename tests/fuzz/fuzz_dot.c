/* fuzz_dot - prof2dot's exporter (include/pstats/graph.h, dot.h) fed a
 * fuzzed dump: ps_pg_build with gprof2dot's defaults and with pruning switched
 * off, then the dot text (labels, colours, widths) from both writers --
 * cgraph's agwrite and the streaming one -- to /dev/null.  No layout
 * (ps_dot_render): Graphviz's own layout is not what is tested here. */
#include "fuzz_common.h"
#include "pstats/dot.h"
#include "pstats/graph.h"

static void build(const ps_stats *s, pg_options *o)
{
    pg_graph g;
    ps_error e;
    ps_error_clear(&e);
    if (ps_pg_build(s, o, &g, &e) < 0) {
        fuzz_check_error(&e, SIZE_MAX);
        return;
    }
    ps_error_clear(&e);
    if (ps_dot_write_text(&g, o, fuzz_devnull(), &e) < 0)
        fuzz_check_error(&e, SIZE_MAX);
    ps_error_clear(&e);
    if (g.kept_nodes + g.kept_edges < 2000 && ps_dot_write_cgraph(&g, o, fuzz_devnull(), &e) < 0)
        fuzz_check_error(&e, SIZE_MAX);
    ps_pg_graph_free(&g);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ps_stats *s = fuzz_load(data, size);
    if (!s)
        return 0;
    if (!fuzz_small(s)) {
        ps_stats_free(s);
        return 0;
    }
    pg_options o;
    ps_pg_options_init(&o);
    build(s, &o);
    o.node_thres = 0;
    o.edge_thres = 0;
    o.strip = 1;
    o.wrap = 1;
    o.color_by_selftime = 1;
    build(s, &o);
    ps_pg_options_free(&o);
    ps_stats_free(s);
    return 0;
}
