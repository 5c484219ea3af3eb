/* test_hardening.c - regression tests for what fuzzing and the corruption
 * tests found in the library (issue 6), one function per bug. */
#include <stdlib.h>
#include <string.h>
#include "pstats/marshal.h"
#include "pstats/stats.h"
#include "test.h"

/* An error message is one line: a float's text with a newline in it used to
 * be copied into the message as it was. */
static void test_error_one_line(void)
{
    strpool pool;
    strpool_init(&pool);
    static const unsigned char bytes[] = "f\x05" "1.\n2x";
    marshal_reader *r = marshal_reader_new(bytes, sizeof bytes - 1, &pool);
    mobj o;
    ps_error e;
    ps_error_clear(&e);
    CHECK(marshal_read_object(r, &o, &e) == -1);
    CHECK(strchr(e.msg, '\n') == NULL);
    CHECK(strstr(e.msg, "1.\\x0a2x") != NULL);
    marshal_reader_free(r);
    strpool_free(&pool);
}

int main(void)
{
    test_error_one_line();
    return TEST_SUMMARY();
}
