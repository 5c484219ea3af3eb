/* test_pipeline.c - the library's fast paths against their plain selves: the
 * loader's direct pass (load_direct.c) against the generic reader on every
 * real dump in tests/dumps, cut short and with bytes flipped, must give the
 * same stats or the same error; the callgrind writer on two threads
 * (write_body) the same bytes as on one. */
#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "pstats/callgrind.h"
#include "pstats/marshal.h"
#include "pstats/stats.h"
#include "data/stats_internal.h"
#include "output/callgrind_internal.h"
#include "test.h"

typedef struct outcome {
    int rc;
    ps_error e;
    ps_stats *s;
} outcome;

/* direct: the one pass of load_direct.c where it takes the input; 0: the
 * generic reader alone. */
static outcome load(const unsigned char *buf, size_t len, int direct)
{
    outcome o;
    o.s = ps_stats_new();
    ps_error_clear(&o.e);
    marshal_input in = {(unsigned char *)buf, len, 0, -1, 0, 0};
    o.rc = ps_stats_load_swap_with(o.s, &in, "t.prof", direct, &o.e);
    return o;
}

static int same_name(const ps_stats *a, uint32_t fa, const ps_stats *b, uint32_t fb)
{
    char x[1024], y[1024];
    ps_stats_std_name(a, fa, x, sizeof x);
    ps_stats_std_name(b, fb, y, sizeof y);
    return strcmp(x, y) == 0 && a->funcs[fa].name_is_code == b->funcs[fb].name_is_code &&
           a->funcs[fa].file_is_bytes == b->funcs[fb].file_is_bytes;
}

static int same_edge(const ps_stats *a, const ps_edge *x, const ps_stats *b, const ps_edge *y)
{
    return same_name(a, x->caller, b, y->caller) && x->shape == y->shape && x->nc == y->nc &&
           x->cc == y->cc && memcmp(&x->tt, &y->tt, sizeof x->tt) == 0 &&
           memcmp(&x->ct, &y->ct, sizeof x->ct) == 0;
}

/* Same entries in the same order, same callers, same bits in every float. */
static int same_stats(const ps_stats *a, const ps_stats *b)
{
    if (a->nentries != b->nentries || a->total_calls != b->total_calls ||
        a->prim_calls != b->prim_calls || memcmp(&a->total_tt, &b->total_tt, sizeof a->total_tt) ||
        a->ntop_level != b->ntop_level || a->sampled != b->sampled || a->nfiles != b->nfiles)
        return 0;
    for (uint32_t i = 0; i < a->nentries; i++) {
        const ps_entry *x = &a->entries[i], *y = &b->entries[i];
        if (!same_name(a, x->func, b, y->func) || x->cc != y->cc || x->nc != y->nc ||
            memcmp(&x->tt, &y->tt, sizeof x->tt) || memcmp(&x->ct, &y->ct, sizeof x->ct) ||
            x->ncallers != y->ncallers)
            return 0;
        for (uint32_t j = 0; j < x->ncallers; j++)
            if (!same_edge(a, &x->callers[j], b, &y->callers[j]))
                return 0;
    }
    for (size_t i = 0; i < a->ntop_level; i++)
        if (!same_name(a, a->top_level[i], b, b->top_level[i]))
            return 0;
    return 1;
}

static int same_error(const ps_error *x, const ps_error *y)
{
    return x->code == y->code && x->offset == y->offset && strcmp(x->msg, y->msg) == 0 &&
           strcmp(x->pyexc, y->pyexc) == 0 && strcmp(x->pymsg, y->pymsg) == 0;
}

static int compared;

/* Every function found by its key at its own id: the index holds them all
 * (the direct pass puts the functions it appends in the index at its end). */
static int all_found(const ps_stats *s)
{
    for (uint32_t f = 0; f < s->nfuncs; f++) {
        const ps_func *fn = &s->funcs[f];
        if (ps_stats_func_find(s, fn->file->s, fn->file->len, fn->line, fn->name->s,
                               fn->name->len) != f)
            return 0;
    }
    return 1;
}

/* Every function's entry is the one of that function, or none (the
 * direct pass links them at its end). */
static int linked(const ps_stats *s)
{
    uint32_t with = 0;
    for (uint32_t f = 0; f < s->nfuncs; f++) {
        uint32_t e = s->funcs[f].entry;
        if (e != PS_NONE && (e >= s->nentries || s->entries[e].func != f))
            return 0;
        with += e != PS_NONE;
    }
    return with == s->nentries;
}

static int same_outcome(const outcome *one, const outcome *two)
{
    return one->rc == two->rc &&
           (one->rc == 0 ? same_stats(one->s, two->s) && all_found(two->s) && linked(two->s)
                         : same_error(&one->e, &two->e));
}

/* Whether the direct pass takes buf (through a window of `window` bytes,
 * 0: in place). */
static int direct_takes(const unsigned char *buf, size_t len, size_t window)
{
    ps_stats *s = ps_stats_new();
    marshal_input in = {(unsigned char *)buf, len, 0, -1, 0, 0};
    ps_load_window = window;
    int taken = ps_stats_load_direct(s, &in);
    ps_load_window = 0;
    ps_stats_free(s);
    return taken;
}

/* Load buf both ways, the direct pass twice: reading buf in place, and
 * through a window of 1 to 64 bytes (grown by the strings longer than it),
 * so that the window is refilled inside every kind of item: the same
 * outcome, and the window declines nothing the pass in place takes; 1 if
 * all agree (reported on stderr if not). */
static int agree(const char *what, const unsigned char *buf, size_t len, long variant)
{
    outcome one = load(buf, len, 0), two = load(buf, len, 1);
    size_t window = 1 + test_rand() % 64;
    ps_load_window = window;
    outcome three = load(buf, len, 1);
    ps_load_window = 0;
    int ok = same_outcome(&one, &two) && same_outcome(&one, &three) &&
             direct_takes(buf, len, 0) == direct_takes(buf, len, window);
    if (!ok)
        fprintf(stderr, "%s (variant %ld, %zu bytes, window %zu): generic reader rc %d \"%s\", "
                "direct pass rc %d \"%s\", through the window rc %d \"%s\"\n",
                what, variant, len, window, one.rc, one.rc ? one.e.msg : "", two.rc,
                two.rc ? two.e.msg : "", three.rc, three.rc ? three.e.msg : "");
    ps_stats_free(one.s);
    ps_stats_free(two.s);
    ps_stats_free(three.s);
    compared++;
    return ok;
}


/* The whole dump, 24 cuts spread over it, 24 single-byte changes and 16
 * references redirected. */
static void check_dump(const char *what, const unsigned char *buf, size_t len)
{
    CHECK(agree(what, buf, len, -1));
    if (!len)
        return;
    unsigned char *copy = malloc(len);
    if (!copy)
        return;
    int ok = 1;
    for (long i = 1; i <= 24; i++)
        ok &= agree(what, buf, (size_t)((len * (uint64_t)i) / 25), i);
    for (long i = 0; i < 24; i++) {
        memcpy(copy, buf, len);
        size_t at = (size_t)(test_rand() % len);
        copy[at] ^= (unsigned char)(1 + test_rand() % 255);
        ok &= agree(what, copy, len, 100 + i);
    }
    /* back-references turned to slot 0 (the top-level dict when it is
     * flagged: a reference both loaders must refuse) */
    for (long i = 0, tried = 0; i < 16 && tried < 4096; tried++) {
        size_t at = (size_t)(test_rand() % len);
        if (buf[at] != 'r' || at + 5 > len)
            continue;
        memcpy(copy, buf, len);
        memset(copy + at + 1, 0, 4);
        ok &= agree(what, copy, len, 200 + i++);
    }
    CHECK(ok);
    free(copy);
}

/* The callgrind text written with `threads` (callgrind_internal.h). */
static char *callgrind_text(const ps_stats *s, int threads, int recursion, size_t *len)
{
    char *text = NULL;
    FILE *f = open_memstream(&text, len);
    if (!f)
        return NULL;
    callgrind_options o;
    ps_callgrind_options_init(&o);
    o.recursion = recursion;
    ps_error e;
    int rc = ps_callgrind_write_threads(s, &o, threads, f, "memory", &e);
    fclose(f);
    if (rc < 0) {
        free(text);
        return NULL;
    }
    return text;
}

/* One thread, two threads on every profile, two threads where it pays. */
static int same_callgrind(const ps_stats *s)
{
    int ok = 1;
    for (int rec = CALLGRIND_RECURSION_KEEP; rec <= CALLGRIND_RECURSION_DROP; rec++) {
        size_t n1 = 0, n2 = 0, n0 = 0;
        char *one = callgrind_text(s, 1, rec, &n1), *two = callgrind_text(s, 2, rec, &n2),
             *dflt = callgrind_text(s, 0, rec, &n0);
        ok &= one && two && dflt && n1 == n2 && n1 == n0 && memcmp(one, two, n1) == 0 &&
              memcmp(one, dflt, n1) == 0;
        free(one);
        free(two);
        free(dflt);
    }
    return ok;
}

static void test_real_dumps(void)
{
    DIR *d = opendir("tests/dumps");
    CHECK(d != NULL);
    if (!d)
        return;
    int files = 0, direct = 0, mapped = 0;
    for (struct dirent *de; (de = readdir(d));) {
        size_t nl = strlen(de->d_name);
        if (nl < 5 || strcmp(de->d_name + nl - 5, ".prof") != 0)
            continue;
        char path[512];
        snprintf(path, sizeof path, "tests/dumps/%s", de->d_name);
        marshal_input in;
        ps_error e;
        CHECK(ps_marshal_input_open(&in, path, &e) == 0);
        if (!in.data)
            continue;
        const unsigned char *buf = in.data;
        size_t len = in.len;
        check_dump(path, buf, len);
        ps_stats *d = ps_stats_new();
        if (ps_stats_load_direct(d, &in))
            direct++;
        else
            fprintf(stderr, "test_pipeline: %s: the direct pass declines it\n", path);
        ps_stats_free(d);
        /* a dump opened from its file (mapped past 64 kB, and then read by
         * the direct pass from the file, in its own window and in one of a
         * few kB): the same as the generic reader's */
        outcome plain = load(buf, len, 0);
        for (int w = 0; w < 2; w++) {
            ps_load_window = w ? 1000 + test_rand() % 4000 : 0;
            outcome viafile = {0, {0}, ps_stats_new()};
            viafile.rc = ps_stats_load_swap_with(viafile.s, &in, "t.prof", 1, &viafile.e);
            if (!same_outcome(&plain, &viafile)) {
                fprintf(stderr, "%s: loaded from its file (%s, window %zu): not the generic "
                        "reader's stats\n", path, in.mapped ? "mapped" : "read", ps_load_window);
                CHECK(0);
            }
            ps_stats_free(viafile.s);
            mapped += in.mapped && !w;
        }
        ps_load_window = 0;
        ps_stats_free(plain.s);
        outcome o = load(buf, len, 1);
        if (o.rc == 0 && !same_callgrind(o.s)) {
            fprintf(stderr, "%s: callgrind text differs when written on two threads\n", path);
            CHECK(0);
        } else if (o.rc == 0) {
            CHECK(1);
        }
        ps_stats_free(o.s);
        ps_marshal_input_close(&in);
        files++;
    }
    closedir(d);
    CHECK(files >= 50);
    fprintf(stderr, "test_pipeline: the direct pass takes %d of %d real dumps\n", direct, files);
    CHECK(direct >= 30);   /* all but Python 2.7 and profile.py (code objects) dumps */
    CHECK(mapped >= 4);    /* (the files past 64 kB) */
}

static void write_key(marshal_writer *w, int i)
{
    char file[64], name[64];
    snprintf(file, sizeof file, "/m/mod%d.py", i % 97);
    snprintf(name, sizeof name, "f%d", i);
    ps_marshal_write_tuple_begin(w, 3);
    ps_marshal_write_str(w, file, strlen(file));
    ps_marshal_write_int(w, i);
    ps_marshal_write_str(w, name, strlen(name));
}

/* Thousands of entries: the direct pass's callers runs fill several
 * blocks, and the callgrind writer's defaults use their second thread. */
static void test_many_batches(void)
{
    marshal_writer w;
    ps_marshal_writer_init(&w, 4);
    ps_marshal_write_dict_begin(&w);
    for (int i = 0; i < 48000; i++) {
        write_key(&w, i);
        ps_marshal_write_tuple_begin(&w, 5);
        ps_marshal_write_int(&w, i % 7 + 1);
        ps_marshal_write_int(&w, i % 7 + 2);
        ps_marshal_write_float(&w, i * 0.001);
        ps_marshal_write_float(&w, i * 0.002);
        ps_marshal_write_dict_begin(&w);
        for (int j = 1; j <= i % 4; j++) {
            write_key(&w, (i * 31 + j * 17) % 48000);
            ps_marshal_write_tuple_begin(&w, 4);
            ps_marshal_write_int(&w, j);
            ps_marshal_write_int(&w, j);
            ps_marshal_write_float(&w, j * 0.5);
            ps_marshal_write_float(&w, j * 0.75);
        }
        ps_marshal_write_dict_end(&w);
    }
    ps_marshal_write_dict_end(&w);
    CHECK(!w.failed);
    outcome o = load(w.buf, w.len, 1);
    CHECK(o.rc == 0 && o.s->nentries == 48000);
    CHECK(o.rc == 0 && same_callgrind(o.s));
    ps_stats_free(o.s);
    check_dump("48000 entries", w.buf, w.len);
    ps_marshal_writer_free(&w);
}

/* ---- key references off the run (load_direct.c's reference blocks) ---- */

typedef struct bytes {
    unsigned char b[512];
    size_t n;
} bytes;

static void put(bytes *o, const char *s, size_t n)
{
    memcpy(o->b + o->n, s, n);
    o->n += n;
}

static void put_byte(bytes *o, int c)
{
    o->b[o->n++] = (unsigned char)c;
}

static void put_i32(bytes *o, int c, uint32_t v)
{
    put_byte(o, c);
    for (int k = 0; k < 4; k++)
        put_byte(o, (int)(v >> (8 * k) & 0xFF));
}

/* a key tuple, flagged (a slot of its own) or not */
static void put_key(bytes *o, int flag, int line, const char *name)
{
    put_byte(o, ')' | (flag ? 0x80 : 0));
    put_byte(o, 3);
    put_byte(o, 'z');
    put_byte(o, 4);
    put(o, "a.py", 4);
    put_i32(o, 'i', (uint32_t)line);
    put_byte(o, 'z');
    put_byte(o, (int)strlen(name));
    put(o, name, strlen(name));
}

static void put_value(bytes *o, int n, int callers)
{
    put_byte(o, ')');
    put_byte(o, n + (callers != 0));
    for (int k = 0; k < n; k++)
        put_i32(o, 'i', 1);
    if (callers)
        put_byte(o, '{');   /* the caller items and '0' follow */
}

/* A reference to a key resolves through its block's run of function ids
 * only when the key's id was the next of the run: a second tuple for a
 * function (slot 2, f0 again) and a key that takes no slot (f3, between
 * slots 3 and 4) break the run, and the references to the keys after them
 * must still name the right functions. */
static void test_key_runs(void)
{
    bytes o = {{0}, 0};
    put_byte(&o, '{');
    put_key(&o, 1, 1, "f0");             /* slot 0: f0 */
    put_value(&o, 4, 1);
    put_byte(&o, '0');
    put_key(&o, 1, 2, "f1");             /* slot 1: f1 */
    put_value(&o, 4, 1);
    put_key(&o, 1, 1, "f0");             /* slot 2: f0, off the run */
    put_value(&o, 4, 0);
    put_byte(&o, '0');
    put_key(&o, 1, 3, "f2");             /* slot 3: f2, the run again */
    put_value(&o, 4, 1);
    put_i32(&o, 'r', 2);                 /* f0 */
    put_value(&o, 4, 0);
    put_key(&o, 0, 4, "f3");             /* no slot: f3 */
    put_value(&o, 4, 0);
    put_byte(&o, '0');
    put_key(&o, 1, 5, "f4");             /* slot 4: f4, off the run (f3 took 3) */
    put_value(&o, 4, 1);
    put_i32(&o, 'r', 4);                 /* f4 */
    put_value(&o, 4, 0);
    put_i32(&o, 'r', 3);                 /* f2 */
    put_value(&o, 4, 0);
    put_i32(&o, 'r', 1);                 /* f1 */
    put_value(&o, 4, 0);
    put_i32(&o, 'r', 0);                 /* f0 */
    put_value(&o, 4, 0);
    put_byte(&o, '0');
    put_byte(&o, '0');
    marshal_input in = {o.b, o.n, 0, -1, 0, 0};
    ps_stats *d = ps_stats_new();
    CHECK(ps_stats_load_direct(d, &in) == 1);   /* the direct pass takes it */
    ps_stats_free(d);
    CHECK(agree("key runs", o.b, o.n, -1));
    outcome r = load(o.b, o.n, 1);
    CHECK(r.rc == 0 && r.s->nentries == 4);
    if (r.rc == 0 && r.s->nentries == 4) {
        const ps_entry *en = &r.s->entries[3];
        static const char *const want[] = {"f4", "f2", "f1", "f0"};
        CHECK(en->ncallers == 4);
        for (uint32_t k = 0; k < en->ncallers && k < 4; k++)
            CHECK_STR(r.s->funcs[en->callers[k].caller].name->s, want[k]);
        CHECK(r.s->entries[2].ncallers == 2 &&
              strcmp(r.s->funcs[r.s->entries[2].callers[0].caller].name->s, "f0") == 0);
    }
    ps_stats_free(r.s);
}

/* A dict that names one function twice, as a reference to the first key and
 * as a second tuple of the same text: CPython keeps the later value, the
 * direct pass declines (the generic reader loads it), so both ways agree on
 * one entry with the later value. */
static void test_entry_twice(void)
{
    for (int as_ref = 0; as_ref < 2; as_ref++) {
        bytes o = {{0}, 0};
        put_byte(&o, '{');
        put_key(&o, 1, 1, "f0");             /* slot 0: f0 */
        put_value(&o, 4, 1);
        put_byte(&o, '0');
        put_key(&o, 1, 2, "f1");
        put_value(&o, 4, 1);
        put_byte(&o, '0');
        if (as_ref)
            put_i32(&o, 'r', 0);             /* f0 again */
        else
            put_key(&o, 0, 1, "f0");
        put_byte(&o, ')');                   /* (2, 7, 1, 1, {}) */
        put_byte(&o, 5);
        put_i32(&o, 'i', 2);
        put_i32(&o, 'i', 7);
        put_i32(&o, 'i', 1);
        put_i32(&o, 'i', 1);
        put_byte(&o, '{');
        put_byte(&o, '0');
        put_byte(&o, '0');
        marshal_input in = {o.b, o.n, 0, -1, 0, 0};
        ps_stats *d = ps_stats_new();
        CHECK(ps_stats_load_direct(d, &in) == 0);   /* declined */
        ps_stats_free(d);
        CHECK(agree("an entry twice", o.b, o.n, -1));
        outcome r = load(o.b, o.n, 1);
        CHECK(r.rc == 0 && r.s->nentries == 2 && r.s->entries[0].nc == 7);
        ps_stats_free(r.s);
    }
}

/* test_dense_refs's cc of entry i: all past the 30 bits a count's slot
 * holds in the direct pass's table, half of them negative. */
static int64_t dense_cc(uint32_t i)
{
    return i % 2 ? -(int64_t)(i * 7 + 1) : (int64_t)i * 7 + 1 + ((int64_t)1 << 30);
}

/* A dump denser in references than the direct pass reserves room for (a
 * word for a flagged object in 32 bytes of input: ref_reserve): every key
 * and every count a flagged object, each referred to again (a caller is the
 * previous key) -- a word in 7 bytes.  The table grows past its room, and
 * the references made after that still give the right numbers and
 * functions.  The counts are ints the table's words do not hold (kept
 * apart, in the pass's `big`), and from the hundredth entry on, one is
 * referred to again 400 slots later, past the memo of recent ints. */
static void test_dense_refs(void)
{
    enum { N = 600 };
    static unsigned char b[N * 160];
    size_t n = 0;
    uint32_t slot = 0;
#define PUT(c) (b[n++] = (unsigned char)(c))
#define PUT32(c, v) (PUT(c), PUT((v) & 0xFF), PUT((v) >> 8 & 0xFF), PUT((v) >> 16 & 0xFF), \
                     PUT((v) >> 24 & 0xFF))
    uint32_t nums[N];
    PUT('{');
    for (uint32_t i = 0; i < N; i++) {
        uint32_t key = slot++;               /* ("a".."z", 1000000 + i, "g") */
        PUT(')' | 0x80), PUT(3);
        PUT('z'), PUT(1), PUT('a' + i % 26);
        PUT32('i' | 0x80, i + 1000000);      /* a slot, never referred to */
        slot++;
        PUT('z'), PUT(1), PUT('g');
        uint32_t num = nums[i] = slot++;     /* cc: a flagged int */
        PUT(')'), PUT(5);
        PUT32('i' | 0x80, (uint32_t)dense_cc(i));
        PUT32('r', num);                     /* nc: the same int again */
        PUT32('i' | 0x80, 3);                /* two numbers, as ints */
        slot++;
        PUT32('r', slot - 1);
        PUT('{');
        if (i) {
            PUT32('r', key - 4);             /* the previous function */
            PUT32('r', num);
        }
        if (i >= 100) {                      /* and the one before, with the cc of */
            PUT32('r', key - 8);             /* entry i - 100, referred to 400 slots */
            PUT32('r', nums[i - 100]);       /* later */
        }
        PUT('0');
    }
    PUT('0');
#undef PUT32
#undef PUT
    CHECK(slot > n / 32 + 64);   /* past the room the pass gives the table at first */
    marshal_input in = {b, n, 0, -1, 0, 0};
    ps_stats *d = ps_stats_new();
    CHECK(ps_stats_load_direct(d, &in) == 1);   /* the direct pass takes it */
    ps_stats_free(d);
    CHECK(agree("dense references", b, n, -1));
    outcome r = load(b, n, 1);
    CHECK(r.rc == 0 && r.s->nentries == N);
    for (uint32_t i = 0; r.rc == 0 && i < N; i++) {
        const ps_entry *en = &r.s->entries[i];
        CHECK(en->cc == dense_cc(i) && en->nc == en->cc && en->ct == 3.0);
        CHECK(en->ncallers == (i ? 1u : 0u) + (i >= 100));
        if (i && en->ncallers >= 1) {
            CHECK(en->callers[0].caller == r.s->entries[i - 1].func);
            CHECK(en->callers[0].shape == PS_EDGE_INT && en->callers[0].nc == en->cc);
        }
        if (i >= 100 && en->ncallers == 2) {
            CHECK(en->callers[1].caller == r.s->entries[i - 2].func);
            CHECK(en->callers[1].shape == PS_EDGE_INT && en->callers[1].nc == dense_cc(i - 100));
        }
    }
    ps_stats_free(r.s);
}

int main(void)
{
    test_dense_refs();
    test_entry_twice();
    test_seed(0x9E3779B97F4A7C15u);   /* (the flips this test has always made) */
    test_key_runs();
    test_real_dumps();
    test_many_batches();
    fprintf(stderr, "test_pipeline: %d loads compared both ways\n", compared);
    return TEST_SUMMARY();
}
