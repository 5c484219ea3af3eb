/* thread.h - starting the library's helper threads (internal). */
#ifndef PSTATS_THREAD_H
#define PSTATS_THREAD_H

#include <pthread.h>
#include <signal.h>

/* Start fn(arg) on a new thread with every signal blocked, so signals stay
 * with the program's own threads (its cleanup handlers).  1 if started. */
static inline int ps_thread_start(pthread_t *t, void *(*fn)(void *), void *arg)
{
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int started = pthread_create(t, NULL, fn, arg) == 0;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return started;
}

#endif
