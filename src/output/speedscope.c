/* speedscope.c - the speedscope JSON writer (speedscope.h).
 *
 * Written through the project's output buffer rather than jansson: jansson
 * builds the whole document as a tree of allocated values first (one object
 * per frame, one integer per stack entry) and then serializes it, which for
 * the stacks of a 200,000-function profile took several times as long and as
 * much memory as streaming the same bytes (see the measurement in
 * tests/export/README).  The file is streamed in one pass:
 *
 *   {"$schema":"https://www.speedscope.app/file-format-schema.json",
 *    "shared":{"frames":[{"name":..,"file":..,"line":..},...]},
 *    "profiles":[{"type":"sampled","name":..,"unit":"seconds",
 *                 "startValue":0,"endValue":TOTAL,
 *                 "samples":[[root,...,leaf],...],"weights":[...]}],
 *    "name":..,"activeProfileIndex":0,"exporter":"pstats toolkit 0.1"}
 *
 * Frames are numbered in the order the stacks first use them, so the frames
 * array holds only the functions that carry time. */
#include <stdlib.h>
#include <string.h>
#include "pstats/export.h"
#include "pstats/speedscope.h"
#include "base/jsonout.h"

#define SCHEMA_URL "https://www.speedscope.app/file-format-schema.json"

/* The profile's name from the files lines ("ctime    path": the path), the
 * paths joined with " + ". */
static void default_name(const ps_stats *s, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = 0;
    for (size_t i = 0; i < s->nfiles && used + 8 < size; i++) {
        const char *line = s->files[i];
        /* ps_py_ctime's text is 24 characters, then four spaces */
        if (strlen(line) > 28 && memcmp(line + 24, "    ", 4) == 0)
            line += 28;
        int n = snprintf(buf + used, size - used, "%s%s", i ? " + " : "", line);
        if (n < 0 || (size_t)n >= size - used)
            break;
        used += (size_t)n;
    }
    if (!buf[0])
        snprintf(buf, size, "profile");
}

/* A builtin ('~' or '' as file, line 0) has no source position. */
static int has_position(const ps_func *f)
{
    return !(f->line == 0 && (f->file->len == 0 || (f->file->len == 1 && f->file->s[0] == '~')));
}

int ps_speedscope_write(const ps_stats *s, const ps_stacks *st, const char *name, FILE *fp,
                        const char *what, ps_error *e)
{
    uint32_t *index, *order, nframes;
    if (ps_stacks_number(st, s->nfuncs, &index, &order, &nframes, e) < 0)
        return -1;
    outbuf *b = malloc(sizeof *b);
    if (!b) {
        free(index);
        free(order);
        return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
    }
    char autoname[1024];
    if (!name) {
        default_name(s, autoname, sizeof autoname);
        name = autoname;
    }
    char title[1200];
    snprintf(title, sizeof title, "%s%s", name, st->estimated ? " (estimated stacks)" : "");

    ob_init(b, fp);
    ob_lit(b, "{\"$schema\":\"" SCHEMA_URL "\",\n\"shared\":{\"frames\":[");
    for (uint32_t i = 0; i < nframes; i++) {
        const ps_func *f = &s->funcs[order[i]];
        if (i)
            ob_char(b, ',');
        ob_lit(b, "\n{\"name\":");
        ob_json_str(b, f->name->s, f->name->len);
        if (has_position(f)) {
            ob_lit(b, ",\"file\":");
            ob_json_str(b, f->file->s, f->file->len);
            ob_lit(b, ",\"line\":");
            ob_int(b, f->line);
        }
        ob_char(b, '}');
    }
    ob_lit(b, "]},\n\"profiles\":[{\"type\":\"sampled\",\"name\":");
    ob_json_str(b, title, strlen(title));
    ob_lit(b, ",\"unit\":\"seconds\",\"startValue\":0,\"endValue\":");
    ob_json_num(b, ps_stacks_total(st));
    ob_lit(b, ",\n\"samples\":[");
    for (size_t i = 0; i < st->nstacks; i++) {
        const ps_stack *k = &st->stacks[i];
        if (i)
            ob_char(b, ',');
        ob_lit(b, "\n[");
        for (uint32_t d = 0; d < k->depth; d++) {
            if (d)
                ob_char(b, ',');
            ob_int(b, index[st->frames[k->first + d]]);
        }
        ob_char(b, ']');
    }
    ob_lit(b, "],\n\"weights\":[");
    for (size_t i = 0; i < st->nstacks; i++) {
        if (i)
            ob_char(b, ',');
        ob_json_num(b, st->stacks[i].weight);
    }
    ob_lit(b, "]}],\n\"name\":");
    ob_json_str(b, title, strlen(title));
    ob_lit(b, ",\"activeProfileIndex\":0,\"exporter\":\"pstats toolkit 0.1\"}\n");
    int rc = ob_finish(b, what, e);
    free(index);
    free(order);
    free(b);
    return rc;
}

static int write_named(const ps_stats *s, const ps_stacks *st, FILE *fp, const char *what,
                       void *name, ps_error *e)
{
    return ps_speedscope_write(s, st, name, fp, what, e);
}

int ps_speedscope_export(const ps_stats *s, const char *path, const char *name,
                         const folded_options *o, ps_error *e)
{
    return ps_stacks_export(s, o, path, write_named, (void *)name, e);
}
