/* import.c - sampled inputs found by content: the load options, the
 * format sniffer, and the line-by-line driver of the text importers.
 *
 * ps_stats_load_file maps the input as it does for dumps (marshal_input: gzip
 * and standard input come for free) and asks ps_import_try first: text that
 * looks like a sampler's goes to its importer, anything else to the marshal
 * loader.  Marshal dumps are binary (NUL and control bytes within the first
 * few bytes), so "text only" is a safe first test.  The driver hands the
 * importer one line at a time, from a file read a chunk at a time into one
 * buffer (or from the mapping, giving back the pages it has read), so a
 * 100 MB profile costs its distinct stacks in memory, not its size. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "base/grow.h"
#include "base/mem.h"
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

/* The lines of buf[*at .. len) that end with a '\n' (with last, the one
 * after them too) to the parser; *at moves past them.  0 or -1. */
static int feed_lines(ps_line_parser *p, const unsigned char *buf, size_t len, size_t *at,
                      int last, size_t *lineno, ps_error *e)
{
    size_t i = *at;
    while (i < len) {
        const unsigned char *nl = memchr(buf + i, '\n', len - i);
        if (!nl && !last)
            break;
        size_t end = nl ? (size_t)(nl - buf) : len, ln = end - i;
        if (ln && buf[end - 1] == '\r')
            ln--;
        ++*lineno;
        /* trailing blanks are no part of any format; a blank line is none */
        while (ln && (buf[i + ln - 1] == ' ' || buf[i + ln - 1] == '\t'))
            ln--;
        if (ln && p->line(p->ctx, (const char *)buf + i, ln, *lineno, e) < 0)
            return line_error(e, *lineno);
        i = end + 1;
    }
    *at = i < len ? i : len;
    return 0;
}

/* A mapped input: its lines, a chunk at a time, with the pages given back
 * as read. */
#ifndef MAPPED_CHUNK
#define MAPPED_CHUNK ((size_t)8 << 20)   /* (tests build with a few bytes) */
#endif
static int run_mapped(ps_line_parser *p, const unsigned char *buf, size_t len, size_t *lineno,
                      ps_error *e)
{
    size_t i = 0;
    long page = sysconf(_SC_PAGESIZE);
    size_t chunk = MAPPED_CHUNK;
    if (page <= 0)
        return feed_lines(p, buf, len, &i, 1, lineno, e);
    while (i < len) {
        size_t at = i, from = i & ~((size_t)page - 1), to = len - i > chunk ? i + chunk : len;
#ifdef MADV_POPULATE_READ
        /* mapped in one call, not by a page fault every 16 pages */
        madvise((void *)(buf + from), to - from, MADV_POPULATE_READ);
#endif
        if (feed_lines(p, buf, to, &i, to == len, lineno, e) < 0)
            return -1;
        if (i == at)   /* a line longer than a chunk */
            chunk *= 2;
        else if ((i & ~((size_t)page - 1)) > from)
            madvise((void *)(buf + from), (i & ~((size_t)page - 1)) - from, MADV_DONTNEED);
    }
    return 0;
}

/* A file read a chunk at a time into one buffer of huge pages rather than
 * through its mapping: under a hypervisor that shadows page tables, the
 * first touch of each 4 kB page of a fresh file mapping costs a trap (some
 * 70 ms on the bench's 100 MB, against 10 ms for read() to copy it), and a
 * buffer that is read again and again stays in the caches.  Lines cut at a
 * chunk's end move to the buffer's start; the parser drops what it kept
 * of them (flush) before the buffer is read into again.  len: the bytes
 * the mapping held, all that is read.  0, or -1 (1: the read failed at
 * once, the caller reads the mapping). */
#ifndef IMPORT_CHUNK
#define IMPORT_CHUNK PS_HUGE_PAGE   /* (tests build with a few bytes) */
#endif
static int run_fd(ps_line_parser *p, int fd, size_t len, size_t *lineno, ps_error *e)
{
    size_t cap = IMPORT_CHUNK, n = 0, i = 0, off = 0;
    unsigned char *buf = ps_mem_alloc_huge(cap);
    int rc = 0;
    if (!buf)
        return 1;
    while (off < len || n > i) {
        if (i) {   /* the kept line to the front */
            if (p->flush && p->flush(p->ctx, e) < 0) {
                rc = line_error(e, *lineno);
                break;
            }
            memmove(buf, buf + i, n - i);
            n -= i;
            i = 0;
        }
        if (n == cap && ps_grow(&buf, &cap, cap + 1, 1) < 0) {   /* a line longer than it */
            rc = ps_error_set(e, PS_ENOMEM, -1, "out of memory");
            break;
        }
        ssize_t k = 0;
        if (off < len) {
            k = pread(fd, buf + n, cap - n < len - off ? cap - n : len - off, (off_t)off);
            if (k < 0 && errno == EINTR)
                continue;
            if (k < 0 && off == 0) {
                rc = 1;
                break;
            }
            if (k < 0) {
                e->sys_errno = errno;
                rc = ps_error_set(e, PS_EIO, -1, "%s", strerror(errno));
                break;
            }
        }
        if (k == 0)
            len = off;   /* (the file was cut short since) */
        off += (size_t)k;
        n += (size_t)k;
        if (feed_lines(p, buf, n, &i, off == len, lineno, e) < 0) {
            rc = -1;
            break;
        }
    }
    if (rc == 0 && p->flush && p->flush(p->ctx, e) < 0)
        rc = line_error(e, *lineno);
    free(buf);
    return rc;
}

/* buf: the input; fd >= 0: buf is the mapping of that file, which is read
 * rather than touched. */
static int run_lines(ps_line_parser *p, const unsigned char *buf, size_t len, int fd, ps_error *e)
{
    size_t lineno = 0, i = 0;
    int rc = 1;
    if (fd >= 0 && (rc = run_fd(p, fd, len, &lineno, e)) < 0)
        return -1;
    if (rc == 1 && (fd >= 0 ? run_mapped(p, buf, len, &lineno, e)
                            : feed_lines(p, buf, len, &i, 1, &lineno, e)) < 0)
        return -1;
    if (p->end && p->end(p->ctx, lineno, e) < 0)
        return line_error(e, lineno);
    return 0;
}

int ps_import_input(ps_stats *s, int fmt, const unsigned char *buf, size_t len, int fd,
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
            rc = run_lines(&p, buf, len, fd, e);
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
    return ps_import_input(s, fmt, buf, len, -1, o, files_line, e);
}

int ps_import_try(ps_stats *s, const unsigned char *buf, size_t len, int fd,
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
    return ps_import_input(s, fmt, buf, len, fd, o ? &o->sample : NULL, files_line, e);
}

void ps_line_parser_free(ps_line_parser *p)
{
    if (p->free)
        p->free(p->ctx);
    p->ctx = NULL;
}

