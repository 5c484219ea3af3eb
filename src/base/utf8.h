/* utf8.h - one UTF-8 decoder for the code that counts or cuts code points
 * (fnmatch, %-format precision, textwrap).  ps_utf8_length (pstats/arena.h)
 * counts a whole string eight ASCII bytes a step for the string pool. */
#ifndef PSTATS_BASE_UTF8_H
#define PSTATS_BASE_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* The UTF-8 sequence at s (n > 0 bytes left): its length, with its code
 * point in *cp, or 0 when it is not a valid sequence of the mode:
 *   UTF8_LENIENT  any lead byte of the right shape (overlong forms, surrogates
 *                 and code points past U+10FFFF decode), as Python's
 *                 surrogateescape round-trips the names the dumps hold;
 *   UTF8_VALID    well-formed UTF-8, what Python's strict codec decodes: no
 *                 overlong form, no surrogate, nothing past U+10FFFF;
 *   UTF8_XML      UTF8_VALID without U+FFFE and U+FFFF, what XML accepts. */
enum { UTF8_LENIENT, UTF8_VALID, UTF8_XML };
static inline size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp, int mode)
{
    int strict = mode != UTF8_LENIENT;
    uint32_t c = s[0];
    size_t len;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if ((c & 0xe0) == 0xc0)
        len = 2, c &= 0x1f;
    else if ((c & 0xf0) == 0xe0)
        len = 3, c &= 0x0f;
    else if ((c & 0xf8) == 0xf0)
        len = 4, c &= 0x07;
    else
        return 0;
    if (strict && (s[0] < 0xc2 || s[0] > 0xf4))
        return 0;
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3f);
    }
    if (strict && ((len == 3 && (c < 0x800 || (c >= 0xd800 && c <= 0xdfff))) ||
                   (len == 4 && (c < 0x10000 || c > 0x10ffff)) ||
                   (mode == UTF8_XML && (c == 0xfffe || c == 0xffff))))
        return 0;
    *cp = c;
    return len;
}

/* Decode the code point at *ps (before end) and move *ps past it; an invalid
 * or truncated sequence yields its first byte as the code point. */
uint32_t ps_utf8_next(const unsigned char **ps, const unsigned char *end);
/* Byte length of the first cps code points of s. */
size_t ps_utf8_prefix(const char *s, size_t len, size_t cps);

#endif
