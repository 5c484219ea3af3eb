/* dotcmp - compare two Graphviz graphs as sets of nodes and edges.
 *
 *   dotcmp A.dot B.dot     exit 0 when they describe the same graph, 1 with
 *                          the differences on stdout, 2 when one does not parse
 *   dotcmp --stats A.dot   print "NODES EDGES" of one graph
 *
 * Both files are parsed with cgraph.  A node is identified by its label, not
 * its id; an edge by the labels of its ends.  Every declared attribute is
 * compared by its effective value (a `node [...]` default counts), so the
 * order of lines and of attributes and the quoting are free.  Run-time
 * addresses (0x...) are blanked, as profile.py's code-object names carry
 * them.  Nodes and edges are compared as multisets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cgraph.h>

typedef struct lines {
    char **v;
    size_t n, cap;
} lines;

static void push(lines *l, char *s)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 256;
        l->v = realloc(l->v, l->cap * sizeof *l->v);
        if (!l->v) {
            perror("dotcmp");
            exit(2);
        }
    }
    l->v[l->n++] = s;
}

typedef struct str {
    char *s;
    size_t len, cap;
} str;

static void put(str *b, const char *s)
{
    size_t n = strlen(s);
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->s = realloc(b->s, b->cap);
        if (!b->s) {
            perror("dotcmp");
            exit(2);
        }
    }
    memcpy(b->s + b->len, s, n + 1);
    b->len += n;
}

/* value with every 0x<hex> blanked to 0x */
static void put_norm(str *b, const char *v)
{
    char one[2] = {0, 0};
    for (const char *p = v; *p; p++) {
        one[0] = *p;
        put(b, one);
        if (p[0] == '0' && p[1] == 'x') {
            put(b, "x");
            p += 2;
            while ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') || (*p >= 'A' && *p <= 'F'))
                p++;
            p--;
        }
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Attribute names declared for kind in either graph, sorted. */
static void attr_names(Agraph_t *a, Agraph_t *b, int kind, lines *out)
{
    Agraph_t *gs[2] = {a, b};
    for (int k = 0; k < 2; k++) {
        if (!gs[k])
            continue;
        Agsym_t *sym = NULL;
        while ((sym = agnxtattr(gs[k], kind, sym))) {
            int seen = 0;
            for (size_t i = 0; i < out->n && !seen; i++)
                seen = strcmp(out->v[i], sym->name) == 0;
            if (!seen)
                push(out, strdup(sym->name));
        }
    }
    qsort(out->v, out->n, sizeof *out->v, cmp_str);
}

static const char *value(void *obj, const char *name)
{
    char *v = agget(obj, (char *)name);
    return v ? v : "";
}

static char *node_key(Agnode_t *n)
{
    str b = {0};
    put(&b, "");
    put_norm(&b, value(n, "label"));
    return b.s;
}

static void describe(Agraph_t *g, const lines *gattrs, const lines *nattrs, const lines *eattrs,
                     lines *out)
{
    for (size_t i = 0; i < gattrs->n; i++) {
        str b = {0};
        put(&b, "graph ");
        put(&b, gattrs->v[i]);
        put(&b, "=");
        put_norm(&b, value(g, gattrs->v[i]));
        push(out, b.s);
    }
    for (Agnode_t *n = agfstnode(g); n; n = agnxtnode(g, n)) {
        str b = {0};
        char *key = node_key(n);
        put(&b, "node [");
        put(&b, key);
        put(&b, "]");
        for (size_t i = 0; i < nattrs->n; i++) {
            if (strcmp(nattrs->v[i], "label") == 0)
                continue;
            put(&b, " ");
            put(&b, nattrs->v[i]);
            put(&b, "=");
            put_norm(&b, value(n, nattrs->v[i]));
        }
        push(out, b.s);
        for (Agedge_t *e = agfstout(g, n); e; e = agnxtout(g, e)) {
            str c = {0};
            char *hk = node_key(aghead(e));
            put(&c, "edge [");
            put(&c, key);
            put(&c, "] -> [");
            put(&c, hk);
            put(&c, "]");
            for (size_t i = 0; i < eattrs->n; i++) {
                if (strcmp(eattrs->v[i], "key") == 0)
                    continue;
                put(&c, " ");
                put(&c, eattrs->v[i]);
                put(&c, "=");
                put_norm(&c, value(e, eattrs->v[i]));
            }
            free(hk);
            push(out, c.s);
        }
        free(key);
    }
    qsort(out->v, out->n, sizeof *out->v, cmp_str);
}

static Agraph_t *load(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        return NULL;
    }
    Agraph_t *g = agread(f, NULL);
    fclose(f);
    if (!g)
        fprintf(stderr, "dotcmp: %s: does not parse as a graph\n", path);
    return g;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--stats") == 0) {
        Agraph_t *g = load(argv[2]);
        if (!g)
            return 2;
        printf("%d %d\n", agnnodes(g), agnedges(g));
        agclose(g);
        return 0;
    }
    if (argc != 3) {
        fprintf(stderr, "usage: dotcmp A.dot B.dot | dotcmp --stats A.dot\n");
        return 2;
    }
    Agraph_t *a = load(argv[1]), *b = load(argv[2]);
    if (!a || !b)
        return 2;
    lines ga = {0}, na = {0}, ea = {0};
    attr_names(a, b, AGRAPH, &ga);
    attr_names(a, b, AGNODE, &na);
    attr_names(a, b, AGEDGE, &ea);
    lines la = {0}, lb = {0};
    describe(a, &ga, &na, &ea, &la);
    describe(b, &ga, &na, &ea, &lb);
    /* merge the two sorted lists */
    size_t i = 0, j = 0, shown = 0, ndiff = 0;
    while (i < la.n || j < lb.n) {
        int c = i == la.n ? 1 : j == lb.n ? -1 : strcmp(la.v[i], lb.v[j]);
        if (c == 0) {
            i++, j++;
            continue;
        }
        ndiff++;
        if (shown++ < 20)
            printf("%s %s\n", c < 0 ? "-" : "+", c < 0 ? la.v[i] : lb.v[j]);
        if (c < 0)
            i++;
        else
            j++;
    }
    if (ndiff)
        printf("%zu differences (- only in %s, + only in %s)\n", ndiff, argv[1], argv[2]);
    for (size_t k = 0; k < la.n; k++)
        free(la.v[k]);
    for (size_t k = 0; k < lb.n; k++)
        free(lb.v[k]);
    free(la.v), free(lb.v);
    agclose(a);
    agclose(b);
    return ndiff ? 1 : 0;
}
