/* marshal_write.c - the marshal writer: plain objects, and from version 3 the
 * FLAG_REF marks and back-references its caller asks for (see pstats(5),
 * section MARSHAL FORMAT). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/grow.h"
#include "pstats/marshal.h"
#include "pstats/sampled.h"

void ps_marshal_writer_init(marshal_writer *w, int version)
{
    memset(w, 0, sizeof *w);
    w->version = version;
}

void ps_marshal_writer_free(marshal_writer *w)
{
    free(w->buf);
    memset(w, 0, sizeof *w);
}

static void put(marshal_writer *w, const void *p, size_t n)
{
    if (w->failed)
        return;
    if (ps_grow(&w->buf, &w->cap, w->len + n, 1) < 0) {
        w->failed = 1;
        return;
    }
    memcpy(w->buf + w->len, p, n);
    w->len += n;
}

static void put_byte(marshal_writer *w, int b)
{
    unsigned char c = (unsigned char)b;
    put(w, &c, 1);
}

static void put_long32(marshal_writer *w, uint32_t v)
{
    unsigned char b[4] = {v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >> 24};
    put(w, b, 4);
}

/* An object's type byte, flagged when ps_marshal_write_flag_next asked. */
static void put_code(marshal_writer *w, int code)
{
    put_byte(w, code | (w->flag_next ? 0x80 : 0));
    w->flag_next = 0;
}

uint32_t ps_marshal_write_flag_next(marshal_writer *w)
{
    w->flag_next = 1;
    return w->nrefs++;
}

void ps_marshal_write_ref(marshal_writer *w, uint32_t index)
{
    put_byte(w, 'r');
    put_long32(w, index);
}

void ps_marshal_write_none(marshal_writer *w) { put_code(w, 'N'); }

void ps_marshal_write_int(marshal_writer *w, int64_t v)
{
    if (v >= INT32_MIN && v <= INT32_MAX) {
        put_code(w, 'i');
        put_long32(w, (uint32_t)(int32_t)v);
        return;
    }
    /* 'l': signed count of base-2**15 digits, least significant first. */
    uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    uint16_t digits[5];
    int n = 0;
    while (mag) {
        digits[n++] = (uint16_t)(mag & 0x7fff);
        mag >>= 15;
    }
    put_code(w, 'l');
    put_long32(w, (uint32_t)(int32_t)(v < 0 ? -n : n));
    for (int i = 0; i < n; i++) {
        unsigned char b[2] = {digits[i] & 0xff, digits[i] >> 8};
        put(w, b, 2);
    }
}

void ps_marshal_write_float(marshal_writer *w, double v)
{
    if (w->version >= 2) {
        uint64_t bits;
        memcpy(&bits, &v, 8);
        unsigned char b[8];
        for (int i = 0; i < 8; i++)
            b[i] = (unsigned char)(bits >> (8 * i));
        put_code(w, 'g');
        put(w, b, 8);
        return;
    }
    char text[40];
    int n = isnan(v) ? snprintf(text, sizeof text, "nan")
          : isinf(v) ? snprintf(text, sizeof text, v < 0 ? "-inf" : "inf")
          : snprintf(text, sizeof text, "%.17g", v);
    put_code(w, 'f');
    put_byte(w, n);
    put(w, text, (size_t)n);
}

/* Length of the UTF-8 sequence at p (CPython's 'u' decoding, surrogatepass:
 * encoded surrogates are accepted), or 0 if p does not start a valid one. */
static size_t utf8_seq(const unsigned char *p, size_t left)
{
    unsigned c = p[0];
    if (c < 0x80)
        return 1;
    size_t n = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
             : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    if (!n || n > left)
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] > 0x8F))
        return 0;   /* overlong, or past U+10FFFF */
    return n;
}

/* Text that is not UTF-8 (Python 2 byte strings, or bytes CPython decoded as
 * Latin-1 from an ASCII type code) would make marshal.load fail: its invalid
 * bytes are written as the Latin-1 characters they stand for. */
static void put_utf8_or_latin1(marshal_writer *w, const unsigned char *s, size_t len)
{
    size_t out = 0;
    for (size_t i = 0, n; i < len; i += n ? n : 1) {
        n = utf8_seq(s + i, len - i);
        out += n ? n : 2;
    }
    put_long32(w, (uint32_t)out);
    if (out == len) {
        put(w, s, len);
        return;
    }
    for (size_t i = 0, n; i < len; i += n) {
        n = utf8_seq(s + i, len - i);
        if (n) {
            put(w, s + i, n);
        } else {
            unsigned char b[2] = {(unsigned char)(0xC0 | s[i] >> 6), (unsigned char)(0x80 | (s[i] & 0x3F))};
            put(w, b, 2);
            n = 1;
        }
    }
}

void ps_marshal_write_str(marshal_writer *w, const char *s, size_t len)
{
    int ascii = 1;
    for (size_t i = 0; i < len && ascii; i++)
        ascii = (unsigned char)s[i] < 0x80;
    if (!ascii) {
        put_code(w, 'u');
        put_utf8_or_latin1(w, (const unsigned char *)s, len);
        return;
    }
    if (w->version >= 4 && ascii && len < 256) {
        put_code(w, 'z');
        put_byte(w, (int)len);
    } else if (w->version >= 4 && ascii) {
        put_code(w, 'a');
        put_long32(w, (uint32_t)len);
    } else {
        put_code(w, 'u');
        put_long32(w, (uint32_t)len);
    }
    put(w, s, len);
}

void ps_marshal_write_tuple_begin(marshal_writer *w, uint32_t n)
{
    if (w->version >= 4 && n < 256) {
        put_code(w, ')');
        put_byte(w, (int)n);
    } else {
        put_code(w, '(');
        put_long32(w, n);
    }
}

void ps_marshal_write_dict_begin(marshal_writer *w) { put_code(w, '{'); }
void ps_marshal_write_dict_end(marshal_writer *w) { put_byte(w, '0'); }

void ps_marshal_write_code(marshal_writer *w, const mcode *c)
{
    ps_marshal_write_str(w, c->repr->s, c->repr->len);
}

/* The 3.15 sampler's marker: a ('__sampled__',): True item added to the
 * dict just written (pstats/sampled.h). */
int ps_marshal_sampled_marker(marshal_writer *w, ps_error *e)
{
    if (w->failed || !w->len || w->buf[w->len - 1] != '0')
        return ps_error_set(e, PS_EUSAGE, -1, "not a dump's dict to mark");
    w->len--;                              /* reopen the dict */
    ps_marshal_write_tuple_begin(w, 1);
    ps_marshal_write_str(w, "__sampled__", 11);
    ps_marshal_write_dict_end(w);             /* one byte, made the value True */
    if (!w->failed)
        w->buf[w->len - 1] = 'T';
    ps_marshal_write_dict_end(w);
    if (w->failed)
        return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
    return 0;
}
