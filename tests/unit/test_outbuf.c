/* test_outbuf.c - the buffered writer of the big outputs (src/outbuf.h):
 * integers as printf("%lld") writes them, at every digit count and sign, and
 * text across the buffer's edge, in memory and through a FILE. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/outbuf.h"
#include "test.h"

/* Every power of ten and its neighbours, the extremes, and a spread of
 * values in between, each written after an odd-length prefix so that the
 * buffer's edge falls at every offset of a number. */
static void test_ints(void)
{
    long long vals[400];
    int nv = 0;
    vals[nv++] = 0;
    vals[nv++] = LLONG_MAX;
    vals[nv++] = LLONG_MIN;
    vals[nv++] = LLONG_MIN + 1;
    for (long long p = 1; nv < 90; p *= 10) {
        vals[nv++] = p - 1;
        vals[nv++] = p;
        vals[nv++] = p + 1;
        vals[nv++] = -p;
        if (p > LLONG_MAX / 10)
            break;
    }
    while (nv < 400) {   /* values of every size */
        uint64_t x = test_rand();
        long long v = (long long)(x >> (x % 60));
        vals[nv++] = (x & 1) ? -v : v;
    }
    outbuf *b = malloc(sizeof *b);
    ob_init(b, NULL);
    size_t cap = 1 << 24, len = 0;
    char *want = malloc(cap);
    int rounds = 0;
    while (len + 64 * (size_t)nv < cap && rounds < 400) {   /* crosses the 64 KB edge many times */
        for (int i = 0; i < nv; i++) {
            ob_lit(b, "x");
            ob_int(b, vals[i]);
            ob_char(b, ' ');
            len += (size_t)sprintf(want + len, "x%lld ", vals[i]);
        }
        rounds++;
    }
    ob_flush(b);
    CHECK(!b->failed);
    CHECK(b->memlen == len);
    CHECK(b->memlen == len && memcmp(b->mem, want, len) == 0);
    free(b->mem);
    free(b);
    free(want);
}

/* Literals and strings longer than what is left of the buffer, through a FILE. */
static void test_file(void)
{
    FILE *fp = tmpfile();
    CHECK(fp != NULL);
    if (!fp)
        return;
    outbuf *b = malloc(sizeof *b);
    ob_init(b, fp);
    char *big = malloc(200000);
    for (int i = 0; i < 200000; i++)
        big[i] = (char)('a' + i % 26);
    size_t len = 0;
    for (int i = 0; i < 10; i++) {
        ob_mem(b, big, 70000 + (size_t)i);   /* more than the whole buffer */
        ob_lit(b, "calls=");
        ob_int(b, i);
        len += 70000 + (size_t)i + 7;
    }
    ps_error e;
    CHECK(ob_finish(b, "tmp", &e) == 0);
    CHECK(ftell(fp) == (long)len);
    rewind(fp);
    char *got = malloc(len);
    CHECK(fread(got, 1, len, fp) == len);
    size_t at = 0;
    int same = 1;
    for (int i = 0; i < 10 && same; i++) {
        same = memcmp(got + at, big, 70000 + (size_t)i) == 0;
        at += 70000 + (size_t)i;
        char tail[32];
        snprintf(tail, sizeof tail, "calls=%d", i);
        same = same && memcmp(got + at, tail, 7) == 0;
        at += 7;
    }
    CHECK(same);
    fclose(fp);
    free(got);
    free(big);
    free(b);
}

int main(void)
{
    test_ints();
    test_file();
    return TEST_SUMMARY();
}
