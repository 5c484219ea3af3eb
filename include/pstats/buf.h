/* buf.h - a growable text buffer (labels, formatted names). */
#ifndef PSTATS_BUF_H
#define PSTATS_BUF_H

#include <stddef.h>

/* A NUL-terminated growing string: zero-initialise it, add to it, check
 * failed once at the end (an allocation failure makes every later add a
 * no-op), free it. */
typedef struct pg_buf {
    char *s;
    size_t len, cap;
    int failed;
} pg_buf;
/* Room for more bytes (and the NUL) past len: 0, or -1 once failed. */
int ps_pg_buf_reserve(pg_buf *b, size_t more);
void ps_pg_buf_add(pg_buf *b, const char *s, size_t n);
void ps_pg_buf_addz(pg_buf *b, const char *s);
void ps_pg_buf_printf(pg_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ps_pg_buf_free(pg_buf *b);

#endif
