/* sort.c - ps_sort_stats: keys, abbreviations, a stable sort (as Lib/pstats.py's
 * ps_sort_stats and sort_arg_dict_default).
 *
 * The sort is CPython's list.sort itself (listsort.c), so that even NaN times,
 * which make pstats' comparison inconsistent, come out in CPython's order; one
 * numeric key without a NaN takes a quicker stable sort (sort_by_number: the
 * rows in buckets by their key's high bits), which gives the same order since
 * any stable sort does then. */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "pstats/sort.h"
#include "base/mem.h"
#include "base/msort.h"
#include "listsort.h"

enum { F_CC, F_NC, F_TT, F_CT, F_FILE, F_LINE, F_NAME, F_STD };

typedef struct key_def {
    const char *key;
    const char *description;
    int nfields;
    int fields[3];
    int dir[3];          /* -1 descending, +1 ascending */
} key_def;

/* CPython 3.7+'s default table, in its dict order. */
static const key_def KEYS[] = {
    {"calls", "call count", 1, {F_NC}, {-1}},
    {"ncalls", "call count", 1, {F_NC}, {-1}},
    {"cumtime", "cumulative time", 1, {F_CT}, {-1}},
    {"cumulative", "cumulative time", 1, {F_CT}, {-1}},
    {"filename", "file name", 1, {F_FILE}, {1}},
    {"line", "line number", 1, {F_LINE}, {1}},
    {"module", "file name", 1, {F_FILE}, {1}},
    {"name", "function name", 1, {F_NAME}, {1}},
    {"nfl", "name/file/line", 3, {F_NAME, F_FILE, F_LINE}, {1, 1, 1}},
    {"pcalls", "primitive call count", 1, {F_CC}, {-1}},
    {"stdname", "standard name", 1, {F_STD}, {1}},
    {"time", "internal time", 1, {F_TT}, {-1}},
    {"tottime", "internal time", 1, {F_TT}, {-1}},
};
#define NKEYS (sizeof KEYS / sizeof KEYS[0])

static const sort_key_info INFO[NKEYS] = {
    {"calls", "call count"}, {"ncalls", "call count"}, {"cumtime", "cumulative time"},
    {"cumulative", "cumulative time"}, {"filename", "file name"}, {"line", "line number"},
    {"module", "file name"}, {"name", "function name"}, {"nfl", "name/file/line"},
    {"pcalls", "primitive call count"}, {"stdname", "standard name"},
    {"time", "internal time"}, {"tottime", "internal time"},
};

const sort_key_info *ps_sort_keys(size_t *n)
{
    *n = NKEYS;
    return INFO;
}

/* The abbreviation rule, as CPython builds it: walk each key's prefixes
 * longest first; a prefix an earlier key already inserted is marked bad (for
 * everyone) and ends that key's walk.  66 entries survive. */
typedef struct abbrev { char text[16]; int key; int bad; } abbrev;

static size_t build_abbrevs(abbrev *out)
{
    size_t n = 0;
    for (size_t k = 0; k < NKEYS; k++) {
        size_t kl = strlen(KEYS[k].key);
        for (size_t len = kl; len > 0; len--) {
            size_t found = n;
            for (size_t i = 0; i < n; i++)
                if (strlen(out[i].text) == len && memcmp(out[i].text, KEYS[k].key, len) == 0) {
                    found = i;
                    break;
                }
            if (found < n) {
                out[found].bad = 1;
                break;
            }
            memcpy(out[n].text, KEYS[k].key, len);
            out[n].text[len] = '\0';
            out[n].key = (int)k;
            out[n].bad = 0;
            n++;
        }
    }
    return n;
}

/* The table is the same for every lookup (the browser's `sort` looks up each
 * word): built once. */
static abbrev abbrev_tab[128];
static size_t abbrev_n;
static pthread_once_t abbrev_once = PTHREAD_ONCE_INIT;

static void abbrev_init(void)
{
    abbrev_n = build_abbrevs(abbrev_tab);
}

static const key_def *lookup_table(const char *word)
{
    pthread_once(&abbrev_once, abbrev_init);
    const abbrev *tab = abbrev_tab;
    size_t n = abbrev_n;
    for (size_t i = 0; i < n; i++)
        if (!tab[i].bad && strcmp(tab[i].text, word) == 0)
            return &KEYS[tab[i].key];
    return NULL;
}

const char *ps_sort_key_lookup(const char *word)
{
    const key_def *k = lookup_table(word);
    return k ? k->key : NULL;
}

void ps_sort_each_abbrev(void (*fn)(const char *abbrev, void *arg), void *arg)
{
    abbrev tab[128];
    size_t n = build_abbrevs(tab);
    for (size_t i = 0; i < n; i++)
        if (!tab[i].bad)
            fn(tab[i].text, arg);
}

/* ---- stable sort -------------------------------------------------------- */

/* CPython's list.sort, step for step (listsort.c): with a consistent
 * comparison any stable sort gives its order, with NaN keys only its steps
 * do.  It is also the quicker general sort here: on 100,000 entries
 * `sort cumulative name` costs 118 M instructions against 147 M for the
 * bottom-up merge sort it replaced, `sort name` 24 M against 110 M (natural
 * runs), and it needs n / 2 ids aside instead of n. */
int ps_sort_ids(uint32_t *ids, size_t n, sort_cmp_fn cmp, void *ctx)
{
    return ps_listsort(ids, n, cmp, ctx, PS_LISTSORT_311);
}

/* ---- comparisons -------------------------------------------------------- */

static int cmp_str(const ps_str *a, const ps_str *b)
{
    if (a == b)
        return 0;
    size_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->s, b->s, n);
    if (c)
        return c < 0 ? -1 : 1;
    return a->len < b->len ? -1 : a->len > b->len;
}

int ps_sort_cmp_funcs(const ps_stats *s, uint32_t a, uint32_t b, int *bad)
{
    const ps_func *x = &s->funcs[a], *y = &s->funcs[b];
    int c = cmp_str(x->file, y->file);
    if (c)
        return c;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    if (x->name == y->name && x->name_is_code == y->name_is_code)
        return 0;
    if (x->name_is_code || y->name_is_code) {
        *bad = 1;     /* Python: '<' not supported between code and str */
        return 0;
    }
    return cmp_str(x->name, y->name);
}

typedef struct sort_ctx {
    const ps_stats *s;
    int nfields;
    int fields[12];
    int dir[12];
    char **std;          /* standard names by entry index, when needed */
    int bad;
} sort_ctx;

static int cmp_num_i(int64_t a, int64_t b) { return a < b ? -1 : a > b; }
static int cmp_num_d(double a, double b) { return a < b ? -1 : a > b; }   /* NaN: equal */

static int cmp_entries(uint32_t ea, uint32_t eb, void *vctx)
{
    sort_ctx *c = vctx;
    const ps_entry *a = &c->s->entries[ea], *b = &c->s->entries[eb];
    const ps_func *fa = &c->s->funcs[a->func], *fb = &c->s->funcs[b->func];
    for (int i = 0; i < c->nfields; i++) {
        int r = 0;
        switch (c->fields[i]) {
        case F_CC: r = cmp_num_i(a->cc, b->cc); break;
        case F_NC: r = cmp_num_i(a->nc, b->nc); break;
        case F_TT: r = cmp_num_d(a->tt, b->tt); break;
        case F_CT: r = cmp_num_d(a->ct, b->ct); break;
        case F_FILE: r = cmp_str(fa->file, fb->file); break;
        case F_LINE: r = cmp_num_i(fa->line, fb->line); break;
        case F_NAME:
            if (fa->name_is_code || fb->name_is_code)
                c->bad = 1;
            r = cmp_str(fa->name, fb->name);
            break;
        case F_STD: r = strcmp(c->std[ea], c->std[eb]); r = r < 0 ? -1 : r > 0; break;
        }
        if (r)
            return r * c->dir[i];
    }
    return 0;
}

/* One numeric key (the usual `sort cumulative`), no NaN: any stable sort
 * gives CPython's order.  Each key becomes an unsigned integer in the same
 * order (descending keys turned around, -0.0 made 0.0, which Python finds
 * equal), in an array of its own: 8 + 4 bytes a row beside ids, 2.4 MB for
 * 200,000 entries, where (key, row) pairs and their copy took 6.4 MB at the
 * top of the run's memory.
 *
 * The rows first go to 65,536 buckets by the 16 bits of their key from the
 * highest bit where the keys differ (one counting pass, in row order, so
 * stable); a bucket of more than SORT_SMALL rows goes on to 256 buckets by
 * the 8 bits below the highest where its keys differ, and so on, and a
 * small one is merge-sorted on its own.  One merge sort over all rows read
 * the keys array at random at every level (on synth.prof 37 % of the run's
 * cache misses); a bucket's keys stay in the cache.  But times are not
 * spread evenly over their bits: the exponent's few values put synth.prof's
 * 200,000 cumulative times in a few hundred of the 65,536 buckets, and
 * merge-sorting those was most of a sort (12.5 ms a sort; 5.1 with the
 * buckets placed again). */
#define SORT_BUCKET_BITS 16
#define SORT_SMALL 64

static int row_less(const uint32_t *a, const uint32_t *b, void *ctx)
{
    const uint64_t *k = ctx;
    return k[*a] < k[*b];
}

PS_MSORT_DEFINE(sort_rows, uint32_t, row_less, 1)

/* rows[0..n) placed in out, stably, in 2**bits buckets by the bits of
 * their keys k[row] from the highest where lo and hi (the least and the
 * greatest key, which differ) do: one counting pass, in row order.  end
 * (2**bits + 1 counts, zero): where each bucket ends in out, after. */
static void place(const uint32_t *rows, uint32_t *out, size_t n, const uint64_t *k, uint64_t lo,
                  uint64_t hi, int bits, uint32_t *end)
{
    int top = 63 - __builtin_clzll(lo ^ hi), shift = top >= bits - 1 ? top - (bits - 1) : 0;
    uint64_t base = lo >> shift;   /* a key's bucket: (k >> shift) - base, under 2**bits */
    for (size_t i = 0; i < n; i++)
        end[(k[rows[i]] >> shift) - base + 1]++;
    for (size_t b = 1; b <= (size_t)1 << bits; b++)
        end[b] += end[b - 1];
    /* end[b]: where bucket b starts; after the placing, where it ends */
    for (size_t i = 0; i < n; i++)
        out[end[(k[rows[i]] >> shift) - base]++] = rows[i];
}

/* rows[0..n), a bucket in row order, sorted stably by their keys k[row]
 * (tmp: room for n). */
static void sort_bucket(uint32_t *rows, uint32_t *tmp, size_t n, uint64_t *k)
{
    if (n <= SORT_SMALL) {
        if (n > 1)
            sort_rows(rows, tmp, n, k);
        return;
    }
    uint64_t lo = UINT64_MAX, hi = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t x = k[rows[i]];
        lo = x < lo ? x : lo;
        hi = x > hi ? x : hi;
    }
    if (lo == hi)   /* all equal: row order is the order */
        return;
    uint32_t end[257] = {0};
    place(rows, tmp, n, k, lo, hi, 8, end);
    memcpy(rows, tmp, n * sizeof *rows);
    for (size_t b = 0, from = 0; b < 256; from = end[b++])
        sort_bucket(rows + from, tmp, end[b] - from, k);
}

/* A number as an unsigned integer of the same order (dir < 0: reversed). */
static uint64_t order_count(int64_t c, int dir)
{
    return (uint64_t)(dir < 0 ? ~c : c) ^ ((uint64_t)1 << 63);   /* ~c: no overflow */
}

static uint64_t order_time(double v, int dir)
{
    v = dir < 0 ? -v : v;
    if (v == 0.0)
        v = 0.0;   /* -0.0 == 0.0 */
    uint64_t b;
    memcpy(&b, &v, 8);
    return b >> 63 ? ~b : b | ((uint64_t)1 << 63);
}

/* ids (0 .. n-1 on entry): the entries' function ids in the order; 0, or
 * 1 (ids untouched) when a time is a NaN, -1 when out of memory. */
static int sort_by_number(const ps_stats *s, uint32_t *ids, int field, int dir)
{
    size_t n = s->nentries;
    /* the keys, which every row writes, in a mapping of their own from 1 MB
     * (ps_bigbuf: a huge page from 2 MB): from the heap, on 4 kB pages, they
     * cost synth.prof's 200,000 entries some 200 page faults more */
    ps_bigbuf kb = {0};
    uint32_t *tmp = malloc((n + 1) * sizeof *tmp);
    uint32_t *end = calloc(((size_t)1 << SORT_BUCKET_BITS) + 1, sizeof *end);
    if (ps_bigbuf_grow(&kb, (n + 1) * sizeof(uint64_t)) < 0 || !tmp || !end) {
        ps_bigbuf_free(&kb);
        free(tmp);
        free(end);
        return -1;
    }
    uint64_t *k = kb.p;
    uint64_t lo = UINT64_MAX, hi = 0;
    int nan = 0;
    for (size_t i = 0; i < n; i++) {
        const ps_entry *en = &s->entries[i];
        if (field == F_CC || field == F_NC) {
            k[i] = order_count(field == F_CC ? en->cc : en->nc, dir);
        } else {
            double v = field == F_TT ? en->tt : en->ct;
            nan |= isnan(v);
            k[i] = order_time(v, dir);
        }
        lo = k[i] < lo ? k[i] : lo;
        hi = k[i] > hi ? k[i] : hi;
    }
    if (nan) {   /* only CPython's own steps give CPython's order */
        ps_bigbuf_free(&kb);
        free(tmp);
        free(end);
        return 1;
    }
    const uint32_t *order = ids;   /* (all keys equal: ids, 0 .. n-1, is the order) */
    if (n && lo != hi) {
        /* the rows placed in tmp, each bucket then sorted there (ids, done
         * with, its room) */
        place(ids, tmp, n, k, lo, hi, SORT_BUCKET_BITS, end);
        for (size_t b = 0, from = 0; b < (size_t)1 << SORT_BUCKET_BITS; from = end[b++])
            sort_bucket(tmp + from, ids + from, end[b] - from, k);
        order = tmp;
    }
    /* rows to function ids: the entries' funcs gathered in order into k's
     * room first, so that the rows' random order reads 4 bytes a row there,
     * not a 48-byte entry each */
    uint32_t *func = (uint32_t *)k;
    for (size_t i = 0; i < n; i++)
        func[i] = s->entries[i].func;
    for (size_t i = 0; i < n; i++)
        ids[i] = func[order[i]];
    ps_bigbuf_free(&kb);
    free(tmp);
    free(end);
    return 0;
}

static int do_sort(ps_stats *s, const key_def *const *defs, size_t n, ps_error *e)
{
    sort_ctx c = {s, 0, {0}, {0}, NULL, 0};
    char sort_type[256] = "";
    int need_std = 0;
    for (size_t k = 0; k < n; k++) {
        for (int i = 0; i < defs[k]->nfields && c.nfields < 12; i++) {
            c.fields[c.nfields] = defs[k]->fields[i];
            c.dir[c.nfields++] = defs[k]->dir[i];
            need_std |= defs[k]->fields[i] == F_STD;
        }
        size_t used = strlen(sort_type);
        snprintf(sort_type + used, sizeof sort_type - used, "%s%s", k ? ", " : "",
                 defs[k]->description);
    }
    uint32_t *ids = malloc(((size_t)s->nentries + 1) * sizeof *ids);
    arena std_mem;
    ps_arena_init(&std_mem);
    if (!ids)
        goto nomem;
    for (uint32_t i = 0; i < s->nentries; i++)
        ids[i] = i;
    if (need_std) {
        c.std = malloc(((size_t)s->nentries + 1) * sizeof *c.std);
        if (!c.std)
            goto nomem;
        for (uint32_t i = 0; i < s->nentries; i++) {
            char small[512];
            size_t len = ps_stats_std_name(s, s->entries[i].func, small, sizeof small);
            c.std[i] = ps_arena_alloc(&std_mem, len + 1);
            if (!c.std[i])
                goto nomem;
            ps_stats_std_name(s, s->entries[i].func, c.std[i], len + 1);
        }
    }
    /* One numeric key: the bucketed sort, unless a NaN makes the comparison
     * inconsistent, when only CPython's own steps (ps_sort_ids) give
     * CPython's order. */
    int plain = 1;
    if (c.nfields == 1 && c.fields[0] <= F_CT && s->nentries >= 64) {
        int rc = sort_by_number(s, ids, c.fields[0], c.dir[0]);
        if (rc < 0)
            goto nomem;
        plain = rc;
    }
    if (plain) {
        if (ps_sort_ids(ids, s->nentries, cmp_entries, &c) < 0)
            goto nomem;
        for (uint32_t i = 0; i < s->nentries; i++)
            ids[i] = s->entries[ids[i]].func;
    }
    free(c.std);
    ps_arena_free(&std_mem);
    if (c.bad) {
        free(ids);
        ps_error_set(e, PS_ESORT, -1,
                     "cannot sort by function name: this dump names a function with a code "
                     "object (CPython raises TypeError here)");
        ps_error_py(e, "TypeError", "'<' not supported between instances of 'code' and 'str'");
        return -1;
    }
    free(s->fcn_list);
    s->fcn_list = ids;
    s->nfcn = s->nentries;
    s->fcn_state = 1;
    memcpy(s->sort_type, sort_type, sizeof sort_type);
    return 0;
nomem:
    free(ids);
    free(c.std);
    ps_arena_free(&std_mem);
    ps_error_set(e, PS_ENOMEM, -1, "out of memory");
    return -1;
}

int ps_sort_stats(ps_stats *s, const char *const *keys, size_t nkeys, ps_error *e)
{
    ps_error_clear(e);
    if (nkeys == 0) {
        s->fcn_state = 2;
        return 0;
    }
    const key_def *defs[32];
    if (nkeys > 32)
        nkeys = 32;
    for (size_t i = 0; i < nkeys; i++) {
        defs[i] = lookup_table(keys[i]);
        if (!defs[i]) {
            ps_error_set(e, PS_ESORT, -1, "unknown sort key '%s'", keys[i]);
            ps_error_py(e, "KeyError", "'%s'", keys[i]);
            return -1;
        }
    }
    return do_sort(s, defs, nkeys, e);
}

int ps_sort_stats_int(ps_stats *s, int n, ps_error *e)
{
    static const char *const by_int[] = {"stdname", "calls", "time", "cumulative"};
    ps_error_clear(e);
    if (n < -1 || n > 2) {
        ps_error_set(e, PS_ESORT, -1, "unknown sort key %d", n);
        ps_error_py(e, "KeyError", "%d", n);
        return -1;
    }
    const char *key = by_int[n + 1];
    return ps_sort_stats(s, &key, 1, e);
}

void ps_sort_reverse(ps_stats *s)
{
    if (s->fcn_state != 1 || s->nfcn == 0)
        return;
    for (uint32_t i = 0, j = s->nfcn - 1; i < j; i++, j--) {
        uint32_t t = s->fcn_list[i];
        s->fcn_list[i] = s->fcn_list[j];
        s->fcn_list[j] = t;
    }
}
