/* test_handoff.c - the worker hand-off (src/base/pipeline.h): with 0 to 4
 * helper threads and windows of 1 to 5, every item is prepared in order,
 * worked once after its prepare, finished in order after its work, and
 * released once, by the worker that worked it; no item is prepared more than
 * `ahead` past the last finished one; a finish that says stop ends the run
 * with its value, no item finished after it, every item worked released. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "base/pipeline.h"
#include "test.h"

#define N 300

typedef struct ctx {
    size_t ahead, stop_at;
    atomic_int prepared[N], worked[N], released[N];
    int worker[N], release_worker[N];
    size_t nprepared, nfinished;
    int in_order, after_work, window;   /* (written by the caller's stages only) */
    atomic_int after_prepare;           /* (written by every worker) */
} ctx;

static void prepare(void *arg, size_t i)
{
    ctx *c = arg;
    c->in_order &= i == c->nprepared;
    c->window &= i < c->nfinished + c->ahead;
    c->nprepared++;
    atomic_fetch_add(&c->prepared[i], 1);
}

static void work(void *arg, size_t i, int worker)
{
    ctx *c = arg;
    atomic_fetch_and(&c->after_prepare, atomic_load(&c->prepared[i]) == 1);
    if (i % 7 == 3)
        usleep(200);   /* some items slower, so they finish out of order */
    c->worker[i] = worker;
    atomic_fetch_add(&c->worked[i], 1);
}

static int finish(void *arg, size_t i)
{
    ctx *c = arg;
    c->in_order &= i == c->nfinished;
    c->after_work &= atomic_load(&c->worked[i]) == 1;
    c->nfinished++;
    return i == c->stop_at ? 42 : 0;
}

static void release(void *arg, size_t i, int worker)
{
    ctx *c = arg;
    c->release_worker[i] = worker;
    atomic_fetch_add(&c->released[i], 1);
}

static void run(int threads, size_t ahead, size_t stop_at, int with_prepare)
{
    ctx *c = calloc(1, sizeof *c);
    c->ahead = ahead, c->stop_at = stop_at;
    c->in_order = c->after_work = c->window = 1;
    atomic_init(&c->after_prepare, 1);
    ps_pipeline_ops ops = {with_prepare ? prepare : NULL, work, finish, release};
    if (!with_prepare)
        for (size_t i = 0; i < N; i++)
            c->prepared[i] = 1;
    int rc = ps_pipeline_run(N, threads, ahead, &ops, c);
    int once = 1, owner = 1;
    for (size_t i = 0; i < N; i++) {
        once &= c->released[i] == c->worked[i] && c->worked[i] <= 1;
        owner &= !c->worked[i] || c->release_worker[i] == c->worker[i] ||
                 i >= c->nfinished;   /* unfinished at a stop: released by the caller */
    }
    CHECK(c->in_order);
    CHECK(atomic_load(&c->after_prepare));
    CHECK(c->after_work);
    CHECK(c->window);
    CHECK(once);
    CHECK(owner);
    if (stop_at < N) {
        CHECK(rc == 42);
        CHECK(c->nfinished == stop_at + 1);
    } else {
        CHECK(rc == 0);
        CHECK(c->nfinished == N);
    }
    free(c);
}

int main(void)
{
    for (int threads = 0; threads <= 4; threads++)
        for (size_t ahead = 1; ahead <= 5; ahead += 2) {
            run(threads, ahead, N, 1);
            run(threads, ahead, N, 0);
            run(threads, ahead, 17, 1);
            run(threads, ahead, 0, 0);
        }
    return TEST_SUMMARY();
}
