/* test_jsonout.c - the one JSON string writer (src/base/jsonout.h) in its three
 * uses: plain JSON with bytes that are not UTF-8 as Latin-1 (speedscope), with
 * them as U+FFFD (profdiff --format json), and safe inside an HTML <script>
 * (prof2html's data block); and the UTF-8 decoder's three modes under it. */
#include <stdio.h>
#include <string.h>
#include "base/jsonout.h"
#include "test.h"

static const struct {
    const char *in;
    size_t len;          /* 0: strlen(in) */
    int how;
    const char *want;
} cases[] = {
    {"plain ascii", 0, 0, "\"plain ascii\""},
    {"q\"b\\", 0, 0, "\"q\\\"b\\\\\""},
    {"\x01\x1f\x7f", 0, 0, "\"\\u0001\\u001f\x7f\""},
    {"nul\0x", 5, 0, "\"nul\\u0000x\""},
    {"<a>&b", 0, 0, "\"<a>&b\""},
    {"<a>&b", 0, JSON_HTML_SAFE, "\"\\u003ca\\u003e\\u0026b\""},
    {"\xe2\x80\xa8\xe2\x80\xa9", 0, 0, "\"\xe2\x80\xa8\xe2\x80\xa9\""},
    {"\xe2\x80\xa8\xe2\x80\xa9", 0, JSON_HTML_SAFE, "\"\\u2028\\u2029\""},
    {"caf\xc3\xa9 \xf0\x9f\x98\x80", 0, JSON_HTML_SAFE, "\"caf\xc3\xa9 \xf0\x9f\x98\x80\""},
    /* bytes that start no well-formed sequence: a stray continuation byte, an
     * overlong form, a surrogate, past U+10FFFF, a truncated sequence */
    {"a\x80z", 0, 0, "\"a\\u0080z\""},
    {"a\x80z", 0, JSON_BAD_FFFD, "\"a\\ufffdz\""},
    {"\xc0\xaf", 0, 0, "\"\\u00c0\\u00af\""},
    {"\xed\xa0\x80", 0, JSON_BAD_FFFD, "\"\\ufffd\\ufffd\\ufffd\""},
    {"\xf4\x90\x80\x80", 0, JSON_BAD_FFFD | JSON_HTML_SAFE, "\"\\ufffd\\ufffd\\ufffd\\ufffd\""},
    {"\xe2\x82", 0, 0, "\"\\u00e2\\u0082\""},
    {"\xff<", 0, JSON_BAD_FFFD | JSON_HTML_SAFE, "\"\\ufffd\\u003c\""},
    /* U+FFFE and U+FFFF are well-formed UTF-8: JSON takes them as they are */
    {"\xef\xbf\xbe", 0, 0, "\"\xef\xbf\xbe\""},
};

int main(void)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        static outbuf b;
        ob_init(&b, NULL);
        size_t n = cases[i].len ? cases[i].len : strlen(cases[i].in);
        ob_json_str_as(&b, cases[i].in, n, cases[i].how);
        int ok = b.len == strlen(cases[i].want) && !memcmp(b.buf, cases[i].want, b.len);
        if (!ok)
            fprintf(stderr, "case %zu: got %.*s\n", i, (int)b.len, b.buf);
        CHECK(ok);
    }
    /* the decoder's modes on U+FFFF, a surrogate and an overlong slash */
    uint32_t cp;
    CHECK(utf8_decode((const unsigned char *)"\xef\xbf\xbf", 3, &cp, UTF8_VALID) == 3 && cp == 0xffff);
    CHECK(utf8_decode((const unsigned char *)"\xef\xbf\xbf", 3, &cp, UTF8_XML) == 0);
    CHECK(utf8_decode((const unsigned char *)"\xed\xa0\x80", 3, &cp, UTF8_LENIENT) == 3 && cp == 0xd800);
    CHECK(utf8_decode((const unsigned char *)"\xed\xa0\x80", 3, &cp, UTF8_VALID) == 0);
    CHECK(utf8_decode((const unsigned char *)"\xc0\xaf", 2, &cp, UTF8_LENIENT) == 2 && cp == '/');
    CHECK(utf8_decode((const unsigned char *)"\xc0\xaf", 2, &cp, UTF8_VALID) == 0);
    return TEST_SUMMARY();
}
