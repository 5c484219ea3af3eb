/* flame.c - a self-contained SVG flame graph of estimated stacks: one
 * rectangle per frame, widths by time, the root at the bottom, children in
 * name order, a hover title with the time and share of each frame, colours
 * from a hash of the function (the same function has the same colour in
 * every graph).  A small script (src/html/flame.js, built in) makes it
 * interactive as flamegraph.pl's SVGs are: click to zoom, reset, search with
 * highlight; without it (an image viewer) the graph is the same.  No
 * external font, file or tool. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "base/outbuf.h"
#include "base/utf8.h"
#include "pstats/folded.h"

#include "flame_js.inc"   /* flame_js: the SVG's script (build/gen) */

#define ROW_H      16
#define FONT_SIZE  12
#define CHAR_W     7.1      /* average advance of a 12px sans-serif glyph */
#define PAD_X      10
#define PAD_TOP    58       /* title and subtitle */
#define PAD_BOTTOM 10
#define MIN_WIDTH  0.1      /* narrower frames are not drawn */

/* XML text: &<>"' escaped, control characters and invalid UTF-8 as U+FFFD
 * (so the document is always well-formed), at most max_cp code points
 * (0 = all). */
static void xml_text(outbuf *b, const char *s, size_t n, size_t max_cp)
{
    size_t i = 0, cps = 0;
    while (i < n) {
        if (max_cp && cps == max_cp)
            break;
        uint32_t cp = 0;
        size_t len = utf8_decode((const unsigned char *)s + i, n - i, &cp, UTF8_XML);
        int ok = len > 0;
        if (ok && cp < 0x20 && cp != '\t' && cp != '\n')
            ok = 0;
        cps++;
        if (!ok) {
            ob_lit(b, "\xef\xbf\xbd");
            i++;
            continue;
        }
        switch (cp) {
        case '&': ob_lit(b, "&amp;"); break;
        case '<': ob_lit(b, "&lt;"); break;
        case '>': ob_lit(b, "&gt;"); break;
        case '"': ob_lit(b, "&quot;"); break;
        case '\'': ob_lit(b, "&apos;"); break;
        default: ob_mem(b, s + i, len); break;
        }
        i += len;
    }
}

static size_t utf8_cps(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xc0) != 0x80)
            n++;
    return n;
}

/* A time with a unit that keeps 3-4 significant digits. */
static void fmt_time(char *buf, size_t size, double sec)
{
    if (sec >= 1)
        snprintf(buf, size, "%.3f s", sec);
    else if (sec >= 1e-3)
        snprintf(buf, size, "%.3f ms", sec * 1e3);
    else
        snprintf(buf, size, "%.3f us", sec * 1e6);
}

static void ob_fixed(outbuf *b, double v)
{
    char tmp[48];
    int n = snprintf(tmp, sizeof tmp, "%.1f", v);
    ob_mem(b, tmp, (size_t)n);
}

/* FNV-1a of the function's text: warm colours, red to yellow. */
static void frame_colour(const char *label, int *r, int *g, int *bl)
{
    uint32_t h = 2166136261u;
    for (const char *p = label; *p && *p != ' '; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    uint32_t h2 = h;
    for (const char *p = label; *p; p++)
        h2 = (h2 ^ (unsigned char)*p) * 16777619u;
    double a = (h & 0xffff) / 65535.0, c = ((h2 >> 16) & 0xffff) / 65535.0;
    *r = 205 + (int)(50 * c);
    *g = (int)(230 * a);
    *bl = (int)(55 * (1 - a));
}

/* A differential graph's colour, as flamegraph.pl draws one: red grew, blue
 * shrank, white-ish unchanged, paler the smaller |delta| / maxdelta. */
static void delta_colour(double delta, double maxdelta, int *r, int *g, int *bl)
{
    int c = maxdelta > 0 ? (int)(210 * (maxdelta - fabs(delta)) / maxdelta) : 210;
    if (delta > 0)
        *r = 255, *g = *bl = c;
    else if (delta < 0)
        *r = *g = c, *bl = 255;
    else
        *r = *g = *bl = 250;
}

typedef struct child_item {
    uint32_t parent, node;
    const char *label;
} child_item;

static int child_cmp(const void *pa, const void *pb)
{
    const child_item *a = pa, *b = pb;
    if (a->parent != b->parent)
        return a->parent < b->parent ? -1 : 1;
    int c = strcmp(a->label, b->label);
    if (c)
        return c;
    return a->node < b->node ? -1 : a->node > b->node;
}

static void rect(outbuf *b, double x, double y, double w, const char *fill_rgb)
{
    ob_lit(b, "<rect x=\"");
    ob_fixed(b, x);
    ob_lit(b, "\" y=\"");
    ob_fixed(b, y);
    ob_lit(b, "\" width=\"");
    ob_fixed(b, w);
    ob_lit(b, "\" height=\"");
    ob_int(b, ROW_H - 1);
    ob_lit(b, "\" fill=\"");
    ob_str(b, fill_rgb);
    ob_lit(b, "\" rx=\"2\"/>");
}

/* Pixels for seconds out of total across inner pixels: the share as the
 * stats layer bounds it (ps_share: a denormal total, NaN, a share above 1). */
static double frame_width(double seconds, double total, double inner)
{
    return inner * ps_share(seconds, total);
}

static void label_text(outbuf *b, double x, double y, double w, const char *label)
{
    /* w is at most the chart's width (frame_width), so the cast is defined */
    double room = (w - 6) / CHAR_W;
    if (!(room >= 3))
        return;
    size_t fit = (size_t)room;
    size_t cps = utf8_cps(label);
    ob_lit(b, "<text x=\"");
    ob_fixed(b, x + 3);
    ob_lit(b, "\" y=\"");
    ob_fixed(b, y + ROW_H - 4.5);
    ob_lit(b, "\">");
    if (cps <= fit) {
        xml_text(b, label, strlen(label), 0);
    } else {
        xml_text(b, label, strlen(label), fit - 2);
        ob_lit(b, "..");
    }
    ob_lit(b, "</text>");
}

int ps_folded_write_svg(folded_stacks *fs, const folded_options *o, FILE *fp, const char *what,
                     ps_error *e)
{
    folded_options defaults;
    if (!o) {
        ps_folded_options_init(&defaults);
        o = &defaults;
    }
    uint32_t nn = fs->nnodes;
    double *x = malloc(((size_t)nn + 1) * sizeof *x);
    child_item *items = malloc(((size_t)nn + 1) * sizeof *items);
    outbuf *b = malloc(sizeof *b);
    int rc = -1;
    if (!x || !items || !b) {
        ps_error_set(e, PS_ENOMEM, -1, "out of memory");
        goto done;
    }
    for (uint32_t i = 0; i < nn; i++) {
        const char *l = ps_folded_label(fs, fs->nodes[i].func);
        if (!l) {
            ps_error_set(e, PS_ENOMEM, -1, "out of memory");
            goto done;
        }
        items[i] = (child_item){fs->nodes[i].parent, i, l};
    }
    qsort(items, nn, sizeof *items, child_cmp);
    /* x offsets in seconds: roots side by side, then each parent's children
     * (a parent's index is below its children's, so its x is known first). */
    double run = 0;
    for (uint32_t i = 0; i < nn; i++)
        if (items[i].parent == FOLDED_NONE) {
            x[items[i].node] = run;
            run += fs->nodes[items[i].node].total;
        }
    for (uint32_t i = 0; i < nn;) {
        uint32_t p = items[i].parent;
        if (p == FOLDED_NONE)
            break;
        double cx = x[p];
        for (; i < nn && items[i].parent == p; i++) {
            x[items[i].node] = cx;
            cx += fs->nodes[items[i].node].total;
        }
    }
    double total = fs->total > 0 ? fs->total : 1;
    double inner = (double)(o->width - 2 * PAD_X);
    uint32_t maxdepth = 0;
    for (uint32_t i = 0; i < nn; i++)
        if (frame_width(fs->nodes[i].total, total, inner) >= MIN_WIDTH && fs->nodes[i].depth > maxdepth)
            maxdepth = fs->nodes[i].depth;
    int rows = nn ? (int)maxdepth + 2 : 1;            /* + the "all" row */
    double maxdelta = 0;
    for (uint32_t i = 0; fs->delta && i < nn; i++)
        if (fabs(fs->delta[i]) > maxdelta)
            maxdelta = fabs(fs->delta[i]);
    int height = PAD_TOP + rows * ROW_H + PAD_BOTTOM;
    double base_y = PAD_TOP + (rows - 1) * ROW_H;     /* the "all" row */

    ob_init(b, fp);
    const char *title = o->title ? o->title
                        : fs->inverted ? "Inverted flame graph (callers)" : "Flame graph";
    ob_lit(b, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n"
              "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"");
    ob_int(b, o->width);
    ob_lit(b, "\" height=\"");
    ob_int(b, height);
    ob_lit(b, "\" viewBox=\"0 0 ");
    ob_int(b, o->width);
    ob_char(b, ' ');
    ob_int(b, height);
    ob_lit(b, "\" data-pad=\"");    /* the geometry the script needs */
    ob_int(b, PAD_X);
    ob_lit(b, "\" data-row=\"");
    ob_int(b, ROW_H);
    ob_lit(b, "\">\n<style>\n"
              "text { font-family: Verdana, 'DejaVu Sans', sans-serif; font-size: 12px; fill: #000; }\n"
              "text.title { font-size: 17px; text-anchor: middle; }\n"
              "text.sub { font-size: 12px; fill: #555; text-anchor: middle; }\n"
              "g.f text { pointer-events: none; }\n"
              "g.f:hover rect { stroke: #000; stroke-width: 0.8; }\n"
              "g.f { cursor: pointer; }\n"
              "g.parent rect { opacity: 0.55; }\n"
              "text.btn { fill: #2457c5; cursor: pointer; }\n"
              "</style>\n"
              "<rect x=\"0\" y=\"0\" width=\"100%\" height=\"100%\" fill=\"#f8f8f0\"/>\n");
    ob_lit(b, "<text class=\"title\" x=\"");
    ob_int(b, o->width / 2);
    ob_lit(b, "\" y=\"24\">");
    xml_text(b, title, strlen(title), 0);
    ob_lit(b, "</text>\n<text class=\"sub\" x=\"");
    ob_int(b, o->width / 2);
    ob_lit(b, "\" y=\"44\">");
    {
        char tt[48], sub[512];
        fmt_time(tt, sizeof tt, fs->total);
        snprintf(sub, sizeof sub,
                 "%s%stotal %s; stacks estimated from caller/callee totals (pstats has no stacks)",
                 o->subtitle ? o->subtitle : "", o->subtitle ? " - " : "", tt);
        xml_text(b, sub, strlen(sub), 0);
    }
    ob_lit(b, "</text>\n");
    /* the script's controls */
    ob_lit(b, "<text id=\"fg-reset\" class=\"btn\" x=\"");
    ob_int(b, PAD_X);
    ob_lit(b, "\" y=\"24\" style=\"display:none\">Reset zoom</text>\n<text id=\"fg-search\" "
              "class=\"btn\" text-anchor=\"end\" x=\"");
    ob_int(b, o->width - PAD_X);
    ob_lit(b, "\" y=\"24\">Search</text>\n<text id=\"fg-matched\" text-anchor=\"end\" x=\"");
    ob_int(b, o->width - PAD_X - 70);
    ob_lit(b, "\" y=\"24\"></text>\n");

    /* The "all" frame. */
    {
        char tt[48], lab[160];
        fmt_time(tt, sizeof tt, fs->total);
        snprintf(lab, sizeof lab, "all (%s, 100%%)", tt);
        ob_lit(b, "<g class=\"f\"><title>");
        xml_text(b, lab, strlen(lab), 0);
        ob_lit(b, "</title>");
        rect(b, PAD_X, base_y, inner, "rgb(190,190,190)");
        label_text(b, PAD_X, base_y, inner, lab);
        ob_lit(b, "</g>\n");
    }
    for (uint32_t i = 0; i < nn; i++) {
        const folded_node *nd = &fs->nodes[i];
        double w = frame_width(nd->total, total, inner);
        if (!(w >= MIN_WIDTH))
            continue;
        const char *label = fs->labels[nd->func];
        double fx = PAD_X + frame_width(x[i], total, inner);
        double fy = base_y - (double)(nd->depth + 1) * ROW_H;
        char info[200], tt[48], st[48], fill[32];
        fmt_time(tt, sizeof tt, nd->total);
        fmt_time(st, sizeof st, nd->self);
        snprintf(info, sizeof info, "\n%s, %.2f%% (self %s)", tt, 100.0 * nd->total / total, st);
        int r, g, bl;
        if (fs->delta) {
            size_t used = strlen(info);
            snprintf(info + used, sizeof info - used, ", %+.3f ms", fs->delta[i] * 1e3);
            delta_colour(fs->delta[i], maxdelta, &r, &g, &bl);
        } else {
            frame_colour(label, &r, &g, &bl);
        }
        snprintf(fill, sizeof fill, "rgb(%d,%d,%d)", r, g, bl);
        ob_lit(b, "<g class=\"f\"><title>");
        xml_text(b, label, strlen(label), 0);
        xml_text(b, info, strlen(info), 0);
        ob_lit(b, "</title>");
        rect(b, fx, fy, w, fill);
        label_text(b, fx, fy, w, label);
        ob_lit(b, "</g>\n");
    }
    ob_lit(b, "<script type=\"text/ecmascript\"><![CDATA[\n");
    ob_mem(b, (const char *)flame_js, sizeof flame_js);
    ob_lit(b, "]]></script>\n</svg>\n");
    rc = ob_finish(b, what, e);
done:
    free(x);
    free(items);
    free(b);
    return rc;
}
