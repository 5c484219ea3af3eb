/* json_scan.c - a speedscope file's sample arrays found and read in its text (json_scan.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "base/grow.h"
#include "json_scan.h"

#define MAX_DEPTH 2048    /* jansson's own limit: deeper documents are its to refuse */

typedef struct scanner {
    const unsigned char *p;
    size_t n, i;
} scanner;

static void ws(scanner *s)
{
    while (s->i < s->n && (s->p[s->i] == ' ' || s->p[s->i] == '\t' || s->p[s->i] == '\n' ||
                           s->p[s->i] == '\r'))
        s->i++;
}

/* At '"': past the string; its raw text is p[*at .. *end) (without quotes). */
static int string(scanner *s, size_t *at, size_t *end)
{
    if (s->i >= s->n || s->p[s->i] != '"')
        return -1;
    *at = ++s->i;
    while (s->i < s->n && s->p[s->i] != '"')
        s->i += s->p[s->i] == '\\' ? 2 : 1;
    if (s->i >= s->n)
        return -1;
    *end = s->i++;
    return 0;
}

/* After an element: 1 past a ',' (another follows), 0 past the
 * container's close, -1 for anything else. */
static int next_or_close(scanner *s, unsigned char close)
{
    ws(s);
    if (s->i >= s->n)
        return -1;
    unsigned char c = s->p[s->i++];
    return c == ',' ? 1 : c == close ? 0 : -1;
}

/* An object's key and its ':'; the key's raw text p[*a .. *b). */
static int key(scanner *s, size_t *a, size_t *b)
{
    ws(s);
    if (string(s, a, b) < 0)
        return -1;
    ws(s);
    if (s->i >= s->n || s->p[s->i++] != ':')
        return -1;
    return 0;
}

/* A JSON number's text, exactly as the grammar has it; *integer: no
 * fraction and no exponent. */
static int number(scanner *s, int *integer)
{
    size_t i = s->i;
    const unsigned char *p = s->p;
    if (i < s->n && p[i] == '-')
        i++;
    if (i >= s->n || p[i] < '0' || p[i] > '9')
        return -1;
    if (p[i] == '0')
        i++;
    else
        while (i < s->n && p[i] >= '0' && p[i] <= '9')
            i++;
    *integer = 1;
    if (i < s->n && p[i] == '.') {
        *integer = 0;
        if (++i >= s->n || p[i] < '0' || p[i] > '9')
            return -1;
        while (i < s->n && p[i] >= '0' && p[i] <= '9')
            i++;
    }
    if (i < s->n && (p[i] == 'e' || p[i] == 'E')) {
        *integer = 0;
        i++;
        if (i < s->n && (p[i] == '+' || p[i] == '-'))
            i++;
        if (i >= s->n || p[i] < '0' || p[i] > '9')
            return -1;
        while (i < s->n && p[i] >= '0' && p[i] <= '9')
            i++;
    }
    s->i = i;
    return 0;
}

/* Any value, passed over loosely: jansson checks what is not taken out. */
static int value(scanner *s, int depth)
{
    ws(s);
    if (s->i >= s->n || depth > MAX_DEPTH)
        return -1;
    unsigned char c = s->p[s->i];
    size_t a, b;
    if (c == '"')
        return string(s, &a, &b);
    if (c == '{' || c == '[') {
        unsigned char close = c == '{' ? '}' : ']';
        s->i++;
        ws(s);
        if (s->i < s->n && s->p[s->i] == close) {
            s->i++;
            return 0;
        }
        int more;
        do {
            if ((c == '{' && key(s, &a, &b) < 0) || value(s, depth + 1) < 0)
                return -1;
        } while ((more = next_or_close(s, close)) == 1);
        return more;
    }
    /* a number or a literal: up to the next delimiter */
    while (s->i < s->n && !strchr(",]} \t\r\n", s->p[s->i]))
        s->i++;
    return 0;
}

/* A plain array at s->i ('['), its elements checked by elem: the span, or
 * -1 (s->i then undefined: the caller goes back). */
static int plain_array(scanner *s, int (*elem)(scanner *), ss_span *span)
{
    span->at = s->i;
    span->count = 0;
    if (s->i >= s->n || s->p[s->i] != '[')
        return -1;
    s->i++;
    ws(s);
    if (s->i < s->n && s->p[s->i] == ']') {
        span->end = ++s->i;
        return 0;
    }
    int more;
    do {
        ws(s);
        if (elem(s) < 0)
            return -1;
        span->count++;
    } while ((more = next_or_close(s, ']')) == 1);
    span->end = s->i;
    return more;
}

/* A frame index: digits without a sign, a fraction or an exponent, as
 * jansson reads them into an int64 (at most 18 digits: no overflow). */
static int index_elem(scanner *s)
{
    size_t at = s->i;
    int integer;
    if (number(s, &integer) < 0 || !integer || s->p[at] == '-' || s->i - at > 18)
        return -1;
    return 0;
}

static int sample_elem(scanner *s)
{
    ss_span inner;
    return plain_array(s, index_elem, &inner);
}

/* A weight: any number jansson reads without an error (integers of at most
 * 18 digits; reals strtod keeps finite) and that -0 is not (jansson's 0
 * there would differ from strtod's -0). */
static int weight_elem(scanner *s)
{
    size_t at = s->i;
    int integer;
    if (number(s, &integer) < 0)
        return -1;
    size_t digits = s->i - at - (s->p[at] == '-');
    if (integer)
        return digits > 18 || (s->p[at] == '-' && s->p[at + 1] == '0') ? -1 : 0;
    char tmp[64];
    if (s->i - at >= sizeof tmp)
        return -1;
    memcpy(tmp, s->p + at, s->i - at);
    tmp[s->i - at] = 0;
    errno = 0;
    double d = strtod(tmp, NULL);
    return errno == ERANGE && (d > 1 || d < -1) ? -1 : 0;
}

static int key_is(const scanner *s, size_t a, size_t b, const char *k)
{
    return b - a == strlen(k) && !memcmp(s->p + a, k, b - a);
}

/* One element of "profiles": an object whose plain "samples" and
 * "weights" are recorded; anything else passed over. */
static int profile(scanner *s, ss_raw *r, int *dup)
{
    ws(s);
    if (s->i >= s->n || s->p[s->i] != '{')
        return value(s, 2);
    s->i++;
    ws(s);
    if (s->i < s->n && s->p[s->i] == '}') {
        s->i++;
        return 0;
    }
    int have_s = 0, have_w = 0, ok_s = 0, ok_w = 0;
    int more;
    do {
        size_t a, b;
        if (key(s, &a, &b) < 0)
            return -1;
        ws(s);
        int is_s = key_is(s, a, b, "samples"), is_w = key_is(s, a, b, "weights");
        if ((is_s && have_s) || (is_w && have_w))
            *dup = 1;   /* jansson keeps the last: leave it all to jansson */
        size_t at = s->i;
        if (is_s || is_w) {
            int ok = plain_array(s, is_s ? sample_elem : weight_elem,
                                 is_s ? &r->samples : &r->weights) == 0;
            if (is_s)
                have_s = 1, ok_s = ok;
            else
                have_w = 1, ok_w = ok;
            if (!ok)
                s->i = at;
        }
        if (s->i == at && value(s, 3) < 0)
            return -1;
    } while ((more = next_or_close(s, '}')) == 1);
    if (more < 0)
        return -1;
    r->found = ok_s && ok_w;
    return 0;
}

static int cmp_span(const void *a, const void *b)
{
    const ss_span *x = a, *y = b;
    return (x->at > y->at) - (x->at < y->at);
}

void ps_ss_scan_free(ss_scan *sc)
{
    free(sc->prof);
    free(sc->skip);
    memset(sc, 0, sizeof *sc);
}

int ps_ss_scan_text(const unsigned char *buf, size_t len, ss_scan *sc)
{
    memset(sc, 0, sizeof *sc);
    scanner s = {buf, len, 0};
    if (len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3))
        return 0;   /* jansson's to refuse or take */
    ws(&s);
    if (s.i >= s.n || buf[s.i] != '{')
        return 0;
    s.i++;
    ws(&s);
    if (s.i < s.n && buf[s.i] == '}')
        return 0;
    int seen = 0, dup = 0;
    size_t cap = 0;
    int more;
    do {
        size_t a, b;
        if (key(&s, &a, &b) < 0)
            goto none;
        ws(&s);
        if (key_is(&s, a, b, "profiles") && seen++) {
            goto none;   /* jansson keeps the last */
        } else if (key_is(&s, a, b, "profiles") && s.i < s.n && buf[s.i] == '[') {
            s.i++;
            ws(&s);
            if (s.i < s.n && buf[s.i] == ']') {
                s.i++;
            } else {
                int more_p;
                do {
                    if (ps_grow(&sc->prof, &cap, sc->nprof + 1, sizeof *sc->prof) < 0) {
                        ps_ss_scan_free(sc);
                        return -1;
                    }
                    ss_raw *r = &sc->prof[sc->nprof++];
                    memset(r, 0, sizeof *r);
                    if (profile(&s, r, &dup) < 0)
                        goto none;
                } while ((more_p = next_or_close(&s, ']')) == 1);
                if (more_p < 0)
                    goto none;
            }
        } else if (value(&s, 1) < 0) {
            goto none;
        }
    } while ((more = next_or_close(&s, '}')) == 1);
    if (more < 0 || dup)
        goto none;
    size_t nfound = 0;
    for (size_t i = 0; i < sc->nprof; i++)
        nfound += sc->prof[i].found;
    if (!nfound)
        goto none;
    sc->skip = malloc(2 * nfound * sizeof *sc->skip);
    if (!sc->skip) {
        ps_ss_scan_free(sc);
        return -1;
    }
    for (size_t i = 0; i < sc->nprof; i++)
        if (sc->prof[i].found) {
            sc->skip[sc->nskip++] = sc->prof[i].samples;
            sc->skip[sc->nskip++] = sc->prof[i].weights;
        }
    qsort(sc->skip, sc->nskip, sizeof *sc->skip, cmp_span);
    return 0;
none:
    ps_ss_scan_free(sc);
    return 0;
}

void ps_ss_feed_init(ss_feed *f, const unsigned char *buf, size_t len, const ss_scan *sc)
{
    f->buf = buf;
    f->len = len;
    f->at = 0;
    f->sc = sc;
    f->next = 0;
}

size_t ps_ss_feed_read(void *out, size_t size, void *feed)
{
    ss_feed *f = feed;
    const ss_span *sp = f->next < f->sc->nskip ? &f->sc->skip[f->next] : NULL;
    if (sp && f->at == sp->at) {
        if (size < 2)
            return (size_t)-1;
        memcpy(out, "[]", 2);
        f->at = sp->end;
        f->next++;
        return 2;
    }
    size_t upto = sp ? sp->at : f->len;
    size_t n = upto - f->at < size ? upto - f->at : size;
    memcpy(out, f->buf + f->at, n);
    f->at += n;
    return n;
}

static void skip_ws(const unsigned char *p, size_t *pos)
{
    while (p[*pos] == ' ' || p[*pos] == '\t' || p[*pos] == '\n' || p[*pos] == '\r')
        (*pos)++;
}

/* Past '[' or ',' to the next element, or past ']' (0). */
static int next_elem(const unsigned char *p, size_t *pos)
{
    skip_ws(p, pos);
    if (p[*pos] == ']') {
        (*pos)++;
        return 0;
    }
    (*pos)++;   /* '[' or ',' */
    skip_ws(p, pos);
    if (p[*pos] == ']') {   /* "[]" */
        (*pos)++;
        return 0;
    }
    return 1;
}

int ps_ss_next_sample(const unsigned char *p, size_t *pos)
{
    return next_elem(p, pos);
}

int ps_ss_next_index(const unsigned char *p, size_t *pos, uint64_t *v)
{
    if (!next_elem(p, pos))
        return 0;
    uint64_t x = 0;
    while (p[*pos] >= '0' && p[*pos] <= '9')
        x = x * 10 + (uint64_t)(p[(*pos)++] - '0');
    *v = x;
    return 1;
}

int ps_ss_next_weight(const unsigned char *p, size_t *pos, double *v)
{
    if (!next_elem(p, pos))
        return 0;
    size_t at = *pos;
    int integer = 1;
    for (unsigned char c; (c = p[*pos]) && strchr("0123456789-+.eE", c); (*pos)++)
        if (c == '.' || c == 'e' || c == 'E')
            integer = 0;
    char tmp[64];   /* weight_elem took no longer number */
    size_t n = *pos - at;
    memcpy(tmp, p + at, n);
    tmp[n] = 0;
    /* as jansson: an integer is an int64 (then a double for the importer),
     * a real strtod's */
    *v = integer ? (double)strtoll(tmp, NULL, 10) : strtod(tmp, NULL);
    return 1;
}
