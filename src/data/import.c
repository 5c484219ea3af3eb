/* import.c - sampled inputs found by content: the load options, the
 * format sniffer, and the line-by-line driver of the text importers.
 *
 * ps_stats_load_file maps the input as it does for dumps (marshal_input: gzip
 * and standard input come for free) and asks ps_import_try first: text that
 * looks like a sampler's goes to its importer, anything else to the marshal
 * loader.  Marshal dumps are binary (NUL and control bytes within the first
 * few bytes), so "text only" is a safe first test.  The driver hands the
 * importer one line at a time and, on a mapped file, gives the pages it has
 * read back to the kernel, so a 100 MB profile costs its distinct stacks in
 * memory, not its size. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "pstats/sampled.h"
#include "import.h"
#include "import_json.h"
#include "sampled_int.h"

static ps_load_options g_default = {PS_FMT_AUTO, {0.01, 0, 0}};

void ps_load_options_init(ps_load_options *o)
{
    o->format = PS_FMT_AUTO;
    ps_sample_options_init(&o->sample);
}

void ps_load_options_set_default(const ps_load_options *o)
{
    if (o)
        g_default = *o;
    else
        ps_load_options_init(&g_default);
}

const ps_load_options *ps_load_options_default(void)
{
    return &g_default;
}

static const char *const NAMES[PS_FMT_COUNT] = {
    "auto", "pstats", "folded", "austin", "plop", "speedscope", "pyinstrument",
};

int ps_format_from_name(const char *name)
{
    for (int i = 0; i < PS_FMT_COUNT; i++)
        if (!strcmp(name, NAMES[i]))
            return i;
    if (!strcmp(name, "collapsed") || !strcmp(name, "raw") || !strcmp(name, "py-spy"))
        return PS_FMT_FOLDED;
    if (!strcmp(name, "pyisession"))
        return PS_FMT_PYINSTRUMENT;
    return -1;
}

const char *ps_format_name(int fmt)
{
    return fmt >= 0 && fmt < PS_FMT_COUNT ? NAMES[fmt] : "?";
}

/* ---- sniffing -------------------------------------------------------------------- */

static int is_text(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] < 0x20 && p[i] != '\n' && p[i] != '\r' && p[i] != '\t')
            return 0;
    return 1;
}

int ps_sniff_format(const unsigned char *buf, size_t len)
{
    size_t n = len < 65536 ? len : 65536;
    if (!n || !is_text(buf, n))
        return PS_FMT_PSTATS;
    size_t i = 0;
    if (n >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3))
        i = 3;
    while (i < n && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n' || buf[i] == '\r'))
        i++;
    if (i < n && buf[i] == '{') {
        size_t j = i + 1;
        while (j < n && (buf[j] == ' ' || buf[j] == '\n' || buf[j] == '\r' || buf[j] == '\t'))
            j++;
        if (j < n && (buf[j] == '(' || buf[j] == '}'))
            return PS_FMT_PLOP;
        if (j < n && buf[j] == '"')
            return memmem(buf, n, "\"frame_records\"", 15) ? PS_FMT_PYINSTRUMENT
                                                            : PS_FMT_SPEEDSCOPE;
        return PS_FMT_AUTO;
    }
    /* the first line that is not empty and not an Austin metadata line */
    while (i < n) {
        const unsigned char *nl = memchr(buf + i, '\n', n - i);
        size_t end = nl ? (size_t)(nl - buf) : n, e = end;
        if (e > i && buf[e - 1] == '\r')
            e--;
        if (e == i) {
            i = end + 1;
            continue;
        }
        if (buf[i] == '#') {
            if (e - i >= 9 && !memcmp(buf + i, "# austin:", 9))
                return PS_FMT_AUSTIN;
            i = end + 1;
            continue;
        }
        const unsigned char *l = buf + i;
        size_t ln = e - i;
        if (ln > 7 && !memcmp(l, "Thread ", 7))
            return PS_FMT_AUSTIN;
        if (l[0] == 'P') {
            size_t k = 1;
            while (k < ln && l[k] >= '0' && l[k] <= '9')
                k++;
            if (k > 1 && k + 1 < ln && l[k] == ';' && l[k + 1] == 'T')
                return PS_FMT_AUSTIN;
        }
        /* folded: "stack COUNT" (the last line of the head may be cut
         * short), or frames joined by ';' whatever follows (a bad count is
         * then the folded reader's to report, with its line) */
        const unsigned char *sp = memrchr(l, ' ', ln);
        if (sp && ps_is_digits((const char *)sp + 1, ln - (size_t)(sp + 1 - l)))
            return PS_FMT_FOLDED;
        if ((!nl && sp) || memchr(l, ';', ln))
            return PS_FMT_FOLDED;
        return PS_FMT_AUTO;
    }
    return PS_FMT_AUTO;
}

/* ---- the line driver --------------------------------------------------------------------- */

static int line_error(ps_error *e, size_t lineno)
{
    char head[32], msg[sizeof e->msg];
    int h = snprintf(head, sizeof head, "line %zu: ", lineno);
    size_t keep = sizeof msg - (size_t)h - 1;
    memcpy(msg, head, (size_t)h);
    size_t n = strnlen(e->msg, keep);
    memcpy(msg + h, e->msg, n);
    msg[h + n] = 0;
    memcpy(e->msg, msg, sizeof msg);
    e->offset = -1;
    return -1;
}

static int run_lines(ps_line_parser *p, const unsigned char *buf, size_t len, int mapped,
                     ps_error *e)
{
    size_t lineno = 0, i = 0, dropped = 0, mapped_to = 0;
    long page = sysconf(_SC_PAGESIZE);
    size_t chunk = (size_t)8 << 20;
    while (i < len) {
#ifdef MADV_POPULATE_READ
        /* the file's pages mapped a chunk at a time, in one call, rather
         * than by a page fault every 16 pages (1,800 on a 100 MB file) */
        if (mapped && page > 0 && i >= mapped_to) {
            size_t from = i & ~((size_t)page - 1), to = from + chunk < len ? from + chunk : len;
            madvise((void *)(buf + from), to - from, MADV_POPULATE_READ);
            mapped_to = to;
        }
#endif
        const unsigned char *nl = memchr(buf + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - buf) : len, ln = end - i;
        if (ln && buf[end - 1] == '\r')
            ln--;
        lineno++;
        /* trailing blanks are no part of any format; a blank line is none */
        while (ln && (buf[i + ln - 1] == ' ' || buf[i + ln - 1] == '\t'))
            ln--;
        if (ln && p->line(p->ctx, (const char *)buf + i, ln, lineno, e) < 0)
            return line_error(e, lineno);
        i = end + 1;
        if (mapped && page > 0 && i - dropped > chunk) {
            size_t upto = i & ~((size_t)page - 1);
            madvise((void *)(buf + dropped), upto - dropped, MADV_DONTNEED);
            dropped = upto;
        }
    }
    if (p->end && p->end(p->ctx, lineno, e) < 0)
        return line_error(e, lineno);
    return 0;
}

int ps_import_input(ps_stats *s, int fmt, const unsigned char *buf, size_t len, int mapped,
                    const ps_sample_options *o, const char *files_line, ps_error *e)
{
    ps_sample_options def;
    if (!o) {
        ps_sample_options_init(&def);
        o = &def;
    }
    if (!(o->interval > 0) || o->interval > 1e9)
        return ps_error_set(e, PS_EUSAGE, -1, "the interval must be a number of seconds > 0");
    ps_sample_builder *b = ps_sample_builder_new(s, o, e);
    if (!b)
        return -1;
    if ((files_line && ps_sample_set_label(b, files_line, e) < 0) ||
        ps_sample_builder_expect(b, len) < 0) {
        ps_sample_builder_free(b);
        return -1;
    }
    int rc;
    if (fmt == PS_FMT_PLOP) {
        rc = ps_plop_import(b, buf, len, o, e);
    } else if (fmt == PS_FMT_SPEEDSCOPE) {
        rc = ps_speedscope_import(b, buf, len, o, e);
    } else if (fmt == PS_FMT_PYINSTRUMENT) {
        rc = ps_pyinstrument_import(b, buf, len, o, e);
    } else if (fmt == PS_FMT_FOLDED || fmt == PS_FMT_AUSTIN) {
        ps_line_parser p;
        rc = fmt == PS_FMT_FOLDED ? ps_folded_parser(&p, b, o, e) : ps_austin_parser(&p, b, o, e);
        if (rc == 0) {
            rc = run_lines(&p, buf, len, mapped, e);
            ps_line_parser_free(&p);
        }
    } else {
        rc = ps_error_set(e, PS_EUSAGE, -1, "%s input is not read by this build",
                          ps_format_name(fmt));
    }
    if (rc < 0) {
        ps_sample_builder_free(b);
        return -1;
    }
    return ps_sample_finish(b, e);
}

int ps_import_text(ps_stats *s, int fmt, const unsigned char *buf, size_t len,
                   const ps_sample_options *o, const char *files_line, ps_error *e)
{
    return ps_import_input(s, fmt, buf, len, 0, o, files_line, e);
}

int ps_import_try(ps_stats *s, const unsigned char *buf, size_t len, int mapped,
                  const ps_load_options *o, const char *files_line, ps_error *e)
{
    int fmt = o ? o->format : PS_FMT_AUTO;
    if (fmt == PS_FMT_PSTATS)
        return 1;
    if (fmt == PS_FMT_AUTO) {
        fmt = ps_sniff_format(buf, len);
        if (fmt == PS_FMT_PSTATS)
            return 1;
        /* Nothing else fits: the dump loader says what is wrong (with
         * CPython's exception, which the browser prints), and load.c adds
         * the formats tried to our own message. */
        if (fmt == PS_FMT_AUTO)
            return 1;
    }
    return ps_import_input(s, fmt, buf, len, mapped, o ? &o->sample : NULL, files_line, e);
}

void ps_line_parser_free(ps_line_parser *p)
{
    if (p->free)
        p->free(p->ctx);
    p->ctx = NULL;
}

