/* cleanup.h - remove the temporary output file when a program is interrupted.
 *
 * Every output file is written to a temporary beside it and renamed into
 * place when complete (ps_export_file_open/commit in include/pstats/export.h).
 * If SIGINT, SIGTERM or SIGHUP (or SIGPIPE) ends the program half-way, this
 * removes the temporary and the previous output stays as it was.  (kill -9
 * cannot be caught: the old file is still untouched, a stray .NAME.tmpXXXXXX
 * may stay behind.)
 *
 * Use: include this header in the program's one .c file (it defines the two
 * hooks the library calls: export_tmp_created and export_tmp_gone), then call
 * cleanup_install() once at startup.  Nothing else: every writer of the
 * library registers its temporary through ps_export_file_open.
 *
 *     #include "cleanup.h"
 *     int main(...) { cleanup_install(CLEANUP_ALL); ... }
 *
 * A program with its own SIGINT handler (pstatsh at the prompt) installs the
 * others with CLEANUP_ALL & ~CLEANUP_SIGINT and calls cleanup_on_signal(sig)
 * from its handler when it wants the default action (remove the temporaries,
 * then die of the signal).  Handlers, registry and hooks are async-signal-safe:
 * fixed slots, unlink(2), no allocation. */
#ifndef PSTATS_CLI_CLEANUP_H
#define PSTATS_CLI_CLEANUP_H

#include <limits.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include "pstats/export.h"

enum { CLEANUP_SIGINT = 1, CLEANUP_SIGTERM = 2, CLEANUP_SIGHUP = 4, CLEANUP_SIGPIPE = 8,
       CLEANUP_ALL = 15 };

#define CLEANUP_SLOTS 4
static char cleanup_names[CLEANUP_SLOTS][PATH_MAX];
static volatile sig_atomic_t cleanup_used[CLEANUP_SLOTS];

/* The library's hooks (export.h). */
void export_tmp_created(const char *tmp)
{
    for (int i = 0; i < CLEANUP_SLOTS; i++)
        if (!cleanup_used[i]) {
            size_t n = strlen(tmp);
            if (n >= sizeof cleanup_names[i])
                return;   /* cannot happen: mkstemp made it */
            memcpy(cleanup_names[i], tmp, n + 1);
            cleanup_used[i] = 1;   /* only now may the handler look at it */
            return;
        }
}

void export_tmp_gone(const char *tmp)
{
    for (int i = 0; i < CLEANUP_SLOTS; i++)
        if (cleanup_used[i] && strcmp(cleanup_names[i], tmp) == 0) {
            cleanup_used[i] = 0;
            return;
        }
}

/* Remove the registered temporaries, then end the program by sig as if no
 * handler had been installed. */
static inline void cleanup_on_signal(int sig)
{
    for (int i = 0; i < CLEANUP_SLOTS; i++)
        if (cleanup_used[i])
            unlink(cleanup_names[i]);
    signal(sig, SIG_DFL);
    raise(sig);   /* delivered when the handler returns (it is blocked in it) */
}

static inline void cleanup_install(int which)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = cleanup_on_signal;
    sigemptyset(&sa.sa_mask);
    for (int i = 0; i < 4; i++) {
        if (!(which & (1 << i)))
            continue;
        struct sigaction old;
        /* An ignored signal stays ignored (nohup, `trap '' INT`). */
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue;
        sigaction(sigs[i], &sa, NULL);
    }
}

#endif
