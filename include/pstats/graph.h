/* graph.h - gprof2dot's weighted call graph of a stats database.
 *
 * ps_pg_build() turns a ps_stats into the graph gprof2dot draws for `-f pstats`
 * (gprof2dot.py's PstatsParser and Profile.prune): its function numbering (first encounter while
 * walking the entries and their callers in dict order), its names
 * (`module:line:func`), node and edge weights (fractions of the profile's
 * total time), its pruning order (node threshold, path prefixes, edge
 * threshold, colouring by self time, root, leaf) and its colour themes.
 * On top of that, pprof's --focus/--ignore/--hide and its -show/-show_from
 * (--keep/--keep-from: regular expressions on `file:line(function)`) and a
 * --node-count bound.  Its nodes and edges come from the library's one
 * call-graph builder, which the callgrind and folded writers use too.
 *
 * Nothing here prints or exits; errors come back in a ps_error. */
#ifndef PSTATS_GRAPH_H
#define PSTATS_GRAPH_H

#include <stddef.h>
#include <stdint.h>
#include "arena.h"
#include "buf.h"
#include "error.h"
#include "stats.h"

/* ---- colour themes ------------------------------------------------------ */

enum { PG_THEME_COLOR, PG_THEME_PINK, PG_THEME_GRAY, PG_THEME_BW, PG_THEME_PRINT, PG_NTHEMES };

typedef struct pg_theme {
    const char *name;          /* "color", "pink", ... (the -c value) */
    double mincolor[3];        /* (h, s, l) at weight 0 */
    double maxcolor[3];        /* (h, s, l) at weight 1 */
    double gamma;
    double minfontsize, maxfontsize;
    double minpenwidth, maxpenwidth;
    const char *nodestyle;     /* "filled" or "solid" */
    const char *fontcolor;     /* the graph's font colour: "white" or "black" */
} pg_theme;

/* The theme called name ("color", "pink", "gray", "bw", "print"); NULL if none. */
const pg_theme *ps_pg_theme_find(const char *name);
const pg_theme *ps_pg_theme_get(int which);

/* The theme's colour for weight w (clamped to [0, 1]) with skew k (1 = linear):
 * HSL interpolation, CSS3 HSL->RGB, per-channel gamma.  rgb in [0, 1]. */
void ps_pg_color_rgb(const pg_theme *t, double skew, double w, double rgb[3]);
/* The same as "#rrggbb" (out has room for 8 bytes). */
void ps_pg_color_hex(const pg_theme *t, double skew, double w, char out[8]);
/* HSL -> RGB with the theme's gamma (what the interpolation feeds). */
void ps_pg_hsl_to_rgb(const pg_theme *t, double h, double s, double l, double rgb[3]);
/* "#rrggbb" of an rgb triple: 0 at or below 0, 255 at or above 1, else int(255c + 0.5). */
void ps_pg_rgb_hex(const double rgb[3], char out[8]);

double ps_pg_fontsize(const pg_theme *t, double w);   /* max(w^2 maxfont, minfont) */
double ps_pg_penwidth(const pg_theme *t, double w);   /* max(w maxpen, minpen) */
double ps_pg_arrowsize(const pg_theme *t, double w);  /* 0.5 sqrt(penwidth) */

/* ---- options ------------------------------------------------------------ */

enum { PG_LABEL_TOTAL_TIME_PCT, PG_LABEL_SELF_TIME_PCT, PG_LABEL_TOTAL_TIME, PG_LABEL_SELF_TIME };
#define PG_MAX_LABELS 32

enum { PG_WRITER_AUTO, PG_WRITER_CGRAPH, PG_WRITER_TEXT };

typedef struct pg_options {
    /* gprof2dot's */
    double node_thres;         /* -n, percent (0.5) */
    double edge_thres;         /* -e, percent (0.1) */
    const pg_theme *theme;     /* -c (color) */
    double skew;               /* --skew (1.0; 0 means unset) */
    int strip;                 /* -s */
    int wrap;                  /* -w */
    int show_samples;          /* --show-samples (no samples in pstats: no effect) */
    int color_by_selftime;     /* --color-nodes-by-selftime */
    const char *time_format;   /* --time-format (%.7g) */
    int labels[PG_MAX_LABELS]; /* --node-label, in order */
    int nlabels;               /* 0: the default (total-time-percentage, self-time-percentage) */
    const char *root;          /* -z GLOB */
    const char *leaf;          /* -l GLOB */
    long depth;                /* --depth (-1: unlimited) */
    const char **paths;        /* -p PREFIX, repeatable */
    size_t npaths;
    const char *list_functions;/* --list-functions SELECTOR */
    const char *format;        /* -f (only pstats) */
    const char *total;         /* --total (accepted, no effect for pstats) */
    /* ours */
    const char **focus, **ignore, **hide;  /* regexes, repeatable (any of them) */
    size_t nfocus, nignore, nhide;
    const char **show, **show_from;        /* pprof's show and show_from (--keep, --keep-from) */
    size_t nshow, nshow_from;
    long node_count;           /* --node-count N (0: unlimited) */
    int full_names;            /* --full-names: full file name instead of the module */
    int writer;                /* --dot-writer auto|cgraph|text */
    /* comparing two profiles: gprof2dot's --compare (inputs BASE NEW) and our --diff */
    int compare;               /* --compare */
    double tolerance;          /* --compare-tolerance, percent (0.001) */
    int only_slower, only_faster, color_by_difference;
    const char *diff_base;     /* --diff BASE (NULL: off) */
    double diff_tolerance;     /* --diff-tolerance, percent of BASE's total time (1) */
    int diff_strip_dirs;       /* --diff-strip-dirs: both sides stripped before matching */
    /* output, for the program and the browser's `export dot` */
    const char *output;        /* -o FILE (NULL or "-": standard output) */
    const char *render;        /* -T FORMAT (NULL: dot text) */
    const char **inputs;       /* positional arguments */
    size_t ninputs;
    int help, version;
} pg_options;

void ps_pg_options_init(pg_options *o);
void ps_pg_options_free(pg_options *o);
/* Parse gprof2dot-style options (argv[0] is the first option, not the
 * program name).  Long options may be abbreviated to a unique prefix and take
 * their value as --opt=V or --opt V; options and inputs may be mixed; `--`
 * ends the options.  The strings stay owned by argv. */
int ps_pg_options_parse(pg_options *o, int argc, char **argv, ps_error *err);
/* The option summary for --help (one string, several lines). */
const char *ps_pg_options_help(void);

/* ---- the graph ------------------------------------------------------------ */

typedef struct pg_node {
    uint32_t id;               /* gprof2dot's function id: the dot node id */
    uint32_t func;             /* the function in the stats */
    uint8_t has_stats;         /* an entry (else only seen as a caller) */
    uint8_t alive;
    int64_t called;            /* nc */
    double tt, ct;
    double time_ratio;         /* tt / sum tt */
    double total_ratio;        /* ct / total time */
    double weight;             /* what colours it (total_ratio, or self time rescaled) */
    const char *name;          /* module:line:func (arena) */
    uint32_t out_first, out_n; /* its out-edges in pg_graph.edges (by callee id) */
} pg_node;

typedef struct pg_edge {
    uint32_t caller, callee;   /* node ids */
    int64_t calls;             /* primitive calls (cProfile), the count (profile.py) */
    double weight;             /* edge total time / total time */
    uint8_t alive;
    uint8_t estimated;         /* created by --hide (drawn dotted) */
    uint8_t adjusted;          /* a call that absorbed --hide's estimate: weight and
                                * calls are no longer the profile's */
} pg_edge;

/* Colours and label lines that replace the theme's (prof2dot --diff), per
 * node id and per edge index: the writers draw them instead. */
typedef struct pg_paint {
    char (*node_color)[8];     /* "#rrggbb" */
    char (*node_fontcolor)[8];
    char **node_extra;         /* a line appended to the node's label, or NULL */
    char (*edge_color)[8];
    char **edge_extra;         /* a line appended to the edge's label, or NULL */
} pg_paint;

typedef struct pg_graph {
    const ps_stats *stats;
    pg_node *nodes;            /* indexed by id; nnodes of them, alive or not */
    uint32_t nnodes;
    pg_edge *edges;            /* sorted by (caller, callee) */
    size_t nedges;
    double time, total_time;   /* gprof2dot's profile TIME and TOTAL_TIME */
    uint32_t kept_nodes;       /* alive nodes after every pruning step */
    size_t kept_edges;
    uint32_t count_dropped;    /* nodes dropped by --node-count */
    char *note;                /* a graph label to show (malloc'd), or NULL */
    char *listing;             /* --list-functions output (malloc'd), or NULL */
    const pg_paint *paint;     /* set by the caller for --diff (not owned), or NULL */
    arena mem;
} pg_graph;

/* Build and prune.  With --list-functions the graph stops where gprof2dot
 * stops (after the root step) and g->listing holds the text it prints. */
int ps_pg_build(const ps_stats *s, const pg_options *o, pg_graph *g, ps_error *err);
void ps_pg_graph_free(pg_graph *g);
/* Which nodes are alive, one byte each (malloc'd; NULL when out of memory):
 * a walk over the edges reads this instead of a node record per edge, a
 * cache miss each on big graphs. */
uint8_t *ps_pg_alive_nodes(const pg_graph *g);

/* The label text of a node / edge as gprof2dot builds it: lines joined by a
 * real newline (the writers escape it). */
int ps_pg_node_label(const pg_graph *g, const pg_options *o, const pg_node *n, pg_buf *out,
                  ps_error *err);
int ps_pg_edge_label(const pg_graph *g, const pg_edge *e, pg_buf *out);
/* The node's tooltip: the function's full file name. */
const char *ps_pg_node_tooltip(const pg_graph *g, const pg_node *n);

#endif
