/* folded_diff.c - differential flame graphs: folded lines with two counts
 * ("stack base_count new_count", what flamegraph.pl's difffolded.pl writes
 * and flamegraph.pl reads), or a differential SVG flame graph.
 *
 * Each side's stacks come from ps_stacks_of: the exact stacks of a sampled
 * profile, the estimate (folded.h) for a pstats dump.  Functions of the two
 * sides live in two stats, so stacks are matched by their text (the frames'
 * labels joined by ';'), exactly as difffolded.pl matches lines; a frame is
 * "name (file)", its line left out (frame()).
 *
 * Lines: both sides' stacks sorted together by text, identical ones merged;
 * each column's counts come from its running sum, so a column adds up to its
 * side's rounded total as prof2folded's single column does.
 *
 * SVG: as flamegraph.pl draws a two-column input, the frames' widths are
 * NEW's and their colour is the change: every frame of NEW's call tree gets
 * delta = NEW - BASE of the stacks through it (BASE's stacks are walked down
 * the same tree by label; where a BASE stack leaves NEW's tree its time only
 * lowers the frames above), red when it grew, blue when it shrank, the
 * stronger the larger |delta| against the largest one.  The drawing itself is
 * flame.c's, given the deltas. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "pstats/export.h"
#include "pstats/folded.h"
#include "pstats/folded_diff.h"
#include "base/grow.h"
#include "base/index.h"
#include "base/outbuf.h"

static int nomem(ps_error *e) { return ps_error_set(e, PS_ENOMEM, -1, "out of memory"); }

/* A label cache over one stats, borrowing ps_folded_label's frame text. */
static int labels_init(folded_stacks *fs, const ps_stats *s)
{
    memset(fs, 0, sizeof *fs);
    fs->stats = s;
    fs->labels = calloc((size_t)s->nfuncs + 1, sizeof *fs->labels);
    return fs->labels ? 0 : -1;
}

/* A frame's text without its line: "name (file)".  Lines move between the
 * two versions of a program, and a stack must match its older self (profdiff
 * pairs functions by file and name the same way).  The cached label is
 * shortened in place: the cache is this file's own. */
static const char *frame(folded_stacks *fs, uint32_t func)
{
    int fresh = fs->labels[func] == NULL;
    char *l = (char *)ps_folded_label(fs, func);
    if (!l || !fresh)
        return l;
    size_t n = strlen(l);
    if (n < 4 || l[n - 1] != ')')
        return l;
    size_t i = n - 1;
    while (i > 0 && ((l[i - 1] >= '0' && l[i - 1] <= '9') || l[i - 1] == '-'))
        i--;
    if (i > 0 && i < n - 1 && l[i - 1] == ':') {
        l[i - 1] = ')';
        l[i] = '\0';
    }
    return l;
}

/* ---- folded lines with two counts ---------------------------------------------- */

typedef struct dline {
    char *text;
    double sec[2];
} dline;

static int dline_cmp(const void *pa, const void *pb)
{
    const dline *a = pa, *b = pb;
    return strcmp(a->text, b->text);
}

/* The stack's text, malloc'd. */
static char *stack_text(folded_stacks *lab, const ps_stacks *st, const ps_stack *k)
{
    size_t len = 0;
    for (uint32_t d = 0; d < k->depth; d++) {
        const char *l = frame(lab, st->frames[k->first + d]);
        if (!l)
            return NULL;
        len += strlen(l) + 1;
    }
    char *t = malloc(len + 1), *p = t;
    if (!t)
        return NULL;
    for (uint32_t d = 0; d < k->depth; d++) {
        const char *l = lab->labels[st->frames[k->first + d]];
        size_t n = strlen(l);
        if (d)
            *p++ = ';';
        memcpy(p, l, n);
        p += n;
    }
    *p = '\0';
    return t;
}

static int write_lines(folded_stacks lab[2], const ps_stacks st[2], double unit, FILE *fp,
                       const char *what, ps_error *e)
{
    size_t n = st[0].nstacks + st[1].nstacks, m = 0;
    dline *ls = calloc(n + 1, sizeof *ls);
    outbuf *b = malloc(sizeof *b);
    int rc = -1;
    if (!ls || !b) {
        nomem(e);
        goto done;
    }
    for (int side = 0; side < 2; side++)
        for (size_t i = 0; i < st[side].nstacks; i++) {
            char *t = stack_text(&lab[side], &st[side], &st[side].stacks[i]);
            if (!t) {
                nomem(e);
                goto done;
            }
            ls[m].text = t;
            ls[m].sec[side] = st[side].stacks[i].weight;
            m++;
        }
    qsort(ls, m, sizeof *ls, dline_cmp);
    size_t k = 0;
    for (size_t i = 0; i < m; i++) {
        if (k && !strcmp(ls[k - 1].text, ls[i].text)) {
            ls[k - 1].sec[0] += ls[i].sec[0];
            ls[k - 1].sec[1] += ls[i].sec[1];
            free(ls[i].text);
            ls[i].text = NULL;
            continue;
        }
        ls[k++] = ls[i];
        if (k - 1 != i)
            ls[i].text = NULL;
    }
    ob_init(b, fp);
    double run[2] = {0, 0};
    long long prev[2] = {0, 0};
    for (size_t i = 0; i < k; i++) {
        long long c[2];
        for (int s = 0; s < 2; s++) {
            run[s] += ls[i].sec[s];
            long long r = ps_count_round(run[s] * unit);   /* saturates: r - prev stays defined */
            c[s] = r - prev[s];
            prev[s] = r;
        }
        if (c[0] <= 0 && c[1] <= 0)
            continue;
        ob_str(b, ls[i].text);
        ob_char(b, ' ');
        ob_int(b, c[0] > 0 ? c[0] : 0);
        ob_char(b, ' ');
        ob_int(b, c[1] > 0 ? c[1] : 0);
        ob_char(b, '\n');
    }
    rc = ob_finish(b, what, e);
    m = k;
done:
    if (ls)
        for (size_t i = 0; i < m; i++)
            free(ls[i].text);
    free(ls);
    free(b);
    return rc;
}

/* ---- the differential SVG ------------------------------------------------------ */

/* NEW's call tree: nodes of a folded_stacks (parents first), found by
 * (parent, label) through the library's index. */
typedef struct tree {
    folded_stacks *fs;           /* NEW's: nodes and labels */
    double *delta;
    size_t cap;                  /* of fs->nodes and delta */
    ps_index children;           /* hash of (parent, label) -> node */
} tree;

static uint32_t child_hash(uint32_t parent, const char *label)
{
    uint32_t h = 2166136261u ^ parent * 0x9E3779B1u;
    for (const char *p = label; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    return h;
}

static int tree_grow(tree *t)
{
    folded_stacks *fs = t->fs;
    if ((size_t)fs->nnodes + 2 > t->cap) {
        size_t cap = ps_grow_cap(t->cap, (size_t)fs->nnodes + 2);
        if (ps_resize(&fs->nodes, cap, sizeof *fs->nodes) < 0 ||
            ps_resize(&t->delta, cap, sizeof *t->delta) < 0)
            return -1;
        t->cap = cap;
    }
    return 0;
}

/* The child of parent labelled label, or (create) a new one for func; FOLDED_NONE
 * when absent and not created. */
static uint32_t tree_child(tree *t, uint32_t parent, const char *label, uint32_t func,
                           int create, int *oom)
{
    folded_stacks *fs = t->fs;
    if (create && tree_grow(t) < 0) {
        *oom = 1;
        return FOLDED_NONE;
    }
    ps_index_probe p;
    for (uint32_t id = ps_index_find(&t->children, child_hash(parent, label), &p);
         id != PS_INDEX_NONE; id = ps_index_next(&t->children, &p)) {
        const folded_node *nd = &fs->nodes[id];
        if (nd->parent == parent && !strcmp(fs->labels[nd->func], label))
            return id;
    }
    if (!create)
        return FOLDED_NONE;
    uint32_t id = fs->nnodes;
    if (ps_index_add(&t->children, &p, id) < 0) {
        *oom = 1;
        return FOLDED_NONE;
    }
    fs->nnodes++;
    fs->nodes[id] = (folded_node){parent, func,
                                  parent == FOLDED_NONE ? 0 : fs->nodes[parent].depth + 1, 0, 0};
    t->delta[id] = 0;
    return id;
}

static int write_svg(folded_stacks lab[2], const ps_stacks st[2], const folded_options *o,
                     FILE *fp, const char *what, ps_error *e)
{
    tree t = {0};
    t.fs = &lab[1];
    int oom = 0, rc = -1;
    for (size_t i = 0; i < st[1].nstacks && !oom; i++) {
        const ps_stack *k = &st[1].stacks[i];
        uint32_t node = FOLDED_NONE;
        for (uint32_t d = 0; d < k->depth; d++) {
            uint32_t f = st[1].frames[k->first + d];
            const char *l = frame(&lab[1], f);
            if (!l || (node = tree_child(&t, node, l, f, 1, &oom)) == FOLDED_NONE) {
                oom = 1;
                break;
            }
            lab[1].nodes[node].total += k->weight;
            if (d + 1 == k->depth)
                lab[1].nodes[node].self += k->weight;
        }
        lab[1].total += k->weight;
    }
    for (size_t i = 0; i < st[0].nstacks && !oom; i++) {
        const ps_stack *k = &st[0].stacks[i];
        uint32_t node = FOLDED_NONE;
        for (uint32_t d = 0; d < k->depth; d++) {
            const char *l = frame(&lab[0], st[0].frames[k->first + d]);
            if (!l) {
                oom = 1;
                break;
            }
            if ((node = tree_child(&t, node, l, 0, 0, &oom)) == FOLDED_NONE)
                break;
            t.delta[node] += k->weight;
        }
    }
    if (oom) {
        nomem(e);
        goto done;
    }
    /* delta holds BASE's sums: NEW's minus them (two sums in one order each,
     * so a profile against itself gives exact zeros). */
    for (uint32_t i = 0; i < lab[1].nnodes; i++)
        t.delta[i] = lab[1].nodes[i].total - t.delta[i];
    lab[1].delta = t.delta;
    rc = ps_folded_write_svg(&lab[1], o, fp, what, e);
    lab[1].delta = NULL;
done:
    free(t.delta);
    ps_index_free(&t.children);
    return rc;
}

int ps_folded_diff_write(const ps_stats *base, const ps_stats *new, const folded_options *o,
                         FILE *fp, const char *what, ps_error *e)
{
    ps_error_clear(e);
    folded_options defaults;
    if (!o) {
        ps_folded_options_init(&defaults);
        o = &defaults;
    }
    ps_stacks st[2];
    folded_stacks lab[2];
    memset(lab, 0, sizeof lab);
    ps_stacks_init(&st[0]);
    ps_stacks_init(&st[1]);
    int rc = -1;
    if (ps_stacks_of(base, o, &st[0], e) < 0 || ps_stacks_of(new, o, &st[1], e) < 0)
        goto done;
    if (labels_init(&lab[0], base) < 0 || labels_init(&lab[1], new) < 0) {
        nomem(e);
        goto done;
    }
    double unit = o->unit == FOLDED_UNIT_NS ? 1e9 : o->unit == FOLDED_UNIT_MS ? 1e3 : 1e6;
    lab[1].unit = unit;
    rc = o->svg ? write_svg(lab, st, o, fp, what, e) : write_lines(lab, st, unit, fp, what, e);
done:
    ps_stacks_free(&st[0]);
    ps_stacks_free(&st[1]);
    ps_folded_free(&lab[0]);
    ps_folded_free(&lab[1]);
    return rc;
}

int ps_folded_diff_export(const ps_stats *base, const ps_stats *new, const char *path,
                          const folded_options *o, ps_error *e)
{
    export_file f;
    if (ps_export_file_open(&f, path, e) < 0)
        return -1;
    if (ps_folded_diff_write(base, new, o, f.fp, path, e) < 0) {
        ps_export_file_abort(&f);
        return -1;
    }
    return ps_export_file_commit(&f, e);
}
