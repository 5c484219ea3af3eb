/* outbuf.h - a large output buffer over a FILE with fast integer formatting,
 * for the writers whose output runs to tens of megabytes (internal).
 * Separate from pg_buf (pstats/buf.h), the buffer that builds a string in
 * memory: this one flushes to a FILE, its adds are inline, unchecked after
 * one ob_reserve, and errors are read once at ob_finish -- the callgrind,
 * folded and flame writers spend most of their time here. */
#ifndef PSTATS_OUTBUF_H
#define PSTATS_OUTBUF_H

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "base/grow.h"
#include "pstats/error.h"

typedef struct outbuf {
    FILE *fp;             /* NULL: collect the output in mem */
    size_t len;
    int failed;
    int err;
    char *mem;
    size_t memlen, memcap;
    char buf[1 << 16];
} outbuf;

static inline void ob_init(outbuf *b, FILE *fp)
{
    b->fp = fp;
    b->len = 0;
    b->failed = 0;
    b->err = 0;
    b->mem = NULL;
    b->memlen = b->memcap = 0;
}

static inline void ob_flush(outbuf *b)
{
    if (!b->len || b->failed) {
        b->len = 0;
        return;
    }
    if (b->fp) {
        if (fwrite(b->buf, 1, b->len, b->fp) != b->len) {
            b->failed = 1;
            b->err = errno ? errno : EIO;
        }
    } else {
        /* four buffers' room from the start: a chunk's output (callgrind.c)
         * runs to hundreds of KB, and each doubling on the way copies it */
        size_t need = b->memlen + b->len;
        if (ps_grow(&b->mem, &b->memcap, need > sizeof b->buf * 4 ? need : sizeof b->buf * 4,
                    1) < 0) {
            b->failed = 1;
            b->err = ENOMEM;
            b->len = 0;
            return;
        }
        memcpy(b->mem + b->memlen, b->buf, b->len);
        b->memlen += b->len;
    }
    b->len = 0;
}

/* Flush, then 0, or -1 with e set: out of memory (a memory buffer), or
 * "cannot write WHAT: ..." (what: the output's name, or NULL). */
static inline int ob_finish(outbuf *b, const char *what, ps_error *e)
{
    ob_flush(b);
    if (!b->failed)
        return 0;
    if (b->err == ENOMEM)
        return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
    e->sys_errno = b->err;
    return ps_error_set(e, PS_EIO, -1, "cannot write %s: %s", what ? what : "the output",
                        strerror(b->err));
}

static inline void ob_reserve(outbuf *b, size_t n)
{
    if (b->len + n > sizeof b->buf)
        ob_flush(b);
}

/* The general case of ob_mem: s does not fit in what is left of the buffer. */
static inline void ob_mem_split(outbuf *b, const char *s, size_t n)
{
    while (n) {
        if (b->len == sizeof b->buf)
            ob_flush(b);
        size_t k = sizeof b->buf - b->len;
        if (k > n)
            k = n;
        memcpy(b->buf + b->len, s, k);
        b->len += k;
        s += k;
        n -= k;
    }
}

static inline void ob_mem(outbuf *b, const char *s, size_t n)
{
    /* A constant n copies inline.  (n small first: a constant n larger than
     * the buffer must not reach the memcpy, even in the compiler's view.) */
    if (n <= sizeof b->buf && b->len + n <= sizeof b->buf) {
        memcpy(b->buf + b->len, s, n);
        b->len += n;
        return;
    }
    ob_mem_split(b, s, n);
}

/* A string literal: its length known when compiled. */
#define ob_lit(b, lit) ob_mem((b), "" lit, sizeof(lit) - 1)

static inline void ob_str(outbuf *b, const char *s)
{
    ob_mem(b, s, strlen(s));
}

static inline void ob_char(outbuf *b, char c)
{
    if (b->len == sizeof b->buf)
        ob_flush(b);
    b->buf[b->len++] = c;
}

static inline void ob_int(outbuf *b, long long v)
{
    /* Two digits a step; the digits end at tmp + 24 and a fixed 24 bytes
     * are copied (the buffer has room; what lies past the number is
     * overwritten by what follows), which compiles to a few moves. */
    static const char digits2[201] =
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
        "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
        "8081828384858687888990919293949596979899";
    char tmp[48];
    char *p = tmp + 24;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    while (u >= 100) {
        unsigned r = (unsigned)(u % 100);
        u /= 100;
        p -= 2;
        memcpy(p, digits2 + 2 * r, 2);
    }
    if (u >= 10) {
        p -= 2;
        memcpy(p, digits2 + 2 * u, 2);
    } else {
        *--p = (char)('0' + u);
    }
    if (v < 0)
        *--p = '-';
    ob_reserve(b, 24);
    memcpy(b->buf + b->len, p, 24);
    b->len += (size_t)(tmp + 24 - p);
}

/* A name on one line: line breaks and other control bytes become '?' (a
 * callgrind file is line-based and has no escapes). */
static inline void ob_name(outbuf *b, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && (unsigned char)s[j] >= 0x20 && s[j] != 0x7f)
            j++;
        ob_mem(b, s + i, j - i);
        if (j < n) {
            ob_char(b, '?');
            j++;
        }
        i = j;
    }
}

#endif
