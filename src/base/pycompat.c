/* pycompat.c - the bits of Python's formatting the reports reproduce:
 * "%8.3f", repr(float), repr(str) and time.ctime(). */
#include <math.h>
#include <stdint.h>
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

/* x's correctly rounded prec significant digits (prec <= 17) into d (no
 * point, no sign), and the decimal exponent of the first one. */
static int digits_of(double x, int prec, char d[24])
{
    char buf[40];
    snprintf(buf, sizeof buf, "%.*e", prec - 1, fabs(x));   /* "d.ddde+XX" */
    int k = 0;
    const char *p = buf;
    for (; *p != 'e'; p++)
        if (*p != '.')
            d[k++] = *p;
    d[k] = '\0';
    return atoi(p + 1);
}

/* The prec-digit rounding of the 17 digits d17 (exponent e17) into d and its
 * exponent, or INT32_MIN where rounding d17 may differ from rounding x: a
 * tail of exactly 5 then zeros may be x's half-way point or a rounding of
 * something on either side of it. */
static int round_digits(const char d17[24], int e17, int prec, char d[24])
{
    const char *tail = d17 + prec;
    if (*tail == '5' && strspn(tail + 1, "0") == strlen(tail + 1))
        return -0x7fffffff - 1;
    memcpy(d, d17, (size_t)prec);
    d[prec] = '\0';
    if (*tail < '5')
        return e17;
    for (int i = prec - 1; i >= 0; i--) {
        if (d[i] != '9') {
            d[i]++;
            return e17;
        }
        d[i] = '0';
    }
    d[0] = '1';                  /* 9.99 -> 10.0: one more decade */
    return e17 + 1;
}

/* Whether the digits d (exponent of the first e) read back as x.  The
 * string is built by hand: printf would cost as much as strtod. */
static int round_trips(double x, const char *d, int e)
{
    char buf[48], *p = buf;
    if (x < 0)
        *p++ = '-';
    size_t n = strlen(d);
    memcpy(p, d, n);
    p += n;
    *p++ = 'e';
    int ex = e - (int)(n - 1);
    if (ex < 0) {
        *p++ = '-';
        ex = -ex;
    }
    char rev[8];
    int k = 0;
    do {
        rev[k++] = (char)('0' + ex % 10);
        ex /= 10;
    } while (ex);
    while (k)
        *p++ = rev[--k];
    *p = '\0';
    return strtod(buf, NULL) == x;
}

/* The exact fast path of repr(float) for 1e-7 <= |x| < 1e15 (every time a
 * profile holds): x = m 2^q, so x 10^k = m 5^k / 2^sh with sh = -(q + k) > 0,
 * exact in 128 bits for the k that gives 17 digits.  It gives the digits
 * printf would (nearest, ties to even) and decides reading back exactly,
 * without printf or strtod. */
typedef struct exact17 {
    uint64_t m;                  /* x's 53-bit mantissa */
    int k, sh;                   /* x 10^k = m 5^k / 2^sh */
    unsigned __int128 x4;        /* 4 m 5^k: x 10^k, in units of 2^-sh / 4 */
    unsigned __int128 bound;     /* half an ulp of x in the same units */
} exact17;

static const uint64_t POW5[28] = {
    1ULL, 5ULL, 25ULL, 125ULL, 625ULL, 3125ULL, 15625ULL, 78125ULL, 390625ULL, 1953125ULL,
    9765625ULL, 48828125ULL, 244140625ULL, 1220703125ULL, 6103515625ULL, 30517578125ULL,
    152587890625ULL, 762939453125ULL, 3814697265625ULL, 19073486328125ULL, 95367431640625ULL,
    476837158203125ULL, 2384185791015625ULL, 11920928955078125ULL, 59604644775390625ULL,
    298023223876953125ULL, 1490116119384765625ULL, 7450580596923828125ULL};
#define E16 10000000000000000ULL

static int exact_digits17(double ax, exact17 *ex, char d17[24], int *e17)
{
    if (!(ax >= 1e-7 && ax < 1e15))
        return 0;
    int q;
    double fr = frexp(ax, &q);
    uint64_t m = (uint64_t)ldexp(fr, 53);
    q -= 53;
    int e10 = (int)floor(log10(ax));
    for (int tries = 0; tries < 3; tries++) {
        int k = 16 - e10, sh = -(q + k);
        if (k < 0 || k > 27 || sh <= 0 || sh > 64)
            return 0;
        unsigned __int128 X = (unsigned __int128)m * POW5[k];
        unsigned __int128 N = X >> sh, rem = X & ((((unsigned __int128)1) << sh) - 1);
        unsigned __int128 half = ((unsigned __int128)1) << (sh - 1);
        if (N < E16) {           /* log10's floor was one too high or low */
            e10--;
            continue;
        }
        if (N >= (unsigned __int128)E16 * 10) {
            e10++;
            continue;
        }
        if (rem > half || (rem == half && (N & 1)))
            N++;
        if (N == (unsigned __int128)E16 * 10) {
            N = E16;
            e10++;
        }
        uint64_t v = (uint64_t)N;
        for (int i = 16; i >= 0; i--) {
            d17[i] = (char)('0' + v % 10);
            v /= 10;
        }
        d17[17] = '\0';
        *e17 = e10;
        ex->m = m;
        ex->k = k;
        ex->sh = sh;
        ex->x4 = X * 4;
        ex->bound = (unsigned __int128)POW5[k] * 2;   /* 2^(q-1) 10^k, times 4 2^sh */
        return 1;
    }
    return 0;
}

/* Whether the digits d (exponent e of the first) read back as x: within half
 * an ulp (a quarter below a power of two), a tie going to the even mantissa. */
static int exact_round_trips(const exact17 *ex, int e17, const char *d, int e)
{
    size_t n = strlen(d);
    int t = 17 - (int)n + (e - e17);        /* d 10^(e-n+1) 10^k = D 10^t */
    if (t < 0 || t > 2)
        return -1;
    uint64_t D = 0;
    for (size_t i = 0; i < n; i++)
        D = D * 10 + (uint64_t)(d[i] - '0');
    unsigned __int128 C = D;
    for (int i = 0; i < t; i++)
        C *= 10;
    if (C >> 60)
        return -1;
    C = (C * 4) << ex->sh;
    unsigned __int128 diff, bound = ex->bound;
    if (C >= ex->x4) {
        diff = C - ex->x4;
    } else {
        diff = ex->x4 - C;
        if (ex->m == (1ULL << 52))
            bound /= 2;          /* the double below is nearer: half the gap */
    }
    return diff < bound || (diff == bound && !(ex->m & 1));
}

/* The digits one unit (in the last place) up: 129 -> 130, 99 -> 10 with
 * the exponent one more.  Returns the exponent. */
static int next_digits(char d[24], int e)
{
    for (int i = (int)strlen(d) - 1; i >= 0; i--) {
        if (d[i] != '9') {
            d[i]++;
            return e;
        }
        d[i] = '0';
    }
    d[0] = '1';
    return e + 1;
}

size_t ps_py_float_repr(char *out, size_t size, double x)
{
    if (isnan(x))
        return (size_t)snprintf(out, size, "nan");
    if (isinf(x))
        return (size_t)snprintf(out, size, x < 0 ? "-inf" : "inf");
    /* The fewest correctly rounded digits that round-trip (17 always do),
     * then Python's layout: fixed for exponents -4 <= e < 16, else
     * d.ddde+XX; always a '.0' when integral.  Reading back is monotone in
     * the digits (more are never farther from x), so the count is found by
     * bisection, 16 and 15 first (where most measured times land); the
     * candidates are cut from one 17-digit printing, printf being asked
     * again only where that rounding could be a double rounding. */
    char d17[24], cand[24], mant[24];
    int p2;
    int pow2 = frexp(fabs(x), &p2) == 0.5;
    exact17 ex = {0};
    int e17, exact = exact_digits17(fabs(x), &ex, d17, &e17);
    if (!exact)
        e17 = digits_of(x, 17, d17);
    int lo = 1, hi = 17, exp10 = e17;    /* hi round-trips */
    memcpy(mant, d17, 18);
    int tries[2] = {16, 15};
    for (int t = 0; t < 2 + 5 && lo < hi; t++) {
        int p = t < 2 ? tries[t] : lo + (hi - lo) / 2;
        if (p < lo || p >= hi)
            continue;
        int e = round_digits(d17, e17, p, cand);
        if (e == -0x7fffffff - 1)
            e = digits_of(x, p, cand);
        int back = exact ? exact_round_trips(&ex, e17, cand, e) : -1;
        if (back < 0)
            back = round_trips(x, cand, e);
        if (!back && pow2) {
            /* below a power of two the double beneath is twice as near as
             * the one above: the p digits just above x may read back where
             * the nearest (below) do not, and Python takes them */
            e = next_digits(cand, e);
            back = exact ? exact_round_trips(&ex, e17, cand, e) : -1;
            if (back < 0)
                back = round_trips(x, cand, e);
        }
        if (back) {
            hi = p;
            memcpy(mant, cand, (size_t)p + 1);
            exp10 = e;
        } else {
            lo = p + 1;
            if (t == 0)
                break;           /* 16 fails: 17 it is */
        }
    }
    while (lo < hi) {            /* not reached: the bisection above ends in 5 steps */
        int p = lo + (hi - lo) / 2;
        int e = digits_of(x, p, cand);
        if (round_trips(x, cand, e)) {
            hi = p;
            memcpy(mant, cand, (size_t)p + 1);
            exp10 = e;
        } else {
            lo = p + 1;
        }
    }
    size_t m = strlen(mant);
    int neg = signbit(x) != 0;
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
