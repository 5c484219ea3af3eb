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
#include "grow.h"
#include "outbuf.h"
#include "utf8.h"

/* Length of the well-formed UTF-8 sequence at s[0..n) (RFC 3629: no
 * overlong forms, no surrogates, nothing past U+10FFFF), or 0 when s[0]
 * does not start one. */
static inline size_t utf8_seq_len(const unsigned char *s, size_t n)
{
    uint32_t cp;
    return utf8_decode(s, n, &cp, UTF8_VALID);
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
    if (ps_grow(out, cap, 2 * n + 1, 1) < 0)   /* a byte becomes at most two */
        return (size_t)-1;
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

/* How ob_json_str_as writes what plain JSON would not need escaped:
 *   JSON_HTML_SAFE   also <, >, & and U+2028/U+2029 as \uXXXX, so the string
 *                    is safe inside an HTML <script> element (and in JavaScript);
 *   JSON_BAD_FFFD    a byte that starts no well-formed UTF-8 sequence as
 *                    \ufffd (the replacement character) rather than as the
 *                    Latin-1 character of that byte. */
enum { JSON_HTML_SAFE = 1, JSON_BAD_FFFD = 2 };

/* A JSON string literal, quotes included: the one JSON string writer of the
 * library (speedscope, pprof's text, the HTML page's data, profdiff's JSON). */
static inline void ob_json_str_as(outbuf *b, const char *s, size_t n, int how)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    int html = how & JSON_HTML_SAFE;
    ob_char(b, '"');
    size_t i = 0;
    while (i < n) {
        /* the common run of plain ASCII in one copy */
        size_t j = i;
        while (j < n && p[j] >= 0x20 && p[j] < 0x80 && p[j] != '"' && p[j] != '\\' &&
               !(html && (p[j] == '<' || p[j] == '>' || p[j] == '&')))
            j++;
        ob_mem(b, s + i, j - i);
        if (j == n)
            break;
        uint32_t cp;
        size_t k = utf8_decode(p + j, n - j, &cp, UTF8_VALID);
        int escape = cp < 0x20 || (html && (cp == '<' || cp == '>' || cp == '&' ||
                                            cp == 0x2028 || cp == 0x2029));
        if (!k) {   /* not UTF-8: U+FFFD, or the Latin-1 character of that byte */
            cp = how & JSON_BAD_FFFD ? 0xfffd : p[j];
            k = 1;
            escape = 1;
        }
        if (cp == '"' || cp == '\\') {
            char esc[2] = {'\\', (char)cp};
            ob_mem(b, esc, 2);
        } else if (escape) {
            char esc[6] = {'\\', 'u', hex[(cp >> 12) & 15], hex[(cp >> 8) & 15],
                           hex[(cp >> 4) & 15], hex[cp & 15]};
            ob_mem(b, esc, 6);
        } else {
            ob_mem(b, s + j, k);
        }
        i = j + k;
    }
    ob_char(b, '"');
}

/* A JSON string literal, the bytes that are not UTF-8 as Latin-1. */
static inline void ob_json_str(outbuf *b, const char *s, size_t n)
{
    ob_json_str_as(b, s, n, 0);
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
