/* diff.c - two profiles compared: matching, normalizing, row order, the gate
 * and the table's selection (the writers are in diff_write.c).
 *
 * Matching goes through one open-addressing table of groups, a group being
 * the functions of both sides that share a key ((file, name), or (file, line,
 * name) for exact matching).  The two stats intern their strings in two
 * pools, so keys compare by the strings' hashes, then their bytes.  A group
 * with one function on each side is a pair; a larger one pairs by nearest
 * lines, in order, after the file's shift (pair_group).  Everything is linear in the functions but the sort of the
 * rows and the pairing inside groups of one name, which are small in real
 * code (a few <lambda>s); a huge group, which only a made-up dump has, pairs
 * in line order instead so no input can make it quadratic. */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "base/grow.h"
#include "base/index.h"
#include "base/mem.h"
#include "base/pycompat.h"
#include "pstats/diff.h"
#include "pstats/report.h"

void ps_diff_options_init(ps_diff_options *o)
{
    memset(o, 0, sizeof *o);
    o->match = PS_DIFF_MATCH_NAME;
    o->sort = PS_DIFF_SORT_CUMTIME;
    o->fail_above = -1;
    o->fail_function_above = -1;
}

int ps_diff_parse_sort(const char *w)
{
    if (!strcmp(w, "cumtime") || !strcmp(w, "cumulative") || !strcmp(w, "cum"))
        return PS_DIFF_SORT_CUMTIME;
    if (!strcmp(w, "tottime") || !strcmp(w, "time") || !strcmp(w, "tot"))
        return PS_DIFF_SORT_TOTTIME;
    if (!strcmp(w, "ncalls") || !strcmp(w, "calls"))
        return PS_DIFF_SORT_NCALLS;
    return -1;
}

int ps_diff_parse_format(const char *w)
{
    if (!strcmp(w, "text"))
        return PS_DIFF_TEXT;
    if (!strcmp(w, "markdown") || !strcmp(w, "md"))
        return PS_DIFF_MARKDOWN;
    if (!strcmp(w, "json"))
        return PS_DIFF_JSON;
    return -1;
}

double ps_diff_delta(const ps_diff_row *r, int measure)
{
    switch (measure) {
    case PS_DIFF_SORT_TOTTIME:
        return r->new.tt - r->base.tt;
    case PS_DIFF_SORT_NCALLS:
        return (double)ps_count_sub(r->new.nc, r->base.nc);
    default:
        return r->new.ct - r->base.ct;
    }
}

static int nomem(ps_error *e) { return ps_error_set(e, PS_ENOMEM, -1, "out of memory"); }

/* ---- matching ------------------------------------------------------------ */

/* A function's name as matching sees it: in name mode the addresses CPython
 * prints in some names (" at 0x7f..." of a builtin bound to an object) are
 * left out, since they change from run to run. */
typedef struct keyname {
    const char *s;
    size_t len;
    uint32_t hash;
} keyname;

typedef struct group {
    const ps_str *file;
    keyname name;
    int64_t line;
    uint32_t bhead, nhead;       /* entry indexes, chained through bnext/nnext */
    uint32_t nb, nn;
} group;

typedef struct matcher {
    int exact;
    group *groups;
    uint32_t ngroups;
    ps_index index;              /* key hash -> group */
    uint32_t *bnext, *nnext;
    arena names;                 /* names with their addresses left out */
    char *scratch;
    size_t scratchcap;
} matcher;

/* The name without " at 0x<hex>" runs (name mode), or as it is. */
static int key_name(matcher *m, const ps_str *name, keyname *k)
{
    k->s = name->s;
    k->len = name->len;
    k->hash = name->hash;
    if (m->exact || !memmem(name->s, name->len, " at 0x", 6))
        return 0;
    if (ps_grow(&m->scratch, &m->scratchcap, (size_t)name->len + 1, 1) < 0)
        return -1;
    size_t n = 0;
    for (size_t i = 0; i < name->len;) {
        if (i + 7 <= name->len && !memcmp(name->s + i, " at 0x", 6) &&
            isxdigit((unsigned char)name->s[i + 6])) {
            i += 6;
            while (i < name->len && isxdigit((unsigned char)name->s[i]))
                i++;
            continue;
        }
        m->scratch[n++] = name->s[i++];
    }
    k->s = m->scratch;
    k->len = n;
    k->hash = ps_hash_bytes(m->scratch, n);
    return 0;
}

static uint32_t key_hash(const ps_func *f, const keyname *k, int exact)
{
    uint64_t h = (uint64_t)f->file->hash * 0x9E3779B97F4A7C15ULL ^ k->hash;
    if (exact)
        h = (h ^ (uint64_t)f->line) * 0xC2B2AE3D27D4EB4FULL;
    h ^= h >> 29;
    return (uint32_t)h ^ (uint32_t)(h >> 32);
}

static int same_str(const ps_str *a, const ps_str *b)
{
    return a == b || (a->hash == b->hash && a->len == b->len && !memcmp(a->s, b->s, a->len));
}

static int same_key(const group *g, const ps_func *f, const keyname *k, int exact)
{
    return (!exact || g->line == f->line) && g->name.hash == k->hash &&
           g->name.len == k->len && !memcmp(g->name.s, k->s, k->len) &&
           same_str(g->file, f->file);
}

/* Add entry e of one side (is_new) to its group. */
static int group_add(matcher *m, const ps_stats *s, uint32_t e, int is_new)
{
    const ps_func *f = &s->funcs[s->entries[e].func];
    keyname k;
    if (key_name(m, f->name, &k) < 0)
        return -1;
    ps_index_probe p;
    group *g = NULL;
    for (uint32_t id = ps_index_find(&m->index, key_hash(f, &k, m->exact), &p);
         id != PS_INDEX_NONE && !g; id = ps_index_next(&m->index, &p))
        if (same_key(&m->groups[id], f, &k, m->exact))
            g = &m->groups[id];
    if (!g) {
        if (k.s == m->scratch) {
            char *copy = ps_arena_alloc(&m->names, k.len + 1);
            if (!copy)
                return -1;
            memcpy(copy, k.s, k.len);
            k.s = copy;
        }
        if (ps_index_add(&m->index, &p, m->ngroups) < 0)
            return -1;
        g = &m->groups[m->ngroups++];
        g->file = f->file;
        g->name = k;
        g->line = f->line;
        g->bhead = g->nhead = PS_NONE;
        g->nb = g->nn = 0;
    }
    /* Chains are built backwards; the pairing does not depend on their order. */
    if (is_new) {
        m->nnext[e] = g->nhead;
        g->nhead = e;
        g->nn++;
    } else {
        m->bnext[e] = g->bhead;
        g->bhead = e;
        g->nb++;
    }
    return 0;
}

typedef struct line_of {
    int64_t line;
    uint32_t e;
} line_of;

static int line_cmp(const void *pa, const void *pb)
{
    const line_of *a = pa, *b = pb;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    return a->e < b->e ? -1 : a->e > b->e;
}

/* |a + shift - b|, saturating (lines of a made-up dump may be anything). */
static uint64_t line_cost(int64_t a, int64_t shift, int64_t b)
{
    int64_t t, d;
    if (__builtin_add_overflow(a, shift, &t) || __builtin_sub_overflow(t, b, &d))
        return UINT64_MAX / 4;
    uint64_t u = d < 0 ? (uint64_t)0 - (uint64_t)d : (uint64_t)d;
    return u > UINT64_MAX / 4 ? UINT64_MAX / 4 : u;
}

/* The DP's cells above this fall back to pairing the i-th with the i-th. */
#define GROUP_CELLS_MAX ((size_t)1 << 20)

typedef struct cell {
    uint32_t pairs;
    uint8_t how;           /* 0 pair i with j, 1 skip base i, 2 skip new j */
    uint64_t cost;
} cell;

/* A group with several functions on a side.  Functions of one name keep
 * their order in a file from one commit to the next, and the file's code
 * moves by about the shift its one-of-a-name functions show: the pairing
 * keeps the order (a monotone matching), pairs as many as it can, and among
 * those takes the least sum of |base line + shift - new line|.  Ties go to
 * pairing first, then to skipping the base function.  With as many on each
 * side, this pairs the i-th with the i-th. */
static int pair_group(const group *g, int64_t shift, const ps_stats *bs, const ps_stats *ns,
                      const matcher *m, uint32_t *bmatch, uint32_t *nmatch)
{
    size_t nb = g->nb, nn = g->nn;
    line_of *lb = malloc(nb * sizeof *lb), *ln = malloc(nn * sizeof *ln);
    cell *t = NULL;
    int big = (uint64_t)(nb + 1) * (nn + 1) > GROUP_CELLS_MAX;
    if (!big)
        t = malloc((nb + 1) * (nn + 1) * sizeof *t);
    if (!lb || !ln || (!big && !t)) {
        free(lb);
        free(ln);
        free(t);
        return -1;
    }
    size_t k = 0;
    for (uint32_t b = g->bhead; b != PS_NONE; b = m->bnext[b])
        lb[k++] = (line_of){bs->funcs[bs->entries[b].func].line, b};
    k = 0;
    for (uint32_t n = g->nhead; n != PS_NONE; n = m->nnext[n])
        ln[k++] = (line_of){ns->funcs[ns->entries[n].func].line, n};
    qsort(lb, nb, sizeof *lb, line_cmp);
    qsort(ln, nn, sizeof *ln, line_cmp);
    if (big) {
        for (size_t i = 0; i < nb && i < nn; i++) {
            bmatch[lb[i].e] = ln[i].e;
            nmatch[ln[i].e] = lb[i].e;
        }
    } else {
        size_t w = nn + 1;
        for (size_t i = 0; i <= nb; i++)
            for (size_t j = 0; j <= nn; j++) {
                cell best = {0, 0, 0};
                if (i && j) {
                    const cell *c = &t[(i - 1) * w + j - 1];
                    best = (cell){c->pairs + 1, 0,
                                  c->cost + line_cost(lb[i - 1].line, shift, ln[j - 1].line)};
                }
                if (i) {
                    const cell *c = &t[(i - 1) * w + j];
                    if (!(i && j) || c->pairs > best.pairs ||
                        (c->pairs == best.pairs && c->cost < best.cost))
                        best = (cell){c->pairs, 1, c->cost};
                }
                if (j) {
                    const cell *c = &t[i * w + j - 1];
                    if (!i || c->pairs > best.pairs ||
                        (c->pairs == best.pairs && c->cost < best.cost))
                        best = (cell){c->pairs, 2, c->cost};
                }
                t[i * w + j] = best;
            }
        for (size_t i = nb, j = nn; i && j;) {
            uint8_t how = t[i * w + j].how;
            if (how == 0) {
                bmatch[lb[i - 1].e] = ln[j - 1].e;
                nmatch[ln[j - 1].e] = lb[i - 1].e;
                i--, j--;
            } else if (how == 1) {
                i--;
            } else {
                j--;
            }
        }
    }
    free(lb);
    free(ln);
    free(t);
    return 0;
}

/* The shift of a file: the lower median of new line - base line over its
 * functions that are alone of their name on each side. */
typedef struct file_shift {
    const ps_str *file;          /* BASE's string */
    int64_t shift;
} file_shift;

static int shift_cmp(const void *pa, const void *pb)
{
    const file_shift *a = pa, *b = pb;
    if (a->file != b->file)
        return (uintptr_t)a->file < (uintptr_t)b->file ? -1 : 1;
    return a->shift < b->shift ? -1 : a->shift > b->shift;
}

static int64_t shift_of(const file_shift *fs, size_t n, const ps_str *file)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if ((uintptr_t)fs[mid].file < (uintptr_t)file)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < n && fs[end].file == file)
        end++;
    return end > lo ? fs[lo + (end - lo - 1) / 2].shift : 0;
}

/* bmatch[base entry] = new entry, nmatch[new entry] = base entry, or PS_NONE. */
static int match_entries(const ps_stats *bs, const ps_stats *ns, int exact, uint32_t *bmatch,
                         uint32_t *nmatch)
{
    matcher m = {0};
    m.exact = exact;
    size_t total = (size_t)bs->nentries + ns->nentries;
    m.groups = ps_mem_alloc_huge((total + 1) * sizeof *m.groups);
    int index_ok = ps_index_init(&m.index, total) == 0;
    m.bnext = malloc(((size_t)bs->nentries + 1) * sizeof *m.bnext);
    m.nnext = malloc(((size_t)ns->nentries + 1) * sizeof *m.nnext);
    file_shift *fs = NULL;
    size_t nfs = 0;
    int rc = -1, multi = 0;
    ps_arena_init(&m.names);
    if (!m.groups || !index_ok || !m.bnext || !m.nnext)
        goto out;
    for (uint32_t e = 0; e < bs->nentries; e++) {
        bmatch[e] = PS_NONE;
        if (group_add(&m, bs, e, 0) < 0)
            goto out;
    }
    for (uint32_t e = 0; e < ns->nentries; e++) {
        nmatch[e] = PS_NONE;
        if (group_add(&m, ns, e, 1) < 0)
            goto out;
    }
    for (uint32_t i = 0; i < m.ngroups; i++) {
        const group *g = &m.groups[i];
        if (g->nb == 1 && g->nn == 1) {
            bmatch[g->bhead] = g->nhead;
            nmatch[g->nhead] = g->bhead;
        } else if (g->nb && g->nn) {
            multi = 1;
        }
    }
    if (!multi) {
        rc = 0;
        goto out;
    }
    /* Groups with base functions were made by BASE (added first), so g->file
     * is BASE's interned string: one pointer per file. */
    fs = malloc(((size_t)m.ngroups + 1) * sizeof *fs);
    if (!fs)
        goto out;
    for (uint32_t i = 0; i < m.ngroups; i++) {
        const group *g = &m.groups[i];
        int64_t d;
        if (g->nb == 1 && g->nn == 1 &&
            !__builtin_sub_overflow(ns->funcs[ns->entries[g->nhead].func].line,
                                    bs->funcs[bs->entries[g->bhead].func].line, &d))
            fs[nfs++] = (file_shift){g->file, d};
    }
    qsort(fs, nfs, sizeof *fs, shift_cmp);
    for (uint32_t i = 0; i < m.ngroups; i++) {
        const group *g = &m.groups[i];
        if (g->nb && g->nn && (g->nb > 1 || g->nn > 1) &&
            pair_group(g, shift_of(fs, nfs, g->file), bs, ns, &m, bmatch, nmatch) < 0)
            goto out;
    }
    rc = 0;
out:
    ps_arena_free(&m.names);
    free(m.scratch);
    free(m.groups);
    ps_index_free(&m.index);
    free(m.bnext);
    free(m.nnext);
    free(fs);
    return rc;
}

/* ---- rows and the gate --------------------------------------------------- */

typedef struct sortkey {
    double mag;
    size_t pos;
} sortkey;

static int sortkey_cmp(const void *pa, const void *pb)
{
    const sortkey *a = pa, *b = pb;
    if (a->mag > b->mag)
        return -1;
    if (a->mag < b->mag)
        return 1;
    return a->pos < b->pos ? -1 : a->pos > b->pos;
}

static ps_diff_side side_of(const ps_entry *en, double scale)
{
    return (ps_diff_side){en->nc, en->cc, en->tt * scale, en->ct * scale};
}

static int add_reason(ps_diff *d, ps_error *e, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int add_reason(ps_diff *d, ps_error *e, const char *fmt, ...)
{
    if (ps_resize(&d->reasons, d->nreasons + 1, sizeof *d->reasons) < 0)   /* a few at most */
        return nomem(e);
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(&d->reasons[d->nreasons], fmt, ap);
    va_end(ap);
    if (n < 0)
        return nomem(e);
    d->nreasons++;
    return 0;
}

static const char *const MEASURE_NAME[] = {"cumtime", "tottime", "ncalls"};

/* The gate's reasons listed one by one, at most this many functions. */
#define GATE_LIST_MAX 10

static int run_gate(ps_diff *d, ps_error *e)
{
    const ps_diff_options *o = &d->opts;
    double bt = d->tbase.time, nt = d->tnew.time, dt = nt - bt;
    if (o->fail_above >= 0 && dt > 0 && dt >= o->min_time) {
        double pct = bt > 0 ? 100.0 * dt / bt : INFINITY;
        if (pct > o->fail_above) {
            d->failed = 1;
            if (add_reason(d, e, "total time grew by %.1f%% (%.6f s -> %.6f s), above "
                                 "--fail-above %g%%", pct, bt, nt, o->fail_above) < 0)
                return -1;
        }
    }
    if (o->fail_function_above < 0)
        return 0;
    int calls = o->sort == PS_DIFF_SORT_NCALLS;
    double whole = calls ? (double)d->tbase.calls : bt;
    double limit = o->fail_function_above / 100.0 * whole;
    size_t over = 0;
    for (size_t i = 0; i < d->nrows; i++) {
        const ps_diff_row *r = &d->rows[i];
        double delta = ps_diff_delta(r, o->sort);
        if (!(delta > limit) || !(delta > 0) || (!calls && delta < o->min_time))
            continue;
        d->failed = 1;
        if (++over > GATE_LIST_MAX)
            continue;
        const ps_stats *s = r->in & PS_DIFF_IN_NEW ? d->new : d->base;
        uint32_t f = r->in & PS_DIFF_IN_NEW ? r->new_func : r->base_func;
        size_t len = ps_stats_std_name(s, f, NULL, 0);
        char *name = malloc(len + 1);
        if (!name)
            return nomem(e);
        ps_stats_std_name(s, f, name, len + 1);
        double pct = whole > 0 ? 100.0 * delta / whole : INFINITY;
        int rc = calls ? add_reason(d, e, "%s: ncalls grew by %.0f%s, %.1f%% of BASE's %lld "
                                          "calls, above --fail-function-above %g%%",
                                    name, delta, r->in & PS_DIFF_IN_BASE ? "" : " (new)", pct,
                                    (long long)d->tbase.calls, o->fail_function_above)
                       : add_reason(d, e, "%s: %s grew by %.6f s%s, %.1f%% of BASE's total "
                                          "time, above --fail-function-above %g%%",
                                    name, MEASURE_NAME[o->sort], delta,
                                    r->in & PS_DIFF_IN_BASE ? "" : " (new)", pct,
                                    o->fail_function_above);
        free(name);
        if (rc < 0)
            return -1;
    }
    if (over > GATE_LIST_MAX &&
        add_reason(d, e, "... and %zu more functions above --fail-function-above %g%%",
                   over - GATE_LIST_MAX, o->fail_function_above) < 0)
        return -1;
    return 0;
}

int ps_diff_build(ps_stats *base, ps_stats *new, const ps_diff_options *o, ps_diff *d,
                  ps_error *e)
{
    ps_error_clear(e);
    memset(d, 0, sizeof *d);
    d->base = base;
    d->new = new;
    d->opts = *o;
    if (o->strip_dirs && (ps_stats_strip_dirs(base, e) < 0 || ps_stats_strip_dirs(new, e) < 0))
        return -1;
    d->scale = 1.0;
    if (o->normalize && base->total_tt > 0 && isfinite(new->total_tt))
        d->scale = new->total_tt / base->total_tt;
    d->tbase = (ps_diff_totals){base->total_calls, base->prim_calls, base->total_tt * d->scale,
                                base->nentries};
    d->tnew = (ps_diff_totals){new->total_calls, new->prim_calls, new->total_tt,
                               new->nentries};

    uint32_t *bmatch = malloc(((size_t)base->nentries + 1) * sizeof *bmatch);
    uint32_t *nmatch = malloc(((size_t)new->nentries + 1) * sizeof *nmatch);
    /* the big arrays on huge pages (mem.h): on 4 kB pages, rows and sorted
     * alone were 8,000 of the 14,000 page faults of two 200,000-function
     * dumps compared, the groups 3,000 more */
    ps_diff_row *rows = ps_mem_alloc_huge(((size_t)base->nentries + new->nentries + 1) * sizeof *rows);
    sortkey *keys = NULL;
    if (!bmatch || !nmatch || !rows ||
        match_entries(base, new, o->match == PS_DIFF_MATCH_EXACT, bmatch, nmatch) < 0)
        goto nomem;
    size_t n = 0;
    for (uint32_t i = 0; i < new->nentries; i++) {
        ps_diff_row *r = &rows[n++];
        memset(r, 0, sizeof *r);
        r->new_func = new->entries[i].func;
        r->new = side_of(&new->entries[i], 1.0);
        r->in = PS_DIFF_IN_NEW;
        r->base_func = PS_NONE;
        if (nmatch[i] != PS_NONE) {
            r->base_func = base->entries[nmatch[i]].func;
            r->base = side_of(&base->entries[nmatch[i]], d->scale);
            r->in |= PS_DIFF_IN_BASE;
            d->nmatched++;
        } else {
            d->nadded++;
        }
    }
    for (uint32_t i = 0; i < base->nentries; i++) {
        if (bmatch[i] != PS_NONE)
            continue;
        ps_diff_row *r = &rows[n++];
        memset(r, 0, sizeof *r);
        r->base_func = base->entries[i].func;
        r->base = side_of(&base->entries[i], d->scale);
        r->new_func = PS_NONE;
        r->in = PS_DIFF_IN_BASE;
        d->nremoved++;
    }
    /* Stable by |delta| descending. */
    keys = ps_mem_alloc_huge((n + 1) * sizeof *keys);
    ps_diff_row *sorted = ps_mem_alloc_huge((n + 1) * sizeof *sorted);
    if (!keys || !sorted) {
        free(sorted);
        goto nomem;
    }
    for (size_t i = 0; i < n; i++) {
        double dl = fabs(ps_diff_delta(&rows[i], o->sort));
        keys[i] = (sortkey){isnan(dl) ? 0.0 : dl, i};
    }
    qsort(keys, n, sizeof *keys, sortkey_cmp);
    for (size_t i = 0; i < n; i++)
        sorted[i] = rows[keys[i].pos];
    free(rows);
    free(keys);
    free(bmatch);
    free(nmatch);
    d->rows = sorted;
    d->nrows = n;
    if (run_gate(d, e) < 0) {
        ps_diff_free(d);
        return -1;
    }
    return 0;
nomem:
    free(bmatch);
    free(nmatch);
    free(rows);
    free(keys);
    memset(d, 0, sizeof *d);
    return nomem(e);
}

void ps_diff_free(ps_diff *d)
{
    free(d->rows);
    for (size_t i = 0; i < d->nreasons; i++)
        free(d->reasons[i]);
    free(d->reasons);
    memset(d, 0, sizeof *d);
}

/* ---- the table's selection ----------------------------------------------- */

static int msg_addf(char **msg, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int msg_addf(char **msg, size_t *len, const char *fmt, ...)
{
    char line[2400];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (n < 0)
        return -1;
    if ((size_t)n >= sizeof line)
        n = sizeof line - 1;
    if (ps_resize(msg, *len + (size_t)n + 1, 1) < 0)
        return -1;
    memcpy(*msg + *len, line, (size_t)n + 1);
    *len += (size_t)n;
    return 0;
}

/* The function's standard name (NEW's where it has one), malloc'd. */
static char *row_name(const ps_diff *d, const ps_diff_row *r, size_t *len)
{
    const ps_stats *s = r->in & PS_DIFF_IN_NEW ? d->new : d->base;
    uint32_t f = r->in & PS_DIFF_IN_NEW ? r->new_func : r->base_func;
    size_t n = ps_stats_std_name(s, f, NULL, 0);
    char *name = malloc(n + 1);
    if (name)
        ps_stats_std_name(s, f, name, n + 1);
    *len = n;
    return name;
}

int ps_diff_select(const ps_diff *d, const sel_restriction *r, size_t nr, size_t **ids_out,
                   size_t *nids, char **msg_out, ps_error *e)
{
    int calls = d->opts.sort == PS_DIFF_SORT_NCALLS;
    size_t *ids = malloc((d->nrows + 1) * sizeof *ids);
    char *msg = calloc(1, 1);
    size_t n = 0, msglen = 0;
    if (!ids || !msg)
        goto nomem;
    for (size_t i = 0; i < d->nrows; i++) {
        double dl = fabs(ps_diff_delta(&d->rows[i], d->opts.sort));
        if (dl > 0 && (calls || dl >= d->opts.min_time))
            ids[n++] = i;
    }
    for (size_t k = 0; k < nr; k++) {
        size_t before = n;
        char repr[2048];
        if (r[k].kind == SEL_REGEX) {
            char err[300];
            ps_py_str_repr(repr, sizeof repr, r[k].text, strlen(r[k].text));
            sel_regex *re = ps_sel_regex_compile(r[k].text, err, sizeof err);
            if (!re) {
                if (msg_addf(&msg, &msglen, "   <Invalid regular expression %s>\n", repr) < 0)
                    goto nomem;
                continue;
            }
            size_t kept = 0;
            for (size_t i = 0; i < n; i++) {
                size_t len;
                char *name = row_name(d, &d->rows[ids[i]], &len);
                if (!name) {
                    ps_sel_regex_free(re);
                    goto nomem;
                }
                if (ps_sel_regex_search(re, name, len))
                    ids[kept++] = ids[i];
                free(name);
            }
            ps_sel_regex_free(re);
            n = kept;
        } else if (r[k].kind == SEL_FLOAT) {
            ps_py_float_repr(repr, sizeof repr, r[k].f);
            if (r[k].f >= 0.0 && r[k].f < 1.0)
                n = (size_t)((double)n * r[k].f + 0.5);
        } else {
            snprintf(repr, sizeof repr, "%lld", (long long)r[k].i);
            if (!r[k].int_huge && r[k].i >= 0 && (uint64_t)r[k].i < n)
                n = (size_t)r[k].i;
        }
        if (n != before && msg_addf(&msg, &msglen,
                                    "   List reduced from %zu to %zu due to restriction <%s>\n",
                                    before, n, repr) < 0)
            goto nomem;
    }
    *ids_out = ids;
    *nids = n;
    *msg_out = msg;
    return 0;
nomem:
    free(ids);
    free(msg);
    return nomem(e);
}
