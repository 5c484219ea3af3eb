/* shell.c - the pstats browser's commands (pstats.Stats' browser in CPython's Lib/pstats.py),
 * with cmd.Cmd's line handling: strip, '?', '!', empty-line repeat, > FILE; the
 * command table.  pprof's commands (top, peek, tree, the filters, granularity,
 * web) and the view they read are in shell_pprof.c. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "pstats/diff.h"
#include "pstats/export.h"
#include "pstats/report.h"
#include "pstats/select.h"
#include "pstats/shell.h"
#include "pstats/sort.h"
#include "shell/shell_int.h"


static const char ARGS_HELP[] =
    "Arguments may be:\n"
    "* An integer maximum number of entries to print.\n"
    "* A decimal fractional number between 0 and 1, controlling\n"
    "  what fraction of selected entries to print.\n"
    "* A regular expression; only entries with function names\n"
    "  that match it are printed.\n";

shell *ps_shell_new(FILE *out, FILE *err, const char *progname)
{
    shell *sh = calloc(1, sizeof *sh);
    if (!sh)
        return NULL;
    sh->out = out;
    sh->err = err;
    sh->progname = progname;
    sh->prompt = strdup("% ");
    sh->lastcmd = strdup("");
    if (!sh->prompt || !sh->lastcmd) {
        ps_shell_free(sh);
        return NULL;
    }
    return sh;
}

void ps_shell_free(shell *sh)
{
    if (!sh)
        return;
    ps_stats_free(sh->stats);
    free(sh->prompt);
    free(sh->lastcmd);
    for (int i = 0; i < NFILTERS; i++)
        free(sh->filter[i]);
    free(sh->sort_args);
    free(sh);
}

const char *ps_shell_prompt(const shell *sh) { return sh->prompt; }
ps_stats *ps_shell_stats(shell *sh) { return sh->stats; }
int ps_shell_errors(const shell *sh) { return sh->errors; }

static char *strip(char *s)
{
    while (ps_sh_is_py_space((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && ps_sh_is_py_space((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}


/* ---- commands ------------------------------------------------------------ */

/* CPython's init() prints this line before re-raising what went wrong. */
static void print_invalid_timing_data(shell *sh, const char *path, const ps_error *e)
{
    if (e->code != PS_EDATA)
        return;
    char line[4200];
    ps_stats_files_line(path, line, sizeof line);
    fprintf(sh->out, "Invalid timing data %s\n", line);
}

static void do_read(shell *sh, const char *arg)
{
    if (!*arg) {
        size_t n = strlen(sh->prompt);
        if (n > 2) {
            char *again = strndup(sh->prompt, n - 2);
            if (again) {
                do_read(sh, again);
                free(again);
            }
        } else {
            fputs("No statistics object is current -- cannot reload.\n", sh->out);
        }
        return;
    }
    ps_stats *s = ps_stats_new();
    ps_error e;
    if (!s || ps_stats_load_file(s, arg, &e) < 0) {
        if (!s) {
            ps_error_clear(&e);
            ps_error_set(&e, PS_ENOMEM, -1, "out of memory");
        }
        if (e.code == PS_EIO) {
            fprintf(sh->out, "%s\n", strerror(e.sys_errno));
        } else if (e.pyexc[0]) {
            print_invalid_timing_data(sh, arg, &e);
            fprintf(sh->out, "%s: %s\n", e.pyexc, e.pymsg);
        } else {
            ps_sh_report_error(sh, arg, &e);
        }
        ps_stats_free(s);
        return;
    }
    ps_stats_free(sh->stats);
    sh->stats = s;
    char *p = malloc(strlen(arg) + 3);
    if (p) {
        sprintf(p, "%s%% ", arg);
        free(sh->prompt);
        sh->prompt = p;
    }
}

static void do_add(shell *sh, const char *arg)
{
    if (!sh->stats) {
        fputs(ps_sh_no_stats, sh->out);
        return;
    }
    ps_stats *other = ps_stats_new();
    ps_error e;
    if (!other || ps_stats_load_file(other, arg, &e) < 0) {
        if (!other) {
            ps_error_clear(&e);
            ps_error_set(&e, PS_ENOMEM, -1, "out of memory");
        }
        if (e.code == PS_EIO) {
            fprintf(sh->out, "Failed to load statistics for %s: %s\n", arg, e.pymsg);
        } else {
            /* CPython's add() lets this escape and the browser dies; we say it and go on. */
            print_invalid_timing_data(sh, arg, &e);
            ps_sh_report_error(sh, arg, &e);
        }
        ps_stats_free(other);
        return;
    }
    if (ps_stats_add(sh->stats, other, &e) < 0)
        ps_sh_report_error(sh, arg, &e);
    ps_stats_free(other);
}

typedef int (*report_fn)(ps_stats *, FILE *, const sel_restriction *, size_t, ps_error *);

static void generic(shell *sh, report_fn fn, char *arg)
{
    char *words[256];
    size_t n = ps_sh_split_words(arg, words, 256);
    sel_restriction r[256];
    size_t nr = 0;
    for (size_t i = 0; i < n; i++) {
        if (ps_sel_parse_term(words[i], &r[nr]) == 1) {
            fputs("Fraction argument must be in [0, 1]\n", sh->out);
            continue;
        }
        nr++;
    }
    if (!sh->stats) {
        fputs(ps_sh_no_stats, sh->out);
        return;
    }
    ps_error e;
    ps_error_clear(&e);
    ps_stats *v = ps_sh_view_get(sh, NULL, NULL, &e);
    if (!v) {
        ps_sh_report_error(sh, NULL, &e);
        return;
    }
    ps_sh_active_filters(sh, NULL, NULL, NULL);
    if (fn(v, sh->out, r, nr, &e) < 0)
        ps_sh_report_error(sh, NULL, &e);
    ps_sh_view_put(sh, v);
}

static void do_sort(shell *sh, char *arg)
{
    if (!sh->stats) {
        fputs(ps_sh_no_stats, sh->out);
        return;
    }
    char *args = strdup(arg);
    char *words[64];
    size_t n = ps_sh_split_words(arg, words, 64);
    int valid = n > 0;
    for (size_t i = 0; i < n && valid; i++)
        valid = ps_sort_key_lookup(words[i]) != NULL;
    if (valid) {
        ps_error e;
        if (ps_sort_stats(sh->stats, (const char *const *)words, n, &e) < 0) {
            ps_sh_report_error(sh, NULL, &e);
            free(args);
        } else {
            free(sh->sort_args);
            sh->sort_args = args;
            sh->reversed = 0;
        }
        return;
    }
    free(args);
    fputs("Valid sort keys (unique prefixes are accepted):\n", sh->out);
    size_t nk;
    const sort_key_info *keys = ps_sort_keys(&nk);
    for (size_t i = 0; i < nk; i++)
        fprintf(sh->out, "%s -- %s\n", keys[i].key, keys[i].description);
}

static void do_dump(shell *sh, char *arg)
{
    if (!sh->stats) {
        fputs(ps_sh_no_stats, sh->out);
        return;
    }
    if (!*arg) {
        fprintf(sh->err, "%s: dump: usage: dump FILE\n", sh->progname);
        sh->errors++;
        return;
    }
    ps_error e;
    ps_error_clear(&e);
    ps_stats *v = ps_sh_view_get(sh, NULL, NULL, &e);
    if (!v || ps_export_dump(v, arg, 4, 0, &e) < 0)
        ps_sh_report_error(sh, v ? arg : NULL, &e);
    if (v)
        ps_sh_view_put(sh, v);
}

static void do_export(shell *sh, char *arg)
{
    if (!sh->stats) {
        fputs(ps_sh_no_stats, sh->out);
        return;
    }
    char *words[128];
    size_t n = ps_sh_split_words(arg, words, 127);
    words[n] = NULL;
    if (n < 2) {
        fprintf(sh->err, "%s: export: usage: export dot|callgrind|folded|speedscope|pprof|html "
                "FILE [options]\n",
                sh->progname);
        sh->errors++;
        return;
    }
    ps_error e;
    ps_error_clear(&e);
    ps_stats *v = ps_sh_view_get(sh, NULL, NULL, &e);
    if (!v || ps_export_run(v, (int)n, words, &e) < 0)
        ps_sh_report_error(sh, NULL, &e);
    if (v)
        ps_sh_view_put(sh, v);
}

/* ---- the command table ----------------------------------------------------------
 * One row per command: what runs it, its `help` text, whether `help` lists it
 * (CPython's commands; ours are left out so that listing stays CPython's),
 * and what its argument completes to.  In name order: `help` lists them so. */

enum { CMD_LISTED = 1, CMD_ARGS_HELP = 2 };   /* ARGS_HELP follows the help text */

typedef struct command {
    const char *name;
    int (*run)(shell *sh, char *arg);          /* 1 ends the session */
    const char *help;
    unsigned flags;
    int complete;                              /* SHELL_COMPLETE_* */
} command;

static int cmd_eof(shell *sh, char *arg)
{
    (void)arg;
    fputs("\n", sh->out);
    return 1;
}

static int cmd_quit(shell *sh, char *arg)
{
    (void)sh, (void)arg;
    return 1;
}

/* profdiff's table, the loaded statistics against FILE (pstats/diff.h). */
static int cmd_diff(shell *sh, char *arg)
{
    char file[1024];
    ps_error e;
    if (!sh->stats)
        fputs(ps_sh_no_stats, sh->out);
    else if (ps_diff_command(sh->stats, arg, sh->out, file, sizeof file, &e) < 0)
        ps_sh_report_error(sh, file[0] ? file : NULL, &e);
    return 0;
}

static int cmd_help(shell *sh, char *arg);

static int cmd_read(shell *sh, char *arg)
{
    do_read(sh, arg);
    return 0;
}

static int cmd_add(shell *sh, char *arg)
{
    do_add(sh, arg);
    return 0;
}

static int cmd_stats(shell *sh, char *arg)
{
    generic(sh, ps_report_print_stats, arg);
    return 0;
}

static int cmd_callers(shell *sh, char *arg)
{
    generic(sh, ps_report_print_callers, arg);
    return 0;
}

static int cmd_callees(shell *sh, char *arg)
{
    generic(sh, ps_report_print_callees, arg);
    return 0;
}

static int cmd_sort(shell *sh, char *arg)
{
    do_sort(sh, arg);
    return 0;
}

static int cmd_reverse(shell *sh, char *arg)
{
    (void)arg;
    if (sh->stats && sh->stats->fcn_state)
        sh->reversed = !sh->reversed;
    if (sh->stats)
        ps_sort_reverse(sh->stats);
    else
        fputs(ps_sh_no_stats, sh->out);
    return 0;
}

static int cmd_strip(shell *sh, char *arg)
{
    (void)arg;
    if (sh->stats) {
        ps_error e;
        if (ps_stats_strip_dirs(sh->stats, &e) < 0)
            ps_sh_report_error(sh, NULL, &e);
    } else {
        fputs(ps_sh_no_stats, sh->out);
    }
    return 0;
}

static int cmd_dump(shell *sh, char *arg)
{
    do_dump(sh, arg);
    return 0;
}

static int cmd_export(shell *sh, char *arg)
{
    do_export(sh, arg);
    return 0;
}

static const command COMMANDS[] = {
    {"EOF", cmd_eof, "Leave the profile browser.\n", CMD_LISTED, SHELL_COMPLETE_NONE},
    {"add", cmd_add, "Add profile info from given file to current statistics object.\n",
     CMD_LISTED, SHELL_COMPLETE_FILE},
    {"callees", cmd_callees, "Print callees statistics from the current stat object.\n",
     CMD_LISTED | CMD_ARGS_HELP, SHELL_COMPLETE_FUNCTION},
    {"callers", cmd_callers, "Print callers statistics from the current stat object.\n",
     CMD_LISTED | CMD_ARGS_HELP, SHELL_COMPLETE_FUNCTION},
    {"diff", cmd_diff, "diff FILE [--strip-dirs] [--match=exact] [--normalize] [--sort=KEY]\n"
                       "[--min-time=S] [restrictions]: profdiff's table of the functions whose\n"
                       "time changed most, the current statistics (new) against FILE (base);\n"
                       "restrictions as stats takes them (pstatsh only).\n",
     0, SHELL_COMPLETE_FILE},
    {"dump", cmd_dump, "Write the current statistics to a file as a profile dump\n"
                       "that Python's pstats reads back (pstatsh only).\n",
     0, SHELL_COMPLETE_FILE},
    {"export", cmd_export, "export dot|callgrind|folded|speedscope|pprof|html FILE [options]:\n"
                           "write the current statistics as a call graph, a callgrind file,\n"
                           "folded stacks, a speedscope file, a pprof profile or prof2html's\n"
                           "page, with the options of prof2dot, prof2callgrind or prof2folded\n"
                           "(pstatsh only).\n",
     0, SHELL_COMPLETE_EXPORT},
    {"focus", ps_sh_cmd_focus, "focus [RE]: from now on, every report shows only the functions on\n"
                         "call paths through a function matching RE, as pprof's focus does\n"
                         "(the same filter as prof2dot --focus); no RE: no focus (pstatsh only).\n",
     0, SHELL_COMPLETE_FUNCTION},
    {"granularity", ps_sh_cmd_granularity,
     "granularity functions|files|lines: what a row of every later report is:\n"
     "a function at a line (lines, pstats' own), a function whatever its line\n"
     "(functions) or a file (files); rows and calls add up as Stats.add adds\n"
     "them (pstatsh only).\n",
     0, SHELL_COMPLETE_GRANULARITY},
    {"help", cmd_help, "Show help for a given command.\n", CMD_LISTED, SHELL_COMPLETE_COMMAND},
    {"hide", ps_sh_cmd_hide, "hide [RE]: from now on, every report leaves out the functions matching\n"
                       "RE, their callers linked to their callees, as pprof's hide does (the\n"
                       "same filter as prof2dot --hide); no RE: nothing hidden (pstatsh only).\n",
     0, SHELL_COMPLETE_FUNCTION},
    {"ignore", ps_sh_cmd_ignore, "ignore [RE]: from now on, every report leaves out the functions\n"
                           "matching RE and what only they reach, as pprof's ignore does (the same\n"
                           "filter as prof2dot --ignore); no RE: nothing ignored (pstatsh only).\n",
     0, SHELL_COMPLETE_FUNCTION},
    {"peek", ps_sh_cmd_peek, "peek RE: pprof's peek report: for every function matching RE, its\n"
                       "callers above it and its callees below, each with the time of the call,\n"
                       "its share of the function's cumulative time and its call count\n"
                       "(pstatsh only).\n",
     0, SHELL_COMPLETE_FUNCTION},
    {"quit", cmd_quit, "Leave the profile browser.\n", CMD_LISTED, SHELL_COMPLETE_NONE},
    {"read", cmd_read, "Read in profile data from a specified file.\n"
                       "Without argument, reload the current file.\n",
     CMD_LISTED, SHELL_COMPLETE_FILE},
    {"reset", ps_sh_cmd_reset, "Drop every filter (focus, ignore, hide, show, show_from) and go back\n"
                         "to the lines granularity (pstatsh only).\n",
     0, SHELL_COMPLETE_NONE},
    {"reverse", cmd_reverse, "Reverse the sort order of the profiling report.\n", CMD_LISTED,
     SHELL_COMPLETE_NONE},
    {"show", ps_sh_cmd_show, "show [RE]: from now on, every report shows only the functions matching\n"
                       "RE, the others' callers linked to their callees, as pprof's show does;\n"
                       "no RE: no show filter (pstatsh only).\n",
     0, SHELL_COMPLETE_FUNCTION},
    {"show_from", ps_sh_cmd_show_from,
     "show_from [RE]: from now on, every report leaves out what lies above the\n"
     "functions matching RE (what no call path from them reaches), as pprof's\n"
     "show_from does; no RE: no show_from filter (pstatsh only).\n",
     0, SHELL_COMPLETE_FUNCTION},
    {"sort", cmd_sort, "Sort profile data according to specified keys.\n"
                       "(Typing `sort' without arguments lists valid keys.)\n",
     CMD_LISTED, SHELL_COMPLETE_SORT_KEY},
    {"stats", cmd_stats, "Print statistics from the current stat object.\n",
     CMD_LISTED | CMD_ARGS_HELP, SHELL_COMPLETE_FUNCTION},
    {"strip", cmd_strip, "Strip leading path information from filenames in the report.\n",
     CMD_LISTED, SHELL_COMPLETE_NONE},
    {"top", ps_sh_cmd_top, "top [N] [-cum] [RE...] [-RE...]: pprof's top report: flat (tottime),\n"
                     "flat%, sum%, cum (cumtime), cum% and the function, N rows (10) by flat,\n"
                     "by cum with -cum; REs focus and -REs ignore for this report only.\n"
                     "Any command's output goes to a file with COMMAND > FILE (pstatsh only).\n",
     0, SHELL_COMPLETE_FUNCTION},
    {"tree", ps_sh_cmd_tree, "tree [N] [-cum] [RE...] [-RE...]: peek's blocks (callers, the function,\n"
                       "callees) for the N (10) heaviest functions of top (pstatsh only).\n",
     0, SHELL_COMPLETE_FUNCTION},
    {"web", ps_sh_cmd_web, "Write prof2html's page of the current view to a temporary file and\n"
                     "open it with $BROWSER or xdg-open (pstatsh only).\n",
     0, SHELL_COMPLETE_NONE},
};
#define NCOMMANDS (sizeof COMMANDS / sizeof COMMANDS[0])

static const command *command_find(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(name, COMMANDS[i].name) == 0)
            return &COMMANDS[i];
    return NULL;
}

static int cmd_help(shell *sh, char *arg)
{
    if (!*arg) {
        fputs("\nDocumented commands (type help <topic>):\n"
              "========================================\n", sh->out);
        int first = 1;
        for (size_t i = 0; i < NCOMMANDS; i++)
            if (COMMANDS[i].flags & CMD_LISTED) {
                fprintf(sh->out, "%s%s", first ? "" : "  ", COMMANDS[i].name);
                first = 0;
            }
        fputs("\n\n", sh->out);
        return 0;
    }
    const command *c = command_find(arg);
    if (!c) {
        fprintf(sh->out, "*** No help on %s\n", arg);
        return 0;
    }
    fputs(c->help, sh->out);
    if (c->flags & CMD_ARGS_HELP)
        fputs(ARGS_HELP, sh->out);
    return 0;
}

const char *const *ps_shell_commands(void)
{
    static const char *names[NCOMMANDS + 1];
    if (!names[0])
        for (size_t i = 0; i < NCOMMANDS; i++)
            names[i] = COMMANDS[i].name;
    return names;
}

int ps_shell_command_completion(const char *name)
{
    const command *c = command_find(name);
    return c ? c->complete : SHELL_COMPLETE_NONE;
}

void ps_shell_read(shell *sh, const char *path) { do_read(sh, path); }
void ps_shell_add(shell *sh, const char *path) { do_add(sh, path); }

int ps_shell_load(shell *sh, const char *path, int add, ps_error *e)
{
    ps_stats *s = ps_stats_new();
    if (!s) {
        ps_error_clear(e);
        return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
    }
    if (ps_stats_load_file(s, path, e) < 0) {
        ps_stats_free(s);
        return -1;
    }
    if (add && sh->stats) {
        int rc = ps_stats_add(sh->stats, s, e);
        ps_stats_free(s);
        return rc;
    }
    char *p = malloc(strlen(path) + 3);
    if (!p) {
        ps_stats_free(s);
        return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
    }
    sprintf(p, "%s%% ", path);
    free(sh->prompt);
    sh->prompt = p;
    ps_stats_free(sh->stats);
    sh->stats = s;
    return 0;
}

static void set_lastcmd(shell *sh, const char *line)
{
    char *c = strdup(line);
    if (c) {
        free(sh->lastcmd);
        sh->lastcmd = c;
    }
}

static int is_ident(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* pprof's `COMMAND > FILE`: the last word starting with '>' (the file may
 * follow it after blanks) is cut off arg; returns the file name, or NULL.
 * A '>' inside a word (`<lambda>`, `main|<module>`) is no redirection, so
 * CPython's restrictions keep working. */
static char *redirection(char *arg)
{
    char *at = NULL;
    for (char *p = arg; *p; p++)
        if (*p == '>' && (p == arg || ps_sh_is_py_space((unsigned char)p[-1])))
            at = p;
    if (!at)
        return NULL;
    *at = '\0';
    strip(arg);
    return strip(at + 1);
}

/* The command's output into FILE through the outfile layer: a temporary
 * renamed into place once the command succeeded, removed if it failed, so
 * FILE is never half-written. */
static int run_redirected(shell *sh, const command *c, char *arg, const char *file)
{
    ps_error e;
    ps_error_clear(&e);
    if (!*file)
        return ps_sh_usage(sh, "> needs a file name (COMMAND > FILE)");
    export_file f;
    if (ps_export_file_open(&f, file, &e) < 0) {
        ps_sh_report_error(sh, NULL, &e);
        return 0;
    }
    FILE *out = sh->out;
    int errors = sh->errors;
    sh->out = f.fp;
    int stop = c->run(sh, arg);
    sh->out = out;
    if (sh->errors != errors)
        ps_export_file_abort(&f);
    else if (ps_export_file_commit(&f, &e) < 0)
        ps_sh_report_error(sh, NULL, &e);
    return stop;
}

/* cmd.Cmd.onecmd: returns 1 to stop. */
static int onecmd(shell *sh, const char *raw)
{
    char *buf = malloc(strlen(raw) + 6);
    if (!buf)
        return 0;
    strcpy(buf, raw);
    char *line = strip(buf);
    if (!*line) {
        free(buf);
        if (*sh->lastcmd) {
            char *again = strdup(sh->lastcmd);
            int rc = again ? onecmd(sh, again) : 0;
            free(again);
            return rc;
        }
        return 0;
    }
    if (line[0] == '?') {
        memmove(line + 5, line + 1, strlen(line + 1) + 1);
        memcpy(line, "help ", 5);
    } else if (line[0] == '!') {
        fprintf(sh->out, "*** Unknown syntax: %s\n", line);
        free(buf);
        return 0;
    }
    size_t i = 0;
    while (is_ident((unsigned char)line[i]))
        i++;
    char cmd[64];
    int cmd_fits = i < sizeof cmd;
    if (cmd_fits) {
        memcpy(cmd, line, i);
        cmd[i] = '\0';
    }
    char *arg = strip(line + i);
    set_lastcmd(sh, strcmp(line, "EOF") == 0 ? "" : line);
    int stop = 0;
    const command *c;
    if (i == 0 || !cmd_fits) {
        fprintf(sh->out, "*** Unknown syntax: %s\n", line);
    } else if ((c = command_find(cmd)) != NULL) {
        char *to = redirection(arg);
        stop = to ? run_redirected(sh, c, arg, to) : c->run(sh, arg);
    } else {
        fprintf(sh->out, "*** Unknown syntax: %s\n", line);
    }
    free(buf);
    return stop;
}

int ps_shell_exec(shell *sh, const char *line)
{
    return onecmd(sh, line);
}
