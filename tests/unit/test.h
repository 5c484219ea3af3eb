/* test.h - a minimal unit-test harness: CHECK records a failure and goes on;
 * main ends with TEST_SUMMARY(), which prints "N passed, N failed". */
#ifndef TEST_H
#define TEST_H
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int test_pass, test_fail;

#define CHECK(cond) do { \
    if (cond) test_pass++; \
    else { test_fail++; fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); } \
} while (0)

#define CHECK_STR(got, want) do { \
    const char *g_ = (got), *w_ = (want); \
    if (g_ && w_ && strcmp(g_, w_) == 0) test_pass++; \
    else { test_fail++; fprintf(stderr, "%s:%d: got \"%s\", want \"%s\"\n", __FILE__, __LINE__, \
                                g_ ? g_ : "(null)", w_ ? w_ : "(null)"); } \
} while (0)

/* The tests' random numbers: xorshift64, the same sequence on every run
 * (test_seed starts it elsewhere). */
static uint64_t test_rng = 88172645463325252u;
static inline void test_seed(uint64_t seed) { test_rng = seed; }
static inline uint64_t test_rand(void)
{
    test_rng ^= test_rng << 13;
    test_rng ^= test_rng >> 7;
    test_rng ^= test_rng << 17;
    return test_rng;
}

#define TEST_SUMMARY() (printf("%d passed, %d failed\n", test_pass, test_fail), test_fail != 0)

#endif
