/* test_dot_pyfmt - the Python behaviours prof2dot reproduces for gprof2dot:
 * fnmatch (-z/-l), %-formatting of times (--time-format), textwrap (-w) and
 * the -s name stripping.  Expected values are what CPython 3.11 gives. */
#include <math.h>
#include <stdlib.h>
#include "base/pycompat.h"
#include "pstats/graph.h"
#include "test.h"

static const struct { const char *pat, *name; int match; } FNMATCH[] = {
    {"*:<module>", "recur:1:<module>", 1},
    {"*:<module>", "recur:1:<modules>", 0},
    {"*:h?noi", "recur:3:hanoi", 1},
    {"[!a-q]*", "recur:1:x", 1},
    {"[!a-r]*", "recur:1:x", 0},
    {"[z-a]*", "z", 0},
    {"[!z-a]", "z", 1},
    {"a[]]b", "a]b", 1},
    {"[a-", "[a-", 1},
    {"x\\y", "x\\y", 1},
    {"*é*", "café:1:f", 1},
    {"?", "é", 1},
    {"*", "", 1},
    {"**a", "bba", 1},
    {"a*b*c", "aXbYbZc", 1},
    {"a*b*c", "aXbYbZcd", 0},
    {"[]-]", "-", 1},
    {"[a-c-e]", "-", 1},
};

static const struct { const char *fmt; double x; const char *out; } FORMAT[] = {
    {"%.7g", 0.0024145540000000002, "0.002414554"},
    {"%.3f", 0.0023999999999999998, "0.002"},
    {"%s", 0.002253854, "0.002253854"},
    {"%r", 10000000000000000, "1e+16"},
    {"%s", 1.0000000000000001e-05, "1e-05"},
    {"%d", 2.7000000000000002, "2"},
    {"%5.1f|", 3.1415899999999999, "  3.1|"},
    {"%-8.2e|", 12345.678, "1.23e+04|"},
    {"%+.3g", 0.5, "+0.5"},
    {"%%%.1f%%", 50, "%50.0%"},
    {"t=%i", -3.8999999999999999, "t=-3"},
    {"%010.3f", -1.5, "-00001.500"},
    {"%.3s", 0.125, "0.1"},
    {"%G", 1e-10, "1E-10"},
    {"%#.3g", 1, "1.00"},
    {"%f", INFINITY, "inf"},
    {"%F", NAN, "NAN"},
    {"%u", 12, "12"},
};

static const struct { const char *name, *out; } WRAP[] = {
    {"short:1:name", "short:1:name"},
    {"unittest.case:578:TestCase._callTestMethod(self, method)", "unittest.case:578:TestCase._callTestMethod(self,\nmethod)"},
    {"<frozen importlib._bootstrap_external>:1007:get_code", "<frozen\nimportlib._bootstrap_external>:1007:get_code"},
    {"very-long-hyphenated-module-name:12:some_function_name_here", "very-long-hyphenated-module-\nname:12:some_function_name_here"},
    {"a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p", "a,b,c,d,e,f,g,h,i,j,k,\nl,m,n,o,p"},
    {"std::vector<std::map<int, int> > const&:1:f(x)", "std::vector<std::map<int,int>>\nconst&:1:f(x)"},
    {"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx yyyyyyyyyy", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\nyyyyyyyyyy"},
    {"tab\there and there   and   everywhere else too", "tab     here and there   and\neverywhere else too"},
    {"<code object <module> at 0x7f948e4fd0b0, file \"recur.py\", line 1>", "<code object <module> at\n0x7f948e4fd0b0,file \"recur.py\",\nline 1>"},
};

static const struct { const char *name, *out; } STRIP[] = {
    {"recur:1:<module>", "recur:1:"},
    {"f(a(b)c)d", "fd"},
    {"std::vector<std::map<int,int> >::at(int) const", "std::vector::at"},
    {"x:1:<lambda>(y)", "x:1:"},
    {"a (b", "a (b"},
    {"<a<b>", "<a"},
    {"g const", "g"},
    {"g const\n", "g\n"},
    {"gconst", "gconst"},
};

int main(void)
{
    for (size_t i = 0; i < sizeof FNMATCH / sizeof FNMATCH[0]; i++) {
        int got = ps_pg_fnmatch(FNMATCH[i].pat, FNMATCH[i].name);
        if (got != FNMATCH[i].match)
            fprintf(stderr, "fnmatch(%s, %s) = %d\n", FNMATCH[i].name, FNMATCH[i].pat, got);
        CHECK(got == FNMATCH[i].match);
    }
    for (size_t i = 0; i < sizeof FORMAT / sizeof FORMAT[0]; i++) {
        pg_buf b = {0};
        ps_error e;
        ps_error_clear(&e);
        CHECK(ps_pg_pyformat(&b, FORMAT[i].fmt, FORMAT[i].x, &e) == 0);
        CHECK_STR(b.s ? b.s : "", FORMAT[i].out);
        ps_pg_buf_free(&b);
    }
    /* what Python refuses (TypeError, ValueError) is an error here too */
    static const char *const BAD[] = {"%d%d", "plain", "%x", "%(a)s", "%*d", "%c", "%q", "%"};
    for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
        pg_buf b = {0};
        ps_error e;
        ps_error_clear(&e);
        CHECK(ps_pg_pyformat(&b, BAD[i], 1.0, &e) < 0 && e.code == PS_EUSAGE);
        ps_pg_buf_free(&b);
    }
    {
        pg_buf b = {0};
        ps_error e;
        ps_error_clear(&e);
        CHECK(ps_pg_pyformat(&b, "%d", NAN, &e) < 0);
        ps_pg_buf_free(&b);
    }
    for (size_t i = 0; i < sizeof WRAP / sizeof WRAP[0]; i++) {
        pg_buf b = {0};
        ps_error e;
        ps_error_clear(&e);
        CHECK(ps_pg_wrap_name(&b, WRAP[i].name, &e) == 0);
        CHECK_STR(b.s ? b.s : "", WRAP[i].out);
        ps_pg_buf_free(&b);
    }
    for (size_t i = 0; i < sizeof STRIP / sizeof STRIP[0]; i++) {
        pg_buf b = {0};
        ps_pg_strip_name(&b, STRIP[i].name);
        CHECK_STR(b.s ? b.s : "", STRIP[i].out);
        ps_pg_buf_free(&b);
    }
    return TEST_SUMMARY();
}
