/* thread.h - starting the library's helper threads (internal). */
#ifndef PSTATS_THREAD_H
#define PSTATS_THREAD_H

#include <pthread.h>
#include <signal.h>

/* Start fn(arg) on a new thread with every signal blocked, so signals stay
 * with the program's own threads (its cleanup handlers).  The stack is made
 * big enough for the reader's 2000 levels of nesting whatever the default
 * (only the pages used are ever touched).  1 if started. */
static inline int ps_thread_start(pthread_t *t, void *(*fn)(void *), void *arg)
{
    pthread_attr_t attr;
    if (pthread_attr_init(&attr) != 0)
        return 0;
    pthread_attr_setstacksize(&attr, (size_t)64 << 20);
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int started = pthread_create(t, &attr, fn, arg) == 0;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    pthread_attr_destroy(&attr);
    return started;
}

#endif
