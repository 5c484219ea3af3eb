/* load_each.c - many inputs loaded side by side on helper threads and handed
 * over one by one, in order (ps_stats_load_each in pstats/stats.h). */
#include <stdlib.h>
#include "base/pipeline.h"
#include "pstats/stats.h"

typedef struct loaded {
    ps_stats *st;
    ps_error err;
} loaded;

typedef struct each {
    const char *const *paths;
    loaded *items;
    ps_load_each_fn take;
    void *ctx;
} each;

static void load_one(void *arg, size_t i, int worker)
{
    (void)worker;
    each *E = arg;
    loaded *it = &E->items[i];
    ps_error_clear(&it->err);
    it->st = ps_stats_new();
    if (!it->st) {
        ps_error_set(&it->err, PS_ENOMEM, -1, "out of memory");
        return;
    }
    if (ps_stats_load_file(it->st, E->paths[i], &it->err) < 0) {
        ps_stats_free(it->st);
        it->st = NULL;
    }
}

static int hand_over(void *arg, size_t i)
{
    each *E = arg;
    loaded *it = &E->items[i];
    return E->take(E->ctx, i, &it->st, it->st ? NULL : &it->err);
}

/* On the thread that loaded it: its memory came from that thread's malloc
 * arena, and freeing it there keeps the thread that takes the inputs (the
 * serial part) from contending for that arena. */
static void free_one(void *arg, size_t i, int worker)
{
    (void)worker;
    each *E = arg;
    ps_stats_free(E->items[i].st);
    E->items[i].st = NULL;
}

int ps_stats_load_each(const char *const *paths, size_t n, int jobs, ps_load_each_fn take,
                       void *ctx)
{
    each E = {paths, calloc(n ? n : 1, sizeof *E.items), take, ctx};
    if (!E.items) {
        ps_error e;
        ps_error_clear(&e);
        ps_error_set(&e, PS_ENOMEM, -1, "out of memory");
        ps_stats *none = NULL;
        return n ? take(ctx, 0, &none, &e) : 0;
    }
    static const ps_pipeline_ops ops = {NULL, load_one, hand_over, free_one};
    /* jobs threads load, at most jobs + 1 inputs ahead of the one taken */
    int rc = ps_pipeline_run(n, jobs > 1 ? jobs : 0, jobs > 1 ? (size_t)jobs + 1 : 1, &ops, &E);
    free(E.items);
    return rc;
}
