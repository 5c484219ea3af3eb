/* outbuf.h - a large output buffer over a FILE with fast integer formatting,
 * for the writers whose output runs to tens of megabytes (internal). */
#ifndef PSTATS_OUTBUF_H
#define PSTATS_OUTBUF_H

#include <errno.h>
#include <stdio.h>
#include <string.h>
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
        if (b->memlen + b->len > b->memcap) {
            size_t cap = b->memcap ? b->memcap * 2 : sizeof b->buf * 4;
            while (cap < b->memlen + b->len)
                cap *= 2;
            char *m = realloc(b->mem, cap);
            if (!m) {
                b->failed = 1;
                b->err = ENOMEM;
                b->len = 0;
                return;
            }
            b->mem = m;
            b->memcap = cap;
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

static inline void ob_mem(outbuf *b, const char *s, size_t n)
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
    char tmp[24];
    int n = 0;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        tmp[n++] = '-';
    ob_reserve(b, (size_t)n);
    while (n)
        b->buf[b->len++] = tmp[--n];
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
