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
    /* Programs print msg as one line: bytes from the input (a float's text,
     * a function name) must not break it, so control characters become \xNN. */
    char raw[sizeof e->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    size_t j = 0;
    for (const unsigned char *p = (const unsigned char *)raw; *p; p++) {
        int ctl = *p < 0x20 || *p == 0x7f;
        if (j + (ctl ? 4 : 1) >= sizeof e->msg)
            break;
        if (ctl)
            j += (size_t)snprintf(e->msg + j, sizeof e->msg - j, "\\x%02x", *p);
        else
            e->msg[j++] = (char)*p;
    }
    e->msg[j] = '\0';
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
