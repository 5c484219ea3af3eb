/* pycompat.c - the bits of Python's formatting the reports reproduce:
 * "%8.3f", repr(float), repr(str) and time.ctime(). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "pycompat.h"

void ps_py_f8(char out[PY_F8_SIZE], double x)
{
    /* glibc prints "-nan" for a negative NaN; Python prints "nan". */
    if (isnan(x))
        snprintf(out, PY_F8_SIZE, "%8s", "nan");
    else
        snprintf(out, PY_F8_SIZE, "%8.3f", x);
}

size_t ps_py_float_repr(char *out, size_t size, double x)
{
    if (isnan(x))
        return (size_t)snprintf(out, size, "nan");
    if (isinf(x))
        return (size_t)snprintf(out, size, x < 0 ? "-inf" : "inf");
    /* Shortest digits that round-trip, then Python's layout: fixed for
     * exponents -4 <= e < 16, else d.ddde+XX; always a '.0' when integral. */
    char digits[40];
    int prec;
    for (prec = 1; prec <= 17; prec++) {
        snprintf(digits, sizeof digits, "%.*e", prec - 1, x);
        if (strtod(digits, NULL) == x)
            break;
    }
    /* digits = "-d.ddde+XX" */
    char *e = strchr(digits, 'e');
    int exp10 = atoi(e + 1);
    *e = '\0';
    char mant[40];
    size_t m = 0;
    int neg = digits[0] == '-';
    for (char *p = digits + neg; *p; p++)
        if (*p != '.')
            mant[m++] = *p;
    mant[m] = '\0';
    while (m > 1 && mant[m - 1] == '0')
        mant[--m] = '\0';
    char buf[64];
    size_t n = 0;
    if (neg)
        buf[n++] = '-';
    if (exp10 < -4 || exp10 >= 16) {
        buf[n++] = mant[0];
        if (m > 1) {
            buf[n++] = '.';
            memcpy(buf + n, mant + 1, m - 1);
            n += m - 1;
        }
        n += (size_t)snprintf(buf + n, sizeof buf - n, "e%c%02d", exp10 < 0 ? '-' : '+',
                              abs(exp10));
    } else if (exp10 < 0) {
        buf[n++] = '0';
        buf[n++] = '.';
        for (int i = 0; i < -exp10 - 1; i++)
            buf[n++] = '0';
        memcpy(buf + n, mant, m);
        n += m;
    } else {
        for (int i = 0; i <= exp10; i++)
            buf[n++] = (size_t)i < m ? mant[i] : '0';
        buf[n++] = '.';
        if ((size_t)exp10 + 1 < m) {
            memcpy(buf + n, mant + exp10 + 1, m - (size_t)exp10 - 1);
            n += m - (size_t)exp10 - 1;
        } else {
            buf[n++] = '0';
        }
    }
    buf[n] = '\0';
    return (size_t)snprintf(out, size, "%s", buf);
}

size_t ps_py_str_repr(char *out, size_t size, const char *s, size_t len)
{
    /* Single quotes unless the text has ' and no ". */
    int has_sq = memchr(s, '\'', len) != NULL, has_dq = memchr(s, '"', len) != NULL;
    char q = has_sq && !has_dq ? '"' : '\'';
    size_t n = 0;
#define PUT(c) do { if (n + 1 < size) out[n] = (c); n++; } while (0)
    PUT(q);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == (unsigned char)q || c == '\\') {
            PUT('\\');
            PUT((char)c);
        } else if (c == '\n') {
            PUT('\\'); PUT('n');
        } else if (c == '\r') {
            PUT('\\'); PUT('r');
        } else if (c == '\t') {
            PUT('\\'); PUT('t');
        } else if (c < 0x20 || c == 0x7f) {
            char hex[5];
            snprintf(hex, sizeof hex, "\\x%02x", c);
            for (int k = 0; k < 4; k++)
                PUT(hex[k]);
        } else {
            PUT((char)c);
        }
    }
    PUT(q);
#undef PUT
    if (size)
        out[n < size ? n : size - 1] = '\0';
    return n;
}

void ps_py_ctime(char out[64], long long t)
{
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    time_t tt = (time_t)t;
    struct tm tm;
    if (!localtime_r(&tt, &tm)) {
        snprintf(out, 64, "?");
        return;
    }
    snprintf(out, 64, "%s %s %2d %02d:%02d:%02d %d", days[tm.tm_wday % 7], months[tm.tm_mon % 12],
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, tm.tm_year + 1900);
}
