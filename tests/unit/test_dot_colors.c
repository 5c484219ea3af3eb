/* test_dot_colors - prof2dot's colour themes: the HSL interpolation, skew and
 * gamma of gprof2dot.py's Theme class at weights 0, 0.5 and 1 for every theme and a few
 * skews, the font sizes and pen widths, and a cross-check against the colours
 * gprof2dot put on the nodes and edges of the recorded graphs. */
#include <math.h>
#include <stdlib.h>
#include "base/pycompat.h"
#include "pstats/graph.h"
#include "test.h"

/* Worked out from gprof2dot.py's Theme formulas (min/max HSL per theme,
 * (k^w - 1)/(k - 1) skew, CSS3 HSL->RGB, channel^gamma, int(255c + 0.5)). */
static const struct {
    const char *theme;
    double skew;
    const char *at[3];   /* w = 0, 0.5, 1 */
} EXPECT[] = {
    {"color", 1.0, {"#0d0d73", "#0ab60a", "#ff0000"}},
    {"color", 0.5, {"#0d0d73", "#48c208", "#ff0000"}},
    {"color", 3.0, {"#0d0d73", "#0ba35d", "#ff0000"}},
    {"color", 0.2, {"#0d0d73", "#a1d107", "#ff0000"}},
    {"pink", 1.0, {"#ff9c9c", "#ff2222", "#ff0000"}},
    {"pink", 0.5, {"#ff9c9c", "#ff1616", "#ff0000"}},
    {"pink", 3.0, {"#ff9c9c", "#ff3939", "#ff0000"}},
    {"pink", 0.2, {"#ff9c9c", "#ff0c0c", "#ff0000"}},
    {"gray", 1.0, {"#b2b2b2", "#272727", "#000000"}},
    {"gray", 0.5, {"#b2b2b2", "#1a1a1a", "#000000"}},
    {"gray", 3.0, {"#b2b2b2", "#414141", "#000000"}},
    {"gray", 0.2, {"#b2b2b2", "#0d0d0d", "#000000"}},
    {"bw", 1.0, {"#000000", "#000000", "#000000"}},
    {"bw", 0.2, {"#000000", "#000000", "#000000"}},
    {"print", 1.0, {"#000000", "#000000", "#000000"}},
    {"print", 3.0, {"#000000", "#000000", "#000000"}},
};

static void test_formula(void)
{
    static const double W[3] = {0.0, 0.5, 1.0};
    for (size_t i = 0; i < sizeof EXPECT / sizeof EXPECT[0]; i++) {
        const pg_theme *t = ps_pg_theme_find(EXPECT[i].theme);
        CHECK(t != NULL);
        if (!t)
            continue;
        for (int k = 0; k < 3; k++) {
            char hex[8];
            ps_pg_color_hex(t, EXPECT[i].skew, W[k], hex);
            CHECK_STR(hex, EXPECT[i].at[k]);
        }
    }
    /* the anchors, and clamping of the weight */
    const pg_theme *c = ps_pg_theme_get(PG_THEME_COLOR);
    char hex[8];
    ps_pg_color_hex(c, 1.0, 0.0, hex);
    CHECK_STR(hex, "#0d0d73");
    ps_pg_color_hex(c, 1.0, 1.0, hex);
    CHECK_STR(hex, "#ff0000");
    ps_pg_color_hex(c, 1.0, -3.0, hex);
    CHECK_STR(hex, "#0d0d73");
    ps_pg_color_hex(c, 1.0, 7.0, hex);
    CHECK_STR(hex, "#ff0000");
    ps_pg_color_hex(c, 1.0, NAN, hex);
    CHECK_STR(hex, "#0d0d73");
    CHECK(ps_pg_theme_find("colour") == NULL);
    CHECK(ps_pg_theme_find("print") == ps_pg_theme_get(PG_THEME_PRINT));

    /* HSL -> RGB and the byte conversion on their own */
    double rgb[3];
    ps_pg_hsl_to_rgb(c, 0.0, 1.0, 0.5, rgb);       /* pure red, gamma 1 */
    CHECK(rgb[0] == 1.0 && rgb[1] == 0.0 && rgb[2] == 0.0);
    ps_pg_hsl_to_rgb(c, 1.0 + 1.0 / 3.0, 1.0, 0.5, rgb);   /* hue taken mod 1: green */
    CHECK(fabs(rgb[1] - 1.0) < 1e-12 && rgb[0] < 1e-12);
    ps_pg_hsl_to_rgb(c, -1.0 / 3.0, 1.0, 0.5, rgb);        /* negative hue: blue */
    CHECK(fabs(rgb[2] - 1.0) < 1e-12);
    ps_pg_hsl_to_rgb(ps_pg_theme_get(PG_THEME_GRAY), 0.0, 0.0, 0.5, rgb);  /* 0.5 ** 2.2 */
    CHECK(fabs(rgb[0] - pow(0.5, 2.2)) < 1e-15);
    double mixed[3] = {-0.5, 0.5, 1.5};
    ps_pg_rgb_hex(mixed, hex);
    CHECK_STR(hex, "#0080ff");
    double tiny[3] = {1.0 / 510.0 - 1e-12, 1.0 / 510.0 + 1e-12, 0.997};
    ps_pg_rgb_hex(tiny, hex);                      /* int(255c + 0.5) */
    CHECK_STR(hex, "#0001fe");
}

static void test_sizes(void)
{
    const pg_theme *c = ps_pg_theme_get(PG_THEME_COLOR), *bw = ps_pg_theme_get(PG_THEME_BW),
                   *pr = ps_pg_theme_get(PG_THEME_PRINT);
    char s[32];
    /* color: font 10 throughout; pen max(4w, 0.5); arrow 0.5 sqrt(pen) */
    ps_pg_fmt2(s, ps_pg_fontsize(c, 1.0));
    CHECK_STR(s, "10.00");
    ps_pg_fmt2(s, ps_pg_penwidth(c, 0.0));
    CHECK_STR(s, "0.50");
    ps_pg_fmt2(s, ps_pg_penwidth(c, 0.5));
    CHECK_STR(s, "2.00");
    ps_pg_fmt2(s, ps_pg_penwidth(c, 1.0));
    CHECK_STR(s, "4.00");
    ps_pg_fmt2(s, ps_pg_arrowsize(c, 0.0));
    CHECK_STR(s, "0.35");
    ps_pg_fmt2(s, ps_pg_arrowsize(c, 0.5));
    CHECK_STR(s, "0.71");
    ps_pg_fmt2(s, ps_pg_arrowsize(c, 1.0));
    CHECK_STR(s, "1.00");
    /* bw: font max(24 w^2, 8), pen max(8w, 0.1) */
    ps_pg_fmt2(s, ps_pg_fontsize(bw, 0.5));
    CHECK_STR(s, "8.00");
    ps_pg_fmt2(s, ps_pg_fontsize(bw, 0.75));
    CHECK_STR(s, "13.50");
    ps_pg_fmt2(s, ps_pg_fontsize(bw, 1.0));
    CHECK_STR(s, "24.00");
    ps_pg_fmt2(s, ps_pg_penwidth(bw, 0.0));
    CHECK_STR(s, "0.10");
    /* print: font max(30 w^2, 18) */
    ps_pg_fmt2(s, ps_pg_fontsize(pr, 0.5));
    CHECK_STR(s, "18.00");
    ps_pg_fmt2(s, ps_pg_fontsize(pr, 1.0));
    CHECK_STR(s, "30.00");
    CHECK_STR(pr->nodestyle, "solid");
    CHECK_STR(pr->fontcolor, "black");
    CHECK_STR(c->nodestyle, "filled");
    /* "%.2f" itself: ties go to even as in C and Python */
    ps_pg_fmt2(s, 0.125);
    CHECK_STR(s, "0.12");
    ps_pg_fmt2(s, 0.375);
    CHECK_STR(s, "0.38");
    ps_pg_fmt2(s, 2.675);        /* 2.67499999... */
    CHECK_STR(s, "2.67");
    ps_pg_fmt2(s, 99.995);       /* 99.99500000000000454... */
    CHECK_STR(s, "100.00");
    ps_pg_fmt2(s, 0.005);        /* 0.005000000000000000104... */
    CHECK_STR(s, "0.01");
    ps_pg_fmt2(s, 1e7 + 0.005);
    CHECK_STR(s, "10000000.01");
}

/* The colour gprof2dot gave node (or edge "A -> B") `id` in a golden file. */
static int golden_color(const char *path, const char *id, char out[8])
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[70000], want[64];
    snprintf(want, sizeof want, "\t%s [", id);
    int found = -1;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, want, strlen(want)) != 0)
            continue;
        const char *p = strstr(line, "color=\"#");
        if (p) {
            memcpy(out, p + 7, 7);
            out[7] = '\0';
            found = 0;
        }
        break;
    }
    fclose(f);
    return found;
}

/* Every node and edge gprof2dot drew for a dump and option set gets the same
 * colour from ps_pg_color_hex at the weight ps_pg_build computes. */
static void cross_check(const char *dump, const char *golden, const char *theme, double skew,
                        double node_thres, double edge_thres, int selftime)
{
    ps_stats *s = ps_stats_new();
    ps_error e;
    ps_error_clear(&e);
    if (ps_stats_load_file(s, dump, &e) < 0) {
        fprintf(stderr, "%s: %s\n", dump, e.msg);
        CHECK(0);
        ps_stats_free(s);
        return;
    }
    pg_options o;
    ps_pg_options_init(&o);
    o.theme = ps_pg_theme_find(theme);
    o.skew = skew;
    o.node_thres = node_thres;
    o.edge_thres = edge_thres;
    o.color_by_selftime = selftime;
    pg_graph g;
    CHECK(ps_pg_build(s, &o, &g, &e) == 0);
    int checked = 0, same = 0;
    for (uint32_t i = 0; i < g.nnodes; i++) {
        const pg_node *n = &g.nodes[i];
        if (!n->alive)
            continue;
        char id[32], want[8], got[8];
        snprintf(id, sizeof id, "%u", n->id);
        if (golden_color(golden, id, want) < 0)
            continue;
        ps_pg_color_hex(o.theme, skew, n->weight, got);
        checked++;
        same += strcmp(got, want) == 0;
        for (uint32_t k = 0; k < n->out_n; k++) {
            const pg_edge *ed = &g.edges[n->out_first + k];
            if (!ed->alive || !g.nodes[ed->callee].alive)
                continue;
            snprintf(id, sizeof id, "%u -> %u", n->id, ed->callee);
            if (golden_color(golden, id, want) < 0)
                continue;
            ps_pg_color_hex(o.theme, skew, ed->weight, got);
            checked++;
            same += strcmp(got, want) == 0;
        }
    }
    if (same != checked || checked < 5)
        fprintf(stderr, "%s: %d of %d colours as gprof2dot's\n", golden, same, checked);
    CHECK(checked >= 5);
    CHECK(same == checked);
    ps_pg_graph_free(&g);
    ps_pg_options_free(&o);
    ps_stats_free(s);
}

int main(void)
{
    test_formula();
    test_sizes();
    const char *D = "tests/dot/dumps/", *G = "tests/dot/golden/";
    static const struct {
        const char *name, *set, *theme;
        double skew, n, e;
        int selftime;
    } CASES[] = {
        {"recur-cprofile-3.10", "default", "color", 1.0, 0.5, 0.1, 0},
        {"recur-cprofile-3.10", "selftime", "color", 1.0, 0.5, 0.1, 1},
        {"unittest-difflib-cprofile-3.11", "default", "color", 1.0, 0.5, 0.1, 0},
        {"unittest-difflib-cprofile-3.11", "gray", "gray", 0.5, 1.0, 0.5, 0},
        {"unittest-difflib-cprofile-3.11", "pink", "pink", 3.0, 2.0, 0.1, 0},
        {"tokenize-cprofile-3.13", "bw", "bw", 0.2, 0.5, 0.1, 0},
        {"tokenize-cprofile-3.13", "all", "color", 1.0, 0.0, 0.0, 0},
        {"recur-profile-3.12", "pink", "pink", 3.0, 2.0, 0.1, 0},
        {"difflib-yappi-3.11", "gray", "gray", 0.5, 1.0, 0.5, 0},
    };
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        char dump[256], golden[256];
        snprintf(dump, sizeof dump, "%s%s.prof", D, CASES[i].name);
        snprintf(golden, sizeof golden, "%s%s.%s.dot", G, CASES[i].name, CASES[i].set);
        cross_check(dump, golden, CASES[i].theme, CASES[i].skew, CASES[i].n, CASES[i].e, CASES[i].selftime);
    }
    return TEST_SUMMARY();
}
