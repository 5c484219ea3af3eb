/* buf.c - the growable text buffer (pstats/buf.h): grows as base/grow.h
 * grows arrays, and once an allocation failed it stays failed, so callers
 * check once at the end. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/grow.h"
#include "pstats/buf.h"

int ps_pg_buf_reserve(pg_buf *b, size_t more)
{
    if (b->failed)
        return -1;
    /* 64 bytes at least: most buffers hold a line or a name */
    size_t need = b->len + more + 1;
    if (more > SIZE_MAX - 1 - b->len || ps_grow(&b->s, &b->cap, need > 64 ? need : 64, 1) < 0) {
        b->failed = 1;
        return -1;
    }
    return 0;
}

void ps_pg_buf_add(pg_buf *b, const char *s, size_t n)
{
    if (ps_pg_buf_reserve(b, n) < 0)
        return;
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void ps_pg_buf_addz(pg_buf *b, const char *s)
{
    ps_pg_buf_add(b, s, strlen(s));
}

void ps_pg_buf_printf(pg_buf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        ps_pg_buf_add(b, small, (size_t)n);
        return;
    }
    if (ps_pg_buf_reserve(b, (size_t)n) < 0)
        return;
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void ps_pg_buf_free(pg_buf *b)
{
    free(b->s);
    memset(b, 0, sizeof *b);
}
