/* options.h - every program's command line: getopt_long over the program's
 * own option table, plus what all programs share (the input options, -h,
 * --version) and the same errors.  Include once per program, after common.h.
 *
 * A program lists its options as a getopt_long table that ends with
 * CLI_LOAD_OPTIONS (if it reads profiles) and CLI_STD_OPTIONS, then loops:
 *
 *     cli_parser p;
 *     cli_begin(&p, "prog", USAGE, argc, argv, "o:qh", LONG);
 *     for (int c; (c = cli_next(&p)) != -1;)
 *         switch (c) { case 'o': output = optarg; break; ... }
 *     if (p.status >= 0) return p.status;      // --help, --version, an error
 *     // the operands: argv[optind .. argc-1]
 *
 * cli_next handles the shared options itself and returns only the program's
 * own.  Long options may be abbreviated to a unique prefix and take their
 * value as --opt=V or --opt V; short ones as -oV or -o V; options and
 * operands mix (GNU getopt permutes them) until `--`.  Every usage error is
 * one line, "PROG: what", then the usage, on stderr, and exit status 2.
 *
 * prof2dot alone keeps gprof2dot's own option rules (ps_pg_options_parse,
 * which pstatsh's `export dot` shares); it takes the input options first with
 * cli_load_options. */
#ifndef PSTATS_CLI_OPTIONS_H
#define PSTATS_CLI_OPTIONS_H

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pstats/sampled.h"
#include "pstats/version.h"

/* The ids of the shared long options; a program numbers its own long-only
 * options from CLI_OWN. */
enum { CLI_FORMAT = 0x100, CLI_INTERVAL, CLI_LINES, CLI_THREADS, CLI_VERSION, CLI_OWN };

/* The input options (any program that reads profiles): the usage text and the
 * table rows.  -f is --format's short name unless the program gives -f
 * another meaning (cli_parser.format_short). */
#define CLI_LOAD_USAGE \
    "  -f, --format FORMAT     input format: auto (default: by content), pstats,\n" \
    "                          folded, austin, plop, speedscope, pyinstrument\n" \
    CLI_SAMPLE_USAGE
#define CLI_SAMPLE_USAGE \
    "  --interval SECONDS      seconds a sample stands for where the input has no\n" \
    "                          time (folded, plop; default 0.01)\n" \
    "  --lines                 sampled inputs: one row per line, not per function\n" \
    "  --threads               sampled inputs: a root frame per thread\n"

#define CLI_LOAD_OPTIONS                                        \
    {"format", required_argument, NULL, CLI_FORMAT},            \
    CLI_SAMPLE_OPTIONS
#define CLI_SAMPLE_OPTIONS                                      \
    {"interval", required_argument, NULL, CLI_INTERVAL},        \
    {"lines", no_argument, NULL, CLI_LINES},                    \
    {"threads", no_argument, NULL, CLI_THREADS}

#define CLI_STD_OPTIONS                                         \
    {"help", no_argument, NULL, 'h'},                           \
    {"version", no_argument, NULL, CLI_VERSION},                \
    {NULL, 0, NULL, 0}

typedef struct cli_parser {
    const char *prog, *usage;
    int argc;
    char **argv;
    const char *shortopts;         /* getopt's (its ':' for missing values is added) */
    const struct option *longopts;
    int format_short;              /* the short name of --format ('f'), or 0 */
    ps_load_options load;          /* what the input options said */
    int status;                    /* -1: go on; else the exit status */
    int longindex;                 /* the long option cli_next returned, or -1 */
} cli_parser;

/* --version: the same line from every program. */
static inline void cli_version(const char *prog)
{
    printf("%s (pstats toolkit) %s\n", prog, PSTATS_VERSION);
}

/* A usage error: one line and the usage on stderr; the exit status (2). */
static inline int cli_usage_error(cli_parser *p, const char *fmt, const char *arg)
{
    fprintf(stderr, "%s: ", p->prog);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n%s", p->usage);
    return p->status = 2;
}

static inline void cli_begin(cli_parser *p, const char *prog, const char *usage, int argc,
                             char **argv, const char *shortopts, const struct option *longopts)
{
    p->prog = prog;
    p->usage = usage;
    p->argc = argc;
    p->argv = argv;
    p->shortopts = shortopts;
    p->longopts = longopts;
    p->format_short = 'f';
    p->status = -1;
    ps_load_options_init(&p->load);
    optind = 0;   /* GNU: start over (and re-read the environment) */
    opterr = 0;   /* our messages, not getopt's */
}

/* One input option's value into p->load: 0, or the exit status after an error. */
static inline int cli_load_option(cli_parser *p, int id, const char *v)
{
    switch (id) {
    case CLI_FORMAT: {
        int f = ps_format_from_name(v);
        if (f < 0)
            return cli_usage_error(p, "unknown input format '%s' (auto, pstats, folded, austin, "
                                      "plop, speedscope, pyinstrument)", v);
        p->load.format = f;
        return 0;
    }
    case CLI_INTERVAL: {
        char *end;
        double d = strtod(v, &end);
        if (end == v || *end || !(d > 0) || d > 1e9)
            return cli_usage_error(p, "--interval needs a number of seconds > 0, not '%s'", v);
        p->load.sample.interval = d;
        return 0;
    }
    case CLI_LINES:
        p->load.sample.lines = 1;
        return 0;
    case CLI_THREADS:
        p->load.sample.threads = 1;
        return 0;
    }
    return 0;
}

/* The option an error is about, as the user wrote it.  glibc's getopt_long
 * leaves the element it rejected at argv[optind - 1] when that was a long
 * option, and the letter in optopt when it was a short one (where the
 * element may be a cluster, "-qx"); a long option's optopt is its id. */
static inline const char *cli_option_text(cli_parser *p, char *buf, size_t size, int *is_long)
{
    const char *last = optind > 0 ? p->argv[optind - 1] : "";
    int was_long = !strncmp(last, "--", 2) && last[2];
    if (was_long && optopt) {   /* only if that long option has optopt's id */
        was_long = 0;
        for (const struct option *o = p->longopts; o->name; o++)
            if (o->val == optopt && !strncmp(last + 2, o->name, strcspn(last + 2, "=")))
                was_long = 1;
    }
    *is_long = was_long || !optopt || optopt >= 0x100;
    if (*is_long)
        snprintf(buf, size, "%.*s", (int)strcspn(last, "="), last);
    else
        snprintf(buf, size, "-%c", optopt);
    return buf;
}

/* How many different long options begin with prefix (getopt_long rejects an
 * abbreviation that fits two, with the same '?' as an unknown option). */
static inline int cli_prefix_count(const cli_parser *p, const char *prefix)
{
    int n = 0;
    size_t len = strlen(prefix);
    for (const struct option *o = p->longopts; o->name; o++) {
        int same_as_earlier = 0;   /* aliases (--output, --outfile) of one id count once */
        for (const struct option *q = p->longopts; q < o; q++)
            same_as_earlier |= q->val == o->val && !strncmp(q->name, prefix, len);
        n += !strncmp(o->name, prefix, len) && !same_as_earlier;
    }
    return n;
}

/* The next of the program's own options, or -1 when there are no more (or
 * when p->status says to exit: after --help, --version or a usage error).
 * A usage error the program reports with cli_usage_error ends the loop too.
 * The input options become the process's load defaults at the end, so every
 * ps_stats_load_file (pstatsh's `add` too) follows them. */
static inline int cli_next(cli_parser *p)
{
    char spec[128], buf[256];
    int is_long;
    if (p->status >= 0)   /* the program's last option was a usage error */
        return -1;
    const char *so = p->shortopts;   /* a leading '-' or '+' (getopt's modes) stays first */
    if (*so == '-' || *so == '+')
        snprintf(spec, sizeof spec, "%c:%s", *so, so + 1);
    else
        snprintf(spec, sizeof spec, ":%s", so);
    for (;;) {
        optopt = 0;
        p->longindex = -1;
        int c = getopt_long(p->argc, p->argv, spec, p->longopts, &p->longindex);
        if (c == p->format_short && c)
            c = CLI_FORMAT;
        switch (c) {
        case -1:
            ps_load_options_set_default(&p->load);
            return -1;
        case CLI_FORMAT:
        case CLI_INTERVAL:
        case CLI_LINES:
        case CLI_THREADS:
            if (cli_load_option(p, c, optarg))
                return -1;
            break;
        case 'h':
            fputs(p->usage, stdout);
            p->status = 0;
            return -1;
        case CLI_VERSION:
            cli_version(p->prog);
            p->status = 0;
            return -1;
        case ':':
            cli_usage_error(p, "%s needs a value", cli_option_text(p, buf, sizeof buf, &is_long));
            return -1;
        case '?': {   /* an unknown option, or a value given to one that takes none */
            const char *text = cli_option_text(p, buf, sizeof buf, &is_long);
            if (is_long && !optopt && cli_prefix_count(p, text + 2) > 1)
                cli_usage_error(p, "ambiguous option %s (it begins more than one long option)", text);
            else
                cli_usage_error(p, is_long && optopt ? "%s takes no value" : "unknown option %s",
                                text);
            return -1;
        }
        default:
            return c;
        }
    }
}

/* For prof2dot, whose own options follow gprof2dot's rules: take the input
 * options (up to "--") out of argv first.  0, or the exit status (2) after
 * one line on stderr. */
static inline int cli_load_options(const char *prog, const char *usage, int *argc, char **argv)
{
    static const struct option LOAD[] = {CLI_LOAD_OPTIONS, {NULL, 0, NULL, 0}};
    cli_parser p;
    cli_begin(&p, prog, usage, *argc, argv, "", LOAD);
    int out = 1;
    for (int i = 1; i < *argc; i++) {
        char *a = argv[i];
        if (!strcmp(a, "--")) {
            while (i < *argc)
                argv[out++] = argv[i++];
            break;
        }
        const char *v = NULL;
        int id = 0;
        for (const struct option *o = LOAD; o->name && !id; o++) {
            size_t n = strlen(o->name);
            if (a[0] == '-' && a[1] == '-' && !strncmp(a + 2, o->name, n) &&
                (a[2 + n] == '\0' || (a[2 + n] == '=' && o->has_arg)))
                id = o->val, v = a[2 + n] == '=' ? a + 3 + n : NULL;
        }
        if (!id && !strcmp(a, "-f"))
            id = CLI_FORMAT;
        if (!id) {
            argv[out++] = a;
            continue;
        }
        if (!v && (id == CLI_FORMAT || id == CLI_INTERVAL)) {
            if (i + 1 >= *argc)
                return cli_usage_error(&p, "%s needs a value", a);
            v = argv[++i];
        }
        if (cli_load_option(&p, id, v))
            return p.status;
    }
    argv[out] = NULL;
    *argc = out;
    ps_load_options_set_default(&p.load);
    return 0;
}

#endif
