/* pprof.c - the pprof profile.proto writer (pprof.h).
 *
 * The messages are protoc-c's from src/profile.proto (generated into build/
 * when the library is built).  Every message lives in a few flat arrays
 * allocated once (one Function and one Location per function used, one
 * Sample per stack, every stack's location ids in one uint64 array), and the
 * pointer arrays protobuf-c wants point into them: a profile of 200,000
 * functions is a handful of allocations.  protobuf-c packs the Profile into
 * one buffer, which is gzip-compressed on the way out (pprof reads both, and
 * writes gzip itself).
 *
 * Strings: the string table starts with "" (pprof requires it); a file or
 * function name is interned once per distinct string of the stats (their
 * strings are interned, so a pointer identifies one), cleaned to UTF-8 as
 * proto3 strings must be (jsonout.h: other bytes as Latin-1) and with NUL
 * bytes, which a C string cannot hold, as '?'. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "pstats/export.h"
#include "pstats/pprof.h"
#include "base/grow.h"
#include "base/index.h"
#include "base/jsonout.h"
#include "profile.pb-c.h"

typedef struct strtab {
    char **strs;
    const ps_str **src;    /* the interned string each came from, or NULL */
    size_t n, cap;
    ps_index index;        /* interned ps_str -> its index */
} strtab;

static int strtab_push(strtab *t, char *s)
{
    if (t->n == t->cap) {
        size_t cap = ps_grow_cap(t->cap, t->n + 1);
        if (ps_resize(&t->strs, cap, sizeof *t->strs) < 0 ||
            ps_resize(&t->src, cap, sizeof *t->src) < 0)
            return -1;
        t->cap = cap;
    }
    t->src[t->n] = NULL;
    t->strs[t->n++] = s;
    return 0;
}

/* A string of ours (s[0..n)) cleaned and appended; its index, or -1. */
static int64_t strtab_add(strtab *t, const char *s, size_t n)
{
    char *out = NULL;
    size_t cap = 0;
    size_t len = utf8_clean(s, n, &out, &cap);
    if (len == (size_t)-1)
        return -1;
    for (size_t i = 0; i < len; i++)
        if (!out[i])
            out[i] = '?';
    if (strtab_push(t, out) < 0) {
        free(out);
        return -1;
    }
    return (int64_t)t->n - 1;
}

/* An interned string of the stats, added once. */
static int64_t strtab_intern(strtab *t, const ps_str *s)
{
    ps_index_probe p;
    for (uint32_t id = ps_index_find(&t->index, s->hash, &p); id != PS_INDEX_NONE;
         id = ps_index_next(&t->index, &p))
        if (t->src[id] == s)
            return id;
    int64_t k = strtab_add(t, s->s, s->len);
    if (k < 0)
        return -1;
    t->src[k] = s;
    return ps_index_add(&t->index, &p, (uint32_t)k) < 0 ? -1 : k;
}

static void strtab_free(strtab *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->strs[i]);
    free(t->strs);
    free(t->src);
    ps_index_free(&t->index);
}

/* Saturating seconds -> nanoseconds (the stats layer's rule, ps_count_round). */
static int64_t to_ns(double sec)
{
    return ps_count_round(sec * 1e9);
}

int ps_pprof_write(const ps_stats *s, const ps_stacks *st, FILE *fp, const char *what,
                   ps_error *e)
{
    int rc = -1;
    strtab t = {0};
    uint32_t *index = NULL, *order = NULL, nused;
    Ps__Pprof__Function *fn = NULL, **fnp = NULL;
    Ps__Pprof__Location *loc = NULL, **locp = NULL;
    Ps__Pprof__Line *line = NULL, **linep = NULL;
    Ps__Pprof__Sample *smp = NULL, **smpp = NULL;
    uint64_t *locids = NULL;
    int64_t *values = NULL;
    uint8_t *packed = NULL;
    if (ps_stacks_number(st, s->nfuncs, &index, &order, &nused, e) < 0)
        goto out;
    /* Two interned strings (file, name) per function at most. */
    if (ps_index_init(&t.index, 2 * (size_t)nused) < 0)
        goto nomem;
    static const char *const fixed[] = {"", "samples", "count", "time", "nanoseconds",
                                        "estimated stacks"};
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
        if (strtab_add(&t, fixed[i], strlen(fixed[i])) < 0)
            goto nomem;

    size_t nf = nused ? nused : 1;
    fn = malloc(nf * sizeof *fn);
    fnp = malloc(nf * sizeof *fnp);
    loc = malloc(nf * sizeof *loc);
    locp = malloc(nf * sizeof *locp);
    line = malloc(nf * sizeof *line);
    linep = malloc(nf * sizeof *linep);
    if (!fn || !fnp || !loc || !locp || !line || !linep)
        goto nomem;
    char stdname[4096];
    for (uint32_t i = 0; i < nused; i++) {
        const ps_func *f = &s->funcs[order[i]];
        Ps__Pprof__Function fi = PS__PPROF__FUNCTION__INIT;
        fi.id = i + 1;
        size_t sl = ps_stats_std_name(s, order[i], stdname, sizeof stdname);
        if (sl >= sizeof stdname)
            sl = sizeof stdname - 1;
        int64_t name = strtab_intern(&t, f->name), file = strtab_intern(&t, f->file),
                sys = strtab_add(&t, stdname, sl);
        if (name < 0 || file < 0 || sys < 0)
            goto nomem;
        fi.name = name;
        fi.system_name = sys;
        fi.filename = file;
        fi.start_line = f->line;
        fn[i] = fi;
        fnp[i] = &fn[i];
        Ps__Pprof__Line li = PS__PPROF__LINE__INIT;
        li.function_id = i + 1;
        li.line = f->line;
        line[i] = li;
        linep[i] = &line[i];
        Ps__Pprof__Location lo = PS__PPROF__LOCATION__INIT;
        lo.id = i + 1;
        lo.n_line = 1;
        lo.line = &linep[i];
        loc[i] = lo;
        locp[i] = &loc[i];
    }

    size_t ns = st->nstacks ? st->nstacks : 1;
    smp = malloc(ns * sizeof *smp);
    smpp = malloc(ns * sizeof *smpp);
    locids = malloc((st->nframes ? st->nframes : 1) * sizeof *locids);
    values = malloc(2 * ns * sizeof *values);
    if (!smp || !smpp || !locids || !values)
        goto nomem;
    int64_t total_ns = 0;
    for (size_t i = 0; i < st->nstacks; i++) {
        const ps_stack *k = &st->stacks[i];
        uint64_t *ids = locids + k->first;
        for (uint32_t d = 0; d < k->depth; d++)   /* pprof lists the leaf first */
            ids[d] = (uint64_t)index[st->frames[k->first + k->depth - 1 - d]] + 1;
        Ps__Pprof__Sample sa = PS__PPROF__SAMPLE__INIT;
        sa.n_location_id = k->depth;
        sa.location_id = ids;
        values[2 * i] = st->estimated ? 0 : k->count;
        values[2 * i + 1] = to_ns(k->weight);
        if (__builtin_add_overflow(total_ns, values[2 * i + 1], &total_ns))
            total_ns = INT64_MAX;
        sa.n_value = 2;
        sa.value = &values[2 * i];
        smp[i] = sa;
        smpp[i] = &smp[i];
    }

    Ps__Pprof__ValueType vt[2] = {PS__PPROF__VALUE_TYPE__INIT,
                                      PS__PPROF__VALUE_TYPE__INIT};
    vt[0].type = 1;   /* samples/count */
    vt[0].unit = 2;
    vt[1].type = 3;   /* time/nanoseconds */
    vt[1].unit = 4;
    Ps__Pprof__ValueType *vtp[2] = {&vt[0], &vt[1]};
    Ps__Pprof__ValueType period = PS__PPROF__VALUE_TYPE__INIT;
    period.type = 3;
    period.unit = 4;
    int64_t comment = 5;   /* "estimated stacks" */

    Ps__Pprof__Profile p = PS__PPROF__PROFILE__INIT;
    p.n_sample_type = 2;
    p.sample_type = vtp;
    p.n_sample = st->nstacks;
    p.sample = smpp;
    p.n_location = nused;
    p.location = locp;
    p.n_function = nused;
    p.function = fnp;
    p.n_string_table = t.n;
    p.string_table = t.strs;
    p.duration_nanos = total_ns;
    p.period_type = &period;
    p.default_sample_type = 3;   /* "time": what pprof shows unless told otherwise */
    if (st->estimated) {
        p.n_comment = 1;
        p.comment = &comment;
    }
    size_t len = protobuf_c_message_get_packed_size(&p.base);
    packed = malloc(len ? len : 1);
    if (!packed)
        goto nomem;
    protobuf_c_message_pack(&p.base, packed);
    /* The gzip writer takes a marshal_writer: a view of the packed bytes. */
    marshal_writer view = {0};
    view.buf = packed;
    view.len = len;
    if (ps_export_write_marshal(fp, &view, 1, e) < 0)
        goto out;
    if (fflush(fp) != 0 || ferror(fp)) {
        e->sys_errno = errno;
        ps_error_set(e, PS_EIO, -1, "cannot write %s: %s", what ? what : "the output",
                     strerror(errno));
        goto out;
    }
    rc = 0;
    goto out;
nomem:
    ps_error_set(e, PS_ENOMEM, -1, "out of memory");
out:
    free(packed);
    free(values);
    free(locids);
    free(smpp);
    free(smp);
    free(linep);
    free(line);
    free(locp);
    free(loc);
    free(fnp);
    free(fn);
    strtab_free(&t);
    free(order);
    free(index);
    return rc;
}

static int write_pprof(const ps_stats *s, const ps_stacks *st, FILE *fp, const char *what,
                       void *ctx, ps_error *e)
{
    (void)ctx;
    return ps_pprof_write(s, st, fp, what, e);
}

int ps_pprof_export(const ps_stats *s, const char *path, const folded_options *o, ps_error *e)
{
    return ps_stacks_export(s, o, path, write_pprof, NULL, e);
}
