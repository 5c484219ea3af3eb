/* diff_shell.c - the browser's `diff FILE [options] [restrictions]`:
 * profdiff's text table for the loaded statistics (NEW) against FILE (BASE).
 *
 * It lives beside the diff rather than in shell.c so the browser's part is one
 * dispatch line: the words are parsed here, as `stats` parses its
 * restrictions (ps_sel_parse_term), with profdiff's --options in front. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "pstats/diff.h"
#include "pstats/select.h"

static int is_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

int ps_diff_command(ps_stats *cur, const char *arg, FILE *out, char *errfile, size_t errsize,
                    ps_error *e)
{
    ps_error_clear(e);
    if (errsize)
        errfile[0] = '\0';
    char *buf = strdup(arg);
    char **words = calloc(strlen(arg) / 2 + 2, sizeof *words);
    sel_restriction *r = calloc(strlen(arg) / 2 + 2, sizeof *r);
    ps_stats *base = NULL;
    int rc = -1;
    size_t n = 0, nr = 0;
    if (!buf || !words || !r) {
        ps_error_set(e, PS_ENOMEM, -1, "out of memory");
        goto done;
    }
    for (char *p = buf;;) {
        while (is_space((unsigned char)*p))
            p++;
        if (!*p)
            break;
        words[n++] = p;
        while (*p && !is_space((unsigned char)*p))
            p++;
        if (*p)
            *p++ = '\0';
    }
    if (!n) {
        ps_error_set(e, PS_EUSAGE, -1, "diff: usage: diff FILE [--strip-dirs] [--match=exact] "
                                       "[--normalize] [--sort=KEY] [restrictions]");
        goto done;
    }
    ps_diff_options o;
    ps_diff_options_init(&o);
    int strip_base = 0;
    size_t i = 1;
    for (; i < n && !strncmp(words[i], "--", 2); i++) {
        const char *w = words[i];
        if (!strcmp(w, "--strip-dirs")) {
            strip_base = 1;
        } else if (!strcmp(w, "--match=exact")) {
            o.match = PS_DIFF_MATCH_EXACT;
        } else if (!strcmp(w, "--match=name")) {
            o.match = PS_DIFF_MATCH_NAME;
        } else if (!strcmp(w, "--normalize")) {
            o.normalize = 1;
        } else if (!strncmp(w, "--sort=", 7) && ps_diff_parse_sort(w + 7) >= 0) {
            o.sort = ps_diff_parse_sort(w + 7);
        } else if (!strncmp(w, "--min-time=", 11)) {
            char *end;
            errno = 0;
            o.min_time = strtod(w + 11, &end);
            if (!w[11] || *end || errno || !(o.min_time >= 0)) {
                ps_error_set(e, PS_EUSAGE, -1, "diff: not a number of seconds: %s", w + 11);
                goto done;
            }
        } else {
            ps_error_set(e, PS_EUSAGE, -1, "diff: unknown option %s", w);
            goto done;
        }
    }
    for (; i < n; i++) {
        if (ps_sel_parse_term(words[i], &r[nr]) == 1) {
            fputs("Fraction argument must be in [0, 1]\n", out);
            continue;
        }
        nr++;
    }
    base = ps_stats_new();
    if (!base) {
        ps_error_set(e, PS_ENOMEM, -1, "out of memory");
        goto done;
    }
    if (ps_stats_load_file(base, words[0], e) < 0) {
        snprintf(errfile, errsize, "%s", words[0]);
        goto done;
    }
    /* The loaded statistics are stripped with `strip`; the option is for FILE. */
    if (strip_base && ps_stats_strip_dirs(base, e) < 0)
        goto done;
    const char *bname = words[0], *nname = "(the loaded statistics)";
    o.base_files = &bname;
    o.nbase_files = 1;
    o.new_files = &nname;
    o.nnew_files = 1;
    ps_diff d;
    if (ps_diff_build(base, cur, &o, &d, e) < 0)
        goto done;
    fflush(out);
    rc = ps_diff_write(&d, PS_DIFF_TEXT, r, nr, out, NULL, e);
    ps_diff_free(&d);
done:
    ps_stats_free(base);
    free(words);
    free(r);
    free(buf);
    return rc;
}
