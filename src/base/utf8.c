/* utf8.c - decoding UTF-8 one code point at a time, the way Python sees the
 * text after surrogateescape: an invalid byte stands for itself. */
#include "utf8.h"

/* Decode one code point at s (an invalid byte is taken as itself). */
uint32_t ps_utf8_next(const unsigned char **ps, const unsigned char *end)
{
    const unsigned char *s = *ps;
    uint32_t c;
    size_t len = utf8_decode(s, (size_t)(end - s), &c, UTF8_LENIENT);
    if (!len) {
        *ps = s + 1;
        return *s;
    }
    *ps = s + len;
    return c;
}

/* Byte offset of the first `cps` code points of s. */
size_t ps_utf8_prefix(const char *s, size_t len, size_t cps)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    while (cps && p < end) {
        ps_utf8_next(&p, end);
        cps--;
    }
    return (size_t)(p - (const unsigned char *)s);
}
