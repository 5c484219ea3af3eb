/* html.c - the self-contained HTML page of a profile (html.h).
 *
 * The page is four constant parts built from src/html/ (build/gen/
 * html_page.inc, made by src/html/embed.c) with the title, the profile's data
 * and its call edges between them.  The data is JSON, compact because a
 * 200,000-function profile must make a page no bigger than its dump that a
 * browser draws within seconds:
 *   - str: a string table; every file and function name once (the stats
 *     intern them, so a pointer identifies a string);
 *   - per function (funcmap: entry i is function i): ff/fn (file and name
 *     in str), fl (line);
 *   - per entry, in dict order: nc, pc (nc - primitive calls: mostly 0),
 *     tt, ct;
 *   - the callers of each entry (en: how many; then, in a second JSON block
 *     after the page's script, ec, enc, epc, ett, ect in one run for all
 *     entries); eint lists the edges that were a plain
 *     call count (sampled dumps), whose times do not exist; the page derives
 *     the callees by inverting these arrays, as pstats' calc_callees does;
 *   - the call tree, from ps_stacks_of (exact stacks of a sampled profile,
 *     or the estimate prof2folded draws): its nodes in preorder as td
 *     (depth), tf (function id), ts (time of stacks ending there); identical
 *     stack prefixes share a node, so a tree is smaller than its stacks.
 *   - with --diff, "diff": BASE's name, total time and the tolerance, and
 *     per entry BASE's ncalls, tottime and cumtime (0 where BASE lacks the
 *     function: "absent" lists those entries), from ps_diff_build's rows;
 *     the page colours frames and rows by the change of cumtime.
 * Times are integer nanoseconds (cProfile's own resolution), which prints
 * the same %8.3f numbers as pstats; a time that is not finite is a string
 * ("NaN", "Infinity") that the page turns back into a number.  Every string
 * is JSON with '<', '>', '&', U+2028 and U+2029 escaped and invalid UTF-8
 * replaced by U+FFFD, so that no name can close the <script> block, open a
 * comment or be anything but text to the page. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "base/grow.h"
#include "base/index.h"
#include "base/jsonout.h"
#include "base/outbuf.h"
#include "pstats/diff.h"
#include "pstats/export.h"
#include "pstats/html.h"

#include "html_page.inc"   /* html_head, _mid, _script, _tail (build/gen) */

void ps_html_options_init(ps_html_options *o)
{
    memset(o, 0, sizeof *o);
    ps_folded_options_init(&o->stacks);
    o->diff_tolerance = 1.0;
}

/* A JSON string that is safe inside <script type="application/json">. */
static void json_str(outbuf *b, const char *str, size_t n)
{
    ob_json_str_as(b, str, n, JSON_HTML_SAFE | JSON_BAD_FFFD);
}

/* Text for the HTML <title>: markup characters as references. */
static void html_text(outbuf *b, const char *str)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t n = strlen(str), i = 0;
    while (i < n) {
        uint32_t cp;
        size_t len = utf8_decode(s + i, n - i, &cp, UTF8_VALID);
        if (!len) {
            ob_lit(b, "\xef\xbf\xbd");
            i++;
            continue;
        }
        switch (cp) {
        case '&': ob_lit(b, "&amp;"); break;
        case '<': ob_lit(b, "&lt;"); break;
        case '>': ob_lit(b, "&gt;"); break;
        case '"': ob_lit(b, "&quot;"); break;
        case '\'': ob_lit(b, "&#39;"); break;
        default:
            if (cp < 0x20)
                ob_char(b, ' ');
            else
                ob_mem(b, str + i, len);
        }
        i += len;
    }
}

/* Seconds as integer nanoseconds. */
static void json_ns(outbuf *b, double sec)
{
    if (isnan(sec)) {
        ob_lit(b, "\"NaN\"");
        return;
    }
    if (isinf(sec)) {
        if (sec < 0)
            ob_lit(b, "\"-Infinity\"");
        else
            ob_lit(b, "\"Infinity\"");
        return;
    }
    double ns = sec * 1e9;
    if (fabs(ns) < 9e15) {
        ob_int(b, llround(ns));
    } else {
        char tmp[40];
        int k = snprintf(tmp, sizeof tmp, "%.17g", ns);
        ob_mem(b, tmp, (size_t)k);
    }
}

/* An integer JavaScript holds exactly, else its digits as a string. */
static void json_i64(outbuf *b, int64_t v)
{
    if (v > 9007199254740991LL || v < -9007199254740991LL) {
        ob_char(b, '"');
        ob_int(b, v);
        ob_char(b, '"');
    } else {
        ob_int(b, v);
    }
}

#define KEY(b, lit) ob_lit(b, ",\"" lit "\":[")

/* ---- the string table --------------------------------------------------------- */

typedef struct strtab {
    ps_index ix;               /* by the pooled string's hash; interned: same text, same pointer */
    const ps_str **list;       /* by id */
    uint32_t n;
} strtab;

/* Room for `expect` strings: strtab_get cannot fail for that many. */
static int strtab_init(strtab *t, size_t expect)
{
    t->list = malloc(expect * sizeof *t->list + 1);
    t->n = 0;
    return ps_index_init(&t->ix, expect) == 0 && t->list ? 0 : -1;
}

static void strtab_free(strtab *t)
{
    ps_index_free(&t->ix);
    free(t->list);
}

static uint32_t strtab_get(strtab *t, const ps_str *p)
{
    ps_index_probe pr;
    for (uint32_t id = ps_index_find(&t->ix, p->hash, &pr); id != PS_INDEX_NONE;
         id = ps_index_next(&t->ix, &pr))
        if (t->list[id] == p)
            return id;
    t->list[t->n] = p;
    (void)ps_index_add(&t->ix, &pr, t->n);   /* no growth within `expect` */
    return t->n++;
}

/* ---- the call tree ------------------------------------------------------------ */

/* The merged stacks (sorted, so every stack sharing a prefix follows the
 * previous one) as a trie written in preorder: a stack shares the nodes of
 * the prefix it has in common with the stack before it. */
static int write_tree(outbuf *b, const ps_stacks *st, ps_error *e)
{
    uint32_t maxd = 0;
    for (size_t i = 0; i < st->nstacks; i++)
        if (st->stacks[i].depth > maxd)
            maxd = st->stacks[i].depth;
    /* nodes are emitted in three passes (one array each); depth/func per node */
    size_t cap = 1024, n = 0;
    uint32_t *depth = malloc(cap * sizeof *depth), *func = malloc(cap * sizeof *func);
    double *self = malloc(cap * sizeof *self);
    if (!depth || !func || !self)
        goto oom;
    /* path[d]: the node at depth d of the stack before */
    uint32_t *path = malloc(((size_t)maxd + 1) * sizeof *path);
    if (!path)
        goto oom;
    const uint32_t *prev = NULL;
    uint32_t prevd = 0;
    for (size_t i = 0; i < st->nstacks; i++) {
        const ps_stack *k = &st->stacks[i];
        const uint32_t *fr = st->frames + k->first;
        uint32_t common = 0;
        while (prev && common < prevd && common < k->depth && prev[common] == fr[common])
            common++;
        for (uint32_t d = common; d < k->depth; d++) {
            if (n == cap) {
                cap = ps_grow_cap(cap, n + 1);
                if (ps_resize(&depth, cap, sizeof *depth) < 0 ||
                    ps_resize(&func, cap, sizeof *func) < 0 ||
                    ps_resize(&self, cap, sizeof *self) < 0) {
                    free(path);
                    goto oom;
                }
            }
            depth[n] = d;
            func[n] = fr[d];
            self[n] = 0;
            path[d] = (uint32_t)n++;
        }
        /* also a stack equal to, or a prefix of, the one before (stacks
         * come sorted and merged, so neither should occur) */
        self[path[k->depth - 1]] += k->weight;
        prev = fr;
        prevd = k->depth;
    }
    free(path);
    KEY(b, "td");
    for (size_t i = 0; i < n; i++) {
        if (i)
            ob_char(b, ',');
        ob_int(b, depth[i]);
    }
    ob_char(b, ']');
    KEY(b, "tf");
    for (size_t i = 0; i < n; i++) {
        if (i)
            ob_char(b, ',');
        ob_int(b, func[i]);
    }
    ob_char(b, ']');
    KEY(b, "ts");
    for (size_t i = 0; i < n; i++) {
        if (i)
            ob_char(b, ',');
        json_ns(b, self[i]);
    }
    ob_char(b, ']');
    free(depth);
    free(func);
    free(self);
    return 0;
oom:
    free(depth);
    free(func);
    free(self);
    return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
}

/* ---- the page ----------------------------------------------------------------- */

/* The functions the page shows, numbered afresh: the entries first, in dict
 * order (so entry i is function i and needs no index array), then functions
 * seen only as callers or in stacks.  Keys no longer referenced (the
 * unstripped names after strip_dirs, say) are left out.  map[old id] is the
 * new id or PS_NONE; used[new id] the old one. */
typedef struct funcmap {
    uint32_t *map, *used;
    uint32_t n;
} funcmap;

static void map_use(funcmap *m, uint32_t f)
{
    if (m->map[f] == PS_NONE) {
        m->map[f] = m->n;
        m->used[m->n++] = f;
    }
}

static int funcmap_build(funcmap *m, const ps_stats *s, const ps_stacks *st, ps_error *e)
{
    m->n = 0;
    m->map = malloc(((size_t)s->nfuncs + 1) * sizeof *m->map);
    m->used = malloc(((size_t)s->nfuncs + 1) * sizeof *m->used);
    if (!m->map || !m->used)
        return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
    for (uint32_t f = 0; f < s->nfuncs; f++)
        m->map[f] = PS_NONE;
    for (uint32_t i = 0; i < s->nentries; i++)
        map_use(m, s->entries[i].func);
    for (uint32_t i = 0; i < s->nentries; i++)
        for (uint32_t j = 0; j < s->entries[i].ncallers; j++)
            map_use(m, s->entries[i].callers[j].caller);
    for (size_t i = 0; i < st->nframes; i++)
        map_use(m, st->frames[i]);
    return 0;
}

/* "diff": BASE's side of every entry of s (NEW), in entry order. */
static int write_diff(outbuf *b, const ps_stats *s, const ps_html_options *o, ps_error *e)
{
    ps_diff_options dopt;
    ps_diff_options_init(&dopt);
    ps_diff d;
    /* without --strip-dirs the diff leaves both stats as they are */
    if (ps_diff_build((ps_stats *)o->diff_base, (ps_stats *)s, &dopt, &d, e) < 0)
        return -1;
    const ps_diff_side **side = calloc((size_t)s->nentries + 1, sizeof *side);
    if (!side) {
        ps_diff_free(&d);
        return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
    }
    for (size_t r = 0; r < d.nrows; r++)
        if ((d.rows[r].in & (PS_DIFF_IN_BASE | PS_DIFF_IN_NEW)) == (PS_DIFF_IN_BASE | PS_DIFF_IN_NEW))
            side[s->funcs[d.rows[r].new_func].entry] = &d.rows[r].base;
    ob_lit(b, ",\"diff\":{\"base\":");
    const char *name = o->diff_name ? o->diff_name : "BASE";
    json_str(b, name, strlen(name));
    ob_lit(b, ",\"total_tt\":");
    json_ns(b, d.tbase.time);
    ob_lit(b, ",\"total_calls\":");
    json_i64(b, d.tbase.calls);
    ob_lit(b, ",\"tolerance\":");
    char tol[40];
    int k = snprintf(tol, sizeof tol, "%.17g", isfinite(o->diff_tolerance) ? o->diff_tolerance : 0.0);
    ob_mem(b, tol, (size_t)k);
    ob_lit(b, ",\"removed\":");
    ob_int(b, (long long)d.nremoved);
#define SIDE_ARRAY(key, expr)                                   \
    KEY(b, key);                                                \
    for (uint32_t i = 0; i < s->nentries; i++) {                \
        const ps_diff_side *sd = side[i];                       \
        if (i)                                                  \
            ob_char(b, ',');                                    \
        if (!sd)                                                \
            ob_char(b, '0');                                    \
        else                                                    \
            expr;                                               \
    }                                                           \
    ob_char(b, ']')
    SIDE_ARRAY("nc", json_i64(b, sd->nc));
    SIDE_ARRAY("tt", json_ns(b, sd->tt));
    SIDE_ARRAY("ct", json_ns(b, sd->ct));
#undef SIDE_ARRAY
    KEY(b, "absent");
    int first = 1;
    for (uint32_t i = 0; i < s->nentries; i++)
        if (!side[i]) {
            if (!first)
                ob_char(b, ',');
            first = 0;
            ob_int(b, i);
        }
    ob_lit(b, "]}");
    free(side);
    ps_diff_free(&d);
    return 0;
}

/* Everything but the edges (write_edges); the stacks are renumbered through
 * m (and merged) on the way. */
static int write_data(outbuf *b, const ps_stats *s, const ps_html_options *o, ps_stacks *stp,
                      const funcmap *m, ps_error *e)
{
    ps_stacks st = *stp;
    strtab t;
    if (strtab_init(&t, (size_t)m->n * 2 + 1) < 0) {
        strtab_free(&t);
        return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
    }
    ob_lit(b, "{\"v\":1,\"title\":");
    const char *title = o->title ? o->title : "Profile";
    json_str(b, title, strlen(title));
    ob_lit(b, ",\"inputs\":");
    const char *inputs = o->inputs ? o->inputs : "";
    json_str(b, inputs, strlen(inputs));
    ob_lit(b, ",\"estimated\":");
    ob_int(b, st.estimated);
    ob_lit(b, ",\"sampled\":");
    ob_int(b, s->sampled);
    ob_lit(b, ",\"total_calls\":");
    json_i64(b, s->total_calls);
    ob_lit(b, ",\"prim_calls\":");
    json_i64(b, s->prim_calls);
    ob_lit(b, ",\"total_tt\":");
    json_ns(b, s->total_tt);
    ob_lit(b, ",\"idle\":");
    json_ns(b, st.idle_weight);
    KEY(b, "files");
    for (size_t i = 0; i < s->nfiles; i++) {
        if (i)
            ob_char(b, ',');
        json_str(b, s->files[i], strlen(s->files[i]));
    }
    ob_char(b, ']');

    /* functions: the string ids first, so the table is complete before it is written */
    uint32_t *ff = malloc(((size_t)m->n + 1) * 2 * sizeof *ff);
    if (!ff) {
        strtab_free(&t);
        return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
    }
    uint32_t *fn = ff + m->n + 1;
    for (uint32_t i = 0; i < m->n; i++) {
        ff[i] = strtab_get(&t, s->funcs[m->used[i]].file);
        fn[i] = strtab_get(&t, s->funcs[m->used[i]].name);
    }
    KEY(b, "str");
    for (uint32_t i = 0; i < t.n; i++) {
        if (i)
            ob_char(b, ',');
        json_str(b, t.list[i]->s, t.list[i]->len);
    }
    ob_char(b, ']');
    KEY(b, "ff");
    for (uint32_t i = 0; i < m->n; i++) {
        if (i)
            ob_char(b, ',');
        ob_int(b, ff[i]);
    }
    ob_char(b, ']');
    KEY(b, "fn");
    for (uint32_t i = 0; i < m->n; i++) {
        if (i)
            ob_char(b, ',');
        ob_int(b, fn[i]);
    }
    ob_char(b, ']');
    free(ff);
    strtab_free(&t);
    KEY(b, "fl");
    for (uint32_t i = 0; i < m->n; i++) {
        if (i)
            ob_char(b, ',');
        json_i64(b, s->funcs[m->used[i]].line);
    }
    ob_char(b, ']');

    /* entries */
#define ENTRY_ARRAY(key, expr)                       \
    KEY(b, key);                                     \
    for (uint32_t i = 0; i < s->nentries; i++) {     \
        const ps_entry *en = &s->entries[i];         \
        if (i)                                       \
            ob_char(b, ',');                         \
        expr;                                        \
    }                                                \
    ob_char(b, ']')
    ENTRY_ARRAY("nc", json_i64(b, en->nc));
    ENTRY_ARRAY("pc", json_i64(b, ps_count_sub(en->nc, en->cc)));
    ENTRY_ARRAY("tt", json_ns(b, en->tt));
    ENTRY_ARRAY("ct", json_ns(b, en->ct));
    ENTRY_ARRAY("en", ob_int(b, en->ncallers));
#undef ENTRY_ARRAY

    if (o->diff_base && write_diff(b, s, o, e) < 0)
        return -1;

    int rc = ps_stacks_remap(&st, m->map, e);
    if (rc == 0)
        rc = write_tree(b, &st, e);
    *stp = st;
    ob_char(b, '}');
    return rc;
}

/* The callers of every entry in one run, as a second JSON object placed
 * after the page's script: the page draws the chart and the table while the
 * browser is still reading these (most of a large profile's bytes). */
static void write_edges(outbuf *b, const ps_stats *s, const funcmap *m)
{
    size_t nedges = 0;
    for (uint32_t i = 0; i < s->nentries; i++)
        nedges += s->entries[i].ncallers;
    ob_lit(b, "{\"n\":");
    ob_int(b, (long long)nedges);
#define EDGE_ARRAY(key, expr)                                  \
    KEY(b, key);                                               \
    {                                                          \
        int first = 1;                                         \
        for (uint32_t i = 0; i < s->nentries; i++) {           \
            const ps_entry *en = &s->entries[i];               \
            for (uint32_t j = 0; j < en->ncallers; j++) {      \
                const ps_edge *ed = &en->callers[j];           \
                if (!first)                                    \
                    ob_char(b, ',');                           \
                first = 0;                                     \
                expr;                                          \
            }                                                  \
        }                                                      \
    }                                                          \
    ob_char(b, ']')
    EDGE_ARRAY("ec", ob_int(b, m->map[ed->caller]));
    EDGE_ARRAY("enc", json_i64(b, ed->nc));
    EDGE_ARRAY("epc", json_i64(b, ed->shape == PS_EDGE_INT ? 0 : ps_count_sub(ed->nc, ed->cc)));
    EDGE_ARRAY("ett", json_ns(b, ed->shape == PS_EDGE_INT ? 0 : ed->tt));
    EDGE_ARRAY("ect", json_ns(b, ed->shape == PS_EDGE_INT ? 0 : ed->ct));
#undef EDGE_ARRAY
    KEY(b, "eint");
    {
        size_t k = 0;
        int first = 1;
        for (uint32_t i = 0; i < s->nentries; i++)
            for (uint32_t j = 0; j < s->entries[i].ncallers; j++, k++)
                if (s->entries[i].callers[j].shape == PS_EDGE_INT) {
                    if (!first)
                        ob_char(b, ',');
                    first = 0;
                    ob_int(b, (long long)k);
                }
    }
    ob_char(b, ']');

    ob_char(b, '}');
}

int ps_html_write_fp(const ps_stats *s, FILE *fp, const ps_html_options *o, const char *what,
                     ps_error *e)
{
    ps_html_options defaults;
    if (!o) {
        ps_html_options_init(&defaults);
        o = &defaults;
    }
    outbuf *b = malloc(sizeof *b);
    if (!b)
        return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
    ob_init(b, fp);
    ob_mem(b, (const char *)html_head, sizeof html_head);
    html_text(b, o->title ? o->title : "Profile");
    ob_mem(b, (const char *)html_mid, sizeof html_mid);
    ps_stacks st;
    funcmap m = {NULL, NULL, 0};
    int rc = ps_stacks_of(s, &o->stacks, &st, e);
    if (rc == 0) {
        rc = funcmap_build(&m, s, &st, e);
        if (rc == 0)
            rc = write_data(b, s, o, &st, &m, e);
        ps_stacks_free(&st);
    }
    ob_mem(b, (const char *)html_script, sizeof html_script);
    if (rc == 0)
        write_edges(b, s, &m);
    ob_mem(b, (const char *)html_tail, sizeof html_tail);
    free(m.map);
    free(m.used);
    if (rc == 0)
        rc = ob_finish(b, what, e);
    free(b);
    return rc;
}

int ps_html_write(const ps_stats *s, const char *path, const ps_html_options *o, ps_error *e)
{
    export_file f;
    if (ps_export_file_open(&f, path, e) < 0)
        return -1;
    if (ps_html_write_fp(s, f.fp, o, path, e) < 0) {
        ps_export_file_abort(&f);
        return -1;
    }
    return ps_export_file_commit(&f, e);
}
