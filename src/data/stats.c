/* stats.c - the stats database: load, add, strip_dirs, callees
 * (see pstats(5), section THE STATS DICTIONARY; Lib/pstats.py's Stats).
 *
 * The function table is the array s->funcs (32 bytes a key: two interned
 * string pointers, the line, the entry) and an open-addressing index of
 * 32-bit ids, s->index, probed by func_hash of the key.  It is not the
 * library's base/index.h, on purpose: that table keeps each id's 32-bit hash
 * beside it (8 bytes a slot), which for a dump of 200,000 functions is 4 MB
 * of index where this one takes 2 MB, at the very top of a run's memory
 * (loading is where the peak is; tried: the bench dump's peak 71.7 -> 73.7
 * MB, against a goal of 1.5 times the dump, for no CPU gained).  What the
 * kept hash buys, rehashing without reading the keys and skipping a record
 * on a collision, this table does without: a load reserves the index for one function per 256
 * bytes of dump so that it does not rehash, and the key's own fields (two
 * pointers and a line, one cache line) are the comparison.
 *
 * The big arrays (functions, entries, index; the loaders' edge blocks and
 * string table) are allocated in huge pages, grown by a fresh block and a
 * copy (array_grow): a page fault costs ~13 us on a virtual machine, and
 * a 4 kB page for each of 80 MB was a fifth of loading a 50 MB dump.  Only
 * as far as they are expected to fill, though: past that, the tail of an
 * array is on 4 kB pages (reserve_grow, and the direct pass's edge blocks),
 * since a huge page is memory as a whole once touched. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "pstats/stats.h"
#include "base/pycompat.h"
#include "data/marshal_tune.h"
#include "data/stats_internal.h"
#include "base/grow.h"
#include "base/mem.h"

/* The sizes the head comment and stats.h count on (a million edges, 200,000
 * functions: most of a big profile's memory). */
_Static_assert(sizeof(ps_edge) == 36, "ps_edge is 36 bytes");
_Static_assert(sizeof(ps_func) == 32, "ps_func is 32 bytes");
_Static_assert(sizeof(ps_entry) == 48, "ps_entry is 48 bytes");

void ps_stats_callees_free(ps_callees *c)
{
    if (!c)
        return;
    free(c->start);
    free(c->known);
    free(c->items);
    free(c);
}

ps_stats *ps_stats_new(void)
{
    ps_stats *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    ps_strpool_init(&s->pool);
    ps_arena_init(&s->edge_mem);
    return s;
}

static void stats_clear(ps_stats *s)
{
    for (uint32_t i = 0; i < s->nentries; i++)
        entry_free_callers(&s->entries[i]);
    free(s->entries);
    ps_arena_free(&s->edge_mem);
    free(s->funcs);
    free(s->index);
    for (size_t i = 0; i < s->nfiles; i++)
        free(s->files[i]);
    free(s->files);
    free(s->top_level);
    free(s->fcn_list);
    ps_stats_callees_free(s->callees);
    if (s->stacks) {
        ps_stacks_free(s->stacks);
        free(s->stacks);
    }
    ps_strpool_free(&s->pool);
}

void ps_stats_free(ps_stats *s)
{
    if (!s)
        return;
    stats_clear(s);
    free(s);
}

/* At most this many strings' room is reserved ahead of a load (16 MB of table). */
#define STATS_RESERVE_MAX ((size_t)1 << 20)

/* ---- function table ------------------------------------------------------ */

static uint32_t func_hash(const ps_str *file, int64_t line, const ps_str *name, int is_code)
{
    uint64_t h = (uint64_t)file->hash * 0x9E3779B97F4A7C15ull;
    h ^= (uint64_t)name->hash * 0xC2B2AE3D27D4EB4Full + (uint64_t)line * 0x165667B19E3779F9ull;
    h ^= (uint64_t)is_code;
    return (uint32_t)(h ^ (h >> 32));
}

/* Functions [from, nfuncs) put in idx, a table of n slots (none of them
 * there yet: no comparison). */
static void index_put(const ps_stats *s, uint32_t *idx, size_t n, uint32_t from)
{
    for (uint32_t f = from; f < s->nfuncs; f++) {
        const ps_func *fn = &s->funcs[f];
        size_t j = func_hash(fn->file, fn->line, fn->name, fn->name_is_code) & (n - 1);
        while (idx[j] != PS_NONE)
            j = (j + 1) & (n - 1);
        idx[j] = f;
    }
}

static int index_resize(ps_stats *s, size_t n)
{
    uint32_t *idx = ps_mem_alloc_huge(n * sizeof *idx);
    if (!idx)
        return -1;
    memset(idx, 0xff, n * sizeof *idx);
    index_put(s, idx, n, 0);
    free(s->index);
    s->index = idx;
    s->nindex = n;
    s->nindexed = s->nfuncs;
    return 0;
}

/* Functions the direct pass knows to be new (a fresh name: no function can
 * have it yet) are appended without a lookup, and put in the index here,
 * together, before the next lookup and at the end of the load: one probe
 * after the other in a loop of its own, where the processor has several of
 * their cache misses under way at once.  Looked up one by one in the pass,
 * each probe of the 2 MB index was a miss the decoding waited for
 * (synth.prof: the index's probes were a tenth of the load). */
int ps_stats_index_catch_up(ps_stats *s)
{
    if ((size_t)s->nfuncs * 2 > s->nindex)
        return index_resize(s, ps_table_slots(s->nindex, 1024, s->nfuncs, (size_t)1 << 33));
    index_put(s, s->index, s->nindex, s->nindexed);
    s->nindexed = s->nfuncs;
    return 0;
}

static int index_grow(ps_stats *s)
{
    return index_resize(s, s->nindex ? s->nindex * 2 : 1024);
}

int ps_stats_reserve_funcs(ps_stats *s, size_t n)
{
    size_t want = ps_table_slots(s->nindex, 1024, s->nfuncs + n, (size_t)1 << 33);
    if (want > s->nindex && index_resize(s, want) < 0)
        return -1;
    if (s->nfuncs + n > s->capfuncs && s->nfuncs + n < PS_NONE) {
        ps_func *nf = array_grow(s->funcs, (size_t)s->nfuncs * sizeof *nf,
                                 (s->nfuncs + n) * sizeof *nf);
        if (!nf)
            return -1;
        s->funcs = nf;
        s->capfuncs = (uint32_t)(s->nfuncs + n);
    }
    return 0;
}

/* A new function's record (at id s->nfuncs, not in the index; PS_NONE
 * when out of memory or out of ids). */
static uint32_t func_new(ps_stats *s, const ps_str *file, int64_t line, const ps_str *name,
                         int name_is_code)
{
    if (s->nfuncs >= PS_FUNC_MAX)   /* (an edge's caller field: 31 bits) */
        return PS_NONE;
    if (s->nfuncs == s->capfuncs) {
        size_t cap = ps_grow_cap(s->capfuncs, (size_t)s->nfuncs + 1);
        if (cap >= PS_NONE)
            cap = PS_NONE - 1;
        ps_func *nf = array_grow(s->funcs, (size_t)s->nfuncs * sizeof *nf, cap * sizeof *nf);
        if (!nf)
            return PS_NONE;
        s->funcs = nf;
        s->capfuncs = (uint32_t)cap;
    }
    uint32_t id = s->nfuncs++;
    ps_func *fn = &s->funcs[id];
    fn->file = file;
    fn->name = name;
    fn->line = line;
    fn->entry = PS_NONE;
    fn->name_is_code = (uint8_t)name_is_code;
    fn->file_is_bytes = 0;
    return id;
}

uint32_t ps_stats_func_append(ps_stats *s, const ps_str *file, int64_t line, const ps_str *name)
{
    return func_new(s, file, line, name, 0);
}

uint32_t ps_stats_func_intern(ps_stats *s, const ps_str *file, int64_t line,
                           const ps_str *name, int name_is_code)
{
    if (s->nindexed != s->nfuncs && ps_stats_index_catch_up(s) < 0)
        return PS_NONE;
    if ((size_t)(s->nfuncs + 1) * 2 > s->nindex && index_grow(s) < 0)
        return PS_NONE;
    uint32_t h = func_hash(file, line, name, name_is_code);
    size_t mask = s->nindex - 1, j = h & mask;
    for (uint32_t f; (f = s->index[j]) != PS_NONE; j = (j + 1) & mask) {
        const ps_func *fn = &s->funcs[f];
        if (fn->file == file && fn->name == name && fn->line == line &&
            fn->name_is_code == name_is_code)
            return f;
    }
    uint32_t id = func_new(s, file, line, name, name_is_code);
    if (id != PS_NONE) {
        s->index[j] = id;
        s->nindexed = s->nfuncs;
    }
    return id;
}

uint32_t ps_stats_func_find(const ps_stats *s, const char *file, size_t flen, int64_t line,
                         const char *name, size_t nlen)
{
    if (!s->nindex)
        return PS_NONE;
    uint32_t fh = ps_hash_bytes(file, flen), nh = ps_hash_bytes(name, nlen);
    for (int is_code = 0; is_code < 2; is_code++) {
        ps_str fk = {(uint32_t)flen, fh, 0}, nk = {(uint32_t)nlen, nh, 0};
        uint32_t h = func_hash(&fk, line, &nk, is_code);
        size_t mask = s->nindex - 1, j = h & mask;
        for (uint32_t f; (f = s->index[j]) != PS_NONE; j = (j + 1) & mask) {
            const ps_func *fn = &s->funcs[f];
            if (fn->line == line && fn->name_is_code == is_code && fn->file->len == flen &&
                fn->name->len == nlen && memcmp(fn->file->s, file, flen) == 0 &&
                memcmp(fn->name->s, name, nlen) == 0)
                return f;
        }
    }
    return PS_NONE;
}

size_t ps_stats_std_name(const ps_stats *s, uint32_t func, char *buf, size_t size)
{
    const ps_func *f = &s->funcs[func];
    int n;
    if (f->line == 0 && f->file->len == 1 && f->file->s[0] == '~') {
        const ps_str *nm = f->name;
        if (nm->len >= 2 && nm->s[0] == '<' && nm->s[nm->len - 1] == '>')
            n = snprintf(buf, size, "{%.*s}", (int)(nm->len - 2), nm->s + 1);
        else
            n = snprintf(buf, size, "%s", nm->s);
    } else {
        n = snprintf(buf, size, "%s:%lld(%s)", f->file->s, (long long)f->line, f->name->s);
    }
    return n < 0 ? 0 : (size_t)n;
}

size_t ps_stats_std_name_len(const ps_stats *s, uint32_t func)
{
    const ps_func *f = &s->funcs[func];
    int builtin = f->line == 0 && f->file->len == 1 && f->file->s[0] == '~';
    if (!builtin) {
        /* "file:line(name)" without formatting it */
        uint64_t v = f->line < 0 ? (uint64_t)0 - (uint64_t)f->line : (uint64_t)f->line;
        size_t nd = 1 + (f->line < 0);
        while (v >= 10) {
            v /= 10;
            nd++;
        }
        return f->file->cplen + f->name->cplen + nd + 3;
    }
    return f->name->cplen;   /* "{x}" for "<x>", else the bare name */
}

/* ---- entries --------------------------------------------------------------- */

ps_entry *ps_stats_entry_add(ps_stats *s, uint32_t func)
{
    ps_entry *en = ps_stats_entry_append(s, func);
    if (en)
        s->funcs[func].entry = s->nentries - 1;
    return en;
}

void ps_stats_entries_link(ps_stats *s)
{
    for (uint32_t e = 0; e < s->nentries; e++)
        s->funcs[s->entries[e].func].entry = e;
}

ps_entry *ps_stats_entry_append(ps_stats *s, uint32_t func)
{
    uint32_t e;
    if (s->nentries == s->capentries) {
        size_t cap = ps_grow_cap(s->capentries, (size_t)s->nentries + 1);
        if (cap >= PS_NONE)   /* (an entry per function at most) */
            cap = PS_NONE - 1;
        ps_entry *ne = array_grow(s->entries, (size_t)s->nentries * sizeof *ne, cap * sizeof *ne);
        if (!ne)
            return NULL;
        s->entries = ne;
        s->capentries = (uint32_t)cap;
    }
    e = s->nentries++;
    ps_entry *en = &s->entries[e];
    memset(en, 0, sizeof *en);
    en->func = func;
    return en;
}

static ps_entry *entry_for(ps_stats *s, uint32_t func, int create)
{
    uint32_t e = s->funcs[func].entry;
    if (e != PS_NONE)
        return &s->entries[e];
    return create ? ps_stats_entry_add(s, func) : NULL;
}

ps_entry *ps_stats_entry_for(ps_stats *s, uint32_t func, int create)
{
    return entry_for(s, func, create);
}

/* ---- loading ----------------------------------------------------------------- */

typedef struct loader {
    ps_stats *s;
    ps_error sem;          /* first "Invalid timing data" problem, reported after parsing */
    int has_sem;
} loader;

static void semantic(loader *L, long long at, const char *exc, const char *pymsg,
                     const char *ours)
{
    if (L->has_sem)
        return;
    L->has_sem = 1;
    ps_error_clear(&L->sem);
    ps_error_set(&L->sem, PS_EDATA, at, "not profile data: %s", ours);
    ps_error_py(&L->sem, exc, "%s", pymsg);
}

static int num_int(const mobj *o, int64_t *v)
{
    if (o->type == MO_INT || o->type == MO_BOOL) {
        *v = o->u.i;
        return 1;
    }
    return 0;
}

static int num_float(const mobj *o, double *v)
{
    switch (o->type) {
    case MO_INT: case MO_BOOL: *v = (double)o->u.i; return 1;
    case MO_FLOAT: case MO_BIGINT: *v = o->u.f; return 1;
    default: return 0;
    }
}

static uint32_t key_to_func_uncached(loader *L, const mobj *k, long long at);

/* Keys come back again and again through back-references: convert each key
 * object once, remembering the function id in the tuple's cache slot. */
static uint32_t key_to_func(loader *L, const mobj *k, long long at)
{
    if (k->type != MO_TUPLE)
        return key_to_func_uncached(L, k, at);
    int64_t *cache = ps_mobj_tuple_cache(k);
    if (*cache)
        return (uint32_t)(*cache - 1);
    uint32_t f = key_to_func_uncached(L, k, at);
    if (f != PS_NONE)
        *cache = (int64_t)f + 1;
    return f;
}

static uint32_t key_to_func_uncached(loader *L, const mobj *k, long long at)
{
    if (k->type != MO_TUPLE || k->n != 3) {
        char py[160];
        if (k->type == MO_TUPLE)
            snprintf(py, sizeof py, "not enough arguments for format string");
        else
            snprintf(py, sizeof py, "'%s' object is not subscriptable", ps_mobj_type_name(k));
        semantic(L, at, "TypeError", py, "a function key is not a (file, line, name) tuple");
        return PS_NONE;
    }
    const mobj *file = &k->u.items[0], *line = &k->u.items[1], *name = &k->u.items[2];
    int64_t ln;
    if ((file->type != MO_STR && file->type != MO_BYTES) || !num_int(line, &ln) ||
        (name->type != MO_STR && name->type != MO_BYTES && name->type != MO_CODE)) {
        semantic(L, at, "TypeError", "%d format: a real number is required, not str",
                 "a function key is not a (str, int, str) tuple");
        return PS_NONE;
    }
    /* The reader's strings are copies: interned here. */
    const ps_str *fs = ps_strpool_intern_str(&L->s->pool, file->u.s);
    const ps_str *nm = ps_strpool_intern_str(&L->s->pool,
                                          name->type == MO_CODE ? name->u.code->repr : name->u.s);
    if (!fs || !nm)
        return PS_NONE;
    uint32_t f = ps_stats_func_intern(L->s, fs, ln, nm, name->type == MO_CODE);
    if (f != PS_NONE && file->type == MO_BYTES)
        L->s->funcs[f].file_is_bytes = 1;
    return f;
}

static int load_callers(loader *L, ps_entry *en, const mobj *d, long long at, ps_error *e)
{
    edge_map m;
    entry_free_callers(en);
    /* Exactly as many edges as the dict holds (duplicates only make it
     * fewer), from one arena: no per-entry slack or allocator overhead. */
    en->callers = d->n ? ps_arena_alloc(&L->s->edge_mem, (size_t)d->n * sizeof *en->callers) : NULL;
    if (d->n && !en->callers)
        return nomem(e);
    if (edge_map_build(&m, en) < 0)
        return nomem(e);
    for (uint32_t i = 0; i < d->n; i++) {
        const mobj *k = &d->u.items[2 * i], *v = &d->u.items[2 * i + 1];
        uint32_t caller = key_to_func(L, k, at);
        if (caller == PS_NONE) {
            if (!L->has_sem) {
                edge_map_free(&m);
                return nomem(e);
            }
            continue;
        }
        ps_edge ed = {caller, PS_EDGE_TUPLE, 0, 0, 0.0, 0.0};
        int64_t nc = 0, cc = 0;   /* (no pointer into a packed ps_edge) */
        double tt = 0.0, ct = 0.0;
        if (v->type == MO_TUPLE && v->n == 4 && num_int(&v->u.items[0], &nc) &&
            num_int(&v->u.items[1], &cc) && num_float(&v->u.items[2], &tt) &&
            num_float(&v->u.items[3], &ct)) {
            ed.shape = PS_EDGE_TUPLE;
            ed.nc = nc, ed.cc = cc, ed.tt = tt, ed.ct = ct;
        } else if (num_int(v, &nc)) {
            ed.shape = PS_EDGE_INT;
            ed.nc = ed.cc = nc;
        } else {
            semantic(L, at, "TypeError", "unsupported caller value",
                     "a caller value is neither (nc, cc, tt, ct) nor an int");
            continue;
        }
        uint32_t old = edge_map_find(&m, caller);
        if (old != PS_NONE) {      /* duplicate key: the later value wins in place */
            en->callers[old] = ed;
            continue;
        }
        en->callers[en->ncallers++] = ed;
        if (edge_map_add(&m, en->ncallers - 1) < 0) {
            edge_map_free(&m);
            return nomem(e);
        }
    }
    edge_map_free(&m);
    return 0;
}

static int load_item(loader *L, const mobj *k, const mobj *v, long long at, ps_error *e)
{
    ps_stats *s = L->s;
    /* The 3.15 sampling profiler's marker: popped, the object becomes SampledStats. */
    if (k->type == MO_TUPLE && k->n == 1 && k->u.items[0].type == MO_STR &&
        strcmp(k->u.items[0].u.s->s, "__sampled__") == 0) {
        s->sampled = 1;
        return 0;
    }
    if (L->has_sem)
        return 0;       /* CPython stops at the first bad entry; we only keep parsing */
    if (v->type != MO_TUPLE) {
        char py[128];
        snprintf(py, sizeof py, "cannot unpack non-iterable %s object", ps_mobj_type_name(v));
        semantic(L, at, "TypeError", py, "an entry value is not a 5-tuple");
        return 0;
    }
    if (v->n != 5) {
        char py[128];
        if (v->n < 5)
            snprintf(py, sizeof py, "not enough values to unpack (expected 5, got %u)", v->n);
        else
            snprintf(py, sizeof py, "too many values to unpack (expected 5)");
        semantic(L, at, "ValueError", py, "an entry value is not a 5-tuple");
        return 0;
    }
    const mobj *it = v->u.items;
    int64_t cc, nc;
    double tt, ct;
    if (it[0].type == MO_BIGINT || it[1].type == MO_BIGINT) {
        /* Python's ints are unbounded; ours are 64-bit. Say so plainly
         * rather than pretend to be a Python error. */
        if (!L->has_sem) {
            L->has_sem = 1;
            ps_error_clear(&L->sem);
            ps_error_set(&L->sem, PS_EDATA, at, "a call count beyond 2**63 is not supported");
        }
        return 0;
    }
    if (!num_int(&it[0], &cc) || !num_int(&it[1], &nc) || !num_float(&it[2], &tt) ||
        !num_float(&it[3], &ct)) {
        semantic(L, at, "TypeError", "unsupported operand type(s) for +=",
                 "an entry's counts and times are not numbers");
        return 0;
    }
    if (it[4].type != MO_DICT) {
        char py[128];
        snprintf(py, sizeof py, "argument of type '%s' is not iterable", ps_mobj_type_name(&it[4]));
        semantic(L, at, "TypeError", py, "an entry's callers are not a dict");
        return 0;
    }
    /* An entry value reached again through a back-reference would hand its
     * callers dict to one more entry: no profiler writes that, and copying
     * the dict for every entry makes memory grow with the square of the
     * input (3000 references to a 3000-caller value: 140 kB -> 350 MB). */
    int64_t *used = ps_mobj_tuple_cache(v);
    if (*used == -1) {
        if (!L->has_sem) {
            L->has_sem = 1;
            ps_error_clear(&L->sem);
            ps_error_set(&L->sem, PS_EDATA, at,
                         "an entry's value is a back-reference to another entry's "
                         "(callers dicts shared between entries are not supported)");
        }
        return 0;
    }
    *used = -1;
    uint32_t f = key_to_func(L, k, at);
    if (f == PS_NONE)
        return L->has_sem ? 0 : nomem(e);
    ps_entry *en = entry_for(s, f, 1);
    if (!en)
        return nomem(e);
    en->cc = cc;
    en->nc = nc;
    en->tt = tt;
    en->ct = ct;
    return load_callers(L, en, &it[4], at, e);
}

void ps_stats_format_files_line(char *buf, size_t size, const marshal_input *in, const char *label)
{
    if (in && in->has_mtime) {
        char when[64];
        ps_py_ctime(when, in->mtime);
        snprintf(buf, size, "%s    %s", when, label);
    } else {
        snprintf(buf, size, "%s", label);
    }
}

void ps_stats_files_line(const char *path, char *buf, size_t size)
{
    struct stat sb;
    marshal_input in = {0};
    if (strcmp(path, "-") != 0 && stat(path, &sb) == 0) {
        in.has_mtime = 1;
        in.mtime = (long long)sb.st_mtime;
    }
    ps_stats_format_files_line(buf, size, &in, path);
}

static int stats_finish(ps_stats *s, ps_error *e)
{
    s->total_calls = s->prim_calls = 0;
    s->total_tt = 0.0;
    static const char marker_file[] = "jprofile", marker_name[] = "profiler";
    uint32_t marker = ps_stats_func_find(s, marker_file, 8, 0, marker_name, 8);
    for (uint32_t i = 0; i < s->nentries; i++) {
        const ps_entry *en = &s->entries[i];
        s->total_calls += en->nc;
        s->prim_calls += en->cc;
        s->total_tt += en->tt;
        if (marker != PS_NONE)
            for (uint32_t j = 0; j < en->ncallers; j++)
                if (en->callers[j].caller == marker) {
                    if (ps_resize(&s->top_level, s->ntop_level + 1, sizeof *s->top_level) < 0)
                        return nomem(e);
                    s->top_level[s->ntop_level++] = en->func;
                    break;
                }
    }
    return 0;
}

static int load_sequential(loader *L, marshal_reader *r, ps_error *e)
{
    for (;;) {
        mobj k, v;
        long long at = (long long)ps_marshal_reader_offset(r);
        int got = ps_marshal_read_dict_next(r, &k, &v, e);
        if (got <= 0)
            return got;
        if (load_item(L, &k, &v, at, e) < 0)
            return -1;
    }
}

int ps_stats_load_done(ps_stats *s, const marshal_input *in, const char *label, ps_error *e)
{
    char filesline[4096];
    ps_stats_format_files_line(filesline, sizeof filesline, in, label);
    s->files = malloc(sizeof *s->files);
    if (!s->files || !(s->files[0] = strdup(filesline)))
        return nomem(e);
    s->nfiles = 1;
    return stats_finish(s, e);
}

/* array_grow for a reservation of which the load is expected to fill
 * `expect` bytes (the estimate of one function a 256 bytes): huge pages up
 * to there, and 4 kB pages for the rest, so that the array's last huge
 * page is not memory it does not use (synth.prof: 0.8 MB of the entries',
 * 1.6 of the functions'). */
static void *reserve_grow(void *p, size_t oldbytes, size_t newbytes, size_t expect)
{
    if (newbytes < ((size_t)2 << 20))
        return realloc(p, newbytes);
    void *n = ps_mem_alloc_huge_part(newbytes, expect);
    if (n && p) {
        memcpy(n, p, oldbytes < newbytes ? oldbytes : newbytes);
        free(p);
    }
    return n;
}

int ps_stats_load_reserve(ps_stats *s, size_t len)
{
    /* Real dumps hold a distinct string per 200-250 bytes, and a function
     * per two (synth.prof: one per string): sizing the hash tables for one
     * function a string at once saves rehashing them ten times (a cache
     * miss an item, two for the functions, whose hash is not kept).  The function and entry arrays get
     * room for twice as many functions as strings: address space only (a
     * page is memory once written), and growing them late in a load would
     * hold the old copy and the new at the peak. */
    size_t hint = len / 256;
    if (hint > STATS_RESERVE_MAX)
        hint = STATS_RESERVE_MAX;
    if (ps_strpool_reserve(&s->pool, hint) < 0 || ps_stats_reserve_funcs(s, hint) < 0)
        return -1;
    size_t room = hint * 2;
    if (room > s->capfuncs) {   /* (a fresh s: no functions nor entries yet) */
        ps_func *nf = reserve_grow(s->funcs, (size_t)s->nfuncs * sizeof *nf, room * sizeof *nf,
                                   hint * sizeof *nf);
        if (!nf)
            return -1;
        s->funcs = nf;
        s->capfuncs = (uint32_t)room;
    }
    if (room > s->capentries) {
        ps_entry *ne = reserve_grow(s->entries, (size_t)s->nentries * sizeof *ne,
                                    room * sizeof *ne, hint * sizeof *ne);
        if (!ne)
            return -1;
        s->entries = ne;
        s->capentries = (uint32_t)room;
    }
    return 0;
}

int ps_stats_load_generic(ps_stats *s, const marshal_input *in, const char *label, ps_error *e)
{
    loader L = {s, {0}, 0};
    char filesline[4096];
    ps_stats_format_files_line(filesline, sizeof filesline, in, label);
    if (ps_stats_load_reserve(s, in->len) < 0)
        return nomem(e);
    marshal_reader *r = ps_marshal_reader_new(in->data, in->len);
    if (!r)
        return nomem(e);
    int rc = -1;
    if (ps_marshal_peek_type(r) == '{') {
        if (ps_marshal_read_dict_begin(r, e) < 0)
            goto out;
        if (load_sequential(&L, r, e) < 0)
            goto out;
        if (L.has_sem) {
            *e = L.sem;
            goto out;
        }
        if (s->nentries == 0)
            goto empty;
    } else {
        mobj o;
        if (ps_marshal_read_object(r, &o, e) < 0)
            goto out;
        if (ps_mobj_truthy(&o)) {
            ps_error_set(e, PS_EDATA, 0, "not profile data: the top-level object is a %s, not a dict",
                         ps_mobj_type_name(&o));
            ps_error_py(e, "AttributeError", "'%s' object has no attribute 'items'",
                        ps_mobj_type_name(&o));
            goto out;
        }
        goto empty;
    }
    rc = ps_stats_load_done(s, in, label, e);
    goto out;
empty: {
        char repr[4200];
        ps_py_str_repr(repr, sizeof repr, filesline, strlen(filesline));
        ps_error_set(e, PS_EEMPTY, -1, "no profile data (an empty dump)");
        ps_error_py(e, "TypeError", "Cannot create or construct a <class '__main__.Stats'> object from %s",
                    repr);
    }
out:
    ps_marshal_reader_free(r);
    return rc;
}

/* Load into a fresh object, then swap: a failed load leaves s as it was. */
void ps_stats_swap_in(ps_stats *s, ps_stats *fresh)
{
    stats_clear(s);
    *s = *fresh;
    free(fresh);
}

