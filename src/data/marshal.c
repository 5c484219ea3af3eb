/* marshal.c - the marshal reader (see pstats(5), sections MARSHAL FORMAT and
 * CODE OBJECTS; CPython's Python/marshal.c is the reference).
 *
 * Every failure reports two things: our own line (byte offset, what was
 * expected) and the exception CPython 3.11+ raises for the same bytes, which
 * the browser prints where `python -m pstats` prints it.
 *
 * Somewhat over 1000 lines, as one file on purpose: read_obj recurses through
 * sequences, dicts and code objects with static inline fast paths
 * (read_scalar, ref_get) that the hot loop needs inlined; the inputs (mapping,
 * gunzip) are in marshal_input.c. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>
#include "base/grow.h"
#include "data/marshal_tune.h"
#include "pstats/marshal.h"

#define FLAG_REF 0x80
#define MAX_DEPTH 2000          /* CPython's MAX_MARSHAL_STACK_DEPTH */

enum { SLOT_RESERVED = 0xFF, SLOT_BUILDING = 0xFE, SLOT_STREAMED = 0xFD, SLOT_UNKEPT = 0xFC };

enum { LAYOUT_UNKNOWN, LAYOUT_311, LAYOUT_38, LAYOUT_36, LAYOUT_27 };

/* One slot of the back-reference table: a type byte and a value, packed to
 * 9 bytes so that resolving a reference touches one cache line, not two. */
typedef struct __attribute__((packed)) ref_slot {
    uint8_t type;
    mobj_value val;
} ref_slot;

struct marshal_reader {
    const unsigned char *buf;
    size_t len, pos;
    arena persist, scratch;     /* flagged objects; the current item's others */
    /* The FLAG_REF table, in pre-order: a type byte and a value per slot
     * (a million slots in big dumps; a tuple's or list's length lives in its
     * header, items[-1]). */
    ref_slot *refs;
    size_t nrefs, caprefs;
    const ps_str **py2;         /* Python 2 interned strings, for 'R' */
    size_t npy2, cappy2;
    /* Items that the sequences being read still owe: each takes a byte at
     * least, so they hold that many of the bytes left (see read_seq). */
    size_t owed;
    int depth;
    int keep;                   /* > 0 inside a flagged object: allocate in persist */
    int code_layout;
    mobj *pairs;                /* read_dict_items' buffers, reused */
    size_t *pair_ats, pairs_cap;
    int pairs_busy;
};

/* ---- errors -------------------------------------------------------------- */

static int fail(marshal_reader *r, ps_error *e, size_t at, const char *exc,
                const char *pymsg, const char *fmt, const char *what)
{
    ps_error_set(e, PS_EFORMAT, (long long)at, fmt, what);
    ps_error_py(e, exc, "%s", pymsg);
    (void)r;
    return -1;
}

static int fail_eof_object(marshal_reader *r, ps_error *e)
{
    return fail(r, e, r->pos, "EOFError", "EOF read where object expected",
                "truncated: expected %s, the file ends here", "an object's type byte");
}

static int fail_eof_field(marshal_reader *r, ps_error *e, size_t at, const char *what)
{
    return fail(r, e, at, "EOFError", "EOF read where not expected",
                "truncated: expected %s, the file ends here", what);
}

static int fail_bad(marshal_reader *r, ps_error *e, size_t at, const char *pymsg,
                    const char *what)
{
    char py[128];
    snprintf(py, sizeof py, "bad marshal data (%s)", pymsg);
    return fail(r, e, at, "ValueError", py, "%s", what);
}

static int fail_nomem(marshal_reader *r, ps_error *e)
{
    ps_error_set(e, PS_ENOMEM, (long long)r->pos, "out of memory");
    ps_error_py(e, "MemoryError", "%s", "");
    return -1;
}

/* ---- primitive fields ---------------------------------------------------- */

static int need(marshal_reader *r, size_t n)
{
    return r->len - r->pos >= n;
}

static int read_u8(marshal_reader *r, ps_error *e, unsigned *out, const char *what)
{
    if (!need(r, 1))
        return fail_eof_field(r, e, r->pos, what);
    *out = r->buf[r->pos++];
    return 0;
}

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const unsigned char *p)
{
    return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

static int read_long32(marshal_reader *r, ps_error *e, int32_t *out, const char *what)
{
    if (!need(r, 4))
        return fail_eof_field(r, e, r->pos, what);
    uint32_t v = le32(r->buf + r->pos);
    memcpy(out, &v, 4);
    r->pos += 4;
    return 0;
}

static arena *alloc_arena(marshal_reader *r)
{
    return r->keep > 0 ? &r->persist : &r->scratch;
}

static mobj *alloc_items(marshal_reader *r, ps_error *e, size_t n)
{
    if (n > SIZE_MAX / sizeof(mobj))
        return fail_nomem(r, e), NULL;
    mobj *items = ps_arena_alloc(alloc_arena(r), n * sizeof(mobj));
    if (!items)
        return fail_nomem(r, e), NULL;
    memset(items, 0, n * sizeof(mobj));
    return items;
}

/* ---- reference table ----------------------------------------------------- */

static int ref_reserve(marshal_reader *r, ps_error *e, size_t *idx)
{
    if (r->nrefs == r->caprefs) {
        /* by half, not doubled: the table runs to millions of slots */
        size_t cap = r->caprefs ? r->caprefs + r->caprefs / 2 : 1024;
        if (ps_resize(&r->refs, cap, sizeof *r->refs) < 0)
            return fail_nomem(r, e);
        r->caprefs = cap;
    }
    *idx = r->nrefs++;
    r->refs[*idx].type = SLOT_RESERVED;
    return 0;
}

/* A small hashable tuple's length rides in its slot's type byte (high
 * nibble: n + 1), so resolving a reference to a key does not wait on the
 * tuple's memory; unhashable ones (rare) keep the header lookup. */
#define SMALL_TUPLE_MAX 13

static void ref_set(marshal_reader *r, size_t idx, const mobj *o)
{
    uint8_t t = o->type;
    if (t == MO_TUPLE && o->n <= SMALL_TUPLE_MAX && !o->unhashable)
        t = (uint8_t)(((o->n + 1) << 4) | MO_TUPLE);
    r->refs[idx].type = t;
    memcpy(&r->refs[idx].val, &o->u, sizeof o->u);
}

static inline void ref_get(const marshal_reader *r, size_t idx, mobj *out)
{
    uint8_t t = r->refs[idx].type;
    memcpy(&out->u, &r->refs[idx].val, sizeof out->u);
    out->type = t & 0x0F;
    out->unhashable = 0;
    out->n = 0;
    if (t >= 0x10) {
        out->n = (uint32_t)(t >> 4) - 1;
    } else if (t == MO_TUPLE || t == MO_LIST) {
        out->n = out->u.items[-1].n;
        out->unhashable = t == MO_TUPLE && (out->u.items[-1].type & 1);
    }
}

static int py2_append(marshal_reader *r, ps_error *e, const ps_str *s)
{
    if (ps_grow(&r->py2, &r->cappy2, r->npy2 + 1, sizeof *r->py2) < 0)
        return fail_nomem(r, e);
    r->py2[r->npy2++] = s;
    return 0;
}

/* ---- objects ------------------------------------------------------------- */

static int read_obj(marshal_reader *r, mobj *out, ps_error *e);

/* A string is a copy of its own in a (the reader's user interns it where it
 * wants it): the parser never waits on a string table. */
static int read_string(marshal_reader *r, ps_error *e, int short_len, const char *negmsg,
                       arena *a, const ps_str **out)
{
    size_t at = r->pos;
    size_t n;
    if (short_len) {
        unsigned u;
        if (read_u8(r, e, &u, "a 1-byte string length") < 0)
            return -1;
        n = u;
    } else {
        int32_t l;
        if (read_long32(r, e, &l, "a 4-byte string length") < 0)
            return -1;
        if (l < 0)
            return fail_bad(r, e, at, negmsg, "negative string length");
        n = (size_t)l;
    }
    if (!need(r, n)) {
        char what[96];
        snprintf(what, sizeof what, "%zu bytes of string data (only %zu left)", n,
                 r->len - r->pos);
        return fail_eof_field(r, e, r->pos, what);
    }
    *out = ps_str_new(a, (const char *)r->buf + r->pos, n);
    if (!*out)
        return fail_nomem(r, e);
    r->pos += n;
    return 0;
}

static int read_long_obj(marshal_reader *r, mobj *out, ps_error *e)
{
    size_t at = r->pos;
    int32_t n;
    if (read_long32(r, e, &n, "a long's digit count") < 0)
        return -1;
    if (n < -0x7fffffff || n > 0x7fffffff)
        return fail_bad(r, e, at, "long size out of range", "long size out of range");
    size_t nd = n < 0 ? (size_t)(-(int64_t)n) : (size_t)n;
    if (!need(r, nd * 2))
        return fail_eof_field(r, e, r->pos, "the digits of a long");
    /* Digits are base 2**15, least significant first. */
    uint64_t mag = 0;
    double approx = 0.0, scale = 1.0;
    int big = 0;
    for (size_t i = 0; i < nd; i++) {
        unsigned d = r->buf[r->pos] | (unsigned)r->buf[r->pos + 1] << 8;
        if (d > 0x7FFF)
            return fail_bad(r, e, r->pos, "digit out of range in long",
                            "digit out of range in long");
        if (i == nd - 1 && d == 0)
            return fail_bad(r, e, r->pos, "unnormalized long data", "unnormalized long data");
        r->pos += 2;
        approx += d * scale;
        scale *= 32768.0;
        if (i < 5 && !big) {
            uint64_t part = (uint64_t)d << (15 * i);
            if (i == 4 && d >= (1u << 3)) {   /* 60 + 4 bits would pass 2**63 */
                if (n == -5 && d == (1u << 3) && mag == 0)
                    mag = (uint64_t)1 << 63;   /* -2**63 itself fits */
                else
                    big = 1;
            } else {
                mag |= part;
            }
        } else if (d) {
            big = 1;
        }
    }
    if (big) {
        out->type = MO_BIGINT;
        out->u.f = n < 0 ? -approx : approx;
    } else {
        out->type = MO_INT;
        /* negated as unsigned: -(int64_t)mag is undefined for 2**63 */
        out->u.i = n < 0 ? (int64_t)(0 - mag) : (int64_t)mag;
    }
    return 0;
}

static int read_float_text(marshal_reader *r, mobj *out, ps_error *e)
{
    unsigned n;
    if (read_u8(r, e, &n, "a float's text length") < 0)
        return -1;
    if (!need(r, n))
        return fail_eof_field(r, e, r->pos, "a float's text");
    char buf[257], *end;
    memcpy(buf, r->buf + r->pos, n);
    buf[n] = '\0';
    size_t at = r->pos;
    r->pos += n;
    errno = 0;
    double v = strtod(buf, &end);
    if (n == 0 || *end != '\0' || strchr(buf, 'x') || strchr(buf, 'X')) {
        ps_error_set(e, PS_EFORMAT, (long long)at, "bad float text '%s'", buf);
        ps_error_py(e, "ValueError", "could not convert string to float: '%s'", buf);
        return -1;
    }
    out->type = MO_FLOAT;
    out->u.f = v;
    return 0;
}

static int unhashable(const mobj *o)
{
    if (o->type == MO_LIST || o->type == MO_DICT)
        return 1;
    if (o->type == MO_OTHER && o->n == 1)   /* set */
        return 1;
    return o->type == MO_TUPLE && o->unhashable;   /* computed when read */
}

/* The items that make up most of a dump -- the numbers of every stats tuple
 * (flagged or not), and references to numbers and strings read before --
 * decoded here without a call to read_obj.  Anything else, or anything that
 * would fail, returns 0 and takes the general path, which reports it.  out
 * is zeroed. */
static inline int read_scalar(marshal_reader *r, mobj *out)
{
    const unsigned char *p = r->buf + r->pos;
    size_t left = r->len - r->pos;
    unsigned code = left ? p[0] & ~FLAG_REF : 0;
    int flagged = left && (p[0] & FLAG_REF);
    if (flagged && r->nrefs == r->caprefs)
        return 0;
    if (code == 'g' && left >= 9) {
        uint64_t v = le64(p + 1);
        out->type = MO_FLOAT;
        memcpy(&out->u.f, &v, 8);
        r->pos += 9;
    } else if (code == 'i' && left >= 5) {
        uint32_t v = le32(p + 1);
        int32_t l;
        memcpy(&l, &v, 4);
        out->type = MO_INT;
        out->u.i = l;
        r->pos += 5;
    } else if (code == 'r' && !flagged && left >= 5) {
        uint32_t v = le32(p + 1);
        uint8_t t = v < r->nrefs ? r->refs[v].type : MO_NULL;
        if (t < MO_NONE || t > MO_BYTES)
            return 0;
        ref_get(r, v, out);
        r->pos += 5;
    } else {
        return 0;
    }
    if (flagged)   /* nothing nested: the slot is the one read_obj would reserve */
        ref_set(r, r->nrefs++, out);
    return 1;
}

static int read_seq(marshal_reader *r, mobj *out, ps_error *e, size_t n, int type,
                    const char *kind, int flagged, size_t idx)
{
    /* Every item takes at least one byte, and so does every item that the
     * enclosing sequences still owe: a lying count cannot allocate more than
     * the input could fill.  Counting only the bytes left (not what the
     * enclosing sequences owe) let each of 2000 nested tuples claim the whole
     * rest of the file: 3 GB and 30 s for a 200 kB file.  Now the slots of all
     * open sequences together never outnumber the file's bytes. */
    size_t left = r->len - r->pos;
    size_t avail = left > r->owed ? left - r->owed : 0;
    if (n > avail) {
        char what[128];
        if (avail == left)
            snprintf(what, sizeof what, "%zu items of a %s (only %zu bytes left)", n, kind,
                     left);
        else
            snprintf(what, sizeof what,
                     "%zu items of a %s (%zu bytes left, of which the enclosing "
                     "containers' other items need %zu)", n, kind, left, left - avail);
        return fail(r, e, r->pos, "EOFError", "EOF read where object expected",
                    "truncated: expected %s", what);
    }
    /* Tuples and lists carry a hidden header slot before their items: their
     * length (n), whether they are unhashable (type bit 0), and a cache for
     * the reader's user (u.i, see ps_mobj_tuple_cache). */
    int hdr = type == MO_TUPLE || type == MO_LIST;
    mobj *items = alloc_items(r, e, n + (size_t)hdr ? n + (size_t)hdr : 1);
    if (!items)
        return -1;
    items += hdr;
    if (hdr)
        items[-1].n = (uint32_t)n;
    out->type = (uint8_t)type;
    out->n = (uint32_t)n;
    out->u.items = items;
    if (flagged)
        ref_set(r, idx, out);    /* a tuple may refer to itself */
    int bad = 0, scalars = r->depth < MAX_DEPTH;
    size_t owed = r->owed;
    r->owed += n;
    for (size_t i = 0; i < n; i++) {
        r->owed--;          /* item i is being read: its bytes are its own */
        if (scalars && read_scalar(r, &items[i]))
            continue;
        size_t at = r->pos;
        if (read_obj(r, &items[i], e) < 0) {
            r->owed = owed;
            return -1;
        }
        if (items[i].type == MO_NULL) {
            char py[64];
            snprintf(py, sizeof py, "NULL object in marshal data for %s", kind);
            ps_error_set(e, PS_EFORMAT, (long long)at, "unexpected '0' inside a %s", kind);
            ps_error_py(e, "TypeError", "%s", py);
            r->owed = owed;
            return -1;
        }
        bad |= unhashable(&items[i]);
    }
    r->owed = owed;
    if (type == MO_TUPLE) {
        items[-1].type = (uint8_t)bad;
        out->unhashable = (uint8_t)bad;
    }
    return 0;
}

static const char *unhashable_name(const mobj *o)
{
    /* hash(tuple) hashes the items in order, so the first unhashable item
     * raises: follow that item down.  The flag says which tuples hold one,
     * so this is one path, not a walk -- a tuple can hold the same tuple
     * twice by reference, 2000 levels deep (2**2000 paths). */
    while (o->type == MO_TUPLE) {
        const mobj *next = NULL;
        for (uint32_t i = 0; i < o->n && !next; i++)
            if (unhashable(&o->u.items[i]))
                next = &o->u.items[i];
        if (!next)
            return NULL;
        o = next;
    }
    if (o->type == MO_LIST)
        return "list";
    if (o->type == MO_DICT)
        return "dict";
    if (o->type == MO_OTHER && o->n == 1)
        return "set";
    return NULL;
}

static int ref_resolve(marshal_reader *r, int32_t l, size_t at, mobj *out, ps_error *e)
{
    if (l >= 0 && (size_t)l < r->nrefs && r->refs[l].type == SLOT_UNKEPT) {
        ps_error_set(e, PS_EFORMAT, (long long)at,
                     "a back-reference to a dict, which profile dumps never "
                     "contain (not supported)");
        return ps_error_py(e, "ValueError", "bad marshal data (invalid reference)"), -1;
    }
    if (l < 0 || (size_t)l >= r->nrefs || r->refs[l].type >= SLOT_STREAMED)
        return fail_bad(r, e, at, "invalid reference",
                        "a reference to an object not read (or not finished) yet");
    ref_get(r, (size_t)l, out);
    return 0;
}

/* CPython's TypeError when it inserts an unhashable key (read at `at`). */
static int check_key(const mobj *k, size_t at, ps_error *e)
{
    if (!unhashable(k))
        return 0;
    ps_error_set(e, PS_EFORMAT, (long long)at, "a dict key is unhashable");
    return ps_error_py(e, "TypeError", "unhashable type: '%s'", unhashable_name(k)), -1;
}

/* The keys of n pairs, in order: the first unhashable one wins. */
static int check_keys(const mobj *pairs, const size_t *ats, size_t n, ps_error *e)
{
    for (size_t i = 0; i < n; i++)
        if (check_key(&pairs[2 * i], ats[i], e) < 0)
            return -1;
    return 0;
}

/* After a dict's pairs (failed: reading the next one failed, e says why):
 * the first problem in file order, as CPython meets them (a key's hash after
 * its value).  Never inlined: its error copy must not sit in the frames of
 * the recursive readers (a dump may nest 2000 levels deep). */
static __attribute__((noinline)) int finish_dict(const mobj *pairs, const size_t *ats, size_t n,
                                                 int failed, ps_error *e)
{
    ps_error fe;
    if (failed)
        fe = *e;
    if (check_keys(pairs, ats, n, e) < 0)
        return -1;
    if (failed) {
        *e = fe;
        return -1;
    }
    return 0;
}

/* Read key/value pairs until the '0' in key position.  A '0' in value
 * position ends the dict too and drops that key, as CPython does. */
static int read_dict_items(marshal_reader *r, mobj *out, ps_error *e)
{
    /* The outermost dict being read borrows the reader's buffers; nested ones
     * (never in profile data) get their own. */
    int borrowed = !r->pairs_busy;
    mobj *pairs = borrowed ? r->pairs : NULL;
    size_t *ats = borrowed ? r->pair_ats : NULL;
    size_t n = 0, cap = borrowed ? r->pairs_cap : 0;
    int rc = -1, failed = 0;
    r->pairs_busy = 1;
    for (;;) {
        mobj k, v;
        size_t at = r->pos;
        if (read_obj(r, &k, e) < 0) {
            failed = 1;
            break;
        }
        if (k.type == MO_NULL)
            break;
        failed = read_obj(r, &v, e) < 0;
        if (failed || v.type == MO_NULL)
            break;   /* a '0' value drops its key, as CPython does */
        if (n == cap) {   /* two arrays, one capacity: a pair and where it was */
            size_t ncap = ps_grow_cap(cap, n + 1);
            if (ps_resize(&pairs, 2 * ncap, sizeof *pairs) < 0 ||
                ps_resize(&ats, ncap, sizeof *ats) < 0) {
                fail_nomem(r, e);
                goto done;
            }
            cap = ncap;
        }
        pairs[2 * n] = k;
        pairs[2 * n + 1] = v;
        ats[n] = at;
        n++;
    }
    if (finish_dict(pairs, ats, n, failed, e) < 0)
        goto done;
    if (n > UINT32_MAX / 2) {
        fail_nomem(r, e);
        goto done;
    }
    out->type = MO_DICT;
    out->n = (uint32_t)n;
    out->u.items = alloc_items(r, e, n ? 2 * n : 1);
    if (!out->u.items)
        goto done;
    if (n)
        memcpy(out->u.items, pairs, 2 * n * sizeof *pairs);
    rc = 0;
done:
    if (borrowed) {
        r->pairs = pairs;
        r->pair_ats = ats;
        r->pairs_cap = cap;
        r->pairs_busy = 0;
    } else {
        free(pairs);
        free(ats);
    }
    return rc;
}

static int is_bytes_like(const mobj *o) { return o->type == MO_BYTES || o->type == MO_STR; }

static uint32_t fnv1a(const ps_str *s)
{
    uint32_t h = 2166136261u;
    for (uint32_t i = 0; i < s->len; i++)
        h = (h ^ (unsigned char)s->s[i]) * 16777619u;
    return h;
}

/* "<code object NAME at 0x..., file "F", line N>".  The address is the
 * run-time one in CPython; ours is derived from the content (by a hash of
 * its own, so it does not change with the string table's), so equal code
 * objects print (and compare) alike.  Not inlined: its buffer must not sit
 * in the frames of the recursive readers. */
static __attribute__((noinline)) const ps_str *code_repr(arena *a, const mcode *c)
{
    uint32_t fh = fnv1a(c->filename);
    uint32_t h1 = fnv1a(c->name) ^ (fh * 31u) ^ (uint32_t)c->firstlineno * 2654435761u;
    uint32_t h2 = fh + (uint32_t)c->name->len;
    char buf[512];
    int len = snprintf(buf, sizeof buf, "<code object %.*s at 0x7f%02x%08x, file \"%.*s\", line %d>",
                       (int)(c->name->len > 200 ? 200 : c->name->len), c->name->s, h2 & 0xff, h1,
                       (int)(c->filename->len > 200 ? 200 : c->filename->len), c->filename->s,
                       (int)c->firstlineno);
    return ps_str_new(a, buf, (size_t)len < sizeof buf ? (size_t)len : sizeof buf - 1);
}

static int read_code_layout(marshal_reader *r, mobj *out, ps_error *e, int layout)
{
    static const int nints[] = {0, 5, 6, 5, 4};
    /* Object fields after the ints; 'B' bytes-like, 'T' tuple, 'S' string,
     * 'L' the raw int32 firstlineno, 'O' anything. */
    static const char *const shapes[] = {
        "", "BTTTBSSSLBB", "BTTTTTSSLB", "BTTTTTSSLB", "BTTTTTSSLB",
    };
    int32_t tmp, firstlineno = 0;
    for (int i = 0; i < nints[layout]; i++)
        if (read_long32(r, e, &tmp, "a code object field") < 0)
            return -1;
    mobj name = {0}, filename = {0};
    int nstr = 0;
    for (const char *s = shapes[layout]; *s; s++) {
        if (*s == 'L') {
            if (read_long32(r, e, &firstlineno, "a code object's first line") < 0)
                return -1;
            continue;
        }
        mobj o;
        size_t at = r->pos;
        if (read_obj(r, &o, e) < 0)
            return -1;
        int ok = *s == 'B' ? is_bytes_like(&o) : *s == 'T' ? o.type == MO_TUPLE
               : *s == 'S' ? is_bytes_like(&o) : 1;
        if (!ok)
            return fail_bad(r, e, at, "code object", "a code object field of the wrong type");
        if (*s == 'S') {
            if (nstr == 0)
                filename = o;
            else if (nstr == 1)
                name = o;
            nstr++;
        }
    }
    mcode *c = ps_arena_alloc(&r->persist, sizeof *c);
    if (!c)
        return fail_nomem(r, e);
    c->name = name.u.s;
    c->filename = filename.u.s;
    c->firstlineno = firstlineno;
    if (!(c->repr = code_repr(&r->persist, c)))
        return fail_nomem(r, e);
    out->type = MO_CODE;
    out->u.code = c;
    return 0;
}

static int read_code(marshal_reader *r, mobj *out, ps_error *e)
{
    if (r->code_layout != LAYOUT_UNKNOWN)
        return read_code_layout(r, out, e, r->code_layout);
    /* The layout depends on the writer's version; try each, newest first, and
     * keep the first that parses for the rest of the input. */
    size_t pos = r->pos, nrefs = r->nrefs, npy2 = r->npy2;
    ps_error first;
    ps_error_clear(&first);
    for (int layout = LAYOUT_311; layout <= LAYOUT_27; layout++) {
        r->code_layout = layout;
        if (read_code_layout(r, out, e, layout) == 0)
            return 0;
        if (layout == LAYOUT_311)
            first = *e;
        if (e->code == PS_ENOMEM)
            return -1;
        r->pos = pos;
        r->nrefs = nrefs;
        r->npy2 = npy2;
    }
    r->code_layout = LAYOUT_UNKNOWN;
    *e = first;
    return -1;
}

static int read_obj(marshal_reader *r, mobj *out, ps_error *e)
{
    memset(out, 0, sizeof *out);
    if (r->pos >= r->len)
        return fail_eof_object(r, e);
    size_t at = r->pos;
    unsigned code = r->buf[r->pos++];
    int flagged = (code & FLAG_REF) != 0;
    code &= ~FLAG_REF;
    if (++r->depth > MAX_DEPTH) {
        r->depth--;
        return fail(r, e, at, "ValueError", "recursion limit exceeded",
                    "%s", "objects nested deeper than 2000 levels");
    }
    size_t idx = 0;
    /* A flagged object may be referenced again, so it and what it contains
     * must outlive the current item -- except dicts: no pstats writer ever
     * refers to a dict twice, and keeping every flagged callers dict (some
     * writers flag them all) would keep the whole dump in memory. */
    int keep = flagged && code != '{';
    if (flagged) {
        if (ref_reserve(r, e, &idx) < 0)
            goto err;
        r->keep += keep;
    }
    int rc = 0;
    int32_t l;
    switch (code) {
    case '0': out->type = MO_NULL; break;
    case 'N': out->type = MO_NONE; break;
    case 'T': out->type = MO_BOOL; out->u.i = 1; break;
    case 'F': out->type = MO_BOOL; out->u.i = 0; break;
    case 'S': case '.': out->type = MO_OTHER; break;   /* StopIteration, Ellipsis */
    case 'i':
        rc = read_long32(r, e, &l, "a 4-byte int");
        out->type = MO_INT;
        out->u.i = l;
        break;
    case 'I':
        if (!need(r, 8)) {
            rc = fail_eof_field(r, e, r->pos, "an 8-byte int");
            break;
        }
        {
            uint64_t v = le64(r->buf + r->pos);
            r->pos += 8;
            out->type = MO_INT;
            memcpy(&out->u.i, &v, 8);
        }
        break;
    case 'l': rc = read_long_obj(r, out, e); break;
    case 'f': rc = read_float_text(r, out, e); break;
    case 'g':
        if (!need(r, 8)) {
            rc = fail_eof_field(r, e, r->pos, "an 8-byte float");
            break;
        }
        {
            uint64_t v = le64(r->buf + r->pos);
            r->pos += 8;
            out->type = MO_FLOAT;
            memcpy(&out->u.f, &v, 8);
        }
        break;
    case 'x': {   /* complex as two text floats */
        mobj re, im;
        rc = read_float_text(r, &re, e);
        if (rc == 0)
            rc = read_float_text(r, &im, e);
        out->type = MO_OTHER;
        break;
    }
    case 'y':
        if (!need(r, 16)) {
            rc = fail_eof_field(r, e, r->pos, "a 16-byte complex");
            break;
        }
        r->pos += 16;
        out->type = MO_OTHER;
        break;
    case 's':
        rc = read_string(r, e, 0, "bytes object size out of range", alloc_arena(r), &out->u.s);
        out->type = MO_BYTES;
        break;
    case 't':   /* interned: Python 2 appends it to the list 'R' refers to */
        rc = read_string(r, e, 0, "string size out of range", &r->persist, &out->u.s);
        out->type = MO_STR;
        if (rc == 0)
            rc = py2_append(r, e, out->u.s);
        break;
    case 'u': case 'a': case 'A':
        rc = read_string(r, e, 0, "string size out of range", alloc_arena(r), &out->u.s);
        out->type = MO_STR;
        break;
    case 'z': case 'Z':
        rc = read_string(r, e, 1, "string size out of range", alloc_arena(r), &out->u.s);
        out->type = MO_STR;
        break;
    case 'R':
        rc = read_long32(r, e, &l, "a string reference");
        if (rc == 0 && (l < 0 || (size_t)l >= r->npy2))
            rc = fail_bad(r, e, at, "string ref out of range",
                          "a Python 2 string reference to a string not yet read");
        if (rc == 0) {
            out->type = MO_STR;
            out->u.s = r->py2[l];
        }
        break;
    case '(': case ')': case '[': {
        size_t n;
        const char *kind = code == '[' ? "list" : "tuple";
        if (code == ')') {
            unsigned u;
            rc = read_u8(r, e, &u, "a 1-byte tuple size");
            n = u;
        } else {
            rc = read_long32(r, e, &l, code == '[' ? "a list size" : "a tuple size");
            if (rc == 0 && l < 0)
                rc = fail_bad(r, e, at, code == '[' ? "list size out of range"
                                                    : "tuple size out of range",
                              "negative container size");
            n = (size_t)(l < 0 ? 0 : l);
        }
        if (rc == 0)
            rc = read_seq(r, out, e, n, code == '[' ? MO_LIST : MO_TUPLE, kind, flagged, idx);
        break;
    }
    case '<': case '>': {   /* set, frozenset: read and keep only "a set" */
        rc = read_long32(r, e, &l, "a set size");
        if (rc == 0 && l < 0)
            rc = fail_bad(r, e, at, "set size out of range", "negative set size");
        if (rc == 0) {
            mobj tmp;
            rc = read_seq(r, &tmp, e, (size_t)l, MO_TUPLE, "set", 0, 0);
        }
        out->type = MO_OTHER;
        out->n = code == '<';     /* a set is unhashable, a frozenset is not */
        break;
    }
    case ':': {   /* slice (3.14) */
        mobj tmp;
        for (int i = 0; i < 3 && rc == 0; i++)
            rc = read_obj(r, &tmp, e);
        out->type = MO_OTHER;
        break;
    }
    case '{':
        if (flagged)
            r->refs[idx].type = SLOT_BUILDING;
        rc = read_dict_items(r, out, e);
        break;
    case 'c':
        rc = read_code(r, out, e);
        break;
    case 'r':
        rc = read_long32(r, e, &l, "a reference index");
        if (rc == 0)
            rc = ref_resolve(r, l, at, out, e);
        break;
    default: {
        char what[64];
        snprintf(what, sizeof what, "unknown type code 0x%02x", code | (flagged ? FLAG_REF : 0));
        rc = fail_bad(r, e, at, "unknown type code", what);
        break;
    }
    }
    if (flagged) {
        r->keep -= keep;
        if (rc == 0 && keep)
            ref_set(r, idx, out);
        else if (rc == 0)
            r->refs[idx].type = SLOT_UNKEPT;
    }
    r->depth--;
    return rc;
err:
    r->depth--;
    return -1;
}

/* ---- public API ---------------------------------------------------------- */

marshal_reader *ps_marshal_reader_new(const unsigned char *buf, size_t len)
{
    marshal_reader *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->buf = buf;
    r->len = len;
    ps_arena_init(&r->persist);
    ps_arena_init(&r->scratch);
    return r;
}

void ps_marshal_reader_free(marshal_reader *r)
{
    if (!r)
        return;
    ps_arena_free(&r->persist);
    ps_arena_free(&r->scratch);
    free(r->refs);
    free(r->py2);
    free(r->pairs);
    free(r->pair_ats);
    free(r);
}

size_t ps_marshal_reader_offset(const marshal_reader *r) { return r->pos; }

int ps_marshal_read_object(marshal_reader *r, mobj *out, ps_error *e)
{
    size_t at = r->pos;
    if (read_obj(r, out, e) < 0)
        return -1;
    if (out->type == MO_NULL) {
        ps_error_set(e, PS_EFORMAT, (long long)at, "a '0' (NULL) where an object was expected");
        ps_error_py(e, "TypeError", "NULL object in marshal data for object");
        return -1;
    }
    return 0;
}

int ps_marshal_peek_type(const marshal_reader *r)
{
    return r->pos < r->len ? r->buf[r->pos] & ~FLAG_REF : -1;
}

int ps_marshal_read_dict_begin(marshal_reader *r, ps_error *e)
{
    if (r->pos >= r->len)
        return fail_eof_object(r, e);
    unsigned code = r->buf[r->pos];
    if ((code & ~FLAG_REF) != '{')
        return ps_error_set(e, PS_EUSAGE, (long long)r->pos, "expected a dict");
    r->pos++;
    if (code & FLAG_REF) {
        size_t idx;
        if (ref_reserve(r, e, &idx) < 0)
            return -1;
        r->refs[idx].type = SLOT_STREAMED;
    }
    r->depth = 1;
    return 0;
}

int ps_marshal_read_dict_next(marshal_reader *r, mobj *key, mobj *value, ps_error *e)
{
    ps_arena_reset(&r->scratch);
    if (read_obj(r, key, e) < 0)
        return -1;
    if (key->type == MO_NULL)
        return 0;
    size_t at = r->pos;
    if (read_obj(r, value, e) < 0)
        return -1;
    if (value->type == MO_NULL)
        return 0;
    return check_key(key, at, e) < 0 ? -1 : 1;
}

int64_t *ps_mobj_tuple_cache(const mobj *tuple)
{
    return &tuple->u.items[-1].u.i;
}

const char *ps_mobj_type_name(const mobj *o)
{
    switch (o->type) {
    case MO_NONE: return "NoneType";
    case MO_BOOL: return "bool";
    case MO_INT: case MO_BIGINT: return "int";
    case MO_FLOAT: return "float";
    case MO_STR: return "str";
    case MO_BYTES: return "bytes";
    case MO_TUPLE: return "tuple";
    case MO_LIST: return "list";
    case MO_DICT: return "dict";
    case MO_CODE: return "code";
    case MO_OTHER: return o->n == 1 ? "set" : "object";
    default: return "NULL";
    }
}

int ps_mobj_truthy(const mobj *o)
{
    switch (o->type) {
    case MO_NONE: case MO_NULL: return 0;
    case MO_BOOL: case MO_INT: return o->u.i != 0;
    case MO_BIGINT: return 1;
    case MO_FLOAT: return o->u.f != 0.0;
    case MO_STR: case MO_BYTES: return o->u.s->len != 0;
    case MO_TUPLE: case MO_LIST: case MO_DICT: return o->n != 0;
    default: return 1;
    }
}
