/* load.c - one input of any format into a stats database: a sampled
 * profile's text (import.c) when it is one, else a marshal dump (stats.c).
 * Apart from stats.c so that the dump loader does not depend on the
 * importers, which build their stats through it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/pycompat.h"
#include "data/import.h"
#include "data/stats_internal.h"
#include "pstats/sampled.h"
#include "pstats/stats.h"

/* A sampled profile's text when it is one (import.c), else a dump. */
static int load_any(ps_stats *s, const marshal_input *in, const char *label,
                    const ps_load_options *o, ps_error *e)
{
    ps_stats *fresh = ps_stats_new();
    if (!fresh)
        return nomem(e);
    char filesline[4096];
    ps_stats_format_files_line(filesline, sizeof filesline, in, label);
    int t = ps_import_try(fresh, in->data, in->len, in->mapped && in->fd > 0 ? in->fd : -1, o,
                          filesline, e);
    if (t == 0) {
        ps_stats_swap_in(s, fresh);
        return 0;
    }
    ps_stats_free(fresh);
    if (t < 0)
        return -1;
    int rc = ps_stats_load_swap(s, in, label, e);
    /* Not even the start of a dump, and found by content: say what was tried
     * (with -f pstats only a dump was, and the loader's error says why not). */
    if (rc < 0 && (!o || o->format == PS_FMT_AUTO) &&
        (e->code == PS_EFORMAT || e->code == PS_EDATA) && in->len &&
        in->data[0] != '{' && in->data[0] != ('{' | 0x80))
        snprintf(e->msg, sizeof e->msg, "%s", PS_TRIED), e->offset = -1;
    return rc;
}

int ps_stats_load_file(ps_stats *s, const char *path, ps_error *e)
{
    return ps_stats_load_file_with(s, path, ps_load_options_default(), e);
}

int ps_stats_load_file_with(ps_stats *s, const char *path, const ps_load_options *o, ps_error *e)
{
    marshal_input in;
    ps_error_clear(e);
    if (ps_marshal_input_open(&in, path, e) < 0) {
        if (e->code == PS_EIO) {
            /* What Python's open() would have raised. */
            const char *cls = e->sys_errno == ENOENT ? "FileNotFoundError"
                            : e->sys_errno == EISDIR ? "IsADirectoryError"
                            : e->sys_errno == EACCES ? "PermissionError" : "OSError";
            char repr[4200];
            ps_py_str_repr(repr, sizeof repr, path, strlen(path));
            ps_error_py(e, cls, "[Errno %d] %s: %s", e->sys_errno, strerror(e->sys_errno), repr);
        }
        return -1;
    }
    int rc = load_any(s, &in, path, o, e);
    ps_marshal_input_close(&in);
    return rc;
}

