/* dot_options.c - prof2dot's options (gprof2dot's, plus --focus, --ignore,
 * --hide, --node-count, --full-names, -o, -T), shared with the browser's
 * `export dot`. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/grow.h"
#include "pstats/graph.h"

enum {
    OPT_HELP = 1, OPT_VERSION, OPT_OUTPUT, OPT_NODE_THRES, OPT_EDGE_THRES, OPT_FORMAT, OPT_TOTAL,
    OPT_COLORMAP, OPT_STRIP, OPT_SELFTIME, OPT_WRAP, OPT_SAMPLES, OPT_TIME_FORMAT, OPT_NODE_LABEL,
    OPT_LIST, OPT_ROOT, OPT_LEAF, OPT_DEPTH, OPT_SKEW, OPT_PATH, OPT_COMPARE, OPT_RENDER,
    OPT_FOCUS, OPT_IGNORE, OPT_HIDE, OPT_SHOW, OPT_SHOW_FROM, OPT_NODE_COUNT, OPT_FULL_NAMES,
    OPT_WRITER, OPT_TOLERANCE, OPT_ONLY_SLOWER, OPT_ONLY_FASTER, OPT_BY_DIFFERENCE, OPT_DIFF,
    OPT_DIFF_TOLERANCE, OPT_DIFF_STRIP
};

typedef struct opt_def {
    const char *name;   /* long name without -- (NULL for a short-only option) */
    char shortc;
    int has_arg;
    int id;
} opt_def;

static const opt_def OPTS[] = {
    {"help", 'h', 0, OPT_HELP},
    {"version", 0, 0, OPT_VERSION},
    {"output", 'o', 1, OPT_OUTPUT},
    {"node-thres", 'n', 1, OPT_NODE_THRES},
    {"edge-thres", 'e', 1, OPT_EDGE_THRES},
    {"format", 'f', 1, OPT_FORMAT},
    {"total", 0, 1, OPT_TOTAL},
    {"colormap", 'c', 1, OPT_COLORMAP},
    {"strip", 's', 0, OPT_STRIP},
    {"color-nodes-by-selftime", 0, 0, OPT_SELFTIME},
    {"colour-nodes-by-selftime", 0, 0, OPT_SELFTIME},
    {"wrap", 'w', 0, OPT_WRAP},
    {"show-samples", 0, 0, OPT_SAMPLES},
    {"time-format", 0, 1, OPT_TIME_FORMAT},
    {"node-label", 0, 1, OPT_NODE_LABEL},
    {"list-functions", 0, 1, OPT_LIST},
    {"root", 'z', 1, OPT_ROOT},
    {"leaf", 'l', 1, OPT_LEAF},
    {"depth", 0, 1, OPT_DEPTH},
    {"skew", 0, 1, OPT_SKEW},
    {"path", 'p', 1, OPT_PATH},
    {"compare", 0, 0, OPT_COMPARE},
    {"compare-tolerance", 0, 1, OPT_TOLERANCE},
    {"compare-only-slower", 0, 0, OPT_ONLY_SLOWER},
    {"compare-only-faster", 0, 0, OPT_ONLY_FASTER},
    {"compare-color-by-difference", 0, 0, OPT_BY_DIFFERENCE},
    {"diff", 0, 1, OPT_DIFF},
    {"diff-tolerance", 0, 1, OPT_DIFF_TOLERANCE},
    {"diff-strip-dirs", 0, 0, OPT_DIFF_STRIP},
    {"render", 'T', 1, OPT_RENDER},
    {"focus", 0, 1, OPT_FOCUS},
    {"ignore", 0, 1, OPT_IGNORE},
    {"hide", 0, 1, OPT_HIDE},
    /* pprof's -show and -show_from; not --show...: gprof2dot's --show-samples
     * is taken by its abbreviations (--show, --sho) */
    {"keep", 0, 1, OPT_SHOW},
    {"keep-from", 0, 1, OPT_SHOW_FROM},
    {"node-count", 0, 1, OPT_NODE_COUNT},
    {"full-names", 0, 0, OPT_FULL_NAMES},
    {"dot-writer", 0, 1, OPT_WRITER},
};
#define NOPTS (sizeof OPTS / sizeof OPTS[0])

static const char *const LABEL_NAMES[] = {
    "total-time-percentage", "self-time-percentage", "total-time", "self-time",
};

void ps_pg_options_init(pg_options *o)
{
    memset(o, 0, sizeof *o);
    o->node_thres = 0.5;
    o->edge_thres = 0.1;
    o->theme = ps_pg_theme_get(PG_THEME_COLOR);
    o->skew = 1.0;
    o->time_format = "%.7g";
    o->depth = -1;
    o->writer = PG_WRITER_AUTO;
    o->tolerance = 0.001;
    o->diff_tolerance = 1.0;
}

void ps_pg_options_free(pg_options *o)
{
    free(o->paths);
    free(o->focus);
    free(o->ignore);
    free(o->hide);
    free(o->show);
    free(o->show_from);
    free(o->inputs);
    o->paths = o->focus = o->ignore = o->hide = o->show = o->show_from = o->inputs = NULL;
    o->npaths = o->nfocus = o->nignore = o->nhide = o->nshow = o->nshow_from = o->ninputs = 0;
}

const char *ps_pg_options_help(void)
{
    return
        "  -o FILE, --output=FILE       output file (default: standard output)\n"
        "  -n PCT, --node-thres=PCT     drop nodes below PCT% of the total time (0.5)\n"
        "  -e PCT, --edge-thres=PCT     drop edges below PCT% of the total time (0.1)\n"
        "  -f pstats, --format=pstats   input format (optional: pstats is the only one)\n"
        "  -c THEME, --colormap=THEME   color, pink, gray, bw or print (color)\n"
        "  -s, --strip                  strip (...) and <...> groups from names\n"
        "  --color-nodes-by-selftime    colour nodes by self time, not total time\n"
        "  -w, --wrap                   wrap names longer than 32 characters\n"
        "  --show-samples               show samples (none in pstats: no effect)\n"
        "  --time-format=FMT            Python %-format of times (%.7g)\n"
        "  --node-label=MEASURE         total-time-percentage, self-time-percentage,\n"
        "                               total-time or self-time; repeatable\n"
        "  --list-functions=SELECTOR    print the functions matching a glob ('*' all,\n"
        "                               '%GLOB' with details) on stderr and stop\n"
        "  -z GLOB, --root=GLOB         keep only what the functions matching GLOB call\n"
        "  -l GLOB, --leaf=GLOB         keep only what calls the functions matching GLOB\n"
        "  --depth=N                    steps from the root or leaf (-1: unlimited)\n"
        "  --skew=S                     colour skew: <1 spreads low, >1 high weights (1)\n"
        "  -p PREFIX, --path=PREFIX     keep only files starting with PREFIX; repeatable\n"
        "  -T FORMAT                    render with Graphviz (png, svg, pdf, ...)\n"
        "  --compare                    gprof2dot's comparison of two inputs, BASE NEW:\n"
        "                               BASE's graph labelled with NEW's differences\n"
        "  --compare-tolerance=PCT      smaller differences count as none (0.001)\n"
        "  --compare-only-slower        show only what got slower in NEW\n"
        "  --compare-only-faster        show only what got faster in NEW\n"
        "  --compare-color-by-difference  colour nodes by the size of their difference\n"
        "  --diff=BASE                  the inputs' graph coloured by change against BASE\n"
        "                               (red slower, blue faster, grey within tolerance)\n"
        "  --diff-tolerance=PCT         changes under PCT% of BASE's total time are grey (1)\n"
        "  --diff-strip-dirs            strip both sides' directories first (pstats'\n"
        "                               strip_dirs), to match across installs\n"
        "  --focus=RE                   keep only call paths through functions matching RE\n"
        "  --ignore=RE                  drop functions matching RE and what only they reach\n"
        "  --hide=RE                    drop functions matching RE, linking their callers\n"
        "                               to their callees (estimated edges are dotted)\n"
        "  --keep=RE                    keep only functions matching RE, linking as --hide\n"
        "                               (pprof's -show)\n"
        "  --keep-from=RE               drop what lies above the functions matching RE\n"
        "                               (pprof's -show_from)\n"
        "  --node-count=N               keep the N heaviest nodes (0: all)\n"
        "  --full-names                 full file names instead of module names\n"
        "  --dot-writer=auto|cgraph|text  how dot text is written (auto: cgraph up to\n"
        "                               20000 nodes and edges, then a streaming writer)\n"
        "  RE are Python regular expressions on file:line(function); GLOB are shell\n"
        "  patterns on the node names (module:line:function).\n";
}

static int usage_err(ps_error *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int usage_err(ps_error *e, const char *fmt, ...)
{
    char msg[sizeof e->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return ps_error_set(e, PS_EUSAGE, -1, "%s", msg);
}

static int parse_float(const char *opt, const char *v, double *out, ps_error *e)
{
    char *end;
    errno = 0;
    while (isspace((unsigned char)*v))
        v++;
    double d = strtod(v, &end);
    while (end != v && isspace((unsigned char)*end))
        end++;
    if (end == v || *end)
        return usage_err(e, "option %s: invalid floating-point value: '%s'", opt, v);
    *out = d;
    return 0;
}

static int parse_long(const char *opt, const char *v, long *out, ps_error *e)
{
    char *end;
    errno = 0;
    const char *s = v;
    while (isspace((unsigned char)*s))
        s++;
    int base = 10;
    const char *digits = s + (*s == '-' || *s == '+');
    if (digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X'))
        base = 16;
    long l = strtol(s, &end, base);
    while (end != s && isspace((unsigned char)*end))
        end++;
    if (end == s || *end || errno)
        return usage_err(e, "option %s: invalid integer value: '%s'", opt, v);
    *out = l;
    return 0;
}

static int push_str(const char ***arr, size_t *n, const char *s, ps_error *e)
{
    /* no capacity in pg_options: one more each time (options are few) */
    if (ps_resize(arr, *n + 1, sizeof **arr) < 0)
        return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
    (*arr)[(*n)++] = s;
    return 0;
}

static int apply_opt(pg_options *o, const opt_def *d, const char *shown, const char *v, ps_error *e)
{
    switch (d->id) {
    case OPT_HELP: o->help = 1; return 0;
    case OPT_VERSION: o->version = 1; return 0;
    case OPT_OUTPUT: o->output = v; return 0;
    case OPT_NODE_THRES: return parse_float(shown, v, &o->node_thres, e);
    case OPT_EDGE_THRES: return parse_float(shown, v, &o->edge_thres, e);
    case OPT_FORMAT:
        if (strcmp(v, "pstats") != 0)
            return usage_err(e, "option %s: only pstats input is supported (got '%s')", shown, v);
        o->format = v;
        return 0;
    case OPT_TOTAL:
        if (strcmp(v, "callratios") != 0 && strcmp(v, "callstacks") != 0)
            return usage_err(e, "option %s: invalid choice: '%s' (choose from 'callratios', 'callstacks')",
                             shown, v);
        o->total = v;
        return 0;
    case OPT_COLORMAP: {
        const pg_theme *t = ps_pg_theme_find(v);
        if (!t)
            return usage_err(e, "option %s: invalid choice: '%s' (choose from 'color', 'pink', 'gray', "
                             "'bw', 'print')", shown, v);
        o->theme = t;
        return 0;
    }
    case OPT_STRIP: o->strip = 1; return 0;
    case OPT_SELFTIME: o->color_by_selftime = 1; return 0;
    case OPT_WRAP: o->wrap = 1; return 0;
    case OPT_SAMPLES: o->show_samples = 1; return 0;
    case OPT_TIME_FORMAT: o->time_format = v; return 0;
    case OPT_NODE_LABEL:
        for (int i = 0; i < 4; i++)
            if (strcmp(v, LABEL_NAMES[i]) == 0) {
                if (o->nlabels == PG_MAX_LABELS)
                    return usage_err(e, "option %s: at most %d labels", shown, PG_MAX_LABELS);
                o->labels[o->nlabels++] = i;
                return 0;
            }
        return usage_err(e, "option %s: invalid choice: '%s' (choose from 'self-time', "
                         "'self-time-percentage', 'total-time', 'total-time-percentage')", shown, v);
    case OPT_LIST: o->list_functions = v; return 0;
    case OPT_ROOT: o->root = v; return 0;
    case OPT_LEAF: o->leaf = v; return 0;
    case OPT_DEPTH: return parse_long(shown, v, &o->depth, e);
    case OPT_SKEW:
        if (parse_float(shown, v, &o->skew, e) < 0)
            return -1;
        if (o->skew < 0)
            return usage_err(e, "option %s: skew must be greater than 0 (got %s)", shown, v);
        if (o->skew == 0.0)
            o->skew = 1.0;           /* gprof2dot: 0 leaves the theme's skew */
        return 0;
    case OPT_PATH: return push_str(&o->paths, &o->npaths, v, e);
    case OPT_COMPARE: o->compare = 1; return 0;
    case OPT_TOLERANCE:
        if (parse_float(shown, v, &o->tolerance, e) < 0)
            return -1;
        /* gprof2dot takes log10 of it: math domain error at 0 or below */
        if (!(o->tolerance > 0) || !isfinite(o->tolerance))
            return usage_err(e, "option %s: must be a positive number (got %s)", shown, v);
        return 0;
    case OPT_ONLY_SLOWER: o->only_slower = 1; return 0;
    case OPT_ONLY_FASTER: o->only_faster = 1; return 0;
    case OPT_BY_DIFFERENCE: o->color_by_difference = 1; return 0;
    case OPT_DIFF:
        if (!*v)
            return usage_err(e, "option %s: empty file name", shown);
        o->diff_base = v;
        return 0;
    case OPT_DIFF_STRIP: o->diff_strip_dirs = 1; return 0;
    case OPT_DIFF_TOLERANCE:
        if (parse_float(shown, v, &o->diff_tolerance, e) < 0)
            return -1;
        if (!(o->diff_tolerance >= 0) || !isfinite(o->diff_tolerance))
            return usage_err(e, "option %s: must be 0 or more (got %s)", shown, v);
        return 0;
    case OPT_RENDER:
        if (!*v)
            return usage_err(e, "option %s: empty format", shown);
        o->render = v;
        return 0;
    case OPT_FOCUS: return push_str(&o->focus, &o->nfocus, v, e);
    case OPT_IGNORE: return push_str(&o->ignore, &o->nignore, v, e);
    case OPT_HIDE: return push_str(&o->hide, &o->nhide, v, e);
    case OPT_SHOW: return push_str(&o->show, &o->nshow, v, e);
    case OPT_SHOW_FROM: return push_str(&o->show_from, &o->nshow_from, v, e);
    case OPT_NODE_COUNT:
        if (parse_long(shown, v, &o->node_count, e) < 0)
            return -1;
        if (o->node_count < 0)
            return usage_err(e, "option %s: must be 0 or more (got %s)", shown, v);
        return 0;
    case OPT_FULL_NAMES: o->full_names = 1; return 0;
    case OPT_WRITER:
        if (!strcmp(v, "auto"))
            o->writer = PG_WRITER_AUTO;
        else if (!strcmp(v, "cgraph"))
            o->writer = PG_WRITER_CGRAPH;
        else if (!strcmp(v, "text"))
            o->writer = PG_WRITER_TEXT;
        else
            return usage_err(e, "option %s: invalid choice: '%s' (choose from 'auto', 'cgraph', 'text')",
                             shown, v);
        return 0;
    }
    return usage_err(e, "option %s: not handled", shown);
}

int ps_pg_options_parse(pg_options *o, int argc, char **argv, ps_error *e)
{
    ps_error_clear(e);
    int only_args = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (only_args || a[0] != '-' || a[1] == '\0') {
            if (push_str(&o->inputs, &o->ninputs, a, e) < 0)
                return -1;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_args = 1;
            continue;
        }
        if (a[1] == '-') {
            const char *name = a + 2;
            const char *eq = strchr(name, '=');
            size_t nl = eq ? (size_t)(eq - name) : strlen(name);
            const opt_def *hit = NULL;
            int nhits = 0;
            char cands[256] = "";
            for (size_t k = 0; k < NOPTS; k++) {
                if (!OPTS[k].name || strncmp(OPTS[k].name, name, nl) != 0)
                    continue;
                if (strlen(OPTS[k].name) == nl) {   /* exact */
                    hit = &OPTS[k];
                    nhits = 1;
                    break;
                }
                if (!hit || hit->id != OPTS[k].id)
                    nhits++;
                hit = &OPTS[k];
                size_t cl = strlen(cands);
                snprintf(cands + cl, sizeof cands - cl, "%s--%s", cl ? ", " : "", OPTS[k].name);
            }
            if (!hit)
                return usage_err(e, "no such option: --%.*s", (int)nl, name);
            if (nhits > 1)
                return usage_err(e, "ambiguous option: --%.*s (%s?)", (int)nl, name, cands);
            char shown[80];
            snprintf(shown, sizeof shown, "--%s", hit->name);
            const char *v = NULL;
            if (hit->has_arg) {
                if (eq)
                    v = eq + 1;
                else if (i + 1 < argc)
                    v = argv[++i];
                else
                    return usage_err(e, "%s option requires an argument", shown);
            } else if (eq) {
                return usage_err(e, "%s option does not take a value", shown);
            }
            if (apply_opt(o, hit, shown, v, e) < 0)
                return -1;
            continue;
        }
        /* short options, clustered: -sw, -n0, -n 0 */
        for (const char *p = a + 1; *p; p++) {
            const opt_def *hit = NULL;
            for (size_t k = 0; k < NOPTS; k++)
                if (OPTS[k].shortc == *p) {
                    hit = &OPTS[k];
                    break;
                }
            if (!hit)
                return usage_err(e, "no such option: -%c", *p);
            char shown[4] = {'-', *p, '\0', '\0'};
            if (!hit->has_arg) {
                if (apply_opt(o, hit, shown, NULL, e) < 0)
                    return -1;
                continue;
            }
            const char *v;
            if (p[1])
                v = p + 1;
            else if (i + 1 < argc)
                v = argv[++i];
            else
                return usage_err(e, "%s option requires an argument", shown);
            if (apply_opt(o, hit, shown, v, e) < 0)
                return -1;
            break;
        }
    }
    return 0;
}
