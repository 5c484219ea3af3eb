/* utf8.h - one UTF-8 decoder for the code that counts or cuts code points
 * (fnmatch, %-format precision, textwrap).  utf8_length (pstats/arena.h)
 * counts a whole string eight ASCII bytes a step for the string pool. */
#ifndef PSTATS_BASE_UTF8_H
#define PSTATS_BASE_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Decode the code point at *ps (before end) and move *ps past it; an invalid
 * or truncated sequence yields its first byte as the code point. */
uint32_t utf8_next(const unsigned char **ps, const unsigned char *end);
/* Byte length of the first cps code points of s. */
size_t utf8_prefix(const char *s, size_t len, size_t cps);

#endif
