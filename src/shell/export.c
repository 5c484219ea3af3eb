/* export.c - the browser's `export FORMAT FILE [options]`: dispatches to the
 * exporters (dot, callgrind, folded) with their programs' options. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "pstats/callgrind.h"
#include "pstats/dot.h"
#include "pstats/export.h"
#include "pstats/folded.h"
#include "pstats/html.h"
#include "pstats/pprof.h"
#include "pstats/speedscope.h"

static int io_error(ps_error *e, const char *what, const char *path)
{
    int err = errno;
    e->sys_errno = err;
    return ps_error_set(e, PS_EIO, -1, "cannot %s %s: %s", what, path, strerror(err));
}

/* A writer's ps_*_option_set, over its own options struct. */
typedef int (*option_setter)(void *opts, const char *name, const char *value, ps_error *e);

static int set_callgrind(void *o, const char *name, const char *value, ps_error *e)
{
    return ps_callgrind_option_set(o, name, value, e);
}

static int set_folded(void *o, const char *name, const char *value, ps_error *e)
{
    return ps_folded_option_set(o, name, value, e);
}

/* argv[*i] as the programs take a long option, "--name=value" or "--name
 * [value]", through set (which checks it): 1 when it was one (*i moved past
 * a separate value), 0 when not, -1 on a bad or missing value (e says why).
 * "--flag=value" is not an option, as no program takes it either. */
static int export_option(void *opts, option_setter set, int argc, char **argv, int *i,
                         ps_error *e)
{
    const char *a = argv[*i], *eq;
    char name[64];
    if (strncmp(a, "--", 2) != 0)
        return 0;
    size_t n = (eq = strchr(a + 2, '=')) ? (size_t)(eq - (a + 2)) : strlen(a + 2);
    if (n == 0 || n >= sizeof name)
        return 0;
    memcpy(name, a + 2, n);
    name[n] = '\0';
    int r = set(opts, name, eq ? eq + 1 : *i + 1 < argc ? argv[*i + 1] : NULL, e);
    if (r == 2 && !eq)
        ++*i;
    return r < 0 ? -1 : r == 2 || (r == 1 && !eq);
}

/* export callgrind FILE [--recursion=keep|drop] */
static int export_callgrind(ps_stats *s, int argc, char **argv, ps_error *e)
{
    callgrind_options o;
    ps_callgrind_options_init(&o);
    for (int i = 2; i < argc; i++) {
        int r = export_option(&o, set_callgrind, argc, argv, &i, e);
        if (r < 0)
            return -1;
        if (r == 0)
            return ps_error_set(e, PS_EUSAGE, -1,
                                "export callgrind: unknown option '%s' (--recursion=keep|drop)",
                                argv[i]);
    }
    return ps_callgrind_export(s, argv[1], &o, e);
}

/* export folded FILE [prof2folded's options] */
static int export_folded(ps_stats *s, int argc, char **argv, ps_error *e)
{
    folded_options o;
    ps_folded_options_init(&o);
    for (int i = 2; i < argc; i++) {
        int r = export_option(&o, set_folded, argc, argv, &i, e);
        if (r < 0)
            return -1;
        if (r == 0)
            return ps_error_set(e, PS_EUSAGE, -1,
                                "export folded: unknown option '%s' (--unit, --min-fraction, "
                                "--inverted, --svg, --max-depth, --max-repeat, --width, --title)",
                                argv[i]);
    }
    return ps_folded_export(s, argv[1], &o, e);
}

/* export dot FILE [prof2dot's options]; with --list-functions the list goes
 * to FILE instead of a graph. */
static int export_dot(ps_stats *s, int argc, char **argv, ps_error *e)
{
    pg_options o;
    ps_pg_options_init(&o);
    int rc = ps_pg_options_parse(&o, argc - 2, argv + 2, e);
    if (rc < 0) {
        char msg[sizeof e->msg];
        snprintf(msg, sizeof msg, "%s", e->msg);
        ps_error_set(e, PS_EUSAGE, -1, "export dot: %s", msg);
    } else if (o.ninputs) {
        rc = ps_error_set(e, PS_EUSAGE, -1, "export dot: unexpected argument '%s' (the graph is of the "
                          "current statistics)", o.inputs[0]);
    } else if (o.compare || o.diff_base) {
        rc = ps_error_set(e, PS_EUSAGE, -1, "export dot: %s compares two profiles: use prof2dot",
                          o.compare ? "--compare" : "--diff");
    } else if (o.output || o.help || o.version) {
        rc = ps_error_set(e, PS_EUSAGE, -1, "export dot: %s is not an option here (usage: export dot "
                          "FILE [prof2dot options])", o.output ? "-o" : o.help ? "--help" : "--version");
    } else {
        char *listing = NULL;
        o.output = argv[1];
        rc = ps_dot_run(s, &o, &listing, e);
        if (rc == 0 && listing) {
            export_file f;
            rc = ps_export_file_open(&f, argv[1], e);
            if (rc == 0 && fputs(listing, f.fp) < 0) {
                rc = io_error(e, "write", argv[1]);
                ps_export_file_abort(&f);
            } else if (rc == 0) {
                rc = ps_export_file_commit(&f, e);
            }
        }
        free(listing);
    }
    ps_pg_options_free(&o);
    return rc;
}

/* export speedscope|pprof FILE [prof2folded's estimate options]: the exact
 * stacks of a sampled profile, else the estimate. */
static int export_stacks(ps_stats *s, int argc, char **argv, ps_error *e)
{
    folded_options o;
    ps_folded_options_init(&o);
    for (int i = 2; i < argc; i++) {
        int r = export_option(&o, set_folded, argc, argv, &i, e);
        if (r < 0)
            return -1;
        if (r == 0)
            return ps_error_set(e, PS_EUSAGE, -1, "export %s: unknown option '%s' (--min-fraction, "
                                "--max-depth, --max-repeat)", argv[0], argv[i]);
    }
    return strcmp(argv[0], "pprof") == 0 ? ps_pprof_export(s, argv[1], &o, e)
                                         : ps_speedscope_export(s, argv[1], NULL, &o, e);
}

/* export html FILE [--title TEXT]: prof2html's page of the current stats */
static int export_html(ps_stats *s, int argc, char **argv, ps_error *e)
{
    ps_html_options o;
    ps_html_options_init(&o);
    o.title = argv[1];
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--title") && i + 1 < argc)
            o.title = argv[++i];
        else if (!strncmp(argv[i], "--title=", 8))
            o.title = argv[i] + 8;
        else
            return ps_error_set(e, PS_EUSAGE, -1, "export html: unknown option '%s' (--title TEXT)",
                                argv[i]);
    }
    return ps_html_write(s, argv[1], &o, e);
}

int ps_export_run(ps_stats *s, int argc, char **argv, ps_error *e)
{
    if (argc >= 2 && strcmp(argv[0], "html") == 0)
        return export_html(s, argc, argv, e);
    if (argc >= 2 && (strcmp(argv[0], "speedscope") == 0 || strcmp(argv[0], "pprof") == 0))
        return export_stacks(s, argc, argv, e);
    if (argc >= 2 && strcmp(argv[0], "dot") == 0)
        return export_dot(s, argc, argv, e);
    if (argc >= 2 && strcmp(argv[0], "callgrind") == 0)
        return export_callgrind(s, argc, argv, e);
    if (argc >= 2 && strcmp(argv[0], "folded") == 0)
        return export_folded(s, argc, argv, e);
    (void)s;
    (void)argc;
    return ps_error_set(e, PS_EUSAGE, -1, "export: unknown format '%s' (use dot, callgrind, folded, "
                        "speedscope, pprof or html)",
                        argv[0]);
}
