/* error.h - errors come back as values; the programs decide what to print. */
#ifndef PSTATS_ERROR_H
#define PSTATS_ERROR_H

#include <stddef.h>

enum {
    PS_OK = 0,
    PS_ENOMEM,    /* out of memory */
    PS_EIO,       /* open/read/write failed; sys_errno is set */
    PS_EFORMAT,   /* the bytes are not valid marshal data */
    PS_EDATA,     /* valid marshal data, but not profile statistics */
    PS_EEMPTY,    /* valid marshal data that is falsy (pstats refuses it) */
    PS_EMERGE,    /* stats that cannot be merged (int and tuple callers) */
    PS_ESORT,     /* a sort that CPython would refuse (bad key, code objects) */
    PS_EUSAGE     /* a bad argument from the caller */
};

typedef struct ps_error {
    int code;
    int sys_errno;        /* errno for PS_EIO */
    long long offset;     /* byte offset in the input where it went wrong, or -1 */
    char msg[384];        /* our own description: "expected ..., found ..." */
    char pyexc[40];       /* the exception class CPython raises here ("EOFError"), or "" */
    char pymsg[384];      /* CPython's message text for it */
} ps_error;

void ps_error_clear(ps_error *e);
/* Set code, offset and our message (printf-style); returns -1 for `return ps_error_set(...)`. */
int ps_error_set(ps_error *e, int code, long long offset, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Set what CPython would have said (exception class and message). */
void ps_error_py(ps_error *e, const char *exc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* "FILE: byte N: MSG" (or "FILE: MSG") into buf: the one line programs print. */
const char *ps_error_line(const ps_error *e, const char *file, char *buf, size_t size);

#endif
