/* utf8.c - decoding UTF-8 one code point at a time, the way Python sees the
 * text after surrogateescape: an invalid byte stands for itself. */
#include "utf8.h"

/* Decode one code point at s (an invalid byte is taken as itself). */
uint32_t utf8_next(const unsigned char **ps, const unsigned char *end)
{
    const unsigned char *s = *ps;
    uint32_t c = *s;
    int n = 0;
    if (c < 0x80)
        n = 0;
    else if ((c & 0xe0) == 0xc0)
        n = 1, c &= 0x1f;
    else if ((c & 0xf0) == 0xe0)
        n = 2, c &= 0x0f;
    else if ((c & 0xf8) == 0xf0)
        n = 3, c &= 0x07;
    else {
        *ps = s + 1;
        return c;
    }
    if (end - s <= n) {
        *ps = s + 1;
        return *s;
    }
    for (int i = 1; i <= n; i++) {
        if ((s[i] & 0xc0) != 0x80) {
            *ps = s + 1;
            return *s;
        }
        c = (c << 6) | (s[i] & 0x3f);
    }
    *ps = s + n + 1;
    return c;
}

/* Byte offset of the first `cps` code points of s. */
size_t utf8_prefix(const char *s, size_t len, size_t cps)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    while (cps && p < end) {
        utf8_next(&p, end);
        cps--;
    }
    return (size_t)(p - (const unsigned char *)s);
}
