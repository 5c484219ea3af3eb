/* dot.c - a pg_graph as Graphviz dot (cgraph or streaming) or rendered with
 * libgvc (see dot.h). */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cgraph.h>
#include <gvc.h>
#include "base/pycompat.h"
#include "pstats/dot.h"
#include "pstats/export.h"
#include "output/dot_int.h"

static int nomem(ps_error *e)
{
    return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
}

void ps_dot_escape(pg_buf *out, const char *s, size_t len)
{
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
        const char *rep = NULL;
        if (s[i] == '\\')
            rep = "\\\\";
        else if (s[i] == '\n')
            rep = "\\n";
        else if (s[i] == '\t')
            rep = "\\t";
        if (!rep)
            continue;
        ps_pg_buf_add(out, s + run, i - run);
        ps_pg_buf_add(out, rep, 2);
        run = i + 1;
    }
    ps_pg_buf_add(out, s + run, len - run);
}

#define fmt2 ps_pg_fmt2

/* The numbers of one drawn element, as gprof2dot formats them. */
typedef struct look {
    char color[8];
    char fontsize[32], penwidth[32], arrowsize[32];
} look;

static void edge_look(const pg_options *o, double w, look *l)
{
    const pg_theme *t = o->theme;
    ps_pg_color_hex(t, o->skew, w, l->color);
    fmt2(l->fontsize, ps_pg_fontsize(t, w));
    fmt2(l->penwidth, ps_pg_penwidth(t, w));
    fmt2(l->arrowsize, ps_pg_arrowsize(t, w));
}

static const char *node_fg(const pg_options *o, const char *color)
{
    /* filled nodes: the graph's background (white after gamma); else the colour */
    return strcmp(o->theme->nodestyle, "filled") == 0 ? "#ffffff" : color;
}

/* --diff's colours and label line in place of the theme's. */
static void paint_node(const pg_paint *p, uint32_t id, pg_buf *label, char color[8])
{
    memcpy(color, p->node_color[id], 8);
    if (p->node_extra[id]) {
        ps_pg_buf_add(label, "\n", 1);
        ps_pg_buf_addz(label, p->node_extra[id]);
    }
}

static void paint_edge(const pg_paint *p, size_t i, pg_buf *label, char color[8])
{
    memcpy(color, p->edge_color[i], 8);
    if (p->edge_extra[i]) {
        ps_pg_buf_add(label, "\n", 1);
        ps_pg_buf_addz(label, p->edge_extra[i]);
    }
}

/* ---- cgraph ------------------------------------------------------------------ */

static Agsym_t *decl(Agraph_t *G, int kind, const char *name, const char *def)
{
    return agattr(G, kind, (char *)name, (char *)def);
}

struct Agraph_s *ps_dot_cgraph(const pg_graph *g, const pg_options *o, ps_error *e)
{
    Agraph_t *G = agopen(NULL, Agdirected, NULL);
    if (!G) {
        nomem(e);
        return NULL;
    }
    /* graph, node and edge defaults: gprof2dot's header lines */
    decl(G, AGRAPH, "tooltip", " ");
    decl(G, AGRAPH, "fontname", "Arial");
    decl(G, AGRAPH, "nodesep", "0.125");
    decl(G, AGRAPH, "ranksep", "0.25");
    if (g->note) {
        pg_buf esc = {0};
        ps_dot_escape(&esc, g->note, strlen(g->note));
        decl(G, AGRAPH, "label", esc.s ? esc.s : "");
        decl(G, AGRAPH, "labelloc", "t");
        ps_pg_buf_free(&esc);
    }
    decl(G, AGNODE, "fontcolor", o->theme->fontcolor);
    decl(G, AGNODE, "fontname", "Arial");
    decl(G, AGNODE, "height", "0");
    decl(G, AGNODE, "shape", "box");
    decl(G, AGNODE, "style", o->theme->nodestyle);
    decl(G, AGNODE, "width", "0");
    decl(G, AGEDGE, "fontname", "Arial");
    Agsym_t *n_color = decl(G, AGNODE, "color", "");
    Agsym_t *n_fontcolor = agattr(G, AGNODE, "fontcolor", NULL);
    Agsym_t *n_fontsize = decl(G, AGNODE, "fontsize", "");
    Agsym_t *n_label = decl(G, AGNODE, "label", "");
    Agsym_t *n_tooltip = decl(G, AGNODE, "tooltip", "");
    Agsym_t *e_arrowsize = decl(G, AGEDGE, "arrowsize", "");
    Agsym_t *e_color = decl(G, AGEDGE, "color", "");
    Agsym_t *e_fontcolor = decl(G, AGEDGE, "fontcolor", "");
    Agsym_t *e_fontsize = decl(G, AGEDGE, "fontsize", "");
    Agsym_t *e_label = decl(G, AGEDGE, "label", "");
    Agsym_t *e_labeldistance = decl(G, AGEDGE, "labeldistance", "");
    Agsym_t *e_penwidth = decl(G, AGEDGE, "penwidth", "");
    Agsym_t *e_style = NULL;

    Agnode_t **an = calloc((size_t)g->nnodes + 1, sizeof *an);
    pg_buf label = {0}, esc = {0};
    if (!an)
        goto oom;
    for (uint32_t i = 0; i < g->nnodes; i++) {
        const pg_node *n = &g->nodes[i];
        if (!n->alive)
            continue;
        char id[16];
        snprintf(id, sizeof id, "%u", n->id);
        Agnode_t *v = agnode(G, id, 1);
        if (!v)
            goto oom;
        an[i] = v;
        look l;
        edge_look(o, n->weight, &l);
        fmt2(l.fontsize, ps_pg_fontsize(o->theme, n->weight));
        label.len = 0;
        if (ps_pg_node_label(g, o, n, &label, e) < 0)
            goto fail;
        const char *fg = node_fg(o, l.color);
        if (g->paint) {
            paint_node(g->paint, i, &label, l.color);
            fg = g->paint->node_fontcolor[i];
        }
        esc.len = 0;
        ps_dot_escape(&esc, label.s, label.len);
        if (esc.failed)
            goto oom;
        agxset(v, n_label, esc.s);
        agxset(v, n_color, l.color);
        agxset(v, n_fontcolor, (char *)fg);
        agxset(v, n_fontsize, l.fontsize);
        const char *tip = ps_pg_node_tooltip(g, n);
        esc.len = 0;
        ps_dot_escape(&esc, tip, strlen(tip));
        ps_pg_buf_add(&esc, "", 0);
        if (esc.failed)
            goto oom;
        agxset(v, n_tooltip, esc.s);
    }
    for (size_t i = 0; i < g->nedges; i++) {
        const pg_edge *ed = &g->edges[i];
        if (!ed->alive || !g->nodes[ed->caller].alive || !g->nodes[ed->callee].alive)
            continue;
        Agedge_t *a = agedge(G, an[ed->caller], an[ed->callee], NULL, 1);
        if (!a)
            goto oom;
        look l;
        edge_look(o, ed->weight, &l);
        label.len = 0;
        if (ps_pg_edge_label(g, ed, &label) < 0)
            goto oom;
        if (g->paint)
            paint_edge(g->paint, i, &label, l.color);
        esc.len = 0;
        ps_dot_escape(&esc, label.s, label.len);
        if (esc.failed)
            goto oom;
        agxset(a, e_label, esc.s);
        agxset(a, e_arrowsize, l.arrowsize);
        agxset(a, e_color, l.color);
        agxset(a, e_fontcolor, l.color);
        agxset(a, e_fontsize, l.fontsize);
        agxset(a, e_labeldistance, l.penwidth);
        agxset(a, e_penwidth, l.penwidth);
        if (ed->estimated) {
            if (!e_style)
                e_style = decl(G, AGEDGE, "style", "");
            agxset(a, e_style, "dotted");
        }
    }
    free(an);
    ps_pg_buf_free(&label);
    ps_pg_buf_free(&esc);
    return G;
oom:
    nomem(e);
fail:
    free(an);
    ps_pg_buf_free(&label);
    ps_pg_buf_free(&esc);
    agclose(G);
    return NULL;
}

int ps_dot_write_cgraph(const pg_graph *g, const pg_options *o, FILE *out, ps_error *e)
{
    Agraph_t *G = ps_dot_cgraph(g, o, e);
    if (!G)
        return -1;
    int rc = agwrite(G, out);
    agclose(G);
    if (rc == EOF || ferror(out)) {
        e->sys_errno = errno;
        return ps_error_set(e, PS_EIO, -1, "write failed: %s", strerror(errno ? errno : EIO));
    }
    return 0;
}

/* ---- the streaming writer: gprof2dot's own text ---------------------------------- */

/* gprof2dot writes a value bare when it is alphanumeric and does not start
 * with 0x, else quoted with \\ \n \t \" escapes. */
void ps_dot_put_value(pg_buf *b, const char *s, size_t len)
{
    int bare = len > 0 && !(len >= 2 && s[0] == '0' && s[1] == 'x');
    for (size_t i = 0; bare && i < len; i++)
        bare = (s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z');
    if (bare) {
        ps_pg_buf_add(b, s, len);
        return;
    }
    ps_pg_buf_add(b, "\"", 1);
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
        const char *rep = NULL;
        switch (s[i]) {
        case '\\': rep = "\\\\"; break;
        case '\n': rep = "\\n"; break;
        case '\t': rep = "\\t"; break;
        case '"': rep = "\\\""; break;
        }
        if (!rep)
            continue;
        ps_pg_buf_add(b, s + run, i - run);
        ps_pg_buf_add(b, rep, 2);
        run = i + 1;
    }
    ps_pg_buf_add(b, s + run, len - run);
    ps_pg_buf_add(b, "\"", 1);
}

static void put_uint(pg_buf *b, const char *prefix, uint32_t v)
{
    char tmp[16], rev[12];
    int n = 0, k = 0;
    do {
        rev[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (*prefix)
        tmp[k++] = *prefix++;
    while (n)
        tmp[k++] = rev[--n];
    ps_pg_buf_add(b, tmp, (size_t)k);
}

static char *cat(char *p, const char *s)
{
    size_t n = strlen(s);
    memcpy(p, s, n);
    return p + n;
}

static char *cat_uint(char *p, uint64_t v)
{
    char rev[24];
    int n = 0;
    do {
        rev[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        *p++ = rev[--n];
    return p;
}

/* One edge line in gprof2dot's text: every value here is quoted (they hold
 * '.', '#' or '%'), and the label is "P%\nN\u00d7" (see ps_pg_edge_label). */
static void put_edge_line(pg_buf *b, uint32_t caller, const pg_edge *ed, const look *l,
                          const char *extra)
{
    char line[512], pct[32], *p = line;
    if (extra && strlen(extra) > 200)
        extra = NULL;             /* ours, short; never cut a line */
    *p++ = '\t';
    p = cat_uint(p, caller);
    p = cat(p, " -> ");
    p = cat_uint(p, ed->callee);
    p = cat(p, " [arrowsize=\"");
    p = cat(p, l->arrowsize);
    p = cat(p, "\", color=\"");
    p = cat(p, l->color);
    p = cat(p, "\", fontcolor=\"");
    p = cat(p, l->color);
    p = cat(p, "\", fontsize=\"");
    p = cat(p, l->fontsize);
    p = cat(p, "\", label=\"");
    ps_pg_fmt2(pct, ed->weight * 100.0);
    p = cat(p, pct);
    p = cat(p, "%\\n");
    if (ed->estimated)
        *p++ = '~';
    if (ed->calls < 0) {
        *p++ = '-';
        p = cat_uint(p, 0 - (uint64_t)ed->calls);
    } else {
        p = cat_uint(p, (uint64_t)ed->calls);
    }
    p = cat(p, "\xc3\x97");
    if (extra) {
        p = cat(p, "\\n");
        p = cat(p, extra);        /* --diff's line: no character to escape */
    }
    p = cat(p, "\", labeldistance=\"");
    p = cat(p, l->penwidth);
    p = cat(p, "\", penwidth=\"");
    p = cat(p, l->penwidth);
    p = cat(p, ed->estimated ? "\", style=dotted];\n" : "\"];\n");
    ps_pg_buf_add(b, line, (size_t)(p - line));
}

void ps_dot_put_attr(pg_buf *b, int *first, const char *name, const char *value)
{
    ps_pg_buf_addz(b, *first ? " [" : ", ");
    *first = 0;
    ps_pg_buf_addz(b, name);
    ps_pg_buf_add(b, "=", 1);
    ps_dot_put_value(b, value, strlen(value));
}

int ps_dot_flush(pg_buf *b, FILE *out, ps_error *e)
{
    if (b->failed)
        return nomem(e);
    if (b->len && fwrite(b->s, 1, b->len, out) != b->len) {
        e->sys_errno = errno;
        return ps_error_set(e, PS_EIO, -1, "write failed: %s", strerror(errno ? errno : EIO));
    }
    b->len = 0;
    return 0;
}

int ps_dot_write_text(const pg_graph *g, const pg_options *o, FILE *out, ps_error *e)
{
    pg_buf b = {0}, label = {0};
    int first;
    ps_pg_buf_addz(&b, "digraph {\n\ttooltip=\" \"\n\tgraph");
    first = 1;
    ps_dot_put_attr(&b, &first, "fontname", "Arial");
    if (g->note) {
        ps_dot_put_attr(&b, &first, "label", g->note);
        ps_dot_put_attr(&b, &first, "labelloc", "t");
    }
    ps_pg_buf_addz(&b, ", nodesep=0.125, ranksep=0.25");   /* Python floats: bare */
    ps_pg_buf_addz(&b, "];\n\tnode");
    first = 1;
    ps_dot_put_attr(&b, &first, "fontcolor", o->theme->fontcolor);
    ps_dot_put_attr(&b, &first, "fontname", "Arial");
    ps_dot_put_attr(&b, &first, "height", "0");
    ps_dot_put_attr(&b, &first, "shape", "box");
    ps_dot_put_attr(&b, &first, "style", o->theme->nodestyle);
    ps_dot_put_attr(&b, &first, "width", "0");
    ps_pg_buf_addz(&b, "];\n\tedge [fontname=Arial];\n");
    uint8_t *alive = ps_pg_alive_nodes(g);   /* a sixth of writing a 200k-node graph */
    if (!alive) {
        ps_pg_buf_free(&b);
        return nomem(e);
    }
    int rc = 0;
    for (uint32_t i = 0; i < g->nnodes && rc == 0; i++) {
        const pg_node *n = &g->nodes[i];
        if (!n->alive)
            continue;
        look l;
        ps_pg_color_hex(o->theme, o->skew, n->weight, l.color);
        fmt2(l.fontsize, ps_pg_fontsize(o->theme, n->weight));
        label.len = 0;
        if (ps_pg_node_label(g, o, n, &label, e) < 0) {
            rc = -1;
            break;
        }
        const char *fg = node_fg(o, l.color);
        if (g->paint) {
            paint_node(g->paint, i, &label, l.color);
            fg = g->paint->node_fontcolor[i];
        }
        put_uint(&b, "\t", n->id);
        first = 1;
        ps_dot_put_attr(&b, &first, "color", l.color);
        ps_dot_put_attr(&b, &first, "fontcolor", fg);
        ps_dot_put_attr(&b, &first, "fontsize", l.fontsize);
        ps_pg_buf_addz(&b, ", label=");
        ps_dot_put_value(&b, label.s, label.len);
        ps_dot_put_attr(&b, &first, "tooltip", ps_pg_node_tooltip(g, n));
        ps_pg_buf_addz(&b, "];\n");
        for (uint32_t k = 0; k < n->out_n; k++) {
            const pg_edge *ed = &g->edges[n->out_first + k];
            if (!ed->alive || !alive[ed->callee])
                continue;
            edge_look(o, ed->weight, &l);
            const char *extra = NULL;
            if (g->paint) {
                size_t ei = (size_t)n->out_first + k;
                memcpy(l.color, g->paint->edge_color[ei], 8);
                extra = g->paint->edge_extra[ei];
            }
            put_edge_line(&b, n->id, ed, &l, extra);
        }
        if (b.len >= (1u << 20))
            rc = ps_dot_flush(&b, out, e);
    }
    if (rc == 0) {
        ps_pg_buf_addz(&b, "}\n");
        rc = ps_dot_flush(&b, out, e);
    }
    free(alive);
    ps_pg_buf_free(&b);
    ps_pg_buf_free(&label);
    return rc;
}

int ps_dot_write(const pg_graph *g, const pg_options *o, FILE *out, ps_error *e)
{
    int writer = o->writer;
    if (writer == PG_WRITER_AUTO)
        writer = (size_t)g->kept_nodes + g->kept_edges <= DOT_CGRAPH_MAX ? PG_WRITER_CGRAPH : PG_WRITER_TEXT;
    return writer == PG_WRITER_CGRAPH ? ps_dot_write_cgraph(g, o, out, e) : ps_dot_write_text(g, o, out, e);
}

/* ---- rendering ---------------------------------------------------------------------- */

/* Graphviz reports through agerr(); with the level at AGMAX it keeps the
 * messages (aglasterr) instead of printing them.  The level is restored. */
static void graphviz_error(ps_error *e, const char *what, const char *format)
{
    char *msg = aglasterr();
    char text[300] = "";
    if (msg) {
        size_t k = 0;
        for (const char *p = msg; *p && k + 1 < sizeof text; p++)
            text[k++] = *p == '\n' ? ' ' : *p;
        while (k && text[k - 1] == ' ')
            k--;
        text[k] = '\0';
        free(msg);
    }
    if (format)
        ps_error_set(e, PS_EUSAGE, -1, "-T %s: %s%s%s", format, what, *text ? ": " : "", text);
    else
        ps_error_set(e, PS_EDATA, -1, "%s%s%s", what, *text ? ": " : "", text);
}

/* One Graphviz context for the process, made on first use and kept: its
 * pango text layout holds on to the last font name it measured, which
 * gvFreeContext frees, and the next context's layout then compares against
 * the freed string (two `export dot` to a drawn format in one pstatsh
 * session: ASan's heap-use-after-free in strcmp under textspan_size; found
 * by fuzz_shell); it is freed at exit.  Graphviz is not thread-safe anyway:
 * made once, under a once-control. */
static GVC_t *shared_gvc;
static void free_gvc(void) { gvFreeContext(shared_gvc); }
static void make_gvc(void)
{
    shared_gvc = gvContext();
    if (shared_gvc)
        atexit(free_gvc);    /* at exit, when no layout can follow */
}

static GVC_t *graphviz_context(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, make_gvc);
    return shared_gvc;
}

/* Lay out and render G (closed here); Graphviz's messages come back in e. */
static int render_graph(Agraph_t *G, const char *format, FILE *out, ps_error *e)
{
    GVC_t *gvc = graphviz_context();
    int rc = 0;
    if (!gvc) {
        rc = nomem(e);
    } else if (gvLayout(gvc, G, "dot") != 0) {
        graphviz_error(e, "Graphviz layout failed", NULL);
        rc = -1;
    } else {
        if (gvRender(gvc, G, format, out) != 0) {
            graphviz_error(e, "Graphviz cannot render this format", format);
            rc = -1;
        }
        gvFreeLayout(gvc, G);
    }
    agclose(G);
    if (rc == 0 && ferror(out)) {
        e->sys_errno = errno;
        return ps_error_set(e, PS_EIO, -1, "write failed: %s", strerror(errno ? errno : EIO));
    }
    return rc;
}

int ps_dot_render(const pg_graph *g, const pg_options *o, const char *format, FILE *out, ps_error *e)
{
    agerrlevel_t old = agseterr(AGMAX);
    Agraph_t *G = ps_dot_cgraph(g, o, e);
    int rc = G ? render_graph(G, format, out, e) : -1;
    agreseterrors();
    agseterr(old);
    return rc;
}

int ps_dot_render_text(const char *text, const char *format, FILE *out, ps_error *e)
{
    agerrlevel_t old = agseterr(AGMAX);
    Agraph_t *G = agmemread(text);
    int rc;
    if (!G) {
        graphviz_error(e, "Graphviz cannot read the graph", NULL);
        rc = -1;
    } else {
        rc = render_graph(G, format, out, e);
    }
    agreseterrors();
    agseterr(old);
    return rc;
}

/* ---- the whole run -------------------------------------------------------------------- */

int ps_dot_run(const ps_stats *s, const pg_options *o, char **listing, ps_error *e)
{
    if (listing)
        *listing = NULL;
    pg_graph g;
    if (ps_pg_build(s, o, &g, e) < 0)
        return -1;
    if (o->list_functions) {
        if (listing) {
            *listing = g.listing;
            g.listing = NULL;
        }
        ps_pg_graph_free(&g);
        return 0;
    }
    export_file f;
    const char *path = o->output && *o->output ? o->output : "-";
    if (ps_export_file_open(&f, path, e) < 0) {
        ps_pg_graph_free(&g);
        return -1;
    }
    int rc = o->render ? ps_dot_render(&g, o, o->render, f.fp, e) : ps_dot_write(&g, o, f.fp, e);
    ps_pg_graph_free(&g);
    if (rc < 0) {
        ps_export_file_abort(&f);
        return -1;
    }
    return ps_export_file_commit(&f, e);
}
