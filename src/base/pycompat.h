/* pycompat.h - Python behaviours the outputs must reproduce byte for byte:
 * float and string reprs, "%8.3f", time.ctime (pycompat.c); "%.2f", fnmatch,
 * %-formatting of a float, textwrap (pyformat.c).  CPython's set order is in
 * pyset.h. */
#ifndef PSTATS_BASE_PYCOMPAT_H
#define PSTATS_BASE_PYCOMPAT_H

#include <stddef.h>
#include "pstats/buf.h"
#include "pstats/error.h"

/* "%8.3f", nan/inf as Python; 1e308 takes 313 characters, as in Python. */
#define PY_F8_SIZE 320
void ps_py_f8(char out[PY_F8_SIZE], double x);
size_t ps_py_float_repr(char *out, size_t size, double x); /* repr(float) */
size_t ps_py_str_repr(char *out, size_t size, const char *s, size_t len); /* repr(str) */
void ps_py_ctime(char out[64], long long t);             /* time.ctime(t), local zone */

/* ---- Python behaviours gprof2dot relies on (pyformat.c) ---------------- */

/* "%.2f" % x, into out; returns the length. */
int ps_pg_fmt2(char out[32], double x);

/* fnmatch.fnmatchcase(name, pattern): shell glob on code points. */
int ps_pg_fnmatch(const char *pattern, const char *name);
/* The same with the pattern compiled once: an array of *ntok tokens (NULL
 * when out of memory), matched against many names. */
typedef struct py_glob py_glob;
py_glob *ps_py_glob_compile(const char *pattern, size_t *ntok);
int ps_py_glob_match(const py_glob *tok, size_t ntok, const char *name);
void ps_py_glob_free(py_glob *tok, size_t ntok);
/* pattern % x for a float x (Python's printf-style formatting).  Returns 0,
 * or -1 with a message in err (TypeError-like misuse of the format). */
int ps_pg_pyformat(pg_buf *out, const char *fmt, double x, ps_error *err);
/* gprof2dot's -s: drop (...) groups, a trailing " const", then <...> groups. */
void ps_pg_strip_name(pg_buf *out, const char *name);
/* gprof2dot's -w: textwrap.fill(name, 32) when longer than 32, then ", " -> ","
 * and "> >" -> ">>" (twice). */
int ps_pg_wrap_name(pg_buf *out, const char *name, ps_error *err);

#endif
