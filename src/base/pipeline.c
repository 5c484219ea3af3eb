/* pipeline.c - prepare / work / finish / release over n items, the work on
 * helper threads (pipeline.h). */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include "base/pipeline.h"
#include "base/thread.h"

enum { NEW, TAKEN, WORKED, FINISHED, RELEASED };

typedef struct run {
    const ps_pipeline_ops *ops;
    void *ctx;
    size_t n, ahead;
    size_t prepared;    /* items 0..prepared-1 may be worked */
    size_t next;        /* the next item to take */
    size_t finished;    /* items 0..finished-1 are finished */
    int stop;
    unsigned char *state;
    unsigned char *owner;
    pthread_mutex_t mu;
    pthread_cond_t cv;
} run;

typedef struct helper {
    run *r;
    int id;
    size_t scan;        /* items before it are released or not this helper's */
} helper;

/* With the lock held: the items up to which work may start (without a
 * prepare stage, as far as the window goes). */
static size_t ready_until(const run *r)
{
    if (r->ops->prepare)
        return r->prepared;
    size_t lim = r->finished + r->ahead;
    return lim < r->n ? lim : r->n;
}

/* With the lock held: work item i (taken) with the lock released. */
static void work_item(run *r, size_t i, int worker)
{
    r->state[i] = TAKEN;
    r->owner[i] = (unsigned char)worker;
    pthread_mutex_unlock(&r->mu);
    r->ops->work(r->ctx, i, worker);
    pthread_mutex_lock(&r->mu);
    r->state[i] = WORKED;
    pthread_cond_broadcast(&r->cv);
}

static void release_item(run *r, size_t i)
{
    r->state[i] = RELEASED;
    if (!r->ops->release)
        return;
    pthread_mutex_unlock(&r->mu);
    r->ops->release(r->ctx, i, r->owner[i]);
    pthread_mutex_lock(&r->mu);
}

static void *helper_main(void *arg)
{
    helper *h = arg;
    run *r = h->r;
    pthread_mutex_lock(&r->mu);
    for (;;) {
        for (size_t i = h->scan; i < r->finished; i++)
            if (r->owner[i] == h->id && r->state[i] == FINISHED)
                release_item(r, i);
        while (h->scan < r->finished &&
               (r->owner[h->scan] != h->id || r->state[h->scan] == RELEASED))
            h->scan++;
        if (r->stop || r->next >= r->n)
            break;
        if (r->next < ready_until(r))
            work_item(r, r->next++, h->id);
        else
            pthread_cond_wait(&r->cv, &r->mu);
    }
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

int ps_pipeline_run(size_t n, int threads, size_t ahead, const ps_pipeline_ops *ops, void *ctx)
{
    if (threads > PS_PIPELINE_MAX_THREADS)
        threads = PS_PIPELINE_MAX_THREADS;
    if (threads < 0 || n < 2)
        threads = 0;
    if (ahead < 1)
        ahead = 1;
    run r = {.ops = ops, .ctx = ctx, .n = n, .ahead = ahead};
    r.state = calloc(n ? n : 1, 1);
    r.owner = calloc(n ? n : 1, 1);
    if (!r.state || !r.owner) {   /* no room to track items: one at a time, here */
        free(r.state);
        free(r.owner);
        int rc = 0;
        for (size_t i = 0; i < n && !rc; i++) {
            if (ops->prepare)
                ops->prepare(ctx, i);
            ops->work(ctx, i, 0);
            rc = ops->finish(ctx, i);
            if (ops->release)
                ops->release(ctx, i, 0);
        }
        return rc;
    }
    pthread_mutex_init(&r.mu, NULL);
    pthread_cond_init(&r.cv, NULL);
    helper h[PS_PIPELINE_MAX_THREADS];
    pthread_t tid[PS_PIPELINE_MAX_THREADS];
    int nh = 0;
    for (; nh < threads; nh++) {
        h[nh] = (helper){&r, nh + 1, 0};
        if (!ps_thread_start(&tid[nh], helper_main, &h[nh]))
            break;
    }
    int rc = 0;
    pthread_mutex_lock(&r.mu);
    while (r.finished < n) {
        size_t f = r.finished;
        if (r.state[f] == WORKED) {
            r.state[f] = FINISHED;
            pthread_mutex_unlock(&r.mu);
            rc = ops->finish(ctx, f);
            pthread_mutex_lock(&r.mu);
            r.finished++;
            if (rc)
                r.stop = 1;
            if (r.owner[f] == 0)
                release_item(&r, f);
            pthread_cond_broadcast(&r.cv);
            if (rc)
                break;
        } else if (ops->prepare && r.prepared < n && r.prepared < f + ahead) {
            size_t i = r.prepared;
            pthread_mutex_unlock(&r.mu);
            ops->prepare(ctx, i);
            pthread_mutex_lock(&r.mu);
            r.prepared++;
            pthread_cond_broadcast(&r.cv);
        } else if (r.next < ready_until(&r)) {
            work_item(&r, r.next++, 0);
        } else {
            pthread_cond_wait(&r.cv, &r.mu);
        }
    }
    r.stop = 1;
    pthread_cond_broadcast(&r.cv);
    pthread_mutex_unlock(&r.mu);
    for (int t = 0; t < nh; t++)
        pthread_join(tid[t], NULL);
    /* What the helpers left (they stop when no item is left to take, or at
     * a stop): released here. */
    pthread_mutex_lock(&r.mu);
    for (size_t i = 0; i < n; i++)
        if (r.state[i] == WORKED || r.state[i] == FINISHED)
            release_item(&r, i);
    pthread_mutex_unlock(&r.mu);
    pthread_mutex_destroy(&r.mu);
    pthread_cond_destroy(&r.cv);
    free(r.state);
    free(r.owner);
    return rc;
}
