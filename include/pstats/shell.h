/* shell.h - the `python -m pstats` browser's command interpreter.
 *
 * Reads nothing itself: the program feeds it lines (from readline, a pipe or
 * -c) and it writes exactly what CPython's ProfileBrowser writes to `out`.
 * Where CPython would crash with a traceback, it writes one clear line to
 * `err` instead and the session goes on. */
#ifndef PSTATS_SHELL_H
#define PSTATS_SHELL_H

#include <stdio.h>
#include "stats.h"

typedef struct shell shell;

shell *ps_shell_new(FILE *out, FILE *err, const char *progname);
void ps_shell_free(shell *sh);

/* Startup: the first file is read as by `read`, the others added as by `add`. */
void ps_shell_read(shell *sh, const char *path);
void ps_shell_add(shell *sh, const char *path);
/* The same for one-shot use (pstatsh -c): read (add = 0) or add (add = 1)
 * a file without printing anything; a failure comes back in err for the
 * program's one line ("pstatsh: FILE: byte N: ...").  Returns 0 or -1. */
int ps_shell_load(shell *sh, const char *path, int add, ps_error *err);

/* Run one input line (without its newline).  Returns 1 when the session
 * should end (quit, EOF), else 0. */
int ps_shell_exec(shell *sh, const char *line);

const char *ps_shell_prompt(const shell *sh);
ps_stats *ps_shell_stats(shell *sh);
/* How many commands reported an error (for -c's exit status). */
int ps_shell_errors(const shell *sh);

/* Commands and help topics, for completion (NULL-terminated, in name order). */
const char *const *ps_shell_commands(void);

/* What a command's arguments complete to. */
enum {
    SHELL_COMPLETE_NONE,      /* nothing (or not a command) */
    SHELL_COMPLETE_FILE,      /* a file name */
    SHELL_COMPLETE_SORT_KEY,  /* sort keys */
    SHELL_COMPLETE_FUNCTION,  /* function names of the current statistics */
    SHELL_COMPLETE_EXPORT,    /* a format (dot, callgrind, folded), then a file name */
    SHELL_COMPLETE_COMMAND,   /* a command name (help) */
    SHELL_COMPLETE_GRANULARITY /* functions, files, lines */
};
int ps_shell_command_completion(const char *name);

#endif
