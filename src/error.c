/* error.c - error values. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "pstats/error.h"

void ps_error_clear(ps_error *e)
{
    if (!e)
        return;
    e->code = PS_OK;
    e->sys_errno = 0;
    e->offset = -1;
    e->msg[0] = e->pyexc[0] = e->pymsg[0] = '\0';
}

int ps_error_set(ps_error *e, int code, long long offset, const char *fmt, ...)
{
    if (!e)
        return -1;
    e->code = code;
    e->offset = offset;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    return -1;
}

void ps_error_py(ps_error *e, const char *exc, const char *fmt, ...)
{
    if (!e)
        return;
    snprintf(e->pyexc, sizeof e->pyexc, "%s", exc);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->pymsg, sizeof e->pymsg, fmt, ap);
    va_end(ap);
}

const char *ps_error_line(const ps_error *e, const char *file, char *buf, size_t size)
{
    if (e->offset >= 0 && file)
        snprintf(buf, size, "%s: byte %lld: %s", file, e->offset, e->msg);
    else if (file)
        snprintf(buf, size, "%s: %s", file, e->msg);
    else
        snprintf(buf, size, "%s", e->msg);
    return buf;
}
