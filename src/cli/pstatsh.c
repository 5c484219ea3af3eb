/* pstatsh - the `python -m pstats` browser: same output, with GNU readline
 * editing, history and completion on a terminal. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <readline/history.h>
#include <readline/readline.h>
#include "pstats/shell.h"
#include "pstats/sort.h"
#include "cleanup.h"
#include "common.h"

#define HISTORY_MAX 1000

static const char USAGE[] =
    "usage: pstatsh [-c COMMAND]... [FILE [FILE...]]\n"
    "The pstats browser: the first FILE is read, the others added.\n"
    "  -c, --command COMMAND   run COMMAND (repeatable) and exit instead of browsing\n"
    CLI_LOAD_USAGE
    "  -h, --help              show this help\n"
    "      --version           show the version\n"
    "FILE may be a dump from any CPython 2.7-3.14 (cProfile, profile, yappi),\n"
    "gzip-compressed, or - for standard input.\n";

static shell *g_shell;   /* for the completion callbacks only */

/* ---- completion ------------------------------------------------------------ */

static char **g_matches;
static size_t g_nmatches, g_capmatches;

static void add_match(const char *text)
{
    for (size_t i = 0; i < g_nmatches; i++)
        if (strcmp(g_matches[i], text) == 0)
            return;
    if (g_nmatches == g_capmatches) {
        size_t cap = g_capmatches ? g_capmatches * 2 : 64;
        char **n = realloc(g_matches, cap * sizeof *n);
        if (!n)
            return;
        g_matches = n;
        g_capmatches = cap;
    }
    char *c = strdup(text);
    if (c)
        g_matches[g_nmatches++] = c;
}

static void clear_matches(void)
{
    for (size_t i = 0; i < g_nmatches; i++)
        free(g_matches[i]);
    g_nmatches = 0;
}

static char *next_match(const char *text, int state)
{
    static size_t i;
    (void)text;
    if (!state)
        i = 0;
    return i < g_nmatches ? strdup(g_matches[i++]) : NULL;
}

static const char *g_prefix;
static void add_abbrev_if_prefix(const char *abbrev, void *arg)
{
    (void)arg;
    if (strncmp(abbrev, g_prefix, strlen(g_prefix)) == 0 && ps_sort_key_lookup(abbrev) &&
        strcmp(ps_sort_key_lookup(abbrev), abbrev) == 0)
        add_match(abbrev);
}

static char **complete(const char *text, int start, int end)
{
    (void)end;
    clear_matches();
    size_t tl = strlen(text);
    /* The command word is the first word of the line. */
    char first[32] = "";
    int i = 0;
    while (rl_line_buffer[i] == ' ' || rl_line_buffer[i] == '\t')
        i++;
    int j = 0;
    while (rl_line_buffer[i] && rl_line_buffer[i] != ' ' && rl_line_buffer[i] != '\t' && j < 31)
        first[j++] = rl_line_buffer[i++];
    first[j] = '\0';
    int kind = SHELL_COMPLETE_NONE;
    int on_first = start <= i - j || (int)strspn(rl_line_buffer, " \t") >= start;
    /* after `COMMAND >`, a file name (pprof's redirection) */
    int k = start;
    while (k > 0 && (rl_line_buffer[k - 1] == ' ' || rl_line_buffer[k - 1] == '\t'))
        k--;
    if (!on_first && k > 0 && rl_line_buffer[k - 1] == '>') {
        rl_attempted_completion_over = 0;
        return NULL;
    }
    if (on_first) {
        for (const char *const *c = ps_shell_commands(); *c; c++)
            if (strncmp(*c, text, tl) == 0)
                add_match(*c);
    } else if ((kind = ps_shell_command_completion(first)) == SHELL_COMPLETE_FILE) {
        rl_attempted_completion_over = 0;
        return NULL;                       /* readline's own file-name completion */
    } else if (kind == SHELL_COMPLETE_SORT_KEY) {
        g_prefix = text;
        ps_sort_each_abbrev(add_abbrev_if_prefix, NULL);
    } else if (kind == SHELL_COMPLETE_EXPORT) {
        /* export FORMAT FILE */
        int words = 0;
        for (int k = 0, inword = 0; k < start; k++) {
            int sp = rl_line_buffer[k] == ' ' || rl_line_buffer[k] == '\t';
            if (!sp && !inword)
                words++;
            inword = !sp;
        }
        if (words <= 1) {
            static const char *const fmts[] = {"dot", "callgrind", "folded", "speedscope", "pprof",
                                               "html"};
            for (size_t k = 0; k < sizeof fmts / sizeof *fmts; k++)
                if (strncmp(fmts[k], text, tl) == 0)
                    add_match(fmts[k]);
        } else {
            rl_attempted_completion_over = 0;
            return NULL;
        }
    } else if (kind == SHELL_COMPLETE_FUNCTION) {
        const ps_stats *s = ps_shell_stats(g_shell);
        for (uint32_t k = 0; s && k < s->nentries && g_nmatches < 5000; k++) {
            const ps_func *f = &s->funcs[s->entries[k].func];
            if (!f->name_is_code && strncmp(f->name->s, text, tl) == 0)
                add_match(f->name->s);
        }
    } else if (kind == SHELL_COMPLETE_GRANULARITY) {
        static const char *const levels[] = {"functions", "files", "lines"};
        for (size_t l = 0; l < sizeof levels / sizeof *levels; l++)
            if (strncmp(levels[l], text, tl) == 0)
                add_match(levels[l]);
    } else if (kind == SHELL_COMPLETE_COMMAND || first[0] == '?') {
        for (const char *const *c = ps_shell_commands(); *c; c++)
            if (strncmp(*c, text, tl) == 0)
                add_match(*c);
    }
    rl_attempted_completion_over = 1;
    if (!g_nmatches)
        return NULL;
    return rl_completion_matches(text, next_match);
}

/* ---- signals --------------------------------------------------------------- */

/* Ctrl-C at the prompt drops the line being typed, as readline users expect;
 * while a command runs it ends the program as usual (CPython's browser ends
 * on KeyboardInterrupt), removing a half-written `dump` or `export` first.
 * The handler only sets a flag: readline's read() returns EINTR (no
 * SA_RESTART) and calls on_signal_event outside the handler. */
static volatile sig_atomic_t at_prompt, got_sigint;

static void on_sigint(int sig)
{
    if (!at_prompt)
        cleanup_on_signal(sig);
    else
        got_sigint = 1;
}

static int on_signal_event(void)
{
    if (got_sigint) {
        got_sigint = 0;
        rl_crlf();
        rl_replace_line("", 0);
        rl_on_new_line();
        rl_redisplay();
    }
    return 0;
}

/* ---- main -------------------------------------------------------------------- */

static char *history_path(void)
{
    const char *env = getenv("PSTATSH_HISTORY");
    if (env)
        return *env ? strdup(env) : NULL;
    const char *home = getenv("HOME");
    if (!home || !*home)
        return NULL;
    char *p = malloc(strlen(home) + 32);
    if (p)
        sprintf(p, "%s/.pstatsh_history", home);
    return p;
}

static int run_terminal(shell *sh)
{
    char *hist = history_path();
    using_history();
    stifle_history(HISTORY_MAX);
    if (hist)
        read_history(hist);
    rl_readline_name = "pstatsh";
    rl_attempted_completion_function = complete;
    rl_catch_signals = 0;
    rl_signal_event_hook = on_signal_event;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigaction(SIGINT, &sa, NULL);
    int stop = 0;
    while (!stop) {
        at_prompt = 1;
        char *line = readline(ps_shell_prompt(sh));
        at_prompt = 0;
        if (!line) {
            stop = ps_shell_exec(sh, "EOF");
            break;
        }
        if (*line) {
            HIST_ENTRY *last = history_length ? history_get(history_base + history_length - 1) : NULL;
            if (!last || strcmp(last->line, line) != 0)
                add_history(line);
        }
        stop = ps_shell_exec(sh, line);
        free(line);
        fflush(stdout);
    }
    if (hist) {
        write_history(hist);
        free(hist);
    }
    clear_matches();
    free(g_matches);
    return 0;
}

static int run_pipe(shell *sh)
{
    char *line = NULL;
    size_t cap = 0;
    for (;;) {
        fputs(ps_shell_prompt(sh), stdout);
        fflush(stdout);
        ssize_t n = getline(&line, &cap, stdin);
        int stop;
        if (n < 0) {
            stop = ps_shell_exec(sh, "EOF");
        } else {
            if (n > 0 && line[n - 1] == '\n')
                line[n - 1] = '\0';
            stop = ps_shell_exec(sh, line);
        }
        if (stop || n < 0)
            break;
    }
    free(line);
    return 0;
}

static const struct option LONG[] = {
    {"command", required_argument, NULL, 'c'},
    CLI_LOAD_OPTIONS,
    CLI_STD_OPTIONS,
};

int main(int argc, char **argv)
{
    const char **cmds = calloc((size_t)argc + 1, sizeof *cmds);
    const char **files = calloc((size_t)argc + 1, sizeof *files);
    size_t ncmds = 0, nfiles = 0;
    if (!cmds || !files) {
        fputs("pstatsh: out of memory\n", stderr);
        return 2;
    }
    cli_parser p;
    cli_begin(&p, "pstatsh", USAGE, argc, argv, "c:f:h", LONG);
    for (int c; (c = cli_next(&p)) != -1;)
        if (c == 'c')
            cmds[ncmds++] = optarg;
    if (p.status >= 0) {
        free(cmds);
        free(files);
        return p.status;
    }
    while (optind < argc)
        files[nfiles++] = argv[optind++];
    shell *sh = ps_shell_new(stdout, stderr, "pstatsh");
    if (!sh) {
        fputs("pstatsh: out of memory\n", stderr);
        return 2;
    }
    g_shell = sh;
    int interactive = !ncmds && isatty(0) && isatty(1);
    /* Interrupted while `dump` or `export` writes: the temporary goes away. */
    cleanup_install(interactive ? CLEANUP_ALL & ~CLEANUP_SIGINT : CLEANUP_ALL);
    int rc = 0;
    if (ncmds) {
        /* One-shot: no banner, prompts or farewell.  A file that cannot be
         * used is one line on stderr, "pstatsh: FILE: byte N: what", and
         * exit status 1, as in the other programs. */
        for (size_t i = 0; i < nfiles; i++) {
            ps_error e;
            if (ps_shell_load(sh, files[i], i > 0, &e) < 0) {
                char line[1024];
                fprintf(stderr, "pstatsh: %s\n", ps_error_line(&e, files[i], line, sizeof line));
                ps_shell_free(sh);
                free(cmds);
                free(files);
                return 1;
            }
        }
        for (size_t i = 0; i < ncmds && !ps_shell_exec(sh, cmds[i]); i++)
            ;
        if (ps_shell_errors(sh))
            rc = 1;
    } else {
        if (nfiles)
            ps_shell_read(sh, files[0]);
        for (size_t i = 1; i < nfiles; i++)
            ps_shell_add(sh, files[i]);
        fputs("Welcome to the profile statistics browser.\n", stdout);
        if (interactive)
            run_terminal(sh);
        else
            run_pipe(sh);
        fputs("Goodbye.\n", stdout);
    }
    if (fflush(stdout) != 0 && errno != EPIPE)
        rc = 1;
    ps_shell_free(sh);
    free(cmds);
    free(files);
    return rc;
}
