/* test_strpool.c - the string intern table: equal text is one pointer and
 * different text another, for every length the hash reads in a different way
 * (whole 8-byte words, a tail, both; a byte changed anywhere changes the
 * hash), and a reserved table is not rehashed. */
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
    ps_strpool_init(&p);
    char base[MAXLEN + 1];
    for (int i = 0; i < MAXLEN; i++)
        base[i] = (char)('a' + i % 26);
    const ps_str *whole[MAXLEN + 1];
    int distinct = 1, same = 1, text = 1, rehash = 1;
    size_t count = 0;
    for (int len = 0; len <= MAXLEN; len++) {
        whole[len] = ps_strpool_intern(&p, base, (size_t)len);
        count++;
        text &= whole[len] && whole[len]->len == (uint32_t)len &&
                memcmp(whole[len]->s, base, (size_t)len) == 0 && whole[len]->s[len] == '\0';
        for (int at = 0; at < len; at++) {
            char v[MAXLEN + 1];
            memcpy(v, base, (size_t)len);
            v[at] ^= 0x20;
            const ps_str *x = ps_strpool_intern(&p, v, (size_t)len);
            count++;
            distinct &= x != whole[len];
            rehash &= x->hash != whole[len]->hash;   /* every byte reaches the hash */
            same &= ps_strpool_intern(&p, v, (size_t)len) == x;
        }
    }
    for (int len = 0; len <= MAXLEN; len++)
        same &= ps_strpool_intern(&p, base, (size_t)len) == whole[len];
    CHECK(text);
    CHECK(distinct);
    CHECK(rehash);
    CHECK(same);
    CHECK(p.count == count);
    /* text with NUL bytes and bytes >= 0x80 is text like any other */
    const ps_str *a = ps_strpool_intern(&p, "x\0y\xff", 4), *b = ps_strpool_intern(&p, "x\0y\xfe", 4);
    CHECK(a && b && a != b && a == ps_strpool_intern(&p, "x\0y\xff", 4));
    ps_strpool_free(&p);
}

/* After ps_strpool_reserve(n), n strings go in without a rehash; they are all
 * found again; reserving less than there is room for changes nothing. */
static void test_reserve(void)
{
    enum { N = 50000 };
    strpool p;
    ps_strpool_init(&p);
    CHECK(ps_strpool_reserve(&p, N) == 0);
    size_t slots = p.nslots;
    CHECK(slots >= 2 * N);
    const ps_str **got = malloc(N * sizeof *got);
    char name[32];
    int ok = 1;
    for (int i = 0; i < N; i++) {
        int n = snprintf(name, sizeof name, "func_%d", i);
        got[i] = ps_strpool_intern(&p, name, (size_t)n);
        ok &= got[i] != NULL;
    }
    CHECK(ok);
    CHECK(p.nslots == slots);
    CHECK(ps_strpool_reserve(&p, 10) == 0 && p.nslots == slots);
    for (int i = 0; i < N; i++) {
        int n = snprintf(name, sizeof name, "func_%d", i);
        ok &= ps_strpool_intern(&p, name, (size_t)n) == got[i];
    }
    CHECK(ok);
    CHECK(p.count == N);
    /* and it still grows past what was reserved */
    for (int i = N; i < 3 * N; i++) {
        int n = snprintf(name, sizeof name, "func_%d", i);
        ok &= ps_strpool_intern(&p, name, (size_t)n) != NULL;
    }
    CHECK(ok && p.count == 3 * N && p.nslots > slots && p.nslots >= 2 * p.count);
    free(got);
    ps_strpool_free(&p);
}

/* Python's len() of UTF-8 text, a byte at a time: the reference for
 * ps_utf8_length, which reads ASCII eight bytes a step. */
static size_t cplen_ref(const unsigned char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; n++) {
        size_t k = s[i] < 0x80 ? 1 : (s[i] & 0xE0) == 0xC0 ? 2 : (s[i] & 0xF0) == 0xE0 ? 3
                 : (s[i] & 0xF8) == 0xF0 ? 4 : 1;
        if (k > 1 && i + k > len)
            k = 1;
        for (size_t j = 1; j < k; j++)
            if ((s[i + j] & 0xC0) != 0x80) {
                k = 1;
                break;
            }
        i += k;
    }
    return n;
}

/* Code points of every length 0..MAXLEN of ASCII, then with a two-byte
 * character, a lone continuation byte or a cut-off sequence at each
 * position (before, inside and after the whole 8-byte words); strings made
 * by ps_str_new carry the same count and hash as interned ones. */
static void test_code_points(void)
{
    static const char *const inserts[] = {"\xc3\xa9", "\x80", "\xe2\x82", "\xf0\x9f\x98\x80"};
    int ok = 1;
    char buf[MAXLEN + 8];
    for (size_t len = 0; len <= MAXLEN; len++) {
        memset(buf, 'a', len);
        ok &= ps_utf8_length(buf, len) == len;
        for (size_t in = 0; in < sizeof inserts / sizeof *inserts; in++)
            for (size_t at = 0; at <= len; at++) {
                size_t il = strlen(inserts[in]);
                memset(buf, 'a', len + il);
                memcpy(buf + at, inserts[in], il);
                size_t want = cplen_ref((const unsigned char *)buf, len + il);
                ok &= ps_utf8_length(buf, len + il) == want;
            }
    }
    CHECK(ok);
    CHECK(ps_utf8_length("\xc3\xa9x", 3) == 2 && ps_utf8_length("abcdefgh\xe2\x82\xac", 11) == 9);
    arena a;
    ps_arena_init(&a);
    strpool p;
    ps_strpool_init(&p);
    const ps_str *c = ps_str_new(&a, "abcdefgh\xe2\x82\xac", 11);
    const ps_str *i = ps_strpool_intern(&p, "abcdefgh\xe2\x82\xac", 11);
    CHECK(c && i && c != i && c->len == 11 && c->cplen == 9 && i->cplen == 9 &&
          c->hash == i->hash && c->s[11] == '\0' && ps_strpool_intern_str(&p, c) == i);
    ps_strpool_free(&p);
    ps_arena_free(&a);
}

int main(void)
{
    test_lengths();
    test_reserve();
    test_code_points();
    return TEST_SUMMARY();
}
