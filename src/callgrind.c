/* callgrind.c - the Callgrind format writer (anchors.md section 2). */
#include <errno.h>
#include <float.h>
#include <stdlib.h>
#include <string.h>
#include "callgraph.h"
#include "outbuf.h"
#include "pstats/callgrind.h"
#include "pstats/export.h"

#define CG_VERSION "0.1"

void callgrind_options_init(callgrind_options *o)
{
    memset(o, 0, sizeof *o);
    o->recursion = CALLGRIND_RECURSION_KEEP;
}

int callgrind_parse_option(callgrind_options *o, int argc, char **argv, int *i, ps_error *e)
{
    const char *a = argv[*i], *val;
    if (strncmp(a, "--recursion=", 12) == 0) {
        val = a + 12;
    } else if (strcmp(a, "--recursion") == 0) {
        if (*i + 1 >= argc)
            return ps_error_set(e, PS_EUSAGE, -1, "--recursion needs a value (keep or drop)");
        val = argv[++*i];
    } else {
        return 0;
    }
    if (strcmp(val, "keep") == 0)
        o->recursion = CALLGRIND_RECURSION_KEEP;
    else if (strcmp(val, "drop") == 0)
        o->recursion = CALLGRIND_RECURSION_DROP;
    else
        return ps_error_set(e, PS_EUSAGE, -1, "--recursion: '%s' is not keep or drop", val);
    return 1;
}

char *callgrind_default_output(const char *input)
{
    const char *base = strrchr(input, '/');
    base = base ? base + 1 : input;
    size_t n = strlen(base);
    char *out = malloc(n + 9);
    if (!out)
        return NULL;
    memcpy(out, base, n);
    memcpy(out + n, ".log", 5);
    if (strcmp(out, input) == 0)
        memcpy(out + n + 4, ".log", 5);
    return out;
}

/* ---- costs -------------------------------------------------------------------------- */

/* pyprof2calltree's int(t * 1e9): scaled, truncated toward zero.  Values no
 * reader could show are written as 0 (NaN, infinite, negative) or 1e18. */
static long long ns_of(double t)
{
    double x = t * 1e9;
    if (!(x > 0) || x > DBL_MAX)
        return 0;
    if (x >= 1e18)
        return 1000000000000000000LL;
    return (long long)x;
}

static long long line_of(int64_t line)
{
    return line > 0 ? (long long)line : 0;   /* "-N" would read as a relative position */
}

/* ---- order and names ----------------------------------------------------------------- */

static int str_cmp(const ps_str *a, const ps_str *b)
{
    if (a == b)
        return 0;
    size_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->s, b->s, n);
    if (c)
        return c;
    return a->len < b->len ? -1 : a->len > b->len;
}

/* qsort has no context argument; a thread-local pointer would be global state,
 * so the keys are copied next to the ids instead. */
typedef struct key_item {
    const ps_str *file, *name;
    int64_t line;
    uint32_t id;
} key_item;

static int key_cmp(const void *pa, const void *pb)
{
    const key_item *a = pa, *b = pb;
    int c = str_cmp(a->file, b->file);
    if (c)
        return c;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    c = str_cmp(a->name, b->name);
    if (c)
        return c;
    return a->id < b->id ? -1 : a->id > b->id;
}

/* Same (file, name) text, by pointer (strings are interned). */
static int pair_cmp(const void *pa, const void *pb)
{
    const key_item *a = pa, *b = pb;
    if (a->file != b->file)
        return (uintptr_t)a->file < (uintptr_t)b->file ? -1 : 1;
    if (a->name != b->name)
        return (uintptr_t)a->name < (uintptr_t)b->name ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

/* What the body needs of a function, packed: the arcs visit callees in
 * random order, so this is the table that must stay in cache.  Ids need not
 * come in order of first use: a function's id is its rank in the output
 * order, a file's the rank of its string among the files. */
typedef struct cg_func {
    long long line;            /* position written (negative lines as 0) */
    uint32_t fn_id;            /* compression ids, from 1 */
    uint32_t file_id;
} cg_func;

typedef struct cg_writer {
    outbuf *out;
    const ps_stats *s;
    const uint8_t *munge;      /* write "name:line" */
    const cg_func *fn;
    uint8_t *fn_done;          /* by fn id: the name was written */
    uint8_t *file_done;        /* by file id */
} cg_writer;

static inline void write_id(outbuf *b, const char *key, uint32_t id)
{
    ob_str(b, key);
    ob_char(b, '(');
    ob_int(b, id);
    ob_str(b, ")\n");
}

/* profile.py names builtins with an empty file; an empty name cannot be
 * compressed ("(3) " reads as a reference), so it is written as "~" like
 * cProfile's builtins. */
static void write_file(cg_writer *w, const char *key, uint32_t func)
{
    outbuf *b = w->out;
    uint32_t id = w->fn[func].file_id;
    if (w->file_done[id]) {
        write_id(b, key, id);
        return;
    }
    const ps_str *file = w->s->funcs[func].file;
    w->file_done[id] = 1;
    ob_str(b, key);
    ob_char(b, '(');
    ob_int(b, id);
    ob_str(b, ") ");
    if (file->len)
        ob_name(b, file->s, file->len);
    else
        ob_char(b, '~');
    ob_char(b, '\n');
}

static void write_fn(cg_writer *w, const char *key, uint32_t func)
{
    outbuf *b = w->out;
    uint32_t id = w->fn[func].fn_id;
    if (w->fn_done[id]) {
        write_id(b, key, id);
        return;
    }
    const ps_func *f = &w->s->funcs[func];
    w->fn_done[id] = 1;
    ob_str(b, key);
    ob_char(b, '(');
    ob_int(b, id);
    ob_str(b, ") ");
    if (f->name->len)
        ob_name(b, f->name->s, f->name->len);
    else
        ob_str(b, "???");
    if (w->munge[func]) {
        ob_char(b, ':');
        ob_int(b, (long long)f->line);
    }
    ob_char(b, '\n');
}

int callgrind_write(const ps_stats *s, const callgrind_options *o, FILE *fp,
                    const char *what, ps_error *e)
{
    callgrind_options defaults;
    if (!o) {
        callgrind_options_init(&defaults);
        o = &defaults;
    }
    uint32_t n = s->nfuncs;
    key_item *keys = malloc(((size_t)n + 1) * sizeof *keys);
    uint32_t *order = malloc(((size_t)n + 1) * sizeof *order);
    uint8_t *munge = calloc((size_t)n + 1, 1);
    cg_func *fn = calloc((size_t)n + 1, sizeof *fn);
    uint8_t *fn_done = calloc((size_t)n + 2, 1);
    uint8_t *file_done = calloc((size_t)n + 2, 1);
    outbuf *b = malloc(sizeof *b);
    ps_callgraph g;
    memset(&g, 0, sizeof g);
    int rc = -1;
    if (!keys || !order || !munge || !fn || !fn_done || !file_done || !b) {
        ps_error_set(e, PS_ENOMEM, -1, "out of memory");
        goto done;
    }
    for (uint32_t i = 0; i < n; i++) {
        keys[i] = (key_item){s->funcs[i].file, s->funcs[i].name, s->funcs[i].line, i};
        fn[i].line = line_of(s->funcs[i].line);
    }
    qsort(keys, n, sizeof *keys, key_cmp);
    {
        uint32_t file_id = 0;
        for (uint32_t i = 0; i < n; i++) {
            order[i] = keys[i].id;
            if (i == 0 || keys[i].file != keys[i - 1].file)
                file_id++;
            fn[keys[i].id].fn_id = i + 1;
            fn[keys[i].id].file_id = file_id;
        }
    }
    if (callgraph_build(s, order, &g, e) < 0)
        goto done;
    if (o->recursion == CALLGRIND_RECURSION_DROP && callgraph_scc(&g, e) < 0)
        goto done;

    /* Functions of the output sharing (file, name) at several lines get
     * "name:line", as in pyprof2calltree. */
    uint32_t nused = 0;
    for (uint32_t i = 0; i < n; i++)
        if (g.used[i])
            keys[nused++] = (key_item){s->funcs[i].file, s->funcs[i].name, s->funcs[i].line, i};
    qsort(keys, nused, sizeof *keys, pair_cmp);
    for (uint32_t i = 0; i < nused;) {
        uint32_t j = i + 1;
        while (j < nused && keys[j].file == keys[i].file && keys[j].name == keys[i].name)
            j++;
        if (j - i > 1)
            for (uint32_t k = i; k < j; k++)
                munge[keys[k].id] = 1;
        i = j;
    }

    /* Totals first: summary must come out before the body. */
    long long totals = 0, maxct = 0;
    for (uint32_t i = 0; i < s->nentries; i++) {
        const ps_entry *en = &s->entries[i];
        totals += ns_of(en->tt);
        long long c = ns_of(en->ct);
        if (c > maxct)
            maxct = c;
    }

    ob_init(b, fp);
    cg_writer w = {b, s, munge, fn, fn_done, file_done};
    ob_str(b, "# callgrind format\nversion: 1\ncreator: prof2callgrind " CG_VERSION
              " (pstats toolkit)\n");
    if (o->cmd && *o->cmd) {
        ob_str(b, "cmd: ");
        ob_name(b, o->cmd, strlen(o->cmd));
        ob_char(b, '\n');
    }
    ob_str(b, "positions: line\nevent: ns : Nanoseconds\nevents: ns\nsummary: ");
    /* A summary is at least the sum of the self costs (the format's rule);
     * pyprof2calltree's is the largest cumulative time, usually larger. */
    ob_int(b, maxct > totals ? maxct : totals);
    ob_str(b, "\n\n");

    int drop = o->recursion == CALLGRIND_RECURSION_DROP;
    for (uint32_t k = 0; k < n; k++) {
        uint32_t f = order[k];
        if (!g.used[f])
            continue;
        const ps_entry *en = stats_entry_of(s, f);
        long long fline = fn[f].line;
        write_file(&w, "fl=", f);
        write_fn(&w, "fn=", f);
        ob_int(b, fline);
        ob_char(b, ' ');
        ob_int(b, en ? ns_of(en->tt) : 0);
        ob_char(b, '\n');
        for (uint32_t a = g.start[f]; a < g.start[f + 1]; a++) {
            uint32_t callee = g.to[a];
            if (g.nc[a] <= 0)
                continue;   /* "calls=0" would make readers take the cost as self cost */
            if (drop && g.scc[callee] == g.scc[f])
                continue;
            write_file(&w, "cfl=", callee);
            write_fn(&w, "cfn=", callee);
            ob_str(b, "calls=");
            ob_int(b, (long long)g.nc[a]);
            ob_char(b, ' ');
            ob_int(b, fn[callee].line);
            ob_char(b, '\n');
            ob_int(b, fline);
            ob_char(b, ' ');
            ob_int(b, ns_of(g.w[a]));
            ob_char(b, '\n');
        }
        ob_char(b, '\n');
    }
    ob_str(b, "totals: ");
    ob_int(b, totals);
    ob_char(b, '\n');
    ob_flush(b);
    if (b->failed) {
        e->sys_errno = b->err;
        ps_error_set(e, PS_EIO, -1, "cannot write %s: %s", what ? what : "the output",
                     strerror(b->err));
        goto done;
    }
    rc = 0;
done:
    callgraph_free(&g);
    free(keys);
    free(order);
    free(munge);
    free(fn);
    free(fn_done);
    free(file_done);
    free(b);
    return rc;
}

int callgrind_export(const ps_stats *s, const char *path, const callgrind_options *o,
                     ps_error *e)
{
    export_file f;
    if (export_file_open(&f, path, e) < 0)
        return -1;
    if (callgrind_write(s, o, f.fp, path, e) < 0) {
        export_file_abort(&f);
        return -1;
    }
    return export_file_commit(&f, e);
}
