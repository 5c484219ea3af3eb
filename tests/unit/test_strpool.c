/* test_strpool.c - the string intern table: equal text is one pointer and
 * different text another, for every length the hash reads in a different way
 * (whole 8-byte words, a tail, both), and a reserved table is not rehashed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pstats/arena.h"
#include "test.h"

#define MAXLEN 40

/* Every length 0..MAXLEN, and each string with one byte changed at each
 * position: all distinct, each interned again to the same pointer. */
static void test_lengths(void)
{
    strpool p;
    strpool_init(&p);
    char base[MAXLEN + 1];
    for (int i = 0; i < MAXLEN; i++)
        base[i] = (char)('a' + i % 26);
    const ps_str *whole[MAXLEN + 1];
    int distinct = 1, same = 1, text = 1;
    size_t count = 0;
    for (int len = 0; len <= MAXLEN; len++) {
        whole[len] = strpool_intern(&p, base, (size_t)len);
        count++;
        text &= whole[len] && whole[len]->len == (uint32_t)len &&
                memcmp(whole[len]->s, base, (size_t)len) == 0 && whole[len]->s[len] == '\0';
        for (int at = 0; at < len; at++) {
            char v[MAXLEN + 1];
            memcpy(v, base, (size_t)len);
            v[at] ^= 0x20;
            const ps_str *x = strpool_intern(&p, v, (size_t)len);
            count++;
            distinct &= x != whole[len];
            same &= strpool_intern(&p, v, (size_t)len) == x;
        }
    }
    for (int len = 0; len <= MAXLEN; len++)
        same &= strpool_intern(&p, base, (size_t)len) == whole[len];
    CHECK(text);
    CHECK(distinct);
    CHECK(same);
    CHECK(p.count == count);
    /* text with NUL bytes and bytes >= 0x80 is text like any other */
    const ps_str *a = strpool_intern(&p, "x\0y\xff", 4), *b = strpool_intern(&p, "x\0y\xfe", 4);
    CHECK(a && b && a != b && a == strpool_intern(&p, "x\0y\xff", 4));
    strpool_free(&p);
}

/* After strpool_reserve(n), n strings go in without a rehash; they are all
 * found again; reserving less than there is room for changes nothing. */
static void test_reserve(void)
{
    enum { N = 50000 };
    strpool p;
    strpool_init(&p);
    CHECK(strpool_reserve(&p, N) == 0);
    size_t slots = p.nslots;
    CHECK(slots >= 2 * N);
    const ps_str **got = malloc(N * sizeof *got);
    char name[32];
    int ok = 1;
    for (int i = 0; i < N; i++) {
        int n = snprintf(name, sizeof name, "func_%d", i);
        got[i] = strpool_intern(&p, name, (size_t)n);
        ok &= got[i] != NULL;
    }
    CHECK(ok);
    CHECK(p.nslots == slots);
    CHECK(strpool_reserve(&p, 10) == 0 && p.nslots == slots);
    for (int i = 0; i < N; i++) {
        int n = snprintf(name, sizeof name, "func_%d", i);
        ok &= strpool_intern(&p, name, (size_t)n) == got[i];
    }
    CHECK(ok);
    CHECK(p.count == N);
    /* and it still grows past what was reserved */
    for (int i = N; i < 3 * N; i++) {
        int n = snprintf(name, sizeof name, "func_%d", i);
        ok &= strpool_intern(&p, name, (size_t)n) != NULL;
    }
    CHECK(ok && p.count == 3 * N && p.nslots > slots && p.nslots >= 2 * p.count);
    free(got);
    strpool_free(&p);
}

int main(void)
{
    test_lengths();
    test_reserve();
    return TEST_SUMMARY();
}
