/* pycompat.h - Python behaviours the outputs must reproduce byte for byte:
 * float and string reprs, "%8.3f", time.ctime. */
#ifndef PSTATS_BASE_PYCOMPAT_H
#define PSTATS_BASE_PYCOMPAT_H

#include <stddef.h>

void py_f8(char out[32], double x);                   /* "%8.3f", nan/inf as Python */
size_t py_float_repr(char *out, size_t size, double x); /* repr(float) */
size_t py_str_repr(char *out, size_t size, const char *s, size_t len); /* repr(str) */
void py_ctime(char out[64], long long t);             /* time.ctime(t), local zone */

#endif
