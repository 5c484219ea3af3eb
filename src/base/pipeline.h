/* pipeline.h - the library's one worker hand-off: items 0..n-1 go through
 * three stages, with helper threads for the middle one (internal).
 *
 *   prepare(i)   serial, in order, on the calling thread (optional)
 *   work(i)      on any thread, once prepare(i) is done; items side by side
 *   finish(i)    serial, in order, on the calling thread, once work(i) is done
 *   release(i)   after finish(i), on the thread that did work(i) (optional):
 *                memory goes back to the malloc arena it came from; the items
 *                a helper leaves when it stops are released by the caller
 *
 * The calling thread finishes items as soon as they are ready, prepares the
 * next ones, and works items itself when nothing else is to be done, so the
 * result is the same with any number of helper threads, none included (the
 * tests run both ways).  At most `ahead` items are prepared beyond the last
 * finished one, which bounds the memory held by items in flight.  A finish
 * that returns non-zero stops the run: no item is prepared or started after
 * it, those in flight are released, and ps_pipeline_run returns that value.
 *
 * One mutex and one condition variable; a stage runs with the lock released.
 * Helper threads start with every signal blocked (thread.h). */
#ifndef PSTATS_BASE_PIPELINE_H
#define PSTATS_BASE_PIPELINE_H

#include <stddef.h>

#define PS_PIPELINE_MAX_THREADS 64

typedef struct ps_pipeline_ops {
    void (*prepare)(void *ctx, size_t i);          /* may be NULL */
    void (*work)(void *ctx, size_t i, int worker); /* worker: 0 the caller, 1.. helpers */
    int (*finish)(void *ctx, size_t i);            /* non-zero: stop with that value */
    void (*release)(void *ctx, size_t i, int worker); /* may be NULL */
} ps_pipeline_ops;

/* Run the n items through the stages with up to `threads` helper threads (0:
 * the calling thread alone; fewer when a thread cannot start).  0, or the
 * first non-zero value of finish. */
int ps_pipeline_run(size_t n, int threads, size_t ahead, const ps_pipeline_ops *ops, void *ctx);

#endif
