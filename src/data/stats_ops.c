/* stats_ops.c - what pstats.Stats does to a loaded database: add (merging
 * another one), strip_dirs, and the callees view (calc_callees), as CPython's
 * Lib/pstats.py does them. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "base/grow.h"
#include "data/stats_internal.h"
#include "pstats/sampled.h"
#include "pstats/sort.h"

/* ---- several files into one, as pstats.Stats(a, b, c) does ---------------------- */

int ps_stats_load_files(ps_stats *s, const char *const *paths, size_t n, long *failed,
                     ps_error *e)
{
    *failed = 0;
    if (n == 0)
        return ps_error_set(e, PS_EUSAGE, -1, "no input");
    if (ps_stats_load_file(s, paths[0], e) < 0)
        return -1;
    for (size_t i = n; i-- > 1;) {
        ps_stats *t = ps_stats_new();
        if (!t) {
            *failed = -1;
            return nomem(e);
        }
        int rc = ps_stats_load_file(t, paths[i], e);
        if (rc == 0)
            rc = ps_stats_add(s, t, e);
        ps_stats_free(t);
        if (rc < 0) {
            *failed = (long)i;
            return -1;
        }
    }
    return 0;
}

/* ---- add ------------------------------------------------------------------------ */

/* The other stats' strings, once each: many functions share a file. */
#define STR_MEMO 4096
typedef struct str_memo {
    const ps_str *from, *to;
} str_memo;

static const ps_str *import_str(ps_stats *s, str_memo *memo, const ps_str *x)
{
    str_memo *m = &memo[((uintptr_t)x >> 3) & (STR_MEMO - 1)];
    if (m->from != x) {
        m->to = ps_strpool_intern_str(&s->pool, x);
        m->from = m->to ? x : NULL;
    }
    return m->to;
}

static uint32_t import_func(ps_stats *s, const ps_stats *o, uint32_t f, str_memo *memo)
{
    const ps_func *of = &o->funcs[f];
    const ps_str *file = import_str(s, memo, of->file);
    const ps_str *name = import_str(s, memo, of->name);
    if (!file || !name)
        return PS_NONE;
    uint32_t id = ps_stats_func_intern(s, file, of->line, name, of->name_is_code);
    if (id != PS_NONE && of->file_is_bytes)
        s->funcs[id].file_is_bytes = 1;
    return id;
}

static int shape_clash(ps_error *e, const ps_stats *s, uint32_t callee, uint32_t caller,
                       int existing_is_tuple)
{
    char a[512], b[512];
    ps_stats_std_name(s, caller, a, sizeof a);
    ps_stats_std_name(s, callee, b, sizeof b);
    ps_error_set(e, PS_EMERGE, -1,
                 "cannot merge: the edge %s -> %s has call counts from profile.py (int) "
                 "in one dump and cProfile times (tuple) in the other", a, b);
    if (existing_is_tuple)
        ps_error_py(e, "TypeError", "can only concatenate tuple (not \"int\") to tuple");
    else
        ps_error_py(e, "TypeError", "'int' object is not iterable");
    return -1;
}

/* Merge one entry's values into target as add_func_stats does. */
static int merge_entry(ps_entry *t, int64_t cc, int64_t nc, double tt, double ct,
                       const ps_edge *edges, uint32_t nedges, const uint32_t *map)
{
    t->cc = count_add(cc, t->cc);
    t->nc = count_add(nc, t->nc);
    t->tt = tt + t->tt;
    t->ct = ct + t->ct;
    edge_map m;
    if (edge_map_build(&m, t) < 0)
        return -1;
    for (uint32_t i = 0; i < nedges; i++) {
        ps_edge ed = edges[i];
        if (map)
            ed.caller = map[ed.caller];
        uint32_t j = edge_map_find(&m, ed.caller);
        if (j == PS_NONE) {
            ps_edge *slot = edge_append(t);
            if (!slot) {
                edge_map_free(&m);
                return -1;
            }
            *slot = ed;   /* before edge_map_add, which hashes its caller */
            if (edge_map_add(&m, t->ncallers - 1) < 0) {
                edge_map_free(&m);
                return -1;
            }
            continue;
        }
        ps_edge *x = &t->callers[j];
        if (ed.shape == PS_EDGE_TUPLE) {
            x->nc = count_add(ed.nc, x->nc);
            x->cc = count_add(ed.cc, x->cc);
            x->tt = ed.tt + x->tt;
            x->ct = ed.ct + x->ct;
        } else {
            x->nc = count_add(x->nc, ed.nc);
            x->cc = x->nc;
        }
    }
    edge_map_free(&m);
    return 0;
}

/* The other's exact stacks added to s's (function ids through map), or s's
 * dropped when the other has none (a 3.15 sampled dump): what is kept is
 * exact or nothing. */
static int add_stacks(ps_stats *s, const ps_stats *o, const uint32_t *map, ps_error *e)
{
    if (!s->stacks)
        return 0;
    if (!o->stacks || o->stacks->estimated) {
        ps_stacks_free(s->stacks);
        free(s->stacks);
        s->stacks = NULL;
        return 0;
    }
    const ps_stacks *os = o->stacks;
    uint32_t buf[256];
    for (size_t i = 0; i < os->nstacks; i++) {
        const ps_stack *k = &os->stacks[i];
        uint32_t *fr = k->depth <= 256 ? buf : malloc((size_t)k->depth * sizeof *fr);
        if (!fr)
            return nomem(e);
        for (uint32_t j = 0; j < k->depth; j++)
            fr[j] = map[os->frames[k->first + j]];
        int rc = ps_stacks_add(s->stacks, fr, k->depth, k->weight, k->count, e);
        if (fr != buf)
            free(fr);
        if (rc < 0)
            return -1;
    }
    s->stacks->idle_count = count_add(s->stacks->idle_count, os->idle_count);
    s->stacks->idle_weight += os->idle_weight;
    return ps_stacks_merge(s->stacks, e);
}

int ps_stats_add(ps_stats *s, const ps_stats *o, ps_error *e)
{
    ps_error_clear(e);
    if (!s->sampled != !o->sampled)
        return ps_error_set(e, PS_EMERGE, -1,
                            "cannot merge a sampled profile with a deterministic one (the "
                            "sampled one counts samples, the other calls)");
    if (s->stacks && o->stacks && !s->stacks->estimated && !o->stacks->estimated)
        return ps_sampled_add(s, o, e);
    uint32_t *map = malloc(((size_t)o->nfuncs + 1) * sizeof *map);
    str_memo *memo = calloc(STR_MEMO, sizeof *memo);
    if (!map || !memo) {
        free(map);
        free(memo);
        return nomem(e);
    }
    for (uint32_t f = 0; f < o->nfuncs; f++)
        if ((map[f] = import_func(s, o, f, memo)) == PS_NONE) {
            free(map);
            free(memo);
            return nomem(e);
        }
    free(memo);
    /* CPython raises half-way through on int/tuple mixing; check first so a
     * refused merge leaves the stats untouched. */
    for (uint32_t i = 0; i < o->nentries; i++) {
        const ps_entry *oe = &o->entries[i];
        const ps_entry *te = ps_stats_entry_of(s, map[oe->func]);
        if (!te || !te->ncallers || !oe->ncallers)
            continue;
        /* Only an int edge meeting a tuple edge clashes: the usual case, all
         * tuples (or all ints) on both sides, needs no lookups. */
        unsigned shapes = 0;
        for (uint32_t j = 0; j < oe->ncallers; j++)
            shapes |= 1u << oe->callers[j].shape;
        for (uint32_t j = 0; j < te->ncallers; j++)
            shapes |= 1u << te->callers[j].shape;
        if (shapes != 3u)
            continue;
        edge_map m;
        if (edge_map_build(&m, te) < 0) {
            free(map);
            return nomem(e);
        }
        for (uint32_t j = 0; j < oe->ncallers; j++) {
            uint32_t k = edge_map_find(&m, map[oe->callers[j].caller]);
            if (k != PS_NONE && te->callers[k].shape != oe->callers[j].shape) {
                edge_map_free(&m);
                free(map);
                return shape_clash(e, s, te->func, te->callers[k].caller,
                                   te->callers[k].shape == PS_EDGE_TUPLE);
            }
        }
        edge_map_free(&m);
    }
    /* files and top_level have no capacity: sized exactly, as stats.c makes them */
    if (ps_resize(&s->files, s->nfiles + o->nfiles + 1, sizeof *s->files) < 0) {
        free(map);
        return nomem(e);
    }
    for (size_t i = 0; i < o->nfiles; i++)
        if ((s->files[s->nfiles] = strdup(o->files[i])))
            s->nfiles++;
    s->total_calls += o->total_calls;
    s->prim_calls += o->prim_calls;
    s->total_tt += o->total_tt;
    for (size_t i = 0; i < o->ntop_level; i++) {
        uint32_t f = map[o->top_level[i]], seen = 0;
        for (size_t j = 0; j < s->ntop_level; j++)
            seen |= s->top_level[j] == f;
        if (!seen && ps_resize(&s->top_level, s->ntop_level + 1, sizeof *s->top_level) == 0)
            s->top_level[s->ntop_level++] = f;
    }
    s->fcn_state = 0;
    for (uint32_t i = 0; i < o->nentries; i++) {
        const ps_entry *oe = &o->entries[i];
        ps_entry *te = ps_stats_entry_for(s, map[oe->func], 1);
        if (!te || merge_entry(te, oe->cc, oe->nc, oe->tt, oe->ct, oe->callers,
                               oe->ncallers, map) < 0) {
            free(map);
            return nomem(e);
        }
    }
    int rc = add_stacks(s, o, map, e);
    free(map);
    return rc;
}

/* ---- strip_dirs -------------------------------------------------------------------- */

static const ps_str *basename_of(ps_stats *s, const ps_str *file)
{
    const char *slash = memrchr(file->s, '/', file->len);
    if (!slash)
        return file;
    size_t off = (size_t)(slash + 1 - file->s);
    return ps_strpool_intern(&s->pool, file->s + off, file->len - off);
}

/* Every function re-keyed through map (old id -> new id, both in s->funcs),
 * the entries of one new key summed as add_func_stats does.  Callers of one
 * entry colliding under the new keys: strip_dirs keeps the later one, as
 * CPython's does (sum_callers = 0); granularity adds them up as add_callers
 * would (sum_callers = 1).  Takes map. */
static int rekey(ps_stats *s, uint32_t *map, int sum_callers, ps_error *e)
{
    /* Build the new entries aside; swap in only when complete. */
    ps_stats tmp;
    memset(&tmp, 0, sizeof tmp);
    uint32_t *entry_of = malloc(((size_t)s->nfuncs + 1) * sizeof *entry_of);
    if (!entry_of) {
        free(map);
        return nomem(e);
    }
    memset(entry_of, 0xff, ((size_t)s->nfuncs + 1) * sizeof *entry_of);
    ps_entry *ne = malloc(((size_t)s->nentries + 1) * sizeof *ne);
    uint32_t nne = 0;
    int rc = -1;
    if (!ne) {
        nomem(e);
        goto done;
    }
    for (uint32_t i = 0; i < s->nentries; i++) {
        const ps_entry *oe = &s->entries[i];
        /* Callers colliding after stripping: the later one overwrites. */
        ps_entry fresh = {map[oe->func], 0, 0, oe->cc, oe->nc, oe->tt, oe->ct, NULL};
        edge_map m;
        if (edge_map_build(&m, &fresh) < 0) {
            nomem(e);
            goto done;
        }
        for (uint32_t j = 0; j < oe->ncallers; j++) {
            ps_edge ed = oe->callers[j];
            ed.caller = map[ed.caller];
            uint32_t k = edge_map_find(&m, ed.caller);
            if (k != PS_NONE && sum_callers && fresh.callers[k].shape != ed.shape) {
                int was_tuple = fresh.callers[k].shape == PS_EDGE_TUPLE;
                edge_map_free(&m);
                free(fresh.callers);
                shape_clash(e, s, fresh.func, ed.caller, was_tuple);
                goto done;
            }
            if (k != PS_NONE && sum_callers) {
                ps_edge *x = &fresh.callers[k];
                x->nc = count_add(ed.nc, x->nc);
                x->cc = ed.shape == PS_EDGE_TUPLE ? count_add(ed.cc, x->cc) : x->nc;
                x->tt = ed.tt + x->tt;
                x->ct = ed.ct + x->ct;
                continue;
            }
            if (k != PS_NONE) {
                fresh.callers[k] = ed;
                continue;
            }
            ps_edge *slot = edge_append(&fresh);
            if (slot)
                *slot = ed;   /* before edge_map_add, which hashes its caller */
            if (!slot || edge_map_add(&m, fresh.ncallers - 1) < 0) {
                edge_map_free(&m);
                free(fresh.callers);
                nomem(e);
                goto done;
            }
        }
        edge_map_free(&m);
        uint32_t at = entry_of[fresh.func];
        if (at == PS_NONE) {
            entry_of[fresh.func] = nne;
            ne[nne++] = fresh;
            continue;
        }
        /* Entries colliding after stripping are summed (add_func_stats). */
        ps_entry *t = &ne[at];
        for (uint32_t j = 0; j < fresh.ncallers; j++) {
            for (uint32_t k = 0; k < t->ncallers; k++)
                if (t->callers[k].caller == fresh.callers[j].caller &&
                    t->callers[k].shape != fresh.callers[j].shape) {
                    free(fresh.callers);
                    shape_clash(e, s, t->func, t->callers[k].caller,
                                t->callers[k].shape == PS_EDGE_TUPLE);
                    goto done;
                }
        }
        int m_rc = merge_entry(t, fresh.cc, fresh.nc, fresh.tt, fresh.ct, fresh.callers,
                               fresh.ncallers, NULL);
        free(fresh.callers);
        if (m_rc < 0) {
            nomem(e);
            goto done;
        }
    }
    for (uint32_t i = 0; i < s->nentries; i++)
        entry_free_callers(&s->entries[i]);
    free(s->entries);
    s->entries = ne;
    s->nentries = s->capentries = nne;
    ne = NULL;
    for (uint32_t f = 0; f < s->nfuncs; f++)
        s->funcs[f].entry = PS_NONE;
    for (uint32_t i = 0; i < nne; i++)
        s->funcs[s->entries[i].func].entry = i;
    {
        size_t n = 0;
        for (size_t i = 0; i < s->ntop_level; i++) {
            uint32_t f = map[s->top_level[i]], seen = 0;
            for (size_t j = 0; j < n; j++)
                seen |= s->top_level[j] == f;
            if (!seen)
                s->top_level[n++] = f;
        }
        s->ntop_level = n;
    }
    s->fcn_state = 0;
    ps_stats_callees_free(s->callees);
    s->callees = NULL;
    rc = s->stacks ? ps_stacks_remap(s->stacks, map, e) : 0;
done:
    if (ne) {
        for (uint32_t i = 0; i < nne; i++)
            free(ne[i].callers);
        free(ne);
    }
    free(entry_of);
    free(map);
    return rc;
}

int ps_stats_strip_dirs(ps_stats *s, ps_error *e)
{
    ps_error_clear(e);
    uint32_t nold = s->nfuncs;
    uint32_t *map = malloc(((size_t)nold + 1) * sizeof *map);
    if (!map)
        return nomem(e);
    for (uint32_t f = 0; f < nold; f++) {
        const ps_str *base = basename_of(s, s->funcs[f].file);
        if (!base || (map[f] = ps_stats_func_intern(s, base, s->funcs[f].line, s->funcs[f].name,
                                                 s->funcs[f].name_is_code)) == PS_NONE) {
            free(map);
            return nomem(e);
        }
        if (s->funcs[f].file_is_bytes)
            s->funcs[map[f]].file_is_bytes = 1;
    }
    return rekey(s, map, 0, e);
}

/* ---- granularity ------------------------------------------------------------------ */

/* Orders function ids by (file, name): interned, so by pointer. */
static int cmp_file_name(uint32_t a, uint32_t b, void *ctx)
{
    const ps_func *x = &((const ps_func *)ctx)[a], *y = &((const ps_func *)ctx)[b];
    if (x->file != y->file)
        return (uintptr_t)x->file < (uintptr_t)y->file ? -1 : 1;
    if (x->name != y->name)
        return (uintptr_t)x->name < (uintptr_t)y->name ? -1 : 1;
    return 0;
}

/* functions: (file, name) keyed by the smallest line seen, where a def
 * usually is; files: (file, 0, "<file>"), cProfile's builtins (file '~') as
 * one ('~', 0, "<built-in>") row.  A code-object name (profile.py) stays as
 * it is under functions; its text is not a function name to merge by. */
int ps_stats_granularity(ps_stats *s, int level, ps_error *e)
{
    ps_error_clear(e);
    if (level == PS_GRANULARITY_LINES)
        return 0;
    uint32_t nold = s->nfuncs;
    uint32_t *map = malloc(((size_t)nold + 1) * sizeof *map);
    if (!map)
        return nomem(e);
    const ps_str *file_name = ps_strpool_intern(&s->pool, "<file>", 6);
    const ps_str *builtin_name = ps_strpool_intern(&s->pool, "<built-in>", 10);
    if (!file_name || !builtin_name) {
        free(map);
        return nomem(e);
    }
    /* the smallest line of each (file, name): ids in key order, one pass per run */
    int64_t *minline = NULL;
    if (level == PS_GRANULARITY_FUNCTIONS) {
        uint32_t *ids = malloc(((size_t)nold + 1) * sizeof *ids);
        minline = malloc(((size_t)nold + 1) * sizeof *minline);
        if (!ids || !minline) {
            free(ids), free(minline), free(map);
            return nomem(e);
        }
        for (uint32_t f = 0; f < nold; f++)
            ids[f] = f;
        if (ps_sort_ids(ids, nold, cmp_file_name, s->funcs) < 0) {
            free(ids), free(minline), free(map);
            return nomem(e);
        }
        for (uint32_t i = 0, j; i < nold; i = j) {
            int64_t lo = s->funcs[ids[i]].line;
            for (j = i; j < nold && cmp_file_name(ids[i], ids[j], s->funcs) == 0; j++)
                if (s->funcs[ids[j]].line < lo)
                    lo = s->funcs[ids[j]].line;
            for (uint32_t k = i; k < j; k++)
                minline[ids[k]] = lo;
        }
        free(ids);
    }
    for (uint32_t f = 0; f < nold; f++) {
        const ps_func *fn = &s->funcs[f];
        const ps_str *name = fn->name;
        int64_t line = 0;
        int is_code = fn->name_is_code;
        if (level == PS_GRANULARITY_FILES) {
            int builtin = fn->file->len == 1 && fn->file->s[0] == '~';
            name = builtin ? builtin_name : file_name;
            is_code = 0;
        } else {
            line = minline[f];
        }
        if ((map[f] = ps_stats_func_intern(s, fn->file, line, name, is_code)) == PS_NONE) {
            free(map), free(minline);
            return nomem(e);
        }
        if (s->funcs[f].file_is_bytes)
            s->funcs[map[f]].file_is_bytes = 1;
    }
    free(minline);
    return rekey(s, map, 1, e);
}

/* ---- callees ------------------------------------------------------------------------ */

int ps_stats_calc_callees(ps_stats *s, ps_error *e)
{
    if (s->callees)
        return 0;
    ps_callees *c = calloc(1, sizeof *c);
    if (!c)
        return nomem(e);
    c->nfuncs = s->nfuncs;
    c->start = calloc((size_t)s->nfuncs + 1, sizeof *c->start);
    c->known = calloc((size_t)s->nfuncs + 1, 1);
    size_t total = 0;
    for (uint32_t i = 0; i < s->nentries; i++)
        total += s->entries[i].ncallers;
    c->items = malloc((total + 1) * sizeof *c->items);
    if (!c->start || !c->known || !c->items) {
        ps_stats_callees_free(c);
        return nomem(e);
    }
    for (uint32_t i = 0; i < s->nentries; i++) {
        const ps_entry *en = &s->entries[i];
        c->known[en->func] = 1;
        for (uint32_t j = 0; j < en->ncallers; j++) {
            c->known[en->callers[j].caller] = 1;
            c->start[en->callers[j].caller + 1]++;
        }
    }
    for (uint32_t f = 0; f < s->nfuncs; f++)
        c->start[f + 1] += c->start[f];
    uint32_t *fill = malloc(((size_t)s->nfuncs + 1) * sizeof *fill);
    if (!fill) {
        ps_stats_callees_free(c);
        return nomem(e);
    }
    memcpy(fill, c->start, ((size_t)s->nfuncs + 1) * sizeof *fill);
    for (uint32_t i = 0; i < s->nentries; i++) {
        const ps_entry *en = &s->entries[i];
        for (uint32_t j = 0; j < en->ncallers; j++) {
            ps_callee *it = &c->items[fill[en->callers[j].caller]++];
            it->callee = en->func;
            it->edge = en->callers[j];
        }
    }
    free(fill);
    s->callees = c;
    return 0;
}

const ps_callee *ps_stats_callees_of(const ps_stats *s, uint32_t func, uint32_t *n)
{
    const ps_callees *c = s->callees;
    if (!c || func >= c->nfuncs) {
        *n = 0;
        return NULL;
    }
    *n = c->start[func + 1] - c->start[func];
    return *n ? &c->items[c->start[func]] : NULL;
}

int ps_stats_callees_known(const ps_stats *s, uint32_t func)
{
    return s->callees && func < s->callees->nfuncs && s->callees->known[func];
}

/* ---- a derived view ------------------------------------------------------------------ */

int ps_stats_rebuild(ps_stats *s, const uint8_t *keep, ps_callers_fn callers_of, void *ctx,
                     ps_error *e)
{
    ps_error_clear(e);
    uint32_t n = 0;
    for (uint32_t i = 0; i < s->nentries; i++) {
        ps_entry *en = &s->entries[i];
        if (!keep[en->func]) {
            s->funcs[en->func].entry = PS_NONE;
            entry_free_callers(en);
            continue;
        }
        uint32_t nc;
        const ps_edge *ed = callers_of(ctx, en->func, &nc);
        if (!ed && nc)
            return nomem(e);
        ps_edge *copy = malloc((size_t)callers_room(nc) * sizeof *copy);
        if (!copy)
            return nomem(e);
        memcpy(copy, ed, (size_t)nc * sizeof *copy);
        entry_free_callers(en);
        en->callers = copy;
        en->ncallers = nc;
        en->own = 1;
        s->funcs[en->func].entry = n;
        s->entries[n++] = *en;
    }
    s->nentries = n;
    /* the totals as load_stats computes them, of what is left */
    s->total_calls = s->prim_calls = 0;
    s->total_tt = 0.0;
    for (uint32_t i = 0; i < n; i++) {
        s->total_calls += s->entries[i].nc;
        s->prim_calls += s->entries[i].cc;
        s->total_tt += s->entries[i].tt;
    }
    size_t nt = 0;
    for (size_t i = 0; i < s->ntop_level; i++)
        if (keep[s->top_level[i]])
            s->top_level[nt++] = s->top_level[i];
    s->ntop_level = nt;
    s->fcn_state = 0;
    ps_stats_callees_free(s->callees);
    s->callees = NULL;
    if (s->stacks) {      /* the exact stacks are of the whole profile, not of this view */
        ps_stacks_free(s->stacks);
        free(s->stacks);
        s->stacks = NULL;
    }
    return 0;
}
