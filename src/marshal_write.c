/* marshal_write.c - the marshal writer: no FLAG_REF and no back-references,
 * which every CPython reads identically (pstats-spec.md 2.3). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pstats/marshal.h"

void marshal_writer_init(marshal_writer *w, int version)
{
    memset(w, 0, sizeof *w);
    w->version = version;
}

void marshal_writer_free(marshal_writer *w)
{
    free(w->buf);
    memset(w, 0, sizeof *w);
}

static void put(marshal_writer *w, const void *p, size_t n)
{
    if (w->failed)
        return;
    if (w->len + n > w->cap) {
        size_t cap = w->cap ? w->cap : 4096;
        while (cap < w->len + n)
            cap *= 2;
        unsigned char *nb = realloc(w->buf, cap);
        if (!nb) {
            w->failed = 1;
            return;
        }
        w->buf = nb;
        w->cap = cap;
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

void marshal_write_none(marshal_writer *w) { put_byte(w, 'N'); }

void marshal_write_int(marshal_writer *w, int64_t v)
{
    if (v >= INT32_MIN && v <= INT32_MAX) {
        put_byte(w, 'i');
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
    put_byte(w, 'l');
    put_long32(w, (uint32_t)(int32_t)(v < 0 ? -n : n));
    for (int i = 0; i < n; i++) {
        unsigned char b[2] = {digits[i] & 0xff, digits[i] >> 8};
        put(w, b, 2);
    }
}

void marshal_write_float(marshal_writer *w, double v)
{
    if (w->version >= 2) {
        uint64_t bits;
        memcpy(&bits, &v, 8);
        unsigned char b[8];
        for (int i = 0; i < 8; i++)
            b[i] = (unsigned char)(bits >> (8 * i));
        put_byte(w, 'g');
        put(w, b, 8);
        return;
    }
    char text[40];
    int n = isnan(v) ? snprintf(text, sizeof text, "nan")
          : isinf(v) ? snprintf(text, sizeof text, v < 0 ? "-inf" : "inf")
          : snprintf(text, sizeof text, "%.17g", v);
    put_byte(w, 'f');
    put_byte(w, n);
    put(w, text, (size_t)n);
}

void marshal_write_str(marshal_writer *w, const char *s, size_t len)
{
    int ascii = 1;
    for (size_t i = 0; i < len && ascii; i++)
        ascii = (unsigned char)s[i] < 0x80;
    if (w->version >= 4 && ascii && len < 256) {
        put_byte(w, 'z');
        put_byte(w, (int)len);
    } else if (w->version >= 4 && ascii) {
        put_byte(w, 'a');
        put_long32(w, (uint32_t)len);
    } else {
        put_byte(w, 'u');
        put_long32(w, (uint32_t)len);
    }
    put(w, s, len);
}

void marshal_write_tuple_begin(marshal_writer *w, uint32_t n)
{
    if (w->version >= 4 && n < 256) {
        put_byte(w, ')');
        put_byte(w, (int)n);
    } else {
        put_byte(w, '(');
        put_long32(w, n);
    }
}

void marshal_write_dict_begin(marshal_writer *w) { put_byte(w, '{'); }
void marshal_write_dict_end(marshal_writer *w) { put_byte(w, '0'); }

void marshal_write_code(marshal_writer *w, const mcode *c)
{
    marshal_write_str(w, c->repr->s, c->repr->len);
}
