/* folded.c - the estimated stacks (analysis/estimate.c) written as folded lines
 * "frame;frame;...;leaf count", or as an SVG flame graph (flame.c). */
#include <stdlib.h>
#include "base/outbuf.h"
#include "pstats/export.h"
#include "pstats/folded.h"
#include "pstats/sampled.h"

static int nomem(ps_error *e)
{
    return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
}

int ps_folded_write_text(const folded_stacks *fs, FILE *fp, const char *what, ps_error *e)
{
    outbuf *b = malloc(sizeof *b);
    if (!b)
        return nomem(e);
    ob_init(b, fp);
    for (size_t i = 0; i < fs->nlines; i++) {
        const folded_line *l = &fs->lines[i];
        if (l->count <= 0)
            continue;
        ob_str(b, fs->text + l->text);
        ob_char(b, ' ');
        ob_int(b, l->count);
        ob_char(b, '\n');
    }
    int rc = ob_finish(b, what, e);
    free(b);
    return rc;
}

int ps_folded_export(const ps_stats *s, const char *path, const folded_options *o, ps_error *e)
{
    folded_stacks fs;
    /* a sampled profile's own stacks, not an estimate (sampled_out.c) */
    if (s->stacks && !s->stacks->estimated ? ps_folded_from_stacks(s, s->stacks, o, &fs, e) < 0
                                           : ps_folded_build(s, o, &fs, e) < 0)
        return -1;
    export_file f;
    if (ps_export_file_open(&f, path, e) < 0) {
        ps_folded_free(&fs);
        return -1;
    }
    int rc = (o && o->svg) ? ps_folded_write_svg(&fs, o, f.fp, path, e)
                           : ps_folded_write_text(&fs, f.fp, path, e);
    ps_folded_free(&fs);
    if (rc < 0) {
        ps_export_file_abort(&f);
        return -1;
    }
    return ps_export_file_commit(&f, e);
}

int ps_sampled_export_folded(const ps_stats *s, const char *path, ps_error *e)
{
    if (!s->stacks || s->stacks->estimated)
        return ps_error_set(e, PS_EUSAGE, -1, "the inputs have no exact stacks to write "
                            "(only sampled inputs do: folded, Austin, plop, ...)");
    folded_stacks fs;
    if (ps_folded_from_stacks(s, s->stacks, NULL, &fs, e) < 0)
        return -1;
    export_file f;
    int rc = ps_export_file_open(&f, path, e);
    if (rc == 0) {
        rc = ps_folded_write_text(&fs, f.fp, path, e);
        if (rc < 0)
            ps_export_file_abort(&f);
        else
            rc = ps_export_file_commit(&f, e);
    }
    ps_folded_free(&fs);
    return rc;
}
