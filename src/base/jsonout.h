/* jsonout.h - JSON strings and numbers on an outbuf, and UTF-8 checking,
 * for the writers of JSON and protobuf text (internal).
 *
 * Profile names are untrusted bytes: a file name or function name may hold
 * quotes, control characters or bytes that are not UTF-8 at all (Python 2
 * dumps, byte-string file names).  JSON (RFC 8259) and protobuf strings must
 * be UTF-8, so a byte that does not start a well-formed UTF-8 sequence is
 * written as the Latin-1 character of the same value (U+0080-U+00FF): two
 * names that differ only there stay different, and nothing is dropped.
 * Numbers are written in the shortest of %.15g / %.17g that reads back as
 * the same double, so a weight survives a round trip exactly. */
#ifndef PSTATS_JSONOUT_H
#define PSTATS_JSONOUT_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "outbuf.h"

/* Length of the well-formed UTF-8 sequence at s[0..n) (RFC 3629: no
 * overlong forms, no surrogates, nothing past U+10FFFF), or 0 when s[0]
 * does not start one. */
static inline size_t utf8_seq_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    size_t len;
    unsigned lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else {
        return 0;
    }
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    return len;
}

/* 1 when s[0..n) is UTF-8 throughout. */
static inline int utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        size_t k = utf8_seq_len(p + i, n - i);
        if (!k)
            return 0;
        i += k;
    }
    return 1;
}

/* s[0..n) as UTF-8 (the bytes that are not, as Latin-1) appended to a
 * malloc'd buffer: *out (NULL first time) with *cap; returns the length or
 * (size_t)-1 when out of memory.  The result is NUL-terminated. */
static inline size_t utf8_clean(const char *s, size_t n, char **out, size_t *cap)
{
    size_t need = 2 * n + 1;   /* a byte becomes at most two */
    if (need > *cap) {
        char *m = realloc(*out, need);
        if (!m)
            return (size_t)-1;
        *out = m;
        *cap = need;
    }
    const unsigned char *p = (const unsigned char *)s;
    char *o = *out;
    size_t j = 0;
    for (size_t i = 0; i < n;) {
        size_t k = p[i] < 0x80 ? 1 : utf8_seq_len(p + i, n - i);
        if (k) {
            memcpy(o + j, p + i, k);
            j += k;
            i += k;
        } else {
            o[j++] = (char)(0xC0 | (p[i] >> 6));
            o[j++] = (char)(0x80 | (p[i] & 0x3F));
            i++;
        }
    }
    o[j] = 0;
    return j;
}

/* A JSON string literal, quotes included. */
static inline void ob_json_str(outbuf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    ob_char(b, '"');
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && p[j] >= 0x20 && p[j] < 0x80 && p[j] != '"' && p[j] != '\\')
            j++;
        ob_mem(b, s + i, j - i);
        if (j == n)
            break;
        unsigned c = p[j];
        if (c == '"' || c == '\\') {
            char esc[2] = {'\\', (char)c};
            ob_mem(b, esc, 2);
            i = j + 1;
        } else if (c < 0x20) {
            char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            ob_mem(b, esc, 6);
            i = j + 1;
        } else {
            size_t k = utf8_seq_len(p + j, n - j);
            if (k) {
                ob_mem(b, s + j, k);
                i = j + k;
            } else {   /* not UTF-8: the Latin-1 character of that byte */
                char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
                ob_mem(b, esc, 6);
                i = j + 1;
            }
        }
    }
    ob_char(b, '"');
}

/* A finite double that reads back as itself (non-finite values, which JSON
 * cannot hold, are written as 0). */
static inline void ob_json_num(outbuf *b, double v)
{
    if (!isfinite(v))
        v = 0;
    if (fabs(v) < 1e15 && v == (double)(long long)v) {   /* range first: the cast is UB beyond */
        ob_int(b, (long long)v);
        return;
    }
    char tmp[40];
    int n = snprintf(tmp, sizeof tmp, "%.15g", v);
    if (strtod(tmp, NULL) != v)
        n = snprintf(tmp, sizeof tmp, "%.17g", v);
    ob_mem(b, tmp, (size_t)n);
}

#endif
